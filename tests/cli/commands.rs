//! The `relmap stats` command as scripts use it: JSON on stdout, exit codes, messages.

use std::path::PathBuf;
use std::process::Command;

fn relmap() -> Command {
    Command::new(env!("CARGO_BIN_EXE_relmap"))
}

fn fixture(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(name)
}

fn stats(path: &str) -> (i32, serde_json::Value, String) {
    let out = relmap().arg("stats").arg(fixture(path)).output().unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout).to_string();
    let json = serde_json::from_str(&stdout).unwrap_or(serde_json::Value::Null);
    (
        out.status.code().unwrap_or(-1),
        json,
        String::from_utf8_lossy(&out.stderr).to_string(),
    )
}

#[test]
fn stats_of_the_bundled_sample_csv_and_json_agree() {
    let (code, csv, _) = stats("assets/sample/belarus-iran.csv");
    assert_eq!(code, 0);
    assert_eq!(csv["format"], "csv");
    assert_eq!(csv["events"], 17);
    assert_eq!(csv["first"], "1993");
    assert_eq!(csv["last"], "2025-03-14");
    assert_eq!(csv["skipped"], 0);
    let (code, json, _) = stats("assets/sample/belarus-iran.json");
    assert_eq!(code, 0);
    assert_eq!(json["format"], "json");
    for key in ["events", "actors", "first", "last", "skipped"] {
        assert_eq!(csv[key], json[key], "{key}");
    }
}

#[test]
fn stats_count_the_events_of_aggregates_and_name_their_rows() {
    let (code, s, _) = stats("tests/fixtures/aggregates/native_counts.csv");
    assert_eq!(code, 0);
    assert_eq!(s["events"], 78);
    assert_eq!(s["rows"], 6);
    let (code, s, _) = stats("tests/fixtures/aggregates/gdelt2_grouped.gzip.parquet");
    assert_eq!(code, 0, "{s}");
    let (_, raw, _) = stats("tests/fixtures/gdelt2_20191024143000.export.CSV");
    assert_eq!(s["events"], raw["events"]);
    assert_eq!(s["actors"], raw["actors"]);
    assert!(raw.get("rows").is_none(), "plain files keep their summary");
    let (code, _, stderr) = stats("tests/fixtures/aggregates/zstd.parquet");
    assert_eq!(code, 2);
    assert!(stderr.contains("zstd.parquet"), "{stderr}");
    assert!(
        stderr.contains("ZSTD-compressed Parquet is not supported; export with SNAPPY or GZIP"),
        "{stderr}"
    );
}

#[test]
fn stats_lists_bad_rows_with_line_and_column_and_keeps_good_ones() {
    let (code, s, _) = stats("tests/fixtures/bad_rows.csv");
    assert_eq!(code, 0);
    assert_eq!(s["events"], 2);
    assert_eq!(s["skipped"], 2);
    assert_eq!(s["first"], "2024-05");
    assert_eq!(s["last"], "2024-05-13");
    let errors = s["errors"].as_array().unwrap();
    assert_eq!(errors[0]["line"], 3);
    assert_eq!(errors[0]["column"], 1);
    assert!(errors[0]["message"].as_str().unwrap().contains("month 13"));
    assert_eq!(errors[1]["line"], 4);
    assert_eq!(errors[1]["column"], 2);
}

#[test]
fn stats_reads_spreadsheet_csv_and_json_with_a_bad_event() {
    let (code, s, _) = stats("tests/fixtures/spreadsheet.csv");
    assert_eq!(code, 0, "{s}");
    assert_eq!(s["events"], 3);
    assert_eq!(s["actors"], 2, "Беларусь is Belarus, Иран is Iran: {s}");
    let (code, s, _) = stats("tests/fixtures/bad_event.json");
    assert_eq!(code, 0);
    assert_eq!(s["events"], 2);
    assert_eq!(s["errors"][0]["line"], 4);
    assert_eq!(s["errors"][0]["column"], 14);
}

#[test]
fn stats_exits_2_with_one_line_naming_the_file_when_nothing_is_readable() {
    for (file, words) in [
        ("tests/fixtures/empty.csv", "empty"),
        ("tests/fixtures/header_only.csv", "no rows"),
        ("tests/fixtures/binary.bin", "binary"),
        ("tests/fixtures/does-not-exist.csv", "cannot read"),
    ] {
        let (code, json, stderr) = stats(file);
        assert_eq!(code, 2, "{file}");
        assert_eq!(json, serde_json::Value::Null, "{file}: nothing on stdout");
        assert_eq!(stderr.trim().lines().count(), 1, "{file}: {stderr}");
        assert!(
            stderr.contains(file.rsplit('/').next().unwrap()),
            "{stderr}"
        );
        assert!(stderr.contains(words), "{file}: {stderr}");
        assert!(!stderr.contains("panicked"));
    }
}

#[test]
fn format_can_be_forced() {
    let out = relmap()
        .args(["stats", "--format", "json"])
        .arg(fixture("assets/sample/belarus-iran.csv"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("not a relmap JSON document"));
}

#[test]
fn stats_reads_the_real_gdelt_icews_and_made_up_acled_files() {
    let cases = [
        (
            "tests/fixtures/gdelt2_20191024143000.export.CSV",
            "gdelt2",
            2111,
            "2018-10-24",
            "2019-10-24",
        ),
        (
            "tests/fixtures/gdelt1_events_sample_mixed57_58.tsv",
            "gdelt1",
            710,
            "1982-01-02",
            "2016-07-28",
        ),
        (
            "tests/fixtures/icews_events.2018.sample.tab",
            "icews",
            3705,
            "2018-06-01",
            "2018-06-02",
        ),
        (
            "tests/fixtures/acled_made_up.csv",
            "acled",
            4,
            "2024-08",
            "2024-11-05",
        ),
    ];
    for (file, format, events, first, last) in cases {
        let (code, s, stderr) = stats(file);
        assert_eq!(code, 0, "{file}: {stderr}");
        assert_eq!(s["format"], format, "{file}");
        assert_eq!(s["events"], events, "{file}");
        assert_eq!(s["first"], first, "{file}");
        assert_eq!(s["last"], last, "{file}");
    }
    let (_, acled, _) = stats("tests/fixtures/acled_made_up.csv");
    assert_eq!(acled["skipped"], 1);
    assert_eq!(acled["errors"][0]["line"], 5);
    assert!(
        acled["errors"][0]["message"]
            .as_str()
            .unwrap()
            .contains("February")
    );
}

#[test]
fn a_mapping_reads_any_csv() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("other.csv");
    std::fs::write(
        &path,
        "When\tWho\tWith whom\n2024-05-01\tBelarus\tIran\n2024-05-02\tIran\t\n",
    )
    .unwrap();
    let out = relmap()
        .args(["stats", "--map", "date=When,actor1=Who,actor2=With whom"])
        .arg(&path)
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let s: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(s["events"], 2);
    assert_eq!(s["actors"], 2);
    let out = relmap()
        .args(["stats", "--map", "date=Nope,actor1=Who"])
        .arg(&path)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("Nope"));
}

#[test]
fn render_writes_an_svg_and_a_png_of_the_map() {
    let dir = tempfile::tempdir().unwrap();
    let svg = dir.path().join("map.svg");
    let out = relmap()
        .args(["render", "assets/sample/belarus-iran.csv", "--out"])
        .arg(&svg)
        .args(["--size", "900x600", "--to", "2024"])
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = std::fs::read_to_string(&svg).unwrap();
    assert!(text.starts_with("<svg") || text.starts_with("<?xml"));
    assert!(text.contains("Belarus"), "country label in the SVG");
    // Events of 2025 are outside the window: the 2025 minister is not drawn.
    assert!(!text.contains("Aziz Nasirzadeh"));

    let png = dir.path().join("map.png");
    let out = relmap()
        .args([
            "render",
            "assets/sample/belarus-iran.csv",
            "--layout",
            "geo",
            "--theme",
            "dark",
            "--size",
            "800x500",
            "--out",
        ])
        .arg(&png)
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    // --size is the picture's size in pixels, as every image tool means it.
    assert_eq!(png_size(&png), (800, 500));
}

#[test]
fn render_of_a_workspace_draws_its_notes() {
    let dir = tempfile::tempdir().unwrap();
    let workspace = dir.path().join("noted.relmap");
    let out = relmap()
        .args(["convert", "assets/sample/belarus-iran.csv"])
        .arg(&workspace)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let mut json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&workspace).unwrap()).unwrap();
    assert_eq!(json["version"], 2);
    json["view"]["notes"] = serde_json::json!([
        {"actor": "Belarus", "text": "Lead country of the briefing"},
        {"tie": ["Aziz Nasirzadeh", "Viktar Khrenin"], "text": "Protocol text not public"},
    ]);
    std::fs::write(&workspace, json.to_string()).unwrap();
    let svg = dir.path().join("map.svg");
    let out = relmap()
        .arg("render")
        .arg(&workspace)
        .arg("--out")
        .arg(&svg)
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = std::fs::read_to_string(&svg).unwrap();
    assert!(text.contains("Lead country of the briefing"), "{text}");
    assert!(text.contains("Protocol text not public"), "{text}");
}

/// Width and height from a PNG's IHDR chunk.
fn png_size(path: &std::path::Path) -> (u32, u32) {
    let bytes = std::fs::read(path).unwrap();
    assert_eq!(&bytes[1..4], b"PNG");
    let width = u32::from_be_bytes(bytes[16..20].try_into().unwrap());
    let height = u32::from_be_bytes(bytes[20..24].try_into().unwrap());
    (width, height)
}

#[test]
fn render_scale_keeps_the_pixel_size_and_enlarges_the_drawing() {
    let dir = tempfile::tempdir().unwrap();
    let render = |name: &str, scale: &str| {
        let out_path = dir.path().join(name);
        let out = relmap()
            .args([
                "render",
                "assets/sample/belarus-iran.csv",
                "--size",
                "1200x800",
            ])
            .args(["--scale", scale, "--out"])
            .arg(&out_path)
            .output()
            .unwrap();
        assert_eq!(
            out.status.code(),
            Some(0),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        out_path
    };
    assert_eq!(png_size(&render("one.png", "1")), (1200, 800));
    assert_eq!(png_size(&render("two.png", "2")), (1200, 800));
    assert_eq!(png_size(&render("seven.png", "7")), (1200, 800));
    // The SVG says its size in pixels and lays the map out at SIZE / SCALE points.
    let svg = std::fs::read_to_string(render("two.svg", "2")).unwrap();
    assert!(
        svg.contains(r#"width="1200" height="800" viewBox="0 0 600 400""#),
        "{}",
        &svg[..svg.len().min(300)]
    );
}

#[test]
fn render_fails_clearly_on_bad_arguments() {
    let dir = tempfile::tempdir().unwrap();
    let cases: [(&[&str], &str); 4] = [
        (&["--out", "x.gif"], "must end in .svg or .png"),
        (&["--from", "2024-13-01"], "--from"),
        (&["--size", "10x10"], "64 to 16384"),
        (&["--scale", "0"], "0.25 to 8"),
    ];
    for (args, expected) in cases {
        let out = relmap()
            .current_dir(dir.path())
            .args(["render"])
            .arg(fixture_path("assets/sample/belarus-iran.csv"))
            .args(if args.contains(&"--out") {
                &[][..]
            } else {
                &["--out", "m.svg"][..]
            })
            .args(args)
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains(expected), "{args:?}: {err}");
    }
    let out = relmap()
        .args(["render", "no/such/file.csv", "--out"])
        .arg(dir.path().join("m.svg"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(
        !dir.path().join("m.svg").exists(),
        "nothing written on failure"
    );
}

fn fixture_path(name: &str) -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(name)
}

#[test]
fn convert_writes_no_theme_into_a_workspace() {
    // A theme is the user's setting, not data.
    let dir = tempfile::tempdir().unwrap();
    let out_path = dir.path().join("sample.relmap");
    let out = relmap()
        .args(["convert", "assets/sample/belarus-iran.csv"])
        .arg(&out_path)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let text = std::fs::read_to_string(&out_path).unwrap();
    assert!(!text.to_lowercase().contains("theme"), "{text:.400}");
}

#[test]
fn stats_actors_lists_each_actor_with_kind_country_and_why() {
    let out = relmap()
        .args(["stats", "--actors"])
        .arg(fixture("tests/fixtures/ucdp_ged_syria_excerpt.csv"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let lines: Vec<serde_json::Value> = String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let (_, summary, _) = stats("tests/fixtures/ucdp_ged_syria_excerpt.csv");
    assert_eq!(summary["format"], "ucdp");
    assert_eq!(lines.len() as u64, summary["actors"].as_u64().unwrap());
    let is = lines.iter().find(|l| l["name"] == "IS").unwrap();
    assert_eq!(is["kind"], "group");
    assert_eq!(is["country"], "");
    assert_eq!(
        is["why"],
        "UCDP side_a: a group; no country guessed from its name"
    );
    assert!(lines.iter().all(|l| l["iso3"] != "ISL"));
    let syria = lines.iter().find(|l| l["name"] == "Syria").unwrap();
    assert_eq!(syria["kind"], "country");
    assert_eq!(
        syria["why"],
        "UCDP side_a 'Government of Syria', pattern 'Government of X': whole name is a country name"
    );
}

#[test]
fn stats_reads_several_files_and_archives_as_one_dataset() {
    let dir = tempfile::tempdir().unwrap();
    let export = std::fs::read(fixture("tests/fixtures/gdelt2_20191024143000.export.CSV")).unwrap();
    let zip_path = dir.path().join("20191024143000.export.CSV.zip");
    {
        use std::io::Write as _;
        let mut zip = zip::ZipWriter::new(std::fs::File::create(&zip_path).unwrap());
        zip.start_file(
            "20191024143000.export.CSV",
            zip::write::SimpleFileOptions::default(),
        )
        .unwrap();
        zip.write_all(&export).unwrap();
        zip.finish().unwrap();
    }
    let out = relmap()
        .arg("stats")
        .arg(&zip_path)
        .arg(fixture(
            "tests/fixtures/gdelt1_events_sample_mixed57_58.tsv",
        ))
        .arg(fixture("tests/fixtures/bad_rows.csv"))
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let s: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let (_, bad, _) = stats("tests/fixtures/bad_rows.csv");
    let bad_events = bad["events"].as_u64().unwrap();
    assert_eq!(s["events"].as_u64().unwrap(), 2111 + 710 + bad_events);
    assert_eq!(s["first"], "1982-01-02");
    assert_eq!(s["last"], bad["last"], "bad_rows.csv has the latest events");
    assert_eq!(s["skipped"], bad["skipped"]);
    let first = &s["errors"][0];
    assert!(
        first["file"].as_str().unwrap().ends_with("bad_rows.csv"),
        "{first}"
    );
    assert_eq!(first["line"], bad["errors"][0]["line"]);

    // The same through convert: one native file of all the events.
    let out_csv = dir.path().join("all.csv");
    let out = relmap()
        .arg("convert")
        .arg(&zip_path)
        .arg(fixture(
            "tests/fixtures/gdelt1_events_sample_mixed57_58.tsv",
        ))
        .arg(&out_csv)
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stderr).contains("wrote 2821 events"));
}

#[test]
fn stats_refuses_a_gdelt_mentions_file_in_one_short_line() {
    let (code, json, stderr) =
        stats("tests/fixtures/gdelt2_20170701234500.translation.mentions.CSV");
    assert_eq!(code, 2);
    assert_eq!(json, serde_json::Value::Null);
    assert_eq!(stderr.trim().lines().count(), 1);
    assert!(
        stderr.contains("a GDELT 2.0 mentions file, not an events file"),
        "{stderr}"
    );
    assert!(stderr.len() < 300, "{stderr}");
}

#[test]
fn stats_reads_a_bigquery_csv_export_of_gdelt() {
    let (code, s, stderr) = stats("tests/fixtures/gdelt2_bigquery_export.csv");
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(s["format"], "gdelt2");
    assert_eq!(s["events"], 40);
    assert_eq!(s["skipped"], 0);
}

#[test]
fn presets_are_saved_listed_and_used_with_an_at_sign() {
    let config = tempfile::tempdir().unwrap();
    let run = |args: &[&str], file: Option<&std::path::Path>| {
        let mut cmd = relmap();
        cmd.env("RELMAP_CONFIG_DIR", config.path()).args(args);
        if let Some(f) = file {
            cmd.arg(f);
        }
        let out = cmd.output().unwrap();
        (
            out.status.code().unwrap_or(-1),
            String::from_utf8_lossy(&out.stdout).to_string(),
            String::from_utf8_lossy(&out.stderr).to_string(),
        )
    };
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("parts.csv");
    std::fs::write(
        &path,
        "y;m;d;a;b;c\n2021;4;0;Belarus;Army;Belarus\n2021;0;0;Iran;Navy;Iran\n",
    )
    .unwrap();
    let (code, _, err) = run(
        &[
            "presets",
            "save",
            "mine",
            "date=y+m+d,actor1=a,actor2=b,actor2_country=c",
        ],
        None,
    );
    assert_eq!(code, 0, "{err}");
    assert!(config.path().join("mapping-presets.json").exists());
    let (code, list, _) = run(&["presets"], None);
    assert_eq!(code, 0);
    assert!(
        list.contains("@mine\tdate=y+m+d,actor1=a,actor2=b,actor2_country=c"),
        "{list}"
    );
    assert!(list.contains("@gtd\t") && list.contains("@phoenix\t") && list.contains("@ucdp\t"));
    let (code, out, err) = run(&["stats", "--map", "@mine"], Some(&path));
    assert_eq!(code, 0, "{err}");
    let s: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(s["events"], 2);
    assert_eq!(s["first"], "2021");
    assert_eq!(s["last"], "2021-04");
    let (code, _, err) = run(&["stats", "--map", "@nope"], Some(&path));
    assert_eq!(code, 2);
    assert!(err.contains("no mapping preset 'nope'"), "{err}");
    assert_eq!(run(&["presets", "delete", "mine"], None).0, 0);
    assert_eq!(run(&["presets", "delete", "mine"], None).0, 2);
}

#[test]
fn a_gtd_file_needs_no_map_and_a_sheet_is_chosen_after_a_colon() {
    let (code, s, err) = stats("tests/fixtures/gtd_made_up.csv");
    assert_eq!(code, 0, "{err}");
    assert_eq!(s["events"], 4);
    assert_eq!(s["first"], "2015");
    let (code, s, err) = stats("tests/fixtures/workbook_made_up.xlsx:ACLED");
    assert_eq!(code, 0, "{err}");
    assert_eq!(s["format"], "acled");
}
