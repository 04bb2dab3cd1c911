//! Syntax highlighting shared by every writer: code in, lines of classified tokens out.
//!
//! syntect (Oniguruma backend: its first Python block costs ~3 ms against ~30 ms with the
//! pure-Rust regex engine) parses the code; each token is reduced to a small [`TokenKind`], which
//! the HTML and EPUB writers turn into CSS classes and the PDF writer into colours. The syntax
//! set is loaded lazily, the first time a document has a code block with a known language.

use std::sync::OnceLock;

use syntect::parsing::{ParseState, Scope, ScopeStack, SyntaxReference, SyntaxSet};

/// What a token is, coarsely: enough for a readable palette, small enough for every writer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
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

/// One highlighted line: `(kind, text)` runs whose texts concatenate to the line (without its
/// newline).
pub type Line = Vec<(TokenKind, String)>;

fn syntax_set() -> &'static SyntaxSet {
    static SET: OnceLock<SyntaxSet> = OnceLock::new();
    SET.get_or_init(SyntaxSet::load_defaults_newlines)
}

fn find_syntax<'a>(set: &'a SyntaxSet, language: &str) -> Option<&'a SyntaxReference> {
    let language = language.trim().to_ascii_lowercase();
    let alias = match language.as_str() {
        "py" | "python3" | "py3" => "python",
        "sh" | "shell" | "console" | "zsh" => "bash",
        "js" | "javascript" | "node" => "js",
        "yml" => "yaml",
        "rs" => "rust",
        "html" | "jinja" | "django" | "htmldjango" | "jinja2" => "html",
        "dockerfile" | "docker" => "Dockerfile",
        "text" | "txt" | "plain" | "" => return None,
        other => other,
    };
    set.find_syntax_by_token(alias)
        .or_else(|| set.find_syntax_by_name(alias))
}

/// Highlights `code` written in `language`. Returns `None` when the language is unknown (the
/// writers then show the code plain), so documents without code never load the syntax set.
pub fn highlight(code: &str, language: &str) -> Option<Vec<Line>> {
    if matches!(language.trim(), "" | "text" | "txt" | "plain") {
        return None;
    }
    let set = syntax_set();
    let syntax = find_syntax(set, language)?;
    let mut state = ParseState::new(syntax);
    let mut stack = ScopeStack::new();
    let mut lines = Vec::new();
    for line in code.split_inclusive('\n') {
        let ops = state.parse_line(line, set).ok()?;
        let mut tokens: Line = Vec::new();
        let mut start = 0;
        let content_end = line.trim_end_matches(['\n', '\r']).len();
        for (offset, op) in ops {
            push_token(
                &mut tokens,
                &stack,
                &line[start.min(content_end)..offset.min(content_end)],
            );
            start = offset;
            stack.apply(&op).ok()?;
        }
        push_token(
            &mut tokens,
            &stack,
            &line[start.min(content_end)..content_end],
        );
        lines.push(tokens);
    }
    Some(lines)
}

fn push_token(tokens: &mut Line, stack: &ScopeStack, text: &str) {
    if text.is_empty() {
        return;
    }
    let kind = classify(stack);
    match tokens.last_mut() {
        Some((last, prev)) if *last == kind => prev.push_str(text),
        _ => tokens.push((kind, text.to_string())),
    }
}

/// Maps the innermost meaningful scope to a token kind.
fn classify(stack: &ScopeStack) -> TokenKind {
    static PREFIXES: OnceLock<Vec<(Scope, TokenKind)>> = OnceLock::new();
    let prefixes = PREFIXES.get_or_init(|| {
        [
            ("comment", TokenKind::Comment),
            ("string", TokenKind::String),
            ("constant.numeric", TokenKind::Constant),
            ("constant.language", TokenKind::Constant),
            ("constant.character", TokenKind::String),
            ("keyword.operator", TokenKind::Operator),
            ("keyword", TokenKind::Keyword),
            ("storage.type.function", TokenKind::Keyword),
            ("storage.type.class", TokenKind::Keyword),
            ("storage.modifier", TokenKind::Keyword),
            ("storage.type", TokenKind::Type),
            ("entity.name.function", TokenKind::Function),
            ("support.function", TokenKind::Function),
            ("variable.function", TokenKind::Function),
            ("entity.name.class", TokenKind::Type),
            ("entity.name.type", TokenKind::Type),
            ("support.type", TokenKind::Type),
            ("support.class", TokenKind::Type),
            ("entity.name.tag", TokenKind::Keyword),
            ("entity.other.attribute-name", TokenKind::Attribute),
            ("meta.decorator", TokenKind::Attribute),
            ("entity.name.decorator", TokenKind::Attribute),
        ]
        .into_iter()
        .filter_map(|(s, k)| Scope::new(s).ok().map(|scope| (scope, k)))
        .collect()
    });
    for scope in stack.as_slice().iter().rev() {
        for (prefix, kind) in prefixes {
            if prefix.is_prefix_of(*scope) {
                return *kind;
            }
        }
    }
    TokenKind::Plain
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn python_tokens_are_classified_and_text_is_kept() {
        let code = "def f(x):\n    return 'hi'  # c\n";
        let lines = highlight(code, "python").unwrap();
        assert_eq!(lines.len(), 2);
        let joined: Vec<String> = lines
            .iter()
            .map(|l| l.iter().map(|(_, t)| t.as_str()).collect())
            .collect();
        assert_eq!(joined, ["def f(x):", "    return 'hi'  # c"]);
        let kinds: Vec<TokenKind> = lines.iter().flatten().map(|(k, _)| *k).collect();
        assert!(kinds.contains(&TokenKind::Keyword));
        assert!(kinds.contains(&TokenKind::String));
        assert!(kinds.contains(&TokenKind::Comment));
        assert!(kinds.contains(&TokenKind::Function));
    }

    #[test]
    fn unknown_or_plain_languages_are_not_highlighted() {
        assert!(highlight("x", "no-such-language").is_none());
        assert!(highlight("x", "text").is_none());
        assert!(highlight("ls -la\n", "bash").is_some());
    }
}
