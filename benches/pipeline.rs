//! Micro-benchmarks of each stage on the shared corpus (`../shared/corpus`), so a regression
//! shows which stage moved. Run with `cargo bench` (or `make bench`).
//!
//! The reference point is pulldown-cmark's own `push_html` on the same bodies: the issue's
//! target is that reading + HTML writing runs at no less than half its throughput.

use std::path::{Path, PathBuf};

use bindery::read::{ReadOptions, read_str};
use bindery::write::html::{HtmlOptions, body_to_string};
use bindery::write::text::{TextOptions, text};
use criterion::{Criterion, Throughput, criterion_group, criterion_main};

fn corpus() -> Vec<(PathBuf, String)> {
    let root =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus/fullstackpython/content");
    let mut files = Vec::new();
    let mut stack = vec![root];
    while let Some(dir) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == "markdown") {
                let text = std::fs::read_to_string(&path).unwrap();
                files.push((path, text));
            }
        }
    }
    files.sort();
    files
}

fn stages(c: &mut Criterion) {
    let files = corpus();
    if files.is_empty() {
        eprintln!("benches: ../shared/corpus not found; nothing to measure");
        return;
    }
    let bytes: usize = files.iter().map(|(_, t)| t.len()).sum();
    let options = ReadOptions::default();
    let documents: Vec<_> = files
        .iter()
        .map(|(p, t)| read_str(p, t, &options, &mut Vec::new()).unwrap())
        .collect();

    let mut group = c.benchmark_group("corpus");
    group.throughput(Throughput::Bytes(bytes as u64));
    group.sample_size(20);
    group.bench_function("pulldown-cmark push_html (reference)", |b| {
        b.iter(|| {
            let mut total = 0;
            for (_, text) in &files {
                let parser = pulldown_cmark::Parser::new_ext(text, pulldown_cmark::Options::all());
                let mut html = String::new();
                pulldown_cmark::html::push_html(&mut html, parser);
                total += html.len();
            }
            total
        })
    });
    group.bench_function("read", |b| {
        b.iter(|| {
            files
                .iter()
                .map(|(p, t)| {
                    read_str(p, t, &options, &mut Vec::new())
                        .unwrap()
                        .blocks
                        .len()
                })
                .sum::<usize>()
        })
    });
    let plain = HtmlOptions {
        highlight: false,
        ..HtmlOptions::default()
    };
    group.bench_function("read + html (no highlighting)", |b| {
        b.iter(|| {
            files
                .iter()
                .map(|(p, t)| {
                    let doc = read_str(p, t, &options, &mut Vec::new()).unwrap();
                    body_to_string(&doc.blocks, &plain).len()
                })
                .sum::<usize>()
        })
    });
    group.bench_function("html (highlighted)", |b| {
        b.iter(|| {
            documents
                .iter()
                .map(|d| body_to_string(&d.blocks, &HtmlOptions::default()).len())
                .sum::<usize>()
        })
    });
    group.bench_function("text", |b| {
        b.iter(|| {
            documents
                .iter()
                .map(|d| text(d, &TextOptions::default()).len())
                .sum::<usize>()
        })
    });
    group.finish();
}

criterion_group!(benches, stages);
criterion_main!(benches);
