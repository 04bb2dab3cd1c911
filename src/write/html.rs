//! The HTML writer: a document model in, HTML5 (or XHTML for EPUB) out.
//!
//! [`write_body`] is a plain function generic over the sink (any [`std::fmt::Write`]), as
//! pulldown-cmark's writers are. [`page`] wraps a body into a complete, standalone page through a
//! minijinja template: the built-in one (`templates/page.html`) or the user's own.

use std::collections::HashMap;
use std::fmt::{self, Write};

use minijinja::Value;

pub use crate::escape::{escape_attr, escape_text, escape_url};
use crate::highlight::Piece;
use crate::meta::Meta;
use crate::model::{
    Align, Block, CodeBlock, Document, Figure, Image, Inline, List, Listing, Table, plain_text,
};

/// How the body is written.
#[derive(Clone, Copy)]
pub struct HtmlOptions<'a> {
    /// XHTML syntax: void elements closed (`<br />`), for EPUB.
    pub xhtml: bool,
    /// Syntax-highlight code blocks with CSS classes (see [`crate::highlight`]).
    pub highlight: bool,
    /// Add a `#` self-link to each heading.
    pub heading_anchors: bool,
    /// Keep [`Block::RawHtml`] / [`Inline::RawHtml`]; when false they are dropped.
    pub raw_html: bool,
    /// Rewrites link targets (book outputs map `bindery:` links to their own form).
    pub link_url: Option<&'a dyn Fn(&str) -> String>,
    /// Rewrites image sources (book outputs map asset keys to file names).
    pub image_src: Option<&'a dyn Fn(&str) -> String>,
    /// The document is right to left: table column alignments are written as CSS's logical
    /// `start` and `end` (`:--` is the start side, the right, as in the PDF). Left-to-right
    /// documents keep `left` and `right`, which older EPUB readers know.
    pub rtl: bool,
}

impl Default for HtmlOptions<'_> {
    fn default() -> Self {
        HtmlOptions {
            xhtml: false,
            highlight: true,
            heading_anchors: false,
            raw_html: true,
            link_url: None,
            image_src: None,
            rtl: false,
        }
    }
}

/// Writes `blocks` as HTML, with footnotes collected into a section at the end.
pub fn write_body(out: &mut impl Write, blocks: &[Block], options: &HtmlOptions) -> fmt::Result {
    let mut writer = Writer {
        out,
        options,
        footnote_numbers: HashMap::new(),
        definitions: Vec::new(),
    };
    writer.definitions = crate::model::footnote_definitions(blocks);
    writer.blocks(blocks, false)?;
    writer.footnotes()
}

/// The body of `blocks` as a string (see [`write_body`]).
pub fn body_to_string(blocks: &[Block], options: &HtmlOptions) -> String {
    let mut out = String::new();
    write_body(&mut out, blocks, options).expect("writing to a String cannot fail");
    out
}

struct Writer<'w, 'o, W> {
    out: &'w mut W,
    options: &'w HtmlOptions<'o>,
    /// Footnote label -> number, in order of first reference.
    footnote_numbers: HashMap<String, usize>,
    definitions: Vec<(&'w str, &'w [Block])>,
}

/// A footnote label made safe for an id.
fn footnote_id(label: &str) -> String {
    let slug = crate::slug::slugify(label);
    if slug.is_empty() {
        format!(
            "{:x}",
            label
                .bytes()
                .fold(0u32, |h, b| h.wrapping_mul(31) + b as u32)
        )
    } else {
        slug
    }
}

impl<W: Write> Writer<'_, '_, W> {
    fn void(&self) -> &'static str {
        if self.options.xhtml { " />" } else { ">" }
    }

    fn blocks(&mut self, blocks: &[Block], tight: bool) -> fmt::Result {
        for (index, block) in blocks.iter().enumerate() {
            self.block(block, tight)?;
            // Plain content ends without a newline (inside a `<div>` a newline would be text);
            // the next block still starts on a line of its own.
            if matches!(block, Block::Plain(_)) && index + 1 < blocks.len() {
                self.out.write_str("\n")?;
            }
        }
        Ok(())
    }

    fn block(&mut self, block: &Block, tight: bool) -> fmt::Result {
        match block {
            Block::Heading {
                level,
                id,
                classes,
                content,
            } => {
                write!(self.out, "<h{level}")?;
                if !id.is_empty() {
                    self.out.write_str(" id=\"")?;
                    escape_attr(self.out, id)?;
                    self.out.write_str("\"")?;
                }
                if !classes.is_empty() {
                    self.out.write_str(" class=\"")?;
                    escape_attr(self.out, &classes.join(" "))?;
                    self.out.write_str("\"")?;
                }
                self.out.write_str(">")?;
                self.inlines(content)?;
                if self.options.heading_anchors && !id.is_empty() {
                    self.out.write_str(" <a class=\"anchor\" href=\"#")?;
                    escape_attr(self.out, id)?;
                    self.out.write_str("\" aria-hidden=\"true\">#</a>")?;
                }
                writeln!(self.out, "</h{level}>")
            }
            Block::Plain(content) => self.inlines(content),
            Block::Paragraph(content) if tight => {
                self.inlines(content)?;
                self.out.write_str("\n")
            }
            Block::Paragraph(content) => {
                self.out.write_str("<p>")?;
                self.inlines(content)?;
                self.out.write_str("</p>\n")
            }
            Block::List(list) => self.list(list),
            Block::BlockQuote(blocks) => {
                self.out.write_str("<blockquote>\n")?;
                self.blocks(blocks, false)?;
                self.out.write_str("</blockquote>\n")
            }
            Block::CodeBlock(code) => self.code_block(code),
            Block::Table(table) => self.table(table),
            Block::ThematicBreak => writeln!(self.out, "<hr{}", self.void()),
            Block::Figure(figure) => self.figure(figure),
            Block::Listing(listing) => self.listing(listing),
            // Footnotes are written together at the end.
            Block::FootnoteDefinition { .. } => Ok(()),
            Block::Div { id, class, blocks } => {
                self.out.write_str("<div")?;
                if let Some(id) = id {
                    self.out.write_str(" id=\"")?;
                    escape_attr(self.out, id)?;
                    self.out.write_str("\"")?;
                }
                if let Some(class) = class {
                    self.out.write_str(" class=\"")?;
                    escape_attr(self.out, class)?;
                    self.out.write_str("\"")?;
                }
                self.out.write_str(">")?;
                if !matches!(blocks.first(), None | Some(Block::Plain(_))) {
                    self.out.write_str("\n")?;
                }
                self.blocks(blocks, false)?;
                self.out.write_str("</div>\n")
            }
            Block::RawHtml(html) if self.options.raw_html => {
                self.out.write_str(html)?;
                if !html.ends_with('\n') {
                    self.out.write_str("\n")?;
                }
                Ok(())
            }
            Block::RawHtml(_) => Ok(()),
        }
    }

    fn list(&mut self, list: &List) -> fmt::Result {
        match list.start {
            Some(1) => self.out.write_str("<ol>\n")?,
            Some(start) => writeln!(self.out, "<ol start=\"{start}\">")?,
            None => self.out.write_str("<ul>\n")?,
        }
        for item in &list.items {
            match item.task {
                Some(checked) => {
                    self.out.write_str("<li class=\"task\">")?;
                    write!(
                        self.out,
                        "<input type=\"checkbox\" disabled=\"disabled\"{}{} ",
                        if checked { " checked=\"checked\"" } else { "" },
                        self.void()
                    )?;
                }
                None => self.out.write_str("<li>")?,
            }
            // Tight items print their first paragraph bare; anything after it on new lines.
            if list.tight {
                let mut first = true;
                for block in &item.blocks {
                    if !first || !matches!(block, Block::Paragraph(_)) {
                        self.out.write_str("\n")?;
                    }
                    match block {
                        Block::Paragraph(content) => self.inlines(content)?,
                        other => self.block(other, true)?,
                    }
                    first = false;
                }
            } else {
                self.out.write_str("\n")?;
                self.blocks(&item.blocks, false)?;
            }
            self.out.write_str("</li>\n")?;
        }
        self.out.write_str(if list.start.is_some() {
            "</ol>\n"
        } else {
            "</ul>\n"
        })
    }

    fn code_block(&mut self, code: &CodeBlock) -> fmt::Result {
        self.out.write_str("<pre")?;
        if !code.highlighted.is_empty() {
            self.out.write_str(" class=\"has-marks\"")?;
        }
        self.out.write_str("><code")?;
        if let Some(language) = &code.language {
            self.out.write_str(" class=\"language-")?;
            escape_attr(self.out, language)?;
            self.out.write_str("\"")?;
        }
        self.out.write_str(">")?;
        let tokens = match (&code.language, self.options.highlight) {
            (Some(_), true) => code.tokens(),
            _ => None,
        };
        if tokens.is_none() && code.highlighted.is_empty() {
            // Nothing to mark up: write the text as it is.
            escape_text(self.out, &code.text)?;
            return self.out.write_str("</code></pre>\n");
        }
        let out = &mut *self.out;
        let marked = |index: usize| code.highlighted.contains(&(index + 1));
        tokens
            .unwrap_or_default()
            .for_each_line(&code.text, |piece| match piece {
                Piece::LineStart(index) if marked(index) => out.write_str("<span class=\"hll\">"),
                Piece::LineStart(_) => Ok(()),
                Piece::Run(kind, text) => match kind.css_class() {
                    Some(class) => {
                        write!(out, "<span class=\"{class}\">")?;
                        escape_text(out, text)?;
                        out.write_str("</span>")
                    }
                    None => escape_text(out, text),
                },
                Piece::LineEnd(index) if marked(index) => out.write_str("\n</span>"),
                Piece::LineEnd(_) => out.write_str("\n"),
            })?;
        self.out.write_str("</code></pre>\n")
    }

    fn table(&mut self, table: &Table) -> fmt::Result {
        self.out.write_str("<table>\n")?;
        let rtl = self.options.rtl;
        let style = |index: usize| match table.alignments.get(index) {
            Some(Align::Left) if rtl => " style=\"text-align: start\"",
            Some(Align::Right) if rtl => " style=\"text-align: end\"",
            Some(Align::Left) => " style=\"text-align: left\"",
            Some(Align::Center) => " style=\"text-align: center\"",
            Some(Align::Right) => " style=\"text-align: right\"",
            _ => "",
        };
        if !table.header.cells.is_empty() {
            self.out.write_str("<thead>\n<tr>\n")?;
            for (index, cell) in table.header.cells.iter().enumerate() {
                write!(self.out, "<th{}>", style(index))?;
                self.inlines(&cell.content)?;
                self.out.write_str("</th>\n")?;
            }
            self.out.write_str("</tr>\n</thead>\n")?;
        }
        if !table.rows.is_empty() {
            self.out.write_str("<tbody>\n")?;
            for row in &table.rows {
                self.out.write_str("<tr>\n")?;
                for (index, cell) in row.cells.iter().enumerate() {
                    write!(self.out, "<td{}>", style(index))?;
                    self.inlines(&cell.content)?;
                    self.out.write_str("</td>\n")?;
                }
                self.out.write_str("</tr>\n")?;
            }
            self.out.write_str("</tbody>\n")?;
        }
        self.out.write_str("</table>\n")
    }

    fn figure(&mut self, figure: &Figure) -> fmt::Result {
        self.out.write_str("<figure>\n")?;
        self.image(&figure.image)?;
        self.out.write_str("\n")?;
        if !figure.caption.is_empty() {
            self.out.write_str("<figcaption>")?;
            self.inlines(&figure.caption)?;
            self.out.write_str("</figcaption>\n")?;
        }
        self.out.write_str("</figure>\n")
    }

    /// mdbook-trpl's markup: the file name above the code, the caption as the figure's caption.
    fn listing(&mut self, listing: &Listing) -> fmt::Result {
        self.out.write_str("<figure class=\"listing\"")?;
        if let Some(id) = &listing.id {
            self.out.write_str(" id=\"")?;
            escape_attr(self.out, id)?;
            self.out.write_str("\"")?;
        }
        self.out.write_str(">\n")?;
        if !listing.file_name.is_empty() {
            self.out.write_str("<p class=\"file-name\">")?;
            self.inlines(&listing.file_name)?;
            self.out.write_str("</p>\n")?;
        }
        self.blocks(&listing.blocks, false)?;
        if !listing.caption.is_empty() {
            self.out.write_str("<figcaption>")?;
            self.inlines(&listing.caption)?;
            self.out.write_str("</figcaption>\n")?;
        }
        self.out.write_str("</figure>\n")
    }

    fn image(&mut self, image: &Image) -> fmt::Result {
        let src = match self.options.image_src {
            Some(map) => map(&image.src),
            None => image.src.clone(),
        };
        self.out.write_str("<img src=\"")?;
        escape_url(self.out, &src)?;
        self.out.write_str("\" alt=\"")?;
        escape_attr(self.out, &image.alt)?;
        self.out.write_str("\"")?;
        if let Some(title) = &image.title {
            self.out.write_str(" title=\"")?;
            escape_attr(self.out, title)?;
            self.out.write_str("\"")?;
        }
        // HTML allows only integer pixel sizes in attributes; anything else becomes CSS.
        let mut style = String::new();
        for (name, length) in [("width", &image.width), ("height", &image.height)] {
            let Some(length) = length else { continue };
            let value = length.as_written();
            if length.is_attribute_pixels() {
                write!(self.out, " {name}=\"{value}\"")?;
            } else {
                let _ = write!(style, "{name}: {value};");
            }
        }
        if !style.is_empty() {
            write!(self.out, " style=\"{style}\"")?;
        }
        self.out.write_str(self.void())
    }

    fn inlines(&mut self, inlines: &[Inline]) -> fmt::Result {
        for inline in inlines {
            self.inline(inline)?;
        }
        Ok(())
    }

    fn wrapped(&mut self, tag: &str, children: &[Inline]) -> fmt::Result {
        write!(self.out, "<{tag}>")?;
        self.inlines(children)?;
        write!(self.out, "</{tag}>")
    }

    fn inline(&mut self, inline: &Inline) -> fmt::Result {
        match inline {
            Inline::Text(text) => escape_text(self.out, text),
            Inline::Emphasis(c) => self.wrapped("em", c),
            Inline::Strong(c) => self.wrapped("strong", c),
            Inline::Strikethrough(c) => self.wrapped("del", c),
            Inline::Superscript(c) => self.wrapped("sup", c),
            Inline::Subscript(c) => self.wrapped("sub", c),
            Inline::Anchor(id) => {
                self.out.write_str("<a id=\"")?;
                escape_attr(self.out, id)?;
                self.out.write_str("\"></a>")
            }
            Inline::Code(code) => {
                self.out.write_str("<code>")?;
                escape_text(self.out, code)?;
                self.out.write_str("</code>")
            }
            Inline::Link(link) => {
                let url = match self.options.link_url {
                    Some(map) => map(&link.url),
                    None => link.url.clone(),
                };
                self.out.write_str("<a href=\"")?;
                escape_url(self.out, &url)?;
                self.out.write_str("\"")?;
                if let Some(title) = &link.title {
                    self.out.write_str(" title=\"")?;
                    escape_attr(self.out, title)?;
                    self.out.write_str("\"")?;
                }
                self.out.write_str(">")?;
                self.inlines(&link.content)?;
                self.out.write_str("</a>")
            }
            Inline::Image(image) => self.image(image),
            Inline::LineBreak => writeln!(self.out, "<br{}", self.void()),
            Inline::SoftBreak => self.out.write_str("\n"),
            Inline::FootnoteRef(label) => {
                let next = self.footnote_numbers.len() + 1;
                let number = *self.footnote_numbers.entry(label.clone()).or_insert(next);
                let id = footnote_id(label);
                // Only the first reference gets the back-link target id (ids must be unique).
                let ref_id = if number == next {
                    format!(" id=\"fnref-{id}\"")
                } else {
                    String::new()
                };
                write!(
                    self.out,
                    "<sup class=\"footnote-ref\"><a href=\"#fn-{id}\"{ref_id}>{number}</a></sup>"
                )
            }
            Inline::RawHtml(html) if self.options.raw_html => self.out.write_str(html),
            Inline::RawHtml(_) => Ok(()),
        }
    }

    fn footnotes(&mut self) -> fmt::Result {
        if self.definitions.is_empty() {
            return Ok(());
        }
        // Referenced notes in reference order, then unreferenced ones in source order.
        let mut notes: Vec<(usize, &str, &[Block])> = self
            .definitions
            .iter()
            .map(|(label, blocks)| {
                let number = self
                    .footnote_numbers
                    .get(*label)
                    .copied()
                    .unwrap_or(usize::MAX);
                (number, *label, *blocks)
            })
            .collect();
        notes.sort_by_key(|(number, _, _)| *number);
        let mut seen = std::collections::HashSet::new();
        self.out.write_str("<section class=\"footnotes\">\n<hr")?;
        self.out.write_str(self.void())?;
        self.out.write_str("\n<ol>\n")?;
        for (number, label, blocks) in notes {
            if !seen.insert(label) {
                continue;
            }
            let id = footnote_id(label);
            writeln!(self.out, "<li id=\"fn-{id}\">")?;
            let back = format!(
                "<a href=\"#fnref-{id}\" class=\"footnote-back\" aria-label=\"Back to text\">↩</a>"
            );
            // The back-link goes at the end of the note's last paragraph, as readers expect.
            match blocks.split_last() {
                Some((Block::Paragraph(content), rest)) if number != usize::MAX => {
                    self.blocks(rest, false)?;
                    self.out.write_str("<p>")?;
                    self.inlines(content)?;
                    writeln!(self.out, " {back}</p>")?;
                }
                _ => {
                    self.blocks(blocks, false)?;
                    if number != usize::MAX {
                        writeln!(self.out, "{back}")?;
                    }
                }
            }
            self.out.write_str("</li>\n")?;
        }
        self.out.write_str("</ol>\n</section>\n")
    }
}

/// One entry of a table of contents.
#[derive(Debug, Clone, serde::Serialize)]
pub struct TocEntry {
    /// Heading level (2 for sections).
    pub level: u8,
    /// Anchor id.
    pub id: String,
    /// Plain text of the heading.
    pub text: String,
}

/// The headings of a document down to `max_level`, in order (level 1 headings included).
pub fn toc_entries(blocks: &[Block], max_level: u8) -> Vec<TocEntry> {
    let mut entries = Vec::new();
    collect_toc(blocks, max_level, &mut entries);
    entries
}

fn collect_toc(blocks: &[Block], max_level: u8, out: &mut Vec<TocEntry>) {
    for block in blocks {
        match block {
            Block::Heading {
                level, id, content, ..
            } if *level <= max_level => out.push(TocEntry {
                level: *level,
                id: id.clone(),
                text: plain_text(content),
            }),
            Block::Div { blocks, .. } => collect_toc(blocks, max_level, out),
            _ => {}
        }
    }
}

/// A nested `<ol>` table of contents for `entries`; `href` makes each entry's link target.
pub fn toc_html(entries: &[TocEntry], href: &dyn Fn(&TocEntry) -> String) -> String {
    let mut out = String::new();
    let Some(base) = entries.iter().map(|e| e.level).min() else {
        return out;
    };
    let mut depth = 0usize;
    for (index, entry) in entries.iter().enumerate() {
        let level = (entry.level - base) as usize + 1;
        if index > 0 && level <= depth {
            out.push_str("</li>\n");
        }
        while depth < level {
            out.push_str("<ol>\n");
            depth += 1;
            if depth < level {
                out.push_str("<li>");
            }
        }
        while depth > level {
            out.push_str("</ol>\n</li>\n");
            depth -= 1;
        }
        out.push_str("<li><a href=\"");
        let _ = escape_attr(&mut out, &href(entry));
        out.push_str("\">");
        let _ = escape_text(&mut out, &entry.text);
        out.push_str("</a>");
    }
    while depth > 0 {
        out.push_str("</li>\n</ol>\n");
        depth -= 1;
    }
    out
}

/// Rewrites a URL (a link target or an image source) for one output.
pub type UrlMap = std::sync::Arc<dyn Fn(&str) -> String + Send + Sync>;

/// Options of a standalone page.
#[derive(Clone, Default)]
pub struct PageOptions {
    /// Rewrites link targets (the site build maps `bindery:` links to `SLUG.html`).
    pub link_url: Option<UrlMap>,
    /// Rewrites image sources (the site build maps asset keys to copied files).
    pub image_src: Option<UrlMap>,
    /// More template variables (the site build adds navigation), merged over the built-in ones.
    pub extra_context: Option<Value>,
    /// Include a table of contents even if the document's `toc` is not true.
    pub toc: bool,
    /// Write the body only (no `<html>`, `<head>`).
    pub fragment: bool,
    /// A minijinja template replacing the built-in one: `(name for errors, source)`.
    pub template: Option<(String, String)>,
    /// Stylesheet to embed instead of the default.
    pub css: Option<String>,
    /// Link this stylesheet URL instead of embedding one.
    pub css_href: Option<String>,
    /// Leave raw HTML blocks and inlines out of the page (false, the default, keeps them).
    pub drop_raw_html: bool,
}

/// The built-in page template (minijinja). Its variables are documented in the README.
pub const DEFAULT_TEMPLATE: &str = include_str!("templates/page.html");

/// The built-in stylesheet: readable typography, code, tables, highlighted lines, dark mode.
pub const DEFAULT_CSS: &str = include_str!("templates/style.css");

/// Renders a complete HTML page (or just its body with `fragment`).
pub fn page(document: &Document, options: &PageOptions) -> Result<String, minijinja::Error> {
    let link_url = options
        .link_url
        .as_deref()
        .map(|f| f as &dyn Fn(&str) -> String);
    let image_src = options
        .image_src
        .as_deref()
        .map(|f| f as &dyn Fn(&str) -> String);
    let body_options = HtmlOptions {
        heading_anchors: !options.fragment,
        raw_html: !options.drop_raw_html,
        link_url,
        image_src,
        rtl: document.meta.direction() == Some(crate::meta::Direction::Rtl),
        ..HtmlOptions::default()
    };
    let body = body_to_string(&document.blocks, &body_options);
    if options.fragment {
        return Ok(body);
    }
    let show_toc = options.toc || document.meta.toc == Some(true);
    let toc = if show_toc {
        let entries = toc_entries(&document.blocks, 3);
        toc_html(&entries, &|e| format!("#{}", e.id))
    } else {
        String::new()
    };
    page_with_body(&document.meta, body, toc, options)
}

/// Fills the page template with markup made elsewhere: `body` and `toc` are HTML, trusted as
/// they are (the site's index and search pages, which list the book rather than render a
/// document). `options.fragment` does not apply: this is always a whole page.
pub fn page_with_body(
    meta: &Meta,
    body: String,
    toc: String,
    options: &PageOptions,
) -> Result<String, minijinja::Error> {
    let extra: std::collections::BTreeMap<String, String> = meta
        .extra
        .iter()
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();
    let context = minijinja::context! {
        title => meta.title.as_deref().unwrap_or(""),
        subtitle => meta.subtitle.as_deref(),
        authors => &meta.authors,
        date => meta.date.as_deref(),
        modified => meta.modified.as_deref(),
        lang => meta.lang_or_default(),
        // From `dir`, or a right-to-left `lang`: browsers take the direction from `dir` only.
        dir => (meta.direction() == Some(crate::meta::Direction::Rtl)).then_some("rtl"),
        description => meta.description.as_deref(),
        category => meta.category.as_deref(),
        tags => &meta.tags,
        slug => meta.slug.as_deref(),
        sidebar_title => meta.sidebar_title.as_deref(),
        sortorder => meta.sortorder.as_deref(),
        cover => meta.cover.as_deref(),
        header_alt => meta.header_alt.as_deref(),
        publisher => meta.publisher.as_deref(),
        rights => meta.rights.as_deref(),
        identifier => meta.identifier.as_deref(),
        // Generated markup is marked safe so templates need no `| safe` filter.
        css => if options.css_href.is_some() { None } else { Some(Value::from_safe_string(options.css.clone().unwrap_or_else(|| DEFAULT_CSS.to_string()))) },
        css_href => options.css_href.as_deref(),
        toc => Value::from_safe_string(toc),
        body => Value::from_safe_string(body),
        meta => extra,
        generator => concat!("bindery ", env!("CARGO_PKG_VERSION")),
        ..options.extra_context.clone().unwrap_or_default()
    };
    let mut env = minijinja::Environment::new();
    env.set_auto_escape_callback(|_| minijinja::AutoEscape::Html);
    let (name, source) = match &options.template {
        Some((name, source)) => (name.as_str(), source.as_str()),
        None => ("page.html", DEFAULT_TEMPLATE),
    };
    env.add_template(name, source)?;
    env.get_template(name)?.render(context)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::read::{ReadOptions, markdown::parse_body};

    fn html(markdown: &str) -> String {
        let blocks = parse_body(markdown, 1, &ReadOptions::default());
        body_to_string(&blocks, &HtmlOptions::default())
    }

    #[test]
    fn table_alignments_are_logical_in_a_right_to_left_document() {
        let blocks = parse_body(
            "| a | b | c |\n|:--|:-:|--:|\n| 1 | 2 | 3 |\n",
            1,
            &ReadOptions::default(),
        );
        let ltr = body_to_string(&blocks, &HtmlOptions::default());
        assert!(
            ltr.contains("<td style=\"text-align: left\">1</td>"),
            "{ltr}"
        );
        assert!(
            ltr.contains("<td style=\"text-align: right\">3</td>"),
            "{ltr}"
        );
        let rtl = body_to_string(
            &blocks,
            &HtmlOptions {
                rtl: true,
                ..HtmlOptions::default()
            },
        );
        // `:--` is the start side (the right under dir="rtl"), `--:` the end (the left).
        assert!(
            rtl.contains("<td style=\"text-align: start\">1</td>"),
            "{rtl}"
        );
        assert!(
            rtl.contains("<td style=\"text-align: center\">2</td>"),
            "{rtl}"
        );
        assert!(
            rtl.contains("<td style=\"text-align: end\">3</td>"),
            "{rtl}"
        );
    }

    #[test]
    fn a_right_to_left_page_says_so_on_html() {
        let page = |front: &[(&str, &str)]| {
            let mut meta = Meta::default();
            for (key, value) in front {
                meta.set(key, value).unwrap();
            }
            let html = page_with_body(&meta, String::new(), String::new(), &PageOptions::default())
                .unwrap();
            html.lines().nth(1).unwrap().to_string()
        };
        assert_eq!(page(&[]), "<html lang=\"en\">");
        assert_eq!(page(&[("lang", "ar")]), "<html lang=\"ar\" dir=\"rtl\">");
        assert_eq!(page(&[("dir", "rtl")]), "<html lang=\"en\" dir=\"rtl\">");
        assert_eq!(
            page(&[("lang", "he"), ("dir", "ltr")]),
            "<html lang=\"he\">"
        );
    }

    #[test]
    fn escapes_text_and_attributes() {
        assert_eq!(html("a < b & \"c\"\n"), "<p>a &lt; b &amp; \"c\"</p>\n");
        assert_eq!(
            html("[x](/a?b=1&c=\"2\")\n"),
            "<p><a href=\"/a?b=1&amp;c=%222%22\">x</a></p>\n"
        );
    }

    #[test]
    fn urls_are_percent_encoded_once() {
        assert_eq!(
            html("[a](</f\u{f6}\u{f6} b?x=1&y=\"2\"#z>)\n"),
            "<p><a href=\"/f%C3%B6%C3%B6%20b?x=1&amp;y=%222%22#z\">a</a></p>\n"
        );
        // Already encoded: left alone.
        assert_eq!(
            html("![i](a%20b.png)\n"),
            "<p><img src=\"a%20b.png\" alt=\"i\"></p>\n"
        );
    }

    #[test]
    fn percentage_width_becomes_css_and_xhtml_closes_void_elements() {
        let blocks = parse_body(
            "<img src=\"a.png\" width=\"100%\" alt=\"A\">\n",
            1,
            &ReadOptions::default(),
        );
        let out = body_to_string(
            &blocks,
            &HtmlOptions {
                xhtml: true,
                ..HtmlOptions::default()
            },
        );
        assert!(
            out.contains("<img src=\"a.png\" alt=\"A\" style=\"width: 100%;\" />"),
            "{out}"
        );
    }

    #[test]
    fn image_sizes_are_written_back_as_given() {
        // Digits stay attributes, other lengths become CSS as written (no reformatting), and
        // what is not a length is left out.
        let out = html(
            "<img src=\"a.png\" alt=\"A\" width=\" 020 \" height=\"1.50em\">\n\n\
             <img src=\"b.png\" alt=\"B\" width=\"auto\" height=\"2.5\">\n",
        );
        assert!(
            out.contains("<img src=\"a.png\" alt=\"A\" width=\"020\" style=\"height: 1.50em;\">"),
            "{out}"
        );
        assert!(
            out.contains("<img src=\"b.png\" alt=\"B\" style=\"height: 2.5;\">"),
            "{out}"
        );
    }

    #[test]
    fn highlighted_lines_are_wrapped() {
        let out = html("```python\nx = 1\n~~y = 2\n```\n");
        assert!(out.contains("<span class=\"hll\">y <span class=\"hl-o\">=</span> <span class=\"hl-n\">2</span>\n</span>"), "{out}");
    }

    #[test]
    fn footnotes_are_numbered_by_first_reference() {
        let out = html("a[^b] c[^a] d[^b]\n\n[^a]: A.\n[^b]: B.\n");
        assert!(
            out.contains("<a href=\"#fn-b\" id=\"fnref-b\">1</a>"),
            "{out}"
        );
        assert!(
            out.contains("<a href=\"#fn-a\" id=\"fnref-a\">2</a>"),
            "{out}"
        );
        assert!(out.contains("<a href=\"#fn-b\">1</a>"), "{out}");
        let b = out.find("<li id=\"fn-b\">").unwrap();
        let a = out.find("<li id=\"fn-a\">").unwrap();
        assert!(b < a);
    }

    #[test]
    fn toc_nests_by_level() {
        let blocks = parse_body("## A\n### A1\n## B\n", 1, &ReadOptions::default());
        let mut blocks = blocks;
        crate::read::assign_heading_ids(&mut blocks, &mut crate::slug::IdGenerator::new());
        let toc = toc_html(&toc_entries(&blocks, 3), &|e| format!("#{}", e.id));
        assert_eq!(
            toc,
            "<ol>\n<li><a href=\"#a\">A</a><ol>\n<li><a href=\"#a1\">A1</a></li>\n</ol>\n</li>\n<li><a href=\"#b\">B</a></li>\n</ol>\n"
        );
    }
}
