//! The column-mapping dialog, shown when a CSV (or a workbook's sheet) is not in relmap's
//! layout: which column holds which field — one column may feed several fields, a date may
//! be built from year, month and day columns ("+" adds a part) — with the first rows to look
//! at, named presets to apply, and the current mapping saved as a preset for next time.

use std::path::PathBuf;

use eframe::egui;

use crate::io::{self, ColumnMap, CsvPreview, Field, PresetStore};
use crate::session::Command;

/// The mapping dialog's state.
pub struct MappingDialog {
    pub path: PathBuf,
    pub preview: CsvPreview,
    /// For each mappable field its columns: one, or for dates up to three (year, month, day).
    choice: Vec<(Field, Vec<Option<usize>>)>,
    /// The user's presets (and the shipped ones); `None` with a reason when the file is
    /// damaged, so that saving does not overwrite it.
    presets: Result<PresetStore, String>,
    /// The preset picked in the "Preset" list.
    preset: String,
    /// The name typed to save the mapping under.
    save_name: String,
    /// What the last preset action did.
    message: Option<String>,
    /// The workbook's sheets, when the file is one with several.
    sheets: Vec<String>,
}

/// Parts a date may be built from.
const MAX_DATE_PARTS: usize = 3;

impl MappingDialog {
    pub fn new(path: PathBuf, preview: CsvPreview, start: &ColumnMap) -> Self {
        let sheets = if io::xlsx::has_workbook_extension(&io::xlsx::split_sheet(&path).0) {
            io::xlsx::sheet_names(&path).unwrap_or_default()
        } else {
            Vec::new()
        };
        let mut dialog = Self {
            path,
            preview,
            choice: Vec::new(),
            presets: PresetStore::open_default(),
            preset: String::new(),
            save_name: String::new(),
            message: None,
            sheets,
        };
        dialog.set_mapping(start);
        dialog
    }

    /// Shows a mapping: each field's columns, found by header name or number.
    fn set_mapping(&mut self, map: &ColumnMap) {
        let header = &self.preview.header;
        let find = |name: &str| {
            header
                .iter()
                .position(|h| h.trim().eq_ignore_ascii_case(name.trim()))
                .or_else(|| {
                    name.trim()
                        .parse::<usize>()
                        .ok()
                        .filter(|&n| n >= 1 && n <= header.len())
                        .map(|n| n - 1)
                })
        };
        self.choice = io::MAPPABLE_FIELDS
            .iter()
            .map(|&field| {
                let columns = match map.column_of(field) {
                    None => vec![None],
                    Some(spec) => match find(spec) {
                        Some(i) => vec![Some(i)],
                        None if is_date(field) => spec.split('+').map(find).collect(),
                        None => vec![None],
                    },
                };
                (field, columns)
            })
            .collect();
    }

    /// The mapping the dialog shows.
    pub fn mapping(&self) -> ColumnMap {
        let header = &self.preview.header;
        ColumnMap {
            entries: self
                .choice
                .iter()
                .filter_map(|(field, columns)| {
                    let names: Vec<&str> = columns
                        .iter()
                        .flatten()
                        .map(|&c| header[c].as_str())
                        .collect();
                    (!names.is_empty()).then(|| (*field, names.join("+")))
                })
                .collect(),
        }
    }

    /// A date and at least one actor are chosen.
    pub fn is_usable(&self) -> bool {
        let chosen = |field: Field| {
            self.choice
                .iter()
                .any(|(f, c)| *f == field && c.iter().any(Option::is_some))
        };
        chosen(Field::Date)
            && (chosen(Field::Actor1) || chosen(Field::Actor2) || chosen(Field::Actors))
    }

    fn apply_preset(&mut self) {
        let Ok(store) = &self.presets else {
            return;
        };
        let Some(preset) = store.get(&self.preset) else {
            return;
        };
        self.set_mapping(&preset.mapping);
        let missing: Vec<&str> = preset
            .mapping
            .named_columns()
            .filter(|c| {
                !self
                    .preview
                    .header
                    .iter()
                    .any(|h| h.trim().eq_ignore_ascii_case(c))
            })
            .collect();
        self.message = Some(if missing.is_empty() {
            format!("Applied preset '{}'.", preset.name)
        } else {
            format!(
                "Applied preset '{}'; this file lacks its columns {}.",
                preset.name,
                missing.join(", ")
            )
        });
    }

    fn save_preset(&mut self) {
        let mapping = self.mapping();
        let name = self.save_name.trim().to_string();
        self.message = Some(match &mut self.presets {
            Ok(store) => match store.save(&name, &mapping) {
                Ok(()) => {
                    self.preset = name.clone();
                    format!("Saved as preset '{name}' (--map @{name}).")
                }
                Err(e) => format!("Not saved: {e}"),
            },
            Err(e) => format!("Not saved: {e}"),
        });
    }
}

fn is_date(field: Field) -> bool {
    matches!(field, Field::Date | Field::EndDate)
}

/// Draws the dialog, if one is open; what the user decides goes to `pending`.
pub fn mapping_window(
    ctx: &egui::Context,
    dialog: &mut Option<MappingDialog>,
    pending: &mut Vec<Command>,
) {
    let Some(dialog) = dialog else {
        return;
    };
    let name = dialog
        .path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    egui::Window::new("Map the columns")
        .collapsible(false)
        .default_width(680.0)
        .anchor(egui::Align2::CENTER_CENTER, [0.0, 0.0])
        .show(ctx, |ui| {
            ui.label(format!(
                "{name} is not in relmap's CSV layout. Choose which column holds what; \
                 relmap guessed from the names and the first rows. A column may feed several \
                 fields; \"+\" builds a date from year, month and day columns (0 or empty = unknown)."
            ));
            ui.add_space(6.0);
            if dialog.sheets.len() > 1 {
                sheet_row_ui(ui, dialog, pending);
            }
            presets_ui(ui, dialog);
            ui.add_space(6.0);
            egui::ScrollArea::vertical()
                .id_salt("mapping-fields")
                .max_height(400.0)
                .show(ui, |ui| fields_ui(ui, dialog));
            ui.add_space(6.0);
            ui.strong("First rows");
            preview_ui(ui, &dialog.preview);
            ui.add_space(6.0);
            ui.horizontal(|ui| {
                let usable = dialog.is_usable();
                if ui
                    .add_enabled(usable, egui::Button::new("Open with this mapping"))
                    .on_disabled_hover_text("Choose the date column and at least one actor column")
                    .clicked()
                {
                    pending.push(Command::OpenMapped(dialog.path.clone(), dialog.mapping()));
                }
                if ui.button("Cancel").clicked() {
                    pending.push(Command::CloseMappingDialog);
                }
            });
        });
}

/// Another sheet of the workbook: opened (and detected) afresh.
fn sheet_row_ui(ui: &mut egui::Ui, dialog: &MappingDialog, pending: &mut Vec<Command>) {
    let (file, sheet) = io::xlsx::split_sheet(&dialog.path);
    let current = sheet.unwrap_or_else(|| dialog.sheets[0].clone());
    let mut chosen = current.clone();
    ui.horizontal(|ui| {
        let label = ui.label("Sheet");
        egui::ComboBox::from_id_salt("mapping-sheet")
            .selected_text(&current)
            .show_ui(ui, |ui| {
                for s in &dialog.sheets {
                    ui.selectable_value(&mut chosen, s.clone(), s);
                }
            })
            .response
            .labelled_by(label.id);
    });
    if chosen != current {
        let mut path = file.into_os_string();
        path.push(format!(":{chosen}"));
        pending.push(Command::Open(PathBuf::from(path)));
    }
}

fn presets_ui(ui: &mut egui::Ui, dialog: &mut MappingDialog) {
    let names = match &dialog.presets {
        Ok(store) => store.names(),
        Err(e) => {
            ui.colored_label(ui.visuals().warn_fg_color, format!("Presets: {e}"));
            io::shipped_presets().into_iter().map(|p| p.name).collect()
        }
    };
    ui.horizontal(|ui| {
        let label = ui.label("Preset");
        let shown = if dialog.preset.is_empty() {
            "(choose)"
        } else {
            dialog.preset.as_str()
        };
        egui::ComboBox::from_id_salt("mapping-preset")
            .selected_text(shown)
            .show_ui(ui, |ui| {
                for n in &names {
                    ui.selectable_value(&mut dialog.preset, n.clone(), n);
                }
            })
            .response
            .labelled_by(label.id);
        if ui
            .add_enabled(!dialog.preset.is_empty(), egui::Button::new("Apply preset"))
            .clicked()
        {
            dialog.apply_preset();
        }
        ui.separator();
        let label = ui.label("Save as");
        ui.add(
            egui::TextEdit::singleline(&mut dialog.save_name)
                .desired_width(120.0)
                .hint_text("preset name"),
        )
        .labelled_by(label.id);
        let can_save = !dialog.save_name.trim().is_empty() && dialog.presets.is_ok();
        if ui
            .add_enabled(can_save, egui::Button::new("Save preset"))
            .clicked()
        {
            dialog.save_preset();
        }
    });
    if let Some(message) = &dialog.message {
        ui.label(message);
    }
}

fn fields_ui(ui: &mut egui::Ui, dialog: &mut MappingDialog) {
    let header = &dialog.preview.header;
    egui::Grid::new("mapping-grid")
        .num_columns(2)
        .show(ui, |ui| {
            for (field, columns) in &mut dialog.choice {
                let label = ui.label(field.name());
                ui.horizontal(|ui| {
                    let parts = columns.len();
                    for (part, column) in columns.iter_mut().enumerate() {
                        if part > 0 {
                            ui.label("+");
                        }
                        let selected = column.map(|c| header[c].as_str()).unwrap_or("(none)");
                        let combo = egui::ComboBox::from_id_salt(("mapping", field.name(), part))
                            .selected_text(selected)
                            .show_ui(ui, |ui| {
                                ui.selectable_value(column, None, "(none)");
                                for (i, h) in header.iter().enumerate() {
                                    ui.selectable_value(column, Some(i), h);
                                }
                            })
                            .response;
                        let combo = combo.labelled_by(label.id);
                        if parts > 1 {
                            let _ = combo.on_hover_text(["year", "month", "day"][part.min(2)]);
                        }
                    }
                    if is_date(*field) {
                        if parts < MAX_DATE_PARTS
                            && ui
                                .small_button("+")
                                .on_hover_text(format!(
                                    "Build {} from several columns: year + month + day",
                                    field.name()
                                ))
                                .clicked()
                        {
                            columns.push(None);
                        }
                        if parts > 1
                            && ui
                                .small_button("−")
                                .on_hover_text("Remove the last part")
                                .clicked()
                        {
                            columns.pop();
                        }
                    }
                });
                ui.end_row();
            }
        });
}

fn preview_ui(ui: &mut egui::Ui, preview: &CsvPreview) {
    egui::ScrollArea::both()
        .id_salt("mapping-preview-scroll")
        .max_height(160.0)
        .show(ui, |ui| {
            egui::Grid::new("mapping-preview")
                .striped(true)
                .show(ui, |ui| {
                    for h in &preview.header {
                        ui.strong(h);
                    }
                    ui.end_row();
                    for row in &preview.rows {
                        for cell in row {
                            let short: String = cell.chars().take(40).collect();
                            ui.label(short);
                        }
                        ui.end_row();
                    }
                });
        });
}
