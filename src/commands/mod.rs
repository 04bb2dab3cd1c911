//! One module per subcommand, and what they share: exit statuses and printing diagnostics.

pub mod build;
pub mod convert;

use bindery::{Diagnostic, Error};

/// Exit status for a document that could not be converted.
pub const EXIT_FAILURE: u8 = 1;
/// Exit status for a usage error (clap uses it too).
pub const EXIT_USAGE: u8 = 2;

/// A failure of the whole command, before or outside any one document.
pub enum Failure {
    /// The request itself is wrong: exit status 2.
    Usage(String),
    /// A document or output failed (already reported): exit status 1.
    Document,
}

/// Prints an error for people.
pub fn report(error: &Error) {
    eprintln!("{}", render_error(error));
}

fn render_error(error: &Error) -> String {
    match error {
        Error::Input(diagnostic) => diagnostic.to_string(),
        other => format!("error: {other}"),
    }
}

/// Prints warnings unless `quiet`.
pub fn print_warnings(warnings: &[Diagnostic], quiet: bool) {
    if quiet {
        return;
    }
    for warning in warnings {
        eprintln!("{warning}");
    }
}
