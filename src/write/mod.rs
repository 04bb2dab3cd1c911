//! Writers: a [`crate::model::Document`] (or a [`crate::book::Book`]) in, one output format
//! out. One module per format; writers never read another writer's output back into the model.

pub mod breaks;
pub mod epub;
pub mod html;
pub mod pdf;
pub mod text;
