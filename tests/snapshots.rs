//! Snapshots of the seed documents in every single-document format. Each `.snap` file in
//! `tests/snapshots/` was read by eye when accepted; a change to one is a change in what users
//! get, and is reviewed like code.

use std::path::Path;

use bindery::format::{Content, OutputFormat, RenderOptions, RenderReport, render};
use bindery::read::{ReadOptions, read_document};
use bindery::write::html::PageOptions;

fn convert(name: &str, format: OutputFormat, fragment: bool) -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("input")
        .join(name);
    let bytes = std::fs::read(&path).unwrap();
    let mut warnings = Vec::new();
    let document = read_document(
        Path::new(name),
        &bytes,
        &ReadOptions::default(),
        &mut warnings,
    )
    .expect("the seed reads");
    assert!(warnings.is_empty(), "{warnings:?}");
    let options = RenderOptions {
        html: PageOptions {
            fragment,
            ..PageOptions::default()
        },
        ..RenderOptions::default()
    };
    String::from_utf8(
        render(
            Content::Document(&document),
            format,
            &options,
            &mut RenderReport::default(),
        )
        .unwrap(),
    )
    .unwrap()
}

#[test]
fn seed_frontmatter_as_html_body() {
    insta::assert_snapshot!(convert(
        "python-community-frontmatter.txt",
        OutputFormat::Html,
        true
    ));
}

#[test]
fn seed_frontmatter_as_text() {
    insta::assert_snapshot!(convert(
        "python-community-frontmatter.txt",
        OutputFormat::Text,
        false
    ));
}

#[test]
fn feature_tour_as_text() {
    insta::assert_snapshot!(convert("feature-tour.md", OutputFormat::Text, false));
}

#[test]
fn seed_plaintext_as_html_body() {
    insta::assert_snapshot!(convert(
        "python-community-plaintext.txt",
        OutputFormat::Html,
        true
    ));
}

#[test]
fn seed_plaintext_as_text() {
    insta::assert_snapshot!(convert(
        "python-community-plaintext.txt",
        OutputFormat::Text,
        false
    ));
}
