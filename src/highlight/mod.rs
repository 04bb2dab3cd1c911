//! Syntax highlighting shared by every writer: code in, classified tokens out.
//!
//! Hand-written lexers (`lexer`) cover the languages of technical sites (Python, Rust,
//! JavaScript/TypeScript, shell and console sessions, SQL, YAML, TOML, JSON, HTML/XML,
//! Dockerfile, C-family): one pass over the bytes, no start-up cost, over 100 MB/s. Other
//! languages fall back to syntect (the `syntect` module), whose results are cached by content
//! for the run.
//! Each token is reduced to a small [`TokenKind`], which the HTML and EPUB writers turn into CSS
//! classes and the PDF writer into colours. BENCHMARKS.md has the comparison that chose this.

mod lexer;
mod syntect;
mod tokens;

pub use tokens::{Piece, Token, TokenKind, Tokens};

use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock};

/// One highlighted line: `(kind, text)` runs whose texts concatenate to the line (without its
/// newline).
pub type Line = Vec<(TokenKind, String)>;

/// The language an info string or a class names, in lower case, by the convention of mdBook and
/// rustdoc: the first word before a comma or a space (`rust,ignore`, `python title="x.py"`).
pub fn language_of(info: &str) -> &str {
    info.split(|c: char| c == ',' || c.is_whitespace())
        .next()
        .unwrap_or("")
}

/// The tokens of `code` written in `language`, or `None` when the language is plain or
/// unknown (the writers then show the code plain).
pub fn tokens(code: &str, language: &str) -> Option<Arc<Tokens>> {
    let language = language_of(language.trim()).to_ascii_lowercase();
    match lexer::Lexer::for_language(&language) {
        Some(lexer::Lexer::Plain) => None,
        Some(lexer) => Some(Arc::new(lexer.tokens(code))),
        None => syntect_cached(code, &language),
    }
}

/// The tokens syntect gives `code` in `language`, bypassing the lexers and the cache: for the
/// benchmarks that compare the two (`benches/highlight.rs`).
pub fn tokens_with_syntect(code: &str, language: &str) -> Option<Tokens> {
    let language = language_of(language.trim()).to_ascii_lowercase();
    let language = match language.as_str() {
        "py" | "python3" => "python",
        "sh" | "shell" | "console" | "zsh" => "bash",
        "yml" => "yaml",
        "rs" => "rust",
        other => other,
    };
    syntect::tokens(code, language)
}

/// syntect runs at about 1 MB/s: a block that several outputs of one run show (site, EPUB and
/// PDF of `bindery build`) is highlighted once, keyed by its language and content.
fn syntect_cached(code: &str, language: &str) -> Option<Arc<Tokens>> {
    type Cache = Mutex<HashMap<(String, u64, usize), Option<Arc<Tokens>>>>;
    static CACHE: OnceLock<Cache> = OnceLock::new();
    let key = (
        language.to_string(),
        xxhash_rust::xxh3::xxh3_64(code.as_bytes()),
        code.len(),
    );
    let cache = CACHE.get_or_init(Default::default);
    if let Some(found) = cache.lock().ok().and_then(|c| c.get(&key).cloned()) {
        return found;
    }
    let found = syntect::tokens(code, language).map(Arc::new);
    if let Ok(mut cache) = cache.lock() {
        cache.insert(key, found.clone());
    }
    found
}

/// A code block's tokens, computed the first time a writer asks and shared by every clone of
/// the block: `bindery build` writes the site, the EPUB and the PDF from one book, and each
/// block is highlighted once per run whatever the number of outputs. The result is keyed by a
/// hash of the language and the code, so a writer that changed the text (the EPUB drops
/// characters XML forbids) gets tokens of its own text, never stale ranges.
#[derive(Clone, Default)]
pub struct SharedTokens(Arc<OnceLock<(u64, Option<Arc<Tokens>>)>>);

impl SharedTokens {
    /// The tokens of `code` in `language` (see [`tokens`]).
    pub fn get(&self, code: &str, language: &str) -> Option<Arc<Tokens>> {
        let key = content_key(code, language);
        let (stored_key, stored) = self.0.get_or_init(|| (key, tokens(code, language)));
        if *stored_key == key {
            stored.clone()
        } else {
            tokens(code, language)
        }
    }
}

impl SharedTokens {
    /// Fills the cell with tokens computed by an earlier run (the incremental build's cache),
    /// unless it holds some already or `tokens` do not fit `code`.
    pub fn preset(&self, code: &str, language: &str, tokens: Tokens) {
        if tokens.fits(code) {
            let _ = self
                .0
                .set((content_key(code, language), Some(Arc::new(tokens))));
        }
    }

    /// The tokens computed so far for `code` in `language`, if any.
    pub fn computed(&self, code: &str, language: &str) -> Option<Arc<Tokens>> {
        match self.0.get() {
            Some((key, tokens)) if *key == content_key(code, language) => tokens.clone(),
            _ => None,
        }
    }
}

/// Whether `language` is highlighted by the syntect fallback (about 1 MB/s), the only
/// highlighting worth keeping between runs: the lexers are faster than reading tokens back.
pub fn is_slow(language: &str) -> bool {
    let language = language_of(language.trim()).to_ascii_lowercase();
    lexer::Lexer::for_language(&language).is_none()
}

/// A cache of what the block's text and language determine: equal whatever it holds.
impl PartialEq for SharedTokens {
    fn eq(&self, _: &SharedTokens) -> bool {
        true
    }
}

impl std::fmt::Debug for SharedTokens {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let state = if self.0.get().is_some() {
            "computed"
        } else {
            "not computed"
        };
        write!(f, "SharedTokens({state})")
    }
}

/// Identifies a block's highlighting: a 64-bit hash of its language and code.
pub fn content_key(code: &str, language: &str) -> u64 {
    let mut hasher = xxhash_rust::xxh3::Xxh3::new();
    hasher.update(language.as_bytes());
    hasher.update(&[0]);
    hasher.update(code.as_bytes());
    hasher.digest()
}

/// Highlights `code` written in `language` into lines of owned runs (for writers that lay the
/// text out themselves). `None` when the language is plain or unknown.
pub fn highlight(code: &str, language: &str) -> Option<Vec<Line>> {
    tokens(code, language).and_then(|tokens| lines(&tokens, code))
}

/// `tokens` of `code` as lines of owned runs; `None` only if a token does not fit the code.
pub fn lines(tokens: &Tokens, code: &str) -> Option<Vec<Line>> {
    let mut lines = Vec::new();
    let mut line: Line = Vec::new();
    tokens
        .for_each_line::<()>(code, |piece| {
            match piece {
                Piece::LineStart(_) => {}
                Piece::Run(kind, text) => match line.last_mut() {
                    Some((last, prev)) if *last == kind => prev.push_str(text),
                    _ => line.push((kind, text.to_string())),
                },
                Piece::LineEnd(_) => lines.push(std::mem::take(&mut line)),
            }
            Ok(())
        })
        .ok()?;
    Some(lines)
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
    fn clones_share_one_highlighting_that_follows_the_text() {
        let shared = SharedTokens::default();
        let clone = shared.clone();
        let code = "def f():\n    return 1\n";
        let first = shared.get(code, "python").unwrap();
        let again = clone.get(code, "python").unwrap();
        assert!(
            Arc::ptr_eq(&first, &again),
            "the clone reads the same tokens"
        );
        // A writer that changed the text gets the tokens of its own text.
        let changed = clone.get("x = 'a'\n", "python").unwrap();
        assert_eq!(*changed, *tokens("x = 'a'\n", "python").unwrap());
        assert!(clone.get(code, "text").is_none());
        assert!(Arc::ptr_eq(&shared.get(code, "python").unwrap(), &first));
    }

    #[test]
    fn unknown_or_plain_languages_are_not_highlighted() {
        assert!(highlight("x", "no-such-language").is_none());
        assert!(highlight("x", "text").is_none());
        assert!(highlight("ls -la\n", "bash").is_some());
    }

    /// `(kind, text)` of every non-plain run.
    fn runs(code: &str, language: &str) -> Vec<(TokenKind, String)> {
        highlight(code, language)
            .unwrap()
            .into_iter()
            .flatten()
            .filter(|(k, _)| *k != TokenKind::Plain)
            .collect()
    }

    fn run(kind: TokenKind, text: &str) -> (TokenKind, String) {
        (kind, text.to_string())
    }

    #[test]
    fn the_language_is_the_first_word_before_a_comma_or_space() {
        assert_eq!(language_of("rust,ignore"), "rust");
        assert_eq!(language_of("rust,no_run"), "rust");
        assert_eq!(language_of("python title=\"x.py\""), "python");
        assert_eq!(
            runs("fn main() {}\n", "rust,ignore"),
            runs("fn main() {}\n", "rust")
        );
    }

    #[test]
    fn rust_lifetimes_raw_strings_macros_and_attributes() {
        let code = "#[derive(Debug)]\nstruct S<'a> { s: &'a str }\nfn f() { println!(r#\"a\"b\"#); let c = '\\''; }\n";
        let got = runs(code, "rust");
        for want in [
            run(TokenKind::Attribute, "#[derive(Debug)]"),
            run(TokenKind::Keyword, "struct"),
            run(TokenKind::Type, "S"),
            run(TokenKind::Keyword, "'a"),
            run(TokenKind::Type, "str"),
            run(TokenKind::Function, "f"),
            run(TokenKind::Function, "println!"),
            run(TokenKind::String, "r#\"a\"b\"#"),
            run(TokenKind::String, "'\\''"),
        ] {
            assert!(got.contains(&want), "{want:?} not in {got:?}");
        }
    }

    #[test]
    fn python_triple_quoted_strings_span_lines_and_decorators_are_attributes() {
        let code =
            "@app.route('/')\ndef index():\n    \"\"\"Two\n    lines\"\"\"\n    return None\n";
        let lines = highlight(code, "py").unwrap();
        assert_eq!(lines[0][0], run(TokenKind::Attribute, "@app.route"));
        assert!(lines[2].contains(&run(TokenKind::String, "\"\"\"Two")));
        assert!(lines[3].contains(&run(TokenKind::String, "    lines\"\"\"")));
        assert!(lines[4].contains(&run(TokenKind::Constant, "None")));
    }

    #[test]
    fn console_sessions_colour_only_the_prompt_lines() {
        let code =
            "(venv) $ pip install flask\nCollecting flask\nif this were shell\n$ echo done\n";
        let lines = highlight(code, "console").unwrap();
        assert!(lines[0].contains(&run(TokenKind::Operator, "(venv) $ ")));
        assert_eq!(lines[1], [run(TokenKind::Plain, "Collecting flask")]);
        assert_eq!(lines[2], [run(TokenKind::Plain, "if this were shell")]);
        assert!(lines[3].contains(&run(TokenKind::Function, "echo")));
        assert_eq!(highlight(code, "shell-session"), Some(lines));
    }

    #[test]
    fn data_and_markup_languages() {
        let toml = runs("[package]\nname = \"x\" # n\n", "toml");
        assert_eq!(
            toml,
            [
                run(TokenKind::Keyword, "[package]"),
                run(TokenKind::Attribute, "name"),
                run(TokenKind::String, "\"x\""),
                run(TokenKind::Comment, "# n"),
            ]
        );
        let yaml = runs("on:\n  push: true # c\n", "yml");
        assert_eq!(
            yaml,
            [
                run(TokenKind::Keyword, "on"),
                run(TokenKind::Keyword, "push"),
                run(TokenKind::Constant, "true"),
                run(TokenKind::Comment, "# c"),
            ]
        );
        let html = runs("<a href=\"/x\">&amp;</a><!-- c -->", "html");
        assert_eq!(
            html,
            [
                run(TokenKind::Keyword, "a"),
                run(TokenKind::Attribute, "href"),
                run(TokenKind::String, "\"/x\""),
                run(TokenKind::Constant, "&amp;"),
                run(TokenKind::Keyword, "a"),
                run(TokenKind::Comment, "<!-- c -->"),
            ]
        );
        let sql = runs("SELECT count(*) FROM t -- c\n", "sql");
        assert_eq!(sql[0], run(TokenKind::Keyword, "SELECT"));
        assert_eq!(sql[1], run(TokenKind::Function, "count"));
        let docker = runs("FROM python:3\nRUN pip install x\n", "dockerfile");
        assert_eq!(
            docker,
            [
                run(TokenKind::Keyword, "FROM"),
                run(TokenKind::Constant, "3"),
                run(TokenKind::Keyword, "RUN"),
                run(TokenKind::Function, "pip"),
            ]
        );
        // Shell: command names are functions, wherever a command starts.
        let shell = runs(
            "python3 -m venv x && cd x\nif true; then ls -la | wc; fi\n",
            "bash",
        );
        let functions: Vec<&str> = shell
            .iter()
            .filter(|(k, _)| *k == TokenKind::Function)
            .map(|(_, t)| t.as_str())
            .collect();
        assert_eq!(functions, ["python3", "cd", "ls", "wc"]);
    }

    #[test]
    fn yaml_comment_after_a_quote_is_not_inside_it() {
        // Found by `lexers_keep_every_byte`: an unclosed quote runs to the line's end, and the
        // ` #` inside it was also taken as a comment, overlapping the string.
        let unclosed = runs("' #", "yaml");
        assert_eq!(unclosed, [run(TokenKind::String, "' #")]);
        let closed = runs("k: 'a # b' # note", "yaml");
        assert_eq!(
            closed,
            [
                run(TokenKind::Keyword, "k"),
                run(TokenKind::String, "'a # b'"),
                run(TokenKind::Comment, "# note"),
            ]
        );
    }

    proptest::proptest! {
        /// Whatever the input, every lexer keeps the text: the runs of each line put together
        /// are the line, and tokens are ordered, non-empty and on character boundaries.
        #[test]
        fn lexers_keep_every_byte(code in "[ -~\n\t\u{e9}\u{1F600}#'\"`<>$@\\/*-]{0,200}") {
            for language in ["python", "rust", "js", "bash", "console", "sql", "toml", "json",
                             "c", "yaml", "html", "dockerfile"] {
                let tokens = tokens(&code, language).unwrap();
                let mut last_end = 0;
                for token in tokens.as_slice() {
                    proptest::prop_assert!(token.start >= last_end && token.start < token.end);
                    proptest::prop_assert!(code.get(token.start..token.end).is_some());
                    proptest::prop_assert!(!code[token.start..token.end].contains('\n'));
                    last_end = token.end;
                }
                let lines = highlight(&code, language).unwrap();
                let expected: Vec<&str> = code
                    .split_inclusive('\n')
                    .map(|l| l.trim_end_matches(['\n', '\r']))
                    .collect();
                let joined: Vec<String> = lines
                    .iter()
                    .map(|l| l.iter().map(|(_, t)| t.as_str()).collect())
                    .collect();
                proptest::prop_assert_eq!(joined, expected, "language {}", language);
            }
        }
    }
}
