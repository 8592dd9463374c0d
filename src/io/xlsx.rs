//! Excel workbooks (`.xlsx`, `.xlsm`; `.xls` and `.ods` too) through calamine: one sheet —
//! the first, or the one named after the path (`events.xlsx:Sheet2`) — becomes CSV text (tab
//! separated when it is a GDELT or ICEWS table) that goes through the same detection and readers as a text file, so an ACLED export
//! saved from Excel is read as ACLED and any other table can be mapped.
//!
//! Cells become text as Excel shows them: whole numbers without `.0`, date cells as ISO dates
//! (`2024-05-13`, with ` HH:MM:SS` when they hold a time), errors as `#N/A` and the like. Line
//! breaks and tabs inside a cell become spaces, so that each line of the text is one sheet row
//! and diagnostics name the sheet's own row and column (the table may start anywhere).

use std::io::Cursor;
use std::path::{Path, PathBuf};

use calamine::{Data, DataRef, ExcelDateTime, Reader, Sheets};

use super::{Diagnostic, LoadError, LoadErrorKind, LoadOptions, Loaded, Progress};

/// Extensions read as workbooks.
const EXTENSIONS: [&str; 5] = ["xlsx", "xlsm", "xlsb", "xls", "ods"];

/// Excel's own limits: a sheet position beyond them is a damaged (or hostile) file, and
/// would otherwise become gigabytes of empty lines.
const MAX_ROWS: u32 = 1 << 20;
const MAX_COLUMNS: u32 = 1 << 14;

/// Whether the path names a workbook by its extension.
pub fn has_workbook_extension(path: &Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| EXTENSIONS.iter().any(|x| e.eq_ignore_ascii_case(x)))
}

/// Whether the first bytes are an Office Open XML workbook: a zip archive (`PK\x03\x04`)
/// whose first members include the `xl/` folder.
pub fn looks_like_workbook(head: &[u8]) -> bool {
    head.starts_with(b"PK\x03\x04") && memchr::memmem::find(head, b"xl/").is_some()
}

/// Splits `events.xlsx:Sheet2` into the file and the sheet. A path that exists as it is, or
/// whose part before the last `:` is not a workbook, is returned whole.
pub fn split_sheet(path: &Path) -> (PathBuf, Option<String>) {
    if path.exists() {
        return (path.to_path_buf(), None);
    }
    let text = path.to_string_lossy();
    if let Some((file, sheet)) = text.rsplit_once(':') {
        let file = PathBuf::from(file);
        if !sheet.is_empty() && has_workbook_extension(&file) {
            return (file, Some(sheet.to_string()));
        }
    }
    (path.to_path_buf(), None)
}

/// The names of a workbook's sheets, in order (for the GUI's sheet choice).
pub fn sheet_names(path: &Path) -> Result<Vec<String>, String> {
    let (file, _) = split_sheet(path);
    let bytes = std::fs::read(&file).map_err(|e| format!("{}: {e}", file.display()))?;
    sheet_names_of_bytes(&bytes)
}

/// The sheet names of a workbook held in memory.
pub fn sheet_names_of_bytes(bytes: &[u8]) -> Result<Vec<String>, String> {
    guarded(|| open(bytes).map(|book| book.sheet_names()))
}

/// One sheet as text.
#[derive(Debug)]
pub struct SheetText {
    pub sheet: String,
    /// One line per sheet row from the table's first row; cells separated by commas (tabs
    /// for GDELT and ICEWS tables).
    pub text: Vec<u8>,
    /// 0-based sheet row and column of the text's first line and column.
    pub first_row: u32,
    pub first_column: u32,
}

/// A sheet of a workbook (the first when `sheet` is `None`) as CSV (or TSV) text.
pub fn sheet_to_text(bytes: &[u8], sheet: Option<&str>) -> Result<SheetText, String> {
    guarded(|| {
        let mut book = open(bytes)?;
        let names = book.sheet_names();
        let name = match sheet {
            None => names.first().cloned().ok_or("the workbook has no sheets")?,
            Some(wanted) => names
                .iter()
                .find(|n| n.as_str() == wanted)
                .or_else(|| names.iter().find(|n| n.eq_ignore_ascii_case(wanted)))
                .cloned()
                .ok_or_else(|| {
                    format!(
                        "the workbook has no sheet '{wanted}' (sheets: {})",
                        names.join(", ")
                    )
                })?,
        };
        let mut cells: Vec<(u32, u32, String)> = Vec::new();
        match &mut book {
            // Cell by cell: a dense range of a sheet with one far-away cell would be huge.
            Sheets::Xlsx(xlsx) => {
                let mut reader = xlsx
                    .worksheet_cells_reader(&name)
                    .map_err(|e| format!("sheet '{name}': {e}"))?;
                while let Some(cell) = reader
                    .next_cell()
                    .map_err(|e| format!("sheet '{name}': {e}"))?
                {
                    let (row, column) = cell.get_position();
                    let text = data_ref_text(cell.get_value());
                    if !text.is_empty() {
                        check_position(row, column)?;
                        cells.push((row, column, text));
                    }
                }
            }
            other => {
                let range = other
                    .worksheet_range(&name)
                    .map_err(|e| format!("sheet '{name}': {e}"))?;
                let (top, left) = range.start().unwrap_or((0, 0));
                for (r, c, value) in range.used_cells() {
                    let text = data_text(value);
                    if !text.is_empty() {
                        let (row, column) = (top + r as u32, left + c as u32);
                        check_position(row, column)?;
                        cells.push((row, column, text));
                    }
                }
            }
        }
        if cells.is_empty() {
            return Err(format!("sheet '{name}' is empty"));
        }
        // Tabs for the formats whose readers split on tabs (GDELT, ICEWS), commas (quoted
        // as needed) for the rest: the ACLED reader, for one, reads commas only.
        cells.sort_by_key(|&(r, c, _)| (r, c));
        let tsv = to_text(name.clone(), &cells, b'\t');
        let head = &tsv.text[..tsv.text.len().min(super::HEAD_BYTES)];
        Ok(match super::detect_format(head) {
            super::Format::Gdelt1 | super::Format::Gdelt2 | super::Format::Icews => tsv,
            _ => to_text(name, &cells, b','),
        })
    })
}

/// Reads a workbook's sheet as an event file. `path` is for messages and provenance.
pub fn load_workbook_bytes(
    bytes: &[u8],
    path: &Path,
    sheet: Option<&str>,
    options: &LoadOptions,
    progress: &Progress,
) -> Result<Loaded, LoadError> {
    let sheet = sheet_to_text(bytes, sheet)
        .map_err(|message| LoadError::new(LoadErrorKind::NoEvents, path, message))?;
    progress.set_total_bytes(sheet.text.len() as u64);
    let head = &sheet.text[..sheet.text.len().min(super::HEAD_BYTES)];
    // The text's lines and columns are the sheet's, shifted to where the table starts.
    let place = |d: &mut Diagnostic| {
        d.line = d.line.saturating_add(sheet.first_row);
        d.column = d.column.saturating_add(sheet.first_column);
    };
    let size = sheet.text.len() as u64;
    match super::load_source(head, &sheet.text[..], path, options, progress, true, size) {
        Ok(mut loaded) => {
            loaded.diagnostics.errors.iter_mut().for_each(place);
            loaded.diagnostics.warnings.iter_mut().for_each(place);
            Ok(loaded)
        }
        Err(mut err) => {
            err.errors.iter_mut().for_each(place);
            if !err.message.contains("sheet") {
                err.message = format!("sheet '{}': {}", sheet.sheet, err.message);
            }
            Err(err)
        }
    }
}

/// The hook of [`super::load_path`]: `Some` when the path is a workbook (by its extension,
/// a `:SHEET` suffix or its first bytes), read here; `None` for every other file.
pub(super) fn load_if_workbook(
    path: &Path,
    options: &LoadOptions,
    progress: &Progress,
) -> Option<Result<Loaded, LoadError>> {
    let (file, sheet) = split_sheet(path);
    if !has_workbook_extension(&file) && !starts_like_workbook(&file) {
        return None;
    }
    let bytes = match std::fs::read(&file) {
        Ok(bytes) => bytes,
        Err(e) => {
            return Some(Err(LoadError::new(
                LoadErrorKind::Unreadable,
                path,
                format!("cannot read the file: {e}"),
            )));
        }
    };
    progress.add_bytes(bytes.len() as u64);
    Some(
        load_workbook_bytes(&bytes, path, sheet.as_deref(), options, progress).map(|mut l| {
            l.dataset.source = Some(path.to_path_buf());
            l
        }),
    )
}

/// A file whose name does not say so but whose first bytes are a workbook's.
fn starts_like_workbook(path: &Path) -> bool {
    use std::io::Read as _;
    let mut head = Vec::with_capacity(4096);
    std::fs::File::open(path)
        .and_then(|f| f.take(4096).read_to_end(&mut head))
        .is_ok_and(|_| looks_like_workbook(&head))
}

fn open(bytes: &[u8]) -> Result<Sheets<Cursor<&[u8]>>, String> {
    calamine::open_workbook_auto_from_rs(Cursor::new(bytes))
        .map_err(|e| format!("not a readable workbook: {e}"))
}

/// Runs calamine so that a panic inside it on a damaged file becomes an error message.
fn guarded<T>(f: impl FnOnce() -> Result<T, String>) -> Result<T, String> {
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(f))
        .unwrap_or_else(|_| Err("not a readable workbook (the reader failed on it)".into()))
}

fn check_position(row: u32, column: u32) -> Result<(), String> {
    if row >= MAX_ROWS || column >= MAX_COLUMNS {
        return Err(format!(
            "a cell at row {}, column {} is beyond Excel's limits; the workbook is damaged",
            u64::from(row) + 1,
            u64::from(column) + 1
        ));
    }
    Ok(())
}

/// Lays the cells (sorted by row and column) out as lines of fields separated by
/// `separator`, from the table's first row and column.
fn to_text(sheet: String, cells: &[(u32, u32, String)], separator: u8) -> SheetText {
    let first_row = cells.first().map_or(0, |c| c.0);
    let first_column = cells.iter().map(|c| c.1).min().unwrap_or(0);
    let mut text = Vec::new();
    let mut row = first_row;
    // The last column written in the current row.
    let mut last: Option<u32> = None;
    for &(r, c, ref value) in cells {
        if r > row {
            text.extend(std::iter::repeat_n(b'\n', (r - row) as usize));
            (row, last) = (r, None);
        } else if last.is_some_and(|l| c <= l) {
            continue; // the same cell twice: keep the first
        }
        let tabs = match last {
            None => c - first_column,
            Some(l) => c - l,
        };
        text.extend(std::iter::repeat_n(separator, tabs as usize));
        write_field(&mut text, value, separator);
        last = Some(c);
    }
    text.push(b'\n');
    SheetText {
        sheet,
        text,
        first_row,
        first_column,
    }
}

/// A cell's text as one field: tabs and line breaks become spaces (one line per row); a
/// value with a quote or the separator is quoted, CSV style, so that the readers take it as
/// it is.
fn write_field(out: &mut Vec<u8>, value: &str, separator: u8) {
    let flat: String = value
        .chars()
        .map(|c| {
            if matches!(c, '\t' | '\n' | '\r') {
                ' '
            } else {
                c
            }
        })
        .collect();
    if flat.contains('"') || flat.as_bytes().contains(&separator) {
        out.push(b'"');
        out.extend_from_slice(flat.replace('"', "\"\"").as_bytes());
        out.push(b'"');
    } else {
        out.extend_from_slice(flat.as_bytes());
    }
}

fn data_ref_text(value: &DataRef) -> String {
    match value {
        DataRef::Int(i) => i.to_string(),
        DataRef::Float(f) => number_text(*f),
        DataRef::String(s) | DataRef::DateTimeIso(s) | DataRef::DurationIso(s) => s.clone(),
        DataRef::SharedString(s) => (*s).to_string(),
        DataRef::Bool(b) => bool_text(*b),
        DataRef::DateTime(d) => datetime_text(d),
        DataRef::Error(e) => e.to_string(),
        DataRef::Empty => String::new(),
    }
}

fn data_text(value: &Data) -> String {
    match value {
        Data::Int(i) => i.to_string(),
        Data::Float(f) => number_text(*f),
        Data::String(s) | Data::DateTimeIso(s) | Data::DurationIso(s) => s.clone(),
        Data::Bool(b) => bool_text(*b),
        Data::DateTime(d) => datetime_text(d),
        Data::Error(e) => e.to_string(),
        Data::Empty => String::new(),
    }
}

fn bool_text(b: bool) -> String {
    if b { "TRUE" } else { "FALSE" }.to_string()
}

/// Excel stores every number as a float: a whole one is written without `.0`.
fn number_text(f: f64) -> String {
    if f.is_finite() && f.fract() == 0.0 && f.abs() < 1e15 {
        format!("{}", f as i64)
    } else {
        format!("{f}")
    }
}

/// A date cell as an ISO date, with its time when it has one; a duration as its number.
fn datetime_text(d: &ExcelDateTime) -> String {
    if !d.is_datetime() {
        return number_text(d.as_f64());
    }
    let (y, m, day, h, min, s, _) = d.to_ymd_hms_milli();
    if (h, min, s) == (0, 0, 0) {
        format!("{y:04}-{m:02}-{day:02}")
    } else {
        format!("{y:04}-{m:02}-{day:02} {h:02}:{min:02}:{s:02}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_become_lines_at_their_sheet_place() {
        let cells = vec![
            (3, 2, "b".to_string()),
            (1, 1, "date".to_string()),
            (1, 2, "a\tx\ny".to_string()),
            (3, 1, "say \"hi\"".to_string()),
        ];
        let mut cells = cells;
        cells.sort_by_key(|&(r, c, _)| (r, c));
        let t = to_text("S".into(), &cells, b'\t');
        assert_eq!((t.first_row, t.first_column), (1, 1));
        assert_eq!(
            String::from_utf8(t.text).unwrap(),
            "date\ta x y\n\n\"say \"\"hi\"\"\"\tb\n"
        );
        let t = to_text(
            "S".into(),
            &[(0, 0, "a,b".into()), (0, 2, "c".into())],
            b',',
        );
        assert_eq!(String::from_utf8(t.text).unwrap(), "\"a,b\",,c\n");
    }

    #[test]
    fn numbers_and_dates_read_as_excel_shows_them() {
        assert_eq!(number_text(2024.0), "2024");
        assert_eq!(number_text(-3.0), "-3");
        assert_eq!(number_text(53.9006), "53.9006");
        let day = ExcelDateTime::new(45365.0, calamine::ExcelDateTimeType::DateTime, false);
        assert_eq!(datetime_text(&day), "2024-03-14");
        let time = ExcelDateTime::new(45365.5, calamine::ExcelDateTimeType::DateTime, false);
        assert_eq!(datetime_text(&time), "2024-03-14 12:00:00");
        let day_1904 = ExcelDateTime::new(43903.0, calamine::ExcelDateTimeType::DateTime, true);
        assert_eq!(datetime_text(&day_1904), "2024-03-14");
    }

    #[test]
    fn a_sheet_after_the_path_is_split_off_only_for_workbooks() {
        let (file, sheet) = split_sheet(Path::new("/nowhere/events.xlsx:Sheet 2"));
        assert_eq!(file, Path::new("/nowhere/events.xlsx"));
        assert_eq!(sheet.as_deref(), Some("Sheet 2"));
        let (file, sheet) = split_sheet(Path::new("/nowhere/events.csv:x"));
        assert_eq!(file, Path::new("/nowhere/events.csv:x"));
        assert!(sheet.is_none());
    }

    #[test]
    fn garbage_is_an_error_not_a_panic() {
        assert!(sheet_to_text(b"PK\x03\x04xl/ not really a zip", None).is_err());
        assert!(sheet_names_of_bytes(b"").is_err());
    }
}
