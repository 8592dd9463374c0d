//! Readers of event files: format detection, the native CSV and JSON formats, GDELT, ACLED
//! and ICEWS exports, column mapping for any other CSV, progress and cancelling, and per-line
//! diagnostics: a bad row is skipped and reported, never fatal.

mod acled;
pub mod gdelt;
mod icews;
mod lines;
mod mapping;
mod native_csv;
mod native_json;
pub mod presets;
mod row;
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

/// One problem with one place of an input file. Lines and columns count from 1.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct Diagnostic {
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
                line,
                column,
                message: message.into(),
            });
        }
    }

    pub fn warn(&mut self, line: u32, column: u32, message: impl Into<String>) {
        self.warned += 1;
        if self.warnings.len() < Self::MAX_LISTED {
            self.warnings.push(Diagnostic {
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

/// Why nothing could be read from a file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LoadError {
    pub path: PathBuf,
    pub message: String,
    /// Per-row problems found before giving up (rows all bad, say).
    pub errors: Vec<Diagnostic>,
    /// Set when the file is a CSV whose header is not relmap's: its first rows, so that the
    /// user can map its columns.
    pub needs_mapping: Option<CsvPreview>,
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

/// How many bytes of a file detection looks at.
const HEAD_BYTES: usize = 64 * 1024;

/// Guesses the format from the first bytes: JSON starts with `{` or `[`; GDELT by its column
/// count and SQLDATE; ICEWS and ACLED by their headers; anything else is CSV.
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
    let header = String::from_utf8_lossy(first_line).to_ascii_lowercase();
    if header.starts_with("event id\t") && header.contains("event date") {
        return Format::Icews;
    }
    if header.contains("event_id_cnty") && header.contains("event_date") {
        return Format::Acled;
    }
    Format::Csv
}

/// Counts bytes into a [`Progress`] and stops reading once the load is cancelled.
struct ProgressReader<'a, R> {
    inner: R,
    progress: &'a Progress,
}

impl<R: std::io::Read> std::io::Read for ProgressReader<'_, R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        if self.progress.is_cancelled() {
            return Err(std::io::Error::other("loading was cancelled"));
        }
        let n = self.inner.read(buf)?;
        self.progress.add_bytes(n as u64);
        Ok(n)
    }
}

/// Reads an event file. Fails only when not a single event could be read.
pub fn load_path(
    path: &Path,
    options: &LoadOptions,
    progress: &Progress,
) -> Result<Loaded, LoadError> {
    if let Some(result) = xlsx::load_if_workbook(path, options, progress) {
        return result;
    }
    let fail = |message: String| LoadError {
        path: path.to_path_buf(),
        message,
        errors: Vec::new(),
        needs_mapping: None,
    };
    let mut file =
        std::fs::File::open(path).map_err(|e| fail(format!("cannot read the file: {e}")))?;
    if let Ok(meta) = file.metadata() {
        if meta.is_dir() {
            return Err(fail("this is a folder, not a file".into()));
        }
        progress.set_total_bytes(meta.len());
    }
    let mut head = Vec::with_capacity(HEAD_BYTES);
    std::io::Read::by_ref(&mut file)
        .take(HEAD_BYTES as u64)
        .read_to_end(&mut head)
        .map_err(|e| fail(format!("cannot read the file: {e}")))?;
    let source = std::io::Cursor::new(head.clone()).chain(file);
    load_source(&head, source, path, options, progress)
}

/// Reads events from bytes that came from `path` (used for messages and provenance).
pub fn load_bytes(bytes: &[u8], path: &Path, options: &LoadOptions) -> Result<Loaded, LoadError> {
    let progress = Progress::new();
    if xlsx::looks_like_workbook(&bytes[..bytes.len().min(HEAD_BYTES)]) {
        return xlsx::load_workbook_bytes(bytes, path, None, options, &progress);
    }
    progress.set_total_bytes(bytes.len() as u64);
    let head = &bytes[..bytes.len().min(HEAD_BYTES)];
    load_source(head, bytes, path, options, &progress)
}

pub(crate) fn load_source(
    head: &[u8],
    source: impl std::io::Read + Send,
    path: &Path,
    options: &LoadOptions,
    progress: &Progress,
) -> Result<Loaded, LoadError> {
    let fail = |message: String, errors: Vec<Diagnostic>| LoadError {
        path: path.to_path_buf(),
        message,
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
    let format = match options.format {
        FormatChoice::Auto if options.mapping.is_some() => Format::Csv,
        FormatChoice::Auto => detected,
        FormatChoice::Csv => Format::Csv,
        FormatChoice::Json => Format::Json,
        FormatChoice::Gdelt if detected == Format::Gdelt1 => Format::Gdelt1,
        FormatChoice::Gdelt => Format::Gdelt2,
        FormatChoice::Acled => Format::Acled,
        FormatChoice::Icews => Format::Icews,
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
            let (_, total, _) = progress.snapshot();
            let mut bytes = Vec::with_capacity(total.min(1 << 34) as usize);
            let mut source = source;
            match std::io::Read::read_to_end(&mut source, &mut bytes) {
                Ok(_) => read_native_json(&bytes),
                Err(e) => Err(ReadFailure::new(format!("cannot read the file: {e}"))),
            }
        }
        Format::Gdelt1 | Format::Gdelt2 => read_gdelt(source, progress),
        Format::Acled => read_acled(source, progress),
        Format::Icews => read_icews(source, progress),
    };
    if progress.is_cancelled() {
        return Err(fail("loading was cancelled".into(), Vec::new()));
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
                CsvPreview::from_head(head)
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
fn looks_binary(bytes: &[u8]) -> bool {
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
