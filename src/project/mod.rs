//! `bindery build`: a whole folder of documents into a site, a text export, one EPUB and one
//! PDF, incrementally.
//!
//! The steps: find the documents ([`discover`]); if no input changed since the last build (the
//! state file in the output folder, [`state`]), stop; otherwise read every document (in
//! parallel), assemble them into one [`Book`] (which resolves links between pages and loads
//! images), and write each output whose inputs changed: per-page outputs in parallel, then the
//! book outputs. Every output is written atomically; outputs are byte-identical whatever the
//! number of threads.

pub mod config;
pub mod discover;
mod highlights;
pub mod options;
pub mod site;
pub mod state;

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::time::Instant;

use rayon::prelude::*;

use crate::book::summary::{Summary, SummaryEntry};
use crate::book::{Book, BookOptions};
use crate::diag::{Diagnostic, Warnings};
use crate::error::{Error, Result};
use crate::format::{Content, OutputFormat, RenderOptions, RenderReport, render};
use crate::output::{remove_stale_temporaries_below, write_atomic};
use crate::read::{ReadOptions, Source, read_source};
use crate::write::epub::EpubOptions;
use crate::write::pdf::PdfOptions;
use crate::write::text::TextOptions;
use state::{BuildState, InputCache, OutputStamp, STATE_FILE, combine, hash_bytes};

/// The outputs `bindery build` can make (`--formats`, `formats` in `bindery.toml`).
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, clap::ValueEnum, serde::Deserialize,
)]
#[serde(rename_all = "lowercase")]
#[non_exhaustive]
pub enum Target {
    /// `site/`: HTML pages, an index, images.
    #[value(alias = "html")]
    #[serde(alias = "html")]
    Site,
    /// `text/`: one text file per document.
    #[value(alias = "txt")]
    #[serde(alias = "txt")]
    Text,
    /// `book.epub`.
    Epub,
    /// `book.pdf`.
    Pdf,
}

impl Target {
    /// Every target, in build order.
    pub const ALL: [Target; 4] = [Target::Site, Target::Text, Target::Epub, Target::Pdf];
}

/// A progress callback: step name, items done, items in all.
pub type ProgressFn = std::sync::Arc<dyn Fn(&str, usize, usize) + Send + Sync>;

/// A document as read: its bytes, its model and the reader's warnings.
type ReadDocument = (Vec<u8>, Source, Warnings);

/// Everything a build needs to know.
#[derive(Clone, Default)]
pub struct BuildOptions {
    /// Folders (or files) holding the documents.
    pub sources: Vec<PathBuf>,
    /// An mdBook `SUMMARY.md`: when set, it lists the documents (instead of walking the
    /// sources) and gives their order, titles, parts and numbers.
    pub summary: Option<PathBuf>,
    /// Include globs, relative to a source folder.
    pub include: Vec<String>,
    /// Exclude globs.
    pub exclude: Vec<String>,
    /// The output folder.
    pub output: PathBuf,
    /// What to make.
    pub targets: BTreeSet<Target>,
    /// Book assembly (metadata, resource paths, site URL); chapters are always sorted.
    pub book: BookOptions,
    /// How documents are read.
    pub read: ReadOptions,
    /// Site options.
    pub site: site::SiteOptions,
    /// Text options.
    pub text: TextOptions,
    /// EPUB options.
    pub epub: EpubOptions,
    /// PDF options.
    pub pdf: PdfOptions,
    /// Files read besides documents and images (config, templates, stylesheets, fonts): they
    /// are hashed into every output's key and listed in the depfile.
    pub extra_inputs: Vec<PathBuf>,
    /// Clean every document as `convert --sanitize` does (raw HTML through ammonia, script
    /// and data links dropped), for sources from untrusted authors.
    pub sanitize: bool,
    /// Worker threads (`None`: all cores).
    pub jobs: Option<usize>,
    /// Rebuild everything, ignoring the state file.
    pub force: bool,
    /// Called with each step's name and the number of items done, for a progress bar.
    pub progress: Option<ProgressFn>,
}

/// What a build did.
#[derive(Debug, Default)]
pub struct BuildReport {
    /// Documents found.
    pub documents: usize,
    /// Outputs written, relative to the output folder.
    pub written: Vec<PathBuf>,
    /// Outputs left alone because their inputs had not changed.
    pub skipped: usize,
    /// Warnings.
    pub warnings: Warnings,
    /// Warnings of the last build, replayed as text when nothing needed rebuilding.
    pub replayed_warnings: Vec<String>,
    /// Documents or outputs that failed; the others were still built.
    pub errors: Vec<Error>,
    /// Every input read, for `--depfile`.
    pub inputs: Vec<PathBuf>,
    /// The main outputs (index page, text folder, book files), for `--depfile`.
    pub targets: Vec<PathBuf>,
    /// Wall time.
    pub seconds: f64,
}

/// One output to (maybe) write: its path relative to the output folder, the hash of what it is
/// made from, and how to make it.
struct Job<'a> {
    path: PathBuf,
    key: u64,
    make: Box<dyn Fn() -> Result<Vec<u8>> + Send + Sync + 'a>,
}

/// Runs a build.
pub fn build(options: &BuildOptions) -> Result<BuildReport> {
    let started = Instant::now();
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(options.jobs.unwrap_or(0))
        .build()
        .map_err(|e| Error::Internal(format!("cannot start worker threads: {e}")))?;
    let mut report = pool.install(|| build_in_pool(options))?;
    report.seconds = started.elapsed().as_secs_f64();
    Ok(report)
}

fn progress(options: &BuildOptions, step: &str, done: usize, total: usize) {
    if let Some(callback) = &options.progress {
        callback(step, done, total);
    }
}

/// The lock file a build holds in its output folder.
pub const LOCK_FILE: &str = ".bindery-lock";

/// Takes the output folder's lock (an OS file lock, released when the file is closed, also when
/// the process is killed), or fails with [`Error::Busy`] when another build holds it.
fn lock_output_folder(out: &Path) -> Result<std::fs::File> {
    let lock = out.join(LOCK_FILE);
    let file = std::fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(&lock)
        .map_err(|e| Error::io(&lock, "cannot create", e))?;
    match file.try_lock() {
        Ok(()) => Ok(file),
        Err(std::fs::TryLockError::WouldBlock) => Err(Error::Busy {
            folder: out.to_path_buf(),
            lock,
        }),
        Err(std::fs::TryLockError::Error(e)) => Err(Error::io(&lock, "cannot lock", e)),
    }
}

fn build_in_pool(options: &BuildOptions) -> Result<BuildReport> {
    let out = &options.output;
    std::fs::create_dir_all(out).map_err(|e| Error::io(out, "cannot create", e))?;
    refuse_overlap(options)?;
    // Held until the build returns: a second build into this folder fails at once.
    let _lock = lock_output_folder(out)?;
    remove_stale_temporaries_below(out);
    let previous = if options.force {
        BuildState::default()
    } else {
        BuildState::load(out)
    };
    let mut report = BuildReport::default();
    let mut summary = match &options.summary {
        Some(path) => Some(read_summary(path, &mut report.warnings)?),
        None => None,
    };
    let (sources, discovery_diagnostics) = find_sources(options, &mut summary)?;
    report.warnings.extend(discovery_diagnostics);
    // The warnings so far (summary, discovery) open the list a full build records.
    let early_warnings: Vec<String> = report.warnings.iter().map(ToString::to_string).collect();
    report.documents = sources.len();
    let mut cache = InputCache::new(&previous.inputs);
    let mut config_hash = config_hash(options, &mut cache);
    if let Some((path, _)) = &summary {
        // The summary orders and titles every chapter: part of every output's recipe.
        config_hash = combine(&[config_hash, cache.hash(path).unwrap_or(0)]);
    }
    report.targets = main_targets(options);

    // Warm path: same documents, same bytes in every input, same configuration, every output
    // still there: nothing to do.
    if is_up_to_date(
        &previous,
        config_hash,
        &sources,
        &early_warnings,
        &mut cache,
        out,
    ) {
        report.skipped = previous.outputs.len();
        report.inputs = previous.inputs.keys().cloned().collect();
        // The replay holds the warnings found so far too: shown once.
        report.warnings.clear();
        report.replayed_warnings = previous.warnings.clone();
        return Ok(report);
    }

    // Read every document in parallel; a document that fails is reported and left out.
    progress(options, "reading", 0, sources.len());
    let read = read_documents(
        options,
        &sources,
        summary.as_ref().map(|(path, _)| path.as_path()),
    );
    let Chapters {
        documents,
        places,
        source_hashes,
    } = chapters(read, summary.as_ref(), &mut cache, &mut report);
    if documents.is_empty() {
        return Ok(report);
    }
    progress(options, "assembling", 0, 1);
    let book_options = BookOptions {
        sort: true,
        structure: summary.is_some().then_some(places),
        ..options.book.clone()
    };
    let book = Book::assemble(documents, &book_options, &mut report.warnings)?;
    highlights::preset(&book, &previous.highlights);
    let asset_hashes: BTreeMap<String, u64> = book
        .assets
        .iter()
        .map(|(key, asset)| (key.clone(), cache.record(&asset.path, &asset.bytes)))
        .collect();

    let keys = Keys::new(&book, config_hash, &source_hashes, &asset_hashes);

    // The book outputs collect their warnings separately: they are made in parallel with the
    // pages, and the report's order must not depend on scheduling.
    let book_warnings = std::sync::Mutex::new(BTreeMap::<PathBuf, Warnings>::new());
    let render_options = RenderOptions {
        text: options.text,
        epub: options.epub.clone(),
        pdf: options.pdf.clone(),
        ..RenderOptions::default()
    };
    let mut jobs = site_jobs(options, &book, &keys, &asset_hashes, config_hash);
    jobs.extend(text_jobs(options, &book, &keys, &render_options));
    jobs.extend(book_jobs(
        options,
        &book,
        &keys,
        &render_options,
        &book_warnings,
    ));

    let results = make_outdated(&jobs, &previous, options);
    let book_warnings = std::mem::take(&mut *book_warnings.lock().expect("no poisoned lock"));
    for (_, warnings) in book_warnings {
        report.warnings.extend(warnings);
    }
    report.inputs = cache.seen.keys().cloned().collect();
    let state = BuildState {
        version: state::VERSION,
        config: config_hash,
        sources,
        inputs: cache.seen,
        highlights: highlights::collect(&book, &previous.highlights),
        ..BuildState::default()
    };
    record(&jobs, results, &previous, state, out, &mut report);
    Ok(report)
}

/// Refuses an output folder inside a source folder, or a source inside it: a build must never
/// write among its inputs.
fn refuse_overlap(options: &BuildOptions) -> Result<()> {
    let out = &options.output;
    for source in &options.sources {
        if discover::contains(out, source) || discover::contains(source, out) {
            return Err(Error::Usage(format!(
                "the output folder {} and the source {} overlap; choose an output folder \
                 outside the sources (a build must never write among its inputs)",
                out.display(),
                source.display()
            )));
        }
    }
    Ok(())
}

/// A summary's path and its chapters with a file, as [`read_summary`] gives them.
type SummaryChapters = (PathBuf, Vec<(PathBuf, SummaryEntry)>);

/// The documents of the build, with warnings about files left out: a summary's chapters (those
/// inside the source folders and resource paths; the others are dropped from `summary` too),
/// else every document discovery finds.
fn find_sources(
    options: &BuildOptions,
    summary: &mut Option<SummaryChapters>,
) -> Result<(Vec<PathBuf>, Warnings)> {
    let (sources, warnings) = match summary {
        Some((_, summary_book)) => {
            // The chapters a summary names get the confinement of the documents found by
            // walking: inside the source folders and resource paths, regular files.
            let roots: Vec<PathBuf> = options
                .sources
                .iter()
                .chain(&options.book.resource_paths)
                .cloned()
                .collect();
            let mut refusals = Warnings::new();
            summary_book.retain(|(path, _)| match discover::refusal(path, &roots) {
                Some(warning) => {
                    refusals.push(warning);
                    false
                }
                None => true,
            });
            (
                summary_book.iter().map(|(path, _)| path.clone()).collect(),
                refusals,
            )
        }
        None => {
            let discovered = discover::discover(
                &options.sources,
                &options.include,
                &options.exclude,
                &options.book.resource_paths,
            )?;
            (discovered.documents, discovered.warnings)
        }
    };
    if sources.is_empty() {
        return Err(Error::Usage(format!(
            "no documents found in {}",
            options
                .sources
                .iter()
                .map(|s| s.display().to_string())
                .collect::<Vec<_>>()
                .join(", ")
        )));
    }
    Ok((sources, warnings))
}

/// The warm path: same configuration, documents and warnings so far, every input with the bytes
/// it had, and every output still the file written. Then there is nothing to do.
fn is_up_to_date(
    previous: &BuildState,
    config_hash: u64,
    sources: &[PathBuf],
    early_warnings: &[String],
    cache: &mut InputCache,
    out: &Path,
) -> bool {
    previous.config == config_hash
        && previous.sources == sources
        && previous.complete
        && previous.warnings.starts_with(early_warnings)
        && !previous.outputs.is_empty()
        && previous
            .inputs
            .keys()
            .all(|path| cache.hash(path) == previous.inputs.get(path).map(|s| s.hash))
        && previous
            .outputs
            .iter()
            .all(|(path, stamp)| stamp.matches(&out.join(path)))
}

/// Reads every document in parallel; a document that fails is returned as its error. Includes
/// resolve from the summary's folder in an mdBook, else from the document's own.
fn read_documents(
    options: &BuildOptions,
    sources: &[PathBuf],
    summary: Option<&Path>,
) -> Vec<(PathBuf, Result<ReadDocument>)> {
    sources
        .par_iter()
        .map(|path| {
            let result = std::fs::read(path)
                .map_err(|e| Error::io(path, "cannot read", e))
                .and_then(|bytes| {
                    let mut warnings = Warnings::new();
                    let root = match summary {
                        Some(summary_path) => summary_path.parent().unwrap_or(Path::new("")),
                        None => path.parent().unwrap_or(Path::new("")),
                    };
                    let mut source = read_source(path, &bytes, root, &options.read, &mut warnings)?;
                    if options.sanitize {
                        crate::sanitize::sanitize_document(&mut source.document);
                    }
                    Ok((bytes, source, warnings))
                });
            (path.clone(), result)
        })
        .collect()
}

/// The keys outputs are made under: an output is made again when its key changes.
struct Keys {
    /// What every page depends on besides itself (order, titles, link targets, configuration).
    site_signature: u64,
    /// Per chapter: the signature, its source and its images.
    chapters: Vec<u64>,
    /// Every chapter and every asset.
    book: u64,
}

impl Keys {
    fn new(
        book: &Book,
        config_hash: u64,
        source_hashes: &BTreeMap<PathBuf, u64>,
        asset_hashes: &BTreeMap<String, u64>,
    ) -> Keys {
        // What every page depends on besides itself: the chapters' order, titles and heading ids
        // (navigation and links between pages) and the configuration.
        let mut signature = Vec::new();
        for chapter in &book.chapters {
            signature.extend_from_slice(chapter.slug.as_bytes());
            signature.push(0);
            signature.extend_from_slice(
                chapter
                    .document
                    .meta
                    .title
                    .as_deref()
                    .unwrap_or("")
                    .as_bytes(),
            );
            signature.push(0);
            for id in crate::book::link_targets(&chapter.document.blocks) {
                signature.extend_from_slice(id.as_bytes());
                signature.push(0);
            }
        }
        let site_signature = combine(&[hash_bytes(&signature), config_hash]);
        let chapter_keys: Vec<u64> = book
            .chapters
            .iter()
            .map(|chapter| {
                let mut parts = vec![site_signature, source_hashes[&chapter.source]];
                for image in crate::model::images(&chapter.document.blocks) {
                    parts.extend(asset_hashes.get(&image.src));
                }
                combine(&parts)
            })
            .collect();
        let book_key = combine(
            &chapter_keys
                .iter()
                .copied()
                .chain(asset_hashes.values().copied())
                .collect::<Vec<_>>(),
        );

        Keys {
            site_signature,
            chapters: chapter_keys,
            book: book_key,
        }
    }
}

/// The site's outputs: a page per chapter, the index, the search page, index and script, the
/// stylesheet and the images.
fn site_jobs<'a>(
    options: &'a BuildOptions,
    book: &'a Book,
    keys: &Keys,
    asset_hashes: &BTreeMap<String, u64>,
    config_hash: u64,
) -> Vec<Job<'a>> {
    let mut jobs = Vec::new();
    if !options.targets.contains(&Target::Site) {
        return jobs;
    }
    let sidebar = std::sync::Arc::new(site::Sidebar::new(book));
    for (index, chapter) in book.chapters.iter().enumerate() {
        let sidebar = sidebar.clone();
        jobs.push(Job {
            path: PathBuf::from("site").join(site::page_file(chapter)),
            key: combine(&[keys.chapters[index], 1]),
            make: Box::new(move || {
                site::page(book, index, &sidebar, &options.site)
                    .map(String::into_bytes)
                    .map_err(|e| template_error(&options.site, e))
            }),
        });
    }
    jobs.push(Job {
        path: PathBuf::from("site").join(site::INDEX_FILE),
        key: combine(&[keys.site_signature, 2]),
        make: Box::new(|| {
            site::index(book, &options.site)
                .map(String::into_bytes)
                .map_err(|e| template_error(&options.site, e))
        }),
    });
    // The search: a page, the index of every page's text, the script.
    let search_key = combine(&keys.chapters);
    jobs.push(Job {
        path: PathBuf::from("site").join(site::SEARCH_FILE),
        key: combine(&[keys.site_signature, 4]),
        make: Box::new(|| {
            site::search_page(book, &options.site)
                .map(String::into_bytes)
                .map_err(|e| template_error(&options.site, e))
        }),
    });
    jobs.push(Job {
        path: PathBuf::from("site").join(site::SEARCH_INDEX_FILE),
        key: combine(&[search_key, 5]),
        make: Box::new(|| Ok(site::search_index(book).into_bytes())),
    });
    jobs.push(Job {
        path: PathBuf::from("site").join(site::SEARCH_SCRIPT_FILE),
        key: hash_bytes(site::SEARCH_SCRIPT.as_bytes()),
        make: Box::new(|| Ok(site::SEARCH_SCRIPT.as_bytes().to_vec())),
    });
    jobs.push(Job {
        path: PathBuf::from("site").join(site::CSS_FILE),
        key: config_hash,
        make: Box::new(|| Ok(site_css(options).into_bytes())),
    });
    for (key, asset) in &book.assets {
        jobs.push(Job {
            path: PathBuf::from("site").join(key),
            key: asset_hashes[key],
            make: Box::new(move || Ok(asset.bytes.clone())),
        });
    }
    jobs
}

/// One text file per chapter.
fn text_jobs<'a>(
    options: &BuildOptions,
    book: &'a Book,
    keys: &Keys,
    render_options: &'a RenderOptions,
) -> Vec<Job<'a>> {
    let mut jobs = Vec::new();
    if !options.targets.contains(&Target::Text) {
        return jobs;
    }
    for (index, chapter) in book.chapters.iter().enumerate() {
        jobs.push(Job {
            path: PathBuf::from("text").join(format!("{}.txt", chapter.slug)),
            key: combine(&[keys.chapters[index], 3]),
            make: Box::new(move || {
                render(
                    Content::Document(&chapter.document),
                    OutputFormat::Text,
                    render_options,
                    &mut RenderReport::default(),
                )
            }),
        });
    }
    jobs
}

/// The EPUB and the PDF; their warnings go to `book_warnings`, by output.
fn book_jobs<'a>(
    options: &BuildOptions,
    book: &'a Book,
    keys: &Keys,
    render_options: &'a RenderOptions,
    book_warnings: &'a std::sync::Mutex<BTreeMap<PathBuf, Warnings>>,
) -> Vec<Job<'a>> {
    let mut jobs = Vec::new();
    // The two book outputs: same shape, different writer.
    type BookWriter<'b> = Box<dyn Fn(&mut Warnings) -> Result<Vec<u8>> + Send + Sync + 'b>;
    let book_writers: [(Target, &str, u64, BookWriter); 2] = [
        (
            Target::Epub,
            "book.epub",
            4,
            Box::new(|w: &mut Warnings| render_book(book, OutputFormat::Epub, render_options, w)),
        ),
        (
            Target::Pdf,
            "book.pdf",
            5,
            Box::new(|w: &mut Warnings| render_book(book, OutputFormat::Pdf, render_options, w)),
        ),
    ];
    for (target, name, salt, write) in book_writers {
        if !options.targets.contains(&target) {
            continue;
        }
        jobs.push(Job {
            path: PathBuf::from(name),
            key: combine(&[keys.book, salt]),
            make: Box::new(move || {
                let mut warnings = Warnings::new();
                let result = write(&mut warnings);
                book_warnings
                    .lock()
                    .expect("no panics while holding the lock")
                    .insert(PathBuf::from(name), warnings);
                result
            }),
        });
    }

    jobs
}

/// Makes and writes, in parallel, every output whose key or file changed; the others are kept.
/// Per output: its path, its stamp or error, and whether it was fresh.
fn make_outdated(
    jobs: &[Job],
    previous: &BuildState,
    options: &BuildOptions,
) -> Vec<(PathBuf, Result<OutputStamp>, bool)> {
    let out = &options.output;
    // Write what changed, in parallel.
    let total = jobs.len();
    let done = std::sync::atomic::AtomicUsize::new(0);
    // An output is fresh when it was made from the same inputs and its file is still the one
    // written; anything else (missing, truncated, edited, never written) is made again.
    jobs.par_iter()
        .map(|job| {
            let target = out.join(&job.path);
            let fresh = previous
                .outputs
                .get(&job.path)
                .filter(|stamp| stamp.key == job.key && stamp.matches(&target));
            let result = match fresh {
                Some(stamp) => Ok(stamp.clone()),
                None => (job.make)().and_then(|bytes| {
                    write_atomic(&target, &bytes)?;
                    OutputStamp::written(job.key, &target, &bytes)
                        .map_err(|e| Error::io(&target, "cannot verify", e))
                }),
            };
            let n = done.fetch_add(1, std::sync::atomic::Ordering::Relaxed) + 1;
            progress(options, "writing", n, total);
            (job.path.clone(), result, fresh.is_some())
        })
        .collect()
}

/// What reading gave: the documents, a summary's place for each, and each source's hash (with
/// the files it includes).
struct Chapters {
    documents: Vec<(PathBuf, crate::model::Document)>,
    places: Vec<crate::book::ChapterPlace>,
    source_hashes: BTreeMap<PathBuf, u64>,
}

/// The documents read, titled and placed by the summary when there is one; a document that
/// failed goes to the report's errors.
fn chapters(
    read: Vec<(PathBuf, Result<ReadDocument>)>,
    summary: Option<&SummaryChapters>,
    cache: &mut InputCache,
    report: &mut BuildReport,
) -> Chapters {
    let mut documents = Vec::new();
    let mut places = Vec::new();
    let mut source_hashes = BTreeMap::new();
    for (index, (path, result)) in read.into_iter().enumerate() {
        match result {
            Ok((bytes, source, warnings)) => {
                let mut hash = cache.record(&path, &bytes);
                for included in &source.includes {
                    // An edited listing rebuilds the chapters that include it.
                    hash = combine(&[hash, cache.hash(included).unwrap_or(0)]);
                }
                source_hashes.insert(path.clone(), hash);
                report.warnings.extend(warnings);
                let mut document = source.document;
                if let Some((_, summary_book)) = summary {
                    let (_, entry) = &summary_book[index];
                    document.meta.title = Some(entry.title.clone());
                    places.push(entry.place());
                }
                documents.push((path, document));
            }
            Err(error) => report.errors.push(error),
        }
    }
    Chapters {
        documents,
        places,
        source_hashes,
    }
}

/// Records what the build made in the report and in `state` (which knows its inputs), writes
/// the state file, and removes the outputs of documents that are gone.
fn record(
    jobs: &[Job],
    results: Vec<(PathBuf, Result<OutputStamp>, bool)>,
    previous: &BuildState,
    mut state: BuildState,
    out: &Path,
    report: &mut BuildReport,
) {
    // Only what is on disk and verified is recorded: a failed output is left out, so the next
    // build makes it again.
    let mut outputs = BTreeMap::new();
    let job_paths: BTreeSet<&Path> = jobs.iter().map(|job| job.path.as_path()).collect();
    for (path, result, fresh) in results {
        match result {
            Ok(stamp) => {
                if fresh {
                    report.skipped += 1;
                } else {
                    report.written.push(path.clone());
                }
                outputs.insert(path, stamp);
            }
            Err(error) => report.errors.push(error),
        }
    }
    // Outputs of documents that are gone are removed, so the site has no stale pages. (An
    // output that failed this time is still wanted: its previous file stays.)
    for old in previous.outputs.keys() {
        if !job_paths.contains(old.as_path()) {
            let _ = std::fs::remove_file(out.join(old));
        }
    }
    state.outputs = outputs;
    state.complete = report.errors.is_empty();
    state.warnings = report.warnings.iter().map(ToString::to_string).collect();
    // When the state cannot be written, the previous one stays; it only describes files that
    // are verified again before they are trusted, so the next build is still right. The
    // failure is one more error: the outputs that failed are reported all the same.
    if let Err(error) = write_atomic(&out.join(STATE_FILE), &state.to_bytes()) {
        report.errors.push(error);
    }
}

/// Reads an mdBook summary: its path and the chapters with a file, each with its path (relative
/// to the current folder) and entry. Draft chapters have no file and are left out.
fn read_summary(
    path: &Path,
    warnings: &mut Warnings,
) -> Result<(PathBuf, Vec<(PathBuf, SummaryEntry)>)> {
    let summary = Summary::read(path, warnings)?;
    let root = path.parent().unwrap_or(Path::new(""));
    let chapters = summary
        .files()
        .map(|(entry, file)| (root.join(file), entry.clone()))
        .collect();
    Ok((path.to_path_buf(), chapters))
}

/// The hash of everything that affects every output: options and the extra input files.
fn config_hash(options: &BuildOptions, cache: &mut InputCache) -> u64 {
    let mut parts = vec![hash_bytes(
        format!(
            "{}|{:?}|{:?}|{:?}|{:?}|{:?}|{}|{}|{:?}|{:?}|{:?}|{:?}|{}",
            env!("CARGO_PKG_VERSION"),
            options.targets,
            options.book.meta,
            options.book.resource_paths,
            options.book.site_url,
            options.text,
            options.read.smart,
            options.read.line_marks,
            options.read.format,
            options.epub,
            options.site.template.as_ref().map(|(name, _)| name),
            options.pdf,
            options.sanitize,
        )
        .as_bytes(),
    )];
    for path in &options.extra_inputs {
        parts.push(cache.hash(path).unwrap_or(0));
    }
    combine(&parts)
}

fn main_targets(options: &BuildOptions) -> Vec<PathBuf> {
    let out = &options.output;
    options
        .targets
        .iter()
        .map(|target| match target {
            Target::Site => out.join("site").join(site::INDEX_FILE),
            Target::Text => out.join("text"),
            Target::Epub => out.join("book.epub"),
            Target::Pdf => out.join("book.pdf"),
        })
        .collect()
}

/// A book output through the one render entry, its warnings added to `warnings`.
fn render_book(
    book: &Book,
    format: OutputFormat,
    options: &RenderOptions,
    warnings: &mut Warnings,
) -> Result<Vec<u8>> {
    let mut report = RenderReport::default();
    let bytes = render(Content::Book(book), format, options, &mut report);
    warnings.extend(report.warnings);
    bytes
}

fn site_css(options: &BuildOptions) -> String {
    options
        .site
        .css
        .clone()
        .unwrap_or_else(|| crate::write::html::DEFAULT_CSS.to_string())
}

fn template_error(options: &site::SiteOptions, error: minijinja::Error) -> Error {
    let name = options
        .template
        .as_ref()
        .map_or("built-in template", |(name, _)| name.as_str());
    Error::from(Diagnostic::error(
        Some(Path::new(name)),
        format!("template error: {error:#}"),
    ))
}
