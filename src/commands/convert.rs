//! `bindery convert`: documents to HTML, plain text, EPUB or PDF.

use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use bindery::book::summary::{self, is_summary};
use bindery::book::{BookOptions, ChapterPlace};
use bindery::format::{Content, OutputFormat, RenderOptions, RenderReport, render};
use bindery::meta::Meta;
use bindery::read::ReadOptions;
use bindery::write::epub::EpubOptions;
use bindery::write::html::PageOptions;
use bindery::write::pdf::{PdfOptions, PdfStandard};
use bindery::write::text::TextOptions;
use bindery::{Diagnostic, Error, Warnings, output};

use super::{EXIT_FAILURE, EXIT_USAGE, Failure, WarningPrinter, report};
use crate::cli::ConvertArgs;

pub fn convert(args: &ConvertArgs) -> ExitCode {
    let mut printer = WarningPrinter::new(args.quiet, args.verbose);
    let result = try_convert(args, &mut printer);
    printer.finish();
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(Failure::Usage(message)) => {
            say!("error: {message}");
            ExitCode::from(EXIT_USAGE)
        }
        Err(Failure::Document) => ExitCode::from(EXIT_FAILURE),
    }
}

/// Where the output goes, as the command line says it.
enum Destination {
    /// Standard output (`-o -` or no `-o`).
    Stdout,
    /// A folder to write into (`-o out/`, or a folder that exists): one file per input, named
    /// after it.
    Folder(PathBuf),
    /// One file.
    File(PathBuf),
}

impl Destination {
    fn of(output: Option<&Path>) -> Destination {
        match output {
            None => Destination::Stdout,
            Some(out) if out == Path::new("-") => Destination::Stdout,
            Some(out) if out.as_os_str().as_encoded_bytes().ends_with(b"/") || out.is_dir() => {
                Destination::Folder(out.to_path_buf())
            }
            Some(out) => Destination::File(out.to_path_buf()),
        }
    }
}

/// The extensions an output file may have, for the usage error about any other.
const KNOWN_EXTENSIONS: &str = ".html, .htm, .xhtml, .txt, .text, .epub, .pdf";

/// The output format: `--to`, else the output file's extension, else HTML. An extension that
/// names no format is a usage error (unless `--to` says what to write); an extension that
/// names another format than `--to` is a warning.
fn output_format(args: &ConvertArgs, destination: &Destination) -> Result<OutputFormat, Failure> {
    let to = args.to;
    let Destination::File(file) = destination else {
        return Ok(to.unwrap_or(OutputFormat::Html));
    };
    let Some(extension) = file.extension() else {
        return Ok(to.unwrap_or(OutputFormat::Html));
    };
    let named = OutputFormat::from_path(file);
    match (to, named) {
        (None, Some(format)) => Ok(format),
        (None, None) => Err(Failure::Usage(format!(
            "{}: unknown output extension `.{}`; use {KNOWN_EXTENSIONS}, or say which format \
             to write with --to html|text|epub|pdf",
            file.display(),
            extension.to_string_lossy()
        ))),
        (Some(to), named) => {
            if named != Some(to) && !args.quiet {
                let says = named.map_or("no format", format_name);
                say!(
                    "warning: {}: --to writes {} into a file whose extension `.{}` says {says}",
                    file.display(),
                    format_name(to),
                    extension.to_string_lossy()
                );
            }
            Ok(to)
        }
    }
}

fn format_name(format: OutputFormat) -> &'static str {
    format.display_name()
}

fn try_convert(args: &ConvertArgs, printer: &mut WarningPrinter) -> Result<(), Failure> {
    let overrides = parse_metadata(&args.metadata).map_err(Failure::Usage)?;
    let read_options = ReadOptions {
        format: args.from,
        smart: args.smart,
        line_marks: !args.no_line_marks,
        // A fragment is the whole body: its first heading is not taken away as the title.
        keep_title_heading: args.fragment,
    };
    let stdin_count = args.inputs.iter().filter(|i| *i == Path::new("-")).count();
    if stdin_count > 1 {
        return Err(Failure::Usage(format!(
            "standard input (`-`) is named {stdin_count} times; it can be read only once"
        )));
    }
    let destination = Destination::of(args.output.as_deref());
    let format = output_format(args, &destination)?;
    check_named_files(args)?;
    if matches!(format, OutputFormat::Epub | OutputFormat::Pdf) {
        let target = match &destination {
            Destination::Stdout => None,
            Destination::File(file) => Some(file.clone()),
            Destination::Folder(folder) => Some(folder.join(output_name(&args.inputs[0], format)?)),
        };
        return convert_book(
            args,
            format,
            target.as_deref(),
            &read_options,
            &overrides,
            printer,
        );
    }
    if let Some(summary) = args.inputs.iter().find(|i| is_summary(i)) {
        return Err(Failure::Usage(format!(
            "{}: an mdBook summary makes a book: write it to an .epub or .pdf file, or build \
             the whole site with `bindery build`",
            summary.display()
        )));
    }
    let render_options = render_options(args)?;
    convert_pages(
        args,
        format,
        &destination,
        &read_options,
        &overrides,
        &render_options,
        printer,
    )
}

/// HTML and text: one output per input, read and rendered on every core.
fn convert_pages(
    args: &ConvertArgs,
    format: OutputFormat,
    destination: &Destination,
    read_options: &ReadOptions,
    overrides: &Meta,
    render_options: &RenderOptions,
    printer: &mut WarningPrinter,
) -> Result<(), Failure> {
    let several = args.inputs.len() > 1;
    match destination {
        Destination::Stdout if several => {
            return Err(Failure::Usage(
                "several inputs need an output folder: -o DIR/".into(),
            ));
        }
        Destination::File(file) if several && file.extension().is_some() => {
            return Err(Failure::Usage(format!(
                "{}: {} inputs cannot go into one {} file; give a folder (-o DIR/) for one \
                 output per input, or name an .epub or .pdf file to make one book",
                file.display(),
                args.inputs.len(),
                format.extension()
            )));
        }
        _ => {}
    }
    if several {
        refuse_shared_output_names(&args.inputs, format)?;
    }
    // Read and render on every core (the work of highlighting code); what is printed and
    // written happens below, one input after another in the order given, as with one thread.
    let render_one = |input: &PathBuf| -> Result<Rendered, Error> {
        let mut warnings = Warnings::new();
        let (shown_path, mut document) = read_input(input, read_options, overrides, &mut warnings)?;
        if args.sanitize {
            bindery::sanitize::sanitize_document(&mut document);
        }
        let mut render_report = RenderReport::default();
        let rendered = render(
            Content::Document(&document),
            format,
            render_options,
            &mut render_report,
        );
        warnings.extend(render_report.warnings);
        Ok((shown_path, warnings, rendered))
    };
    let mut rendered: Vec<_> = if several {
        use rayon::prelude::*;
        args.inputs.par_iter().map(render_one).collect()
    } else {
        args.inputs.iter().map(render_one).collect()
    };
    let mut failed = false;
    let mut rules = Vec::new();
    for (index, (input, rendered)) in args.inputs.iter().zip(rendered.drain(..)).enumerate() {
        let target = match destination {
            Destination::Stdout => None,
            Destination::File(file) if !several => Some(file.clone()),
            // Several inputs and an output without an extension: a folder, made if needed.
            Destination::File(folder) | Destination::Folder(folder) => {
                Some(folder.join(output_name(input, format)?))
            }
        };
        let result = (|| -> Result<(), ()> {
            refuse_overwriting_inputs(std::slice::from_ref(input), target.as_deref())?;
            let (shown_path, warnings, rendered) = rendered.map_err(|e| report(&e))?;
            let rendered = rendered.map_err(|e| report(&e))?;
            // All outputs go to one folder: look for stale temporaries there once, not per file.
            let clean = index == 0;
            finish(
                &shown_path,
                &rendered,
                target.as_deref(),
                &warnings,
                args,
                clean,
                printer,
            )
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

/// The name of the output made from `input` inside an output folder: its stem and the format's
/// extension.
fn output_name(input: &Path, format: OutputFormat) -> Result<PathBuf, Failure> {
    if input == Path::new("-") {
        return Err(Failure::Usage(
            "standard input has no name to give its output in a folder: name the output file \
             with -o FILE"
                .into(),
        ));
    }
    let stem = input.file_stem().unwrap_or(input.as_os_str());
    Ok(Path::new(stem).with_extension(format.extension()))
}

/// Two inputs with the same stem (`a/index.md`, `b/index.md`) would write one output file in
/// the folder, the second silently replacing the first: refused before anything is written.
fn refuse_shared_output_names(inputs: &[PathBuf], format: OutputFormat) -> Result<(), Failure> {
    let mut first_by_name = std::collections::HashMap::new();
    for input in inputs {
        let name = output_name(input, format)?;
        if let Some(first) = first_by_name.insert(name.clone(), input) {
            return Err(Failure::Usage(format!(
                "{} and {} would both be written to {} in the output folder; convert them into \
                 different folders (one command each), or rename one",
                first.display(),
                input.display(),
                name.display()
            )));
        }
    }
    Ok(())
}

/// Every file an option names (`--css`, `--template`, `--cover`, `--font-dir`) must be there
/// before anything is converted: one rule, exit status 1 and nothing written, as for a missing
/// input.
fn check_named_files(args: &ConvertArgs) -> Result<(), Failure> {
    let css = args
        .css
        .as_deref()
        .filter(|css| !css_is_url(css))
        .map(PathBuf::from);
    let files = css.iter().chain(&args.template).chain(&args.cover);
    let mut missing = false;
    for file in files {
        let checked = std::fs::metadata(file).and_then(|m| {
            if m.is_file() {
                Ok(())
            } else {
                Err(std::io::Error::other("not a regular file"))
            }
        });
        if let Err(e) = checked {
            report(&Error::io(file, "cannot read", e));
            missing = true;
        }
    }
    if let Some(dir) = &args.font_dir
        && let Err(e) = std::fs::read_dir(dir)
    {
        report(&Error::io(dir, "cannot read", e));
        missing = true;
    }
    if missing {
        Err(Failure::Document)
    } else {
        Ok(())
    }
}

/// Whether `--css` names a stylesheet to link rather than a file to embed: a URL, or a
/// site-absolute path that is not a file here.
fn css_is_url(css: &str) -> bool {
    css.contains("://") || css.starts_with('/') && !Path::new(css).exists()
}

/// EPUB and PDF: every input becomes a chapter of one book.
fn convert_book(
    args: &ConvertArgs,
    format: OutputFormat,
    target: Option<&Path>,
    read_options: &ReadOptions,
    overrides: &Meta,
    printer: &mut WarningPrinter,
) -> Result<(), Failure> {
    if target.is_none() && std::io::IsTerminal::is_terminal(&std::io::stdout()) {
        return Err(Failure::Usage(format!(
            "{} output is binary: name an output file with -o",
            format.extension()
        )));
    }
    // A PDF standard the file cannot be is a usage error, found before anything is read.
    let standards = match format {
        OutputFormat::Pdf => pdf_standards(args)?,
        _ => Vec::new(),
    };
    refuse_overwriting_inputs(&args.inputs, target).map_err(|()| Failure::Document)?;
    let mut render_report = RenderReport::default();
    let mut depends_on = args.inputs.clone();
    let (documents, structure) = read_book(
        args,
        read_options,
        &mut depends_on,
        &mut render_report.warnings,
        printer,
    )?;
    let mut options = book_render_options(args, overrides, structure)?;
    options.pdf.standards = standards;
    depends_on.extend(args.cover.iter().cloned());
    let result = render(
        Content::Documents(documents),
        format,
        &options,
        &mut render_report,
    );
    depends_on.append(&mut render_report.dependencies);
    if let Some(target) = target {
        write_depfile(args, vec![(target.to_path_buf(), depends_on)]);
    }
    let warnings = render_report.warnings;
    let bytes = match result {
        Ok(bytes) => bytes,
        Err(e) => {
            printer.print(&warnings);
            report(&e);
            return Err(Failure::Document);
        }
    };
    let shown = target.map_or_else(|| PathBuf::from("<stdout>"), Path::to_path_buf);
    finish(&shown, &bytes, target, &warnings, args, true, printer).map_err(|()| Failure::Document)
}

/// A book's documents with the paths they were read from, and a summary's place for each.
type BookSources = (Vec<(PathBuf, bindery::Document)>, Option<Vec<ChapterPlace>>);

/// The chapters of a book: the inputs, or the files an mdBook summary lists (and its place
/// for each). Every failure is reported.
fn read_book(
    args: &ConvertArgs,
    read_options: &ReadOptions,
    depends_on: &mut Vec<PathBuf>,
    warnings: &mut Warnings,
    printer: &mut WarningPrinter,
) -> Result<BookSources, Failure> {
    if let [input] = args.inputs.as_slice()
        && is_summary(input)
    {
        let book = summary::load(input, read_options, warnings).map_err(|e| {
            printer.print(warnings);
            report(&e);
            Failure::Document
        })?;
        if !args.quiet {
            for (title, pos) in &book.drafts {
                say!(
                    "{}:{}:{}: note: draft chapter `{title}` has no file; it is left out",
                    input.display(),
                    pos.line,
                    pos.col
                );
            }
        }
        depends_on.extend(book.inputs);
        depends_on.extend(summary::book_toml_path(input).filter(|path| path.is_file()));
        return Ok((book.documents, Some(book.places)));
    }
    // Read and parsed in parallel (a book's chapters are independent), reported in the order
    // given.
    let read: Vec<_> = {
        use rayon::prelude::*;
        args.inputs
            .par_iter()
            .map(|input| {
                let mut own = Warnings::new();
                let result = read_input(input, read_options, &Meta::default(), &mut own);
                (own, result)
            })
            .collect()
    };
    let mut documents = Vec::new();
    let mut failed = false;
    for (own, result) in read {
        warnings.extend(own);
        match result {
            Ok(loaded) => documents.push(loaded),
            Err(e) => {
                report(&e);
                failed = true;
            }
        }
    }
    if failed {
        printer.print(warnings);
        return Err(Failure::Document);
    }
    Ok((documents, None))
}

/// The options of a book render: metadata overrides, resource paths, the EPUB's and the PDF's.
fn book_render_options(
    args: &ConvertArgs,
    overrides: &Meta,
    structure: Option<Vec<ChapterPlace>>,
) -> Result<RenderOptions, Failure> {
    // An mdBook's `book.toml` gives the defaults (title, authors, language); `--metadata` and
    // `--title` win.
    let mut book_meta = match structure {
        Some(_) => summary::book_toml_meta(&args.inputs[0]),
        None => Meta::default(),
    };
    book_meta.overlay(overrides);
    if let Some(title) = &args.title {
        book_meta.title = Some(title.clone());
    }
    if let Some(cover) = &args.cover {
        book_meta.cover = Some(cover.display().to_string());
    }
    let mut resource_paths = args.resource_paths.clone();
    if structure.is_some() {
        // An mdBook's images are anywhere under its `src/` (`../img/x.svg` from a chapter in a
        // sub-folder), and `/img/x.png` is `src/img/x.png`: the summary's folder is a root.
        let root = args.inputs[0].parent().unwrap_or(Path::new(""));
        resource_paths.push(if root.as_os_str().is_empty() {
            PathBuf::from(".")
        } else {
            root.to_path_buf()
        });
    }
    let css = match &args.css {
        Some(path) => Some(read_named_file(Path::new(path))?),
        None => None,
    };
    Ok(RenderOptions {
        epub: EpubOptions {
            css,
            inline_toc: args.toc,
            parts: structure.is_some(),
            ..EpubOptions::default()
        },
        pdf: PdfOptions {
            paper: args.paper,
            font_dir: args.font_dir.clone(),
            system_fonts: args.system_fonts,
            number_headings: args.number_headings,
            ..PdfOptions::default()
        },
        book: BookOptions {
            meta: book_meta,
            sort: args.sort,
            resource_paths,
            site_url: args.site_url.clone(),
            skip_link_check: args.no_check_links,
            structure,
        },
        ..RenderOptions::default()
    })
}

/// `--pdf-standard`, parsed: an unknown name is a usage error.
fn pdf_standards(args: &ConvertArgs) -> Result<Vec<PdfStandard>, Failure> {
    PdfStandard::checked_list(args.pdf_standard.clone()).map_err(Failure::Usage)
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

/// One input read and rendered: the path to show, its warnings, the output or template error.
type Rendered = (PathBuf, Warnings, Result<Vec<u8>, Error>);

/// Reads one input (`-` is standard input) into a document with the metadata overrides applied;
/// the caller reports a failure (inputs are read in parallel and reported in order).
fn read_input(
    input: &Path,
    read_options: &ReadOptions,
    overrides: &Meta,
    warnings: &mut Warnings,
) -> Result<(PathBuf, bindery::Document), Error> {
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
            .map_err(|e| Error::io("<stdin>", "cannot read", e))?;
        bytes
    } else {
        std::fs::read(input).map_err(|e| Error::io(input, "cannot read", e))?
    };
    let mut document = bindery::read::read_document(&shown_path, &bytes, read_options, warnings)?;
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
    remove_stale: bool,
    printer: &mut WarningPrinter,
) -> Result<(), ()> {
    printer.print(warnings);
    if args.strict && !warnings.is_empty() {
        say!(
            "error: {}: {} warning(s) and --strict is on; nothing was written",
            shown_path.display(),
            warnings.len()
        );
        return Err(());
    }
    match target {
        Some(target) => {
            // Leftovers of a run that was killed before renaming its output into place.
            if remove_stale {
                let dir = target.parent().filter(|p| !p.as_os_str().is_empty());
                output::remove_stale_temporaries(dir.unwrap_or(Path::new(".")));
            }
            output::write_atomic(target, rendered).map_err(|e| report(&e))
        }
        None => std::io::stdout()
            .write_all(rendered)
            .map_err(|e| report(&Error::io("<stdout>", "cannot write", e))),
    }
}

fn render_options(args: &ConvertArgs) -> Result<RenderOptions, Failure> {
    let template = match &args.template {
        Some(path) => Some((path.display().to_string(), read_named_file(path)?)),
        None => None,
    };
    let (css, css_href) = match &args.css {
        Some(css) if css_is_url(css) => (None, Some(css.clone())),
        Some(path) => (Some(read_named_file(Path::new(path))?), None),
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
            links: args.links,
        },
        ..RenderOptions::default()
    })
}

/// Reads a text file an option names; failing is exit status 1, as for an input.
fn read_named_file(path: &Path) -> Result<String, Failure> {
    std::fs::read_to_string(path).map_err(|e| {
        report(&Error::io(path, "cannot read", e));
        Failure::Document
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
