//! Which events each actor and each pair took part in, as compressed lists (CSR), built once
//! per file. The inspector, the event table and the timeline's selection line look events
//! up by actor or pair every frame; scanning a million events for that would cost
//! milliseconds each time.

use rustc_hash::FxHashMap;

use super::{ActorId, Dataset, EventId, PairId};

/// Events by actor and by pair, each list in the dataset's order (by start day).
#[derive(Clone, Debug, Default)]
pub struct EventIndex {
    actor_offsets: Vec<u32>,
    actor_events: Vec<EventId>,
    pair_offsets: Vec<u32>,
    pair_events: Vec<EventId>,
    pair_of: FxHashMap<(ActorId, ActorId), PairId>,
}

impl EventIndex {
    pub fn of(dataset: &Dataset) -> Self {
        let n = dataset.len();
        let (actor_offsets, actor_events) =
            group(dataset.actors.len(), n, |e| dataset.actors_of(e as EventId));
        let (pair_offsets, pair_events) =
            group(dataset.pairs.len(), n, |e| dataset.pairs_of(e as EventId));
        let pair_of = dataset
            .pairs
            .iter()
            .enumerate()
            .map(|(p, &ab)| (ab, p as PairId))
            .collect();
        Self {
            actor_offsets,
            actor_events,
            pair_offsets,
            pair_events,
            pair_of,
        }
    }

    /// The actor's events, by start day.
    pub fn events_of_actor(&self, actor: ActorId) -> &[EventId] {
        slice(&self.actor_offsets, &self.actor_events, actor as usize)
    }

    /// The pair's events, by start day.
    pub fn events_of_pair(&self, pair: PairId) -> &[EventId] {
        slice(&self.pair_offsets, &self.pair_events, pair as usize)
    }

    /// The pair of two actors (either order), if they share an event.
    pub fn pair(&self, a: ActorId, b: ActorId) -> Option<PairId> {
        self.pair_of.get(&(a.min(b), a.max(b))).copied()
    }
}

fn slice<'a>(offsets: &[u32], list: &'a [EventId], i: usize) -> &'a [EventId] {
    match (offsets.get(i), offsets.get(i + 1)) {
        (Some(&lo), Some(&hi)) => &list[lo as usize..hi as usize],
        _ => &[],
    }
}

/// Offsets and lists of the events each key occurs in (a counting sort: two passes).
fn group<'a, K: Copy + Into<u64> + 'a>(
    keys: usize,
    events: usize,
    keys_of: impl Fn(usize) -> &'a [K],
) -> (Vec<u32>, Vec<EventId>) {
    let mut offsets = vec![0u32; keys + 1];
    for e in 0..events {
        for &k in keys_of(e) {
            offsets[k.into() as usize + 1] += 1;
        }
    }
    for i in 0..keys {
        offsets[i + 1] += offsets[i];
    }
    let mut next = offsets.clone();
    let mut list = vec![0 as EventId; offsets[keys] as usize];
    for e in 0..events {
        for &k in keys_of(e) {
            let slot = &mut next[k.into() as usize];
            list[*slot as usize] = e as EventId;
            *slot += 1;
        }
    }
    (offsets, list)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{DatasetBuilder, EventClass, NewEvent, PartialDate};

    #[test]
    fn lists_events_by_actor_and_pair_in_order() {
        let mut b = DatasetBuilder::new();
        let x = b.actor("Belarus", None).unwrap();
        let y = b.actor("Iran", None).unwrap();
        let z = b.actor("Russia", None).unwrap();
        for (day, actors) in [(3, vec![x, y]), (1, vec![y, z]), (2, vec![x, y, z])] {
            b.push(NewEvent {
                date: PartialDate::parse(&format!("2024-01-0{day}")).unwrap(),
                end_date: None,
                actors,
                event_type: String::new(),
                class: EventClass::Unknown,
                title: String::new(),
                location: String::new(),
                lat: None,
                lon: None,
                url: String::new(),
                weight: 1.0,
                count: 1,
                line: day,
            });
        }
        let ds = b.finish(None);
        let index = EventIndex::of(&ds);
        let days = |events: &[EventId]| -> Vec<i32> {
            events.iter().map(|&e| ds.start[e as usize]).collect()
        };
        let jan = |d| crate::model::day_number(2024, 1, d);
        assert_eq!(days(index.events_of_actor(x)), vec![jan(2), jan(3)]);
        assert_eq!(days(index.events_of_actor(y)), vec![jan(1), jan(2), jan(3)]);
        let xy = index.pair(y, x).expect("x and y share events");
        assert_eq!(days(index.events_of_pair(xy)), vec![jan(2), jan(3)]);
        let xz = index.pair(x, z).unwrap();
        assert_eq!(days(index.events_of_pair(xz)), vec![jan(2)]);
        assert_eq!(index.events_of_actor(99), &[] as &[EventId]);
    }
}
