//! Network metrics (`relmap::analysis`) on the synthetic actor graphs of `benches/graph.rs`
//! (heavy-tailed degrees, ties mostly inside a country: community structure): 10,000 actors /
//! 50,000 ties and 100,000 / 500,000, tie weights 1–20 events.
//!
//! Measured: PageRank, eigenvector, Louvain communities, betweenness + closeness (exact at
//! 10k, sampled by `SourcePlan::automatic` at 100k), and at 10k what a window move costs
//! before betweenness: recounting a one-day step, rebuilding the graph, degrees, PageRank,
//! eigenvector and communities.
//!
//!     cargo bench --bench metrics --no-default-features
//!
//! The peer, python-igraph, runs on the same graphs in `benches/tools/compare_igraph.py`,
//! which also reads this bench's medians from `target/criterion` and prints the ratios. This
//! bench writes each graph to `target/bench-data/metrics-A-E.txt` (`# nodes N edges M`, then
//! `a b weight` per tie) and the sampled sources at 100k to `metrics-A-E.sources.txt`. It also
//! prints, once, how far the sampled betweenness at 10k is from the exact one.

use std::path::PathBuf;
use std::sync::atomic::AtomicBool;
use std::time::Duration;

use criterion::{Criterion, criterion_group, criterion_main};
use relmap::analysis::{self, SourcePlan, WindowGraph};
use relmap::model::{TimeWindow, WindowCounts};

#[path = "graph.rs"]
mod graph;

fn data_path(actors: usize, edges: usize, suffix: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(format!(
        "target/bench-data/metrics-{actors}-{edges}{suffix}"
    ))
}

fn write_graph(g: &WindowGraph, path: &PathBuf) {
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    let mut text = format!("# nodes {} edges {}\n", g.node_count(), g.tie_count());
    for t in &g.ties {
        text.push_str(&format!("{} {} {}\n", t.a, t.b, t.weight));
    }
    std::fs::write(path, text).unwrap();
}

/// How the sample compares with the exact figures: the relative error of the 100 most
/// central nodes, and how many of them lie within two standard errors.
fn report_sampling_error(g: &WindowGraph) {
    let never = AtomicBool::new(false);
    let exact = analysis::path_metrics(g, &SourcePlan::exact(g), &never).unwrap();
    let mut order: Vec<usize> = (0..g.node_count()).collect();
    order.sort_by(|&a, &b| exact.betweenness[b].total_cmp(&exact.betweenness[a]));
    let top = &order[..100];
    for sources in [128, 1270] {
        let sampled =
            analysis::path_metrics(g, &SourcePlan::sampled(g, sources, 1), &never).unwrap();
        let estimate = sampled.estimate.as_ref().unwrap();
        let relative: Vec<f64> = top
            .iter()
            .map(|&v| (sampled.betweenness[v] - exact.betweenness[v]).abs() / exact.betweenness[v])
            .collect();
        let within = top
            .iter()
            .filter(|&&v| {
                (sampled.betweenness[v] - exact.betweenness[v]).abs()
                    <= 2.0 * estimate.betweenness_standard_error[v]
            })
            .count();
        let closeness_error = (0..g.node_count())
            .map(|v| (sampled.closeness[v] - exact.closeness[v]).abs() / exact.closeness[v])
            .fold(0.0, f64::max);
        eprintln!(
            "sampled betweenness at {} nodes, {sources} sources: top-100 relative error mean \
             {:.3}, max {:.3}; {within} of the top 100 within 2 standard errors; closeness max \
             relative error {:.3}",
            g.node_count(),
            relative.iter().sum::<f64>() / relative.len() as f64,
            relative.iter().copied().fold(0.0, f64::max),
            closeness_error
        );
    }
}

/// For a graph too large for exact figures: the standard error the sample reports for the
/// 100 most central nodes (by the estimate), relative to their value.
fn report_estimated_error(g: &WindowGraph, plan: &SourcePlan) {
    let never = AtomicBool::new(false);
    let sampled = analysis::path_metrics(g, plan, &never).unwrap();
    let estimate = sampled.estimate.as_ref().unwrap();
    let mut order: Vec<usize> = (0..g.node_count()).collect();
    order.sort_by(|&a, &b| sampled.betweenness[b].total_cmp(&sampled.betweenness[a]));
    let mut relative: Vec<f64> = order[..100]
        .iter()
        .map(|&v| estimate.betweenness_standard_error[v] / sampled.betweenness[v])
        .collect();
    relative.sort_by(f64::total_cmp);
    eprintln!(
        "sampled betweenness at {} nodes, {} sources: relative standard error of the top 100 \
         median {:.3}, max {:.3}",
        g.node_count(),
        estimate.sources,
        relative[50],
        relative[99]
    );
}

fn metrics(c: &mut Criterion) {
    let never = AtomicBool::new(false);
    for (actors, edges) in [(10_000, 50_000), (100_000, 500_000)] {
        let ds = graph::synthetic_dataset(actors, edges, 42);
        let counts = WindowCounts::full(&ds, TimeWindow::all(&ds));
        let g = WindowGraph::from_counts(&ds, &counts);
        write_graph(&g, &data_path(actors, edges, ".txt"));
        let plan = SourcePlan::automatic(&g);
        eprintln!(
            "{actors}/{edges}: {} nodes, {} ties, betweenness {}",
            g.node_count(),
            g.tie_count(),
            if plan.is_exact() {
                "exact".to_string()
            } else {
                format!("from {} sources", plan.sources().len())
            }
        );
        if !plan.is_exact() {
            let text: String = plan.sources().iter().map(|s| format!("{s}\n")).collect();
            std::fs::write(data_path(actors, edges, ".sources.txt"), text).unwrap();
        }
        let name = format!("metrics_{}k", actors / 1000);
        let mut group = c.benchmark_group(&name);
        group.sample_size(10);
        group.warm_up_time(Duration::from_secs(1));
        group.measurement_time(Duration::from_secs(if actors > 10_000 { 20 } else { 10 }));
        group.bench_function("pagerank", |b| b.iter(|| analysis::pagerank(&g)));
        group.bench_function("eigenvector", |b| b.iter(|| analysis::eigenvector(&g)));
        group.bench_function("louvain", |b| {
            b.iter(|| analysis::louvain(&g, analysis::COMMUNITY_SEED))
        });
        // Exact at 10k (the figure) and what `SourcePlan::automatic` does.
        if actors == 10_000 {
            let exact = SourcePlan::exact(&g);
            group.bench_function("betweenness_exact", |b| {
                b.iter(|| analysis::path_metrics(&g, &exact, &never).unwrap())
            });
        }
        if !plan.is_exact() {
            group.bench_function("betweenness_sampled", |b| {
                b.iter(|| analysis::path_metrics(&g, &plan, &never).unwrap())
            });
        }
        group.bench_function("backbone_p_values", |b| {
            b.iter(|| analysis::disparity_p_values(&g))
        });
        if actors == 10_000 {
            // A one-day step of a 90-day window, then everything but betweenness/closeness.
            let (lo, _) = ds.day_range().unwrap();
            let mut day = 0;
            let mut moving = WindowCounts::full(&ds, TimeWindow::new(lo + 100, lo + 190));
            group.bench_function("window_move_without_paths", |b| {
                b.iter(|| {
                    day = (day + 1) % 100;
                    moving.move_to(&ds, TimeWindow::new(lo + 100 + day, lo + 190 + day));
                    let g = WindowGraph::from_counts(&ds, &moving);
                    let (pr, (ev, communities)) = rayon::join(
                        || analysis::pagerank(&g),
                        || {
                            rayon::join(
                                || analysis::eigenvector(&g),
                                || analysis::louvain(&g, analysis::COMMUNITY_SEED),
                            )
                        },
                    );
                    (g.degrees(), g.weighted_degrees(), pr, ev, communities)
                })
            });
        }
        group.finish();
        let communities = analysis::louvain(&g, analysis::COMMUNITY_SEED);
        let (pr, ev) = (analysis::pagerank(&g), analysis::eigenvector(&g));
        eprintln!(
            "{actors}/{edges}: Q {:.4} with {} communities; PageRank {} iterations, eigenvector {}",
            communities.modularity, communities.count, pr.iterations, ev.iterations
        );
        if actors == 10_000 {
            report_sampling_error(&g);
        } else {
            report_estimated_error(&g, &plan);
        }
    }
}

criterion_group!(benches, metrics);
criterion_main!(benches);
