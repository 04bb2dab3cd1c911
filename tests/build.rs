//! `bindery build` on the shared corpus: completeness, links, incrementality, determinism.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use assert_cmd::Command;

fn corpus() -> Option<PathBuf> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus/fullstackpython");
    if path.exists() {
        Some(path)
    } else {
        eprintln!("skipped: ../shared/corpus is not there");
        None
    }
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
        .filter(|p| p.extension().is_some_and(|e| e == "html") && !p.ends_with("index.html"))
        .collect();
    assert_eq!(pages.len(), documents.len());
    assert_eq!(
        fs::read_dir(out.join("text")).unwrap().count(),
        documents.len()
    );
    assert!(out.join("book.epub").exists());

    // The index links every page once, chapters in sortorder: 01-introduction's pages first.
    let index = fs::read_to_string(site.join("index.html")).unwrap();
    let listed: Vec<&str> = attribute_values(&index, "href")
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
