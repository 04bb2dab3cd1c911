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
    say!("{}", render_error(error));
}

fn render_error(error: &Error) -> String {
    match error {
        Error::Input(diagnostic) => diagnostic.to_string(),
        other => format!("error: {other}"),
    }
}

/// Prints rendered warnings unless `quiet`: more than 20 of one kind are folded into a count
/// unless `verbose`, and a summary line counts them by kind.
pub fn print_warnings(rendered: &[String], quiet: bool, verbose: bool) {
    if quiet {
        return;
    }
    for line in bindery::diag::warning_report(rendered, verbose) {
        say!("{line}");
    }
}

/// Warnings as shown to people.
pub fn shown_warnings(warnings: &[Diagnostic]) -> Vec<String> {
    warnings.iter().map(ToString::to_string).collect()
}

/// Prints warnings as they come, over a whole run of several documents, so folding and the
/// summary count them all.
pub struct WarningPrinter {
    quiet: bool,
    digest: bindery::diag::WarningDigest,
}

impl WarningPrinter {
    /// A printer for one run.
    pub fn new(quiet: bool, verbose: bool) -> Self {
        WarningPrinter {
            quiet,
            digest: bindery::diag::WarningDigest::new(verbose),
        }
    }

    /// Prints the warnings not folded.
    pub fn print(&mut self, warnings: &[Diagnostic]) {
        for warning in shown_warnings(warnings) {
            if self.digest.admit(&warning) && !self.quiet {
                say!("{warning}");
            }
        }
    }

    /// Prints what was folded and the summary.
    pub fn finish(&self) {
        if !self.quiet {
            for line in self.digest.closing_lines() {
                say!("{line}");
            }
        }
    }
}
