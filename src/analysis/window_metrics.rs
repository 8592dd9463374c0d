//! One window's metrics looked up by actor and by pair: what the map (node size and colour,
//! the backbone), the Actors panel and the legend read. Built from the window's counts on a
//! worker; community ids are made stable across windows by a [`CommunityTracker`].

use serde::{Deserialize, Serialize};

use super::{ActorMetrics, CommunityTracker, SourcePlan, WindowGraph, disparity_p_values};
use crate::model::{ActorId, Dataset, EventFilter, PairId, TimeWindow, WindowCounts};

/// A per-actor measure that node size or colour can follow.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Measure {
    /// Events in the window (needs no metrics: the map's default).
    #[default]
    Events,
    Degree,
    WeightedDegree,
    Betweenness,
    Closeness,
    Eigenvector,
    PageRank,
}

impl Measure {
    pub const ALL: [Measure; 7] = [
        Measure::Events,
        Measure::Degree,
        Measure::WeightedDegree,
        Measure::Betweenness,
        Measure::Closeness,
        Measure::Eigenvector,
        Measure::PageRank,
    ];

    pub fn label(self) -> &'static str {
        match self {
            Measure::Events => "Events",
            Measure::Degree => "Degree",
            Measure::WeightedDegree => "Weighted degree",
            Measure::Betweenness => "Betweenness",
            Measure::Closeness => "Closeness",
            Measure::Eigenvector => "Eigenvector",
            Measure::PageRank => "PageRank",
        }
    }

    /// Whether it comes from [`WindowMetrics`] (everything but the event count).
    pub fn needs_metrics(self) -> bool {
        self != Measure::Events
    }
}

/// What a window's metrics were computed for: the same key, the same metrics.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MetricsKey {
    pub data_generation: u64,
    pub window: TimeWindow,
    pub filter: EventFilter,
}

/// The metrics of one window, by actor.
#[derive(Clone, Debug)]
pub struct WindowMetrics {
    pub graph: WindowGraph,
    pub metrics: ActorMetrics,
    /// Per node, its community's id, stable across windows once [`Self::track`]ed.
    pub community: Vec<u32>,
    /// Per node: the actor's event count in the window.
    events: Vec<u32>,
    /// Per actor: its node, or `u32::MAX` when it has no tie in the window.
    node_of: Vec<u32>,
    /// Per dataset pair: the disparity filter's p-value (1 when not a tie of the window).
    pair_p_value: Vec<f64>,
    /// Per measure, the largest value over the nodes (for scaling sizes and colours).
    max: [f64; 7],
}

impl WindowMetrics {
    /// Builds the graph of the counted window and computes every metric (betweenness and
    /// closeness exactly when that is fast, else from a sample: see
    /// [`SourcePlan::automatic`]).
    pub fn compute(dataset: &Dataset, counts: &WindowCounts) -> Self {
        let graph = WindowGraph::from_counts(dataset, counts);
        let plan = SourcePlan::automatic(&graph);
        let metrics = ActorMetrics::compute(&graph, &plan);
        let mut node_of = vec![u32::MAX; dataset.actors.len()];
        for (v, &a) in graph.actors.iter().enumerate() {
            node_of[a as usize] = v as u32;
        }
        let mut pair_p_value = vec![1.0; dataset.pairs.len()];
        for (tie, p) in graph.ties.iter().zip(disparity_p_values(&graph)) {
            if let Some(slot) = pair_p_value.get_mut(tie.pair as usize) {
                *slot = p;
            }
        }
        let events: Vec<u32> = graph
            .actors
            .iter()
            .map(|&a| counts.actor_events.get(a as usize).copied().unwrap_or(0))
            .collect();
        let mut result = Self {
            community: metrics.community.clone(),
            graph,
            metrics,
            events,
            node_of,
            pair_p_value,
            max: [0.0; 7],
        };
        for (i, m) in Measure::ALL.into_iter().enumerate() {
            result.max[i] = (0..result.graph.node_count())
                .map(|v| result.node_value(v, m))
                .fold(0.0, f64::max);
        }
        result
    }

    /// Gives the communities the ids they had in the previous window (by shared actors).
    pub fn track(&mut self, tracker: &mut CommunityTracker) {
        self.community = tracker.assign(&self.graph.actors, &self.metrics.community);
    }

    /// The node of an actor with a tie in the window.
    pub fn node(&self, actor: ActorId) -> Option<usize> {
        self.node_of
            .get(actor as usize)
            .filter(|&&v| v != u32::MAX)
            .map(|&v| v as usize)
    }

    fn node_value(&self, v: usize, measure: Measure) -> f64 {
        let m = &self.metrics;
        match measure {
            Measure::Events => self.events[v] as f64,
            Measure::Degree => m.degree[v] as f64,
            Measure::WeightedDegree => m.weighted_degree[v],
            Measure::Betweenness => m.betweenness[v],
            Measure::Closeness => m.closeness[v],
            Measure::Eigenvector => m.eigenvector[v],
            Measure::PageRank => m.pagerank[v],
        }
    }

    /// An actor's value, `None` when it has no tie in the window.
    pub fn value(&self, actor: ActorId, measure: Measure) -> Option<f64> {
        self.node(actor).map(|v| self.node_value(v, measure))
    }

    /// The value as a share of the window's largest (0 to 1).
    pub fn share(&self, actor: ActorId, measure: Measure) -> Option<f32> {
        let max = self.max[Measure::ALL.iter().position(|&m| m == measure).unwrap_or(0)];
        self.value(actor, measure)
            .map(|v| if max > 0.0 { (v / max) as f32 } else { 0.0 })
    }

    pub fn community_of(&self, actor: ActorId) -> Option<u32> {
        self.node(actor).map(|v| self.community[v])
    }

    /// Whether a pair's tie belongs to the disparity-filter backbone at `alpha`.
    pub fn in_backbone(&self, pair: PairId, alpha: f64) -> bool {
        self.pair_p_value
            .get(pair as usize)
            .is_some_and(|&p| p < alpha)
    }

    /// Communities by size, largest first: (id, members).
    pub fn community_sizes(&self) -> Vec<(u32, usize)> {
        let mut sizes: rustc_hash::FxHashMap<u32, usize> = Default::default();
        for &c in &self.community {
            *sizes.entry(c).or_default() += 1;
        }
        let mut sizes: Vec<(u32, usize)> = sizes.into_iter().collect();
        sizes.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        sizes
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> Dataset {
        crate::sample_dataset()
    }

    #[test]
    fn actors_are_looked_up_by_id_and_the_biggest_hub_has_the_largest_share() {
        let ds = sample();
        let counts = WindowCounts::filtered(&ds, TimeWindow::all(&ds), EventFilter::all());
        let m = WindowMetrics::compute(&ds, &counts);
        let belarus = ds.actors.find("Belarus").unwrap();
        let top = (0..ds.actors.len() as ActorId)
            .filter_map(|a| m.value(a, Measure::Degree).map(|v| (v, a)))
            .fold((0.0, 0), |best, x| if x.0 > best.0 { x } else { best });
        assert_eq!(m.share(top.1, Measure::Degree), Some(1.0));
        assert!(m.value(belarus, Measure::PageRank).unwrap() > 0.0);
        assert!(m.community_of(belarus).is_some());
        let sizes: usize = m.community_sizes().iter().map(|c| c.1).sum();
        assert_eq!(sizes, m.graph.node_count());
    }

    #[test]
    fn the_backbone_keeps_fewer_ties_as_alpha_falls() {
        let ds = sample();
        let counts = WindowCounts::filtered(&ds, TimeWindow::all(&ds), EventFilter::all());
        let m = WindowMetrics::compute(&ds, &counts);
        let kept = |alpha| {
            (0..ds.pairs.len() as PairId)
                .filter(|&p| m.in_backbone(p, alpha))
                .count()
        };
        assert!(kept(1.01) == m.graph.tie_count());
        assert!(kept(0.05) <= kept(0.5));
    }
}
