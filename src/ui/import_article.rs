//! File ▸ Import Article…: a news article (a file, or pasted text) read by the rule-based
//! extractor (`crate::extract`), its text on the left with each candidate's sentence
//! highlighted, the candidate events on the right to accept or reject one by one or all
//! above a confidence. Nothing is added until "Add": then the accepted events join the
//! dataset as one undoable step, the article as their source. (Accepted events can then be
//! corrected in the event editor, and new actors merged with existing ones in the
//! inspector.)

use std::path::PathBuf;
use std::sync::mpsc::Receiver;

use eframe::egui::{self, Color32, RichText, text::LayoutJob};

use super::Command;
use super::file_chooser::{FileChooser, FileRequest};
use crate::extract::{self, ExtractOptions, Extraction};
use crate::model::PartialDate;
use crate::session::Document;

/// The dialog's state.
pub struct ImportArticle {
    text: String,
    /// Where the text came from: the events' source.
    source: String,
    date: String,
    extraction: Option<Extraction>,
    accepted: Vec<bool>,
    threshold: f32,
    selected: Option<usize>,
    browse: Option<Receiver<Option<PathBuf>>>,
    problem: Option<String>,
    /// Make a new map of the accepted events instead of adding them to the open one.
    pub new_map: bool,
    /// The selected candidate's fields as typed, while they are being corrected.
    editing: Option<CandidateEdit>,
    /// (an existing actor, the article's name for it), from corrections: aliases to add.
    aliases: Vec<(String, String)>,
}

/// A candidate's date, actors and type being corrected before it is accepted.
struct CandidateEdit {
    index: usize,
    date: String,
    actors: String,
    root: u8,
    problem: Option<String>,
}

/// CAMEO roots 1–5 are verbal cooperation, 6–8 material cooperation, 9–13 verbal conflict,
/// 14–20 material conflict (the QuadClass GDELT derives from the root).
fn class_of_root(root: u8) -> crate::model::EventClass {
    use crate::model::EventClass;
    match root {
        1..=5 => EventClass::VerbalCooperation,
        6..=8 => EventClass::MaterialCooperation,
        9..=13 => EventClass::VerbalConflict,
        14..=20 => EventClass::MaterialConflict,
        _ => EventClass::Unknown,
    }
}

impl Default for ImportArticle {
    fn default() -> Self {
        Self {
            text: String::new(),
            source: "pasted text".into(),
            date: String::new(),
            extraction: None,
            accepted: Vec::new(),
            threshold: 0.5,
            selected: None,
            browse: None,
            problem: None,
            new_map: false,
            editing: None,
            aliases: Vec::new(),
        }
    }
}

impl ImportArticle {
    /// The candidates and which are accepted (for tests).
    pub fn candidates(&self) -> (usize, usize) {
        let n = self.extraction.as_ref().map_or(0, |x| x.candidates.len());
        (n, self.accepted.iter().filter(|&&a| a).count())
    }

    /// Reads the article at `path` into the dialog and extracts at once.
    pub fn load(&mut self, path: &std::path::Path, doc: Option<&Document>) {
        match std::fs::read(path) {
            Ok(bytes) => {
                self.text = String::from_utf8_lossy(&bytes).into_owned();
                self.source = path.display().to_string();
                self.run(doc);
            }
            Err(e) => self.problem = Some(format!("{}: {e}", path.display())),
        }
    }

    fn run(&mut self, doc: Option<&Document>) {
        let publication_date = match self.date.trim() {
            "" => None,
            text => match PartialDate::parse(text) {
                Ok(d) => Some(d),
                Err(e) => {
                    self.problem = Some(format!("Publication date: {e}"));
                    return;
                }
            },
        };
        let known = doc
            .map(|d| extract::known_actors(&d.dataset))
            .unwrap_or_default();
        let extraction = extract::extract(
            &self.text,
            &ExtractOptions {
                publication_date,
                known_actors: &known,
                today: None,
            },
        );
        self.accepted = extraction
            .candidates
            .iter()
            .map(|c| c.confidence >= self.threshold)
            .collect();
        self.problem = (extraction.candidates.is_empty() && !self.text.trim().is_empty())
            .then(|| "No events found in this text.".to_string());
        self.selected = None;
        self.extraction = Some(extraction);
    }

    /// Draws the dialog; false once it is closed (added or cancelled).
    pub fn show(
        &mut self,
        ctx: &egui::Context,
        doc: Option<&Document>,
        file_chooser: &mut FileChooser,
        commands: &mut Vec<Command>,
    ) -> bool {
        if let Some(browse) = &self.browse
            && let Ok(answer) = browse.try_recv()
        {
            self.browse = None;
            if let Some(path) = answer {
                self.load(&path, doc);
            }
        }
        let mut open = true;
        let mut done = false;
        egui::Window::new("Import Article")
            .open(&mut open)
            .default_size([1100.0, 620.0])
            .show(ctx, |ui| {
                ui.horizontal(|ui| {
                    if ui.button("Open article…").clicked() && self.browse.is_none() {
                        let request = FileRequest::open("Open a news article")
                            .filter("Articles", &["txt", "md", "html", "htm"])
                            .filter("All files", &["*"]);
                        self.browse = Some(file_chooser.pick_one(ctx, request));
                    }
                    ui.label("or paste the text on the left.");
                    let l = ui.label("Published");
                    ui.add(
                        egui::TextEdit::singleline(&mut self.date)
                            .desired_width(100.0)
                            .hint_text("from the text"),
                    )
                    .labelled_by(l.id);
                    if ui.button("Find events").clicked() {
                        self.run(doc);
                    }
                });
                if let Some(x) = &self.extraction {
                    ui.weak(format!(
                        "{} · published {} ({:?}) · {} candidates",
                        self.source,
                        x.publication_date,
                        x.publication_date_source,
                        x.candidates.len()
                    ));
                    for w in &x.warnings {
                        ui.colored_label(ui.visuals().warn_fg_color, w);
                    }
                }
                if let Some(problem) = &self.problem {
                    ui.colored_label(ui.visuals().warn_fg_color, problem);
                }
                ui.separator();
                // A fixed body height: the window would otherwise grow with the article and
                // push its buttons off the screen.
                let height = (ctx.content_rect().height() * 0.5).clamp(200.0, 520.0);
                ui.columns(2, |cols| {
                    self.text_ui(&mut cols[0], height);
                    self.candidates_ui(&mut cols[1], height - 120.0);
                    self.edit_ui(&mut cols[1], doc);
                });
                ui.separator();
                ui.horizontal(|ui| {
                    let l = ui.label("Accept all from confidence");
                    ui.add(egui::Slider::new(&mut self.threshold, 0.0..=1.0).fixed_decimals(2))
                        .labelled_by(l.id);
                    if ui.button("Accept these").clicked()
                        && let Some(x) = &self.extraction
                    {
                        for (a, c) in self.accepted.iter_mut().zip(&x.candidates) {
                            *a = c.confidence >= self.threshold;
                        }
                    }
                    let count = self.accepted.iter().filter(|&&a| a).count();
                    let into_new = doc.is_none() || self.new_map;
                    if doc.is_some() {
                        ui.checkbox(&mut self.new_map, "as a new map")
                            .on_hover_text(
                                "Leave the open map as it is: the events make a map of their own",
                            );
                    }
                    let label = if !into_new {
                        format!("Add {count} events")
                    } else {
                        format!("New map of {count} events")
                    };
                    let add =
                        ui.add_enabled(count > 0, egui::Button::new(RichText::new(label).strong()));
                    if add.clicked()
                        && into_new
                        && let Some(x) = &self.extraction
                    {
                        let candidates = x
                            .candidates
                            .iter()
                            .zip(&self.accepted)
                            .filter(|(_, a)| **a)
                            .map(|(c, _)| c.clone())
                            .collect();
                        commands.push(Command::NewFromArticle {
                            candidates,
                            source: self.source.clone(),
                        });
                        done = true;
                    } else if add.clicked()
                        && let Some(x) = &self.extraction
                    {
                        let drafts = x
                            .candidates
                            .iter()
                            .zip(&self.accepted)
                            .filter(|(_, a)| **a)
                            .map(|(c, _)| {
                                let event = crate::model::NewEvent {
                                    date: c.date,
                                    event_type: c.type_name().to_string(),
                                    class: c.class,
                                    title: c.title.clone(),
                                    location: c.location.clone().unwrap_or_default(),
                                    url: self.source.clone(),
                                    weight: 1.0,
                                    ..crate::model::NewEvent::default()
                                };
                                (c.actors.clone(), event)
                            })
                            .collect();
                        commands.push(Command::AddEvents {
                            events: drafts,
                            aliases: std::mem::take(&mut self.aliases),
                        });
                        done = true;
                    }
                });
            });
        open && !done
    }

    /// The article, each candidate's sentence highlighted (stronger when accepted, strongest
    /// when selected); editable while nothing is extracted yet.
    fn text_ui(&mut self, ui: &mut egui::Ui, height: f32) {
        egui::ScrollArea::vertical()
            .id_salt("article-text")
            .max_height(height)
            .show(ui, |ui| {
                let Some(x) = &self.extraction else {
                    ui.add(
                        egui::TextEdit::multiline(&mut self.text)
                            .desired_width(f32::INFINITY)
                            .desired_rows(24)
                            .hint_text("Paste a news article here"),
                    );
                    return;
                };
                let dark = ui.visuals().dark_mode;
                let text_colour = ui.visuals().text_color();
                let font = egui::FontId::proportional(14.0);
                let mut job = LayoutJob::default();
                job.wrap.max_width = ui.available_width();
                let mut at = 0;
                let mut spans: Vec<(std::ops::Range<usize>, usize)> = x
                    .candidates
                    .iter()
                    .enumerate()
                    .map(|(i, c)| (c.sentence.clone(), i))
                    .collect();
                spans.sort_by_key(|(r, _)| r.start);
                let plain = egui::TextFormat::simple(font.clone(), text_colour);
                for (range, i) in spans {
                    if range.start < at || range.end > self.text.len() {
                        continue; // two events in one sentence: highlighted once
                    }
                    job.append(&self.text[at..range.start], 0.0, plain.clone());
                    let alpha = if self.selected == Some(i) {
                        150
                    } else if self.accepted.get(i) == Some(&true) {
                        80
                    } else {
                        35
                    };
                    let background = if dark {
                        Color32::from_rgba_unmultiplied(255, 210, 80, alpha)
                    } else {
                        Color32::from_rgba_unmultiplied(230, 170, 0, alpha)
                    };
                    // The selected sentence in dark text on a strong highlight: readable in
                    // both themes.
                    let color = if self.selected == Some(i) {
                        Color32::BLACK
                    } else {
                        text_colour
                    };
                    let background = if self.selected == Some(i) {
                        Color32::from_rgb(255, 214, 90)
                    } else {
                        background
                    };
                    job.append(
                        &self.text[range.clone()],
                        0.0,
                        egui::TextFormat {
                            background,
                            color,
                            ..plain.clone()
                        },
                    );
                    at = range.end;
                }
                job.append(&self.text[at..], 0.0, plain);
                ui.label(job);
            });
        if self.extraction.is_some() && ui.button("Edit the text").clicked() {
            self.extraction = None;
        }
    }

    /// The selected candidate's date, actors and type, to correct before accepting it. An
    /// actor typed as an existing actor's name or alias becomes that actor (a merge before
    /// the fact); other names become new actors.
    fn edit_ui(&mut self, ui: &mut egui::Ui, doc: Option<&Document>) {
        let (Some(edit), Some(x)) = (&mut self.editing, &mut self.extraction) else {
            ui.weak("Click a candidate's actors to see its sentence and correct it.");
            return;
        };
        let Some(candidate) = x.candidates.get_mut(edit.index) else {
            return;
        };
        ui.separator();
        ui.strong(format!("Candidate {}", edit.index + 1));
        egui::Grid::new("candidate-edit")
            .num_columns(2)
            .show(ui, |ui| {
                let l = ui.label("Date");
                ui.add(egui::TextEdit::singleline(&mut edit.date).desired_width(110.0))
                    .labelled_by(l.id);
                ui.end_row();
                let l = ui.label("Actors");
                ui.add(
                    egui::TextEdit::singleline(&mut edit.actors)
                        .desired_width(320.0)
                        .hint_text("names separated by ;"),
                )
                .labelled_by(l.id)
                .on_hover_text("An existing actor's name or alias makes it that actor");
                ui.end_row();
                let l = ui.label("Type");
                egui::ComboBox::from_id_salt("candidate-type")
                    .selected_text(
                        crate::io::gdelt::CAMEO_ROOTS[(edit.root.clamp(1, 20) - 1) as usize],
                    )
                    .show_ui(ui, |ui| {
                        for (i, name) in crate::io::gdelt::CAMEO_ROOTS.iter().enumerate() {
                            ui.selectable_value(&mut edit.root, i as u8 + 1, *name);
                        }
                    })
                    .response
                    .labelled_by(l.id);
                ui.end_row();
            });
        ui.horizontal(|ui| {
            if ui.button("Apply").clicked() {
                match PartialDate::parse(edit.date.trim()) {
                    Err(e) => edit.problem = Some(format!("Date: {e}")),
                    Ok(date) => {
                        let names: Vec<&str> = edit
                            .actors
                            .split(';')
                            .map(str::trim)
                            .filter(|n| !n.is_empty())
                            .collect();
                        if names.is_empty() {
                            edit.problem = Some("Actors: name at least one".into());
                        } else {
                            let before = candidate.actors.clone();
                            candidate.actors = names
                                .iter()
                                .map(|&name| {
                                    // The open map's actor, the candidate's own, or a new one.
                                    let known = doc.and_then(|d| {
                                        let ds = &d.dataset;
                                        ds.actors.find(name).map(|a| {
                                            let actor = ds.actors.get(a);
                                            extract::ActorRef {
                                                name: actor.name.clone(),
                                                kind: actor.kind,
                                                country: actor
                                                    .affiliation
                                                    .map(|c| ds.actors.get(c).name.clone()),
                                            }
                                        })
                                    });
                                    known
                                        .or_else(|| before.iter().find(|r| r.name == name).cloned())
                                        .unwrap_or(extract::ActorRef {
                                            name: name.to_string(),
                                            kind: crate::model::ActorKind::Other,
                                            country: None,
                                        })
                                })
                                .collect();
                            // A name the article spelled otherwise becomes that actor's alias.
                            if before.len() == candidate.actors.len() {
                                for (old, new) in before.iter().zip(&candidate.actors) {
                                    let known = |n: &str| {
                                        doc.is_some_and(|d| d.dataset.actors.find(n).is_some())
                                    };
                                    if old.name != new.name && known(&new.name) && !known(&old.name)
                                    {
                                        self.aliases.push((new.name.clone(), old.name.clone()));
                                    }
                                }
                            }
                            candidate.date = date;
                            candidate.cameo_root = edit.root;
                            candidate.class = class_of_root(edit.root);
                            edit.problem = None;
                            if let Some(a) = self.accepted.get_mut(edit.index) {
                                *a = true;
                            }
                        }
                    }
                }
            }
            if let Some(problem) = &edit.problem {
                ui.colored_label(ui.visuals().warn_fg_color, problem);
            }
        });
    }

    /// The candidates: accept each, click to see its sentence.
    fn candidates_ui(&mut self, ui: &mut egui::Ui, height: f32) {
        let Some(x) = &self.extraction else {
            ui.weak("The events found will be listed here.");
            return;
        };
        egui::ScrollArea::vertical()
            .id_salt("article-candidates")
            .max_height(height)
            .show(ui, |ui| {
                egui::Grid::new("candidates")
                    .striped(true)
                    .num_columns(5)
                    .show(ui, |ui| {
                        ui.strong("Add");
                        ui.strong("Conf.");
                        ui.strong("Date");
                        ui.strong("Actors");
                        ui.strong("Type");
                        ui.end_row();
                        for (i, c) in x.candidates.iter().enumerate() {
                            if let Some(a) = self.accepted.get_mut(i) {
                                ui.checkbox(a, "").on_hover_text("Add this event");
                            }
                            ui.label(format!("{:.2}", c.confidence));
                            ui.label(c.date.to_string());
                            let names: Vec<&str> =
                                c.actors.iter().map(|a| a.name.as_str()).collect();
                            let who = ui
                                .selectable_label(self.selected == Some(i), names.join(" – "))
                                .on_hover_text(&c.title);
                            if who.clicked() {
                                self.selected = Some(i);
                                self.editing = Some(CandidateEdit {
                                    index: i,
                                    date: c.date.to_string(),
                                    actors: names.join("; "),
                                    root: c.cameo_root,
                                    problem: None,
                                });
                            }
                            ui.label(
                                RichText::new(c.type_name())
                                    .color(super::theme::class_colour(c.class)),
                            );
                            ui.end_row();
                        }
                    });
            });
    }
}
