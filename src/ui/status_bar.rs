//! The status bar: the load in progress, the open document's size and format, its
//! unreadable rows, and the latest message (a click shows the history).

use eframe::egui::{RichText, Ui};

use super::Command;
use super::loader::Loader;
use super::notifications::Notifications;
use crate::session::Document;

/// Draws the bar.
pub fn status_bar_ui(
    ui: &mut Ui,
    loader: Option<&Loader>,
    waiting_for_dialog: bool,
    doc: Option<&Document>,
    notices: &mut Notifications,
    commands: &mut Vec<Command>,
) {
    ui.horizontal(|ui| {
        if let Some(loader) = loader {
            if loader.status_ui(ui) {
                commands.push(Command::CancelLoad);
            }
            ui.separator();
        }
        if waiting_for_dialog {
            ui.label("Waiting for the file dialog…");
            ui.separator();
        }
        match doc {
            None => {
                ui.label("No file open. Use File > Open…, or drop an event file on the window.");
            }
            Some(doc) => document_ui(ui, doc, commands),
        }
        if notices.latest().is_some() {
            ui.separator();
            notices.status_ui(ui);
        }
    });
}

fn document_ui(ui: &mut Ui, doc: &Document, commands: &mut Vec<Command>) {
    ui.label(RichText::new(&doc.name).strong());
    ui.label(format!(
        "{} · {} actors · {}",
        doc.dataset.events_label(),
        doc.dataset.actors.len(),
        doc.format.name().to_uppercase()
    ));
    let d = &doc.diagnostics;
    if d.skipped > 0 || !d.warnings.is_empty() {
        ui.separator();
        let text = format!("{} rows skipped, {} warnings", d.skipped, d.warnings.len());
        let colour = if d.skipped > 0 {
            ui.visuals().warn_fg_color
        } else {
            ui.visuals().text_color()
        };
        if ui
            .link(RichText::new(text).color(colour))
            .on_hover_text("Show the rows that could not be read")
            .clicked()
        {
            commands.push(Command::ShowDiagnostics(true));
        }
    }
}
