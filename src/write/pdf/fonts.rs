//! Fonts: the embedded DejaVu family (or TTF/OTF files from `--font-dir`), their metrics,
//! kerning, and the fallback chain used when a face lacks a character.
//!
//! Measurement goes through `ttf-parser` (zero-copy, cheap to open); the PDF embedding (subset,
//! CIDFontType2 or CFF, ToUnicode) is left to krilla, which receives only the faces that were
//! used.

use std::collections::HashMap;
use std::path::Path;

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
    units_per_em: f32,
    /// Ascender as a fraction of the em.
    pub ascent: f32,
    /// Descender as a (negative) fraction of the em.
    pub descent: f32,
    kern: HashMap<(u16, u16), i16>,
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
        let mut kern = HashMap::new();
        // The legacy `kern` table covers DejaVu's pair kerning; reading GPOS pair tables would
        // need a shaper (rustybuzz), which costs build time for little visible gain here.
        if let Some(table) = face.tables().kern {
            for sub in table.subtables {
                if !sub.horizontal || sub.variable {
                    continue;
                }
                if let ttf_parser::kern::Format::Format0(f0) = sub.format {
                    for pair in f0.pairs {
                        kern.insert((pair.left().0, pair.right().0), pair.value);
                    }
                }
            }
        }
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
            units_per_em,
            kern,
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

    /// Kerning between two glyphs in em (negative tightens).
    pub fn kerning(&self, left: u16, right: u16) -> f32 {
        self.kern
            .get(&(left, right))
            .map_or(0.0, |&v| f32::from(v) / self.units_per_em)
    }
}

/// A run of text with its kerning: the text and, after each character, the extra advance in
/// em (kerning pairs). Both measuring and drawing use this, so widths always match.
pub struct Shaped {
    /// Total width in em.
    pub width: f32,
    /// Kerning after the character at each char index (0 for most).
    pub kerns: Vec<f32>,
}

/// The twelve faces (three families by bold/italic), loaded on first use.
pub struct FontSet {
    faces: Vec<Option<FontFace>>,
    sources: Vec<&'static [u8]>,
}

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

    /// Measures `text` in face `key` (all characters must be present; see [`Self::resolve`]).
    pub fn shape(&mut self, key: FaceKey, text: &str) -> Shaped {
        let face = self.face(key);
        let mut width = 0.0;
        let mut kerns = Vec::with_capacity(text.len());
        let mut prev: Option<u16> = None;
        for c in text.chars() {
            let gid = face.glyph(c).unwrap_or(0);
            if let Some(p) = prev {
                let k = face.kerning(p, gid);
                if let Some(last) = kerns.last_mut() {
                    *last = k;
                }
                width += k;
            }
            width += face.advance(gid);
            kerns.push(0.0);
            prev = Some(gid);
        }
        Shaped { width, kerns }
    }

    /// Width of `text` in em.
    pub fn width(&mut self, key: FaceKey, text: &str) -> f32 {
        self.shape(key, text).width
    }
}
