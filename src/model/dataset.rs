//! The dataset: events sorted by start day, hot fields as plain columns (struct of arrays),
//! actor pairs assigned once at load so that aggregation is counting, not hashing.
//!
//! Descriptive fields (title, location, source, line, …) are read only when an event is shown;
//! they stay in file order in [`Records`], packed into flat string columns, and a sorted event
//! finds its record through [`Dataset::record`]. A row that repeats a recent row's text (an
//! article's URL, a place) shares it ([`StrColumn`]): the 1,000,000-row GDELT file of the
//! load benchmark takes 98 MiB in all (`Dataset::heap_bytes`), about 100 bytes an event.
//!
//! A row may be an aggregate that stands for several events (a file's `count` column, what a
//! query grouping GDELT gives): [`Dataset::multiplicity`] says how many, and every counter
//! adds that up. Ids, the event table and the inspector still go by rows.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use super::actor::{ActorId, ActorKind, ActorTable};
use super::date::{DayNumber, PartialDate, Precision};
use super::str_column::{StrCache, StrColumn};

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

    /// The QuadClass of a CAMEO event code by its root (the first two digits):
    /// 01–05 verbal cooperation, 06–08 material cooperation, 09–13 verbal conflict,
    /// 14–20 material conflict.
    pub fn from_cameo(code: &str) -> Self {
        match code.get(..2).and_then(|r| r.parse::<u8>().ok()) {
            Some(1..=5) => Self::VerbalCooperation,
            Some(6..=8) => Self::MaterialCooperation,
            Some(9..=13) => Self::VerbalConflict,
            Some(14..=20) => Self::MaterialConflict,
            _ => Self::Unknown,
        }
    }

    pub fn index(self) -> usize {
        self as usize
    }
}

/// The descriptive fields of events, in the order the file gave them.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Records {
    /// 1-based line of the source file.
    pub line: Vec<u32>,
    /// Precision of the stated end date (the start's when none was stated).
    pub end_precision: Vec<Precision>,
    pub title: StrColumn,
    pub location: StrColumn,
    /// Source link or source name.
    pub url: StrColumn,
    /// Latitude and longitude; NaN when unknown.
    pub lat: Vec<f32>,
    pub lon: Vec<f32>,
    /// A Goldstein-style score (GDELT GoldsteinScale, ICEWS Intensity); NaN when unknown.
    pub intensity: Vec<f32>,
    /// A count the source gives about the event (GDELT NumMentions, ACLED fatalities); 0
    /// when none. Not how many events a row stands for: that is [`Dataset::multiplicity`].
    pub source_count: Vec<u32>,
    /// The file each record came from, as an index into [`Dataset::sources`]; empty when
    /// the whole dataset came from one file (the usual case costs nothing). [`NO_FILE`]
    /// for events added in relmap.
    pub file: Vec<u16>,
}

/// [`Records::file`] of an event that no file gave (added in the editor).
pub const NO_FILE: u16 = u16::MAX;

impl Records {
    fn reserve_scaled(&mut self, factor: f64) {
        reserve_scaled(&mut self.line, factor);
        reserve_scaled(&mut self.end_precision, factor);
        self.title.reserve_scaled(factor);
        self.location.reserve_scaled(factor);
        self.url.reserve_scaled(factor);
        reserve_scaled(&mut self.lat, factor);
        reserve_scaled(&mut self.lon, factor);
        reserve_scaled(&mut self.intensity, factor);
        reserve_scaled(&mut self.source_count, factor);
        reserve_scaled(&mut self.file, factor);
    }

    fn append(&mut self, other: Records) {
        self.line.extend_from_slice(&other.line);
        self.end_precision.extend_from_slice(&other.end_precision);
        self.title.append(other.title);
        self.location.append(other.location);
        self.url.append(other.url);
        self.lat.extend_from_slice(&other.lat);
        self.lon.extend_from_slice(&other.lon);
        self.intensity.extend_from_slice(&other.intensity);
        self.source_count.extend_from_slice(&other.source_count);
        self.file.extend_from_slice(&other.file);
    }
}

/// An event as the native readers hand it over, before interning.
#[derive(Clone, Debug, Default, PartialEq)]
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
    /// How many events the row stands for (an aggregate's `count`); 0 and 1 both mean one.
    pub count: u32,
    pub line: u32,
}

impl NewEvent {
    /// The same event with another title.
    pub fn with_title(mut self, title: &str) -> Self {
        self.title = title.to_string();
        self
    }
}

/// One event's fields by reference, as the fast readers hand them over.
#[derive(Clone, Copy, Debug)]
pub struct EventRef<'a> {
    pub start: DayNumber,
    pub end: DayNumber,
    pub precision: Precision,
    pub end_precision: Precision,
    pub class: EventClass,
    pub type_id: u32,
    pub weight: f32,
    pub actors: &'a [ActorId],
    pub title: &'a str,
    pub location: &'a str,
    pub url: &'a str,
    pub lat: f32,
    pub lon: f32,
    pub intensity: f32,
    /// See [`Records::source_count`].
    pub source_count: u32,
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
    /// How many events each row stands for: an aggregate's `count` (a query that grouped
    /// GDELT by day, actors and code gives one row for 57 events). Empty when every row is
    /// one event, so that datasets of plain events pay nothing; read it through
    /// [`Dataset::multiplicity`]. Everything that counts events (the window, the timeline,
    /// stats, metrics, tie weights) adds this up instead of counting rows.
    pub multiplicity: Vec<u32>,
    /// Event `e`'s actors are `event_actors[actor_offsets[e]..actor_offsets[e + 1]]`.
    pub actor_offsets: Vec<u32>,
    pub event_actors: Vec<ActorId>,
    /// Event `e`'s pairs are `event_pairs[pair_offsets[e]..pair_offsets[e + 1]]`.
    pub pair_offsets: Vec<u32>,
    pub event_pairs: Vec<PairId>,
    /// Events ordered by end day, for incremental window moves.
    pub by_end: Vec<EventId>,
    /// Event `e`'s descriptive fields are at `records[record[e]]`.
    pub record: Vec<u32>,
    pub records: Records,
    /// The file the events came from, when they came from one.
    pub source: Option<PathBuf>,
    /// The files (or archive members, `a.zip:b.CSV`) the events came from, when there were
    /// several: see [`Records::file`] and [`Dataset::file_of`].
    pub sources: Vec<PathBuf>,
    /// The column mapping the source was read with, as `(field, column)` names (see
    /// `io::ColumnMap`): a workspace that refers to the source reads it the same way.
    pub source_mapping: Option<Vec<(String, String)>>,
    /// Set when the descriptive fields are not in [`Dataset::records`] but read on demand
    /// (a dataset opened from an on-disk index: `crate::index`). `records` and `record` are
    /// then empty, and every accessor below asks this instead.
    pub on_demand: Option<Arc<OnDemandDetails>>,
}

/// One event's descriptive fields, as a [`DetailSource`] hands them over.
#[derive(Clone, Debug, PartialEq)]
pub struct EventDetails {
    pub title: String,
    pub location: String,
    pub url: String,
    /// NaN when unknown, as in [`Records`].
    pub lat: f32,
    pub lon: f32,
    pub intensity: f32,
    pub source_count: u32,
    pub end_precision: Precision,
}

impl Default for EventDetails {
    fn default() -> Self {
        Self {
            title: String::new(),
            location: String::new(),
            url: String::new(),
            lat: f32::NAN,
            lon: f32::NAN,
            intensity: f32::NAN,
            source_count: 0,
            end_precision: Precision::Day,
        }
    }
}

/// Where the descriptive fields of a dataset whose [`Records`] are not in memory come from
/// (the source rows an index points at). Failures are not errors here: a source that is
/// gone or changed gives details whose title says so, and the events stay on the map.
pub trait DetailSource: Send + Sync {
    fn details(&self, event: EventId) -> EventDetails;
    /// 1-based line (or row) of the event in its source.
    fn line(&self, event: EventId) -> u32;
    /// The source the event came from.
    fn file(&self, event: EventId) -> Option<&std::path::Path>;
}

/// The details of a dataset fetched on demand, kept once fetched.
///
/// The table and the inspector borrow `&str`s from the dataset for the rows on screen, so a
/// fetched entry must stay where it is for as long as the dataset is borrowed: entries are
/// boxed and never removed or changed (the map may move the boxes' pointers, never their
/// contents). Memory grows with the events looked at, about 200 bytes each.
pub struct OnDemandDetails {
    source: Box<dyn DetailSource>,
    fetched: Mutex<rustc_hash::FxHashMap<EventId, Box<EventDetails>>>,
}

impl std::fmt::Debug for OnDemandDetails {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let fetched = self.fetched.lock().map(|m| m.len()).unwrap_or(0);
        write!(f, "OnDemandDetails {{ fetched: {fetched} }}")
    }
}

impl OnDemandDetails {
    pub fn new(source: Box<dyn DetailSource>) -> Self {
        Self {
            source,
            fetched: Mutex::new(rustc_hash::FxHashMap::default()),
        }
    }

    /// The details of `event`, read from the source the first time.
    pub fn get(&self, event: EventId) -> &EventDetails {
        let lock = || self.fetched.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(d) = lock().get(&event) {
            let ptr: *const EventDetails = &**d;
            // SAFETY: the box is never removed or mutated while `self` lives (see the type's
            // docs), so its contents outlive this borrow of `self`.
            return unsafe { &*ptr };
        }
        // Read without holding the lock: another thread may fetch the same event meanwhile,
        // and the first one stored wins.
        let details = Box::new(self.source.details(event));
        let mut map = lock();
        let stored = map.entry(event).or_insert(details);
        let ptr: *const EventDetails = &**stored;
        // SAFETY: as above.
        unsafe { &*ptr }
    }

    pub fn line(&self, event: EventId) -> u32 {
        self.source.line(event)
    }

    pub fn file(&self, event: EventId) -> Option<&std::path::Path> {
        self.source.file(event)
    }
}

impl Dataset {
    pub fn len(&self) -> usize {
        self.start.len()
    }

    pub fn is_empty(&self) -> bool {
        self.start.is_empty()
    }

    /// How many events row `event` stands for: 1, or an aggregate's count.
    #[inline]
    pub fn multiplicity(&self, event: EventId) -> u32 {
        self.multiplicity.get(event as usize).copied().unwrap_or(1)
    }

    /// "120 events", or for a dataset of aggregates "1,845 events in 120 rows": the
    /// wording every summary (status bar, inspector, messages) uses.
    pub fn events_label(&self) -> String {
        if self.is_aggregated() {
            format!("{} events in {} rows", self.event_total(), self.len())
        } else {
            format!("{} events", self.len())
        }
    }

    /// Events per actor pair over the whole dataset (`PairId` indexes), aggregates counted
    /// as the events they stand for.
    pub fn pair_event_totals(&self) -> Vec<u32> {
        let mut counts = vec![0u32; self.pairs.len()];
        if self.multiplicity.is_empty() {
            for &p in &self.event_pairs {
                counts[p as usize] += 1;
            }
        } else {
            for e in 0..self.len() as EventId {
                let n = self.multiplicity(e);
                for &p in self.pairs_of(e) {
                    counts[p as usize] = counts[p as usize].saturating_add(n);
                }
            }
        }
        counts
    }

    /// Whether some row stands for more than one event.
    pub fn is_aggregated(&self) -> bool {
        !self.multiplicity.is_empty()
    }

    /// The number of events: the rows, each counted as many times as it stands for.
    pub fn event_total(&self) -> u64 {
        if self.multiplicity.is_empty() {
            return self.len() as u64;
        }
        self.multiplicity.iter().map(|&n| u64::from(n)).sum()
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

    fn rec(&self, event: EventId) -> usize {
        self.record[event as usize] as usize
    }

    /// The date as the source gave it (its own precision).
    pub fn date_of(&self, event: EventId) -> PartialDate {
        let e = event as usize;
        PartialDate::from_day(self.start[e]).truncated(self.precision[e])
    }

    /// The stated end date, when the event lasts beyond its start date.
    pub fn end_date_of(&self, event: EventId) -> Option<PartialDate> {
        let e = event as usize;
        if self.end[e] <= self.date_of(event).last_day() {
            return None;
        }
        let precision = match &self.on_demand {
            Some(d) => d.get(event).end_precision,
            None => self.records.end_precision[self.rec(event)],
        };
        Some(PartialDate::from_day(self.end[e]).truncated(precision))
    }

    pub fn title(&self, event: EventId) -> &str {
        match &self.on_demand {
            Some(d) => &d.get(event).title,
            None => self.records.title.get(self.rec(event)),
        }
    }

    pub fn location(&self, event: EventId) -> &str {
        match &self.on_demand {
            Some(d) => &d.get(event).location,
            None => self.records.location.get(self.rec(event)),
        }
    }

    pub fn url(&self, event: EventId) -> &str {
        match &self.on_demand {
            Some(d) => &d.get(event).url,
            None => self.records.url.get(self.rec(event)),
        }
    }

    /// A Goldstein-style score (see [`Records::intensity`]); NaN when unknown.
    pub fn intensity(&self, event: EventId) -> f32 {
        match &self.on_demand {
            Some(d) => d.get(event).intensity,
            None => self
                .records
                .intensity
                .get(self.rec(event))
                .copied()
                .unwrap_or(f32::NAN),
        }
    }

    /// The source's count about the event (see [`Records::source_count`]).
    pub fn source_count(&self, event: EventId) -> u32 {
        match &self.on_demand {
            Some(d) => d.get(event).source_count,
            None => self
                .records
                .source_count
                .get(self.rec(event))
                .copied()
                .unwrap_or(0),
        }
    }

    /// Whether the descriptive fields are read from the source files on demand (an index).
    pub fn details_on_demand(&self) -> bool {
        self.on_demand.is_some()
    }

    /// Reads every event's details into [`Records`] (what editing needs): a no-op unless
    /// they are read on demand. Costs a read of every source row.
    pub fn materialise_details(&mut self) {
        let Some(on_demand) = self.on_demand.take() else {
            return;
        };
        let n = self.len();
        let mut records = Records::default();
        let mut recent: [StrCache; 3] = Default::default();
        let mut files: Vec<PathBuf> = Vec::new();
        for e in 0..n as EventId {
            let d = on_demand.get(e);
            records.line.push(on_demand.line(e));
            records.end_precision.push(d.end_precision);
            let [title, location, url] = &mut recent;
            records.title.push_cached(&d.title, title);
            records.location.push_cached(&d.location, location);
            records.url.push_cached(&d.url, url);
            records.lat.push(d.lat);
            records.lon.push(d.lon);
            records.intensity.push(d.intensity);
            records.source_count.push(d.source_count);
            let file = on_demand
                .file(e)
                .map(|p| match files.iter().position(|f| f == p) {
                    Some(i) => i,
                    None => {
                        files.push(p.to_path_buf());
                        files.len() - 1
                    }
                });
            records
                .file
                .push(file.map_or(NO_FILE, |i| i.min(NO_FILE as usize - 1) as u16));
        }
        self.records = records;
        self.record = (0..n as u32).collect();
        self.sources = files;
    }

    /// The file an event came from: its own when the dataset was read from several.
    pub fn file_of(&self, event: EventId) -> Option<&std::path::Path> {
        if let Some(d) = &self.on_demand {
            return d.file(event);
        }
        if self.records.file.is_empty() {
            return self.source.as_deref();
        }
        let file = self.records.file[self.record[event as usize] as usize];
        self.sources.get(file as usize).map(PathBuf::as_path)
    }

    /// One dataset of the events of several, read from different files: actors and types
    /// interned across them (Belarus of one file is Belarus of the next), each event keeping
    /// its file and line. `parts` pairs each dataset with the name of its file.
    pub fn merge(parts: Vec<(Dataset, PathBuf)>) -> Dataset {
        let mut b = DatasetBuilder::new();
        let mut sources = Vec::with_capacity(parts.len());
        for (k, (mut ds, path)) in parts.into_iter().enumerate() {
            ds.materialise_details();
            sources.push(path);
            b.set_file(k.min(NO_FILE as usize - 1) as u16);
            let actor_map = b.actors.merge(&ds.actors);
            let type_map: Vec<u32> = ds.types.iter().map(|t| b.type_id(t)).collect();
            // Events in file order (record order), so that a file's lines stay in order.
            let mut event_of_record = vec![0 as EventId; ds.len()];
            for (e, &r) in ds.record.iter().enumerate() {
                event_of_record[r as usize] = e as EventId;
            }
            let r = &ds.records;
            let mut actors = Vec::new();
            for (rec, &e) in event_of_record.iter().enumerate() {
                let i = e as usize;
                actors.clear();
                actors.extend(ds.actors_of(e).iter().map(|&a| actor_map[a as usize]));
                b.push_ref(&EventRef {
                    start: ds.start[i],
                    end: ds.end[i],
                    precision: ds.precision[i],
                    end_precision: r.end_precision[rec],
                    class: ds.class[i],
                    type_id: type_map[ds.type_of[i] as usize],
                    weight: ds.weight[i],
                    actors: &actors,
                    title: r.title.get(rec),
                    location: r.location.get(rec),
                    url: r.url.get(rec),
                    lat: r.lat[rec],
                    lon: r.lon[rec],
                    intensity: r.intensity[rec],
                    source_count: r.source_count[rec],
                    line: r.line[rec],
                });
                b.set_last_multiplicity(ds.multiplicity(e));
            }
        }
        let mut merged = b.finish(None);
        merged.sources = sources;
        merged
    }

    pub fn line(&self, event: EventId) -> u32 {
        match &self.on_demand {
            Some(d) => d.line(event),
            None => self.records.line[self.rec(event)],
        }
    }

    pub fn lat_lon(&self, event: EventId) -> Option<(f32, f32)> {
        let (lat, lon) = match &self.on_demand {
            Some(d) => {
                let d = d.get(event);
                (d.lat, d.lon)
            }
            None => {
                let r = self.rec(event);
                (self.records.lat[r], self.records.lon[r])
            }
        };
        (!lat.is_nan() && !lon.is_nan()).then_some((lat, lon))
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

    /// Bytes held on the heap by the event columns (actor names and maps not counted).
    pub fn heap_bytes(&self) -> usize {
        let r = &self.records;
        self.start.capacity() * 4
            + self.end.capacity() * 4
            + self.precision.capacity()
            + self.class.capacity()
            + self.type_of.capacity() * 4
            + self.weight.capacity() * 4
            + self.actor_offsets.capacity() * 4
            + self.event_actors.capacity() * 4
            + self.pair_offsets.capacity() * 4
            + self.event_pairs.capacity() * 4
            + self.by_end.capacity() * 4
            + self.record.capacity() * 4
            + r.line.capacity() * 4
            + r.end_precision.capacity()
            + r.title.heap_bytes()
            + r.location.heap_bytes()
            + r.url.heap_bytes()
            + (r.lat.capacity() + r.lon.capacity() + r.intensity.capacity()) * 4
            + r.source_count.capacity() * 4
            + self.multiplicity.capacity() * 4
    }
}

/// Builds a [`Dataset`]: interns actors and types, collects events in file order, then sorts
/// them by date and assigns actor pairs. Readers that split a file may build parts in
/// parallel and [`append`](Self::append) them in file order.
#[derive(Default)]
pub struct DatasetBuilder {
    pub actors: ActorTable,
    types: Vec<String>,
    type_ids: HashMap<String, u32>,
    start: Vec<DayNumber>,
    end: Vec<DayNumber>,
    precision: Vec<Precision>,
    class: Vec<EventClass>,
    type_of: Vec<u32>,
    weight: Vec<f32>,
    /// In file order; empty while every event pushed is one event (see
    /// [`Dataset::multiplicity`]).
    multiplicity: Vec<u32>,
    actor_offsets: Vec<u32>,
    event_actors: Vec<ActorId>,
    records: Records,
    /// The recent values of `records.title`, `location` and `url`, so that a repeat (the
    /// URL of an article with several events) is stored once: see [`StrColumn`].
    recent: [StrCache; 3],
    /// Recorded with each event pushed when set (see [`Records::file`]).
    file: Option<u16>,
}

impl DatasetBuilder {
    pub fn new() -> Self {
        Self {
            actor_offsets: vec![0],
            ..Self::default()
        }
    }

    /// Shorthand for interning an actor while reading.
    pub fn actor(&mut self, name: &str, kind: Option<ActorKind>) -> Option<ActorId> {
        self.actors.intern(name, kind)
    }

    pub fn event_count(&self) -> usize {
        self.start.len()
    }

    /// The id of an event type, interned.
    pub fn type_id(&mut self, name: &str) -> u32 {
        if let Some(&id) = self.type_ids.get(name) {
            return id;
        }
        let id = self.types.len() as u32;
        self.types.push(name.to_string());
        self.type_ids.insert(name.to_string(), id);
        id
    }

    pub fn push(&mut self, ev: NewEvent) {
        let start = ev.date.first_day();
        let end = ev
            .end_date
            .map(|d| d.last_day())
            .unwrap_or_else(|| ev.date.last_day())
            .max(start);
        let type_id = self.type_id(ev.event_type.trim());
        let to_f32 = |v: Option<f64>| v.map(|x| x as f32).unwrap_or(f32::NAN);
        self.push_ref(&EventRef {
            start,
            end,
            precision: ev.date.precision(),
            end_precision: ev.end_date.unwrap_or(ev.date).precision(),
            class: ev.class,
            type_id,
            weight: ev.weight,
            actors: &ev.actors,
            title: &ev.title,
            location: &ev.location,
            url: &ev.url,
            lat: to_f32(ev.lat),
            lon: to_f32(ev.lon),
            intensity: f32::NAN,
            source_count: 0,
            line: ev.line,
        });
        self.set_last_multiplicity(ev.count.max(1));
    }

    /// Records `file` (an index into [`Dataset::sources`]) with every event pushed from now
    /// on. Set it before the first event or never: the column is all or nothing.
    pub fn set_file(&mut self, file: u16) {
        self.file = Some(file);
    }

    /// Sets the source's count (fatalities, mentions) of the event pushed last.
    pub fn set_last_source_count(&mut self, count: u32) {
        if let Some(last) = self.records.source_count.last_mut() {
            *last = count;
        }
    }

    /// Sets how many events the event pushed last stands for (an aggregate's count; 0 is
    /// taken as 1). The column is only made when a row stands for more than one.
    pub fn set_last_multiplicity(&mut self, events: u32) {
        let events = events.max(1);
        let n = self.start.len();
        if n == 0 || (events == 1 && self.multiplicity.is_empty()) {
            return;
        }
        if self.multiplicity.is_empty() {
            self.multiplicity = vec![1; n];
        }
        self.multiplicity[n - 1] = events;
    }

    /// The multiplicity column filled with ones up to the events pushed, once some other
    /// part has one.
    fn materialise_multiplicity(&mut self) {
        if self.multiplicity.is_empty() {
            self.multiplicity = vec![1; self.start.len()];
        }
    }

    /// Appends `other`'s multiplicities after this builder's (before the columns grow).
    fn append_multiplicity(&mut self, other: &[u32], other_len: usize) {
        if other.is_empty() && self.multiplicity.is_empty() {
            return;
        }
        self.materialise_multiplicity();
        if other.is_empty() {
            self.multiplicity.extend(std::iter::repeat_n(1, other_len));
        } else {
            self.multiplicity.extend_from_slice(other);
        }
    }

    /// Adds an event whose actors and type are already interned in this builder.
    pub fn push_ref(&mut self, ev: &EventRef) {
        self.start.push(ev.start);
        self.end.push(ev.end.max(ev.start));
        self.precision.push(ev.precision);
        self.class.push(ev.class);
        self.type_of.push(ev.type_id);
        self.weight.push(ev.weight);
        if !self.multiplicity.is_empty() {
            self.multiplicity.push(1);
        }
        // One actor named twice in an event is one participant.
        for (i, &a) in ev.actors.iter().enumerate() {
            if !ev.actors[..i].contains(&a) {
                self.event_actors.push(a);
            }
        }
        self.actor_offsets.push(self.event_actors.len() as u32);
        let r = &mut self.records;
        r.line.push(ev.line);
        r.end_precision.push(ev.end_precision);
        let [title, location, url] = &mut self.recent;
        r.title.push_cached(ev.title, title);
        r.location.push_cached(ev.location, location);
        r.url.push_cached(ev.url, url);
        r.lat.push(ev.lat);
        r.lon.push(ev.lon);
        r.intensity.push(ev.intensity);
        r.source_count.push(ev.source_count);
        if let Some(file) = self.file {
            r.file.push(file);
        }
    }

    /// Appends the events of `other`, whose actor and type ids are already this builder's
    /// (parts read against shared tables, see [`Self::set_tables`]).
    pub fn append_same_ids(&mut self, other: DatasetBuilder) {
        self.append_multiplicity(&other.multiplicity, other.start.len());
        self.start.extend_from_slice(&other.start);
        self.end.extend_from_slice(&other.end);
        self.precision.extend_from_slice(&other.precision);
        self.class.extend_from_slice(&other.class);
        self.type_of.extend_from_slice(&other.type_of);
        self.weight.extend_from_slice(&other.weight);
        let base = self.event_actors.len() as u32;
        self.event_actors.extend_from_slice(&other.event_actors);
        self.actor_offsets
            .extend(other.actor_offsets[1..].iter().map(|&o| o + base));
        self.records.append(other.records);
    }

    /// Makes room for every column to grow to `factor` times its present length without
    /// moving, when the allocator gives it (a failed reservation leaves the column as it is).
    ///
    /// Why: appending a million events' parts one after the other doubles each column a
    /// dozen times, and mimalloc keeps each freed old buffer resident for a while after the
    /// copy. On the 1,000,000-row GDELT file that held the load's peak at 250–270 MiB for
    /// 114 MiB of dataset (`MIMALLOC_PURGE_DELAY=0` gave 149 MiB). A reader that knows how
    /// much of its input it has seen reserves once for the rest; room never touched costs
    /// address space, not memory.
    pub fn reserve_scaled(&mut self, factor: f64) {
        if !factor.is_finite() || factor <= 1.0 {
            return;
        }
        reserve_scaled(&mut self.start, factor);
        reserve_scaled(&mut self.end, factor);
        reserve_scaled(&mut self.precision, factor);
        reserve_scaled(&mut self.class, factor);
        reserve_scaled(&mut self.type_of, factor);
        reserve_scaled(&mut self.weight, factor);
        if !self.multiplicity.is_empty() {
            reserve_scaled(&mut self.multiplicity, factor);
        }
        reserve_scaled(&mut self.actor_offsets, factor);
        reserve_scaled(&mut self.event_actors, factor);
        self.records.reserve_scaled(factor);
    }

    /// The actor and type tables, for handing to a builder that used them through ids.
    pub fn into_tables(self) -> (ActorTable, Vec<String>) {
        (self.actors, self.types)
    }

    /// Installs actor and type tables that events were interned against elsewhere.
    pub fn set_tables(&mut self, actors: ActorTable, types: Vec<String>) {
        self.type_ids = types
            .iter()
            .enumerate()
            .map(|(i, t)| (t.clone(), i as u32))
            .collect();
        self.actors = actors;
        self.types = types;
    }

    /// Appends the events of `other` (read from a later part of the same file), merging its
    /// actors and types into this builder's.
    pub fn append(&mut self, other: DatasetBuilder) {
        let actor_map = self.actors.merge(&other.actors);
        let type_map: Vec<u32> = other.types.iter().map(|t| self.type_id(t)).collect();
        self.append_multiplicity(&other.multiplicity, other.start.len());
        self.start.extend_from_slice(&other.start);
        self.end.extend_from_slice(&other.end);
        self.precision.extend_from_slice(&other.precision);
        self.class.extend_from_slice(&other.class);
        self.type_of
            .extend(other.type_of.iter().map(|&t| type_map[t as usize]));
        self.weight.extend_from_slice(&other.weight);
        let base = self.event_actors.len() as u32;
        self.event_actors
            .extend(other.event_actors.iter().map(|&a| actor_map[a as usize]));
        self.actor_offsets
            .extend(other.actor_offsets[1..].iter().map(|&o| o + base));
        self.records.append(other.records);
    }

    pub fn finish(mut self, source: Option<PathBuf>) -> Dataset {
        let n = self.start.len();
        let order = stable_order_by_day(&self.start);
        // Each column is permuted and its file-order original dropped at once, so that the
        // extra memory at any moment is one column, not the whole table.
        fn permute<T: Copy>(column: Vec<T>, order: &[u32]) -> Vec<T> {
            order.iter().map(|&r| column[r as usize]).collect()
        }
        let start = permute(std::mem::take(&mut self.start), &order);
        let end = permute(std::mem::take(&mut self.end), &order);
        let precision = permute(std::mem::take(&mut self.precision), &order);
        let class = permute(std::mem::take(&mut self.class), &order);
        let type_of = permute(std::mem::take(&mut self.type_of), &order);
        let weight = permute(std::mem::take(&mut self.weight), &order);
        // Empty stays empty: every row one event.
        let multiplicity = match std::mem::take(&mut self.multiplicity) {
            m if m.is_empty() => m,
            m => permute(m, &order),
        };
        let mut actor_offsets = Vec::with_capacity(n + 1);
        let mut event_actors = Vec::with_capacity(self.event_actors.len());
        actor_offsets.push(0);
        for &r in &order {
            let (a0, a1) = (
                self.actor_offsets[r as usize] as usize,
                self.actor_offsets[r as usize + 1] as usize,
            );
            event_actors.extend_from_slice(&self.event_actors[a0..a1]);
            actor_offsets.push(event_actors.len() as u32);
        }
        drop(std::mem::take(&mut self.event_actors));
        let EventPairs {
            pairs,
            pair_offsets,
            event_pairs,
        } = assign_pairs(&actor_offsets, &event_actors);
        let by_end = stable_order_by_day(&end);
        Dataset {
            actors: self.actors,
            types: self.types,
            pairs,
            start,
            end,
            precision,
            class,
            type_of,
            weight,
            multiplicity,
            actor_offsets,
            event_actors,
            pair_offsets,
            event_pairs,
            by_end,
            record: order,
            records: self.records,
            source,
            sources: Vec::new(),
            source_mapping: None,
            on_demand: None,
        }
    }
}

/// The actor pairs of events, as [`Dataset::pairs`], `pair_offsets` and `event_pairs`.
pub struct EventPairs {
    pub pairs: Vec<(ActorId, ActorId)>,
    pub pair_offsets: Vec<u32>,
    pub event_pairs: Vec<PairId>,
}

/// Assigns ids to the unordered actor pairs of events (event `e`'s actors are
/// `event_actors[actor_offsets[e]..actor_offsets[e + 1]]`), in order of first appearance.
pub fn assign_pairs(actor_offsets: &[u32], event_actors: &[ActorId]) -> EventPairs {
    let n = actor_offsets.len().saturating_sub(1);
    let mut pair_offsets = Vec::with_capacity(n + 1);
    let mut event_pairs = Vec::with_capacity(n);
    let mut pairs: Vec<(ActorId, ActorId)> = Vec::new();
    // FxHash: a million lookups of small integer keys, where SipHash's DoS resistance
    // buys nothing (ids are ours, not the file's).
    let mut pair_ids: rustc_hash::FxHashMap<(ActorId, ActorId), PairId> =
        rustc_hash::FxHashMap::default();
    pair_offsets.push(0);
    for e in 0..n {
        let actors = &event_actors[actor_offsets[e] as usize..actor_offsets[e + 1] as usize];
        for (i, &a) in actors.iter().enumerate() {
            for &b in &actors[i + 1..] {
                let key = (a.min(b), a.max(b));
                let id = *pair_ids.entry(key).or_insert_with(|| {
                    pairs.push(key);
                    (pairs.len() - 1) as PairId
                });
                event_pairs.push(id);
            }
        }
        pair_offsets.push(event_pairs.len() as u32);
    }
    EventPairs {
        pairs,
        pair_offsets,
        event_pairs,
    }
}

/// Room for `column` to grow to `factor` times its length (see
/// [`DatasetBuilder::reserve_scaled`]).
fn reserve_scaled<T>(column: &mut Vec<T>, factor: f64) {
    let more = (column.len() as f64 * (factor - 1.0)).max(0.0) as usize;
    let _ = column.try_reserve_exact(more);
}

/// Indices `0..days.len()` ordered by day, ties in index order. A counting sort when the days
/// span a range not much larger than the count (the usual case: events over a few years),
/// a comparison sort otherwise.
pub fn stable_order_by_day(days: &[DayNumber]) -> Vec<u32> {
    let n = days.len();
    let (Some(&lo), Some(&hi)) = (days.iter().min(), days.iter().max()) else {
        return Vec::new();
    };
    let range = (hi as i64 - lo as i64 + 1) as usize;
    if range > 4 * n + 1024 {
        let mut order: Vec<u32> = (0..n as u32).collect();
        order.sort_by_key(|&i| days[i as usize]);
        return order;
    }
    let mut starts = vec![0u32; range + 1];
    for &d in days {
        starts[(d - lo) as usize + 1] += 1;
    }
    for i in 1..starts.len() {
        starts[i] += starts[i - 1];
    }
    let mut order = vec![0u32; n];
    for (i, &d) in days.iter().enumerate() {
        let slot = &mut starts[(d - lo) as usize];
        order[*slot as usize] = i as u32;
        *slot += 1;
    }
    order
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counting_and_comparison_orders_agree() {
        let days = vec![5, 3, 5, 1, 3, 9, -2];
        assert_eq!(stable_order_by_day(&days), vec![6, 3, 1, 4, 0, 2, 5]);
        let spread = vec![1_000_000, 3, -1_000_000, 3];
        assert_eq!(stable_order_by_day(&spread), vec![2, 1, 3, 0]);
    }

    #[test]
    fn multiplicities_survive_sorting_appending_and_merging() {
        let event = |day: i32, count: u32| NewEvent {
            date: PartialDate::from_day(day),
            actors: Vec::new(),
            count,
            ..NewEvent::default()
        };
        let build = |events: &[(i32, u32)]| {
            let mut b = DatasetBuilder::new();
            let ids = vec![
                b.actor("Belarus", None).unwrap(),
                b.actor("Iran", None).unwrap(),
            ];
            for &(day, count) in events {
                b.push(NewEvent {
                    actors: ids.clone(),
                    ..event(day, count)
                });
            }
            b
        };
        // Plain first, an aggregate later: the column appears, earlier rows are ones.
        let mut first = build(&[(9, 1), (3, 0)]);
        assert!(first.multiplicity.is_empty());
        first.append(build(&[(5, 7), (1, 1)]));
        first.append(build(&[(2, 1)]));
        let ds = first.finish(None);
        let by_day: Vec<(i32, u32)> = (0..ds.len() as EventId)
            .map(|e| (ds.start[e as usize], ds.multiplicity(e)))
            .collect();
        assert_eq!(by_day, vec![(1, 1), (2, 1), (3, 1), (5, 7), (9, 1)]);
        assert_eq!(ds.event_total(), 11);
        assert_eq!(ds.pair_event_totals(), vec![11]);
        // Merged with a plain dataset, in either order.
        let plain = build(&[(4, 1)]).finish(None);
        for parts in [
            vec![(plain.clone(), "a".into()), (ds.clone(), "b".into())],
            vec![(ds.clone(), "b".into()), (plain.clone(), "a".into())],
        ] {
            let merged = Dataset::merge(parts);
            assert_eq!(merged.event_total(), 12);
            assert_eq!(merged.len(), 6);
        }
        assert!(
            Dataset::merge(vec![(plain, "a".into())])
                .multiplicity
                .is_empty()
        );
    }

    #[test]
    fn parts_appended_in_order_equal_one_builder() {
        let event = |b: &mut DatasetBuilder, day: i32, a: &str, c: &str, line: u32| {
            let ids = [b.actor(a, None).unwrap(), b.actor(c, None).unwrap()];
            let t = b.type_id("meet");
            b.push_ref(&EventRef {
                start: day,
                end: day,
                precision: Precision::Day,
                end_precision: Precision::Day,
                class: EventClass::Unknown,
                type_id: t,
                weight: 1.0,
                actors: &ids,
                title: "",
                location: "Minsk",
                url: a,
                lat: f32::NAN,
                lon: f32::NAN,
                intensity: f32::NAN,
                source_count: 0,
                line,
            });
        };
        let mut whole = DatasetBuilder::new();
        event(&mut whole, 5, "Belarus", "Iran", 1);
        event(&mut whole, 3, "X", "Iran", 2);
        event(&mut whole, 4, "Y", "Belarus", 3);
        let mut first = DatasetBuilder::new();
        event(&mut first, 5, "Belarus", "Iran", 1);
        let mut second = DatasetBuilder::new();
        event(&mut second, 3, "X", "Iran", 2);
        event(&mut second, 4, "Y", "Belarus", 3);
        first.append(second);
        let (a, b) = (whole.finish(None), first.finish(None));
        assert_eq!(a.start, vec![3, 4, 5]);
        assert_eq!(a.start, b.start);
        assert_eq!(a.pairs.len(), 3);
        for e in 0..3 {
            let names = |d: &Dataset| -> Vec<String> {
                d.actors_of(e)
                    .iter()
                    .map(|&x| d.actors.get(x).name.clone())
                    .collect()
            };
            assert_eq!(names(&a), names(&b));
            assert_eq!(a.url(e), b.url(e));
            assert_eq!(a.line(e), b.line(e));
        }
        assert_eq!(b.url(0), "X");
        assert_eq!(b.location(2), "Minsk");
    }
}
