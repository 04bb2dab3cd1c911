//! `bindery.toml`: the typed project configuration of `bindery build`.
//!
//! Every key is documented in the README. Unknown keys and wrong types are errors that name the
//! file, line and column and list the keys that are allowed (serde's `deny_unknown_fields`).
//! Paths in the file are relative to the file's folder.

use std::path::{Path, PathBuf};

use clap::ValueEnum;
use serde::Deserialize;
use serde::de::{self, Deserializer, SeqAccess, Visitor};

use super::Target;
use crate::diag::Diagnostic;
use crate::error::Result;
use crate::meta::Meta;
use crate::model::Pos;
use crate::write::pdf::{Paper, PdfStandard};
use crate::write::text::LinkStyle;

/// The whole configuration file.
#[derive(Debug, Clone, Default, Deserialize, PartialEq)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Config {
    /// Book metadata for the EPUB, the PDF and the site's index page.
    #[serde(default)]
    pub book: BookConfig,
    /// Folders holding the documents (default: `content`).
    #[serde(default)]
    pub source: Vec<PathBuf>,
    /// Folders where images are looked up; `/img/x.png` is `DIR/img/x.png`.
    #[serde(default)]
    pub resource_paths: Vec<PathBuf>,
    /// The site's absolute URL; links to pages outside the set point there.
    pub site_url: Option<String>,
    /// Report links to pages outside the set, with file and line (default: true).
    pub check_links: Option<bool>,
    /// Clean every document's raw HTML and links as `--sanitize` does (default: false).
    pub sanitize: Option<bool>,
    /// An mdBook `SUMMARY.md` giving the chapters, their order, titles and parts (default: the
    /// source folder's `SUMMARY.md` when there is one).
    pub summary: Option<PathBuf>,
    /// Output folder (default: `out`).
    pub output: Option<PathBuf>,
    /// Which outputs to make: any of `site`, `text`, `epub`, `pdf` (default: all).
    pub formats: Option<Vec<Target>>,
    /// Glob patterns (relative to a source folder) of the documents to include (default:
    /// `**/*.md`, `**/*.markdown`, `**/*.txt`); checked when the file is read.
    #[serde(default, deserialize_with = "some_globs")]
    pub include: Option<Vec<String>>,
    /// Glob patterns of documents to leave out.
    #[serde(default, deserialize_with = "globs")]
    pub exclude: Vec<String>,
    /// Site options.
    #[serde(default)]
    pub site: SiteConfig,
    /// Plain-text options.
    #[serde(default)]
    pub text: TextConfig,
    /// EPUB options.
    #[serde(default)]
    pub epub: EpubConfig,
    /// PDF options.
    #[serde(default)]
    pub pdf: PdfConfig,
}

/// `[book]`.
#[derive(Debug, Clone, Default, Deserialize, PartialEq)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct BookConfig {
    /// Title.
    pub title: Option<String>,
    /// Subtitle.
    pub subtitle: Option<String>,
    /// Authors.
    #[serde(default)]
    pub authors: Vec<String>,
    /// Language tag (default `en`).
    pub lang: Option<String>,
    /// Publication date, as text.
    pub date: Option<String>,
    /// Publisher.
    pub publisher: Option<String>,
    /// Copyright line.
    pub rights: Option<String>,
    /// Identifier (ISBN, URN, URL).
    pub identifier: Option<String>,
    /// One-sentence description.
    pub description: Option<String>,
    /// Cover image file.
    pub cover: Option<PathBuf>,
}

impl BookConfig {
    /// The book metadata this table gives.
    pub fn meta(&self) -> Meta {
        Meta {
            title: self.title.clone(),
            subtitle: self.subtitle.clone(),
            authors: self.authors.clone(),
            lang: self.lang.clone(),
            date: self.date.clone(),
            publisher: self.publisher.clone(),
            rights: self.rights.clone(),
            identifier: self.identifier.clone(),
            description: self.description.clone(),
            cover: self.cover.as_ref().map(|p| p.display().to_string()),
            ..Meta::default()
        }
    }
}

/// `[site]`.
#[derive(Debug, Clone, Default, Deserialize, PartialEq)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct SiteConfig {
    /// A minijinja page template replacing the built-in one.
    pub template: Option<PathBuf>,
    /// A stylesheet replacing the built-in one.
    pub css: Option<PathBuf>,
}

/// `[text]`.
#[derive(Debug, Clone, Default, Deserialize, PartialEq)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct TextConfig {
    /// Wrap width (default 80; 0 for none).
    pub width: Option<usize>,
    /// `refs` (default), `inline` or `none`.
    pub links: Option<LinkStyle>,
}

/// `[epub]`.
#[derive(Debug, Clone, Default, Deserialize, PartialEq)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct EpubConfig {
    /// A stylesheet replacing the built-in one.
    pub css: Option<PathBuf>,
    /// Add a contents page after the cover.
    #[serde(default)]
    pub contents_page: bool,
}

/// `[pdf]`.
#[derive(Debug, Clone, Default, Deserialize, PartialEq)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct PdfConfig {
    /// `a4` (default), `letter` or `a5`.
    pub paper: Option<Paper>,
    /// A folder of TTF/OTF fonts to use instead of the built-in ones.
    pub font_dir: Option<PathBuf>,
    /// Font files tried, in order, for characters the built-in faces lack.
    #[serde(default)]
    pub fonts: Vec<PathBuf>,
    /// Fall back to the system's fonts after all the others.
    pub system_fonts: Option<bool>,
    /// Standards the PDF must conform to: `ua-1`, `a-2b`..., comma-separated in one string as
    /// on the command line, or an array of names.
    #[serde(default, deserialize_with = "pdf_standards")]
    pub pdf_standard: Option<Vec<PdfStandard>>,
}

/// A glob pattern that compiles; the error names the pattern and what is wrong with it.
struct Glob(String);

impl<'de> Deserialize<'de> for Glob {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> std::result::Result<Self, D::Error> {
        // Checked in the visitor, so that the error has the pattern's own place.
        deserializer.deserialize_str(GlobVisitor)
    }
}

struct GlobVisitor;

impl Visitor<'_> for GlobVisitor {
    type Value = Glob;

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("a glob pattern")
    }

    fn visit_str<E: de::Error>(self, text: &str) -> std::result::Result<Glob, E> {
        match glob::Pattern::new(text) {
            Ok(_) => Ok(Glob(text.to_string())),
            Err(e) => Err(E::custom(format!(
                "invalid glob pattern `{text}`: {e} (patterns use `*`, `**`, `?` and `[...]`)"
            ))),
        }
    }
}

fn globs<'de, D: Deserializer<'de>>(deserializer: D) -> std::result::Result<Vec<String>, D::Error> {
    let globs = Vec::<Glob>::deserialize(deserializer)?;
    Ok(globs.into_iter().map(|Glob(text)| text).collect())
}

fn some_globs<'de, D: Deserializer<'de>>(
    deserializer: D,
) -> std::result::Result<Option<Vec<String>>, D::Error> {
    globs(deserializer).map(Some)
}

/// `pdf-standard`: `"ua-1,a-2b"` or `["ua-1", "a-2b"]`, checked as `--pdf-standard` is.
fn pdf_standards<'de, D: Deserializer<'de>>(
    deserializer: D,
) -> std::result::Result<Option<Vec<PdfStandard>>, D::Error> {
    deserializer.deserialize_any(StandardList).map(Some)
}

struct StandardList;

impl<'de> Visitor<'de> for StandardList {
    type Value = Vec<PdfStandard>;

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("PDF standards, comma-separated in a string or as an array")
    }

    fn visit_str<E: de::Error>(self, text: &str) -> std::result::Result<Self::Value, E> {
        let mut list = Vec::new();
        for name in text.split(',').map(str::trim).filter(|n| !n.is_empty()) {
            match PdfStandard::from_str(name, true) {
                Ok(standard) => list.push(standard),
                Err(_) => {
                    let known: Vec<String> = PdfStandard::value_variants()
                        .iter()
                        .map(|s| format!("`{}`", s.name()))
                        .collect();
                    return Err(E::custom(format!(
                        "unknown PDF standard `{name}`, expected one of {}",
                        known.join(", ")
                    )));
                }
            }
        }
        PdfStandard::checked_list(list).map_err(E::custom)
    }

    fn visit_seq<A: SeqAccess<'de>>(
        self,
        mut seq: A,
    ) -> std::result::Result<Self::Value, A::Error> {
        let mut list = Vec::new();
        while let Some(standard) = seq.next_element()? {
            list.push(standard);
        }
        PdfStandard::checked_list(list).map_err(de::Error::custom)
    }
}

impl Config {
    /// Reads and checks `bindery.toml`; relative paths become relative to its folder.
    pub fn load(path: &Path) -> Result<Config> {
        let text =
            std::fs::read_to_string(path).map_err(|e| crate::Error::io(path, "cannot read", e))?;
        let mut config = Self::parse(&text, path)?;
        let base = path.parent().unwrap_or(Path::new("."));
        config.rebase(base);
        Ok(config)
    }

    /// Parses configuration text; `path` names it in errors.
    pub fn parse(text: &str, path: &Path) -> Result<Config> {
        toml::from_str(text).map_err(|e| {
            let pos = e
                .span()
                .map(|span| offset_to_pos(text, span.start))
                .unwrap_or_default();
            Diagnostic::error(Some(path), e.message().trim().to_string())
                .at(pos, Some(text))
                .with_hint("see the README's `bindery.toml` section for every key")
                .into()
        })
    }

    fn rebase(&mut self, base: &Path) {
        // `.` parts are dropped so that messages name `input/page.md`, not `input/./page.md`.
        let join = |p: &mut PathBuf| {
            if p.is_relative() {
                let rest: PathBuf = p
                    .components()
                    .filter(|c| *c != std::path::Component::CurDir)
                    .collect();
                *p = match (base.as_os_str().is_empty(), rest.as_os_str().is_empty()) {
                    (true, true) => PathBuf::from("."),
                    (false, true) => base.to_path_buf(),
                    _ => base.join(rest),
                };
            }
        };
        self.source.iter_mut().for_each(join);
        self.resource_paths.iter_mut().for_each(join);
        self.pdf.fonts.iter_mut().for_each(join);
        for path in [
            self.output.as_mut(),
            self.book.cover.as_mut(),
            self.site.template.as_mut(),
            self.site.css.as_mut(),
            self.epub.css.as_mut(),
            self.pdf.font_dir.as_mut(),
        ]
        .into_iter()
        .flatten()
        {
            join(path);
        }
    }
}

fn offset_to_pos(text: &str, offset: usize) -> Pos {
    let before = &text[..offset.min(text.len())];
    let line = before.matches('\n').count() as u32 + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    Pos {
        line,
        col: before[line_start..].chars().count() as u32 + 1,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn full_config_parses() {
        let config = Config::parse(
            r#"
source = ["content"]
resource-paths = ["static"]
site-url = "https://example.org"
formats = ["site", "epub"]
exclude = ["drafts/**"]

[book]
title = "Full Stack Python"
authors = ["Matt Makai"]

[text]
width = 72

[pdf]
paper = "letter"
"#,
            Path::new("bindery.toml"),
        )
        .unwrap();
        assert_eq!(config.book.title.as_deref(), Some("Full Stack Python"));
        assert_eq!(config.text.width, Some(72));
        assert_eq!(config.resource_paths, [PathBuf::from("static")]);
        assert_eq!(config.formats, Some(vec![Target::Site, Target::Epub]));
        assert_eq!(config.pdf.paper, Some(Paper::Letter));
    }

    #[test]
    fn unknown_words_of_a_vocabulary_name_line_column_and_the_words_allowed() {
        let err = Config::parse("[pdf]\npaper = \"b5\"\n", Path::new("b.toml"))
            .unwrap_err()
            .to_string();
        assert!(
            err.starts_with(
                "b.toml:2:9: error: unknown variant `b5`, expected one of `a4`, `letter`, `a5`"
            ),
            "{err}"
        );
        let err = Config::parse("formats = [\"site\", \"sight\"]\n", Path::new("b.toml"))
            .unwrap_err()
            .to_string();
        assert!(
            err.starts_with("b.toml:1:20: error: unknown variant `sight`"),
            "{err}"
        );
        let config = Config::parse(
            "formats = [\"html\", \"txt\"]\n[text]\nlinks = \"none\"\n",
            Path::new("b.toml"),
        )
        .unwrap();
        assert_eq!(config.formats, Some(vec![Target::Site, Target::Text]));
        assert_eq!(config.text.links, Some(LinkStyle::None));
    }

    #[test]
    fn bad_globs_and_pdf_standards_name_line_and_column() {
        let err = Config::parse("include = [\"**/*.md\", \"[a-\"]\n", Path::new("b.toml"))
            .unwrap_err()
            .to_string();
        assert!(
            err.starts_with("b.toml:1:23: error: invalid glob pattern `[a-`"),
            "{err}"
        );
        assert!(err.contains("hint:"), "{err}");
        let err = Config::parse("exclude = [\"a/***\"]\n", Path::new("b.toml"))
            .unwrap_err()
            .to_string();
        assert!(
            err.starts_with("b.toml:1:12: error: invalid glob pattern `a/***`"),
            "{err}"
        );
        let err = Config::parse("[pdf]\npdf-standard = \"ua-1,a-9\"\n", Path::new("b.toml"))
            .unwrap_err()
            .to_string();
        assert!(
            err.starts_with(
                "b.toml:2:16: error: unknown PDF standard `a-9`, expected one of `ua-1`, `a-1b`"
            ),
            "{err}"
        );
        let err = Config::parse(
            "[pdf]\npdf-standard = [\"a-2b\", \"a-3b\"]\n",
            Path::new("b.toml"),
        )
        .unwrap_err()
        .to_string();
        assert!(
            err.starts_with("b.toml:2:16: error: `a-2b,a-3b` names more than one PDF/A part"),
            "{err}"
        );
        let err = Config::parse("[pdf]\npdf-standard = [\"ua-2\"]\n", Path::new("b.toml"))
            .unwrap_err()
            .to_string();
        assert!(
            err.starts_with("b.toml:2:17: error: unknown variant `ua-2`"),
            "{err}"
        );
        for text in ["\"PDF/UA-1, a-2b\"", "[\"a-2b\", \"ua-1\"]"] {
            let config = Config::parse(
                &format!("[pdf]\npdf-standard = {text}\n"),
                Path::new("b.toml"),
            )
            .unwrap();
            assert_eq!(
                config.pdf.pdf_standard,
                Some(vec![PdfStandard::Ua1, PdfStandard::A2b]),
                "{text}"
            );
        }
    }

    #[test]
    fn unknown_keys_name_line_column_and_expected_keys() {
        let err = Config::parse(
            "[book]\ntitle = \"x\"\ntitel = \"y\"\n",
            Path::new("b.toml"),
        )
        .unwrap_err()
        .to_string();
        assert!(
            err.starts_with("b.toml:3:1: error: unknown field `titel`, expected one of `title`"),
            "{err}"
        );
        let err = Config::parse("[text]\nwidth = \"wide\"\n", Path::new("b.toml"))
            .unwrap_err()
            .to_string();
        assert!(
            err.starts_with("b.toml:2:9: error: invalid type: string \"wide\""),
            "{err}"
        );
    }
}
