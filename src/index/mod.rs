//! The on-disk event index (`.relidx`): what the map, the timeline and the time window need of
//! every event, in columns sorted by day, plus where each event's row is in its source file,
//! so that tens of millions of events open in a second and in a few hundred megabytes while
//! every event keeps its details (title, place, link), read from the source row on demand.
//!
//! Not to be confused with [`crate::model::EventIndex`] (the events of each actor and pair,
//! in memory).
//!
//! # Format (version 1, little-endian throughout)
//!
//! ```text
//! 0   magic  b"RELIDX\r\n"  (the CR LF catches a file mangled by a text-mode transfer)
//! 8   version u32 (1), section count u32
//! 16  section table: per section  id u32, reserved u32, offset u64, length u64  (24 bytes)
//! …   sections, each starting on an 8-byte boundary
//! ```
//!
//! Sections (`Section`): `Meta` is JSON ([`Meta`]: counts, the actor table, the event
//! types, the source files with their size and hash); the rest are fixed-width columns of
//! `N` events in start-day order (ties in the order of the files and their rows, exactly as
//! loading the files together orders them): `Start`, `End` (i32 days since 1970-01-01),
//! `Precision`, `Class` (u8), `Type`, `Weight` (u32, f32), `Multiplicity` (u32, present only
//! when some row stands for several events), `ActorOffsets` (u32 × N+1), `EventActors` (u32),
//! `PairOffsets` (u32 × N+1), `EventPairs` (u32), `Pairs` (u32 × 2 per pair), `ByEnd` (u32:
//! events ordered by end day), and the cold per-event source location: `File` (u32, into the
//! sources), `Line` (u32, 1-based line or row in the source) and `Offset` (u64, see below);
//! last `Details`, the stored details of rows that cannot be read back (below): per row the
//! title, place and link (u32 length + UTF-8 each), latitude, longitude, intensity (f32),
//! the source's count (u32) and the end date's precision (u8).
//!
//! # Where details come from
//!
//! For a plain text source (CSV, TSV, GDELT, ICEWS, ACLED, UCDP) `Offset` is the byte offset
//! of the row's first line: the row (and the file's first line, its header) is read and
//! parsed by the same reader on demand (about 20 µs). A byte offset into a compressed stream
//! cannot be reached without unpacking everything before it (GDELT ships zips of some 15 MB
//! each, and the rows of one day on screen come from dozens of them), and JSON, Parquet and
//! workbooks have no row a reader could take alone: for those sources
//! (`SourceAccess::Stored`) the details are written into the index's `Details` section while
//! building, and `Offset` is where the row's are. They make the file bigger (about 150
//! bytes a GDELT row) but are mapped, not read, until shown.
//!
//! # Building and appending in bounded memory
//!
//! A build never holds all the events: every [`RUN_EVENTS`] events read are ordered by day
//! and spilled to a temporary file beside the index as a sorted run, and the runs are merged
//! into the index at the end, each section written at its place (`runs`). Appending merges
//! the index already there as one more run, read column by column where it lies, so that
//! adding a 15-minute GDELT file to a year of them costs the new file, the actor, type and
//! pair tables, and a sequential copy of the index, not memory for all its events. The file
//! written is the same, byte for byte, as sorting everything in memory gave.
//!
//! # Changed sources
//!
//! Each source's size, time of change and a SHA-256 of its size, first and last MiB are
//! recorded (hashing 10 GB of sources would take longer than opening the index is allowed
//! to). Opening compares the sizes and times, and hashes only a source whose time moved; it
//! warns of a changed or missing source and keeps working from the index: only the details
//! of that source's events become unavailable (their title says why).

mod build;
mod open;
mod runs;

pub use build::{BuildOptions, BuildReport, build_index};
pub use open::{IndexError, is_index, open_index};
pub use runs::RUN_EVENTS;

use std::path::PathBuf;

use crate::io::Format;
use crate::model::ActorTable;

/// The first bytes of every index.
pub const MAGIC: &[u8; 8] = b"RELIDX\r\n";
/// The version this relmap writes and the newest it reads.
pub const VERSION: u32 = 1;
/// The file name extension of an index.
pub const EXTENSION: &str = "relidx";

const HEADER_BYTES: u64 = 16;
const TABLE_ENTRY_BYTES: u64 = 24;

/// The sections of an index, by id.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[repr(u32)]
enum Section {
    Meta = 1,
    Start = 2,
    End = 3,
    Precision = 4,
    Class = 5,
    Type = 6,
    Weight = 7,
    Multiplicity = 8,
    ActorOffsets = 9,
    EventActors = 10,
    PairOffsets = 11,
    EventPairs = 12,
    Pairs = 13,
    ByEnd = 14,
    File = 15,
    Line = 16,
    Offset = 17,
    Details = 18,
}

impl Section {
    const ALL: [Section; 18] = [
        Section::Meta,
        Section::Start,
        Section::End,
        Section::Precision,
        Section::Class,
        Section::Type,
        Section::Weight,
        Section::Multiplicity,
        Section::ActorOffsets,
        Section::EventActors,
        Section::PairOffsets,
        Section::EventPairs,
        Section::Pairs,
        Section::ByEnd,
        Section::File,
        Section::Line,
        Section::Offset,
        Section::Details,
    ];

    fn from_id(id: u32) -> Option<Self> {
        Self::ALL.iter().copied().find(|s| *s as u32 == id)
    }

    fn name(self) -> &'static str {
        match self {
            Section::Meta => "meta",
            Section::Start => "start days",
            Section::End => "end days",
            Section::Precision => "precisions",
            Section::Class => "classes",
            Section::Type => "types",
            Section::Weight => "weights",
            Section::Multiplicity => "multiplicities",
            Section::ActorOffsets => "actor offsets",
            Section::EventActors => "event actors",
            Section::PairOffsets => "pair offsets",
            Section::EventPairs => "event pairs",
            Section::Pairs => "pairs",
            Section::ByEnd => "end order",
            Section::File => "source files",
            Section::Line => "source lines",
            Section::Offset => "source offsets",
            Section::Details => "stored details",
        }
    }
}

/// How an event's details are read from its source (see the module docs).
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum SourceAccess {
    /// A plain text file: `Offset` is the byte offset of the row.
    Rows,
    /// Compressed, JSON, Parquet or a workbook: the details are stored in the index, and
    /// `Offset` is where in its `Details` section.
    Stored,
}

/// One source file of an index.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct SourceRecord {
    /// Absolute path (or `archive.zip:member`).
    pub path: PathBuf,
    /// Size in bytes of the file (of the archive, for a member).
    pub size: u64,
    /// SHA-256 (hex) of the size and the first and last MiB of the file.
    pub hash: String,
    /// When the file was last changed (nanoseconds since 1970), where the system says: an
    /// unchanged time and size spare opening the hashing.
    #[serde(default)]
    pub modified_ns: Option<u64>,
    pub format: Format,
    /// The column mapping it was read with, as `(field, column)` names.
    pub mapping: Option<Vec<(String, String)>>,
    pub access: SourceAccess,
    /// Events read from it.
    pub events: u64,
    /// Rows skipped as unreadable while indexing.
    pub skipped_rows: u64,
}

/// The JSON `Meta` section.
#[derive(Clone, Debug, serde::Serialize, serde::Deserialize)]
struct Meta {
    events: u64,
    event_actors: u64,
    event_pairs: u64,
    pairs: u64,
    aggregated: bool,
    actors: ActorTable,
    types: Vec<String>,
    sources: Vec<SourceRecord>,
}

/// When a file was last changed, in nanoseconds since 1970.
pub fn modified_ns(meta: &std::fs::Metadata) -> Option<u64> {
    let since = meta
        .modified()
        .ok()?
        .duration_since(std::time::UNIX_EPOCH)
        .ok()?;
    u64::try_from(since.as_nanos()).ok()
}

/// SHA-256 (hex) of a file's size and its first and last MiB: what [`SourceRecord::hash`]
/// holds.
pub fn quick_hash(path: &std::path::Path) -> std::io::Result<(u64, String)> {
    use sha2::Digest as _;
    use std::io::{Read as _, Seek as _, SeekFrom};
    const PART: u64 = 1 << 20;
    let mut file = std::fs::File::open(path)?;
    let size = file.metadata()?.len();
    let mut hasher = sha2::Sha256::new();
    hasher.update(size.to_le_bytes());
    let mut buf = vec![0u8; PART.min(size) as usize];
    file.read_exact(&mut buf)?;
    hasher.update(&buf);
    if size > PART {
        let tail = PART.min(size - PART);
        file.seek(SeekFrom::Start(size - tail))?;
        let mut buf = vec![0u8; tail as usize];
        file.read_exact(&mut buf)?;
        hasher.update(&buf);
    }
    let digest = hasher.finalize();
    Ok((size, digest.iter().map(|b| format!("{b:02x}")).collect()))
}
