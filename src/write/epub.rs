//! The EPUB 3 writer: a [`Book`] in, a valid, reproducible `.epub` out.
//!
//! epub-builder writes the package (OPF with metadata, manifest and spine; nav document with
//! landmarks; NCX for EPUB 2 readers); the chapters are XHTML written from the model by the HTML
//! writer in XHTML mode, after an EPUB pass over the model ([`prepare`]) that removes what a
//! valid e-book cannot hold (raw HTML, remote images, links that lead nowhere). The archive is
//! then repacked (the private `package` module) so that the same book gives the same bytes.
//!
//! Layout inside the container: `OEBPS/SLUG.xhtml` per chapter, `OEBPS/media/KEY` per asset,
//! `OEBPS/stylesheet.css`, `OEBPS/cover.xhtml` when there is a cover, `OEBPS/nav.xhtml`,
//! `OEBPS/toc.ncx`, `OEBPS/content.opf`.

mod package;

use std::collections::{BTreeMap, HashMap, HashSet};

use chrono::{DateTime, NaiveDate, NaiveDateTime, Utc};
use epub_builder::{EpubBuilder, EpubContent, EpubVersion, ReferenceType, TocElement, ZipLibrary};

use crate::book::{Book, Chapter, parse_internal_link};
use crate::diag::{Diagnostic, Warnings};
use crate::error::{Error, Result};
use crate::escape::{escape_attr, escape_text};
use crate::model::{Block, Document, Inline, Link, Listing, plain_text};
use crate::url::is_absolute_url;
use crate::write::html::{self, HtmlOptions};

/// The stylesheet used unless [`EpubOptions::css`] replaces it: made for e-readers (relative
/// units, no fixed widths) and styling the shared highlighter's classes.
pub const DEFAULT_CSS: &str = include_str!("epub/style.css");

/// How the EPUB is written. Book metadata (title, authors, cover...) comes from [`Book::meta`].
#[derive(Debug, Clone, Default)]
pub struct EpubOptions {
    /// A stylesheet replacing [`DEFAULT_CSS`] (`--css FILE`'s content).
    pub css: Option<String>,
    /// Add a contents page after the cover (the nav document is always there for readers).
    pub inline_toc: bool,
    /// The `dcterms:modified` time, in seconds since 1970. When `None`, `SOURCE_DATE_EPOCH` is
    /// used if set, then the book's `modified` or `date`, then the newest chapter date, then
    /// 1970-01-01: never the clock, so builds are reproducible.
    pub modified: Option<i64>,
    /// Leave code blocks unhighlighted (`--no-highlight`).
    pub no_highlight: bool,
    /// Group chapters by folder ([`Chapter::part`]): each group opens with a part title page,
    /// and the contents nest its chapters under it.
    pub parts: bool,
}

/// Where assets go inside the container.
const MEDIA_DIR: &str = "media";

/// Writes `book` as an EPUB 3 file and returns its bytes.
pub fn epub(book: &Book, options: &EpubOptions, warnings: &mut Warnings) -> Result<Vec<u8>> {
    if book.chapters.is_empty() {
        return Err(Error::Usage("an EPUB needs at least one chapter".into()));
    }
    let meta = &book.meta;
    let lang = meta.lang_or_default().to_string();
    let title = meta
        .title
        .clone()
        .filter(|t| !t.trim().is_empty())
        .or_else(|| book.chapters[0].document.meta.title.clone())
        .unwrap_or_else(|| "Untitled".to_string());

    let mut builder =
        EpubBuilder::new(ZipLibrary::new().map_err(builder_error)?).map_err(builder_error)?;
    builder.epub_version(EpubVersion::V30);
    builder.set_title(title.clone());
    builder.set_authors(meta.authors.clone());
    builder.add_language(lang.clone());
    builder.set_generator("bindery");
    builder.set_toc_name("Contents");
    if let Some(description) = &meta.description {
        builder.add_description(description.clone());
    }
    let mut subjects: Vec<String> = Vec::new();
    for subject in meta.category.iter().chain(&meta.tags) {
        if !subjects.contains(subject) {
            subjects.push(subject.clone());
        }
    }
    builder.set_subjects(subjects);
    if let Some(rights) = &meta.rights {
        builder.set_license(rights.clone());
    }
    if let Some(date) = &meta.date {
        match parse_date(date) {
            Some(date) => builder.set_publication_date(date),
            None => warnings.push(Diagnostic::warning(
                None,
                format!("date `{date}` is not a date (YYYY-MM-DD); left out of the EPUB"),
            )),
        }
    }
    builder.set_modified_date(modified_date(book, options));
    let uuid = book_uuid(book, &title);
    builder.set_uuid(uuid);
    builder
        .stylesheet(options.css.as_deref().unwrap_or(DEFAULT_CSS).as_bytes())
        .map_err(builder_error)?;

    crate::book::report_dropped_content(book, warnings);
    // Assets: media/KEY, kept distinct after epub-builder turns paths into manifest ids.
    let media_paths = media_paths(book, warnings);
    let cover_key = meta
        .cover
        .as_ref()
        .filter(|key| book.assets.contains_key(key.as_str()));
    // Real bytes go straight into the final archive (see `package::repack`).
    let mut contents: HashMap<String, &[u8]> = HashMap::new();
    for (key, asset) in &book.assets {
        let path = &media_paths[key];
        contents.insert(format!("OEBPS/{path}"), &asset.bytes);
        if Some(key) == cover_key {
            builder
                .add_cover_image(path, &[][..], asset.media_type)
                .map_err(builder_error)?;
        } else {
            builder
                .add_resource(path, &[][..], asset.media_type)
                .map_err(builder_error)?;
        }
    }
    if let Some(key) = cover_key {
        let page = cover_page(&media_paths[key], &title, &lang);
        builder
            .add_content(
                EpubContent::new("cover.xhtml", page.as_bytes()).reftype(ReferenceType::Cover),
            )
            .map_err(builder_error)?;
    }
    if options.inline_toc {
        builder.inline_toc();
    }

    let slugs: HashSet<&str> = book.chapters.iter().map(|c| c.slug.as_str()).collect();
    let mut pages = Vec::with_capacity(book.chapters.len());
    let mut current_part: Option<&str> = None;
    let mut part_count = 0;
    let mut first = true;
    for chapter in &book.chapters {
        let part = chapter.part.as_deref().filter(|_| options.parts);
        if let Some(name) = part
            && current_part != Some(name)
        {
            let title = name.to_string();
            part_count += 1;
            let file = format!("part-{part_count}.xhtml");
            pages.push((format!("OEBPS/{file}"), part_page(&title, &lang)));
            let mut content = EpubContent::new(file, &[][..]).title(title);
            if std::mem::take(&mut first) {
                content = content.reftype(ReferenceType::Text);
            }
            builder.add_content(content).map_err(builder_error)?;
        }
        current_part = part;
        let document = prepare(chapter, book, &slugs, warnings);
        let xhtml = chapter_xhtml(chapter, &document, &media_paths, &lang, options);
        let chapter_title = match &chapter.number {
            // Numbered as in mdBook's sidebar.
            Some(number) => format!("{number} {}", chapter_title(chapter)),
            None => chapter_title(chapter),
        };
        let file = format!("{}.xhtml", chapter.slug);
        pages.push((format!("OEBPS/{file}"), xhtml));
        let mut content = EpubContent::new(file.clone(), &[][..]).title(chapter_title);
        for (id, text) in nav_headings(&document.blocks) {
            content = content.child(TocElement::new(format!("{file}#{id}"), text));
        }
        // Under its part, and under its parent chapter in a summary's nesting.
        let level = 1 + usize::from(part.is_some()) + chapter.depth;
        if level > 1 {
            content = content.level(level.min(6) as i32);
        }
        if std::mem::take(&mut first) {
            // The "start reading here" landmark.
            content = content.reftype(ReferenceType::Text);
        }
        builder.add_content(content).map_err(builder_error)?;
    }

    let mut raw = Vec::new();
    builder.generate(&mut raw).map_err(builder_error)?;
    let opf_fix = |opf: String| fix_opf(opf, book, &uuid);
    let nav_fix = |nav: String| fix_nav(nav, &lang, cover_key.is_some());
    let toc_fix = |toc: String| fix_nav(toc, &lang, false);
    for (name, xhtml) in &pages {
        contents.insert(name.clone(), xhtml.as_bytes());
    }
    package::repack(
        &raw,
        &[
            ("OEBPS/content.opf", &opf_fix),
            ("OEBPS/nav.xhtml", &nav_fix),
            ("OEBPS/toc.xhtml", &toc_fix),
        ],
        &contents,
    )
}

/// Gives epub-builder's nav document (and inline contents page) the book's language, and adds
/// the cover to the landmarks (epub-builder lists only pages that are in the contents).
fn fix_nav(nav: String, lang: &str, cover: bool) -> Result<String> {
    const HTML: &str =
        "<html xmlns=\"http://www.w3.org/1999/xhtml\" xmlns:epub=\"http://www.idpf.org/2007/ops\"";
    let mut with_lang = String::from(HTML);
    with_lang.push_str(" lang=\"");
    attr(&mut with_lang, lang);
    with_lang.push_str("\" xml:lang=\"");
    attr(&mut with_lang, lang);
    with_lang.push('"');
    let nav = package::replace_once(nav, HTML, &with_lang)?;
    if !cover {
        return Ok(nav);
    }
    const LANDMARKS: &str = "<nav epub:type = \"landmarks\">\n    <ol>\n";
    package::replace_once(
        nav,
        LANDMARKS,
        &format!(
            "{LANDMARKS}      <li><a epub:type=\"cover\" href=\"cover.xhtml\">Cover</a></li>\n"
        ),
    )
}

fn builder_error(e: epub_builder::Error) -> Error {
    Error::Internal(format!("EPUB generation failed: {e}"))
}

/// The chapter's title as shown in its heading and in the contents.
fn chapter_title(chapter: &Chapter) -> String {
    chapter
        .document
        .meta
        .title
        .clone()
        .filter(|t| !t.trim().is_empty())
        .unwrap_or_else(|| chapter.slug.clone())
}

/// Asset key -> path inside `OEBPS/`. epub-builder derives manifest ids from paths by replacing
/// `/` and other characters with `_`, so `a/b.png` and `a_b.png` would share an id: rename the
/// later one. An image whose extension does not match its bytes (a JPEG named `.png`) is named
/// after its bytes, since reading systems go by the extension: a warning says so.
fn media_paths(book: &Book, warnings: &mut Warnings) -> BTreeMap<String, String> {
    let mut ids = HashSet::new();
    let mut out = BTreeMap::new();
    for (key, asset) in &book.assets {
        let key_named = match renamed_for_media_type(key, asset.media_type) {
            Some(renamed) => {
                warnings.push(
                    Diagnostic::warning(
                        Some(&asset.path),
                        format!(
                            "the image is {} but its name says otherwise; the EPUB holds it as \
                             `{renamed}`",
                            asset.media_type
                        ),
                    )
                    .with_hint("rename the file to match its format"),
                );
                renamed
            }
            None => key.clone(),
        };
        let mut path = format!("{MEDIA_DIR}/{key_named}");
        let mut n = 2;
        while !ids.insert(path.replace(|c: char| !c.is_ascii_alphanumeric() && c != '.', "_")) {
            path = format!("{MEDIA_DIR}/{n}-{}", key_named.replace('/', "-"));
            n += 1;
        }
        out.insert(key.clone(), path);
    }
    out
}

/// `key` with the extension of `media_type` when its own extension names another image format
/// (`logo.png` holding a JPEG becomes `logo.jpg`); `None` when it matches.
fn renamed_for_media_type(key: &str, media_type: &str) -> Option<String> {
    let extensions: &[&str] = match media_type {
        "image/png" => &["png"],
        "image/jpeg" => &["jpg", "jpeg", "jpe"],
        "image/gif" => &["gif"],
        "image/webp" => &["webp"],
        "image/svg+xml" => &["svg"],
        _ => return None,
    };
    let (stem, extension) = match key.rsplit_once('.') {
        Some((stem, ext)) if !ext.contains('/') => (stem, ext.to_ascii_lowercase()),
        _ => (key, String::new()),
    };
    if extensions.contains(&extension.as_str()) {
        return None;
    }
    Some(format!("{stem}.{}", extensions[0]))
}

/// A stable identifier: UUID v5 of the title and the chapter slugs, so rebuilding the same book
/// keeps its identity in readers' libraries.
fn book_uuid(book: &Book, title: &str) -> uuid::Uuid {
    let slugs: Vec<&str> = book.chapters.iter().map(|c| c.slug.as_str()).collect();
    let name = format!("bindery:{title}\n{}", slugs.join("/"));
    uuid::Uuid::new_v5(&uuid::Uuid::NAMESPACE_URL, name.as_bytes())
}

/// Parses the date forms found in front matter: `2017-07-23`, `2017-07-23 10:30`,
/// `2017-07-23T10:30:00` (taken as UTC: the file's clock time, no timezone shift).
fn parse_date(text: &str) -> Option<DateTime<Utc>> {
    let text = text.trim().trim_end_matches('Z');
    for format in [
        "%Y-%m-%dT%H:%M:%S",
        "%Y-%m-%d %H:%M:%S",
        "%Y-%m-%dT%H:%M",
        "%Y-%m-%d %H:%M",
    ] {
        if let Ok(dt) = NaiveDateTime::parse_from_str(text, format) {
            return Some(dt.and_utc());
        }
    }
    NaiveDate::parse_from_str(text.get(..10).unwrap_or(text), "%Y-%m-%d")
        .ok()
        .and_then(|d| d.and_hms_opt(0, 0, 0))
        .map(|dt| dt.and_utc())
}

fn modified_date(book: &Book, options: &EpubOptions) -> DateTime<Utc> {
    let epoch = options.modified.or_else(|| {
        std::env::var("SOURCE_DATE_EPOCH")
            .ok()
            .and_then(|v| v.trim().parse::<i64>().ok())
    });
    if let Some(date) = epoch.and_then(|s| DateTime::from_timestamp(s, 0)) {
        return date;
    }
    let book_date = [&book.meta.modified, &book.meta.date]
        .into_iter()
        .flatten()
        .find_map(|d| parse_date(d));
    book_date
        .or_else(|| {
            book.chapters
                .iter()
                .flat_map(|c| [&c.document.meta.modified, &c.document.meta.date])
                .flatten()
                .filter_map(|d| parse_date(d))
                .max()
        })
        .unwrap_or_default()
}

/// Headings listed in the contents under their chapter: levels 1 and 2 of the body (the
/// chapter title itself is not in the body).
fn nav_headings(blocks: &[Block]) -> Vec<(String, String)> {
    let mut out = Vec::new();
    crate::model::walk_blocks(blocks, &mut |block| {
        if let Block::Heading {
            level, id, content, ..
        } = block
            && *level <= 2
            && !id.is_empty()
        {
            let text = plain_text(content).trim().to_string();
            let text = if text.is_empty() { id.clone() } else { text };
            out.push((id.clone(), text));
        }
    });
    out
}

/// The document as the EPUB shows it: the model rewritten so that the HTML writer's XHTML is
/// valid EPUB content.
/// - raw HTML is dropped (a warning when it was active content: `<script>`, `<iframe>`,
///   `<object>`, `<embed>`);
/// - remote images become their alt text linked to the image, with a warning (an EPUB must
///   not need the network);
/// - links that are neither internal (`bindery:`) nor absolute become their text, as do links
///   nested in links; `//host` links get `https:`;
/// - footnote references without a definition become `[label]` text;
/// - characters XML forbids (control characters) are removed.
pub fn prepare(
    chapter: &Chapter,
    book: &Book,
    slugs: &HashSet<&str>,
    warnings: &mut Warnings,
) -> Document {
    let mut document = chapter.document.clone();
    let path = chapter.source.as_path();
    let labels: HashSet<String> = crate::model::footnote_definitions(&document.blocks)
        .into_iter()
        .map(|(label, _)| label.to_string())
        .collect();
    drop_raw_html(&mut document.blocks);
    let mut rewrite = |inline: Inline| -> Vec<Inline> {
        match inline {
            Inline::Text(text) => vec![Inline::Text(xml_chars(text))],
            Inline::Code(text) => vec![Inline::Code(xml_chars(text))],
            Inline::Link(mut link) => {
                link.content = unwrap_links(std::mem::take(&mut link.content));
                if link.url.starts_with("//") {
                    link.url = format!("https:{}", link.url);
                }
                let keep = match parse_internal_link(&link.url) {
                    Some((slug, _)) => slugs.contains(slug),
                    None => {
                        is_absolute_url(&link.url)
                            && crate::book::links::malformed_url(&link.url).is_none()
                    }
                };
                link.title = link.title.map(xml_chars);
                if keep {
                    vec![Inline::Link(link)]
                } else {
                    link.content
                }
            }
            Inline::Image(mut image) => {
                image.alt = xml_chars(image.alt);
                image.title = image.title.map(xml_chars);
                if book.assets.contains_key(&image.src) {
                    return vec![Inline::Image(image)];
                }
                let alt = if image.alt.trim().is_empty() {
                    "image".to_string()
                } else {
                    image.alt.clone()
                };
                if crate::url::is_remote(&image.src) {
                    warnings.push(
                        Diagnostic::warning(
                            Some(path),
                            format!(
                                "remote image `{}` is not embedded in the EPUB; it becomes a \
                                 link",
                                image.src
                            ),
                        )
                        .at(image.pos, None)
                        .with_hint("download the image and refer to the local copy"),
                    );
                    vec![Inline::Link(Link {
                        url: image.src,
                        title: None,
                        content: vec![Inline::Text(alt)],
                        pos: image.pos,
                    })]
                } else {
                    vec![Inline::Text(alt)]
                }
            }
            Inline::FootnoteRef(label) if !labels.contains(&label) => {
                vec![Inline::Text(format!("[{}]", xml_chars(label)))]
            }
            Inline::RawHtml(_) => Vec::new(), // reported by drop_raw_html
            other => vec![other],
        }
    };
    crate::model::rewrite_blocks(&mut document.blocks, &mut rewrite);
    document
}

/// The content of links nested in a link, at any depth (`<a><em><a>x</a></em></a>`): XHTML
/// forbids an `a` inside an `a`.
fn unwrap_links(inlines: Vec<Inline>) -> Vec<Inline> {
    inlines
        .into_iter()
        .flat_map(|inline| match inline {
            Inline::Link(link) => unwrap_links(link.content),
            Inline::Emphasis(c) => vec![Inline::Emphasis(unwrap_links(c))],
            Inline::Strong(c) => vec![Inline::Strong(unwrap_links(c))],
            Inline::Strikethrough(c) => vec![Inline::Strikethrough(unwrap_links(c))],
            Inline::Superscript(c) => vec![Inline::Superscript(unwrap_links(c))],
            Inline::Subscript(c) => vec![Inline::Subscript(unwrap_links(c))],
            other => vec![other],
        })
        .collect()
}

/// Removes raw HTML blocks (inlines go in [`prepare`]; the warnings about active content come
/// from [`crate::book::report_dropped_content`]); also cleans code text.
fn drop_raw_html(blocks: &mut Vec<Block>) {
    blocks.retain_mut(|block| match block {
        Block::RawHtml(_) => false,
        Block::CodeBlock(code) => {
            code.text = xml_chars(std::mem::take(&mut code.text));
            true
        }
        Block::BlockQuote(children)
        | Block::FootnoteDefinition {
            blocks: children, ..
        }
        | Block::Div {
            blocks: children, ..
        }
        | Block::Listing(Listing {
            blocks: children, ..
        }) => {
            drop_raw_html(children);
            true
        }
        Block::List(list) => {
            for item in &mut list.items {
                drop_raw_html(&mut item.blocks);
            }
            true
        }
        _ => true,
    });
}

/// `text` without the characters XML 1.0 forbids.
fn xml_chars(text: String) -> String {
    let allowed = |c: char| {
        matches!(c, '\t' | '\n' | '\r')
            || ('\u{20}'..='\u{D7FF}').contains(&c)
            || ('\u{E000}'..='\u{FFFD}').contains(&c)
            || c >= '\u{10000}'
    };
    if text.chars().all(allowed) {
        text
    } else {
        text.chars().filter(|&c| allowed(c)).collect()
    }
}

/// Maps a link target to its place in the container.
fn map_link(url: &str) -> String {
    match parse_internal_link(url) {
        Some((slug, Some(fragment))) => format!("{slug}.xhtml#{}", encode_url(fragment)),
        Some((slug, None)) => format!("{slug}.xhtml"),
        None => encode_url(url),
    }
}

/// Percent-encodes the characters a URL may not contain (spaces, quotes, brackets...), keeping
/// existing escapes and non-ASCII letters (IRIs allow them).
fn encode_url(url: &str) -> String {
    let mut out = String::with_capacity(url.len());
    for c in url.chars() {
        if c.is_ascii_control() || " \"<>\\^`{|}".contains(c) {
            let mut buf = [0; 4];
            for byte in c.encode_utf8(&mut buf).bytes() {
                out.push_str(&format!("%{byte:02X}"));
            }
        } else {
            out.push(c);
        }
    }
    out
}

fn xhtml_head(out: &mut String, title: &str, lang: &str, body_class: Option<&str>) {
    out.push_str(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<!DOCTYPE html>\n<html \
         xmlns=\"http://www.w3.org/1999/xhtml\" xmlns:epub=\"http://www.idpf.org/2007/ops\" lang=\"",
    );
    attr(out, lang);
    out.push_str("\" xml:lang=\"");
    attr(out, lang);
    out.push_str("\">\n<head>\n<meta charset=\"utf-8\" />\n<title>");
    text(out, title);
    out.push_str(
        "</title>\n<link rel=\"stylesheet\" type=\"text/css\" href=\"stylesheet.css\" />\n</head>\n",
    );
    match body_class {
        Some(class) => {
            out.push_str("<body class=\"");
            out.push_str(class);
            out.push_str("\">\n");
        }
        None => out.push_str("<body>\n"),
    }
}

fn text(out: &mut String, value: &str) {
    escape_text(out, &xml_chars(value.to_string())).expect("writing to a String cannot fail");
}

fn attr(out: &mut String, value: &str) {
    escape_attr(out, &xml_chars(value.to_string())).expect("writing to a String cannot fail");
}

/// One chapter as an XHTML content document.
fn chapter_xhtml(
    chapter: &Chapter,
    document: &Document,
    media_paths: &BTreeMap<String, String>,
    book_lang: &str,
    options: &EpubOptions,
) -> String {
    let title = chapter_title(chapter);
    let lang = document.meta.lang.as_deref().unwrap_or(book_lang);
    let image_src = |key: &str| {
        media_paths
            .get(key)
            .cloned()
            .unwrap_or_else(|| key.to_string())
    };
    let html_options = HtmlOptions {
        xhtml: true,
        highlight: !options.no_highlight,
        heading_anchors: false,
        raw_html: false,
        link_url: Some(&map_link),
        image_src: Some(&image_src),
    };
    let mut out = String::with_capacity(4096);
    xhtml_head(&mut out, &title, lang, None);
    out.push_str("<section epub:type=\"chapter\" role=\"doc-chapter\">\n<header>\n<h1 class=\"chapter-title\">");
    text(&mut out, &title);
    out.push_str("</h1>\n");
    if let Some(subtitle) = &document.meta.subtitle {
        out.push_str("<p class=\"subtitle\">");
        text(&mut out, subtitle);
        out.push_str("</p>\n");
    }
    out.push_str("</header>\n");
    html::write_body(&mut out, &document.blocks, &html_options)
        .expect("writing to a String cannot fail");
    out.push_str("</section>\n</body>\n</html>\n");
    out
}

/// A part title page.
fn part_page(title: &str, lang: &str) -> String {
    let mut out = String::new();
    xhtml_head(&mut out, title, lang, None);
    out.push_str("<section epub:type=\"part\" role=\"doc-part\">\n<h1 class=\"part-title\">");
    text(&mut out, title);
    out.push_str("</h1>\n</section>\n</body>\n</html>\n");
    out
}

/// The cover page: the cover image, scaled to the screen by the stylesheet.
fn cover_page(src: &str, title: &str, lang: &str) -> String {
    let mut out = String::new();
    xhtml_head(&mut out, title, lang, Some("cover"));
    out.push_str("<section epub:type=\"cover\" class=\"cover\">\n<div class=\"cover\"><img src=\"");
    attr(&mut out, src);
    out.push_str("\" alt=\"");
    attr(&mut out, &format!("Cover: {title}"));
    out.push_str("\" /></div>\n</section>\n</body>\n</html>\n");
    out
}

/// Fixes epub-builder's `content.opf`:
/// - epub-builder 0.8.3 gives `<dc:language>` and `<dc:creator>` the same ids
///   (`epub-creator-0`) when a book has a language and an author, which EPUBCheck rejects
///   (duplicate id): the languages get their own ids;
/// - an explicit `identifier:` replaces the generated UUID;
/// - subtitle and publisher, which epub-builder cannot express, are added.
fn fix_opf(opf: String, book: &Book, uuid: &uuid::Uuid) -> Result<String> {
    let meta = &book.meta;
    let mut opf = if opf.contains("<dc:language id=\"epub-creator-") {
        opf.replace(
            "<dc:language id=\"epub-creator-",
            "<dc:language id=\"epub-language-",
        )
    } else {
        opf
    };
    if let Some(identifier) = meta.identifier.as_deref().filter(|i| !i.trim().is_empty()) {
        let generated = format!(">{}<", uuid::fmt::Urn::from_uuid(*uuid));
        let mut escaped = String::from(">");
        text(&mut escaped, identifier.trim());
        escaped.push('<');
        opf = package::replace_once(opf, &generated, &escaped)?;
    }
    let mut extra = String::new();
    if let Some(subtitle) = &meta.subtitle {
        extra.push_str("    <dc:title id=\"subtitle\">");
        text(&mut extra, subtitle);
        extra.push_str(
            "</dc:title>\n    <meta refines=\"#subtitle\" property=\"title-type\">subtitle</meta>\n",
        );
    }
    if let Some(publisher) = &meta.publisher {
        extra.push_str("    <dc:publisher>");
        text(&mut extra, publisher);
        extra.push_str("</dc:publisher>\n");
    }
    if !extra.is_empty() {
        extra.push_str("  </metadata>");
        opf = package::replace_once(opf, "  </metadata>", &extra)?;
    }
    Ok(opf)
}

#[cfg(test)]
mod tests;
