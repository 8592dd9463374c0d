//! The dataset: events sorted by start day, hot fields as plain columns (struct of arrays),
//! actor pairs assigned once at load so that aggregation is counting, not hashing.

use std::collections::HashMap;
use std::path::PathBuf;

use super::actor::{ActorId, ActorKind, ActorTable};
use super::date::{DayNumber, PartialDate, Precision};

/// Index of an event in the dataset (in start-day order).
pub type EventId = u32;
/// Index of an unordered actor pair.
pub type PairId = u32;

/// CAMEO QuadClass-style class of an event, where the source says so.
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, Hash, Default, serde::Serialize, serde::Deserialize,
)]
#[serde(rename_all = "snake_case")]
pub enum EventClass {
    VerbalCooperation,
    MaterialCooperation,
    VerbalConflict,
    MaterialConflict,
    #[default]
    Unknown,
}

impl EventClass {
    pub const ALL: [EventClass; 5] = [
        EventClass::VerbalCooperation,
        EventClass::MaterialCooperation,
        EventClass::VerbalConflict,
        EventClass::MaterialConflict,
        EventClass::Unknown,
    ];

    pub fn label(self) -> &'static str {
        match self {
            Self::VerbalCooperation => "verbal cooperation",
            Self::MaterialCooperation => "material cooperation",
            Self::VerbalConflict => "verbal conflict",
            Self::MaterialConflict => "material conflict",
            Self::Unknown => "unclassified",
        }
    }

    /// Reads a class column: QuadClass numbers 1–4 or the names above (`-`/`_` or spaces).
    pub fn parse(text: &str) -> Option<Self> {
        let t = text.trim().to_ascii_lowercase().replace(['_', '-'], " ");
        match t.as_str() {
            "1" | "verbal cooperation" => Some(Self::VerbalCooperation),
            "2" | "material cooperation" => Some(Self::MaterialCooperation),
            "3" | "verbal conflict" => Some(Self::VerbalConflict),
            "4" | "material conflict" => Some(Self::MaterialConflict),
            "" | "0" | "unknown" | "unclassified" => Some(Self::Unknown),
            _ => None,
        }
    }

    pub fn index(self) -> usize {
        self as usize
    }
}

/// The cold, descriptive part of an event: read when it is shown, never when counting.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct EventDetail {
    pub date: Option<PartialDate>,
    pub end_date: Option<PartialDate>,
    pub title: String,
    pub location: String,
    pub lat: Option<f64>,
    pub lon: Option<f64>,
    pub url: String,
    /// 1-based line of the source file the event came from.
    pub line: u32,
}

/// An event as a reader hands it over, before interning.
#[derive(Clone, Debug, Default)]
pub struct NewEvent {
    pub date: PartialDate,
    pub end_date: Option<PartialDate>,
    /// First is the initiator where the format is directed.
    pub actors: Vec<ActorId>,
    pub event_type: String,
    pub class: EventClass,
    pub title: String,
    pub location: String,
    pub lat: Option<f64>,
    pub lon: Option<f64>,
    pub url: String,
    pub weight: f32,
    pub line: u32,
}

/// All events of one loaded file, in start-day order.
#[derive(Clone, Debug, Default)]
pub struct Dataset {
    pub actors: ActorTable,
    /// Event types, interned; `type_of` indexes this.
    pub types: Vec<String>,
    /// The unordered actor pairs that share events, `(low, high)`; `PairId` indexes this.
    pub pairs: Vec<(ActorId, ActorId)>,
    pub start: Vec<DayNumber>,
    pub end: Vec<DayNumber>,
    pub precision: Vec<Precision>,
    pub class: Vec<EventClass>,
    pub type_of: Vec<u32>,
    pub weight: Vec<f32>,
    /// Event `e`'s actors are `event_actors[actor_offsets[e]..actor_offsets[e + 1]]`.
    pub actor_offsets: Vec<u32>,
    pub event_actors: Vec<ActorId>,
    /// Event `e`'s pairs are `event_pairs[pair_offsets[e]..pair_offsets[e + 1]]`.
    pub pair_offsets: Vec<u32>,
    pub event_pairs: Vec<PairId>,
    pub details: Vec<EventDetail>,
    /// Events ordered by end day, for incremental window moves.
    pub by_end: Vec<EventId>,
    /// The file the events came from, when they came from one.
    pub source: Option<PathBuf>,
}

impl Dataset {
    pub fn len(&self) -> usize {
        self.start.len()
    }

    pub fn is_empty(&self) -> bool {
        self.start.is_empty()
    }

    pub fn actors_of(&self, event: EventId) -> &[ActorId] {
        let e = event as usize;
        &self.event_actors[self.actor_offsets[e] as usize..self.actor_offsets[e + 1] as usize]
    }

    pub fn pairs_of(&self, event: EventId) -> &[PairId] {
        let e = event as usize;
        &self.event_pairs[self.pair_offsets[e] as usize..self.pair_offsets[e + 1] as usize]
    }

    pub fn type_name(&self, event: EventId) -> &str {
        &self.types[self.type_of[event as usize] as usize]
    }

    /// The date as the source gave it (its own precision).
    pub fn date_of(&self, event: EventId) -> PartialDate {
        self.details[event as usize]
            .date
            .unwrap_or_else(|| PartialDate::from_day(self.start[event as usize]))
    }

    /// Earliest start and latest end, or `None` when empty.
    pub fn day_range(&self) -> Option<(DayNumber, DayNumber)> {
        let first = *self.start.first()?;
        let last = *self.end.iter().max()?;
        Some((first, last))
    }

    /// The dates of the first and the last event in start order, at their own precision
    /// ("1993", "2025-03-14").
    pub fn first_and_last_dates(&self) -> Option<(PartialDate, PartialDate)> {
        let last = self.len().checked_sub(1)? as EventId;
        Some((self.date_of(0), self.date_of(last)))
    }

    /// Events (in date order) that involve `actor`.
    pub fn events_of_actor(&self, actor: ActorId) -> impl Iterator<Item = EventId> + '_ {
        (0..self.len() as EventId).filter(move |&e| self.actors_of(e).contains(&actor))
    }

    /// Whether an event overlaps the inclusive day range.
    pub fn overlaps(&self, event: EventId, from: DayNumber, to: DayNumber) -> bool {
        let e = event as usize;
        self.start[e] <= to && self.end[e] >= from
    }
}

/// Builds a [`Dataset`]: interns actors, types and pairs, then sorts by date.
#[derive(Default)]
pub struct DatasetBuilder {
    pub actors: ActorTable,
    types: Vec<String>,
    type_ids: HashMap<String, u32>,
    pairs: Vec<(ActorId, ActorId)>,
    pair_ids: HashMap<(ActorId, ActorId), PairId>,
    events: Vec<NewEvent>,
}

impl DatasetBuilder {
    pub fn new() -> Self {
        Self::default()
    }

    /// Shorthand for interning an actor while reading.
    pub fn actor(&mut self, name: &str, kind: Option<ActorKind>) -> Option<ActorId> {
        self.actors.intern(name, kind)
    }

    pub fn push(&mut self, event: NewEvent) {
        self.events.push(event);
    }

    pub fn event_count(&self) -> usize {
        self.events.len()
    }

    fn type_id(&mut self, name: &str) -> u32 {
        if let Some(&id) = self.type_ids.get(name) {
            return id;
        }
        let id = self.types.len() as u32;
        self.types.push(name.to_string());
        self.type_ids.insert(name.to_string(), id);
        id
    }

    fn pair_id(&mut self, a: ActorId, b: ActorId) -> PairId {
        let key = (a.min(b), a.max(b));
        if let Some(&id) = self.pair_ids.get(&key) {
            return id;
        }
        let id = self.pairs.len() as PairId;
        self.pairs.push(key);
        self.pair_ids.insert(key, id);
        id
    }

    pub fn finish(mut self, source: Option<PathBuf>) -> Dataset {
        let mut events = std::mem::take(&mut self.events);
        // Stable: events of one day keep their file order.
        events.sort_by_key(|e| e.date.first_day());
        let n = events.len();
        let mut ds = Dataset {
            start: Vec::with_capacity(n),
            end: Vec::with_capacity(n),
            precision: Vec::with_capacity(n),
            class: Vec::with_capacity(n),
            type_of: Vec::with_capacity(n),
            weight: Vec::with_capacity(n),
            actor_offsets: Vec::with_capacity(n + 1),
            pair_offsets: Vec::with_capacity(n + 1),
            details: Vec::with_capacity(n),
            source,
            ..Dataset::default()
        };
        ds.actor_offsets.push(0);
        ds.pair_offsets.push(0);
        for mut ev in events {
            let start = ev.date.first_day();
            let end = ev
                .end_date
                .map(|d| d.last_day())
                .unwrap_or_else(|| ev.date.last_day())
                .max(start);
            ds.start.push(start);
            ds.end.push(end);
            ds.precision.push(ev.date.precision());
            ds.class.push(ev.class);
            let type_id = self.type_id(ev.event_type.trim());
            ds.type_of.push(type_id);
            ds.weight.push(ev.weight);
            // One actor named twice in an event is one participant.
            let mut seen = Vec::with_capacity(ev.actors.len());
            for a in ev.actors.drain(..) {
                if !seen.contains(&a) {
                    seen.push(a);
                }
            }
            for (i, &a) in seen.iter().enumerate() {
                for &b in &seen[i + 1..] {
                    let p = self.pair_id(a, b);
                    ds.event_pairs.push(p);
                }
            }
            ds.event_actors.extend_from_slice(&seen);
            ds.actor_offsets.push(ds.event_actors.len() as u32);
            ds.pair_offsets.push(ds.event_pairs.len() as u32);
            ds.details.push(EventDetail {
                date: Some(ev.date),
                end_date: ev.end_date,
                title: ev.title,
                location: ev.location,
                lat: ev.lat,
                lon: ev.lon,
                url: ev.url,
                line: ev.line,
            });
        }
        let mut by_end: Vec<EventId> = (0..n as EventId).collect();
        by_end.sort_by_key(|&e| ds.end[e as usize]);
        ds.by_end = by_end;
        ds.actors = self.actors;
        ds.types = self.types;
        ds.pairs = self.pairs;
        ds
    }
}
