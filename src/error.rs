//! The library's error type. The binary renders it for people; the library never prints.

use std::path::PathBuf;

use crate::diag::Diagnostic;

/// Everything that can stop a conversion.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// A problem in an input, with its place.
    #[error("{0}")]
    Input(Box<Diagnostic>),
    /// A file could not be read or written.
    #[error("{}: {action}: {source}", path.display())]
    Io {
        /// The file.
        path: PathBuf,
        /// What bindery was doing (`cannot read`, `cannot write`).
        action: &'static str,
        /// The operating system's reason.
        source: std::io::Error,
    },
    /// The request itself is wrong (unknown format, output equal to input, ...): exit status 2.
    #[error("{0}")]
    Usage(String),
    /// bindery itself failed while making an output (a library it uses refused, a template it
    /// ships changed): not the user's doing, so not a usage error; exit status 1.
    #[error("{0}")]
    Internal(String),
    /// Another build holds the lock on this output folder.
    #[error(
        "{}: another bindery build is writing into this folder (it holds {}); wait for it to \
         finish, or build into another folder",
        folder.display(),
        lock.display()
    )]
    Busy {
        /// The output folder.
        folder: PathBuf,
        /// The lock file inside it.
        lock: PathBuf,
    },
}

impl From<Diagnostic> for Error {
    fn from(diagnostic: Diagnostic) -> Self {
        Error::Input(Box::new(diagnostic))
    }
}

impl Error {
    /// Wraps an I/O error with the file it concerns.
    pub fn io(path: impl Into<PathBuf>, action: &'static str, source: std::io::Error) -> Self {
        Error::Io {
            path: path.into(),
            action,
            source,
        }
    }
}

/// Shorthand for results in bindery.
pub type Result<T, E = Error> = std::result::Result<T, E>;
