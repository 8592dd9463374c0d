//! The event editor: a new event, or an existing one's fields as text, checked and turned
//! into an event when the user presses OK. The app turns the result into an undoable edit.

use eframe::egui::{self, Ui};

use crate::model::{EventClass, EventId, NewEvent, PartialDate, event_record};
use crate::session::Document;

/// What the user did with the editor this frame.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum EditorAnswer {
    /// Still editing.
    Open,
    Ok,
    Cancel,
}

/// The event editor: a new event, or an existing one's fields as text.
pub struct EventEditor {
    pub event: Option<EventId>,
    date: String,
    end_date: String,
    /// Names separated by `;`, the initiator first.
    actors: String,
    event_type: String,
    class: EventClass,
    title: String,
    location: String,
    url: String,
    /// Fields the dialog does not show (coordinates, weight, line), kept as they were.
    base: NewEvent,
    pub problem: Option<String>,
}

impl EventEditor {
    pub fn new(doc: &Document, event: Option<EventId>) -> Self {
        let ds = &doc.dataset;
        let base = match event {
            Some(e) => event_record(ds, e),
            None => NewEvent {
                date: PartialDate::from_day(doc.window().to),
                weight: 1.0,
                ..NewEvent::default()
            },
        };
        let names: Vec<&str> = base
            .actors
            .iter()
            .map(|&a| ds.actors.get(a).name.as_str())
            .collect();
        Self {
            event,
            date: base.date.to_string(),
            end_date: base.end_date.map(|d| d.to_string()).unwrap_or_default(),
            actors: names.join("; "),
            event_type: base.event_type.clone(),
            class: base.class,
            title: base.title.clone(),
            location: base.location.clone(),
            url: base.url.clone(),
            base,
            problem: None,
        }
    }

    /// The event the form describes, with its actors by name (new names become actors
    /// when the session applies the edit).
    pub fn build(&self) -> Result<(Vec<String>, NewEvent), String> {
        let date = PartialDate::parse(&self.date).map_err(|e| format!("Date: {e}"))?;
        let end_date = match self.end_date.trim() {
            "" => None,
            text => Some(PartialDate::parse(text).map_err(|e| format!("End date: {e}"))?),
        };
        let names: Vec<String> = self
            .actors
            .split(';')
            .map(str::trim)
            .filter(|n| !n.is_empty())
            .map(str::to_string)
            .collect();
        if names.is_empty() {
            return Err("Actors: name at least one, separated by ;".into());
        }
        let event = NewEvent {
            date,
            end_date,
            actors: Vec::new(),
            event_type: self.event_type.trim().to_string(),
            class: self.class,
            title: self.title.trim().to_string(),
            location: self.location.trim().to_string(),
            url: self.url.trim().to_string(),
            ..self.base.clone()
        };
        Ok((names, event))
    }

    /// The window; says whether the user pressed OK or Cancel this frame.
    pub fn show(&mut self, ctx: &egui::Context) -> EditorAnswer {
        let dialog = self;
        let title = if dialog.event.is_some() {
            "Edit event"
        } else {
            "Add event"
        };
        let mut ok = false;
        let mut cancel = false;
        egui::Window::new(title)
            .collapsible(false)
            .resizable(false)
            .anchor(egui::Align2::CENTER_CENTER, [0.0, 0.0])
            .show(ctx, |ui| {
                egui::Grid::new("event-fields")
                    .num_columns(2)
                    .spacing([8.0, 6.0])
                    .show(ui, |ui| {
                        let field = |ui: &mut Ui, label: &str, text: &mut String, hint: &str| {
                            let l = ui.label(label);
                            ui.add(
                                egui::TextEdit::singleline(text)
                                    .desired_width(340.0)
                                    .hint_text(hint),
                            )
                            .labelled_by(l.id);
                            ui.end_row();
                        };
                        field(ui, "Date", &mut dialog.date, "2025-03-14, May 2024, 2024");
                        field(ui, "End date", &mut dialog.end_date, "optional");
                        field(ui, "Actors", &mut dialog.actors, "names separated by ;");
                        field(ui, "Type", &mut dialog.event_type, "sign agreement");
                        let l = ui.label("Class");
                        egui::ComboBox::from_id_salt("event-class")
                            .selected_text(dialog.class.label())
                            .show_ui(ui, |ui| {
                                for class in EventClass::ALL {
                                    ui.selectable_value(&mut dialog.class, class, class.label());
                                }
                            })
                            .response
                            .labelled_by(l.id);
                        ui.end_row();
                        field(ui, "Title", &mut dialog.title, "what happened");
                        field(ui, "Location", &mut dialog.location, "Minsk");
                        field(ui, "Source", &mut dialog.url, "https://…");
                    });
                if let Some(problem) = &dialog.problem {
                    ui.colored_label(ui.visuals().warn_fg_color, problem);
                }
                ui.horizontal(|ui| {
                    ok = ui.button("OK").clicked();
                    cancel = ui.button("Cancel").clicked();
                });
            });
        if cancel {
            EditorAnswer::Cancel
        } else if ok {
            EditorAnswer::Ok
        } else {
            EditorAnswer::Open
        }
    }
}
