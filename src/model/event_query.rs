//! The rows of the event table: the events of a time window that pass the filter and match
//! a text search, sorted by a column. Kept out of the UI so that it is tested and benched
//! on its own; on a million events it runs on every core (rayon).

use memchr::memmem;
use rayon::prelude::*;

use super::{Dataset, EventFilter, EventId, TimeWindow};

/// The event table's columns, and what it can be sorted by.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum EventColumn {
    Date,
    Actors,
    Type,
    Title,
    Location,
    Source,
    /// How many events the row stands for; shown only for datasets of aggregates.
    Count,
}

impl EventColumn {
    /// The columns of a dataset of plain events ([`Self::AGGREGATED`] adds the count).
    pub const ALL: [Self; 6] = [
        Self::Date,
        Self::Actors,
        Self::Type,
        Self::Title,
        Self::Location,
        Self::Source,
    ];

    /// The columns of a dataset whose rows are aggregates: the count after the date.
    pub const AGGREGATED: [Self; 7] = [
        Self::Date,
        Self::Count,
        Self::Actors,
        Self::Type,
        Self::Title,
        Self::Location,
        Self::Source,
    ];

    pub fn label(self) -> &'static str {
        match self {
            Self::Date => "Date",
            Self::Actors => "Actors",
            Self::Type => "Type",
            Self::Title => "Title",
            Self::Location => "Location",
            Self::Source => "Source",
            Self::Count => "Count",
        }
    }
}

/// Which events, in which order.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EventQuery {
    pub window: TimeWindow,
    pub filter: EventFilter,
    /// Matched without regard to case against title, actor names and aliases, type,
    /// location and source. Empty matches everything. On a dataset whose details are read
    /// on demand (an index) only actors and type are searched: the details of millions of
    /// events would be read from their source files at every keystroke.
    pub search: String,
    pub sort: EventColumn,
    pub ascending: bool,
}

impl EventQuery {
    /// The events in order. With `among`, only those events (sorted by id) are considered.
    pub fn run(&self, ds: &Dataset, among: Option<&[EventId]>) -> Vec<EventId> {
        let w = self.window;
        // Events are stored by start day: only those that start by the window's end count.
        let upto = ds.start.partition_point(|&s| s <= w.to) as EventId;
        let keep = |e: EventId| ds.end[e as usize] >= w.from && self.filter.accepts(ds, e);
        let mut rows: Vec<EventId> = match among {
            Some(list) => list
                .iter()
                .copied()
                .filter(|&e| e < upto && keep(e))
                .collect(),
            None => (0..upto).into_par_iter().filter(|&e| keep(e)).collect(),
        };
        let needle = self.search.trim().to_lowercase();
        if !needle.is_empty() {
            let matcher = Matcher::new(ds, &needle);
            rows = rows
                .into_par_iter()
                .map_init(Vec::new, |buffer, e| {
                    matcher.matches(ds, e, buffer).then_some(e)
                })
                .flatten()
                .collect();
        }
        self.sort_rows(ds, &mut rows);
        rows
    }

    /// Sorts by the column (stable: ties stay in date order), descending if asked.
    fn sort_rows(&self, ds: &Dataset, rows: &mut [EventId]) {
        // Sorting by a detail would read every event's from its source file (an index):
        // such a table stays in date order.
        let on_demand = ds.details_on_demand()
            && matches!(
                self.sort,
                EventColumn::Title | EventColumn::Location | EventColumn::Source
            );
        let sort = if on_demand {
            EventColumn::Date
        } else {
            self.sort
        };
        match sort {
            // Stored by start day already; ties by end day.
            EventColumn::Date => {
                rows.par_sort_by_key(|&e| (ds.start[e as usize], ds.end[e as usize], e))
            }
            EventColumn::Actors => {
                // Keys computed once per row, not per comparison: sorting 1M rows by
                // a key looked up through the actor lists took 370 ms, this 30-odd.
                let rank = actor_ranks(ds);
                let mut keyed: Vec<(u64, EventId)> = rows
                    .par_iter()
                    .map(|&e| {
                        let actors = ds.actors_of(e);
                        let first = actors.first().map_or(u32::MAX, |&a| rank[a as usize]);
                        let second = actors.get(1).map_or(u32::MAX, |&a| rank[a as usize]);
                        (((first as u64) << 32) | second as u64, e)
                    })
                    .collect();
                keyed.par_sort_unstable();
                for (row, (_, e)) in rows.iter_mut().zip(keyed) {
                    *row = e;
                }
            }
            EventColumn::Type => {
                let rank = ranks(&ds.types);
                let mut keyed: Vec<(u32, EventId)> = rows
                    .iter()
                    .map(|&e| (rank[ds.type_of[e as usize] as usize], e))
                    .collect();
                keyed.par_sort_unstable();
                for (row, (_, e)) in rows.iter_mut().zip(keyed) {
                    *row = e;
                }
            }
            EventColumn::Title => rows.par_sort_by(|&x, &y| {
                let (x_text, y_text) = (ds.title(x), ds.title(y));
                x_text.cmp(y_text).then(x.cmp(&y))
            }),
            EventColumn::Location => {
                rows.par_sort_by(|&x, &y| ds.location(x).cmp(ds.location(y)).then(x.cmp(&y)))
            }
            EventColumn::Source => {
                rows.par_sort_by(|&x, &y| ds.url(x).cmp(ds.url(y)).then(x.cmp(&y)))
            }
            EventColumn::Count => rows.par_sort_by_key(|&e| (ds.multiplicity(e), e)),
        }
        if !self.ascending {
            rows.reverse();
        }
    }
}

/// Each string's place in case-insensitive alphabetical order.
fn ranks(names: &[String]) -> Vec<u32> {
    let lower: Vec<String> = names.iter().map(|n| n.to_lowercase()).collect();
    let mut order: Vec<u32> = (0..names.len() as u32).collect();
    order.sort_by(|&a, &b| lower[a as usize].cmp(&lower[b as usize]));
    let mut rank = vec![0u32; names.len()];
    for (place, &i) in order.iter().enumerate() {
        rank[i as usize] = place as u32;
    }
    rank
}

fn actor_ranks(ds: &Dataset) -> Vec<u32> {
    let names: Vec<String> = ds.actors.iter().map(|(_, a)| a.name.clone()).collect();
    ranks(&names)
}

/// A lower-case search, with the verdicts for actors and types worked out once.
struct Matcher<'a> {
    finder: memmem::Finder<'a>,
    actor_matches: Vec<bool>,
    type_matches: Vec<bool>,
}

impl<'a> Matcher<'a> {
    fn new(ds: &Dataset, needle: &'a str) -> Self {
        let finder = memmem::Finder::new(needle.as_bytes());
        let hit = |text: &str| finder.find(text.to_lowercase().as_bytes()).is_some();
        let actor_matches = ds
            .actors
            .iter()
            .map(|(_, a)| {
                hit(&a.name)
                    || a.aliases.iter().any(|x| hit(x))
                    || a.iso3.as_deref().is_some_and(hit)
            })
            .collect();
        let type_matches = ds.types.iter().map(|t| hit(t)).collect();
        Self {
            finder,
            actor_matches,
            type_matches,
        }
    }

    /// `buffer` holds a lower-cased field between calls (one per thread, no allocation).
    fn matches(&self, ds: &Dataset, e: EventId, buffer: &mut Vec<u8>) -> bool {
        if ds
            .actors_of(e)
            .iter()
            .any(|&a| self.actor_matches[a as usize])
            || self.type_matches[ds.type_of[e as usize] as usize]
        {
            return true;
        }
        if ds.details_on_demand() {
            return false;
        }
        [ds.title(e), ds.location(e), ds.url(e)].iter().any(|text| {
            buffer.clear();
            if text.is_ascii() {
                buffer.extend(text.bytes().map(|b| b.to_ascii_lowercase()));
            } else {
                buffer.extend(text.to_lowercase().bytes());
            }
            self.finder.find(buffer).is_some()
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> Dataset {
        crate::sample_dataset()
    }

    fn query(ds: &Dataset) -> EventQuery {
        EventQuery {
            window: TimeWindow::all(ds),
            filter: EventFilter::all(),
            search: String::new(),
            sort: EventColumn::Date,
            ascending: true,
        }
    }

    #[test]
    fn lists_the_window_in_date_order() {
        let ds = sample();
        let all = query(&ds).run(&ds, None);
        assert_eq!(all.len(), ds.len());
        assert!(
            all.windows(2)
                .all(|w| ds.start[w[0] as usize] <= ds.start[w[1] as usize])
        );
        let mut q = query(&ds);
        q.window = TimeWindow::new(ds.start[3], ds.start[5]);
        let rows = q.run(&ds, None);
        assert!(!rows.is_empty() && rows.len() < ds.len());
        assert!(
            rows.iter()
                .all(|&e| ds.overlaps(e, q.window.from, q.window.to))
        );
        let expected = (0..ds.len() as EventId)
            .filter(|&e| ds.overlaps(e, q.window.from, q.window.to))
            .count();
        assert_eq!(rows.len(), expected);
    }

    #[test]
    fn sorts_by_every_column_both_ways() {
        let ds = sample();
        for column in EventColumn::ALL {
            let mut q = query(&ds);
            q.sort = column;
            let up = q.run(&ds, None);
            q.ascending = false;
            let mut down = q.run(&ds, None);
            down.reverse();
            assert_eq!(up, down, "{column:?}");
            assert_eq!(up.len(), ds.len());
        }
        let mut q = query(&ds);
        q.sort = EventColumn::Title;
        let rows = q.run(&ds, None);
        assert!(rows.windows(2).all(|w| ds.title(w[0]) <= ds.title(w[1])));
    }

    #[test]
    fn search_ignores_case_and_looks_at_actors_and_titles() {
        let ds = sample();
        let mut q = query(&ds);
        q.search = "MINSK".into();
        let rows = q.run(&ds, None);
        assert!(!rows.is_empty());
        assert!(rows.iter().all(|&e| {
            let text = format!("{} {} {}", ds.title(e), ds.location(e), ds.url(e)).to_lowercase();
            text.contains("minsk")
                || ds
                    .actors_of(e)
                    .iter()
                    .any(|&a| ds.actors.get(a).name.to_lowercase().contains("minsk"))
        }));
        q.search = "khrenin".into();
        let by_actor = q.run(&ds, None);
        assert!(!by_actor.is_empty());
        q.search = "no such words anywhere".into();
        assert!(q.run(&ds, None).is_empty());
        // Restricted to some events.
        let first_two: Vec<EventId> = vec![0, 1];
        q.search.clear();
        assert_eq!(q.run(&ds, Some(&first_two)), first_two);
    }
}
