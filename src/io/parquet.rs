//! Parquet files, as DuckDB, BigQuery and Spark export query results: told by their `PAR1`
//! magic (or a `.parquet` name), read row by row with the `parquet` crate (no arrow) and
//! handed to the text readers as the CSV they would be, header of column names first.
//!
//! Why through CSV: a Parquet file's columns carry the names of the format it came from —
//! GDELT's (`SQLDATE`, `Actor1Name`, …, a `count` for aggregates) or relmap's native ones —
//! so detection, the GDELT field mapping and actor resolution, the native row rules, column
//! mapping, diagnostics, progress and cancelling are exactly those of the CSV readers, with
//! no second copy of any of them. Rows are converted a batch at a time as the reader asks,
//! so memory holds the Parquet file and one batch of text, not the whole table as CSV.
//!
//! Values by type: strings (UTF8 or plain BYTE_ARRAY) as they are; integers and floats as
//! numbers (a NaN as empty); DATE and timestamps as `YYYY-MM-DD` (the GDELT reader takes
//! that for SQLDATE as well as `20250314`); nulls as empty cells. Diagnostics say "line N"
//! for the N−1th row (the header is line 1), as long as no text holds a line break.
//!
//! Compression: uncompressed, Snappy (the default of all three engines) and gzip. Other
//! codecs are refused up front with a line that says how to export instead. A damaged file
//! gives the rows before the damage and an error, never a panic.

use std::io::Read;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::{Arc, OnceLock};

use parquet::basic::Compression;
use parquet::file::reader::{FileReader, SerializedFileReader};
use parquet::record::{Field, Row, reader::RowIter};

/// Whether the bytes start like a Parquet file.
pub fn looks_like_parquet(head: &[u8]) -> bool {
    head.starts_with(b"PAR1")
}

/// Whether a file name says Parquet.
pub fn has_parquet_name(path: &std::path::Path) -> bool {
    let name = path.to_string_lossy();
    // `a.zip:b.parquet` names an archive member: its own name counts.
    let base = name.rsplit(':').next().unwrap_or(&name);
    base.to_ascii_lowercase().ends_with(".parquet")
}

/// A Parquet file as a stream of CSV text: its column names, then its rows. What went wrong
/// while reading rows (a damaged page) ends the stream and is kept in [`Self::damage`].
pub struct ParquetCsv {
    rows: RowIter<'static>,
    buffer: Vec<u8>,
    at: usize,
    done: bool,
    damage: Arc<OnceLock<String>>,
}

/// Rows converted per refill: enough to keep the per-call overhead small, few enough that
/// the text of one batch stays small.
const BATCH_ROWS: usize = 512;

impl ParquetCsv {
    /// Opens a Parquet file held in memory. Fails with one line when it is not readable
    /// Parquet (damaged footer, cut short) or uses a codec relmap does not unpack.
    pub fn open(bytes: Vec<u8>) -> Result<Self, String> {
        let opened = catch_unwind(AssertUnwindSafe(|| {
            SerializedFileReader::new(bytes::Bytes::from(bytes))
        }));
        let reader = match opened {
            Ok(Ok(reader)) => reader,
            Ok(Err(e)) => {
                return Err(format!(
                    "not a readable Parquet file (damaged or cut short?): {}",
                    super::cap(&e.to_string(), 200)
                ));
            }
            Err(_) => {
                return Err("not a readable Parquet file (damaged or cut short?)".into());
            }
        };
        let metadata = reader.metadata();
        for group in metadata.row_groups() {
            for column in group.columns() {
                let codec = match column.compression() {
                    Compression::UNCOMPRESSED | Compression::SNAPPY | Compression::GZIP(_) => {
                        continue;
                    }
                    Compression::ZSTD(_) => "ZSTD",
                    Compression::BROTLI(_) => "BROTLI",
                    Compression::LZ4 | Compression::LZ4_RAW => "LZ4",
                    Compression::LZO => "LZO",
                };
                return Err(format!(
                    "{codec}-compressed Parquet is not supported; export with SNAPPY or GZIP \
                     (column {})",
                    super::cap(&column.column_path().string(), 80)
                ));
            }
        }
        let names: Vec<String> = metadata
            .file_metadata()
            .schema()
            .get_fields()
            .iter()
            .map(|f| f.name().to_string())
            .collect();
        if names.is_empty() {
            return Err("the Parquet file has no columns".into());
        }
        let mut buffer = Vec::new();
        write_record(&mut buffer, &names);
        let rows = RowIter::from_file_into(Box::new(reader));
        Ok(Self {
            rows,
            buffer,
            at: 0,
            done: false,
            damage: Arc::new(OnceLock::new()),
        })
    }

    /// Where a damage met while reading rows is told (once the stream has ended).
    pub fn damage(&self) -> Arc<OnceLock<String>> {
        Arc::clone(&self.damage)
    }

    /// Converts the next batch of rows. A row the crate cannot read, or a panic inside
    /// it, ends the stream with the damage noted.
    fn refill(&mut self) {
        self.buffer.clear();
        self.at = 0;
        let mut cells: Vec<String> = Vec::new();
        for _ in 0..BATCH_ROWS {
            let next = catch_unwind(AssertUnwindSafe(|| self.rows.next()));
            let row = match next {
                Ok(Some(Ok(row))) => row,
                Ok(None) => {
                    self.done = true;
                    break;
                }
                Ok(Some(Err(e))) => {
                    let _ = self.damage.set(unsupported_or(&e.to_string()));
                    self.done = true;
                    break;
                }
                Err(_) => {
                    let _ = self
                        .damage
                        .set("the Parquet data could not be decoded".into());
                    self.done = true;
                    break;
                }
            };
            row_cells(&row, &mut cells);
            write_record(&mut self.buffer, &cells);
        }
    }
}

impl Read for ParquetCsv {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        while self.at >= self.buffer.len() {
            if self.done {
                return Ok(0);
            }
            self.refill();
        }
        let n = buf.len().min(self.buffer.len() - self.at);
        buf[..n].copy_from_slice(&self.buffer[self.at..self.at + n]);
        self.at += n;
        Ok(n)
    }
}

/// The crate's message, or the line saying which codecs to export with when it names one
/// compiled out.
fn unsupported_or(message: &str) -> String {
    let lower = message.to_ascii_lowercase();
    if lower.contains("disabled feature") {
        for codec in ["zstd", "brotli", "lz4"] {
            if lower.contains(codec) {
                return format!(
                    "{}-compressed Parquet is not supported; export with SNAPPY or GZIP",
                    codec.to_ascii_uppercase()
                );
            }
        }
    }
    super::cap(message, 200).into_owned()
}

/// Appends one CSV record: fields quoted where they hold a comma, a quote or a line break,
/// as the `csv` crate reads them back.
fn write_record(out: &mut Vec<u8>, cells: &[String]) {
    for (i, cell) in cells.iter().enumerate() {
        if i > 0 {
            out.push(b',');
        }
        if cell
            .bytes()
            .any(|b| matches!(b, b',' | b'"' | b'\n' | b'\r'))
        {
            out.push(b'"');
            for b in cell.bytes() {
                if b == b'"' {
                    out.push(b'"');
                }
                out.push(b);
            }
            out.push(b'"');
        } else {
            out.extend_from_slice(cell.as_bytes());
        }
    }
    out.push(b'\n');
}

/// The row's values as CSV cells, in column order.
fn row_cells(row: &Row, cells: &mut Vec<String>) {
    cells.clear();
    cells.extend(row.get_column_iter().map(|(_, field)| cell(field)));
}

/// One value as the text readers take it (see the module docs).
fn cell(field: &Field) -> String {
    let float = |x: f64| {
        if x.is_finite() {
            x.to_string()
        } else {
            String::new()
        }
    };
    match field {
        Field::Null => String::new(),
        Field::Bool(b) => b.to_string(),
        Field::Byte(v) => v.to_string(),
        Field::Short(v) => v.to_string(),
        Field::Int(v) => v.to_string(),
        Field::Long(v) => v.to_string(),
        Field::UByte(v) => v.to_string(),
        Field::UShort(v) => v.to_string(),
        Field::UInt(v) => v.to_string(),
        Field::ULong(v) => v.to_string(),
        Field::Float16(v) => float(f64::from(*v)),
        // f32's own shortest form: 53.9006, not 53.900600433349609.
        Field::Float(v) if v.is_finite() => v.to_string(),
        Field::Float(_) => String::new(),
        Field::Double(v) => float(*v),
        Field::Str(s) => s.clone(),
        Field::Bytes(b) => String::from_utf8_lossy(b.data()).into_owned(),
        Field::Date(days) => crate::model::format_day(*days),
        Field::TimestampMillis(ms) => day_of(ms.div_euclid(86_400_000)),
        Field::TimestampMicros(us) => day_of(us.div_euclid(86_400_000_000)),
        // Decimals, times of day and nested values: the crate's own rendering.
        other => other.to_string(),
    }
}

/// A day number from a count of days since 1970 that may not fit.
fn day_of(days: i64) -> String {
    i32::try_from(days)
        .map(crate::model::format_day)
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn damaged_bytes_are_a_message_not_a_panic() {
        for bytes in [
            b"PAR1".to_vec(),
            b"PAR1\x00\x01\x02\x03PAR1".to_vec(),
            b"PAR1 not parquet at all, just text PAR1".to_vec(),
            Vec::new(),
        ] {
            let err = ParquetCsv::open(bytes).err().expect("refused");
            assert!(err.contains("Parquet"), "{err}");
        }
    }

    #[test]
    fn names_and_magic() {
        assert!(looks_like_parquet(b"PAR1\x15\x04"));
        assert!(!looks_like_parquet(b"date,actor1\n"));
        assert!(has_parquet_name(std::path::Path::new("a/b.PARQUET")));
        assert!(has_parquet_name(std::path::Path::new("a.zip:x/b.parquet")));
        assert!(!has_parquet_name(std::path::Path::new("b.csv")));
    }

    #[test]
    fn values_become_the_text_readers_take() {
        assert_eq!(
            cell(&Field::Date(crate::model::day_number(2025, 3, 14))),
            "2025-03-14"
        );
        assert_eq!(cell(&Field::Double(53.9006)), "53.9006");
        assert_eq!(cell(&Field::Float(27.559)), "27.559");
        assert_eq!(cell(&Field::Double(f64::NAN)), "");
        assert_eq!(cell(&Field::Null), "");
        assert_eq!(cell(&Field::Long(20250314)), "20250314");
        assert_eq!(cell(&Field::Str("Минск".into())), "Минск");
        let ms = i64::from(crate::model::day_number(2024, 5, 13)) * 86_400_000 + 3_600_000;
        assert_eq!(cell(&Field::TimestampMillis(ms)), "2024-05-13");
    }
}
