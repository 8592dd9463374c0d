//! The note box of the inspector: the selected actor's, tie's or event's note as text, with
//! Edit and Remove; or Add note. Editing is a multi-line field with Save (Ctrl+Enter) and
//! Cancel (Escape). Each save is a [`Command::SetNote`]: one undo step.

use eframe::egui::{self, RichText, Ui};

use super::Command;
use crate::export::callouts::NOTE_COLOUR;
use crate::model::NoteSubject;
use crate::session::{Document, Selection};

/// The note being edited, kept between frames while the user types.
#[derive(Default)]
pub struct NoteEditState {
    /// The subject the box shows; another selection resets the box.
    subject: Option<NoteSubject>,
    /// The text being typed; `None` while not editing.
    draft: Option<String>,
    /// Give the text field the keyboard on the next frame (Add Note… from the menu).
    focus: bool,
}

impl NoteEditState {
    /// Starts editing the note of `subject` (the Add Note… action).
    pub fn start(&mut self, doc: &Document, subject: NoteSubject) {
        self.subject = Some(subject);
        self.draft = Some(doc.notes.get(subject).unwrap_or_default().to_string());
        self.focus = true;
    }
}

/// What a note would be attached to for this selection, as the inspector shows it: the
/// tie, else the one selected event, else the actor selected last.
pub fn note_subject(selection: &Selection) -> Option<NoteSubject> {
    if let Some((a, b)) = selection.edge() {
        return Some(NoteSubject::tie(a, b));
    }
    match selection.events() {
        &[e] => return Some(NoteSubject::Event(e)),
        [] => {}
        _ => return None,
    }
    selection.last_actor().map(NoteSubject::Actor)
}

/// The note of `subject`: shown, or edited.
pub fn note_ui(
    ui: &mut Ui,
    doc: &Document,
    subject: NoteSubject,
    state: &mut NoteEditState,
    commands: &mut Vec<Command>,
) {
    if state.subject != Some(subject) {
        // Another selection: a draft of the last one is dropped, as a dialog's Cancel.
        *state = NoteEditState {
            subject: Some(subject),
            ..NoteEditState::default()
        };
    }
    let note = doc.notes.get(subject);
    let [r, g, b, _] = NOTE_COLOUR;
    let accent = egui::Color32::from_rgb(r, g, b);
    let what = match subject {
        NoteSubject::Actor(_) => "actor",
        NoteSubject::Tie(..) => "tie",
        NoteSubject::Event(_) => "event",
    };
    if let Some(draft) = &mut state.draft {
        ui.label(RichText::new("Note").strong().color(accent));
        let field = egui::TextEdit::multiline(draft)
            .id_salt("note-text")
            .hint_text(format!("A note on this {what}"))
            .desired_rows(4)
            .desired_width(f32::INFINITY);
        let response = ui.add(field);
        if std::mem::take(&mut state.focus) {
            response.request_focus();
        }
        let (save_keys, cancel_keys) = if response.has_focus() || response.lost_focus() {
            // Each key event's own modifiers: a quick Ctrl+Enter (a script, a slow frame)
            // can be released before the frame ends.
            let save = egui::KeyboardShortcut::new(egui::Modifiers::COMMAND, egui::Key::Enter);
            ui.input_mut(|i| (i.consume_shortcut(&save), i.key_pressed(egui::Key::Escape)))
        } else {
            (false, false)
        };
        let mut done = false;
        ui.horizontal(|ui| {
            let save = ui
                .button("Save note")
                .on_hover_text("Save the note (Ctrl+Enter); empty removes it");
            if save.clicked() || save_keys {
                commands.push(Command::SetNote {
                    subject,
                    text: draft.clone(),
                });
                done = true;
            }
            if ui.button("Cancel").clicked() || cancel_keys {
                done = true;
            }
        });
        if done {
            state.draft = None;
        }
        return;
    }
    match note {
        Some(text) => {
            egui::Frame::group(ui.style())
                .stroke(egui::Stroke::new(1.0, accent))
                .show(ui, |ui| {
                    ui.set_width(ui.available_width());
                    ui.label(RichText::new("Note").strong().color(accent));
                    ui.label(text);
                });
            ui.horizontal(|ui| {
                if ui.button("Edit note").clicked() {
                    state.draft = Some(text.to_string());
                    state.focus = true;
                }
                if ui
                    .button("Remove note")
                    .on_hover_text("Remove the note (Ctrl+Z brings it back)")
                    .clicked()
                {
                    commands.push(Command::SetNote {
                        subject,
                        text: String::new(),
                    });
                }
            });
        }
        None => {
            if ui
                .button("Add note…")
                .on_hover_text(format!("Attach a note to this {what} (Ctrl+Shift+N)"))
                .clicked()
            {
                state.draft = Some(String::new());
                state.focus = true;
            }
        }
    }
}
