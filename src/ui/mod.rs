//! The egui application: panels (map, timeline, inspector, diagnostics), file opening by
//! dialog, drag and drop and command line, and the commands through which widgets change
//! state. Only this module uses egui.

pub mod actions;
mod actors_panel;
mod animation_dialog;
mod app;
mod event_editor;
pub mod file_chooser;
pub mod file_dialog;
mod filters;
mod force_worker;
mod import_article;
mod index_dialog;
mod inspector;
mod loader;
mod map;
mod map_toolbar;
mod mapping_dialog;
mod menu;
mod metrics_worker;
mod note_editor;
pub mod notifications;
mod open_picker;
mod prompts;
mod scenes_window;
mod status_bar;
mod table;
pub mod theme;
mod theme_lines;
mod timeline;

pub use crate::session::{Document, TimelineGroups};
pub use app::{Command, RelmapApp};
pub use file_chooser::{DialogBackend, FileChooser, FileRequest};
pub use map::{MapChoices, MapView, map_ui};
pub use table::{TableState, table_ui};
pub use timeline::{Highlight, TimelineState, timeline_ui};

use std::path::PathBuf;
use std::sync::Arc;

use eframe::egui::{self, FontData, FontDefinitions, FontFamily};

use crate::io::LoadOptions;

/// The font family of bold map text (country labels, ISO codes).
pub const BOLD_FAMILY: &str = "relmap-bold";

/// Makes the bundled Noto Sans egui's proportional font (egui's own stay as fallbacks), so
/// that the map measures and draws labels with the font exported images use.
pub fn install_fonts(ctx: &egui::Context) {
    let mut fonts = FontDefinitions::default();
    fonts.font_data.insert(
        "noto-sans".into(),
        Arc::new(FontData::from_static(crate::export::font::REGULAR_TTF)),
    );
    fonts.font_data.insert(
        "noto-sans-bold".into(),
        Arc::new(FontData::from_static(crate::export::font::BOLD_TTF)),
    );
    let proportional = fonts.families.entry(FontFamily::Proportional).or_default();
    proportional.insert(0, "noto-sans".into());
    // Last resort for the arrows and triangles (▲ ▼ ◀ ▶) of sort and playback buttons,
    // which neither Noto Sans nor egui's proportional fonts have.
    proportional.push("Hack".into());
    let mut bold = vec!["noto-sans-bold".to_string()];
    bold.extend(proportional.iter().skip(1).cloned());
    fonts
        .families
        .insert(FontFamily::Name(BOLD_FAMILY.into()), bold);
    ctx.set_fonts(fonts);
}

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
