//! Fonts: the embedded DejaVu family (or TTF/OTF files from `--font-dir`), their metrics,
//! kerning, and the fallback chain used when a face lacks a character: the other built-in
//! faces, then the fonts the user named (`--font-dir`, `fonts = [...]`), then, with
//! `--system-fonts`, the system's fonts (fontdb). Fallback faces get [`Family::Fallback`] keys
//! in the order they are first needed.
//!
//! Text is shaped by rustybuzz (kerning from GPOS and `kern`, standard ligatures), and the line
//! breaker measures with the same shaper, so what is measured is what is drawn. The PDF
//! embedding (subset, CIDFontType2 or CFF, ToUnicode) is left to krilla, which receives only
//! the faces that were used.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::rc::Rc;

use rustybuzz::{Direction, Script, ShapePlan, UnicodeBuffer, script};
use ttf_parser::{Face, GlyphId};

use super::fallback::{Candidates, MissingGlyphs, is_font_file, read_font};

/// The longest text (in bytes) whose shaping [`FontSet::shape`] keeps for reuse.
const MAX_CACHED_TEXT: usize = 64;

/// Typeface families used by the layout.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[non_exhaustive]
pub enum Family {
    /// Body text.
    Serif,
    /// Headings, furniture, task boxes.
    Sans,
    /// Code.
    Mono,
    /// The n-th fallback face (a user or system font, loaded when a character needed it).
    Fallback(u16),
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

    /// Index into the faces of a [`FontSet`]: the twelve built-in ones, then the fallbacks.
    pub fn index(self) -> usize {
        let family = match self.family {
            Family::Serif => 0,
            Family::Sans => 4,
            Family::Mono => 8,
            Family::Fallback(n) => return BUILTIN + usize::from(n),
        };
        family + usize::from(self.bold) * 2 + usize::from(self.italic)
    }

    fn from_index(i: usize) -> Self {
        let family = match i / 4 {
            0 => Family::Serif,
            1 => Family::Sans,
            2 => Family::Mono,
            _ => return FaceKey::fallback(i - BUILTIN),
        };
        FaceKey {
            family,
            bold: i % 4 >= 2,
            italic: i % 2 == 1,
        }
    }

    fn fallback(n: usize) -> Self {
        FaceKey::regular(Family::Fallback(u16::try_from(n).unwrap_or(u16::MAX)))
    }
}

/// Number of built-in faces (three families by bold and italic).
const BUILTIN: usize = 12;

/// One loaded face with cached metrics.
pub struct FontFace {
    /// The font file (handed to the PDF library for embedding).
    pub bytes: &'static [u8],
    /// The face's index in the file (collections such as `.ttc` hold several).
    pub index: u32,
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
    fn new(bytes: &'static [u8], index: u32) -> Option<Self> {
        let face = Face::parse(bytes, index).ok()?;
        let units_per_em = f32::from(face.units_per_em());
        let shaper = rustybuzz::Face::from_slice(bytes, index)?;
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
            index,
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

/// The twelve built-in faces (three families by bold/italic) and the fallback faces, loaded
/// on first use.
pub struct FontSet {
    faces: Vec<Option<FontFace>>,
    /// The files of the faces, by [`FaceKey::index`].
    sources: Vec<(&'static [u8], u32)>,
    /// Fallback faces not used yet.
    candidates: Candidates,
    /// The fallback face of characters no built-in face has (`None`: no font has it).
    fallback_of: HashMap<char, Option<FaceKey>>,
    /// Shaping plans for text other than Latin, by face, script and direction.
    plans: HashMap<(usize, Script, Direction), ShapePlan>,
    /// The shaper's buffer, reused from call to call.
    buffer: Option<UnicodeBuffer>,
    /// Short texts already shaped, by face index: a book repeats its words, and each word is
    /// measured then drawn, so most shaping is answered here (the corpus book shaped every
    /// word about thirty times).
    shaped: Vec<HashMap<Box<str>, (f32, Glyphs), xxhash_rust::xxh3::Xxh3DefaultBuilder>>,
    /// Characters no font has, for the one warning per document.
    pub missing: MissingGlyphs,
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
        // A fallback face that fails to parse is replaced by the body face.
        (Family::Fallback(_), _, _) => serif::regular(),
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
        Self::with_fallbacks(font_dir, &[], false, None)
    }

    /// As [`Self::new`], with fallback faces: the `font_dir` fonts that do not replace a
    /// built-in face (collections, fonts without Latin letters), the `fonts` files, and, when
    /// `system` is set, the system's fonts. CJK fonts of the regional variant of `lang` are
    /// tried first.
    pub fn with_fallbacks(
        font_dir: Option<&Path>,
        fonts: &[PathBuf],
        system: bool,
        lang: Option<&str>,
    ) -> crate::Result<Self> {
        let mut sources: Vec<(&'static [u8], u32)> = (0..BUILTIN)
            .map(|i| (dejavu_bytes(FaceKey::from_index(i)), 0))
            .collect();
        let mut candidates = Candidates::new(lang);
        if let Some(dir) = font_dir {
            let entries = std::fs::read_dir(dir)
                .map_err(|e| crate::Error::io(dir, "cannot read font directory", e))?;
            let mut files: Vec<_> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
            files.sort();
            for path in files.into_iter().filter(|p| is_font_file(p)) {
                let name = path
                    .file_name()
                    .and_then(|n| n.to_str())
                    .unwrap_or_default()
                    .to_ascii_lowercase();
                let bytes = read_font(&path)?;
                let collection = ttf_parser::fonts_in_collection(bytes).is_some();
                // A font without Latin letters cannot set the body; it is a fallback.
                let latin = Face::parse(bytes, 0).is_ok_and(|f| f.glyph_index('a').is_some());
                if collection || !latin {
                    candidates.add_bytes(bytes);
                    continue;
                }
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
                sources[key.index()] = (bytes, 0);
            }
        }
        candidates.add_files(fonts)?;
        if system {
            candidates.add_system();
        }
        Ok(FontSet {
            faces: (0..BUILTIN).map(|_| None).collect(),
            sources,
            candidates,
            fallback_of: HashMap::new(),
            plans: HashMap::new(),
            buffer: None,
            shaped: Vec::new(),
            missing: MissingGlyphs::default(),
        })
    }

    /// The face for `key`, loading it on first use.
    pub fn face(&mut self, key: FaceKey) -> &FontFace {
        let i = key.index();
        if self.faces[i].is_none() {
            let (bytes, index) = self.sources[i];
            let face = FontFace::new(bytes, index)
                .or_else(|| FontFace::new(dejavu_bytes(key), 0))
                .expect("the embedded DejaVu fonts parse");
            self.faces[i] = Some(face);
        }
        self.faces[i].as_ref().expect("loaded above")
    }

    /// Number of face slots (built-in and fallback), the bound of [`FaceKey::index`].
    pub fn slots(&self) -> usize {
        self.faces.len()
    }

    /// Faces that were loaded (used by the layout), in index order, for embedding.
    pub fn used(&self) -> impl Iterator<Item = (FaceKey, &FontFace)> {
        self.faces
            .iter()
            .enumerate()
            .filter_map(|(i, f)| f.as_ref().map(|f| (FaceKey::from_index(i), f)))
    }

    /// Picks the face that can show `c`: `key` itself, else the same style in the other
    /// families, else any regular face, else a fallback face. `None` when no face has the
    /// character.
    pub fn resolve(&mut self, key: FaceKey, c: char) -> Option<FaceKey> {
        if self.face(key).glyph(c).is_some() {
            return Some(key);
        }
        let builtin = [Family::Sans, Family::Serif, Family::Mono];
        let others = builtin
            .into_iter()
            .filter(|f| *f != key.family)
            .map(|family| FaceKey { family, ..key })
            .chain(builtin.map(FaceKey::regular));
        if let Some(k) = others
            .into_iter()
            .find(|&k| self.face(k).glyph(c).is_some())
        {
            return Some(k);
        }
        self.fallback(c)
    }

    /// The fallback face for `c`: one already loaded, else the first candidate that has it.
    fn fallback(&mut self, c: char) -> Option<FaceKey> {
        if let Some(known) = self.fallback_of.get(&c) {
            return *known;
        }
        let loaded = (BUILTIN..self.faces.len())
            .find(|&i| self.faces[i].as_ref().is_some_and(|f| f.glyph(c).is_some()));
        let found = match loaded {
            Some(i) => Some(FaceKey::from_index(i)),
            None => self.candidates.take_covering(c).and_then(|(bytes, index)| {
                let face = FontFace::new(bytes, index)?;
                self.sources.push((bytes, index));
                self.faces.push(Some(face));
                Some(FaceKey::from_index(self.faces.len() - 1))
            }),
        };
        self.fallback_of.insert(c, found);
        found
    }

    /// Shapes `text` in face `key` (all characters must be present; see [`Self::resolve`]).
    /// Latin, Greek and Cyrillic use the face's left-to-right plan; other text is shaped in
    /// the script and direction its characters give (a run is one script and direction:
    /// measure splits them).
    pub fn shape(&mut self, key: FaceKey, text: &str) -> Shaped {
        let i = key.index();
        if let Some((width, glyphs)) = self.shaped.get(i).and_then(|cache| cache.get(text)) {
            return Shaped {
                width: *width,
                glyphs: glyphs.clone(),
            };
        }
        let shaped = self.shape_uncached(key, text);
        // Words and short phrases only: a long text is rarely repeated, and the cache holds
        // each entry for the whole book.
        if text.len() <= MAX_CACHED_TEXT {
            if self.shaped.len() <= i {
                self.shaped.resize_with(i + 1, HashMap::default);
            }
            self.shaped[i].insert(text.into(), (shaped.width, shaped.glyphs.clone()));
        }
        shaped
    }

    fn shape_uncached(&mut self, key: FaceKey, text: &str) -> Shaped {
        self.face(key);
        let i = key.index();
        let mut buffer = self.buffer.take().unwrap_or_default();
        buffer.push_str(text);
        let face = self.faces[i].as_ref().expect("loaded above");
        let plan = if text.chars().all(|c| (c as u32) < COMMON) {
            buffer.set_direction(Direction::LeftToRight);
            buffer.set_script(script::LATIN);
            &face.plan
        } else {
            buffer.guess_segment_properties();
            let (script, direction) = (buffer.script(), buffer.direction());
            self.plans
                .entry((i, script, direction))
                .or_insert_with(|| ShapePlan::new(&face.shaper, direction, Some(script), None, &[]))
        };
        let shaped = rustybuzz::shape_with_plan(&face.shaper, plan, buffer);
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
