//! The EPUB 3 writer: a [`Book`] in, a valid, reproducible `.epub` out.
//!
//! The chapters are XHTML written from the model by the HTML writer in XHTML mode, after an
//! EPUB pass over the model ([`prepare`]) that removes what a valid e-book cannot hold (raw
//! HTML, remote images, links that lead nowhere). The private `package` module renders the
//! package files (OPF with metadata, manifest and spine; nav document with landmarks; NCX for
//! EPUB 2 readers) and writes everything once into a reproducible ZIP archive.
//!
//! Layout inside the container: `OEBPS/SLUG.xhtml` per chapter, `OEBPS/media/KEY` per asset,
//! `OEBPS/stylesheet.css`, `OEBPS/cover.xhtml` when there is a cover, `OEBPS/nav.xhtml`,
//! `OEBPS/toc.ncx`, `OEBPS/content.opf`.

mod package;

use std::collections::{BTreeMap, HashSet};

use chrono::{DateTime, NaiveDate, NaiveDateTime, Utc};

use crate::book::{Book, Chapter, parse_internal_link};
use crate::diag::{Diagnostic, Warnings};
use crate::error::{Error, Result};
use crate::escape::{escape_attr, escape_text};
use crate::meta::Direction;
use crate::model::{Block, Document, Inline, Link, Listing, plain_text};
use crate::url::is_absolute_url;
use crate::write::html::{self, HtmlOptions};
use package::{Contents, Item, Landmark, Metadata, NavPoint};

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
    let metadata = metadata(book, options, warnings);
    let lang = metadata.lang.as_str();
    crate::book::report_dropped_content(book, warnings);
    let css = options.css.as_deref().unwrap_or(DEFAULT_CSS);
    let mut items = vec![Item::resource(
        "stylesheet.css".into(),
        "text/css",
        css.as_bytes(),
    )];
    let media_paths = media_paths(book, warnings);
    let cover_key = book
        .meta
        .cover
        .as_ref()
        .filter(|key| book.assets.contains_key(key.as_str()));
    for (key, asset) in &book.assets {
        let mut item = Item::resource(media_paths[key].clone(), asset.media_type, &asset.bytes);
        item.cover_image = Some(key) == cover_key;
        items.push(item);
    }
    if let Some(key) = cover_key {
        let mut page = Item::page(
            "cover.xhtml".into(),
            cover_page(&media_paths[key], &metadata.title, lang),
        );
        page.landmark = Some((Landmark::Cover, "Cover".into()));
        items.push(page);
    }
    let contents_position = items.len();
    let mut contents = Contents::default();
    chapter_items(
        book,
        options,
        &media_paths,
        lang,
        &mut items,
        &mut contents,
        warnings,
    );
    if options.inline_toc {
        contents.prepend(NavPoint::new("toc.xhtml".into(), "Contents".into()));
        let mut page = Item::page(
            "toc.xhtml".into(),
            package::contents_page(&contents, lang, metadata.rtl)?,
        );
        page.landmark = Some((Landmark::Contents, "Contents".into()));
        items.insert(contents_position, page);
    }
    package::write(&metadata, &items, contents)
}

/// Adds the chapters (and part title pages) to `items` and `contents`, in reading order.
fn chapter_items<'a>(
    book: &Book,
    options: &EpubOptions,
    media_paths: &BTreeMap<String, String>,
    lang: &str,
    items: &mut Vec<Item<'a>>,
    contents: &mut Contents,
    warnings: &mut Warnings,
) {
    let slugs: HashSet<&str> = book.chapters.iter().map(|c| c.slug.as_str()).collect();
    let book_rtl = book_rtl(book);
    let mut current_part: Option<&str> = None;
    let mut part_count = 0;
    let mut first = true;
    // The first page is the "start reading here" landmark.
    let mut push = |mut page: Item<'a>, title: &str, first: &mut bool| {
        if std::mem::take(first) {
            page.landmark = Some((Landmark::BodyMatter, title.to_string()));
        }
        items.push(page);
    };
    for chapter in &book.chapters {
        let part = chapter.part.as_deref().filter(|_| options.parts);
        if let Some(name) = part
            && current_part != Some(name)
        {
            part_count += 1;
            let file = format!("part-{part_count}.xhtml");
            contents.add(NavPoint::new(file.clone(), name.to_string()), 1);
            push(
                Item::page(file, part_page(name, lang, book_rtl)),
                name,
                &mut first,
            );
        }
        current_part = part;
        let document = prepare(chapter, book, &slugs, warnings);
        let xhtml = chapter_xhtml(chapter, &document, media_paths, lang, book_rtl, options);
        let title = match &chapter.number {
            // Numbered as in mdBook's sidebar.
            Some(number) => format!("{number} {}", chapter_title(chapter)),
            None => chapter_title(chapter),
        };
        let file = format!("{}.xhtml", chapter.slug);
        let mut point = NavPoint::new(file.clone(), title.clone());
        for (id, text) in nav_headings(&document.blocks) {
            point
                .children
                .push(NavPoint::new(format!("{file}#{id}"), text));
        }
        // Under its part, and under its parent chapter in a summary's nesting.
        let level = 1 + usize::from(part.is_some()) + chapter.depth;
        contents.add(point, level);
        push(Item::page(file, xhtml), &title, &mut first);
    }
}

/// The package metadata: the book's, with defaults that keep it valid (a language, a title, a
/// stable identifier, a modification date that never comes from the clock).
fn metadata<'a>(book: &'a Book, options: &EpubOptions, warnings: &mut Warnings) -> Metadata<'a> {
    let meta = &book.meta;
    let title = meta
        .title
        .clone()
        .filter(|t| !t.trim().is_empty())
        .or_else(|| book.chapters[0].document.meta.title.clone())
        .unwrap_or_else(|| "Untitled".to_string());
    let identifier = match meta.identifier.as_deref().map(str::trim) {
        Some(identifier) if !identifier.is_empty() => identifier.to_string(),
        _ => uuid::fmt::Urn::from_uuid(book_uuid(book, &title)).to_string(),
    };
    let mut subjects: Vec<&str> = Vec::new();
    for subject in meta.category.iter().chain(&meta.tags) {
        if !subjects.contains(&subject.as_str()) {
            subjects.push(subject);
        }
    }
    let published = meta.date.as_ref().and_then(|date| {
        let parsed = parse_date(date);
        if parsed.is_none() {
            warnings.push(Diagnostic::warning(
                None,
                format!("date `{date}` is not a date (YYYY-MM-DD); left out of the EPUB"),
            ));
        }
        parsed
    });
    const FORMAT: &str = "%Y-%m-%dT%H:%M:%SZ";
    Metadata {
        identifier,
        title,
        subtitle: meta.subtitle.as_deref(),
        lang: meta.lang_or_default().to_string(),
        rtl: book_rtl(book),
        authors: &meta.authors,
        publisher: meta.publisher.as_deref(),
        description: meta.description.as_deref(),
        subjects,
        rights: meta.rights.as_deref(),
        published: published.map(|date| date.format(FORMAT).to_string()),
        modified: modified_date(book, options).format(FORMAT).to_string(),
    }
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

/// Asset key -> path inside `OEBPS/`, distinct ignoring case (a renamed image could take the
/// name of another, and unzipped on a case-insensitive file system `A.png` is `a.png`). An image whose extension does not match its bytes (a JPEG named `.png`) is named
/// after its bytes, since reading systems go by the extension: a warning says so.
fn media_paths(book: &Book, warnings: &mut Warnings) -> BTreeMap<String, String> {
    let mut taken = HashSet::new();
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
        while !taken.insert(path.to_lowercase()) {
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
    match package::xml_chars(&text) {
        std::borrow::Cow::Borrowed(_) => text,
        std::borrow::Cow::Owned(cleaned) => cleaned,
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

/// Whether the book is right to left: its `dir` or `lang`, else its first chapter's.
fn book_rtl(book: &Book) -> bool {
    let first = || book.chapters.first()?.document.meta.direction();
    book.meta.direction().or_else(first) == Some(Direction::Rtl)
}

fn xhtml_head(out: &mut String, title: &str, lang: &str, rtl: bool, body_class: Option<&str>) {
    out.push_str(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<!DOCTYPE html>\n<html \
         xmlns=\"http://www.w3.org/1999/xhtml\" xmlns:epub=\"http://www.idpf.org/2007/ops\" lang=\"",
    );
    attr(out, lang);
    out.push_str("\" xml:lang=\"");
    attr(out, lang);
    if rtl {
        out.push_str("\" dir=\"rtl");
    }
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
    escape_text(out, &package::xml_chars(value)).expect("writing to a String cannot fail");
}

fn attr(out: &mut String, value: &str) {
    escape_attr(out, &package::xml_chars(value)).expect("writing to a String cannot fail");
}

/// One chapter as an XHTML content document.
fn chapter_xhtml(
    chapter: &Chapter,
    document: &Document,
    media_paths: &BTreeMap<String, String>,
    book_lang: &str,
    book_rtl: bool,
    options: &EpubOptions,
) -> String {
    let title = chapter_title(chapter);
    let lang = document.meta.lang.as_deref().unwrap_or(book_lang);
    let rtl = document
        .meta
        .direction()
        .map_or(book_rtl, |d| d == Direction::Rtl);
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
        rtl,
    };
    let mut out = String::with_capacity(4096);
    xhtml_head(&mut out, &title, lang, rtl, None);
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
fn part_page(title: &str, lang: &str, rtl: bool) -> String {
    let mut out = String::new();
    xhtml_head(&mut out, title, lang, rtl, None);
    out.push_str("<section epub:type=\"part\" role=\"doc-part\">\n<h1 class=\"part-title\">");
    text(&mut out, title);
    out.push_str("</h1>\n</section>\n</body>\n</html>\n");
    out
}

/// The cover page: the cover image, scaled to the screen by the stylesheet.
fn cover_page(src: &str, title: &str, lang: &str) -> String {
    let mut out = String::new();
    // No direction: an image only, centred.
    xhtml_head(&mut out, title, lang, false, Some("cover"));
    out.push_str("<section epub:type=\"cover\" class=\"cover\">\n<div class=\"cover\"><img src=\"");
    attr(&mut out, src);
    out.push_str("\" alt=\"");
    attr(&mut out, &format!("Cover: {title}"));
    out.push_str("\" /></div>\n</section>\n</body>\n</html>\n");
    out
}

#[cfg(test)]
mod tests;
