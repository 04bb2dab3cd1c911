//! Fonts: the embedded DejaVu family (or TTF/OTF files from `--font-dir`), their metrics,
//! kerning, and the fallback chain used when a face lacks a character.
//!
//! Text is shaped by rustybuzz (kerning from GPOS and `kern`, standard ligatures), and the line
//! breaker measures with the same shaper, so what is measured is what is drawn. The PDF
//! embedding (subset, CIDFontType2 or CFF, ToUnicode) is left to krilla, which receives only
//! the faces that were used.

use std::path::Path;
use std::rc::Rc;

use rustybuzz::{Direction, ShapePlan, UnicodeBuffer, script};
use ttf_parser::{Face, GlyphId};

/// Typeface families used by the layout.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Family {
    /// Body text.
    Serif,
    /// Headings, furniture, task boxes.
    Sans,
    /// Code.
    Mono,
}

/// A concrete face: family plus weight and slant. Its index in [`FontSet`] is `key.index()`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct FaceKey {
    /// The family.
    pub family: Family,
    /// Bold weight.
    pub bold: bool,
    /// Italic or oblique.
    pub italic: bool,
}

impl FaceKey {
    /// A regular face of `family`.
    pub const fn regular(family: Family) -> Self {
        FaceKey {
            family,
            bold: false,
            italic: false,
        }
    }

    /// Index into the 12 faces of a [`FontSet`].
    pub fn index(self) -> usize {
        let family = match self.family {
            Family::Serif => 0,
            Family::Sans => 4,
            Family::Mono => 8,
        };
        family + usize::from(self.bold) * 2 + usize::from(self.italic)
    }

    fn from_index(i: usize) -> Self {
        let family = match i / 4 {
            0 => Family::Serif,
            1 => Family::Sans,
            _ => Family::Mono,
        };
        FaceKey {
            family,
            bold: i % 4 >= 2,
            italic: i % 2 == 1,
        }
    }
}

/// One loaded face with cached metrics.
pub struct FontFace {
    /// The font file (handed to the PDF library for embedding).
    pub bytes: &'static [u8],
    face: Face<'static>,
    /// The shaper's view of the face, and its plan for left-to-right text.
    shaper: rustybuzz::Face<'static>,
    plan: ShapePlan,
    units_per_em: f32,
    /// Ascender as a fraction of the em.
    pub ascent: f32,
    /// Descender as a (negative) fraction of the em.
    pub descent: f32,
    /// Glyphs of the first code points (Latin, Greek, Cyrillic), looked up once: the cmap
    /// search showed up in profiles.
    common: Vec<Option<u16>>,
    /// Advance of every glyph in em.
    advances: Vec<f32>,
}

/// Code points below this are cached in [`FontFace`].
const COMMON: u32 = 0x530;

impl FontFace {
    fn new(bytes: &'static [u8]) -> Option<Self> {
        let face = Face::parse(bytes, 0).ok()?;
        let units_per_em = f32::from(face.units_per_em());
        let shaper = rustybuzz::Face::from_slice(bytes, 0)?;
        // One plan per face (making one per call is most of the cost of shaping a word). The
        // typesetter sets text left to right; other scripts get the default shaping.
        let plan = ShapePlan::new(
            &shaper,
            Direction::LeftToRight,
            Some(script::LATIN),
            None,
            &[],
        );
        let common = (0..COMMON)
            .map(|c| {
                char::from_u32(c)
                    .and_then(|c| face.glyph_index(c))
                    .map(|g| g.0)
            })
            .collect();
        let advances = (0..face.number_of_glyphs())
            .map(|g| f32::from(face.glyph_hor_advance(GlyphId(g)).unwrap_or(0)) / units_per_em)
            .collect();
        Some(FontFace {
            bytes,
            common,
            advances,
            ascent: f32::from(face.ascender()) / units_per_em,
            descent: f32::from(face.descender()) / units_per_em,
            face,
            shaper,
            plan,
            units_per_em,
        })
    }

    /// The PostScript name (`DejaVuSerif-Bold`), for the PDF font dictionaries.
    pub fn postscript_name(&self) -> String {
        self.face
            .names()
            .into_iter()
            .filter(|n| n.name_id == ttf_parser::name_id::POST_SCRIPT_NAME)
            .find_map(|n| n.to_string())
            .filter(|n| !n.is_empty() && n.is_ascii())
            .unwrap_or_else(|| "Font".into())
            .chars()
            .filter(|c| c.is_ascii_alphanumeric() || *c == '-')
            .collect()
    }

    /// The glyph for `c`, if the face has one.
    pub fn glyph(&self, c: char) -> Option<u16> {
        match self.common.get(c as usize) {
            Some(g) => *g,
            None => self.face.glyph_index(c).map(|g| g.0),
        }
    }

    /// Advance width of a glyph in em.
    pub fn advance(&self, gid: u16) -> f32 {
        self.advances.get(usize::from(gid)).copied().unwrap_or(0.0)
    }
}

/// One shaped glyph; lengths in em.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ShapedGlyph {
    /// Glyph id.
    pub id: u16,
    /// Advance (kerning included).
    pub advance: f32,
    /// Horizontal offset.
    pub x_offset: f32,
    /// Vertical offset, upwards.
    pub y_offset: f32,
    /// Byte offset in the text of the first character this glyph shows.
    pub cluster: u32,
}

/// Shaped glyphs, shared between the measured item and what is drawn.
pub type Glyphs = Rc<[ShapedGlyph]>;

/// A shaped run of text: its glyphs and total width in em.
pub struct Shaped {
    /// Total width in em.
    pub width: f32,
    /// The glyphs, in visual order.
    pub glyphs: Glyphs,
}

/// The twelve faces (three families by bold/italic), loaded on first use.
pub struct FontSet {
    faces: Vec<Option<FontFace>>,
    sources: Vec<&'static [u8]>,
    /// The shaper's buffer, reused from call to call.
    buffer: Option<UnicodeBuffer>,
}

/// Never inlined: the `dejavu` accessors are `include_bytes!` in tiny functions, and each place
/// they were inlined into kept its own copy of the fonts (the binary held every face twice).
#[inline(never)]
fn dejavu_bytes(key: FaceKey) -> &'static [u8] {
    use dejavu::{sans, sans_mono, serif};
    match (key.family, key.bold, key.italic) {
        (Family::Serif, false, false) => serif::regular(),
        (Family::Serif, true, false) => serif::bold(),
        (Family::Serif, false, true) => serif::italic(),
        (Family::Serif, true, true) => serif::bold_italic(),
        (Family::Sans, false, false) => sans::regular(),
        (Family::Sans, true, false) => sans::bold(),
        (Family::Sans, false, true) => sans::oblique(),
        (Family::Sans, true, true) => sans::bold_oblique(),
        (Family::Mono, false, false) => sans_mono::regular(),
        (Family::Mono, true, false) => sans_mono::bold(),
        (Family::Mono, false, true) => sans_mono::oblique(),
        (Family::Mono, true, true) => sans_mono::bold_oblique(),
    }
}

/// The built-in DejaVu faces (for drawings that name their own fonts).
pub fn builtin_faces() -> impl Iterator<Item = &'static [u8]> {
    (0..12).map(|i| dejavu_bytes(FaceKey::from_index(i)))
}

impl FontSet {
    /// DejaVu, with faces from `font_dir` replacing the body (and, for files named `*Mono*`,
    /// the code) family. Files are matched by name: `Bold`, `Italic`/`Oblique`.
    pub fn new(font_dir: Option<&Path>) -> crate::Result<Self> {
        let mut sources: Vec<&'static [u8]> = (0..12)
            .map(|i| dejavu_bytes(FaceKey::from_index(i)))
            .collect();
        if let Some(dir) = font_dir {
            let entries = std::fs::read_dir(dir)
                .map_err(|e| crate::Error::io(dir, "cannot read font directory", e))?;
            let mut files: Vec<_> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
            files.sort();
            for path in files {
                let name = path
                    .file_name()
                    .and_then(|n| n.to_str())
                    .unwrap_or_default()
                    .to_ascii_lowercase();
                if !(name.ends_with(".ttf") || name.ends_with(".otf")) {
                    continue;
                }
                let bytes = std::fs::read(&path)
                    .map_err(|e| crate::Error::io(&path, "cannot read font", e))?;
                if Face::parse(&bytes, 0).is_err() {
                    return Err(crate::Error::Usage(format!(
                        "{}: not a usable TrueType/OpenType font",
                        path.display()
                    )));
                }
                // Leaked on purpose: faces borrow their bytes for the life of the process, and
                // a conversion loads a user's font directory once.
                let bytes: &'static [u8] = Box::leak(bytes.into_boxed_slice());
                let family = if name.contains("mono") {
                    Family::Mono
                } else {
                    Family::Serif
                };
                let key = FaceKey {
                    family,
                    bold: name.contains("bold"),
                    italic: name.contains("italic") || name.contains("oblique"),
                };
                sources[key.index()] = bytes;
            }
        }
        Ok(FontSet {
            faces: (0..12).map(|_| None).collect(),
            sources,
            buffer: None,
        })
    }

    /// The face for `key`, loading it on first use.
    pub fn face(&mut self, key: FaceKey) -> &FontFace {
        let i = key.index();
        if self.faces[i].is_none() {
            let face = FontFace::new(self.sources[i])
                .or_else(|| FontFace::new(dejavu_bytes(key)))
                .expect("the embedded DejaVu fonts parse");
            self.faces[i] = Some(face);
        }
        self.faces[i].as_ref().expect("loaded above")
    }

    /// Faces that were loaded (used by the layout), in index order, for embedding.
    pub fn used(&self) -> impl Iterator<Item = (FaceKey, &FontFace)> {
        self.faces
            .iter()
            .enumerate()
            .filter_map(|(i, f)| f.as_ref().map(|f| (FaceKey::from_index(i), f)))
    }

    /// Picks the face that can show `c`: `key` itself, else the same style in the other
    /// families, else any regular face. `None` when no face has the character.
    pub fn resolve(&mut self, key: FaceKey, c: char) -> Option<FaceKey> {
        if self.face(key).glyph(c).is_some() {
            return Some(key);
        }
        let others = [Family::Sans, Family::Serif, Family::Mono]
            .into_iter()
            .filter(|f| *f != key.family)
            .map(|family| FaceKey { family, ..key })
            .chain([Family::Sans, Family::Serif, Family::Mono].map(FaceKey::regular));
        others
            .into_iter()
            .find(|&k| self.face(k).glyph(c).is_some())
    }

    /// Shapes `text` in face `key` (all characters must be present; see [`Self::resolve`]).
    pub fn shape(&mut self, key: FaceKey, text: &str) -> Shaped {
        self.face(key);
        let face = self.faces[key.index()].as_ref().expect("loaded above");
        let mut buffer = self.buffer.take().unwrap_or_default();
        buffer.push_str(text);
        buffer.set_direction(Direction::LeftToRight);
        buffer.set_script(script::LATIN);
        let shaped = rustybuzz::shape_with_plan(&face.shaper, &face.plan, buffer);
        let em = face.units_per_em;
        let glyphs: Glyphs = shaped
            .glyph_infos()
            .iter()
            .zip(shaped.glyph_positions())
            .map(|(info, pos)| ShapedGlyph {
                id: u16::try_from(info.glyph_id).unwrap_or(0),
                advance: pos.x_advance as f32 / em,
                x_offset: pos.x_offset as f32 / em,
                y_offset: pos.y_offset as f32 / em,
                cluster: info.cluster,
            })
            .collect();
        self.buffer = Some(shaped.clear());
        Shaped {
            width: glyphs.iter().map(|g| g.advance).sum(),
            glyphs,
        }
    }

    /// Width of `text` in em.
    pub fn width(&mut self, key: FaceKey, text: &str) -> f32 {
        let mut chars = text.chars();
        if let (Some(c), None) = (chars.next(), chars.next()) {
            // One character has nothing to kern with: its advance (spaces, hyphens, marks).
            let face = self.face(key);
            return face.advance(face.glyph(c).unwrap_or(0));
        }
        self.shape(key, text).width
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shaping_kerns_and_ligates_and_measures_what_it_draws() {
        let mut fonts = FontSet::new(None).unwrap();
        let serif = FaceKey::regular(Family::Serif);
        // Kerning: "AV" is narrower than its letters apart.
        let apart = fonts.width(serif, "A") + fonts.width(serif, "V");
        assert!(fonts.width(serif, "AV") < apart - 0.01);
        // Standard ligature: "fi" is one glyph that stands for both characters.
        let fi = fonts.shape(serif, "fi");
        assert_eq!(fi.glyphs.len(), 1, "{:?}", fi.glyphs);
        assert_eq!(fi.glyphs[0].cluster, 0);
        // The measured width is the sum of the drawn advances.
        let word = fonts.shape(serif, "Typography");
        let drawn: f32 = word.glyphs.iter().map(|g| g.advance).sum();
        assert!((word.width - drawn).abs() < 1e-6);
    }
}
