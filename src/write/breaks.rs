//! Line-break opportunities inside a word (text without spaces) for scripts written without
//! spaces: UAX #14 (`unicode-linebreak`) next to wide characters (CJK ideographs, kana,
//! Hangul, full-width forms). Its rules keep closing brackets and `。` off the start of a line
//! and opening brackets off its end (kinsoku). Elsewhere, words break at spaces only (the PDF
//! adds hyphenation and URL breaks of its own), so Latin text is set as before.

use unicode_linebreak::{BreakOpportunity, linebreaks};
use unicode_width::UnicodeWidthChar;

/// True for characters set on a square grid without spaces (display width 2).
pub fn is_wide(c: char) -> bool {
    c.width() == Some(2)
}

/// Byte offsets strictly inside `word` where a line may break.
pub fn inside_word(word: &str) -> Vec<usize> {
    if !word.chars().any(is_wide) {
        return Vec::new();
    }
    linebreaks(word)
        .filter(|&(at, opportunity)| {
            at < word.len()
                && opportunity == BreakOpportunity::Allowed
                && (word[..at].chars().next_back().is_some_and(is_wide)
                    || word[at..].chars().next().is_some_and(is_wide))
        })
        .map(|(at, _)| at)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ideographs_break_but_not_before_closing_punctuation() {
        let text = "漢字「かな」です。";
        let cuts = inside_word(text);
        let starts: Vec<char> = cuts
            .iter()
            .map(|&i| text[i..].chars().next().unwrap())
            .collect();
        assert!(starts.contains(&'字'), "{starts:?}");
        for c in ['。', '」'] {
            assert!(
                !starts.contains(&c),
                "a line would start with {c}: {starts:?}"
            );
        }
        // A line never ends with an opening bracket.
        assert!(cuts.iter().all(|&i| !text[..i].ends_with('「')));
        assert!(inside_word("https://example.com/a/b").is_empty());
        assert!(inside_word("naïve").is_empty());
    }
}
