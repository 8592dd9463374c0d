//! The native CSV format, as spreadsheets write it: a UTF-8 BOM, CRLF line ends, `,` `;` or
//! tab as the separator (sniffed from the header), quoted fields, non-UTF-8 bytes (decoded
//! lossily, with a warning naming the line).
//!
//! Header: `date,actor1,actor2,type,title,location,lat,lon,url,weight`; only `date` and one
//! actor column (`actor1`, `actor2` or `actors` with `;`-separated names) are required.
//! Optional `end_date`, `class`, `actor1_kind`, `actor1_country`, `actor2_kind`, `actor2_country`.

use std::borrow::Cow;
use std::io::Read;

use super::row::{Field, Pos, RowFields};
use super::{Diagnostics, Progress, ReadFailure, ReadResult};
use crate::model::DatasetBuilder;

/// Which column holds which field, for CSVs with other headers: `date=When,actor1=Who,…`
/// (`relmap --map`). A column is named by its header or by its 1-based number.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct ColumnMap {
    pub entries: Vec<(Field, String)>,
}

impl ColumnMap {
    /// Parses `field=COLUMN` pairs separated by commas.
    pub fn parse(text: &str) -> Result<Self, String> {
        let mut entries = Vec::new();
        for pair in text.split(',').filter(|p| !p.trim().is_empty()) {
            let (field, column) = pair
                .split_once('=')
                .ok_or_else(|| format!("'{pair}' should be FIELD=COLUMN"))?;
            let field = Field::from_column_name(field).ok_or_else(|| {
                format!(
                    "unknown field '{field}' (date, end_date, actor1, actor2, actors, type, class, title, location, lat, lon, url, weight, actor1_kind, actor1_country, actor2_kind, actor2_country)"
                )
            })?;
            entries.push((field, column.trim().to_string()));
        }
        if entries.is_empty() {
            return Err("the mapping is empty".into());
        }
        Ok(Self { entries })
    }

    /// The field of each header column under this mapping.
    fn columns(&self, header: &[String]) -> Result<Vec<Option<Field>>, String> {
        let mut columns = vec![None; header.len()];
        for (field, name) in &self.entries {
            let by_name = header
                .iter()
                .position(|h| h.trim().eq_ignore_ascii_case(name));
            let by_number = name
                .parse::<usize>()
                .ok()
                .filter(|&n| n >= 1 && n <= header.len())
                .map(|n| n - 1);
            match by_name.or(by_number) {
                Some(i) => columns[i] = Some(*field),
                None => {
                    return Err(format!(
                        "the mapping names column '{name}' for {}, but the header has: {}",
                        field.name(),
                        header.join(", ")
                    ));
                }
            }
        }
        Ok(columns)
    }
}

/// The separator that occurs most often outside quotes in the first line.
pub fn sniff_separator(text: &[u8]) -> u8 {
    let first_line = text.split(|&b| b == b'\n').next().unwrap_or(text);
    let mut counts = [0usize; 3];
    let mut quoted = false;
    for &b in first_line {
        match b {
            b'"' => quoted = !quoted,
            b',' if !quoted => counts[0] += 1,
            b';' if !quoted => counts[1] += 1,
            b'\t' if !quoted => counts[2] += 1,
            _ => {}
        }
    }
    let seps = [b',', b';', b'\t'];
    let best = (0..3)
        .max_by_key(|&i| (counts[i], usize::from(i == 0)))
        .unwrap_or(0);
    seps[best]
}

/// Reads the native CSV (or, with a `mapping`, any CSV) from `source`; `head` is the start
/// of the same bytes, used to sniff the separator.
pub fn read_native_csv(
    head: &[u8],
    mut source: impl Read,
    mapping: Option<&ColumnMap>,
    progress: &Progress,
) -> ReadResult {
    if head.starts_with(b"\xEF\xBB\xBF") {
        let mut bom = [0u8; 3];
        source
            .read_exact(&mut bom)
            .map_err(|e| ReadFailure::new(format!("cannot read the file: {e}")))?;
    }
    let separator = sniff_separator(head.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(head));
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(separator)
        .flexible(true)
        .has_headers(false)
        .from_reader(source);
    let mut diagnostics = Diagnostics::default();
    let mut record = csv::ByteRecord::new();

    let header = match reader.read_byte_record(&mut record) {
        Ok(true) => record
            .iter()
            .map(|f| String::from_utf8_lossy(f).into_owned())
            .collect::<Vec<_>>(),
        Ok(false) => return Err(ReadFailure::new("the file is empty")),
        Err(e) => return Err(ReadFailure::new(format!("cannot read the header: {e}"))),
    };
    let columns: Vec<Option<Field>> = match mapping {
        Some(map) => map.columns(&header).map_err(ReadFailure::new)?,
        None => header.iter().map(|h| Field::from_column_name(h)).collect(),
    };
    let has = |f: Field| columns.contains(&Some(f));
    if !has(Field::Date) {
        return Err(ReadFailure::needing_mapping(format!(
            "line 1: no date column in the header (found: {}); the native CSV needs `date` and `actor1`, `actor2` or `actors`",
            header.join(", ")
        )));
    }
    if !has(Field::Actor1) && !has(Field::Actor2) && !has(Field::Actors) {
        return Err(ReadFailure::needing_mapping(format!(
            "line 1: no actor column in the header (found: {}); expected `actor1`, `actor2` or `actors`",
            header.join(", ")
        )));
    }

    let mut builder = DatasetBuilder::new();
    let mut rows = 0usize;
    loop {
        if rows.is_multiple_of(4096) && progress.is_cancelled() {
            return Err(ReadFailure::new("loading was cancelled"));
        }
        let line_hint = reader.position().line() as u32;
        match reader.read_byte_record(&mut record) {
            Ok(false) => break,
            Ok(true) => {}
            Err(e) => {
                if e.is_io_error() {
                    return Err(ReadFailure {
                        message: format!("cannot read the file: {e}"),
                        diagnostics,
                        needs_mapping: false,
                    });
                }
                diagnostics.skip(line_hint, 1, format!("unreadable row: {e}"));
                continue;
            }
        }
        let line = record
            .position()
            .map(|p| p.line() as u32)
            .unwrap_or(line_hint);
        if record.iter().all(|f| f.iter().all(u8::is_ascii_whitespace)) {
            continue; // blank line
        }
        rows += 1;
        if record.len() > columns.len() {
            diagnostics.warn(
                line,
                columns.len() as u32 + 1,
                format!(
                    "{} fields where the header has {}; the extra ones are ignored",
                    record.len(),
                    columns.len()
                ),
            );
        }
        let decoded: Vec<Cow<str>> = record.iter().map(String::from_utf8_lossy).collect();
        if let Some(col) = decoded.iter().position(|f| matches!(f, Cow::Owned(_))) {
            diagnostics.warn(
                line,
                col as u32 + 1,
                "not valid UTF-8; decoded with replacement characters (�)",
            );
        }
        let mut fields = RowFields::new(line);
        for (i, value) in decoded.iter().enumerate() {
            if let Some(Some(field)) = columns.get(i) {
                fields.set(
                    *field,
                    value,
                    Pos {
                        line,
                        column: i as u32 + 1,
                    },
                );
            }
        }
        if let Some(event) = fields.into_event(&mut builder, &mut diagnostics) {
            builder.push(event);
        }
    }
    super::finish_read(
        builder,
        diagnostics,
        rows,
        "the file has a header but no rows",
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(text: &[u8]) -> (crate::model::Dataset, Diagnostics) {
        read_csv(text).unwrap_or_else(|f| panic!("{}", f.message))
    }

    fn read_csv(text: &[u8]) -> ReadResult {
        read_native_csv(text, text, None, &Progress::new())
    }

    #[test]
    fn a_mapping_reads_other_headers() {
        let text = b"When,Who,Whom,What\n2024-05-01,Belarus,Iran,talks\n";
        let map = ColumnMap::parse("date=When,actor1=Who,actor2=3,type=what").unwrap();
        let (ds, diag) = read_native_csv(text, &text[..], Some(&map), &Progress::new()).unwrap();
        assert!(diag.errors.is_empty());
        assert_eq!(ds.type_name(0), "talks");
        assert_eq!(ds.actors_of(0).len(), 2);
        assert!(ColumnMap::parse("when=date").is_err());
        let bad = ColumnMap::parse("date=Nope").unwrap();
        let err = read_native_csv(text, &text[..], Some(&bad), &Progress::new()).unwrap_err();
        assert!(err.message.contains("Nope"), "{}", err.message);
    }

    #[test]
    fn reads_what_spreadsheets_write() {
        let text = "\u{FEFF}date;actor1;actor2;type;title\r\n\
                    14 March 2025;Belarus;Iran;meeting;\"Protocol; signed\"\r\n\
                    2024-05;Беларусь;Iran;exercise;Учения\r\n";
        let (ds, diag) = read(text.as_bytes());
        assert_eq!(ds.len(), 2);
        assert!(diag.errors.is_empty(), "{:?}", diag.errors);
        // Sorted by date: May 2024 first.
        assert_eq!(ds.date_of(0).to_string(), "2024-05");
        assert_eq!(ds.title(1), "Protocol; signed");
        assert!(ds.actors.find("Беларусь").is_some());
        assert_eq!(ds.title(0), "Учения");
    }

    #[test]
    fn sniffs_tabs_and_commas() {
        assert_eq!(sniff_separator(b"date\tactor1\tactor2\n"), b'\t');
        assert_eq!(sniff_separator(b"date,actor1,\"a;b\"\n"), b',');
        assert_eq!(sniff_separator(b"date;actor1\n"), b';');
    }

    #[test]
    fn skips_bad_rows_with_line_and_column_and_keeps_the_rest() {
        let text = "date,actor1,actor2,title\n\
                    2024-13-45,Belarus,Iran,bad month\n\
                    2024-05-01,,,no actors\n\
                    2024-05-02,Belarus,Iran,good\n\
                    ,Belarus,Iran,no date\n\
                    2023-03,Iran,Belarus,good too\n";
        let (ds, diag) = read(text.as_bytes());
        assert_eq!(ds.len(), 2);
        assert_eq!(diag.skipped, 3);
        let lines: Vec<_> = diag.errors.iter().map(|d| (d.line, d.column)).collect();
        assert_eq!(lines, vec![(2, 1), (3, 2), (5, 1)]);
        assert!(diag.errors[0].message.contains("month 13"));
        assert!(diag.errors[1].message.contains("no actor"));
    }

    #[test]
    fn quoted_newlines_keep_line_numbers_right() {
        let text = "date,actor1,title\n2024-01-01,A,\"two\nlines\"\nnot a date,B,x\n";
        let (_, diag) = read(text.as_bytes());
        assert_eq!(diag.errors[0].line, 4);
    }

    #[test]
    fn invalid_utf8_is_decoded_lossily_and_said() {
        let mut text = b"date,actor1,title\n2024-01-01,Iran,caf".to_vec();
        text.extend_from_slice(&[0xE9, b'\n']);
        let (ds, diag) = read(&text);
        assert_eq!(ds.title(0), "caf\u{FFFD}");
        assert_eq!(diag.warnings[0].line, 2);
        assert_eq!(diag.warnings[0].column, 3);
    }

    #[test]
    fn actor_kind_and_country_columns_set_affiliation() {
        let text = "date,actor1,actor1_kind,actor1_country,actor2\n\
                    2025-03-14,Viktar Khrenin,person,Belarus,Iran\n";
        let (ds, _) = read(text.as_bytes());
        let k = ds.actors.find("Viktar Khrenin").unwrap();
        let by = ds.actors.find("Belarus").unwrap();
        assert_eq!(ds.actors.get(k).kind, crate::model::ActorKind::Person);
        assert_eq!(ds.actors.get(k).affiliation, Some(by));
    }

    #[test]
    fn header_only_and_missing_columns_fail_clearly() {
        let err = read_csv(b"date,actor1\n").unwrap_err();
        assert!(err.message.contains("header but no rows"));
        let err = read_csv(b"when,who\n2024,x\n").unwrap_err();
        assert!(err.message.contains("no date column"), "{}", err.message);
        let err = read_csv(b"date,actor1\nnope,x\n").unwrap_err();
        assert_eq!(err.diagnostics.errors.len(), 1);
    }
}
