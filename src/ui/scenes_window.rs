//! The Scenes window: record the current view under a title, go to, reorder or delete
//! scenes, choose the theme to present in, and start presenting.

use eframe::egui;

use super::Command;
use crate::export::style::Theme;
use crate::workspace::SceneSpec;

/// What the window shows.
pub struct ScenesList<'a> {
    pub scenes: &'a [SceneSpec],
    /// The scene shown last.
    pub current: Option<usize>,
    /// The theme the workspace suggests for presenting.
    pub presentation_theme: Option<Theme>,
}

/// Draws the window; `title` is the title box's text. False once the user closed it.
pub fn show(
    ctx: &egui::Context,
    list: &ScenesList<'_>,
    title: &mut String,
    commands: &mut Vec<Command>,
) -> bool {
    let mut open = true;
    egui::Window::new("Scenes")
        .open(&mut open)
        .default_width(380.0)
        .show(ctx, |ui| {
            ui.label("A scene keeps the time window, filters, camera and selection.");
            ui.horizontal(|ui| {
                let l = ui.label("Title");
                let text_box = ui
                    .add(
                        egui::TextEdit::singleline(title)
                            .desired_width(200.0)
                            .hint_text("what this view shows"),
                    )
                    .labelled_by(l.id);
                let had_keyboard_id = text_box.id.with("had-keyboard");
                let had_keyboard = ui.data(|d| d.get_temp(had_keyboard_id).unwrap_or(false));
                let has_keyboard = text_box.has_focus();
                ui.data_mut(|d| d.insert_temp(had_keyboard_id, has_keyboard));
                if ui.button("Record Scene").clicked() {
                    if had_keyboard && !has_keyboard {
                        // Keys typed in the frame of the click: the click took the keyboard
                        // from the box before it could read them (on a slow display a whole
                        // title fits in one frame), so they are the title's end.
                        title.push_str(&typed_this_frame(ui));
                    }
                    let title = std::mem::take(title);
                    commands.push(Command::RecordScene {
                        title,
                        camera: None,
                    });
                }
            });
            ui.separator();
            if list.scenes.is_empty() {
                ui.weak("No scenes yet.");
            }
            let last = list.scenes.len().saturating_sub(1);
            for (i, scene) in list.scenes.iter().enumerate() {
                ui.horizontal(|ui| {
                    let current = list.current == Some(i);
                    if ui
                        .selectable_label(current, format!("{}. {}", i + 1, scene.title))
                        .on_hover_text("Show this scene")
                        .clicked()
                    {
                        commands.push(Command::GoToScene(i));
                    }
                    if ui
                        .add_enabled(i > 0, egui::Button::new("▲").small())
                        .clicked()
                    {
                        commands.push(Command::MoveScene(i, -1));
                    }
                    if ui
                        .add_enabled(i < last, egui::Button::new("▼").small())
                        .clicked()
                    {
                        commands.push(Command::MoveScene(i, 1));
                    }
                    if ui.small_button("Delete").clicked() {
                        commands.push(Command::DeleteScene(i));
                    }
                });
            }
            ui.separator();
            ui.horizontal(|ui| {
                ui.label("Present in");
                let name = |t: Option<Theme>| match t {
                    None => "the app's theme",
                    Some(Theme::Light) => "the light theme",
                    Some(Theme::Dark) => "the dark theme",
                };
                let mut choice = list.presentation_theme;
                egui::ComboBox::from_id_salt("presentation-theme")
                    .selected_text(name(choice))
                    .show_ui(ui, |ui| {
                        for t in [None, Some(Theme::Light), Some(Theme::Dark)] {
                            ui.selectable_value(&mut choice, t, name(t));
                        }
                    })
                    .response
                    .on_hover_text("Saved with the workspace; used while presenting only");
                if choice != list.presentation_theme {
                    commands.push(Command::SetPresentationTheme(choice));
                }
            });
            if ui
                .add_enabled(!list.scenes.is_empty(), egui::Button::new("▶ Present"))
                .on_hover_text("Full screen; → and ← step through the scenes, Esc ends")
                .clicked()
            {
                commands.push(Command::TogglePresentation);
            }
        });
    open
}

/// The text typed in this frame that no widget took.
fn typed_this_frame(ui: &egui::Ui) -> String {
    ui.input(|i| {
        i.events
            .iter()
            .filter_map(|e| match e {
                egui::Event::Text(text) => Some(text.as_str()),
                _ => None,
            })
            .collect()
    })
}
