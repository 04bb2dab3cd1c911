//! `--sanitize`: cleaning a document from an untrusted author before it becomes an HTML page.
//!
//! Everything the readers map into the model is escaped by the writers, so the two ways markup
//! from the author reaches a page are raw HTML nodes ([`Block::RawHtml`], [`Inline::RawHtml`])
//! and URLs (link targets, image sources). Raw HTML goes through ammonia (scripts, frames,
//! objects, event-handler attributes and `javascript:` URLs removed); link targets and image
//! sources with an active scheme are dropped, keeping the link text and the alt text.

use crate::model::{Block, Document, Inline, rewrite_blocks, walk_blocks_mut};
pub use crate::url::is_active_url;

/// Cleans `document` in place for publication as HTML from an untrusted source.
pub fn sanitize_document(document: &mut Document) {
    sanitize_raw_blocks(&mut document.blocks);
    rewrite_blocks(&mut document.blocks, &mut |inline| match inline {
        Inline::RawHtml(html) => vec![Inline::RawHtml(ammonia::clean(&html))],
        // Keep the words, lose the target.
        Inline::Link(link) if is_active_url(&link.url, false) => link.content,
        Inline::Image(image) if is_active_url(&image.src, true) => {
            vec![Inline::Text(image.alt)]
        }
        other => vec![other],
    });
}

/// Block-level raw HTML, at any depth.
fn sanitize_raw_blocks(blocks: &mut [Block]) {
    walk_blocks_mut(blocks, &mut |block| {
        if let Block::RawHtml(html) = block {
            *html = ammonia::clean(html);
        }
    });
}
