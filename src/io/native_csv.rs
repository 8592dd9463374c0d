//! The native CSV format, as spreadsheets write it: a UTF-8 BOM, CRLF line ends, `,` `;` or
//! tab as the separator (sniffed from the header), quoted fields, non-UTF-8 bytes (decoded
//! lossily, with a warning naming the line).
//!
//! Header: `date,actor1,actor2,type,title,location,lat,lon,url,weight`; only `date` and one
//! actor column (`actor1`, `actor2` or `actors` with `;`-separated names) are required.
//! Optional `end_date`, `class`, `actor1_kind`, `actor1_country`, `actor2_kind`, `actor2_country`,
//! and `count`: the row is an aggregate standing for that many events (see
//! `Dataset::multiplicity`).

use std::borrow::Cow;
use std::io::Read;

use super::row::{Field, Pos, RowFields};
use super::{Diagnostics, Progress, ReadFailure, ReadResult};
use crate::model::{DatasetBuilder, PartialDate};

/// Which column holds which field, for CSVs with other headers: `date=When,actor1=Who,…`
/// (`relmap --map`). A column is named by its header or by its 1-based number. One column may
/// feed several fields (`actor1_country=country,actor2_country=country`), and a date may be
/// built from a year, a month and a day column (`date=iyear+imonth+iday`, see
/// [`ColumnMap::parse`]).
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct ColumnMap {
    /// Each field with its column: a header name, a 1-based number or, for `date` and
    /// `end_date`, `YEAR+MONTH[+DAY]` column names joined by `+`.
    pub entries: Vec<(Field, String)>,
}

impl ColumnMap {
    /// Parses `field=COLUMN` pairs separated by commas. For `date` and `end_date` the column
    /// may be `YEAR+MONTH+DAY` (or `YEAR+MONTH`): the date is built from those columns, a
    /// month or day of 0 or empty meaning unknown. A field given twice is refused (the second
    /// would silently win); a column may be named for as many fields as wanted.
    pub fn parse(text: &str) -> Result<Self, String> {
        let mut entries: Vec<(Field, String)> = Vec::new();
        for pair in text.split(',').filter(|p| !p.trim().is_empty()) {
            let (field, column) = pair
                .split_once('=')
                .ok_or_else(|| format!("'{pair}' should be FIELD=COLUMN"))?;
            let field = Field::from_column_name(field).ok_or_else(|| {
                format!(
                    "unknown field '{field}' (date, end_date, actor1, actor2, actors, type, class, title, location, lat, lon, url, weight, count, actor1_kind, actor1_country, actor2_kind, actor2_country)"
                )
            })?;
            let column = column.trim();
            if column.is_empty() {
                return Err(format!("no column given for {}", field.name()));
            }
            if entries.iter().any(|(f, _)| *f == field) {
                return Err(format!(
                    "{} is mapped twice; give each field one column (a column may feed several fields)",
                    field.name()
                ));
            }
            entries.push((field, column.to_string()));
        }
        if entries.is_empty() {
            return Err("the mapping is empty".into());
        }
        Ok(Self { entries })
    }

    /// The mapping in `--map` syntax: `date=iyear+imonth+iday,actor1=gname,…`.
    pub fn to_spec(&self) -> String {
        self.entries
            .iter()
            .map(|(f, c)| format!("{}={c}", f.name()))
            .collect::<Vec<_>>()
            .join(",")
    }

    /// The mapping as `(field, column)` names, as a dataset keeps it (`Dataset::source_mapping`).
    pub fn to_names(&self) -> Vec<(String, String)> {
        self.entries
            .iter()
            .map(|(f, c)| (f.name().to_string(), c.clone()))
            .collect()
    }

    /// The mapping of `(field, column)` names; `None` when a field name is unknown.
    pub fn from_names(names: &[(String, String)]) -> Option<Self> {
        let entries = names
            .iter()
            .map(|(f, c)| Field::from_column_name(f).map(|f| (f, c.clone())))
            .collect::<Option<Vec<_>>>()?;
        Some(Self { entries })
    }

    /// The column a field is mapped to, as written in the mapping.
    pub fn column_of(&self, field: Field) -> Option<&str> {
        self.entries
            .iter()
            .find(|(f, _)| *f == field)
            .map(|(_, c)| c.as_str())
    }

    /// Every header column the mapping names (the parts of a built date one by one).
    pub fn named_columns(&self) -> impl Iterator<Item = &str> {
        self.entries.iter().flat_map(|(field, spec)| match field {
            Field::Date | Field::EndDate => date_parts(spec),
            _ => vec![spec.as_str()],
        })
    }

    /// Whether every column the mapping names is in `header` (case ignored).
    pub fn fits(&self, header: &[String]) -> bool {
        self.plan(header).is_ok()
    }

    /// Resolves the mapping against a header: which column feeds which field.
    fn plan(&self, header: &[String]) -> Result<Plan, String> {
        let find = |name: &str| {
            let by_name = header
                .iter()
                .position(|h| h.trim().eq_ignore_ascii_case(name.trim()));
            let by_number = || {
                name.trim()
                    .parse::<usize>()
                    .ok()
                    .filter(|&n| n >= 1 && n <= header.len())
                    .map(|n| n - 1)
            };
            by_name.or_else(by_number)
        };
        let missing = |name: &str, field: Field| {
            format!(
                "the mapping names column '{name}' for {}, but the header has: {}",
                field.name(),
                header.join(", ")
            )
        };
        let mut plan = Plan::default();
        for (field, spec) in &self.entries {
            if let Some(i) = find(spec) {
                plan.simple.push((i, *field));
                continue;
            }
            let parts = match field {
                Field::Date | Field::EndDate => date_parts(spec),
                _ => vec![spec.as_str()],
            };
            if parts.len() < 2 {
                return Err(missing(spec, *field));
            }
            if parts.len() > 3 {
                return Err(format!(
                    "{} from '{spec}': a date is built from YEAR+MONTH or YEAR+MONTH+DAY, not {} columns",
                    field.name(),
                    parts.len()
                ));
            }
            let columns = parts
                .iter()
                .map(|p| find(p).ok_or_else(|| missing(p, *field)))
                .collect::<Result<Vec<_>, _>>()?;
            plan.built.push((*field, columns));
        }
        Ok(plan)
    }
}

/// An empty or zero month or day: unknown, as GTD writes it.
fn is_unknown_part(text: &str) -> bool {
    matches!(text.trim(), "" | "0" | "0.0" | "00")
}

/// The column names of a built date spec (`iyear+imonth+iday`).
fn date_parts(spec: &str) -> Vec<&str> {
    spec.split('+').map(str::trim).collect()
}

/// A mapping resolved against one header.
#[derive(Debug, Default)]
struct Plan {
    /// `(column index, field)`; a column may appear under several fields.
    simple: Vec<(usize, Field)>,
    /// Dates built from year, month (and day) columns, by index.
    built: Vec<(Field, Vec<usize>)>,
}

impl Plan {
    /// The native header: each column its own field, if its name is one.
    fn native(header: &[String]) -> Self {
        Self {
            simple: header
                .iter()
                .enumerate()
                .filter_map(|(i, h)| Field::from_column_name(h).map(|f| (i, f)))
                .collect(),
            built: Vec::new(),
        }
    }

    fn has(&self, field: Field) -> bool {
        self.simple.iter().any(|&(_, f)| f == field) || self.built.iter().any(|(f, _)| *f == field)
    }
}

/// A date built from the values of its year, month and (optional) day columns. A month or
/// day that is empty or 0 is unknown (GTD's convention): the date keeps the precision it has.
/// `Ok(None)` for an empty year; `Err((index into parts, reason))` for a bad part.
fn build_date(values: &[&str]) -> Result<Option<PartialDate>, (usize, String)> {
    let number = |i: usize, what: &str| -> Result<Option<u32>, (usize, String)> {
        let Some(text) = values.get(i).map(|v| v.trim()) else {
            return Ok(None);
        };
        if text.is_empty() {
            return Ok(None);
        }
        // Spreadsheets and data frames write whole numbers as `5.0`.
        let whole = text.strip_suffix(".0").unwrap_or(text);
        whole.parse::<u32>().map(Some).map_err(|_| {
            (
                i,
                format!(
                    "bad date: {what} '{}' is not a whole number",
                    crate::model::excerpt(text)
                ),
            )
        })
    };
    let Some(year) = number(0, "year")? else {
        return Ok(None);
    };
    let month = number(1, "month")?.filter(|&m| m != 0);
    let day = number(2, "day")?.filter(|&d| d != 0);
    if let Some(m) = month
        && m > 12
    {
        return Err((1, format!("bad date: month {m} does not exist")));
    }
    if let Some(d) = day
        && d > 31
    {
        return Err((2, format!("bad date: day {d} does not exist")));
    }
    let year = i32::try_from(year).unwrap_or(i32::MAX);
    // A day without its month says nothing more than the year.
    let day = day.filter(|_| month.is_some());
    PartialDate::new(year, month.map(|m| m as u8), day.map(|d| d as u8))
        .map(Some)
        .map_err(|e| {
            let part = if e.0.starts_with("year") { 0 } else { 2 };
            (part, format!("bad date: {e}"))
        })
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
    let plan = match mapping {
        Some(map) => map.plan(&header).map_err(ReadFailure::new)?,
        None => Plan::native(&header),
    };
    let has = |f: Field| plan.has(f);
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
        if record.len() > header.len() {
            diagnostics.warn(
                line,
                header.len() as u32 + 1,
                format!(
                    "{} fields where the header has {}; the extra ones are ignored",
                    record.len(),
                    header.len()
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
        // Built dates first: they live as text beside the row's fields, which borrow them.
        let mut built: Vec<(Field, String, Pos)> = Vec::new();
        let mut bad_date = false;
        for (field, parts) in &plan.built {
            let values: Vec<&str> = parts
                .iter()
                .map(|&i| decoded.get(i).map_or("", |v| v.as_ref()))
                .collect();
            let pos = |part: usize| Pos {
                line,
                column: parts[part] as u32 + 1,
            };
            match build_date(&values) {
                Ok(Some(date)) => {
                    if values.len() == 3 && date.month.is_none() && !is_unknown_part(values[2]) {
                        diagnostics.warn(
                            line,
                            pos(2).column,
                            format!(
                                "{}: a day without its month; kept as the year {}",
                                field.name(),
                                date
                            ),
                        );
                    }
                    built.push((*field, date.to_string(), pos(0)));
                }
                Ok(None) if *field == Field::Date => {
                    diagnostics.skip(line, pos(0).column, "no date (the year is empty)");
                    bad_date = true;
                }
                Ok(None) => {}
                Err((part, message)) if *field == Field::Date => {
                    diagnostics.skip(line, pos(part).column, message);
                    bad_date = true;
                }
                Err((part, message)) => {
                    diagnostics.warn(
                        line,
                        pos(part).column,
                        format!("end date ignored: {message}"),
                    );
                }
            }
        }
        if bad_date {
            continue;
        }
        let mut fields = RowFields::new(line);
        for &(i, field) in &plan.simple {
            if let Some(value) = decoded.get(i) {
                fields.set(
                    field,
                    value,
                    Pos {
                        line,
                        column: i as u32 + 1,
                    },
                );
            }
        }
        for (field, text, pos) in &built {
            fields.set(*field, text, *pos);
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
    fn a_count_column_makes_aggregates() {
        let text = b"date,actor1,actor2,count\n\
                     2025-03-14,Belarus,Iran,57\n\
                     2025-03-15,Belarus,Iran,\n\
                     2025-03-16,Belarus,Iran,4.0\n\
                     2025-03-17,Belarus,Iran,0\n\
                     2025-03-18,Belarus,Iran,-2\n\
                     2025-03-19,Belarus,Iran,2.5\n\
                     2025-03-20,Belarus,Iran,lots\n";
        let (ds, diag) = read(text);
        assert_eq!(ds.len(), 3);
        assert_eq!(ds.event_total(), 62);
        assert_eq!(
            (0..3).map(|e| ds.multiplicity(e)).collect::<Vec<_>>(),
            vec![57, 1, 4]
        );
        assert_eq!(diag.skipped, 4);
        for (error, line) in diag.errors.iter().zip(5..) {
            assert_eq!((error.line, error.column), (line, 4), "{error:?}");
            assert!(error.message.contains("row skipped"), "{error:?}");
        }
        // Plain files pay nothing.
        let (plain, _) = read(b"date,actor1,actor2\n2025-03-14,Belarus,Iran\n");
        assert!(plain.multiplicity.is_empty());
        assert_eq!(plain.event_total(), 1);
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

    #[test]
    fn one_column_feeds_several_fields() {
        let text = b"side_a,side_b,country,when\nGovernment of Syria,IS,Syria,2016-01-03\n";
        let map = ColumnMap::parse(
            "date=when,actor1=side_a,actor2=side_b,actor1_country=country,actor2_country=country",
        )
        .unwrap();
        let (ds, diag) = read_native_csv(text, &text[..], Some(&map), &Progress::new()).unwrap();
        assert!(diag.errors.is_empty(), "{:?}", diag.errors);
        let syria = ds.actors.find("Syria").unwrap();
        for name in ["Government of Syria", "IS"] {
            let id = ds.actors.find(name).unwrap();
            assert_eq!(ds.actors.get(id).affiliation, Some(syria), "{name}");
        }
        // A field given twice is refused rather than the last one silently winning.
        let err = ColumnMap::parse("date=a,actor1=b,actor1=c").unwrap_err();
        assert!(err.contains("actor1 is mapped twice"), "{err}");
    }

    #[test]
    fn a_date_built_from_year_month_and_day_keeps_its_precision() {
        let text = "iyear,imonth,iday,gname,country_txt\n\
                    2015,3,14,Group A,Iraq\n\
                    2015,3,0,Group B,Iraq\n\
                    2015,0,0,Group C,Iraq\n\
                    2015,,,Group D,Iraq\n\
                    2015,13,2,Bad month,Iraq\n\
                    2015,2,30,Bad day,Iraq\n\
                    2015,x,2,Not a number,Iraq\n\
                    ,4,2,No year,Iraq\n\
                    2016.0,1.0,5.0,Group E,Iraq\n";
        let map =
            ColumnMap::parse("date=iyear+imonth+iday,actor1=gname,actor2=country_txt").unwrap();
        let (ds, diag) = read_native_csv(
            text.as_bytes(),
            text.as_bytes(),
            Some(&map),
            &Progress::new(),
        )
        .unwrap();
        let dates: Vec<String> = (0..ds.len() as u32)
            .map(|e| ds.date_of(e).to_string())
            .collect();
        assert_eq!(
            dates,
            ["2015", "2015", "2015-03", "2015-03-14", "2016-01-05"]
        );
        let errors: Vec<(u32, u32)> = diag.errors.iter().map(|d| (d.line, d.column)).collect();
        assert_eq!(errors, [(6, 2), (7, 3), (8, 2), (9, 1)]);
        assert!(
            diag.errors[0].message.contains("month 13"),
            "{:?}",
            diag.errors
        );
        assert!(
            diag.errors[1].message.contains("day 30"),
            "{:?}",
            diag.errors
        );
        assert!(diag.errors[2].message.contains("'x'"), "{:?}", diag.errors);
    }

    #[test]
    fn an_end_date_from_parts_warns_on_a_bad_part_and_keeps_the_event() {
        let text = "y,m,d,ey,em,who\n2020,1,2,2020,2,A\n2020,1,2,2020,14,B\n2021,0,5,,,C\n";
        let map = ColumnMap::parse("date=y+m+d,end_date=ey+em,actor1=who").unwrap();
        let (ds, diag) = read_native_csv(
            text.as_bytes(),
            text.as_bytes(),
            Some(&map),
            &Progress::new(),
        )
        .unwrap();
        assert_eq!(ds.len(), 3);
        assert!(diag.errors.is_empty());
        assert_eq!((diag.warnings[0].line, diag.warnings[0].column), (3, 5));
        // A day without its month is dropped, and said.
        assert_eq!((diag.warnings[1].line, diag.warnings[1].column), (4, 3));
        assert_eq!(ds.date_of(2).to_string(), "2021");
        let bad = ColumnMap::parse("date=y+nope,actor1=who").unwrap();
        let err = read_native_csv(
            text.as_bytes(),
            text.as_bytes(),
            Some(&bad),
            &Progress::new(),
        )
        .unwrap_err();
        assert!(err.message.contains("'nope'"), "{}", err.message);
        assert_eq!(bad.to_spec(), "date=y+nope,actor1=who");
    }
}
