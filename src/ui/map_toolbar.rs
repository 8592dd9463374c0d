//! The row above the map: layout, edge colours, note texts shown or not, find, and the
//! focus's hops.

use eframe::egui::{self, Key, Ui};

use super::Command;
use crate::export::picture::MapStyle;
use crate::export::style::EdgeColouring;
use crate::layout::LayoutKind;
use crate::model::ActorId;
use crate::session::Document;

/// The row above the map: layout, edge colours, search, focus.
#[allow(clippy::too_many_arguments)]
pub fn map_toolbar_ui(
    ui: &mut Ui,
    doc: &Document,
    style: &MapStyle,
    search: &mut String,
    search_miss: bool,
    focus: Option<ActorId>,
    focus_hops: u32,
    focus_search: bool,
    commands: &mut Vec<Command>,
) {
    ui.horizontal_wrapped(|ui| {
        let label = ui.label("Layout");
        let mut layout = doc.layout;
        egui::ComboBox::from_id_salt("layout")
            .selected_text(layout.label())
            .show_ui(ui, |ui| {
                for kind in LayoutKind::ALL {
                    ui.selectable_value(&mut layout, kind, kind.label());
                }
            })
            .response
            .labelled_by(label.id);
        if layout != doc.layout {
            commands.push(Command::SetLayout(layout));
        }
        let label = ui.label("Edges by");
        let mut colouring = style.edge_colouring;
        egui::ComboBox::from_id_salt("edge-colours")
            .selected_text(match colouring {
                EdgeColouring::Class => "class",
                EdgeColouring::Type => "type",
            })
            .show_ui(ui, |ui| {
                ui.selectable_value(&mut colouring, EdgeColouring::Class, "class");
                ui.selectable_value(&mut colouring, EdgeColouring::Type, "type");
            })
            .response
            .labelled_by(label.id);
        if colouring != style.edge_colouring {
            commands.push(Command::SetStyle(MapStyle {
                edge_colouring: colouring,
                ..style.clone()
            }));
        }
        if doc.notes.attached_count() > 0 {
            // Only where there are notes: a map without any has no use for it.
            let mut callouts = style.note_callouts;
            ui.checkbox(
                &mut callouts,
                format!("Note texts ({})", doc.notes.attached_count()),
            )
            .on_hover_text(
                "Show each note's text in a box on the map (and in exported images); \
                     off: only the note marks",
            );
            if callouts != style.note_callouts {
                commands.push(Command::SetStyle(MapStyle {
                    note_callouts: callouts,
                    ..style.clone()
                }));
            }
        }
        ui.separator();
        let label = ui.label("Find");
        let field = egui::TextEdit::singleline(search)
            .hint_text("actor name, alias or ISO code")
            .desired_width(200.0);
        let response = ui.add(field).labelled_by(label.id);
        if focus_search {
            response.request_focus();
        }
        if response.lost_focus() && ui.input(|i| i.key_pressed(Key::Enter)) && !search.is_empty() {
            commands.push(Command::FindActor(search.clone()));
        }
        if search_miss && !search.is_empty() {
            ui.colored_label(ui.visuals().warn_fg_color, "not found");
        }
        if let Some(f) = focus {
            ui.separator();
            let label = ui.label(format!("Focus: {}", doc.dataset.actors.get(f).name));
            let mut hops = focus_hops;
            ui.add(egui::DragValue::new(&mut hops).range(1..=6).suffix(" hops"))
                .labelled_by(label.id)
                .on_hover_text("How many steps from the focused actor to show");
            if hops != focus_hops {
                commands.push(Command::SetFocusHops(hops));
            }
            if ui.small_button("Clear focus").clicked() {
                commands.push(Command::Focus(None));
            }
        }
    });
}
