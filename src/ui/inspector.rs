//! The inspector shows what is selected: an actor (its facts, types, strongest ties and
//! events in the window), a tie (every event the two share, with source links), one event
//! (every field it has, down to the file and line it came from) or a set of events (a bar
//! of the timeline, rows of the table: their span, types, classes, actors and list); and
//! the diagnostics list of rows that could not be read. An actor, a tie and one event each
//! show their note ([`super::note_editor`]).

use eframe::egui::{self, RichText, Ui};

use super::Command;
use super::note_editor::{NoteEditState, note_ui};
use super::theme;
use crate::model::{ActorId, Edit, EventClass, EventId, NoteSubject, Precision};
use crate::session::Document;

/// Most events listed at once; the rest are counted (the event table lists them all).
const MAX_LISTED: usize = 500;

/// The text of the inspector's actor edit fields while the user types.
#[derive(Default)]
pub struct ActorEditState {
    actor: Option<ActorId>,
    name: String,
    country: String,
    merge_into: String,
    problem: Option<String>,
}

/// Shows the selection: a tie, else the selected events (when events were selected: a
/// bar, table rows), else the actor selected last, else what the file holds.
#[allow(clippy::too_many_arguments)]
pub fn inspector_ui(
    ui: &mut Ui,
    doc: &Document,
    selected: Option<ActorId>,
    selected_edge: Option<(ActorId, ActorId)>,
    selected_events: &[EventId],
    edit: &mut ActorEditState,
    note: &mut NoteEditState,
    merged: &[ActorId],
    commands: &mut Vec<Command>,
) {
    if let Some((a, b)) = selected_edge {
        edge_ui(ui, doc, a, b, note, commands);
        return;
    }
    match selected_events {
        [] => {}
        &[e] => return event_ui(ui, doc, e, note, commands),
        events => return events_ui(ui, doc, events, commands),
    }
    let ds = &doc.dataset;
    let Some(actor_id) = selected else {
        ui.heading("Inspector");
        ui.label("Click an actor or a tie on the map, or an event in the table.");
        ui.add_space(8.0);
        ui.label(RichText::new(&doc.name).strong());
        ui.label(format!(
            "{}, {} actors, format {}",
            ds.events_label(),
            ds.actors.len(),
            doc.format.name()
        ));
        if let Some((first, last)) = ds.first_and_last_dates() {
            ui.label(format!("from {first} to {last}"));
        }
        let notes = doc.notes.attached_count();
        if notes > 0 {
            ui.label(format!("{notes} note{}", if notes == 1 { "" } else { "s" }));
        }
        let waiting = doc.notes.detached().len();
        if waiting > 0 {
            // Kept and saved, but on nothing drawn: say so rather than lose sight of them.
            ui.label(
                RichText::new(format!(
                    "{waiting} note{} on actors or events not in the data (kept, and saved \
                     with the workspace)",
                    if waiting == 1 { "" } else { "s" }
                ))
                .color(ui.visuals().warn_fg_color),
            );
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
    ui.label(RichText::new(facts).color(theme::kind_colour(actor.kind)));
    if let Some(c) = actor.affiliation {
        ui.horizontal(|ui| {
            ui.label("Country:");
            if ui.link(&ds.actors.get(c).name).clicked() {
                commands.push(Command::Select(Some(c)));
            }
        });
    }
    if !actor.aliases.is_empty() {
        ui.label(format!("Also written: {}", actor.aliases.join(", ")));
    }
    let all = doc.index.events_of_actor(actor_id);
    if let (Some(&first), Some(&last)) = (all.first(), all.last()) {
        ui.label(format!(
            "First event {}, last {} ({} in all)",
            ds.date_of(first),
            ds.date_of(last),
            events_in(ds, all)
        ));
    }
    let window = doc.window();
    let filter = &doc.counts.filter;
    let events: Vec<EventId> = all
        .iter()
        .copied()
        .filter(|&e| ds.overlaps(e, window.from, window.to) && filter.accepts(ds, e))
        .collect();
    let n = events_in(ds, &events);
    ui.label(format!(
        "{n} event{} in the window",
        if n == 1 { "" } else { "s" }
    ));
    note_ui(ui, doc, NoteSubject::Actor(actor_id), note, commands);
    ui.separator();
    egui::ScrollArea::vertical()
        .auto_shrink([false, false])
        .show(ui, |ui| {
            egui::CollapsingHeader::new("Edit actor")
                .default_open(false)
                .show(ui, |ui| {
                    actor_edit_ui(ui, doc, actor_id, edit, merged, commands)
                });
            egui::CollapsingHeader::new("Events by type")
                .default_open(true)
                .show(ui, |ui| type_counts_ui(ui, doc, &events));
            egui::CollapsingHeader::new("Strongest ties")
                .default_open(true)
                .show(ui, |ui| ties_ui(ui, doc, actor_id, &events, commands));
            egui::CollapsingHeader::new(format!("Events in the window ({})", events.len()))
                .default_open(true)
                .show(ui, |ui| {
                    for &e in events.iter().take(MAX_LISTED) {
                        event_row_ui(ui, doc, e, Some(actor_id), commands);
                        ui.separator();
                    }
                    if events.len() > MAX_LISTED {
                        ui.label(format!(
                            "… and {} more (the event table lists them all)",
                            events.len() - MAX_LISTED
                        ));
                    }
                });
        });
}

/// Rename, kind, country, merge: each an undoable edit.
fn actor_edit_ui(
    ui: &mut Ui,
    doc: &Document,
    actor_id: ActorId,
    edit: &mut ActorEditState,
    merged: &[ActorId],
    commands: &mut Vec<Command>,
) {
    let ds = &doc.dataset;
    let actor = ds.actors.get(actor_id);
    if edit.actor != Some(actor_id) {
        *edit = ActorEditState {
            actor: Some(actor_id),
            name: actor.name.clone(),
            country: actor
                .affiliation
                .map(|c| ds.actors.get(c).name.clone())
                .unwrap_or_default(),
            ..ActorEditState::default()
        };
    }
    egui::Grid::new("actor-edit").num_columns(3).show(ui, |ui| {
        let l = ui.label("Name");
        ui.add(egui::TextEdit::singleline(&mut edit.name).desired_width(150.0))
            .labelled_by(l.id);
        if ui.button("Rename").clicked() && edit.name.trim() != actor.name {
            commands.push(Command::Edit(Edit::RenameActor {
                actor: actor_id,
                name: edit.name.trim().to_string(),
            }));
        }
        ui.end_row();

        let l = ui.label("Kind");
        let mut kind = actor.kind;
        egui::ComboBox::from_id_salt("actor-kind")
            .selected_text(kind.label())
            .show_ui(ui, |ui| {
                for k in crate::model::ActorKind::ALL {
                    ui.selectable_value(&mut kind, k, k.label());
                }
            })
            .response
            .labelled_by(l.id);
        if kind != actor.kind {
            commands.push(Command::Edit(Edit::SetKind {
                actor: actor_id,
                kind,
            }));
        }
        ui.end_row();

        let l = ui.label("Country");
        ui.add(
            egui::TextEdit::singleline(&mut edit.country)
                .desired_width(150.0)
                .hint_text("none"),
        )
        .labelled_by(l.id);
        if ui.button("Set").clicked() {
            let text = edit.country.trim();
            if text.is_empty() {
                commands.push(Command::Edit(Edit::SetCountry {
                    actor: actor_id,
                    country: None,
                }));
                edit.problem = None;
            } else {
                match ds.actors.find(text) {
                    Some(c) => {
                        commands.push(Command::Edit(Edit::SetCountry {
                            actor: actor_id,
                            country: Some(c),
                        }));
                        edit.problem = None;
                    }
                    None => edit.problem = Some(format!("No actor called {text}")),
                }
            }
        }
        ui.end_row();

        let l = ui.label("Merge into");
        ui.add(
            egui::TextEdit::singleline(&mut edit.merge_into)
                .desired_width(150.0)
                .hint_text("the other spelling"),
        )
        .labelled_by(l.id);
        if ui
            .button("Merge")
            .on_hover_text("Its events and names go to the other actor (undo splits them again)")
            .clicked()
        {
            let text = edit.merge_into.trim();
            match ds.actors.find(text) {
                Some(keep) if keep != actor_id => {
                    commands.push(Command::Edit(Edit::Merge {
                        keep,
                        merged: actor_id,
                    }));
                    commands.push(Command::Select(Some(keep)));
                    edit.problem = None;
                }
                _ => edit.problem = Some(format!("No other actor called {text}")),
            }
        }
        ui.end_row();
    });
    for &m in merged {
        if ui
            .button(format!("Split {} off again", ds.actors.get(m).name))
            .on_hover_text("Give back the events and the name that the merge moved")
            .clicked()
        {
            commands.push(Command::SplitOff {
                keep: actor_id,
                merged: m,
            });
        }
    }
    if let Some(problem) = &edit.problem {
        ui.colored_label(ui.visuals().warn_fg_color, problem);
    }
}

/// Most types and ties listed.
const TOP_LISTED: usize = 8;

/// The window's events counted by type, most common first, with a bar each.
fn type_counts_ui(ui: &mut Ui, doc: &Document, events: &[EventId]) {
    let ds = &doc.dataset;
    let mut counts: Vec<(u32, u32)> = Vec::new();
    {
        let mut by_type = std::collections::HashMap::<u32, u32>::new();
        for &e in events {
            *by_type.entry(ds.type_of[e as usize]).or_default() += ds.multiplicity(e);
        }
        counts.extend(by_type);
    }
    counts.sort_by(|x, y| y.1.cmp(&x.1).then(x.0.cmp(&y.0)));
    if counts.is_empty() {
        ui.weak("No events in the window");
        return;
    }
    let most = counts[0].1.max(1) as f32;
    egui::Grid::new("type-counts")
        .num_columns(3)
        .show(ui, |ui| {
            for &(t, n) in counts.iter().take(TOP_LISTED) {
                let name = ds.types.get(t as usize).map_or("", |s| s.as_str());
                ui.label(if name.is_empty() { "(no type)" } else { name });
                ui.label(n.to_string());
                let (rect, _) =
                    ui.allocate_exact_size(egui::vec2(80.0, 10.0), egui::Sense::hover());
                let mut bar = rect;
                bar.set_width(80.0 * n as f32 / most);
                ui.painter()
                    .rect_filled(bar, 2.0, ui.visuals().selection.bg_fill);
                ui.end_row();
            }
        });
    if counts.len() > TOP_LISTED {
        ui.weak(format!("and {} more types", counts.len() - TOP_LISTED));
    }
}

/// The actors that share most of the window's events with `actor`.
fn ties_ui(
    ui: &mut Ui,
    doc: &Document,
    actor: ActorId,
    events: &[EventId],
    commands: &mut Vec<Command>,
) {
    let ds = &doc.dataset;
    let mut shared = std::collections::HashMap::<ActorId, u32>::new();
    for &e in events {
        for &other in ds.actors_of(e) {
            if other != actor {
                *shared.entry(other).or_default() += 1;
            }
        }
    }
    let mut ties: Vec<(ActorId, u32)> = shared.into_iter().collect();
    ties.sort_by(|x, y| y.1.cmp(&x.1).then(x.0.cmp(&y.0)));
    if ties.is_empty() {
        ui.weak("No ties in the window");
        return;
    }
    egui::Grid::new("ties").num_columns(2).show(ui, |ui| {
        for &(other, n) in ties.iter().take(TOP_LISTED) {
            if ui
                .link(&ds.actors.get(other).name)
                .on_hover_text("Select this tie")
                .clicked()
            {
                commands.push(Command::SelectEdge(actor, other));
            }
            ui.label(format!("{n} event{}", if n == 1 { "" } else { "s" }));
            ui.end_row();
        }
    });
    if ties.len() > TOP_LISTED {
        ui.weak(format!("and {} more", ties.len() - TOP_LISTED));
    }
}

/// A tie: both actors and every event they share, in order; those outside the window weak.
fn edge_ui(
    ui: &mut Ui,
    doc: &Document,
    a: ActorId,
    b: ActorId,
    note: &mut NoteEditState,
    commands: &mut Vec<Command>,
) {
    let ds = &doc.dataset;
    ui.horizontal(|ui| {
        ui.heading("Tie");
        if ui
            .small_button("Clear")
            .on_hover_text("Clear the selection")
            .clicked()
        {
            commands.push(Command::Select(None));
        }
    });
    ui.horizontal_wrapped(|ui| {
        for (i, actor) in [a, b].into_iter().enumerate() {
            if i == 1 {
                ui.label("–");
            }
            let name = &ds.actors.get(actor).name;
            if ui.link(RichText::new(name).strong()).clicked() {
                commands.push(Command::Select(Some(actor)));
            }
        }
    });
    let shared: &[EventId] = doc
        .index
        .pair(a, b)
        .map_or(&[], |p| doc.index.events_of_pair(p));
    let window = doc.window();
    let in_window: u64 = shared
        .iter()
        .filter(|&&e| ds.overlaps(e, window.from, window.to))
        .map(|&e| u64::from(ds.multiplicity(e)))
        .sum();
    let total = events_in(ds, shared);
    ui.label(format!(
        "{total} shared event{}, {in_window} in the window",
        if total == 1 { "" } else { "s" }
    ));
    let mut by_class = [0u32; 5];
    for &e in shared {
        by_class[ds.class[e as usize].index()] += ds.multiplicity(e);
    }
    ui.horizontal_wrapped(|ui| {
        for class in crate::model::EventClass::ALL {
            let n = by_class[class.index()];
            if n > 0 {
                ui.label(
                    RichText::new(format!("{n} {}", class.label()))
                        .color(theme::class_colour(class)),
                );
            }
        }
    });
    let noted_events = shared.iter().filter(|&&e| doc.notes.has_event(e)).count();
    if noted_events > 0 {
        ui.label(format!(
            "{noted_events} of its events ha{} a note (marked below)",
            if noted_events == 1 { "s" } else { "ve" }
        ));
    }
    note_ui(ui, doc, NoteSubject::tie(a, b), note, commands);
    ui.separator();
    egui::ScrollArea::vertical()
        .auto_shrink([false, false])
        .show(ui, |ui| {
            for &e in shared.iter().take(MAX_LISTED) {
                let outside = !ds.overlaps(e, window.from, window.to);
                ui.scope(|ui| {
                    if outside {
                        ui.multiply_opacity(0.5);
                    }
                    event_row_ui(ui, doc, e, None, commands);
                });
                ui.separator();
            }
            if shared.len() > MAX_LISTED {
                ui.label(format!(
                    "… and {} more (the event table lists them all)",
                    shared.len() - MAX_LISTED
                ));
            }
        });
}

fn event_row_ui(
    ui: &mut Ui,
    doc: &Document,
    e: EventId,
    about: Option<ActorId>,
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
    if let Some(text) = doc.notes.get(NoteSubject::Event(e)) {
        let [r, g, b, _] = crate::export::callouts::NOTE_COLOUR;
        ui.label(RichText::new(format!("Note: {text}")).color(egui::Color32::from_rgb(r, g, b)));
    }
    let others: Vec<ActorId> = ds
        .actors_of(e)
        .iter()
        .copied()
        .filter(|&a| Some(a) != about)
        .collect();
    if !others.is_empty() {
        ui.horizontal_wrapped(|ui| {
            ui.label(if about.is_some() { "with" } else { "actors" });
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

/// The heading of a selection, with a button that clears it.
fn heading_with_clear(ui: &mut Ui, heading: &str, commands: &mut Vec<Command>) {
    ui.horizontal(|ui| {
        ui.heading(heading);
        if ui
            .small_button("Clear")
            .on_hover_text("Clear the selection")
            .clicked()
        {
            commands.push(Command::Select(None));
        }
    });
}

/// How many events the rows stand for (see `Dataset::multiplicity`).
fn events_in(ds: &crate::model::Dataset, rows: &[EventId]) -> u64 {
    rows.iter().map(|&e| u64::from(ds.multiplicity(e))).sum()
}

/// "2024" with "(dated only to the year)" where the source gave no month or day.
fn date_with_precision(doc: &Document, e: EventId) -> String {
    let ds = &doc.dataset;
    let mut text = match ds.end_date_of(e) {
        Some(end) => format!("{} to {end}", ds.date_of(e)),
        None => ds.date_of(e).to_string(),
    };
    match ds.precision[e as usize] {
        Precision::Year => text.push_str(" (dated only to the year)"),
        Precision::Month => text.push_str(" (dated only to the month)"),
        Precision::Day => {}
    }
    text
}

/// One event: every field it has.
fn event_ui(
    ui: &mut Ui,
    doc: &Document,
    e: EventId,
    note: &mut NoteEditState,
    commands: &mut Vec<Command>,
) {
    let ds = &doc.dataset;
    let aggregate = ds.multiplicity(e);
    heading_with_clear(
        ui,
        if aggregate > 1 { "Aggregate" } else { "Event" },
        commands,
    );
    let title = ds.title(e);
    if !title.is_empty() {
        ui.label(RichText::new(title).strong());
    }
    if aggregate > 1 {
        ui.label(RichText::new(format!("{aggregate} events (aggregated)")).strong())
            .on_hover_text(
                "This row of the file stands for that many events (its count column): \
                 they share the date, actors and type shown here; the source is one of them",
            );
    }
    note_ui(ui, doc, NoteSubject::Event(e), note, commands);
    ui.separator();
    egui::ScrollArea::vertical()
        .auto_shrink([false, false])
        .show(ui, |ui| {
            egui::Grid::new("event-fields")
                .num_columns(2)
                .striped(true)
                .show(ui, |ui| {
                    ui.label("Date");
                    ui.label(date_with_precision(doc, e));
                    ui.end_row();

                    ui.label(if doc.directed {
                        "Actors (first acted)"
                    } else {
                        "Actors"
                    });
                    ui.vertical(|ui| {
                        for &a in ds.actors_of(e) {
                            let actor = ds.actors.get(a);
                            ui.horizontal_wrapped(|ui| {
                                if ui.link(&actor.name).clicked() {
                                    commands.push(Command::Select(Some(a)));
                                }
                                let mut kind = actor.kind.label().to_string();
                                if let Some(c) = actor.affiliation {
                                    kind.push_str(&format!(" of {}", ds.actors.get(c).name));
                                }
                                ui.label(RichText::new(kind).color(theme::kind_colour(actor.kind)));
                            });
                        }
                    });
                    ui.end_row();

                    let t = ds.type_name(e);
                    ui.label("Type");
                    ui.label(if t.is_empty() { "(none)" } else { t });
                    ui.end_row();

                    let class = ds.class[e as usize];
                    ui.label("Class");
                    ui.label(RichText::new(class.label()).color(theme::class_colour(class)));
                    ui.end_row();

                    let location = ds.location(e);
                    if !location.is_empty() {
                        ui.label("Location");
                        ui.label(location);
                        ui.end_row();
                    }
                    if let Some((lat, lon)) = ds.lat_lon(e) {
                        ui.label("Coordinates");
                        ui.label(format!("{lat:.4}, {lon:.4}"));
                        ui.end_row();
                    }
                    let intensity = ds.intensity(e);
                    if let Some(x) = Some(intensity).filter(|x| !x.is_nan()) {
                        ui.label("Intensity")
                            .on_hover_text("GDELT's Goldstein scale, ICEWS's intensity");
                        ui.label(format!("{x}"));
                        ui.end_row();
                    }
                    let count = ds.source_count(e);
                    if count > 0 {
                        ui.label("Source count")
                            .on_hover_text("GDELT's mentions, ACLED's fatalities");
                        ui.label(count.to_string());
                        ui.end_row();
                    }
                    let weight = ds.weight[e as usize];
                    if weight != 1.0 {
                        ui.label("Weight");
                        ui.label(format!("{weight}"));
                        ui.end_row();
                    }
                    let url = ds.url(e);
                    if !url.is_empty() {
                        if aggregate > 1 {
                            ui.label("Sample source").on_hover_text(
                                "The source of one of the events this row stands for",
                            );
                        } else {
                            ui.label("Source");
                        }
                        if url.starts_with("http://") || url.starts_with("https://") {
                            ui.hyperlink_to(url, url);
                        } else {
                            ui.label(url);
                        }
                        ui.end_row();
                    }
                    // Its own file: one of several read together, or an index's source.
                    let file = ds.file_of(e).or(doc.path.as_deref());
                    ui.label("From");
                    ui.label(match file {
                        Some(path) => format!("{}, line {}", path.display(), ds.line(e)),
                        None => format!("{}, line {}", doc.name, ds.line(e)),
                    });
                    ui.end_row();
                });
        });
}

/// Many events: how many, their span, types, classes, actors, and the list.
fn events_ui(ui: &mut Ui, doc: &Document, events: &[EventId], commands: &mut Vec<Command>) {
    let ds = &doc.dataset;
    let total = events_in(ds, events);
    let heading = if ds.is_aggregated() {
        format!("{total} events in {} rows", events.len())
    } else {
        format!("{total} events")
    };
    heading_with_clear(ui, &heading, commands);
    // Events are numbered in start order, so the first is the earliest; the last to end
    // may be any of them (a year-dated one ends on 31 December).
    let first = events.iter().copied().min().unwrap_or(0);
    let last = events
        .iter()
        .copied()
        .max_by_key(|&e| (ds.end[e as usize], e))
        .unwrap_or(0);
    let last_date = ds.end_date_of(last).unwrap_or_else(|| ds.date_of(last));
    let first_date = ds.date_of(first);
    if first_date == last_date {
        ui.label(format!("all dated {first_date}"));
    } else {
        ui.label(format!("from {first_date} to {last_date}"));
    }
    let mut by_class = [0u32; 5];
    for &e in events {
        by_class[ds.class[e as usize].index()] += ds.multiplicity(e);
    }
    ui.horizontal_wrapped(|ui| {
        for class in EventClass::ALL {
            let n = by_class[class.index()];
            if n > 0 {
                ui.label(
                    RichText::new(format!("{n} {}", class.label()))
                        .color(theme::class_colour(class)),
                );
            }
        }
    });
    ui.separator();
    egui::ScrollArea::vertical()
        .auto_shrink([false, false])
        .show(ui, |ui| {
            egui::CollapsingHeader::new("Events by type")
                .default_open(true)
                .show(ui, |ui| type_counts_ui(ui, doc, events));
            egui::CollapsingHeader::new("Actors involved")
                .default_open(true)
                .show(ui, |ui| actors_involved_ui(ui, doc, events, commands));
            egui::CollapsingHeader::new(format!("The events ({})", events.len()))
                .default_open(true)
                .show(ui, |ui| {
                    for &e in events.iter().take(MAX_LISTED) {
                        event_row_ui(ui, doc, e, None, commands);
                        if ui
                            .small_button("Details")
                            .on_hover_text("Show this event alone")
                            .clicked()
                        {
                            commands.push(Command::SelectEvents(vec![e], false));
                        }
                        ui.separator();
                    }
                    if events.len() > MAX_LISTED {
                        ui.label(format!(
                            "… and {} more (the event table lists them all)",
                            events.len() - MAX_LISTED
                        ));
                    }
                });
        });
}

/// The actors of `events`, most events first; a click selects one.
fn actors_involved_ui(
    ui: &mut Ui,
    doc: &Document,
    events: &[EventId],
    commands: &mut Vec<Command>,
) {
    let ds = &doc.dataset;
    let mut counts = std::collections::HashMap::<ActorId, u32>::new();
    for &e in events {
        for &a in ds.actors_of(e) {
            *counts.entry(a).or_default() += ds.multiplicity(e);
        }
    }
    let mut actors: Vec<(ActorId, u32)> = counts.into_iter().collect();
    actors.sort_by(|x, y| y.1.cmp(&x.1).then(x.0.cmp(&y.0)));
    const MOST: usize = 40;
    egui::Grid::new("actors-involved")
        .num_columns(3)
        .show(ui, |ui| {
            for &(a, n) in actors.iter().take(MOST) {
                let actor = ds.actors.get(a);
                if ui
                    .link(&actor.name)
                    .on_hover_text("Select this actor")
                    .clicked()
                {
                    commands.push(Command::Select(Some(a)));
                }
                ui.label(RichText::new(actor.kind.label()).color(theme::kind_colour(actor.kind)));
                ui.label(format!("{n} event{}", if n == 1 { "" } else { "s" }));
                ui.end_row();
            }
        });
    if actors.len() > MOST {
        ui.weak(format!("and {} more", actors.len() - MOST));
    }
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
                            // Loads of several files name the file of each problem.
                            match &x.file {
                                Some(file) => ui.label(format!("{file}: {}", x.message)),
                                None => ui.label(&x.message),
                            };
                        });
                    }
                });
        });
}
