//! Hand-written lexers: one forward pass over the bytes per block, a `match` per word, no
//! regular expressions and no allocation but the token list. They classify what a reader's eye
//! uses (comments, strings, numbers, keywords, names being defined or called, types,
//! decorators, tags and keys) and leave the rest plain; a construct they do not know costs
//! colour, never text, because every byte not in a token is written as it is.
//!
//! Token boundaries fall on ASCII bytes (or the ends of the code), so every token is a valid
//! `str` range.

use super::tokens::{TokenKind, Tokens};

/// A lexer for one language, or `Plain` for languages that are not highlighted.
#[derive(Debug, Clone, Copy)]
#[non_exhaustive]
pub enum Lexer {
    /// `text`, `txt`, `plain`, or no language: shown as it is.
    Plain,
    /// A programming or data language read by the generic scanner with this description.
    Code(&'static Spec),
    /// YAML: keys, scalars, comments.
    Yaml,
    /// HTML, XML and templates: tags, attributes, comments, entities.
    Markup,
    /// Dockerfile: instructions, then the rest of the line as shell.
    Dockerfile,
    /// A terminal session: prompt lines are shell commands, other lines output.
    Console,
}

impl Lexer {
    /// The lexer for `language` (lower case), or `None` when there is none.
    pub fn for_language(language: &str) -> Option<Lexer> {
        Some(match language {
            "" | "text" | "txt" | "plain" | "plaintext" | "output" => Lexer::Plain,
            // syntect's Markdown scopes (`markup.*`) map to no token kind: the text was plain
            // already, and this saves loading syntect for it (~10 ms a process).
            "markdown" | "md" | "mdown" => Lexer::Plain,
            "python" | "py" | "python3" | "py3" | "pyw" | "gyp" => Lexer::Code(&PYTHON),
            "rust" | "rs" => Lexer::Code(&RUST),
            "javascript" | "js" | "node" | "jsx" | "mjs" | "cjs" | "typescript" | "ts" | "tsx" => {
                Lexer::Code(&JAVASCRIPT)
            }
            "bash" | "sh" | "shell" | "zsh" | "ksh" | "shellscript" => Lexer::Code(&SHELL),
            "console" | "shell-session" | "shellsession" | "terminal" => Lexer::Console,
            "sql" | "postgresql" | "postgres" | "psql" | "mysql" | "sqlite" | "plpgsql" => {
                Lexer::Code(&SQL)
            }
            "toml" => Lexer::Code(&TOML),
            "json" | "jsonc" | "json5" | "geojson" => Lexer::Code(&JSON),
            "c" | "h" | "cpp" | "c++" | "cc" | "hpp" | "cxx" | "java" | "go" | "golang"
            | "csharp" | "cs" | "c#" | "kotlin" | "swift" | "scala" => Lexer::Code(&C_FAMILY),
            "yaml" | "yml" => Lexer::Yaml,
            "html" | "htm" | "xhtml" | "xml" | "svg" | "jinja" | "jinja2" | "django"
            | "htmldjango" | "j2" => Lexer::Markup,
            "dockerfile" | "docker" | "containerfile" => Lexer::Dockerfile,
            _ => return None,
        })
    }

    /// The tokens of `code`.
    pub fn tokens(self, code: &str) -> Tokens {
        let mut scan = Scan::new(code.as_bytes());
        match self {
            Lexer::Plain => {}
            Lexer::Code(spec) => scan.code(spec, code.len()),
            Lexer::Yaml => scan.yaml(),
            Lexer::Markup => scan.markup(),
            Lexer::Dockerfile => scan.dockerfile(),
            Lexer::Console => scan.console(),
        }
        scan.out
    }
}

/// What the generic scanner needs to know about a language.
#[derive(Debug)]
pub struct Spec {
    /// Line comment openers.
    line_comments: &'static [&'static [u8]],
    /// A block comment's opener and closer.
    block_comment: Option<(&'static [u8], &'static [u8])>,
    /// Block comments nest (Rust).
    nested_comments: bool,
    /// `#` opens a comment only at the start of a word (shell: `a#b` is one word).
    comment_at_word_start: bool,
    /// Quote characters of string literals.
    quotes: &'static [u8],
    /// `"""` and `'''` open strings that run to the same triple (Python, TOML).
    triple_quotes: bool,
    /// Strings run across newlines (otherwise an unclosed string ends at the line's end).
    multiline_strings: bool,
    /// `\` escapes the next character in strings (not in shell or TOML `'` strings, nor SQL).
    escapes: &'static [u8],
    /// Letters that may prefix a string literal (`r`, `b`, `f` in Python).
    string_prefixes: fn(&[u8]) -> bool,
    /// The kind of a word, if it has a fixed one (keyword, constant, built-in type).
    word: fn(&[u8]) -> Option<TokenKind>,
    /// Words are matched in lower case (SQL).
    case_insensitive: bool,
    /// The word after this one names a function being defined.
    defines_function: fn(&[u8]) -> bool,
    /// The word after this one names a type being defined.
    defines_type: fn(&[u8]) -> bool,
    /// Capitalised words are types (Rust, Python, JavaScript classes).
    capitalised_types: bool,
    /// A word directly before `(` is a function being called.
    calls: bool,
    /// Rust: lifetimes, raw strings, `#[attributes]`, `macro!`.
    rust: bool,
    /// `@name` (Python and JavaScript decorators).
    decorators: bool,
    /// Shell: `$name`, `${...}`, words may contain `-`, `.` and `/`.
    shell: bool,
    /// TOML: `[table]` headers and `key =` names.
    toml: bool,
    /// Characters shown as operators.
    operators: &'static [u8],
}

const NO: fn(&[u8]) -> bool = |_| false;

static PYTHON: Spec = Spec {
    line_comments: &[b"#"],
    block_comment: None,
    nested_comments: false,
    comment_at_word_start: false,
    quotes: b"\"'",
    triple_quotes: true,
    multiline_strings: false,
    escapes: b"\"'",
    string_prefixes: |p| {
        p.len() <= 2
            && p.iter()
                .all(|c| matches!(c.to_ascii_lowercase(), b'r' | b'b' | b'u' | b'f'))
    },
    word: |w| {
        Some(match w {
            b"and" | b"or" | b"not" | b"in" | b"is" => TokenKind::Operator,
            b"def" | b"class" | b"lambda" | b"if" | b"elif" | b"else" | b"for" | b"while"
            | b"try" | b"except" | b"finally" | b"with" | b"as" | b"return" | b"yield"
            | b"import" | b"from" | b"pass" | b"break" | b"continue" | b"raise" | b"global"
            | b"nonlocal" | b"assert" | b"del" | b"async" | b"await" | b"match" | b"case" => {
                TokenKind::Keyword
            }
            b"True" | b"False" | b"None" | b"NotImplemented" | b"Ellipsis" | b"__debug__" => {
                TokenKind::Constant
            }
            b"int" | b"str" | b"float" | b"bool" | b"bytes" | b"list" | b"dict" | b"set"
            | b"tuple" | b"object" | b"type" | b"frozenset" | b"bytearray" | b"complex" => {
                TokenKind::Type
            }
            _ => return None,
        })
    },
    case_insensitive: false,
    defines_function: |w| w == b"def",
    defines_type: |w| w == b"class",
    capitalised_types: true,
    calls: true,
    rust: false,
    decorators: true,
    shell: false,
    toml: false,
    operators: b"=+-*/%<>!&|^~",
};

static RUST: Spec = Spec {
    line_comments: &[b"//"],
    block_comment: Some((b"/*", b"*/")),
    nested_comments: true,
    comment_at_word_start: false,
    quotes: b"\"",
    triple_quotes: false,
    multiline_strings: true,
    escapes: b"\"",
    string_prefixes: |p| p == b"b" || p == b"c",
    word: |w| {
        Some(match w {
            b"as" | b"break" | b"const" | b"continue" | b"crate" | b"else" | b"enum"
            | b"extern" | b"fn" | b"for" | b"if" | b"impl" | b"in" | b"let" | b"loop"
            | b"match" | b"mod" | b"move" | b"mut" | b"pub" | b"ref" | b"return" | b"static"
            | b"struct" | b"super" | b"trait" | b"type" | b"unsafe" | b"use" | b"where"
            | b"while" | b"async" | b"await" | b"dyn" | b"yield" | b"union" | b"macro_rules" => {
                TokenKind::Keyword
            }
            b"true" | b"false" | b"self" => TokenKind::Constant,
            b"u8" | b"u16" | b"u32" | b"u64" | b"u128" | b"usize" | b"i8" | b"i16" | b"i32"
            | b"i64" | b"i128" | b"isize" | b"f32" | b"f64" | b"bool" | b"char" | b"str" => {
                TokenKind::Type
            }
            _ => return None,
        })
    },
    case_insensitive: false,
    defines_function: |w| w == b"fn",
    defines_type: |w| matches!(w, b"struct" | b"enum" | b"trait" | b"union" | b"type"),
    capitalised_types: true,
    calls: true,
    rust: true,
    decorators: false,
    shell: false,
    toml: false,
    operators: b"=+-*/%<>!&|^?",
};

static JAVASCRIPT: Spec = Spec {
    line_comments: &[b"//"],
    block_comment: Some((b"/*", b"*/")),
    nested_comments: false,
    comment_at_word_start: false,
    quotes: b"\"'`",
    triple_quotes: false,
    multiline_strings: false,
    escapes: b"\"'`",
    string_prefixes: NO,
    word: |w| {
        Some(match w {
            b"break" | b"case" | b"catch" | b"class" | b"const" | b"continue" | b"debugger"
            | b"default" | b"delete" | b"do" | b"else" | b"export" | b"extends" | b"finally"
            | b"for" | b"function" | b"if" | b"import" | b"in" | b"instanceof" | b"let"
            | b"new" | b"return" | b"super" | b"switch" | b"throw" | b"try" | b"typeof"
            | b"var" | b"void" | b"while" | b"with" | b"yield" | b"async" | b"await"
            | b"static" | b"get" | b"set" | b"of" | b"from" | b"as" | b"interface" | b"type"
            | b"enum" | b"implements" | b"private" | b"public" | b"protected" | b"readonly" => {
                TokenKind::Keyword
            }
            b"true" | b"false" | b"null" | b"undefined" | b"NaN" | b"Infinity" | b"this" => {
                TokenKind::Constant
            }
            b"string" | b"number" | b"boolean" | b"any" | b"unknown" | b"never" | b"object" => {
                TokenKind::Type
            }
            _ => return None,
        })
    },
    case_insensitive: false,
    defines_function: |w| w == b"function",
    defines_type: |w| matches!(w, b"class" | b"interface" | b"extends"),
    capitalised_types: true,
    calls: true,
    rust: false,
    decorators: true,
    shell: false,
    toml: false,
    operators: b"=+-*/%<>!&|^~?",
};

static C_FAMILY: Spec = Spec {
    line_comments: &[b"//"],
    block_comment: Some((b"/*", b"*/")),
    nested_comments: false,
    comment_at_word_start: false,
    quotes: b"\"'",
    triple_quotes: false,
    multiline_strings: false,
    escapes: b"\"'",
    string_prefixes: NO,
    word: |w| {
        Some(match w {
            b"auto" | b"break" | b"case" | b"catch" | b"class" | b"const" | b"continue"
            | b"default" | b"delete" | b"do" | b"else" | b"enum" | b"extern" | b"for" | b"goto"
            | b"if" | b"inline" | b"namespace" | b"new" | b"operator" | b"private"
            | b"protected" | b"public" | b"register" | b"return" | b"sizeof" | b"static"
            | b"struct" | b"switch" | b"template" | b"throw" | b"try" | b"typedef"
            | b"typename" | b"union" | b"using" | b"virtual" | b"volatile" | b"while"
            | b"import" | b"package" | b"func" | b"go" | b"defer" | b"chan" | b"select"
            | b"range" | b"type" | b"var" | b"interface" | b"map" | b"extends" | b"implements"
            | b"final" | b"abstract" | b"throws" | b"fun" | b"val" => TokenKind::Keyword,
            b"true" | b"false" | b"null" | b"nullptr" | b"nil" | b"NULL" | b"this" => {
                TokenKind::Constant
            }
            b"int" | b"char" | b"float" | b"double" | b"long" | b"short" | b"unsigned"
            | b"signed" | b"void" | b"bool" | b"boolean" | b"byte" | b"string" | b"size_t"
            | b"error" | b"int64" | b"int32" | b"uint8" | b"rune" => TokenKind::Type,
            _ => return None,
        })
    },
    case_insensitive: false,
    defines_function: |w| matches!(w, b"func" | b"fun"),
    defines_type: |w| matches!(w, b"class" | b"struct" | b"interface" | b"enum"),
    capitalised_types: true,
    calls: true,
    rust: false,
    decorators: true,
    shell: false,
    toml: false,
    operators: b"=+-*/%<>!&|^~?",
};

static SHELL: Spec = Spec {
    line_comments: &[b"#"],
    block_comment: None,
    nested_comments: false,
    comment_at_word_start: true,
    quotes: b"\"'",
    triple_quotes: false,
    multiline_strings: true,
    escapes: b"\"",
    string_prefixes: NO,
    word: |w| {
        Some(match w {
            b"if" | b"then" | b"else" | b"elif" | b"fi" | b"for" | b"in" | b"do" | b"done"
            | b"while" | b"until" | b"case" | b"esac" | b"function" | b"select" | b"time"
            | b"return" | b"exit" | b"break" | b"continue" | b"local" | b"export" | b"readonly"
            | b"declare" | b"unset" | b"shift" => TokenKind::Keyword,
            b"echo" | b"cd" | b"printf" | b"read" | b"source" | b"eval" | b"exec" | b"set"
            | b"test" | b"trap" | b"wait" | b"sudo" | b"alias" | b"pwd" | b"pushd" | b"popd"
            | b"getopts" | b"command" | b"type" | b"ulimit" | b"umask" => TokenKind::Function,
            b"true" | b"false" => TokenKind::Constant,
            _ => return None,
        })
    },
    case_insensitive: false,
    defines_function: |w| w == b"function",
    defines_type: NO,
    capitalised_types: false,
    calls: false,
    rust: false,
    decorators: false,
    shell: true,
    toml: false,
    operators: b"|&;<>",
};

static SQL: Spec = Spec {
    line_comments: &[b"--"],
    block_comment: Some((b"/*", b"*/")),
    nested_comments: false,
    comment_at_word_start: false,
    quotes: b"'",
    triple_quotes: false,
    multiline_strings: true,
    escapes: b"",
    string_prefixes: |p| matches!(p, b"e" | b"E" | b"n" | b"N" | b"x" | b"X"),
    word: |w| {
        Some(match w {
            b"select" | b"from" | b"where" | b"and" | b"or" | b"not" | b"insert" | b"into"
            | b"values" | b"update" | b"set" | b"delete" | b"create" | b"table" | b"drop"
            | b"alter" | b"add" | b"column" | b"index" | b"on" | b"join" | b"left" | b"right"
            | b"inner" | b"outer" | b"full" | b"cross" | b"group" | b"by" | b"order"
            | b"having" | b"limit" | b"offset" | b"as" | b"distinct" | b"union" | b"all"
            | b"case" | b"when" | b"then" | b"else" | b"end" | b"in" | b"is" | b"like"
            | b"between" | b"exists" | b"primary" | b"key" | b"foreign" | b"references"
            | b"unique" | b"check" | b"default" | b"constraint" | b"begin" | b"commit"
            | b"rollback" | b"transaction" | b"with" | b"returning" | b"view" | b"if"
            | b"cascade" | b"asc" | b"desc" | b"grant" | b"revoke" | b"to" | b"database"
            | b"schema" | b"trigger" | b"function" | b"returns" | b"language" | b"replace"
            | b"using" | b"interval" | b"over" | b"partition" | b"window" | b"conflict" | b"do"
            | b"nothing" | b"explain" | b"analyze" | b"vacuum" => TokenKind::Keyword,
            b"null" | b"true" | b"false" | b"current_timestamp" | b"current_date" => {
                TokenKind::Constant
            }
            b"int" | b"integer" | b"bigint" | b"smallint" | b"serial" | b"bigserial" | b"text"
            | b"varchar" | b"char" | b"boolean" | b"bool" | b"date" | b"time" | b"timestamp"
            | b"timestamptz" | b"numeric" | b"decimal" | b"real" | b"float" | b"double"
            | b"precision" | b"json" | b"jsonb" | b"uuid" | b"blob" | b"bytea" | b"zone" => {
                TokenKind::Type
            }
            _ => return None,
        })
    },
    case_insensitive: true,
    defines_function: NO,
    defines_type: NO,
    capitalised_types: false,
    calls: true,
    rust: false,
    decorators: false,
    shell: false,
    toml: false,
    operators: b"=+-*/%<>!|",
};

static TOML: Spec = Spec {
    line_comments: &[b"#"],
    block_comment: None,
    nested_comments: false,
    comment_at_word_start: false,
    quotes: b"\"'",
    triple_quotes: true,
    multiline_strings: false,
    escapes: b"\"",
    string_prefixes: NO,
    word: |w| match w {
        b"true" | b"false" | b"inf" | b"nan" => Some(TokenKind::Constant),
        _ => None,
    },
    case_insensitive: false,
    defines_function: NO,
    defines_type: NO,
    capitalised_types: false,
    calls: false,
    rust: false,
    decorators: false,
    shell: false,
    toml: true,
    operators: b"",
};

static JSON: Spec = Spec {
    line_comments: &[b"//"],
    block_comment: Some((b"/*", b"*/")),
    nested_comments: false,
    comment_at_word_start: false,
    quotes: b"\"",
    triple_quotes: false,
    multiline_strings: false,
    escapes: b"\"",
    string_prefixes: NO,
    word: |w| match w {
        b"true" | b"false" | b"null" => Some(TokenKind::Constant),
        _ => None,
    },
    case_insensitive: false,
    defines_function: NO,
    defines_type: NO,
    capitalised_types: false,
    calls: false,
    rust: false,
    decorators: false,
    shell: false,
    toml: false,
    operators: b"",
};

fn is_word_start(b: u8) -> bool {
    b.is_ascii_alphabetic() || b == b'_' || b >= 0x80
}

fn is_word(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_' || b >= 0x80
}

/// The scanner's state: the bytes, the position, and the tokens so far.
struct Scan<'a> {
    code: &'a [u8],
    at: usize,
    out: Tokens,
    /// Whether the next [`Scan::code`] starts at a shell command name (not after a
    /// Dockerfile instruction like `FROM`, whose argument is an image).
    shell_command_first: bool,
}

impl<'a> Scan<'a> {
    fn new(code: &'a [u8]) -> Self {
        Scan {
            code,
            at: 0,
            out: Tokens::default(),
            shell_command_first: true,
        }
    }

    fn peek(&self, offset: usize) -> u8 {
        self.code.get(self.at + offset).copied().unwrap_or(0)
    }

    fn starts_with(&self, s: &[u8]) -> bool {
        self.code[self.at..].starts_with(s)
    }

    fn line_end(&self, from: usize) -> usize {
        self.code[from..]
            .iter()
            .position(|&b| b == b'\n')
            .map_or(self.code.len(), |p| from + p)
    }

    fn emit(&mut self, kind: TokenKind, start: usize, end: usize) {
        self.out.push_multiline(self.code, kind, start, end);
    }

    fn word_end(&self, from: usize) -> usize {
        let mut end = from;
        while end < self.code.len() && is_word(self.code[end]) {
            end += 1;
        }
        end
    }

    fn at_word_start(&self) -> bool {
        self.at == 0 || matches!(self.code[self.at - 1], b' ' | b'\t' | b'\n' | b';' | b'(')
    }

    /// The generic scanner, from `self.at` to `end`.
    fn code(&mut self, spec: &Spec, end: usize) {
        // The previous word defined a function or a type: the next word is its name.
        let mut names: Option<TokenKind> = None;
        // At the start of a line, for TOML keys.
        let mut line_start = true;
        // Shell: the next word is a command name (at a line's start, after `|`, `;`, `&&`,
        // `(`, or a keyword such as `then`).
        let mut command = std::mem::replace(&mut self.shell_command_first, true);
        while self.at < end {
            let b = self.code[self.at];
            let start = self.at;
            if b == b'\n' {
                self.at += 1;
                line_start = true;
                // A line continued with `\` goes on with the same command.
                command |= start == 0 || self.code[start - 1] != b'\\';
                continue;
            }
            if b == b' ' || b == b'\t' || b == b'\r' {
                self.at += 1;
                continue;
            }
            let command_position = std::mem::replace(&mut command, false);
            let first_on_line = line_start;
            line_start = false;
            if let Some(close) = self.comment(spec, end) {
                self.emit(TokenKind::Comment, start, close);
                self.at = close;
                continue;
            }
            if spec.rust && b == b'#' && (self.peek(1) == b'[' || self.starts_with(b"#![")) {
                let close = self.bracket_end(self.at, b'[', b']', end);
                self.emit(TokenKind::Attribute, start, close);
                self.at = close;
                continue;
            }
            if spec.toml && first_on_line && b == b'[' {
                let close = self.line_end(self.at);
                let close = self.code[start..close]
                    .iter()
                    .rposition(|&c| c == b']')
                    .map_or(close, |p| start + p + 1);
                self.emit(TokenKind::Keyword, start, close);
                self.at = close;
                continue;
            }
            if spec.quotes.contains(&b) {
                let close = self.string(spec, self.at, end);
                let kind = if spec.toml && first_on_line && self.followed_by_equals(close) {
                    TokenKind::Attribute
                } else {
                    TokenKind::String
                };
                self.emit(kind, start, close);
                self.at = close;
                continue;
            }
            if spec.rust && b == b'\'' {
                let close = self.rust_quote(end);
                self.at = close;
                continue;
            }
            if b.is_ascii_digit() || (b == b'.' && self.peek(1).is_ascii_digit()) {
                let close = self.number(end);
                if spec.toml && first_on_line && self.followed_by_equals(close) {
                    self.emit(TokenKind::Attribute, start, close);
                } else {
                    self.emit(TokenKind::Constant, start, close);
                }
                self.at = close;
                continue;
            }
            if spec.decorators && b == b'@' && is_word_start(self.peek(1)) {
                let mut close = self.word_end(self.at + 1);
                while close + 1 < end && self.code[close] == b'.' && is_word(self.code[close + 1]) {
                    close = self.word_end(close + 1);
                }
                self.emit(TokenKind::Attribute, start, close);
                self.at = close;
                continue;
            }
            if spec.shell && b == b'$' {
                self.at = self.shell_variable(end);
                continue;
            }
            if is_word_start(b) {
                let close = self.word_end(self.at).min(end);
                let word = &self.code[start..close];
                // A string prefix (`r"..."`, `b'...'`, `f"..."`).
                if let Some(&q) = self.code.get(close)
                    && spec.quotes.contains(&q)
                    && (spec.string_prefixes)(word)
                {
                    let close = self.string(spec, close, end);
                    self.emit(TokenKind::String, start, close);
                    self.at = close;
                    continue;
                }
                if spec.rust
                    && (word == b"r" || word == b"br")
                    && matches!(self.code.get(close), Some(b'#' | b'"'))
                    && let Some(close) = self.raw_string(close, end)
                {
                    self.emit(TokenKind::String, start, close);
                    self.at = close;
                    continue;
                }
                if spec.shell {
                    // Shell words run on through `-`, `.` and `/` (`apt-get`, `./x.sh`).
                    let mut close = close;
                    while close < end && matches!(self.code[close], b'-' | b'.' | b'/') {
                        close = self.word_end(close + 1).min(end).max(close + 1);
                    }
                    let word = &self.code[start..close];
                    let fixed = (spec.word)(word);
                    let names_function = names.take().is_some();
                    let command_name =
                        fixed.is_none() && command_position && self.code.get(close) != Some(&b'=');
                    let kind = if names_function || command_name {
                        Some(TokenKind::Function)
                    } else {
                        fixed
                    };
                    command = (fixed == Some(TokenKind::Keyword) && word != b"function")
                        || matches!(word, b"sudo" | b"time" | b"exec" | b"command" | b"nohup");
                    if let Some(kind) = kind {
                        if kind == TokenKind::Keyword && (spec.defines_function)(word) {
                            names = Some(TokenKind::Function);
                        }
                        self.emit(kind, start, close);
                    }
                    self.at = close;
                    continue;
                }
                if spec.toml && first_on_line && self.followed_by_equals(close) {
                    let mut close = close;
                    while close < end && matches!(self.code[close], b'-' | b'.') {
                        close = self.word_end(close + 1).min(end).max(close + 1);
                    }
                    self.emit(TokenKind::Attribute, start, close);
                    self.at = close;
                    continue;
                }
                let fixed = if spec.case_insensitive && word.len() <= 20 {
                    let mut lower = [0u8; 20];
                    lower[..word.len()].copy_from_slice(word);
                    lower[..word.len()].make_ascii_lowercase();
                    (spec.word)(&lower[..word.len()])
                } else {
                    (spec.word)(word)
                };
                let kind = if let Some(kind) = names.take() {
                    Some(kind)
                } else if spec.rust
                    && self.code.get(close) == Some(&b'!')
                    && self.code.get(close + 1) != Some(&b'=')
                {
                    // A macro call: `println!`, `vec!`.
                    self.emit(TokenKind::Function, start, close + 1);
                    self.at = close + 1;
                    continue;
                } else if fixed.is_some() {
                    fixed
                } else if spec.calls && self.next_non_space(close, end) == b'(' {
                    Some(TokenKind::Function)
                } else if spec.capitalised_types
                    && word[0].is_ascii_uppercase()
                    && word.iter().any(|c| c.is_ascii_lowercase())
                {
                    Some(TokenKind::Type)
                } else {
                    None
                };
                if (spec.defines_function)(word) {
                    names = Some(TokenKind::Function);
                } else if (spec.defines_type)(word) {
                    names = Some(TokenKind::Type);
                }
                if let Some(kind) = kind {
                    self.emit(kind, start, close);
                }
                self.at = close;
                continue;
            }
            if spec.operators.contains(&b) {
                let mut close = self.at + 1;
                while close < end && spec.operators.contains(&self.code[close]) {
                    close += 1;
                }
                self.emit(TokenKind::Operator, start, close);
                command = self.code[start..close]
                    .iter()
                    .any(|c| matches!(c, b'|' | b'&' | b';'));
                self.at = close;
                continue;
            }
            command = matches!(b, b'(' | b'{' | b'`');
            // Punctuation and anything else: plain. A non-ASCII byte is a word start, so this
            // never stops inside a character.
            self.at += 1;
        }
    }

    /// If a comment starts here, where it ends.
    fn comment(&self, spec: &Spec, end: usize) -> Option<usize> {
        for opener in spec.line_comments {
            if self.starts_with(opener) && (!spec.comment_at_word_start || self.at_word_start()) {
                return Some(self.line_end(self.at).min(end));
            }
        }
        let (open, close) = spec.block_comment?;
        if !self.starts_with(open) {
            return None;
        }
        let mut depth = 0usize;
        let mut i = self.at;
        while i < end {
            if self.code[i..].starts_with(open) {
                depth += 1;
                i += open.len();
            } else if self.code[i..].starts_with(close) {
                depth -= 1;
                i += close.len();
                if depth == 0 || !spec.nested_comments {
                    return Some(i.min(end));
                }
            } else {
                i += 1;
            }
        }
        Some(end)
    }

    /// The end of the string whose quote is at `from`.
    fn string(&self, spec: &Spec, from: usize, end: usize) -> usize {
        let q = self.code[from];
        if spec.triple_quotes && self.code[from..].starts_with(&[q, q, q]) {
            let mut i = from + 3;
            while i < end {
                if self.code[i] == b'\\' && spec.escapes.contains(&q) {
                    i += 2;
                } else if self.code[i..].starts_with(&[q, q, q]) {
                    // `""""` closes with the last three quotes.
                    let mut close = i + 3;
                    while close < end && self.code[close] == q {
                        close += 1;
                    }
                    return close.min(end);
                } else {
                    i += 1;
                }
            }
            return end;
        }
        let mut i = from + 1;
        while i < end {
            match self.code[i] {
                b'\\' if spec.escapes.contains(&q) => i += 2,
                b'\n' if !spec.multiline_strings && q != b'`' => return i,
                c if c == q => return i + 1,
                _ => i += 1,
            }
        }
        end
    }

    /// `r#"..."#` from the first `#` after `r`: the end, or `None` if it is not a raw string.
    fn raw_string(&self, from: usize, end: usize) -> Option<usize> {
        let hashes = self.code[from..end]
            .iter()
            .take_while(|&&c| c == b'#')
            .count();
        if self.code.get(from + hashes) != Some(&b'"') {
            return None;
        }
        let mut i = from + hashes + 1;
        while i < end {
            if self.code[i] == b'"'
                && self.code[i + 1..end]
                    .iter()
                    .take(hashes)
                    .filter(|&&c| c == b'#')
                    .count()
                    == hashes
            {
                return Some(i + 1 + hashes);
            }
            i += 1;
        }
        Some(end)
    }

    /// A Rust `'`: a character literal (`'a'`, `'\n'`), a lifetime (`'a`) or a stray quote.
    /// Emits its token and returns where it ends.
    fn rust_quote(&mut self, end: usize) -> usize {
        let start = self.at;
        if self.peek(1) == b'\\' {
            // The escaped character is never the closing quote: `'\''`.
            let close = self
                .code
                .get(start + 3..end.min(start + 14))
                .and_then(|rest| rest.iter().position(|&c| c == b'\''))
                .map_or(start + 1, |p| start + 3 + p + 1);
            self.emit(TokenKind::String, start, close);
            return close;
        }
        // One character (of up to four bytes) then a quote: a character literal.
        let char_len = match self.peek(1) {
            0 => return start + 1,
            c if c < 0x80 => 1,
            c if c >= 0xf0 => 4,
            c if c >= 0xe0 => 3,
            _ => 2,
        };
        if self.code.get(start + 1 + char_len) == Some(&b'\'') {
            let close = start + 2 + char_len;
            self.emit(TokenKind::String, start, close);
            return close;
        }
        if is_word_start(self.peek(1)) {
            let close = self.word_end(start + 1).min(end);
            self.emit(TokenKind::Keyword, start, close);
            return close;
        }
        start + 1
    }

    /// The end of a number starting here (digits, letters for bases and suffixes, one `.`).
    fn number(&self, end: usize) -> usize {
        let mut i = self.at;
        while i < end {
            let c = self.code[i];
            let fraction = c == b'.' && self.code.get(i + 1).is_some_and(u8::is_ascii_digit);
            let exponent_sign = matches!(c, b'+' | b'-')
                && matches!(self.code[i - 1], b'e' | b'E')
                && !self.code[self.at..i].starts_with(b"0x");
            if (is_word(c) && c < 0x80) || fraction || exponent_sign {
                i += 1;
            } else {
                break;
            }
        }
        i
    }

    /// The end of a bracketed run from `from` (an opening bracket), nesting counted.
    fn bracket_end(&self, from: usize, open: u8, close: u8, end: usize) -> usize {
        let mut depth = 0usize;
        for (i, &c) in self.code[from..end].iter().enumerate() {
            if c == open {
                depth += 1;
            } else if c == close {
                depth = depth.saturating_sub(1);
                if depth == 0 {
                    return from + i + 1;
                }
            } else if c == b'\n' && open == b'[' && depth == 1 && i > 0 {
                // An attribute that never closes on its line: stop at the line's end.
                return from + i;
            }
        }
        end
    }

    fn next_non_space(&self, from: usize, end: usize) -> u8 {
        self.code[from..end]
            .iter()
            .copied()
            .find(|&c| c != b' ')
            .unwrap_or(0)
    }

    /// Whether a TOML key ends at `from`: dotted parts and spaces, then `=` (not `==`).
    fn followed_by_equals(&self, from: usize) -> bool {
        let mut i = from;
        while i < self.code.len()
            && (is_word(self.code[i]) || matches!(self.code[i], b' ' | b'\t' | b'.' | b'-'))
        {
            i += 1;
        }
        self.code.get(i) == Some(&b'=') && self.code.get(i + 1) != Some(&b'=')
    }

    /// `$name`, `${...}`, `$1`, `$?`: a constant-coloured variable. Returns its end.
    fn shell_variable(&mut self, end: usize) -> usize {
        let start = self.at;
        let close = match self.peek(1) {
            b'{' => self.bracket_end(start + 1, b'{', b'}', end),
            c if is_word_start(c) => self.word_end(start + 1).min(end),
            c if c.is_ascii_digit() || matches!(c, b'?' | b'@' | b'*' | b'#' | b'$' | b'!') => {
                start + 2
            }
            _ => return start + 1,
        };
        self.emit(TokenKind::Constant, start, close);
        close
    }

    /// YAML: comments, `key:` names, quoted and plain scalars' constants, anchors.
    fn yaml(&mut self) {
        let len = self.code.len();
        while self.at < len {
            let line_end = self.line_end(self.at);
            let mut i = self.at;
            // Indentation and list dashes.
            while i < line_end && matches!(self.code[i], b' ' | b'\t' | b'-') {
                if self.code[i] == b'-'
                    && self
                        .code
                        .get(i + 1)
                        .is_some_and(|&c| c != b' ' && c != b'\n')
                {
                    break;
                }
                i += 1;
            }
            let line = &self.code[i..line_end];
            if line.starts_with(b"#") {
                self.emit(TokenKind::Comment, i, line_end);
            } else if line.starts_with(b"---") || line.starts_with(b"...") {
                self.emit(TokenKind::Keyword, i, i + 3);
            } else {
                // `key:` up to the first `: ` or a trailing `:`.
                let mut value = i;
                if let Some(colon) = find_key_colon(line) {
                    self.emit(TokenKind::Keyword, i, i + colon);
                    value = i + colon + 1;
                }
                self.yaml_value(value, line_end);
            }
            self.at = line_end + 1;
        }
    }

    fn yaml_value(&mut self, from: usize, line_end: usize) {
        let mut i = from;
        while i < line_end && self.code[i] == b' ' {
            i += 1;
        }
        if i >= line_end {
            return;
        }
        let rest = &self.code[i..line_end];
        let comment = rest.windows(2).position(|w| w == b" #").map(|p| i + p + 1);
        let value_end = comment.unwrap_or(line_end);
        match rest[0] {
            b'"' | b'\'' => {
                self.at = i;
                let close = self.string(&JSON, i, line_end).min(line_end);
                self.emit(TokenKind::String, i, close);
            }
            b'&' | b'*' | b'!' => {
                let close = self.code[i..value_end]
                    .iter()
                    .position(|&c| c == b' ')
                    .map_or(value_end, |p| i + p);
                self.emit(TokenKind::Attribute, i, close);
            }
            b'|' | b'>' => self.emit(TokenKind::Operator, i, i + 1),
            _ => {
                let value = trim_end(&self.code[i..value_end]);
                let is_constant = matches!(
                    value,
                    b"true"
                        | b"false"
                        | b"True"
                        | b"False"
                        | b"yes"
                        | b"no"
                        | b"null"
                        | b"~"
                        | b"on"
                        | b"off"
                ) || (!value.is_empty()
                    && value
                        .iter()
                        .all(|c| c.is_ascii_digit() || matches!(c, b'.' | b'-' | b'+' | b'_')));
                if is_constant && !value.is_empty() {
                    self.emit(TokenKind::Constant, i, i + value.len());
                }
            }
        }
        if let Some(c) = comment {
            self.emit(TokenKind::Comment, c, line_end);
        }
    }

    /// HTML and XML: `<!-- -->`, tags and their attributes, entities; template tags
    /// (`{{ }}`, `{% %}`) of Jinja and Django.
    fn markup(&mut self) {
        let len = self.code.len();
        while self.at < len {
            let start = self.at;
            if self.starts_with(b"<!--") {
                let close = find(self.code, start + 4, b"-->").map_or(len, |p| p + 3);
                self.emit(TokenKind::Comment, start, close);
                self.at = close;
            } else if self.starts_with(b"{{") || self.starts_with(b"{%") || self.starts_with(b"{#")
            {
                let closer: &[u8] = match self.peek(1) {
                    b'{' => b"}}",
                    b'%' => b"%}",
                    _ => b"#}",
                };
                let close = find(self.code, start + 2, closer).map_or(len, |p| p + 2);
                let kind = if self.peek(1) == b'#' {
                    TokenKind::Comment
                } else {
                    TokenKind::Attribute
                };
                self.emit(kind, start, close);
                self.at = close;
            } else if self.code[start] == b'<'
                && (is_word_start(self.peek(1)) || matches!(self.peek(1), b'/' | b'!' | b'?'))
            {
                self.tag(len);
            } else if self.code[start] == b'&' {
                let close = self.code[start + 1..len.min(start + 12)]
                    .iter()
                    .position(|&c| c == b';')
                    .map(|p| start + 1 + p + 1);
                match close {
                    Some(close)
                        if self.code[start + 1..close - 1]
                            .iter()
                            .all(|&c| c.is_ascii_alphanumeric() || c == b'#') =>
                    {
                        self.emit(TokenKind::Constant, start, close);
                        self.at = close;
                    }
                    _ => self.at += 1,
                }
            } else {
                self.at += 1;
            }
        }
    }

    /// A tag from its `<`: the name, attribute names and quoted values.
    fn tag(&mut self, len: usize) {
        let start = self.at;
        let mut i = start + 1;
        while i < len && matches!(self.code[i], b'/' | b'!' | b'?') {
            i += 1;
        }
        let name_end = tag_name_end(self.code, i);
        self.emit(TokenKind::Keyword, i, name_end);
        i = name_end;
        let mut stray = false;
        while i < len && self.code[i] != b'>' {
            let c = self.code[i];
            if c == b'"' || c == b'\'' {
                let close = find(self.code, i + 1, &[c]).map_or(len, |p| p + 1);
                self.emit(TokenKind::String, i, close);
                i = close;
            } else if is_word_start(c) {
                let close = tag_name_end(self.code, i);
                self.emit(TokenKind::Attribute, i, close);
                i = close;
            } else if c == b'<' {
                // Not a tag after all (`a <b` in text): stop here.
                stray = true;
                break;
            } else {
                i += 1;
            }
        }
        self.at = if stray { i } else { (i + 1).min(len) }.max(start + 1);
    }

    /// Dockerfile: the instruction starting each line, comments, the rest as shell.
    fn dockerfile(&mut self) {
        let len = self.code.len();
        let mut continued = false;
        while self.at < len {
            let line_start = self.at;
            let line_end = self.line_end(self.at);
            let mut i = self.at;
            while i < line_end && matches!(self.code[i], b' ' | b'\t') {
                i += 1;
            }
            if self.code[i..line_end].starts_with(b"#") {
                self.emit(TokenKind::Comment, i, line_end);
            } else {
                let mut shell = continued;
                if !continued {
                    let word_end = self.word_end(i).min(line_end);
                    if self.code[i..word_end].iter().all(u8::is_ascii_uppercase) {
                        self.emit(TokenKind::Keyword, i, word_end);
                        shell = matches!(&self.code[i..word_end], b"RUN" | b"CMD" | b"ENTRYPOINT");
                        i = word_end;
                    }
                }
                self.shell_command_first = shell;
                self.at = i;
                self.code(&SHELL, line_end);
            }
            continued = trim_end(&self.code[line_start..line_end]).ends_with(b"\\");
            self.at = line_end + 1;
        }
    }

    /// A terminal session: a line that starts with a prompt (`$ `, `# `, `% `, `> `, with an
    /// optional `(venv) ` or `user@host:~` before it) is a command, shown as shell after the
    /// prompt; the other lines are the commands' output, left plain.
    fn console(&mut self) {
        let len = self.code.len();
        while self.at < len {
            let line_end = self.line_end(self.at);
            if let Some(prompt_end) = prompt_end(&self.code[self.at..line_end]) {
                let start = self.at;
                self.emit(TokenKind::Operator, start, start + prompt_end);
                self.at = start + prompt_end;
                self.code(&SHELL, line_end);
            }
            self.at = line_end + 1;
        }
    }
}

/// Where a YAML key's colon is in `line` (a `:` followed by a space or the line's end, before
/// any quote or comment).
fn find_key_colon(line: &[u8]) -> Option<usize> {
    if matches!(
        line.first(),
        Some(b'"' | b'\'' | b'{' | b'[' | b'#' | b'&' | b'*')
    ) {
        return None;
    }
    for (i, &c) in line.iter().enumerate() {
        match c {
            b':' if matches!(line.get(i + 1), None | Some(b' ' | b'\r' | b'\t')) => {
                return (i > 0).then_some(i);
            }
            b'#' if i > 0 && line[i - 1] == b' ' => return None,
            _ => {}
        }
    }
    None
}

/// The length of a shell prompt at the start of `line`, including the space after it.
fn prompt_end(line: &[u8]) -> Option<usize> {
    let mut i = 0;
    if line.first() == Some(&b'(') {
        i = line.iter().position(|&c| c == b')')? + 1;
        while line.get(i) == Some(&b' ') {
            i += 1;
        }
    }
    // `user@host:~/dir` before the prompt character, without spaces.
    while i < line.len() && !matches!(line[i], b'$' | b'#' | b'%' | b'>' | b' ') {
        i += 1;
    }
    match (line.get(i), line.get(i + 1)) {
        (Some(b'$' | b'#' | b'%' | b'>'), Some(b' ')) => Some(i + 2),
        _ => None,
    }
}

fn tag_name_end(code: &[u8], from: usize) -> usize {
    let mut i = from;
    while i < code.len() && (is_word(code[i]) || matches!(code[i], b'-' | b':' | b'.')) {
        i += 1;
    }
    i
}

fn find(code: &[u8], from: usize, needle: &[u8]) -> Option<usize> {
    code.get(from..)?
        .windows(needle.len())
        .position(|w| w == needle)
        .map(|p| from + p)
}

fn trim_end(s: &[u8]) -> &[u8] {
    let mut end = s.len();
    while end > 0 && matches!(s[end - 1], b' ' | b'\t' | b'\r') {
        end -= 1;
    }
    &s[..end]
}
