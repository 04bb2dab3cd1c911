//! The EPUB container: the package document (`content.opf`), the navigation document
//! (`nav.xhtml`), the NCX for EPUB 2 readers (`toc.ncx`) and the optional contents page
//! (`toc.xhtml`), rendered from the minijinja templates beside this file, and every file of the
//! book written once, straight into the ZIP archive.
//!
//! The archive is reproducible: `mimetype` first and stored (the OCF rule), images stored (they
//! do not shrink), text deflated, every entry dated 1980-01-01 with the same permissions and no
//! extra fields; the same book gives the same bytes.

use std::borrow::Cow;
use std::collections::HashSet;
use std::io::{Cursor, Write};

use minijinja::syntax::SyntaxConfig;
use minijinja::{Environment, Value};
use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, DateTime, ZipWriter};

use crate::error::{Error, Result};

const CONTENT_OPF: &str = include_str!("content.opf");
const NAV_XHTML: &str = include_str!("nav.xhtml");
const TOC_NCX: &str = include_str!("toc.ncx");
const CONTAINER_XML: &str = include_str!("container.xml");
/// Asks Apple Books to use the book's own fonts (the stylesheet's monospace for code).
const IBOOKS_OPTIONS: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<display_options>\n  \
     <platform name=\"*\">\n    <option name=\"specified-fonts\">true</option>\n  </platform>\n\
     </display_options>\n";

/// The book's metadata as the package document states it; plain text, escaped when rendered.
#[derive(Debug)]
pub struct Metadata<'a> {
    /// `urn:uuid:...` or the book's own `identifier`.
    pub identifier: String,
    pub title: String,
    pub subtitle: Option<&'a str>,
    /// A valid BCP 47 tag.
    pub lang: String,
    /// Right to left (`dir` or `lang`): pages turn to the left, the nav document is `rtl`.
    pub rtl: bool,
    pub authors: &'a [String],
    pub publisher: Option<&'a str>,
    pub description: Option<&'a str>,
    pub subjects: Vec<&'a str>,
    pub rights: Option<&'a str>,
    /// `YYYY-MM-DDThh:mm:ssZ`.
    pub published: Option<String>,
    /// `YYYY-MM-DDThh:mm:ssZ`.
    pub modified: String,
}

/// A page a reading system can jump to: listed in the nav document's landmarks and the OPF's
/// guide (for EPUB 2 readers).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Landmark {
    Cover,
    Contents,
    /// Where reading starts.
    BodyMatter,
}

/// One file of the book under `OEBPS/`, listed in the manifest.
#[derive(Debug)]
pub struct Item<'a> {
    /// The path under `OEBPS/`, also the `href` (paths are made of URL-safe characters).
    pub href: String,
    pub media_type: &'a str,
    pub bytes: Cow<'a, [u8]>,
    /// A page read in order (in the spine), as opposed to a resource.
    pub in_spine: bool,
    /// The cover image.
    pub cover_image: bool,
    pub landmark: Option<(Landmark, String)>,
}

impl<'a> Item<'a> {
    /// An XHTML page of the spine.
    pub fn page(href: String, xhtml: String) -> Item<'a> {
        Item {
            href,
            media_type: "application/xhtml+xml",
            bytes: Cow::Owned(xhtml.into_bytes()),
            in_spine: true,
            cover_image: false,
            landmark: None,
        }
    }

    /// A file the pages refer to (stylesheet, image).
    pub fn resource(href: String, media_type: &'a str, bytes: &'a [u8]) -> Item<'a> {
        Item {
            href,
            media_type,
            bytes: Cow::Borrowed(bytes),
            in_spine: false,
            cover_image: false,
            landmark: None,
        }
    }
}

/// An entry of the table of contents.
#[derive(Debug, Clone)]
pub struct NavPoint {
    pub href: String,
    pub title: String,
    /// Its position in reading order, from 1 (the NCX's `playOrder`); set by [`write`].
    play_order: usize,
    pub children: Vec<NavPoint>,
}

impl NavPoint {
    pub fn new(href: String, title: String) -> NavPoint {
        NavPoint {
            href,
            title,
            play_order: 0,
            children: Vec::new(),
        }
    }
}

/// The table of contents, built in reading order with a nesting level per entry.
#[derive(Debug, Default)]
pub struct Contents {
    points: Vec<NavPoint>,
}

impl Contents {
    /// Adds `point` at `level` (1 = top): under the last entry of the level above when there
    /// is one, at the top otherwise.
    pub fn add(&mut self, point: NavPoint, level: usize) {
        let mut siblings = &mut self.points;
        for _ in 1..level {
            if siblings.is_empty() {
                break;
            }
            siblings = &mut siblings.last_mut().expect("not empty").children;
        }
        siblings.push(point);
    }

    /// Puts `point` first, at the top level.
    pub fn prepend(&mut self, point: NavPoint) {
        self.points.insert(0, point);
    }
}

/// The book's contents page (`toc.xhtml`): the nav document's lists, unnumbered.
pub fn contents_page(contents: &Contents, lang: &str, rtl: bool) -> Result<String> {
    render(
        NAV_XHTML,
        minijinja::context! { lang, rtl, list => "ul", points => nav_values(&contents.points) },
    )
}

/// Writes the container: `items` in order (their manifest and spine order too), then the
/// package document, the NCX and the nav document.
pub fn write(metadata: &Metadata, items: &[Item], mut contents: Contents) -> Result<Vec<u8>> {
    let depth = number(&mut contents.points, &mut 0);
    let ids = manifest_ids(items);
    let cover_image = items.iter().any(|item| item.cover_image);
    let item_values: Vec<Value> = items
        .iter()
        .zip(&ids)
        .map(|(item, id)| {
            minijinja::context! {
                id,
                href => &item.href,
                media_type => item.media_type,
                in_spine => item.in_spine,
                cover_image => item.cover_image,
                landmark => item.landmark.as_ref().map(|(landmark, title)| landmark_value(*landmark, title)),
            }
        })
        .collect();
    let landmarks: Vec<Value> = items
        .iter()
        .filter_map(|item| {
            let (landmark, title) = item.landmark.as_ref()?;
            Some(minijinja::context! { href => &item.href, landmark => landmark_value(*landmark, title) })
        })
        .collect();
    let opf = render(
        CONTENT_OPF,
        minijinja::context! {
            items => &item_values,
            cover_image,
            identifier => &metadata.identifier,
            title => &metadata.title,
            subtitle => metadata.subtitle,
            lang => &metadata.lang,
            rtl => metadata.rtl,
            authors => metadata.authors.to_vec(),
            publisher => metadata.publisher,
            description => metadata.description,
            subjects => metadata.subjects.iter().map(|s| Value::from(*s)).collect::<Vec<_>>(),
            rights => metadata.rights,
            published => &metadata.published,
            modified => &metadata.modified,
        },
    )?;
    let ncx = render(
        TOC_NCX,
        minijinja::context! {
            identifier => &metadata.identifier,
            title => &metadata.title,
            depth,
            points => nav_values(&contents.points),
        },
    )?;
    let nav = render(
        NAV_XHTML,
        minijinja::context! {
            lang => &metadata.lang,
            rtl => metadata.rtl,
            list => "ol",
            points => nav_values(&contents.points),
            landmarks,
        },
    )?;

    let total: usize = items.iter().map(|item| item.bytes.len()).sum();
    let mut zip = Archive::new(total + opf.len() + ncx.len() + nav.len());
    zip.add("mimetype", b"application/epub+zip")?;
    zip.add("META-INF/container.xml", CONTAINER_XML.as_bytes())?;
    zip.add(
        "META-INF/com.apple.ibooks.display-options.xml",
        IBOOKS_OPTIONS.as_bytes(),
    )?;
    for item in items {
        zip.add(&format!("OEBPS/{}", item.href), &item.bytes)?;
    }
    zip.add("OEBPS/content.opf", opf.as_bytes())?;
    zip.add("OEBPS/toc.ncx", ncx.as_bytes())?;
    zip.add("OEBPS/nav.xhtml", nav.as_bytes())?;
    zip.finish()
}

fn nav_values(points: &[NavPoint]) -> Vec<Value> {
    points
        .iter()
        .map(|point| {
            minijinja::context! {
                href => &point.href,
                title => &point.title,
                play_order => point.play_order,
                children => nav_values(&point.children),
            }
        })
        .collect()
}

fn landmark_value(landmark: Landmark, title: &str) -> Value {
    let (nav_type, guide_type) = match landmark {
        Landmark::Cover => ("cover", "cover"),
        Landmark::Contents => ("toc", "toc"),
        Landmark::BodyMatter => ("bodymatter", "text"),
    };
    minijinja::context! { nav_type, guide_type, title }
}

/// Numbers `points` in reading order from `*count + 1`; returns their depth.
fn number(points: &mut [NavPoint], count: &mut usize) -> usize {
    let mut depth = 0;
    for point in points {
        *count += 1;
        point.play_order = *count;
        depth = depth.max(1 + number(&mut point.children, count));
    }
    depth
}

/// A distinct XML id per item, from its path (`media/a.png` -> `id_media_a.png`); the cover
/// image is `cover-image`, as EPUB 2 readers expect from `<meta name="cover">`.
fn manifest_ids(items: &[Item]) -> Vec<String> {
    let mut taken = HashSet::new();
    items
        .iter()
        .map(|item| {
            let base = if item.cover_image {
                "cover-image".to_string()
            } else {
                let safe = item.href.replace(
                    |c: char| !(c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_')),
                    "_",
                );
                format!("id_{safe}")
            };
            let mut id = base.clone();
            let mut n = 2;
            while !taken.insert(id.clone()) {
                id = format!("{base}-{n}");
                n += 1;
            }
            id
        })
        .collect()
}

/// Renders one of the package templates. Values are escaped for XML text and attributes
/// (minijinja's HTML escaping would also turn `/` into `&#x2f;` in every path).
fn render(source: &str, context: Value) -> Result<String> {
    let template_error =
        |e: minijinja::Error| Error::Internal(format!("EPUB package template: {e:#}"));
    let mut env = Environment::new();
    env.set_syntax(
        SyntaxConfig::builder()
            .keep_trailing_newline(true)
            .build()
            .map_err(template_error)?,
    );
    env.set_formatter(|out, _state, value| {
        match value.as_str() {
            Some(text) => crate::escape::escape_attr(out, &xml_chars(text))?,
            None => write!(out, "{value}")?,
        }
        Ok(())
    });
    env.render_str(source, context).map_err(template_error)
}

/// A ZIP archive being written in memory with fixed dates and permissions.
struct Archive {
    zip: ZipWriter<Cursor<Vec<u8>>>,
    options: SimpleFileOptions,
}

impl Archive {
    fn new(capacity: usize) -> Archive {
        Archive {
            zip: ZipWriter::new(Cursor::new(Vec::with_capacity(capacity))),
            options: SimpleFileOptions::default()
                .last_modified_time(DateTime::default())
                .unix_permissions(0o644),
        }
    }

    fn add(&mut self, name: &str, bytes: &[u8]) -> Result<()> {
        let method = if name == "mimetype" || is_compressed_media(name) {
            CompressionMethod::Stored
        } else {
            CompressionMethod::Deflated
        };
        self.zip
            .start_file(name, self.options.compression_method(method))
            .map_err(zip_error)?;
        self.zip
            .write_all(bytes)
            .map_err(|e| Error::Internal(format!("EPUB packaging: cannot write {name}: {e}")))
    }

    fn finish(self) -> Result<Vec<u8>> {
        Ok(self.zip.finish().map_err(zip_error)?.into_inner())
    }
}

/// Formats that do not shrink when deflated: store them and save the time.
fn is_compressed_media(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    [".png", ".jpg", ".jpeg", ".gif", ".webp"]
        .iter()
        .any(|ext| lower.ends_with(ext))
}

fn zip_error(e: zip::result::ZipError) -> Error {
    Error::Internal(format!("EPUB packaging failed: {e}"))
}

/// `text` without the characters XML 1.0 forbids.
pub fn xml_chars(text: &str) -> Cow<'_, str> {
    let allowed = |c: char| {
        matches!(c, '\t' | '\n' | '\r')
            || ('\u{20}'..='\u{D7FF}').contains(&c)
            || ('\u{E000}'..='\u{FFFD}').contains(&c)
            || c >= '\u{10000}'
    };
    if text.chars().all(allowed) {
        Cow::Borrowed(text)
    } else {
        Cow::Owned(text.chars().filter(|&c| allowed(c)).collect())
    }
}
