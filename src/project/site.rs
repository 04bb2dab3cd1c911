//! The site: one HTML page per chapter at `SLUG.html` (so `/python-community.html` links keep
//! working), an index page grouped by part, previous/next navigation, and the images the pages
//! use.

use std::fmt::Write as _;
use std::sync::Arc;

use minijinja::{Value, context};

use crate::book::{Book, Chapter, parse_internal_link};
use crate::escape::{escape_attr, escape_text};
use crate::write::html::{self, PageOptions};

/// The stylesheet's file name in the site folder (shared by every page, not embedded).
pub const CSS_FILE: &str = "style.css";

/// The index page's file name.
pub const INDEX_FILE: &str = "index.html";

/// The search page's file name: it shows the results for `?q=words`.
pub const SEARCH_FILE: &str = "search.html";

/// The search index's file name: a script (not JSON fetched at run time, which browsers refuse
/// from `file://`) that sets `window.BINDERY_SEARCH`.
pub const SEARCH_INDEX_FILE: &str = "search-index.js";

/// The search script's file name.
pub const SEARCH_SCRIPT_FILE: &str = "search.js";

/// The search script's text.
pub const SEARCH_SCRIPT: &str = include_str!("assets/search.js");

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
            title => c.title(),
            url => page_file(c),
        }
    })
}

/// Renders the page of chapter `index`, with the book's `sidebar`.
pub fn page(
    book: &Book,
    index: usize,
    sidebar: &Sidebar,
    options: &SiteOptions,
) -> Result<String, minijinja::Error> {
    let chapter = &book.chapters[index];
    let extra = context! {
        book_title => book.meta.title.as_deref().unwrap_or(""),
        index_url => INDEX_FILE,
        part => chapter.part.as_deref(),
        prev => nav_entry(index.checked_sub(1).and_then(|i| book.chapters.get(i))),
        next => nav_entry(book.chapters.get(index + 1)),
        sidebar => Value::from_safe_string(sidebar.html(Some(index))),
    };
    html::page(&chapter.document, &base_options(options, extra))
}

/// The chapter list every page shows beside its text, as mdBook's sidebar: the search box, then
/// every chapter in order (numbered, indented by depth, under its part's title), the current
/// one marked. On narrow screens it folds behind a button: a checkbox and CSS, so it works
/// without scripts.
///
/// Made once per book: every page holds the whole list, so building (and escaping) it per page
/// made a site's cost grow with the square of its page count.
#[derive(Debug, Clone)]
pub struct Sidebar {
    html: String,
    /// Per chapter, where in `html` the mark of the current page goes (inside its link's tag).
    marks: Vec<usize>,
}

impl Sidebar {
    /// The sidebar of `book`.
    pub fn new(book: &Book) -> Sidebar {
        let mut out = String::with_capacity(256 + 96 * book.chapters.len());
        let mut marks = Vec::with_capacity(book.chapters.len());
        out.push_str(
            "<input type=\"checkbox\" id=\"sidebar-toggle\" class=\"sidebar-toggle\">\n\
             <label for=\"sidebar-toggle\" class=\"sidebar-button\">Chapters</label>\n\
             <nav class=\"sidebar\" aria-label=\"Chapters\">\n\
             <form class=\"search\" role=\"search\" action=\"search.html\">\
             <input type=\"search\" name=\"q\" placeholder=\"Search\" aria-label=\"Search this site\">\
             </form>\n<ol class=\"chapters\">\n",
        );
        let mut current_part: Option<&str> = None;
        for chapter in &book.chapters {
            if chapter.part.as_deref() != current_part {
                current_part = chapter.part.as_deref();
                if let Some(part) = current_part {
                    out.push_str("<li class=\"part-title\">");
                    let _ = escape_text(&mut out, part);
                    out.push_str("</li>\n");
                }
            }
            let _ = write!(
                out,
                "<li class=\"depth-{}\"><a href=\"",
                chapter.depth.min(5)
            );
            let _ = escape_attr(&mut out, &page_file(chapter));
            out.push('"');
            marks.push(out.len());
            out.push('>');
            if let Some(number) = &chapter.number {
                out.push_str("<strong>");
                let _ = escape_text(&mut out, number);
                out.push_str("</strong> ");
            }
            let _ = escape_text(&mut out, chapter.title());
            out.push_str("</a></li>\n");
        }
        out.push_str("</ol>\n</nav>\n");
        Sidebar { html: out, marks }
    }

    /// The sidebar's HTML with chapter `current` marked as the page shown.
    pub fn html(&self, current: Option<usize>) -> String {
        const MARK: &str = " aria-current=\"page\"";
        match current.and_then(|index| self.marks.get(index)) {
            Some(&at) => {
                let mut out = String::with_capacity(self.html.len() + MARK.len());
                out.push_str(&self.html[..at]);
                out.push_str(MARK);
                out.push_str(&self.html[at..]);
                out
            }
            None => self.html.clone(),
        }
    }
}

/// Renders the search page: the results for `?q=words`, found by [`SEARCH_SCRIPT`] in
/// [`search_index`].
pub fn search_page(book: &Book, options: &SiteOptions) -> Result<String, minijinja::Error> {
    let meta = crate::meta::Meta {
        title: Some("Search".into()),
        lang: book.meta.lang.clone(),
        ..crate::meta::Meta::default()
    };
    let extra = context! {
        book_title => book.meta.title.as_deref().unwrap_or(""),
        index_url => INDEX_FILE,
        sidebar => Value::from_safe_string(Sidebar::new(book).html(None)),
        search_results => true,
        scripts => vec![SEARCH_INDEX_FILE, SEARCH_SCRIPT_FILE],
    };
    // The results are filled in by the script: the page has no body of its own.
    html::page_with_body(
        &meta,
        String::new(),
        String::new(),
        &base_options(options, extra),
    )
}

/// The search index: a script setting `window.BINDERY_SEARCH` to one entry per page (title,
/// URL, heading ids and texts, plain text), in chapter order.
pub fn search_index(book: &Book) -> String {
    let pages: Vec<serde_json::Value> = book
        .chapters
        .iter()
        .map(|chapter| {
            let mut headings = Vec::new();
            crate::model::walk_blocks(&chapter.document.blocks, &mut |block| {
                if let crate::model::Block::Heading { id, content, .. } = block {
                    headings.push(serde_json::json!([id, crate::model::plain_text(content)]));
                }
            });
            serde_json::json!({
                "t": chapter.title(),
                "u": page_file(chapter),
                "h": headings,
                "x": crate::model::blocks_plain_text(&chapter.document.blocks),
            })
        })
        .collect();
    // `</` would end the script element if the index were ever inlined; escaped, it is the same
    // JSON.
    let json = serde_json::to_string(&pages)
        .expect("the index serialises")
        .replace("</", "<\\/");
    format!("window.BINDERY_SEARCH = {json};\n")
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
        let title = chapter.title();
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
    let extra = context! {
        book_title => book.meta.title.as_deref().unwrap_or(""),
        is_index => true,
        sidebar => Value::from_safe_string(Sidebar::new(book).html(None)),
    };
    html::page_with_body(
        &book.meta,
        body,
        String::new(),
        &base_options(options, extra),
    )
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
