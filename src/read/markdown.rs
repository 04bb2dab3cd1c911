//! The front-matter Markdown reader: header (see [`super::frontmatter`]), then a CommonMark body
//! with tables, footnotes, strikethrough, task lists and heading attributes, read with
//! pulldown-cmark. Raw HTML is mapped into the model by [`super::html`].

use std::path::Path;

use pulldown_cmark::{
    Alignment, CodeBlockKind, Event, HeadingLevel, LinkType, Options, Parser, Tag, TagEnd,
};

use super::frontmatter;
use super::html;
use super::listing;
use super::options::ReadOptions;
use crate::diag::Warnings;
use crate::error::Result;
use crate::model::{
    Align, Block, Cell, CodeBlock, Document, Image, Inline, Link, List, ListItem, Listing,
    MAX_NESTING, Pos, Row, Table,
};

/// Whether `text` uses Markdown block syntax that plain text would not (ATX headings, fences,
/// link or image syntax, tables, HTML blocks): the content half of format detection.
pub fn has_block_syntax(text: &str) -> bool {
    text.lines().take(2000).any(|line| {
        let t = line.trim_start();
        let hashes = t.bytes().take_while(|&b| b == b'#').count();
        (1..=6).contains(&hashes) && t[hashes..].starts_with(' ')
            || t.starts_with("```")
            || t.starts_with("~~~")
            || t.contains("](")
            || t.starts_with("![")
            || t.starts_with("|---")
            || t.starts_with("| ---")
            || t.starts_with("<img ")
            || t.starts_with("<div")
    })
}

/// Reads a front-matter Markdown document.
pub fn read(
    text: &str,
    path: &Path,
    options: &ReadOptions,
    warnings: &mut Warnings,
) -> Result<Document> {
    let front = frontmatter::parse(text, path, warnings)?;
    let body = &text[front.body_offset..];
    let parsed = parse_body_reporting(body, front.body_line, options);
    if let Some(pos) = parsed.flattened_at {
        warnings.push(nesting_warning(path, pos));
    }
    for bad in &parsed.bad_lengths {
        warnings.push(bad.warning(path));
    }
    Ok(Document {
        meta: front.meta,
        blocks: parsed.blocks,
    })
}

/// Parses a Markdown body into blocks. `first_line` is the body's line number in its file, so
/// that positions in the model are file positions.
pub fn parse_body(body: &str, first_line: u32, options: &ReadOptions) -> Vec<Block> {
    parse_body_reporting(body, first_line, options).blocks
}

/// The warning for content nested past [`MAX_NESTING`], at the first place that was flattened.
pub fn nesting_warning(path: &Path, pos: Pos) -> crate::diag::Diagnostic {
    crate::diag::Diagnostic::warning(
        Some(path),
        format!(
            "elements nested deeper than {MAX_NESTING} levels; the deeper ones are flattened \
             (their text is kept)"
        ),
    )
    .at(pos, None)
    .with_hint("nesting this deep is generated or broken markup; check how the file was made")
}

/// What [`parse_body_reporting`] read, and what it had to flatten or leave out.
#[derive(Debug)]
pub struct ParsedBody {
    /// The blocks.
    pub blocks: Vec<Block>,
    /// Where content nested past [`MAX_NESTING`] was first flattened, if it was.
    pub flattened_at: Option<Pos>,
    /// Image sizes that are not lengths, in reading order.
    pub bad_lengths: Vec<html::BadLength>,
}

/// [`parse_body`], also telling what had to be flattened or left out.
pub fn parse_body_reporting(body: &str, first_line: u32, options: &ReadOptions) -> ParsedBody {
    let mut parser_options = Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_HEADING_ATTRIBUTES;
    if options.smart {
        parser_options |= Options::ENABLE_SMART_PUNCTUATION;
    }
    let mut builder = Builder {
        lines: LineIndex::new(body, first_line),
        line_marks: options.line_marks,
        blocks: vec![BlockFrame::new(BlockKind::Root)],
        inlines: Vec::new(),
        code: None,
        html_block: None,
        in_html_block: false,
        table: None,
        open_raw_anchors: Vec::new(),
        offset: 0,
        event_end: 0,
        flattened_at: None,
        bad_lengths: Vec::new(),
        raw_text: None,
    };
    for (event, range) in Parser::new_ext(body, parser_options).into_offset_iter() {
        builder.offset = range.start;
        builder.event_end = range.end;
        builder.event(event, range.start);
    }
    let flattened_at = builder.flattened_at;
    let bad_lengths = std::mem::take(&mut builder.bad_lengths);
    ParsedBody {
        blocks: builder.finish(),
        flattened_at,
        bad_lengths,
    }
}

/// Maps byte offsets in the body to file positions.
struct LineIndex<'a> {
    body: &'a str,
    first_line: u32,
    /// The last position computed: offsets arrive nearly in order, so each lookup scans only
    /// the text since the previous one (no index of every line is built up front).
    cursor: std::cell::Cell<(usize, u32, usize, u32)>,
}

impl<'a> LineIndex<'a> {
    fn new(body: &'a str, first_line: u32) -> Self {
        LineIndex {
            body,
            first_line,
            cursor: std::cell::Cell::new((0, 0, 0, 1)),
        }
    }

    fn pos(&self, offset: usize) -> Pos {
        let offset = offset.min(self.body.len());
        let (mut from, mut line, mut line_start, mut col) = self.cursor.get();
        if offset < from {
            (from, line, line_start, col) = (0, 0, 0, 1);
        }
        let scanned = &self.body[from..offset];
        match scanned.rfind('\n') {
            Some(last) => {
                line += scanned.matches('\n').count() as u32;
                line_start = from + last + 1;
                col = self.body[line_start..offset].chars().count() as u32 + 1;
            }
            // Same line: count only the characters since the last lookup (a 1 MB line with
            // 100,000 tags would otherwise be counted from its start for each tag).
            None => col += scanned.chars().count() as u32,
        }
        self.cursor.set((offset, line, line_start, col));
        Pos {
            line: self.first_line + line,
            col,
        }
    }
}

enum BlockKind {
    Root,
    BlockQuote,
    List {
        start: Option<u64>,
        loose: bool,
    },
    Item {
        task: Option<bool>,
    },
    Footnote(String),
    /// A `<div>` opened by one raw HTML block and closed by a later one.
    HtmlDiv {
        id: Option<String>,
        class: Option<String>,
    },
    /// mdBook's `<Listing>` element, opened and closed by raw HTML blocks around Markdown.
    HtmlListing(Listing),
    /// A container past [`MAX_NESTING`]: its content joins its parent's.
    Flattened,
}

struct BlockFrame {
    kind: BlockKind,
    blocks: Vec<Block>,
    items: Vec<ListItem>,
}

impl BlockFrame {
    fn new(kind: BlockKind) -> Self {
        BlockFrame {
            kind,
            blocks: Vec::new(),
            items: Vec::new(),
        }
    }

    /// A container opened by one raw HTML block, to be closed by a later one.
    fn is_html_container(&self) -> bool {
        matches!(
            self.kind,
            BlockKind::HtmlDiv { .. } | BlockKind::HtmlListing(_)
        )
    }
}

enum InlineKind {
    Paragraph {
        implicit: bool,
    },
    Heading {
        level: u8,
        id: String,
        classes: Vec<String>,
    },
    Cell,
    Emphasis,
    Strong,
    Strikethrough,
    Superscript,
    Subscript,
    /// `<code>` in raw HTML: its children become plain code text.
    HtmlCode,
    /// An element with no meaning of its own (`<span>`): its children are kept.
    Transparent,
    Link(Link),
    Image(Image),
}

struct InlineFrame {
    kind: InlineKind,
    /// The raw HTML tag that opened this frame, for matching its closing tag.
    html_tag: Option<String>,
    content: Vec<Inline>,
}

struct TableState {
    alignments: Vec<Align>,
    header: Row,
    rows: Vec<Row>,
    in_head: bool,
}

struct Builder<'a> {
    lines: LineIndex<'a>,
    line_marks: bool,
    blocks: Vec<BlockFrame>,
    inlines: Vec<InlineFrame>,
    code: Option<(Option<String>, String)>,
    html_block: Option<(String, usize)>,
    /// Between `Start(HtmlBlock)` and `End(HtmlBlock)`.
    in_html_block: bool,
    table: Option<TableState>,
    /// `<a>` tags without `href` not closed yet, innermost last: `true` for one kept as raw HTML
    /// (no usable id), whose `</a>` is kept too; `false` for one that became a model anchor.
    open_raw_anchors: Vec<bool>,
    /// Byte range of the event being handled.
    offset: usize,
    event_end: usize,
    /// Where content was first flattened past [`MAX_NESTING`].
    flattened_at: Option<Pos>,
    /// Image sizes that are not lengths.
    bad_lengths: Vec<html::BadLength>,
    /// An inline `<script>` (or another element whose content is never shown) being read: its
    /// whole source, tags and content, becomes one raw HTML node, so no writer shows its code
    /// as text.
    raw_text: Option<RawText>,
}

struct RawText {
    /// The element's name, for matching its end tag.
    name: String,
    /// Byte range in the body read so far, start tag included.
    start: usize,
    end: usize,
}

/// Elements whose content a browser never shows as text: inline, they are kept whole as raw
/// HTML (which only the HTML writer shows, and `--sanitize` removes whole).
fn hides_content(name: &str) -> bool {
    matches!(name, "script" | "style" | "template" | "iframe")
}

/// Inline events that may occur inside an inline `<script>` (pulldown-cmark parses its content
/// as Markdown): they are part of its raw source.
fn is_inline_event(event: &Event<'_>) -> bool {
    let inline_tag = |tag: &TagEnd| {
        matches!(
            tag,
            TagEnd::Emphasis
                | TagEnd::Strong
                | TagEnd::Strikethrough
                | TagEnd::Superscript
                | TagEnd::Subscript
                | TagEnd::Link
                | TagEnd::Image
        )
    };
    match event {
        Event::Start(tag) => inline_tag(&tag.to_end()),
        Event::End(tag) => inline_tag(tag),
        Event::Text(_)
        | Event::Code(_)
        | Event::InlineHtml(_)
        | Event::InlineMath(_)
        | Event::FootnoteReference(_)
        | Event::SoftBreak
        | Event::HardBreak => true,
        _ => false,
    }
}

impl Builder<'_> {
    fn event(&mut self, event: Event<'_>, offset: usize) {
        if !self.in_html_block
            && self.html_block.is_some()
            && !matches!(event, Event::Start(Tag::HtmlBlock))
        {
            // An HTML table held back for its continuation ended (see `TagEnd::HtmlBlock`).
            self.flush_html_block();
        }
        if let Some((_, text)) = self.code.as_mut() {
            match event {
                Event::Text(t) => return text.push_str(&t),
                Event::End(TagEnd::CodeBlock) => {}
                _ => return,
            }
        }
        if self.in_html_block
            && let Event::Text(text) = &event
        {
            // pulldown-cmark reports an indented HTML block's indentation as a `Text` event
            // before its first `Html` event. It is part of the block (whitespace before the
            // first tag), not a paragraph of its own.
            let buffer = self
                .html_block
                .get_or_insert_with(|| (String::new(), offset));
            return buffer.0.push_str(text);
        }
        if let Some(raw) = self.raw_text.as_mut() {
            let closes = |html: &str| {
                html::parse_tag(html).is_some_and(|tag| tag.closing && tag.name == raw.name)
            };
            match &event {
                Event::InlineHtml(html) if closes(html) => {
                    let start = raw.start;
                    self.raw_text = None;
                    let source = self.lines.body[start..self.event_end].to_string();
                    return self.push_inline(Inline::RawHtml(source));
                }
                event if is_inline_event(event) => {
                    raw.end = self.event_end.max(raw.end);
                    return;
                }
                // The paragraph ends before the element does: what was read is its content.
                _ => {
                    let (start, end) = (raw.start, raw.end);
                    self.raw_text = None;
                    let source = self.lines.body[start..end].to_string();
                    self.push_inline(Inline::RawHtml(source));
                }
            }
        }
        match event {
            Event::Start(tag) => self.start(tag, offset),
            Event::End(tag) => self.end(tag),
            Event::Text(text) => self.push_text(&text),
            Event::Code(code) => self.push_inline(Inline::Code(code.into_string())),
            Event::Html(html) => {
                let buffer = self
                    .html_block
                    .get_or_insert_with(|| (String::new(), offset));
                buffer.0.push_str(&html);
            }
            Event::InlineHtml(html) => self.inline_html(&html, offset),
            Event::FootnoteReference(label) => {
                self.push_inline(Inline::FootnoteRef(label.into_string()))
            }
            Event::SoftBreak => self.push_inline(Inline::SoftBreak),
            Event::HardBreak => self.push_inline(Inline::LineBreak),
            Event::Rule => self.push_block(Block::ThematicBreak),
            Event::TaskListMarker(checked) => {
                if let Some(BlockFrame {
                    kind: BlockKind::Item { task },
                    ..
                }) = self.blocks.last_mut()
                {
                    *task = Some(checked);
                }
            }
            Event::InlineMath(t) | Event::DisplayMath(t) => {
                self.push_inline(Inline::Code(t.into_string()))
            }
        }
    }

    fn start(&mut self, tag: Tag<'_>, offset: usize) {
        match tag {
            Tag::Paragraph => {
                if let Some(BlockFrame {
                    kind: BlockKind::Item { .. },
                    ..
                }) = self.blocks.last()
                {
                    self.mark_list_loose();
                }
                self.open_inline(InlineKind::Paragraph { implicit: false });
            }
            Tag::Heading {
                level, id, classes, ..
            } => self.open_inline(InlineKind::Heading {
                level: heading_level(level),
                id: id.map(|s| s.into_string()).unwrap_or_default(),
                classes: classes.into_iter().map(|c| c.into_string()).collect(),
            }),
            Tag::BlockQuote(_) => self.open_block(BlockKind::BlockQuote),
            Tag::CodeBlock(kind) => {
                self.close_implicit_paragraph();
                let language = match kind {
                    // mdBook and rustdoc: `rust,ignore`, `python title="x.py"` are Rust and
                    // Python.
                    CodeBlockKind::Fenced(info) => info
                        .split(|c: char| c == ',' || c.is_whitespace())
                        .find(|s| !s.is_empty())
                        .map(|s| s.trim_matches(['{', '}', '.']).to_string())
                        .filter(|s| !s.is_empty()),
                    CodeBlockKind::Indented => None,
                };
                self.code = Some((language, String::new()));
            }
            Tag::HtmlBlock => {
                self.close_implicit_paragraph();
                self.in_html_block = true;
            }
            Tag::List(start) => self.open_block(BlockKind::List {
                start,
                loose: false,
            }),
            Tag::Item => self.open_block(BlockKind::Item { task: None }),
            Tag::FootnoteDefinition(label) => {
                self.open_block(BlockKind::Footnote(label.into_string()))
            }
            Tag::Table(alignments) => {
                self.close_implicit_paragraph();
                self.table = Some(TableState {
                    alignments: alignments.into_iter().map(align).collect(),
                    header: Row::default(),
                    rows: Vec::new(),
                    in_head: false,
                });
            }
            Tag::TableHead => {
                if let Some(t) = self.table.as_mut() {
                    t.in_head = true;
                }
            }
            Tag::TableRow => {
                if let Some(t) = self.table.as_mut() {
                    t.rows.push(Row::default());
                }
            }
            Tag::TableCell => self.open_inline(InlineKind::Cell),
            Tag::Emphasis => self.open_inline(InlineKind::Emphasis),
            Tag::Strong => self.open_inline(InlineKind::Strong),
            Tag::Strikethrough => self.open_inline(InlineKind::Strikethrough),
            Tag::Superscript => self.open_inline(InlineKind::Superscript),
            Tag::Subscript => self.open_inline(InlineKind::Subscript),
            Tag::Link {
                link_type,
                dest_url,
                title,
                ..
            } => {
                let url = if link_type == LinkType::Email && !dest_url.starts_with("mailto:") {
                    format!("mailto:{dest_url}")
                } else {
                    dest_url.into_string()
                };
                self.open_inline(InlineKind::Link(Link {
                    url,
                    title: non_empty(title.into_string()),
                    content: Vec::new(),
                    pos: self.lines.pos(offset),
                }))
            }
            Tag::Image {
                dest_url, title, ..
            } => self.open_inline(InlineKind::Image(Image {
                src: dest_url.into_string(),
                title: non_empty(title.into_string()),
                pos: self.lines.pos(offset),
                ..Image::default()
            })),
            Tag::DefinitionList
            | Tag::DefinitionListTitle
            | Tag::DefinitionListDefinition
            | Tag::MetadataBlock(_) => {}
        }
    }

    fn end(&mut self, tag: TagEnd) {
        match tag {
            TagEnd::Paragraph => {
                if let Some(content) =
                    self.close_inline_until(|k| matches!(k, InlineKind::Paragraph { .. }))
                {
                    let source = self.lines.body.get(self.offset..self.event_end);
                    let block = match source.and_then(listing::span_class) {
                        // Kept apart so that `listing::group` can join it to its code block.
                        Some(class) => Block::Div {
                            id: None,
                            class: Some(class.to_string()),
                            blocks: vec![Block::Paragraph(content.1)],
                        },
                        None => Block::Paragraph(content.1),
                    };
                    self.push_block(block);
                }
            }
            TagEnd::Heading(_) => {
                if let Some((InlineKind::Heading { level, id, classes }, content)) =
                    self.close_inline_until(|k| matches!(k, InlineKind::Heading { .. }))
                {
                    self.push_block(Block::Heading {
                        level,
                        id,
                        classes,
                        content,
                    });
                }
            }
            TagEnd::BlockQuote(_) => {
                let frame = self.close_block();
                // A quote flattened at the nesting limit has handed its content to its parent
                // already; wrapping nothing would add one empty quote per level.
                if matches!(frame.kind, BlockKind::BlockQuote) {
                    self.push_block(Block::BlockQuote(frame.blocks));
                }
            }
            TagEnd::CodeBlock => {
                if let Some((language, text)) = self.code.take() {
                    let text = hide_rustdoc_lines(language.as_deref(), text);
                    let block = code_block(language, &text, self.line_marks);
                    self.push_block(Block::CodeBlock(block));
                }
            }
            TagEnd::HtmlBlock => {
                self.in_html_block = false;
                let open_table = self
                    .html_block
                    .as_ref()
                    .is_some_and(|(html, _)| has_unclosed_table(html));
                if open_table {
                    // A blank line ends an HTML block, so an HTML table written with blank
                    // lines between its rows arrives as several blocks, none of which parses
                    // into a table alone. Hold it back until a block that is not HTML
                    // arrives, and parse the run of blocks as one.
                    if let Some((html, _)) = self.html_block.as_mut() {
                        html.push('\n');
                    }
                } else {
                    self.flush_html_block();
                }
            }
            TagEnd::List(_) => {
                let frame = self.close_block();
                if let BlockKind::List { start, loose } = frame.kind {
                    let mut items = frame.items;
                    if !frame.blocks.is_empty() {
                        // Content of items flattened at the nesting limit.
                        items.push(ListItem {
                            task: None,
                            blocks: frame.blocks,
                        });
                    }
                    self.push_block(Block::List(List {
                        start,
                        tight: !loose,
                        items,
                    }));
                }
            }
            TagEnd::Item => {
                let frame = self.close_block();
                if let BlockKind::Item { task } = frame.kind
                    && let Some(list) = self.blocks.last_mut()
                {
                    list.items.push(ListItem {
                        task,
                        blocks: frame.blocks,
                    });
                }
            }
            TagEnd::FootnoteDefinition => {
                let frame = self.close_block();
                if let BlockKind::Footnote(label) = frame.kind {
                    self.push_block(Block::FootnoteDefinition {
                        label,
                        blocks: frame.blocks,
                    });
                }
            }
            TagEnd::Table => {
                if let Some(t) = self.table.take() {
                    self.push_block(Block::Table(Table {
                        alignments: t.alignments,
                        header: t.header,
                        rows: t.rows,
                    }));
                }
            }
            TagEnd::TableHead => {
                if let Some(t) = self.table.as_mut() {
                    t.in_head = false;
                }
            }
            TagEnd::TableRow => {}
            TagEnd::TableCell => {
                if let Some((_, content)) =
                    self.close_inline_until(|k| matches!(k, InlineKind::Cell))
                    && let Some(t) = self.table.as_mut()
                {
                    let cell = Cell { content };
                    if t.in_head {
                        t.header.cells.push(cell);
                    } else if let Some(row) = t.rows.last_mut() {
                        row.cells.push(cell);
                    }
                }
            }
            TagEnd::Emphasis => self.close_simple(|k| matches!(k, InlineKind::Emphasis)),
            TagEnd::Strong => self.close_simple(|k| matches!(k, InlineKind::Strong)),
            TagEnd::Strikethrough => self.close_simple(|k| matches!(k, InlineKind::Strikethrough)),
            TagEnd::Superscript => self.close_simple(|k| matches!(k, InlineKind::Superscript)),
            TagEnd::Subscript => self.close_simple(|k| matches!(k, InlineKind::Subscript)),
            TagEnd::Link => self.close_simple(|k| matches!(k, InlineKind::Link(_))),
            TagEnd::Image => self.close_simple(|k| matches!(k, InlineKind::Image(_))),
            TagEnd::DefinitionList
            | TagEnd::DefinitionListTitle
            | TagEnd::DefinitionListDefinition
            | TagEnd::MetadataBlock(_) => {}
        }
    }

    // --- blocks ---

    fn open_block(&mut self, kind: BlockKind) {
        self.close_implicit_paragraph();
        // Past the nesting limit, containers are flattened into their parent so that no writer
        // recurses without bound.
        let kind = if self.blocks.len() > MAX_NESTING {
            if self.flattened_at.is_none() {
                self.flattened_at = Some(self.lines.pos(self.offset));
            }
            BlockKind::Flattened
        } else {
            kind
        };
        self.blocks.push(BlockFrame::new(kind));
    }

    fn close_block(&mut self) -> BlockFrame {
        self.close_implicit_paragraph();
        // Unclosed `<div>`s opened inside this container end with it.
        while self
            .blocks
            .last()
            .is_some_and(BlockFrame::is_html_container)
            && self.blocks.len() > 1
        {
            self.close_html_container();
        }
        if self.blocks.len() <= 1 {
            return BlockFrame::new(BlockKind::Root);
        }
        let frame = self.blocks.pop().expect("checked");
        if matches!(frame.kind, BlockKind::Flattened) {
            let parent = self.blocks.last_mut().expect("root stays");
            parent.blocks.extend(frame.blocks);
            parent
                .blocks
                .extend(frame.items.into_iter().flat_map(|item| item.blocks));
            return BlockFrame::new(BlockKind::Flattened);
        }
        frame
    }

    fn push_block(&mut self, block: Block) {
        self.close_implicit_paragraph();
        self.blocks
            .last_mut()
            .expect("root frame is never popped")
            .blocks
            .push(block);
    }

    fn mark_list_loose(&mut self) {
        let n = self.blocks.len();
        if n >= 2
            && let BlockKind::List { loose, .. } = &mut self.blocks[n - 2].kind
        {
            *loose = true;
        }
    }

    fn flush_html_block(&mut self) {
        if let Some((html, offset)) = self.html_block.take() {
            let pos = self.lines.pos(offset);
            self.html_block_done(&html, pos);
        }
    }

    fn html_block_done(&mut self, html: &str, pos: Pos) {
        let trimmed = html.trim();
        // A `<div>` (or mdBook's `<Listing>`) opened in one HTML block and closed in a later one
        // (with Markdown between) becomes a container around the blocks in between.
        if let Some(tag) = html::parse_tag(trimmed)
            && matches!(tag.name.as_str(), "div" | "listing")
            && tag.len == trimmed.len()
        {
            if tag.closing {
                let closes_open_one = match self.blocks.last().map(|f| &f.kind) {
                    Some(BlockKind::HtmlDiv { .. }) => tag.name == "div",
                    Some(BlockKind::HtmlListing(_)) => tag.name == "listing",
                    _ => false,
                };
                if closes_open_one {
                    self.close_html_container();
                }
            } else {
                let kind = match tag.name.as_str() {
                    "div" => BlockKind::HtmlDiv {
                        id: tag.attr("id").map(String::from),
                        class: tag.attr("class").map(String::from),
                    },
                    _ => BlockKind::HtmlListing(listing::from_tag(&tag, |caption| {
                        caption_inlines(caption, pos)
                    })),
                };
                self.blocks.push(BlockFrame::new(kind));
            }
            return;
        }
        let read = html::blocks_from_html_reporting(html, pos);
        if read.flattened && self.flattened_at.is_none() {
            self.flattened_at = Some(pos);
        }
        self.bad_lengths.extend(read.bad_lengths);
        for block in read.blocks {
            self.push_block(block);
        }
    }

    /// Closes the innermost container a raw HTML block opened (`<div>`, `<Listing>`) into its
    /// parent as a block.
    fn close_html_container(&mut self) {
        let frame = self.blocks.pop().expect("caller checked");
        match frame.kind {
            BlockKind::HtmlDiv { id, class } => self.push_block(Block::Div {
                id,
                class,
                blocks: frame.blocks,
            }),
            BlockKind::HtmlListing(mut listing) => {
                listing.blocks = frame.blocks;
                self.push_block(Block::Listing(listing));
            }
            _ => {}
        }
    }

    // --- inlines ---

    fn open_inline(&mut self, kind: InlineKind) {
        if !matches!(
            kind,
            InlineKind::Paragraph { .. } | InlineKind::Heading { .. } | InlineKind::Cell
        ) {
            self.ensure_inline_container();
        } else {
            self.close_implicit_paragraph();
        }
        let kind = self.capped(kind);
        self.inlines.push(InlineFrame {
            kind,
            html_tag: None,
            content: Vec::new(),
        });
    }

    /// `kind`, or a transparent frame (its content joins its parent's) past [`MAX_NESTING`].
    fn capped(&mut self, kind: InlineKind) -> InlineKind {
        if self.inlines.len() > MAX_NESTING {
            if self.flattened_at.is_none() {
                self.flattened_at = Some(self.lines.pos(self.offset));
            }
            InlineKind::Transparent
        } else {
            kind
        }
    }

    /// Inline content directly in a list item (a tight list) gets an implicit paragraph.
    fn ensure_inline_container(&mut self) {
        if self.inlines.is_empty() {
            self.inlines.push(InlineFrame {
                kind: InlineKind::Paragraph { implicit: true },
                html_tag: None,
                content: Vec::new(),
            });
        }
    }

    fn close_implicit_paragraph(&mut self) {
        if matches!(
            self.inlines.first().map(|f| &f.kind),
            Some(InlineKind::Paragraph { implicit: true })
        ) && let Some((_, content)) =
            self.close_inline_until(|k| matches!(k, InlineKind::Paragraph { implicit: true }))
        {
            let content = trim_inlines(content);
            if !content.is_empty() {
                self.blocks
                    .last_mut()
                    .expect("root")
                    .blocks
                    .push(Block::Paragraph(content));
            }
        }
    }

    /// Appends text, merging it into a preceding text node without an extra allocation.
    fn push_text(&mut self, text: &str) {
        self.ensure_inline_container();
        let frame = self.inlines.last_mut().expect("ensured");
        match frame.content.last_mut() {
            Some(Inline::Text(prev)) => prev.push_str(text),
            _ => frame.content.push(Inline::Text(text.to_string())),
        }
    }

    fn push_inline(&mut self, inline: Inline) {
        self.ensure_inline_container();
        let frame = self.inlines.last_mut().expect("ensured");
        match (frame.content.last_mut(), inline) {
            (Some(Inline::Text(prev)), Inline::Text(next)) => prev.push_str(&next),
            (_, inline) => frame.content.push(inline),
        }
    }

    /// Closes frames down to (and including) the innermost one matching `is_target`, folding
    /// the ones above it into their parents. Returns the target's kind and content.
    fn close_inline_until(
        &mut self,
        is_target: impl Fn(&InlineKind) -> bool,
    ) -> Option<(InlineKind, Vec<Inline>)> {
        let index = self.inlines.iter().rposition(|f| is_target(&f.kind))?;
        while self.inlines.len() > index + 1 {
            let frame = self.inlines.pop().expect("len checked");
            let inline = frame_to_inline(frame.kind, frame.content);
            self.inlines
                .last_mut()
                .expect("target below")
                .content
                .extend(inline);
        }
        let frame = self.inlines.pop().expect("index exists");
        Some((frame.kind, frame.content))
    }

    fn close_simple(&mut self, is_target: impl Fn(&InlineKind) -> bool) {
        if let Some((kind, content)) = self.close_inline_until(is_target) {
            for inline in frame_to_inline(kind, content) {
                self.push_inline(inline);
            }
        }
    }

    fn inline_html(&mut self, raw: &str, offset: usize) {
        let pos = self.lines.pos(offset);
        let Some(tag) = html::parse_tag(raw) else {
            // Comments, processing instructions and the like have no model equivalent.
            return self.push_inline(Inline::RawHtml(raw.to_string()));
        };
        if tag.closing {
            let open = self
                .inlines
                .iter()
                .rposition(|f| f.html_tag.as_deref() == Some(tag.name.as_str()));
            match open {
                // Close by position, not kind: there may be nested frames of the same kind.
                Some(index) => self.close_inline_until_index(index),
                // An `</a>` that closes no link may close an anchor without `href` (see below):
                // kept when its start tag was. Any other is a stray end tag (the corpus has
                // `<img ...></a>`), dropped as an HTML parser would.
                None if tag.name == "a" => {
                    if self.open_raw_anchors.pop() == Some(true) {
                        self.push_inline(Inline::RawHtml(raw.to_string()));
                    }
                }
                None if html::is_mapped_inline(&tag.name) => {}
                None => self.push_inline(Inline::RawHtml(raw.to_string())),
            }
            return;
        }
        match tag.name.as_str() {
            "br" => self.push_inline(Inline::LineBreak),
            "img" => {
                let image = html::image_from_tag(&tag, pos, &mut self.bad_lengths);
                self.push_inline(Inline::Image(image));
            }
            name => {
                let kind = match html::inline_kind(name) {
                    Some(html::InlineTag::Emphasis) => InlineKind::Emphasis,
                    Some(html::InlineTag::Strong) => InlineKind::Strong,
                    Some(html::InlineTag::Strikethrough) => InlineKind::Strikethrough,
                    Some(html::InlineTag::Superscript) => InlineKind::Superscript,
                    Some(html::InlineTag::Subscript) => InlineKind::Subscript,
                    Some(html::InlineTag::Code) => InlineKind::HtmlCode,
                    Some(html::InlineTag::Transparent) => InlineKind::Transparent,
                    Some(html::InlineTag::Link) => match tag.attr("href") {
                        Some(href) => InlineKind::Link(Link {
                            url: href.to_string(),
                            title: tag.attr("title").map(String::from),
                            content: Vec::new(),
                            pos,
                        }),
                        // `<a name="x">`, `<a id="x">`: a link target, not a link; its content
                        // stays in the model. An `<a>` with neither stays raw HTML.
                        None => {
                            let id = html::anchor_id(&tag);
                            if !tag.self_closing {
                                self.open_raw_anchors.push(id.is_none());
                            }
                            return self.push_inline(match id {
                                Some(id) => Inline::Anchor(id),
                                None => Inline::RawHtml(raw.to_string()),
                            });
                        }
                    },
                    None if hides_content(name) && !tag.self_closing => {
                        self.raw_text = Some(RawText {
                            name: name.to_string(),
                            start: offset,
                            end: self.event_end,
                        });
                        return;
                    }
                    None => return self.push_inline(Inline::RawHtml(raw.to_string())),
                };
                // `<span id="x">` and the like: a link target where the element starts.
                if let Some(id) = tag.attr("id").and_then(|_| html::anchor_id(&tag)) {
                    self.push_inline(Inline::Anchor(id));
                }
                if tag.self_closing {
                    return;
                }
                self.ensure_inline_container();
                let kind = self.capped(kind);
                self.inlines.push(InlineFrame {
                    kind,
                    html_tag: Some(tag.name.clone()),
                    content: Vec::new(),
                });
            }
        }
    }

    fn close_inline_until_index(&mut self, index: usize) {
        while self.inlines.len() > index {
            let frame = self.inlines.pop().expect("len checked");
            let inlines = frame_to_inline(frame.kind, frame.content);
            if self.inlines.is_empty() {
                // The paragraph itself was opened by raw HTML; keep its content.
                self.inlines.push(InlineFrame {
                    kind: InlineKind::Paragraph { implicit: true },
                    html_tag: None,
                    content: inlines,
                });
                return;
            }
            self.inlines
                .last_mut()
                .expect("not empty")
                .content
                .extend(inlines);
        }
    }

    fn finish(mut self) -> Vec<Block> {
        self.flush_html_block();
        self.close_implicit_paragraph();
        while self.blocks.len() > 1 {
            if self
                .blocks
                .last()
                .is_some_and(BlockFrame::is_html_container)
            {
                self.close_html_container();
            } else {
                let frame = self.blocks.pop().expect("len checked");
                self.blocks[0].blocks.extend(frame.blocks);
            }
        }
        let mut blocks = self.blocks.pop().map(|f| f.blocks).unwrap_or_default();
        listing::group(&mut blocks);
        blocks
    }
}

/// A `<Listing caption="...">`'s Markdown as inlines (the content of its first paragraph).
fn caption_inlines(caption: &str, pos: Pos) -> Vec<Inline> {
    match parse_body(caption, pos.line, &ReadOptions::default())
        .into_iter()
        .next()
    {
        Some(Block::Paragraph(inlines)) => inlines,
        _ => Vec::new(),
    }
}

/// Whether `html` opens more `<table>` elements than it closes.
fn has_unclosed_table(html: &str) -> bool {
    let lower = html.to_ascii_lowercase();
    let is_tag_end = |rest: &str| rest.starts_with(|c: char| c.is_ascii_whitespace() || c == '>');
    let count = |pattern: &str| {
        lower
            .match_indices(pattern)
            .filter(|(i, _)| is_tag_end(&lower[i + pattern.len()..]))
            .count()
    };
    count("<table") > count("</table")
}

/// Turns a closed inline frame into the inlines it stands for in its parent.
fn frame_to_inline(kind: InlineKind, content: Vec<Inline>) -> Vec<Inline> {
    match kind {
        InlineKind::Emphasis => vec![Inline::Emphasis(content)],
        InlineKind::Strong => vec![Inline::Strong(content)],
        InlineKind::Strikethrough => vec![Inline::Strikethrough(content)],
        InlineKind::Superscript => vec![Inline::Superscript(content)],
        InlineKind::Subscript => vec![Inline::Subscript(content)],
        InlineKind::HtmlCode => vec![Inline::Code(crate::model::plain_text(&content))],
        InlineKind::Link(mut link) => {
            link.content = content;
            vec![Inline::Link(link)]
        }
        InlineKind::Image(mut image) => {
            image.alt = crate::model::plain_text(&content);
            vec![Inline::Image(image)]
        }
        InlineKind::Transparent
        | InlineKind::Paragraph { .. }
        | InlineKind::Heading { .. }
        | InlineKind::Cell => content,
    }
}

fn trim_inlines(mut content: Vec<Inline>) -> Vec<Inline> {
    while matches!(content.last(), Some(Inline::SoftBreak | Inline::LineBreak)) {
        content.pop();
    }
    content
}

fn heading_level(level: HeadingLevel) -> u8 {
    level as u8
}

fn align(alignment: Alignment) -> Align {
    match alignment {
        Alignment::None => Align::None,
        Alignment::Left => Align::Left,
        Alignment::Center => Align::Center,
        Alignment::Right => Align::Right,
    }
}

fn non_empty(s: String) -> Option<String> {
    (!s.is_empty()).then_some(s)
}

/// Drops the lines rustdoc and mdBook hide in Rust code (`# use std::io;`, a lone `#`) and
/// unescapes `##` to `#`, as both do; other languages are left alone.
pub fn hide_rustdoc_lines(language: Option<&str>, text: String) -> String {
    let is_rust = language
        .and_then(|info| info.split([',', ' ']).next())
        .is_some_and(|first| first == "rust");
    if !is_rust || !text.contains('#') {
        return text;
    }
    let mut out = String::with_capacity(text.len());
    for line in text.split_inclusive('\n') {
        let trimmed = line.trim_start();
        let body = trimmed.trim_end_matches(['\n', '\r']);
        if body == "#" || body.starts_with("# ") {
            continue;
        }
        match trimmed.strip_prefix("##") {
            Some(rest) => {
                out.push_str(&line[..line.len() - trimmed.len()]);
                out.push('#');
                out.push_str(rest);
            }
            None => out.push_str(line),
        }
    }
    out
}

/// Builds a code block, turning lines that start with the `~~` marker into highlighted lines
/// when `line_marks` is on.
pub fn code_block(language: Option<String>, text: &str, line_marks: bool) -> CodeBlock {
    let mut highlighted = Vec::new();
    // `~~~` starts a fence or a line of tildes in the code itself, never a mark.
    let is_mark = |line: &str| line.starts_with("~~") && !line.starts_with("~~~");
    let text = if line_marks && text.lines().any(is_mark) {
        let mut out = String::with_capacity(text.len());
        for (index, line) in text.split_inclusive('\n').enumerate() {
            match line.strip_prefix("~~").filter(|_| is_mark(line)) {
                Some(rest) => {
                    highlighted.push(index + 1);
                    out.push_str(rest);
                }
                None => out.push_str(line),
            }
        }
        out
    } else {
        text.to_string()
    };
    CodeBlock {
        language,
        text,
        highlighted,
        highlight: Default::default(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::plain_text;

    fn body(text: &str) -> Vec<Block> {
        parse_body(text, 1, &ReadOptions::default())
    }

    #[test]
    fn tight_and_loose_lists() {
        let blocks = body("* a\n* b\n\n1. x\n\n2. y\n");
        let Block::List(tight) = &blocks[0] else {
            panic!("{blocks:?}")
        };
        assert!(tight.tight && tight.start.is_none());
        assert_eq!(tight.items.len(), 2);
        assert!(matches!(tight.items[0].blocks[0], Block::Paragraph(_)));
        let Block::List(loose) = &blocks[1] else {
            panic!("{blocks:?}")
        };
        assert!(!loose.tight);
        assert_eq!(loose.start, Some(1));
    }

    #[test]
    fn task_lists_tables_footnotes() {
        let blocks = body(
            "- [x] done\n- [ ] todo\n\n| a | b |\n|:--|--:|\n| 1 | 2 |\n\nText[^n].\n\n[^n]: Note.\n",
        );
        let Block::List(list) = &blocks[0] else {
            panic!()
        };
        assert_eq!(list.items[0].task, Some(true));
        assert_eq!(list.items[1].task, Some(false));
        let Block::Table(table) = &blocks[1] else {
            panic!()
        };
        assert_eq!(table.alignments, [Align::Left, Align::Right]);
        assert_eq!(plain_text(&table.header.cells[1].content), "b");
        assert_eq!(plain_text(&table.rows[0].cells[0].content), "1");
        assert!(
            matches!(&blocks[2], Block::Paragraph(p) if p.contains(&Inline::FootnoteRef("n".into())))
        );
        assert!(matches!(&blocks[3], Block::FootnoteDefinition { label, .. } if label == "n"));
    }

    #[test]
    fn highlight_markers_are_recorded_and_removed() {
        let blocks = body("```python\nx = 1\n~~y = 2\n```\n");
        let Block::CodeBlock(code) = &blocks[0] else {
            panic!()
        };
        assert_eq!(code.text, "x = 1\ny = 2\n");
        assert_eq!(code.highlighted, [2]);
        assert_eq!(code.language.as_deref(), Some("python"));
        let off = parse_body(
            "```\n~~y\n```\n",
            1,
            &ReadOptions {
                line_marks: false,
                ..ReadOptions::default()
            },
        );
        assert!(matches!(&off[0], Block::CodeBlock(c) if c.text == "~~y\n"));
    }

    #[test]
    fn raw_inline_html_becomes_model_nodes() {
        let blocks = body("A <em>b</em> <a href=\"/x.html\">c</a><br>d <kbd>k</kbd>\n");
        let Block::Paragraph(p) = &blocks[0] else {
            panic!()
        };
        assert!(p.contains(&Inline::Emphasis(vec![Inline::Text("b".into())])));
        assert!(
            p.iter()
                .any(|i| matches!(i, Inline::Link(l) if l.url == "/x.html"))
        );
        assert!(p.contains(&Inline::LineBreak));
        assert!(p.contains(&Inline::RawHtml("<kbd>".into())));
    }

    #[test]
    fn anchor_without_href_is_a_link_target() {
        let blocks = body("<a name=\"top\">*Top*</a> and <a href=\"#top\">back</a>\n");
        let Block::Paragraph(p) = &blocks[0] else {
            panic!()
        };
        assert_eq!(p[0], Inline::Anchor("top".into()));
        assert_eq!(p[1], Inline::Emphasis(vec![Inline::Text("Top".into())]));
        assert_eq!(p[2], Inline::Text(" and ".into()));
        assert!(matches!(&p[3], Inline::Link(l) if l.url == "#top"));
    }

    #[test]
    fn stray_closing_anchor_is_dropped() {
        // The corpus's `<img ...></a>` with no `<a>` before it: the image stays alone.
        let blocks = body("<img src=\"x.png\" alt=\"X\"></a>\n");
        let Block::Paragraph(p) = &blocks[0] else {
            panic!("{blocks:?}")
        };
        assert!(
            matches!(p.as_slice(), [Inline::Image(i)] if i.src == "x.png"),
            "{p:?}"
        );
    }

    #[test]
    fn image_sizes_that_are_not_lengths_are_left_out_with_a_warning() {
        let mut warnings = Warnings::default();
        let doc = read(
            "title: T\n\n<img src=\"a.png\" alt=\"A\" width=\"-3\" height=\"20\">\n\n\
             Text <img src=\"b.png\" alt=\"B\" height=\"auto\"> here.\n",
            Path::new("page.md"),
            &ReadOptions::default(),
            &mut warnings,
        )
        .unwrap();
        let images = crate::model::images(&doc.blocks);
        assert_eq!(images.len(), 2, "{doc:?}");
        assert_eq!(images[0].width, None);
        assert_eq!(images[0].height, crate::model::Length::parse("20"));
        assert_eq!(images[1].height, None);
        let rendered: Vec<String> = warnings.iter().map(|w| w.to_string()).collect();
        assert_eq!(rendered.len(), 2, "{rendered:?}");
        assert!(
            rendered[0].contains("page.md:3:1") && rendered[0].contains("width `-3`"),
            "{rendered:?}"
        );
        assert!(rendered[1].contains("height `auto`"), "{rendered:?}");
    }

    #[test]
    fn html_block_image_is_an_image_node_with_position() {
        let blocks = parse_body(
            "Intro\n\n<img src=\"/img/logos/py.png\" width=\"100%\" alt=\"Python logo.\">\n",
            10,
            &ReadOptions::default(),
        );
        let Block::Figure(figure) = &blocks[1] else {
            panic!("{blocks:?}")
        };
        assert_eq!(figure.image.src, "/img/logos/py.png");
        assert_eq!(figure.image.alt, "Python logo.");
        let width = figure.image.width.as_ref().expect("a width");
        assert_eq!(width.as_written(), "100%");
        assert_eq!(width.unit(), crate::model::LengthUnit::Percent);
        assert_eq!(figure.image.pos.line, 12);
    }

    #[test]
    fn div_spanning_markdown_becomes_a_container() {
        let blocks = body("<div class=\"row\">\n\n*hi*\n\n</div>\n\nafter\n");
        let Block::Div {
            class,
            blocks: inner,
            ..
        } = &blocks[0]
        else {
            panic!("{blocks:?}")
        };
        assert_eq!(class.as_deref(), Some("row"));
        assert!(matches!(&inner[0], Block::Paragraph(_)));
        assert!(matches!(&blocks[1], Block::Paragraph(_)));
    }

    #[test]
    fn indented_html_block_makes_no_blank_paragraph() {
        // The two-space indentation reaches the reader as a separate text event.
        let blocks = body("  <!-- note -->\n\n  <div>\n\nx\n");
        assert_eq!(blocks[0], Block::RawHtml("<!-- note -->".into()));
        let Block::Div { blocks: inner, .. } = &blocks[1] else {
            panic!("{blocks:?}")
        };
        assert_eq!(inner, &[Block::Paragraph(vec![Inline::Text("x".into())])]);
    }

    #[test]
    fn html_table_with_blank_lines_is_one_table() {
        let blocks = body(
            "<table>\n\n<tr>\n\n<td>\nHi\n</td>\n\n</tr>\n\n</table>\n\n<TABLE><tr><td>2</td></tr></TABLE>\n\nafter\n",
        );
        let [
            Block::Table(one),
            Block::Table(two),
            Block::Paragraph(after),
        ] = &blocks[..]
        else {
            panic!("{blocks:?}")
        };
        let hi = Cell {
            content: vec![Inline::Text("Hi".into())],
        };
        assert_eq!(one.rows, [Row { cells: vec![hi] }]);
        assert_eq!(two.rows.len(), 1);
        assert_eq!(plain_text(after), "after");
        assert!(has_unclosed_table("<table class=x>\n<tr>"));
        assert!(!has_unclosed_table("<table>\n</table>\n<tablex>"));
    }

    #[test]
    fn deep_nesting_does_not_overflow() {
        let deep = "> ".repeat(10_000) + "x\n";
        let _ = body(&deep);
        let deep_list = (0..10_000)
            .map(|i| format!("{}- x\n", "  ".repeat(i)))
            .collect::<String>();
        let _ = body(&deep_list);
    }
}
