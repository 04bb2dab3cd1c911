//! Front matter of books: the title page and the contents (clickable entries with dot
//! leaders and page numbers).

use std::rc::Rc;

use super::blocks::{Ctx, Layouter};
use super::boxes::{Draw, Element, Style, Target};
use super::fonts::{FaceKey, Family, FontSet, Glyphs, ShapedGlyph};
use super::linebreak::Align;
use super::measure::Atom;
use super::paginate::{Page, paginate};
use super::place::{Furniture, Geometry};
use super::structure::{Role, StructTree};
use super::theme::Theme;
use crate::book::Book;
use crate::diag::Warnings;

/// Destination of the contents page.
pub const CONTENTS_DEST: &str = "bindery-contents";

/// A chapter broken into pages, with its place in the book, for the contents.
pub struct ChapterPages {
    /// Its title.
    pub title: String,
    /// Its slug (the destination of its start).
    pub slug: String,
    /// Its pages.
    pub pages: Vec<Page>,
    /// The title of the part it opens, if it is the first chapter of one.
    pub part: Option<String>,
    /// Its summary number (`2.1.`).
    pub number: Option<String>,
    /// Its nesting depth in the summary.
    pub depth: usize,
    /// Its level in the outline (1 without parts; sections are one below).
    pub level: u8,
}

fn style(family: Family, bold: bool, size: f32, color: [f32; 3]) -> Rc<Style> {
    Rc::new(Style {
        face: FaceKey {
            family,
            bold,
            italic: false,
        },
        size,
        color,
        rise: 0.0,
        strike: false,
        link: None,
        node: None,
    })
}

fn words(text: &str, style: &Rc<Style>) -> Vec<Atom> {
    let mut out = Vec::new();
    for (i, w) in text.split_whitespace().enumerate() {
        if i > 0 {
            out.push(Atom::Space(style.clone()));
        }
        out.push(Atom::Text(w.to_string(), style.clone()));
    }
    out
}

/// Title page and contents pages, with their furniture.
#[allow(clippy::too_many_arguments)]
pub fn front_matter(
    book: &Book,
    chapters: &[ChapterPages],
    geo: &Geometry,
    fonts: &mut FontSet,
    warnings: &mut Warnings,
    structure: &mut StructTree,
    theme: &Theme,
    pages_before: usize,
) -> Vec<(Page, Furniture)> {
    let mut lay = Layouter::new(fonts, warnings, &book.assets, theme, geo.text_w, geo.text_h);
    let (f, c) = (&theme.front, &theme.colors);
    lay.structure = std::mem::take(structure);
    lay.rtl = super::titles::book_is_rtl(book);
    let w = geo.text_w;
    // Title page.
    let mut title_els = vec![Element::new(geo.text_h * f.title_drop_share)];
    let title = super::titles::book_title(book);
    let parts: Vec<(String, Rc<Style>, f32)> = [
        Some((title, style(Family::Sans, true, f.title_size, c.text), 0.0)),
        book.meta.subtitle.clone().map(|s| {
            (
                s,
                style(Family::Sans, false, f.subtitle.0, c.secondary),
                f.subtitle.1,
            )
        }),
        (!book.meta.authors.is_empty()).then(|| {
            (
                book.meta.authors.join(", "),
                style(Family::Serif, false, f.authors.0, c.text),
                f.authors.1,
            )
        }),
        book.meta.date.clone().map(|d| {
            (
                d,
                style(Family::Serif, false, f.date.0, c.secondary),
                f.date.1,
            )
        }),
    ]
    .into_iter()
    .flatten()
    .collect();
    for (i, (text, st, gap)) in parts.into_iter().enumerate() {
        let start = title_els.len();
        // The title is the document's first heading; subtitle, authors and date paragraphs.
        lay.structure.open(if i == 0 {
            Role::Heading(1, text.clone())
        } else {
            Role::Paragraph
        });
        let st = lay.in_current_node(&st);
        lay.set_atoms(
            &words(&text, &st),
            &st,
            0.0,
            w,
            Align::Center,
            false,
            &mut title_els,
        );
        lay.structure.close();
        if let Some(e) = title_els.get_mut(start) {
            e.space_before = gap;
        }
    }
    let mut title_page = paginate(title_els, f32::MAX, &theme.notes);
    let mut out = vec![(title_page.remove(0), Furniture::default())];

    // Contents: iterate until the number of contents pages is stable.
    let mut count = 1;
    loop {
        let pages = contents(
            &mut lay,
            book,
            chapters,
            pages_before + count,
            w,
            geo.text_h,
        );
        if pages.len() == count || count > 50 {
            for (i, p) in pages.into_iter().enumerate() {
                out.push((
                    p,
                    Furniture {
                        header: None,
                        number: Some(pages_before + i + 2),
                    },
                ));
            }
            break;
        }
        count = pages.len();
    }
    *structure = std::mem::take(&mut lay.structure);
    out
}

fn contents(
    lay: &mut Layouter<'_>,
    book: &Book,
    chapters: &[ChapterPages],
    pages_before_chapters: usize,
    w: f32,
    text_h: f32,
) -> Vec<Page> {
    let t = lay.theme;
    let ctx = Ctx {
        x: 0.0,
        width: w,
        size: t.body_size,
        bands: Vec::new(),
        tight: false,
        depth: 0,
        rtl: lay.rtl,
    };
    let mut els = Vec::new();
    lay.structure.open(Role::Heading(1, String::new()));
    lay.heading(
        1,
        &[crate::model::Inline::Text(
            super::titles::contents_heading(book).into(),
        )],
        Some(CONTENTS_DEST.into()),
        &ctx,
        &mut els,
    );
    lay.structure.close();
    lay.structure.open(Role::Contents);
    let entry_style = style(Family::Serif, false, t.body_size, t.colors.text);
    let mut page = 1 + pages_before_chapters + 1;
    let chapter_style = Rc::new(Style {
        face: FaceKey {
            family: Family::Serif,
            bold: true,
            italic: false,
        },
        ..(*entry_style).clone()
    });
    let part_style = Rc::new(Style {
        face: FaceKey {
            family: Family::Sans,
            bold: true,
            italic: false,
        },
        size: t.front.part_size,
        ..(*entry_style).clone()
    });
    for chapter in chapters {
        if let Some(part) = &chapter.part {
            entry(
                lay,
                &mut els,
                part,
                &chapter.slug,
                page,
                0.0,
                &part_style,
                w,
                t.front.part_gap,
            );
        }
        let indent = t.front.section_indent * chapter.depth.min(8) as f32;
        let title = match &chapter.number {
            Some(number) => format!("{number} {}", chapter.title),
            None => chapter.title.clone(),
        };
        entry(
            lay,
            &mut els,
            &title,
            &chapter.slug,
            page,
            indent,
            &chapter_style,
            w,
            t.front.chapter_gap,
        );
        // Sections (one level below the chapter) with the page each starts on.
        for (pi, p) in chapter.pages.iter().enumerate() {
            for (_, e) in &p.elements {
                for a in &e.anchors {
                    if let (Some((level, section)), Some(dest)) = (&a.outline, &a.dest)
                        && *level == chapter.level + 1
                    {
                        entry(
                            lay,
                            &mut els,
                            section,
                            dest,
                            page + pi,
                            indent + t.front.section_indent,
                            &entry_style,
                            w,
                            0.0,
                        );
                    }
                }
            }
        }
        page += chapter.pages.len();
    }
    lay.structure.close();
    paginate(els, text_h, &t.notes)
}

/// One contents line (or more, for long titles): the title, dot leaders and the page
/// number, all clickable. In a right-to-left book the line is mirrored: the title flush
/// right (indented from the right), the page number on the left.
#[allow(clippy::too_many_arguments)]
fn entry(
    lay: &mut Layouter<'_>,
    els: &mut Vec<Element>,
    title: &str,
    dest: &str,
    page: usize,
    indent: f32,
    entry_style: &Rc<Style>,
    w: f32,
    space: f32,
) {
    let t = lay.theme;
    let f = &t.front;
    let size = t.body_size;
    let number_w = f.number_width;
    let start = els.len();
    let target = Rc::new(Target::Dest(dest.to_string()));
    lay.structure.open(Role::ContentsEntry);
    let link = lay.structure.leaf(Role::Link {
        description: title.to_string(),
    });
    lay.structure.close();
    let entry_style = &super::boxes::derive(entry_style, |s| s.node = Some(link));
    let rtl = lay.rtl;
    let (title_x, align) = if rtl {
        (number_w + f.title_gap, Align::Right)
    } else {
        (indent, Align::Left)
    };
    lay.set_atoms(
        &words(title, entry_style),
        entry_style,
        title_x,
        w - number_w - f.title_gap - indent,
        align,
        false,
        els,
    );
    if els.len() == start {
        return;
    }
    let n = els.len() - start;
    for (i, e) in els[start..].iter_mut().enumerate() {
        e.break_before = i == 0;
        e.draws.push(Draw::Link {
            x: 0.0,
            y: 0.0,
            w,
            h: e.height,
            target: target.clone(),
            node: Some(link),
        });
    }
    els[start].space_before = space;
    let last = &mut els[start + n - 1];
    let texts = || {
        last.draws.iter().filter_map(|d| match d {
            Draw::Text { x, width, .. } => Some((*x, x + width)),
            _ => None,
        })
    };
    // Where the title's last line ends (its left edge, right to left).
    let end = if rtl {
        texts().map(|(x, _)| x).fold(w, f32::min)
    } else {
        texts().map(|(_, end)| end).fold(0.0f32, f32::max)
    };
    let baseline = size * t.baseline_factor;
    let face = FaceKey::regular(Family::Serif);
    let number = page.to_string();
    let nw = lay.fonts.width(face, &number) * size;
    let (from, to) = if rtl {
        (number_w + f.dots_end_gap, end - f.dots_gap)
    } else {
        (end + f.dots_gap, w - number_w - f.dots_end_gap)
    };
    last.draws.extend(leader_dots(lay, from, to, baseline));
    last.draws.push(Draw::Text {
        x: if rtl { 0.0 } else { w - nw },
        y: baseline,
        face,
        size,
        color: t.colors.text,
        glyphs: None,
        text: number,
        width: nw,
        node: Some(link),
    });
}

/// The dot leaders of a contents line between `from` and `to`, on a fixed grid so that
/// they line up from entry to entry; none when the gap is too short for a dot.
fn leader_dots(lay: &mut Layouter<'_>, from: f32, to: f32, baseline: f32) -> Option<Draw> {
    let t = lay.theme;
    let size = t.body_size;
    let face = FaceKey::regular(Family::Serif);
    let dot_w = lay.fonts.width(face, ".") * size;
    let step = t.front.dot_step;
    let mut x = (from / step).ceil() * step;
    let mut dots = String::new();
    let dots_x = x;
    while x + dot_w < to {
        dots.push('.');
        x += step;
    }
    if dots.is_empty() {
        return None;
    }
    let count = dots.chars().count();
    // Each dot glyph advances by the grid step (in em).
    let shaped = lay.fonts.shape(face, &dots);
    let glyphs: Glyphs = shaped
        .glyphs
        .iter()
        .map(|g| ShapedGlyph {
            advance: step / size,
            ..*g
        })
        .collect();
    Some(Draw::Text {
        x: dots_x,
        y: baseline,
        face,
        size,
        color: t.colors.secondary,
        glyphs: Some(glyphs),
        text: dots,
        width: step * count as f32,
        node: None,
    })
}
