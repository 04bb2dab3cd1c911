//! An `arbitrary` generator of bindery document models, for the writer fuzz targets.
//!
//! The library's model has no `Arbitrary` derives (it should not depend on fuzzing crates), so
//! this crate mirrors it with small "shape" types that derive `Arbitrary` and converts them.
//! Nesting is bounded by [`bindery::model::MAX_NESTING`], as the readers bound it: writers may
//! rely on that bound, and an unbounded generator would only find stack overflows that no reader
//! can produce.

use arbitrary::{Arbitrary, Result, Unstructured};
use bindery::model::{
    Align, Block, Cell, CodeBlock, Document, Figure, Image, Inline, Length, Link, List, ListItem,
    MAX_NESTING, Meta, Pos, Row, Table,
};

/// Text drawn from a small alphabet most of the time (markup characters, entities, URLs), so
/// the fuzzer reaches escaping and link code quickly; arbitrary Unicode otherwise.
fn text(u: &mut Unstructured) -> Result<String> {
    const PIECES: &[&str] = &[
        "a", " ", "<", ">", "&", "\"", "'", "\n", "\t", "]]>", "-->", "<script>", "javascript:",
        "http://x/", "/img/a.png", "#", "bindery:", "é", "\u{200b}", "\u{feff}", "*", "_", "`",
        "\u{1F600}", "x.png", "..", "/", "%20", "\r",
    ];
    if u.ratio(1, 4)? {
        return String::arbitrary(u);
    }
    let n = u.int_in_range(0..=8)?;
    let mut s = String::new();
    for _ in 0..n {
        s.push_str(u.choose(PIECES)?);
    }
    Ok(s)
}

fn opt_text(u: &mut Unstructured) -> Result<Option<String>> {
    Ok(if bool::arbitrary(u)? {
        Some(text(u)?)
    } else {
        None
    })
}

fn image(u: &mut Unstructured) -> Result<Image> {
    Ok(Image {
        src: text(u)?,
        alt: text(u)?,
        title: opt_text(u)?,
        width: opt_text(u)?.as_deref().and_then(Length::parse),
        height: opt_text(u)?.as_deref().and_then(Length::parse),
        pos: Pos {
            line: u.arbitrary()?,
            col: u.arbitrary()?,
        },
    })
}

fn inlines(u: &mut Unstructured, depth: usize) -> Result<Vec<Inline>> {
    let n = u.int_in_range(0..=6)?;
    (0..n).map(|_| inline(u, depth)).collect()
}

fn inline(u: &mut Unstructured, depth: usize) -> Result<Inline> {
    let leaf = depth >= MAX_NESTING || u.is_empty();
    let choice = if leaf {
        u.int_in_range(0..=5)?
    } else {
        u.int_in_range(0..=12)?
    };
    Ok(match choice {
        0 => Inline::Text(text(u)?),
        1 => Inline::Code(text(u)?),
        2 => Inline::LineBreak,
        3 => Inline::SoftBreak,
        4 => Inline::FootnoteRef(text(u)?),
        5 => Inline::RawHtml(text(u)?),
        6 => Inline::Image(image(u)?),
        7 => Inline::Emphasis(inlines(u, depth + 1)?),
        8 => Inline::Strong(inlines(u, depth + 1)?),
        9 => Inline::Strikethrough(inlines(u, depth + 1)?),
        10 => Inline::Superscript(inlines(u, depth + 1)?),
        11 => Inline::Subscript(inlines(u, depth + 1)?),
        _ => Inline::Link(Link {
            url: text(u)?,
            title: opt_text(u)?,
            content: inlines(u, depth + 1)?,
            pos: Pos::default(),
        }),
    })
}

fn blocks(u: &mut Unstructured, depth: usize) -> Result<Vec<Block>> {
    let n = u.int_in_range(0..=8)?;
    (0..n).map(|_| block(u, depth)).collect()
}

fn block(u: &mut Unstructured, depth: usize) -> Result<Block> {
    let leaf = depth >= MAX_NESTING || u.is_empty();
    let choice = if leaf {
        u.int_in_range(0..=5)?
    } else {
        u.int_in_range(0..=11)?
    };
    Ok(match choice {
        0 => Block::Heading {
            level: u.int_in_range(0..=7)?,
            id: text(u)?,
            classes: vec![text(u)?],
            content: inlines(u, depth + 1)?,
        },
        1 => Block::Paragraph(inlines(u, depth + 1)?),
        2 => Block::CodeBlock(CodeBlock {
            language: opt_text(u)?,
            text: text(u)?,
            highlighted: Vec::<u8>::arbitrary(u)?
                .into_iter()
                .map(usize::from)
                .collect(),
            ..Default::default()
        }),
        3 => Block::ThematicBreak,
        4 => Block::RawHtml(text(u)?),
        5 => Block::Figure(Figure {
            image: image(u)?,
            caption: if leaf { Vec::new() } else { inlines(u, depth + 1)? },
        }),
        6 => {
            let items = u.int_in_range(0..=4)?;
            Block::List(List {
                start: u.arbitrary()?,
                tight: u.arbitrary()?,
                items: (0..items)
                    .map(|_| {
                        Ok(ListItem {
                            task: u.arbitrary()?,
                            blocks: blocks(u, depth + 1)?,
                        })
                    })
                    .collect::<Result<_>>()?,
            })
        }
        7 => Block::BlockQuote(blocks(u, depth + 1)?),
        8 => Block::FootnoteDefinition {
            label: text(u)?,
            blocks: blocks(u, depth + 1)?,
        },
        9 => Block::Div {
            id: opt_text(u)?,
            class: opt_text(u)?,
            blocks: blocks(u, depth + 1)?,
        },
        10 => Block::Plain(inlines(u, depth + 1)?),
        _ => {
            let columns = u.int_in_range(0..=5)?;
            let rows = u.int_in_range(0..=4)?;
            let cell_row = |u: &mut Unstructured| -> Result<Row> {
                // Rows may be shorter or longer than the header: readers of HTML tables
                // produce ragged rows.
                let n = u.int_in_range(0..=columns + 1)?;
                (0..n)
                    .map(|_| Ok(Cell { content: inlines(u, depth + 1)? }))
                    .collect()
            };
            Block::Table(Table {
                alignments: (0..columns)
                    .map(|_| {
                        Ok(*u.choose(&[Align::None, Align::Left, Align::Center, Align::Right])?)
                    })
                    .collect::<Result<_>>()?,
                header: cell_row(u)?,
                rows: (0..rows).map(|_| cell_row(u)).collect::<Result<_>>()?,
            })
        }
    })
}

/// An arbitrary document: metadata fields that writers show, and a bounded block tree.
#[derive(Debug)]
pub struct ArbitraryDocument(pub Document);

impl<'a> Arbitrary<'a> for ArbitraryDocument {
    fn arbitrary(u: &mut Unstructured<'a>) -> Result<Self> {
        let meta = Meta {
            title: opt_text(u)?,
            subtitle: opt_text(u)?,
            authors: vec![text(u)?],
            date: opt_text(u)?,
            lang: opt_text(u)?,
            slug: opt_text(u)?,
            description: opt_text(u)?,
            toc: u.arbitrary()?,
            cover: opt_text(u)?,
            tags: vec![text(u)?],
            ..Meta::default()
        };
        let blocks = blocks(u, 0)?;
        Ok(ArbitraryDocument(Document { meta, blocks }))
    }
}
