//! File ▸ Export Animation…: a film of the moving time window (GIF, MP4 or a folder of PNG
//! frames) made by `export::film`, the code behind `relmap animate`, from the map as it is
//! (layout, positions, filters, style). Range, step, window span, frame rate, size and
//! format; a preview of the first and last frame; the export runs on a worker with a
//! progress bar and Cancel, and a notification gives the path when it is written.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{Receiver, channel};
use std::sync::{Arc, Mutex};

use eframe::egui::{self, RichText};

use super::file_chooser::{FileChooser, FileRequest};
use crate::export::film::{
    self, FilmError, FilmFormat, FilmProgress, FilmSpec, FilmStep, FilmSummary, Span,
};
use crate::export::png::RgbaImage;
use crate::export::style::Theme;
use crate::model::{BinUnit, PartialDate, format_day};
use crate::session::Document;
use crate::workspace::View;

/// An export under way.
struct Running {
    cancel: Arc<AtomicBool>,
    progress: Arc<Mutex<Option<FilmProgress>>>,
    result: Receiver<Result<FilmSummary, FilmError>>,
}

/// What the dialog tells the app when it closes.
pub enum AnimationOutcome {
    Open,
    Closed,
    Written(String),
    Failed(String),
}

/// The dialog's state.
pub struct AnimationDialog {
    from: String,
    to: String,
    step: FilmStep,
    span: String,
    cumulative: bool,
    fps: u32,
    size: [u32; 2],
    format: FilmFormat,
    path: String,
    theme: Theme,
    problem: Option<String>,
    running: Option<Running>,
    preview: Option<Receiver<Result<Vec<RgbaImage>, FilmError>>>,
    preview_textures: Vec<egui::TextureHandle>,
    browse: Option<Receiver<Option<PathBuf>>>,
    /// What the fields make, for the spec it was worked out for: frames, or the reason none.
    planned: Option<(FilmSpec, Result<usize, String>)>,
}

fn step_of(unit: Option<BinUnit>) -> FilmStep {
    match unit {
        Some(BinUnit::Day) => FilmStep::Day,
        Some(BinUnit::Week) => FilmStep::Week,
        Some(BinUnit::Year) => FilmStep::Year,
        _ => FilmStep::Month,
    }
}

fn step_label(step: FilmStep) -> &'static str {
    match step {
        FilmStep::Day => "day",
        FilmStep::Week => "week",
        FilmStep::Month => "month",
        FilmStep::Year => "year",
    }
}

impl AnimationDialog {
    /// The current window's length as the span and the timeline's bars as the step; the
    /// whole data as the range; the film beside the file.
    pub fn new(doc: &Document, unit: Option<BinUnit>, theme: Theme, near: Option<&Path>) -> Self {
        let (lo, hi) = doc.dataset.day_range().unwrap_or((0, 0));
        let window = doc.window();
        let days = (window.to - window.from + 1).max(1);
        // The window's length, unless it is the whole data: then one step per frame.
        let span = if window.from <= lo && window.to >= hi || days > 10_000 {
            String::new()
        } else {
            format!("{days}d")
        };
        let stem = doc.name.split(['.', ' ']).next().unwrap_or("film");
        let folder = near
            .and_then(Path::parent)
            .map(Path::to_path_buf)
            .or_else(|| std::env::current_dir().ok())
            .unwrap_or_default();
        Self {
            from: format_day(lo),
            to: format_day(hi),
            step: step_of(unit),
            span,
            cumulative: false,
            fps: 2,
            size: [1280, 720],
            format: FilmFormat::Gif,
            path: folder.join(format!("{stem}.gif")).display().to_string(),
            theme,
            problem: None,
            running: None,
            preview: None,
            preview_textures: Vec::new(),
            browse: None,
            planned: None,
        }
    }

    /// What the dialog says is wrong, if anything; whether it is exporting.
    pub fn status(&self) -> (Option<&str>, bool) {
        (self.problem.as_deref(), self.running.is_some())
    }

    /// The film the fields describe, or what is wrong with them.
    fn spec(&self) -> Result<FilmSpec, String> {
        let day = |text: &str, last: bool, what: &str| {
            PartialDate::parse(text)
                .map(|d| if last { d.last_day() } else { d.first_day() })
                .map_err(|e| format!("{what}: {e}"))
        };
        let span = if self.cumulative || self.span.trim().is_empty() {
            None
        } else {
            Some(Span::parse(&self.span).map_err(|e| format!("Window: {e}"))?)
        };
        Ok(FilmSpec {
            from: Some(day(&self.from, false, "Films from")?),
            to: Some(day(&self.to, true, "Until")?),
            step: self.step,
            span,
            cumulative: self.cumulative,
            fps: self.fps,
            size: self.size,
            theme: self.theme,
            ..FilmSpec::default()
        })
    }

    /// The output path as the film code reads it (a folder ends in a separator).
    fn out_path(&self) -> PathBuf {
        let mut text = self.path.trim().to_string();
        if self.format == FilmFormat::PngFolder && !text.ends_with(std::path::MAIN_SEPARATOR) {
            text.push(std::path::MAIN_SEPARATOR);
        }
        PathBuf::from(text)
    }

    /// Gives the path the extension of the chosen format.
    fn fit_extension(&mut self) {
        let path = PathBuf::from(self.path.trim().trim_end_matches(['/', '\\']));
        let base = path.with_extension("");
        self.path = match self.format {
            FilmFormat::Gif => base.with_extension("gif").display().to_string(),
            FilmFormat::Mp4 => base.with_extension("mp4").display().to_string(),
            FilmFormat::PngFolder => format!("{}-frames", base.display()),
        };
    }

    /// Draws the dialog and polls its workers.
    pub fn show(
        &mut self,
        ctx: &egui::Context,
        doc: &Document,
        view: &dyn Fn() -> View,
        file_chooser: &mut FileChooser,
    ) -> AnimationOutcome {
        let mut outcome = AnimationOutcome::Open;
        if let Some(browse) = &self.browse
            && let Ok(answer) = browse.try_recv()
        {
            self.browse = None;
            if let Some(path) = answer {
                self.path = path.display().to_string();
            }
        }
        if let Some(preview) = &self.preview
            && let Ok(result) = preview.try_recv()
        {
            self.preview = None;
            match result {
                Ok(images) => {
                    self.preview_textures = images
                        .iter()
                        .enumerate()
                        .map(|(i, image)| {
                            let colour = egui::ColorImage::from_rgba_unmultiplied(
                                [image.width as usize, image.height as usize],
                                &image.pixels,
                            );
                            ctx.load_texture(
                                format!("film-preview-{i}"),
                                colour,
                                egui::TextureOptions::LINEAR,
                            )
                        })
                        .collect();
                }
                Err(e) => self.problem = Some(e.to_string()),
            }
        }
        if let Some(running) = &self.running
            && let Ok(result) = running.result.try_recv()
        {
            self.running = None;
            return match result {
                Ok(summary) => AnimationOutcome::Written(format!(
                    "Wrote a film of {} frames ({}×{}, {:.1} MB) to {}",
                    summary.frames,
                    summary.width,
                    summary.height,
                    summary.bytes as f64 / 1e6,
                    summary.path.display()
                )),
                Err(FilmError::Cancelled) => {
                    AnimationOutcome::Written("Export cancelled; nothing was written".into())
                }
                Err(e) => AnimationOutcome::Failed(e.to_string()),
            };
        }
        if self.running.is_some() || self.preview.is_some() {
            // Progress comes from the worker: look again soon.
            ctx.request_repaint_after(std::time::Duration::from_millis(200));
        }

        let mut open = true;
        egui::Window::new("Export Animation")
            .open(&mut open)
            .collapsible(false)
            .default_width(560.0)
            .show(ctx, |ui| {
                let busy = self.running.is_some();
                ui.add_enabled_ui(!busy, |ui| self.fields_ui(ui, file_chooser, ctx));
                match self.spec() {
                    Ok(spec) => {
                        if self.planned.as_ref().is_none_or(|(s, _)| *s != spec) {
                            let frames = film::plan(&doc.dataset, Some(&view()), &spec)
                                .map(|p| p.frames)
                                .map_err(|e| e.to_string());
                            self.planned = Some((spec, frames));
                        }
                        match &self.planned {
                            Some((_, Ok(frames))) => {
                                ui.weak(format!(
                                    "{frames} frames, {:.0} s at {} frames a second",
                                    *frames as f64 / self.fps.max(1) as f64,
                                    self.fps
                                ));
                            }
                            Some((_, Err(why))) => {
                                ui.colored_label(ui.visuals().warn_fg_color, why);
                            }
                            None => {}
                        }
                    }
                    Err(why) => {
                        ui.colored_label(ui.visuals().warn_fg_color, why);
                    }
                }
                if let Some(problem) = &self.problem {
                    ui.colored_label(ui.visuals().warn_fg_color, problem);
                }
                if !self.preview_textures.is_empty() {
                    ui.horizontal(|ui| {
                        for (texture, label) in self.preview_textures.iter().zip(["First", "Last"])
                        {
                            ui.vertical(|ui| {
                                ui.weak(format!("{label} frame"));
                                ui.add(
                                    egui::Image::new(texture)
                                        .max_width(260.0)
                                        .maintain_aspect_ratio(true),
                                );
                            });
                        }
                    });
                }
                ui.separator();
                match &self.running {
                    Some(running) => {
                        let progress = running.progress.lock().ok().and_then(|p| p.clone());
                        ui.horizontal(|ui| {
                            let (fraction, text) = match &progress {
                                Some(p) if p.frames > 0 => {
                                    let left = p
                                        .time_left()
                                        .map(|d| format!(", {:.0} s left", d.as_secs_f64()))
                                        .unwrap_or_default();
                                    (
                                        p.frames_done as f32 / p.frames as f32,
                                        format!(
                                            "{} of {} frames · {:.1} frames/s{left}",
                                            p.frames_done,
                                            p.frames,
                                            p.fps()
                                        ),
                                    )
                                }
                                _ => (0.0, "Laying out the frames…".to_string()),
                            };
                            ui.add(
                                egui::ProgressBar::new(fraction)
                                    .desired_width(320.0)
                                    .text(text),
                            );
                            if ui.button("Cancel").clicked() {
                                running.cancel.store(true, Ordering::SeqCst);
                            }
                        });
                    }
                    None => {
                        ui.horizontal(|ui| {
                            if ui
                                .add_enabled(self.preview.is_none(), egui::Button::new("Preview"))
                                .on_hover_text("Draw the first and the last frame")
                                .clicked()
                            {
                                self.start_preview(doc, view());
                            }
                            if self.preview.is_some() {
                                ui.spinner();
                            }
                            if ui.button(RichText::new("Export").strong()).clicked() {
                                self.start_export(ctx, doc, view());
                            }
                        });
                    }
                }
            });
        if !open {
            if let Some(running) = &self.running {
                running.cancel.store(true, Ordering::SeqCst);
            }
            outcome = AnimationOutcome::Closed;
        }
        outcome
    }

    fn fields_ui(
        &mut self,
        ui: &mut egui::Ui,
        file_chooser: &mut FileChooser,
        ctx: &egui::Context,
    ) {
        egui::Grid::new("film-fields")
            .num_columns(2)
            .spacing([10.0, 6.0])
            .show(ui, |ui| {
                let l = ui.label("Films from");
                ui.horizontal(|ui| {
                    ui.add(egui::TextEdit::singleline(&mut self.from).desired_width(100.0))
                        .labelled_by(l.id);
                    let l = ui.label("until");
                    ui.add(egui::TextEdit::singleline(&mut self.to).desired_width(100.0))
                        .labelled_by(l.id);
                });
                ui.end_row();
                let l = ui.label("One frame per");
                egui::ComboBox::from_id_salt("film-step")
                    .selected_text(step_label(self.step))
                    .show_ui(ui, |ui| {
                        for step in [
                            FilmStep::Day,
                            FilmStep::Week,
                            FilmStep::Month,
                            FilmStep::Year,
                        ] {
                            ui.selectable_value(&mut self.step, step, step_label(step));
                        }
                    })
                    .response
                    .labelled_by(l.id);
                ui.end_row();
                let l = ui.label("Window");
                ui.horizontal(|ui| {
                    ui.add_enabled(
                        !self.cumulative,
                        egui::TextEdit::singleline(&mut self.span)
                            .desired_width(80.0)
                            .hint_text("one step"),
                    )
                    .labelled_by(l.id)
                    .on_hover_text("Each frame's window: 30d, 4w, 3mo, 1y");
                    ui.checkbox(&mut self.cumulative, "Cumulative (from the first event)");
                });
                ui.end_row();
                let l = ui.label("Frames per second");
                ui.add(egui::DragValue::new(&mut self.fps).range(1..=30))
                    .labelled_by(l.id);
                ui.end_row();
                let l = ui.label("Size (pixels)");
                ui.horizontal(|ui| {
                    ui.add(egui::DragValue::new(&mut self.size[0]).range(160..=3840))
                        .labelled_by(l.id);
                    ui.label("×");
                    ui.add(egui::DragValue::new(&mut self.size[1]).range(120..=2160))
                        .labelled_by(l.id);
                });
                ui.end_row();
                let l = ui.label("Format");
                ui.horizontal(|ui| {
                    let before = self.format;
                    ui.radio_value(&mut self.format, FilmFormat::Gif, "GIF");
                    ui.radio_value(&mut self.format, FilmFormat::Mp4, "MP4 (H.264)");
                    ui.radio_value(&mut self.format, FilmFormat::PngFolder, "PNG frames");
                    if self.format != before {
                        self.fit_extension();
                    }
                })
                .response
                .labelled_by(l.id);
                ui.end_row();
                let l = ui.label("Save as");
                ui.horizontal(|ui| {
                    ui.add(egui::TextEdit::singleline(&mut self.path).desired_width(330.0))
                        .labelled_by(l.id);
                    if ui.button("Browse…").clicked() && self.browse.is_none() {
                        let (name, filter): (&str, &[&str]) = match self.format {
                            FilmFormat::Gif => ("film.gif", &["gif"]),
                            FilmFormat::Mp4 => ("film.mp4", &["mp4"]),
                            FilmFormat::PngFolder => ("frames", &["*"]),
                        };
                        let request = FileRequest::save("Save the film")
                            .file_name(name)
                            .filter("Film", filter);
                        self.browse = Some(file_chooser.pick_one(ctx, request));
                    }
                });
                ui.end_row();
            });
    }

    fn start_preview(&mut self, doc: &Document, view: View) {
        let spec = match self.spec() {
            Ok(spec) => spec,
            Err(problem) => {
                self.problem = Some(problem);
                return;
            }
        };
        self.problem = None;
        let (tx, rx) = channel();
        let dataset = Arc::clone(&doc.dataset);
        let directed = doc.directed;
        std::thread::spawn(move || {
            let never = AtomicBool::new(false);
            let spec = FilmSpec {
                // Small frames: a preview, not the film.
                size: [spec.size[0] / 2, spec.size[1] / 2],
                ..spec
            };
            let _ = tx.send(film::preview(
                &dataset,
                Some(&view),
                directed,
                &spec,
                &[0, usize::MAX],
                &never,
            ));
        });
        self.preview = Some(rx);
    }

    fn start_export(&mut self, ctx: &egui::Context, doc: &Document, view: View) {
        let spec = match self.spec() {
            Ok(spec) => spec,
            Err(problem) => {
                self.problem = Some(problem);
                return;
            }
        };
        self.problem = None;
        let out = self.out_path();
        let (tx, rx) = channel();
        let dataset = Arc::clone(&doc.dataset);
        let directed = doc.directed;
        let cancel = Arc::new(AtomicBool::new(false));
        let progress = Arc::new(Mutex::new(None));
        let (worker_cancel, worker_progress) = (Arc::clone(&cancel), Arc::clone(&progress));
        let ctx = ctx.clone();
        std::thread::spawn(move || {
            let result = film::export_film(
                &dataset,
                Some(&view),
                directed,
                &spec,
                &out,
                &worker_cancel,
                &mut |p: &FilmProgress| {
                    if let Ok(mut slot) = worker_progress.lock() {
                        *slot = Some(p.clone());
                    }
                },
            );
            let _ = tx.send(result);
            ctx.request_repaint();
        });
        self.running = Some(Running {
            cancel,
            progress,
            result: rx,
        });
    }
}
