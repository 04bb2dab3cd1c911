//! Block layout: turns the model's blocks into the vertical list of elements (lines, images,
//! rules), with spacing, indents, keep-together rules and anchors. Code blocks and tables
//! live in their own files.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::rc::Rc;

use super::boxes::{Anchor, Band, Draw, Element, Style, derive};
use super::fonts::{FaceKey, Family, FontSet, Glyphs};
use super::linebreak::{self, Align};
use super::measure::{self, Atom, Item, Missing};
use super::stores::{ImageStore, NoteStore};
use super::structure::{NodeId, Role, StructTree};
use super::theme::Theme;
use crate::book::Asset;
use crate::diag::{Diagnostic, Warnings};
use crate::model::{Block, Inline, List, Pos};

/// Where blocks are set: left edge, width, base size, and decorations of enclosing blocks.
#[derive(Clone)]
pub struct Ctx {
    /// Left edge relative to the text block.
    pub x: f32,
    /// Available width.
    pub width: f32,
    /// Base text size.
    pub size: f32,
    /// Bars of enclosing block quotes.
    pub bands: Vec<Band>,
    /// Inside a tight list item: no space between paragraphs.
    pub tight: bool,
    /// List nesting depth (for bullet shapes).
    pub depth: usize,
    /// Right to left: lists and block quotes hang from the right edge, and text without a
    /// strong character is right to left.
    pub rtl: bool,
}

/// State of the layout of one book: fonts, images, footnotes of the current chapter.
pub struct Layouter<'a> {
    /// Fonts.
    pub fonts: &'a mut FontSet,
    /// Every size, gap and colour.
    pub theme: &'a Theme,
    /// Hyphenation patterns for the book's language, if any.
    pub hyphenator: Option<super::hyphen::Hyphenator>,
    /// Text without a strong character is right to left: the direction of the block being
    /// laid out ([`Ctx::rtl`]), else of the chapter.
    pub rtl: bool,
    /// Warnings sink.
    pub warnings: &'a mut Warnings,
    /// The current chapter's source file.
    pub source: PathBuf,
    /// The current chapter's slug.
    pub slug: String,
    /// Text block width.
    pub width: f32,
    /// Tallest an image may be.
    pub max_image_height: f32,
    /// The book's images.
    pub assets: &'a BTreeMap<String, Asset>,
    /// Images placed so far.
    pub images: ImageStore,
    /// The current chapter's footnotes.
    pub notes: NoteStore,
    /// Number headings (`1.2 Title`).
    pub number_headings: bool,
    /// Chapter number (1-based) and section counters.
    pub counters: [usize; 6],
    /// Section numbers start with the chapter number (books only: `2.1`, not `1.1`).
    pub chapter_numbers: bool,
    /// The logical structure, for tagged PDF.
    pub structure: StructTree,
    /// The structure node of the current chapter (footnotes hang from it).
    pub chapter_node: Option<NodeId>,
    /// Figures without alt text (source file and place), an error under PDF/UA.
    pub missing_alt: Vec<(PathBuf, Pos)>,
    /// Level of the last heading in the structure (1 after a chapter title).
    pub last_heading_level: u8,
    /// Ids of raw `<a id>` / `<span id>` anchors met in text and not placed yet: they become
    /// destinations at the start of the block they are in.
    pub text_anchors: Vec<String>,
}

impl<'a> Layouter<'a> {
    /// A layouter for a text block `width` wide.
    pub fn new(
        fonts: &'a mut FontSet,
        warnings: &'a mut Warnings,
        assets: &'a BTreeMap<String, Asset>,
        theme: &'a Theme,
        width: f32,
        max_image_height: f32,
    ) -> Self {
        Layouter {
            fonts,
            theme,
            hyphenator: None,
            rtl: false,
            warnings,
            source: PathBuf::new(),
            slug: String::new(),
            width,
            max_image_height,
            assets,
            images: ImageStore::default(),
            notes: NoteStore::default(),
            number_headings: false,
            counters: [0; 6],
            chapter_numbers: false,
            structure: StructTree::default(),
            chapter_node: None,
            missing_alt: Vec::new(),
            last_heading_level: 1,
            text_anchors: Vec::new(),
        }
    }

    /// Starts a chapter: resets footnotes and collects its definitions.
    pub fn start_chapter(&mut self, slug: &str, source: PathBuf, blocks: &[Block]) {
        self.slug = slug.to_string();
        self.source = source;
        self.notes.start_chapter(blocks);
        self.text_anchors.clear();
        self.counters[0] += 1;
        self.last_heading_level = 1;
        for c in &mut self.counters[1..] {
            *c = 0;
        }
    }

    /// Reports a warning about the current chapter.
    pub fn warn(&mut self, pos: Option<Pos>, message: String) {
        let d = Diagnostic::warning(Some(&self.source), message);
        self.warnings.push(match pos {
            Some(p) => d.at(p, None),
            None => d,
        });
    }

    /// The base style of body text at `size`.
    pub fn body_style(&self, size: f32) -> Rc<Style> {
        Rc::new(Style {
            face: FaceKey::regular(Family::Serif),
            size,
            color: self.theme.colors.text,
            rise: 0.0,
            strike: false,
            link: None,
            node: self.structure.current(),
        })
    }

    /// `style` with its text in the current structure node.
    pub fn in_current_node(&self, style: &Rc<Style>) -> Rc<Style> {
        let node = self.structure.current();
        if style.node == node {
            style.clone()
        } else {
            derive(style, |s| s.node = node)
        }
    }

    /// Lays out `blocks` into `out`.
    pub fn blocks(&mut self, blocks: &[Block], ctx: &Ctx, out: &mut Vec<Element>) {
        let t = self.theme;
        let mut keep_next = false;
        let outer_rtl = self.rtl;
        for block in blocks {
            self.rtl = ctx.rtl;
            let start = out.len();
            let mut gap = if ctx.tight {
                t.tight_parskip
            } else {
                t.parskip
            };
            let mut is_heading = false;
            match block {
                Block::Heading {
                    level, id, content, ..
                } => {
                    gap = t.heading_space(*level);
                    let anchor = Some(format!("{}#{id}", self.slug));
                    let level = (*level).max(2);
                    // Tagged one level below the previous heading at most: a source that
                    // skips from H1 to H3 reads as a gap to assistive technology.
                    let tag_level = level.min(self.last_heading_level + 1);
                    self.last_heading_level = tag_level;
                    self.structure.open(Role::Heading(tag_level, String::new()));
                    self.heading(level, content, anchor, ctx, out);
                    self.structure.close();
                    is_heading = true;
                }
                Block::Paragraph(inlines) | Block::Plain(inlines) => {
                    self.body_paragraph(inlines, ctx, out);
                }
                Block::List(list) => {
                    self.structure.open(Role::List {
                        ordered: list.start.is_some(),
                    });
                    self.list(list, ctx, out);
                    self.structure.close();
                }
                Block::BlockQuote(inner) => self.block_quote(inner, ctx, out),
                Block::CodeBlock(code) => {
                    gap = gap.max(t.parskip);
                    self.structure.open(Role::Code);
                    self.code_block(code, ctx, out);
                    self.structure.close();
                }
                Block::Table(table) => {
                    gap = gap.max(t.parskip);
                    self.structure.open(Role::Table);
                    self.table(table, ctx, out);
                    self.structure.close();
                }
                Block::ThematicBreak => out.push(self.thematic_break(ctx)),
                Block::Figure(figure) => self.figure(figure, ctx, out),
                Block::Div { blocks, .. } => self.blocks(blocks, ctx, out),
                Block::Listing(listing) => {
                    gap = gap.max(t.parskip);
                    self.listing(listing, ctx, out);
                }
                Block::FootnoteDefinition { .. } | Block::RawHtml(_) => {}
            }
            if out.len() > start {
                let first = &mut out[start];
                // A container's own id (`<div id>`, an mdBook `<Listing>`) is a place links
                // may point at, as in HTML, before the ids found in its text.
                let container_id = match block {
                    Block::Div { id, .. } | Block::Listing(crate::model::Listing { id, .. }) => {
                        id.as_deref()
                    }
                    _ => None,
                };
                for id in container_id
                    .map(str::to_string)
                    .into_iter()
                    .chain(self.text_anchors.drain(..))
                {
                    first.anchors.push(Anchor {
                        dest: Some(format!("{}#{id}", self.slug)),
                        outline: None,
                    });
                }
                if start > 0 {
                    first.space_before = first.space_before.max(gap);
                }
                if keep_next {
                    first.break_before = false;
                }
                for e in &mut out[start..] {
                    e.bands.extend(ctx.bands.iter().copied());
                }
            }
            if out.len() > start || !is_heading {
                keep_next = is_heading;
            }
        }
        self.rtl = outer_rtl;
    }

    /// A block quote: indented, with a bar on its start side (the right for right-to-left
    /// text), and tagged BlockQuote.
    fn block_quote(&mut self, inner: &[Block], ctx: &Ctx, out: &mut Vec<Element>) {
        let t = self.theme;
        let mut c = ctx.clone();
        c.rtl = super::bidi::blocks_rtl(inner).unwrap_or(ctx.rtl);
        // Deeply nested quotes stop indenting once the measure gets narrow.
        let indent = t.quotes.indent;
        if ctx.width - indent >= self.width * t.min_measure_share {
            // A right-to-left quote is mirrored: bar and indent on the right.
            c.bands.push(Band {
                x: if c.rtl {
                    ctx.x + ctx.width - t.quotes.bar_width
                } else {
                    ctx.x
                },
                w: t.quotes.bar_width,
                color: t.colors.quote_bar,
            });
            if !c.rtl {
                c.x += indent;
            }
            c.width -= indent;
        }
        c.tight = false;
        self.structure.open(Role::BlockQuote);
        self.blocks(inner, &c, out);
        self.structure.close();
    }

    /// A thematic break: a rule across the middle third, centred in the break's height.
    fn thematic_break(&self, ctx: &Ctx) -> Element {
        let t = self.theme;
        let (height, thickness) = t.thematic_break;
        let mut e = Element::new(ctx.size * height);
        e.draws.push(Draw::Rect {
            x: ctx.x + ctx.width / 3.0,
            y: ctx.size * height / 2.0,
            w: ctx.width / 3.0,
            h: thickness,
            color: t.colors.secondary,
        });
        e
    }

    /// A heading (level 1 is the chapter title). Keeps with what follows via the caller.
    pub fn heading(
        &mut self,
        level: u8,
        content: &[Inline],
        dest: Option<String>,
        ctx: &Ctx,
        out: &mut Vec<Element>,
    ) {
        let size = self.theme.heading_size(level);
        let style = Rc::new(Style {
            face: FaceKey {
                family: Family::Sans,
                bold: true,
                italic: level >= 5,
            },
            size,
            color: self.theme.colors.heading,
            rise: 0.0,
            strike: false,
            link: None,
            node: None,
        });
        let mut inlines = content.to_vec();
        let level_i = usize::from(level.clamp(1, 6)) - 1;
        if level >= 2 {
            self.counters[level_i] += 1;
            for c in &mut self.counters[level_i + 1..] {
                *c = 0;
            }
        }
        if self.number_headings && (2..=4).contains(&level) {
            let first = usize::from(!self.chapter_numbers);
            let number: Vec<String> = self.counters[first..=level_i]
                .iter()
                .map(|n| n.to_string())
                .collect();
            inlines.insert(0, Inline::Text(format!("{}\u{2002}", number.join("."))));
        }
        let start = out.len();
        self.paragraph(&inlines, &style, ctx, Align::Left, out);
        if out.len() == start {
            return;
        }
        for e in &mut out[start + 1..] {
            e.break_before = false;
        }
        let title = crate::model::plain_text(&inlines);
        if let Some(node) = self.structure.current()
            && let Role::Heading(level, _) = self.structure.nodes[node].role
        {
            let text = title.trim().to_string();
            self.structure.set_role(node, Role::Heading(level, text));
        }
        out[start].anchors.push(Anchor {
            dest,
            outline: (level <= 3).then(|| (level, title.trim().to_string())),
        });
        // Room below the heading, carried as the space above the next element.
        out[start..].last_mut().expect("non-empty").height +=
            size * self.theme.headings.space_after_factor;
    }

    /// A paragraph of inlines in `style`, broken into lines and appended to `out`, with widow
    /// and orphan control.
    pub fn paragraph(
        &mut self,
        inlines: &[Inline],
        style: &Rc<Style>,
        ctx: &Ctx,
        align: Align,
        out: &mut Vec<Element>,
    ) {
        let style = self.in_current_node(style);
        let mut atoms = Vec::new();
        self.atoms(inlines, &style, &mut atoms);
        self.set_atoms(&atoms, &style, ctx.x, ctx.width, align, true, out);
    }

    /// Sets prepared atoms as lines.
    #[allow(clippy::too_many_arguments)]
    pub fn set_atoms(
        &mut self,
        atoms: &[Atom],
        style: &Rc<Style>,
        x: f32,
        width: f32,
        align: Align,
        hyphenate: bool,
        out: &mut Vec<Element>,
    ) -> usize {
        let mut missing: Vec<Missing> = Vec::new();
        let hyph = if hyphenate && align == Align::Justify {
            self.hyphenator.as_ref()
        } else {
            None
        };
        let mut items: Vec<Item> =
            measure::items(atoms, self.fonts, hyph, width, &mut missing, self.rtl);
        for m in missing {
            self.fonts
                .missing
                .record(m.c, m.count, Some(&self.source), &m.context);
        }
        if items.is_empty() {
            return 0;
        }
        measure::finish(&mut items, style);
        let breaks = linebreak::break_paragraph(&items, width, align == Align::Justify);
        let mut lines = linebreak::set_lines(&items, &breaks, width, x, align);
        let n = lines.len();
        for (i, line) in lines.iter_mut().enumerate() {
            // No orphans or widows: a page may break only with two lines on each side.
            line.break_before = i == 0 || (i >= 2 && i + 2 <= n);
            super::place::join_words(&mut line.draws, self.fonts);
        }
        out.extend(lines);
        n
    }

    /// The glyphs of a number marker (`12.`) in right-to-left text: it reads `.12` on the
    /// page, its period on the left, where the reader ends it. The glyphs show the marker's
    /// text as one (cluster 0), so that it is extracted as `12.`.
    pub fn rtl_number_glyphs(&mut self, face: FaceKey, marker: &str) -> Glyphs {
        let mut glyphs = self.fonts.shape(face, marker).glyphs.to_vec();
        glyphs.rotate_right(1);
        for g in &mut glyphs {
            g.cluster = 0;
        }
        glyphs.into()
    }

    fn list(&mut self, list: &List, ctx: &Ctx, out: &mut Vec<Element>) {
        let t = self.theme;
        let face = FaceKey::regular(Family::Serif);
        let last_number = list
            .start
            .unwrap_or(1)
            .saturating_add(list.items.len() as u64);
        let indent = match list.start {
            Some(_) => (self.fonts.width(face, &format!("{last_number}.")) * ctx.size
                + t.lists.number_gap)
                .max(t.lists.number_indent_min),
            None => t.lists.bullet_indent,
        };
        // Deeply nested lists stop indenting once the measure gets narrow; markers then
        // hang from the same edge.
        let indent = if ctx.width - indent >= self.width * t.min_measure_share {
            indent
        } else {
            0.0
        };
        // A right-to-left list is mirrored: markers and indent on the right. One direction
        // for the whole list, so that its markers line up.
        let rtl = list
            .items
            .iter()
            .find_map(|item| super::bidi::blocks_rtl(&item.blocks))
            .unwrap_or(ctx.rtl);
        for (i, item) in list.items.iter().enumerate() {
            let mut c = ctx.clone();
            if !rtl {
                c.x += indent;
            }
            c.width -= indent;
            c.rtl = rtl;
            c.tight = list.tight;
            c.depth += 1;
            let start = out.len();
            self.structure.open(Role::ListItem);
            let label = self.structure.leaf(Role::Label);
            self.structure.open(Role::ListBody);
            self.blocks(&item.blocks, &c, out);
            self.structure.close();
            self.structure.close();
            if out.len() == start {
                out.push(Element::new(ctx.size * t.empty_line_factor));
            }
            let (marker, mface) = match (item.task, list.start) {
                (Some(true), _) => ("\u{2611}".to_string(), FaceKey::regular(Family::Sans)),
                (Some(false), _) => ("\u{2610}".to_string(), FaceKey::regular(Family::Sans)),
                (None, Some(n)) => (format!("{}.", n.saturating_add(i as u64)), face),
                (None, None) => (
                    ["\u{2022}", "\u{2013}", "\u{2022}"][ctx.depth % 3].to_string(),
                    face,
                ),
            };
            let w = self.fonts.width(mface, &marker) * ctx.size;
            let glyphs = (rtl && list.start.is_some() && item.task.is_none())
                .then(|| self.rtl_number_glyphs(mface, &marker));
            let first = &mut out[start];
            let baseline = first
                .draws
                .iter()
                .find_map(|d| match d {
                    Draw::Text { y, .. } => Some(*y),
                    _ => None,
                })
                .unwrap_or(ctx.size * t.baseline_factor);
            let x = if rtl {
                (ctx.x + ctx.width - indent + t.lists.marker_gap).min(self.width - w)
            } else {
                (ctx.x + indent - w - t.lists.marker_gap).max(0.0)
            };
            // First in the drawing order, so that the label comes before the body.
            first.draws.insert(
                0,
                Draw::Text {
                    x,
                    y: baseline,
                    face: mface,
                    size: ctx.size,
                    color: t.colors.text,
                    glyphs,
                    text: marker,
                    width: w,
                    node: Some(label),
                },
            );
            if i > 0 {
                first.space_before = first.space_before.max(if list.tight {
                    t.lists.tight_item_gap
                } else {
                    t.parskip
                });
            } else {
                first.space_before = 0.0;
            }
        }
    }
}
