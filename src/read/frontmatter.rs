//! Front matter: the metadata header at the top of a page.
//!
//! Two forms are read:
//! 1. Pelican / MultiMarkdown style: consecutive `key: value` lines at the very top, ended by the
//!    first blank line. A key is a word (letters, digits, `_`, `-`); the line is split at the first
//!    `:` so `title: Python 3: Strings` works; indented lines continue the previous value. A first
//!    line that is not `key: value` means there is no header.
//! 2. A YAML block between `---` lines (or `---` ... `...`), parsed with `yaml_serde`.
//!
//! Errors carry the line number in the file, not in the block.

use std::collections::HashMap;
use std::path::Path;

use crate::diag::{Diagnostic, Warnings};
use crate::error::Result;
use crate::meta::Meta;
use crate::model::Pos;

/// The header of a page and where its body starts.
#[derive(Debug, Default)]
pub struct FrontMatter {
    /// The metadata the header gave (empty when there is none).
    pub meta: Meta,
    /// Byte offset of the body in the text.
    pub body_offset: usize,
    /// 1-based line number of the body's first line.
    pub body_line: u32,
    /// Whether a header was found at all.
    pub present: bool,
}

/// Splits `line` into `(key, value)` if it is a `key: value` header line.
pub fn split_header_line(line: &str) -> Option<(&str, &str)> {
    let colon = line.find(':')?;
    let key = &line[..colon];
    let valid = !key.is_empty()
        && key
            .chars()
            .all(|c| c.is_alphanumeric() || c == '_' || c == '-');
    let rest = &line[colon + 1..];
    // `http://x` is not a header line: a value must be separated from its key by space or be empty.
    let separated = rest.is_empty() || rest.starts_with([' ', '\t']);
    (valid && separated).then(|| (key, rest.trim()))
}

/// Whether `text` opens with a header (a `---` YAML block, or `key: value` lines that include a
/// `title`): the content-based half of format detection.
pub fn opens_with_header(text: &str) -> bool {
    let mut lines = text.lines();
    match lines.next() {
        Some(first) if first.trim_end() == "---" => true,
        Some(first) => std::iter::once(first)
            .chain(lines)
            .take_while(|l| !l.trim().is_empty())
            .map_while(split_header_line)
            .any(|(key, _)| key.eq_ignore_ascii_case("title")),
        None => false,
    }
}

/// Quoting a line already at hand: [`Diagnostic::at`] with the whole text would look the line
/// up from the start, once per diagnostic (quadratic in a header of 100,000 bad lines).
trait Quoting {
    fn quoting(self, line: &str) -> Self;
}

impl Quoting for Diagnostic {
    fn quoting(mut self, line: &str) -> Self {
        if self.pos.is_some() {
            self.source_line = Some(line.trim_end().to_string());
        }
        self
    }
}

/// Lines of `text` with their byte offsets and 1-based numbers, line endings stripped.
fn numbered_lines(text: &str) -> impl Iterator<Item = (usize, u32, &str)> {
    let mut offset = 0;
    text.split_inclusive('\n')
        .zip(1..)
        .map(move |(raw, number)| {
            let start = offset;
            offset += raw.len();
            (start, number, raw.trim_end_matches(['\n', '\r']))
        })
}

/// Reads the header at the top of `text`. Warnings (duplicate keys, empty values) go to
/// `warnings`; malformed headers are errors.
pub fn parse(text: &str, path: &Path, warnings: &mut Warnings) -> Result<FrontMatter> {
    let first = text.lines().next().unwrap_or("");
    if first.trim_end() == "---" {
        return parse_yaml(text, path, warnings);
    }
    if split_header_line(first).is_none() {
        return Ok(FrontMatter {
            body_line: 1,
            ..FrontMatter::default()
        });
    }
    parse_pelican(text, path, warnings)
}

fn parse_pelican(text: &str, path: &Path, warnings: &mut Warnings) -> Result<FrontMatter> {
    // (key, value, line number, line text)
    let mut entries: Vec<(&str, String, u32, &str)> = Vec::new();
    let mut body_offset = text.len();
    let mut body_line = 0;
    let mut has_title = false;
    for (offset, number, line) in numbered_lines(text) {
        if line.trim().is_empty() {
            body_offset = offset
                + text[offset..]
                    .find('\n')
                    .map_or(text.len() - offset, |i| i + 1);
            body_line = number + 1;
            break;
        }
        if line.starts_with([' ', '\t'])
            && let Some((_, value, _, _)) = entries.last_mut()
        {
            value.push(' ');
            value.push_str(line.trim());
            continue;
        }
        let Some((key, value)) = split_header_line(line) else {
            let hint = if has_title {
                "end the header with a blank line before the body starts"
            } else {
                "write header lines as `key: value`, or start the body with a blank line"
            };
            return Err(Diagnostic::error(
                Some(path),
                "this line is inside the header but is not `key: value`",
            )
            .at(
                Pos {
                    line: number,
                    col: 1,
                },
                None,
            )
            .quoting(line)
            .with_hint(hint)
            .into());
        };
        has_title |= key.eq_ignore_ascii_case("title");
        entries.push((key, value.to_string(), number, line));
    }
    // Every step below is linear in the header: a hostile header has 100,000 lines.
    let mut last_of_key: HashMap<String, usize> = HashMap::with_capacity(entries.len());
    for (index, (key, ..)) in entries.iter().enumerate() {
        last_of_key.insert(key.to_ascii_lowercase(), index);
    }
    let mut meta = Meta::default();
    for (index, (key, value, line, line_text)) in entries.iter().enumerate() {
        let pos = Pos {
            line: *line,
            col: 1,
        };
        let last = last_of_key[&key.to_ascii_lowercase()] == index;
        if !last {
            warnings.push(
                Diagnostic::warning(
                    Some(path),
                    format!("duplicate key `{key}`: the last one wins"),
                )
                .at(pos, None)
                .quoting(line_text),
            );
        }
        if value.is_empty() {
            warnings.push(
                Diagnostic::warning(Some(path), format!("key `{key}` has no value"))
                    .at(pos, None)
                    .quoting(line_text)
                    .with_hint("give it a value or remove the line"),
            );
        }
        if !last {
            // The last one wins: setting the earlier ones too would only cost time.
            continue;
        }
        if let Err(message) = meta.set_unique(key, value) {
            warnings.push(
                Diagnostic::warning(Some(path), message)
                    .at(pos, None)
                    .quoting(line_text),
            );
        }
    }
    Ok(FrontMatter {
        meta,
        body_offset,
        body_line: body_line.max(entries.len() as u32 + 1),
        present: true,
    })
}

fn parse_yaml(text: &str, path: &Path, warnings: &mut Warnings) -> Result<FrontMatter> {
    let mut lines = numbered_lines(text);
    let (_, _, _) = lines.next().expect("caller saw the opening line");
    let block_start = text.find('\n').map_or(text.len(), |i| i + 1);
    let mut end = None;
    for (offset, number, line) in lines {
        let trimmed = line.trim_end();
        if trimmed == "---" || trimmed == "..." {
            let after = offset
                + text[offset..]
                    .find('\n')
                    .map_or(text.len() - offset, |i| i + 1);
            end = Some((offset, after, number));
            break;
        }
    }
    let Some((block_end, body_offset, end_line)) = end else {
        return Err(Diagnostic::error(
            Some(path),
            "the front matter opened with `---` is never closed",
        )
        .at(Pos { line: 1, col: 1 }, Some(text))
        .with_hint("end the metadata block with a line holding only `---` (or `...`)")
        .into());
    };
    let block = &text[block_start..block_end];
    if let Some(pos) = flow_nesting_past(block, MAX_YAML_NESTING) {
        // yaml_serde would refuse it too, but only after its scanner has spent time quadratic in
        // the depth (a minute for 100,000 `[`).
        return Err(Diagnostic::error(
            Some(path),
            format!("invalid YAML front matter: nested deeper than {MAX_YAML_NESTING} levels"),
        )
        .at(
            Pos {
                line: pos.line + 1,
                col: pos.col,
            },
            Some(text),
        )
        .with_hint("metadata values are short; flatten the nested `[` / `{` collections")
        .into());
    }
    let value: yaml_serde::Value = if block.trim().is_empty() {
        yaml_serde::Value::Null
    } else {
        yaml_serde::from_str(block).map_err(|e| yaml_error(&e, block, path, text))?
    };
    let mut meta = Meta::default();
    match value {
        yaml_serde::Value::Null => {}
        yaml_serde::Value::Mapping(map) => {
            let key_lines = yaml_key_lines(block);
            for (key, value) in map {
                let key = scalar_text(&key, "");
                let key_line = key_lines.get(key.as_str());
                let line = key_line.map_or(1, |&(l, _)| l + 1);
                let pos = Pos { line, col: 1 };
                let result = match value {
                    yaml_serde::Value::Sequence(items) => meta.set_list(
                        &key,
                        items.iter().map(|v| scalar_text(v, "")).collect::<Vec<_>>(),
                    ),
                    other => {
                        let raw = key_line.map(|&(_, line)| yaml_raw_value(line));
                        meta.set_unique(&key, &scalar_text(&other, raw.unwrap_or_default()))
                    }
                };
                if let Err(message) = result {
                    let mut warning = Diagnostic::warning(Some(path), message).at(pos, None);
                    if let Some(&(_, line)) = key_line {
                        warning = warning.quoting(line);
                    }
                    warnings.push(warning);
                }
            }
        }
        _ => {
            return Err(Diagnostic::error(
                Some(path),
                "the front matter must be a mapping of `key: value` pairs",
            )
            .at(Pos { line: 2, col: 1 }, Some(text))
            .into());
        }
    }
    Ok(FrontMatter {
        meta,
        body_offset,
        body_line: end_line + 1,
        present: true,
    })
}

/// A YAML parse error as a diagnostic at the file's own line and column, in words.
fn yaml_error(e: &yaml_serde::Error, block: &str, path: &Path, text: &str) -> Diagnostic {
    let (line, col) = e
        .location()
        .map_or((1, 0), |l| (l.line() as u32 + 1, l.column() as u32));
    let message = e.to_string();
    // yaml_serde appends "at line X column Y" relative to the block: drop it, we give the
    // file's own numbers.
    let message = message
        .split(" at line ")
        .next()
        .unwrap_or(&message)
        .to_string();
    // yaml_serde refuses alias expansions that grow past its repetition limit ("billion
    // laughs"); say so in words, since its own message does not mention aliases.
    let (message, hint) = if message.contains("repetition limit exceeded") {
        (
            "YAML aliases expand to too much data (an alias bomb)".to_string(),
            "metadata values are short; do not nest `*alias` references",
        )
    } else if block.contains('\t') {
        (
            message,
            "YAML does not allow tabs for indentation; use spaces",
        )
    } else {
        (message, "check the YAML syntax of the metadata block")
    };
    Diagnostic::error(Some(path), format!("invalid YAML front matter: {message}"))
        .at(Pos { line, col }, Some(text))
        .with_hint(hint)
}

/// The deepest YAML flow nesting (`[` and `{`) front matter may use: yaml_serde's own
/// recursion limit, checked before parsing because its scanner is slow on deep nesting.
pub const MAX_YAML_NESTING: usize = 128;

/// Where the unquoted flow collections of `block` first nest deeper than `limit` (line 1-based
/// within the block), if they do. Quotes are followed roughly (a `'` inside a plain scalar
/// starts a "quote"), which can only under-count and leave the case to yaml_serde.
fn flow_nesting_past(block: &str, limit: usize) -> Option<Pos> {
    let mut depth = 0usize;
    for (index, line) in block.lines().enumerate() {
        let mut quote: Option<char> = None;
        let mut escaped = false;
        for (col, c) in line.chars().enumerate() {
            match quote {
                Some('"') if escaped => escaped = false,
                Some('"') if c == '\\' => escaped = true,
                Some(q) if c == q => quote = None,
                Some(_) => {}
                None => match c {
                    '"' | '\'' => quote = Some(c),
                    '#' => break,
                    '[' | '{' => {
                        depth += 1;
                        if depth > limit {
                            return Some(Pos {
                                line: index as u32 + 1,
                                col: col as u32 + 1,
                            });
                        }
                    }
                    ']' | '}' => depth = depth.saturating_sub(1),
                    _ => {}
                },
            }
        }
    }
    None
}

/// The text of a scalar. Numbers and booleans use `raw` (their text in the file) when given, so
/// `0106` is not turned into `106`.
fn scalar_text(value: &yaml_serde::Value, raw: &str) -> String {
    use yaml_serde::Value;
    match value {
        Value::String(s) => s.clone(),
        Value::Null => String::new(),
        Value::Bool(_) | Value::Number(_) if !raw.is_empty() => raw.to_string(),
        Value::Bool(b) => b.to_string(),
        Value::Number(n) => n.to_string(),
        other => yaml_serde::to_string(other)
            .unwrap_or_default()
            .trim()
            .to_string(),
    }
}

/// Every top-level key of a YAML block with its line (1-based within the block, counting the
/// opening `---`, so 0-based in the file) and that line's text; the first line of a key wins.
/// Built once, so that a block of 100,000 keys is read in linear time.
fn yaml_key_lines(block: &str) -> HashMap<&str, (u32, &str)> {
    let mut lines = HashMap::new();
    for (index, line) in block.lines().enumerate() {
        if let Some((key, _)) = split_header_line(line) {
            lines.entry(key).or_insert((index as u32 + 1, line));
        }
    }
    lines
}

/// The raw text after `key:` on its top-level line, quotes and trailing comment removed.
fn yaml_raw_value(line: &str) -> &str {
    let Some((_, value)) = split_header_line(line) else {
        return "";
    };
    let value = value.split(" #").next().unwrap_or(value).trim();
    value.trim_matches(|c| c == '"' || c == '\'')
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse_ok(text: &str) -> (FrontMatter, Warnings) {
        let mut warnings = Warnings::new();
        let fm = parse(text, Path::new("t.md"), &mut warnings).unwrap();
        (fm, warnings)
    }

    #[test]
    fn pelican_header_splits_at_first_colon_and_continues_indented_lines() {
        let text = "title: Python 3: Strings\nmeta: one\n  two\nsortorder: 0106\n\n# Body\n";
        let (fm, warnings) = parse_ok(text);
        assert!(warnings.is_empty());
        assert_eq!(fm.meta.title.as_deref(), Some("Python 3: Strings"));
        assert_eq!(fm.meta.description.as_deref(), Some("one two"));
        assert_eq!(fm.meta.sortorder.as_deref(), Some("0106"));
        assert_eq!(&text[fm.body_offset..], "# Body\n");
        assert_eq!(fm.body_line, 6);
    }

    #[test]
    fn no_header_when_first_line_is_not_key_value() {
        let (fm, _) = parse_ok("# Title\n\ntitle: not a header\n");
        assert!(!fm.present);
        assert_eq!(fm.body_offset, 0);
    }

    #[test]
    fn duplicate_keys_warn_and_last_wins() {
        let (fm, warnings) = parse_ok("title: A\ntitle: B\n\nbody");
        assert_eq!(fm.meta.title.as_deref(), Some("B"));
        assert_eq!(warnings.len(), 1);
        assert!(
            warnings[0]
                .to_string()
                .starts_with("t.md:1:1: warning: duplicate key")
        );
    }

    #[test]
    fn header_without_blank_line_is_an_error_with_place() {
        let err = parse(
            "title: A\n# Body\n",
            Path::new("t.md"),
            &mut Warnings::new(),
        )
        .unwrap_err();
        let shown = err.to_string();
        assert!(shown.starts_with("t.md:2:1: error:"), "{shown}");
        assert!(shown.contains("blank line"), "{shown}");
    }

    #[test]
    fn yaml_block_keeps_raw_scalars() {
        let text = "---\ntitle: \"Hello\"\nsortorder: 0106\ntoc: false\ntags: [a, b]\ndate: 2020-01-02\n---\nBody\n";
        let (fm, warnings) = parse_ok(text);
        assert!(warnings.is_empty(), "{warnings:?}");
        assert_eq!(fm.meta.title.as_deref(), Some("Hello"));
        assert_eq!(fm.meta.sortorder.as_deref(), Some("0106"));
        assert_eq!(fm.meta.toc, Some(false));
        assert_eq!(fm.meta.tags, ["a", "b"]);
        assert_eq!(fm.meta.date.as_deref(), Some("2020-01-02"));
        assert_eq!(&text[fm.body_offset..], "Body\n");
        assert_eq!(fm.body_line, 8);
    }

    #[test]
    fn yaml_errors_use_file_line_numbers() {
        let text = "---\ntitle: ok\nbad: [unclosed\n---\n";
        let err = parse(text, Path::new("y.md"), &mut Warnings::new()).unwrap_err();
        let shown = err.to_string();
        assert!(shown.starts_with("y.md:"), "{shown}");
        let line: u32 = shown.split(':').nth(1).unwrap().parse().unwrap();
        assert!((3..=4).contains(&line), "{shown}");
    }

    #[test]
    fn deep_flow_nesting_is_refused_before_parsing() {
        let deep = format!("---\nx: {}{}\n---\n", "[".repeat(200), "]".repeat(200));
        let err = parse(&deep, Path::new("d.md"), &mut Warnings::new()).unwrap_err();
        assert!(err.to_string().starts_with("d.md:2:132: error:"), "{err}");
        // Brackets in quotes and comments do not count.
        let quoted = format!(
            "---\nx: \"{}\" # {}\n---\n",
            "[".repeat(200),
            "{".repeat(200)
        );
        assert!(parse(&quoted, Path::new("q.md"), &mut Warnings::new()).is_ok());
    }

    #[test]
    fn unterminated_yaml_is_an_error() {
        let err = parse("---\ntitle: x\n", Path::new("u.md"), &mut Warnings::new()).unwrap_err();
        assert!(err.to_string().contains("never closed"));
    }
}
