//! Bidirectional text (UAX #9, by `unicode-bidi`): embedding levels of a paragraph's
//! characters, resolved before line breaking, and the visual order of a line's pieces,
//! computed after it (rule L2). Pieces keep their logical text, so extraction and the
//! structure tree read in logical order while the page shows visual order.

use unicode_bidi::{BidiInfo, Direction, Level};

/// True when `c` can make text right-to-left: a strong right-to-left letter, an Arabic digit,
/// or an explicit directional control. Text without any is left to right throughout.
fn may_be_rtl(c: char) -> bool {
    matches!(
        u32::from(c),
        0x0590..=0x08FF
            | 0xFB1D..=0xFDFF
            | 0xFE70..=0xFEFF
            | 0x10800..=0x10FFF
            | 0x1E800..=0x1EFFF
            | 0x200F
            | 0x202B
            | 0x202E
            | 0x2067
    )
}

/// The embedding level of every byte of `text`, one paragraph whose base direction comes
/// from its first strong character, or is right to left when it has none and `rtl_default`
/// (the document's direction) says so; `None` when everything is left to right at level 0
/// (the common case, decided without running the algorithm).
pub fn levels(text: &str, rtl_default: bool) -> Option<Vec<u8>> {
    let base = match first_strong(text) {
        Some(Direction::Rtl) => Level::rtl(),
        None if rtl_default => Level::rtl(),
        _ => Level::ltr(),
    };
    if base.is_ltr() && !text.chars().any(may_be_rtl) {
        return None;
    }
    let info = BidiInfo::new(text, Some(base));
    let mut levels: Vec<u8> = info.levels.iter().map(|l| l.number()).collect();
    // Rule L1: whitespace before a paragraph separator or at the end takes the paragraph
    // level (here: the level of the paragraph the text starts with).
    if let Some(para) = info.paragraphs.first() {
        let base = para.level.number();
        for (i, c) in text.char_indices().rev() {
            if !c.is_whitespace() {
                break;
            }
            levels[i..i + c.len_utf8()].fill(base);
        }
    }
    Some(levels)
}

/// The direction of the first strong character of `text` (rules P2, P3), `None` when it has
/// none.
fn first_strong(text: &str) -> Option<Direction> {
    match unicode_bidi::get_base_direction_full(text) {
        Direction::Mixed => None,
        direction => Some(direction),
    }
}

/// Whether `blocks` are right to left (`Some(true)`), by their first strong character;
/// `None` when they have none. Lists and block quotes take it to hang from the right edge.
pub fn blocks_rtl(blocks: &[crate::model::Block]) -> Option<bool> {
    let mut found = None;
    crate::model::for_each_text_run(blocks, &mut |text| {
        if found.is_none() {
            found = first_strong(text);
        }
    });
    found.map(|d| d == Direction::Rtl)
}

/// Whether the inline lists (a table's cells) are right to left, by their first strong
/// character; `None` when they have none.
pub fn inlines_rtl<'a>(
    lists: impl IntoIterator<Item = &'a [crate::model::Inline]>,
) -> Option<bool> {
    lists
        .into_iter()
        .find_map(|inlines| first_strong(&crate::model::plain_text(inlines)))
        .map(|d| d == Direction::Rtl)
}

/// The order in which to draw pieces of the given levels, left to right (rule L2: from the
/// highest level down to the lowest odd one, reverse every run at that level or above).
pub fn visual_order(levels: &[u8]) -> Vec<usize> {
    let mut order: Vec<usize> = (0..levels.len()).collect();
    let (Some(&max), Some(&min)) = (levels.iter().max(), levels.iter().min()) else {
        return order;
    };
    let lowest_odd = if min % 2 == 1 { min } else { min + 1 };
    let mut level = max;
    while level >= lowest_odd && level > 0 {
        let mut i = 0;
        while i < order.len() {
            if levels[order[i]] >= level {
                let start = i;
                while i < order.len() && levels[order[i]] >= level {
                    i += 1;
                }
                order[start..i].reverse();
            } else {
                i += 1;
            }
        }
        level -= 1;
    }
    order
}

/// The text of a right-to-left glyph run as text extraction expects it: a glyph that shows
/// several characters (the lam-alef ligature, a letter with its vowel marks) is read as if
/// its characters ran left to right across it, and the line is then reversed, so they are
/// given in visual order. `clusters` are the byte offsets where the glyphs' clusters start.
pub fn extraction_text(text: &str, clusters: impl Iterator<Item = usize>) -> String {
    let mut starts: Vec<usize> = clusters.filter(|&c| c < text.len()).collect();
    starts.push(0);
    starts.push(text.len());
    starts.sort_unstable();
    starts.dedup();
    starts
        .windows(2)
        .map(|w| text.get(w[0]..w[1]).unwrap_or_default())
        .flat_map(|cluster| cluster.chars().rev())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn latin_needs_no_algorithm() {
        assert_eq!(levels("Plain English, 2024.", false), None);
        assert_eq!(levels("Plain English, 2024.", true), None);
        assert_eq!(levels("2024 - 2025", false), None);
    }

    #[test]
    fn hebrew_with_latin_and_numbers() {
        let text = "שלום world 123 עולם";
        let levels = levels(text, false).unwrap();
        let at = |s: &str| levels[text.find(s).unwrap()];
        assert_eq!(at("שלום"), 1);
        assert_eq!(at("world"), 2);
        assert_eq!(at("123"), 2);
        assert_eq!(at("עולם"), 1);
    }

    #[test]
    fn english_paragraph_keeps_hebrew_word_reversed_in_place() {
        let text = "an עברית word";
        let levels = levels(text, false).unwrap();
        assert_eq!(levels[0], 0);
        assert_eq!(levels[text.find('ע').unwrap()], 1);
    }

    #[test]
    fn ligature_text_is_given_in_visual_order() {
        // "الطلاب": the lam-alef (bytes 6..10) is one glyph; the others one letter each.
        let word = "الطلاب";
        let text = extraction_text(word, [10, 6, 4, 2, 0].into_iter());
        assert_eq!(&text[..6], &word[..6]);
        assert_eq!(&text[6..10], "ال");
        assert_eq!(&text[10..], &word[10..]);
        assert_eq!(extraction_text("abc", [0, 1, 2].into_iter()), "abc");
    }

    #[test]
    fn text_without_strong_characters_takes_the_documents_direction() {
        let text = "2024 - 2025";
        let levels = levels(text, true).unwrap();
        // Numbers at level 2 in a right-to-left paragraph; the space between them at 1.
        assert_eq!(levels[0], 2);
        assert_eq!(levels[4], 1);
        // A strong character decides, whatever the document's direction.
        assert_eq!(super::levels("Hello 2024", true), None);
        assert_eq!(super::levels("שלום 2024", false).unwrap()[0], 1);
    }

    #[test]
    fn visual_order_reverses_right_to_left_runs() {
        // Pieces: R R L L R (levels 1 1 2 2 1) in a right-to-left paragraph.
        assert_eq!(visual_order(&[1, 1, 2, 2, 1]), [4, 2, 3, 1, 0]);
        // An English paragraph with two Hebrew words in the middle.
        assert_eq!(visual_order(&[0, 1, 1, 0]), [0, 2, 1, 3]);
        assert_eq!(visual_order(&[0, 0]), [0, 1]);
        assert_eq!(visual_order(&[]), Vec::<usize>::new());
    }
}
