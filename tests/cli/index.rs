//! `relmap index`: an index gives `stats` the events and actors of its files, every command
//! takes it, appending works, a changed source and a damaged index say so.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn relmap() -> Command {
    Command::new(env!("CARGO_BIN_EXE_relmap"))
}

fn fixture(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(name)
}

fn copy_to(dir: &Path, name: &str) -> PathBuf {
    let to = dir.join(Path::new(name).file_name().unwrap());
    std::fs::copy(fixture(name), &to).unwrap();
    to
}

fn stats_json(out: &Output) -> serde_json::Value {
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

#[test]
fn index_then_stats_equals_the_files_and_every_command_takes_it() {
    let dir = tempfile::tempdir().unwrap();
    let files = [
        copy_to(
            dir.path(),
            "tests/fixtures/gdelt2_20191024143000.export.CSV",
        ),
        copy_to(dir.path(), "tests/fixtures/icews_events.2018.sample.tab"),
    ];
    let index = dir.path().join("x.relidx");
    let out = relmap()
        .arg("index")
        .args(&files[..1])
        .arg("--out")
        .arg(&index)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stderr).contains("reading"));
    let out = relmap()
        .arg("index")
        .arg("--append")
        .args(&files[1..])
        .arg("--out")
        .arg(&index)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let raw = stats_json(&relmap().arg("stats").args(&files).output().unwrap());
    let indexed = stats_json(&relmap().arg("stats").arg(&index).output().unwrap());
    for key in ["format", "events", "actors", "first", "last", "skipped"] {
        assert_eq!(raw[key], indexed[key], "{key}");
    }
    let actors = |out: Output| String::from_utf8(out.stdout).unwrap();
    assert_eq!(
        actors(
            relmap()
                .args(["stats", "--actors"])
                .args(&files)
                .output()
                .unwrap()
        ),
        actors(
            relmap()
                .args(["stats", "--actors"])
                .arg(&index)
                .output()
                .unwrap()
        )
    );
    // Converting reads every event's details from its source row.
    let (a, b) = (dir.path().join("a.csv"), dir.path().join("b.csv"));
    let out = relmap()
        .arg("convert")
        .args(&files)
        .arg(&a)
        .output()
        .unwrap();
    assert!(out.status.success());
    let out = relmap()
        .arg("convert")
        .arg(&index)
        .arg(&b)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(std::fs::read(&a).unwrap(), std::fs::read(&b).unwrap());
    let svg = dir.path().join("m.svg");
    let out = relmap()
        .arg("render")
        .arg(&index)
        .arg("--out")
        .arg(&svg)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    // Metrics and films see the same network through the index as through the files.
    let metrics = |input: &[PathBuf]| {
        let out = relmap().arg("metrics").args(input).output().unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).unwrap()
    };
    assert_eq!(metrics(&files), metrics(std::slice::from_ref(&index)));
    let film = |input: &[PathBuf], name: &str| {
        let gif = dir.path().join(name);
        let out = relmap()
            .arg("animate")
            .args(input)
            .args(["--step", "month", "--size", "320x200", "--out"])
            .arg(&gif)
            .output()
            .unwrap();
        let said = String::from_utf8_lossy(&out.stderr).into_owned();
        assert!(out.status.success(), "{said}");
        assert!(std::fs::read(&gif).unwrap().starts_with(b"GIF89a"));
        // "wrote N frames …": the same frames either way.
        said.split_whitespace()
            .skip_while(|w| *w != "wrote")
            .nth(1)
            .map(str::to_owned)
            .unwrap_or_else(|| panic!("no frame count in {said:?}"))
    };
    assert_eq!(
        film(&files, "files.gif"),
        film(std::slice::from_ref(&index), "index.gif")
    );
}

#[test]
fn a_changed_source_warns_and_a_damaged_index_fails_with_exit_2() {
    let dir = tempfile::tempdir().unwrap();
    let file = copy_to(dir.path(), "assets/sample/belarus-iran.csv");
    let index = dir.path().join("s.relidx");
    let out = relmap()
        .arg("index")
        .arg(&file)
        .arg("--out")
        .arg(&index)
        .output()
        .unwrap();
    assert!(out.status.success());
    std::fs::write(&file, "date,actor1,actor2\n2025-01-01,A,B\n").unwrap();
    let out = relmap().arg("stats").arg(&index).output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("changed since the index was built"),
        "{stderr}"
    );
    assert_eq!(stats_json(&out)["events"], 17);
    let bytes = std::fs::read(&index).unwrap();
    std::fs::write(&index, &bytes[..bytes.len() - 10]).unwrap();
    let out = relmap().arg("stats").arg(&index).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("damaged index"), "{stderr}");
    let out = relmap()
        .arg("index")
        .arg(fixture("tests/fixtures/binary.bin"))
        .arg("--out")
        .arg(dir.path().join("b.relidx"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("binary.bin"));
}
