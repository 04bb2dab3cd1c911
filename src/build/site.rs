//! The site: one HTML page per chapter at `SLUG.html` (so `/python-community.html` links keep
//! working), an index page grouped by part, previous/next navigation, and the images the pages
//! use.

use std::sync::Arc;

use minijinja::context;

use crate::book::{Book, Chapter, parse_internal_link};
use crate::escape::{escape_attr, escape_text};
use crate::write::html::{self, PageOptions};

/// The stylesheet's file name in the site folder (shared by every page, not embedded).
pub const CSS_FILE: &str = "style.css";

/// The index page's file name.
pub const INDEX_FILE: &str = "index.html";

/// Site-wide options.
#[derive(Clone, Default)]
pub struct SiteOptions {
    /// A page template replacing the built-in one: `(name, source)`.
    pub template: Option<(String, String)>,
    /// A stylesheet replacing the built-in one (written to `style.css`).
    pub css: Option<String>,
}

/// The file a chapter's page is written to.
pub fn page_file(chapter: &Chapter) -> String {
    format!("{}.html", chapter.slug)
}

/// Maps a link target as the book module left it to a site URL.
pub fn site_url(url: &str) -> String {
    match parse_internal_link(url) {
        Some((slug, Some(fragment))) => format!("{slug}.html#{fragment}"),
        Some((slug, None)) => format!("{slug}.html"),
        None => url.to_string(),
    }
}

/// Page options shared by every page. Image sources need no mapping: the book module made them
/// asset keys, which are the images' paths relative to the site folder.
fn base_options(options: &SiteOptions, extra: minijinja::Value) -> PageOptions {
    PageOptions {
        link_url: Some(Arc::new(site_url)),
        extra_context: Some(extra),
        template: options.template.clone(),
        css_href: Some(CSS_FILE.to_string()),
        ..PageOptions::default()
    }
}

fn nav_entry(chapter: Option<&Chapter>) -> Option<minijinja::Value> {
    chapter.map(|c| {
        context! {
            title => c.document.meta.title.as_deref().unwrap_or(&c.slug),
            url => page_file(c),
        }
    })
}

/// Renders the page of chapter `index`.
pub fn page(book: &Book, index: usize, options: &SiteOptions) -> Result<String, minijinja::Error> {
    let chapter = &book.chapters[index];
    let extra = context! {
        book_title => book.meta.title.as_deref().unwrap_or(""),
        index_url => INDEX_FILE,
        part => chapter.part.as_deref(),
        prev => nav_entry(index.checked_sub(1).and_then(|i| book.chapters.get(i))),
        next => nav_entry(book.chapters.get(index + 1)),
    };
    html::page(&chapter.document, &base_options(options, extra))
}

/// Renders the index page: the book's title and every chapter, grouped by part, in order.
pub fn index(book: &Book, options: &SiteOptions) -> Result<String, minijinja::Error> {
    let mut body = String::from("<nav class=\"contents\">\n");
    let mut current_part: Option<&str> = None;
    let mut open = false;
    for chapter in &book.chapters {
        if chapter.part.as_deref() != current_part || !open {
            if open {
                body.push_str("</ol>\n");
            }
            current_part = chapter.part.as_deref();
            if let Some(part) = current_part {
                body.push_str("<h2>");
                let _ = escape_text(&mut body, part);
                body.push_str("</h2>\n");
            }
            body.push_str("<ol>\n");
            open = true;
        }
        body.push_str("<li><a href=\"");
        let _ = escape_attr(&mut body, &page_file(chapter));
        body.push_str("\">");
        let title = chapter
            .document
            .meta
            .title
            .as_deref()
            .unwrap_or(&chapter.slug);
        let _ = escape_text(&mut body, title);
        body.push_str("</a>");
        if let Some(description) = &chapter.document.meta.description {
            body.push_str("\n<span class=\"summary\">");
            let _ = escape_text(&mut body, description);
            body.push_str("</span>");
        }
        body.push_str("</li>\n");
    }
    if open {
        body.push_str("</ol>\n");
    }
    body.push_str("</nav>\n");
    let document = crate::model::Document {
        meta: book.meta.clone(),
        blocks: vec![crate::model::Block::RawHtml(body)],
    };
    let extra = context! {
        book_title => book.meta.title.as_deref().unwrap_or(""),
        is_index => true,
    };
    html::page(&document, &base_options(options, extra))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn internal_links_map_to_pages() {
        assert_eq!(site_url("bindery:django#install"), "django.html#install");
        assert_eq!(site_url("bindery:django"), "django.html");
        assert_eq!(site_url("https://x.org/"), "https://x.org/");
    }
}
