//! What the caller chooses about the PDF: paper, margins, fonts, heading numbers and the
//! standards the file must conform to.

use std::path::PathBuf;

/// Paper sizes (`--paper`, `[pdf] paper`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
#[non_exhaustive]
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

/// A PDF standard the output must conform to (`--pdf-standard`, `[pdf] pdf-standard`), by its
/// name in lower case (`ua-1`), optionally prefixed with `pdf/`.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, clap::ValueEnum, serde::Deserialize,
)]
#[non_exhaustive]
pub enum PdfStandard {
    /// PDF/UA-1 (accessible).
    #[value(name = "ua-1", alias = "pdf/ua-1")]
    #[serde(rename = "ua-1", alias = "pdf/ua-1")]
    Ua1,
    /// PDF/A-1b.
    #[value(name = "a-1b", alias = "pdf/a-1b")]
    #[serde(rename = "a-1b", alias = "pdf/a-1b")]
    A1b,
    /// PDF/A-1a.
    #[value(name = "a-1a", alias = "pdf/a-1a")]
    #[serde(rename = "a-1a", alias = "pdf/a-1a")]
    A1a,
    /// PDF/A-2b (archival, visual appearance).
    #[value(name = "a-2b", alias = "pdf/a-2b")]
    #[serde(rename = "a-2b", alias = "pdf/a-2b")]
    A2b,
    /// PDF/A-2u (A-2b with Unicode text).
    #[value(name = "a-2u", alias = "pdf/a-2u")]
    #[serde(rename = "a-2u", alias = "pdf/a-2u")]
    A2u,
    /// PDF/A-2a (A-2u, tagged).
    #[value(name = "a-2a", alias = "pdf/a-2a")]
    #[serde(rename = "a-2a", alias = "pdf/a-2a")]
    A2a,
    /// PDF/A-3b.
    #[value(name = "a-3b", alias = "pdf/a-3b")]
    #[serde(rename = "a-3b", alias = "pdf/a-3b")]
    A3b,
    /// PDF/A-3u.
    #[value(name = "a-3u", alias = "pdf/a-3u")]
    #[serde(rename = "a-3u", alias = "pdf/a-3u")]
    A3u,
    /// PDF/A-3a.
    #[value(name = "a-3a", alias = "pdf/a-3a")]
    #[serde(rename = "a-3a", alias = "pdf/a-3a")]
    A3a,
}

impl PdfStandard {
    /// The name on the command line (`ua-1`).
    pub fn name(self) -> &'static str {
        match self {
            PdfStandard::Ua1 => "ua-1",
            PdfStandard::A1b => "a-1b",
            PdfStandard::A1a => "a-1a",
            PdfStandard::A2b => "a-2b",
            PdfStandard::A2u => "a-2u",
            PdfStandard::A2a => "a-2a",
            PdfStandard::A3b => "a-3b",
            PdfStandard::A3u => "a-3u",
            PdfStandard::A3a => "a-3a",
        }
    }

    /// Sorts and deduplicates a list of standards; an error when it names more than one PDF/A
    /// part, since a file conforms to one of them.
    pub fn checked_list(mut list: Vec<PdfStandard>) -> Result<Vec<PdfStandard>, String> {
        list.sort();
        list.dedup();
        let archival: Vec<&str> = list
            .iter()
            .filter(|s| s.is_archival())
            .map(|s| s.name())
            .collect();
        if archival.len() > 1 {
            return Err(format!(
                "`{}` names more than one PDF/A part; a file conforms to one of them",
                archival.join(",")
            ));
        }
        Ok(list)
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
