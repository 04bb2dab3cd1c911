//! Unit tests of the EPUB writer's helpers; whole-book checks live in `tests/epub.rs`.

use super::*;

#[test]
fn dates_parse_without_timezone_shift() {
    assert_eq!(
        parse_date("2017-07-23").unwrap().to_rfc3339(),
        "2017-07-23T00:00:00+00:00"
    );
    assert_eq!(
        parse_date("2017-07-23 10:30").unwrap().to_rfc3339(),
        "2017-07-23T10:30:00+00:00"
    );
    assert!(parse_date("July 2017").is_none());
}

#[test]
fn links_map_to_chapter_files() {
    assert_eq!(map_link("bindery:django#orm"), "django.xhtml#orm");
    assert_eq!(map_link("bindery:django"), "django.xhtml");
    assert_eq!(map_link("https://x.org/a b"), "https://x.org/a%20b");
}

#[test]
fn forbidden_xml_characters_are_removed() {
    assert_eq!(xml_chars("a\u{0}b\u{1b}c\td".into()), "abc\td");
}
