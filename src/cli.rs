//! The command line: `relmap [FILE…]` opens the GUI; `relmap stats FILE` prints a summary as
//! JSON. Tests and scripts depend on this interface: keep it stable.

use std::path::PathBuf;

use clap::{Parser, Subcommand};

use crate::io::{self, ColumnMap, FormatChoice, LoadOptions, Progress};

#[derive(Parser, Debug)]
#[command(
    name = "relmap",
    version,
    about = "Map relations between countries, institutions and people from dated event files",
    args_conflicts_with_subcommands = true
)]
pub struct Cli {
    /// Event files to open in the GUI (the bundled sample when none is given).
    pub files: Vec<PathBuf>,
    /// Format of the files given to the GUI.
    #[arg(long, value_enum, default_value_t = FormatChoice::Auto)]
    pub format: FormatChoice,
    /// Column mapping for a CSV with other headers: `date=COL,actor1=COL,actor2=COL,type=COL,…`
    /// (COL is a header name or a 1-based column number).
    #[arg(long, value_parser = ColumnMap::parse)]
    pub map: Option<ColumnMap>,
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Read an event file and print one JSON object: format, counts, date range, errors.
    Stats {
        file: PathBuf,
        #[arg(long, value_enum, default_value_t = FormatChoice::Auto)]
        format: FormatChoice,
        /// Column mapping for a CSV with other headers: `date=COL,actor1=COL,…`.
        #[arg(long, value_parser = ColumnMap::parse)]
        map: Option<ColumnMap>,
    },
}

/// The JSON `relmap stats` prints.
#[derive(serde::Serialize, Debug)]
pub struct Stats {
    pub format: &'static str,
    pub events: usize,
    pub actors: usize,
    pub first: String,
    pub last: String,
    pub skipped: usize,
    pub errors: Vec<io::Diagnostic>,
    pub warnings: Vec<io::Diagnostic>,
}

/// Runs `relmap stats`: the JSON on stdout and exit 0, or one line on stderr and exit 2.
pub fn stats(file: &std::path::Path, options: &LoadOptions) -> i32 {
    match io::load_path(file, options, &Progress::new()) {
        Ok(loaded) => {
            let ds = &loaded.dataset;
            let (first, last) = ds
                .first_and_last_dates()
                .map(|(f, l)| (f.to_string(), l.to_string()))
                .unwrap_or_default();
            let stats = Stats {
                format: loaded.format.name(),
                events: ds.len(),
                actors: ds.actors.len(),
                first,
                last,
                skipped: loaded.diagnostics.skipped,
                errors: loaded.diagnostics.errors,
                warnings: loaded.diagnostics.warnings,
            };
            match serde_json::to_string(&stats) {
                Ok(json) => {
                    // A closed pipe (`relmap stats F | head`) is the reader's choice, not an error.
                    use std::io::Write as _;
                    let _ = writeln!(std::io::stdout().lock(), "{json}");
                    0
                }
                Err(e) => {
                    eprintln!("relmap: {}: cannot write the summary: {e}", file.display());
                    2
                }
            }
        }
        Err(err) => {
            let first_error = err
                .errors
                .first()
                .map(|d| {
                    format!(
                        " (first: line {}, column {}: {})",
                        d.line, d.column, d.message
                    )
                })
                .unwrap_or_default();
            eprintln!("relmap: {err}{first_error}");
            2
        }
    }
}
