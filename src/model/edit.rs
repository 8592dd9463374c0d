//! Editing a dataset, undoably: rename an actor, set its kind or country, merge two actors
//! (two spellings of one minister) and split them again, add, change and delete events.
//! Applying an [`Edit`] gives the edit that undoes it, so an undo stack is a list of edits.
//!
//! Actor edits change the actor table in place. Event edits rebuild the event columns (the
//! dataset is column-oriented and sorted by day; an edited event may move): unchanged events
//! are copied field by field, so a rebuild of a million events takes about a second. Event
//! ids change in a rebuild; [`Applied::new_id`] says where each old one went, and
//! [`Edit::remap`] carries stored edits over.

use std::collections::HashMap;

use super::{ActorId, ActorKind, Dataset, DatasetBuilder, EventId, EventRef, NewEvent};

/// One change to a dataset.
#[derive(Clone, Debug, PartialEq)]
pub enum Edit {
    RenameActor {
        actor: ActorId,
        name: String,
    },
    SetKind {
        actor: ActorId,
        kind: ActorKind,
    },
    SetCountry {
        actor: ActorId,
        country: Option<ActorId>,
    },
    /// `merged`'s events become `keep`'s, and its name one of `keep`'s aliases.
    Merge {
        keep: ActorId,
        merged: ActorId,
    },
    /// Undoes a merge: these events get these actor lists back, these name keys point at
    /// `merged` again.
    Split {
        keep: ActorId,
        merged: ActorId,
        events: Vec<(EventId, Vec<ActorId>)>,
        keys: Vec<String>,
        alias: Option<String>,
    },
    AddEvent {
        event: NewEvent,
    },
    /// Replaces an event's fields.
    ChangeEvent {
        event: EventId,
        with: NewEvent,
    },
    DeleteEvent {
        event: EventId,
    },
    /// Adds several events in one step (events accepted from an article).
    AddEvents {
        events: Vec<NewEvent>,
    },
    /// Deletes several events in one step (undoes `AddEvents`).
    DeleteEvents {
        events: Vec<EventId>,
    },
}

/// The result of applying an edit.
pub struct Applied {
    /// The edit that undoes this one.
    pub inverse: Edit,
    /// Where each event went when the events were rebuilt (`None`: deleted); `None` when
    /// the events were left alone.
    pub new_id: Option<Vec<Option<EventId>>>,
}

impl Edit {
    /// What the Edit menu calls it ("Undo rename Viktar Khrenin").
    pub fn label(&self, ds: &Dataset) -> String {
        let name = |a: ActorId| {
            if (a as usize) < ds.actors.len() {
                ds.actors.get(a).name.clone()
            } else {
                format!("actor {a}")
            }
        };
        match self {
            Self::RenameActor { actor, .. } => format!("rename {}", name(*actor)),
            Self::SetKind { actor, .. } => format!("set the kind of {}", name(*actor)),
            Self::SetCountry { actor, .. } => format!("set the country of {}", name(*actor)),
            Self::Merge { keep, merged } => format!("merge {} into {}", name(*merged), name(*keep)),
            Self::Split { merged, .. } => format!("split {} off", name(*merged)),
            Self::AddEvent { .. } => "add event".into(),
            Self::ChangeEvent { .. } => "edit event".into(),
            Self::DeleteEvent { .. } => "delete event".into(),
            Self::AddEvents { events } => format!("add {} events", events.len()),
            Self::DeleteEvents { events } => format!("delete {} events", events.len()),
        }
    }

    /// Carries the event ids this edit holds across a rebuild.
    pub fn remap(&mut self, new_id: &[Option<EventId>]) {
        let map = |e: &mut EventId| {
            if let Some(Some(n)) = new_id.get(*e as usize) {
                *e = *n;
            }
        };
        match self {
            Self::Split { events, .. } => events.iter_mut().for_each(|(e, _)| map(e)),
            Self::ChangeEvent { event, .. } | Self::DeleteEvent { event } => map(event),
            Self::DeleteEvents { events } => events.iter_mut().for_each(map),
            _ => {}
        }
    }

    /// Applies the edit to `ds`; returns what undoes it, or why it cannot be done (nothing
    /// is changed then).
    pub fn apply(self, ds: &mut Dataset) -> Result<Applied, String> {
        let actor_ok = |a: ActorId| {
            ((a as usize) < ds.actors.len())
                .then_some(())
                .ok_or(format!("no actor {a}"))
        };
        let event_ok = |e: EventId| {
            ((e as usize) < ds.len())
                .then_some(())
                .ok_or(format!("no event {e}"))
        };
        let actors_only = |inverse| Applied {
            inverse,
            new_id: None,
        };
        match self {
            Self::RenameActor { actor, name } => {
                actor_ok(actor)?;
                let old = ds.actors.rename(actor, &name)?;
                Ok(actors_only(Self::RenameActor { actor, name: old }))
            }
            Self::SetKind { actor, kind } => {
                actor_ok(actor)?;
                let old = std::mem::replace(&mut ds.actors.get_mut(actor).kind, kind);
                Ok(actors_only(Self::SetKind { actor, kind: old }))
            }
            Self::SetCountry { actor, country } => {
                actor_ok(actor)?;
                if let Some(c) = country {
                    actor_ok(c)?;
                    if c == actor {
                        return Err("an actor cannot belong to itself".into());
                    }
                    if ds.actors.get(c).kind != ActorKind::Country {
                        return Err(format!("{} is not a country", ds.actors.get(c).name));
                    }
                }
                let old = std::mem::replace(&mut ds.actors.get_mut(actor).affiliation, country);
                Ok(actors_only(Self::SetCountry {
                    actor,
                    country: old,
                }))
            }
            Self::Merge { keep, merged } => {
                actor_ok(keep)?;
                actor_ok(merged)?;
                if keep == merged {
                    return Err("an actor cannot be merged into itself".into());
                }
                let mut events = Vec::new();
                for e in 0..ds.len() as EventId {
                    let list = ds.actors_of(e);
                    if list.contains(&merged) {
                        events.push((e, list.to_vec()));
                    }
                }
                let lists: HashMap<EventId, Vec<ActorId>> = events
                    .iter()
                    .map(|(e, list)| {
                        let mut new: Vec<ActorId> = Vec::with_capacity(list.len());
                        for &a in list {
                            let a = if a == merged { keep } else { a };
                            if !new.contains(&a) {
                                new.push(a);
                            }
                        }
                        (*e, new)
                    })
                    .collect();
                let new_id = rebuild(ds, |e| match lists.get(&e) {
                    Some(list) => Keep::Actors(list.clone()),
                    None => Keep::Same,
                })?;
                let (keys, alias) = ds.actors.fold_into(merged, keep);
                let events = events
                    .into_iter()
                    .filter_map(|(e, list)| new_id[e as usize].map(|n| (n, list)))
                    .collect();
                Ok(Applied {
                    inverse: Self::Split {
                        keep,
                        merged,
                        events,
                        keys,
                        alias,
                    },
                    new_id: Some(new_id),
                })
            }
            Self::Split {
                keep,
                merged,
                events,
                keys,
                alias,
            } => {
                actor_ok(keep)?;
                actor_ok(merged)?;
                let lists: HashMap<EventId, Vec<ActorId>> = events.into_iter().collect();
                let new_id = rebuild(ds, |e| match lists.get(&e) {
                    Some(list) => Keep::Actors(list.clone()),
                    None => Keep::Same,
                })?;
                ds.actors.unfold(merged, keep, &keys, alias.as_deref());
                Ok(Applied {
                    inverse: Self::Merge { keep, merged },
                    new_id: Some(new_id),
                })
            }
            Self::AddEvent { event } => {
                check_event(ds, &event)?;
                let n = ds.len();
                let new_id = rebuild_with(ds, |_| Keep::Same, vec![event])?;
                let added = new_id[n].expect("the added event is kept");
                Ok(Applied {
                    inverse: Self::DeleteEvent { event: added },
                    new_id: Some(new_id[..n].to_vec()),
                })
            }
            Self::ChangeEvent { event, with } => {
                event_ok(event)?;
                check_event(ds, &with)?;
                let old = event_record(ds, event);
                let new_id = rebuild(ds, |e| {
                    if e == event {
                        Keep::Replace(with.clone())
                    } else {
                        Keep::Same
                    }
                })?;
                let moved = new_id[event as usize].expect("the changed event is kept");
                Ok(Applied {
                    inverse: Self::ChangeEvent {
                        event: moved,
                        with: old,
                    },
                    new_id: Some(new_id),
                })
            }
            Self::DeleteEvent { event } => {
                event_ok(event)?;
                if ds.len() == 1 {
                    return Err("the last event cannot be deleted".into());
                }
                let old = event_record(ds, event);
                let new_id = rebuild(ds, |e| if e == event { Keep::Drop } else { Keep::Same })?;
                Ok(Applied {
                    inverse: Self::AddEvent { event: old },
                    new_id: Some(new_id),
                })
            }
            Self::AddEvents { events } => {
                if events.is_empty() {
                    return Err("no events to add".into());
                }
                for event in &events {
                    check_event(ds, event)?;
                }
                let n = ds.len();
                let new_id = rebuild_with(ds, |_| Keep::Same, events)?;
                let added = new_id[n..]
                    .iter()
                    .map(|id| id.expect("added events are kept"))
                    .collect();
                Ok(Applied {
                    inverse: Self::DeleteEvents { events: added },
                    new_id: Some(new_id[..n].to_vec()),
                })
            }
            Self::DeleteEvents { events } => {
                for &e in &events {
                    event_ok(e)?;
                }
                let doomed: std::collections::HashSet<EventId> = events.iter().copied().collect();
                if doomed.len() >= ds.len() {
                    return Err("the last event cannot be deleted".into());
                }
                let old: Vec<NewEvent> = events.iter().map(|&e| event_record(ds, e)).collect();
                let new_id = rebuild(ds, |e| {
                    if doomed.contains(&e) {
                        Keep::Drop
                    } else {
                        Keep::Same
                    }
                })?;
                Ok(Applied {
                    inverse: Self::AddEvents { events: old },
                    new_id: Some(new_id),
                })
            }
        }
    }
}

fn check_event(ds: &Dataset, event: &NewEvent) -> Result<(), String> {
    if event.actors.is_empty() {
        return Err("an event needs at least one actor".into());
    }
    if let Some(&a) = event
        .actors
        .iter()
        .find(|&&a| a as usize >= ds.actors.len())
    {
        return Err(format!("no actor {a}"));
    }
    if let Some(end) = event.end_date
        && end.last_day() < event.date.first_day()
    {
        return Err("the end date is before the date".into());
    }
    Ok(())
}

/// An event's fields as an owned record (what an event editor starts from).
pub fn event_record(ds: &Dataset, e: EventId) -> NewEvent {
    let (lat, lon) = ds
        .lat_lon(e)
        .map_or((None, None), |(a, b)| (Some(a as f64), Some(b as f64)));
    NewEvent {
        date: ds.date_of(e),
        end_date: ds.end_date_of(e),
        actors: ds.actors_of(e).to_vec(),
        event_type: ds.type_name(e).to_string(),
        class: ds.class[e as usize],
        title: ds.title(e).to_string(),
        location: ds.location(e).to_string(),
        lat,
        lon,
        url: ds.url(e).to_string(),
        weight: ds.weight[e as usize],
        count: ds.multiplicity(e),
        line: ds.line(e),
    }
}

/// What a rebuild does with one event.
enum Keep {
    Same,
    Drop,
    Replace(NewEvent),
    Actors(Vec<ActorId>),
}

fn rebuild(
    ds: &mut Dataset,
    decide: impl Fn(EventId) -> Keep,
) -> Result<Vec<Option<EventId>>, String> {
    rebuild_with(ds, decide, Vec::new())
}

/// The most events of an index (details on demand) an edit reads into memory.
pub const MAX_EVENTS_EDITED_FROM_AN_INDEX: usize = 200_000;

/// Rebuilds the events: each kept, dropped or replaced, then `added` appended. Returns the
/// new id of every old event, followed by those of the added ones.
fn rebuild_with(
    ds: &mut Dataset,
    decide: impl Fn(EventId) -> Keep,
    added: Vec<NewEvent>,
) -> Result<Vec<Option<EventId>>, String> {
    // An index's events read their details from the source files; an edit keeps them in
    // memory from here on. Reading millions of rows back (some 20 µs each) would freeze the
    // window for minutes: big indexes are not edited in place.
    if ds.details_on_demand() && ds.len() > MAX_EVENTS_EDITED_FROM_AN_INDEX {
        return Err(format!(
            "an index of more than {MAX_EVENTS_EDITED_FROM_AN_INDEX} events is not edited in place \
             (every event's details would be read from its files): convert it to a native file \
             first (relmap convert X.relidx events.json)"
        ));
    }
    ds.materialise_details();
    let mut b = DatasetBuilder::new();
    b.set_tables(ds.actors.clone(), ds.types.clone());
    let n = ds.len();
    // Push order: what `record` maps new ids back to.
    let mut pushed_as: Vec<Option<u32>> = Vec::with_capacity(n + added.len());
    let mut pushed = 0u32;
    // Events keep the file they came from (datasets read from several files).
    let files = !ds.records.file.is_empty();
    if files {
        b.set_file(crate::model::NO_FILE);
    }
    let copy = |b: &mut DatasetBuilder, e: EventId, actors: &[ActorId]| {
        let i = e as usize;
        let r = &ds.records;
        let rec = ds.record[i] as usize;
        if files {
            b.set_file(r.file[rec]);
        }
        b.push_ref(&EventRef {
            start: ds.start[i],
            end: ds.end[i],
            precision: ds.precision[i],
            end_precision: r.end_precision[rec],
            class: ds.class[i],
            type_id: ds.type_of[i],
            weight: ds.weight[i],
            actors,
            title: r.title.get(rec),
            location: r.location.get(rec),
            url: r.url.get(rec),
            lat: r.lat[rec],
            lon: r.lon[rec],
            intensity: r.intensity[rec],
            source_count: r.source_count[rec],
            line: r.line[rec],
        });
        // An aggregate row stays the number of events it stands for.
        b.set_last_multiplicity(ds.multiplicity(e));
    };
    for e in 0..n as EventId {
        match decide(e) {
            Keep::Same => copy(&mut b, e, ds.actors_of(e)),
            Keep::Actors(list) => copy(&mut b, e, &list),
            Keep::Replace(event) => {
                if files {
                    b.set_file(ds.records.file[ds.record[e as usize] as usize]);
                }
                b.push(event)
            }
            Keep::Drop => {
                pushed_as.push(None);
                continue;
            }
        }
        pushed_as.push(Some(pushed));
        pushed += 1;
    }
    for event in added {
        if files {
            b.set_file(crate::model::NO_FILE);
        }
        b.push(event);
        pushed_as.push(Some(pushed));
        pushed += 1;
    }
    let source = ds.source.clone();
    let mut rebuilt = b.finish(source);
    rebuilt.sources = ds.sources.clone();
    // `record[new]` is the push index of the event now at `new`.
    let mut new_of_push = vec![0 as EventId; pushed as usize];
    for (new, &push) in rebuilt.record.iter().enumerate() {
        new_of_push[push as usize] = new as EventId;
    }
    *ds = rebuilt;
    Ok(pushed_as
        .into_iter()
        .map(|p| p.map(|p| new_of_push[p as usize]))
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::io::{LoadOptions, load_bytes};

    fn sample() -> Dataset {
        crate::sample_dataset()
    }

    #[test]
    fn edits_keep_the_file_of_each_event_of_a_merged_dataset() {
        let part = |text: &str, name: &str| {
            let ds = load_bytes(
                text.as_bytes(),
                std::path::Path::new(name),
                &LoadOptions::default(),
            )
            .unwrap()
            .dataset;
            (ds, std::path::PathBuf::from(name))
        };
        let mut ds = Dataset::merge(vec![
            part("date,actor1,actor2\n2024-05-02,Belarus,Iran\n", "a.csv"),
            part(
                "date,actor1,actor2\n2024-05-01,Iran,Belarus\n2024-05-03,Iran,Russia\n",
                "b.csv",
            ),
        ]);
        let file = |ds: &Dataset, e: EventId| ds.file_of(e).unwrap().to_string_lossy().into_owned();
        assert_eq!(
            (0..3).map(|e| file(&ds, e)).collect::<Vec<_>>(),
            ["b.csv", "a.csv", "b.csv"]
        );
        assert_eq!(ds.line(2), 3, "lines are the file's own");
        assert_eq!(ds.actors.find("Belarus").map(|_| ()), Some(()));
        Edit::DeleteEvent { event: 0 }.apply(&mut ds).unwrap();
        let added = event_record(&ds, 0);
        Edit::AddEvent { event: added }.apply(&mut ds).unwrap();
        let files: Vec<Option<String>> = (0..ds.len() as EventId)
            .map(|e| ds.file_of(e).map(|p| p.to_string_lossy().into_owned()))
            .collect();
        assert_eq!(
            files,
            [Some("a.csv".into()), None, Some("b.csv".into())],
            "kept events keep their file; an added one has none"
        );
    }

    fn id(ds: &Dataset, name: &str) -> ActorId {
        ds.actors.find(name).unwrap_or_else(|| panic!("{name}"))
    }

    /// Everything about the events, independent of ids.
    fn snapshot(ds: &Dataset) -> Vec<String> {
        let mut out: Vec<String> = (0..ds.len() as EventId)
            .map(|e| {
                let names: Vec<&str> = ds
                    .actors_of(e)
                    .iter()
                    .map(|&a| ds.actors.get(a).name.as_str())
                    .collect();
                format!(
                    "{} {:?} {} {}",
                    ds.date_of(e),
                    names,
                    ds.type_name(e),
                    ds.title(e)
                )
            })
            .collect();
        out.sort();
        out
    }

    #[test]
    fn every_edit_is_undone_by_its_inverse() {
        let ds0 = sample();
        let khrenin = id(&ds0, "Viktar Khrenin");
        let nasirzadeh = id(&ds0, "Aziz Nasirzadeh");
        let iran = id(&ds0, "Iran");
        let mut new_event = event_record(&ds0, 3);
        new_event.title = "A new meeting".into();
        new_event.date = crate::model::PartialDate::ymd(2025, 6, 1).unwrap();
        let edits = vec![
            Edit::RenameActor {
                actor: khrenin,
                name: "V. Khrenin".into(),
            },
            Edit::SetKind {
                actor: khrenin,
                kind: ActorKind::Organisation,
            },
            Edit::SetCountry {
                actor: khrenin,
                country: Some(iran),
            },
            Edit::Merge {
                keep: khrenin,
                merged: nasirzadeh,
            },
            Edit::AddEvent { event: new_event },
            Edit::ChangeEvent {
                event: 5,
                with: {
                    let mut e = event_record(&ds0, 5);
                    e.date = crate::model::PartialDate::ymd(1990, 1, 1).unwrap();
                    e
                },
            },
            Edit::DeleteEvent { event: 2 },
        ];
        for edit in edits {
            let label = edit.label(&ds0);
            let mut ds = ds0.clone();
            let applied = edit.clone().apply(&mut ds).unwrap();
            assert_ne!(
                (snapshot(&ds), ds.actors.get(khrenin).clone()),
                (snapshot(&ds0), ds0.actors.get(khrenin).clone()),
                "{label} changed something"
            );
            let back = applied.inverse.apply(&mut ds).unwrap();
            assert_eq!(snapshot(&ds), snapshot(&ds0), "{label} undone");
            for a in 0..ds0.actors.len() as ActorId {
                assert_eq!(ds.actors.get(a), ds0.actors.get(a), "{label}: actor {a}");
            }
            // And redone.
            back.inverse.apply(&mut ds).unwrap();
            let mut once = ds0.clone();
            edit.apply(&mut once).unwrap();
            assert_eq!(snapshot(&ds), snapshot(&once), "{label} redone");
        }
    }

    #[test]
    fn a_merge_moves_the_events_and_the_name_and_a_split_gives_them_back() {
        let mut ds = sample();
        let khrenin = id(&ds, "Viktar Khrenin");
        let nasirzadeh = id(&ds, "Aziz Nasirzadeh");
        let before = ds.actors_of(0).len();
        let his: usize = (0..ds.len() as EventId)
            .filter(|&e| ds.actors_of(e).contains(&nasirzadeh))
            .count();
        assert!(his > 0);
        let applied = Edit::Merge {
            keep: khrenin,
            merged: nasirzadeh,
        }
        .apply(&mut ds)
        .unwrap();
        assert!((0..ds.len() as EventId).all(|e| !ds.actors_of(e).contains(&nasirzadeh)));
        assert_eq!(
            ds.actors.find("Aziz Nasirzadeh"),
            Some(khrenin),
            "the name now finds him"
        );
        assert!(
            ds.actors
                .get(khrenin)
                .aliases
                .contains(&"Aziz Nasirzadeh".to_string())
        );
        applied.inverse.apply(&mut ds).unwrap();
        assert_eq!(ds.actors.find("Aziz Nasirzadeh"), Some(nasirzadeh));
        let back: usize = (0..ds.len() as EventId)
            .filter(|&e| ds.actors_of(e).contains(&nasirzadeh))
            .count();
        assert_eq!(back, his);
        assert_eq!(ds.actors_of(0).len(), before);
    }

    #[test]
    fn impossible_edits_are_refused_and_change_nothing() {
        let mut ds = sample();
        let snapshot_before = snapshot(&ds);
        let khrenin = id(&ds, "Viktar Khrenin");
        let pezeshkian = id(&ds, "Masoud Pezeshkian");
        let e = Edit::RenameActor {
            actor: khrenin,
            name: "Masoud Pezeshkian".into(),
        }
        .apply(&mut ds);
        assert!(e.is_err());
        let e = Edit::SetCountry {
            actor: khrenin,
            country: Some(pezeshkian),
        }
        .apply(&mut ds);
        assert!(e.err().unwrap().contains("not a country"));
        assert!(Edit::DeleteEvent { event: 999 }.apply(&mut ds).is_err());
        assert_eq!(snapshot(&ds), snapshot_before);
        assert_eq!(ds.actors.get(khrenin).name, "Viktar Khrenin");
    }
}
