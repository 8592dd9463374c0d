//! Network analysis in the app: the Actors panel with the window's metrics, node size and
//! colour by them, the backbone.

use super::*;
use relmap::analysis::Measure;
use relmap::export::picture::NodeColouring;
use relmap::ui::Command;

/// Steps the app until the window's metrics are worked out (at most 20 s).
fn wait_for_metrics(harness: &mut Harness<'static, RelmapApp>) {
    let start = Instant::now();
    while harness.state().window_metrics().is_none() || harness.state().actor_rows().is_empty() {
        assert!(
            start.elapsed() < Duration::from_secs(20),
            "the metrics never came"
        );
        std::thread::sleep(Duration::from_millis(20));
        harness.step();
    }
    harness.run_steps(2);
}

#[test]
fn the_actors_panel_lists_the_windows_actors_by_pagerank_and_a_click_selects_on_the_map() {
    let mut harness = app(Vec::new());
    harness.key_press_modifiers(Modifiers::COMMAND | Modifiers::SHIFT, Key::K);
    harness.run_steps(2);
    wait_for_metrics(&mut harness);
    let state = harness.state();
    let metrics = state.window_metrics().unwrap();
    let rows = state.actor_rows().to_vec();
    assert_eq!(rows.len(), metrics.graph.node_count());
    let ranks: Vec<f64> = rows
        .iter()
        .map(|&a| metrics.value(a, Measure::PageRank).unwrap())
        .collect();
    assert!(ranks.windows(2).all(|w| w[0] >= w[1]), "{ranks:?}");
    harness.get_by_label("PageRank ▼");
    harness.get_by_label("Export CSV…");

    // The top actor's row selects it.
    let top = rows[0];
    let name = harness
        .state()
        .document()
        .unwrap()
        .dataset
        .actors
        .get(top)
        .name
        .clone();
    harness
        .get_all_by_label(&name)
        .find(|n| n.rect().min.y > 500.0)
        .expect("the top actor's row")
        .click();
    harness.run_steps(3);
    assert_eq!(harness.state().selection(), &[top]);

    // Sorting by name puts the rows in alphabetical order.
    harness.get_by_label("Actor").click();
    harness.run_steps(2);
    let ds = &harness.state().document().unwrap().dataset;
    let names: Vec<&str> = harness
        .state()
        .actor_rows()
        .iter()
        .map(|&a| ds.actors.get(a).name.as_str())
        .collect();
    let mut sorted = names.clone();
    sorted.sort();
    assert_eq!(names, sorted);
}

#[test]
fn colouring_by_community_and_significant_ties_only_need_no_panel() {
    let mut harness = app(Vec::new());
    let mut style = harness.state().style().clone();
    style.node_colour = NodeColouring::Community;
    style.node_size = Measure::Betweenness;
    style.backbone_alpha = Some(0.2);
    apply(&mut harness, Command::SetStyle(style));
    // Worked out for the map although the Actors panel is closed.
    wait_for_metrics_only(&mut harness);
    assert!(
        harness.state().actor_rows().is_empty(),
        "the panel is closed"
    );
    assert!(has_node(&harness, "Belarus"));
}

fn wait_for_metrics_only(harness: &mut Harness<'static, RelmapApp>) {
    let start = Instant::now();
    while harness.state().window_metrics().is_none() {
        assert!(start.elapsed() < Duration::from_secs(20), "no metrics");
        std::thread::sleep(Duration::from_millis(20));
        harness.step();
    }
    harness.run_steps(3);
}

/// Steps the app until a notice containing `text` has been given (at most 60 s).
fn wait_for_notice(harness: &mut Harness<'static, RelmapApp>, text: &str) {
    let start = Instant::now();
    while !harness
        .state()
        .notices()
        .iter()
        .any(|n| n.text.contains(text))
    {
        assert!(
            start.elapsed() < Duration::from_secs(60),
            "no notice {text:?}: {:?} {:?}",
            harness.state().error(),
            harness
                .state()
                .notices()
                .iter()
                .map(|n| n.text.clone())
                .collect::<Vec<_>>()
        );
        std::thread::sleep(Duration::from_millis(50));
        harness.step();
    }
}

#[test]
fn the_network_is_exported_as_gexf_on_a_worker_and_the_user_is_told() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("sample.gexf");
    let mut harness = app(Vec::new());
    apply(&mut harness, Command::ExportNetwork(path.clone()));
    wait_for_notice(&mut harness, "Wrote the network");
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(text.contains("<gexf"), "{}", &text[..200.min(text.len())]);
    assert_eq!(text.matches("<node ").count(), 17);
}

#[test]
fn export_animation_writes_a_gif_of_the_range_with_progress_and_says_where() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("film.gif");
    let mut harness = app(Vec::new());
    harness.get_by_label("File").click();
    harness.run_steps(2);
    harness.get_by_label("Export Animation…").click();
    harness.run_steps(3);
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
    set(&mut harness, "Films from", "2024-06");
    set(&mut harness, "until", "2024-09");
    set(&mut harness, "Save as", &path.display().to_string());
    harness.get_by_label("Export").click();
    harness.run_steps(2);
    assert_eq!(
        harness.state().animation_status(),
        Some((None, true)),
        "exporting"
    );
    // One frame per week (the timeline's bars) from June to September.
    wait_for_notice(&mut harness, "Wrote a film of 19 frames");
    let bytes = std::fs::read(&path).unwrap();
    assert!(bytes.starts_with(b"GIF89a"));
    assert!(
        harness.query_by_label("Export Animation").is_none(),
        "the dialog closed"
    );
}
