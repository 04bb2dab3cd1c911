//! Hyphenation by language: TeX patterns compiled into tries by `hypher` (every language it
//! knows is embedded, about a megabyte), chosen by the document's `lang`.

use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;

/// Hyphenation patterns of one language, with the words already hyphenated (a book repeats
/// its words; the patterns cost more than a lookup).
#[derive(Debug, Clone)]
pub struct Hyphenator {
    lang: hypher::Lang,
    seen: RefCell<HashMap<Box<str>, Rc<[usize]>, xxhash_rust::xxh3::Xxh3DefaultBuilder>>,
}

impl Hyphenator {
    /// The patterns for a BCP 47 tag (`de`, `pt-BR`); `None` for languages without patterns,
    /// which includes Chinese, Japanese and Korean (never hyphenated).
    pub fn for_language(tag: &str) -> Option<Self> {
        let primary = tag.split(['-', '_']).next().unwrap_or_default();
        let code: [u8; 2] = primary.to_ascii_lowercase().as_bytes().try_into().ok()?;
        hypher::Lang::from_iso(code).map(|lang| Hyphenator {
            lang,
            seen: RefCell::default(),
        })
    }

    /// Byte offsets inside `word` (letters only, no punctuation) where it may be hyphenated,
    /// with the language's minimum number of letters on each side.
    pub fn breaks(&self, word: &str) -> Rc<[usize]> {
        if let Some(known) = self.seen.borrow().get(word) {
            return known.clone();
        }
        let mut at = 0;
        let mut syllables = hypher::hyphenate(word, self.lang).peekable();
        let breaks: Rc<[usize]> = std::iter::from_fn(move || {
            let syllable = syllables.next()?;
            at += syllable.len();
            syllables.peek().map(|_| at)
        })
        .collect();
        self.seen.borrow_mut().insert(word.into(), breaks.clone());
        breaks
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn languages_have_their_own_patterns() {
        let en = Hyphenator::for_language("en-US").unwrap();
        assert_eq!(*en.breaks("extensive"), [2, 5]);
        // Asked again, from what was found the first time.
        assert_eq!(*en.breaks("extensive"), [2, 5]);
        let de = Hyphenator::for_language("de").unwrap();
        let word = "Silbentrennung";
        let cuts = de.breaks(word);
        assert!(cuts.contains(&6), "Silben-trennung: {cuts:?}");
        assert!(Hyphenator::for_language("zh-Hans").is_none());
        assert!(Hyphenator::for_language("ja").is_none());
        assert!(Hyphenator::for_language("").is_none());
    }
}
