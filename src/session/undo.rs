//! The undo and redo lists: what the user did, under a label Edit ▸ Undo can name, and the
//! change that reverses it. Every change of the document goes through [`apply_change`], which
//! returns the change that undoes it, so undoing is applying again.

use super::document::Document;
use crate::layout::Point;
use crate::model::{ActorId, Edit, EventId, EventKey, NoteSubject};

/// Something that can be done to the document and undone: applying one gives the one that
/// undoes it.
#[derive(Clone, Debug)]
pub enum Change {
    Data(Edit),
    /// Put an actor here, pinned or not.
    Place {
        actor: ActorId,
        at: Point,
        pinned: bool,
    },
    /// Set these actors' pins.
    Pins(Vec<(ActorId, bool)>),
    /// Set a note (`None` removes it).
    Note {
        subject: NoteSubject,
        text: Option<String>,
    },
    /// Set the note of the event found by its content: a stored note change whose event
    /// was deleted since (it may come back, by an undo or an edit that restores it).
    EventNote {
        key: EventKey,
        text: Option<String>,
    },
    /// Several changes as one step, in order (a merge and the notes it moves).
    Steps(Vec<Change>),
}

impl Change {
    /// Whether it changes the data (event ids may move, the layout follows).
    pub fn touches_data(&self) -> bool {
        match self {
            Self::Data(_) => true,
            Self::Steps(steps) => steps.iter().any(Self::touches_data),
            _ => false,
        }
    }

    /// The split that undoes a merge, if this change is one (or holds one): the kept and
    /// the merged actor.
    pub fn split(&self) -> Option<(ActorId, ActorId)> {
        match self.split_edit()? {
            Edit::Split { keep, merged, .. } => Some((*keep, *merged)),
            _ => None,
        }
    }

    /// The split edit in it, if any (see [`Change::split`]).
    pub fn split_edit(&self) -> Option<&Edit> {
        match self {
            Self::Data(split @ Edit::Split { .. }) => Some(split),
            Self::Steps(steps) => steps.iter().find_map(Self::split_edit),
            _ => None,
        }
    }

    /// Carries the event ids it holds across a rebuild. A note change whose event was
    /// deleted holds its key from then on (`keys`: those of the events before the rebuild).
    fn remap(&mut self, map: &[Option<EventId>], keys: &[(EventId, EventKey)]) {
        match self {
            Self::Data(e) => e.remap(map),
            Self::Note {
                subject: NoteSubject::Event(e),
                text,
            } => match map.get(*e as usize).copied().flatten() {
                Some(n) => *e = n,
                None => {
                    if let Some((_, key)) = keys.iter().find(|(k, _)| k == e) {
                        *self = Self::EventNote {
                            key: key.clone(),
                            text: text.take(),
                        };
                    }
                }
            },
            Self::Steps(steps) => steps.iter_mut().for_each(|s| s.remap(map, keys)),
            _ => {}
        }
    }

    /// The events its note changes are about.
    fn noted_events(&self, out: &mut Vec<EventId>) {
        match self {
            Self::Note {
                subject: NoteSubject::Event(e),
                ..
            } => out.push(*e),
            Self::Steps(steps) => steps.iter().for_each(|s| s.noted_events(out)),
            _ => {}
        }
    }
}

/// One step of the undo or redo list: what the user did, and how to reverse it.
#[derive(Clone, Debug)]
pub struct Step {
    pub label: String,
    pub reverse: Change,
}

/// Most steps kept for undo.
pub const MAX_UNDO: usize = 200;

/// The two lists, and the drag being recorded.
#[derive(Debug, Default)]
pub struct UndoStack {
    undo: Vec<Step>,
    redo: Vec<Step>,
    /// The actor whose drag is being recorded as one step.
    moving: Option<ActorId>,
}

impl UndoStack {
    pub fn clear(&mut self) {
        *self = Self::default();
    }

    /// Something new was done: it can be undone, and what was undone before can no longer
    /// be redone.
    pub fn record(&mut self, label: String, reverse: Change) {
        self.undo.push(Step { label, reverse });
        if self.undo.len() > MAX_UNDO {
            self.undo.remove(0);
        }
        self.redo.clear();
        self.moving = None;
    }

    /// A move of `actor` in a drag: the first move of a drag records the step that undoes
    /// the whole drag; later ones add nothing. `before` is the actor's place before it.
    pub fn record_move(&mut self, actor: ActorId, label: impl FnOnce() -> String, before: Change) {
        if self.moving != Some(actor) {
            self.record(label(), before);
            self.moving = Some(actor);
        }
    }

    /// The drag (if any) is over: the next move starts a new step.
    pub fn end_move(&mut self) {
        self.moving = None;
    }

    /// Takes the step to undo (or redo).
    pub fn take(&mut self, undoing: bool) -> Option<Step> {
        self.moving = None;
        if undoing {
            self.undo.pop()
        } else {
            self.redo.pop()
        }
    }

    /// After undoing (redoing) a step: its reverse goes on the other list.
    pub fn put_back(&mut self, undoing: bool, step: Step) {
        if undoing {
            self.redo.push(step);
        } else {
            self.undo.push(step);
        }
    }

    /// Takes the latest undo step that matches, wherever it is in the list.
    pub fn take_matching(&mut self, matches: impl Fn(&Step) -> bool) -> Option<Step> {
        let i = self.undo.iter().rposition(matches)?;
        Some(self.undo.remove(i))
    }

    pub fn undo_label(&self) -> Option<&str> {
        self.undo.last().map(|s| s.label.as_str())
    }

    pub fn redo_label(&self) -> Option<&str> {
        self.redo.last().map(|s| s.label.as_str())
    }

    pub fn can_undo(&self) -> bool {
        !self.undo.is_empty()
    }

    pub fn can_redo(&self) -> bool {
        !self.redo.is_empty()
    }

    /// The undo list, oldest first.
    pub fn undo_steps(&self) -> &[Step] {
        &self.undo
    }

    /// Event ids moved (an event was added or removed): the kept edits follow them.
    /// `keys`: the content of the events the kept note changes are about, taken before
    /// (see [`UndoStack::noted_events`]), for those whose event is gone.
    pub fn remap_events(&mut self, map: &[Option<EventId>], keys: &[(EventId, EventKey)]) {
        for step in self.undo.iter_mut().chain(self.redo.iter_mut()) {
            step.reverse.remap(map, keys);
        }
    }

    /// The events that kept note changes are about.
    pub fn noted_events(&self) -> Vec<EventId> {
        let mut out = Vec::new();
        for step in self.undo.iter().chain(&self.redo) {
            step.reverse.noted_events(&mut out);
        }
        out.sort_unstable();
        out.dedup();
        out
    }
}

/// Where each old event id went after an edit (`None`: deleted).
pub type EventIdMap = Vec<Option<EventId>>;

/// Applies a change to the document; gives the change that undoes it, and the event-id map
/// when event ids moved.
pub fn apply_change(
    doc: &mut Document,
    change: Change,
) -> Result<(Change, Option<EventIdMap>), String> {
    Ok(match change {
        Change::Data(edit) => {
            // Keys of the noted events first: a deleted one's note is kept under its key.
            let keys = doc.notes.event_keys(&doc.dataset);
            let applied = edit.apply(std::sync::Arc::make_mut(&mut doc.dataset))?;
            if let Some(map) = &applied.new_id {
                doc.notes.remap_events(map, &keys);
            }
            doc.notes.reattach(&doc.dataset);
            doc.after_edit();
            (Change::Data(applied.inverse), applied.new_id)
        }
        Change::Note { subject, text } => {
            if !subject.exists_in(&doc.dataset) {
                return Err(match subject {
                    NoteSubject::Event(_) => "its event was deleted".into(),
                    _ => "its actor is no longer in the data".into(),
                });
            }
            let before = doc.notes.set(subject, text);
            (
                Change::Note {
                    subject,
                    text: before,
                },
                None,
            )
        }
        Change::EventNote { key, text } => {
            let Some(event) = key.find(&doc.dataset) else {
                return Err(format!(
                    "its event ({}, {}) is not in the data",
                    key.date,
                    crate::export::picture::shorten(&key.title, 40)
                ));
            };
            apply_change(
                doc,
                Change::Note {
                    subject: NoteSubject::Event(event),
                    text,
                },
            )?
        }
        Change::Steps(steps) => apply_steps(doc, steps)?,
        Change::Place { actor, at, pinned } => {
            let a = actor as usize;
            if a >= doc.target.len() {
                return Err(format!("no actor {actor}"));
            }
            let reverse = Change::Place {
                actor,
                at: doc.target[a],
                pinned: doc.pinned[a],
            };
            doc.target[a] = at;
            doc.pinned[a] = pinned;
            (reverse, None)
        }
        Change::Pins(pins) => {
            let mut before = Vec::with_capacity(pins.len());
            for (a, pinned) in pins {
                if let Some(p) = doc.pinned.get_mut(a as usize) {
                    before.push((a, *p));
                    *p = pinned;
                }
            }
            (Change::Pins(before), None)
        }
    })
}

/// Applies changes in order; the reverse undoes them in the opposite order. When one is
/// refused, those already applied are undone, so the document is as it was.
///
/// At most one of the changes may move event ids (a data edit; the others are notes, pins,
/// places): every id a step holds then means the same event before and after the others,
/// and the undo list can carry the whole step across later rebuilds.
fn apply_steps(
    doc: &mut Document,
    steps: Vec<Change>,
) -> Result<(Change, Option<EventIdMap>), String> {
    let mut reverses: Vec<Change> = Vec::with_capacity(steps.len());
    let mut moved: Option<EventIdMap> = None;
    for step in steps {
        match apply_change(doc, step) {
            Ok((reverse, map)) => {
                if let Some(map) = map {
                    moved = Some(match moved {
                        Some(before) => compose(&before, &map),
                        None => map,
                    });
                }
                reverses.push(reverse);
            }
            Err(message) => {
                // Undoing what was just done cannot be refused (each reverse was made from
                // the document as it is): the document is back as it was.
                for reverse in reverses.into_iter().rev() {
                    let _ = apply_change(doc, reverse);
                }
                return Err(message);
            }
        }
    }
    reverses.reverse();
    Ok((Change::Steps(reverses), moved))
}

/// Where each id went after `first`, then `second`.
fn compose(first: &[Option<EventId>], second: &[Option<EventId>]) -> EventIdMap {
    first
        .iter()
        .map(|e| e.and_then(|e| second.get(e as usize).copied().flatten()))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::session::sample_document as sample;

    #[test]
    fn a_whole_drag_is_one_step_and_undoing_it_puts_the_node_back() {
        let mut doc = sample();
        let mut stack = UndoStack::default();
        let start = doc.target[0];
        for _ in 0..5 {
            let before = Change::Place {
                actor: 0,
                at: doc.target[0],
                pinned: doc.pinned[0],
            };
            stack.record_move(0, || "move A".into(), before);
            doc.move_actor(0, [3.0, 4.0]);
        }
        stack.end_move();
        assert_eq!(stack.undo_steps().len(), 1);
        let step = stack.take(true).unwrap();
        let (reverse, _) = apply_change(&mut doc, step.reverse).unwrap();
        assert_eq!(doc.target[0], start);
        stack.put_back(
            true,
            Step {
                label: step.label,
                reverse,
            },
        );
        assert_eq!(stack.redo_label(), Some("move A"));
        // A new change drops the redo list.
        stack.record("pin A".into(), Change::Pins(vec![(0, false)]));
        assert!(!stack.can_redo());
    }

    #[test]
    fn the_list_is_bounded() {
        let mut stack = UndoStack::default();
        for i in 0..(MAX_UNDO + 10) {
            stack.record(format!("step {i}"), Change::Pins(Vec::new()));
        }
        assert_eq!(stack.undo_steps().len(), MAX_UNDO);
        assert_eq!(
            stack.undo_label(),
            Some(format!("step {}", MAX_UNDO + 9).as_str())
        );
    }

    #[test]
    fn a_rejected_change_leaves_the_document_as_it_was() {
        let mut doc = sample();
        let n = doc.target.len() as ActorId;
        let bad = Change::Place {
            actor: n + 5,
            at: [0.0, 0.0],
            pinned: true,
        };
        assert!(apply_change(&mut doc, bad).is_err());
    }
}
