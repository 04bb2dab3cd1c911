//! Images: the layout needs only their size, read from the file header here; the bytes are
//! handed to the PDF library, which decodes and recompresses them on its worker threads while
//! the layout runs (PNG, GIF, WebP) or embeds them as they are (JPEG). Only the compressed
//! result is kept, so peak memory does not grow with the number of images in a book.

use std::path::PathBuf;

use crate::image_facts::{JpegFrame, MAX_IMAGE_PIXELS, jpeg_frame};
use crate::model::Pos;

/// The file formats the PDF writer embeds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum ImageFormat {
    /// JPEG, embedded byte for byte.
    Jpeg,
    /// PNG, re-compressed losslessly (alpha as a soft mask).
    Png,
    /// GIF (first frame).
    Gif,
    /// WebP.
    WebP,
    /// SVG, drawn as vector graphics (text in it with the built-in fonts).
    Svg,
}

/// An image the layout placed: its size and where its bytes are.
#[derive(Debug, Clone)]
pub struct PdfImage {
    /// Pixel width.
    pub width: u32,
    /// Pixel height.
    pub height: u32,
    /// The format.
    pub format: ImageFormat,
    /// The asset key in the book (`Book::assets`), to fetch the bytes when writing.
    pub src: String,
    /// Where it is first used (source file and place), for a warning if it fails to decode
    /// when written.
    pub used_at: (PathBuf, Pos),
}

/// Refuses an image larger than [`MAX_IMAGE_PIXELS`]. The book module refuses them already;
/// this guards the writer when it is handed a book built some other way, since a PNG is decoded
/// into memory (3 to 4 bytes a pixel) when its page is written.
fn check_size(width: u32, height: u32) -> Result<(), String> {
    if u64::from(width) * u64::from(height) > MAX_IMAGE_PIXELS {
        Err(format!(
            "the image is {width} x {height} pixels, more than the limit of {} million; its alt \
             text is shown",
            MAX_IMAGE_PIXELS / 1_000_000
        ))
    } else if width == 0 || height == 0 {
        Err("the image has no pixels; its alt text is shown".into())
    } else {
        Ok(())
    }
}

/// Walks the chunks of a PNG (without inflating anything): a file cut short is refused here,
/// at layout, where the warning can name the place of the image.
fn check_png_chunks(bytes: &[u8]) -> Result<(), String> {
    let mut i = 8;
    loop {
        let header = bytes
            .get(i..i + 8)
            .ok_or_else(|| "unexpected end of file".to_string())?;
        let len = u32::from_be_bytes([header[0], header[1], header[2], header[3]]) as usize;
        let end = i
            .checked_add(12)
            .and_then(|v| v.checked_add(len))
            .filter(|&end| end <= bytes.len())
            .ok_or_else(|| "unexpected end of file".to_string())?;
        if &header[4..8] == b"IEND" {
            return Ok(());
        }
        i = end;
    }
}

/// Reads the format and size of the image `src` from the header of `bytes`. The error says
/// why it cannot be shown, for a warning.
pub fn load(src: &str, bytes: &[u8], used_at: (PathBuf, Pos)) -> Result<PdfImage, String> {
    let format = if bytes.starts_with(&[0xFF, 0xD8]) {
        ImageFormat::Jpeg
    } else if bytes.starts_with(b"\x89PNG") {
        ImageFormat::Png
    } else if bytes.starts_with(b"GIF8") {
        ImageFormat::Gif
    } else if bytes.len() >= 12 && &bytes[..4] == b"RIFF" && &bytes[8..12] == b"WEBP" {
        ImageFormat::WebP
    } else if bytes.windows(4).take(4096).any(|w| w == b"<svg") {
        ImageFormat::Svg
    } else {
        return Err("this format is not supported in PDF output; its alt text is shown".into());
    };
    let (width, height) = match format {
        ImageFormat::Svg => {
            // Parsed for its size only (without fonts: text does not change the size); the
            // drawing is parsed again when its page is written.
            let tree = usvg::Tree::from_data(bytes, &svg_options(None))
                .map_err(|e| format!("unreadable SVG ({e}); its alt text is shown"))?;
            let size = tree.size();
            (
                size.width().ceil().clamp(1.0, 100_000.0) as u32,
                size.height().ceil().clamp(1.0, 100_000.0) as u32,
            )
        }
        ImageFormat::Jpeg => {
            let JpegFrame { width, height, .. } =
                jpeg_frame(bytes).ok_or("JPEG without a frame header")?;
            (width, height)
        }
        _ => {
            if format == ImageFormat::Png {
                check_png_chunks(bytes)?;
            }
            let size = imagesize::blob_size(bytes)
                .map_err(|e| format!("unreadable image header ({e}); its alt text is shown"))?;
            (
                u32::try_from(size.width).unwrap_or(u32::MAX),
                u32::try_from(size.height).unwrap_or(u32::MAX),
            )
        }
    };
    check_size(width, height)?;
    Ok(PdfImage {
        width,
        height,
        format,
        src: src.to_string(),
        used_at,
    })
}

/// Options for parsing an SVG: text set in `fonts` (none: the size alone is wanted), and no
/// file or network access (an `<image>` may only embed its picture as a data URL: an SVG from
/// an untrusted page must not read the disk).
pub fn svg_options(
    fonts: Option<std::sync::Arc<usvg::fontdb::Database>>,
) -> usvg::Options<'static> {
    let mut options = usvg::Options {
        font_family: "DejaVu Sans".into(),
        image_href_resolver: usvg::ImageHrefResolver {
            resolve_data: usvg::ImageHrefResolver::default_data_resolver(),
            resolve_string: Box::new(|_, _| None),
        },
        ..usvg::Options::default()
    };
    if let Some(fonts) = fonts {
        options.fontdb = fonts;
    }
    options
}
