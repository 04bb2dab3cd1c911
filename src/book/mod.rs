//! The book: many documents assembled into one publication, shared by every multi-document
//! output (EPUB, PDF, the site build).
//!
//! # The contract writers rely on
//! After a [`Book`] is assembled:
//! - every link between chapters has the url `bindery:SLUG` or `bindery:SLUG#FRAGMENT`, where
//!   SLUG is a [`Chapter::slug`] of this book and FRAGMENT a heading id in that chapter (see
//!   [`parse_internal_link`]); each writer maps that to its own form (`SLUG.xhtml#F`, a PDF
//!   destination, `SLUG.html#F`);
//! - every image `src` is either a remote URL (`http:`/`https:`, never fetched) or a key of
//!   [`Book::assets`], whose bytes are already loaded; images that could not be found were
//!   replaced by their alt text, with a warning.

use std::collections::BTreeMap;
use std::path::PathBuf;

use crate::meta::Meta;
use crate::model::Document;

/// Prefix of links that point at another chapter of the same book.
pub const INTERNAL_LINK_PREFIX: &str = "bindery:";

/// A publication made of chapters.
#[derive(Debug, Clone, Default)]
pub struct Book {
    /// Book-level metadata (title, authors, cover...).
    pub meta: Meta,
    /// Chapters in reading order.
    pub chapters: Vec<Chapter>,
    /// Images and other files the chapters use, by key.
    pub assets: BTreeMap<String, Asset>,
}

/// One document of a book.
#[derive(Debug, Clone)]
pub struct Chapter {
    /// The document, with links and images rewritten as described in the module docs.
    pub document: Document,
    /// Where it was read from (for diagnostics).
    pub source: PathBuf,
    /// Unique within the book; a safe file name and XML id (`python-community`).
    pub slug: String,
    /// The part (folder) it belongs to, for books grouped by folder.
    pub part: Option<String>,
}

/// A file embedded in or copied with the outputs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Asset {
    /// Where it was found.
    pub path: PathBuf,
    /// Its bytes.
    pub bytes: Vec<u8>,
    /// Its media type (`image/png`).
    pub media_type: &'static str,
}

/// Splits an internal link `bindery:SLUG#FRAGMENT` into slug and fragment.
pub fn parse_internal_link(url: &str) -> Option<(&str, Option<&str>)> {
    let rest = url.strip_prefix(INTERNAL_LINK_PREFIX)?;
    Some(match rest.split_once('#') {
        Some((slug, fragment)) => (slug, Some(fragment)),
        None => (rest, None),
    })
}
