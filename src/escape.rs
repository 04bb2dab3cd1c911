//! Escaping text, attribute values and URLs for HTML and XHTML: used by the HTML writer, the
//! EPUB writer, the site index, and the HTML reader when it keeps a start tag as raw HTML.

use std::fmt::{self, Write};

/// Which bytes `escape_bytes` replaces: `&`, `<`, `>`, and `"` when `quote` is set.
const fn special_bytes(quote: bool) -> [bool; 256] {
    let mut table = [false; 256];
    table[b'&' as usize] = true;
    table[b'<' as usize] = true;
    table[b'>' as usize] = true;
    table[b'"' as usize] = quote;
    table
}

/// The special bytes of element content.
static TEXT_SPECIAL: [bool; 256] = special_bytes(false);
/// The special bytes of a double-quoted attribute value.
static ATTR_SPECIAL: [bool; 256] = special_bytes(true);

/// Writes `text` with the bytes marked in `special` replaced by their entities. Works on bytes:
/// every special character is ASCII, so the slices stay on character boundaries, and a table
/// lookup per byte is several times faster than decoding characters (escaping was 15% of the
/// HTML path's instructions when it searched a list per byte).
fn escape_bytes(out: &mut impl Write, text: &str, special: &[bool; 256]) -> fmt::Result {
    let bytes = text.as_bytes();
    let mut last = 0;
    for (i, &b) in bytes.iter().enumerate() {
        if !special[usize::from(b)] {
            continue;
        }
        out.write_str(&text[last..i])?;
        out.write_str(match b {
            b'&' => "&amp;",
            b'<' => "&lt;",
            b'>' => "&gt;",
            _ => "&quot;",
        })?;
        last = i + 1;
    }
    out.write_str(&text[last..])
}

/// Escapes text for element content.
pub fn escape_text(out: &mut impl Write, text: &str) -> fmt::Result {
    escape_bytes(out, text, &TEXT_SPECIAL)
}

/// Escapes text for a double-quoted attribute value.
pub fn escape_attr(out: &mut impl Write, text: &str) -> fmt::Result {
    escape_bytes(out, text, &ATTR_SPECIAL)
}

/// Escapes a URL for a double-quoted `href` or `src` attribute.
///
/// The model keeps URLs as written (`/föö`, `my url`, `a\\b`); an attribute needs a valid URL,
/// which may not contain spaces, quotes, backslashes, brackets or non-ASCII characters (EPUB
/// checkers reject them, browsers silently encode them). Those are percent-encoded byte by
/// byte in UTF-8, as CommonMark's reference renderers do; `%` itself is kept, so a URL that is
/// already encoded is not encoded twice, and `&` becomes `&amp;`.
pub fn escape_url(out: &mut impl Write, url: &str) -> fmt::Result {
    /// URL characters that are safe as they are (RFC 3986 unreserved and reserved, minus the
    /// brackets, plus `%`); the same set as cmark's and pulldown-cmark's `escape_href`.
    static SAFE: [bool; 256] = {
        let mut table = [false; 256];
        let mut b = 0;
        while b < 128 {
            table[b] = (b as u8).is_ascii_alphanumeric();
            b += 1;
        }
        let others = b"-_.+!*'(),%#@?=;:/$~";
        let mut i = 0;
        while i < others.len() {
            table[others[i] as usize] = true;
            i += 1;
        }
        table
    };
    // Fast path: most URLs need no escaping at all.
    if url.bytes().all(|b| SAFE[usize::from(b)]) {
        return out.write_str(url);
    }
    let mut last = 0;
    for (i, c) in url.char_indices() {
        if c.is_ascii() && SAFE[c as usize] {
            continue;
        }
        out.write_str(&url[last..i])?;
        if c == '&' {
            out.write_str("&amp;")?;
        } else {
            let mut buf = [0; 4];
            for b in c.encode_utf8(&mut buf).bytes() {
                write!(out, "%{b:02X}")?;
            }
        }
        last = i + c.len_utf8();
    }
    out.write_str(&url[last..])
}
