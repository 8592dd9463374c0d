//! The on-disk event index: an index of files gives the same events, actors, pairs and
//! details as loading the files; appending equals building at once; a changed source is a
//! warning; a damaged index is refused with a message.

use std::io::Write as _;
use std::path::{Path, PathBuf};

use relmap::index::{BuildOptions, build_index, open_index};
use relmap::io::{LoadOptions, Progress, load_paths};
use relmap::model::{Dataset, EventId};

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(name)
}

/// Copies fixtures into a temporary folder (so that tests may change them).
fn copies(dir: &Path, names: &[&str]) -> Vec<PathBuf> {
    names
        .iter()
        .map(|name| {
            let to = dir.join(Path::new(name).file_name().unwrap());
            std::fs::copy(fixture(name), &to).unwrap();
            to
        })
        .collect()
}

fn build(inputs: &[PathBuf], out: &Path, append: bool) -> relmap::index::BuildReport {
    build_in_runs(inputs, out, append, None)
}

/// A build whose runs hold `run_events` events (`None`: the default, no spill for these
/// small files).
fn build_in_runs(
    inputs: &[PathBuf],
    out: &Path,
    append: bool,
    run_events: Option<usize>,
) -> relmap::index::BuildReport {
    let options = BuildOptions {
        load: LoadOptions::default(),
        append,
        run_events,
    };
    build_index(inputs, out, &options, &Progress::new(), &mut |_| {}).unwrap()
}

/// The names of the files in `dir`, sorted.
fn names_in(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    v.sort();
    v
}

fn actor_names(ds: &Dataset, e: EventId) -> Vec<String> {
    ds.actors_of(e)
        .iter()
        .map(|&a| ds.actors.get(a).name.clone())
        .collect()
}

/// Every event of `a` equals `b`'s at the same position: dates, actors, type, class,
/// count, and the details (read from the source rows for an index).
fn assert_same_events(a: &Dataset, b: &Dataset) {
    assert_eq!(a.len(), b.len());
    assert_eq!(a.event_total(), b.event_total());
    assert_eq!(a.actors.len(), b.actors.len());
    assert_eq!(a.pairs.len(), b.pairs.len());
    for (id, actor) in a.actors.iter() {
        assert_eq!(actor, b.actors.get(id));
    }
    assert_eq!(a.start, b.start);
    assert_eq!(a.end, b.end);
    assert_eq!(a.class, b.class);
    assert_eq!(a.by_end, b.by_end);
    for e in 0..a.len() as EventId {
        assert_eq!(actor_names(a, e), actor_names(b, e), "event {e}");
        assert_eq!(a.pairs_of(e), b.pairs_of(e));
        assert_eq!(a.type_name(e), b.type_name(e));
        assert_eq!(a.multiplicity(e), b.multiplicity(e));
        assert_eq!(a.title(e), b.title(e), "event {e}");
        assert_eq!(a.location(e), b.location(e), "event {e}");
        assert_eq!(a.url(e), b.url(e), "event {e}");
        assert_eq!(a.line(e), b.line(e), "event {e}");
        assert_eq!(a.file_of(e).is_some(), b.file_of(e).is_some());
        assert_eq!(a.end_date_of(e), b.end_date_of(e));
        let (x, y) = (a.lat_lon(e), b.lat_lon(e));
        assert_eq!(x, y, "event {e}");
        assert_eq!(a.source_count(e), b.source_count(e));
        assert_eq!(a.intensity(e).to_bits(), b.intensity(e).to_bits());
    }
}

#[test]
fn an_index_gives_the_events_actors_and_details_of_the_files() {
    let dir = tempfile::tempdir().unwrap();
    let inputs = copies(
        dir.path(),
        &[
            "tests/fixtures/gdelt2_20191024143000.export.CSV",
            "assets/sample/belarus-iran.csv",
            "tests/fixtures/icews_events.2018.sample.tab",
            "tests/fixtures/acled_made_up.csv",
            "tests/fixtures/aggregates/native_counts.csv",
            "tests/fixtures/gdelt2_bigquery_export.csv",
        ],
    );
    let out = dir.path().join("all.relidx");
    let report = build(&inputs, &out, false);
    let raw = load_paths(&inputs, &LoadOptions::default(), &Progress::new()).unwrap();
    assert_eq!(report.rows, raw.dataset.len() as u64);
    let opened = open_index(&out, &Progress::new()).unwrap();
    assert!(opened.warnings.is_empty(), "{:?}", opened.warnings);
    assert!(opened.dataset.details_on_demand());
    assert_same_events(&opened.dataset, &raw.dataset);
}

#[test]
fn compressed_and_json_sources_read_their_details_whole() {
    let dir = tempfile::tempdir().unwrap();
    let plain = copies(dir.path(), &["assets/sample/belarus-iran.json"]);
    let gz = dir.path().join("gdelt.CSV.gz");
    let mut encoder = flate2::write::GzEncoder::new(
        std::fs::File::create(&gz).unwrap(),
        flate2::Compression::fast(),
    );
    encoder
        .write_all(
            &std::fs::read(fixture("tests/fixtures/gdelt2_20191024143000.export.CSV")).unwrap(),
        )
        .unwrap();
    encoder.finish().unwrap();
    let inputs = vec![plain[0].clone(), gz];
    let out = dir.path().join("mixed.relidx");
    build(&inputs, &out, false);
    let raw = load_paths(&inputs, &LoadOptions::default(), &Progress::new()).unwrap();
    let opened = open_index(&out, &Progress::new()).unwrap();
    assert_same_events(&opened.dataset, &raw.dataset);
    // A stored source that changed: a warning, and the details stay as indexed.
    std::fs::write(&inputs[1], b"gone").unwrap();
    let opened = open_index(&out, &Progress::new()).unwrap();
    assert_eq!(opened.warnings.len(), 1, "{:?}", opened.warnings);
    assert!(opened.warnings[0].1.contains("stored details stay"));
    assert_same_events(&opened.dataset, &raw.dataset);
}

#[test]
fn a_zip_of_several_members_keeps_each_member_and_appends_its_details() {
    let dir = tempfile::tempdir().unwrap();
    let zip_path = dir.path().join("two.zip");
    let mut zip = zip::ZipWriter::new(std::fs::File::create(&zip_path).unwrap());
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    for name in [
        "tests/fixtures/gdelt2_20191024143000.export.CSV",
        "tests/fixtures/icews_events.2018.sample.tab",
    ] {
        zip.start_file(
            Path::new(name).file_name().unwrap().to_str().unwrap(),
            options,
        )
        .unwrap();
        zip.write_all(&std::fs::read(fixture(name)).unwrap())
            .unwrap();
    }
    zip.finish().unwrap();
    let csv = copies(dir.path(), &["assets/sample/belarus-iran.csv"]);
    let out = dir.path().join("z.relidx");
    build(std::slice::from_ref(&zip_path), &out, false);
    // Appending keeps the stored details of the zip's rows where they were.
    build(&csv, &out, true);
    let inputs = vec![zip_path, csv[0].clone()];
    let raw = load_paths(&inputs, &LoadOptions::default(), &Progress::new()).unwrap();
    let opened = open_index(&out, &Progress::new()).unwrap();
    assert_same_events(&opened.dataset, &raw.dataset);
    let ds = &opened.dataset;
    let members: std::collections::BTreeSet<String> = (0..ds.len() as EventId)
        .filter_map(|e| ds.file_of(e))
        .map(|p| p.file_name().unwrap().to_string_lossy().into_owned())
        .collect();
    assert_eq!(members.len(), 3, "{members:?}");
}

#[test]
fn appending_equals_building_at_once_and_skips_what_is_there() {
    let dir = tempfile::tempdir().unwrap();
    let inputs = copies(
        dir.path(),
        &[
            "tests/fixtures/gdelt2_20191024143000.export.CSV",
            "assets/sample/belarus-iran.csv",
            "tests/fixtures/icews_events.2018.sample.tab",
        ],
    );
    let whole = dir.path().join("whole.relidx");
    build(&inputs, &whole, false);
    let parts = dir.path().join("parts.relidx");
    build(&inputs[..1], &parts, true);
    let report = build(&inputs[1..], &parts, true);
    assert_eq!(report.added, 2);
    let again = build(&inputs[..1], &parts, true);
    assert_eq!(again.added, 0);
    assert!(
        again.warnings[0].contains("already in the index"),
        "{:?}",
        again.warnings
    );
    let a = open_index(&whole, &Progress::new()).unwrap().dataset;
    let b = open_index(&parts, &Progress::new()).unwrap().dataset;
    assert_same_events(&a, &b);
}

#[test]
fn a_changed_source_is_a_warning_and_the_events_stay() {
    let dir = tempfile::tempdir().unwrap();
    let inputs = copies(dir.path(), &["assets/sample/belarus-iran.csv"]);
    let out = dir.path().join("s.relidx");
    build(&inputs, &out, false);
    let before = open_index(&out, &Progress::new()).unwrap().dataset;
    let mut f = std::fs::OpenOptions::new()
        .append(true)
        .open(&inputs[0])
        .unwrap();
    writeln!(f, "2025-04-01,Belarus,Iran,meet,Added later,,,,,").unwrap();
    drop(f);
    let opened = open_index(&out, &Progress::new()).unwrap();
    assert_eq!(opened.warnings.len(), 1);
    assert!(
        opened.warnings[0]
            .1
            .contains("changed since the index was built")
    );
    assert_eq!(opened.dataset.len(), before.len());
    assert!(opened.dataset.title(0).contains("details unavailable"));

    // Same size, other bytes (and a later time of change): the hash says so.
    let inputs = copies(
        dir.path(),
        &["tests/fixtures/gdelt2_20191024143000.export.CSV"],
    );
    build(&inputs, &out, false);
    let mut bytes = std::fs::read(&inputs[0]).unwrap();
    let at = bytes.len() - 10;
    bytes[at] = if bytes[at] == b'x' { b'y' } else { b'x' };
    std::thread::sleep(std::time::Duration::from_millis(20));
    std::fs::write(&inputs[0], &bytes).unwrap();
    let opened = open_index(&out, &Progress::new()).unwrap();
    assert_eq!(opened.warnings.len(), 1, "{:?}", opened.warnings);
    assert!(opened.warnings[0].1.contains("same size, other bytes"));
}

#[test]
fn a_small_index_can_be_edited_its_details_read_into_memory() {
    let dir = tempfile::tempdir().unwrap();
    let inputs = copies(dir.path(), &["assets/sample/belarus-iran.csv"]);
    let out = dir.path().join("s.relidx");
    build(&inputs, &out, false);
    let mut ds = open_index(&out, &Progress::new()).unwrap().dataset;
    let title = ds.title(3).to_string();
    let raw = load_paths(&inputs, &LoadOptions::default(), &Progress::new())
        .unwrap()
        .dataset;
    ds.materialise_details();
    assert!(!ds.details_on_demand());
    assert_same_events(&ds, &raw);
    assert_eq!(ds.title(3), title);
}

#[test]
fn a_damaged_index_is_refused_with_a_message() {
    let dir = tempfile::tempdir().unwrap();
    let inputs = copies(
        dir.path(),
        &["tests/fixtures/gdelt2_20191024143000.export.CSV"],
    );
    let out = dir.path().join("g.relidx");
    build(&inputs, &out, false);
    let bytes = std::fs::read(&out).unwrap();
    // Cut short.
    let cut = dir.path().join("cut.relidx");
    std::fs::write(&cut, &bytes[..bytes.len() / 2]).unwrap();
    let err = open_index(&cut, &Progress::new()).unwrap_err();
    assert!(err.message.contains("damaged index"), "{}", err.message);
    // A newer version.
    let mut newer = bytes.clone();
    newer[8] = 9;
    let path = dir.path().join("newer.relidx");
    std::fs::write(&path, &newer).unwrap();
    let err = open_index(&path, &Progress::new()).unwrap_err();
    assert!(err.message.contains("newer relmap"), "{}", err.message);
    // Bytes flipped in every column: refused or read, never a panic.
    for at in (bytes.len() / 3..bytes.len()).step_by(bytes.len() / 40 + 1) {
        let mut damaged = bytes.clone();
        damaged[at] ^= 0xff;
        damaged[at.saturating_sub(1)] ^= 0x7f;
        std::fs::write(&path, &damaged).unwrap();
        if let Ok(opened) = open_index(&path, &Progress::new()) {
            let ds = opened.dataset;
            for e in 0..ds.len().min(50) as EventId {
                let _ = ds.title(e);
                let _ = ds.actors_of(e);
            }
        }
    }
    // Not an index at all.
    let err = open_index(&inputs[0], &Progress::new()).unwrap_err();
    assert!(
        err.message.contains("not a relmap index"),
        "{}",
        err.message
    );
}

#[test]
fn a_bad_input_fails_the_build_and_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("x.relidx");
    let options = BuildOptions::default();
    let err = build_index(
        &[fixture("tests/fixtures/binary.bin")],
        &out,
        &options,
        &Progress::new(),
        &mut |_| {},
    )
    .unwrap_err();
    assert!(err.contains("binary.bin"), "{err}");
    assert!(!out.exists());
}

#[test]
fn a_cancelled_build_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let inputs = copies(dir.path(), &["assets/sample/belarus-iran.csv"]);
    let out = dir.path().join("c.relidx");
    let progress = Progress::new();
    progress.cancel();
    let err = build_index(
        &inputs,
        &out,
        &BuildOptions::default(),
        &progress,
        &mut |_| {},
    )
    .unwrap_err();
    assert!(err.contains("cancelled"), "{err}");
    assert!(!out.exists());
    // No temporary file is left beside it either.
    let left: Vec<_> = std::fs::read_dir(dir.path()).unwrap().collect();
    assert_eq!(left.len(), 1, "{left:?}");
}

/// Fixtures of every kind: plain text (rows read back), gzip (details stored), a zip of two
/// members, aggregated rows (multiplicities), in a temporary folder.
fn every_kind(dir: &Path) -> Vec<PathBuf> {
    let mut inputs = copies(
        dir,
        &[
            "tests/fixtures/gdelt2_20191024143000.export.CSV",
            "assets/sample/belarus-iran.csv",
            "tests/fixtures/aggregates/native_counts.csv",
            "tests/fixtures/icews_events.2018.sample.tab",
        ],
    );
    let gz = dir.join("acled.csv.gz");
    let mut encoder = flate2::write::GzEncoder::new(
        std::fs::File::create(&gz).unwrap(),
        flate2::Compression::fast(),
    );
    encoder
        .write_all(&std::fs::read(fixture("tests/fixtures/acled_made_up.csv")).unwrap())
        .unwrap();
    encoder.finish().unwrap();
    inputs.insert(2, gz);
    let zip_path = dir.join("two.zip");
    let mut zip = zip::ZipWriter::new(std::fs::File::create(&zip_path).unwrap());
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    for name in [
        "tests/fixtures/gdelt2_bigquery_export.csv",
        "assets/sample/belarus-iran.json",
    ] {
        zip.start_file(
            Path::new(name).file_name().unwrap().to_str().unwrap(),
            options,
        )
        .unwrap();
        zip.write_all(&std::fs::read(fixture(name)).unwrap())
            .unwrap();
    }
    zip.finish().unwrap();
    inputs.push(zip_path);
    inputs
}

#[test]
fn a_build_in_spilled_runs_equals_one_sorted_in_memory() {
    let dir = tempfile::tempdir().unwrap();
    let inputs = every_kind(dir.path());
    let whole = dir.path().join("whole.relidx");
    let report = build(&inputs, &whole, false);
    assert!(report.rows > 5_000, "{report:?}");
    // Runs of 1, 7 and 1,000 events: runs cut inside files, one run per row, and a few.
    for run_events in [1, 7, 1000] {
        let runs = dir.path().join(format!("runs-{run_events}.relidx"));
        let spilled = build_in_runs(&inputs, &runs, false, Some(run_events));
        assert_eq!(spilled, report);
        // The same bytes: same layout, same events in the same order, same pair ids.
        assert!(
            std::fs::read(&whole).unwrap() == std::fs::read(&runs).unwrap(),
            "runs of {run_events} events"
        );
    }
    let raw = load_paths(&inputs, &LoadOptions::default(), &Progress::new()).unwrap();
    let opened = open_index(&dir.path().join("runs-7.relidx"), &Progress::new()).unwrap();
    assert_same_events(&opened.dataset, &raw.dataset);
    // No temporary file is left.
    let mut expected: Vec<String> = inputs
        .iter()
        .map(|p| p.file_name().unwrap().to_string_lossy().into_owned())
        .collect();
    expected.extend(
        [
            "runs-1.relidx",
            "runs-1000.relidx",
            "runs-7.relidx",
            "whole.relidx",
        ]
        .map(String::from),
    );
    expected.sort();
    assert_eq!(names_in(dir.path()), expected);
}

#[test]
fn appending_in_spilled_runs_equals_building_at_once() {
    let dir = tempfile::tempdir().unwrap();
    let inputs = every_kind(dir.path());
    let whole = dir.path().join("whole.relidx");
    build(&inputs, &whole, false);
    let parts = dir.path().join("parts.relidx");
    // The first files in runs of 50 events, then the others appended in runs of 3, then
    // one more without spilling: the index appended to is one more run each time.
    build_in_runs(&inputs[..3], &parts, true, Some(50));
    build_in_runs(&inputs[3..5], &parts, true, Some(3));
    let report = build(&inputs[5..], &parts, true);
    assert_eq!(report.added, 1);
    assert!(std::fs::read(&whole).unwrap() == std::fs::read(&parts).unwrap());
    let raw = load_paths(&inputs, &LoadOptions::default(), &Progress::new()).unwrap();
    let opened = open_index(&parts, &Progress::new()).unwrap();
    assert_same_events(&opened.dataset, &raw.dataset);
}

#[test]
fn a_build_cancelled_or_failed_after_spilling_leaves_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let inputs = every_kind(dir.path());
    let before = names_in(dir.path());
    let out = dir.path().join("c.relidx");
    let options = BuildOptions {
        run_events: Some(10),
        ..BuildOptions::default()
    };
    // Cancelled after the first file (runs spilled), and when the merge starts.
    for when in ["rows so far", "merging"] {
        let progress = Progress::new();
        let mut steps = Vec::new();
        let err = build_index(&inputs, &out, &options, &progress, &mut |step| {
            steps.push(step.to_string());
            if step.contains(when) {
                progress.cancel();
            }
        })
        .unwrap_err();
        assert!(err.contains("cancelled"), "{err}");
        assert!(steps.iter().any(|s| s.contains(when)), "{steps:?}");
        assert_eq!(names_in(dir.path()), before, "cancelled at {when}");
    }
    // A file that does not read, after two that spilled runs.
    let mut bad = inputs[..2].to_vec();
    bad.push(fixture("tests/fixtures/binary.bin"));
    let err = build_index(&bad, &out, &options, &Progress::new(), &mut |_| {}).unwrap_err();
    assert!(err.contains("binary.bin"), "{err}");
    assert_eq!(names_in(dir.path()), before);
    // Appending, cancelled while merging: the index stays as it was.
    build_in_runs(&inputs[..2], &out, false, Some(10));
    let index = std::fs::read(&out).unwrap();
    let progress = Progress::new();
    let append = BuildOptions {
        append: true,
        ..options.clone()
    };
    let err = build_index(&inputs[2..], &out, &append, &progress, &mut |step| {
        if step.contains("merging") {
            progress.cancel();
        }
    })
    .unwrap_err();
    assert!(err.contains("cancelled"), "{err}");
    assert!(std::fs::read(&out).unwrap() == index);
    let mut with_index = before.clone();
    with_index.push("c.relidx".into());
    with_index.sort();
    assert_eq!(names_in(dir.path()), with_index);
}

#[test]
fn appending_to_a_damaged_index_is_refused_naming_it() {
    let dir = tempfile::tempdir().unwrap();
    let inputs = copies(
        dir.path(),
        &[
            "tests/fixtures/gdelt2_20191024143000.export.CSV",
            "assets/sample/belarus-iran.csv",
        ],
    );
    let out = dir.path().join("d.relidx");
    build(&inputs[..1], &out, false);
    let bytes = std::fs::read(&out).unwrap();
    // The section table: find the event actors (id 10) and the start days (id 2).
    let place = |id: u32| {
        let count = u32::from_le_bytes(bytes[12..16].try_into().unwrap()) as usize;
        (0..count)
            .map(|k| &bytes[16 + 24 * k..16 + 24 * (k + 1)])
            .find(|e| u32::from_le_bytes(e[0..4].try_into().unwrap()) == id)
            .map(|e| u64::from_le_bytes(e[8..16].try_into().unwrap()) as usize)
            .unwrap()
    };
    for (id, value, why) in [
        (10u32, u32::MAX, "actor"),
        (2, i32::MAX as u32, "date order"),
    ] {
        let mut damaged = bytes.clone();
        let at = place(id);
        damaged[at..at + 4].copy_from_slice(&value.to_le_bytes());
        std::fs::write(&out, &damaged).unwrap();
        let options = BuildOptions {
            append: true,
            run_events: Some(100),
            ..BuildOptions::default()
        };
        let err =
            build_index(&inputs[1..], &out, &options, &Progress::new(), &mut |_| {}).unwrap_err();
        assert!(err.contains("d.relidx"), "{err}");
        assert!(err.contains("damaged index") && err.contains(why), "{err}");
        assert!(std::fs::read(&out).unwrap() == damaged);
    }
}

#[test]
fn a_first_row_standing_for_several_events_keeps_its_count() {
    // Its first row counts 57 events: the index used to keep it as one (22 events, not 78).
    let dir = tempfile::tempdir().unwrap();
    let inputs = copies(dir.path(), &["tests/fixtures/aggregates/native_counts.csv"]);
    let out = dir.path().join("n.relidx");
    build(&inputs, &out, false);
    let raw = load_paths(&inputs, &LoadOptions::default(), &Progress::new()).unwrap();
    assert_eq!(raw.dataset.event_total(), 78);
    let opened = open_index(&out, &Progress::new()).unwrap();
    assert_same_events(&opened.dataset, &raw.dataset);
}
