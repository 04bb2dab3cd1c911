//! Measure: inline content becomes Knuth-Plass items (boxes, glue, penalties) with widths
//! from the fonts, hyphenation points, break opportunities inside long words and URLs, and
//! the Unicode (UAX #14) opportunities between ideographs, with their bidi levels.

use std::rc::Rc;

use unicode_linebreak::{BreakClass, break_property};

use super::bidi;
use super::boxes::{Footnote, Style};
use super::fonts::{FaceKey, FontSet, Glyphs, ShapedGlyph};
use super::hyphen::Hyphenator;

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
    /// Bidi embedding level (odd: right to left; the glyphs are already in visual order).
    pub level: u8,
}

/// A Knuth-Plass item.
#[derive(Debug, Clone)]
#[non_exhaustive]
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
        /// Bidi embedding level.
        level: u8,
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
#[non_exhaustive]
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
    /// How often it occurs in the paragraph.
    pub count: usize,
    /// The word it first appeared in.
    pub context: String,
}

/// What stands for a forced line break in the text given to the bidi algorithm (a line
/// separator: white space that does not end the paragraph).
const LINE_SEPARATOR: &str = "\u{2028}";

/// The paragraph's text as the bidi algorithm sees it, atom by atom.
fn paragraph_text(atoms: &[Atom]) -> String {
    let mut text = String::new();
    for atom in atoms {
        match atom {
            Atom::Text(t, _) | Atom::Note(t, _, _) => text.push_str(t),
            Atom::Space(_) => text.push(' '),
            Atom::HardBreak(_) => text.push_str(LINE_SEPARATOR),
        }
    }
    text
}

/// Turns atoms into items. `hyphenator` is `None` for unhyphenated text (code, tables);
/// `rtl_default` makes text without a strong character right to left (the document's or the
/// enclosing block's direction).
pub fn items(
    atoms: &[Atom],
    fonts: &mut FontSet,
    hyphenator: Option<&Hyphenator>,
    line_width: f32,
    missing: &mut Vec<Missing>,
    rtl_default: bool,
) -> Vec<Item> {
    let mut out = Vec::new();
    let levels = bidi::levels(&paragraph_text(atoms), rtl_default);
    let mut at = 0;
    for atom in atoms {
        let level = levels
            .as_ref()
            .map_or(0, |l| l.get(at).copied().unwrap_or(0));
        match atom {
            Atom::Text(text, style) => {
                let word = Word {
                    text,
                    levels: levels.as_ref().map(|l| &l[at..at + text.len()]),
                    style,
                };
                at += text.len();
                push_word(&mut out, &word, fonts, hyphenator, line_width, missing);
            }
            Atom::Space(style) => {
                at += 1;
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
                    level,
                });
            }
            Atom::HardBreak(style) => {
                at += LINE_SEPARATOR.len();
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
                at += mark.len();
                let shaped = fonts.shape(style.face, mark);
                out.push(Item::Box {
                    width: shaped.width * style.size,
                    piece: Piece {
                        text: mark.clone(),
                        face: style.face,
                        glyphs: shaped.glyphs,
                        style: style.clone(),
                        footnote: Some(note.clone()),
                        level,
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
        level: 0,
    }
}

/// Characters after which a long word (URL, path, identifier) may break without a hyphen.
fn soft_break_after(c: char) -> bool {
    matches!(
        c,
        '/' | '.' | '_' | '?' | '&' | '=' | '-' | ',' | ':' | ';' | '(' | '\u{2014}'
    )
}

/// A word (text between spaces) with its bidi levels by byte (`None`: all left to right).
struct Word<'a> {
    text: &'a str,
    levels: Option<&'a [u8]>,
    style: &'a Rc<Style>,
}

impl Word<'_> {
    fn level(&self, at: usize) -> u8 {
        self.levels.map_or(0, |l| l.get(at).copied().unwrap_or(0))
    }
}

/// How a word may break at a place inside it.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Inside {
    /// With a hyphen (hyphenation point).
    Hyphen,
    /// Without a hyphen, at a cost (after a hyphen, a slash in a URL).
    Soft(f32),
    /// Between ideographs (UAX #14): free, and a little stretch for justification.
    Ideographic,
}

/// Hyphenation points (byte offsets) of the word's letters, without surrounding punctuation
/// ("community," -> "community"). Code is never hyphenated: a hyphen would read as part of it.
fn hyphenation_points(word: &Word, hyphenator: Option<&Hyphenator>) -> Vec<usize> {
    let text = word.text;
    let Some(h) = hyphenator.filter(|_| word.style.face.family != super::fonts::Family::Mono)
    else {
        return Vec::new();
    };
    let start = text.find(char::is_alphabetic).unwrap_or(text.len());
    let end = text
        .char_indices()
        .rev()
        .find(|(_, c)| c.is_alphabetic())
        .map_or(start, |(i, c)| i + c.len_utf8());
    let core = &text[start..end.max(start)];
    let letters = core.chars().count();
    // Words longer than any dictionary word are not hyphenated (they are broken between
    // characters, if they must be): the patterns would only cost time.
    if !(5..=64).contains(&letters) || !core.chars().all(char::is_alphabetic) {
        return Vec::new();
    }
    h.breaks(core).iter().map(|b| start + b).collect()
}

fn push_word(
    out: &mut Vec<Item>,
    word: &Word,
    fonts: &mut FontSet,
    hyphenator: Option<&Hyphenator>,
    line_width: f32,
    missing: &mut Vec<Missing>,
) {
    let (text, style) = (word.text, word.style);
    if text.is_empty() {
        return;
    }
    let mut breaks: Vec<(usize, Inside)> = hyphenation_points(word, hyphenator)
        .into_iter()
        .map(|b| (b, Inside::Hyphen))
        .collect();
    // (A text of hundreds of bytes is long whatever its letters; no need to shape it twice.)
    let long = text.len() > 400 || fonts.width(style.face, text) * style.size > line_width * 0.3;
    for (i, c) in text.char_indices() {
        let end = i + c.len_utf8();
        if end < text.len() && soft_break_after(c) {
            if c == '-' {
                breaks.push((end, Inside::Soft(50.0)));
            } else if long {
                breaks.push((end, Inside::Soft(200.0)));
            }
        }
    }
    breaks.extend(
        crate::write::breaks::inside_word(text)
            .into_iter()
            .map(|at| (at, Inside::Ideographic)),
    );
    breaks.sort_by_key(|b| b.0);
    breaks.dedup_by_key(|b| b.0);

    let hyphen_width = fonts.width(style.face, "-") * style.size;
    let mut start = 0;
    for (at, inside) in breaks.into_iter().chain([(text.len(), Inside::Soft(0.0))]) {
        push_pieces(out, word, start..at, fonts, line_width, missing);
        if at >= text.len() {
            break;
        }
        out.push(match inside {
            Inside::Ideographic => Item::Glue {
                width: 0.0,
                stretch: style.size * 0.05,
                shrink: 0.0,
                style: style.clone(),
                level: word.level(at),
            },
            Inside::Hyphen => Item::Penalty {
                width: hyphen_width,
                penalty: 50.0,
                flagged: true,
                style: style.clone(),
            },
            Inside::Soft(cost) => Item::Penalty {
                width: 0.0,
                penalty: cost,
                flagged: false,
                style: style.clone(),
            },
        });
        start = at;
    }
}

/// True for characters that belong to the preceding base character (combining marks, vowel
/// signs, joiners, variation selectors): they stay in its face when it has them.
fn attaches(c: char) -> bool {
    // (Nothing below the combining diacritics attaches; most text is answered here.)
    u32::from(c) >= 0x300
        && matches!(
            break_property(u32::from(c)),
            BreakClass::CombiningMark | BreakClass::ZeroWidthJoiner
        )
}

/// Boxes for a fragment of a word, split where the face or the bidi level changes (fallback
/// fonts, mixed directions) and, for material wider than a line, between characters so that
/// nothing overflows the margin.
fn push_pieces(
    out: &mut Vec<Item>,
    word: &Word,
    range: std::ops::Range<usize>,
    fonts: &mut FontSet,
    line_width: f32,
    missing: &mut Vec<Missing>,
) {
    let style = word.style;
    let text = &word.text[range.clone()];
    let mut runs: Vec<(FaceKey, u8, String)> = Vec::new();
    for (i, c) in text.char_indices() {
        let level = word.level(range.start + i);
        let previous = runs.last().map(|r| r.0);
        let stays = previous.filter(|&f| attaches(c) && fonts.face(f).glyph(c).is_some());
        let (face, c) = match stays.or_else(|| fonts.resolve(style.face, c)) {
            Some(face) => (face, c),
            None => {
                // Counted per character, with a bounded excerpt as context: a megabyte of
                // one unknown character is one entry, not a million copies of the word.
                match missing.iter_mut().find(|m| m.c == c) {
                    Some(m) => m.count += 1,
                    None => missing.push(Missing {
                        c,
                        count: 1,
                        context: word.text.chars().take(40).collect(),
                    }),
                }
                (FaceKey::regular(super::fonts::Family::Sans), '\u{FFFD}')
            }
        };
        match runs.last_mut() {
            Some((f, l, s)) if *f == face && (*l == level || attaches(c)) => s.push(c),
            _ => runs.push((face, level, c.to_string())),
        }
    }
    for (face, level, run) in runs {
        let shaped = fonts.shape(face, &run);
        let width = shaped.width * style.size;
        // Right-to-left glyphs come in visual order (clusters descending): such a run is
        // kept whole.
        if width <= line_width || level % 2 == 1 {
            out.push(Item::Box {
                width,
                piece: Piece {
                    text: run,
                    face,
                    glyphs: shaped.glyphs,
                    style: style.clone(),
                    footnote: None,
                    level,
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
                        level,
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
