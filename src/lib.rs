//! bindery: one source (front-matter Markdown or plain text) in, HTML, plain text, EPUB and PDF
//! out, through one document model.
//!
//! Data flows one way: [`read`] turns text into a [`model::Document`], and each module in
//! [`write`](mod@write) turns a document into one output format. The command-line interface
//! lives in the binary (`src/main.rs`, `src/cli.rs`, `src/commands/`); everything here is a
//! library that never prints.

pub mod book;
pub mod depfile;
pub mod diag;
pub mod error;
pub mod escape;
pub mod format;
pub mod highlight;
pub mod image_facts;
pub mod meta;
pub mod model;
pub mod output;
pub mod project;
pub mod read;
pub mod sanitize;
pub mod slug;
pub mod url;
pub mod write;

pub use diag::{Diagnostic, Severity, Warnings};
pub use error::{Error, Result};
pub use model::Document;
