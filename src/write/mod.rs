//! Writers: one module per output format.

pub mod pdf;
