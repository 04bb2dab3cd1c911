//! What an image file says about itself in its first bytes: its media type, its declared pixel
//! size, a JPEG's frame header, and the pixel limit for images in books. Nothing is decoded.
//! Shared by the book module (which refuses images) and the PDF writer (which embeds them).

/// The media type of an image, from its first bytes (png, jpeg, gif, webp, svg).
pub fn sniff_media_type(bytes: &[u8]) -> Option<&'static str> {
    if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        Some("image/png")
    } else if bytes.starts_with(b"\xff\xd8\xff") {
        Some("image/jpeg")
    } else if bytes.starts_with(b"GIF87a") || bytes.starts_with(b"GIF89a") {
        Some("image/gif")
    } else if bytes.len() >= 12 && &bytes[..4] == b"RIFF" && &bytes[8..12] == b"WEBP" {
        Some("image/webp")
    } else {
        // SVG is text: look for the root element near the start (after an XML declaration,
        // comments or a doctype).
        let head = &bytes[..bytes.len().min(4096)];
        let head = String::from_utf8_lossy(head);
        let trimmed = head.trim_start_matches('\u{feff}').trim_start();
        (trimmed.starts_with('<') && head.contains("<svg")).then_some("image/svg+xml")
    }
}

/// The most pixels an image in a book may have (100 million: a 10,000 x 10,000 photo). A small
/// file can claim 100,000 x 100,000 pixels (a decompression bomb): the PDF writer would have to
/// decode it into tens of gigabytes, and an e-reader would choke on it.
pub const MAX_IMAGE_PIXELS: u64 = 100_000_000;

/// The frame header of a JPEG: size and number of colour components.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct JpegFrame {
    /// Pixel width.
    pub width: u32,
    /// Pixel height.
    pub height: u32,
    /// 1 (grey), 3 (RGB/YCbCr) or 4 (CMYK).
    pub components: u8,
}

/// Walks a JPEG's markers to its frame header (SOFn), without decoding anything.
pub fn jpeg_frame(bytes: &[u8]) -> Option<JpegFrame> {
    let mut i = 2;
    while i + 4 <= bytes.len() {
        if bytes[i] != 0xFF {
            i += 1;
            continue;
        }
        let marker = bytes[i + 1];
        let len = usize::from(u16::from_be_bytes([bytes[i + 2], bytes[i + 3]]));
        let is_sof = matches!(marker, 0xC0..=0xCF) && !matches!(marker, 0xC4 | 0xC8 | 0xCC);
        if is_sof && i + 9 < bytes.len() {
            return Some(JpegFrame {
                height: u32::from(u16::from_be_bytes([bytes[i + 5], bytes[i + 6]])),
                width: u32::from(u16::from_be_bytes([bytes[i + 7], bytes[i + 8]])),
                components: bytes[i + 9],
            });
        }
        i += 2 + len;
    }
    None
}

/// The pixel size a PNG, GIF or JPEG file declares in its header (nothing is decoded).
pub fn declared_size(bytes: &[u8]) -> Option<(u32, u32)> {
    let be = |at: usize| Some(u32::from_be_bytes(bytes.get(at..at + 4)?.try_into().ok()?));
    let le16 = |at: usize| {
        Some(u32::from(u16::from_le_bytes(
            bytes.get(at..at + 2)?.try_into().ok()?,
        )))
    };
    match sniff_media_type(bytes)? {
        "image/png" => Some((be(16)?, be(20)?)),
        "image/gif" => Some((le16(6)?, le16(8)?)),
        "image/jpeg" => jpeg_frame(bytes).map(|f| (f.width, f.height)),
        _ => None,
    }
}
