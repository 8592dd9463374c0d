//! `relmap::analysis` against networkx: Zachary's karate club and the GDELT 2.0 sample's
//! whole-span graph, every metric equal to 1e-3 relative, Louvain's Q ≥ 0.41 on the club.
//! Expected values: `benches/tools/networkx_expected.py` (networkx 3.6.1), committed beside
//! the fixtures.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use relmap::analysis::{self, ActorMetrics, SourcePlan, WindowGraph};
use relmap::io::{LoadOptions, Progress, load_path};
use relmap::model::{EventFilter, TimeWindow};

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

fn expected(name: &str) -> serde_json::Value {
    let text = std::fs::read_to_string(fixture(name)).unwrap();
    serde_json::from_str(&text).unwrap()
}

/// `|got − want| ≤ 1e-3 · |want|`, or within 1e-12 of a zero.
fn close(got: f64, want: f64) -> bool {
    (got - want).abs() <= 1e-3 * want.abs().max(1e-9)
}

/// Compares every node's metrics; `node` maps an expected node name to a graph node.
fn check_against_networkx(
    graph: &WindowGraph,
    metrics: &ActorMetrics,
    expected: &serde_json::Value,
    node: impl Fn(&str) -> usize,
) {
    let nodes = expected["nodes"].as_object().unwrap();
    assert_eq!(nodes.len(), graph.node_count());
    let mut mismatches = Vec::new();
    for (name, want) in nodes {
        let v = node(name);
        let got = [
            ("degree", metrics.degree[v] as f64),
            ("weighted_degree", metrics.weighted_degree[v]),
            ("betweenness", metrics.betweenness[v]),
            ("closeness", metrics.closeness[v]),
            ("eigenvector", metrics.eigenvector[v]),
            ("pagerank", metrics.pagerank[v]),
        ];
        for (metric, got) in got {
            let want = want[metric].as_f64().unwrap();
            if !close(got, want) {
                mismatches.push(format!("{name} {metric}: {got} vs networkx {want}"));
            }
        }
    }
    assert!(mismatches.is_empty(), "{}", mismatches.join("\n"));
}

/// relmap's modularity of networkx's partitions equals networkx's.
fn check_modularity(
    graph: &WindowGraph,
    expected: &serde_json::Value,
    node: impl Fn(&str) -> usize,
) {
    for part in expected["partitions"].as_array().unwrap() {
        let mut membership = vec![0u32; graph.node_count()];
        for (name, c) in part["membership"].as_object().unwrap() {
            membership[node(name)] = c.as_u64().unwrap() as u32;
        }
        let want = part["modularity"].as_f64().unwrap();
        let got = analysis::modularity(graph, &membership);
        assert!(
            (got - want).abs() < 1e-9,
            "{}: {got} vs {want}",
            part["name"]
        );
    }
}

fn karate() -> WindowGraph {
    let text = std::fs::read_to_string(fixture("karate_club.txt")).unwrap();
    let edges: Vec<(u32, u32, f64)> = text
        .lines()
        .filter(|l| !l.starts_with('#'))
        .map(|l| {
            let (a, b) = l.split_once(' ').unwrap();
            (a.parse().unwrap(), b.parse().unwrap(), 1.0)
        })
        .collect();
    assert_eq!(edges.len(), 78);
    WindowGraph::from_edges(34, &edges)
}

#[test]
fn karate_club_metrics_equal_networkx() {
    let graph = karate();
    let metrics = ActorMetrics::compute(&graph, &SourcePlan::automatic(&graph));
    assert!(metrics.estimate.is_none(), "34 nodes are computed exactly");
    let expected = expected("karate_club.networkx.json");
    let node = |name: &str| name.parse::<usize>().unwrap();
    check_against_networkx(&graph, &metrics, &expected, node);
    check_modularity(&graph, &expected, node);
}

#[test]
fn karate_club_communities_reach_q_0_41() {
    let graph = karate();
    for seed in 0..20 {
        let c = analysis::louvain(&graph, seed);
        assert!(c.modularity >= 0.41, "seed {seed}: Q {}", c.modularity);
        assert!((c.modularity - analysis::modularity(&graph, &c.membership)).abs() < 1e-12);
        assert!(
            (3..=5).contains(&c.count),
            "seed {seed}: {} communities",
            c.count
        );
    }
}

#[test]
fn gdelt_sample_metrics_equal_networkx() {
    let loaded = load_path(
        &fixture("gdelt2_20191024143000.export.CSV"),
        &LoadOptions::default(),
        &Progress::new(),
    )
    .unwrap();
    let ds = &loaded.dataset;
    let graph = WindowGraph::of_window(ds, TimeWindow::all(ds), EventFilter::all());
    let name = |v: u32| ds.actors.get(graph.actors[v as usize]).name.clone();

    // The graph is the one networkx was given (written by `examples/window_ties.rs`).
    let ties_text = std::fs::read_to_string(fixture("gdelt2_20191024143000.ties.tsv")).unwrap();
    let mut want_ties: Vec<(String, String, f64)> = ties_text
        .lines()
        .filter(|l| !l.starts_with('#'))
        .map(|l| {
            let f: Vec<&str> = l.split('\t').collect();
            let (a, b) = (f[0].to_string(), f[1].to_string());
            (a.clone().min(b.clone()), a.max(b), f[2].parse().unwrap())
        })
        .collect();
    let mut got_ties: Vec<(String, String, f64)> = graph
        .ties
        .iter()
        .map(|t| {
            let (a, b) = (name(t.a), name(t.b));
            (a.clone().min(b.clone()), a.max(b), t.weight)
        })
        .collect();
    want_ties.sort_by(|x, y| x.partial_cmp(y).unwrap());
    got_ties.sort_by(|x, y| x.partial_cmp(y).unwrap());
    assert_eq!(got_ties, want_ties);
    assert!(
        graph.ties.iter().any(|t| t.weight > 1.0),
        "the sample has repeated ties, so the weights are tested"
    );

    let metrics = ActorMetrics::compute(&graph, &SourcePlan::automatic(&graph));
    assert!(metrics.estimate.is_none());
    let index: HashMap<String, usize> = (0..graph.node_count() as u32)
        .map(|v| (name(v), v as usize))
        .collect();
    let expected = expected("gdelt2_20191024143000.networkx.json");
    let node = |n: &str| index[n];
    check_against_networkx(&graph, &metrics, &expected, node);
    check_modularity(&graph, &expected, node);
    // Louvain here against networkx's Louvain on the same graph: as good, within 1%.
    let theirs = expected["louvain_modularity"].as_f64().unwrap();
    assert!(
        metrics.modularity >= 0.99 * theirs,
        "Q {} vs networkx {theirs}",
        metrics.modularity
    );
}
