//! The `bindery` command: parses arguments, runs the library, renders diagnostics for people.

/// `eprintln!` that does not panic when standard error cannot be written (a full disk, a
/// file-size limit, a closed pipe): a message lost is better than a crash that hides the exit
/// status.
macro_rules! say {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        let _ = writeln!(std::io::stderr(), $($arg)*);
    }};
}

mod cli;
mod commands;

use std::process::ExitCode;

use clap::Parser;

use cli::{Cli, Command};

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Convert(args) => commands::convert::convert(&args),
        Command::Build(args) => commands::build::build(&args),
    }
}
