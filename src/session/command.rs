//! Everything the user can ask for, as values. Widgets push [`Command`]s; the session
//! carries out those that change its state ([`super::Session::apply`]) and hands the others
//! (dialogs, windows, the viewport) back to the UI.

use std::path::PathBuf;

use crate::export::picture::MapStyle;
use crate::export::style::Theme;
use crate::io::ColumnMap;
use crate::layout::LayoutKind;
use crate::model::{
    ActorId, DayNumber, Edit, EventFilter, EventId, NewEvent, NoteSubject, TimeWindow,
};

/// Everything the user can ask for.
#[derive(Clone, Debug, PartialEq)]
pub enum Command {
    /// Open a file: a zip of several event files or a workbook of several sheets first asks
    /// which to read.
    Open(PathBuf),
    /// Read these files (and `archive.zip:member`s) into one dataset.
    OpenFiles(Vec<PathBuf>),
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
    /// Restore the work a crashed session autosaved (`Some(true)`), throw it away
    /// (`Some(false)`), or keep it for the next start (`None`).
    AnswerRecovery(Option<bool>),
    /// Change the data (undoable). A merge moves the merged actor's notes (and its ties')
    /// to the kept one in the same step.
    Edit(Edit),
    /// Attach a note to an actor, a tie or an event, replacing its note; empty text (after
    /// trimming) removes it. Undoable.
    SetNote {
        subject: NoteSubject,
        text: String,
    },
    /// The event editor's OK: add an event (`event: None`) or change one. Names not yet
    /// in the actor table become new actors, as part of the same undoable step; a refused
    /// edit leaves no new actor behind.
    SaveEvent {
        event: Option<EventId>,
        actor_names: Vec<String>,
        with: NewEvent,
    },
    /// Split an actor merged earlier off again (the merge is found in the undo list).
    /// Add events proposed by the article extractor and accepted by the analyst, as one
    /// undoable step; their actors by name, kind and country (new ones are created).
    AddEvents {
        events: Vec<(Vec<crate::extract::ActorRef>, NewEvent)>,
        /// (an existing actor's name, the article's name for it): the article's spelling
        /// becomes an alias, so that the next article's is found.
        aliases: Vec<(String, String)>,
    },
    /// A new document of the events accepted from an article (when none is open), named
    /// after the article.
    NewFromArticle {
        candidates: Vec<crate::extract::Candidate>,
        source: String,
    },
    /// Open or close File ▸ Import Article….
    ShowImportArticle(bool),
    /// Open or close File ▸ Build Index… (an on-disk event index of files).
    ShowIndexDialog(bool),
    SplitOff {
        keep: ActorId,
        merged: ActorId,
    },
    Undo,
    Redo,
    /// Save the current window, filters, camera and selection as a scene with this title.
    /// The map's camera is the UI's: it fills `camera` in where a widget left it `None`.
    RecordScene {
        title: String,
        camera: Option<[f32; 3]>,
    },
    /// Show a scene, animating to it.
    GoToScene(usize),
    /// The next or the previous scene.
    StepScene(i32),
    DeleteScene(usize),
    /// Move a scene up or down the list.
    MoveScene(usize, i32),
    ShowScenes(bool),
    TogglePresentation,
    /// The theme to present in (a suggestion the workspace keeps), or the user's own.
    SetPresentationTheme(Option<Theme>),
    ToggleFullscreen,
    /// The window's light or dark theme, which the map follows (a user setting: not a
    /// change to the document).
    FollowTheme(Theme),
    ShowShortcuts(bool),
    /// Ask where to write the table's events as CSV or JSON.
    ExportEventsDialog,
    ExportEvents(PathBuf),
    /// Ask where to write the Actors panel's table (metrics per actor) as CSV.
    ExportActorsDialog,
    ExportActors(PathBuf),
    /// Ask where to write the actor network as GEXF (for Gephi), then write it on a worker.
    ExportNetworkDialog,
    ExportNetwork(PathBuf),
    /// Open or close the Export Animation dialog.
    ShowAnimationDialog(bool),
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
