//! The graph of one time window: actors with at least one tie, ties weighted by the events
//! the two actors share, as an edge list and a compressed adjacency (CSR) that the metrics
//! walk.

use crate::model::{ActorId, Dataset, EventFilter, PairId, TimeWindow, WindowCounts};

/// One undirected tie between node indices `a < b`.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Tie {
    pub a: u32,
    pub b: u32,
    /// Events the two actors share in the window (after filters).
    pub weight: f64,
    /// The dataset's pair, or [`NO_PAIR`] for graphs built from an edge list.
    pub pair: PairId,
}

/// [`Tie::pair`] of a tie that no dataset pair stands for.
pub const NO_PAIR: PairId = PairId::MAX;

/// An undirected weighted graph without self-ties. Nodes are `0..node_count()`; node `i` is
/// actor `actors[i]` when the graph comes from a dataset (ascending actor ids, so the order
/// is the same for the same actors in every window).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct WindowGraph {
    pub actors: Vec<ActorId>,
    pub ties: Vec<Tie>,
    /// Node `v`'s neighbours are `targets[offsets[v]..offsets[v + 1]]`, with the weights at
    /// the same positions in `arc_weights`; each tie appears once from each end.
    offsets: Vec<u32>,
    targets: Vec<u32>,
    arc_weights: Vec<f64>,
}

impl WindowGraph {
    /// The graph of a counted window: the pairs with events in `counts` (which has the
    /// window and the filter applied). Costs one pass over the dataset's pairs and actors,
    /// no pass over events, so the GUI can rebuild it from the counts it already keeps up to
    /// date as the window moves.
    ///
    /// The weight is the number of events: a row counts once, an aggregate row as the events
    /// it stands for (`Dataset::multiplicity`, summed by the window's counts). Not
    /// `Records::source_count` (GDELT's mentions, ACLED's fatalities) nor `Dataset::weight`
    /// (a score the user typed): these are the counts the map draws edge widths from.
    pub fn from_counts(dataset: &Dataset, counts: &WindowCounts) -> Self {
        let mut node_of = vec![u32::MAX; dataset.actors.len()];
        for (p, &(a, b)) in dataset.pairs.iter().enumerate() {
            if counts.pair_events.get(p).is_some_and(|&n| n > 0) && a != b {
                node_of[a as usize] = 0;
                node_of[b as usize] = 0;
            }
        }
        let mut actors = Vec::new();
        for (actor, slot) in node_of.iter_mut().enumerate() {
            if *slot == 0 {
                *slot = actors.len() as u32;
                actors.push(actor as ActorId);
            }
        }
        let ties = dataset
            .pairs
            .iter()
            .enumerate()
            .filter(|&(p, &(a, b))| counts.pair_events.get(p).is_some_and(|&n| n > 0) && a != b)
            .map(|(p, &(a, b))| {
                let (x, y) = (node_of[a as usize], node_of[b as usize]);
                Tie {
                    a: x.min(y),
                    b: x.max(y),
                    weight: counts.pair_events[p] as f64,
                    pair: p as PairId,
                }
            })
            .collect();
        Self::new(actors, ties)
    }

    /// The graph of a window under a filter, counted from scratch.
    pub fn of_window(dataset: &Dataset, window: TimeWindow, filter: EventFilter) -> Self {
        Self::from_counts(dataset, &WindowCounts::filtered(dataset, window, filter))
    }

    /// A graph of `nodes` nodes from `(a, b, weight)` ties (tests, benches, other sources).
    /// Repeated ties add up; self-ties and ties of weight ≤ 0 are dropped. `actors` is
    /// `0..nodes`.
    pub fn from_edges(nodes: usize, edges: &[(u32, u32, f64)]) -> Self {
        let mut sorted: Vec<(u32, u32, f64)> = edges
            .iter()
            .filter(|&&(a, b, w)| a != b && w > 0.0 && (a as usize) < nodes && (b as usize) < nodes)
            .map(|&(a, b, w)| (a.min(b), a.max(b), w))
            .collect();
        sorted.sort_by_key(|&(a, b, _)| (a, b));
        let mut ties: Vec<Tie> = Vec::with_capacity(sorted.len());
        for (a, b, w) in sorted {
            match ties.last_mut() {
                Some(t) if t.a == a && t.b == b => t.weight += w,
                _ => ties.push(Tie {
                    a,
                    b,
                    weight: w,
                    pair: NO_PAIR,
                }),
            }
        }
        Self::new((0..nodes as ActorId).collect(), ties)
    }

    fn new(actors: Vec<ActorId>, ties: Vec<Tie>) -> Self {
        let n = actors.len();
        let mut offsets = vec![0u32; n + 1];
        for t in &ties {
            offsets[t.a as usize + 1] += 1;
            offsets[t.b as usize + 1] += 1;
        }
        for v in 0..n {
            offsets[v + 1] += offsets[v];
        }
        let mut fill: Vec<u32> = offsets[..n].to_vec();
        let mut targets = vec![0u32; 2 * ties.len()];
        let mut arc_weights = vec![0.0; 2 * ties.len()];
        for t in &ties {
            for (from, to) in [(t.a, t.b), (t.b, t.a)] {
                let slot = &mut fill[from as usize];
                targets[*slot as usize] = to;
                arc_weights[*slot as usize] = t.weight;
                *slot += 1;
            }
        }
        Self {
            actors,
            ties,
            offsets,
            targets,
            arc_weights,
        }
    }

    pub fn node_count(&self) -> usize {
        self.actors.len()
    }

    pub fn tie_count(&self) -> usize {
        self.ties.len()
    }

    /// The neighbours of `v`.
    /// The adjacency as compressed rows: node `v`'s neighbours are
    /// `targets[offsets[v]..offsets[v + 1]]`, every target below [`Self::node_count`].
    pub(crate) fn adjacency(&self) -> (&[u32], &[u32]) {
        (&self.offsets, &self.targets)
    }

    pub fn neighbours(&self, v: u32) -> &[u32] {
        &self.targets[self.offsets[v as usize] as usize..self.offsets[v as usize + 1] as usize]
    }

    /// The weights of `v`'s ties, in the order of [`Self::neighbours`].
    pub fn neighbour_weights(&self, v: u32) -> &[f64] {
        &self.arc_weights[self.offsets[v as usize] as usize..self.offsets[v as usize + 1] as usize]
    }

    /// The node of an actor, by binary search (nodes are in actor order).
    pub fn node_of(&self, actor: ActorId) -> Option<u32> {
        self.actors.binary_search(&actor).ok().map(|i| i as u32)
    }

    /// Ties per node.
    pub fn degrees(&self) -> Vec<u32> {
        self.offsets.windows(2).map(|w| w[1] - w[0]).collect()
    }

    /// Sum of tie weights per node (events, counted once per tie: an event of three actors
    /// adds 2 to each).
    pub fn weighted_degrees(&self) -> Vec<f64> {
        (0..self.node_count() as u32)
            .map(|v| self.neighbour_weights(v).iter().sum())
            .collect()
    }

    /// The same graph with its nodes numbered in breadth-first order, starting from the node
    /// with most ties, component after component. Neighbours get nearby numbers, so that a
    /// search's reads of per-node arrays hit the cache. Returns the graph and each node's new
    /// number.
    pub(crate) fn in_breadth_first_order(&self) -> (WindowGraph, Vec<u32>) {
        let n = self.node_count();
        let degree = self.degrees();
        let mut starts: Vec<u32> = (0..n as u32).collect();
        starts.sort_by_key(|&v| std::cmp::Reverse(degree[v as usize]));
        let mut new_of = vec![u32::MAX; n];
        let mut order: Vec<u32> = Vec::with_capacity(n);
        for start in starts {
            if new_of[start as usize] != u32::MAX {
                continue;
            }
            new_of[start as usize] = order.len() as u32;
            let mut head = order.len();
            order.push(start);
            while head < order.len() {
                let v = order[head];
                head += 1;
                for &w in self.neighbours(v) {
                    if new_of[w as usize] == u32::MAX {
                        new_of[w as usize] = order.len() as u32;
                        order.push(w);
                    }
                }
            }
        }
        let actors = order.iter().map(|&v| self.actors[v as usize]).collect();
        let ties = self
            .ties
            .iter()
            .map(|t| {
                let (a, b) = (new_of[t.a as usize], new_of[t.b as usize]);
                Tie {
                    a: a.min(b),
                    b: a.max(b),
                    ..*t
                }
            })
            .collect();
        (Self::new(actors, ties), new_of)
    }

    /// Connected components: the component index of each node, components numbered in
    /// order of their lowest node.
    pub fn components(&self) -> Vec<u32> {
        let n = self.node_count();
        let mut component = vec![u32::MAX; n];
        let mut stack = Vec::new();
        let mut next = 0;
        for start in 0..n {
            if component[start] != u32::MAX {
                continue;
            }
            component[start] = next;
            stack.push(start as u32);
            while let Some(v) = stack.pop() {
                for &w in self.neighbours(v) {
                    if component[w as usize] == u32::MAX {
                        component[w as usize] = next;
                        stack.push(w);
                    }
                }
            }
            next += 1;
        }
        component
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{DatasetBuilder, EventClass, NewEvent, PartialDate};

    fn dataset() -> Dataset {
        let mut b = DatasetBuilder::new();
        let [x, y, z, w, lone] = ["X", "Y", "Z", "W", "Lone"].map(|n| b.actor(n, None).unwrap());
        let day = |d| PartialDate::ymd(2024, 5, d).unwrap();
        let event = |date, actors: Vec<ActorId>, class| NewEvent {
            date,
            actors,
            class,
            ..NewEvent::default()
        };
        b.push(event(day(1), vec![x, y], EventClass::VerbalCooperation));
        b.push(event(day(2), vec![y, x], EventClass::VerbalCooperation));
        // Three actors: every pair is tied; X named twice is one participant.
        b.push(event(
            day(3),
            vec![x, y, z, x],
            EventClass::MaterialConflict,
        ));
        // One actor alone: no tie, so no node.
        b.push(event(day(3), vec![lone], EventClass::VerbalCooperation));
        b.push(event(day(20), vec![z, w], EventClass::VerbalCooperation));
        b.finish(None)
    }

    fn weight(g: &WindowGraph, ds: &Dataset, a: &str, b: &str) -> Option<f64> {
        let (a, b) = (ds.actors.find(a)?, ds.actors.find(b)?);
        let (a, b) = (g.node_of(a)?, g.node_of(b)?);
        g.ties
            .iter()
            .find(|t| (t.a, t.b) == (a.min(b), a.max(b)))
            .map(|t| t.weight)
    }

    #[test]
    fn ties_count_shared_events_in_the_window_after_filters() {
        let ds = dataset();
        let g = WindowGraph::of_window(
            &ds,
            TimeWindow::new(ds.start[0], ds.start[0] + 5),
            EventFilter::all(),
        );
        assert_eq!(
            g.node_count(),
            3,
            "W's only event is outside; Lone has no tie"
        );
        assert_eq!(weight(&g, &ds, "X", "Y"), Some(3.0));
        assert_eq!(weight(&g, &ds, "X", "Z"), Some(1.0));
        assert_eq!(weight(&g, &ds, "Y", "Z"), Some(1.0));
        assert_eq!(g.degrees(), vec![2, 2, 2]);
        assert_eq!(g.weighted_degrees().iter().sum::<f64>(), 10.0);

        let mut cooperation = EventFilter::all();
        cooperation.classes[EventClass::MaterialConflict.index()] = false;
        let g = WindowGraph::of_window(&ds, TimeWindow::all(&ds), cooperation);
        assert_eq!(g.node_count(), 4);
        assert_eq!(weight(&g, &ds, "X", "Y"), Some(2.0));
        assert_eq!(weight(&g, &ds, "X", "Z"), None);
        assert_eq!(weight(&g, &ds, "Z", "W"), Some(1.0));
        assert_eq!(g.components(), vec![0, 0, 1, 1]);
    }

    #[test]
    fn edge_lists_add_repeats_and_drop_self_ties() {
        let g = WindowGraph::from_edges(3, &[(0, 1, 1.0), (1, 0, 2.0), (2, 2, 5.0), (1, 2, 1.0)]);
        assert_eq!(g.tie_count(), 2);
        assert_eq!(g.ties[0].weight, 3.0);
        assert_eq!(g.neighbours(1), &[0, 2]);
        assert_eq!(g.neighbour_weights(1), &[3.0, 1.0]);
    }
}
