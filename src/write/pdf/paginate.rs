//! Break pages: distribute the vertical list over pages of a given height, honouring the
//! elements' break permissions (widows, orphans, headings kept with the next block, rows
//! and images whole), footnotes at the bottom of their reference's page, and repeated
//! table headers.

use std::collections::VecDeque;
use std::rc::Rc;

use super::boxes::{Element, Footnote};
use super::theme::Notes;

/// One page's content: elements with their top offsets and its footnotes.
#[derive(Debug, Default)]
pub struct Page {
    /// (top, element) pairs; top is measured from the top of the text block.
    pub elements: Vec<(f32, Element)>,
    /// Footnotes, in order.
    pub notes: Vec<Rc<Footnote>>,
}

fn notes_height(notes: &[Rc<Footnote>], look: &Notes) -> f32 {
    if notes.is_empty() {
        return 0.0;
    }
    look.separation + notes.iter().map(|n| n.height() + look.gap).sum::<f32>()
}

/// Distributes `elements` over pages `height` tall, footnotes spaced as `look` says.
pub fn paginate(elements: Vec<Element>, height: f32, look: &Notes) -> Vec<Page> {
    let mut pages: Vec<Page> = Vec::new();
    let mut queue: VecDeque<Element> = elements.into();
    // Elements on the current page; `copies` of them are repeated table headers.
    let mut placed: Vec<Element> = Vec::new();
    let mut copies = 0;
    let mut used = 0.0f32;
    let mut notes: Vec<Rc<Footnote>> = Vec::new();

    while let Some(mut e) = queue.pop_front() {
        if e.new_page && placed.len() > copies {
            finish(&mut placed, &mut notes, &mut pages);
            copies = 0;
            used = 0.0;
        }
        // A table continuing on a new page gets its header again.
        if placed.is_empty()
            && let Some(header) = e.repeat_header.clone()
        {
            let mut h = (*header).clone();
            h.anchors.clear();
            h.footnotes.clear();
            // The copy repeats what was read already: an artifact, without links.
            h.draws
                .retain(|d| !matches!(d, super::boxes::Draw::Link { .. }));
            for d in &mut h.draws {
                d.make_artifact();
            }
            h.space_before = 0.0;
            used = h.height;
            placed.push(h);
            copies = 1;
            e.break_before = false;
        }
        let space = if placed.is_empty() {
            0.0
        } else {
            e.space_before
        };
        let mut with_notes: Vec<Rc<Footnote>> = notes.clone();
        for n in &e.footnotes {
            if !with_notes.iter().any(|m| Rc::ptr_eq(m, n)) {
                with_notes.push(n.clone());
            }
        }
        let fits = used + space + e.height + notes_height(&with_notes, look) <= height + 0.01;
        if fits || placed.len() == copies {
            // An element taller than a page goes on a page of its own.
            used += space + e.height;
            notes = with_notes;
            placed.push(e);
            continue;
        }
        // Overflow: break before the last element of the page (or `e`) that permits it.
        let k = placed.len();
        let cut = (copies + 1..=k)
            .rev()
            .find(|&j| {
                if j == k {
                    e.break_before
                } else {
                    placed[j].break_before
                }
            })
            .unwrap_or(k);
        queue.push_front(e);
        for el in placed.drain(cut..).rev() {
            queue.push_front(el);
        }
        // Footnotes follow their references.
        notes.retain(|n| {
            placed
                .iter()
                .any(|p| p.footnotes.iter().any(|m| Rc::ptr_eq(m, n)))
        });
        finish(&mut placed, &mut notes, &mut pages);
        copies = 0;
        used = 0.0;
    }
    if !placed.is_empty() || pages.is_empty() {
        finish(&mut placed, &mut notes, &mut pages);
    }
    pages
}

fn finish(placed: &mut Vec<Element>, notes: &mut Vec<Rc<Footnote>>, pages: &mut Vec<Page>) {
    let mut page = Page::default();
    let mut y = 0.0;
    for (i, mut e) in placed.drain(..).enumerate() {
        if i == 0 {
            e.space_before = 0.0;
        }
        y += e.space_before;
        // The page is kept until the whole book is laid out: no spare room in its lists.
        e.draws.shrink_to_fit();
        let h = e.height;
        page.elements.push((y, e));
        y += h;
    }
    page.notes = std::mem::take(notes);
    pages.push(page);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::write::pdf::theme::Theme;

    fn paginate(elements: Vec<Element>, height: f32) -> Vec<Page> {
        super::paginate(elements, height, &Theme::STANDARD.notes)
    }

    fn lines(n: usize, h: f32) -> Vec<Element> {
        (0..n)
            .map(|i| {
                let mut e = Element::new(h);
                // A paragraph's rule: two lines on each side of a break.
                e.break_before = i >= 2 && i + 2 <= n;
                e
            })
            .collect()
    }

    #[test]
    fn no_widows_or_orphans() {
        // 10 lines of 10pt on a 95pt page: 9 would fit, but that leaves a widow.
        let pages = paginate(lines(10, 10.0), 95.0);
        let counts: Vec<usize> = pages.iter().map(|p| p.elements.len()).collect();
        assert_eq!(counts, [8, 2]);
    }

    #[test]
    fn heading_kept_with_next() {
        let mut els = lines(8, 10.0);
        let mut heading = Element::new(12.0);
        heading.space_before = 5.0;
        let mut next = lines(4, 10.0);
        next[0].break_before = false;
        els.push(heading);
        els.extend(next);
        let pages = paginate(els, 100.0);
        // The heading does not fit with two lines below it: it moves to the next page.
        assert_eq!(pages[0].elements.len(), 8);
        assert_eq!(pages[1].elements[0].1.height, 12.0);
        assert_eq!(
            pages[1].elements[0].0, 0.0,
            "space above dropped at the page top"
        );
    }

    #[test]
    fn table_header_repeats() {
        let header = Rc::new(Element::new(15.0));
        let mut els = vec![(*header).clone()];
        for _ in 0..10 {
            let mut row = Element::new(20.0);
            row.repeat_header = Some(header.clone());
            els.push(row);
        }
        let pages = paginate(els, 100.0);
        assert!(pages.len() >= 3);
        for p in &pages[1..] {
            assert_eq!(p.elements[0].1.height, 15.0, "header first on every page");
        }
    }
}
