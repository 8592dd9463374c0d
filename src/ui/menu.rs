//! The menu bar, built from the actions table (labels and shortcuts defined once in
//! [`super::actions`]). It reads a snapshot of what it needs and answers with choices.

use std::path::{Path, PathBuf};

use eframe::egui::{self, RichText, Ui};

use super::actions::{self, Action};
use crate::layout::LayoutKind;

/// What the menus show.
pub struct MenuState<'a> {
    pub has_document: bool,
    pub recent: &'a [PathBuf],
    /// What Undo and Redo would do, when they can.
    pub undo_label: Option<&'a str>,
    pub redo_label: Option<&'a str>,
    pub show_filters: bool,
    pub show_table: bool,
    pub show_actors: bool,
    pub layout: Option<LayoutKind>,
}

/// What the user chose from the menus.
#[derive(Clone, Debug, PartialEq)]
pub enum MenuChoice {
    Action(Action),
    OpenRecent(PathBuf),
}

/// The menu bar; the choices made this frame.
pub fn menu_bar(ui: &mut Ui, state: &MenuState<'_>) -> Vec<MenuChoice> {
    let has_doc = state.has_document;
    let mut chosen: Vec<MenuChoice> = Vec::new();
    let item = |ui: &mut Ui, action: Action, enabled: bool, chosen: &mut Vec<MenuChoice>| {
        if actions::menu_item(ui, action, enabled) {
            chosen.push(MenuChoice::Action(action));
        }
    };
    egui::MenuBar::new().ui(ui, |ui| {
        ui.menu_button("File", |ui| {
            item(ui, Action::Open, true, &mut chosen);
            ui.menu_button("Open Recent", |ui| {
                if state.recent.is_empty() {
                    ui.label(RichText::new("No recent files").weak());
                }
                for path in state.recent {
                    if ui
                        .button(file_label(path))
                        .on_hover_text(path.display().to_string())
                        .clicked()
                    {
                        chosen.push(MenuChoice::OpenRecent(path.clone()));
                    }
                }
            });
            item(ui, Action::OpenSample, true, &mut chosen);
            ui.separator();
            item(ui, Action::Save, has_doc, &mut chosen);
            item(ui, Action::SaveAs, has_doc, &mut chosen);
            ui.separator();
            item(ui, Action::ImportArticle, true, &mut chosen);
            item(ui, Action::BuildIndex, true, &mut chosen);
            ui.separator();
            item(ui, Action::ExportImage, has_doc, &mut chosen);
            item(ui, Action::ExportEvents, has_doc, &mut chosen);
            item(ui, Action::ExportNetwork, has_doc, &mut chosen);
            item(ui, Action::ExportAnimation, has_doc, &mut chosen);
            ui.separator();
            item(ui, Action::Quit, true, &mut chosen);
        });
        ui.menu_button("Edit", |ui| {
            let undo = match state.undo_label {
                Some(label) => format!("Undo {label}"),
                None => "Undo".to_string(),
            };
            if actions::menu_item_labelled(ui, Action::Undo, &undo, state.undo_label.is_some()) {
                chosen.push(MenuChoice::Action(Action::Undo));
            }
            let redo = match state.redo_label {
                Some(label) => format!("Redo {label}"),
                None => "Redo".to_string(),
            };
            if actions::menu_item_labelled(ui, Action::Redo, &redo, state.redo_label.is_some()) {
                chosen.push(MenuChoice::Action(Action::Redo));
            }
            ui.separator();
            item(ui, Action::AddEvent, has_doc, &mut chosen);
            item(ui, Action::AddNote, has_doc, &mut chosen);
            item(ui, Action::FindActor, has_doc, &mut chosen);
        });
        ui.menu_button("View", |ui| {
            item(ui, Action::FitView, true, &mut chosen);
            item(ui, Action::Diagnostics, true, &mut chosen);
            item(ui, Action::Messages, true, &mut chosen);
            if actions::menu_toggle(ui, Action::FiltersPanel, state.show_filters) {
                chosen.push(MenuChoice::Action(Action::FiltersPanel));
            }
            if actions::menu_toggle(ui, Action::EventTable, state.show_table) {
                chosen.push(MenuChoice::Action(Action::EventTable));
            }
            if actions::menu_toggle(ui, Action::ActorsPanel, state.show_actors) {
                chosen.push(MenuChoice::Action(Action::ActorsPanel));
            }
            ui.separator();
            item(ui, Action::Scenes, true, &mut chosen);
            item(ui, Action::Present, has_doc, &mut chosen);
            item(ui, Action::FullScreen, true, &mut chosen);
            ui.separator();
            ui.label("Layout");
            let current = state.layout;
            for kind in LayoutKind::ALL {
                if actions::menu_toggle(ui, Action::Layout(kind), current == Some(kind)) {
                    chosen.push(MenuChoice::Action(Action::Layout(kind)));
                }
            }
            ui.separator();
            ui.label("Theme");
            // Words, not egui's emoji buttons: the bundled fonts have no emoji.
            let mut preference = ui.ctx().options(|o| o.theme_preference);
            let before = preference;
            ui.radio_value(
                &mut preference,
                egui::ThemePreference::System,
                "Follow the system",
            );
            ui.radio_value(&mut preference, egui::ThemePreference::Light, "Light");
            ui.radio_value(&mut preference, egui::ThemePreference::Dark, "Dark");
            if preference != before {
                ui.ctx().set_theme(preference);
            }
        });
        ui.menu_button("Help", |ui| {
            item(ui, Action::KeyboardShortcuts, true, &mut chosen);
        });
    });
    chosen
}

/// A recent file's name for its menu entry.
fn file_label(path: &Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
}
