#![no_main]
//! The EPUB writer on arbitrary document models assembled into a book over an in-memory file
//! system (images, a symlink out of the roots); every EPUB written must be a readable zip.

use std::path::PathBuf;

use bindery::book::{Book, BookOptions, MemoryFiles};
use bindery::write::epub::{EpubOptions, epub};
use bindery_fuzz::ArbitraryDocument;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|input: (Vec<ArbitraryDocument>, bool)| {
    let (docs, sort) = input;
    let files = MemoryFiles::new()
        .file("/book/a.md", "x")
        .file("/book/x.png", b"\x89PNG\r\n\x1a\nrest".to_vec())
        .file("/book/img/a.png", b"\x89PNG\r\n\x1a\nrest".to_vec())
        .file("/secret", "s")
        .symlink("/book/link.png", "/secret");
    let docs: Vec<(PathBuf, _)> = docs
        .into_iter()
        .take(4)
        .enumerate()
        .map(|(i, d)| (PathBuf::from(format!("/book/c{i}.md")), d.0))
        .collect();
    let options = BookOptions {
        sort,
        ..BookOptions::default()
    };
    let mut warnings = Vec::new();
    let Ok(book) = Book::assemble_with(docs, &options, &files, &mut warnings) else {
        return;
    };
    let epub_options = EpubOptions {
        modified: Some(0),
        ..EpubOptions::default()
    };
    if let Ok(bytes) = epub(&book, &epub_options, &mut warnings) {
        assert!(bytes.starts_with(b"PK"));
    }
});
