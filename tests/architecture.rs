//! The house rules of the source tree, checked on `src/` itself (issue 14):
//!
//! - no import cycles between files;
//! - no import from `read/` into `write/` or back (readers never call writers, and writers never
//!   call readers);
//! - no function over 120 lines, except the parsers' event dispatchers listed in
//!   [`LONG_FUNCTIONS`] (a ratchet: the list may only shrink, and an entry that is no longer long
//!   fails until it is removed).
//!
//! How the import graph is built. Every `.rs` file under `src/` is a node. An edge goes from a
//! file to the file that defines the module a path names: `use crate::a::b::{c, d}`, `super::x`,
//! `self::x`, a child module's name (`blocks::Ctx` in the parent that declares `mod blocks`),
//! `bindery::a` from the binary, and such paths written inside code (`crate::model::plain_text(..)`)
//! all count. A path is resolved to the longest prefix that is a module with its own file; an item
//! re-exported by a parent (`crate::Error` from `lib.rs`) therefore points at the parent.
//!
//! A parent module (`mod.rs`, or `x.rs` with children in `x/`) and each child are separate
//! files. Declaring a child (`mod child;`) is structure, not an import, and is no edge; but a
//! parent that uses a child's items (`use child::Thing`, `pub use child::Thing`) and a child that
//! uses the parent's (`use super::Thing`) make a cycle like any other two files. Shared items go
//! to a third file both can import.
//!
//! Test code (`#[cfg(test)]` modules, and files declared by one) is left out: a writer's unit test
//! may read Markdown to build its input without making the writer depend on a reader.
//!
//! The binary (`main.rs`, `cli.rs`, `commands/`) is its own crate: `crate::` there means the
//! binary, and `bindery::` the library.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// A file of the source tree, by its path relative to `src/` (`book/mod.rs`).
type File = String;

struct Source {
    /// The module path of the file within its crate (`["book", "resources"]`).
    module: Vec<String>,
    /// Whether it belongs to the binary crate.
    binary: bool,
    /// The text with comments, literals and test modules blanked out.
    code: String,
    /// Child modules it declares (`mod x;`), outside test code.
    children: BTreeSet<String>,
}

fn src_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("src")
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let mut entries: Vec<_> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|entry| entry.unwrap().path())
        .collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// Replaces comments, string and character literals by spaces (keeping line breaks), so that
/// paths are only found in code.
fn strip_comments_and_literals(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    let blank = |c: char| if c == '\n' { '\n' } else { ' ' };
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let next = chars.get(i + 1).copied();
        if c == '/' && next == Some('/') {
            while i < chars.len() && chars[i] != '\n' {
                out.push(' ');
                i += 1;
            }
        } else if c == '/' && next == Some('*') {
            let mut depth = 0;
            while i < chars.len() {
                if chars[i] == '/' && chars.get(i + 1) == Some(&'*') {
                    depth += 1;
                    out.push_str("  ");
                    i += 2;
                } else if chars[i] == '*' && chars.get(i + 1) == Some(&'/') {
                    depth -= 1;
                    out.push_str("  ");
                    i += 2;
                    if depth == 0 {
                        break;
                    }
                } else {
                    out.push(blank(chars[i]));
                    i += 1;
                }
            }
        } else if c == 'r' && (next == Some('"') || next == Some('#')) && !ident_before(&chars, i) {
            // A raw string r"..." or r#"..."#.
            let mut j = i + 1;
            let mut hashes = 0;
            while chars.get(j) == Some(&'#') {
                hashes += 1;
                j += 1;
            }
            if chars.get(j) != Some(&'"') {
                out.push(c);
                i += 1;
                continue;
            }
            j += 1;
            loop {
                match chars.get(j) {
                    None => break,
                    Some('"') if (1..=hashes).all(|k| chars.get(j + k) == Some(&'#')) => {
                        j += 1 + hashes;
                        break;
                    }
                    Some(_) => j += 1,
                }
            }
            for &ch in &chars[i..j.min(chars.len())] {
                out.push(blank(ch));
            }
            i = j;
        } else if c == '"' {
            out.push(' ');
            i += 1;
            while i < chars.len() && chars[i] != '"' {
                if chars[i] == '\\' {
                    out.push(' ');
                    i += 1;
                }
                if i < chars.len() {
                    out.push(blank(chars[i]));
                    i += 1;
                }
            }
            out.push(' ');
            i += 1;
        } else if c == '\'' {
            // A character literal ('x', '\n', '\u{1F}') or a lifetime ('a): only the former is
            // closed by a quote within a few characters.
            let close = if next == Some('\\') {
                (i + 2..chars.len().min(i + 12)).find(|&j| chars[j] == '\'')
            } else if chars.get(i + 2) == Some(&'\'') {
                Some(i + 2)
            } else {
                None
            };
            match close {
                Some(end) => {
                    for _ in i..=end {
                        out.push(' ');
                    }
                    i = end + 1;
                }
                None => {
                    out.push(c);
                    i += 1;
                }
            }
        } else {
            out.push(c);
            i += 1;
        }
    }
    out
}

fn ident_before(chars: &[char], i: usize) -> bool {
    i > 0 && (chars[i - 1].is_alphanumeric() || chars[i - 1] == '_')
}

#[derive(Debug, Clone, PartialEq)]
enum Token {
    Ident(String),
    PathSep,
    Punct(char),
}

fn tokens(code: &str) -> Vec<Token> {
    let chars: Vec<char> = code.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c.is_alphabetic() || c == '_' {
            let start = i;
            while i < chars.len() && (chars[i].is_alphanumeric() || chars[i] == '_') {
                i += 1;
            }
            out.push(Token::Ident(chars[start..i].iter().collect()));
        } else if c == ':' && chars.get(i + 1) == Some(&':') {
            out.push(Token::PathSep);
            i += 2;
        } else if c.is_whitespace() {
            i += 1;
        } else {
            out.push(Token::Punct(c));
            i += 1;
        }
    }
    out
}

/// Removes `#[cfg(test)]` items (inline test modules, and `mod tests;` declarations) from
/// stripped code.
fn strip_test_code(code: &str) -> String {
    let mut out = code.to_string();
    while let Some(at) = out.find("#[cfg(test)]") {
        let rest = &out[at..];
        let end = match (rest.find('{'), rest.find(';')) {
            (Some(brace), semi) if semi.is_none_or(|s| brace < s) => {
                let mut depth = 0;
                let mut end = rest.len();
                for (k, ch) in rest[brace..].char_indices() {
                    match ch {
                        '{' => depth += 1,
                        '}' => {
                            depth -= 1;
                            if depth == 0 {
                                end = brace + k + 1;
                                break;
                            }
                        }
                        _ => {}
                    }
                }
                end
            }
            (_, Some(semi)) => semi + 1,
            (_, None) => rest.len(),
        };
        let blanked: String = rest[..end]
            .chars()
            .map(|c| if c == '\n' { '\n' } else { ' ' })
            .collect();
        out.replace_range(at..at + end, &blanked);
    }
    out
}

/// Expands a `use` tree starting at `tokens[i]` into full paths; returns the index after it.
fn use_tree(
    tokens: &[Token],
    mut i: usize,
    prefix: &[String],
    out: &mut Vec<Vec<String>>,
) -> usize {
    let mut path = prefix.to_vec();
    loop {
        match tokens.get(i) {
            Some(Token::Ident(name)) if name == "as" => {
                i += 2; // `as alias`
            }
            Some(Token::Ident(name)) => {
                path.push(name.clone());
                i += 1;
            }
            Some(Token::PathSep) => i += 1,
            Some(Token::Punct('{')) => {
                i += 1;
                loop {
                    match tokens.get(i) {
                        Some(Token::Punct('}')) => return i + 1,
                        Some(Token::Punct(',')) => i += 1,
                        None => return i,
                        _ => i = use_tree(tokens, i, &path, out),
                    }
                }
            }
            Some(Token::Punct('*')) => i += 1,
            _ => {
                if path.last().is_some_and(|last| last == "self") {
                    path.pop();
                }
                out.push(path);
                return i;
            }
        }
    }
}

/// Every module path the code names: `use` trees, and paths in code starting with `crate`,
/// `super`, `self`, `bindery` or a child module.
fn named_paths(code: &str, children: &BTreeSet<String>) -> Vec<Vec<String>> {
    let tokens = tokens(code);
    let mut out = Vec::new();
    let mut i = 0;
    while i < tokens.len() {
        let starts_path = i == 0 || tokens[i - 1] != Token::PathSep;
        match &tokens[i] {
            Token::Ident(word) if word == "use" => {
                i = use_tree(&tokens, i + 1, &[], &mut out);
            }
            Token::Ident(word)
                if starts_path
                    && tokens.get(i + 1) == Some(&Token::PathSep)
                    && (matches!(word.as_str(), "crate" | "super" | "self" | "bindery")
                        || children.contains(word)) =>
            {
                let mut path = vec![word.clone()];
                let mut j = i + 1;
                while tokens.get(j) == Some(&Token::PathSep) {
                    match tokens.get(j + 1) {
                        Some(Token::Ident(next)) => path.push(next.clone()),
                        _ => break,
                    }
                    j += 2;
                }
                out.push(path);
                i = j;
            }
            _ => i += 1,
        }
    }
    out
}

fn load_sources() -> BTreeMap<File, Source> {
    let root = src_dir();
    let mut paths = Vec::new();
    rust_files(&root, &mut paths);
    assert!(paths.len() > 20, "src/ looks empty: {}", root.display());
    let mut sources = BTreeMap::new();
    let mut test_files = BTreeSet::new();
    for path in &paths {
        let relative = path
            .strip_prefix(&root)
            .unwrap()
            .to_str()
            .unwrap()
            .to_string();
        let text = std::fs::read_to_string(path).unwrap();
        let stripped = strip_comments_and_literals(&text);
        let code = strip_test_code(&stripped);
        // Children declared only under #[cfg(test)] are test files.
        let all_children = declared_children(&stripped);
        let children = declared_children(&code);
        let dir = module_dir(&relative);
        for test_child in all_children.difference(&children) {
            test_files.insert(format!("{dir}{test_child}.rs"));
            test_files.insert(format!("{dir}{test_child}/mod.rs"));
        }
        let binary =
            relative == "main.rs" || relative == "cli.rs" || relative.starts_with("commands/");
        sources.insert(
            relative.clone(),
            Source {
                module: module_path(&relative),
                binary,
                code,
                children,
            },
        );
    }
    sources.retain(|file, _| !test_files.contains(file));
    sources
}

fn declared_children(code: &str) -> BTreeSet<String> {
    let tokens = tokens(code);
    let mut out = BTreeSet::new();
    for (i, token) in tokens.iter().enumerate() {
        if token == &Token::Ident("mod".into())
            && let (Some(Token::Ident(name)), Some(Token::Punct(';'))) =
                (tokens.get(i + 1), tokens.get(i + 2))
        {
            out.insert(name.clone());
        }
    }
    out
}

/// The folder (relative to `src/`, with a trailing slash) where a file's children live.
fn module_dir(file: &str) -> String {
    match file {
        "lib.rs" | "main.rs" => String::new(),
        _ => match file.strip_suffix("/mod.rs") {
            Some(dir) => format!("{dir}/"),
            None => format!("{}/", file.trim_end_matches(".rs")),
        },
    }
}

fn module_path(file: &str) -> Vec<String> {
    let dir = module_dir(file);
    dir.split('/')
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .collect()
}

/// The import graph: for each file, the files it imports from.
fn import_graph(sources: &BTreeMap<File, Source>) -> BTreeMap<File, BTreeSet<File>> {
    let files_by_module: BTreeMap<(bool, Vec<String>), File> = sources
        .iter()
        .map(|(file, source)| ((source.binary, source.module.clone()), file.clone()))
        .collect();
    let mut graph = BTreeMap::new();
    for (file, source) in sources {
        let mut edges = BTreeSet::new();
        for path in named_paths(&source.code, &source.children) {
            let (binary, mut absolute) = match path[0].as_str() {
                "crate" => (source.binary, path[1..].to_vec()),
                "bindery" if source.binary => (false, path[1..].to_vec()),
                "self" => (source.binary, [&source.module[..], &path[1..]].concat()),
                "super" => {
                    let mut base = source.module.clone();
                    let mut rest = &path[..];
                    while rest.first().is_some_and(|s| s == "super") {
                        base.pop();
                        rest = &rest[1..];
                    }
                    (source.binary, [&base[..], rest].concat())
                }
                child if source.children.contains(child) => {
                    (source.binary, [&source.module[..], &path[..]].concat())
                }
                // An external crate or the standard library.
                _ => continue,
            };
            while !absolute.is_empty() && !files_by_module.contains_key(&(binary, absolute.clone()))
            {
                absolute.pop();
            }
            if let Some(target) = files_by_module.get(&(binary, absolute))
                && target != file
            {
                edges.insert(target.clone());
            }
        }
        graph.insert(file.clone(), edges);
    }
    graph
}

/// Strongly connected components of more than one file (Tarjan).
fn cycles(graph: &BTreeMap<File, BTreeSet<File>>) -> Vec<Vec<File>> {
    struct State<'a> {
        graph: &'a BTreeMap<File, BTreeSet<File>>,
        index: BTreeMap<&'a str, usize>,
        low: BTreeMap<&'a str, usize>,
        stack: Vec<&'a str>,
        on_stack: BTreeSet<&'a str>,
        out: Vec<Vec<File>>,
    }
    fn visit<'a>(state: &mut State<'a>, node: &'a str) {
        let n = state.index.len();
        state.index.insert(node, n);
        state.low.insert(node, n);
        state.stack.push(node);
        state.on_stack.insert(node);
        let graph = state.graph;
        for next in graph.get(node).into_iter().flatten() {
            if !state.index.contains_key(next.as_str()) {
                visit(state, next);
                let low = state.low[node].min(state.low[next.as_str()]);
                state.low.insert(node, low);
            } else if state.on_stack.contains(next.as_str()) {
                let low = state.low[node].min(state.index[next.as_str()]);
                state.low.insert(node, low);
            }
        }
        if state.low[node] == state.index[node] {
            let mut component = Vec::new();
            while let Some(top) = state.stack.pop() {
                state.on_stack.remove(top);
                component.push(top.to_string());
                if top == node {
                    break;
                }
            }
            if component.len() > 1 {
                component.sort();
                state.out.push(component);
            }
        }
    }
    let mut state = State {
        graph,
        index: BTreeMap::new(),
        low: BTreeMap::new(),
        stack: Vec::new(),
        on_stack: BTreeSet::new(),
        out: Vec::new(),
    };
    for node in graph.keys() {
        if !state.index.contains_key(node.as_str()) {
            visit(&mut state, node);
        }
    }
    state.out
}

/// One edge of each cycle, to say where to look.
fn describe(component: &[File], graph: &BTreeMap<File, BTreeSet<File>>) -> String {
    let mut edges = Vec::new();
    for from in component {
        for to in &graph[from] {
            if component.contains(to) {
                edges.push(format!("{from} -> {to}"));
            }
        }
    }
    edges.join(", ")
}

#[test]
fn no_import_cycles_between_files() {
    let sources = load_sources();
    let graph = import_graph(&sources);
    // The graph is not empty by mistake: a few edges that must be there.
    assert!(graph["write/html.rs"].contains("model.rs"), "{graph:#?}");
    assert!(graph["main.rs"].contains("cli.rs"), "{graph:#?}");
    let found = cycles(&graph);
    let report: Vec<String> = found
        .iter()
        .map(|component| format!("{component:?}: {}", describe(component, &graph)))
        .collect();
    assert!(
        found.is_empty(),
        "import cycles between files:\n{}",
        report.join("\n")
    );
}

#[test]
fn readers_and_writers_do_not_import_each_other() {
    let sources = load_sources();
    let graph = import_graph(&sources);
    let mut wrong = Vec::new();
    for (from, targets) in &graph {
        for to in targets {
            let crossing = (from.starts_with("read/") && to.starts_with("write/"))
                || (from.starts_with("write/") && to.starts_with("read/"));
            if crossing {
                wrong.push(format!("{from} -> {to}"));
            }
        }
    }
    assert!(wrong.is_empty(), "reader/writer imports: {wrong:#?}");
}

#[test]
fn the_path_parser_sees_what_matters() {
    let code = strip_comments_and_literals(
        "use crate::a::{b, c::{self, D}};\n// use crate::z;\nlet s = \"crate::y::f\";\n\
         let c = '\"'; fn f<'a>(x: &'a str) { super::q::r(); child::g(); }",
    );
    let children = BTreeSet::from(["child".to_string()]);
    let paths = named_paths(&code, &children);
    let shown: Vec<String> = paths.iter().map(|p| p.join("::")).collect();
    assert_eq!(
        shown,
        [
            "crate::a::b",
            "crate::a::c",
            "crate::a::c::D",
            "super::q::r",
            "child::g"
        ]
    );
    let tests = strip_test_code("fn a() {}\n#[cfg(test)]\nmod tests { use crate::read; }\n");
    assert!(!tests.contains("read"), "{tests}");
}

/// The most lines a function may span (signature to closing brace, comments included).
const MAX_FUNCTION_LINES: usize = 120;

/// Functions allowed to be longer, as `file::name`: the parsers' event dispatchers (one arm per
/// event; splitting them scatters the grammar).
const LONG_FUNCTIONS: &[&str] = &[
    "read/markdown.rs::end",
    "book/summary.rs::parse",
    // The generic lexer's byte dispatcher (one arm per token start).
    "highlight/lexer.rs::code",
];

/// Every function of the source tree outside test code, as `(file::name, lines)`.
fn function_lengths() -> Vec<(String, usize)> {
    let root = src_dir();
    let mut paths = Vec::new();
    rust_files(&root, &mut paths);
    let mut out = Vec::new();
    for path in paths {
        let file = path
            .strip_prefix(&root)
            .unwrap()
            .to_str()
            .unwrap()
            .to_string();
        let code = strip_test_code(&strip_comments_and_literals(
            &std::fs::read_to_string(&path).unwrap(),
        ));
        let bytes = code.as_bytes();
        let mut search = 0;
        while let Some(found) = code[search..].find("fn ") {
            let at = search + found;
            search = at + 3;
            let starts_word =
                at == 0 || !(bytes[at - 1].is_ascii_alphanumeric() || bytes[at - 1] == b'_');
            let name: String = code[at + 3..]
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_')
                .collect();
            if !starts_word || name.is_empty() {
                continue;
            }
            // The body: the first `{` before any `;` (a declaration without body has none).
            let rest = &code[at..];
            let Some(open) = rest
                .find(['{', ';'])
                .filter(|&i| rest.as_bytes()[i] == b'{')
            else {
                continue;
            };
            let mut depth = 0;
            let mut close = rest.len();
            for (i, b) in rest.bytes().enumerate().skip(open) {
                match b {
                    b'{' => depth += 1,
                    b'}' => {
                        depth -= 1;
                        if depth == 0 {
                            close = i;
                            break;
                        }
                    }
                    _ => {}
                }
            }
            let lines = rest[..close].matches('\n').count() + 1;
            out.push((format!("{file}::{name}"), lines));
        }
    }
    out
}

#[test]
fn no_function_is_longer_than_120_lines_but_the_listed_ones() {
    let lengths = function_lengths();
    assert!(
        lengths
            .iter()
            .any(|(name, _)| name == "model.rs::plain_text"),
        "the function finder finds nothing: {lengths:?}"
    );
    let too_long: Vec<String> = lengths
        .iter()
        .filter(|(name, lines)| {
            *lines > MAX_FUNCTION_LINES && !LONG_FUNCTIONS.contains(&name.as_str())
        })
        .map(|(name, lines)| format!("{name}: {lines} lines"))
        .collect();
    assert!(
        too_long.is_empty(),
        "functions over {MAX_FUNCTION_LINES} lines (split them): {too_long:#?}"
    );
    let stale: Vec<&str> = LONG_FUNCTIONS
        .iter()
        .copied()
        .filter(|listed| {
            !lengths
                .iter()
                .any(|(name, lines)| name == listed && *lines > MAX_FUNCTION_LINES)
        })
        .collect();
    assert!(
        stale.is_empty(),
        "listed as long but no longer over {MAX_FUNCTION_LINES} lines (or gone): remove from \
         LONG_FUNCTIONS: {stale:?}"
    );
}

/// Every public enum of the library is `#[non_exhaustive]` (issue 14), so that a variant added
/// later (a new block, a new output format) does not break a caller's `match`. The binary's
/// enums (`cli.rs`, `commands/`) are not API.
#[test]
fn public_library_enums_are_non_exhaustive() {
    let sources = load_sources();
    let mut checked = 0;
    let mut open = Vec::new();
    for (file, source) in sources.iter().filter(|(_, source)| !source.binary) {
        let code = &source.code;
        let mut search = 0;
        while let Some(found) = code[search..].find("pub enum ") {
            let at = search + found;
            search = at + "pub enum ".len();
            // `pub enum` at the start of an item (not `pub(crate) enum`, not inside a word).
            if code[..at].ends_with(|c: char| c.is_alphanumeric() || c == '_') {
                continue;
            }
            checked += 1;
            // The attributes above it: the lines back to the previous item's end.
            let before = &code[..at];
            let item_start = before.rfind(['}', ';']).map_or(0, |end| end + 1);
            if !before[item_start..].contains("non_exhaustive") {
                let name: String = code[search..]
                    .chars()
                    .take_while(|c| c.is_alphanumeric() || *c == '_')
                    .collect();
                open.push(format!("{file}: {name}"));
            }
        }
    }
    assert!(checked > 20, "the enum finder finds too few: {checked}");
    assert!(
        open.is_empty(),
        "public enums without #[non_exhaustive]: {open:#?}"
    );
}
