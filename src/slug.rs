//! Heading ids: slugs of the heading text, unique within a document.

use std::collections::{HashMap, HashSet};

/// Turns text into a URL- and XML-safe slug: lower case, words joined by `-`
/// (`Who drives the Python community?` -> `who-drives-the-python-community`).
pub fn slugify(text: &str) -> String {
    let mut slug = String::with_capacity(text.len());
    let mut pending_dash = false;
    for c in text.chars().flat_map(char::to_lowercase) {
        if c.is_alphanumeric() || c == '_' {
            if pending_dash && !slug.is_empty() {
                slug.push('-');
            }
            pending_dash = false;
            slug.push(c);
        } else if c == '-' || c.is_whitespace() || c.is_ascii_punctuation() {
            pending_dash = true;
        }
    }
    slug
}

/// A heading's id as GitHub and mdBook make it, so links written for those tools resolve:
/// lower case, letters, digits, `_` and `-` kept, every white-space character a `-`, anything
/// else dropped (`Strings & Bytes` -> `strings--bytes`; runs of `-` are not collapsed).
pub fn heading_id(text: &str) -> String {
    text.trim()
        .chars()
        .flat_map(char::to_lowercase)
        .filter_map(|c| {
            if c.is_alphanumeric() || c == '_' || c == '-' {
                Some(c)
            } else if c.is_whitespace() {
                Some('-')
            } else {
                None
            }
        })
        .collect()
}

/// The form in which two ids made by different tools for the same heading agree: runs of `-`
/// collapsed, none at the ends, and without the `s-` bindery puts before a leading digit
/// (`python-3--strings` and `python-3-strings` match). Used to resolve a link's `#fragment`
/// written for another tool's id rules.
pub fn loose_id(id: &str) -> String {
    let id = id
        .strip_prefix("s-")
        .filter(|rest| rest.starts_with(|c: char| c.is_ascii_digit()))
        .unwrap_or(id);
    let mut out = String::with_capacity(id.len());
    for part in id.split('-').filter(|part| !part.is_empty()) {
        if !out.is_empty() {
            out.push('-');
        }
        out.push_str(&part.to_lowercase());
    }
    out
}

/// Hands out ids unique within one document: the second `intro` becomes `intro-1`.
#[derive(Debug, Default, Clone)]
pub struct IdGenerator {
    used: HashSet<String>,
    /// The next suffix to try for each base that was taken: without it, the n-th `intro` would
    /// try n suffixes and a million equal headings would take hours.
    next_suffix: HashMap<String, usize>,
}

impl IdGenerator {
    /// A generator with no ids taken.
    pub fn new() -> Self {
        Self::default()
    }

    /// Reserves an id given explicitly in the source, making it unique if it is taken already.
    pub fn claim(&mut self, wanted: &str) -> String {
        let base = if wanted.is_empty() { "section" } else { wanted };
        // XML ids may not start with a digit or `-`.
        let base = if base.starts_with(|c: char| c.is_ascii_digit() || c == '-') {
            format!("s-{base}")
        } else {
            base.to_string()
        };
        if self.used.insert(base.clone()) {
            return base;
        }
        let next = self.next_suffix.entry(base.clone()).or_insert(1);
        loop {
            let candidate = format!("{base}-{next}");
            *next += 1;
            if self.used.insert(candidate.clone()) {
                return candidate;
            }
        }
    }

    /// An id for a heading with this text (see [`heading_id`]).
    pub fn for_text(&mut self, text: &str) -> String {
        self.claim(&heading_id(text))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_are_lowercase_words_joined_by_dashes() {
        assert_eq!(
            slugify("Who drives the Python community?"),
            "who-drives-the-python-community"
        );
        assert_eq!(
            slugify("Python 3: Strings & Bytes"),
            "python-3-strings-bytes"
        );
        assert_eq!(slugify("  Ünïcode—dash "), "ünïcodedash");
    }

    #[test]
    fn heading_ids_follow_github_and_mdbook() {
        assert_eq!(
            heading_id("Python 3: Strings & Bytes"),
            "python-3-strings--bytes"
        );
        assert_eq!(heading_id("The `--verbose` flag"), "the---verbose-flag");
        assert_eq!(heading_id("Hello, World!"), "hello-world");
        assert_eq!(heading_id("Ünïcode—dash"), "ünïcodedash");
        assert_eq!(heading_id("snake_case names"), "snake_case-names");
        assert_eq!(loose_id("python-3--strings"), loose_id("python-3-strings"));
        assert_eq!(loose_id("s-2020-review"), "2020-review");
        assert_eq!(loose_id("s-curve"), "s-curve");
    }

    #[test]
    fn duplicates_get_numbered_suffixes() {
        let mut ids = IdGenerator::new();
        assert_eq!(ids.for_text("Intro"), "intro");
        assert_eq!(ids.for_text("Intro"), "intro-1");
        assert_eq!(ids.for_text("Intro"), "intro-2");
        assert_eq!(ids.for_text("???"), "section");
        assert_eq!(ids.for_text("2020"), "s-2020");
    }
}
