//! The real app driven as a user would, through egui_kittest: load, look for actors, move
//! the time window, click, drop a file, read the inspector and the diagnostics.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use eframe::egui::{self, Key, Modifiers, Role};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use relmap::io::LoadOptions;
use relmap::model::{BinUnit, PartialDate, TimeWindow};
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
    harness.get_by_label_contains("2 events in the window");
    harness.get_by_label_contains("(2 in all)");
    // In the inspector, and marked in the table.
    assert!(
        harness
            .get_all_by_label_contains("sign a military cooperation protocol")
            .count()
            >= 1
    );
    assert!(harness.get_all_by_label("2025-03-14").count() >= 1);
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
    let (_, _, y) = harness
        .state()
        .timeline()
        .window_on_screen()
        .expect("the timeline is drawn");
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

/// Drags with the pointer from `from` to `to` in steps, as a hand would.
fn drag(harness: &mut Harness<'static, RelmapApp>, from: egui::Pos2, to: egui::Pos2) {
    harness.drag_at(from);
    harness.run_steps(1);
    for i in 1..=5 {
        harness.hover_at(from + (to - from) * (i as f32 / 5.0));
        harness.run_steps(1);
    }
    harness.drop_at(to);
    harness.run_steps(2);
}

#[test]
fn dragging_the_window_edges_on_the_timeline_resizes_it() {
    let mut harness = app(Vec::new());
    let ds = &harness.state().document().unwrap().dataset;
    let (lo, hi) = ds.day_range().unwrap();
    let start = TimeWindow::new(
        PartialDate::ymd(2024, 1, 1).unwrap().first_day(),
        PartialDate::ymd(2024, 12, 31).unwrap().first_day(),
    );
    harness.state_mut().apply(
        &egui::Context::default(),
        relmap::ui::Command::SetWindow(start),
    );
    harness.run_steps(2);
    let (from_x, to_x, y) = harness.state().timeline().window_on_screen().unwrap();
    // The right edge, dragged right: the end moves, the start stays.
    drag(
        &mut harness,
        egui::pos2(to_x, y),
        egui::pos2(to_x + 60.0, y),
    );
    let w = harness.state().document().unwrap().window();
    assert_eq!(w.from, start.from);
    assert!(w.to > start.to && w.to <= hi, "{w:?}");
    // The left edge, dragged left.
    drag(
        &mut harness,
        egui::pos2(from_x, y),
        egui::pos2(from_x - 60.0, y),
    );
    let w2 = harness.state().document().unwrap().window();
    assert!(w2.from < start.from && w2.from >= lo, "{w2:?}");
    assert_eq!(w2.to, w.to);
    // The middle, dragged: the window moves and keeps its length.
    let (from_x, to_x, y) = harness.state().timeline().window_on_screen().unwrap();
    let middle = (from_x + to_x) / 2.0;
    drag(
        &mut harness,
        egui::pos2(middle, y),
        egui::pos2(middle - 40.0, y),
    );
    let w3 = harness.state().document().unwrap().window();
    assert!(w3.from < w2.from, "{w3:?} moved left of {w2:?}");
    assert_eq!(w3.to - w3.from, w2.to - w2.from, "the length is kept");
}

#[test]
fn play_moves_the_window_forward_and_space_pauses() {
    let mut harness = app(Vec::new());
    let all = TimeWindow::all(&harness.state().document().unwrap().dataset);
    harness.get_by_label("▶ Play").click();
    harness.run_steps(2);
    let first = harness.state().document().unwrap().window();
    assert!(harness.state().timeline().playback.playing);
    assert_ne!(first, all, "playing starts with the first bin");
    // From where the timeline's view begins (2023: the 1993 outlier is off to the left).
    assert!(first.from > all.from);
    let unit = harness.state().timeline().unit().unwrap();
    assert_eq!(first.from, unit.bin_start(first.from));
    // Two bins a second, a quarter of a second a step.
    harness.run_steps(8);
    let later = harness.state().document().unwrap().window();
    assert!(later.from > first.from, "{later:?} after {first:?}");
    assert!(later.to > first.to);
    harness.key_press(Key::Space);
    harness.run_steps(1);
    assert!(!harness.state().timeline().playback.playing, "space pauses");
    let paused = harness.state().document().unwrap().window();
    harness.run_steps(8);
    assert_eq!(harness.state().document().unwrap().window(), paused);
}

#[test]
fn the_event_table_sorts_and_searches() {
    let mut harness = app(Vec::new());
    let rows = harness.state().table_rows().to_vec();
    assert_eq!(rows.len(), 17);
    let ds = &harness.state().document().unwrap().dataset;
    let starts: Vec<i32> = rows.iter().map(|&e| ds.start[e as usize]).collect();
    assert!(starts.windows(2).all(|w| w[0] <= w[1]), "by date at first");
    // A click on "Date" turns the order round.
    harness.get_by_label_contains("Date ▲").click();
    harness.run_steps(2);
    let rows = harness.state().table_rows().to_vec();
    let ds = &harness.state().document().unwrap().dataset;
    let starts: Vec<i32> = rows.iter().map(|&e| ds.start[e as usize]).collect();
    assert!(starts.windows(2).all(|w| w[0] >= w[1]), "newest first");
    // By title.
    harness.get_by_label("Title").click();
    harness.run_steps(2);
    let ds = &harness.state().document().unwrap().dataset;
    let titles: Vec<&str> = harness
        .state()
        .table_rows()
        .iter()
        .map(|&e| ds.title(e))
        .collect();
    assert!(titles.windows(2).all(|w| w[0] <= w[1]), "{titles:?}");
    // Search.
    harness.get_by_label("Search").click();
    harness.run_steps(1);
    harness.get_by_label("Search").type_text("minsk");
    harness.run_steps(2);
    let ds = &harness.state().document().unwrap().dataset;
    let rows = harness.state().table_rows();
    assert!(!rows.is_empty() && rows.len() < 17, "{} rows", rows.len());
    for &e in rows {
        let text = format!("{} {}", ds.title(e), ds.location(e)).to_lowercase();
        assert!(text.contains("minsk"), "{text}");
    }
}

#[test]
fn a_selection_on_any_view_reaches_the_other_two() {
    let mut harness = app(Vec::new());
    // Map → table and timeline.
    harness
        .get_by_role_and_label(Role::Button, "Aziz Nasirzadeh")
        .click();
    harness.run_steps(2);
    let highlighted = harness.state().highlighted_events().to_vec();
    assert_eq!(highlighted.len(), 2, "his two events are marked");
    // Table → map and timeline: click the first row's title.
    // The table scrolled to his first event; take the row after it, which is on screen.
    let rows = harness.state().table_rows().to_vec();
    let his = rows.iter().position(|e| highlighted.contains(e)).unwrap();
    harness.key_press(Key::Escape);
    harness.run_steps(2);
    assert!(harness.state().highlighted_events().is_empty());
    let ds = &harness.state().document().unwrap().dataset;
    let first = rows[(his + 1) % rows.len()];
    let title = ds.title(first).to_string();
    let actors: Vec<u32> = ds.actors_of(first).to_vec();
    harness.get_by_label(&title).click();
    harness.run_steps(2);
    assert_eq!(harness.state().highlighted_events(), &[first]);
    let mut selected = harness.state().selection().to_vec();
    selected.sort_unstable();
    let mut expected = actors.clone();
    expected.sort_unstable();
    assert_eq!(
        selected, expected,
        "the row's actors are selected on the map"
    );
    // Timeline → table and map: click across the plot until a bar is hit.
    let plot = harness.state().timeline().plot_rect().unwrap();
    let mut hit = false;
    for i in 0..80 {
        let x = plot.left() + plot.width() * (i as f32 + 0.5) / 80.0;
        harness.key_press(Key::Escape);
        harness.run_steps(1);
        let at = egui::pos2(x, plot.bottom() - 30.0);
        harness.hover_at(at);
        harness.drag_at(at);
        harness.drop_at(at);
        harness.run_steps(2);
        if !harness.state().highlighted_events().is_empty() {
            hit = true;
            break;
        }
    }
    assert!(hit, "a click on a bar selects its events");
    let ds = &harness.state().document().unwrap().dataset;
    let events = harness.state().highlighted_events().to_vec();
    let selected = harness.state().selection().to_vec();
    for e in &events {
        for a in ds.actors_of(*e) {
            assert!(selected.contains(a), "the bin's actors are selected");
        }
    }
    // The table marks them: they are among its rows.
    let rows = harness.state().table_rows();
    assert!(events.iter().all(|e| rows.contains(e)));
}

/// The bundled sample as a document, its timeline counted by class.
fn sample_document() -> relmap::ui::Document {
    let path = fixture("assets/sample/belarus-iran.csv");
    let loaded =
        relmap::io::load_path(&path, &LoadOptions::default(), &relmap::io::Progress::new())
            .expect("the sample loads");
    let mut doc = relmap::ui::Document::new("belarus-iran.csv".into(), Some(path), loaded);
    doc.ensure_timeline_counts(relmap::ui::TimelineGroups::Classes);
    doc
}

/// The timeline alone on `doc`, showing the days `from..=to`.
fn timeline_harness(
    doc: relmap::ui::Document,
    from: (i32, u8, u8),
    to: (i32, u8, u8),
) -> Harness<'static, relmap::ui::TimelineState> {
    let mut state = relmap::ui::TimelineState::default();
    state.set_view(ymd(from), ymd(to));
    let mut fonts_installed = false;
    let mut harness = Harness::builder()
        .with_size([1300.0, 240.0])
        .wgpu()
        .build_ui_state(
            move |ui, state: &mut relmap::ui::TimelineState| {
                if !std::mem::replace(&mut fonts_installed, true) {
                    relmap::ui::install_fonts(ui.ctx());
                }
                let highlight = relmap::ui::Highlight {
                    events: &[],
                    generation: 0,
                    label: "",
                };
                let mut commands = Vec::new();
                relmap::ui::timeline_ui(ui, &doc, state, &highlight, &mut commands);
            },
            state,
        );
    harness.run_steps(2);
    harness
}

fn ymd((y, m, d): (i32, u8, u8)) -> i32 {
    PartialDate::ymd(y, m, d).unwrap().first_day()
}

/// Hovers the middle of day `day`'s column, low in the plot, until the tooltip is up.
fn hover_bar(harness: &mut Harness<'static, relmap::ui::TimelineState>, day: i32) {
    let x = harness.state().screen_x(day as f64 + 0.5).unwrap();
    let plot = harness.state().plot_rect().unwrap();
    harness.hover_at(egui::pos2(x, plot.bottom() - 8.0));
    // Past egui's tooltip delay.
    for _ in 0..3 {
        std::thread::sleep(Duration::from_millis(250));
        harness.run_steps(2);
    }
}

#[test]
fn the_sample_by_year_stacks_each_bar_on_its_own_year_and_hovering_gives_its_counts() {
    let mut harness = timeline_harness(sample_document(), (1993, 1, 1), (2025, 12, 31));
    assert_eq!(harness.state().unit(), Some(BinUnit::Year));
    let bars = harness.state().drawn_bars().to_vec();
    let bar = |y: i32| bars.iter().find(|b| b.start == ymd((y, 1, 1))).unwrap();
    // 1993 is drawn; 2025 is 3 verbal cooperation with 1 material cooperation on top
    // (which floated at 8–9 over the bar of 3 when charts were stacked by index).
    assert_eq!(bar(1993).top(), 1);
    let tops: Vec<(usize, u32, u32)> = bar(2025)
        .segments
        .iter()
        .map(|s| (s.group, s.base, s.top))
        .collect();
    assert_eq!(tops, vec![(0, 0, 3), (1, 3, 4)]);
    hover_bar(&mut harness, ymd((2025, 7, 1)));
    let text = harness
        .state()
        .hover_text()
        .expect("a bar is hovered")
        .to_string();
    assert!(text.starts_with("2025: 2025-01-01 to 2025-12-31"), "{text}");
    assert!(text.contains("4 events dated within it"), "{text}");
    assert!(text.contains("3 verbal cooperation"), "{text}");
    assert!(text.contains("1 material cooperation"), "{text}");
    // The tooltip shows it.
    assert!(
        harness
            .query_all_by_label_contains("1 material cooperation")
            .count()
            >= 1
    );
}

#[test]
fn a_window_counting_year_dated_events_shows_them_under_it() {
    let mut doc = sample_document();
    let window = TimeWindow::new(ymd((2025, 6, 1)), ymd((2025, 12, 31)));
    doc.set_window(window);
    assert_eq!(doc.counts.events, 2, "the two events dated only to 2025");
    let mut harness = timeline_harness(doc, (2024, 1, 1), (2025, 12, 31));
    harness.get_by_label_contains("2 of 17 events in the window");
    let unit = harness.state().unit().unwrap();
    let inside: Vec<_> = harness
        .state()
        .drawn_bars()
        .iter()
        .filter(|b| b.start >= window.from && b.until <= window.to + 1)
        .cloned()
        .collect();
    assert!(inside.len() >= 4, "{unit:?} bins in the window");
    for b in &inside {
        assert_eq!(
            (b.within(), b.top()),
            (0, 2),
            "{unit:?} bin from {}",
            b.start
        );
    }
    hover_bar(&mut harness, ymd((2025, 9, 10)));
    let text = harness.state().hover_text().unwrap().to_string();
    assert!(text.contains("no event dated within it"), "{text}");
    assert!(text.contains("\n2 that may fall in it (hatched)"), "{text}");
    assert!(text.contains("2 dated only to 2025"), "{text}");
}

#[test]
fn double_click_and_the_outside_link_show_the_1993_event() {
    let mut harness = app(Vec::new());
    let has_1993 =
        |h: &Harness<'static, RelmapApp>| {
            h.state().timeline().drawn_bars().iter().any(|b| {
                b.start <= ymd((1993, 6, 1)) && ymd((1993, 6, 1)) < b.until && b.top() == 1
            })
        };
    assert!(!has_1993(&harness), "the default view starts in 2023");
    // The count says there is more, and its link shows it.
    harness.get_by_label("1 outside the dates shown").click();
    harness.run_steps(3);
    assert!(has_1993(&harness), "the link shows everything");
    // Back to the default view by a restart is not needed: a double click shows all too.
    let mut harness = app(Vec::new());
    let plot = harness.state().timeline().plot_rect().unwrap();
    let at = plot.center();
    // The harness steps a quarter second a frame, about egui's double-click time (0.3 s).
    harness
        .ctx
        .options_mut(|o| o.input_options.max_double_click_delay = 2.0);
    for _ in 0..2 {
        harness.hover_at(at);
        harness.drag_at(at);
        harness.drop_at(at);
        harness.step();
    }
    harness.run_steps(3);
    assert!(has_1993(&harness), "a double click shows everything");
}

#[test]
fn a_clicked_bar_shows_its_events_in_the_inspector() {
    let mut harness = app(Vec::new());
    let plot = harness.state().timeline().plot_rect().unwrap();
    let mut events = Vec::new();
    for i in 0..80 {
        let x = plot.left() + plot.width() * (i as f32 + 0.5) / 80.0;
        harness.key_press(Key::Escape);
        harness.run_steps(1);
        let at = egui::pos2(x, plot.bottom() - 10.0);
        harness.hover_at(at);
        harness.drag_at(at);
        harness.drop_at(at);
        harness.run_steps(2);
        events = harness.state().highlighted_events().to_vec();
        if events.len() >= 3 {
            break;
        }
    }
    assert!(events.len() >= 3, "a bar of several events was clicked");
    let ds = harness.state().document().unwrap().dataset.clone();
    assert!(
        harness
            .query_all_by_label(&format!("{} events", events.len()))
            .count()
            >= 1
    );
    harness.get_by_label_contains("Actors involved");
    harness.get_by_label_contains(&format!("The events ({})", events.len()));
    for &e in &events {
        assert!(
            harness.query_all_by_label(ds.title(e)).count() >= 1,
            "{} is listed",
            ds.title(e)
        );
        for &a in ds.actors_of(e) {
            assert!(
                harness
                    .query_all_by_role_and_label(Role::Link, &ds.actors.get(a).name)
                    .next()
                    .is_some(),
                "{} can be clicked",
                ds.actors.get(a).name
            );
        }
    }
    // An actor clicked there becomes the selection.
    let first_actor = ds.actors_of(events[0])[0];
    let name = ds.actors.get(first_actor).name.clone();
    harness
        .get_all_by_role_and_label(Role::Link, &name)
        .next()
        .unwrap()
        .click();
    harness.run_steps(2);
    assert_eq!(harness.state().selected(), Some(first_actor));
    assert!(harness.query_by_label_contains("Actors involved").is_none());
}

#[test]
fn a_clicked_table_row_shows_that_event_in_the_inspector() {
    let mut harness = app(Vec::new());
    let count = |h: &Harness<'static, RelmapApp>, label: &str| h.query_all_by_label(label).count();
    // The first row on screen with a place and coordinates.
    let ds = harness.state().document().unwrap().dataset.clone();
    let e = harness
        .state()
        .table_rows()
        .iter()
        .copied()
        .find(|&e| ds.lat_lon(e).is_some() && harness.query_by_label(ds.title(e)).is_some())
        .expect("a located event is in the table");
    let date = ds.date_of(e).to_string();
    let (lat, lon) = ds.lat_lon(e).unwrap();
    let before = [
        harness.query_all_by_label_contains(&date).count(),
        count(&harness, ds.type_name(e)),
        count(&harness, ds.location(e)),
        count(&harness, ds.class[e as usize].label()),
    ];
    harness.get_by_label(ds.title(e)).click();
    harness.run_steps(2);
    assert_eq!(harness.state().highlighted_events(), &[e]);
    harness.get_by_label("Event");
    let after = [
        harness.query_all_by_label_contains(&date).count(),
        count(&harness, ds.type_name(e)),
        count(&harness, ds.location(e)),
        count(&harness, ds.class[e as usize].label()),
    ];
    for i in 0..4 {
        assert!(
            after[i] > before[i],
            "field {i} is shown: {before:?} {after:?}"
        );
    }
    harness.get_by_label(&format!("{lat:.4}, {lon:.4}"));
    harness.get_by_label_contains(&format!("belarus-iran.csv, line {}", ds.line(e)));
    harness.get_by_role_and_label(Role::Link, ds.url(e));
    for &a in ds.actors_of(e) {
        let actor = ds.actors.get(a);
        harness.get_by_role_and_label(Role::Link, &actor.name);
        let mut kind = actor.kind.label().to_string();
        if let Some(c) = actor.affiliation {
            kind.push_str(&format!(" of {}", ds.actors.get(c).name));
        }
        assert!(count(&harness, &kind) >= 1, "{kind}");
    }
    // A year-dated event says so (selected as the table does, wherever it is scrolled).
    let old = (0..ds.len() as u32)
        .find(|&e| ds.title(e) == "Belarus and Iran establish diplomatic relations")
        .unwrap();
    apply(
        &mut harness,
        relmap::ui::Command::SelectEvents(vec![old], false),
    );
    harness.get_by_label("1993 (dated only to the year)");
}

/// A made-up file with events on most days from 1995 to 2025 in every class, so that the
/// timeline has bars at every zoom.
fn busy_document() -> relmap::ui::Document {
    use relmap::model::{DatasetBuilder, EventClass, NewEvent};
    let mut b = DatasetBuilder::new();
    let x = b.actor("Belarus", None).unwrap();
    let y = b.actor("Iran", None).unwrap();
    let first = PartialDate::ymd(1995, 1, 1).unwrap().first_day();
    let last = PartialDate::ymd(2025, 12, 31).unwrap().first_day();
    for day in first..=last {
        // A slow swell over the years, a weekly rhythm, and some noise.
        let k = (day as u64).wrapping_mul(2_654_435_761) % 7;
        let swell = ((day - first) / 1500) as u64;
        for i in 0..(k + swell) % 6 {
            let (yy, mm, dd) = relmap::model::civil_from_day(day);
            b.push(NewEvent {
                date: PartialDate::ymd(yy, mm, dd).unwrap(),
                actors: vec![x, y],
                class: EventClass::ALL[((day as u64 + i) % 4) as usize],
                event_type: "consult".into(),
                ..NewEvent::default()
            });
        }
    }
    let loaded = relmap::io::Loaded {
        dataset: b.finish(None),
        format: relmap::io::Format::Csv,
        diagnostics: relmap::io::Diagnostics::default(),
    };
    let mut doc = relmap::ui::Document::new("busy".into(), None, loaded);
    doc.ensure_timeline_counts(relmap::ui::TimelineGroups::Classes);
    doc
}

/// The timeline alone, zoomed to `from..=to`: checks the unit of its bars and compares a
/// rendered snapshot.
fn timeline_snapshot(name: &str, from: (i32, u8, u8), to: (i32, u8, u8), unit: BinUnit) {
    let doc = busy_document();
    let mut state = relmap::ui::TimelineState::default();
    let day = |(y, m, d): (i32, u8, u8)| PartialDate::ymd(y, m, d).unwrap().first_day();
    state.set_view(day(from), day(to));
    let mut fonts_installed = false;
    let mut harness = Harness::builder()
        .with_size([1000.0, 240.0])
        .wgpu()
        .build_ui_state(
            move |ui, state: &mut relmap::ui::TimelineState| {
                if !std::mem::replace(&mut fonts_installed, true) {
                    relmap::ui::install_fonts(ui.ctx());
                }
                let highlight = relmap::ui::Highlight {
                    events: &[],
                    generation: 0,
                    label: "",
                };
                let mut commands = Vec::new();
                relmap::ui::timeline_ui(ui, &doc, state, &highlight, &mut commands);
            },
            state,
        );
    harness.run_steps(2);
    assert_eq!(harness.state().unit(), Some(unit), "{name}");
    harness.snapshot(name);
}

#[test]
fn timeline_snapshot_at_day_zoom() {
    timeline_snapshot("timeline_days", (2024, 3, 1), (2024, 4, 15), BinUnit::Day);
}

#[test]
fn timeline_snapshot_at_week_zoom() {
    timeline_snapshot("timeline_weeks", (2023, 1, 1), (2024, 6, 30), BinUnit::Week);
}

#[test]
fn timeline_snapshot_at_month_zoom() {
    timeline_snapshot(
        "timeline_months",
        (2016, 1, 1),
        (2024, 12, 31),
        BinUnit::Month,
    );
}

#[test]
fn timeline_snapshot_at_year_zoom() {
    timeline_snapshot(
        "timeline_years",
        (1995, 1, 1),
        (2025, 12, 31),
        BinUnit::Year,
    );
}

#[test]
fn a_selection_made_elsewhere_scrolls_the_table_to_it() {
    let doc = busy_document();
    let n = doc.dataset.len() as u32;
    // Events far down the table.
    let highlight: Vec<u32> = (n - 500..n - 480).collect();
    let wanted = highlight[0];
    let mut generation = 0u64;
    let mut fonts_installed = false;
    let mut harness = Harness::builder()
        .with_size([1200.0, 300.0])
        .wgpu()
        .build_ui_state(
            move |ui, state: &mut relmap::ui::TableState| {
                if !std::mem::replace(&mut fonts_installed, true) {
                    relmap::ui::install_fonts(ui.ctx());
                }
                let mut commands = Vec::new();
                generation += 1;
                let g = generation.min(3);
                let shown: &[u32] = if g == 3 { &highlight } else { &[] };
                relmap::ui::table_ui(ui, &doc, state, shown, g, &mut commands);
            },
            relmap::ui::TableState::default(),
        );
    harness.run_steps(8);
    let rows = harness.state().rows().to_vec();
    let place = rows.iter().position(|&e| e == wanted).unwrap();
    assert!(place > 20_000, "the event is far down ({place})");
    let visible = harness.state().first_visible_row();
    assert!(
        visible + 30 > place && visible <= place,
        "row {place} is on screen (first visible {visible})"
    );
}

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

fn apply(harness: &mut Harness<'static, RelmapApp>, command: relmap::ui::Command) {
    let ctx = harness.ctx.clone();
    harness.state_mut().apply(&ctx, command);
    harness.run_steps(2);
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

/// What the user can see of the data: every event with its actors, and every actor.
fn data_picture(harness: &Harness<'static, RelmapApp>) -> (Vec<String>, Vec<String>) {
    let ds = &harness.state().document().unwrap().dataset;
    let mut events: Vec<String> = (0..ds.len() as u32)
        .map(|e| {
            let names: Vec<&str> = ds
                .actors_of(e)
                .iter()
                .map(|&a| ds.actors.get(a).name.as_str())
                .collect();
            format!(
                "{} {names:?} {} {}",
                ds.date_of(e),
                ds.type_name(e),
                ds.title(e)
            )
        })
        .collect();
    events.sort();
    let actors = ds
        .actors
        .iter()
        .map(|(_, a)| {
            let country = a
                .affiliation
                .map(|c| ds.actors.get(c).name.clone())
                .unwrap_or_default();
            format!("{} {} {country}", a.name, a.kind.label())
        })
        .collect();
    (events, actors)
}

#[test]
fn every_kind_of_edit_is_undone_and_redone_from_the_keyboard() {
    use relmap::model::{ActorKind, Edit, NewEvent};
    use relmap::ui::Command;
    let mut harness = app(Vec::new());
    let ds = &harness.state().document().unwrap().dataset;
    let find = |name: &str| ds.actors.find(name).unwrap();
    let (khrenin, nasirzadeh, iran) = (
        find("Viktar Khrenin"),
        find("Aziz Nasirzadeh"),
        find("Iran"),
    );
    let new_event = NewEvent {
        date: PartialDate::ymd(2025, 6, 1).unwrap(),
        actors: vec![khrenin, iran],
        event_type: "consult".into(),
        title: "A call between Minsk and Tehran".into(),
        weight: 1.0,
        ..NewEvent::default()
    };
    let edits = vec![
        (
            "rename Viktar Khrenin",
            Command::Edit(Edit::RenameActor {
                actor: khrenin,
                name: "V. Khrenin".into(),
            }),
        ),
        (
            "set the kind of Viktar Khrenin",
            Command::Edit(Edit::SetKind {
                actor: khrenin,
                kind: ActorKind::Organisation,
            }),
        ),
        (
            "set the country of Viktar Khrenin",
            Command::Edit(Edit::SetCountry {
                actor: khrenin,
                country: Some(iran),
            }),
        ),
        (
            "merge Aziz Nasirzadeh into Viktar Khrenin",
            Command::Edit(Edit::Merge {
                keep: khrenin,
                merged: nasirzadeh,
            }),
        ),
        (
            "add event",
            Command::Edit(Edit::AddEvent { event: new_event }),
        ),
        (
            "edit event",
            Command::Edit(Edit::ChangeEvent {
                event: 4,
                with: relmap::model::event_record(ds, 4).with_title("Retitled"),
            }),
        ),
        (
            "delete event",
            Command::Edit(Edit::DeleteEvent { event: 2 }),
        ),
    ];
    for (label, command) in edits {
        let before = data_picture(&harness);
        apply(&mut harness, command);
        let after = data_picture(&harness);
        assert_ne!(after, before, "{label} changed the data");
        assert_eq!(harness.state().undo_label(), Some(label));
        // Undo from the Edit menu, which names the action.
        harness.get_by_label("Edit").click();
        harness.run_steps(3);
        harness
            .get_by_label_contains(&format!("Undo {label}"))
            .click();
        harness.run_steps(3);
        assert_eq!(data_picture(&harness), before, "{label} undone");
        harness.key_press_modifiers(Modifiers::COMMAND | Modifiers::SHIFT, Key::Z);
        harness.run_steps(2);
        assert_eq!(data_picture(&harness), after, "{label} redone");
        harness.key_press_modifiers(Modifiers::COMMAND, Key::Z);
        harness.run_steps(2);
        assert_eq!(data_picture(&harness), before);
    }
}

#[test]
fn moving_and_pinning_nodes_are_undone_in_one_step_each() {
    use relmap::ui::Command;
    let mut harness = app(Vec::new());
    let ds = &harness.state().document().unwrap().dataset;
    let belarus = ds.actors.find("Belarus").unwrap() as usize;
    let start = harness.state().document().unwrap().target[belarus];
    // A drag is many small moves: one step.
    for _ in 0..5 {
        apply(&mut harness, Command::MoveNode(belarus as u32, [10.0, 4.0]));
    }
    let doc = harness.state().document().unwrap();
    assert!(doc.pinned[belarus]);
    assert_ne!(doc.target[belarus], start);
    assert_eq!(harness.state().undo_label(), Some("move Belarus"));
    harness.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    harness.run_steps(2);
    let doc = harness.state().document().unwrap();
    assert_eq!(doc.target[belarus], start, "back where it was");
    assert!(!doc.pinned[belarus], "and not pinned");
    apply(&mut harness, Command::SetPinned(vec![belarus as u32], true));
    assert!(harness.state().document().unwrap().pinned[belarus]);
    harness.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    harness.run_steps(2);
    assert!(!harness.state().document().unwrap().pinned[belarus]);
}

#[test]
fn an_event_added_in_the_editor_appears_in_the_table_and_on_the_map() {
    let mut harness = app(Vec::new());
    harness.get_by_label("Add event…").click();
    harness.run_steps(2);
    let set = |harness: &mut Harness<'static, RelmapApp>, label: &str, text: &str| {
        harness
            .get_by_role_and_label(Role::TextInput, label)
            .click();
        harness.run_steps(1);
        harness.key_press_modifiers(Modifiers::COMMAND, Key::A);
        harness
            .get_by_role_and_label(Role::TextInput, label)
            .type_text(text);
        harness.run_steps(1);
    };
    set(&mut harness, "Date", "2025-05-20");
    set(
        &mut harness,
        "Actors",
        "Belarus; Kazakhstan; Nikolai Ivanov",
    );
    set(&mut harness, "Title", "Trilateral talks in Astana");
    harness.get_by_label("OK").click();
    harness.run_steps(3);
    let doc = harness.state().document().unwrap();
    assert_eq!(doc.dataset.len(), 18);
    let kz = doc
        .dataset
        .actors
        .find("Kazakhstan")
        .expect("a new country");
    assert!(
        doc.counts.actor_events[kz as usize] > 0,
        "on the map in the window"
    );
    assert!(has_node(&harness, "Nikolai Ivanov"));
    let rows = harness.state().table_rows();
    assert!(
        rows.iter()
            .any(|&e| doc.dataset.title(e) == "Trilateral talks in Astana")
    );
    assert_eq!(harness.state().undo_label(), Some("add event"));
}

#[test]
fn recorded_scenes_are_presented_with_the_arrow_keys_and_saved_with_the_workspace() {
    use relmap::ui::Command;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("briefing.relmap");
    let mut harness = app(Vec::new());
    let ds = &harness.state().document().unwrap().dataset;
    let belarus = ds.actors.find("Belarus").unwrap();
    let early = TimeWindow::new(ds.start[1], ds.start[6]);
    let late = TimeWindow::new(ds.start[10], ds.start[16]);
    apply(&mut harness, Command::SetWindow(early));
    apply(&mut harness, Command::Select(Some(belarus)));
    apply(&mut harness, Command::RecordScene("Early contacts".into()));
    apply(&mut harness, Command::Select(None));
    apply(&mut harness, Command::SetWindow(late));
    apply(
        &mut harness,
        Command::RecordScene("The 2025 agreements".into()),
    );
    assert_eq!(harness.state().scenes().len(), 2);

    // Present: the first scene, full screen, its title large.
    harness.key_press(Key::F5);
    harness.run_steps(6);
    assert!(harness.state().is_presenting());
    harness.get_by_label("Early contacts");
    assert_eq!(harness.state().document().unwrap().window(), early);
    assert_eq!(harness.state().selection(), &[belarus]);
    harness.key_press(Key::ArrowRight);
    harness.run_steps(2);
    let midway = harness.state().document().unwrap().window();
    assert_ne!(midway, early, "the window glides");
    harness.run_steps(4);
    assert_eq!(harness.state().document().unwrap().window(), late);
    harness.get_by_label("The 2025 agreements");
    harness.key_press(Key::ArrowLeft);
    harness.run_steps(6);
    assert_eq!(harness.state().document().unwrap().window(), early);
    harness.key_press(Key::Escape);
    harness.run_steps(2);
    assert!(!harness.state().is_presenting());

    apply(&mut harness, Command::SaveWorkspace(path.clone()));
    drop(harness);
    let reopened = app(vec![path]);
    let titles: Vec<&str> = reopened
        .state()
        .scenes()
        .iter()
        .map(|s| s.title.as_str())
        .collect();
    assert_eq!(titles, ["Early contacts", "The 2025 agreements"]);
}

#[test]
fn a_merged_actor_is_split_off_again_from_the_inspector() {
    use relmap::model::Edit;
    use relmap::ui::Command;
    let mut harness = app(Vec::new());
    let before = data_picture(&harness);
    let ds = &harness.state().document().unwrap().dataset;
    let (khrenin, nasirzadeh) = (
        ds.actors.find("Viktar Khrenin").unwrap(),
        ds.actors.find("Aziz Nasirzadeh").unwrap(),
    );
    apply(
        &mut harness,
        Command::Edit(Edit::Merge {
            keep: khrenin,
            merged: nasirzadeh,
        }),
    );
    // Something else happens after the merge: the split is not simply an undo.
    apply(&mut harness, Command::SetPinned(vec![khrenin], true));
    apply(&mut harness, Command::Select(Some(khrenin)));
    assert_ne!(data_picture(&harness), before);
    harness.get_by_label("Edit actor").click();
    harness.run_steps(2);
    harness
        .get_by_label("Split Aziz Nasirzadeh off again")
        .click();
    harness.run_steps(3);
    assert_eq!(data_picture(&harness), before, "the events went back");
    assert_eq!(
        harness.state().undo_label(),
        Some("split Aziz Nasirzadeh off")
    );
    assert!(harness.state().document().unwrap().pinned[khrenin as usize]);
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

/// The app on the sample, allowed enough steps for its animations to end.
fn settling_app(files: Vec<PathBuf>) -> Harness<'static, RelmapApp> {
    let mut harness = Harness::builder()
        .with_size([1400.0, 900.0])
        .with_max_steps(120)
        .wgpu()
        .build_eframe(move |cc| RelmapApp::new(cc, files, LoadOptions::default()));
    wait_until_loaded(&mut harness);
    harness
}

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

#[test]
fn an_untouched_window_stops_asking_for_frames() {
    let mut harness = settling_app(Vec::new());
    // `try_run` steps until no frame asks for another; a window that repaints every frame
    // (the title sent as a viewport command each frame did) never gets there.
    let settled = harness.try_run();
    assert!(settled.is_ok(), "{}", settled.unwrap_err());
    // And stays quiet: another frame, unprompted, asks for nothing immediate either.
    let again = harness.try_run();
    assert_eq!(again.ok(), Some(1), "one frame, then quiet");
}

#[test]
fn a_failed_export_says_what_failed_and_why_in_the_window() {
    use relmap::ui::Command;
    let mut harness = app(Vec::new());
    let dir = tempfile::tempdir().unwrap();
    let nowhere = dir.path().join("no/such/folder/map.png");
    apply(&mut harness, Command::ExportImage(nowhere));
    assert_eq!(
        harness.state().error_title(),
        Some("Could not export the map")
    );
    assert!(harness.state().error().unwrap().contains("map.png"));
    // The window and the status bar's history both say it.
    harness.get_by_label("Could not export the map");
    assert!(
        harness
            .state()
            .notices()
            .iter()
            .any(|n| n.text.contains("Could not export the map"))
    );
    // A success is said too (it used to go to a message nothing drew).
    apply(&mut harness, Command::DismissError);
    let png = dir.path().join("map.png");
    apply(&mut harness, Command::ExportImage(png.clone()));
    assert!(png.exists());
    assert!(
        harness
            .get_all_by_label_contains("Saved the map as")
            .count()
            >= 1
    );
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
fn a_rejected_event_edit_adds_no_actors() {
    let mut harness = app(Vec::new());
    let actors_before = harness.state().document().unwrap().dataset.actors.len();
    harness.get_by_label("Add event…").click();
    harness.run_steps(2);
    let set = |harness: &mut Harness<'static, RelmapApp>, label: &str, text: &str| {
        harness
            .get_by_role_and_label(Role::TextInput, label)
            .click();
        harness.run_steps(1);
        harness.key_press_modifiers(Modifiers::COMMAND, Key::A);
        harness
            .get_by_role_and_label(Role::TextInput, label)
            .type_text(text);
        harness.run_steps(1);
    };
    set(&mut harness, "Date", "2025-05-20");
    // The end before the start: the edit is refused, after the names were read.
    set(&mut harness, "End date", "2024-01-01");
    set(&mut harness, "Actors", "Belarus; Nikolai Ivanov");
    harness.get_by_label("OK").click();
    harness.run_steps(3);
    assert_eq!(harness.state().error_title(), Some("Could not add event"));
    let doc = harness.state().document().unwrap();
    assert_eq!(doc.dataset.len(), 17);
    assert_eq!(doc.dataset.actors.len(), actors_before);
    assert!(doc.dataset.actors.find("Nikolai Ivanov").is_none());
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

#[test]
fn a_scene_title_typed_just_before_record_keeps_every_character() {
    use relmap::ui::Command;
    let mut harness = app(Vec::new());
    apply(&mut harness, Command::ShowScenes(true));
    harness
        .get_by_role_and_label(Role::TextInput, "Title")
        .click();
    harness.run_steps(1);
    // The last keys and the click land in one frame, as on a slow (software-rendered) display.
    harness
        .get_by_role_and_label(Role::TextInput, "Title")
        .type_text("Belt of Security");
    harness.get_by_label("Record Scene").click();
    harness.run_steps(3);
    let titles: Vec<&str> = harness
        .state()
        .scenes()
        .iter()
        .map(|s| s.title.as_str())
        .collect();
    assert_eq!(titles, vec!["Belt of Security"]);
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
    let mut harness = app_with_builtin_dialog(Vec::new());
    harness.key_press_modifiers(Modifiers::COMMAND, Key::O);
    harness.run_steps(3);
    type_into(
        &mut harness,
        "Path",
        &fixture("tests").display().to_string(),
    );
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

#[test]
fn the_open_button_takes_the_selected_file_and_all_files_lists_the_rest() {
    let mut harness = app_with_builtin_dialog(Vec::new());
    harness.key_press_modifiers(Modifiers::COMMAND, Key::O);
    harness.run_steps(3);
    type_into(
        &mut harness,
        "Path",
        &fixture("tests/fixtures").display().to_string(),
    );
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
fn several_files_picked_in_the_dialog_open_the_first_and_list_the_others_as_recent() {
    let mut harness = app_with_builtin_dialog(Vec::new());
    harness.key_press_modifiers(Modifiers::COMMAND, Key::O);
    harness.run_steps(3);
    type_into(
        &mut harness,
        "Path",
        &fixture("tests/fixtures").display().to_string(),
    );
    harness.get_by_label("bad_rows.csv").click();
    harness.run_steps(2);
    harness
        .get_by_label("spreadsheet.csv")
        .click_modifiers(Modifiers::COMMAND);
    harness.run_steps(2);
    harness.get_by_label("Open").click();
    harness.run_steps(3);
    wait_until_loaded(&mut harness);
    assert_eq!(harness.state().document().unwrap().name, "bad_rows.csv");
    let recent = harness.state().recent_files();
    assert!(recent[0].ends_with("bad_rows.csv"), "{recent:?}");
    assert!(recent[1].ends_with("spreadsheet.csv"), "{recent:?}");
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
