//! Readers (and later writers) of event files. Format detection, the native CSV and JSON
//! formats, and per-line diagnostics: a bad row is skipped and reported, never fatal.

mod native_csv;
mod native_json;
mod row;

use std::fmt;
use std::path::{Path, PathBuf};

use crate::model::Dataset;

pub use native_csv::read_native_csv;
pub use native_json::read_native_json;
pub use row::RowFields;

/// A file format relmap reads.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Format {
    Csv,
    Json,
}

impl Format {
    pub fn name(self) -> &'static str {
        match self {
            Format::Csv => "csv",
            Format::Json => "json",
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
}

/// One problem with one place of an input file. Lines and columns count from 1.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct Diagnostic {
    pub line: u32,
    pub column: u32,
    pub message: String,
}

/// What a load found wrong: rows it skipped (`errors`) and things it kept but changed (`warnings`).
#[derive(Clone, Debug, Default)]
pub struct Diagnostics {
    pub errors: Vec<Diagnostic>,
    pub warnings: Vec<Diagnostic>,
    /// Rows skipped; equals `errors.len()`.
    pub skipped: usize,
}

impl Diagnostics {
    pub fn skip(&mut self, line: u32, column: u32, message: impl Into<String>) {
        self.skipped += 1;
        self.errors.push(Diagnostic {
            line,
            column,
            message: message.into(),
        });
    }

    pub fn warn(&mut self, line: u32, column: u32, message: impl Into<String>) {
        self.warnings.push(Diagnostic {
            line,
            column,
            message: message.into(),
        });
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
}

impl ReadFailure {
    pub fn new(message: impl Into<String>) -> Self {
        Self {
            message: message.into(),
            diagnostics: Diagnostics::default(),
        }
    }
}

/// Guesses the format from the first bytes: JSON starts with `{` or `[`.
pub fn detect_format(bytes: &[u8]) -> Format {
    let text = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    match text.iter().find(|b| !b.is_ascii_whitespace()) {
        Some(b'{') | Some(b'[') => Format::Json,
        _ => Format::Csv,
    }
}

/// Reads an event file. Fails only when not a single event could be read.
pub fn load_path(path: &Path, choice: FormatChoice) -> Result<Loaded, LoadError> {
    let fail = |message: String| LoadError {
        path: path.to_path_buf(),
        message,
        errors: Vec::new(),
    };
    let bytes = std::fs::read(path).map_err(|e| fail(format!("cannot read the file: {e}")))?;
    load_bytes(&bytes, path, choice)
}

/// Reads events from bytes that came from `path` (used for messages and provenance).
pub fn load_bytes(bytes: &[u8], path: &Path, choice: FormatChoice) -> Result<Loaded, LoadError> {
    let fail = |message: String, errors: Vec<Diagnostic>| LoadError {
        path: path.to_path_buf(),
        message,
        errors,
    };
    if bytes.iter().all(|b| b.is_ascii_whitespace()) {
        return Err(fail("the file is empty".into(), Vec::new()));
    }
    if looks_binary(bytes) {
        return Err(fail(
            "this is a binary file, not a text event file (CSV, TSV or JSON)".into(),
            Vec::new(),
        ));
    }
    let format = match choice {
        FormatChoice::Auto => detect_format(bytes),
        FormatChoice::Csv => Format::Csv,
        FormatChoice::Json => Format::Json,
    };
    let result = match format {
        Format::Csv => read_native_csv(bytes),
        Format::Json => read_native_json(bytes),
    };
    match result {
        Ok((mut dataset, diagnostics)) => {
            dataset.source = Some(path.to_path_buf());
            Ok(Loaded {
                dataset,
                format,
                diagnostics,
            })
        }
        Err(failure) => Err(fail(failure.message, failure.diagnostics.errors)),
    }
}

/// NUL bytes or many control characters in the first 8 KiB: not a text file.
fn looks_binary(bytes: &[u8]) -> bool {
    let head = &bytes[..bytes.len().min(8192)];
    let control = head
        .iter()
        .filter(|&&b| b < 0x09 || (0x0e..0x20).contains(&b))
        .count();
    head.contains(&0) || control * 10 > head.len()
}
