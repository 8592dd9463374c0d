//! Opening an index: the section table is checked, the hot columns are read straight into
//! the dataset's vectors (one copy, no parsing), every id and offset in them is checked
//! against the tables so that a damaged index is refused with the reason instead of
//! panicking later, and the cold source-location columns stay in a memory map that the
//! details read on demand look up.
//!
//! Why read rather than map the hot columns: the dataset's algorithms work on `Vec`s that
//! edits grow, and a mapped page that has been read counts in the resident set just like a
//! copy, so mapping and copying would count every page twice.

use std::fs::File;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use super::build::{Existing, class_of};
use super::runs::{Cursor, Places, Run, Shared, read_at};
use super::{
    HEADER_BYTES, MAGIC, Meta, Section, SourceAccess, SourceRecord, TABLE_ENTRY_BYTES, VERSION,
    quick_hash,
};
use crate::io::{self, ColumnMap, Format, FormatChoice, LoadOptions, Progress};
use crate::model::{
    Dataset, DetailSource, EventClass, EventDetails, EventId, OnDemandDetails, Precision,
};

/// Why an index could not be opened.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct IndexError {
    pub path: PathBuf,
    pub message: String,
}

impl std::fmt::Display for IndexError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.path.display(), self.message)
    }
}

impl std::error::Error for IndexError {}

/// Whether the file at `path` starts like an index (its magic bytes).
pub fn is_index(path: &Path) -> bool {
    let mut head = [0u8; 8];
    File::open(path)
        .and_then(|mut f| std::io::Read::read_exact(&mut f, &mut head))
        .is_ok()
        && &head == MAGIC
}

/// An opened index.
#[derive(Debug)]
pub struct OpenedIndex {
    /// Hot columns from the index, details on demand from the sources.
    pub dataset: Dataset,
    /// The format of the first source.
    pub format: Format,
    /// Sources changed or gone since the index was built, one line each, naming the file.
    pub warnings: Vec<(PathBuf, String)>,
    /// Rows the build skipped as unreadable.
    pub skipped_rows: u64,
}

/// The parts of an index file before its columns are read.
struct RawIndex {
    path: PathBuf,
    file: File,
    sections: Vec<(Section, u64, u64)>,
    meta: Meta,
}

impl RawIndex {
    fn fail(&self, message: impl Into<String>) -> IndexError {
        IndexError {
            path: self.path.clone(),
            message: message.into(),
        }
    }

    fn open(path: &Path) -> Result<Self, IndexError> {
        let fail = |message: String| IndexError {
            path: path.to_path_buf(),
            message,
        };
        let file = File::open(path).map_err(|e| fail(format!("cannot read the index: {e}")))?;
        let size = file
            .metadata()
            .map_err(|e| fail(format!("cannot read the index: {e}")))?
            .len();
        let mut header = [0u8; HEADER_BYTES as usize];
        read_at(&file, 0, &mut header)
            .map_err(|_| fail("not an index: the file is shorter than its header".into()))?;
        if &header[..8] != MAGIC {
            return Err(fail(
                "not a relmap index (its first bytes are not RELIDX)".into(),
            ));
        }
        let version = u32::from_le_bytes(header[8..12].try_into().unwrap());
        if version > VERSION {
            return Err(fail(format!(
                "made by a newer relmap (index version {version}); this one reads up to version {VERSION}"
            )));
        }
        if version == 0 {
            return Err(fail("damaged index: version 0".into()));
        }
        let count = u32::from_le_bytes(header[12..16].try_into().unwrap()) as u64;
        if count > 64 {
            return Err(fail(format!("damaged index: {count} sections")));
        }
        let mut table = vec![0u8; (count * TABLE_ENTRY_BYTES) as usize];
        read_at(&file, HEADER_BYTES, &mut table)
            .map_err(|_| fail("damaged index: the section table is cut short".into()))?;
        let mut sections = Vec::new();
        for entry in table.chunks_exact(TABLE_ENTRY_BYTES as usize) {
            let id = u32::from_le_bytes(entry[0..4].try_into().unwrap());
            let offset = u64::from_le_bytes(entry[8..16].try_into().unwrap());
            let length = u64::from_le_bytes(entry[16..24].try_into().unwrap());
            // Sections of later versions are skipped: a reader takes what it knows.
            let Some(section) = Section::from_id(id) else {
                continue;
            };
            if offset.checked_add(length).is_none_or(|end| end > size) {
                return Err(fail(format!(
                    "damaged index: the {} run past the end of the file ({size} bytes; cut short?)",
                    section.name()
                )));
            }
            sections.push((section, offset, length));
        }
        let (_, offset, length) = sections
            .iter()
            .find(|s| s.0 == Section::Meta)
            .copied()
            .ok_or_else(|| fail("damaged index: no meta section".into()))?;
        let mut json = vec![0u8; length as usize];
        read_at(&file, offset, &mut json)
            .map_err(|e| fail(format!("cannot read the index: {e}")))?;
        let meta: Meta = serde_json::from_slice(&json).map_err(|e| {
            fail(format!(
                "damaged index: its meta section does not read ({e})"
            ))
        })?;
        // Events and their entries are numbered in 32 bits everywhere relmap holds them.
        let limit = u32::MAX as u64;
        if meta.events > limit || meta.event_actors > limit || meta.event_pairs > limit {
            return Err(fail("damaged index: more events than relmap counts".into()));
        }
        Ok(Self {
            path: path.to_path_buf(),
            file,
            sections,
            meta,
        })
    }

    /// Where a section is, checked to hold `count` values of `width` bytes.
    fn place(&self, section: Section, count: u64, width: u64) -> Result<(u64, u64), IndexError> {
        let (_, offset, length) = self
            .sections
            .iter()
            .find(|s| s.0 == section)
            .copied()
            .ok_or_else(|| self.fail(format!("damaged index: no {} section", section.name())))?;
        if Some(length) != count.checked_mul(width) {
            return Err(self.fail(format!(
                "damaged index: the {} section holds {length} bytes, {} expected",
                section.name(),
                count.saturating_mul(width)
            )));
        }
        Ok((offset, length))
    }

    /// Where a section of any length is, when there is one.
    fn range(&self, section: Section) -> Option<(u64, u64)> {
        self.sections
            .iter()
            .find(|s| s.0 == section)
            .map(|&(_, offset, length)| (offset, length))
    }

    fn bytes(&self, section: Section, count: u64) -> Result<Vec<u8>, IndexError> {
        let (offset, length) = self.place(section, count, 1)?;
        let mut v = vec![0u8; length as usize];
        read_at(&self.file, offset, &mut v)
            .map_err(|e| self.fail(format!("cannot read the index: {e}")))?;
        Ok(v)
    }

    fn column<T: LeValue>(&self, section: Section, count: u64) -> Result<Vec<T>, IndexError> {
        let (offset, length) = self.place(section, count, T::WIDTH as u64)?;
        let mut v = vec![T::default(); count as usize];
        // SAFETY: `T` is a plain number type (see `LeValue`): every bit pattern is a value,
        // and the byte view covers exactly the vector's initialised elements.
        let bytes =
            unsafe { std::slice::from_raw_parts_mut(v.as_mut_ptr() as *mut u8, length as usize) };
        read_at(&self.file, offset, bytes)
            .map_err(|e| self.fail(format!("cannot read the index: {e}")))?;
        if cfg!(target_endian = "big") {
            for x in &mut v {
                *x = x.le_to_native();
            }
        }
        Ok(v)
    }
}

/// Number types stored little-endian in the columns.
trait LeValue: Copy + Default {
    const WIDTH: usize;
    fn le_to_native(self) -> Self;
}

impl LeValue for u32 {
    const WIDTH: usize = 4;
    fn le_to_native(self) -> Self {
        u32::from_le(self)
    }
}
impl LeValue for i32 {
    const WIDTH: usize = 4;
    fn le_to_native(self) -> Self {
        i32::from_le(self)
    }
}
impl LeValue for u64 {
    const WIDTH: usize = 8;
    fn le_to_native(self) -> Self {
        u64::from_le(self)
    }
}
impl LeValue for f32 {
    const WIDTH: usize = 4;
    fn le_to_native(self) -> Self {
        f32::from_bits(u32::from_le(self.to_bits()))
    }
}

/// Reads what there is at `offset`, up to `buf.len()` bytes (fewer at the end of the file).
fn read_some_at(file: &File, offset: u64, buf: &mut [u8]) -> std::io::Result<usize> {
    let mut done = 0;
    while done < buf.len() {
        #[cfg(unix)]
        let n = std::os::unix::fs::FileExt::read_at(file, &mut buf[done..], offset + done as u64)?;
        #[cfg(windows)]
        let n =
            std::os::windows::fs::FileExt::seek_read(file, &mut buf[done..], offset + done as u64)?;
        if n == 0 {
            break;
        }
        done += n;
    }
    Ok(done)
}

pub(super) fn precision_of(byte: u8) -> Option<Precision> {
    match byte {
        0 => Some(Precision::Year),
        1 => Some(Precision::Month),
        2 => Some(Precision::Day),
        _ => None,
    }
}

/// Checks that `offsets` are `n + 1` ascending values from 0 to `total`.
fn check_offsets(
    raw: &RawIndex,
    name: &str,
    offsets: &[u32],
    total: u64,
) -> Result<(), IndexError> {
    let ascending = offsets.first() == Some(&0)
        && offsets.windows(2).all(|w| w[0] <= w[1])
        && offsets.last().map(|&x| x as u64) == Some(total);
    if ascending {
        Ok(())
    } else {
        Err(raw.fail(format!("damaged index: the {name} are out of order")))
    }
}

fn check_ids(raw: &RawIndex, name: &str, ids: &[u32], limit: usize) -> Result<(), IndexError> {
    match ids.iter().position(|&x| x as usize >= limit) {
        None => Ok(()),
        Some(i) => Err(raw.fail(format!(
            "damaged index: {name} {i} refers to {} of {limit}",
            ids[i]
        ))),
    }
}

/// Which sources changed or went since the index was built: a warning for each, naming it,
/// and by source why its details cannot be read (`None`: they can).
#[allow(clippy::type_complexity)]
fn check_sources(sources: &[SourceRecord]) -> (Vec<(PathBuf, String)>, Vec<Option<String>>) {
    let mut warnings = Vec::new();
    let mut unusable = Vec::with_capacity(sources.len());
    for s in sources {
        let (file, _) = io::archive::split_member(&s.path);
        // The size and time of change first (a year of GDELT is 35,000 files: hashing
        // each at every opening would read 70 GB); the hash only when the time moved.
        let why = match std::fs::metadata(&file) {
            Err(e) => Some(format!("cannot read it ({e})")),
            Ok(meta) if meta.len() != s.size => Some(format!(
                "it changed since the index was built ({} bytes, then {})",
                meta.len(),
                s.size
            )),
            Ok(meta) if s.modified_ns.is_some() && super::modified_ns(&meta) == s.modified_ns => {
                None
            }
            Ok(_) => match quick_hash(&file) {
                Err(e) => Some(format!("cannot read it ({e})")),
                Ok((_, hash)) if hash != s.hash => {
                    Some("it changed since the index was built (same size, other bytes)".into())
                }
                Ok(_) => None,
            },
        };
        if let Some(why) = &why {
            let consequence = match s.access {
                SourceAccess::Rows => {
                    "its events stay, their details (title, place, link) are not read"
                }
                SourceAccess::Stored => "its events and their stored details stay as indexed",
            };
            warnings.push((s.path.clone(), format!("{why}: {consequence}")));
        }
        // Stored details do not depend on the source any more.
        unusable.push(why.filter(|_| s.access == SourceAccess::Rows));
    }
    (warnings, unusable)
}

/// Opens an index: the events from its columns, their details on demand from the sources.
/// A source changed or gone since the build is a warning, never a failure.
pub fn open_index(path: &Path, progress: &Progress) -> Result<OpenedIndex, IndexError> {
    let raw = RawIndex::open(path)?;
    let m = &raw.meta;
    let n = m.events;
    progress.set_total_bytes(raw.file.metadata().map(|m| m.len()).unwrap_or(0));
    let start: Vec<i32> = raw.column(Section::Start, n)?;
    if !start.windows(2).all(|w| w[0] <= w[1]) {
        return Err(raw.fail("damaged index: the events are not in date order"));
    }
    let end: Vec<i32> = raw.column(Section::End, n)?;
    if let Some(i) = start.iter().zip(&end).position(|(s, e)| e < s) {
        return Err(raw.fail(format!("damaged index: event {i} ends before it starts")));
    }
    let precision = raw
        .bytes(Section::Precision, n)?
        .into_iter()
        .map(precision_of)
        .collect::<Option<Vec<_>>>()
        .ok_or_else(|| raw.fail("damaged index: an unknown date precision"))?;
    let class: Vec<EventClass> = raw
        .bytes(Section::Class, n)?
        .into_iter()
        .map(class_of)
        .collect::<Option<Vec<_>>>()
        .ok_or_else(|| raw.fail("damaged index: an unknown event class"))?;
    let type_of: Vec<u32> = raw.column(Section::Type, n)?;
    check_ids(&raw, "the type of event", &type_of, m.types.len())?;
    let weight: Vec<f32> = raw.column(Section::Weight, n)?;
    let multiplicity: Vec<u32> = if m.aggregated {
        raw.column(Section::Multiplicity, n)?
    } else {
        Vec::new()
    };
    let actor_offsets: Vec<u32> = raw.column(Section::ActorOffsets, n + 1)?;
    check_offsets(&raw, "actor offsets", &actor_offsets, m.event_actors)?;
    let event_actors: Vec<u32> = raw.column(Section::EventActors, m.event_actors)?;
    check_ids(&raw, "actor of event entry", &event_actors, m.actors.len())?;
    let pair_offsets: Vec<u32> = raw.column(Section::PairOffsets, n + 1)?;
    check_offsets(&raw, "pair offsets", &pair_offsets, m.event_pairs)?;
    let event_pairs: Vec<u32> = raw.column(Section::EventPairs, m.event_pairs)?;
    check_ids(&raw, "pair of event entry", &event_pairs, m.pairs as usize)?;
    let flat: Vec<u32> = raw.column(Section::Pairs, m.pairs.saturating_mul(2))?;
    check_ids(&raw, "pair actor", &flat, m.actors.len())?;
    let pairs: Vec<(u32, u32)> = flat.chunks_exact(2).map(|p| (p[0], p[1])).collect();
    drop(flat);
    let by_end: Vec<u32> = raw.column(Section::ByEnd, n)?;
    check_ids(&raw, "end-order entry", &by_end, n as usize)?;
    // The cold columns: only checked to be there, read through the map when asked.
    let file_place = raw.place(Section::File, n, 4)?;
    let line_place = raw.place(Section::Line, n, 4)?;
    let offset_place = raw.place(Section::Offset, n, 8)?;
    let details_place = raw.range(Section::Details).unwrap_or((0, 0));
    // SAFETY: the map is read only; a source of undefined behaviour would be another
    // process truncating the index while it is open, which the atomic rename of every
    // writer of indexes never does (it replaces the file, this map keeps the old one).
    let map = unsafe { memmap2::Mmap::map(&raw.file) }
        .map_err(|e| raw.fail(format!("cannot map the index: {e}")))?;
    // The source ids are checked when a detail is read, not here: a scan would bring the
    // whole column into memory (40 MB for 10 million events) for nothing.
    let sources = m.sources.clone();
    let (warnings, unusable) = check_sources(&sources);
    let skipped_rows = sources.iter().map(|s| s.skipped_rows).sum();
    let format = sources.first().map(|s| s.format).unwrap_or(Format::Csv);
    let details = IndexDetails {
        map,
        file_offset: file_place.0 as usize,
        line_offset: line_place.0 as usize,
        offset_offset: offset_place.0 as usize,
        details: (details_place.0 as usize, details_place.1 as usize),
        sources,
        unusable,
        headers: Mutex::new(rustc_hash::FxHashMap::default()),
    };
    let meta = raw.meta;
    let dataset = Dataset {
        actors: meta.actors,
        types: meta.types,
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
        record: Vec::new(),
        records: Default::default(),
        source: Some(path.to_path_buf()),
        sources: Vec::new(),
        source_mapping: None,
        on_demand: Some(Arc::new(OnDemandDetails::new(Box::new(details)))),
    };
    Ok(OpenedIndex {
        dataset,
        format,
        warnings,
        skipped_rows,
    })
}

/// An index to append to, opened for the merge: its tables, and its columns as one run
/// read where they lie (block by block, never whole; see `super::runs`).
pub(super) fn open_for_append(path: &Path) -> Result<Existing, IndexError> {
    let raw = RawIndex::open(path)?;
    let m = &raw.meta;
    let n = m.events;
    let places = Places {
        start: raw.place(Section::Start, n, 4)?,
        end: raw.place(Section::End, n, 4)?,
        precision: raw.place(Section::Precision, n, 1)?,
        class: raw.place(Section::Class, n, 1)?,
        type_of: raw.place(Section::Type, n, 4)?,
        weight: raw.place(Section::Weight, n, 4)?,
        multiplicity: if m.aggregated {
            Some(raw.place(Section::Multiplicity, n, 4)?)
        } else {
            None
        },
        actor_offsets: raw.place(Section::ActorOffsets, n + 1, 4)?,
        event_actors: raw.place(Section::EventActors, m.event_actors, 4)?,
        pair_offsets: raw.place(Section::PairOffsets, n + 1, 4)?,
        event_pairs: raw.place(Section::EventPairs, m.event_pairs, 4)?,
        file: raw.place(Section::File, n, 4)?,
        line: raw.place(Section::Line, n, 4)?,
        offset: raw.place(Section::Offset, n, 8)?,
    };
    let pairs_place = raw.place(Section::Pairs, m.pairs.saturating_mul(2), 4)?;
    let details = raw.range(Section::Details).unwrap_or((0, 0));
    let (warnings, _) = check_sources(&m.sources);
    let warnings = warnings
        .into_iter()
        .map(|(p, w)| format!("{}: {w}", p.display()))
        .collect();
    let shared = Arc::new(Shared {
        file: raw.file,
        path: raw.path,
    });
    let run = Run::stored(&shared, shared.path.display().to_string(), &places);
    Ok(Existing {
        meta: raw.meta,
        run,
        pairs: Cursor::file(&shared, pairs_place),
        file: shared,
        warnings,
        details,
    })
}

/// Reads events' details from the rows the index points at.
struct IndexDetails {
    map: memmap2::Mmap,
    file_offset: usize,
    line_offset: usize,
    offset_offset: usize,
    sources: Vec<SourceRecord>,
    /// Why a source's details cannot be read (changed, gone), by source.
    unusable: Vec<Option<String>>,
    /// The first line (the header) of each row-readable source, once read.
    headers: Mutex<rustc_hash::FxHashMap<u32, Vec<u8>>>,
    /// The `Details` section: (offset, length).
    details: (usize, usize),
}

impl IndexDetails {
    fn u32_at(&self, base: usize, event: EventId) -> u32 {
        let at = base + event as usize * 4;
        u32::from_le_bytes(self.map[at..at + 4].try_into().unwrap())
    }

    fn offset(&self, event: EventId) -> u64 {
        let at = self.offset_offset + event as usize * 8;
        u64::from_le_bytes(self.map[at..at + 8].try_into().unwrap())
    }

    fn source_of(&self, event: EventId) -> u32 {
        self.u32_at(self.file_offset, event)
    }

    fn options(source: &SourceRecord) -> LoadOptions {
        LoadOptions {
            format: match source.format {
                Format::Csv => FormatChoice::Csv,
                Format::Json => FormatChoice::Json,
                Format::Gdelt1 | Format::Gdelt2 => FormatChoice::Gdelt,
                Format::Acled => FormatChoice::Acled,
                Format::Icews => FormatChoice::Icews,
                Format::Ucdp => FormatChoice::Ucdp,
            },
            mapping: source.mapping.as_deref().and_then(ColumnMap::from_names),
        }
    }

    fn unavailable(why: String) -> EventDetails {
        EventDetails {
            title: format!("[details unavailable: {why}]"),
            ..EventDetails::default()
        }
    }

    /// Reads the row at `offset` of a text source and parses it with the file's first line.
    fn read_row(&self, file_id: u32, line: u32, offset: u64) -> Result<EventDetails, String> {
        use std::io::Read as _;
        let source = &self.sources[file_id as usize];
        let mut file = File::open(&source.path).map_err(|e| format!("cannot read it: {e}"))?;
        let header = {
            let mut headers = self.headers.lock().unwrap_or_else(|p| p.into_inner());
            match headers.get(&file_id) {
                Some(h) => h.clone(),
                None => {
                    let mut head = Vec::new();
                    (&mut file)
                        .take(1 << 20)
                        .read_to_end(&mut head)
                        .map_err(|e| format!("cannot read it: {e}"))?;
                    let cut = memchr::memchr(b'\n', &head).map_or(head.len(), |i| i + 1);
                    head.truncate(cut);
                    headers.insert(file_id, head.clone());
                    head
                }
            }
        };
        // A tab-separated row is one line; a CSV row may hold line breaks in quotes. Read a
        // little and more only when the row goes on: a big read per row (fresh pages each
        // time) cost more than the parse.
        let lines = match source.format {
            Format::Gdelt1 | Format::Gdelt2 | Format::Icews => 1,
            _ => 16,
        };
        let mut want_bytes = 8 << 10;
        let row = loop {
            let mut row = vec![0u8; want_bytes];
            let n = read_some_at(&file, offset, &mut row)
                .map_err(|e| format!("cannot read it: {e}"))?;
            row.truncate(n);
            let cut = memchr::memchr_iter(b'\n', &row).nth(lines - 1);
            match cut {
                Some(i) => {
                    row.truncate(i + 1);
                    break row;
                }
                None if n < want_bytes || want_bytes >= 4 << 20 => break row,
                None => want_bytes *= 4,
            }
        };
        let (bytes, want) = if line <= 1 {
            (row, 1)
        } else {
            let mut bytes = header;
            bytes.extend_from_slice(&row);
            (bytes, 2)
        };
        let loaded = io::load_bytes(&bytes, &source.path, &Self::options(source))
            .map_err(|e| format!("line {line} does not read: {}", e.message))?;
        let ds = &loaded.dataset;
        let e = (0..ds.len() as EventId)
            .find(|&e| ds.line(e) == want)
            .ok_or_else(|| format!("line {line} gives no event"))?;
        Ok(details_of(ds, e))
    }

    /// The details stored in the index at `at` of its `Details` section.
    fn read_stored(&self, at: u64) -> Result<EventDetails, String> {
        let damaged = || "damaged index: its stored details are cut short".to_string();
        let (start, length) = self.details;
        let section = self.map.get(start..start + length).ok_or_else(damaged)?;
        let mut rest = section.get(at as usize..).ok_or_else(damaged)?;
        let mut take = |n: usize| -> Result<&[u8], String> {
            let (head, tail) = rest.split_at_checked(n).ok_or_else(damaged)?;
            rest = tail;
            Ok(head)
        };
        let mut text = || -> Result<String, String> {
            let n = u32::from_le_bytes(take(4)?.try_into().unwrap()) as usize;
            Ok(String::from_utf8_lossy(take(n)?).into_owned())
        };
        let (title, location, url) = (text()?, text()?, text()?);
        let mut number = || -> Result<[u8; 4], String> { Ok(take(4)?.try_into().unwrap()) };
        let lat = f32::from_le_bytes(number()?);
        let lon = f32::from_le_bytes(number()?);
        let intensity = f32::from_le_bytes(number()?);
        let source_count = u32::from_le_bytes(number()?);
        let end_precision = precision_of(take(1)?[0]).ok_or_else(damaged)?;
        Ok(EventDetails {
            title,
            location,
            url,
            lat,
            lon,
            intensity,
            source_count,
            end_precision,
        })
    }
}

/// An event's details out of a dataset that holds them.
fn details_of(ds: &Dataset, e: EventId) -> EventDetails {
    let (lat, lon) = ds.lat_lon(e).unwrap_or((f32::NAN, f32::NAN));
    EventDetails {
        title: ds.title(e).to_string(),
        location: ds.location(e).to_string(),
        url: ds.url(e).to_string(),
        lat,
        lon,
        intensity: ds.intensity(e),
        source_count: ds.source_count(e),
        end_precision: ds
            .end_date_of(e)
            .map(|d| d.precision())
            .unwrap_or(ds.precision[e as usize]),
    }
}

impl DetailSource for IndexDetails {
    fn details(&self, event: EventId) -> EventDetails {
        let file_id = self.source_of(event);
        let Some(source) = self.sources.get(file_id as usize) else {
            return Self::unavailable(format!(
                "damaged index: the event's source is number {file_id} of {}",
                self.sources.len()
            ));
        };
        if let Some(why) = &self.unusable[file_id as usize] {
            return Self::unavailable(format!("{} {why}", source.path.display()));
        }
        let line = self.line(event);
        let result = match source.access {
            SourceAccess::Rows => self.read_row(file_id, line, self.offset(event)),
            SourceAccess::Stored => self.read_stored(self.offset(event)),
        };
        result.unwrap_or_else(|why| Self::unavailable(format!("{}: {why}", source.path.display())))
    }

    fn line(&self, event: EventId) -> u32 {
        self.u32_at(self.line_offset, event)
    }

    fn file(&self, event: EventId) -> Option<&Path> {
        let file_id = self.source_of(event) as usize;
        self.sources.get(file_id).map(|s| s.path.as_path())
    }
}
