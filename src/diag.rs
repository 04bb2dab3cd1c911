//! Diagnostics: errors and warnings with a place (file, line, column), the offending source line
//! and a hint, rendered as `path:line:col: error: message` for people and tools alike.

use std::fmt;
use std::path::{Path, PathBuf};

use crate::model::Pos;

/// How serious a diagnostic is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
#[non_exhaustive]
pub enum Severity {
    /// The output is still usable (`--strict` makes it fail).
    Warning,
    /// The document could not be converted.
    Error,
}

/// One message about one place in one input.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    /// Warning or error.
    pub severity: Severity,
    /// The file it concerns, if any.
    pub path: Option<PathBuf>,
    /// Line and column (1-based), if known.
    pub pos: Option<Pos>,
    /// What is wrong.
    pub message: String,
    /// The source line, quoted under the message.
    pub source_line: Option<String>,
    /// What to do about it.
    pub hint: Option<String>,
}

impl Diagnostic {
    /// A diagnostic about a whole file (no position).
    pub fn new(severity: Severity, path: Option<&Path>, message: impl Into<String>) -> Self {
        Diagnostic {
            severity,
            path: path.map(Path::to_path_buf),
            pos: None,
            message: message.into(),
            source_line: None,
            hint: None,
        }
    }

    /// An error about a whole file.
    pub fn error(path: Option<&Path>, message: impl Into<String>) -> Self {
        Self::new(Severity::Error, path, message)
    }

    /// A warning about a whole file.
    pub fn warning(path: Option<&Path>, message: impl Into<String>) -> Self {
        Self::new(Severity::Warning, path, message)
    }

    /// Places the diagnostic at `pos`, quoting that line of `source` when it is given.
    pub fn at(mut self, pos: Pos, source: Option<&str>) -> Self {
        if pos.line > 0 {
            self.pos = Some(pos);
            self.source_line = source
                .and_then(|s| s.lines().nth(pos.line as usize - 1))
                .map(|l| l.trim_end().to_string());
        }
        self
    }

    /// Adds a hint (what to do).
    pub fn with_hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(path) = &self.path {
            write!(f, "{}:", path.display())?;
            if let Some(pos) = self.pos {
                write!(f, "{}:", pos.line)?;
                if pos.col > 0 {
                    write!(f, "{}:", pos.col)?;
                }
            }
            f.write_str(" ")?;
        }
        let label = match self.severity {
            Severity::Warning => "warning",
            Severity::Error => "error",
        };
        write!(f, "{label}: {}", self.message)?;
        if let Some(line) = &self.source_line {
            let shown: String = line.chars().take(200).collect();
            write!(f, "\n    | {shown}")?;
            if let Some(pos) = self.pos.filter(|p| p.col > 0 && (p.col as usize) <= 200) {
                let pad: String = shown
                    .chars()
                    .take(pos.col as usize - 1)
                    .map(|c| if c == '\t' { '\t' } else { ' ' })
                    .collect();
                write!(f, "\n    | {pad}^")?;
            }
        }
        if let Some(hint) = &self.hint {
            write!(f, "\n    = hint: {hint}")?;
        }
        Ok(())
    }
}

/// Warnings gathered while converting; errors travel as [`crate::Error`] instead.
pub type Warnings = Vec<Diagnostic>;

/// A template error (`--template FILE`) as a diagnostic at its place in the template:
/// `page.html:3:12: error: template syntax error: ...` with the line quoted, instead of
/// minijinja's multi-line debug dump.
pub fn template_error(error: &minijinja::Error, name: &str, source: Option<&str>) -> Diagnostic {
    let mut message = format!("template {}", error.kind());
    if let Some(detail) = error.detail() {
        message.push_str(": ");
        message.push_str(detail);
    }
    let mut diagnostic = Diagnostic::error(Some(Path::new(name)), message);
    if let Some(line) = error.line() {
        // minijinja gives a byte range into the template source; turn its start into a column.
        let col = match (error.range(), source) {
            (Some(range), Some(source))
                if source.is_char_boundary(range.start.min(source.len())) =>
            {
                let before = &source[..range.start.min(source.len())];
                let line_start = before.rfind('\n').map_or(0, |i| i + 1);
                before[line_start..].chars().count() as u32 + 1
            }
            _ => 0,
        };
        diagnostic = diagnostic.at(
            Pos {
                line: line as u32,
                col,
            },
            source,
        );
    }
    diagnostic
}

/// How many warnings of one kind are shown in full before the rest are folded into a count.
pub const SHOWN_PER_KIND: usize = 20;

/// Kinds of warnings, for the summary line and for folding: words found in the message, and
/// the kind's name in the singular and the plural. The first match wins.
const KINDS: &[(&[&str], &str, &str)] = &[
    (
        &["points to a page that is not in the book"],
        "link to a page outside the book",
        "links to pages outside the book",
    ),
    (
        &["is not a heading in that chapter", "is not in this PDF"],
        "link to a missing place",
        "links to missing places",
    ),
    (
        &["runs a script or opens embedded data"],
        "script or data link",
        "script or data links",
    ),
    (&["remote image"], "remote image", "remote images"),
    (&["not found (looked at"], "missing image", "missing images"),
    (
        &[
            "symbolic link",
            "not a regular file",
            "cannot be read",
            "outside the",
        ],
        "file refused",
        "files refused",
    ),
    (
        &["pixels, more than the limit"],
        "image too large",
        "images too large",
    ),
    (&["no font can show"], "missing glyph", "missing glyphs"),
    (&["element dropped"], "dropped element", "dropped elements"),
    (
        &["duplicate key", "has no value", "is not a date"],
        "header problem",
        "header problems",
    ),
    (
        &["is used by another document"],
        "duplicate slug",
        "duplicate slugs",
    ),
];

/// The kind of a warning, by its message: its index in [`KINDS`] (`KINDS.len()` for any
/// other warning).
fn kind_of(message: &str) -> usize {
    KINDS
        .iter()
        .position(|(needles, ..)| needles.iter().any(|n| message.contains(n)))
        .unwrap_or(KINDS.len())
}

fn kind_name(kind: usize, count: usize) -> &'static str {
    match (KINDS.get(kind), count) {
        (Some((_, one, _)), 1) => one,
        (Some((_, _, many)), _) => many,
        (None, 1) => "other warning",
        (None, _) => "other warnings",
    }
}

/// The message of a rendered warning (`path:line:col: warning: MESSAGE`, then quoted lines).
fn message_of(rendered: &str) -> &str {
    let first = rendered.lines().next().unwrap_or("");
    first.split_once("warning: ").map_or(first, |(_, m)| m)
}

/// Warnings as a person reads them, fed one by one as they come: every warning up to
/// [`SHOWN_PER_KIND`] of each kind is shown (all with `verbose`); at the end come
/// `... and N more KIND; --verbose lists all` for each kind folded and, for more than one
/// warning, a summary line counting each kind (`bindery: 609 warnings (608 links to pages
/// outside the book, 1 missing image)`).
#[derive(Debug, Clone)]
pub struct WarningDigest {
    verbose: bool,
    /// Warnings seen, by kind.
    counts: Vec<usize>,
    /// Kinds in the order they first appeared.
    first_seen: Vec<usize>,
}

impl WarningDigest {
    /// An empty digest.
    pub fn new(verbose: bool) -> Self {
        WarningDigest {
            verbose,
            counts: vec![0; KINDS.len() + 1],
            first_seen: Vec::new(),
        }
    }

    /// Counts a rendered warning; true when it is to be shown in full.
    pub fn admit(&mut self, rendered: &str) -> bool {
        let kind = kind_of(message_of(rendered));
        if self.counts[kind] == 0 {
            self.first_seen.push(kind);
        }
        self.counts[kind] += 1;
        self.verbose || self.counts[kind] <= SHOWN_PER_KIND
    }

    /// The lines that close the report: what was folded, and the summary.
    pub fn closing_lines(&self) -> Vec<String> {
        let mut lines = Vec::new();
        for &kind in &self.first_seen {
            let hidden = self.counts[kind].saturating_sub(SHOWN_PER_KIND);
            if !self.verbose && hidden > 0 {
                lines.push(format!(
                    "... and {hidden} more {}; --verbose lists all",
                    kind_name(kind, hidden)
                ));
            }
        }
        // One warning needs no summary of itself.
        if self.counts.iter().sum::<usize>() > 1 {
            lines.push(format!(
                "bindery: {}",
                summary(&self.counts, &self.first_seen)
            ));
        }
        lines
    }
}

/// Every line of a [`WarningDigest`] fed `rendered`: the warnings shown, then the closing
/// lines.
pub fn warning_report(rendered: &[String], verbose: bool) -> Vec<String> {
    let mut digest = WarningDigest::new(verbose);
    let mut lines: Vec<String> = rendered
        .iter()
        .filter(|warning| digest.admit(warning))
        .cloned()
        .collect();
    lines.extend(digest.closing_lines());
    lines
}

/// `609 warnings (608 links to pages outside the book, 1 missing image)`: the most frequent
/// kind first.
fn summary(counts: &[usize], first_seen: &[usize]) -> String {
    let total: usize = counts.iter().sum();
    let mut kinds = first_seen.to_vec();
    kinds.sort_by_key(|&kind| std::cmp::Reverse(counts[kind]));
    let parts: Vec<String> = kinds
        .iter()
        .map(|&kind| format!("{} {}", counts[kind], kind_name(kind, counts[kind])))
        .collect();
    let noun = if total == 1 { "warning" } else { "warnings" };
    format!("{total} {noun} ({})", parts.join(", "))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn warnings_beyond_twenty_of_a_kind_are_folded_and_summed_up_by_kind() {
        let mut rendered: Vec<String> = (0..608)
            .map(|i| {
                format!(
                    "a.md:{i}:1: warning: link `/p{i}.html` points to a page that is not in \
                     the book; it becomes plain text"
                )
            })
            .collect();
        rendered.push(
            "a.md:9:1: warning: image `x.png` not found (looked at a/x.png)\n    = hint: h".into(),
        );
        let lines = warning_report(&rendered, false);
        assert_eq!(lines.len(), 20 + 1 + 1 + 1);
        assert_eq!(lines[20], rendered[608]);
        assert_eq!(
            lines[21],
            "... and 588 more links to pages outside the book; --verbose lists all"
        );
        assert_eq!(
            lines[22],
            "bindery: 609 warnings (608 links to pages outside the book, 1 missing image)"
        );
        let all = warning_report(&rendered, true);
        assert_eq!(all.len(), 610);
        assert_eq!(
            warning_report(&rendered[607..], false)[2],
            "bindery: 2 warnings (1 link to a page outside the book, 1 missing image)"
        );
        assert_eq!(warning_report(&rendered[608..], false), &rendered[608..]);
        assert!(warning_report(&[], false).is_empty());
    }
}
