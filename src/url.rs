//! Facts about URLs as written in documents: whether one has a scheme, points off the machine,
//! would run code, and how its `%XX` escapes decode. Shared by the book module, the sanitizer
//! and the writers.

/// True for `http:`, `mailto:`, `data:` and other URLs with a scheme (but not `C:\` paths,
/// which have a one-letter "scheme").
pub fn has_scheme(url: &str) -> bool {
    match url.find(':') {
        Some(i) if i > 1 => {
            let scheme = &url[..i];
            scheme.starts_with(|c: char| c.is_ascii_alphabetic())
                && scheme
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
        }
        _ => false,
    }
}

/// True for `http://`, `https://` and protocol-relative `//host/` URLs.
pub fn is_remote(url: &str) -> bool {
    let lower = url.get(..8).unwrap_or(url).to_ascii_lowercase();
    lower.starts_with("http://") || lower.starts_with("https://") || url.starts_with("//")
}

/// Decodes `%XX` escapes (invalid escapes and invalid UTF-8 are kept as written).
pub fn percent_decode(text: &str) -> String {
    if !text.contains('%') {
        return text.to_string();
    }
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%'
            && i + 2 < bytes.len()
            && let (Some(h), Some(l)) = (hex(bytes[i + 1]), hex(bytes[i + 2]))
        {
            out.push(h * 16 + l);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).unwrap_or_else(|_| text.to_string())
}

fn hex(b: u8) -> Option<u8> {
    (b as char).to_digit(16).map(|d| d as u8)
}

/// True for URLs a reading system can follow outside the book.
pub fn is_absolute_url(url: &str) -> bool {
    has_scheme(url) && {
        let scheme = url.split(':').next().unwrap_or("").to_ascii_lowercase();
        matches!(scheme.as_str(), "http" | "https" | "mailto" | "ftp" | "tel")
    }
}

/// Whether a URL would run code or embed a document when followed: `javascript:`, `vbscript:`,
/// and `data:` (allowed for images only when `image` is set and it is an image type). Browsers
/// ignore leading whitespace and control characters and the case of the scheme, and so does
/// this check.
pub fn is_active_url(url: &str, image: bool) -> bool {
    let url: String = url
        .trim_start_matches(|c: char| c.is_whitespace() || c.is_control())
        .chars()
        .filter(|c| !matches!(c, '\t' | '\n' | '\r'))
        .take(32)
        .collect::<String>()
        .to_ascii_lowercase();
    if url.starts_with("javascript:") || url.starts_with("vbscript:") {
        return true;
    }
    if let Some(rest) = url.strip_prefix("data:") {
        return !(image && rest.starts_with("image/") && !rest.starts_with("image/svg"));
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn active_urls_are_recognised_however_disguised() {
        for url in [
            "javascript:alert(1)",
            "  JavaScript:x",
            "\u{1}javascript:x",
            "java\tscript:x",
            "vbscript:x",
            "data:text/html,x",
        ] {
            assert!(is_active_url(url, false), "{url:?}");
        }
        assert!(is_active_url("data:image/svg+xml,<svg/>", true));
        assert!(!is_active_url("data:image/png;base64,AAAA", true));
        assert!(is_active_url("data:image/png;base64,AAAA", false));
        assert!(!is_active_url("https://example.com/javascript:", false));
        assert!(!is_active_url("page.html#javascript", false));
    }
}
