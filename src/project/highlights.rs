//! The incremental build's cache of highlighted code blocks, by content hash
//! ([`highlight::content_key`]): blocks in languages the syntect fallback highlights (about
//! 1 MB/s) are kept in the state file, so a rebuild of the EPUB or PDF after one page changed
//! highlights only the blocks that changed. Blocks the hand-written lexers handle are not kept:
//! lexing them again is faster than reading their tokens back.

use std::collections::BTreeMap;

use crate::book::Book;
use crate::highlight::{self, Tokens};
use crate::model::{Block, walk_blocks};

/// Calls `f` with every code block of the book that has a slow language, its language, and
/// its key.
fn slow_blocks(book: &Book, f: &mut dyn FnMut(&crate::model::CodeBlock, &str, u64)) {
    for chapter in &book.chapters {
        walk_blocks(&chapter.document.blocks, &mut |block| {
            if let Block::CodeBlock(code) = block
                && let Some(language) = code.language.as_deref()
                && highlight::is_slow(language)
            {
                f(code, language, highlight::content_key(&code.text, language));
            }
        });
    }
}

/// Gives the book's code blocks the tokens the last build computed for the same content.
pub fn preset(book: &Book, cached: &BTreeMap<u64, Tokens>) {
    slow_blocks(book, &mut |code, language, key| {
        if let Some(tokens) = cached.get(&key) {
            code.highlight.preset(&code.text, language, tokens.clone());
        }
    });
}

/// What to keep for the next build: the tokens of every slow block of the book, computed by
/// this build or carried over from the last one (a block no output needed this time).
pub fn collect(book: &Book, cached: &BTreeMap<u64, Tokens>) -> BTreeMap<u64, Tokens> {
    let mut kept = BTreeMap::new();
    slow_blocks(book, &mut |code, language, key| {
        let tokens = code
            .highlight
            .computed(&code.text, language)
            .map(|tokens| (*tokens).clone())
            .or_else(|| cached.get(&key).filter(|t| t.fits(&code.text)).cloned());
        if let Some(tokens) = tokens {
            kept.insert(key, tokens);
        }
    });
    kept
}
