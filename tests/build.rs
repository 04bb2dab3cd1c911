//! `bindery build` on the shared corpus: completeness, links, incrementality, determinism.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use assert_cmd::Command;

fn corpus() -> Option<PathBuf> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus/fullstackpython");
    // Missing, the tests fail: they must never pass without their input.
    assert!(path.exists(), "{} is not there", path.display());
    Some(path)
}

fn copy_dir(from: &Path, to: &Path) {
    fs::create_dir_all(to).unwrap();
    for entry in fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            fs::copy(entry.path(), &target).unwrap();
        }
    }
}

/// A private copy of the corpus (a build must never touch its inputs, and tests edit them).
fn corpus_copy(dir: &Path) -> Option<PathBuf> {
    let corpus = corpus()?;
    let copy = dir.join("site-src");
    copy_dir(&corpus.join("content"), &copy.join("content"));
    copy_dir(&corpus.join("static"), &copy.join("static"));
    Some(copy)
}

fn build(src: &Path, out: &Path, extra: &[&str]) -> std::process::Output {
    Command::cargo_bin("bindery")
        .unwrap()
        .arg("build")
        .arg(src.join("content"))
        .arg("-o")
        .arg(out)
        .arg("--resource-path")
        .arg(src.join("static"))
        .args(["--formats", "site,text,epub"])
        .args(extra)
        .output()
        .unwrap()
}

/// Every file under `dir` with its bytes, by relative path.
fn snapshot(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    let mut files = BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in fs::read_dir(&d).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else {
                files.insert(
                    path.strip_prefix(dir).unwrap().to_path_buf(),
                    fs::read(&path).unwrap(),
                );
            }
        }
    }
    files
}

fn attribute_values<'a>(html: &'a str, attribute: &str) -> Vec<&'a str> {
    let needle = format!("{attribute}=\"");
    html.match_indices(&needle)
        .map(|(i, _)| {
            let rest = &html[i + needle.len()..];
            &rest[..rest.find('"').unwrap()]
        })
        .collect()
}

#[test]
fn site_has_every_page_an_ordered_index_and_no_broken_internal_links() {
    let dir = tempfile::tempdir().unwrap();
    let Some(src) = corpus_copy(dir.path()) else {
        return;
    };
    let out = dir.path().join("out");
    let result = build(&src, &out, &["-q"]);
    assert!(
        result.status.success(),
        "{}",
        String::from_utf8_lossy(&result.stderr)
    );

    let documents: Vec<PathBuf> = glob_markdown(&src.join("content"));
    assert_eq!(documents.len(), 68);
    let site = out.join("site");
    let pages: Vec<_> = fs::read_dir(&site)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| {
            p.extension().is_some_and(|e| e == "html")
                && !p.ends_with("index.html")
                && !p.ends_with("search.html")
        })
        .collect();
    assert_eq!(pages.len(), documents.len());
    assert_eq!(
        fs::read_dir(out.join("text")).unwrap().count(),
        documents.len()
    );
    assert!(out.join("book.epub").exists());

    // The index links every page once, chapters in sortorder: 01-introduction's pages first.
    let index = fs::read_to_string(site.join("index.html")).unwrap();
    // The contents, not the sidebar every page has.
    let contents = index.split("<nav class=\"contents\">").nth(1).unwrap();
    let listed: Vec<&str> = attribute_values(contents, "href")
        .into_iter()
        .filter(|h| h.ends_with(".html"))
        .collect();
    assert_eq!(listed.len(), documents.len());
    assert_eq!(listed[0], "introduction.html");
    let position = |page: &str| listed.iter().position(|l| *l == page).unwrap();
    assert!(position("python-community.html") < position("development-environments.html"));
    assert!(position("development-environments.html") < position("data.html"));

    // No link or image inside the site points at a file that is not there.
    for page in pages.iter().chain([&site.join("index.html")]) {
        let html = fs::read_to_string(page).unwrap();
        for target in attribute_values(&html, "href")
            .into_iter()
            .chain(attribute_values(&html, "src"))
        {
            if target.contains("://") || target.starts_with('#') || target.starts_with("mailto:") {
                continue;
            }
            let file = target.split('#').next().unwrap();
            assert!(
                site.join(file).exists(),
                "{}: {target} is missing",
                page.display()
            );
        }
    }
}

fn glob_markdown(dir: &Path) -> Vec<PathBuf> {
    let mut found = Vec::new();
    for entry in fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            found.extend(glob_markdown(&path));
        } else if path.extension().is_some_and(|e| e == "markdown") {
            found.push(path);
        }
    }
    found
}

#[test]
fn second_build_does_nothing_and_an_edit_rebuilds_only_that_page_and_the_book() {
    let dir = tempfile::tempdir().unwrap();
    let Some(src) = corpus_copy(dir.path()) else {
        return;
    };
    let out = dir.path().join("out");
    assert!(build(&src, &out, &["-q"]).status.success());
    let before = snapshot(&out);

    let again = build(&src, &out, &[]);
    let stderr = String::from_utf8_lossy(&again.stderr);
    assert!(stderr.contains(" 0 outputs written, "), "{stderr}");
    assert_eq!(snapshot(&out), before);

    let page = src.join("content/pages/01-introduction/06-community.markdown");
    let mut text = fs::read_to_string(&page).unwrap();
    text.push_str("\nOne more paragraph.\n");
    fs::write(&page, text).unwrap();
    assert!(build(&src, &out, &["-q"]).status.success());
    let after = snapshot(&out);
    let changed: Vec<&PathBuf> = after
        .iter()
        .filter(|(path, bytes)| before.get(*path) != Some(bytes))
        .map(|(path, _)| path)
        .filter(|path| !path.ends_with(".bindery-state.json"))
        .collect();
    assert_eq!(
        changed,
        [
            Path::new("book.epub"),
            Path::new("site/python-community.html"),
            // The search index holds every page's text.
            Path::new("site/search-index.js"),
            Path::new("text/python-community.txt"),
        ]
    );
}

#[test]
fn output_is_identical_whatever_the_number_of_threads() {
    let dir = tempfile::tempdir().unwrap();
    let Some(src) = corpus_copy(dir.path()) else {
        return;
    };
    let one = dir.path().join("one");
    let two = dir.path().join("two");
    assert!(build(&src, &one, &["-q", "-j", "1"]).status.success());
    assert!(build(&src, &two, &["-q", "-j", "2"]).status.success());
    let (a, b) = (snapshot(&one), snapshot(&two));
    assert_eq!(a.keys().collect::<Vec<_>>(), b.keys().collect::<Vec<_>>());
    for (path, bytes) in &a {
        if path.ends_with(".bindery-state.json") {
            continue; // records input modification times, which differ between copies
        }
        assert!(bytes == &b[path], "{} differs", path.display());
    }
}

#[test]
fn depfile_lists_sources_and_images_with_make_escapes() {
    let dir = tempfile::tempdir().unwrap();
    let Some(src) = corpus_copy(dir.path()) else {
        return;
    };
    let out = dir.path().join("out");
    let depfile = dir.path().join("build.d");
    let result = build(&src, &out, &["-q", "--depfile", depfile.to_str().unwrap()]);
    assert!(result.status.success());
    let text = fs::read_to_string(&depfile).unwrap();
    let first = text.lines().next().unwrap();
    assert!(first.ends_with(": \\"), "{first}");
    assert!(first.contains("book.epub"));
    assert!(text.contains("06-community.markdown \\\n"));
    assert!(text.contains("static/img/logos/"));
}

#[test]
fn config_errors_name_file_line_and_expected_keys() {
    let dir = tempfile::tempdir().unwrap();
    fs::create_dir(dir.path().join("content")).unwrap();
    fs::write(dir.path().join("content/a.md"), "title: A\n\nText.\n").unwrap();
    fs::write(
        dir.path().join("bindery.toml"),
        "[book]\ntitle = \"T\"\nauthor = \"me\"\n",
    )
    .unwrap();
    let out = Command::cargo_bin("bindery")
        .unwrap()
        .current_dir(dir.path())
        .arg("build")
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.starts_with("bindery.toml:3:1: error: unknown field `author`, expected one of"),
        "{stderr}"
    );
    assert!(stderr.contains("`authors`"), "{stderr}");
}

#[test]
fn config_file_drives_a_build_and_output_inside_sources_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    fs::create_dir(dir.path().join("content")).unwrap();
    fs::write(
        dir.path().join("content/a.md"),
        "title: A\n\nSee [b](b.md).\n",
    )
    .unwrap();
    fs::write(
        dir.path().join("content/b.md"),
        "title: B\n\nBack to [a](/a.html).\n",
    )
    .unwrap();
    fs::write(
        dir.path().join("bindery.toml"),
        "output = \"public\"\nformats = [\"site\", \"text\"]\n\n[book]\ntitle = \"Two\"\n",
    )
    .unwrap();
    let out = Command::cargo_bin("bindery")
        .unwrap()
        .current_dir(dir.path())
        .args(["build", "-q"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let a = fs::read_to_string(dir.path().join("public/site/a.html")).unwrap();
    assert!(a.contains("<a href=\"b.html\">b</a>"), "{a}");
    assert!(a.contains("rel=\"next\" href=\"b.html\""));
    assert!(!dir.path().join("public/book.epub").exists());

    let inside = Command::cargo_bin("bindery")
        .unwrap()
        .current_dir(dir.path())
        .args(["build", "-o", "content/out"])
        .output()
        .unwrap();
    assert_eq!(inside.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&inside.stderr).contains("overlap"));
}

#[test]
fn strict_fails_on_warnings_even_when_everything_is_up_to_date() {
    let dir = tempfile::tempdir().unwrap();
    fs::create_dir(dir.path().join("content")).unwrap();
    fs::write(
        dir.path().join("content/a.md"),
        "title: A\n\nSee [gone](/gone.html).\n",
    )
    .unwrap();
    let run = || {
        Command::cargo_bin("bindery")
            .unwrap()
            .current_dir(dir.path())
            .args(["build", "--formats", "site", "--strict"])
            .output()
            .unwrap()
    };
    for attempt in ["cold", "warm"] {
        let out = run();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "{attempt}: {stderr}");
        assert!(
            stderr.contains(
                "a.md:3:5: warning: link `/gone.html` points to a page that is not in the book"
            ),
            "{attempt}: {stderr}"
        );
    }
}

#[test]
fn a_second_build_into_a_locked_output_folder_fails_clearly_and_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let src = dir.path().join("src");
    fs::create_dir_all(src.join("content")).unwrap();
    fs::create_dir_all(src.join("static")).unwrap();
    fs::write(src.join("content/page.md"), "title: Page\n\nSome text.\n").unwrap();
    let out = dir.path().join("out");
    fs::create_dir_all(&out).unwrap();
    // Hold the lock the way a running build does.
    let lock = fs::File::create(out.join(".bindery-lock")).unwrap();
    lock.try_lock().unwrap();

    let busy = build(&src, &out, &[]);
    assert_eq!(busy.status.code(), Some(1));
    let stderr = String::from_utf8(busy.stderr).unwrap();
    assert!(
        stderr.contains("another bindery build is writing into this folder"),
        "{stderr}"
    );
    let written: Vec<_> = fs::read_dir(&out)
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(written, [".bindery-lock"]);

    // Once the other build is done, the folder is free again.
    drop(lock);
    let free = build(&src, &out, &[]);
    assert!(
        free.status.success(),
        "{}",
        String::from_utf8_lossy(&free.stderr)
    );
    assert!(out.join("site/page.html").exists());
}

/// A project of three small pages and one large one (about 600 KB of words that do not
/// compress well), so a file-size limit lets the small outputs through and stops the large.
fn project_with_a_large_page(dir: &Path) -> PathBuf {
    let content = dir.join("content");
    fs::create_dir_all(&content).unwrap();
    for name in ["a", "b", "c"] {
        fs::write(
            content.join(format!("{name}.md")),
            format!("title: Page {name}\n\nA short page.\n"),
        )
        .unwrap();
    }
    let mut seed: u64 = 12345;
    let mut words = String::from("title: Large\n\n");
    for i in 0..100_000 {
        seed = seed
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        words.push_str(&format!("w{:x}", seed >> 40));
        words.push_str(if i % 12 == 11 { ".\n\n" } else { " " });
    }
    fs::write(content.join("large.md"), words).unwrap();
    content
}

/// `bindery build` under a file-size limit of 100 blocks (50 or 100 KB, as `sh` counts them),
/// with SIGXFSZ ignored so that a write past it fails with EFBIG, as on a full disk.
fn build_with_file_size_limit(dir: &Path) -> std::process::Output {
    std::process::Command::new("sh")
        .arg("-c")
        .arg("trap '' XFSZ; ulimit -f 100; exec \"$0\" build content -o out --formats site,text,epub")
        .arg(env!("CARGO_BIN_EXE_bindery"))
        .current_dir(dir)
        .output()
        .unwrap()
}

fn plain_build(dir: &Path) -> std::process::Output {
    Command::cargo_bin("bindery")
        .unwrap()
        .current_dir(dir)
        .args([
            "build",
            "content",
            "-o",
            "out",
            "--formats",
            "site,text,epub",
        ])
        .output()
        .unwrap()
}

/// The last line of standard error (the build's summary), without the time it took.
fn summary(output: &std::process::Output) -> String {
    let stderr = String::from_utf8_lossy(&output.stderr);
    let last = stderr.lines().last().unwrap_or("").to_string();
    last.split(" in ").next().unwrap().to_string()
}

#[test]
fn a_build_that_failed_to_write_heals_on_the_next_run() {
    let dir = tempfile::tempdir().unwrap();
    project_with_a_large_page(dir.path());
    let failed = build_with_file_size_limit(dir.path());
    let stderr = String::from_utf8_lossy(&failed.stderr);
    assert_eq!(failed.status.code(), Some(1), "{stderr}");
    // The search index holds the large page's text: too large as well.
    for output in [
        "site/large.html",
        "site/search-index.js",
        "text/large.txt",
        "book.epub",
    ] {
        assert!(
            stderr.contains(&format!(
                "error: out/{output}: cannot write: File too large (os error 27)\n"
            )),
            "{output}: {stderr}"
        );
        assert!(!dir.path().join("out").join(output).exists());
    }
    assert_eq!(
        summary(&failed),
        "bindery: 4 documents, 10 outputs written, 0 up to date, 0 warnings, 4 errors"
    );

    // With room again, a normal build makes exactly what is missing: nothing is taken as up
    // to date that is not on disk.
    let healed = plain_build(dir.path());
    assert!(
        healed.status.success(),
        "{}",
        String::from_utf8_lossy(&healed.stderr)
    );
    assert_eq!(
        summary(&healed),
        "bindery: 4 documents, 4 outputs written, 10 up to date, 0 warnings, 0 errors"
    );
    let healed_files = snapshot(&dir.path().join("out"));
    let fresh = Command::cargo_bin("bindery")
        .unwrap()
        .current_dir(dir.path())
        .args([
            "build",
            "content",
            "-o",
            "fresh",
            "--formats",
            "site,text,epub",
            "-q",
        ])
        .output()
        .unwrap();
    assert!(fresh.status.success());
    let fresh_files = snapshot(&dir.path().join("fresh"));
    let published = |files: &BTreeMap<PathBuf, Vec<u8>>| -> BTreeMap<PathBuf, Vec<u8>> {
        files
            .iter()
            .filter(|(path, _)| !path.to_string_lossy().starts_with(".bindery"))
            .map(|(path, bytes)| (path.clone(), bytes.clone()))
            .collect()
    };
    assert_eq!(published(&healed_files), published(&fresh_files));
    assert_eq!(published(&healed_files).len(), 14);
}

#[test]
fn when_the_state_cannot_be_written_every_failure_is_listed_with_a_summary() {
    let dir = tempfile::tempdir().unwrap();
    project_with_a_large_page(dir.path());
    // A folder where the state file goes: renaming the new state over it fails.
    fs::create_dir_all(dir.path().join("out/.bindery-state.json")).unwrap();
    let failed = build_with_file_size_limit(dir.path());
    let stderr = String::from_utf8_lossy(&failed.stderr);
    assert_eq!(failed.status.code(), Some(1), "{stderr}");
    let errors: Vec<&str> = stderr.lines().filter(|l| l.starts_with("error:")).collect();
    assert_eq!(
        errors,
        [
            "error: out/site/large.html: cannot write: File too large (os error 27)",
            "error: out/site/search-index.js: cannot write: File too large (os error 27)",
            "error: out/text/large.txt: cannot write: File too large (os error 27)",
            "error: out/book.epub: cannot write: File too large (os error 27)",
            "error: out/.bindery-state.json: cannot replace: Is a directory (os error 21)",
        ]
    );
    assert_eq!(
        summary(&failed),
        "bindery: 4 documents, 10 outputs written, 0 up to date, 0 warnings, 5 errors"
    );
    fs::remove_dir(dir.path().join("out/.bindery-state.json")).unwrap();
    let healed = plain_build(dir.path());
    assert!(healed.status.success());
    // The search index holds the large page's text: too large as well.
    for output in [
        "site/large.html",
        "site/search-index.js",
        "text/large.txt",
        "book.epub",
    ] {
        assert!(dir.path().join("out").join(output).exists(), "{output}");
    }
}

#[test]
fn an_output_missing_or_changed_since_the_last_build_is_made_again() {
    let dir = tempfile::tempdir().unwrap();
    let content = dir.path().join("content");
    fs::create_dir_all(&content).unwrap();
    fs::write(content.join("a.md"), "title: A\n\nOne.\n").unwrap();
    fs::write(content.join("b.md"), "title: B\n\nTwo.\n").unwrap();
    assert!(plain_build(dir.path()).status.success());
    let before = snapshot(&dir.path().join("out"));
    let out = dir.path().join("out");
    fs::remove_file(out.join("text/b.txt")).unwrap();
    fs::write(out.join("site/a.html"), "edited by hand").unwrap();
    let again = plain_build(dir.path());
    assert_eq!(
        summary(&again),
        "bindery: 2 documents, 2 outputs written, 8 up to date, 0 warnings, 0 errors"
    );
    let after = snapshot(&out);
    for path in ["text/b.txt", "site/a.html"] {
        assert_eq!(after[Path::new(path)], before[Path::new(path)], "{path}");
    }
}

/// Standard error with the temporary folder's path replaced by `TMP`.
fn stderr_in(output: &std::process::Output, dir: &Path) -> String {
    let real = dir.canonicalize().unwrap();
    String::from_utf8_lossy(&output.stderr)
        .replace(&real.display().to_string(), "TMP")
        .replace(&dir.display().to_string(), "TMP")
}

#[test]
fn symbolic_links_out_of_the_source_folder_are_refused_and_loops_walked_once() {
    use std::os::unix::fs::symlink;
    let dir = tempfile::tempdir().unwrap();
    let outside = dir.path().join("outside");
    fs::create_dir_all(&outside).unwrap();
    fs::write(
        outside.join("secret.md"),
        "title: Secret\n\nSECRET-MARKER\n",
    )
    .unwrap();
    fs::write(outside.join("notes.txt"), "SECRET-MARKER in a folder\n").unwrap();
    let content = dir.path().join("content");
    fs::create_dir_all(content.join("sub/deeper")).unwrap();
    fs::write(content.join("a.md"), "title: A\n\nPage A.\n").unwrap();
    fs::write(content.join("sub/b.md"), "title: B\n\nPage B.\n").unwrap();
    symlink(outside.join("secret.md"), content.join("secret.md")).unwrap();
    symlink(&outside, content.join("etc")).unwrap();
    // A link inside the folder is fine, and its file is published once.
    symlink("a.md", content.join("alias.md")).unwrap();
    // Two loops: each folder is walked once, each loop reported once.
    symlink("..", content.join("sub/loop")).unwrap();
    symlink("../..", content.join("sub/deeper/loop")).unwrap();
    let output = Command::cargo_bin("bindery")
        .unwrap()
        .current_dir(dir.path())
        .args(["build", "content", "-o", "out", "--formats", "site,text"])
        .timeout(std::time::Duration::from_secs(60))
        .output()
        .unwrap();
    let stderr = stderr_in(&output, dir.path());
    assert_eq!(output.status.code(), Some(0), "{stderr}");
    let warnings: Vec<&str> = stderr.lines().filter(|l| l.contains("warning:")).collect();
    assert_eq!(
        warnings,
        [
            "content/etc: warning: symbolic link to TMP/outside, outside the source folder; refused",
            "content/secret.md: warning: symbolic link to TMP/outside/secret.md, outside the source folder; refused",
            "content/sub/deeper/loop: warning: symbolic link loop: this folder is TMP/content, which is already being read; not followed",
            "content/sub/loop: warning: symbolic link loop: this folder is TMP/content, which is already being read; not followed",
        ],
        "{stderr}"
    );
    let published = snapshot(&dir.path().join("out"));
    let pages: Vec<String> = published
        .keys()
        .map(|p| p.display().to_string())
        .filter(|p| !p.starts_with(".bindery"))
        .collect();
    assert_eq!(
        pages,
        [
            "site/a.html",
            "site/b.html",
            "site/index.html",
            "site/search-index.js",
            "site/search.html",
            "site/search.js",
            "site/style.css",
            "text/a.txt",
            "text/b.txt"
        ]
    );
    for (path, bytes) in &published {
        assert!(
            !String::from_utf8_lossy(bytes).contains("SECRET-MARKER"),
            "{} publishes a file from outside the source folder",
            path.display()
        );
    }
}

#[test]
fn pipes_devices_and_huge_files_are_neither_documents_nor_images() {
    let dir = tempfile::tempdir().unwrap();
    let content = dir.path().join("content");
    fs::create_dir_all(&content).unwrap();
    fs::write(
        content.join("a.md"),
        "title: A\n\n![Pipe](pipe.png)\n\n![Huge](huge.png)\n\n![Device](/zero)\n",
    )
    .unwrap();
    for fifo in ["pipe.png", "pipe.md"] {
        let made = std::process::Command::new("mkfifo")
            .arg(content.join(fifo))
            .status()
            .unwrap();
        assert!(made.success());
    }
    // 3 GiB of nothing: sparse, so it costs no disk.
    let huge = fs::File::create(content.join("huge.png")).unwrap();
    huge.set_len(3 << 30).unwrap();
    let output = Command::cargo_bin("bindery")
        .unwrap()
        .current_dir(dir.path())
        .args(["build", "content", "-o", "out", "--formats", "epub,text"])
        // A resource folder holding devices: `/zero` is found there, and refused.
        .args(["--resource-path", "/dev"])
        .timeout(std::time::Duration::from_secs(120))
        .output()
        .unwrap();
    let stderr = stderr_in(&output, dir.path());
    assert_eq!(output.status.code(), Some(0), "{stderr}");
    let warnings: Vec<&str> = stderr.lines().filter(|l| l.contains("warning:")).collect();
    assert_eq!(
        warnings,
        [
            "content/pipe.md: warning: not a regular file (a pipe, socket or device); skipped",
            "content/a.md:3:1: warning: image `pipe.png` (TMP/content/pipe.png) cannot be read: not a regular file (a pipe, socket or device)",
            "content/a.md:5:1: warning: image `huge.png` (TMP/content/huge.png) cannot be read: 3072 MiB, more than the limit of 256 MiB for a resource",
            "content/a.md:7:1: warning: image `/zero` (/dev/zero) cannot be read: not a regular file (a pipe, socket or device)",
        ],
        "{stderr}"
    );
    let text = fs::read_to_string(dir.path().join("out/text/a.txt")).unwrap();
    assert!(text.contains("Pipe") && text.contains("Huge"), "{text}");
}

#[test]
fn sanitize_cleans_every_document_from_the_command_line_or_the_config() {
    let dir = tempfile::tempdir().unwrap();
    let content = dir.path().join("content");
    fs::create_dir_all(&content).unwrap();
    fs::write(
        content.join("a.md"),
        "title: A\n\n<div onclick=\"steal()\">Hello</div>\n\n<script>steal()</script>\n\n\
         [Click](javascript:steal())\n",
    )
    .unwrap();
    let site_page = |extra: &[&str]| {
        let output = Command::cargo_bin("bindery")
            .unwrap()
            .current_dir(dir.path())
            .args(["build", "content", "-o", "out", "--formats", "site", "-q"])
            .args(extra)
            .output()
            .unwrap();
        assert!(
            output.status.success(),
            "{}",
            String::from_utf8_lossy(&output.stderr)
        );
        fs::read_to_string(dir.path().join("out/site/a.html")).unwrap()
    };
    assert!(site_page(&[]).contains("steal()"));
    let clean = site_page(&["--sanitize"]);
    assert!(!clean.contains("steal()"), "{clean}");
    assert!(
        clean.contains("Hello") && clean.contains("Click"),
        "{clean}"
    );
    // The same from bindery.toml (and the change of option rebuilds the page).
    assert!(site_page(&[]).contains("steal()"));
    fs::write(dir.path().join("bindery.toml"), "sanitize = true\n").unwrap();
    assert!(!site_page(&[]).contains("steal()"));
}

#[test]
fn chapters_an_mdbook_summary_names_outside_the_source_folder_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let src = dir.path().join("src");
    let outside = dir.path().join("outside");
    fs::create_dir_all(&src).unwrap();
    fs::create_dir_all(&outside).unwrap();
    fs::write(
        src.join("SUMMARY.md"),
        "# Summary\n\n- [Intro](intro.md)\n- [Secret](secret.md)\n- [Up](../outside/up.md)\n",
    )
    .unwrap();
    fs::write(src.join("intro.md"), "# Intro\n\nHello.\n").unwrap();
    fs::write(outside.join("up.md"), "# Up\n\nSECRET-MARKER\n").unwrap();
    std::os::unix::fs::symlink(outside.join("up.md"), src.join("secret.md")).unwrap();
    let run = || {
        Command::cargo_bin("bindery")
            .unwrap()
            .current_dir(dir.path())
            .args(["build", "src", "-o", "out", "--formats", "site,text"])
            .output()
            .unwrap()
    };
    // Cold and warm: the same warnings, each once.
    for attempt in ["cold", "warm"] {
        let output = run();
        let stderr = stderr_in(&output, dir.path());
        assert_eq!(output.status.code(), Some(0), "{attempt}: {stderr}");
        let warnings: Vec<&str> = stderr.lines().filter(|l| l.contains("warning:")).collect();
        assert_eq!(
            warnings,
            [
                "src/secret.md: warning: symbolic link to TMP/outside/up.md, outside the source folder; refused",
                "src/../outside/up.md: warning: resolves to TMP/outside/up.md, outside the source folder; refused",
            ],
            "{attempt}: {stderr}"
        );
    }
    for (path, bytes) in snapshot(&dir.path().join("out")) {
        assert!(
            !String::from_utf8_lossy(&bytes).contains("SECRET-MARKER"),
            "{}",
            path.display()
        );
    }
}

#[test]
fn a_new_link_target_in_one_page_rebuilds_the_pages_that_link_to_it() {
    // Page b links to an anchor page a does not have yet: the link goes to the page only.
    // When a gains the anchor (not a heading, so a's contents do not change), b must be made
    // again with the fragment: b depends on every id a link can name in a.
    let dir = tempfile::tempdir().unwrap();
    let content = dir.path().join("content");
    fs::create_dir_all(&content).unwrap();
    fs::write(content.join("a.md"), "title: A\n\nSome text.\n").unwrap();
    fs::write(
        content.join("b.md"),
        "title: B\n\nSee [the note](a.md#note).\n",
    )
    .unwrap();
    let out = dir.path().join("out");
    let run = || {
        Command::cargo_bin("bindery")
            .unwrap()
            .args(["build", "content", "-o", "out", "--formats", "site", "-q"])
            .current_dir(dir.path())
            .output()
            .unwrap()
    };
    assert!(run().status.success());
    let page_b = || fs::read_to_string(out.join("site/b.html")).unwrap();
    assert!(page_b().contains("href=\"a.html\""), "{}", page_b());

    fs::write(
        content.join("a.md"),
        "title: A\n\nSome text. <a id=\"note\"></a>A note.\n",
    )
    .unwrap();
    assert!(run().status.success());
    assert!(page_b().contains("href=\"a.html#note\""), "{}", page_b());
}

/// Blocks that the syntect fallback highlights (Ruby here; Python has a lexer) are kept in the
/// build state by content hash; an entry that does not fit its block is recomputed, never used.
#[test]
fn slow_highlighting_is_kept_by_content_and_checked_when_read_back() {
    let dir = tempfile::tempdir().unwrap();
    let src = dir.path().join("src");
    fs::create_dir_all(src.join("content")).unwrap();
    fs::create_dir_all(src.join("static")).unwrap();
    let ruby = "title: A\n\n```ruby\nputs 'hi' # greet\n```\n\n```python\nx = 1\n```\n";
    fs::write(src.join("content/a.md"), ruby).unwrap();
    fs::write(src.join("content/b.md"), "title: B\n\nText.\n").unwrap();
    let out = dir.path().join("out");
    let state_path = out.join(".bindery-state.json");
    let highlights = |path: &Path| -> serde_json::Value {
        let state: serde_json::Value = serde_json::from_slice(&fs::read(path).unwrap()).unwrap();
        state["highlights"].clone()
    };
    assert!(build(&src, &out, &["-q"]).status.success());
    let first = highlights(&state_path);
    let entries = first.as_object().unwrap();
    assert_eq!(entries.len(), 1, "only the Ruby block is kept: {first}");
    let tokens = entries.values().next().unwrap().as_array().unwrap();
    assert!(tokens.iter().any(|t| t["kind"] == "Comment"), "{first}");

    // Damage the entry (ranges past the end of the code), change another page so that the
    // EPUB is written again: the build must recompute the Ruby block, not slice with the
    // damaged ranges.
    let text = fs::read_to_string(&state_path).unwrap();
    let mut state: serde_json::Value = serde_json::from_str(&text).unwrap();
    for entry in state["highlights"].as_object_mut().unwrap().values_mut() {
        for token in entry.as_array_mut().unwrap() {
            token["end"] = serde_json::json!(100_000);
        }
    }
    fs::write(&state_path, serde_json::to_vec(&state).unwrap()).unwrap();
    fs::write(src.join("content/b.md"), "title: B\n\nOther text.\n").unwrap();
    let second = build(&src, &out, &["-q"]);
    assert!(second.status.success(), "{second:?}");
    assert_eq!(highlights(&state_path), first);
}
