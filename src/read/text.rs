//! The plain-text reader: recovers a document's structure from its layout alone.
//!
//! Plain text has no markup, so every structure below is a heuristic. Each rule is stated here
//! and has a small test of its own in this module (the test names follow the rules).
//!
//! 1. **Header.** A file that opens with Pelican-style `key: value` lines that include `title`
//!    (every line of the first block is `key: value` or an indented continuation) has a header,
//!    read by [`frontmatter::parse`]. Anything else at the top is text. YAML `---` blocks are not
//!    looked for: such files are detected as Markdown.
//! 2. **Title.** Without a header title, the first block is the title (`meta.title`, never also a
//!    heading block) when it is a single line of at most 120 characters that is not a list item
//!    and does not end in `,`, `;` or `:`, or a setext heading. With a header title, a first
//!    line that repeats the title is dropped. Otherwise there is no title and
//!    [`super::read_str`] falls back to the file name.
//! 3. **Blocks and paragraphs.** Blank (whitespace-only) lines separate blocks. The lines of a
//!    paragraph are trimmed and joined with one space, except that a word hyphenated at a line
//!    end (`well-` / `known`) is joined without the space. Typography is kept as written.
//! 4. **Rules.** A line of three or more of the same `-`, `=`, `*`, `_`, `~` or `#` (spaces
//!    allowed between them) is a thematic break, unless it underlines a line (rule 5).
//! 5. **Setext headings.** A line directly underlined with `===` or `---` (no spaces, 3 or more,
//!    indented less than 4) is a heading; an identical overline (`===` above and below) is part
//!    of it. The document title is level 1 and lives in the metadata, so body headings start at
//!    2: `===` gives level 2 and `---` level 3.
//! 6. **Chapter lines.** `CHAPTER I`, `Chapter 3`, `PART ONE`, `Book IV.`, `Act 2: Title` (the
//!    keywords chapter, part, book, volume, section, act, capitalised or in capitals, then an
//!    arabic, roman or spelled-out number, then nothing or punctuation and a title) alone in
//!    their block are level-2 headings at any indentation (centred chapter lines are common).
//!    A short title line under them, in the same block or as the next block when that is a
//!    short-line heading candidate (rule 9), joins the heading: `CHAPTER I: Down the Hole`.
//! 7. **Lists.** `N.` or `N)` (up to 9 digits) followed by a space starts an ordered item, at
//!    any indentation; `•`, `-`, `*` and `–` followed by a space start a bullet item (the glyphs
//!    `•`, `◦`, `▪`, `‣` need no space). The list's `start` is its first number. An item marker
//!    that follows a line ending in `:` or a lone short heading-like line in the same block
//!    starts the list there. Deeper indentation opens a nested list; shallower closes lists back
//!    to that indentation; a different marker kind at the same level starts a new list.
//!    Ordered markers whose `.`/`)` line up (` 9.` over `10.`) are the same level. Non-marker
//!    lines in the same block continue the deepest open item (hard-wrapped text). After a blank
//!    line, a block indented at least to an open item's text column continues that item (as a
//!    paragraph, or as preformatted text when indented 4 more); anything less ends the list.
//!    A blank line between items, or before a continuation block, makes that list loose.
//!    Nesting stops at `MAX_NESTING / 2` lists (each list level is a list and an item); deeper
//!    items join the deepest list.
//! 8. **Preformatted text.** A block whose lines are all indented by 4 or more columns (tabs
//!    stop every 4) and that is not a list is a code block without a language, de-indented by
//!    its common indentation, each line ending in `\n`. Following such blocks merge into it,
//!    with their blank lines kept.
//! 9. **Short-line headings.** A block is a *heading candidate* when it is one line of at most 80
//!    characters, indented less than 4, not a list item, containing a letter whose first letter
//!    is not lower case, and not ending (before closing quotes or brackets) in `.`, `,`, `;`,
//!    `:` or `…`. A candidate is a level-2 heading when
//!    - the next block is body text: a list, preformatted text or a paragraph that is not itself
//!      a candidate or a chapter line (so a closing line such as a signature is no heading, nor
//!      is the first of two stacked short lines), and
//!    - the section it would close is not *thin*: when the previous heading in the body was
//!      followed only by short one-line paragraphs, the candidate belongs to that run of short
//!      lines (a list of questions or links, a sign-off) rather than opening a new section.
//!      The title's own section is exempt, since subtitles and captions sit there.
//!
//! Everything is linear in the input: each line is looked at a bounded number of times, and
//! lookahead is at most two blocks.

use std::path::Path;

use super::frontmatter;
use crate::diag::Warnings;
use crate::error::Result;
use crate::meta::Meta;
use crate::model::{Block, CodeBlock, Document, Inline, List, ListItem, MAX_NESTING};

/// Longest line (in characters) that can be a short-line heading.
const HEADING_MAX_CHARS: usize = 80;
/// Longest line (in characters) that can be the title or a chapter line.
const TITLE_MAX_CHARS: usize = 120;
/// Indentation (in columns) that makes a block preformatted.
const CODE_INDENT: usize = 4;
/// Tab stops, as in Markdown, so that a tab-indented block is preformatted in both readers.
const TAB_WIDTH: usize = 4;
/// Deepest list nesting: each level costs two containers (the list and its item).
const MAX_LIST_DEPTH: usize = MAX_NESTING / 2;
/// Bullet markers that must be followed by a space (they also occur in running text).
const SPACED_BULLETS: [char; 3] = ['-', '*', '–'];
/// Bullet glyphs that mean nothing else, so they need no space after them.
const GLYPH_BULLETS: [char; 4] = ['•', '◦', '▪', '‣'];
/// Characters that make up thematic breaks.
const RULE_CHARS: [char; 6] = ['-', '=', '*', '_', '~', '#'];
/// Closing quotes and brackets looked through when checking how a line ends.
const CLOSERS: [char; 8] = ['"', '\'', '”', '’', ')', ']', '»', '›'];
/// Keywords of chapter lines (rule 6).
const CHAPTER_WORDS: [&str; 6] = ["chapter", "part", "book", "volume", "section", "act"];
/// Spelled-out chapter numbers.
const NUMBER_WORDS: [&str; 32] = [
    "one",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "eleven",
    "twelve",
    "thirteen",
    "fourteen",
    "fifteen",
    "sixteen",
    "seventeen",
    "eighteen",
    "nineteen",
    "twenty",
    "first",
    "second",
    "third",
    "fourth",
    "fifth",
    "sixth",
    "seventh",
    "eighth",
    "ninth",
    "tenth",
    "eleventh",
    "twelfth",
];

/// Reads a plain-text document, recovering structure from its layout (see the module docs for
/// the rules). Heading ids are left empty for [`super::read_str`] to assign.
pub fn read(text: &str, path: &Path, warnings: &mut Warnings) -> Result<Document> {
    let (mut meta, body) = header(text, path, warnings)?;
    let chunks = split_chunks(body);
    let mut reader = Reader {
        chunks: &chunks,
        blocks: Vec::new(),
        body_section: false,
        section_blocks: 0,
        section_substantial: false,
    };
    let start = reader.take_title(&mut meta);
    reader.run(start);
    Ok(Document {
        meta,
        blocks: reader.blocks,
    })
}

/// Rule 1: the header's metadata and the body after it.
fn header<'a>(text: &'a str, path: &Path, warnings: &mut Warnings) -> Result<(Meta, &'a str)> {
    if !opens_with_titled_header(text) {
        return Ok((Meta::default(), text));
    }
    let front = frontmatter::parse(text, path, warnings)?;
    Ok((front.meta, &text[front.body_offset.min(text.len())..]))
}

/// Whether every line of the first block is a header line and one of them sets `title`. This is
/// stricter than Markdown's check on purpose: a plain-text file may well open with
/// `Note: ...` followed by ordinary text, which must stay text rather than become an error.
fn opens_with_titled_header(text: &str) -> bool {
    let mut has_title = false;
    for (number, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            break;
        }
        if number > 0 && line.starts_with([' ', '\t']) {
            continue;
        }
        match frontmatter::split_header_line(line) {
            Some((key, _)) => has_title |= key.eq_ignore_ascii_case("title"),
            None => return false,
        }
    }
    has_title
}

/// One source line.
#[derive(Debug, Clone, Copy)]
struct Line<'a> {
    /// Leading whitespace in columns (tabs expanded).
    indent: usize,
    /// The line without surrounding whitespace.
    text: &'a str,
    /// The line as written, without its line ending.
    raw: &'a str,
}

impl<'a> Line<'a> {
    fn new(raw: &'a str) -> Self {
        let mut indent = 0;
        for byte in raw.bytes() {
            match byte {
                b' ' => indent += 1,
                b'\t' => indent = (indent / TAB_WIDTH + 1) * TAB_WIDTH,
                _ => break,
            }
        }
        Line {
            indent,
            text: raw.trim(),
            raw,
        }
    }
}

/// A unit of layout: lines between blank lines, or a line that stands for a block by itself.
#[derive(Debug)]
enum Chunk<'a> {
    /// Consecutive non-blank lines (never empty).
    Lines {
        lines: Vec<Line<'a>>,
        /// How many blank lines precede them (0 when split off without one).
        blank_before: usize,
    },
    /// A thematic break made of this character.
    Rule(char),
    /// An underlined heading.
    Setext { text: &'a str, level: u8 },
}

/// Splits the body into chunks: at blank lines, at rules and setext headings (rules 4 and 5),
/// and where a list starts inside a block (rule 7).
fn split_chunks(body: &str) -> Vec<Chunk<'_>> {
    let mut splitter = Splitter::default();
    for raw in body.lines() {
        let line = Line::new(raw);
        if line.text.is_empty() {
            splitter.flush();
            splitter.blanks += 1;
        } else if let Some(c) = rule_char(&line) {
            splitter.rule(line, c);
        } else {
            if let (Some(m), Some(prev)) = (marker(&line), splitter.current.last()) {
                // A label line only introduces a list that starts like one (a bullet, or number
                // 0 or 1), so that wrapped prose such as `It happened in` / `1984. Then...`
                // stays one paragraph.
                let starts_list = matches!(m.kind, MarkerKind::Bullet(_)) || m.number <= 1;
                let introduces = prev.text.ends_with(':')
                    || splitter.current.len() == 1 && starts_list && is_heading_candidate(prev);
                if introduces {
                    splitter.flush();
                }
            }
            splitter.push(line);
        }
    }
    splitter.flush();
    splitter.chunks
}

#[derive(Default)]
struct Splitter<'a> {
    chunks: Vec<Chunk<'a>>,
    current: Vec<Line<'a>>,
    /// Blank lines before `current`.
    current_blanks: usize,
    /// Blank lines since the last non-blank line.
    blanks: usize,
}

impl<'a> Splitter<'a> {
    fn push(&mut self, line: Line<'a>) {
        if self.current.is_empty() {
            self.current_blanks = self.blanks;
        }
        self.current.push(line);
        self.blanks = 0;
    }

    fn flush(&mut self) {
        if !self.current.is_empty() {
            self.chunks.push(Chunk::Lines {
                lines: std::mem::take(&mut self.current),
                blank_before: self.current_blanks,
            });
        }
    }

    /// A rule line: an underline when it directly follows a heading-like line, else a break.
    fn rule(&mut self, line: Line<'a>, c: char) {
        let underline = matches!(c, '=' | '-') && !line.text.contains(char::is_whitespace);
        let underlined = self.current.last().filter(|prev| {
            underline
                && prev.indent < CODE_INDENT
                && marker(prev).is_none()
                && at_most_chars(prev.text, TITLE_MAX_CHARS)
        });
        if let Some(&text_line) = underlined {
            self.current.pop();
            let overlined = self.current.is_empty()
                && self.current_blanks == 0
                && matches!(self.chunks.last(), Some(Chunk::Rule(r)) if *r == c);
            if overlined {
                self.chunks.pop();
            }
            self.flush();
            self.chunks.push(Chunk::Setext {
                text: text_line.text,
                level: if c == '=' { 2 } else { 3 },
            });
        } else {
            self.flush();
            self.chunks.push(Chunk::Rule(c));
        }
        self.blanks = 0;
    }
}

/// Rule 4: the character of a thematic-break line.
fn rule_char(line: &Line) -> Option<char> {
    if line.indent >= CODE_INDENT {
        return None;
    }
    let mut chars = line.text.chars().filter(|c| !c.is_whitespace());
    let first = chars.next().filter(|c| RULE_CHARS.contains(c))?;
    let mut count = 1;
    for c in chars {
        if c != first {
            return None;
        }
        count += 1;
    }
    (count >= 3).then_some(first)
}

/// The kind of a list marker; items of one list share it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum MarkerKind {
    /// `N.` or `N)`, by delimiter.
    Ordered(char),
    /// A bullet, by character.
    Bullet(char),
}

/// A list-item marker and the item text after it.
#[derive(Debug, Clone, Copy)]
struct Marker<'a> {
    kind: MarkerKind,
    number: u64,
    /// Column of the marker.
    indent: usize,
    /// Column just after the marker.
    marker_end: usize,
    /// Column of the item text.
    content_col: usize,
    text: &'a str,
}

/// Rule 7: the list marker that starts `line`, if any.
fn marker<'a>(line: &Line<'a>) -> Option<Marker<'a>> {
    let t = line.text;
    let first = t.chars().next()?;
    let (kind, number, len, needs_space) = if GLYPH_BULLETS.contains(&first) {
        (MarkerKind::Bullet(first), 0, first.len_utf8(), false)
    } else if SPACED_BULLETS.contains(&first) {
        (MarkerKind::Bullet(first), 0, first.len_utf8(), true)
    } else {
        let digits = t.bytes().take_while(u8::is_ascii_digit).count();
        if !(1..=9).contains(&digits) {
            return None;
        }
        let delimiter = match t.as_bytes().get(digits) {
            Some(b'.') => '.',
            Some(b')') => ')',
            _ => return None,
        };
        let number = t[..digits].parse().ok()?;
        (MarkerKind::Ordered(delimiter), number, digits + 1, true)
    };
    let rest = &t[len..];
    if needs_space && !rest.starts_with([' ', '\t']) {
        return None;
    }
    let text = rest.trim_start();
    if text.is_empty() {
        return None;
    }
    // Marker characters are one column each (digits, ASCII punctuation, or one bullet glyph).
    let marker_width = t[..len].chars().count();
    let marker_end = line.indent + marker_width;
    Some(Marker {
        kind,
        number,
        indent: line.indent,
        marker_end,
        content_col: marker_end + (rest.len() - text.len()),
        text,
    })
}

/// Whether `s` has at most `max` characters, without counting past `max`.
fn at_most_chars(s: &str, max: usize) -> bool {
    s.chars().nth(max).is_none()
}

/// Whether a line ends like a sentence or clause (rule 9).
fn ends_like_sentence(text: &str) -> bool {
    text.trim_end_matches(CLOSERS)
        .ends_with(['.', ',', ';', ':', '…'])
}

/// Whether the first letter is present and not lower case.
fn starts_like_heading(text: &str) -> bool {
    text.chars()
        .find(|c| c.is_alphabetic())
        .is_some_and(|c| !c.is_lowercase())
}

/// Rule 9: a line that may be a heading, depending on its neighbours.
fn is_heading_candidate(line: &Line) -> bool {
    line.indent < CODE_INDENT
        && at_most_chars(line.text, HEADING_MAX_CHARS)
        && starts_like_heading(line.text)
        && !ends_like_sentence(line.text)
        && marker(line).is_none()
}

/// Rule 2: a line that can be the title.
fn is_title_line(line: &Line) -> bool {
    at_most_chars(line.text, TITLE_MAX_CHARS)
        && line.text.contains(char::is_alphabetic)
        && !line.text.ends_with([',', ';', ':'])
        && marker(line).is_none()
}

/// Rule 6: whether `text` is a chapter line.
fn is_chapter_line(text: &str) -> bool {
    if !at_most_chars(text, TITLE_MAX_CHARS) {
        return false;
    }
    let mut words = text.split_whitespace();
    let (Some(keyword), Some(number)) = (words.next(), words.next()) else {
        return false;
    };
    let capitalised = keyword.chars().skip(1).all(|c| c.is_ascii_lowercase())
        && keyword.starts_with(|c: char| c.is_ascii_uppercase());
    let keyword_ok = (capitalised || keyword.chars().all(|c| c.is_ascii_uppercase()))
        && CHAPTER_WORDS
            .iter()
            .any(|w| w.eq_ignore_ascii_case(keyword));
    let core = number.trim_end_matches(['.', ':']);
    let punctuated = core.len() < number.len();
    let number_ok = is_arabic_number(core)
        || is_roman_number(core)
        || NUMBER_WORDS.iter().any(|w| w.eq_ignore_ascii_case(core));
    // After the number comes nothing, or a title set off by punctuation ("Part I of" is prose).
    let rest_ok = match words.next() {
        None => true,
        Some(word) => punctuated || matches!(word, "—" | "–" | "-" | ":" | "."),
    };
    keyword_ok && number_ok && rest_ok
}

/// `3`, `12`, `3.2`.
fn is_arabic_number(s: &str) -> bool {
    s.len() <= 10
        && s.starts_with(|c: char| c.is_ascii_digit())
        && s.chars().all(|c| c.is_ascii_digit() || c == '.')
}

/// A canonical roman numeral (`IV`, not `IIII`), all in one case.
fn is_roman_number(s: &str) -> bool {
    if s.is_empty() || s.len() > 15 {
        return false;
    }
    let upper = s.to_ascii_uppercase();
    if s != upper && s != s.to_ascii_lowercase() {
        return false;
    }
    let mut total: i64 = 0;
    let mut largest = 0;
    for c in upper.chars().rev() {
        let value = match c {
            'I' => 1,
            'V' => 5,
            'X' => 10,
            'L' => 50,
            'C' => 100,
            'D' => 500,
            'M' => 1000,
            _ => return false,
        };
        if value < largest {
            total -= value;
        } else {
            total += value;
            largest = value;
        }
    }
    (1..4000).contains(&total) && to_roman(total as u32) == upper
}

fn to_roman(mut n: u32) -> String {
    const DIGITS: [(u32, &str); 13] = [
        (1000, "M"),
        (900, "CM"),
        (500, "D"),
        (400, "CD"),
        (100, "C"),
        (90, "XC"),
        (50, "L"),
        (40, "XL"),
        (10, "X"),
        (9, "IX"),
        (5, "V"),
        (4, "IV"),
        (1, "I"),
    ];
    let mut out = String::new();
    for (value, digits) in DIGITS {
        while n >= value {
            out.push_str(digits);
            n -= value;
        }
    }
    out
}

/// The heading text of a chapter block (rule 6): a chapter line alone, or followed by a title line.
fn chapter_heading(lines: &[Line]) -> Option<String> {
    match lines {
        [line] if is_chapter_line(line.text) => Some(line.text.to_string()),
        [line, title] if is_chapter_line(line.text) && is_chapter_title(title) => {
            Some(join_chapter_title(line.text, title.text))
        }
        _ => None,
    }
}

/// Whether a line can be the title under a chapter line.
fn is_chapter_title(line: &Line) -> bool {
    at_most_chars(line.text, HEADING_MAX_CHARS)
        && line.text.contains(char::is_alphabetic)
        && !line.text.ends_with([',', ';', ':'])
        && marker(line).is_none()
}

/// `CHAPTER I.` + `Down the Hole` keeps the source's punctuation; without any, a colon.
fn join_chapter_title(chapter: &str, title: &str) -> String {
    if chapter.ends_with(['.', ':', '—', '–', '-']) {
        format!("{chapter} {title}")
    } else {
        format!("{chapter}: {title}")
    }
}

/// Rule 3: paragraph lines joined into running text.
fn join_lines<'a>(lines: impl IntoIterator<Item = &'a str>) -> String {
    let mut out = String::new();
    for line in lines {
        if !out.is_empty() && !continues_hyphenated_word(&out, line) {
            out.push(' ');
        }
        out.push_str(line);
    }
    out
}

/// `well-` at a line end followed by `known`: one hyphenated word, no space.
fn continues_hyphenated_word(before: &str, next: &str) -> bool {
    let mut tail = before.chars().rev();
    tail.next() == Some('-')
        && tail.next().is_some_and(char::is_alphabetic)
        && next.chars().next().is_some_and(char::is_lowercase)
}

fn paragraph(text: String) -> Block {
    Block::Paragraph(vec![Inline::Text(text)])
}

fn min_indent(lines: &[Line]) -> usize {
    lines.iter().map(|l| l.indent).min().unwrap_or(0)
}

/// `raw` without its first `cols` columns of indentation (a tab straddling the cut leaves
/// spaces for its remaining columns) and without trailing whitespace.
fn deindent(raw: &str, cols: usize) -> String {
    let mut col = 0;
    for (index, c) in raw.char_indices() {
        if col >= cols {
            return raw[index..].trim_end().to_string();
        }
        match c {
            ' ' => col += 1,
            '\t' => {
                let next = (col / TAB_WIDTH + 1) * TAB_WIDTH;
                if next > cols {
                    let mut out = " ".repeat(next - cols);
                    out.push_str(raw[index + 1..].trim_end());
                    return out;
                }
                col = next;
            }
            _ => return raw[index..].trim_end().to_string(),
        }
    }
    String::new()
}

/// Rule 8: a code block from chunk `i` and the following chunks indented at least `min`
/// columns (that do not start a list). Returns the block and the index after it.
fn code_block(chunks: &[Chunk], i: usize, min: usize) -> (CodeBlock, usize) {
    let mut end = i + 1;
    while let Some(Chunk::Lines { lines, .. }) = chunks.get(end) {
        if min_indent(lines) < min || marker(&lines[0]).is_some() {
            break;
        }
        end += 1;
    }
    let parts: Vec<(usize, &[Line])> = chunks[i..end]
        .iter()
        .filter_map(|chunk| match chunk {
            Chunk::Lines {
                lines,
                blank_before,
            } => Some((*blank_before, lines.as_slice())),
            _ => None,
        })
        .collect();
    let common = parts
        .iter()
        .map(|(_, lines)| min_indent(lines))
        .min()
        .unwrap_or(0);
    let mut text = String::new();
    for (n, (blanks, lines)) in parts.iter().enumerate() {
        if n > 0 {
            text.extend(std::iter::repeat_n('\n', *blanks));
        }
        for line in *lines {
            text.push_str(&deindent(line.raw, common));
            text.push('\n');
        }
    }
    let block = CodeBlock {
        language: None,
        text,
        highlighted: Vec::new(),
        highlight: Default::default(),
    };
    (block, end)
}

/// Builds the body from the chunks.
struct Reader<'c, 'a> {
    chunks: &'c [Chunk<'a>],
    blocks: Vec<Block>,
    /// Whether the current section was opened by a heading in the body (rule 9).
    body_section: bool,
    /// Blocks in the current section.
    section_blocks: usize,
    /// Whether the current section holds more than short one-line paragraphs.
    section_substantial: bool,
}

impl Reader<'_, '_> {
    /// Rule 2. Returns the index of the first body chunk.
    fn take_title(&self, meta: &mut Meta) -> usize {
        let first = match self.chunks.first() {
            Some(Chunk::Setext { text, .. }) => *text,
            Some(Chunk::Lines { lines, .. }) if lines.len() == 1 && is_title_line(&lines[0]) => {
                lines[0].text
            }
            _ => return 0,
        };
        match &meta.title {
            None => {
                meta.title = Some(first.to_string());
                1
            }
            Some(title) if title.trim() == first => 1,
            Some(_) => 0,
        }
    }

    fn run(&mut self, mut i: usize) {
        let chunks = self.chunks;
        while i < chunks.len() {
            i = match &chunks[i] {
                Chunk::Rule(_) => {
                    // A break neither opens nor fills a section.
                    self.blocks.push(Block::ThematicBreak);
                    i + 1
                }
                Chunk::Setext { text, level } => {
                    self.heading(*level, text.to_string());
                    i + 1
                }
                Chunk::Lines { lines, .. } => self.lines_chunk(i, lines),
            };
        }
    }

    fn lines_chunk(&mut self, i: usize, lines: &[Line]) -> usize {
        let first = &lines[0];
        if let Some(text) = chapter_heading(lines) {
            return self.chapter(i, text, lines.len() == 1);
        }
        if marker(first).is_some() {
            return self.list(i);
        }
        if min_indent(lines) >= CODE_INDENT {
            let (code, next) = code_block(self.chunks, i, CODE_INDENT);
            self.emit(Block::CodeBlock(code), false);
            return next;
        }
        if lines.len() == 1
            && is_heading_candidate(first)
            && !self.section_is_thin()
            && self.followed_by_body(i)
        {
            self.heading(2, first.text.to_string());
            return i + 1;
        }
        let short = lines.len() == 1 && at_most_chars(first.text, HEADING_MAX_CHARS);
        self.emit(paragraph(join_lines(lines.iter().map(|l| l.text))), !short);
        i + 1
    }

    /// Rule 6: a chapter heading, taking the next block as its title when that is a lone
    /// heading-like line followed by body text.
    fn chapter(&mut self, i: usize, mut text: String, untitled: bool) -> usize {
        if let Some(Chunk::Lines { lines, .. }) = self.chunks.get(i + 1)
            && let [title] = lines.as_slice()
            && untitled
            && is_heading_candidate(title)
            && !is_chapter_line(title.text)
            && self.followed_by_body(i + 1)
        {
            text = join_chapter_title(&text, title.text);
            self.heading(2, text);
            return i + 2;
        }
        self.heading(2, text);
        i + 1
    }

    /// Rule 9's first condition: chunk `i + 1` is body text.
    fn followed_by_body(&self, i: usize) -> bool {
        match self.chunks.get(i + 1) {
            Some(Chunk::Lines { lines, .. }) => {
                let first = &lines[0];
                if chapter_heading(lines).is_some() {
                    false
                } else if marker(first).is_some() || min_indent(lines) >= CODE_INDENT {
                    true
                } else {
                    !(lines.len() == 1 && is_heading_candidate(first))
                }
            }
            _ => false,
        }
    }

    /// Rule 9's second condition.
    fn section_is_thin(&self) -> bool {
        self.body_section && self.section_blocks > 0 && !self.section_substantial
    }

    fn heading(&mut self, level: u8, text: String) {
        self.blocks.push(Block::Heading {
            level,
            id: String::new(),
            classes: Vec::new(),
            content: vec![Inline::Text(text)],
        });
        self.body_section = true;
        self.section_blocks = 0;
        self.section_substantial = false;
    }

    /// Adds a body block; `substantial` is false only for a short one-line paragraph.
    fn emit(&mut self, block: Block, substantial: bool) {
        self.blocks.push(block);
        self.section_blocks += 1;
        self.section_substantial |= substantial;
    }

    /// Rule 7: the list region starting at chunk `i` (whose first line is an item).
    fn list(&mut self, i: usize) -> usize {
        let chunks = self.chunks;
        let mut builder = ListBuilder::default();
        let mut ci = i;
        while let Some(Chunk::Lines {
            lines,
            blank_before,
        }) = chunks.get(ci)
        {
            let mut blank = ci > i && *blank_before > 0;
            let mut rest = lines.as_slice();
            if ci > i {
                if chapter_heading(lines).is_some() {
                    break;
                }
                let first = &lines[0];
                if marker(first).is_none() {
                    // A continuation block belongs to the deepest item whose text column it
                    // reaches; one that reaches none ends the lists.
                    let Some(k) = builder
                        .stack
                        .iter()
                        .rposition(|level| first.indent >= level.content_col)
                    else {
                        break;
                    };
                    builder.close_above(k);
                    let level = &mut builder.stack[k];
                    level.flush();
                    level.loose |= blank;
                    blank = false;
                    let code_col = level.content_col + CODE_INDENT;
                    if min_indent(lines) >= code_col {
                        let (code, next) = code_block(chunks, ci, code_col);
                        level.push_block(Block::CodeBlock(code));
                        ci = next;
                        continue;
                    }
                    level.pending.push(first.text);
                    rest = &lines[1..];
                }
            }
            for line in rest {
                match marker(line) {
                    Some(m) => builder.item(m, blank),
                    None => builder.continuation(line.text),
                }
                blank = false;
            }
            ci += 1;
        }
        while !builder.stack.is_empty() {
            builder.close_top();
        }
        for list in builder.done {
            self.emit(list, true);
        }
        ci
    }
}

/// An open list while its region is read.
struct Level<'a> {
    kind: MarkerKind,
    indent: usize,
    marker_end: usize,
    content_col: usize,
    start: Option<u64>,
    loose: bool,
    /// Never empty.
    items: Vec<ListItem>,
    /// Text lines of the last item's current paragraph.
    pending: Vec<&'a str>,
}

impl<'a> Level<'a> {
    fn new(m: &Marker<'a>) -> Self {
        Level {
            kind: m.kind,
            indent: m.indent,
            marker_end: m.marker_end,
            content_col: m.content_col,
            start: matches!(m.kind, MarkerKind::Ordered(_)).then_some(m.number),
            loose: false,
            items: vec![ListItem::default()],
            pending: vec![m.text],
        }
    }

    /// Whether `m` is an item of this list's level (same indentation, or ordered markers
    /// whose delimiters line up).
    fn same_level(&self, m: &Marker) -> bool {
        self.indent == m.indent
            || matches!(
                (self.kind, m.kind),
                (MarkerKind::Ordered(_), MarkerKind::Ordered(_))
            ) && self.marker_end == m.marker_end
    }

    fn flush(&mut self) {
        if !self.pending.is_empty() {
            let text = join_lines(self.pending.drain(..));
            self.push_block(paragraph(text));
        }
    }

    fn push_block(&mut self, block: Block) {
        if let Some(item) = self.items.last_mut() {
            item.blocks.push(block);
        }
    }

    fn add_item(&mut self, m: &Marker<'a>, blank: bool) {
        self.flush();
        self.loose |= blank;
        self.items.push(ListItem::default());
        self.pending.push(m.text);
    }
}

/// The stack of open lists in a list region.
#[derive(Default)]
struct ListBuilder<'a> {
    stack: Vec<Level<'a>>,
    /// Finished top-level lists, in order.
    done: Vec<Block>,
}

impl<'a> ListBuilder<'a> {
    fn close_top(&mut self) {
        let Some(mut level) = self.stack.pop() else {
            return;
        };
        level.flush();
        let list = Block::List(List {
            start: level.start,
            tight: !level.loose,
            items: level.items,
        });
        match self.stack.last_mut() {
            Some(parent) => parent.push_block(list),
            None => self.done.push(list),
        }
    }

    /// Closes every list above level `k`.
    fn close_above(&mut self, k: usize) {
        while self.stack.len() > k + 1 {
            self.close_top();
        }
    }

    fn item(&mut self, m: Marker<'a>, blank: bool) {
        while let Some(top) = self.stack.last() {
            if top.same_level(&m) || top.indent < m.indent {
                break;
            }
            self.close_top();
        }
        let depth = self.stack.len();
        let Some(top) = self.stack.last_mut() else {
            self.stack.push(Level::new(&m));
            return;
        };
        if top.same_level(&m) && top.kind != m.kind {
            // Another kind of marker at the same level: a new list next to this one.
            self.close_top();
            self.stack.push(Level::new(&m));
        } else if top.same_level(&m) || depth >= MAX_LIST_DEPTH {
            top.add_item(&m, blank);
        } else {
            top.flush();
            top.loose |= blank;
            self.stack.push(Level::new(&m));
        }
    }

    /// A wrapped line: it continues the deepest open item.
    fn continuation(&mut self, text: &'a str) {
        if let Some(top) = self.stack.last_mut() {
            top.pending.push(text);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::plain_text;

    fn doc(text: &str) -> Document {
        read(text, Path::new("test.txt"), &mut Vec::new()).unwrap()
    }

    fn body(text: &str) -> Vec<Block> {
        doc(text).blocks
    }

    fn para(text: &str) -> Block {
        paragraph(text.to_string())
    }

    fn heading(level: u8, text: &str) -> Block {
        Block::Heading {
            level,
            id: String::new(),
            classes: Vec::new(),
            content: vec![Inline::Text(text.to_string())],
        }
    }

    fn list(blocks: &[Block], index: usize) -> &List {
        match &blocks[index] {
            Block::List(list) => list,
            other => panic!("block {index} is not a list: {other:?}"),
        }
    }

    fn item_texts(list: &List) -> Vec<String> {
        list.items
            .iter()
            .map(|item| match &item.blocks[0] {
                Block::Paragraph(content) => plain_text(content),
                other => panic!("item starts with {other:?}"),
            })
            .collect()
    }

    fn headings(blocks: &[Block]) -> Vec<(u8, String)> {
        blocks
            .iter()
            .filter_map(|b| match b {
                Block::Heading { level, content, .. } => Some((*level, plain_text(content))),
                _ => None,
            })
            .collect()
    }

    fn list_depth(blocks: &[Block]) -> usize {
        blocks
            .iter()
            .map(|b| match b {
                Block::List(list) => {
                    1 + list
                        .items
                        .iter()
                        .map(|item| list_depth(&item.blocks))
                        .max()
                        .unwrap_or(0)
                }
                _ => 0,
            })
            .max()
            .unwrap_or(0)
    }

    #[test]
    fn first_line_is_the_title_not_a_heading() {
        let d = doc("My Title\n\nSome text here.\n");
        assert_eq!(d.meta.title.as_deref(), Some("My Title"));
        assert_eq!(d.blocks, vec![para("Some text here.")]);
    }

    #[test]
    fn no_title_when_the_first_block_is_a_paragraph_or_list() {
        assert_eq!(doc("One line\nand another.\n").meta.title, None);
        assert_eq!(doc("- a\n- b\n").meta.title, None);
        assert_eq!(doc("Dear all,\n\nHello.\n").meta.title, None);
    }

    #[test]
    fn header_title_wins_and_a_repeated_first_line_is_dropped() {
        let d = doc("title: From Header\nauthor: Ann\n\nFrom Header\n\nText.\n");
        assert_eq!(d.meta.title.as_deref(), Some("From Header"));
        assert_eq!(d.meta.authors, vec!["Ann".to_string()]);
        assert_eq!(d.blocks, vec![para("Text.")]);
        let d = doc("title: From Header\n\nOther Line\n\nText that follows it.\n");
        assert_eq!(d.meta.title.as_deref(), Some("From Header"));
        assert_eq!(d.blocks[0], heading(2, "Other Line"));
    }

    #[test]
    fn key_value_first_line_without_title_is_text() {
        let d = doc("Note: this is not a header\nbut a paragraph.\n");
        assert_eq!(d.meta.title, None);
        assert_eq!(
            d.blocks,
            vec![para("Note: this is not a header but a paragraph.")]
        );
    }

    #[test]
    fn wrapped_lines_join_with_one_space_and_hyphenated_words_rejoin() {
        let blocks = body("T\n\n  A well-\n  known fact,\nhard   wrapped.\n\nNext — one.\n");
        assert_eq!(
            blocks,
            vec![
                para("A well-known fact, hard   wrapped."),
                para("Next — one.")
            ]
        );
    }

    #[test]
    fn short_line_followed_by_body_is_a_heading() {
        let blocks = body("T\n\nWhy it matters?\n\nBecause. It does.\n");
        assert_eq!(blocks[0], heading(2, "Why it matters?"));
        let blocks = body("T\n\nIngredients\n\n- eggs\n- milk\n");
        assert_eq!(blocks[0], heading(2, "Ingredients"));
    }

    #[test]
    fn sentence_like_lines_are_not_headings() {
        for line in [
            "Python logo.",
            "Trailing comma,",
            "A list follows:",
            "He said “stop.”",
            "lower case start",
            "1984",
        ] {
            let blocks = body(&format!("T\n\n{line}\n\nBody text follows here.\n"));
            assert_eq!(blocks[0], para(line), "{line}");
        }
        let long = "A".repeat(81);
        assert_eq!(body(&format!("T\n\n{long}\n\nBody.\n"))[0], para(&long));
    }

    #[test]
    fn heading_needs_body_text_after_it() {
        // Last line (a sign-off) and the first of two stacked short lines are paragraphs.
        let blocks = body("T\n\nLong enough body text.\n\nFirst Line\n\nSecond Line\n\nBody.\n");
        assert_eq!(blocks[1], para("First Line"));
        assert_eq!(blocks[2], heading(2, "Second Line"));
        let blocks = body("T\n\nBody text.\n\nMatt Makai 2012-2022\n");
        assert_eq!(blocks[1], para("Matt Makai 2012-2022"));
    }

    #[test]
    fn thin_section_keeps_short_lines_together() {
        let text = "T\n\nQuestions\n\nThe first answer is here.\n\nWhat is next?\n\nIt ends.\n";
        let blocks = body(text);
        assert_eq!(blocks[0], heading(2, "Questions"));
        assert_eq!(blocks[2], para("What is next?"));
        // A section with a long or wrapped paragraph is not thin.
        let text = "T\n\nQuestions\n\nThe first answer\nis here.\n\nWhat is next?\n\nIt ends.\n";
        assert_eq!(body(text)[2], heading(2, "What is next?"));
        // The title's section is exempt: captions and subtitles sit there.
        let blocks = body("T\n\nA caption.\n\nFirst Section\n\nText.\n");
        assert_eq!(blocks[1], heading(2, "First Section"));
    }

    #[test]
    fn setext_headings_map_below_the_title() {
        let d = doc("Title\n=====\n\nText.\n\nPart\n====\nBody.\n\nSub\n---\n\nMore.\n");
        assert_eq!(d.meta.title.as_deref(), Some("Title"));
        assert_eq!(
            d.blocks,
            vec![
                para("Text."),
                heading(2, "Part"),
                para("Body."),
                heading(3, "Sub"),
                para("More."),
            ]
        );
        let d = doc("=====\nOver\n=====\n\nText.\n");
        assert_eq!(d.meta.title.as_deref(), Some("Over"));
        assert_eq!(d.blocks, vec![para("Text.")]);
    }

    #[test]
    fn rule_lines_are_thematic_breaks() {
        let blocks = body("T\n\nOne.\n\n* * *\n\nTwo.\n- - -\n\n#####\n");
        assert_eq!(
            blocks,
            vec![
                para("One."),
                Block::ThematicBreak,
                para("Two."),
                Block::ThematicBreak,
                Block::ThematicBreak,
            ]
        );
    }

    #[test]
    fn chapter_lines_are_level_two_headings() {
        let text = "Book\n\nCHAPTER I\n\nText.\n\n      Chapter 3.\n\nPART ONE\n\nEnd.\n";
        assert_eq!(
            headings(&body(text)),
            vec![
                (2, "CHAPTER I".to_string()),
                (2, "Chapter 3.".to_string()),
                (2, "PART ONE".to_string()),
            ]
        );
        for prose in [
            "Part I of the plan",
            "CHAPTER IIII",
            "chapter 3",
            "Book Club",
        ] {
            assert!(!is_chapter_line(prose), "{prose}");
        }
        assert!(is_chapter_line("Act 2: The Storm"));
        assert!(is_chapter_line("BOOK IV. The Return"));
    }

    #[test]
    fn chapter_line_takes_the_title_under_it() {
        let blocks = body("Book\n\nCHAPTER I\nDown the Hole\n\nText.\n");
        assert_eq!(blocks[0], heading(2, "CHAPTER I: Down the Hole"));
        let blocks = body("Book\n\nCHAPTER I.\n\nDown the Hole\n\nAlice was tired.\n");
        assert_eq!(
            blocks,
            vec![
                heading(2, "CHAPTER I. Down the Hole"),
                para("Alice was tired.")
            ]
        );
    }

    #[test]
    fn ordered_items_with_both_delimiters_and_start() {
        let blocks = body("T\n\n3. three\n4. four\n\n1) one\n2) two\n");
        let first = list(&blocks, 0);
        assert_eq!(first.start, Some(3));
        assert_eq!(item_texts(first), vec!["three", "four"]);
        let second = list(&blocks, 1);
        assert_eq!(second.start, Some(1));
        assert!(second.tight);
        assert_eq!(item_texts(second), vec!["one", "two"]);
        // Not markers: decimals, a number alone, a long number.
        let blocks = body("T\n\n1.5 million\n\n2.\n\n1234567890. x\n");
        assert!(blocks.iter().all(|b| matches!(b, Block::Paragraph(_))));
    }

    #[test]
    fn every_bullet_marker_makes_a_bullet_list() {
        for bullet in ["•", "-", "*", "–", "◦"] {
            let blocks = body(&format!("T\n\n{bullet} a\n{bullet} b\n"));
            let l = list(&blocks, 0);
            assert_eq!(l.start, None, "{bullet}");
            assert_eq!(item_texts(l), vec!["a", "b"], "{bullet}");
        }
        assert_eq!(item_texts(list(&body("T\n\n•glued\n"), 0)), vec!["glued"]);
        assert!(matches!(body("T\n\n-5 degrees\n")[0], Block::Paragraph(_)));
    }

    #[test]
    fn blank_lines_between_items_make_a_loose_list() {
        let blocks = body("T\n\n  • one\n\n  • two\n");
        let l = list(&blocks, 0);
        assert!(!l.tight);
        assert_eq!(item_texts(l), vec!["one", "two"]);
        assert!(list(&body("T\n\n- one\n- two\n"), 0).tight);
    }

    #[test]
    fn different_markers_start_a_new_list() {
        let blocks = body("T\n\n1. a\n2. b\n- c\n");
        assert_eq!(blocks.len(), 2);
        assert_eq!(list(&blocks, 0).start, Some(1));
        assert_eq!(list(&blocks, 1).start, None);
    }

    #[test]
    fn deeper_indentation_nests() {
        let blocks = body("T\n\n- a\n  - b\n    1. c\n  - d\n- e\n");
        let outer = list(&blocks, 0);
        assert_eq!(item_texts(outer), vec!["a", "e"]);
        let inner = list(&outer.items[0].blocks, 1);
        assert_eq!(item_texts(inner), vec!["b", "d"]);
        let innermost = list(&inner.items[0].blocks, 1);
        assert_eq!(innermost.start, Some(1));
        assert_eq!(item_texts(innermost), vec!["c"]);
    }

    #[test]
    fn right_aligned_numbers_stay_in_one_list() {
        let text = format!(
            "T\n\n{}10. ten\n11. eleven\n",
            (1..10).map(|n| format!(" {n}. n\n")).collect::<String>()
        );
        let blocks = body(&text);
        assert_eq!(blocks.len(), 1);
        assert_eq!(list(&blocks, 0).items.len(), 11);
    }

    #[test]
    fn wrapped_item_lines_join_the_item() {
        let blocks = body("T\n\n1. first item that\n   wraps\n2. second\nlazily wrapped\n");
        assert_eq!(
            item_texts(list(&blocks, 0)),
            vec!["first item that wraps", "second lazily wrapped"]
        );
    }

    #[test]
    fn indented_blocks_after_blank_lines_continue_items() {
        let text =
            "T\n\n1. Run this:\n\n       cargo build\n\n   It builds.\n\n2. Done.\n\nAfter.\n";
        let blocks = body(text);
        let l = list(&blocks, 0);
        assert!(!l.tight);
        assert_eq!(l.items.len(), 2);
        assert_eq!(
            l.items[0].blocks,
            vec![
                para("Run this:"),
                Block::CodeBlock(CodeBlock {
                    language: None,
                    text: "cargo build\n".to_string(),
                    highlighted: Vec::new(),
                    ..Default::default()
                }),
                para("It builds."),
            ]
        );
        assert_eq!(blocks[1], para("After."));
    }

    #[test]
    fn list_may_start_after_a_colon_or_a_label_line() {
        let blocks = body("T\n\nThere are two kinds:\n1. one\n2. two\n\nShopping\n- eggs\n");
        assert_eq!(blocks[0], para("There are two kinds:"));
        assert_eq!(item_texts(list(&blocks, 1)), vec!["one", "two"]);
        assert_eq!(blocks[2], heading(2, "Shopping"));
        assert_eq!(item_texts(list(&blocks, 3)), vec!["eggs"]);
        // Mid-paragraph, a line that looks like a marker is wrapped text.
        let blocks = body("T\n\nIt happened in\n1984. Then more.\n");
        assert_eq!(blocks, vec![para("It happened in 1984. Then more.")]);
    }

    #[test]
    fn indented_block_is_preformatted_and_deindented() {
        let text = "T\n\nCode:\n\n    fn main() {\n    \tprintln!();   \n    }\n\n\n      // more\n\nAfter.\n";
        let blocks = body(text);
        assert_eq!(
            blocks[1],
            Block::CodeBlock(CodeBlock {
                language: None,
                text: "fn main() {\n\tprintln!();\n}\n\n\n  // more\n".to_string(),
                highlighted: Vec::new(),
                ..Default::default()
            })
        );
        assert_eq!(blocks[2], para("After."));
        // Indented lists are lists; a first-line indent alone is a paragraph.
        assert!(matches!(body("T\n\n    1. item\n")[0], Block::List(_)));
        assert!(matches!(
            body("T\n\n    Indented start\nof a paragraph.\n")[0],
            Block::Paragraph(_)
        ));
        let tabbed = body("T\n\n\tx\n");
        assert!(matches!(&tabbed[0], Block::CodeBlock(c) if c.text == "x\n"));
    }

    #[test]
    fn reads_python_community_seed() {
        let d = doc(include_str!("../../input/python-community-plaintext.txt"));
        assert_eq!(d.meta.title.as_deref(), Some("Python Community"));
        let expected_headings = [
            "Who drives the Python community?",
            "What is a PEP and why do they matter?",
            "Conferences and events",
            "Python community resources",
            "What else do you want to learn about the Python ecosystem?",
        ];
        assert_eq!(
            headings(&d.blocks),
            expected_headings
                .iter()
                .map(|h| (2, h.to_string()))
                .collect::<Vec<_>>()
        );
        let lists: Vec<&List> = d
            .blocks
            .iter()
            .filter_map(|b| match b {
                Block::List(l) => Some(l),
                _ => None,
            })
            .collect();
        assert_eq!(lists.len(), 3);
        assert_eq!((lists[0].start, lists[0].items.len()), (Some(1), 5));
        assert_eq!((lists[1].start, lists[1].items.len()), (Some(1), 3));
        assert_eq!((lists[2].start, lists[2].items.len()), (None, 6));
        assert!(lists[0].tight && lists[1].tight && !lists[2].tight);
        assert_eq!(item_texts(lists[0])[4], "Contributing Members and Fellows");
        assert!(d.blocks.contains(&para("Python logo.")));
        assert_eq!(d.blocks.last(), Some(&para("Matt Makai 2012-2022")));
        let last_heading = d
            .blocks
            .iter()
            .position(|b| *b == heading(2, expected_headings[4]))
            .unwrap();
        assert_eq!(
            d.blocks[last_heading + 1..],
            [
                para("I want to learn how to code a Python web application using a framework."),
                para("I've built a Python web app, now how do I deploy it?"),
                para("Show me a list of the best Python learning resources."),
                para("Matt Makai 2012-2022"),
            ]
        );
    }

    #[test]
    fn reads_plain_text_sample() {
        let d = doc(include_str!("../../input/plain-text-sample.txt"));
        assert_eq!(d.meta.title.as_deref(), Some("A Field Guide to Plain Text"));
        assert_eq!(
            headings(&d.blocks),
            vec![
                (2, "Getting started".to_string()),
                (3, "What you can write".to_string()),
                (2, "CHAPTER II".to_string()),
                (2, "Short headings work too".to_string()),
            ]
        );
        let lists: Vec<&List> = d
            .blocks
            .iter()
            .filter_map(|b| match b {
                Block::List(l) => Some(l),
                _ => None,
            })
            .collect();
        assert_eq!(lists.len(), 2);
        let steps = lists[0];
        assert_eq!(steps.start, Some(1));
        assert_eq!(
            item_texts(steps)[1],
            "Unpack it into a folder of your choice; long steps may wrap onto a second line."
        );
        assert_eq!(item_texts(list(&steps.items[2].blocks, 1)).len(), 2);
        let bullets = lists[1];
        assert_eq!(bullets.start, None);
        assert_eq!(bullets.items.len(), 3);
        assert_eq!(
            item_texts(list(&bullets.items[1].blocks, 1)),
            vec!["nested by indentation", "with any of the usual markers"]
        );
        assert!(d.blocks.iter().any(|b| matches!(
            b,
            Block::CodeBlock(c) if c.text == "$ bindery --version\nbindery 0.1.0\n"
        )));
        assert_eq!(d.blocks.last(), Some(&para("Written with care, 2024")));
    }

    #[test]
    fn sample_is_detected_as_plain_text() {
        for text in [
            include_str!("../../input/plain-text-sample.txt"),
            include_str!("../../input/python-community-plaintext.txt"),
        ] {
            assert_eq!(
                super::super::detect_format(Path::new("x.txt"), text),
                super::super::InputFormat::Text
            );
        }
    }

    #[test]
    fn deep_indentation_is_capped() {
        let text: String = (0..10_000)
            .map(|n| format!("{}- x\n", " ".repeat(n)))
            .collect();
        let blocks = body(&format!("T\n\n{text}"));
        assert_eq!(list_depth(&blocks), MAX_LIST_DEPTH);
        let text = format!("T\n\n{}deep\n", " ".repeat(10_000));
        assert!(matches!(&body(&text)[0], Block::CodeBlock(c) if c.text == "deep\n"));
    }

    #[test]
    fn huge_inputs_are_read_in_linear_time() {
        let start = std::time::Instant::now();
        let line = "word ".repeat(10_000_000);
        assert_eq!(body(&format!("T\n\n{line}\n")).len(), 1);
        let many: String = (0..1_000_000).map(|n| format!("line {n}\n")).collect();
        assert_eq!(body(&format!("T\n\n{many}")).len(), 1);
        let items: String = "- item\n".repeat(300_000);
        assert_eq!(
            list(&body(&format!("T\n\n{items}")), 0).items.len(),
            300_000
        );
        assert!(start.elapsed().as_secs() < 60);
    }

    proptest::proptest! {
        #[test]
        fn never_panics(text in "[ \t\n\r\\-*=#•–:.)1aAICHPTER ]{0,300}") {
            let _ = read(&text, Path::new("x.txt"), &mut Vec::new());
        }
    }
}
