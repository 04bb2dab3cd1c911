#![no_main]
//! The Markdown reader on arbitrary bytes (decoding included), then both single-page writers.

use bindery::format::{Content, OutputFormat, RenderOptions, RenderReport, render};
use bindery::read::{InputFormat, ReadOptions, read_document};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|bytes: &[u8]| {
    let options = ReadOptions {
        format: Some(InputFormat::Markdown),
        smart: bytes.first().is_some_and(|b| b & 1 == 1),
        ..ReadOptions::default()
    };
    let mut warnings = Vec::new();
    match read_document(std::path::Path::new("f.md"), bytes, &options, &mut warnings) {
        Ok(document) => {
            for format in [OutputFormat::Html, OutputFormat::Text] {
                render(
                    Content::Document(&document),
                    format,
                    &RenderOptions::default(),
                    &mut RenderReport::default(),
                )
                .unwrap();
            }
        }
        Err(e) => {
            let _ = e.to_string();
        }
    }
});
