//! File ▸ Build Index…: pick event files and an output path, build an on-disk event index
//! (`crate::index`) on a worker with progress and Cancel, then open it. The dialog changes
//! nothing in the app itself: opening the index is a `Command::Open`.

use std::path::PathBuf;
use std::sync::mpsc::{Receiver, channel};
use std::sync::{Arc, Mutex};

use crate::index::{BuildOptions, BuildReport, build_index};
use crate::io::Progress;
use eframe::egui;

use super::Command;

use super::file_chooser::{FileChooser, FileRequest};

/// A build running on its worker.
struct Job {
    progress: Arc<Progress>,
    /// The worker's latest step ("reading a.CSV (3 of 10)").
    step: Arc<Mutex<String>>,
    done: Receiver<Result<BuildReport, String>>,
}

/// The dialog's state.
#[derive(Default)]
pub struct IndexDialog {
    files: Vec<PathBuf>,
    output: String,
    append: bool,
    browse_files: Option<Receiver<Option<Vec<PathBuf>>>>,
    browse_output: Option<Receiver<Option<PathBuf>>>,
    job: Option<Job>,
    /// The last build's outcome: what it wrote, or why it failed.
    outcome: Option<Result<String, String>>,
}

impl IndexDialog {
    /// Draws the dialog; false once it is closed. Closing it cancels a running build.
    pub fn show(
        &mut self,
        ctx: &egui::Context,
        file_chooser: &mut FileChooser,
        commands: &mut Vec<Command>,
    ) -> bool {
        self.poll(ctx);
        let mut open = true;
        let mut close = false;
        egui::Window::new("Build Index")
            .open(&mut open)
            .default_width(560.0)
            .show(ctx, |ui| {
                ui.label(
                    "An index keeps what the map, the timeline and the window need of every \
                     event, sorted by day, and where each event's row is in its file: millions \
                     of events open in a second, their details are read from the files.",
                );
                ui.separator();
                let running = self.job.is_some();
                ui.horizontal(|ui| {
                    ui.strong("Event files");
                    if ui
                        .add_enabled(!running, egui::Button::new("Add files…"))
                        .clicked()
                        && self.browse_files.is_none()
                    {
                        let request = FileRequest::open_many("Event files to index")
                            .filter(
                                "Event files",
                                &[
                                    "csv", "tsv", "tab", "txt", "json", "zip", "gz", "xlsx",
                                    "parquet",
                                ],
                            )
                            .filter("All files", &["*"]);
                        self.browse_files = Some(file_chooser.pick_many(ctx, request));
                    }
                    if ui
                        .add_enabled(
                            !running && !self.files.is_empty(),
                            egui::Button::new("Clear"),
                        )
                        .clicked()
                    {
                        self.files.clear();
                    }
                });
                egui::ScrollArea::vertical()
                    .max_height(160.0)
                    .show(ui, |ui| {
                        if self.files.is_empty() {
                            ui.weak("No file yet.");
                        }
                        for f in &self.files {
                            ui.label(f.display().to_string());
                        }
                    });
                ui.horizontal(|ui| {
                    let l = ui.label("Index");
                    ui.add_enabled(
                        !running,
                        egui::TextEdit::singleline(&mut self.output)
                            .desired_width(380.0)
                            .hint_text("events.relidx"),
                    )
                    .labelled_by(l.id);
                    if ui
                        .add_enabled(!running, egui::Button::new("Choose…"))
                        .clicked()
                        && self.browse_output.is_none()
                    {
                        let request = FileRequest::save("Write the index")
                            .filter("relmap index", &[crate::index::EXTENSION])
                            .file_name("events.relidx");
                        self.browse_output = Some(file_chooser.pick_one(ctx, request));
                    }
                });
                ui.add_enabled(
                    !running,
                    egui::Checkbox::new(
                        &mut self.append,
                        "Add to the index if it exists (files already in it are skipped)",
                    ),
                );
                ui.separator();
                if let Some(job) = &self.job {
                    let (read, total, rows) = job.progress.snapshot();
                    let step = job.step.lock().map(|s| s.clone()).unwrap_or_default();
                    ui.label(step);
                    let fraction = if total > 0 {
                        read as f32 / total as f32
                    } else {
                        0.0
                    };
                    ui.add(
                        egui::ProgressBar::new(fraction.min(1.0))
                            .text(format!("{rows} rows of this file")),
                    );
                    if ui.button("Cancel").clicked() {
                        job.progress.cancel();
                    }
                    ctx.request_repaint_after(std::time::Duration::from_millis(100));
                } else {
                    match &self.outcome {
                        Some(Ok(text)) => {
                            ui.label(text);
                        }
                        Some(Err(text)) => {
                            ui.colored_label(ui.visuals().error_fg_color, text);
                        }
                        None => {}
                    }
                    ui.horizontal(|ui| {
                        let ready = !self.files.is_empty() && !self.output.trim().is_empty();
                        if ui.add_enabled(ready, egui::Button::new("Build")).clicked() {
                            self.start(ctx);
                        }
                        let built = matches!(self.outcome, Some(Ok(_)));
                        if ui
                            .add_enabled(built, egui::Button::new("Open the index"))
                            .clicked()
                        {
                            commands.push(Command::Open(self.output_path()));
                            close = true;
                        }
                        if ui.button("Close").clicked() {
                            close = true;
                        }
                    });
                }
            });
        if !open || close {
            if let Some(job) = &self.job {
                job.progress.cancel();
            }
            return false;
        }
        true
    }

    fn output_path(&self) -> PathBuf {
        let mut path = PathBuf::from(self.output.trim());
        if path.extension().is_none() {
            path.set_extension(crate::index::EXTENSION);
        }
        path
    }

    /// Takes the file dialogs' answers and the worker's result.
    fn poll(&mut self, ctx: &egui::Context) {
        if let Some(rx) = &self.browse_files
            && let Ok(answer) = rx.try_recv()
        {
            self.browse_files = None;
            for f in answer.unwrap_or_default() {
                if !self.files.contains(&f) {
                    self.files.push(f);
                }
            }
            if self.output.is_empty()
                && let Some(dir) = self.files.first().and_then(|f| f.parent())
            {
                self.output = dir.join("events.relidx").display().to_string();
            }
        }
        if let Some(rx) = &self.browse_output
            && let Ok(answer) = rx.try_recv()
        {
            self.browse_output = None;
            if let Some(path) = answer {
                self.output = path.display().to_string();
            }
        }
        if let Some(job) = &self.job
            && let Ok(result) = job.done.try_recv()
        {
            self.job = None;
            self.outcome = Some(result.map(|r| {
                let mut text = format!(
                    "Wrote {} rows from {} files ({} read now, {} rows skipped).",
                    r.rows, r.sources, r.added, r.skipped_rows
                );
                for w in r.warnings {
                    text.push('\n');
                    text.push_str(&w);
                }
                text
            }));
            ctx.request_repaint();
        }
    }

    fn start(&mut self, ctx: &egui::Context) {
        let progress = Arc::new(Progress::new());
        let step = Arc::new(Mutex::new(String::from("starting")));
        let (tx, rx) = channel();
        let files = self.files.clone();
        let out = self.output_path();
        let options = BuildOptions {
            load: Default::default(),
            append: self.append,
            run_events: None,
        };
        let (worker_progress, worker_step, ctx2) = (progress.clone(), step.clone(), ctx.clone());
        std::thread::spawn(move || {
            let result = build_index(&files, &out, &options, &worker_progress, &mut |s| {
                if let Ok(mut step) = worker_step.lock() {
                    *step = s.to_string();
                }
                ctx2.request_repaint();
            });
            let _ = tx.send(result);
            ctx2.request_repaint();
        });
        self.outcome = None;
        self.job = Some(Job {
            progress,
            step,
            done: rx,
        });
    }
}
