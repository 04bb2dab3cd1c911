//! The `bindery` command: parses arguments, runs the library, renders diagnostics for people.

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
