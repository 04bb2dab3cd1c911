//! The `bindery` command: parses arguments, runs the library, renders diagnostics for people.

/// `eprintln!` that does not panic when standard error cannot be written (a full disk, a
/// file-size limit, a closed pipe): a message lost is better than a crash that hides the exit
/// status.
/// Diagnostics are coloured on a terminal (errors red, warnings yellow, hints dim) and plain
/// when piped, under `NO_COLOR`, or with `--color never` (anstream decides).
macro_rules! say {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        let text = crate::paint(&format!($($arg)*));
        let _ = writeln!(anstream::stderr(), "{text}");
    }};
}

/// Adds colour to a rendered diagnostic: the severity word of each line, hint lines, and the
/// gutter of quoted source lines.
fn paint(text: &str) -> String {
    use anstyle::{AnsiColor, Style};
    let error = Style::new().bold().fg_color(Some(AnsiColor::Red.into()));
    let warning = Style::new().bold().fg_color(Some(AnsiColor::Yellow.into()));
    let note = Style::new().bold().fg_color(Some(AnsiColor::Cyan.into()));
    let dim = Style::new().dimmed();
    let mut out = String::with_capacity(text.len() + 32);
    for (index, line) in text.split('\n').enumerate() {
        if index > 0 {
            out.push('\n');
        }
        let trimmed = line.trim_start();
        if trimmed.starts_with("= hint:") || trimmed.starts_with("| ") || trimmed == "|" {
            out.push_str(&format!("{dim}{line}{dim:#}"));
            continue;
        }
        let found = [("error:", error), ("warning:", warning), ("note:", note)]
            .into_iter()
            .filter_map(|(word, style)| {
                let at = if line.starts_with(word) {
                    Some(0)
                } else {
                    line.find(&format!(": {word}")).map(|at| at + 2)
                };
                at.map(|at| (at, word, style))
            })
            .min_by_key(|(at, _, _)| *at);
        match found {
            Some((at, word, style)) => {
                out.push_str(&line[..at]);
                out.push_str(&format!("{style}{word}{style:#}"));
                out.push_str(&line[at + word.len()..]);
            }
            None => out.push_str(line),
        }
    }
    out
}

mod cli;
mod commands;

use std::process::ExitCode;

use clap::Parser;

use bindery::{Diagnostic, Error};
use cli::{Cli, Command};

/// Exit status for a document that could not be converted.
pub const EXIT_FAILURE: u8 = 1;
/// Exit status for a usage error (clap uses it too).
pub const EXIT_USAGE: u8 = 2;

fn main() -> ExitCode {
    let cli = Cli::parse();
    cli.color.apply();
    match cli.command {
        Command::Convert(args) => commands::convert::convert(&args),
        Command::Build(args) => commands::build::build(&args),
        Command::Completions { shell } => {
            let mut command = <Cli as clap::CommandFactory>::command();
            // Generated into memory first: clap_complete panics when its writer fails (a closed
            // pipe), and a failed write is reported here instead.
            let mut script = Vec::new();
            clap_complete::generate(shell, &mut command, "bindery", &mut script);
            match std::io::Write::write_all(&mut std::io::stdout(), &script) {
                Ok(()) => ExitCode::SUCCESS,
                Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
                Err(e) => {
                    report(&Error::io("<stdout>", "cannot write", e));
                    ExitCode::from(EXIT_FAILURE)
                }
            }
        }
        Command::Man => {
            let command = <Cli as clap::CommandFactory>::command();
            match clap_mangen::Man::new(command).render(&mut std::io::stdout()) {
                Ok(()) => ExitCode::SUCCESS,
                Err(e) => {
                    report(&Error::io("<stdout>", "cannot write", e));
                    ExitCode::from(EXIT_FAILURE)
                }
            }
        }
    }
}

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
