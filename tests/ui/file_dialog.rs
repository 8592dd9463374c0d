//! The in-app file dialog, used where no desktop portal answers: open, save as, overwrite, exports.

use super::*;

/// The app with the in-app file dialog, as on a desktop without a portal.
fn app_with_builtin_dialog(files: Vec<PathBuf>) -> Harness<'static, RelmapApp> {
    // Short frames: kittest sends each pointer event in a frame of its own, and a double
    // click must fit in egui's 0.3 s.
    let mut harness = Harness::builder()
        .with_size([1400.0, 900.0])
        .with_step_dt(1.0 / 60.0)
        .wgpu()
        .build_eframe(move |cc| {
            RelmapApp::new(cc, files, LoadOptions::default())
                .with_file_dialog(relmap::ui::DialogBackend::Builtin)
        });
    wait_until_loaded(&mut harness);
    harness
}

/// Replaces the text of the labelled box with `text` and presses Enter.
fn type_into(harness: &mut Harness<'static, RelmapApp>, label: &str, text: &str) {
    harness.get_by_label(label).click();
    harness.run_steps(2);
    harness.key_press_modifiers(Modifiers::COMMAND, Key::A);
    harness.get_by_label(label).type_text(text);
    harness.run_steps(1);
    harness.key_press(Key::Enter);
    harness.run_steps(3);
}

#[test]
fn without_a_portal_file_open_shows_the_in_app_dialog_and_a_typed_path_opens() {
    let mut harness = app_with_builtin_dialog(Vec::new());
    harness.get_by_label("File").click();
    harness.run_steps(2);
    harness.get_by_label("Open… Ctrl+O").click();
    harness.run_steps(3);
    assert!(harness.state().is_file_dialog_open());
    harness.get_by_label("Open an event file");
    harness.get_by_label("Files of type");
    let path = fixture("tests/fixtures/bad_rows.csv");
    type_into(&mut harness, "Path", &path.display().to_string());
    assert!(!harness.state().is_file_dialog_open(), "the dialog is done");
    wait_until_loaded(&mut harness);
    assert_eq!(harness.state().document().unwrap().name, "bad_rows.csv");
}

fn double_click(harness: &mut Harness<'static, RelmapApp>, label: &str) {
    // Far enough from the last click for this to be a double, not a triple, click.
    harness.run_steps(30);
    harness.get_by_label(label).click();
    harness.step();
    harness.get_by_label(label).click();
    harness.run_steps(3);
}

#[test]
fn a_folder_typed_in_the_dialog_is_listed_and_a_double_click_opens_a_file() {
    // A folder holding a folder "fixtures" of a few files.
    let parent = tempfile::tempdir().unwrap();
    let few = a_folder_of_a_few_files();
    std::fs::rename(few.path(), parent.path().join("fixtures")).unwrap();
    let mut harness = app_with_builtin_dialog(Vec::new());
    harness.key_press_modifiers(Modifiers::COMMAND, Key::O);
    harness.run_steps(3);
    type_into(&mut harness, "Path", &parent.path().display().to_string());
    assert!(
        harness.state().is_file_dialog_open(),
        "a folder is shown, not taken"
    );
    // Double clicks: into a folder, then on a file.
    double_click(&mut harness, "fixtures/");
    // Filtered by the action's extensions: the binary file is not listed.
    harness.get_by_label("other_header.csv");
    assert!(harness.query_by_label("binary.bin").is_none());
    double_click(&mut harness, "bad_rows.csv");
    assert!(!harness.state().is_file_dialog_open());
    wait_until_loaded(&mut harness);
    assert_eq!(harness.state().document().unwrap().name, "bad_rows.csv");

    // The folder is remembered among the places, and a Save As starts beside the data.
    harness.key_press_modifiers(Modifiers::COMMAND | Modifiers::SHIFT, Key::S);
    harness.run_steps(3);
    harness.get_by_label("Recent folders");
    harness.get_by_label("fixtures");
    let shown = harness.get_by_label("Path").value().unwrap_or_default();
    assert!(shown.ends_with("fixtures"), "{shown}");
    harness.key_press(Key::Escape);
    harness.run_steps(3);
    assert!(!harness.state().is_file_dialog_open());
}

/// A folder whose listing fits the dialog without scrolling (kittest sees only what is
/// drawn): a few of the fixtures, copied.
fn a_folder_of_a_few_files() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for name in [
        "bad_rows.csv",
        "spreadsheet.csv",
        "other_header.csv",
        "binary.bin",
    ] {
        std::fs::copy(
            fixture(&format!("tests/fixtures/{name}")),
            dir.path().join(name),
        )
        .unwrap();
    }
    dir
}

#[test]
fn the_open_button_takes_the_selected_file_and_all_files_lists_the_rest() {
    let folder = a_folder_of_a_few_files();
    let mut harness = app_with_builtin_dialog(Vec::new());
    harness.key_press_modifiers(Modifiers::COMMAND, Key::O);
    harness.run_steps(3);
    type_into(&mut harness, "Path", &folder.path().display().to_string());
    assert!(harness.query_by_label("binary.bin").is_none());
    harness.get_by_label("Files of type").click();
    harness.run_steps(2);
    harness.get_by_label("All files").click();
    harness.run_steps(3);
    harness.get_by_label("binary.bin");
    harness.get_by_label("other_header.csv").click();
    harness.run_steps(2);
    harness.get_by_label("Open").click();
    harness.run_steps(3);
    assert!(!harness.state().is_file_dialog_open());
    harness.run_steps(3);
    assert!(
        harness.state().is_asking_for_a_mapping(),
        "other_header.csv needs its columns mapped"
    );
}

#[test]
fn esc_cancels_the_in_app_dialog_and_nothing_changes() {
    let mut harness = app_with_builtin_dialog(Vec::new());
    let name = harness.state().document().unwrap().name.clone();
    harness.key_press_modifiers(Modifiers::COMMAND, Key::O);
    harness.run_steps(3);
    assert!(harness.state().is_file_dialog_open());
    harness.key_press(Key::Escape);
    harness.run_steps(3);
    assert!(!harness.state().is_file_dialog_open());
    assert_eq!(harness.state().document().unwrap().name, name);
    assert!(!harness.state().is_loading());
    // The next request opens it again.
    harness.key_press_modifiers(Modifiers::COMMAND, Key::O);
    harness.run_steps(3);
    assert!(harness.state().is_file_dialog_open());
}

#[test]
fn ctrl_s_on_a_never_saved_file_saves_as_at_a_typed_path() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("story.relmap");
    let mut harness = app_with_builtin_dialog(Vec::new());
    assert!(harness.state().workspace_path().is_none());
    harness.key_press_modifiers(Modifiers::COMMAND, Key::S);
    harness.run_steps(3);
    assert!(harness.state().is_file_dialog_open(), "Save As opens");
    harness.get_by_label("Save the workspace");
    type_into(&mut harness, "File name", &path.display().to_string());
    assert!(!harness.state().is_file_dialog_open());
    assert_eq!(harness.state().workspace_path(), Some(path.as_path()));
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(text.contains("\"format\": \"relmap\""), "a workspace");
}

#[test]
fn saving_over_a_file_asks_first_and_cancel_keeps_the_old_one() {
    use relmap::ui::Command;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("old.relmap");
    std::fs::write(&path, "the old file").unwrap();
    let mut harness = app_with_builtin_dialog(Vec::new());
    apply(&mut harness, Command::SaveAsDialog);
    type_into(&mut harness, "File name", &path.display().to_string());
    harness.get_by_label("old.relmap exists. Replace it?");
    harness.get_by_label("Cancel").click();
    harness.run_steps(3);
    assert!(harness.state().is_file_dialog_open(), "back in the dialog");
    assert!(
        harness
            .query_by_label("old.relmap exists. Replace it?")
            .is_none()
    );
    harness.key_press(Key::Escape);
    harness.run_steps(3);
    assert!(!harness.state().is_file_dialog_open());
    assert_eq!(std::fs::read_to_string(&path).unwrap(), "the old file");
    assert!(harness.state().workspace_path().is_none());

    // Asked again, "Replace" writes the workspace over it.
    apply(&mut harness, Command::SaveAsDialog);
    type_into(&mut harness, "File name", &path.display().to_string());
    harness.get_by_label("Replace").click();
    harness.run_steps(3);
    assert_eq!(harness.state().error(), None);
    assert_eq!(harness.state().workspace_path(), Some(path.as_path()));
    assert!(
        std::fs::read_to_string(&path)
            .unwrap()
            .contains("\"format\": \"relmap\"")
    );
}

#[test]
fn save_in_the_unsaved_changes_prompt_asks_where_then_goes_on() {
    use relmap::ui::Command;
    let dir = tempfile::tempdir().unwrap();
    let mut harness = app_with_builtin_dialog(Vec::new());
    let ds = &harness.state().document().unwrap().dataset;
    let window = TimeWindow::new(ds.start[3], ds.start[12]);
    apply(&mut harness, Command::SetWindow(window));
    apply(
        &mut harness,
        Command::Open(fixture("tests/fixtures/bad_rows.csv")),
    );
    harness.get_by_label("Save").click();
    harness.run_steps(3);
    assert!(harness.state().is_file_dialog_open());
    // A name without a folder goes into the folder shown; the extension is added.
    type_into(&mut harness, "Path", &dir.path().display().to_string());
    type_into(&mut harness, "File name", "before");
    let saved = std::fs::canonicalize(dir.path())
        .unwrap()
        .join("before.relmap");
    assert!(saved.is_file(), "saved as {}", saved.display());
    wait_until_loaded(&mut harness);
    assert_eq!(harness.state().document().unwrap().name, "bad_rows.csv");
}

#[test]
fn export_events_in_the_in_app_dialog_takes_the_chosen_type() {
    use relmap::ui::Command;
    let dir = tempfile::tempdir().unwrap();
    let mut harness = app_with_builtin_dialog(Vec::new());
    apply(&mut harness, Command::ExportEventsDialog);
    harness.get_by_label("Export the events in the table");
    let path = dir.path().join("out.csv");
    type_into(&mut harness, "File name", &path.display().to_string());
    harness.run_steps(2);
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(text.starts_with("date,"), "{text}");
    assert_eq!(text.lines().count(), 18, "header and 17 events");
}

#[test]
fn several_files_picked_in_the_dialog_open_together_and_join_the_recent_list() {
    let folder = a_folder_of_a_few_files();
    let mut harness = app_with_builtin_dialog(Vec::new());
    harness.key_press_modifiers(Modifiers::COMMAND, Key::O);
    harness.run_steps(3);
    type_into(&mut harness, "Path", &folder.path().display().to_string());
    harness.get_by_label("bad_rows.csv").click();
    harness.run_steps(2);
    harness
        .get_by_label("spreadsheet.csv")
        .click_modifiers(Modifiers::COMMAND);
    harness.run_steps(2);
    harness.get_by_label("Open").click();
    harness.run_steps(3);
    wait_until_loaded(&mut harness);
    let doc = harness.state().document().unwrap();
    assert_eq!(doc.name, "bad_rows.csv + 1 more");
    let one = |name: &str| {
        relmap::io::load_path(
            &fixture(&format!("tests/fixtures/{name}")),
            &LoadOptions::default(),
            &relmap::io::Progress::new(),
        )
        .unwrap()
        .dataset
        .len()
    };
    assert_eq!(
        doc.dataset.len(),
        one("bad_rows.csv") + one("spreadsheet.csv")
    );
    let recent = harness.state().recent_files();
    assert!(recent[0].ends_with("bad_rows.csv"), "{recent:?}");
    assert!(recent[1].ends_with("spreadsheet.csv"), "{recent:?}");
}

#[test]
fn a_path_typed_into_the_path_box_replaces_the_folder_shown_there() {
    let mut harness = app_with_builtin_dialog(Vec::new());
    harness.get_by_label("File").click();
    harness.run_steps(2);
    harness.get_by_label("Open… Ctrl+O").click();
    harness.run_steps(3);
    // The box shows the folder and has the keyboard: typing (no Ctrl+A) replaces it.
    assert!(harness.get_by_label("Path").is_focused());
    let path = fixture("tests/fixtures/bad_rows.csv");
    harness
        .get_by_label("Path")
        .type_text(&path.display().to_string());
    harness.run_steps(1);
    harness.key_press(Key::Enter);
    harness.run_steps(3);
    assert!(
        !harness.state().is_file_dialog_open(),
        "the typed path opened"
    );
    wait_until_loaded(&mut harness);
    assert_eq!(harness.state().document().unwrap().name, "bad_rows.csv");
}
