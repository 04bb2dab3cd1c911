//! Raw HTML in Markdown, mapped into the model.
//!
//! Block HTML is parsed with html5ever (an HTML5 parser, so unclosed `<img>` and friends parse
//! as browsers parse them) and walked into model blocks. Inline HTML arrives from pulldown-cmark
//! one tag at a time; [`parse_tag`] reads such a tag and the Markdown reader keeps the nesting.
//! Elements with no model equivalent (`<video>`, `<iframe>`, `<script>`...) are kept as raw
//! HTML, which only the HTML writer shows.

use std::cell::Cell;
use std::path::Path;

use html5ever::tendril::StrTendril;
use html5ever::tokenizer::{
    BufferQueue, Tag as HtmlTag, TagKind, Token, TokenSink, TokenSinkResult, Tokenizer,
    TokenizerOpts,
};
use html5ever::tree_builder::{TreeBuilder, TreeBuilderOpts, create_element};
use html5ever::{QualName, TokenizerResult, local_name, ns};
use markup5ever_rcdom::{Handle, NodeData, RcDom, SerializableHandle};

use crate::diag::Diagnostic;
use crate::model::{
    Align, Block, Cell as TableCell, CodeBlock, Figure, Image, Inline, Length, Link, List,
    ListItem, MAX_NESTING, Pos, Row, Table,
};

/// The link target an element names with `id` (or, on `<a>`, `name`), when it is usable as
/// an id in every output: not empty, no white space.
pub fn anchor_id(tag: &Tag) -> Option<String> {
    let id = tag
        .attr("id")
        .or_else(|| (tag.name == "a").then(|| tag.attr("name")).flatten())?;
    usable_id(id.to_string())
}

/// `content` after an anchor for `id`, when it is a usable id.
fn anchored(id: Option<String>, content: Vec<Inline>) -> Vec<Inline> {
    let mut inlines: Vec<Inline> = id
        .and_then(usable_id)
        .map(Inline::Anchor)
        .into_iter()
        .collect();
    inlines.extend(content);
    inlines
}

fn usable_id(id: String) -> Option<String> {
    let id = id.trim();
    (!id.is_empty() && !id.contains(char::is_whitespace)).then(|| id.to_string())
}

/// One HTML tag as written: `<a href="x">`, `</em>`, `<br/>`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tag {
    /// Lower-case element name.
    pub name: String,
    /// Attributes in source order, names lower-cased, entities decoded.
    pub attrs: Vec<(String, String)>,
    /// `</name>`.
    pub closing: bool,
    /// `<name/>`.
    pub self_closing: bool,
    /// Length in bytes of the tag text.
    pub len: usize,
}

impl Tag {
    /// An attribute's value.
    pub fn attr(&self, name: &str) -> Option<&str> {
        self.attrs
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }
}

/// Parses one tag at the start of `s`; `None` for comments, declarations and non-tags.
pub fn parse_tag(s: &str) -> Option<Tag> {
    let bytes = s.as_bytes();
    let mut i = 1;
    if bytes.first() != Some(&b'<') {
        return None;
    }
    let closing = bytes.get(1) == Some(&b'/');
    if closing {
        i += 1;
    }
    let name_start = i;
    while i < bytes.len() && (bytes[i].is_ascii_alphanumeric() || bytes[i] == b'-') {
        i += 1;
    }
    if i == name_start || !bytes[name_start].is_ascii_alphabetic() {
        return None;
    }
    let name = s[name_start..i].to_ascii_lowercase();
    let mut attrs = Vec::new();
    let mut self_closing = false;
    loop {
        while i < bytes.len() && bytes[i].is_ascii_whitespace() {
            i += 1;
        }
        match bytes.get(i)? {
            b'>' => {
                i += 1;
                break;
            }
            b'/' if bytes.get(i + 1) == Some(&b'>') => {
                self_closing = true;
                i += 2;
                break;
            }
            _ => {}
        }
        let attr_start = i;
        while i < bytes.len() && !b" \t\r\n=>/".contains(&bytes[i]) {
            i += 1;
        }
        if i == attr_start {
            // A stray `/` or similar: skip it.
            i += 1;
            continue;
        }
        let attr_name = s[attr_start..i].to_ascii_lowercase();
        while i < bytes.len() && bytes[i].is_ascii_whitespace() {
            i += 1;
        }
        let mut value = String::new();
        if bytes.get(i) == Some(&b'=') {
            i += 1;
            while i < bytes.len() && bytes[i].is_ascii_whitespace() {
                i += 1;
            }
            match bytes.get(i)? {
                &quote @ (b'"' | b'\'') => {
                    let end = s[i + 1..].find(quote as char)? + i + 1;
                    value = decode_entities(&s[i + 1..end]);
                    i = end + 1;
                }
                _ => {
                    let start = i;
                    while i < bytes.len() && !bytes[i].is_ascii_whitespace() && bytes[i] != b'>' {
                        i += 1;
                    }
                    value = decode_entities(&s[start..i]);
                }
            }
        }
        attrs.push((attr_name, value));
    }
    Some(Tag {
        name,
        attrs,
        closing,
        self_closing,
        len: i,
    })
}

/// Decodes the character references in an attribute value: numeric references and every
/// HTML5 named reference ended by `;` (`&ouml;`, `&mdash;`...), as a browser would. A `&` that
/// starts no known reference is left as written.
pub fn decode_entities(s: &str) -> String {
    if !s.contains('&') {
        return s.to_string();
    }
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        rest = &rest[amp..];
        // The longest named reference, `&CounterClockwiseContourIntegral;`, is 33 bytes.
        let end = rest.find(';').filter(|&e| e <= 40);
        let decoded = end.and_then(|e| {
            let name = &rest[1..e];
            let c = match name {
                "amp" => Some('&'),
                "lt" => Some('<'),
                "gt" => Some('>'),
                "quot" => Some('"'),
                "apos" => Some('\''),
                "nbsp" => Some('\u{a0}'),
                _ if name.starts_with("#x") || name.starts_with("#X") => {
                    u32::from_str_radix(&name[2..], 16)
                        .ok()
                        .and_then(char::from_u32)
                }
                _ if name.starts_with('#') => name[1..].parse().ok().and_then(char::from_u32),
                _ => None,
            };
            let named = || {
                // The table's keys include the `;`; some references stand for two characters.
                let &(first, second) = html5ever::data::NAMED_ENTITIES.get(&rest[1..=e])?;
                let mut chars = String::new();
                chars.extend(char::from_u32(first));
                chars.extend(char::from_u32(second).filter(|&c| c != '\0'));
                Some(chars)
            };
            c.map(String::from).or_else(named).map(|c| (c, e + 1))
        });
        match decoded {
            Some((c, len)) => {
                out.push_str(&c);
                rest = &rest[len..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// What an inline element means in the model.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum InlineTag {
    /// `<em>`, `<i>`, `<cite>`, `<var>`, `<dfn>`.
    Emphasis,
    /// `<strong>`, `<b>`.
    Strong,
    /// `<s>`, `<del>`, `<strike>`.
    Strikethrough,
    /// `<sup>`.
    Superscript,
    /// `<sub>`.
    Subscript,
    /// `<code>`, `<kbd>`... no: `<code>`, `<tt>`, `<samp>`.
    Code,
    /// `<a>`.
    Link,
    /// Elements whose children are kept but which add nothing: `<span>`, `<u>`, `<small>`...
    Transparent,
}

/// Maps an inline element name to its model meaning; `None` when it has none.
pub fn inline_kind(name: &str) -> Option<InlineTag> {
    Some(match name {
        "em" | "i" | "cite" | "var" | "dfn" => InlineTag::Emphasis,
        "strong" | "b" => InlineTag::Strong,
        "s" | "del" | "strike" => InlineTag::Strikethrough,
        "sup" => InlineTag::Superscript,
        "sub" => InlineTag::Subscript,
        "code" | "tt" | "samp" => InlineTag::Code,
        "a" => InlineTag::Link,
        "span" | "u" | "small" | "big" | "font" | "mark" | "abbr" | "label" | "ins" | "q"
        | "time" | "bdi" | "bdo" | "data" => InlineTag::Transparent,
        _ => return None,
    })
}

/// Whether closing tags of this element are consumed by the model (so a stray `</em>` vanishes
/// instead of showing as raw HTML).
pub fn is_mapped_inline(name: &str) -> bool {
    inline_kind(name).is_some() || name == "br" || name == "img"
}

/// An image node from an `<img>` tag; a `width` or `height` that is not a [`Length`] is left
/// out and added to `bad_lengths`.
pub fn image_from_tag(tag: &Tag, pos: Pos, bad_lengths: &mut Vec<BadLength>) -> Image {
    image_from_attrs(|name| tag.attr(name).map(String::from), pos, bad_lengths)
}

/// An image `width` or `height` that is not a length (`auto`, `-3`), left out of the model.
#[derive(Debug, Clone, PartialEq)]
pub struct BadLength {
    /// Where the image is.
    pub pos: Pos,
    /// `width` or `height`.
    pub attribute: &'static str,
    /// The value as written.
    pub value: String,
}

impl BadLength {
    /// The warning for it, in `path`.
    pub fn warning(&self, path: &Path) -> Diagnostic {
        Diagnostic::warning(
            Some(path),
            format!(
                "image {} `{}` is not a length; it is ignored",
                self.attribute, self.value
            ),
        )
        .at(self.pos, None)
        .with_hint("write pixels (`320`), a percentage (`50%`) or a CSS length (`20em`)")
    }
}

fn image_from_attrs(
    attr: impl Fn(&str) -> Option<String>,
    pos: Pos,
    bad_lengths: &mut Vec<BadLength>,
) -> Image {
    let mut length = |attribute: &'static str| {
        let value = attr(attribute).filter(|v| !v.trim().is_empty())?;
        let length = Length::parse(&value);
        if length.is_none() {
            bad_lengths.push(BadLength {
                pos,
                attribute,
                value,
            });
        }
        length
    };
    let width = length("width");
    let height = length("height");
    Image {
        src: attr("src").unwrap_or_default(),
        alt: attr("alt").unwrap_or_default(),
        title: attr("title"),
        width,
        height,
        pos,
    }
}

/// Parses a block of raw HTML (one CommonMark HTML block) into model blocks. `pos` is where the
/// block starts; every node in it is given that position.
pub fn blocks_from_html(html: &str, pos: Pos) -> Vec<Block> {
    blocks_from_html_reporting(html, pos).blocks
}

/// What [`blocks_from_html_reporting`] read, and what it had to leave out.
#[derive(Debug, Default)]
pub struct HtmlBlocks {
    /// The blocks.
    pub blocks: Vec<Block>,
    /// Whether elements nested past the limits were flattened.
    pub flattened: bool,
    /// Image sizes that are not lengths.
    pub bad_lengths: Vec<BadLength>,
}

/// [`blocks_from_html`], also telling what had to be flattened or left out.
pub fn blocks_from_html_reporting(html: &str, pos: Pos) -> HtmlBlocks {
    if is_declaration_block(html) {
        return HtmlBlocks {
            blocks: vec![Block::RawHtml(html.trim().to_string())],
            ..HtmlBlocks::default()
        };
    }
    let (dom, dropped) = parse_fragment_bounded(html);
    // The fragment's nodes hang under a synthetic <html> element.
    let root = dom.document.children.borrow().first().cloned();
    let Some(root) = root else {
        return HtmlBlocks {
            flattened: dropped,
            ..HtmlBlocks::default()
        };
    };
    let children = root.children.borrow().clone();
    let mut walker = Walker {
        pos,
        depth: 0,
        flattened: dropped,
        bad_lengths: Vec::new(),
    };
    let blocks = walker.blocks(&children);
    HtmlBlocks {
        blocks,
        flattened: walker.flattened,
        bad_lengths: walker.bad_lengths,
    }
}

/// How deep the HTML5 tree builder may nest elements. Its scope checks walk the stack of open
/// elements for every start tag, so 100,000 nested `<div>`s would take minutes; tags past this
/// depth are dropped (their text stays, in the deepest element kept). It is larger than
/// [`MAX_NESTING`] because the tree builder also counts inline and implied elements, and the
/// walker flattens the model at [`MAX_NESTING`] anyway.
pub const MAX_HTML_ELEMENT_DEPTH: usize = 4 * MAX_NESTING;

/// html5ever's `parse_fragment` in a `<body>` context, with start tags past
/// [`MAX_HTML_ELEMENT_DEPTH`] dropped before they reach the tree builder; also tells whether
/// any was dropped.
fn parse_fragment_bounded(html: &str) -> (RcDom, bool) {
    let sink = RcDom::default();
    let context = create_element(
        &sink,
        QualName::new(None, ns!(html), local_name!("body")),
        vec![],
    );
    let builder = TreeBuilder::new_for_fragment(sink, context, None, TreeBuilderOpts::default());
    let tokenizer_options = TokenizerOpts {
        initial_state: Some(builder.tokenizer_state_for_context_elem(false)),
        ..TokenizerOpts::default()
    };
    let tokenizer = Tokenizer::new(
        DepthLimit {
            inner: builder,
            depth: Cell::new(0),
            dropped: Cell::new(0),
            ever_dropped: Cell::new(false),
        },
        tokenizer_options,
    );
    let input = BufferQueue::default();
    input.push_back(StrTendril::from_slice(html));
    while !matches!(tokenizer.feed(&input), TokenizerResult::Done) {}
    tokenizer.end();
    let dropped = tokenizer.sink.ever_dropped.get();
    (tokenizer.sink.inner.sink, dropped)
}

/// A token filter in front of the tree builder that bounds element depth (see
/// [`MAX_HTML_ELEMENT_DEPTH`]). Depth is counted from tags, not from the tree builder's real
/// stack (which it does not expose): close enough, since only deep, hostile input reaches it.
struct DepthLimit<S> {
    inner: S,
    /// Start tags passed on minus end tags passed on.
    depth: Cell<usize>,
    /// Start tags dropped whose end tags have not been seen.
    dropped: Cell<usize>,
    /// Whether any start tag was dropped.
    ever_dropped: Cell<bool>,
}

/// Elements without an end tag.
fn is_void(name: &str) -> bool {
    matches!(
        name,
        "area"
            | "base"
            | "br"
            | "col"
            | "embed"
            | "hr"
            | "img"
            | "input"
            | "link"
            | "meta"
            | "param"
            | "source"
            | "track"
            | "wbr"
            | "keygen"
    )
}

/// Elements whose content the tokenizer reads as raw text once the tree builder says so: they
/// are always passed on, or a dropped `<script>` would turn its code into visible text.
fn is_raw_text(name: &str) -> bool {
    matches!(
        name,
        "script"
            | "style"
            | "textarea"
            | "title"
            | "xmp"
            | "iframe"
            | "noembed"
            | "noframes"
            | "noscript"
            | "plaintext"
    )
}

impl<S: TokenSink> TokenSink for DepthLimit<S> {
    type Handle = S::Handle;

    fn process_token(&self, token: Token, line_number: u64) -> TokenSinkResult<S::Handle> {
        if let Token::TagToken(HtmlTag {
            kind,
            name,
            self_closing,
            ..
        }) = &token
        {
            let name: &str = name;
            if !is_void(name) && !self_closing {
                match kind {
                    TagKind::StartTag => {
                        if self.depth.get() >= MAX_HTML_ELEMENT_DEPTH && !is_raw_text(name) {
                            self.dropped.set(self.dropped.get() + 1);
                            self.ever_dropped.set(true);
                            return TokenSinkResult::Continue;
                        }
                        self.depth.set(self.depth.get() + 1);
                    }
                    TagKind::EndTag => {
                        if self.dropped.get() > 0 && !is_raw_text(name) {
                            self.dropped.set(self.dropped.get() - 1);
                            return TokenSinkResult::Continue;
                        }
                        self.depth.set(self.depth.get().saturating_sub(1));
                    }
                }
            }
        }
        self.inner.process_token(token, line_number)
    }

    fn end(&self) {
        self.inner.end();
    }

    fn adjusted_current_node_present_but_not_in_html_namespace(&self) -> bool {
        self.inner
            .adjusted_current_node_present_but_not_in_html_namespace()
    }
}

/// Whether `html` is a processing instruction (`<?php ... ?>`), a declaration
/// (`<!DOCTYPE html>`) or a CDATA section: CommonMark HTML blocks of types 3 to 5. None has a
/// model equivalent, and an HTML5 parser does not keep them as written (in a body it turns a
/// processing instruction into a comment that ends at the first `>`, and drops a doctype), so
/// the block is kept verbatim.
fn is_declaration_block(html: &str) -> bool {
    let html = html.trim_start();
    html.starts_with("<?")
        || html.starts_with("<![CDATA[")
        || html
            .strip_prefix("<!")
            .is_some_and(|rest| rest.starts_with(|c: char| c.is_ascii_alphabetic()))
}

struct Walker {
    pos: Pos,
    depth: usize,
    /// Whether an element past [`MAX_NESTING`] was flattened to its text.
    flattened: bool,
    /// Image sizes that are not lengths.
    bad_lengths: Vec<BadLength>,
}

/// Elements that start a new block (everything else is phrasing content).
fn is_block_element(name: &str) -> bool {
    matches!(
        name,
        "p" | "div"
            | "section"
            | "article"
            | "header"
            | "footer"
            | "main"
            | "aside"
            | "nav"
            | "center"
            | "address"
            | "ul"
            | "ol"
            | "li"
            | "dl"
            | "dt"
            | "dd"
            | "blockquote"
            | "pre"
            | "h1"
            | "h2"
            | "h3"
            | "h4"
            | "h5"
            | "h6"
            | "hr"
            | "table"
            | "figure"
            | "figcaption"
            | "details"
            | "summary"
            | "form"
            | "fieldset"
            | "video"
            | "audio"
            | "iframe"
            | "object"
            | "embed"
            | "canvas"
            | "script"
            | "style"
            | "noscript"
            | "template"
            | "title"
            | "head"
            | "body"
            | "html"
            | "link"
            | "meta"
    )
}

fn element_name(node: &Handle) -> Option<String> {
    match &node.data {
        NodeData::Element { name, .. } => Some(name.local.to_string()),
        _ => None,
    }
}

fn attribute(node: &Handle, wanted: &str) -> Option<String> {
    match &node.data {
        NodeData::Element { attrs, .. } => attrs
            .borrow()
            .iter()
            .find(|a| &*a.name.local == wanted)
            .map(|a| a.value.to_string()),
        _ => None,
    }
}

fn children(node: &Handle) -> Vec<Handle> {
    node.children.borrow().clone()
}

/// The outer HTML of a node, for elements kept as raw HTML.
fn serialize(node: &Handle) -> String {
    let mut out = Vec::new();
    let handle: SerializableHandle = node.clone().into();
    let options = html5ever::serialize::SerializeOpts {
        traversal_scope: html5ever::serialize::TraversalScope::IncludeNode,
        ..Default::default()
    };
    if html5ever::serialize::serialize(&mut out, &handle, options).is_err() {
        return String::new();
    }
    String::from_utf8(out).unwrap_or_default()
}

/// All text under a node, as written (for `<pre>` and `<code>`).
fn text_content(node: &Handle, out: &mut String) {
    match &node.data {
        NodeData::Text { contents } => out.push_str(&contents.borrow()),
        NodeData::Element { name, .. } if &*name.local == "br" => out.push('\n'),
        // Code and embedded content are not text a reader sees: flattening `<script>` past the
        // nesting limit must not publish its source.
        NodeData::Element { name, .. }
            if matches!(
                &*name.local,
                "script"
                    | "style"
                    | "template"
                    | "iframe"
                    | "object"
                    | "noembed"
                    | "noframes"
                    | "noscript"
            ) => {}
        _ => {
            for child in node.children.borrow().iter() {
                text_content(child, out);
            }
        }
    }
}

impl Walker {
    fn blocks(&mut self, nodes: &[Handle]) -> Vec<Block> {
        let mut blocks = Vec::new();
        let mut phrasing: Vec<Handle> = Vec::new();
        for node in nodes {
            let is_block = element_name(node).is_some_and(|n| is_block_element(&n));
            let is_comment = matches!(node.data, NodeData::Comment { .. });
            if is_block || is_comment {
                self.flush_phrasing(&mut phrasing, &mut blocks);
                if is_comment {
                    blocks.push(Block::RawHtml(comment_text(node)));
                } else {
                    self.block(node, &mut blocks);
                }
            } else {
                phrasing.push(node.clone());
            }
        }
        self.flush_phrasing(&mut phrasing, &mut blocks);
        blocks
    }

    fn flush_phrasing(&mut self, phrasing: &mut Vec<Handle>, blocks: &mut Vec<Block>) {
        if phrasing.is_empty() {
            return;
        }
        let inlines = self.inlines(phrasing);
        phrasing.clear();
        if trim_inline_whitespace(inlines.clone()).is_empty() {
            return;
        }
        match Figure::from_paragraph(&inlines) {
            Some(figure) => blocks.push(Block::Figure(figure)),
            // Loose phrasing content in an HTML block is not a paragraph: no `<p>` was written,
            // and its surrounding whitespace (collapsed to one space) is part of it, as in HTML.
            None => blocks.push(Block::Plain(inlines)),
        }
    }

    fn nested<T>(&mut self, f: impl FnOnce(&mut Self) -> T) -> Option<T> {
        if self.depth >= MAX_NESTING {
            self.flattened = true;
            return None;
        }
        self.depth += 1;
        let result = f(self);
        self.depth -= 1;
        Some(result)
    }

    fn block(&mut self, node: &Handle, out: &mut Vec<Block>) {
        let name = element_name(node).unwrap_or_default();
        let kids = children(node);
        let Some(()) = self.nested(|w| match name.as_str() {
            "p" | "dt" | "summary" | "figcaption" | "address" => {
                let inlines = trim_inline_whitespace(w.inlines(&kids));
                if !inlines.is_empty() {
                    match Figure::from_paragraph(&inlines) {
                        Some(figure) if name == "p" => out.push(Block::Figure(figure)),
                        _ => out.push(Block::Paragraph(inlines)),
                    }
                }
            }
            "div" | "section" | "article" | "header" | "footer" | "main" | "aside" | "nav"
            | "center" | "details" | "dd" | "li" | "body" | "html" | "dl" => {
                let blocks = w.blocks(&kids);
                if name == "div" || name == "section" || name == "article" || name == "aside" {
                    out.push(Block::Div {
                        id: attribute(node, "id"),
                        class: attribute(node, "class"),
                        blocks,
                    });
                } else {
                    out.extend(blocks);
                }
            }
            "ul" | "ol" => {
                let start = (name == "ol").then(|| {
                    attribute(node, "start")
                        .and_then(|s| s.trim().parse().ok())
                        .unwrap_or(1)
                });
                let items = kids
                    .iter()
                    .filter(|k| element_name(k).is_some_and(|n| n == "li"))
                    .map(|li| ListItem {
                        task: None,
                        blocks: w.blocks(&children(li)),
                    })
                    .collect();
                out.push(Block::List(List {
                    start,
                    tight: true,
                    items,
                }));
            }
            "blockquote" => out.push(Block::BlockQuote(w.blocks(&kids))),
            "pre" => {
                let mut text = String::new();
                text_content(node, &mut text);
                // No newline is stripped here: the HTML parser already dropped the one right
                // after `<pre>` (as browsers do), so a leading newline left in the text (as in
                // `<pre><code>\nx`) is a blank line the page shows.
                let text = if text.ends_with('\n') || text.is_empty() {
                    text
                } else {
                    text + "\n"
                };
                let language = kids
                    .iter()
                    .find(|k| element_name(k).is_some_and(|n| n == "code"))
                    .and_then(|code| attribute(code, "class"))
                    .and_then(|class| {
                        class
                            .split_whitespace()
                            .find_map(|c| c.strip_prefix("language-").map(String::from))
                    });
                out.push(Block::CodeBlock(CodeBlock {
                    language,
                    text,
                    highlighted: Vec::new(),
                    ..Default::default()
                }));
            }
            "h1" | "h2" | "h3" | "h4" | "h5" | "h6" => out.push(Block::Heading {
                level: name.as_bytes()[1] - b'0',
                id: attribute(node, "id").unwrap_or_default(),
                classes: Vec::new(),
                content: trim_inline_whitespace(w.inlines(&kids)),
            }),
            "hr" => out.push(Block::ThematicBreak),
            "table" => out.push(Block::Table(w.table(node))),
            "figure" => {
                let mut image = None;
                let mut caption = Vec::new();
                find_figure_parts(node, &mut image, &mut caption, w);
                match image {
                    Some(image) => out.push(Block::Figure(Figure { image, caption })),
                    None => out.extend(w.blocks(&kids)),
                }
            }
            // Metadata elements of a pasted full page carry nothing for the body.
            "head" | "title" | "link" | "meta" => {}
            _ => out.push(Block::RawHtml(serialize(node))),
        }) else {
            // Past the nesting limit: keep the text, drop the structure.
            let mut text = String::new();
            text_content(node, &mut text);
            if !text.trim().is_empty() {
                out.push(Block::Paragraph(vec![Inline::Text(collapse_whitespace(
                    &text,
                ))]));
            }
            return;
        };
    }

    fn table(&mut self, node: &Handle) -> Table {
        let mut rows: Vec<(bool, Row)> = Vec::new();
        let mut stack = vec![node.clone()];
        // Collect <tr> in document order through thead/tbody/tfoot.
        let mut trs = Vec::new();
        while let Some(n) = stack.pop() {
            for child in children(&n).into_iter().rev() {
                match element_name(&child).as_deref() {
                    Some("tr") => trs.push(child),
                    Some("thead" | "tbody" | "tfoot") => stack.push(child),
                    _ => {}
                }
            }
        }
        // `stack` pops last-pushed first, so sections come out reversed: restore source order.
        trs.sort_by_key(|tr| node_order(node, tr));
        for tr in trs {
            let mut all_th = true;
            let cells: Row = children(&tr)
                .iter()
                .filter_map(|cell| {
                    let name = element_name(cell)?;
                    if name != "td" && name != "th" {
                        return None;
                    }
                    all_th &= name == "th";
                    Some(TableCell {
                        content: trim_inline_whitespace(self.inlines(&children(cell))),
                    })
                })
                .collect();
            if !cells.cells.is_empty() {
                rows.push((all_th, cells));
            }
        }
        let columns = rows.iter().map(|(_, r)| r.cells.len()).max().unwrap_or(0);
        let mut table = Table {
            alignments: vec![Align::None; columns],
            ..Table::default()
        };
        let mut rows = rows.into_iter().peekable();
        if let Some((true, _)) = rows.peek() {
            table.header = rows.next().expect("peeked").1;
        }
        table.rows = rows.map(|(_, r)| r).collect();
        table
    }

    fn inlines(&mut self, nodes: &[Handle]) -> Vec<Inline> {
        let mut out = Vec::new();
        for node in nodes {
            self.inline(node, &mut out);
        }
        out
    }

    fn inline(&mut self, node: &Handle, out: &mut Vec<Inline>) {
        match &node.data {
            NodeData::Text { contents } => {
                let text = collapse_whitespace(&contents.borrow());
                if let Some(Inline::Text(prev)) = out.last_mut() {
                    prev.push_str(&text);
                } else if !text.is_empty() {
                    out.push(Inline::Text(text));
                }
            }
            NodeData::Comment { .. } => out.push(Inline::RawHtml(comment_text(node))),
            NodeData::Element { .. } => {
                let name = element_name(node).unwrap_or_default();
                let pos = self.pos;
                let kids = children(node);
                let converted = self.nested(|w| match name.as_str() {
                    "br" => vec![Inline::LineBreak],
                    "img" => vec![Inline::Image(image_from_attrs(
                        |a| attribute(node, a),
                        pos,
                        &mut w.bad_lengths,
                    ))],
                    _ => match inline_kind(&name) {
                        Some(InlineTag::Emphasis) => vec![Inline::Emphasis(w.inlines(&kids))],
                        Some(InlineTag::Strong) => vec![Inline::Strong(w.inlines(&kids))],
                        Some(InlineTag::Strikethrough) => {
                            vec![Inline::Strikethrough(w.inlines(&kids))]
                        }
                        Some(InlineTag::Superscript) => vec![Inline::Superscript(w.inlines(&kids))],
                        Some(InlineTag::Subscript) => vec![Inline::Subscript(w.inlines(&kids))],
                        Some(InlineTag::Code) => {
                            let mut text = String::new();
                            text_content(node, &mut text);
                            vec![Inline::Code(text)]
                        }
                        Some(InlineTag::Link) => match attribute(node, "href") {
                            Some(url) => vec![Inline::Link(Link {
                                url,
                                title: attribute(node, "title"),
                                content: w.inlines(&kids),
                                pos,
                            })],
                            // An anchor without `href` (`<a name="x">`) is a link target,
                            // before its (mapped) content.
                            None => anchored(
                                attribute(node, "id").or_else(|| attribute(node, "name")),
                                w.inlines(&kids),
                            ),
                        },
                        // `<span id="x">`: a link target where it starts.
                        Some(InlineTag::Transparent) => {
                            anchored(attribute(node, "id"), w.inlines(&kids))
                        }
                        None if is_block_element(&name) => {
                            // A block inside phrasing content (e.g. <div> in <a>): keep its text.
                            w.inlines(&kids)
                        }
                        None => vec![Inline::RawHtml(serialize(node))],
                    },
                });
                match converted {
                    Some(inlines) => {
                        for inline in inlines {
                            match (out.last_mut(), inline) {
                                (Some(Inline::Text(prev)), Inline::Text(next)) => {
                                    prev.push_str(&next)
                                }
                                (_, inline) => out.push(inline),
                            }
                        }
                    }
                    None => {
                        let mut text = String::new();
                        text_content(node, &mut text);
                        out.push(Inline::Text(collapse_whitespace(&text)));
                    }
                }
            }
            _ => {}
        }
    }
}

fn find_figure_parts(
    node: &Handle,
    image: &mut Option<Image>,
    caption: &mut Vec<Inline>,
    walker: &mut Walker,
) {
    for child in children(node) {
        match element_name(&child).as_deref() {
            Some("img") if image.is_none() => {
                *image = Some(image_from_attrs(
                    |a| attribute(&child, a),
                    walker.pos,
                    &mut walker.bad_lengths,
                ))
            }
            Some("figcaption") => {
                *caption = trim_inline_whitespace(walker.inlines(&children(&child)))
            }
            Some(_) => find_figure_parts(&child, image, caption, walker),
            None => {}
        }
    }
}

/// Position of `target` in a pre-order walk of `root` (for sorting table rows).
fn node_order(root: &Handle, target: &Handle) -> usize {
    let mut index = 0;
    let mut stack = vec![root.clone()];
    while let Some(n) = stack.pop() {
        if std::rc::Rc::ptr_eq(&n, target) {
            return index;
        }
        index += 1;
        for child in children(&n).into_iter().rev() {
            stack.push(child);
        }
    }
    usize::MAX
}

fn comment_text(node: &Handle) -> String {
    match &node.data {
        NodeData::Comment { contents } => format!("<!--{contents}-->"),
        _ => String::new(),
    }
}

/// HTML whitespace rules: runs of spaces and newlines are one space.
fn collapse_whitespace(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut in_space = false;
    for c in text.chars() {
        if c.is_ascii_whitespace() {
            if !in_space {
                out.push(' ');
            }
            in_space = true;
        } else {
            out.push(c);
            in_space = false;
        }
    }
    out
}

/// Drops whitespace at the start and end of a run of inlines.
fn trim_inline_whitespace(mut inlines: Vec<Inline>) -> Vec<Inline> {
    if let Some(Inline::Text(t)) = inlines.first_mut() {
        *t = t.trim_start().to_string();
    }
    if let Some(Inline::Text(t)) = inlines.last_mut() {
        *t = t.trim_end().to_string();
    }
    inlines.retain(|i| !matches!(i, Inline::Text(t) if t.is_empty()));
    while matches!(inlines.last(), Some(Inline::LineBreak)) {
        inlines.pop();
    }
    inlines
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::plain_text;

    #[test]
    fn parses_tags_with_all_attribute_forms() {
        let tag = parse_tag(r#"<IMG src="/a.png" width=100% alt='A &amp; B' hidden/>"#).unwrap();
        assert_eq!(tag.name, "img");
        assert_eq!(tag.attr("src"), Some("/a.png"));
        assert_eq!(tag.attr("width"), Some("100%"));
        assert_eq!(tag.attr("alt"), Some("A & B"));
        assert_eq!(tag.attr("hidden"), Some(""));
        assert!(tag.self_closing);
        assert!(parse_tag("</em>").unwrap().closing);
        assert_eq!(parse_tag("<!-- c -->"), None);
        let tag =
            parse_tag("<a href=\"&ouml;&#x41;&nosuch;&amp\" title='&NotEqualTilde;'>").unwrap();
        assert_eq!(tag.attr("href"), Some("\u{f6}A&nosuch;&amp"));
        assert_eq!(tag.attr("title"), Some("\u{2242}\u{338}"));
        assert_eq!(parse_tag("<a href=\"x"), None);
    }

    #[test]
    fn unclosed_img_block_is_a_figure() {
        let blocks = blocks_from_html(
            "<img src=\"/img/logos/py.png\" width=\"100%\" alt=\"Python logo.\">\n",
            Pos { line: 3, col: 1 },
        );
        assert_eq!(blocks.len(), 1);
        let Block::Figure(f) = &blocks[0] else {
            panic!("{blocks:?}")
        };
        assert_eq!(f.image.alt, "Python logo.");
        assert_eq!(f.image.pos.line, 3);
    }

    #[test]
    fn div_with_links_keeps_class_and_links() {
        let blocks = blocks_from_html(
            "<div class=\"well see-also\">Read <a href=\"/data.html\">data</a> &amp; more.</div>",
            Pos::default(),
        );
        let Block::Div { class, blocks, .. } = &blocks[0] else {
            panic!()
        };
        assert_eq!(class.as_deref(), Some("well see-also"));
        let Block::Plain(p) = &blocks[0] else {
            panic!()
        };
        assert_eq!(plain_text(p), "Read data & more.");
    }

    #[test]
    fn tables_lists_and_unknown_elements() {
        let blocks = blocks_from_html(
            "<table><tr><th>A</th><th>B</th></tr><tr><td>1</td><td><b>2</b></td></tr></table>\
             <ol start=\"3\"><li>x</li><li>y</li></ol><video src=\"v.mp4\"></video>",
            Pos::default(),
        );
        let Block::Table(t) = &blocks[0] else {
            panic!()
        };
        assert_eq!(t.header.cells.len(), 2);
        assert_eq!(t.rows.len(), 1);
        let Block::List(l) = &blocks[1] else { panic!() };
        assert_eq!(l.start, Some(3));
        assert_eq!(l.items.len(), 2);
        assert!(matches!(&blocks[2], Block::RawHtml(h) if h.starts_with("<video")));
    }

    #[test]
    fn anchors_without_href_and_spans_with_ids_are_link_targets() {
        let blocks = blocks_from_html(
            "<p><a id=\"x\"><b>X</b></a> <span id=\"y\">Y</span><a name=\"z\"></a></p>",
            Pos::default(),
        );
        assert_eq!(
            blocks,
            [Block::Paragraph(vec![
                Inline::Anchor("x".into()),
                Inline::Strong(vec![Inline::Text("X".into())]),
                Inline::Text(" ".into()),
                Inline::Anchor("y".into()),
                Inline::Text("Y".into()),
                Inline::Anchor("z".into()),
            ])]
        );
    }

    #[test]
    fn processing_instructions_and_declarations_are_kept_verbatim() {
        for html in [
            "<?php\n\n  echo '>';\n\n?>",
            "<!DOCTYPE html>",
            "<![CDATA[\na < b\n]]>",
        ] {
            assert_eq!(
                blocks_from_html(&format!("{html}\n"), Pos::default()),
                [Block::RawHtml(html.to_string())]
            );
        }
        // A comment is not a declaration: it is mapped as before.
        assert!(!is_declaration_block("<!-- x -->"));
    }

    #[test]
    fn pre_keeps_newlines_the_browser_keeps() {
        let code = |html| match &blocks_from_html(html, Pos::default())[0] {
            Block::CodeBlock(c) => c.text.clone(),
            other => panic!("{other:?}"),
        };
        assert_eq!(code("<pre>\nx\n</pre>"), "x\n");
        assert_eq!(code("<pre><code>\nx\n</code></pre>"), "\nx\n");
    }

    #[test]
    fn deep_html_nesting_is_bounded() {
        let html = "<div>".repeat(5000) + "deep" + &"</div>".repeat(5000);
        let blocks = blocks_from_html(&html, Pos::default());
        let text = crate::model::blocks_plain_text(&blocks);
        assert!(text.contains("deep"));
    }
}
