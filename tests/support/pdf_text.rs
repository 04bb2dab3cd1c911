//! Helpers shared by the PDF test binaries (`tests/pdf.rs`, `tests/scripts.rs`,
//! `tests/mdbook.rs`): tools,
//! temporary files, and the word recall of `pdftotext` against the model.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::Command;

use bindery::book::{Book, Chapter};
use bindery::model;
use bindery::read::{ReadOptions, read_str};

pub fn tool(name: &str) -> bool {
    let ok = Command::new(name).arg("-v").output().is_ok()
        || Command::new(name).arg("--version").output().is_ok();
    if !ok {
        // CI installs every tool (.ci/run): there a missing one is a failure, not a skip.
        assert!(
            std::env::var_os("CI").is_none(),
            "`{name}` not found, and CI is set: .ci/run must install it"
        );
        println!("notice: `{name}` not found; skipping the checks that need it");
    }
    ok
}

pub fn write_tmp(name: &str, bytes: &[u8]) -> PathBuf {
    let dir = std::env::var_os("BINDERY_PDF_OUT")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            std::env::temp_dir().join(format!("bindery-pdf-test-{}", std::process::id()))
        });
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(name);
    std::fs::write(&path, bytes).unwrap();
    path
}

/// Lower-cased alphanumeric words; hyphens are dropped (`community-run` is one word), since
/// pdftotext joins a word hyphenated at a line end without its hyphen. Scripts written
/// without spaces (CJK) have no words to speak of: each wide character counts as one.
pub fn words(text: &str) -> Vec<String> {
    let wide = |c: char| unicode_width::UnicodeWidthChar::width(c) == Some(2);
    let mut spaced = String::with_capacity(text.len());
    for c in text.chars().filter(|&c| c != '-') {
        if wide(c) {
            spaced.extend([' ', c, ' ']);
        } else {
            spaced.push(c);
        }
    }
    spaced
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect()
}

/// Words of the model, in reading order (chapter titles first in each chapter).
pub fn model_words(book: &Book) -> Vec<String> {
    let mut out = Vec::new();
    for ch in &book.chapters {
        out.extend(words(ch.document.meta.title.as_deref().unwrap_or("")));
        out.extend(words(&model::blocks_plain_text(&ch.document.blocks)));
    }
    out
}

/// Length of the longest common subsequence of `a` and `b` (in-order matches).
pub fn lcs(a: &[String], b: &[String]) -> usize {
    lcs_end(a, b).0
}

/// LCS length and the shortest prefix of `b` that achieves it.
pub fn lcs_end(a: &[String], b: &[String]) -> (usize, usize) {
    let mut prev = vec![0usize; b.len() + 1];
    let mut cur = vec![0usize; b.len() + 1];
    for x in a {
        for (j, y) in b.iter().enumerate() {
            cur[j + 1] = if x == y {
                prev[j] + 1
            } else {
                prev[j + 1].max(cur[j])
            };
        }
        std::mem::swap(&mut prev, &mut cur);
    }
    let best = prev[b.len()];
    (best, prev.iter().position(|&v| v == best).unwrap_or(0))
}

/// The text of a PDF as `pdftotext` reads it (pages separated by form feeds); `None` when
/// pdftotext cannot be run (outside CI: [`tool`] fails the test when CI is set).
pub fn pdftotext(pdf: &Path) -> Option<String> {
    if !tool("pdftotext") {
        return None;
    }
    let out = Command::new("pdftotext").arg(pdf).arg("-").output().ok()?;
    Some(String::from_utf8_lossy(&out.stdout).into_owned())
}

/// Text of the PDF with hyphenated line ends rejoined.
pub fn extracted_words(pdf: &Path) -> Option<Vec<String>> {
    let text = pdftotext(pdf)?;
    let mut joined = String::new();
    for line in text.lines() {
        // The typesetter's hyphens are soft hyphens; a "-" is the text's own.
        if let Some(stripped) = line.strip_suffix('\u{00AD}') {
            joined.push_str(stripped);
            continue;
        }
        joined.push_str(line);
        joined.push('\n');
    }
    Some(words(&joined))
}

pub fn check_text(book: &Book, pdf: &Path, chunked: bool) {
    check_recall(book, pdf, chunked, 0.995);
}

/// As [`check_text`], with the share of the model's words that must come back in order.
pub fn check_recall(book: &Book, pdf: &Path, chunked: bool, min_ratio: f64) {
    if !tool("pdftotext") {
        return;
    }
    let got = extracted_words(pdf).unwrap();
    let want = model_words(book);
    // Chunks keep the quadratic LCS affordable on the whole corpus; each chunk is matched in
    // a window that starts where the previous chunk's match ended (the contents pages come
    // first and shift everything).
    let matched: usize = if chunked {
        let per = 3000;
        let mut pos = 0;
        let mut total = 0;
        for w in want.chunks(per) {
            let end = (pos + 2 * w.len() + 6000).min(got.len());
            let (n, last) = lcs_end(w, &got[pos..end]);
            total += n;
            pos += last;
        }
        total
    } else {
        lcs(&want, &got)
    };
    let ratio = matched as f64 / want.len().max(1) as f64;
    println!(
        "{}: {matched}/{} model words in order ({:.2}%)",
        pdf.display(),
        want.len(),
        ratio * 100.0
    );
    if ratio < min_ratio {
        let mut counts = std::collections::HashMap::new();
        for w in &want {
            *counts.entry(w.clone()).or_insert(0i64) += 1;
        }
        for w in &got {
            *counts.entry(w.clone()).or_insert(0i64) -= 1;
        }
        let mut missing: Vec<_> = counts.into_iter().filter(|(_, c)| *c > 0).collect();
        missing.sort();
        println!("missing words: {missing:?}");
    }
    assert!(
        ratio >= min_ratio,
        "only {:.2}% of the words come back",
        ratio * 100.0
    );
}

pub fn md_chapter(slug: &str, text: &str) -> Chapter {
    let path = PathBuf::from(format!("{slug}.md"));
    let document = read_str(&path, text, &ReadOptions::default(), &mut Vec::new()).unwrap();
    Chapter {
        document,
        source: path,
        slug: slug.into(),
        part: None,
        number: None,
        depth: 0,
    }
}
