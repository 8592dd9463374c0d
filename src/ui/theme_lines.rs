//! Theme lines, as in i2 Analyst's Notebook's timeline chart: one lane per actor (the
//! selected ones, else the busiest in the window), each of its events a mark on its lane at
//! the event's date, coloured by class, and each event two lanes share a line between them.
//! The timeline's x axis, zoom and window dragging stay as in the bar view; a click on a
//! mark selects that event everywhere.

use eframe::egui::{self, Ui};
use egui_plot::{Line, Plot, PlotPoints, Points, Span};

use super::Command;
use super::theme;
use super::timeline::{TimelineState, date_marks, format_mark, plot_interaction};
use crate::export::picture::shorten;
use crate::model::{ActorId, BinUnit, EventId, TimeWindow};
use crate::session::Document;

/// Lanes when nobody is selected: the busiest actors of the window.
const DEFAULT_LANES: usize = 8;
/// Most lanes drawn (a big selection is cut to its busiest).
const MAX_LANES: usize = 16;
/// Most marks drawn per lane (the events on screen, thinned evenly beyond it).
const MAX_MARKS_PER_LANE: usize = 4_000;
/// How close (points) a click must be to a mark to select it.
const CLICK_POINTS: f32 = 8.0;

/// The lanes: the selected actors (busiest first), else the window's busiest.
pub fn lanes(doc: &Document, selected: &[ActorId]) -> Vec<ActorId> {
    let events = &doc.counts.actor_events;
    let busy = |a: &ActorId| std::cmp::Reverse(events.get(*a as usize).copied().unwrap_or(0));
    let mut lanes: Vec<ActorId> = if selected.is_empty() {
        (0..events.len() as ActorId)
            .filter(|&a| events[a as usize] > 0)
            .collect()
    } else {
        selected.to_vec()
    };
    lanes.sort_by_key(busy);
    lanes.truncate(if selected.is_empty() {
        DEFAULT_LANES
    } else {
        MAX_LANES
    });
    lanes
}

/// One event's mark on a lane.
struct Mark {
    event: EventId,
    lane: usize,
    x: f64,
}

/// Draws the theme lines in the timeline's place.
pub fn theme_lines_ui(
    ui: &mut Ui,
    doc: &Document,
    state: &mut TimelineState,
    lanes: &[ActorId],
    (v0, v1): (f64, f64),
    unit: BinUnit,
    commands: &mut Vec<Command>,
) {
    let ds = &doc.dataset;
    let window = doc.window();
    let filter = &doc.counts.filter;
    let names: Vec<String> = lanes
        .iter()
        .map(|&a| ds.actors.get(a).name.clone())
        .collect();
    // Top lane first: lane i sits at y = n − 1 − i.
    let n = lanes.len();
    let y_of = |lane: usize| (n - 1 - lane) as f64;
    let mut marks: Vec<Mark> = Vec::new();
    for (lane, &actor) in lanes.iter().enumerate() {
        let on_screen: Vec<EventId> = doc
            .index
            .events_of_actor(actor)
            .iter()
            .copied()
            .filter(|&e| {
                let (s, t) = (ds.start[e as usize] as f64, (ds.end[e as usize] + 1) as f64);
                t >= v0 && s <= v1 && filter.accepts(ds, e)
            })
            .collect();
        let step = on_screen.len().div_ceil(MAX_MARKS_PER_LANE).max(1);
        for &e in on_screen.iter().step_by(step) {
            let x = (ds.start[e as usize] as f64 + (ds.end[e as usize] + 1) as f64) / 2.0;
            marks.push(Mark { event: e, lane, x });
        }
    }
    // Events two lanes share: a line between the lanes at the event's date.
    let mut links: Vec<(f64, usize, usize)> = Vec::new();
    {
        let mut by_event: rustc_hash::FxHashMap<EventId, (f64, usize, usize)> = Default::default();
        for m in &marks {
            by_event
                .entry(m.event)
                .and_modify(|l| {
                    l.1 = l.1.min(m.lane);
                    l.2 = l.2.max(m.lane);
                })
                .or_insert((m.x, m.lane, m.lane));
        }
        links.extend(by_event.into_values().filter(|l| l.1 != l.2));
    }

    let selection_fill = ui.visuals().selection.bg_fill.gamma_multiply(0.35);
    let selection_edge = ui.visuals().selection.stroke.color;
    let link_colour = ui.visuals().weak_text_color();
    let lane_colour = ui.visuals().widgets.noninteractive.bg_stroke.color;
    let plot = Plot::new("theme-lines-plot")
        .allow_drag(false)
        .allow_zoom(false)
        .allow_scroll(false)
        .allow_boxed_zoom(false)
        .allow_double_click_reset(false)
        .show_x(false)
        .show_y(false)
        .x_grid_spacer(date_marks)
        .x_axis_formatter(format_mark)
        .show_grid([true, false])
        .y_axis_formatter(|_, _| String::new())
        .y_axis_min_width(150.0);
    let window_span = |w: TimeWindow| (w.from as f64, (w.to + 1) as f64);
    let (span_from, span_until) = window_span(window);
    let response = plot.show(ui, |plot_ui| {
        plot_ui.set_plot_bounds_x(v0..=v1);
        plot_ui.set_plot_bounds_y(-0.6..=(n as f64 - 0.4).max(0.4));
        plot_ui.span(
            Span::new("time window", span_from..=span_until)
                .fill(selection_fill)
                .border(egui::Stroke::new(1.5, selection_edge)),
        );
        for lane in 0..n {
            let y = y_of(lane);
            plot_ui.line(
                Line::new("", PlotPoints::from(vec![[v0, y], [v1, y]]))
                    .color(lane_colour)
                    .width(1.0)
                    .allow_hover(false),
            );
        }
        for &(x, a, b) in &links {
            plot_ui.line(
                Line::new("", PlotPoints::from(vec![[x, y_of(a)], [x, y_of(b)]]))
                    .color(link_colour)
                    .width(1.2)
                    .allow_hover(false),
            );
        }
        // One series per class, so that each keeps its colour.
        for class in crate::model::EventClass::ALL {
            let points: Vec<[f64; 2]> = marks
                .iter()
                .filter(|m| ds.class[m.event as usize] == class)
                .map(|m| [m.x, y_of(m.lane)])
                .collect();
            if !points.is_empty() {
                plot_ui.points(
                    Points::new(class.label(), PlotPoints::from(points))
                        .color(theme::class_colour(class))
                        .radius(4.0)
                        .allow_hover(false),
                );
            }
        }
    });
    // The lanes' names left of the plot, one per lane however tight (the axis's own labels
    // thin out below some spacing).
    let painter = ui.painter();
    let font = egui::FontId::proportional(11.5);
    let text_colour = ui.visuals().text_color();
    let left = response.response.rect.left() - 6.0;
    for (lane, name) in names.iter().enumerate() {
        let y = response
            .transform
            .position_from_point(&egui_plot::PlotPoint::new(v0, y_of(lane)))
            .y;
        painter.text(
            egui::pos2(left, y),
            egui::Align2::RIGHT_CENTER,
            shorten(name, 24),
            font.clone(),
            text_colour,
        );
    }
    // Zoom, pan and the window's drag as on the bars; the bars' hover and click are off.
    plot_interaction(ui, doc, state, &response, (v0, v1), unit, commands);
    let r = &response.response;
    if r.clicked()
        && let Some(pos) = r.interact_pointer_pos()
    {
        let transform = &response.transform;
        let nearest = marks
            .iter()
            .map(|m| {
                let at =
                    transform.position_from_point(&egui_plot::PlotPoint::new(m.x, y_of(m.lane)));
                (at.distance(pos), m.event)
            })
            .filter(|(d, _)| *d <= CLICK_POINTS)
            .min_by(|a, b| a.0.total_cmp(&b.0));
        if let Some((_, event)) = nearest {
            let add = ui.input(|i| i.modifiers.shift || i.modifiers.command);
            commands.push(Command::SelectEvents(vec![event], add));
        }
    }
    if let Some(pos) = r.hover_pos() {
        let transform = &response.transform;
        let hovered = marks.iter().find(|m| {
            transform
                .position_from_point(&egui_plot::PlotPoint::new(m.x, y_of(m.lane)))
                .distance(pos)
                <= CLICK_POINTS
        });
        if let Some(m) = hovered {
            let e = m.event;
            let text = format!("{} · {}\n{}", ds.date_of(e), ds.type_name(e), ds.title(e));
            r.clone().on_hover_text_at_pointer(text);
        }
    }
}
