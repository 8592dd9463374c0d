//! The map: actors on it, clicking, selecting, focusing, finding, switching layouts.

use super::*;

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
