//! Link resolution between the chapters of a book.
//!
//! A link written for the web site (`/slug.html`, `slug.html`, `other.md`,
//! `../chapter/other.markdown`, each with or without `#fragment`) is matched to a chapter by the
//! target's slug or source path and rewritten to `bindery:SLUG#FRAGMENT`. Links to pages that
//! are not in the book become absolute links to the site when its URL is known, and plain text
//! otherwise (the caller warns).

use std::collections::{HashMap, HashSet};
use std::path::{Component, Path, PathBuf};

use crate::url::{has_scheme, percent_decode};

/// Prefix of links that point at another chapter of the same book.
pub const INTERNAL_LINK_PREFIX: &str = "bindery:";

/// Splits an internal link `bindery:SLUG#FRAGMENT` into slug and fragment.
pub fn parse_internal_link(url: &str) -> Option<(&str, Option<&str>)> {
    let rest = url.strip_prefix(INTERNAL_LINK_PREFIX)?;
    Some(match rest.split_once('#') {
        Some((slug, fragment)) => (slug, Some(fragment)),
        None => (rest, None),
    })
}

/// What to do with one link.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Resolved {
    /// Leave it alone: an external URL, a `mailto:`, an empty link...
    Keep,
    /// A link into the book: the new url (`bindery:SLUG#F`), and the fragment that was asked
    /// for but is not a heading id of the target (the link then points at the chapter itself).
    Internal {
        /// `bindery:SLUG` or `bindery:SLUG#FRAGMENT`.
        url: String,
        /// The fragment that does not exist in the target chapter, if any.
        missing_fragment: Option<String>,
    },
    /// A page of the site that is not in the book, as an absolute URL on the site.
    External(String),
    /// A page that is not in the book, and no site URL to point at: the link becomes text.
    Outside,
}

/// What the resolver knows about the chapters.
#[derive(Debug, Clone, Default)]
pub struct LinkIndex {
    slugs: Vec<String>,
    dirs: Vec<PathBuf>,
    heading_ids: Vec<HashSet<String>>,
    by_name: HashMap<String, usize>,
    by_path: HashMap<PathBuf, usize>,
}

/// File extensions of pages: a link `x.html` or `x.md` may name the chapter with slug `x`.
const PAGE_EXTENSIONS: &[&str] = &[
    "html", "htm", "xhtml", "md", "markdown", "mdown", "mkd", "txt",
];

impl LinkIndex {
    /// Adds a chapter: its final slug, other names links may use for it (the slug as written,
    /// the file stem), its source path and its heading ids. Earlier chapters win a contested
    /// name.
    pub fn add(
        &mut self,
        slug: &str,
        names: &[&str],
        source: &Path,
        heading_ids: HashSet<String>,
    ) -> usize {
        let index = self.slugs.len();
        self.slugs.push(slug.to_string());
        let source = absolute(source);
        self.dirs
            .push(source.parent().map(Path::to_path_buf).unwrap_or_default());
        self.heading_ids.push(heading_ids);
        for name in std::iter::once(&slug).chain(names) {
            self.by_name.entry(name.to_string()).or_insert(index);
        }
        self.by_path.entry(source).or_insert(index);
        index
    }

    /// Resolves `url`, written in chapter `from`. `site_url` is the site's absolute URL.
    pub fn resolve(&self, from: usize, url: &str, site_url: Option<&str>) -> Resolved {
        if url.is_empty() || url.starts_with(INTERNAL_LINK_PREFIX) {
            return Resolved::Keep;
        }
        let site = site_url
            .map(|s| s.trim_end_matches('/'))
            .filter(|s| !s.is_empty());
        let rest = match site.and_then(|s| strip_site(url, s)) {
            Some(rest) => rest,
            None if has_scheme(url) || url.starts_with("//") => return Resolved::Keep,
            None => url,
        };
        let (before_fragment, fragment) = match rest.split_once('#') {
            Some((b, f)) => (b, Some(f)),
            None => (rest, None),
        };
        let path = before_fragment.split('?').next().unwrap_or("");
        let target = if path.is_empty() {
            if fragment.is_none() {
                return Resolved::Keep; // `?query` alone: nothing to resolve
            }
            Some(from)
        } else {
            self.find(from, &percent_decode(path))
        };
        match (target, site) {
            (Some(target), _) => self.internal(target, fragment),
            (None, Some(site)) => {
                let joined = join_site(site, before_fragment);
                Resolved::External(match fragment {
                    Some(f) => format!("{joined}#{f}"),
                    None => joined,
                })
            }
            (None, None) => Resolved::Outside,
        }
    }

    fn internal(&self, target: usize, fragment: Option<&str>) -> Resolved {
        let slug = &self.slugs[target];
        let fragment = fragment.map(percent_decode).filter(|f| !f.is_empty());
        match fragment {
            None => Resolved::Internal {
                url: format!("{INTERNAL_LINK_PREFIX}{slug}"),
                missing_fragment: None,
            },
            Some(f) if self.heading_ids[target].contains(&f) => Resolved::Internal {
                url: format!("{INTERNAL_LINK_PREFIX}{slug}#{f}"),
                missing_fragment: None,
            },
            // Written for another tool's id rules (`#python-3-strings` for bindery's
            // `python-3--strings`): the same heading when the loose forms agree.
            Some(f) => match self.loose_match(target, &f) {
                Some(id) => Resolved::Internal {
                    url: format!("{INTERNAL_LINK_PREFIX}{slug}#{id}"),
                    missing_fragment: None,
                },
                None => Resolved::Internal {
                    url: format!("{INTERNAL_LINK_PREFIX}{slug}"),
                    missing_fragment: Some(f),
                },
            },
        }
    }

    /// The smallest id of `target` whose loose form is the fragment's (the smallest, so the
    /// choice does not depend on hash order).
    fn loose_match(&self, target: usize, fragment: &str) -> Option<&str> {
        let wanted = crate::slug::loose_id(fragment);
        if wanted.is_empty() {
            return None;
        }
        self.heading_ids[target]
            .iter()
            .filter(|id| crate::slug::loose_id(id) == wanted)
            .min()
            .map(String::as_str)
    }

    /// The chapter a (decoded) path names, if any.
    fn find(&self, from: usize, path: &str) -> Option<usize> {
        if !path.starts_with('/') {
            let joined = normalize(&self.dirs[from].join(path));
            if let Some(&i) = self.by_path.get(&joined) {
                return Some(i);
            }
        }
        let trimmed = path.trim_end_matches('/');
        let last = trimmed.rsplit('/').next().unwrap_or(trimmed);
        let name = match last.rsplit_once('.') {
            Some((stem, ext)) if PAGE_EXTENSIONS.contains(&ext.to_ascii_lowercase().as_str()) => {
                stem
            }
            Some(_) => return None, // `/files/report.pdf` is not a page
            None => last,
        };
        self.by_name.get(name).copied()
    }
}

/// The part of `url` after the site's URL (`https://site/x.html` -> `/x.html`), if it is on
/// the site.
fn strip_site<'u>(url: &'u str, site: &str) -> Option<&'u str> {
    let head = url.get(..site.len())?;
    if !head.eq_ignore_ascii_case(site) {
        return None;
    }
    let rest = &url[site.len()..];
    (rest.is_empty() || rest.starts_with(['/', '#', '?'])).then_some(rest)
}

/// Joins a site-absolute or relative link to the site URL. Pages live at the site root
/// (`/slug.html`), so a relative link is relative to the root too.
fn join_site(site: &str, link: &str) -> String {
    let mut segments: Vec<&str> = Vec::new();
    let (path, query) = match link.split_once('?') {
        Some((p, q)) => (p, Some(q)),
        None => (link, None),
    };
    for segment in path.trim_start_matches('/').split('/') {
        match segment {
            "." => {}
            ".." => {
                segments.pop();
            }
            s => segments.push(s),
        }
    }
    let mut out = format!("{site}/{}", segments.join("/"));
    if let Some(q) = query {
        out.push('?');
        out.push_str(q);
    }
    out
}

/// `path` made absolute (against the current folder) with `.` and `..` removed lexically: the
/// same file named two ways gives the same key.
pub fn absolute(path: &Path) -> PathBuf {
    normalize(&std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf()))
}

fn normalize(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for component in path.components() {
        match component {
            Component::CurDir => {}
            Component::ParentDir => {
                out.pop();
            }
            other => out.push(other.as_os_str()),
        }
    }
    out
}

/// Why `url` is not a URL a book may link to, if it is not: a control character anywhere
/// (`https://exa\u{85}mple.com`), a `%` that starts no escape, nothing after the scheme
/// (`mailto:`), or a web URL without a well-formed authority (`https:/x`,
/// `http://`, `https://a b`). Only the syntax is checked, never the network.
pub fn malformed_url(url: &str) -> Option<&'static str> {
    if url.chars().any(char::is_control) {
        return Some("it contains a control character");
    }
    let bytes = url.as_bytes();
    let bad_escape = bytes.iter().enumerate().any(|(i, &b)| {
        b == b'%'
            && !(bytes.get(i + 1).is_some_and(u8::is_ascii_hexdigit)
                && bytes.get(i + 2).is_some_and(u8::is_ascii_hexdigit))
    });
    if bad_escape {
        return Some("a `%` is not followed by two hexadecimal digits");
    }
    if url.starts_with("//") {
        // Protocol-relative: books make it `https:`.
        return malformed_url(&format!("https:{url}"));
    }
    if !has_scheme(url) {
        return None;
    }
    let (scheme, rest) = url.split_once(':')?;
    if rest.is_empty() {
        return Some("nothing follows the scheme");
    }
    let scheme = scheme.to_ascii_lowercase();
    if !matches!(scheme.as_str(), "http" | "https" | "ftp") {
        return None;
    }
    let Some(after) = rest.strip_prefix("//") else {
        return Some("a web address needs `//` and a host after the scheme");
    };
    let authority = after.split(['/', '?', '#']).next().unwrap_or("");
    let host_port = authority.rsplit_once('@').map_or(authority, |(_, h)| h);
    let (host, port) = if let Some(bracketed) = host_port.strip_prefix('[') {
        match bracketed.split_once(']') {
            Some((ip6, port))
                if ip6
                    .bytes()
                    .all(|b| b.is_ascii_hexdigit() || b == b':' || b == b'.') =>
            {
                (ip6, port.strip_prefix(':'))
            }
            _ => return Some("its IPv6 host is malformed"),
        }
    } else {
        match host_port.rsplit_once(':') {
            Some((host, port)) => (host, Some(port)),
            None => (host_port, None),
        }
    };
    if host.is_empty() {
        return Some("it has no host");
    }
    let host_char = |c: char| c.is_alphanumeric() || "-._~%!$&'()*+,;=:".contains(c);
    if !host.chars().all(host_char) || host.starts_with('.') || host.contains("..") {
        return Some("its host name is malformed");
    }
    if port.is_some_and(|p| !p.bytes().all(|b| b.is_ascii_digit()) || p.len() > 5) {
        return Some("its port is not a number");
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn malformed_urls_are_told_from_valid_ones() {
        for url in [
            "https:/x",
            "https://exa\u{85}mple.com",
            "http://",
            "https://a b/",
            "https://..example.com",
            "http://example.com:99999999/",
            "mailto:",
            "//",
            "https://example.com/dev%loper",
            "http://[::1",
        ] {
            assert!(malformed_url(url).is_some(), "{url:?}");
        }
        for url in [
            "https://example.com/",
            "http://user@example.com:8080/a?b#c",
            "https://[::1]:80/",
            "https://bücher.example/",
            "//example.com/x",
            "mailto:a@b.c",
            "other.md#part",
            "/slug.html",
            "100%25",
            "",
        ] {
            assert_eq!(malformed_url(url), None, "{url:?}");
        }
    }

    fn index() -> LinkIndex {
        let mut index = LinkIndex::default();
        let ids = |ids: &[&str]| ids.iter().map(|s| s.to_string()).collect();
        index.add(
            "python-community",
            &["python-community", "01-community"],
            Path::new("/c/pages/01-intro/01-community.markdown"),
            ids(&["meetups", "conferences"]),
        );
        index.add(
            "django",
            &["django", "02-django"],
            Path::new("/c/pages/02-web/02-django.md"),
            ids(&["resources"]),
        );
        index
    }

    fn internal(url: &str) -> Resolved {
        Resolved::Internal {
            url: url.to_string(),
            missing_fragment: None,
        }
    }

    #[test]
    fn every_link_form_resolves_to_the_target_chapter() {
        let index = index();
        for url in [
            "/django.html",
            "django.html",
            "02-django.md",
            "../02-web/02-django.md",
            "/django",
            "/blog/django.html",
            "django.html?x=1",
        ] {
            assert_eq!(
                index.resolve(0, url, None),
                internal("bindery:django"),
                "{url}"
            );
        }
        assert_eq!(
            index.resolve(1, "../01-intro/01-community.markdown#meetups", None),
            internal("bindery:python-community#meetups")
        );
        assert_eq!(
            index.resolve(0, "/django.html#resources", None),
            internal("bindery:django#resources")
        );
        assert_eq!(
            index.resolve(0, "#conferences", None),
            internal("bindery:python-community#conferences")
        );
    }

    #[test]
    fn missing_fragments_point_at_the_chapter_and_are_reported() {
        assert_eq!(
            index().resolve(0, "django.html#nowhere", None),
            Resolved::Internal {
                url: "bindery:django".into(),
                missing_fragment: Some("nowhere".into())
            }
        );
    }

    #[test]
    fn outside_links_join_the_site_url_or_become_text() {
        let index = index();
        assert_eq!(index.resolve(0, "/flask.html", None), Resolved::Outside);
        assert_eq!(index.resolve(0, "other.md#x", None), Resolved::Outside);
        assert_eq!(index.resolve(0, "/report.pdf", None), Resolved::Outside);
        let site = Some("https://example.com/");
        assert_eq!(
            index.resolve(0, "/flask.html#intro", site),
            Resolved::External("https://example.com/flask.html#intro".into())
        );
        assert_eq!(
            index.resolve(0, "../flask.html?a=b", site),
            Resolved::External("https://example.com/flask.html?a=b".into())
        );
        assert_eq!(
            index.resolve(0, "https://example.com/django.html", site),
            internal("bindery:django")
        );
    }

    #[test]
    fn external_and_special_links_are_kept() {
        let index = index();
        for url in [
            "https://python.org/",
            "mailto:a@b.c",
            "//cdn.example/x",
            "",
            "bindery:django",
        ] {
            assert_eq!(index.resolve(0, url, None), Resolved::Keep, "{url}");
        }
    }
}
