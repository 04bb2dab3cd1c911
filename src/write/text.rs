//! The plain-text writer: the model laid out as readable, wrapped text.
//!
//! The house style follows the seed's plain-text variant: the title on the first line, headings
//! as bare lines, `  • ` bullets and `  1. ` numbers with hanging indents, a blank line between
//! blocks and between the items of loose lists, image alt text on a line of its own, and link
//! targets as numbered references at the end (or inline, or not at all).
//!
//! Paragraphs, lists and quotes are laid out here, measuring display width (so `•` and CJK
//! text wrap right); tables are laid out by html2text from the HTML writer's `<table>`, which
//! fits columns to the width. Data still flows one way: model -> (HTML table) -> text.

use std::fmt::Write as _;

use html2text::render::TrivialDecorator;
use unicode_width::UnicodeWidthStr;

use super::html::{HtmlOptions, body_to_string};
use crate::model::{Block, Document, Inline, List};

/// What happens to link targets (`--links`, `[text] links`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
#[non_exhaustive]
pub enum LinkStyle {
    /// `text[1]`, with `[1]: url` listed at the end.
    #[default]
    #[value(help = "Numbered references listed at the end")]
    Refs,
    /// `text <url>`.
    #[value(help = "The target in angle brackets after the text")]
    Inline,
    /// Only the link text.
    #[value(help = "Only the text")]
    None,
}

/// Options of the plain-text writer.
#[derive(Debug, Clone, Copy)]
pub struct TextOptions {
    /// Wrap at this many columns; 0 means no wrapping.
    pub width: usize,
    /// How links are shown.
    pub links: LinkStyle,
}

impl Default for TextOptions {
    fn default() -> Self {
        TextOptions {
            width: 80,
            links: LinkStyle::Refs,
        }
    }
}

/// Columns used when wrapping is off: wider than any real paragraph.
const NO_WRAP: usize = usize::MAX / 4;

/// Writes `document` as plain text.
pub fn text(document: &Document, options: &TextOptions) -> String {
    let mut writer = TextWriter {
        options,
        references: Vec::new(),
        definitions: crate::model::footnote_definitions(&document.blocks),
        footnote_order: Vec::new(),
    };
    let width = match options.width {
        0 => NO_WRAP,
        w => w.max(10),
    };
    let mut out = String::new();
    if let Some(title) = document.meta.title.as_deref().filter(|t| !t.is_empty()) {
        out.push_str(title);
        out.push('\n');
    }
    let mut chunks = Vec::new();
    writer.blocks(&document.blocks, width, &mut chunks);
    // Footnote bodies, then link references, close the text.
    let mut number = 0;
    while number < writer.footnote_order.len() {
        // Footnotes may reference further footnotes, so the list can grow while we go.
        let label = writer.footnote_order[number];
        number += 1;
        let Some((_, blocks)) = writer.definitions.iter().find(|(l, _)| *l == label) else {
            continue;
        };
        let blocks: &[Block] = blocks;
        let mut inner = Vec::new();
        let marker = format!("[^{number}] ");
        writer.blocks(
            blocks,
            width.saturating_sub(marker.width()).max(10),
            &mut inner,
        );
        chunks.push(hang(&marker, &inner.join("\n\n")));
    }
    if !writer.references.is_empty() {
        let mut refs = String::new();
        for (index, url) in writer.references.iter().enumerate() {
            let _ = writeln!(refs, "[{}]: {url}", index + 1);
        }
        chunks.push(refs.trim_end().to_string());
    }
    for chunk in chunks {
        if !out.is_empty() {
            out.push('\n');
        }
        out.push_str(&chunk);
        out.push('\n');
    }
    out
}

struct TextWriter<'a> {
    options: &'a TextOptions,
    references: Vec<String>,
    definitions: Vec<(&'a str, &'a [Block])>,
    /// Footnote labels in order of first reference; a note's number is its index + 1.
    footnote_order: Vec<&'a str>,
}

/// Prefixes the first line of `body` with `first` and the others with as many spaces.
fn hang(first: &str, body: &str) -> String {
    let indent = " ".repeat(first.width());
    let mut out = String::new();
    for (index, line) in body.lines().enumerate() {
        if index > 0 {
            out.push('\n');
        }
        if line.is_empty() {
            continue;
        }
        out.push_str(if index == 0 { first } else { &indent });
        out.push_str(line);
    }
    if out.is_empty() {
        out.push_str(first.trim_end());
    }
    out
}

/// Prefixes every non-empty line of `body`.
fn prefix_lines(prefix: &str, body: &str) -> String {
    body.lines()
        .map(|l| {
            if l.is_empty() {
                prefix.trim_end().to_string()
            } else {
                format!("{prefix}{l}")
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// Greedy word wrapping by display width (wide CJK characters count two columns, combining
/// marks none); hard breaks (`\n`) are kept, text without spaces (CJK) breaks where UAX #14
/// allows, and words longer than the width (URLs) stand alone on their line.
pub fn wrap(text: &str, width: usize) -> String {
    let mut out = String::new();
    for (index, paragraph) in text.split('\n').enumerate() {
        if index > 0 {
            out.push('\n');
        }
        let mut column = 0;
        for word in paragraph.split(' ').filter(|w| !w.is_empty()) {
            let cuts = crate::write::breaks::inside_word(word);
            let mut start = 0;
            for end in cuts.into_iter().chain([word.len()]) {
                let piece = &word[start..end];
                // A space before a word's first piece; its other pieces join without one.
                let space = usize::from(start == 0);
                let w = piece.width();
                if column > 0 && column + space + w > width {
                    out.push('\n');
                    column = 0;
                } else if column > 0 && space == 1 {
                    out.push(' ');
                    column += 1;
                }
                out.push_str(piece);
                column += w;
                start = end;
            }
        }
    }
    out
}

impl<'a> TextWriter<'a> {
    fn blocks(&mut self, blocks: &'a [Block], width: usize, out: &mut Vec<String>) {
        for block in blocks {
            if let Some(chunk) = self.block(block, width) {
                out.push(chunk);
            }
        }
    }

    fn block(&mut self, block: &'a Block, width: usize) -> Option<String> {
        Some(match block {
            Block::Heading { content, .. } | Block::Paragraph(content) | Block::Plain(content) => {
                let text = self.inlines(content);
                if text.trim().is_empty() {
                    return None;
                }
                wrap(text.trim(), width)
            }
            Block::List(list) => self.list(list, width),
            Block::BlockQuote(blocks) => {
                let mut inner = Vec::new();
                self.blocks(blocks, width.saturating_sub(2).max(10), &mut inner);
                prefix_lines("> ", &inner.join("\n\n"))
            }
            Block::CodeBlock(code) => prefix_lines("    ", code.text.trim_end_matches('\n')),
            Block::Table(table) => {
                let html = body_to_string(
                    &[Block::Table(table.clone())],
                    &HtmlOptions {
                        highlight: false,
                        raw_html: false,
                        ..HtmlOptions::default()
                    },
                );
                let table_width = if width == NO_WRAP { 1000 } else { width };
                // The trivial decorator: cells show their text without Markdown-like marks.
                let laid_out = html2text::config::with_decorator(TrivialDecorator::new())
                    .allow_width_overflow()
                    .string_from_read(html.as_bytes(), table_width)
                    .unwrap_or_default();
                laid_out
                    .lines()
                    .map(str::trim_end)
                    .collect::<Vec<_>>()
                    .join("\n")
            }
            Block::ThematicBreak => {
                let rule = "*  *  *";
                let pad = width.min(80).saturating_sub(rule.len()) / 2;
                format!("{}{rule}", " ".repeat(pad))
            }
            Block::Figure(figure) => {
                let mut text = figure.image.alt.clone();
                if !figure.caption.is_empty() {
                    let caption = self.inlines(&figure.caption);
                    if !text.is_empty() && caption.trim() != text.trim() {
                        text.push('\n');
                        text.push_str(caption.trim());
                    } else {
                        text = caption;
                    }
                }
                if text.trim().is_empty() {
                    return None;
                }
                wrap(text.trim(), width)
            }
            Block::FootnoteDefinition { .. } | Block::RawHtml(_) => return None,
            // The file name and caption sit right against the code, so the three read as one.
            Block::Listing(listing) => {
                let mut parts = Vec::new();
                let file_name = self.inlines(&listing.file_name);
                if !file_name.trim().is_empty() {
                    parts.push(wrap(file_name.trim(), width));
                }
                let mut inner = Vec::new();
                self.blocks(&listing.blocks, width, &mut inner);
                parts.extend(inner);
                let caption = self.inlines(&listing.caption);
                if !caption.trim().is_empty() {
                    parts.push(wrap(caption.trim(), width));
                }
                if parts.is_empty() {
                    return None;
                }
                parts.join("\n")
            }
            Block::Div { blocks, .. } => {
                let mut inner = Vec::new();
                self.blocks(blocks, width, &mut inner);
                if inner.is_empty() {
                    return None;
                }
                inner.join("\n\n")
            }
        })
    }

    fn list(&mut self, list: &'a List, width: usize) -> String {
        let mut items = Vec::new();
        // Saturating: `<ol start="18446744073709551615">` is a valid model (found by fuzzing).
        let last_number = list
            .start
            .unwrap_or(1)
            .saturating_add(list.items.len().saturating_sub(1) as u64);
        let number_width = last_number.to_string().len();
        for (index, item) in list.items.iter().enumerate() {
            let marker = match list.start {
                Some(start) => {
                    let number = format!("{}.", start.saturating_add(index as u64));
                    format!("  {number:<w$} ", w = number_width + 1)
                }
                None => "  • ".to_string(),
            };
            let marker = match item.task {
                Some(true) => format!("{marker}[x] "),
                Some(false) => format!("{marker}[ ] "),
                None => marker,
            };
            let inner_width = width.saturating_sub(marker.width()).max(10);
            let mut inner = Vec::new();
            self.blocks(&item.blocks, inner_width, &mut inner);
            let separator = if list.tight { "\n" } else { "\n\n" };
            items.push(hang(&marker, &inner.join(separator)));
        }
        items.join(if list.tight { "\n" } else { "\n\n" })
    }

    fn inlines(&mut self, inlines: &'a [Inline]) -> String {
        let mut out = String::new();
        for inline in inlines {
            self.inline(inline, &mut out);
        }
        out
    }

    fn inline(&mut self, inline: &'a Inline, out: &mut String) {
        match inline {
            Inline::Text(text) => out.push_str(text),
            Inline::Code(code) => out.push_str(code),
            Inline::Anchor(_) => {}
            Inline::Emphasis(c)
            | Inline::Strong(c)
            | Inline::Strikethrough(c)
            | Inline::Subscript(c) => {
                for i in c {
                    self.inline(i, out);
                }
            }
            Inline::Superscript(c) => {
                out.push('^');
                for i in c {
                    self.inline(i, out);
                }
            }
            Inline::Link(link) => {
                for i in &link.content {
                    self.inline(i, out);
                }
                let internal = link.url.starts_with('#') || link.url.starts_with("bindery:");
                match self.options.links {
                    _ if internal => {}
                    LinkStyle::None => {}
                    LinkStyle::Inline => {
                        let _ = write!(out, " <{}>", link.url);
                    }
                    LinkStyle::Refs => {
                        let number = match self.references.iter().position(|r| *r == link.url) {
                            Some(index) => index + 1,
                            None => {
                                self.references.push(link.url.clone());
                                self.references.len()
                            }
                        };
                        let _ = write!(out, "[{number}]");
                    }
                }
            }
            Inline::Image(image) => out.push_str(&image.alt),
            Inline::LineBreak => out.push('\n'),
            Inline::SoftBreak => out.push(' '),
            Inline::FootnoteRef(label) => {
                let number = self.footnote_number(label);
                let _ = write!(out, "[^{number}]");
            }
            Inline::RawHtml(_) => {}
        }
    }

    fn footnote_number(&mut self, label: &'a str) -> usize {
        match self.footnote_order.iter().position(|l| *l == label) {
            Some(index) => index + 1,
            None => {
                self.footnote_order.push(label);
                self.footnote_order.len()
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::read::{ReadOptions, read_str};
    use std::path::Path;

    fn convert(source: &str, options: &TextOptions) -> String {
        let doc = read_str(
            Path::new("t.md"),
            source,
            &ReadOptions::default(),
            &mut Vec::new(),
        )
        .unwrap();
        text(&doc, options)
    }

    #[test]
    fn cjk_and_combining_marks_wrap_by_display_width() {
        let chinese = "漢字".repeat(60) + "。";
        let wrapped = wrap(&chinese, 80);
        for line in wrapped.lines() {
            assert!(line.width() <= 80, "{} columns: {line}", line.width());
            assert!(!line.starts_with('。'));
        }
        assert_eq!(wrapped.replace('\n', ""), chinese);
        // Decomposed Vietnamese: the marks take no columns, so ten words of four letters fit
        // in 49 columns (counting characters would need 69).
        let word = "Vie\u{0302}\u{0323}t";
        let line = [word; 10].join(" ");
        assert_eq!(wrap(&line, 49).lines().count(), 1);
        assert_eq!(wrap(&line, 48).lines().count(), 2);
    }

    #[test]
    fn house_style_matches_the_plain_text_variant() {
        let out = convert(
            "title: T\n\n## Head\n\nPara [l](http://x.org).\n\n* one\n* two\n\n1. a\n2. b\n\n<img src=\"p.png\" alt=\"Alt text.\">\n",
            &TextOptions::default(),
        );
        assert_eq!(
            out,
            "T\n\nHead\n\nPara l[1].\n\n  • one\n  • two\n\n  1. a\n  2. b\n\nAlt text.\n\n[1]: http://x.org\n"
        );
    }

    #[test]
    fn loose_items_are_separated_and_wrapped_with_hanging_indent() {
        let out = convert(
            "title: T\n\n* alpha beta gamma delta epsilon\n\n* two\n",
            &TextOptions {
                width: 20,
                links: LinkStyle::Refs,
            },
        );
        assert_eq!(
            out,
            "T\n\n  • alpha beta gamma\n    delta epsilon\n\n  • two\n"
        );
    }

    #[test]
    fn link_styles_and_no_wrapping() {
        let long = "word ".repeat(40);
        let source = format!("title: T\n\n{long}[l](http://x.org)\n");
        let inline = convert(
            &source,
            &TextOptions {
                width: 0,
                links: LinkStyle::Inline,
            },
        );
        assert_eq!(
            inline.lines().nth(2).unwrap(),
            format!("{long}l <http://x.org>")
        );
        let none = convert(
            &source,
            &TextOptions {
                width: 30,
                links: LinkStyle::None,
            },
        );
        assert!(none.lines().all(|l| l.chars().count() <= 30), "{none}");
        assert!(!none.contains("http"));
    }
}
