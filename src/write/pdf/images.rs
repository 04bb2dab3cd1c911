//! Images: PNG decoded and re-compressed losslessly with Flate (alpha as a soft mask), JPEG
//! embedded byte for byte with DCTDecode (only its header is read).
//!
//! printpdf's own image path needs its `image` feature and re-encodes photos as lossy JPEG, so
//! image XObjects are built here and handed over as external streams.

use std::collections::BTreeMap;
use std::io::Write;

use printpdf::{DictItem, ExternalStream, ExternalXObject};

use crate::image_facts::{JpegFrame, MAX_IMAGE_PIXELS, jpeg_frame};

/// A decoded image ready for embedding.
pub struct PdfImage {
    /// Pixel width.
    pub width: u32,
    /// Pixel height.
    pub height: u32,
    /// The XObject.
    pub xobject: ExternalXObject,
}

fn name(s: &str) -> DictItem {
    DictItem::Name(s.as_bytes().to_vec())
}

fn deflate(data: &[u8]) -> Vec<u8> {
    // Fast level: image pixels dominate the run time of illustrated books, and level 1 costs
    // little size on flat screenshots and diagrams.
    let mut enc = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::fast());
    enc.write_all(data).expect("writing to memory");
    enc.finish().expect("writing to memory")
}

fn image_stream(dict: BTreeMap<String, DictItem>, content: Vec<u8>) -> ExternalStream {
    ExternalStream {
        dict,
        content,
        compress: false,
    }
}

fn base_dict(width: u32, height: u32, space: &str, bits: i64) -> BTreeMap<String, DictItem> {
    let mut d = BTreeMap::new();
    d.insert("Type".into(), name("XObject"));
    d.insert("Subtype".into(), name("Image"));
    d.insert("Width".into(), DictItem::Int(width.into()));
    d.insert("Height".into(), DictItem::Int(height.into()));
    d.insert("ColorSpace".into(), name(space));
    d.insert("BitsPerComponent".into(), DictItem::Int(bits));
    d
}

/// Refuses an image larger than [`MAX_IMAGE_PIXELS`]. The book module refuses them already;
/// this guards the writer when it is handed a book built some other way, since a PNG is decoded
/// into memory (3 to 4 bytes a pixel) before it is compressed again.
fn check_size(width: u32, height: u32) -> Result<(), String> {
    if u64::from(width) * u64::from(height) > MAX_IMAGE_PIXELS {
        Err(format!(
            "the image is {width} x {height} pixels, more than the limit of {} million; its alt \
             text is shown",
            MAX_IMAGE_PIXELS / 1_000_000
        ))
    } else {
        Ok(())
    }
}

/// Decodes `bytes` (PNG or JPEG). The error says why, for a warning.
pub fn load(bytes: &[u8]) -> Result<PdfImage, String> {
    if bytes.starts_with(&[0xFF, 0xD8]) {
        jpeg(bytes)
    } else if bytes.starts_with(b"\x89PNG") {
        png_image(bytes)
    } else {
        let kind = if bytes.starts_with(b"GIF8") {
            "GIF"
        } else if bytes.windows(4).take(512).any(|w| w == b"<svg") {
            "SVG"
        } else {
            "this format"
        };
        Err(format!(
            "{kind} images are not supported in PDF output; its alt text is shown"
        ))
    }
}

fn jpeg(bytes: &[u8]) -> Result<PdfImage, String> {
    let JpegFrame {
        width,
        height,
        components,
    } = jpeg_frame(bytes).ok_or("JPEG without a frame header")?;
    check_size(width, height)?;
    let space = match components {
        1 => "DeviceGray",
        3 => "DeviceRGB",
        4 => "DeviceCMYK",
        n => return Err(format!("JPEG with {n} colour components")),
    };
    let mut dict = base_dict(width, height, space, 8);
    dict.insert("Filter".into(), name("DCTDecode"));
    if components == 4 {
        // Adobe CMYK JPEGs are stored inverted.
        dict.insert(
            "Decode".into(),
            DictItem::Array([1, 0, 1, 0, 1, 0, 1, 0].map(DictItem::Int).to_vec()),
        );
    }
    Ok(PdfImage {
        width,
        height,
        xobject: xobject(image_stream(dict, bytes.to_vec())),
    })
}

fn xobject(stream: ExternalStream) -> ExternalXObject {
    ExternalXObject {
        stream,
        width: None,
        height: None,
        dpi: None,
    }
}

fn png_image(bytes: &[u8]) -> Result<PdfImage, String> {
    let mut decoder = png::Decoder::new(std::io::Cursor::new(bytes));
    decoder.set_transformations(png::Transformations::EXPAND | png::Transformations::STRIP_16);
    let mut reader = decoder.read_info().map_err(|e| e.to_string())?;
    check_size(reader.info().width, reader.info().height)?;
    let size = reader
        .output_buffer_size()
        .ok_or_else(|| "PNG too large".to_string())?;
    let mut buf = vec![0; size];
    let info = reader.next_frame(&mut buf).map_err(|e| e.to_string())?;
    buf.truncate(info.buffer_size());
    let (width, height) = (info.width, info.height);
    let (color, alpha): (Vec<u8>, Option<Vec<u8>>) = match info.color_type {
        png::ColorType::Grayscale => (buf, None),
        png::ColorType::Rgb => (buf, None),
        png::ColorType::GrayscaleAlpha => {
            let (c, a) = split_alpha(&buf, 1);
            (c, Some(a))
        }
        png::ColorType::Rgba => {
            let (c, a) = split_alpha(&buf, 3);
            (c, Some(a))
        }
        png::ColorType::Indexed => return Err("indexed PNG was not expanded".into()),
    };
    let space = match info.color_type {
        png::ColorType::Grayscale | png::ColorType::GrayscaleAlpha => "DeviceGray",
        _ => "DeviceRGB",
    };
    let mut dict = base_dict(width, height, space, 8);
    dict.insert("Filter".into(), name("FlateDecode"));
    // A fully opaque alpha channel adds bytes and nothing else.
    if let Some(alpha) = alpha.filter(|a| a.iter().any(|&v| v != 255)) {
        let mut mask = base_dict(width, height, "DeviceGray", 8);
        mask.insert("Filter".into(), name("FlateDecode"));
        dict.insert(
            "SMask".into(),
            DictItem::Stream {
                stream: image_stream(mask, deflate(&alpha)),
            },
        );
    }
    Ok(PdfImage {
        width,
        height,
        xobject: xobject(image_stream(dict, deflate(&color))),
    })
}

fn split_alpha(buf: &[u8], channels: usize) -> (Vec<u8>, Vec<u8>) {
    let mut color = Vec::with_capacity(buf.len() / (channels + 1) * channels);
    let mut alpha = Vec::with_capacity(buf.len() / (channels + 1));
    for px in buf.chunks_exact(channels + 1) {
        color.extend_from_slice(&px[..channels]);
        alpha.push(px[channels]);
    }
    (color, alpha)
}
