//! The PDF file: the one module that knows the PDF library. krilla writes the frames (glyph
//! runs become subset, embedded fonts with ToUnicode maps; images are decoded or passed through
//! as their page is written), the nested outline, link annotations and the metadata.
//!
//! Reproducible by construction: krilla derives `/ID` and resource names from the content, and
//! dates come only from `SOURCE_DATE_EPOCH`.

use std::collections::{BTreeSet, HashMap};
use std::hash::{Hash, Hasher};

use krilla::Document;
use krilla::action::{Action, LinkAction};
use krilla::annotation::{Annotation, LinkAnnotation, Target};
use krilla::color::rgb;
use krilla::destination::{Destination, XyzDestination};
use krilla::error::KrillaError;
use krilla::geom::{PathBuilder, Point, Rect, Size, Transform};
use krilla::image::Image;
use krilla::metadata::{DateTime, Metadata};
use krilla::num::NormalizedF32;
use krilla::outline::{Outline, OutlineNode};
use krilla::page::PageSettings;
use krilla::paint::{Fill, FillRule};
use krilla::surface::Surface;
use krilla::text::{Font, GlyphId, KrillaGlyph};

use super::Layout;
use super::boxes::Rgb;
use super::frame::{FrameItem, GlyphRun, LinkTarget};
use super::images::{ImageFormat, PdfImage};
use crate::book::Book;
use crate::diag::{Diagnostic, Warnings};

/// Why writing failed.
enum Failure {
    /// The image with this index did not decode (the layout read only its header).
    Image(usize, String),
    /// Anything else.
    Other(String),
}

/// Builds the PDF bytes. An image that turns out not to decode when written is left out
/// with a warning at its place, and the file is written again without it.
pub fn assemble(book: &Book, layout: &Layout, warnings: &mut Warnings) -> crate::Result<Vec<u8>> {
    let mut left_out = BTreeSet::new();
    loop {
        match write(book, layout, &left_out) {
            Ok(bytes) => return Ok(bytes),
            Err(Failure::Image(index, message)) if left_out.insert(index) => {
                let image = &layout.images[index];
                let (source, pos) = &image.used_at;
                warnings.push(
                    Diagnostic::warning(
                        Some(source),
                        format!(
                            "image `{}` cannot be embedded: {message}; its place is left empty",
                            image.src
                        ),
                    )
                    .at(*pos, None),
                );
            }
            Err(Failure::Image(_, message) | Failure::Other(message)) => {
                return Err(crate::Error::Usage(format!("cannot write PDF: {message}")));
            }
        }
    }
}

fn hash_of(image: &Image) -> u64 {
    let mut h = std::collections::hash_map::DefaultHasher::new();
    image.hash(&mut h);
    h.finish()
}

fn write(book: &Book, layout: &Layout, left_out: &BTreeSet<usize>) -> Result<Vec<u8>, Failure> {
    let settings = krilla::SerializeSettings {
        enable_tagging: false,
        ..Default::default()
    };
    let mut doc = Document::new_with(settings);
    // The faces the layout loaded, as krilla fonts (shared by every page).
    let mut fonts: Vec<Option<Font>> = vec![None; 12];
    for (key, face) in layout.fonts.used() {
        let font = Font::new(face.bytes.into(), 0)
            .ok_or_else(|| Failure::Other(format!("font for {key:?} cannot be embedded")))?;
        fonts[key.index()] = Some(font);
    }
    let geo = layout.geometry;
    let size = Size::from_wh(geo.page_w, geo.page_h)
        .ok_or_else(|| Failure::Other("the paper has no area".into()))?;
    // Which image each krilla image is, to name the one that fails to decode.
    let mut image_index: HashMap<u64, usize> = HashMap::new();
    for (frame, _) in &layout.pages {
        let mut page = doc.start_page_with(PageSettings::new(size));
        let mut links = Vec::new();
        {
            let mut surface = page.surface();
            for item in &frame.items {
                match item {
                    FrameItem::Glyphs(run) => {
                        let font = fonts[run.face.index()]
                            .clone()
                            .expect("every face drawn was loaded by the layout");
                        draw_run(&mut surface, run, font);
                    }
                    FrameItem::Fill { x, y, w, h, color } => {
                        fill_rect(&mut surface, *x, *y, *w, *h, *color);
                    }
                    FrameItem::Image { index, x, y, w, h } => {
                        if left_out.contains(index) {
                            continue;
                        }
                        let image = &layout.images[*index];
                        if let (Some(picture), Some(size)) =
                            (open_image(book, image), Size::from_wh(*w, *h))
                        {
                            image_index.insert(hash_of(&picture), *index);
                            surface.push_transform(&Transform::from_translate(*x, *y));
                            surface.draw_image(picture, size);
                            surface.pop();
                        }
                    }
                    FrameItem::Link { x, y, w, h, target } => {
                        links.push((Rect::from_xywh(*x, *y, *w, *h), target));
                    }
                }
            }
            surface.finish();
        }
        for (rect, target) in links {
            let Some(rect) = rect else { continue };
            let target = match target {
                LinkTarget::Uri(uri) => Target::Action(Action::Link(LinkAction::new(uri.clone()))),
                LinkTarget::Place { page, y } => Target::Destination(Destination::Xyz(
                    XyzDestination::new(*page, Point::from_xy(0.0, *y)),
                )),
            };
            page.add_annotation(Annotation::new_link(
                LinkAnnotation::new(rect, target),
                None,
            ));
        }
        page.finish();
    }
    doc.set_outline(outline(layout));
    doc.set_metadata(metadata(book));
    doc.finish().map_err(|e| match e {
        KrillaError::Image(image, _, message) => match image_index.get(&hash_of(&image)) {
            Some(&index) => Failure::Image(index, message),
            None => Failure::Other(message),
        },
        other => Failure::Other(format!("{other:?}")),
    })
}

fn rgb_fill(color: Rgb, opacity: NormalizedF32) -> Fill {
    let c = |v: f32| (v.clamp(0.0, 1.0) * 255.0).round() as u8;
    Fill {
        paint: rgb::Color::new(c(color[0]), c(color[1]), c(color[2])).into(),
        opacity,
        rule: FillRule::NonZero,
    }
}

fn fill_rect(surface: &mut Surface, x: f32, y: f32, w: f32, h: f32, color: Rgb) {
    let Some(rect) = Rect::from_xywh(x, y, w, h) else {
        return;
    };
    let mut path = PathBuilder::new();
    path.push_rect(rect);
    if let Some(path) = path.finish() {
        surface.set_fill(Some(rgb_fill(color, NormalizedF32::ONE)));
        surface.draw_path(&path);
    }
}

fn draw_run(surface: &mut Surface, run: &GlyphRun, font: Font) {
    let glyphs: Vec<KrillaGlyph> = run
        .glyphs
        .iter()
        .map(|g| {
            KrillaGlyph::new(
                GlyphId::new(u32::from(g.id)),
                g.advance,
                g.x_offset,
                g.y_offset,
                0.0,
                g.text.clone(),
                None,
            )
        })
        .collect();
    // Alt text is drawn fully transparent: extracted and searched, never seen.
    let opacity = if run.visible {
        NormalizedF32::ONE
    } else {
        NormalizedF32::ZERO
    };
    surface.set_fill(Some(rgb_fill(run.color, opacity)));
    surface.draw_glyphs(
        Point::from_xy(run.x, run.baseline),
        &glyphs,
        font,
        &run.text,
        run.size,
        false,
    );
}

/// The image's bytes as the PDF library takes them; `None` when they do not decode after all
/// (the layout read only the header), which leaves the image's place empty.
fn open_image(book: &Book, image: &PdfImage) -> Option<Image> {
    let bytes = book.assets.get(&image.src)?.bytes.clone();
    let data = bytes.into();
    match image.format {
        ImageFormat::Jpeg => Image::from_jpeg(data, true),
        ImageFormat::Png => Image::from_png(data, true),
        ImageFormat::Gif => Image::from_gif(data, true),
        ImageFormat::WebP => Image::from_webp(data, true),
    }
    .ok()
}

/// The nested outline (chapters > sections > subsections); chapters start closed when there
/// are several, so a long book's outline stays readable.
fn outline(layout: &Layout) -> Outline {
    let entries = &layout.outline;
    let several_chapters = entries.iter().filter(|e| e.0 == 1).count() > 1;
    // Children first: build each node after its descendants, from the end.
    fn build(
        entries: &[super::place::OutlineEntry],
        i: &mut usize,
        page_h: f32,
        several_chapters: bool,
    ) -> OutlineNode {
        let (level, title, page, y) = &entries[*i];
        let dest = XyzDestination::new(page - 1, Point::from_xy(0.0, page_h - y));
        let mut node =
            OutlineNode::new(title.clone(), dest).with_open(!(several_chapters && *level >= 1));
        *i += 1;
        while *i < entries.len() && entries[*i].0 > *level {
            node.push_child(build(entries, i, page_h, several_chapters));
        }
        node
    }
    let mut outline = Outline::new();
    let mut i = 0;
    while i < entries.len() {
        outline.push_child(build(
            entries,
            &mut i,
            layout.geometry.page_h,
            several_chapters,
        ));
    }
    outline
}

/// Seconds since the epoch as a UTC date (civil-from-days, proleptic Gregorian).
fn date(secs: i64) -> DateTime {
    let days = secs.div_euclid(86_400);
    let rem = secs.rem_euclid(86_400);
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    DateTime::new(year.clamp(0, 9999) as u16)
        .month(month as u8)
        .day(day as u8)
        .hour((rem / 3600) as u8)
        .minute((rem % 3600 / 60) as u8)
        .second((rem % 60) as u8)
        .utc_offset_hour(0)
        .utc_offset_minute(0)
}

fn metadata(book: &Book) -> Metadata {
    let meta = &book.meta;
    let first = book.chapters.first().map(|c| &c.document.meta);
    let authors = if meta.authors.is_empty() {
        first.map(|m| m.authors.clone()).unwrap_or_default()
    } else {
        meta.authors.clone()
    };
    let description = meta
        .description
        .clone()
        .or_else(|| first.and_then(|m| m.description.clone()));
    let tags = if meta.tags.is_empty() {
        first.map(|m| m.tags.clone()).unwrap_or_default()
    } else {
        meta.tags.clone()
    };
    let mut m = Metadata::new()
        .title(super::book_title(book))
        .authors(authors)
        .keywords(tags)
        .creator("bindery".into())
        .producer(format!("bindery {} (krilla)", env!("CARGO_PKG_VERSION")));
    if let Some(d) = description {
        m = m.description(d);
    }
    if let Some(lang) = super::language(book) {
        m = m.language(lang);
    }
    // Dates only from SOURCE_DATE_EPOCH: the same input must give the same bytes.
    if let Some(secs) = std::env::var("SOURCE_DATE_EPOCH")
        .ok()
        .and_then(|v| v.trim().parse::<i64>().ok())
    {
        m = m.creation_date(date(secs));
    }
    m
}
