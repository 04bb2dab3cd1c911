//! Every script in the PDF and the plain text (issue 15): the documents in `tests/scripts/`
//! (Arabic, Hebrew, mixed right-to-left with Latin and numbers, Chinese, Japanese, Korean,
//! decomposed Vietnamese, polytonic Greek, Devanagari) are typeset with the system's fonts
//! as fallbacks. For each: `pdftotext` gives the words back in logical order (recall of at
//! least 99.5%), `pdftotext -bbox` puts every word inside the text column, right-to-left
//! paragraphs are flush right, no glyph is missing, and no CJK line starts with closing
//! punctuation. Right-to-left lists and block quotes are mirrored, paragraphs without a
//! strong character take the direction of `dir`/`lang`, and emoji are drawn in colour.
//!
//! The CJK, Devanagari and emoji checks need fonts from Debian (fonts-noto-cjk,
//! fonts-noto-core, fonts-noto-color-emoji) and poppler-utils: without them the tests say what they skip, except when `CI` is set
//! (`.ci/run` sets it and installs them), where a missing font or tool is a failure.

use std::path::{Path, PathBuf};
use std::process::Command;

use bindery::book::Book;
use bindery::write::pdf::frame::FrameItem;
use bindery::write::pdf::{Geometry, PdfOptions, PdfStandard, layout, pdf};
use bindery::write::text::{TextOptions, text};
use unicode_width::UnicodeWidthStr;

#[path = "support/pdf_text.rs"]
mod pdf_text;
use pdf_text::{check_recall, extracted_words, md_chapter, pdftotext, tool, write_tmp};

/// Fonts the documents need beyond the built-in DejaVu faces.
const CJK_FONT: &str = "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc";
const DEVANAGARI_FONT: &str = "/usr/share/fonts/truetype/noto/NotoSansDevanagari-Regular.ttf";
const EMOJI_FONT: &str = "/usr/share/fonts/truetype/noto/NotoColorEmoji.ttf";

/// True when `what` is there; otherwise a notice (locally) or a failure (in CI).
fn available(what: &str, present: bool) -> bool {
    if present {
        return true;
    }
    assert!(
        std::env::var_os("CI").is_none(),
        "{what} is missing, and CI must run these tests (.ci/run installs it)"
    );
    println!("notice: {what} is missing; skipping this test (CI installs it)");
    false
}

fn document(name: &str) -> (PathBuf, Book) {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/scripts")
        .join(format!("{name}.md"));
    let source = std::fs::read_to_string(&path).unwrap();
    let mut chapter = md_chapter(name, &source);
    // The real path, so diagnostics can point into the file.
    chapter.source = path.clone();
    let book = Book {
        chapters: vec![chapter],
        ..Default::default()
    };
    (path, book)
}

/// One word of `pdftotext -bbox`: its box in pt from the page's top-left corner.
struct WordBox {
    text: String,
    x_min: f32,
    x_max: f32,
    y_min: f32,
}

fn attribute(tag: &str, name: &str) -> f32 {
    let start = tag.find(&format!("{name}=\"")).unwrap() + name.len() + 2;
    let end = start + tag[start..].find('"').unwrap();
    tag[start..end].parse().unwrap()
}

fn word_boxes(pdf: &Path) -> Vec<WordBox> {
    page_word_boxes(pdf, None)
}

/// The words of page `page` (1-based) of `pdf`, or of every page.
fn page_word_boxes(pdf: &Path, page: Option<u32>) -> Vec<WordBox> {
    let pages = page.map(|n| ["-f".to_string(), n.to_string(), "-l".into(), n.to_string()]);
    let out = Command::new("pdftotext")
        .arg("-bbox")
        .args(pages.iter().flatten())
        .arg(pdf)
        .arg("-")
        .output()
        .unwrap();
    let html = String::from_utf8_lossy(&out.stdout).into_owned();
    html.split("<word ")
        .skip(1)
        .map(|w| {
            let (tag, rest) = w.split_once('>').unwrap();
            WordBox {
                text: rest.split("</word>").next().unwrap_or_default().to_string(),
                x_min: attribute(tag, "xMin"),
                x_max: attribute(tag, "xMax"),
                y_min: attribute(tag, "yMin"),
            }
        })
        .collect()
}

/// Checks one document; `rtl` documents must have every line flush right; `min_recall` is
/// the share of the words `pdftotext` must give back in order.
fn check_script(name: &str, rtl: bool, min_recall: f64) {
    if !available("pdftotext (poppler-utils)", tool("pdftotext")) {
        return;
    }
    let (_, book) = document(name);
    let options = PdfOptions {
        system_fonts: true,
        ..Default::default()
    };
    let mut warnings = Vec::new();
    let geo: Geometry = layout(&book, &options, &mut Vec::new()).unwrap().geometry;
    let bytes = pdf(&book, &options, &mut warnings).unwrap();
    let messages: Vec<String> = warnings.iter().map(ToString::to_string).collect();
    assert!(messages.is_empty(), "{name}: {messages:?}");
    let path = write_tmp(&format!("{name}.pdf"), &bytes);

    // Logical order and recall.
    check_recall(&book, &path, false, min_recall);
    let plain = pdftotext(&path).expect("pdftotext runs");
    assert!(!plain.contains('\u{FFFD}'), "{name}: replacement glyphs");

    // Every word inside the text column; right-to-left lines end at its right edge.
    let (left, right) = (geo.left, geo.left + geo.text_w);
    let boxes = word_boxes(&path);
    // (pdftotext takes a CJK line without spaces for one word.)
    assert!(boxes.len() >= 8, "{name}: {} words", boxes.len());
    for b in &boxes {
        assert!(
            b.x_min >= left - 0.5 && b.x_max <= right + 0.5,
            "{name}: `{}` spans {:.1}..{:.1}, outside the text column {left:.1}..{right:.1}",
            b.text,
            b.x_min,
            b.x_max
        );
    }
    if rtl {
        let body = boxes
            .iter()
            .filter(|b| b.y_min > geo.top && b.y_min < geo.top + geo.text_h);
        let mut lines: Vec<(i32, f32)> = Vec::new();
        for b in body {
            let y = b.y_min.round() as i32;
            match lines.iter_mut().find(|(ly, _)| (ly - y).abs() <= 2) {
                Some((_, x)) => *x = x.max(b.x_max),
                None => lines.push((y, b.x_max)),
            }
        }
        assert!(lines.len() >= 8, "{name}: {} lines", lines.len());
        for (y, x) in lines {
            assert!(
                x > right - 1.5,
                "{name}: the line at y={y} ends at {x:.1}, not at the right edge {right:.1}"
            );
        }
    }
}

#[test]
fn arabic() {
    check_script("arabic", true, 0.995);
}

#[test]
fn hebrew() {
    check_script("hebrew", true, 0.995);
}

#[test]
fn mixed_right_to_left_with_latin_and_numbers() {
    check_script("mixed-rtl", true, 0.995);
    // The numbers and Latin words inside the Hebrew and Arabic come back whole and in order.
    let (_, book) = document("mixed-rtl");
    let bytes = pdf(
        &book,
        &PdfOptions {
            system_fonts: true,
            ..Default::default()
        },
        &mut Vec::new(),
    )
    .unwrap();
    let path = write_tmp("mixed-rtl-order.pdf", &bytes);
    if tool("pdftotext") {
        let text = pdftotext(&path).expect("pdftotext runs");
        for phrase in [
            "3.12",
            "Hello World",
            "books@example.com",
            "10:30",
            "www.example.org",
            "https://www.python.org/downloads",
        ] {
            assert!(text.contains(phrase), "`{phrase}` not in: {text}");
        }
        // The recall above counts words in order; here, runs that cross directions: Latin
        // words inside Arabic, and Hebrew around numbers, come back in logical order.
        let words = extracted_words(&path).unwrap();
        for run in [
            "عن Linux و Rust وعن",
            "الساعة 10 30 صباحا في القاعة رقم 7",
            "הגרסה 3 12 של Python מהאתר https www python org downloads והתקנו",
            "עולה עוד 12 שקלים",
        ] {
            let run: Vec<String> = run.split(' ').map(str::to_lowercase).collect();
            assert!(
                words.windows(run.len()).any(|w| w == run.as_slice()),
                "{run:?} not in order in {words:?}"
            );
        }
    }
}

/// `pdftotext -bbox` words grouped into lines (by their top, within 3 pt), top to bottom.
fn lines_of(boxes: &[WordBox]) -> Vec<Vec<&WordBox>> {
    let mut lines: Vec<Vec<&WordBox>> = Vec::new();
    for b in boxes {
        match lines
            .iter_mut()
            .find(|l| (l[0].y_min - b.y_min).abs() <= 3.0)
        {
            Some(line) => line.push(b),
            None => lines.push(vec![b]),
        }
    }
    lines
}

#[test]
fn right_to_left_lists_and_quotes_are_mirrored() {
    // Recall, every word inside the text column, no missing glyph.
    check_script("hebrew-lists", false, 0.995);
    if !tool("pdftotext") {
        return;
    }
    let (_, book) = document("hebrew-lists");
    let options = PdfOptions::default();
    let laid_out = layout(&book, &options, &mut Vec::new()).unwrap();
    let geo = laid_out.geometry;
    let right = geo.left + geo.text_w;
    let path = write_tmp(
        "hebrew-lists-mirrored.pdf",
        &pdf(&book, &options, &mut Vec::new()).unwrap(),
    );
    let boxes = word_boxes(&path);
    let lines = lines_of(&boxes);
    let is_marker = |t: &str| {
        t == "•"
            || t.strip_suffix('.')
                .is_some_and(|n| n.parse::<u32>().is_ok())
    };
    // The right end of the text (markers aside) of the line that has `word`.
    let line_end = |word: &str| {
        let line = lines
            .iter()
            // (`-bbox` gives right-to-left words in visual order.)
            .find(|l| {
                l.iter()
                    .any(|b| b.text == word || b.text.chars().rev().eq(word.chars()))
            })
            .unwrap_or_else(|| panic!("no line with `{word}`"));
        line.iter()
            .filter(|b| !is_marker(&b.text))
            .map(|b| b.x_max)
            .fold(f32::MIN, f32::max)
    };

    // Bullets and numbers: right of their item's text, within the text column.
    let mut markers = 0;
    for line in &lines {
        for (i, marker) in line.iter().enumerate().filter(|(_, b)| is_marker(&b.text)) {
            markers += 1;
            let text = line.iter().enumerate().filter(|&(j, _)| j != i);
            let text_end = text.map(|(_, b)| b.x_max).fold(f32::MIN, f32::max);
            assert!(
                marker.x_min > text_end && marker.x_max <= right + 0.5,
                "`{}` at {:.1}..{:.1}, its item's text ends at {text_end:.1}",
                marker.text,
                marker.x_min,
                marker.x_max
            );
        }
    }
    assert_eq!(markers, 6, "three bullets and three numbers");
    // The items' text is indented from the right margin, like the quote's; the paragraphs
    // around them are flush right, and so is a paragraph of numbers only (`lang: he`).
    for word in ["גדול", "שבע", "שהולך"] {
        let end = line_end(word);
        assert!(
            end < right - 8.0 && end > right - 40.0,
            "the line of `{word}` ends at {end:.1}, not indented from {right:.1}"
        );
    }
    for word in ["שיוצאים", "2024"] {
        let end = line_end(word);
        assert!(end > right - 1.5, "the line of `{word}` ends at {end:.1}");
    }
    // The quote's bar is at the right edge.
    let bars: Vec<f32> = laid_out
        .pages
        .iter()
        .flat_map(|(frame, _)| &frame.items)
        .filter_map(|item| match item {
            FrameItem::Fill { x, w, h, .. } if *w < 6.0 && *h > 10.0 => Some(*x),
            _ => None,
        })
        .collect();
    assert!(!bars.is_empty(), "no quote bar");
    for x in bars {
        assert!(
            x > right - 6.0,
            "a quote bar at x={x:.1}, not at {right:.1}"
        );
    }
}

/// Where `pdftotext -bbox` puts the number of a paragraph without strong characters
/// (`— 2024 —`) under `front` matter: its left and right ends.
fn neutral_paragraph_ends(name: &str, front: &str) -> (f32, f32, Geometry) {
    let source =
        format!("---\n{front}\n---\n\nThe title first: strong, left to right.\n\n— 2024 —\n");
    let book = Book {
        chapters: vec![md_chapter(name, &source)],
        ..Default::default()
    };
    let options = PdfOptions::default();
    let geo = layout(&book, &options, &mut Vec::new()).unwrap().geometry;
    let path = write_tmp(
        &format!("{name}.pdf"),
        &pdf(&book, &options, &mut Vec::new()).unwrap(),
    );
    let boxes = word_boxes(&path);
    let number = boxes
        .iter()
        .find(|b| b.text == "2024")
        .expect("the number is in the text");
    (number.x_min, number.x_max, geo)
}

#[test]
fn direction_of_neutral_paragraphs_from_dir_or_lang() {
    if !available("pdftotext (poppler-utils)", tool("pdftotext")) {
        return;
    }
    for (name, front, rtl) in [
        ("dir-rtl", "title: Numbers\ndir: rtl", true),
        ("lang-ar", "title: Numbers\nlang: ar", true),
        (
            "lang-he-dir-ltr",
            "title: Numbers\nlang: he\ndir: ltr",
            false,
        ),
        ("lang-en", "title: Numbers\nlang: en", false),
    ] {
        let (x_min, x_max, geo) = neutral_paragraph_ends(name, front);
        let right = geo.left + geo.text_w;
        if rtl {
            // `— 2024 —` with the dash after it: the number ends a dash and a space short
            // of the right edge.
            assert!(x_max > right - 20.0, "{name}: 2024 ends at {x_max:.1}");
        } else {
            assert!(x_min < geo.left + 20.0, "{name}: 2024 starts at {x_min:.1}");
        }
    }
}

fn cjk(name: &str) {
    if !available(CJK_FONT, Path::new(CJK_FONT).exists()) {
        return;
    }
    check_script(name, false, 0.995);
    if !tool("pdftotext") {
        return;
    }
    let (_, book) = document(name);
    let options = PdfOptions {
        system_fonts: true,
        ..Default::default()
    };
    let bytes = pdf(&book, &options, &mut Vec::new()).unwrap();
    // Subset: a page of CJK embeds a few hundred glyphs, not the 20 MB collection.
    assert!(bytes.len() < 300_000, "{name}: {} bytes", bytes.len());
    // The regional variant of the document's language.
    let variant = match name {
        "japanese" => "jp",
        "korean" => "kr",
        _ => "sc",
    };
    let face = format!("+NotoSansCJK{variant}");
    assert!(
        String::from_utf8_lossy(&bytes).contains(&face),
        "{name}: no {face}"
    );
    let path = write_tmp(&format!("{name}-kinsoku.pdf"), &bytes);
    let text = pdftotext(&path).expect("pdftotext runs");
    let lines: Vec<&str> = text.lines().filter(|l| !l.trim().is_empty()).collect();
    // Four paragraphs, each longer than a line: they wrap.
    assert!(lines.len() >= 9, "{name}: {} lines", lines.len());
    for line in lines {
        let first = line.trim_start().chars().next().unwrap();
        assert!(
            !"。、，．）」』！？：；".contains(first),
            "{name}: a line starts with {first:?}: {line}"
        );
    }
}

#[test]
fn chinese() {
    cjk("chinese");
}

#[test]
fn japanese() {
    cjk("japanese");
}

#[test]
fn korean() {
    cjk("korean");
}

#[test]
fn decomposed_vietnamese() {
    check_script("vietnamese-decomposed", false, 0.995);
}

#[test]
fn polytonic_greek() {
    check_script("greek", false, 0.995);
}

#[test]
fn devanagari() {
    if available(DEVANAGARI_FONT, Path::new(DEVANAGARI_FONT).exists()) {
        check_script("devanagari", false, 0.995);
    }
}

/// The report of `page-validation` (PyPI, what `tests/validate.sh` runs) on `pdf` for
/// `profile`; `None` when it is not installed.
fn page_validation(pdf: &Path, profile: &str) -> Option<String> {
    let script = "import sys, page; print(page.validate_pdf(sys.argv[1], profile=sys.argv[2]))";
    let out = Command::new("python3")
        .args(["-c", script])
        .arg(pdf)
        .arg(profile)
        .output()
        .ok()?;
    out.status
        .success()
        .then(|| String::from_utf8_lossy(&out.stdout).into_owned())
}

#[test]
fn emoji_in_colour_with_a_font_and_one_warning_without() {
    let source = "---\ntitle: Emoji\nlang: en\n---\n\nWe had a party 🎉 with cake 🍰 and a \
                  thumbs up 👍🏽 from the family 👨\u{200d}👩\u{200d}👧, and the weather was \
                  sunny.\n\nThe cake 🍰 was gone by noon.\n";
    let book = Book {
        chapters: vec![md_chapter("emoji", source)],
        ..Default::default()
    };
    // No font has them: one warning for the document, with the count and the first.
    let mut warnings = Vec::new();
    pdf(&book, &PdfOptions::default(), &mut warnings).unwrap();
    let messages: Vec<String> = warnings.iter().map(ToString::to_string).collect();
    assert_eq!(messages.len(), 1, "{messages:?}");
    assert!(
        messages[0].contains("characters (emoji)") && messages[0].contains("first: '🎉'"),
        "{}",
        messages[0]
    );

    if !available(EMOJI_FONT, Path::new(EMOJI_FONT).exists()) {
        return;
    }
    // The system's colour emoji font (Noto Color Emoji, bitmaps), or the same file named in
    // `fonts = [...]`: drawn as colour glyphs (a Type 3 font), without a warning.
    let named = PdfOptions {
        fonts: vec![PathBuf::from(EMOJI_FONT)],
        ..Default::default()
    };
    let system = PdfOptions {
        system_fonts: true,
        standards: vec![PdfStandard::Ua1],
        ..Default::default()
    };
    for (name, options) in [("emoji-named", named), ("emoji-system", system)] {
        let mut warnings = Vec::new();
        let bytes = pdf(&book, &options, &mut warnings).unwrap();
        let messages: Vec<String> = warnings.iter().map(ToString::to_string).collect();
        assert!(messages.is_empty(), "{name}: {messages:?}");
        let raw = String::from_utf8_lossy(&bytes);
        assert!(
            raw.contains("/Type3") && raw.contains("/NotoColorEmoji"),
            "{name}: no colour emoji font"
        );
        let path = write_tmp(&format!("{name}.pdf"), &bytes);
        if tool("pdftotext") {
            let text = pdftotext(&path).unwrap();
            for emoji in ["🎉", "🍰", "👍🏽", "👨\u{200d}👩\u{200d}👧"] {
                assert!(text.contains(emoji), "{name}: {emoji} not in {text}");
            }
            assert!(!text.contains('\u{FFFD}'), "{name}: {text}");
            // Every word comes back, but not in order: poppler takes a Type 3 font's size
            // from its glyphs' widths (emoji are 1.25 em wide, so they read as 25 pt text
            // on a 10 pt line) and splits the line into blocks at them.
            let got = extracted_words(&path).unwrap();
            let missing: Vec<String> = pdf_text::model_words(&book)
                .into_iter()
                .filter(|w| !got.contains(w))
                .collect();
            assert!(missing.is_empty(), "{name}: {missing:?} not extracted");
        }
        // PDF/UA-1 still holds with the colour glyphs.
        let report = page_validation(&path, "ua1");
        if available("page-validation (PyPI)", report.is_some()) {
            let report = report.unwrap();
            assert!(report.contains(" 0 failed,"), "{name}: {report}");
        }
    }
}

#[test]
fn missing_glyphs_are_one_warning_with_count_and_place() {
    let (path, book) = document("chinese");
    let mut warnings = Vec::new();
    // Without system fonts, no font has the ideographs.
    pdf(&book, &PdfOptions::default(), &mut warnings).unwrap();
    let messages: Vec<String> = warnings.iter().map(ToString::to_string).collect();
    assert_eq!(messages.len(), 1, "{messages:?}");
    let first = &messages[0];
    let place = format!("{}:2:8: warning: ", path.display());
    assert!(first.starts_with(&place), "{first}");
    assert!(first.contains("characters (CJK"), "{first}");
    assert!(first.contains("first: '中'"), "{first}");
    assert!(first.contains("--font-dir"), "{first}");
}

#[test]
fn plain_text_wraps_cjk_by_display_width() {
    for name in ["chinese", "japanese", "korean", "vietnamese-decomposed"] {
        let (_, book) = document(name);
        let out = text(
            &book.chapters[0].document,
            &TextOptions {
                width: 80,
                ..Default::default()
            },
        );
        let lines: Vec<&str> = out.lines().collect();
        assert!(lines.len() >= 12, "{name}: {} lines", lines.len());
        for line in lines {
            assert!(
                line.width() <= 80,
                "{name}: {} columns: {line}",
                line.width()
            );
            let first = line.chars().next().unwrap_or(' ');
            assert!(!"。、，）」".contains(first), "{name}: {line}");
        }
    }
}

#[test]
fn fallback_from_a_named_font_file_or_a_font_directory() {
    if !available(CJK_FONT, Path::new(CJK_FONT).exists()) {
        return;
    }
    let (_, book) = document("chinese");
    // `fonts = [...]` in bindery.toml.
    let named = PdfOptions {
        fonts: vec![PathBuf::from(CJK_FONT)],
        ..Default::default()
    };
    // A `--font-dir` holding the collection: a fallback, the body stays DejaVu.
    let dir = std::env::temp_dir().join(format!("bindery-cjk-fonts-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::copy(CJK_FONT, dir.join("NotoSansCJK-Regular.ttc")).unwrap();
    let font_dir = PdfOptions {
        font_dir: Some(dir.clone()),
        ..Default::default()
    };
    for options in [named, font_dir] {
        let mut warnings = Vec::new();
        let bytes = pdf(&book, &options, &mut warnings).unwrap();
        assert!(
            warnings.is_empty(),
            "{:?}",
            warnings.first().map(ToString::to_string)
        );
        let text = String::from_utf8_lossy(&bytes);
        // The simplified Chinese face of the collection, for `lang: zh`.
        assert!(text.contains("+NotoSansCJKsc"), "the CJK face is embedded");
        assert!(text.contains("+DejaVuSerif"), "the body face stays");
    }
    std::fs::remove_dir_all(&dir).ok();
}

/// Whether a `pdftotext -bbox` word is `word` (right-to-left words may come in visual order).
fn is_word(b: &WordBox, word: &str) -> bool {
    b.text == word || b.text.chars().rev().eq(word.chars())
}

/// The box of the word `word` on the line that has `row` (a word only that line has).
fn word_in_row<'a>(lines: &[Vec<&'a WordBox>], row: &str, word: &str) -> &'a WordBox {
    let line = lines
        .iter()
        .find(|l| l.iter().any(|b| is_word(b, row)))
        .unwrap_or_else(|| panic!("no line with `{row}`"));
    line.iter()
        .find(|b| is_word(b, word))
        .unwrap_or_else(|| panic!("no `{word}` on the line of `{row}`"))
}

/// The PDF/UA-1 report of `page-validation` on `path`: no failed check (skipped locally
/// when the validator is not installed).
fn assert_ua1(name: &str, path: &Path) {
    let report = page_validation(path, "ua1");
    if available("page-validation (PyPI)", report.is_some()) {
        let report = report.unwrap();
        assert!(report.contains(" 0 failed,"), "{name}: {report}");
    }
}

#[test]
fn right_to_left_tables_and_footnotes_are_mirrored() {
    // Recall, every word inside the text column. (pdftotext reads a table's cells as blocks
    // of their own, in an order of its own, Latin tables too: one word of 43 comes back out
    // of order. The content stream's order is checked below.)
    check_script("hebrew-table", false, 0.97);
    if !tool("pdftotext") {
        return;
    }
    let (_, book) = document("hebrew-table");
    let options = PdfOptions {
        standards: vec![PdfStandard::Ua1],
        ..Default::default()
    };
    let geo = layout(&book, &options, &mut Vec::new()).unwrap().geometry;
    let right = geo.left + geo.text_w;
    let path = write_tmp(
        "hebrew-table-mirrored.pdf",
        &pdf(&book, &options, &mut Vec::new()).unwrap(),
    );
    let boxes = word_boxes(&path);
    let lines = lines_of(&boxes);

    // The first column on the right, the third on the left, in the header and every row.
    for (first, second, third) in [
        ("מסלול", "אורך", "קושי"),
        ("נחל", "5", "קל"),
        ("מעיין", "12", "בינוני"),
    ] {
        let (a, b, c) = (
            word_in_row(&lines, first, first),
            word_in_row(&lines, first, second),
            word_in_row(&lines, first, third),
        );
        assert!(
            a.x_min > b.x_max && b.x_min > c.x_max,
            "`{first}` {:.1}..{:.1}, `{second}` {:.1}..{:.1}, `{third}` {:.1}..{:.1}: not \
             right to left",
            a.x_min,
            a.x_max,
            b.x_min,
            b.x_max,
            c.x_min,
            c.x_max
        );
    }
    // The table is flush right; `:--` (start) is flush right in its column, `--:` (end)
    // flush left, `:-:` centred.
    let at = |row: &str, word: &str| word_in_row(&lines, row, word);
    let header_end = at("מסלול", "מסלול").x_max;
    assert!(
        header_end > right - 8.0,
        "the table ends at {header_end:.1}"
    );
    assert!((at("נחל", "נחל").x_max - at("מעיין", "מעיין").x_max).abs() < 0.5);
    assert!((at("נחל", "5").x_min - at("מעיין", "12").x_min).abs() < 0.5);
    let middle = |b: &WordBox| (b.x_min + b.x_max) / 2.0;
    assert!((middle(at("נחל", "קל")) - middle(at("מעיין", "בינוני"))).abs() < 0.5);

    // The note at the foot: its number right of its text, hanging in the indent on the right.
    let note = lines
        .iter()
        .find(|l| l.iter().any(|b| is_word(b, "בקילומטרים")))
        .expect("the note's line");
    let number = note
        .iter()
        .find(|b| b.text == "1." || b.text == ".1")
        .expect("the note's number");
    let text_end = note
        .iter()
        .filter(|b| !std::ptr::eq(**b, *number))
        .map(|b| b.x_max)
        .fold(f32::MIN, f32::max);
    assert!(
        number.x_min > text_end && number.x_max <= right + 0.5 && text_end < right - 8.0,
        "the note's number at {:.1}..{:.1}, its text ends at {text_end:.1}",
        number.x_min,
        number.x_max
    );
    // Logical order: the note with its number first; the cells in the content stream (what
    // `pdftotext -raw` reads) row by row, first column first.
    let plain = pdftotext(&path).expect("pdftotext runs");
    let words = pdf_text::words(&plain);
    let run = pdf_text::words("1 האורך נמדד");
    assert!(
        words.windows(run.len()).any(|w| w == run.as_slice()),
        "{run:?} not in order in {words:?}"
    );
    let raw = Command::new("pdftotext")
        .args(["-raw".as_ref(), path.as_os_str(), "-".as_ref()])
        .output()
        .unwrap();
    let raw = pdf_text::words(&String::from_utf8_lossy(&raw.stdout));
    let cells = pdf_text::words("מסלול אורך קושי נחל 5 קל מעיין 12 בינוני פסגה 20 קשה");
    assert!(
        raw.windows(cells.len()).any(|w| w == cells.as_slice()),
        "the cells not in logical order in {raw:?}"
    );
    assert_ua1("hebrew-table", &path);
}

#[test]
fn right_to_left_book_has_mirrored_title_and_contents_pages() {
    if !available("pdftotext (poppler-utils)", tool("pdftotext")) {
        return;
    }
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/scripts");
    let path = write_tmp("hebrew-book.pdf", b"");
    let out = Command::new(env!("CARGO_BIN_EXE_bindery"))
        .arg("convert")
        .args([dir.join("hebrew-table.md"), dir.join("hebrew-chapter.md")])
        .args(["--title", "מסלולים בגליל", "--pdf-standard", "ua-1", "-o"])
        .arg(&path)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let geo = layout(
        &document("hebrew-chapter").1,
        &PdfOptions::default(),
        &mut Vec::new(),
    )
    .unwrap()
    .geometry;
    let (left, right) = (geo.left, geo.left + geo.text_w);
    let page = |n: u32| page_word_boxes(&path, Some(n));

    // The title page: the title centred.
    let title = page(1);
    let (min, max) = title.iter().fold((f32::MAX, f32::MIN), |(a, b), w| {
        (a.min(w.x_min), b.max(w.x_max))
    });
    let centre = (left + right) / 2.0;
    assert!(
        ((min + max) / 2.0 - centre).abs() < 2.0,
        "the title spans {min:.1}..{max:.1}, not centred on {centre:.1}"
    );

    // The contents: the heading in Hebrew, flush right; each entry's title flush right
    // (a section's indented), its page number on the left, leaders between.
    let contents = page(2);
    let lines = lines_of(&contents);
    let heading = word_in_row(&lines, "העניינים", "תוכן");
    assert!(
        heading.x_max > right - 1.5,
        "contents heading ends at {:.1}",
        heading.x_max
    );
    for (entry, number, indented) in [
        ("והערה", "3", false),
        ("שני", "4", false),
        ("ציוד", "4", true),
    ] {
        let title = word_in_row(&lines, entry, entry);
        let line = lines
            .iter()
            .find(|l| l.iter().any(|b| is_word(b, entry)))
            .unwrap();
        let title_end = line
            .iter()
            .filter(|b| b.text.chars().any(char::is_alphabetic))
            .map(|b| b.x_max)
            .fold(f32::MIN, f32::max);
        let page_number = word_in_row(&lines, entry, number);
        assert!(
            page_number.x_max < title.x_min && page_number.x_min < left + 12.0,
            "`{entry}`: page {number} at {:.1}..{:.1}, title from {:.1}",
            page_number.x_min,
            page_number.x_max,
            title.x_min
        );
        let leaders = line
            .iter()
            .filter(|b| b.text == "." && b.x_min > page_number.x_max && b.x_max < title.x_min);
        assert!(leaders.count() > 20, "`{entry}`: no leaders");
        if indented {
            assert!(title_end < right - 8.0, "`{entry}` ends at {title_end:.1}");
        } else {
            assert!(title_end > right - 1.5, "`{entry}` ends at {title_end:.1}");
        }
    }
    // Every word of every page inside the text column; the contents in logical order.
    for n in 1..=4 {
        for b in page(n) {
            assert!(
                b.x_min >= left - 0.5 && b.x_max <= right + 0.5,
                "page {n}: `{}` spans {:.1}..{:.1}",
                b.text,
                b.x_min,
                b.x_max
            );
        }
    }
    let plain = pdftotext(&path).expect("pdftotext runs");
    let words = pdf_text::words(&plain);
    for run in ["תוכן העניינים טבלה והערה", "פרק שני", "ציוד"] {
        let run: Vec<String> = pdf_text::words(run);
        assert!(
            words.windows(run.len()).any(|w| w == run.as_slice()),
            "{run:?} not in order in {words:?}"
        );
    }
    assert_ua1("hebrew-book", &path);
}
