//! An open event file as the UI holds it: the dataset plus everything derived from it once
//! (layout, monthly histogram) and the counts of the current time window.

use std::path::PathBuf;

use crate::io::{Diagnostics, Format, Loaded};
use crate::layout::{self, Point};
use crate::model::{
    Dataset, DayNumber, EventClass, TimeWindow, WindowCounts, civil_from_day, day_number,
    days_in_month, format_day,
};

/// The length of the timeline's bars.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BinUnit {
    Day,
    Month,
    Year,
}

impl BinUnit {
    /// The unit that suits the bulk of the data: the span between the 5th and 95th
    /// percentile of event days, so that one early outlier does not flatten the chart.
    pub fn for_dataset(dataset: &Dataset) -> Self {
        let n = dataset.start.len();
        if n == 0 {
            return Self::Month;
        }
        let trim = (n as f64 * 0.05).ceil() as usize;
        let trim = trim.min((n - 1) / 2);
        let (lo, hi) = (dataset.start[trim], dataset.start[n - 1 - trim]);
        match hi - lo {
            0..=120 => Self::Day,
            121..=5_500 => Self::Month,
            _ => Self::Year,
        }
    }

    /// The first day of the bin holding `day`.
    pub fn bin_start(self, day: DayNumber) -> DayNumber {
        let (y, m, _) = civil_from_day(day);
        match self {
            Self::Day => day,
            Self::Month => day_number(y, m, 1),
            Self::Year => day_number(y, 1, 1),
        }
    }

    /// The first day of the next bin.
    pub fn next(self, start: DayNumber) -> DayNumber {
        let (y, m, _) = civil_from_day(start);
        match self {
            Self::Day => start + 1,
            Self::Month => start + days_in_month(y, m) as DayNumber,
            Self::Year => day_number(y + 1, 1, 1),
        }
    }

    /// "2018-06-01", "Jun 2018" or "2018".
    pub fn label(self, start: DayNumber) -> String {
        const MONTHS: [&str; 12] = [
            "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
        ];
        let (y, m, _) = civil_from_day(start);
        match self {
            Self::Day => format_day(start),
            Self::Month => format!("{} {y}", MONTHS[m as usize - 1]),
            Self::Year => format!("{y}"),
        }
    }
}

/// Events per bin (day, month or year), by class: what the timeline draws.
#[derive(Clone, Debug)]
pub struct Histogram {
    pub unit: BinUnit,
    /// `(first day, days in the bin, events by class)`, from the first to the last bin with
    /// events, empty bins included.
    pub bins: Vec<(DayNumber, u16, [u32; 5])>,
}

impl Histogram {
    /// Bins events by their first day, in the unit that suits the data.
    pub fn of(dataset: &Dataset) -> Self {
        let unit = BinUnit::for_dataset(dataset);
        let mut bins: Vec<(DayNumber, u16, [u32; 5])> = Vec::new();
        let Some((first, _)) = dataset.day_range() else {
            return Self { unit, bins };
        };
        let last = *dataset.start.last().unwrap_or(&first);
        let mut start = unit.bin_start(first);
        while start <= last {
            let next = unit.next(start);
            bins.push((start, (next - start) as u16, [0; 5]));
            start = next;
        }
        // Events are sorted by start: walk bins and events together.
        let mut slot = 0;
        for (e, &day) in dataset.start.iter().enumerate() {
            while slot + 1 < bins.len() && bins[slot + 1].0 <= day {
                slot += 1;
            }
            bins[slot].2[dataset.class[e].index()] += 1;
        }
        Self { unit, bins }
    }

    pub fn max_total(&self) -> u32 {
        self.bins
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
    pub histogram: Histogram,
    pub counts: WindowCounts,
    /// Classes present in the data, for the legend.
    pub classes_present: [bool; 5],
}

impl Document {
    pub fn new(name: String, path: Option<PathBuf>, loaded: Loaded) -> Self {
        let dataset = loaded.dataset;
        let positions = layout::automatic(&dataset);
        let grouped = dataset.actors.len() <= layout::GROUPED_MAX_ACTORS;
        let histogram = Histogram::of(&dataset);
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{DatasetBuilder, NewEvent, PartialDate};

    fn dataset(dates: &[&str]) -> Dataset {
        let mut b = DatasetBuilder::new();
        let a = b.actor("Belarus", None).unwrap();
        for d in dates {
            b.push(NewEvent {
                date: PartialDate::parse(d).unwrap(),
                actors: vec![a],
                ..NewEvent::default()
            });
        }
        b.finish(None)
    }

    #[test]
    fn bins_suit_the_bulk_of_the_data_and_count_every_event() {
        let days = dataset(&["2018-06-01", "2018-06-01", "2018-06-02"]);
        let h = Histogram::of(&days);
        assert_eq!(h.unit, BinUnit::Day);
        assert_eq!(h.bins.len(), 2);
        assert_eq!(h.max_total(), 2);
        // One early outlier does not turn 2023–2025 into yearly bars.
        let mut dates = vec!["1993"];
        dates.extend([
            "2023-03", "2023-11", "2024-02", "2024-04", "2024-05", "2024-07",
        ]);
        dates.extend(["2024-08", "2024-08", "2025", "2025-03-14", "2025-03"]);
        let story = dataset(&dates);
        let h = Histogram::of(&story);
        assert_eq!(h.unit, BinUnit::Month);
        let total: u32 = h.bins.iter().map(|b| b.2.iter().sum::<u32>()).sum();
        assert_eq!(total as usize, dates.len());
        assert_eq!(h.unit.label(h.bins[0].0), "Jan 1993");
    }
}
