//! The document tree: one owned model that every reader builds and every writer consumes.
//!
//! Writers never see Markdown or HTML text from another writer; everything they need is here.
//! Raw HTML survives only as [`Block::RawHtml`] / [`Inline::RawHtml`] for markup that has no
//! equivalent in the model (for example `<video>`).

use std::sync::Arc;

use crate::highlight::{SharedTokens, Tokens};
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
#[non_exhaustive]
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
    /// A code listing kept together with its file name and caption (mdBook's
    /// `<span class="filename">` and `<Listing>` conventions).
    Listing(Listing),
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
    /// The syntax highlighting, filled by the first writer that asks ([`CodeBlock::tokens`]).
    pub highlight: SharedTokens,
}

impl CodeBlock {
    /// The block's syntax tokens, `None` without a language or for a plain or unknown one.
    /// Highlighted once per run: clones of the block (the book's chapters, the EPUB's copy)
    /// share the result, so every output reads the same tokens.
    pub fn tokens(&self) -> Option<Arc<Tokens>> {
        self.highlight.get(&self.text, self.language.as_deref()?)
    }
}

/// Column alignment in a table.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[non_exhaustive]
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
    pub header: Row,
    /// Body rows.
    pub rows: Vec<Row>,
}

impl Table {
    /// Every cell, header first, in reading order.
    pub fn cells(&self) -> impl Iterator<Item = &Cell> {
        self.header
            .cells
            .iter()
            .chain(self.rows.iter().flat_map(|row| &row.cells))
    }

    /// Like [`Table::cells`], for changing them.
    pub fn cells_mut(&mut self) -> impl Iterator<Item = &mut Cell> {
        self.header
            .cells
            .iter_mut()
            .chain(self.rows.iter_mut().flat_map(|row| &mut row.cells))
    }
}

/// A table row: one cell per column (a row may have fewer cells than the table has columns).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Row {
    /// The cells, left to right in the source.
    pub cells: Vec<Cell>,
}

impl FromIterator<Cell> for Row {
    fn from_iter<I: IntoIterator<Item = Cell>>(cells: I) -> Self {
        Row {
            cells: cells.into_iter().collect(),
        }
    }
}

/// A table cell.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Cell {
    /// Its inline content.
    pub content: Vec<Inline>,
}

/// An image with an optional caption, standing on its own.
#[derive(Debug, Clone, PartialEq)]
pub struct Figure {
    /// The image.
    pub image: Image,
    /// Caption; empty for none.
    pub caption: Vec<Inline>,
}

impl Figure {
    /// The model's rule for figures: a paragraph that holds one image and nothing else (blank
    /// text and line breaks aside) is a figure. Every reader applies it through this function.
    ///
    /// A linked image is not made a figure here ([`Figure`] has no link, and the link would be
    /// lost), nor an image beside raw HTML (an anchor, a comment). [`standalone_image`] tells
    /// both cases apart for a writer that sets such paragraphs as figures itself.
    pub fn from_paragraph(inlines: &[Inline]) -> Option<Figure> {
        match standalone_image(inlines)? {
            StandaloneImage {
                image,
                link: None,
                beside_raw_html: false,
            } => Some(Figure {
                image: image.clone(),
                caption: Vec::new(),
            }),
            _ => None,
        }
    }
}

/// A code listing: blocks (usually one code block) shown between a file-name line and a
/// caption, and kept together as one figure by every writer.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Listing {
    /// The listing's anchor id (`listing-1-2`), if it has one.
    pub id: Option<String>,
    /// The line above the code as it is shown (`Filename: src/main.rs`); empty for none.
    pub file_name: Vec<Inline>,
    /// The listing's content.
    pub blocks: Vec<Block>,
    /// The caption below the code as it is shown (`Listing 1-1: ...`); empty for none.
    pub caption: Vec<Inline>,
}

/// The single image of a run of inlines that prints nothing else: see [`standalone_image`].
#[derive(Debug, Clone, Copy)]
pub struct StandaloneImage<'a> {
    /// The image.
    pub image: &'a Image,
    /// The link around it, when the image is the whole content of a link.
    pub link: Option<&'a Link>,
    /// Whether raw HTML (no ink of its own: an `<a name>` anchor, a comment) stands beside it.
    pub beside_raw_html: bool,
}

/// The one image of `inlines` when nothing else in them prints: blank text, line breaks and raw
/// HTML aside, the inlines hold exactly one image, or one link whose whole content is an image.
/// [`Figure::from_paragraph`] is the strict form the readers use; the PDF writer sets every
/// standalone image as a figure.
pub fn standalone_image(inlines: &[Inline]) -> Option<StandaloneImage<'_>> {
    let mut beside_raw_html = false;
    let mut found = None;
    for inline in inlines {
        let (image, link) = match inline {
            Inline::Text(text) if text.trim().is_empty() => continue,
            Inline::SoftBreak | Inline::LineBreak => continue,
            Inline::RawHtml(_) => {
                beside_raw_html = true;
                continue;
            }
            Inline::Image(image) => (image, None),
            Inline::Link(link) => match link.content.as_slice() {
                [Inline::Image(image)] => (image, Some(link)),
                _ => return None,
            },
            _ => return None,
        };
        if found.is_some() {
            return None;
        }
        found = Some((image, link));
    }
    let (image, link) = found?;
    Some(StandaloneImage {
        image,
        link,
        beside_raw_html,
    })
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
    /// Width (`100%`, `320`, `20em`); `None` when not given or not a length.
    pub width: Option<Length>,
    /// Height, like [`Image::width`].
    pub height: Option<Length>,
    /// Where it appears in the source.
    pub pos: Pos,
}

/// A length given to an image (`width="320"`, `width="50%"`, `width="20em"`), parsed once by
/// the readers. It keeps its text as written, so that the HTML writers give it back unchanged.
#[derive(Debug, Clone, PartialEq)]
pub struct Length {
    value: f32,
    unit: LengthUnit,
    written: String,
}

/// The unit of a [`Length`]: those of CSS that HTML pages give images, and none.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum LengthUnit {
    /// A bare number: CSS pixels, as in the HTML attribute `width="320"`.
    Unitless,
    /// `px`.
    Px,
    /// `%` of the width (or height) of the containing block.
    Percent,
    /// `em`.
    Em,
    /// `rem`.
    Rem,
    /// `pt`.
    Pt,
    /// `cm`.
    Cm,
    /// `mm`.
    Mm,
    /// `in`.
    In,
    /// `vw`.
    Vw,
    /// `vh`.
    Vh,
    /// `ex`.
    Ex,
    /// `ch`.
    Ch,
}

impl Length {
    /// Parses a length as HTML pages write it: a non-negative decimal number (`320`, `1.5`,
    /// `.5`) directly followed by one of the [`LengthUnit`]s or by nothing, with surrounding
    /// whitespace ignored. `None` for anything else (`auto`, `-3`, `50 %`, `1e3`).
    pub fn parse(text: &str) -> Option<Length> {
        let written = text.trim();
        let number_end = written
            .find(|c: char| !(c.is_ascii_digit() || c == '.'))
            .unwrap_or(written.len());
        let (number, unit) = written.split_at(number_end);
        let value = number.parse::<f32>().ok()?;
        let unit = match unit {
            "" => LengthUnit::Unitless,
            "px" => LengthUnit::Px,
            "%" => LengthUnit::Percent,
            "em" => LengthUnit::Em,
            "rem" => LengthUnit::Rem,
            "pt" => LengthUnit::Pt,
            "cm" => LengthUnit::Cm,
            "mm" => LengthUnit::Mm,
            "in" => LengthUnit::In,
            "vw" => LengthUnit::Vw,
            "vh" => LengthUnit::Vh,
            "ex" => LengthUnit::Ex,
            "ch" => LengthUnit::Ch,
            _ => return None,
        };
        Some(Length {
            value,
            unit,
            written: written.to_string(),
        })
    }

    /// The number (`50` for `50%`).
    pub fn value(&self) -> f32 {
        self.value
    }

    /// The unit.
    pub fn unit(&self) -> LengthUnit {
        self.unit
    }

    /// The text as written, without surrounding whitespace (`50%`, `320`, `1.50em`).
    pub fn as_written(&self) -> &str {
        &self.written
    }

    /// Whether it is a whole number of pixels written as digits only (`320`): the one form an
    /// HTML `width` or `height` attribute allows.
    pub fn is_attribute_pixels(&self) -> bool {
        self.unit == LengthUnit::Unitless && self.written.bytes().all(|b| b.is_ascii_digit())
    }
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
#[non_exhaustive]
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

/// The plain text of a run of blocks: each text run of [`for_each_text_run`] followed by a
/// newline. The site's search index holds it for every page; tests use it to check what text
/// a document holds.
pub fn blocks_plain_text(blocks: &[Block]) -> String {
    let mut out = String::new();
    for_each_text_run(blocks, &mut |text| {
        out.push_str(text);
        out.push('\n');
    });
    out
}

/// Calls `f` with the plain text of every paragraph-like run in `blocks`, in reading order:
/// headings, paragraphs, table cells, figure alt text and caption, and code.
pub fn for_each_text_run(blocks: &[Block], f: &mut dyn FnMut(&str)) {
    walk_blocks(blocks, &mut |block| match block {
        Block::CodeBlock(code) => f(&code.text),
        Block::Figure(figure) => {
            f(&figure.image.alt);
            if !figure.caption.is_empty() {
                f(&plain_text(&figure.caption));
            }
        }
        _ => {
            for inlines in block.inline_lists() {
                f(&plain_text(inlines));
            }
        }
    });
}

// One walk over the model. A block holds block lists (list items, quotes, footnotes, divs:
// [`Block::child_lists`]) and inline lists (headings, paragraphs, table cells, captions:
// [`Block::inline_lists`]); an inline holds inlines ([`Inline::children`]). The walks below
// are built on those three and visit every container; a figure's image is not an inline (see
// [`images`]).

impl Block {
    /// The block lists directly inside this block, in reading order: each list item's blocks,
    /// or the content of a quote, footnote or div.
    pub fn child_lists(&self) -> impl Iterator<Item = &[Block]> {
        let (items, single): (&[ListItem], Option<&Vec<Block>>) = match self {
            Block::List(list) => (&list.items, None),
            Block::BlockQuote(blocks)
            | Block::FootnoteDefinition { blocks, .. }
            | Block::Div { blocks, .. }
            | Block::Listing(Listing { blocks, .. }) => (&[], Some(blocks)),
            _ => (&[], None),
        };
        items
            .iter()
            .map(|item| item.blocks.as_slice())
            .chain(single.map(Vec::as_slice))
    }

    /// Like [`Block::child_lists`], for changing them (blocks may be added or removed).
    pub fn child_lists_mut(&mut self) -> impl Iterator<Item = &mut Vec<Block>> {
        let (items, single): (&mut [ListItem], Option<&mut Vec<Block>>) = match self {
            Block::List(list) => (&mut list.items, None),
            Block::BlockQuote(blocks)
            | Block::FootnoteDefinition { blocks, .. }
            | Block::Div { blocks, .. }
            | Block::Listing(Listing { blocks, .. }) => (&mut [], Some(blocks)),
            _ => (&mut [], None),
        };
        items.iter_mut().map(|item| &mut item.blocks).chain(single)
    }

    /// The inline lists directly inside this block, in reading order: a heading's, paragraph's
    /// or plain run's content, a table's cells (header first), a figure's caption, a listing's
    /// file name and caption.
    pub fn inline_lists(&self) -> impl Iterator<Item = &[Inline]> {
        let (first, second, table) = match self {
            Block::Heading { content, .. } | Block::Paragraph(content) | Block::Plain(content) => {
                (Some(content), None, None)
            }
            Block::Table(table) => (None, None, Some(table)),
            Block::Figure(figure) => (Some(&figure.caption), None, None),
            Block::Listing(listing) => (Some(&listing.file_name), Some(&listing.caption), None),
            _ => (None, None, None),
        };
        let cells = table.into_iter().flat_map(Table::cells);
        first
            .into_iter()
            .chain(second)
            .chain(cells.map(|cell| &cell.content))
            .map(Vec::as_slice)
    }

    /// Like [`Block::inline_lists`], for changing them.
    pub fn inline_lists_mut(&mut self) -> impl Iterator<Item = &mut Vec<Inline>> {
        let (first, second, table) = match self {
            Block::Heading { content, .. } | Block::Paragraph(content) | Block::Plain(content) => {
                (Some(content), None, None)
            }
            Block::Table(table) => (None, None, Some(table)),
            Block::Figure(figure) => (Some(&mut figure.caption), None, None),
            Block::Listing(listing) => (
                Some(&mut listing.file_name),
                Some(&mut listing.caption),
                None,
            ),
            _ => (None, None, None),
        };
        let cells = table.into_iter().flat_map(Table::cells_mut);
        first
            .into_iter()
            .chain(second)
            .chain(cells.map(|cell| &mut cell.content))
    }
}

impl Inline {
    /// The children of a container inline, for changing them.
    pub fn children_mut(&mut self) -> Option<&mut Vec<Inline>> {
        match self {
            Inline::Emphasis(c)
            | Inline::Strong(c)
            | Inline::Strikethrough(c)
            | Inline::Superscript(c)
            | Inline::Subscript(c) => Some(c),
            Inline::Link(link) => Some(&mut link.content),
            _ => None,
        }
    }
}

/// Calls `f` on every block of the tree, parents before their children, in reading order.
pub fn walk_blocks<'a>(blocks: &'a [Block], f: &mut dyn FnMut(&'a Block)) {
    for block in blocks {
        f(block);
        for children in block.child_lists() {
            walk_blocks(children, f);
        }
    }
}

/// Calls `f` on every block of the tree, parents before their children (so `f` may change a
/// block's children before they are visited), in reading order.
pub fn walk_blocks_mut(blocks: &mut [Block], f: &mut dyn FnMut(&mut Block)) {
    for block in blocks {
        f(block);
        for children in block.child_lists_mut() {
            walk_blocks_mut(children, f);
        }
    }
}

/// Calls `f` on every inline of some inlines and their children, parents first.
pub fn walk_inlines<'a>(inlines: &'a [Inline], f: &mut dyn FnMut(&'a Inline)) {
    for inline in inlines {
        f(inline);
        if let Some(children) = inline.children() {
            walk_inlines(children, f);
        }
    }
}

/// Calls `f` on every inline of some inlines and their children, parents first.
pub fn walk_inlines_mut(inlines: &mut [Inline], f: &mut dyn FnMut(&mut Inline)) {
    for inline in inlines {
        f(inline);
        if let Some(children) = inline.children_mut() {
            walk_inlines_mut(children, f);
        }
    }
}

/// Visits every inline in a block tree, depth first, including inlines nested in containers
/// (parents before their children).
pub fn visit_inlines<'a>(blocks: &'a [Block], f: &mut dyn FnMut(&'a Inline)) {
    walk_blocks(blocks, &mut |block| {
        for inlines in block.inline_lists() {
            walk_inlines(inlines, f);
        }
    });
}

/// Like [`visit_inlines`], but allows changing each inline in place; children are visited after
/// their parent (so they are the parent's new children). A figure's image is not an inline and
/// is not visited; to replace inlines by others, or figure images, use [`rewrite_blocks`].
pub fn visit_inlines_mut(blocks: &mut [Block], f: &mut dyn FnMut(&mut Inline)) {
    walk_blocks_mut(blocks, &mut |block| {
        for inlines in block.inline_lists_mut() {
            walk_inlines_mut(inlines, f);
        }
    });
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

/// Every image in `blocks`: first the figures' images, then the inline images, each group in
/// reading order.
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

/// Rewrites every inline of `blocks`, children before their parent; `f` returns what replaces
/// each inline (nothing, itself, or several). A figure's image is offered to `f` as an inline
/// after its caption; a figure whose image is replaced by something else becomes a paragraph
/// of that and its caption (or disappears when that has no text).
pub fn rewrite_blocks(blocks: &mut Vec<Block>, f: &mut dyn FnMut(Inline) -> Vec<Inline>) {
    let old = std::mem::take(blocks);
    for mut block in old {
        for children in block.child_lists_mut() {
            rewrite_blocks(children, f);
        }
        for inlines in block.inline_lists_mut() {
            rewrite_inlines(inlines, f);
        }
        if let Block::Figure(figure) = &mut block {
            let image = std::mem::take(&mut figure.image);
            let mut replaced = f(Inline::Image(image));
            if let [Inline::Image(_)] = replaced.as_slice() {
                if let Some(Inline::Image(image)) = replaced.pop() {
                    figure.image = image;
                }
            } else {
                if !figure.caption.is_empty() && !replaced.is_empty() {
                    replaced.push(Inline::Text(". ".into()));
                }
                replaced.append(&mut figure.caption);
                if plain_text(&replaced).trim().is_empty() {
                    continue;
                }
                block = Block::Paragraph(replaced);
            }
        }
        blocks.push(block);
    }
}

fn rewrite_inlines(inlines: &mut Vec<Inline>, f: &mut dyn FnMut(Inline) -> Vec<Inline>) {
    let old = std::mem::take(inlines);
    for mut inline in old {
        if let Some(children) = inline.children_mut() {
            rewrite_inlines(children, f);
        }
        inlines.extend(f(inline));
    }
}
