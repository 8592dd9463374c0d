//! The external merge that keeps building (and appending to) an index in bounded memory.
//!
//! A build collects the columns of at most [`RUN_EVENTS`] events, orders them by start day
//! and writes them (a *run*) to a temporary file beside the index; the events of the next
//! files go into the next run. The runs, and for `--append` the index already there (its
//! columns are in day order: one more run, read where it lies), are then merged into the
//! new index in one pass: the next events are those of the earliest day, taken from the runs
//! in the order they were read, so that ties keep the order of the files and their rows
//! exactly as sorting everything at once did. Each run is read a block at a time per column
//! ([`Cursor`]), and each section of the index is written a block at a time at its place
//! ([`Out`]): every section's size is known before the merge, so the file comes out laid out
//! exactly as before, section for section.
//!
//! Actor pairs: the index numbers them in order of first appearance in day order
//! (`crate::model::assign_pairs`), which only the merge knows. Each run therefore carries its
//! events' pairs under provisional ids, given in a table of every pair seen (kept like the
//! actor table: it grows with the actors, not with the events), and the merge renumbers them
//! through a plain array as it meets them. Looking every pair up in a hash table there
//! instead cost 4.5 s of a 15 s build of 10,000,000 GDELT events (cache misses); the array
//! costs a fraction. The index appended to is one more run whose pair ids are already
//! provisional ones: its pairs table is entered first, in its order.
//!
//! What stays in memory: one run's columns while it is collected, the actor, type and pair
//! tables, and a few hundred kilobytes of buffers per run and per section. The events'
//! order by end day (`ByEnd`) is a second, smaller external sort: (end day, position) of up
//! to [`RUN_EVENTS`] events at a time, ordered and spilled to the same temporary file, then
//! merged.
//!
//! The temporary file is removed when the build ends, whether it succeeded, failed or was
//! cancelled ([`Spill`]'s `Drop`).

use std::fs::File;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use super::build::{Columns, class_of};
use super::open::precision_of;
use crate::io::Progress;
use crate::model::stable_order_by_day;

/// Events in one run. Collecting a run costs about 50 bytes an event (the hot columns, the
/// actor lists, and the source file, line and offset), so 2,000,000 events are some 100 MB,
/// half of what reading one 1,000,000-row GDELT file takes on its own (201 MiB peak for
/// `relmap index gdelt-1.CSV`), which a build needs anyway: the whole build of 10,000,000
/// events then peaks at 361–369 MiB instead of 696–701 (`relmap index
/// target/index-data/gdelt-{1..10}.CSV --out X.relidx` under `/usr/bin/time`, README ▸ The
/// event index on 10,000,000 events). Smaller runs save little (the file being read
/// dominates) and only add runs to merge; larger ones make memory grow with the events
/// again. `BuildOptions::run_events` overrides it (tests use a few events to make every
/// build spill).
pub const RUN_EVENTS: usize = 2_000_000;

/// Bytes read at a time per column of a run.
const CURSOR_BYTES: usize = 64 << 10;
/// Bytes buffered per section of the index before they are written at their place.
const OUT_BYTES: usize = 256 << 10;

/// A fixed-width little-endian value of a column.
pub(super) trait Le: Copy {
    const W: usize;
    fn get(bytes: &[u8]) -> Self;
    fn put(self, out: &mut Vec<u8>);
}

macro_rules! le {
    ($($t:ty),*) => {$(
        impl Le for $t {
            const W: usize = std::mem::size_of::<$t>();
            fn get(bytes: &[u8]) -> Self {
                <$t>::from_le_bytes(bytes.try_into().unwrap())
            }
            fn put(self, out: &mut Vec<u8>) {
                out.extend_from_slice(&self.to_le_bytes());
            }
        }
    )*};
}
le!(u8, u32, i32, f32, u64);

/// A file read (or written) at offsets, with its name for the messages.
pub(super) struct Shared {
    pub(super) file: File,
    pub(super) path: PathBuf,
}

/// Reads exactly `buf.len()` bytes at `offset`, without moving a cursor shared with others
/// (the runs' readers and the index's columns read one file from several places).
pub(super) fn read_at(file: &File, offset: u64, buf: &mut [u8]) -> std::io::Result<()> {
    #[cfg(unix)]
    {
        std::os::unix::fs::FileExt::read_exact_at(file, buf, offset)
    }
    #[cfg(windows)]
    {
        let mut done = 0;
        while done < buf.len() {
            let n = std::os::windows::fs::FileExt::seek_read(
                file,
                &mut buf[done..],
                offset + done as u64,
            )?;
            if n == 0 {
                return Err(std::io::ErrorKind::UnexpectedEof.into());
            }
            done += n;
        }
        Ok(())
    }
}

pub(super) fn write_at(file: &File, offset: u64, buf: &[u8]) -> std::io::Result<()> {
    #[cfg(unix)]
    {
        std::os::unix::fs::FileExt::write_all_at(file, buf, offset)
    }
    #[cfg(windows)]
    {
        let mut done = 0;
        while done < buf.len() {
            let n = std::os::windows::fs::FileExt::seek_write(
                file,
                &buf[done..],
                offset + done as u64,
            )?;
            if n == 0 {
                return Err(std::io::ErrorKind::WriteZero.into());
            }
            done += n;
        }
        Ok(())
    }
}

/// The values of one column of a run, in order: all of them in memory (the last run), or a
/// block at a time from a place in a file.
pub(super) struct Cursor<T> {
    values: Vec<T>,
    pos: usize,
    /// The file, and the part of the place not read yet: (next offset, end offset).
    from: Option<(Arc<Shared>, u64, u64)>,
    bytes: Vec<u8>,
}

impl<T: Le> Cursor<T> {
    pub(super) fn memory(values: Vec<T>) -> Self {
        Self {
            values,
            pos: 0,
            from: None,
            bytes: Vec::new(),
        }
    }

    /// The `length` bytes at `offset` of `file` (a whole number of values).
    pub(super) fn file(file: &Arc<Shared>, (offset, length): (u64, u64)) -> Self {
        Self {
            values: Vec::new(),
            pos: 0,
            from: Some((file.clone(), offset, offset + length)),
            bytes: Vec::new(),
        }
    }

    /// Whether there is a value to take, reading the next block when needed.
    fn fill(&mut self) -> Result<bool, String> {
        if self.pos < self.values.len() {
            return Ok(true);
        }
        let Some((shared, at, end)) = &mut self.from else {
            return Ok(false);
        };
        let n = ((*end - *at) as usize).min(CURSOR_BYTES) / T::W * T::W;
        if n == 0 {
            return Ok(false);
        }
        self.bytes.resize(n, 0);
        read_at(&shared.file, *at, &mut self.bytes)
            .map_err(|e| format!("{}: cannot read it: {e}", shared.path.display()))?;
        *at += n as u64;
        self.values.clear();
        self.values
            .extend(self.bytes.chunks_exact(T::W).map(|b| T::get(b)));
        self.pos = 0;
        Ok(true)
    }

    pub(super) fn peek(&mut self) -> Result<Option<T>, String> {
        Ok(if self.fill()? {
            Some(self.values[self.pos])
        } else {
            None
        })
    }

    pub(super) fn next(&mut self, label: &str) -> Result<T, String> {
        if !self.fill()? {
            return Err(format!("{label}: damaged index: a column ends early"));
        }
        let v = self.values[self.pos];
        self.pos += 1;
        Ok(v)
    }
}

/// Where each column of a run is in its file: (offset, length in bytes).
pub(super) struct Places {
    pub(super) start: (u64, u64),
    pub(super) end: (u64, u64),
    pub(super) precision: (u64, u64),
    pub(super) class: (u64, u64),
    pub(super) type_of: (u64, u64),
    pub(super) weight: (u64, u64),
    pub(super) multiplicity: Option<(u64, u64)>,
    pub(super) actor_offsets: (u64, u64),
    pub(super) event_actors: (u64, u64),
    pub(super) pair_offsets: (u64, u64),
    pub(super) event_pairs: (u64, u64),
    pub(super) file: (u64, u64),
    pub(super) line: (u64, u64),
    pub(super) offset: (u64, u64),
}

/// Events in start-day order, read one at a time, column by column.
pub(super) struct Run {
    /// What to name in a message: the index appended to, or the temporary file.
    label: String,
    start: Cursor<i32>,
    end: Cursor<i32>,
    precision: Cursor<u8>,
    class: Cursor<u8>,
    type_of: Cursor<u32>,
    weight: Cursor<f32>,
    /// `None` when every row is one event.
    multiplicity: Option<Cursor<u32>>,
    actor_offsets: Cursor<u32>,
    event_actors: Cursor<u32>,
    pair_offsets: Cursor<u32>,
    /// Provisional pair ids (see the module docs).
    event_pairs: Cursor<u32>,
    file: Cursor<u32>,
    line: Cursor<u32>,
    offset: Cursor<u64>,
    /// The actor and pair offsets of the event before (the first of each column once read).
    actors_from: u32,
    pairs_from: u32,
    /// The start day of the event before: a run out of order is a damaged index.
    last_start: i32,
}

impl Run {
    /// A run stored at `places` of `file`.
    pub(super) fn stored(file: &Arc<Shared>, label: String, p: &Places) -> Self {
        Self {
            label,
            start: Cursor::file(file, p.start),
            end: Cursor::file(file, p.end),
            precision: Cursor::file(file, p.precision),
            class: Cursor::file(file, p.class),
            type_of: Cursor::file(file, p.type_of),
            weight: Cursor::file(file, p.weight),
            multiplicity: p.multiplicity.map(|m| Cursor::file(file, m)),
            actor_offsets: Cursor::file(file, p.actor_offsets),
            event_actors: Cursor::file(file, p.event_actors),
            pair_offsets: Cursor::file(file, p.pair_offsets),
            event_pairs: Cursor::file(file, p.event_pairs),
            file: Cursor::file(file, p.file),
            line: Cursor::file(file, p.line),
            offset: Cursor::file(file, p.offset),
            actors_from: 0,
            pairs_from: 0,
            last_start: i32::MIN,
        }
    }

    /// The last run, kept in memory: `c` must be in day order already, `p` its pairs.
    fn memory(c: Columns, p: RunPairs) -> Self {
        Self {
            label: "the events read".into(),
            start: Cursor::memory(c.start),
            end: Cursor::memory(c.end),
            precision: Cursor::memory(c.precision),
            class: Cursor::memory(c.class),
            type_of: Cursor::memory(c.type_of),
            weight: Cursor::memory(c.weight),
            multiplicity: (!c.multiplicity.is_empty()).then(|| Cursor::memory(c.multiplicity)),
            actor_offsets: Cursor::memory(c.actor_offsets),
            event_actors: Cursor::memory(c.event_actors),
            pair_offsets: Cursor::memory(p.pair_offsets),
            event_pairs: Cursor::memory(p.event_pairs),
            file: Cursor::memory(c.file),
            line: Cursor::memory(c.line),
            offset: Cursor::memory(c.offset),
            actors_from: 0,
            pairs_from: 0,
            last_start: i32::MIN,
        }
    }
}

/// Orders collected columns by start day (stable: ties keep the order read), one column at a
/// time (the peak is the columns and one copy of the largest).
fn sort_by_day(mut c: Columns) -> Columns {
    let order = stable_order_by_day(&c.start);
    fn permute<T: Copy>(column: &mut Vec<T>, order: &[u32]) {
        if !column.is_empty() {
            *column = order.iter().map(|&r| column[r as usize]).collect();
        }
    }
    permute(&mut c.start, &order);
    permute(&mut c.end, &order);
    permute(&mut c.precision, &order);
    permute(&mut c.class, &order);
    permute(&mut c.type_of, &order);
    permute(&mut c.weight, &order);
    permute(&mut c.multiplicity, &order);
    permute(&mut c.file, &order);
    permute(&mut c.line, &order);
    permute(&mut c.offset, &order);
    let mut actor_offsets = Vec::with_capacity(order.len() + 1);
    let mut event_actors = Vec::with_capacity(c.event_actors.len());
    actor_offsets.push(0u32);
    for &r in &order {
        let r = r as usize;
        event_actors.extend_from_slice(
            &c.event_actors[c.actor_offsets[r] as usize..c.actor_offsets[r + 1] as usize],
        );
        actor_offsets.push(event_actors.len() as u32);
    }
    c.actor_offsets = actor_offsets;
    c.event_actors = event_actors;
    c
}

/// The temporary file of the runs, beside the index; created at the first spill, removed
/// when dropped (success, failure, cancel).
pub(super) struct Spill {
    path: PathBuf,
    file: Option<Arc<Shared>>,
    len: u64,
    block: Vec<u8>,
}

impl Spill {
    pub(super) fn new(out: &Path) -> Self {
        let mut name = out.file_name().unwrap_or_default().to_os_string();
        name.push(format!(".runs-{}.tmp", std::process::id()));
        Self {
            path: out.with_file_name(name),
            file: None,
            len: 0,
            block: Vec::new(),
        }
    }

    fn shared(&mut self) -> Result<Arc<Shared>, String> {
        if let Some(f) = &self.file {
            return Ok(f.clone());
        }
        let file = std::fs::OpenOptions::new()
            .read(true)
            .write(true)
            .create(true)
            .truncate(true)
            .open(&self.path)
            .map_err(|e| format!("{}: cannot write it: {e}", self.path.display()))?;
        let shared = Arc::new(Shared {
            file,
            path: self.path.clone(),
        });
        self.file = Some(shared.clone());
        Ok(shared)
    }

    /// Writes `values` at the end of the file; returns where.
    fn write<T: Le>(&mut self, values: &[T]) -> Result<(u64, u64), String> {
        let shared = self.shared()?;
        let offset = self.len;
        let mut block = std::mem::take(&mut self.block);
        for chunk in values.chunks(CURSOR_BYTES / T::W) {
            block.clear();
            for &v in chunk {
                v.put(&mut block);
            }
            write_at(&shared.file, self.len, &block)
                .map_err(|e| format!("{}: cannot write it: {e}", self.path.display()))?;
            self.len += block.len() as u64;
        }
        self.block = block;
        Ok((offset, self.len - offset))
    }
}

impl Drop for Spill {
    fn drop(&mut self) {
        if self.file.take().is_some() {
            let _ = std::fs::remove_file(&self.path);
        }
    }
}

/// What the index will hold, counted as the runs are made: every section's size is known
/// before the merge writes it.
#[derive(Default)]
pub(super) struct Tally {
    pub(super) events: u64,
    pub(super) event_actors: u64,
    pub(super) event_pairs: u64,
    pub(super) aggregated: bool,
    /// Every actor pair of an event, to its provisional id: its place in `pair_list`.
    pub(super) pair_ids: rustc_hash::FxHashMap<(u32, u32), u32>,
    /// The pairs by provisional id.
    pub(super) pair_list: Vec<(u32, u32)>,
}

/// The pairs of a run's events, under provisional ids.
pub(super) struct RunPairs {
    pair_offsets: Vec<u32>,
    event_pairs: Vec<u32>,
}

impl Tally {
    /// The provisional id of a pair (smaller actor id first), new ones numbered in turn.
    pub(super) fn pair_id(&mut self, key: (u32, u32)) -> u32 {
        let next = self.pair_list.len() as u32;
        let id = *self.pair_ids.entry(key).or_insert(next);
        if id == next {
            self.pair_list.push(key);
        }
        id
    }

    /// Counts a run's events and gives their pairs (as `crate::model::assign_pairs` makes
    /// them: every two actors of an event, smaller id first), under provisional ids.
    fn add(&mut self, c: &Columns) -> RunPairs {
        self.events += c.len() as u64;
        self.event_actors += c.event_actors.len() as u64;
        self.aggregated |= !c.multiplicity.is_empty();
        let mut pair_offsets = Vec::with_capacity(c.len() + 1);
        let mut event_pairs = Vec::new();
        pair_offsets.push(0);
        for w in c.actor_offsets.windows(2) {
            let actors = &c.event_actors[w[0] as usize..w[1] as usize];
            for (i, &a) in actors.iter().enumerate() {
                for &b in &actors[i + 1..] {
                    event_pairs.push(self.pair_id((a.min(b), a.max(b))));
                }
            }
            pair_offsets.push(event_pairs.len() as u32);
        }
        self.event_pairs += event_pairs.len() as u64;
        RunPairs {
            pair_offsets,
            event_pairs,
        }
    }
}

/// The runs of a build: the budget, the runs made so far, their tally, their file.
pub(super) struct Runs {
    pub(super) budget: usize,
    pub(super) runs: Vec<Run>,
    pub(super) tally: Tally,
    pub(super) spill: Spill,
}

impl Runs {
    pub(super) fn new(out: &Path, budget: usize) -> Self {
        Self {
            budget: budget.max(1),
            runs: Vec::new(),
            tally: Tally::default(),
            spill: Spill::new(out),
        }
    }

    /// Spills `columns` as a run when they hold the budget's events.
    pub(super) fn spill_if_full(&mut self, columns: &mut Columns) -> Result<(), String> {
        if columns.len() < self.budget {
            return Ok(());
        }
        let c = sort_by_day(std::mem::replace(columns, Columns::new()));
        let p = self.tally.add(&c);
        let s = &mut self.spill;
        let places = Places {
            start: s.write(&c.start)?,
            end: s.write(&c.end)?,
            precision: s.write(&c.precision)?,
            class: s.write(&c.class)?,
            type_of: s.write(&c.type_of)?,
            weight: s.write(&c.weight)?,
            multiplicity: if c.multiplicity.is_empty() {
                None
            } else {
                Some(s.write(&c.multiplicity)?)
            },
            actor_offsets: s.write(&c.actor_offsets)?,
            event_actors: s.write(&c.event_actors)?,
            pair_offsets: s.write(&p.pair_offsets)?,
            event_pairs: s.write(&p.event_pairs)?,
            file: s.write(&c.file)?,
            line: s.write(&c.line)?,
            offset: s.write(&c.offset)?,
        };
        let shared = s.shared()?;
        let label = format!("{} (a temporary file)", shared.path.display());
        self.runs.push(Run::stored(&shared, label, &places));
        Ok(())
    }

    /// The events still collected become the last run, kept in memory.
    pub(super) fn finish(&mut self, columns: Columns) {
        if columns.len() > 0 {
            let c = sort_by_day(columns);
            let p = self.tally.add(&c);
            self.runs.push(Run::memory(c, p));
        }
    }
}

/// One section of the index being written: its values are buffered and written at its place.
pub(super) struct Out<'a> {
    file: &'a File,
    path: &'a Path,
    name: &'static str,
    at: u64,
    end: u64,
    buf: Vec<u8>,
}

impl<'a> Out<'a> {
    pub(super) fn new(
        file: &'a File,
        path: &'a Path,
        name: &'static str,
        (offset, length): (u64, u64),
    ) -> Self {
        Self {
            file,
            path,
            name,
            at: offset,
            end: offset + length,
            buf: Vec::with_capacity(OUT_BYTES + 8),
        }
    }

    #[inline]
    pub(super) fn put<T: Le>(&mut self, v: T) -> Result<(), String> {
        v.put(&mut self.buf);
        if self.buf.len() >= OUT_BYTES {
            self.flush()?;
        }
        Ok(())
    }

    pub(super) fn put_bytes(&mut self, bytes: &[u8]) -> Result<(), String> {
        self.flush()?;
        self.write(bytes)
    }

    fn write(&mut self, bytes: &[u8]) -> Result<(), String> {
        if self.at + bytes.len() as u64 > self.end {
            return Err(self.overflow());
        }
        write_at(self.file, self.at, bytes)
            .map_err(|e| format!("{}: cannot write the index: {e}", self.path.display()))?;
        self.at += bytes.len() as u64;
        Ok(())
    }

    fn flush(&mut self) -> Result<(), String> {
        let buf = std::mem::take(&mut self.buf);
        let result = self.write(&buf);
        self.buf = buf;
        self.buf.clear();
        result
    }

    fn overflow(&self) -> String {
        format!(
            "{}: the {} do not add up to what the index to append to says it holds (a damaged index?)",
            self.path.display(),
            self.name
        )
    }

    /// Checks that the section is complete.
    pub(super) fn finish(mut self) -> Result<(), String> {
        self.flush()?;
        if self.at != self.end {
            return Err(self.overflow());
        }
        Ok(())
    }
}

/// The per-event sections of the index, being written.
pub(super) struct EventSections<'a> {
    pub(super) start: Out<'a>,
    pub(super) end: Out<'a>,
    pub(super) precision: Out<'a>,
    pub(super) class: Out<'a>,
    pub(super) type_of: Out<'a>,
    pub(super) weight: Out<'a>,
    pub(super) multiplicity: Option<Out<'a>>,
    pub(super) actor_offsets: Out<'a>,
    pub(super) event_actors: Out<'a>,
    pub(super) pair_offsets: Out<'a>,
    pub(super) event_pairs: Out<'a>,
    pub(super) pairs: Out<'a>,
    pub(super) file: Out<'a>,
    pub(super) line: Out<'a>,
    pub(super) offset: Out<'a>,
}

/// The limits every id read from a run is checked against (an index appended to may be
/// damaged: it is refused with the reason, never written on with ids out of range).
pub(super) struct Limits {
    pub(super) actors: u32,
    pub(super) types: u32,
    pub(super) sources: u32,
}

/// Merges `runs` (each in start-day order, in the order read) into `out`'s per-event
/// sections, numbering the pairs (`pair_list`, by provisional id) in order of first
/// appearance (as `crate::model::assign_pairs` does) and collecting the order by end day
/// into `by_end`.
pub(super) fn merge(
    mut runs: Vec<Run>,
    pair_list: &[(u32, u32)],
    limits: &Limits,
    out: &mut EventSections,
    by_end: &mut EndOrder,
    progress: &Progress,
) -> Result<(), String> {
    for run in &mut runs {
        if run.actor_offsets.next(&run.label)? != 0 || run.pair_offsets.next(&run.label)? != 0 {
            return Err(format!(
                "{}: damaged index: the actor or pair offsets do not start at 0",
                run.label
            ));
        }
    }
    // Provisional pair id to final, `u32::MAX` until met.
    let mut final_id = vec![u32::MAX; pair_list.len()];
    out.actor_offsets.put(0u32)?;
    out.pair_offsets.put(0u32)?;
    let mut written: u64 = 0;
    let mut actors_total: u32 = 0;
    let mut pairs_total: u32 = 0;
    let mut next_pair: u32 = 0;
    let aggregated = out.multiplicity.is_some();
    loop {
        let mut day = None;
        for run in &mut runs {
            if let Some(d) = run.start.peek()? {
                day = Some(day.map_or(d, |m: i32| m.min(d)));
            }
        }
        let Some(day) = day else { break };
        for run in &mut runs {
            while run.start.peek()? == Some(day) {
                if written.is_multiple_of(1 << 16) && progress.is_cancelled() {
                    return Err("indexing was cancelled".into());
                }
                let label = run.label.as_str();
                let start = run.start.next(label)?;
                if start < run.last_start {
                    return Err(format!(
                        "{label}: damaged index: the events are not in date order"
                    ));
                }
                run.last_start = start;
                let end = run.end.next(label)?;
                if end < start {
                    return Err(format!(
                        "{label}: damaged index: not in date order (an event ends before it starts)"
                    ));
                }
                let precision = run.precision.next(label)?;
                let class = run.class.next(label)?;
                let type_of = run.type_of.next(label)?;
                if precision_of(precision).is_none()
                    || class_of(class).is_none()
                    || type_of >= limits.types
                {
                    return Err(format!(
                        "{label}: damaged index: an unknown date precision, event class or type"
                    ));
                }
                out.start.put(start)?;
                out.end.put(end)?;
                out.precision.put(precision)?;
                out.class.put(class)?;
                out.type_of.put(type_of)?;
                out.weight.put(run.weight.next(label)?)?;
                if let Some(m) = &mut out.multiplicity {
                    let n = match &mut run.multiplicity {
                        Some(c) => c.next(label)?,
                        None => 1,
                    };
                    m.put(n)?;
                }
                debug_assert!(aggregated || run.multiplicity.is_none());
                // The actors, and the pairs of every two of them.
                let from = run.actors_from;
                let to = run.actor_offsets.next(label)?;
                if to < from {
                    return Err(format!(
                        "{label}: damaged index: the actor offsets are out of order"
                    ));
                }
                run.actors_from = to;
                for _ in from..to {
                    let a = run.event_actors.next(label)?;
                    if a >= limits.actors {
                        return Err(format!(
                            "{label}: damaged index: an event's actor is {a} of {}",
                            limits.actors
                        ));
                    }
                    out.event_actors.put(a)?;
                }
                actors_total = actors_total
                    .checked_add(to - from)
                    .ok_or("more actors of events than an index holds (4,294,967,295)")?;
                out.actor_offsets.put(actors_total)?;
                let from = run.pairs_from;
                let to = run.pair_offsets.next(label)?;
                if to < from {
                    return Err(format!(
                        "{label}: damaged index: the pair offsets are out of order"
                    ));
                }
                run.pairs_from = to;
                for _ in from..to {
                    let p = run.event_pairs.next(label)?;
                    let id = final_id.get_mut(p as usize).ok_or_else(|| {
                        format!(
                            "{label}: damaged index: an event's pair is {p} of {}",
                            pair_list.len()
                        )
                    })?;
                    if *id == u32::MAX {
                        *id = next_pair;
                        next_pair += 1;
                        let (a, b) = pair_list[p as usize];
                        out.pairs.put(a)?;
                        out.pairs.put(b)?;
                    }
                    out.event_pairs.put(*id)?;
                }
                pairs_total = pairs_total
                    .checked_add(to - from)
                    .ok_or("more pairs of events than an index holds (4,294,967,295)")?;
                out.pair_offsets.put(pairs_total)?;
                let file = run.file.next(label)?;
                if file >= limits.sources {
                    return Err(format!(
                        "{label}: damaged index: an event's source is {file} of {}",
                        limits.sources
                    ));
                }
                out.file.put(file)?;
                out.line.put(run.line.next(label)?)?;
                out.offset.put(run.offset.next(label)?)?;
                by_end.push(end)?;
                written += 1;
            }
        }
    }
    Ok(())
}

/// The order of the events by end day (ties in position order), sorted externally: the end
/// days of up to a budget of events at a time, ordered and spilled, then merged.
pub(super) struct EndOrder<'s> {
    budget: usize,
    ends: Vec<i32>,
    /// The position of `ends[0]` in the index.
    base: u32,
    chunks: Vec<(Cursor<i32>, Cursor<u32>)>,
    spill: &'s mut Spill,
}

impl<'s> EndOrder<'s> {
    pub(super) fn new(budget: usize, spill: &'s mut Spill) -> Self {
        Self {
            budget: budget.max(1),
            ends: Vec::new(),
            base: 0,
            chunks: Vec::new(),
            spill,
        }
    }

    fn push(&mut self, end: i32) -> Result<(), String> {
        self.ends.push(end);
        if self.ends.len() >= self.budget {
            self.spill_chunk()?;
        }
        Ok(())
    }

    /// The ends collected, ordered, and their positions.
    fn sorted(&mut self) -> (Vec<i32>, Vec<u32>) {
        let order = stable_order_by_day(&self.ends);
        let ends = order.iter().map(|&i| self.ends[i as usize]).collect();
        let positions = order.iter().map(|&i| self.base + i).collect();
        self.base += self.ends.len() as u32;
        self.ends.clear();
        (ends, positions)
    }

    fn spill_chunk(&mut self) -> Result<(), String> {
        let (ends, positions) = self.sorted();
        let at_ends = self.spill.write(&ends)?;
        let at_positions = self.spill.write(&positions)?;
        let shared = self.spill.shared()?;
        self.chunks.push((
            Cursor::file(&shared, at_ends),
            Cursor::file(&shared, at_positions),
        ));
        Ok(())
    }

    /// Writes the order into the `ByEnd` section.
    pub(super) fn finish(mut self, mut out: Out) -> Result<(), String> {
        if self.chunks.is_empty() {
            let (_, positions) = self.sorted();
            for p in positions {
                out.put(p)?;
            }
            return out.finish();
        }
        if !self.ends.is_empty() {
            let (ends, positions) = self.sorted();
            self.chunks
                .push((Cursor::memory(ends), Cursor::memory(positions)));
        }
        let label = "the events' end days (a temporary file)";
        loop {
            let mut day = None;
            for (ends, _) in &mut self.chunks {
                if let Some(d) = ends.peek()? {
                    day = Some(day.map_or(d, |m: i32| m.min(d)));
                }
            }
            let Some(day) = day else { break };
            for (ends, positions) in &mut self.chunks {
                while ends.peek()? == Some(day) {
                    ends.next(label)?;
                    out.put(positions.next(label)?)?;
                }
            }
        }
        out.finish()
    }
}
