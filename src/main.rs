//! The `bindery` command: parses arguments, runs the library, renders diagnostics for people.

/// mimalloc rather than the system allocator: a long PDF holds many small allocations while
/// short-lived ones come and go, and glibc's malloc kept the holes (the corpus copied 10 times
/// into one PDF peaked at 449 MB with it, 335 MB with mimalloc, and ran 13% faster).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

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

use bindery::Error;
use cli::{Cli, Command};
use commands::{EXIT_FAILURE, report};

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
