//! Centralities of a [`WindowGraph`], defined as networkx defines them by default so that
//! analysts can check a figure in networkx or Gephi:
//!
//! - betweenness and closeness on hop distances (ties' weights ignored), normalised:
//!   `betweenness_centrality(G)` (÷ (n−1)(n−2)) and `closeness_centrality(G)` with
//!   Wasserman–Faust's scaling for graphs in several pieces (× (r−1)/(n−1), r the size of the
//!   node's component);
//! - eigenvector (weighted, unit Euclidean norm): `eigenvector_centrality(G, weight="weight")`,
//!   the same power iteration on A + I from 1/n, the same stopping rule;
//! - PageRank (weighted, α 0.85): `pagerank(G, weight="weight")`, the same iteration and rule.
//!
//! Own code over the CSR adjacency rather than a crate. Measured against `rustworkx-core`
//! 0.18 (Apache-2.0; parallel betweenness and closeness, eigenvector, over petgraph) on the
//! 10,000-actor bench graph, same busy 2-core machine, same hour: its betweenness 54.8 s +
//! closeness 34.3 s, this code 7.2 s for both; eigenvector 0.147 s against 0.017–0.024 s. It
//! would also add 37 crates (petgraph, ndarray, rand 0.10, hashbrown, …) to the build.
//! petgraph's PageRank is unweighted.

use std::sync::atomic::{AtomicBool, Ordering};

use rayon::prelude::*;

use super::graph::WindowGraph;

/// How many power-iteration steps eigenvector centrality and PageRank take at most
/// (networkx stops at 100 and raises; here the vector is returned as it stands, with
/// [`PowerIteration::converged`] false).
pub const MAX_ITERATIONS: usize = 1000;
/// networkx's default tolerance: stop when the L1 change is below `n × TOLERANCE`.
pub const TOLERANCE: f64 = 1e-6;
/// PageRank's damping.
pub const PAGERANK_ALPHA: f64 = 0.85;

/// A power iteration's result.
#[derive(Clone, Debug, PartialEq)]
pub struct PowerIteration {
    pub values: Vec<f64>,
    pub iterations: usize,
    pub converged: bool,
}

/// Nodes per rayon task in the per-node loops: below this the split costs more than it saves.
const MIN_NODES_PER_TASK: usize = 2048;

/// Eigenvector centrality with tie weights, unit Euclidean norm, as networkx's
/// `eigenvector_centrality(G, weight="weight")`: x ← (A + I)x / ‖(A + I)x‖ from x = 1/n, until
/// Σ|Δx| < n·10⁻⁶.
pub fn eigenvector(graph: &WindowGraph) -> PowerIteration {
    let n = graph.node_count();
    if n == 0 {
        return PowerIteration {
            values: Vec::new(),
            iterations: 0,
            converged: true,
        };
    }
    let mut x = vec![1.0 / n as f64; n];
    let mut next = vec![0.0; n];
    for iteration in 1..=MAX_ITERATIONS {
        next.par_iter_mut()
            .with_min_len(MIN_NODES_PER_TASK)
            .enumerate()
            .for_each(|(v, out)| {
                let v32 = v as u32;
                let pulled: f64 = graph
                    .neighbours(v32)
                    .iter()
                    .zip(graph.neighbour_weights(v32))
                    .map(|(&u, &w)| w * x[u as usize])
                    .sum();
                *out = x[v] + pulled;
            });
        let norm = next.iter().map(|v| v * v).sum::<f64>().sqrt();
        let norm = if norm > 0.0 { norm } else { 1.0 };
        let mut change = 0.0;
        for (out, &last) in next.iter_mut().zip(&x) {
            *out /= norm;
            change += (*out - last).abs();
        }
        std::mem::swap(&mut x, &mut next);
        if change < n as f64 * TOLERANCE {
            return PowerIteration {
                values: x,
                iterations: iteration,
                converged: true,
            };
        }
    }
    PowerIteration {
        values: x,
        iterations: MAX_ITERATIONS,
        converged: false,
    }
}

/// PageRank with tie weights and damping [`PAGERANK_ALPHA`], as networkx's
/// `pagerank(G, weight="weight")`: from 1/n, uniform teleport, a node without ties spreads its
/// rank uniformly, until Σ|Δx| < n·10⁻⁶.
pub fn pagerank(graph: &WindowGraph) -> PowerIteration {
    let n = graph.node_count();
    if n == 0 {
        return PowerIteration {
            values: Vec::new(),
            iterations: 0,
            converged: true,
        };
    }
    let strength = graph.weighted_degrees();
    let uniform = 1.0 / n as f64;
    let mut x = vec![uniform; n];
    let mut next = vec![0.0; n];
    // x[u] / s(u), what each node sends along a unit of weight.
    let mut share = vec![0.0; n];
    for iteration in 1..=MAX_ITERATIONS {
        let mut dangling = 0.0;
        for ((s, &xv), &st) in share.iter_mut().zip(&x).zip(&strength) {
            if st > 0.0 {
                *s = xv / st;
            } else {
                *s = 0.0;
                dangling += xv;
            }
        }
        let base = PAGERANK_ALPHA * dangling * uniform + (1.0 - PAGERANK_ALPHA) * uniform;
        next.par_iter_mut()
            .with_min_len(MIN_NODES_PER_TASK)
            .enumerate()
            .for_each(|(v, out)| {
                let v32 = v as u32;
                let pulled: f64 = graph
                    .neighbours(v32)
                    .iter()
                    .zip(graph.neighbour_weights(v32))
                    .map(|(&u, &w)| w * share[u as usize])
                    .sum();
                *out = PAGERANK_ALPHA * pulled + base;
            });
        let change: f64 = next.iter().zip(&x).map(|(a, b)| (a - b).abs()).sum();
        std::mem::swap(&mut x, &mut next);
        if change < n as f64 * TOLERANCE {
            return PowerIteration {
                values: x,
                iterations: iteration,
                converged: true,
            };
        }
    }
    PowerIteration {
        values: x,
        iterations: MAX_ITERATIONS,
        converged: false,
    }
}

/// The leaves of a graph (nodes with one tie to a node with more), which the shortest-path
/// metrics fold into their neighbour instead of searching from them.
///
/// Why: a leaf ℓ hanging off p sees the graph exactly as p does, one step further. Its
/// dependencies are p's, δ_ℓ(v) = δ_p(v) for v ≠ p, plus δ_ℓ(p) = r − 2 (r the size of the
/// component: every path from ℓ passes p), and its distances are p's plus one. So a search
/// from p counts for p and its L leaves (weight 1 + L), and the leaves' share of p's
/// betweenness, L·(r − 2), is known without searching. Event graphs have many leaves (an
/// actor named once, beside a country): fewer searches when exact, and, when sampling, the
/// largest source of error (a hub's private leaves, which a sample mostly misses) is gone.
#[derive(Clone, Debug)]
struct Leaves {
    /// Per node, its neighbour if it is a leaf, else `u32::MAX`.
    parent: Vec<u32>,
    /// Per node, how many leaves hang off it.
    count: Vec<u32>,
}

impl Leaves {
    fn of(graph: &WindowGraph) -> Self {
        let n = graph.node_count();
        let degree = graph.degrees();
        let mut parent = vec![u32::MAX; n];
        let mut count = vec![0u32; n];
        for v in 0..n {
            if degree[v] == 1 {
                let p = graph.neighbours(v as u32)[0];
                // Two nodes tied only to each other: neither is folded.
                if degree[p as usize] > 1 {
                    parent[v] = p;
                    count[p as usize] += 1;
                }
            }
        }
        Self { parent, count }
    }

    fn is_leaf(&self, v: u32) -> bool {
        self.parent[v as usize] != u32::MAX
    }

    /// How many nodes a search from `source` counts for: itself and its leaves.
    fn weight(&self, source: u32) -> f64 {
        1.0 + self.count[source as usize] as f64
    }
}

/// Which nodes the shortest-path metrics start a breadth-first search from.
#[derive(Clone, Debug, PartialEq)]
pub struct SourcePlan {
    /// The sources, by component: every node of a component that is not a leaf (exact
    /// there), or a sample of them. Private: [`path_metrics`] weights each source by its
    /// leaves, so a leaf must never be one.
    sources: Vec<u32>,
    exact: bool,
}

/// Work, in node and arc visits (one search costs its component's nodes + 2·ties), up to
/// which [`SourcePlan::automatic`] computes betweenness and closeness exactly: about 1 s on
/// two idle cores. Measured (`examples/time_metrics.rs`, on the bench graphs): exact at
/// 10,000 actors / 50,000 ties is 1.1·10⁹ visits and took 5.1–5.4 s of CPU, about 5 ns a
/// visit, so this limit is about 2 CPU-s: exact up to some 6,000 actors / 30,000 ties. Above
/// it a GUI shows the sample at once and may run [`SourcePlan::exact`] behind it. Since
/// then single searches went down to about 3.6 ns a visit (3.8–4.0 CPU-s at 10,000), and
/// with AVX2 exact plans run in batches (`batched`) at about 1.8 ns a visit (2.0 CPU-s,
/// 1.0 s on two idle cores): there this limit is about 0.7 CPU-s, and exact at 10,000 is
/// affordable, but only where AVX2 is; the limit stays where it is for the others.
pub const EXACT_WORK_LIMIT: u64 = 400_000_000;
/// Work a sampled plan spends: at 100,000 actors / 500,000 ties (1.1 M visits a search, 10–13
/// ms of CPU each: the arrays no longer fit in the cache) 150 sources, about 1.6 CPU-s, 0.8 s
/// on two cores; at 10,000 / 50,000 about 1,500 sources, half that.
pub const SAMPLED_WORK: u64 = 165_000_000;
/// Components this small are always searched from every node: cheap, and a sample of a
/// tiny component is mostly noise.
const SMALL_COMPONENT_WORK: u64 = 100_000;

impl SourcePlan {
    /// The nodes searched from.
    pub fn sources(&self) -> &[u32] {
        &self.sources
    }

    /// Whether the results will be exact (every node that is not a leaf is a source).
    pub fn is_exact(&self) -> bool {
        self.exact
    }

    /// Every node but the leaves: exact betweenness and closeness.
    pub fn exact(graph: &WindowGraph) -> Self {
        let leaves = Leaves::of(graph);
        Self {
            sources: (0..graph.node_count() as u32)
                .filter(|&v| !leaves.is_leaf(v))
                .collect(),
            exact: true,
        }
    }

    /// Exact when the work fits [`EXACT_WORK_LIMIT`], else a sample that costs about
    /// [`SAMPLED_WORK`].
    pub fn automatic(graph: &WindowGraph) -> Self {
        let exact = Self::exact(graph);
        let component = graph.components();
        let sizes = component_sizes_of(graph, &component);
        let work = |v: u32| sizes[component[v as usize] as usize].work();
        let exact_work: u64 = exact.sources.iter().map(|&v| work(v)).sum();
        if exact_work <= EXACT_WORK_LIMIT {
            return exact;
        }
        let per_search = exact_work / exact.sources.len().max(1) as u64;
        let sources = (SAMPLED_WORK / per_search.max(1)).max(16) as usize;
        Self::sampled(graph, sources, 1)
    }

    /// About `sources` sources drawn without replacement from the nodes that are not
    /// leaves, stratified by component (each component gets its share by size, at least
    /// one); small components are taken whole. The same graph and seed give the same sample.
    pub fn sampled(graph: &WindowGraph, sources: usize, seed: u64) -> Self {
        let leaves = Leaves::of(graph);
        let component = graph.components();
        let sizes = component_sizes_of(graph, &component);
        let mut members: Vec<Vec<u32>> = vec![Vec::new(); sizes.len()];
        for (v, &c) in component.iter().enumerate() {
            if !leaves.is_leaf(v as u32) {
                members[c as usize].push(v as u32);
            }
        }
        let population: usize = members.iter().map(Vec::len).sum();
        let mut rng = SplitMix(seed);
        let mut chosen = Vec::new();
        let mut exact = true;
        for (c, mut nodes) in members.into_iter().enumerate() {
            let size = sizes[c];
            let share = ((sources as f64 * nodes.len() as f64 / population.max(1) as f64).round()
                as usize)
                .max(1);
            if nodes.len() as u64 * size.work() <= SMALL_COMPONENT_WORK || share >= nodes.len() {
                chosen.extend(nodes);
                continue;
            }
            exact = false;
            // A partial Fisher–Yates shuffle: the first `share` are a uniform sample.
            for i in 0..share {
                let j = i + rng.below(nodes.len() - i);
                nodes.swap(i, j);
            }
            nodes.truncate(share);
            chosen.extend(nodes);
        }
        Self {
            sources: chosen,
            exact,
        }
    }
}

#[derive(Clone, Copy, Debug)]
struct ComponentSize {
    nodes: u64,
    arcs: u64,
}

impl ComponentSize {
    /// Visits of one breadth-first search in the component.
    fn work(self) -> u64 {
        self.nodes + self.arcs
    }
}

fn component_sizes_of(graph: &WindowGraph, component: &[u32]) -> Vec<ComponentSize> {
    let count = component.iter().map(|&c| c as usize + 1).max().unwrap_or(0);
    let mut sizes = vec![ComponentSize { nodes: 0, arcs: 0 }; count];
    for (v, &c) in component.iter().enumerate() {
        sizes[c as usize].nodes += 1;
        sizes[c as usize].arcs += graph.neighbours(v as u32).len() as u64;
    }
    sizes
}

/// Betweenness and closeness, exact or estimated from a sample of sources.
#[derive(Clone, Debug, PartialEq)]
pub struct PathMetrics {
    /// Normalised as networkx's `betweenness_centrality(G)`.
    pub betweenness: Vec<f64>,
    /// As networkx's `closeness_centrality(G)` (`wf_improved=True`).
    pub closeness: Vec<f64>,
    /// `None` when exact.
    pub estimate: Option<Estimate>,
}

/// How a sampled result was obtained and how far it may be off.
#[derive(Clone, Debug, PartialEq)]
pub struct Estimate {
    /// Breadth-first searches run (sources).
    pub sources: usize,
    /// Per node, the standard error of its betweenness estimate (same normalisation), from
    /// the spread of the sources' contributions (stratified sampling without replacement).
    /// It understates the error of a node that few sources pass through (a sample that
    /// missed them all shows 0 ± 0); for the nodes that matter it is right (tests).
    pub betweenness_standard_error: Vec<f64>,
    /// The largest of those.
    pub max_betweenness_standard_error: f64,
}

/// Per-thread sums over sources.
struct Sums {
    /// Σ ω_s·δ_s(v): the dependency of the sources on v (Brandes), each source weighted by
    /// itself and its leaves.
    dependency: Vec<f64>,
    /// Σ (ω_s·δ_s(v))², for the sampling error.
    dependency_squared: Vec<f64>,
    /// Σ over sources s ≠ v of the distances from v to s and to s's leaves.
    distance: Vec<f64>,
    /// Each source's total distance to the nodes it reached, exact from its own search.
    own_distance: Vec<(u32, f64)>,
}

impl Sums {
    fn new(n: usize, sampled: bool) -> Self {
        let per_node = |len| if sampled { len } else { 0 };
        Self {
            dependency: vec![0.0; n],
            dependency_squared: vec![0.0; per_node(n)],
            distance: vec![0.0; per_node(n)],
            own_distance: Vec::new(),
        }
    }

    fn add(mut self, other: Sums) -> Sums {
        let add = |a: &mut Vec<f64>, b: &[f64]| a.iter_mut().zip(b).for_each(|(x, y)| *x += y);
        add(&mut self.dependency, &other.dependency);
        add(&mut self.dependency_squared, &other.dependency_squared);
        add(&mut self.distance, &other.distance);
        self.own_distance.extend(other.own_distance);
        self
    }
}

/// What a search keeps per node while it runs. Distance and path count share a record
/// because the search reads both for each arc on a shortest path: one cache line instead of
/// two.
#[derive(Clone, Copy)]
struct Reached {
    /// Hops from the source; −1 when not reached yet.
    distance: i32,
    /// σ, the number of shortest paths from the source, until the backward pass turns it
    /// into the dependency δ.
    paths: f64,
}

const UNREACHED: Reached = Reached {
    distance: -1,
    paths: 0.0,
};

/// One search's scratch space, reset only where the search went.
struct Search<'g> {
    /// The graph's adjacency (see [`WindowGraph::adjacency`]), checked in [`Search::new`]:
    /// offsets ascend to `targets.len()` and every target is a node.
    offsets: &'g [u32],
    targets: &'g [u32],
    reached: Vec<Reached>,
    /// (1 + δ(w)) / σ(w) of the nodes the backward pass has finished.
    pulled: Vec<f64>,
    /// The nodes in the order the search reached them; `order[..found]` this search.
    order: Vec<u32>,
    /// The shortest-path successors of `order[i]` are
    /// `successors[successor_offsets[i]..successor_offsets[i + 1]]`; a search lists each
    /// arc at most once, so the buffer is as long as `targets`.
    successors: Vec<u32>,
    successor_offsets: Vec<u32>,
}

impl<'g> Search<'g> {
    fn new(graph: &'g WindowGraph) -> Self {
        let n = graph.node_count();
        let (offsets, targets) = graph.adjacency();
        // What the unchecked indexing in `run` relies on.
        assert_eq!(offsets.len(), n + 1, "one offset per node and one more");
        assert!(offsets.windows(2).all(|w| w[0] <= w[1]));
        assert_eq!(offsets[n] as usize, targets.len());
        assert!(targets.iter().all(|&t| (t as usize) < n));
        Self {
            offsets,
            targets,
            reached: vec![UNREACHED; n],
            pulled: vec![0.0; n],
            order: vec![0; n],
            successors: vec![0; targets.len()],
            successor_offsets: vec![0; n + 1],
        }
    }

    /// Brandes' single-source pass: breadth-first search counting shortest paths, then
    /// dependencies in reverse order of distance, pulled from each node's successors. The
    /// successors are listed during the search, so the second pass reads only them, in
    /// order, instead of every neighbour's distance again (exact at 10,000 actors: 5.1–5.4
    /// CPU-s, against 7.6 when the second pass rescanned the adjacency).
    ///
    /// `reached(v, distance, dependency)` is called once for every node the search reached,
    /// the source included (dependency 0), farthest first; the scratch space is reset as it
    /// goes, so no other pass over the nodes is needed.
    ///
    /// Indexing is unchecked: this loop is nearly all of betweenness's time where batches do
    /// not run (see `batched`). Every index is a node (checked once in [`Search::new`]) or a
    /// position below a length this function keeps. With the records and the fused reset, exact betweenness at 10,000 actors went
    /// from 4.7 to 4.3 CPU-s (`examples/time_metrics.rs`, same load). A branch-free inner
    /// loop (conditional moves for "new" and "one step further", or for the second alone) was
    /// slower: 5.0 CPU-s, 5.0–5.7 against 4.6–4.9 in alternating runs.
    fn run(&mut self, source: u32, mut reached: impl FnMut(u32, i32, f64)) {
        let (offsets, targets) = (self.offsets, self.targets);
        let nodes = self.reached.as_mut_slice();
        let pulled = self.pulled.as_mut_slice();
        let order = self.order.as_mut_slice();
        let successors = self.successors.as_mut_slice();
        let successor_offsets = self.successor_offsets.as_mut_slice();
        nodes[source as usize] = Reached {
            distance: 0,
            paths: 1.0,
        };
        order[0] = source;
        let mut found = 1usize;
        let mut listed = 0usize;
        let mut head = 0usize;
        successor_offsets[0] = 0;
        while head < found {
            // SAFETY: `head < found ≤ n` (each node is found once: its distance is set when
            // it is), so `order[head]` was written and is a node; a node and the next index
            // `offsets`, whose values bound a range of `targets`; every target is a node;
            // `listed` counts this search's arcs, each listed at most once, so it stays
            // below `targets.len()`; `head + 1 ≤ n` indexes `successor_offsets`.
            unsafe {
                let v = *order.get_unchecked(head) as usize;
                head += 1;
                let Reached { distance, paths } = *nodes.get_unchecked(v);
                let next = distance + 1;
                let (lo, hi) = (
                    *offsets.get_unchecked(v) as usize,
                    *offsets.get_unchecked(v + 1) as usize,
                );
                for &w in targets.get_unchecked(lo..hi) {
                    let node = nodes.get_unchecked_mut(w as usize);
                    if node.distance < 0 {
                        node.distance = next;
                        *order.get_unchecked_mut(found) = w;
                        found += 1;
                    }
                    if node.distance == next {
                        node.paths += paths;
                        *successors.get_unchecked_mut(listed) = w;
                        listed += 1;
                    }
                }
                *successor_offsets.get_unchecked_mut(head) = listed as u32;
            }
        }
        for i in (0..found).rev() {
            // SAFETY: `i < found`, so `order[i]` is a node and `i + 1 ≤ found` indexes the
            // offsets written above, which bound a range below `listed`; successors are nodes.
            unsafe {
                let v = *order.get_unchecked(i) as usize;
                let range = *successor_offsets.get_unchecked(i) as usize
                    ..*successor_offsets.get_unchecked(i + 1) as usize;
                let sum: f64 = successors
                    .get_unchecked(range)
                    .iter()
                    .map(|&w| *pulled.get_unchecked(w as usize))
                    .sum();
                let node = nodes.get_unchecked_mut(v);
                let sigma = node.paths;
                let delta = sigma * sum;
                *pulled.get_unchecked_mut(v) = (1.0 + delta) / sigma;
                let distance = node.distance;
                // Everything farther than v is finished with; v's successors were read.
                *node = UNREACHED;
                reached(
                    v as u32,
                    distance,
                    if v as u32 == source { 0.0 } else { delta },
                );
            }
        }
    }
}

/// Betweenness and closeness from eight sources at once (multi-source BFS, Then et al., VLDB
/// 2015, applied to Brandes), on x86-64 processors with AVX2 and graphs up to
/// `batched::UP_TO_NODES` nodes; elsewhere one [`Search`] per source.
///
/// Why: an exact plan's sources are every node but the leaves, in breadth-first numbering
/// (see [`RENUMBER_FROM`]), so eight consecutive sources are close to each other and most
/// nodes lie at only one to three distinct distances from the eight. A batch scans a node's
/// ties once per distinct distance, for all eight lanes in a few vector instructions, instead
/// of once per source with a branch per tie. Counted on the 10,000-actor bench graph: eight
/// consecutive sources scan 22–26% of the ties that eight single searches scan (four: 38–43%,
/// sixteen: 13–16%); eight sampled sources at 100,000, far apart, still only 33%. Measured
/// (`examples/time_metrics.rs`, alternating runs, same minutes, idle machine): exact at
/// 10,000 actors / 50,000 ties took 1.89–1.96 CPU-s (0.96–0.99 s wall on two cores) against
/// 3.77–3.90 CPU-s (1.90–1.97 s wall) for single searches.
///
/// Only in AVX2 intrinsics: the same loop in plain Rust over `[f64; 8]` lanes, with branches
/// or with bit masks, was not vectorised by LLVM and took 12.4 CPU-s, three times the single
/// searches, so without AVX2 the single searches stay (tested equal to 10⁻⁹).
#[cfg(target_arch = "x86_64")]
mod batched {
    use super::*;

    /// Sources a [`Batch`] searches from at once: eight i32 distances fill one AVX2 register,
    /// eight σ two.
    const LANES: usize = 8;

    /// Graphs up to this many nodes are searched in batches, larger ones one source at a
    /// time. A batch keeps 96 bytes a node (a thread's 0.96 MB at 10,000 nodes, 9.6 MB at
    /// 100,000), a single search 16 in the records it reads most. Measured, sampled plans
    /// (`SourcePlan::automatic`, alternating runs, idle machine): at 10,000 actors 0.30–0.31
    /// CPU-s in batches against 0.59–0.60 single; on the first 40,000 actors of the 100,000
    /// bench graph (110,086 ties) 0.55–0.58 against 0.84–0.87; at 100,000 neither was clearly
    /// faster (median 0.93 CPU-s in batches, 1.02 single, ranges 0.71–1.33 and 0.85–1.14 over
    /// eight runs each; on a busy machine 0.98–1.39 and 1.04–1.18), so the memory is not spent
    /// there. Skipping a tie's σ update when it is on no shortest path made batches 15% faster
    /// at 100,000 but 20% slower at 10,000 and 40,000 (mispredicted branches).
    pub(super) const UP_TO_NODES: usize = 50_000;

    /// A node's distance from each of a batch's sources, offset by [`Batch::base`]: a lane
    /// below the base is not reached yet.
    #[derive(Clone, Copy)]
    #[repr(align(32))]
    struct Levels([i32; LANES]);

    /// A node's σ from each of a batch's sources, until the backward pass turns it into
    /// (1 + δ) / σ.
    #[derive(Clone, Copy)]
    #[repr(align(64))]
    struct PathLanes([f64; LANES]);

    /// Brandes from [`LANES`] sources at once.
    struct Batch<'g> {
        /// As in [`Search`], checked in [`Batch::new`].
        offsets: &'g [u32],
        targets: &'g [u32],
        levels: Vec<Levels>,
        paths: Vec<PathLanes>,
        /// The level of the sources in this batch; every lane of every node below it is stale,
        /// so nothing needs resetting between batches.
        base: i32,
        /// The nodes by level: level d is `frontier[level_start[d]..level_start[d + 1]]`; a node
        /// is listed once at each level it has in some lane.
        frontier: Vec<u32>,
        level_start: Vec<usize>,
    }

    impl<'g> Batch<'g> {
        /// `None` when the processor lacks AVX2.
        fn new(graph: &'g WindowGraph) -> Option<Self> {
            if !std::arch::is_x86_feature_detected!("avx2") {
                return None;
            }
            let n = graph.node_count();
            let (offsets, targets) = graph.adjacency();
            assert_eq!(offsets.len(), n + 1, "one offset per node and one more");
            assert!(offsets.windows(2).all(|w| w[0] <= w[1]));
            assert_eq!(offsets[n] as usize, targets.len());
            assert!(targets.iter().all(|&t| (t as usize) < n));
            Some(Self {
                offsets,
                targets,
                levels: vec![Levels([0; LANES]); n],
                paths: vec![PathLanes([0.0; LANES]); n],
                base: 1,
                frontier: Vec::with_capacity(LANES * n),
                level_start: Vec::new(),
            })
        }

        /// Adds to `sums` what [`path_metrics`]'s single searches add from each of `sources`
        /// (which are distinct: a source given twice would count its paths twice):
        /// for every node v but the sources themselves, y = `weights[l]` · δ_{sources[l]}(v) to
        /// its dependency and, when `sampled`, y² and `weights[l]` · distance + `leaves[l]`;
        /// returns each source's total distance to the nodes it reached.
        fn run(
            &mut self,
            sources: &[u32],
            weights: &[f64; LANES],
            leaves: &[f64; LANES],
            sampled: bool,
            sums: &mut Sums,
        ) -> [f64; LANES] {
            // SAFETY: `Batch::new` checked that the processor has AVX2.
            unsafe { self.run_avx2(sources, weights, leaves, sampled, sums) }
        }

        /// Two passes level by level over all lanes at once. Forward: each node of the
        /// level scans its ties once, and for every lane in which it is at this level, marks
        /// the unreached neighbours one further and adds its σ to those one further. Backward,
        /// from the farthest level: each node of the level sums the (1 + δ)/σ of its
        /// neighbours one further than itself, lane by lane, and turns its σ into its own
        /// (1 + δ)/σ in the lanes where it is at this level. Each lane sees what Brandes'
        /// search from its source sees, and sums its successors in the same order.
        #[target_feature(enable = "avx2")]
        fn run_avx2(
            &mut self,
            sources: &[u32],
            weights: &[f64; LANES],
            leaves: &[f64; LANES],
            sampled: bool,
            sums: &mut Sums,
        ) -> [f64; LANES] {
            use std::arch::x86_64::*;
            assert!(sources.len() <= LANES);
            debug_assert!(
                (1..sources.len()).all(|i| !sources[..i].contains(&sources[i])),
                "a batch's sources are distinct"
            );
            assert_eq!(sums.dependency.len(), self.levels.len());
            if sampled {
                assert_eq!(sums.dependency_squared.len(), self.levels.len());
                assert_eq!(sums.distance.len(), self.levels.len());
            }
            let n = self.levels.len();
            if self.base as i64 + n as i64 + 2 > i32::MAX as i64 {
                self.levels.fill(Levels([0; LANES]));
                self.base = 1;
            }
            let base = self.base;
            let (offsets, targets) = (self.offsets, self.targets);
            let frontier = &mut self.frontier;
            let starts = &mut self.level_start;
            frontier.clear();
            starts.clear();
            for (l, &s) in sources.iter().enumerate() {
                self.levels[s as usize].0[l] = base;
                self.paths[s as usize].0[l] = 1.0;
                frontier.push(s);
            }
            let levels = self.levels.as_mut_ptr();
            let paths = self.paths.as_mut_ptr();
            // The 32-bit lane masks of `mask` widened to the 64-bit lanes of paths 0–3 and 4–7.
            let widen = |mask: __m256i| {
                (
                    _mm256_cvtepi32_epi64(_mm256_castsi256_si128(mask)),
                    _mm256_cvtepi32_epi64(_mm256_extracti128_si256::<1>(mask)),
                )
            };
            let base_v = _mm256_set1_epi32(base);
            starts.push(0);
            let mut depth = 0;
            loop {
                let (start, end) = (starts[depth], frontier.len());
                if start == end {
                    break;
                }
                starts.push(end);
                let here = _mm256_set1_epi32(base + depth as i32);
                let next = _mm256_set1_epi32(base + depth as i32 + 1);
                for i in start..end {
                    let v = frontier[i] as usize;
                    // SAFETY: `v` and every target are nodes (checked in `Batch::new`), so they
                    // index `levels` and `paths`, whose records are aligned for these loads;
                    // `offsets[v + 1]` exists and bounds a range of `targets`.
                    unsafe {
                        let lv = _mm256_load_si256(levels.add(v).cast());
                        let on = _mm256_cmpeq_epi32(lv, here);
                        let (on_lo, on_hi) = widen(on);
                        let pv = paths.add(v).cast::<f64>();
                        let give_lo = _mm256_and_pd(_mm256_castsi256_pd(on_lo), _mm256_load_pd(pv));
                        let give_hi =
                            _mm256_and_pd(_mm256_castsi256_pd(on_hi), _mm256_load_pd(pv.add(4)));
                        let (lo, hi) = (
                            *offsets.get_unchecked(v) as usize,
                            *offsets.get_unchecked(v + 1) as usize,
                        );
                        for &w in targets.get_unchecked(lo..hi) {
                            let w = w as usize;
                            let lw_p = levels.add(w).cast::<__m256i>();
                            let lw = _mm256_load_si256(lw_p);
                            let listed = _mm256_cmpeq_epi32(lw, next);
                            let fresh = _mm256_and_si256(on, _mm256_cmpgt_epi32(base_v, lw));
                            let level = _mm256_blendv_epi8(lw, next, fresh);
                            _mm256_store_si256(lw_p, level);
                            let (add_lo, add_hi) = widen(_mm256_cmpeq_epi32(level, next));
                            let (fresh_lo, fresh_hi) = widen(fresh);
                            let pw = paths.add(w).cast::<f64>();
                            let kept_lo =
                                _mm256_andnot_pd(_mm256_castsi256_pd(fresh_lo), _mm256_load_pd(pw));
                            let kept_hi = _mm256_andnot_pd(
                                _mm256_castsi256_pd(fresh_hi),
                                _mm256_load_pd(pw.add(4)),
                            );
                            _mm256_store_pd(
                                pw,
                                _mm256_add_pd(
                                    kept_lo,
                                    _mm256_and_pd(_mm256_castsi256_pd(add_lo), give_lo),
                                ),
                            );
                            _mm256_store_pd(
                                pw.add(4),
                                _mm256_add_pd(
                                    kept_hi,
                                    _mm256_and_pd(_mm256_castsi256_pd(add_hi), give_hi),
                                ),
                            );
                            if _mm256_testz_si256(fresh, fresh) == 0
                                && _mm256_testz_si256(listed, listed) != 0
                            {
                                frontier.push(w as u32);
                            }
                        }
                    }
                }
                depth += 1;
            }
            // (a0 + a1, a4 + a5, a2 + a3, a6 + a7), then
            // ((a0 + a1) + (a2 + a3)) + ((a4 + a5) + (a6 + a7)).
            let sum_of = |lo: __m256d, hi: __m256d| {
                let pairs = _mm256_hadd_pd(lo, hi);
                let quads = _mm_add_pd(
                    _mm256_castpd256_pd128(pairs),
                    _mm256_extractf128_pd::<1>(pairs),
                );
                _mm_cvtsd_f64(quads) + _mm_cvtsd_f64(_mm_unpackhi_pd(quads, quads))
            };
            let (leaves_lo, leaves_hi) = unsafe {
                // SAFETY: `leaves` has 8 values.
                (
                    _mm256_loadu_pd(leaves.as_ptr()),
                    _mm256_loadu_pd(leaves.as_ptr().add(4)),
                )
            };
            let one = _mm256_set1_pd(1.0);
            let (weights_lo, weights_hi) = unsafe {
                // SAFETY: `weights` has 8 values.
                (
                    _mm256_loadu_pd(weights.as_ptr()),
                    _mm256_loadu_pd(weights.as_ptr().add(4)),
                )
            };
            let mut total_lo = _mm256_setzero_pd();
            let mut total_hi = _mm256_setzero_pd();
            for d in (0..depth).rev() {
                let here = _mm256_set1_epi32(base + d as i32);
                let distance = _mm256_set1_pd(d as f64);
                let ones = _mm256_set1_epi32(1);
                for &v in &frontier[starts[d]..starts[d + 1]] {
                    let v = v as usize;
                    // SAFETY: as in the forward pass.
                    unsafe {
                        let lv = _mm256_load_si256(levels.add(v).cast());
                        let below = _mm256_add_epi32(lv, ones);
                        let mut pulled_lo = _mm256_setzero_pd();
                        let mut pulled_hi = _mm256_setzero_pd();
                        let (lo, hi) = (
                            *offsets.get_unchecked(v) as usize,
                            *offsets.get_unchecked(v + 1) as usize,
                        );
                        for &w in targets.get_unchecked(lo..hi) {
                            let w = w as usize;
                            let lw = _mm256_load_si256(levels.add(w).cast());
                            let (eq_lo, eq_hi) = widen(_mm256_cmpeq_epi32(lw, below));
                            let pw = paths.add(w).cast::<f64>();
                            pulled_lo = _mm256_add_pd(
                                pulled_lo,
                                _mm256_and_pd(_mm256_castsi256_pd(eq_lo), _mm256_load_pd(pw)),
                            );
                            pulled_hi = _mm256_add_pd(
                                pulled_hi,
                                _mm256_and_pd(
                                    _mm256_castsi256_pd(eq_hi),
                                    _mm256_load_pd(pw.add(4)),
                                ),
                            );
                        }
                        let (on_lo, on_hi) = widen(_mm256_cmpeq_epi32(lv, here));
                        let (on_lo, on_hi) =
                            (_mm256_castsi256_pd(on_lo), _mm256_castsi256_pd(on_hi));
                        let pv = paths.add(v).cast::<f64>();
                        let (sigma_lo, sigma_hi) = (_mm256_load_pd(pv), _mm256_load_pd(pv.add(4)));
                        let delta_lo = _mm256_mul_pd(sigma_lo, pulled_lo);
                        let delta_hi = _mm256_mul_pd(sigma_hi, pulled_hi);
                        let added_lo = _mm256_and_pd(on_lo, _mm256_mul_pd(weights_lo, delta_lo));
                        let added_hi = _mm256_and_pd(on_hi, _mm256_mul_pd(weights_hi, delta_hi));
                        _mm256_store_pd(
                            pv,
                            _mm256_blendv_pd(
                                sigma_lo,
                                _mm256_div_pd(_mm256_add_pd(one, delta_lo), sigma_lo),
                                on_lo,
                            ),
                        );
                        _mm256_store_pd(
                            pv.add(4),
                            _mm256_blendv_pd(
                                sigma_hi,
                                _mm256_div_pd(_mm256_add_pd(one, delta_hi), sigma_hi),
                                on_hi,
                            ),
                        );
                        total_lo = _mm256_add_pd(total_lo, _mm256_and_pd(on_lo, distance));
                        total_hi = _mm256_add_pd(total_hi, _mm256_and_pd(on_hi, distance));
                        if d > 0 {
                            *sums.dependency.get_unchecked_mut(v) += sum_of(added_lo, added_hi);
                            if sampled {
                                *sums.dependency_squared.get_unchecked_mut(v) += sum_of(
                                    _mm256_mul_pd(added_lo, added_lo),
                                    _mm256_mul_pd(added_hi, added_hi),
                                );
                                *sums.distance.get_unchecked_mut(v) += sum_of(
                                    _mm256_and_pd(
                                        on_lo,
                                        _mm256_add_pd(
                                            _mm256_mul_pd(weights_lo, distance),
                                            leaves_lo,
                                        ),
                                    ),
                                    _mm256_and_pd(
                                        on_hi,
                                        _mm256_add_pd(
                                            _mm256_mul_pd(weights_hi, distance),
                                            leaves_hi,
                                        ),
                                    ),
                                );
                            }
                        }
                    }
                }
            }
            self.base = base + depth as i32 + 1;
            let mut total = [0.0; LANES];
            // SAFETY: `total` has 8 values.
            unsafe {
                _mm256_storeu_pd(total.as_mut_ptr(), total_lo);
                _mm256_storeu_pd(total.as_mut_ptr().add(4), total_hi);
            }
            total
        }
    }

    /// The sums of [`path_metrics`] from batches of [`LANES`] sources, `None` where the
    /// processor lacks AVX2.
    pub(super) fn sums(
        graph: &WindowGraph,
        sources: &[u32],
        leaves: &Leaves,
        sampled: bool,
        chunk: usize,
        cancel: &AtomicBool,
    ) -> Option<Sums> {
        // Asked of the processor, not by building a batch (its arrays are 128 bytes a node).
        if !std::arch::is_x86_feature_detected!("avx2") {
            return None;
        }
        let n = graph.node_count();
        Some(
            sources
                .par_chunks(chunk.next_multiple_of(LANES))
                .map(|sources| {
                    let mut sums = Sums::new(n, sampled);
                    let mut batch = Batch::new(graph).expect("AVX2, as a moment ago");
                    for group in sources.chunks(LANES) {
                        if cancel.load(Ordering::Relaxed) {
                            break;
                        }
                        // Lanes past the group's sources are masked out: their 0s are never read.
                        let leaves_of = std::array::from_fn(|l| {
                            group
                                .get(l)
                                .map_or(0.0, |&s| leaves.count[s as usize] as f64)
                        });
                        let weights = std::array::from_fn(|l| {
                            group.get(l).map_or(0.0, |&s| leaves.weight(s))
                        });
                        let totals = batch.run(group, &weights, &leaves_of, sampled, &mut sums);
                        sums.own_distance.extend(group.iter().copied().zip(totals));
                    }
                    sums
                })
                .reduce(|| Sums::new(n, sampled), Sums::add),
        )
    }

    #[cfg(test)]
    mod tests {
        use super::*;

        #[test]
        fn levels_start_again_below_the_largest_distance() {
            let edges: Vec<_> = (0..30u32).map(|i| (i, (i * 7 + 3) % 31, 1.0)).collect();
            let g = WindowGraph::from_edges(31, &edges);
            let Some(mut fresh) = Batch::new(&g) else {
                return;
            };
            let mut worn = Batch::new(&g).unwrap();
            worn.base = i32::MAX - 20;
            let weights = [1.0, 2.0, 1.0, 1.0, 3.0, 1.0, 1.0, 1.0];
            let leaves = weights.map(|w| w - 1.0);
            let sources = [0, 5, 6, 9, 12, 20, 21, 30];
            let (mut a, mut b) = (Sums::new(31, true), Sums::new(31, true));
            let expected = fresh.run(&sources, &weights, &leaves, true, &mut a);
            assert_eq!(
                worn.run(&sources, &weights, &leaves, true, &mut b),
                expected
            );
            assert!(worn.base < 100, "{}", worn.base);
            let same = |a: &Sums, b: &Sums| {
                a.dependency == b.dependency
                    && a.dependency_squared == b.dependency_squared
                    && a.distance == b.distance
            };
            assert!(same(&a, &b));
            // And again from where the first batch left.
            let expected = fresh.run(&sources[..3], &weights, &leaves, true, &mut a);
            assert_eq!(
                worn.run(&sources[..3], &weights, &leaves, true, &mut b),
                expected
            );
            assert!(same(&a, &b));
        }
    }
}

/// Graphs from this many nodes are renumbered in breadth-first order before the searches
/// (see [`WindowGraph::in_breadth_first_order`]): the searches' per-node arrays then stay in
/// cache longer (exact at 10,000 actors: 7.6 CPU-s against 8.3 without; sampled at 100,000 the
/// arrays are 2 MB and the gain larger). Below it renumbering costs more than it saves.
const RENUMBER_FROM: usize = 2_000;

/// Betweenness and closeness from the plan's sources, on both cores. Returns `None` when
/// `cancel` was set (checked between sources, or batches of eight sources), so a worker can
/// drop a stale window.
pub fn path_metrics(
    graph: &WindowGraph,
    plan: &SourcePlan,
    cancel: &AtomicBool,
) -> Option<PathMetrics> {
    if graph.node_count() < RENUMBER_FROM {
        return path_metrics_as_numbered(graph, plan, cancel, true);
    }
    let (renumbered, new_of) = graph.in_breadth_first_order();
    let plan = SourcePlan {
        sources: plan.sources.iter().map(|&s| new_of[s as usize]).collect(),
        exact: plan.exact,
    };
    let mut metrics = path_metrics_as_numbered(&renumbered, &plan, cancel, true)?;
    let back = |values: &mut Vec<f64>| {
        *values = new_of.iter().map(|&v| values[v as usize]).collect();
    };
    back(&mut metrics.betweenness);
    back(&mut metrics.closeness);
    if let Some(estimate) = &mut metrics.estimate {
        back(&mut estimate.betweenness_standard_error);
    }
    Some(metrics)
}

/// [`path_metrics`] on the graph as numbered; `batched` false keeps to one search per source
/// (the tests compare the two).
fn path_metrics_as_numbered(
    graph: &WindowGraph,
    plan: &SourcePlan,
    cancel: &AtomicBool,
    batched: bool,
) -> Option<PathMetrics> {
    let n = graph.node_count();
    let sampled = !plan.exact;
    let leaves = Leaves::of(graph);
    let threads = rayon::current_num_threads().max(1);
    let chunk = plan.sources.len().div_ceil(threads * 4).max(1);
    #[cfg(target_arch = "x86_64")]
    let in_batches = (batched && n <= batched::UP_TO_NODES)
        .then(|| batched::sums(graph, &plan.sources, &leaves, sampled, chunk, cancel))
        .flatten();
    #[cfg(not(target_arch = "x86_64"))]
    let in_batches = {
        let _ = batched;
        None
    };
    let sums = if let Some(sums) = in_batches {
        sums
    } else {
        plan.sources
            .par_chunks(chunk)
            .map(|sources| {
                let mut sums = Sums::new(n, sampled);
                let mut search = Search::new(graph);
                for &s in sources {
                    if cancel.load(Ordering::Relaxed) {
                        break;
                    }
                    let leaves_of_s = leaves.count[s as usize] as f64;
                    let weight = leaves.weight(s);
                    let mut total_distance = 0i64;
                    search.run(s, |v, d, delta| {
                        total_distance += d as i64;
                        if v == s {
                            return;
                        }
                        let y = weight * delta;
                        sums.dependency[v as usize] += y;
                        if sampled {
                            sums.dependency_squared[v as usize] += y * y;
                            sums.distance[v as usize] += weight * d as f64 + leaves_of_s;
                        }
                    });
                    sums.own_distance.push((s, total_distance as f64));
                }
                sums
            })
            .reduce(|| Sums::new(n, sampled), Sums::add)
    };
    if cancel.load(Ordering::Relaxed) {
        return None;
    }
    let component = graph.components();
    let count = component.iter().map(|&c| c as usize + 1).max().unwrap_or(0);
    let mut size = vec![0usize; count];
    // Nodes that are not leaves (the population sources are drawn from), and those drawn.
    let mut population = vec![0usize; count];
    let mut drawn = vec![0usize; count];
    for (v, &c) in component.iter().enumerate() {
        size[c as usize] += 1;
        if !leaves.is_leaf(v as u32) {
            population[c as usize] += 1;
        }
    }
    for &s in &plan.sources {
        drawn[component[s as usize] as usize] += 1;
    }
    // networkx's normalisation for undirected graphs: the sum over ordered source–target
    // pairs divided by (n − 1)(n − 2), which counts each unordered pair once per direction.
    let scale = if n > 2 {
        1.0 / ((n - 1) as f64 * (n - 2) as f64)
    } else {
        1.0
    };
    let mut betweenness = vec![0.0; n];
    let mut standard_error = vec![0.0; n];
    // Σ of distances from each node to every other of its component: exact or estimated.
    let mut total_distance = vec![f64::NAN; n];
    for &(s, d) in &sums.own_distance {
        total_distance[s as usize] = d;
    }
    for v in 0..n {
        let c = component[v] as usize;
        // Paths from v's leaves pass v to every other node of the component.
        let from_leaves = leaves.count[v] as f64 * (size[c] as f64 - 2.0);
        let (population, k) = (population[c] as f64, drawn[c] as f64);
        let sum = sums.dependency[v];
        if !sampled || k >= population {
            betweenness[v] = (sum + from_leaves) * scale;
            continue;
        }
        if k == 0.0 {
            continue;
        }
        betweenness[v] = (sum * population / k + from_leaves) * scale;
        if k > 1.0 {
            let squares = sums.dependency_squared[v];
            let variance = ((squares - sum * sum / k) / (k - 1.0)).max(0.0);
            standard_error[v] = population * (variance / k * (1.0 - k / population)).sqrt() * scale;
        }
        // Distances to the drawn sources (and their leaves) stand for those to everyone.
        if total_distance[v].is_nan() && !leaves.is_leaf(v as u32) {
            total_distance[v] = sums.distance[v] * (population - 1.0) / k + leaves.count[v] as f64;
        }
    }
    let mut closeness = vec![0.0; n];
    for v in 0..n {
        let reached = size[component[v] as usize];
        let mut total = total_distance[v];
        if leaves.is_leaf(v as u32) {
            // One step further than its neighbour from everyone but the two of them.
            let p = leaves.parent[v] as usize;
            total = total_distance[p] + reached as f64 - 2.0;
        }
        if total.is_finite() {
            closeness[v] = closeness_of(reached, total, n);
        }
    }
    let estimate = sampled.then(|| Estimate {
        sources: plan.sources.len(),
        max_betweenness_standard_error: standard_error.iter().copied().fold(0.0, f64::max),
        betweenness_standard_error: standard_error,
    });
    Some(PathMetrics {
        betweenness,
        closeness,
        estimate,
    })
}

/// networkx's closeness with `wf_improved`: (r − 1)/Σd × (r − 1)/(n − 1), with r the nodes
/// reached (the node itself included).
fn closeness_of(reached: usize, total_distance: f64, n: usize) -> f64 {
    if total_distance <= 0.0 || n <= 1 {
        return 0.0;
    }
    let r = (reached - 1) as f64;
    r / total_distance * (r / (n - 1) as f64)
}

/// SplitMix64, for sampling: small and the same on every platform.
pub(crate) struct SplitMix(pub u64);

impl SplitMix {
    pub(crate) fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in `0..n` (`n > 0`).
    pub(crate) fn below(&mut self, n: usize) -> usize {
        (((self.next_u64() >> 32) * n as u64) >> 32) as usize
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn path_graph(n: u32) -> WindowGraph {
        let edges: Vec<_> = (0..n - 1).map(|i| (i, i + 1, 1.0)).collect();
        WindowGraph::from_edges(n as usize, &edges)
    }

    #[test]
    fn betweenness_and_closeness_of_a_path() {
        let g = path_graph(5);
        let m = path_metrics(&g, &SourcePlan::exact(&g), &AtomicBool::new(false)).unwrap();
        // networkx: betweenness_centrality(path_graph(5)) = 0, .5, .6667, .5, 0.
        let expected = [0.0, 0.5, 2.0 / 3.0, 0.5, 0.0];
        for (got, want) in m.betweenness.iter().zip(expected) {
            assert!((got - want).abs() < 1e-12, "{:?}", m.betweenness);
        }
        // closeness: 4/10, 4/7, 4/6, 4/7, 4/10.
        let expected = [0.4, 4.0 / 7.0, 4.0 / 6.0, 4.0 / 7.0, 0.4];
        for (got, want) in m.closeness.iter().zip(expected) {
            assert!((got - want).abs() < 1e-12, "{:?}", m.closeness);
        }
        assert!(m.estimate.is_none());
    }

    #[test]
    fn closeness_is_scaled_by_component_size() {
        // Two pieces: a triangle and a pair. networkx: triangle nodes 2/2 × 2/4 = 0.5,
        // pair nodes 1/1 × 1/4 = 0.25.
        let g = WindowGraph::from_edges(5, &[(0, 1, 1.0), (1, 2, 1.0), (0, 2, 1.0), (3, 4, 1.0)]);
        let m = path_metrics(&g, &SourcePlan::exact(&g), &AtomicBool::new(false)).unwrap();
        assert_eq!(m.closeness, vec![0.5, 0.5, 0.5, 0.25, 0.25]);
    }

    #[test]
    fn a_sample_estimates_betweenness_within_its_error() {
        // A long path with branches: big enough that a sample is not the whole graph.
        let n = 3000u32;
        let mut edges: Vec<_> = (0..n - 1).map(|i| (i, i + 1, 1.0)).collect();
        edges.extend((0..n - 40).step_by(7).map(|i| (i, i + 37, 1.0)));
        let g = WindowGraph::from_edges(n as usize, &edges);
        let exact = path_metrics(&g, &SourcePlan::exact(&g), &AtomicBool::new(false)).unwrap();
        let plan = SourcePlan::sampled(&g, 300, 7);
        assert!(!plan.is_exact());
        assert_eq!(plan.sources().len(), 300);
        let sampled = path_metrics(&g, &plan, &AtomicBool::new(false)).unwrap();
        let estimate = sampled.estimate.as_ref().unwrap();
        assert_eq!(estimate.sources, 300);
        // The nodes that matter, the top tenth, lie within 3 standard errors of the exact
        // value, as an unbiased estimate with a right error should. (Among nodes of tiny
        // betweenness, which few sources pass through, a sample often misses them all.)
        let mut order: Vec<usize> = (0..n as usize).collect();
        order.sort_by(|&a, &b| exact.betweenness[b].total_cmp(&exact.betweenness[a]));
        let top = &order[..n as usize / 10];
        let within = top
            .iter()
            .filter(|&&v| {
                let err = estimate.betweenness_standard_error[v];
                (sampled.betweenness[v] - exact.betweenness[v]).abs() <= 3.0 * err
            })
            .count();
        assert!(
            within as f64 >= 0.97 * top.len() as f64,
            "{within} of {}",
            top.len()
        );
        let mean_relative_error = top
            .iter()
            .map(|&v| (sampled.betweenness[v] - exact.betweenness[v]).abs() / exact.betweenness[v])
            .sum::<f64>()
            / top.len() as f64;
        assert!(mean_relative_error < 0.1, "{mean_relative_error}");
        for v in 0..n as usize {
            let rel = (sampled.closeness[v] - exact.closeness[v]).abs() / exact.closeness[v];
            assert!(rel < 0.1, "closeness of {v}: {rel}");
        }
    }

    #[test]
    fn renumbering_large_graphs_changes_no_value() {
        let n = RENUMBER_FROM as u32 + 500;
        let mut rng = SplitMix(3);
        let mut edges: Vec<_> = (0..n - 1).map(|i| (i, i + 1, 1.0)).collect();
        edges.extend((0..n).map(|_| {
            (
                rng.below(n as usize) as u32,
                rng.below(n as usize) as u32,
                2.0,
            )
        }));
        // A few leaves and a second component.
        edges.extend([
            (5, n + 1, 1.0),
            (9, n + 2, 1.0),
            (n + 3, n + 4, 1.0),
            (n + 4, n + 5, 1.0),
        ]);
        let g = WindowGraph::from_edges(n as usize + 6, &edges);
        let plan = SourcePlan::sampled(&g, 40, 5);
        let never = AtomicBool::new(false);
        let renumbered = path_metrics(&g, &plan, &never).unwrap();
        let direct = path_metrics_as_numbered(&g, &plan, &never, true).unwrap();
        let same = |a: &[f64], b: &[f64]| {
            a.iter()
                .zip(b)
                .all(|(x, y)| (x - y).abs() <= 1e-9 * x.abs().max(1e-12))
        };
        assert!(same(&renumbered.betweenness, &direct.betweenness));
        assert!(same(&renumbered.closeness, &direct.closeness));
        let (e1, e2) = (renumbered.estimate.unwrap(), direct.estimate.unwrap());
        assert!(same(
            &e1.betweenness_standard_error,
            &e2.betweenness_standard_error
        ));
        assert!(renumbered.betweenness.iter().any(|&b| b > 0.0));
    }

    /// A random graph with the shapes the searches treat specially: leaves, pairs tied only
    /// to each other, nodes without ties, a second component that is a path.
    fn awkward_graph(seed: u64, core: u32, ties: usize) -> WindowGraph {
        let mut rng = SplitMix(seed);
        let mut edges: Vec<_> = (0..ties)
            .map(|_| {
                let a = rng.below(core as usize) as u32;
                (a, rng.below(core as usize) as u32, 1.0)
            })
            .collect();
        let mut next = core;
        for _ in 0..core / 5 {
            edges.push((rng.below(core as usize) as u32, next, 1.0));
            next += 1;
        }
        for _ in 0..3 {
            edges.push((next, next + 1, 1.0));
            next += 2;
        }
        for i in 0..17 {
            edges.push((next + i, next + i + 1, 1.0));
        }
        next += 18;
        WindowGraph::from_edges(next as usize + 4, &edges)
    }

    #[test]
    fn batches_of_sources_equal_one_source_at_a_time() {
        let never = AtomicBool::new(false);
        for (seed, core, ties) in [(1, 5, 6), (2, 40, 60), (3, 300, 500), (4, 1000, 3000)] {
            let g = awkward_graph(seed, core, ties);
            // Numbered in breadth-first order too, as `path_metrics` numbers large graphs.
            for g in [g.in_breadth_first_order().0, g] {
                let sample = SourcePlan::sampled(&g, core as usize / 3, seed);
                for plan in [SourcePlan::exact(&g), sample] {
                    #[cfg(target_arch = "x86_64")]
                    if std::arch::is_x86_feature_detected!("avx2") {
                        let leaves = Leaves::of(&g);
                        let sums =
                            batched::sums(&g, plan.sources(), &leaves, !plan.exact, 64, &never);
                        assert!(sums.is_some());
                    }
                    let batched = path_metrics_as_numbered(&g, &plan, &never, true).unwrap();
                    let single = path_metrics_as_numbered(&g, &plan, &never, false).unwrap();
                    let close = |a: &[f64], b: &[f64]| {
                        a.iter()
                            .zip(b)
                            .all(|(x, y)| (x - y).abs() <= 1e-9 * x.abs().max(y.abs()).max(1e-300))
                    };
                    assert!(close(&batched.betweenness, &single.betweenness), "{seed}");
                    assert!(close(&batched.closeness, &single.closeness), "{seed}");
                    assert!(single.betweenness.iter().any(|&b| b > 0.0));
                    assert_eq!(batched.estimate.is_some(), !plan.is_exact());
                    if let (Some(a), Some(b)) = (batched.estimate, single.estimate) {
                        assert_eq!(a.sources, b.sources);
                        assert!(close(
                            &a.betweenness_standard_error,
                            &b.betweenness_standard_error
                        ));
                    }
                }
            }
        }
        assert!(!SourcePlan::sampled(&awkward_graph(4, 1000, 3000), 333, 4).is_exact());
    }

    #[test]
    fn cancelling_returns_nothing() {
        let g = path_graph(50);
        assert!(path_metrics(&g, &SourcePlan::exact(&g), &AtomicBool::new(true)).is_none());
    }

    #[test]
    fn pagerank_sums_to_one_and_eigenvector_has_unit_norm() {
        let g = WindowGraph::from_edges(4, &[(0, 1, 3.0), (1, 2, 1.0), (2, 3, 1.0), (0, 2, 1.0)]);
        let pr = pagerank(&g);
        assert!(pr.converged);
        assert!((pr.values.iter().sum::<f64>() - 1.0).abs() < 1e-9);
        let ev = eigenvector(&g);
        assert!(ev.converged);
        assert!((ev.values.iter().map(|v| v * v).sum::<f64>() - 1.0).abs() < 1e-9);
        assert!(ev.values[0] > ev.values[3] && pr.values[1] > pr.values[3]);
    }
}
