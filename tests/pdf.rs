//! Integration tests of the PDF writer on real documents: the seed and the shared corpus.
//! Checks that need poppler-utils or qpdf skip with a notice when the tools are missing.
//! Set `BINDERY_PDF_OUT=DIR` to keep the PDFs for viewing.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use bindery::book::{Asset, Book, Chapter};
use bindery::model::{self, Block, Inline};
use bindery::read::{ReadOptions, read_str};
use bindery::write::pdf::frame::FrameItem;
use bindery::write::pdf::{BoxKind, Paper, PdfOptions, PdfStandard, layout, pdf};

#[path = "support/pdf_text.rs"]
mod pdf_text;
use pdf_text::{check_text, extracted_words, md_chapter, pdftotext, tool, write_tmp};

const SHARED: &str = "../shared";

/// The shared seeds and corpus beside the crate. Missing, the tests that need them fail: they
/// must never pass without their input.
fn shared() -> Option<PathBuf> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(SHARED);
    assert!(
        path.join("seeds").is_dir(),
        "the shared corpus is not at {}",
        path.display()
    );
    Some(path)
}

fn corpus_static(shared: &Path) -> PathBuf {
    shared.join("corpus/fullstackpython/static")
}

/// Reads a page and loads its `/img/...` images into the assets, as the book module would.
fn chapter(path: &Path, assets: &mut BTreeMap<String, Asset>, static_dir: &Path) -> Chapter {
    let text = std::fs::read_to_string(path).unwrap();
    let mut warnings = Vec::new();
    let mut document = read_str(path, &text, &ReadOptions::default(), &mut warnings).unwrap();
    let mut images = Vec::new();
    collect_images(&document.blocks, &mut images);
    for src in images {
        if assets.contains_key(&src) || !src.starts_with('/') {
            continue;
        }
        let file = static_dir.join(src.trim_start_matches('/'));
        if let Ok(bytes) = std::fs::read(&file) {
            let media_type = if src.ends_with(".png") {
                "image/png"
            } else {
                "image/jpeg"
            };
            assets.insert(
                src.clone(),
                Asset {
                    path: file,
                    bytes,
                    media_type,
                },
            );
        }
    }
    let slug = document
        .meta
        .slug
        .clone()
        .unwrap_or_else(|| path.file_stem().unwrap().to_string_lossy().into_owned());
    document.meta.title.get_or_insert_with(|| slug.clone());
    Chapter {
        document,
        source: path.to_path_buf(),
        slug,
        part: None,
        number: None,
        depth: 0,
    }
}

fn collect_images(blocks: &[Block], out: &mut Vec<String>) {
    for b in blocks {
        if let Block::Figure(f) = b {
            out.push(f.image.src.clone());
        }
    }
    model::visit_inlines(blocks, &mut |i| {
        if let Inline::Image(img) = i {
            out.push(img.src.clone());
        }
    });
}

fn seed_book(shared: &Path) -> Book {
    let mut assets = BTreeMap::new();
    let ch = chapter(
        &shared.join("seeds/000_8e844e437c2c703a.txt"),
        &mut assets,
        &corpus_static(shared),
    );
    Book {
        meta: ch.document.meta.clone(),
        chapters: vec![ch],
        assets,
    }
}

fn corpus_pages(shared: &Path) -> Vec<PathBuf> {
    fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
        let mut entries: Vec<_> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().path())
            .collect();
        entries.sort();
        for p in entries {
            if p.is_dir() {
                walk(&p, out);
            } else if p.extension().is_some_and(|e| e == "markdown") {
                out.push(p);
            }
        }
    }
    let mut out = Vec::new();
    walk(
        &shared.join("corpus/fullstackpython/content/pages"),
        &mut out,
    );
    out
}

fn corpus_book(shared: &Path) -> Book {
    let mut assets = BTreeMap::new();
    let chapters: Vec<Chapter> = corpus_pages(shared)
        .iter()
        .map(|p| chapter(p, &mut assets, &corpus_static(shared)))
        .collect();
    let mut book = Book {
        chapters,
        assets,
        ..Default::default()
    };
    book.meta.title = Some("Full Stack Python".into());
    book.meta.authors = vec!["Matt Makai".into()];
    book
}

fn check_qpdf(pdf: &Path) {
    if !tool("qpdf") {
        return;
    }
    let out = Command::new("qpdf")
        .arg("--check")
        .arg(pdf)
        .output()
        .unwrap();
    let text =
        String::from_utf8_lossy(&out.stdout).into_owned() + &String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "qpdf --check failed: {text}");
    assert!(!text.contains("WARNING"), "qpdf warnings: {text}");
}

fn check_fonts(pdf: &Path) {
    if !tool("pdffonts") {
        return;
    }
    let out = Command::new("pdffonts").arg(pdf).output().unwrap();
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    let rows: Vec<&str> = text.lines().skip(2).collect();
    assert!(!rows.is_empty(), "no fonts: {text}");
    for row in rows {
        let cols: Vec<&str> = row.split_whitespace().collect();
        // name type encoding emb sub uni object ID
        let n = cols.len();
        assert!(n >= 7, "odd pdffonts row: {row}");
        assert_eq!(
            &cols[n - 5..n - 2],
            ["yes", "yes", "yes"],
            "font not embedded+subset+unicode: {row}"
        );
    }
}

fn check_layout(book: &Book) {
    let mut warnings = Vec::new();
    let lay = layout(book, &PdfOptions::default(), &mut warnings).unwrap();
    let g = lay.geometry;
    let (x0, x1) = (g.left - 0.5, g.left + g.text_w + 0.5);
    let (y0, y1) = (g.page_h - g.top - g.text_h - 0.5, g.page_h - g.top + 0.5);
    for (p, (_, boxes)) in lay.pages.iter().enumerate() {
        for b in boxes.iter().filter(|b| b.kind == BoxKind::Body) {
            assert!(
                b.x >= x0 && b.x + b.w <= x1 && b.y >= y0 - 3.0 && b.y + b.h <= y1 + 3.0,
                "page {}: box outside the text area: {b:?}",
                p + 1
            );
        }
    }
}

#[test]
fn seed_to_pdf() {
    let Some(shared) = shared() else {
        println!("notice: shared corpus not found; skipping");
        return;
    };
    let book = seed_book(&shared);
    let mut warnings = Vec::new();
    let t = Instant::now();
    let bytes = pdf(&book, &PdfOptions::default(), &mut warnings).unwrap();
    println!("seed: {} bytes in {:?}", bytes.len(), t.elapsed());
    for w in &warnings {
        println!("{w}");
    }
    let again = pdf(&book, &PdfOptions::default(), &mut Vec::new()).unwrap();
    assert!(bytes == again, "two runs differ");
    let path = write_tmp("seed.pdf", &bytes);
    check_qpdf(&path);
    check_fonts(&path);
    check_text(&book, &path, false);
    check_layout(&book);
}

#[test]
fn corpus_pages_to_pdf() {
    let Some(shared) = shared() else {
        println!("notice: shared corpus not found; skipping");
        return;
    };
    for page in corpus_pages(&shared) {
        let mut assets = BTreeMap::new();
        let ch = chapter(&page, &mut assets, &corpus_static(&shared));
        let book = Book {
            meta: ch.document.meta.clone(),
            chapters: vec![ch],
            assets,
        };
        let bytes = pdf(&book, &PdfOptions::default(), &mut Vec::new()).unwrap();
        let name = format!("{}.pdf", book.chapters[0].slug);
        let path = write_tmp(&name, &bytes);
        check_qpdf(&path);
        check_text(&book, &path, false);
        check_layout(&book);
    }
}

#[test]
fn corpus_book_to_pdf() {
    let Some(shared) = shared() else {
        println!("notice: shared corpus not found; skipping");
        return;
    };
    let book = corpus_book(&shared);
    let mut warnings = Vec::new();
    let t = Instant::now();
    let bytes = pdf(&book, &PdfOptions::default(), &mut warnings).unwrap();
    println!(
        "corpus book: {} chapters, {} bytes in {:?}, {} warnings",
        book.chapters.len(),
        bytes.len(),
        t.elapsed(),
        warnings.len()
    );
    for w in &warnings {
        println!("{w}");
    }
    let path = write_tmp("corpus.pdf", &bytes);
    check_qpdf(&path);
    check_fonts(&path);
    check_text(&book, &path, true);
    check_layout(&book);
}

#[test]
fn feature_sampler() {
    let text = include_str!("pdf_features.md");
    let path = Path::new("tests/pdf_features.md");
    let mut warnings = Vec::new();
    let document = read_str(path, text, &ReadOptions::default(), &mut warnings).unwrap();
    let book = Book {
        meta: document.meta.clone(),
        chapters: vec![Chapter {
            document,
            source: path.to_path_buf(),
            slug: "features".into(),
            part: None,
            number: None,
            depth: 0,
        }],
        assets: BTreeMap::new(),
    };
    let mut warnings = Vec::new();
    let bytes = pdf(&book, &PdfOptions::default(), &mut warnings).unwrap();
    for w in &warnings {
        println!("{w}");
    }
    // The CJK text and the emoji are not in DejaVu: reported, not dropped silently.
    assert!(
        warnings.iter().any(|w| w.message.contains("U+65E5")),
        "{warnings:?}"
    );
    let path = write_tmp("features.pdf", &bytes);
    check_qpdf(&path);
    check_fonts(&path);
    check_layout(&book);
}

#[test]
fn book_links_and_outline() {
    let mut book = Book {
        chapters: vec![
            md_chapter(
                "alpha",
                "title: Alpha\n\n## Part one\n\nSee [the details](bindery:beta#details) and [home](https://example.com).\n",
            ),
            md_chapter(
                "beta",
                "title: Beta\n\n## Details\n\nBack to [alpha](bindery:alpha), not [nowhere](bindery:nowhere).\n\n### Deeper\n\nText.\n",
            ),
        ],
        ..Default::default()
    };
    book.meta.title = Some("Links".into());
    let mut warnings = Vec::new();
    let bytes = pdf(&book, &PdfOptions::default(), &mut warnings).unwrap();
    assert!(
        warnings.iter().any(|w| w.message.contains("`nowhere`")),
        "a link to a missing chapter is reported: {warnings:?}"
    );
    write_tmp("links.pdf", &bytes);
    let doc = lopdf::Document::load_mem(&bytes).unwrap();
    // Outline: Contents, Alpha > Part one, Beta > Details > Deeper.
    let catalog = doc.catalog().unwrap();
    let outlines = doc
        .get_dictionary(catalog.get(b"Outlines").unwrap().as_reference().unwrap())
        .unwrap();
    let mut titles = Vec::new();
    fn walk(
        doc: &lopdf::Document,
        first: Option<&lopdf::Object>,
        depth: usize,
        out: &mut Vec<String>,
    ) {
        let mut cur = first.and_then(|o| o.as_reference().ok());
        while let Some(id) = cur {
            let d = doc.get_dictionary(id).unwrap();
            let t = d.get(b"Title").unwrap().as_str().unwrap();
            out.push(format!(
                "{}{}",
                "  ".repeat(depth),
                String::from_utf8_lossy(t)
            ));
            walk(doc, d.get(b"First").ok(), depth + 1, out);
            cur = d.get(b"Next").ok().and_then(|o| o.as_reference().ok());
        }
    }
    walk(&doc, outlines.get(b"First").ok(), 0, &mut titles);
    assert_eq!(
        titles,
        [
            "Contents",
            "Alpha",
            "  Part one",
            "Beta",
            "  Details",
            "    Deeper"
        ]
    );
    // Links: destinations for internal targets and contents entries, URI for the external one.
    let (mut goto, mut uri) = (0, 0);
    let deref = |o: &lopdf::Object| -> lopdf::Object {
        match o {
            lopdf::Object::Reference(r) => doc.get_object(*r).unwrap().clone(),
            other => other.clone(),
        }
    };
    for (_, page) in doc.get_pages() {
        let page = doc.get_dictionary(page).unwrap();
        let Ok(annots) = page.get(b"Annots") else {
            continue;
        };
        for annot in deref(annots).as_array().unwrap() {
            let annot = deref(annot);
            let annot = annot.as_dict().unwrap();
            // An internal link is a `/Dest` (or a GoTo action), an external one a URI action.
            if annot.get(b"Dest").is_ok() {
                goto += 1;
                continue;
            }
            let action = deref(annot.get(b"A").unwrap());
            match action
                .as_dict()
                .unwrap()
                .get(b"S")
                .unwrap()
                .as_name()
                .unwrap()
            {
                b"GoTo" => goto += 1,
                b"URI" => uri += 1,
                _ => {}
            }
        }
    }
    assert_eq!(uri, 1);
    assert_eq!(
        goto, 6,
        "two cross-chapter links, two chapter and two section entries in the contents"
    );
}

#[test]
fn reproducible_without_dates() {
    let book = Book {
        chapters: vec![md_chapter("one", "title: One\n\nText.\n")],
        ..Default::default()
    };
    let a = pdf(&book, &PdfOptions::default(), &mut Vec::new()).unwrap();
    let b = pdf(&book, &PdfOptions::default(), &mut Vec::new()).unwrap();
    assert_eq!(a, b);
    if std::env::var_os("SOURCE_DATE_EPOCH").is_none() {
        assert!(
            !String::from_utf8_lossy(&a).contains("CreationDate"),
            "no clock time"
        );
    }
}

#[test]
fn paper_sizes_and_numbered_headings() {
    let Some(shared) = shared() else {
        println!("notice: shared corpus not found; skipping");
        return;
    };
    let book = seed_book(&shared);
    for paper in [Paper::A5, Paper::Letter] {
        let options = PdfOptions {
            paper,
            number_headings: true,
            ..Default::default()
        };
        let bytes = pdf(&book, &options, &mut Vec::new()).unwrap();
        let path = write_tmp(&format!("seed-{paper:?}.pdf"), &bytes);
        check_qpdf(&path);
        let lay = layout(&book, &options, &mut Vec::new()).unwrap();
        let (w, h) = paper.size();
        assert_eq!((lay.geometry.page_w, lay.geometry.page_h), (w, h));
        if tool("pdftotext") {
            let text = pdftotext(&path).expect("pdftotext runs");
            let numbered = |n: &str, title: &str| {
                text.lines()
                    .any(|l| l.starts_with(n) && l[n.len()..].trim_start() == title)
            };
            assert!(numbered("1", "Who drives the Python community?"), "{text}");
            assert!(numbered("1.1", "Conferences and events"), "{text}");
        }
    }
}

#[test]
fn font_dir_replaces_body_face() {
    let dir = std::env::temp_dir().join(format!("bindery-fonts-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(
        dir.join("Body-Regular.ttf"),
        dejavu::sans_condensed::regular(),
    )
    .unwrap();
    let book = Book {
        chapters: vec![md_chapter(
            "one",
            "title: One\n\nBody text in another face.\n",
        )],
        ..Default::default()
    };
    let options = PdfOptions {
        font_dir: Some(dir.clone()),
        ..Default::default()
    };
    let bytes = pdf(&book, &options, &mut Vec::new()).unwrap();
    let text = String::from_utf8_lossy(&bytes);
    assert!(
        text.contains("+DejaVuSansCondensed"),
        "the directory's face is embedded"
    );
    std::fs::remove_dir_all(&dir).ok();
    let missing = PdfOptions {
        font_dir: Some(dir),
        ..Default::default()
    };
    assert!(
        pdf(&book, &missing, &mut Vec::new()).is_err(),
        "a missing directory is an error"
    );
}

#[test]
fn many_footnotes_stay_in_the_text_area() {
    let mut text = String::from("title: Notes\n\n");
    for i in 0..60 {
        text.push_str(&format!(
            "Paragraph {i} has some words to fill a line or two of running text, with a reference to a note here[^n{i}] and then a few more words after it.\n\n"
        ));
    }
    for i in 0..60 {
        text.push_str(&format!(
            "[^n{i}]: Note number {i}, which explains paragraph {i} in a sentence that may wrap.\n"
        ));
    }
    let book = Book {
        chapters: vec![md_chapter("notes", &text)],
        ..Default::default()
    };
    let bytes = pdf(&book, &PdfOptions::default(), &mut Vec::new()).unwrap();
    let path = write_tmp("footnotes.pdf", &bytes);
    check_qpdf(&path);
    check_layout(&book);
    if tool("pdftotext") {
        // Each page's notes follow its text: note k appears on the page of paragraph k.
        let text = pdftotext(&path).expect("pdftotext runs");
        for page in text.split('\u{c}') {
            for i in 0..60 {
                let has_par = page.contains(&format!("Paragraph {i} has"));
                let has_note = page.contains(&format!("Note number {i},"));
                assert_eq!(
                    has_par, has_note,
                    "paragraph and note {i} on different pages:\n{page}"
                );
            }
        }
    }
}

/// A small RGBA PNG with transparent pixels.
fn rgba_png() -> Vec<u8> {
    let mut out = Vec::new();
    {
        let mut enc = png::Encoder::new(&mut out, 4, 2);
        enc.set_color(png::ColorType::Rgba);
        enc.set_depth(png::BitDepth::Eight);
        let mut w = enc.write_header().unwrap();
        let px: Vec<u8> = (0..8)
            .flat_map(|i| [200, 40, (i * 30) as u8, if i % 2 == 0 { 255 } else { 0 }])
            .collect();
        w.write_image_data(&px).unwrap();
    }
    out
}

#[test]
fn images_embedded_including_svg() {
    let mut assets = BTreeMap::new();
    let asset = |bytes: Vec<u8>, media_type| Asset {
        path: PathBuf::new(),
        bytes,
        media_type,
    };
    assets.insert("a.png".to_string(), asset(rgba_png(), "image/png"));
    for name in ["arrows", "gradient", "clip"] {
        let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(format!("tests/svg/{name}.svg"));
        assets.insert(
            format!("{name}.svg"),
            asset(std::fs::read(path).unwrap(), "image/svg+xml"),
        );
    }
    let jpeg =
        shared().and_then(|s| std::fs::read(corpus_static(&s).join("img/logos/bokeh.jpg")).ok());
    let mut text = String::from(
        "title: Pictures\n\n![A red strip](a.png)\n\n![From Markdown to PDF](arrows.svg)\n\n\
         ![A sky](gradient.svg)\n\n![Four squares in a circle](clip.svg)\n\n\
         Inline ![icon](a.png) in text.\n",
    );
    if let Some(j) = &jpeg {
        assets.insert("c.jpg".to_string(), asset(j.clone(), "image/jpeg"));
        text.push_str("\n![A photo](c.jpg)\n");
    }
    let book = Book {
        chapters: vec![md_chapter("pictures", &text)],
        assets,
        ..Default::default()
    };
    let mut warnings = Vec::new();
    let bytes = pdf(&book, &PdfOptions::default(), &mut warnings).unwrap();
    assert!(warnings.is_empty(), "{warnings:?}");
    let doc = lopdf::Document::load_mem(&bytes).unwrap();
    let mut filters = Vec::new();
    let mut smask = false;
    for obj in doc.objects.values() {
        if let Ok(s) = obj.as_stream()
            && s.dict.get(b"Subtype").and_then(|o| o.as_name()).ok() == Some(b"Image")
        {
            filters.push(
                String::from_utf8_lossy(s.dict.get(b"Filter").unwrap().as_name().unwrap())
                    .into_owned(),
            );
            smask |= s.dict.get(b"SMask").is_ok();
        }
    }
    assert!(smask, "PNG alpha becomes a soft mask");
    assert!(filters.iter().any(|f| f == "FlateDecode"), "{filters:?}");
    if let Some(j) = &jpeg {
        assert!(filters.iter().any(|f| f == "DCTDecode"), "{filters:?}");
        // The JPEG's bytes are embedded as they are.
        assert!(bytes.windows(64).any(|w| w == &j[..64]));
    }
    let path = write_tmp("pictures.pdf", &bytes);
    check_qpdf(&path);
    check_fonts(&path);
    check_layout(&book);
    // SVG text is drawn as text in the embedded fonts, so it can be found.
    if let Some(words) = extracted_words(&path) {
        for word in ["markdown", "bindery", "clipped"] {
            assert!(words.iter().any(|w| w == word), "{word} missing: {words:?}");
        }
    }
}

#[test]
fn degenerate_books_give_valid_pdfs() {
    let empty = Book::default();
    let blank = Book {
        chapters: vec![md_chapter("blank", "")],
        ..Default::default()
    };
    let deep = Book {
        chapters: vec![md_chapter("deep", &format!("{}deep\n", "> ".repeat(300)))],
        ..Default::default()
    };
    let wide_table = Book {
        chapters: vec![md_chapter(
            "wide",
            &format!(
                "|{}\n|{}\n|{}\n",
                "h|".repeat(40),
                "-|".repeat(40),
                "supercalifragilistic|".repeat(40)
            ),
        )],
        ..Default::default()
    };
    for (name, book) in [
        ("empty", empty),
        ("blank", blank),
        ("deep", deep),
        ("wide", wide_table),
    ] {
        let bytes = pdf(&book, &PdfOptions::default(), &mut Vec::new()).unwrap();
        let path = write_tmp(&format!("degenerate-{name}.pdf"), &bytes);
        check_qpdf(&path);
        check_layout(&book);
    }
}

#[test]
fn pictures_inside_running_text_are_set_as_figures() {
    // The corpus's change log: a screenshot inside a list item's text, and one followed by a
    // stray `</a>`. Both must be drawn, with the text around them kept.
    let mut assets = BTreeMap::new();
    assets.insert(
        "shot.png".to_string(),
        Asset {
            path: PathBuf::new(),
            bytes: rgba_png(),
            media_type: "image/png",
        },
    );
    let text = "title: Log\n\n\
                * Pushed the 1000th commit!\n  <img src=\"shot.png\" width=\"100%\" alt=\"Shot\" />\n\
                * Next item.\n\n\
                Before <img src=\"shot.png\" width=\"100%\" alt=\"Again\"></a> after.\n";
    let book = Book {
        chapters: vec![md_chapter("log", text)],
        assets,
        ..Default::default()
    };
    let mut warnings = Vec::new();
    let bytes = pdf(&book, &PdfOptions::default(), &mut warnings).unwrap();
    assert!(warnings.is_empty(), "{warnings:?}");
    let doc = lopdf::Document::load_mem(&bytes).unwrap();
    let draws: usize = doc
        .get_pages()
        .values()
        .map(|&page| {
            let content = doc.get_page_content(page);
            content.windows(3).filter(|w| w == b" Do").count()
        })
        .sum();
    assert_eq!(draws, 2, "both pictures are drawn");
    let path = write_tmp("inline-pictures.pdf", &bytes);
    if let Some(words) = extracted_words(&path) {
        for word in ["pushed", "commit", "next", "item", "before", "after"] {
            assert!(words.iter().any(|w| w == word), "{word} missing: {words:?}");
        }
    }
}

#[test]
fn pictures_inside_table_cells_are_embedded_as_figures() {
    // Two logos of the corpus in a table (one inside a link), as a page listing tools has
    // them: both are drawn in their cells, not replaced by their alt text, and tagged as
    // figures with that text inside the cells.
    let logos = corpus_static(&shared().unwrap()).join("img/logos");
    let mut assets = BTreeMap::new();
    for (name, media_type) in [("bokeh.jpg", "image/jpeg"), ("django.png", "image/png")] {
        assets.insert(
            name.to_string(),
            Asset {
                path: logos.join(name),
                bytes: std::fs::read(logos.join(name)).unwrap(),
                media_type,
            },
        );
    }
    let text = "title: Tools\n\n\
                | Tool | Logo | Notes |\n\
                |------|------|-------|\n\
                | Bokeh | ![Hexagonal petals](bokeh.jpg) | Plots in the browser. |\n\
                | Django | [![Dark green lettering](django.png)](https://djangoproject.com) | \
                Web framework. |\n";
    let book = Book {
        chapters: vec![md_chapter("tools", text)],
        assets,
        ..Default::default()
    };
    let mut warnings = Vec::new();
    let bytes = pdf(&book, &PdfOptions::default(), &mut warnings).unwrap();
    assert!(warnings.is_empty(), "{warnings:?}");
    let path = write_tmp("table-pictures.pdf", &bytes);
    check_qpdf(&path);
    check_layout(&book);
    // Each picture is scaled into its column (narrower than the text, which the other
    // columns share), keeping its aspect ratio (bokeh.jpg is 948 x 307 px, django.png
    // 1200 x 418).
    let (pictures, text_w) = image_sizes(&book);
    assert_eq!(pictures.len(), 2, "{pictures:?}");
    for ((w, h), aspect) in pictures.iter().zip([948.0 / 307.0, 1200.0 / 418.0]) {
        assert!(*w > 50.0 && *w < text_w * 0.8, "{w} x {h}");
        assert!((w / h - aspect).abs() < 0.01, "{w} x {h}, not {aspect}");
    }
    // The figures' alt text is in the structure tree, each inside a TD.
    let doc = lopdf::Document::load_mem(&bytes).unwrap();
    let mut figures_in_cells = Vec::new();
    for obj in doc.objects.values() {
        let Ok(dict) = obj.as_dict() else { continue };
        if dict.get(b"S").and_then(|o| o.as_name()).ok() != Some(b"Figure") {
            continue;
        }
        let parent = dict
            .get(b"P")
            .and_then(|p| p.as_reference())
            .and_then(|r| doc.get_dictionary(r))
            .unwrap();
        let alt = dict.get(b"Alt").and_then(|a| a.as_str()).unwrap();
        figures_in_cells.push((
            String::from_utf8_lossy(parent.get(b"S").unwrap().as_name().unwrap()).into_owned(),
            String::from_utf8_lossy(alt).into_owned(),
        ));
    }
    figures_in_cells.sort();
    assert_eq!(
        figures_in_cells,
        [
            ("TD".to_string(), "Dark green lettering".to_string()),
            ("TD".to_string(), "Hexagonal petals".to_string()),
        ]
    );
    if tool("pdfimages") {
        let out = Command::new("pdfimages")
            .arg("-list")
            .arg(&path)
            .output()
            .unwrap();
        let list = String::from_utf8_lossy(&out.stdout);
        // Two header lines, then one line per image drawn: the JPEG as it is, the PNG.
        let kinds: Vec<&str> = list
            .lines()
            .skip(2)
            .filter_map(|l| l.split_whitespace().nth(8))
            .collect();
        assert_eq!(kinds, ["jpeg", "image"], "{list}");
    }
    // The alt text is not printed in place of the pictures; the cells' text is.
    if let Some(text) = pdftotext(&path) {
        for alt in ["Hexagonal", "petals", "lettering"] {
            assert!(!text.contains(alt), "{alt} printed: {text}");
        }
        for word in ["Bokeh", "Django", "browser", "framework"] {
            assert!(text.contains(word), "{word} missing: {text}");
        }
    }
}

#[test]
fn image_sizes_in_any_css_unit_are_honoured() {
    // The sizes an HTML page gives its images, in the units CSS has: the PDF draws each
    // picture at that size (a height alone gives the width by the picture's aspect ratio).
    let mut assets = BTreeMap::new();
    assets.insert(
        "a.png".to_string(),
        Asset {
            path: PathBuf::new(),
            bytes: rgba_png(),
            media_type: "image/png",
        },
    );
    let text = "title: Sizes\n\n\
                <img src=\"a.png\" alt=\"five centimetres\" width=\"5cm\">\n\n\
                <img src=\"a.png\" alt=\"two inches high\" height=\"2in\">\n\n\
                <img src=\"a.png\" alt=\"half the measure\" width=\"50%\">\n\n\
                <img src=\"a.png\" alt=\"ten em\" width=\"10em\">\n\n\
                <img src=\"a.png\" alt=\"twenty em\" width=\"20em\">\n\n\
                <img src=\"a.png\" alt=\"120 pixels\" width=\"120\">\n";
    let book = Book {
        chapters: vec![md_chapter("sizes", text)],
        assets,
        ..Default::default()
    };
    let (sizes, text_w) = image_sizes(&book);
    assert_eq!(sizes.len(), 6, "{sizes:?}");
    let close = |a: f32, b: f32| (a - b).abs() < 0.05;
    // rgba_png() is 4 x 2 pixels.
    assert!(close(sizes[0].0, 5.0 / 2.54 * 72.0), "{sizes:?}");
    assert!(
        close(sizes[1].1, 144.0) && close(sizes[1].0, 288.0),
        "{sizes:?}"
    );
    assert!(close(sizes[2].0, text_w / 2.0), "{sizes:?}");
    assert!(
        close(sizes[4].0, 2.0 * sizes[3].0) && sizes[3].0 > 50.0,
        "{sizes:?}"
    );
    assert!(close(sizes[5].0, 90.0), "120 px at 96 per inch: {sizes:?}");
    for (w, h) in &sizes {
        assert!(close(w / h, 2.0), "{sizes:?}");
    }
}

/// The structure tree of a PDF as `pdfinfo -struct-text` prints it; `None` without poppler.
fn structure_text(pdf: &Path) -> Option<String> {
    if !tool("pdfinfo") {
        return None;
    }
    let out = Command::new("pdfinfo")
        .arg("-struct-text")
        .arg(pdf)
        .output()
        .unwrap();
    Some(String::from_utf8_lossy(&out.stdout).into_owned())
}

#[test]
fn default_output_is_tagged() {
    let mut assets = BTreeMap::new();
    assets.insert(
        "shot.png".to_string(),
        Asset {
            path: PathBuf::new(),
            bytes: rgba_png(),
            media_type: "image/png",
        },
    );
    let text = "title: Tagged\nlang: en-GB\n\n## Section\n\nA paragraph with [a link](https://example.com) and a note.[^n]\n\n\
                * first item\n* second item\n\n> A quote.\n\n```\ncode line\n```\n\n\
                | Head | Other |\n|---|---|\n| cell | more |\n\n![A red strip](shot.png \"Its caption\")\n\n[^n]: The note.\n";
    let book = Book {
        chapters: vec![md_chapter("tagged", text)],
        assets,
        ..Default::default()
    };
    let mut warnings = Vec::new();
    let bytes = pdf(&book, &PdfOptions::default(), &mut warnings).unwrap();
    let path = write_tmp("tagged.pdf", &bytes);
    check_qpdf(&path);
    let Some(tree) = structure_text(&path) else {
        println!("notice: pdfinfo missing; structure not checked");
        return;
    };
    println!("{tree}");
    for tag in [
        "Document",
        "Sect",
        "H1",
        "H2",
        "P",
        "Link",
        "L",
        "LI",
        "Lbl",
        "LBody",
        "BlockQuote",
        "Code",
        "Table",
        "THead",
        "TBody",
        "TR",
        "TH",
        "TD",
        "Figure",
        "Note",
    ] {
        assert!(
            tree.lines().any(|l| l.trim_start().starts_with(tag)),
            "no {tag} in the structure tree:\n{tree}"
        );
    }
    // Real content is in the tree, running furniture is not.
    for words in [
        "A paragraph with",
        "a link",
        "first item",
        "code line",
        "The note.",
    ] {
        assert!(tree.contains(words), "{words:?} is not tagged:\n{tree}");
    }
    let info = Command::new("pdfinfo").arg(&path).output().unwrap();
    assert!(String::from_utf8_lossy(&info.stdout).contains("Tagged:          yes"));
    let doc = lopdf::Document::load_mem(&bytes).unwrap();
    let lang = doc
        .catalog()
        .unwrap()
        .get(b"Lang")
        .unwrap()
        .as_str()
        .unwrap();
    assert_eq!(lang, b"en-GB", "document language");
}

#[test]
fn pdf_ua_refuses_a_figure_without_alt_text_naming_its_place() {
    let mut assets = BTreeMap::new();
    assets.insert(
        "shot.png".to_string(),
        Asset {
            path: PathBuf::new(),
            bytes: rgba_png(),
            media_type: "image/png",
        },
    );
    let book = Book {
        chapters: vec![md_chapter(
            "noalt",
            "title: No alt\n\nText.\n\n![](shot.png)\n",
        )],
        assets,
        ..Default::default()
    };
    // By default a warning with the place, and a file.
    let mut warnings = Vec::new();
    pdf(&book, &PdfOptions::default(), &mut warnings).unwrap();
    assert!(
        warnings
            .iter()
            .any(|w| w.message.contains("no alt text") && w.to_string().contains("noalt.md:5:1")),
        "{warnings:?}"
    );
    // Under PDF/UA an error with the place, and no file.
    let options = PdfOptions {
        standards: vec![PdfStandard::Ua1],
        ..PdfOptions::default()
    };
    let err = pdf(&book, &options, &mut Vec::new()).unwrap_err();
    assert!(err.to_string().contains("noalt.md:5:1"), "{err}");
    assert!(err.to_string().contains("ua-1"), "{err}");
    let two_archival = vec![PdfStandard::Ua1, PdfStandard::A2b, PdfStandard::A3b];
    assert!(PdfStandard::checked_list(two_archival).is_err());
    assert!(<PdfStandard as clap::ValueEnum>::from_str("a-9", true).is_err());
    assert_eq!(
        <PdfStandard as clap::ValueEnum>::from_str("PDF/UA-1", true),
        Ok(PdfStandard::Ua1)
    );
}

/// The width and height of every image the layout places, in page order, and the width of
/// the text area.
fn image_sizes(book: &Book) -> (Vec<(f32, f32)>, f32) {
    let placed = layout(book, &PdfOptions::default(), &mut Vec::new()).unwrap();
    let sizes = placed
        .pages
        .iter()
        .flat_map(|(frame, _)| &frame.items)
        .filter_map(|item| match item {
            FrameItem::Image { w, h, .. } => Some((*w, *h)),
            _ => None,
        })
        .collect();
    (sizes, placed.geometry.text_w)
}

/// A link to a place the PDF does not have (here a book assembled by hand, which the book
/// layer has not checked) is printed as text, with one warning per target at the first link's
/// file, line and column.
#[test]
fn a_link_to_a_missing_place_is_reported_at_its_line_and_column() {
    let text = "# Links\n\nFirst [nowhere](#no-such-place).\n\nAgain [nowhere](#no-such-place).\n";
    let book = Book {
        chapters: vec![md_chapter("links", text)],
        ..Default::default()
    };
    let mut warnings = Vec::new();
    let bytes = pdf(&book, &PdfOptions::default(), &mut warnings).unwrap();
    assert!(!bytes.is_empty());
    let missing: Vec<_> = warnings
        .iter()
        .filter(|w| w.message.contains("is not in this PDF"))
        .collect();
    assert_eq!(missing.len(), 1, "{warnings:?}");
    let w = missing[0];
    assert_eq!(w.path.as_deref(), Some(Path::new("links.md")));
    let pos = w.pos.expect("a line and column");
    assert_eq!((pos.line, pos.col), (3, 7), "{w}");
    assert!(w.message.contains("links#no-such-place"), "{w}");
}
