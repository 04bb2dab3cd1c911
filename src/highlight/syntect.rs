//! The fallback for languages without a hand-written lexer ([`super::lexer`]): syntect with its
//! default syntaxes (Oniguruma backend: its first block costs ~3 ms against ~30 ms with the
//! pure-Rust regex engine). About 1 MB/s, so only languages the lexers do not know pay for it;
//! the syntax set is loaded the first time such a block appears.

use std::sync::OnceLock;

use syntect::parsing::{ParseState, Scope, ScopeStack, SyntaxReference, SyntaxSet};

use super::tokens::{TokenKind, Tokens};

fn syntax_set() -> &'static SyntaxSet {
    static SET: OnceLock<SyntaxSet> = OnceLock::new();
    SET.get_or_init(SyntaxSet::load_defaults_newlines)
}

fn find_syntax<'a>(set: &'a SyntaxSet, language: &str) -> Option<&'a SyntaxReference> {
    let alias = match language {
        "js" | "javascript" | "node" => "js",
        "html" | "jinja" | "django" | "htmldjango" | "jinja2" => "html",
        other => other,
    };
    set.find_syntax_by_token(alias)
        .or_else(|| set.find_syntax_by_name(alias))
}

/// Tokens of `code` in `language` (lower case), or `None` when syntect does not know it.
pub fn tokens(code: &str, language: &str) -> Option<Tokens> {
    let set = syntax_set();
    let syntax = find_syntax(set, language)?;
    let mut state = ParseState::new(syntax);
    let mut stack = ScopeStack::new();
    let mut tokens = Tokens::default();
    let mut line_start = 0;
    for line in code.split_inclusive('\n') {
        let ops = state.parse_line(line, set).ok()?;
        let content_end = line.trim_end_matches(['\n', '\r']).len();
        let mut start = 0;
        for (offset, op) in ops {
            let (from, to) = (start.min(content_end), offset.min(content_end));
            tokens.push(classify(&stack), line_start + from, line_start + to);
            start = offset;
            stack.apply(&op).ok()?;
        }
        let from = start.min(content_end);
        tokens.push(
            classify(&stack),
            line_start + from,
            line_start + content_end,
        );
        line_start += line.len();
    }
    Some(tokens)
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
