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
use bindery::write::pdf::{BoxKind, PdfOptions, layout, pdf};

const SHARED: &str = "../shared";

fn shared() -> Option<PathBuf> {
    let here = Path::new(env!("CARGO_MANIFEST_DIR"));
    [here.join(SHARED), PathBuf::from("/work/shared")]
        .into_iter()
        .find(|p| p.join("seeds").is_dir())
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

fn tool(name: &str) -> bool {
    let ok = Command::new(name).arg("-v").output().is_ok()
        || Command::new(name).arg("--version").output().is_ok();
    if !ok {
        println!("notice: `{name}` not found; skipping the checks that need it");
    }
    ok
}

fn write_tmp(name: &str, bytes: &[u8]) -> PathBuf {
    let dir = std::env::var_os("BINDERY_PDF_OUT")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            std::env::temp_dir().join(format!("bindery-pdf-test-{}", std::process::id()))
        });
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(name);
    std::fs::write(&path, bytes).unwrap();
    path
}

/// Lower-cased alphanumeric words; hyphens are dropped (`community-run` is one word), since
/// pdftotext joins a word hyphenated at a line end without its hyphen.
fn words(text: &str) -> Vec<String> {
    text.replace('-', "")
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect()
}

/// Words of the model, in reading order (chapter titles first in each chapter).
fn model_words(book: &Book) -> Vec<String> {
    let mut out = Vec::new();
    for ch in &book.chapters {
        out.extend(words(ch.document.meta.title.as_deref().unwrap_or("")));
        out.extend(words(&model::blocks_plain_text(&ch.document.blocks)));
    }
    out
}

/// Length of the longest common subsequence of `a` and `b` (in-order matches).
fn lcs(a: &[String], b: &[String]) -> usize {
    let mut prev = vec![0usize; b.len() + 1];
    let mut cur = vec![0usize; b.len() + 1];
    for x in a {
        for (j, y) in b.iter().enumerate() {
            cur[j + 1] = if x == y {
                prev[j] + 1
            } else {
                prev[j + 1].max(cur[j])
            };
        }
        std::mem::swap(&mut prev, &mut cur);
    }
    prev[b.len()]
}

/// Text of the PDF with hyphenated line ends rejoined.
fn extracted_words(pdf: &Path) -> Option<Vec<String>> {
    let out = Command::new("pdftotext").arg(pdf).arg("-").output().ok()?;
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    let mut joined = String::new();
    for line in text.lines() {
        // The typesetter's hyphens are soft hyphens; a "-" is the text's own.
        if let Some(stripped) = line.strip_suffix('\u{00AD}') {
            joined.push_str(stripped);
            continue;
        }
        joined.push_str(line);
        joined.push('\n');
    }
    Some(words(&joined))
}

fn check_text(book: &Book, pdf: &Path, chunked: bool) {
    if !tool("pdftotext") {
        return;
    }
    let got = extracted_words(pdf).unwrap();
    let want = model_words(book);
    // Chunks keep the quadratic LCS affordable on the whole corpus.
    let matched: usize = if chunked {
        let per = 3000;
        let n = want.len().div_ceil(per);
        (0..n)
            .map(|i| {
                let w = &want[i * per..((i + 1) * per).min(want.len())];
                let g0 = (i * per * got.len() / want.len()).saturating_sub(400);
                let g1 = (((i + 1) * per * got.len()).div_ceil(want.len()) + 400).min(got.len());
                lcs(w, &got[g0..g1])
            })
            .sum()
    } else {
        lcs(&want, &got)
    };
    let ratio = matched as f64 / want.len().max(1) as f64;
    println!(
        "{}: {matched}/{} model words in order ({:.2}%)",
        pdf.display(),
        want.len(),
        ratio * 100.0
    );
    if ratio < 0.995 {
        let mut counts = std::collections::HashMap::new();
        for w in &want {
            *counts.entry(w.clone()).or_insert(0i64) += 1;
        }
        for w in &got {
            *counts.entry(w.clone()).or_insert(0i64) -= 1;
        }
        let mut missing: Vec<_> = counts.into_iter().filter(|(_, c)| *c > 0).collect();
        missing.sort();
        println!("missing words: {missing:?}");
    }
    assert!(
        ratio >= 0.995,
        "only {:.2}% of the words come back",
        ratio * 100.0
    );
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

fn md_chapter(slug: &str, text: &str) -> Chapter {
    let path = PathBuf::from(format!("{slug}.md"));
    let document = read_str(&path, text, &ReadOptions::default(), &mut Vec::new()).unwrap();
    Chapter {
        document,
        source: path,
        slug: slug.into(),
        part: None,
    }
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
                "title: Beta\n\n## Details\n\nBack to [alpha](bindery:alpha).\n\n### Deeper\n\nText.\n",
            ),
        ],
        ..Default::default()
    };
    book.meta.title = Some("Links".into());
    let bytes = pdf(&book, &PdfOptions::default(), &mut Vec::new()).unwrap();
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
    // Links: GoTo for internal targets and contents entries, URI for the external one.
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
            let action = deref(annot.as_dict().unwrap().get(b"A").unwrap());
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
    assert_eq!(goto, 4, "two cross-chapter links and two contents entries");
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
