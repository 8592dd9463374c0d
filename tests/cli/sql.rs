//! `relmap sql`: the queries as text (snapshots), parsed in their dialects by sqlglot, and the
//! round trip an analyst makes: relmap's DuckDB query over a generated 1M-row GDELT 2.0 export,
//! exported as CSV and as Parquet, opens with the events (summing the counts) and actors of
//! loading the raw file.
//!
//! Needs Python with `duckdb` and `sqlglot` (`.ci/run` installs them); without them these
//! tests fail and say so, rather than pass without checking.

use std::path::{Path, PathBuf};
use std::process::Command;

use relmap::sql::{Dialect, Period, Request, query};

fn relmap() -> Command {
    Command::new(env!("CARGO_BIN_EXE_relmap"))
}

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Runs a Python snippet; fails the test with its stderr when Python or a module is missing.
fn python(script: &str, args: &[&str]) -> String {
    let out = Command::new("python3")
        .arg("-c")
        .arg(script)
        .args(args)
        .output()
        .expect("python3 runs (install it, then `python3 -m pip install duckdb sqlglot`)");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        out.status.success(),
        "python3 failed (missing modules? `python3 -m pip install duckdb sqlglot`, as .ci/run does):\n{stderr}"
    );
    String::from_utf8_lossy(&out.stdout).to_string()
}

/// 2 December 2026, so that the whole-table estimate in the snapshots does not move daily.
fn as_of() -> Option<i32> {
    Some(relmap::model::day_number(2026, 12, 2))
}

/// The requests snapshot-tested, by name.
fn cases() -> Vec<(&'static str, Dialect, Request)> {
    let range = Request {
        from: Some("2025-01".into()),
        to: Some("2025-12".into()),
        countries: vec!["BLR".into(), "IRN".into()],
        roots: vec!["04".into(), "05".into(), "06".into()],
        by: Period::Week,
        as_of: as_of(),
        ..Request::default()
    };
    let plain = Request {
        as_of: as_of(),
        ..Request::default()
    };
    let months = Request {
        table: Some("lake.gdelt.events".into()),
        from: Some("2024-06-01".into()),
        by: Period::Month,
        as_of: as_of(),
        ..Request::default()
    };
    vec![
        (
            "bigquery_whole_table_by_day",
            Dialect::Bigquery,
            plain.clone(),
        ),
        (
            "bigquery_2025_blr_irn_by_week",
            Dialect::Bigquery,
            range.clone(),
        ),
        (
            "bigquery_own_table_by_month",
            Dialect::Bigquery,
            months.clone(),
        ),
        ("spark_events_by_day", Dialect::Spark, plain.clone()),
        ("spark_2025_blr_irn_by_week", Dialect::Spark, range.clone()),
        ("spark_lake_table_by_month", Dialect::Spark, months.clone()),
        ("duckdb_events_by_day", Dialect::Duckdb, plain),
        ("duckdb_2025_blr_irn_by_week", Dialect::Duckdb, range),
        (
            "duckdb_files_by_month",
            Dialect::Duckdb,
            Request {
                files: Some("gdelt/*.export.CSV".into()),
                table: None,
                ..months
            },
        ),
    ]
}

fn snapshot_path(name: &str) -> PathBuf {
    root()
        .join("tests/snapshots/sql")
        .join(format!("{name}.sql"))
}

#[test]
fn queries_match_their_snapshots() {
    let update = std::env::var_os("UPDATE_SNAPSHOTS").is_some();
    let mut differ = Vec::new();
    for (name, dialect, request) in cases() {
        let text = query(dialect, &request).unwrap();
        let path = snapshot_path(name);
        if update {
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(&path, &text).unwrap();
            continue;
        }
        let expected = std::fs::read_to_string(&path).unwrap_or_default();
        if expected != text {
            differ.push(format!("{name} ({})", path.display()));
        }
    }
    assert!(
        differ.is_empty(),
        "queries differ from their snapshots (UPDATE_SNAPSHOTS=1 rewrites them; read the diff): {differ:?}"
    );
}

#[test]
fn queries_parse_in_their_dialects() {
    // sqlglot raises on what its dialect's grammar does not accept.
    let script = r#"
import sys, sqlglot
for dialect, path in zip(sys.argv[1::2], sys.argv[2::2]):
    text = open(path).read()
    statements = [s for s in sqlglot.parse(text, read=dialect, error_level=sqlglot.ErrorLevel.RAISE) if s]
    assert len(statements) == 1, (path, len(statements))
    print(dialect, path, type(statements[0]).__name__)
"#;
    let mut args = Vec::new();
    let dir = tempfile::tempdir().unwrap();
    for (name, dialect, request) in cases() {
        let path = dir.path().join(format!("{name}.sql"));
        std::fs::write(&path, query(dialect, &request).unwrap()).unwrap();
        let dialect = match dialect {
            Dialect::Bigquery => "bigquery",
            Dialect::Spark => "spark",
            Dialect::Duckdb => "duckdb",
        };
        args.push(dialect.to_string());
        args.push(path.display().to_string());
    }
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let out = python(script, &args);
    assert_eq!(out.lines().count(), cases().len(), "{out}");
    assert!(out.lines().all(|l| l.ends_with(" Select")), "{out}");
}

#[test]
fn a_bad_request_exits_2_and_says_why() {
    let out = relmap()
        .args(["sql", "--dialect", "bigquery", "--countries", "BLR,Belarus"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("\"Belarus\" is not a three-letter country code"),
        "{stderr}"
    );
    assert!(out.stdout.is_empty());
}

/// `stats` and `stats --actors` of a file: (events, rows, actors as name → events).
fn load(path: &Path) -> (u64, u64, Vec<(String, u64)>) {
    let out = relmap().arg("stats").arg(path).output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let stats: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let events = stats["events"].as_u64().unwrap();
    let rows = stats.get("rows").and_then(|r| r.as_u64()).unwrap_or(events);
    let out = relmap()
        .args(["stats", "--actors"])
        .arg(path)
        .output()
        .unwrap();
    assert!(out.status.success());
    let mut actors: Vec<(String, u64)> = String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(|l| {
            let a: serde_json::Value = serde_json::from_str(l).unwrap();
            (
                format!("{} [{}, {}]", a["name"], a["kind"], a["country"]),
                a["events"].as_u64().unwrap(),
            )
        })
        .collect();
    actors.sort();
    (events, rows, actors)
}

#[test]
fn the_duckdb_query_over_a_million_gdelt_rows_opens_with_the_raw_files_events_and_actors() {
    let data = root().join("target/test-data");
    std::fs::create_dir_all(&data).unwrap();
    let raw = data.join("gdelt2-1000000.tsv");
    if !raw.exists() {
        // Generated once per target folder (7 s, 421 MB), beside the benches' data.
        let status = Command::new("python3")
            .arg(root().join("benches/tools/gen_gdelt.py"))
            .args(["--rows", "1000000", "--out"])
            .arg(&raw)
            .status()
            .expect("python3 runs the generator");
        assert!(status.success());
    }
    let out = relmap()
        .args(["sql", "--dialect", "duckdb", "--files"])
        .arg(&raw)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let sql = String::from_utf8(out.stdout).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let (csv, parquet) = (
        dir.path().join("grouped.csv"),
        dir.path().join("grouped.parquet"),
    );
    let script = r#"
import sys, duckdb
query, csv, parquet = open(sys.argv[1]).read(), sys.argv[2], sys.argv[3]
con = duckdb.connect()
con.execute("SET enable_progress_bar = false")
con.execute(f"COPY ({query}) TO '{csv}' (HEADER, DELIMITER ',')")
con.execute(f"COPY ({query}) TO '{parquet}' (FORMAT parquet)")
"#;
    let query_file = dir.path().join("query.sql");
    std::fs::write(&query_file, &sql).unwrap();
    python(
        script,
        &[
            query_file.to_str().unwrap(),
            csv.to_str().unwrap(),
            parquet.to_str().unwrap(),
        ],
    );
    let (events, rows, actors) = load(&raw);
    assert_eq!((events, rows), (1_000_000, 1_000_000));
    for grouped in [&csv, &parquet] {
        let (g_events, g_rows, g_actors) = load(grouped);
        assert_eq!(g_events, events, "{}", grouped.display());
        assert!(g_rows < events, "{}: rows were grouped", grouped.display());
        assert_eq!(g_actors.len(), actors.len(), "{}", grouped.display());
        assert!(
            g_actors == actors,
            "{}: actors or their events differ",
            grouped.display()
        );
    }
}
