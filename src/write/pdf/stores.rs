//! What the layout keeps while it walks the book: the images (each loaded once) and the
//! footnotes of the current chapter (numbered in the order of their first reference).

use std::collections::HashMap;
use std::rc::Rc;

use super::boxes::Footnote;
use super::images::PdfImage;
use crate::model::Block;

/// The images of the book, each loaded (its header read) once.
#[derive(Default)]
pub struct ImageStore {
    /// Images placed so far, indexed as in the frames.
    pub images: Vec<PdfImage>,
    /// By source: its index, or `None` when it cannot be shown.
    pub index: HashMap<String, Option<usize>>,
}

/// The footnotes of one chapter.
#[derive(Default)]
pub struct NoteStore {
    /// Definitions by label.
    pub definitions: HashMap<String, Vec<Block>>,
    /// Notes laid out so far, with their numbers.
    pub laid_out: HashMap<String, (usize, Rc<Footnote>)>,
    /// Labels in order of first reference.
    pub order: Vec<String>,
}

impl NoteStore {
    /// Forgets the last chapter's notes and collects the definitions in `blocks`.
    pub fn start_chapter(&mut self, blocks: &[Block]) {
        self.definitions.clear();
        self.laid_out.clear();
        self.order.clear();
        collect_notes(blocks, &mut self.definitions);
    }

    /// The labels defined but never referenced, sorted (shown after the chapter).
    pub fn unreferenced(&self) -> Vec<String> {
        let mut labels: Vec<String> = self
            .definitions
            .keys()
            .filter(|label| !self.order.contains(label))
            .cloned()
            .collect();
        labels.sort();
        labels
    }
}

fn collect_notes(blocks: &[Block], out: &mut HashMap<String, Vec<Block>>) {
    for block in blocks {
        match block {
            Block::FootnoteDefinition { label, blocks } => {
                out.insert(label.clone(), blocks.clone());
            }
            Block::BlockQuote(b)
            | Block::Div { blocks: b, .. }
            | Block::Listing(crate::model::Listing { blocks: b, .. }) => collect_notes(b, out),
            Block::List(l) => l.items.iter().for_each(|i| collect_notes(&i.blocks, out)),
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Inline, ListItem};

    fn note(label: &str) -> Block {
        Block::FootnoteDefinition {
            label: label.into(),
            blocks: vec![Block::Paragraph(vec![Inline::Text(label.into())])],
        }
    }

    #[test]
    fn definitions_are_found_inside_quotes_and_lists() {
        let blocks = vec![
            note("top"),
            Block::BlockQuote(vec![note("quoted")]),
            Block::List(crate::model::List {
                start: None,
                tight: true,
                items: vec![ListItem {
                    task: None,
                    blocks: vec![note("listed")],
                }],
            }),
        ];
        let mut store = NoteStore::default();
        store.start_chapter(&blocks);
        assert_eq!(store.unreferenced(), ["listed", "quoted", "top"]);
        store.order.push("quoted".into());
        assert_eq!(store.unreferenced(), ["listed", "top"]);
        store.start_chapter(&[]);
        assert!(
            store.unreferenced().is_empty(),
            "a new chapter forgets the last one's notes"
        );
    }
}
