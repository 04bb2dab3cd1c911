//! What the readers are asked to do: the input format and reading options.

/// The input formats bindery reads (`--from`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
#[non_exhaustive]
pub enum InputFormat {
    /// Front-matter Markdown (Pelican header or YAML block, then CommonMark + extensions).
    #[value(name = "md", help = "Front-matter Markdown")]
    #[serde(rename = "md")]
    Markdown,
    /// Plain text with no markup; structure is recovered from layout.
    #[value(help = "Plain text without markup")]
    Text,
}

/// Options shared by the readers.
#[derive(Debug, Clone)]
pub struct ReadOptions {
    /// Force a format instead of detecting it from the extension and content.
    pub format: Option<InputFormat>,
    /// Smart punctuation (curly quotes, dashes) in Markdown.
    pub smart: bool,
    /// Treat code lines starting with `~~` as highlighted lines (and remove the marker).
    pub line_marks: bool,
    /// Keep a leading level-1 heading in the body even when it is (or becomes) the title
    /// (`convert --fragment`: the fragment is the whole body).
    pub keep_title_heading: bool,
}

impl Default for ReadOptions {
    fn default() -> Self {
        ReadOptions {
            format: None,
            smart: false,
            line_marks: true,
            keep_title_heading: false,
        }
    }
}
