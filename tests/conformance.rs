//! CommonMark conformance of the whole Markdown path: reader -> document model -> HTML writer.
//!
//! Every example of the CommonMark spec goes through
//! [`bindery::read::markdown::parse_body`] and [`bindery::write::html::body_to_string`]
//! (a fragment, no highlighting, no heading anchors), and the result is compared with the
//! spec's expected HTML after both are normalized (see [`normalize`]). Because the writer
//! only ever sees the model, a failing example shows either something the model cannot hold
//! or a bug in the reader or writer. `tests/conformance.md` explains every remaining failure.
//!
//! The spec is not committed: `tests/conformance/fetch.sh` installs the `commonmark-spec` npm
//! package into `target/conformance/` and dumps its examples to
//! `target/conformance/spec.json`. Then:
//!
//! ```text
//! BINDERY_SPEC_JSON=target/conformance/spec.json \
//!     cargo test --test conformance -- --ignored --nocapture
//! ```
//!
//! The test prints per-section pass counts and the overall rate, writes every failure with
//! its expected and actual HTML to `target/conformance/report.md`, and fails when the pass
//! count drops below [`FLOOR`].

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use bindery::read::ReadOptions;
use bindery::read::markdown::parse_body;
use bindery::write::html::{HtmlOptions, body_to_string};
use html5ever::tendril::TendrilSink;
use html5ever::{ParseOpts, parse_document};
use markup5ever_rcdom::{Handle, NodeData, RcDom};

/// The number of examples that must pass: the achieved count when this was last raised, so
/// that any regression fails the test. Raise it when a fix makes more examples pass.
const FLOOR: usize = 631;

/// One example of the spec, as `fetch.sh` writes it.
#[derive(serde::Deserialize)]
struct Example {
    number: usize,
    section: String,
    markdown: String,
    html: String,
}

/// Markdown -> model -> HTML, the way `bindery convert --fragment` would with highlighting
/// off (highlighting adds `<span>`s the spec does not know about).
fn render(markdown: &str) -> String {
    let blocks = parse_body(markdown, 1, &ReadOptions::default());
    body_to_string(
        &blocks,
        &HtmlOptions {
            highlight: false,
            heading_anchors: false,
            ..Default::default()
        },
    )
}

#[test]
#[ignore = "needs the spec examples: run tests/conformance/fetch.sh, set BINDERY_SPEC_JSON"]
fn commonmark_spec_examples() {
    let path = std::env::var_os("BINDERY_SPEC_JSON")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("target/conformance/spec.json"));
    let json = std::fs::read_to_string(&path).unwrap_or_else(|e| {
        panic!(
            "cannot read {}: {e}; run tests/conformance/fetch.sh first",
            path.display()
        )
    });
    let examples: Vec<Example> = serde_json::from_str(&json).expect("spec.json is malformed");
    assert!(!examples.is_empty(), "no examples in {}", path.display());

    // Section -> (passed, total), in spec order (the first example number orders sections).
    let mut sections: BTreeMap<usize, (String, usize, usize)> = BTreeMap::new();
    let mut section_first: BTreeMap<String, usize> = BTreeMap::new();
    let mut failures = Vec::new();
    for example in &examples {
        // A panic is a failure of that example, not of the run.
        let actual = std::panic::catch_unwind(|| render(&example.markdown))
            .unwrap_or_else(|_| "(reader or writer panicked)".to_string());
        let passed = normalize(&actual) == normalize(&example.html);
        let first = *section_first
            .entry(example.section.clone())
            .or_insert(example.number);
        let entry = sections
            .entry(first)
            .or_insert_with(|| (example.section.clone(), 0, 0));
        entry.1 += usize::from(passed);
        entry.2 += 1;
        if !passed {
            failures.push((example, actual));
        }
    }

    let total = examples.len();
    let passed = total - failures.len();
    let rate = 100.0 * passed as f64 / total as f64;
    println!("CommonMark conformance by section:");
    for (name, ok, count) in sections.values() {
        println!("  {ok:>3}/{count:<3} {name}");
    }
    println!("Overall: {passed}/{total} examples pass ({rate:.2}%)");

    let report = report(&failures, passed, total);
    let report_path = path.parent().unwrap_or(Path::new(".")).join("report.md");
    match std::fs::write(&report_path, report) {
        Ok(()) => println!("Failures written to {}", report_path.display()),
        Err(e) => println!("could not write {}: {e}", report_path.display()),
    }
    println!(
        "Failing examples: {:?}",
        failures.iter().map(|(e, _)| e.number).collect::<Vec<_>>()
    );
    assert!(
        passed >= FLOOR,
        "conformance regressed: {passed} examples pass, the floor is {FLOOR}"
    );
}

/// The failure list as Markdown: each example's input, expected and actual HTML, and the
/// normalized forms that were compared.
fn report(failures: &[(&Example, String)], passed: usize, total: usize) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "# CommonMark conformance report\n\n{passed}/{total} examples pass ({:.2}%); {} fail.\n",
        100.0 * passed as f64 / total as f64,
        failures.len()
    );
    for (example, actual) in failures {
        let _ = writeln!(
            out,
            "## Example {} ({})\n\nMarkdown:\n\n````````\n{}````````\n\nExpected:\n\n\
             ````````\n{}````````\n\nActual:\n\n````````\n{}````````\n\n\
             Normalized expected:\n\n````````\n{}\n````````\n\n\
             Normalized actual:\n\n````````\n{}\n````````\n",
            example.number,
            example.section,
            example.markdown,
            example.html,
            actual,
            normalize(&example.html),
            normalize(actual),
        );
    }
    out
}

/// Canonical form of an HTML fragment, so that equivalent HTML compares equal.
///
/// Both sides are parsed into a DOM with html5ever (as a browser parses a page, so two
/// strings that make the same document compare equal: `<p><a href="x">y</p>` and
/// `<p><a href="x">y</a></p>` are one DOM) and the DOM is re-serialized following the rules of
/// the spec's own `test/normalize.py`:
///
/// - Attributes are sorted by name and their values re-escaped canonically (`normalize.py`:
///   `attrs.sort()`, `html.escape`).
/// - Whitespace runs in text collapse to one space, except inside `<pre>` (`whitespace_re`).
///   Only HTML's ASCII whitespace counts: a no-break space is content.
/// - Whitespace is dropped next to block-level tags: before a block tag opens or closes, and
///   at the start of text after one (`is_block_tag`, `rstrip`/`strip` in `normalize.py`).
/// - A newline right after `<br>` is dropped (`normalize.py`'s `br` rule).
/// - Character references are decoded and the text re-escaped one way (`&`, `<`, `>`, `"`),
///   so `&quot;`, `&#34;` and `"` are the same text. (`normalize.py` keeps a literal `"`
///   different from `&quot;`; which one a writer prints says nothing about the model.)
/// - The `<html>`, `<head>` and `<body>` elements the parser implies are not printed, only
///   their content. The input is parsed as a whole document, not a body fragment, so that a
///   leading `<!DOCTYPE>` is kept rather than dropped on both sides.
/// - Added for bindery: `id` attributes on `<h1>`..`<h6>` are dropped. bindery gives every
///   heading an id (an addition to the spec's output, not a loss).
/// - Leading and trailing whitespace of the whole fragment is trimmed.
pub fn normalize(html: &str) -> String {
    let dom = parse_document(RcDom::default(), ParseOpts::default()).one(html);
    let mut out = Normalizer::default();
    for child in dom.document.children.borrow().iter() {
        out.node(child);
    }
    out.output.trim().to_string()
}

/// What the normalizer wrote last: decides whitespace stripping, as `normalize.py`'s `last`.
#[derive(Clone, Copy, PartialEq, Eq, Default)]
enum Last {
    #[default]
    StartTag,
    EndTag,
    Other,
}

#[derive(Default)]
struct Normalizer {
    output: String,
    last: Last,
    last_tag: String,
    in_pre: bool,
}

/// `normalize.py`'s block-level tags.
fn is_block_tag(tag: &str) -> bool {
    matches!(
        tag,
        "article"
            | "header"
            | "aside"
            | "hgroup"
            | "blockquote"
            | "hr"
            | "iframe"
            | "body"
            | "li"
            | "map"
            | "button"
            | "object"
            | "canvas"
            | "ol"
            | "caption"
            | "output"
            | "col"
            | "p"
            | "colgroup"
            | "pre"
            | "dd"
            | "progress"
            | "section"
            | "dl"
            | "table"
            | "td"
            | "dt"
            | "tbody"
            | "embed"
            | "textarea"
            | "fieldset"
            | "tfoot"
            | "figcaption"
            | "th"
            | "figure"
            | "thead"
            | "footer"
            | "tr"
            | "form"
            | "ul"
            | "h1"
            | "h2"
            | "h3"
            | "h4"
            | "h5"
            | "h6"
            | "video"
            | "script"
            | "style"
    )
}

/// Elements that never have an end tag: printed as `normalize.py` prints `<x/>`.
fn is_void(tag: &str) -> bool {
    matches!(
        tag,
        "area"
            | "base"
            | "br"
            | "col"
            | "embed"
            | "hr"
            | "img"
            | "input"
            | "link"
            | "meta"
            | "source"
            | "track"
            | "wbr"
    )
}

fn escape(text: &str, out: &mut String) {
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            c => out.push(c),
        }
    }
}

fn collapse_whitespace(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut in_space = false;
    for c in text.chars() {
        if matches!(c, ' ' | '\t' | '\n' | '\r' | '\x0c') {
            if !in_space {
                out.push(' ');
            }
            in_space = true;
        } else {
            out.push(c);
            in_space = false;
        }
    }
    out
}

impl Normalizer {
    fn node(&mut self, node: &Handle) {
        match &node.data {
            NodeData::Document => self.children(node),
            NodeData::Doctype {
                name,
                public_id,
                system_id,
            } => {
                self.output.push_str("<!DOCTYPE");
                for part in [name, public_id, system_id] {
                    if !part.is_empty() {
                        self.output.push(' ');
                        self.output.push_str(part);
                    }
                }
                self.output.push('>');
                self.last = Last::Other;
            }
            NodeData::Text { contents } => self.text(&contents.borrow()),
            NodeData::Comment { contents } => {
                let _ = write!(self.output, "<!--{contents}-->");
                self.last = Last::Other;
            }
            NodeData::Element { name, attrs, .. } => {
                let tag = name.local.to_string();
                if matches!(tag.as_str(), "html" | "head" | "body") {
                    return self.children(node);
                }
                let heading = matches!(tag.as_str(), "h1" | "h2" | "h3" | "h4" | "h5" | "h6");
                let mut attrs: Vec<(String, String)> = attrs
                    .borrow()
                    .iter()
                    .map(|a| (a.name.local.to_string(), a.value.to_string()))
                    .filter(|(k, _)| !(heading && k == "id"))
                    .collect();
                attrs.sort();
                self.start_tag(&tag, &attrs);
                if is_void(&tag) {
                    // `handle_startendtag`: opened and closed at once.
                    self.last = Last::EndTag;
                    return;
                }
                self.children(node);
                // `<template>` keeps its content in a separate fragment.
                if let Some(contents) = name_template_contents(node) {
                    self.children(&contents);
                }
                self.end_tag(&tag);
            }
            NodeData::ProcessingInstruction { target, contents } => {
                let _ = write!(self.output, "<?{target} {contents}>");
                self.last = Last::Other;
            }
        }
    }

    fn children(&mut self, node: &Handle) {
        for child in node.children.borrow().iter() {
            self.node(child);
        }
    }

    /// `normalize.py`'s `handle_data`.
    fn text(&mut self, raw: &str) {
        let after_tag = matches!(self.last, Last::StartTag | Last::EndTag);
        let mut data: &str = raw;
        if after_tag && self.last_tag == "br" {
            data = data.trim_start_matches('\n');
        }
        let mut data = if self.in_pre {
            data.to_string()
        } else {
            collapse_whitespace(data)
        };
        if after_tag && is_block_tag(&self.last_tag) && !self.in_pre {
            data = match self.last {
                Last::StartTag => data.trim_start().to_string(),
                _ => data.trim().to_string(),
            };
        }
        escape(&data, &mut self.output);
        self.last = Last::Other;
    }

    fn rstrip_output(&mut self) {
        let len = self.output.trim_end().len();
        self.output.truncate(len);
    }

    fn start_tag(&mut self, tag: &str, attrs: &[(String, String)]) {
        if tag == "pre" {
            self.in_pre = true;
        }
        if is_block_tag(tag) {
            self.rstrip_output();
        }
        self.output.push('<');
        self.output.push_str(tag);
        for (key, value) in attrs {
            self.output.push(' ');
            self.output.push_str(key);
            self.output.push_str("=\"");
            escape(value, &mut self.output);
            self.output.push('"');
        }
        self.output.push('>');
        self.last_tag = tag.to_string();
        self.last = Last::StartTag;
    }

    fn end_tag(&mut self, tag: &str) {
        if tag == "pre" {
            self.in_pre = false;
        } else if is_block_tag(tag) {
            self.rstrip_output();
        }
        let _ = write!(self.output, "</{tag}>");
        self.last_tag = tag.to_string();
        self.last = Last::EndTag;
    }
}

fn name_template_contents(node: &Handle) -> Option<Handle> {
    match &node.data {
        NodeData::Element {
            template_contents, ..
        } => template_contents.borrow().clone(),
        _ => None,
    }
}

/// The normalization itself must be right for the rate to mean anything.
#[test]
fn normalization_follows_the_spec_rules() {
    // Attribute order, quoting and references.
    assert_eq!(
        normalize("<a title='x&amp;y' href=\"/u\">t</a>"),
        normalize("<a href=\"/u\" title=\"x&#38;y\">t</a>")
    );
    // Whitespace between and inside blocks.
    assert_eq!(
        normalize("<ul>\n<li>\n<p>a</p>\n</li>\n</ul>\n"),
        "<ul><li><p>a</p></li></ul>"
    );
    assert_eq!(normalize("<p>a  \n b</p>"), "<p>a b</p>");
    // ...but not inside <pre>.
    assert_eq!(
        normalize("<pre><code>a  \n b\n</code></pre>"),
        "<pre><code>a  \n b\n</code></pre>"
    );
    // Newline after <br>.
    assert_eq!(normalize("a<br />\nb"), normalize("a<br>b"));
    // Text references.
    assert_eq!(
        normalize("<p>&quot;&#x26;\"</p>"),
        "<p>&quot;&amp;&quot;</p>"
    );
    // Heading ids are bindery's addition; other attributes still count.
    assert_eq!(normalize("<h2 id=\"foo\">Foo</h2>"), "<h2>Foo</h2>");
    assert_ne!(normalize("<p id=\"foo\">Foo</p>"), "<p>Foo</p>");
    // Inline elements keep their surrounding spaces.
    assert_ne!(
        normalize("<p>a <em>b</em></p>"),
        normalize("<p>a<em>b</em></p>")
    );
    // Comments and raw text survive.
    assert_eq!(normalize("<!-- c -->"), "<!-- c -->");
    assert_eq!(
        normalize("<script>if (a < b) {}</script>"),
        "<script>if (a &lt; b) {}</script>"
    );
    // The same DOM is the same document: an `<a>` left open ends with its paragraph.
    assert_eq!(
        normalize("<p><a href=\"x\">y</p>"),
        normalize("<p><a href=\"x\">y</a></p>")
    );
    // A doctype is kept (not dropped on both sides), void elements have no end tag.
    assert_eq!(normalize("<!DOCTYPE html>"), "<!DOCTYPE html>");
    assert_eq!(normalize("<img src=\"a\"/>"), normalize("<img src=\"a\">"));
}
