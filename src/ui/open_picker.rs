//! "What to open from this file?": the members of a zip archive (event files ticked, the rest
//! shown with why they are no event file) or the sheets of a workbook (one to choose). Asked
//! when a zip holds several event files or a workbook several sheets; answered with the
//! `archive.zip:member` / `book.xlsx:sheet` paths the readers take.

use std::path::{Path, PathBuf};

use eframe::egui::{self, RichText};

use super::Command;
use crate::io::archive::ZipMember;

/// What the file offers.
pub enum Choices {
    /// Zip members; the flag says whether it is ticked.
    Members(Vec<(ZipMember, bool)>),
    /// Sheet names and the chosen one.
    Sheets(Vec<String>, usize),
}

pub struct OpenPicker {
    path: PathBuf,
    choices: Choices,
}

impl OpenPicker {
    /// A picker for `path` when it needs one: a zip with more than one event member, or a
    /// workbook with more than one sheet. `None` for everything else (and for a path that
    /// already names its member or sheet).
    pub fn for_path(path: &Path) -> Option<Self> {
        if path.exists() {
            if crate::io::xlsx::has_workbook_extension(path) {
                let sheets = crate::io::xlsx::sheet_names(path).ok()?;
                return (sheets.len() > 1).then(|| Self {
                    path: path.to_path_buf(),
                    choices: Choices::Sheets(sheets, 0),
                });
            }
            let members = crate::io::archive::list_zip(path).ok()?;
            if members.iter().filter(|m| m.is_event_file()).count() > 1 {
                let members = members
                    .into_iter()
                    .map(|m| {
                        let tick = m.is_event_file();
                        (m, tick)
                    })
                    .collect();
                return Some(Self {
                    path: path.to_path_buf(),
                    choices: Choices::Members(members),
                });
            }
        }
        None
    }

    /// The paths to read for the current choice.
    pub fn chosen(&self) -> Vec<PathBuf> {
        let with = |part: &str| PathBuf::from(format!("{}:{part}", self.path.display()));
        match &self.choices {
            Choices::Members(members) => members
                .iter()
                .filter(|(_, tick)| *tick)
                .map(|(m, _)| with(&m.name))
                .collect(),
            Choices::Sheets(sheets, i) => vec![with(&sheets[*i])],
        }
    }

    /// The window; `false` once it is answered or closed.
    pub fn show(&mut self, ctx: &egui::Context, commands: &mut Vec<Command>) -> bool {
        let name = self
            .path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let mut keep_open = true;
        egui::Window::new(format!("Open from {name}"))
            .collapsible(false)
            .resizable(true)
            .default_width(560.0)
            .anchor(egui::Align2::CENTER_CENTER, [0.0, 0.0])
            .show(ctx, |ui| {
                match &mut self.choices {
                    Choices::Members(members) => {
                        ui.label(
                            "This archive holds several event files. The ticked ones are read \
                             into one dataset.",
                        );
                        ui.horizontal(|ui| {
                            if ui.small_button("Tick all event files").clicked() {
                                for (m, tick) in members.iter_mut() {
                                    *tick = m.is_event_file();
                                }
                            }
                            if ui.small_button("Untick all").clicked() {
                                for (_, tick) in members.iter_mut() {
                                    *tick = false;
                                }
                            }
                        });
                        egui::ScrollArea::vertical()
                            .max_height(320.0)
                            .show(ui, |ui| {
                                for (member, tick) in members.iter_mut() {
                                    let size = super::file_dialog::format_size(member.size);
                                    match member.format {
                                        Some(format) => {
                                            ui.checkbox(
                                                tick,
                                                format!(
                                                    "{}  ({}, {size})",
                                                    member.name,
                                                    format.name()
                                                ),
                                            );
                                        }
                                        None => {
                                            let why = member.skip_reason.as_deref().unwrap_or("");
                                            ui.add_enabled(
                                                false,
                                                egui::Checkbox::new(
                                                    &mut false,
                                                    format!("{}  ({why})", member.name),
                                                ),
                                            );
                                        }
                                    }
                                }
                            });
                    }
                    Choices::Sheets(sheets, chosen) => {
                        ui.label("This workbook has several sheets. Which one holds the events?");
                        for (i, sheet) in sheets.iter().enumerate() {
                            ui.radio_value(chosen, i, sheet);
                        }
                    }
                }
                ui.add_space(6.0);
                let chosen = self.chosen();
                ui.horizontal(|ui| {
                    let label = match chosen.len() {
                        1 => "Open".to_string(),
                        n => format!("Open {n} files"),
                    };
                    if ui
                        .add_enabled(!chosen.is_empty(), egui::Button::new(label))
                        .clicked()
                    {
                        commands.push(Command::OpenFiles(chosen));
                        keep_open = false;
                    }
                    if ui.button("Cancel").clicked() {
                        keep_open = false;
                    }
                });
                if matches!(self.choices, Choices::Members(_)) {
                    ui.label(
                        RichText::new(
                            "Members are read as they are unpacked; nothing is written to disk.",
                        )
                        .weak()
                        .small(),
                    );
                }
            });
        keep_open
    }
}
