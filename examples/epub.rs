//! Builds an EPUB from documents, for validation scripts and benchmarks:
//!
//! `cargo run --example epub -- [--resource-path DIR]... [--sort] [--parts] [--title T] [--site-url URL]
//!  [--toc] [--cover FILE] [--no-highlight] -o OUT.epub INPUT...`
//!
//! Warnings go to stderr; the exit status is 1 on error.

use std::path::PathBuf;

use bindery::book::{Book, BookOptions};
use bindery::read::{ReadOptions, read_document};
use bindery::write::epub::{EpubOptions, epub};

fn main() {
    let mut args = std::env::args().skip(1);
    let mut options = BookOptions::default();
    let mut epub_options = EpubOptions::default();
    let mut output = None;
    let mut inputs = Vec::new();
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--resource-path" => options
                .resource_paths
                .push(args.next().expect("DIR").into()),
            "--sort" => options.sort = true,
            "--toc" => epub_options.inline_toc = true,
            "--no-highlight" => epub_options.no_highlight = true,
            "--parts" => epub_options.parts = true,
            "--title" => options.meta.title = args.next(),
            "--site-url" => options.site_url = args.next(),
            "--cover" => options.meta.cover = args.next(),
            "-o" => output = args.next().map(PathBuf::from),
            _ => inputs.push(PathBuf::from(arg)),
        }
    }
    let output = output.expect("-o OUT.epub is required");
    let mut warnings = Vec::new();
    let start = std::time::Instant::now();
    let mut run = || -> bindery::Result<Vec<u8>> {
        let mut docs = Vec::new();
        for path in &inputs {
            let bytes =
                std::fs::read(path).map_err(|e| bindery::Error::io(path, "cannot read", e))?;
            let doc = read_document(path, &bytes, &ReadOptions::default(), &mut warnings)?;
            docs.push((path.clone(), doc));
        }
        let read = start.elapsed();
        let book = Book::assemble(docs, &options, &mut warnings)?;
        let assembled = start.elapsed();
        let bytes = epub(&book, &epub_options, &mut warnings)?;
        if std::env::var_os("BINDERY_TIMING").is_some() {
            eprintln!(
                "read {read:?}, assemble {:?}, epub {:?}",
                assembled - read,
                start.elapsed() - assembled
            );
        }
        Ok(bytes)
    };
    let result = run();
    for warning in &warnings {
        eprintln!("{warning}");
    }
    match result {
        Ok(bytes) => std::fs::write(&output, bytes).expect("write output"),
        Err(e) => {
            eprintln!("error: {e}");
            std::process::exit(1);
        }
    }
}
