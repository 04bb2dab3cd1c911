//! Place: pages of elements become frames (glyph runs, rules, images, link areas), with page
//! furniture, and the record of placed boxes that tests check.

use std::collections::HashMap;
use std::path::PathBuf;

use super::boxes::{Draw, Element, Rgb, Target};
use super::fonts::{FaceKey, Family, FontSet, Glyphs, ShapedGlyph};
use super::frame::{ArtifactKind, Frame, FrameGlyph, FrameItem, GlyphRun, LinkTarget, Tag};
use super::images::PdfImage;
use super::paginate::Page;
use super::structure::{NodeId, StructTree};
use super::theme::Theme;
use crate::model::Pos;

/// Page size and text block, in pt.
#[derive(Debug, Clone, Copy)]
pub struct Geometry {
    /// Page width.
    pub page_w: f32,
    /// Page height.
    pub page_h: f32,
    /// Left margin.
    pub left: f32,
    /// Top margin.
    pub top: f32,
    /// Text block width.
    pub text_w: f32,
    /// Text block height.
    pub text_h: f32,
}

/// What a placed box is, for the layout checks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum BoxKind {
    /// Body text or content inside the text block.
    Body,
    /// Header, footer, page number.
    Furniture,
}

/// A rectangle drawn on a page, in PDF coordinates (origin bottom left).
#[derive(Debug, Clone)]
pub struct PlacedBox {
    /// Left.
    pub x: f32,
    /// Bottom.
    pub y: f32,
    /// Width.
    pub w: f32,
    /// Height.
    pub h: f32,
    /// Body or furniture.
    pub kind: BoxKind,
    /// The text, for glyph runs.
    pub text: Option<String>,
}

/// Running header and footer of one page.
#[derive(Debug, Clone, Default)]
pub struct Furniture {
    /// Header text left (book title) and right (chapter title); empty for none.
    pub header: Option<(String, String)>,
    /// Page number shown in the footer.
    pub number: Option<usize>,
}

/// Positions of destinations: name -> (1-based page, y from page bottom).
pub type Dests = HashMap<String, (usize, f32)>;

/// An outline entry: level, title, page (1-based), y.
pub type OutlineEntry = (u8, String, usize, f32);

/// The book broken into pages, not drawn yet: what writing the file needs. Each page is
/// drawn ([`Typeset::draw`]) when it is written and its elements dropped then, so that a book
/// is never held whole both as elements and as frames.
pub struct Typeset {
    /// Page geometry.
    pub geometry: Geometry,
    /// The look.
    pub theme: Theme,
    /// The pages with their furniture; a drawn page is left empty.
    pub pages: Vec<(Page, Furniture)>,
    /// Where every destination is.
    pub dests: Dests,
    /// Outline entries.
    pub outline: Vec<OutlineEntry>,
    /// Images, indexed as in the frames.
    pub images: Vec<PdfImage>,
    /// The fonts.
    pub fonts: FontSet,
    /// The logical structure the frames' pieces refer to.
    pub structure: StructTree,
    /// Figures without alt text: source file and place.
    pub missing_alt: Vec<(PathBuf, Pos)>,
}

impl Typeset {
    /// Draws page `index` (0-based) and drops its elements: it can be drawn once.
    pub fn draw(&mut self, index: usize) -> (Frame, Vec<PlacedBox>) {
        let (page, furniture) = std::mem::take(&mut self.pages[index]);
        page_frame(
            &page,
            &furniture,
            &self.geometry,
            &self.theme,
            &mut self.fonts,
            &self.dests,
        )
    }
}

/// Finds destinations and outline entries on laid-out pages.
pub fn collect_anchors(
    pages: &[Page],
    geo: &Geometry,
    theme: &Theme,
    first_page: usize,
) -> (Dests, Vec<OutlineEntry>) {
    let mut dests = Dests::new();
    let mut outline = Vec::new();
    for (pi, page) in pages.iter().enumerate() {
        let number = first_page + pi;
        let mut visit = |top: f32, e: &Element| {
            // A little above the element, so that a viewer shows its first line whole.
            let y = geo.page_h - geo.top - top + theme.dest_above;
            for a in &e.anchors {
                if let Some(d) = &a.dest {
                    dests.entry(d.clone()).or_insert((number, y));
                }
                if let Some((level, title)) = &a.outline {
                    outline.push((*level, title.clone(), number, y));
                }
            }
        };
        for (top, e) in &page.elements {
            visit(*top, e);
        }
        let mut y = notes_top(page, geo, theme);
        for n in &page.notes {
            for e in &n.elements {
                visit(y + e.space_before, e);
                y += e.space_before + e.height;
            }
        }
    }
    (dests, outline)
}

/// Where a link leads in the PDF; `None` for a place that is not in it.
fn link_target(target: &Target, dests: &Dests, page_h: f32) -> Option<LinkTarget> {
    Some(match target {
        Target::Uri(u) => LinkTarget::Uri(u.clone()),
        Target::Dest(name) => {
            let &(page, y) = dests.get(name)?;
            LinkTarget::Place {
                page: page - 1,
                y: page_h - y,
            }
        }
    })
}

fn notes_top(page: &Page, geo: &Geometry, theme: &Theme) -> f32 {
    let h: f32 = page
        .notes
        .iter()
        .map(|n| n.height() + theme.notes.gap)
        .sum();
    geo.text_h - h
}

/// A word being joined with the words after it on its line (see [`join_words`]).
struct Joined {
    x: f32,
    y: f32,
    face: FaceKey,
    size: f32,
    color: Rgb,
    node: Option<NodeId>,
    text: String,
    glyphs: Vec<ShapedGlyph>,
    end: f32,
}

impl Joined {
    fn into_draw(self) -> Draw {
        Draw::Text {
            x: self.x,
            y: self.y,
            face: self.face,
            size: self.size,
            color: self.color,
            width: self.end - self.x,
            text: self.text,
            glyphs: Some(self.glyphs.into()),
            node: self.node,
        }
    }
}

/// Joins the shaped words of a line that the painter would draw as one run (same baseline,
/// face, size, colour and structure node, left to right) into one text draw, with a space
/// glyph between words as the painter puts it. A book's lines are held until the whole book
/// is laid out: one draw, one string and one glyph list a run instead of one each a word is
/// most of the memory a long book takes.
pub fn join_words(draws: &mut Vec<Draw>, fonts: &mut FontSet) {
    if draws.len() < 2 {
        return;
    }
    let mut out: Vec<Draw> = Vec::with_capacity(draws.len());
    let mut run: Option<Joined> = None;
    for d in draws.drain(..) {
        // Right-to-left words (clusters descending) are left as they are: the painter gives
        // them their own extraction order.
        let ascending = |g: &Glyphs| g.windows(2).all(|w| w[0].cluster <= w[1].cluster);
        let Draw::Text {
            x,
            y,
            face,
            size,
            color,
            text,
            glyphs: Some(glyphs),
            width,
            node,
        } = d
        else {
            // A link area does not end a run in the painter either; anything else does.
            if !matches!(d, Draw::Link { .. })
                && let Some(r) = run.take()
            {
                out.push(r.into_draw());
            }
            out.push(d);
            continue;
        };
        if !ascending(&glyphs) {
            if let Some(r) = run.take() {
                out.push(r.into_draw());
            }
            out.push(Draw::Text {
                x,
                y,
                face,
                size,
                color,
                text,
                glyphs: Some(glyphs),
                width,
                node,
            });
            continue;
        }
        let continues = run.as_ref().is_some_and(|r| {
            r.face == face
                && r.size == size
                && r.color == color
                && r.node == node
                && (r.y - y).abs() < 0.01
                && x >= r.end - 0.01
        });
        if !continues {
            if let Some(r) = run.take() {
                out.push(r.into_draw());
            }
            run = Some(Joined {
                x,
                y,
                face,
                size,
                color,
                node,
                text: String::new(),
                glyphs: Vec::new(),
                end: x,
            });
        }
        let r = run.as_mut().expect("set above");
        let gap = (x - r.end) / size;
        if gap > WORD_GAP_EM {
            let space = fonts.face(face).glyph(' ').unwrap_or(0);
            r.glyphs.push(ShapedGlyph {
                id: space,
                advance: gap,
                x_offset: 0.0,
                y_offset: 0.0,
                cluster: r.text.len() as u32,
            });
            r.text.push(' ');
        } else if gap > 0.0001
            && let Some(last) = r.glyphs.last_mut()
        {
            last.advance += gap;
        }
        let base = r.text.len() as u32;
        r.text.push_str(&text);
        r.glyphs.extend(glyphs.iter().map(|g| ShapedGlyph {
            cluster: g.cluster + base,
            ..*g
        }));
        r.end = x + width;
    }
    if let Some(r) = run {
        out.push(r.into_draw());
    }
    *draws = out;
}

/// A glyph advancing less than this (in em) is a mark placed on another glyph.
const MARK_ADVANCE_EM: f32 = 1e-4;

/// Draws each mark of a right-to-left word after the glyph it sits on rather than before it,
/// where the shaper puts it (a cluster's glyphs, reversed). The word's glyphs share one text
/// (an ActualText span), and text extraction (pdftotext) places that text at the span's first
/// glyph: a vowel mark below the baseline put the word's start on a line of its own, and
/// `بِسْمِ` came back as `بِسْ مِ`. The pen does not move for a mark, so the mark keeps its
/// place with the base's advance taken off its offset. The marks of the last base stay
/// before it (when other glyphs come first), so that the span still ends where its last
/// glyph's advance does: the word's box reaches the pen.
fn marks_after_bases(glyphs: &mut [FrameGlyph]) {
    let is_mark = |g: &FrameGlyph| g.advance.abs() < MARK_ADVANCE_EM;
    let last_base = glyphs.iter().rposition(|g| !is_mark(g));
    let mut ordered = Vec::with_capacity(glyphs.len());
    let mut marks = Vec::new();
    for (i, glyph) in glyphs.iter().enumerate() {
        if is_mark(glyph) {
            marks.push(glyph.clone());
            continue;
        }
        if Some(i) == last_base && !ordered.is_empty() {
            ordered.append(&mut marks);
            ordered.push(glyph.clone());
            continue;
        }
        ordered.push(glyph.clone());
        ordered.extend(marks.drain(..).map(|mut mark| {
            mark.x_offset -= glyph.advance;
            mark
        }));
    }
    ordered.append(&mut marks);
    glyphs.clone_from_slice(&ordered);
}

/// Below this (in em), a cluster's drawn end short of its pen position is no gap.
const SHORT_CLUSTER_EM: f32 = 0.03;

/// Gives a cluster that ends short of its pen position the text of the next cluster of its
/// word too. Text extraction (pdftotext) takes the box of glyphs drawn with their own text
/// (an ActualText span) from the first glyph's origin to the last glyph's end by its width in
/// the font. When that last glyph is a mark drawn back over its base (the anusvara of कं,
/// zero-width, offset left), the box stops short of where the next glyph starts, and the
/// gap reads as a word space: कंप्यूटर came back as `कं प्यूटर`. With one text for both
/// clusters the span ends with the next cluster's last glyph, which ends at the pen.
/// `glyphs` are left to right with ascending text; `drawn_advance` is a glyph's width in the
/// font, in em.
fn join_short_clusters(glyphs: &mut [FrameGlyph], text: &str, drawn_advance: impl Fn(u16) -> f32) {
    let mut start = 0;
    let mut pen = 0.0;
    while start < glyphs.len() {
        let range = glyphs[start].text.clone();
        let end = start
            + glyphs[start..]
                .iter()
                .take_while(|g| g.text == range)
                .count();
        let cluster_pen = pen;
        let mut drawn_end = pen;
        for g in &glyphs[start..end] {
            drawn_end = pen + g.x_offset + drawn_advance(g.id);
            pen += g.advance;
        }
        let next_in_word = glyphs.get(end).is_some_and(|next| {
            next.text.start == range.end
                && text[next.text.clone()]
                    .chars()
                    .next()
                    .is_some_and(|c| !c.is_whitespace())
        });
        // Only a mark (no advance of its own) placed back over its base: a justified or
        // kerned advance is the layout's own spacing.
        let ends_with_mark = glyphs[end - 1].advance.abs() < MARK_ADVANCE_EM;
        if ends_with_mark && drawn_end < pen - SHORT_CLUSTER_EM && next_in_word {
            let next = glyphs[end].text.clone();
            let next_end = end + glyphs[end..].iter().take_while(|g| g.text == next).count();
            for g in &mut glyphs[start..next_end] {
                g.text = range.start..next.end;
            }
            // Measure the joined cluster again: its last glyph may end short too.
            pen = cluster_pen;
        } else {
            start = end;
        }
    }
}

/// Text being collected into one glyph run: consecutive words on one baseline in one face,
/// size and colour become a single run (far fewer operators than one per word), with a real
/// space glyph between words so that text extraction keeps them apart.
/// A gap wider than this (in em) between two pieces of a run is a word space.
const WORD_GAP_EM: f32 = 0.12;

struct Run {
    glyphs: GlyphRun,
    end: f32,
}

struct Painter<'a> {
    frame: Frame,
    /// What furniture drawn now is (header or page number).
    furniture: ArtifactKind,
    run: Option<Run>,
    boxes: Vec<PlacedBox>,
    geo: &'a Geometry,
    theme: &'a Theme,
    fonts: &'a mut FontSet,
}

impl Painter<'_> {
    /// Ends the current text run.
    fn flush(&mut self) {
        if let Some(run) = self.run.take() {
            self.frame.items.push(FrameItem::Glyphs(run.glyphs));
        }
    }

    /// Adds text at (x, baseline) in page coordinates (from the top), joining the current run
    /// when it continues it on the same baseline.
    #[allow(clippy::too_many_arguments)]
    fn text(
        &mut self,
        face: FaceKey,
        size: f32,
        color: Rgb,
        x: f32,
        baseline: f32,
        text: &str,
        glyphs: Option<&Glyphs>,
        width: f32,
        visible: bool,
        tag: Tag,
    ) {
        let continues = self.run.as_ref().is_some_and(|r| {
            let g = &r.glyphs;
            g.tag == tag
                && g.face == face
                && g.size == size
                && g.color == color
                && g.visible == visible
                && (g.baseline - baseline).abs() < 0.01
                && x >= r.end - 0.01
        });
        if !continues {
            self.flush();
            self.run = Some(Run {
                glyphs: GlyphRun {
                    x,
                    baseline,
                    face,
                    size,
                    color,
                    glyphs: Vec::new(),
                    text: String::new(),
                    visible,
                    tag,
                },
                end: x,
            });
        }
        let glyphs = match glyphs {
            Some(g) => g.clone(),
            None => self.shape_unshaped(face, text),
        };
        let space = self.fonts.face(face).glyph(' ').unwrap_or(0);
        let run = self.run.as_mut().expect("set above");
        let gap = (x - run.end) / size;
        let g = &mut run.glyphs;
        if gap > WORD_GAP_EM {
            // A real space keeps words apart for extraction; its advance makes up the
            // difference to the justified width.
            let start = g.text.len();
            g.text.push(' ');
            g.glyphs.push(FrameGlyph {
                id: space,
                advance: gap,
                x_offset: 0.0,
                y_offset: 0.0,
                text: start..start + 1,
            });
        } else if gap > 0.0001
            && let Some(last) = g.glyphs.last_mut()
        {
            last.advance += gap;
        }
        let base = g.text.len();
        let first_new = g.glyphs.len();
        let ascending = glyphs.windows(2).all(|w| w[0].cluster <= w[1].cluster);
        // A right-to-left word with marks (Arabic vowels, Hebrew points) is one text for
        // extraction: see [`marks_after_bases`].
        let marked = !ascending && glyphs.iter().any(|g| g.advance.abs() < MARK_ADVANCE_EM);
        if ascending {
            g.text.push_str(text);
        } else {
            let clusters = glyphs.iter().map(|g| g.cluster as usize);
            let clusters = clusters.filter(|_| !marked);
            g.text
                .push_str(&super::bidi::extraction_text(text, clusters));
        }
        for (i, glyph) in glyphs.iter().enumerate() {
            // The characters a glyph shows: from its cluster to the next cluster in the text
            // (a ligature shows several; right-to-left glyphs come with clusters descending).
            let start = if marked { 0 } else { glyph.cluster as usize };
            let later = |n: &ShapedGlyph| Some(n.cluster as usize).filter(|&c| c > start);
            let end = if marked {
                None
            } else if ascending {
                glyphs[i + 1..].iter().find_map(later)
            } else {
                glyphs.iter().filter_map(later).min()
            }
            .unwrap_or(text.len());
            g.glyphs.push(FrameGlyph {
                id: glyph.id,
                advance: glyph.advance,
                x_offset: glyph.x_offset,
                y_offset: glyph.y_offset,
                text: base + start..base + end,
            });
        }
        if ascending {
            let font = self.fonts.face(face);
            join_short_clusters(&mut g.glyphs[first_new..], &g.text, |id| font.advance(id));
        } else if marked {
            marks_after_bases(&mut g.glyphs[first_new..]);
        }
        run.end = x + width;
    }

    /// The glyphs of a text drawn without the layout's shaping (hyphens, page furniture).
    fn shape_unshaped(&mut self, face: FaceKey, text: &str) -> Glyphs {
        if text != "\u{00AD}" {
            return self.fonts.shape(face, text).glyphs;
        }
        // The soft hyphen is drawn as its own glyph: a shaper hides it, as it should in
        // running text, but here it is the hyphen a line ends with.
        let font = self.fonts.face(face);
        let id = font.glyph('\u{00AD}').unwrap_or(0);
        Glyphs::from([ShapedGlyph {
            id,
            advance: font.advance(id),
            x_offset: 0.0,
            y_offset: 0.0,
            cluster: 0,
        }])
    }

    /// Draws `d` with its element top at `top` (from the text block top).
    fn draw(&mut self, d: &Draw, top: f32, kind: BoxKind, dests: &Dests) {
        let g = self.geo;
        // Page coordinates from the top, and PDF coordinates (from the bottom) for the boxes.
        let fx = |x: f32| g.left + x;
        let fy = |y: f32| g.top + top + y;
        let py = |y: f32| g.page_h - g.top - top - y;
        let furniture = self.furniture;
        let tag = |node: Option<NodeId>| match (kind, node) {
            (BoxKind::Furniture, _) => Tag::Artifact(furniture),
            (BoxKind::Body, Some(node)) => Tag::Content(node),
            (BoxKind::Body, None) => Tag::Artifact(ArtifactKind::Layout),
        };
        match d {
            Draw::Text {
                x,
                y,
                face,
                size,
                color: c,
                text,
                glyphs,
                width,
                node,
            } => {
                let tag = tag(*node);
                self.text(
                    *face,
                    *size,
                    *c,
                    fx(*x),
                    fy(*y),
                    text,
                    glyphs.as_ref(),
                    *width,
                    true,
                    tag,
                );
                let asc = self.fonts.face(*face).ascent * size;
                let desc = self.fonts.face(*face).descent * size;
                self.boxes.push(PlacedBox {
                    x: fx(*x),
                    y: py(*y) + desc,
                    w: *width,
                    h: asc - desc,
                    kind,
                    text: Some(text.clone()),
                });
            }
            Draw::Rect {
                x,
                y,
                w,
                h,
                color: c,
            } => {
                self.flush();
                let tag = tag(None);
                self.frame.items.push(FrameItem::Fill {
                    x: fx(*x),
                    y: fy(*y),
                    w: *w,
                    h: *h,
                    color: *c,
                    tag,
                });
                self.place_area(fx(*x), py(*y + *h), *w, *h, kind);
            }
            Draw::Image {
                index,
                node,
                x,
                y,
                w,
                h,
            } => {
                self.flush();
                self.frame.items.push(FrameItem::Image {
                    index: *index,
                    node: *node,
                    x: fx(*x),
                    y: fy(*y),
                    w: *w,
                    h: *h,
                });
                self.place_area(fx(*x), py(*y + *h), *w, *h, kind);
            }
            Draw::Hidden { x, y, size, text } => self.hidden_text(fx(*x), fy(*y), *size, text),
            Draw::Link {
                x,
                y,
                w,
                h,
                target,
                node,
            } => {
                // A link to a place that is not in this PDF stays plain text.
                let Some(target) = link_target(target, dests, g.page_h) else {
                    return;
                };
                self.frame.items.push(FrameItem::Link {
                    x: fx(*x),
                    y: fy(*y),
                    w: *w,
                    h: *h,
                    target,
                    node: *node,
                });
            }
        }
    }

    /// The box of a rule or an image at page position `x` and PDF height `y` (its bottom).
    fn place_area(&mut self, x: f32, y: f32, w: f32, h: f32, kind: BoxKind) {
        self.boxes.push(PlacedBox {
            x,
            y,
            w,
            h,
            kind,
            text: None,
        });
    }

    /// Invisible text at page position (`x`, `y`) so that extraction and search find the alt
    /// text of images, as with an OCR layer.
    fn hidden_text(&mut self, x: f32, y: f32, size: f32, text: &str) {
        self.flush();
        let face = FaceKey::regular(Family::Serif);
        let text: String = text
            .chars()
            .filter(|&c| self.fonts.face(face).glyph(c).is_some())
            .collect();
        let width = self.fonts.width(face, &text) * size;
        // An artifact: the figure carries the same text as its alternative.
        let tag = Tag::Artifact(ArtifactKind::Layout);
        self.text(
            face,
            size,
            self.theme.colors.text,
            x,
            y,
            &text,
            None,
            width,
            false,
            tag,
        );
        self.flush();
    }

    fn element(&mut self, top: f32, e: &Element, keep_space: bool, dests: &Dests) {
        for band in &e.bands {
            let extra = if keep_space { e.space_before } else { 0.0 };
            let d = Draw::Rect {
                x: band.x,
                y: -extra,
                w: band.w,
                h: e.height + extra,
                color: band.color,
            };
            self.draw(&d, top, BoxKind::Body, dests);
        }
        for d in &e.draws {
            self.draw(d, top, BoxKind::Body, dests);
        }
    }

    fn furniture_text(&mut self, text: &str, x: f32, baseline: f32, align_right: bool) {
        let face = FaceKey::regular(Family::Sans);
        let size = self.theme.furniture.size;
        // Furniture strings come from metadata: keep only characters the face can show.
        let mut text: String = text
            .chars()
            .filter(|&c| self.fonts.face(face).glyph(c).is_some())
            .collect();
        // Header halves share the line: shorten with an ellipsis beyond 45% of it.
        let max = self.geo.text_w * self.theme.furniture.half_share;
        if self.fonts.width(face, &text) * size > max {
            // One pass over the characters (re-measuring the whole string per character
            // removed was quadratic: a fuzzed 10,000-character title took seconds a page).
            let room = max - self.fonts.width(face, "\u{2026}") * size;
            let mut width = 0.0;
            let mut end = 0;
            for (i, c) in text.char_indices() {
                width += self.fonts.width(face, c.encode_utf8(&mut [0; 4])) * size;
                if width > room {
                    break;
                }
                end = i + c.len_utf8();
            }
            text = format!("{}\u{2026}", text[..end].trim_end());
        }
        let shaped = self.fonts.shape(face, &text);
        let w = shaped.width * size;
        let x = if align_right { x - w } else { x };
        let d = Draw::Text {
            x: x - self.geo.left,
            y: 0.0,
            face,
            size,
            color: self.theme.colors.secondary,
            text,
            glyphs: Some(shaped.glyphs),
            width: w,
            node: None,
        };
        // `top` such that the baseline lands at `baseline` (PDF coordinates).
        let top = self.geo.page_h - self.geo.top - baseline;
        self.draw(&d, top, BoxKind::Furniture, &Dests::new());
    }
}

/// Draws one page. Returns its frame and placed boxes.
pub fn page_frame(
    page: &Page,
    furniture: &Furniture,
    geo: &Geometry,
    theme: &Theme,
    fonts: &mut FontSet,
    dests: &Dests,
) -> (Frame, Vec<PlacedBox>) {
    let mut p = Painter {
        frame: Frame::default(),
        furniture: ArtifactKind::Header,
        run: None,
        boxes: Vec::new(),
        geo,
        theme,
        fonts,
    };
    for (i, (top, e)) in page.elements.iter().enumerate() {
        p.element(*top, e, i > 0, dests);
    }
    if !page.notes.is_empty() {
        let mut y = notes_top(page, geo, theme);
        // The rule starts where the first note's lines do: on the right for right to left.
        let rule_w = geo.text_w * theme.notes.rule_share;
        p.draw(
            &Draw::Rect {
                x: if page.notes[0].rtl {
                    geo.text_w - rule_w
                } else {
                    0.0
                },
                y: y - theme.notes.separation / 2.0,
                w: rule_w,
                h: theme.notes.rule,
                color: theme.colors.secondary,
            },
            0.0,
            BoxKind::Body,
            dests,
        );
        for n in &page.notes {
            for e in &n.elements {
                y += e.space_before;
                p.element(y, e, false, dests);
                y += e.height;
            }
            y += theme.notes.gap;
        }
    }
    if let Some((left, right)) = &furniture.header {
        let f = &theme.furniture;
        let baseline = geo.page_h - geo.top + f.header_rise;
        p.furniture_text(left, geo.left, baseline, false);
        if right != left {
            p.furniture_text(right, geo.left + geo.text_w, baseline, true);
        }
        let rule = Draw::Rect {
            x: 0.0,
            y: 0.0,
            w: geo.text_w,
            h: f.rule,
            color: theme.colors.header_rule,
        };
        p.draw(&rule, -f.rule_rise, BoxKind::Furniture, dests);
    }
    if let Some(n) = furniture.number {
        p.furniture = ArtifactKind::PageNumber;
        let face = FaceKey::regular(Family::Sans);
        let w = p.fonts.width(face, &n.to_string()) * theme.furniture.size;
        let baseline = (geo.page_h - geo.top - geo.text_h) / 2.0;
        p.furniture_text(
            &n.to_string(),
            geo.left + (geo.text_w - w) / 2.0,
            baseline,
            false,
        );
    }
    p.flush();
    (p.frame, p.boxes)
}

#[cfg(test)]
mod tests {
    use std::ops::Range;

    use super::*;

    fn glyph(id: u16, advance: f32, x_offset: f32, text: Range<usize>) -> FrameGlyph {
        FrameGlyph {
            id,
            advance,
            x_offset,
            y_offset: 0.0,
            text,
        }
    }

    #[test]
    fn right_to_left_marks_follow_their_base_in_the_same_place() {
        // Visual order from the shaper: kasra (mark) then meem, sukun then seen, kasra then
        // beh.
        let mut glyphs = vec![
            glyph(1, 0.0, -0.13, 0..12),
            glyph(2, 0.6, 0.0, 0..12),
            glyph(3, 0.0, 0.07, 0..12),
            glyph(4, 0.9, 0.0, 0..12),
            glyph(1, 0.0, 0.2, 0..12),
            glyph(5, 0.5, 0.0, 0..12),
        ];
        marks_after_bases(&mut glyphs);
        let ids: Vec<u16> = glyphs.iter().map(|g| g.id).collect();
        // The first glyph is a base, and so is the last.
        assert_eq!(ids, [2, 1, 4, 3, 1, 5]);
        // Same place: the pen has moved by the base's advance when the mark is drawn.
        assert!((glyphs[1].x_offset - (-0.13 - 0.6)).abs() < 1e-6);
        assert!((glyphs[3].x_offset - (0.07 - 0.9)).abs() < 1e-6);
        assert!((glyphs[4].x_offset - 0.2).abs() < 1e-6);
        // A single base: its marks after it.
        let mut glyphs = vec![glyph(1, 0.0, -0.1, 0..4), glyph(2, 0.6, 0.0, 0..4)];
        marks_after_bases(&mut glyphs);
        assert_eq!(glyphs[0].id, 2);
        assert!((glyphs[1].x_offset - (-0.1 - 0.6)).abs() < 1e-6);
    }

    #[test]
    fn a_cluster_ending_with_a_mark_drawn_back_shares_the_next_clusters_text() {
        // "कंप" then a space and "क": the anusvara (id 2, zero-width) sits back over क.
        let text = "कंप क";
        let width = |id: u16| if id == 2 { 0.0 } else { 0.5 };
        let mut glyphs = vec![
            glyph(1, 0.5, 0.0, 0..6),
            glyph(2, 0.0, -0.2, 0..6),
            glyph(3, 0.5, 0.0, 6..9),
            glyph(4, 0.25, 0.0, 9..10),
            glyph(1, 0.5, 0.0, 10..13),
        ];
        join_short_clusters(&mut glyphs, text, width);
        let ranges: Vec<Range<usize>> = glyphs.iter().map(|g| g.text.clone()).collect();
        assert_eq!(ranges, [0..9, 0..9, 0..9, 9..10, 10..13]);

        // Before a space, or with the mark inside its base's advance, nothing changes.
        let mut glyphs = vec![
            glyph(1, 0.5, 0.0, 0..6),
            glyph(2, 0.0, -0.2, 0..6),
            glyph(4, 0.25, 0.0, 6..7),
        ];
        join_short_clusters(&mut glyphs, "कं ", width);
        assert_eq!(glyphs[2].text, 6..7);
        assert_eq!(glyphs[0].text, 0..6);
        let mut glyphs = vec![glyph(1, 0.5, 0.0, 0..3), glyph(3, 0.5, 0.0, 3..6)];
        join_short_clusters(&mut glyphs, "कप", width);
        assert_eq!(glyphs[0].text, 0..3);
    }
}
