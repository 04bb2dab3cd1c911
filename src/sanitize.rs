//! `--sanitize`: cleaning a document from an untrusted author before it becomes an HTML page.
//!
//! Everything the readers map into the model is escaped by the writers, so the two ways markup
//! from the author reaches a page are raw HTML nodes ([`Block::RawHtml`], [`Inline::RawHtml`])
//! and URLs (link targets, image sources). Raw HTML goes through ammonia (scripts, frames,
//! objects, event-handler attributes and `javascript:` URLs removed); link targets and image
//! sources with an active scheme are dropped, keeping the link text and the alt text.

use crate::book::rewrite_blocks;
use crate::model::{Block, Document, Inline};

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
    for block in blocks {
        match block {
            Block::RawHtml(html) => *html = ammonia::clean(html),
            Block::BlockQuote(children)
            | Block::FootnoteDefinition {
                blocks: children, ..
            }
            | Block::Div {
                blocks: children, ..
            } => sanitize_raw_blocks(children),
            Block::List(list) => {
                for item in &mut list.items {
                    sanitize_raw_blocks(&mut item.blocks);
                }
            }
            _ => {}
        }
    }
}

/// Whether a URL would run code or embed a document when followed: `javascript:`, `vbscript:`,
/// and `data:` (allowed for images only when `image` is set and it is an image type). Browsers
/// ignore leading whitespace and control characters and the case of the scheme, and so does
/// this check.
pub fn is_active_url(url: &str, image: bool) -> bool {
    let url: String = url
        .trim_start_matches(|c: char| c.is_whitespace() || c.is_control())
        .chars()
        .filter(|c| !matches!(c, '\t' | '\n' | '\r'))
        .take(32)
        .collect::<String>()
        .to_ascii_lowercase();
    if url.starts_with("javascript:") || url.starts_with("vbscript:") {
        return true;
    }
    if let Some(rest) = url.strip_prefix("data:") {
        return !(image && rest.starts_with("image/") && !rest.starts_with("image/svg"));
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn active_urls_are_recognised_however_disguised() {
        for url in [
            "javascript:alert(1)",
            "  JavaScript:x",
            "\u{1}javascript:x",
            "java\tscript:x",
            "vbscript:x",
            "data:text/html,x",
        ] {
            assert!(is_active_url(url, false), "{url:?}");
        }
        assert!(is_active_url("data:image/svg+xml,<svg/>", true));
        assert!(!is_active_url("data:image/png;base64,AAAA", true));
        assert!(is_active_url("data:image/png;base64,AAAA", false));
        assert!(!is_active_url("https://example.com/javascript:", false));
        assert!(!is_active_url("page.html#javascript", false));
    }
}
