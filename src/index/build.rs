//! Building an index: each source is read by the ordinary readers, one at a time, and only
//! the compact columns of its events are kept (about 45 bytes an event) before the next is
//! read; then the events are ordered by day, their actor pairs assigned, and the file
//! written section by section to a temporary file that replaces the target when complete.

use std::io::{Seek as _, SeekFrom, Write as _};
use std::path::{Path, PathBuf};

use super::{
    HEADER_BYTES, MAGIC, Meta, Section, SourceAccess, SourceRecord, TABLE_ENTRY_BYTES, VERSION,
    quick_hash,
};
use crate::export::file::AtomicFile;
use crate::io::{self, LoadOptions, Progress, archive};
use crate::model::{ActorTable, Dataset, EventClass, EventId, NO_FILE, stable_order_by_day};

/// What `relmap index` was asked.
#[derive(Clone, Debug, Default)]
pub struct BuildOptions {
    /// How to read the sources (format, column mapping).
    pub load: LoadOptions,
    /// Add the sources to the existing index at the output path (a new one when none).
    pub append: bool,
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
    fn new() -> Self {
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

    fn len(&self) -> usize {
        self.start.len()
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
    let mut stored = DetailStore::new(out)
        .map_err(|e| format!("{}: cannot write beside the index: {e}", out.display()))?;
    if options.append && out.exists() {
        report(&format!("reading the index {}", out.display()));
        let existing = super::open::read_for_append(out).map_err(|e| e.to_string())?;
        for warning in existing.warnings {
            result.warnings.push(warning);
        }
        actors = existing.meta.actors;
        types = existing.meta.types;
        sources = existing.meta.sources;
        columns = existing.columns;
        if let Some((offset, length)) = existing.details {
            stored
                .copy_from(out, offset, length)
                .map_err(|e| format!("{}: cannot read the index: {e}", out.display()))?;
        }
    }
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
            &ds,
            &mut actors,
            &mut types,
            &first_source,
            place,
            &mut sources,
        )
        .map_err(|e| format!("{}: {e}", input.display()))?;
        result.added += 1;
        report(&format!("{} rows so far", columns.len()));
    }
    if progress.is_cancelled() {
        return Err("indexing was cancelled".into());
    }
    if columns.len() == 0 {
        return Err("no event was read".into());
    }
    report(&format!(
        "ordering {} rows by day and writing {}",
        columns.len(),
        out.display()
    ));
    result.rows = columns.len() as u64;
    result.sources = sources.len();
    write_index(out, columns, actors, types, sources, stored)
        .map_err(|e| format!("{}: cannot write the index: {e}", out.display()))?;
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
/// the index's tables. `first_source` holds the index of each of its sources (one, or one per
/// archive member in `ds.sources` order).
fn add_events(
    columns: &mut Columns,
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
    columns.line.reserve(n);
    columns.start.reserve(n);
    columns.end.reserve(n);
    columns.precision.reserve(n);
    columns.class.reserve(n);
    columns.type_of.reserve(n);
    columns.weight.reserve(n);
    columns.actor_offsets.reserve(n);
    columns.file.reserve(n);
    columns.offset.reserve(n);
    for (rec, &e) in event_of_record.iter().enumerate() {
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
                    format!("line {line} is past the end of the file: it changed while being read")
                })?
            }
            RowPlace::Stored(store) => store
                .push(&ds.records, rec)
                .map_err(|e| format!("cannot write the stored details: {e}"))?,
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
    }
    for (k, &s) in first_source.iter().enumerate() {
        sources[s as usize].events = rows_seen[k];
    }
    Ok(())
}

/// Orders the columns by day (stable: ties keep the order read), assigns the actor pairs and
/// writes the index atomically.
fn write_index(
    out: &Path,
    mut c: Columns,
    actors: ActorTable,
    types: Vec<String>,
    sources: Vec<SourceRecord>,
    stored: DetailStore,
) -> std::io::Result<()> {
    let order = stable_order_by_day(&c.start);
    fn permute<T: Copy>(column: Vec<T>, order: &[u32]) -> Vec<T> {
        order.iter().map(|&r| column[r as usize]).collect()
    }
    let start = permute(std::mem::take(&mut c.start), &order);
    let end = permute(std::mem::take(&mut c.end), &order);
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
    drop(std::mem::take(&mut c.event_actors));
    drop(std::mem::take(&mut c.actor_offsets));
    let pairs = crate::model::assign_pairs(&actor_offsets, &event_actors);
    let by_end = stable_order_by_day(&end);
    let meta = Meta {
        events: start.len() as u64,
        event_actors: event_actors.len() as u64,
        event_pairs: pairs.event_pairs.len() as u64,
        pairs: pairs.pairs.len() as u64,
        aggregated: !c.multiplicity.is_empty(),
        actors,
        types,
        sources,
    };
    let meta_json = serde_json::to_vec(&meta).map_err(std::io::Error::other)?;

    let mut file = AtomicFile::create(out)?;
    let mut w = SectionWriter {
        file: &mut file,
        at: 0,
        table: Vec::new(),
    };
    let section_count = if meta.aggregated { 18 } else { 17 };
    w.write_raw(MAGIC)?;
    w.write_raw(&VERSION.to_le_bytes())?;
    w.write_raw(&(section_count as u32).to_le_bytes())?;
    w.write_raw(&vec![0u8; (TABLE_ENTRY_BYTES * section_count) as usize])?;
    debug_assert_eq!(w.at, HEADER_BYTES + TABLE_ENTRY_BYTES * section_count);
    w.section(Section::Meta, &meta_json)?;
    w.column(Section::Start, &start, |v| v.to_le_bytes())?;
    w.column(Section::End, &end, |v| v.to_le_bytes())?;
    drop(start);
    w.section(
        Section::Precision,
        &permute(std::mem::take(&mut c.precision), &order),
    )?;
    w.section(
        Section::Class,
        &permute(std::mem::take(&mut c.class), &order),
    )?;
    let type_of = permute(std::mem::take(&mut c.type_of), &order);
    w.column(Section::Type, &type_of, |v| v.to_le_bytes())?;
    drop(type_of);
    let weight = permute(std::mem::take(&mut c.weight), &order);
    w.column(Section::Weight, &weight, |v| v.to_le_bytes())?;
    drop(weight);
    if meta.aggregated {
        let m = permute(std::mem::take(&mut c.multiplicity), &order);
        w.column(Section::Multiplicity, &m, |v| v.to_le_bytes())?;
    }
    w.column(Section::ActorOffsets, &actor_offsets, |v| v.to_le_bytes())?;
    w.column(Section::EventActors, &event_actors, |v| v.to_le_bytes())?;
    drop((actor_offsets, event_actors));
    w.column(Section::PairOffsets, &pairs.pair_offsets, |v| {
        v.to_le_bytes()
    })?;
    w.column(Section::EventPairs, &pairs.event_pairs, |v| v.to_le_bytes())?;
    let flat: Vec<u32> = pairs.pairs.iter().flat_map(|&(a, b)| [a, b]).collect();
    w.column(Section::Pairs, &flat, |v| v.to_le_bytes())?;
    drop((pairs, flat));
    w.column(Section::ByEnd, &by_end, |v| v.to_le_bytes())?;
    drop((by_end, end));
    let files = permute(std::mem::take(&mut c.file), &order);
    w.column(Section::File, &files, |v| v.to_le_bytes())?;
    drop(files);
    let lines = permute(std::mem::take(&mut c.line), &order);
    w.column(Section::Line, &lines, |v| v.to_le_bytes())?;
    drop(lines);
    let offsets = permute(std::mem::take(&mut c.offset), &order);
    w.column(Section::Offset, &offsets, |v| v.to_le_bytes())?;
    drop(offsets);
    w.copy(Section::Details, stored)?;
    // The section table, now that the offsets are known.
    let table = std::mem::take(&mut w.table);
    debug_assert_eq!(table.len() as u64, section_count);
    let mut bytes = Vec::with_capacity(table.len() * TABLE_ENTRY_BYTES as usize);
    for (section, offset, length) in table {
        bytes.extend_from_slice(&(section as u32).to_le_bytes());
        bytes.extend_from_slice(&0u32.to_le_bytes());
        bytes.extend_from_slice(&offset.to_le_bytes());
        bytes.extend_from_slice(&length.to_le_bytes());
    }
    file.seek(SeekFrom::Start(HEADER_BYTES))?;
    file.write_all(&bytes)?;
    file.commit()
}

/// Writes sections one after the other, each on an 8-byte boundary, noting where.
struct SectionWriter<'a> {
    file: &'a mut AtomicFile,
    at: u64,
    table: Vec<(Section, u64, u64)>,
}

impl SectionWriter<'_> {
    fn write_raw(&mut self, bytes: &[u8]) -> std::io::Result<()> {
        self.file.write_all(bytes)?;
        self.at += bytes.len() as u64;
        Ok(())
    }

    /// A section copied from the stored details' file.
    fn copy(&mut self, section: Section, stored: DetailStore) -> std::io::Result<()> {
        let pad = (8 - self.at % 8) % 8;
        self.write_raw(&[0u8; 8][..pad as usize])?;
        let mut file = stored.finish()?;
        let length = file.metadata()?.len();
        self.table.push((section, self.at, length));
        let copied = std::io::copy(&mut file, self.file)?;
        if copied != length {
            return Err(std::io::Error::other(
                "the stored details changed while copied",
            ));
        }
        self.at += length;
        Ok(())
    }

    fn section(&mut self, section: Section, bytes: &[u8]) -> std::io::Result<()> {
        let pad = (8 - self.at % 8) % 8;
        self.write_raw(&[0u8; 8][..pad as usize])?;
        self.table.push((section, self.at, bytes.len() as u64));
        self.write_raw(bytes)
    }

    /// A column of fixed-width values, converted to little-endian a block at a time.
    fn column<T: Copy, const W: usize>(
        &mut self,
        section: Section,
        values: &[T],
        to_le: impl Fn(T) -> [u8; W],
    ) -> std::io::Result<()> {
        let pad = (8 - self.at % 8) % 8;
        self.write_raw(&[0u8; 8][..pad as usize])?;
        self.table
            .push((section, self.at, (values.len() * W) as u64));
        let mut block = Vec::with_capacity(1 << 16);
        for chunk in values.chunks((1 << 16) / W) {
            block.clear();
            for &v in chunk {
                block.extend_from_slice(&to_le(v));
            }
            self.write_raw(&block)?;
        }
        Ok(())
    }
}

/// The class stored as a byte, back.
pub(super) fn class_of(byte: u8) -> Option<EventClass> {
    EventClass::ALL.get(byte as usize).copied()
}

/// What reading an index to append to gives.
pub(super) struct Existing {
    pub(super) meta: Meta,
    pub(super) columns: Columns,
    pub(super) warnings: Vec<String>,
    /// Where its stored details are (offset, length).
    pub(super) details: Option<(u64, u64)>,
}

/// Where the details of a source's rows are found later.
enum RowPlace<'a> {
    /// In the source, at the start of its line (line `l` starts at `[l - 1]`).
    Lines(&'a [u64]),
    /// In the index: written to the store now.
    Stored(&'a mut DetailStore),
}

/// The `Details` section while building: a temporary file beside the index (the details of
/// millions of rows do not stay in memory), removed when dropped.
pub(super) struct DetailStore {
    path: PathBuf,
    writer: Option<std::io::BufWriter<std::fs::File>>,
    len: u64,
    record: Vec<u8>,
}

impl DetailStore {
    fn new(out: &Path) -> std::io::Result<Self> {
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
            len: 0,
            record: Vec::new(),
        })
    }

    fn writer(&mut self) -> std::io::Result<&mut std::io::BufWriter<std::fs::File>> {
        self.writer
            .as_mut()
            .ok_or_else(|| std::io::Error::other("the stored details are already written"))
    }

    /// Copies an existing index's stored details (appending keeps their offsets).
    fn copy_from(&mut self, index: &Path, offset: u64, length: u64) -> std::io::Result<()> {
        use std::io::Read as _;
        let mut file = std::fs::File::open(index)?;
        file.seek(SeekFrom::Start(offset))?;
        let copied = std::io::copy(&mut file.take(length), self.writer()?)?;
        if copied != length {
            return Err(std::io::ErrorKind::UnexpectedEof.into());
        }
        self.len += length;
        Ok(())
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

    /// The file, flushed and rewound for copying. (Its name goes when the store is dropped
    /// here; on Unix the open file keeps its bytes until copied.)
    fn finish(mut self) -> std::io::Result<std::fs::File> {
        let writer = self
            .writer
            .take()
            .ok_or_else(|| std::io::Error::other("the stored details are already written"))?;
        let mut file = writer.into_inner().map_err(|e| e.into_error())?;
        file.seek(SeekFrom::Start(0))?;
        Ok(file)
    }
}

impl Drop for DetailStore {
    fn drop(&mut self) {
        self.writer = None;
        let _ = std::fs::remove_file(&self.path);
    }
}
