//! The window: panel layout, workers and dialogs around a [`Session`]. Widgets push
//! [`Command`]s; between panels [`RelmapApp::apply`] hands each to the session (which
//! changes the state) or carries out the UI's own (dialogs, windows, the viewport), so a
//! change made in one panel is seen by the panels drawn after it in the same frame.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::mpsc::{Receiver, channel};

use eframe::egui::{self, Key, Modifiers, RichText, Ui};

use super::actions::{self, Action};
use super::actors_panel::{ActorsPanelState, actors_csv, actors_panel_ui};
use super::animation_dialog::{AnimationDialog, AnimationOutcome};
use super::event_editor::{EditorAnswer, EventEditor};
use super::file_chooser::{DialogBackend, FileChooser, FileRequest};
use super::filters::filters_ui;
use super::force_worker::ForceWorker;
use super::import_article::ImportArticle;
use super::index_dialog::{IndexDialog, IndexOutcome};
use super::inspector::{ActorEditState, diagnostics_window, inspector_ui};
use super::loader::{self, Finished, Loader};
use super::map::{MapChoices, MapView, map_input, map_ui};
use super::map_toolbar::map_toolbar_ui;
use super::mapping_dialog::{MappingDialog, mapping_window};
use super::menu;
use super::metrics_worker::MetricsWorker;
use super::note_editor::{NoteEditState, note_subject};
use super::notifications::{Level, Notifications};
use super::open_picker::OpenPicker;
use super::prompts;
use super::scenes_window::{self, ScenesList};
use super::status_bar::status_bar_ui;
use super::table::{TableState, table_ui};
use super::timeline::{Highlight, TimelineState, timeline_ui};
use crate::session::{Adopted, AutosaveOutcome, Document, Effects, Outcome, Session};
pub use crate::session::{Command, UnsavedAnswer};

use std::collections::HashMap;

use crate::export::picture::{self, MapStyle};
use crate::export::style::Theme;
use crate::io::{self, ColumnMap, LoadError, LoadOptions};
use crate::layout::LayoutKind;
use crate::model::{ActorId, DayNumber, EventId, TimeWindow};
use crate::workspace::SceneSpec;

/// Room left for the status bar under the toasts.
const STATUS_BAR_HEIGHT: f32 = 28.0;
/// How often unsaved work is written to the recovery file.
const AUTOSAVE_SECONDS: f64 = 60.0;
/// How long the window takes to move to a scene's, in seconds.
const SCENE_SECONDS: f64 = 0.6;
/// Labels and nodes grow by this much when presenting.
const PRESENTATION_SCALE: f32 = 1.5;

const RECENT_KEY: &str = "relmap.recent_files";
const MAPPINGS_KEY: &str = "relmap.column_mappings";
const MAX_RECENT: usize = 10;
const STYLE_KEY: &str = "relmap.map_style";
const LAYOUT_KEY: &str = "relmap.last_layout";

/// The bottom panel's tabs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum BottomTab {
    Events,
    Actors,
}

pub struct RelmapApp {
    /// The document, selection, undo, scenes and saving: everything but the window.
    session: Session,
    view: MapView,
    timeline: TimelineState,
    table: TableState,
    show_table: bool,
    /// What the bottom panel shows: the events, or the actors and their metrics.
    bottom_tab: BottomTab,
    actors_panel: ActorsPanelState,
    /// The window's network metrics, worked out on a worker while wanted.
    metrics: MetricsWorker,
    actors_dialog: Option<Receiver<Option<PathBuf>>>,
    network_dialog: Option<Receiver<Option<PathBuf>>>,
    /// Files written on worker threads: what each is, and its outcome (a line to tell).
    jobs: Vec<(String, Receiver<Result<String, String>>)>,
    /// File ▸ Export Animation…, while open.
    animation: Option<AnimationDialog>,
    /// File ▸ Import Article…, while open.
    import_article: Option<ImportArticle>,
    index_dialog: Option<IndexDialog>,
    save_dialog: Option<Receiver<Option<PathBuf>>>,
    /// A command held back until the user says what to do with unsaved changes.
    confirm: Option<Command>,
    /// A command to carry out once a "Save As" has written the file.
    after_save: Option<Command>,
    /// The window may close: the user has answered for the unsaved changes.
    allow_close: bool,
    /// A recovery file left by a session that did not end properly.
    recovery_offer: Option<PathBuf>,
    last_autosave: f64,
    event_dialog: Option<EventEditor>,
    actor_edit: ActorEditState,
    /// The inspector's note box while a note is typed.
    note_edit: NoteEditState,
    show_scenes: bool,
    scene_title: String,
    presenting: bool,
    fullscreen: bool,
    show_shortcuts: bool,
    /// The window gliding to a scene's: from, to, and when it started.
    window_glide: Option<(TimeWindow, TimeWindow, f64)>,
    events_dialog: Option<Receiver<Option<PathBuf>>>,
    /// The background autosave's outcome.
    autosave_result: Option<Receiver<AutosaveOutcome>>,
    /// The user's own theme while presenting in the workspace's.
    theme_before_presenting: Option<egui::ThemePreference>,
    search: String,
    search_miss: bool,
    show_filters: bool,
    force: Option<ForceWorker>,
    export_dialog: Option<Receiver<Option<PathBuf>>>,
    /// What the user is told: toasts and the status bar's history.
    notices: Notifications,
    options: LoadOptions,
    loading: Option<Loader>,
    dialog: Option<Receiver<Option<Vec<PathBuf>>>>,
    /// Native file dialogs where the desktop has them, the in-app one otherwise.
    file_chooser: FileChooser,
    /// A failure shown in a window until dismissed: what failed, and why.
    error: Option<(String, String)>,
    show_diagnostics: bool,
    recent: Vec<PathBuf>,
    /// Column mappings the user chose, by header, offered again for files with that header.
    mappings: HashMap<String, ColumnMap>,
    mapping_dialog: Option<MappingDialog>,
    pending: Vec<Command>,
    /// The title last sent to the window.
    window_title: String,
    /// Find (Ctrl+F) was asked for: the map toolbar's search box takes the keyboard.
    focus_search: bool,
    /// The user said "Don't Save": the next document may replace the unsaved one.
    leave_approved: bool,
    /// Asking which members of a zip, or which sheet of a workbook, to open.
    open_picker: Option<OpenPicker>,
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
        let style = cc
            .storage
            .and_then(|s| eframe::get_value(s, STYLE_KEY))
            .unwrap_or_default();
        let preferred_layout = cc.storage.and_then(|s| eframe::get_value(s, LAYOUT_KEY));
        let recovery_dir = cc.storage.and_then(|_| eframe::storage_dir("relmap"));
        let mut app = Self {
            session: Session::new(style, preferred_layout, recovery_dir),
            view: MapView::default(),
            timeline: TimelineState::default(),
            table: TableState::default(),
            show_table: true,
            bottom_tab: BottomTab::Events,
            actors_panel: ActorsPanelState::default(),
            metrics: MetricsWorker::default(),
            actors_dialog: None,
            network_dialog: None,
            jobs: Vec::new(),
            animation: None,
            import_article: None,
            index_dialog: None,
            save_dialog: None,
            confirm: None,
            after_save: None,
            allow_close: false,
            recovery_offer: None,
            last_autosave: 0.0,
            event_dialog: None,
            actor_edit: ActorEditState::default(),
            note_edit: NoteEditState::default(),
            show_scenes: false,
            scene_title: String::new(),
            presenting: false,
            fullscreen: false,
            show_shortcuts: false,
            window_glide: None,
            events_dialog: None,
            autosave_result: None,
            theme_before_presenting: None,
            search: String::new(),
            search_miss: false,
            show_filters: true,
            force: None,
            export_dialog: None,
            notices: Notifications::default(),
            options,
            loading: None,
            dialog: None,
            file_chooser: FileChooser::load(cc.storage),
            error: None,
            show_diagnostics: false,
            recent,
            mappings: cc
                .storage
                .and_then(|s| eframe::get_value(s, MAPPINGS_KEY))
                .unwrap_or_default(),
            mapping_dialog: None,
            pending: Vec::new(),
            window_title: String::new(),
            focus_search: false,
            leave_approved: false,
            open_picker: None,
        };
        // Files named on the command line are read together, as `relmap stats` reads them
        // (a zip: all its event members).
        if files.is_empty() {
            app.open_sample(&cc.egui_ctx);
        } else {
            let options = app.options.clone();
            app.start_loading_files(&cc.egui_ctx, files, options);
        }
        app.check_recovery();
        app
    }

    /// Autosaves go to `dir` (tests use a temporary folder); a recovery file there is
    /// offered for restoring.
    pub fn with_recovery_dir(mut self, dir: PathBuf) -> Self {
        self.session.set_recovery_dir(dir);
        self.check_recovery();
        self
    }

    /// Which file dialog to use, whatever the desktop or `RELMAP_FILE_DIALOG` say (tests
    /// use the in-app one).
    pub fn with_file_dialog(mut self, backend: DialogBackend) -> Self {
        self.file_chooser.set_backend(backend);
        self
    }

    /// Whether the in-app file dialog is on screen.
    pub fn is_file_dialog_open(&self) -> bool {
        self.file_chooser.is_open()
    }

    fn check_recovery(&mut self) {
        self.recovery_offer = self.session.recovery_path().filter(|p| p.exists());
    }

    /// Whether a recovery file from an earlier session is waiting for an answer.
    pub fn offers_recovery(&self) -> bool {
        self.recovery_offer.is_some()
    }

    /// The state behind the window.
    pub fn session(&self) -> &Session {
        &self.session
    }

    pub fn has_unsaved_changes(&self) -> bool {
        self.session.has_unsaved_changes()
    }

    pub fn workspace_path(&self) -> Option<&Path> {
        self.session.workspace_path()
    }

    /// Writes the unsaved work to the recovery file now (the app does this every minute).
    pub fn autosave(&mut self) -> std::io::Result<()> {
        self.session.autosave_now()
    }

    /// The minute's autosave, written on a worker thread from a copy of the data: an edited
    /// file of a million events is hundreds of megabytes of JSON, which would stall the
    /// window. A failure shows in the status bar.
    fn autosave_in_background(&mut self) {
        if self.autosave_result.is_some() {
            return; // the last one is still being written
        }
        let Some(job) = self.session.autosave_job() else {
            return;
        };
        let (tx, rx) = channel();
        std::thread::spawn(move || {
            let _ = tx.send(job.run());
        });
        self.autosave_result = Some(rx);
    }

    fn save_dialog(&mut self, ctx: &egui::Context) {
        if self.save_dialog.is_some() {
            return;
        }
        let stem = self.file_stem("workspace");
        let doc = self.session.document();
        let mut request = FileRequest::save("Save the workspace")
            .file_name(format!("{stem}.relmap"))
            .filter("relmap workspace", &["relmap"]);
        // Beside the workspace, else beside the data it was made from.
        let near = self
            .session
            .workspace_path()
            .or_else(|| doc.and_then(|d| d.path.as_deref()));
        if let Some(dir) = near.and_then(|p| p.parent()).filter(|d| d.is_dir()) {
            request = request.directory(dir);
        }
        self.save_dialog = Some(self.file_chooser.pick_one(ctx, request));
    }

    pub fn document(&self) -> Option<&Document> {
        self.session.document()
    }

    /// The actor the inspector shows: the one selected last.
    pub fn selected(&self) -> Option<ActorId> {
        self.session.selection().last_actor()
    }

    pub fn selection(&self) -> &[ActorId] {
        self.session.selection().actors()
    }

    /// The selected tie, if any.
    pub fn selected_edge(&self) -> Option<(ActorId, ActorId)> {
        self.session.selection().edge()
    }

    /// The selection's events (sorted): what the table marks and the timeline draws.
    pub fn highlighted_events(&self) -> &[EventId] {
        self.session.selection().highlight()
    }

    /// The Import Article dialog's candidates and how many are accepted, while open.
    pub fn article_candidates(&self) -> Option<(usize, usize)> {
        self.import_article.as_ref().map(ImportArticle::candidates)
    }

    /// Reads an article into the open Import Article dialog (as its Open button does).
    pub fn load_article(&mut self, path: &Path) {
        if let Some(dialog) = &mut self.import_article {
            dialog.load(path, self.session.document());
        }
    }

    /// The Export Animation dialog's complaint and whether it is exporting, while open.
    pub fn animation_status(&self) -> Option<(Option<&str>, bool)> {
        self.animation.as_ref().map(AnimationDialog::status)
    }

    /// The Actors panel's rows, in the order shown.
    pub fn actor_rows(&self) -> &[ActorId] {
        self.actors_panel.rows()
    }

    /// The window's network metrics, once worked out.
    pub fn window_metrics(&self) -> Option<&crate::analysis::WindowMetrics> {
        self.metrics.metrics()
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
        self.session.style()
    }

    pub fn focus(&self) -> Option<ActorId> {
        self.session.focus()
    }

    pub fn is_loading(&self) -> bool {
        self.loading.is_some()
    }

    /// The failure shown in a window: what failed, and why.
    pub fn error(&self) -> Option<&str> {
        self.error.as_ref().map(|(_, message)| message.as_str())
    }

    /// The title of the failure window ("Could not save", …).
    pub fn error_title(&self) -> Option<&str> {
        self.error.as_ref().map(|(title, _)| title.as_str())
    }

    /// What the user has been told this session, oldest first.
    pub fn notices(&self) -> &[super::notifications::Notice] {
        self.notices.history()
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

    fn open_sample(&mut self, ctx: &egui::Context) {
        let path = Path::new("belarus-iran.csv");
        match io::load_bytes(crate::SAMPLE_CSV.as_bytes(), path, &LoadOptions::default()) {
            Ok(loaded) => {
                let doc = Document::new(crate::SAMPLE_NAME.into(), None, loaded);
                self.adopt(ctx, doc, Adopted::File);
            }
            Err(e) => self.report_error("Could not open the sample", e.to_string()),
        }
    }

    /// A new document replaces the open one: the window's own state starts afresh too.
    fn adopt(&mut self, ctx: &egui::Context, doc: Document, from: Adopted) {
        self.force = None;
        let discard = std::mem::take(&mut self.leave_approved);
        let effects = self.session.adopt(doc, from, discard);
        self.timeline = TimelineState::default();
        self.metrics.reset();
        self.actors_panel = ActorsPanelState::default();
        self.view = MapView::default();
        self.show_diagnostics = false;
        self.event_dialog = None;
        // The rename box held the last document's actor name.
        self.actor_edit = ActorEditState::default();
        self.window_glide = None;
        self.carry_out(ctx, effects);
    }

    /// The scenes recorded for this document.
    pub fn scenes(&self) -> &[SceneSpec] {
        self.session.scenes().list()
    }

    pub fn is_presenting(&self) -> bool {
        self.presenting
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
        let arrived = t >= 1.0;
        let effects = self.session.glide_window(w, arrived);
        self.carry_out(ctx, effects);
        if arrived {
            self.window_glide = None;
        } else {
            ctx.request_repaint();
        }
    }

    fn export_events_dialog(&mut self, ctx: &egui::Context) {
        if self.events_dialog.is_some() {
            return;
        }
        let request = FileRequest::save("Export the events in the table")
            .file_name("events.csv")
            .filter("CSV", &["csv"])
            .filter("JSON", &["json"]);
        self.events_dialog = Some(self.file_chooser.pick_one(ctx, request));
    }

    /// Writes the table's events (window, filters, search) as native CSV or JSON.
    fn export_events(&mut self, path: &Path) {
        let Some(doc) = self.session.document() else {
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
        match written {
            Ok(()) => {
                self.notices
                    .success(format!("Wrote {} events to {}", rows.len(), path.display()))
            }
            Err(e) => self.report_error(
                "Could not export the events",
                format!("{}: {e}", path.display()),
            ),
        }
    }

    /// The document's name without extension, for suggested file names.
    fn file_stem(&self, fallback: &str) -> String {
        self.session
            .document()
            .map(|d| {
                d.name
                    .split(['.', ' '])
                    .next()
                    .unwrap_or(fallback)
                    .to_string()
            })
            .unwrap_or_else(|| fallback.to_string())
    }

    /// Writes the actor network as GEXF on a worker (the metrics of the whole span take
    /// seconds on big files); a notification says when it is written.
    fn export_network(&mut self, ctx: &egui::Context, path: PathBuf) {
        let Some(doc) = self.session.document() else {
            return;
        };
        let dataset = Arc::clone(&doc.dataset);
        let (tx, rx) = channel();
        let ctx = ctx.clone();
        std::thread::spawn(move || {
            let mut bytes = Vec::new();
            let outcome = crate::export::gexf::write_gexf(&dataset, &mut bytes)
                .and_then(|()| crate::export::file::write_file_atomically(&path, &bytes))
                .map(|()| format!("Wrote the network to {}", path.display()))
                .map_err(|e| format!("{}: {e}", path.display()));
            let _ = tx.send(outcome);
            ctx.request_repaint();
        });
        self.jobs.push(("Could not export the network".into(), rx));
    }

    /// Writes the Actors panel's table (its rows, in its order) as CSV.
    fn export_actors(&mut self, path: &Path) {
        let (Some(doc), Some(metrics)) = (self.session.document(), self.metrics.metrics()) else {
            self.report_error(
                "Could not export the actors",
                "The window's metrics are not worked out yet: open View ▸ Actors and Metrics.",
            );
            return;
        };
        let rows = self.actors_panel.rows().to_vec();
        let bytes = actors_csv(&doc.dataset, metrics, &rows);
        match crate::export::file::write_file_atomically(path, &bytes) {
            Ok(()) => {
                self.notices
                    .success(format!("Wrote {} actors to {}", rows.len(), path.display()))
            }
            Err(e) => self.report_error(
                "Could not export the actors",
                format!("{}: {e}", path.display()),
            ),
        }
    }

    /// Actors merged into `keep` that can be split off again.
    pub fn merged_into(&self, keep: ActorId) -> Vec<ActorId> {
        self.session.merged_into(keep)
    }

    /// What Edit ▸ Undo would undo.
    pub fn undo_label(&self) -> Option<&str> {
        self.session.history().undo_label()
    }

    pub fn redo_label(&self) -> Option<&str> {
        self.session.history().redo_label()
    }

    /// Does what the session says the window must do after a change.
    fn carry_out(&mut self, ctx: &egui::Context, effects: Effects) {
        if effects.layout_replaced {
            self.force = None;
        }
        for actor in &effects.pins {
            self.sync_pin(*actor);
        }
        if effects.relayout {
            self.restart_force(ctx);
        }
        if effects.fit_view {
            self.view.fit_pending = true;
        }
        if effects.centre_on.is_some() || effects.not_found {
            self.search_miss = effects.not_found;
        }
        if let Some(centre) = effects.centre_on {
            let mut target = self.view.camera;
            target.centre = centre;
            target.zoom = target.zoom.max(0.6);
            self.view.camera_target = Some(target);
        }
        if let Some((from, to)) = effects.glide {
            self.window_glide = Some((from, to, ctx.input(|i| i.time)));
        }
        if let Some([x, y, zoom]) = effects.camera {
            self.view.camera_target = Some(picture::Camera {
                centre: [x, y],
                zoom,
            });
        }
        if let Some(path) = effects.saved {
            self.remember(&path);
            self.notices.success(format!("Saved {}", path.display()));
        }
        if let Some(warning) = effects.warning {
            self.notices.warning(warning);
        }
        if let Some(failure) = effects.failure {
            self.report_error(failure.title, failure.message);
        }
    }

    /// Tells the force worker whether an actor is pinned, and where.
    fn sync_pin(&self, actor: ActorId) {
        let (Some(worker), Some(doc)) = (&self.force, self.session.document()) else {
            return;
        };
        let a = actor as usize;
        if doc.pinned.get(a) == Some(&true) {
            worker.pin(a, doc.target[a]);
        } else {
            worker.unpin(a);
        }
    }

    /// Tells the force worker (starting it if needed) that the window or filters changed.
    fn restart_force(&mut self, ctx: &egui::Context) {
        let Some(doc) = self.session.document() else {
            return;
        };
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

    /// The map's choices as the session holds them.
    fn map_choices<'a>(&'a self, style: &'a MapStyle) -> MapChoices<'a> {
        let selection = self.session.selection();
        MapChoices {
            style,
            selected: selection.actors(),
            selected_edge: selection.edge(),
            focus: self.session.focus().map(|f| (f, self.session.focus_hops())),
            metrics: self.map_metrics(),
        }
    }

    /// The metrics the map draws with, when its style asks for them.
    fn map_metrics(&self) -> Option<&crate::analysis::WindowMetrics> {
        let style = self.session.style();
        style
            .needs_metrics()
            .then(|| self.metrics.metrics())
            .flatten()
    }

    /// The picture the map shows now, at the map's size, for export.
    fn current_scene(&self, measure: &dyn Fn(&str, f32, bool) -> f32) -> Option<picture::Picture> {
        let doc = self.session.document()?;
        let choices = self.map_choices(self.session.style());
        let input = map_input(
            doc,
            &choices,
            self.view.camera,
            self.view.last_size,
            None,
            &[],
            usize::MAX,
        );
        Some(picture::build(&input, measure))
    }

    fn export_image(&mut self, path: &Path) {
        let measure =
            |t: &str, size: f32, bold: bool| crate::export::font::text_width(t, size, bold);
        let Some(mut picture) = self.current_scene(&measure) else {
            return;
        };
        if let Some(doc) = self.session.document() {
            picture.caption = Some(crate::export::caption(
                &doc.dataset,
                doc.window(),
                self.session.style(),
                picture.width,
                &measure,
            ));
        }
        // PNG at twice the map's point size, so that it stays sharp on a slide.
        let scale = match crate::export::ImageFormat::of_path(path) {
            Some(crate::export::ImageFormat::Png) => 2.0,
            _ => 1.0,
        };
        let result = crate::export::write_image(&picture, path, scale);
        match result {
            Ok(()) => self
                .notices
                .success(format!("Saved the map as {}", path.display())),
            Err(e) => self.report_error(
                "Could not export the map",
                format!("{}: {e}", path.display()),
            ),
        }
    }

    fn export_dialog(&mut self, ctx: &egui::Context) {
        if self.export_dialog.is_some() {
            return;
        }
        let stem = self.file_stem("map");
        let request = FileRequest::save("Export image of the map")
            .file_name(format!("{stem}.svg"))
            .filter("SVG image", &["svg"])
            .filter("PNG image", &["png"]);
        self.export_dialog = Some(self.file_chooser.pick_one(ctx, request));
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
        self.start_loading_files(ctx, vec![path], options);
    }

    /// Reads one file, or several (and archive members) into one dataset, on a worker.
    fn start_loading_files(
        &mut self,
        ctx: &egui::Context,
        paths: Vec<PathBuf>,
        options: LoadOptions,
    ) {
        if let Some(old) = self.loading.take() {
            old.cancel();
        }
        self.loading = Loader::start(ctx, paths, options);
    }

    /// Asks for files to open (the native dialog on a worker, or the in-app one); the
    /// chosen paths come back over a channel. The first opens, the others join the recent
    /// list, as on the command line.
    fn open_dialog(&mut self, ctx: &egui::Context) {
        if self.dialog.is_some() {
            return;
        }
        let mut request = FileRequest::open_many("Open an event file")
            .filter(
                "Event files, workspaces and indexes",
                &[
                    "csv", "tsv", "tab", "txt", "json", "relmap", "relidx", "zip", "gz", "xlsx",
                    "xlsm", "xls", "ods", "parquet",
                ],
            )
            .filter("All files", &["*"]);
        if let Some(dir) = self.recent.first().and_then(|p| p.parent()) {
            request = request.directory(dir);
        }
        self.dialog = Some(self.file_chooser.pick_many(ctx, request));
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
            if let Some(problem) = self.session.autosave_finished(outcome) {
                self.notices.error(format!("Autosave failed: {problem}"));
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
        if let Some(dialog) = &self.network_dialog
            && let Ok(answer) = dialog.try_recv()
        {
            self.network_dialog = None;
            if let Some(path) = answer {
                self.pending.push(Command::ExportNetwork(path));
            }
        }
        let mut finished = Vec::new();
        self.jobs
            .retain(|(what, receiver)| match receiver.try_recv() {
                Ok(outcome) => {
                    finished.push((what.clone(), outcome));
                    false
                }
                Err(std::sync::mpsc::TryRecvError::Empty) => true,
                Err(std::sync::mpsc::TryRecvError::Disconnected) => {
                    finished.push((
                        what.clone(),
                        Err("the worker stopped without a word".into()),
                    ));
                    false
                }
            });
        for (what, outcome) in finished {
            match outcome {
                Ok(done) => self.notices.success(done),
                Err(why) => self.report_error(what, why),
            }
        }
        if let Some(dialog) = &self.actors_dialog
            && let Ok(answer) = dialog.try_recv()
        {
            self.actors_dialog = None;
            if let Some(path) = answer {
                self.pending.push(Command::ExportActors(path));
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
        if let Some(positions) = self.force.as_ref().and_then(ForceWorker::take_positions) {
            self.session.take_force_positions(&positions);
        }
        if self.session.animate(ctx.input(|i| i.stable_dt)) {
            ctx.request_repaint();
        }
        if let Some(dialog) = &self.dialog
            && let Ok(answer) = dialog.try_recv()
        {
            self.dialog = None;
            let mut paths = answer.unwrap_or_default();
            match paths.len() {
                0 => self.leave_approved = false,
                1 => self.pending.push(Command::Open(paths.remove(0))),
                _ => self.pending.push(Command::OpenFiles(paths)),
            }
        }
        if let Some(finished) = self.loading.as_ref().and_then(Loader::finished) {
            self.loading = None;
            self.finish_loading(ctx, finished);
            ctx.request_repaint();
        }
    }

    /// A load ended: the document replaces the open one, or the user is told why not.
    fn finish_loading(&mut self, ctx: &egui::Context, finished: Finished) {
        let Finished {
            path,
            paths,
            restoring,
            took,
            result,
        } = finished;
        match result {
            Ok((doc, view)) => {
                if !restoring {
                    for p in paths.iter().rev() {
                        // An archive member is remembered as its archive.
                        let (file, _) = io::archive::split_member(p);
                        self.remember(&file);
                    }
                }
                let opened = format!(
                    "Opened {} ({}, {} actors) in {took:.1} s",
                    doc.name,
                    doc.dataset.events_label(),
                    doc.dataset.actors.len()
                );
                // An index whose sources changed keeps working; the user should know that
                // the details of those sources' events are not shown.
                let index_warnings: Vec<String> = if doc.dataset.details_on_demand() {
                    doc.diagnostics
                        .warnings
                        .iter()
                        .map(|w| format!("{}: {}", w.file.as_deref().unwrap_or(""), w.message))
                        .collect()
                } else {
                    Vec::new()
                };
                let from = match view {
                    None => Adopted::File,
                    Some(view) if restoring => Adopted::Restored(view),
                    Some(view) => Adopted::Workspace(path, view),
                };
                self.adopt(ctx, doc, from);
                self.error = None;
                self.notices.success(opened);
                for warning in index_warnings {
                    self.notices.warning(warning);
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
                self.mapping_dialog = Some(MappingDialog::new(path, *preview, &start));
            }
            Err(err) if err.is_cancelled() => {
                self.leave_approved = false;
                self.notices
                    .info(format!("Stopped reading {}", path.display()));
            }
            Err(err) => {
                self.leave_approved = false;
                let (title, text) = loader::failure_text(&err);
                self.report_error(title, text);
            }
        }
    }

    /// Files dropped on the window open like File ▸ Open.
    fn take_dropped_files(&mut self, ctx: &egui::Context) {
        let mut dropped: Vec<PathBuf> = ctx.input(|i| {
            i.raw
                .dropped_files
                .iter()
                .map(|f| f.path().to_path_buf())
                .collect()
        });
        match dropped.len() {
            0 => {}
            1 => self.pending.push(Command::Open(dropped.remove(0))),
            _ => self.pending.push(Command::OpenFiles(dropped)),
        }
    }

    /// What a menu entry or a shortcut of [`actions::ACTIONS`] does.
    fn do_action(&mut self, action: Action) {
        let command = match action {
            Action::Open => Command::OpenDialog,
            Action::OpenSample => Command::OpenSample,
            Action::Save => Command::Save,
            Action::SaveAs => Command::SaveAsDialog,
            Action::ExportImage => Command::ExportImageDialog,
            Action::ExportEvents => Command::ExportEventsDialog,
            Action::ExportNetwork => Command::ExportNetworkDialog,
            Action::ExportAnimation => Command::ShowAnimationDialog(true),
            Action::ImportArticle => Command::ShowImportArticle(true),
            Action::BuildIndex => Command::ShowIndexDialog(true),
            Action::Quit => Command::Quit,
            Action::Undo => Command::Undo,
            Action::Redo => Command::Redo,
            Action::AddEvent => Command::EditEventDialog(None),
            Action::AddNote => {
                let subject = note_subject(self.session.selection());
                match (self.session.document(), subject) {
                    (Some(doc), Some(subject)) => self.note_edit.start(doc, subject),
                    _ => self
                        .notices
                        .info("Select an actor, a tie or one event to add a note to it"),
                }
                return;
            }
            Action::FindActor => {
                self.focus_search = true;
                return;
            }
            Action::FitView => Command::FitView,
            Action::Diagnostics => Command::ShowDiagnostics(true),
            Action::Messages => {
                self.notices.toggle_history();
                return;
            }
            Action::FiltersPanel => {
                self.show_filters = !self.show_filters;
                return;
            }
            Action::EventTable => {
                self.show_table = !(self.show_table && self.bottom_tab == BottomTab::Events);
                self.bottom_tab = BottomTab::Events;
                return;
            }
            Action::ActorsPanel => {
                self.show_table = !(self.show_table && self.bottom_tab == BottomTab::Actors);
                self.bottom_tab = BottomTab::Actors;
                return;
            }
            Action::Scenes => Command::ShowScenes(!self.show_scenes),
            Action::Present => Command::TogglePresentation,
            Action::FullScreen => Command::ToggleFullscreen,
            Action::Layout(kind) => Command::SetLayout(kind),
            Action::PlayPause => Command::TogglePlayback,
            Action::KeyboardShortcuts => Command::ShowShortcuts(!self.show_shortcuts),
        };
        self.pending.push(command);
    }

    fn take_shortcuts(&mut self, ctx: &egui::Context) {
        let typing = ctx.egui_wants_keyboard_input();
        let has_document = self.session.document().is_some();
        let pressed = ctx.input_mut(|i| actions::consume_shortcuts(i, typing, has_document));
        for action in pressed {
            self.do_action(action);
        }
        ctx.input_mut(|i| {
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
            if !typing && i.consume_key(Modifiers::NONE, Key::Escape) {
                if self.session.focus().is_some() {
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
    }

    /// Carries out a command: the session's go to the session; the rest (dialogs,
    /// windows, the viewport) are the window's.
    pub fn apply(&mut self, ctx: &egui::Context, command: Command) {
        // Leaving the document with unsaved changes asks first.
        let leaves = matches!(
            command,
            Command::Open(_)
                | Command::OpenFiles(_)
                | Command::OpenMapped(..)
                | Command::OpenDialog
                | Command::OpenSample
                | Command::NewFromArticle { .. }
                | Command::Quit
        );
        if leaves && self.session.has_unsaved_changes() && !self.leave_approved {
            self.confirm = Some(command);
            return;
        }
        let command = match command {
            // Only the window knows where the camera is (or is heading).
            Command::RecordScene {
                title,
                camera: None,
            } => {
                let camera = self.view.camera_target.unwrap_or(self.view.camera);
                Command::RecordScene {
                    title,
                    camera: Some([camera.centre[0], camera.centre[1], camera.zoom]),
                }
            }
            // What waited for this save goes on only if it worked; after a failure it is
            // dropped, never run after some later save.
            Command::SaveWorkspace(path) => {
                let next = self.after_save.take();
                if self.apply_to_session(ctx, Command::SaveWorkspace(path))
                    && let Some(next) = next
                {
                    self.apply(ctx, next);
                }
                return;
            }
            other => other,
        };
        match self.session.apply(command) {
            Outcome::Done(effects) => self.carry_out(ctx, effects),
            Outcome::ForTheUi(command) => self.apply_ui(ctx, command),
        }
    }

    /// Hands a command to the session and does what it says; whether it saved a file.
    fn apply_to_session(&mut self, ctx: &egui::Context, command: Command) -> bool {
        match self.session.apply(command) {
            Outcome::Done(effects) => {
                let saved = effects.saved.is_some();
                self.carry_out(ctx, effects);
                saved
            }
            Outcome::ForTheUi(_) => false,
        }
    }

    /// The window's own commands.
    fn apply_ui(&mut self, ctx: &egui::Context, command: Command) {
        match command {
            Command::Open(path) => match OpenPicker::for_path(&path) {
                Some(picker) => self.open_picker = Some(picker),
                None => self.start_loading(ctx, path),
            },
            Command::OpenFiles(paths) => {
                let options = self.options.clone();
                self.start_loading_files(ctx, paths, options);
            }
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
            Command::OpenSample => self.open_sample(ctx),
            Command::TogglePlayback => {
                if let Some(doc) = self.session.document() {
                    let mut commands = Vec::new();
                    self.timeline.toggle_playback(doc, &mut commands);
                    for c in commands {
                        self.apply(ctx, c);
                    }
                }
            }
            Command::Notify(text) => self.notices.info(text),
            Command::ShowScenes(show) => self.show_scenes = show,
            Command::TogglePresentation => {
                self.presenting = !self.presenting;
                self.fullscreen = self.presenting;
                // The workspace's suggested theme, for the presentation only.
                if self.presenting
                    && let Some(theme) = self.session.presentation_theme()
                {
                    self.theme_before_presenting = Some(ctx.options(|o| o.theme_preference));
                    ctx.set_theme(match theme {
                        Theme::Dark => egui::ThemePreference::Dark,
                        Theme::Light => egui::ThemePreference::Light,
                    });
                } else if let Some(before) = self.theme_before_presenting.take() {
                    ctx.set_theme(before);
                }
                ctx.send_viewport_cmd(egui::ViewportCommand::Fullscreen(self.presenting));
                // A presentation starts at the first scene.
                if self.presenting && !self.session.scenes().list().is_empty() {
                    self.apply(ctx, Command::GoToScene(0));
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
            Command::ExportActorsDialog => {
                if self.actors_dialog.is_none() {
                    let request = FileRequest::save("Export the actors and their metrics")
                        .file_name("actors.csv")
                        .filter("CSV", &["csv"]);
                    self.actors_dialog = Some(self.file_chooser.pick_one(ctx, request));
                }
            }
            Command::ExportActors(path) => self.export_actors(&path),
            Command::ExportNetworkDialog => {
                if self.network_dialog.is_none() {
                    let stem = self.file_stem("network");
                    let request = FileRequest::save("Export the actor network for Gephi")
                        .file_name(format!("{stem}.gexf"))
                        .filter("GEXF", &["gexf"]);
                    self.network_dialog = Some(self.file_chooser.pick_one(ctx, request));
                }
            }
            Command::ExportNetwork(path) => self.export_network(ctx, path),
            Command::NewFromArticle { candidates, source } => {
                let dataset = crate::extract::to_dataset(&candidates, &source);
                let name = Path::new(&source).file_name().map_or_else(
                    || "article".to_string(),
                    |n| n.to_string_lossy().into_owned(),
                );
                let loaded = io::Loaded {
                    dataset,
                    format: io::Format::Csv,
                    diagnostics: Default::default(),
                };
                let count = candidates.len();
                self.adopt(ctx, Document::new(name, None, loaded), Adopted::File);
                self.notices
                    .success(format!("A new map of {count} events from {source}"));
            }
            Command::ShowImportArticle(show) => {
                self.import_article = show.then(ImportArticle::default);
            }
            Command::ShowIndexDialog(show) => {
                self.index_dialog = show.then(IndexDialog::default);
            }
            Command::ShowAnimationDialog(show) => {
                self.animation = match (show, self.session.document()) {
                    (true, Some(doc)) => Some(AnimationDialog::new(
                        doc,
                        self.timeline.unit(),
                        self.session.style().theme,
                        self.session.workspace_path().or(doc.path.as_deref()),
                    )),
                    _ => None,
                };
            }
            Command::EditEventDialog(event) => {
                if let Some(doc) = self.session.document() {
                    self.event_dialog = Some(EventEditor::new(doc, event));
                }
            }
            Command::CloseEventDialog => self.event_dialog = None,
            Command::ExportImageDialog => self.export_dialog(ctx),
            Command::ExportImage(path) => self.export_image(&path),
            Command::FitView => self.view.fit_pending = true,
            Command::CancelLoad => {
                if let Some(loading) = self.loading.take() {
                    loading.cancel();
                }
            }
            Command::ShowDiagnostics(show) => self.show_diagnostics = show,
            Command::DismissError => self.error = None,
            Command::Quit => {
                self.allow_close = true;
                ctx.send_viewport_cmd(egui::ViewportCommand::Close);
            }
            Command::Save => match self.session.workspace_path() {
                Some(path) => self.apply(ctx, Command::SaveWorkspace(path.to_path_buf())),
                None => self.save_dialog(ctx),
            },
            Command::SaveAsDialog => self.save_dialog(ctx),
            Command::AnswerUnsaved(answer) => {
                let Some(next) = self.confirm.take() else {
                    return;
                };
                match answer {
                    UnsavedAnswer::Cancel => {}
                    UnsavedAnswer::Discard => {
                        // The changes stay (and stay marked) until another document
                        // replaces them: an Open that fails, or a dialog cancelled, leaves
                        // them as they were, and the next attempt asks again.
                        self.leave_approved = true;
                        self.apply(ctx, next);
                    }
                    UnsavedAnswer::Save => match self.session.workspace_path() {
                        Some(path) => {
                            self.after_save = Some(next);
                            self.apply(ctx, Command::SaveWorkspace(path.to_path_buf()));
                        }
                        None => {
                            self.after_save = Some(next);
                            self.save_dialog(ctx);
                        }
                    },
                }
            }
            Command::AnswerRecovery(None) => self.recovery_offer = None,
            Command::AnswerRecovery(answer) => {
                if let (Some(restore), Some(path)) = (answer, self.recovery_offer.take()) {
                    if restore {
                        self.start_loading_with(ctx, path, LoadOptions::default());
                        self.loading = self.loading.take().map(Loader::restoring);
                    } else {
                        let _ = std::fs::remove_file(path);
                    }
                }
            }
            // The session's own never come back here.
            other => debug_assert!(false, "{other:?} was handed back by the session"),
        }
    }

    fn menu_ui(&mut self, ui: &mut Ui) {
        let state = menu::MenuState {
            has_document: self.session.document().is_some(),
            recent: &self.recent,
            undo_label: self.undo_label(),
            redo_label: self.redo_label(),
            show_filters: self.show_filters,
            show_table: self.show_table && self.bottom_tab == BottomTab::Events,
            show_actors: self.show_table && self.bottom_tab == BottomTab::Actors,
            layout: self.session.document().map(|d| d.layout),
        };
        for choice in menu::menu_bar(ui, &state) {
            match choice {
                menu::MenuChoice::Action(action) => self.do_action(action),
                menu::MenuChoice::OpenRecent(path) => self.pending.push(Command::Open(path)),
            }
        }
    }

    fn status_ui(&mut self, ui: &mut Ui) {
        status_bar_ui(
            ui,
            self.loading.as_ref(),
            self.dialog.is_some(),
            self.session.document(),
            &mut self.notices,
            &mut self.pending,
        );
    }

    /// The list of scenes: record, go to, reorder, delete, present.
    fn scenes_window(&mut self, ctx: &egui::Context) {
        if !self.show_scenes || self.presenting {
            return;
        }
        let scenes = self.session.scenes();
        let list = ScenesList {
            scenes: scenes.list(),
            current: scenes.current(),
            presentation_theme: self.session.presentation_theme(),
        };
        let open = scenes_window::show(ctx, &list, &mut self.scene_title, &mut self.pending);
        if !open {
            self.show_scenes = false;
        }
    }

    /// Help ▸ Keyboard Shortcuts.
    fn shortcuts_window(&mut self, ctx: &egui::Context) {
        if self.show_shortcuts {
            actions::shortcuts_window(ctx, &mut self.show_shortcuts);
        }
    }

    /// File ▸ Export Animation…, while open.
    fn animation_window(&mut self, ctx: &egui::Context) {
        let (Some(dialog), Some(doc)) = (&mut self.animation, self.session.document()) else {
            return;
        };
        // The map as it is, built only when the dialog plans, previews or exports: a view
        // holds every actor's place, too much to build each frame.
        let session = &self.session;
        let view = || session.workspace_view();
        match dialog.show(ctx, doc, &view, &mut self.file_chooser) {
            AnimationOutcome::Open => {}
            AnimationOutcome::Closed => self.animation = None,
            AnimationOutcome::Written(text) => {
                self.animation = None;
                self.notices.success(text);
            }
            AnimationOutcome::Failed(why) => {
                self.animation = None;
                self.report_error("Could not export the animation", why);
            }
        }
    }

    /// The event editor window.
    fn event_window(&mut self, ctx: &egui::Context) {
        let Some(dialog) = &mut self.event_dialog else {
            return;
        };
        let (ok, cancel) = match dialog.show(ctx) {
            EditorAnswer::Open => (false, false),
            EditorAnswer::Ok => (true, false),
            EditorAnswer::Cancel => (false, true),
        };
        if cancel {
            self.event_dialog = None;
            return;
        }
        if !ok {
            return;
        }
        let Some(dialog) = self.event_dialog.as_mut() else {
            return;
        };
        // New names become actors in the session, within the edit's undo step.
        match dialog.build() {
            Ok((actor_names, with)) => {
                let event = dialog.event;
                self.event_dialog = None;
                self.pending.push(Command::SaveEvent {
                    event,
                    actor_names,
                    with,
                });
            }
            Err(problem) => dialog.problem = Some(problem),
        }
    }

    /// "Save the changes first?" before leaving a document with unsaved changes.
    fn unsaved_window(&mut self, ctx: &egui::Context) {
        if self.confirm.is_none() {
            return;
        }
        let name = self.session.title_name().unwrap_or_default();
        prompts::unsaved_prompt(ctx, &name, &mut self.pending);
    }

    /// Offers the work autosaved by a session that ended without saving it.
    fn recovery_window(&mut self, ctx: &egui::Context) {
        let Some(path) = &self.recovery_offer else {
            return;
        };
        let open = self.session.document().map(|d| d.name.as_str());
        prompts::recovery_prompt(ctx, path, open, &mut self.pending);
    }

    /// A failure the user must see: a window that names what failed, and the history.
    fn report_error(&mut self, title: impl Into<String>, message: impl Into<String>) {
        let (title, message) = (title.into(), message.into());
        // The window says it; the history keeps it (no toast on top of the window).
        self.notices
            .log(Level::Error, format!("{title}: {message}"));
        self.error = Some((title, message));
    }

    fn error_window(&mut self, ctx: &egui::Context) {
        if let Some((title, message)) = &self.error {
            prompts::error_window(ctx, title, message, &mut self.pending);
        }
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
        if let Some(doc) = self.session.document() {
            let wanted = self.session.style().needs_metrics()
                || (self.show_table && self.bottom_tab == BottomTab::Actors);
            self.metrics.update(&ctx, doc, wanted);
        }
        // Before the shortcuts: an open in-app file dialog takes the keys first.
        self.file_chooser.show(&ctx);
        self.take_dropped_files(&ctx);
        self.take_shortcuts(&ctx);
        // (The in-app file dialog needs no ticking: it redraws on input.)
        if self.loading.is_some() {
            // Keep the progress moving while the loader runs. (A file dialog needs no
            // ticking: its worker asks for a frame when it answers.)
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

        let unsaved = self.session.has_unsaved_changes();
        let title = match self.session.title_name() {
            Some(name) => {
                let mark = if unsaved { " •" } else { "" };
                format!("{name}{mark} — relmap")
            }
            None => "relmap".to_string(),
        };
        // The window's close button asks about unsaved changes too.
        if ctx.input(|i| i.viewport().close_requested()) && unsaved && !self.allow_close {
            ctx.send_viewport_cmd(egui::ViewportCommand::CancelClose);
            self.confirm = Some(Command::Quit);
        }
        let now = ctx.input(|i| i.time);
        if unsaved && now - self.last_autosave >= AUTOSAVE_SECONDS {
            self.last_autosave = now;
            self.autosave_in_background();
        }
        if unsaved {
            // Wake up for the next autosave even when nothing else happens.
            ctx.request_repaint_after(std::time::Duration::from_secs_f64(AUTOSAVE_SECONDS));
        }
        // Only when it changes: every viewport command asks for a repaint, so sending the
        // title each frame kept an untouched window repainting forever.
        if title != self.window_title {
            ctx.send_viewport_cmd(egui::ViewportCommand::Title(title.clone()));
            self.window_title = title;
        }

        self.glide_window(&ctx);
        // Playback moves the window at its own pace, every frame while it plays.
        if let Some(doc) = self.session.document()
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
            && let Some(doc) = self.session.document()
        {
            let selection = self.session.selection();
            let mut commands = Vec::new();
            egui::Panel::bottom("events")
                .resizable(true)
                .default_size(200.0)
                .min_size(90.0)
                .show(ui, |ui| {
                    ui.horizontal(|ui| {
                        for (tab, label) in [
                            (BottomTab::Events, "Events"),
                            (BottomTab::Actors, "Actors and metrics"),
                        ] {
                            if ui.selectable_label(self.bottom_tab == tab, label).clicked() {
                                self.bottom_tab = tab;
                            }
                        }
                    });
                    match self.bottom_tab {
                        BottomTab::Events => table_ui(
                            ui,
                            doc,
                            &mut self.table,
                            selection.highlight(),
                            selection.generation(),
                            &mut commands,
                        ),
                        BottomTab::Actors => actors_panel_ui(
                            ui,
                            doc,
                            self.metrics.metrics(),
                            self.metrics.is_current(doc),
                            self.metrics.last_seconds(),
                            &mut self.actors_panel,
                            selection.actors(),
                            &mut commands,
                        ),
                    }
                });
            self.pending.extend(commands);
        }
        self.apply_pending(&ctx);

        self.session.prepare_frame();
        if let Some(doc) = self.session.document() {
            let mut commands = Vec::new();
            let selection = self.session.selection();
            let measure = match self.session.style().node_size {
                crate::analysis::Measure::Events => crate::analysis::Measure::PageRank,
                m => m,
            };
            let highlight = Highlight {
                events: selection.highlight(),
                generation: selection.generation(),
                label: selection.highlight_label(),
            };
            egui::Panel::bottom("timeline")
                .resizable(true)
                .default_size(190.0)
                .min_size(130.0)
                .show(ui, |ui| {
                    timeline_ui(
                        ui,
                        doc,
                        &mut self.timeline,
                        &highlight,
                        selection.actors(),
                        measure,
                        &mut commands,
                    )
                });
            self.pending.extend(commands);
        }
        self.apply_pending(&ctx);

        let merged = self
            .session
            .selection()
            .last_actor()
            .map(|a| self.merged_into(a))
            .unwrap_or_default();
        if let Some(doc) = self.session.document()
            && !presenting
        {
            let selection = self.session.selection();
            let mut commands = Vec::new();
            egui::Panel::right("inspector")
                .resizable(true)
                .default_size(340.0)
                .min_size(220.0)
                .show(ui, |ui| {
                    inspector_ui(
                        ui,
                        doc,
                        selection.last_actor(),
                        selection.edge(),
                        selection.events(),
                        &mut self.actor_edit,
                        &mut self.note_edit,
                        &merged,
                        &mut commands,
                    )
                });
            self.pending.extend(commands);
        }
        self.apply_pending(&ctx);

        if self.show_filters
            && !presenting
            && let Some(doc) = self.session.document()
        {
            let style = self.session.style();
            let mut commands = Vec::new();
            egui::Panel::left("filters")
                .resizable(true)
                .default_size(210.0)
                .min_size(170.0)
                .show(ui, |ui| {
                    egui::ScrollArea::vertical()
                        .show(ui, |ui| filters_ui(ui, doc, style, &mut commands))
                });
            self.pending.extend(commands);
        }
        self.apply_pending(&ctx);

        let theme = if ctx.global_style().visuals.dark_mode {
            Theme::Dark
        } else {
            Theme::Light
        };
        if self.session.style().theme != theme {
            self.apply(&ctx, Command::FollowTheme(theme));
        }
        let mut commands = Vec::new();
        egui::CentralPanel::default()
            .frame(egui::Frame::NONE)
            .show(ui, |ui| match self.session.document() {
                Some(doc) => {
                    // The panel has no frame (the map paints its own background); the strip
                    // above the map and the gap below it get the panel colour.
                    ui.painter()
                        .rect_filled(ui.max_rect(), 0.0, ui.visuals().panel_fill);
                    let mut style = self.session.style().clone();
                    if presenting {
                        style.label_scale *= PRESENTATION_SCALE;
                        let title = self
                            .session
                            .scenes()
                            .current_scene()
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
                                    self.session.style(),
                                    &mut self.search,
                                    self.search_miss,
                                    self.session.focus(),
                                    self.session.focus_hops(),
                                    std::mem::take(&mut self.focus_search),
                                    &mut commands,
                                )
                            });
                    }
                    let selection = self.session.selection();
                    let needs_metrics = self.session.style().needs_metrics();
                    let choices = MapChoices {
                        style: &style,
                        selected: selection.actors(),
                        selected_edge: selection.edge(),
                        focus: self.session.focus().map(|f| (f, self.session.focus_hops())),
                        metrics: needs_metrics.then(|| self.metrics.metrics()).flatten(),
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

        if let Some(doc) = self.session.document() {
            let mut open = self.show_diagnostics;
            diagnostics_window(&ctx, doc, &mut open);
            self.show_diagnostics = open;
        }
        self.notices
            .show(&ctx, if presenting { 0.0 } else { STATUS_BAR_HEIGHT });
        self.error_window(&ctx);
        if let Some(picker) = &mut self.open_picker
            && !picker.show(&ctx, &mut self.pending)
        {
            self.open_picker = None;
            if self.pending.is_empty() {
                self.leave_approved = false; // cancelled
            }
        }
        self.unsaved_window(&ctx);
        self.animation_window(&ctx);
        if let Some(dialog) = &mut self.import_article
            && !dialog.show(
                &ctx,
                self.session.document(),
                &mut self.file_chooser,
                &mut self.pending,
            )
        {
            self.import_article = None;
        }
        if let Some(dialog) = &mut self.index_dialog {
            match dialog.show(&ctx, &mut self.file_chooser, &mut self.pending) {
                IndexOutcome::Open => {}
                IndexOutcome::Closed => self.index_dialog = None,
                IndexOutcome::Built(text) => self.notices.success(text),
                IndexOutcome::Cancelled => self
                    .notices
                    .info("Index build cancelled; nothing was written"),
                IndexOutcome::Failed(why) => self.report_error("Could not build the index", why),
            }
        }
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
        self.session.remove_recovery();
    }

    fn save(&mut self, storage: &mut dyn eframe::Storage) {
        eframe::set_value(storage, RECENT_KEY, &self.recent);
        self.file_chooser.save(storage);
        eframe::set_value(storage, MAPPINGS_KEY, &self.mappings);
        eframe::set_value(storage, STYLE_KEY, self.session.style());
        if let Some(kind) = self.session.preferred_layout() {
            eframe::set_value(storage, LAYOUT_KEY, &kind);
        }
    }
}
