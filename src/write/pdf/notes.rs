//! Footnotes: the definitions of the current chapter, numbered in the order of their first
//! reference and laid out then (a note is set once, however often it is referenced).

use std::rc::Rc;

use super::blocks::{Ctx, Layouter};
use super::boxes::{Anchor, Draw, Element, Footnote};
use super::fonts::{FaceKey, Family};
use super::structure::Role;
use crate::model::Block;

impl Layouter<'_> {
    /// Destination name of a footnote.
    pub fn footnote_dest(&self, label: &str) -> String {
        format!("{}#fn:{label}", self.slug)
    }

    /// Number and laid-out body of footnote `label`, laying it out on first reference.
    pub fn footnote(&mut self, label: &str) -> Option<(usize, Rc<Footnote>)> {
        if let Some((n, f)) = self.notes.laid_out.get(label) {
            return Some((*n, f.clone()));
        }
        let blocks = self.notes.definitions.get(label)?.clone();
        let number = self.notes.laid_out.len() + 1;
        // Reserve the number first so a note that refers to itself does not recurse forever.
        let placeholder = Rc::new(Footnote {
            elements: Vec::new(),
            rtl: false,
        });
        self.notes
            .laid_out
            .insert(label.to_string(), (number, placeholder));
        self.structure.open_in(self.chapter_node, Role::Note);
        let note = Rc::new(self.note_body(label, number, &blocks));
        self.structure.close();
        self.notes
            .laid_out
            .insert(label.to_string(), (number, note.clone()));
        self.notes.order.push(label.to_string());
        Some((number, note))
    }

    fn note_body(&mut self, label: &str, number: usize, blocks: &[Block]) -> Footnote {
        let t = self.theme;
        let size = t.notes.size;
        let indent = t.notes.indent;
        // A right-to-left note is mirrored: its number hangs in the indent on the right.
        let rtl = super::bidi::blocks_rtl(blocks).unwrap_or(self.rtl);
        let ctx = Ctx {
            x: if rtl { 0.0 } else { indent },
            width: self.width - indent,
            size,
            bands: Vec::new(),
            tight: true,
            depth: 0,
            rtl,
        };
        let mut elements = Vec::new();
        self.blocks(blocks, &ctx, &mut elements);
        let mark = format!("{number}.");
        let face = FaceKey::regular(Family::Serif);
        let w = self.fonts.width(face, &mark) * size;
        let (x, glyphs) = if rtl {
            let x = (self.width - indent + t.notes.mark_gap).min(self.width - w);
            (x, Some(self.rtl_number_glyphs(face, &mark)))
        } else {
            ((indent - w - t.notes.mark_gap).max(0.0), None)
        };
        let mark_draw = Draw::Text {
            x,
            y: size * t.baseline_factor,
            face,
            size,
            color: t.colors.text,
            glyphs,
            text: mark,
            width: w,
            node: self.structure.current(),
        };
        if elements.is_empty() {
            elements.push(Element::new(size * t.empty_line_factor));
        }
        elements[0].draws.insert(0, mark_draw);
        elements[0].anchors.push(Anchor {
            dest: Some(self.footnote_dest(label)),
            outline: None,
        });
        for e in elements.iter_mut() {
            e.space_before = e.space_before.min(t.notes.max_gap);
        }
        Footnote { elements, rtl }
    }
}
