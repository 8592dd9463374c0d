//! The pictures of a film: for each frame the map as [`picture::build`] draws it for `relmap
//! render` and the GUI, fitted above a strip with the window's dates, its counts and a small
//! timeline of the whole film with the window marked.
//!
//! What moves between frames moves smoothly: positions are laid out once for the whole film
//! before the first frame is drawn (the force layout warm-started from the previous frame's
//! positions with the new window's weights, never re-randomised; the other layouts do not
//! move), and the camera follows the drawn actors through a moving average of the frames
//! around it. With in-between frames (`--tween N`) an actor that enters the window fades in
//! over them, one that leaves fades out (a ghost with its ties), and positions and camera
//! glide; with one frame per step an entering actor is drawn at [`ENTERING`] strength in its
//! first frame and a leaving one lingers at [`LEAVING`] strength for one frame.

use std::sync::atomic::{AtomicBool, Ordering};

use super::FilmError;
use super::plan::{bin_label, window_title};
use crate::export::font;
use crate::export::picture::{
    self, Camera, MapInput, MapStyle, PairTypes, Picture, PictureLabel, PictureRect, PictureStrip,
};
use crate::export::style::{self, EdgeColouring, Palette, Theme};
use crate::layout::force::{ForceGraph, ForceLayout};
use crate::layout::{self, LayoutKind, Point};
use crate::model::{ActorId, BinUnit, Dataset, DayNumber, EventFilter, TimeWindow, WindowCounts};
use crate::workspace::View;

/// Strength of an actor in the first frame it has events in.
pub const ENTERING: f32 = 0.6;
/// Strength of an actor in the first frame after its last events left the window.
pub const LEAVING: f32 = 0.25;
/// Most force iterations between two frames (fewer once settled): enough to follow the
/// window, few enough that nodes glide rather than jump.
const FORCE_STEPS_PER_FRAME: usize = 40;
/// Frames on each side averaged into a frame's camera.
const CAMERA_SMOOTHING: usize = 2;
/// Thinnest timeline bar in the strip, in points: coarser bins beyond that.
const MIN_BAR_POINTS: f32 = 2.5;

/// Everything that decides how a film's frames look, resolved from the options and the
/// workspace.
pub struct FilmLook {
    pub layout: LayoutKind,
    pub style: MapStyle,
    pub filter: EventFilter,
    /// Positions to start from (a workspace's), by actor; `None` for the layout's own.
    pub start: Option<Vec<Point>>,
    pub pinned: Vec<bool>,
    pub collapsed: Vec<bool>,
    /// The format says who acted on whom: arrows.
    pub directed: bool,
    /// The frame in points.
    pub size: [f32; 2],
}

impl FilmLook {
    /// The look of `dataset` with `view` (a workspace's) applied: its layout unless `layout`
    /// is given, its positions (when its layout is the one used), pins, collapsed countries,
    /// filter and map style; the theme is `theme` whatever the workspace says.
    pub fn new(
        dataset: &Dataset,
        view: Option<&View>,
        layout: Option<LayoutKind>,
        theme: Theme,
        size: [f32; 2],
        directed: bool,
    ) -> Self {
        let n = dataset.actors.len();
        let kind = layout
            .or(view.and_then(|v| v.layout))
            .unwrap_or_else(|| LayoutKind::automatic(dataset));
        let mut look = Self {
            layout: kind,
            style: MapStyle {
                theme,
                ..view.map(|v| v.style.clone()).unwrap_or_default()
            },
            filter: view.map(|v| v.filter(dataset)).unwrap_or_default(),
            start: None,
            pinned: vec![false; n],
            collapsed: vec![false; n],
            directed,
            size,
        };
        look.style.theme = theme;
        if let Some(view) = view {
            let by_name: std::collections::HashMap<&str, ActorId> = dataset
                .actors
                .iter()
                .map(|(a, actor)| (actor.name.as_str(), a))
                .collect();
            let same_layout = view.layout.is_none_or(|l| l == kind);
            let mut start = None;
            for node in &view.nodes {
                if let Some(&a) = by_name.get(node.name.as_str()) {
                    let a = a as usize;
                    look.collapsed[a] = node.collapsed;
                    if same_layout {
                        look.pinned[a] = node.pinned;
                        start.get_or_insert_with(|| vec![[f32::NAN; 2]; n])[a] = [node.x, node.y];
                    }
                }
            }
            look.start = start;
        }
        look
    }
}

/// Where actors are in each frame.
enum Positions {
    /// The same in every frame (geographic, circle, grouped).
    Fixed(Vec<Point>),
    /// One list per frame (force).
    PerFrame(Vec<Vec<Point>>),
}

impl Positions {
    fn of(&self, frame: usize) -> &[Point] {
        match self {
            Positions::Fixed(p) => p,
            Positions::PerFrame(p) => &p[frame],
        }
    }
}

/// One stop of a film: a step of the moving window, or a scene of a tour.
#[derive(Clone, Debug, PartialEq)]
pub struct FilmKey {
    pub window: TimeWindow,
    /// The events shown (a scene's); the look's filter when `None`.
    pub filter: Option<EventFilter>,
    /// The camera (a scene's), instead of one fitted to what is drawn.
    pub camera: Option<Camera>,
    /// The strip's large text (a scene's title) instead of the window's dates, which then
    /// go under it.
    pub title: Option<String>,
    /// Actors drawn selected (a scene's).
    pub selected: Vec<ActorId>,
}

impl FilmKey {
    /// A step: just a window.
    pub fn step(window: TimeWindow) -> Self {
        Self {
            window,
            filter: None,
            camera: None,
            title: None,
            selected: Vec::new(),
        }
    }
}

/// A film ready to draw: windows, positions and cameras of every frame, and the strip's
/// timeline. [`Film::prepare`] does the layout; [`Film::pictures`] draws in order.
pub struct Film<'a> {
    dataset: &'a Dataset,
    /// One per step (or scene); frames are these, each held `hold` frames, plus `tween`
    /// in-between frames before each after the first.
    keys: Vec<FilmKey>,
    windows: Vec<TimeWindow>,
    tween: usize,
    hold: usize,
    look: FilmLook,
    positions: Positions,
    cameras: Vec<Camera>,
    located: Vec<bool>,
    timeline: StripTimeline,
}

impl<'a> Film<'a> {
    /// Lays out every key (a step of `step`, or a scene). Returns [`FilmError::Cancelled`]
    /// when `cancel` is set meanwhile; `layout_progress(done, total)` hears of each key laid
    /// out.
    pub fn prepare(
        dataset: &'a Dataset,
        keys: Vec<FilmKey>,
        step: BinUnit,
        look: FilmLook,
        cancel: &AtomicBool,
        layout_progress: &mut dyn FnMut(usize, usize),
    ) -> Result<Self, FilmError> {
        let n = dataset.actors.len();
        let kind = look.layout;
        let map_size = map_size(look.size);
        let windows: Vec<TimeWindow> = keys.iter().map(|k| k.window).collect();
        let filter_of = |k: usize| keys[k].filter.as_ref().unwrap_or(&look.filter);
        let base = match kind {
            LayoutKind::Force => None,
            other => Some(other.positions(dataset, &layout::grouped(dataset))),
        };
        let mut base = base.unwrap_or_default();
        if let Some(start) = &look.start
            && kind != LayoutKind::Force
        {
            for (p, s) in base.iter_mut().zip(start) {
                if s[0].is_finite() && s[1].is_finite() {
                    *p = *s;
                }
            }
        }
        // Which actors each frame draws (with the ghosts of those just gone), for the cameras.
        let mut counts = WindowCounts::filtered(
            dataset,
            windows.first().copied().unwrap_or(TimeWindow::new(0, 0)),
            look.filter.clone(),
        );
        let mut drawn_before = vec![false; n];
        let mut fit_points: Vec<Vec<Point>> = Vec::with_capacity(windows.len());
        let positions = if kind == LayoutKind::Force {
            let start = match &look.start {
                Some(s) if s.iter().any(|p| p[0].is_finite()) => {
                    let fallback = layout::grouped(dataset);
                    s.iter()
                        .zip(&fallback)
                        .map(|(p, f)| {
                            if p[0].is_finite() && p[1].is_finite() {
                                *p
                            } else {
                                *f
                            }
                        })
                        .collect()
                }
                _ => LayoutKind::Force.positions(dataset, &layout::grouped(dataset)),
            };
            let graph = ForceGraph::of_dataset(dataset);
            let mut force = ForceLayout::new(&graph, &start);
            for (a, &p) in look.pinned.iter().enumerate() {
                if p {
                    force.pin(a, start[a]);
                }
            }
            let mut frames = Vec::with_capacity(windows.len());
            for (k, &window) in windows.iter().enumerate() {
                if cancel.load(Ordering::Relaxed) {
                    return Err(FilmError::Cancelled);
                }
                counts.set_filter(dataset, filter_of(k).clone());
                counts.move_to(dataset, window);
                force.set_weights(&ForceGraph::window_multipliers(
                    dataset,
                    &counts.pair_events,
                ));
                let steps = if k == 0 {
                    layout::force_iterations(n)
                } else {
                    FORCE_STEPS_PER_FRAME
                };
                for _ in 0..steps {
                    force.step();
                    if force.converged() {
                        break;
                    }
                }
                let p = force.positions_world();
                fit_points.push(drawn_points(dataset, &look, &counts, &mut drawn_before, &p));
                frames.push(p);
                layout_progress(k + 1, windows.len());
            }
            Positions::PerFrame(frames)
        } else {
            for (k, &window) in windows.iter().enumerate() {
                counts.set_filter(dataset, filter_of(k).clone());
                counts.move_to(dataset, window);
                fit_points.push(drawn_points(
                    dataset,
                    &look,
                    &counts,
                    &mut drawn_before,
                    &base,
                ));
            }
            layout_progress(windows.len(), windows.len());
            Positions::Fixed(base)
        };

        let mut cameras = match &positions {
            // Actors that do not move: one camera on all that any frame draws, so that each
            // appears where it will stay.
            Positions::Fixed(_) => {
                let all: Vec<Point> = fit_points.iter().flatten().copied().collect();
                let camera = fit(map_size, &all).unwrap_or_default();
                vec![camera; windows.len()]
            }
            Positions::PerFrame(_) => {
                let own: Vec<Option<Camera>> =
                    fit_points.iter().map(|pts| fit(map_size, pts)).collect();
                let mut cameras = smooth_cameras(&own);
                // The average of its neighbours may leave out what a frame draws (an actor
                // entering at the rim): zoom out just enough to hold it.
                for (camera, pts) in cameras.iter_mut().zip(&fit_points) {
                    if let Some(own) = fit(map_size, pts) {
                        let reach = own_reach(map_size, own);
                        *camera = contain(map_size, *camera, reach);
                    }
                }
                cameras
            }
        };
        for (camera, key) in cameras.iter_mut().zip(&keys) {
            if let Some(c) = key.camera {
                *camera = c;
            }
        }
        let located = if kind == LayoutKind::Geographic {
            layout::geo::located(dataset)
        } else {
            Vec::new()
        };
        let timeline = StripTimeline::new(dataset, &keys, step, &look.filter, look.size);
        Ok(Self {
            dataset,
            keys,
            windows,
            tween: 0,
            hold: 1,
            look,
            positions,
            cameras,
            located,
            timeline,
        })
    }

    /// Adds `tween` in-between frames before each step after the first, over which actors
    /// that enter fade in, those that leave fade out, and positions and camera glide.
    pub fn with_tween(mut self, tween: usize) -> Self {
        self.tween = tween;
        self
    }

    /// Shows each key for `hold` frames (a scene of a tour stays on screen a while).
    pub fn with_hold(mut self, hold: usize) -> Self {
        self.hold = hold.max(1);
        self
    }

    /// Frames: each key held, plus the in-between frames.
    pub fn len(&self) -> usize {
        frame_count(self.windows.len(), self.tween, self.hold)
    }

    pub fn is_empty(&self) -> bool {
        self.windows.is_empty()
    }

    /// The steps' windows.
    pub fn windows(&self) -> &[TimeWindow] {
        &self.windows
    }

    /// The step a frame belongs to, and how far it is into the change from the step before
    /// (1 on the step's own frame).
    fn step_of(&self, frame: usize) -> (usize, f32) {
        if frame < self.hold {
            return (0, 1.0);
        }
        let per_step = self.tween + self.hold;
        let step = 1 + (frame - self.hold) / per_step;
        let into = (frame - self.hold) % per_step + 1;
        (step, (into as f32 / (self.tween + 1) as f32).min(1.0))
    }

    fn filter_of(&self, key: usize) -> &EventFilter {
        self.keys[key].filter.as_ref().unwrap_or(&self.look.filter)
    }

    /// The frame's size in points.
    pub fn size(&self) -> [f32; 2] {
        self.look.size
    }

    /// Draws the frames in order (each frame's fades depend on the one before).
    pub fn pictures(&self) -> Pictures<'_, 'a> {
        Pictures {
            film: self,
            next: 0,
            current: None,
            previous: None,
        }
    }

    /// One frame on its own (a preview): the same picture as [`Self::pictures`] gives for it.
    pub fn picture(&self, frame: usize) -> Picture {
        let (step, t) = self.step_of(frame.min(self.len().saturating_sub(1)));
        let previous = step.checked_sub(1).map(|p| {
            WindowCounts::filtered(self.dataset, self.windows[p], self.filter_of(p).clone())
        });
        let counts = WindowCounts::filtered(
            self.dataset,
            self.windows[step],
            self.filter_of(step).clone(),
        );
        self.draw(step, t, &counts, previous.as_ref())
    }

    /// The frame `t` of the way from step `step - 1` to `step` (`counts` and `previous` are
    /// theirs).
    fn draw(
        &self,
        step: usize,
        t: f32,
        counts: &WindowCounts,
        previous: Option<&WindowCounts>,
    ) -> Picture {
        let ds = self.dataset;
        let n = ds.actors.len();
        let look = &self.look;
        // How strong entering and leaving actors are: with in-between frames they fade all
        // the way; on a film of steps alone the step's own frame shows both half way.
        let (entering, leaving) = if self.tween == 0 {
            (ENTERING, LEAVING)
        } else {
            (t, 1.0 - t)
        };
        // Strength per actor, and the counts the map is drawn from: the window's, plus the
        // ghosts of actors (and their ties) whose events just left it.
        let mut appear = vec![1.0f32; n];
        let mut drawn = counts.clone();
        if let Some(prev) = previous.filter(|_| leaving > 0.0 || entering < 1.0) {
            let mut ghost = vec![false; n];
            for a in 0..n {
                let (was, is) = (prev.actor_events[a] > 0, counts.actor_events[a] > 0);
                if is && !was {
                    appear[a] = entering;
                } else if was && !is && leaving > 0.0 {
                    appear[a] = leaving;
                    ghost[a] = true;
                    drawn.actor_events[a] = prev.actor_events[a];
                }
            }
            for (p, &(a, b)) in ds.pairs.iter().enumerate() {
                if counts.pair_events[p] == 0
                    && prev.pair_events[p] > 0
                    && (ghost[a as usize] || ghost[b as usize])
                {
                    drawn.pair_events[p] = prev.pair_events[p];
                    drawn.pair_classes[p] = prev.pair_classes[p];
                    drawn.pair_initiated[p] = prev.pair_initiated[p];
                }
            }
        }
        let pair_types =
            (look.style.edge_colouring == EdgeColouring::Type).then(|| PairTypes::of(ds, counts));
        let size = map_size(look.size);
        let geo = look.layout == LayoutKind::Geographic;
        // Positions and camera glide from the step before.
        let gliding = t < 1.0 && step > 0;
        let positions: std::borrow::Cow<[Point]> = match &self.positions {
            Positions::PerFrame(p) if gliding => std::borrow::Cow::Owned(
                p[step - 1]
                    .iter()
                    .zip(&p[step])
                    .map(|(a, b)| [a[0] + (b[0] - a[0]) * t, a[1] + (b[1] - a[1]) * t])
                    .collect(),
            ),
            other => std::borrow::Cow::Borrowed(other.of(step)),
        };
        let camera = if gliding {
            let (a, b) = (self.cameras[step - 1], self.cameras[step]);
            Camera {
                centre: [
                    a.centre[0] + (b.centre[0] - a.centre[0]) * t,
                    a.centre[1] + (b.centre[1] - a.centre[1]) * t,
                ],
                zoom: a.zoom * (b.zoom / a.zoom).powf(t),
            }
        } else {
            self.cameras[step]
        };
        let input = MapInput {
            dataset: ds,
            counts: &drawn,
            positions: &positions,
            camera,
            size,
            style: &look.style,
            selected: &self.keys[step].selected,
            hovered: None,
            pinned: &look.pinned,
            collapsed: &look.collapsed,
            focus: None,
            directed: look.directed,
            group_halos: look.layout == LayoutKind::Grouped,
            outline: geo.then(|| (layout::geo::world_outline(), layout::geo::world_triangles())),
            pair_types: pair_types.as_ref(),
            selected_edge: None,
            appear: &appear,
            located: &self.located,
            max_edges: usize::MAX,
            // Films colour and size nodes by kind and events: a metric per frame would cost
            // a Louvain and the centralities for every frame.
            metrics: None,
            notes: None,
        };
        let mut picture = picture::build(&input, &measure);
        picture.width = look.size[0];
        picture.height = look.size[1];
        let actors = counts.actor_events.iter().filter(|&&c| c > 0).count();
        picture.strip = Some(self.strip(step, counts.events, actors));
        if let Some(message) = &mut picture.empty_message {
            // Centred on the map, not on the whole frame.
            message.min[1] = (size[1] - message.size[1]) / 2.0;
        }
        picture
    }

    /// The band under the map: the window's dates large on the left with its counts below,
    /// the film's timeline on the right with this window marked.
    fn strip(&self, step: usize, events: u32, actors: usize) -> PictureStrip {
        let [width, height] = self.look.size;
        let palette = self.look.style.theme.palette();
        let strip_height = strip_height(self.look.size);
        let top = height - strip_height;
        let window = self.windows[step];
        let mut strip = PictureStrip::default();
        strip.rects.push(PictureRect {
            min: [0.0, top],
            size: [width, strip_height],
            fill: strip_fill(&palette),
            stroke: [0; 4],
        });
        strip.rects.push(PictureRect {
            min: [0.0, top],
            size: [width, 1.0],
            fill: palette.legend_stroke,
            stroke: [0; 4],
        });
        let pad = (strip_height * 0.14).clamp(6.0, 16.0);
        let (title_size, note_size) = text_sizes(strip_height);
        // A scene's title goes large, its window's dates into the note.
        let (title, dates) = match &self.keys[step].title {
            Some(t) => (t.clone(), format!("{} · ", window_title(window))),
            None => (window_title(window), String::new()),
        };
        let title_width = measure(&title, title_size, true);
        let title_height = font::line_height(title_size);
        let note = format!(
            "{dates}{} event{} · {} actor{}",
            thousands(events as usize),
            if events == 1 { "" } else { "s" },
            thousands(actors),
            if actors == 1 { "" } else { "s" }
        );
        let note_width = measure(&note, note_size, false);
        let note_height = font::line_height(note_size);
        let block = title_height + note_height;
        let title_top = top + (strip_height - block) / 2.0;
        strip.labels.push(PictureLabel {
            text: title,
            min: [pad * 1.5, title_top],
            size: [title_width, title_height],
            font_size: title_size,
            colour: palette.strong_text,
            halo: [0; 4],
            bold: true,
        });
        strip.labels.push(PictureLabel {
            text: note,
            min: [pad * 1.5, title_top + title_height],
            size: [note_width, note_height],
            font_size: note_size,
            colour: palette.weak_text,
            halo: [0; 4],
            bold: false,
        });
        // The timeline takes the right part: never under the title at its widest.
        let left = (pad * 3.0 + self.timeline.title_room).max(width * 0.42);
        let right = width - pad * 1.5;
        if right - left < 60.0 || self.timeline.bins.is_empty() {
            return strip;
        }
        let axis_size = (strip_height * 0.15).max(9.0);
        let axis_height = font::line_height(axis_size);
        let bars_top = top + pad;
        let bars_bottom = top + strip_height - pad - axis_height;
        let bars_height = (bars_bottom - bars_top).max(4.0);
        let (first, last) = (self.timeline.first, self.timeline.last_exclusive);
        let x_of = |day: DayNumber| {
            left + (right - left) * (day - first) as f32 / (last - first).max(1) as f32
        };
        strip.rects.push(PictureRect {
            min: [left, bars_bottom],
            size: [right - left, 1.0],
            fill: palette.legend_stroke,
            stroke: [0; 4],
        });
        // The window: a tinted band behind its bars.
        let (wx0, wx1) = (
            x_of(window.from.max(first)),
            x_of((window.to + 1).min(last)),
        );
        let mark = palette.selection;
        strip.rects.push(PictureRect {
            min: [wx0, bars_top - 2.0],
            size: [(wx1 - wx0).max(2.0), bars_bottom - bars_top + 2.0],
            fill: style::fade(mark, 0.16),
            stroke: style::fade(mark, 0.7),
        });
        let max = self
            .timeline
            .counts
            .iter()
            .copied()
            .max()
            .unwrap_or(0)
            .max(1) as f32;
        let inside = style::mix(mark, palette.strong_text, 0.15);
        let outside = style::mix(palette.weak_text, palette.background, 0.35);
        for (&(from, next), &count) in self.timeline.bins.iter().zip(&self.timeline.counts) {
            if count == 0 {
                continue;
            }
            let (x0, x1) = (x_of(from), x_of(next));
            let h = (bars_height * (count as f32 / max).sqrt()).max(1.5);
            let within = from <= window.to && next > window.from;
            strip.rects.push(PictureRect {
                min: [x0 + 0.3, bars_bottom - h],
                size: [(x1 - x0 - 0.6).max(1.0), h],
                fill: if within { inside } else { outside },
                stroke: [0; 4],
            });
        }
        // The film's first and last step under the axis's ends.
        for (text, at_right) in [
            (bin_label(self.timeline.unit, first), false),
            (bin_label(self.timeline.unit, self.timeline.last_bin), true),
        ] {
            let w = measure(&text, axis_size, false);
            strip.labels.push(PictureLabel {
                min: [if at_right { right - w } else { left }, bars_bottom + 1.0],
                size: [w, axis_height],
                text,
                font_size: axis_size,
                colour: palette.weak_text,
                halo: [0; 4],
                bold: false,
            });
        }
        strip
    }
}

/// Draws a film's frames in order; see [`Film::pictures`].
pub struct Pictures<'f, 'a> {
    film: &'f Film<'a>,
    next: usize,
    /// The counts of the step being drawn, and of the one before.
    current: Option<(usize, WindowCounts)>,
    previous: Option<WindowCounts>,
}

impl Iterator for Pictures<'_, '_> {
    type Item = Picture;

    fn next(&mut self) -> Option<Picture> {
        let film = self.film;
        let frame = self.next;
        if frame >= film.len() {
            return None;
        }
        self.next += 1;
        let (step, t) = film.step_of(frame);
        if self.current.as_ref().is_none_or(|(s, _)| *s != step) {
            let window = film.windows[step];
            let counts = match self.current.take() {
                Some((_, before)) => {
                    let mut c = before.clone();
                    c.set_filter(film.dataset, film.filter_of(step).clone());
                    c.move_to(film.dataset, window);
                    self.previous = Some(before);
                    c
                }
                None => WindowCounts::filtered(film.dataset, window, film.filter_of(step).clone()),
            };
            self.current = Some((step, counts));
        }
        let (_, counts) = self.current.as_ref()?;
        Some(film.draw(step, t, counts, self.previous.as_ref()))
    }
}

/// Frames of a film of `steps` steps (or scenes), each shown `hold` frames, with `tween`
/// in-between frames before each after the first.
pub fn frame_count(steps: usize, tween: usize, hold: usize) -> usize {
    steps * hold.max(1) + steps.saturating_sub(1) * tween
}

/// Text widths from the bundled font, as `relmap render` measures.
fn measure(text: &str, size: f32, bold: bool) -> f32 {
    font::text_width(text, size, bold)
}

/// The strip's height in points for a frame of `size` points: about an eighth of the frame.
pub fn strip_height(size: [f32; 2]) -> f32 {
    (size[1] * 0.125).clamp(44.0, 120.0)
}

/// The map's part of a frame: all of it above the strip.
pub fn map_size(size: [f32; 2]) -> [f32; 2] {
    [size[0], (size[1] - strip_height(size)).max(20.0)]
}

/// Font sizes in the strip: the window's dates (large enough to read on a slide from the back
/// of a room), and the note under them.
fn text_sizes(strip_height: f32) -> (f32, f32) {
    (strip_height * 0.40, (strip_height * 0.17).max(10.0))
}

fn strip_fill(palette: &Palette) -> style::Rgba {
    let towards = if palette.dark {
        [0xff, 0xff, 0xff, 0xff]
    } else {
        [0x00, 0x00, 0x00, 0xff]
    };
    style::mix(palette.background, towards, 0.035)
}

/// `12345` → `12,345`.
fn thousands(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// Positions of the actors a frame draws (those with events in the window, and the ghosts of
/// those that had some in the frame before), leaving out actors folded into their country.
/// `drawn_before` is the last frame's set, updated to this frame's.
fn drawn_points(
    dataset: &Dataset,
    look: &FilmLook,
    counts: &WindowCounts,
    drawn_before: &mut [bool],
    positions: &[Point],
) -> Vec<Point> {
    let folded = |a: usize| {
        let root = layout::group_root(dataset, a as ActorId);
        root as usize != a && look.collapsed.get(root as usize) == Some(&true)
    };
    let mut points = Vec::new();
    for a in 0..dataset.actors.len() {
        let now = counts.actor_events[a] > 0;
        if (now || drawn_before[a]) && !folded(a) {
            points.push(positions[a]);
        }
        drawn_before[a] = now;
    }
    points
}

/// The camera that fits `points`, leaving out the outermost 1 % on each side of a big set
/// (as the GUI's fit does), so that a few far-flung nodes do not shrink the rest to dots.
fn fit(size: [f32; 2], points: &[Point]) -> Option<Camera> {
    let mut kept: Vec<Point> = points
        .iter()
        .copied()
        .filter(|p| p[0].is_finite() && p[1].is_finite())
        .collect();
    if kept.len() >= 200 {
        let cut = kept.len() / 100;
        let range = |axis: usize| {
            let mut v: Vec<f32> = kept.iter().map(|p| p[axis]).collect();
            v.sort_unstable_by(f32::total_cmp);
            (v[cut], v[v.len() - 1 - cut])
        };
        let (x0, x1) = range(0);
        let (y0, y1) = range(1);
        kept.retain(|p| p[0] >= x0 && p[0] <= x1 && p[1] >= y0 && p[1] <= y1);
    }
    Camera::fit(size, kept)
}

/// The world box a fitted camera shows inside its margins: what must stay in view.
fn own_reach(size: [f32; 2], camera: Camera) -> (Point, Point) {
    let m = fit_margin(size);
    let half = [
        (size[0] / 2.0 - m[0]) / camera.zoom,
        (size[1] / 2.0 - m[1]) / camera.zoom,
    ];
    (
        [camera.centre[0] - half[0], camera.centre[1] - half[1]],
        [camera.centre[0] + half[0], camera.centre[1] + half[1]],
    )
}

/// `camera` zoomed out (never in) until the world box `reach` lies inside its margins.
fn contain(size: [f32; 2], camera: Camera, (lo, hi): (Point, Point)) -> Camera {
    let m = fit_margin(size);
    let room = [
        (size[0] / 2.0 - m[0]).max(10.0),
        (size[1] / 2.0 - m[1]).max(10.0),
    ];
    let c = camera.centre;
    let need_x = (hi[0] - c[0]).max(c[0] - lo[0]).max(1e-3);
    let need_y = (hi[1] - c[1]).max(c[1] - lo[1]).max(1e-3);
    Camera {
        centre: c,
        zoom: camera.zoom.min(room[0] / need_x).min(room[1] / need_y),
    }
}

/// The margins [`Camera::fit`] leaves around what it fits.
fn fit_margin(size: [f32; 2]) -> [f32; 2] {
    [
        (size[0] * 0.12).clamp(20.0, 150.0),
        (size[1] * 0.08).clamp(16.0, 60.0),
    ]
}

/// Each frame's camera as the mean of its own and its neighbours' (centres averaged, zooms
/// geometrically), so that the view glides; frames that draw nothing take their
/// neighbours'.
fn smooth_cameras(own: &[Option<Camera>]) -> Vec<Camera> {
    let fallback = own.iter().flatten().next().copied().unwrap_or_default();
    (0..own.len())
        .map(|k| {
            let lo = k.saturating_sub(CAMERA_SMOOTHING);
            let hi = (k + CAMERA_SMOOTHING + 1).min(own.len());
            let near: Vec<Camera> = own[lo..hi].iter().flatten().copied().collect();
            if near.is_empty() {
                return fallback;
            }
            let m = near.len() as f32;
            Camera {
                centre: [
                    near.iter().map(|c| c.centre[0]).sum::<f32>() / m,
                    near.iter().map(|c| c.centre[1]).sum::<f32>() / m,
                ],
                zoom: (near.iter().map(|c| c.zoom.ln()).sum::<f32>() / m).exp(),
            }
        })
        .collect()
}

/// The strip's timeline: events per bin over the whole film (bins of the film's step, or
/// coarser when that would make bars thinner than [`MIN_BAR_POINTS`]).
struct StripTimeline {
    unit: BinUnit,
    first: DayNumber,
    last_exclusive: DayNumber,
    /// The start of the last bin.
    last_bin: DayNumber,
    bins: Vec<(DayNumber, DayNumber)>,
    counts: Vec<u32>,
    /// Width of the widest title or note of any frame, in points: the timeline starts right
    /// of it in every frame, so it keeps its place.
    title_room: f32,
}

impl StripTimeline {
    fn new(
        dataset: &Dataset,
        keys: &[FilmKey],
        step: BinUnit,
        filter: &EventFilter,
        size: [f32; 2],
    ) -> Self {
        let width = size[0];
        let from = keys.iter().map(|k| k.window.from).min().unwrap_or(0);
        let to = keys.iter().map(|k| k.window.to).max().unwrap_or(0);
        // Never finer than a step: a bar per frame at most.
        let unit = BinUnit::for_zoom((to - from + 1) as f64, width * 0.5, MIN_BAR_POINTS).max(step);
        let bins = unit.bins(from, to);
        let first = bins.first().map_or(from, |b| b.0);
        let last_exclusive = bins.last().map_or(to + 1, |b| b.1);
        let last_bin = bins.last().map_or(to, |b| b.0);
        // Events by the bin of their first day.
        let mut counts = vec![0u32; bins.len()];
        let lo = dataset.start.partition_point(|&s| s < first);
        let hi = dataset.start.partition_point(|&s| s < last_exclusive);
        let mut bin = 0;
        for e in lo..hi {
            let s = dataset.start[e];
            while bin + 1 < bins.len() && bins[bin].1 <= s {
                bin += 1;
            }
            if filter.accepts(dataset, e as u32) {
                counts[bin] += 1;
            }
        }
        let (title_size, note_size) = text_sizes(strip_height(size));
        let title_room = keys
            .iter()
            .map(|k| {
                let title = k.title.clone().unwrap_or_else(|| window_title(k.window));
                measure(&title, title_size, true)
            })
            .fold(0.0, f32::max)
            .max(measure("999,999 events · 99,999 actors", note_size, false));
        Self {
            unit,
            first,
            last_exclusive,
            last_bin,
            bins,
            counts,
            title_room,
        }
    }
}
