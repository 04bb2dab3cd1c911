//! The PDF file: the one module that knows the PDF library. krilla writes the frames (glyph
//! runs become subset, embedded fonts with ToUnicode maps; bitmap images are decoded on
//! krilla's worker threads while the book is typeset, JPEG passed through), the nested
//! outline, link annotations and the metadata.
//!
//! Reproducible by construction: krilla derives `/ID` and resource names from the content, and
//! dates come only from `SOURCE_DATE_EPOCH`.

use std::collections::{BTreeSet, HashMap};
use std::hash::{Hash, Hasher};
use std::path::PathBuf;
use std::sync::Arc;

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
use krilla::tagging::{
    Artifact, ArtifactType, ContentTag, Identifier, ListNumbering, SpanTag, TableHeaderScope,
    Tag as KrillaTag, TagGroup, TagKind, TagTree,
};
use krilla::text::{Font, GlyphId, KrillaGlyph};
use krilla_svg::{SurfaceExt, SvgSettings};

use krilla::configure::{Accessibility, Archival, Configuration, ConfigurationBuilder};

use super::boxes::Rgb;
use super::fonts::FontSet;
use super::frame::{ArtifactKind, Tag};
use super::frame::{Frame, FrameItem, GlyphRun, LinkTarget};
use super::images::{ImageFormat, PdfImage};
use super::options::PdfStandard;
use super::place::{OutlineEntry, Typeset};
use super::structure::{NodeId, Role, StructTree};
use crate::book::Book;
use crate::model::Pos;

/// An image that did not decode when its page was written (the layout read only its header).
pub struct FailedImage {
    /// Its index among the layout's images.
    pub index: usize,
    /// Its asset key.
    pub src: String,
    /// Where it is first used.
    pub used_at: (PathBuf, Pos),
    /// The decoder's reason.
    pub message: String,
}

/// Why writing failed.
#[non_exhaustive]
pub enum Failure {
    /// An image did not decode: typeset again without it.
    Image(FailedImage),
    /// The file would not conform to a requested standard (the input's doing).
    Validation(String),
    /// Anything else (the PDF library refused): bindery's doing.
    Other(String),
}

/// Builds the PDF bytes, drawing each page of `typeset` when it is written and dropping it
/// then, so that the book's pages are never held twice. The images in `left_out` (that did not
/// decode in an earlier try) leave their place empty.
pub fn assemble(
    book: &Book,
    typeset: Typeset,
    configuration: Configuration,
    left_out: &BTreeSet<usize>,
    opened: &OpenedImages,
) -> Result<Vec<u8>, Failure> {
    write(book, typeset, configuration, left_out, opened)
}

/// The book's bitmap images as krilla images, by asset key.
pub type OpenedImages = HashMap<String, Image>;

/// Hands the book's bitmap images to krilla before the book is typeset: krilla decodes and
/// compresses each on its worker threads (`rayon`) as soon as it has it, so this work runs
/// beside the layout instead of after it (it was half the corpus book's time). Only images
/// whose header the layout accepts (format, size limit) are opened; a decoded picture is held
/// only while it is compressed, so peak memory still does not grow with the number of images.
pub fn open_images(book: &Book) -> OpenedImages {
    book.assets
        .iter()
        // (An SVG is drawn, not decoded: nothing to do ahead for it.)
        .filter(|(_, asset)| asset.media_type != "image/svg+xml")
        .filter_map(|(src, asset)| {
            let image =
                super::images::load(src, &asset.bytes, (PathBuf::new(), Pos::default())).ok()?;
            Some((src.clone(), open_image(book, &image)?))
        })
        .collect()
}

fn hash_of(image: &Image) -> u64 {
    let mut h = std::collections::hash_map::DefaultHasher::new();
    image.hash(&mut h);
    h.finish()
}

/// The krilla configuration for the requested standards.
pub fn configuration(standards: &[PdfStandard]) -> crate::Result<Configuration> {
    let mut builder = ConfigurationBuilder::new();
    for standard in standards {
        builder = match standard {
            PdfStandard::Ua1 => builder.with_accessibility_validator(Accessibility::UA1),
            PdfStandard::A1b => builder.with_archival_validator(Archival::A1_B),
            PdfStandard::A1a => builder.with_archival_validator(Archival::A1_A),
            PdfStandard::A2b => builder.with_archival_validator(Archival::A2_B),
            PdfStandard::A2u => builder.with_archival_validator(Archival::A2_U),
            PdfStandard::A2a => builder.with_archival_validator(Archival::A2_A),
            PdfStandard::A3b => builder.with_archival_validator(Archival::A3_B),
            PdfStandard::A3u => builder.with_archival_validator(Archival::A3_U),
            PdfStandard::A3a => builder.with_archival_validator(Archival::A3_A),
        };
    }
    builder.finish().map_err(|e| {
        let names: Vec<&str> = standards.iter().map(|s| s.name()).collect();
        crate::Error::Usage(format!(
            "the PDF standards {} cannot be combined ({e:?})",
            names.join(", ")
        ))
    })
}

fn write(
    book: &Book,
    mut typeset: Typeset,
    configuration: Configuration,
    left_out: &BTreeSet<usize>,
    opened: &OpenedImages,
) -> Result<Vec<u8>, Failure> {
    let archival = configuration.validators().archival().is_some();
    let settings = krilla::SerializeSettings {
        enable_tagging: true,
        configuration,
        ..Default::default()
    };
    let mut doc = Document::new_with(settings);
    let mut tagging = Tagging::new(&typeset.structure);
    // The faces drawn with, as krilla fonts (shared by every page), made on first use.
    let mut fonts: Vec<Option<Font>> = Vec::new();
    let geo = typeset.geometry;
    let size = Size::from_wh(geo.page_w, geo.page_h)
        .ok_or_else(|| Failure::Other("the paper has no area".into()))?;
    // The fonts SVG text is set in, loaded for the first SVG.
    let mut svg_fonts: Option<Arc<usvg::fontdb::Database>> = None;
    // Which image each krilla image is, to name the one that fails to decode.
    let mut image_index: HashMap<u64, usize> = HashMap::new();
    for index in 0..typeset.pages.len() {
        let (frame, _) = typeset.draw(index);
        make_fonts(&frame, &mut typeset.fonts, &mut fonts)?;
        let mut page = doc.start_page_with(PageSettings::new(size));
        let mut links = Vec::new();
        {
            let mut surface = page.surface();
            for item in &frame.items {
                match item {
                    FrameItem::Glyphs(run) => {
                        let font = fonts[run.face.index()]
                            .clone()
                            .expect("made above for every face of the page");
                        tagging.start(&mut surface, run.tag, ContentTag::Span(SpanTag::empty()));
                        draw_run(&mut surface, run, font);
                        tagging.end(&mut surface, run.tag);
                    }
                    FrameItem::Fill {
                        x,
                        y,
                        w,
                        h,
                        color,
                        tag,
                    } => {
                        tagging.start(&mut surface, *tag, ContentTag::Other);
                        fill_rect(&mut surface, *x, *y, *w, *h, *color);
                        tagging.end(&mut surface, *tag);
                    }
                    FrameItem::Image {
                        index,
                        x,
                        y,
                        w,
                        h,
                        node,
                    } => {
                        if left_out.contains(index) {
                            continue;
                        }
                        let image = &typeset.images[*index];
                        let tag = node.map_or(Tag::Artifact(ArtifactKind::Layout), Tag::Content);
                        let Some(size) = Size::from_wh(*w, *h) else {
                            continue;
                        };
                        let drawn = if image.format == ImageFormat::Svg {
                            open_svg(book, image, &mut svg_fonts)
                                .map(|tree| Picture::Svg(Box::new(tree)))
                        } else {
                            opened
                                .get(&image.src)
                                .cloned()
                                .or_else(|| open_image(book, image))
                                .map(|picture| {
                                    image_index.insert(hash_of(&picture), *index);
                                    Picture::Bitmap(picture)
                                })
                        };
                        if let Some(picture) = drawn {
                            tagging.start(&mut surface, tag, ContentTag::Other);
                            surface.push_transform(&Transform::from_translate(*x, *y));
                            match picture {
                                Picture::Svg(tree) => {
                                    surface.draw_svg(&tree, size, SvgSettings::default());
                                }
                                Picture::Bitmap(image) => surface.draw_image(image, size),
                            }
                            surface.pop();
                            tagging.end(&mut surface, tag);
                        }
                    }
                    FrameItem::Link {
                        x,
                        y,
                        w,
                        h,
                        target,
                        node,
                    } => {
                        links.push((Rect::from_xywh(*x, *y, *w, *h), target, *node));
                    }
                }
            }
            surface.finish();
        }
        add_links(&mut page, links, &typeset.structure, &mut tagging);
        page.finish();
    }
    doc.set_outline(outline(&typeset.outline, geo.page_h));
    doc.set_tag_tree(tagging.finish(&typeset.structure, Some(document_language(book))));
    doc.set_metadata(metadata(book, archival));
    doc.finish()
        .map_err(|e| failure(e, &image_index, &typeset.images))
}

/// Why krilla refused to finish the file, naming the image that did not decode.
fn failure(e: KrillaError, image_index: &HashMap<u64, usize>, images: &[PdfImage]) -> Failure {
    match e {
        KrillaError::Image(image, _, message) => match image_index.get(&hash_of(&image)) {
            Some(&index) => {
                let image = &images[index];
                Failure::Image(FailedImage {
                    index,
                    src: image.src.clone(),
                    used_at: image.used_at.clone(),
                    message,
                })
            }
            None => Failure::Other(message),
        },
        KrillaError::Validation(errors) => Failure::Validation(describe_validation(&errors)),
        other => Failure::Other(format!("{other:?}")),
    }
}

/// An image opened for drawing: parsed (SVG) or handed to krilla, which decodes it.
enum Picture {
    Svg(Box<usvg::Tree>),
    Bitmap(Image),
}

/// Makes the krilla font of every face `frame` draws with that has none yet.
fn make_fonts(
    frame: &Frame,
    faces: &mut FontSet,
    fonts: &mut Vec<Option<Font>>,
) -> Result<(), Failure> {
    for item in &frame.items {
        if let FrameItem::Glyphs(run) = item {
            let i = run.face.index();
            if fonts.len() <= i {
                fonts.resize(i + 1, None);
            }
            if fonts[i].is_none() {
                let face = faces.face(run.face);
                fonts[i] = Some(Font::new(face.bytes.into(), face.index).ok_or_else(|| {
                    Failure::Other(format!("the font for {:?} cannot be embedded", run.face))
                })?);
            }
        }
    }
    Ok(())
}

/// What does not conform, in words.
fn describe_validation(
    errors: &[(
        krilla::configure::ValidationError,
        krilla::configure::Validators,
    )],
) -> String {
    use krilla::configure::ValidationError as E;
    let mut lines: Vec<String> = errors
        .iter()
        .map(|(error, validators)| {
            let what = match error {
                E::NoDocumentTitle => "the document has no title (set `title`)".to_string(),
                E::NoDocumentLanguage => "the document has no language (set `lang`)".into(),
                E::MissingAltText(_) => "a figure has no alt text".into(),
                E::MissingAnnotationAltText(_) => "a link has no description".into(),
                E::ContainsNotDefGlyph(_, _, text) => {
                    format!("a character the fonts cannot show ({text:?})")
                }
                E::RestrictedLicense(font) => {
                    format!("the font {font:?} does not allow embedding")
                }
                other => format!("{other:?}"),
            };
            format!("{what} (required by {})", validators_names(*validators))
        })
        .collect();
    lines.sort();
    lines.dedup();
    format!("the file would not conform: {}", lines.join("; "))
}

fn validators_names(validators: krilla::configure::Validators) -> String {
    let mut names = Vec::new();
    if let Some(a) = validators.archival() {
        names.push(a.as_str());
    }
    if let Some(ua) = validators.accessibility() {
        names.push(ua.as_str());
    }
    names.join(", ")
}

/// The page's link annotations, each in its link's structure node with its description.
fn add_links(
    page: &mut krilla::page::Page,
    links: Vec<(Option<Rect>, &LinkTarget, Option<NodeId>)>,
    structure: &StructTree,
    tagging: &mut Tagging,
) {
    for (rect, target, node) in links {
        let Some(rect) = rect else { continue };
        let target = match target {
            LinkTarget::Uri(uri) => Target::Action(Action::Link(LinkAction::new(uri.clone()))),
            LinkTarget::Place { page, y } => Target::Destination(Destination::Xyz(
                XyzDestination::new(*page, Point::from_xy(0.0, *y)),
            )),
        };
        let description = node.and_then(|n| match &structure.nodes[n].role {
            Role::Link { description } => Some(description.clone()),
            _ => None,
        });
        let annotation = Annotation::new_link(LinkAnnotation::new(rect, target), description);
        match node {
            Some(node) => {
                let id = page.add_tagged_annotation(annotation);
                tagging.add(node, id);
            }
            None => page.add_annotation(annotation),
        }
    }
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
        ImageFormat::Svg => return None,
        // No interpolation: PDF/A forbids it, and viewers smooth scaled images anyway.
        ImageFormat::Jpeg => Image::from_jpeg(data, false),
        ImageFormat::Png => Image::from_png(data, false),
        ImageFormat::Gif => Image::from_gif(data, false),
        ImageFormat::WebP => Image::from_webp(data, false),
    }
    .ok()
}

/// The SVG drawing, parsed now (and dropped after its page), with its text in the built-in
/// fonts; `None` when it does not parse after all.
fn open_svg(
    book: &Book,
    image: &PdfImage,
    fonts: &mut Option<Arc<usvg::fontdb::Database>>,
) -> Option<usvg::Tree> {
    let fonts = fonts.get_or_insert_with(|| {
        let mut db = usvg::fontdb::Database::new();
        for bytes in super::fonts::builtin_faces() {
            db.load_font_data(bytes.to_vec());
        }
        db.set_serif_family("DejaVu Serif");
        db.set_sans_serif_family("DejaVu Sans");
        db.set_monospace_family("DejaVu Sans Mono");
        Arc::new(db)
    });
    let bytes = &book.assets.get(&image.src)?.bytes;
    usvg::Tree::from_data(bytes, &super::images::svg_options(Some(fonts.clone()))).ok()
}

/// The nested outline (chapters > sections > subsections); chapters start closed when there
/// are several, so a long book's outline stays readable.
fn outline(entries: &[OutlineEntry], page_h: f32) -> Outline {
    let several_chapters = entries.iter().filter(|e| e.0 == 1).count() > 1;
    // Children first: build each node after its descendants, from the end.
    fn build(
        entries: &[OutlineEntry],
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
        outline.push_child(build(entries, &mut i, page_h, several_chapters));
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

/// A date from `YYYY-MM-DD...` (the book's `date`).
fn parse_date(text: &str) -> Option<DateTime> {
    let mut parts = text.trim().get(..10)?.split('-');
    let year: u16 = parts.next()?.parse().ok()?;
    let month: u8 = parts.next()?.parse().ok()?;
    let day: u8 = parts.next()?.parse().ok()?;
    ((1..=12).contains(&month) && (1..=31).contains(&day))
        .then(|| DateTime::new(year).month(month).day(day))
}

fn metadata(book: &Book, archival: bool) -> Metadata {
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
        .title(super::titles::book_title(book))
        .authors(authors)
        .keywords(tags)
        .creator("bindery".into())
        .producer(format!("bindery {} (krilla)", env!("CARGO_PKG_VERSION")));
    if let Some(d) = description {
        m = m.description(d);
    }
    m = m.language(document_language(book));
    // Dates only from SOURCE_DATE_EPOCH (the same input must give the same bytes), else, as
    // PDF/A requires a date, the book's own `date`, else a fixed one.
    let date = std::env::var("SOURCE_DATE_EPOCH")
        .ok()
        .and_then(|v| v.trim().parse::<i64>().ok())
        .map(date)
        .or_else(|| {
            archival
                .then(|| {
                    book.meta
                        .date
                        .as_deref()
                        .and_then(parse_date)
                        .or_else(|| Some(DateTime::new(1980).month(1).day(1)))
                })
                .flatten()
        });
    if let Some(date) = date {
        m = m.creation_date(date);
    }
    m
}

/// The language of the text: the book's `lang`, else English, which the hyphenation assumes
/// too (a tagged PDF needs one).
fn document_language(book: &Book) -> String {
    super::titles::language(book).unwrap_or_else(|| "en".into())
}

/// A child in the tag tree under construction.
enum Child {
    /// A structure node.
    Node(NodeId),
    /// Marked content or an annotation.
    Leaf(Identifier),
}

/// Builds the tag tree while the pages are written: a node is attached to its parent when its
/// first content is drawn, so children come in reading order, and nodes without content
/// (a table set again at a smaller size, an empty paragraph) are left out.
struct Tagging {
    parent: Vec<Option<NodeId>>,
    attached: Vec<bool>,
    children: Vec<Vec<Child>>,
    roots: Vec<NodeId>,
}

impl Tagging {
    fn new(tree: &StructTree) -> Self {
        let n = tree.nodes.len();
        Tagging {
            parent: tree.nodes.iter().map(|node| node.parent).collect(),
            attached: vec![false; n],
            children: (0..n).map(|_| Vec::new()).collect(),
            roots: Vec::new(),
        }
    }

    /// Attaches `node` and its unattached ancestors (without recursion: trees are deep).
    fn attach(&mut self, node: NodeId) {
        let mut path = Vec::new();
        let mut cur = Some(node);
        while let Some(n) = cur {
            if self.attached[n] {
                break;
            }
            path.push(n);
            cur = self.parent[n];
        }
        for &n in path.iter().rev() {
            self.attached[n] = true;
            match self.parent[n] {
                Some(p) => self.children[p].push(Child::Node(n)),
                None => self.roots.push(n),
            }
        }
    }

    fn add(&mut self, node: NodeId, id: Identifier) {
        self.attach(node);
        self.children[node].push(Child::Leaf(id));
    }

    /// Starts marked content for `tag` (`content` says what kind when it is not an artifact).
    fn start(&mut self, surface: &mut Surface, tag: Tag, content: ContentTag) {
        match tag {
            Tag::Content(node) => {
                let id = surface.start_tagged(content);
                self.add(node, id);
            }
            Tag::Artifact(kind) => {
                let kind = match kind {
                    ArtifactKind::Header => ArtifactType::Header,
                    ArtifactKind::PageNumber => ArtifactType::PageNumber,
                    ArtifactKind::Layout => ArtifactType::Layout,
                };
                surface.start_tagged(ContentTag::Artifact(Artifact::with_kind(kind)));
            }
        }
    }

    fn end(&mut self, surface: &mut Surface, _tag: Tag) {
        surface.end_tagged();
    }

    /// The krilla tag tree: groups built children first (a child's id is above its parent's).
    fn finish(mut self, tree: &StructTree, lang: Option<String>) -> TagTree {
        let mut groups: Vec<Option<TagGroup>> = (0..tree.nodes.len()).map(|_| None).collect();
        for n in (0..tree.nodes.len()).rev() {
            if !self.attached[n] {
                continue;
            }
            let mut group = TagGroup::new(tag_kind(&tree.nodes[n].role));
            for child in std::mem::take(&mut self.children[n]) {
                match child {
                    Child::Node(c) => {
                        if let Some(g) = groups[c].take() {
                            group.push(g);
                        }
                    }
                    Child::Leaf(id) => group.push(id),
                }
            }
            groups[n] = Some(group);
        }
        let mut tag_tree = TagTree::new().with_lang(lang);
        for r in self.roots {
            if let Some(g) = groups[r].take() {
                tag_tree.push(g);
            }
        }
        tag_tree
    }
}

fn tag_kind(role: &Role) -> TagKind {
    match role {
        Role::Part => KrillaTag::Part.into(),
        Role::Section => KrillaTag::Section.into(),
        Role::Heading(level, title) => KrillaTag::Hn(
            std::num::NonZeroU16::new(u16::from((*level).clamp(1, 6))).expect("1 to 6"),
            Some(title.clone()),
        )
        .into(),
        Role::Paragraph => KrillaTag::P.into(),
        Role::List { ordered } => KrillaTag::L(if *ordered {
            ListNumbering::Decimal
        } else {
            ListNumbering::Disc
        })
        .into(),
        Role::ListItem => KrillaTag::LI.into(),
        Role::Label => KrillaTag::Lbl.into(),
        Role::ListBody => KrillaTag::LBody.into(),
        Role::BlockQuote => KrillaTag::BlockQuote.into(),
        Role::Code => KrillaTag::Code.into(),
        Role::Table => KrillaTag::Table.into(),
        Role::TableHead => KrillaTag::THead.into(),
        Role::TableBody => KrillaTag::TBody.into(),
        Role::TableRow => KrillaTag::TR.into(),
        Role::HeaderCell => KrillaTag::TH(TableHeaderScope::Column).into(),
        Role::DataCell => KrillaTag::TD.into(),
        Role::Figure { alt } => KrillaTag::Figure((!alt.is_empty()).then(|| alt.clone())).into(),
        Role::Caption => KrillaTag::Caption.into(),
        Role::Link { .. } => KrillaTag::Link.into(),
        Role::Note => KrillaTag::Note.into(),
        Role::Contents => KrillaTag::TOC.into(),
        Role::ContentsEntry => KrillaTag::TOCI.into(),
    }
}
