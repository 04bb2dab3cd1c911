//! Regression tests for the crashes, hangs and quadratic blow-ups found by fuzzing and by the
//! bad-input matrix. Each test names the input that failed; a blow-up is checked by how the
//! time grows with the input (see [`scales_linearly`]), never by a budget in seconds, which a
//! slow or busy machine would miss.

use std::path::Path;
use std::time::{Duration, Instant};

use bindery::model::{Block, MAX_NESTING, Pos};
use bindery::read::{InputFormat, ReadOptions, read_str};
use bindery::{Document, Warnings};

fn read_markdown(text: &str) -> Document {
    let options = ReadOptions {
        format: Some(InputFormat::Markdown),
        ..ReadOptions::default()
    };
    read_str(Path::new("f.md"), text, &options, &mut Warnings::new()).unwrap()
}

/// `doc` as a one-chapter book PDF with the default options.
fn pdf(doc: Document) -> bindery::Result<Vec<u8>> {
    let book = bindery::book::Book {
        chapters: vec![bindery::book::Chapter {
            document: doc,
            source: "f.md".into(),
            slug: "f".into(),
            part: None,
            number: None,
            depth: 0,
        }],
        ..Default::default()
    };
    bindery::write::pdf::pdf(&book, &Default::default(), &mut Warnings::new())
}

/// Runs `f` on a problem of size `n / 8` and of size `n` (the best of two runs each) and fails
/// when the larger took more than 24 times as long as the smaller: linear work takes about 8
/// times as long (a little more once the data outgrows the caches), the quadratic blow-ups
/// these tests guard against 64 times. Returns what `f` gave for `n`. Under
/// [`TOO_QUICK_TO_TELL`], the work is fast whatever its order (the bugs took minutes).
fn scales_linearly<T>(what: &str, n: usize, f: impl Fn(usize) -> T) -> T {
    let best = |size: usize| {
        let mut best = Duration::MAX;
        let mut out = None;
        for _ in 0..2 {
            let start = Instant::now();
            out = Some(f(size));
            best = best.min(start.elapsed());
        }
        (best, out.expect("ran twice"))
    };
    let (small, _) = best(n / 8);
    let (large, out) = best(n);
    let ratio = large.as_secs_f64() / small.as_secs_f64().max(1e-6);
    eprintln!(
        "{what}: {small:.1?} for {}, {large:.1?} for {n} ({ratio:.1}x)",
        n / 8
    );
    assert!(
        large < TOO_QUICK_TO_TELL || ratio < 24.0,
        "{what}: size {} took {small:.1?}, size {n} took {large:.1?} ({ratio:.1}x for 8x the input)",
        n / 8
    );
    out
}

/// A run this short is fast enough whatever its order of growth.
const TOO_QUICK_TO_TELL: Duration = Duration::from_millis(500);

fn count_quotes(blocks: &[Block]) -> usize {
    blocks
        .iter()
        .map(|b| match b {
            Block::BlockQuote(children) => 1 + count_quotes(children),
            _ => 0,
        })
        .sum()
}

#[test]
fn deep_block_quotes_are_linear_and_add_no_empty_quotes() {
    // Each quote flattened past MAX_NESTING used to leave an empty quote behind, and every
    // level moved all of them up one level: 100,000 levels took minutes.
    let document = scales_linearly("nested quotes", 100_000, |n| {
        read_markdown(&("> ".repeat(n) + "deep\n"))
    });
    assert!(count_quotes(&document.blocks) <= MAX_NESTING + 1);
    assert!(bindery::model::blocks_plain_text(&document.blocks).contains("deep"));
}

#[test]
fn deep_raw_html_is_linear() {
    // html5ever's tree builder scans its stack of open elements for every start tag.
    let blocks = scales_linearly("nested divs", 100_000, |n| {
        let html = "<div>".repeat(n) + "deep" + &"</div>".repeat(n);
        bindery::read::html::blocks_from_html(&html, Pos { line: 1, col: 1 })
    });
    assert!(bindery::model::blocks_plain_text(&blocks).contains("deep"));
}

#[test]
fn a_script_past_the_html_depth_limit_stays_raw_html() {
    // Tags past the depth limit are dropped, but not raw-text elements: a dropped `<script>`
    // would turn its code into visible text.
    let depth = bindery::read::html::MAX_HTML_ELEMENT_DEPTH + 10;
    let html = "<div>".repeat(depth) + "<script>var secret = 1;</script>" + &"</div>".repeat(depth);
    let blocks = bindery::read::html::blocks_from_html(&html, Pos { line: 1, col: 1 });
    assert!(!bindery::model::blocks_plain_text(&blocks).contains("secret"));
}

#[test]
fn many_equal_headings_get_unique_ids_in_linear_time() {
    // The id generator tried suffixes -1, -2, ... from 1 for every duplicate: quadratic, hours
    // for a million headings.
    let mut ids = scales_linearly("equal heading ids", 200_000, |n| {
        let mut ids = bindery::slug::IdGenerator::new();
        for _ in 0..n {
            ids.for_text("h");
        }
        ids
    });
    assert_eq!(ids.for_text("h"), "h-200000");
    // An explicit id that collides with a generated one is still made unique.
    assert_eq!(ids.claim("h-5"), "h-5-1");
}

#[test]
fn deep_yaml_flow_nesting_is_refused_quickly() {
    // yaml_serde's scanner is quadratic in flow depth: 100,000 `[` took 74 s.
    let options = ReadOptions::default();
    let result = scales_linearly("nested YAML sequences", 100_000, |n| {
        let text = format!(
            "---\ntitle: T\nx: {}{}\n---\nBody\n",
            "[".repeat(n),
            "]".repeat(n)
        );
        read_str(Path::new("y.md"), &text, &options, &mut Warnings::new())
    });
    let error = result.unwrap_err().to_string();
    assert!(error.starts_with("y.md:3:132: error:"), "{error}");
}

#[test]
fn a_list_numbered_up_to_u64_max_does_not_overflow() {
    // fuzz/write_text, crash-6f017794: `start + index` overflowed in the text writer (and the
    // same sum in the PDF writer). A raw `<ol start>` can carry any u64.
    let doc = read_markdown("<ol start=\"18446744073709551615\"><li>a</li><li>b</li></ol>\n");
    let Some(Block::List(list)) = doc.blocks.first() else {
        panic!("{:?}", doc.blocks)
    };
    assert_eq!(list.start, Some(u64::MAX));
    let text = bindery::write::text::text(&doc, &Default::default());
    assert!(text.contains("18446744073709551615. a"), "{text}");
    assert!(pdf(doc).is_ok());
}

#[test]
fn a_very_long_title_in_the_running_header_is_shortened_in_linear_time() {
    // fuzz/write_pdf, timeout-01f2da17: the header's title was shortened one character at a
    // time, re-measuring the whole title each time, on every page.
    let body = "Some words to fill the page. ".repeat(4000);
    let bytes = scales_linearly("a PDF's running header", 800, |n| {
        let title = "Object-relational mappers ".repeat(n);
        let doc = read_markdown(&format!("---\ntitle: \"{title}\"\n---\n\n{body}\n"));
        pdf(doc).unwrap()
    });
    assert!(bytes.starts_with(b"%PDF-"));
}
