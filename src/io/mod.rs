//! Readers of event files: format detection, the native CSV and JSON formats, GDELT, ACLED,
//! ICEWS and UCDP GED exports, column mapping for any other CSV, Parquet (read as the CSV it
//! would be, see [`parquet`]), compressed input (`.zip`, `.gz`), several files read into one
//! dataset, progress and cancelling, and per-line
//! diagnostics: a bad row is skipped and reported, never fatal.

mod acled;
pub mod archive;
pub mod gdelt;
mod icews;
mod lines;
mod mapping;
mod native_csv;
mod native_json;
pub mod parquet;
pub mod presets;
mod row;
mod ucdp;
pub mod write;
pub mod xlsx;

use std::fmt;
use std::io::Read as _;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};

use crate::model::{Dataset, DatasetBuilder};

pub use acled::read_acled;
pub use gdelt::read_gdelt;
pub use icews::read_icews;
pub use mapping::{CsvPreview, MAPPABLE_FIELDS, guess_mapping};
pub use native_csv::{ColumnMap, read_native_csv};
pub use native_json::read_native_json;
pub use presets::{Preset, PresetStore, parse_map_argument, preset_for_header, shipped_presets};
pub use row::{Field, RowFields};
pub use ucdp::read_ucdp;

/// A file format relmap reads.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Format {
    Csv,
    Json,
    Gdelt1,
    Gdelt2,
    Acled,
    Icews,
    Ucdp,
}

impl Format {
    pub fn name(self) -> &'static str {
        match self {
            Format::Csv => "csv",
            Format::Json => "json",
            Format::Gdelt1 => "gdelt1",
            Format::Gdelt2 => "gdelt2",
            Format::Acled => "acled",
            Format::Icews => "icews",
            Format::Ucdp => "ucdp",
        }
    }
}

/// The user's choice: a format, or detection from the content.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, clap::ValueEnum)]
pub enum FormatChoice {
    #[default]
    Auto,
    Csv,
    Json,
    Gdelt,
    Acled,
    Icews,
    Ucdp,
}

/// How to read a file: its format (or detection) and, for other CSVs, a column mapping.
#[derive(Clone, Debug, Default)]
pub struct LoadOptions {
    pub format: FormatChoice,
    pub mapping: Option<ColumnMap>,
}

impl LoadOptions {
    pub fn format(format: FormatChoice) -> Self {
        Self {
            format,
            mapping: None,
        }
    }
}

/// One problem with one place of an input file. Lines and columns count from 1; 0 and 0
/// mean the file as a whole (a damaged archive, a file of a set that could not be read).
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct Diagnostic {
    /// The file (or `archive.zip:member`) when several were read together.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub file: Option<String>,
    pub line: u32,
    pub column: u32,
    pub message: String,
}

/// What a load found wrong: rows it skipped (`errors`) and things it kept but changed (`warnings`).
/// Each list keeps its first [`Diagnostics::MAX_LISTED`] entries; the counts go on, so that a
/// file of garbage cannot fill memory with messages.
#[derive(Clone, Debug, Default)]
pub struct Diagnostics {
    pub errors: Vec<Diagnostic>,
    pub warnings: Vec<Diagnostic>,
    /// Rows skipped (listed or not).
    pub skipped: usize,
    /// Warnings given (listed or not).
    pub warned: usize,
}

impl Diagnostics {
    pub const MAX_LISTED: usize = 10_000;

    /// Adds another part's diagnostics (from a later part of the same file).
    pub fn append(&mut self, other: Diagnostics) {
        let room = Self::MAX_LISTED.saturating_sub(self.errors.len());
        self.errors.extend(other.errors.into_iter().take(room));
        let room = Self::MAX_LISTED.saturating_sub(self.warnings.len());
        self.warnings.extend(other.warnings.into_iter().take(room));
        self.skipped += other.skipped;
        self.warned += other.warned;
    }

    pub fn skip(&mut self, line: u32, column: u32, message: impl Into<String>) {
        self.skipped += 1;
        if self.errors.len() < Self::MAX_LISTED {
            self.errors.push(Diagnostic {
                file: None,
                line,
                column,
                message: message.into(),
            });
        }
    }

    /// Names the file of every listed entry that names none yet.
    pub fn name_file(&mut self, file: &str) {
        for d in self.errors.iter_mut().chain(self.warnings.iter_mut()) {
            d.file.get_or_insert_with(|| file.to_string());
        }
    }

    pub fn warn(&mut self, line: u32, column: u32, message: impl Into<String>) {
        self.warned += 1;
        if self.warnings.len() < Self::MAX_LISTED {
            self.warnings.push(Diagnostic {
                file: None,
                line,
                column,
                message: message.into(),
            });
        }
    }
}

/// How far a load has got, shared with the thread that shows it; also how to cancel it.
#[derive(Debug, Default)]
pub struct Progress {
    bytes_read: AtomicU64,
    total_bytes: AtomicU64,
    rows: AtomicU64,
    cancel: AtomicBool,
}

impl Progress {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn cancel(&self) {
        self.cancel.store(true, Ordering::Relaxed);
    }

    pub fn is_cancelled(&self) -> bool {
        self.cancel.load(Ordering::Relaxed)
    }

    pub fn add_bytes(&self, n: u64) {
        self.bytes_read.fetch_add(n, Ordering::Relaxed);
    }

    pub fn add_rows(&self, n: u64) {
        self.rows.fetch_add(n, Ordering::Relaxed);
    }

    pub fn set_total_bytes(&self, n: u64) {
        self.total_bytes.store(n, Ordering::Relaxed);
    }

    /// `(bytes read, total bytes, rows read)`.
    pub fn snapshot(&self) -> (u64, u64, u64) {
        (
            self.bytes_read.load(Ordering::Relaxed),
            self.total_bytes.load(Ordering::Relaxed),
            self.rows.load(Ordering::Relaxed),
        )
    }
}

/// A successfully read file: at least one event, plus what was wrong with the rest.
#[derive(Debug)]
pub struct Loaded {
    pub dataset: Dataset,
    pub format: Format,
    pub diagnostics: Diagnostics,
}

/// What kind of failure a [`LoadError`] is, for callers that act on it (the GUI says nothing
/// for a load the user cancelled; a damaged archive keeps a cancellation a cancellation).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum LoadErrorKind {
    /// The user cancelled the load.
    Cancelled,
    /// The file could not be opened or read: missing, a folder, no permission, a damaged
    /// archive.
    Unreadable,
    /// The file was read, but it holds no event relmap can take: empty, binary, another
    /// kind of file, every row bad, or a header that needs a column mapping.
    #[default]
    NoEvents,
    /// A workspace relmap cannot open: damaged, made by a newer relmap, or its source file
    /// is gone or changed.
    Workspace,
    /// What was asked makes no sense (no file, a workspace mixed with other files).
    Request,
}

/// Why nothing could be read from a file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LoadError {
    pub kind: LoadErrorKind,
    pub path: PathBuf,
    pub message: String,
    /// Per-row problems found before giving up (rows all bad, say).
    pub errors: Vec<Diagnostic>,
    /// Set when the file is a CSV whose header is not relmap's: its first rows, so that the
    /// user can map its columns.
    pub needs_mapping: Option<Box<CsvPreview>>,
}

impl LoadError {
    /// A failure of this kind with no row diagnostics.
    pub fn new(kind: LoadErrorKind, path: &Path, message: impl Into<String>) -> Self {
        Self {
            kind,
            path: path.to_path_buf(),
            message: message.into(),
            errors: Vec::new(),
            needs_mapping: None,
        }
    }

    pub fn cancelled(path: &Path) -> Self {
        Self::new(LoadErrorKind::Cancelled, path, "loading was cancelled")
    }

    pub fn is_cancelled(&self) -> bool {
        self.kind == LoadErrorKind::Cancelled
    }
}

impl fmt::Display for LoadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.path.display(), self.message)
    }
}

impl std::error::Error for LoadError {}

/// What a reader returns before the file name is attached.
pub type ReadResult = Result<(Dataset, Diagnostics), ReadFailure>;

/// A reader's reason for reading nothing.
#[derive(Debug)]
pub struct ReadFailure {
    pub message: String,
    pub diagnostics: Diagnostics,
    /// The header lacks the native columns: a column mapping could read the file.
    pub needs_mapping: bool,
}

impl ReadFailure {
    pub fn new(message: impl Into<String>) -> Self {
        Self {
            message: message.into(),
            diagnostics: Diagnostics::default(),
            needs_mapping: false,
        }
    }

    /// The header is not relmap's: say so, and let the caller offer a column mapping.
    pub fn needing_mapping(message: impl Into<String>) -> Self {
        Self {
            needs_mapping: true,
            ..Self::new(message)
        }
    }
}

/// The end of every reader: the sorted dataset, or — when no row gave an event — a failure
/// that says whether the file had rows at all. `empty` is the message for no rows.
pub(crate) fn finish_read(
    builder: DatasetBuilder,
    diagnostics: Diagnostics,
    rows: usize,
    empty: &str,
) -> ReadResult {
    if builder.event_count() > 0 {
        return Ok((builder.finish(None), diagnostics));
    }
    Err(ReadFailure {
        message: if rows == 0 {
            empty.to_string()
        } else {
            format!("none of the {rows} rows could be read (see the errors)")
        },
        diagnostics,
        needs_mapping: false,
    })
}

/// What to add to the csv crate's line numbers of records. After a CRLF line end the crate
/// stops at the `\r` and counts the `\n` only while reading the next record, so in a file
/// with CRLF line ends (told by its header line) every record's line is one short.
pub(crate) fn csv_line_shift(head: &[u8]) -> u32 {
    let first_line = head.split(|&b| b == b'\n').next().unwrap_or(head);
    u32::from(first_line.len() < head.len() && first_line.ends_with(b"\r"))
}

/// The row loop of the readers that take their columns by header name (ACLED, UCDP): a row the
/// csv crate cannot split is skipped with its line; fields that are not UTF-8 are decoded
/// lossily with a warning naming the first such column; blank rows are passed over; a cancel
/// is seen every 4,096 rows. `each(line, record, diagnostics)` reads one row. Gives the number
/// of rows seen (read or skipped).
pub(crate) fn for_each_csv_row<R: std::io::Read>(
    reader: &mut csv::Reader<R>,
    line_shift: u32,
    progress: &Progress,
    diagnostics: &mut Diagnostics,
    mut each: impl FnMut(u32, &csv::StringRecord, &mut Diagnostics),
) -> Result<usize, ReadFailure> {
    let mut raw = csv::ByteRecord::new();
    let mut record = csv::StringRecord::new();
    let mut rows = 0usize;
    loop {
        if rows.is_multiple_of(4096) && progress.is_cancelled() {
            return Err(ReadFailure::new("loading was cancelled"));
        }
        match reader.read_byte_record(&mut raw) {
            Ok(false) => return Ok(rows),
            Ok(true) => {}
            Err(e) if e.is_io_error() => {
                return Err(ReadFailure {
                    message: format!("cannot read the file: {e}"),
                    diagnostics: std::mem::take(diagnostics),
                    needs_mapping: false,
                });
            }
            Err(e) => {
                let line = e.position().map_or(0, |p| p.line() as u32 + line_shift);
                rows += 1;
                diagnostics.skip(line, 1, format!("unreadable row: {e}"));
                continue;
            }
        }
        let line = raw.position().map_or(0, |p| p.line() as u32 + line_shift);
        record.clear();
        let mut lossy = None;
        for (i, field) in raw.iter().enumerate() {
            match std::str::from_utf8(field) {
                Ok(text) => record.push_field(text),
                Err(_) => {
                    lossy.get_or_insert(i);
                    record.push_field(&String::from_utf8_lossy(field));
                }
            }
        }
        if record.iter().all(|f| f.trim().is_empty()) {
            continue;
        }
        if let Some(i) = lossy {
            diagnostics.warn(
                line,
                i as u32 + 1,
                "bytes that are not UTF-8 in this row, decoded lossily",
            );
        }
        rows += 1;
        each(line, &record, diagnostics);
    }
}

/// How many bytes of a file detection looks at.
pub(crate) const HEAD_BYTES: usize = 64 * 1024;

/// Guesses the format from the first bytes: JSON starts with `{` or `[`; GDELT by its column
/// count and SQLDATE; ICEWS (both header styles), ACLED and UCDP GED by their headers;
/// anything else is CSV.
pub fn detect_format(head: &[u8]) -> Format {
    let text = head.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(head);
    if let Some(b'{' | b'[') = text.iter().find(|b| !b.is_ascii_whitespace()) {
        return Format::Json;
    }
    let first_line = text.split(|&b| b == b'\n').next().unwrap_or(text);
    if gdelt::looks_like_gdelt(first_line) {
        let columns = first_line.split(|&b| b == b'\t').count();
        return if columns == 61 {
            Format::Gdelt2
        } else {
            Format::Gdelt1
        };
    }
    // A header of GDELT's names, in any order (BigQuery exports, other tools' files).
    if let Some(header) = gdelt::header_columns(first_line) {
        return if header.version == 2 {
            Format::Gdelt2
        } else {
            Format::Gdelt1
        };
    }
    let header = String::from_utf8_lossy(first_line).to_ascii_lowercase();
    if (header.starts_with("event id\t") && header.contains("event date"))
        || (header.starts_with("event_id\t") && header.contains("event_date"))
    {
        return Format::Icews;
    }
    if header.contains("event_id_cnty") && header.contains("event_date") {
        return Format::Acled;
    }
    if ucdp::looks_like_ucdp(&header) {
        return Format::Ucdp;
    }
    Format::Csv
}

/// Counts bytes into a [`Progress`] (unless the compressed bytes are counted below it) and
/// stops reading once the load is cancelled.
struct ProgressReader<'a, R> {
    inner: R,
    progress: &'a Progress,
    count: bool,
}

impl<R: std::io::Read> std::io::Read for ProgressReader<'_, R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        if self.progress.is_cancelled() {
            return Err(std::io::Error::other("loading was cancelled"));
        }
        let n = self.inner.read(buf)?;
        if self.count {
            self.progress.add_bytes(n as u64);
        }
        Ok(n)
    }
}

/// Reads an event file (plain, `.gz`, `.zip`, or `archive.zip:member`). Fails only when
/// not a single event could be read.
pub fn load_path(
    path: &Path,
    options: &LoadOptions,
    progress: &Progress,
) -> Result<Loaded, LoadError> {
    load_paths(std::slice::from_ref(&path.to_path_buf()), options, progress)
}

/// Reads several sources — files, archives, `archive.zip:member`s, in any formats — into
/// ONE dataset: actors and types interned across them, each event keeping its file
/// ([`Dataset::file_of`]) and line, every diagnostic naming its file. A source that cannot
/// be read at all is an error in the list, not the end of the load; only when no source
/// gives an event does the load fail. Progress counts the bytes read (compressed bytes for
/// archives) against the size of all the files together; cancelling stops the whole set.
pub fn load_paths(
    paths: &[PathBuf],
    options: &LoadOptions,
    progress: &Progress,
) -> Result<Loaded, LoadError> {
    let Some(first) = paths.first() else {
        return Err(LoadError::new(
            LoadErrorKind::Request,
            Path::new(""),
            "no file given",
        ));
    };
    let mut total = 0;
    let mut counted: Vec<PathBuf> = Vec::new();
    for path in paths {
        let (file, _) = archive::split_member(path);
        if !counted.contains(&file) {
            total += std::fs::metadata(&file).map(|m| m.len()).unwrap_or(0);
            counted.push(file);
        }
    }
    progress.set_total_bytes(total);
    let mut set = SourceSet::default();
    for path in paths {
        if progress.is_cancelled() {
            break;
        }
        read_path(path, options, progress, &mut set);
    }
    if progress.is_cancelled() {
        return Err(LoadError::cancelled(first));
    }
    let SourceSet {
        mut parts,
        mut failures,
        notes,
    } = set;
    // One source read whole: exactly what reading it alone gives (with any skipped members).
    if parts.len() == 1 && failures.is_empty() {
        let (mut loaded, _) = parts.remove(0);
        loaded.diagnostics.append(notes);
        return Ok(loaded);
    }
    if parts.is_empty() {
        if failures.len() == 1 {
            return Err(failures.remove(0));
        }
        let mut err = failures.remove(0);
        err.message = format!(
            "none of the {} sources could be read; the first: {}",
            failures.len() + 1,
            err.message
        );
        return Err(err);
    }
    let format = {
        let formats: Vec<Format> = parts.iter().map(|(l, _)| l.format).collect();
        if formats.iter().all(|&f| f == formats[0]) {
            formats[0]
        } else if formats
            .iter()
            .all(|f| matches!(f, Format::Gdelt1 | Format::Gdelt2))
        {
            Format::Gdelt2
        } else {
            formats[0]
        }
    };
    let mut diagnostics = Diagnostics::default();
    let mut datasets = Vec::with_capacity(parts.len());
    for (loaded, name) in parts {
        let mut d = loaded.diagnostics;
        d.name_file(&name.to_string_lossy());
        diagnostics.append(d);
        datasets.push((loaded.dataset, name));
    }
    // A file that gave nothing is listed, but not counted as a skipped row: its rows were
    // never seen.
    for failure in failures {
        if diagnostics.errors.len() < Diagnostics::MAX_LISTED {
            diagnostics.errors.push(Diagnostic {
                file: Some(failure.path.to_string_lossy().into_owned()),
                line: 0,
                column: 0,
                message: format!("not read: {}", failure.message),
            });
        }
    }
    diagnostics.append(notes);
    Ok(Loaded {
        dataset: Dataset::merge(datasets),
        format,
        diagnostics,
    })
}

/// What reading a set of sources has given so far.
#[derive(Default)]
struct SourceSet {
    /// Each source read, with its name (`a.CSV`, `b.zip:c.CSV`).
    parts: Vec<(Loaded, PathBuf)>,
    failures: Vec<LoadError>,
    /// Members skipped and the like, named by file.
    notes: Diagnostics,
}

/// Reads one path of a set: a plain file, a `.gz`, a whole `.zip` or one member of it.
fn read_path(path: &Path, options: &LoadOptions, progress: &Progress, set: &mut SourceSet) {
    // A workbook is a zip too: it is read as one, before the archives below see it.
    if let Some(result) = xlsx::load_if_workbook(path, options, progress) {
        match result {
            Ok(loaded) => set.parts.push((loaded, path.to_path_buf())),
            Err(err) => set.failures.push(err),
        }
        return;
    }
    let (file_path, member) = archive::split_member(path);
    let fail = |message: String| LoadError::new(LoadErrorKind::Unreadable, path, message);
    let mut file = match std::fs::File::open(&file_path) {
        Ok(f) => f,
        Err(e) => {
            set.failures
                .push(fail(format!("cannot read the file: {e}")));
            return;
        }
    };
    let meta = file.metadata().ok();
    if meta.as_ref().is_some_and(|m| m.is_dir()) {
        set.failures
            .push(fail("this is a folder, not a file".into()));
        return;
    }
    let size = meta.map(|m| m.len()).unwrap_or(0);
    let head = match archive::read_head(&mut file) {
        Ok(head) => head,
        Err(e) => {
            set.failures
                .push(fail(format!("cannot read the file: {e}")));
            return;
        }
    };
    let compression = archive::compression_of(&head);
    if let Some(name) = &member
        && compression != archive::Compression::Zip
    {
        set.failures.push(fail(format!(
            "{} is not a zip archive, so it has no member '{}'",
            file_path.display(),
            cap(name, 80)
        )));
        return;
    }
    let result = match compression {
        archive::Compression::None => {
            let source = std::io::Cursor::new(head.clone()).chain(file);
            load_source(&head, source, path, options, progress, true, size)
        }
        archive::Compression::Gzip => {
            drop(head);
            use std::io::Seek as _;
            if let Err(e) = file.seek(std::io::SeekFrom::Start(0)) {
                set.failures
                    .push(fail(format!("cannot read the file: {e}")));
                return;
            }
            let decoder = flate2::read::MultiGzDecoder::new(archive::CountingReader {
                inner: std::io::BufReader::new(file),
                progress,
            });
            read_unpacked(decoder, path, options, progress, size.saturating_mul(4))
        }
        archive::Compression::Zip => {
            drop(file);
            read_zip(&file_path, member.as_deref(), options, progress, set);
            return;
        }
        archive::Compression::Other(name) => Err(fail(format!(
            "a {name}-compressed file: relmap unpacks .zip and .gz; unpack this one first"
        ))),
    };
    match result {
        Ok(loaded) => set.parts.push((loaded, path.to_path_buf())),
        Err(e) => set.failures.push(e),
    }
}

/// Reads decompressed bytes: the rows before any damage are kept, the damage reported.
fn read_unpacked(
    reader: impl std::io::Read + Send,
    name: &Path,
    options: &LoadOptions,
    progress: &Progress,
    size_hint: u64,
) -> Result<Loaded, LoadError> {
    let damage = std::sync::OnceLock::new();
    let mut guarded = archive::StopAtDamage {
        inner: reader,
        damage: &damage,
        progress,
    };
    let head = archive::read_head(&mut guarded).unwrap_or_default();
    let source = std::io::Cursor::new(head.clone()).chain(guarded);
    let result = load_source(&head, source, name, options, progress, false, size_hint);
    match (result, damage.get()) {
        (result, None) => result,
        (Ok(mut loaded), Some(damage)) => {
            let message = format!(
                "the compressed data is damaged or cut short ({}); the rows before the damage were read",
                cap(damage, 80)
            );
            let room = loaded.diagnostics.errors.len() < Diagnostics::MAX_LISTED;
            if room {
                loaded.diagnostics.errors.push(Diagnostic {
                    file: None,
                    line: 0,
                    column: 0,
                    message,
                });
            }
            Ok(loaded)
        }
        (Err(mut err), Some(damage)) => {
            if !err.is_cancelled() {
                err.message = format!(
                    "the compressed data is damaged or cut short ({}), and no event could be read before the damage",
                    cap(damage, 80)
                );
            }
            Err(err)
        }
    }
}

/// Reads a zip archive: the member asked for, or every member that is an event file (the
/// only member when there is one), naming the members skipped.
fn read_zip(
    zip_path: &Path,
    member: Option<&str>,
    options: &LoadOptions,
    progress: &Progress,
    set: &mut SourceSet,
) {
    let fail = |message: String| LoadError::new(LoadErrorKind::Unreadable, zip_path, message);
    // Judging the members unpacks their first bytes: through an archive of its own, so
    // that the progress counts each compressed byte once.
    let judged = archive::open_zip(zip_path, &Progress::new())
        .and_then(|mut listing| archive::list_members(&mut listing, options.mapping.is_some()));
    let members = match judged {
        Ok(members) => members,
        Err(message) => {
            set.failures.push(fail(message));
            return;
        }
    };
    let mut zip = match archive::open_zip(zip_path, progress) {
        Ok(zip) => zip,
        Err(message) => {
            set.failures.push(fail(message));
            return;
        }
    };
    let chosen: Vec<usize> = match member {
        Some(wanted) => {
            let exact = members.iter().position(|m| m.name == wanted);
            let by_base = || {
                let mut hits = members
                    .iter()
                    .enumerate()
                    .filter(|(_, m)| m.name.rsplit('/').next() == Some(wanted));
                match (hits.next(), hits.next()) {
                    (Some((i, _)), None) => Some(i),
                    _ => None,
                }
            };
            match exact.or_else(by_base) {
                Some(i) => vec![i],
                None => {
                    set.failures.push(fail(format!(
                        "the zip archive has no member '{}'",
                        cap(wanted, 80)
                    )));
                    return;
                }
            }
        }
        None => {
            let files: Vec<usize> = (0..members.len())
                .filter(|&i| {
                    let m = &members[i];
                    m.is_event_file()
                        || !matches!(
                            m.skip_reason.as_deref(),
                            Some("a folder" | "macOS metadata (__MACOSX)" | "file-system metadata")
                        )
                })
                .collect();
            if files.len() == 1 {
                // The only file: read it whatever it looks like, so that its own reader
                // says what is wrong with it.
                files
            } else {
                (0..members.len())
                    .filter(|&i| members[i].is_event_file())
                    .collect()
            }
        }
    };
    let mut skipped = Vec::new();
    if member.is_none() {
        for (i, m) in members.iter().enumerate() {
            if chosen.contains(&i) || m.skip_reason.as_deref() == Some("a folder") {
                continue;
            }
            let reason = m.skip_reason.as_deref().unwrap_or("not an event file");
            skipped.push(format!("{} ({reason})", cap(&m.name, 80)));
        }
    }
    if chosen.is_empty() {
        set.failures.push(fail(format!(
            "the zip archive holds no event file (skipped: {})",
            cap(&skipped.join(", "), 240)
        )));
        return;
    }
    let zip_name = zip_path.to_string_lossy().into_owned();
    if !skipped.is_empty() {
        let mut notes = Diagnostics::default();
        notes.warn(
            0,
            0,
            format!(
                "skipped {} member(s) that are not event files: {}",
                skipped.len(),
                cap(&skipped.join(", "), 400)
            ),
        );
        notes.name_file(&zip_name);
        set.notes.append(notes);
    }
    let whole = member.is_none() && chosen.len() == 1;
    for i in chosen {
        if progress.is_cancelled() {
            return;
        }
        let name = PathBuf::from(format!("{zip_name}:{}", members[i].name));
        let result = match zip.by_index(i) {
            Ok(file) => {
                let size = file.size();
                read_unpacked(file, &name, options, progress, size)
            }
            Err(e) => Err(LoadError::new(
                LoadErrorKind::Unreadable,
                &name,
                format!("cannot unpack the member: {e}"),
            )),
        };
        match result {
            Ok(mut loaded) => {
                // Reading the archive again gives the same events only when it is read
                // whole; a member alone has no file of its own to refer to.
                loaded.dataset.source = whole.then(|| zip_path.to_path_buf());
                set.parts.push((loaded, name));
            }
            Err(e) => set.failures.push(e),
        }
    }
}

/// `text`, or its first `max` characters and how much was left out: messages never quote
/// a whole data row.
pub(crate) fn cap(text: &str, max: usize) -> std::borrow::Cow<'_, str> {
    match text.char_indices().nth(max) {
        None => std::borrow::Cow::Borrowed(text),
        Some((cut, _)) => std::borrow::Cow::Owned(format!(
            "{}… ({} more bytes)",
            &text[..cut],
            text.len() - cut
        )),
    }
}

/// Reads events from bytes that came from `path` (used for messages and provenance).
pub fn load_bytes(bytes: &[u8], path: &Path, options: &LoadOptions) -> Result<Loaded, LoadError> {
    let progress = Progress::new();
    if xlsx::looks_like_workbook(&bytes[..bytes.len().min(HEAD_BYTES)]) {
        return xlsx::load_workbook_bytes(bytes, path, None, options, &progress);
    }
    progress.set_total_bytes(bytes.len() as u64);
    let head = &bytes[..bytes.len().min(HEAD_BYTES)];
    load_source(
        head,
        bytes,
        path,
        options,
        &progress,
        true,
        bytes.len() as u64,
    )
}

/// Reads one source whose first bytes are `head`. `count` says whether its bytes go to the
/// progress (not when the compressed bytes below are counted); `size_hint` is its size, as
/// far as known (to size a JSON buffer once).
pub(crate) fn load_source(
    head: &[u8],
    source: impl std::io::Read + Send,
    path: &Path,
    options: &LoadOptions,
    progress: &Progress,
    count: bool,
    size_hint: u64,
) -> Result<Loaded, LoadError> {
    if parquet::looks_like_parquet(head) || (parquet::has_parquet_name(path) && !head.is_empty()) {
        return load_parquet(head, source, path, options, progress, count, size_hint);
    }
    load_text_source(head, source, path, options, progress, count, size_hint)
}

/// Reads a Parquet file: whole into memory (its directory is at the end), then its rows as
/// CSV text through [`load_text_source`], so that its column names pick the reader (GDELT's
/// names, relmap's, a mapping). A damage met in the rows keeps the rows before it, like a
/// damaged archive.
fn load_parquet(
    head: &[u8],
    source: impl std::io::Read + Send,
    path: &Path,
    options: &LoadOptions,
    progress: &Progress,
    count: bool,
    size_hint: u64,
) -> Result<Loaded, LoadError> {
    let fail = |message: String| LoadError::new(LoadErrorKind::Unreadable, path, message);
    if !parquet::looks_like_parquet(head) {
        return Err(fail(
            "named .parquet, but it does not start like a Parquet file (no PAR1)".into(),
        ));
    }
    let mut bytes = Vec::with_capacity(size_hint.min(1 << 34) as usize);
    let mut source = ProgressReader {
        inner: source,
        progress,
        count,
    };
    if let Err(e) = std::io::Read::read_to_end(&mut source, &mut bytes) {
        if progress.is_cancelled() {
            return Err(LoadError::cancelled(path));
        }
        return Err(fail(format!("cannot read the file: {e}")));
    }
    let mut stream = parquet::ParquetCsv::open(bytes).map_err(fail)?;
    let damage = stream.damage();
    let text_head = archive::read_head(&mut stream).unwrap_or_default();
    let text = std::io::Cursor::new(text_head.clone()).chain(stream);
    let result = load_text_source(
        &text_head,
        text,
        path,
        options,
        progress,
        false,
        size_hint.saturating_mul(4),
    );
    match (result, damage.get()) {
        (result, None) => result,
        (Ok(mut loaded), Some(damage)) => {
            if loaded.diagnostics.errors.len() < Diagnostics::MAX_LISTED {
                loaded.diagnostics.errors.push(Diagnostic {
                    file: None,
                    line: 0,
                    column: 0,
                    message: format!(
                        "the Parquet data is damaged ({}); the rows before the damage were read",
                        cap(damage, 200)
                    ),
                });
            }
            Ok(loaded)
        }
        (Err(mut err), Some(damage)) => {
            if !err.is_cancelled() {
                err.kind = LoadErrorKind::Unreadable;
                err.message = format!(
                    "the Parquet data is damaged or unreadable ({}), and no event could be read before it",
                    cap(damage, 200)
                );
            }
            Err(err)
        }
    }
}

/// Reads one source of text (see [`load_source`]).
fn load_text_source(
    head: &[u8],
    source: impl std::io::Read + Send,
    path: &Path,
    options: &LoadOptions,
    progress: &Progress,
    count: bool,
    size_hint: u64,
) -> Result<Loaded, LoadError> {
    let fail = |message: String, errors: Vec<Diagnostic>| LoadError {
        kind: LoadErrorKind::NoEvents,
        path: path.to_path_buf(),
        // Messages quote the file's text at most this far (a GKG row is 20 KB long).
        message: cap(&message, 300).into_owned(),
        errors,
        needs_mapping: None,
    };
    if head.len() < HEAD_BYTES && head.iter().all(|b| b.is_ascii_whitespace()) {
        return Err(fail("the file is empty".into(), Vec::new()));
    }
    if looks_binary(head) {
        return Err(fail(
            "this is a binary file, not a text event file (CSV, TSV or JSON)".into(),
            Vec::new(),
        ));
    }
    let detected = detect_format(head);
    // GDELT's mentions and GKG files come beside every export: say what they are.
    if matches!(options.format, FormatChoice::Auto | FormatChoice::Gdelt)
        && options.mapping.is_none()
        && !matches!(detected, Format::Gdelt1 | Format::Gdelt2 | Format::Json)
        && let Some(what) = gdelt::non_event_file(head)
    {
        return Err(fail(what.to_string(), Vec::new()));
    }
    let format = match options.format {
        FormatChoice::Auto if options.mapping.is_some() => Format::Csv,
        FormatChoice::Auto => detected,
        FormatChoice::Csv => Format::Csv,
        FormatChoice::Json => Format::Json,
        FormatChoice::Gdelt if detected == Format::Gdelt1 => Format::Gdelt1,
        FormatChoice::Gdelt => Format::Gdelt2,
        FormatChoice::Acled => Format::Acled,
        FormatChoice::Icews => Format::Icews,
        FormatChoice::Ucdp => Format::Ucdp,
    };
    // A header that is not relmap's but has every column of a shipped preset (GTD, …).
    let preset = (format == Format::Csv && options.mapping.is_none())
        .then(|| CsvPreview::from_head(head).and_then(|p| preset_for_header(&p.header)))
        .flatten();
    let mapping = options
        .mapping
        .as_ref()
        .or(preset.as_ref().map(|p| &p.mapping));
    let source = ProgressReader {
        inner: source,
        progress,
        count,
    };
    let result = match format {
        Format::Csv => read_native_csv(head, source, mapping, progress).map(|(ds, mut diag)| {
            if let Some(p) = &preset {
                diag.warn(
                    1,
                    1,
                    format!(
                        "not relmap's header: read with the shipped column mapping '{}' (--map @{})",
                        p.name, p.name
                    ),
                );
            }
            (ds, diag)
        }),
        Format::Json if detected != Format::Json => {
            // Checked on the first bytes, before reading a possibly huge file whole.
            let first = head
                .strip_prefix(b"\xEF\xBB\xBF")
                .unwrap_or(head)
                .iter()
                .find(|b| !b.is_ascii_whitespace())
                .copied()
                .unwrap_or(b' ');
            Err(ReadFailure::new(format!(
                "line 1: not a relmap JSON document: it starts with '{}', not '{{'",
                String::from_utf8_lossy(&[first])
            )))
        }
        Format::Json => {
            // A JSON document is parsed whole; size the buffer once instead of doubling it.
            let mut bytes = Vec::with_capacity(size_hint.min(1 << 34) as usize);
            let mut source = source;
            match std::io::Read::read_to_end(&mut source, &mut bytes) {
                Ok(_) => read_native_json(&bytes),
                Err(e) => Err(ReadFailure::new(format!("cannot read the file: {e}"))),
            }
        }
        Format::Gdelt1 | Format::Gdelt2 => read_gdelt(source, progress),
        Format::Acled => read_acled(head, source, progress),
        Format::Icews => read_icews(source, progress),
        Format::Ucdp => read_ucdp(head, source, progress),
    };
    if progress.is_cancelled() {
        return Err(LoadError::cancelled(path));
    }
    match result {
        Ok((mut dataset, diagnostics)) => {
            dataset.source = Some(path.to_path_buf());
            if format == Format::Csv && options.mapping.is_some() {
                dataset.source_mapping = options.mapping.as_ref().map(ColumnMap::to_names);
            }
            Ok(Loaded {
                dataset,
                format,
                diagnostics,
            })
        }
        Err(failure) => {
            let needs_mapping = if failure.needs_mapping {
                CsvPreview::from_head(head).map(Box::new)
            } else {
                None
            };
            Err(LoadError {
                needs_mapping,
                ..fail(failure.message, failure.diagnostics.errors)
            })
        }
    }
}

/// NUL bytes or many control characters in the first bytes: not a text file.
pub(crate) fn looks_binary(bytes: &[u8]) -> bool {
    let head = &bytes[..bytes.len().min(8192)];
    let control = head
        .iter()
        .filter(|&&b| b < 0x09 || (0x0e..0x20).contains(&b))
        .count();
    head.contains(&0) || control * 10 > head.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn failures_say_what_kind_they_are() {
        let dir = tempfile::tempdir().unwrap();
        let kind = |path: &Path, progress: &Progress| {
            load_path(path, &LoadOptions::default(), progress)
                .unwrap_err()
                .kind
        };
        let fresh = Progress::new();
        assert_eq!(
            kind(&dir.path().join("missing.csv"), &fresh),
            LoadErrorKind::Unreadable
        );
        assert_eq!(kind(dir.path(), &fresh), LoadErrorKind::Unreadable);
        let empty = dir.path().join("empty.csv");
        std::fs::write(&empty, "").unwrap();
        assert_eq!(kind(&empty, &fresh), LoadErrorKind::NoEvents);
        let sample = dir.path().join("sample.csv");
        std::fs::write(&sample, crate::SAMPLE_CSV).unwrap();
        let cancelled = Progress::new();
        cancelled.cancel();
        let err = load_path(&sample, &LoadOptions::default(), &cancelled).unwrap_err();
        assert!(err.is_cancelled(), "{err}");
    }

    #[test]
    fn detects_icews_in_both_header_styles_and_ucdp() {
        let classic = b"Event ID\tEvent Date\tSource Name\tSource Sectors\n";
        let snake = b"event_id\tevent_date\tsource_name\tsource_sectors\n";
        let ucdp = b"\xEF\xBB\xBFid,year,side_a,side_b,country,date_start,date_end,best\n";
        let ucdp_tabs = b"id\tside_a\tside_b\tdate_start\n";
        let acled = b"event_id_cnty,event_date,year\n";
        assert_eq!(detect_format(classic), Format::Icews);
        assert_eq!(detect_format(snake), Format::Icews);
        assert_eq!(detect_format(ucdp), Format::Ucdp);
        assert_eq!(detect_format(ucdp_tabs), Format::Ucdp);
        assert_eq!(detect_format(acled), Format::Acled);
        assert_eq!(detect_format(b"date,side_a,actor1\n"), Format::Csv);
    }

    #[test]
    fn csv_lines_are_shifted_only_for_crlf_files() {
        assert_eq!(csv_line_shift(b"a,b\r\n1,2\r\n"), 1);
        assert_eq!(csv_line_shift(b"a,b\n1,2\n"), 0);
        assert_eq!(csv_line_shift(b"a,b\r"), 0);
    }

    #[test]
    fn diagnostics_list_a_bounded_number_and_count_all() {
        let mut d = Diagnostics::default();
        for line in 0..(Diagnostics::MAX_LISTED as u32 + 5) {
            d.skip(line, 1, "bad");
        }
        let mut other = Diagnostics::default();
        other.skip(1, 1, "bad");
        other.warn(1, 1, "odd");
        d.append(other);
        assert_eq!(d.errors.len(), Diagnostics::MAX_LISTED);
        assert_eq!(d.skipped, Diagnostics::MAX_LISTED + 6);
        assert_eq!((d.warned, d.warnings.len()), (1, 1));
    }

    #[test]
    fn a_garbage_gdelt_file_is_all_skipped_rows_not_a_panic() {
        let garbage: Vec<u8> = (0..200_000u32)
            .map(|i| {
                if i % 37 == 0 {
                    b'\n'
                } else {
                    b'a' + (i % 26) as u8
                }
            })
            .collect();
        let err = load_bytes(
            &garbage,
            Path::new("g.tsv"),
            &LoadOptions::format(FormatChoice::Gdelt),
        )
        .unwrap_err();
        assert!(err.message.contains("none of the"), "{}", err.message);
        assert_eq!(
            err.errors.len(),
            Diagnostics::MAX_LISTED.min(err.errors.len())
        );
    }
}
