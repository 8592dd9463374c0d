//! A deterministic synthetic actor graph for the layout benches, shaped like a real export:
//! about 5% countries ("Country 17"), the rest people and organisations that belong to a
//! country, ties with a heavy-tailed degree distribution (a Pareto "fitness" per actor, ties
//! drawn in proportion to it) that mostly stay within a country or go to a neighbouring one
//! (countries sit on a ring; 72% same country, 18% a neighbour, 10% anywhere), and for each
//! tie 1..=20 events (heavy-tailed) spread over 2024.
//!
//! Include it from a bench with `#[path = "graph.rs"] mod graph;`.

#![allow(dead_code)]

use std::collections::HashSet;
use std::io::Write;
use std::path::Path;

use relmap::layout::force::ForceGraph;
use relmap::model::{
    ActorId, ActorKind, Dataset, DatasetBuilder, EventClass, NewEvent, PartialDate,
};

/// Most events one tie gets.
pub const MAX_EVENTS_PER_TIE: u32 = 20;

/// SplitMix64: small, fast, and the same on every platform.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Self {
        Self(seed ^ 0x9E37_79B9_7F4A_7C15)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in [0, 1).
    pub fn unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }

    /// Uniform in `0..n` (`n > 0`).
    pub fn below(&mut self, n: usize) -> usize {
        (((self.next_u64() >> 32) * n as u64) >> 32) as usize
    }

    /// Pareto with minimum 1 and tail index `alpha`.
    pub fn pareto(&mut self, alpha: f64) -> f64 {
        (1.0 - self.unit()).powf(-1.0 / alpha)
    }
}

/// Picks indices in proportion to weights (cumulative table, binary search).
struct Weighted {
    items: Vec<u32>,
    cumulative: Vec<f64>,
}

impl Weighted {
    fn new(items: Vec<u32>, weight: impl Fn(u32) -> f64) -> Self {
        let mut total = 0.0;
        let cumulative = items
            .iter()
            .map(|&i| {
                total += weight(i);
                total
            })
            .collect();
        Self { items, cumulative }
    }

    fn pick(&self, rng: &mut Rng) -> Option<u32> {
        let total = *self.cumulative.last()?;
        let r = rng.unit() * total;
        let k = self.cumulative.partition_point(|&c| c <= r);
        Some(self.items[k.min(self.items.len() - 1)])
    }
}

/// Which country each actor belongs to (a country to itself), by actor id, for a dataset
/// from [`synthetic_dataset`]: the index of the country among the countries.
pub fn country_of(ds: &Dataset) -> Vec<u32> {
    let mut index = vec![u32::MAX; ds.actors.len()];
    let mut next = 0;
    for (id, a) in ds.actors.iter() {
        if a.kind == ActorKind::Country {
            index[id as usize] = next;
            next += 1;
        }
    }
    (0..ds.actors.len())
        .map(|i| {
            let a = ds.actors.get(i as ActorId);
            match a.affiliation {
                Some(c) => index[c as usize],
                None => index[i],
            }
        })
        .collect()
}

/// `actors` actors and exactly `edges` distinct actor pairs (capped at all possible pairs),
/// each with 1..=[`MAX_EVENTS_PER_TIE`] events in 2024; the same for the same arguments.
/// Actor ids: countries first (`Country 0`, …), then the others.
pub fn synthetic_dataset(actors: usize, edges: usize, seed: u64) -> Dataset {
    let mut rng = Rng::new(seed);
    let actors = actors.max(2);
    let countries = (actors / 20).max(1);
    let mut b = DatasetBuilder::new();
    let mut ids: Vec<ActorId> = Vec::with_capacity(actors);
    for c in 0..countries {
        ids.push(
            b.actor(&format!("Country {c}"), Some(ActorKind::Country))
                .unwrap(),
        );
    }
    // Country sizes are heavy-tailed too: a few big countries, many small ones.
    let country_size: Vec<f64> = (0..countries).map(|_| rng.pareto(1.5)).collect();
    let pick_country = Weighted::new((0..countries as u32).collect(), |c| {
        country_size[c as usize]
    });
    let mut country_of = vec![0u32; actors];
    for (c, slot) in country_of.iter_mut().enumerate().take(countries) {
        *slot = c as u32;
    }
    #[allow(clippy::needless_range_loop)] // `k` also names the actor
    for k in countries..actors {
        let (kind, label) = if rng.unit() < 0.6 {
            (ActorKind::Person, "Person")
        } else {
            (ActorKind::Organisation, "Organisation")
        };
        let id = b.actor(&format!("{label} {k}"), Some(kind)).unwrap();
        let c = pick_country.pick(&mut rng).unwrap();
        b.actors.get_mut(id).affiliation = Some(ids[c as usize]);
        country_of[k] = c;
        ids.push(id);
    }
    // Fitness: Pareto(α = 2.1) gives a degree tail like citation or contact networks.
    // Countries are hubs of their own members.
    let fitness: Vec<f64> = (0..actors)
        .map(|k| {
            let f = rng.pareto(2.1);
            if k < countries { f * 8.0 } else { f }
        })
        .collect();
    let everyone = Weighted::new((0..actors as u32).collect(), |k| fitness[k as usize]);
    let mut members: Vec<Vec<u32>> = vec![Vec::new(); countries];
    for (k, &c) in country_of.iter().enumerate() {
        members[c as usize].push(k as u32);
    }
    let by_country: Vec<Weighted> = members
        .into_iter()
        .map(|m| Weighted::new(m, |k| fitness[k as usize]))
        .collect();

    let possible = actors * (actors - 1) / 2;
    let edges = edges.min(possible);
    let mut seen: HashSet<(u32, u32)> = HashSet::with_capacity(edges * 2);
    let mut pairs: Vec<(u32, u32)> = Vec::with_capacity(edges);
    let mut misses = 0usize;
    while pairs.len() < edges {
        let a = everyone.pick(&mut rng).unwrap();
        let ca = country_of[a as usize] as usize;
        let r = rng.unit();
        let other = if misses > 50 * edges + 1000 {
            // Saturated neighbourhoods (tiny graphs, dense requests): any actor.
            rng.below(actors) as u32
        } else if r < 0.72 {
            by_country[ca].pick(&mut rng).unwrap()
        } else if r < 0.90 {
            let step = if rng.unit() < 0.5 { 1 } else { countries - 1 };
            by_country[(ca + step) % countries].pick(&mut rng).unwrap()
        } else {
            everyone.pick(&mut rng).unwrap()
        };
        let key = (a.min(other), a.max(other));
        if a == other || !seen.insert(key) {
            misses += 1;
            continue;
        }
        pairs.push(key);
    }

    const TYPES: [(&str, EventClass); 6] = [
        ("consult", EventClass::VerbalCooperation),
        ("sign agreement", EventClass::VerbalCooperation),
        ("provide aid", EventClass::MaterialCooperation),
        ("joint exercise", EventClass::MaterialCooperation),
        ("criticise", EventClass::VerbalConflict),
        ("impose sanctions", EventClass::MaterialConflict),
    ];
    let mut line = 1u32;
    for &(a, c) in &pairs {
        let events = (rng.pareto(1.6) as u32).clamp(1, MAX_EVENTS_PER_TIE);
        let (kind, class) = TYPES[rng.below(TYPES.len())];
        for _ in 0..events {
            let month = 1 + rng.below(12) as u8;
            let day = 1 + rng.below(28) as u8;
            line += 1;
            b.push(NewEvent {
                date: PartialDate::new(2024, Some(month), Some(day)).unwrap(),
                actors: vec![ids[a as usize], ids[c as usize]],
                event_type: kind.to_string(),
                class,
                title: format!("{kind}: {a} and {c}"),
                location: String::new(),
                lat: None,
                lon: None,
                url: format!("https://example.org/{line}"),
                weight: 1.0,
                line,
                ..NewEvent::default()
            });
        }
    }
    b.finish(None)
}

/// Writes `graph` as a plain edge list, one `a b weight` line per edge (node ids are
/// `0..graph.nodes`; a first line `# nodes N edges M`), for the Python peers.
pub fn write_edge_list(graph: &ForceGraph, path: &Path) -> std::io::Result<()> {
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir)?;
    }
    let mut out = std::io::BufWriter::new(std::fs::File::create(path)?);
    writeln!(out, "# nodes {} edges {}", graph.nodes, graph.edges.len())?;
    for &(a, b, w) in &graph.edges {
        writeln!(out, "{a} {b} {w}")?;
    }
    out.flush()
}

/// Writes one line per node: its group (country index), for colouring pictures.
pub fn write_groups(groups: &[u32], path: &Path) -> std::io::Result<()> {
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir)?;
    }
    let mut out = std::io::BufWriter::new(std::fs::File::create(path)?);
    for g in groups {
        writeln!(out, "{g}")?;
    }
    out.flush()
}
