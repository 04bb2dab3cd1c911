//! What the caller chooses about the PDF: paper, margins, fonts, heading numbers and the
//! standards the file must conform to.

use std::path::PathBuf;

/// Paper sizes (`--paper`, `[pdf] paper`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Paper {
    /// 210 x 297 mm.
    #[default]
    A4,
    /// 8.5 x 11 in.
    Letter,
    /// 148 x 210 mm.
    A5,
}

impl Paper {
    /// Width and height in pt.
    pub fn size(self) -> (f32, f32) {
        match self {
            Paper::A4 => (595.28, 841.89),
            Paper::Letter => (612.0, 792.0),
            Paper::A5 => (419.53, 595.28),
        }
    }
}

/// Page margins in pt.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Margins {
    /// Top (the running header sits inside it).
    pub top: f32,
    /// Bottom (the page number sits inside it).
    pub bottom: f32,
    /// Left.
    pub left: f32,
    /// Right.
    pub right: f32,
}

/// A PDF standard the output must conform to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum PdfStandard {
    /// PDF/UA-1 (accessible).
    Ua1,
    /// PDF/A-1b.
    A1b,
    /// PDF/A-1a.
    A1a,
    /// PDF/A-2b (archival, visual appearance).
    A2b,
    /// PDF/A-2u (A-2b with Unicode text).
    A2u,
    /// PDF/A-2a (A-2u, tagged).
    A2a,
    /// PDF/A-3b.
    A3b,
    /// PDF/A-3u.
    A3u,
    /// PDF/A-3a.
    A3a,
}

impl PdfStandard {
    /// Every standard with its name on the command line.
    pub const ALL: [(PdfStandard, &'static str); 9] = [
        (PdfStandard::Ua1, "ua-1"),
        (PdfStandard::A1b, "a-1b"),
        (PdfStandard::A1a, "a-1a"),
        (PdfStandard::A2b, "a-2b"),
        (PdfStandard::A2u, "a-2u"),
        (PdfStandard::A2a, "a-2a"),
        (PdfStandard::A3b, "a-3b"),
        (PdfStandard::A3u, "a-3u"),
        (PdfStandard::A3a, "a-3a"),
    ];

    /// The name on the command line (`ua-1`).
    pub fn name(self) -> &'static str {
        Self::ALL
            .iter()
            .find(|(s, _)| *s == self)
            .map_or("", |(_, n)| n)
    }

    /// Parses a comma-separated list (`ua-1,a-2b`); the error names the unknown entry and the
    /// known ones.
    pub fn parse_list(list: &str) -> Result<Vec<PdfStandard>, String> {
        let mut out = Vec::new();
        for name in list.split(',').map(str::trim).filter(|n| !n.is_empty()) {
            let lower = name.to_ascii_lowercase();
            let lower = lower.strip_prefix("pdf/").unwrap_or(&lower);
            match Self::ALL.iter().find(|(_, n)| *n == lower) {
                Some((s, _)) => out.push(*s),
                None => {
                    let known: Vec<&str> = Self::ALL.iter().map(|(_, n)| *n).collect();
                    return Err(format!(
                        "unknown PDF standard `{name}`; use one or more of {}",
                        known.join(", ")
                    ));
                }
            }
        }
        out.sort();
        out.dedup();
        if out.iter().filter(|s| **s != PdfStandard::Ua1).count() > 1 {
            return Err(format!(
                "`{list}` names more than one PDF/A part; a file conforms to one of them"
            ));
        }
        Ok(out)
    }

    /// True for the PDF/A parts.
    pub fn is_archival(self) -> bool {
        self != PdfStandard::Ua1
    }
}

/// Options of the PDF writer.
#[derive(Debug, Clone, PartialEq)]
pub struct PdfOptions {
    /// Paper size.
    pub paper: Paper,
    /// Margins; `None` picks ones that suit the paper (about 25 mm on A4).
    pub margins: Option<Margins>,
    /// A directory of TTF/OTF files replacing the body (and `*Mono*` code) faces; its
    /// collections and fonts without Latin letters are fallbacks.
    pub font_dir: Option<PathBuf>,
    /// Font files tried, in order, for characters the built-in faces lack.
    pub fonts: Vec<PathBuf>,
    /// Fall back to the system's fonts (`--system-fonts`) after all the others.
    pub system_fonts: bool,
    /// Number section headings (`1.2 Title`).
    pub number_headings: bool,
    /// Standards the file must conform to (`--pdf-standard`); what cannot conform is an error.
    pub standards: Vec<PdfStandard>,
}

impl Default for PdfOptions {
    fn default() -> Self {
        PdfOptions {
            paper: Paper::A4,
            margins: None,
            font_dir: None,
            fonts: Vec::new(),
            system_fonts: false,
            number_headings: false,
            standards: Vec::new(),
        }
    }
}
