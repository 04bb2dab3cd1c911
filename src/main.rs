//! The `bindery` command: parses arguments, runs the library, renders diagnostics for people.

mod cli;

use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::Parser;

use bindery::format::{OutputFormat, RenderOptions, render_single};
use bindery::meta::Meta;
use bindery::read::{InputFormat, ReadOptions};
use bindery::write::html::PageOptions;
use bindery::write::text::{LinkStyle, TextOptions};
use bindery::{Diagnostic, Error, Warnings, output};
use cli::{Cli, Command, ConvertArgs, FromFormat, LinksArg, ToFormat};

/// Exit status for a document that could not be converted.
const EXIT_FAILURE: u8 = 1;
/// Exit status for a usage error (clap uses it too).
const EXIT_USAGE: u8 = 2;

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Convert(args) => convert(&args),
    }
}

/// A failure of the whole command, before or outside any one document.
enum Failure {
    Usage(String),
    Document,
}

fn convert(args: &ConvertArgs) -> ExitCode {
    match try_convert(args) {
        Ok(()) => ExitCode::SUCCESS,
        Err(Failure::Usage(message)) => {
            eprintln!("error: {message}");
            ExitCode::from(EXIT_USAGE)
        }
        Err(Failure::Document) => ExitCode::from(EXIT_FAILURE),
    }
}

fn try_convert(args: &ConvertArgs) -> Result<(), Failure> {
    let overrides = parse_metadata(&args.metadata).map_err(Failure::Usage)?;
    let read_options = ReadOptions {
        format: args.from.map(|f| match f {
            FromFormat::Md => InputFormat::Markdown,
            FromFormat::Text => InputFormat::Text,
        }),
        smart: args.smart,
        line_marks: !args.no_line_marks,
    };
    let render_options = render_options(args)?;
    let stdout = args.output.as_deref().is_none_or(|o| o == Path::new("-"));
    let several = args.inputs.len() > 1;
    let format = match (args.to, &args.output) {
        (Some(ToFormat::Html), _) => OutputFormat::Html,
        (Some(ToFormat::Text), _) => OutputFormat::Text,
        (None, Some(out)) if !several => OutputFormat::from_path(out).unwrap_or(OutputFormat::Html),
        (None, _) if several && !stdout => {
            return Err(Failure::Usage(
                "with several inputs, say which format to write with --to html|text".into(),
            ));
        }
        (None, _) => OutputFormat::Html,
    };
    if matches!(format, OutputFormat::Epub | OutputFormat::Pdf) {
        return Err(Failure::Usage(format!(
            "{} output is not available in this build; use --to html or --to text",
            format.extension()
        )));
    }
    if several && stdout {
        return Err(Failure::Usage(
            "several inputs need an output directory: -o DIR".into(),
        ));
    }
    let mut failed = false;
    for input in &args.inputs {
        let target = match (&args.output, several) {
            (_, false) if stdout => None,
            (Some(out), false) => Some(out.clone()),
            (Some(dir), true) => {
                let stem = input.file_stem().unwrap_or(input.as_os_str());
                Some(dir.join(stem).with_extension(format.extension()))
            }
            (None, _) => None,
        };
        if let Err(()) = convert_one(
            input,
            target.as_deref(),
            format,
            &read_options,
            &render_options,
            &overrides,
            args,
        ) {
            failed = true;
        }
    }
    if failed {
        Err(Failure::Document)
    } else {
        Ok(())
    }
}

fn convert_one(
    input: &Path,
    target: Option<&Path>,
    format: OutputFormat,
    read_options: &ReadOptions,
    render_options: &RenderOptions,
    overrides: &Meta,
    args: &ConvertArgs,
) -> Result<(), ()> {
    let is_stdin = input == Path::new("-");
    let shown_path = if is_stdin {
        PathBuf::from("<stdin>")
    } else {
        input.to_path_buf()
    };
    if let Some(target) = target {
        if !is_stdin && output::same_file(input, target) {
            report(&Error::Usage(format!(
                "{}: the output would overwrite the input; choose another output path",
                target.display()
            )));
            return Err(());
        }
    }
    let bytes = if is_stdin {
        let mut bytes = Vec::new();
        std::io::stdin()
            .read_to_end(&mut bytes)
            .map_err(|e| report(&Error::io("<stdin>", "cannot read", e)))?;
        bytes
    } else {
        std::fs::read(input).map_err(|e| report(&Error::io(input, "cannot read", e)))?
    };
    let mut warnings = Warnings::new();
    let mut document =
        bindery::read::read_document(&shown_path, &bytes, read_options, &mut warnings)
            .map_err(|e| report(&e))?;
    document.meta.overlay(overrides);
    let rendered = render_single(&document, format, render_options).map_err(|e| {
        report(&Error::Usage(format!("template error: {e:#}")));
    })?;
    print_warnings(&warnings, args.quiet);
    if args.strict && !warnings.is_empty() {
        eprintln!(
            "error: {}: {} warning(s) and --strict is on; nothing was written",
            shown_path.display(),
            warnings.len()
        );
        return Err(());
    }
    match target {
        Some(target) => output::write_atomic(target, &rendered).map_err(|e| report(&e)),
        None => std::io::stdout()
            .write_all(&rendered)
            .map_err(|e| report(&Error::io("<stdout>", "cannot write", e))),
    }
}

fn render_options(args: &ConvertArgs) -> Result<RenderOptions, Failure> {
    let template = match &args.template {
        Some(path) => Some((
            path.display().to_string(),
            std::fs::read_to_string(path)
                .map_err(|e| Failure::Usage(format!("{}: cannot read: {e}", path.display())))?,
        )),
        None => None,
    };
    let (css, css_href) = match &args.css {
        Some(css) if css.contains("://") || css.starts_with('/') && !Path::new(css).exists() => {
            (None, Some(css.clone()))
        }
        Some(path) => (
            Some(
                std::fs::read_to_string(path)
                    .map_err(|e| Failure::Usage(format!("{path}: cannot read: {e}")))?,
            ),
            None,
        ),
        None => (None, None),
    };
    Ok(RenderOptions {
        html: PageOptions {
            toc: args.toc,
            fragment: args.fragment,
            template,
            css,
            css_href,
            drop_raw_html: false,
        },
        text: TextOptions {
            width: args.width,
            links: match args.links {
                LinksArg::Refs => LinkStyle::Refs,
                LinksArg::Inline => LinkStyle::Inline,
                LinksArg::None => LinkStyle::None,
            },
        },
    })
}

fn parse_metadata(pairs: &[String]) -> Result<Meta, String> {
    let mut meta = Meta::default();
    for pair in pairs {
        let (key, value) = pair
            .split_once('=')
            .ok_or_else(|| format!("--metadata expects KEY=VALUE, got `{pair}`"))?;
        meta.set(key.trim(), value)
            .map_err(|message| format!("--metadata {pair}: {message}"))?;
    }
    Ok(meta)
}

fn report(error: &Error) {
    eprintln!("{}", render_error(error));
}

fn render_error(error: &Error) -> String {
    match error {
        Error::Input(diagnostic) => diagnostic.to_string(),
        other => format!("error: {other}"),
    }
}

fn print_warnings(warnings: &[Diagnostic], quiet: bool) {
    if quiet {
        return;
    }
    for warning in warnings {
        eprintln!("{warning}");
    }
}
