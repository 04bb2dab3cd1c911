//! PDF writer: a small typesetter whose pages krilla writes, with no LaTeX and no browser.
//!
//! The stages, as Typst's layout has them (collect -> prepare -> break -> finalize), with every
//! size, gap and colour from one [`theme::Theme`]:
//! 1. Collect: [`blocks`] walks the model's blocks ([`inlines`] their text into atoms,
//!    [`figures`] images, [`notes`] footnotes, [`table`], [`code`]), keeping per-book state in
//!    [`stores`] and the logical structure in [`structure`].
//! 2. Prepare: [`fonts`] and [`measure`] shape the atoms into Knuth-Plass items.
//! 3. Break: [`linebreak`] sets lines (optimal breaking, greedy only for overfull material);
//!    [`paginate`] breaks pages with widow/orphan control, footnotes and repeated headers.
//! 4. Finalize: [`place`] draws each page into a format-neutral [`frame`] with its furniture
//!    ([`front`] adds the cover, title and contents pages), only when [`document`], the one
//!    module that knows the PDF library (krilla), writes it; fonts are subset by krilla,
//!    images decoded then and dropped after their page.

pub mod bidi;
pub mod blocks;
pub mod boxes;
pub mod code;
pub mod document;
pub mod fallback;
pub mod figures;
pub mod fonts;
pub mod frame;
pub mod front;
pub mod hyphen;
pub mod images;
pub mod inlines;
pub mod linebreak;
pub mod listing;
pub mod measure;
pub mod notes;
pub mod options;
pub mod paginate;
pub mod place;
pub mod stores;
pub mod structure;
pub mod table;
pub mod theme;
pub mod titles;

use std::path::PathBuf;

use crate::book::Book;
use crate::diag::Warnings;
use crate::meta::Direction;
use blocks::{Ctx, Layouter};
use boxes::Element;
use fonts::FontSet;
pub use options::{Margins, Paper, PdfOptions, PdfStandard};
pub use place::{BoxKind, Geometry, PlacedBox};
use structure::{Role, StructTree};
use theme::Theme;
pub use titles::{book_title, chapter_title, language};

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

/// Hyphenation patterns for the book's language (English when it names none); `None` for
/// languages without patterns.
fn hyphenator(book: &Book) -> Option<hyphen::Hyphenator> {
    hyphen::Hyphenator::for_language(&language(book).unwrap_or_else(|| "en".into()))
}

/// Lays out `book` and draws every page. Exposed so tests can check the placed boxes; the PDF
/// itself draws each page only when it writes it ([`document::assemble`]).
pub fn layout(book: &Book, options: &PdfOptions, warnings: &mut Warnings) -> crate::Result<Layout> {
    let mut typeset = typeset(book, options, warnings)?;
    let pages = (0..typeset.pages.len()).map(|i| typeset.draw(i)).collect();
    Ok(Layout {
        geometry: typeset.geometry,
        pages,
        outline: typeset.outline,
        images: typeset.images,
        fonts: typeset.fonts,
        structure: typeset.structure,
        missing_alt: typeset.missing_alt,
    })
}

/// Lays out `book` and breaks it into pages, which are drawn later, one at a time.
fn typeset(
    book: &Book,
    options: &PdfOptions,
    warnings: &mut Warnings,
) -> crate::Result<place::Typeset> {
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
    let cover;
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
        // Books in parts: a Part node holds its chapters, and the outline a level for the part
        // above them.
        let mut part: Option<&str> = None;
        for chapter in &book.chapters {
            let starts_part = chapter.part.is_some() && chapter.part.as_deref() != part;
            if chapter.part.as_deref() != part {
                if part.is_some() {
                    lay.structure.close();
                }
                if chapter.part.is_some() {
                    lay.structure.open(Role::Part);
                }
                part = chapter.part.as_deref();
            }
            // The chapter's direction (`dir`, else that of `lang`), else the book's.
            lay.rtl =
                chapter.document.meta.direction().or(book.meta.direction()) == Some(Direction::Rtl);
            chapter_pages.push(lay_out_chapter(&mut lay, chapter, starts_part, &geo));
        }
        if part.is_some() {
            lay.structure.close();
        }
        cover = book.meta.cover.as_deref().and_then(|src| {
            let alt = format!("Cover of {}", book_title(book));
            lay.cover(src, &alt, geo.text_w, geo.text_h)
        });
        images = std::mem::take(&mut lay.images.images);
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
            usize::from(cover.is_some()),
        )
    } else {
        Vec::new()
    };
    let book_title = book_title(book);
    let mut pages: Vec<(paginate::Page, place::Furniture)> = Vec::new();
    // The cover first, on a page of its own without furniture.
    if let Some(cover) = cover {
        let page = paginate::paginate(vec![cover], f32::MAX, &theme.notes);
        pages.extend(page.into_iter().map(|p| (p, place::Furniture::default())));
    }
    for (page, furniture) in front_pages {
        pages.push((page, furniture));
    }
    append_chapter_pages(chapter_pages, &book_title, &mut pages);
    let (dests, outline) = anchors(&pages, &geo, &theme);
    report_missing_dests(book, &dests, warnings);
    if let Some(d) = fonts.missing.diagnostic() {
        warnings.push(d);
    }
    Ok(place::Typeset {
        geometry: geo,
        theme,
        pages,
        dests,
        outline,
        images,
        fonts,
        structure,
        missing_alt,
    })
}

/// Appends the chapters' pages after the front matter, each with its running head (from its
/// chapter's second page on) and its number.
fn append_chapter_pages(
    chapter_pages: Vec<front::ChapterPages>,
    book_title: &str,
    pages: &mut Vec<(paginate::Page, place::Furniture)>,
) {
    for ch in chapter_pages {
        let title = ch.title;
        for (i, page) in ch.pages.into_iter().enumerate() {
            let number = pages.len() + 1;
            let header = (i > 0).then(|| (book_title.to_string(), title.clone()));
            pages.push((
                page,
                place::Furniture {
                    header,
                    number: Some(number),
                },
            ));
        }
    }
}

/// Where every destination is (the first place of each name) and the outline entries.
fn anchors(
    pages: &[(paginate::Page, place::Furniture)],
    geo: &Geometry,
    theme: &Theme,
) -> (place::Dests, Vec<place::OutlineEntry>) {
    let mut dests = place::Dests::new();
    let mut outline = Vec::new();
    for (i, (page, _)) in pages.iter().enumerate() {
        let (d, o) = place::collect_anchors(std::slice::from_ref(page), geo, theme, i + 1);
        for (k, v) in d {
            dests.entry(k).or_insert(v);
        }
        outline.extend(o);
    }
    (dests, outline)
}

/// Links to places that are not in this PDF are left as plain text; says so once for each
/// target, at the first link's place in its source.
fn report_missing_dests(book: &Book, dests: &place::Dests, warnings: &mut Warnings) {
    let mut reported = std::collections::BTreeSet::new();
    for chapter in &book.chapters {
        crate::model::visit_inlines(&chapter.document.blocks, &mut |inline| {
            if let crate::model::Inline::Link(link) = inline
                && let Some(boxes::Target::Dest(name)) =
                    inlines::link_target(&chapter.slug, &link.url)
                && !dests.contains_key(&name)
                && reported.insert(name.clone())
            {
                warnings.push(
                    crate::diag::Diagnostic::warning(
                        Some(&chapter.source),
                        format!(
                            "link target `{name}` is not in this PDF; the link is shown as text"
                        ),
                    )
                    .at(link.pos, None)
                    .with_hint(
                        "link to a heading or an element with an id in one of the book's files",
                    ),
                );
            }
        });
    }
}

/// Lays out one chapter (its title, blocks and footnotes never referenced) and breaks it into
/// pages.
fn lay_out_chapter(
    lay: &mut Layouter<'_>,
    chapter: &crate::book::Chapter,
    starts_part: bool,
    geo: &Geometry,
) -> front::ChapterPages {
    let theme = lay.theme;
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
        rtl: lay.rtl,
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
    // The chapter's place in the book: its level in the outline (below its part and the
    // chapters it is nested in), its summary number before its title there.
    let level = 1 + u8::from(chapter.part.is_some()) + chapter.depth.min(8) as u8;
    for e in &mut elements {
        for a in &mut e.anchors {
            if let Some((l, text)) = &mut a.outline {
                if *l == 1
                    && let Some(number) = &chapter.number
                {
                    *text = format!("{number} {text}");
                }
                *l += level - 1;
            }
        }
    }
    if starts_part && let (Some(first), Some(title)) = (elements.first_mut(), &chapter.part) {
        first.anchors.insert(
            0,
            boxes::Anchor {
                dest: None,
                outline: Some((1, title.clone())),
            },
        );
    }
    if let Some(e) = elements.get_mut(title_lines) {
        e.break_before = false;
        e.space_before = e.space_before.max(theme.headings.chapter_title_gap);
    }
    // Footnotes never referenced are still shown, after the chapter.
    for label in lay.notes.unreferenced() {
        if let Some((_, note)) = lay.footnote(&label) {
            let mut els = note.elements.clone();
            if let Some(f) = els.first_mut() {
                f.space_before = theme.parskip;
            }
            elements.extend(els);
        }
    }
    lay.structure.close();
    front::ChapterPages {
        title,
        slug: chapter.slug.clone(),
        pages: paginate::paginate(elements, geo.text_h, &theme.notes),
        part: starts_part.then(|| chapter.part.clone()).flatten(),
        number: chapter.number.clone(),
        depth: chapter.depth,
        level,
    }
}

/// Hands the book's bitmap images to krilla ([`document::open_images`]) from a thread pool of
/// their own with one thread fewer than the machine has cores, so that their decoding runs
/// there while this thread typesets (krilla starts its work in the pool it is called from).
/// In the shared pool, two image threads and the layout on two cores left the layout, the
/// longer path, a third of the time waiting.
fn open_images_beside(book: &Book) -> document::OpenedImages {
    let threads =
        std::thread::available_parallelism().map_or(1, |n| n.get().saturating_sub(1).max(1));
    match rayon::ThreadPoolBuilder::new().num_threads(threads).build() {
        // The pool's threads end once its queued work is done, after it is dropped here.
        Ok(pool) => pool.install(|| document::open_images(book)),
        Err(_) => document::open_images(book),
    }
}

/// Typesets `book` as a PDF. A single page is a book with one chapter; title and contents
/// pages appear only when there is more than one chapter.
pub fn pdf(book: &Book, options: &PdfOptions, warnings: &mut Warnings) -> crate::Result<Vec<u8>> {
    crate::book::report_dropped_content(book, warnings);
    let opened = open_images_beside(book);
    let layout = typeset(book, options, warnings)?;
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
    // Without a requested standard, the file still claims PDF/UA-1 (and shows its title in the
    // window) when nothing known stands in the way; if the check finds something after all,
    // it is written again without the claim.
    let mut claim_ua = options.standards.is_empty()
        && layout.missing_alt.is_empty()
        && !book_title(book).trim().is_empty();
    let mut configuration = document::configuration(if claim_ua {
        &[PdfStandard::Ua1]
    } else {
        &options.standards
    })?;
    let mut left_out = std::collections::BTreeSet::new();
    let mut typeset = layout;
    loop {
        // The pages are drawn and dropped as they are written, so that the book is never held
        // whole twice; an image that fails to decode then needs the book typeset again.
        match document::assemble(book, typeset, configuration, &left_out, &opened) {
            Ok(bytes) => return Ok(bytes),
            Err(document::Failure::Image(failed)) if left_out.insert(failed.index) => {
                let (source, pos) = &failed.used_at;
                warnings.push(
                    crate::diag::Diagnostic::warning(
                        Some(source),
                        format!(
                            "image `{}` cannot be embedded: {}; its place is left empty",
                            failed.src, failed.message
                        ),
                    )
                    .at(*pos, None),
                );
                // The warnings of typesetting were given the first time.
                typeset = self::typeset(book, options, &mut Warnings::new())?;
            }
            Err(document::Failure::Image(failed)) => {
                return Err(crate::Error::Internal(format!(
                    "cannot write PDF: {}",
                    failed.message
                )));
            }
            Err(document::Failure::Validation(_)) if claim_ua => {
                claim_ua = false;
                configuration = document::configuration(&options.standards)?;
                typeset = self::typeset(book, options, &mut Warnings::new())?;
            }
            Err(document::Failure::Validation(message)) => {
                return Err(crate::diag::Diagnostic::error(None, message).into());
            }
            Err(document::Failure::Other(message)) => {
                return Err(crate::Error::Internal(format!(
                    "cannot write PDF: {message}"
                )));
            }
        }
    }
}
