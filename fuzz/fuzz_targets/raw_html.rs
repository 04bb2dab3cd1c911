#![no_main]
//! Raw HTML to model (`blocks_from_html`), then the HTML writer in XHTML mode as EPUB uses it.

use bindery::model::Pos;
use bindery::write::html::{HtmlOptions, body_to_string};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|html: &str| {
    let blocks = bindery::read::html::blocks_from_html(html, Pos { line: 1, col: 1 });
    let options = HtmlOptions {
        xhtml: true,
        raw_html: false,
        ..HtmlOptions::default()
    };
    let _ = body_to_string(&blocks, &options);
});
