//! Crash-safe output (issue 6, "Safe output"): a run killed at any moment leaves the old output
//! or a complete new one, the next run clears its temporaries, and a full disk leaves the old
//! output untouched.

use std::fs;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant, SystemTime};

/// The shared corpus, next to the crate (`../shared`), never at an absolute path.
fn corpus() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus/fullstackpython/content")
}

fn bindery() -> Command {
    Command::new(env!("CARGO_BIN_EXE_bindery"))
}

/// Every `.markdown` page of the shared corpus, sorted; empty when the corpus is not there.
fn corpus_pages() -> Vec<PathBuf> {
    fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
        let Ok(entries) = fs::read_dir(dir) else {
            return;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                walk(&path, out);
            } else if path.extension().is_some_and(|e| e == "markdown") {
                out.push(path);
            }
        }
    }
    let mut pages = Vec::new();
    walk(&corpus(), &mut pages);
    pages.sort();
    pages
}

/// Whether `bytes` is a zip archive whose every entry reads back (CRCs checked).
fn is_complete_zip(bytes: &[u8]) -> bool {
    let Ok(mut archive) = zip::ZipArchive::new(std::io::Cursor::new(bytes)) else {
        return false;
    };
    (0..archive.len()).all(|i| {
        let mut sink = Vec::new();
        archive
            .by_index(i)
            .is_ok_and(|mut entry| entry.read_to_end(&mut sink).is_ok())
    })
}

fn temporaries(dir: &Path) -> Vec<String> {
    fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|name| name.starts_with(bindery::output::TEMP_PREFIX))
        .collect()
}

/// A small pseudo-random sequence (no `rand` dependency), seeded from the clock and printed so
/// that a failing run can be replayed with `BINDERY_KILL_SEED`.
struct Lcg(u64);

impl Lcg {
    fn next_below(&mut self, bound: u64) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        (self.0 >> 33) % bound.max(1)
    }
}

#[test]
fn killed_epub_builds_leave_the_old_or_a_complete_book_and_no_temporaries() {
    let pages = corpus_pages();
    // The tests need the corpus: missing, they fail instead of passing silently.
    assert!(
        !pages.is_empty(),
        "the shared corpus is not at {}",
        corpus().display()
    );
    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().join("book.epub");
    let run = |target: &Path| {
        let mut command = bindery();
        command
            .arg("convert")
            .args(&pages)
            .args(["--sort", "-q", "-o"])
            .arg(target);
        command
    };

    // A first, complete build: the "old" output, and how long a build takes.
    let start = Instant::now();
    let status = run(&target).status().unwrap();
    let full = start.elapsed();
    assert!(status.success());
    let old = fs::read(&target).unwrap();
    assert!(is_complete_zip(&old));

    let seed = std::env::var("BINDERY_KILL_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| {
            SystemTime::now()
                .duration_since(SystemTime::UNIX_EPOCH)
                .unwrap()
                .as_nanos() as u64
        });
    eprintln!("BINDERY_KILL_SEED={seed}");
    let mut random = Lcg(seed);
    let mut killed_mid_run = 0;
    for _ in 0..6 {
        let mut child = run(&target).spawn().unwrap();
        // Anywhere from the start to a little past the end of a typical run.
        let delay = random.next_below(full.as_millis() as u64 * 11 / 10 + 1);
        std::thread::sleep(Duration::from_millis(delay));
        if child.try_wait().unwrap().is_none() {
            killed_mid_run += 1;
        }
        let _ = child.kill(); // SIGKILL on Unix
        child.wait().unwrap();
        let now = fs::read(&target).expect("the old or the new book is always there");
        assert!(
            now == old || is_complete_zip(&now),
            "a killed run left a partial book (delay {delay} ms, seed {seed})"
        );
    }
    assert!(
        killed_mid_run > 0,
        "no run was killed before it ended; the test proved nothing (seed {seed})"
    );

    // The next complete run clears every temporary a killed run left.
    assert!(run(&target).status().unwrap().success());
    assert_eq!(temporaries(dir.path()), Vec::<String>::new());
    assert!(is_complete_zip(&fs::read(&target).unwrap()));
}

#[test]
fn a_full_disk_gives_a_clear_error_and_keeps_the_previous_output() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("page.md");
    fs::write(&input, "title: Old\n\nSmall.\n").unwrap();
    let target = dir.path().join("page.html");
    assert!(
        bindery()
            .args(["convert", "page.md", "-o", "page.html"])
            .current_dir(dir.path())
            .status()
            .unwrap()
            .success()
    );
    let old = fs::read(&target).unwrap();

    // A page far larger than the 50-block file size limit below. `trap '' XFSZ` makes the
    // limit behave like a full disk (write fails with EFBIG) instead of killing the process.
    let big = format!(
        "title: New\n\n{}\n",
        "All work and no play. ".repeat(20_000)
    );
    fs::write(&input, big).unwrap();
    let output = Command::new("sh")
        .arg("-c")
        .arg("trap '' XFSZ; ulimit -f 50; exec \"$0\" convert page.md -o page.html")
        .arg(env!("CARGO_BIN_EXE_bindery"))
        .current_dir(dir.path())
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    assert_eq!(
        String::from_utf8_lossy(&output.stderr),
        "error: page.html: cannot write: File too large (os error 27)\n"
    );
    assert_eq!(
        fs::read(&target).unwrap(),
        old,
        "the previous output changed"
    );
    assert_eq!(temporaries(dir.path()), Vec::<String>::new());
}

#[test]
fn a_build_sweeps_temporaries_left_by_a_killed_run_in_every_folder_it_writes() {
    let dir = tempfile::tempdir().unwrap();
    let content = dir.path().join("content");
    fs::create_dir_all(content.join("img")).unwrap();
    fs::write(content.join("img/dot.png"), b"\x89PNG\r\n\x1a\n tiny").unwrap();
    fs::write(content.join("a.md"), "title: A\n\n![Dot](img/dot.png)\n").unwrap();
    let build = || {
        bindery()
            .current_dir(dir.path())
            .args([
                "build",
                "content",
                "-o",
                "out",
                "--formats",
                "site,text",
                "-q",
            ])
            .status()
            .unwrap()
    };
    assert!(build().success());
    let out = dir.path().join("out");
    // What a run killed while renaming leaves: temporaries named after a writer that is gone
    // (a process id above Linux's pid_max).
    let folders = [
        out.clone(),
        out.join("site"),
        out.join("site/img"),
        out.join("text"),
    ];
    for folder in &folders {
        fs::write(
            folder.join(format!("{}4999999-x1", bindery::output::TEMP_PREFIX)),
            b"half",
        )
        .unwrap();
    }
    // Nothing changed, so nothing is rewritten; the temporaries go all the same.
    assert!(build().success());
    for folder in &folders {
        assert_eq!(
            temporaries(folder),
            Vec::<String>::new(),
            "{}",
            folder.display()
        );
    }
}
