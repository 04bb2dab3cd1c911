//! Assembly: the laid-out pages become a printpdf document (fonts subset and embedded as
//! CIDFontType2 with ToUnicode by printpdf), then lopdf finishes what printpdf cannot:
//! - the outline: printpdf's `add_bookmark` is flat and sorted by title, so the nested tree
//!   (chapters > sections > subsections) is written here;
//! - reproducibility: printpdf draws its trailer `/ID` and resource names from a process-wide
//!   counter and stamps dates, so the ID is replaced by a hash of the content and dates come
//!   only from `SOURCE_DATE_EPOCH`;
//! - document info in UTF-16 (printpdf writes raw UTF-8 bytes, which readers show as Latin-1).

use std::collections::{BTreeMap, BTreeSet};

use lopdf::{Dictionary, Object, ObjectId, StringFormat};
use printpdf::{
    Mm, Op, ParsedFont, PdfDocument, PdfFontHandle, PdfPage, PdfSaveOptions, TextItem, XObject,
};

use super::Layout;
use super::place::{font_id, image_id};
use crate::book::Book;

/// Builds the PDF bytes.
pub fn assemble(book: &Book, layout: Layout) -> crate::Result<Vec<u8>> {
    let title = super::book_title(book);
    let mut doc = PdfDocument::new(&title);
    // Characters drawn in each face, read back from the operations.
    let mut used: BTreeMap<String, BTreeSet<char>> = BTreeMap::new();
    for (ops, _) in &layout.pages {
        let mut current: Option<&str> = None;
        for op in ops {
            match op {
                Op::SetFont {
                    font: PdfFontHandle::External(id),
                    ..
                } => current = Some(&id.0),
                Op::ShowText { items } => {
                    let Some(font) = current else { continue };
                    let set = used.entry(font.to_string()).or_default();
                    for item in items {
                        if let TextItem::Text(t) = item {
                            set.extend(t.chars());
                        }
                    }
                }
                _ => {}
            }
        }
    }
    let mut names: BTreeMap<String, (String, Option<Vec<u8>>)> = BTreeMap::new();
    for (key, face) in layout.fonts.used() {
        let id = font_id(key);
        let Some(chars) = used.get(&id.0) else {
            continue;
        };
        let gids: BTreeSet<u16> = chars.iter().filter_map(|&c| face.glyph(c)).collect();
        // Subset before printpdf sees the font: it then parses and compresses kilobytes, not
        // the whole face.
        let program = super::subset::subset(face.bytes, &gids, true);
        let bytes = program.as_deref().unwrap_or(face.bytes);
        let parsed = ParsedFont::from_bytes(bytes, 0, &mut Vec::new())
            .ok_or_else(|| crate::Error::Usage(format!("font for {key:?} cannot be embedded")))?;
        if program.is_some() {
            // What is finally embedded: the same glyphs without the tables only printpdf
            // needed (cmap) or no PDF viewer reads (name).
            let embedded = super::subset::subset(face.bytes, &gids, false);
            names.insert(id.0.clone(), (face.postscript_name(), embedded));
        }
        doc.resources
            .fonts
            .map
            .insert(id, printpdf::PdfFont::new(parsed));
    }
    for (i, image) in layout.images.into_iter().enumerate() {
        doc.resources
            .xobjects
            .map
            .insert(image_id(i), XObject::External(image.xobject));
    }
    let geo = layout.geometry;
    let mm = |pt: f32| Mm(pt * 25.4 / 72.0);
    doc.pages = layout
        .pages
        .into_iter()
        .map(|(ops, _)| PdfPage::new(mm(geo.page_w), mm(geo.page_h), ops))
        .collect();
    let opts = PdfSaveOptions {
        optimize: true,
        subset_fonts: true,
        secure: true,
        image_optimization: None,
    };
    let mut pdf_warnings = Vec::new();
    let mut lo = doc.to_lopdf_document(&opts, &mut pdf_warnings);

    name_subsets(&mut lo, &names);
    set_info(&mut lo, book, &title);
    set_outline(&mut lo, &layout.outline);
    set_id(&mut lo);
    // printpdf declares 1.3, but soft masks (PNG alpha) need 1.4 and UTF-16 text strings and
    // CID fonts read best as 1.7.
    lo.version = "1.7".into();
    compress(&mut lo);
    let mut out = Vec::new();
    lo.save_to(&mut out)
        .map_err(|e| crate::Error::Usage(format!("cannot write PDF: {e}")))?;
    Ok(out)
}

/// A text string: PDFDocEncoding-compatible ASCII as is, anything else UTF-16BE with a BOM.
fn text(s: &str) -> Object {
    if s.is_ascii() {
        Object::String(s.as_bytes().to_vec(), StringFormat::Literal)
    } else {
        let mut bytes = vec![0xFE, 0xFF];
        for u in s.encode_utf16() {
            bytes.extend_from_slice(&u.to_be_bytes());
        }
        Object::String(bytes, StringFormat::Hexadecimal)
    }
}

/// `D:YYYYMMDDHHmmSSZ` for seconds since the epoch (civil-from-days, proleptic Gregorian).
fn pdf_date(secs: i64) -> String {
    let days = secs.div_euclid(86_400);
    let rem = secs.rem_euclid(86_400);
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!(
        "D:{year:04}{month:02}{day:02}{:02}{:02}{:02}Z",
        rem / 3600,
        rem % 3600 / 60,
        rem % 60
    )
}

fn set_info(lo: &mut lopdf::Document, book: &Book, title: &str) {
    let meta = &book.meta;
    let first = book.chapters.first().map(|c| &c.document.meta);
    let authors = if meta.authors.is_empty() {
        first.map(|m| m.authors.clone()).unwrap_or_default()
    } else {
        meta.authors.clone()
    };
    let description = meta
        .description
        .clone()
        .or_else(|| first.and_then(|m| m.description.clone()));
    let tags = if meta.tags.is_empty() {
        first.map(|m| m.tags.clone()).unwrap_or_default()
    } else {
        meta.tags.clone()
    };
    let mut info = Dictionary::new();
    info.set("Title", text(title));
    if !authors.is_empty() {
        info.set("Author", text(&authors.join(", ")));
    }
    if let Some(d) = description {
        info.set("Subject", text(&d));
    }
    if !tags.is_empty() {
        info.set("Keywords", text(&tags.join(", ")));
    }
    info.set("Creator", text("bindery"));
    info.set(
        "Producer",
        text(&format!("bindery {} (printpdf)", env!("CARGO_PKG_VERSION"))),
    );
    // Dates only from SOURCE_DATE_EPOCH: the same input must give the same bytes.
    if let Some(secs) = std::env::var("SOURCE_DATE_EPOCH")
        .ok()
        .and_then(|v| v.trim().parse::<i64>().ok())
    {
        let d = pdf_date(secs);
        info.set(
            "CreationDate",
            Object::String(d.clone().into_bytes(), StringFormat::Literal),
        );
        info.set(
            "ModDate",
            Object::String(d.into_bytes(), StringFormat::Literal),
        );
    }
    // printpdf's own Info (with its epoch dates) goes.
    if let Ok(Object::Reference(old)) = lo.trailer.get(b"Info").cloned() {
        lo.objects.remove(&old);
    }
    let id = lo.add_object(info);
    lo.trailer.set("Info", Object::Reference(id));
}

fn set_outline(lo: &mut lopdf::Document, entries: &[super::place::OutlineEntry]) {
    if entries.is_empty() {
        return;
    }
    let pages = lo.get_pages();
    let root_id = lo.new_object_id();
    // Tree as parent indices: each entry's parent is the nearest earlier entry of a lower level.
    let ids: Vec<ObjectId> = entries.iter().map(|_| lo.new_object_id()).collect();
    let mut parent: Vec<Option<usize>> = Vec::with_capacity(entries.len());
    let mut stack: Vec<usize> = Vec::new();
    for (i, e) in entries.iter().enumerate() {
        while stack.last().is_some_and(|&s| entries[s].0 >= e.0) {
            stack.pop();
        }
        parent.push(stack.last().copied());
        stack.push(i);
    }
    let children = |p: Option<usize>| -> Vec<usize> {
        (0..entries.len()).filter(|&i| parent[i] == p).collect()
    };
    let mut dicts: Vec<Dictionary> = Vec::with_capacity(entries.len());
    for (i, (_, title, page, y)) in entries.iter().enumerate() {
        let mut d = Dictionary::new();
        d.set("Title", text(title));
        d.set(
            "Parent",
            Object::Reference(parent[i].map_or(root_id, |p| ids[p])),
        );
        if let Some(page_id) = pages.get(&(*page as u32)) {
            d.set(
                "Dest",
                Object::Array(vec![
                    Object::Reference(*page_id),
                    Object::Name(b"XYZ".to_vec()),
                    Object::Null,
                    Object::Real(*y),
                    Object::Null,
                ]),
            );
        }
        dicts.push(d);
    }
    let link = |dicts: &mut Vec<Dictionary>, kids: &[usize], holder: &mut Dictionary| {
        if kids.is_empty() {
            return;
        }
        for (k, &c) in kids.iter().enumerate() {
            if k > 0 {
                dicts[c].set("Prev", Object::Reference(ids[kids[k - 1]]));
            }
            if k + 1 < kids.len() {
                dicts[c].set("Next", Object::Reference(ids[kids[k + 1]]));
            }
        }
        holder.set("First", Object::Reference(ids[kids[0]]));
        holder.set(
            "Last",
            Object::Reference(ids[*kids.last().expect("non-empty")]),
        );
    };
    let mut root = Dictionary::new();
    root.set("Type", Object::Name(b"Outlines".to_vec()));
    let top = children(None);
    link(&mut dicts, &top, &mut root);
    root.set("Count", Object::Integer(top.len() as i64));
    for i in 0..entries.len() {
        let kids = children(Some(i));
        let mut holder = std::mem::take(&mut dicts[i]);
        link(&mut dicts, &kids, &mut holder);
        if !kids.is_empty() {
            // Negative: chapters start closed, so a long book's outline stays readable.
            let sign = if entries[i].0 >= 1 && entries.iter().filter(|e| e.0 == 1).count() > 1 {
                -1
            } else {
                1
            };
            holder.set("Count", Object::Integer(sign * kids.len() as i64));
        }
        dicts[i] = holder;
    }
    for (i, d) in dicts.into_iter().enumerate() {
        lo.objects.insert(ids[i], Object::Dictionary(d));
    }
    lo.objects.insert(root_id, Object::Dictionary(root));
    if let Ok(catalog) = lo.catalog_mut() {
        catalog.set("Outlines", Object::Reference(root_id));
        catalog.set("PageMode", Object::Name(b"UseOutlines".to_vec()));
    }
}

/// Replaces printpdf's counter-based `/ID` with a hash of the document's objects.
fn set_id(lo: &mut lopdf::Document) {
    // FNV-1a, two lanes with different offsets for 128 bits.
    let mut h1: u64 = 0xcbf2_9ce4_8422_2325;
    let mut h2: u64 = 0x6c62_272e_07bb_0142;
    let mut feed = |bytes: &[u8]| {
        for &b in bytes {
            h1 = (h1 ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3);
            h2 = (h2 ^ u64::from(b))
                .wrapping_mul(0x0000_0100_0000_01b3)
                .rotate_left(7);
        }
    };
    // The streams carry the content (pages, fonts, images); the rest follows from them and
    // the metadata, which is hashed through the Info dictionary.
    for (id, obj) in &lo.objects {
        feed(&id.0.to_le_bytes());
        if let Object::Stream(s) = obj {
            feed(&s.content);
        }
    }
    if let Ok(Object::Reference(info)) = lo.trailer.get(b"Info")
        && let Some(Object::Dictionary(d)) = lo.objects.get(info)
    {
        for (k, v) in d.iter() {
            feed(k);
            if let Object::String(bytes, _) = v {
                feed(bytes);
            }
        }
    }
    let mut id = h1.to_be_bytes().to_vec();
    id.extend_from_slice(&h2.to_be_bytes());
    let s = Object::String(id, StringFormat::Hexadecimal);
    lo.trailer.set("ID", Object::Array(vec![s.clone(), s]));
}

fn name_of(obj: Option<&Object>) -> Option<Vec<u8>> {
    match obj? {
        Object::Name(n) => Some(n.clone()),
        _ => None,
    }
}

fn deref<'a>(lo: &'a lopdf::Document, obj: &'a Object) -> Option<&'a Object> {
    match obj {
        Object::Reference(id) => lo.objects.get(id),
        other => Some(other),
    }
}

fn number(o: &Object) -> Option<i64> {
    match o {
        Object::Integer(i) => Some(*i),
        Object::Real(r) => Some(*r as i64),
        _ => None,
    }
}

/// Glyph ids listed in a `/W` array (`c [w...]` and `c1 c2 w` forms).
fn glyphs_in_widths(w: &[Object]) -> BTreeSet<u16> {
    let mut out = BTreeSet::new();
    let mut i = 0;
    while i < w.len() {
        let Some(start) = number(&w[i]) else { break };
        match w.get(i + 1) {
            Some(Object::Array(ws)) => {
                out.extend((0..ws.len()).map(|k| (start + k as i64) as u16));
                i += 2;
            }
            Some(end) => {
                let end = number(end).unwrap_or(start);
                out.extend((start..=end).map(|g| g as u16));
                i += 3;
            }
            None => break,
        }
    }
    out
}

/// Gives subset fonts their subset names (`ABCDEF+DejaVuSerif`), with a tag derived from the
/// glyph set so that the output stays reproducible.
fn name_subsets(lo: &mut lopdf::Document, names: &BTreeMap<String, (String, Option<Vec<u8>>)>) {
    let type0: Vec<ObjectId> = lo
        .objects
        .iter()
        .filter(|(_, o)| {
            o.as_dict()
                .is_ok_and(|d| name_of(d.get(b"Subtype").ok()).as_deref() == Some(b"Type0"))
        })
        .map(|(id, _)| *id)
        .collect();
    for id in type0 {
        let Some(dict) = lo.objects.get(&id).and_then(|o| o.as_dict().ok()).cloned() else {
            continue;
        };
        let Some(base) = name_of(dict.get(b"BaseFont").ok()) else {
            continue;
        };
        let Some((ps_name, program)) = names.get(&String::from_utf8_lossy(&base).into_owned())
        else {
            continue;
        };
        let Some(descendant) = dict
            .get(b"DescendantFonts")
            .ok()
            .and_then(|o| deref(lo, o))
            .and_then(|o| o.as_array().ok())
            .and_then(|a| a.first())
            .cloned()
        else {
            continue;
        };
        let desc_ref = match &descendant {
            Object::Reference(r) => Some(*r),
            _ => None,
        };
        let Some(desc) = deref(lo, &descendant)
            .and_then(|o| o.as_dict().ok())
            .cloned()
        else {
            continue;
        };
        let used = desc
            .get(b"W")
            .ok()
            .and_then(|o| deref(lo, o))
            .and_then(|o| o.as_array().ok())
            .map(|w| glyphs_in_widths(w))
            .unwrap_or_default();
        let Ok(Object::Reference(fd_id)) = desc.get(b"FontDescriptor").cloned() else {
            continue;
        };
        let Some(fd) = lo
            .objects
            .get(&fd_id)
            .and_then(|o| o.as_dict().ok())
            .cloned()
        else {
            continue;
        };
        // Tag: six capitals from a hash of the font and its glyphs.
        let mut h: u64 = 0xcbf2_9ce4_8422_2325;
        for b in ps_name
            .bytes()
            .chain(used.iter().flat_map(|g| g.to_be_bytes()))
        {
            h = (h ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3);
        }
        let tag: String = (0..6)
            .map(|i| (b'A' + ((h >> (i * 5)) % 26) as u8) as char)
            .collect();
        let name = Object::Name(format!("{tag}+{ps_name}").into_bytes());
        if let (Some(program), Ok(Object::Reference(file_id))) = (program, fd.get(b"FontFile2")) {
            let mut dict = Dictionary::new();
            dict.set("Length1", Object::Integer(program.len() as i64));
            lo.objects.insert(
                *file_id,
                Object::Stream(lopdf::Stream::new(dict, program.clone())),
            );
        }
        let mut fd = fd;
        fd.set("FontName", name.clone());
        lo.objects.insert(fd_id, Object::Dictionary(fd));
        let mut desc = desc;
        desc.set("BaseFont", name.clone());
        let mut dict = dict;
        match desc_ref {
            Some(r) => {
                lo.objects.insert(r, Object::Dictionary(desc));
            }
            None => dict.set(
                "DescendantFonts",
                Object::Array(vec![Object::Dictionary(desc)]),
            ),
        }
        dict.set("BaseFont", name);
        lo.objects.insert(id, Object::Dictionary(dict));
    }
}

/// Flate-compresses every stream that has no filter yet, at the default level: lopdf's own
/// `compress` uses the best (slowest) level for a few percent of size.
fn compress(lo: &mut lopdf::Document) {
    use std::io::Write;
    for obj in lo.objects.values_mut() {
        let Object::Stream(stream) = obj else {
            continue;
        };
        if stream.dict.get(b"Filter").is_ok() || !stream.allows_compression {
            continue;
        }
        let mut enc = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::default());
        if enc.write_all(&stream.content).is_err() {
            continue;
        }
        let Ok(compressed) = enc.finish() else {
            continue;
        };
        if compressed.len() + 19 < stream.content.len() {
            stream
                .dict
                .set("Filter", Object::Name(b"FlateDecode".to_vec()));
            stream.set_content(compressed);
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn dates_from_epoch_seconds() {
        assert_eq!(super::pdf_date(0), "D:19700101000000Z");
        assert_eq!(super::pdf_date(1_700_000_000), "D:20231114221320Z");
        assert_eq!(super::pdf_date(951_782_400), "D:20000229000000Z");
    }
}
