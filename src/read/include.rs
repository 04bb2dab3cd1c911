//! mdBook's include directives, expanded in the source text before it is parsed:
//!
//! - `{{#include file}}`: the whole file;
//! - `{{#include file:5}}` (line 5), `{{#include file:5:}}` (from line 5), `{{#include file::10}}`
//!   (up to line 10), `{{#include file:5:10}}` (lines 5 to 10, counted from 1);
//! - `{{#include file:name}}`: the lines between `ANCHOR: name` and `ANCHOR_END: name`;
//! - `{{#rustdoc_include file...}}`: the whole file, with the lines outside the range or anchor
//!   kept as rustdoc's hidden lines (`# ` prefix), which the Markdown reader drops from Rust
//!   code as mdBook hides them;
//! - `\{{#include ...}}` is the directive's text itself, unexpanded.
//!
//! Lines that hold `ANCHOR:` or `ANCHOR_END:` markers never reach the output. Included files
//! may include others (up to [`MAX_DEPTH`] deep). Every file must resolve (after `..` and
//! symlinks) inside the root folder, as images must; a directive that cannot be expanded is a
//! warning with its place and is left out of the text.

use std::path::{Path, PathBuf};

use crate::diag::{Diagnostic, Warnings};
use crate::model::Pos;

/// How deep includes may nest (a file including itself stops here, with a warning).
pub const MAX_DEPTH: usize = 10;

/// The largest file an include may read, in bytes.
pub const MAX_INCLUDE_BYTES: u64 = 16 * 1024 * 1024;

/// The text with every directive expanded, and the files that were read.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Expanded {
    /// The source text to parse.
    pub text: String,
    /// Every included file (for depfiles and the incremental build), in order of first use.
    pub files: Vec<PathBuf>,
}

/// Whether `text` may hold a directive (cheap test, so most documents skip the expansion).
pub fn has_directives(text: &str) -> bool {
    text.contains("{{#")
}

/// Expands the directives of `text`, read from `path`; included files must lie inside `root`
/// (the book's folder, or the document's own folder for a single page).
pub fn expand(text: &str, path: &Path, root: &Path, warnings: &mut Warnings) -> Expanded {
    let root = root.canonicalize().unwrap_or_else(|_| root.to_path_buf());
    let mut expanded = Expanded::default();
    expanded.text = expand_in(text, path, &root, 0, &mut expanded.files, warnings);
    expanded
}

fn expand_in(
    text: &str,
    path: &Path,
    root: &Path,
    depth: usize,
    files: &mut Vec<PathBuf>,
    warnings: &mut Warnings,
) -> String {
    if !has_directives(text) {
        return text.to_string();
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    let mut consumed = 0usize;
    while let Some(start) = rest.find("{{#") {
        let escaped = start > 0 && rest.as_bytes()[start - 1] == b'\\';
        let Some(len) = rest[start..].find("}}") else {
            break;
        };
        let directive = &rest[start + 3..start + len];
        let end = start + len + 2;
        let pos = pos_of(text, consumed + start);
        if escaped {
            out.push_str(&rest[..start - 1]);
            out.push_str(&rest[start..end]);
        } else {
            out.push_str(&rest[..start]);
            match expand_one(directive, path, root, depth, files, warnings) {
                Ok(Some(included)) => out.push_str(included.trim_end_matches('\n')),
                Ok(None) => out.push_str(&rest[start..end]),
                Err((message, hint)) => warnings.push(
                    Diagnostic::warning(Some(path), message)
                        .at(pos, text.lines().nth(pos.line as usize - 1))
                        .with_hint(hint),
                ),
            }
        }
        consumed += end;
        rest = &rest[end..];
    }
    out.push_str(rest);
    out
}

type Failure = (String, String);

/// Expands one directive (the text between `{{#` and `}}`); `Ok(None)` for directives bindery
/// does not know (`{{#playground}}`...), which stay as written.
fn expand_one(
    directive: &str,
    path: &Path,
    root: &Path,
    depth: usize,
    files: &mut Vec<PathBuf>,
    warnings: &mut Warnings,
) -> Result<Option<String>, Failure> {
    let directive = directive.trim();
    let (name, argument) = directive
        .split_once(char::is_whitespace)
        .unwrap_or((directive, ""));
    let rustdoc = match name {
        "include" => false,
        "rustdoc_include" => true,
        _ => return Ok(None),
    };
    let argument = argument.trim();
    if argument.is_empty() {
        return Err((
            format!("`{{{{#{name}}}}}` names no file"),
            "write `{{#include file.rs}}`, optionally with `:FROM:TO` lines or `:ANCHOR`".into(),
        ));
    }
    if depth >= MAX_DEPTH {
        return Err((
            format!("`{{{{#{name} {argument}}}}}`: includes nest deeper than {MAX_DEPTH} levels"),
            "does a file include itself?".into(),
        ));
    }
    let (file, selector) = split_selector(argument);
    let base = path.parent().unwrap_or(Path::new("."));
    let wanted = base.join(file);
    let real = wanted.canonicalize().map_err(|e| {
        (
            format!("cannot include `{file}`: {e}"),
            format!("the path is relative to {}", base.display()),
        )
    })?;
    if !real.starts_with(root) {
        return Err((
            format!(
                "`{file}` resolves to {}, outside the book's folder {}; not included",
                real.display(),
                root.display()
            ),
            "included files must lie inside the book's folder".into(),
        ));
    }
    let metadata = std::fs::metadata(&real).map_err(|e| {
        (
            format!("cannot include `{file}`: {e}"),
            "check the path".into(),
        )
    })?;
    if !metadata.is_file() || metadata.len() > MAX_INCLUDE_BYTES {
        return Err((
            format!("`{file}` is not a regular file of at most {MAX_INCLUDE_BYTES} bytes"),
            "include text files only".into(),
        ));
    }
    let content = std::fs::read_to_string(&real).map_err(|e| {
        (
            format!("cannot include `{file}`: {e}"),
            "included files must be UTF-8 text".into(),
        )
    })?;
    if !files.contains(&wanted) {
        files.push(wanted.clone());
    }
    let lines: Vec<&str> = content.lines().collect();
    let chosen = select(&lines, selector).map_err(|message| {
        (
            format!("`{{{{#{name} {argument}}}}}`: {message}"),
            "ranges are `:FROM:TO` (1-based, either may be empty); anchors are \
             `// ANCHOR: name` ... `// ANCHOR_END: name` in the file"
                .into(),
        )
    })?;
    let mut text = String::new();
    for (index, line) in lines.iter().enumerate() {
        if is_anchor_line(line) {
            continue;
        }
        if chosen.contains(&index) {
            text.push_str(line);
        } else if rustdoc {
            // Hidden in rustdoc and mdBook; the compiler still sees it.
            text.push_str("# ");
            text.push_str(line.trim_start());
        } else {
            continue;
        }
        text.push('\n');
    }
    Ok(Some(expand_in(
        &text,
        &wanted,
        root,
        depth + 1,
        files,
        warnings,
    )))
}

/// Splits `file.rs:5:10` into the file and what follows its first `:`.
fn split_selector(argument: &str) -> (&str, Option<&str>) {
    match argument.split_once(':') {
        Some((file, selector)) => (file.trim(), Some(selector.trim())),
        None => (argument, None),
    }
}

/// The 0-based line indexes a selector picks.
fn select(lines: &[&str], selector: Option<&str>) -> Result<std::ops::Range<usize>, String> {
    let count = lines.len();
    let Some(selector) = selector.filter(|s| !s.is_empty()) else {
        return Ok(0..count);
    };
    let number = |text: &str| -> Result<Option<usize>, String> {
        if text.is_empty() {
            return Ok(None);
        }
        text.parse::<usize>()
            .map(Some)
            .map_err(|_| format!("`{text}` is not a line number"))
    };
    let is_range = selector.starts_with(|c: char| c.is_ascii_digit() || c == ':');
    if !is_range {
        return anchor_range(lines, selector);
    }
    let (from, to) = match selector.split_once(':') {
        Some((from, to)) => (number(from)?, number(to)?),
        // `:5` alone is line 5 only.
        None => {
            let line = number(selector)?;
            (line, line)
        }
    };
    let from = from.unwrap_or(1).max(1) - 1;
    let to = to.unwrap_or(count).min(count);
    if from >= count || from >= to {
        return Err(format!(
            "the file has {count} lines; the range selects none"
        ));
    }
    Ok(from..to)
}

/// The lines strictly between `ANCHOR: name` and `ANCHOR_END: name`.
fn anchor_range(lines: &[&str], name: &str) -> Result<std::ops::Range<usize>, String> {
    let marker = |line: &str, tag: &str| {
        line.find(tag)
            .map(|at| line[at + tag.len()..].trim().trim_end_matches("*/").trim() == name)
            .unwrap_or(false)
    };
    let start = lines
        .iter()
        .position(|line| marker(line, "ANCHOR:"))
        .ok_or_else(|| format!("no `ANCHOR: {name}` in the file"))?;
    let end = lines[start..]
        .iter()
        .position(|line| marker(line, "ANCHOR_END:"))
        .map(|offset| start + offset)
        .ok_or_else(|| format!("no `ANCHOR_END: {name}` after `ANCHOR: {name}`"))?;
    Ok(start + 1..end)
}

fn is_anchor_line(line: &str) -> bool {
    line.contains("ANCHOR:") || line.contains("ANCHOR_END:")
}

fn pos_of(text: &str, offset: usize) -> Pos {
    let before = &text[..offset];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    Pos {
        line: line as u32,
        col: before[line_start..].chars().count() as u32 + 1,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn book() -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("src")).unwrap();
        std::fs::write(
            dir.path().join("src/main.rs"),
            "use std::io;\n// ANCHOR: body\nfn main() {\n    println!(\"hi\");\n}\n\
             // ANCHOR_END: body\nfn other() {}\n",
        )
        .unwrap();
        std::fs::write(
            dir.path().join("src/loop.md"),
            "again {{#include loop.md}}\n",
        )
        .unwrap();
        dir
    }

    fn run(dir: &Path, text: &str) -> (Expanded, Warnings) {
        let mut warnings = Vec::new();
        let expanded = expand(text, &dir.join("src/ch1.md"), dir, &mut warnings);
        (expanded, warnings)
    }

    #[test]
    fn ranges_anchors_and_rustdoc_hidden_lines() {
        let dir = book();
        let (out, warnings) = run(dir.path(), "```rust\n{{#include main.rs:body}}\n```\n");
        assert!(warnings.is_empty(), "{warnings:?}");
        assert_eq!(
            out.text,
            "```rust\nfn main() {\n    println!(\"hi\");\n}\n```\n"
        );
        assert_eq!(
            out.files,
            vec![dir.path().join("src/ch1.md").with_file_name("main.rs")]
        );

        let (out, _) = run(dir.path(), "{{#include main.rs:3:4}}");
        assert_eq!(out.text, "fn main() {\n    println!(\"hi\");");
        let (out, _) = run(dir.path(), "{{#include main.rs:1}}");
        assert_eq!(out.text, "use std::io;");
        let (out, _) = run(dir.path(), "{{#include main.rs::1}}");
        assert_eq!(out.text, "use std::io;");

        let (out, _) = run(dir.path(), "{{#rustdoc_include main.rs:body}}");
        assert_eq!(
            out.text,
            "# use std::io;\nfn main() {\n    println!(\"hi\");\n}\n# fn other() {}"
        );
    }

    #[test]
    fn escaped_unknown_and_failing_directives() {
        let dir = book();
        let (out, warnings) = run(dir.path(), "a \\{{#include main.rs}} b {{#playground x}}");
        assert!(warnings.is_empty());
        assert_eq!(out.text, "a {{#include main.rs}} b {{#playground x}}");

        let (out, warnings) = run(dir.path(), "one\n  {{#include missing.rs}}\n");
        assert_eq!(out.text, "one\n  \n");
        assert_eq!(warnings.len(), 1);
        assert!(
            warnings[0]
                .message
                .starts_with("cannot include `missing.rs`")
        );
        assert_eq!(warnings[0].pos, Some(Pos { line: 2, col: 3 }));

        let (_, warnings) = run(dir.path(), "{{#include main.rs:nothing}}");
        assert!(
            warnings[0].message.contains("no `ANCHOR: nothing`"),
            "{warnings:?}"
        );

        let (_, warnings) = run(dir.path(), "{{#include ../../../../../../etc/hostname}}");
        assert!(
            warnings[0].message.contains("outside the book's folder")
                || warnings[0].message.starts_with("cannot include"),
            "{warnings:?}"
        );

        let (_, warnings) = run(dir.path(), "{{#include loop.md}}");
        assert!(warnings[0].message.contains("nest deeper"), "{warnings:?}");
    }
}
