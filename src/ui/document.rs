//! An open event file as the UI holds it: the dataset plus everything derived from it once
//! (layout, monthly histogram) and the counts of the current time window.

use std::path::PathBuf;

use crate::io::{Diagnostics, Format, Loaded};
use crate::layout::{self, Point};
use crate::model::{
    Dataset, DayNumber, EventClass, TimeWindow, WindowCounts, civil_from_day, day_number,
    days_in_month,
};

/// Events per calendar month, by class: what the timeline draws.
#[derive(Clone, Debug, Default)]
pub struct MonthHistogram {
    /// `(first day of the month, days in the month, events by class)`, one per month from the
    /// first to the last month with events, empty months included.
    pub months: Vec<(DayNumber, u8, [u32; 5])>,
}

impl MonthHistogram {
    /// Bins events by the month of their first day.
    pub fn of(dataset: &Dataset) -> Self {
        let Some((first, last)) = dataset.day_range() else {
            return Self::default();
        };
        let month_index = |day: DayNumber| {
            let (y, m, _) = civil_from_day(day);
            y * 12 + m as i32 - 1
        };
        let (lo, hi) = (month_index(first), month_index(last.max(first)));
        let mut months: Vec<(DayNumber, u8, [u32; 5])> = (lo..=hi)
            .map(|i| {
                let (y, m) = (i.div_euclid(12), (i.rem_euclid(12) + 1) as u8);
                (day_number(y, m, 1), days_in_month(y, m), [0; 5])
            })
            .collect();
        for (e, &start) in dataset.start.iter().enumerate() {
            let slot = (month_index(start) - lo) as usize;
            months[slot].2[dataset.class[e].index()] += 1;
        }
        Self { months }
    }

    pub fn max_total(&self) -> u32 {
        self.months
            .iter()
            .map(|(_, _, c)| c.iter().sum::<u32>())
            .max()
            .unwrap_or(0)
    }
}

/// A loaded file with its view of time.
pub struct Document {
    /// What the title bar and status bar call it.
    pub name: String,
    pub path: Option<PathBuf>,
    pub format: Format,
    pub dataset: Dataset,
    pub diagnostics: Diagnostics,
    pub positions: Vec<Point>,
    /// Whether the positions come from the grouped layout (countries ringed by their actors).
    pub grouped: bool,
    pub histogram: MonthHistogram,
    pub counts: WindowCounts,
    /// Classes present in the data, for the legend.
    pub classes_present: [bool; 5],
}

impl Document {
    pub fn new(name: String, path: Option<PathBuf>, loaded: Loaded) -> Self {
        let dataset = loaded.dataset;
        let positions = layout::automatic(&dataset);
        let grouped = dataset.actors.len() <= layout::GROUPED_MAX_ACTORS;
        let histogram = MonthHistogram::of(&dataset);
        let counts = WindowCounts::full(&dataset, TimeWindow::all(&dataset));
        let mut classes_present = [false; 5];
        for class in &dataset.class {
            classes_present[class.index()] = true;
        }
        Self {
            name,
            path,
            format: loaded.format,
            dataset,
            diagnostics: loaded.diagnostics,
            positions,
            grouped,
            histogram,
            counts,
            classes_present,
        }
    }

    pub fn window(&self) -> TimeWindow {
        self.counts.window
    }

    /// Moves the window, clamped to the data, updating the counts incrementally.
    pub fn set_window(&mut self, window: TimeWindow) {
        let (lo, hi) = self.dataset.day_range().unwrap_or((0, 0));
        let clamped = TimeWindow::new(window.from.clamp(lo, hi), window.to.clamp(lo, hi));
        self.counts.move_to(&self.dataset, clamped);
    }

    pub fn has_class(&self, class: EventClass) -> bool {
        self.classes_present[class.index()]
    }
}
