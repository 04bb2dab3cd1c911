//! mdBook's `SUMMARY.md`: which chapters a book has, in what order, nested how, in which parts.
//!
//! The format, as mdBook documents it (<https://rust-lang.github.io/mdBook/format/summary.html>):
//! 1. an optional title (`# Summary`), ignored;
//! 2. prefix chapters: links in plain paragraphs (`[Foreword](foreword.md)`), not numbered,
//!    never nested;
//! 3. numbered chapters: list items holding one link each (`- [Intro](intro.md)`), nested by
//!    sub-lists, numbered `1.`, `1.1.`... across the whole book; a level-1 heading before them is
//!    a part title (`# Getting started`) for the chapters that follow; `---` is a separator;
//! 4. suffix chapters: links in plain paragraphs after the numbered ones;
//! 5. draft chapters: a link with no target (`- [Later]()`): listed, no file.
//!
//! This module only parses: [`Summary::parse`] gives the entries in reading order with their
//! titles, numbers, depths and parts; the caller reads the files (relative to the summary's
//! folder) and assembles the book.

use std::path::{Path, PathBuf};

use pulldown_cmark::{Event, HeadingLevel, Options, Parser, Tag, TagEnd};

use crate::book::ChapterPlace;
use crate::diag::{Diagnostic, Warnings};
use crate::error::{Error, Result};
use crate::model::{Document, Pos};
use crate::read::{ReadOptions, read_source};

/// Where a chapter stands in the book's structure.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum ChapterKind {
    /// Before the numbered chapters (foreword, introduction); not numbered.
    Prefix,
    /// A numbered chapter, possibly nested.
    Numbered,
    /// After the numbered chapters (appendix, contributors); not numbered.
    Suffix,
}

/// One chapter of the summary, flattened into reading order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SummaryEntry {
    /// The link text: the chapter's title in contents, bookmarks and running heads.
    pub title: String,
    /// The chapter's file, relative to the summary's folder; `None` for a draft chapter.
    pub path: Option<PathBuf>,
    /// The section number (`2.1.`) of a numbered chapter.
    pub number: Option<String>,
    /// Nesting depth: 0 for prefix, suffix and top-level numbered chapters.
    pub depth: usize,
    /// The part title (`# Part`) in force, for numbered chapters.
    pub part: Option<String>,
    /// Prefix, numbered or suffix.
    pub kind: ChapterKind,
    /// Where the link stands in `SUMMARY.md`.
    pub pos: Pos,
}

impl SummaryEntry {
    /// Where the chapter stands in the book: its part, number and depth.
    pub fn place(&self) -> ChapterPlace {
        ChapterPlace {
            part: self.part.clone(),
            number: self.number.clone(),
            depth: self.depth,
        }
    }
}

/// A parsed `SUMMARY.md`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Summary {
    /// The leading `# Title`, when there is one (mdBook ignores it; so do the outputs).
    pub title: Option<String>,
    /// Every chapter, drafts included, in reading order.
    pub entries: Vec<SummaryEntry>,
}

/// What the parser is in the middle of.
#[derive(Debug, Default)]
struct Pending {
    /// Text of the link being read (`[...]`), with its target and position.
    link: Option<(String, String, Pos)>,
    /// A finished link of the current paragraph or list item.
    item: Option<(String, String, Pos)>,
    /// Text of a heading being read.
    heading: Option<(HeadingLevel, String, Pos)>,
}

impl Summary {
    /// Reads a summary. Unsupported content (text outside links, ordered lists, headings other
    /// than part titles) is a warning, as mdBook ignores it; only an unreadable structure is an
    /// error.
    pub fn parse(path: &Path, text: &str, warnings: &mut Warnings) -> Result<Summary> {
        let lines = LineIndex::new(text);
        let mut summary = Summary::default();
        let mut pending = Pending::default();
        // The numbers of the open list levels: `counters[d]` is the last number used at depth d.
        let mut counters: Vec<u32> = Vec::new();
        let mut list_depth = 0usize;
        let mut part: Option<String> = None;
        let mut seen_numbered = false;
        let mut seen_anything = false;

        let warn = |warnings: &mut Warnings, pos: Pos, message: String, hint: &str| {
            warnings.push(
                Diagnostic::warning(Some(path), message)
                    .at(pos, lines.line(pos.line))
                    .with_hint(hint),
            );
        };

        for (event, range) in Parser::new_ext(text, Options::empty()).into_offset_iter() {
            let pos = lines.pos(range.start);
            match event {
                Event::Start(Tag::Heading { level, .. }) => {
                    pending.heading = Some((level, String::new(), pos));
                }
                Event::End(TagEnd::Heading(_)) => {
                    let Some((level, title, pos)) = pending.heading.take() else {
                        continue;
                    };
                    let title = title.trim().to_string();
                    if !seen_anything && summary.title.is_none() {
                        summary.title = Some(title);
                    } else if level == HeadingLevel::H1 {
                        part = Some(title);
                    } else {
                        warn(
                            warnings,
                            pos,
                            format!("`{title}`: only `#` headings are part titles; ignored"),
                            "write part titles as level-1 headings (`# Part`)",
                        );
                    }
                }
                Event::Start(Tag::List(start)) => {
                    if start.is_some() {
                        warn(
                            warnings,
                            pos,
                            "numbered chapters are `-` or `*` list items; this ordered list is \
                             read as one"
                                .into(),
                            "use `- [Title](file.md)`",
                        );
                    }
                    // An item's link is complete when its nested list starts.
                    if let Some(item) = pending.item.take() {
                        let depth = list_depth.saturating_sub(1);
                        push_numbered(&mut summary, &mut counters, depth, &part, item);
                    }
                    list_depth += 1;
                }
                Event::End(TagEnd::List(_)) => {
                    list_depth = list_depth.saturating_sub(1);
                    // Sub-chapters restart at 1 under the next chapter; top-level numbers run on
                    // across parts, as in mdBook.
                    counters.truncate(list_depth.max(1));
                }
                Event::Start(Tag::Item) => {
                    seen_anything = true;
                    seen_numbered = true;
                    pending.item = None;
                }
                Event::End(TagEnd::Item) => {
                    if let Some(item) = pending.item.take() {
                        let depth = list_depth.saturating_sub(1);
                        push_numbered(&mut summary, &mut counters, depth, &part, item);
                    }
                }
                Event::Start(Tag::Paragraph) if list_depth == 0 => {
                    seen_anything = true;
                    pending.item = None;
                }
                Event::End(TagEnd::Paragraph) if list_depth == 0 => {
                    if let Some((title, target, pos)) = pending.item.take() {
                        let kind = if seen_numbered {
                            ChapterKind::Suffix
                        } else {
                            ChapterKind::Prefix
                        };
                        summary.entries.push(SummaryEntry {
                            title,
                            path: chapter_path(&target),
                            number: None,
                            depth: 0,
                            part: None,
                            kind,
                            pos,
                        });
                    }
                }
                Event::Start(Tag::Link { dest_url, .. }) => {
                    pending.link = Some((String::new(), dest_url.to_string(), pos));
                }
                Event::End(TagEnd::Link) => {
                    if let Some(link) = pending.link.take() {
                        if pending.item.is_some() {
                            warn(
                                warnings,
                                link.2,
                                format!(
                                    "`{}`: a summary entry holds one link; this one is ignored",
                                    link.0
                                ),
                                "put each chapter on its own line",
                            );
                        } else {
                            pending.item = Some(link);
                        }
                    }
                }
                Event::Text(t) | Event::Code(t) => {
                    if let Some((_, title, _)) = &mut pending.heading {
                        title.push_str(&t);
                    } else if let Some((title, _, _)) = &mut pending.link {
                        title.push_str(&t);
                    } else if !t.trim().is_empty() {
                        warn(
                            warnings,
                            pos,
                            format!("`{}` is not a link to a chapter; ignored", t.trim()),
                            "summary entries are links: `[Title](file.md)`",
                        );
                    }
                }
                Event::SoftBreak | Event::HardBreak => {
                    if let Some((title, _, _)) = &mut pending.link {
                        title.push(' ');
                    }
                }
                Event::Rule => seen_anything = true,
                _ => {}
            }
        }
        Ok(summary)
    }

    /// Reads and parses a summary file. A summary that lists no chapter with a file is an
    /// error: there would be no book.
    pub fn read(path: &Path, warnings: &mut Warnings) -> Result<Summary> {
        let bytes = std::fs::read(path).map_err(|e| Error::io(path, "cannot read", e))?;
        let text = crate::read::decode(path, &bytes)?;
        let summary = Summary::parse(path, &text, warnings)?;
        if summary.files().next().is_none() {
            return Err(
                Diagnostic::error(Some(path), "the summary lists no chapter with a file")
                    .with_hint("list chapters as `- [Title](file.md)`")
                    .into(),
            );
        }
        Ok(summary)
    }

    /// The chapters that have a file (drafts left out), in reading order.
    pub fn files(&self) -> impl Iterator<Item = (&SummaryEntry, &Path)> {
        self.entries
            .iter()
            .filter_map(|entry| entry.path.as_deref().map(|path| (entry, path)))
    }
}

/// The chapters of a summary, read: what [`crate::book::Book::assemble`] takes.
#[derive(Debug, Clone, Default)]
pub struct SummaryBook {
    /// The chapters' documents in reading order, titled by the summary's link text.
    pub documents: Vec<(PathBuf, Document)>,
    /// Each document's part, number and depth (for `BookOptions::structure`).
    pub places: Vec<ChapterPlace>,
    /// Every file read besides the summary: chapters and the files they include.
    pub inputs: Vec<PathBuf>,
    /// Draft chapters, which have no file: `(title, place in SUMMARY.md)`.
    pub drafts: Vec<(String, Pos)>,
}

/// The source folder of the mdBook whose `book.toml` is in `root`: `[book] src`, `src` when
/// unset, as mdBook reads it. `None` without a `book.toml` (or when it is not TOML), so that
/// `bindery build` run in a book's root finds the chapters as `mdbook build` does.
pub fn book_toml_source(root: &Path) -> Option<PathBuf> {
    let text = std::fs::read_to_string(root.join("book.toml")).ok()?;
    let table = text.parse::<toml::Table>().ok()?;
    let src = table
        .get("book")
        .and_then(|book| book.get("src"))
        .and_then(toml::Value::as_str)
        .unwrap_or("src");
    Some(root.join(src))
}

/// Where an mdBook keeps its `book.toml`: beside the `src/` folder that holds `SUMMARY.md`.
pub fn book_toml_path(summary: &Path) -> Option<PathBuf> {
    let root = summary.parent()?.parent()?;
    Some(root.join("book.toml"))
}

/// The book's metadata from an mdBook's `book.toml` (`[book]` title, authors, language and
/// description), as mdBook reads them; empty when there is no such file or it is not TOML
/// (mdBook's own checks are not repeated: the summary is what bindery needs).
pub fn book_toml_meta(summary: &Path) -> crate::meta::Meta {
    let mut meta = crate::meta::Meta::default();
    let Some(text) = book_toml_path(summary).and_then(|path| std::fs::read_to_string(path).ok())
    else {
        return meta;
    };
    let Ok(table) = text.parse::<toml::Table>() else {
        return meta;
    };
    let Some(book) = table.get("book") else {
        return meta;
    };
    let text_of = |key: &str| {
        book.get(key)
            .and_then(toml::Value::as_str)
            .map(str::trim)
            .filter(|value| !value.is_empty())
            .map(String::from)
    };
    meta.title = text_of("title");
    meta.description = text_of("description");
    meta.lang = text_of("language").filter(|lang| crate::meta::is_language_tag(lang));
    if let Some(authors) = book.get("authors").and_then(toml::Value::as_array) {
        meta.authors = authors
            .iter()
            .filter_map(toml::Value::as_str)
            .map(|author| author.trim().to_string())
            .filter(|author| !author.is_empty())
            .collect();
    }
    meta
}

/// Whether `path` names an mdBook summary (`SUMMARY.md`, any case of the extension).
pub fn is_summary(path: &Path) -> bool {
    path.file_name()
        .and_then(|n| n.to_str())
        .is_some_and(|name| {
            name.len() == "SUMMARY.md".len() && name.eq_ignore_ascii_case("SUMMARY.md")
        })
}

/// Reads `summary_path` and every chapter it lists (paths relative to its folder, includes
/// confined to that folder). A chapter file that cannot be read is an error naming its place
/// in the summary: a book with a chapter missing is not the book.
pub fn load(
    summary_path: &Path,
    options: &ReadOptions,
    warnings: &mut Warnings,
) -> Result<SummaryBook> {
    let summary = Summary::read(summary_path, warnings)?;
    let root = summary_path.parent().unwrap_or(Path::new(""));
    let mut book = SummaryBook::default();
    for entry in &summary.entries {
        let Some(file) = &entry.path else {
            book.drafts.push((entry.title.clone(), entry.pos));
            continue;
        };
        let path = root.join(file);
        let bytes = std::fs::read(&path).map_err(|e| {
            Diagnostic::error(
                Some(summary_path),
                format!("chapter `{}`: cannot read {}: {e}", entry.title, path.display()),
            )
            .at(entry.pos, None)
            .with_hint("paths in SUMMARY.md are relative to its folder; `[Title]()` marks a draft chapter with no file")
        })?;
        let source = read_source(&path, &bytes, root, options, warnings)?;
        let mut document = source.document;
        // The summary's link text is the chapter's title everywhere, as in mdBook's sidebar.
        document.meta.title = Some(entry.title.clone());
        book.inputs.push(path.clone());
        book.inputs.extend(source.includes);
        book.places.push(entry.place());
        book.documents.push((path, document));
    }
    if book.documents.is_empty() {
        return Err(Diagnostic::error(
            Some(summary_path),
            "the summary lists no chapter with a file",
        )
        .with_hint("list chapters as `- [Title](file.md)`")
        .into());
    }
    Ok(book)
}

/// Adds a numbered chapter at `depth`, numbering it after its previous sibling.
fn push_numbered(
    summary: &mut Summary,
    counters: &mut Vec<u32>,
    depth: usize,
    part: &Option<String>,
    (title, target, pos): (String, String, Pos),
) {
    counters.resize(depth + 1, 0);
    counters[depth] += 1;
    let number: String = counters.iter().map(|n| format!("{n}.")).collect();
    summary.entries.push(SummaryEntry {
        title,
        path: chapter_path(&target),
        number: Some(number),
        depth,
        part: part.clone(),
        kind: ChapterKind::Numbered,
        pos,
    });
}

/// The file of a link target: `None` for a draft (`()`); a `#fragment` is ignored and `%20`
/// and the like are decoded, as mdBook does.
fn chapter_path(target: &str) -> Option<PathBuf> {
    let target = target.split('#').next().unwrap_or("").trim();
    if target.is_empty() {
        return None;
    }
    Some(PathBuf::from(crate::url::percent_decode(target)))
}

/// Byte offsets to line and column, and lines for diagnostics.
struct LineIndex<'a> {
    text: &'a str,
    starts: Vec<usize>,
}

impl<'a> LineIndex<'a> {
    fn new(text: &'a str) -> Self {
        let starts = std::iter::once(0)
            .chain(text.match_indices('\n').map(|(i, _)| i + 1))
            .collect();
        LineIndex { text, starts }
    }

    fn pos(&self, offset: usize) -> Pos {
        let line = self.starts.partition_point(|&start| start <= offset);
        let start = self.starts[line - 1];
        let col = self.text[start..offset.min(self.text.len())]
            .chars()
            .count()
            + 1;
        Pos {
            line: line as u32,
            col: col as u32,
        }
    }

    fn line(&self, line: u32) -> Option<&'a str> {
        self.text.lines().nth(line.saturating_sub(1) as usize)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> (Summary, Warnings) {
        let mut warnings = Vec::new();
        let summary = Summary::parse(Path::new("SUMMARY.md"), text, &mut warnings).unwrap();
        (summary, warnings)
    }

    #[test]
    fn every_kind_of_entry_in_order() {
        let (summary, warnings) = parse(
            "# Summary\n\n[Foreword](foreword.md)\n\n# Getting started\n\n\
             - [Install](install.md)\n  - [On Linux](install/linux.md)\n  \
             - [On Mac](install/mac%20os.md)\n- [Later]()\n\n---\n\n# Reference\n\n\
             - [Options](options.md)\n\n[Contributors](contributors.md)\n",
        );
        assert!(warnings.is_empty(), "{warnings:?}");
        assert_eq!(summary.title.as_deref(), Some("Summary"));
        let got: Vec<_> = summary
            .entries
            .iter()
            .map(|e| {
                (
                    e.title.as_str(),
                    e.path.as_ref().map(|p| p.to_string_lossy().into_owned()),
                    e.number.as_deref(),
                    e.depth,
                    e.part.as_deref(),
                    e.kind,
                )
            })
            .collect();
        use ChapterKind::*;
        assert_eq!(
            got,
            vec![
                (
                    "Foreword",
                    Some("foreword.md".into()),
                    None,
                    0,
                    None,
                    Prefix
                ),
                (
                    "Install",
                    Some("install.md".into()),
                    Some("1."),
                    0,
                    Some("Getting started"),
                    Numbered
                ),
                (
                    "On Linux",
                    Some("install/linux.md".into()),
                    Some("1.1."),
                    1,
                    Some("Getting started"),
                    Numbered
                ),
                (
                    "On Mac",
                    Some("install/mac os.md".into()),
                    Some("1.2."),
                    1,
                    Some("Getting started"),
                    Numbered
                ),
                (
                    "Later",
                    None,
                    Some("2."),
                    0,
                    Some("Getting started"),
                    Numbered
                ),
                (
                    "Options",
                    Some("options.md".into()),
                    Some("3."),
                    0,
                    Some("Reference"),
                    Numbered
                ),
                (
                    "Contributors",
                    Some("contributors.md".into()),
                    None,
                    0,
                    None,
                    Suffix
                ),
            ]
        );
        assert_eq!(summary.files().count(), 6);
        assert_eq!(summary.entries[2].pos, Pos { line: 8, col: 5 });
    }

    #[test]
    fn stray_text_and_small_headings_are_warnings_with_places() {
        let (summary, warnings) = parse("- [A](a.md)\n\nsome words\n\n## Small\n");
        assert_eq!(summary.entries.len(), 1);
        let messages: Vec<_> = warnings
            .iter()
            .map(|w| (w.pos.unwrap().line, w.message.clone()))
            .collect();
        assert_eq!(
            messages,
            vec![
                (
                    3,
                    "`some words` is not a link to a chapter; ignored".to_string()
                ),
                (
                    5,
                    "`Small`: only `#` headings are part titles; ignored".to_string()
                ),
            ]
        );
    }

    #[test]
    fn code_in_titles_and_deep_nesting() {
        let (summary, _) =
            parse("- [The `main` fn](a.md)\n  - [b](b.md)\n    - [c](c.md)\n- [d](d.md)\n");
        let numbers: Vec<_> = summary
            .entries
            .iter()
            .map(|e| (e.title.as_str(), e.number.as_deref().unwrap(), e.depth))
            .collect();
        assert_eq!(
            numbers,
            vec![
                ("The main fn", "1.", 0),
                ("b", "1.1.", 1),
                ("c", "1.1.1.", 2),
                ("d", "2.", 0)
            ]
        );
    }
}
