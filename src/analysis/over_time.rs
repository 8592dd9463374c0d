//! One actor's measure through time: per timeline bin, its value and rank among the actors
//! of that bin's graph. The window's counts move from bin to bin incrementally, so a whole
//! timeline costs one pass over its events plus one metric per bin.

use super::{Measure, SourcePlan, WindowGraph, centrality};
use crate::model::{ActorId, Dataset, DayNumber, EventFilter, TimeWindow, WindowCounts};

/// An actor's value of a measure in one bin, and its rank there (1 the highest).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct BinValue {
    pub start: DayNumber,
    /// The day after the bin.
    pub until: DayNumber,
    pub value: f64,
    pub rank: usize,
    /// Actors with a tie in the bin.
    pub of: usize,
}

/// `actor`'s `measure` in each bin (`start..until` days) where it has a tie.
pub fn measure_over_bins(
    dataset: &Dataset,
    filter: &EventFilter,
    bins: &[(DayNumber, DayNumber)],
    actor: ActorId,
    measure: Measure,
) -> Vec<BinValue> {
    let Some(&(first, first_until)) = bins.first() else {
        return Vec::new();
    };
    let mut counts = WindowCounts::filtered(
        dataset,
        TimeWindow::new(first, first_until - 1),
        filter.clone(),
    );
    let mut out = Vec::new();
    for &(start, until) in bins {
        counts.move_to(dataset, TimeWindow::new(start, until - 1));
        if counts
            .actor_events
            .get(actor as usize)
            .is_none_or(|&n| n == 0)
        {
            continue;
        }
        let graph = WindowGraph::from_counts(dataset, &counts);
        let Some(me) = graph.node_of(actor) else {
            continue;
        };
        let values: Vec<f64> = match measure {
            Measure::Events => graph
                .actors
                .iter()
                .map(|&a| counts.actor_events[a as usize] as f64)
                .collect(),
            Measure::Degree => graph.degrees().into_iter().map(f64::from).collect(),
            Measure::WeightedDegree => graph.weighted_degrees(),
            Measure::Eigenvector => centrality::eigenvector(&graph).values,
            Measure::PageRank => centrality::pagerank(&graph).values,
            Measure::Betweenness | Measure::Closeness => {
                let plan = SourcePlan::automatic(&graph);
                let never = std::sync::atomic::AtomicBool::new(false);
                let paths = centrality::path_metrics(&graph, &plan, &never).expect("not cancelled");
                if measure == Measure::Betweenness {
                    paths.betweenness
                } else {
                    paths.closeness
                }
            }
        };
        let value = values[me as usize];
        let rank = 1 + values.iter().filter(|&&v| v > value).count();
        out.push(BinValue {
            start,
            until,
            value,
            rank,
            of: values.len(),
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_sum_of_an_actors_events_over_the_bins_is_its_total_and_ranks_are_in_range() {
        let ds = crate::io::load_bytes(
            crate::SAMPLE_CSV.as_bytes(),
            std::path::Path::new("sample.csv"),
            &crate::io::LoadOptions::default(),
        )
        .unwrap()
        .dataset;
        let belarus = ds.actors.find("Belarus").unwrap();
        let (lo, hi) = ds.day_range().unwrap();
        let bins = crate::model::BinUnit::Year.bins(lo, hi);
        let per_bin = measure_over_bins(&ds, &EventFilter::all(), &bins, belarus, Measure::Events);
        assert!(!per_bin.is_empty());
        let total: f64 = per_bin.iter().map(|b| b.value).sum();
        let counts = WindowCounts::full(&ds, TimeWindow::all(&ds));
        assert_eq!(total as u32, counts.actor_events[belarus as usize]);
        assert!(per_bin.iter().all(|b| b.rank >= 1 && b.rank <= b.of));
        let ranks = measure_over_bins(&ds, &EventFilter::all(), &bins, belarus, Measure::PageRank);
        assert_eq!(ranks.len(), per_bin.len());
    }
}
