//! The app's state without egui: the open document (the dataset and everything derived from
//! it: layout, window counts, indexes), the selection and the undo history. The GUI changes them only
//! through commands; they are tested here without a window.

mod document;
mod selection;
pub mod undo;

pub use document::{Document, TimelineGroups};
pub use selection::Selection;
pub use undo::{Change, Step, UndoStack, apply_change};
