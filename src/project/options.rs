//! The options of a build: `bindery.toml` and the command line's flags merged, flags winning.
//!
//! The command line only parses its arguments into [`Flags`]; which value wins, the defaults,
//! and what files the options name are decided here, once, for every front end.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use super::config::Config;
use super::site::SiteOptions;
use super::{BuildOptions, Target, discover};
use crate::book::BookOptions;
use crate::book::summary::{book_toml_meta, book_toml_path, book_toml_source};
use crate::error::{Error, Result};
use crate::read::ReadOptions;
use crate::write::epub::EpubOptions;
use crate::write::pdf::PdfOptions;
use crate::write::text::TextOptions;

/// What the command line says about a build; every value given here wins over `bindery.toml`.
#[derive(Debug, Clone, Default)]
pub struct Flags {
    /// Source folders (empty: `source` in the config, else `content`).
    pub sources: Vec<PathBuf>,
    /// Output folder (`None`: `output` in the config, else `out`).
    pub output: Option<PathBuf>,
    /// The configuration file (`None`: `./bindery.toml` when it exists).
    pub config: Option<PathBuf>,
    /// What to make (empty: `formats` in the config, else everything).
    pub formats: Vec<Target>,
    /// More folders where images are looked up, after the config's.
    pub resource_paths: Vec<PathBuf>,
    /// The site's absolute URL.
    pub site_url: Option<String>,
    /// Do not report links to pages outside the set.
    pub no_check_links: bool,
    /// The book's title.
    pub title: Option<String>,
    /// Worker threads.
    pub jobs: Option<usize>,
    /// Rebuild everything.
    pub force: bool,
    /// Keep `~~` at the start of code lines.
    pub no_line_marks: bool,
    /// Clean raw HTML and script links in every document.
    pub sanitize: bool,
}

/// Combines the configuration file (the one `flags` names, else `./bindery.toml` when it
/// exists) and the flags (which win) into build options.
pub fn resolve(flags: &Flags) -> Result<BuildOptions> {
    let config_path = match &flags.config {
        Some(path) => Some(path.clone()),
        None => Some(PathBuf::from("bindery.toml")).filter(|p| p.exists()),
    };
    let config = match &config_path {
        Some(path) => Config::load(path)?,
        None => Config::default(),
    };
    let mut extra_inputs: Vec<PathBuf> = config_path.iter().cloned().collect();
    let sources = if !flags.sources.is_empty() {
        flags.sources.clone()
    } else if !config.source.is_empty() {
        config.source.clone()
    } else {
        vec![default_source()]
    };
    let output = flags
        .output
        .clone()
        .or(config.output.clone())
        .unwrap_or_else(|| PathBuf::from("out"));
    let formats = match (&flags.formats[..], &config.formats) {
        ([], Some(formats)) => formats.as_slice(),
        (formats, _) => formats,
    };
    let targets: BTreeSet<Target> = if formats.is_empty() {
        Target::ALL.into_iter().collect()
    } else {
        formats.iter().copied().collect()
    };
    let summary = summary_of(&config, &sources);
    let book = book_options(flags, &config, summary.as_deref(), &mut extra_inputs);
    let mut read_file = |path: &Path| -> Result<String> {
        extra_inputs.push(path.to_path_buf());
        std::fs::read_to_string(path).map_err(|e| Error::io(path, "cannot read", e))
    };
    let template = match &config.site.template {
        Some(path) => Some((path.display().to_string(), read_file(path)?)),
        None => None,
    };
    let site_css = config.site.css.as_deref().map(&mut read_file).transpose()?;
    let epub_css = config.epub.css.as_deref().map(&mut read_file).transpose()?;
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
        book,
        read: ReadOptions {
            line_marks: !flags.no_line_marks,
            ..ReadOptions::default()
        },
        site: SiteOptions {
            template,
            css: site_css,
        },
        text: TextOptions {
            width: config.text.width.unwrap_or(80),
            links: config.text.links.unwrap_or_default(),
        },
        epub: EpubOptions {
            css: epub_css,
            inline_toc: config.epub.contents_page,
            ..EpubOptions::default()
        },
        pdf: pdf_options(&config)?,
        extra_inputs,
        sanitize: flags.sanitize || config.sanitize == Some(true),
        jobs: flags.jobs,
        force: flags.force,
        progress: None,
    })
}

/// An mdBook: the summary in the config, else `SUMMARY.md` at the top of the one source.
/// The source folder when neither the flags nor the config name one: `content/` (Pelican's
/// layout), else, in an mdBook's root, the folder its `book.toml` names (`src/`), else
/// `content/` again, which the build then reports missing.
fn default_source() -> PathBuf {
    let content = PathBuf::from("content");
    if content.is_dir() {
        return content;
    }
    book_toml_source(Path::new("")).unwrap_or(content)
}

fn summary_of(config: &Config, sources: &[PathBuf]) -> Option<PathBuf> {
    config.summary.clone().or_else(|| {
        let [source] = sources else {
            return None;
        };
        let candidate = source.join("SUMMARY.md");
        candidate.is_file().then_some(candidate)
    })
}

/// Book assembly: metadata (`[book]`, `--title`, an mdBook's title), resource paths, links.
fn book_options(
    flags: &Flags,
    config: &Config,
    summary: Option<&Path>,
    extra_inputs: &mut Vec<PathBuf>,
) -> BookOptions {
    // An mdBook's `book.toml` gives the defaults (title, authors, language); `bindery.toml`
    // and the flags win. Without a title anywhere, the first chapter's is used (never the
    // folder's name).
    let mut meta = summary.map(book_toml_meta).unwrap_or_default();
    if let Some(path) = summary
        .and_then(book_toml_path)
        .filter(|path| path.is_file())
    {
        extra_inputs.push(path);
    }
    meta.overlay(&config.book.meta());
    if let Some(title) = &flags.title {
        meta.title = Some(title.clone());
    }
    if let Some(cover) = &config.book.cover {
        extra_inputs.push(cover.clone());
    }
    let mut resource_paths = config.resource_paths.clone();
    resource_paths.extend(flags.resource_paths.iter().cloned());
    if let Some(folder) = summary.and_then(Path::parent) {
        // An mdBook's images are anywhere under its `src/`: the summary's folder is a root.
        resource_paths.push(folder.to_path_buf());
    }
    BookOptions {
        meta,
        sort: true,
        resource_paths,
        site_url: flags.site_url.clone().or(config.site_url.clone()),
        skip_link_check: flags.no_check_links || config.check_links == Some(false),
        structure: None,
    }
}

/// `[pdf]`.
fn pdf_options(config: &Config) -> Result<PdfOptions> {
    Ok(PdfOptions {
        paper: config.pdf.paper.unwrap_or_default(),
        font_dir: config.pdf.font_dir.clone(),
        fonts: config.pdf.fonts.clone(),
        system_fonts: config.pdf.system_fonts == Some(true),
        standards: config.pdf.pdf_standard.clone().unwrap_or_default(),
        ..PdfOptions::default()
    })
}
