//! `relmap extract`: an article in, candidate events out in native CSV or JSON that the
//! native readers take back, with confidence and sentence offsets; bad input exits 2.

use std::path::PathBuf;
use std::process::Command;

fn relmap() -> Command {
    Command::new(env!("CARGO_BIN_EXE_relmap"))
}

fn fixture(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(name)
}

const ARTICLE: &str = "tests/fixtures/articles/dev-black-sea-talks.txt";

#[test]
fn extract_writes_native_csv_with_confidence_and_sentence_offsets() {
    let out = relmap()
        .args(["extract", "--format", "csv"])
        .arg(fixture(ARTICLE))
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = std::fs::read_to_string(fixture(ARTICLE)).unwrap();
    let mut reader = csv::Reader::from_reader(out.stdout.as_slice());
    let header: Vec<String> = reader.headers().unwrap().iter().map(String::from).collect();
    assert_eq!(&header[..3], ["date", "end_date", "actor1"]);
    assert_eq!(
        &header[header.len() - 3..],
        ["confidence", "sentence_start", "sentence_end"]
    );
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert!(rows.len() >= 3, "{rows:?}");
    let column = |name: &str| header.iter().position(|h| h == name).unwrap();
    for row in &rows {
        let confidence: f32 = row[column("confidence")].parse().unwrap();
        assert!((0.0..=1.0).contains(&confidence));
        let start: usize = row[column("sentence_start")].parse().unwrap();
        let end: usize = row[column("sentence_end")].parse().unwrap();
        let sentence: String = text.chars().skip(start).take(end - start).collect();
        // The title is the sentence; the offsets point at it in the input.
        assert_eq!(
            sentence.split_whitespace().collect::<Vec<_>>().join(" "),
            row[column("title")]
        );
        assert!(!row[column("type")].is_empty() && !row[column("class")].is_empty());
    }
    // The dateline gives the publication day; "on Thursday" is the day before.
    assert!(
        rows.iter().any(|r| &r[column("date")] == "2024-11-07"
            && &r[column("actor1")] == "Hakan Fidan"
            && &r[column("actor1_country")] == "Türkiye"),
        "{rows:?}"
    );
}

#[test]
fn extract_output_reads_back_as_native_csv_and_json() {
    let dir = tempfile::tempdir().unwrap();
    for format in ["csv", "json"] {
        let out_path = dir.path().join(format!("events.{format}"));
        let out = relmap()
            .args([
                "extract",
                "--format",
                format,
                "--date",
                "2024-11-08",
                "--out",
            ])
            .arg(&out_path)
            .arg(fixture(ARTICLE))
            .output()
            .unwrap();
        assert_eq!(
            out.status.code(),
            Some(0),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let stats = relmap().arg("stats").arg(&out_path).output().unwrap();
        let json: serde_json::Value = serde_json::from_slice(&stats.stdout).unwrap();
        assert_eq!(json["format"], format);
        assert_eq!(json["skipped"], 0, "{json}");
        assert!(json["events"].as_u64().unwrap() >= 3, "{json}");
    }
    let doc: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.path().join("events.json")).unwrap())
            .unwrap();
    let event = &doc["events"][0];
    assert!(event["confidence"].as_f64().is_some());
    assert!(event["sentence_start"].as_u64().is_some() && event["sentence_end"].as_u64().is_some());
    assert_eq!(doc["publication_date"], "2024-11-08");
}

#[test]
fn extract_without_a_date_uses_today_and_warns() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("undated.txt");
    std::fs::write(&path, "France condemned Russia on Monday.\n").unwrap();
    let out = relmap().arg("extract").arg(&path).output().unwrap();
    assert_eq!(out.status.code(), Some(0));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("undated.txt") && stderr.contains("today"),
        "{stderr}"
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("France"));
}

#[test]
fn extract_fails_with_exit_2_and_a_line_naming_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let article = fixture(ARTICLE);
    let cases: Vec<(Vec<String>, &str)> = vec![
        (
            vec![
                fixture("tests/fixtures/articles/missing.txt")
                    .display()
                    .to_string(),
            ],
            "missing.txt",
        ),
        (
            vec![fixture("tests/fixtures/binary.bin").display().to_string()],
            "binary.bin",
        ),
        (
            vec![
                article.display().to_string(),
                "--date".into(),
                "March 2024".into(),
            ],
            "dev-black-sea-talks.txt",
        ),
        (
            vec![
                article.display().to_string(),
                "--out".into(),
                dir.path()
                    .join("no/such/folder/out.csv")
                    .display()
                    .to_string(),
            ],
            "out.csv",
        ),
    ];
    for (args, named) in cases {
        let out = relmap().arg("extract").args(&args).output().unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {stderr}");
        assert_eq!(stderr.trim().lines().count(), 1, "{stderr}");
        assert!(stderr.contains(named), "{stderr}");
        assert!(out.stdout.is_empty());
    }
}

#[test]
fn known_actors_are_found_by_name_with_their_kind_and_country() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("article.txt");
    std::fs::write(&path, "Khrenin met Nasirzadeh in Tehran on Monday.\n").unwrap();
    let out = relmap()
        .args(["extract", "--date", "2025-03-14", "--known"])
        .arg(fixture("assets/sample/belarus-iran.csv"))
        .arg(&path)
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.contains("2025-03-10,,Viktar Khrenin,person,Belarus,Aziz Nasirzadeh,person,Iran,"),
        "{stdout}"
    );
}
