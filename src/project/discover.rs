//! Finding the documents of a build: every file under the source folders that matches the
//! include globs and none of the exclude globs, in natural path order.

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use glob::{MatchOptions, Pattern};

use crate::diag::{Diagnostic, Warnings};
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

/// What [`discover`] found: the documents, and warnings about what it left out.
#[derive(Debug, Default)]
pub struct Discovered {
    /// The documents, in natural path order, each file once.
    pub documents: Vec<PathBuf>,
    /// Symbolic links refused or not followed, and files that are not regular files.
    pub warnings: Warnings,
}

/// Lists the documents under `sources`.
///
/// Symbolic links are followed only when they resolve inside a source folder or one of
/// `extra_roots` (the resource paths): a document that is a link to `/etc/passwd`, or a folder
/// link to `/etc`, is refused with a warning naming the link and its target, as images are. A
/// folder is walked once, whatever the number of links to it; a link back to a folder being
/// walked (a loop) is reported and not followed. Only regular files are documents: a pipe or a
/// device named `x.md` would block or never end.
pub fn discover(
    sources: &[PathBuf],
    include: &[String],
    exclude: &[String],
    extra_roots: &[PathBuf],
) -> Result<Discovered> {
    let include = compile(include)?;
    let exclude = compile(exclude)?;
    let mut walk = Walk {
        include,
        exclude,
        roots: sources
            .iter()
            .chain(extra_roots)
            .filter_map(|root| root.canonicalize().ok())
            .collect(),
        ancestors: Vec::new(),
        visited: HashSet::new(),
        files: HashSet::new(),
        found: Discovered::default(),
    };
    for source in sources {
        if source.is_file() {
            walk.found.documents.push(source.clone());
            continue;
        }
        if !source.is_dir() {
            return Err(Error::Usage(format!(
                "{}: no such source folder",
                source.display()
            )));
        }
        let canonical = source
            .canonicalize()
            .map_err(|e| Error::io(source, "cannot resolve", e))?;
        walk.folder(source, source, canonical)?;
    }
    let mut found = walk.found;
    found
        .documents
        .sort_by(|a, b| natural_cmp(&a.to_string_lossy(), &b.to_string_lossy()));
    found.documents.dedup();
    Ok(found)
}

/// The state of one walk over the source folders.
struct Walk {
    include: Vec<Pattern>,
    exclude: Vec<Pattern>,
    /// Canonical folders a link may lead into.
    roots: Vec<PathBuf>,
    /// Canonical folders from the source folder down to the one being listed.
    ancestors: Vec<PathBuf>,
    /// Canonical folders already listed.
    visited: HashSet<PathBuf>,
    /// Canonical paths of the documents found.
    files: HashSet<PathBuf>,
    found: Discovered,
}

impl Walk {
    /// Lists `dir` (canonically `canonical`), a folder under `source`, and its subfolders.
    fn folder(&mut self, source: &Path, dir: &Path, canonical: PathBuf) -> Result<()> {
        self.visited.insert(canonical.clone());
        self.ancestors.push(canonical.clone());
        let mut entries: Vec<_> = std::fs::read_dir(dir)
            .map_err(|e| Error::io(dir, "cannot list", e))?
            .flatten()
            .collect();
        entries.sort_by_key(|entry| entry.file_name());
        for entry in entries {
            // Hidden files and folders (.git, editor backups) are never documents.
            if entry.file_name().to_string_lossy().starts_with('.') {
                continue;
            }
            let path = entry.path();
            let Ok(file_type) = entry.file_type() else {
                continue;
            };
            let relative = path.strip_prefix(source).unwrap_or(&path);
            let options = MatchOptions {
                require_literal_separator: false,
                ..MatchOptions::new()
            };
            let matches = |p: &Pattern| p.matches_path_with(relative, options);
            let wanted = self.include.iter().any(matches) && !self.exclude.iter().any(matches);
            let (real, metadata) = if file_type.is_symlink() {
                // Where the link leads decides what it is; a link that leads nowhere, or to a
                // file that is not a document, is none of the build's business.
                let resolved = path
                    .canonicalize()
                    .and_then(|real| Ok((std::fs::metadata(&real)?, real)));
                match resolved {
                    Ok((metadata, real)) if metadata.is_dir() || wanted => {
                        if !self.roots.iter().any(|root| real.starts_with(root)) {
                            self.refuse_link(&path, &real);
                            continue;
                        }
                        (real, Some(metadata))
                    }
                    Ok(_) => continue,
                    Err(error) => {
                        if wanted {
                            self.warn(
                                &path,
                                format!("symbolic link cannot be followed ({error}); skipped"),
                            );
                        }
                        continue;
                    }
                }
            } else {
                (canonical.join(entry.file_name()), None)
            };
            let is_dir = metadata.as_ref().map_or(file_type.is_dir(), |m| m.is_dir());
            let is_file = metadata
                .as_ref()
                .map_or(file_type.is_file(), |m| m.is_file());
            if is_dir {
                if self.ancestors.contains(&real) {
                    self.warn(
                        &path,
                        format!(
                            "symbolic link loop: this folder is {}, which is already being \
                             read; not followed",
                            real.display()
                        ),
                    );
                } else if !self.visited.contains(&real) {
                    self.folder(source, &path, real)?;
                }
                continue;
            }
            if !wanted {
                continue;
            }
            if !is_file {
                self.warn(
                    &path,
                    "not a regular file (a pipe, socket or device); skipped".to_string(),
                );
            } else if self.files.insert(real) {
                self.found.documents.push(path);
            }
        }
        self.ancestors.pop();
        Ok(())
    }

    fn refuse_link(&mut self, path: &Path, real: &Path) {
        self.found.warnings.push(outside(path, real));
    }

    fn warn(&mut self, path: &Path, message: String) {
        self.found.warnings.push(refused(path, message));
    }
}

fn refused(path: &Path, message: String) -> Diagnostic {
    Diagnostic::warning(Some(path), message)
        .with_hint("only files inside the source folders and the resource paths are published")
}

/// The warning for `path`, which resolves to `real`, outside the allowed folders: it names the
/// link's target when `path` is a symbolic link.
fn outside(path: &Path, real: &Path) -> Diagnostic {
    let message = match std::fs::read_link(path) {
        Ok(target) if target == real => {
            format!(
                "symbolic link to {}, outside the source folder; refused",
                real.display()
            )
        }
        Ok(target) => format!(
            "symbolic link to {} (resolved: {}), outside the source folder; refused",
            target.display(),
            real.display()
        ),
        Err(_) => format!(
            "resolves to {}, outside the source folder; refused",
            real.display()
        ),
    };
    refused(path, message)
}

/// Why a document named explicitly (by an mdBook summary) may not be read, if it may not: it
/// resolves outside `roots` (the source folders and resource paths), or is not a regular file.
/// A file that does not exist is left for the reader to report.
pub fn refusal(path: &Path, roots: &[PathBuf]) -> Option<Diagnostic> {
    let real = path.canonicalize().ok()?;
    let roots: Vec<PathBuf> = roots.iter().filter_map(|r| r.canonicalize().ok()).collect();
    if !roots.iter().any(|root| real.starts_with(root)) {
        return Some(outside(path, &real));
    }
    match std::fs::metadata(&real) {
        Ok(metadata) if !metadata.is_file() => Some(refused(
            path,
            "not a regular file (a pipe, socket or device); skipped".to_string(),
        )),
        _ => None,
    }
}

/// Whether `dir` contains `path` (used to refuse an output folder inside the sources).
pub fn contains(dir: &Path, path: &Path) -> bool {
    match (dir.canonicalize(), path.canonicalize()) {
        (Ok(dir), Ok(path)) => path.starts_with(dir),
        _ => false,
    }
}
