//! The session: the open document, the selection, the undo history, the scenes, the map
//! style and where the work is saved, behind private fields. [`Session::apply`] is the one
//! place a user's command changes them; it says what the UI must do about the change
//! ([`Effects`]: restart the layout worker, move the camera, show a failure) and hands back
//! the commands that are the UI's own (dialogs, windows, the viewport).
//!
//! Workers hand their results in through a few named methods ([`Session::adopt`] for a
//! loaded document, [`Session::take_force_positions`], [`Session::autosave_finished`]):
//! those are results, not the user's changes, and a `Document` is not a value a widget
//! can emit.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use super::command::Command;
use super::document::{Document, TimelineGroups};
use super::persistence::{AutosaveJob, AutosaveOutcome, Persistence};
use super::scenes::Scenes;
use super::selection::Selection;
use super::undo::{Change, Step, UndoStack, apply_change};
use crate::export::picture::MapStyle;
use crate::export::style::{EdgeColouring, Theme};
use crate::layout::{LayoutKind, Point};
use crate::model::{ActorId, DayNumber, Edit, EventId, NoteSubject, TimeWindow};
use crate::workspace::{self, SceneSpec, View};

/// What failed, and why: a title ("Could not save") and the reason.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Failure {
    pub title: String,
    pub message: String,
}

/// What the UI must do after a command.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Effects {
    /// The window, the filters or the data changed: a running force layout follows them.
    pub relayout: bool,
    /// The layout kind changed: a running force worker is stale (and the map fits anew).
    pub layout_replaced: bool,
    /// Actors whose place or pin changed, for the force worker to keep.
    pub pins: Vec<ActorId>,
    pub fit_view: bool,
    /// Centre the map here (a found actor).
    pub centre_on: Option<Point>,
    /// "Find" found nothing.
    pub not_found: bool,
    /// Move the time window from one to the other, gently (a scene).
    pub glide: Option<(TimeWindow, TimeWindow)>,
    /// Move the map's camera here: centre x, y and zoom (a scene).
    pub camera: Option<[f32; 3]>,
    pub failure: Option<Failure>,
    /// Something the user should know that is no failure (a status-bar warning).
    pub warning: Option<String>,
    /// The workspace was written here.
    pub saved: Option<PathBuf>,
}

impl Effects {
    fn failed(title: impl Into<String>, message: impl Into<String>) -> Self {
        Self {
            failure: Some(Failure {
                title: title.into(),
                message: message.into(),
            }),
            ..Self::default()
        }
    }
}

/// What became of a command.
#[derive(Debug, PartialEq)]
pub enum Outcome {
    /// The session carried it out.
    Done(Effects),
    /// Not the session's: a dialog, a window or the viewport.
    ForTheUi(Command),
}

/// Where a document handed to [`Session::adopt`] came from.
#[derive(Clone, Debug, PartialEq)]
pub enum Adopted {
    /// An event file or the sample: a fresh, unsaved-free document.
    File,
    /// A workspace opened from this path, with its view.
    Workspace(PathBuf, View),
    /// The recovery file's autosaved work: it keeps its own document's name, source and
    /// workspace, and stays unsaved.
    Restored(View),
}

/// The app's state, without a window.
pub struct Session {
    doc: Option<Document>,
    selection: Selection,
    history: UndoStack,
    scenes: Scenes,
    persistence: Persistence,
    style: MapStyle,
    /// Only an actor's neighbourhood is shown, `focus_hops` hops out.
    focus: Option<ActorId>,
    focus_hops: u32,
    /// The theme the workspace suggests for presenting.
    presentation_theme: Option<Theme>,
    /// The layout the user chose last, for the next file.
    preferred_layout: Option<LayoutKind>,
}

impl Session {
    /// A session with the user's remembered style and layout; autosaves go to
    /// `recovery_dir`.
    pub fn new(
        style: MapStyle,
        preferred_layout: Option<LayoutKind>,
        recovery_dir: Option<PathBuf>,
    ) -> Self {
        Self {
            doc: None,
            selection: Selection::default(),
            history: UndoStack::default(),
            scenes: Scenes::default(),
            persistence: Persistence {
                recovery_dir,
                ..Persistence::default()
            },
            style,
            focus: None,
            focus_hops: 1,
            presentation_theme: None,
            preferred_layout,
        }
    }

    pub fn document(&self) -> Option<&Document> {
        self.doc.as_ref()
    }

    pub fn selection(&self) -> &Selection {
        &self.selection
    }

    pub fn history(&self) -> &UndoStack {
        &self.history
    }

    pub fn scenes(&self) -> &Scenes {
        &self.scenes
    }

    pub fn style(&self) -> &MapStyle {
        &self.style
    }

    pub fn focus(&self) -> Option<ActorId> {
        self.focus
    }

    pub fn focus_hops(&self) -> u32 {
        self.focus_hops
    }

    pub fn presentation_theme(&self) -> Option<Theme> {
        self.presentation_theme
    }

    pub fn preferred_layout(&self) -> Option<LayoutKind> {
        self.preferred_layout
    }

    pub fn workspace_path(&self) -> Option<&Path> {
        self.persistence.workspace_path.as_deref()
    }

    pub fn has_unsaved_changes(&self) -> bool {
        self.persistence.unsaved
    }

    pub fn recovery_path(&self) -> Option<PathBuf> {
        self.persistence.recovery_path()
    }

    pub fn set_recovery_dir(&mut self, dir: PathBuf) {
        self.persistence.recovery_dir = Some(dir);
    }

    /// Throws the autosave away: the user saved, quit properly, or chose not to keep it.
    pub fn remove_recovery(&self) {
        self.persistence.remove_recovery();
    }

    /// The name the window shows: the workspace's file name, else the document's.
    pub fn title_name(&self) -> Option<String> {
        let doc = self.doc.as_ref()?;
        Some(
            self.workspace_path()
                .and_then(|p| p.file_name())
                .map_or_else(|| doc.name.clone(), |n| n.to_string_lossy().into_owned()),
        )
    }

    /// Actors merged into `keep` that can be split off again.
    pub fn merged_into(&self, keep: ActorId) -> Vec<ActorId> {
        self.history
            .undo_steps()
            .iter()
            .filter_map(|step| match step.reverse.split() {
                Some((k, merged)) if k == keep => Some(merged),
                _ => None,
            })
            .collect()
    }

    /// Carries out a command, or hands it back when it is the UI's.
    pub fn apply(&mut self, command: Command) -> Outcome {
        if !matches!(command, Command::MoveNode(..)) {
            // A drag is one undo step; anything else ends it.
            self.history.end_move();
        }
        // What a workspace keeps.
        if self.doc.is_some()
            && matches!(
                command,
                Command::SetWindow(_)
                    | Command::MoveNode(..)
                    | Command::SetPinned(..)
                    | Command::SetCollapsed(..)
                    | Command::SetLayout(_)
                    | Command::SetFilter(_)
                    | Command::SetStyle(_)
            )
        {
            self.persistence.unsaved = true;
        }
        let mut effects = Effects::default();
        match command {
            Command::SetWindow(window) => {
                if let Some(doc) = &mut self.doc {
                    let before = doc.window();
                    doc.set_window(window);
                    effects.relayout = doc.window() != before;
                }
            }
            Command::Select(actor) => self.selection.select_actor(actor),
            Command::ToggleSelected(actor) => self.selection.toggle_actor(actor),
            Command::SelectActors(actors, add) => self.selection.select_actors(actors, add),
            Command::SelectEdge(a, b) => self.selection.select_edge(a, b),
            Command::SelectEvents(events, add) => {
                if let Some(doc) = &self.doc {
                    self.selection.select_events(doc, events, add);
                }
            }
            Command::SelectDays(from, to, add) => {
                if let Some(doc) = &self.doc {
                    let events = events_starting_between(doc, from, to);
                    self.selection.select_events(doc, events, add);
                }
            }
            Command::MoveNode(actor, delta) => {
                if let Some(doc) = &mut self.doc
                    && (actor as usize) < doc.target.len()
                {
                    let a = actor as usize;
                    let before = Change::Place {
                        actor,
                        at: doc.target[a],
                        pinned: doc.pinned[a],
                    };
                    let name = || format!("move {}", doc.dataset.actors.get(actor).name);
                    self.history.record_move(actor, name, before);
                    doc.move_actor(actor, delta);
                    effects.pins.push(actor);
                }
            }
            Command::SetPinned(actors, pinned) => {
                let verb = if pinned { "pin" } else { "unpin" };
                let label = match actors.as_slice() {
                    [one] => format!("{verb} {}", self.actor_name(*one)),
                    many => format!("{verb} {} actors", many.len()),
                };
                let pins = actors.into_iter().map(|a| (a, pinned)).collect();
                effects = self.record(label, Change::Pins(pins));
            }
            Command::Edit(edit) => {
                let label = self
                    .doc
                    .as_ref()
                    .map(|d| edit.label(&d.dataset))
                    .unwrap_or_default();
                let moved = match (&edit, &self.doc) {
                    (&Edit::Merge { keep, merged }, Some(doc)) => doc.notes.merged(keep, merged),
                    _ => Vec::new(),
                };
                let change = if moved.is_empty() {
                    Change::Data(edit)
                } else {
                    // The merged actor's notes go with its events, in the same step.
                    let notes = moved
                        .into_iter()
                        .map(|(subject, text)| Change::Note { subject, text });
                    Change::Steps(std::iter::once(Change::Data(edit)).chain(notes).collect())
                };
                effects = self.record(label, change);
            }
            Command::SetNote { subject, text } => effects = self.set_note(subject, &text),
            Command::SaveEvent {
                event,
                actor_names,
                with,
            } => effects = self.save_event(event, &actor_names, with),
            Command::AddEvents { events, aliases } => effects = self.add_events(events, &aliases),
            Command::SplitOff { keep, merged } => {
                // The merge's whole reverse: the split, and the notes the merge moved.
                let found = self
                    .history
                    .take_matching(|step| step.reverse.split() == Some((keep, merged)));
                if let Some(Step { reverse, .. }) = found {
                    let label = match (&reverse.split_edit(), &self.doc) {
                        (Some(split), Some(d)) => split.label(&d.dataset),
                        _ => String::new(),
                    };
                    effects = self.record(label, reverse);
                }
            }
            Command::Undo => effects = self.undo_or_redo(true),
            Command::Redo => effects = self.undo_or_redo(false),
            Command::RecordScene { title, camera } => {
                let title = self.scenes.title_for(&title);
                if let Some(scene) = self.current_scene_spec(&title, camera) {
                    self.scenes.record(scene);
                    self.persistence.unsaved = true;
                }
            }
            Command::GoToScene(index) => effects = self.go_to_scene(index),
            Command::StepScene(step) => {
                if let Some(index) = self.scenes.stepped(step) {
                    effects = self.go_to_scene(index);
                }
            }
            Command::DeleteScene(index) => {
                if self.scenes.delete(index) {
                    self.persistence.unsaved = true;
                }
            }
            Command::MoveScene(index, by) => {
                if self.scenes.move_by(index, by) {
                    self.persistence.unsaved = true;
                }
            }
            Command::SetPresentationTheme(theme) => {
                if self.presentation_theme != theme {
                    self.presentation_theme = theme;
                    self.persistence.unsaved = true;
                }
            }
            Command::FollowTheme(theme) => self.style.theme = theme,
            Command::SetCollapsed(root, collapsed) => {
                if let Some(doc) = &mut self.doc {
                    match root {
                        Some(r) => {
                            if let Some(c) = doc.collapsed.get_mut(r as usize) {
                                *c = collapsed;
                            }
                        }
                        None => doc.collapsed.iter_mut().for_each(|c| *c = collapsed),
                    }
                }
            }
            Command::Focus(actor) => {
                self.focus = actor;
                if let Some(a) = actor {
                    self.selection.select_actor(Some(a));
                }
                effects.fit_view = true;
            }
            Command::SetFocusHops(hops) => self.focus_hops = hops.clamp(1, 6),
            Command::SetLayout(kind) => {
                if let Some(doc) = &mut self.doc {
                    doc.set_layout(kind);
                    self.preferred_layout = Some(kind);
                    effects.layout_replaced = true;
                    effects.relayout = true;
                    effects.fit_view = true;
                }
            }
            Command::SetFilter(filter) => {
                if let Some(doc) = &mut self.doc {
                    doc.set_filter(filter);
                    effects.relayout = true;
                }
            }
            Command::SetStyle(style) => self.style = style,
            Command::FindActor(text) => {
                let found = self.doc.as_ref().and_then(|d| d.find_actor(&text));
                match (found, &self.doc) {
                    (Some(a), Some(doc)) => {
                        self.selection.select_actor(Some(a));
                        effects.centre_on = Some(doc.target[a as usize]);
                    }
                    _ => effects.not_found = true,
                }
            }
            Command::SaveWorkspace(mut path) => {
                if path.extension().is_none() {
                    path.set_extension("relmap");
                }
                effects = match self.save_to(&path) {
                    Ok(()) => Effects {
                        saved: Some(path),
                        ..Effects::default()
                    },
                    Err(e) => Effects::failed("Could not save", format!("{}: {e}", path.display())),
                };
            }
            other => return Outcome::ForTheUi(other),
        }
        self.selection.refresh(self.doc.as_ref());
        Outcome::Done(effects)
    }

    fn actor_name(&self, actor: ActorId) -> String {
        self.doc
            .as_ref()
            .filter(|d| (actor as usize) < d.dataset.actors.len())
            .map(|d| d.dataset.actors.get(actor).name.clone())
            .unwrap_or_default()
    }

    /// Carries out a change; returns the one that reverses it.
    fn perform(&mut self, change: Change) -> Result<(Change, Effects), String> {
        let detached_before = doc_detached(self.doc.as_ref());
        let doc = self.doc.as_mut().ok_or("no document is open")?;
        // What the kept note changes' events are, in case the change deletes one.
        let keys: Vec<(EventId, crate::model::EventKey)> = if change.touches_data() {
            let ds = &doc.dataset;
            self.history
                .noted_events()
                .into_iter()
                .filter(|&e| (e as usize) < ds.len())
                .map(|e| (e, crate::model::EventKey::of(ds, e)))
                .collect()
        } else {
            Vec::new()
        };
        let (reverse, new_ids) = apply_change(doc, change)?;
        if let Some(map) = &new_ids {
            self.history.remap_events(map, &keys);
        }
        let mut effects = Effects::default();
        match &reverse {
            // Event ids moved: the event selection goes, the actors stay.
            change if change.touches_data() => {
                self.selection.forget_events();
                effects.relayout = true;
            }
            // The force layout keeps pinned nodes where the user put them.
            Change::Place { actor, .. } => effects.pins.push(*actor),
            Change::Pins(pins) => effects.pins.extend(pins.iter().map(|&(a, _)| a)),
            _ => {}
        }
        let detached = doc_detached(self.doc.as_ref());
        if detached > detached_before {
            effects.warning = Some(match detached - detached_before {
                1 => "A note's event is gone: the note is kept, saved with the workspace, \
                      and comes back with its event (Undo)"
                    .into(),
                n => format!(
                    "{n} notes' events are gone: the notes are kept, saved with the \
                     workspace, and come back with their events (Undo)"
                ),
            });
        }
        self.persistence.unsaved = true;
        Ok((reverse, effects))
    }

    /// Does something new: recorded for undo, and the redo list is dropped.
    fn record(&mut self, label: String, change: Change) -> Effects {
        match self.perform(change) {
            Ok((reverse, effects)) => {
                self.history.record(label, reverse);
                effects
            }
            Err(message) => Effects::failed(format!("Could not {label}"), message),
        }
    }

    fn undo_or_redo(&mut self, undoing: bool) -> Effects {
        let Some(step) = self.history.take(undoing) else {
            return Effects::default();
        };
        match self.perform(step.reverse.clone()) {
            Ok((reverse, effects)) => {
                self.history.put_back(
                    undoing,
                    Step {
                        label: step.label,
                        reverse,
                    },
                );
                effects
            }
            Err(message) => {
                let verb = if undoing { "undo" } else { "redo" };
                let failed = Effects::failed(format!("Could not {verb} {}", step.label), message);
                // The step stays where it was, to try again.
                self.history.put_back(!undoing, step);
                failed
            }
        }
    }

    /// Sets, changes or removes a note (empty text), as one undo step; nothing when the
    /// note stays as it was.
    fn set_note(&mut self, subject: NoteSubject, text: &str) -> Effects {
        let Some(doc) = &self.doc else {
            return Effects::default();
        };
        let text = text.trim();
        let before = doc.notes.get(subject);
        if before.unwrap_or_default() == text {
            return Effects::default();
        }
        let what = subject.describe(&doc.dataset);
        let label = match (before, text.is_empty()) {
            (None, _) => format!("add a note to {what}"),
            (Some(_), true) => format!("remove the note on {what}"),
            (Some(_), false) => format!("edit the note on {what}"),
        };
        let text = (!text.is_empty()).then(|| text.to_string());
        self.record(label, Change::Note { subject, text })
    }

    /// The event editor's OK. New names are interned first (an event refers to actors by
    /// id); when the edit is refused, the actor table goes back to what it was.
    fn save_event(
        &mut self,
        event: Option<EventId>,
        actor_names: &[String],
        mut with: crate::model::NewEvent,
    ) -> Effects {
        let Some(doc) = self.doc.as_mut() else {
            return Effects::default();
        };
        let before = doc.dataset.actors.len();
        let known: Option<Vec<ActorId>> = actor_names
            .iter()
            .map(|n| doc.dataset.actors.find(n.trim()))
            .collect();
        let actors_before = known.is_none().then(|| doc.dataset.actors.clone());
        with.actors = match known {
            Some(ids) => ids,
            None => actor_names
                .iter()
                .filter_map(|n| {
                    Arc::make_mut(&mut doc.dataset)
                        .actors
                        .intern(n.trim(), None)
                })
                .collect(),
        };
        if doc.dataset.actors.len() != before {
            doc.refresh_derived();
        }
        let edit = match event {
            Some(event) => Edit::ChangeEvent { event, with },
            None => Edit::AddEvent { event: with },
        };
        let label = edit.label(&doc.dataset);
        self.record_keeping_actors(label, edit, actors_before)
    }

    /// Records a data edit whose actors were interned just before; if it is refused, the
    /// actor table goes back to `actors_before` (when given), so no new actor outlives it.
    fn record_keeping_actors(
        &mut self,
        label: String,
        edit: Edit,
        actors_before: Option<crate::model::ActorTable>,
    ) -> Effects {
        let effects = self.record(label, Change::Data(edit));
        if effects.failure.is_some()
            && let (Some(actors), Some(doc)) = (actors_before, self.doc.as_mut())
        {
            Arc::make_mut(&mut doc.dataset).actors = actors;
            doc.refresh_derived();
        }
        effects
    }

    /// Events accepted from an article, as one step. Their actors are found by name or
    /// created with their kind and country; a refused edit leaves no new actor behind.
    fn add_events(
        &mut self,
        drafts: Vec<(Vec<crate::extract::ActorRef>, crate::model::NewEvent)>,
        aliases: &[(String, String)],
    ) -> Effects {
        use crate::model::ActorKind;
        let Some(doc) = self.doc.as_mut() else {
            return Effects::default();
        };
        if drafts.is_empty() {
            return Effects::default();
        }
        let actors_before = doc.dataset.actors.clone();
        let before = actors_before.len();
        let mut events = Vec::with_capacity(drafts.len());
        {
            let table = &mut Arc::make_mut(&mut doc.dataset).actors;
            for (name, alias) in aliases {
                if let Some(id) = table.find(name) {
                    table.add_alias(id, alias);
                }
            }
            for (refs, mut event) in drafts {
                event.actors = refs
                    .iter()
                    .filter_map(|r| {
                        let id = table
                            .find(&r.name)
                            .or_else(|| table.intern(&r.name, Some(r.kind)))?;
                        // A new person or body belongs to its country, as in the article.
                        if r.kind != ActorKind::Country
                            && (id as usize) >= before
                            && let Some(country) = &r.country
                            && let Some(c) = table
                                .find(country)
                                .or_else(|| table.intern(country, Some(ActorKind::Country)))
                            && c != id
                        {
                            table.get_mut(id).affiliation.get_or_insert(c);
                        }
                        Some(id)
                    })
                    .collect();
                events.push(event);
            }
        }
        if doc.dataset.actors.len() != before {
            doc.refresh_derived();
        }
        let label = format!("add {} events from the article", events.len());
        self.record_keeping_actors(label, Edit::AddEvents { events }, Some(actors_before))
    }

    /// The current state as a scene.
    fn current_scene_spec(&self, title: &str, camera: Option<[f32; 3]>) -> Option<SceneSpec> {
        let doc = self.doc.as_ref()?;
        let mut scene = SceneSpec::new(title, &doc.dataset, doc.window(), &doc.counts.filter);
        scene.camera = camera;
        scene.selected = self
            .selection
            .actors()
            .iter()
            .map(|&a| doc.dataset.actors.get(a).name.clone())
            .collect();
        Some(scene)
    }

    /// Shows a scene: its filters and selection at once; the window and the camera move
    /// there gently (the UI animates them).
    fn go_to_scene(&mut self, index: usize) -> Effects {
        let mut effects = Effects::default();
        let Some(doc) = self.doc.as_mut() else {
            return effects;
        };
        let Some(scene) = self.scenes.show(index).cloned() else {
            return effects;
        };
        let filter = scene.filter(&doc.dataset);
        if filter != doc.counts.filter {
            doc.set_filter(filter);
            effects.relayout = true;
            self.persistence.unsaved = true;
        }
        if let Some(window) = scene.time_window() {
            effects.glide = Some((doc.window(), window));
        }
        effects.camera = scene.camera;
        let selected: Vec<ActorId> = scene
            .selected
            .iter()
            .filter_map(|n| doc.dataset.actors.find(n))
            .collect();
        self.selection.select_actors(selected, false);
        effects
    }

    /// One step of a window gliding to a scene's. The layout follows once it arrives
    /// (`arrived`), not at every step.
    pub fn glide_window(&mut self, window: TimeWindow, arrived: bool) -> Effects {
        let Some(doc) = &mut self.doc else {
            return Effects::default();
        };
        doc.set_window(window);
        Effects {
            relayout: arrived,
            ..Effects::default()
        }
    }

    /// A loaded document replaces the open one. `discard_recovery`: the user chose not to
    /// keep the last document's changes, so its autosave goes too.
    pub fn adopt(&mut self, mut doc: Document, from: Adopted, discard_recovery: bool) -> Effects {
        if let Some(kind) = self.preferred_layout
            && kind != doc.layout
            && kind != LayoutKind::Force
        {
            doc.set_layout(kind);
            doc.positions = doc.target.clone();
        }
        if discard_recovery {
            self.persistence.remove_recovery();
        }
        self.selection.clear();
        self.history.clear();
        self.focus = None;
        self.scenes = Scenes::default();
        self.presentation_theme = None;
        self.persistence.workspace_path = None;
        self.persistence.unsaved = false;
        let mut effects = Effects {
            layout_replaced: true,
            fit_view: true,
            ..Effects::default()
        };
        let view = match from {
            Adopted::File => None,
            Adopted::Workspace(path, view) => {
                self.persistence.workspace_path = Some(path);
                Some(view)
            }
            Adopted::Restored(view) => {
                self.persistence.unsaved = true;
                if let Some(origin) = &view.origin {
                    // The restored work is that document's, not "recovery.relmap".
                    doc.name = origin.name.clone();
                    doc.path = origin.path.clone();
                    self.persistence.workspace_path = origin.workspace.clone();
                }
                Some(view)
            }
        };
        if let Some(view) = view {
            doc.apply_view(&view);
            // The window's theme is the user's: the workspace's style is taken without it
            // (and only suggests one for presenting).
            let theme = self.style.theme;
            self.style = view.style.clone();
            self.style.theme = theme;
            self.scenes.replace(view.scenes.clone());
            self.presentation_theme = view.presentation_theme;
            effects.relayout = true;
            let detached = doc.notes.detached().len();
            if detached > 0 {
                effects.warning = Some(format!(
                    "{detached} of the workspace's notes name actors or events not in its data: \
                     they are kept and saved with it"
                ));
            }
        }
        self.doc = Some(doc);
        self.selection.refresh(self.doc.as_ref());
        effects
    }

    /// The force worker's latest positions.
    pub fn take_force_positions(&mut self, positions: &[Point]) {
        if let Some(doc) = &mut self.doc {
            doc.take_force_positions(positions);
        }
    }

    /// Moves nodes a step towards their targets; true while they are still moving.
    pub fn animate(&mut self, dt: f32) -> bool {
        self.doc.as_mut().is_some_and(|doc| doc.animate(dt))
    }

    /// Works out what the timeline and the map need this frame (kept until the data, the
    /// filters or the colouring change).
    pub fn prepare_frame(&mut self) {
        let by_type = self.style.edge_colouring == EdgeColouring::Type;
        let Some(doc) = &mut self.doc else { return };
        let groups = if by_type {
            doc.ensure_pair_types();
            let top = doc.pair_types.as_ref().map(|t| t.top.clone());
            TimelineGroups::Types(top.unwrap_or_default())
        } else {
            TimelineGroups::Classes
        };
        doc.ensure_timeline_counts(groups);
    }

    /// The view a workspace saves: the document's, the scenes, the suggested theme.
    pub fn workspace_view(&self) -> View {
        let mut view = self
            .doc
            .as_ref()
            .map(|doc| doc.workspace_view(&self.style))
            .unwrap_or_default();
        view.scenes = self.scenes.list().to_vec();
        view.presentation_theme = self.presentation_theme;
        view
    }

    /// The view a recovery file saves: also which document it is, so that a restored one
    /// keeps its name, its source and its workspace.
    fn recovery_view(&self) -> View {
        let mut view = self.workspace_view();
        view.origin = self.doc.as_ref().map(|doc| workspace::Origin {
            name: doc.name.clone(),
            path: doc.path.clone(),
            workspace: self.persistence.workspace_path.clone(),
        });
        view
    }

    /// Writes the workspace; on success it is the document's file from now on, and the
    /// autosave goes.
    fn save_to(&mut self, path: &Path) -> std::io::Result<()> {
        let view = self.workspace_view();
        let Some(doc) = self.doc.as_mut() else {
            return Err(std::io::Error::other("no document is open"));
        };
        // Edited data is written into the workspace: the source file no longer matches it.
        let source = (!doc.edited).then(|| doc.dataset.source.clone()).flatten();
        workspace::choose_data(&doc.dataset, source.as_deref(), &mut doc.source_checksum)
            .and_then(|data| workspace::save(path, &doc.dataset, data, &view))?;
        self.persistence.workspace_path = Some(path.to_path_buf());
        self.persistence.unsaved = false;
        self.persistence.remove_recovery();
        Ok(())
    }

    /// The autosave to run on a worker: the data shared, not copied.
    pub fn autosave_job(&self) -> Option<AutosaveJob> {
        let path = self.persistence.recovery_path()?;
        let doc = self.doc.as_ref()?;
        Some(AutosaveJob {
            path,
            dataset: Arc::clone(&doc.dataset),
            source: (!doc.edited).then(|| doc.dataset.source.clone()).flatten(),
            checksum: doc.source_checksum.clone(),
            view: self.recovery_view(),
        })
    }

    /// Takes an autosave's outcome (the source's checksum, worked out on the worker); the
    /// reason it failed, if it did.
    pub fn autosave_finished(&mut self, outcome: AutosaveOutcome) -> Option<String> {
        if let Some(doc) = &mut self.doc
            && doc.source_checksum.is_none()
        {
            doc.source_checksum = outcome.checksum;
        }
        outcome.problem
    }

    /// Writes the unsaved work to the recovery file now, on this thread.
    pub fn autosave_now(&mut self) -> std::io::Result<()> {
        match self.autosave_job() {
            Some(job) => match self.autosave_finished(job.run()) {
                None => Ok(()),
                Some(problem) => Err(std::io::Error::other(problem)),
            },
            None => Ok(()),
        }
    }
}

/// How many notes wait detached from their subject.
fn doc_detached(doc: Option<&Document>) -> usize {
    doc.map_or(0, |d| d.notes.detached().len())
}

/// The events (passing the filter) that start on these days.
fn events_starting_between(doc: &Document, from: DayNumber, to: DayNumber) -> Vec<EventId> {
    let ds = &doc.dataset;
    let lo = ds.start.partition_point(|&s| s < from) as EventId;
    let hi = ds.start.partition_point(|&s| s <= to) as EventId;
    (lo..hi)
        .filter(|&e| doc.counts.filter.accepts(ds, e))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::NewEvent;
    use crate::session::sample_document;

    fn session() -> Session {
        let mut s = Session::new(MapStyle::default(), None, None);
        let _ = s.adopt(sample_document(), Adopted::File, false);
        s
    }

    fn done(outcome: Outcome) -> Effects {
        match outcome {
            Outcome::Done(effects) => effects,
            Outcome::ForTheUi(c) => panic!("{c:?} was handed back"),
        }
    }

    #[test]
    fn dialogs_are_handed_back_to_the_ui() {
        let mut s = session();
        assert_eq!(
            s.apply(Command::OpenDialog),
            Outcome::ForTheUi(Command::OpenDialog)
        );
        assert!(!s.has_unsaved_changes());
    }

    #[test]
    fn an_edit_marks_the_work_unsaved_and_undo_restores_it() {
        let mut s = session();
        let belarus = s
            .document()
            .unwrap()
            .dataset
            .actors
            .find("Belarus")
            .unwrap();
        done(s.apply(Command::Edit(Edit::RenameActor {
            actor: belarus,
            name: "Republic of Belarus".into(),
        })));
        assert!(s.has_unsaved_changes());
        assert_eq!(s.history().undo_label(), Some("rename Belarus"));
        done(s.apply(Command::Undo));
        assert_eq!(s.actor_name(belarus), "Belarus");
        assert_eq!(s.history().redo_label(), Some("rename Belarus"));
    }

    #[test]
    fn a_whole_drag_is_one_undo_step() {
        let mut s = session();
        let a = 0;
        let start = s.document().unwrap().target[0];
        for _ in 0..10 {
            let effects = done(s.apply(Command::MoveNode(a, [1.0, 0.0])));
            assert_eq!(effects.pins, [a], "the force worker is told");
        }
        done(s.apply(Command::Select(None)));
        done(s.apply(Command::Undo));
        assert_eq!(s.document().unwrap().target[0], start);
        assert!(!s.history().can_undo());
    }

    #[test]
    fn a_refused_event_edit_leaves_no_new_actor() {
        let mut s = session();
        let before = s.document().unwrap().dataset.actors.len();
        // Event 999 does not exist: the change is refused.
        let effects = done(s.apply(Command::SaveEvent {
            event: Some(999),
            actor_names: vec!["Nobody Yet".into()],
            with: NewEvent::default(),
        }));
        assert!(effects.failure.is_some());
        assert_eq!(s.document().unwrap().dataset.actors.len(), before);
        assert!(
            s.document()
                .unwrap()
                .dataset
                .actors
                .find("Nobody Yet")
                .is_none()
        );
    }

    #[test]
    fn a_new_event_with_a_new_actor_is_one_undoable_step() {
        let mut s = session();
        let doc = s.document().unwrap();
        let (events, actors) = (doc.dataset.len(), doc.dataset.actors.len());
        let with = NewEvent {
            date: crate::model::PartialDate::parse("2025-05-01").unwrap(),
            title: "A new meeting".into(),
            ..NewEvent::default()
        };
        let effects = done(s.apply(Command::SaveEvent {
            event: None,
            actor_names: vec!["Belarus".into(), "Nobody Yet".into()],
            with,
        }));
        assert_eq!(effects.failure, None);
        assert_eq!(s.document().unwrap().dataset.len(), events + 1);
        assert_eq!(s.document().unwrap().dataset.actors.len(), actors + 1);
        done(s.apply(Command::Undo));
        assert_eq!(s.document().unwrap().dataset.len(), events);
    }

    #[test]
    fn a_failed_redo_says_redo() {
        let mut s = session();
        let belarus = s
            .document()
            .unwrap()
            .dataset
            .actors
            .find("Belarus")
            .unwrap();
        done(s.apply(Command::Edit(Edit::RenameActor {
            actor: belarus,
            name: "Belarus 2".into(),
        })));
        done(s.apply(Command::Undo));
        // The document goes: the redo cannot be done.
        s.doc = None;
        let effects = done(s.apply(Command::Redo));
        assert_eq!(
            effects.failure.map(|f| f.title),
            Some("Could not redo rename Belarus".into())
        );
        assert!(s.history().can_redo(), "the step stays to try again");
    }

    #[test]
    fn scenes_keep_the_window_and_selection_and_glide_back_to_them() {
        let mut s = session();
        let ds = Arc::clone(&s.document().unwrap().dataset);
        let belarus = ds.actors.find("Belarus").unwrap();
        let early = TimeWindow::new(ds.start[1], ds.start[6]);
        done(s.apply(Command::SetWindow(early)));
        done(s.apply(Command::Select(Some(belarus))));
        done(s.apply(Command::RecordScene {
            title: " Early ".into(),
            camera: Some([1.0, 2.0, 0.5]),
        }));
        assert_eq!(s.scenes().list()[0].title, "Early");
        done(s.apply(Command::Select(None)));
        let later = TimeWindow::new(ds.start[10], ds.start[16]);
        done(s.apply(Command::SetWindow(later)));
        let effects = done(s.apply(Command::GoToScene(0)));
        assert_eq!(effects.glide, Some((later, early)));
        assert_eq!(effects.camera, Some([1.0, 2.0, 0.5]));
        assert_eq!(s.selection().actors(), [belarus]);
    }

    #[test]
    fn saving_writes_the_workspace_and_a_failure_says_where() {
        let dir = tempfile::tempdir().unwrap();
        let mut s = session();
        done(s.apply(Command::SetFocusHops(3)));
        done(s.apply(Command::SetWindow(TimeWindow::new(0, 100_000))));
        assert!(s.has_unsaved_changes());
        let effects = done(s.apply(Command::SaveWorkspace(dir.path().join("brief"))));
        let written = dir.path().join("brief.relmap");
        assert_eq!(effects.saved.as_deref(), Some(written.as_path()));
        assert!(written.exists());
        assert!(!s.has_unsaved_changes());
        assert_eq!(s.workspace_path(), Some(written.as_path()));

        let nowhere = dir.path().join("no such folder").join("x.relmap");
        let effects = done(s.apply(Command::SaveWorkspace(nowhere)));
        let failure = effects.failure.unwrap();
        assert_eq!(failure.title, "Could not save");
        assert!(
            failure.message.contains("no such folder"),
            "{}",
            failure.message
        );
    }

    #[test]
    fn a_restored_document_keeps_its_name_and_stays_unsaved() {
        let mut s = session();
        let view = View {
            origin: Some(workspace::Origin {
                name: "events.csv".into(),
                path: Some("/data/events.csv".into()),
                workspace: None,
            }),
            ..View::default()
        };
        let _ = s.adopt(sample_document(), Adopted::Restored(view), false);
        assert_eq!(s.document().unwrap().name, "events.csv");
        assert!(s.has_unsaved_changes());
        assert_eq!(s.title_name().as_deref(), Some("events.csv"));
    }

    fn note(s: &Session, subject: NoteSubject) -> Option<String> {
        s.document()?.notes.get(subject).map(str::to_string)
    }

    fn set_note(s: &mut Session, subject: NoteSubject, text: &str) -> Effects {
        done(s.apply(Command::SetNote {
            subject,
            text: text.into(),
        }))
    }

    #[test]
    fn a_note_is_an_undoable_change_that_marks_the_work_unsaved() {
        let mut s = session();
        let belarus = s
            .document()
            .unwrap()
            .dataset
            .actors
            .find("Belarus")
            .unwrap();
        let on = NoteSubject::Actor(belarus);
        set_note(&mut s, on, "  Check the 2024 figures \n");
        assert_eq!(note(&s, on).as_deref(), Some("Check the 2024 figures"));
        assert!(s.has_unsaved_changes());
        assert_eq!(s.history().undo_label(), Some("add a note to Belarus"));
        set_note(&mut s, on, "Check the 2024 figures");
        assert_eq!(s.history().undo_steps().len(), 1, "no step for no change");
        set_note(&mut s, on, "Figures checked");
        assert_eq!(s.history().undo_label(), Some("edit the note on Belarus"));
        set_note(&mut s, on, "   ");
        assert_eq!(note(&s, on), None);
        assert_eq!(s.history().undo_label(), Some("remove the note on Belarus"));
        done(s.apply(Command::Undo));
        assert_eq!(note(&s, on).as_deref(), Some("Figures checked"));
        done(s.apply(Command::Undo));
        done(s.apply(Command::Undo));
        assert_eq!(note(&s, on), None);
        done(s.apply(Command::Redo));
        assert_eq!(note(&s, on).as_deref(), Some("Check the 2024 figures"));
    }

    #[test]
    fn an_events_note_follows_it_through_edits_and_comes_back_with_an_undone_delete() {
        let mut s = session();
        let noted = 6;
        let title = s.document().unwrap().dataset.title(noted).to_string();
        set_note(&mut s, NoteSubject::Event(noted), "Source is a blog");
        // An earlier event goes: ids move, the note goes with its event.
        done(s.apply(Command::Edit(Edit::DeleteEvent { event: 2 })));
        let doc = s.document().unwrap();
        let (e, _) = doc.notes.events().next().unwrap();
        assert_eq!(doc.dataset.title(e), title);
        // The noted event goes: the note is kept, and the user is told.
        let effects = done(s.apply(Command::Edit(Edit::DeleteEvent { event: e })));
        assert!(effects.warning.unwrap().contains("note is kept"));
        assert_eq!(s.document().unwrap().notes.events().count(), 0);
        assert_eq!(s.document().unwrap().notes.detached().len(), 1);
        done(s.apply(Command::Undo));
        let doc = s.document().unwrap();
        let (e, text) = doc.notes.events().next().unwrap();
        assert_eq!(
            (doc.dataset.title(e), text),
            (title.as_str(), "Source is a blog")
        );
        // Undoing the note itself, across both rebuilds, finds the event too.
        done(s.apply(Command::Undo));
        let effects = done(s.apply(Command::Undo));
        assert_eq!(effects.failure, None);
        assert_eq!(s.document().unwrap().notes.events().count(), 0);
    }

    #[test]
    fn a_merge_takes_the_merged_actors_notes_along_and_undo_gives_them_back() {
        let mut s = session();
        let ds = Arc::clone(&s.document().unwrap().dataset);
        let khrenin = ds.actors.find("Viktar Khrenin").unwrap();
        let belarus = ds.actors.find("Belarus").unwrap();
        let iran = ds.actors.find("Iran").unwrap();
        set_note(&mut s, NoteSubject::Actor(khrenin), "Minister since 2021");
        set_note(&mut s, NoteSubject::tie(khrenin, iran), "Protocol signed");
        done(s.apply(Command::Edit(Edit::Merge {
            keep: belarus,
            merged: khrenin,
        })));
        assert_eq!(
            note(&s, NoteSubject::Actor(belarus)).as_deref(),
            Some("Minister since 2021")
        );
        assert_eq!(
            note(&s, NoteSubject::tie(belarus, iran)).as_deref(),
            Some("Protocol signed")
        );
        assert_eq!(note(&s, NoteSubject::Actor(khrenin)), None);
        done(s.apply(Command::Undo));
        assert_eq!(note(&s, NoteSubject::Actor(belarus)), None);
        assert_eq!(
            note(&s, NoteSubject::Actor(khrenin)).as_deref(),
            Some("Minister since 2021")
        );
        assert_eq!(
            note(&s, NoteSubject::tie(iran, khrenin)).as_deref(),
            Some("Protocol signed")
        );
        // Split off later (not an undo): the notes go back with the actor.
        done(s.apply(Command::Redo));
        done(s.apply(Command::SetPinned(vec![belarus], true)));
        assert_eq!(s.merged_into(belarus), [khrenin]);
        done(s.apply(Command::SplitOff {
            keep: belarus,
            merged: khrenin,
        }));
        assert_eq!(s.history().undo_label(), Some("split Viktar Khrenin off"));
        assert_eq!(
            note(&s, NoteSubject::Actor(khrenin)).as_deref(),
            Some("Minister since 2021")
        );
        assert_eq!(note(&s, NoteSubject::Actor(belarus)), None);
    }

    #[test]
    fn notes_are_saved_with_the_workspace_and_read_back() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("noted.relmap");
        let mut s = session();
        let ds = Arc::clone(&s.document().unwrap().dataset);
        let (belarus, iran) = (
            ds.actors.find("Belarus").unwrap(),
            ds.actors.find("Iran").unwrap(),
        );
        set_note(&mut s, NoteSubject::Actor(belarus), "An actor's note");
        set_note(&mut s, NoteSubject::tie(iran, belarus), "A tie's note");
        set_note(&mut s, NoteSubject::Event(4), "An event's note");
        done(s.apply(Command::SaveWorkspace(path.clone())));
        let (loaded, view) = workspace::open(&path, &crate::io::Progress::new()).unwrap();
        let mut again = Session::new(MapStyle::default(), None, None);
        let doc = Document::new("noted".into(), None, loaded);
        let effects = again.adopt(doc, Adopted::Workspace(path, view), false);
        assert_eq!(effects.warning, None);
        assert_eq!(again.document().unwrap().notes, s.document().unwrap().notes);
    }

    #[test]
    fn the_windows_theme_is_not_a_change_to_the_document() {
        let mut s = session();
        done(s.apply(Command::FollowTheme(Theme::Dark)));
        assert_eq!(s.style().theme, Theme::Dark);
        assert!(!s.has_unsaved_changes());
    }
}
