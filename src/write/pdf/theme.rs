//! The look of the PDF: every size, gap and colour the typesetter uses, as named values in one
//! [`Theme`]. The stages read them from the theme they are given ([`Theme::STANDARD`] today),
//! never from literals of their own, so that a change of look is a change here.
//!
//! Sizes and gaps are in pt; factors (`*_factor`, `*_share`) are relative to the text size or
//! the width they are named after.

use super::options::Margins;

/// An RGB colour, components 0..1.
pub type Rgb = [f32; 3];

/// The colours of the PDF.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Colors {
    /// Body text (not pure black: softer on screen, identical in print).
    pub text: Rgb,
    /// Links.
    pub link: Rgb,
    /// Secondary text: furniture, captions, dot leaders, thematic breaks, the footnote rule.
    pub secondary: Rgb,
    /// Headings.
    pub heading: Rgb,
    /// The bar beside a block quote.
    pub quote_bar: Rgb,
    /// The rule under the running header.
    pub header_rule: Rgb,
    /// The rules above and under a table's header.
    pub table_rule: Rgb,
    /// The hairlines between table rows.
    pub table_hairline: Rgb,
    /// Code without syntax colours.
    pub code_text: Rgb,
    /// The shading behind code.
    pub code_background: Rgb,
    /// The shading of highlighted (`~~`) code lines.
    pub code_highlight: Rgb,
    /// The continuation mark of a wrapped code line.
    pub code_mark: Rgb,
}

/// Headings: sizes and gaps by level (index 0 is level 1, the chapter title).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Headings {
    /// Text size per level 1 to 5 (level 6 is set as level 5).
    pub size: [f32; 5],
    /// Space above a heading, per level 1 to 4 (deeper levels as level 4).
    pub space_before: [f32; 4],
    /// Room below a heading, as a share of its size.
    pub space_after_factor: f32,
    /// Space between a chapter title and the first block under it, at least.
    pub chapter_title_gap: f32,
}

/// Lists.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Lists {
    /// Indent of bullet lists.
    pub bullet_indent: f32,
    /// Least indent of numbered lists (wider numbers get more).
    pub number_indent_min: f32,
    /// Room between a number and the item's text.
    pub number_gap: f32,
    /// Room between a marker and the item's text.
    pub marker_gap: f32,
    /// Space between items of a tight list.
    pub tight_item_gap: f32,
}

/// Block quotes.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Quotes {
    /// Indent of the quoted text.
    pub indent: f32,
    /// Width of the bar beside it.
    pub bar_width: f32,
}

/// Figures (images set as blocks).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Figures {
    /// pt per CSS pixel (96 px per inch, as browsers show images).
    pub pt_per_px: f32,
    /// Room above and below the picture.
    pub pad: f32,
    /// Caption size, as a share of the text size.
    pub caption_factor: f32,
    /// Space between picture and caption.
    pub caption_gap: f32,
    /// Tallest a picture may be, as a share of the text block height.
    pub max_height_share: f32,
    /// An image in running text taller than this many text sizes is set as a figure.
    pub inline_picture_lines: f32,
}

/// Footnotes.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Notes {
    /// Text size.
    pub size: f32,
    /// Indent of the note text (room for marks up to "999.").
    pub indent: f32,
    /// Room between the mark and the text.
    pub mark_gap: f32,
    /// Most space between paragraphs of a note.
    pub max_gap: f32,
    /// Gap between the text and the footnote rule, and the rule's own room.
    pub separation: f32,
    /// Space between two footnotes.
    pub gap: f32,
    /// Width of the footnote rule, as a share of the text width.
    pub rule_share: f32,
    /// Thickness of the footnote rule.
    pub rule: f32,
}

/// Code blocks.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Code {
    /// Size of code blocks, as a share of the text size.
    pub block_factor: f32,
    /// Size of inline code, as a share of the surrounding text size.
    pub inline_factor: f32,
    /// Padding inside the shading.
    pub pad: f32,
    /// Line spacing of code blocks, as a share of their size.
    pub leading_factor: f32,
}

/// Tables.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Tables {
    /// The sizes (as a share of the text size) and horizontal cell paddings tried in turn
    /// until the longest words fit side by side; the last is forced.
    pub steps: [(f32, f32); 5],
    /// Vertical cell padding.
    pub pad_y: f32,
    /// Thickness of the rules above and under the header.
    pub rule: f32,
    /// Thickness of the hairlines between rows.
    pub hairline: f32,
}

/// The title page and the contents.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Front {
    /// Room above the title, as a share of the text block height.
    pub title_drop_share: f32,
    /// Title size.
    pub title_size: f32,
    /// Subtitle size and the space above it.
    pub subtitle: (f32, f32),
    /// Authors' size and the space above them.
    pub authors: (f32, f32),
    /// Date size and the space above it.
    pub date: (f32, f32),
    /// Space above a chapter's contents entry.
    pub chapter_gap: f32,
    /// Size of a part's contents entry.
    pub part_size: f32,
    /// Space above a part's contents entry.
    pub part_gap: f32,
    /// Indent of a section's contents entry.
    pub section_indent: f32,
    /// Room kept for page numbers at the right.
    pub number_width: f32,
    /// Room between an entry's title and the page numbers.
    pub title_gap: f32,
    /// Grid of the dot leaders.
    pub dot_step: f32,
    /// Least room between an entry's title and its leaders.
    pub dots_gap: f32,
    /// Room between the leaders and the page number.
    pub dots_end_gap: f32,
}

/// Running header and page number.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Furniture {
    /// Text size.
    pub size: f32,
    /// Baseline of the header above the text block.
    pub header_rise: f32,
    /// The rule under the header, above the text block.
    pub rule_rise: f32,
    /// Thickness of that rule.
    pub rule: f32,
    /// Widest a header half may be, as a share of the text width.
    pub half_share: f32,
}

/// Every size, gap and colour of the PDF.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Theme {
    /// Colours.
    pub colors: Colors,
    /// Body text size.
    pub body_size: f32,
    /// Baseline of a first line below its top, as a share of its size.
    pub baseline_factor: f32,
    /// Height of a line with no text (an empty list item or note), as a share of its size.
    pub empty_line_factor: f32,
    /// Space between paragraphs.
    pub parskip: f32,
    /// Space between paragraphs in a tight list item.
    pub tight_parskip: f32,
    /// Nested quotes and lists stop indenting when the measure would get narrower than this
    /// share of the text width.
    pub min_measure_share: f32,
    /// Superscripts (and note references): rise and size as shares of the text size.
    pub superscript: (f32, f32),
    /// Subscripts: drop and size as shares of the text size.
    pub subscript: (f32, f32),
    /// Thematic break: height (in text sizes) and rule thickness.
    pub thematic_break: (f32, f32),
    /// Headings.
    pub headings: Headings,
    /// Lists.
    pub lists: Lists,
    /// Block quotes.
    pub quotes: Quotes,
    /// Figures.
    pub figures: Figures,
    /// Footnotes.
    pub notes: Notes,
    /// Code.
    pub code: Code,
    /// Tables.
    pub tables: Tables,
    /// Title page and contents.
    pub front: Front,
    /// Running header and page number.
    pub furniture: Furniture,
    /// Margins on A5 paper.
    pub margins_small: Margins,
    /// Margins on larger paper.
    pub margins: Margins,
    /// The least text block width and height.
    pub min_text_block: f32,
    /// How far above its element a link or bookmark lands, so that a viewer shows it whole.
    pub dest_above: f32,
}

impl Theme {
    /// bindery's look.
    pub const STANDARD: Theme = Theme {
        colors: Colors {
            text: [0.08, 0.08, 0.08],
            link: [0.05, 0.25, 0.65],
            secondary: [0.4, 0.4, 0.4],
            heading: [0.1, 0.1, 0.1],
            quote_bar: [0.75, 0.75, 0.75],
            header_rule: [0.7, 0.7, 0.7],
            table_rule: [0.55, 0.55, 0.55],
            table_hairline: [0.82, 0.82, 0.82],
            code_text: [0.12, 0.12, 0.15],
            code_background: [0.95, 0.95, 0.96],
            code_highlight: [0.86, 0.88, 0.93],
            code_mark: [0.55, 0.55, 0.6],
        },
        body_size: 10.0,
        baseline_factor: 0.98,
        empty_line_factor: 1.3,
        parskip: 6.0,
        tight_parskip: 1.0,
        min_measure_share: 0.4,
        superscript: (0.33, 0.7),
        subscript: (0.15, 0.7),
        thematic_break: (1.5, 0.5),
        headings: Headings {
            size: [20.0, 14.5, 12.0, 10.5, 10.0],
            space_before: [16.0, 16.0, 12.0, 9.0],
            space_after_factor: 0.35,
            chapter_title_gap: 10.0,
        },
        lists: Lists {
            bullet_indent: 14.0,
            number_indent_min: 16.0,
            number_gap: 6.0,
            marker_gap: 5.0,
            tight_item_gap: 2.0,
        },
        quotes: Quotes {
            indent: 12.0,
            bar_width: 2.0,
        },
        figures: Figures {
            pt_per_px: 0.75,
            pad: 2.0,
            caption_factor: 0.9,
            caption_gap: 3.0,
            max_height_share: 0.8,
            inline_picture_lines: 3.0,
        },
        notes: Notes {
            size: 8.0,
            indent: 18.0,
            mark_gap: 3.0,
            max_gap: 2.0,
            separation: 10.0,
            gap: 2.0,
            rule_share: 0.25,
            rule: 0.5,
        },
        code: Code {
            block_factor: 0.85,
            inline_factor: 0.88,
            pad: 5.0,
            leading_factor: 1.3,
        },
        tables: Tables {
            steps: [(0.9, 4.0), (0.8, 3.0), (0.7, 2.0), (0.6, 1.5), (0.5, 1.0)],
            pad_y: 2.5,
            rule: 0.8,
            hairline: 0.4,
        },
        front: Front {
            title_drop_share: 0.22,
            title_size: 26.0,
            subtitle: (15.0, 10.0),
            authors: (13.0, 36.0),
            date: (11.0, 12.0),
            chapter_gap: 5.0,
            part_size: 11.5,
            part_gap: 12.0,
            section_indent: 14.0,
            number_width: 20.0,
            title_gap: 20.0,
            dot_step: 5.0,
            dots_gap: 6.0,
            dots_end_gap: 4.0,
        },
        furniture: Furniture {
            size: 8.0,
            header_rise: 16.0,
            rule_rise: 12.0,
            rule: 0.4,
            half_share: 0.45,
        },
        margins_small: Margins {
            top: 50.0,
            bottom: 50.0,
            left: 45.0,
            right: 45.0,
        },
        margins: Margins {
            top: 72.0,
            bottom: 72.0,
            left: 72.0,
            right: 72.0,
        },
        min_text_block: 72.0,
        dest_above: 4.0,
    };

    /// The size of a heading of `level` (1 is the chapter title).
    pub fn heading_size(&self, level: u8) -> f32 {
        self.headings.size[usize::from(level.clamp(1, 5)) - 1]
    }

    /// The space above a heading of `level`.
    pub fn heading_space(&self, level: u8) -> f32 {
        self.headings.space_before[usize::from(level.clamp(1, 4)) - 1]
    }
}

impl Default for Theme {
    fn default() -> Self {
        Theme::STANDARD
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headings_shrink_with_depth_and_deep_levels_share_the_last_value() {
        let t = Theme::STANDARD;
        let sizes: Vec<f32> = (1..=6).map(|l| t.heading_size(l)).collect();
        assert!(sizes.windows(2).all(|w| w[0] >= w[1]), "{sizes:?}");
        assert_eq!(t.heading_size(6), t.heading_size(5));
        assert_eq!(t.heading_space(6), t.heading_space(4));
        assert!(
            t.heading_size(5) >= t.body_size,
            "no heading smaller than body text"
        );
    }

    #[test]
    fn notes_are_smaller_than_body_text() {
        let t = Theme::STANDARD;
        assert!(t.notes.size < t.body_size);
        assert!(t.tables.steps.windows(2).all(|w| w[0].0 > w[1].0));
    }
}
