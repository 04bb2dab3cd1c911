//! mdBook sources: tests/mdbook is a small book of our own in mdBook's layout (a summary with a
//! prefix chapter, parts, nested and draft chapters, a separator and a suffix chapter; listings
//! included by range, anchor and rustdoc_include; SVG and PNG figures; links to headings and
//! to `<a id>` anchors in other chapters). It is converted by the binary, as a user would.

use std::path::{Path, PathBuf};
use std::process::Command;

#[path = "support/pdf_text.rs"]
mod pdf_text;

fn book_src() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/mdbook/src")
}

fn bindery(args: &[&str]) -> (bool, String) {
    let output = Command::new(env!("CARGO_BIN_EXE_bindery"))
        .args(args)
        .output()
        .expect("bindery runs");
    (
        output.status.success(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

fn unzip(epub: &Path, name: &str) -> String {
    let file = std::fs::File::open(epub).unwrap();
    let mut archive = zip::ZipArchive::new(file).unwrap();
    let mut entry = archive.by_name(name).unwrap();
    let mut text = String::new();
    std::io::Read::read_to_string(&mut entry, &mut text).unwrap();
    text
}

/// The text of a PDF (pages separated by form feeds); .ci/run installs poppler-utils.
fn pdf_text(pdf: &Path) -> String {
    pdf_text::pdftotext(pdf).expect("pdftotext (poppler-utils) is installed; .ci/run installs it")
}

#[test]
fn summary_gives_order_titles_parts_numbers_and_nesting_in_the_epub() {
    let dir = tempfile::tempdir().unwrap();
    let epub = dir.path().join("book.epub");
    let summary = book_src().join("SUMMARY.md");
    let (ok, stderr) = bindery(&[
        "convert",
        summary.to_str().unwrap(),
        "-o",
        epub.to_str().unwrap(),
    ]);
    assert!(ok, "{stderr}");
    // The draft is noted with its place in the summary; nothing else is reported: every image
    // is found, every include expands and every cross-link (to headings written with GitHub's
    // id rules and to an `<a id>`) resolves.
    let lines: Vec<&str> = stderr.lines().collect();
    assert_eq!(lines.len(), 1, "{stderr}");
    assert!(
        lines[0].ends_with(
            "SUMMARY.md:17:3: note: draft chapter `Plugins` has no file; it is left out"
        ),
        "{stderr}"
    );

    // The book's title, authors and language come from `book.toml` beside `src/`.
    let opf = unzip(&epub, "OEBPS/content.opf");
    assert!(
        opf.contains("<dc:title>The Bindery Guide</dc:title>"),
        "{opf}"
    );
    assert!(opf.contains(">The bindery team</dc:creator>"), "{opf}");
    assert!(opf.contains(">en</dc:language>"), "{opf}");

    let nav = unzip(&epub, "OEBPS/nav.xhtml");
    let order: Vec<&str> = nav
        .lines()
        .filter_map(|l| l.split_once("\">").map(|(_, rest)| rest))
        .filter_map(|rest| rest.split_once("</a>").map(|(title, _)| title))
        .collect();
    assert_eq!(
        &order[..9],
        [
            "Foreword",
            "Getting started",
            "1. Installation",
            "1.1. On Linux",
            "Package managers &amp; distros",
            "1.2. On macOS",
            "2. Hello, Bindery!",
            "Reference",
            "3. Configuration options",
        ],
        "{nav}"
    );
    assert!(nav.contains("<a href=\"contributors.xhtml\">Contributors</a>"));
    // Sub-chapters nest under their chapter, chapters under their part.
    let linux = nav.find("1.1. On Linux").unwrap();
    let install = nav.find("1. Installation").unwrap();
    assert!(nav[install..linux].contains("<ol>"), "{nav}");

    let hello = unzip(&epub, "OEBPS/hello.xhtml");
    // `rust,ignore` blocks are highlighted Rust: compare the code's text without its spans.
    let hello = ["c", "s", "n", "k", "f", "t", "a", "o"]
        .iter()
        .fold(hello, |h, class| {
            h.replace(&format!("<span class=\"hl-{class}\">"), "")
        })
        .replace("</span>", "");
    // The anchor's lines, rustdoc's hidden line (`use std::io::Write;`) left out.
    assert!(hello.contains("fn main() {"), "{hello}");
    assert!(!hello.contains("use std::io::Write"), "{hello}");
    assert!(!hello.contains("ANCHOR"), "{hello}");
    // The escaped directive is shown as written, without its backslash.
    assert!(hello.contains("{{#include file.rs}}"), "{hello}");
    let installation = unzip(&epub, "OEBPS/installation.xhtml");
    assert!(installation.contains("href=\"linux.xhtml#package-managers--distros\""));
    assert!(installation.contains("href=\"config.xhtml#the---verbose-flag\""));
    assert!(installation.contains("media/img/pipeline.svg"));
    let macos = unzip(&epub, "OEBPS/macos.xhtml");
    assert!(
        macos.contains("href=\"installation.xhtml#from-source\""),
        "{macos}"
    );
    assert!(installation.contains("<a id=\"from-source\"></a>"));
}

#[test]
fn summary_titles_reach_the_pdf_contents_and_running_heads() {
    let dir = tempfile::tempdir().unwrap();
    let pdf = dir.path().join("book.pdf");
    let summary = book_src().join("SUMMARY.md");
    let (ok, stderr) = bindery(&[
        "convert",
        "-q",
        summary.to_str().unwrap(),
        "-o",
        pdf.to_str().unwrap(),
    ]);
    assert!(ok, "{stderr}");
    let text = pdf_text(&pdf);
    // The title page shows the book's title from `book.toml`, not the first chapter's.
    let title_page = text.split('\u{c}').next().unwrap_or_default();
    assert!(title_page.contains("The Bindery Guide"), "{title_page}");
    for title in [
        "Foreword",
        "On Linux",
        "On macOS",
        "Hello, Bindery!",
        "Configuration options",
        "Contributors",
    ] {
        assert!(
            text.matches(title).count() >= 2,
            "`{title}` in contents and on its page:\n{text}"
        );
    }
    // Chapter files are named `installation.md`, `linux.md`: their names never show.
    assert!(
        !text.contains("installation.md") && !text.contains("\nlinux\n"),
        "{text}"
    );
    assert!(text.contains("let greeting = \"Hello, bindery!\";"));
}

#[test]
fn build_reads_the_summary_at_the_top_of_the_source_folder() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    let (ok, stderr) = bindery(&[
        "build",
        book_src().to_str().unwrap(),
        "-o",
        out.to_str().unwrap(),
        "--formats",
        "site,epub",
    ]);
    assert!(ok, "{stderr}");
    let index = std::fs::read_to_string(out.join("site/index.html")).unwrap();
    // The title is book.toml's, not the folder's (`src`).
    assert!(index.contains("<title>The Bindery Guide"), "{index}");
    let pos = |needle: &str| {
        index
            .find(needle)
            .unwrap_or_else(|| panic!("{needle}: {index}"))
    };
    assert!(pos("Foreword") < pos("Getting started"));
    assert!(pos("Getting started") < pos("On Linux"));
    assert!(pos("On Linux") < pos("Reference"));
    assert!(pos("Reference") < pos("Contributors"));
    let nav = unzip(&out.join("book.epub"), "OEBPS/nav.xhtml");
    assert!(nav.contains("1.2. On macOS"), "{nav}");

    // An edited listing rebuilds the chapter that includes it.
    let copy = dir.path().join("book");
    copy_dir(book_src().parent().unwrap(), &copy);
    let out2 = dir.path().join("out2");
    let run = || {
        bindery(&[
            "build",
            copy.join("src").to_str().unwrap(),
            "-o",
            out2.to_str().unwrap(),
            "--formats",
            "site",
        ])
    };
    assert!(run().0);
    let listing = copy.join("src/listings/hello.rs");
    let text = std::fs::read_to_string(&listing).unwrap();
    std::fs::write(&listing, text.replace("Hello, bindery!", "Hi, bindery!")).unwrap();
    let (ok, stderr) = run();
    assert!(ok, "{stderr}");
    let page = std::fs::read_to_string(out2.join("site/hello.html")).unwrap();
    assert!(page.contains("Hi, bindery!"), "{page}");
}

/// `bindery build` with no source, run in a book's root as `mdbook build` is, finds the
/// chapters in the folder `book.toml` names (here `[book] src = "text"`, not the default `src`).
#[test]
fn build_in_a_book_root_takes_the_source_folder_from_book_toml() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("book");
    copy_dir(&book_src(), &root.join("text"));
    let toml = std::fs::read_to_string(book_src().parent().unwrap().join("book.toml")).unwrap();
    assert!(toml.contains("src = \"src\""), "{toml}");
    std::fs::write(
        root.join("book.toml"),
        toml.replace("src = \"src\"", "src = \"text\""),
    )
    .unwrap();
    let output = Command::new(env!("CARGO_BIN_EXE_bindery"))
        .args(["build", "--formats", "site", "-q"])
        .current_dir(&root)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{stderr}");
    let index = std::fs::read_to_string(root.join("out/site/index.html")).unwrap();
    assert!(index.contains("<title>The Bindery Guide"), "{index}");
    assert!(root.join("out/site/hello.html").is_file());
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

/// mdBook's two listing spellings (`<span class="filename">` + `<span class="caption">`, and
/// mdbook-trpl's `<Listing>`) keep the file name and caption with their code in every output.
#[test]
fn listings_keep_file_name_and_caption_with_their_code() {
    let dir = tempfile::tempdir().unwrap();
    let summary = book_src().join("SUMMARY.md");
    let convert = |name: &str| {
        let out = dir.path().join(name);
        let (ok, stderr) = bindery(&[
            "convert",
            "-q",
            summary.to_str().unwrap(),
            "-o",
            out.to_str().unwrap(),
        ]);
        assert!(ok, "{stderr}");
        out
    };

    let epub = convert("book.epub");
    let hello = unzip(&epub, "OEBPS/hello.xhtml");
    let first = hello
        .find("<figure class=\"listing\">")
        .expect("span listing");
    let second = hello
        .find("<figure class=\"listing\" id=\"listing-2-2\">")
        .expect("<Listing> element");
    let first = &hello[first..second];
    assert!(
        first.starts_with(
            "<figure class=\"listing\">\n<p class=\"file-name\">Filename: src/main.rs</p>\n<pre>"
        ),
        "{first}"
    );
    assert!(
        first
            .contains("</pre>\n<figcaption>Listing 2-1: The whole program</figcaption>\n</figure>"),
        "{first}"
    );
    let second = &hello[second..];
    assert!(second.contains("<p class=\"file-name\">Filename: src/main.rs</p>\n<pre>"));
    assert!(
        second.contains("<figcaption>Listing 2-2: Only the <em>greeting</em></figcaption>"),
        "{second}"
    );
    // The listing's id is a link target for other chapters.
    let config = unzip(&epub, "OEBPS/config.xhtml");
    assert!(
        config.contains("href=\"hello.xhtml#listing-2-2\""),
        "{config}"
    );
    assert!(!hello.contains("Listing number="), "{hello}");

    // Plain text is made per chapter: the chapter's listings, without the include directives.
    let chapter = dir.path().join("hello.md");
    let source = std::fs::read_to_string(book_src().join("guide/hello.md")).unwrap();
    let source = source
        .replace(
            "{{#rustdoc_include ../listings/hello.rs:main}}",
            "fn main() {}",
        )
        .replace(
            "{{#include ../listings/hello.rs:5:7}}",
            "let greeting = \"Hi\";",
        );
    std::fs::write(&chapter, source).unwrap();
    let txt = dir.path().join("hello.txt");
    let (ok, stderr) = bindery(&[
        "convert",
        chapter.to_str().unwrap(),
        "-o",
        txt.to_str().unwrap(),
    ]);
    assert!(ok && stderr.is_empty(), "{stderr}");
    let text = std::fs::read_to_string(txt).unwrap();
    assert!(
        text.contains("Filename: src/main.rs\n    fn main() {}\nListing 2-1: The whole program"),
        "{text}"
    );
    assert!(
        text.contains(
            "Filename: src/main.rs\n    let greeting = \"Hi\";\nListing 2-2: Only the greeting"
        ),
        "{text}"
    );

    let pdf = convert("book.pdf");
    let printed = pdf_text(&pdf);
    let file_name = printed
        .rfind("Filename: src/main.rs")
        .expect("file name in the PDF");
    let code = printed.rfind("let greeting").expect("code in the PDF");
    let caption = printed
        .find("Listing 2-2: Only the greeting")
        .expect("caption");
    assert!(file_name < code && code < caption, "{printed}");
}

/// A link to a listing's id (`hello.md#listing-2-2`, an mdBook `<Listing>`) reaches it in the
/// PDF as in HTML and EPUB: the PDF said the target was not in it and printed the link as text.
#[test]
fn links_to_a_listing_reach_it_in_the_pdf() {
    let dir = tempfile::tempdir().unwrap();
    let summary = book_src().join("SUMMARY.md");
    let out = dir.path().join("book.pdf");
    let (ok, stderr) = bindery(&[
        "convert",
        summary.to_str().unwrap(),
        "-o",
        out.to_str().unwrap(),
    ]);
    assert!(ok, "{stderr}");
    assert!(!stderr.contains("not in this PDF"), "{stderr}");
    assert!(stderr.contains("draft chapter `Plugins`"), "{stderr}");
}
