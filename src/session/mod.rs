//! The app's state without egui: the open document (the dataset and everything derived from
//! it: layout, window counts, indexes), the selection and the undo history. The GUI changes them only
//! through commands; they are tested here without a window.

mod document;
mod selection;
pub mod undo;

pub use document::{Document, TimelineGroups};
pub use selection::Selection;
pub use undo::{Change, Step, UndoStack, apply_change};

/// The bundled sample as a document, for the tests of this module.
#[cfg(test)]
pub(crate) fn sample_document() -> Document {
    let loaded = crate::io::load_bytes(
        crate::SAMPLE_CSV.as_bytes(),
        std::path::Path::new("sample.csv"),
        &crate::io::LoadOptions::default(),
    )
    .unwrap();
    Document::new("sample".into(), None, loaded)
}
