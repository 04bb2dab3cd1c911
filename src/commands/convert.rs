//! `bindery convert`: documents to HTML, plain text, EPUB or PDF.

use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use bindery::book::{Book, BookOptions};
use bindery::format::{OutputFormat, RenderOptions, render_single};
use bindery::meta::Meta;
use bindery::read::{InputFormat, ReadOptions};
use bindery::write::epub::{EpubOptions, epub};
use bindery::write::html::PageOptions;
use bindery::write::pdf::{Paper, PdfOptions, PdfStandard, pdf};
use bindery::write::text::{LinkStyle, TextOptions};
use bindery::{Diagnostic, Error, Warnings, output};

use crate::cli::{ConvertArgs, FromFormat, LinksArg, PaperArg, ToFormat};
use crate::{EXIT_FAILURE, EXIT_USAGE, Failure, print_warnings, report};

pub fn convert(args: &ConvertArgs) -> ExitCode {
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
    let stdout = args.output.as_deref().is_none_or(|o| o == Path::new("-"));
    let several = args.inputs.len() > 1;
    let format = match (args.to, &args.output) {
        (Some(ToFormat::Html), _) => OutputFormat::Html,
        (Some(ToFormat::Text), _) => OutputFormat::Text,
        (Some(ToFormat::Epub), _) => OutputFormat::Epub,
        (Some(ToFormat::Pdf), _) => OutputFormat::Pdf,
        (None, Some(out)) => match OutputFormat::from_path(out) {
            Some(format) => format,
            None if several && !stdout => {
                return Err(Failure::Usage(
                    "with several inputs, say which format to write with --to html|text, or \
                     name an .epub or .pdf file to make one book"
                        .into(),
                ));
            }
            None => OutputFormat::Html,
        },
        (None, None) => OutputFormat::Html,
    };
    if matches!(format, OutputFormat::Epub | OutputFormat::Pdf) {
        return convert_book(args, format, &read_options, &overrides);
    }
    let render_options = render_options(args)?;
    if several && stdout {
        return Err(Failure::Usage(
            "several inputs need an output directory: -o DIR".into(),
        ));
    }
    let mut failed = false;
    let mut rules = Vec::new();
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
        let result = (|| -> Result<(), ()> {
            refuse_overwriting_inputs(std::slice::from_ref(input), target.as_deref())?;
            let mut warnings = Warnings::new();
            let (shown_path, mut document) = load(input, &read_options, &overrides, &mut warnings)?;
            if args.sanitize {
                bindery::sanitize::sanitize_document(&mut document);
            }
            let rendered = render_single(&document, format, &render_options).map_err(|e| {
                let (name, source) = match &render_options.html.template {
                    Some((name, source)) => (name.as_str(), Some(source.as_str())),
                    None => ("built-in template", None),
                };
                report(&bindery::diag::template_error(&e, name, source).into());
            })?;
            finish(&shown_path, &rendered, target.as_deref(), &warnings, args)
        })();
        if let Some(target) = &target {
            rules.push((target.clone(), vec![input.clone()]));
        }
        failed |= result.is_err();
    }
    write_depfile(args, rules);
    if failed {
        Err(Failure::Document)
    } else {
        Ok(())
    }
}

/// EPUB and PDF: every input becomes a chapter of one book.
fn convert_book(
    args: &ConvertArgs,
    format: OutputFormat,
    read_options: &ReadOptions,
    overrides: &Meta,
) -> Result<(), Failure> {
    let target = args.output.as_deref().filter(|o| *o != Path::new("-"));
    if target.is_none() && std::io::IsTerminal::is_terminal(&std::io::stdout()) {
        return Err(Failure::Usage(format!(
            "{} output is binary: name an output file with -o",
            format.extension()
        )));
    }
    refuse_overwriting_inputs(&args.inputs, target).map_err(|()| Failure::Document)?;
    let mut warnings = Warnings::new();
    let mut documents = Vec::new();
    let mut failed = false;
    for input in &args.inputs {
        match load(input, read_options, &Meta::default(), &mut warnings) {
            Ok(loaded) => documents.push(loaded),
            Err(()) => failed = true,
        }
    }
    if failed {
        print_warnings(&warnings, args.quiet);
        return Err(Failure::Document);
    }
    let mut book_meta = overrides.clone();
    if let Some(title) = &args.title {
        book_meta.title = Some(title.clone());
    }
    if let Some(cover) = &args.cover {
        book_meta.cover = Some(cover.display().to_string());
    }
    let book_options = BookOptions {
        meta: book_meta,
        sort: args.sort,
        resource_paths: args.resource_paths.clone(),
        site_url: args.site_url.clone(),
        skip_link_check: args.no_check_links,
    };
    let css = match &args.css {
        Some(path) => Some(
            std::fs::read_to_string(path)
                .map_err(|e| Failure::Usage(format!("{path}: cannot read: {e}")))?,
        ),
        None => None,
    };
    let mut depends_on = args.inputs.clone();
    depends_on.extend(args.cover.iter().cloned());
    let result = Book::assemble(documents, &book_options, &mut warnings).and_then(|book| {
        depends_on.extend(book.assets.values().map(|asset| asset.path.clone()));
        match format {
            OutputFormat::Epub => epub(
                &book,
                &EpubOptions {
                    css,
                    inline_toc: args.toc,
                    ..EpubOptions::default()
                },
                &mut warnings,
            ),
            _ => pdf(
                &book,
                &PdfOptions {
                    paper: match args.paper {
                        PaperArg::A4 => Paper::A4,
                        PaperArg::Letter => Paper::Letter,
                        PaperArg::A5 => Paper::A5,
                    },
                    font_dir: args.font_dir.clone(),
                    number_headings: args.number_headings,
                    standards: match &args.pdf_standard {
                        Some(list) => PdfStandard::parse_list(list).map_err(Error::Usage)?,
                        None => Vec::new(),
                    },
                    ..PdfOptions::default()
                },
                &mut warnings,
            ),
        }
    });
    if let Some(target) = target {
        write_depfile(args, vec![(target.to_path_buf(), depends_on)]);
    }
    let bytes = match result {
        Ok(bytes) => bytes,
        Err(e) => {
            print_warnings(&warnings, args.quiet);
            report(&e);
            return Err(Failure::Document);
        }
    };
    let shown = target.map_or_else(|| PathBuf::from("<stdout>"), Path::to_path_buf);
    finish(&shown, &bytes, target, &warnings, args).map_err(|()| Failure::Document)
}

/// Writes `--depfile`: one Makefile rule per output, listing what it was made from (the
/// options' template and stylesheet included). Written even when the conversion failed.
fn write_depfile(args: &ConvertArgs, rules: Vec<(PathBuf, Vec<PathBuf>)>) {
    let Some(path) = &args.depfile else { return };
    let mut text = String::new();
    for (target, mut inputs) in rules {
        inputs.retain(|i| i != Path::new("-"));
        inputs.extend(args.template.iter().cloned());
        inputs.extend(args.css.iter().map(PathBuf::from).filter(|p| p.exists()));
        text.push_str(&bindery::depfile::render(&[target], &inputs));
    }
    if let Err(error) = output::write_atomic(path, text.as_bytes()) {
        report(&error);
    }
}

/// Refuses an output path that names one of the inputs.
fn refuse_overwriting_inputs(inputs: &[PathBuf], target: Option<&Path>) -> Result<(), ()> {
    let Some(target) = target else { return Ok(()) };
    if let Some(input) = inputs
        .iter()
        .find(|i| *i != Path::new("-") && output::same_file(i, target))
    {
        report(&Error::Usage(format!(
            "{}: the output would overwrite the input {}; choose another output path",
            target.display(),
            input.display()
        )));
        return Err(());
    }
    Ok(())
}

/// Reads one input (`-` is standard input) into a document with the metadata overrides applied.
fn load(
    input: &Path,
    read_options: &ReadOptions,
    overrides: &Meta,
    warnings: &mut Warnings,
) -> Result<(PathBuf, bindery::Document), ()> {
    let is_stdin = input == Path::new("-");
    let shown_path = if is_stdin {
        PathBuf::from("<stdin>")
    } else {
        input.to_path_buf()
    };
    let bytes = if is_stdin {
        let mut bytes = Vec::new();
        std::io::stdin()
            .read_to_end(&mut bytes)
            .map_err(|e| report(&Error::io("<stdin>", "cannot read", e)))?;
        bytes
    } else {
        std::fs::read(input).map_err(|e| report(&Error::io(input, "cannot read", e)))?
    };
    let mut document = bindery::read::read_document(&shown_path, &bytes, read_options, warnings)
        .map_err(|e| report(&e))?;
    document.meta.overlay(overrides);
    Ok((shown_path, document))
}

/// Prints warnings, applies `--strict`, and writes the output (atomically) or to stdout.
fn finish(
    shown_path: &Path,
    rendered: &[u8],
    target: Option<&Path>,
    warnings: &[Diagnostic],
    args: &ConvertArgs,
) -> Result<(), ()> {
    print_warnings(warnings, args.quiet);
    if args.strict && !warnings.is_empty() {
        eprintln!(
            "error: {}: {} warning(s) and --strict is on; nothing was written",
            shown_path.display(),
            warnings.len()
        );
        return Err(());
    }
    match target {
        Some(target) => {
            // Leftovers of a run that was killed before renaming its output into place.
            let dir = target.parent().filter(|p| !p.as_os_str().is_empty());
            output::remove_stale_temporaries(dir.unwrap_or(Path::new(".")));
            output::write_atomic(target, rendered).map_err(|e| report(&e))
        }
        None => std::io::stdout()
            .write_all(rendered)
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
            ..PageOptions::default()
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

pub fn parse_metadata(pairs: &[String]) -> Result<Meta, String> {
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
