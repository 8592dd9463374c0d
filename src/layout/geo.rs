//! The geographic layout: countries at their place on an Equal Earth world map, the actors
//! that belong to a country on small rings around it, everyone else in a grid below the map.
//!
//! Coordinates are world units with y pointing down (screen convention, north up), the
//! equator's centre at (0, 0) and the whole world [`WORLD_WIDTH`] units wide, so the view
//! can fit, pan and zoom them like any other layout.
//!
//! The outline under the map, [`world_outline`], is Natural Earth's 1:110m countries
//! (public domain, through the npm package `world-atlas`; see `assets/world/NOTICE.md`),
//! embedded in the binary. Antarctica is left out of it: it would add a sixth to the map's
//! height for an actor that almost never appears, and the space below South America is
//! where the actors without a country go.

use super::{Point, bounds};
use crate::model::{ActorId, ActorKind, CountryTable, Dataset};
use std::f32::consts::{PI, TAU};
use std::sync::OnceLock;

/// Width of the projected world, from 180° W to 180° E along the equator, in world units.
/// The height, pole to pole, is about 0.487 of it (Equal Earth's aspect ratio is 2.05:1),
/// so the map spans about ±2000 units horizontally and ±974 vertically.
pub const WORLD_WIDTH: f32 = 4000.0;

// Equal Earth coefficients (Šavrič, Patterson & Jenny 2018, "The Equal Earth map projection",
// International Journal of Geographical Information Science 33(3)).
const A1: f32 = 1.340_264;
const A2: f32 = -0.081_106;
const A3: f32 = 0.000_893;
const A4: f32 = 0.003_796;
/// √3 / 2.
const M: f32 = 0.866_025_4;
/// World units per unit of the unit-sphere projection, whose equator is 2π / (M·A1) long.
const SCALE: f32 = WORLD_WIDTH * M * A1 / TAU;

/// Radius of the innermost ring of members around a country.
const RING_MIN: f32 = 30.0;
/// Distance between two concentric rings when a country has more members than one ring holds.
const RING_STEP: f32 = 16.0;
/// Arc length between two members on a ring.
const RING_SPACING: f32 = 14.0;
/// Gap between the lowest thing on the map and the first row of the grid.
const GRID_MARGIN: f32 = 150.0;
/// Horizontal and vertical distance between grid cells (labels are about 150 units wide).
const GRID_DX: f32 = 150.0;
const GRID_DY: f32 = 60.0;

/// The Equal Earth projection of a longitude and latitude in degrees into world units
/// (y down, north up; see [`WORLD_WIDTH`]). Latitudes are clamped to ±90°; longitudes
/// outside ±180° are wrapped.
pub fn equal_earth(lon_deg: f32, lat_deg: f32) -> Point {
    let lon = if (-180.0..=180.0).contains(&lon_deg) {
        lon_deg
    } else {
        (lon_deg + 180.0).rem_euclid(360.0) - 180.0
    };
    let lambda = lon.to_radians();
    let phi = lat_deg.clamp(-90.0, 90.0).to_radians();
    let theta = (M * phi.sin()).clamp(-1.0, 1.0).asin();
    let t2 = theta * theta;
    let t6 = t2 * t2 * t2;
    let x = lambda * theta.cos() / (M * (A1 + 3.0 * A2 * t2 + t6 * (7.0 * A3 + 9.0 * A4 * t2)));
    let y = theta * (A1 + A2 * t2 + t6 * (A3 + A4 * t2));
    [SCALE * x, -SCALE * y]
}

/// The country outlines (Antarctica left out), projected: closed rings, the first point not
/// repeated at the end, so draw each as a closed line or polygon. Rings that crossed the
/// 180° meridian (Fiji, eastern Russia) are split there in the asset, so no edge spans the map.
/// Parsed once, on first use.
pub fn world_outline() -> &'static [Vec<Point>] {
    static OUTLINE: OnceLock<Vec<Vec<Point>>> = OnceLock::new();
    OUTLINE.get_or_init(|| parse_outline(include_str!("../../assets/world/countries-110m.txt")))
}

/// The land as triangles, for painters that fill only convex shapes (egui): index triples
/// into the rings of [`world_outline`] flattened in order. Ear clipping, once, on first use.
pub fn world_triangles() -> &'static [[u32; 3]] {
    static TRIANGLES: OnceLock<Vec<[u32; 3]>> = OnceLock::new();
    TRIANGLES.get_or_init(|| {
        let mut out = Vec::new();
        let mut base = 0u32;
        for ring in world_outline() {
            for [a, b, c] in triangulate(ring) {
                out.push([base + a, base + b, base + c]);
            }
            base += ring.len() as u32;
        }
        out
    })
}

/// Ear clipping of a simple polygon: `n - 2` triangles as indices into `ring`. Should
/// rounding leave no ear, the rest is closed as a fan rather than looping.
pub fn triangulate(ring: &[Point]) -> Vec<[u32; 3]> {
    let n = ring.len();
    if n < 3 {
        return Vec::new();
    }
    let cross = |o: Point, a: Point, b: Point| {
        (a[0] - o[0]) * (b[1] - o[1]) - (a[1] - o[1]) * (b[0] - o[0])
    };
    let area: f32 = (0..n)
        .map(|i| cross([0.0, 0.0], ring[i], ring[(i + 1) % n]))
        .sum();
    // Work counter-clockwise (in these coordinates): ears are then the convex corners.
    let mut left: Vec<u32> = if area > 0.0 {
        (0..n as u32).collect()
    } else {
        (0..n as u32).rev().collect()
    };
    let mut out = Vec::with_capacity(n - 2);
    let inside = |p: Point, a: Point, b: Point, c: Point| {
        cross(a, b, p) >= 0.0 && cross(b, c, p) >= 0.0 && cross(c, a, p) >= 0.0
    };
    let mut i = 0;
    let mut since_last_ear = 0;
    while left.len() > 3 {
        let m = left.len();
        let (ia, ib, ic) = (left[(i + m - 1) % m], left[i % m], left[(i + 1) % m]);
        let (a, b, c) = (ring[ia as usize], ring[ib as usize], ring[ic as usize]);
        let convex = cross(a, b, c) > 0.0;
        let is_ear = convex
            && !left
                .iter()
                .any(|&k| k != ia && k != ib && k != ic && inside(ring[k as usize], a, b, c));
        if is_ear {
            out.push([ia, ib, ic]);
            left.remove(i % m);
            since_last_ear = 0;
        } else {
            i += 1;
            since_last_ear += 1;
            if since_last_ear > m {
                break;
            }
        }
        i %= left.len();
    }
    for k in 1..left.len().saturating_sub(1) {
        out.push([left[0], left[k], left[k + 1]]);
    }
    out
}

/// Reads the asset format of `assets/tools/build_world.py`: `C <id> <name>` lines start a
/// country, every other line is a ring of integer hundredths of a degree, the first point
/// absolute and the rest as differences. A malformed ring is skipped.
fn parse_outline(text: &str) -> Vec<Vec<Point>> {
    let mut rings = Vec::new();
    let mut skip_country = false;
    for line in text.lines() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        if let Some(header) = line.strip_prefix("C ") {
            let (id, name) = header.split_once(' ').unwrap_or((header, ""));
            skip_country = id == "010" || name == "Antarctica";
            continue;
        }
        if skip_country {
            continue;
        }
        let values: Option<Vec<i32>> = line
            .split_ascii_whitespace()
            .map(|v| v.parse().ok())
            .collect();
        let Some(values) = values else { continue };
        if values.len() < 6 || values.len() % 2 != 0 {
            continue;
        }
        let (mut lon, mut lat) = (0i32, 0i32);
        let ring: Vec<Point> = values
            .chunks_exact(2)
            .map(|d| {
                lon += d[0];
                lat += d[1];
                equal_earth(lon as f32 / 100.0, lat as f32 / 100.0)
            })
            .collect();
        rings.push(ring);
    }
    rings
}

/// The geographic layout of every actor of the dataset, indexed by [`ActorId`]:
/// - a country actor (kind country, with an ISO code the bundled country table knows) sits at
///   its projected latitude and longitude, whatever it is affiliated to;
/// - an actor whose affiliation chain (the one [`super::group_root`] follows) reaches such a
///   country sits on a ring around the first one it reaches (usually its group root). Rings
///   hold about one member per [`RING_SPACING`] units; a country with more members than its
///   innermost ring ([`RING_MIN`] units) holds gets further rings outside it. Members are
///   ordered to face the actors they share events with (the mean direction from their
///   country to their partners' places), so fewer edges cross the country;
/// - every other actor goes in a grid in a margin below the map (below the outline and every
///   ring), most active first (by event count, then name), centred under the map and at
///   most as wide as the map unless there are so many that a square grid is wider.
///
/// Neighbouring small countries (Benelux, the Balkans) can overlap; the view zooms.
/// Per actor: where it sits if it is a country the bundled table knows.
fn country_points(dataset: &Dataset) -> Vec<Option<Point>> {
    let table = CountryTable::bundled();
    dataset
        .actors
        .iter()
        .map(|(_, actor)| {
            if actor.kind != ActorKind::Country {
                return None;
            }
            let country = table.by_iso3(actor.iso3.as_deref()?)?;
            Some(equal_earth(country.lon, country.lat))
        })
        .collect()
}

/// Per actor: whether the geographic layout puts it on the map (a country it stands for or
/// belongs to is known), rather than in the row below.
pub fn located(dataset: &Dataset) -> Vec<bool> {
    let n = dataset.actors.len();
    let located = country_points(dataset);
    (0..n as ActorId)
        .map(|id| locatable_anchor(dataset, &located, id).is_some())
        .collect()
}

/// For each actor without a place (`anchor` `None`), the placed country it shares the most
/// events with, if it shares any.
fn most_tied_countries(dataset: &Dataset, anchor: &[Option<ActorId>]) -> Vec<Option<ActorId>> {
    let n = dataset.actors.len();
    let counts = crate::model::WindowCounts::full(dataset, crate::model::TimeWindow::all(dataset));
    let mut best: Vec<Option<(u32, ActorId)>> = vec![None; n];
    let mut shared: rustc_hash::FxHashMap<(ActorId, ActorId), u32> = Default::default();
    for (pair, &(a, b)) in dataset.pairs.iter().enumerate() {
        let events = counts.pair_events.get(pair).copied().unwrap_or(0);
        for (me, other) in [(a, b), (b, a)] {
            if anchor[me as usize].is_none()
                && let Some(country) = anchor[other as usize]
            {
                *shared.entry((me, country)).or_default() += events.max(1);
            }
        }
    }
    for ((me, country), events) in shared {
        let slot = &mut best[me as usize];
        // Ties broken by the smaller id, so the same file gives the same map.
        if slot.is_none_or(|(e, c)| events > e || (events == e && country < c)) {
            *slot = Some((events, country));
        }
    }
    best.into_iter().map(|b| b.map(|(_, c)| c)).collect()
}

pub fn geographic(dataset: &Dataset) -> Vec<Point> {
    let n = dataset.actors.len();
    let mut positions = vec![[0.0f32, 0.0]; n];
    if n == 0 {
        return positions;
    }
    let located = country_points(dataset);
    let anchor: Vec<Option<ActorId>> = (0..n as ActorId)
        .map(|id| locatable_anchor(dataset, &located, id))
        .collect();
    // An actor without a place of its own (an armed group, "Civilians") stands beside the
    // country it shares most events with, rather than in a row under the map that edges
    // fan down to; only those tied to no placed actor go to that row.
    let beside = most_tied_countries(dataset, &anchor);
    let mut members: Vec<Vec<ActorId>> = vec![Vec::new(); n];
    let mut unplaced: Vec<ActorId> = Vec::new();
    for id in 0..n as ActorId {
        match anchor[id as usize].or(beside[id as usize]) {
            Some(c) if c == id => positions[id as usize] = located[id as usize].unwrap_or_default(),
            Some(c) => members[c as usize].push(id),
            None => unplaced.push(id),
        }
    }

    // The grid starts below the outline and below every ring.
    let mut bottom = bounds(world_outline().iter().flatten().copied()).map_or(0.0, |(_, hi)| hi[1]);
    for (c, group) in members.iter().enumerate() {
        if let Some(centre) = located[c] {
            let outer = ring_slots(group.len()).last().map_or(0.0, |s| s.0);
            bottom = bottom.max(centre[1] + outer);
        }
    }
    let mut activity = vec![0u32; n];
    for &a in &dataset.event_actors {
        activity[a as usize] += 1;
    }
    let name = |id: ActorId| dataset.actors.get(id).name.as_str();
    unplaced.sort_by(|&a, &b| {
        activity[b as usize]
            .cmp(&activity[a as usize])
            .then_with(|| name(a).cmp(name(b)))
            .then(a.cmp(&b))
    });
    let count = unplaced.len();
    let map_columns = (WORLD_WIDTH / GRID_DX) as usize + 1;
    let columns = count
        .min(map_columns.max((count as f32).sqrt().ceil() as usize))
        .max(1);
    let top = bottom + GRID_MARGIN;
    for (k, &id) in unplaced.iter().enumerate() {
        let (row, col) = (k / columns, k % columns);
        positions[id as usize] = [
            (col as f32 - (columns - 1) as f32 / 2.0) * GRID_DX,
            top + row as f32 * GRID_DY,
        ];
    }

    // Rings: members sorted by the direction they want to face, matched in order to the ring
    // slots sorted by angle, and the whole ring turned by the mean difference.
    let mut partners: Vec<Vec<ActorId>> = vec![Vec::new(); n];
    for &(a, b) in &dataset.pairs {
        partners[a as usize].push(b);
        partners[b as usize].push(a);
    }
    // Where a partner is seen from afar: its country, or its own grid cell.
    let seen_at: Vec<Point> = (0..n)
        .map(|p| match anchor[p] {
            Some(c) => located[c as usize].unwrap_or_default(),
            None => positions[p],
        })
        .collect();
    for (c, group) in members.iter_mut().enumerate() {
        let Some(centre) = located[c] else { continue };
        if group.is_empty() {
            continue;
        }
        group.sort_by(|&a, &b| name(a).cmp(name(b)).then(a.cmp(&b)));
        let len = group.len() as f32;
        let mut wished: Vec<(f32, ActorId)> = group
            .iter()
            .enumerate()
            .map(|(rank, &m)| {
                let (mut x, mut y) = (0.0f32, 0.0f32);
                for &p in &partners[m as usize] {
                    let at = seen_at[p as usize];
                    let (dx, dy) = (at[0] - centre[0], at[1] - centre[1]);
                    let d = (dx * dx + dy * dy).sqrt();
                    if d > 1.0 {
                        x += dx / d;
                        y += dy / d;
                    }
                }
                let angle = if x.abs() + y.abs() > 1e-3 {
                    y.atan2(x)
                } else {
                    // Nobody elsewhere to face: spread by name, starting at the top.
                    wrap_angle(-PI / 2.0 + TAU * rank as f32 / len)
                };
                (angle, m)
            })
            .collect();
        wished.sort_by(|a, b| a.0.total_cmp(&b.0));
        let slots = ring_slots(group.len());
        let (mut sx, mut sy) = (0.0f32, 0.0f32);
        for (&(wish, _), &(_, slot)) in wished.iter().zip(&slots) {
            sx += (wish - slot).cos();
            sy += (wish - slot).sin();
        }
        let phase = if sx.abs() + sy.abs() > 1e-6 {
            sy.atan2(sx)
        } else {
            0.0
        };
        for (&(_, m), &(radius, slot)) in wished.iter().zip(&slots) {
            let a = slot + phase;
            positions[m as usize] = [centre[0] + radius * a.cos(), centre[1] + radius * a.sin()];
        }
    }
    positions
}

/// The actor itself if it is a located country, else the first located country up its
/// affiliation chain (guarding against cycles like [`super::group_root`]).
fn locatable_anchor(
    dataset: &Dataset,
    located: &[Option<Point>],
    actor: ActorId,
) -> Option<ActorId> {
    let mut current = actor;
    for _ in 0..=16 {
        if located[current as usize].is_some() {
            return Some(current);
        }
        match dataset.actors.get(current).affiliation {
            Some(parent) if parent != current => current = parent,
            _ => return None,
        }
    }
    None
}

/// `count` places on concentric rings around a centre, as `(radius, angle)` sorted by angle in
/// [-π, π): the innermost ring first, each holding one member per [`RING_SPACING`] of its
/// circumference, the last one spreading its remainder evenly. Odd rings are turned half a
/// step so that members of neighbouring rings do not line up.
fn ring_slots(count: usize) -> Vec<(f32, f32)> {
    let mut slots = Vec::with_capacity(count);
    let mut remaining = count;
    let mut ring = 0;
    while remaining > 0 {
        let radius = RING_MIN + ring as f32 * RING_STEP;
        let capacity = ((TAU * radius / RING_SPACING) as usize).max(1);
        let take = capacity.min(remaining);
        let step = TAU / take as f32;
        let offset = if ring % 2 == 1 { step / 2.0 } else { 0.0 };
        slots.extend((0..take).map(|k| (radius, wrap_angle(offset + step * k as f32))));
        remaining -= take;
        ring += 1;
    }
    slots.sort_by(|a, b| a.1.total_cmp(&b.1).then(a.0.total_cmp(&b.0)));
    slots
}

/// The same angle in [-π, π).
fn wrap_angle(a: f32) -> f32 {
    (a + PI).rem_euclid(TAU) - PI
}

#[cfg(test)]
mod triangle_tests {
    use super::*;

    fn area(a: Point, b: Point, c: Point) -> f32 {
        ((b[0] - a[0]) * (c[1] - a[1]) - (b[1] - a[1]) * (c[0] - a[0])).abs() / 2.0
    }

    #[test]
    fn triangles_cover_a_concave_ring_exactly() {
        // An L shape of area 3, in both orientations.
        let l = vec![
            [0.0, 0.0],
            [2.0, 0.0],
            [2.0, 1.0],
            [1.0, 1.0],
            [1.0, 2.0],
            [0.0, 2.0],
        ];
        for ring in [l.clone(), l.into_iter().rev().collect::<Vec<_>>()] {
            let t = triangulate(&ring);
            assert_eq!(t.len(), 4);
            let total: f32 = t
                .iter()
                .map(|&[a, b, c]| area(ring[a as usize], ring[b as usize], ring[c as usize]))
                .sum();
            assert!((total - 3.0).abs() < 1e-4, "{total}");
        }
    }

    #[test]
    fn the_land_is_triangulated_with_valid_indices() {
        let points: usize = world_outline().iter().map(|r| r.len()).sum();
        let triangles = world_triangles();
        assert!(triangles.len() > points / 2);
        assert!(triangles.iter().flatten().all(|&i| (i as usize) < points));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{DatasetBuilder, NewEvent, PartialDate};

    fn dist(a: Point, b: Point) -> f32 {
        ((a[0] - b[0]).powi(2) + (a[1] - b[1]).powi(2)).sqrt()
    }

    #[test]
    fn projection_is_centred_north_up_east_right() {
        let o = equal_earth(0.0, 0.0);
        assert!(o[0].abs() < 1e-3 && o[1].abs() < 1e-3, "{o:?}");
        assert!(equal_earth(0.0, 60.0)[1] < equal_earth(0.0, 10.0)[1]);
        assert!(equal_earth(0.0, 10.0)[1] < 0.0);
        assert!(equal_earth(0.0, -10.0)[1] > 0.0);
        assert!(equal_earth(30.0, 0.0)[0] > 0.0 && equal_earth(-30.0, 0.0)[0] < 0.0);
        let width = equal_earth(180.0, 0.0)[0] - equal_earth(-180.0, 0.0)[0];
        assert!((width - WORLD_WIDTH).abs() < 1.0, "{width}");
        // Equal Earth's aspect ratio (equator : central meridian) is about 2.05.
        let height = equal_earth(0.0, -90.0)[1] - equal_earth(0.0, 90.0)[1];
        assert!((width / height - 2.055).abs() < 0.01, "{}", width / height);
        // Meridians curve in towards the poles.
        assert!(equal_earth(180.0, 60.0)[0] < equal_earth(180.0, 0.0)[0] * 0.9);
        assert_eq!(equal_earth(190.0, 0.0), equal_earth(-170.0, 0.0));
    }

    #[test]
    fn outline_parses_to_finite_rings_without_streaks() {
        let outline = world_outline();
        assert!(outline.len() > 150, "{} rings", outline.len());
        let half = WORLD_WIDTH / 2.0 + 0.5;
        for ring in outline {
            assert!(ring.len() >= 3);
            for p in ring {
                assert!(p[0].is_finite() && p[1].is_finite());
                assert!(p[0].abs() <= half && p[1].abs() <= half, "{p:?}");
            }
            // The longest real edge (the 49th parallel) is under 100 units; a ring wrapping
            // round the antimeridian would give one thousands of units long.
            for (a, b) in ring.iter().zip(ring.iter().cycle().skip(1)) {
                assert!(dist(*a, *b) < WORLD_WIDTH / 10.0, "streak {a:?} → {b:?}");
            }
        }
        // Antarctica is left out: nothing south of about 60° S.
        let (_, hi) = bounds(outline.iter().flatten().copied()).unwrap();
        assert!(hi[1] < -equal_earth(0.0, 60.0)[1], "{hi:?}");
    }

    #[test]
    fn countries_sit_in_place_with_members_and_placeless_partners_around_and_the_rest_below() {
        let mut b = DatasetBuilder::new();
        let by = b.actor("Belarus", None).unwrap();
        let ir = b.actor("Iran", None).unwrap();
        let person = b.actor("Viktar Khrenin", Some(ActorKind::Person)).unwrap();
        b.actors.get_mut(person).affiliation = Some(by);
        let ministry = b
            .actor("Ministry of Defence", Some(ActorKind::Organisation))
            .unwrap();
        b.actors.get_mut(ministry).affiliation = Some(by);
        let minister = b.actor("Minister", Some(ActorKind::Person)).unwrap();
        b.actors.get_mut(minister).affiliation = Some(ministry);
        let nowhere = b.actor("Wagner Group", Some(ActorKind::Group)).unwrap();
        let quiet = b.actor("Someone", Some(ActorKind::Person)).unwrap();
        let date = PartialDate::new(2024, None, None).unwrap();
        for actors in [
            vec![person, ir],
            vec![nowhere, by],
            vec![nowhere, quiet],
            vec![nowhere, ir],
        ] {
            b.push(NewEvent {
                date,
                actors,
                ..NewEvent::default()
            });
        }
        let ds = b.finish(None);
        let pos = geographic(&ds);
        assert_eq!(pos.len(), ds.actors.len());
        assert_eq!(pos, geographic(&ds), "deterministic");
        let (pby, pir) = (pos[by as usize], pos[ir as usize]);
        assert!(pby[0] < pir[0], "Belarus west of Iran: {pby:?} {pir:?}");
        assert!(pby[1] < pir[1], "Belarus north of Iran: {pby:?} {pir:?}");
        for m in [person, ministry, minister] {
            let d = dist(pos[m as usize], pby);
            assert!(d > 10.0 && d < 100.0, "member {m} at {d} from Belarus");
        }
        // The person's only partner is Iran: it sits on Belarus's Iran side.
        let (to_ir, to_p) = (
            [pir[0] - pby[0], pir[1] - pby[1]],
            [
                pos[person as usize][0] - pby[0],
                pos[person as usize][1] - pby[1],
            ],
        );
        assert!(to_ir[0] * to_p[0] + to_ir[1] * to_p[1] > 0.0);
        // The group has no country: it stands beside the placed country it shares most
        // events with (Belarus and Iran one each: the first), not in the row below.
        let d = dist(pos[nowhere as usize], pby);
        assert!(d > 10.0 && d < 100.0, "the group at {d} from Belarus");
        // Tied to no placed actor: the row below the map.
        let (_, hi) = bounds(world_outline().iter().flatten().copied()).unwrap();
        assert!(pos[quiet as usize][1] > hi[1], "below the map");
    }

    #[test]
    fn many_members_fill_concentric_rings_without_overlap() {
        for count in [1, 5, 13, 14, 100, 1000] {
            let slots = ring_slots(count);
            assert_eq!(slots.len(), count);
            let points: Vec<Point> = slots
                .iter()
                .map(|&(r, a)| [r * a.cos(), r * a.sin()])
                .collect();
            if count <= 100 {
                for i in 0..points.len() {
                    for j in i + 1..points.len() {
                        assert!(
                            dist(points[i], points[j]) > RING_SPACING * 0.6,
                            "{count}: {i} {j}"
                        );
                    }
                }
            }
            let outer = slots.iter().map(|s| s.0).fold(0.0, f32::max);
            assert!(
                outer <= 4.0 * (count as f32).sqrt() * RING_SPACING,
                "{count}: {outer}"
            );
        }
    }
}
