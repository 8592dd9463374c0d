//! Workspaces: saving and reopening, unsaved changes, autosave and recovery, the theme a workspace may only suggest.

use super::*;

fn app_with_recovery(files: Vec<PathBuf>, dir: PathBuf) -> Harness<'static, RelmapApp> {
    let mut harness = Harness::builder()
        .with_size([1400.0, 900.0])
        .wgpu()
        .build_eframe(move |cc| {
            RelmapApp::new(cc, files, LoadOptions::default()).with_recovery_dir(dir)
        });
    wait_until_loaded(&mut harness);
    harness
}

#[test]
fn an_arranged_map_saved_as_a_workspace_reopens_as_it_was_left() {
    use relmap::ui::Command;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("story.relmap");
    let mut harness = app(Vec::new());
    apply(
        &mut harness,
        Command::SetLayout(relmap::layout::LayoutKind::Circle),
    );
    let ds = &harness.state().document().unwrap().dataset;
    let belarus = (0..ds.actors.len() as u32)
        .find(|&a| ds.actors.get(a).name == "Belarus")
        .unwrap();
    let window = TimeWindow::new(ds.start[3], ds.start[12]);
    apply(&mut harness, Command::MoveNode(belarus, [40.0, -25.0]));
    apply(&mut harness, Command::SetWindow(window));
    assert!(harness.state().has_unsaved_changes());
    apply(&mut harness, Command::SaveWorkspace(path.clone()));
    assert!(!harness.state().has_unsaved_changes(), "saved");
    let doc = harness.state().document().unwrap();
    let placed = doc.target[belarus as usize];
    drop(harness);

    let reopened = app(vec![path.clone()]);
    let state = reopened.state();
    assert_eq!(state.workspace_path(), Some(path.as_path()));
    assert!(!state.has_unsaved_changes());
    let doc = state.document().unwrap();
    assert_eq!(doc.layout, relmap::layout::LayoutKind::Circle);
    assert_eq!(doc.window(), window);
    let b = (0..doc.dataset.actors.len() as u32)
        .find(|&a| doc.dataset.actors.get(a).name == "Belarus")
        .unwrap();
    assert_eq!(doc.target[b as usize], placed);
    assert!(doc.pinned[b as usize], "a dragged node stays pinned");
}

#[test]
fn leaving_unsaved_changes_asks_first() {
    use relmap::ui::Command;
    let mut harness = app(Vec::new());
    let ds = &harness.state().document().unwrap().dataset;
    let window = TimeWindow::new(ds.start[3], ds.start[12]);
    apply(&mut harness, Command::SetWindow(window));
    let other = fixture("tests/fixtures/bad_rows.csv");
    apply(&mut harness, Command::Open(other.clone()));
    harness.get_by_label_contains("Save the changes to");
    harness.get_by_label("Cancel").click();
    harness.run_steps(2);
    assert_eq!(
        harness.state().document().unwrap().window(),
        window,
        "nothing changed"
    );
    assert!(harness.state().has_unsaved_changes());
    apply(&mut harness, Command::Open(other));
    harness.get_by_label("Don't Save").click();
    harness.run_steps(2);
    wait_until_loaded(&mut harness);
    let doc = harness.state().document().unwrap();
    assert!(doc.name.contains("bad_rows"), "{}", doc.name);
}

#[test]
fn work_autosaved_before_a_crash_is_offered_and_restored() {
    use relmap::ui::Command;
    let dir = tempfile::tempdir().unwrap();
    let mut harness = app_with_recovery(Vec::new(), dir.path().to_path_buf());
    assert!(!harness.state().offers_recovery());
    let ds = &harness.state().document().unwrap().dataset;
    let window = TimeWindow::new(ds.start[5], ds.start[10]);
    apply(&mut harness, Command::SetWindow(window));
    harness.state_mut().autosave().unwrap();
    // The process dies here: no exit, the recovery file stays.
    drop(harness);
    assert!(dir.path().join("recovery.relmap").exists());

    let mut harness = app_with_recovery(Vec::new(), dir.path().to_path_buf());
    assert!(harness.state().offers_recovery());
    harness.get_by_label("Restore").click();
    harness.run_steps(2);
    wait_until_loaded(&mut harness);
    let state = harness.state();
    assert_eq!(state.document().unwrap().window(), window);
    assert!(
        state.has_unsaved_changes(),
        "restored work is not saved anywhere yet"
    );
    assert_eq!(state.workspace_path(), None);
}

#[test]
fn unsaved_work_is_autosaved_every_minute_in_the_background() {
    use relmap::ui::Command;
    let dir = tempfile::tempdir().unwrap();
    let mut harness = app_with_recovery(Vec::new(), dir.path().to_path_buf());
    let ds = &harness.state().document().unwrap().dataset;
    let window = TimeWindow::new(ds.start[4], ds.start[9]);
    apply(&mut harness, Command::SetWindow(window));
    let recovery = dir.path().join("recovery.relmap");
    // A quarter of a second per step: a minute and a bit.
    harness.run_steps(250);
    let start = Instant::now();
    while !recovery.exists() {
        assert!(start.elapsed() < Duration::from_secs(10), "no autosave");
        std::thread::sleep(Duration::from_millis(20));
        harness.step();
    }
    // The worker writes atomically: once there, the file is whole.
    let (_, view) = relmap::workspace::open(&recovery, &relmap::io::Progress::new()).unwrap();
    assert_eq!(view.time_window(), Some(window));
}

#[test]
fn a_workspace_never_changes_the_app_theme_and_only_suggests_one_for_presenting() {
    use relmap::ui::Command;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("dark.relmap");
    let mut harness = app(Vec::new());
    harness.ctx.set_theme(egui::ThemePreference::Light);
    harness.run_steps(2);
    apply(
        &mut harness,
        Command::SetPresentationTheme(Some(relmap::export::style::Theme::Dark)),
    );
    apply(&mut harness, Command::SaveWorkspace(path.clone()));
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(
        text.contains("\"presentation_theme\""),
        "the suggestion is saved"
    );
    // What older relmaps wrote: the style's theme. It must not matter either.
    let text = text.replace("\"style\": {", "\"style\": {\n      \"theme\": \"Dark\",");
    std::fs::write(&path, text).unwrap();
    drop(harness);

    let mut harness = app(Vec::new());
    harness.ctx.set_theme(egui::ThemePreference::Light);
    harness.run_steps(2);
    let dark = |h: &Harness<'static, RelmapApp>| h.ctx.global_style().visuals.dark_mode;
    assert!(!dark(&harness));
    apply(&mut harness, Command::Open(path));
    wait_until_loaded(&mut harness);
    assert!(
        !dark(&harness),
        "opening the workspace kept the light theme"
    );
    apply(&mut harness, Command::TogglePresentation);
    assert!(dark(&harness), "presenting uses the suggested theme");
    apply(&mut harness, Command::TogglePresentation);
    assert!(!dark(&harness), "and the user's theme comes back after");
}

#[test]
fn restoring_autosaved_work_keeps_its_name_and_offers_without_taking_over() {
    use relmap::ui::Command;
    let dir = tempfile::tempdir().unwrap();
    let workspace = dir.path().join("story.relmap");
    let mut harness = app_with_recovery(Vec::new(), dir.path().to_path_buf());
    apply(&mut harness, Command::SaveWorkspace(workspace.clone()));
    let ds = &harness.state().document().unwrap().dataset;
    let window = TimeWindow::new(ds.start[5], ds.start[10]);
    let name = harness.state().document().unwrap().name.clone();
    apply(&mut harness, Command::SetWindow(window));
    harness.state_mut().autosave().unwrap();
    drop(harness); // a crash: the recovery file stays

    // The next start opens the file asked for, and offers the recovery beside it.
    let other = fixture("tests/fixtures/spreadsheet.csv");
    let mut harness = app_with_recovery(vec![other], dir.path().to_path_buf());
    assert!(harness.state().offers_recovery());
    let doc = harness.state().document().unwrap();
    assert!(doc.name.contains("spreadsheet"), "{}", doc.name);
    harness.get_by_label("Restore").click();
    harness.run_steps(2);
    wait_until_loaded(&mut harness);
    let state = harness.state();
    let doc = state.document().unwrap();
    assert_eq!(doc.window(), window);
    assert_eq!(doc.name, name, "not \"recovery.relmap\"");
    assert_eq!(state.workspace_path(), Some(workspace.as_path()));
    assert!(state.has_unsaved_changes());
}

#[test]
fn dont_save_then_a_failed_open_keeps_the_changes_marked_and_asks_again() {
    use relmap::ui::Command;
    let mut harness = app(Vec::new());
    let ds = &harness.state().document().unwrap().dataset;
    let window = TimeWindow::new(ds.start[3], ds.start[12]);
    apply(&mut harness, Command::SetWindow(window));
    // "Don't Save", then an Open that fails: the changes are still there, still marked.
    apply(
        &mut harness,
        Command::Open(fixture("tests/fixtures/empty.csv")),
    );
    harness.get_by_label("Don't Save").click();
    harness.run_steps(2);
    wait_until_loaded(&mut harness);
    assert!(
        harness.state().error().is_some(),
        "the empty file is refused"
    );
    assert_eq!(harness.state().document().unwrap().window(), window);
    assert!(harness.state().has_unsaved_changes());
    apply(&mut harness, Command::DismissError);
    // And the next Open asks again.
    apply(
        &mut harness,
        Command::Open(fixture("tests/fixtures/empty.csv")),
    );
    harness.get_by_label_contains("Save the changes to");
}
