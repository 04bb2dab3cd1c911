//! PDF writer timings (no harness): `cargo bench --bench pdf [-- seed|book|book-noimg]`.
//! Prints wall time per conversion; run the binary under `/usr/bin/time -v` for peak memory.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::Instant;

use bindery::book::{Asset, Book, Chapter};
use bindery::model::{Block, Inline, visit_inlines};
use bindery::read::{ReadOptions, read_str};
use bindery::write::pdf::{PdfOptions, pdf};

fn shared() -> PathBuf {
    let here = Path::new(env!("CARGO_MANIFEST_DIR"));
    let path = here.join("../shared");
    assert!(
        path.join("seeds").is_dir(),
        "the shared corpus is not at {}",
        path.display()
    );
    path
}

fn chapter(path: &Path, assets: &mut BTreeMap<String, Asset>, images: bool) -> Chapter {
    let text = std::fs::read_to_string(path).unwrap();
    let document = read_str(path, &text, &ReadOptions::default(), &mut Vec::new()).unwrap();
    let mut srcs = Vec::new();
    for b in &document.blocks {
        if let Block::Figure(f) = b {
            srcs.push(f.image.src.clone());
        }
    }
    visit_inlines(&document.blocks, &mut |i| {
        if let Inline::Image(img) = i {
            srcs.push(img.src.clone());
        }
    });
    let static_dir = shared().join("corpus/fullstackpython/static");
    for src in srcs.into_iter().filter(|_| images) {
        if let Ok(bytes) = std::fs::read(static_dir.join(src.trim_start_matches('/'))) {
            let media_type = if src.ends_with(".png") {
                "image/png"
            } else {
                "image/jpeg"
            };
            assets.insert(
                src,
                Asset {
                    path: PathBuf::new(),
                    bytes,
                    media_type,
                },
            );
        }
    }
    let slug = document
        .meta
        .slug
        .clone()
        .unwrap_or_else(|| path.file_stem().unwrap().to_string_lossy().into());
    Chapter {
        document,
        source: path.to_path_buf(),
        slug,
        part: None,
        number: None,
        depth: 0,
    }
}

fn pages(dir: &Path, out: &mut Vec<PathBuf>) {
    let mut entries: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    entries.sort();
    for p in entries {
        if p.is_dir() {
            pages(&p, out);
        } else if p.extension().is_some_and(|e| e == "markdown") {
            out.push(p);
        }
    }
}

fn time(label: &str, runs: usize, book: &Book) {
    let mut size = 0;
    let start = Instant::now();
    for _ in 0..runs {
        size = pdf(book, &PdfOptions::default(), &mut Vec::new())
            .unwrap()
            .len();
    }
    println!(
        "{label}: {:.1} ms per run, {} bytes",
        start.elapsed().as_secs_f64() * 1000.0 / runs as f64,
        size
    );
}

fn main() {
    let which = std::env::args()
        .skip(1)
        .find(|a| !a.starts_with('-'))
        .unwrap_or_else(|| "all".into());
    let shared = shared();
    if which == "all" || which == "seed" {
        let mut assets = BTreeMap::new();
        let ch = chapter(
            &shared.join("seeds/000_8e844e437c2c703a.txt"),
            &mut assets,
            true,
        );
        let book = Book {
            meta: ch.document.meta.clone(),
            chapters: vec![ch],
            assets,
        };
        time("seed -> pdf", 20, &book);
    }
    for (name, images) in [("book", true), ("book-noimg", false)] {
        if which == "all" || which == name {
            let mut paths = Vec::new();
            pages(
                &shared.join("corpus/fullstackpython/content/pages"),
                &mut paths,
            );
            let mut assets = BTreeMap::new();
            let chapters = paths
                .iter()
                .map(|p| chapter(p, &mut assets, images))
                .collect();
            let mut book = Book {
                chapters,
                assets,
                ..Default::default()
            };
            book.meta.title = Some("Full Stack Python".into());
            time(
                &format!(
                    "corpus ({} pages) -> one pdf, images: {images}",
                    paths.len()
                ),
                1,
                &book,
            );
        }
    }
}
