//! The real app driven as a user would, through egui_kittest: load, look for actors, move
//! the time window, click, drop a file, read the inspector and the diagnostics.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use eframe::egui::{self, Key, Modifiers, Role};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use relmap::io::LoadOptions;
use relmap::model::{PartialDate, TimeWindow};
use relmap::ui::RelmapApp;

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(name)
}

fn app(files: Vec<PathBuf>) -> Harness<'static, RelmapApp> {
    let mut harness = Harness::builder()
        .with_size([1400.0, 900.0])
        .wgpu()
        .build_eframe(move |cc| RelmapApp::new(cc, files, LoadOptions::default()));
    wait_until_loaded(&mut harness);
    harness
}

/// Steps the app until its worker has delivered the file (at most 20 s).
fn wait_until_loaded(harness: &mut Harness<'static, RelmapApp>) {
    let start = Instant::now();
    while harness.state().is_loading() {
        assert!(
            start.elapsed() < Duration::from_secs(20),
            "loading never finished"
        );
        std::thread::sleep(Duration::from_millis(20));
        harness.step();
    }
    harness.run_steps(3);
}

fn has_node(harness: &Harness<'static, RelmapApp>, name: &str) -> bool {
    harness
        .query_by_role_and_label(Role::Button, name)
        .is_some()
}

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
fn the_sample_opens_with_every_actor_on_the_map() {
    let harness = app(Vec::new());
    let doc = harness.state().document().expect("the sample is open");
    assert_eq!(doc.dataset.len(), 17);
    for name in [
        "Belarus",
        "Iran",
        "Pakistan",
        "Viktar Khrenin",
        "Aziz Nasirzadeh",
        "Armed Forces of Iran",
    ] {
        assert!(has_node(&harness, name), "{name} is on the map");
    }
    harness.get_by_label_contains("17 of 17 events in the window");
}

#[test]
fn clicking_an_actor_lists_its_events_with_sources_in_the_inspector() {
    let mut harness = app(Vec::new());
    harness
        .get_by_role_and_label(Role::Button, "Aziz Nasirzadeh")
        .click();
    harness.run_steps(3);
    let doc = harness.state().document().unwrap();
    let selected = harness.state().selected().expect("an actor is selected");
    assert_eq!(doc.dataset.actors.get(selected).name, "Aziz Nasirzadeh");
    harness.get_by_label_contains("2 events in the window (2 in all)");
    harness.get_by_label_contains("sign a military cooperation protocol");
    harness.get_by_label("2025-03-14");
    assert_eq!(
        harness
            .get_all_by_role_and_label(Role::Link, "source")
            .count(),
        2
    );
}

#[test]
fn typing_a_from_date_moves_the_window_and_the_map_follows() {
    let mut harness = app(Vec::new());
    assert!(has_node(&harness, "Mohammad Ashtiani"));
    harness.get_by_label("From").click();
    harness.run_steps(2);
    harness.key_press_modifiers(Modifiers::COMMAND, Key::A);
    harness.get_by_label("From").type_text("2025-01-01");
    harness.key_press(Key::Enter);
    harness.run_steps(3);
    let doc = harness.state().document().unwrap();
    let expected = PartialDate::ymd(2025, 1, 1).unwrap().first_day();
    assert_eq!(doc.window().from, expected);
    // April 2024 is outside now; the 2025 events are not.
    assert!(!has_node(&harness, "Mohammad Ashtiani"));
    assert!(has_node(&harness, "Aziz Nasirzadeh"));
    assert!(has_node(&harness, "Pakistan"));
    harness.get_by_label_contains("4 of 17 events in the window");
}

#[test]
fn dragging_on_the_timeline_draws_a_new_window() {
    let mut harness = app(Vec::new());
    let all = TimeWindow::all(&harness.state().document().unwrap().dataset);
    // The plot fills the timeline panel at the bottom of the window, below the controls.
    let y = 800.0;
    harness.drag_at(egui::pos2(700.0, y));
    harness.run_steps(1);
    for x in [720.0, 760.0, 800.0, 840.0] {
        harness.hover_at(egui::pos2(x, y));
        harness.run_steps(1);
    }
    harness.drop_at(egui::pos2(840.0, y));
    harness.run_steps(2);
    let doc = harness.state().document().unwrap();
    let w = doc.window();
    assert_ne!(w, all, "the window changed");
    assert!(
        w.from > all.from && w.to < all.to,
        "{w:?} is inside {all:?}"
    );
    assert!(w.to - w.from > 30, "{w:?} spans more than a month");
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
    harness.get_by_label("Could not open the file");
}

#[test]
fn snapshot_of_the_main_window_with_the_sample() {
    let mut harness = app(Vec::new());
    harness
        .get_by_role_and_label(Role::Button, "Viktar Khrenin")
        .click();
    harness.run_steps(3);
    harness.remove_cursor();
    harness.run_steps(1);
    harness.snapshot("main_window_sample");
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
fn shift_click_and_double_click_select_many_and_focus_a_neighbourhood() {
    let mut harness = app(Vec::new());
    harness
        .get_by_role_and_label(Role::Button, "Belarus")
        .click();
    harness.run_steps(2);
    harness
        .get_by_role_and_label(Role::Button, "Pakistan")
        .click_modifiers(Modifiers::SHIFT);
    harness.run_steps(2);
    let doc = harness.state().document().unwrap();
    let names: Vec<&str> = harness
        .state()
        .selection()
        .iter()
        .map(|&a| doc.dataset.actors.get(a).name.as_str())
        .collect();
    assert_eq!(names, ["Belarus", "Pakistan"]);

    // Its context menu focuses Pakistan's neighbourhood: Iran's people leave the map.
    harness
        .get_by_role_and_label(Role::Button, "Pakistan")
        .click_secondary();
    harness.run_steps(2);
    harness.get_by_label("Focus on neighbourhood").click();
    harness.run_steps(4);
    let doc = harness.state().document().unwrap();
    let focus = harness.state().focus().expect("a focus");
    assert_eq!(doc.dataset.actors.get(focus).name, "Pakistan");
    assert!(harness.query_by_label("Masoud Pezeshkian").is_none());
    harness.get_by_role_and_label(Role::Button, "Belarus");
    harness.get_by_label("Clear focus").click();
    harness.run_steps(4);
    assert!(harness.state().focus().is_none());
    harness.get_by_role_and_label(Role::Button, "Masoud Pezeshkian");
}

#[test]
fn find_selects_an_actor_and_layouts_switch() {
    let mut harness = app(Vec::new());
    let find = harness.get_by_role_and_label(Role::TextInput, "Find");
    find.click();
    find.type_text("khrenin");
    harness.run_steps(1);
    harness.key_press(Key::Enter);
    harness.run_steps(3);
    let doc = harness.state().document().unwrap();
    let selected = harness.state().selected().expect("found");
    assert_eq!(doc.dataset.actors.get(selected).name, "Viktar Khrenin");

    harness
        .get_by_role_and_label(Role::ComboBox, "Layout")
        .click();
    harness.run_steps(3);
    harness.get_by_label("Geographic").click();
    harness.run_steps(60);
    let doc = harness.state().document().unwrap();
    assert_eq!(doc.layout, relmap::layout::LayoutKind::Geographic);
    // Belarus is north-west of Iran on the world map, and the drawing reached the layout.
    let (by, ir) = (
        doc.dataset.actors.find("Belarus").unwrap() as usize,
        doc.dataset.actors.find("Iran").unwrap() as usize,
    );
    assert!(doc.target[by][0] < doc.target[ir][0] && doc.target[by][1] < doc.target[ir][1]);
    assert_eq!(doc.positions, doc.target);
}
