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
//! Own code over the CSR adjacency rather than a crate: Brandes' algorithm and two power
//! iterations are short, and the crates that have them (`rustworkx-core`, `petgraph`) work
//! over petgraph's graph types, which the window graph would have to be copied into.

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

/// Which nodes the shortest-path metrics start a breadth-first search from.
#[derive(Clone, Debug, PartialEq)]
pub struct SourcePlan {
    /// The sources, by component: every node of a component (exact there) or a sample.
    pub sources: Vec<u32>,
    /// Whether every node is a source (exact results).
    pub exact: bool,
}

/// Work, in node and arc visits (one search costs its component's nodes + 2·ties), up to
/// which [`SourcePlan::automatic`] computes betweenness and closeness exactly. At 10,000
/// actors / 50,000 ties one search is 110,000 visits, so this is exact there: measured
/// (`cargo bench --bench metrics --no-default-features -- betweenness`) that takes the 2 s the
/// issue allows on this 2-core machine; see the README for the figure.
pub const EXACT_WORK_LIMIT: u64 = 1_200_000_000;
/// Work a sampled plan spends: at 100,000 actors / 500,000 ties, 1.1 M visits a search,
/// about 250 sources, which stays within the 1 s the issue allows (README).
pub const SAMPLED_WORK: u64 = 280_000_000;
/// Components this small are always searched from every node: cheap, and a sample of a
/// tiny component is mostly noise.
const SMALL_COMPONENT_WORK: u64 = 100_000;

impl SourcePlan {
    /// Every node: exact betweenness and closeness.
    pub fn exact(graph: &WindowGraph) -> Self {
        Self {
            sources: (0..graph.node_count() as u32).collect(),
            exact: true,
        }
    }

    /// Exact when the work fits [`EXACT_WORK_LIMIT`], else a sample that costs about
    /// [`SAMPLED_WORK`].
    pub fn automatic(graph: &WindowGraph) -> Self {
        let components = component_sizes(graph);
        let exact_work: u64 = components.iter().map(|c| c.nodes * c.work()).sum();
        if exact_work <= EXACT_WORK_LIMIT {
            return Self::exact(graph);
        }
        let per_search: u64 = components.iter().map(|c| c.nodes * c.work()).sum::<u64>()
            / graph.node_count().max(1) as u64;
        let sources = (SAMPLED_WORK / per_search.max(1)).max(16) as usize;
        Self::sampled(graph, sources, 1)
    }

    /// About `sources` sources drawn without replacement, stratified by component
    /// (each component gets its share by size, at least one); small components are taken
    /// whole. The same graph and seed give the same sample.
    pub fn sampled(graph: &WindowGraph, sources: usize, seed: u64) -> Self {
        let n = graph.node_count();
        if sources >= n {
            return Self::exact(graph);
        }
        let component = graph.components();
        let sizes = component_sizes_of(graph, &component);
        let mut members: Vec<Vec<u32>> = sizes
            .iter()
            .map(|c| Vec::with_capacity(c.nodes as usize))
            .collect();
        for (v, &c) in component.iter().enumerate() {
            members[c as usize].push(v as u32);
        }
        let mut rng = SplitMix(seed);
        let mut chosen = Vec::new();
        let mut exact = true;
        for (c, mut nodes) in members.into_iter().enumerate() {
            let size = sizes[c];
            let share = ((sources as f64 * size.nodes as f64 / n as f64).round() as usize).max(1);
            if size.nodes * size.work() <= SMALL_COMPONENT_WORK || share >= nodes.len() {
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

fn component_sizes(graph: &WindowGraph) -> Vec<ComponentSize> {
    component_sizes_of(graph, &graph.components())
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
    pub betweenness_standard_error: Vec<f64>,
    /// The largest of those.
    pub max_betweenness_standard_error: f64,
}

/// Per-thread sums over sources.
struct Sums {
    /// Σ δ_s(v): the dependency of the sources on v (Brandes).
    dependency: Vec<f64>,
    /// Σ δ_s(v)², for the sampling error.
    dependency_squared: Vec<f64>,
    /// Σ d(s, v) over sources s ≠ v, and how many sources reached v.
    distance: Vec<f64>,
    reached_by: Vec<u32>,
    /// Closeness of each source, exact from its own search.
    own_closeness: Vec<(u32, f64)>,
}

impl Sums {
    fn new(n: usize, sampled: bool) -> Self {
        let per_node = |len| if sampled { len } else { 0 };
        Self {
            dependency: vec![0.0; n],
            dependency_squared: vec![0.0; per_node(n)],
            distance: vec![0.0; per_node(n)],
            reached_by: vec![0; per_node(n)],
            own_closeness: Vec::new(),
        }
    }

    fn add(mut self, other: Sums) -> Sums {
        let add = |a: &mut Vec<f64>, b: &[f64]| a.iter_mut().zip(b).for_each(|(x, y)| *x += y);
        add(&mut self.dependency, &other.dependency);
        add(&mut self.dependency_squared, &other.dependency_squared);
        add(&mut self.distance, &other.distance);
        self.reached_by
            .iter_mut()
            .zip(&other.reached_by)
            .for_each(|(x, y)| *x += y);
        self.own_closeness.extend(other.own_closeness);
        self
    }
}

/// One search's scratch space, reset only where the search went.
struct Search {
    distance: Vec<i32>,
    paths: Vec<f64>,
    dependency: Vec<f64>,
    order: Vec<u32>,
}

impl Search {
    fn new(n: usize) -> Self {
        Self {
            distance: vec![-1; n],
            paths: vec![0.0; n],
            dependency: vec![0.0; n],
            order: Vec::with_capacity(n),
        }
    }

    /// Brandes' single-source pass: breadth-first search counting shortest paths, then
    /// dependencies in reverse order of distance. Pulling from the next layer instead of
    /// keeping predecessor lists: the adjacency is read twice, but nothing is allocated.
    fn run(&mut self, graph: &WindowGraph, source: u32) {
        for &v in &self.order {
            self.distance[v as usize] = -1;
            self.paths[v as usize] = 0.0;
            self.dependency[v as usize] = 0.0;
        }
        self.order.clear();
        self.distance[source as usize] = 0;
        self.paths[source as usize] = 1.0;
        self.order.push(source);
        let mut head = 0;
        while head < self.order.len() {
            let v = self.order[head];
            head += 1;
            let (dv, pv) = (self.distance[v as usize], self.paths[v as usize]);
            for &w in graph.neighbours(v) {
                let dw = &mut self.distance[w as usize];
                if *dw < 0 {
                    *dw = dv + 1;
                    self.order.push(w);
                }
                if *dw == dv + 1 {
                    self.paths[w as usize] += pv;
                }
            }
        }
        // `dependency` first holds (1 + δ(w)) / σ(w) of finished nodes, then δ(v).
        for &v in self.order.iter().rev() {
            let dv = self.distance[v as usize];
            let mut pulled = 0.0;
            for &w in graph.neighbours(v) {
                if self.distance[w as usize] == dv + 1 {
                    pulled += self.dependency[w as usize];
                }
            }
            let delta = self.paths[v as usize] * pulled;
            self.dependency[v as usize] = (1.0 + delta) / self.paths[v as usize];
            // Keep δ itself where the caller reads it: recover it below.
            self.paths[v as usize] = delta;
        }
        // `paths` now holds δ; σ is no longer needed.
    }
}

/// Betweenness and closeness from the plan's sources, on both cores. Returns `None` when
/// `cancel` was set (checked between sources), so a worker can drop a stale window.
pub fn path_metrics(
    graph: &WindowGraph,
    plan: &SourcePlan,
    cancel: &AtomicBool,
) -> Option<PathMetrics> {
    let n = graph.node_count();
    let sampled = !plan.exact;
    let threads = rayon::current_num_threads().max(1);
    let chunk = plan.sources.len().div_ceil(threads * 4).max(1);
    let sums = plan
        .sources
        .par_chunks(chunk)
        .map(|sources| {
            let mut sums = Sums::new(n, sampled);
            let mut search = Search::new(n);
            for &s in sources {
                if cancel.load(Ordering::Relaxed) {
                    break;
                }
                search.run(graph, s);
                let mut total_distance = 0i64;
                for &v in &search.order {
                    let delta = search.paths[v as usize];
                    let d = search.distance[v as usize];
                    total_distance += d as i64;
                    if v == s {
                        continue;
                    }
                    sums.dependency[v as usize] += delta;
                    if sampled {
                        sums.dependency_squared[v as usize] += delta * delta;
                        sums.distance[v as usize] += d as f64;
                        sums.reached_by[v as usize] += 1;
                    }
                }
                let reached = search.order.len();
                sums.own_closeness
                    .push((s, closeness_of(reached, total_distance as f64, n)));
            }
            sums
        })
        .reduce(|| Sums::new(n, sampled), Sums::add);
    if cancel.load(Ordering::Relaxed) {
        return None;
    }
    // networkx's normalisation for undirected graphs: the sum over ordered source–target
    // pairs divided by (n − 1)(n − 2), which counts each unordered pair once per direction.
    let scale = if n > 2 {
        1.0 / ((n - 1) as f64 * (n - 2) as f64)
    } else {
        1.0
    };
    let mut closeness = vec![0.0; n];
    if !sampled {
        for &(s, c) in &sums.own_closeness {
            closeness[s as usize] = c;
        }
        return Some(PathMetrics {
            betweenness: sums.dependency.iter().map(|d| d * scale).collect(),
            closeness,
            estimate: None,
        });
    }
    // Stratified estimate: a node's dependencies come only from sources in its component, of
    // which `k` of `size` were drawn.
    let component = graph.components();
    let count = component.iter().map(|&c| c as usize + 1).max().unwrap_or(0);
    let mut size = vec![0usize; count];
    let mut drawn = vec![0usize; count];
    for &c in &component {
        size[c as usize] += 1;
    }
    for &s in &plan.sources {
        drawn[component[s as usize] as usize] += 1;
    }
    let mut betweenness = vec![0.0; n];
    let mut standard_error = vec![0.0; n];
    for v in 0..n {
        let c = component[v] as usize;
        let (size, k) = (size[c] as f64, drawn[c] as f64);
        if k == 0.0 {
            continue;
        }
        let (sum, squares) = (sums.dependency[v], sums.dependency_squared[v]);
        betweenness[v] = sum * size / k * scale;
        if k > 1.0 && k < size {
            let variance = ((squares - sum * sum / k) / (k - 1.0)).max(0.0);
            standard_error[v] = size * (variance / k * (1.0 - k / size)).sqrt() * scale;
        }
        // Mean distance from the drawn sources estimates the mean distance to everyone.
        if sums.reached_by[v] > 0 {
            let mean = sums.distance[v] / sums.reached_by[v] as f64;
            closeness[v] = (size - 1.0) / (n - 1) as f64 / mean;
        }
    }
    for &(s, c) in &sums.own_closeness {
        closeness[s as usize] = c;
    }
    let max = standard_error.iter().copied().fold(0.0, f64::max);
    Some(PathMetrics {
        betweenness,
        closeness,
        estimate: Some(Estimate {
            sources: plan.sources.len(),
            betweenness_standard_error: standard_error,
            max_betweenness_standard_error: max,
        }),
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
        assert!(!plan.exact);
        assert_eq!(plan.sources.len(), 300);
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
