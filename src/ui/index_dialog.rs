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

/// What a frame of the dialog ended with, for the app to carry out.
#[derive(Debug, PartialEq)]
pub enum IndexOutcome {
    /// Still open, nothing new.
    Open,
    /// Closed (a running build was cancelled).
    Closed,
    /// A build finished and the dialog stays open to offer opening it: what it wrote.
    Built(String),
    /// The analyst cancelled the build: nothing was written.
    Cancelled,
    /// A build failed (the dialog shows it too): why. The app reports it as it reports every
    /// failure, so it is in the message history after the dialog is closed.
    Failed(String),
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
    /// Draws the dialog and says what happened. Closing it cancels a running build.
    pub fn show(
        &mut self,
        ctx: &egui::Context,
        file_chooser: &mut FileChooser,
        commands: &mut Vec<Command>,
    ) -> IndexOutcome {
        let finished = self.poll(ctx);
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
            return IndexOutcome::Closed;
        }
        finished.unwrap_or(IndexOutcome::Open)
    }

    fn output_path(&self) -> PathBuf {
        let mut path = PathBuf::from(self.output.trim());
        if path.extension().is_none() {
            path.set_extension(crate::index::EXTENSION);
        }
        path
    }

    /// Takes the file dialogs' answers and the worker's result, which it returns once when
    /// the build ends.
    fn poll(&mut self, ctx: &egui::Context) -> Option<IndexOutcome> {
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
            let cancelled = job.progress.is_cancelled();
            self.job = None;
            let said = result.map(|r| {
                let mut text = format!(
                    "Wrote {} rows from {} files ({} read now, {} rows skipped).",
                    r.rows, r.sources, r.added, r.skipped_rows
                );
                for w in r.warnings {
                    text.push('\n');
                    text.push_str(&w);
                }
                text
            });
            let outcome = match &said {
                Ok(text) => IndexOutcome::Built(text.clone()),
                Err(_) if cancelled => IndexOutcome::Cancelled,
                Err(why) => IndexOutcome::Failed(why.clone()),
            };
            self.outcome = Some(said);
            ctx.request_repaint();
            return Some(outcome);
        }
        None
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ui::file_chooser::DialogBackend;
    use crate::ui::file_dialog::RecentFolders;

    /// Runs frames of the dialog until a build's outcome comes back (the worker is real);
    /// `cancel` presses Cancel as soon as the build starts.
    fn outcome_of(dialog: &mut IndexDialog, cancel: bool) -> IndexOutcome {
        let ctx = egui::Context::default();
        let mut chooser = FileChooser::new(DialogBackend::Builtin, RecentFolders::default());
        let mut commands = Vec::new();
        dialog.start(&ctx);
        if cancel && let Some(job) = &dialog.job {
            job.progress.cancel();
        }
        for _ in 0..500 {
            let mut outcome = IndexOutcome::Open;
            let mut output = ctx.run_ui(Default::default(), |ui| {
                outcome = dialog.show(ui.ctx(), &mut chooser, &mut commands);
            });
            // No renderer takes the font atlas here.
            output.textures_delta.clear();
            if outcome != IndexOutcome::Open {
                return outcome;
            }
            std::thread::sleep(std::time::Duration::from_millis(10));
        }
        panic!("the build never ended");
    }

    #[test]
    fn a_failed_build_is_reported_to_the_app_naming_the_file() {
        let dir = tempfile::tempdir().unwrap();
        let missing = dir.path().join("no-such-export.CSV");
        let out = dir.path().join("events.relidx");
        let mut dialog = IndexDialog {
            files: vec![missing],
            output: out.display().to_string(),
            ..Default::default()
        };
        match outcome_of(&mut dialog, false) {
            IndexOutcome::Failed(why) => assert!(why.contains("no-such-export.CSV"), "{why}"),
            other => panic!("expected a failure, got {other:?}"),
        }
        assert!(!out.exists(), "nothing written");
        // The dialog still shows it, for the analyst to correct the list.
        assert!(matches!(dialog.outcome, Some(Err(_))));
    }

    #[test]
    fn a_build_that_ends_says_what_it_wrote() {
        let dir = tempfile::tempdir().unwrap();
        let source = dir.path().join("sample.csv");
        std::fs::write(&source, crate::SAMPLE_CSV).unwrap();
        let out = dir.path().join("events.relidx");
        let mut dialog = IndexDialog {
            files: vec![source],
            output: out.display().to_string(),
            ..Default::default()
        };
        match outcome_of(&mut dialog, false) {
            IndexOutcome::Built(text) => assert!(text.starts_with("Wrote 17 rows"), "{text}"),
            other => panic!("expected a build, got {other:?}"),
        }
        assert!(out.exists());
    }

    #[test]
    fn a_cancelled_build_is_no_failure_and_writes_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let source = dir.path().join("sample.csv");
        std::fs::write(&source, crate::SAMPLE_CSV).unwrap();
        let out = dir.path().join("events.relidx");
        let mut dialog = IndexDialog {
            files: vec![source],
            output: out.display().to_string(),
            ..Default::default()
        };
        assert_eq!(outcome_of(&mut dialog, true), IndexOutcome::Cancelled);
        assert!(!out.exists(), "nothing written");
    }
}
