//! Finding the documents of a build: every file under the source folders that matches the
//! include globs and none of the exclude globs, in natural path order.

use std::path::{Path, PathBuf};

use glob::{MatchOptions, Pattern};

use crate::error::{Error, Result};
use crate::meta::natural_cmp;

/// The default include patterns.
pub const DEFAULT_INCLUDE: &[&str] = &["**/*.md", "**/*.markdown", "**/*.txt"];

fn compile(patterns: &[String]) -> Result<Vec<Pattern>> {
    patterns
        .iter()
        .map(|p| {
            Pattern::new(p).map_err(|e| Error::Usage(format!("invalid glob pattern `{p}`: {e}")))
        })
        .collect()
}

/// Lists the documents under `sources`.
pub fn discover(
    sources: &[PathBuf],
    include: &[String],
    exclude: &[String],
) -> Result<Vec<PathBuf>> {
    let include = compile(include)?;
    let exclude = compile(exclude)?;
    let options = MatchOptions {
        require_literal_separator: false,
        ..MatchOptions::new()
    };
    let mut found = Vec::new();
    for source in sources {
        if source.is_file() {
            found.push(source.clone());
            continue;
        }
        if !source.is_dir() {
            return Err(Error::Usage(format!(
                "{}: no such source folder",
                source.display()
            )));
        }
        let mut stack = vec![source.clone()];
        while let Some(dir) = stack.pop() {
            let entries = std::fs::read_dir(&dir).map_err(|e| Error::io(&dir, "cannot list", e))?;
            for entry in entries.flatten() {
                let path = entry.path();
                let name = entry.file_name();
                // Hidden files and folders (.git, editor backups) are never documents.
                if name.to_string_lossy().starts_with('.') {
                    continue;
                }
                if path.is_dir() {
                    stack.push(path);
                    continue;
                }
                let relative = path.strip_prefix(source).unwrap_or(&path);
                let matches = |p: &Pattern| p.matches_path_with(relative, options);
                if include.iter().any(matches) && !exclude.iter().any(matches) {
                    found.push(path);
                }
            }
        }
    }
    found.sort_by(|a, b| natural_cmp(&a.to_string_lossy(), &b.to_string_lossy()));
    found.dedup();
    Ok(found)
}

/// Whether `dir` contains `path` (used to refuse an output folder inside the sources).
pub fn contains(dir: &Path, path: &Path) -> bool {
    match (dir.canonicalize(), path.canonicalize()) {
        (Ok(dir), Ok(path)) => path.starts_with(dir),
        _ => false,
    }
}
