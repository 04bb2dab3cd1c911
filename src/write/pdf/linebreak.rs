//! Break lines: Knuth-Plass optimal breaking over the measured items, with a greedy fallback
//! for material that has no acceptable optimal solution; then assemble each line into draws.

use std::rc::Rc;

use super::boxes::{Draw, Element, Footnote, Style};
use super::measure::{INF, Item, Piece};
use super::structure::NodeId;

/// How lines are set.
#[derive(Debug, Clone, Copy, PartialEq)]
#[non_exhaustive]
pub enum Align {
    /// Justified (last line ragged).
    Justify,
    /// Ragged right.
    Left,
    /// Centred.
    Center,
    /// Flush right.
    Right,
    /// Flush left whatever the direction of the text (the end side of a cell in a
    /// right-to-left table); [`Align::Left`] is the start side of the text's direction.
    FlushLeft,
}

#[derive(Clone)]
struct Node {
    position: usize,
    line: usize,
    fitness: usize,
    total_width: f32,
    total_stretch: f32,
    total_shrink: f32,
    demerits: f32,
    ratio: f32,
    previous: Option<usize>,
}

/// A chosen break: the item index where the line ends and the line's adjustment ratio.
#[derive(Debug, Clone, Copy)]
pub struct Break {
    /// Index of the glue or penalty item where the line breaks.
    pub position: usize,
    /// Adjustment ratio of the line ending here.
    pub ratio: f32,
}

/// Optimal breaks with adjustment ratios in `[-1, tolerance]`, or `None` when none exist.
/// Items must end with a forced break (see `measure::finish`).
pub fn knuth_plass(items: &[Item], width: f32, tolerance: f32) -> Option<Vec<Break>> {
    let n = items.len();
    let (sum_w, sum_y, sum_z) = prefix_sums(items);
    let mut nodes = vec![Node {
        position: 0,
        line: 0,
        fitness: 1,
        total_width: 0.0,
        total_stretch: 0.0,
        total_shrink: 0.0,
        demerits: 0.0,
        ratio: 0.0,
        previous: None,
    }];
    let mut active: Vec<usize> = vec![0];
    for b in 0..n {
        let (penalty, flagged, pwidth) = match &items[b] {
            Item::Penalty {
                penalty,
                flagged,
                width,
                ..
            } => {
                if *penalty >= INF {
                    continue;
                }
                (*penalty, *flagged, *width)
            }
            Item::Glue { .. } if b > 0 && matches!(items[b - 1], Item::Box { .. }) => {
                (0.0, false, 0.0)
            }
            _ => continue,
        };
        // Best new node per fitness class.
        let mut best: [Option<(f32, usize, f32)>; 4] = [None; 4];
        let mut keep = Vec::with_capacity(active.len());
        for &a in &active {
            let node = &nodes[a];
            let w = sum_w[b] - node.total_width + pwidth;
            let ratio = if (w - width).abs() < 0.01 {
                0.0
            } else if w < width {
                let y = sum_y[b] - node.total_stretch;
                if y > 0.0 { (width - w) / y } else { INF }
            } else {
                let z = sum_z[b] - node.total_shrink;
                if z > 0.0 { (width - w) / z } else { -INF }
            };
            if ratio < -1.0 || penalty <= -INF {
                // Deactivate: the line from here is already too long (or a forced break).
            } else {
                keep.push(a);
            }
            if ratio >= -1.0 && ratio <= tolerance {
                // TeX's \doublehyphendemerits: two hyphenated lines in a row.
                let double_hyphen =
                    flagged && matches!(items[node.position], Item::Penalty { flagged: true, .. });
                let (d, fitness) = demerits(ratio, penalty, double_hyphen, node.fitness);
                let total = node.demerits + d;
                if best[fitness].is_none_or(|(bd, _, _)| total < bd) {
                    best[fitness] = Some((total, a, ratio));
                }
            }
        }
        active = keep;
        // Totals after the break: skip glue and penalties that start the next line.
        let mut after = b;
        while after < n {
            match &items[after] {
                Item::Box { .. } => break,
                Item::Penalty { penalty, .. } if *penalty <= -INF && after > b => break,
                _ => after += 1,
            }
        }
        for (fitness, entry) in best.iter().enumerate() {
            if let Some((demerits, prev, ratio)) = entry {
                nodes.push(Node {
                    position: b,
                    line: nodes[*prev].line + 1,
                    fitness,
                    total_width: sum_w[after],
                    total_stretch: sum_y[after],
                    total_shrink: sum_z[after],
                    demerits: *demerits,
                    ratio: *ratio,
                    previous: Some(*prev),
                });
                active.push(nodes.len() - 1);
            }
        }
        if active.is_empty() {
            return None;
        }
    }
    let last = active
        .iter()
        .copied()
        .filter(|&a| nodes[a].position == n - 1)
        .min_by(|&a, &b| nodes[a].demerits.total_cmp(&nodes[b].demerits))?;
    Some(breaks_to(&nodes, last))
}

/// Running totals of width, stretch and shrink: entry `i` sums the items before `i`.
fn prefix_sums(items: &[Item]) -> (Vec<f32>, Vec<f32>, Vec<f32>) {
    let n = items.len();
    let (mut sum_w, mut sum_y, mut sum_z) = (
        vec![0.0f32; n + 1],
        vec![0.0f32; n + 1],
        vec![0.0f32; n + 1],
    );
    for (i, item) in items.iter().enumerate() {
        let (w, y, z) = match item {
            Item::Box { width, .. } => (*width, 0.0, 0.0),
            Item::Glue {
                width,
                stretch,
                shrink,
                ..
            } => (*width, *stretch, *shrink),
            Item::Penalty { .. } => (0.0, 0.0, 0.0),
        };
        sum_w[i + 1] = sum_w[i] + w;
        sum_y[i + 1] = sum_y[i] + y;
        sum_z[i + 1] = sum_z[i] + z;
    }
    (sum_w, sum_y, sum_z)
}

/// The demerits of a line with adjustment `ratio` ending at a break of `penalty`, and its
/// fitness class (0 tight .. 3 very loose); `previous_fitness` is the line before's.
fn demerits(
    ratio: f32,
    penalty: f32,
    double_hyphen: bool,
    previous_fitness: usize,
) -> (f32, usize) {
    let badness = 100.0 * ratio.abs().powi(3);
    let mut d = (10.0 + badness).powi(2);
    if penalty >= 0.0 {
        d += penalty * penalty;
    } else if penalty > -INF {
        d -= penalty * penalty;
    }
    if double_hyphen {
        d += 10_000.0;
    }
    let fitness: usize = if ratio < -0.5 {
        0
    } else if ratio <= 0.5 {
        1
    } else if ratio <= 1.0 {
        2
    } else {
        3
    };
    if fitness.abs_diff(previous_fitness) > 1 {
        d += 100.0;
    }
    (d, fitness)
}

/// The breaks of the path of nodes that ends at `last`, first line first.
fn breaks_to(nodes: &[Node], last: usize) -> Vec<Break> {
    let mut out = Vec::new();
    let mut cur = Some(last);
    while let Some(i) = cur {
        if nodes[i].previous.is_some() {
            out.push(Break {
                position: nodes[i].position,
                ratio: nodes[i].ratio,
            });
        }
        cur = nodes[i].previous;
    }
    out.reverse();
    out
}

/// First-fit breaking: used only when no optimal solution exists (overfull material). Since
/// measure splits boxes wider than a line, every line fits.
pub fn greedy(items: &[Item], width: f32) -> Vec<Break> {
    let mut out = Vec::new();
    let mut line_start = 0;
    let mut last_break: Option<usize> = None;
    let mut w = 0.0;
    let mut i = 0;
    while i < items.len() {
        let breakable = match &items[i] {
            Item::Glue { .. } => i > 0 && matches!(items[i - 1], Item::Box { .. }),
            Item::Penalty { penalty, .. } => *penalty < INF,
            Item::Box { .. } => false,
        };
        let forced = matches!(&items[i], Item::Penalty { penalty, .. } if *penalty <= -INF);
        let extra = match &items[i] {
            Item::Penalty { width, .. } => *width,
            _ => 0.0,
        };
        if breakable && w + extra <= width + 0.01 {
            last_break = Some(i);
        }
        if forced {
            out.push(Break {
                position: i,
                ratio: 0.0,
            });
            w = 0.0;
            line_start = i + 1;
            last_break = None;
            i += 1;
            continue;
        }
        w += items[i].width();
        if w > width + 0.01
            && !matches!(items[i], Item::Glue { .. })
            && let Some(b) = last_break.filter(|&b| b >= line_start)
        {
            out.push(Break {
                position: b,
                ratio: 0.0,
            });
            // Restart measuring after the break (skip discardable items).
            let mut j = b + 1;
            while j < items.len() && !matches!(items[j], Item::Box { .. }) {
                if matches!(&items[j], Item::Penalty { penalty, .. } if *penalty <= -INF) {
                    break;
                }
                j += 1;
            }
            line_start = j;
            last_break = None;
            w = 0.0;
            i = j;
            continue;
        }
        i += 1;
    }
    out
}

/// Lines of a paragraph, assembled: one element per line (height `leading`), with
/// glyph runs, strike-outs and link areas. `x0` is the left edge of the text.
pub fn set_lines(
    items: &[Item],
    breaks: &[Break],
    width: f32,
    x0: f32,
    align: Align,
) -> Vec<Element> {
    let mut out = Vec::new();
    let mut start = 0;
    let rtl = is_right_to_left(items);
    for (li, brk) in breaks.iter().enumerate() {
        // Skip discardable items at the start of the line.
        while start < brk.position && !matches!(items[start], Item::Box { .. }) {
            start += 1;
        }
        let line = &items[start..brk.position];
        let last_line = li + 1 == breaks.len();
        let hyphen = match &items[brk.position] {
            Item::Penalty {
                flagged: true,
                style,
                width,
                ..
            } => Some((style.clone(), *width)),
            _ => None,
        };
        let hyphen_width = hyphen.as_ref().map_or(0.0, |h| h.1);
        let forced_end =
            matches!(&items[brk.position], Item::Penalty { penalty, .. } if *penalty <= -INF);
        let stretches = align == Align::Justify && !forced_end && !last_line;
        let ratio = adjustment_ratio(line, hyphen_width, width, stretches);
        let set_width = set_width(line, ratio, hyphen_width);
        let mut x = x0
            + match align {
                Align::Center => ((width - set_width) / 2.0).max(0.0),
                Align::Right => (width - set_width).max(0.0),
                Align::Left | Align::Justify if rtl => (width - set_width).max(0.0),
                _ => 0.0,
            };
        let base_size = line_size(line, items.get(brk.position));
        let leading = base_size * 1.3;
        let baseline = base_size * 0.98;
        let mut el = Element::new(leading);
        let mut link_run: LinkRun = None;
        let mut flush_link = |el: &mut Element, run: &mut LinkRun| {
            if let Some((lx, rx, target, node)) = run.take() {
                el.draws.push(Draw::Link {
                    x: lx,
                    y: 0.0,
                    w: rx - lx,
                    h: leading,
                    target,
                    node,
                });
            }
        };
        let mut notes: Vec<Rc<Footnote>> = Vec::new();
        for item in visual_order(line) {
            match item {
                Item::Box { width, piece } => {
                    let style = &piece.style;
                    push_word(&mut el, piece, x, baseline, *width);
                    if let Some(note) = &piece.footnote {
                        notes.push(note.clone());
                    }
                    extend_link(&mut el, &mut link_run, style, x, x + width, &mut flush_link);
                    x += width;
                }
                Item::Glue {
                    width,
                    stretch,
                    shrink,
                    style,
                    ..
                } => {
                    let w = if *stretch < 1000.0 {
                        glue_width(ratio, *width, *stretch, *shrink)
                    } else {
                        0.0
                    };
                    if style.link.is_some() && link_run.is_some() {
                        extend_link(&mut el, &mut link_run, style, x, x + w, &mut flush_link);
                    }
                    x += w;
                }
                Item::Penalty { .. } => {}
            }
        }
        if let Some((style, w)) = hyphen {
            el.draws.push(hyphen_draw(&style, x, baseline, w));
        }
        flush_link(&mut el, &mut link_run);
        el.footnotes = notes;
        out.push(el);
        start = brk.position + 1;
    }
    out
}

/// Whether a paragraph is right to left (all of it at level 1 or above): it is set flush right.
fn is_right_to_left(items: &[Item]) -> bool {
    items
        .iter()
        .filter_map(|i| match i {
            Item::Box { piece, .. } => Some(piece.level),
            _ => None,
        })
        .min()
        .is_some_and(|l| l >= 1)
}

/// The hyphen at the end of a line broken inside a word.
fn hyphen_draw(style: &Style, x: f32, baseline: f32, width: f32) -> Draw {
    Draw::Text {
        x,
        y: baseline - style.rise,
        face: style.face,
        size: style.size,
        color: style.color,
        // A soft hyphen (drawn like "-") tells text extraction the word continues.
        text: "\u{00AD}".into(),
        glyphs: None,
        width,
        node: style.node,
    }
}

/// How much a line's glue stretches (positive) or shrinks (negative, at most -1): it shrinks
/// when it is too long, and stretches only when `stretches` (a justified line that is not the
/// last of its paragraph); glue of a stretch of 1000 or more fills and does not count.
fn adjustment_ratio(line: &[Item], hyphen_width: f32, width: f32, stretches: bool) -> f32 {
    let natural: f32 = line
        .iter()
        .filter(|i| !matches!(i, Item::Penalty { .. }))
        .map(Item::width)
        .sum::<f32>()
        + hyphen_width;
    let (stretch, shrink): (f32, f32) = line.iter().fold((0.0, 0.0), |acc, i| match i {
        Item::Glue {
            stretch, shrink, ..
        } if *stretch < 1000.0 => (acc.0 + stretch, acc.1 + shrink),
        _ => acc,
    });
    let ratio = if natural > width {
        if shrink > 0.0 {
            ((width - natural) / shrink).max(-1.0)
        } else {
            0.0
        }
    } else if stretches && stretch > 0.0 {
        (width - natural) / stretch
    } else {
        0.0
    };
    if ratio.is_finite() { ratio } else { 0.0 }
}

/// The width of a glue of natural width `w`, stretch `y` and shrink `z` set at `ratio`.
fn glue_width(ratio: f32, w: f32, y: f32, z: f32) -> f32 {
    if ratio >= 0.0 {
        w + ratio * y.min(1000.0)
    } else {
        w + ratio * z
    }
}

/// The width of a line's material set at `ratio` (filling glue left out).
fn set_width(line: &[Item], ratio: f32, hyphen_width: f32) -> f32 {
    line.iter()
        .map(|i| match i {
            Item::Box { width, .. } => *width,
            Item::Glue {
                width,
                stretch,
                shrink,
                ..
            } if *stretch < 1000.0 => glue_width(ratio, *width, *stretch, *shrink),
            _ => 0.0,
        })
        .sum::<f32>()
        + hyphen_width
}

/// The font size a line's leading is made from: its largest text not raised or lowered (or
/// raised text's own size), else the size of what the line holds or ends with.
fn line_size(line: &[Item], end: Option<&Item>) -> f32 {
    let max_size = line
        .iter()
        .filter_map(|i| match i {
            Item::Box { piece, .. } => Some(piece.style.size.max(if piece.style.rise != 0.0 {
                0.0
            } else {
                piece.style.size
            })),
            _ => None,
        })
        .fold(0.0f32, f32::max);
    if max_size > 0.0 {
        max_size
    } else {
        match line.first().or(end) {
            Some(Item::Glue { style, .. }) | Some(Item::Penalty { style, .. }) => style.size,
            Some(Item::Box { piece, .. }) => piece.style.size,
            None => 10.0,
        }
    }
}

/// Draws a word at `x` on the line's `baseline`, struck out when its style says so.
fn push_word(el: &mut Element, piece: &Piece, x: f32, baseline: f32, width: f32) {
    let style = &piece.style;
    el.draws.push(Draw::Text {
        x,
        y: baseline - style.rise,
        face: piece.face,
        size: style.size,
        color: style.color,
        text: piece.text.clone(),
        glyphs: Some(piece.glyphs.clone()),
        width,
        node: style.node,
    });
    if style.strike {
        el.draws.push(Draw::Rect {
            x,
            y: baseline - style.size * 0.3,
            w: width,
            h: style.size * 0.06,
            color: style.color,
        });
    }
}

/// The line's items in the order they are drawn, left to right (bidi rule L2 over the
/// pieces' levels; penalties, which draw nothing, go with the item before them).
fn visual_order(line: &[Item]) -> Vec<&Item> {
    let mut level = 0;
    let levels: Vec<u8> = line
        .iter()
        .map(|item| {
            match item {
                Item::Box { piece, .. } => level = piece.level,
                Item::Glue { level: l, .. } => level = *l,
                Item::Penalty { .. } => {}
            }
            level
        })
        .collect();
    if levels.iter().all(|&l| l == 0) {
        return line.iter().collect();
    }
    super::bidi::visual_order(&levels)
        .into_iter()
        .map(|i| &line[i])
        .collect()
}

type LinkRun = Option<(f32, f32, Rc<super::boxes::Target>, Option<NodeId>)>;

fn extend_link(
    el: &mut Element,
    run: &mut LinkRun,
    style: &Style,
    x0: f32,
    x1: f32,
    flush: &mut impl FnMut(&mut Element, &mut LinkRun),
) {
    match (run.as_mut(), &style.link) {
        (Some((_, rx, t, _)), Some(l)) if Rc::ptr_eq(t, l) => *rx = x1,
        (_, Some(l)) => {
            flush(el, run);
            *run = Some((x0, x1, l.clone(), style.node));
        }
        (_, None) => flush(el, run),
    }
}

/// Breaks `items` into lines: optimal first, then looser, then greedy as a last resort.
pub fn break_paragraph(items: &[Item], width: f32, justify: bool) -> Vec<Break> {
    if justify {
        // As TeX: a tight first pass, looser ones only when it finds nothing.
        for tolerance in [1.0, 2.0, 5.0] {
            if let Some(b) = knuth_plass(items, width, tolerance) {
                return b;
            }
        }
    }
    greedy(items, width)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::write::pdf::boxes::{Style, TEXT};
    use crate::write::pdf::fonts::{FaceKey, Family, FontSet};
    use crate::write::pdf::measure::{self, Atom};

    fn paragraph(text: &str, width: f32) -> (Vec<Item>, Vec<Break>) {
        let mut fonts = FontSet::new(None).unwrap();
        let style = Rc::new(Style {
            face: FaceKey::regular(Family::Serif),
            size: 10.0,
            color: TEXT,
            rise: 0.0,
            strike: false,
            link: None,
            node: None,
        });
        let mut atoms = Vec::new();
        for (i, w) in text.split(' ').enumerate() {
            if i > 0 {
                atoms.push(Atom::Space(style.clone()));
            }
            atoms.push(Atom::Text(w.into(), style.clone()));
        }
        let hyph = crate::write::pdf::hyphen::Hyphenator::for_language("en");
        let mut items = measure::items(
            &atoms,
            &mut fonts,
            hyph.as_ref(),
            width,
            &mut Vec::new(),
            false,
        );
        measure::finish(&mut items, &style);
        let breaks = break_paragraph(&items, width, true);
        (items, breaks)
    }

    #[test]
    fn lines_fit_the_measure() {
        let text = "The Python programming language has a global community with millions of software developers who interact online and offline in thousands of virtual and physical locations.";
        let (items, breaks) = paragraph(text, 150.0);
        assert!(breaks.len() >= 5);
        for line in set_lines(&items, &breaks, 150.0, 0.0, Align::Justify) {
            for d in &line.draws {
                if let Draw::Text { x, width, .. } = d {
                    assert!(x + width <= 150.01, "overflow: {}", x + width);
                }
            }
        }
    }

    #[test]
    fn overlong_material_is_broken() {
        let url = "https://example.com/a/very/long/path/without/spaces/that/cannot/fit/on/one/line/at/all.html";
        let (items, breaks) = paragraph(url, 80.0);
        assert!(breaks.len() > 2);
        for line in set_lines(&items, &breaks, 80.0, 0.0, Align::Justify) {
            let right = line.draws.iter().filter_map(|d| match d {
                Draw::Text { x, width, .. } => Some(x + width),
                _ => None,
            });
            assert!(right.fold(0.0f32, f32::max) <= 80.01);
        }
    }
}
