//! The egui application: panels (map, timeline, inspector, diagnostics), file opening by
//! dialog, drag and drop and command line, and the commands through which widgets change
//! state. Only this module uses egui.

mod app;
mod document;
mod inspector;
mod map;
pub mod theme;
mod timeline;

pub use app::{Command, RelmapApp};
pub use document::{BinUnit, Document, Histogram};
pub use map::MapView;

use std::path::PathBuf;

use crate::io::LoadOptions;

/// Opens the main window. With no files, the bundled sample is shown.
pub fn run_gui(files: Vec<PathBuf>, load_options: LoadOptions) -> eframe::Result<()> {
    let options = eframe::NativeOptions {
        viewport: eframe::egui::ViewportBuilder::default()
            .with_title("relmap")
            .with_app_id("relmap")
            .with_inner_size([1400.0, 900.0])
            .with_min_inner_size([800.0, 500.0])
            .with_drag_and_drop(true),
        ..Default::default()
    };
    eframe::run_native(
        "relmap",
        options,
        Box::new(move |cc| Ok(Box::new(RelmapApp::new(cc, files, load_options)))),
    )
}
