//! The titles and language the PDF shows, taken from the book's metadata.

use crate::book::Book;

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

/// Whether the book reads right to left: its `dir` (else that of its `lang`), else its first
/// chapter's. The title page and the contents are then mirrored.
pub fn book_is_rtl(book: &Book) -> bool {
    book.meta
        .direction()
        .or_else(|| {
            book.chapters
                .first()
                .and_then(|c| c.document.meta.direction())
        })
        .is_some_and(|d| d == crate::meta::Direction::Rtl)
}

/// The heading of the contents page in the book's language (English when the language has
/// no entry here).
pub fn contents_heading(book: &Book) -> &'static str {
    let lang = language(book).unwrap_or_default();
    let primary = lang.split(['-', '_']).next().unwrap_or_default();
    match primary.to_ascii_lowercase().as_str() {
        "he" => "תוכן העניינים",
        "ar" => "المحتويات",
        "fa" => "فهرست مطالب",
        "ur" => "فہرست",
        _ => "Contents",
    }
}
