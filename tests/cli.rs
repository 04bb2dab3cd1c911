//! The `bindery` binary on real documents: formats, exit codes, diagnostics, safety.

use std::fs;
use std::path::{Path, PathBuf};

use assert_cmd::Command;

fn bindery() -> Command {
    Command::cargo_bin("bindery").expect("binary is built")
}

fn input(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("input")
        .join(name)
}

const SEED_MD: &str = "python-community-frontmatter.txt";

fn stdout_of(args: &[&str]) -> String {
    let output = bindery().args(args).output().unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout).unwrap()
}

#[test]
fn seed_markdown_to_html_page() {
    let seed = input(SEED_MD);
    let html = stdout_of(&["convert", seed.to_str().unwrap(), "--to", "html"]);
    assert!(html.starts_with("<!DOCTYPE html>\n<html lang=\"en\">"));
    assert!(html.contains("<title>Python Community</title>"));
    assert!(html.contains("<meta name=\"description\" content=\"Python has a global community"));
    // The body's leading "# Python Community" equals the title: shown once, not twice.
    assert_eq!(html.matches(">Python Community</h1>").count(), 1);
    // The raw <img> became an image node: percentage width as CSS, alt kept.
    assert!(
        html.contains(
            "<img src=\"/img/logos/py.png\" alt=\"Python logo.\" style=\"width: 100%;\">"
        )
    );
    assert!(html.contains("<h2 id=\"who-drives-the-python-community\">"));
    assert!(
        html.contains(
            "<a href=\"https://www.python.org/psf/\">Python Software Foundation (PSF)</a>"
        )
    );
    // toc: False in the header: no table of contents.
    assert!(!html.contains("class=\"toc\""));
}

#[test]
fn seed_markdown_to_text_shows_alt_text_and_references() {
    let seed = input(SEED_MD);
    let text = stdout_of(&["convert", seed.to_str().unwrap(), "--to", "text"]);
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines[0], "Python Community");
    assert_eq!(lines[1], "");
    assert!(lines.contains(&"Python logo."));
    assert!(lines.contains(&"Who drives the Python community?"));
    assert!(text.contains("\n  • How to have a great first PyCon[3] gives"));
    assert!(text.contains("\n[1]: https://www.python.org/psf/\n"));
    // Only the reference list may run past the width (a URL cannot be wrapped).
    assert!(
        lines
            .iter()
            .all(|l| l.chars().count() <= 80 || l.starts_with('['))
    );
}

#[test]
fn format_follows_the_output_extension_and_output_is_reproducible() {
    let dir = tempfile::tempdir().unwrap();
    let seed = input("feature-tour.md");
    for name in ["a.html", "b.html", "a.txt"] {
        bindery()
            .args(["convert", seed.to_str().unwrap(), "-o"])
            .arg(dir.path().join(name))
            .assert()
            .success();
    }
    let a = fs::read(dir.path().join("a.html")).unwrap();
    assert_eq!(a, fs::read(dir.path().join("b.html")).unwrap());
    assert!(String::from_utf8(a).unwrap().contains("<nav class=\"toc\""));
    let text = fs::read_to_string(dir.path().join("a.txt")).unwrap();
    assert!(text.starts_with("A Tour of bindery's Markdown\n\n"));
}

#[test]
fn several_inputs_write_one_output_each_into_a_directory() {
    let dir = tempfile::tempdir().unwrap();
    bindery()
        .args(["convert", "--to", "text", "-o"])
        .arg(dir.path())
        .arg(input("feature-tour.md"))
        .arg(input("yaml-header.md"))
        .assert()
        .success();
    assert!(dir.path().join("feature-tour.txt").exists());
    assert!(dir.path().join("yaml-header.txt").exists());
}

#[test]
fn stdin_to_stdout_with_forced_format() {
    let out = bindery()
        .args(["convert", "-", "--from", "md", "--fragment"])
        .write_stdin("# Hello\n\nWorld *wide*.\n")
        .output()
        .unwrap();
    assert!(out.status.success());
    // A fragment is the whole body: the first heading stays, although it is also the title.
    assert_eq!(
        String::from_utf8(out.stdout).unwrap(),
        "<h1 id=\"hello\">Hello</h1>\n<p>World <em>wide</em>.</p>\n"
    );
}

#[test]
fn missing_input_fails_with_status_1_and_names_the_file() {
    bindery()
        .args([
            "convert",
            "no-such-file.md",
            "-o",
            "/tmp/never-written.html",
        ])
        .assert()
        .code(1)
        .stderr(predicates::str::contains("no-such-file.md: cannot read"));
}

#[test]
fn usage_errors_exit_2() {
    bindery().args(["convert"]).assert().code(2);
    bindery()
        .args(["convert", "a.md", "--width", "x"])
        .assert()
        .code(2);
}

#[test]
fn refuses_to_overwrite_its_input() {
    let dir = tempfile::tempdir().unwrap();
    let page = dir.path().join("page.html");
    fs::write(&page, "title: x\n\nbody\n").unwrap();
    bindery()
        .args(["convert", "--from", "md"])
        .arg(&page)
        .arg("-o")
        .arg(&page)
        .assert()
        .code(1)
        .stderr(predicates::str::contains("would overwrite the input"));
    assert_eq!(fs::read_to_string(&page).unwrap(), "title: x\n\nbody\n");
}

#[test]
fn strict_turns_warnings_into_failure_and_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let page = dir.path().join("dup.md");
    fs::write(&page, "title: A\ntitle: B\n\nbody\n").unwrap();
    let out = dir.path().join("dup.html");
    bindery()
        .arg("convert")
        .arg(&page)
        .arg("-o")
        .arg(&out)
        .assert()
        .success()
        .stderr(predicates::str::contains(
            "dup.md:1:1: warning: duplicate key `title`",
        ));
    fs::remove_file(&out).unwrap();
    bindery()
        .arg("convert")
        .arg(&page)
        .arg("-o")
        .arg(&out)
        .arg("--strict")
        .assert()
        .code(1);
    assert!(!out.exists());
    // -q silences the warning but not the conversion.
    bindery()
        .arg("convert")
        .arg(&page)
        .arg("-o")
        .arg(&out)
        .arg("-q")
        .assert()
        .success()
        .stderr("");
}

#[test]
fn bad_input_errors_name_file_line_and_column() {
    let dir = tempfile::tempdir().unwrap();
    let cases: &[(&str, &[u8], &str)] = &[
        (
            "latin1.md",
            b"title: caf\xe9\n\nbody\n",
            "latin1.md:1:11: error: the file is not valid UTF-8 (invalid byte 0xe9 at byte offset 10)",
        ),
        (
            "yaml.md",
            b"---\ntitle: x\nlist: [a, b\n---\nbody\n",
            "yaml.md:4:",
        ),
        (
            "open.md",
            b"---\ntitle: x\n",
            "open.md:1:1: error: the front matter opened with `---` is never closed",
        ),
        (
            "header.md",
            b"title: x\nno header line here\n\nbody\n",
            "header.md:2:1: error: this line is inside the header but is not `key: value`",
        ),
    ];
    for (name, bytes, expected) in cases {
        let path = dir.path().join(name);
        fs::write(&path, bytes).unwrap();
        let out = bindery()
            .current_dir(dir.path())
            .args(["convert", name, "-o", "out.html"])
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "{name}: {stderr}");
        assert!(stderr.starts_with(expected), "{name}: {stderr}");
        assert!(
            !dir.path().join("out.html").exists(),
            "{name} left an output"
        );
    }
}

#[test]
fn empty_file_is_an_empty_document_titled_after_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("empty-notes.md");
    fs::write(&path, "").unwrap();
    let html = stdout_of(&["convert", path.to_str().unwrap()]);
    assert!(html.contains("<title>empty-notes</title>"));
}

#[test]
fn metadata_override_template_and_css() {
    let dir = tempfile::tempdir().unwrap();
    let template = dir.path().join("t.html");
    fs::write(
        &template,
        "[{{ title }}|{{ lang }}|{{ sidebar_title }}]\n{{ body }}",
    )
    .unwrap();
    let css = dir.path().join("s.css");
    fs::write(&css, "body { color: red }").unwrap();
    let seed = input(SEED_MD);
    let out = stdout_of(&[
        "convert",
        seed.to_str().unwrap(),
        "-M",
        "lang=fr",
        "--template",
        template.to_str().unwrap(),
    ]);
    assert!(
        out.starts_with("[Python Community|fr|Python Community]\n<p>The Python"),
        "{out}"
    );
    let styled = stdout_of(&[
        "convert",
        seed.to_str().unwrap(),
        "--css",
        css.to_str().unwrap(),
    ]);
    assert!(styled.contains("body { color: red }"));
}

#[test]
fn plain_text_seed_round_trips_through_the_model_unwrapped() {
    // Reading the plain-text variant and writing plain text without wrapping gives the file
    // back: the reader recovered every heading, list and paragraph the writer lays out again.
    let seed = input("python-community-plaintext.txt");
    let text = stdout_of(&[
        "convert",
        seed.to_str().unwrap(),
        "--to",
        "text",
        "--width",
        "0",
    ]);
    let original = fs::read_to_string(&seed).unwrap();
    assert_eq!(text.trim_end(), original.trim_end());
}

#[test]
fn links_to_pages_outside_the_book_are_reported_unless_told_not_to() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(
        dir.path().join("a.md"),
        "title: A\n\nSee [b](b.html) and\n[elsewhere](/missing.html).\n",
    )
    .unwrap();
    fs::write(
        dir.path().join("b.md"),
        "title: B\n\nBack to [a](/a.html).\n",
    )
    .unwrap();
    let run = |extra: &[&str]| {
        let output = bindery()
            .current_dir(dir.path())
            .args(["convert", "a.md", "b.md", "-o", "book.epub"])
            .args(extra)
            .output()
            .unwrap();
        assert!(output.status.success());
        String::from_utf8(output.stderr).unwrap()
    };
    // The report names the file, line and column of the one broken link, and nothing else.
    let report = run(&[]);
    assert_eq!(
        report.lines().next().unwrap(),
        "a.md:4:1: warning: link `/missing.html` points to a page that is not in the book; it becomes plain text"
    );
    assert_eq!(report.matches("warning:").count(), 1, "{report}");
    assert_eq!(run(&["--no-check-links"]), "");
}

/// Runs `bindery ARGS` in `dir`: exit status and standard error.
fn run_in(dir: &Path, args: &[&str]) -> (Option<i32>, String) {
    let output = bindery().current_dir(dir).args(args).output().unwrap();
    (
        output.status.code(),
        String::from_utf8(output.stderr).unwrap(),
    )
}

/// Every file in `dir`, by name.
fn files_in(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

fn two_pages() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("a.md"), "# Alpha\n\nFirst.\n").unwrap();
    fs::write(dir.path().join("b.md"), "title: Beta\n\nSecond.\n").unwrap();
    dir
}

#[test]
fn an_output_folder_with_one_input_is_written_into() {
    let dir = two_pages();
    // A trailing slash: the folder is made.
    assert_eq!(
        run_in(dir.path(), &["convert", "a.md", "-o", "new/"]),
        (Some(0), String::new())
    );
    assert_eq!(files_in(&dir.path().join("new")), ["a.html"]);
    // An existing folder, without the slash.
    fs::create_dir(dir.path().join("out")).unwrap();
    let (code, stderr) = run_in(
        dir.path(),
        &["convert", "a.md", "-o", "out", "--to", "text"],
    );
    assert_eq!((code, stderr.as_str()), (Some(0), ""));
    assert_eq!(files_in(&dir.path().join("out")), ["a.txt"]);
    assert!(
        fs::read_to_string(dir.path().join("out/a.txt"))
            .unwrap()
            .starts_with("Alpha\n")
    );
}

#[test]
fn inputs_with_one_stem_never_overwrite_each_other_in_a_folder() {
    let dir = tempfile::tempdir().unwrap();
    for folder in ["a", "b"] {
        fs::create_dir(dir.path().join(folder)).unwrap();
        fs::write(dir.path().join(folder).join("index.md"), "# Page\n").unwrap();
    }
    let (code, stderr) = run_in(
        dir.path(),
        &["convert", "a/index.md", "b/index.md", "-o", "out/"],
    );
    assert_eq!(code, Some(2), "{stderr}");
    assert_eq!(
        stderr,
        "error: a/index.md and b/index.md would both be written to index.html in the output \
         folder; convert them into different folders (one command each), or rename one\n"
    );
    // Nothing is written.
    assert!(!dir.path().join("out").exists());
}

#[test]
fn several_inputs_into_one_single_file_path_are_refused() {
    let dir = two_pages();
    for name in ["both.html", "both.txt"] {
        let (code, stderr) = run_in(dir.path(), &["convert", "a.md", "b.md", "-o", name]);
        let format = if name.ends_with("html") {
            "html"
        } else {
            "txt"
        };
        assert_eq!(code, Some(2), "{stderr}");
        assert_eq!(
            stderr,
            format!(
                "error: {name}: 2 inputs cannot go into one {format} file; give a folder (-o \
                 DIR/) for one output per input, or name an .epub or .pdf file to make one book\n"
            )
        );
    }
    assert_eq!(files_in(dir.path()), ["a.md", "b.md"]);
}

#[test]
fn an_unknown_output_extension_is_a_usage_error_and_a_mismatch_a_warning() {
    let dir = two_pages();
    let (code, stderr) = run_in(dir.path(), &["convert", "a.md", "-o", "page.docx"]);
    assert_eq!(code, Some(2));
    assert_eq!(
        stderr,
        "error: page.docx: unknown output extension `.docx`; use .html, .htm, .xhtml, .txt, \
         .text, .epub, .pdf, or say which format to write with --to html|text|epub|pdf\n"
    );
    assert!(!dir.path().join("page.docx").exists());
    let (code, stderr) = run_in(
        dir.path(),
        &["convert", "a.md", "--to", "text", "-o", "x.html"],
    );
    assert_eq!(code, Some(0));
    assert_eq!(
        stderr,
        "warning: x.html: --to writes plain text into a file whose extension `.html` says HTML\n"
    );
    assert!(
        fs::read_to_string(dir.path().join("x.html"))
            .unwrap()
            .starts_with("Alpha\n")
    );
}

#[test]
fn standard_input_named_twice_is_refused() {
    let output = bindery()
        .args(["convert", "-", "-"])
        .write_stdin("# Once\n")
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert_eq!(
        String::from_utf8(output.stderr).unwrap(),
        "error: standard input (`-`) is named 2 times; it can be read only once\n"
    );
    assert!(output.stdout.is_empty());
}

#[test]
fn a_missing_file_named_by_an_option_is_exit_status_1_like_a_missing_input() {
    let dir = two_pages();
    let cases: &[(&[&str], &str)] = &[
        (&["--css", "gone.css", "-o", "a.html"], "gone.css"),
        (&["--template", "gone.html", "-o", "a.html"], "gone.html"),
        (&["--font-dir", "gone-fonts", "-o", "a.pdf"], "gone-fonts"),
        (&["--cover", "gone.png", "-o", "a.epub"], "gone.png"),
    ];
    for (options, missing) in cases {
        let mut args = vec!["convert", "a.md"];
        args.extend_from_slice(options);
        let (code, stderr) = run_in(dir.path(), &args);
        assert_eq!(code, Some(1), "{options:?}: {stderr}");
        assert_eq!(
            stderr,
            format!("error: {missing}: cannot read: No such file or directory (os error 2)\n")
        );
    }
    assert_eq!(files_in(dir.path()), ["a.md", "b.md"]);
}

#[test]
fn many_warnings_are_folded_by_kind_and_summed_up() {
    let content = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../shared/corpus/fullstackpython/content/pages");
    let mut pages = Vec::new();
    for part in fs::read_dir(&content).expect("the shared corpus is at ../shared/corpus") {
        for page in fs::read_dir(part.unwrap().path()).unwrap() {
            let path = page.unwrap().path();
            if path.extension().is_some_and(|e| e == "markdown") {
                pages.push(path);
            }
        }
    }
    let dir = tempfile::tempdir().unwrap();
    let run = |extra: &[&str]| {
        let output = bindery()
            .arg("convert")
            .args(&pages)
            .args(["--sort", "-o"])
            .arg(dir.path().join("book.epub"))
            .args(extra)
            .output()
            .unwrap();
        assert_eq!(output.status.code(), Some(0));
        String::from_utf8(output.stderr).unwrap()
    };
    // The README's book example without --resource-path.
    let folded = run(&[]);
    let tail: Vec<&str> = folded.lines().rev().take(3).collect();
    assert_eq!(
        tail,
        [
            "bindery: 664 warnings (608 links to pages outside the book, 56 missing images)",
            "... and 36 more missing images; --verbose lists all",
            "... and 588 more links to pages outside the book; --verbose lists all",
        ]
    );
    assert_eq!(folded.matches(": warning: ").count(), 40);
    let all = run(&["--verbose"]);
    assert_eq!(all.matches(": warning: ").count(), 664);
    assert!(!all.contains("--verbose lists all"));
    assert!(all.ends_with(
        "bindery: 664 warnings (608 links to pages outside the book, 56 missing images)\n"
    ));
}

#[test]
fn warnings_of_several_inputs_are_folded_and_summed_up_over_the_whole_run() {
    let dir = tempfile::tempdir().unwrap();
    let mut args = vec!["convert".to_string()];
    for i in 0..25 {
        let name = format!("p{i:02}.md");
        fs::write(dir.path().join(&name), "title: A\ntitle: B\n\nBody.\n").unwrap();
        args.push(name);
    }
    args.extend(["--to", "html", "-o", "out/"].map(String::from));
    let output = bindery()
        .current_dir(dir.path())
        .args(&args)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0));
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert_eq!(
        stderr.matches(": warning: duplicate key `title`").count(),
        20
    );
    assert!(
        stderr.ends_with(
            "... and 5 more header problems; --verbose lists all\n\
             bindery: 25 warnings (25 header problems)\n"
        ),
        "{stderr}"
    );
    assert_eq!(files_in(&dir.path().join("out")).len(), 25);
}
