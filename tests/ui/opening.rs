//! Opening data: dropped files, the command line, the mapping dialog and presets, archives, several files, workbooks.

use super::*;

#[derive(Debug)]
struct DroppedPath(PathBuf);

impl egui::DroppedFile for DroppedPath {
    fn path(&self) -> &Path {
        &self.0
    }
    fn bytes(&self) -> Result<Vec<u8>, String> {
        std::fs::read(&self.0).map_err(|e| e.to_string())
    }
}

#[test]
fn a_dropped_file_opens_and_its_skipped_rows_are_listed() {
    let mut harness = app(Vec::new());
    harness
        .input_mut()
        .dropped_files
        .push(std::sync::Arc::new(DroppedPath(fixture(
            "tests/fixtures/bad_rows.csv",
        ))));
    harness.step();
    wait_until_loaded(&mut harness);
    let doc = harness.state().document().unwrap();
    assert_eq!(doc.name, "bad_rows.csv");
    assert_eq!(doc.dataset.len(), 2);
    harness.get_by_label("2 rows skipped, 0 warnings").click();
    harness.run_steps(3);
    harness.get_by_label_contains("month 13");
    harness.get_by_label("no actor");
    assert!(
        harness.state().recent_files()[0].ends_with("bad_rows.csv"),
        "the file joins the recent list"
    );
}

#[test]
fn a_file_on_the_command_line_opens_and_an_unreadable_one_says_why() {
    let harness = app(vec![fixture("tests/fixtures/bad_event.json")]);
    let doc = harness.state().document().unwrap();
    assert_eq!(doc.name, "bad_event.json");
    assert_eq!(doc.dataset.len(), 2);

    let harness = app(vec![fixture("tests/fixtures/header_only.csv")]);
    assert!(harness.state().document().is_none());
    let error = harness.state().error().unwrap();
    assert!(
        error.contains("header_only.csv") && error.contains("no rows"),
        "{error}"
    );
    // The window's title says what failed: the file was read, but it held no event.
    harness.get_by_label("No events could be read");

    let harness = app(vec![fixture("tests/fixtures/no_such_file.csv")]);
    assert_eq!(
        harness.state().error_title(),
        Some("Could not read the file")
    );
}

#[test]
fn a_csv_with_other_headers_opens_through_the_mapping_dialog() {
    let mut harness = app(vec![fixture("tests/fixtures/other_header.csv")]);
    assert!(harness.state().is_asking_for_a_mapping());
    assert!(harness.state().error().is_none(), "no error, a question");
    // The guess is shown: the date column and both actors are found from names and values.
    harness.get_by_label("Happened");
    harness.get_by_label("Open with this mapping").click();
    harness.step();
    wait_until_loaded(&mut harness);
    let doc = harness.state().document().expect("the file opened");
    assert_eq!(doc.name, "other_header.csv");
    assert_eq!(doc.dataset.len(), 2);
    assert_eq!(doc.dataset.type_name(0), "talks");
    assert!(has_node(&harness, "Pakistan"));
}

#[test]
fn the_mapping_dialog_builds_a_date_from_parts_and_feeds_one_column_to_two_fields() {
    use relmap::io::Field;
    let mut harness = app(vec![fixture("tests/fixtures/parts_header.csv")]);
    assert!(harness.state().is_asking_for_a_mapping());
    let guess = harness.state().mapping_in_dialog().unwrap();
    assert_eq!(guess.column_of(Field::Date), Some("year+month+day"));
    assert_eq!(guess.column_of(Field::Actor1), Some("side_a"));
    // The same column for two fields, chosen as a user would.
    for (field, column) in [
        ("actor2", "side_b"),
        ("actor1_country", "country"),
        ("actor2_country", "country"),
    ] {
        harness.get_by_role_and_label(Role::ComboBox, field).click();
        harness.run_steps(2);
        harness.get_by_role_and_label(Role::Button, column).click();
        harness.run_steps(2);
    }
    // "+" gives end_date a second part (the date has all three already).
    let combos = harness.query_all_by_role(Role::ComboBox).count();
    harness.get_by_role_and_label(Role::Button, "+").click();
    harness.run_steps(2);
    assert_eq!(
        harness.query_all_by_role(Role::ComboBox).count(),
        combos + 1
    );
    let map = harness.state().mapping_in_dialog().unwrap();
    assert_eq!(map.column_of(Field::Actor1Country), Some("country"));
    assert_eq!(map.column_of(Field::Actor2Country), Some("country"));
    assert_eq!(
        map.column_of(Field::EndDate),
        None,
        "an empty part maps nothing"
    );
    harness.get_by_label("Open with this mapping").click();
    harness.step();
    wait_until_loaded(&mut harness);
    let ds = &harness.state().document().expect("the file opened").dataset;
    assert_eq!(ds.len(), 2);
    assert_eq!(ds.date_of(0).to_string(), "2020-05", "iday 0: the month");
    let protesters = ds.actors.find("Protesters of Iran").unwrap();
    assert_eq!(
        ds.actors.get(protesters).affiliation,
        ds.actors.find("Iran")
    );
}

#[test]
fn a_preset_is_applied_from_the_mapping_dialog_and_names_what_the_file_lacks() {
    use relmap::io::Field;
    let mut harness = app(vec![fixture("tests/fixtures/parts_header.csv")]);
    harness
        .get_by_role_and_label(Role::ComboBox, "Preset")
        .click();
    harness.run_steps(2);
    harness
        .get_by_role_and_label(Role::Button, "phoenix")
        .click();
    harness.run_steps(2);
    harness.get_by_label("Apply preset").click();
    harness.run_steps(2);
    harness.get_by_label_contains("lacks its columns SourceActorEntity");
    let map = harness.state().mapping_in_dialog().unwrap();
    // Phoenix's Year+Month+Day found here in lower case; its actor columns are not here.
    assert_eq!(map.column_of(Field::Date), Some("year+month+day"));
    assert_eq!(map.column_of(Field::Actor1), None);
    assert!(harness.state().is_asking_for_a_mapping());
}

/// A zip of two event files (the sample and the ICEWS excerpt) and a README.
fn two_member_zip(dir: &Path) -> PathBuf {
    use std::io::Write as _;
    let path = dir.join("two.zip");
    let mut zip = zip::ZipWriter::new(std::fs::File::create(&path).unwrap());
    let options = zip::write::SimpleFileOptions::default();
    for (name, file) in [
        ("sample.csv", "assets/sample/belarus-iran.csv"),
        ("icews.tab", "tests/fixtures/icews_events.2018.sample.tab"),
    ] {
        zip.start_file(name, options).unwrap();
        zip.write_all(&std::fs::read(fixture(file)).unwrap())
            .unwrap();
    }
    zip.start_file("README.txt", options).unwrap();
    zip.write_all(b"Codebook: see the website.\n").unwrap();
    zip.finish().unwrap();
    path
}

#[test]
fn opening_a_zip_of_several_event_files_asks_which_members_to_read() {
    use relmap::ui::Command;
    let dir = tempfile::tempdir().unwrap();
    let zip = two_member_zip(dir.path());
    let mut harness = app(Vec::new());
    apply(&mut harness, Command::Open(zip));
    harness.get_by_label_contains("Open from two.zip");
    // The README is listed but cannot be ticked; both event files are ticked.
    harness.get_by_label_contains("README.txt");
    harness.get_by_label("Open 2 files").click();
    harness.run_steps(2);
    wait_until_loaded(&mut harness);
    let both = harness.state().document().unwrap().dataset.len();
    assert!(
        both > 3000,
        "the sample's 17 and the ICEWS excerpt's events: {both}"
    );
    // Only one member: untick the ICEWS file.
    apply(&mut harness, Command::Open(dir.path().join("two.zip")));
    harness.get_by_label_contains("icews.tab").click();
    harness.run_steps(1);
    harness.get_by_label("Open").click();
    harness.run_steps(2);
    wait_until_loaded(&mut harness);
    assert_eq!(harness.state().document().unwrap().dataset.len(), 17);
}

#[test]
fn files_named_together_open_as_one_dataset() {
    let harness = app(vec![
        fixture("assets/sample/belarus-iran.csv"),
        fixture("tests/fixtures/gdelt2_20191024143000.export.CSV"),
    ]);
    let doc = harness.state().document().expect("both files read");
    assert_eq!(doc.dataset.len(), 17 + 2111);
    assert!(doc.name.contains("+ 1 more"), "{}", doc.name);
}

#[test]
fn a_workbook_of_several_sheets_asks_which_sheet() {
    use relmap::ui::Command;
    let mut harness = app(Vec::new());
    apply(
        &mut harness,
        Command::Open(fixture("tests/fixtures/workbook_made_up.xlsx")),
    );
    harness.get_by_label_contains("Open from workbook_made_up.xlsx");
    harness.get_by_label("ACLED").click();
    harness.run_steps(1);
    harness.get_by_label("Open").click();
    harness.run_steps(2);
    wait_until_loaded(&mut harness);
    let doc = harness.state().document().unwrap();
    assert_eq!(doc.format, relmap::io::Format::Acled);
}

#[test]
fn an_index_opens_with_details_from_its_source_and_build_index_is_a_dialog() {
    let dir = tempfile::tempdir().unwrap();
    let source = dir.path().join("belarus-iran.csv");
    std::fs::copy(fixture("assets/sample/belarus-iran.csv"), &source).unwrap();
    let index = dir.path().join("sample.relidx");
    relmap::index::build_index(
        std::slice::from_ref(&source),
        &index,
        &relmap::index::BuildOptions::default(),
        &relmap::io::Progress::new(),
        &mut |_| {},
    )
    .unwrap();
    let mut harness = app(vec![index.clone()]);
    let doc = harness.state().document().expect("the index opened");
    assert_eq!(doc.name, "sample.relidx");
    assert_eq!(doc.dataset.len(), 17);
    assert!(doc.dataset.details_on_demand());
    // The table's rows read their titles from the source file.
    harness.get_by_label("Belarus and Iran establish diplomatic relations");
    apply(&mut harness, relmap::ui::Command::ShowIndexDialog(true));
    harness.get_by_label("Build Index");
    harness.get_by_label("Add files…");

    // A changed source: a notification naming it, and the events stay.
    std::fs::write(&source, "date,actor1,actor2\n2025-01-01,A,B\n").unwrap();
    let harness = app(vec![index]);
    assert_eq!(harness.state().document().unwrap().dataset.len(), 17);
    assert!(
        harness
            .query_all_by_label_contains("changed since the index was built")
            .next()
            .is_some()
    );
}
