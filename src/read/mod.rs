//! Readers: text in, [`Document`] out. One file per input format.

pub mod frontmatter;
pub mod html;
pub mod include;
pub mod listing;
pub mod markdown;
pub mod options;
pub mod text;

pub use options::{InputFormat, ReadOptions};

use std::path::{Path, PathBuf};

use crate::diag::{Diagnostic, Warnings};
use crate::error::Result;
use crate::model::{Block, Document, Pos};
use crate::slug::IdGenerator;

/// Guesses the format: `.md` / `.markdown` are Markdown; otherwise a file that opens with a
/// header or uses Markdown block syntax is Markdown, and anything else is plain text.
pub fn detect_format(path: &Path, text: &str) -> InputFormat {
    let ext = path
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase);
    if matches!(ext.as_deref(), Some("md" | "markdown" | "mdown" | "mkd")) {
        return InputFormat::Markdown;
    }
    if frontmatter::opens_with_header(text) || markdown::has_block_syntax(text) {
        InputFormat::Markdown
    } else {
        InputFormat::Text
    }
}

/// Decodes `bytes` as UTF-8, or explains where it is not text.
pub fn decode(path: &Path, bytes: &[u8]) -> Result<String> {
    let text = match std::str::from_utf8(bytes) {
        Ok(text) => text,
        Err(e) => {
            let offset = e.valid_up_to();
            let pos = pos_of_offset(&bytes[..offset], offset);
            let image = bytes.starts_with(b"\x89PNG") || bytes.starts_with(b"\xff\xd8");
            let (what, hint) = if image {
                (
                    "this is an image, not a text document",
                    "bindery reads Markdown and plain text; refer to images from a document \
                     (`![alt](file.png)`)",
                )
            } else {
                (
                    "the file is not valid UTF-8",
                    "convert the file to UTF-8, e.g. `iconv -f latin1 -t utf-8`",
                )
            };
            return Err(Diagnostic::error(
                Some(path),
                format!(
                    "{what} (invalid byte 0x{:02x} at byte offset {offset})",
                    bytes[offset]
                ),
            )
            .at(pos, None)
            .with_hint(hint)
            .into());
        }
    };
    if let Some(offset) = text.find('\0') {
        let pos = pos_of_offset(text.as_bytes(), offset);
        return Err(Diagnostic::error(
            Some(path),
            format!("the file contains a NUL byte at byte offset {offset}; is it a binary file?"),
        )
        .at(pos, None)
        .with_hint("bindery reads text documents only")
        .into());
    }
    Ok(text.strip_prefix('\u{feff}').unwrap_or(text).to_string())
}

fn pos_of_offset(bytes: &[u8], offset: usize) -> Pos {
    let before = &bytes[..offset.min(bytes.len())];
    let line = before.iter().filter(|&&b| b == b'\n').count() as u32 + 1;
    let line_start = before
        .iter()
        .rposition(|&b| b == b'\n')
        .map_or(0, |i| i + 1);
    let col = String::from_utf8_lossy(&before[line_start..])
        .chars()
        .count() as u32
        + 1;
    Pos { line, col }
}

/// Reads one document from its bytes. `path` names it in diagnostics and decides the format
/// when none is forced. mdBook's `{{#include}}` directives are expanded, confined to the
/// document's folder; use [`read_source`] to learn which files they read.
pub fn read_document(
    path: &Path,
    bytes: &[u8],
    options: &ReadOptions,
    warnings: &mut Warnings,
) -> Result<Document> {
    let root = path.parent().unwrap_or(Path::new("."));
    read_source(path, bytes, root, options, warnings).map(|source| source.document)
}

/// A document read from a file, with the files its include directives pulled in.
#[derive(Debug, Clone)]
pub struct Source {
    /// The document.
    pub document: Document,
    /// Files read by `{{#include}}` directives (for depfiles and the incremental build).
    pub includes: Vec<PathBuf>,
}

/// [`read_document`], with included files confined to `include_root` (a book's folder) and
/// listed in the result.
pub fn read_source(
    path: &Path,
    bytes: &[u8],
    include_root: &Path,
    options: &ReadOptions,
    warnings: &mut Warnings,
) -> Result<Source> {
    let text = decode(path, bytes)?;
    let (text, includes) = if include::has_directives(&text) {
        let root = if include_root.as_os_str().is_empty() {
            Path::new(".")
        } else {
            include_root
        };
        let expanded = include::expand(&text, path, root, warnings);
        (expanded.text, expanded.files)
    } else {
        (text, Vec::new())
    };
    let document = read_str(path, &text, options, warnings)?;
    Ok(Source { document, includes })
}

/// Reads one document from text (see [`read_document`]).
pub fn read_str(
    path: &Path,
    text: &str,
    options: &ReadOptions,
    warnings: &mut Warnings,
) -> Result<Document> {
    if text.trim().is_empty() {
        // Not an error (a placeholder page is legitimate), but an empty output is more often a
        // wrong path or a failed export upstream.
        warnings.push(Diagnostic::warning(
            Some(path),
            "the document is empty; the output has a title and nothing else",
        ));
    }
    let format = options.format.unwrap_or_else(|| detect_format(path, text));
    let mut document = match format {
        InputFormat::Markdown => markdown::read(text, path, options, warnings)?,
        InputFormat::Text => text::read(text, path, warnings)?,
    };
    finish(&mut document, path, options.keep_title_heading);
    Ok(document)
}

/// Normalisations every reader's output gets: a title, no duplicate title heading, unique
/// heading ids. The title is the metadata's; else a heading that opens the document (of any
/// level: mdBook chapters often open with `##`), which then leaves the body unless
/// `keep_title_heading` (`--fragment`: the body is the whole document); else the first heading
/// anywhere; else the file name.
fn finish(document: &mut Document, path: &Path, keep_title_heading: bool) {
    let opening = match document.blocks.first() {
        Some(Block::Heading { level, content, .. }) => {
            Some((*level, crate::model::plain_text(content)))
        }
        _ => None,
    };
    match (&document.meta.title, opening) {
        (None, Some((_, heading))) if !heading.trim().is_empty() => {
            document.meta.title = Some(heading.trim().to_string());
            if !keep_title_heading {
                document.blocks.remove(0);
            }
        }
        (Some(title), Some((1, h1))) if title.trim() == h1.trim() && !keep_title_heading => {
            document.blocks.remove(0);
        }
        (Some(_), _) => {}
        (None, _) => {
            let first_heading = document.blocks.iter().find_map(|block| match block {
                Block::Heading { content, .. } => {
                    Some(crate::model::plain_text(content).trim().to_string())
                }
                _ => None,
            });
            let stem = || {
                path.file_stem()
                    .and_then(|s| s.to_str())
                    .unwrap_or("untitled")
                    .to_string()
            };
            document.meta.title = Some(
                first_heading
                    .filter(|heading| !heading.is_empty())
                    .unwrap_or_else(stem),
            );
        }
    }
    assign_heading_ids(&mut document.blocks, &mut IdGenerator::new());
}

/// Gives every heading a unique id: its own (made unique) or a slug of its text; container
/// ids are made unique too.
pub fn assign_heading_ids(blocks: &mut [Block], ids: &mut IdGenerator) {
    for block in blocks {
        match block {
            Block::Heading { id, content, .. } => {
                *id = if id.is_empty() {
                    ids.for_text(&crate::model::plain_text(content))
                } else {
                    ids.claim(id)
                };
            }
            Block::List(list) => {
                for item in &mut list.items {
                    assign_heading_ids(&mut item.blocks, ids);
                }
            }
            Block::Div { id, blocks, .. } => {
                // Container ids share the document's id space with headings, so every writer
                // (EPUB's XHTML above all) gets unique, valid ids.
                if let Some(id) = id {
                    let valid = id.chars().all(|c| c.is_alphanumeric() || "-_.".contains(c));
                    *id = ids.claim(&if valid {
                        id.clone()
                    } else {
                        crate::slug::slugify(id)
                    });
                }
                assign_heading_ids(blocks, ids)
            }
            Block::Listing(listing) => {
                if let Some(id) = &mut listing.id {
                    *id = ids.claim(&crate::slug::slugify(id));
                }
                assign_heading_ids(&mut listing.blocks, ids)
            }
            Block::BlockQuote(blocks) | Block::FootnoteDefinition { blocks, .. } => {
                assign_heading_ids(blocks, ids)
            }
            _ => {}
        }
    }
}
