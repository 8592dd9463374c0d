//! The timeline: events per month as stacked bars (egui_plot) with real dates on the axis,
//! the time window drawn over them, sliders for its ends, and drag-to-select on the plot.

use std::ops::RangeInclusive;

use eframe::egui::{self, Ui};
use egui_plot::{Bar, BarChart, GridInput, GridMark, Plot, Span};

use super::Command;
use super::document::Document;
use super::theme;
use crate::model::{DayNumber, EventClass, TimeWindow, civil_from_day, day_number, format_day};

const MONTH_NAMES: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

/// Timeline state that lives across frames: where a drag on the plot started, and the
/// date boxes' text while the user edits it.
#[derive(Default)]
pub struct TimelineState {
    drag_anchor: Option<DayNumber>,
    from_text: String,
    to_text: String,
    date_problem: Option<String>,
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
fn date_marks(input: GridInput) -> Vec<GridMark> {
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
                for d in (1 + step..=crate::model::days_in_month(y, m)).step_by(step as usize) {
                    // Skip the last day or two, so that no mark crowds the next month's.
                    if d + step / 2 > crate::model::days_in_month(y, m) {
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

fn format_mark(mark: GridMark, _range: &RangeInclusive<f64>) -> String {
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

/// Draws the window controls and the plot; returns commands for window changes.
pub fn timeline_ui(
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
        let from_edit = date_box_ui(ui, "From", window.from, &mut state.from_text, false);
        let to_edit = date_box_ui(ui, "To", window.to, &mut state.to_text, true);
        for (edit, is_end) in [(from_edit, false), (to_edit, true)] {
            match edit {
                Some(Ok(day)) => {
                    state.date_problem = None;
                    // Moving one end past the other pushes it along.
                    let w = if is_end {
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
        let (mut from, mut to) = (window.from, window.to);
        let slider = ui.add(
            egui::RangeSlider::new(&mut from, &mut to, lo..=hi)
                .text("Window")
                .show_value(false),
        );
        if slider.changed() {
            commands.push(Command::SetWindow(TimeWindow::new(from, to)));
        }
        if ui
            .add_enabled(
                window != TimeWindow::all(&doc.dataset),
                egui::Button::new("Show all"),
            )
            .on_hover_text("Widen the window to every event")
            .clicked()
        {
            commands.push(Command::SetWindow(TimeWindow::all(&doc.dataset)));
        }
        ui.separator();
        ui.label(format!(
            "{} of {} events in the window",
            doc.counts.events,
            doc.dataset.len()
        ));
    });
    if let Some(problem) = &state.date_problem {
        ui.colored_label(ui.visuals().warn_fg_color, problem);
    }

    // Bars at least ~3 points wide, so that a month stays visible on a decades-long axis.
    let span_days = (hi - lo).max(1) as f64;
    let min_bar_days = 3.0 * span_days / ui.available_width().max(100.0) as f64;
    let histogram = &doc.histogram;
    let mut charts: Vec<BarChart> = Vec::new();
    for class in EventClass::ALL {
        if !doc.has_class(class) {
            continue;
        }
        let bars: Vec<Bar> = histogram
            .bins
            .iter()
            .filter(|(_, _, c)| c[class.index()] > 0)
            .map(|&(start, days, c)| {
                Bar::new(start as f64 + days as f64 / 2.0, c[class.index()] as f64)
                    .width((days as f64 * 0.85).max(min_bar_days))
                    .name(histogram.unit.label(start))
            })
            .collect();
        let mut chart = BarChart::new(class.label(), bars)
            .color(theme::class_colour(class))
            .element_formatter(Box::new(move |bar, _| {
                format!("{}: {} {}", bar.name, bar.value, class.label())
            }));
        let below: Vec<&BarChart> = charts.iter().collect();
        if !below.is_empty() {
            chart = chart.stack_on(&below);
        }
        charts.push(chart);
    }

    let selection_fill = ui.visuals().selection.bg_fill.gamma_multiply(0.35);
    let selection_edge = ui.visuals().selection.stroke.color;
    let max = doc.histogram.max_total().max(1) as f64;
    let pad = ((hi - lo) as f64 * 0.02).max(2.0);
    let plot = Plot::new("timeline-plot")
        .allow_drag(false)
        // Wheel and pinch zoom the dates; a double click shows all again. Drags draw windows.
        .allow_zoom([true, false])
        .allow_scroll([true, false])
        .allow_boxed_zoom(false)
        .show_x(false)
        .show_y(false)
        .include_x(lo as f64 - pad)
        .include_x(hi as f64 + pad)
        .include_y(0.0)
        .include_y(max * 1.1)
        .x_grid_spacer(date_marks)
        .x_axis_formatter(format_mark)
        .y_axis_min_width(24.0)
        .y_axis_label("events")
        .legend(egui_plot::Legend::default().position(egui_plot::Corner::LeftTop));
    let response = plot.show(ui, |plot_ui| {
        for chart in charts {
            plot_ui.bar_chart(chart);
        }
        plot_ui.span(
            Span::new("time window", window.from as f64..=(window.to + 1) as f64)
                .fill(selection_fill)
                .border(egui::Stroke::new(1.5, selection_edge)),
        );
        plot_ui.pointer_coordinate()
    });

    // Drag on the plot draws a new window from where the drag started.
    let r = &response.response;
    let day_at = |x: f64| (x.floor() as DayNumber).clamp(lo, hi);
    if r.drag_started()
        && let Some(p) = response.inner
    {
        state.drag_anchor = Some(day_at(p.x));
    }
    if r.dragged()
        && let (Some(anchor), Some(p)) = (state.drag_anchor, response.inner)
    {
        let w = TimeWindow::new(anchor, day_at(p.x));
        if w != window {
            commands.push(Command::SetWindow(w));
        }
    }
    if r.drag_stopped() {
        state.drag_anchor = None;
    }
}
