//! Times one metric on an edge list (`# nodes N edges M`, then `a b weight` per tie, as
//! `cargo bench --bench metrics` writes them to target/bench-data/), printing the wall time
//! and the CPU time of the process's threads spent on it, so that a figure taken on a busy
//! machine can still be compared: wall on two idle cores ≈ CPU / 2 for the parallel parts.
//!
//!     cargo run --release --example time_metrics --no-default-features -- EDGES METRIC
//!
//! METRIC: pagerank, eigenvector, louvain, paths (SourcePlan::automatic), exact, or
//! sampled:K (K sources).

use std::sync::atomic::AtomicBool;
use std::time::Instant;

use relmap::analysis::{self, SourcePlan, WindowGraph};

/// User + system CPU seconds of this process so far (Linux: /proc/self/stat, clock ticks).
fn cpu_seconds() -> f64 {
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    let after = stat.rsplit_once(')').map(|(_, rest)| rest).unwrap_or("");
    let fields: Vec<&str> = after.split_whitespace().collect();
    let ticks = |i: usize| {
        fields
            .get(i)
            .and_then(|f| f.parse::<f64>().ok())
            .unwrap_or(0.0)
    };
    // utime and stime are fields 14 and 15 of stat, 12 and 13 after the command name.
    (ticks(11) + ticks(12)) / 100.0
}

fn main() {
    let mut args = std::env::args().skip(1);
    let path = args.next().expect("usage: time_metrics EDGES METRIC");
    let metric = args.next().expect("usage: time_metrics EDGES METRIC");
    let text = std::fs::read_to_string(&path).unwrap();
    let mut nodes = 0;
    let mut edges = Vec::new();
    for line in text.lines() {
        let f: Vec<&str> = line.split_whitespace().collect();
        if line.starts_with('#') {
            nodes = f[2].parse().unwrap();
            continue;
        }
        edges.push((
            f[0].parse().unwrap(),
            f[1].parse().unwrap(),
            f[2].parse().unwrap(),
        ));
    }
    let g = WindowGraph::from_edges(nodes, &edges);
    let never = AtomicBool::new(false);
    let (wall, cpu) = (Instant::now(), cpu_seconds());
    let what = match metric.as_str() {
        "pagerank" => format!("{} iterations", analysis::pagerank(&g).iterations),
        "eigenvector" => format!("{} iterations", analysis::eigenvector(&g).iterations),
        "louvain" => format!("Q {:.4}", analysis::louvain(&g, 1).modularity),
        other => {
            let plan = match other {
                "paths" => SourcePlan::automatic(&g),
                "exact" => SourcePlan::exact(&g),
                _ => {
                    let k = other.trim_start_matches("sampled:").parse().unwrap();
                    SourcePlan::sampled(&g, k, 1)
                }
            };
            let m = analysis::path_metrics(&g, &plan, &never).unwrap();
            format!(
                "{} sources, {}",
                plan.sources().len(),
                if m.estimate.is_some() {
                    "sampled"
                } else {
                    "exact"
                }
            )
        }
    };
    println!(
        "{metric} on {} nodes / {} ties: {:.3} s wall, {:.2} s CPU ({what})",
        g.node_count(),
        g.tie_count(),
        wall.elapsed().as_secs_f64(),
        cpu_seconds() - cpu
    );
}
