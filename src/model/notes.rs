//! The analyst's notes: free text attached to an actor, a tie (a pair of actors, either
//! order) or an event. In memory a note hangs on ids, which is what drawing and the
//! inspector need; on disk (the workspace's `notes`) on names and on an event's content,
//! which survive re-reading the source file. The conversion is [`Notes::to_specs`] and
//! [`Notes::from_specs`].
//!
//! Event ids change whenever an edit rebuilds the event columns ([`super::edit::Applied`]);
//! [`Notes::remap_events`] carries event notes along. An event is found again on reading
//! by its date, actors, type, title and URL ([`EventKey`]): its file and line would not do,
//! because an edited or embedded dataset is written anew (other lines) and a workspace
//! may hold events added by hand (no line at all). Two events alike in all of these are
//! one for a note: it goes to the first.
//!
//! Nothing is dropped: a note whose actor or event is not in the data (a deleted event, a
//! workspace opened on changed data) is kept *detached*, saved with the workspace, and put
//! back when its subject appears again (Undo of the delete).

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::{ActorId, Dataset, EventId, PartialDate};

/// What a note is attached to.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum NoteSubject {
    Actor(ActorId),
    /// A tie, lower id first (see [`NoteSubject::tie`]).
    Tie(ActorId, ActorId),
    Event(EventId),
}

impl NoteSubject {
    /// The tie between `a` and `b`, in either order.
    pub fn tie(a: ActorId, b: ActorId) -> Self {
        Self::Tie(a.min(b), a.max(b))
    }

    /// Whether the subject exists in `ds`.
    pub fn exists_in(self, ds: &Dataset) -> bool {
        let actor = |a: ActorId| (a as usize) < ds.actors.len();
        match self {
            Self::Actor(a) => actor(a),
            Self::Tie(a, b) => actor(a) && actor(b) && a != b,
            Self::Event(e) => (e as usize) < ds.len(),
        }
    }

    /// How the Edit menu and messages name it ("Belarus", "Belarus – Iran", "the event of
    /// 2025-03-14").
    pub fn describe(self, ds: &Dataset) -> String {
        if !self.exists_in(ds) {
            return "a deleted subject".into();
        }
        let name = |a: ActorId| ds.actors.get(a).name.clone();
        match self {
            Self::Actor(a) => name(a),
            Self::Tie(a, b) => format!("{} – {}", name(a), name(b)),
            Self::Event(e) => format!("the event of {}", ds.date_of(e)),
        }
    }
}

/// An event as a note finds it again: what the source says of it.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct EventKey {
    /// As the source gave it, with its precision (`2025-03-14`, `2024-05`).
    pub date: String,
    /// In the event's order (the first is the initiator where the format says so).
    pub actors: Vec<String>,
    #[serde(rename = "type")]
    pub event_type: String,
    pub title: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub url: String,
}

impl EventKey {
    pub fn of(ds: &Dataset, event: EventId) -> Self {
        Self {
            date: ds.date_of(event).to_string(),
            actors: ds
                .actors_of(event)
                .iter()
                .map(|&a| ds.actors.get(a).name.clone())
                .collect(),
            event_type: ds.type_name(event).to_string(),
            title: ds.title(event).to_string(),
            url: ds.url(event).to_string(),
        }
    }

    /// The first event of `ds` this key describes. Actors are matched by name or alias, so
    /// a note follows an actor merged into another.
    pub fn find(&self, ds: &Dataset) -> Option<EventId> {
        let date = PartialDate::parse(&self.date).ok()?;
        let day = date.first_day();
        let actors: Vec<ActorId> = self
            .actors
            .iter()
            .map(|n| ds.actors.find(n))
            .collect::<Option<_>>()?;
        let lo = ds.start.partition_point(|&s| s < day);
        let hi = ds.start.partition_point(|&s| s <= day);
        (lo as EventId..hi as EventId).find(|&e| {
            ds.actors_of(e) == actors.as_slice()
                && ds.date_of(e) == date
                && ds.type_name(e) == self.event_type
                && ds.title(e) == self.title
                && ds.url(e) == self.url
        })
    }
}

/// What a note is attached to, as a workspace stores it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum NoteOn {
    /// An actor by name.
    Actor(String),
    /// A tie by its two actors' names (either order).
    Tie([String; 2]),
    Event(EventKey),
}

/// One note as a workspace stores it: `{"actor": "Belarus", "text": "…"}`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct NoteSpec {
    #[serde(flatten)]
    pub on: NoteOn,
    pub text: String,
}

impl NoteSpec {
    /// Its subject in `ds`, if there.
    fn resolve(&self, ds: &Dataset) -> Option<NoteSubject> {
        match &self.on {
            NoteOn::Actor(name) => ds.actors.find(name).map(NoteSubject::Actor),
            NoteOn::Tie([a, b]) => {
                let (a, b) = (ds.actors.find(a)?, ds.actors.find(b)?);
                (a != b).then(|| NoteSubject::tie(a, b))
            }
            NoteOn::Event(key) => key.find(ds).map(NoteSubject::Event),
        }
    }

    fn of(ds: &Dataset, subject: NoteSubject, text: &str) -> Self {
        let name = |a: ActorId| ds.actors.get(a).name.clone();
        let on = match subject {
            NoteSubject::Actor(a) => NoteOn::Actor(name(a)),
            NoteSubject::Tie(a, b) => NoteOn::Tie([name(a), name(b)]),
            NoteSubject::Event(e) => NoteOn::Event(EventKey::of(ds, e)),
        };
        Self {
            on,
            text: text.to_string(),
        }
    }
}

/// The notes of a document.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Notes {
    attached: BTreeMap<NoteSubject, String>,
    /// Notes whose subject is not in the data now, kept to be saved and put back.
    detached: Vec<NoteSpec>,
}

/// What joins two notes that land on one subject (a merge, a workspace's two spellings).
const JOINER: &str = "\n\n";

impl Notes {
    pub fn get(&self, subject: NoteSubject) -> Option<&str> {
        self.attached.get(&subject).map(String::as_str)
    }

    /// Sets (or with `None` removes) a note; gives the one it replaced.
    pub fn set(&mut self, subject: NoteSubject, text: Option<String>) -> Option<String> {
        match text {
            Some(text) => self.attached.insert(subject, text),
            None => self.attached.remove(&subject),
        }
    }

    /// The attached notes, actors first, then ties, then events.
    pub fn iter(&self) -> impl Iterator<Item = (NoteSubject, &str)> {
        self.attached.iter().map(|(s, t)| (*s, t.as_str()))
    }

    /// How many notes are attached (the detached ones not counted).
    pub fn attached_count(&self) -> usize {
        self.attached.len()
    }

    pub fn is_empty(&self) -> bool {
        self.attached.is_empty() && self.detached.is_empty()
    }

    /// Notes kept whose subject is not in the data.
    pub fn detached(&self) -> &[NoteSpec] {
        &self.detached
    }

    /// Whether the event has a note.
    pub fn has_event(&self, event: EventId) -> bool {
        self.attached.contains_key(&NoteSubject::Event(event))
    }

    /// The noted events, in id order.
    pub fn events(&self) -> impl Iterator<Item = (EventId, &str)> {
        self.attached
            .range(NoteSubject::Event(0)..)
            .filter_map(|(s, t)| match s {
                NoteSubject::Event(e) => Some((*e, t.as_str())),
                _ => None,
            })
    }

    /// The keys of the noted events, taken before an edit that may delete some.
    pub fn event_keys(&self, ds: &Dataset) -> Vec<(EventId, EventKey)> {
        self.events()
            .filter(|&(e, _)| (e as usize) < ds.len())
            .map(|(e, _)| (e, EventKey::of(ds, e)))
            .collect()
    }

    /// After the event columns were rebuilt: event notes follow their events (`new_id`:
    /// where each old id went); those of deleted events are detached under the keys taken
    /// before (`keys`). Returns how many were detached.
    pub fn remap_events(
        &mut self,
        new_id: &[Option<EventId>],
        keys: &[(EventId, EventKey)],
    ) -> usize {
        let events: Vec<(EventId, String)> = self
            .attached
            .extract_if(.., |s, _| matches!(s, NoteSubject::Event(_)))
            .filter_map(|(s, t)| match s {
                NoteSubject::Event(e) => Some((e, t)),
                _ => None,
            })
            .collect();
        let mut detached = 0;
        for (e, text) in events {
            match new_id.get(e as usize).copied().flatten() {
                Some(n) => self.add(NoteSubject::Event(n), text),
                None => {
                    if let Some((_, key)) = keys.iter().find(|(k, _)| *k == e) {
                        self.detached.push(NoteSpec {
                            on: NoteOn::Event(key.clone()),
                            text,
                        });
                        detached += 1;
                    }
                }
            }
        }
        detached
    }

    /// Puts back the detached notes whose subject is in `ds` now. Returns how many.
    pub fn reattach(&mut self, ds: &Dataset) -> usize {
        let found: Vec<(NoteSubject, String)> = self
            .detached
            .extract_if(.., |spec| spec.resolve(ds).is_some())
            .filter_map(|spec| Some((spec.resolve(ds)?, spec.text)))
            .collect();
        let n = found.len();
        for (subject, text) in found {
            self.add(subject, text);
        }
        n
    }

    /// Attaches a note, after the one already there if any.
    fn add(&mut self, subject: NoteSubject, text: String) {
        match self.attached.get_mut(&subject) {
            Some(there) if *there != text => {
                there.push_str(JOINER);
                there.push_str(&text);
            }
            Some(_) => {}
            None => {
                self.attached.insert(subject, text);
            }
        }
    }

    /// The notes of `merged` and its ties, joined to `keep`'s: what a merge of the two
    /// actors does to them, as (subject, new text) changes (`None` removes).
    pub fn merged(&self, keep: ActorId, merged: ActorId) -> Vec<(NoteSubject, Option<String>)> {
        let mut moved: BTreeMap<NoteSubject, String> = BTreeMap::new();
        let mut changes = Vec::new();
        for (subject, text) in self.iter() {
            let target = match subject {
                NoteSubject::Actor(a) if a == merged => NoteSubject::Actor(keep),
                NoteSubject::Tie(a, b) if a == merged || b == merged => {
                    let other = if a == merged { b } else { a };
                    if other == keep {
                        // The tie between the two becomes the actor itself.
                        NoteSubject::Actor(keep)
                    } else {
                        NoteSubject::tie(keep, other)
                    }
                }
                _ => continue,
            };
            changes.push((subject, None));
            let joined = moved
                .entry(target)
                .or_insert_with(|| self.get(target).unwrap_or_default().to_string());
            if !joined.is_empty() {
                joined.push_str(JOINER);
            }
            joined.push_str(text);
        }
        changes.extend(moved.into_iter().map(|(s, t)| (s, Some(t))));
        changes
    }

    /// The notes as a workspace stores them (detached ones included).
    pub fn to_specs(&self, ds: &Dataset) -> Vec<NoteSpec> {
        self.iter()
            .filter(|(s, _)| s.exists_in(ds))
            .map(|(s, t)| NoteSpec::of(ds, s, t))
            .chain(self.detached.iter().cloned())
            .collect()
    }

    /// The notes of a workspace for `ds`; those whose subject is not there are kept
    /// detached ([`Notes::detached`]).
    pub fn from_specs(specs: &[NoteSpec], ds: &Dataset) -> Self {
        let mut notes = Self {
            attached: BTreeMap::new(),
            detached: specs.to_vec(),
        };
        notes.reattach(ds);
        notes
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Edit;

    fn sample() -> Dataset {
        crate::sample_dataset()
    }

    #[test]
    fn notes_go_to_disk_by_name_and_content_and_come_back() {
        let ds = sample();
        let belarus = ds.actors.find("Belarus").unwrap();
        let iran = ds.actors.find("Iran").unwrap();
        let mut notes = Notes::default();
        notes.set(
            NoteSubject::Actor(belarus),
            Some("Check the 2024 figures".into()),
        );
        notes.set(NoteSubject::tie(iran, belarus), Some("Drones?".into()));
        notes.set(NoteSubject::Event(3), Some("Source is a blog".into()));
        assert_eq!(notes.get(NoteSubject::tie(belarus, iran)), Some("Drones?"));
        let specs = notes.to_specs(&ds);
        let json = serde_json::to_string(&specs).unwrap();
        assert!(
            json.contains(r#"{"actor":"Belarus","text":"Check the 2024 figures"}"#),
            "{json}"
        );
        let back: Vec<NoteSpec> = serde_json::from_str(&json).unwrap();
        // Read again from the source: same ids here, but found by name and content.
        assert_eq!(Notes::from_specs(&back, &sample()), notes);
    }

    #[test]
    fn a_deleted_events_note_waits_for_it_and_comes_back_with_it() {
        let mut ds = sample();
        let mut notes = Notes::default();
        notes.set(NoteSubject::Event(5), Some("key meeting".into()));
        notes.set(NoteSubject::Event(7), Some("later one".into()));
        let keys = notes.event_keys(&ds);
        let applied = Edit::DeleteEvent { event: 5 }.apply(&mut ds).unwrap();
        let detached = notes.remap_events(applied.new_id.as_deref().unwrap(), &keys);
        assert_eq!(detached, 1);
        assert_eq!(
            notes.get(NoteSubject::Event(6)),
            Some("later one"),
            "followed its event"
        );
        assert_eq!(notes.detached().len(), 1);
        assert_eq!(
            notes.to_specs(&ds).len(),
            2,
            "the detached note is still saved"
        );
        let keys = notes.event_keys(&ds);
        let undone = applied.inverse.apply(&mut ds).unwrap();
        notes.remap_events(undone.new_id.as_deref().unwrap(), &keys);
        assert_eq!(notes.reattach(&ds), 1);
        assert_eq!(notes.get(NoteSubject::Event(5)), Some("key meeting"));
        assert_eq!(notes.get(NoteSubject::Event(7)), Some("later one"));
    }

    #[test]
    fn a_merge_joins_the_merged_actors_notes_to_the_kept_ones() {
        let ds = sample();
        let a = ds.actors.find("Belarus").unwrap();
        let b = ds.actors.find("Iran").unwrap();
        let c = ds.actors.find("Viktar Khrenin").unwrap();
        let mut notes = Notes::default();
        notes.set(NoteSubject::Actor(a), Some("kept".into()));
        notes.set(NoteSubject::Actor(b), Some("merged".into()));
        notes.set(NoteSubject::tie(b, c), Some("tie".into()));
        let changes = notes.merged(a, b);
        for (s, t) in changes {
            notes.set(s, t);
        }
        assert_eq!(notes.get(NoteSubject::Actor(a)), Some("kept\n\nmerged"));
        assert_eq!(notes.get(NoteSubject::Actor(b)), None);
        assert_eq!(notes.get(NoteSubject::tie(c, a)), Some("tie"));
    }

    #[test]
    fn a_note_on_an_actor_not_in_the_data_is_kept() {
        let ds = sample();
        let specs = vec![NoteSpec {
            on: NoteOn::Actor("Atlantis".into()),
            text: "?".into(),
        }];
        let notes = Notes::from_specs(&specs, &ds);
        assert_eq!(notes.attached_count(), 0);
        assert_eq!(notes.to_specs(&ds), specs);
    }
}
