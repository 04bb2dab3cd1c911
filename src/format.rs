//! Output formats and rendering one document into one of them: the entry point the command
//! line and the site build share.

use std::path::Path;

use crate::model::Document;
use crate::write::html::{self, PageOptions};
use crate::write::text::{self, TextOptions};

/// The formats bindery writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[non_exhaustive]
pub enum OutputFormat {
    /// A standalone HTML5 page (or a body fragment).
    Html,
    /// Wrapped plain text.
    Text,
    /// An EPUB 3 e-book.
    Epub,
    /// A PDF.
    Pdf,
}

impl OutputFormat {
    /// The format a file name asks for, by its extension.
    pub fn from_path(path: &Path) -> Option<Self> {
        let ext = path.extension()?.to_str()?.to_ascii_lowercase();
        Self::from_name(&ext)
    }

    /// Parses a format name (`html`, `txt`, `text`, `epub`, `pdf`).
    pub fn from_name(name: &str) -> Option<Self> {
        Some(match name.to_ascii_lowercase().as_str() {
            "html" | "htm" | "xhtml" => OutputFormat::Html,
            "txt" | "text" | "plain" => OutputFormat::Text,
            "epub" => OutputFormat::Epub,
            "pdf" => OutputFormat::Pdf,
            _ => return None,
        })
    }

    /// The format's name in messages for people (`plain text`, `EPUB`).
    pub fn display_name(self) -> &'static str {
        match self {
            OutputFormat::Html => "HTML",
            OutputFormat::Text => "plain text",
            OutputFormat::Epub => "EPUB",
            OutputFormat::Pdf => "PDF",
        }
    }

    /// The usual file extension.
    pub fn extension(self) -> &'static str {
        match self {
            OutputFormat::Html => "html",
            OutputFormat::Text => "txt",
            OutputFormat::Epub => "epub",
            OutputFormat::Pdf => "pdf",
        }
    }
}

/// Options for the single-document formats.
#[derive(Clone, Default)]
pub struct RenderOptions {
    /// HTML page options.
    pub html: PageOptions,
    /// Plain-text options.
    pub text: TextOptions,
}

/// Renders a document as HTML or text. (EPUB and PDF go through [`crate::book`].)
pub fn render_single(
    document: &Document,
    format: OutputFormat,
    options: &RenderOptions,
) -> Result<Vec<u8>, minijinja::Error> {
    Ok(match format {
        OutputFormat::Html => html::page(document, &options.html)?.into_bytes(),
        OutputFormat::Text => text::text(document, &options.text).into_bytes(),
        OutputFormat::Epub | OutputFormat::Pdf => {
            unreachable!("book formats are rendered through the book module")
        }
    })
}
