//! Network analysis of a time window, for "who matters here, which camps are there, and what
//! changed?": the window's actor graph ([`WindowGraph`]), centralities as networkx defines
//! them ([`centrality`]), Louvain communities with ids that stay put as the window moves
//! ([`community`]), and the disparity-filter backbone ([`backbone`]). No egui: the CLI's
//! `relmap metrics`, the benches and the GUI's worker all call [`ActorMetrics::compute`] or
//! the pieces.
//!
//! Costs (`benches/metrics.rs`, README; a 2-core machine shared with other builds): at
//! 10,000 actors / 50,000 ties a window move with graph, degrees, PageRank, eigenvector and
//! communities about 15 ms; betweenness and closeness exactly 5.1 CPU-s (≈ 2.6 s on two idle
//! cores), from the 1,500 sources [`SourcePlan::automatic`] draws there 0.8 CPU-s. So a GUI
//! shows the rest at once, then the sample (marked as an estimate), and may run
//! [`SourcePlan::exact`] behind it, cancelling through the flag when the window moves on.

pub mod backbone;
pub mod centrality;
pub mod community;
mod graph;
mod over_time;
mod window_metrics;

use std::sync::atomic::AtomicBool;

pub use backbone::{backbone, disparity_p_values};
pub use centrality::{
    Estimate, PathMetrics, PowerIteration, SourcePlan, eigenvector, pagerank, path_metrics,
};
pub use community::{Communities, CommunityTracker, louvain, modularity};
pub use graph::{NO_PAIR, Tie, WindowGraph};
pub use over_time::{BinValue, measure_over_bins};
pub use window_metrics::{Measure, MetricsKey, WindowMetrics};

/// The seed of the Louvain visiting order: fixed, so that the same window gives the same
/// communities every time.
pub const COMMUNITY_SEED: u64 = 1;

/// Every metric of every node of a window graph (indexed like [`WindowGraph::actors`]).
#[derive(Clone, Debug, PartialEq)]
pub struct ActorMetrics {
    pub degree: Vec<u32>,
    pub weighted_degree: Vec<f64>,
    pub betweenness: Vec<f64>,
    pub closeness: Vec<f64>,
    pub eigenvector: Vec<f64>,
    pub pagerank: Vec<f64>,
    /// Community of each node, 0 the largest (see [`CommunityTracker`] for ids that persist
    /// across windows).
    pub community: Vec<u32>,
    pub modularity: f64,
    /// Set when betweenness and closeness were estimated from a sample of sources.
    pub estimate: Option<Estimate>,
}

impl ActorMetrics {
    /// Computes everything, betweenness and closeness by `plan`
    /// ([`SourcePlan::automatic`]: exact up to the size measured as interactive).
    pub fn compute(graph: &WindowGraph, plan: &SourcePlan) -> Self {
        let never = AtomicBool::new(false);
        let ((eigenvector, pagerank), (communities, paths)) = rayon::join(
            || {
                rayon::join(
                    || centrality::eigenvector(graph),
                    || centrality::pagerank(graph),
                )
            },
            || {
                rayon::join(
                    || louvain(graph, COMMUNITY_SEED),
                    || path_metrics(graph, plan, &never),
                )
            },
        );
        let paths = paths.expect("never cancelled");
        Self {
            degree: graph.degrees(),
            weighted_degree: graph.weighted_degrees(),
            betweenness: paths.betweenness,
            closeness: paths.closeness,
            eigenvector: eigenvector.values,
            pagerank: pagerank.values,
            community: communities.membership,
            modularity: communities.modularity,
            estimate: paths.estimate,
        }
    }
}
