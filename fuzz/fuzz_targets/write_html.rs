#![no_main]
//! The HTML page writer on an arbitrary document model.

use bindery::format::{Content, OutputFormat, RenderOptions, RenderReport, render};
use bindery::write::html::{HtmlOptions, body_to_string};
use bindery_fuzz::ArbitraryDocument;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|doc: ArbitraryDocument| {
    let page = render(
        Content::Document(&doc.0),
        OutputFormat::Html,
        &RenderOptions::default(),
        &mut RenderReport::default(),
    )
    .unwrap();
    assert!(std::str::from_utf8(&page).is_ok());
    let options = HtmlOptions {
        xhtml: true,
        ..HtmlOptions::default()
    };
    let _ = body_to_string(&doc.0.blocks, &options);
});
