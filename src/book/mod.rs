//! The book: many documents assembled into one publication, shared by every multi-document
//! output (EPUB, PDF, the site build).
//!
//! # The contract writers rely on
//! After a [`Book`] is assembled:
//! - every link between chapters has the url `bindery:SLUG` or `bindery:SLUG#FRAGMENT`, where
//!   SLUG is a [`Chapter::slug`] of this book and FRAGMENT a heading id in that chapter (see
//!   [`parse_internal_link`]); each writer maps that to its own form (`SLUG.xhtml#F`, a PDF
//!   destination, `SLUG.html#F`);
//! - every image `src` is either a remote URL (`http:`/`https:`, never fetched) or a key of
//!   [`Book::assets`], whose bytes are already loaded; images that could not be found were
//!   replaced by their alt text, with a warning.
//! - [`Book::meta`]`.cover`, when set, is a key of [`Book::assets`] (an image).
//! - asset keys are relative `/`-separated paths made of `[A-Za-z0-9._-]` (`img/logos/py.png`),
//!   usable as file names inside any output.
//!
//! Assembly ([`Book::assemble`]) orders the chapters, gives each a unique slug, resolves links
//! ([`links`]) and loads images ([`resources`]).

pub mod links;
pub mod resources;
pub mod summary;

use std::collections::{BTreeMap, BTreeSet, HashSet};
use std::path::{Path, PathBuf};

use crate::diag::{Diagnostic, Warnings};
use crate::error::{Error, Result};
use crate::meta::{Meta, compare_sort_keys, natural_cmp};
pub use crate::model::rewrite_blocks;
use crate::model::{Block, Document, Inline, Listing};

pub use links::{INTERNAL_LINK_PREFIX, LinkIndex, Resolved, parse_internal_link};
pub use resources::{Asset, Files, MemoryFiles, RealFiles, Resolver};

/// A publication made of chapters.
#[derive(Debug, Clone, Default)]
pub struct Book {
    /// Book-level metadata (title, authors, cover...).
    pub meta: Meta,
    /// Chapters in reading order.
    pub chapters: Vec<Chapter>,
    /// Images and other files the chapters use, by key.
    pub assets: BTreeMap<String, Asset>,
}

/// One document of a book.
#[derive(Debug, Clone)]
pub struct Chapter {
    /// The document, with links and images rewritten as described in the module docs.
    pub document: Document,
    /// Where it was read from (for diagnostics).
    pub source: PathBuf,
    /// Unique within the book; a safe file name and XML id (`python-community`).
    pub slug: String,
    /// The title of the part it belongs to: a summary's `# Part`, or for books grouped by folder
    /// the folder's name made readable ([`part_title`]).
    pub part: Option<String>,
    /// Its section number from a summary (`2.1.`), shown before its title in contents.
    pub number: Option<String>,
    /// Its nesting depth from a summary: 0 for a top-level chapter, 1 for a sub-chapter...
    pub depth: usize,
}

impl Chapter {
    /// A top-level chapter in no part, with no number.
    pub fn new(document: Document, source: PathBuf, slug: String) -> Chapter {
        Chapter {
            document,
            source,
            slug,
            part: None,
            number: None,
            depth: 0,
        }
    }

    /// The title shown in contents, bookmarks and running heads: the document's title, else
    /// the slug.
    pub fn title(&self) -> &str {
        self.document.meta.title.as_deref().unwrap_or(&self.slug)
    }
}

/// Where a chapter stands in a book whose structure is given (by a `SUMMARY.md`) rather than
/// taken from the folders.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ChapterPlace {
    /// The part title in force.
    pub part: Option<String>,
    /// The section number (`2.1.`).
    pub number: Option<String>,
    /// The nesting depth.
    pub depth: usize,
}

/// How to assemble a book.
#[derive(Debug, Clone, Default)]
pub struct BookOptions {
    /// Book metadata given by the user (`--title`, `--metadata`, `--cover`); it overrides what
    /// the documents say. A `cover` here is a file path, relative to the current folder.
    pub meta: Meta,
    /// Order chapters by `sortorder`, then by path in natural order, instead of the order given.
    pub sort: bool,
    /// Folders where images are looked up too; each stands for the site root for
    /// site-absolute paths (`/img/x.png`).
    pub resource_paths: Vec<PathBuf>,
    /// The site's absolute URL (`https://www.fullstackpython.com`): links to pages that are not in
    /// the book point there instead of becoming plain text.
    pub site_url: Option<String>,
    /// Do not report links to pages outside the book (`--no-check-links`); they still become
    /// plain text or links to the site. Links to a missing `#fragment` are reported anyway.
    pub skip_link_check: bool,
    /// The structure of a book read from a `SUMMARY.md`, one place per document, in the order
    /// given: parts come from it instead of folders, and `sort` does not apply.
    pub structure: Option<Vec<ChapterPlace>>,
}

impl Book {
    /// Assembles a book from documents (and the paths they were read from), reading images from
    /// the file system. A single document makes a one-chapter book (single-page EPUB/PDF).
    pub fn assemble(
        docs: Vec<(PathBuf, Document)>,
        options: &BookOptions,
        warnings: &mut Warnings,
    ) -> Result<Book> {
        Self::assemble_with(docs, options, &RealFiles, warnings)
    }

    /// [`Book::assemble`] with file access through `files` (tests use [`MemoryFiles`]).
    pub fn assemble_with(
        mut docs: Vec<(PathBuf, Document)>,
        options: &BookOptions,
        files: &dyn Files,
        warnings: &mut Warnings,
    ) -> Result<Book> {
        if docs.is_empty() {
            return Err(Error::Usage("a book needs at least one document".into()));
        }
        let structure = options
            .structure
            .clone()
            .filter(|places| places.len() == docs.len());
        if options.sort && structure.is_none() {
            docs.sort_by(|(pa, a), (pb, b)| {
                compare_sort_keys(a.meta.sortorder.as_deref(), b.meta.sortorder.as_deref())
                    .then_with(|| natural_cmp(&pa.to_string_lossy(), &pb.to_string_lossy()))
            });
        }

        let mut roots = Vec::new();
        for dir in &options.resource_paths {
            let real = files
                .canonicalize(dir)
                .map_err(|e| Error::io(dir, "cannot open resource path", e))?;
            roots.push(real);
        }
        let mut resolver = Resolver::new(files, roots);

        let meta = book_meta(&docs, options, files, &mut resolver, warnings);
        let (slugs, index) = slugs_and_link_index(&docs, warnings);

        let parents: HashSet<Option<&Path>> = docs.iter().map(|(p, _)| p.parent()).collect();
        let grouped = parents.len() > 1;

        let mut chapters = Vec::with_capacity(docs.len());
        for (i, ((path, mut document), slug)) in docs.into_iter().zip(slugs).enumerate() {
            let dir = doc_dir(files, &path);
            let mut rewrite = |inline: Inline| -> Vec<Inline> {
                match inline {
                    Inline::Link(link) => rewrite_link(link, i, &path, &index, options, warnings),
                    Inline::Image(image) => {
                        rewrite_image(image, &dir, &path, &mut resolver, warnings)
                    }
                    other => vec![other],
                }
            };
            rewrite_blocks(&mut document.blocks, &mut rewrite);
            let place = match &structure {
                Some(places) => places[i].clone(),
                None => ChapterPlace {
                    part: grouped
                        .then(|| path.parent().and_then(Path::file_name))
                        .flatten()
                        .map(|name| part_title(&name.to_string_lossy())),
                    ..ChapterPlace::default()
                },
            };
            chapters.push(Chapter {
                document,
                source: path,
                slug,
                part: place.part,
                number: place.number,
                depth: place.depth,
            });
        }

        Ok(Book {
            meta,
            chapters,
            assets: resolver.assets,
        })
    }

    /// The chapter with this slug.
    pub fn chapter(&self, slug: &str) -> Option<&Chapter> {
        self.chapters.iter().find(|c| c.slug == slug)
    }
}

/// A readable title for a part made from a folder name: the ordering prefix goes, dashes and
/// underscores become spaces, the first letter is capitalised (`01-introduction` ->
/// `Introduction`, `web_frameworks` -> `Web frameworks`).
pub fn part_title(folder: &str) -> String {
    let trimmed = folder.trim_start_matches(|c: char| c.is_ascii_digit());
    let trimmed = if trimmed.len() < folder.len() {
        trimmed.trim_start_matches(['-', '_', '.', ' '])
    } else {
        folder
    };
    let words = if trimmed.is_empty() { folder } else { trimmed }.replace(['-', '_'], " ");
    let mut chars = words.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => words,
    }
}

/// Book metadata: a one-document book is that document; a larger one takes its language from
/// the first chapter unless told otherwise. The cover is loaded here (a missing one is a
/// warning).
fn book_meta(
    docs: &[(PathBuf, Document)],
    options: &BookOptions,
    files: &dyn Files,
    resolver: &mut Resolver,
    warnings: &mut Warnings,
) -> Meta {
    let mut meta = if docs.len() == 1 {
        let mut meta = docs[0].1.meta.clone();
        meta.slug = None;
        meta
    } else {
        Meta {
            lang: docs[0].1.meta.lang.clone(),
            ..Meta::default()
        }
    };
    let document_cover = meta.cover.take();
    meta.overlay(&options.meta);
    if meta.title.is_none() {
        meta.title = docs[0].1.meta.title.clone();
    }
    meta.cover = match (&options.meta.cover, document_cover) {
        (Some(path), _) => resolver
            .load_trusted(Path::new(path))
            .map_err(|problem| {
                warnings.push(Diagnostic::warning(None, problem.describe(path)));
            })
            .ok(),
        (None, Some(src)) => {
            let dir = doc_dir(files, &docs[0].0);
            resolver
                .resolve(&dir, &src)
                .map_err(|problem| {
                    warnings.push(Diagnostic::warning(
                        Some(&docs[0].0),
                        format!("cover: {}", problem.describe(&src)),
                    ));
                })
                .ok()
        }
        (None, None) => None,
    };

    meta
}

/// Every chapter's slug (unique, safe as a file name; a problem with the one asked for is a
/// warning), and the index links between chapters are resolved against.
fn slugs_and_link_index(
    docs: &[(PathBuf, Document)],
    warnings: &mut Warnings,
) -> (Vec<String>, LinkIndex) {
    let mut used = HashSet::new();
    let mut index = LinkIndex::default();
    let mut slugs = Vec::with_capacity(docs.len());
    for (path, doc) in docs {
        let stem = path
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default();
        let wanted = doc.meta.slug.clone().unwrap_or_else(|| stem.clone());
        let stem_slug = safe_slug(&stem).unwrap_or_else(|| "chapter".to_string());
        let base = match doc.meta.slug.as_deref() {
            None => stem_slug,
            Some(given) => safe_slug(given).unwrap_or_else(|| {
                warnings.push(
                    Diagnostic::warning(
                        Some(path),
                        format!(
                            "slug `{}` has no letters or digits; the file name gives the \
                             page's name: `{stem_slug}`",
                            shorten(given)
                        ),
                    )
                    .with_hint("give the page a `slug:` of letters, digits and `-`"),
                );
                stem_slug
            }),
        };
        if wanted.len() > MAX_SLUG_BYTES && base.len() > MAX_SLUG_BYTES {
            warnings.push(
                Diagnostic::warning(
                    Some(path),
                    format!(
                        "slug `{}` is {} bytes long; file names use its first \
                         {MAX_SLUG_BYTES} bytes and a hash of the rest: `{base}`",
                        shorten(&wanted),
                        wanted.len()
                    ),
                )
                .with_hint("give the page a short `slug:`"),
            );
        }
        let slug = unique(&base, &mut used);
        if slug != base {
            warnings.push(
                Diagnostic::warning(
                    Some(path),
                    format!("slug `{base}` is used by another document; this one is `{slug}`"),
                )
                .with_hint("give each document its own `slug:`"),
            );
        }
        let ids = link_targets(&doc.blocks).into_iter().collect();
        index.add(&slug, &[wanted.as_str(), stem.as_str()], path, ids);
        slugs.push(slug);
    }

    (slugs, index)
}

/// A link of chapter `chapter` as the book has it: to another chapter, to the site, or plain
/// text (script links, malformed ones, pages outside the book), with a warning for each change.
fn rewrite_link(
    mut link: crate::model::Link,
    chapter: usize,
    path: &Path,
    index: &LinkIndex,
    options: &BookOptions,
    warnings: &mut Warnings,
) -> Vec<Inline> {
    // A book is read offline, in readers and viewers that may run what a
    // link names: script and data links never reach EPUB or PDF.
    if crate::url::is_active_url(&link.url, false) {
        warnings.push(
            Diagnostic::warning(
                Some(path),
                format!(
                    "link `{}` runs a script or opens embedded data; it is \
                     dropped from the book and its text kept",
                    link.url
                ),
            )
            .at(link.pos, None),
        );
        return link.content;
    }
    if let Some(problem) = links::malformed_url(&link.url) {
        warnings.push(
            Diagnostic::warning(
                Some(path),
                format!(
                    "link `{}` is not a valid URL ({problem}); it becomes \
                     plain text",
                    link.url.escape_debug()
                ),
            )
            .at(link.pos, None)
            .with_hint("fix the address, or write it as text"),
        );
        return link.content;
    }
    match index.resolve(chapter, &link.url, options.site_url.as_deref()) {
        Resolved::Keep => {}
        Resolved::Internal {
            url,
            missing_fragment,
        } => {
            if let Some(f) = missing_fragment {
                warnings.push(
                    Diagnostic::warning(
                        Some(path),
                        format!(
                            "link `{}`: `#{f}` is not a heading in that \
                             chapter; the link goes to the chapter's start",
                            link.url
                        ),
                    )
                    .at(link.pos, None),
                );
            }
            link.url = url;
        }
        Resolved::External(url) => link.url = url,
        Resolved::Outside if options.skip_link_check => return link.content,
        Resolved::Outside => {
            warnings.push(
                Diagnostic::warning(
                    Some(path),
                    format!(
                        "link `{}` points to a page that is not in the book; \
                         it becomes plain text",
                        link.url
                    ),
                )
                .at(link.pos, None)
                .with_hint(
                    "add that page to the book, or give the site's URL \
                     (--site-url) to keep such links",
                ),
            );
            return link.content;
        }
    }
    vec![Inline::Link(link)]
}

/// An image of the chapter read from `path` (in `dir`) as the book has it: a remote one kept
/// (made `https:` when scheme-relative), a local one loaded as an asset, or its alt text with a
/// warning.
fn rewrite_image(
    mut image: crate::model::Image,
    dir: &Path,
    path: &Path,
    resolver: &mut Resolver,
    warnings: &mut Warnings,
) -> Vec<Inline> {
    if crate::url::is_remote(&image.src) {
        if let Some(problem) = links::malformed_url(&image.src) {
            warnings.push(
                Diagnostic::warning(
                    Some(path),
                    format!(
                        "image `{}` is not a valid URL ({problem}); its alt \
                         text takes its place",
                        image.src.escape_debug()
                    ),
                )
                .at(image.pos, None)
                .with_hint("fix the address"),
            );
            return if image.alt.is_empty() {
                vec![]
            } else {
                vec![Inline::Text(image.alt)]
            };
        }
        if image.src.starts_with("//") {
            image.src = format!("https:{}", image.src);
        }
        return vec![Inline::Image(image)];
    }
    match resolver.resolve(dir, &image.src) {
        Ok(key) => {
            image.src = key;
            vec![Inline::Image(image)]
        }
        Err(problem) => {
            warnings.push(
                Diagnostic::warning(Some(path), problem.describe(&image.src))
                    .at(image.pos, None)
                    .with_hint(problem.hint()),
            );
            if image.alt.is_empty() {
                vec![]
            } else {
                vec![Inline::Text(image.alt)]
            }
        }
    }
}

/// The canonical folder of a document (its images are looked up there first).
fn doc_dir(files: &dyn Files, path: &Path) -> PathBuf {
    let parent = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    files
        .canonicalize(parent)
        .unwrap_or_else(|_| links::absolute(parent))
}

/// The longest slug kept whole: file names inside packages and site folders stay far below
/// the 255-byte limit of file systems and the 64 KiB limit of ZIP entries.
pub const MAX_SLUG_BYTES: usize = 100;

/// A slug that is a safe file name and XML id: ASCII letters, digits, `-` and `_`, starting
/// with a letter (`03-mysql` becomes `c-03-mysql`), at most [`MAX_SLUG_BYTES`] bytes and a
/// hash of the whole when longer. `None` when `wanted` has no letter or digit to keep
/// (`..`, `???`, an empty value).
fn safe_slug(wanted: &str) -> Option<String> {
    let mut slug = String::with_capacity(wanted.len().min(4 * MAX_SLUG_BYTES));
    for c in wanted.chars() {
        if c.is_ascii_alphanumeric() || c == '_' || c == '-' {
            slug.push(c);
        } else if !slug.ends_with('-') && !slug.is_empty() {
            slug.push('-');
        }
    }
    if !slug.bytes().any(|b| b.is_ascii_alphanumeric()) {
        return None;
    }
    let slug = slug.trim_end_matches('-');
    let mut slug = if slug.starts_with(|c: char| c.is_ascii_alphabetic()) {
        slug.to_string()
    } else {
        format!("c-{slug}")
    };
    if slug.len() > MAX_SLUG_BYTES {
        // Cut (ASCII, so any byte is a boundary) and keep distinct slugs distinct.
        let hash = xxhash_rust::xxh3::xxh3_64(wanted.as_bytes()) as u32;
        slug.truncate(MAX_SLUG_BYTES);
        let kept = slug.trim_end_matches('-').len();
        slug.truncate(kept);
        slug.push_str(&format!("-{hash:08x}"));
    }
    Some(slug)
}

/// A metadata value short enough to quote in a message.
fn shorten(value: &str) -> String {
    match value.char_indices().nth(40) {
        Some((end, _)) => format!("{}...", &value[..end]),
        None => value.to_string(),
    }
}

fn unique(base: &str, used: &mut HashSet<String>) -> String {
    let lower = |s: &str| s.to_ascii_lowercase();
    // Compared without case: two files differing only in case would clash on some systems.
    if used.insert(lower(base)) {
        return base.to_string();
    }
    (2..)
        .map(|n| format!("{base}-{n}"))
        .find(|candidate| used.insert(lower(candidate)))
        .expect("an unused slug exists")
}

/// Warns about the raw HTML of every chapter that a book cannot hold and that held content
/// (`<script>`, `<iframe>`, `<object>`, `<embed>`): the EPUB and PDF writers drop all raw HTML,
/// and both call this, so `--strict` fails the same way whatever the format.
pub fn report_dropped_content(book: &Book, warnings: &mut Warnings) {
    for chapter in &book.chapters {
        let path = chapter.source.as_path();
        let mut warn = |html: &str| {
            let lower = html.to_ascii_lowercase();
            if let Some(tag) = ["<script", "<iframe", "<object", "<embed"]
                .into_iter()
                .find(|tag| lower.contains(tag))
            {
                warnings.push(
                    Diagnostic::warning(
                        Some(path),
                        format!(
                            "`{tag}>` element dropped: a book (EPUB, PDF) cannot hold active or \
                             embedded content"
                        ),
                    )
                    .with_hint("link to the content instead"),
                );
            }
        };
        crate::model::walk_blocks(&chapter.document.blocks, &mut |block| {
            if let Block::RawHtml(html) = block {
                warn(html);
            }
        });
        crate::model::visit_inlines(&chapter.document.blocks, &mut |inline| {
            if let Inline::RawHtml(html) = inline {
                warn(html);
            }
        });
    }
}

/// The ids a link's `#fragment` may name in a chapter: headings, divs, listings and anchors in
/// the text, sorted. Links between chapters resolve against them, so a site page depends on
/// every other page's set (the project build hashes them into each page's key).
pub fn link_targets(blocks: &[Block]) -> BTreeSet<String> {
    let mut ids = BTreeSet::new();
    crate::model::walk_blocks(blocks, &mut |block| match block {
        Block::Heading { id, .. } => {
            ids.insert(id.clone());
        }
        Block::Div { id: Some(id), .. } | Block::Listing(Listing { id: Some(id), .. }) => {
            ids.insert(id.clone());
        }
        _ => {}
    });
    crate::model::visit_inlines(blocks, &mut |inline| {
        if let Inline::Anchor(id) = inline {
            ids.insert(id.clone());
        }
    });
    ids
}

#[cfg(test)]
mod tests;
