//! The small modal questions and reports: unsaved changes before leaving a document, work a
//! crashed session autosaved, and a failure the user must read. Each draws a window and
//! answers with commands; none changes state itself.

use std::path::Path;

use eframe::egui;

use super::Command;
use crate::session::UnsavedAnswer;

fn modal(title: impl Into<egui::WidgetText>) -> egui::Window<'static> {
    egui::Window::new(title)
        .collapsible(false)
        .resizable(false)
        .anchor(egui::Align2::CENTER_CENTER, [0.0, 0.0])
}

/// "Save the changes to NAME first?" with Save, Don't Save and Cancel.
pub fn unsaved_prompt(ctx: &egui::Context, name: &str, commands: &mut Vec<Command>) {
    modal("Unsaved changes").show(ctx, |ui| {
        ui.label(format!(
            "Save the changes to {name} (layout, positions, pins, window, filters) first?"
        ));
        ui.add_space(6.0);
        ui.horizontal(|ui| {
            if ui.button("Save").clicked() {
                commands.push(Command::AnswerUnsaved(UnsavedAnswer::Save));
            }
            if ui.button("Don't Save").clicked() {
                commands.push(Command::AnswerUnsaved(UnsavedAnswer::Discard));
            }
            if ui.button("Cancel").clicked() {
                commands.push(Command::AnswerUnsaved(UnsavedAnswer::Cancel));
            }
        });
    });
}

/// Offers the work autosaved by a session that ended without saving it. `open` names the
/// document now open, which restoring would replace.
pub fn recovery_prompt(
    ctx: &egui::Context,
    recovery: &Path,
    open: Option<&str>,
    commands: &mut Vec<Command>,
) {
    let when = std::fs::metadata(recovery)
        .and_then(|m| m.modified())
        .ok()
        .and_then(|t| jiff::Timestamp::try_from(t).ok())
        .map(|t| t.strftime("%Y-%m-%d %H:%M UTC").to_string())
        .unwrap_or_default();
    modal("Restore unsaved work?").show(ctx, |ui| {
        ui.label(format!(
            "relmap did not close properly last time. Work autosaved at {when} can be restored."
        ));
        if let Some(open) = open {
            ui.label(format!(
                "Restoring it replaces {open}; Later keeps it for the next start."
            ));
        }
        ui.add_space(6.0);
        ui.horizontal(|ui| {
            if ui.button("Restore").clicked() {
                commands.push(Command::AnswerRecovery(Some(true)));
            }
            if ui.button("Later").clicked() {
                commands.push(Command::AnswerRecovery(None));
            }
            if ui.button("Discard").clicked() {
                commands.push(Command::AnswerRecovery(Some(false)));
            }
        });
    });
}

/// A failure: what failed (the title) and why.
pub fn error_window(ctx: &egui::Context, title: &str, message: &str, commands: &mut Vec<Command>) {
    modal(title.to_string()).show(ctx, |ui| {
        ui.set_max_width(560.0);
        ui.label(message);
        ui.add_space(6.0);
        if ui.button("OK").clicked() {
            commands.push(Command::DismissError);
        }
    });
}
