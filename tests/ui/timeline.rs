//! The timeline: the window typed, drawn and dragged, playback, bars stacked by date, coarse dates, hover counts, snapshots at every zoom.

use super::*;

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
                relmap::ui::timeline_ui(
                    ui,
                    &doc,
                    state,
                    &highlight,
                    &[],
                    relmap::analysis::Measure::PageRank,
                    &mut commands,
                );
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

/// A made-up file with events on most days from 1995 to 2025 in every class, so that the
/// timeline has bars at every zoom.
pub(crate) fn busy_document() -> relmap::ui::Document {
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
                relmap::ui::timeline_ui(
                    ui,
                    &doc,
                    state,
                    &highlight,
                    &[],
                    relmap::analysis::Measure::PageRank,
                    &mut commands,
                );
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
fn theme_lines_give_a_lane_per_selected_actor_and_a_click_on_a_mark_selects_its_event() {
    use relmap::ui::Command;
    let mut harness = app(Vec::new());
    let ds = harness.state().document().unwrap().dataset.clone();
    let belarus = ds.actors.find("Belarus").unwrap();
    let iran = ds.actors.find("Iran").unwrap();
    apply(&mut harness, Command::Select(Some(belarus)));
    apply(&mut harness, Command::ToggleSelected(iran));
    harness.get_by_label("Theme lines").click();
    harness.run_steps(3);
    // Two lanes, named on the axis: the busier first (on top).
    harness.get_by_label("Theme lines");
    let doc = harness.state().document().unwrap();
    let events = |a| doc.index.events_of_actor(a).len();
    let (top, bottom) = if events(belarus) >= events(iran) {
        (belarus, iran)
    } else {
        (iran, belarus)
    };
    // The top lane's last event (2025, on screen in the default view), clicked.
    let e = *doc.index.events_of_actor(top).last().unwrap();
    let x = (ds.start[e as usize] as f64 + (ds.end[e as usize] + 1) as f64) / 2.0;
    let at = harness.state().timeline().screen_pos(x, 1.0).unwrap();
    let below = harness.state().timeline().screen_pos(x, 0.0).unwrap();
    assert!(at.y < below.y, "lane {top} above lane {bottom}");
    harness.hover_at(at);
    harness.drag_at(at);
    harness.drop_at(at);
    harness.run_steps(3);
    assert_eq!(harness.state().highlighted_events(), &[e]);
}

#[test]
fn one_selected_actors_measure_and_rank_are_drawn_per_bar_under_the_timeline() {
    use relmap::ui::Command;
    let mut harness = app(Vec::new());
    let belarus = harness
        .state()
        .document()
        .unwrap()
        .dataset
        .actors
        .find("Belarus")
        .unwrap();
    apply(&mut harness, Command::Select(Some(belarus)));
    harness.get_by_label("Rank").click();
    let start = Instant::now();
    while harness.state().timeline().over_time_values().is_empty() {
        assert!(
            start.elapsed() < Duration::from_secs(20),
            "never worked out"
        );
        std::thread::sleep(Duration::from_millis(20));
        harness.step();
    }
    let values = harness.state().timeline().over_time_values();
    assert!(
        values
            .iter()
            .all(|b| b.rank >= 1 && b.rank <= b.of && b.value > 0.0)
    );
}
