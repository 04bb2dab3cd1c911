//! Repacking epub-builder's ZIP into a reproducible EPUB container, and the fixes its
//! `content.opf` needs.
//!
//! epub-builder's zip backend stamps every entry with the current time and deflates images that
//! are already compressed. We read its archive back and write a new one: `mimetype` first and
//! stored (the OCF rule), images stored, text deflated, every entry dated 1980-01-01 with the
//! same permissions, no extra fields. The same input then gives the same bytes.

use std::collections::HashMap;
use std::io::{Cursor, Read, Write};

use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, DateTime, ZipArchive, ZipWriter};

use crate::error::{Error, Result};

/// A change to one file of the archive, applied while repacking.
pub type Patch<'a> = (&'a str, &'a dyn Fn(String) -> Result<String>);

/// Rewrites `archive` deterministically, applying `patches` to the named text files and taking
/// the bytes of the entries named in `contents` from there.
///
/// The writer hands epub-builder empty placeholders for chapters and images and their real
/// bytes only here: epub-builder would deflate them once only for us to inflate them again,
/// which was most of the time spent on a book with images.
pub fn repack(
    archive: &[u8],
    patches: &[Patch],
    contents: &HashMap<String, &[u8]>,
) -> Result<Vec<u8>> {
    let mut input = ZipArchive::new(Cursor::new(archive)).map_err(zip_error)?;
    let total: usize = archive.len() + contents.values().map(|b| b.len()).sum::<usize>();
    let mut output = ZipWriter::new(Cursor::new(Vec::with_capacity(total)));
    let base = SimpleFileOptions::default()
        .last_modified_time(DateTime::default())
        .unix_permissions(0o644);

    // `mimetype` must be the first entry, stored; epub-builder writes it first already, but
    // the order of the rest is kept as it is (it follows the book).
    let mut names: Vec<String> = input.file_names().map(String::from).collect();
    names.sort_by_key(|name| name != "mimetype");
    names.dedup();
    for name in names {
        let mut bytes = Vec::new();
        if let Some(content) = contents.get(&name) {
            bytes.extend_from_slice(content);
        } else {
            input
                .by_name(&name)
                .map_err(zip_error)?
                .read_to_end(&mut bytes)
                .map_err(|e| Error::Internal(format!("EPUB packaging: cannot read {name}: {e}")))?;
        }
        if let Some((_, patch)) = patches.iter().find(|(file, _)| *file == name) {
            let text = String::from_utf8(bytes)
                .map_err(|_| Error::Internal(format!("EPUB packaging: {name} is not UTF-8")))?;
            bytes = patch(text)?.into_bytes();
        }
        let method = if name == "mimetype" || is_compressed_media(&name) {
            CompressionMethod::Stored
        } else {
            CompressionMethod::Deflated
        };
        output
            .start_file(name.as_str(), base.compression_method(method))
            .map_err(zip_error)?;
        output
            .write_all(&bytes)
            .map_err(|e| Error::Internal(format!("EPUB packaging: cannot write {name}: {e}")))?;
    }
    Ok(output.finish().map_err(zip_error)?.into_inner())
}

/// Formats that do not shrink when deflated: store them and save the time.
fn is_compressed_media(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    [".png", ".jpg", ".jpeg", ".gif", ".webp"]
        .iter()
        .any(|ext| lower.ends_with(ext))
}

fn zip_error(e: zip::result::ZipError) -> Error {
    Error::Internal(format!("EPUB packaging failed: {e}"))
}

/// Replaces exactly one occurrence of `needle`; a missing needle means epub-builder's templates
/// changed, which must fail loudly rather than produce a subtly wrong book.
pub fn replace_once(text: String, needle: &str, replacement: &str) -> Result<String> {
    if !text.contains(needle) {
        return Err(Error::Internal(format!(
            "EPUB packaging: `{needle}` not found in epub-builder's output"
        )));
    }
    Ok(text.replacen(needle, replacement, 1))
}
