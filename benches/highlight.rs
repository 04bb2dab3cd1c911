//! Highlighting throughput per language on the code-heavy benchmark input (issue 13): the
//! fenced blocks of `target/bench/code-heavy` (made by `bench/code-heavy.py`, which this bench
//! runs when the input is missing), grouped by language, through bindery's highlighter and,
//! for comparison, through syntect. Run with `cargo bench --bench highlight`.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use bindery::highlight;
use bindery::model::Block;
use bindery::read::{ReadOptions, read_str};
use criterion::{Criterion, Throughput, criterion_group, criterion_main};

fn input() -> PathBuf {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let pages = root.join("target/bench/code-heavy/content/pages");
    if !pages.is_dir() {
        let status = std::process::Command::new("python3")
            .arg(root.join("bench/code-heavy.py"))
            .arg(root.join("target/bench/code-heavy"))
            .status()
            .expect("python3 runs bench/code-heavy.py");
        assert!(status.success(), "bench/code-heavy.py failed");
    }
    pages
}

/// Every code block's (language, text), grouped by language.
fn blocks() -> BTreeMap<String, Vec<String>> {
    let mut by_language: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let mut paths: Vec<_> = std::fs::read_dir(input())
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    paths.sort();
    for path in paths {
        let text = std::fs::read_to_string(&path).unwrap();
        let doc = read_str(&path, &text, &ReadOptions::default(), &mut Vec::new()).unwrap();
        for block in &doc.blocks {
            if let Block::CodeBlock(code) = block
                && let Some(language) = &code.language
            {
                by_language
                    .entry(language.clone())
                    .or_default()
                    .push(code.text.clone());
            }
        }
    }
    by_language
}

fn throughput(c: &mut Criterion) {
    let blocks = blocks();
    let all: Vec<(&str, &str)> = blocks
        .iter()
        .flat_map(|(l, codes)| codes.iter().map(move |c| (l.as_str(), c.as_str())))
        .collect();
    let mut group = c.benchmark_group("highlight");
    group.sample_size(10);
    let bytes: usize = all.iter().map(|(_, c)| c.len()).sum();
    group.throughput(Throughput::Bytes(bytes as u64));
    group.bench_function("all languages", |b| {
        b.iter(|| {
            all.iter()
                .filter_map(|(l, c)| highlight::tokens(c, l))
                .map(|t| t.as_slice().len())
                .sum::<usize>()
        })
    });
    for (language, codes) in &blocks {
        let bytes: usize = codes.iter().map(|c| c.len()).sum();
        group.throughput(Throughput::Bytes(bytes as u64));
        group.bench_function(language.to_string(), |b| {
            b.iter(|| {
                codes
                    .iter()
                    .filter_map(|c| highlight::tokens(c, language))
                    .map(|t| t.as_slice().len())
                    .sum::<usize>()
            })
        });
        // syntect on the same blocks (where it knows the language), for comparison.
        if highlight::tokens_with_syntect("x", language).is_some() {
            group.bench_function(format!("{language} (syntect)"), |b| {
                b.iter(|| {
                    codes
                        .iter()
                        .filter_map(|c| highlight::tokens_with_syntect(c, language))
                        .map(|t| t.as_slice().len())
                        .sum::<usize>()
                })
            });
        }
    }
    group.finish();
}

criterion_group!(benches, throughput);
criterion_main!(benches);
