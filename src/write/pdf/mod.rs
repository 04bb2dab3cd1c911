//! PDF writer: a small typesetter whose pages krilla writes, with no LaTeX and no browser.
//!
//! The stages, one file each:
//! 1. [`fonts`] and [`measure`]: faces, widths, kerning; inline content to Knuth-Plass items.
//! 2. [`linebreak`]: optimal line breaking (greedy only for overfull material); [`blocks`],
//!    [`code`], [`table`] build the vertical list of elements for every block.
//! 3. [`paginate`]: page breaking with widow/orphan control, footnotes, repeated headers.
//! 4. [`place`]: format-neutral [`frame`]s (glyph runs, rules, images, link areas) with the
//!    page furniture; [`front`] adds the title and contents pages of books.
//! 5. [`document`]: the one module that knows the PDF library (krilla): it writes the frames,
//!    fonts (subset by krilla), images, outline and metadata.

pub mod bidi;
pub mod blocks;
pub mod boxes;
pub mod code;
pub mod document;
pub mod fallback;
pub mod fonts;
pub mod frame;
pub mod front;
pub mod hyphen;
pub mod images;
pub mod inlines;
pub mod linebreak;
pub mod listing;
pub mod measure;
pub mod paginate;
pub mod place;
pub mod structure;
pub mod table;
pub mod theme;

use std::path::PathBuf;

use crate::book::Book;
use crate::diag::Warnings;
use blocks::{Ctx, Layouter};
use boxes::Element;
use fonts::FontSet;
pub use place::{BoxKind, Geometry, PlacedBox};
use structure::{Role, StructTree};
use theme::Theme;

/// Paper sizes (`--paper`, `[pdf] paper`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Paper {
    /// 210 x 297 mm.
    #[default]
    A4,
    /// 8.5 x 11 in.
    Letter,
    /// 148 x 210 mm.
    A5,
}

impl Paper {
    /// Width and height in pt.
    pub fn size(self) -> (f32, f32) {
        match self {
            Paper::A4 => (595.28, 841.89),
            Paper::Letter => (612.0, 792.0),
            Paper::A5 => (419.53, 595.28),
        }
    }
}

/// Page margins in pt.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Margins {
    /// Top (the running header sits inside it).
    pub top: f32,
    /// Bottom (the page number sits inside it).
    pub bottom: f32,
    /// Left.
    pub left: f32,
    /// Right.
    pub right: f32,
}

/// A PDF standard the output must conform to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum PdfStandard {
    /// PDF/UA-1 (accessible).
    Ua1,
    /// PDF/A-1b.
    A1b,
    /// PDF/A-1a.
    A1a,
    /// PDF/A-2b (archival, visual appearance).
    A2b,
    /// PDF/A-2u (A-2b with Unicode text).
    A2u,
    /// PDF/A-2a (A-2u, tagged).
    A2a,
    /// PDF/A-3b.
    A3b,
    /// PDF/A-3u.
    A3u,
    /// PDF/A-3a.
    A3a,
}

impl PdfStandard {
    /// Every standard with its name on the command line.
    pub const ALL: [(PdfStandard, &'static str); 9] = [
        (PdfStandard::Ua1, "ua-1"),
        (PdfStandard::A1b, "a-1b"),
        (PdfStandard::A1a, "a-1a"),
        (PdfStandard::A2b, "a-2b"),
        (PdfStandard::A2u, "a-2u"),
        (PdfStandard::A2a, "a-2a"),
        (PdfStandard::A3b, "a-3b"),
        (PdfStandard::A3u, "a-3u"),
        (PdfStandard::A3a, "a-3a"),
    ];

    /// The name on the command line (`ua-1`).
    pub fn name(self) -> &'static str {
        Self::ALL
            .iter()
            .find(|(s, _)| *s == self)
            .map_or("", |(_, n)| n)
    }

    /// Parses a comma-separated list (`ua-1,a-2b`); the error names the unknown entry and the
    /// known ones.
    pub fn parse_list(list: &str) -> Result<Vec<PdfStandard>, String> {
        let mut out = Vec::new();
        for name in list.split(',').map(str::trim).filter(|n| !n.is_empty()) {
            let lower = name.to_ascii_lowercase();
            let lower = lower.strip_prefix("pdf/").unwrap_or(&lower);
            match Self::ALL.iter().find(|(_, n)| *n == lower) {
                Some((s, _)) => out.push(*s),
                None => {
                    let known: Vec<&str> = Self::ALL.iter().map(|(_, n)| *n).collect();
                    return Err(format!(
                        "unknown PDF standard `{name}`; use one or more of {}",
                        known.join(", ")
                    ));
                }
            }
        }
        out.sort();
        out.dedup();
        if out.iter().filter(|s| **s != PdfStandard::Ua1).count() > 1 {
            return Err(format!(
                "`{list}` names more than one PDF/A part; a file conforms to one of them"
            ));
        }
        Ok(out)
    }

    /// True for the PDF/A parts.
    pub fn is_archival(self) -> bool {
        self != PdfStandard::Ua1
    }
}

/// Options of the PDF writer.
#[derive(Debug, Clone, PartialEq)]
pub struct PdfOptions {
    /// Paper size.
    pub paper: Paper,
    /// Margins; `None` picks ones that suit the paper (about 25 mm on A4).
    pub margins: Option<Margins>,
    /// A directory of TTF/OTF files replacing the body (and `*Mono*` code) faces; its
    /// collections and fonts without Latin letters are fallbacks.
    pub font_dir: Option<PathBuf>,
    /// Font files tried, in order, for characters the built-in faces lack.
    pub fonts: Vec<PathBuf>,
    /// Fall back to the system's fonts (`--system-fonts`) after all the others.
    pub system_fonts: bool,
    /// Number section headings (`1.2 Title`).
    pub number_headings: bool,
    /// Standards the file must conform to (`--pdf-standard`); what cannot conform is an error.
    pub standards: Vec<PdfStandard>,
}

impl Default for PdfOptions {
    fn default() -> Self {
        PdfOptions {
            paper: Paper::A4,
            margins: None,
            font_dir: None,
            fonts: Vec::new(),
            system_fonts: false,
            number_headings: false,
            standards: Vec::new(),
        }
    }
}

/// The laid-out book: pages of drawing operations plus everything the assembly needs.
pub struct Layout {
    /// Page geometry.
    pub geometry: Geometry,
    /// Per page: its frame and the boxes it draws.
    pub pages: Vec<(frame::Frame, Vec<PlacedBox>)>,
    /// Outline entries (level, title, page, y).
    pub outline: Vec<place::OutlineEntry>,
    /// Images, indexed as in the operations.
    pub images: Vec<images::PdfImage>,
    /// The fonts (their used faces are embedded).
    pub fonts: FontSet,
    /// The logical structure the frames' pieces refer to.
    pub structure: StructTree,
    /// Figures without alt text: source file and place.
    pub missing_alt: Vec<(PathBuf, crate::model::Pos)>,
}

fn geometry(options: &PdfOptions, theme: &Theme) -> Geometry {
    let (w, h) = options.paper.size();
    let m = options.margins.unwrap_or(match options.paper {
        Paper::A5 => theme.margins_small,
        _ => theme.margins,
    });
    Geometry {
        page_w: w,
        page_h: h,
        left: m.left,
        top: m.top,
        text_w: (w - m.left - m.right).max(theme.min_text_block),
        text_h: (h - m.top - m.bottom).max(theme.min_text_block),
    }
}

/// The book's language (`lang` of the book, else of its first chapter), if it has one.
pub fn language(book: &Book) -> Option<String> {
    book.meta
        .lang
        .clone()
        .or_else(|| {
            book.chapters
                .first()
                .and_then(|c| c.document.meta.lang.clone())
        })
        .filter(|l| !l.trim().is_empty())
}

/// Hyphenation patterns for the book's language (English when it names none); `None` for
/// languages without patterns.
fn hyphenator(book: &Book) -> Option<hyphen::Hyphenator> {
    hyphen::Hyphenator::for_language(&language(book).unwrap_or_else(|| "en".into()))
}

/// Lays out `book` into pages. Exposed so tests can check the placed boxes.
pub fn layout(book: &Book, options: &PdfOptions, warnings: &mut Warnings) -> crate::Result<Layout> {
    // The look, resolved once and passed down to every stage.
    let theme = Theme::STANDARD;
    let geo = geometry(options, &theme);
    let mut fonts = FontSet::with_fallbacks(
        options.font_dir.as_deref(),
        &options.fonts,
        options.system_fonts,
        language(book).as_deref(),
    )?;
    let is_book = book.chapters.len() > 1;
    let mut chapter_pages = Vec::new();
    let images;
    let mut structure;
    let missing_alt;
    {
        let mut lay = Layouter::new(
            &mut fonts,
            warnings,
            &book.assets,
            &theme,
            geo.text_w,
            geo.text_h * theme.figures.max_height_share,
        );
        lay.hyphenator = hyphenator(book);
        lay.number_headings = options.number_headings;
        lay.chapter_numbers = is_book;
        for chapter in &book.chapters {
            lay.start_chapter(
                &chapter.slug,
                chapter.source.clone(),
                &chapter.document.blocks,
            );
            let ctx = Ctx {
                x: 0.0,
                width: geo.text_w,
                size: theme.body_size,
                bands: Vec::new(),
                tight: false,
                depth: 0,
            };
            let mut elements: Vec<Element> = Vec::new();
            let title = chapter_title(chapter);
            lay.chapter_node = Some(lay.structure.open(Role::Section));
            lay.structure.open(Role::Heading(1, String::new()));
            lay.heading(
                1,
                &[crate::model::Inline::Text(title.clone())],
                Some(chapter.slug.clone()),
                &ctx,
                &mut elements,
            );
            lay.structure.close();
            let title_lines = elements.len();
            if let Some(first) = elements.first_mut() {
                first.new_page = true;
            }
            lay.blocks(&chapter.document.blocks, &ctx, &mut elements);
            if let Some(e) = elements.get_mut(title_lines) {
                e.break_before = false;
                e.space_before = e.space_before.max(theme.headings.chapter_title_gap);
            }
            // Footnotes never referenced are still shown, after the chapter.
            let labels: Vec<String> = {
                let mut v: Vec<String> = lay.note_defs.keys().cloned().collect();
                v.sort();
                v
            };
            for label in labels {
                if !lay.note_order.contains(&label)
                    && let Some((_, note)) = lay.footnote(&label)
                {
                    let mut els = note.elements.clone();
                    if let Some(f) = els.first_mut() {
                        f.space_before = theme.parskip;
                    }
                    elements.extend(els);
                }
            }
            lay.structure.close();
            chapter_pages.push((
                title,
                chapter.slug.clone(),
                paginate::paginate(elements, geo.text_h, &theme.notes),
            ));
        }
        images = std::mem::take(&mut lay.images);
        structure = std::mem::take(&mut lay.structure);
        missing_alt = std::mem::take(&mut lay.missing_alt);
    }

    // Front matter for books: title page, contents.
    let front_pages = if is_book {
        front::front_matter(
            book,
            &chapter_pages,
            &geo,
            &mut fonts,
            warnings,
            &mut structure,
            &theme,
        )
    } else {
        Vec::new()
    };
    let book_title = book_title(book);
    let mut pages: Vec<(paginate::Page, place::Furniture)> = Vec::new();
    for (page, furniture) in front_pages {
        pages.push((page, furniture));
    }
    // The chapter (its source file) of every page, for diagnostics.
    let mut page_sources: Vec<Option<PathBuf>> = vec![None; pages.len()];
    for ((title, _, ch_pages), chapter) in chapter_pages.into_iter().zip(&book.chapters) {
        for (i, page) in ch_pages.into_iter().enumerate() {
            page_sources.push(Some(chapter.source.clone()));
            let number = pages.len() + 1;
            let header = (i > 0).then(|| (book_title.clone(), title.clone()));
            pages.push((
                page,
                place::Furniture {
                    header,
                    number: Some(number),
                },
            ));
        }
    }
    let just_pages: Vec<&paginate::Page> = pages.iter().map(|p| &p.0).collect();
    let mut dests = place::Dests::new();
    let mut outline = Vec::new();
    for (i, page) in just_pages.iter().enumerate() {
        let (d, o) = place::collect_anchors(std::slice::from_ref(*page), &geo, &theme, i + 1);
        for (k, v) in d {
            dests.entry(k).or_insert(v);
        }
        outline.extend(o);
    }
    // Links to places that are not in this PDF are left as plain text; say so once each.
    let mut reported = std::collections::BTreeSet::new();
    for ((page, _), source) in pages.iter().zip(&page_sources) {
        for (_, e) in &page.elements {
            for d in &e.draws {
                if let boxes::Draw::Link { target, .. } = d
                    && let boxes::Target::Dest(name) = &**target
                    && !dests.contains_key(name)
                    && reported.insert(name.clone())
                {
                    warnings.push(crate::diag::Diagnostic::warning(
                        source.as_deref(),
                        format!(
                            "link target `{name}` is not in this PDF; the link is shown as text"
                        ),
                    ));
                }
            }
        }
    }
    if let Some(d) = fonts.missing.diagnostic() {
        warnings.push(d);
    }
    let drawn = pages
        .iter()
        .map(|(page, furniture)| {
            place::page_frame(page, furniture, &geo, &theme, &mut fonts, &dests)
        })
        .collect();
    Ok(Layout {
        geometry: geo,
        pages: drawn,
        outline,
        images,
        fonts,
        structure,
        missing_alt,
    })
}

/// The title shown for a chapter.
pub fn chapter_title(chapter: &crate::book::Chapter) -> String {
    chapter
        .document
        .meta
        .title
        .clone()
        .unwrap_or_else(|| chapter.slug.clone())
}

/// The book's title (the only chapter's title for a single page).
pub fn book_title(book: &Book) -> String {
    book.meta
        .title
        .clone()
        .or_else(|| book.chapters.first().map(chapter_title))
        .unwrap_or_default()
}

/// Typesets `book` as a PDF. A single page is a book with one chapter; title and contents
/// pages appear only when there is more than one chapter.
pub fn pdf(book: &Book, options: &PdfOptions, warnings: &mut Warnings) -> crate::Result<Vec<u8>> {
    crate::book::report_dropped_content(book, warnings);
    let layout = layout(book, options, warnings)?;
    if options.standards.iter().any(|s| {
        matches!(
            s,
            PdfStandard::Ua1 | PdfStandard::A1a | PdfStandard::A2a | PdfStandard::A3a
        )
    }) && let Some((source, pos)) = layout.missing_alt.first()
    {
        let names: Vec<&str> = options.standards.iter().map(|s| s.name()).collect();
        return Err(crate::diag::Diagnostic::error(
            Some(source),
            format!(
                "an image has no alt text, which {} forbids; write what it shows in ![...] \
                 ({} image(s) without alt text in all)",
                names.join(", "),
                layout.missing_alt.len()
            ),
        )
        .at(*pos, None)
        .into());
    }
    document::assemble(book, &layout, &options.standards, warnings)
}
