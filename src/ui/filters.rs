//! The filter panel (left): event classes and types, actor kinds, edge strength, isolated and
//! unplaced actors, labels and legend, collapsing countries. It reads the document and the map
//! style and emits commands; it changes nothing itself.

use eframe::egui::{self, RichText, Ui};

use super::Command;
use crate::export::picture::MapStyle;
use crate::model::{ActorKind, EventClass, EventFilter};
use crate::session::Document;

/// The filter panel: event classes and types, actor kinds, edge strength, isolated actors.
pub fn filters_ui(ui: &mut Ui, doc: &Document, style: &MapStyle, commands: &mut Vec<Command>) {
    let ds = &doc.dataset;
    let filter = &doc.counts.filter;
    ui.heading("Filters");
    ui.label(RichText::new("Event classes").strong());
    for class in EventClass::ALL {
        if !doc.has_class(class) {
            continue;
        }
        let mut on = filter.classes[class.index()];
        let text = RichText::new(class.label()).color(super::theme::class_colour(class));
        if ui.checkbox(&mut on, text).changed() {
            let mut next = filter.clone();
            next.classes[class.index()] = on;
            commands.push(Command::SetFilter(next));
        }
    }
    if ds.types.len() > 1 {
        ui.add_space(6.0);
        egui::CollapsingHeader::new(
            RichText::new(format!("Event types ({})", ds.types.len())).strong(),
        )
        .default_open(ds.types.len() <= 12)
        .show(ui, |ui| {
            ui.horizontal(|ui| {
                if ui.small_button("All").clicked() {
                    commands.push(Command::SetFilter(EventFilter {
                        types: Vec::new(),
                        ..filter.clone()
                    }));
                }
                if ui.small_button("None").clicked() {
                    commands.push(Command::SetFilter(EventFilter {
                        types: vec![false; ds.types.len()],
                        ..filter.clone()
                    }));
                }
            });
            for (t, name) in ds.types.iter().enumerate().take(300) {
                let mut on = filter.types.get(t).copied().unwrap_or(true);
                let label = if name.is_empty() {
                    "(no type)"
                } else {
                    name.as_str()
                };
                if ui.checkbox(&mut on, label).changed() {
                    let mut next = filter.clone();
                    if next.types.is_empty() {
                        next.types = vec![true; ds.types.len()];
                    }
                    next.types[t] = on;
                    commands.push(Command::SetFilter(next));
                }
            }
        });
    }
    ui.add_space(6.0);
    ui.label(RichText::new("Actors").strong());
    let mut next = style.clone();
    for (i, kind) in ActorKind::ALL.into_iter().enumerate() {
        if ds.actors.iter().any(|(_, a)| a.kind == kind) {
            let text = RichText::new(kind.label()).color(super::theme::kind_colour(kind));
            ui.checkbox(&mut next.kinds[i], text);
        }
    }
    ui.checkbox(&mut next.hide_isolated, "Hide actors without ties");
    ui.checkbox(&mut next.hide_unlocated, "Hide actors without a place")
        .on_hover_text("On the world map: leave out the row of actors whose country is unknown");
    ui.add_space(6.0);
    ui.label(RichText::new("Ties").strong());
    ui.horizontal(|ui| {
        let label = ui.label("At least");
        ui.add(egui::DragValue::new(&mut next.min_edge_events).range(1..=10_000))
            .labelled_by(label.id);
        ui.label("events");
    });
    ui.add_space(6.0);
    ui.label(RichText::new("Labels").strong());
    ui.checkbox(&mut next.iso_codes, "ISO codes on countries");
    ui.checkbox(&mut next.legend, "Legend");
    ui.horizontal(|ui| {
        let label = ui.label("Size");
        ui.add(egui::Slider::new(&mut next.label_scale, 0.8..=2.0).fixed_decimals(1))
            .labelled_by(label.id);
    });
    if next != *style {
        commands.push(Command::SetStyle(next));
    }
    ui.add_space(6.0);
    ui.horizontal_wrapped(|ui| {
        if ui
            .button("Collapse members")
            .on_hover_text("Draw every country with its people and bodies folded into it")
            .clicked()
        {
            commands.push(Command::SetCollapsed(None, true));
        }
        if ui.button("Expand all").clicked() {
            commands.push(Command::SetCollapsed(None, false));
        }
    });
}
