//! Frames: the typesetter's finished pages, independent of any PDF library. A frame holds
//! positioned glyph runs (with the text they show), filled rectangles, images and link areas;
//! [`super::document`] writes them to the file. Coordinates are in pt from the page's top-left
//! corner, y growing downwards.

use std::ops::Range;

use super::boxes::Rgb;
use super::fonts::FaceKey;
use super::structure::NodeId;

/// What kind of decoration an artifact is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum ArtifactKind {
    /// The running header.
    Header,
    /// The page number.
    PageNumber,
    /// Rules, backgrounds, bars, dot leaders, repeated table headers.
    Layout,
}

/// Where a piece belongs in the logical structure.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Tag {
    /// Content of this structure node.
    Content(NodeId),
    /// Not content: decoration or pagination.
    Artifact(ArtifactKind),
}

/// One glyph of a run, with its advance in em (kerning and justification included).
#[derive(Debug, Clone, PartialEq)]
pub struct FrameGlyph {
    /// Glyph id in the face.
    pub id: u16,
    /// Horizontal advance in em.
    pub advance: f32,
    /// Horizontal offset in em (mark positioning).
    pub x_offset: f32,
    /// Vertical offset in em, upwards.
    pub y_offset: f32,
    /// The bytes of the run's text this glyph shows.
    pub text: Range<usize>,
}

/// Glyphs on one baseline in one face, size and colour.
#[derive(Debug, Clone, PartialEq)]
pub struct GlyphRun {
    /// Left edge of the first glyph.
    pub x: f32,
    /// Baseline.
    pub baseline: f32,
    /// Face.
    pub face: FaceKey,
    /// Size in pt.
    pub size: f32,
    /// Fill colour.
    pub color: Rgb,
    /// The glyphs.
    pub glyphs: Vec<FrameGlyph>,
    /// The text the glyphs show (for copying, search and screen readers).
    pub text: String,
    /// False for text that is extracted but not seen (an image's alt text).
    pub visible: bool,
    /// Its place in the structure.
    pub tag: Tag,
}

/// Where a link area leads.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum LinkTarget {
    /// An external URI.
    Uri(String),
    /// A place in this document: page index (0-based) and y from the page top.
    Place {
        /// Page index.
        page: usize,
        /// Distance from the page top.
        y: f32,
    },
}

/// A piece of a page.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum FrameItem {
    /// Text.
    Glyphs(GlyphRun),
    /// A filled rectangle (rules, backgrounds, bars).
    Fill {
        /// Left.
        x: f32,
        /// Top.
        y: f32,
        /// Width.
        w: f32,
        /// Height.
        h: f32,
        /// Colour.
        color: Rgb,
        /// Its place in the structure (an artifact, normally).
        tag: Tag,
    },
    /// An image, scaled into the rectangle.
    Image {
        /// Index into [`super::place::Typeset::images`].
        index: usize,
        /// The figure it shows, if any.
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
        /// Where it leads.
        target: LinkTarget,
        /// The link in the structure.
        node: Option<NodeId>,
    },
}

/// A finished page.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Frame {
    /// Its content, in drawing (and reading) order.
    pub items: Vec<FrameItem>,
}
