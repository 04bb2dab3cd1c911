//! `bindery build`: configuration and flags in, [`bindery::project::build`] run, a report out.

use std::collections::BTreeSet;
use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;
use std::time::{Duration, SystemTime};

use bindery::book::BookOptions;
use bindery::project::config::Config;
use bindery::project::{
    BuildOptions, BuildReport, Target, book_meta, build as run_build, discover,
};
use bindery::read::ReadOptions;
use bindery::write::epub::EpubOptions;
use bindery::write::pdf::{Paper, PdfOptions, PdfStandard};
use bindery::write::text::{LinkStyle, TextOptions};
use bindery::{Error, depfile, output};

use super::{EXIT_FAILURE, EXIT_USAGE, print_warnings, report, shown_warnings};
use crate::cli::BuildArgs;

/// Runs `bindery build` (once, or forever with `--watch`).
pub fn build(args: &BuildArgs) -> ExitCode {
    let options = match options(args) {
        Ok(options) => options,
        Err(error) => {
            report(&error);
            return exit_status(&error);
        }
    };
    let status = build_once(args, &options);
    if !args.watch {
        return status;
    }
    watch(args, &options)
}

fn build_once(args: &BuildArgs, options: &BuildOptions) -> ExitCode {
    let bar = progress_bar(args);
    let mut options = options.clone();
    if let Some(bar) = &bar {
        let bar = bar.clone();
        options.progress = Some(Arc::new(move |step: &str, done: usize, total: usize| {
            bar.set_length(total as u64);
            bar.set_position(done as u64);
            bar.set_message(step.to_string());
        }));
    }
    let result = run_build(&options);
    if let Some(bar) = bar {
        bar.finish_and_clear();
    }
    let report_result = match result {
        Ok(report) => report,
        Err(error) => {
            report(&error);
            write_depfile(args, &options, &BuildReport::default());
            return exit_status(&error);
        }
    };
    let build_report = report_result;
    let mut shown = shown_warnings(&build_report.warnings);
    shown.extend(build_report.replayed_warnings.iter().cloned());
    print_warnings(&shown, args.quiet, args.verbose);
    let warning_count = build_report.warnings.len() + build_report.replayed_warnings.len();
    for error in &build_report.errors {
        report(error);
    }
    write_depfile(args, &options, &build_report);
    if !args.quiet {
        say!(
            "bindery: {}, {} written, {} up to date, {}, {} in {:.2} s",
            count(build_report.documents, "document"),
            count(build_report.written.len(), "output"),
            build_report.skipped,
            count(warning_count, "warning"),
            count(build_report.errors.len(), "error"),
            build_report.seconds
        );
    }
    if !build_report.errors.is_empty() {
        return ExitCode::from(EXIT_FAILURE);
    }
    if args.strict && warning_count > 0 {
        say!("error: {warning_count} warning(s) and --strict is on");
        return ExitCode::from(EXIT_FAILURE);
    }
    ExitCode::SUCCESS
}

fn progress_bar(args: &BuildArgs) -> Option<indicatif::ProgressBar> {
    if args.quiet || !std::io::stderr().is_terminal() {
        return None;
    }
    let bar = indicatif::ProgressBar::new(0);
    bar.set_style(
        indicatif::ProgressStyle::with_template("{bar:30} {pos}/{len} {msg}")
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
    );
    Some(bar)
}

fn write_depfile(args: &BuildArgs, options: &BuildOptions, build_report: &BuildReport) {
    let Some(path) = &args.depfile else { return };
    let mut inputs = build_report.inputs.clone();
    inputs.extend(options.extra_inputs.iter().cloned());
    let targets = if build_report.targets.is_empty() {
        vec![options.output.join(".bindery-state.json")]
    } else {
        build_report.targets.clone()
    };
    let text = depfile::render(&targets, &inputs);
    if let Err(error) = output::write_atomic(path, text.as_bytes()) {
        report(&error);
    }
}

/// Combines `bindery.toml` and the command line (flags win) into build options.
fn options(args: &BuildArgs) -> Result<BuildOptions, Error> {
    let config_path = match &args.config {
        Some(path) => Some(path.clone()),
        None => Some(PathBuf::from("bindery.toml")).filter(|p| p.exists()),
    };
    let config = match &config_path {
        Some(path) => Config::load(path)?,
        None => Config::default(),
    };
    let mut extra_inputs: Vec<PathBuf> = config_path.iter().cloned().collect();
    let sources = if !args.sources.is_empty() {
        args.sources.clone()
    } else if !config.source.is_empty() {
        config.source.clone()
    } else {
        vec![PathBuf::from("content")]
    };
    let output = args
        .output
        .clone()
        .or(config.output.clone())
        .unwrap_or_else(|| PathBuf::from("out"));
    let format_names: Vec<String> = if !args.formats.is_empty() {
        args.formats.clone()
    } else {
        config.formats.clone().unwrap_or_default()
    };
    let targets: BTreeSet<Target> = if format_names.is_empty() {
        Target::ALL.into_iter().collect()
    } else {
        format_names
            .iter()
            .map(|name| {
                Target::from_name(name).ok_or_else(|| {
                    Error::Usage(format!(
                        "unknown format `{name}`: use site, text, epub or pdf"
                    ))
                })
            })
            .collect::<Result<_, _>>()?
    };
    let mut meta = book_meta(&config.book);
    if let Some(title) = &args.title {
        meta.title = Some(title.clone());
    }
    // An mdBook: the summary in the config, else `SUMMARY.md` at the top of the one source.
    let summary = config.summary.clone().or_else(|| {
        let [source] = sources.as_slice() else {
            return None;
        };
        let candidate = source.join("SUMMARY.md");
        candidate.is_file().then_some(candidate)
    });
    if meta.title.is_none() {
        // The title comes from the metadata: an mdBook's `book.toml`, else the first chapter
        // (never the folder's name).
        meta.title = summary.as_deref().and_then(mdbook_title);
    }
    if let Some(cover) = &config.book.cover {
        extra_inputs.push(cover.clone());
    }
    let mut resource_paths = config.resource_paths.clone();
    resource_paths.extend(args.resource_paths.iter().cloned());
    if let Some(folder) = summary.as_deref().and_then(Path::parent) {
        // An mdBook's images are anywhere under its `src/`: the summary's folder is a root.
        resource_paths.push(folder.to_path_buf());
    }
    let read_file = |path: &Path, extra: &mut Vec<PathBuf>| -> Result<String, Error> {
        extra.push(path.to_path_buf());
        std::fs::read_to_string(path).map_err(|e| Error::io(path, "cannot read", e))
    };
    let template = match &config.site.template {
        Some(path) => Some((
            path.display().to_string(),
            read_file(path, &mut extra_inputs)?,
        )),
        None => None,
    };
    let site_css = match &config.site.css {
        Some(path) => Some(read_file(path, &mut extra_inputs)?),
        None => None,
    };
    let epub_css = match &config.epub.css {
        Some(path) => Some(read_file(path, &mut extra_inputs)?),
        None => None,
    };
    let links = match config.text.links.as_deref() {
        None | Some("refs") => LinkStyle::Refs,
        Some("inline") => LinkStyle::Inline,
        Some("none") => LinkStyle::None,
        Some(other) => {
            return Err(Error::Usage(format!(
                "[text] links = \"{other}\": use refs, inline or none"
            )));
        }
    };
    Ok(BuildOptions {
        sources,
        summary,
        include: config.include.clone().unwrap_or_else(|| {
            discover::DEFAULT_INCLUDE
                .iter()
                .map(|s| s.to_string())
                .collect()
        }),
        exclude: config.exclude.clone(),
        output,
        targets,
        book: BookOptions {
            meta,
            sort: true,
            resource_paths,
            site_url: args.site_url.clone().or(config.site_url.clone()),
            skip_link_check: args.no_check_links || config.check_links == Some(false),
            structure: None,
        },
        read: ReadOptions {
            line_marks: !args.no_line_marks,
            ..ReadOptions::default()
        },
        site: bindery::project::site::SiteOptions {
            template,
            css: site_css,
        },
        text: TextOptions {
            width: config.text.width.unwrap_or(80),
            links,
        },
        epub: EpubOptions {
            css: epub_css,
            inline_toc: config.epub.contents_page,
            ..EpubOptions::default()
        },
        pdf: PdfOptions {
            paper: match config.pdf.paper.as_deref() {
                None | Some("a4") => Paper::A4,
                Some("letter") => Paper::Letter,
                Some("a5") => Paper::A5,
                Some(other) => {
                    return Err(Error::Usage(format!(
                        "[pdf] paper = \"{other}\": use a4, letter or a5"
                    )));
                }
            },
            font_dir: config.pdf.font_dir.clone(),
            fonts: config.pdf.fonts.clone(),
            system_fonts: config.pdf.system_fonts == Some(true),
            standards: match &config.pdf.pdf_standard {
                Some(list) => PdfStandard::parse_list(list)
                    .map_err(|e| Error::Usage(format!("[pdf] pdf-standard: {e}")))?,
                None => Vec::new(),
            },
            ..PdfOptions::default()
        },
        extra_inputs,
        sanitize: args.sanitize || config.sanitize == Some(true),
        jobs: args.jobs,
        force: args.force,
        progress: None,
    })
}

/// The `[book] title` of the `book.toml` next to an mdBook's `src/` folder, if any.
fn mdbook_title(summary: &Path) -> Option<String> {
    let root = summary.parent()?.parent()?;
    let text = std::fs::read_to_string(root.join("book.toml")).ok()?;
    let table: toml::Table = text.parse().ok()?;
    let title = table.get("book")?.get("title")?.as_str()?.trim();
    (!title.is_empty()).then(|| title.to_string())
}

/// A cheap fingerprint of the sources: every matching file's path, size and modification time.
fn fingerprint(options: &BuildOptions) -> Vec<(PathBuf, u64, SystemTime)> {
    let mut files = discover::discover(
        &options.sources,
        &options.include,
        &options.exclude,
        &options.book.resource_paths,
    )
    .map(|found| found.documents)
    .unwrap_or_default();
    files.extend(options.extra_inputs.iter().cloned());
    files
        .into_iter()
        .filter_map(|path| {
            let metadata = std::fs::metadata(&path).ok()?;
            Some((path, metadata.len(), metadata.modified().ok()?))
        })
        .collect()
}

/// Polls the sources and rebuilds after each burst of changes. Polling works everywhere
/// (network drives, containers) at the cost of a wake-up every few hundred milliseconds.
fn watch(args: &BuildArgs, options: &BuildOptions) -> ExitCode {
    const POLL: Duration = Duration::from_millis(300);
    const QUIET: Duration = Duration::from_millis(200);
    if !args.quiet {
        say!("bindery: watching for changes (Ctrl-C to stop)");
    }
    let mut last = fingerprint(options);
    loop {
        std::thread::sleep(POLL);
        let now = fingerprint(options);
        if now == last {
            continue;
        }
        // Debounce: wait until the files stop changing, then rebuild once.
        let mut settled = now;
        loop {
            std::thread::sleep(QUIET);
            let again = fingerprint(options);
            if again == settled {
                break;
            }
            settled = again;
        }
        last = settled;
        let _ = build_once(args, options);
    }
}

/// `1 warning`, `2 warnings`.
fn count(n: usize, noun: &str) -> String {
    if n == 1 {
        format!("1 {noun}")
    } else {
        format!("{n} {noun}s")
    }
}

/// Exit status 2 for a usage error, 1 for anything else that stopped the build.
fn exit_status(error: &Error) -> ExitCode {
    ExitCode::from(match error {
        Error::Usage(_) => EXIT_USAGE,
        _ => EXIT_FAILURE,
    })
}
