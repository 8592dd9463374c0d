//! The backbone of a weighted graph by the disparity filter (Serrano, Boguñá & Vespignani,
//! "Extracting the multiscale backbone of complex weighted networks", PNAS 106:6483, 2009):
//! a tie is kept when its weight is a significant share of either end's total, against the
//! null model of a node spreading its strength uniformly at random over its k ties.

use super::graph::WindowGraph;

/// Per tie (in [`WindowGraph::ties`] order), the smaller of the two ends' p-values
/// (1 − w/s)^(k−1), s the end's weighted degree and k its ties. A node with one tie gives
/// p = 1 (its tie is all it has, nothing to single out), so a leaf's tie stands or falls by
/// its other end, as in the paper. Compute once per window; [`backbone`] for each α is then
/// a comparison per tie.
pub fn disparity_p_values(graph: &WindowGraph) -> Vec<f64> {
    let degree = graph.degrees();
    let strength = graph.weighted_degrees();
    let p_from = |v: u32, w: f64| {
        let (k, s) = (degree[v as usize], strength[v as usize]);
        if k <= 1 || s <= 0.0 {
            1.0
        } else {
            (1.0 - w / s).max(0.0).powi(k as i32 - 1)
        }
    };
    graph
        .ties
        .iter()
        .map(|t| p_from(t.a, t.weight).min(p_from(t.b, t.weight)))
        .collect()
}

/// The ties kept at significance `alpha` (indices into [`WindowGraph::ties`]): those whose
/// p-value from either end is below `alpha`.
pub fn backbone(p_values: &[f64], alpha: f64) -> Vec<usize> {
    p_values
        .iter()
        .enumerate()
        .filter(|&(_, &p)| p < alpha)
        .map(|(i, _)| i)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_dominant_tie_is_kept_and_even_ties_are_not() {
        // Node 0 has five ties: one of weight 50, four of weight 1. Node 5 hangs off node 1.
        let mut edges = vec![(0, 1, 50.0)];
        edges.extend((2..6).map(|b| (0, b, 1.0)));
        edges.push((1, 6, 1.0));
        let g = WindowGraph::from_edges(7, &edges);
        let p = disparity_p_values(&g);
        // From node 0: (1 − 50/54)^4; from node 1: (1 − 50/51)^1. The smaller counts.
        let want = (1.0f64 - 50.0 / 51.0).min((1.0f64 - 50.0 / 54.0).powi(4));
        assert!((p[0] - want).abs() < 1e-15);
        // Weight 1 of 54 from node 0: (53/54)^4 ≈ 0.93; the leaf gives 1.
        assert!((p[1] - (53.0f64 / 54.0).powi(4)).abs() < 1e-15);
        assert_eq!(backbone(&p, 0.05), vec![0]);
        // The leaf 6's tie to node 1: from node 1, (1 − 1/51)^1 ≈ 0.98.
        assert_eq!(backbone(&p, 1.0).len(), 6, "every p-value here is below 1");
        assert!(backbone(&p, 0.0).is_empty());
    }
}
