//! Untrusted content (issue 6): scripts, frames, objects, event handlers and `javascript:` links
//! never reach EPUB or PDF output, and reach HTML output only without `--sanitize`.

use std::fs;
use std::io::Read;
use std::path::Path;
use std::process::{Command, Output};

/// A page written by a hostile author: every way of smuggling code into a page we know of.
const EVIL: &str = r#"title: Evil

Text with <span onclick="steal()">a span</span>, [a script link](javascript:alert(1)) and
[a data link](data:text/html;base64,PHNjcmlwdD4=).

<script>alert("x")</script>

<iframe src="https://evil.example/"></iframe>

<object data="evil.swf"></object>

<embed src="evil.swf">

<div onmouseover="steal()"><p>hover <a href="JavaScript:alert(2)">me</a></p></div>

<p><img src="x.png" onerror="steal()" alt="an image"></p>

<a href="  javascript:alert(3)">spaced</a> and <a href="vbscript:msgbox(4)">vb</a>

<svg onload="steal()"><script>alert(5)</script></svg>
"#;

fn bindery(dir: &Path, args: &[&str]) -> Output {
    let output = Command::new(env!("CARGO_BIN_EXE_bindery"))
        .args(args)
        .current_dir(dir)
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    output
}

fn evil_dir() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("evil.md"), EVIL).unwrap();
    dir
}

/// Every active construct found in `markup`, case-insensitively: dangerous elements,
/// event-handler attributes (` on...=`) and script or document URLs.
fn active_content(markup: &str) -> Vec<String> {
    let lower = markup.to_ascii_lowercase();
    let mut found: Vec<String> = [
        "<script",
        "<iframe",
        "<object",
        "<embed",
        "javascript:",
        "vbscript:",
        "data:text",
    ]
    .iter()
    .filter(|needle| lower.contains(*needle))
    .map(|needle| needle.to_string())
    .collect();
    // Event handlers: whitespace, `on`, letters, optional spaces, `=`.
    let bytes = lower.as_bytes();
    for (i, _) in lower.match_indices("on") {
        let before_ok = i > 0 && bytes[i - 1].is_ascii_whitespace();
        let letters = bytes[i + 2..]
            .iter()
            .take_while(|b| b.is_ascii_lowercase())
            .count();
        let rest = &lower[i + 2 + letters..];
        if before_ok && letters > 0 && rest.trim_start().starts_with('=') {
            found.push(lower[i..i + 2 + letters].to_string());
        }
    }
    found
}

#[test]
fn without_sanitize_html_keeps_the_authors_raw_html() {
    // The control for the test below: the payload does reach an unsanitized page.
    let dir = evil_dir();
    let html = bindery(dir.path(), &["convert", "evil.md", "--to", "html"]).stdout;
    let found = active_content(&String::from_utf8(html).unwrap());
    assert!(found.contains(&"<script".to_string()), "{found:?}");
    assert!(found.contains(&"<iframe".to_string()), "{found:?}");
}

#[test]
fn sanitized_html_has_no_active_content() {
    let dir = evil_dir();
    let html = bindery(
        dir.path(),
        &["convert", "evil.md", "--to", "html", "--sanitize"],
    )
    .stdout;
    let html = String::from_utf8(html).unwrap();
    assert_eq!(active_content(&html), Vec::<String>::new(), "{html}");
    // The words stay.
    assert!(html.contains("a script link") && html.contains("hover"));
}

#[test]
fn epub_has_no_active_content() {
    let dir = evil_dir();
    bindery(dir.path(), &["convert", "evil.md", "-o", "evil.epub", "-q"]);
    let bytes = fs::read(dir.path().join("evil.epub")).unwrap();
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    for i in 0..archive.len() {
        let mut entry = archive.by_index(i).unwrap();
        let mut text = String::new();
        if entry.read_to_string(&mut text).is_ok() {
            assert_eq!(
                active_content(&text),
                Vec::<String>::new(),
                "{}:\n{text}",
                entry.name()
            );
        }
    }
}

#[test]
fn epub_warns_about_each_dropped_script_link() {
    let dir = evil_dir();
    let output = bindery(dir.path(), &["convert", "evil.md", "-o", "evil.epub"]);
    let stderr = String::from_utf8(output.stderr).unwrap();
    for url in [
        "javascript:alert(1)",
        "JavaScript:alert(2)",
        "  javascript:alert(3)",
        "vbscript:msgbox(4)",
    ] {
        assert!(
            stderr.contains(&format!("`{url}`")) && !stderr.contains("not in the book"),
            "{stderr}"
        );
    }
}

/// Every string value of a `/URI` key anywhere in the PDF (link annotations' actions).
fn pdf_uris(bytes: &[u8]) -> Vec<String> {
    fn walk(object: &lopdf::Object, out: &mut Vec<String>) {
        match object {
            lopdf::Object::Dictionary(dict) => {
                for (key, value) in dict.iter() {
                    if key == b"URI"
                        && let lopdf::Object::String(s, _) = value
                    {
                        out.push(String::from_utf8_lossy(s).into_owned());
                    }
                    walk(value, out);
                }
            }
            lopdf::Object::Array(items) => items.iter().for_each(|o| walk(o, out)),
            lopdf::Object::Stream(stream) => {
                walk(&lopdf::Object::Dictionary(stream.dict.clone()), out)
            }
            _ => {}
        }
    }
    let document = lopdf::Document::load_mem(bytes).unwrap();
    let mut out = Vec::new();
    for object in document.objects.values() {
        walk(object, &mut out);
    }
    out
}

#[test]
fn pdf_has_no_script_links() {
    let dir = evil_dir();
    bindery(dir.path(), &["convert", "evil.md", "-o", "evil.pdf", "-q"]);
    let uris = pdf_uris(&fs::read(dir.path().join("evil.pdf")).unwrap());
    let active: Vec<&String> = uris
        .iter()
        .filter(|u| bindery::sanitize::is_active_url(u, false))
        .collect();
    assert!(active.is_empty(), "{active:?}");
}

#[test]
fn pdf_uri_scan_sees_ordinary_links() {
    // The control for the test above: the scan does find the links a PDF holds.
    let dir = tempfile::tempdir().unwrap();
    fs::write(
        dir.path().join("ok.md"),
        "title: Ok\n\nSee [the site](https://example.com/).\n",
    )
    .unwrap();
    bindery(dir.path(), &["convert", "ok.md", "-o", "ok.pdf", "-q"]);
    let uris = pdf_uris(&fs::read(dir.path().join("ok.pdf")).unwrap());
    assert_eq!(uris, ["https://example.com/"]);
}

/// A page with inline `<script>` and `<style>` elements inside a paragraph, whose code holds
/// Markdown syntax (emphasis, a link) that the Markdown parser would otherwise read.
const INLINE_CODE_PAGE: &str = "title: Inline code\n\nBefore <script>var zqsecret = '*zqbold*' + \
     [x](y);</script> middle <style>p { --zqstyle: red }</style> after.\n";

#[test]
fn text_inside_inline_script_and_style_is_never_shown() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("page.md"), INLINE_CODE_PAGE).unwrap();
    let text_of = |args: &[&str], out: &str| -> String {
        let output = bindery(dir.path(), args);
        assert!(output.status.success(), "{args:?}: {output:?}");
        match out {
            "-" => String::from_utf8(output.stdout).unwrap(),
            "epub" => {
                let bytes = fs::read(dir.path().join("page.epub")).unwrap();
                let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
                let mut page = String::new();
                archive
                    .by_name("OEBPS/page.xhtml")
                    .unwrap()
                    .read_to_string(&mut page)
                    .unwrap();
                page
            }
            "pdf" => {
                let output = Command::new("pdftotext")
                    .arg(dir.path().join("page.pdf"))
                    .arg("-")
                    .output()
                    .expect("pdftotext (poppler-utils) is installed");
                String::from_utf8(output.stdout).unwrap()
            }
            _ => unreachable!(),
        }
    };
    let shown = [
        (
            "text",
            text_of(&["convert", "page.md", "--to", "text", "-q"], "-"),
        ),
        (
            "sanitized HTML",
            text_of(
                &["convert", "page.md", "--to", "html", "--sanitize", "-q"],
                "-",
            ),
        ),
        (
            "EPUB",
            text_of(&["convert", "page.md", "-o", "page.epub", "-q"], "epub"),
        ),
        (
            "PDF",
            text_of(&["convert", "page.md", "-o", "page.pdf", "-q"], "pdf"),
        ),
    ];
    for (format, text) in shown {
        // The words around the elements stay; nothing from inside them shows.
        assert!(
            text.contains("Before") && text.contains("middle") && text.contains("after"),
            "{format}:\n{text}"
        );
        for code in ["zqsecret", "zqbold", "zqstyle"] {
            assert!(!text.contains(code), "{format} shows `{code}`:\n{text}");
        }
    }
    // Unsanitized HTML keeps the author's elements whole, code inside them.
    let html = text_of(&["convert", "page.md", "--to", "html", "-q"], "-");
    assert!(
        html.contains("<script>var zqsecret = '*zqbold*' + [x](y);</script>")
            && html.contains("<style>p { --zqstyle: red }</style>"),
        "{html}"
    );
}
