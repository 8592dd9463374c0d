//! An open event file as the UI holds it: the dataset plus everything derived from it once
//! (layout, monthly histogram) and the counts of the current time window.

use std::path::PathBuf;

use crate::export::scene::PairTypes;
use crate::io::{Diagnostics, Format, Loaded};
use crate::layout::{self, LayoutKind, Point};
use crate::model::{
    ActorId, Dataset, DayNumber, EventClass, EventFilter, TimeWindow, WindowCounts, civil_from_day,
    day_number, days_in_month, format_day,
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
    /// Where each actor is drawn now (moving towards `target` while a layout changes).
    pub positions: Vec<Point>,
    /// Where each actor is going: the layout's positions.
    pub target: Vec<Point>,
    pub layout: LayoutKind,
    /// Per actor: fixed in place by the user.
    pub pinned: Vec<bool>,
    /// Per actor: a country drawn with its members folded into it.
    pub collapsed: Vec<bool>,
    /// The format says who acted on whom (GDELT, ICEWS): edges get arrows.
    pub directed: bool,
    /// Dominant event type per pair in the window, while edges are coloured by type.
    pub pair_types: Option<PairTypes>,
    pub histogram: Histogram,
    pub counts: WindowCounts,
    /// Classes present in the data, for the legend.
    pub classes_present: [bool; 5],
}

impl Document {
    pub fn new(name: String, path: Option<PathBuf>, loaded: Loaded) -> Self {
        let dataset = loaded.dataset;
        let positions = layout::automatic(&dataset);
        let n = dataset.actors.len();
        let layout = LayoutKind::automatic(&dataset);
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
            target: positions.clone(),
            positions,
            layout,
            pinned: vec![false; n],
            collapsed: vec![false; n],
            directed: matches!(
                loaded.format,
                Format::Gdelt1 | Format::Gdelt2 | Format::Icews
            ),
            pair_types: None,
            histogram,
            counts,
            classes_present,
        }
    }

    /// Where the actors with events in the window are going: what "fit to view" frames.
    pub fn visible_positions(&self) -> Vec<Point> {
        let visible: Vec<Point> = (0..self.dataset.actors.len())
            .filter(|&a| self.counts.actor_events[a] > 0)
            .map(|a| self.target[a])
            .collect();
        if visible.is_empty() {
            self.target.clone()
        } else {
            visible
        }
    }

    /// Moves the drawn positions a share of the way to the targets (an ease-out of about a
    /// third of a second). Returns whether anything is still moving.
    pub fn animate(&mut self, dt: f32) -> bool {
        let t = 1.0 - (-dt.clamp(0.0, 0.1) / 0.08).exp();
        let mut moving = false;
        for (p, q) in self.positions.iter_mut().zip(&self.target) {
            let (dx, dy) = (q[0] - p[0], q[1] - p[1]);
            if dx.abs() + dy.abs() < 0.05 {
                *p = *q;
                continue;
            }
            moving = true;
            p[0] += dx * t;
            p[1] += dy * t;
        }
        moving
    }

    /// Switches to `kind`, computed here unless it is the force layout (streamed by the
    /// app's worker). Pinned actors keep their place.
    pub fn set_layout(&mut self, kind: LayoutKind) {
        self.layout = kind;
        if kind == LayoutKind::Force {
            return;
        }
        let mut target = kind.positions(&self.dataset, &self.target);
        for (a, &pinned) in self.pinned.iter().enumerate() {
            if pinned {
                target[a] = self.target[a];
            }
        }
        self.target = target;
    }

    /// Takes positions streamed from the force worker, keeping pinned ones.
    pub fn take_force_positions(&mut self, positions: &[Point]) {
        if positions.len() != self.target.len() {
            return;
        }
        for (a, &p) in positions.iter().enumerate() {
            if !self.pinned[a] {
                self.target[a] = p;
            }
        }
    }

    /// Moves an actor by a world offset at once (a drag), and pins it.
    pub fn move_actor(&mut self, actor: ActorId, delta: Point) {
        let a = actor as usize;
        if a < self.target.len() {
            self.target[a][0] += delta[0];
            self.target[a][1] += delta[1];
            self.positions[a] = self.target[a];
            self.pinned[a] = true;
        }
    }

    /// The actor whose name or alias best matches `text`: exact, then prefix, then
    /// substring, ignoring case; among equals the most active.
    pub fn find_actor(&self, text: &str) -> Option<ActorId> {
        let needle = crate::model::normalise_name(text);
        if needle.is_empty() {
            return None;
        }
        let actors = &self.dataset.actors;
        let score = |a: ActorId| -> Option<u8> {
            let actor = actors.get(a);
            std::iter::once(&actor.name)
                .chain(&actor.aliases)
                .chain(actor.iso3.as_ref())
                .filter_map(|name| {
                    let name = crate::model::normalise_name(name);
                    if name == needle {
                        Some(3)
                    } else if name.starts_with(&needle) {
                        Some(2)
                    } else if name.contains(&needle) {
                        Some(1)
                    } else {
                        None
                    }
                })
                .max()
        };
        (0..actors.len() as ActorId)
            .filter_map(|a| score(a).map(|s| (s, self.counts.actor_events[a as usize], a)))
            .max_by_key(|&(s, events, a)| (s, events, std::cmp::Reverse(a)))
            .map(|(_, _, a)| a)
    }

    pub fn set_filter(&mut self, filter: EventFilter) {
        self.counts.set_filter(&self.dataset, filter);
        self.pair_types = None;
    }

    pub fn window(&self) -> TimeWindow {
        self.counts.window
    }

    /// Moves the window, clamped to the data, updating the counts incrementally.
    pub fn set_window(&mut self, window: TimeWindow) {
        let (lo, hi) = self.dataset.day_range().unwrap_or((0, 0));
        let clamped = TimeWindow::new(window.from.clamp(lo, hi), window.to.clamp(lo, hi));
        if self.counts.move_to(&self.dataset, clamped) > 0 {
            self.pair_types = None;
        }
    }

    /// Computes the pair types for colouring by type, if not known for this window.
    pub fn ensure_pair_types(&mut self) {
        if self.pair_types.is_none() {
            self.pair_types = Some(PairTypes::of(&self.dataset, &self.counts));
        }
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
