//! Code listings: the file name above the code and the caption below, kept on one page with
//! the code's first and last lines.

use super::blocks::{Ctx, Layouter};
use super::boxes::Element;
use super::boxes::derive;
use super::linebreak::Align;
use super::structure::Role;
use crate::model::{Inline, Listing};

impl Layouter<'_> {
    /// Lays out a listing: file name, content, caption.
    pub fn listing(&mut self, listing: &Listing, ctx: &Ctx, out: &mut Vec<Element>) {
        if !listing.file_name.is_empty() {
            self.listing_label(&listing.file_name, false, ctx, out);
        }
        let content_start = out.len();
        self.blocks(&listing.blocks, ctx, out);
        // Set like a figure's caption, and as close to the code.
        let gap = self.theme.figures.caption_gap;
        if !listing.file_name.is_empty() {
            glue_to_previous(out, content_start, gap);
        }
        if !listing.caption.is_empty() {
            let caption_start = out.len();
            self.listing_label(&listing.caption, true, ctx, out);
            glue_to_previous(out, caption_start, gap);
        }
    }

    /// The file name (upright) or the caption (italic), in the secondary colour at the size of
    /// a figure's caption.
    fn listing_label(&mut self, text: &[Inline], italic: bool, ctx: &Ctx, out: &mut Vec<Element>) {
        let size = ctx.size * self.theme.figures.caption_factor;
        let secondary = self.theme.colors.secondary;
        let style = derive(&self.body_style(size), |s| {
            s.face.italic = italic;
            s.color = secondary;
        });
        self.structure.open(Role::Paragraph);
        self.paragraph(text, &style, ctx, Align::Left, out);
        self.structure.close();
    }
}

/// No page break between `out[index]` and the element before it, and only `gap` between them.
fn glue_to_previous(out: &mut [Element], index: usize, gap: f32) {
    if index > 0
        && let Some(element) = out.get_mut(index)
    {
        element.break_before = false;
        element.space_before = gap;
    }
}
