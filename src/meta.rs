//! Document metadata: typed where bindery knows the meaning, kept as text otherwise.
//!
//! Values are never silently retyped: `sortorder: 0106` stays the text `0106` (it is compared as a
//! number only when sorting), and a date stays exactly what the file says.

use std::cmp::Ordering;

/// Metadata of one document (or of a book).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Meta {
    /// `title`.
    pub title: Option<String>,
    /// `subtitle`.
    pub subtitle: Option<String>,
    /// `author` (one name) or `authors` (a comma-separated list, or a YAML list).
    pub authors: Vec<String>,
    /// `date`, as written.
    pub date: Option<String>,
    /// `modified`, as written.
    pub modified: Option<String>,
    /// `lang`, a BCP 47 tag such as `en` or `pt-BR`.
    pub lang: Option<String>,
    /// `dir`: the text's base direction (`ltr` or `rtl`; `auto` or absent: from `lang`).
    pub dir: Option<Direction>,
    /// `slug`: the page's URL name (`python-community`).
    pub slug: Option<String>,
    /// `category`.
    pub category: Option<String>,
    /// `tags` (comma-separated, or a YAML list).
    pub tags: Vec<String>,
    /// `summary`, `description` or `meta`: one sentence describing the page.
    pub description: Option<String>,
    /// `sortorder`, as written (`0106`); see [`compare_sort_keys`].
    pub sortorder: Option<String>,
    /// `toc`: whether to show a table of contents.
    pub toc: Option<bool>,
    /// `cover` or `headerimage`: an image path.
    pub cover: Option<String>,
    /// `headeralt`: alt text of the header image.
    pub header_alt: Option<String>,
    /// `sidebartitle`: a short title for navigation.
    pub sidebar_title: Option<String>,
    /// `publisher`.
    pub publisher: Option<String>,
    /// `rights` (copyright line).
    pub rights: Option<String>,
    /// `identifier` (an ISBN, URN or URL identifying the publication).
    pub identifier: Option<String>,
    /// Every other key, in source order, with its original text.
    pub extra: Vec<(String, String)>,
}

/// The base direction of a document's text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Direction {
    /// Left to right.
    Ltr,
    /// Right to left (Arabic, Hebrew, Persian, Urdu...).
    Rtl,
}

/// Whether the language `tag` (BCP 47) is written right to left: by its script subtag when it
/// has one (`az-Arab`, `ku-Latn`), else by the language's usual script.
pub fn language_is_rtl(tag: &str) -> bool {
    let mut subtags = tag.split(['-', '_']);
    let language = subtags.next().unwrap_or("").to_ascii_lowercase();
    if let Some(script) =
        subtags.find(|s| s.len() == 4 && s.bytes().all(|b| b.is_ascii_alphabetic()))
    {
        let script = script.to_ascii_lowercase();
        return matches!(
            script.as_str(),
            "arab" | "hebr" | "syrc" | "thaa" | "nkoo" | "adlm" | "rohg" | "samr" | "mand"
        );
    }
    matches!(
        language.as_str(),
        "ar" | "he"
            | "iw"
            | "fa"
            | "ur"
            | "yi"
            | "ps"
            | "sd"
            | "ug"
            | "dv"
            | "ckb"
            | "syr"
            | "arc"
            | "ji"
            | "prs"
            | "pnb"
            | "azb"
            | "lrc"
            | "mzn"
            | "glk"
            | "bal"
            | "ks"
    )
}

/// Whether `tag` is a well-formed BCP 47 language tag (RFC 5646 syntax: `en`, `pt-BR`,
/// `zh-Hant-TW`, `sr-Latn`, `x-private`): what `xml:lang` and `dc:language` accept. The subtags
/// are not checked against the registry.
pub fn is_language_tag(tag: &str) -> bool {
    let mut subtags = tag.split('-');
    let first = subtags.next().unwrap_or("");
    let alpha = |s: &str| s.bytes().all(|b| b.is_ascii_alphabetic());
    let alnum =
        |s: &str| !s.is_empty() && s.len() <= 8 && s.bytes().all(|b| b.is_ascii_alphanumeric());
    let rest: Vec<&str> = subtags.collect();
    let first_ok = match first.len() {
        // Private use (`x-...`) and grandfathered irregular (`i-...`) tags.
        1 => matches!(first, "x" | "X" | "i" | "I") && !rest.is_empty(),
        2..=8 => alpha(first),
        _ => false,
    };
    first_ok && rest.iter().all(|s| alnum(s))
}

/// The keys [`Meta::set`] understands, for help texts and docs.
pub const KNOWN_KEYS: &[&str] = &[
    "title",
    "subtitle",
    "author",
    "authors",
    "date",
    "modified",
    "lang",
    "dir",
    "slug",
    "category",
    "tags",
    "summary",
    "description",
    "meta",
    "sortorder",
    "toc",
    "cover",
    "headerimage",
    "headeralt",
    "sidebartitle",
    "publisher",
    "rights",
    "identifier",
];

impl Meta {
    /// Sets `key` (case-insensitive) from its text value. A list-valued key given as one text is
    /// split at commas. Returns a message when the value cannot be used as the key's type (the
    /// value is then ignored, and the caller reports it as a warning).
    pub fn set(&mut self, key: &str, value: &str) -> Result<(), String> {
        self.set_keyed(key, value, true)
    }

    /// [`Meta::set`] for a reader that sets each key once (it keeps only the last of duplicate
    /// keys): an unknown key is appended without looking for an earlier one, so a header of
    /// 100,000 unknown keys is read in linear time.
    pub fn set_unique(&mut self, key: &str, value: &str) -> Result<(), String> {
        self.set_keyed(key, value, false)
    }

    fn set_keyed(&mut self, key: &str, value: &str, replace_extra: bool) -> Result<(), String> {
        let value = value.trim();
        // An empty value is the same as no value: no empty title, subject or slug reaches a
        // writer, and the fallbacks for a missing key apply.
        let text = || (!value.is_empty()).then(|| value.to_string());
        match key.to_ascii_lowercase().as_str() {
            "title" => self.title = text(),
            "subtitle" => self.subtitle = text(),
            "author" => self.authors = text().into_iter().collect(),
            "authors" => self.authors = split_list(value),
            "date" => self.date = text(),
            "modified" => self.modified = text(),
            "lang" | "language" => {
                if !value.is_empty() && !is_language_tag(value) {
                    return Err(format!(
                        "`{key}` must be a BCP 47 language tag such as `en` or `pt-BR`, not \
                         `{value}`; the value is ignored"
                    ));
                }
                self.lang = text()
            }
            "dir" => {
                self.dir = match value.to_ascii_lowercase().as_str() {
                    "ltr" => Some(Direction::Ltr),
                    "rtl" => Some(Direction::Rtl),
                    "" | "auto" => None,
                    _ => {
                        return Err(format!(
                            "`dir` must be `ltr`, `rtl` or `auto`, not `{value}`; the value is \
                             ignored"
                        ));
                    }
                }
            }
            "slug" => self.slug = text(),
            "category" => self.category = text(),
            "tags" | "keywords" => self.tags = split_list(value),
            "summary" | "description" | "meta" => self.description = text(),
            "sortorder" => self.sortorder = text(),
            "toc" => {
                self.toc = Some(parse_bool(value).ok_or_else(|| {
                    format!("`toc` must be true or false, not `{value}`; the value is ignored")
                })?)
            }
            "cover" | "headerimage" => self.cover = text(),
            "headeralt" => self.header_alt = text(),
            "sidebartitle" => self.sidebar_title = text(),
            "publisher" => self.publisher = text(),
            "rights" | "copyright" => self.rights = text(),
            "identifier" | "isbn" => self.identifier = text(),
            _ => {
                if replace_extra {
                    self.extra.retain(|(k, _)| !k.eq_ignore_ascii_case(key));
                }
                self.extra.push((key.to_string(), value.to_string()));
            }
        }
        Ok(())
    }

    /// Sets a list-valued key from separate items (a YAML sequence).
    pub fn set_list(&mut self, key: &str, items: Vec<String>) -> Result<(), String> {
        let items: Vec<String> = items
            .into_iter()
            .map(|item| item.trim().to_string())
            .filter(|item| !item.is_empty())
            .collect();
        match key.to_ascii_lowercase().as_str() {
            "author" | "authors" => self.authors = items,
            "tags" | "keywords" => self.tags = items,
            _ => return self.set(key, &items.join(", ")),
        }
        Ok(())
    }

    /// Copies every field that `other` sets over this one (used for `--metadata` overrides and
    /// book-level defaults).
    pub fn overlay(&mut self, other: &Meta) {
        macro_rules! take {
            ($($field:ident),*) => {$(
                if other.$field.is_some() { self.$field = other.$field.clone(); }
            )*};
        }
        take!(
            title,
            subtitle,
            date,
            modified,
            lang,
            dir,
            slug,
            category,
            description,
            sortorder,
            toc,
            cover,
            header_alt,
            sidebar_title,
            publisher,
            rights,
            identifier
        );
        if !other.authors.is_empty() {
            self.authors = other.authors.clone();
        }
        if !other.tags.is_empty() {
            self.tags = other.tags.clone();
        }
        for (key, value) in &other.extra {
            self.extra.retain(|(k, _)| k != key);
            self.extra.push((key.clone(), value.clone()));
        }
    }

    /// The language, defaulting to English (never taken from the machine's locale).
    pub fn lang_or_default(&self) -> &str {
        // A tag set around `set` (a configuration file) is checked here too: a writer never
        // gets a language a format forbids.
        self.lang
            .as_deref()
            .filter(|lang| is_language_tag(lang))
            .unwrap_or("en")
    }

    /// The base direction the metadata gives: `dir`, else that of `lang`; `None` when it
    /// sets neither.
    pub fn direction(&self) -> Option<Direction> {
        self.dir.or_else(|| {
            self.lang.as_deref().map(|lang| {
                if language_is_rtl(lang) {
                    Direction::Rtl
                } else {
                    Direction::Ltr
                }
            })
        })
    }

    /// Looks up an unknown key's text.
    pub fn extra(&self, key: &str) -> Option<&str> {
        self.extra
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(key))
            .map(|(_, v)| v.as_str())
    }
}

fn split_list(value: &str) -> Vec<String> {
    value
        .split([',', ';'])
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(String::from)
        .collect()
}

/// Parses the boolean spellings found in front matter (`True`, `false`, `yes`, `off`, `1`).
pub fn parse_bool(value: &str) -> Option<bool> {
    match value.trim().to_ascii_lowercase().as_str() {
        "true" | "yes" | "on" | "1" | "y" => Some(true),
        "false" | "no" | "off" | "0" | "n" => Some(false),
        _ => None,
    }
}

/// Compares two sort keys: numerically when both are numbers (`0106` < `0200`), as text
/// otherwise; a missing key sorts after every present one.
pub fn compare_sort_keys(a: Option<&str>, b: Option<&str>) -> Ordering {
    match (a, b) {
        (Some(a), Some(b)) => match (a.trim().parse::<f64>(), b.trim().parse::<f64>()) {
            (Ok(x), Ok(y)) => x.partial_cmp(&y).unwrap_or(Ordering::Equal),
            _ => a.cmp(b),
        },
        (Some(_), None) => Ordering::Less,
        (None, Some(_)) => Ordering::Greater,
        (None, None) => Ordering::Equal,
    }
}

/// Natural ordering of paths or names: digit runs compare as numbers (`2-x` before `10-x`).
pub fn natural_cmp(a: &str, b: &str) -> Ordering {
    let (mut a, mut b) = (a.as_bytes(), b.as_bytes());
    loop {
        match (a.first(), b.first()) {
            (None, None) => return Ordering::Equal,
            (None, Some(_)) => return Ordering::Less,
            (Some(_), None) => return Ordering::Greater,
            (Some(x), Some(y)) if x.is_ascii_digit() && y.is_ascii_digit() => {
                let da = a.iter().take_while(|c| c.is_ascii_digit()).count();
                let db = b.iter().take_while(|c| c.is_ascii_digit()).count();
                let (na, nb) = (trim_zeros(&a[..da]), trim_zeros(&b[..db]));
                let ord = na.len().cmp(&nb.len()).then_with(|| na.cmp(nb));
                if ord != Ordering::Equal {
                    return ord;
                }
                a = &a[da..];
                b = &b[db..];
            }
            (Some(x), Some(y)) => {
                if x != y {
                    return x.cmp(y);
                }
                a = &a[1..];
                b = &b[1..];
            }
        }
    }
}

fn trim_zeros(digits: &[u8]) -> &[u8] {
    let zeros = digits.iter().take_while(|&&c| c == b'0').count();
    &digits[zeros..]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn direction_from_dir_else_from_the_language() {
        let mut meta = Meta::default();
        assert_eq!(meta.direction(), None);
        for (lang, rtl) in [
            ("ar", true),
            ("he-IL", true),
            ("fa", true),
            ("ur", true),
            ("az-Arab", true),
            ("ku-Latn", false),
            ("en", false),
            ("hi", false),
        ] {
            meta.set("lang", lang).unwrap();
            let want = if rtl { Direction::Rtl } else { Direction::Ltr };
            assert_eq!(meta.direction(), Some(want), "{lang}");
        }
        meta.set("dir", "RTL").unwrap();
        assert_eq!(meta.direction(), Some(Direction::Rtl));
        meta.set("lang", "he").unwrap();
        meta.set("dir", "ltr").unwrap();
        assert_eq!(meta.direction(), Some(Direction::Ltr));
        meta.set("dir", "auto").unwrap();
        assert_eq!(meta.direction(), Some(Direction::Rtl));
        let err = meta.set("dir", "sideways").unwrap_err();
        assert!(err.contains("`ltr`, `rtl` or `auto`"), "{err}");
        assert!(meta.extra.is_empty());
    }

    #[test]
    fn language_tags_follow_bcp_47_syntax() {
        for tag in [
            "en",
            "pt-BR",
            "zh-Hant-TW",
            "sr-Latn",
            "x-private",
            "i-klingon",
            "de-CH-1996",
        ] {
            assert!(is_language_tag(tag), "{tag}");
        }
        for tag in [
            "",
            "en, fr",
            "en_US",
            "x",
            "123",
            "en-",
            "-en",
            "en--us",
            "a-",
            "toolongtag",
        ] {
            assert!(!is_language_tag(tag), "{tag}");
        }
        let mut meta = Meta::default();
        assert!(meta.set("lang", "en, fr").is_err());
        assert_eq!(meta.lang, None);
        meta.set("title", " ").unwrap();
        assert_eq!(meta.title, None);
    }

    #[test]
    fn sortorder_keeps_its_text_and_sorts_numerically() {
        let mut meta = Meta::default();
        meta.set("sortorder", "0106").unwrap();
        assert_eq!(meta.sortorder.as_deref(), Some("0106"));
        assert_eq!(
            compare_sort_keys(Some("0106"), Some("99")),
            Ordering::Greater
        );
        assert_eq!(compare_sort_keys(Some("b"), Some("a")), Ordering::Greater);
        assert_eq!(compare_sort_keys(Some("1"), None), Ordering::Less);
    }

    #[test]
    fn toc_false_is_boolean_and_garbage_is_reported() {
        let mut meta = Meta::default();
        meta.set("toc", "False").unwrap();
        assert_eq!(meta.toc, Some(false));
        assert!(meta.set("toc", "maybe").is_err());
        assert_eq!(meta.toc, Some(false));
    }

    #[test]
    fn unknown_keys_keep_their_text_and_authors_split() {
        let mut meta = Meta::default();
        meta.set("Weird-Key", " 007 ").unwrap();
        meta.set("authors", "Ada Lovelace, Alan Turing").unwrap();
        meta.set("meta", "A page.").unwrap();
        assert_eq!(meta.extra("weird-key"), Some("007"));
        assert_eq!(meta.authors, ["Ada Lovelace", "Alan Turing"]);
        assert_eq!(meta.description.as_deref(), Some("A page."));
    }

    #[test]
    fn natural_order_compares_digit_runs_as_numbers() {
        assert_eq!(natural_cmp("2-x", "10-x"), Ordering::Less);
        assert_eq!(natural_cmp("a/02-b", "a/2-c"), Ordering::Less);
        assert_eq!(natural_cmp("abc", "abd"), Ordering::Less);
        assert_eq!(natural_cmp("x10", "x9"), Ordering::Greater);
    }
}
