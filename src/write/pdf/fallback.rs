//! Fallback fonts beyond the built-in faces: the user's (`--font-dir`, `fonts = [...]` in
//! `bindery.toml`) and, when asked for with `--system-fonts`, the system's (fontdb). A
//! candidate is opened only when a character no earlier font has needs it, and the
//! characters that no font has are reported once per document.

use std::path::{Path, PathBuf};

use ttf_parser::Face;

use crate::diag::Diagnostic;

/// Where a fallback face comes from.
enum Candidate {
    /// A face of a font file read into memory (leaked: faces live as long as the process).
    Memory(&'static [u8], u32),
    /// A system font, opened (memory-mapped) only to check coverage until it is used.
    System(fontdb::ID),
}

/// Fallback faces not used yet, in the order they are tried.
#[derive(Default)]
pub struct Candidates {
    list: Vec<Candidate>,
    system: Option<fontdb::Database>,
    /// The regional variant of CJK fonts to try first (`JP`, `SC`...), from the language.
    variant: Option<&'static str>,
}

/// The regional variant a CJK font family names (`Noto Sans CJK JP`) for a BCP 47 tag:
/// the same ideograph is drawn differently in Japan, China, Taiwan, Hong Kong and Korea.
fn cjk_variant(lang: &str) -> Option<&'static str> {
    let lang = lang.to_ascii_lowercase().replace('_', "-");
    let mut parts = lang.split('-');
    Some(match parts.next()? {
        "ja" => "JP",
        "ko" => "KR",
        "zh" => {
            let rest: Vec<&str> = parts.collect();
            if rest.contains(&"hk") || rest.contains(&"mo") {
                "HK"
            } else if rest.contains(&"hant") || rest.contains(&"tw") {
                "TC"
            } else {
                "SC"
            }
        }
        _ => return None,
    })
}

/// True when the family name ends with the variant (`Noto Sans CJK JP` for `JP`).
fn is_variant(family: &str, variant: Option<&str>) -> bool {
    variant.is_some_and(|v| family.ends_with(&format!(" {v}")))
}

/// The family name of a face, if it has one.
fn family_name(face: &Face) -> String {
    face.names()
        .into_iter()
        .filter(|n| n.name_id == ttf_parser::name_id::FAMILY)
        .find_map(|n| n.to_string())
        .unwrap_or_default()
}

/// True for font files by their extension (collections included).
pub fn is_font_file(path: &Path) -> bool {
    let name = path
        .extension()
        .and_then(|e| e.to_str())
        .unwrap_or_default()
        .to_ascii_lowercase();
    matches!(name.as_str(), "ttf" | "otf" | "ttc" | "otc")
}

/// Reads a font file. A file that cannot be read or is not a font stops the conversion (as
/// any file an option names; exit status 1) with an error naming it and a hint: silently
/// setting the book in another face would hide the mistake.
pub fn read_font(path: &Path) -> crate::Result<&'static [u8]> {
    const HINT: &str = "give a TrueType or OpenType font (.ttf, .otf, .ttc), or remove the file \
                        from the font folder";
    let bytes = std::fs::read(path).map_err(|e| {
        crate::diag::Diagnostic::error(Some(path), format!("cannot read font: {e}")).with_hint(HINT)
    })?;
    if Face::parse(&bytes, 0).is_err() {
        return Err(crate::diag::Diagnostic::error(
            Some(path),
            "not a usable TrueType/OpenType font (its tables do not parse)",
        )
        .with_hint(HINT)
        .into());
    }
    // Leaked on purpose: faces borrow their bytes for the life of the process, and a
    // conversion reads each font once.
    Ok(Box::leak(bytes.into_boxed_slice()))
}

impl Candidates {
    /// No candidates yet; CJK fonts of the regional variant of `lang` will be tried first.
    pub fn new(lang: Option<&str>) -> Self {
        Candidates {
            variant: lang.and_then(cjk_variant),
            ..Default::default()
        }
    }

    /// Adds every face of a font file already read (of a collection, the face of the
    /// language's regional variant first).
    pub fn add_bytes(&mut self, bytes: &'static [u8]) {
        let faces = ttf_parser::fonts_in_collection(bytes).unwrap_or(1);
        let mut indexes: Vec<u32> = (0..faces).collect();
        indexes.sort_by_key(|&i| {
            let family = Face::parse(bytes, i).map(|f| family_name(&f));
            !is_variant(&family.unwrap_or_default(), self.variant)
        });
        self.list.extend(
            indexes
                .into_iter()
                .map(|index| Candidate::Memory(bytes, index)),
        );
    }

    /// Adds the fonts named in the configuration (`fonts = [...]`).
    pub fn add_files(&mut self, paths: &[PathBuf]) -> crate::Result<()> {
        for path in paths {
            self.add_bytes(read_font(path)?);
        }
        Ok(())
    }

    /// Adds the system's fonts: the language's CJK variant first, then upright regular
    /// faces, then by family name and file, so the choice does not depend on the order the
    /// directories are listed in.
    pub fn add_system(&mut self) {
        let mut db = fontdb::Database::new();
        db.load_system_fonts();
        let mut faces: Vec<_> = db
            .faces()
            .map(|f| {
                let path = match &f.source {
                    fontdb::Source::File(p) | fontdb::Source::SharedFile(p, _) => p.clone(),
                    fontdb::Source::Binary(_) => PathBuf::new(),
                };
                let family = f.families.first().map(|(n, _)| n.clone());
                let rank = (
                    !is_variant(family.as_deref().unwrap_or_default(), self.variant),
                    f.style != fontdb::Style::Normal,
                    f.weight.0.abs_diff(400),
                    family,
                    path,
                    f.index,
                );
                (rank, f.id)
            })
            .collect();
        faces.sort();
        self.list
            .extend(faces.into_iter().map(|(_, id)| Candidate::System(id)));
        self.system = Some(db);
    }

    /// The first unused candidate that has `c`, taken out of the list: its bytes and face
    /// index.
    pub fn take_covering(&mut self, c: char) -> Option<(&'static [u8], u32)> {
        let covers = |data: &[u8], index: u32| {
            Face::parse(data, index).is_ok_and(|f| f.glyph_index(c).is_some())
        };
        let at = self.list.iter().position(|cand| match cand {
            Candidate::Memory(bytes, index) => covers(bytes, *index),
            Candidate::System(id) => self
                .system
                .as_ref()
                .and_then(|db| db.with_face_data(*id, covers))
                .unwrap_or(false),
        })?;
        match self.list.remove(at) {
            Candidate::Memory(bytes, index) => Some((bytes, index)),
            Candidate::System(id) => {
                let db = self.system.as_ref()?;
                db.with_face_data(id, |data, index| {
                    let bytes: &'static [u8] = Box::leak(data.to_vec().into_boxed_slice());
                    (bytes, index)
                })
            }
        }
    }
}

/// The characters no font could show, reported once per document.
#[derive(Debug, Default)]
pub struct MissingGlyphs {
    count: usize,
    first: Option<(char, Option<PathBuf>, String)>,
    scripts: Vec<&'static str>,
}

impl MissingGlyphs {
    /// Notes `count` occurrences of `c` in `context` (a word) of the file `source`.
    pub fn record(&mut self, c: char, count: usize, source: Option<&Path>, context: &str) {
        self.count += count;
        if self.first.is_none() {
            let context = context.chars().take(40).collect();
            self.first = Some((c, source.map(Path::to_path_buf), context));
        }
        let script = script_name(c);
        if !self.scripts.contains(&script) {
            self.scripts.push(script);
        }
    }

    /// The warning, if anything was missing: how many characters, of which scripts, the
    /// first one and its place (line and column when the source file says where).
    pub fn diagnostic(&self) -> Option<Diagnostic> {
        let (c, source, context) = self.first.as_ref()?;
        let message = format!(
            "{} character{} ({}) have no glyph in the PDF fonts and are drawn as \u{FFFD}; \
             first: {c:?} (U+{:04X}) in `{context}`",
            self.count,
            if self.count == 1 { "" } else { "s" },
            self.scripts.join(", "),
            *c as u32
        );
        let mut d = Diagnostic::warning(source.as_deref(), message)
            .with_hint("add a font that has them with --font-dir, or use --system-fonts");
        if let Some(text) = source
            .as_deref()
            .and_then(|p| std::fs::read_to_string(p).ok())
            && let Some(pos) = position_of(&text, *c)
        {
            d = d.at(pos, Some(&text));
        }
        Some(d)
    }
}

/// Line and column (1-based, in characters) of the first `c` in `text`.
fn position_of(text: &str, c: char) -> Option<crate::model::Pos> {
    let at = text.find(c)?;
    let line_start = text[..at].rfind('\n').map_or(0, |i| i + 1);
    Some(crate::model::Pos {
        line: u32::try_from(text[..at].matches('\n').count() + 1).ok()?,
        col: u32::try_from(text[line_start..at].chars().count() + 1).ok()?,
    })
}

/// A short name of the script of `c` for the report (`CJK`, `Devanagari`, `emoji`...).
fn script_name(c: char) -> &'static str {
    use unicode_script::{Script, UnicodeScript};
    match c.script() {
        Script::Han | Script::Hiragana | Script::Katakana | Script::Hangul | Script::Bopomofo => {
            "CJK"
        }
        Script::Common if u32::from(c) >= 0x1F000 => "emoji",
        // Full-width punctuation and forms go with the CJK text they belong to.
        Script::Common if crate::write::breaks::is_wide(c) => "CJK",
        script => script.full_name(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cjk_variants_by_language() {
        assert_eq!(cjk_variant("ja"), Some("JP"));
        assert_eq!(cjk_variant("zh"), Some("SC"));
        assert_eq!(cjk_variant("zh-Hant-TW"), Some("TC"));
        assert_eq!(cjk_variant("zh_HK"), Some("HK"));
        assert_eq!(cjk_variant("ko-KR"), Some("KR"));
        assert_eq!(cjk_variant("de"), None);
        assert!(is_variant("Noto Sans CJK JP", Some("JP")));
        assert!(!is_variant("Noto Sans CJK JP", Some("KR")));
    }

    #[test]
    fn missing_characters_are_counted_and_placed_once() {
        let mut missing = MissingGlyphs::default();
        assert!(missing.diagnostic().is_none());
        for c in "漢字漢".chars() {
            missing.record(c, 1, None, "漢字漢");
        }
        let d = missing.diagnostic().unwrap().to_string();
        assert!(d.contains("3 characters (CJK)"), "{d}");
        assert!(d.contains("first: '漢'"), "{d}");
        assert!(d.contains("--font-dir"), "{d}");
        let pos = position_of("a\nbc漢", '漢').unwrap();
        assert_eq!((pos.line, pos.col), (2, 3));
    }
}
