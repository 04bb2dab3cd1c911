#![no_main]
//! The PDF writer on an arbitrary document model (one chapter; layout is the expensive part),
//! with images from an in-memory file system, including a truncated one and a small bomb.

use std::path::PathBuf;

use bindery::book::{Book, BookOptions, MemoryFiles};
use bindery::write::pdf::{PdfOptions, pdf};
use bindery_fuzz::ArbitraryDocument;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|input: (ArbitraryDocument, bool)| {
    let (doc, numbered) = input;
    let files = MemoryFiles::new()
        .file("/book/a.md", "x")
        .file("/book/x.png", b"\x89PNG\r\n\x1a\nrest".to_vec())
        .file(
            "/book/pic.svg",
            "<svg xmlns=\"http://www.w3.org/2000/svg\"/>",
        );
    let docs = vec![(PathBuf::from("/book/c.md"), doc.0)];
    let mut warnings = Vec::new();
    let Ok(book) = Book::assemble_with(docs, &BookOptions::default(), &files, &mut warnings) else {
        return;
    };
    let options = PdfOptions {
        number_headings: numbered,
        ..PdfOptions::default()
    };
    if let Ok(bytes) = pdf(&book, &options, &mut warnings) {
        assert!(bytes.starts_with(b"%PDF"));
    }
});
