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

use std::cell::{Cell, RefCell};
use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use bindery::read::ReadOptions;
use bindery::read::markdown::parse_body;
use bindery::write::html::{HtmlOptions, body_to_string};
use html5ever::tendril::StrTendril;
use html5ever::tokenizer::states::RawKind;
use html5ever::tokenizer::{
    BufferQueue, TagKind, Token, TokenSink, TokenSinkResult, Tokenizer, TokenizerOpts,
};

/// The number of examples that must pass: the achieved count when this was last raised, so
/// that any regression fails the test. Raise it when a fix makes more examples pass.
const FLOOR: usize = 0;

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
             Normalized expected: `{}`\n\nNormalized actual: `{}`\n",
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
/// This follows the spec's own `test/normalize.py`, with html5ever's HTML5 tokenizer in place
/// of Python's `HTMLParser` (a tokenizer, not a tree builder, so misnested or unclosed tags
/// are compared as written rather than repaired the same way on both sides):
///
/// - Attributes are sorted by name, and their values re-escaped canonically (`normalize.py`:
///   `attrs.sort()`, `html.escape`).
/// - Whitespace runs in text collapse to one space, except inside `<pre>` (`whitespace_re`).
///   Only HTML's ASCII whitespace counts: a no-break space is content.
/// - Whitespace is dropped next to block-level tags: before a block tag opens or closes, and
///   at the start of text after one (`is_block_tag`, `rstrip`/`strip` in `normalize.py`).
/// - A newline right after `<br>` is dropped (`normalize.py`'s `br` rule).
/// - Character references are decoded and the text re-escaped one way (`&`, `<`, `>`, `"`),
///   so `&quot;`, `&#34;` and `"` are the same text. `normalize.py` only canonicalizes
///   references, leaving a literal `"` different from `&quot;`; they are the same text, and
///   which one a writer prints says nothing about what the model kept.
/// - Added for bindery: `id` attributes on `<h1>`..`<h6>` are dropped. bindery gives every
///   heading an id (an addition to the spec's output, not a loss).
/// - `<script>`, `<style>`, `<textarea>` and `<title>` contents are raw text, as in a browser.
/// - Leading and trailing whitespace of the whole fragment is trimmed.
pub fn normalize(html: &str) -> String {
    let sink = Normalizer::default();
    let tokenizer = Tokenizer::new(sink, TokenizerOpts::default());
    let input = BufferQueue::default();
    input.push_back(StrTendril::from_slice(html));
    let _ = tokenizer.feed(&input);
    tokenizer.end();
    tokenizer.sink.flush_text();
    tokenizer.sink.output.take().trim().to_string()
}

/// What the normalizer saw last: decides whitespace stripping, as `normalize.py`'s `last`.
#[derive(Clone, Copy, PartialEq, Eq, Default)]
enum Last {
    #[default]
    StartTag,
    EndTag,
    Other,
}

#[derive(Default)]
struct Normalizer {
    output: RefCell<String>,
    /// Character tokens not yet written: whitespace rules apply to a whole text run.
    text: RefCell<String>,
    last: Cell<Last>,
    last_tag: RefCell<String>,
    in_pre: Cell<bool>,
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
    /// Writes the pending text run (`normalize.py`'s `handle_data`).
    fn flush_text(&self) {
        let raw = self.text.take();
        if raw.is_empty() {
            return;
        }
        let last = self.last.get();
        let last_tag = self.last_tag.borrow().clone();
        let after_tag = matches!(last, Last::StartTag | Last::EndTag);
        let mut data: &str = &raw;
        if after_tag && last_tag == "br" {
            data = data.trim_start_matches('\n');
        }
        let mut data = if self.in_pre.get() {
            data.to_string()
        } else {
            collapse_whitespace(data)
        };
        if after_tag && is_block_tag(&last_tag) && !self.in_pre.get() {
            data = match last {
                Last::StartTag => data.trim_start().to_string(),
                _ => data.trim().to_string(),
            };
        }
        escape(&data, &mut self.output.borrow_mut());
        self.last.set(Last::Other);
    }

    fn rstrip_output(&self) {
        let mut output = self.output.borrow_mut();
        let len = output.trim_end().len();
        output.truncate(len);
    }

    fn tag(&self, tag: html5ever::tokenizer::Tag) -> TokenSinkResult<()> {
        self.flush_text();
        let name = tag.name.to_string();
        match tag.kind {
            TagKind::StartTag => {
                if name == "pre" {
                    self.in_pre.set(true);
                }
                if is_block_tag(&name) {
                    self.rstrip_output();
                }
                let heading = matches!(name.as_str(), "h1" | "h2" | "h3" | "h4" | "h5" | "h6");
                let mut attrs: Vec<(String, String)> = tag
                    .attrs
                    .iter()
                    .map(|a| (a.name.local.to_string(), a.value.to_string()))
                    .filter(|(k, _)| !(heading && k == "id"))
                    .collect();
                attrs.sort();
                let mut output = self.output.borrow_mut();
                output.push('<');
                output.push_str(&name);
                for (key, value) in attrs {
                    output.push(' ');
                    output.push_str(&key);
                    output.push_str("=\"");
                    escape(&value, &mut output);
                    output.push('"');
                }
                output.push('>');
                drop(output);
                *self.last_tag.borrow_mut() = name.clone();
                // `<x/>` counts as opened and closed (`handle_startendtag`).
                self.last.set(if tag.self_closing {
                    Last::EndTag
                } else {
                    Last::StartTag
                });
                match name.as_str() {
                    _ if tag.self_closing => TokenSinkResult::Continue,
                    "script" => TokenSinkResult::RawData(RawKind::ScriptData),
                    "style" => TokenSinkResult::RawData(RawKind::Rawtext),
                    "textarea" | "title" => TokenSinkResult::RawData(RawKind::Rcdata),
                    _ => TokenSinkResult::Continue,
                }
            }
            TagKind::EndTag => {
                if name == "pre" {
                    self.in_pre.set(false);
                } else if is_block_tag(&name) {
                    self.rstrip_output();
                }
                let _ = write!(self.output.borrow_mut(), "</{name}>");
                *self.last_tag.borrow_mut() = name;
                self.last.set(Last::EndTag);
                TokenSinkResult::Continue
            }
        }
    }
}

impl TokenSink for Normalizer {
    type Handle = ();

    fn process_token(&self, token: Token, _line: u64) -> TokenSinkResult<()> {
        match token {
            Token::CharacterTokens(text) => self.text.borrow_mut().push_str(&text),
            // The HTML5 tokenizer reports NUL separately; the spec replaces it with U+FFFD.
            Token::NullCharacterToken => self.text.borrow_mut().push('\u{fffd}'),
            Token::TagToken(tag) => return self.tag(tag),
            Token::CommentToken(text) => {
                self.flush_text();
                let _ = write!(self.output.borrow_mut(), "<!--{text}-->");
                self.last.set(Last::Other);
            }
            Token::DoctypeToken(doctype) => {
                self.flush_text();
                let mut output = self.output.borrow_mut();
                output.push_str("<!DOCTYPE");
                for part in [&doctype.name, &doctype.public_id, &doctype.system_id]
                    .into_iter()
                    .flatten()
                {
                    output.push(' ');
                    output.push_str(part);
                }
                output.push('>');
                self.last.set(Last::Other);
            }
            Token::EOFToken | Token::ParseError(_) => {}
        }
        TokenSinkResult::Continue
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
}
