//! Building an index: each source is read by the ordinary readers, one at a time, and only
//! the compact columns of its events are kept (about 50 bytes an event) before the next is
//! read. Every [`RUN_EVENTS`](super::runs::RUN_EVENTS) events the columns are ordered by day
//! and spilled to a temporary file as a run; at the end the runs (and, when appending, the
//! index already there) are merged into the new index, written section by section to a
//! temporary file that replaces the target when complete (`super::runs`). Memory therefore
//! stays bounded whatever the number of events: the file being read, one run, and the actor,
//! type and pair tables.

use std::io::{Seek as _, SeekFrom, Write as _};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use super::runs::{self, Cursor, EndOrder, EventSections, Limits, Out, Run, Runs, Shared};
use super::{
    HEADER_BYTES, MAGIC, Meta, Section, SourceAccess, SourceRecord, TABLE_ENTRY_BYTES, VERSION,
    quick_hash,
};
use crate::export::file::AtomicFile;
use crate::io::{self, LoadOptions, Progress, archive};
use crate::model::{ActorTable, Dataset, EventClass, EventId, NO_FILE};

/// What `relmap index` was asked.
#[derive(Clone, Debug, Default)]
pub struct BuildOptions {
    /// How to read the sources (format, column mapping).
    pub load: LoadOptions,
    /// Add the sources to the existing index at the output path (a new one when none).
    pub append: bool,
    /// Events collected before they are spilled as a sorted run; `None`:
    /// [`RUN_EVENTS`](super::runs::RUN_EVENTS). Smaller saves memory, not time.
    pub run_events: Option<usize>,
}

/// What a build did.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct BuildReport {
    /// Events (rows) in the index written.
    pub rows: u64,
    /// Sources in it.
    pub sources: usize,
    /// Sources read by this build.
    pub added: usize,
    /// Rows skipped as unreadable by this build.
    pub skipped_rows: u64,
    /// Things the user should know (a source given twice, an appended index's changed
    /// source): one line each.
    pub warnings: Vec<String>,
}

/// The columns of the events collected so far, in the order they were read.
pub(super) struct Columns {
    pub(super) start: Vec<i32>,
    pub(super) end: Vec<i32>,
    pub(super) precision: Vec<u8>,
    pub(super) class: Vec<u8>,
    pub(super) type_of: Vec<u32>,
    pub(super) weight: Vec<f32>,
    /// Empty while every row is one event.
    pub(super) multiplicity: Vec<u32>,
    pub(super) actor_offsets: Vec<u32>,
    pub(super) event_actors: Vec<u32>,
    pub(super) file: Vec<u32>,
    pub(super) line: Vec<u32>,
    pub(super) offset: Vec<u64>,
}

impl Columns {
    pub(super) fn new() -> Self {
        Self {
            start: Vec::new(),
            end: Vec::new(),
            precision: Vec::new(),
            class: Vec::new(),
            type_of: Vec::new(),
            weight: Vec::new(),
            multiplicity: Vec::new(),
            actor_offsets: vec![0],
            event_actors: Vec::new(),
            file: Vec::new(),
            line: Vec::new(),
            offset: Vec::new(),
        }
    }

    pub(super) fn len(&self) -> usize {
        self.start.len()
    }

    fn reserve(&mut self, n: usize) {
        self.start.reserve(n);
        self.end.reserve(n);
        self.precision.reserve(n);
        self.class.reserve(n);
        self.type_of.reserve(n);
        self.weight.reserve(n);
        self.actor_offsets.reserve(n);
        self.file.reserve(n);
        self.line.reserve(n);
        self.offset.reserve(n);
    }

    /// Called before the event's other columns grow. The first row standing for several
    /// events fills in ones for the events before it (none when it is the first: an empty
    /// column then still means "all ones", so the test is not on emptiness alone).
    fn push_multiplicity(&mut self, n: u32) {
        if n > 1 || !self.multiplicity.is_empty() {
            self.multiplicity.resize(self.len(), 1);
            self.multiplicity.push(n.max(1));
        }
    }
}

/// Reads `inputs` (any supported files, archives, `archive.zip:member`s) and writes the index
/// at `out` (with `append`, adds them to the one there). `report` hears a line per step for
/// a progress display; cancelling `progress` stops between blocks and leaves `out` as it
/// was. Fails, writing nothing, on a source that gives no event, on a damaged index to
/// append to, or when `out` cannot be written.
pub fn build_index(
    inputs: &[PathBuf],
    out: &Path,
    options: &BuildOptions,
    progress: &Progress,
    report: &mut dyn FnMut(&str),
) -> Result<BuildReport, String> {
    if inputs.is_empty() {
        return Err("no event file given".into());
    }
    let mut result = BuildReport::default();
    let mut columns = Columns::new();
    let mut actors = ActorTable::default();
    let mut types: Vec<String> = Vec::new();
    let mut sources: Vec<SourceRecord> = Vec::new();
    let mut runs = Runs::new(out, options.run_events.unwrap_or(runs::RUN_EVENTS));
    // The stored details of the index appended to: copied ahead of the new ones, which
    // are numbered after them, so that its events' offsets stay as they are.
    let mut kept_details: Option<Kept> = None;
    if options.append && out.exists() {
        report(&format!("reading the index {}", out.display()));
        let existing = super::open::open_for_append(out).map_err(|e| e.to_string())?;
        for warning in existing.warnings {
            result.warnings.push(warning);
        }
        let m = existing.meta;
        let t = &mut runs.tally;
        t.events = m.events;
        t.event_actors = m.event_actors;
        t.event_pairs = m.event_pairs;
        t.aggregated = m.aggregated;
        // Its pairs first, in its order: its pair ids are then provisional ids as they are.
        let mut pairs = existing.pairs;
        let label = out.display().to_string();
        t.pair_ids.reserve(m.pairs as usize);
        for _ in 0..m.pairs {
            let a = pairs.next(&label)?;
            let b = pairs.next(&label)?;
            // As `open_index` checks them: an appended index is never written from a damaged one.
            if a.max(b) as usize >= m.actors.len() {
                return Err(format!(
                    "{label}: damaged index: a pair names an actor out of range"
                ));
            }
            t.pair_id((a, b));
        }
        if t.pair_list.len() as u64 != m.pairs {
            return Err(format!(
                "{label}: damaged index: its pairs table repeats a pair"
            ));
        }
        actors = m.actors;
        types = m.types;
        sources = m.sources;
        runs.runs.push(existing.run);
        kept_details = Some((existing.file, existing.details));
    }
    let kept_bytes = kept_details.as_ref().map_or(0, |(_, (_, length))| *length);
    let mut stored = DetailStore::new(out, kept_bytes)
        .map_err(|e| format!("{}: cannot write beside the index: {e}", out.display()))?;
    for (k, input) in inputs.iter().enumerate() {
        if progress.is_cancelled() {
            return Err("indexing was cancelled".into());
        }
        if super::is_index(input) {
            return Err(format!(
                "{}: this is an index; give the event files it was built from",
                input.display()
            ));
        }
        let absolute = absolute_source(input);
        report(&format!(
            "reading {} ({} of {})",
            input.display(),
            k + 1,
            inputs.len()
        ));
        let loaded = io::load_path(input, &options.load, progress).map_err(|e| {
            if e.is_cancelled() {
                "indexing was cancelled".to_string()
            } else {
                e.to_string()
            }
        })?;
        let skipped = loaded.diagnostics.skipped as u64;
        result.skipped_rows += skipped;
        let ds = loaded.dataset;
        // The sources of this input: itself, or each member of an archive read whole.
        let names: Vec<PathBuf> = if ds.sources.is_empty() {
            vec![absolute.clone()]
        } else {
            ds.sources.iter().map(|p| absolute_source(p)).collect()
        };
        let mut first_source = Vec::with_capacity(names.len());
        let mut skip_input = false;
        for name in &names {
            let (file_path, _) = archive::split_member(name);
            let (size, hash) = quick_hash(&file_path)
                .map_err(|e| format!("{}: cannot read the file: {e}", file_path.display()))?;
            if sources
                .iter()
                .any(|s| s.path == *name && s.hash == hash && s.size == size)
            {
                result.warnings.push(format!(
                    "{}: already in the index, not added again",
                    name.display()
                ));
                skip_input = true;
                break;
            }
            let access = access_of(name, loaded.format);
            first_source.push(sources.len() as u32);
            sources.push(SourceRecord {
                path: name.clone(),
                size,
                hash,
                modified_ns: std::fs::metadata(&file_path)
                    .ok()
                    .and_then(|m| super::modified_ns(&m)),
                format: loaded.format,
                mapping: ds.source_mapping.clone(),
                access,
                events: 0,
                skipped_rows: if names.len() == 1 { skipped } else { 0 },
            });
        }
        if skip_input {
            // Undo the records pushed for this input's earlier members.
            sources.truncate(sources.len() - first_source.len());
            continue;
        }
        let line_starts =
            if names.len() == 1 && sources.last().unwrap().access == SourceAccess::Rows {
                Some(line_starts(&absolute).map_err(|e| format!("{}: {e}", absolute.display()))?)
            } else {
                None
            };
        let place = match &line_starts {
            Some(starts) => RowPlace::Lines(starts),
            None => RowPlace::Stored(&mut stored),
        };
        add_events(
            &mut columns,
            &mut runs,
            input,
            &ds,
            &mut actors,
            &mut types,
            &first_source,
            place,
            &mut sources,
        )?;
        drop(ds);
        result.added += 1;
        report(&format!(
            "{} rows so far",
            runs.tally.events + columns.len() as u64
        ));
    }
    if progress.is_cancelled() {
        return Err("indexing was cancelled".into());
    }
    runs.finish(columns);
    if runs.tally.events == 0 {
        return Err("no event was read".into());
    }
    report(&format!(
        "merging {} rows ({} sorted runs) by day into {}",
        runs.tally.events,
        runs.runs.len(),
        out.display()
    ));
    result.rows = runs.tally.events;
    result.sources = sources.len();
    write_index(
        out,
        runs,
        actors,
        types,
        sources,
        (kept_details, stored),
        progress,
    )?;
    Ok(result)
}

/// A source's path as recorded: absolute, so that the index works from any folder.
fn absolute_source(path: &Path) -> PathBuf {
    let (file, member) = archive::split_member(path);
    let file = std::fs::canonicalize(&file).unwrap_or(file);
    match member {
        Some(m) => PathBuf::from(format!("{}:{m}", file.display())),
        None => file,
    }
}

/// Whether a source's rows can be read alone by byte offset.
fn access_of(path: &Path, format: io::Format) -> SourceAccess {
    let (file, member) = archive::split_member(path);
    if member.is_some() || format == io::Format::Json {
        return SourceAccess::Stored;
    }
    let mut head = [0u8; 8];
    let n = std::fs::File::open(&file)
        .and_then(|mut f| std::io::Read::read(&mut f, &mut head))
        .unwrap_or(0);
    let head = &head[..n];
    if archive::compression_of(head) != archive::Compression::None
        || io::parquet::looks_like_parquet(head)
        || io::parquet::has_parquet_name(path)
    {
        SourceAccess::Stored
    } else {
        SourceAccess::Rows
    }
}

/// The byte offset of the start of every line of a file (line `l`, 1-based, starts at
/// `[l - 1]`), found 8 MiB at a time.
fn line_starts(path: &Path) -> std::io::Result<Vec<u64>> {
    use std::io::Read as _;
    let mut file = std::fs::File::open(path)?;
    let mut starts = vec![0u64];
    let mut buf = vec![0u8; 8 << 20];
    let mut base = 0u64;
    loop {
        let n = file.read(&mut buf)?;
        if n == 0 {
            break;
        }
        starts.extend(memchr::memchr_iter(b'\n', &buf[..n]).map(|i| base + i as u64 + 1));
        base += n as u64;
    }
    Ok(starts)
}

/// Appends the events of one loaded input in file order, its actors and types interned into
/// the index's tables, spilling a run each time the columns hold the budget's events.
/// `first_source` holds the index of each of its sources (one, or one per archive member in
/// `ds.sources` order).
#[allow(clippy::too_many_arguments)]
fn add_events(
    columns: &mut Columns,
    runs: &mut Runs,
    input: &Path,
    ds: &Dataset,
    actors: &mut ActorTable,
    types: &mut Vec<String>,
    first_source: &[u32],
    mut place: RowPlace,
    sources: &mut [SourceRecord],
) -> Result<(), String> {
    let actor_map = actors.merge(&ds.actors);
    let mut type_ids: rustc_hash::FxHashMap<&str, u32> = types
        .iter()
        .enumerate()
        .map(|(i, t)| (t.as_str(), i as u32))
        .collect();
    let mut new_types = Vec::new();
    let type_map: Vec<u32> = ds
        .types
        .iter()
        .map(|t| {
            *type_ids.entry(t.as_str()).or_insert_with(|| {
                new_types.push(t.clone());
                (types.len() + new_types.len() - 1) as u32
            })
        })
        .collect();
    drop(type_ids);
    types.extend(new_types);
    let n = ds.len();
    let mut event_of_record = vec![0 as EventId; n];
    for (e, &r) in ds.record.iter().enumerate() {
        event_of_record[r as usize] = e as EventId;
    }
    let mut rows_seen = vec![0u64; first_source.len()];
    for (rec, &e) in event_of_record.iter().enumerate() {
        if columns.len() == 0 || rec == 0 {
            // Room for the rest of the file, up to the run's budget.
            columns.reserve((n - rec).min(runs.budget.saturating_sub(columns.len())));
        }
        let i = e as usize;
        let member = if ds.records.file.is_empty() {
            0
        } else {
            match ds.records.file[rec] {
                NO_FILE => 0,
                f => (f as usize).min(first_source.len() - 1),
            }
        };
        let line = ds.records.line[rec];
        let offset = match &mut place {
            RowPlace::Lines(starts) => {
                *starts.get((line as usize).wrapping_sub(1)).ok_or_else(|| {
                    format!(
                        "{}: line {line} is past the end of the file: it changed while being read",
                        input.display()
                    )
                })?
            }
            RowPlace::Stored(store) => store
                .push(&ds.records, rec)
                .map_err(|e| format!("{}: cannot write it: {e}", store.path.display()))?,
        };
        rows_seen[member] += 1;
        // Before the other columns grow: it may fill in ones for the events before.
        columns.push_multiplicity(ds.multiplicity(e));
        columns.start.push(ds.start[i]);
        columns.end.push(ds.end[i]);
        columns.precision.push(ds.precision[i] as u8);
        columns.class.push(ds.class[i].index() as u8);
        columns.type_of.push(type_map[ds.type_of[i] as usize]);
        columns.weight.push(ds.weight[i]);
        columns
            .event_actors
            .extend(ds.actors_of(e).iter().map(|&a| actor_map[a as usize]));
        columns
            .actor_offsets
            .push(columns.event_actors.len() as u32);
        columns.file.push(first_source[member]);
        columns.line.push(line);
        columns.offset.push(offset);
        runs.spill_if_full(columns)?;
    }
    for (k, &s) in first_source.iter().enumerate() {
        sources[s as usize].events = rows_seen[k];
    }
    Ok(())
}

/// Merges the runs into the index at `out`, written atomically (a temporary file, flushed to
/// disk and renamed over `out`). Every section's size is known from the tally, so the layout
/// is fixed first (the same as when everything was sorted in memory: meta, the event
/// columns, the end order, the source columns, the details); the header, the section table
/// and the meta are written, then the merge fills in the per-event sections at their places,
/// then come the order by end day and the stored details (those of the index appended to,
/// then the new ones).
fn write_index(
    out: &Path,
    mut runs: Runs,
    actors: ActorTable,
    types: Vec<String>,
    sources: Vec<SourceRecord>,
    (kept, stored): (Option<Kept>, DetailStore),
    progress: &Progress,
) -> Result<(), String> {
    let fail = |e: std::io::Error| format!("{}: cannot write the index: {e}", out.display());
    let t = &runs.tally;
    if t.events > u32::MAX as u64
        || t.event_actors > u32::MAX as u64
        || t.event_pairs > u32::MAX as u64
    {
        return Err(format!(
            "{}: more events, actors of events or pairs of events than an index holds ({} at most)",
            out.display(),
            u32::MAX
        ));
    }
    let limits = Limits {
        actors: actors.len() as u32,
        types: types.len() as u32,
        sources: sources.len() as u32,
    };
    let meta = Meta {
        events: t.events,
        event_actors: t.event_actors,
        event_pairs: t.event_pairs,
        pairs: t.pair_list.len() as u64,
        aggregated: t.aggregated,
        actors,
        types,
        sources,
    };
    let meta_json = serde_json::to_vec(&meta)
        .map_err(|e| format!("{}: cannot write the index: {e}", out.display()))?;
    let store_path = stored.path.clone();
    let (mut store_file, store_bytes) = stored
        .finish()
        .map_err(|e| format!("{}: cannot read it back: {e}", store_path.display()))?;
    let kept_bytes = kept.as_ref().map_or(0, |(_, (_, length))| *length);
    let n = meta.events;
    let mut lengths = vec![
        (Section::Meta, meta_json.len() as u64),
        (Section::Start, n * 4),
        (Section::End, n * 4),
        (Section::Precision, n),
        (Section::Class, n),
        (Section::Type, n * 4),
        (Section::Weight, n * 4),
    ];
    if meta.aggregated {
        lengths.push((Section::Multiplicity, n * 4));
    }
    lengths.extend([
        (Section::ActorOffsets, (n + 1) * 4),
        (Section::EventActors, meta.event_actors * 4),
        (Section::PairOffsets, (n + 1) * 4),
        (Section::EventPairs, meta.event_pairs * 4),
        (Section::Pairs, meta.pairs * 8),
        (Section::ByEnd, n * 4),
        (Section::File, n * 4),
        (Section::Line, n * 4),
        (Section::Offset, n * 8),
        (Section::Details, kept_bytes + store_bytes),
    ]);
    let aggregated = meta.aggregated;
    drop(meta);
    // Each section on an 8-byte boundary, one after the other.
    let mut at = HEADER_BYTES + TABLE_ENTRY_BYTES * lengths.len() as u64;
    let mut table = Vec::with_capacity(lengths.len());
    let mut header = Vec::with_capacity(at as usize);
    header.extend_from_slice(MAGIC);
    header.extend_from_slice(&VERSION.to_le_bytes());
    header.extend_from_slice(&(lengths.len() as u32).to_le_bytes());
    for &(section, length) in &lengths {
        at = at.next_multiple_of(8);
        table.push((section, at, length));
        header.extend_from_slice(&(section as u32).to_le_bytes());
        header.extend_from_slice(&0u32.to_le_bytes());
        header.extend_from_slice(&at.to_le_bytes());
        header.extend_from_slice(&length.to_le_bytes());
        at += length;
    }
    let total = at;
    let place = |section: Section| {
        table
            .iter()
            .find(|s| s.0 == section)
            .map(|&(_, offset, length)| (offset, length))
            .unwrap_or_default()
    };

    let mut atomic = AtomicFile::create(out).map_err(fail)?;
    {
        let f = atomic.positioned().map_err(fail)?;
        f.set_len(total).map_err(fail)?;
        runs::write_at(f, 0, &header).map_err(fail)?;
        runs::write_at(f, place(Section::Meta).0, &meta_json).map_err(fail)?;
        drop(meta_json);
        let section = |s: Section| Out::new(f, out, s.name(), place(s));
        let mut o = EventSections {
            start: section(Section::Start),
            end: section(Section::End),
            precision: section(Section::Precision),
            class: section(Section::Class),
            type_of: section(Section::Type),
            weight: section(Section::Weight),
            multiplicity: aggregated.then(|| section(Section::Multiplicity)),
            actor_offsets: section(Section::ActorOffsets),
            event_actors: section(Section::EventActors),
            pair_offsets: section(Section::PairOffsets),
            event_pairs: section(Section::EventPairs),
            pairs: section(Section::Pairs),
            file: section(Section::File),
            line: section(Section::Line),
            offset: section(Section::Offset),
        };
        // The pair table's job is done (the runs carry provisional ids).
        drop(std::mem::take(&mut runs.tally.pair_ids));
        let mut by_end = EndOrder::new(runs.budget, &mut runs.spill);
        runs::merge(
            std::mem::take(&mut runs.runs),
            &runs.tally.pair_list,
            &limits,
            &mut o,
            &mut by_end,
            progress,
        )?;
        for s in [
            o.start,
            o.end,
            o.precision,
            o.class,
            o.type_of,
            o.weight,
            o.actor_offsets,
            o.event_actors,
            o.pair_offsets,
            o.event_pairs,
            o.pairs,
            o.file,
            o.line,
            o.offset,
        ]
        .into_iter()
        .chain(o.multiplicity)
        {
            s.finish()?;
        }
        drop(std::mem::take(&mut runs.tally.pair_list));
        by_end.finish(section(Section::ByEnd))?;
        // The details: the kept ones where they were, then the new ones.
        let mut details = section(Section::Details);
        let mut block = vec![0u8; 1 << 20];
        if let Some((index, (from, length))) = &kept {
            let (mut offset, end) = (*from, from + length);
            while offset < end {
                let k = ((end - offset) as usize).min(block.len());
                runs::read_at(&index.file, offset, &mut block[..k])
                    .map_err(|e| format!("{}: cannot read it: {e}", index.path.display()))?;
                details.put_bytes(&block[..k])?;
                offset += k as u64;
            }
        }
        loop {
            use std::io::Read as _;
            let k = store_file
                .read(&mut block)
                .map_err(|e| format!("{}: cannot read it back: {e}", store_path.display()))?;
            if k == 0 {
                break;
            }
            details.put_bytes(&block[..k])?;
        }
        details.finish()?;
    }
    // The index appended to is closed before the new one replaces it (Windows refuses to
    // rename over a file that is open without sharing its deletion).
    drop(kept);
    if progress.is_cancelled() {
        return Err("indexing was cancelled".into());
    }
    atomic.commit().map_err(fail)
}

/// The class stored as a byte, back.
pub(super) fn class_of(byte: u8) -> Option<EventClass> {
    EventClass::ALL.get(byte as usize).copied()
}

/// An index to append to, opened for the merge.
pub(super) struct Existing {
    pub(super) meta: Meta,
    /// Its events, one sorted run.
    pub(super) run: Run,
    /// Its pairs table (`meta.pairs` pairs of actor ids).
    pub(super) pairs: Cursor<u32>,
    /// The index file, open.
    pub(super) file: Arc<Shared>,
    pub(super) warnings: Vec<String>,
    /// Where its stored details are (offset, length).
    pub(super) details: (u64, u64),
}

/// The stored details of an index appended to: its file, and where in it (offset, length).
type Kept = (Arc<Shared>, (u64, u64));

/// Where the details of a source's rows are found later.
enum RowPlace<'a> {
    /// In the source, at the start of its line (line `l` starts at `[l - 1]`).
    Lines(&'a [u64]),
    /// In the index: written to the store now.
    Stored(&'a mut DetailStore),
}

/// The `Details` section while building: a temporary file beside the index (the details of
/// millions of rows do not stay in memory), removed when dropped. When appending, the new
/// details are numbered after the index's (`base`): they are copied after them.
pub(super) struct DetailStore {
    path: PathBuf,
    writer: Option<std::io::BufWriter<std::fs::File>>,
    len: u64,
    record: Vec<u8>,
}

impl DetailStore {
    fn new(out: &Path, base: u64) -> std::io::Result<Self> {
        let mut name = out.file_name().unwrap_or_default().to_os_string();
        name.push(format!(".details-{}.tmp", std::process::id()));
        let path = out.with_file_name(name);
        let file = std::fs::OpenOptions::new()
            .read(true)
            .write(true)
            .create(true)
            .truncate(true)
            .open(&path)?;
        Ok(Self {
            path,
            writer: Some(std::io::BufWriter::with_capacity(1 << 20, file)),
            len: base,
            record: Vec::new(),
        })
    }

    fn writer(&mut self) -> std::io::Result<&mut std::io::BufWriter<std::fs::File>> {
        self.writer
            .as_mut()
            .ok_or_else(|| std::io::Error::other("the stored details are already written"))
    }

    /// Writes record `r`'s details; returns where they start.
    fn push(&mut self, records: &crate::model::Records, r: usize) -> std::io::Result<u64> {
        let at = self.len;
        let mut record = std::mem::take(&mut self.record);
        record.clear();
        for text in [
            records.title.get(r),
            records.location.get(r),
            records.url.get(r),
        ] {
            record.extend_from_slice(&(text.len() as u32).to_le_bytes());
            record.extend_from_slice(text.as_bytes());
        }
        for x in [records.lat[r], records.lon[r], records.intensity[r]] {
            record.extend_from_slice(&x.to_le_bytes());
        }
        record.extend_from_slice(&records.source_count[r].to_le_bytes());
        record.push(records.end_precision[r] as u8);
        self.writer()?.write_all(&record)?;
        self.len += record.len() as u64;
        self.record = record;
        Ok(at)
    }

    /// The file, flushed and rewound for copying, and its length. (Its name goes when the
    /// store is dropped here; on Unix the open file keeps its bytes until copied.)
    fn finish(mut self) -> std::io::Result<(std::fs::File, u64)> {
        let writer = self
            .writer
            .take()
            .ok_or_else(|| std::io::Error::other("the stored details are already written"))?;
        let mut file = writer.into_inner().map_err(|e| e.into_error())?;
        let length = file.metadata()?.len();
        file.seek(SeekFrom::Start(0))?;
        Ok((file, length))
    }
}

impl Drop for DetailStore {
    fn drop(&mut self) {
        self.writer = None;
        let _ = std::fs::remove_file(&self.path);
    }
}
