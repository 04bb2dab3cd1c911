//! mdBook's listing conventions: a code block with a file name above it and a caption below,
//! kept together as one [`Listing`].
//!
//! Two spellings are in use (both from _The Rust Programming Language_):
//! - paragraphs that are one `<span class="filename">` (or `file-name`) before the code block
//!   and one `<span class="caption">` after it;
//! - the `<Listing number="1-2" file-name="src/main.rs" caption="...">` element of the
//!   `mdbook-trpl` preprocessor around Markdown, shown as `Filename: src/main.rs` above and
//!   `Listing 1-2: caption` below, with the id `listing-1-2`.

use super::html::Tag;
use crate::model::{Block, Inline, Listing};

/// The listing part a paragraph's source stands for, when the whole paragraph is one
/// `<span class="filename">`, `<span class="file-name">` or `<span class="caption">`:
/// `"filename"` or `"caption"`.
pub fn span_class(source: &str) -> Option<&'static str> {
    let source = source.trim();
    let rest = source.strip_prefix("<span")?;
    let open_end = rest.find('>')?;
    let inner = &rest[open_end + 1..];
    // One span around the whole paragraph: no other span opens inside it.
    if !inner.ends_with("</span>") || inner.contains("<span") {
        return None;
    }
    let tag = super::html::parse_tag(&source[..open_end + 6])?;
    match tag.attr("class")?.trim() {
        "filename" | "file-name" => Some("filename"),
        "caption" => Some("caption"),
        _ => None,
    }
}

/// An empty listing from a `<Listing>` start tag; `caption` turns the `caption` attribute's
/// Markdown into inlines (the caller owns the Markdown reader).
pub fn from_tag(tag: &Tag, caption: impl FnOnce(&str) -> Vec<Inline>) -> Listing {
    let number = tag.attr("number").map(str::trim).filter(|n| !n.is_empty());
    let file_name = match tag.attr("file-name").map(str::trim) {
        Some(name) if !name.is_empty() => vec![Inline::Text(format!("Filename: {name}"))],
        _ => Vec::new(),
    };
    let text = tag.attr("caption").map(caption).unwrap_or_default();
    let caption = match number {
        Some(number) if text.is_empty() => vec![Inline::Text(format!("Listing {number}"))],
        Some(number) => {
            let mut caption = vec![Inline::Text(format!("Listing {number}: "))];
            caption.extend(text);
            caption
        }
        None => text,
    };
    Listing {
        id: number.map(|number| format!("listing-{number}")),
        file_name,
        blocks: Vec::new(),
        caption,
    }
}

/// Joins, in every block list of the tree, a file-name paragraph, the code block after it and
/// a caption paragraph after that into one [`Block::Listing`] (either paragraph may be
/// missing, not both). A file-name or caption paragraph with no code block beside it stays
/// what the reader made of it (a `Div` with that class).
pub fn group(blocks: &mut Vec<Block>) {
    if blocks.iter().any(|block| part_of(block).is_some()) {
        *blocks = group_list(std::mem::take(blocks));
    }
    for block in blocks {
        for children in block.child_lists_mut() {
            group(children);
        }
    }
}

fn group_list(blocks: Vec<Block>) -> Vec<Block> {
    let mut out: Vec<Block> = Vec::with_capacity(blocks.len());
    let mut blocks = blocks.into_iter().peekable();
    while let Some(block) = blocks.next() {
        let file_name = part_of(&block) == Some("filename");
        let code_follows = matches!(blocks.peek(), Some(Block::CodeBlock(_)));
        let (file_name, code) = match block {
            block if file_name && code_follows => {
                (paragraph_text(block), blocks.next().expect("peeked"))
            }
            Block::CodeBlock(_) if matches!(blocks.peek(), Some(next) if part_of(next) == Some("caption")) => {
                (Vec::new(), block)
            }
            block => {
                out.push(block);
                continue;
            }
        };
        let caption = match blocks.peek() {
            Some(next) if part_of(next) == Some("caption") => {
                paragraph_text(blocks.next().expect("peeked"))
            }
            _ => Vec::new(),
        };
        out.push(Block::Listing(Listing {
            id: None,
            file_name,
            blocks: vec![code],
            caption,
        }));
    }
    out
}

/// The listing part a block is (see [`span_class`]).
fn part_of(block: &Block) -> Option<&str> {
    match block {
        Block::Div {
            id: None,
            class: Some(class),
            blocks,
        } if matches!(blocks.as_slice(), [Block::Paragraph(_)]) => match class.as_str() {
            "filename" | "caption" => Some(class.as_str()),
            _ => None,
        },
        _ => None,
    }
}

/// The inlines of a part made by the reader: a `Div` around one paragraph.
fn paragraph_text(block: Block) -> Vec<Inline> {
    match block {
        Block::Div { mut blocks, .. } => match blocks.pop() {
            Some(Block::Paragraph(inlines)) => inlines,
            _ => Vec::new(),
        },
        _ => Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn span_paragraphs_are_recognised_by_class() {
        assert_eq!(
            span_class(r#"<span class="filename">Filename: src/main.rs</span>"#),
            Some("filename")
        );
        assert_eq!(
            span_class("<span class=\"caption\">Listing 1-1: A `main`</span>\n"),
            Some("caption")
        );
        assert_eq!(span_class(r#"<span class="note">x</span>"#), None);
        assert_eq!(
            span_class(r#"<span class="filename">a</span> and <span>b</span>"#),
            None
        );
        assert_eq!(span_class("Filename: src/main.rs"), None);
    }
}
