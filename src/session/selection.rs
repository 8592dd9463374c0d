//! What the user has selected, without a window: actors (the last one is the inspector's),
//! a tie, or events (table rows, a timeline bar); and the events that belong to it, which the
//! table marks and the timeline draws. Every change bumps a generation, so that views redo
//! their work only when the selection really changed.

use super::document::Document;
use crate::model::{ActorId, EventId};

#[derive(Clone, Debug, Default)]
pub struct Selection {
    /// Selected actors, the most recently selected last.
    actors: Vec<ActorId>,
    /// The selected tie, as its two actors.
    edge: Option<(ActorId, ActorId)>,
    /// Events selected in the table or on the timeline (sorted).
    events: Vec<EventId>,
    /// The events that belong to the selection, sorted: the selected events, else the
    /// tie's, else the selected actors'.
    highlight: Vec<EventId>,
    highlight_label: String,
    /// Changes whenever the selection does.
    generation: u64,
    /// Changed since the highlight was worked out.
    changed: bool,
}

impl Selection {
    pub fn actors(&self) -> &[ActorId] {
        &self.actors
    }

    /// The actor the inspector shows: the one selected last.
    pub fn last_actor(&self) -> Option<ActorId> {
        self.actors.last().copied()
    }

    pub fn edge(&self) -> Option<(ActorId, ActorId)> {
        self.edge
    }

    pub fn events(&self) -> &[EventId] {
        &self.events
    }

    pub fn highlight(&self) -> &[EventId] {
        &self.highlight
    }

    pub fn highlight_label(&self) -> &str {
        &self.highlight_label
    }

    pub fn generation(&self) -> u64 {
        self.generation
    }

    /// Nothing selected.
    pub fn clear(&mut self) {
        self.actors.clear();
        self.edge = None;
        self.events.clear();
        self.changed = true;
    }

    /// One actor (or none), replacing the selection.
    pub fn select_actor(&mut self, actor: Option<ActorId>) {
        self.clear();
        self.actors.extend(actor);
    }

    /// Adds an actor to the actors selected, or takes it out.
    pub fn toggle_actor(&mut self, actor: ActorId) {
        self.edge = None;
        self.events.clear();
        self.changed = true;
        if let Some(i) = self.actors.iter().position(|&a| a == actor) {
            self.actors.remove(i);
        } else {
            self.actors.push(actor);
        }
    }

    /// These actors, added to the selection or replacing it.
    pub fn select_actors(&mut self, actors: Vec<ActorId>, add: bool) {
        self.edge = None;
        self.events.clear();
        self.changed = true;
        if !add {
            self.actors.clear();
        }
        for a in actors {
            if !self.actors.contains(&a) {
                self.actors.push(a);
            }
        }
    }

    /// The tie between two actors, and the two actors.
    pub fn select_edge(&mut self, a: ActorId, b: ActorId) {
        self.actors = vec![a, b];
        self.edge = Some((a, b));
        self.events.clear();
        self.changed = true;
    }

    /// Events, added to the selection or replacing it; their actors are selected with them.
    pub fn select_events(&mut self, doc: &Document, events: Vec<EventId>, add: bool) {
        if !add {
            self.events.clear();
            self.actors.clear();
        }
        self.edge = None;
        // A bin of a big file holds tens of thousands of events: no `contains` per actor.
        let mut is_selected = vec![false; doc.dataset.actors.len()];
        for &a in &self.actors {
            is_selected[a as usize] = true;
        }
        for &e in &events {
            for &a in doc.dataset.actors_of(e) {
                if !std::mem::replace(&mut is_selected[a as usize], true) {
                    self.actors.push(a);
                }
            }
        }
        self.events.extend(events);
        self.events.sort_unstable();
        self.events.dedup();
        self.changed = true;
    }

    /// Event ids moved (an edit): the event selection and the tie go, the actors stay.
    pub fn forget_events(&mut self) {
        self.events.clear();
        self.edge = None;
        self.changed = true;
    }

    /// Works the highlight out again if the selection changed since; true if it did.
    pub fn refresh(&mut self, doc: Option<&Document>) -> bool {
        if !std::mem::take(&mut self.changed) {
            return false;
        }
        self.generation += 1;
        self.highlight.clear();
        self.highlight_label.clear();
        let Some(doc) = doc else {
            return true;
        };
        let ds = &doc.dataset;
        if !self.events.is_empty() {
            self.highlight = self.events.clone();
            self.highlight_label = format!(
                "{} selected event{}",
                self.highlight.len(),
                if self.highlight.len() == 1 { "" } else { "s" }
            );
        } else if let Some((a, b)) = self.edge {
            if let Some(pair) = doc.index.pair(a, b) {
                self.highlight = doc.index.events_of_pair(pair).to_vec();
            }
            self.highlight_label = format!("{} – {}", ds.actors.get(a).name, ds.actors.get(b).name);
        } else if !self.actors.is_empty() {
            for &a in &self.actors {
                self.highlight
                    .extend_from_slice(doc.index.events_of_actor(a));
            }
            self.highlight.sort_unstable();
            self.highlight.dedup();
            self.highlight_label = match self.actors.as_slice() {
                [one] => ds.actors.get(*one).name.clone(),
                many => format!("{} actors", many.len()),
            };
        }
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::session::sample_document as sample;

    #[test]
    fn selected_events_bring_their_actors_and_are_the_highlight() {
        let doc = sample();
        let mut s = Selection::default();
        s.select_events(&doc, vec![3, 1, 3], false);
        assert_eq!(s.events(), &[1, 3]);
        let mut actors: Vec<ActorId> = doc.dataset.actors_of(1).to_vec();
        actors.extend_from_slice(doc.dataset.actors_of(3));
        actors.sort_unstable();
        actors.dedup();
        let mut selected = s.actors().to_vec();
        selected.sort_unstable();
        assert_eq!(selected, actors);
        assert!(s.refresh(Some(&doc)));
        assert_eq!(s.highlight(), &[1, 3]);
        assert_eq!(s.highlight_label(), "2 selected events");
        assert!(!s.refresh(Some(&doc)), "nothing changed since");
    }

    #[test]
    fn a_tie_highlights_its_events_and_an_actor_all_of_its_own() {
        let doc = sample();
        let ds = &doc.dataset;
        let belarus = ds.actors.find("Belarus").unwrap();
        let iran = ds.actors.find("Iran").unwrap();
        let mut s = Selection::default();
        s.select_edge(belarus, iran);
        s.refresh(Some(&doc));
        let pair = doc.index.pair(belarus, iran).unwrap();
        assert_eq!(s.highlight(), doc.index.events_of_pair(pair));
        assert_eq!(s.highlight_label(), "Belarus – Iran");
        let generation = s.generation();
        s.toggle_actor(iran);
        s.refresh(Some(&doc));
        assert!(s.generation() > generation);
        assert_eq!(s.edge(), None);
        assert_eq!(s.actors(), &[belarus]);
        assert_eq!(s.highlight(), doc.index.events_of_actor(belarus));
        s.select_actor(None);
        s.refresh(Some(&doc));
        assert!(s.highlight().is_empty());
    }
}
