//! `relmap metrics` as scripts use it: JSON and CSV of the same figures, the window, errors.

use std::path::PathBuf;
use std::process::{Command, Output};

fn relmap() -> Command {
    Command::new(env!("CARGO_BIN_EXE_relmap"))
}

fn fixture(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(name)
}

const GDELT: &str = "tests/fixtures/gdelt2_20191024143000.export.CSV";
const SAMPLE: &str = "assets/sample/belarus-iran.csv";

fn metrics(args: &[&str]) -> Output {
    relmap()
        .arg("metrics")
        .args(args.iter().map(|a| {
            if a.starts_with("tests/") || a.starts_with("assets/") {
                fixture(a).into_os_string()
            } else {
                a.into()
            }
        }))
        .output()
        .unwrap()
}

fn json_of(out: &Output) -> serde_json::Value {
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

#[test]
fn metrics_json_has_every_actor_with_networkx_figures() {
    let report = json_of(&metrics(&[GDELT]));
    let expected: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(fixture(
            "tests/fixtures/gdelt2_20191024143000.networkx.json",
        ))
        .unwrap(),
    )
    .unwrap();
    let actors = report["actors"].as_array().unwrap();
    assert_eq!(actors.len(), expected["nodes"].as_object().unwrap().len());
    assert_eq!(report["estimate"], false);
    assert!(report.get("betweenness_sources").is_none());
    assert!(
        report["modularity"].as_f64().unwrap() > 0.3,
        "{}",
        report["modularity"]
    );
    let pagerank: Vec<f64> = actors
        .iter()
        .map(|a| a["pagerank"].as_f64().unwrap())
        .collect();
    assert!(
        pagerank.windows(2).all(|w| w[0] >= w[1]),
        "highest PageRank first"
    );
    for actor in actors.iter().take(10) {
        let name = actor["name"].as_str().unwrap();
        let want = &expected["nodes"][name];
        for metric in [
            "degree",
            "weighted_degree",
            "betweenness",
            "closeness",
            "eigenvector",
            "pagerank",
        ] {
            let (got, want) = (
                actor[metric].as_f64().unwrap(),
                want[metric].as_f64().unwrap(),
            );
            assert!(
                (got - want).abs() <= 1e-3 * want.abs(),
                "{name} {metric}: {got} vs {want}"
            );
        }
        assert!(actor["community"].as_u64().unwrap() < report["communities"].as_u64().unwrap());
    }
}

#[test]
fn metrics_csv_has_the_json_figures_one_row_per_actor() {
    let report = json_of(&metrics(&[SAMPLE]));
    let out = metrics(&[SAMPLE, "--format", "csv"]);
    assert_eq!(out.status.code(), Some(0));
    let mut reader = csv::Reader::from_reader(out.stdout.as_slice());
    let header: Vec<String> = reader.headers().unwrap().iter().map(String::from).collect();
    assert_eq!(
        header,
        [
            "name",
            "degree",
            "weighted_degree",
            "betweenness",
            "closeness",
            "eigenvector",
            "pagerank",
            "community"
        ]
    );
    let rows: Vec<csv::StringRecord> = reader.records().map(|r| r.unwrap()).collect();
    let actors = report["actors"].as_array().unwrap();
    assert!(actors.len() >= 5, "{report}");
    assert_eq!(rows.len(), actors.len());
    for (row, actor) in rows.iter().zip(actors) {
        assert_eq!(&row[0], actor["name"].as_str().unwrap());
        for (i, metric) in header.iter().enumerate().skip(1) {
            // Equal but for the last digit: serde_json's float parsing (without its
            // `float_roundtrip` feature) may be one unit off in the last place.
            let got: f64 = row[i].parse().unwrap();
            let want = actor[metric.as_str()].as_f64().unwrap();
            assert!(
                (got - want).abs() <= 1e-12 * want.abs(),
                "{metric}: {got} vs {want}"
            );
        }
    }
    // --out picks the format from the extension.
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("metrics.csv");
    let out = metrics(&[SAMPLE, "--out", path.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(0));
    assert!(out.stdout.is_empty());
    assert_eq!(
        std::fs::read(&path).unwrap(),
        metrics(&[SAMPLE, "--format", "csv"]).stdout
    );
}

#[test]
fn metrics_window_keeps_only_its_events() {
    let whole = json_of(&metrics(&[SAMPLE]));
    let part = json_of(&metrics(&[SAMPLE, "--from", "2024", "--to", "2024"]));
    assert_eq!(part["from"], "2024-01-01");
    assert_eq!(part["to"], "2024-12-31");
    assert!(part["events"].as_u64() < whole["events"].as_u64());
    assert!(part["ties"].as_u64() <= whole["ties"].as_u64());
    // A window without events is an empty table, not an error.
    let empty = json_of(&metrics(&[SAMPLE, "--from", "1900", "--to", "1901"]));
    assert_eq!(empty["actors"].as_array().unwrap().len(), 0);
    assert_eq!(empty["modularity"], 0.0);
    let out = metrics(&[SAMPLE, "--from", "1900", "--to", "1901", "--format", "csv"]);
    assert_eq!(
        String::from_utf8_lossy(&out.stdout).lines().count(),
        1,
        "the header"
    );
}

#[test]
fn metrics_errors_exit_2_with_one_line() {
    let dir = tempfile::tempdir().unwrap();
    let unwritable = dir.path().join("no-such-dir/m.json");
    for (args, words) in [
        (vec!["tests/fixtures/does-not-exist.csv"], "cannot read"),
        (vec![SAMPLE, "--from", "2024-13"], "--from"),
        (vec![SAMPLE, "--from", "2025", "--to", "2024"], "after"),
        (vec![SAMPLE, "--out", "m.txt"], "--format"),
        (
            vec![SAMPLE, "--out", unwritable.to_str().unwrap()],
            "no-such-dir",
        ),
        (vec![SAMPLE, "--format", "xml"], "xml"),
    ] {
        let out = metrics(&args);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {stderr}");
        assert!(out.stdout.is_empty(), "{args:?}");
        assert!(stderr.contains(words), "{args:?}: {stderr}");
    }
    assert!(!std::path::Path::new("m.txt").exists());
}

#[test]
fn convert_writes_the_network_as_gexf_with_spells_and_metrics() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("net.gexf");
    let out = relmap()
        .arg("convert")
        .arg(fixture(GDELT))
        .arg(&path)
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let gexf = std::fs::read_to_string(&path).unwrap();
    assert!(gexf.starts_with("<?xml"));
    assert!(gexf.contains("defaultedgetype=\"undirected\""));
    // Every tied actor of `relmap metrics`, plus actors whose events have no second actor;
    // every tie.
    let report = json_of(&metrics(&[GDELT]));
    let nodes = gexf.matches("<node ").count();
    let edges = gexf.matches("<edge ").count();
    assert!(
        nodes >= report["actors"].as_array().unwrap().len(),
        "{nodes}"
    );
    assert_eq!(edges as u64, report["ties"].as_u64().unwrap());
    assert!(gexf.matches("<spell ").count() >= nodes + edges);
    let top = report["actors"][0]["name"].as_str().unwrap();
    let node = &gexf[gexf.find(&format!("label=\"{top}\"")).unwrap()..];
    let node = &node[..node.find("</node>").unwrap()];
    let pagerank = report["actors"][0]["pagerank"].as_f64().unwrap();
    // Attribute 8 is pagerank (see src/export/gexf.rs).
    let value = node.split("for=\"8\" value=\"").nth(1).unwrap();
    let value: f64 = value[..value.find('"').unwrap()].parse().unwrap();
    assert!(
        (value - pagerank).abs() <= 1e-12 * pagerank,
        "{value} vs {pagerank}"
    );
}

#[test]
fn grouped_gdelt_gives_the_raw_files_metrics_as_csv_and_parquet() {
    let raw = json_of(&metrics(&[GDELT]));
    for grouped in [
        "tests/fixtures/aggregates/gdelt2_grouped.csv",
        "tests/fixtures/aggregates/gdelt2_grouped.snappy.parquet",
    ] {
        let report = json_of(&metrics(&[grouped]));
        assert_eq!(report["events"], raw["events"], "{grouped}");
        assert_eq!(report["ties"], raw["ties"], "{grouped}");
        let by_name =
            |r: &serde_json::Value| -> std::collections::BTreeMap<String, serde_json::Value> {
                r["actors"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|a| (a["name"].as_str().unwrap().to_string(), a.clone()))
                    .collect()
            };
        let (want, got) = (by_name(&raw), by_name(&report));
        assert_eq!(
            want.keys().collect::<Vec<_>>(),
            got.keys().collect::<Vec<_>>()
        );
        for (name, w) in &want {
            for metric in [
                "degree",
                "weighted_degree",
                "betweenness",
                "closeness",
                "pagerank",
            ] {
                let (a, b) = (
                    w[metric].as_f64().unwrap(),
                    got[name][metric].as_f64().unwrap(),
                );
                assert!(
                    (a - b).abs() <= 1e-6 * a.abs().max(1e-9),
                    "{grouped}: {name} {metric}: {b} vs {a}"
                );
            }
        }
    }
}
