//! The filter panel (left): event classes and types, actor kinds, edge strength, isolated and
//! unplaced actors, labels and legend, collapsing countries. It reads the document and the map
//! style and emits commands; it changes nothing itself.

use eframe::egui::{self, RichText, Ui};

use super::Command;
use crate::analysis::Measure;
use crate::export::picture::{MapStyle, NodeColouring};

/// The disparity filter's level when "Significant ties only" is turned on.
const DEFAULT_ALPHA: f32 = 0.05;

fn colouring_label(colouring: NodeColouring) -> String {
    match colouring {
        NodeColouring::Kind => "Kind".into(),
        NodeColouring::Community => "Community".into(),
        NodeColouring::Measure(m) => m.label().into(),
    }
}
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
    ui.label(RichText::new("Nodes").strong());
    egui::Grid::new("node-measures")
        .num_columns(2)
        .show(ui, |ui| {
            let size_label = ui.label("Size");
            egui::ComboBox::from_id_salt("node-size")
                .selected_text(next.node_size.label())
                .show_ui(ui, |ui| {
                    for m in Measure::ALL {
                        ui.selectable_value(&mut next.node_size, m, m.label());
                    }
                })
                .response
                .labelled_by(size_label.id);
            ui.end_row();
            let colour_label = ui.label("Colour");
            egui::ComboBox::from_id_salt("node-colour")
                .selected_text(colouring_label(next.node_colour))
                .show_ui(ui, |ui| {
                    ui.selectable_value(&mut next.node_colour, NodeColouring::Kind, "Kind");
                    ui.selectable_value(
                        &mut next.node_colour,
                        NodeColouring::Community,
                        "Community",
                    );
                    for m in Measure::ALL.into_iter().skip(1) {
                        let c = NodeColouring::Measure(m);
                        ui.selectable_value(&mut next.node_colour, c, colouring_label(c));
                    }
                })
                .response
                .labelled_by(colour_label.id);
            ui.end_row();
        });
    ui.add_space(6.0);
    ui.label(RichText::new("Ties").strong());
    ui.horizontal(|ui| {
        let label = ui.label("At least");
        ui.add(egui::DragValue::new(&mut next.min_edge_events).range(1..=10_000))
            .labelled_by(label.id);
        ui.label("events");
    });
    let mut significant = next.backbone_alpha.is_some();
    ui.checkbox(&mut significant, "Significant ties only")
        .on_hover_text(
            "The disparity filter (Serrano, Boguñá & Vespignani 2009): keep a tie when it \
             carries a significant share of either actor's events, at level α",
        );
    match (significant, next.backbone_alpha) {
        (true, None) => next.backbone_alpha = Some(DEFAULT_ALPHA),
        (false, Some(_)) => next.backbone_alpha = None,
        _ => {}
    }
    if let Some(alpha) = &mut next.backbone_alpha {
        ui.horizontal(|ui| {
            let label = ui.label("α");
            ui.add(
                egui::Slider::new(alpha, 0.001..=0.5)
                    .logarithmic(true)
                    .fixed_decimals(3),
            )
            .labelled_by(label.id);
        });
    }
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
