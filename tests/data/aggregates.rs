//! Aggregates (a `count` column: a row that stands for several events) in native CSV and
//! JSON, GDELT-named CSV (what `relmap sql` writes) and Parquet: every counter sums the
//! counts, round trips keep them, the grouped GDELT file gives the raw file's events and
//! actors, Parquet reads as its CSV does, and a damaged Parquet file is a message.

use std::collections::BTreeMap;
use std::io::Write as _;
use std::path::{Path, PathBuf};

use relmap::analysis::WindowGraph;
use relmap::io::{FormatChoice, LoadError, LoadOptions, Loaded, Progress, load_bytes, load_path};
use relmap::model::{BinUnit, Dataset, EventFilter, TimeWindow, WindowCounts, day_number};
use relmap::session::{Document, TimelineGroups};

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

fn try_load(path: &Path) -> Result<Loaded, LoadError> {
    load_path(
        path,
        &LoadOptions::format(FormatChoice::Auto),
        &Progress::new(),
    )
}

fn load(name: &str) -> Loaded {
    try_load(&fixture(name)).unwrap_or_else(|e| panic!("{e}"))
}

const NATIVE_CSV: &str = "aggregates/native_counts.csv";
const NATIVE_JSON: &str = "aggregates/native_counts.json";
const NATIVE_PARQUET: &str = "aggregates/native_counts.parquet";
const GDELT_RAW: &str = "gdelt2_20191024143000.export.CSV";
const GDELT_GROUPED: &str = "aggregates/gdelt2_grouped.csv";
const GDELT_SNAPPY: &str = "aggregates/gdelt2_grouped.snappy.parquet";
const GDELT_GZIP: &str = "aggregates/gdelt2_grouped.gzip.parquet";

fn pair_total(ds: &Dataset, counts: &WindowCounts, a: &str, b: &str) -> u32 {
    let (a, b) = (ds.actors.find(a).expect(a), ds.actors.find(b).expect(b));
    ds.pairs
        .iter()
        .position(|&p| p == (a.min(b), a.max(b)))
        .map_or(0, |p| counts.pair_events[p])
}

#[test]
fn native_csv_counts_sum_in_every_counter() {
    let loaded = load(NATIVE_CSV);
    let ds = &loaded.dataset;
    assert_eq!(ds.len(), 6);
    assert!(
        loaded.diagnostics.errors.is_empty(),
        "{:?}",
        loaded.diagnostics
    );
    // 57 + 3 + 1 (empty count) + 12 + 1 + 4.
    assert_eq!(ds.event_total(), 78);
    assert_eq!(ds.events_label(), "78 events in 6 rows");

    // The window and the tie weights.
    let counts = WindowCounts::full(ds, TimeWindow::all(ds));
    assert_eq!(counts.events, 78);
    assert_eq!(pair_total(ds, &counts, "Belarus", "Iran"), 57 + 1 + 12);
    let belarus = ds.actors.find("Belarus").unwrap();
    assert_eq!(counts.actor_events[belarus as usize], 57 + 1 + 12 + 1);
    let march = WindowCounts::full(
        ds,
        TimeWindow::new(day_number(2025, 3, 1), day_number(2025, 3, 31)),
    );
    assert_eq!(march.events, 60);

    // Metrics: the graph's tie weights are events.
    let graph = WindowGraph::of_window(ds, TimeWindow::all(ds), EventFilter::all());
    let node = graph.node_of(belarus).unwrap();
    assert_eq!(graph.weighted_degrees()[node as usize], 71.0);

    // The timeline's bars, as the window shows them.
    let mut doc = Document::new("counts".into(), None, load(NATIVE_CSV));
    doc.ensure_timeline_counts(TimelineGroups::Classes);
    let year = |y: i32| {
        doc.timeline_counts
            .total(BinUnit::Year, day_number(y, 1, 1), day_number(y + 1, 1, 1))
    };
    assert_eq!((year(2024), year(2025)), (14, 64));
    let month = |y: i32, m: u8| {
        let from = day_number(y, m, 1);
        doc.timeline_counts
            .total(BinUnit::Month, from, BinUnit::Month.next(from))
    };
    // March 2025: 57 + 3 within; the year-dated 2024 event is not there.
    assert_eq!(month(2025, 3), 60);
}

#[test]
fn native_json_counts_and_round_trips_keep_them() {
    let json = load(NATIVE_JSON).dataset;
    assert_eq!(json.len(), 4);
    assert_eq!(json.event_total(), 57 + 3 + 1 + 12);

    let csv = load(NATIVE_CSV).dataset;
    let all: Vec<u32> = (0..csv.len() as u32).collect();
    for (ds, name) in [(&csv, "x.csv"), (&json, "x.json")] {
        let all: Vec<u32> = (0..ds.len() as u32).collect();
        let mut written = Vec::new();
        if name.ends_with(".csv") {
            relmap::io::write::write_native_csv(ds, &all, &mut written, b',').unwrap();
            assert!(
                String::from_utf8_lossy(&written)
                    .lines()
                    .next()
                    .unwrap()
                    .ends_with(",count")
            );
        } else {
            relmap::io::write::write_native_json(ds, &all, &mut written).unwrap();
        }
        let back = load_bytes(&written, Path::new(name), &LoadOptions::default())
            .unwrap()
            .dataset;
        assert_eq!(events(&back), events(ds), "{name}");
    }
    // The workspace embeds native JSON: the counts come back with it.
    let text = relmap::workspace::to_json(
        &csv,
        relmap::workspace::DataChoice::Embed,
        &Default::default(),
    )
    .unwrap();
    assert!(
        text.contains("\"count\":57"),
        "{}",
        &text[..text.len().min(400)]
    );
    assert_eq!(all.len(), 6);
}

/// Each event as text (date, actors, type, place, source, counts), sorted: what two reads of
/// the same rows must agree on.
fn events(ds: &Dataset) -> Vec<String> {
    let mut out: Vec<String> = (0..ds.len() as u32)
        .map(|e| {
            let actors: Vec<&str> = ds
                .actors_of(e)
                .iter()
                .map(|&a| ds.actors.get(a).name.as_str())
                .collect();
            let r = ds.record[e as usize] as usize;
            format!(
                "{} {:?} {} {:?} {} {:?} {} ×{} src{} int{}",
                ds.date_of(e),
                actors,
                ds.type_name(e),
                ds.class[e as usize],
                ds.location(e),
                ds.lat_lon(e),
                ds.url(e),
                ds.multiplicity(e),
                ds.records.source_count[r],
                ds.records.intensity[r],
            )
        })
        .collect();
    out.sort();
    out
}

/// Events per actor name, aggregates counted as their events.
fn events_by_actor(ds: &Dataset) -> BTreeMap<String, (u64, String, Option<String>)> {
    let mut out = BTreeMap::new();
    for line in relmap::cli::actor_lines(ds) {
        out.insert(
            line.name.to_string(),
            (
                line.events,
                line.kind.to_string(),
                Some(line.iso3.to_string()),
            ),
        );
    }
    out
}

#[test]
fn grouped_gdelt_gives_the_raw_files_events_and_actors() {
    let raw = load(GDELT_RAW).dataset;
    let grouped = load(GDELT_GROUPED);
    let ds = &grouped.dataset;
    assert!(matches!(
        grouped.format,
        relmap::io::Format::Gdelt1 | relmap::io::Format::Gdelt2
    ));
    assert!(ds.len() < raw.len(), "the file is grouped");
    assert_eq!(ds.event_total(), raw.event_total());
    assert_eq!(events_by_actor(ds), events_by_actor(&raw));
    // Tie weights by actor names.
    let ties = |d: &Dataset| -> BTreeMap<(String, String), u32> {
        let counts = WindowCounts::full(d, TimeWindow::all(d));
        d.pairs
            .iter()
            .zip(&counts.pair_events)
            .map(|(&(a, b), &n)| {
                let (x, y) = (&d.actors.get(a).name, &d.actors.get(b).name);
                ((x.min(y).clone(), x.max(y).clone()), n)
            })
            .collect()
    };
    assert_eq!(ties(ds), ties(&raw));
}

#[test]
fn parquet_reads_as_its_csv() {
    let csv = load(GDELT_GROUPED);
    for name in [GDELT_SNAPPY, GDELT_GZIP] {
        let parquet = load(name);
        assert_eq!(parquet.format, csv.format, "{name}");
        assert_eq!(parquet.dataset.len(), csv.dataset.len(), "{name}");
        assert_eq!(events(&parquet.dataset), events(&csv.dataset), "{name}");
        assert_eq!(
            events_by_actor(&parquet.dataset),
            events_by_actor(&csv.dataset)
        );
        assert!(
            parquet.diagnostics.errors.is_empty(),
            "{:?}",
            parquet.diagnostics
        );
        assert_eq!(
            parquet.dataset.source.as_deref(),
            Some(fixture(name).as_path())
        );
    }
    let native = load(NATIVE_PARQUET);
    assert_eq!(native.format, relmap::io::Format::Csv);
    assert_eq!(events(&native.dataset), events(&load(NATIVE_CSV).dataset));
}

#[test]
fn parquet_inside_a_zip_and_under_another_name() {
    let bytes = std::fs::read(fixture(GDELT_SNAPPY)).unwrap();
    let dir = tempfile::tempdir().unwrap();
    // Told by its magic, whatever its name.
    let renamed = dir.path().join("result.bin");
    std::fs::write(&renamed, &bytes).unwrap();
    let direct = load(GDELT_SNAPPY).dataset;
    assert_eq!(
        events(&try_load(&renamed).unwrap().dataset),
        events(&direct)
    );
    let zipped = dir.path().join("result.zip");
    let mut zip = zip::ZipWriter::new(std::fs::File::create(&zipped).unwrap());
    zip.start_file(
        "result/grouped.parquet",
        zip::write::SimpleFileOptions::default(),
    )
    .unwrap();
    zip.write_all(&bytes).unwrap();
    zip.finish().unwrap();
    let loaded = try_load(&zipped).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(events(&loaded.dataset), events(&direct));
}

#[test]
fn a_damaged_parquet_file_is_a_message_naming_it() {
    let bytes = std::fs::read(fixture(GDELT_SNAPPY)).unwrap();
    let dir = tempfile::tempdir().unwrap();
    // Cut short: the directory at the end is gone.
    let cut = dir.path().join("cut.parquet");
    std::fs::write(&cut, &bytes[..bytes.len() / 2]).unwrap();
    let err = try_load(&cut).unwrap_err();
    assert!(err.to_string().contains("cut.parquet"), "{err}");
    assert!(err.message.contains("Parquet"), "{err}");
    // Named .parquet, but text.
    let text = dir.path().join("text.parquet");
    std::fs::write(&text, "date,actor1\n2024,Iran\n").unwrap();
    let err = try_load(&text).unwrap_err();
    assert!(err.message.contains("PAR1"), "{err}");
    // Pages overwritten: whatever is read, never a panic, and never silence about it.
    for at in [64usize, bytes.len() / 3, bytes.len() / 2] {
        let mut broken = bytes.clone();
        for b in &mut broken[at..at + 200] {
            *b = 0xA5;
        }
        let path = dir.path().join(format!("broken-{at}.parquet"));
        std::fs::write(&path, &broken).unwrap();
        match try_load(&path) {
            Err(err) => assert!(err.message.contains("Parquet"), "{err}"),
            Ok(loaded) => assert!(
                !loaded.diagnostics.errors.is_empty(),
                "damage at {at} went unreported"
            ),
        }
    }
    // A codec relmap does not unpack: says how to export instead.
    let err = try_load(&fixture("aggregates/zstd.parquet")).unwrap_err();
    assert!(
        err.message
            .contains("ZSTD-compressed Parquet is not supported; export with SNAPPY or GZIP"),
        "{err}"
    );
}

#[test]
fn exports_and_edits_keep_the_counts() {
    let ds = load(NATIVE_CSV).dataset;
    let mut gexf = Vec::new();
    relmap::export::gexf::write_gexf(&ds, &mut gexf).unwrap();
    let gexf = String::from_utf8(gexf).unwrap();
    assert!(gexf.contains("weight=\"70\""), "Belarus–Iran: 57 + 1 + 12");
    // An edit rebuilds the event columns: the aggregates stay aggregates.
    let mut edited = ds.clone();
    let keep = edited.actors.find("Viktar Khrenin").unwrap();
    let merged = edited.actors.find("Aziz Nasirzadeh").unwrap();
    relmap::model::Edit::Merge { keep, merged }
        .apply(&mut edited)
        .unwrap();
    assert_eq!(edited.event_total(), ds.event_total());
    let protocol = (0..edited.len() as u32)
        .find(|&e| edited.url(e) == "https://example.org/protocol")
        .unwrap();
    assert_eq!(edited.multiplicity(protocol), 57);
}
