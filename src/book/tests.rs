//! Tests of book assembly over an in-memory file system.

use super::*;
use crate::model::{Link, visit_inlines};
use crate::read::{ReadOptions, read_str};

const PNG: &[u8] = b"\x89PNG\r\n\x1a\nrest";

fn doc(path: &str, text: &str) -> (PathBuf, Document) {
    let mut warnings = Vec::new();
    let document = read_str(
        Path::new(path),
        text,
        &ReadOptions::default(),
        &mut warnings,
    )
    .unwrap();
    (PathBuf::from(path), document)
}

fn files() -> MemoryFiles {
    MemoryFiles::new()
        .file("/site/content/pages/01-intro/01-community.md", "")
        .file("/site/content/pages/02-web/02-django.md", "")
        .file("/site/static/img/logo.png", PNG)
        .file("/site/content/pages/01-intro/local.png", PNG)
        .file("/etc/passwd", "root")
        .symlink("/site/static/img/evil.png", "../../../etc/passwd")
}

fn assemble(docs: Vec<(PathBuf, Document)>, options: &BookOptions) -> (Book, Warnings) {
    let mut warnings = Vec::new();
    let book = Book::assemble_with(docs, options, &files(), &mut warnings).unwrap();
    (book, warnings)
}

fn links(chapter: &Chapter) -> Vec<String> {
    let mut out = Vec::new();
    visit_inlines(&chapter.document.blocks, &mut |inline| {
        if let Inline::Link(Link { url, .. }) = inline {
            out.push(url.clone());
        }
    });
    out
}

fn images(chapter: &Chapter) -> Vec<String> {
    let mut out = Vec::new();
    let mut visit = |inline: &Inline| {
        if let Inline::Image(image) = inline {
            out.push(image.src.clone());
        }
    };
    visit_inlines(&chapter.document.blocks, &mut visit);
    for block in &chapter.document.blocks {
        if let Block::Figure(figure) = block {
            out.push(figure.image.src.clone());
        }
    }
    out
}

const COMMUNITY: &str = "/site/content/pages/01-intro/01-community.md";
const DJANGO: &str = "/site/content/pages/02-web/02-django.md";

fn two_chapters() -> Vec<(PathBuf, Document)> {
    vec![
        doc(
            COMMUNITY,
            "title: Community\nslug: python-community\nsortorder: 0102\n\n\
             # Meetups\n\nSee [Django](/django.html), [the ORM](django.html#orm), \
             [source](../02-web/02-django.md#resources), [nowhere](/django.html#nope), \
             [Flask](/flask.html) and [mail](mailto:a@b.c).\n",
        ),
        doc(
            DJANGO,
            "title: Django\nslug: django\nsortorder: 0101\n\n## ORM\n\n## Resources\n\n\
             Back to [meetups](01-community.md#meetups) and [top](#orm).\n",
        ),
    ]
}

#[test]
fn chapters_keep_the_given_order_or_sort_by_sortorder_then_path() {
    let (book, _) = assemble(two_chapters(), &BookOptions::default());
    let slugs: Vec<&str> = book.chapters.iter().map(|c| c.slug.as_str()).collect();
    assert_eq!(slugs, ["python-community", "django"]);

    let options = BookOptions {
        sort: true,
        ..BookOptions::default()
    };
    let (book, _) = assemble(two_chapters(), &options);
    let slugs: Vec<&str> = book.chapters.iter().map(|c| c.slug.as_str()).collect();
    assert_eq!(slugs, ["django", "python-community"]);

    // Without sortorder: natural path order (`2-x` before `10-x`).
    let docs = vec![
        doc("/b/10-x.md", "title: Ten\n\nText.\n"),
        doc("/b/2-x.md", "title: Two\n\nText.\n"),
        doc("/b/1-x.md", "title: One\nsortorder: 5\n\nText.\n"),
    ];
    let (book, _) = assemble(docs, &options);
    let slugs: Vec<&str> = book.chapters.iter().map(|c| c.slug.as_str()).collect();
    assert_eq!(slugs, ["c-1-x", "c-2-x", "c-10-x"]);
}

#[test]
fn slugs_are_unique_and_xml_safe() {
    let docs = vec![
        doc("/b/a/intro.md", "title: A\n\nText.\n"),
        doc("/b/b/intro.md", "title: B\n\nText.\n"),
        doc("/b/c.md", "title: C\nslug: Intro\n\nText.\n"),
        doc("/b/d.md", "title: D\nslug: héllo wörld!\n\nText.\n"),
    ];
    let (book, warnings) = assemble(docs, &BookOptions::default());
    let slugs: Vec<&str> = book.chapters.iter().map(|c| c.slug.as_str()).collect();
    assert_eq!(slugs, ["intro", "intro-2", "Intro-3", "h-llo-w-rld"]);
    assert_eq!(warnings.len(), 2, "{warnings:#?}");
    assert_eq!(book.chapters[0].part.as_deref(), Some("A"));
}

#[test]
fn links_between_chapters_become_internal() {
    let (book, warnings) = assemble(two_chapters(), &BookOptions::default());
    assert_eq!(
        links(&book.chapters[0]),
        [
            "bindery:django",
            "bindery:django#orm",
            "bindery:django#resources",
            "bindery:django",
            "mailto:a@b.c"
        ]
    );
    assert_eq!(
        links(&book.chapters[1]),
        ["bindery:python-community#meetups", "bindery:django#orm"]
    );
    // The missing fragment and the link to a page outside the book are reported with their
    // place.
    let messages: Vec<String> = warnings.iter().map(|w| w.to_string()).collect();
    assert_eq!(messages.len(), 2, "{messages:#?}");
    assert!(
        messages[0].contains("`#nope` is not a heading"),
        "{}",
        messages[0]
    );
    assert!(
        messages[0].starts_with(&format!("{COMMUNITY}:7:")),
        "{}",
        messages[0]
    );
    assert!(messages[1].contains("/flask.html"), "{}", messages[1]);
    // The outside link's text stays, as text.
    let text = crate::model::blocks_plain_text(&book.chapters[0].document.blocks);
    assert!(
        text.contains("[Flask]") || text.contains("Flask and mail"),
        "{text}"
    );
}

#[test]
fn outside_links_stay_external_with_a_site_url() {
    let options = BookOptions {
        site_url: Some("https://www.example.com".into()),
        ..BookOptions::default()
    };
    let (book, warnings) = assemble(two_chapters(), &options);
    assert!(links(&book.chapters[0]).contains(&"https://www.example.com/flask.html".to_string()));
    assert_eq!(warnings.len(), 1, "{warnings:#?}"); // only the missing fragment
}

#[test]
fn images_are_loaded_missing_ones_become_alt_text_and_escapes_are_refused() {
    let options = BookOptions {
        resource_paths: vec![PathBuf::from("/site/static")],
        ..BookOptions::default()
    };
    let docs = vec![doc(
        COMMUNITY,
        "title: Community\n\n![Logo](/img/logo.png)\n\n\
         Inline ![local](local.png) and ![gone](/img/gone.png) and \
         ![pw](../../../../etc/passwd) and ![evil](/img/evil.png) and \
         ![remote](https://example.com/x.png).\n",
    )];
    let (book, warnings) = assemble(docs, &options);
    let chapter = &book.chapters[0];
    let mut found = images(chapter);
    found.sort();
    assert_eq!(
        found,
        ["https://example.com/x.png", "img/logo.png", "local.png"]
    );
    assert_eq!(book.assets.len(), 2);
    assert_eq!(book.assets["img/logo.png"].media_type, "image/png");
    let messages: Vec<String> = warnings.iter().map(|w| w.to_string()).collect();
    assert_eq!(messages.len(), 3, "{messages:#?}");
    assert!(
        messages[0].contains("`/img/gone.png` not found"),
        "{}",
        messages[0]
    );
    assert!(
        messages[0].starts_with(&format!("{COMMUNITY}:5:")),
        "{}",
        messages[0]
    );
    assert!(messages[1].contains("outside"), "{}", messages[1]);
    assert!(messages[2].contains("outside"), "{}", messages[2]);
    let text = crate::model::blocks_plain_text(&chapter.document.blocks);
    assert!(text.contains("gone") && text.contains("evil"), "{text}");
    assert!(!text.contains("root"));
}

#[test]
fn a_missing_figure_image_becomes_a_paragraph_of_its_alt_text() {
    let docs = vec![doc(
        COMMUNITY,
        "title: Community\n\n<img src=\"/img/gone.png\" alt=\"Python logo.\">\n",
    )];
    let (book, warnings) = assemble(docs, &BookOptions::default());
    assert_eq!(warnings.len(), 1);
    assert!(images(&book.chapters[0]).is_empty());
    let text = crate::model::blocks_plain_text(&book.chapters[0].document.blocks);
    assert!(text.contains("Python logo."), "{text}");
}

#[test]
fn a_single_document_is_a_book_with_its_metadata() {
    let options = BookOptions {
        resource_paths: vec![PathBuf::from("/site/static")],
        meta: Meta {
            publisher: Some("Me".into()),
            ..Meta::default()
        },
        ..BookOptions::default()
    };
    let docs = vec![doc(
        COMMUNITY,
        "title: Community\nauthor: Ann\nheaderimage: /img/logo.png\n\nText.\n",
    )];
    let (book, warnings) = assemble(docs, &options);
    assert!(warnings.is_empty(), "{warnings:#?}");
    assert_eq!(book.meta.title.as_deref(), Some("Community"));
    assert_eq!(book.meta.authors, ["Ann"]);
    assert_eq!(book.meta.publisher.as_deref(), Some("Me"));
    assert_eq!(book.meta.cover.as_deref(), Some("img/logo.png"));
    assert!(book.assets.contains_key("img/logo.png"));
    assert_eq!(book.chapters[0].part, None);
}

#[test]
fn no_documents_is_an_error() {
    let mut warnings = Vec::new();
    assert!(Book::assemble_with(vec![], &BookOptions::default(), &files(), &mut warnings).is_err());
}

#[test]
fn part_titles_come_from_folder_names() {
    assert_eq!(part_title("01-introduction"), "Introduction");
    assert_eq!(part_title("web_frameworks"), "Web frameworks");
    assert_eq!(part_title("posts"), "Posts");
    assert_eq!(part_title("2024"), "2024");
}

#[test]
fn declared_sizes_come_from_headers_and_huge_images_are_refused() {
    use resources::declared_size;
    // PNG: IHDR width and height, big-endian, after the signature and chunk header.
    let mut png = b"\x89PNG\r\n\x1a\n\0\0\0\x0dIHDR".to_vec();
    png.extend(100_000u32.to_be_bytes());
    png.extend(3u32.to_be_bytes());
    assert_eq!(declared_size(&png), Some((100_000, 3)));
    // GIF: logical screen size, little-endian.
    assert_eq!(declared_size(b"GIF89a\x20\x03\x58\x02"), Some((800, 600)));
    // JPEG: an APP0 segment is skipped on the way to the frame header.
    let jpeg = b"\xff\xd8\xff\xe0\x00\x04\0\0\xff\xc0\x00\x11\x08\x01\x2c\x01\x90\x03";
    assert_eq!(declared_size(jpeg), Some((400, 300)));
    assert_eq!(declared_size(&png[..20]), None, "truncated header");

    let mut huge = png.clone();
    huge[20..24].copy_from_slice(&100_000u32.to_be_bytes());
    let files = MemoryFiles::new()
        .file("/book/a.md", "")
        .file("/book/huge.png", huge);
    let mut warnings = Vec::new();
    let book = Book::assemble_with(
        vec![doc("/book/a.md", "title: A\n\n![Huge](huge.png)\n")],
        &BookOptions::default(),
        &files,
        &mut warnings,
    )
    .unwrap();
    assert!(book.assets.is_empty());
    assert!(
        warnings[0]
            .message
            .contains("is 100000 x 100000 pixels, more than the limit of 100 million"),
        "{warnings:?}"
    );
}
