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
