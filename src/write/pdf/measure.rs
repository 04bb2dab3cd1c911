//! Measure: inline content becomes Knuth-Plass items (boxes, glue, penalties) with widths
//! from the fonts, hyphenation points, and break opportunities inside long words and URLs.

use std::rc::Rc;

use hyphenation::{Hyphenator, Standard};

use super::boxes::{Footnote, Style};
use super::fonts::{FaceKey, FontSet, Glyphs, ShapedGlyph};

/// Penalty that forbids a break.
pub const INF: f32 = 10_000.0;

/// A piece of text in one face: the content of a box.
#[derive(Debug, Clone)]
pub struct Piece {
    /// The characters (all present in `face`).
    pub text: String,
    /// Face resolved for these characters (may differ from `style.face` by fallback).
    pub face: FaceKey,
    /// The shaped glyphs (what is measured is what is drawn).
    pub glyphs: Glyphs,
    /// The style.
    pub style: Rc<Style>,
    /// The footnote this piece refers to, if it is a footnote mark.
    pub footnote: Option<Rc<Footnote>>,
}

/// A Knuth-Plass item.
#[derive(Debug, Clone)]
pub enum Item {
    /// Unbreakable material.
    Box {
        /// Width in pt.
        width: f32,
        /// What to draw.
        piece: Piece,
    },
    /// Stretchable space; a break may happen here when it follows a box.
    Glue {
        /// Natural width.
        width: f32,
        /// Stretchability.
        stretch: f32,
        /// Shrinkability.
        shrink: f32,
        /// Style of the space (links and strikes continue across it).
        style: Rc<Style>,
    },
    /// A possible break with a cost; `flagged` ones are hyphens (drawn when taken).
    Penalty {
        /// Width added when the break is taken (the hyphen).
        width: f32,
        /// Cost; `-INF` forces, `INF` forbids.
        penalty: f32,
        /// Hyphen break.
        flagged: bool,
        /// Style of the hyphen drawn when taken.
        style: Rc<Style>,
    },
}

impl Item {
    /// Natural width.
    pub fn width(&self) -> f32 {
        match self {
            Item::Box { width, .. } | Item::Glue { width, .. } => *width,
            Item::Penalty { .. } => 0.0,
        }
    }
}

/// Flattened inline content, before measuring.
#[derive(Debug, Clone)]
pub enum Atom {
    /// Text without breaking spaces.
    Text(String, Rc<Style>),
    /// An inter-word space.
    Space(Rc<Style>),
    /// A forced line break.
    HardBreak(Rc<Style>),
    /// A footnote mark.
    Note(String, Rc<Style>, Rc<Footnote>),
}

/// A character the fonts cannot show.
pub struct Missing {
    /// The character.
    pub c: char,
    /// The word it appeared in.
    pub context: String,
}

/// Turns atoms into items. `hyphenator` is `None` for unhyphenated text (code, tables).
pub fn items(
    atoms: &[Atom],
    fonts: &mut FontSet,
    hyphenator: Option<&Standard>,
    line_width: f32,
    missing: &mut Vec<Missing>,
) -> Vec<Item> {
    let mut out = Vec::new();
    for atom in atoms {
        match atom {
            Atom::Text(text, style) => push_word(
                &mut out, text, style, fonts, hyphenator, line_width, missing,
            ),
            Atom::Space(style) => {
                let w = fonts.width(style.face, " ") * style.size;
                // Avoid a break at a space that directly follows another one.
                if matches!(out.last(), Some(Item::Glue { .. }) | None) {
                    continue;
                }
                out.push(Item::Glue {
                    width: w,
                    // Interword glue in TeX's proportions (stretch 1/2, shrink 1/3).
                    stretch: w * 0.5,
                    shrink: w * 0.33,
                    style: style.clone(),
                });
            }
            Atom::HardBreak(style) => {
                if matches!(out.last(), Some(Item::Glue { .. })) {
                    out.pop();
                }
                out.push(fill_glue(style));
                out.push(Item::Penalty {
                    width: 0.0,
                    penalty: -INF,
                    flagged: false,
                    style: style.clone(),
                });
            }
            Atom::Note(mark, style, note) => {
                let shaped = fonts.shape(style.face, mark);
                out.push(Item::Box {
                    width: shaped.width * style.size,
                    piece: Piece {
                        text: mark.clone(),
                        face: style.face,
                        glyphs: shaped.glyphs,
                        style: style.clone(),
                        footnote: Some(note.clone()),
                    },
                });
            }
        }
    }
    while matches!(out.last(), Some(Item::Glue { .. })) {
        out.pop();
    }
    out
}

/// The glue and forced break that end a paragraph.
pub fn finish(items: &mut Vec<Item>, style: &Rc<Style>) {
    items.push(fill_glue(style));
    items.push(Item::Penalty {
        width: 0.0,
        penalty: -INF,
        flagged: false,
        style: style.clone(),
    });
}

fn fill_glue(style: &Rc<Style>) -> Item {
    Item::Glue {
        width: 0.0,
        stretch: 100_000.0,
        shrink: 0.0,
        style: style.clone(),
    }
}

/// Characters after which a long word (URL, path, identifier) may break without a hyphen.
fn soft_break_after(c: char) -> bool {
    matches!(
        c,
        '/' | '.' | '_' | '?' | '&' | '=' | '-' | ',' | ':' | ';' | '(' | '\u{2014}'
    )
}

#[allow(clippy::too_many_arguments)]
fn push_word(
    out: &mut Vec<Item>,
    text: &str,
    style: &Rc<Style>,
    fonts: &mut FontSet,
    hyphenator: Option<&Standard>,
    line_width: f32,
    missing: &mut Vec<Missing>,
) {
    if text.is_empty() {
        return;
    }
    // Hyphenation points (byte offsets) of purely alphabetic words.
    let mut breaks: Vec<(usize, bool, f32)> = Vec::new();
    // Code is never hyphenated: a hyphen would read as part of it.
    let hyphenator = hyphenator.filter(|_| style.face.family != super::fonts::Family::Mono);
    if let Some(h) = hyphenator {
        // The word without surrounding punctuation ("community," -> "community").
        let start = text.find(char::is_alphabetic).unwrap_or(text.len());
        let end = text
            .char_indices()
            .rev()
            .find(|(_, c)| c.is_alphabetic())
            .map_or(start, |(i, c)| i + c.len_utf8());
        let core = &text[start..end.max(start)];
        let letters = core.chars().count();
        // Words longer than any dictionary word are not hyphenated (they are broken between
        // characters below, if they must be): the patterns would only cost time.
        if (5..=64).contains(&letters) && core.chars().all(char::is_alphabetic) {
            let lower = core.to_lowercase();
            // Lower-casing keeps byte offsets unless it changes lengths (rare, non-ASCII).
            if lower.len() == core.len() {
                for b in h.hyphenate(&lower).breaks {
                    // At least two letters on each side of the hyphen.
                    if b >= 2 && core.is_char_boundary(b) && b + 2 <= core.len() {
                        breaks.push((start + b, true, 50.0));
                    }
                }
            }
        }
    }
    // (A text of hundreds of bytes is long whatever its letters; no need to shape it twice.)
    let long = text.len() > 400 || fonts.width(style.face, text) * style.size > line_width * 0.3;
    for (i, c) in text.char_indices() {
        let end = i + c.len_utf8();
        if end < text.len() && soft_break_after(c) {
            if c == '-' {
                breaks.push((end, false, 50.0));
            } else if long {
                breaks.push((end, false, 200.0));
            }
        }
    }
    breaks.sort_by_key(|b| b.0);
    breaks.dedup_by_key(|b| b.0);

    let hyphen_width = fonts.width(style.face, "-") * style.size;
    let mut start = 0;
    for (at, flagged, cost) in breaks.into_iter().chain([(text.len(), false, 0.0)]) {
        push_pieces(out, &text[start..at], style, fonts, line_width, missing);
        if at < text.len() {
            out.push(Item::Penalty {
                width: if flagged { hyphen_width } else { 0.0 },
                penalty: cost,
                flagged,
                style: style.clone(),
            });
        }
        start = at;
    }
}

/// Boxes for a fragment, split where the face changes (fallback fonts) and, for material
/// wider than a line, between characters so that nothing overflows the margin.
fn push_pieces(
    out: &mut Vec<Item>,
    text: &str,
    style: &Rc<Style>,
    fonts: &mut FontSet,
    line_width: f32,
    missing: &mut Vec<Missing>,
) {
    let mut runs: Vec<(FaceKey, String)> = Vec::new();
    for c in text.chars() {
        let (face, c) = match fonts.resolve(style.face, c) {
            Some(face) => (face, c),
            None => {
                // Once per character and word, with a bounded excerpt as context: a megabyte
                // of one unknown character is one warning, not a million copies of the word.
                if !missing.iter().any(|m| m.c == c) {
                    missing.push(Missing {
                        c,
                        context: text.chars().take(40).collect(),
                    });
                }
                (FaceKey::regular(super::fonts::Family::Sans), '\u{FFFD}')
            }
        };
        match runs.last_mut() {
            Some((f, s)) if *f == face => s.push(c),
            _ => runs.push((face, c.to_string())),
        }
    }
    for (face, run) in runs {
        let shaped = fonts.shape(face, &run);
        let width = shaped.width * style.size;
        if width <= line_width {
            out.push(Item::Box {
                width,
                piece: Piece {
                    text: run,
                    face,
                    glyphs: shaped.glyphs,
                    style: style.clone(),
                    footnote: None,
                },
            });
            continue;
        }
        // Overfull material: broken between characters, in chunks of about a tenth of the
        // line with costly breaks between them (one box per character made a megabyte-long
        // token into millions of items). The glyphs are the run's own, cut at character
        // boundaries, so nothing is shaped twice and the cost stays linear.
        let chunk = line_width / 10.0;
        let glyphs = &shaped.glyphs;
        let mut first = 0;
        let mut acc = 0.0;
        for i in 0..=glyphs.len() {
            let at_boundary = i == glyphs.len()
                || (i > first
                    && glyphs[i].cluster != glyphs[i - 1].cluster
                    && acc * style.size >= chunk);
            if at_boundary && i > first {
                let from = glyphs[first].cluster as usize;
                let to = glyphs.get(i).map_or(run.len(), |g| g.cluster as usize);
                if first > 0 {
                    out.push(Item::Penalty {
                        width: 0.0,
                        penalty: 900.0,
                        flagged: false,
                        style: style.clone(),
                    });
                }
                let piece_glyphs: Glyphs = glyphs[first..i]
                    .iter()
                    .map(|g| ShapedGlyph {
                        cluster: g.cluster - from as u32,
                        ..*g
                    })
                    .collect();
                out.push(Item::Box {
                    width: acc * style.size,
                    piece: Piece {
                        text: run[from..to.max(from)].to_string(),
                        face,
                        glyphs: piece_glyphs,
                        style: style.clone(),
                        footnote: None,
                    },
                });
                first = i;
                acc = 0.0;
            }
            if let Some(g) = glyphs.get(i) {
                acc += g.advance;
            }
        }
    }
}
