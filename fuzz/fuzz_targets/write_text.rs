#![no_main]
//! The plain-text writer on an arbitrary document model, at several widths.

use bindery::write::text::{LinkStyle, TextOptions, text};
use bindery_fuzz::ArbitraryDocument;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|input: (u8, u8, ArbitraryDocument)| {
    let (width, links, doc) = input;
    let options = TextOptions {
        width: usize::from(width),
        links: match links % 3 {
            0 => LinkStyle::Refs,
            1 => LinkStyle::Inline,
            _ => LinkStyle::None,
        },
    };
    let _ = text(&doc.0, &options);
});
