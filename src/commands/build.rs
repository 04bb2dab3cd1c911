//! `bindery build`: configuration and flags in, [`bindery::project::build`] run, a report out.

use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;
use std::time::{Duration, SystemTime};

use bindery::project::options::{self, Flags};
use bindery::project::{BuildOptions, BuildReport, build as run_build, discover};
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

/// The command line's flags, for the library to merge with `bindery.toml`.
fn options(args: &BuildArgs) -> Result<BuildOptions, Error> {
    options::resolve(&Flags {
        sources: args.sources.clone(),
        output: args.output.clone(),
        config: args.config.clone(),
        formats: args.formats.clone(),
        resource_paths: args.resource_paths.clone(),
        site_url: args.site_url.clone(),
        no_check_links: args.no_check_links,
        title: args.title.clone(),
        jobs: args.jobs,
        force: args.force,
        no_line_marks: args.no_line_marks,
        sanitize: args.sanitize,
    })
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
