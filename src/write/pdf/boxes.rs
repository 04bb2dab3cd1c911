//! The vocabulary shared by the layout stages: styles, drawing primitives and the vertical
//! list of elements that page breaking distributes over pages.
//!
//! Coordinates are in PDF points with y growing downwards from the element's top; only the
//! place stage converts to PDF's bottom-up coordinates.

use std::rc::Rc;

use super::fonts::{FaceKey, Glyphs};
use super::structure::NodeId;

pub use super::theme::Rgb;

/// Body text colour of the standard theme (for tests that need a style).
pub const TEXT: Rgb = super::theme::Theme::STANDARD.colors.text;

/// Where a link goes.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum Target {
    /// An external URI.
    Uri(String),
    /// A named place in this PDF (`slug#id`, `slug`, or a footnote).
    Dest(String),
}

/// Character style of a run of text.
#[derive(Debug, Clone, PartialEq)]
pub struct Style {
    /// Face.
    pub face: FaceKey,
    /// Size in pt.
    pub size: f32,
    /// Fill colour.
    pub color: Rgb,
    /// Baseline shift upwards in pt (superscript > 0, subscript < 0).
    pub rise: f32,
    /// Struck out.
    pub strike: bool,
    /// Link target, if inside a link.
    pub link: Option<Rc<Target>>,
    /// The structure node the text belongs to (a paragraph, a link in it...).
    pub node: Option<NodeId>,
}

/// A positioned drawing primitive, relative to its element's top-left corner.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub enum Draw {
    /// Text on one baseline.
    Text {
        /// Left edge.
        x: f32,
        /// Baseline.
        y: f32,
        /// Face.
        face: FaceKey,
        /// Size in pt.
        size: f32,
        /// Colour.
        color: Rgb,
        /// The characters.
        text: String,
        /// The shaped glyphs when the layout has them (measured text); `None` to shape the
        /// text when it is placed.
        glyphs: Option<Glyphs>,
        /// Width in pt (for bounds checks).
        width: f32,
        /// Structure node; `None` for an artifact (dot leaders).
        node: Option<NodeId>,
    },
    /// A filled rectangle.
    Rect {
        /// Left.
        x: f32,
        /// Top.
        y: f32,
        /// Width.
        w: f32,
        /// Height.
        h: f32,
        /// Fill.
        color: Rgb,
    },
    /// An image XObject.
    Image {
        /// Index into the document's image list.
        index: usize,
        /// Structure node (the figure).
        node: Option<NodeId>,
        /// Left.
        x: f32,
        /// Top.
        y: f32,
        /// Width.
        w: f32,
        /// Height.
        h: f32,
    },
    /// Text that is not shown but extracted (an image's alt text).
    Hidden {
        /// Left.
        x: f32,
        /// Baseline.
        y: f32,
        /// Size in pt.
        size: f32,
        /// The text.
        text: String,
    },
    /// A clickable area.
    Link {
        /// Left.
        x: f32,
        /// Top.
        y: f32,
        /// Width.
        w: f32,
        /// Height.
        h: f32,
        /// Where it goes.
        target: Rc<Target>,
        /// Structure node (the link).
        node: Option<NodeId>,
    },
}

impl Draw {
    /// Takes the primitive out of the logical structure (a repeated table header).
    pub fn make_artifact(&mut self) {
        match self {
            Draw::Text { node, .. } | Draw::Image { node, .. } | Draw::Link { node, .. } => {
                *node = None;
            }
            Draw::Rect { .. } | Draw::Hidden { .. } => {}
        }
    }

    /// Moves the primitive by (dx, dy).
    pub fn shift(&mut self, dx: f32, dy: f32) {
        match self {
            Draw::Text { x, y, .. }
            | Draw::Rect { x, y, .. }
            | Draw::Image { x, y, .. }
            | Draw::Hidden { x, y, .. }
            | Draw::Link { x, y, .. } => {
                *x += dx;
                *y += dy;
            }
        }
    }
}

/// A vertical decoration drawn beside every element of a run (block-quote bar, code
/// background) that also covers the element's space above when that space is kept.
#[derive(Debug, Clone, Copy)]
pub struct Band {
    /// Left.
    pub x: f32,
    /// Width.
    pub w: f32,
    /// Fill.
    pub color: Rgb,
}

/// An outline (bookmark) entry or link destination anchored at an element's top.
#[derive(Debug, Clone)]
pub struct Anchor {
    /// Destination name (`slug#id`), if links may point here.
    pub dest: Option<String>,
    /// Outline level (1 = chapter) and title, if this is a heading.
    pub outline: Option<(u8, String)>,
}

/// A footnote, laid out, to be placed at the bottom of the page of its reference.
#[derive(Debug, Clone)]
pub struct Footnote {
    /// Its lines.
    pub elements: Vec<Element>,
    /// Right to left: set flush right, and the rule above the notes of a page that starts
    /// with it is on the right.
    pub rtl: bool,
}

impl Footnote {
    /// Total height including inner spacing.
    pub fn height(&self) -> f32 {
        self.elements
            .iter()
            .enumerate()
            .map(|(i, e)| e.height + if i > 0 { e.space_before } else { 0.0 })
            .sum()
    }
}

/// A copy of `style` changed by `f`.
pub fn derive(style: &Rc<Style>, f: impl FnOnce(&mut Style)) -> Rc<Style> {
    let mut s = (**style).clone();
    f(&mut s);
    Rc::new(s)
}

/// One unbreakable piece of the vertical list (a line, an image, a table row...).
#[derive(Debug, Clone, Default)]
pub struct Element {
    /// Space above, dropped at the top of a page.
    pub space_before: f32,
    /// Height of the content.
    pub height: f32,
    /// Content.
    pub draws: Vec<Draw>,
    /// Decorations spanning the element and its kept space.
    pub bands: Vec<Band>,
    /// Whether a page may break just before this element.
    pub break_before: bool,
    /// Start a new page before this element (chapter starts).
    pub new_page: bool,
    /// Footnotes referenced from this element.
    pub footnotes: Vec<Rc<Footnote>>,
    /// Destinations and outline entries at this element.
    pub anchors: Vec<Anchor>,
    /// A table header repeated when a table continues on a new page.
    pub repeat_header: Option<Rc<Element>>,
}

impl Element {
    /// An element of `height` with nothing drawn yet; breaking before it is allowed.
    pub fn new(height: f32) -> Self {
        Element {
            height,
            break_before: true,
            ..Default::default()
        }
    }
}
