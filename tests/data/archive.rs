//! Event data as analysts get it: zipped and gzipped files, several files read as one,
//! GDELT files with a header of GDELT's names (BigQuery exports, other tools), and GDELT's
//! non-event files. Archives are built here from the real fixtures; counts are checked
//! against reading the uncompressed file.

use std::io::Write;
use std::path::{Path, PathBuf};

use relmap::io::archive::list_zip;
use relmap::io::{FormatChoice, LoadOptions, Loaded, Progress, load_bytes, load_path, load_paths};

const GDELT2: &str = "tests/fixtures/gdelt2_20191024143000.export.CSV";
const GDELT1: &str = "tests/fixtures/gdelt1_events_sample_mixed57_58.tsv";
const MENTIONS: &str = "tests/fixtures/gdelt2_20170701234500.translation.mentions.CSV";
const BIGQUERY: &str = "tests/fixtures/gdelt2_bigquery_export.csv";

fn fixture(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(name)
}

fn bytes(name: &str) -> Vec<u8> {
    std::fs::read(fixture(name)).unwrap()
}

fn load(path: &Path) -> Result<Loaded, relmap::io::LoadError> {
    load_path(path, &LoadOptions::default(), &Progress::new())
}

/// Events, actors, skipped rows, first and last date: what must not change with packing.
fn summary(loaded: &Loaded) -> (usize, usize, usize, String, String) {
    let ds = &loaded.dataset;
    let (first, last) = ds.first_and_last_dates().unwrap();
    (
        ds.len(),
        ds.actors.len(),
        loaded.diagnostics.skipped,
        first.to_string(),
        last.to_string(),
    )
}

fn write_zip(path: &Path, members: &[(&str, &[u8])]) {
    let file = std::fs::File::create(path).unwrap();
    let mut zip = zip::ZipWriter::new(file);
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    for (name, data) in members {
        if name.ends_with('/') {
            zip.add_directory(name.trim_end_matches('/'), options)
                .unwrap();
        } else {
            zip.start_file(*name, options).unwrap();
            zip.write_all(data).unwrap();
        }
    }
    zip.finish().unwrap();
}

fn gzip(data: &[u8]) -> Vec<u8> {
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    encoder.write_all(data).unwrap();
    encoder.finish().unwrap()
}

#[test]
fn a_gzipped_export_reads_like_the_plain_file_with_progress_in_compressed_bytes() {
    let dir = tempfile::tempdir().unwrap();
    let gz = dir.path().join("20191024143000.export.CSV.gz");
    let packed = gzip(&bytes(GDELT2));
    std::fs::write(&gz, &packed).unwrap();
    let plain = load(&fixture(GDELT2)).unwrap();
    let progress = Progress::new();
    let loaded = load_path(&gz, &LoadOptions::default(), &progress).unwrap();
    assert_eq!(summary(&loaded), summary(&plain));
    assert_eq!(loaded.format, relmap::io::Format::Gdelt2);
    assert_eq!(loaded.dataset.source.as_deref(), Some(gz.as_path()));
    let (read, total, rows) = progress.snapshot();
    assert_eq!(total, packed.len() as u64, "total is the compressed size");
    assert_eq!(
        read, total,
        "every compressed byte was read, and counted once"
    );
    assert_eq!(rows, 2111);
    assert!(loaded.diagnostics.warnings.is_empty());

    // Told by its first bytes, not its name.
    let disguised = dir.path().join("events.tsv");
    std::fs::write(&disguised, &packed).unwrap();
    assert_eq!(summary(&load(&disguised).unwrap()), summary(&plain));
}

#[test]
fn a_gdelt_csv_zip_reads_like_the_plain_file() {
    let dir = tempfile::tempdir().unwrap();
    let zip = dir.path().join("20191024143000.export.CSV.zip");
    write_zip(&zip, &[("20191024143000.export.CSV", &bytes(GDELT2))]);
    let plain = load(&fixture(GDELT2)).unwrap();
    let loaded = load(&zip).unwrap();
    assert_eq!(summary(&loaded), summary(&plain));
    assert_eq!(loaded.format, relmap::io::Format::Gdelt2);
    // The archive read whole gives the same events again: a workspace may refer to it.
    assert_eq!(loaded.dataset.source.as_deref(), Some(zip.as_path()));
    assert_eq!(loaded.dataset.line(0), plain.dataset.line(0));
}

#[test]
fn a_zip_loads_its_event_members_and_names_those_it_skips() {
    let dir = tempfile::tempdir().unwrap();
    let zip = dir.path().join("gdelt.zip");
    let readme = b"GDELT event files\n\nThese files hold the events of two days.\n".as_slice();
    write_zip(
        &zip,
        &[
            ("data/", b""),
            ("data/20191024143000.export.CSV", &bytes(GDELT2)),
            (
                "__MACOSX/data/._20191024143000.export.CSV",
                b"\x00\x05\x16\x07junk",
            ),
            ("data/README.txt", readme),
            ("data/events-1.0.tsv", &bytes(GDELT1)),
            ("data/20170701234500.mentions.CSV", &bytes(MENTIONS)),
        ],
    );
    let members = list_zip(&zip).unwrap();
    let events: Vec<&str> = members
        .iter()
        .filter(|m| m.is_event_file())
        .map(|m| m.name.as_str())
        .collect();
    assert_eq!(
        events,
        ["data/20191024143000.export.CSV", "data/events-1.0.tsv"]
    );
    let mentions = members
        .iter()
        .find(|m| m.name.ends_with("mentions.CSV"))
        .unwrap();
    assert!(
        mentions
            .skip_reason
            .as_deref()
            .unwrap()
            .contains("mentions"),
        "{mentions:?}"
    );
    assert_eq!(members[1].size, bytes(GDELT2).len() as u64);
    assert_eq!(members[1].format, Some(relmap::io::Format::Gdelt2));

    let loaded = load(&zip).unwrap();
    let (two, one) = (
        load(&fixture(GDELT2)).unwrap(),
        load(&fixture(GDELT1)).unwrap(),
    );
    assert_eq!(loaded.dataset.len(), two.dataset.len() + one.dataset.len());
    assert!(
        loaded.dataset.actors.len() < two.dataset.actors.len() + one.dataset.actors.len(),
        "actors are interned across the members"
    );
    let skipped = &loaded.diagnostics.warnings;
    let note = skipped
        .iter()
        .find(|w| w.message.starts_with("skipped"))
        .unwrap();
    for name in ["README.txt", "__MACOSX", "mentions.CSV"] {
        assert!(note.message.contains(name), "{}", note.message);
    }
    assert!(!note.message.contains("data/ ("), "folders are not listed");
    assert_eq!(note.file.as_deref(), Some(zip.to_string_lossy().as_ref()));
    // Each event keeps its member and line.
    let ds = &loaded.dataset;
    let member_of = |e: u32| ds.file_of(e).unwrap().to_string_lossy().into_owned();
    let first_gdelt1 = (0..ds.len() as u32)
        .find(|&e| ds.date_of(e).to_string().starts_with("1982"))
        .unwrap();
    assert!(member_of(first_gdelt1).ends_with("gdelt.zip:data/events-1.0.tsv"));
    assert!(member_of(ds.len() as u32 - 1).ends_with(":data/20191024143000.export.CSV"));

    // One member alone.
    let member = PathBuf::from(format!("{}:data/events-1.0.tsv", zip.display()));
    let alone = load(&member).unwrap();
    assert_eq!(summary(&alone), summary(&one));
    assert_eq!(
        alone.dataset.source, None,
        "a member has no file of its own"
    );
    let by_base = PathBuf::from(format!("{}:events-1.0.tsv", zip.display()));
    assert_eq!(load(&by_base).unwrap().dataset.len(), one.dataset.len());
    let missing = PathBuf::from(format!("{}:nothing.CSV", zip.display()));
    let err = load(&missing).unwrap_err();
    assert!(err.message.contains("no member 'nothing.CSV'"), "{err}");
}

#[test]
fn damaged_archives_give_a_clear_message_and_keep_what_came_before() {
    let dir = tempfile::tempdir().unwrap();
    let data = bytes(GDELT2);

    // A zip cut short has lost its directory (at the end): nothing to read, no panic.
    let zip = dir.path().join("cut.export.CSV.zip");
    write_zip(&zip, &[("cut.export.CSV", &data)]);
    let whole = std::fs::read(&zip).unwrap();
    std::fs::write(&zip, &whole[..whole.len() / 2]).unwrap();
    let err = load(&zip).unwrap_err();
    assert!(err.message.contains("damaged or cut short"), "{err}");
    assert_eq!(err.to_string().lines().count(), 1);

    // A gzip cut short: the rows before the cut are read, the damage is reported.
    let packed = gzip(&data);
    let gz = dir.path().join("cut.CSV.gz");
    std::fs::write(&gz, &packed[..packed.len() / 2]).unwrap();
    let loaded = load(&gz).unwrap();
    let all = load(&fixture(GDELT2)).unwrap().dataset.len();
    assert!(
        loaded.dataset.len() > 100 && loaded.dataset.len() < all,
        "{}",
        loaded.dataset.len()
    );
    let damage = loaded
        .diagnostics
        .errors
        .iter()
        .find(|d| d.message.contains("damaged or cut short"))
        .expect("the damage is reported");
    assert_eq!((damage.line, damage.column), (0, 0));

    // Garbage in the middle of the deflate stream.
    let mut corrupt = packed.clone();
    let middle = corrupt.len() / 3;
    for b in &mut corrupt[middle..middle + 64] {
        *b = !*b;
    }
    std::fs::write(&gz, &corrupt).unwrap();
    match load(&gz) {
        Ok(loaded) => assert!(
            loaded
                .diagnostics
                .errors
                .iter()
                .any(|d| d.message.contains("damaged")),
            "{:?}",
            loaded.diagnostics.errors.first()
        ),
        Err(err) => assert!(err.message.contains("damaged"), "{err}"),
    }

    // Only a gzip header.
    std::fs::write(&gz, &packed[..12]).unwrap();
    let err = load(&gz).unwrap_err();
    assert!(err.message.contains("damaged or cut short"), "{err}");

    // Other compressions are named.
    std::fs::write(&gz, b"BZh91AY&SY\x00\x01").unwrap();
    let err = load(&gz).unwrap_err();
    assert!(err.message.contains("bzip2"), "{err}");
}

#[test]
fn several_files_are_one_dataset_with_files_named() {
    let paths = [
        fixture(GDELT2),
        fixture(GDELT1),
        fixture("tests/fixtures/bad_rows.csv"),
    ];
    let progress = Progress::new();
    let loaded = load_paths(&paths, &LoadOptions::default(), &progress).unwrap();
    let parts: Vec<Loaded> = paths.iter().map(|p| load(p).unwrap()).collect();
    let events: usize = parts.iter().map(|l| l.dataset.len()).sum();
    assert_eq!(loaded.dataset.len(), events);
    let skipped: usize = parts.iter().map(|l| l.diagnostics.skipped).sum();
    assert_eq!(loaded.diagnostics.skipped, skipped);
    // Diagnostics name their file; lines are the file's own.
    let bad = &parts[2].diagnostics.errors[0];
    let named = loaded
        .diagnostics
        .errors
        .iter()
        .find(|d| {
            d.file
                .as_deref()
                .is_some_and(|f| f.ends_with("bad_rows.csv"))
        })
        .unwrap();
    assert_eq!((named.line, named.column), (bad.line, bad.column));
    assert!(
        loaded.diagnostics.errors.iter().all(|d| d.file.is_some()),
        "every diagnostic names its file"
    );
    // Belarus of one file is Belarus of the other.
    let belarus: Vec<_> = loaded
        .dataset
        .actors
        .iter()
        .filter(|(_, a)| a.name == "Belarus")
        .collect();
    assert_eq!(belarus.len(), 1);
    // Each event keeps its file and line.
    let ds = &loaded.dataset;
    for e in 0..ds.len() as u32 {
        assert!(ds.file_of(e).is_some());
    }
    let (read, total, _) = progress.snapshot();
    let size: u64 = paths
        .iter()
        .map(|p| std::fs::metadata(p).unwrap().len())
        .sum();
    assert_eq!((read, total), (size, size));
    assert_eq!(loaded.dataset.source, None);

    // A file of the set that cannot be read is listed; the others still load.
    let with_missing = [fixture(GDELT2), fixture("tests/fixtures/nope.CSV")];
    let loaded = load_paths(&with_missing, &LoadOptions::default(), &Progress::new()).unwrap();
    assert_eq!(loaded.dataset.len(), parts[0].dataset.len());
    let missing = &loaded.diagnostics.errors[loaded.diagnostics.errors.len() - 1];
    assert!(missing.file.as_deref().unwrap().ends_with("nope.CSV"));
    assert!(missing.message.contains("cannot read"));

    // Cancelled: the whole set stops.
    let progress = Progress::new();
    progress.cancel();
    let err = load_paths(&paths, &LoadOptions::default(), &progress).unwrap_err();
    assert_eq!(err.message, "loading was cancelled");
}

/// The first `n` rows of the real GDELT 2.0 export, read as GDELT ships them.
fn export_rows(n: usize) -> Loaded {
    let text = String::from_utf8(bytes(GDELT2)).unwrap();
    let rows: Vec<&str> = text.lines().take(n).collect();
    load_bytes(
        rows.join("\n").as_bytes(),
        Path::new("rows.CSV"),
        &LoadOptions::default(),
    )
    .unwrap()
}

#[test]
fn a_bigquery_csv_export_reads_by_header_name() {
    let tab = export_rows(40);
    for format in [FormatChoice::Auto, FormatChoice::Gdelt] {
        let csv = load_path(
            &fixture(BIGQUERY),
            &LoadOptions::format(format),
            &Progress::new(),
        )
        .unwrap();
        assert_eq!(csv.format, relmap::io::Format::Gdelt2);
        assert_eq!(summary(&csv), summary(&tab));
        let ds = &csv.dataset;
        // Quoted fields with commas inside are one field.
        let minsk = (0..ds.len() as u32)
            .find(|&e| ds.location(e) == "Minsk, Belarus (general), Belarus")
            .expect("a quoted place name");
        assert_eq!(ds.lat_lon(minsk), Some((53.9, 27.5667)));
        assert!(ds.url(minsk).starts_with("https://"));
        assert!(ds.line(0) > 1, "line numbers count the header");
    }
}

/// Rewrites the BigQuery fixture with its columns in another order, some dropped and an
/// extra partition column, as `SELECT _PARTITIONTIME AS …, *` on
/// `gdeltv2.events_partitioned` with a column list would give.
fn reordered_partitioned() -> Vec<u8> {
    let original = bytes(BIGQUERY);
    let mut reader = csv::Reader::from_reader(original.as_slice());
    let header: Vec<String> = reader.headers().unwrap().iter().map(String::from).collect();
    let dropped = [
        "Actor1Geo_Lat",
        "Actor1Geo_Long",
        "MonthYear",
        "FractionDate",
    ];
    let mut order: Vec<usize> = (0..header.len())
        .filter(|&i| !dropped.contains(&header[i].as_str()))
        .collect();
    order.reverse();
    let mut out = csv::Writer::from_writer(Vec::new());
    let mut names = vec!["_PARTITIONTIME".to_string()];
    names.extend(order.iter().map(|&i| header[i].to_lowercase()));
    out.write_record(&names).unwrap();
    for record in reader.records() {
        let record = record.unwrap();
        let mut row = vec!["2019-10-24 00:00:00 UTC".to_string()];
        row.extend(order.iter().map(|&i| record[i].to_string()));
        out.write_record(&row).unwrap();
    }
    out.into_inner().unwrap()
}

#[test]
fn reordered_extra_and_missing_columns_are_read_by_name() {
    let text = reordered_partitioned();
    let loaded = load_bytes(&text, Path::new("bq.csv"), &LoadOptions::default()).unwrap();
    let tab = export_rows(40);
    assert_eq!(loaded.format, relmap::io::Format::Gdelt2);
    assert_eq!(summary(&loaded), summary(&tab));
    let (a, b) = (&loaded.dataset, &tab.dataset);
    for e in 0..a.len() as u32 {
        assert_eq!(a.url(e), b.url(e));
        assert_eq!(a.type_name(e), b.type_name(e));
        assert_eq!(a.lat_lon(e), b.lat_lon(e));
    }
}

#[test]
fn a_header_spelled_by_another_tool_is_gdelt() {
    // GDELT 1.0 rows (58 columns) under a tab header with other spellings of GDELT's names.
    let text = String::from_utf8(bytes(GDELT1)).unwrap();
    let rows: Vec<&str> = text
        .lines()
        .filter(|l| l.split('\t').count() == 58)
        .take(30)
        .collect();
    let names: Vec<String> = relmap::io::gdelt::GDELT2_COLUMNS
        .iter()
        .filter(|n| !n.ends_with("ADM2Code"))
        .map(|n| match *n {
            "GLOBALEVENTID" => "GlobalEventsID".to_string(),
            "SQLDATE" => "Day".to_string(),
            other => other.replace('_', ""),
        })
        .collect();
    assert_eq!(names.len(), 58);
    let file = format!("{}\n{}\n", names.join("\t"), rows.join("\n"));
    let headed = load_bytes(file.as_bytes(), Path::new("h.tsv"), &LoadOptions::default()).unwrap();
    let bare = load_bytes(
        rows.join("\n").as_bytes(),
        Path::new("b.tsv"),
        &LoadOptions::default(),
    )
    .unwrap();
    assert_eq!(headed.format, relmap::io::Format::Gdelt1);
    assert_eq!(summary(&headed), summary(&bare));
    assert_eq!(headed.dataset.url(0), bare.dataset.url(0));
    assert_eq!(headed.dataset.line(0), bare.dataset.line(0) + 1);
}

#[test]
fn clean_gdelt_1_rows_of_57_columns_give_no_warning() {
    let text = String::from_utf8(bytes(GDELT1)).unwrap();
    let rows: Vec<&str> = text
        .lines()
        .filter(|l| l.split('\t').count() == 57)
        .collect();
    assert_eq!(rows.len(), 201);
    let loaded = load_bytes(
        rows.join("\n").as_bytes(),
        Path::new("backfile.tsv"),
        &LoadOptions::default(),
    )
    .unwrap();
    assert_eq!(loaded.dataset.len(), 201);
    assert_eq!(
        loaded.diagnostics.warned,
        0,
        "{:?}",
        loaded.diagnostics.warnings.first()
    );
    // The whole mixed fixture is clean too.
    assert_eq!(load(&fixture(GDELT1)).unwrap().diagnostics.warned, 0);
}

#[test]
fn gdelt_files_that_are_not_events_get_a_short_refusal() {
    let gkg2_row = {
        // A GKG 2.1 row: GKGRECORDID, V2.1DATE, source collection, source, document,
        // then 22 more fields (counts, themes, locations, … several kilobytes in real files).
        let mut f = vec![
            "20150218230000-0".to_string(),
            "20150218230000".to_string(),
            "1".to_string(),
            "example.org".to_string(),
            "https://example.org/a".to_string(),
        ];
        f.extend((0..22).map(|i| format!("THEME_{i};").repeat(400)));
        f.join("\t")
    };
    let gkg1 = "DATE\tNUMARTS\tCOUNTS\tTHEMES\tLOCATIONS\tPERSONS\tORGANIZATIONS\tTONE\tCAMEOEVENTIDS\tSOURCES\tSOURCEURLS\n20150218\t1\t\tTAX_FNCACT;\t\t\t\t0,0,0,0,0,0\t\texample.org\thttps://example.org/a\n";
    let cases: Vec<(Vec<u8>, &str)> = vec![
        (bytes(MENTIONS), "a GDELT 2.0 mentions file, not an events file: open the matching .export.CSV"),
        (gkg2_row.into_bytes(), "GKG 2"),
        (gkg1.as_bytes().to_vec(), "GKG 1.0"),
        (
            b"GKGRECORDID\tV2.1DATE\tV2SOURCECOLLECTIONIDENTIFIER\n".to_vec(),
            "GKG 2",
        ),
        (
            // Mentions as pandas writes them (a header, commas).
            b"globaleventid,eventtimedate,mentiontimedate,mentiontype\n555924816,20160701210000,20170701234500,1\n".to_vec(),
            "mentions",
        ),
    ];
    for (data, words) in cases {
        for format in [FormatChoice::Auto, FormatChoice::Gdelt] {
            let err =
                load_bytes(&data, Path::new("x.CSV"), &LoadOptions::format(format)).unwrap_err();
            assert!(err.message.contains(words), "{words}: {}", err.message);
            assert!(err.message.len() < 160, "{}", err.message);
            assert_eq!(err.to_string().lines().count(), 1);
        }
    }
}

#[test]
fn no_detection_message_quotes_a_whole_row() {
    // A long first line that is nothing relmap knows: the message stays short.
    let line = "x".repeat(20_000);
    let data = format!("{line}\n{line}\n");
    let err = load_bytes(
        data.as_bytes(),
        Path::new("long.csv"),
        &LoadOptions::default(),
    )
    .unwrap_err();
    assert!(err.message.len() < 400, "{} bytes", err.message.len());
}
