//! No input makes a reader or writer panic or overflow the stack.

use std::path::Path;

use bindery::format::{Content, OutputFormat, RenderOptions, RenderReport, render};
use bindery::read::{InputFormat, ReadOptions, read_str};
use proptest::prelude::*;

/// Reads `text` in `format` and writes it in every single-document format.
fn round_trip(text: &str, format: InputFormat) {
    let options = ReadOptions {
        format: Some(format),
        ..ReadOptions::default()
    };
    let mut warnings = Vec::new();
    if let Ok(document) = read_str(Path::new("p.md"), text, &options, &mut warnings) {
        for output in [OutputFormat::Html, OutputFormat::Text] {
            render(
                Content::Document(&document),
                output,
                &RenderOptions::default(),
                &mut RenderReport::default(),
            )
            .unwrap();
        }
    }
}

/// Strings rich in the characters that drive Markdown, HTML and header parsing.
fn markup() -> impl Strategy<Value = String> {
    proptest::string::string_regex(
        "([-*#>`~|:_\\[\\]()!<>/=\"' \n\t1.a-zA-Z\u{2022}\u{00e9}]|<img src=x>|<div>|</div>|---\n|```\n|[0-9]+\\. ){0,200}",
    )
    .unwrap()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn markdown_never_panics(text in markup()) {
        round_trip(&text, InputFormat::Markdown);
    }

    #[test]
    fn plain_text_never_panics(text in markup()) {
        round_trip(&text, InputFormat::Text);
    }

    #[test]
    fn any_unicode_never_panics(text in any::<String>()) {
        round_trip(&text, InputFormat::Markdown);
        round_trip(&text, InputFormat::Text);
    }
}

#[test]
fn ten_thousand_deep_nesting_is_survived() {
    let depth = 10_000;
    let cases = [
        "> ".repeat(depth) + "quote\n",
        (0..depth)
            .map(|i| format!("{}- item\n", "  ".repeat(i)))
            .collect::<String>(),
        "<div>".repeat(depth) + "x" + &"</div>".repeat(depth),
        "*".repeat(depth) + "x" + &"*".repeat(depth),
        "[".repeat(depth) + "x" + &"]".repeat(depth),
        "1. ".repeat(depth) + "x\n",
    ];
    // The deepest cases run on a thread with a small stack, as a guard that the bound holds
    // without relying on the main thread's larger one.
    for case in cases {
        std::thread::Builder::new()
            .stack_size(4 << 20)
            .spawn(move || {
                round_trip(&case, InputFormat::Markdown);
                round_trip(&case, InputFormat::Text);
            })
            .unwrap()
            .join()
            .expect("no panic and no stack overflow");
    }
}
