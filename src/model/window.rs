//! Aggregation of a time window into node and edge counts, kept up to date incrementally:
//! moving the window touches only the events that enter or leave it.

use super::dataset::{Dataset, EventId};
use super::date::DayNumber;

/// An inclusive range of days. An event is inside when the days it covers overlap the range.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TimeWindow {
    pub from: DayNumber,
    pub to: DayNumber,
}

impl TimeWindow {
    pub fn new(from: DayNumber, to: DayNumber) -> Self {
        Self {
            from: from.min(to),
            to: from.max(to),
        }
    }

    /// The window that holds every event of the dataset.
    pub fn all(dataset: &Dataset) -> Self {
        let (from, to) = dataset.day_range().unwrap_or((0, 0));
        Self { from, to }
    }
}

/// Which events count: by class and by event type. Applied while counting, so every view
/// (map, timeline totals, inspector) agrees on what "in the window" means.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EventFilter {
    /// Per [`super::EventClass`] index.
    pub classes: [bool; 5],
    /// Per type id (`Dataset::types`); empty means every type.
    pub types: Vec<bool>,
}

impl Default for EventFilter {
    fn default() -> Self {
        Self::all()
    }
}

impl EventFilter {
    /// Lets every event through.
    pub fn all() -> Self {
        Self {
            classes: [true; 5],
            types: Vec::new(),
        }
    }

    pub fn is_all(&self) -> bool {
        self.classes.iter().all(|&c| c) && self.types.iter().all(|&t| t)
    }

    pub fn accepts(&self, dataset: &Dataset, event: EventId) -> bool {
        let e = event as usize;
        self.classes[dataset.class[e].index()]
            && self
                .types
                .get(dataset.type_of[e] as usize)
                .is_none_or(|&on| on)
    }
}

/// Per-actor and per-pair event counts for the events in a window. Events, not rows: a row
/// that stands for several events ([`Dataset::multiplicity`]) counts as that many.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WindowCounts {
    pub window: TimeWindow,
    pub events: u32,
    /// Events in the window per actor (`ActorId` indexes).
    pub actor_events: Vec<u32>,
    /// Events in the window per actor pair (`PairId` indexes).
    pub pair_events: Vec<u32>,
    /// Per pair, events by [`super::EventClass`] index.
    pub pair_classes: Vec<[u32; 5]>,
    /// Per pair `(a, b)`, events whose first actor (the initiator, in directed formats) is
    /// `a`, and those whose first actor is `b`.
    pub pair_initiated: Vec<[u32; 2]>,
    pub filter: EventFilter,
}

impl WindowCounts {
    /// Counts a window from scratch, every event.
    pub fn full(dataset: &Dataset, window: TimeWindow) -> Self {
        Self::filtered(dataset, window, EventFilter::all())
    }

    /// Counts a window from scratch, the events `filter` accepts.
    pub fn filtered(dataset: &Dataset, window: TimeWindow, filter: EventFilter) -> Self {
        let mut counts = Self {
            window,
            events: 0,
            actor_events: vec![0; dataset.actors.len()],
            pair_events: vec![0; dataset.pairs.len()],
            pair_classes: vec![[0; 5]; dataset.pairs.len()],
            pair_initiated: vec![[0; 2]; dataset.pairs.len()],
            filter,
        };
        // Events are sorted by start: only those starting by `to` can be inside.
        let upto = dataset.start.partition_point(|&s| s <= window.to);
        for e in 0..upto as EventId {
            if dataset.end[e as usize] >= window.from {
                counts.apply(dataset, e, 1);
            }
        }
        counts
    }

    fn apply(&mut self, dataset: &Dataset, event: EventId, sign: i32) {
        if !self.filter.accepts(dataset, event) {
            return;
        }
        // An aggregate row counts as the events it stands for.
        let delta = sign.wrapping_mul(dataset.multiplicity(event) as i32);
        let add = |c: &mut u32| *c = c.wrapping_add_signed(delta);
        add(&mut self.events);
        let actors = dataset.actors_of(event);
        for &a in actors {
            add(&mut self.actor_events[a as usize]);
        }
        let first = actors.first().copied();
        let class = dataset.class[event as usize].index();
        for &p in dataset.pairs_of(event) {
            let p = p as usize;
            add(&mut self.pair_events[p]);
            add(&mut self.pair_classes[p][class]);
            let (a, b) = dataset.pairs[p];
            if first == Some(a) {
                add(&mut self.pair_initiated[p][0]);
            } else if first == Some(b) {
                add(&mut self.pair_initiated[p][1]);
            }
        }
    }

    /// Counts the same window again under another filter.
    pub fn set_filter(&mut self, dataset: &Dataset, filter: EventFilter) {
        if filter != self.filter {
            *self = Self::filtered(dataset, self.window, filter);
        }
    }

    /// Moves to `window`, updating only for the events whose membership changes: those that
    /// start between the old and new `to`, or end between the old and new `from`.
    /// Returns how many events were looked at.
    pub fn move_to(&mut self, dataset: &Dataset, window: TimeWindow) -> usize {
        let old = self.window;
        if old == window {
            return 0;
        }
        let inside = |w: TimeWindow, e: EventId| dataset.overlaps(e, w.from, w.to);
        let mut touched = 0;
        // Events whose start lies in (lo, hi] of the two `to` values.
        let (lo_to, hi_to) = (old.to.min(window.to), old.to.max(window.to));
        let a = dataset.start.partition_point(|&s| s <= lo_to);
        let b = dataset.start.partition_point(|&s| s <= hi_to);
        for e in a as EventId..b as EventId {
            touched += 1;
            let (was, is) = (inside(old, e), inside(window, e));
            if was != is {
                self.apply(dataset, e, if is { 1 } else { -1 });
            }
        }
        // Events whose end lies in [lo, hi) of the two `from` values; skip those handled above.
        let (lo_from, hi_from) = (old.from.min(window.from), old.from.max(window.from));
        let c = dataset
            .by_end
            .partition_point(|&e| dataset.end[e as usize] < lo_from);
        let d = dataset
            .by_end
            .partition_point(|&e| dataset.end[e as usize] < hi_from);
        for &e in &dataset.by_end[c..d] {
            let s = dataset.start[e as usize];
            if s > lo_to && s <= hi_to {
                continue;
            }
            touched += 1;
            let (was, is) = (inside(old, e), inside(window, e));
            if was != is {
                self.apply(dataset, e, if is { 1 } else { -1 });
            }
        }
        self.window = window;
        touched
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{DatasetBuilder, NewEvent, PartialDate};

    /// A small deterministic generator, so the test needs no extra crate.
    struct Lcg(u64);
    impl Lcg {
        fn next(&mut self, n: u32) -> u32 {
            self.0 = self
                .0
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            ((self.0 >> 33) % n as u64) as u32
        }
    }

    fn random_dataset(rng: &mut Lcg, events: usize) -> Dataset {
        let mut b = DatasetBuilder::new();
        let names: Vec<_> = (0..12)
            .map(|i| b.actor(&format!("Actor {i}"), None).unwrap())
            .collect();
        for i in 0..events {
            let year = 2020 + rng.next(3) as i32;
            let date = match rng.next(3) {
                0 => PartialDate::new(year, None, None),
                1 => PartialDate::new(year, Some(1 + rng.next(12) as u8), None),
                _ => PartialDate::ymd(year, 1 + rng.next(12) as u8, 1 + rng.next(28) as u8),
            }
            .unwrap();
            let n = 1 + rng.next(3) as usize;
            let actors = (0..n).map(|_| names[rng.next(12) as usize]).collect();
            // Some rows are aggregates of several events.
            let count = if rng.next(5) == 0 {
                2 + rng.next(40)
            } else {
                1
            };
            b.push(NewEvent {
                date,
                actors,
                count,
                line: i as u32 + 2,
                ..NewEvent::default()
            });
        }
        b.finish(None)
    }

    #[test]
    fn incremental_moves_equal_a_full_recount() {
        let mut rng = Lcg(7);
        let ds = random_dataset(&mut rng, 600);
        let (lo, hi) = ds.day_range().unwrap();
        let mut counts = WindowCounts::full(&ds, TimeWindow::new(lo, hi));
        for _ in 0..400 {
            let a = lo - 30 + rng.next((hi - lo + 60) as u32) as i32;
            let w = match rng.next(3) {
                // Slider steps of one day, as playback does.
                0 => TimeWindow::new(counts.window.from + 1, counts.window.to + 1),
                1 => TimeWindow::new(a, a + rng.next(200) as i32),
                _ => TimeWindow::new(a, lo - 30 + rng.next((hi - lo + 60) as u32) as i32),
            };
            counts.move_to(&ds, w);
            assert_eq!(counts, WindowCounts::full(&ds, w), "window {w:?}");
        }
    }

    #[test]
    fn aggregate_rows_count_as_their_events() {
        let mut rng = Lcg(3);
        let ds = random_dataset(&mut rng, 300);
        assert!(ds.is_aggregated());
        let all = WindowCounts::full(&ds, TimeWindow::all(&ds));
        assert_eq!(u64::from(all.events), ds.event_total());
        assert!(ds.event_total() > ds.len() as u64);
        let mut pairs = vec![0u32; ds.pairs.len()];
        for e in 0..ds.len() as EventId {
            for &p in ds.pairs_of(e) {
                pairs[p as usize] += ds.multiplicity(e);
            }
        }
        assert_eq!(all.pair_events, pairs);
    }

    #[test]
    fn one_day_step_touches_only_entering_and_leaving_events() {
        let mut rng = Lcg(11);
        let ds = random_dataset(&mut rng, 2000);
        let (lo, _) = ds.day_range().unwrap();
        let mut counts = WindowCounts::full(&ds, TimeWindow::new(lo + 100, lo + 200));
        let touched = counts.move_to(&ds, TimeWindow::new(lo + 101, lo + 201));
        assert!(touched < 60, "touched {touched} of {}", ds.len());
    }
}
