//! Node positions for the map, computed without egui. Positions are in abstract world units;
//! the view fits them to the screen.
//!
//! The grouped layout puts every top-level actor (a country, or an actor that belongs to no
//! country) on a large circle and the actors that belong to it on a ring around it, so that a
//! story's people stand next to their country and the picture is stable while time moves.

pub mod force;
pub mod geo;

use crate::model::{ActorId, Dataset};
use std::f32::consts::TAU;

/// A point in world units.
pub type Point = [f32; 2];

/// The layouts the map offers.
#[derive(
    Clone,
    Copy,
    Debug,
    Default,
    PartialEq,
    Eq,
    Hash,
    serde::Serialize,
    serde::Deserialize,
    clap::ValueEnum,
)]
pub enum LayoutKind {
    /// Countries at their place on a world map, their people and bodies around them.
    #[value(name = "geo")]
    Geographic,
    /// ForceAtlas2: tied actors close, clusters apart.
    #[default]
    Force,
    /// Every actor on one circle, by community, then by country.
    Circle,
    /// Countries on a circle, each ringed by the actors that belong to it.
    Grouped,
    /// Communities (Louvain, over every event) as clusters on a circle: each community's
    /// most tied actor in the middle, its other members on a ring around it.
    Communities,
}

impl LayoutKind {
    pub const ALL: [LayoutKind; 5] = [
        LayoutKind::Geographic,
        LayoutKind::Force,
        LayoutKind::Circle,
        LayoutKind::Grouped,
        LayoutKind::Communities,
    ];

    pub fn label(self) -> &'static str {
        match self {
            LayoutKind::Geographic => "Geographic",
            LayoutKind::Force => "Force-directed",
            LayoutKind::Circle => "Circle",
            LayoutKind::Grouped => "Grouped by country",
            LayoutKind::Communities => "Grouped by community",
        }
    }

    /// The layout a freshly opened file gets: grouped for a story, force for an export.
    pub fn automatic(dataset: &Dataset) -> Self {
        if dataset.actors.len() <= GROUPED_MAX_ACTORS {
            LayoutKind::Grouped
        } else {
            LayoutKind::Force
        }
    }

    /// Positions for this layout. Force starts from `start` and runs to a settled picture
    /// (the GUI instead streams it from a worker, see `ui`).
    pub fn positions(self, dataset: &Dataset, start: &[Point]) -> Vec<Point> {
        match self {
            LayoutKind::Geographic => geo::geographic(dataset),
            LayoutKind::Force => force(dataset, start, force_iterations(dataset.actors.len())),
            LayoutKind::Circle => circle(dataset),
            LayoutKind::Grouped => grouped(dataset),
            LayoutKind::Communities => communities(dataset),
        }
    }
}

/// Every actor on one circle, members next to their country and countries by activity, so
/// that groups read as arcs. About 90 world units of arc per actor.
pub fn circle(dataset: &Dataset) -> Vec<Point> {
    let n = dataset.actors.len();
    let mut activity = vec![0u32; n];
    for &a in &dataset.event_actors {
        activity[a as usize] += 1;
    }
    let roots: Vec<ActorId> = (0..n as ActorId).map(|a| group_root(dataset, a)).collect();
    let mut group_activity = vec![0u32; n];
    for a in 0..n {
        group_activity[roots[a] as usize] += activity[a];
    }
    // Communities side by side on the circle (fewer ties cross it), then countries with
    // their members within a community, the busiest first.
    let community = community_of_actors(dataset);
    let mut order: Vec<ActorId> = (0..n as ActorId).collect();
    order.sort_by(|&a, &b| {
        let (ra, rb) = (roots[a as usize], roots[b as usize]);
        community[a as usize]
            .cmp(&community[b as usize])
            .then(group_activity[rb as usize].cmp(&group_activity[ra as usize]))
            .then(ra.cmp(&rb))
            .then((a != ra).cmp(&(b != rb)))
            .then(activity[b as usize].cmp(&activity[a as usize]))
            .then(a.cmp(&b))
    });
    let radius = (n as f32 * 90.0 / TAU).max(150.0);
    let mut positions = vec![[0.0, 0.0]; n];
    for (slot, &a) in order.iter().enumerate() {
        let angle = -TAU / 4.0 + TAU * slot as f32 / n.max(1) as f32;
        positions[a as usize] = [radius * angle.cos(), radius * angle.sin()];
    }
    positions
}

/// Per actor, its Louvain community over every event (0 the largest); actors without a tie
/// come last (`u32::MAX`).
fn community_of_actors(dataset: &Dataset) -> Vec<u32> {
    use crate::analysis::{COMMUNITY_SEED, WindowGraph, louvain};
    use crate::model::{EventFilter, TimeWindow};
    let mut community = vec![u32::MAX; dataset.actors.len()];
    if dataset.is_empty() {
        return community;
    }
    let graph = WindowGraph::of_window(dataset, TimeWindow::all(dataset), EventFilter::all());
    for (v, &c) in louvain(&graph, COMMUNITY_SEED)
        .membership
        .iter()
        .enumerate()
    {
        community[graph.actors[v] as usize] = c;
    }
    community
}

/// Gap between neighbouring nodes on a ring, in world units; labels are about this wide.
const MEMBER_SPACING: f32 = 150.0;
/// Smallest ring radius around a group's anchor.
const MIN_RING: f32 = 150.0;
/// Space between two groups on the big circle.
const GROUP_GAP: f32 = 240.0;

/// The top-level actor an actor is drawn around: follows affiliations to the end, guarding
/// against cycles in hand-made data.
pub fn group_root(dataset: &Dataset, actor: ActorId) -> ActorId {
    let mut current = actor;
    for _ in 0..16 {
        match dataset.actors.get(current).affiliation {
            Some(parent) if parent != current => current = parent,
            _ => break,
        }
    }
    current
}

/// The grouped layout of every actor of the dataset (see the module docs).
/// Groups are ordered by their event count, largest first, so the main story sits at the top.
pub fn grouped(dataset: &Dataset) -> Vec<Point> {
    let roots: Vec<ActorId> = (0..dataset.actors.len() as ActorId)
        .map(|a| group_root(dataset, a))
        .collect();
    grouped_by(dataset, &roots)
}

/// Communities as groups: the Louvain communities of the graph of every event (the same
/// file gives the same clusters), each drawn around its actor with the most events shared
/// with others, the way [`grouped`] draws a country among its people. Actors without a tie
/// stand alone.
pub fn communities(dataset: &Dataset) -> Vec<Point> {
    use crate::analysis::{COMMUNITY_SEED, WindowGraph, louvain};
    use crate::model::{EventFilter, TimeWindow};
    let n = dataset.actors.len();
    let mut roots: Vec<ActorId> = (0..n as ActorId).collect();
    if n == 0 {
        return Vec::new();
    }
    let graph = WindowGraph::of_window(dataset, TimeWindow::all(dataset), EventFilter::all());
    let communities = louvain(&graph, COMMUNITY_SEED);
    let strength = graph.weighted_degrees();
    let count = communities
        .membership
        .iter()
        .map(|&c| c as usize + 1)
        .max()
        .unwrap_or(0);
    let mut hub: Vec<Option<usize>> = vec![None; count];
    for (v, &c) in communities.membership.iter().enumerate() {
        let best = &mut hub[c as usize];
        if best.is_none_or(|b| strength[v] > strength[b]) {
            *best = Some(v);
        }
    }
    for (v, &c) in communities.membership.iter().enumerate() {
        if let Some(h) = hub[c as usize] {
            roots[graph.actors[v] as usize] = graph.actors[h];
        }
    }
    grouped_by(dataset, &roots)
}

/// Groups on a big circle, each group's members on a ring around its root
/// (`roots[a]` is the actor `a` is drawn around; a root is its own).
fn grouped_by(dataset: &Dataset, group_of: &[ActorId]) -> Vec<Point> {
    let n = dataset.actors.len();
    let mut positions = vec![[0.0, 0.0]; n];
    if n == 0 {
        return positions;
    }
    let mut activity = vec![0u32; n];
    for &a in &dataset.event_actors {
        activity[a as usize] += 1;
    }
    let mut members: Vec<Vec<ActorId>> = vec![Vec::new(); n];
    let mut roots: Vec<ActorId> = Vec::new();
    for id in 0..n as ActorId {
        let root = group_of[id as usize];
        if root == id {
            roots.push(id);
        } else {
            members[root as usize].push(id);
        }
    }
    let group_activity = |r: ActorId| -> u32 {
        activity[r as usize]
            + members[r as usize]
                .iter()
                .map(|&m| activity[m as usize])
                .sum::<u32>()
    };
    roots.sort_by(|&a, &b| {
        group_activity(b)
            .cmp(&group_activity(a))
            .then_with(|| dataset.actors.get(a).name.cmp(&dataset.actors.get(b).name))
    });
    let ring_radius = |count: usize| -> f32 {
        if count == 0 {
            0.0
        } else {
            (count as f32 * MEMBER_SPACING / TAU).max(MIN_RING)
        }
    };
    // Each group needs an arc of the big circle as long as its diameter plus a gap.
    let extents: Vec<f32> = roots
        .iter()
        .map(|&r| 2.0 * ring_radius(members[r as usize].len()) + GROUP_GAP)
        .collect();
    let circumference: f32 = extents.iter().sum();
    // Each group's centre angle: its share of the circle by its extent. Start on the left so
    // that two groups sit left and right.
    let mut centre_angles = Vec::with_capacity(roots.len());
    let mut angle = std::f32::consts::PI;
    for extent in &extents {
        let share = extent / circumference * TAU;
        centre_angles.push(angle + share / 2.0);
        angle += share;
    }
    if roots.len() == 2 {
        centre_angles = vec![std::f32::consts::PI, 0.0];
    }
    // The big radius: long enough that neighbouring rings keep a gap (chord ≥ r₁ + r₂ + gap).
    let mut big_radius: f32 = if roots.len() > 1 {
        circumference / TAU
    } else {
        0.0
    };
    for i in 0..roots.len() {
        let j = (i + 1) % roots.len();
        if i == j || (roots.len() == 2 && i == 1) {
            continue;
        }
        let need = (extents[i] + extents[j]) / 2.0;
        let delta = (centre_angles[j] - centre_angles[i]).rem_euclid(TAU);
        let half_sin = (delta / 2.0).sin().max(0.05);
        big_radius = big_radius.max(need / (2.0 * half_sin));
    }
    let mut centres = vec![[0.0f32, 0.0]; roots.len()];
    for (i, &root) in roots.iter().enumerate() {
        let a = centre_angles[i];
        centres[i] = [big_radius * a.cos(), big_radius * a.sin()];
        positions[root as usize] = centres[i];
        let group = &mut members[root as usize];
        group.sort_by(|&a, &b| dataset.actors.get(a).name.cmp(&dataset.actors.get(b).name));
        // First pass: by name, starting on the side facing away from the picture's centre.
        let outward = if big_radius > 0.0 { a } else { -TAU / 4.0 };
        let angles: Vec<f32> = (0..group.len())
            .map(|k| outward + TAU * k as f32 / group.len() as f32)
            .collect();
        place_ring(
            &mut positions,
            centres[i],
            ring_radius(group.len()),
            group,
            &angles,
        );
    }
    // Then reorder each ring so that members face the actors they share events with
    // (barycentric ordering): fewer edges cross the picture. A few rounds settle it.
    let partners = partner_lists(dataset);
    for _ in 0..3 {
        for (i, &root) in roots.iter().enumerate() {
            let group = members[root as usize].clone();
            if group.len() < 2 {
                continue;
            }
            let c = centres[i];
            let desired: Vec<f32> = group
                .iter()
                .map(|&m| {
                    let (mut x, mut y) = (0.0, 0.0);
                    for &p in &partners[m as usize] {
                        x += positions[p as usize][0] - c[0];
                        y += positions[p as usize][1] - c[1];
                    }
                    let own = positions[m as usize];
                    if x == 0.0 && y == 0.0 {
                        (own[1] - c[1]).atan2(own[0] - c[0])
                    } else {
                        y.atan2(x)
                    }
                })
                .collect();
            let mut order: Vec<usize> = (0..group.len()).collect();
            order.sort_by(|&a, &b| desired[a].total_cmp(&desired[b]));
            // Equal slots, rotated by the circular mean offset between wish and slot.
            let n = group.len() as f32;
            let (mut sx, mut sy) = (0.0f32, 0.0f32);
            for (slot, &k) in order.iter().enumerate() {
                let offset = desired[k] - TAU * slot as f32 / n;
                sx += offset.cos();
                sy += offset.sin();
            }
            let phase = sy.atan2(sx);
            let ordered: Vec<ActorId> = order.iter().map(|&k| group[k]).collect();
            let angles: Vec<f32> = (0..ordered.len())
                .map(|slot| phase + TAU * slot as f32 / n)
                .collect();
            place_ring(
                &mut positions,
                c,
                ring_radius(group.len()),
                &ordered,
                &angles,
            );
        }
    }
    positions
}

fn place_ring(
    positions: &mut [Point],
    centre: Point,
    radius: f32,
    members: &[ActorId],
    angles: &[f32],
) {
    for (&m, &a) in members.iter().zip(angles) {
        positions[m as usize] = [centre[0] + radius * a.cos(), centre[1] + radius * a.sin()];
    }
}

/// For each actor, the actors it shares at least one event with (one entry per pair).
fn partner_lists(dataset: &Dataset) -> Vec<Vec<ActorId>> {
    let mut partners = vec![Vec::new(); dataset.actors.len()];
    for &(a, b) in &dataset.pairs {
        partners[a as usize].push(b);
        partners[b as usize].push(a);
    }
    partners
}

/// Actor count above which [`automatic`] uses the force layout: past it the grouped
/// circle grows too large to read.
pub const GROUPED_MAX_ACTORS: usize = 80;

/// The grouped layout for small sets, ForceAtlas2 for the rest.
pub fn automatic(dataset: &Dataset) -> Vec<Point> {
    let grouped = grouped(dataset);
    if dataset.actors.len() <= GROUPED_MAX_ACTORS {
        grouped
    } else {
        force(dataset, &grouped, force_iterations(dataset.actors.len()))
    }
}

/// Enough ForceAtlas2 iterations to settle, fewer for big graphs where each costs more.
pub fn force_iterations(actors: usize) -> usize {
    match actors {
        0..=1_000 => 300,
        1_001..=5_000 => 150,
        _ => 80,
    }
}

/// ForceAtlas2 ([`force::ForceLayout`], Barnes-Hut) started from `start`, for at most
/// `iterations` steps (fewer once it has converged). Edges are the actor pairs, weighted by the
/// log of their event count, plus a tie from each actor to the country it belongs to, so
/// people stay near their country ([`force::ForceGraph::of_dataset`]). The result spans about
/// 120 world units per √node, so the view's zoom range and label sizes suit every graph; the
/// GUI's step-by-step [`force::ForceLayout`] uses the same scale.
pub fn force(dataset: &Dataset, start: &[Point], iterations: usize) -> Vec<Point> {
    let n = dataset.actors.len();
    if n < 2 {
        return start.to_vec();
    }
    let graph = force::ForceGraph::of_dataset(dataset);
    let mut layout = force::ForceLayout::new(&graph, start);
    for _ in 0..iterations {
        layout.step();
        if layout.converged() {
            break;
        }
    }
    layout.positions_world()
}

/// The smallest box holding the given points: `(min, max)`.
pub fn bounds(points: impl IntoIterator<Item = Point>) -> Option<(Point, Point)> {
    let mut it = points.into_iter();
    let first = it.next()?;
    Some(it.fold((first, first), |(lo, hi), p| {
        (
            [lo[0].min(p[0]), lo[1].min(p[1])],
            [hi[0].max(p[0]), hi[1].max(p[1])],
        )
    }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{ActorKind, DatasetBuilder, NewEvent, PartialDate};

    #[test]
    fn each_community_rings_its_hub_and_stands_apart_from_the_others() {
        use crate::analysis::{COMMUNITY_SEED, WindowGraph, louvain};
        use crate::model::{EventFilter, TimeWindow};
        let ds = crate::io::load_bytes(
            crate::SAMPLE_CSV.as_bytes(),
            std::path::Path::new("sample.csv"),
            &crate::io::LoadOptions::default(),
        )
        .unwrap()
        .dataset;
        let positions = communities(&ds);
        let graph = WindowGraph::of_window(&ds, TimeWindow::all(&ds), EventFilter::all());
        let membership = louvain(&graph, COMMUNITY_SEED).membership;
        let count = membership.iter().max().map_or(0, |&m| m as usize + 1);
        assert!(count >= 2, "the sample has camps");
        // Each community's centre of mass is nearer its own members than any other's.
        let mut centre = vec![[0.0f32; 2]; count];
        let mut size = vec![0.0f32; count];
        for (v, &c) in membership.iter().enumerate() {
            let p = positions[graph.actors[v] as usize];
            centre[c as usize][0] += p[0];
            centre[c as usize][1] += p[1];
            size[c as usize] += 1.0;
        }
        for (c, s) in centre.iter_mut().zip(&size) {
            c[0] /= s;
            c[1] /= s;
        }
        let distance =
            |p: Point, q: [f32; 2]| ((p[0] - q[0]).powi(2) + (p[1] - q[1]).powi(2)).sqrt();
        for (v, &c) in membership.iter().enumerate() {
            let p = positions[graph.actors[v] as usize];
            let own = distance(p, centre[c as usize]);
            for (other, &q) in centre.iter().enumerate() {
                if other != c as usize {
                    assert!(
                        own < distance(p, q),
                        "{} sits nearer another camp",
                        ds.actors.get(graph.actors[v]).name
                    );
                }
            }
        }
    }

    #[test]
    fn on_the_circle_each_community_is_one_arc() {
        let ds = crate::io::load_bytes(
            crate::SAMPLE_CSV.as_bytes(),
            std::path::Path::new("sample.csv"),
            &crate::io::LoadOptions::default(),
        )
        .unwrap()
        .dataset;
        let positions = circle(&ds);
        let community = community_of_actors(&ds);
        let mut by_angle: Vec<usize> = (0..ds.actors.len()).collect();
        let angle = |a: usize| {
            let [x, y] = positions[a];
            // From the top, clockwise in screen terms (the first slot is at −90°).
            (y.atan2(x) + TAU / 4.0).rem_euclid(TAU)
        };
        by_angle.sort_by(|&a, &b| angle(a).total_cmp(&angle(b)));
        let sequence: Vec<u32> = by_angle.iter().map(|&a| community[a]).collect();
        let mut seen = std::collections::HashSet::new();
        for (i, c) in sequence.iter().enumerate() {
            if i == 0 || sequence[i - 1] != *c {
                assert!(seen.insert(*c), "community {c} comes back: {sequence:?}");
            }
        }
    }

    #[test]
    fn members_ring_their_country_and_nobody_overlaps() {
        let mut b = DatasetBuilder::new();
        let by = b.actor("Belarus", None).unwrap();
        let ir = b.actor("Iran", None).unwrap();
        let mut people = Vec::new();
        for (i, country) in [(0, by), (1, by), (2, ir), (3, ir), (4, ir)] {
            let p = b
                .actor(&format!("Person {i}"), Some(ActorKind::Person))
                .unwrap();
            b.actors.get_mut(p).affiliation = Some(country);
            people.push((p, country));
            b.push(NewEvent {
                date: PartialDate::new(2024, None, None).unwrap(),
                actors: vec![p, if country == by { ir } else { by }],
                ..NewEvent::default()
            });
        }
        let ds = b.finish(None);
        let pos = grouped(&ds);
        let dist = |a: Point, b: Point| ((a[0] - b[0]).powi(2) + (a[1] - b[1]).powi(2)).sqrt();
        for &(p, c) in &people {
            let d = dist(pos[p as usize], pos[c as usize]);
            assert!((d - MIN_RING).abs() < 1.0, "member at {d} from its country");
        }
        for i in 0..pos.len() {
            for j in i + 1..pos.len() {
                assert!(dist(pos[i], pos[j]) > 60.0, "{i} and {j} overlap");
            }
        }
    }
}
