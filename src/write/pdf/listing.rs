//! Code listings: the file name above the code and the caption below, kept on one page with
//! the code's first and last lines.

use super::blocks::{Ctx, Layouter};
use super::boxes::{Element, GREY};
use super::inlines::derive;
use super::linebreak::Align;
use super::structure::Role;
use crate::model::{Inline, Listing};

/// Size of the file-name line and the caption, relative to the text around them.
const LABEL_SCALE: f32 = 0.9;
/// Space between the file name or the caption and the code, in pt.
const LABEL_GAP: f32 = 3.0;

impl Layouter<'_> {
    /// Lays out a listing: file name, content, caption.
    pub fn listing(&mut self, listing: &Listing, ctx: &Ctx, out: &mut Vec<Element>) {
        if !listing.file_name.is_empty() {
            self.listing_label(&listing.file_name, false, ctx, out);
        }
        let content_start = out.len();
        self.blocks(&listing.blocks, ctx, out);
        if !listing.file_name.is_empty() {
            glue_to_previous(out, content_start);
        }
        if !listing.caption.is_empty() {
            let caption_start = out.len();
            self.listing_label(&listing.caption, true, ctx, out);
            glue_to_previous(out, caption_start);
        }
    }

    /// The file name (upright) or the caption (italic), in grey at the label size.
    fn listing_label(&mut self, text: &[Inline], italic: bool, ctx: &Ctx, out: &mut Vec<Element>) {
        let style = derive(&self.body_style(ctx.size * LABEL_SCALE), |s| {
            s.face.italic = italic;
            s.color = GREY;
        });
        self.structure.open(Role::Paragraph);
        self.paragraph(text, &style, ctx, Align::Left, out);
        self.structure.close();
    }
}

/// No page break between `out[index]` and the element before it, and only a small gap.
fn glue_to_previous(out: &mut [Element], index: usize) {
    if index > 0
        && let Some(element) = out.get_mut(index)
    {
        element.break_before = false;
        element.space_before = LABEL_GAP;
    }
}
