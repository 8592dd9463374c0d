//! The app's state without egui: the open document (the dataset and everything derived from
//! it: layout, window counts, indexes), the selection, the undo history, the scenes and
//! where the work is saved. The GUI changes them only through [`Session::apply`] with a
//! [`Command`]; they are tested here without a window.

mod command;
mod document;
mod persistence;
mod scenes;
mod selection;
mod state;
pub mod undo;

pub use command::{Command, UnsavedAnswer};
pub use document::{Document, TimelineGroups};
pub use persistence::{AutosaveJob, AutosaveOutcome, RECOVERY_FILE};
pub use scenes::Scenes;
pub use selection::Selection;
pub use state::{Adopted, Effects, Failure, Outcome, Session};
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
