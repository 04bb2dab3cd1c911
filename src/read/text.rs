//! The plain-text reader (to be written).

use std::path::Path;

use crate::diag::Warnings;
use crate::error::Result;
use crate::model::Document;

/// Reads a plain-text document, recovering structure from its layout.
pub fn read(_text: &str, _path: &Path, _warnings: &mut Warnings) -> Result<Document> {
    Ok(Document::default())
}
