//! Application state and the one place where it changes: widgets push [`Command`]s, and
//! [`RelmapApp::apply`] carries them out between panels, so a change made in one panel is
//! seen by the panels drawn after it in the same frame.

use std::path::{Path, PathBuf};
use std::sync::mpsc::{Receiver, channel};

use eframe::egui::{self, Key, KeyboardShortcut, Modifiers, RichText, Ui};

use super::document::{Document, TimelineGroups};
use super::force_worker::ForceWorker;
use super::inspector::{ActorEditState, diagnostics_window, inspector_ui};
use super::map::{MapChoices, MapView, map_input, map_ui};
use super::mapping_dialog::{MappingDialog, mapping_window};
use super::table::{TableState, table_ui};
use super::timeline::{Highlight, TimelineState, timeline_ui};
use std::sync::Arc;
use std::time::Instant;

use std::collections::HashMap;

use crate::export::scene::{self, MapStyle};
use crate::export::style::{EdgeColouring, Theme};
use crate::io::{self, ColumnMap, LoadError, LoadOptions, Progress};
use crate::layout::LayoutKind;
use crate::model::{
    ActorId, ActorKind, DayNumber, Edit, EventClass, EventFilter, EventId, NewEvent, PartialDate,
    TimeWindow, event_record,
};
use crate::workspace::{self, SceneSpec, View};

/// Everything the user can ask for. Widgets emit these; `RelmapApp::apply` performs them.
#[derive(Clone, Debug, PartialEq)]
pub enum Command {
    Open(PathBuf),
    /// Open a CSV with an explicit column mapping (from the mapping dialog).
    OpenMapped(PathBuf, ColumnMap),
    CloseMappingDialog,
    OpenDialog,
    OpenSample,
    SetWindow(TimeWindow),
    /// Select one actor (or none), replacing the selection.
    Select(Option<ActorId>),
    /// Add an actor to the selection, or take it out.
    ToggleSelected(ActorId),
    /// Select the tie between two actors (and the two actors).
    SelectEdge(ActorId, ActorId),
    /// Select events (table rows), added to the selection or replacing it; their actors
    /// are selected with them.
    SelectEvents(Vec<EventId>, bool),
    /// Select the events (passing the filter) that start on these days, as `SelectEvents`.
    SelectDays(DayNumber, DayNumber, bool),
    /// Play or pause the window's playback.
    TogglePlayback,
    /// A line for the status bar.
    Notify(String),
    /// Save the workspace where it was saved last, or ask where.
    Save,
    SaveAsDialog,
    /// Write the workspace (`.relmap`) here.
    SaveWorkspace(PathBuf),
    /// The answer to "save the changes first?".
    AnswerUnsaved(UnsavedAnswer),
    /// Restore the work a crashed session autosaved, or throw it away.
    AnswerRecovery(bool),
    /// Change the data (undoable).
    Edit(Edit),
    /// Split an actor merged earlier off again (the merge is found in the undo list).
    SplitOff {
        keep: ActorId,
        merged: ActorId,
    },
    Undo,
    Redo,
    /// Save the current window, filters, camera and selection as a scene with this title.
    RecordScene(String),
    /// Show a scene, animating to it.
    GoToScene(usize),
    /// The next or the previous scene.
    StepScene(i32),
    DeleteScene(usize),
    /// Move a scene up or down the list.
    MoveScene(usize, i32),
    ShowScenes(bool),
    TogglePresentation,
    ToggleFullscreen,
    ShowShortcuts(bool),
    /// Ask where to write the table's events as CSV or JSON.
    ExportEventsDialog,
    ExportEvents(PathBuf),
    /// Open the event editor on an event, or on a new one.
    EditEventDialog(Option<EventId>),
    CloseEventDialog,
    /// Select these actors, added to the selection or replacing it.
    SelectActors(Vec<ActorId>, bool),
    /// Move a node by a world-space offset; it stays pinned there.
    MoveNode(ActorId, [f32; 2]),
    SetPinned(Vec<ActorId>, bool),
    /// Fold a country's members into it (or unfold); `None` is every country.
    SetCollapsed(Option<ActorId>, bool),
    /// Show only an actor's neighbourhood (`focus_hops` hops), or everything again.
    Focus(Option<ActorId>),
    SetFocusHops(u32),
    SetLayout(LayoutKind),
    SetFilter(EventFilter),
    SetStyle(MapStyle),
    /// Find an actor by (part of) its name, select it and centre the map on it.
    FindActor(String),
    /// Ask where to save an image of the map.
    ExportImageDialog,
    /// Write what the map shows as SVG or PNG (by the extension).
    ExportImage(PathBuf),
    FitView,
    /// Stop reading the file being loaded; the open document stays.
    CancelLoad,
    ShowDiagnostics(bool),
    DismissError,
    Quit,
}

/// What to do with unsaved changes before going on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum UnsavedAnswer {
    Save,
    Discard,
    Cancel,
}

/// How often unsaved work is written to the recovery file.
const AUTOSAVE_SECONDS: f64 = 60.0;
const RECOVERY_FILE: &str = "recovery.relmap";
const SAVE_SHORTCUT: KeyboardShortcut = KeyboardShortcut::new(Modifiers::COMMAND, Key::S);
const SAVE_AS_SHORTCUT: KeyboardShortcut =
    KeyboardShortcut::new(Modifiers::COMMAND.plus(Modifiers::SHIFT), Key::S);
const SHIFT_COMMAND: Modifiers = Modifiers::COMMAND.plus(Modifiers::SHIFT);
const SAMPLE_SHORTCUT: KeyboardShortcut = KeyboardShortcut::new(SHIFT_COMMAND, Key::O);
const EXPORT_EVENTS_SHORTCUT: KeyboardShortcut = KeyboardShortcut::new(SHIFT_COMMAND, Key::E);
const ADD_EVENT_SHORTCUT: KeyboardShortcut = KeyboardShortcut::new(SHIFT_COMMAND, Key::A);
const DIAGNOSTICS_SHORTCUT: KeyboardShortcut = KeyboardShortcut::new(SHIFT_COMMAND, Key::D);
const FILTERS_SHORTCUT: KeyboardShortcut = KeyboardShortcut::new(SHIFT_COMMAND, Key::L);
const TABLE_SHORTCUT: KeyboardShortcut = KeyboardShortcut::new(SHIFT_COMMAND, Key::T);
const HELP_SHORTCUT: KeyboardShortcut = KeyboardShortcut::new(Modifiers::NONE, Key::F1);
/// Ctrl+1 … Ctrl+4 pick the layouts, in `LayoutKind::ALL` order.
const LAYOUT_KEYS: [Key; 4] = [Key::Num1, Key::Num2, Key::Num3, Key::Num4];
const PRESENT_SHORTCUT: KeyboardShortcut = KeyboardShortcut::new(Modifiers::NONE, Key::F5);
const FULLSCREEN_SHORTCUT: KeyboardShortcut = KeyboardShortcut::new(Modifiers::NONE, Key::F11);
const SCENES_SHORTCUT: KeyboardShortcut =
    KeyboardShortcut::new(Modifiers::COMMAND.plus(Modifiers::SHIFT), Key::P);
/// How long the window takes to move to a scene's, in seconds.
const SCENE_SECONDS: f64 = 0.6;
/// Labels and nodes grow by this much when presenting.
const PRESENTATION_SCALE: f32 = 1.5;
const UNDO_SHORTCUT: KeyboardShortcut = KeyboardShortcut::new(Modifiers::COMMAND, Key::Z);
const REDO_SHORTCUT: KeyboardShortcut =
    KeyboardShortcut::new(Modifiers::COMMAND.plus(Modifiers::SHIFT), Key::Z);
const REDO_SHORTCUT_Y: KeyboardShortcut = KeyboardShortcut::new(Modifiers::COMMAND, Key::Y);
/// Most steps kept for undo.
const MAX_UNDO: usize = 200;

/// Something that can be done to the document and undone: applying one gives the one that
/// undoes it.
#[derive(Clone, Debug)]
enum Action {
    Data(Edit),
    /// Put an actor here, pinned or not.
    Place {
        actor: ActorId,
        at: crate::layout::Point,
        pinned: bool,
    },
    /// Set these actors' pins.
    Pins(Vec<(ActorId, bool)>),
}

/// One step of the undo or redo list: what the user did, and how to reverse it.
#[derive(Clone, Debug)]
struct Step {
    label: String,
    reverse: Action,
}

const RECENT_KEY: &str = "relmap.recent_files";
const MAPPINGS_KEY: &str = "relmap.column_mappings";
const MAX_RECENT: usize = 10;
const OPEN_SHORTCUT: KeyboardShortcut = KeyboardShortcut::new(Modifiers::COMMAND, Key::O);
const QUIT_SHORTCUT: KeyboardShortcut = KeyboardShortcut::new(Modifiers::COMMAND, Key::Q);
const FIT_SHORTCUT: KeyboardShortcut = KeyboardShortcut::new(Modifiers::NONE, Key::F);
const EXPORT_SHORTCUT: KeyboardShortcut = KeyboardShortcut::new(Modifiers::COMMAND, Key::E);
const FIND_SHORTCUT: KeyboardShortcut = KeyboardShortcut::new(Modifiers::COMMAND, Key::F);
const STYLE_KEY: &str = "relmap.map_style";
const LAYOUT_KEY: &str = "relmap.last_layout";

/// The event editor: a new event, or an existing one's fields as text.
struct EventDialog {
    event: Option<EventId>,
    date: String,
    end_date: String,
    /// Names separated by `;`, the initiator first.
    actors: String,
    event_type: String,
    class: EventClass,
    title: String,
    location: String,
    url: String,
    /// Fields the dialog does not show (coordinates, weight, line), kept as they were.
    base: NewEvent,
    problem: Option<String>,
}

impl EventDialog {
    fn new(doc: &Document, event: Option<EventId>) -> Self {
        let ds = &doc.dataset;
        let base = match event {
            Some(e) => event_record(ds, e),
            None => NewEvent {
                date: PartialDate::from_day(doc.window().to),
                weight: 1.0,
                ..NewEvent::default()
            },
        };
        let names: Vec<&str> = base
            .actors
            .iter()
            .map(|&a| ds.actors.get(a).name.as_str())
            .collect();
        Self {
            event,
            date: base.date.to_string(),
            end_date: base.end_date.map(|d| d.to_string()).unwrap_or_default(),
            actors: names.join("; "),
            event_type: base.event_type.clone(),
            class: base.class,
            title: base.title.clone(),
            location: base.location.clone(),
            url: base.url.clone(),
            base,
            problem: None,
        }
    }

    /// The event as entered; new actor names become actors of the document.
    fn build(&self, doc: &mut Document) -> Result<NewEvent, String> {
        let date = PartialDate::parse(&self.date).map_err(|e| format!("Date: {e}"))?;
        let end_date = match self.end_date.trim() {
            "" => None,
            text => Some(PartialDate::parse(text).map_err(|e| format!("End date: {e}"))?),
        };
        let names: Vec<&str> = self
            .actors
            .split(';')
            .map(str::trim)
            .filter(|n| !n.is_empty())
            .collect();
        if names.is_empty() {
            return Err("Actors: name at least one, separated by ;".into());
        }
        let before = doc.dataset.actors.len();
        let actors: Vec<ActorId> = names
            .iter()
            .filter_map(|n| doc.dataset.actors.intern(n, None))
            .collect();
        if doc.dataset.actors.len() != before {
            doc.refresh_derived();
        }
        Ok(NewEvent {
            date,
            end_date,
            actors,
            event_type: self.event_type.trim().to_string(),
            class: self.class,
            title: self.title.trim().to_string(),
            location: self.location.trim().to_string(),
            url: self.url.trim().to_string(),
            ..self.base.clone()
        })
    }
}

/// A file being read on a worker thread.
struct Loading {
    path: PathBuf,
    /// The document is built on the worker too: layout and indexes take time on big files.
    /// A workspace comes with its view.
    receiver: Receiver<Result<(Document, Option<View>), LoadError>>,
    progress: Arc<Progress>,
    started: Instant,
}

pub struct RelmapApp {
    doc: Option<Document>,
    view: MapView,
    timeline: TimelineState,
    /// Selected actors, the most recently selected last (the inspector shows it).
    selected: Vec<ActorId>,
    /// The selected tie, as its two actors.
    selected_edge: Option<(ActorId, ActorId)>,
    /// Events selected in the table or on the timeline (sorted).
    selected_events: Vec<EventId>,
    /// The events that belong to the selection, sorted: the selected events, else the
    /// tie's, else the selected actors'. The table marks them, the timeline draws them.
    highlight: Vec<EventId>,
    highlight_label: String,
    /// Changes whenever the selection does.
    selection_generation: u64,
    selection_changed: bool,
    table: TableState,
    show_table: bool,
    /// Where the workspace was saved or opened from.
    workspace_path: Option<PathBuf>,
    /// Changes since the workspace was saved (or the file opened).
    unsaved: bool,
    save_dialog: Option<Receiver<Option<PathBuf>>>,
    /// A command held back until the user says what to do with unsaved changes.
    confirm: Option<Command>,
    /// A command to carry out once a "Save As" has written the file.
    after_save: Option<Command>,
    /// The window may close: the user has answered for the unsaved changes.
    allow_close: bool,
    /// Where unsaved work is autosaved; `None` without persistence (tests).
    recovery_dir: Option<PathBuf>,
    /// A recovery file left by a session that did not end properly.
    recovery_offer: Option<PathBuf>,
    /// The file being loaded is the recovery file.
    restoring: bool,
    last_autosave: f64,
    undo: Vec<Step>,
    redo: Vec<Step>,
    /// The actor whose drag is being recorded as one step.
    moving: Option<ActorId>,
    event_dialog: Option<EventDialog>,
    actor_edit: ActorEditState,
    scenes: Vec<SceneSpec>,
    /// The scene shown last.
    scene_index: Option<usize>,
    show_scenes: bool,
    scene_title: String,
    presenting: bool,
    fullscreen: bool,
    show_shortcuts: bool,
    /// The window gliding to a scene's: from, to, and when it started.
    window_glide: Option<(TimeWindow, TimeWindow, f64)>,
    events_dialog: Option<Receiver<Option<PathBuf>>>,
    /// The background autosave's outcome: `Some(message)` when it failed.
    autosave_result: Option<Receiver<Option<String>>>,
    style: MapStyle,
    focus: Option<ActorId>,
    focus_hops: u32,
    search: String,
    search_miss: bool,
    show_filters: bool,
    /// The layout the user chose last, for the next file.
    preferred_layout: Option<LayoutKind>,
    force: Option<ForceWorker>,
    export_dialog: Option<Receiver<Option<PathBuf>>>,
    /// The last export's outcome, shown in the status bar.
    export_message: Option<String>,
    options: LoadOptions,
    loading: Option<Loading>,
    dialog: Option<Receiver<Option<PathBuf>>>,
    error: Option<String>,
    show_diagnostics: bool,
    recent: Vec<PathBuf>,
    /// Column mappings the user chose, by header, offered again for files with that header.
    mappings: HashMap<String, ColumnMap>,
    mapping_dialog: Option<MappingDialog>,
    pending: Vec<Command>,
}

impl RelmapApp {
    /// The app with `files[0]` loading (the others go to the recent list), or the bundled
    /// sample when no file is given.
    pub fn new(
        cc: &eframe::CreationContext<'_>,
        files: Vec<PathBuf>,
        options: LoadOptions,
    ) -> Self {
        super::install_fonts(&cc.egui_ctx);
        let recent = cc
            .storage
            .and_then(|s| eframe::get_value::<Vec<PathBuf>>(s, RECENT_KEY))
            .unwrap_or_default();
        let mut app = Self {
            doc: None,
            view: MapView::default(),
            timeline: TimelineState::default(),
            selected: Vec::new(),
            selected_edge: None,
            selected_events: Vec::new(),
            highlight: Vec::new(),
            highlight_label: String::new(),
            selection_generation: 0,
            selection_changed: false,
            table: TableState::default(),
            show_table: true,
            workspace_path: None,
            unsaved: false,
            save_dialog: None,
            confirm: None,
            after_save: None,
            allow_close: false,
            recovery_dir: cc.storage.and_then(|_| eframe::storage_dir("relmap")),
            recovery_offer: None,
            restoring: false,
            last_autosave: 0.0,
            undo: Vec::new(),
            redo: Vec::new(),
            moving: None,
            event_dialog: None,
            actor_edit: ActorEditState::default(),
            scenes: Vec::new(),
            scene_index: None,
            show_scenes: false,
            scene_title: String::new(),
            presenting: false,
            fullscreen: false,
            show_shortcuts: false,
            window_glide: None,
            events_dialog: None,
            autosave_result: None,
            style: cc
                .storage
                .and_then(|s| eframe::get_value(s, STYLE_KEY))
                .unwrap_or_default(),
            focus: None,
            focus_hops: 1,
            search: String::new(),
            search_miss: false,
            show_filters: true,
            preferred_layout: cc.storage.and_then(|s| eframe::get_value(s, LAYOUT_KEY)),
            force: None,
            export_dialog: None,
            export_message: None,
            options,
            loading: None,
            dialog: None,
            error: None,
            show_diagnostics: false,
            recent,
            mappings: cc
                .storage
                .and_then(|s| eframe::get_value(s, MAPPINGS_KEY))
                .unwrap_or_default(),
            mapping_dialog: None,
            pending: Vec::new(),
        };
        let mut files = files.into_iter();
        match files.next() {
            Some(first) => {
                for other in files.rev() {
                    app.remember(&other);
                }
                app.start_loading(&cc.egui_ctx, first);
            }
            None => app.open_sample(),
        }
        app.check_recovery();
        app
    }

    /// Autosaves go to `dir` (tests use a temporary folder); a recovery file there is
    /// offered for restoring.
    pub fn with_recovery_dir(mut self, dir: PathBuf) -> Self {
        self.recovery_dir = Some(dir);
        self.check_recovery();
        self
    }

    fn recovery_path(&self) -> Option<PathBuf> {
        self.recovery_dir.as_ref().map(|d| d.join(RECOVERY_FILE))
    }

    fn check_recovery(&mut self) {
        self.recovery_offer = self.recovery_path().filter(|p| p.exists());
    }

    /// Whether a recovery file from an earlier session is waiting for an answer.
    pub fn offers_recovery(&self) -> bool {
        self.recovery_offer.is_some()
    }

    pub fn has_unsaved_changes(&self) -> bool {
        self.unsaved
    }

    pub fn workspace_path(&self) -> Option<&Path> {
        self.workspace_path.as_deref()
    }

    /// Writes the unsaved work to the recovery file now (the app does this every minute).
    pub fn autosave(&mut self) -> std::io::Result<()> {
        let (Some(path), Some(doc)) = (self.recovery_path(), self.doc.as_mut()) else {
            return Ok(());
        };
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir)?;
        }
        let mut view = doc.workspace_view(&self.style);
        view.scenes = self.scenes.clone();
        // Edited data is written into the workspace: the source file no longer matches it.
        let source = (!doc.edited).then(|| doc.dataset.source.clone()).flatten();
        let data =
            workspace::choose_data(&doc.dataset, source.as_deref(), &mut doc.source_checksum)?;
        workspace::save(&path, &doc.dataset, data, &view)
    }

    /// The minute's autosave, written on a worker thread from a copy of the data: an edited
    /// file of a million events is hundreds of megabytes of JSON, which would stall the
    /// window. A failure shows in the status bar.
    fn autosave_in_background(&mut self) {
        let (Some(path), Some(doc)) = (self.recovery_path(), self.doc.as_mut()) else {
            return;
        };
        let mut view = doc.workspace_view(&self.style);
        view.scenes = self.scenes.clone();
        let source = (!doc.edited).then(|| doc.dataset.source.clone()).flatten();
        // The source's checksum is worked out (once) here, so that the copy can reuse it.
        if let Err(e) =
            workspace::choose_data(&doc.dataset, source.as_deref(), &mut doc.source_checksum)
        {
            self.export_message = Some(format!("Autosave failed: {e}"));
            return;
        }
        let dataset = doc.dataset.clone();
        let mut checksum = doc.source_checksum.clone();
        let (tx, rx) = channel();
        std::thread::spawn(move || {
            let result = path
                .parent()
                .map_or(Ok(()), std::fs::create_dir_all)
                .and_then(|()| workspace::choose_data(&dataset, source.as_deref(), &mut checksum))
                .and_then(|data| workspace::save(&path, &dataset, data, &view));
            let _ = tx.send(result.err().map(|e| e.to_string()));
        });
        self.autosave_result = Some(rx);
    }

    fn remove_recovery(&self) {
        if let Some(path) = self.recovery_path() {
            let _ = std::fs::remove_file(path);
        }
    }

    /// Writes the workspace; on success it is the document's file from now on.
    fn save_workspace(&mut self, path: &Path) -> bool {
        let Some(doc) = self.doc.as_mut() else {
            return false;
        };
        let mut view = doc.workspace_view(&self.style);
        view.scenes = self.scenes.clone();
        // Edited data is written into the workspace: the source file no longer matches it.
        let source = (!doc.edited).then(|| doc.dataset.source.clone()).flatten();
        let result =
            workspace::choose_data(&doc.dataset, source.as_deref(), &mut doc.source_checksum)
                .and_then(|data| workspace::save(path, &doc.dataset, data, &view));
        match result {
            Ok(()) => {
                self.workspace_path = Some(path.to_path_buf());
                self.unsaved = false;
                self.remove_recovery();
                self.remember(path);
                self.export_message = Some(format!("Saved {}", path.display()));
                true
            }
            Err(e) => {
                self.error = Some(format!("Could not save {}: {e}", path.display()));
                false
            }
        }
    }

    fn save_dialog(&mut self, ctx: &egui::Context) {
        if self.save_dialog.is_some() {
            return;
        }
        let stem = self
            .doc
            .as_ref()
            .map(|d| {
                d.name
                    .split(['.', ' '])
                    .next()
                    .unwrap_or("workspace")
                    .to_string()
            })
            .unwrap_or_else(|| "workspace".into());
        let dialog = rfd::AsyncFileDialog::new()
            .set_title("Save the workspace")
            .set_file_name(format!("{stem}.relmap"))
            .add_filter("relmap workspace", &["relmap"]);
        let (tx, rx) = channel();
        let ctx = ctx.clone();
        std::thread::spawn(move || {
            let answer = pollster::block_on(dialog.save_file()).map(|f| f.path().to_path_buf());
            let _ = tx.send(answer);
            ctx.request_repaint();
        });
        self.save_dialog = Some(rx);
    }

    pub fn document(&self) -> Option<&Document> {
        self.doc.as_ref()
    }

    /// The actor the inspector shows: the one selected last.
    pub fn selected(&self) -> Option<ActorId> {
        self.selected.last().copied()
    }

    pub fn selection(&self) -> &[ActorId] {
        &self.selected
    }

    /// The selected tie, if any.
    pub fn selected_edge(&self) -> Option<(ActorId, ActorId)> {
        self.selected_edge
    }

    /// The selection's events (sorted): what the table marks and the timeline draws.
    pub fn highlighted_events(&self) -> &[EventId] {
        &self.highlight
    }

    /// The event table's rows, in the order shown.
    pub fn table_rows(&self) -> &[EventId] {
        self.table.rows()
    }

    pub fn timeline(&self) -> &TimelineState {
        &self.timeline
    }

    pub fn map_view(&self) -> &MapView {
        &self.view
    }

    pub fn style(&self) -> &MapStyle {
        &self.style
    }

    pub fn focus(&self) -> Option<ActorId> {
        self.focus
    }

    pub fn is_loading(&self) -> bool {
        self.loading.is_some()
    }

    pub fn error(&self) -> Option<&str> {
        self.error.as_deref()
    }

    pub fn is_asking_for_a_mapping(&self) -> bool {
        self.mapping_dialog.is_some()
    }

    /// The mapping the open mapping dialog shows (for tests).
    pub fn mapping_in_dialog(&self) -> Option<ColumnMap> {
        self.mapping_dialog.as_ref().map(MappingDialog::mapping)
    }

    pub fn recent_files(&self) -> &[PathBuf] {
        &self.recent
    }

    fn open_sample(&mut self) {
        let path = Path::new("belarus-iran.csv");
        match io::load_bytes(crate::SAMPLE_CSV.as_bytes(), path, &LoadOptions::default()) {
            Ok(loaded) => self.set_document(Document::new(crate::SAMPLE_NAME.into(), None, loaded)),
            Err(e) => self.error = Some(format!("The bundled sample could not be read: {e}")),
        }
    }

    fn set_document(&mut self, mut doc: Document) {
        self.force = None;
        if let Some(kind) = self.preferred_layout
            && kind != doc.layout
            && kind != LayoutKind::Force
        {
            doc.set_layout(kind);
            doc.positions = doc.target.clone();
        }
        self.doc = Some(doc);
        self.selected.clear();
        self.selected_edge = None;
        self.selected_events.clear();
        self.selection_changed = true;
        self.timeline = TimelineState::default();
        self.focus = None;
        self.view = MapView::default();
        self.show_diagnostics = false;
        self.workspace_path = None;
        self.unsaved = false;
        self.undo.clear();
        self.redo.clear();
        self.moving = None;
        self.event_dialog = None;
        self.scenes.clear();
        self.scene_index = None;
        self.window_glide = None;
    }

    /// The scenes recorded for this document.
    pub fn scenes(&self) -> &[SceneSpec] {
        &self.scenes
    }

    pub fn is_presenting(&self) -> bool {
        self.presenting
    }

    /// The current state as a scene.
    fn current_scene_spec(&self, title: &str) -> Option<SceneSpec> {
        let doc = self.doc.as_ref()?;
        let mut scene = SceneSpec::new(title, &doc.dataset, doc.window(), &doc.counts.filter);
        let camera = self.view.camera_target.unwrap_or(self.view.camera);
        scene.camera = Some([camera.centre[0], camera.centre[1], camera.zoom]);
        scene.selected = self
            .selected
            .iter()
            .map(|&a| doc.dataset.actors.get(a).name.clone())
            .collect();
        Some(scene)
    }

    fn go_to_scene(&mut self, ctx: &egui::Context, index: usize) {
        let (Some(scene), Some(doc)) = (self.scenes.get(index).cloned(), self.doc.as_ref()) else {
            return;
        };
        self.scene_index = Some(index);
        let filter = scene.filter(&doc.dataset);
        let selected: Vec<ActorId> = scene
            .selected
            .iter()
            .filter_map(|n| doc.dataset.actors.find(n))
            .collect();
        if let Some(window) = scene.time_window() {
            let now = ctx.input(|i| i.time);
            self.window_glide = Some((doc.window(), window, now));
        }
        if let Some([x, y, zoom]) = scene.camera {
            self.view.camera_target = Some(crate::export::scene::Camera {
                centre: [x, y],
                zoom,
            });
        }
        if filter != doc.counts.filter {
            self.apply(ctx, Command::SetFilter(filter));
        }
        self.apply(ctx, Command::SelectActors(selected, false));
    }

    /// Moves the window a step along its glide to a scene's.
    fn glide_window(&mut self, ctx: &egui::Context) {
        let Some((from, to, started)) = self.window_glide else {
            return;
        };
        let t = ((ctx.input(|i| i.time) - started) / SCENE_SECONDS).clamp(0.0, 1.0);
        // Ease in and out.
        let k = t * t * (3.0 - 2.0 * t);
        let lerp = |a: DayNumber, b: DayNumber| a + ((b - a) as f64 * k).round() as DayNumber;
        let w = TimeWindow::new(lerp(from.from, to.from), lerp(from.to, to.to));
        if let Some(doc) = &mut self.doc {
            doc.set_window(w);
        }
        if t >= 1.0 {
            self.window_glide = None;
            self.restart_force(ctx);
        } else {
            ctx.request_repaint();
        }
    }

    fn export_events_dialog(&mut self, ctx: &egui::Context) {
        if self.events_dialog.is_some() {
            return;
        }
        let dialog = rfd::AsyncFileDialog::new()
            .set_title("Export the events in the table")
            .set_file_name("events.csv")
            .add_filter("CSV", &["csv"])
            .add_filter("JSON", &["json"]);
        let (tx, rx) = channel();
        let ctx = ctx.clone();
        std::thread::spawn(move || {
            let answer = pollster::block_on(dialog.save_file()).map(|f| f.path().to_path_buf());
            let _ = tx.send(answer);
            ctx.request_repaint();
        });
        self.events_dialog = Some(rx);
    }

    /// Writes the table's events (window, filters, search) as native CSV or JSON.
    fn export_events(&mut self, path: &Path) {
        let Some(doc) = &self.doc else {
            return;
        };
        let mut rows = self.table.rows().to_vec();
        rows.sort_unstable();
        let json = path
            .extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("json"));
        let mut bytes = Vec::new();
        let written = if json {
            io::write::write_native_json(&doc.dataset, &rows, &mut bytes)
        } else {
            io::write::write_native_csv(&doc.dataset, &rows, &mut bytes, b',')
        }
        .and_then(|()| crate::export::file::write_file_atomically(path, &bytes));
        self.export_message = Some(match written {
            Ok(()) => format!("Wrote {} events to {}", rows.len(), path.display()),
            Err(e) => format!("Could not write {}: {e}", path.display()),
        });
    }

    /// Actors merged into `keep` that can be split off again.
    pub fn merged_into(&self, keep: ActorId) -> Vec<ActorId> {
        self.undo
            .iter()
            .filter_map(|step| match &step.reverse {
                Action::Data(Edit::Split {
                    keep: k, merged, ..
                }) if *k == keep => Some(*merged),
                _ => None,
            })
            .collect()
    }

    /// What Edit ▸ Undo would undo.
    pub fn undo_label(&self) -> Option<&str> {
        self.undo.last().map(|s| s.label.as_str())
    }

    pub fn redo_label(&self) -> Option<&str> {
        self.redo.last().map(|s| s.label.as_str())
    }

    /// Carries out an action; returns the one that reverses it.
    fn perform(&mut self, ctx: &egui::Context, action: Action) -> Result<Action, String> {
        let doc = self.doc.as_mut().ok_or("no document")?;
        let reverse = match action {
            Action::Data(edit) => {
                let applied = edit.apply(&mut doc.dataset)?;
                doc.after_edit();
                if let Some(map) = &applied.new_id {
                    for step in self.undo.iter_mut().chain(self.redo.iter_mut()) {
                        if let Action::Data(e) = &mut step.reverse {
                            e.remap(map);
                        }
                    }
                }
                // Event ids moved: the event selection goes, the actors stay.
                self.selected_events.clear();
                self.selected_edge = None;
                self.selection_changed = true;
                Action::Data(applied.inverse)
            }
            Action::Place { actor, at, pinned } => {
                let a = actor as usize;
                if a >= doc.target.len() {
                    return Err(format!("no actor {actor}"));
                }
                let reverse = Action::Place {
                    actor,
                    at: doc.target[a],
                    pinned: doc.pinned[a],
                };
                doc.target[a] = at;
                doc.pinned[a] = pinned;
                if let Some(worker) = &self.force {
                    if pinned {
                        worker.pin(a, at);
                    } else {
                        worker.unpin(a);
                    }
                }
                reverse
            }
            Action::Pins(pins) => {
                let mut before = Vec::with_capacity(pins.len());
                for (a, pinned) in pins {
                    if let Some(p) = doc.pinned.get_mut(a as usize) {
                        before.push((a, *p));
                        *p = pinned;
                        if let Some(worker) = &self.force {
                            if pinned {
                                worker.pin(a as usize, doc.target[a as usize]);
                            } else {
                                worker.unpin(a as usize);
                            }
                        }
                    }
                }
                Action::Pins(before)
            }
        };
        self.unsaved = true;
        if matches!(reverse, Action::Data(_)) {
            self.restart_force(ctx);
        }
        Ok(reverse)
    }

    /// Does something new: recorded for undo, and the redo list is dropped.
    fn record(&mut self, ctx: &egui::Context, label: String, action: Action) {
        match self.perform(ctx, action) {
            Ok(reverse) => {
                self.undo.push(Step { label, reverse });
                if self.undo.len() > MAX_UNDO {
                    self.undo.remove(0);
                }
                self.redo.clear();
            }
            Err(message) => self.error = Some(format!("Could not {label}: {message}")),
        }
    }

    /// Tells the force worker (starting it if needed) that the window or filters changed.
    fn restart_force(&mut self, ctx: &egui::Context) {
        let Some(doc) = &self.doc else { return };
        if doc.layout != LayoutKind::Force {
            self.force = None;
            return;
        }
        match &self.force {
            Some(worker) => worker.set_window(&doc.counts.pair_events),
            None => {
                let ctx = ctx.clone();
                self.force = Some(ForceWorker::start(
                    &doc.dataset,
                    &doc.target,
                    &doc.pinned,
                    &doc.counts.pair_events,
                    move || ctx.request_repaint(),
                ));
            }
        }
    }

    /// The picture the map shows now, at the map's size, for export.
    fn current_scene(&self, measure: &dyn Fn(&str, f32, bool) -> f32) -> Option<scene::Scene> {
        let doc = self.doc.as_ref()?;
        let choices = MapChoices {
            style: &self.style,
            selected: &self.selected,
            selected_edge: self.selected_edge,
            focus: self.focus.map(|f| (f, self.focus_hops)),
        };
        let input = map_input(
            doc,
            &choices,
            self.view.camera,
            self.view.last_size,
            None,
            &[],
        );
        Some(scene::build(&input, measure))
    }

    fn export_image(&mut self, path: &Path) {
        let measure =
            |t: &str, size: f32, bold: bool| crate::export::font::text_width(t, size, bold);
        let Some(mut picture) = self.current_scene(&measure) else {
            return;
        };
        if let Some(doc) = &self.doc {
            picture.caption = Some(crate::export::caption(
                &doc.dataset,
                doc.window(),
                &self.style,
                picture.width,
                &measure,
            ));
        }
        let result = crate::export::write_image(&picture, path);
        self.export_message = Some(match result {
            Ok(()) => format!("Saved {}", path.display()),
            Err(e) => format!("Could not save {}: {e}", path.display()),
        });
    }

    fn export_dialog(&mut self, ctx: &egui::Context) {
        if self.export_dialog.is_some() {
            return;
        }
        let stem = self
            .doc
            .as_ref()
            .map(|d| d.name.split(['.', ' ']).next().unwrap_or("map").to_string())
            .unwrap_or_else(|| "map".into());
        let dialog = rfd::AsyncFileDialog::new()
            .set_title("Export image of the map")
            .set_file_name(format!("{stem}.svg"))
            .add_filter("SVG image", &["svg"])
            .add_filter("PNG image", &["png"]);
        let (tx, rx) = channel();
        let ctx = ctx.clone();
        std::thread::spawn(move || {
            let answer = pollster::block_on(dialog.save_file()).map(|f| f.path().to_path_buf());
            let _ = tx.send(answer);
            ctx.request_repaint();
        });
        self.export_dialog = Some(rx);
    }

    fn remember(&mut self, path: &Path) {
        let path = std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf());
        self.recent.retain(|p| p != &path);
        self.recent.insert(0, path);
        self.recent.truncate(MAX_RECENT);
    }

    /// Reads `path` on a worker thread; the current document stays usable meanwhile.
    fn start_loading(&mut self, ctx: &egui::Context, path: PathBuf) {
        let options = self.options.clone();
        self.start_loading_with(ctx, path, options);
    }

    fn start_loading_with(&mut self, ctx: &egui::Context, path: PathBuf, options: LoadOptions) {
        let (sender, receiver) = channel();
        let ctx = ctx.clone();
        let worker_path = path.clone();
        let progress = Arc::new(Progress::new());
        let worker_progress = Arc::clone(&progress);
        if let Some(old) = self.loading.take() {
            old.progress.cancel();
        }
        std::thread::spawn(move || {
            let name = worker_path
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_else(|| worker_path.display().to_string());
            let result = workspace::load_any(&worker_path, &options, &worker_progress).map(
                |(loaded, view)| (Document::new(name, Some(worker_path.clone()), loaded), view),
            );
            let _ = sender.send(result);
            ctx.request_repaint();
        });
        self.loading = Some(Loading {
            path,
            receiver,
            progress,
            started: Instant::now(),
        });
    }

    /// Opens the native dialog. It is awaited on a worker so the UI keeps drawing; the
    /// chosen path comes back over a channel.
    fn open_dialog(&mut self, ctx: &egui::Context) {
        if self.dialog.is_some() {
            return;
        }
        let mut dialog = rfd::AsyncFileDialog::new()
            .set_title("Open an event file")
            .add_filter(
                "Event files and workspaces",
                &["csv", "tsv", "tab", "txt", "json", "relmap"],
            )
            .add_filter("All files", &["*"]);
        if let Some(dir) = self.recent.first().and_then(|p| p.parent()) {
            dialog = dialog.set_directory(dir);
        }
        let future = dialog.pick_file();
        let (sender, receiver) = channel();
        let ctx = ctx.clone();
        std::thread::spawn(move || {
            let picked = pollster::block_on(future).map(|h| h.path().to_path_buf());
            let _ = sender.send(picked);
            ctx.request_repaint();
        });
        self.dialog = Some(receiver);
    }

    /// Takes finished loads and dialog answers.
    fn poll_workers(&mut self, ctx: &egui::Context) {
        if let Some(dialog) = &self.save_dialog
            && let Ok(answer) = dialog.try_recv()
        {
            self.save_dialog = None;
            match answer {
                Some(path) => self.pending.push(Command::SaveWorkspace(path)),
                None => self.after_save = None,
            }
        }
        if let Some(result) = &self.autosave_result
            && let Ok(outcome) = result.try_recv()
        {
            self.autosave_result = None;
            if let Some(problem) = outcome {
                self.export_message = Some(format!("Autosave failed: {problem}"));
            }
        }
        if let Some(dialog) = &self.events_dialog
            && let Ok(answer) = dialog.try_recv()
        {
            self.events_dialog = None;
            if let Some(path) = answer {
                self.pending.push(Command::ExportEvents(path));
            }
        }
        if let Some(dialog) = &self.export_dialog
            && let Ok(answer) = dialog.try_recv()
        {
            self.export_dialog = None;
            if let Some(path) = answer {
                self.pending.push(Command::ExportImage(path));
            }
        }
        if let (Some(worker), Some(doc)) = (&self.force, &mut self.doc)
            && let Some(positions) = worker.take_positions()
        {
            doc.take_force_positions(&positions);
        }
        if let Some(doc) = &mut self.doc {
            let dt = ctx.input(|i| i.stable_dt);
            if doc.animate(dt) {
                ctx.request_repaint();
            }
        }
        if let Some(dialog) = &self.dialog
            && let Ok(answer) = dialog.try_recv()
        {
            self.dialog = None;
            if let Some(path) = answer {
                self.pending.push(Command::Open(path));
            }
        }
        if let Some(loading) = &self.loading
            && let Ok(result) = loading.receiver.try_recv()
        {
            let path = loading.path.clone();
            self.loading = None;
            match result {
                Ok((doc, view)) => {
                    let restored = std::mem::take(&mut self.restoring);
                    if !restored {
                        self.remember(&path);
                    }
                    self.set_document(doc);
                    self.error = None;
                    if let (Some(view), Some(doc)) = (view, self.doc.as_mut()) {
                        doc.apply_view(&view);
                        self.style = view.style.clone();
                        self.scenes = view.scenes.clone();
                        // The workspace's theme becomes the window's.
                        ctx.set_theme(match view.style.theme {
                            Theme::Dark => egui::ThemePreference::Dark,
                            Theme::Light => egui::ThemePreference::Light,
                        });
                        self.workspace_path = (!restored).then(|| path.clone());
                        self.unsaved = restored;
                        self.restart_force(ctx);
                        self.view.fit_pending = true;
                    }
                }
                Err(LoadError {
                    needs_mapping: Some(preview),
                    ..
                }) => {
                    let start = self
                        .mappings
                        .get(&preview.header_key())
                        .cloned()
                        .unwrap_or_else(|| io::guess_mapping(&preview));
                    self.mapping_dialog = Some(MappingDialog::new(path, preview, &start));
                }
                Err(err) => {
                    let mut text = err.to_string();
                    if let Some(d) = err.errors.first() {
                        text.push_str(&format!(
                            "\nFirst problem: line {}, column {}: {}",
                            d.line, d.column, d.message
                        ));
                    }
                    self.error = Some(text);
                }
            }
            ctx.request_repaint();
        }
    }

    /// Files dropped on the window open like File ▸ Open.
    fn take_dropped_files(&mut self, ctx: &egui::Context) {
        let dropped = ctx.input(|i| i.raw.dropped_files.clone());
        if let Some(file) = dropped.first() {
            self.pending.push(Command::Open(file.path().to_path_buf()));
        }
    }

    fn take_shortcuts(&mut self, ctx: &egui::Context) {
        let typing = ctx.egui_wants_keyboard_input();
        ctx.input_mut(|i| {
            if i.consume_shortcut(&OPEN_SHORTCUT) {
                self.pending.push(Command::OpenDialog);
            }
            if i.consume_shortcut(&SAMPLE_SHORTCUT) {
                self.pending.push(Command::OpenSample);
            }
            if i.consume_shortcut(&EXPORT_EVENTS_SHORTCUT) {
                self.pending.push(Command::ExportEventsDialog);
            }
            if i.consume_shortcut(&ADD_EVENT_SHORTCUT) {
                self.pending.push(Command::EditEventDialog(None));
            }
            if i.consume_shortcut(&DIAGNOSTICS_SHORTCUT) {
                self.pending.push(Command::ShowDiagnostics(true));
            }
            if i.consume_shortcut(&FILTERS_SHORTCUT) {
                self.show_filters = !self.show_filters;
            }
            if i.consume_shortcut(&TABLE_SHORTCUT) {
                self.show_table = !self.show_table;
            }
            if i.consume_shortcut(&HELP_SHORTCUT) {
                self.pending
                    .push(Command::ShowShortcuts(!self.show_shortcuts));
            }
            for (kind, key) in LayoutKind::ALL.into_iter().zip(LAYOUT_KEYS) {
                if i.consume_shortcut(&KeyboardShortcut::new(Modifiers::COMMAND, key)) {
                    self.pending.push(Command::SetLayout(kind));
                }
            }
            if i.consume_shortcut(&PRESENT_SHORTCUT) {
                self.pending.push(Command::TogglePresentation);
            }
            if i.consume_shortcut(&FULLSCREEN_SHORTCUT) {
                self.pending.push(Command::ToggleFullscreen);
            }
            if i.consume_shortcut(&SCENES_SHORTCUT) {
                self.pending.push(Command::ShowScenes(!self.show_scenes));
            }
            if self.presenting && !typing {
                for key in [Key::ArrowRight, Key::PageDown, Key::ArrowDown] {
                    if i.consume_key(Modifiers::NONE, key) {
                        self.pending.push(Command::StepScene(1));
                    }
                }
                for key in [Key::ArrowLeft, Key::PageUp, Key::ArrowUp] {
                    if i.consume_key(Modifiers::NONE, key) {
                        self.pending.push(Command::StepScene(-1));
                    }
                }
                if i.consume_key(Modifiers::NONE, Key::Escape) {
                    self.pending.push(Command::TogglePresentation);
                }
            }
            if !typing && i.consume_shortcut(&REDO_SHORTCUT) {
                self.pending.push(Command::Redo);
            }
            if !typing && i.consume_shortcut(&REDO_SHORTCUT_Y) {
                self.pending.push(Command::Redo);
            }
            if !typing && i.consume_shortcut(&UNDO_SHORTCUT) {
                self.pending.push(Command::Undo);
            }
            if i.consume_shortcut(&SAVE_AS_SHORTCUT) {
                self.pending.push(Command::SaveAsDialog);
            }
            if i.consume_shortcut(&SAVE_SHORTCUT) {
                self.pending.push(Command::Save);
            }
            if i.consume_shortcut(&QUIT_SHORTCUT) {
                self.pending.push(Command::Quit);
            }
            if !typing && i.consume_key(Modifiers::NONE, Key::Space) {
                self.pending.push(Command::TogglePlayback);
            }
            if !typing && i.consume_shortcut(&FIT_SHORTCUT) {
                self.pending.push(Command::FitView);
            }
            if i.consume_shortcut(&EXPORT_SHORTCUT) {
                self.pending.push(Command::ExportImageDialog);
            }
            if !typing && i.consume_key(Modifiers::NONE, Key::Escape) {
                if self.focus.is_some() {
                    self.pending.push(Command::Focus(None));
                } else {
                    self.pending.push(Command::Select(None));
                }
            }
        });
    }

    /// Carries out the queued commands.
    fn apply_pending(&mut self, ctx: &egui::Context) {
        for command in std::mem::take(&mut self.pending) {
            self.apply(ctx, command);
        }
        if std::mem::take(&mut self.selection_changed) {
            self.update_highlight();
        }
    }

    /// Works out the selection's events after the selection changed.
    fn update_highlight(&mut self) {
        self.selection_generation += 1;
        self.highlight.clear();
        self.highlight_label.clear();
        let Some(doc) = &self.doc else {
            return;
        };
        let ds = &doc.dataset;
        if !self.selected_events.is_empty() {
            self.highlight = self.selected_events.clone();
            self.highlight_label = format!(
                "{} selected event{}",
                self.highlight.len(),
                if self.highlight.len() == 1 { "" } else { "s" }
            );
        } else if let Some((a, b)) = self.selected_edge {
            if let Some(pair) = doc.index.pair(a, b) {
                self.highlight = doc.index.events_of_pair(pair).to_vec();
            }
            self.highlight_label = format!("{} – {}", ds.actors.get(a).name, ds.actors.get(b).name);
        } else if !self.selected.is_empty() {
            for &a in &self.selected {
                self.highlight
                    .extend_from_slice(doc.index.events_of_actor(a));
            }
            self.highlight.sort_unstable();
            self.highlight.dedup();
            self.highlight_label = match self.selected.as_slice() {
                [one] => ds.actors.get(*one).name.clone(),
                many => format!("{} actors", many.len()),
            };
        }
    }

    pub fn apply(&mut self, ctx: &egui::Context, command: Command) {
        // Leaving the document with unsaved changes asks first.
        let leaves = matches!(
            command,
            Command::Open(_)
                | Command::OpenMapped(..)
                | Command::OpenDialog
                | Command::OpenSample
                | Command::Quit
        );
        if leaves && self.unsaved {
            self.confirm = Some(command);
            return;
        }
        if !matches!(command, Command::MoveNode(..)) {
            self.moving = None;
        }
        // What a workspace keeps.
        if matches!(
            command,
            Command::SetWindow(_)
                | Command::MoveNode(..)
                | Command::SetPinned(..)
                | Command::SetCollapsed(..)
                | Command::SetLayout(_)
                | Command::SetFilter(_)
                | Command::SetStyle(_)
        ) && self.doc.is_some()
        {
            self.unsaved = true;
        }
        match command {
            Command::Open(path) => self.start_loading(ctx, path),
            Command::OpenMapped(path, mapping) => {
                if let Some(dialog) = self.mapping_dialog.take() {
                    self.mappings
                        .insert(dialog.preview.header_key(), mapping.clone());
                }
                let options = LoadOptions {
                    format: io::FormatChoice::Csv,
                    mapping: Some(mapping),
                };
                self.start_loading_with(ctx, path, options);
            }
            Command::CloseMappingDialog => self.mapping_dialog = None,
            Command::OpenDialog => self.open_dialog(ctx),
            Command::OpenSample => self.open_sample(),
            Command::SetWindow(window) => {
                if let Some(doc) = &mut self.doc {
                    let before = doc.window();
                    doc.set_window(window);
                    if doc.window() != before {
                        self.restart_force(ctx);
                    }
                }
            }
            Command::Select(actor) => {
                self.selected.clear();
                self.selected.extend(actor);
                self.selected_edge = None;
                self.selected_events.clear();
                self.selection_changed = true;
            }
            Command::SelectEdge(a, b) => {
                self.selected = vec![a, b];
                self.selected_edge = Some((a, b));
                self.selected_events.clear();
                self.selection_changed = true;
            }
            Command::SelectEvents(events, add) => self.select_events(events, add),
            Command::SelectDays(from, to, add) => {
                if let Some(doc) = &self.doc {
                    let ds = &doc.dataset;
                    let lo = ds.start.partition_point(|&s| s < from) as EventId;
                    let hi = ds.start.partition_point(|&s| s <= to) as EventId;
                    let events: Vec<EventId> = (lo..hi)
                        .filter(|&e| doc.counts.filter.accepts(ds, e))
                        .collect();
                    self.select_events(events, add);
                }
            }
            Command::TogglePlayback => {
                if let Some(doc) = &self.doc {
                    let mut commands = Vec::new();
                    self.timeline.toggle_playback(doc, &mut commands);
                    for c in commands {
                        self.apply(ctx, c);
                    }
                }
            }
            Command::Notify(text) => self.export_message = Some(text),
            Command::ToggleSelected(actor) => {
                self.selected_edge = None;
                self.selected_events.clear();
                self.selection_changed = true;
                if let Some(i) = self.selected.iter().position(|&a| a == actor) {
                    self.selected.remove(i);
                } else {
                    self.selected.push(actor);
                }
            }
            Command::SelectActors(actors, add) => {
                self.selected_edge = None;
                self.selected_events.clear();
                self.selection_changed = true;
                if !add {
                    self.selected.clear();
                }
                for a in actors {
                    if !self.selected.contains(&a) {
                        self.selected.push(a);
                    }
                }
            }
            Command::MoveNode(actor, delta) => {
                if let Some(doc) = &mut self.doc {
                    let a = actor as usize;
                    // A drag is many moves: the first records the step that undoes them all.
                    if self.moving != Some(actor) && a < doc.target.len() {
                        let name = doc.dataset.actors.get(actor).name.clone();
                        self.undo.push(Step {
                            label: format!("move {name}"),
                            reverse: Action::Place {
                                actor,
                                at: doc.target[a],
                                pinned: doc.pinned[a],
                            },
                        });
                        self.redo.clear();
                        self.moving = Some(actor);
                    }
                    doc.move_actor(actor, delta);
                    if let Some(worker) = &self.force {
                        worker.pin(actor as usize, doc.target[actor as usize]);
                    }
                }
            }
            Command::SetPinned(actors, pinned) => {
                let label = match actors.as_slice() {
                    [one] => {
                        let name = self
                            .doc
                            .as_ref()
                            .map(|d| d.dataset.actors.get(*one).name.clone())
                            .unwrap_or_default();
                        format!("{} {name}", if pinned { "pin" } else { "unpin" })
                    }
                    many => format!(
                        "{} {} actors",
                        if pinned { "pin" } else { "unpin" },
                        many.len()
                    ),
                };
                let pins = actors.into_iter().map(|a| (a, pinned)).collect();
                self.record(ctx, label, Action::Pins(pins));
            }
            Command::Edit(edit) => {
                let label = self
                    .doc
                    .as_ref()
                    .map(|d| edit.label(&d.dataset))
                    .unwrap_or_default();
                self.record(ctx, label, Action::Data(edit));
            }
            Command::SplitOff { keep, merged } => {
                let found = self.undo.iter().rposition(|step| {
                    matches!(&step.reverse, Action::Data(Edit::Split { keep: k, merged: m, .. })
                        if *k == keep && *m == merged)
                });
                if let Some(i) = found {
                    let step = self.undo.remove(i);
                    if let Action::Data(split) = step.reverse {
                        let label = self
                            .doc
                            .as_ref()
                            .map(|d| split.label(&d.dataset))
                            .unwrap_or_default();
                        self.record(ctx, label, Action::Data(split));
                    }
                }
            }
            Command::Undo | Command::Redo => {
                let undoing = command == Command::Undo;
                let step = if undoing {
                    self.undo.pop()
                } else {
                    self.redo.pop()
                };
                if let Some(step) = step {
                    match self.perform(ctx, step.reverse) {
                        Ok(reverse) => {
                            let back = Step {
                                label: step.label,
                                reverse,
                            };
                            if undoing {
                                self.redo.push(back);
                            } else {
                                self.undo.push(back);
                            }
                        }
                        Err(message) => {
                            self.error = Some(format!("Could not undo {}: {message}", step.label))
                        }
                    }
                }
            }
            Command::RecordScene(title) => {
                let title = if title.trim().is_empty() {
                    format!("Scene {}", self.scenes.len() + 1)
                } else {
                    title.trim().to_string()
                };
                if let Some(scene) = self.current_scene_spec(&title) {
                    self.scenes.push(scene);
                    self.scene_index = Some(self.scenes.len() - 1);
                    self.unsaved = true;
                }
            }
            Command::GoToScene(index) => self.go_to_scene(ctx, index),
            Command::StepScene(step) => {
                if !self.scenes.is_empty() {
                    let last = self.scenes.len() as i64 - 1;
                    let next = match self.scene_index {
                        Some(i) => (i as i64 + step as i64).clamp(0, last),
                        None if step >= 0 => 0,
                        None => last,
                    } as usize;
                    self.go_to_scene(ctx, next);
                }
            }
            Command::DeleteScene(index) => {
                if index < self.scenes.len() {
                    self.scenes.remove(index);
                    self.scene_index = None;
                    self.unsaved = true;
                }
            }
            Command::MoveScene(index, by) => {
                let to = index as i64 + by as i64;
                if index < self.scenes.len() && to >= 0 && (to as usize) < self.scenes.len() {
                    self.scenes.swap(index, to as usize);
                    self.unsaved = true;
                }
            }
            Command::ShowScenes(show) => self.show_scenes = show,
            Command::TogglePresentation => {
                self.presenting = !self.presenting;
                self.fullscreen = self.presenting;
                ctx.send_viewport_cmd(egui::ViewportCommand::Fullscreen(self.presenting));
                // A presentation starts at the first scene.
                if self.presenting && !self.scenes.is_empty() {
                    self.go_to_scene(ctx, 0);
                } else {
                    self.view.fit_pending = true;
                }
            }
            Command::ToggleFullscreen => {
                self.fullscreen = !self.fullscreen;
                ctx.send_viewport_cmd(egui::ViewportCommand::Fullscreen(self.fullscreen));
            }
            Command::ShowShortcuts(show) => self.show_shortcuts = show,
            Command::ExportEventsDialog => self.export_events_dialog(ctx),
            Command::ExportEvents(path) => self.export_events(&path),
            Command::EditEventDialog(event) => {
                if let Some(doc) = &self.doc {
                    self.event_dialog = Some(EventDialog::new(doc, event));
                }
            }
            Command::CloseEventDialog => self.event_dialog = None,
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
                    self.selected = vec![a];
                    self.selected_edge = None;
                    self.selected_events.clear();
                    self.selection_changed = true;
                }
                self.view.fit_pending = true;
            }
            Command::SetFocusHops(hops) => self.focus_hops = hops.clamp(1, 6),
            Command::SetLayout(kind) => {
                if let Some(doc) = &mut self.doc {
                    doc.set_layout(kind);
                    self.preferred_layout = Some(kind);
                    self.force = None;
                    self.restart_force(ctx);
                    self.view.fit_pending = true;
                }
            }
            Command::SetFilter(filter) => {
                if let Some(doc) = &mut self.doc {
                    doc.set_filter(filter);
                    self.restart_force(ctx);
                }
            }
            Command::SetStyle(style) => self.style = style,
            Command::FindActor(text) => {
                let found = self.doc.as_ref().and_then(|d| d.find_actor(&text));
                self.search_miss = found.is_none();
                if let (Some(a), Some(doc)) = (found, &self.doc) {
                    self.selected = vec![a];
                    self.selected_edge = None;
                    self.selected_events.clear();
                    self.selection_changed = true;
                    let mut target = self.view.camera;
                    target.centre = doc.target[a as usize];
                    target.zoom = target.zoom.max(0.6);
                    self.view.camera_target = Some(target);
                }
            }
            Command::ExportImageDialog => self.export_dialog(ctx),
            Command::ExportImage(path) => self.export_image(&path),
            Command::FitView => self.view.fit_pending = true,
            Command::CancelLoad => {
                if let Some(loading) = self.loading.take() {
                    loading.progress.cancel();
                }
            }
            Command::ShowDiagnostics(show) => self.show_diagnostics = show,
            Command::DismissError => self.error = None,
            Command::Quit => {
                self.allow_close = true;
                ctx.send_viewport_cmd(egui::ViewportCommand::Close);
            }
            Command::Save => match self.workspace_path.clone() {
                Some(path) => {
                    self.save_workspace(&path);
                }
                None => self.save_dialog(ctx),
            },
            Command::SaveAsDialog => self.save_dialog(ctx),
            Command::SaveWorkspace(mut path) => {
                if path.extension().is_none() {
                    path.set_extension("relmap");
                }
                if self.save_workspace(&path)
                    && let Some(next) = self.after_save.take()
                {
                    self.apply(ctx, next);
                }
            }
            Command::AnswerUnsaved(answer) => {
                let Some(next) = self.confirm.take() else {
                    return;
                };
                match answer {
                    UnsavedAnswer::Cancel => {}
                    UnsavedAnswer::Discard => {
                        self.unsaved = false;
                        self.remove_recovery();
                        self.apply(ctx, next);
                    }
                    UnsavedAnswer::Save => match self.workspace_path.clone() {
                        Some(path) => {
                            if self.save_workspace(&path) {
                                self.apply(ctx, next);
                            }
                        }
                        None => {
                            self.after_save = Some(next);
                            self.save_dialog(ctx);
                        }
                    },
                }
            }
            Command::AnswerRecovery(restore) => {
                if let Some(path) = self.recovery_offer.take() {
                    if restore {
                        self.restoring = true;
                        self.start_loading_with(ctx, path, LoadOptions::default());
                    } else {
                        let _ = std::fs::remove_file(path);
                    }
                }
            }
        }
    }

    /// Selects events and, with them, their actors.
    fn select_events(&mut self, events: Vec<EventId>, add: bool) {
        let Some(doc) = &self.doc else {
            return;
        };
        if !add {
            self.selected_events.clear();
            self.selected.clear();
        }
        self.selected_edge = None;
        // A bin of a big file holds tens of thousands of events: no `contains` per actor.
        let mut is_selected = vec![false; doc.dataset.actors.len()];
        for &a in &self.selected {
            is_selected[a as usize] = true;
        }
        for &e in &events {
            for &a in doc.dataset.actors_of(e) {
                if !std::mem::replace(&mut is_selected[a as usize], true) {
                    self.selected.push(a);
                }
            }
        }
        self.selected_events.extend(events);
        self.selected_events.sort_unstable();
        self.selected_events.dedup();
        self.selection_changed = true;
    }

    fn menu_ui(&mut self, ui: &mut Ui) {
        egui::MenuBar::new().ui(ui, |ui| {
            ui.menu_button("File", |ui| {
                let open = egui::Button::new("Open…")
                    .shortcut_text(ui.ctx().format_shortcut(&OPEN_SHORTCUT));
                if ui.add(open).clicked() {
                    self.pending.push(Command::OpenDialog);
                }
                ui.menu_button("Open Recent", |ui| {
                    if self.recent.is_empty() {
                        ui.label(RichText::new("No recent files").weak());
                    }
                    for path in &self.recent {
                        let label = path
                            .file_name()
                            .map(|n| n.to_string_lossy().into_owned())
                            .unwrap_or_default();
                        if ui
                            .button(label)
                            .on_hover_text(path.display().to_string())
                            .clicked()
                        {
                            self.pending.push(Command::Open(path.clone()));
                        }
                    }
                });
                let sample = egui::Button::new("Open Bundled Sample")
                    .shortcut_text(ui.ctx().format_shortcut(&SAMPLE_SHORTCUT));
                if ui.add(sample).clicked() {
                    self.pending.push(Command::OpenSample);
                }
                ui.separator();
                let save = egui::Button::new("Save")
                    .shortcut_text(ui.ctx().format_shortcut(&SAVE_SHORTCUT));
                if ui.add_enabled(self.doc.is_some(), save).clicked() {
                    self.pending.push(Command::Save);
                }
                let save_as = egui::Button::new("Save As…")
                    .shortcut_text(ui.ctx().format_shortcut(&SAVE_AS_SHORTCUT));
                if ui.add_enabled(self.doc.is_some(), save_as).clicked() {
                    self.pending.push(Command::SaveAsDialog);
                }
                ui.separator();
                let export = egui::Button::new("Export Image…")
                    .shortcut_text(ui.ctx().format_shortcut(&EXPORT_SHORTCUT));
                if ui.add_enabled(self.doc.is_some(), export).clicked() {
                    self.pending.push(Command::ExportImageDialog);
                }
                if ui
                    .add_enabled(
                        self.doc.is_some(),
                        egui::Button::new("Export Events…")
                            .shortcut_text(ui.ctx().format_shortcut(&EXPORT_EVENTS_SHORTCUT)),
                    )
                    .on_hover_text(
                        "The events in the table (window, filters, search) as CSV or JSON",
                    )
                    .clicked()
                {
                    self.pending.push(Command::ExportEventsDialog);
                }
                ui.separator();
                let quit = egui::Button::new("Quit")
                    .shortcut_text(ui.ctx().format_shortcut(&QUIT_SHORTCUT));
                if ui.add(quit).clicked() {
                    self.pending.push(Command::Quit);
                }
            });
            ui.menu_button("Edit", |ui| {
                let undo = egui::Button::new(match self.undo_label() {
                    Some(label) => format!("Undo {label}"),
                    None => "Undo".to_string(),
                })
                .shortcut_text(ui.ctx().format_shortcut(&UNDO_SHORTCUT));
                if ui.add_enabled(!self.undo.is_empty(), undo).clicked() {
                    self.pending.push(Command::Undo);
                }
                let redo = egui::Button::new(match self.redo_label() {
                    Some(label) => format!("Redo {label}"),
                    None => "Redo".to_string(),
                })
                .shortcut_text(ui.ctx().format_shortcut(&REDO_SHORTCUT));
                if ui.add_enabled(!self.redo.is_empty(), redo).clicked() {
                    self.pending.push(Command::Redo);
                }
                ui.separator();
                if ui
                    .add_enabled(
                        self.doc.is_some(),
                        egui::Button::new("Add Event…")
                            .shortcut_text(ui.ctx().format_shortcut(&ADD_EVENT_SHORTCUT)),
                    )
                    .clicked()
                {
                    self.pending.push(Command::EditEventDialog(None));
                }
            });
            ui.menu_button("View", |ui| {
                let fit = egui::Button::new("Fit Map to Window")
                    .shortcut_text(ui.ctx().format_shortcut(&FIT_SHORTCUT));
                if ui.add(fit).clicked() {
                    self.pending.push(Command::FitView);
                }
                let diagnostics = egui::Button::new("Diagnostics")
                    .shortcut_text(ui.ctx().format_shortcut(&DIAGNOSTICS_SHORTCUT));
                if ui.add(diagnostics).clicked() {
                    self.pending.push(Command::ShowDiagnostics(true));
                }
                let filters = egui::Button::selectable(self.show_filters, "Filters Panel")
                    .shortcut_text(ui.ctx().format_shortcut(&FILTERS_SHORTCUT));
                if ui.add(filters).clicked() {
                    self.show_filters = !self.show_filters;
                }
                let table = egui::Button::selectable(self.show_table, "Event Table")
                    .shortcut_text(ui.ctx().format_shortcut(&TABLE_SHORTCUT));
                if ui.add(table).clicked() {
                    self.show_table = !self.show_table;
                }
                ui.separator();
                let scenes = egui::Button::new("Scenes…")
                    .shortcut_text(ui.ctx().format_shortcut(&SCENES_SHORTCUT));
                if ui.add(scenes).clicked() {
                    self.pending.push(Command::ShowScenes(true));
                }
                let present = egui::Button::new("Present")
                    .shortcut_text(ui.ctx().format_shortcut(&PRESENT_SHORTCUT));
                if ui.add_enabled(self.doc.is_some(), present).clicked() {
                    self.pending.push(Command::TogglePresentation);
                }
                let full = egui::Button::new("Full Screen")
                    .shortcut_text(ui.ctx().format_shortcut(&FULLSCREEN_SHORTCUT));
                if ui.add(full).clicked() {
                    self.pending.push(Command::ToggleFullscreen);
                }
                ui.separator();
                ui.label("Layout");
                let current = self.doc.as_ref().map(|d| d.layout);
                for (kind, key) in LayoutKind::ALL.into_iter().zip(LAYOUT_KEYS) {
                    let shortcut = KeyboardShortcut::new(Modifiers::COMMAND, key);
                    let item = egui::Button::selectable(current == Some(kind), kind.label())
                        .shortcut_text(ui.ctx().format_shortcut(&shortcut));
                    if ui.add(item).clicked() {
                        self.pending.push(Command::SetLayout(kind));
                    }
                }
                ui.separator();
                ui.label("Theme");
                // Words, not egui's emoji buttons: the bundled fonts have no emoji.
                let mut preference = ui.ctx().options(|o| o.theme_preference);
                let before = preference;
                ui.radio_value(
                    &mut preference,
                    egui::ThemePreference::System,
                    "Follow the system",
                );
                ui.radio_value(&mut preference, egui::ThemePreference::Light, "Light");
                ui.radio_value(&mut preference, egui::ThemePreference::Dark, "Dark");
                if preference != before {
                    ui.ctx().set_theme(preference);
                }
            });
            ui.menu_button("Help", |ui| {
                let help = egui::Button::new("Keyboard Shortcuts")
                    .shortcut_text(ui.ctx().format_shortcut(&HELP_SHORTCUT));
                if ui.add(help).clicked() {
                    self.pending.push(Command::ShowShortcuts(true));
                }
            });
        });
    }

    fn status_ui(&mut self, ui: &mut Ui) {
        ui.horizontal(|ui| {
            if let Some(loading) = &self.loading {
                let (bytes, total, rows) = loading.progress.snapshot();
                let seconds = loading.started.elapsed().as_secs_f64().max(1e-3);
                let name = loading
                    .path
                    .file_name()
                    .map(|n| n.to_string_lossy().into_owned())
                    .unwrap_or_default();
                ui.spinner();
                ui.label(format!("Loading {name}"));
                let fraction = if total > 0 {
                    bytes as f32 / total as f32
                } else {
                    0.0
                };
                ui.add(
                    egui::ProgressBar::new(fraction.min(1.0))
                        .desired_width(180.0)
                        .text(format!(
                            "{:.0} of {:.0} MB",
                            bytes as f64 / 1e6,
                            total as f64 / 1e6
                        )),
                );
                ui.label(format!("{:.0} rows/s", rows as f64 / seconds));
                if ui.button("Cancel").clicked() {
                    self.pending.push(Command::CancelLoad);
                }
                ui.separator();
            }
            if self.dialog.is_some() {
                ui.label("Waiting for the file dialog…");
                ui.separator();
            }
            match &self.doc {
                None => {
                    ui.label(
                        "No file open. Use File > Open…, or drop an event file on the window.",
                    );
                }
                Some(doc) => {
                    ui.label(RichText::new(&doc.name).strong());
                    ui.label(format!(
                        "{} events · {} actors · {}",
                        doc.dataset.len(),
                        doc.dataset.actors.len(),
                        doc.format.name().to_uppercase()
                    ));
                    let d = &doc.diagnostics;
                    if d.skipped > 0 || !d.warnings.is_empty() {
                        ui.separator();
                        let text =
                            format!("{} rows skipped, {} warnings", d.skipped, d.warnings.len());
                        let colour = if d.skipped > 0 {
                            ui.visuals().warn_fg_color
                        } else {
                            ui.visuals().text_color()
                        };
                        if ui
                            .link(RichText::new(text).color(colour))
                            .on_hover_text("Show the rows that could not be read")
                            .clicked()
                        {
                            self.pending.push(Command::ShowDiagnostics(true));
                        }
                    }
                }
            }
        });
    }

    /// The list of scenes: record, go to, reorder, delete, present.
    fn scenes_window(&mut self, ctx: &egui::Context) {
        if !self.show_scenes || self.presenting {
            return;
        }
        let mut open = true;
        egui::Window::new("Scenes")
            .open(&mut open)
            .default_width(380.0)
            .show(ctx, |ui| {
                ui.label("A scene keeps the time window, filters, camera and selection.");
                ui.horizontal(|ui| {
                    let l = ui.label("Title");
                    ui.add(
                        egui::TextEdit::singleline(&mut self.scene_title)
                            .desired_width(200.0)
                            .hint_text("what this view shows"),
                    )
                    .labelled_by(l.id);
                    if ui.button("Record Scene").clicked() {
                        let title = std::mem::take(&mut self.scene_title);
                        self.pending.push(Command::RecordScene(title));
                    }
                });
                ui.separator();
                if self.scenes.is_empty() {
                    ui.weak("No scenes yet.");
                }
                let last = self.scenes.len().saturating_sub(1);
                for (i, scene) in self.scenes.iter().enumerate() {
                    ui.horizontal(|ui| {
                        let current = self.scene_index == Some(i);
                        if ui
                            .selectable_label(current, format!("{}. {}", i + 1, scene.title))
                            .on_hover_text("Show this scene")
                            .clicked()
                        {
                            self.pending.push(Command::GoToScene(i));
                        }
                        if ui
                            .add_enabled(i > 0, egui::Button::new("▲").small())
                            .clicked()
                        {
                            self.pending.push(Command::MoveScene(i, -1));
                        }
                        if ui
                            .add_enabled(i < last, egui::Button::new("▼").small())
                            .clicked()
                        {
                            self.pending.push(Command::MoveScene(i, 1));
                        }
                        if ui.small_button("Delete").clicked() {
                            self.pending.push(Command::DeleteScene(i));
                        }
                    });
                }
                ui.separator();
                if ui
                    .add_enabled(!self.scenes.is_empty(), egui::Button::new("▶ Present"))
                    .on_hover_text("Full screen; → and ← step through the scenes, Esc ends")
                    .clicked()
                {
                    self.pending.push(Command::TogglePresentation);
                }
            });
        if !open {
            self.show_scenes = false;
        }
    }

    /// Help ▸ Keyboard Shortcuts.
    fn shortcuts_window(&mut self, ctx: &egui::Context) {
        if !self.show_shortcuts {
            return;
        }
        let mut open = true;
        let rows: Vec<(String, &str)> = [
            (OPEN_SHORTCUT, "Open a file"),
            (SAMPLE_SHORTCUT, "Open the bundled sample"),
            (EXPORT_EVENTS_SHORTCUT, "Export the table's events"),
            (ADD_EVENT_SHORTCUT, "Add an event"),
            (DIAGNOSTICS_SHORTCUT, "Rows that could not be read"),
            (FILTERS_SHORTCUT, "Show or hide the filters"),
            (TABLE_SHORTCUT, "Show or hide the event table"),
            (HELP_SHORTCUT, "This list"),
            (SAVE_SHORTCUT, "Save the workspace"),
            (SAVE_AS_SHORTCUT, "Save the workspace as…"),
            (EXPORT_SHORTCUT, "Export an image of the map"),
            (UNDO_SHORTCUT, "Undo"),
            (REDO_SHORTCUT, "Redo"),
            (REDO_SHORTCUT_Y, "Redo"),
            (FIND_SHORTCUT, "Find an actor"),
            (FIT_SHORTCUT, "Fit the map to the window"),
            (SCENES_SHORTCUT, "Scenes"),
            (PRESENT_SHORTCUT, "Present (full screen, scenes)"),
            (FULLSCREEN_SHORTCUT, "Full screen"),
            (QUIT_SHORTCUT, "Quit"),
        ]
        .into_iter()
        .map(|(k, what)| (ctx.format_shortcut(&k), what))
        .chain([
            (
                ctx.format_shortcut(&KeyboardShortcut::new(Modifiers::COMMAND, Key::Num1))
                    .replace('1', "1–4"),
                "Layouts: geographic, force-directed, circle, grouped",
            ),
            ("Space".to_string(), "Play or pause the timeline"),
            (
                "Esc".to_string(),
                "Clear the focus or selection; end presenting",
            ),
            ("→ ←".to_string(), "Next or previous scene, when presenting"),
            (
                "Shift+click".to_string(),
                "Add to the selection (map and table)",
            ),
            ("Shift+drag".to_string(), "Select with a box on the map"),
            (
                "Double-click".to_string(),
                "Focus on an actor's neighbourhood",
            ),
        ])
        .collect();
        egui::Window::new("Keyboard Shortcuts")
            .open(&mut open)
            .collapsible(false)
            .show(ctx, |ui| {
                egui::Grid::new("shortcuts")
                    .num_columns(2)
                    .striped(true)
                    .show(ui, |ui| {
                        for (keys, what) in &rows {
                            ui.label(RichText::new(keys).monospace().strong());
                            ui.label(*what);
                            ui.end_row();
                        }
                    });
            });
        if !open {
            self.show_shortcuts = false;
        }
    }

    /// The event editor window.
    fn event_window(&mut self, ctx: &egui::Context) {
        let Some(dialog) = &mut self.event_dialog else {
            return;
        };
        let title = if dialog.event.is_some() {
            "Edit event"
        } else {
            "Add event"
        };
        let mut ok = false;
        let mut cancel = false;
        egui::Window::new(title)
            .collapsible(false)
            .resizable(false)
            .anchor(egui::Align2::CENTER_CENTER, [0.0, 0.0])
            .show(ctx, |ui| {
                egui::Grid::new("event-fields")
                    .num_columns(2)
                    .spacing([8.0, 6.0])
                    .show(ui, |ui| {
                        let field = |ui: &mut Ui, label: &str, text: &mut String, hint: &str| {
                            let l = ui.label(label);
                            ui.add(
                                egui::TextEdit::singleline(text)
                                    .desired_width(340.0)
                                    .hint_text(hint),
                            )
                            .labelled_by(l.id);
                            ui.end_row();
                        };
                        field(ui, "Date", &mut dialog.date, "2025-03-14, May 2024, 2024");
                        field(ui, "End date", &mut dialog.end_date, "optional");
                        field(ui, "Actors", &mut dialog.actors, "names separated by ;");
                        field(ui, "Type", &mut dialog.event_type, "sign agreement");
                        let l = ui.label("Class");
                        egui::ComboBox::from_id_salt("event-class")
                            .selected_text(dialog.class.label())
                            .show_ui(ui, |ui| {
                                for class in EventClass::ALL {
                                    ui.selectable_value(&mut dialog.class, class, class.label());
                                }
                            })
                            .response
                            .labelled_by(l.id);
                        ui.end_row();
                        field(ui, "Title", &mut dialog.title, "what happened");
                        field(ui, "Location", &mut dialog.location, "Minsk");
                        field(ui, "Source", &mut dialog.url, "https://…");
                    });
                if let Some(problem) = &dialog.problem {
                    ui.colored_label(ui.visuals().warn_fg_color, problem);
                }
                ui.horizontal(|ui| {
                    ok = ui.button("OK").clicked();
                    cancel = ui.button("Cancel").clicked();
                });
            });
        if cancel {
            self.event_dialog = None;
            return;
        }
        if !ok {
            return;
        }
        let Some(doc) = self.doc.as_mut() else {
            return;
        };
        let Some(dialog) = self.event_dialog.as_mut() else {
            return;
        };
        match dialog.build(doc) {
            Ok(event) => {
                let edit = match dialog.event {
                    Some(e) => Edit::ChangeEvent {
                        event: e,
                        with: event,
                    },
                    None => Edit::AddEvent { event },
                };
                self.event_dialog = None;
                self.pending.push(Command::Edit(edit));
            }
            Err(problem) => dialog.problem = Some(problem),
        }
    }

    /// "Save the changes first?" before leaving a document with unsaved changes.
    fn unsaved_window(&mut self, ctx: &egui::Context) {
        if self.confirm.is_none() {
            return;
        }
        let name = self
            .workspace_path
            .as_ref()
            .and_then(|p| p.file_name())
            .map(|n| n.to_string_lossy().into_owned())
            .or_else(|| self.doc.as_ref().map(|d| d.name.clone()))
            .unwrap_or_default();
        egui::Window::new("Unsaved changes")
            .collapsible(false)
            .resizable(false)
            .anchor(egui::Align2::CENTER_CENTER, [0.0, 0.0])
            .show(ctx, |ui| {
                ui.label(format!(
                    "Save the changes to {name} (layout, positions, pins, window, filters) first?"
                ));
                ui.add_space(6.0);
                ui.horizontal(|ui| {
                    if ui.button("Save").clicked() {
                        self.pending
                            .push(Command::AnswerUnsaved(UnsavedAnswer::Save));
                    }
                    if ui.button("Don't Save").clicked() {
                        self.pending
                            .push(Command::AnswerUnsaved(UnsavedAnswer::Discard));
                    }
                    if ui.button("Cancel").clicked() {
                        self.pending
                            .push(Command::AnswerUnsaved(UnsavedAnswer::Cancel));
                    }
                });
            });
    }

    /// Offers the work autosaved by a session that ended without saving it.
    fn recovery_window(&mut self, ctx: &egui::Context) {
        let Some(path) = &self.recovery_offer else {
            return;
        };
        let when = std::fs::metadata(path)
            .and_then(|m| m.modified())
            .ok()
            .and_then(|t| jiff::Timestamp::try_from(t).ok())
            .map(|t| t.strftime("%Y-%m-%d %H:%M UTC").to_string())
            .unwrap_or_default();
        egui::Window::new("Restore unsaved work?")
            .collapsible(false)
            .resizable(false)
            .anchor(egui::Align2::CENTER_CENTER, [0.0, 0.0])
            .show(ctx, |ui| {
                ui.label(format!(
                    "relmap did not close properly last time. Work autosaved at {when} can be restored."
                ));
                ui.add_space(6.0);
                ui.horizontal(|ui| {
                    if ui.button("Restore").clicked() {
                        self.pending.push(Command::AnswerRecovery(true));
                    }
                    if ui.button("Discard").clicked() {
                        self.pending.push(Command::AnswerRecovery(false));
                    }
                });
            });
    }

    fn error_window(&mut self, ctx: &egui::Context) {
        let Some(message) = self.error.clone() else {
            return;
        };
        egui::Window::new("Could not open the file")
            .collapsible(false)
            .resizable(false)
            .anchor(egui::Align2::CENTER_CENTER, [0.0, 0.0])
            .show(ctx, |ui| {
                ui.label(message);
                ui.add_space(6.0);
                if ui.button("OK").clicked() {
                    self.pending.push(Command::DismissError);
                }
            });
    }

    fn drop_hint(&self, ctx: &egui::Context) {
        let hovering = ctx.input(|i| !i.raw.hovered_files.is_empty());
        if !hovering {
            return;
        }
        let painter = ctx.layer_painter(egui::LayerId::new(
            egui::Order::Foreground,
            egui::Id::unique("drop-hint"),
        ));
        let rect = ctx.content_rect();
        painter.rect_filled(rect, 0.0, egui::Color32::from_black_alpha(160));
        painter.text(
            rect.center(),
            egui::Align2::CENTER_CENTER,
            "Drop the event file to open it",
            egui::FontId::proportional(24.0),
            egui::Color32::WHITE,
        );
    }
}

impl eframe::App for RelmapApp {
    fn ui(&mut self, ui: &mut Ui, _frame: &mut eframe::Frame) {
        let ctx = ui.ctx().clone();
        self.poll_workers(&ctx);
        self.take_dropped_files(&ctx);
        self.take_shortcuts(&ctx);
        if self.loading.is_some() || self.dialog.is_some() {
            // Keep the spinner turning while a worker runs.
            ctx.request_repaint_after(std::time::Duration::from_millis(100));
        }

        // Presenting shows the map and the timeline only.
        let presenting = self.presenting;
        if !presenting {
            egui::Panel::top("menu").show(ui, |ui| self.menu_ui(ui));
            self.apply_pending(&ctx);
            egui::Panel::bottom("status").show(ui, |ui| self.status_ui(ui));
            self.apply_pending(&ctx);
        }

        let title = match &self.doc {
            Some(doc) => {
                let name = self
                    .workspace_path
                    .as_ref()
                    .and_then(|p| p.file_name())
                    .map_or_else(|| doc.name.clone(), |n| n.to_string_lossy().into_owned());
                let mark = if self.unsaved { " •" } else { "" };
                format!("{name}{mark} — relmap")
            }
            None => "relmap".to_string(),
        };
        // The window's close button asks about unsaved changes too.
        if ctx.input(|i| i.viewport().close_requested()) && self.unsaved && !self.allow_close {
            ctx.send_viewport_cmd(egui::ViewportCommand::CancelClose);
            self.confirm = Some(Command::Quit);
        }
        let now = ctx.input(|i| i.time);
        if self.unsaved && now - self.last_autosave >= AUTOSAVE_SECONDS {
            self.last_autosave = now;
            self.autosave_in_background();
        }
        if self.unsaved {
            // Wake up for the next autosave even when nothing else happens.
            ctx.request_repaint_after(std::time::Duration::from_secs_f64(AUTOSAVE_SECONDS));
        }
        ctx.send_viewport_cmd(egui::ViewportCommand::Title(title));

        self.glide_window(&ctx);
        // Playback moves the window at its own pace, every frame while it plays.
        if let Some(doc) = &self.doc
            && self.timeline.playback.playing
        {
            let dt = ctx.input(|i| i.stable_dt);
            if let Some(w) = self.timeline.tick(doc, dt) {
                self.pending.push(Command::SetWindow(w));
            }
            ctx.request_repaint();
        }
        self.apply_pending(&ctx);

        if self.show_table
            && !presenting
            && let Some(doc) = &self.doc
        {
            let mut commands = Vec::new();
            egui::Panel::bottom("events")
                .resizable(true)
                .default_size(200.0)
                .min_size(90.0)
                .show(ui, |ui| {
                    table_ui(
                        ui,
                        doc,
                        &mut self.table,
                        &self.highlight,
                        self.selection_generation,
                        &mut commands,
                    )
                });
            self.pending.extend(commands);
        }
        self.apply_pending(&ctx);

        if let Some(doc) = &mut self.doc {
            let groups = if self.style.edge_colouring == EdgeColouring::Type {
                doc.ensure_pair_types();
                let top = doc.pair_types.as_ref().map(|t| t.top.clone());
                TimelineGroups::Types(top.unwrap_or_default())
            } else {
                TimelineGroups::Classes
            };
            doc.ensure_timeline_counts(groups);
        }
        if let Some(doc) = &self.doc {
            let mut commands = Vec::new();
            let highlight = Highlight {
                events: &self.highlight,
                generation: self.selection_generation,
                label: &self.highlight_label,
            };
            egui::Panel::bottom("timeline")
                .resizable(true)
                .default_size(190.0)
                .min_size(130.0)
                .show(ui, |ui| {
                    timeline_ui(ui, doc, &mut self.timeline, &highlight, &mut commands)
                });
            self.pending.extend(commands);
        }
        self.apply_pending(&ctx);

        let merged = self
            .selected
            .last()
            .map(|&a| self.merged_into(a))
            .unwrap_or_default();
        if let Some(doc) = &self.doc
            && !presenting
        {
            let mut commands = Vec::new();
            egui::Panel::right("inspector")
                .resizable(true)
                .default_size(340.0)
                .min_size(220.0)
                .show(ui, |ui| {
                    inspector_ui(
                        ui,
                        doc,
                        self.selected.last().copied(),
                        self.selected_edge,
                        &mut self.actor_edit,
                        &merged,
                        &mut commands,
                    )
                });
            self.pending.extend(commands);
        }
        self.apply_pending(&ctx);

        if self.show_filters
            && !presenting
            && let Some(doc) = &self.doc
        {
            let mut commands = Vec::new();
            egui::Panel::left("filters")
                .resizable(true)
                .default_size(210.0)
                .min_size(170.0)
                .show(ui, |ui| {
                    egui::ScrollArea::vertical()
                        .show(ui, |ui| filters_ui(ui, doc, &self.style, &mut commands))
                });
            self.pending.extend(commands);
        }
        self.apply_pending(&ctx);

        self.style.theme = if ctx.global_style().visuals.dark_mode {
            Theme::Dark
        } else {
            Theme::Light
        };
        if self.style.edge_colouring == EdgeColouring::Type
            && let Some(doc) = &mut self.doc
        {
            doc.ensure_pair_types();
        }
        let mut commands = Vec::new();
        egui::CentralPanel::default()
            .frame(egui::Frame::NONE)
            .show(ui, |ui| match &self.doc {
                Some(doc) => {
                    // The panel has no frame (the map paints its own background); the strip
                    // above the map and the gap below it get the panel colour.
                    ui.painter()
                        .rect_filled(ui.max_rect(), 0.0, ui.visuals().panel_fill);
                    let mut style = self.style.clone();
                    if presenting {
                        style.label_scale *= PRESENTATION_SCALE;
                        let title = self
                            .scene_index
                            .and_then(|i| self.scenes.get(i))
                            .map_or(doc.name.as_str(), |s| s.title.as_str());
                        egui::Frame::NONE
                            .fill(ui.visuals().panel_fill)
                            .inner_margin(egui::Margin::symmetric(16, 10))
                            .show(ui, |ui| {
                                ui.set_min_width(ui.available_width());
                                ui.label(RichText::new(title).size(30.0).strong());
                                let w = doc.window();
                                ui.label(
                                    RichText::new(format!(
                                        "{} – {}",
                                        crate::model::format_day(w.from),
                                        crate::model::format_day(w.to)
                                    ))
                                    .size(18.0)
                                    .weak(),
                                );
                            });
                    } else {
                        // The central panel has no frame (the map paints its own
                        // background): the toolbar paints the panel colour itself.
                        egui::Frame::NONE
                            .fill(ui.visuals().panel_fill)
                            .inner_margin(egui::Margin::symmetric(8, 4))
                            .show(ui, |ui| {
                                ui.set_min_width(ui.available_width());
                                map_toolbar_ui(
                                    ui,
                                    doc,
                                    &self.style,
                                    &mut self.search,
                                    self.search_miss,
                                    self.focus,
                                    self.focus_hops,
                                    &mut commands,
                                )
                            });
                    }
                    let choices = MapChoices {
                        style: &style,
                        selected: &self.selected,
                        selected_edge: self.selected_edge,
                        focus: self.focus.map(|f| (f, self.focus_hops)),
                    };
                    map_ui(ui, doc, &mut self.view, &choices, &mut commands);
                }
                None => {
                    ui.centered_and_justified(|ui| {
                        ui.label("Open an event file (File > Open…), or drop one here.");
                    });
                }
            });
        self.pending.extend(commands);
        self.apply_pending(&ctx);

        if let Some(doc) = &self.doc {
            let mut open = self.show_diagnostics;
            diagnostics_window(&ctx, doc, &mut open);
            self.show_diagnostics = open;
        }
        self.error_window(&ctx);
        self.unsaved_window(&ctx);
        self.event_window(&ctx);
        self.scenes_window(&ctx);
        self.shortcuts_window(&ctx);
        self.recovery_window(&ctx);
        mapping_window(&ctx, &mut self.mapping_dialog, &mut self.pending);
        self.drop_hint(&ctx);
        self.apply_pending(&ctx);
    }

    fn on_exit(&mut self) {
        // A proper exit: the user has saved or chosen not to. Only a crash leaves recovery.
        self.remove_recovery();
    }

    fn save(&mut self, storage: &mut dyn eframe::Storage) {
        eframe::set_value(storage, RECENT_KEY, &self.recent);
        eframe::set_value(storage, MAPPINGS_KEY, &self.mappings);
        eframe::set_value(storage, STYLE_KEY, &self.style);
        if let Some(kind) = self.preferred_layout {
            eframe::set_value(storage, LAYOUT_KEY, &kind);
        }
    }
}

/// The row above the map: layout, edge colours, search, focus.
#[allow(clippy::too_many_arguments)]
fn map_toolbar_ui(
    ui: &mut Ui,
    doc: &Document,
    style: &MapStyle,
    search: &mut String,
    search_miss: bool,
    focus: Option<ActorId>,
    focus_hops: u32,
    commands: &mut Vec<Command>,
) {
    ui.horizontal_wrapped(|ui| {
        let label = ui.label("Layout");
        let mut layout = doc.layout;
        egui::ComboBox::from_id_salt("layout")
            .selected_text(layout.label())
            .show_ui(ui, |ui| {
                for kind in LayoutKind::ALL {
                    ui.selectable_value(&mut layout, kind, kind.label());
                }
            })
            .response
            .labelled_by(label.id);
        if layout != doc.layout {
            commands.push(Command::SetLayout(layout));
        }
        let label = ui.label("Edges by");
        let mut colouring = style.edge_colouring;
        egui::ComboBox::from_id_salt("edge-colours")
            .selected_text(match colouring {
                EdgeColouring::Class => "class",
                EdgeColouring::Type => "type",
            })
            .show_ui(ui, |ui| {
                ui.selectable_value(&mut colouring, EdgeColouring::Class, "class");
                ui.selectable_value(&mut colouring, EdgeColouring::Type, "type");
            })
            .response
            .labelled_by(label.id);
        if colouring != style.edge_colouring {
            commands.push(Command::SetStyle(MapStyle {
                edge_colouring: colouring,
                ..style.clone()
            }));
        }
        ui.separator();
        let label = ui.label("Find");
        let field = egui::TextEdit::singleline(search)
            .hint_text("actor name, alias or ISO code")
            .desired_width(200.0);
        let response = ui.add(field).labelled_by(label.id);
        if ui.input_mut(|i| i.consume_shortcut(&FIND_SHORTCUT)) {
            response.request_focus();
        }
        if response.lost_focus() && ui.input(|i| i.key_pressed(Key::Enter)) && !search.is_empty() {
            commands.push(Command::FindActor(search.clone()));
        }
        if search_miss && !search.is_empty() {
            ui.colored_label(ui.visuals().warn_fg_color, "not found");
        }
        if let Some(f) = focus {
            ui.separator();
            let label = ui.label(format!("Focus: {}", doc.dataset.actors.get(f).name));
            let mut hops = focus_hops;
            ui.add(egui::DragValue::new(&mut hops).range(1..=6).suffix(" hops"))
                .labelled_by(label.id)
                .on_hover_text("How many steps from the focused actor to show");
            if hops != focus_hops {
                commands.push(Command::SetFocusHops(hops));
            }
            if ui.small_button("Clear focus").clicked() {
                commands.push(Command::Focus(None));
            }
        }
    });
}

/// The filter panel: event classes and types, actor kinds, edge strength, isolated actors.
fn filters_ui(ui: &mut Ui, doc: &Document, style: &MapStyle, commands: &mut Vec<Command>) {
    let ds = &doc.dataset;
    let filter = &doc.counts.filter;
    ui.heading("Filters");
    ui.label(RichText::new("Event classes").strong());
    for class in EventClass::ALL {
        if !doc.has_class(class) {
            continue;
        }
        let mut on = filter.classes[class.index()];
        let text = RichText::new(class.label()).color(super::theme::class_colour(class));
        if ui.checkbox(&mut on, text).changed() {
            let mut next = filter.clone();
            next.classes[class.index()] = on;
            commands.push(Command::SetFilter(next));
        }
    }
    if ds.types.len() > 1 {
        ui.add_space(6.0);
        egui::CollapsingHeader::new(
            RichText::new(format!("Event types ({})", ds.types.len())).strong(),
        )
        .default_open(ds.types.len() <= 12)
        .show(ui, |ui| {
            ui.horizontal(|ui| {
                if ui.small_button("All").clicked() {
                    commands.push(Command::SetFilter(EventFilter {
                        types: Vec::new(),
                        ..filter.clone()
                    }));
                }
                if ui.small_button("None").clicked() {
                    commands.push(Command::SetFilter(EventFilter {
                        types: vec![false; ds.types.len()],
                        ..filter.clone()
                    }));
                }
            });
            for (t, name) in ds.types.iter().enumerate().take(300) {
                let mut on = filter.types.get(t).copied().unwrap_or(true);
                let label = if name.is_empty() {
                    "(no type)"
                } else {
                    name.as_str()
                };
                if ui.checkbox(&mut on, label).changed() {
                    let mut next = filter.clone();
                    if next.types.is_empty() {
                        next.types = vec![true; ds.types.len()];
                    }
                    next.types[t] = on;
                    commands.push(Command::SetFilter(next));
                }
            }
        });
    }
    ui.add_space(6.0);
    ui.label(RichText::new("Actors").strong());
    let mut next = style.clone();
    for (i, kind) in ActorKind::ALL.into_iter().enumerate() {
        if ds.actors.iter().any(|(_, a)| a.kind == kind) {
            let text = RichText::new(kind.label()).color(super::theme::kind_colour(kind));
            ui.checkbox(&mut next.kinds[i], text);
        }
    }
    ui.checkbox(&mut next.hide_isolated, "Hide actors without ties");
    ui.checkbox(&mut next.hide_unlocated, "Hide actors without a place")
        .on_hover_text("On the world map: leave out the row of actors whose country is unknown");
    ui.add_space(6.0);
    ui.label(RichText::new("Ties").strong());
    ui.horizontal(|ui| {
        let label = ui.label("At least");
        ui.add(egui::DragValue::new(&mut next.min_edge_events).range(1..=10_000))
            .labelled_by(label.id);
        ui.label("events");
    });
    ui.add_space(6.0);
    ui.label(RichText::new("Labels").strong());
    ui.checkbox(&mut next.iso_codes, "ISO codes on countries");
    ui.checkbox(&mut next.legend, "Legend");
    ui.horizontal(|ui| {
        let label = ui.label("Size");
        ui.add(egui::Slider::new(&mut next.label_scale, 0.8..=2.0).fixed_decimals(1))
            .labelled_by(label.id);
    });
    if next != *style {
        commands.push(Command::SetStyle(next));
    }
    ui.add_space(6.0);
    ui.horizontal_wrapped(|ui| {
        if ui
            .button("Collapse members")
            .on_hover_text("Draw every country with its people and bodies folded into it")
            .clicked()
        {
            commands.push(Command::SetCollapsed(None, true));
        }
        if ui.button("Expand all").clicked() {
            commands.push(Command::SetCollapsed(None, false));
        }
    });
}
