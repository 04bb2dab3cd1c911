//! The document tree: one owned model that every reader builds and every writer consumes.
//!
//! Writers never see Markdown or HTML text from another writer; everything they need is here.
//! Raw HTML survives only as [`Block::RawHtml`] / [`Inline::RawHtml`] for markup that has no
//! equivalent in the model (for example `<video>`).

pub use crate::meta::Meta;

/// The deepest nesting of containers (block quotes, lists, emphasis...) the readers build.
/// Deeper content is kept but flattened into the container at this depth, so that no writer
/// recurses without bound on hostile input.
pub const MAX_NESTING: usize = 100;

/// A whole document: its metadata and its body.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Document {
    /// Typed front matter (title, slug, ...), plus every unknown key as text.
    pub meta: Meta,
    /// The body, in reading order.
    pub blocks: Vec<Block>,
}

/// A place in a source file, 1-based, used by diagnostics (broken links, missing images).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Pos {
    /// Line number, 1-based; 0 when unknown.
    pub line: u32,
    /// Column (in characters), 1-based; 0 when unknown.
    pub col: u32,
}

/// Block-level content.
#[derive(Debug, Clone, PartialEq)]
pub enum Block {
    /// A section heading. `id` is unique within the document.
    Heading {
        /// 1 to 6.
        level: u8,
        /// Anchor id, a slug of the text unless the source gave one.
        id: String,
        /// Extra CSS classes given by heading attributes (`{.class}`).
        classes: Vec<String>,
        /// The heading text.
        content: Vec<Inline>,
    },
    /// A paragraph of running text.
    Paragraph(Vec<Inline>),
    /// Inline content that is not set as a paragraph: text directly inside an HTML container
    /// (`<div>Read <a href=..>this</a></div>`). Paged writers set it like a paragraph; HTML
    /// writes it bare.
    Plain(Vec<Inline>),
    /// A bullet or ordered list.
    List(List),
    /// A block quotation.
    BlockQuote(Vec<Block>),
    /// Preformatted code or text.
    CodeBlock(CodeBlock),
    /// A table.
    Table(Table),
    /// A horizontal rule / scene break.
    ThematicBreak,
    /// A stand-alone image, optionally captioned.
    Figure(Figure),
    /// The body of a footnote; referenced by [`Inline::FootnoteRef`] with the same label.
    FootnoteDefinition {
        /// The label as written in the source (`[^label]`).
        label: String,
        /// The footnote's content.
        blocks: Vec<Block>,
    },
    /// A generic container (HTML `<div>`), kept so that its children stay grouped.
    Div {
        /// The `id` attribute, if any (an anchor links may point at).
        id: Option<String>,
        /// The `class` attribute, if any.
        class: Option<String>,
        /// Its content.
        blocks: Vec<Block>,
    },
    /// HTML that has no model equivalent; only the HTML writer shows it.
    RawHtml(String),
}

/// A list and its items.
#[derive(Debug, Clone, PartialEq)]
pub struct List {
    /// `Some(start)` for an ordered list, `None` for bullets.
    pub start: Option<u64>,
    /// A tight list has no blank lines between items (no paragraph spacing).
    pub tight: bool,
    /// The items.
    pub items: Vec<ListItem>,
}

/// One list item.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ListItem {
    /// `Some(checked)` for a task-list item (`- [x]`).
    pub task: Option<bool>,
    /// The item's content.
    pub blocks: Vec<Block>,
}

/// A code block.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct CodeBlock {
    /// The info string's first word (`python`), if any.
    pub language: Option<String>,
    /// The code, each line ending in `\n`, with `~~` highlight markers removed.
    pub text: String,
    /// 1-based numbers of the lines to emphasise (the corpus's `~~` marker).
    pub highlighted: Vec<usize>,
}

/// Column alignment in a table.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Align {
    /// No alignment given.
    #[default]
    None,
    /// Left.
    Left,
    /// Centred.
    Center,
    /// Right.
    Right,
}

/// A table: one header row and body rows of inline cells.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Table {
    /// One entry per column.
    pub alignments: Vec<Align>,
    /// Header cells (may be empty for tables from HTML without `<th>`).
    pub header: Vec<Vec<Inline>>,
    /// Body rows.
    pub rows: Vec<Vec<Vec<Inline>>>,
}

/// An image with an optional caption, standing on its own.
#[derive(Debug, Clone, PartialEq)]
pub struct Figure {
    /// The image.
    pub image: Image,
    /// Caption; empty for none.
    pub caption: Vec<Inline>,
}

/// An image reference.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Image {
    /// The source as written (`/img/logos/py.png`).
    pub src: String,
    /// Alternative text, plain.
    pub alt: String,
    /// Title (tooltip), if any.
    pub title: Option<String>,
    /// Width as written (`100%`, `320`, `20em`).
    pub width: Option<String>,
    /// Height as written.
    pub height: Option<String>,
    /// Where it appears in the source.
    pub pos: Pos,
}

/// A hyperlink.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Link {
    /// Target as written.
    pub url: String,
    /// Title (tooltip), if any.
    pub title: Option<String>,
    /// The link text.
    pub content: Vec<Inline>,
    /// Where it appears in the source.
    pub pos: Pos,
}

/// Inline (phrase-level) content.
#[derive(Debug, Clone, PartialEq)]
pub enum Inline {
    /// Plain text.
    Text(String),
    /// Emphasis (usually italic).
    Emphasis(Vec<Inline>),
    /// Strong emphasis (usually bold).
    Strong(Vec<Inline>),
    /// Struck-out text.
    Strikethrough(Vec<Inline>),
    /// Superscript.
    Superscript(Vec<Inline>),
    /// Subscript.
    Subscript(Vec<Inline>),
    /// Inline code.
    Code(String),
    /// A hyperlink.
    Link(Link),
    /// An inline image.
    Image(Image),
    /// A hard line break.
    LineBreak,
    /// A soft line break (a newline in the source; a space when reflowed).
    SoftBreak,
    /// A reference to a [`Block::FootnoteDefinition`] by label.
    FootnoteRef(String),
    /// Inline HTML with no model equivalent; only the HTML writer shows it.
    RawHtml(String),
    /// A link target inside running text (`<a id="x"></a>`, `<span id="x">`): links may end
    /// at `#x` as at a heading id.
    Anchor(String),
}

impl Inline {
    /// The children of a container inline, if it is one.
    pub fn children(&self) -> Option<&[Inline]> {
        match self {
            Inline::Emphasis(c)
            | Inline::Strong(c)
            | Inline::Strikethrough(c)
            | Inline::Superscript(c)
            | Inline::Subscript(c) => Some(c),
            Inline::Link(link) => Some(&link.content),
            _ => None,
        }
    }
}

/// The plain text of some inlines: what a reader would read aloud (images give their alt text).
pub fn plain_text(inlines: &[Inline]) -> String {
    let mut out = String::new();
    push_plain_text(inlines, &mut out);
    out
}

fn push_plain_text(inlines: &[Inline], out: &mut String) {
    for inline in inlines {
        match inline {
            Inline::Text(t) | Inline::Code(t) => out.push_str(t),
            Inline::Image(image) => out.push_str(&image.alt),
            Inline::LineBreak | Inline::SoftBreak => out.push(' '),
            Inline::FootnoteRef(_) | Inline::RawHtml(_) => {}
            other => push_plain_text(other.children().unwrap_or_default(), out),
        }
    }
}

/// The plain text of a run of blocks, blocks separated by newlines (used for word counts and
/// search, never for rendering).
pub fn blocks_plain_text(blocks: &[Block]) -> String {
    let mut out = String::new();
    for_each_text_run(blocks, &mut |text| {
        out.push_str(text);
        out.push('\n');
    });
    out
}

/// Calls `f` with the plain text of every paragraph-like run in `blocks`, in reading order.
pub fn for_each_text_run(blocks: &[Block], f: &mut dyn FnMut(&str)) {
    for block in blocks {
        match block {
            Block::Heading { content, .. } | Block::Paragraph(content) | Block::Plain(content) => {
                f(&plain_text(content))
            }
            Block::List(list) => {
                for item in &list.items {
                    for_each_text_run(&item.blocks, f);
                }
            }
            Block::BlockQuote(blocks)
            | Block::FootnoteDefinition { blocks, .. }
            | Block::Div { blocks, .. } => for_each_text_run(blocks, f),
            Block::CodeBlock(code) => f(&code.text),
            Block::Table(table) => {
                for cell in table.header.iter().chain(table.rows.iter().flatten()) {
                    f(&plain_text(cell));
                }
            }
            Block::Figure(figure) => {
                f(&figure.image.alt);
                if !figure.caption.is_empty() {
                    f(&plain_text(&figure.caption));
                }
            }
            Block::ThematicBreak | Block::RawHtml(_) => {}
        }
    }
}

/// Visits every inline in a block tree, depth first, including inlines nested in containers.
pub fn visit_inlines<'a>(blocks: &'a [Block], f: &mut dyn FnMut(&'a Inline)) {
    fn walk<'a>(inlines: &'a [Inline], f: &mut dyn FnMut(&'a Inline)) {
        for inline in inlines {
            f(inline);
            if let Some(children) = inline.children() {
                walk(children, f);
            }
        }
    }
    for block in blocks {
        match block {
            Block::Heading { content, .. } | Block::Paragraph(content) | Block::Plain(content) => {
                walk(content, f)
            }
            Block::List(list) => {
                for item in &list.items {
                    visit_inlines(&item.blocks, f);
                }
            }
            Block::BlockQuote(blocks)
            | Block::FootnoteDefinition { blocks, .. }
            | Block::Div { blocks, .. } => visit_inlines(blocks, f),
            Block::Table(table) => {
                for cell in table.header.iter().chain(table.rows.iter().flatten()) {
                    walk(cell, f);
                }
            }
            Block::Figure(figure) => walk(&figure.caption, f),
            Block::CodeBlock(_) | Block::ThematicBreak | Block::RawHtml(_) => {}
        }
    }
}

/// Like [`visit_inlines`], but allows changing each inline in place (used by the book module to
/// rewrite links). Children are visited after their parent.
pub fn visit_inlines_mut(blocks: &mut [Block], f: &mut dyn FnMut(&mut Inline)) {
    fn walk(inlines: &mut [Inline], f: &mut dyn FnMut(&mut Inline)) {
        for inline in inlines.iter_mut() {
            f(inline);
            match inline {
                Inline::Emphasis(c)
                | Inline::Strong(c)
                | Inline::Strikethrough(c)
                | Inline::Superscript(c)
                | Inline::Subscript(c) => walk(c, f),
                Inline::Link(link) => walk(&mut link.content, f),
                _ => {}
            }
        }
    }
    for block in blocks {
        match block {
            Block::Heading { content, .. } | Block::Paragraph(content) | Block::Plain(content) => {
                walk(content, f)
            }
            Block::List(list) => {
                for item in &mut list.items {
                    visit_inlines_mut(&mut item.blocks, f);
                }
            }
            Block::BlockQuote(blocks)
            | Block::FootnoteDefinition { blocks, .. }
            | Block::Div { blocks, .. } => visit_inlines_mut(blocks, f),
            Block::Table(table) => {
                for cell in table
                    .header
                    .iter_mut()
                    .chain(table.rows.iter_mut().flatten())
                {
                    walk(cell, f);
                }
            }
            Block::Figure(figure) => {
                // The figure's image is not an inline; wrap it so one visitor sees every image.
                let mut as_inline = Inline::Image(std::mem::take(&mut figure.image));
                f(&mut as_inline);
                match as_inline {
                    Inline::Image(image) => figure.image = image,
                    other => {
                        // The visitor replaced the image (e.g. by its alt text): keep the caption
                        // and show the replacement as the caption's first part.
                        figure.caption.insert(0, other);
                    }
                }
                walk(&mut figure.caption, f)
            }
            Block::CodeBlock(_) | Block::ThematicBreak | Block::RawHtml(_) => {}
        }
    }
}

/// The block lists directly inside `block` (list items, quotes, footnotes, divs).
pub fn child_blocks(block: &Block) -> Vec<&[Block]> {
    match block {
        Block::List(list) => list
            .items
            .iter()
            .map(|item| item.blocks.as_slice())
            .collect(),
        Block::BlockQuote(blocks)
        | Block::FootnoteDefinition { blocks, .. }
        | Block::Div { blocks, .. } => vec![blocks.as_slice()],
        _ => Vec::new(),
    }
}

/// Calls `f` on every block of the tree, parents before their children, in reading order:
/// the one walk that the helpers below (and the writers) share.
pub fn walk_blocks<'a>(blocks: &'a [Block], f: &mut dyn FnMut(&'a Block)) {
    for block in blocks {
        f(block);
        for children in child_blocks(block) {
            walk_blocks(children, f);
        }
    }
}

/// Every footnote definition in `blocks` as `(label, content)`, in source order.
pub fn footnote_definitions(blocks: &[Block]) -> Vec<(&str, &[Block])> {
    let mut out = Vec::new();
    walk_blocks(blocks, &mut |block| {
        if let Block::FootnoteDefinition { label, blocks } = block {
            out.push((label.as_str(), blocks.as_slice()));
        }
    });
    out
}

/// Every image in `blocks`, inline or standing as a figure, in reading order.
pub fn images(blocks: &[Block]) -> Vec<&Image> {
    let mut out = Vec::new();
    walk_blocks(blocks, &mut |block| {
        if let Block::Figure(figure) = block {
            out.push(&figure.image);
        }
    });
    visit_inlines(blocks, &mut |inline| {
        if let Inline::Image(image) = inline {
            out.push(image);
        }
    });
    out
}
