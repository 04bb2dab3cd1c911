//! The EPUB writer, checked on the unzipped result: container layout, well-formed XHTML,
//! manifest completeness, navigation, links between chapters, metadata and reproducibility.

use std::collections::{BTreeMap, HashSet};
use std::io::Read;
use std::path::{Path, PathBuf};

use bindery::book::{Book, BookOptions};
use bindery::meta::Meta;
use bindery::read::{ReadOptions, read_document};
use bindery::write::epub::{EpubOptions, epub};
use bindery::{Diagnostic, Warnings};

const PNG: &[u8] = &[
    0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x48, 0x44, 0x52,
    0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x08, 0x06, 0x00, 0x00, 0x00, 0x1f, 0x15, 0xc4,
    0x89, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x44, 0x41, 0x54, 0x78, 0x9c, 0x63, 0xf8, 0xcf, 0xc0, 0xf0,
    0x1f, 0x00, 0x05, 0x00, 0x01, 0xff, 0x89, 0x99, 0x3d, 0x1d, 0x00, 0x00, 0x00, 0x00, 0x49, 0x45,
    0x4e, 0x44, 0xae, 0x42, 0x60, 0x82,
];

/// Parses XML, allowing the `<!DOCTYPE html>` of XHTML content documents.
fn parse_xml(text: &str) -> Result<roxmltree::Document<'_>, roxmltree::Error> {
    let options = roxmltree::ParsingOptions {
        allow_dtd: true,
        ..roxmltree::ParsingOptions::default()
    };
    roxmltree::Document::parse_with_options(text, options)
}

/// An unzipped EPUB.
struct Unzipped {
    names: Vec<String>,
    files: BTreeMap<String, Vec<u8>>,
}

impl Unzipped {
    fn new(bytes: &[u8]) -> Unzipped {
        let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
        let mut names = Vec::new();
        let mut files = BTreeMap::new();
        for i in 0..archive.len() {
            let mut file = archive.by_index(i).unwrap();
            let mut content = Vec::new();
            file.read_to_end(&mut content).unwrap();
            if i == 0 {
                assert_eq!(file.name(), "mimetype");
                assert_eq!(file.compression(), zip::CompressionMethod::Stored);
            }
            names.push(file.name().to_string());
            files.insert(file.name().to_string(), content);
        }
        Unzipped { names, files }
    }

    fn text(&self, name: &str) -> &str {
        std::str::from_utf8(
            self.files
                .get(name)
                .unwrap_or_else(|| panic!("{name} missing")),
        )
        .unwrap()
    }

    /// Manifest hrefs (relative to OEBPS/) with their media types and properties.
    fn manifest(&self) -> BTreeMap<String, (String, String)> {
        let opf = self.text("OEBPS/content.opf");
        let doc = parse_xml(opf).unwrap();
        doc.descendants()
            .filter(|n| n.has_tag_name("item"))
            .map(|n| {
                (
                    n.attribute("href").unwrap().to_string(),
                    (
                        n.attribute("media-type").unwrap().to_string(),
                        n.attribute("properties").unwrap_or("").to_string(),
                    ),
                )
            })
            .collect()
    }

    fn chapters(&self) -> Vec<&str> {
        self.names
            .iter()
            .map(String::as_str)
            .filter(|n| {
                n.ends_with(".xhtml")
                    && !n.ends_with("/nav.xhtml")
                    && !n.ends_with("/cover.xhtml")
                    && !n.ends_with("/toc.xhtml")
                    && !n.starts_with("OEBPS/part-")
            })
            .collect()
    }
}

/// Every check that holds for any book bindery writes.
fn check_structure(epub: &Unzipped) {
    assert_eq!(epub.text("mimetype"), "application/epub+zip");
    let manifest = epub.manifest();
    for name in &epub.names {
        if let Some(href) = name.strip_prefix("OEBPS/")
            && !matches!(href, "content.opf")
        {
            assert!(manifest.contains_key(href), "{href} is not in the manifest");
        }
    }
    // Every content document is well-formed XML with unique ids; every image it shows is in
    // the manifest with an image media type; every internal link lands on an existing id.
    let mut ids_by_file: BTreeMap<String, HashSet<String>> = BTreeMap::new();
    let mut links: Vec<(String, String)> = Vec::new();
    for (name, bytes) in &epub.files {
        if !name.ends_with(".xhtml") {
            continue;
        }
        let text = std::str::from_utf8(bytes).unwrap();
        let doc = parse_xml(text).unwrap_or_else(|e| panic!("{name} is not well-formed: {e}"));
        let mut ids = HashSet::new();
        for node in doc.descendants().filter(|n| n.is_element()) {
            if let Some(id) = node.attribute("id") {
                assert!(ids.insert(id.to_string()), "{name}: duplicate id {id}");
            }
            if node.has_tag_name("img") {
                let src = node.attribute("src").unwrap();
                let (media_type, _) = manifest
                    .get(src)
                    .unwrap_or_else(|| panic!("{name}: image {src} not in the manifest"));
                assert!(media_type.starts_with("image/"), "{src}: {media_type}");
                assert!(
                    node.attribute("width")
                        .is_none_or(|w| w.bytes().all(|b| b.is_ascii_digit())),
                    "{name}: width must be pixels"
                );
            }
            if node.has_tag_name("a")
                && let Some(href) = node.attribute("href")
                && !href.contains(':')
            {
                links.push((name.clone(), href.to_string()));
            }
        }
        ids_by_file.insert(name.clone(), ids);
    }
    for (from, href) in links {
        let (file, fragment) = href.split_once('#').unwrap_or((&href, ""));
        let file = if file.is_empty() {
            from.clone()
        } else {
            format!("OEBPS/{file}")
        };
        let ids = ids_by_file
            .get(&file)
            .unwrap_or_else(|| panic!("{from}: link {href} to a missing file"));
        assert!(
            fragment.is_empty() || ids.contains(fragment),
            "{from}: link {href} to a missing id"
        );
    }
    // The OPF has unique ids too (the epub-builder 0.8.3 language/author defect).
    let opf = parse_xml(epub.text("OEBPS/content.opf")).unwrap();
    let mut ids = HashSet::new();
    for node in opf.descendants() {
        if let Some(id) = node.attribute("id") {
            assert!(ids.insert(id), "content.opf: duplicate id {id}");
        }
    }
}

/// The nav lists every chapter and every level-2 heading of each.
fn check_nav(epub: &Unzipped, chapters: &[(String, Vec<String>)]) {
    let nav = epub.text("OEBPS/nav.xhtml");
    let doc = parse_xml(nav).unwrap();
    let hrefs: HashSet<&str> = doc
        .descendants()
        .filter(|n| n.has_tag_name("a"))
        .filter_map(|n| n.attribute("href"))
        .collect();
    for (file, h2_ids) in chapters {
        assert!(hrefs.contains(file.as_str()), "nav lacks {file}");
        for id in h2_ids {
            let href = format!("{file}#{id}");
            assert!(hrefs.contains(href.as_str()), "nav lacks {href}");
        }
    }
    let ncx = epub.text("OEBPS/toc.ncx");
    parse_xml(ncx).unwrap();
    for (file, _) in chapters {
        assert!(
            ncx.contains(&format!("src=\"{file}\"")),
            "toc.ncx lacks {file}"
        );
    }
}

/// The chapters' files and level-2 heading ids, from the XHTML itself.
fn chapter_headings(epub: &Unzipped) -> Vec<(String, Vec<String>)> {
    epub.chapters()
        .into_iter()
        .map(|name| {
            let doc = parse_xml(epub.text(name)).unwrap();
            let ids = doc
                .descendants()
                .filter(|n| n.has_tag_name("h2"))
                .filter_map(|n| n.attribute("id").map(String::from))
                .collect();
            (name.strip_prefix("OEBPS/").unwrap().to_string(), ids)
        })
        .collect()
}

fn write(dir: &Path, name: &str, bytes: &[u8]) -> PathBuf {
    let path = dir.join(name);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(&path, bytes).unwrap();
    path
}

fn build(
    paths: &[PathBuf],
    options: &BookOptions,
    epub_options: &EpubOptions,
) -> (Vec<u8>, Warnings) {
    let mut warnings = Vec::new();
    let docs = paths
        .iter()
        .map(|path| {
            let bytes = std::fs::read(path).unwrap();
            let doc = read_document(path, &bytes, &ReadOptions::default(), &mut warnings).unwrap();
            (path.clone(), doc)
        })
        .collect();
    let book = Book::assemble(docs, options, &mut warnings).unwrap();
    let bytes = epub(&book, epub_options, &mut warnings).unwrap();
    (bytes, warnings)
}

const ONE: &str = "title: Python Community\nslug: python-community\nauthor: Ann Author\n\
lang: en\nsortorder: 0101\n\n\
Intro with <img src=\"/img/logo.png\" width=\"100%\" alt=\"Python logo.\"> and &copy; &mdash;.\n\n\
## Meetups\n\nSee [the ORM](/django.html#orm), [Django](django.html) and \
[missing](/flask.html) and [fragment](#meetups).[^1]\n\n\
<script>alert(1)</script>\n\n\
![remote](https://example.com/x.png)\n\n\
```python\ndef f():\n~~    return 1\n```\n\n\
| a | b |\n|:--|--:|\n| 1 | 2 |\n\n\
[^1]: A note.\n";

const TWO: &str = "title: Django\nslug: django\nsortorder: 0102\n\n\
## ORM\n\nBack to [meetups](01-one.markdown#meetups).\n\n## Resources\n\n<br>Text<hr>\n";

fn fixture() -> (tempfile::TempDir, Vec<PathBuf>, BookOptions) {
    let dir = tempfile::tempdir().unwrap();
    let one = write(dir.path(), "content/01-one.markdown", ONE.as_bytes());
    let two = write(dir.path(), "content/02-two.markdown", TWO.as_bytes());
    write(dir.path(), "static/img/logo.png", PNG);
    write(dir.path(), "static/cover.png", PNG);
    let options = BookOptions {
        resource_paths: vec![dir.path().join("static")],
        meta: Meta {
            title: Some("A <Book> & more".into()),
            authors: vec!["Ann Author".into(), "Bo Writer".into()],
            subtitle: Some("The subtitle".into()),
            publisher: Some("Pub & Co".into()),
            cover: Some(dir.path().join("static/cover.png").display().to_string()),
            ..Meta::default()
        },
        ..BookOptions::default()
    };
    (dir, vec![one, two], options)
}

#[test]
fn a_book_unzips_into_valid_linked_chapters() {
    let (_dir, paths, options) = fixture();
    let epub_options = EpubOptions {
        inline_toc: true,
        modified: Some(1_700_000_000),
        ..EpubOptions::default()
    };
    let (bytes, warnings) = build(&paths, &options, &epub_options);
    let epub = Unzipped::new(&bytes);
    check_structure(&epub);
    let headings = chapter_headings(&epub);
    assert_eq!(
        headings,
        [
            (
                "python-community.xhtml".to_string(),
                vec!["meetups".to_string()]
            ),
            (
                "django.xhtml".to_string(),
                vec!["orm".to_string(), "resources".to_string()]
            ),
        ]
    );
    check_nav(&epub, &headings);

    let one = epub.text("OEBPS/python-community.xhtml");
    assert!(one.contains("href=\"django.xhtml#orm\""), "{one}");
    assert!(one.contains("href=\"django.xhtml\""));
    assert!(one.contains("href=\"python-community.xhtml#meetups\""));
    assert!(!one.contains("flask"), "outside links become text");
    assert!(one.contains("missing"));
    assert!(!one.contains("<script"), "raw HTML is dropped");
    assert!(one.contains("© —"), "entities are characters");
    assert!(
        one.contains("style=\"width: 100%;\""),
        "width=100% becomes CSS"
    );
    assert!(
        one.contains("<span class=\"hll\">"),
        "highlighted lines are marked"
    );
    assert!(one.contains("<a href=\"https://example.com/x.png\">remote</a>"));
    let two = epub.text("OEBPS/django.xhtml");
    assert!(two.contains("href=\"python-community.xhtml#meetups\""));

    let messages: Vec<String> = warnings.iter().map(Diagnostic::to_string).collect();
    let joined = messages.join("\n");
    assert!(joined.contains("/flask.html"), "{joined}");
    assert!(joined.contains("<script>"), "{joined}");
    assert!(joined.contains("remote image"), "{joined}");
    assert_eq!(messages.len(), 3, "{joined}");

    // Images and cover.
    let manifest = epub.manifest();
    assert_eq!(manifest["media/img/logo.png"].0, "image/png");
    assert_eq!(
        manifest["media/cover.png"],
        ("image/png".into(), "cover-image".into())
    );
    let opf = epub.text("OEBPS/content.opf");
    assert!(opf.contains("<meta name=\"cover\" content=\"cover-image\"/>"));
    assert!(
        epub.text("OEBPS/cover.xhtml")
            .contains("src=\"media/cover.png\"")
    );
    assert!(
        epub.files.contains_key("OEBPS/toc.xhtml"),
        "inline contents page"
    );
    let nav = epub.text("OEBPS/nav.xhtml");
    assert!(
        nav.contains("\"landmarks\"") && nav.contains("bodymatter"),
        "{nav}"
    );
    assert!(
        nav.contains("<a epub:type=\"cover\" href=\"cover.xhtml\">"),
        "{nav}"
    );
    assert!(nav.contains("lang=\"en\""));
}

#[test]
fn metadata_is_complete_and_language_and_author_ids_differ() {
    let (_dir, paths, mut options) = fixture();
    options.meta.identifier = Some("urn:isbn:9780000000000".into());
    options.meta.rights = Some("CC BY-SA".into());
    options.meta.date = Some("2020-02-03".into());
    options.meta.description = Some("About Python.".into());
    options.meta.tags = vec!["python".into(), "web".into()];
    let epub_options = EpubOptions {
        modified: Some(0),
        ..EpubOptions::default()
    };
    let (bytes, _) = build(&paths, &options, &epub_options);
    let epub = Unzipped::new(&bytes);
    let opf = epub.text("OEBPS/content.opf");
    let doc = parse_xml(opf).unwrap();
    let texts = |tag: &str| -> Vec<String> {
        doc.descendants()
            .filter(|n| n.tag_name().name() == tag)
            .map(|n| n.text().unwrap_or("").to_string())
            .collect()
    };
    assert_eq!(texts("title"), ["A <Book> & more", "The subtitle"]);
    assert_eq!(texts("creator"), ["Ann Author", "Bo Writer"]);
    assert_eq!(texts("language"), ["en"]);
    assert_eq!(texts("identifier"), ["urn:isbn:9780000000000"]);
    assert_eq!(texts("publisher"), ["Pub & Co"]);
    assert_eq!(texts("rights"), ["CC BY-SA"]);
    assert_eq!(texts("subject"), ["python", "web"]);
    assert_eq!(texts("description"), ["About Python."]);
    assert_eq!(texts("date"), ["2020-02-03T00:00:00Z"]);
    assert!(opf.contains("<meta property=\"dcterms:modified\">1970-01-01T00:00:00Z</meta>"));
    // The workaround for epub-builder 0.8.3: a language and an author share no id.
    let language_id = doc
        .descendants()
        .find(|n| n.tag_name().name() == "language")
        .and_then(|n| n.attribute("id"))
        .unwrap();
    let creator_ids: Vec<&str> = doc
        .descendants()
        .filter(|n| n.tag_name().name() == "creator")
        .filter_map(|n| n.attribute("id"))
        .collect();
    assert!(!creator_ids.contains(&language_id), "{opf}");
    check_structure(&epub);
}

#[test]
fn the_same_input_gives_the_same_bytes() {
    let (_dir, paths, options) = fixture();
    let epub_options = EpubOptions::default();
    let (a, _) = build(&paths, &options, &epub_options);
    let (b, _) = build(&paths, &options, &epub_options);
    assert!(a == b, "two builds differ");
    // The identifier is a UUID v5 of the title and slugs, stable across builds.
    let opf = Unzipped::new(&a).text("OEBPS/content.opf").to_string();
    assert!(opf.contains("urn:uuid:"), "{opf}");
}

#[test]
fn one_document_makes_a_one_chapter_book() {
    let (dir, paths, _) = fixture();
    let options = BookOptions {
        resource_paths: vec![dir.path().join("static")],
        ..BookOptions::default()
    };
    let (bytes, warnings) = build(&paths[1..], &options, &EpubOptions::default());
    let epub = Unzipped::new(&bytes);
    check_structure(&epub);
    let headings = chapter_headings(&epub);
    assert_eq!(headings.len(), 1);
    check_nav(&epub, &headings);
    // The link to the page that is not in this book became text, with a warning.
    assert!(!epub.text("OEBPS/django.xhtml").contains("01-one"));
    assert_eq!(warnings.len(), 1, "{warnings:?}");
    let opf = epub.text("OEBPS/content.opf");
    assert!(opf.contains("<dc:title>Django</dc:title>"));
    assert!(
        opf.contains("<dc:language id=\"epub-language-0\">en</dc:language>"),
        "{opf}"
    );
}

#[test]
fn folders_become_parts_when_asked() {
    let dir = tempfile::tempdir().unwrap();
    let paths = [
        write(
            dir.path(),
            "01-intro/a.md",
            b"title: A\n\n## One\n\nText.\n",
        ),
        write(dir.path(), "01-intro/b.md", b"title: B\n\nText.\n"),
        write(
            dir.path(),
            "02-web_apps/c.md",
            b"title: C\n\n## Two\n\nText.\n",
        ),
    ];
    let epub_options = EpubOptions {
        parts: true,
        ..EpubOptions::default()
    };
    let (bytes, warnings) = build(&paths, &BookOptions::default(), &epub_options);
    assert!(warnings.is_empty(), "{warnings:?}");
    let epub = Unzipped::new(&bytes);
    check_structure(&epub);
    let headings = chapter_headings(&epub);
    check_nav(&epub, &headings);
    assert!(epub.text("OEBPS/part-1.xhtml").contains(">Intro</h1>"));
    assert!(epub.text("OEBPS/part-2.xhtml").contains(">Web apps</h1>"));
    // Chapters nest under their part in the nav: part, chapter, heading.
    let nav = parse_xml(epub.text("OEBPS/nav.xhtml"))
        .unwrap()
        .descendants()
        .filter(|n| n.has_tag_name("a"))
        .map(|n| {
            let depth = n.ancestors().filter(|a| a.has_tag_name("ol")).count();
            format!("{depth} {}", n.attribute("href").unwrap())
        })
        .collect::<Vec<_>>();
    assert_eq!(
        nav[..6],
        [
            "1 part-1.xhtml",
            "2 a.xhtml",
            "3 a.xhtml#one",
            "2 b.xhtml",
            "1 part-2.xhtml",
            "2 c.xhtml"
        ]
    );
    let spine_first = epub.text("OEBPS/content.opf");
    assert!(
        spine_first.contains("<reference type=\"text\" title=\"Intro\" href=\"part-1.xhtml\"/>")
    );
}

/// The shared corpus as one book (it must be beside the repository, in `../shared`).
#[test]
fn the_shared_corpus_as_one_book() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus/fullstackpython");
    assert!(root.exists(), "{} not found", root.display());
    let mut paths = Vec::new();
    let mut stack = vec![root.join("content")];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == "markdown") {
                paths.push(path);
            }
        }
    }
    let options = BookOptions {
        sort: true,
        resource_paths: vec![root.join("static")],
        meta: Meta {
            title: Some("Full Stack Python".into()),
            ..Meta::default()
        },
        ..BookOptions::default()
    };
    let (bytes, warnings) = build(&paths, &options, &EpubOptions::default());
    let epub = Unzipped::new(&bytes);
    check_structure(&epub);
    let headings = chapter_headings(&epub);
    assert_eq!(headings.len(), paths.len());
    check_nav(&epub, &headings);
    // The one intentionally missing image is a warning, not a broken reference.
    let missing: Vec<_> = warnings
        .iter()
        .filter(|w| w.message.contains("not found"))
        .collect();
    assert_eq!(missing.len(), 1, "{missing:?}");
}

#[test]
fn file_names_come_from_usable_slugs_and_are_bounded() {
    let dir = tempfile::tempdir().unwrap();
    let long = "a".repeat(10_000);
    let pages = [
        ("empty.md", "title: Empty\nslug:\n\nText.\n".to_string()),
        ("dots.md", "title: Dots\nslug: ..\n\nText.\n".to_string()),
        ("marks.md", "title: Marks\nslug: ???\n\nText.\n".to_string()),
        ("long.md", format!("title: Long\nslug: {long}\n\nText.\n")),
        (
            "longer.md",
            format!("title: Longer\nslug: {long}b\n\nText.\n"),
        ),
    ];
    let paths: Vec<PathBuf> = pages
        .iter()
        .map(|(name, text)| write(dir.path(), name, text.as_bytes()))
        .collect();
    let (bytes, warnings) = build(&paths, &BookOptions::default(), &EpubOptions::default());
    let epub = Unzipped::new(&bytes);
    check_structure(&epub);
    let chapters: Vec<&str> = epub
        .names
        .iter()
        .filter_map(|n| n.strip_prefix("OEBPS/")?.strip_suffix(".xhtml"))
        .filter(|n| !["nav", "toc", "cover"].contains(n))
        .collect();
    // The unusable slugs fall back to the file name; the long ones keep 100 bytes and a hash
    // of the whole value, so two long slugs that share their first 100 bytes stay apart.
    let cut = "a".repeat(100);
    assert_eq!(chapters.len(), 5, "{chapters:?}");
    for name in ["empty", "dots", "marks"] {
        assert!(chapters.contains(&name), "{chapters:?}");
    }
    let long_names: Vec<&&str> = chapters.iter().filter(|n| n.starts_with(&cut)).collect();
    assert_eq!(long_names.len(), 2, "{chapters:?}");
    assert_ne!(long_names[0], long_names[1]);
    assert!(long_names.iter().all(|n| n.len() == 109), "{long_names:?}");
    let messages: Vec<String> = warnings.iter().map(Diagnostic::to_string).collect();
    assert_eq!(
        messages
            .iter()
            .filter(|m| m.contains("has no letters or digits"))
            .count(),
        2,
        "{messages:#?}"
    );
    assert_eq!(
        messages
            .iter()
            .filter(|m| m.contains("is 10000 bytes long") || m.contains("is 10001 bytes long"))
            .count(),
        2,
        "{messages:#?}"
    );
    // `unzip -t` accepts the archive (the 10 KB slug used to give one it rejects).
    let file = write(dir.path(), "book.epub", &bytes);
    let status = std::process::Command::new("unzip")
        .arg("-tq")
        .arg(&file)
        .status()
        .expect("unzip is installed");
    assert!(status.success());
}

#[test]
fn invalid_language_and_empty_values_never_reach_the_package() {
    let dir = tempfile::tempdir().unwrap();
    let page = write(
        dir.path(),
        "page.md",
        b"title:\ncategory:\nlang: en, fr\n\n# Heading title\n\nText.\n",
    );
    let (bytes, warnings) = build(&[page], &BookOptions::default(), &EpubOptions::default());
    let epub = Unzipped::new(&bytes);
    let opf = epub.text("OEBPS/content.opf");
    let doc = parse_xml(opf).unwrap();
    let text_of = |tag: &str| -> Vec<String> {
        doc.descendants()
            .filter(|n| n.tag_name().name() == tag)
            .map(|n| n.text().unwrap_or("").to_string())
            .collect()
    };
    assert_eq!(text_of("language"), ["en"]);
    assert_eq!(text_of("title"), ["Heading title"]);
    assert_eq!(text_of("subject"), Vec::<String>::new());
    assert!(!epub.text("OEBPS/page.xhtml").contains("en, fr"));
    assert!(
        warnings
            .iter()
            .any(|w| w.to_string().contains("must be a BCP 47 language tag")),
        "{warnings:?}"
    );
}

#[test]
fn a_right_to_left_book_is_marked_rtl() {
    let dir = tempfile::tempdir().unwrap();
    // `lang: he` makes the book right to left; a chapter's own `dir` wins for its page.
    let hebrew = write(
        dir.path(),
        "01-a.md",
        "title: שלום\nlang: he\n\nטקסט.\n".as_bytes(),
    );
    let english = write(
        dir.path(),
        "02-b.md",
        b"title: English\nlang: he\ndir: ltr\n\nText.\n",
    );
    let (bytes, warnings) = build(
        &[hebrew, english],
        &BookOptions::default(),
        &EpubOptions::default(),
    );
    assert!(warnings.is_empty(), "{warnings:?}");
    let epub = Unzipped::new(&bytes);
    let opf = epub.text("OEBPS/content.opf");
    assert!(
        opf.contains("<spine toc=\"ncx\" page-progression-direction=\"rtl\">"),
        "{opf}"
    );
    let root = |name: &str| {
        let text = epub.text(name);
        let doc = parse_xml(text).unwrap();
        doc.root_element().attribute("dir").map(String::from)
    };
    let chapters = epub.chapters();
    assert_eq!(root(chapters[0]).as_deref(), Some("rtl"));
    assert_eq!(root(chapters[1]), None);
    assert_eq!(root("OEBPS/nav.xhtml").as_deref(), Some("rtl"));

    // A left-to-right book has neither.
    let page = write(dir.path(), "page.md", b"title: Page\n\nText.\n");
    let (bytes, _) = build(&[page], &BookOptions::default(), &EpubOptions::default());
    let epub = Unzipped::new(&bytes);
    assert!(!epub.text("OEBPS/content.opf").contains("page-progression"));
    assert!(!epub.text("OEBPS/nav.xhtml").contains("dir="));
}

#[test]
fn an_image_is_named_after_its_bytes() {
    let dir = tempfile::tempdir().unwrap();
    let jpeg = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00\xff\xd9";
    write(dir.path(), "photo.png", jpeg);
    let page = write(
        dir.path(),
        "page.md",
        b"title: T\n\n![a photo](photo.png)\n",
    );
    let (bytes, warnings) = build(&[page], &BookOptions::default(), &EpubOptions::default());
    let epub = Unzipped::new(&bytes);
    check_structure(&epub);
    let manifest = epub.manifest();
    let (href, (media_type, _)) = manifest
        .iter()
        .find(|(href, _)| href.starts_with("media/"))
        .expect("the image is in the manifest");
    assert_eq!(
        (href.as_str(), media_type.as_str()),
        ("media/photo.jpg", "image/jpeg")
    );
    assert!(
        epub.text("OEBPS/page.xhtml")
            .contains("src=\"media/photo.jpg\"")
    );
    assert!(
        warnings
            .iter()
            .any(|w| w.to_string().contains("the image is image/jpeg")),
        "{warnings:?}"
    );
}
