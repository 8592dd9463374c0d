//! Parquet files, as DuckDB, BigQuery and Spark export query results: told by their `PAR1`
//! magic (or a `.parquet` name), read with the `parquet` crate's column API (no arrow), a
//! batch of rows at a time, and handed to the text readers as the CSV they would be, header
//! of column names first. (The crate's row API was 4× slower than reading the same rows as
//! CSV: it allocates every column name and value per row.)
//!
//! Why through CSV: a Parquet file's columns carry the names of the format it came from —
//! GDELT's (`SQLDATE`, `Actor1Name`, …, a `count` for aggregates) or relmap's native ones —
//! so detection, the GDELT field mapping and actor resolution, the native row rules, column
//! mapping, diagnostics, progress and cancelling are exactly those of the CSV readers, with
//! no second copy of any of them. Rows are converted a batch at a time as the reader asks,
//! so memory holds the Parquet file and one batch of text, not the whole table as CSV.
//!
//! Values by type: strings (UTF8 or plain BYTE_ARRAY) as they are; integers and floats as
//! numbers (a NaN as empty), decimals with their point; DATE, timestamps (milli-, micro-,
//! nanoseconds, Spark's INT96) as `YYYY-MM-DD` (the GDELT reader takes that for SQLDATE as
//! well as `20250314`); nulls as empty cells. Only flat columns: lists and structs are left
//! out. Diagnostics say "line N"
//! for the N−1th row (the header is line 1), as long as no text holds a line break.
//!
//! Compression: uncompressed, Snappy (the default of all three engines) and gzip. Other
//! codecs are refused up front with a line that says how to export instead. A damaged file
//! gives the rows before the damage and an error, never a panic.

use std::io::{Read, Write as _};
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::{Arc, OnceLock};

use parquet::basic::{Compression, ConvertedType, LogicalType, TimeUnit, Type as PhysicalType};
use parquet::column::reader::ColumnReader;
use parquet::data_type::{ByteArray, FixedLenByteArray, Int96};
use parquet::file::reader::{FileReader, SerializedFileReader};
use parquet::schema::types::ColumnDescPtr;

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

/// How a column's values become text (see the module docs).
#[derive(Clone, Copy, Debug, PartialEq)]
enum Render {
    Plain,
    Unsigned,
    /// Days since 1970.
    Date,
    /// Time since 1970 in units per day.
    Timestamp(i64),
    /// A decimal of this scale.
    Decimal(i32),
}

/// A batch of one column's values (only those not null, in order).
enum Values {
    Bool(Vec<bool>),
    I32(Vec<i32>),
    I64(Vec<i64>),
    I96(Vec<Int96>),
    F32(Vec<f32>),
    F64(Vec<f64>),
    Bytes(Vec<ByteArray>),
    Fixed(Vec<FixedLenByteArray>),
}

/// One flat column of the file: its reader in the row group being read, and a batch.
struct Column {
    descr: ColumnDescPtr,
    render: Render,
    reader: Option<ColumnReader>,
    levels: Vec<i16>,
    values: Values,
    /// The next value of `values` to write.
    next: usize,
}

/// A Parquet file as a stream of CSV text: its column names, then its rows. What went wrong
/// while reading rows (a damaged page) ends the stream and is kept in [`Self::damage`].
pub struct ParquetCsv {
    reader: SerializedFileReader<bytes::Bytes>,
    /// The file's flat columns, by leaf index.
    columns: Vec<(usize, Column)>,
    group: usize,
    /// Rows of the current row group not read yet.
    left_in_group: usize,
    buffer: Vec<u8>,
    at: usize,
    done: bool,
    damage: Arc<OnceLock<String>>,
}

/// Rows converted per refill: enough to keep the per-call overhead small, few enough that
/// the text of one batch stays small.
const BATCH_ROWS: usize = 4096;

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
        // Flat columns only: a list or a struct is no field of an event row.
        let schema = metadata.file_metadata().schema_descr();
        let columns: Vec<(usize, Column)> = (0..schema.num_columns())
            .map(|i| (i, schema.column(i)))
            .filter(|(_, d)| d.max_rep_level() == 0 && d.path().parts().len() == 1)
            .map(|(i, descr)| {
                let render = render_of(&descr);
                let values = match descr.physical_type() {
                    PhysicalType::BOOLEAN => Values::Bool(Vec::new()),
                    PhysicalType::INT32 => Values::I32(Vec::new()),
                    PhysicalType::INT64 => Values::I64(Vec::new()),
                    PhysicalType::INT96 => Values::I96(Vec::new()),
                    PhysicalType::FLOAT => Values::F32(Vec::new()),
                    PhysicalType::DOUBLE => Values::F64(Vec::new()),
                    PhysicalType::BYTE_ARRAY => Values::Bytes(Vec::new()),
                    PhysicalType::FIXED_LEN_BYTE_ARRAY => Values::Fixed(Vec::new()),
                };
                let column = Column {
                    descr,
                    render,
                    reader: None,
                    levels: Vec::new(),
                    values,
                    next: 0,
                };
                (i, column)
            })
            .collect();
        if columns.is_empty() {
            return Err(
                "the Parquet file has no flat columns (lists and structs are not read)".into(),
            );
        }
        let mut buffer = Vec::new();
        let names: Vec<&str> = columns.iter().map(|(_, c)| c.descr.name()).collect();
        for (k, name) in names.iter().enumerate() {
            if k > 0 {
                buffer.push(b',');
            }
            write_text(&mut buffer, name.as_bytes());
        }
        buffer.push(b'\n');
        Ok(Self {
            reader,
            columns,
            group: 0,
            left_in_group: 0,
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

    /// Converts the next batch of rows. An error of the crate, or a panic inside it, ends
    /// the stream with the damage noted.
    fn refill(&mut self) {
        self.buffer.clear();
        self.at = 0;
        match catch_unwind(AssertUnwindSafe(|| self.next_batch())) {
            Ok(Ok(())) => {}
            Ok(Err(message)) => {
                let _ = self.damage.set(unsupported_or(&message));
                self.done = true;
            }
            Err(_) => {
                let _ = self
                    .damage
                    .set("the Parquet data could not be decoded".into());
                self.done = true;
            }
        }
    }

    /// Reads up to [`BATCH_ROWS`] rows of the current row group (moving to the next when it
    /// is used up) and writes them as CSV.
    fn next_batch(&mut self) -> Result<(), String> {
        while self.left_in_group == 0 {
            if self.group >= self.reader.num_row_groups() {
                self.done = true;
                return Ok(());
            }
            let group = self
                .reader
                .get_row_group(self.group)
                .map_err(|e| e.to_string())?;
            self.left_in_group = usize::try_from(group.metadata().num_rows()).unwrap_or(0);
            for (leaf, column) in &mut self.columns {
                column.reader = Some(group.get_column_reader(*leaf).map_err(|e| e.to_string())?);
            }
            self.group += 1;
        }
        let rows = self.left_in_group.min(BATCH_ROWS);
        for (_, column) in &mut self.columns {
            column.read(rows)?;
        }
        self.left_in_group -= rows;
        for row in 0..rows {
            for (k, (_, column)) in self.columns.iter_mut().enumerate() {
                if k > 0 {
                    self.buffer.push(b',');
                }
                column.write_cell(row, &mut self.buffer);
            }
            self.buffer.push(b'\n');
        }
        Ok(())
    }
}

impl Column {
    /// Reads the next `rows` rows' levels and values.
    fn read(&mut self, rows: usize) -> Result<(), String> {
        self.levels.clear();
        self.next = 0;
        let levels = (self.descr.max_def_level() > 0).then_some(&mut self.levels);
        macro_rules! read_into {
            ($reader:expr, $values:expr) => {{
                $values.clear();
                $reader
                    .read_records(rows, levels, None, $values)
                    .map_err(|e| e.to_string())?
                    .0
            }};
        }
        let read = match (self.reader.as_mut(), &mut self.values) {
            (Some(ColumnReader::BoolColumnReader(r)), Values::Bool(v)) => read_into!(r, v),
            (Some(ColumnReader::Int32ColumnReader(r)), Values::I32(v)) => read_into!(r, v),
            (Some(ColumnReader::Int64ColumnReader(r)), Values::I64(v)) => read_into!(r, v),
            (Some(ColumnReader::Int96ColumnReader(r)), Values::I96(v)) => read_into!(r, v),
            (Some(ColumnReader::FloatColumnReader(r)), Values::F32(v)) => read_into!(r, v),
            (Some(ColumnReader::DoubleColumnReader(r)), Values::F64(v)) => read_into!(r, v),
            (Some(ColumnReader::ByteArrayColumnReader(r)), Values::Bytes(v)) => read_into!(r, v),
            (Some(ColumnReader::FixedLenByteArrayColumnReader(r)), Values::Fixed(v)) => {
                read_into!(r, v)
            }
            _ => return Err(format!("column {} changes its type", self.descr.name())),
        };
        if read != rows {
            return Err(format!(
                "column {} has {read} of the row group's rows left where {rows} were expected",
                super::cap(self.descr.name(), 80)
            ));
        }
        Ok(())
    }

    /// Writes the cell of row `row` of the batch.
    fn write_cell(&mut self, row: usize, out: &mut Vec<u8>) {
        let max = self.descr.max_def_level();
        if max > 0 && self.levels.get(row).is_none_or(|&l| l < max) {
            return; // null
        }
        let i = self.next;
        self.next += 1;
        let render = self.render;
        match &self.values {
            Values::Bool(v) => write_display(out, v.get(i)),
            Values::I32(v) => {
                if let Some(&x) = v.get(i) {
                    match render {
                        Render::Unsigned => write_display(out, Some(&(x as u32))),
                        _ => write_integer(out, i64::from(x), render),
                    }
                }
            }
            Values::I64(v) => {
                if let Some(&x) = v.get(i) {
                    match render {
                        Render::Unsigned => write_display(out, Some(&(x as u64))),
                        _ => write_integer(out, x, render),
                    }
                }
            }
            Values::I96(v) => {
                // Spark's old timestamps: nanoseconds of the day and a Julian day number.
                if let Some(x) = v.get(i) {
                    write_day(out, i64::from(x.data()[2]) - 2_440_588);
                }
            }
            Values::F32(v) => {
                if let Some(x) = v.get(i).filter(|x| x.is_finite()) {
                    // f32's own shortest form: 53.9006, not 53.900600433349609.
                    write_display(out, Some(x));
                }
            }
            Values::F64(v) => write_display(out, v.get(i).filter(|x| x.is_finite())),
            Values::Bytes(v) => {
                if let Some(x) = v.get(i) {
                    write_bytes(out, x.data(), render);
                }
            }
            Values::Fixed(v) => {
                if let Some(x) = v.get(i) {
                    write_bytes(out, x.data(), render);
                }
            }
        }
    }
}

/// How a column's logical (or older converted) type says to write its values.
fn render_of(descr: &ColumnDescPtr) -> Render {
    match descr.logical_type_ref() {
        Some(LogicalType::Date) => return Render::Date,
        Some(LogicalType::Timestamp(t)) => {
            return Render::Timestamp(match t.unit {
                TimeUnit::MILLIS => 86_400_000,
                TimeUnit::MICROS => 86_400_000_000,
                TimeUnit::NANOS => 86_400_000_000_000,
            });
        }
        Some(LogicalType::Decimal(d)) => return Render::Decimal(d.scale),
        Some(LogicalType::Integer(t)) if !t.is_signed => return Render::Unsigned,
        _ => {}
    }
    match descr.converted_type() {
        ConvertedType::DATE => Render::Date,
        ConvertedType::TIMESTAMP_MILLIS => Render::Timestamp(86_400_000),
        ConvertedType::TIMESTAMP_MICROS => Render::Timestamp(86_400_000_000),
        ConvertedType::DECIMAL => Render::Decimal(descr.type_scale()),
        ConvertedType::UINT_32 | ConvertedType::UINT_64 => Render::Unsigned,
        _ => Render::Plain,
    }
}

fn write_display(out: &mut Vec<u8>, value: Option<&impl std::fmt::Display>) {
    if let Some(v) = value {
        let _ = write!(out, "{v}");
    }
}

/// An integer as a number, a date, the day of a timestamp or a decimal.
fn write_integer(out: &mut Vec<u8>, x: i64, render: Render) {
    match render {
        Render::Date => write_day(out, x),
        Render::Timestamp(per_day) => write_day(out, x.div_euclid(per_day)),
        Render::Decimal(scale) => write_decimal(out, i128::from(x), scale),
        Render::Plain | Render::Unsigned => write_display(out, Some(&x)),
    }
}

/// A day number as `YYYY-MM-DD`; nothing when it is out of range.
fn write_day(out: &mut Vec<u8>, days: i64) {
    if let Ok(day) = i32::try_from(days)
        && (-1_000_000..=1_000_000).contains(&day)
    {
        out.extend_from_slice(crate::model::format_day(day).as_bytes());
    }
}

/// An unscaled decimal: `12345` at scale 2 is `123.45`.
fn write_decimal(out: &mut Vec<u8>, unscaled: i128, scale: i32) {
    if scale <= 0 || scale > 38 {
        write_display(out, Some(&unscaled));
        return;
    }
    let p = 10i128.pow(scale as u32);
    let sign = if unscaled < 0 { "-" } else { "" };
    let (whole, fraction) = (
        unscaled.unsigned_abs() / p as u128,
        unscaled.unsigned_abs() % p as u128,
    );
    let _ = write!(
        out,
        "{sign}{whole}.{fraction:0width$}",
        width = scale as usize
    );
}

/// A byte array: text (lossy where it is not UTF-8), or a decimal's big-endian bytes.
fn write_bytes(out: &mut Vec<u8>, bytes: &[u8], render: Render) {
    if let Render::Decimal(scale) = render
        && !bytes.is_empty()
        && bytes.len() <= 16
    {
        let fill = if bytes[0] & 0x80 != 0 { 0xFF } else { 0 };
        let mut wide = [fill; 16];
        wide[16 - bytes.len()..].copy_from_slice(bytes);
        write_decimal(out, i128::from_be_bytes(wide), scale);
        return;
    }
    match std::str::from_utf8(bytes) {
        Ok(text) => write_text(out, text.as_bytes()),
        Err(_) => write_text(out, String::from_utf8_lossy(bytes).as_bytes()),
    }
}

/// A text cell, quoted where it holds a comma, a quote or a line break, as the `csv` crate
/// reads it back.
fn write_text(out: &mut Vec<u8>, text: &[u8]) {
    if !text
        .iter()
        .any(|&b| matches!(b, b',' | b'"' | b'\n' | b'\r'))
    {
        out.extend_from_slice(text);
        return;
    }
    out.push(b'"');
    for &b in text {
        if b == b'"' {
            out.push(b'"');
        }
        out.push(b);
    }
    out.push(b'"');
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
        let text = |f: &dyn Fn(&mut Vec<u8>)| {
            let mut out = Vec::new();
            f(&mut out);
            String::from_utf8(out).unwrap()
        };
        let day = i64::from(crate::model::day_number(2025, 3, 14));
        assert_eq!(text(&|o| write_integer(o, day, Render::Date)), "2025-03-14");
        let ms = day * 86_400_000 + 3_600_000;
        assert_eq!(
            text(&|o| write_integer(o, ms, Render::Timestamp(86_400_000))),
            "2025-03-14"
        );
        assert_eq!(
            text(&|o| write_integer(o, 20250314, Render::Plain)),
            "20250314"
        );
        assert_eq!(
            text(&|o| write_integer(o, -12345, Render::Decimal(2))),
            "-123.45"
        );
        assert_eq!(
            text(&|o| write_bytes(o, &[0x30, 0x39], Render::Decimal(1))),
            "1234.5"
        );
        assert_eq!(text(&|o| write_display(o, Some(&53.9006f64))), "53.9006");
        assert_eq!(text(&|o| write_display(o, Some(&27.559f32))), "27.559");
        assert_eq!(
            text(&|o| write_bytes(o, "Минск".as_bytes(), Render::Plain)),
            "Минск"
        );
        assert_eq!(
            text(&|o| write_bytes(o, b"Vancouver, \"BC\"", Render::Plain)),
            "\"Vancouver, \"\"BC\"\"\""
        );
    }
}
