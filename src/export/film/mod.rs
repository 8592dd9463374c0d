//! Films of the moving time window: one frame per step (day, week, month or year), each the
//! map as `relmap render` draws it plus a strip with the window's dates and a timeline,
//! written as an animated GIF, an H.264 MP4 or a folder of numbered PNG frames. Used by
//! `relmap animate` and meant for the GUI's File ▸ Export Animation… on a worker thread:
//!
//! ```ignore
//! let cancel = Arc::new(AtomicBool::new(false)); // the dialog's Cancel sets it
//! let spec = FilmSpec { step: FilmStep::Month, span: Some(Span::parse("3mo")?), ..FilmSpec::default() };
//! std::thread::spawn(move || {
//!     let result = export_film(&dataset, view.as_ref(), directed, &spec, &out, &cancel,
//!         &mut |p: &FilmProgress| { let _ = tx.send(p.clone()); ctx.request_repaint(); });
//!     // Ok(FilmSummary) | Err(FilmError::Cancelled) (nothing written) | Err(other)
//! });
//! ```
//!
//! [`preview`] draws single frames (the first and the last) for the dialog.
//!
//! Nothing half-written is ever left at the output path: a GIF or MP4 is written to a
//! temporary file in the same folder and renamed at the end, PNG frames go into a temporary
//! folder that is renamed; cancelling, an error or a panic removes them.
//!
//! Frames are drawn in batches: pictures are built in order (each frame's fades depend on the
//! one before), rasterised by resvg on every core (rayon), and handed in order to the encoder
//! on its own thread, which encodes one batch while the next is drawn.

pub mod frames;
pub mod gif;
pub mod mp4;
pub mod plan;

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::sync_channel;
use std::time::{Duration, Instant};

use rayon::prelude::*;

pub use frames::{Film, FilmKey, FilmLook};
pub use plan::{FilmStep, Span, frame_windows, window_title};

use super::picture;
use super::png::{self, RgbaImage};
use super::style::Theme;
use crate::layout::LayoutKind;
use crate::model::{Dataset, DayNumber, TimeWindow, WindowCounts};
use crate::workspace::View;

/// The most frames a film has unless told otherwise (about 7 minutes at 5 frames a second).
pub const DEFAULT_MAX_FRAMES: usize = 2_000;
/// How long a scene of a tour stays on screen.
pub const SCENE_SECONDS: u32 = 2;

/// What film to make.
#[derive(Clone, Debug, PartialEq)]
pub struct FilmSpec {
    /// First and last day to step through; the data's first and last day when `None`.
    pub from: Option<DayNumber>,
    pub to: Option<DayNumber>,
    pub step: FilmStep,
    /// Each frame's window, ending with its step; one step when `None`.
    pub span: Option<Span>,
    /// Every window starts at the first event (the picture only grows).
    pub cumulative: bool,
    /// A tour of the workspace's scenes instead of steps: each held [`SCENE_SECONDS`], with
    /// `tween` frames (one second's when 0) gliding from one to the next.
    pub scenes: bool,
    /// In-between frames before each step after the first, over which actors fade in and
    /// out and positions glide; 0 for one frame per step.
    pub tween: usize,
    pub fps: u32,
    /// The frame in pixels.
    pub size: [u32; 2],
    /// Pixels per point: 2 draws text and lines twice as large in the same pixels.
    pub scale: f32,
    /// The layout; the workspace's, else grouped for small sets and force above.
    pub layout: Option<LayoutKind>,
    pub theme: Theme,
    /// More frames than this is refused (a day-by-day film of decades is a typo).
    pub max_frames: usize,
}

impl Default for FilmSpec {
    fn default() -> Self {
        Self {
            from: None,
            to: None,
            step: FilmStep::Month,
            span: None,
            cumulative: false,
            scenes: false,
            tween: 0,
            fps: 2,
            size: [1280, 720],
            scale: 1.0,
            layout: None,
            theme: Theme::Light,
            max_frames: DEFAULT_MAX_FRAMES,
        }
    }
}

/// The kinds of film, by the output path: `.gif`, `.mp4`, or a folder (a path ending in `/`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FilmFormat {
    Gif,
    Mp4,
    PngFolder,
}

impl FilmFormat {
    pub fn of_path(path: &Path) -> Option<Self> {
        let text = path.as_os_str().to_string_lossy();
        if text.ends_with('/') || text.ends_with(std::path::MAIN_SEPARATOR) {
            return Some(Self::PngFolder);
        }
        match path.extension()?.to_str()?.to_ascii_lowercase().as_str() {
            "gif" => Some(Self::Gif),
            "mp4" => Some(Self::Mp4),
            _ => None,
        }
    }
}

/// How far a film has got.
#[derive(Clone, Debug, PartialEq)]
pub struct FilmProgress {
    /// Frames laid out (the force layout runs over the whole film before drawing starts).
    pub laid_out: usize,
    /// Frames drawn and handed to the encoder.
    pub frames_done: usize,
    pub frames: usize,
    /// Since the export started.
    pub elapsed: Duration,
    /// Since the first frame was drawn (the layout done).
    pub drawing: Duration,
}

impl FilmProgress {
    /// Frames drawn per second so far.
    pub fn fps(&self) -> f64 {
        let s = self.drawing.as_secs_f64();
        if s > 0.0 {
            self.frames_done as f64 / s
        } else {
            0.0
        }
    }

    /// A guess at the time left, once some frames are drawn.
    pub fn time_left(&self) -> Option<Duration> {
        let fps = self.fps();
        (fps > 0.0 && self.frames_done > 0)
            .then(|| Duration::from_secs_f64((self.frames - self.frames_done) as f64 / fps))
    }
}

/// What was written.
#[derive(Clone, Debug, PartialEq)]
pub struct FilmSummary {
    pub path: PathBuf,
    pub format: FilmFormat,
    pub frames: usize,
    pub width: u32,
    pub height: u32,
    /// Size on disk (all frames for a folder).
    pub bytes: u64,
    pub elapsed: Duration,
}

/// Why no film was written.
#[derive(Clone, Debug, PartialEq)]
pub enum FilmError {
    /// The input or the options cannot make a film (no events in the range, an unknown
    /// format, too many frames): the user has to change something.
    Input(String),
    /// Writing failed (disk full, no such folder, the encoder failed).
    Write(String),
    /// Cancelled (Ctrl+C, the dialog's Cancel): nothing was left behind.
    Cancelled,
}

impl std::fmt::Display for FilmError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            FilmError::Input(m) | FilmError::Write(m) => f.write_str(m),
            FilmError::Cancelled => f.write_str("cancelled; nothing was written"),
        }
    }
}

/// The keys (steps, or scenes), in-between frames and frames per key of the film `spec`
/// describes over `dataset` (with the workspace `view`), checked: some event in the range, at
/// most `spec.max_frames` frames.
pub fn plan(
    dataset: &Dataset,
    view: Option<&View>,
    spec: &FilmSpec,
) -> Result<FilmPlan, FilmError> {
    let Some((first, last)) = dataset.day_range() else {
        return Err(FilmError::Input("the file has no events".into()));
    };
    let (keys, tween, hold) = if spec.scenes {
        let scenes = view.map(|v| v.scenes.as_slice()).unwrap_or_default();
        if scenes.is_empty() {
            return Err(FilmError::Input(
                "--scenes needs a .relmap workspace with saved scenes".into(),
            ));
        }
        let all = view
            .and_then(View::time_window)
            .unwrap_or(TimeWindow::new(first, last));
        let by_name: std::collections::HashMap<&str, crate::model::ActorId> = dataset
            .actors
            .iter()
            .map(|(a, actor)| (actor.name.as_str(), a))
            .collect();
        let keys = scenes
            .iter()
            .map(|scene| FilmKey {
                window: scene.time_window().unwrap_or(all),
                filter: Some(scene.filter(dataset)),
                camera: scene.camera.map(|[x, y, zoom]| picture::Camera {
                    centre: [x, y],
                    zoom,
                }),
                title: Some(scene.title.clone()).filter(|t| !t.trim().is_empty()),
                selected: scene
                    .selected
                    .iter()
                    .filter_map(|name| by_name.get(name.as_str()).copied())
                    .collect(),
            })
            .collect::<Vec<_>>();
        let tween = if spec.tween == 0 {
            spec.fps as usize
        } else {
            spec.tween
        };
        (keys, tween, (SCENE_SECONDS * spec.fps) as usize)
    } else {
        let from = spec.from.unwrap_or(first);
        let to = spec.to.unwrap_or(last);
        if from > to {
            return Err(FilmError::Input(format!(
                "--from {} is after --to {}",
                crate::model::format_day(from),
                crate::model::format_day(to)
            )));
        }
        let windows = frame_windows(
            from,
            to,
            spec.step,
            spec.span,
            spec.cumulative.then_some(first),
        );
        let covered = TimeWindow::new(
            windows.iter().map(|w| w.from).min().unwrap_or(from),
            windows.iter().map(|w| w.to).max().unwrap_or(to),
        );
        if WindowCounts::full(dataset, covered).events == 0 {
            return Err(FilmError::Input(format!(
                "no events between {} and {} (the file's run from {} to {})",
                crate::model::format_day(covered.from),
                crate::model::format_day(covered.to),
                crate::model::format_day(first),
                crate::model::format_day(last)
            )));
        }
        let keys = windows.into_iter().map(FilmKey::step).collect();
        (keys, spec.tween, 1)
    };
    let frames = frames::frame_count(keys.len(), tween, hold);
    if frames > spec.max_frames {
        return Err(FilmError::Input(format!(
            "{frames} frames ({} {}) is more than --max-frames {}: take a longer --step, a \
             shorter range or fewer --tween frames, or raise --max-frames",
            keys.len(),
            if spec.scenes {
                "scenes".to_string()
            } else {
                format!("steps of a {}", spec.step.unit().name())
            },
            spec.max_frames
        )));
    }
    Ok(FilmPlan {
        keys,
        tween,
        hold,
        frames,
    })
}

/// What [`plan`] found: the film's keys and how many frames each takes.
#[derive(Clone, Debug, PartialEq)]
pub struct FilmPlan {
    pub keys: Vec<FilmKey>,
    pub tween: usize,
    pub hold: usize,
    pub frames: usize,
}

/// The frame size in pixels a format can take: H.264 needs even sides (an odd one loses its
/// last pixel row or column).
fn pixel_size(spec: &FilmSpec, format: FilmFormat) -> [u32; 2] {
    match format {
        FilmFormat::Mp4 => [spec.size[0] & !1, spec.size[1] & !1],
        _ => spec.size,
    }
}

fn points(size: [u32; 2], scale: f32) -> [f32; 2] {
    [size[0] as f32 / scale, size[1] as f32 / scale]
}

/// Draws single frames of the film (`frames` are indices; the last is `usize::MAX`) without
/// writing anything: the export dialog's preview. Lays out the whole film first when the
/// layout moves (force), so frames look as they will in the film.
pub fn preview(
    dataset: &Dataset,
    view: Option<&View>,
    directed: bool,
    spec: &FilmSpec,
    frames: &[usize],
    cancel: &AtomicBool,
) -> Result<Vec<RgbaImage>, FilmError> {
    let plan = plan(dataset, view, spec)?;
    let look = FilmLook::new(
        dataset,
        view,
        spec.layout,
        spec.theme,
        points(spec.size, spec.scale),
        directed,
    );
    let film = Film::prepare(
        dataset,
        plan.keys,
        spec.step.unit(),
        look,
        cancel,
        &mut |_, _| {},
    )?
    .with_tween(plan.tween)
    .with_hold(plan.hold);
    frames
        .iter()
        .map(|&f| {
            let picture = film.picture(f.min(film.len() - 1));
            png::to_rgba(&picture, spec.scale).map_err(FilmError::Write)
        })
        .collect()
}

/// One of the writers, behind one face.
enum FrameWriter {
    Gif(gif::GifWriter),
    // The MP4 writer holds the encoder's state inline (kilobytes): boxed, one pointer.
    Mp4(Box<mp4::Mp4FilmWriter>),
    Png(PngFolderWriter),
}

impl FrameWriter {
    fn push(&mut self, image: &RgbaImage) -> Result<(), String> {
        match self {
            FrameWriter::Gif(w) => w.push(image),
            FrameWriter::Mp4(w) => w.push(image),
            FrameWriter::Png(w) => w.push(image),
        }
    }

    fn finish(self) -> Result<u64, String> {
        match self {
            FrameWriter::Gif(w) => w.finish(),
            FrameWriter::Mp4(w) => w.finish(),
            FrameWriter::Png(w) => w.finish(),
        }
    }
}

/// Numbered PNG frames (`frame-0001.png`, …) in a temporary folder renamed into place at the
/// end.
struct PngFolderWriter {
    folder: super::file::AtomicFolder,
    frames: usize,
    bytes: u64,
}

impl PngFolderWriter {
    fn create(path: &Path) -> Result<Self, String> {
        let folder = super::file::AtomicFolder::create(path, is_frame_folder).map_err(|e| {
            if e.kind() == std::io::ErrorKind::AlreadyExists {
                "exists and holds other files than frame-NNNN.png: choose a new folder".to_string()
            } else {
                e.to_string()
            }
        })?;
        Ok(Self {
            folder,
            frames: 0,
            bytes: 0,
        })
    }

    fn push(&mut self, image: &RgbaImage) -> Result<(), String> {
        self.frames += 1;
        let size = resvg::tiny_skia::IntSize::from_wh(image.width, image.height)
            .ok_or("an empty frame")?;
        let pixmap = resvg::tiny_skia::Pixmap::from_vec(image.pixels.clone(), size)
            .ok_or("a frame of the wrong size")?;
        let bytes = pixmap
            .encode_png()
            .map_err(|e| format!("cannot encode frame {}: {e}", self.frames))?;
        let path = self
            .folder
            .path()
            .join(format!("frame-{:04}.png", self.frames));
        std::fs::write(&path, &bytes).map_err(|e| format!("{}: {e}", path.display()))?;
        self.bytes += bytes.len() as u64;
        Ok(())
    }

    fn finish(self) -> Result<u64, String> {
        let bytes = self.bytes;
        self.folder.commit().map_err(|e| e.to_string())?;
        Ok(bytes)
    }
}

/// Whether a folder may be replaced by a new film's frames: it holds nothing but
/// `frame-NNNN.png` files (an earlier export).
fn is_frame_folder(path: &Path) -> bool {
    let Ok(entries) = std::fs::read_dir(path) else {
        return false;
    };
    entries.into_iter().all(|e| {
        e.ok().is_some_and(|e| {
            let name = e.file_name().to_string_lossy().into_owned();
            e.file_type().is_ok_and(|t| t.is_file())
                && name.starts_with("frame-")
                && name.ends_with(".png")
        })
    })
}

/// Makes the film `spec` describes of `dataset` (with a workspace's `view`, if any) at `out`;
/// see the module docs. `progress` hears after each batch of frames; setting `cancel` stops
/// at the next batch with [`FilmError::Cancelled`] and nothing written.
pub fn export_film(
    dataset: &Dataset,
    view: Option<&View>,
    directed: bool,
    spec: &FilmSpec,
    out: &Path,
    cancel: &AtomicBool,
    progress: &mut dyn FnMut(&FilmProgress),
) -> Result<FilmSummary, FilmError> {
    let started = Instant::now();
    let format = FilmFormat::of_path(out).ok_or_else(|| {
        FilmError::Input(format!(
            "{}: the output must end in .gif or .mp4, or be a folder ending in / for PNG frames",
            out.display()
        ))
    })?;
    if !(1..=60).contains(&spec.fps) || (format == FilmFormat::Gif && spec.fps > 50) {
        return Err(FilmError::Input(format!(
            "--fps {} must be from 1 to 60 (50 for a GIF)",
            spec.fps
        )));
    }
    let plan = plan(dataset, view, spec)?;
    let size = pixel_size(spec, format);
    let look = FilmLook::new(
        dataset,
        view,
        spec.layout,
        spec.theme,
        points(size, spec.scale),
        directed,
    );
    // Open the output before the long part, so a bad path fails at once.
    let write_error = |e: String| FilmError::Write(format!("{}: {e}", out.display()));
    let mut writer = match format {
        FilmFormat::Gif => FrameWriter::Gif(
            gif::GifWriter::create(out, size[0], size[1], spec.fps, spec.theme)
                .map_err(write_error)?,
        ),
        FilmFormat::Mp4 => FrameWriter::Mp4(Box::new(
            mp4::Mp4FilmWriter::create(out, size[0], size[1], spec.fps).map_err(write_error)?,
        )),
        FilmFormat::PngFolder => {
            FrameWriter::Png(PngFolderWriter::create(out).map_err(write_error)?)
        }
    };
    let total = plan.frames;
    let mut report = FilmProgress {
        laid_out: 0,
        frames_done: 0,
        frames: total,
        elapsed: Duration::ZERO,
        drawing: Duration::ZERO,
    };
    let film = Film::prepare(
        dataset,
        plan.keys,
        spec.step.unit(),
        look,
        cancel,
        &mut |done, _| {
            report.laid_out = done;
            report.elapsed = started.elapsed();
            progress(&report);
        },
    )?
    .with_tween(plan.tween)
    .with_hold(plan.hold);
    let drawing_started = Instant::now();
    let batch = (2 * rayon::current_num_threads()).max(2);
    let (tx, rx) = sync_channel::<RgbaImage>(batch);
    let outcome = std::thread::scope(|scope| {
        let encoder = scope.spawn(move || -> Result<FrameWriter, String> {
            for image in rx {
                writer.push(&image)?;
            }
            Ok(writer)
        });
        let mut pictures = film.pictures();
        let mut failure = None;
        let mut done = 0;
        while done < total {
            if cancel.load(Ordering::Relaxed) {
                failure = Some(FilmError::Cancelled);
                break;
            }
            let drawn: Vec<_> = pictures.by_ref().take(batch).collect();
            let images: Vec<Result<RgbaImage, String>> = drawn
                .par_iter()
                .map(|picture| png::to_rgba(picture, spec.scale))
                .collect();
            let mut sent = true;
            for image in images {
                match image {
                    Ok(image) => sent &= tx.send(image).is_ok(),
                    Err(e) => {
                        failure = Some(FilmError::Write(e));
                        break;
                    }
                }
            }
            if failure.is_some() || !sent {
                break;
            }
            done += drawn.len();
            report.frames_done = done;
            report.elapsed = started.elapsed();
            report.drawing = drawing_started.elapsed();
            progress(&report);
        }
        drop(tx);
        let encoded = encoder
            .join()
            .unwrap_or_else(|_| Err("the encoder thread panicked".into()));
        match (failure, encoded) {
            (Some(failure), _) => Err(failure),
            (None, Err(e)) => Err(write_error(e)),
            (None, Ok(writer)) => {
                if cancel.load(Ordering::Relaxed) {
                    return Err(FilmError::Cancelled);
                }
                writer.finish().map_err(write_error)
            }
        }
    });
    let bytes = outcome?;
    Ok(FilmSummary {
        path: out.to_path_buf(),
        format,
        frames: total,
        width: size[0],
        height: size[1],
        bytes,
        elapsed: started.elapsed(),
    })
}
