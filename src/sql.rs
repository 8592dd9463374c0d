//! The aggregation as SQL, for events that live in an engine rather than a file: `relmap sql`
//! prints one query that groups GDELT 2.0 events by period, actor pair, event code and
//! QuadClass, with a `count` of the events in each group, one source URL and a representative
//! place. The analyst runs it where the data is (DuckDB on downloaded exports, BigQuery on
//! GDELT's public tables, Spark on a lake) and opens the result, CSV or Parquet, in relmap,
//! which reads a `count` column as that many events (see `io::gdelt` and the README's
//! "Aggregates" section).
//!
//! The groups keep every field relmap's GDELT reader names an actor from (Code, Name,
//! CountryCode, KnownGroupCode, Type1Code of each side; see `io::gdelt::resolve_actor`), and
//! the query drops the rows that reader skips (no date; no actor on either side), so the
//! result opens with the same actors and, summing the counts, the same events as the raw
//! files. The URL and place are those of the group's first event (lowest GLOBALEVENTID):
//! deterministic, and the place's name, latitude and longitude come from one row.
//!
//! Nothing here runs SQL; the text is checked by tests that run it in DuckDB and parse it with
//! sqlglot in the BigQuery and Spark dialects.

use std::fmt::Write;

use crate::model::{PartialDate, civil_from_day as from_day_number};

/// The SQL engine a query is written for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Dialect {
    Duckdb,
    Bigquery,
    Spark,
}

/// The period events are grouped by; a group is dated on its period's first day.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum Period {
    #[default]
    Day,
    /// ISO weeks, from Monday.
    Week,
    Month,
}

/// What to aggregate: the table, the date range, the countries and CAMEO roots kept.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Request {
    /// The table or view of GDELT 2.0 events (GDELT's column names). `None`: GDELT's public
    /// BigQuery table (the partitioned one when a date range is given), `events` elsewhere.
    pub table: Option<String>,
    /// DuckDB only: read these raw export files (a path or glob, tab-separated, no header)
    /// instead of a table.
    pub files: Option<String>,
    /// First and last day (inclusive), as given (`2025`, `2025-03`, `2025-03-14`).
    pub from: Option<String>,
    pub to: Option<String>,
    /// Keep events with an actor of these countries (CAMEO/ISO 3166 alpha-3 codes).
    pub countries: Vec<String>,
    /// Keep events of these CAMEO root codes (`01`–`20`).
    pub roots: Vec<String>,
    pub by: Period,
    /// The day an open-ended BigQuery range ends on for the scan estimate; today when
    /// `None` (tests fix it so that the text they compare does not change daily).
    pub as_of: Option<i32>,
}

/// GDELT's public events table in BigQuery, and its copy partitioned by the day GDELT added
/// the events (`_PARTITIONTIME`), which lets a date range scan only those days.
pub const BIGQUERY_TABLE: &str = "gdelt-bq.gdeltv2.events";
pub const BIGQUERY_PARTITIONED_TABLE: &str = "gdelt-bq.gdeltv2.events_partitioned";

/// How many days after an event's SQLDATE its row may be added (the partition a BigQuery
/// range scans up to). GDELT dates most events on the day of the article or a few days
/// before; the margin costs a month of partitions and keeps the stragglers.
pub const PARTITION_MARGIN_DAYS: i32 = 31;

/// GDELT 2.0 adds about this many events a day (the figure: 35 million a year).
const EVENTS_PER_DAY: f64 = 96_000.0;
/// BigQuery bytes (its on-demand billing counts STRING as 2 + UTF-8 length, INT64 and FLOAT64
/// as 8, NULL as 0) per row in the columns the query reads, measured on the real 15-minute
/// export in `../shared/data` (2,111 rows): SOURCEURL 104.5, ActionGeo_FullName 25.9, the 12
/// actor strings 42.6, the five numbers and GLOBALEVENTID 8 each, the rest of them 19.0.
const BYTES_PER_ROW: f64 = 232.0;
/// GDELT 2.0 begins on 18 February 2015.
const GDELT2_FIRST_DAY: (i32, u8, u8) = (2015, 2, 18);
/// BigQuery's on-demand price per TiB scanned (US multi-region, since July 2023).
const DOLLARS_PER_TIB: f64 = 6.25;

/// The columns of the result, in GDELT 2.0's names, which relmap's GDELT reader takes by
/// name; `count` is added after them.
const ACTOR_FIELDS: [&str; 5] = ["Code", "Name", "CountryCode", "KnownGroupCode", "Type1Code"];

/// A request relmap can't turn into SQL (a bad date, country or root code, or table name).
#[derive(Debug, PartialEq, Eq)]
pub struct RequestError(pub String);

impl std::fmt::Display for RequestError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for RequestError {}

/// The checked parts of a request, as literals safe to put in SQL.
struct Checked {
    /// YYYYMMDD of the first and last day.
    from: Option<(i32, i32)>,
    to: Option<(i32, i32)>,
    countries: Vec<String>,
    roots: Vec<String>,
}

fn yyyymmdd(day: i32) -> i32 {
    let (y, m, d) = from_day_number(day);
    y * 10_000 + i32::from(m) * 100 + i32::from(d)
}

fn iso_date(day: i32) -> String {
    let (y, m, d) = from_day_number(day);
    format!("{y:04}-{m:02}-{d:02}")
}

fn check(request: &Request) -> Result<Checked, RequestError> {
    let day = |text: &Option<String>, last: bool, what: &str| {
        text.as_deref()
            .map(|t| {
                PartialDate::parse(t)
                    .map(|d| {
                        let day = if last { d.last_day() } else { d.first_day() };
                        (day, yyyymmdd(day))
                    })
                    .map_err(|e| RequestError(format!("--{what} {t:?}: {e}")))
            })
            .transpose()
    };
    let from = day(&request.from, false, "from")?;
    let to = day(&request.to, true, "to")?;
    if let (Some((f, _)), Some((t, _))) = (from, to)
        && f > t
    {
        return Err(RequestError(format!(
            "--from {} is after --to {}",
            iso_date(f),
            iso_date(t)
        )));
    }
    let mut countries = Vec::new();
    for c in &request.countries {
        let code = c.trim().to_ascii_uppercase();
        if code.len() != 3 || !code.bytes().all(|b| b.is_ascii_alphanumeric()) {
            return Err(RequestError(format!(
                "--countries: {c:?} is not a three-letter country code (ISO 3166 alpha-3, as GDELT's CountryCode: BLR, IRN, USA)"
            )));
        }
        countries.push(code);
    }
    let mut roots = Vec::new();
    for r in &request.roots {
        let code = r.trim();
        let code = if code.len() == 1 {
            format!("0{code}")
        } else {
            code.to_string()
        };
        match code.parse::<u8>() {
            Ok(1..=20) if code.len() == 2 => roots.push(code),
            _ => {
                return Err(RequestError(format!(
                    "--roots: {r:?} is not a CAMEO root code (01 to 20)"
                )));
            }
        }
    }
    Ok(Checked {
        from,
        to,
        countries,
        roots,
    })
}

/// A table name quoted for the dialect; only letters, digits, `_`, `-` and `.` between parts.
fn quoted_table(dialect: Dialect, table: &str) -> Result<String, RequestError> {
    let parts: Vec<&str> = table.split('.').collect();
    let valid = parts.iter().all(|p| {
        !p.is_empty()
            && p.bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
    });
    if !valid {
        return Err(RequestError(format!(
            "--table {table:?}: a table name is letters, digits, '_' and '-', in parts joined by '.'"
        )));
    }
    Ok(match dialect {
        // One quoted path: `project.dataset.table`, as BigQuery's console writes it.
        Dialect::Bigquery => format!("`{table}`"),
        Dialect::Spark => parts
            .iter()
            .map(|p| format!("`{p}`"))
            .collect::<Vec<_>>()
            .join("."),
        Dialect::Duckdb => parts
            .iter()
            .map(|p| format!("\"{p}\""))
            .collect::<Vec<_>>()
            .join("."),
    })
}

/// The 61 columns of a GDELT 2.0 export, with the types DuckDB reads them as (codes are text:
/// CAMEO codes keep their leading zeros).
fn duckdb_columns() -> String {
    let numeric = |name: &str| match name {
        "GLOBALEVENTID" | "SQLDATE" | "MonthYear" | "Year" | "IsRootEvent" | "QuadClass"
        | "NumMentions" | "NumSources" | "NumArticles" | "Actor1Geo_Type" | "Actor2Geo_Type"
        | "ActionGeo_Type" | "DATEADDED" => Some("BIGINT"),
        "FractionDate" | "GoldsteinScale" | "AvgTone" | "Actor1Geo_Lat" | "Actor1Geo_Long"
        | "Actor2Geo_Lat" | "Actor2Geo_Long" | "ActionGeo_Lat" | "ActionGeo_Long" => Some("DOUBLE"),
        _ => None,
    };
    crate::io::gdelt::GDELT2_COLUMNS
        .iter()
        .map(|c| format!("'{c}': '{}'", numeric(c).unwrap_or("VARCHAR")))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The query for `request` in `dialect`, with a comment header saying what it does and, for
/// BigQuery, what it will scan.
pub fn query(dialect: Dialect, request: &Request) -> Result<String, RequestError> {
    let checked = check(request)?;
    if request.files.is_some() && dialect != Dialect::Duckdb {
        return Err(RequestError(
            "--files reads raw exports with DuckDB's read_csv; with BigQuery or Spark, name the table with --table".into(),
        ));
    }
    if request.files.is_some() && request.table.is_some() {
        return Err(RequestError("give --files or --table, not both".into()));
    }
    let partitioned =
        dialect == Dialect::Bigquery && request.table.is_none() && checked.from.is_some();
    let source = match (&request.files, &request.table) {
        (Some(files), _) => {
            if files.contains('\'') {
                return Err(RequestError(format!(
                    "--files {files:?}: a path with a quote (') can't be put in the query"
                )));
            }
            format!(
                "read_csv('{files}', delim = '\\t', header = false, quote = '', escape = '', columns = {{{}}})",
                duckdb_columns()
            )
        }
        (None, Some(table)) => quoted_table(dialect, table)?,
        (None, None) => match dialect {
            Dialect::Bigquery if partitioned => format!("`{BIGQUERY_PARTITIONED_TABLE}`"),
            Dialect::Bigquery => format!("`{BIGQUERY_TABLE}`"),
            _ => "events".to_string(),
        },
    };

    let mut sql = String::new();
    header(&mut sql, dialect, request, &checked, partitioned);

    // The period's first day as a YYYYMMDD number, like SQLDATE.
    let (int, text) = match dialect {
        Dialect::Bigquery => ("INT64", "STRING"),
        _ => ("BIGINT", "STRING"),
    };
    let text = if dialect == Dialect::Duckdb {
        "VARCHAR"
    } else {
        text
    };
    let sqldate = format!("CAST(SQLDATE AS {int})");
    let day = match dialect {
        Dialect::Duckdb => format!("strptime(CAST({sqldate} AS {text}), '%Y%m%d')"),
        Dialect::Bigquery => format!("PARSE_DATE('%Y%m%d', CAST({sqldate} AS {text}))"),
        Dialect::Spark => format!("to_date(CAST({sqldate} AS {text}), 'yyyyMMdd')"),
    };
    let period = match (dialect, request.by) {
        (_, Period::Day) => sqldate.clone(),
        (Dialect::Duckdb, p) => format!(
            "CAST(strftime(date_trunc('{}', {day}), '%Y%m%d') AS {int})",
            if p == Period::Week { "week" } else { "month" }
        ),
        (Dialect::Bigquery, p) => format!(
            "CAST(FORMAT_DATE('%Y%m%d', DATE_TRUNC({day}, {})) AS {int})",
            if p == Period::Week {
                "ISOWEEK"
            } else {
                "MONTH"
            }
        ),
        (Dialect::Spark, p) => format!(
            "CAST(date_format(date_trunc('{}', {day}), 'yyyyMMdd') AS {int})",
            if p == Period::Week { "week" } else { "month" }
        ),
    };

    let actor_columns: Vec<String> = ["Actor1", "Actor2"]
        .iter()
        .flat_map(|side| ACTOR_FIELDS.iter().map(move |f| format!("{side}{f}")))
        .collect();
    let mut keys = actor_columns.clone();
    keys.extend(["EventCode", "EventRootCode", "QuadClass"].map(String::from));

    // The rows relmap's reader keeps: a date, and an actor on at least one side.
    let mut conditions = vec!["SQLDATE IS NOT NULL".to_string()];
    let named: Vec<String> = ["Actor1", "Actor2"]
        .iter()
        .flat_map(|side| ["Code", "Name", "CountryCode"].map(|f| format!("NULLIF({side}{f}, '')")))
        .collect();
    conditions.push(format!("COALESCE({}) IS NOT NULL", named.join(", ")));
    if let Some((day, date)) = checked.from {
        conditions.push(format!("{sqldate} >= {date}"));
        if partitioned {
            conditions.push(format!("_PARTITIONTIME >= TIMESTAMP('{}')", iso_date(day)));
        }
    }
    if let Some((day, date)) = checked.to {
        conditions.push(format!("{sqldate} <= {date}"));
        if partitioned {
            conditions.push(format!(
                "_PARTITIONTIME < TIMESTAMP('{}')",
                iso_date(day + 1 + PARTITION_MARGIN_DAYS)
            ));
        }
    }
    if !checked.countries.is_empty() {
        let list = literal_list(&checked.countries);
        conditions.push(format!(
            "(Actor1CountryCode IN ({list}) OR Actor2CountryCode IN ({list}))"
        ));
    }
    if !checked.roots.is_empty() {
        conditions.push(format!(
            "CAST(EventRootCode AS {text}) IN ({})",
            literal_list(&checked.roots)
        ));
    }

    // The first event's URL and place, as one value so that they come from one row.
    let first_fields = [
        ("url", "SOURCEURL"),
        ("place", "ActionGeo_FullName"),
        ("lat", "ActionGeo_Lat"),
        ("lon", "ActionGeo_Long"),
    ];
    let first = match dialect {
        Dialect::Duckdb => format!(
            "arg_min({{{}}}, GLOBALEVENTID)",
            first_fields
                .iter()
                .map(|(k, c)| format!("'{k}': {c}"))
                .collect::<Vec<_>>()
                .join(", ")
        ),
        Dialect::Bigquery => format!(
            "ARRAY_AGG(STRUCT({}) ORDER BY GLOBALEVENTID LIMIT 1)[OFFSET(0)]",
            first_fields
                .iter()
                .map(|(k, c)| format!("{c} AS {k}"))
                .collect::<Vec<_>>()
                .join(", ")
        ),
        Dialect::Spark => format!(
            "min_by(named_struct({}), GLOBALEVENTID)",
            first_fields
                .iter()
                .map(|(k, c)| format!("'{k}', {c}"))
                .collect::<Vec<_>>()
                .join(", ")
        ),
    };

    let indent = |list: &[String], sep: &str| list.join(&format!("{sep}\n    "));
    writeln!(sql, "WITH grouped AS (").ok();
    writeln!(sql, "  SELECT").ok();
    writeln!(sql, "    {period} AS period,").ok();
    writeln!(sql, "    {},", indent(&keys, ",")).ok();
    writeln!(sql, "    COUNT(*) AS event_count,").ok();
    writeln!(sql, "    SUM(NumMentions) AS mentions,").ok();
    writeln!(sql, "    AVG(GoldsteinScale) AS goldstein,").ok();
    writeln!(sql, "    {first} AS first_event").ok();
    writeln!(sql, "  FROM {source}").ok();
    writeln!(sql, "  WHERE {}", conditions.join("\n    AND ")).ok();
    writeln!(sql, "  GROUP BY").ok();
    writeln!(sql, "    {period},").ok();
    writeln!(sql, "    {}", indent(&keys, ",")).ok();
    writeln!(sql, ")").ok();
    writeln!(sql, "SELECT").ok();
    writeln!(sql, "  period AS SQLDATE,").ok();
    for k in &keys {
        writeln!(sql, "  {k},").ok();
    }
    writeln!(sql, "  goldstein AS GoldsteinScale,").ok();
    writeln!(sql, "  mentions AS NumMentions,").ok();
    writeln!(sql, "  first_event.place AS ActionGeo_FullName,").ok();
    writeln!(sql, "  first_event.lat AS ActionGeo_Lat,").ok();
    writeln!(sql, "  first_event.lon AS ActionGeo_Long,").ok();
    writeln!(sql, "  first_event.url AS SOURCEURL,").ok();
    writeln!(sql, "  event_count AS count").ok();
    writeln!(sql, "FROM grouped").ok();
    writeln!(
        sql,
        "ORDER BY SQLDATE, count DESC, {}",
        actor_columns.join(", ")
    )
    .ok();
    Ok(sql)
}

fn literal_list(values: &[String]) -> String {
    values
        .iter()
        .map(|v| format!("'{v}'"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The comment in front of the query: what it groups, how to run it, and for BigQuery an
/// estimate of the bytes billed.
fn header(
    sql: &mut String,
    dialect: Dialect,
    request: &Request,
    checked: &Checked,
    partitioned: bool,
) {
    let today = request.as_of.unwrap_or_else(today);
    let by = match request.by {
        Period::Day => "day",
        Period::Week => "ISO week (dated on its Monday)",
        Period::Month => "month (dated on its first day)",
    };
    writeln!(
        sql,
        "-- GDELT 2.0 events grouped by {by}, actor pair, event code and QuadClass, for relmap."
    )
    .ok();
    writeln!(
        sql,
        "-- `count` is the number of events in a group; relmap reads the result (CSV or Parquet)"
    )
    .ok();
    writeln!(
        sql,
        "-- as that many events. SOURCEURL and the place are the group's first event's."
    )
    .ok();
    match dialect {
        Dialect::Duckdb => {
            if request.files.is_none() {
                writeln!(
                    sql,
                    "-- The table needs GDELT's column names, codes as text (e.g. a view over read_csv;"
                )
                .ok();
                writeln!(
                    sql,
                    "-- `relmap sql --dialect duckdb --files 'PATH/*.export.CSV'` reads the exports directly)."
                )
                .ok();
            }
            writeln!(
                sql,
                "-- Run: duckdb -c \"COPY (<this query>) TO 'grouped.parquet' (FORMAT parquet)\""
            )
            .ok();
        }
        Dialect::Bigquery => {
            let (days, scope) = match (checked.from, checked.to) {
                (Some((f, _)), Some((t, _))) if partitioned => (
                    (t - f + 1 + PARTITION_MARGIN_DAYS) as f64,
                    format!(
                        "{} days of partitions ({} to {}, and {PARTITION_MARGIN_DAYS} more for late additions)",
                        t - f + 1 + PARTITION_MARGIN_DAYS,
                        iso_date(f),
                        iso_date(t)
                    ),
                ),
                (Some((f, _)), None) if partitioned => (
                    (today - f + 1).max(1) as f64,
                    format!("the partitions from {} to today", iso_date(f)),
                ),
                _ => {
                    let (y, m, d) = GDELT2_FIRST_DAY;
                    let first = crate::model::day_number(y, m, d);
                    (
                        (today - first + 1) as f64,
                        "the whole table (since 2015-02-18; give --from to scan only its days)"
                            .to_string(),
                    )
                }
            };
            let bytes = days * EVENTS_PER_DAY * BYTES_PER_ROW;
            let tib = bytes / (1u64 << 40) as f64;
            writeln!(sql, "-- Scans {scope}:").ok();
            writeln!(
                sql,
                "-- about {:.1} GB (~{:.0} events a day, ~{:.0} bytes a row in the columns read), about",
                bytes / 1e9,
                EVENTS_PER_DAY,
                BYTES_PER_ROW
            )
            .ok();
            writeln!(
                sql,
                "-- ${:.2} on demand at ${DOLLARS_PER_TIB}/TiB (the first TiB a month is free).",
                tib * DOLLARS_PER_TIB
            )
            .ok();
            writeln!(
                sql,
                "-- An estimate: `bq query --dry_run --use_legacy_sql=false < query.sql` gives the exact bytes."
            )
            .ok();
            writeln!(
                sql,
                "-- Run: bq query --use_legacy_sql=false --format=csv --max_rows=100000000 < query.sql > grouped.csv"
            )
            .ok();
            writeln!(
                sql,
                "-- (a large result: save it as a table, then bq extract --destination_format=PARQUET)."
            )
            .ok();
        }
        Dialect::Spark => {
            writeln!(
                sql,
                "-- The table needs GDELT's column names, codes as strings. Spark 3.0 or later (min_by)."
            )
            .ok();
            writeln!(
                sql,
                "-- Run: spark.sql(query).write.option(\"header\", True).csv(\"grouped\") or .parquet(\"grouped\")"
            )
            .ok();
        }
    }
}

/// Today's day number (UTC), for the size of an open-ended BigQuery range.
fn today() -> i32 {
    let seconds = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0);
    crate::model::day_number(1970, 1, 1) + (seconds / 86_400) as i32
}

#[cfg(test)]
mod tests {
    use super::*;

    fn request() -> Request {
        Request {
            from: Some("2025-01".into()),
            to: Some("2025-03-31".into()),
            countries: vec!["blr".into(), "IRN".into()],
            roots: vec!["4".into(), "19".into()],
            ..Request::default()
        }
    }

    #[test]
    fn bigquery_with_a_range_scans_the_partitions_of_that_range_and_a_margin() {
        let sql = query(Dialect::Bigquery, &request()).unwrap();
        assert!(sql.contains("FROM `gdelt-bq.gdeltv2.events_partitioned`"));
        assert!(sql.contains("_PARTITIONTIME >= TIMESTAMP('2025-01-01')"));
        assert!(
            sql.contains("_PARTITIONTIME < TIMESTAMP('2025-05-02')"),
            "{sql}"
        );
        assert!(sql.contains("CAST(SQLDATE AS INT64) >= 20250101"));
        assert!(sql.contains("CAST(SQLDATE AS INT64) <= 20250331"));
        assert!(sql.contains("IN ('BLR', 'IRN')"));
        assert!(sql.contains("IN ('04', '19')"));
        assert!(sql.contains("-- Scans 121 days of partitions"), "{sql}");
    }

    #[test]
    fn bigquery_without_a_range_names_the_whole_table_and_says_so() {
        let sql = query(Dialect::Bigquery, &Request::default()).unwrap();
        assert!(sql.contains("FROM `gdelt-bq.gdeltv2.events`\n"));
        assert!(!sql.contains("_PARTITIONTIME"));
        assert!(sql.contains("the whole table"));
    }

    #[test]
    fn bad_input_is_refused_with_what_was_wrong() {
        let bad = |r: Request| query(Dialect::Duckdb, &r).unwrap_err().0;
        assert!(
            bad(Request {
                countries: vec!["BY'".into()],
                ..Request::default()
            })
            .contains("--countries")
        );
        assert!(
            bad(Request {
                roots: vec!["21".into()],
                ..Request::default()
            })
            .contains("--roots")
        );
        assert!(
            bad(Request {
                from: Some("2025-13".into()),
                ..Request::default()
            })
            .contains("--from")
        );
        assert!(
            bad(Request {
                from: Some("2025-03".into()),
                to: Some("2025-01".into()),
                ..Request::default()
            })
            .contains("after")
        );
        assert!(
            bad(Request {
                table: Some("x; DROP TABLE y".into()),
                ..Request::default()
            })
            .contains("--table")
        );
        assert!(
            query(
                Dialect::Spark,
                &Request {
                    files: Some("a.csv".into()),
                    ..Request::default()
                }
            )
            .unwrap_err()
            .0
            .contains("--files")
        );
    }

    #[test]
    fn weeks_and_months_are_dated_on_their_first_day() {
        for (dialect, week) in [
            (Dialect::Duckdb, "date_trunc('week'"),
            (
                Dialect::Bigquery,
                "DATE_TRUNC(PARSE_DATE('%Y%m%d', CAST(CAST(SQLDATE AS INT64) AS STRING)), ISOWEEK)",
            ),
            (Dialect::Spark, "date_trunc('week'"),
        ] {
            let sql = query(
                dialect,
                &Request {
                    by: Period::Week,
                    ..Request::default()
                },
            )
            .unwrap();
            assert!(sql.contains(week), "{dialect:?}: {sql}");
        }
    }
}
