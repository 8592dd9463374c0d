//! Reading event files and workspaces on a worker thread, with progress and cancel: the
//! document (layout and indexes included, which take time on big files) is built there
//! too, so the open one stays usable meanwhile.

use std::path::PathBuf;
use std::sync::Arc;
use std::sync::mpsc::{Receiver, channel};
use std::time::Instant;

use eframe::egui;

use crate::io::{LoadError, LoadErrorKind, LoadOptions, Progress};
use crate::session::Document;
use crate::workspace::{self, View};

/// A load in progress.
pub struct Loader {
    /// The first file (named in the status bar).
    path: PathBuf,
    /// Every file of the load.
    paths: Vec<PathBuf>,
    /// The file is the recovery file: the document it holds keeps its own name.
    restoring: bool,
    receiver: Receiver<Result<(Document, Option<View>), LoadError>>,
    progress: Arc<Progress>,
    started: Instant,
}

/// A load that ended, well or not.
pub struct Finished {
    pub path: PathBuf,
    pub paths: Vec<PathBuf>,
    pub restoring: bool,
    /// Seconds it took.
    pub took: f64,
    /// The document, with its view when it was a workspace.
    pub result: Result<(Document, Option<View>), LoadError>,
}

impl Loader {
    /// Reads one file, or several (and archive members) into one dataset; `None` without
    /// files. The window is asked to repaint when the worker is done.
    pub fn start(ctx: &egui::Context, paths: Vec<PathBuf>, options: LoadOptions) -> Option<Self> {
        let path = paths.first().cloned()?;
        let (sender, receiver) = channel();
        let ctx = ctx.clone();
        let worker_paths = paths.clone();
        let progress = Arc::new(Progress::new());
        let worker_progress = Arc::clone(&progress);
        std::thread::spawn(move || {
            let first = &worker_paths[0];
            let mut name = first
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_else(|| first.display().to_string());
            if worker_paths.len() > 1 {
                name = format!("{name} + {} more", worker_paths.len() - 1);
            }
            // Several files have no single source to name.
            let source = (worker_paths.len() == 1).then(|| first.clone());
            let result = workspace::load_all(&worker_paths, &options, &worker_progress)
                .map(|(loaded, view)| (Document::new(name, source, loaded), view));
            let _ = sender.send(result);
            ctx.request_repaint();
        });
        Some(Self {
            path,
            paths,
            restoring: false,
            receiver,
            progress,
            started: Instant::now(),
        })
    }

    /// The file is the recovery file: what it holds keeps its own document's name.
    pub fn restoring(mut self) -> Self {
        self.restoring = true;
        self
    }

    /// Stops the worker at its next row; it then answers nothing.
    pub fn cancel(&self) {
        self.progress.cancel();
    }

    /// The load, once the worker is done.
    pub fn finished(&self) -> Option<Finished> {
        let result = self.receiver.try_recv().ok()?;
        Some(Finished {
            path: self.path.clone(),
            paths: self.paths.clone(),
            restoring: self.restoring,
            took: self.started.elapsed().as_secs_f64(),
            result,
        })
    }

    /// The status bar's part: the file, a progress bar, the speed, Cancel. True when
    /// Cancel was clicked.
    pub fn status_ui(&self, ui: &mut egui::Ui) -> bool {
        let (bytes, total, rows) = self.progress.snapshot();
        let seconds = self.started.elapsed().as_secs_f64().max(1e-3);
        let name = self
            .path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        ui.spinner();
        ui.label(format!("Loading {name}"));
        let fraction = if total > 0 {
            bytes as f32 / total as f32
        } else {
            0.0
        };
        ui.add(
            egui::ProgressBar::new(fraction.min(1.0))
                .desired_width(180.0)
                .text(format!(
                    "{:.0} of {:.0} MB",
                    bytes as f64 / 1e6,
                    total as f64 / 1e6
                )),
        );
        ui.label(format!("{:.0} rows/s", rows as f64 / seconds));
        ui.button("Cancel").clicked()
    }
}

/// What the error window says about a failed load: a title that tells the failures apart,
/// and the reason with the first bad row's line and column.
pub fn failure_text(err: &LoadError) -> (&'static str, String) {
    let mut text = err.to_string();
    if let Some(d) = err.errors.first() {
        text.push_str(&format!(
            "\nFirst problem: line {}, column {}: {}",
            d.line, d.column, d.message
        ));
    }
    let title = match err.kind {
        LoadErrorKind::Workspace => "Could not open the workspace",
        LoadErrorKind::Unreadable => "Could not read the file",
        LoadErrorKind::NoEvents => "No events could be read",
        LoadErrorKind::Request | LoadErrorKind::Cancelled => "Could not open the file",
    };
    (title, text)
}
