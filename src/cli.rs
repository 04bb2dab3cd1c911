//! Command-line arguments (clap derive). The commands themselves live in `commands/`.

use std::path::PathBuf;

use bindery::format::OutputFormat;
use bindery::project::Target;
use bindery::read::InputFormat;
use bindery::write::pdf::{Paper, PdfStandard};
use bindery::write::text::LinkStyle;
use clap::{Args, Parser, Subcommand, ValueEnum};

/// bindery: one source, four outputs (HTML, plain text, EPUB, PDF).
#[derive(Debug, Parser)]
#[command(
    name = "bindery",
    version,
    about,
    after_help = "Examples:\n  \
        bindery convert page.md -o page.html\n  \
        bindery convert page.md -o page.txt --width 72 --links inline\n  \
        bindery convert notes.txt --from text --to html > notes.html\n  \
        bindery convert content/*.md -o out/ --to html\n  \
        bindery convert page.md -o page.epub\n  \
        bindery convert pages/*.md -o book.epub --sort --title \"My Book\" --resource-path static\n\n\
        Exit status: 0 success; 1 a file (an input, or one an option names) could not be read or\n\
        written, a document could not be converted, or a warning with --strict; 2 usage error."
)]
pub struct Cli {
    /// What to do.
    #[command(subcommand)]
    pub command: Command,

    /// Colour in diagnostics: auto (on a terminal, unless NO_COLOR is set), always, never.
    #[arg(long, global = true, value_enum, default_value_t = ColorWhen::Auto, value_name = "WHEN")]
    pub color: ColorWhen,
}

/// When diagnostics are coloured.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorWhen {
    /// On a terminal, unless `NO_COLOR` is set.
    Auto,
    /// Always (also when piped).
    Always,
    /// Never.
    Never,
}

impl ColorWhen {
    /// Makes this the choice of every stream written afterwards.
    pub fn apply(self) {
        anstream::ColorChoice::write_global(match self {
            ColorWhen::Auto => anstream::ColorChoice::Auto,
            ColorWhen::Always => anstream::ColorChoice::Always,
            ColorWhen::Never => anstream::ColorChoice::Never,
        });
    }
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Convert documents to HTML, plain text, EPUB or PDF.
    Convert(ConvertArgs),
    /// Build a whole folder: a site, a text export, one EPUB and one PDF, incrementally.
    Build(BuildArgs),
    /// Print a shell completion script (`bindery completions bash > /etc/bash_completion.d/bindery`).
    Completions {
        /// The shell.
        shell: clap_complete::Shell,
    },
    /// Print the manual page in roff (`bindery man > bindery.1`; `make man` does this).
    Man,
}

/// `bindery build`.
#[derive(Debug, Args)]
#[command(after_help = "Examples:\n  \
    bindery build content/ -o out/ --resource-path static/\n  \
    bindery build                       (everything from ./bindery.toml)\n  \
    bindery build --formats site,text -j 2 --depfile out/build.d\n\n\
    Exit status: 0 success, 1 some document or output failed (the others are built), 2 usage error.")]
pub struct BuildArgs {
    /// Source folders (default: `source` in bindery.toml, else `content`).
    pub sources: Vec<PathBuf>,

    /// Output folder (default: `output` in bindery.toml, else `out`).
    #[arg(short, long)]
    pub output: Option<PathBuf>,

    /// Configuration file (default: ./bindery.toml when it exists).
    #[arg(short, long, value_name = "FILE")]
    pub config: Option<PathBuf>,

    /// What to make: any of site, text, epub, pdf, comma-separated (default: all).
    #[arg(
        long,
        value_enum,
        value_delimiter = ',',
        value_name = "LIST",
        ignore_case = true,
        hide_possible_values = true
    )]
    pub formats: Vec<Target>,

    /// Also look for images here (repeatable).
    #[arg(long = "resource-path", value_name = "DIR")]
    pub resource_paths: Vec<PathBuf>,

    /// The site's absolute URL; links to pages outside the set point there.
    #[arg(long, value_name = "URL")]
    pub site_url: Option<String>,

    /// Do not report links to pages outside the set (the report is on by default).
    #[arg(long)]
    pub no_check_links: bool,

    /// The book's title.
    #[arg(long, value_name = "TEXT")]
    pub title: Option<String>,

    /// Worker threads (default: all cores). Outputs are identical whatever the number.
    #[arg(short, long, value_name = "N")]
    pub jobs: Option<usize>,

    /// Write a Makefile dependency file listing every input the build read.
    #[arg(long, value_name = "FILE")]
    pub depfile: Option<PathBuf>,

    /// Rebuild everything, ignoring what the last build recorded.
    #[arg(long)]
    pub force: bool,

    /// Rebuild whenever a source changes (polls; one rebuild per burst of changes).
    #[arg(long)]
    pub watch: bool,

    /// Keep `~~` at the start of code lines instead of reading it as a highlight mark.
    #[arg(long)]
    pub no_line_marks: bool,

    /// Clean raw HTML with ammonia (no scripts, frames, objects, event handlers) and drop
    /// `javascript:`/`data:` links in every output, for documents from untrusted authors.
    #[arg(long)]
    pub sanitize: bool,

    /// Treat warnings as errors (exit status 1).
    #[arg(long)]
    pub strict: bool,

    /// List every warning (by default, more than 20 of one kind are folded into a count).
    #[arg(short, long)]
    pub verbose: bool,

    /// No warnings, no progress bar, no summary.
    #[arg(short, long)]
    pub quiet: bool,
}

/// `bindery convert`.
#[derive(Debug, Args)]
pub struct ConvertArgs {
    /// Input files (`-` for standard input).
    #[arg(required = true)]
    pub inputs: Vec<PathBuf>,

    /// Output file, or a folder to write into (`DIR/`, or a folder that exists; several inputs
    /// to HTML or text need one). `-` or absent: standard output.
    #[arg(short, long)]
    pub output: Option<PathBuf>,

    /// Output format (default: from the output's extension, else HTML).
    #[arg(short, long, value_enum)]
    pub to: Option<OutputFormat>,

    /// Input format (default: detected from the extension and content).
    #[arg(short, long, value_enum)]
    pub from: Option<InputFormat>,

    /// Set a metadata field, overriding the document's (repeatable): `--metadata lang=fr`.
    #[arg(short = 'M', long = "metadata", value_name = "KEY=VALUE")]
    pub metadata: Vec<String>,

    /// Turn on smart punctuation (curly quotes, dashes, ellipses).
    #[arg(long)]
    pub smart: bool,

    /// Keep `~~` at the start of code lines instead of reading it as a highlight mark.
    #[arg(long)]
    pub no_line_marks: bool,

    /// HTML: add a table of contents even when the document does not ask for one.
    #[arg(long)]
    pub toc: bool,

    /// HTML: write the body only, without `<html>` and `<head>`.
    #[arg(long)]
    pub fragment: bool,

    /// HTML: clean raw HTML with ammonia (no scripts, frames, objects, event handlers) and drop
    /// `javascript:`/`data:` links, for documents from untrusted authors.
    #[arg(long)]
    pub sanitize: bool,

    /// HTML: render through this minijinja template instead of the built-in one.
    #[arg(long, value_name = "FILE")]
    pub template: Option<PathBuf>,

    /// HTML: embed this stylesheet instead of the default (a URL is linked instead).
    #[arg(long, value_name = "FILE|URL")]
    pub css: Option<String>,

    /// Text: wrap at N columns (0: no wrapping).
    #[arg(long, default_value_t = 80, value_name = "N")]
    pub width: usize,

    /// Text: how to show link targets.
    #[arg(long, value_enum, default_value = "refs")]
    pub links: LinkStyle,

    /// Book (EPUB, PDF): the book's title (default: the first document's).
    #[arg(long, value_name = "TEXT")]
    pub title: Option<String>,

    /// Book: order chapters by `sortorder`, then by path in natural order.
    #[arg(long)]
    pub sort: bool,

    /// Book: also look for images here; `/img/x.png` is looked up as `DIR/img/x.png`
    /// (repeatable).
    #[arg(long = "resource-path", value_name = "DIR")]
    pub resource_paths: Vec<PathBuf>,

    /// Book: the site's absolute URL; links to pages outside the book point there.
    #[arg(long, value_name = "URL")]
    pub site_url: Option<String>,

    /// Book: do not report links to pages outside the book (reported by default).
    #[arg(long)]
    pub no_check_links: bool,

    /// Book: cover image.
    #[arg(long, value_name = "FILE")]
    pub cover: Option<PathBuf>,

    /// PDF: paper size.
    #[arg(long, value_enum, default_value = "a4")]
    pub paper: Paper,

    /// PDF: a folder of TTF/OTF fonts to use instead of the built-in DejaVu faces (fonts
    /// without Latin letters and .ttc collections are fallbacks for other scripts).
    #[arg(long, value_name = "DIR")]
    pub font_dir: Option<PathBuf>,

    /// PDF: for characters no other font has, fall back to the system's fonts.
    #[arg(long)]
    pub system_fonts: bool,

    /// PDF: number section headings (1, 1.1, ...).
    #[arg(long)]
    pub number_headings: bool,

    /// PDF: standards the file must conform to, comma-separated (ua-1, a-2b, a-2a, a-3b...);
    /// what cannot conform is an error.
    #[arg(
        long,
        value_enum,
        value_delimiter = ',',
        value_name = "LIST",
        ignore_case = true,
        hide_possible_values = true
    )]
    pub pdf_standard: Vec<PdfStandard>,

    /// Write a Makefile dependency file listing every input the conversion read.
    #[arg(long, value_name = "FILE")]
    pub depfile: Option<PathBuf>,

    /// Treat warnings as errors (exit status 1, nothing written).
    #[arg(long)]
    pub strict: bool,

    /// List every warning (by default, more than 20 of one kind are folded into a count).
    #[arg(short, long)]
    pub verbose: bool,

    /// Do not print warnings.
    #[arg(short, long)]
    pub quiet: bool,
}
