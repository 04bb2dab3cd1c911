//! Output formats, and [`render`]: any format from a document, documents or a book, the one
//! entry point the command line and the project build share.

use std::path::{Path, PathBuf};

use crate::book::{Book, BookOptions};
use crate::diag::Warnings;
use crate::error::{Error, Result};
use crate::model::Document;
use crate::write::epub::{self, EpubOptions};
use crate::write::html::{self, PageOptions};
use crate::write::pdf::{self, PdfOptions};
use crate::write::text::{self, TextOptions};

/// The formats bindery writes (`--to`).
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, clap::ValueEnum, serde::Deserialize,
)]
#[serde(rename_all = "lowercase")]
#[non_exhaustive]
pub enum OutputFormat {
    /// A standalone HTML5 page (or a body fragment).
    #[value(help = "A standalone HTML page")]
    Html,
    /// Wrapped plain text.
    Text,
    /// An EPUB 3 e-book.
    #[value(help = "An EPUB 3 e-book (all inputs make one book)")]
    Epub,
    /// A PDF.
    #[value(help = "A PDF (all inputs make one book)")]
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

/// What to render.
#[non_exhaustive]
pub enum Content<'a> {
    /// One document. HTML and text render it as a page; EPUB and PDF make it a one-chapter
    /// book.
    Document(&'a Document),
    /// Documents (and the paths they were read from) to assemble into a book with
    /// [`RenderOptions::book`]: EPUB and PDF only.
    Documents(Vec<(PathBuf, Document)>),
    /// A book already assembled: EPUB and PDF only.
    Book(&'a Book),
}

/// Options of every format.
#[derive(Clone, Default)]
pub struct RenderOptions {
    /// HTML page options.
    pub html: PageOptions,
    /// Plain-text options.
    pub text: TextOptions,
    /// How documents are assembled into a book (EPUB, PDF).
    pub book: BookOptions,
    /// EPUB options.
    pub epub: EpubOptions,
    /// PDF options.
    pub pdf: PdfOptions,
}

/// What a render read and reported besides the bytes it made. Filled in as the render goes, so
/// that a failed render still says what it read (for a depfile) and what it found (warnings).
#[derive(Debug, Default)]
pub struct RenderReport {
    /// Files the output was made from besides the documents (a book's images).
    pub dependencies: Vec<PathBuf>,
    /// Warnings, in the order found.
    pub warnings: Warnings,
}

/// Renders `content` as `format`: the one entry point of the command line and the project
/// build. Asking for a page (HTML, text) of a book, or for a book of nothing, is an internal
/// error: callers render a book's chapters one by one.
pub fn render(
    content: Content,
    format: OutputFormat,
    options: &RenderOptions,
    report: &mut RenderReport,
) -> Result<Vec<u8>> {
    match (format, content) {
        (OutputFormat::Html, Content::Document(document)) => html::page(document, &options.html)
            .map(String::into_bytes)
            .map_err(|e| html_template_error(&e, &options.html)),
        (OutputFormat::Text, Content::Document(document)) => {
            Ok(text::text(document, &options.text).into_bytes())
        }
        (OutputFormat::Html | OutputFormat::Text, _) => Err(Error::Internal(format!(
            "{} renders one document at a time, not a book",
            format.display_name()
        ))),
        (_, Content::Book(book)) => render_book(book, format, options, report),
        (_, Content::Document(document)) => {
            let documents = vec![(PathBuf::new(), document.clone())];
            render(Content::Documents(documents), format, options, report)
        }
        (_, Content::Documents(documents)) => {
            let book = Book::assemble(documents, &options.book, &mut report.warnings)?;
            report
                .dependencies
                .extend(book.assets.values().map(|asset| asset.path.clone()));
            render_book(&book, format, options, report)
        }
    }
}

/// EPUB or PDF of an assembled book.
fn render_book(
    book: &Book,
    format: OutputFormat,
    options: &RenderOptions,
    report: &mut RenderReport,
) -> Result<Vec<u8>> {
    match format {
        OutputFormat::Epub => epub::epub(book, &options.epub, &mut report.warnings),
        OutputFormat::Pdf => pdf::pdf(book, &options.pdf, &mut report.warnings),
        OutputFormat::Html | OutputFormat::Text => Err(Error::Internal(format!(
            "{} renders one document at a time, not a book",
            format.display_name()
        ))),
    }
}

/// A template error of the HTML page, placed in the template that made it.
fn html_template_error(error: &minijinja::Error, options: &PageOptions) -> Error {
    let (name, source) = match &options.template {
        Some((name, source)) => (name.as_str(), Some(source.as_str())),
        None => ("built-in template", None),
    };
    crate::diag::template_error(error, name, source).into()
}
