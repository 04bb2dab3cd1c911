//! Code blocks: monospaced lines on a shaded background, highlighted (`~~`) lines shaded
//! darker, long lines wrapped with a visible continuation mark.

use super::blocks::{Ctx, Layouter};
use super::boxes::{Draw, Element, Rgb};
use super::fonts::{FaceKey, Family};
use super::theme::Theme;
use crate::model::CodeBlock;

/// The coloured spans of every line of a code block (without newlines), from the block's
/// shared highlighting ([`CodeBlock::tokens`], computed once for all outputs), whole-block so
/// that multi-line strings and comments keep their colour. Unknown languages get one colour.
pub fn highlight_lines(code: &CodeBlock, theme: &Theme) -> Vec<Vec<(Rgb, String)>> {
    let rgb = |kind: crate::highlight::TokenKind| {
        let (r, g, b) = kind.print_rgb();
        [r as f32 / 255.0, g as f32 / 255.0, b as f32 / 255.0]
    };
    let text = code.text.strip_suffix('\n').unwrap_or(&code.text);
    let highlighted = code
        .tokens()
        .and_then(|tokens| crate::highlight::lines(&tokens, &code.text));
    match highlighted {
        Some(lines) => lines
            .into_iter()
            .map(|line| {
                line.into_iter()
                    .map(|(kind, span)| (rgb(kind), span.replace('\t', "    ")))
                    .collect()
            })
            .collect(),
        None => text
            .split('\n')
            .map(|line| vec![(theme.colors.code_text, line.replace('\t', "    "))])
            .collect(),
    }
}

/// Splits a line of `chars` into pieces of at most `max` characters, preferring to break
/// after a space or punctuation in the last 40% of the piece.
fn wrap(chars: &[char], max: usize) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut start = 0;
    let max = max.max(8);
    while chars.len() - start > max {
        let limit = start + max;
        let soft = (start + max * 6 / 10..limit)
            .rev()
            .find(|&i| matches!(chars[i], ' ' | ',' | '(' | '.' | '/' | '=' | ';'))
            .map(|i| i + 1);
        let end = soft.unwrap_or(limit);
        out.push((start, end));
        start = end;
    }
    out.push((start, chars.len()));
    out
}

impl Layouter<'_> {
    /// Lays out a code block; one element per visual line.
    pub fn code_block(&mut self, code: &CodeBlock, ctx: &Ctx, out: &mut Vec<Element>) {
        let t = self.theme;
        let (pad, colors) = (t.code.pad, &t.colors);
        let size = ctx.size * t.code.block_factor;
        let leading = size * t.code.leading_factor;
        let face = FaceKey::regular(Family::Mono);
        let cw = self.fonts.width(face, "0") * size;
        let mark = "\u{21AA} ";
        let cols = ((ctx.width - 2.0 * pad) / cw).floor() as usize;
        let text = code.text.strip_suffix('\n').unwrap_or(&code.text);
        let start = out.len();
        let mut coloured = highlight_lines(code, t).into_iter();
        for n in 0..text.split('\n').count() {
            let highlighted = code.highlighted.contains(&(n + 1));
            let spans = coloured.next().unwrap_or_default();
            // Characters with their colours, so wrapping can cut through spans.
            let chars: Vec<(char, Rgb)> = spans
                .iter()
                .flat_map(|(c, s)| s.chars().map(move |ch| (ch, *c)))
                .collect();
            let plain: Vec<char> = chars.iter().map(|c| c.0).collect();
            let first_cols = cols;
            let pieces = if plain.len() <= first_cols {
                vec![(0, plain.len())]
            } else {
                // Continuation lines lose two columns to the mark.
                let mut v = wrap(&plain, first_cols);
                if v.len() > 1 {
                    let rest_start = v[0].1;
                    v.truncate(1);
                    v.extend(
                        wrap(&plain[rest_start..], cols.saturating_sub(2))
                            .into_iter()
                            .map(|(a, b)| (a + rest_start, b + rest_start)),
                    );
                }
                v
            };
            for (pi, (a, b)) in pieces.into_iter().enumerate() {
                let mut e = Element::new(leading);
                e.draws.push(Draw::Rect {
                    x: ctx.x,
                    y: 0.0,
                    w: ctx.width,
                    h: leading,
                    color: if highlighted {
                        colors.code_highlight
                    } else {
                        colors.code_background
                    },
                });
                let mut x = ctx.x + pad;
                let baseline = size;
                if pi > 0 {
                    self.mono_text(mark, colors.code_mark, x, baseline, size, &mut e);
                    x += 2.0 * cw;
                }
                // Group consecutive characters of one colour into one run.
                let mut i = a;
                while i < b {
                    let color = chars[i].1;
                    let mut j = i;
                    while j < b && chars[j].1 == color {
                        j += 1;
                    }
                    let s: String = plain[i..j].iter().collect();
                    self.mono_text(&s, color, x + (i - a) as f32 * cw, baseline, size, &mut e);
                    i = j;
                }
                out.push(e);
            }
        }
        let n = out.len() - start;
        if n == 0 {
            return;
        }
        for (i, e) in out[start..].iter_mut().enumerate() {
            e.break_before = i == 0 || (i >= 2 && i + 2 <= n);
        }
        // Padding above the first and below the last line, inside the shading.
        let first = &mut out[start];
        first.height += pad;
        for d in &mut first.draws {
            match d {
                Draw::Rect { h, .. } => *h += pad,
                other => other.shift(0.0, pad),
            }
        }
        let last = out.last_mut().expect("n > 0");
        last.height += pad;
        if let Some(Draw::Rect { h, .. }) = last.draws.first_mut() {
            *h += pad;
        }
    }

    /// Draws monospaced text, falling back per character to faces that have the glyph; each
    /// fallback run stays on the monospace grid.
    fn mono_text(&mut self, s: &str, color: Rgb, x: f32, y: f32, size: f32, e: &mut Element) {
        let face = FaceKey::regular(Family::Mono);
        let cw = self.fonts.width(face, "0") * size;
        let mut run = String::new();
        let mut run_face = face;
        let mut run_col = 0;
        let mut missing = Vec::new();
        let node = self.structure.current();
        let mut flush =
            |run: &mut String, f: FaceKey, col: usize, fonts: &mut super::fonts::FontSet| {
                if run.trim().is_empty() {
                    run.clear();
                    return;
                }
                let shaped = fonts.shape(f, run);
                e.draws.push(Draw::Text {
                    x: x + col as f32 * cw,
                    y,
                    face: f,
                    size,
                    color,
                    text: std::mem::take(run),
                    glyphs: Some(shaped.glyphs),
                    width: shaped.width * size,
                    node,
                });
            };
        for (col, c) in s.chars().enumerate() {
            let (f, c) = match self.fonts.resolve(face, c) {
                Some(f) => (f, c),
                None => {
                    missing.push(c);
                    (FaceKey::regular(Family::Sans), '\u{FFFD}')
                }
            };
            if f != run_face || (f != face && !run.is_empty()) {
                flush(&mut run, run_face, run_col, self.fonts);
                run_face = f;
                run_col = col;
            }
            if run.is_empty() {
                run_col = col;
            }
            run.push(c);
        }
        flush(&mut run, run_face, run_col, self.fonts);
        for c in missing {
            self.fonts.missing.record(c, 1, Some(&self.source), s);
        }
    }
}
