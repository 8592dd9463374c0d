//! Column mapping presets and Excel workbooks, read as the app and the CLI read files.

use std::path::{Path, PathBuf};

use relmap::io::{self, Format, FormatChoice, LoadOptions, Progress};

fn fixture(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

fn load(path: &Path) -> io::Loaded {
    io::load_path(path, &LoadOptions::default(), &Progress::new())
        .unwrap_or_else(|e| panic!("{e} {:?}", e.errors))
}

fn dates(ds: &relmap::model::Dataset) -> Vec<String> {
    (0..ds.len() as u32)
        .map(|e| ds.date_of(e).to_string())
        .collect()
}

#[test]
fn a_gtd_file_opens_with_the_shipped_preset_and_keeps_date_precision() {
    let loaded = load(&fixture("gtd_made_up.csv"));
    let ds = &loaded.dataset;
    assert_eq!(loaded.format, Format::Csv);
    // imonth 0 → the year; iday 0 → the month; the row with month 13 is skipped.
    assert_eq!(dates(ds), ["2015", "2015-01-14", "2015-03", "2016-02-29"]);
    let errors: Vec<(u32, u32)> = loaded
        .diagnostics
        .errors
        .iter()
        .map(|d| (d.line, d.column))
        .collect();
    assert_eq!(errors, [(5, 3)], "{:?}", loaded.diagnostics.errors);
    assert!(loaded.diagnostics.errors[0].message.contains("month 13"));
    assert!(
        loaded.diagnostics.warnings[0].message.contains("@gtd"),
        "{:?}",
        loaded.diagnostics.warnings
    );
    // The perpetrator group belongs to the country of its attack; the target's nationality
    // is the other side.
    let group = ds.actors.find("Northern Test Front").unwrap();
    let iraq = ds.actors.find("Iraq").unwrap();
    assert_eq!(ds.actors.get(group).affiliation, Some(iraq));
    assert!(ds.actors.find("Japan").is_some());
    assert_eq!(ds.type_name(1), "Armed Assault");
}

#[test]
fn a_preset_given_by_name_reads_a_file_with_renamed_columns() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("renamed.csv");
    std::fs::write(
        &path,
        "iyear,imonth,iday,perpetrator,natlty1_txt,country_txt,city,summary,latitude,longitude,attacktype1_txt\n\
         2019,7,0,Group X,Mali,Mali,Gao,made up,16.27,-0.04,Armed Assault\n",
    )
    .unwrap();
    let store = io::PresetStore::default();
    let mapping = store.resolve("@gtd,actor1=perpetrator").unwrap();
    let options = LoadOptions {
        format: FormatChoice::Auto,
        mapping: Some(mapping),
    };
    let loaded = io::load_path(&path, &options, &Progress::new()).unwrap();
    assert_eq!(dates(&loaded.dataset), ["2019-07"]);
    assert!(loaded.dataset.actors.find("Group X").is_some());
}

#[test]
fn the_first_sheet_of_a_workbook_reads_like_a_csv_with_iso_dates() {
    let path = fixture("workbook_made_up.xlsx");
    assert_eq!(
        io::xlsx::sheet_names(&path).unwrap(),
        ["Events", "ACLED", "Offset"]
    );
    let loaded = load(&path);
    let ds = &loaded.dataset;
    assert_eq!(loaded.format, Format::Csv);
    // A date cell, a date-and-time cell and a year stored as the number 2023 (not "2023.0").
    assert_eq!(dates(ds), ["2023", "2024-05-13", "2025-03-14"]);
    assert_eq!(ds.title(2), "Made-up: ministers sign a protocol");
    let bad: Vec<(u32, u32)> = loaded
        .diagnostics
        .errors
        .iter()
        .map(|d| (d.line, d.column))
        .collect();
    assert_eq!(bad, [(4, 1)], "the sheet's row 4, column A");
    assert_eq!(ds.source.as_deref(), Some(path.as_path()));
}

#[test]
fn a_chosen_sheet_goes_through_format_detection() {
    let path = fixture("workbook_made_up.xlsx");
    let mut named = path.clone().into_os_string();
    named.push(":ACLED");
    let loaded = load(Path::new(&named));
    assert_eq!(loaded.format, Format::Acled);
    assert_eq!(loaded.dataset.len(), 3);
    // Date cells became ISO dates; ACLED's time_precision 3 still keeps only the month.
    assert_eq!(
        dates(&loaded.dataset),
        ["2024-08", "2024-11-01", "2024-11-03"]
    );

    // A table that starts at C4: diagnostics name the sheet's own row and column.
    let mut offset = path.clone().into_os_string();
    offset.push(":Offset");
    let loaded = load(Path::new(&offset));
    assert_eq!(loaded.dataset.len(), 1);
    let d = &loaded.diagnostics.errors[0];
    assert_eq!((d.line, d.column), (6, 3), "{d:?}");

    let mut missing = path.into_os_string();
    missing.push(":Nope");
    let err = io::load_path(
        Path::new(&missing),
        &LoadOptions::default(),
        &Progress::new(),
    )
    .unwrap_err();
    assert!(
        err.message.contains("no sheet 'Nope'") && err.message.contains("ACLED"),
        "{}",
        err.message
    );
}

#[test]
fn workbook_bytes_are_recognised_without_a_file_name() {
    let bytes = std::fs::read(fixture("workbook_made_up.xlsx")).unwrap();
    let loaded = io::load_bytes(&bytes, Path::new("download"), &LoadOptions::default()).unwrap();
    assert_eq!(loaded.dataset.len(), 3);
    // A damaged workbook is an error naming the problem, not a panic.
    let mut broken = bytes.clone();
    broken.truncate(bytes.len() / 2);
    let err =
        io::load_bytes(&broken, Path::new("broken.xlsx"), &LoadOptions::default()).unwrap_err();
    assert!(err.message.contains("workbook"), "{}", err.message);
}
