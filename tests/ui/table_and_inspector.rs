//! The event table and the inspector: sorting, searching, what a clicked bar or row shows, selections reaching the table.

use super::*;
use crate::timeline::busy_document;

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

#[test]
fn an_aggregate_row_says_how_many_events_it_stands_for() {
    let mut harness = app(vec![fixture("tests/fixtures/aggregates/native_counts.csv")]);
    let ds = harness.state().document().unwrap().dataset.clone();
    assert_eq!(ds.event_total(), 78);
    // The status bar and the table count events; the table has a column of counts.
    assert!(
        harness
            .query_all_by_label_contains("78 events in 6 rows")
            .count()
            >= 1
    );
    harness.get_by_role_and_label(Role::Button, "Count");
    assert!(
        harness.query_by_label("57").is_some(),
        "the count is in its row"
    );
    let title = "Defence ministers sign a cooperation protocol";
    harness.get_by_label(title).click();
    harness.run_steps(2);
    harness.get_by_label("Aggregate");
    harness.get_by_label("57 events (aggregated)");
    harness.get_by_label("Sample source");
    harness.get_by_role_and_label(Role::Link, "https://example.org/protocol");
    // Several rows: their events, and how many rows they are.
    let march: Vec<u32> = (0..ds.len() as u32)
        .filter(|&e| ds.date_of(e).to_string() == "2025-03-14")
        .collect();
    apply(
        &mut harness,
        relmap::ui::Command::SelectEvents(march, false),
    );
    harness.get_by_label("60 events in 2 rows");
    // A plain event stays an event.
    let plain = (0..ds.len() as u32)
        .find(|&e| ds.multiplicity(e) == 1)
        .unwrap();
    apply(
        &mut harness,
        relmap::ui::Command::SelectEvents(vec![plain], false),
    );
    harness.get_by_label("Event");
    assert!(harness.query_by_label_contains("(aggregated)").is_none());
}
