//! Break pages: distribute the vertical list over pages of a given height, honouring the
//! elements' break permissions (widows, orphans, headings kept with the next block, rows
//! and images whole), footnotes at the bottom of their reference's page, and repeated
//! table headers.

use std::collections::VecDeque;
use std::rc::Rc;

use super::boxes::{Element, Footnote};

/// Gap between the text and the footnote rule, and the rule's own room.
pub const NOTE_SEPARATION: f32 = 10.0;
/// Space between two footnotes.
const NOTE_GAP: f32 = 2.0;

/// One page's content: elements with their top offsets and its footnotes.
#[derive(Debug, Default)]
pub struct Page {
    /// (top, element) pairs; top is measured from the top of the text block.
    pub elements: Vec<(f32, Element)>,
    /// Footnotes, in order.
    pub notes: Vec<Rc<Footnote>>,
}

fn notes_height(notes: &[Rc<Footnote>]) -> f32 {
    if notes.is_empty() {
        return 0.0;
    }
    NOTE_SEPARATION + notes.iter().map(|n| n.height() + NOTE_GAP).sum::<f32>()
}

/// Distributes `elements` over pages `height` tall.
pub fn paginate(elements: Vec<Element>, height: f32) -> Vec<Page> {
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
        if placed.is_empty() {
            if let Some(header) = e.repeat_header.clone() {
                let mut h = (*header).clone();
                h.anchors.clear();
                h.footnotes.clear();
                h.space_before = 0.0;
                used = h.height;
                placed.push(h);
                copies = 1;
                e.break_before = false;
            }
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
        let fits = used + space + e.height + notes_height(&with_notes) <= height + 0.01;
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
        let h = e.height;
        page.elements.push((y, e));
        y += h;
    }
    page.notes = std::mem::take(notes);
    pages.push(page);
}
