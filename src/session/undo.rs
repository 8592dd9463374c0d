//! The undo and redo lists: what the user did, under a label Edit ▸ Undo can name, and the
//! change that reverses it. Every change of the document goes through [`apply_change`], which
//! returns the change that undoes it, so undoing is applying again.

use super::document::Document;
use crate::layout::Point;
use crate::model::{ActorId, Edit, EventId};

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
    pub fn remap_events(&mut self, map: &[Option<EventId>]) {
        for step in self.undo.iter_mut().chain(self.redo.iter_mut()) {
            if let Change::Data(e) = &mut step.reverse {
                e.remap(map);
            }
        }
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
            let applied = edit.apply(std::sync::Arc::make_mut(&mut doc.dataset))?;
            doc.after_edit();
            (Change::Data(applied.inverse), applied.new_id)
        }
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
