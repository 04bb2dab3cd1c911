//! TrueType subsetting that keeps glyph ids: unused glyphs become empty, the glyph count is
//! cut after the highest used id, and tables a PDF CIDFontType2 does not need are dropped.
//!
//! printpdf only subsets with its `text_layout` feature (which pulls in the azul layout
//! engine), so without it it embeds whole fonts; it is handed these subsets instead. Keeping
//! the ids means the glyph ids measured during layout stay valid in the embedded font.

use std::collections::BTreeSet;

fn u16_at(d: &[u8], o: usize) -> Option<u16> {
    Some(u16::from_be_bytes([*d.get(o)?, *d.get(o + 1)?]))
}

fn u32_at(d: &[u8], o: usize) -> Option<u32> {
    Some(u32::from_be_bytes([
        *d.get(o)?,
        *d.get(o + 1)?,
        *d.get(o + 2)?,
        *d.get(o + 3)?,
    ]))
}

fn checksum(data: &[u8]) -> u32 {
    data.chunks(4).fold(0u32, |acc, c| {
        let mut b = [0u8; 4];
        b[..c.len()].copy_from_slice(c);
        acc.wrapping_add(u32::from_be_bytes(b))
    })
}

struct Tables<'a> {
    font: &'a [u8],
    records: Vec<([u8; 4], usize, usize)>,
}

impl<'a> Tables<'a> {
    fn parse(font: &'a [u8]) -> Option<Self> {
        let n = usize::from(u16_at(font, 4)?);
        let mut records = Vec::with_capacity(n);
        for i in 0..n {
            let r = 12 + 16 * i;
            let tag: [u8; 4] = font.get(r..r + 4)?.try_into().ok()?;
            let off = u32_at(font, r + 8)? as usize;
            let len = u32_at(font, r + 12)? as usize;
            font.get(off..off + len)?;
            records.push((tag, off, len));
        }
        Some(Tables { font, records })
    }

    fn get(&self, tag: &[u8; 4]) -> Option<&'a [u8]> {
        self.records
            .iter()
            .find(|r| &r.0 == tag)
            .map(|&(_, off, len)| &self.font[off..off + len])
    }
}

/// The glyph ids a composite glyph refers to.
fn components(glyph: &[u8]) -> Vec<u16> {
    let mut out = Vec::new();
    if glyph.len() < 10 || i16::from_be_bytes([glyph[0], glyph[1]]) >= 0 {
        return out;
    }
    let mut o = 10;
    while let (Some(flags), Some(gid)) = (u16_at(glyph, o), u16_at(glyph, o + 2)) {
        out.push(gid);
        o += 4 + if flags & 0x0001 != 0 { 4 } else { 2 };
        o += if flags & 0x0008 != 0 {
            2
        } else if flags & 0x0040 != 0 {
            4
        } else if flags & 0x0080 != 0 {
            8
        } else {
            0
        };
        if flags & 0x0020 == 0 {
            break;
        }
    }
    out
}

/// A subset of `font` holding `used` glyphs (plus .notdef and composite parts), or `None`
/// when the font is not a glyf-based TrueType font this pass understands.
pub fn subset(font: &[u8], used: &BTreeSet<u16>, keep_cmap: bool) -> Option<Vec<u8>> {
    let t = Tables::parse(font)?;
    let head = t.get(b"head")?;
    let maxp = t.get(b"maxp")?;
    let hhea = t.get(b"hhea")?;
    let hmtx = t.get(b"hmtx")?;
    let loca = t.get(b"loca")?;
    let glyf = t.get(b"glyf")?;
    let long = i16::from_be_bytes([*head.get(50)?, *head.get(51)?]) == 1;
    let num_glyphs = u16_at(maxp, 4)?;
    let glyph = |gid: u16| -> Option<&[u8]> {
        let i = usize::from(gid);
        let (a, b) = if long {
            (
                u32_at(loca, i * 4)? as usize,
                u32_at(loca, i * 4 + 4)? as usize,
            )
        } else {
            (
                usize::from(u16_at(loca, i * 2)?) * 2,
                usize::from(u16_at(loca, i * 2 + 2)?) * 2,
            )
        };
        glyf.get(a..b.max(a))
    };
    // Closure over composite components.
    let mut keep: BTreeSet<u16> = used.iter().copied().filter(|&g| g < num_glyphs).collect();
    keep.insert(0);
    let mut todo: Vec<u16> = keep.iter().copied().collect();
    while let Some(g) = todo.pop() {
        for c in components(glyph(g)?) {
            if c < num_glyphs && keep.insert(c) {
                todo.push(c);
            }
        }
    }
    let count = keep.last().copied().unwrap_or(0) + 1;

    let mut new_glyf = Vec::new();
    let mut new_loca = Vec::with_capacity((usize::from(count) + 1) * 4);
    for gid in 0..count {
        new_loca.extend_from_slice(&(new_glyf.len() as u32).to_be_bytes());
        if keep.contains(&gid) {
            new_glyf.extend_from_slice(glyph(gid)?);
            while new_glyf.len() % 4 != 0 {
                new_glyf.push(0);
            }
        }
    }
    new_loca.extend_from_slice(&(new_glyf.len() as u32).to_be_bytes());

    let metrics = u16_at(hhea, 34)?;
    // Every glyph gets a full metric: with fewer, glyphs past the last one would inherit its
    // advance, which is zeroed when that glyph is unused (monospaced faces have one metric).
    let new_metrics = count;
    let mut new_hmtx = Vec::new();
    for gid in 0..count {
        let (adv, lsb) = if gid < metrics {
            let o = usize::from(gid) * 4;
            (u16_at(hmtx, o)?, u16_at(hmtx, o + 2)?)
        } else {
            let o = usize::from(metrics) * 4 + usize::from(gid - metrics) * 2;
            (
                u16_at(hmtx, usize::from(metrics - 1) * 4)?,
                u16_at(hmtx, o)?,
            )
        };
        // Unused glyphs keep no metrics: the PDF's /W widths are what viewers use.
        let (adv, lsb) = if keep.contains(&gid) {
            (adv, lsb)
        } else {
            (0, 0)
        };
        if gid < new_metrics {
            new_hmtx.extend_from_slice(&adv.to_be_bytes());
        }
        new_hmtx.extend_from_slice(&lsb.to_be_bytes());
    }

    let mut new_head = head.to_vec();
    new_head[8..12].copy_from_slice(&[0; 4]);
    new_head[50..52].copy_from_slice(&1i16.to_be_bytes());
    let mut new_maxp = maxp.to_vec();
    new_maxp[4..6].copy_from_slice(&count.to_be_bytes());
    let mut new_hhea = hhea.to_vec();
    new_hhea[34..36].copy_from_slice(&new_metrics.to_be_bytes());
    // post version 3: no glyph names.
    let mut new_post = t.get(b"post")?.get(..32)?.to_vec();
    new_post[0..4].copy_from_slice(&0x0003_0000u32.to_be_bytes());

    let mut tables: Vec<([u8; 4], Vec<u8>)> = vec![
        (*b"glyf", new_glyf),
        (*b"head", new_head),
        (*b"hhea", new_hhea),
        (*b"hmtx", new_hmtx),
        (*b"loca", new_loca),
        (*b"maxp", new_maxp),
        (*b"post", new_post),
    ];
    // Hinting programs and the small descriptive tables are copied as they are.
    // `cmap` and `name` are kept on request: printpdf maps characters to glyphs through the
    // one and reads the other; a PDF CIDFontType2 needs neither.
    let extra: [&[u8; 4]; 2] = if keep_cmap {
        [b"cmap", b"name"]
    } else {
        [b"OS/2", b"OS/2"]
    };
    for tag in [
        b"OS/2", b"cvt ", b"fpgm", b"prep", b"gasp", extra[0], extra[1],
    ] {
        if let Some(data) = t.get(tag).filter(|_| !tables.iter().any(|t| &t.0 == tag)) {
            tables.push((*tag, data.to_vec()));
        }
    }
    tables.sort_by_key(|t| t.0);
    Some(write_sfnt(&tables))
}

fn write_sfnt(tables: &[([u8; 4], Vec<u8>)]) -> Vec<u8> {
    let n = tables.len() as u16;
    let mut pow = 1u16;
    let mut log = 0u16;
    while pow * 2 <= n {
        pow *= 2;
        log += 1;
    }
    let mut out = Vec::new();
    out.extend_from_slice(&0x0001_0000u32.to_be_bytes());
    out.extend_from_slice(&n.to_be_bytes());
    out.extend_from_slice(&(pow * 16).to_be_bytes());
    out.extend_from_slice(&log.to_be_bytes());
    out.extend_from_slice(&(n * 16 - pow * 16).to_be_bytes());
    let mut offset = 12 + 16 * tables.len();
    let mut head_at = None;
    for (tag, data) in tables {
        out.extend_from_slice(tag);
        out.extend_from_slice(&checksum(data).to_be_bytes());
        out.extend_from_slice(&(offset as u32).to_be_bytes());
        out.extend_from_slice(&(data.len() as u32).to_be_bytes());
        offset += data.len().div_ceil(4) * 4;
    }
    for (tag, data) in tables {
        if tag == b"head" {
            head_at = Some(out.len());
        }
        out.extend_from_slice(data);
        while out.len() % 4 != 0 {
            out.push(0);
        }
    }
    if let Some(h) = head_at {
        let adjust = 0xB1B0_AFBAu32.wrapping_sub(checksum(&out));
        out[h + 8..h + 12].copy_from_slice(&adjust.to_be_bytes());
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn subset_keeps_used_glyphs_and_ids() {
        let font = dejavu::serif::regular();
        let face = ttf_parser::Face::parse(font, 0).unwrap();
        let used: BTreeSet<u16> = "Hello"
            .chars()
            .map(|c| face.glyph_index(c).unwrap().0)
            .collect();
        let sub = subset(font, &used, false).unwrap();
        assert!(sub.len() < font.len() / 10, "{} bytes", sub.len());
        let small = ttf_parser::Face::parse(&sub, 0).unwrap();
        for &g in &used {
            let gid = ttf_parser::GlyphId(g);
            assert_eq!(small.glyph_hor_advance(gid), face.glyph_hor_advance(gid));
            assert!(
                small.glyph_bounding_box(gid).is_some(),
                "outline of glyph {g} kept"
            );
        }
        // An unused glyph is empty.
        let unused = face.glyph_index('Z').unwrap();
        assert!(unused.0 > *used.last().unwrap() || small.glyph_bounding_box(unused).is_none());
    }
}
