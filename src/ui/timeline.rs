//! The timeline: events per day, week, month or year (the unit follows the zoom) as bars
//! stacked in the map's colours, with real dates on the axis; the time window drawn over
//! them and edited by dragging; date boxes; playback; a line of the selection's events; and
//! a mark over the bar of each event that has a note.
//!
//! The bars come from [`crate::model::TimelineCounts::stack`]: one set of bins for every
//! group, each segment with its own base, events dated more coarsely than a bin hatched over
//! every bin they may fall in (why: see `TimelineCounts`). Hover and click go by the bar's
//! column, so a bar one event high is as easy to hit as a tall one.

use std::ops::RangeInclusive;

use eframe::egui::{self, CursorIcon, Ui};
use egui_plot::{Bar, BarChart, GridInput, GridMark, Line, Plot, PlotPoints, Points, Span};

use super::Command;
use super::theme;
use crate::analysis::{BinValue, Measure, measure_over_bins};
use crate::export::style::{OTHER_TYPE_COLOUR, TYPE_COLOURS};
use crate::model::{
    ActorId, BinStack, BinUnit, DayNumber, EventClass, EventId, TimeWindow, TimelineCounts,
    civil_from_day, day_number, days_in_month, format_day,
};
use crate::session::{Document, TimelineGroups};

const MONTH_NAMES: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

/// The narrowest a bar may be, in points: the bin unit is the finest that keeps this.
const MIN_BAR_POINTS: f32 = 6.0;
/// How close to a window edge (points) a drag resizes instead of moving.
const EDGE_GRAB_POINTS: f32 = 6.0;
/// Playback speeds offered, in bins per second.
const SPEEDS: [f32; 5] = [0.5, 1.0, 2.0, 4.0, 8.0];

/// What a drag on the plot is doing to the window.
#[derive(Clone, Copy, Debug)]
enum WindowDrag {
    /// Drawing a new window from this day.
    New {
        anchor: DayNumber,
    },
    /// Moving the whole window: where it was and the day grabbed.
    Move {
        start: TimeWindow,
        grabbed: f64,
    },
    ResizeFrom,
    ResizeTo,
}

/// Playback of the window through time.
#[derive(Clone, Debug)]
pub struct Playback {
    pub playing: bool,
    /// Bins per second.
    pub speed: f32,
    /// Start again from the beginning at the end, instead of stopping.
    pub looping: bool,
    /// Fraction of a step accumulated since the last one.
    progress: f32,
}

impl Default for Playback {
    fn default() -> Self {
        Self {
            playing: false,
            speed: 2.0,
            looping: false,
            progress: 0.0,
        }
    }
}

/// The events to draw as the selection's line, and a number that changes whenever they
/// do (so that their counts are kept between frames).
pub struct Highlight<'a> {
    pub events: &'a [EventId],
    pub generation: u64,
    /// What the line is called in the legend ("Belarus – Iran").
    pub label: &'a str,
}

/// What a bar's hover text depends on.
#[derive(Clone, Debug, PartialEq)]
struct HoverKey {
    bin: (DayNumber, DayNumber),
    unit: BinUnit,
    data: u64,
    filter: crate::model::EventFilter,
    groups: Option<TimelineGroups>,
}

/// Timeline state that lives across frames.
#[derive(Default)]
pub struct TimelineState {
    drag: Option<WindowDrag>,
    from_text: String,
    to_text: String,
    date_problem: Option<String>,
    /// The dates shown, `None` for the whole data (or its bulk, see `default_view`).
    view: Option<(f64, f64)>,
    /// The window always starts at the first event; only its end moves.
    pub cumulative: bool,
    /// Theme lines (a lane per actor) instead of the bars.
    pub theme_lines: bool,
    /// Under the bars, the selected actor's measure and rank per bar.
    pub over_time: bool,
    over_time_job: Option<OverTimeJob>,
    pub playback: Playback,
    /// The unit of the bars in the last frame: playback and stepping go by it.
    unit: Option<BinUnit>,
    highlight_counts: Option<(u64, TimelineCounts)>,
    /// The bars drawn last, and their unit: what the pointer hovers and clicks.
    drawn: Vec<BinStack>,
    /// What the hovered bar's tooltip says, while one is hovered.
    hover_text: Option<String>,
    hover_cache: Option<(HoverKey, String)>,
    /// Where the window's edges were drawn last (screen x of its start and end) and the
    /// plot's vertical middle: what a pointer has to grab.
    window_on_screen: Option<(f32, f32, f32)>,
    plot_rect: Option<egui::Rect>,
    /// Plot to screen, as drawn last.
    transform: Option<egui_plot::PlotTransform>,
}

/// The selected actor's measure per bin, worked out on a worker thread.
struct OverTimeJob {
    key: OverTimeKey,
    receiver: Option<std::sync::mpsc::Receiver<Vec<BinValue>>>,
    values: Vec<BinValue>,
}

#[derive(Clone, PartialEq)]
struct OverTimeKey {
    actor: ActorId,
    measure: Measure,
    bins: Vec<(DayNumber, DayNumber)>,
    filter: crate::model::EventFilter,
    data: u64,
}

/// Height of the measure-over-time strip in points.
const OVER_TIME_HEIGHT: f32 = 70.0;

impl TimelineState {
    /// Shows the days `from..=to` (the unit of the bars follows).
    pub fn set_view(&mut self, from: DayNumber, to: DayNumber) {
        self.view = Some((from as f64, (to + 1) as f64));
    }

    /// Where a plot point (day, y) was drawn on screen in the last frame.
    pub fn screen_pos(&self, day: f64, y: f64) -> Option<egui::Pos2> {
        self.transform
            .map(|t| t.position_from_point(&egui_plot::PlotPoint::new(day, y)))
    }

    /// The selected actor's measure per bar, as last worked out.
    pub fn over_time_values(&self) -> &[BinValue] {
        self.over_time_job.as_ref().map_or(&[], |j| &j.values)
    }

    /// The unit of the bars drawn last.
    pub fn unit(&self) -> Option<BinUnit> {
        self.unit
    }

    /// Where the window's start and end were drawn (screen x) and the plot's middle (y).
    pub fn window_on_screen(&self) -> Option<(f32, f32, f32)> {
        self.window_on_screen
    }

    /// Where the plot was drawn last.
    pub fn plot_rect(&self) -> Option<egui::Rect> {
        self.plot_rect
    }

    /// Where day `day` (a plot x: days since 1970, fractions within the day) was drawn.
    pub fn screen_x(&self, day: f64) -> Option<f32> {
        Some(self.transform.as_ref()?.position_from_point_x(day))
    }

    /// The bars drawn last, left to right, with every bin on screen (empty ones too).
    pub fn drawn_bars(&self) -> &[BinStack] {
        &self.drawn
    }

    /// The hovered bar's tooltip text, while the pointer is over one.
    pub fn hover_text(&self) -> Option<&str> {
        self.hover_text.as_deref()
    }

    /// Shows every event's dates, outliers included (double-click, "Show all").
    pub fn show_everything(&mut self, doc: &Document) {
        self.view = full_view(doc);
    }

    /// The unit playback steps by.
    fn step_unit(&self) -> BinUnit {
        self.unit.unwrap_or(BinUnit::Month)
    }

    /// The first day on screen, or of the data if later.
    fn origin(&self, doc: &Document) -> DayNumber {
        let lo = doc.dataset.day_range().map_or(0, |r| r.0);
        let (v0, _) = self.view.unwrap_or_else(|| default_view(doc));
        (v0.ceil() as DayNumber).max(lo)
    }

    pub fn toggle_playback(&mut self, doc: &Document, commands: &mut Vec<Command>) {
        let origin = self.origin(doc);
        let playback = &mut self.playback;
        playback.playing = !playback.playing;
        playback.progress = 0.0;
        if playback.playing {
            // From the start when there is nowhere to go.
            if let Some(w) = rewound(doc, origin, self.step_unit(), self.cumulative) {
                commands.push(Command::SetWindow(w));
            }
        }
    }

    /// Advances playback by the frame's time; returns the window to show, if it moved.
    pub fn tick(&mut self, doc: &Document, dt: f32) -> Option<TimeWindow> {
        if !self.playback.playing {
            return None;
        }
        self.playback.progress += dt.clamp(0.0, 0.25) * self.playback.speed;
        if self.playback.progress < 1.0 {
            return None;
        }
        self.playback.progress -= 1.0;
        match stepped(doc, doc.window(), self.step_unit(), 1, self.cumulative) {
            Some(w) => Some(w),
            None if self.playback.looping => {
                let origin = self.origin(doc);
                let start =
                    start_window(doc, origin, self.step_unit(), self.cumulative, doc.window());
                Some(start)
            }
            None => {
                self.playback.playing = false;
                None
            }
        }
    }

    /// The window one bin later (or earlier), if it still holds data.
    pub fn step(&self, doc: &Document, bins: i32) -> Option<TimeWindow> {
        stepped(doc, doc.window(), self.step_unit(), bins, self.cumulative)
    }
}

/// The window moved by `bins` bins. A window that covers whole bins keeps covering whole
/// bins (a month stays a month); any other keeps its length in days. `None` past the data.
fn stepped(
    doc: &Document,
    window: TimeWindow,
    unit: BinUnit,
    bins: i32,
    cumulative: bool,
) -> Option<TimeWindow> {
    let (lo, hi) = doc.dataset.day_range()?;
    if cumulative {
        let aligned = unit.bin_start(window.to + 1) == window.to + 1;
        let to = if aligned {
            unit.add(window.to + 1, bins) - 1
        } else {
            unit.add(window.to, bins)
        };
        return (to >= lo && window.to < hi || bins < 0 && window.to > lo)
            .then(|| TimeWindow::new(lo, to.clamp(lo, hi)));
    }
    if (bins > 0 && window.to >= hi) || (bins < 0 && window.from <= lo) {
        return None;
    }
    // A window that ends at a bin's end (a played one always does; its start may have been
    // clipped to the first event) moves by whole bins and covers whole bins.
    if unit.bin_start(window.to + 1) == window.to + 1 {
        let first = unit.bin_start(window.from);
        let width = bins_between(unit, first, window.to + 1);
        let from = unit.add(first, bins);
        return Some(TimeWindow::new(from, unit.add(from, width) - 1));
    }
    let from = unit.add(window.from, bins);
    Some(TimeWindow::new(from, from + (window.to - window.from)))
}

/// Whole bins from `from` to `until` (both bin starts).
fn bins_between(unit: BinUnit, from: DayNumber, until: DayNumber) -> i32 {
    let mut n = 0;
    let mut day = from;
    while day < until && n < 100_000 {
        day = unit.next(day);
        n += 1;
    }
    n.max(1)
}

/// The first window of a playback: one bin at `origin` (or everything up to the end of that
/// bin when cumulative) if the window is everything, else the window's length there.
/// `origin` is where the timeline's view starts, so that a lone early outlier does not
/// make playback crawl through decades of nothing.
fn start_window(
    doc: &Document,
    origin: DayNumber,
    unit: BinUnit,
    cumulative: bool,
    window: TimeWindow,
) -> TimeWindow {
    let Some((lo, hi)) = doc.dataset.day_range() else {
        return window;
    };
    let origin = origin.clamp(lo, hi);
    let first_bin_end = unit.next(unit.bin_start(origin)) - 1;
    if cumulative {
        return TimeWindow::new(lo, first_bin_end.min(hi));
    }
    if window == TimeWindow::new(lo, hi) {
        return TimeWindow::new(unit.bin_start(origin), first_bin_end);
    }
    let aligned = unit.bin_start(window.from) == window.from
        && unit.bin_start(window.to + 1) == window.to + 1;
    let from = unit.bin_start(origin);
    let to = if aligned {
        unit.add(from, bins_between(unit, window.from, window.to + 1)) - 1
    } else {
        from + (window.to - window.from)
    };
    TimeWindow::new(from, to)
}

/// Where playing should start from, if not from the current window: when the window is
/// everything or already at the end.
fn rewound(
    doc: &Document,
    origin: DayNumber,
    unit: BinUnit,
    cumulative: bool,
) -> Option<TimeWindow> {
    let (_, hi) = doc.dataset.day_range()?;
    let window = doc.window();
    (window.to >= hi).then(|| start_window(doc, origin, unit, cumulative, window))
}

/// A labelled date box. It shows `day` unless focused; when the user leaves it (Enter, Tab,
/// a click elsewhere) its text is read with the same date parser as the files (`2024`,
/// `May 2024`, `2024-05-13`, …): a "from" date means its first day, a "to" date its last.
/// Returns the day entered, or why the text is not a date.
fn date_box_ui(
    ui: &mut Ui,
    label: &str,
    day: DayNumber,
    text: &mut String,
    is_end: bool,
) -> Option<Result<DayNumber, String>> {
    let label = ui.label(label);
    let id = label.id.with("date-box");
    if !ui.memory(|m| m.has_focus(id)) && text.is_empty() {
        *text = format_day(day);
    }
    let response = ui
        .add(
            egui::TextEdit::singleline(text)
                .id(id)
                .desired_width(86.0)
                .hint_text("YYYY-MM-DD"),
        )
        .labelled_by(label.id);
    if !response.lost_focus() {
        if !response.has_focus() {
            *text = format_day(day);
        }
        return None;
    }
    let parsed = crate::model::PartialDate::parse(text)
        .map(|d| if is_end { d.last_day() } else { d.first_day() })
        .map_err(|e| format!("{e}: write a date like 2024-05-13, May 2024 or 2024"));
    if parsed.is_err() {
        *text = format_day(day);
    }
    Some(parsed)
}

/// Axis marks on year boundaries, plus month boundaries when they are at least
/// `base_step_size` apart; egui_plot draws the year marks stronger.
pub(super) fn date_marks(input: GridInput) -> Vec<GridMark> {
    let (lo, hi) = input.bounds;
    if !(lo.is_finite() && hi.is_finite()) || hi <= lo {
        return Vec::new();
    }
    let (y0, _, _) = civil_from_day(lo.floor() as DayNumber);
    let (y1, _, _) = civil_from_day(hi.ceil() as DayNumber);
    // Enough space for a label every `step` years.
    let min_days = input.base_step_size * 8.0;
    let year_step = [1, 2, 5, 10, 20, 50, 100]
        .into_iter()
        .find(|s| *s as f64 * 365.0 >= min_days)
        .unwrap_or(200);
    let month_step = [1, 3, 6].into_iter().find(|s| *s as f64 * 30.0 >= min_days);
    // Days within months when even single months are far apart.
    let day_step = [1u8, 2, 7, 14]
        .into_iter()
        .find(|s| *s as f64 >= min_days)
        .filter(|_| month_step == Some(1));
    let mut marks = Vec::new();
    for y in y0..=y1 + 1 {
        if month_step.is_some() || y % year_step == 0 {
            let day = day_number(y, 1, 1) as f64;
            marks.push(GridMark {
                value: day,
                step_size: 365.0 * year_step as f64,
            });
        }
        if let Some(step) = month_step {
            for m in (1 + step..=12).step_by(step as usize) {
                marks.push(GridMark {
                    value: day_number(y, m as u8, 1) as f64,
                    step_size: 30.0 * step as f64,
                });
            }
        }
        if let Some(step) = day_step {
            for m in 1..=12u8 {
                for d in (1 + step..=days_in_month(y, m)).step_by(step as usize) {
                    // Skip the last day or two, so that no mark crowds the next month's.
                    if d + step / 2 > days_in_month(y, m) {
                        continue;
                    }
                    marks.push(GridMark {
                        value: day_number(y, m, d) as f64,
                        step_size: step as f64,
                    });
                }
            }
        }
    }
    marks.retain(|m| m.value >= lo - 1.0 && m.value <= hi + 1.0);
    marks
}

pub(super) fn format_mark(mark: GridMark, _range: &RangeInclusive<f64>) -> String {
    let day = mark.value.round() as DayNumber;
    let (y, m, d) = civil_from_day(day);
    if mark.step_size >= 360.0 {
        format!("{y}")
    } else if mark.step_size >= 28.0 {
        format!("{} {y}", MONTH_NAMES[m as usize - 1])
    } else {
        format!("{d} {}", MONTH_NAMES[m as usize - 1])
    }
}

/// The dates shown when the user has not zoomed: everything, unless one or two outliers
/// would squash the bulk of the data (the 5th to 95th percentile of event days) into a
/// quarter of the width; then the bulk with a margin. A double click shows everything.
fn default_view(doc: &Document) -> (f64, f64) {
    let ds = &doc.dataset;
    let Some((lo, hi)) = ds.day_range() else {
        return (0.0, 1.0);
    };
    let n = ds.start.len();
    let trim = ((n as f64 * 0.05).ceil() as usize).min((n - 1) / 2);
    let (a, b) = (ds.start[trim], ds.start[n - 1 - trim]);
    let full = (hi - lo + 1) as f64;
    let bulk = (b - a + 1) as f64;
    let (from, until) = if bulk * 4.0 < full && n >= 10 {
        // Ends within half the bulk's span of it stay in view; only far outliers go.
        let near = bulk / 2.0;
        let from = if (a - lo) as f64 <= near { lo } else { a };
        let until = if (hi - b) as f64 <= near { hi } else { b };
        (from as f64, (until + 1) as f64)
    } else {
        (lo as f64, (hi + 1) as f64)
    };
    let pad = ((until - from) * 0.02).max(1.0);
    (from - pad, until + pad)
}

/// The groups' names and colours, in stacking order.
fn group_styles(doc: &Document) -> Vec<(String, egui::Color32)> {
    match doc.timeline_groups() {
        Some(TimelineGroups::Types(top)) => {
            let mut styles: Vec<(String, egui::Color32)> = top
                .iter()
                .enumerate()
                .map(|(i, &t)| {
                    let name = doc.dataset.types.get(t as usize).map_or("", |s| s.as_str());
                    let name = if name.is_empty() { "(no type)" } else { name };
                    (name.to_string(), theme::colour(TYPE_COLOURS[i]))
                })
                .collect();
            styles.push(("Other types".to_string(), theme::colour(OTHER_TYPE_COLOUR)));
            styles
        }
        _ => EventClass::ALL
            .iter()
            .map(|&c| (c.label().to_string(), theme::class_colour(c)))
            .collect(),
    }
}

/// Draws the window controls, playback and the plot; returns commands for window changes
/// and for selecting a bin's events.
pub fn timeline_ui(
    ui: &mut Ui,
    doc: &Document,
    state: &mut TimelineState,
    highlight: &Highlight,
    selected: &[ActorId],
    measure: Measure,
    commands: &mut Vec<Command>,
) {
    let Some((lo, hi)) = doc.dataset.day_range() else {
        return;
    };
    let window = doc.window();
    controls_ui(ui, doc, state, commands);
    if let Some(problem) = &state.date_problem {
        ui.colored_label(ui.visuals().warn_fg_color, problem);
    }

    let (mut v0, mut v1) = state.view.unwrap_or_else(|| default_view(doc));
    // While playing, the view pans to keep the window's end in sight.
    let end = (window.to + 1) as f64;
    if state.playback.playing && (end > v1 || end < v0) {
        let width = v1 - v0;
        (v0, v1) = (end - width * 0.8, end + width * 0.2);
        state.view = Some((v0, v1));
    }
    let plot_width = (ui.available_width() - 40.0).max(100.0);
    let unit = BinUnit::for_zoom(v1 - v0, plot_width, MIN_BAR_POINTS);
    state.unit = Some(unit);
    if state.theme_lines {
        // No bars to hover or click.
        state.drawn.clear();
        let lanes = super::theme_lines::lanes(doc, selected);
        super::theme_lines::theme_lines_ui(ui, doc, state, &lanes, (v0, v1), unit, commands);
        return;
    }
    let counts = &doc.timeline_counts;
    let styles = group_styles(doc);
    // The bins on screen (and one either side, so that bars slide in at the edges).
    let first_day = (v0.floor() as DayNumber).max(lo);
    let last_day = (v1.ceil() as DayNumber).min(hi);
    let bins = if first_day <= last_day {
        unit.bins(first_day, last_day)
    } else {
        Vec::new()
    };
    // Every bar from the same bins with explicit bases: egui_plot's `stack_on` stacks by
    // the bars' index, which puts segments over the wrong dates when a group skips a bin.
    let stacks = counts.stack(unit, &bins);
    let charts = bar_charts(&stacks, &styles);
    let mut y_max = stacks.iter().map(BinStack::top).max().unwrap_or(0) as f64;

    // The selection's events per bin, as a line over the bars: every event drawn in the
    // bin, like the bars.
    let mut highlight_points: Vec<[f64; 2]> = Vec::new();
    if !highlight.events.is_empty() {
        if state.highlight_counts.as_ref().map(|(g, _)| *g) != Some(highlight.generation) {
            let ds = &doc.dataset;
            let spans = highlight.events.iter().map(|&e| {
                (
                    ds.start[e as usize],
                    ds.end[e as usize],
                    0,
                    ds.multiplicity(e),
                )
            });
            state.highlight_counts = Some((
                highlight.generation,
                TimelineCounts::weighted(lo, hi, 1, spans),
            ));
        }
        if let Some((_, hc)) = &state.highlight_counts {
            highlight_points = bins
                .iter()
                .map(|&(s, u)| [(s + u) as f64 / 2.0, hc.total(unit, s, u) as f64])
                .collect();
            let top = highlight_points.iter().map(|p| p[1]).fold(0.0, f64::max);
            y_max = y_max.max(top);
        }
    }

    // Noted events: a mark over the bar each starts in, in the headroom above the bars.
    let noted_y = y_max.max(1.0) * 1.08;
    let noted_points: Vec<[f64; 2]> = doc
        .notes
        .events()
        .filter_map(|(e, _)| {
            let start = *doc.dataset.start.get(e as usize)?;
            let i = bins.partition_point(|&(_, next)| next <= start);
            let &(s, u) = bins.get(i).filter(|&&(s, _)| s <= start)?;
            Some([(s + u) as f64 / 2.0, noted_y])
        })
        .collect();

    let selection_fill = ui.visuals().selection.bg_fill.gamma_multiply(0.35);
    let selection_edge = ui.visuals().selection.stroke.color;
    let highlight_colour = if ui.visuals().dark_mode {
        egui::Color32::from_rgb(0xff, 0xd4, 0x4d)
    } else {
        egui::Color32::from_rgb(0x20, 0x20, 0x20)
    };
    let plot = Plot::new("timeline-plot")
        .allow_drag(false)
        .allow_zoom(false)
        .allow_scroll(false)
        .allow_boxed_zoom(false)
        .allow_double_click_reset(false)
        .show_x(false)
        .show_y(false)
        .x_grid_spacer(date_marks)
        .x_axis_formatter(format_mark)
        .y_axis_min_width(24.0)
        .y_axis_label(format!("events per {}", unit.name()))
        .legend(
            egui_plot::Legend::default()
                .position(egui_plot::Corner::LeftTop)
                .follow_insertion_order(true)
                .background_alpha(0.6),
        );
    let window_span = |w: TimeWindow| (w.from as f64, (w.to + 1) as f64);
    let (span_from, span_until) = window_span(window);
    // The strip under the bars for one selected actor's measure through time.
    let over_time_actor = match selected {
        [one] if state.over_time => Some(*one),
        _ => None,
    };
    let plot = if over_time_actor.is_some() {
        plot.height((ui.available_height() - OVER_TIME_HEIGHT - 4.0).max(60.0))
    } else {
        plot
    };
    let response = plot.show(ui, |plot_ui| {
        plot_ui.set_plot_bounds_x(v0..=v1);
        plot_ui.set_plot_bounds_y(0.0..=(y_max * 1.15).max(1.0));
        // Under the bars, so that they keep their colours inside the window.
        plot_ui.span(
            Span::new("time window", span_from..=span_until)
                .fill(selection_fill)
                .border(egui::Stroke::new(1.5, selection_edge)),
        );
        for chart in charts {
            plot_ui.bar_chart(chart);
        }
        if !highlight_points.is_empty() {
            let points: PlotPoints = highlight_points.clone().into();
            plot_ui.line(
                Line::new(highlight.label, points)
                    .color(highlight_colour)
                    .width(2.0),
            );
            let dots: PlotPoints = highlight_points
                .iter()
                .filter(|p| p[1] > 0.0)
                .copied()
                .collect::<Vec<_>>()
                .into();
            plot_ui.points(
                Points::new(highlight.label, dots)
                    .color(highlight_colour)
                    .radius(2.5),
            );
        }
        if !noted_points.is_empty() {
            let [r, g, b, _] = crate::export::callouts::NOTE_COLOUR;
            plot_ui.points(
                Points::new("noted events", PlotPoints::from(noted_points))
                    .shape(egui_plot::MarkerShape::Square)
                    .color(egui::Color32::from_rgb(r, g, b))
                    .filled(true)
                    .radius(3.5),
            );
        }
    });
    hatch_wider_segments(ui, &response.transform, &stacks, &styles);
    state.drawn = stacks;
    plot_interaction(ui, doc, state, &response, (v0, v1), unit, commands);
    if let Some(actor) = over_time_actor {
        over_time_ui(ui, doc, state, actor, measure, &bins, (v0, v1));
    }
}

/// The selected actor's measure per bar (a line) and its rank (on hover), under the bars.
fn over_time_ui(
    ui: &mut Ui,
    doc: &Document,
    state: &mut TimelineState,
    actor: ActorId,
    measure: Measure,
    bins: &[(DayNumber, DayNumber)],
    (v0, v1): (f64, f64),
) {
    let key = OverTimeKey {
        actor,
        measure,
        bins: bins.to_vec(),
        filter: doc.counts.filter.clone(),
        data: doc.data_generation,
    };
    if let Some(job) = &mut state.over_time_job
        && let Some(values) = job.receiver.as_ref().and_then(|r| r.try_recv().ok())
    {
        job.values = values;
        job.receiver = None;
    }
    // One computation at a time; the latest view is worked out once the last one is in.
    let idle = state
        .over_time_job
        .as_ref()
        .is_none_or(|j| j.receiver.is_none() && j.key != key);
    if idle {
        let (tx, rx) = std::sync::mpsc::channel();
        let dataset = std::sync::Arc::clone(&doc.dataset);
        let (filter, bins) = (key.filter.clone(), key.bins.clone());
        let ctx = ui.ctx().clone();
        std::thread::spawn(move || {
            let _ = tx.send(measure_over_bins(&dataset, &filter, &bins, actor, measure));
            ctx.request_repaint();
        });
        // Another actor's or measure's values would mislead: only a moved view keeps them.
        let values = state
            .over_time_job
            .take()
            .filter(|j| j.key.actor == key.actor && j.key.measure == key.measure)
            .map(|j| j.values)
            .unwrap_or_default();
        state.over_time_job = Some(OverTimeJob {
            key,
            receiver: Some(rx),
            values,
        });
    }
    let Some(job) = &state.over_time_job else {
        return;
    };
    let name = doc.dataset.actors.get(actor).name.clone();
    let label = format!("{} of {name}", measure.label());
    let points: Vec<[f64; 2]> = job
        .values
        .iter()
        .map(|b| [(b.start + b.until) as f64 / 2.0, b.value])
        .collect();
    let top = points.iter().map(|p| p[1]).fold(0.0, f64::max);
    let values = job.values.clone();
    let colour = ui.visuals().strong_text_color();
    let response = Plot::new("over-time-plot")
        .height(OVER_TIME_HEIGHT)
        .allow_drag(false)
        .allow_zoom(false)
        .allow_scroll(false)
        .allow_boxed_zoom(false)
        .allow_double_click_reset(false)
        .show_x(false)
        .show_y(false)
        .x_grid_spacer(date_marks)
        .x_axis_formatter(format_mark)
        .y_axis_min_width(24.0)
        .y_axis_label(label.clone())
        .show(ui, |plot_ui| {
            plot_ui.set_plot_bounds_x(v0..=v1);
            plot_ui.set_plot_bounds_y(0.0..=(top * 1.2).max(1e-9));
            if !points.is_empty() {
                plot_ui.line(
                    Line::new(label.clone(), PlotPoints::from(points.clone()))
                        .color(colour)
                        .width(1.5),
                );
                plot_ui.points(
                    Points::new(label.clone(), PlotPoints::from(points))
                        .color(colour)
                        .radius(2.5),
                );
            }
        });
    if let Some(pos) = response.response.hover_pos() {
        let day = response.transform.value_from_position(pos).x.floor() as DayNumber;
        if let Some(b) = values.iter().find(|b| b.start <= day && day < b.until) {
            response.response.clone().on_hover_text_at_pointer(format!(
                "{}: {:.4} · rank {} of {} actors",
                format_day(b.start),
                b.value,
                b.rank,
                b.of
            ));
        }
    }
}

/// The plot's bar charts: per group one chart of the events dated within their bin (these
/// carry the legend), then per group one of those dated more coarsely (drawn faint and
/// hatched over; a legend entry only for a group that has no other, the hover explains
/// them).
fn bar_charts(stacks: &[BinStack], styles: &[(String, egui::Color32)]) -> Vec<BarChart> {
    let mut charts = Vec::new();
    // Group by group, so that the legend keeps the groups' order; the bars' bases are
    // explicit, so the order of drawing does not move them.
    for (g, (name, colour)) in styles.iter().enumerate() {
        for wider in [false, true] {
            let bars: Vec<Bar> = stacks
                .iter()
                .flat_map(|b| {
                    let days = (b.until - b.start) as f64;
                    b.segments
                        .iter()
                        .filter(move |s| s.group == g && s.wider == wider)
                        .map(move |s| {
                            let bar =
                                Bar::new(b.start as f64 + days / 2.0, (s.top - s.base) as f64)
                                    .base_offset(s.base as f64)
                                    .width(days * 0.85);
                            if wider {
                                bar.fill(colour.linear_multiply(0.05))
                                    .stroke(egui::Stroke::new(1.0, colour.linear_multiply(0.4)))
                            } else {
                                bar
                            }
                        })
                })
                .collect();
            if bars.is_empty() {
                continue;
            }
            // A group drawn only hatched still gets its legend entry.
            let has_solid = stacks
                .iter()
                .any(|b| b.segments.iter().any(|s| s.group == g && !s.wider));
            let chart = if !wider {
                BarChart::new(name.as_str(), bars)
            } else if has_solid {
                BarChart::new("", bars).id(("timeline-coarse", g))
            } else {
                BarChart::new(name.as_str(), bars).id(("timeline-coarse", g))
            };
            // The hover is the timeline's own (see `bin_hover_text`), for the whole column.
            charts.push(chart.color(*colour).allow_hover(false));
        }
    }
    charts
}

/// Diagonal hatching over the segments of events dated more coarsely than their bin, so
/// that "may have happened here" never reads as a count of this bin.
fn hatch_wider_segments(
    ui: &Ui,
    transform: &egui_plot::PlotTransform,
    stacks: &[BinStack],
    styles: &[(String, egui::Color32)],
) {
    let frame = *transform.frame();
    for b in stacks {
        let days = (b.until - b.start) as f64;
        let (x0, x1) = (b.start as f64 + days * 0.075, b.until as f64 - days * 0.075);
        for s in b.segments.iter().filter(|s| s.wider) {
            let colour = styles.get(s.group).map_or(egui::Color32::GRAY, |st| st.1);
            let rect = egui::Rect::from_two_pos(
                transform.position_from_point(&egui_plot::PlotPoint::new(x0, s.base as f64)),
                transform.position_from_point(&egui_plot::PlotPoint::new(x1, s.top as f64)),
            )
            .intersect(frame);
            if !rect.is_positive() {
                continue;
            }
            let painter = ui.painter().with_clip_rect(rect);
            let stroke = egui::Stroke::new(1.0, colour.linear_multiply(0.45));
            let step = 6.0;
            let mut x = rect.left() - rect.height();
            while x < rect.right() {
                painter.line_segment(
                    [
                        egui::pos2(x, rect.bottom()),
                        egui::pos2(x + rect.height(), rect.top()),
                    ],
                    stroke,
                );
                x += step;
            }
        }
    }
}

/// What hovering a bar says: its dates, its events by group, and those that may fall in
/// it because they are dated only to a month or a year (or last beyond it), with how they
/// are dated.
fn bin_hover_text(
    doc: &Document,
    unit: BinUnit,
    bar: &BinStack,
    styles: &[(String, egui::Color32)],
) -> String {
    let plural = |n: u32| if n == 1 { "" } else { "s" };
    let first = format_day(bar.start);
    let last = format_day(bar.until - 1);
    let mut text = if first == last {
        unit.label(bar.start)
    } else {
        format!("{}: {first} to {last}", unit.label(bar.start))
    };
    let within = bar.within();
    if within == 0 {
        text.push_str("\nno event dated within it");
    } else {
        text.push_str(&format!(
            "\n{within} event{} dated within it",
            plural(within)
        ));
    }
    for (g, (name, _)) in styles.iter().enumerate() {
        let n = bar.count(g, false);
        if n > 0 {
            text.push_str(&format!("\n  {n} {name}"));
        }
    }
    let wider = bar.top() - within;
    if wider > 0 {
        let more = if within > 0 { " more" } else { "" };
        text.push_str(&format!("\n{wider}{more} that may fall in it (hatched):"));
        for (g, (name, _)) in styles.iter().enumerate() {
            let n = bar.count(g, true);
            if n > 0 {
                text.push_str(&format!("\n  {n} {name}"));
            }
        }
        let dated = coarse_datings(doc, bar.start, bar.until - 1);
        for (i, (how, n)) in dated.iter().enumerate() {
            if i == 4 {
                text.push_str(&format!("\n  and {} more datings", dated.len() - 4));
                break;
            }
            text.push_str(&format!("\n  {n} {how}"));
        }
    }
    text
}

/// The events (accepted by the filter) that overlap `from..=to` without lying inside it,
/// grouped by how they are dated: "dated only to 1993", "lasting 2024-05-30 – 2024-06-02".
fn coarse_datings(doc: &Document, from: DayNumber, to: DayNumber) -> Vec<(String, u32)> {
    let ds = &doc.dataset;
    let filter = &doc.counts.filter;
    let mut out: Vec<(String, u32)> = Vec::new();
    let starts_before = ds.start.partition_point(|&s| s <= to) as EventId;
    for e in 0..starts_before {
        let (s, end) = (ds.start[e as usize], ds.end[e as usize]);
        if end < from || (s >= from && end <= to) || !filter.accepts(ds, e) {
            continue;
        }
        let how = match ds.end_date_of(e) {
            Some(until) => format!("lasting {} – {until}", ds.date_of(e)),
            None => format!("dated only to {}", ds.date_of(e)),
        };
        match out.iter_mut().find(|(h, _)| *h == how) {
            Some((_, n)) => *n += 1,
            None => out.push((how, 1)),
        }
    }
    out
}

/// The events drawn in the bar `from..until`: those dated within it and those that may fall
/// in it, accepted by the filter, in date order.
fn events_of_bin(doc: &Document, from: DayNumber, until: DayNumber) -> Vec<EventId> {
    let ds = &doc.dataset;
    let filter = &doc.counts.filter;
    let starts_before = ds.start.partition_point(|&s| s < until) as EventId;
    (0..starts_before)
        .filter(|&e| ds.end[e as usize] >= from && filter.accepts(ds, e))
        .collect()
}

/// Events that lie wholly before `v0` or from `v1` on (plot x, in days).
fn events_outside(doc: &Document, v0: f64, v1: f64) -> usize {
    let ds = &doc.dataset;
    let before = ds
        .by_end
        .partition_point(|&e| (ds.end[e as usize] as f64) + 1.0 <= v0);
    let after = ds.start.partition_point(|&s| (s as f64) < v1);
    if ds.is_aggregated() {
        // Events, not rows: what the bars and the window count too.
        let events = |rows: &mut dyn Iterator<Item = u32>| -> usize {
            rows.map(|e| ds.multiplicity(e) as usize).sum()
        };
        return events(&mut ds.by_end[..before].iter().copied())
            + events(&mut (after as u32..ds.len() as u32));
    }
    before + ds.len() - after
}

/// The whole data, with the same margin as the default view.
fn full_view(doc: &Document) -> Option<(f64, f64)> {
    let (lo, hi) = doc.dataset.day_range()?;
    let (from, until) = (lo as f64, (hi + 1) as f64);
    let pad = ((until - from) * 0.02).max(1.0);
    Some((from - pad, until + pad))
}

/// The row above the plot: date boxes, cumulative, playback, show all, the count.
fn controls_ui(
    ui: &mut Ui,
    doc: &Document,
    state: &mut TimelineState,
    commands: &mut Vec<Command>,
) {
    let Some((lo, hi)) = doc.dataset.day_range() else {
        return;
    };
    let window = doc.window();
    ui.horizontal(|ui| {
        ui.strong("Time window");
        let from_edit = if state.cumulative {
            None
        } else {
            date_box_ui(ui, "From", window.from, &mut state.from_text, false)
        };
        let to_edit = date_box_ui(
            ui,
            if state.cumulative { "Up to" } else { "To" },
            window.to,
            &mut state.to_text,
            true,
        );
        for (edit, is_end) in [(from_edit, false), (to_edit, true)] {
            match edit {
                Some(Ok(day)) => {
                    state.date_problem = None;
                    // Moving one end past the other pushes it along.
                    let w = if state.cumulative {
                        TimeWindow::new(lo, day)
                    } else if is_end {
                        TimeWindow::new(window.from.min(day), day)
                    } else {
                        TimeWindow::new(day, window.to.max(day))
                    };
                    commands.push(Command::SetWindow(w));
                }
                Some(Err(problem)) => state.date_problem = Some(problem),
                None => {}
            }
        }
        let cumulative = ui
            .checkbox(&mut state.cumulative, "Cumulative")
            .on_hover_text("Everything from the first event up to a date");
        if cumulative.changed() && state.cumulative {
            commands.push(Command::SetWindow(TimeWindow::new(lo, window.to)));
        }
        ui.checkbox(&mut state.over_time, "Rank").on_hover_text(
            "Under the bars, the selected actor's measure (the node size's, else PageRank) \
                 and its rank per bar",
        );
        ui.checkbox(&mut state.theme_lines, "Theme lines")
            .on_hover_text(
                "A lane per selected actor (or the busiest), its events as marks, and a line \
                 for each event two of them share",
            );
        ui.separator();
        let unit = state.step_unit();
        if ui
            .button("◀")
            .on_hover_text(format!("Back one {}", unit.name()))
            .clicked()
            && let Some(w) = state.step(doc, -1)
        {
            commands.push(Command::SetWindow(w));
        }
        let play_label = if state.playback.playing {
            "Pause"
        } else {
            "▶ Play"
        };
        if ui
            .button(play_label)
            .on_hover_text(format!(
                "Move the window one {} at a time (Space)",
                unit.name()
            ))
            .clicked()
        {
            state.toggle_playback(doc, commands);
        }
        if ui
            .button("▶")
            .on_hover_text(format!("Forward one {}", unit.name()))
            .clicked()
            && let Some(w) = state.step(doc, 1)
        {
            commands.push(Command::SetWindow(w));
        }
        let speed_label = ui.label("Speed");
        egui::ComboBox::from_id_salt("playback-speed")
            .selected_text(format!("{}×", state.playback.speed))
            .width(56.0)
            .show_ui(ui, |ui| {
                for s in SPEEDS {
                    ui.selectable_value(&mut state.playback.speed, s, format!("{s}×"))
                        .on_hover_text(format!("{s} {}s a second", unit.name()));
                }
            })
            .response
            .labelled_by(speed_label.id);
        ui.checkbox(&mut state.playback.looping, "Loop");
        ui.separator();
        if ui
            .add_enabled(
                window != TimeWindow::new(lo, hi),
                egui::Button::new("Show all"),
            )
            .on_hover_text("Widen the window to every event and show all their dates")
            .clicked()
        {
            commands.push(Command::SetWindow(TimeWindow::new(lo, hi)));
            state.show_everything(doc);
        }
        ui.separator();
        ui.label(format!(
            "{} of {} events in the window",
            doc.counts.events,
            doc.dataset.event_total()
        ));
        // The default view leaves far outliers out: say so, and offer them.
        if state.view.is_none() {
            let (v0, v1) = default_view(doc);
            let outside = events_outside(doc, v0, v1);
            if outside > 0
                && ui
                    .link(format!("{outside} outside the dates shown"))
                    .on_hover_text("Show every event's dates (or double-click the plot)")
                    .clicked()
            {
                state.show_everything(doc);
            }
        }
    });
}

/// Wheel zoom and pan, double click to show all, drags that draw, move or resize the
/// window, and a click on a bar that selects its events.
pub(super) fn plot_interaction(
    ui: &Ui,
    doc: &Document,
    state: &mut TimelineState,
    response: &egui_plot::PlotResponse<()>,
    (v0, v1): (f64, f64),
    unit: BinUnit,
    commands: &mut Vec<Command>,
) {
    let Some((lo, hi)) = doc.dataset.day_range() else {
        return;
    };
    let window = doc.window();
    let r = &response.response;
    let transform = &response.transform;
    let day_of = |pos: egui::Pos2| transform.value_from_position(pos).x;
    let clamp_day = |x: f64| (x.floor() as DayNumber).clamp(lo, hi);
    let from_x = transform.position_from_point_x(window.from as f64);
    let to_x = transform.position_from_point_x((window.to + 1) as f64);
    state.window_on_screen = Some((from_x, to_x, r.rect.center().y));
    state.plot_rect = Some(r.rect);
    state.transform = Some(*transform);
    // A window of everything has nowhere to move: a drag on it draws a new one.
    let everything = window == TimeWindow::new(lo, hi);
    let mode_at = |pos: egui::Pos2| -> WindowDrag {
        let near = |x: f32| (pos.x - x).abs() <= EDGE_GRAB_POINTS;
        if everything {
            WindowDrag::New {
                anchor: clamp_day(day_of(pos)),
            }
        } else if near(to_x) {
            WindowDrag::ResizeTo
        } else if near(from_x) && !state.cumulative {
            WindowDrag::ResizeFrom
        } else if pos.x > from_x && pos.x < to_x && !state.cumulative {
            WindowDrag::Move {
                start: window,
                grabbed: day_of(pos),
            }
        } else {
            WindowDrag::New {
                anchor: clamp_day(day_of(pos)),
            }
        }
    };

    if let Some(pos) = r.hover_pos() {
        // Zoom around the pointer with the wheel or a pinch; sideways scrolling pans.
        let (scroll, zoom) = ui.input(|i| (i.smooth_scroll_delta, i.zoom_delta()));
        let factor = zoom as f64 * (scroll.y as f64 * 0.003).exp();
        if (factor - 1.0).abs() > 1e-4 || scroll.x != 0.0 {
            let at = day_of(pos);
            let days_per_point = (v1 - v0) / r.rect.width().max(1.0) as f64;
            let pan = -scroll.x as f64 * days_per_point;
            let full = (hi - lo + 1) as f64;
            let width = ((v1 - v0) / factor).clamp(3.0, full * 1.5);
            let k = width / (v1 - v0);
            let (n0, n1) = (at - (at - v0) * k + pan, at + (v1 - at) * k + pan);
            state.view = Some((n0, n1));
            ui.ctx().input_mut(|i| {
                i.smooth_scroll_delta = egui::Vec2::ZERO;
            });
        }
        if state.drag.is_none() {
            let icon = match mode_at(pos) {
                WindowDrag::ResizeFrom | WindowDrag::ResizeTo => CursorIcon::ResizeHorizontal,
                WindowDrag::Move { .. } => CursorIcon::Grab,
                WindowDrag::New { .. } => CursorIcon::Crosshair,
            };
            ui.ctx().set_cursor_icon(icon);
        }
    }
    // The bar under the pointer, by its column (short bars are easy to miss otherwise).
    let bar_at = |drawn: &[BinStack], pos: egui::Pos2| -> Option<BinStack> {
        let day = day_of(pos).floor() as DayNumber;
        drawn
            .iter()
            .find(|b| b.start <= day && day < b.until && b.top() > 0)
            .cloned()
    };
    let hovered = match r.hover_pos() {
        Some(pos) if state.drag.is_none() => bar_at(&state.drawn, pos),
        _ => None,
    };
    state.hover_text = hovered.map(|b| {
        // The text of coarsely dated events scans the events: once per bar, not per frame.
        let key = HoverKey {
            bin: (b.start, b.until),
            unit,
            data: doc.data_generation,
            filter: doc.counts.filter.clone(),
            groups: doc.timeline_groups().cloned(),
        };
        match &state.hover_cache {
            Some((k, text)) if *k == key => text.clone(),
            _ => {
                let text = bin_hover_text(doc, unit, &b, &group_styles(doc));
                state.hover_cache = Some((key, text.clone()));
                text
            }
        }
    });
    if let Some(text) = &state.hover_text {
        r.clone().on_hover_text_at_pointer(text.as_str());
    }
    // Everything, not the default view: that one leaves far outliers (the 1993 event of
    // the sample) off screen.
    if r.double_clicked() {
        state.show_everything(doc);
        return;
    }
    if r.drag_started()
        && let Some(origin) = ui.input(|i| i.pointer.press_origin())
    {
        state.drag = Some(mode_at(origin));
    }
    if r.dragged()
        && let (Some(drag), Some(pos)) = (state.drag, r.interact_pointer_pos())
    {
        let day = clamp_day(day_of(pos));
        let w = match drag {
            WindowDrag::New { anchor } if state.cumulative => {
                let _ = anchor;
                TimeWindow::new(lo, day)
            }
            WindowDrag::New { anchor } => TimeWindow::new(anchor.min(day), anchor.max(day)),
            WindowDrag::ResizeFrom => TimeWindow::new(day.min(window.to), window.to),
            WindowDrag::ResizeTo if state.cumulative => TimeWindow::new(lo, day),
            WindowDrag::ResizeTo => TimeWindow::new(window.from, day.max(window.from)),
            WindowDrag::Move { start, grabbed } => {
                let len = start.to - start.from;
                let shift = (day_of(pos) - grabbed).round() as DayNumber;
                let from = (start.from + shift).clamp(lo, (hi - len).max(lo));
                TimeWindow::new(from, from + len)
            }
        };
        if matches!(drag, WindowDrag::Move { .. }) {
            ui.ctx().set_cursor_icon(CursorIcon::Grabbing);
        } else if matches!(drag, WindowDrag::ResizeFrom | WindowDrag::ResizeTo) {
            ui.ctx().set_cursor_icon(CursorIcon::ResizeHorizontal);
        }
        if w != window {
            commands.push(Command::SetWindow(w));
        }
    }
    if r.drag_stopped() {
        state.drag = None;
    }
    // A click on a bar selects the events drawn in it (and through them their actors).
    if r.clicked()
        && let Some(pos) = r.interact_pointer_pos()
        && let Some(bar) = bar_at(&state.drawn, pos)
    {
        let add = ui.input(|i| i.modifiers.shift || i.modifiers.command);
        let events = events_of_bin(doc, bar.start, bar.until);
        commands.push(Command::SelectEvents(events, add));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::io::{Diagnostics, Format, Loaded};
    use crate::model::{DatasetBuilder, NewEvent, PartialDate};

    fn day(y: i32, m: u8, d: u8) -> DayNumber {
        day_number(y, m, d)
    }

    /// Events every day from Wednesday 2024-01-03 to 2024-03-31.
    fn doc() -> Document {
        let mut b = DatasetBuilder::new();
        let a = b.actor("Belarus", None).unwrap();
        for d in day(2024, 1, 3)..=day(2024, 3, 31) {
            let (y, m, dd) = civil_from_day(d);
            b.push(NewEvent {
                date: PartialDate::ymd(y, m, dd).unwrap(),
                actors: vec![a],
                ..NewEvent::default()
            });
        }
        let loaded = Loaded {
            dataset: b.finish(None),
            format: Format::Csv,
            diagnostics: Diagnostics::default(),
        };
        Document::new("days".into(), None, loaded)
    }

    #[test]
    fn steps_keep_whole_bins_or_the_length_in_days() {
        let doc = doc();
        // The first week, clipped to the first event, steps to the next whole week.
        let clipped = TimeWindow::new(day(2024, 1, 3), day(2024, 1, 7));
        assert_eq!(
            stepped(&doc, clipped, BinUnit::Week, 1, false),
            Some(TimeWindow::new(day(2024, 1, 8), day(2024, 1, 14)))
        );
        // January, a month on: all of February (29 days in 2024).
        let january = TimeWindow::new(day(2024, 1, 1), day(2024, 1, 31));
        assert_eq!(
            stepped(&doc, january, BinUnit::Month, 1, false),
            Some(TimeWindow::new(day(2024, 2, 1), day(2024, 2, 29)))
        );
        // Ten days that do not end on a week's end move a week and stay ten days.
        let ten = TimeWindow::new(day(2024, 1, 3), day(2024, 1, 12));
        assert_eq!(
            stepped(&doc, ten, BinUnit::Week, 1, false),
            Some(TimeWindow::new(day(2024, 1, 10), day(2024, 1, 19)))
        );
        // Past the data there is no step; cumulative windows grow from the first event.
        let last = TimeWindow::new(day(2024, 3, 1), day(2024, 3, 31));
        assert_eq!(stepped(&doc, last, BinUnit::Month, 1, false), None);
        assert_eq!(
            stepped(&doc, january, BinUnit::Month, 1, true),
            Some(TimeWindow::new(day(2024, 1, 3), day(2024, 2, 29)))
        );
    }

    #[test]
    fn playback_starts_at_the_first_bin_and_advances() {
        let mut doc = doc();
        let mut state = TimelineState {
            unit: Some(BinUnit::Week),
            ..TimelineState::default()
        };
        let mut commands = Vec::new();
        state.toggle_playback(&doc, &mut commands);
        assert!(state.playback.playing);
        let Some(Command::SetWindow(first)) = commands.pop() else {
            panic!("playing from everything starts at the beginning");
        };
        doc.set_window(first);
        assert_eq!(
            doc.window(),
            TimeWindow::new(day(2024, 1, 3), day(2024, 1, 7))
        );
        // Two bins a second: nothing after a quarter second, a week after half a second.
        assert_eq!(state.tick(&doc, 0.25), None);
        let next = state.tick(&doc, 0.25).expect("a step");
        assert_eq!(next, TimeWindow::new(day(2024, 1, 8), day(2024, 1, 14)));
    }
}
