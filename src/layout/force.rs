//! ForceAtlas2 (Jacomy, Venturini, Heymann, Bastian 2014, PLoS ONE 9(6): e98679) with
//! Barnes-Hut repulsion, run one step at a time so that the GUI can animate it on a worker
//! thread: warm-started from world positions, with pinned nodes, and with per-edge weight
//! multipliers so a change of time window is a warm restart rather than a new layout.
//!
//! Forces as in Gephi's ForceAtlas2 (lin-log off, no hub dissuasion, no overlap prevention):
//! repulsion `kr·mᵢ·mⱼ/d` with mass `1 + degree`, attraction `w·d` along each edge, gravity
//! `kg·m` towards the origin (or `kg·m·d` in strong-gravity mode, the default here, see
//! [`ForceSettings::for_graph`]), and Gephi's adaptive global speed with per-node swinging
//! damping. Repulsion uses a Barnes-Hut quadtree (θ = 1.2 as in Gephi) built each step from a
//! Morton-order radix sort, with leaves of up to [`LEAF_SIZE`] bodies; the tree is walked once
//! per leaf rather than once per node, against the leaf's bounding box (a stricter test than
//! Gephi's per-node one: median force error 2.0% against the exact sum, 2.4% per node), and
//! the resulting interaction list is summed in a vectorised loop. A cell holding the node is
//! never taken as one body.
//!
//! Why an own implementation and not the `fa2` crate (0.3, what `layout::force` used
//! before): the crate has no fixed nodes and no way to move nodes or change weights of a
//! built layout (`FA2Layout` hands out only `&FA2Data`, so pinning would mean rebuilding the
//! runner and its neighbourhood index every step), it uses graphology's per-node convergence
//! rather than the paper's global adaptive speed, and it is slower. One step on the
//! synthetic 10,000-actor / 50,000-pair graph of `benches/graph.rs` (`cargo bench
//! --no-default-features --bench force`, 2-core VM, medians of 3 runs): this engine
//! 3.6 ms, the `fa2` crate's parallel `epoch()` 24 ms with θ = 0.5 (its default from
//! `from_graph_order`) and 10 ms with θ = 1.2; 1,000 / 5,000: 0.34 ms. Against igraph's
//! Fruchterman-Reingold on the same graph, alternating runs on a quieter stretch
//! (`benches/tools/compare_force.sh`, medians of 3): relmap 2.2 ms per step on 2 threads,
//! 3.9 ms on one, igraph 3.2 ms per iteration (one thread), ratio 0.67 (1.22 on one thread).
//! The VM's speed drifts by up to 2x over minutes, hence the two 10k figures.
//!
//! Determinism: every node's force is summed by one thread in a fixed order and every global
//! sum is taken over fixed chunks in a fixed order, so the same input gives bit-identical
//! positions whatever the number of threads.

use rayon::prelude::*;

use super::Point;
use crate::model::Dataset;

/// Bodies in a quadtree leaf, summed directly.
pub const LEAF_SIZE: usize = 32;
/// Accumulators per body in the repulsion sum.
const LANES: usize = 8;
/// Nodes per chunk of a global sum (fixed, so sums do not depend on the thread count).
const CHUNK: usize = 512;
/// Nodes per rayon task.
const MIN_TASK: usize = 128;
/// Quadtree leaves per rayon task.
const MIN_LEAVES: usize = 8;
/// The default gravity, in strong-gravity mode.
const STRONG_GRAVITY: f64 = 0.05;
/// Weight of the tie from an actor to the actor it belongs to.
pub const AFFILIATION_WEIGHT: f32 = 2.0;

/// A weighted undirected graph to lay out. Nodes are `0..nodes`.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ForceGraph {
    pub nodes: usize,
    /// `(a, b, weight)`; a pair listed twice is two edges.
    pub edges: Vec<(u32, u32, f32)>,
}

impl ForceGraph {
    /// The actors of `ds` as nodes. Edge `p` for `p < ds.pairs.len()` is actor pair `p`
    /// (`PairId`), weighted `1 + ln(events)`; after them, in actor order, a tie of weight
    /// [`AFFILIATION_WEIGHT`] from each actor to its affiliation, so people stay near their
    /// country.
    pub fn of_dataset(ds: &Dataset) -> Self {
        let counts = pair_event_counts(ds);
        let mut edges: Vec<(u32, u32, f32)> = ds
            .pairs
            .iter()
            .zip(&counts)
            .map(|(&(a, b), &c)| (a, b, pair_weight(c)))
            .collect();
        for (id, actor) in ds.actors.iter() {
            if let Some(parent) = actor.affiliation
                && parent != id
            {
                edges.push((id, parent, AFFILIATION_WEIGHT));
            }
        }
        Self {
            nodes: ds.actors.len(),
            edges,
        }
    }

    /// Multipliers for [`ForceLayout::set_weights`] that make the graph of
    /// [`Self::of_dataset`] the graph of a time window: `window_pair_events[p]` is pair `p`'s
    /// event count in the window (`WindowCounts::pair_events`). A pair with no event in the
    /// window gets 0 (absent), one with `c` events the multiplier that turns its weight into
    /// `1 + ln(c)`; affiliation ties stay 1.
    pub fn window_multipliers(ds: &Dataset, window_pair_events: &[u32]) -> Vec<f32> {
        let counts = pair_event_counts(ds);
        let ties = ds
            .actors
            .iter()
            .filter(|(id, a)| a.affiliation.is_some_and(|p| p != *id))
            .count();
        let mut out: Vec<f32> = counts
            .iter()
            .enumerate()
            .map(
                |(p, &total)| match window_pair_events.get(p).copied().unwrap_or(0) {
                    0 => 0.0,
                    c => pair_weight(c) / pair_weight(total.max(1)),
                },
            )
            .collect();
        out.resize(out.len() + ties, 1.0);
        out
    }
}

fn pair_event_counts(ds: &Dataset) -> Vec<u32> {
    ds.pair_event_totals()
}

fn pair_weight(events: u32) -> f32 {
    1.0 + (events.max(1) as f32).ln()
}

/// ForceAtlas2's parameters. [`ForceSettings::for_graph`] gives the defaults.
#[derive(Clone, Debug, PartialEq)]
pub struct ForceSettings {
    /// Repulsion strength `kr` (Gephi: "scaling").
    pub scaling_ratio: f32,
    /// Gravity `kg` towards the origin.
    pub gravity: f32,
    /// Gravity grows with the distance to the origin (keeps far components in).
    pub strong_gravity: bool,
    /// Edge weights count as `weight^influence` (0: all edges alike).
    pub edge_weight_influence: f32,
    /// Barnes-Hut opening criterion: a cell of width `w` at distance `d` counts as one body
    /// when `w / d < theta`.
    pub theta: f32,
    /// How much swinging the adaptive speed tolerates (Gephi's default 1).
    pub jitter_tolerance: f32,
    /// [`ForceLayout::converged`] once the mean displacement of the free nodes in one step is
    /// below this many world units.
    pub convergence_threshold: f32,
}

impl ForceSettings {
    /// Gephi's defaults for large graphs (scaling 2, θ = 1.2, edge weights as they are,
    /// jitter tolerance 1) except gravity: strong gravity 0.05 rather than plain gravity 1,
    /// because with plain gravity a node or component with no edge in the current window
    /// settles where the repulsion of the whole graph (`kr·M/r`) equals the gravity (`kg`),
    /// about `2·M` units out: 60× the graph's own extent on the 10k synthetic graph with 5%
    /// of its actors cut off, which ruins zoom-to-fit. Strong gravity keeps them at the rim.
    /// On the synthetic graphs both separate the countries equally well (see
    /// `benches/force.rs`).
    pub fn for_graph(graph: &ForceGraph) -> Self {
        let _ = graph;
        Self {
            scaling_ratio: 2.0,
            gravity: STRONG_GRAVITY as f32,
            strong_gravity: true,
            edge_weight_influence: 1.0,
            theta: 1.2,
            jitter_tolerance: 1.0,
            convergence_threshold: 2.0,
        }
    }
}

/// A ForceAtlas2 layout in progress; see the module docs.
///
/// Internally positions are in FA2's own units; [`Self::scale`] world units per internal unit,
/// fixed at [`Self::new`], so that a settled layout spans about `120·√n` world units (the
/// convention of [`super::force`]) and the picture never jumps between steps.
pub struct ForceLayout {
    settings: ForceSettings,
    x: Vec<f32>,
    y: Vec<f32>,
    mass: Vec<f32>,
    /// Adjacency (CSR): node `i`'s stubs are `offsets[i]..offsets[i + 1]`.
    offsets: Vec<u32>,
    neighbour: Vec<u32>,
    stub_edge: Vec<u32>,
    /// `weight^influence · multiplier` per stub.
    stub_weight: Vec<f32>,
    /// `weight^influence` per edge.
    base_weight: Vec<f32>,
    multiplier: Vec<f32>,
    edge_ends: Vec<(u32, u32)>,
    fx: Vec<f32>,
    fy: Vec<f32>,
    old_fx: Vec<f32>,
    old_fy: Vec<f32>,
    pinned: Vec<Option<Point>>,
    speed: f32,
    speed_efficiency: f32,
    scale: f32,
    /// Mean world displacement of the free nodes in the last step; infinite before one.
    last_displacement: f32,
    steps: usize,
    tree: QuadTree,
    rep_x: Vec<f32>,
    rep_y: Vec<f32>,
}

impl ForceLayout {
    /// A layout of `graph` with the default settings, starting from `start_world` (world
    /// units; missing or non-finite entries start at the origin, coincident nodes are spread
    /// on a small spiral so that repulsion can separate them).
    pub fn new(graph: &ForceGraph, start_world: &[Point]) -> Self {
        Self::with_settings(graph, start_world, ForceSettings::for_graph(graph))
    }

    pub fn with_settings(
        graph: &ForceGraph,
        start_world: &[Point],
        settings: ForceSettings,
    ) -> Self {
        let n = graph.nodes;
        let scale = world_scale(graph, &settings);
        let mut x = vec![0.0f32; n];
        let mut y = vec![0.0f32; n];
        for i in 0..n {
            if let Some(p) = start_world.get(i)
                && p[0].is_finite()
                && p[1].is_finite()
            {
                x[i] = p[0] / scale;
                y[i] = p[1] / scale;
            }
        }
        spread_coincident(&mut x, &mut y);
        // Self-loops and edges to missing nodes keep their index (for `set_weights`) but
        // weigh nothing and get no stubs.
        let valid = |a: u32, b: u32| (a as usize) < n && (b as usize) < n && a != b;
        let edges = &graph.edges;
        let mut offsets = vec![0u32; n + 1];
        for &(a, b, _) in edges.iter().filter(|e| valid(e.0, e.1)) {
            offsets[a as usize + 1] += 1;
            offsets[b as usize + 1] += 1;
        }
        for i in 0..n {
            offsets[i + 1] += offsets[i];
        }
        let stubs = offsets[n] as usize;
        let mut fill = offsets.clone();
        let mut neighbour = vec![0u32; stubs];
        let mut stub_edge = vec![0u32; stubs];
        for (e, &(a, b, _)) in edges.iter().enumerate() {
            if !valid(a, b) {
                continue;
            }
            for (from, to) in [(a, b), (b, a)] {
                let k = fill[from as usize] as usize;
                neighbour[k] = to;
                stub_edge[k] = e as u32;
                fill[from as usize] += 1;
            }
        }
        let influence = settings.edge_weight_influence;
        let base_weight: Vec<f32> = edges
            .iter()
            .map(|&(a, b, w)| {
                let w = if w.is_finite() && valid(a, b) {
                    w.max(0.0)
                } else {
                    0.0
                };
                if influence == 1.0 || w == 0.0 {
                    w
                } else if influence == 0.0 {
                    1.0
                } else {
                    w.powf(influence)
                }
            })
            .collect();
        let mut layout = Self {
            settings,
            x,
            y,
            mass: vec![1.0; n],
            offsets,
            neighbour,
            stub_edge,
            stub_weight: vec![0.0; stubs],
            multiplier: vec![1.0; edges.len()],
            base_weight,
            edge_ends: edges.iter().map(|&(a, b, _)| (a, b)).collect(),
            fx: vec![0.0; n],
            fy: vec![0.0; n],
            old_fx: vec![0.0; n],
            old_fy: vec![0.0; n],
            pinned: vec![None; n],
            speed: 1.0,
            speed_efficiency: 1.0,
            scale,
            last_displacement: f32::INFINITY,
            steps: 0,
            tree: QuadTree::default(),
            rep_x: vec![0.0; n],
            rep_y: vec![0.0; n],
        };
        layout.refresh_weights();
        layout
    }

    pub fn settings(&self) -> &ForceSettings {
        &self.settings
    }

    /// Number of nodes.
    pub fn len(&self) -> usize {
        self.x.len()
    }

    pub fn is_empty(&self) -> bool {
        self.x.is_empty()
    }

    /// World units per internal unit (fixed for the life of the layout).
    pub fn scale(&self) -> f32 {
        self.scale
    }

    /// Steps run so far.
    pub fn steps(&self) -> usize {
        self.steps
    }

    /// Mean displacement of the free nodes in the last step, in world units (infinite before
    /// the first step).
    pub fn last_displacement(&self) -> f32 {
        self.last_displacement
    }

    /// Per-edge multipliers of the graph's weights, in the order of `ForceGraph::edges` (a
    /// missing entry counts as 1): 0 takes an edge out, e.g. a pair with no event in the
    /// current time window (see [`ForceGraph::window_multipliers`]). Positions and the
    /// adaptive speed are kept, so the next steps are a warm restart. Masses (1 + degree)
    /// count only the edges whose weight times multiplier is above 0.
    pub fn set_weights(&mut self, active: &[f32]) {
        for (e, m) in self.multiplier.iter_mut().enumerate() {
            let v = active.get(e).copied().unwrap_or(1.0);
            *m = if v.is_finite() { v.max(0.0) } else { 0.0 };
        }
        self.refresh_weights();
        self.last_displacement = f32::INFINITY;
    }

    fn refresh_weights(&mut self) {
        for (k, w) in self.stub_weight.iter_mut().enumerate() {
            let e = self.stub_edge[k] as usize;
            *w = self.base_weight[e] * self.multiplier[e];
        }
        self.mass.fill(1.0);
        for (e, &(a, b)) in self.edge_ends.iter().enumerate() {
            if self.multiplier[e] * self.base_weight[e] > 0.0 {
                self.mass[a as usize] += 1.0;
                self.mass[b as usize] += 1.0;
            }
        }
    }

    /// Keeps `node` exactly at `world` until [`Self::unpin`]; it still pushes and pulls the
    /// others. Out-of-range nodes and non-finite points are ignored.
    pub fn pin(&mut self, node: usize, world: Point) {
        if node >= self.len() || !world[0].is_finite() || !world[1].is_finite() {
            return;
        }
        self.pinned[node] = Some(world);
        self.x[node] = world[0] / self.scale;
        self.y[node] = world[1] / self.scale;
        self.last_displacement = f32::INFINITY;
    }

    pub fn unpin(&mut self, node: usize) {
        if let Some(p) = self.pinned.get_mut(node) {
            *p = None;
        }
    }

    pub fn is_pinned(&self, node: usize) -> bool {
        self.pinned.get(node).is_some_and(|p| p.is_some())
    }

    /// Positions in world units; pinned nodes exactly where they were pinned.
    pub fn positions_world(&self) -> Vec<Point> {
        (0..self.len())
            .map(|i| self.pinned[i].unwrap_or([self.x[i] * self.scale, self.y[i] * self.scale]))
            .collect()
    }

    /// Whether the last step moved the free nodes less than
    /// [`ForceSettings::convergence_threshold`] world units on average. A change of weights
    /// or a new pin resets it until the next step.
    pub fn converged(&self) -> bool {
        self.last_displacement < self.settings.convergence_threshold
    }

    /// One ForceAtlas2 iteration.
    pub fn step(&mut self) {
        let n = self.len();
        if n < 2 {
            self.last_displacement = 0.0;
            self.steps += 1;
            return;
        }
        std::mem::swap(&mut self.fx, &mut self.old_fx);
        std::mem::swap(&mut self.fy, &mut self.old_fy);
        let s = &self.settings;
        let kr = s.scaling_ratio;
        self.tree.build(&self.x, &self.y, &self.mass, s.theta);

        // Repulsion, leaf by leaf in the tree's slot order: cut the slot-ordered outputs at
        // the leaves' boundaries so that each task writes its own slice.
        let tree = &self.tree;
        let mut parts: Vec<(usize, &mut [f32], &mut [f32])> = Vec::with_capacity(tree.leaves.len());
        let (mut rest_x, mut rest_y) = (&mut self.rep_x[..], &mut self.rep_y[..]);
        for &leaf in &tree.leaves {
            let cell = &tree.cells[leaf as usize];
            let len = (cell.end - cell.start) as usize;
            let (hx, tx) = std::mem::take(&mut rest_x).split_at_mut(len);
            let (hy, ty) = std::mem::take(&mut rest_y).split_at_mut(len);
            parts.push((leaf as usize, hx, hy));
            rest_x = tx;
            rest_y = ty;
        }
        parts.par_iter_mut().with_min_len(MIN_LEAVES).for_each_init(
            Interactions::default,
            |list, (leaf, out_x, out_y)| {
                tree.leaf_repulsion(*leaf, list, out_x, out_y);
                let start = tree.cells[*leaf].start as usize;
                for (k, (rx, ry)) in out_x.iter_mut().zip(out_y.iter_mut()).enumerate() {
                    let m = tree.bm[start + k] * kr;
                    *rx *= m;
                    *ry *= m;
                }
            },
        );

        // Gravity and attraction, per node.
        let (kg, strong) = (s.gravity, s.strong_gravity);
        let (x, y, mass) = (&self.x, &self.y, &self.mass);
        let (offsets, neighbour, stub_weight) = (&self.offsets, &self.neighbour, &self.stub_weight);
        let (rep_x, rep_y, slot_of) = (&self.rep_x, &self.rep_y, &tree.slot_of);
        self.fx
            .par_iter_mut()
            .zip(self.fy.par_iter_mut())
            .enumerate()
            .with_min_len(MIN_TASK)
            .for_each(|(i, (out_x, out_y))| {
                let (xi, yi) = (x[i], y[i]);
                let slot = slot_of[i] as usize;
                let (mut fx, mut fy) = (rep_x[slot], rep_y[slot]);
                let d = (xi * xi + yi * yi).sqrt();
                if d > 0.0 {
                    let g = if strong {
                        kg * mass[i]
                    } else {
                        kg * mass[i] / d
                    };
                    fx -= xi * g;
                    fy -= yi * g;
                }
                for k in offsets[i] as usize..offsets[i + 1] as usize {
                    let j = neighbour[k] as usize;
                    let w = stub_weight[k];
                    fx -= (xi - x[j]) * w;
                    fy -= (yi - y[j]) * w;
                }
                *out_x = fx;
                *out_y = fy;
            });

        // Adaptive speed (Jacomy et al. 2014, as in Gephi): global swinging vs traction.
        let (fx, fy, ofx, ofy, pinned) =
            (&self.fx, &self.fy, &self.old_fx, &self.old_fy, &self.pinned);
        let sums: Vec<(f64, f64)> = (0..n.div_ceil(CHUNK))
            .into_par_iter()
            .map(|c| {
                let (mut sw, mut tr) = (0.0f64, 0.0f64);
                for i in c * CHUNK..((c + 1) * CHUNK).min(n) {
                    if pinned[i].is_some() {
                        continue;
                    }
                    let m = mass[i] as f64;
                    let (dx, dy) = ((ofx[i] - fx[i]) as f64, (ofy[i] - fy[i]) as f64);
                    let (sx, sy) = ((ofx[i] + fx[i]) as f64, (ofy[i] + fy[i]) as f64);
                    sw += m * (dx * dx + dy * dy).sqrt();
                    tr += m * 0.5 * (sx * sx + sy * sy).sqrt();
                }
                (sw, tr)
            })
            .collect();
        let (swinging, traction) = sums
            .iter()
            .fold((0.0f64, 0.0f64), |(a, b), &(c, d)| (a + c, b + d));
        adapt_speed(
            &mut self.speed,
            &mut self.speed_efficiency,
            self.settings.jitter_tolerance,
            swinging,
            traction,
            n,
        );

        // Move.
        let speed = self.speed;
        let scale = self.scale as f64;
        let moved: Vec<(f64, usize)> = self
            .x
            .par_chunks_mut(CHUNK)
            .zip(self.y.par_chunks_mut(CHUNK))
            .enumerate()
            .map(|(c, (xc, yc))| {
                let (mut total, mut free) = (0.0f64, 0usize);
                for (k, (xi, yi)) in xc.iter_mut().zip(yc.iter_mut()).enumerate() {
                    let i = c * CHUNK + k;
                    if pinned[i].is_some() {
                        continue;
                    }
                    let (dx, dy) = (ofx[i] - fx[i], ofy[i] - fy[i]);
                    let swinging = mass[i] * (dx * dx + dy * dy).sqrt();
                    let factor = speed / (1.0 + (speed * swinging).sqrt());
                    let (mx, my) = (fx[i] * factor, fy[i] * factor);
                    if mx.is_finite() && my.is_finite() {
                        *xi += mx;
                        *yi += my;
                        total += ((mx * mx + my * my) as f64).sqrt() * scale;
                    }
                    free += 1;
                }
                (total, free)
            })
            .collect();
        let (total, free) = moved
            .iter()
            .fold((0.0f64, 0usize), |(a, b), &(c, d)| (a + c, b + d));
        self.last_displacement = if free == 0 {
            0.0
        } else {
            (total / free as f64) as f32
        };
        self.steps += 1;
    }
}

/// Gephi's adaptive global speed (Jacomy et al. 2014): raise the speed while the nodes' moves
/// are mostly traction, cut it when they swing.
fn adapt_speed(
    speed: &mut f32,
    speed_efficiency: &mut f32,
    jitter_tolerance: f32,
    swinging: f64,
    traction: f64,
    n: usize,
) {
    if !(swinging > 0.0 && traction > 0.0 && swinging.is_finite() && traction.is_finite()) {
        return;
    }
    let n = n as f64;
    let jitter = jitter_tolerance as f64;
    let estimated = 0.05 * n.sqrt();
    let min_jt = estimated.sqrt();
    let max_jt = 10.0f64;
    let mut jt = jitter * min_jt.max(max_jt.min(estimated * traction / (n * n)));
    let min_efficiency = 0.05;
    let mut efficiency = *speed_efficiency as f64;
    if swinging / traction > 2.0 {
        if efficiency > min_efficiency {
            efficiency *= 0.5;
        }
        jt = jt.max(jitter);
    }
    let target = jt * efficiency * traction / swinging;
    let current = *speed as f64;
    if swinging > jt * traction {
        if efficiency > min_efficiency {
            efficiency *= 0.7;
        }
    } else if current < 1000.0 {
        efficiency *= 1.3;
    }
    let max_rise = 0.5;
    *speed = (current + (target - current).min(max_rise * current)) as f32;
    *speed_efficiency = efficiency as f32;
}

/// World units per internal unit for `graph`, so that the settled layout spans about
/// `120·√n` world units. In strong-gravity mode FA2 settles into a disc of uniform mass
/// density `kg / (π·kr)` (on a node at radius `r` the repulsion of the mass inside,
/// `kr·m·M(r)/r`, balances the gravity `kg·m·r`), so its diameter is
/// `2·√(kr·M / (π·kg))` for a total mass `M = Σ(1 + degree)`; that matched the settled
/// synthetic graphs of `benches/graph.rs` (1,000 and 10,000 nodes) within 5%. Plain gravity
/// has no such law (far components drift out); the same formula is used with the strong
/// mode's default gravity.
fn world_scale(graph: &ForceGraph, settings: &ForceSettings) -> f32 {
    let n = graph.nodes.max(1) as f64;
    let valid = graph
        .edges
        .iter()
        .filter(|&&(a, b, w)| {
            (a as usize) < graph.nodes && (b as usize) < graph.nodes && a != b && w > 0.0
        })
        .count() as f64;
    let total_mass = n + 2.0 * valid;
    let kr = (settings.scaling_ratio as f64).max(1e-6);
    let kg = if settings.strong_gravity {
        (settings.gravity as f64).max(1e-6)
    } else {
        STRONG_GRAVITY
    };
    let diameter = 2.0 * (kr * total_mass / (std::f64::consts::PI * kg)).sqrt();
    (120.0 * n.sqrt() / diameter.max(1e-6)) as f32
}

/// Spreads nodes that share a position on a golden-angle spiral (radius `√k` internal units
/// for the `k`-th duplicate) around it.
fn spread_coincident(x: &mut [f32], y: &mut [f32]) {
    let mut order: Vec<usize> = (0..x.len()).collect();
    order.sort_by(|&a, &b| {
        x[a].total_cmp(&x[b])
            .then(y[a].total_cmp(&y[b]))
            .then(a.cmp(&b))
    });
    let mut anchor = (f32::NAN, f32::NAN);
    let mut run = 0usize;
    for &i in &order {
        if x[i] == anchor.0 && y[i] == anchor.1 {
            run += 1;
            let r = (run as f32).sqrt();
            let a = run as f32 * 2.399_963;
            x[i] += r * a.cos();
            y[i] += r * a.sin();
        } else {
            anchor = (x[i], y[i]);
            run = 0;
        }
    }
}

/// Barnes-Hut quadtree over the nodes, rebuilt every step. Cells are stored in depth-first
/// order; `skip` is the next cell after a cell's subtree, so the walk needs no stack. Every
/// cell covers a contiguous range of slots (bodies sorted by cell), which also tells whether a
/// node lies inside a cell.
#[derive(Default)]
struct QuadTree {
    /// Slot → node.
    order: Vec<u32>,
    /// Node → slot.
    slot_of: Vec<u32>,
    bx: Vec<f32>,
    by: Vec<f32>,
    bm: Vec<f32>,
    cells: Vec<Cell>,
    /// `morton << 32 | node`, sorted: slot order.
    keys: Vec<u64>,
    scratch: Vec<u64>,
    /// The leaf cells in depth-first order: their slot ranges tile `0..n` in order.
    leaves: Vec<u32>,
}

/// What one leaf's bodies feel: cells taken whole and single bodies, as point masses.
#[derive(Default)]
struct Interactions {
    x: Vec<f32>,
    y: Vec<f32>,
    m: Vec<f32>,
}

impl Interactions {
    fn clear(&mut self) {
        self.x.clear();
        self.y.clear();
        self.m.clear();
    }

    fn push(&mut self, x: f32, y: f32, m: f32) {
        self.x.push(x);
        self.y.push(y);
        self.m.push(m);
    }
}

#[derive(Clone, Copy, Default)]
struct Cell {
    /// Centre of mass.
    x: f32,
    y: f32,
    mass: f32,
    /// `(width / theta)²`: farther than this (squared), the cell counts as one body.
    far2: f32,
    start: u32,
    end: u32,
    skip: u32,
    leaf: bool,
}

impl QuadTree {
    /// Sorts the bodies along a Morton (Z-order) curve of 16-bit cells over the square that
    /// holds them, then cuts the sorted run into quadrants level by level: a quadtree cell is
    /// a range of equal key prefix, found by binary search.
    fn build(&mut self, xs: &[f32], ys: &[f32], ms: &[f32], theta: f32) {
        let n = xs.len();
        self.cells.clear();
        self.leaves.clear();
        let (mut lo_x, mut lo_y, mut hi_x, mut hi_y) = (f32::MAX, f32::MAX, f32::MIN, f32::MIN);
        for i in 0..n {
            lo_x = lo_x.min(xs[i]);
            hi_x = hi_x.max(xs[i]);
            lo_y = lo_y.min(ys[i]);
            hi_y = hi_y.max(ys[i]);
        }
        let side = (hi_x - lo_x).max(hi_y - lo_y).max(1e-3) * 1.0001;
        let (cx, cy) = ((lo_x + hi_x) / 2.0, (lo_y + hi_y) / 2.0);
        let (x0, y0) = (cx - side / 2.0, cy - side / 2.0);
        let q = 65536.0 / side;
        let cell_of = |v: f32, origin: f32| (((v - origin) * q) as i64).clamp(0, 65535) as u64;
        self.keys.clear();
        self.keys.extend((0..n).map(|i| {
            let key = spread_bits(cell_of(xs[i], x0)) | spread_bits(cell_of(ys[i], y0)) << 1;
            key << 32 | i as u64
        }));
        radix_sort_high32(&mut self.keys, &mut self.scratch);
        self.order.clear();
        self.order.extend(self.keys.iter().map(|&k| k as u32));
        self.slot_of.resize(n, 0);
        self.bx.resize(n, 0.0);
        self.by.resize(n, 0.0);
        self.bm.resize(n, 0.0);
        for (slot, &i) in self.order.iter().enumerate() {
            let i = i as usize;
            self.slot_of[i] = slot as u32;
            self.bx[slot] = xs[i];
            self.by[slot] = ys[i];
            self.bm[slot] = ms[i];
        }
        let inv_theta2 = 1.0 / (theta * theta).max(1e-6);
        self.build_cell(0, n, side, 0, inv_theta2);
    }

    fn build_cell(&mut self, lo: usize, hi: usize, width: f32, depth: u32, inv_theta2: f32) {
        let index = self.cells.len();
        self.cells.push(Cell::default());
        let far2 = width * width * inv_theta2;
        if hi - lo <= LEAF_SIZE || depth >= 16 {
            let (mut m, mut sx, mut sy) = (0.0f32, 0.0f32, 0.0f32);
            for t in lo..hi {
                m += self.bm[t];
                sx += self.bx[t] * self.bm[t];
                sy += self.by[t] * self.bm[t];
            }
            self.cells[index] = Cell {
                x: sx / m,
                y: sy / m,
                mass: m,
                far2,
                start: lo as u32,
                end: hi as u32,
                skip: index as u32 + 1,
                leaf: true,
            };
            self.leaves.push(index as u32);
            return;
        }
        // The two key bits of this level, above the 32 bits of the node index.
        let shift = 32 + 2 * (15 - depth);
        let digit = |k: u64| (k >> shift) & 3;
        let mut bounds = [lo, 0, 0, 0, hi];
        for d in 1..4u64 {
            bounds[d as usize] = lo + self.keys[lo..hi].partition_point(|&k| digit(k) < d);
        }
        for quadrant in 0..4 {
            let (a, b) = (bounds[quadrant], bounds[quadrant + 1]);
            if b > a {
                self.build_cell(a, b, width / 2.0, depth + 1, inv_theta2);
            }
        }
        let (mut m, mut sx, mut sy) = (0.0f32, 0.0f32, 0.0f32);
        let mut child = index + 1;
        while child < self.cells.len() {
            let c = self.cells[child];
            m += c.mass;
            sx += c.x * c.mass;
            sy += c.y * c.mass;
            child = c.skip as usize;
        }
        self.cells[index] = Cell {
            x: sx / m,
            y: sy / m,
            mass: m,
            far2,
            start: lo as u32,
            end: hi as u32,
            skip: self.cells.len() as u32,
            leaf: false,
        };
    }

    /// `Σ mⱼ·(pᵢ − pⱼ)/d²` over all other bodies, for every body of the leaf cell `leaf`,
    /// into `out_x`/`out_y` (one entry per slot of the leaf); times `kr·mᵢ` it is FA2's
    /// repulsion. The tree is walked once for the whole leaf (Barnes 1990's grouping): a cell
    /// counts as one body when it is farther than `width / theta` from the leaf's bounding
    /// box, which is at least as strict as the per-body test; the resulting list is then
    /// summed for each body in one branch-free loop (self and coincident bodies add 0).
    fn leaf_repulsion(
        &self,
        leaf: usize,
        list: &mut Interactions,
        out_x: &mut [f32],
        out_y: &mut [f32],
    ) {
        let cells = &self.cells[..];
        let own = cells[leaf];
        let (s0, s1) = (own.start as usize, own.end as usize);
        let (mut x0, mut y0, mut x1, mut y1) = (f32::MAX, f32::MAX, f32::MIN, f32::MIN);
        for t in s0..s1 {
            x0 = x0.min(self.bx[t]);
            x1 = x1.max(self.bx[t]);
            y0 = y0.min(self.by[t]);
            y1 = y1.max(self.by[t]);
        }
        list.clear();
        let mut c = 0usize;
        while c < cells.len() {
            let cell = &cells[c];
            let holds_leaf = cell.start <= own.start && own.end <= cell.end;
            if !holds_leaf {
                let dx = (x0 - cell.x).max(cell.x - x1).max(0.0);
                let dy = (y0 - cell.y).max(cell.y - y1).max(0.0);
                if dx * dx + dy * dy > cell.far2 {
                    list.push(cell.x, cell.y, cell.mass);
                    c = cell.skip as usize;
                    continue;
                }
            }
            if cell.leaf {
                for t in cell.start as usize..cell.end as usize {
                    list.push(self.bx[t], self.by[t], self.bm[t]);
                }
                c = cell.skip as usize;
            } else {
                c += 1;
            }
        }
        // Pad to whole lanes with massless entries, then sum each body's list in LANES
        // independent accumulators (a fixed order, so deterministic, and vectorisable).
        while !list.x.len().is_multiple_of(LANES) {
            list.push(0.0, 0.0, 0.0);
        }
        let (lx, ly, lm) = (&list.x[..], &list.y[..], &list.m[..]);
        for (k, t) in (s0..s1).enumerate() {
            let (xi, yi) = (self.bx[t], self.by[t]);
            let mut ax = [0.0f32; LANES];
            let mut ay = [0.0f32; LANES];
            let (cxs, cys, cms) = (
                lx.as_chunks::<LANES>().0,
                ly.as_chunks::<LANES>().0,
                lm.as_chunks::<LANES>().0,
            );
            for ((cx, cy), cm) in cxs.iter().zip(cys).zip(cms) {
                for l in 0..LANES {
                    let dx = xi - cx[l];
                    let dy = yi - cy[l];
                    let d2 = dx * dx + dy * dy;
                    // Self and coincident bodies have dx = dy = 0 and add 0; the tiny
                    // term keeps f finite for them without a branch (which would stop
                    // the loop from vectorising).
                    let f = cm[l] / (d2 + 1e-30);
                    ax[l] += dx * f;
                    ay[l] += dy * f;
                }
            }
            out_x[k] = ax.iter().sum();
            out_y[k] = ay.iter().sum();
        }
    }

    /// The plain per-body walk, kept as the reference the grouped walk is tested against.
    #[cfg(test)]
    fn repulsion(&self, slot: usize) -> (f32, f32) {
        let (xi, yi) = (self.bx[slot], self.by[slot]);
        let s = slot as u32;
        let (mut fx, mut fy) = (0.0f32, 0.0f32);
        let cells = &self.cells[..];
        let mut c = 0usize;
        while c < cells.len() {
            let cell = &cells[c];
            let dx = xi - cell.x;
            let dy = yi - cell.y;
            let d2 = dx * dx + dy * dy;
            let inside = cell.start <= s && s < cell.end;
            if d2 > cell.far2 && !inside {
                let f = cell.mass / d2;
                fx += dx * f;
                fy += dy * f;
                c = cell.skip as usize;
            } else if cell.leaf {
                for t in cell.start as usize..cell.end as usize {
                    let dx = xi - self.bx[t];
                    let dy = yi - self.by[t];
                    let d2 = dx * dx + dy * dy;
                    if t != slot && d2 > 0.0 {
                        let f = self.bm[t] / d2;
                        fx += dx * f;
                        fy += dy * f;
                    }
                }
                c = cell.skip as usize;
            } else {
                c += 1;
            }
        }
        (fx, fy)
    }
}

/// The 16 low bits of `v` spread to the even bits of the result (Morton interleaving).
fn spread_bits(v: u64) -> u64 {
    let mut v = v & 0xFFFF;
    v = (v | (v << 8)) & 0x00FF_00FF;
    v = (v | (v << 4)) & 0x0F0F_0F0F;
    v = (v | (v << 2)) & 0x3333_3333;
    (v | (v << 1)) & 0x5555_5555
}

/// Stable least-significant-digit radix sort of `keys` by their high 32 bits.
fn radix_sort_high32(keys: &mut Vec<u64>, scratch: &mut Vec<u64>) {
    scratch.clear();
    scratch.resize(keys.len(), 0);
    for pass in 0..4 {
        let shift = 32 + 8 * pass;
        let mut counts = [0usize; 257];
        for &k in keys.iter() {
            counts[((k >> shift) & 0xFF) as usize + 1] += 1;
        }
        if counts[1..].contains(&keys.len()) {
            continue; // every key has the same byte here
        }
        for b in 0..256 {
            counts[b + 1] += counts[b];
        }
        for &k in keys.iter() {
            let b = ((k >> shift) & 0xFF) as usize;
            scratch[counts[b]] = k;
            counts[b] += 1;
        }
        std::mem::swap(keys, scratch);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{ActorKind, DatasetBuilder, NewEvent, PartialDate};

    /// A deterministic pseudo-random graph with `n` nodes and about `m` edges, and a start
    /// layout spread over a square of 100 world units per node.
    fn random_graph(n: usize, m: usize, seed: u64) -> (ForceGraph, Vec<Point>) {
        let mut state = seed
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        let mut next = move || {
            state = state
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            (state >> 33) as u32
        };
        let edges = (0..m)
            .map(|_| {
                let a = next() % n as u32;
                let b = next() % n as u32;
                (a, b, 1.0 + (next() % 3) as f32)
            })
            .filter(|&(a, b, _)| a != b)
            .collect();
        let side = 100.0 * (n as f32).sqrt();
        let start = (0..n)
            .map(|_| {
                [
                    (next() % 10_000) as f32 / 10_000.0 * side,
                    (next() % 10_000) as f32 / 10_000.0 * side,
                ]
            })
            .collect();
        (ForceGraph { nodes: n, edges }, start)
    }

    fn centroid(points: &[Point]) -> Point {
        let n = points.len() as f32;
        let (sx, sy) = points
            .iter()
            .fold((0.0, 0.0), |(x, y), p| (x + p[0], y + p[1]));
        [sx / n, sy / n]
    }

    fn dist(a: Point, b: Point) -> f32 {
        ((a[0] - b[0]).powi(2) + (a[1] - b[1]).powi(2)).sqrt()
    }

    #[test]
    fn barnes_hut_is_close_to_the_exact_sum() {
        let (graph, start) = random_graph(3_000, 0, 9);
        // Clustered as well as spread: a third of the nodes packed near one point.
        let xs: Vec<f32> = start
            .iter()
            .enumerate()
            .map(|(i, p)| if i % 3 == 0 { p[0] * 0.01 } else { p[0] })
            .collect();
        let ys: Vec<f32> = start.iter().map(|p| p[1]).collect();
        let ms: Vec<f32> = (0..graph.nodes).map(|i| 1.0 + (i % 7) as f32).collect();
        let mut tree = QuadTree::default();
        tree.build(&xs, &ys, &ms, 1.2);
        let n = graph.nodes;
        let (mut gx, mut gy) = (vec![0.0f32; n], vec![0.0f32; n]);
        let mut list = Interactions::default();
        for &leaf in &tree.leaves {
            let c = tree.cells[leaf as usize];
            let (a, b) = (c.start as usize, c.end as usize);
            tree.leaf_repulsion(leaf as usize, &mut list, &mut gx[a..b], &mut gy[a..b]);
        }
        let mut errors = Vec::new();
        let mut walk_errors = Vec::new();
        for slot in 0..n {
            let (xi, yi) = (tree.bx[slot], tree.by[slot]);
            let (mut ex, mut ey) = (0.0f64, 0.0f64);
            for t in 0..n {
                let (dx, dy) = ((xi - tree.bx[t]) as f64, (yi - tree.by[t]) as f64);
                let d2 = dx * dx + dy * dy;
                if t != slot && d2 > 0.0 {
                    ex += dx * tree.bm[t] as f64 / d2;
                    ey += dy * tree.bm[t] as f64 / d2;
                }
            }
            let norm = (ex * ex + ey * ey).sqrt().max(1e-9);
            let err = |fx: f32, fy: f32| {
                ((fx as f64 - ex).powi(2) + (fy as f64 - ey).powi(2)).sqrt() / norm
            };
            errors.push(err(gx[slot], gy[slot]));
            let (wx, wy) = tree.repulsion(slot);
            walk_errors.push(err(wx, wy));
        }
        let median = |v: &mut Vec<f64>| {
            v.sort_by(f64::total_cmp);
            v[v.len() / 2]
        };
        let (grouped, single) = (median(&mut errors), median(&mut walk_errors));
        // The grouped walk's test is the stricter one: at most the per-body walk's error.
        assert!(grouped < 0.05, "median relative error {grouped}");
        assert!(
            grouped <= single * 1.01,
            "grouped {grouped} vs per body {single}"
        );
        assert!(errors.iter().all(|e| e.is_finite()));
    }

    #[test]
    fn pinned_nodes_stay_exactly_where_pinned() {
        let (graph, start) = random_graph(200, 600, 1);
        let mut layout = ForceLayout::new(&graph, &start);
        layout.pin(3, [123.25, -45.5]);
        layout.pin(17, start[17]);
        for _ in 0..60 {
            layout.step();
            let p = layout.positions_world();
            assert_eq!(p[3], [123.25, -45.5]);
            assert_eq!(p[17], start[17]);
        }
        assert!(layout.is_pinned(3));
        layout.unpin(3);
        assert!(!layout.is_pinned(3));
        for _ in 0..5 {
            layout.step();
        }
        assert_ne!(layout.positions_world()[3], [123.25, -45.5]);
        assert_eq!(layout.positions_world()[17], start[17]);
    }

    #[test]
    fn two_cliques_separate() {
        // Two cliques of 12, one edge between them, started interleaved on a line.
        let k = 12u32;
        let mut edges = Vec::new();
        for base in [0, k] {
            for a in 0..k {
                for b in a + 1..k {
                    edges.push((base + a, base + b, 1.0));
                }
            }
        }
        edges.push((0, k, 1.0));
        let graph = ForceGraph {
            nodes: 2 * k as usize,
            edges,
        };
        let start: Vec<Point> = (0..2 * k)
            .map(|i| {
                let slot = (i % k) * 2 + i / k;
                [slot as f32 * 50.0, (slot % 3) as f32 * 40.0]
            })
            .collect();
        let mut layout = ForceLayout::new(&graph, &start);
        for _ in 0..400 {
            layout.step();
        }
        let p = layout.positions_world();
        let (left, right) = p.split_at(k as usize);
        let (cl, cr) = (centroid(left), centroid(right));
        let gap = dist(cl, cr);
        let spread =
            |pts: &[Point], c: Point| pts.iter().map(|&q| dist(q, c)).fold(0.0f32, f32::max);
        let radius = spread(left, cl).max(spread(right, cr));
        assert!(gap > 2.0 * radius, "gap {gap}, cluster radius {radius}");
        for &q in left {
            assert!(dist(q, cl) < dist(q, cr));
        }
        for &q in right {
            assert!(dist(q, cr) < dist(q, cl));
        }
    }

    #[test]
    fn steps_are_deterministic_whatever_the_thread_count() {
        let (graph, start) = random_graph(1_500, 4_000, 7);
        let run = |threads: usize| {
            let pool = rayon::ThreadPoolBuilder::new()
                .num_threads(threads)
                .build()
                .unwrap();
            pool.install(|| {
                let mut layout = ForceLayout::new(&graph, &start);
                layout.pin(5, [0.0, 0.0]);
                for _ in 0..8 {
                    layout.step();
                }
                layout.positions_world()
            })
        };
        let one = run(1);
        assert_eq!(one, run(1));
        assert_eq!(one, run(3));
        assert_ne!(one, start);
    }

    #[test]
    fn positions_stay_finite() {
        // Everyone on one point, duplicate and self edges, an isolated node, huge and
        // zero weights: nothing may become NaN or infinite.
        let (mut graph, _) = random_graph(300, 900, 3);
        graph.edges.push((4, 4, 1.0));
        graph.edges.push((1, 2, 1e6));
        graph.edges.push((1, 2, 0.0));
        graph.edges.push((8, 9, f32::NAN));
        graph.nodes += 1;
        let start = vec![[5.0, 5.0]; graph.nodes];
        let mut layout = ForceLayout::new(&graph, &start);
        for _ in 0..200 {
            layout.step();
            assert!(
                layout
                    .positions_world()
                    .iter()
                    .flatten()
                    .all(|v| v.is_finite())
            );
        }
        let mut strong = ForceSettings::for_graph(&graph);
        strong.strong_gravity = true;
        let mut layout = ForceLayout::with_settings(&graph, &[[f32::NAN, 1.0]], strong);
        for _ in 0..50 {
            layout.step();
        }
        assert!(
            layout
                .positions_world()
                .iter()
                .flatten()
                .all(|v| v.is_finite())
        );
        // Tiny graphs do nothing and do not panic.
        for n in 0..2 {
            let g = ForceGraph {
                nodes: n,
                edges: Vec::new(),
            };
            let mut l = ForceLayout::new(&g, &[[1.0, 2.0]]);
            l.step();
            assert_eq!(l.positions_world().len(), n);
            assert!(l.converged());
        }
    }

    #[test]
    fn a_small_graph_converges_and_weights_warm_restart() {
        let (graph, start) = random_graph(120, 300, 11);
        let mut layout = ForceLayout::new(&graph, &start);
        assert!(!layout.converged());
        let mut steps = 0;
        while !layout.converged() && steps < 2_000 {
            layout.step();
            steps += 1;
        }
        assert!(layout.converged(), "not converged after {steps} steps");
        let before = layout.positions_world();
        // Half the edges leave the window: not converged any more, and the picture moves
        // on from where it was rather than starting over.
        let active: Vec<f32> = (0..graph.edges.len()).map(|e| (e % 2) as f32).collect();
        layout.set_weights(&active);
        assert!(!layout.converged());
        layout.step();
        let after = layout.positions_world();
        let moved = before
            .iter()
            .zip(&after)
            .map(|(&a, &b)| dist(a, b))
            .sum::<f32>()
            / before.len() as f32;
        // Nodes stand about 120 world units apart: a warm restart moves them a fraction.
        assert!(moved < 60.0, "jumped {moved} world units");
    }

    #[test]
    fn dataset_graph_and_window_multipliers() {
        let mut b = DatasetBuilder::new();
        let by = b.actor("Belarus", None).unwrap();
        let ir = b.actor("Iran", None).unwrap();
        let p = b.actor("Viktar Khrenin", Some(ActorKind::Person)).unwrap();
        b.actors.get_mut(p).affiliation = Some(by);
        for (month, actors) in [(1, vec![by, ir]), (2, vec![by, ir]), (3, vec![p, ir])] {
            b.push(NewEvent {
                date: PartialDate::new(2024, Some(month), None).unwrap(),
                actors,
                ..NewEvent::default()
            });
        }
        let ds = b.finish(None);
        let g = ForceGraph::of_dataset(&ds);
        assert_eq!(g.nodes, 3);
        assert_eq!(g.edges.len(), ds.pairs.len() + 1);
        let by_ir = ds
            .pairs
            .iter()
            .position(|&q| q == (by.min(ir), by.max(ir)))
            .unwrap();
        assert!((g.edges[by_ir].2 - (1.0 + 2f32.ln())).abs() < 1e-6);
        assert_eq!(*g.edges.last().unwrap(), (p, by, AFFILIATION_WEIGHT));
        // A window with one Belarus–Iran event and no Khrenin–Iran event.
        let mut window = vec![0u32; ds.pairs.len()];
        window[by_ir] = 1;
        let m = ForceGraph::window_multipliers(&ds, &window);
        assert_eq!(m.len(), g.edges.len());
        assert!((m[by_ir] * g.edges[by_ir].2 - 1.0).abs() < 1e-6);
        assert_eq!(m[1 - by_ir], 0.0);
        assert_eq!(*m.last().unwrap(), 1.0);
    }

    #[test]
    fn force_keeps_its_world_scale() {
        let (graph, start) = random_graph(1_000, 3_000, 5);
        let mut layout = ForceLayout::new(&graph, &start);
        for _ in 0..300 {
            layout.step();
        }
        let (lo, hi) = super::super::bounds(layout.positions_world()).unwrap();
        let extent = (hi[0] - lo[0]).max(hi[1] - lo[1]);
        let expected = 120.0 * (graph.nodes as f32).sqrt();
        assert!(
            extent > 0.5 * expected && extent < 2.0 * expected,
            "extent {extent}, expected about {expected}"
        );
    }
}
