//! Diagnostics: errors and warnings with a place (file, line, column), the offending source line
//! and a hint, rendered as `path:line:col: error: message` for people and tools alike.

use std::fmt;
use std::path::{Path, PathBuf};

use crate::model::Pos;

/// How serious a diagnostic is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
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
