//! The highlighter's output: classified byte ranges of a code block.

/// What a token is, coarsely: enough for a readable palette, small enough for every writer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[non_exhaustive]
pub enum TokenKind {
    /// Anything without a special colour.
    Plain,
    /// Comments.
    Comment,
    /// String and character literals.
    String,
    /// Numbers and language constants (`True`, `None`).
    Constant,
    /// Keywords and storage modifiers (`def`, `class`, `return`).
    Keyword,
    /// Names of functions being defined or called.
    Function,
    /// Type and class names, and built-ins.
    Type,
    /// Decorators, attributes, tags.
    Attribute,
    /// Operators and punctuation that deserve colour (`=>`, `@`).
    Operator,
}

impl TokenKind {
    /// A short CSS class name (`hl-k`), stable across releases so stylesheets can target it.
    pub fn css_class(self) -> Option<&'static str> {
        Some(match self {
            TokenKind::Plain => return None,
            TokenKind::Comment => "hl-c",
            TokenKind::String => "hl-s",
            TokenKind::Constant => "hl-n",
            TokenKind::Keyword => "hl-k",
            TokenKind::Function => "hl-f",
            TokenKind::Type => "hl-t",
            TokenKind::Attribute => "hl-a",
            TokenKind::Operator => "hl-o",
        })
    }

    /// An RGB colour for print (a light background), used by the PDF writer.
    pub fn print_rgb(self) -> (u8, u8, u8) {
        match self {
            TokenKind::Plain => (0x1f, 0x23, 0x28),
            TokenKind::Comment => (0x6a, 0x73, 0x7d),
            TokenKind::String => (0x03, 0x2f, 0x62),
            TokenKind::Constant => (0x00, 0x5c, 0xc5),
            TokenKind::Keyword => (0xd7, 0x3a, 0x49),
            TokenKind::Function => (0x6f, 0x42, 0xc1),
            TokenKind::Type => (0xe3, 0x62, 0x09),
            TokenKind::Attribute => (0x22, 0x86, 0x3a),
            TokenKind::Operator => (0xd7, 0x3a, 0x49),
        }
    }
}

/// A classified range of the code: never empty, never `Plain`, never across a newline.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Token {
    /// What the range is.
    pub kind: TokenKind,
    /// Byte offset of the first byte in the code.
    pub start: usize,
    /// Byte offset just past the last byte.
    pub end: usize,
}

/// The tokens of one code block, in order; the text between them is plain. Serialisable for the
/// incremental build's cache ([`Tokens::fits`] checks what comes back).
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(transparent)]
pub struct Tokens {
    tokens: Vec<Token>,
}

impl Tokens {
    /// The tokens in order.
    pub fn as_slice(&self) -> &[Token] {
        &self.tokens
    }

    /// Whether these tokens can describe `code`: in order, not empty, on character boundaries,
    /// not across a newline. Tokens read back from a file are checked before a writer slices
    /// the code with them.
    pub fn fits(&self, code: &str) -> bool {
        let mut last_end = 0;
        self.tokens.iter().all(|token| {
            let fits = token.start >= last_end
                && token.start < token.end
                && token.kind != TokenKind::Plain
                && code
                    .get(token.start..token.end)
                    .is_some_and(|text| !text.contains('\n'));
            last_end = token.end;
            fits
        })
    }

    /// Adds `start..end` as `kind` (`code[start..end]` must not contain a newline), merged with
    /// the previous token when it touches it and has the same kind.
    pub(crate) fn push(&mut self, kind: TokenKind, start: usize, end: usize) {
        if kind == TokenKind::Plain || start >= end {
            return;
        }
        if let Some(last) = self.tokens.last_mut()
            && last.kind == kind
            && last.end == start
        {
            last.end = end;
            return;
        }
        self.tokens.push(Token { kind, start, end });
    }

    /// Adds `start..end` of `code` as `kind`, split at its newlines.
    pub(crate) fn push_multiline(
        &mut self,
        code: &[u8],
        kind: TokenKind,
        mut start: usize,
        end: usize,
    ) {
        while let Some(nl) = code[start..end].iter().position(|&b| b == b'\n') {
            let line_end = start + nl;
            let trimmed = if line_end > start && code[line_end - 1] == b'\r' {
                line_end - 1
            } else {
                line_end
            };
            self.push(kind, start, trimmed);
            start = line_end + 1;
        }
        self.push(kind, start, end);
    }

    /// Calls `visit` with each line of `code` in turn: [`Piece::LineStart`], the line's runs
    /// (without its `\n` or `\r\n`; runs of one kind merged), [`Piece::LineEnd`].
    pub fn for_each_line<'c, E>(
        &self,
        code: &'c str,
        mut visit: impl FnMut(Piece<'c>) -> Result<(), E>,
    ) -> Result<(), E> {
        let mut next = 0;
        let mut line_start = 0;
        for (index, line) in code.split_inclusive('\n').enumerate() {
            visit(Piece::LineStart(index))?;
            let content_end = line_start + line.trim_end_matches(['\n', '\r']).len();
            let mut pos = line_start;
            while let Some(token) = self.tokens.get(next) {
                if token.start >= content_end {
                    break;
                }
                if token.start > pos {
                    visit(Piece::Run(TokenKind::Plain, &code[pos..token.start]))?;
                }
                let end = token.end.min(content_end);
                visit(Piece::Run(token.kind, &code[token.start.max(pos)..end]))?;
                pos = end;
                next += 1;
            }
            if content_end > pos {
                visit(Piece::Run(TokenKind::Plain, &code[pos..content_end]))?;
            }
            visit(Piece::LineEnd(index))?;
            line_start += line.len();
            while self.tokens.get(next).is_some_and(|t| t.start < line_start) {
                next += 1;
            }
        }
        Ok(())
    }
}

/// What [`Tokens::for_each_line`] visits.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Piece<'c> {
    /// A line begins (0-based index).
    LineStart(usize),
    /// A run of the line's text and its kind.
    Run(TokenKind, &'c str),
    /// The line ends (0-based index); its newline is not part of any run.
    LineEnd(usize),
}
