//! The inspector (the selected actor and its events in the window, with source links) and
//! the diagnostics list of rows that could not be read.

use eframe::egui::{self, RichText, Ui};

use super::Command;
use super::document::Document;
use super::theme;
use crate::model::{ActorId, EventId};

/// Most events listed at once; the rest are counted (the event table lists them all).
const MAX_LISTED: usize = 500;

pub fn inspector_ui(
    ui: &mut Ui,
    doc: &Document,
    selected: Option<ActorId>,
    commands: &mut Vec<Command>,
) {
    let ds = &doc.dataset;
    let Some(actor_id) = selected else {
        ui.heading("Inspector");
        ui.label("Click an actor on the map to see its events.");
        ui.add_space(8.0);
        ui.label(RichText::new(&doc.name).strong());
        ui.label(format!(
            "{} events, {} actors, format {}",
            ds.len(),
            ds.actors.len(),
            doc.format.name()
        ));
        if let Some((first, last)) = ds.first_and_last_dates() {
            ui.label(format!("from {first} to {last}"));
        }
        if doc.diagnostics.skipped > 0
            && ui
                .link(format!(
                    "{} rows skipped: show why",
                    doc.diagnostics.skipped
                ))
                .clicked()
        {
            commands.push(Command::ShowDiagnostics(true));
        }
        return;
    };
    let actor = ds.actors.get(actor_id);
    ui.horizontal(|ui| {
        ui.heading(&actor.name);
        if ui
            .small_button("Clear")
            .on_hover_text("Clear the selection")
            .clicked()
        {
            commands.push(Command::Select(None));
        }
    });
    let mut facts = actor.kind.label().to_string();
    if let Some(iso) = &actor.iso3 {
        facts.push_str(&format!(" · {iso}"));
    }
    if let Some(c) = actor.affiliation {
        facts.push_str(&format!(" · {}", ds.actors.get(c).name));
    }
    ui.label(RichText::new(facts).color(theme::kind_colour(actor.kind)));
    if !actor.aliases.is_empty() {
        ui.label(format!("also: {}", actor.aliases.join(", ")));
    }
    let window = doc.window();
    let events: Vec<EventId> = ds
        .events_of_actor(actor_id)
        .filter(|&e| ds.overlaps(e, window.from, window.to))
        .collect();
    let total = ds.events_of_actor(actor_id).count();
    ui.label(format!(
        "{} event{} in the window ({total} in all)",
        events.len(),
        if events.len() == 1 { "" } else { "s" }
    ));
    ui.separator();
    egui::ScrollArea::vertical()
        .auto_shrink([false, false])
        .show(ui, |ui| {
            for &e in events.iter().take(MAX_LISTED) {
                event_row_ui(ui, doc, e, actor_id, commands);
                ui.separator();
            }
            if events.len() > MAX_LISTED {
                ui.label(format!("… and {} more", events.len() - MAX_LISTED));
            }
        });
}

fn event_row_ui(
    ui: &mut Ui,
    doc: &Document,
    e: EventId,
    about: ActorId,
    commands: &mut Vec<Command>,
) {
    let ds = &doc.dataset;
    ui.horizontal_wrapped(|ui| {
        let date = match ds.end_date_of(e) {
            Some(end) => format!("{} – {end}", ds.date_of(e)),
            None => ds.date_of(e).to_string(),
        };
        ui.label(RichText::new(date).monospace().strong());
        let class = ds.class[e as usize];
        let t = ds.type_name(e);
        if !t.is_empty() {
            ui.label(RichText::new(t).color(theme::class_colour(class)));
        }
    });
    let title = ds.title(e);
    if !title.is_empty() {
        ui.label(title);
    }
    let others: Vec<ActorId> = ds
        .actors_of(e)
        .iter()
        .copied()
        .filter(|&a| a != about)
        .collect();
    if !others.is_empty() {
        ui.horizontal_wrapped(|ui| {
            ui.label("with");
            for other in others {
                if ui.link(&ds.actors.get(other).name).clicked() {
                    commands.push(Command::Select(Some(other)));
                }
            }
        });
    }
    ui.horizontal_wrapped(|ui| {
        let location = ds.location(e);
        if !location.is_empty() {
            ui.label(RichText::new(format!("at {location}")).weak());
        }
        let url = ds.url(e);
        if url.starts_with("http://") || url.starts_with("https://") {
            ui.hyperlink_to("source", url).on_hover_text(url);
        } else if !url.is_empty() {
            ui.label(RichText::new(format!("source: {url}")).weak());
        }
        ui.label(RichText::new(format!("line {}", ds.line(e))).weak().small());
    });
}

/// The list of skipped rows and warnings, in a window of its own.
pub fn diagnostics_window(ctx: &egui::Context, doc: &Document, open: &mut bool) {
    egui::Window::new("Diagnostics")
        .open(open)
        .default_size([560.0, 360.0])
        .show(ctx, |ui| {
            let d = &doc.diagnostics;
            ui.label(format!(
                "{}: {} rows skipped, {} warnings. Every other row was read.",
                doc.name, d.skipped, d.warned
            ));
            if d.skipped > d.errors.len() || d.warned > d.warnings.len() {
                ui.label(format!(
                    "The first {} of each are listed.",
                    crate::io::Diagnostics::MAX_LISTED
                ));
            }
            ui.separator();
            // Only the visible rows are laid out: the lists can hold 20,000 entries.
            let rows: Vec<(&str, &crate::io::Diagnostic)> = d
                .errors
                .iter()
                .map(|x| ("skipped", x))
                .chain(d.warnings.iter().map(|x| ("warning", x)))
                .collect();
            let row_height = ui.text_style_height(&egui::TextStyle::Body) + 4.0;
            ui.horizontal(|ui| {
                for (title, width) in [
                    ("", 60.0),
                    ("Line", 60.0),
                    ("Column", 60.0),
                    ("Reason", 0.0),
                ] {
                    ui.add_sized(
                        [width, row_height],
                        egui::Label::new(RichText::new(title).strong()),
                    );
                }
            });
            egui::ScrollArea::vertical()
                .auto_shrink([false, false])
                .show_rows(ui, row_height, rows.len(), |ui, range| {
                    for (what, x) in &rows[range] {
                        ui.horizontal(|ui| {
                            ui.add_sized([60.0, row_height], egui::Label::new(*what));
                            ui.add_sized([60.0, row_height], egui::Label::new(x.line.to_string()));
                            ui.add_sized(
                                [60.0, row_height],
                                egui::Label::new(x.column.to_string()),
                            );
                            ui.label(&x.message);
                        });
                    }
                });
        });
}
