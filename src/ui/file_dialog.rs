//! The in-app file dialog, used where the desktop has no file dialog of its own to lend
//! (no xdg desktop portal: minimal window managers, remote desktops, locked-down VMs, the
//! virtual display of the tests). It opens one or several files or names a file to save:
//! an editable location (a folder to go to, or a full file path taken as it is), parent and
//! home buttons, recent folders, a table of folders then files with size and date, a filter
//! by the action's extensions with an "All files" choice, and a confirmation before an
//! existing file is replaced. Every folder that cannot be read says why in the dialog.
//!
//! The folder listing (`list_folder`) is plain `std::fs` and testable without a window;
//! [`super::file_chooser::FileChooser`] decides when this dialog is used instead of the
//! native one.

use std::cmp::Ordering;
use std::io;
use std::path::{Path, PathBuf};
use std::time::SystemTime;

use eframe::egui::{self, Align, Key, Layout, Modifiers, RichText, Sense, Ui};
use egui_extras::{Column, TableBuilder};
use serde::{Deserialize, Serialize};

/// How many recent folders are remembered.
const MAX_RECENT_FOLDERS: usize = 8;
const ROW_HEIGHT: f32 = 20.0;
/// Width of the column of places (home, recent folders) left of the listing.
const PLACES_WIDTH: f32 = 170.0;

/// A named set of file extensions (without dots, any case). No extensions, or `*`, means
/// every file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FileFilter {
    pub name: String,
    pub extensions: Vec<String>,
}

impl FileFilter {
    pub fn new(name: &str, extensions: &[&str]) -> Self {
        Self {
            name: name.to_string(),
            extensions: extensions.iter().map(|e| e.to_string()).collect(),
        }
    }

    pub fn all_files() -> Self {
        Self::new("All files", &["*"])
    }

    pub fn is_all(&self) -> bool {
        self.extensions.is_empty() || self.extensions.iter().any(|e| e == "*")
    }

    /// Whether a file of this name passes the filter (folders are not asked).
    pub fn matches(&self, path: &Path) -> bool {
        if self.is_all() {
            return true;
        }
        let Some(ext) = path.extension().and_then(|e| e.to_str()) else {
            return false;
        };
        self.extensions.iter().any(|e| e.eq_ignore_ascii_case(ext))
    }
}

/// What the dialog is for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DialogMode {
    /// Pick existing files; several at once when `multiple`.
    Open { multiple: bool },
    /// Name a file to write (it may exist: the dialog asks before replacing it).
    Save,
}

/// One row of a folder listing.
#[derive(Clone, Debug, PartialEq)]
pub struct Entry {
    pub name: String,
    pub path: PathBuf,
    pub is_dir: bool,
    /// Bytes, for files.
    pub size: Option<u64>,
    pub modified: Option<SystemTime>,
}

/// A folder's rows: folders first, then the files the filter lets through, each sorted by
/// name regardless of case.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Listing {
    pub entries: Vec<Entry>,
    /// Entries whose details could not be read (a broken link, a file removed meanwhile).
    pub unreadable: Vec<String>,
}

/// Reads a folder for the dialog. Hidden entries (names starting with a dot) only when
/// `show_hidden`. The error names the folder and says why it cannot be read.
pub fn list_folder(dir: &Path, filter: &FileFilter, show_hidden: bool) -> Result<Listing, String> {
    let read = std::fs::read_dir(dir).map_err(|e| folder_error(dir, &e))?;
    let mut listing = Listing::default();
    for item in read {
        let item = match item {
            Ok(item) => item,
            Err(e) => {
                listing.unreadable.push(e.to_string());
                continue;
            }
        };
        let name = item.file_name().to_string_lossy().into_owned();
        if !show_hidden && name.starts_with('.') {
            continue;
        }
        let path = item.path();
        // `metadata` follows links: a link to a folder is a folder to go into.
        let meta = match std::fs::metadata(&path) {
            Ok(meta) => meta,
            Err(e) => {
                listing.unreadable.push(format!("{name}: {}", reason(&e)));
                continue;
            }
        };
        let is_dir = meta.is_dir();
        if !is_dir && !filter.matches(&path) {
            continue;
        }
        listing.entries.push(Entry {
            name,
            path,
            is_dir,
            size: (!is_dir).then_some(meta.len()),
            modified: meta.modified().ok(),
        });
    }
    listing.entries.sort_by(compare_entries);
    Ok(listing)
}

fn compare_entries(a: &Entry, b: &Entry) -> Ordering {
    b.is_dir
        .cmp(&a.is_dir)
        .then_with(|| a.name.to_lowercase().cmp(&b.name.to_lowercase()))
        .then_with(|| a.name.cmp(&b.name))
}

fn reason(e: &io::Error) -> String {
    match e.kind() {
        io::ErrorKind::PermissionDenied => "permission denied".into(),
        io::ErrorKind::NotFound => "it does not exist".into(),
        io::ErrorKind::NotADirectory => "it is not a folder".into(),
        _ => e.to_string(),
    }
}

fn folder_error(dir: &Path, e: &io::Error) -> String {
    format!("Cannot read the folder {}: {}", dir.display(), reason(e))
}

/// Folders the user picked files in, the latest first. The app keeps them in its storage.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RecentFolders(pub Vec<PathBuf>);

impl RecentFolders {
    pub fn remember(&mut self, dir: &Path) {
        let dir = dir.to_path_buf();
        self.0.retain(|d| d != &dir);
        self.0.insert(0, dir);
        self.0.truncate(MAX_RECENT_FOLDERS);
    }

    pub fn folders(&self) -> &[PathBuf] {
        &self.0
    }
}

/// The user's home folder, if the environment says where it is.
pub fn home_folder() -> Option<PathBuf> {
    std::env::home_dir().filter(|h| h.is_dir())
}

/// `~` and `~/…` stand for the home folder, as in a shell.
fn expand_home(text: &str) -> PathBuf {
    if text == "~" {
        return home_folder().unwrap_or_else(|| PathBuf::from(text));
    }
    if let Some(rest) = text.strip_prefix("~/")
        && let Some(home) = home_folder()
    {
        return home.join(rest);
    }
    PathBuf::from(text)
}

/// How the dialog ended.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum DialogOutcome {
    Picked(Vec<PathBuf>),
    Cancelled,
}

/// The dialog's state across frames.
pub struct FileDialog {
    mode: DialogMode,
    title: String,
    filters: Vec<FileFilter>,
    filter_index: usize,
    folder: PathBuf,
    /// The location box: the folder shown, or what the user is typing there.
    location: String,
    /// The file name box (Save).
    file_name: String,
    listing: Listing,
    error: Option<String>,
    /// Selected rows, by path (they survive a re-listing).
    selected: Vec<PathBuf>,
    /// Where a shift-click range starts.
    anchor: Option<usize>,
    show_hidden: bool,
    /// The file that exists and waits for "Replace" or "Cancel".
    confirm_replace: Option<PathBuf>,
    /// Put the keyboard focus in the name (Save) or location (Open) box next frame.
    focus_pending: bool,
    scroll_to_top: bool,
}

impl FileDialog {
    /// A dialog showing `folder` (the current directory, else home, where it is not a
    /// readable folder). `filters` come first in the type box, "All files" last.
    pub fn new(
        mode: DialogMode,
        title: &str,
        mut filters: Vec<FileFilter>,
        folder: Option<PathBuf>,
        file_name: Option<String>,
    ) -> Self {
        if !filters.iter().any(FileFilter::is_all) {
            filters.push(FileFilter::all_files());
        }
        let mut dialog = Self {
            mode,
            title: title.to_string(),
            filters,
            filter_index: 0,
            folder: PathBuf::new(),
            location: String::new(),
            file_name: file_name.unwrap_or_default(),
            listing: Listing::default(),
            error: None,
            selected: Vec::new(),
            anchor: None,
            show_hidden: false,
            confirm_replace: None,
            focus_pending: true,
            scroll_to_top: false,
        };
        let start = folder
            .filter(|f| f.is_dir())
            .or_else(|| std::env::current_dir().ok())
            .or_else(home_folder)
            .unwrap_or_else(|| PathBuf::from("/"));
        dialog.go_to(start);
        dialog
    }

    pub fn mode(&self) -> DialogMode {
        self.mode
    }

    pub fn folder(&self) -> &Path {
        &self.folder
    }

    pub fn error(&self) -> Option<&str> {
        self.error.as_deref()
    }

    pub fn entries(&self) -> &[Entry] {
        &self.listing.entries
    }

    fn filter(&self) -> &FileFilter {
        &self.filters[self.filter_index]
    }

    /// Shows `dir`; when it cannot be read the dialog stays where it was and says why.
    pub fn go_to(&mut self, dir: PathBuf) {
        let dir = std::fs::canonicalize(&dir).unwrap_or(dir);
        match list_folder(&dir, self.filter(), self.show_hidden) {
            Ok(listing) => {
                self.error = (!listing.unreadable.is_empty()).then(|| {
                    format!(
                        "{} entries could not be read: {}",
                        listing.unreadable.len(),
                        listing.unreadable[0]
                    )
                });
                self.listing = listing;
                self.folder = dir;
                self.selected.clear();
                self.anchor = None;
                self.scroll_to_top = true;
            }
            Err(message) => self.error = Some(message),
        }
        self.location = self.folder.display().to_string();
    }

    fn refresh(&mut self) {
        let selected = std::mem::take(&mut self.selected);
        self.go_to(self.folder.clone());
        self.selected = selected;
    }

    /// The location box's Enter: a folder is shown, a file is taken as the answer (Open:
    /// it must exist; Save: its folder must).
    fn accept_location(&mut self) -> Option<DialogOutcome> {
        let text = self.location.trim().to_string();
        if text.is_empty() {
            self.location = self.folder.display().to_string();
            return None;
        }
        let path = self.folder.join(expand_home(&text));
        if path.is_dir() {
            self.go_to(path);
            return None;
        }
        match self.mode {
            DialogMode::Open { .. } => {
                if path.is_file() {
                    Some(DialogOutcome::Picked(vec![path]))
                } else {
                    self.error = Some(format!("{} does not exist", path.display()));
                    None
                }
            }
            DialogMode::Save => self.save_to(path),
        }
    }

    /// The Open/Save button, or Enter outside the location box.
    fn accept(&mut self) -> Option<DialogOutcome> {
        match self.mode {
            DialogMode::Open { .. } => {
                let dirs: Vec<&PathBuf> = self.selected.iter().filter(|p| p.is_dir()).collect();
                if self.selected.len() == 1 && dirs.len() == 1 {
                    let dir = dirs[0].clone();
                    self.go_to(dir);
                    return None;
                }
                let files: Vec<PathBuf> = self
                    .selected
                    .iter()
                    .filter(|p| !p.is_dir())
                    .cloned()
                    .collect();
                if files.is_empty() {
                    if self.location.trim() != self.folder.display().to_string() {
                        return self.accept_location();
                    }
                    self.error = Some("Choose a file first".into());
                    return None;
                }
                Some(DialogOutcome::Picked(files))
            }
            DialogMode::Save => {
                let name = self.file_name.trim().to_string();
                if name.is_empty() {
                    if self.location.trim() != self.folder.display().to_string() {
                        return self.accept_location();
                    }
                    self.error = Some("Type a file name first".into());
                    return None;
                }
                let path = self.folder.join(expand_home(&name));
                if path.is_dir() {
                    self.file_name.clear();
                    self.go_to(path);
                    return None;
                }
                self.save_to(path)
            }
        }
    }

    /// A name to save to: given the filter's extension where it has none, checked for a
    /// folder to write in, and held for confirmation where the file exists.
    fn save_to(&mut self, mut path: PathBuf) -> Option<DialogOutcome> {
        if path.extension().is_none() && !self.filter().is_all() {
            path.set_extension(&self.filter().extensions[0]);
        }
        match path.parent() {
            Some(parent) if parent.as_os_str().is_empty() || parent.is_dir() => {}
            Some(parent) => {
                self.error = Some(format!("The folder {} does not exist", parent.display()));
                return None;
            }
            None => {
                self.error = Some(format!("Cannot save to {}", path.display()));
                return None;
            }
        }
        if path.exists() {
            self.confirm_replace = Some(path);
            return None;
        }
        Some(DialogOutcome::Picked(vec![path]))
    }

    /// A click on a row: select it, add it (Ctrl) or a range (Shift) in multi-file Open.
    fn click_row(&mut self, index: usize, modifiers: Modifiers) {
        let Some(entry) = self.listing.entries.get(index) else {
            return;
        };
        let multiple = matches!(self.mode, DialogMode::Open { multiple: true });
        if multiple && modifiers.command {
            if let Some(at) = self.selected.iter().position(|p| p == &entry.path) {
                self.selected.remove(at);
            } else {
                self.selected.push(entry.path.clone());
            }
            self.anchor = Some(index);
        } else if multiple && modifiers.shift && self.anchor.is_some() {
            let a = self.anchor.unwrap_or(index);
            let (lo, hi) = (a.min(index), a.max(index));
            self.selected = self.listing.entries[lo..=hi]
                .iter()
                .map(|e| e.path.clone())
                .collect();
        } else {
            self.selected = vec![entry.path.clone()];
            self.anchor = Some(index);
        }
        if self.mode == DialogMode::Save && !entry.is_dir {
            self.file_name = entry.name.clone();
        }
        self.error = None;
    }

    /// A double click: into a folder, or this file as the answer.
    fn open_row(&mut self, index: usize) -> Option<DialogOutcome> {
        let entry = self.listing.entries.get(index)?.clone();
        if entry.is_dir {
            self.go_to(entry.path);
            return None;
        }
        match self.mode {
            DialogMode::Open { .. } => Some(DialogOutcome::Picked(vec![entry.path])),
            DialogMode::Save => {
                self.file_name = entry.name;
                self.save_to(entry.path)
            }
        }
    }

    /// Moves the selection up or down the list with the arrow keys.
    fn step_selection(&mut self, delta: isize) {
        let n = self.listing.entries.len();
        if n == 0 {
            return;
        }
        let current = self
            .selected
            .last()
            .and_then(|p| self.listing.entries.iter().position(|e| &e.path == p));
        let next = match current {
            Some(i) => (i as isize + delta).clamp(0, n as isize - 1) as usize,
            None if delta > 0 => 0,
            None => n - 1,
        };
        self.click_row(next, Modifiers::NONE);
    }

    /// A new filter: re-lists the folder; a Save name with the old filter's extension
    /// takes the new one's.
    fn set_filter(&mut self, index: usize) {
        if index == self.filter_index {
            return;
        }
        let old = self.filter().clone();
        self.filter_index = index;
        let new = self.filter().clone();
        if self.mode == DialogMode::Save && !new.is_all() {
            let name = Path::new(&self.file_name);
            if name.extension().is_some() && old.matches(name) && !new.matches(name) {
                self.file_name = name
                    .with_extension(&new.extensions[0])
                    .to_string_lossy()
                    .into_owned();
            }
        }
        self.refresh();
    }

    /// Draws the dialog (a modal window over the app) and answers once it is done.
    pub fn show(
        &mut self,
        ctx: &egui::Context,
        recent: &mut RecentFolders,
    ) -> Option<DialogOutcome> {
        let screen = ctx.content_rect();
        let size = egui::vec2(
            (screen.width() - 40.0).clamp(320.0, 860.0),
            (screen.height() - 40.0).clamp(260.0, 560.0),
        );
        let mut outcome = None;
        let mut enter_used = false;
        egui::Modal::new(egui::Id::unique("relmap-file-dialog")).show(ctx, |ui| {
            ui.set_width(size.x);
            ui.set_max_height(size.y);
            ui.heading(&self.title);
            ui.add_space(4.0);
            self.location_row_ui(ui, &mut outcome, &mut enter_used);
            ui.add_space(4.0);
            let bottom = if self.mode == DialogMode::Save {
                100.0
            } else {
                70.0
            };
            let list_height = (size.y - bottom - 60.0).max(100.0);
            // Fixed rectangles: a list that sized itself would move every widget under
            // the pointer from one frame to the next.
            let (rect, _) = ui.allocate_exact_size(egui::vec2(size.x, list_height), Sense::hover());
            let places =
                egui::Rect::from_min_size(rect.min, egui::vec2(PLACES_WIDTH, rect.height()));
            let table =
                egui::Rect::from_min_max(egui::pos2(places.right() + 12.0, rect.top()), rect.max);
            ui.painter().vline(
                places.right() + 6.0,
                rect.y_range(),
                ui.visuals().widgets.noninteractive.bg_stroke,
            );
            let builder = |r: egui::Rect| {
                egui::UiBuilder::new()
                    .max_rect(r)
                    .layout(Layout::top_down(Align::Min))
            };
            self.places_ui(&mut ui.new_child(builder(places)), recent, list_height);
            let mut table_ui = ui.new_child(builder(table));
            table_ui.set_clip_rect(table.intersect(ui.clip_rect()));
            self.table_ui(&mut table_ui, list_height, &mut outcome);
            ui.add_space(4.0);
            if let Some(error) = &self.error {
                ui.colored_label(ui.visuals().error_fg_color, error);
            }
            self.bottom_ui(ui, &mut outcome, &mut enter_used);
        });

        // Keys the widgets left: Enter accepts, Esc backs out of the question or cancels,
        // the arrows move the selection.
        let (enter, escape, up, down) = ctx.input_mut(|i| {
            (
                i.consume_key(Modifiers::NONE, Key::Enter),
                i.consume_key(Modifiers::NONE, Key::Escape),
                i.consume_key(Modifiers::NONE, Key::ArrowUp),
                i.consume_key(Modifiers::NONE, Key::ArrowDown),
            )
        });
        if outcome.is_none() {
            if escape {
                if self.confirm_replace.take().is_none() {
                    outcome = Some(DialogOutcome::Cancelled);
                }
            } else if enter && !enter_used && self.confirm_replace.is_none() {
                outcome = self.accept();
            } else if self.confirm_replace.is_none() && !ctx.egui_wants_keyboard_input() {
                if up {
                    self.step_selection(-1);
                }
                if down {
                    self.step_selection(1);
                }
            }
        }
        // The app behind the dialog must not act on the keys typed into it.
        ctx.input_mut(|i| {
            i.events.retain(|e| {
                !matches!(
                    e,
                    egui::Event::Key { .. }
                        | egui::Event::Text(_)
                        | egui::Event::Copy
                        | egui::Event::Cut
                        | egui::Event::Paste(_)
                )
            })
        });
        if let Some(DialogOutcome::Picked(paths)) = &outcome
            && let Some(dir) = paths.first().and_then(|p| p.parent())
        {
            recent.remember(dir);
        }
        outcome
    }

    fn location_row_ui(
        &mut self,
        ui: &mut Ui,
        outcome: &mut Option<DialogOutcome>,
        enter_used: &mut bool,
    ) {
        ui.horizontal(|ui| {
            let up = self.folder.parent().map(Path::to_path_buf);
            if ui
                .add_enabled(up.is_some(), egui::Button::new("Up"))
                .on_hover_text("The parent folder")
                .clicked()
                && let Some(up) = up
            {
                self.go_to(up);
            }
            let home = home_folder();
            if ui
                .add_enabled(home.is_some(), egui::Button::new("Home"))
                .on_hover_text("Your home folder")
                .clicked()
                && let Some(home) = home
            {
                self.go_to(home);
            }
            let label = ui.label("Path");
            let location_id = label.id.with("location");
            let response = ui
                .add(
                    egui::TextEdit::singleline(&mut self.location)
                        .id(location_id)
                        .desired_width(ui.available_width() - 70.0)
                        .hint_text("a folder, or a file's full path"),
                )
                .labelled_by(label.id)
                .on_hover_text("Type a folder or a file's path and press Enter");
            if self.focus_pending && matches!(self.mode, DialogMode::Open { .. }) {
                response.request_focus();
                self.focus_pending = false;
                // What is typed replaces the folder shown, as in a native dialog's path
                // box; it used to be appended to it.
                select_all(ui.ctx(), location_id, &self.location);
            } else if response.gained_focus() {
                select_all(ui.ctx(), location_id, &self.location);
            }
            let entered = response.lost_focus() && ui.input(|i| i.key_pressed(Key::Enter));
            if entered || ui.button("Go").clicked() {
                *enter_used |= entered;
                *outcome = self.accept_location();
            }
        });
    }

    fn places_ui(&mut self, ui: &mut Ui, recent: &RecentFolders, height: f32) {
        egui::ScrollArea::vertical()
            .id_salt("file-dialog-places")
            .auto_shrink([false, false])
            .max_height(height)
            .show(ui, |ui| {
                let mut go = None;
                if let Some(home) = home_folder() {
                    ui.label(RichText::new("Places").strong());
                    if ui
                        .selectable_label(self.folder == home, "Home")
                        .on_hover_text(home.display().to_string())
                        .clicked()
                    {
                        go = Some(home);
                    }
                }
                if !recent.folders().is_empty() {
                    ui.add_space(6.0);
                    ui.label(RichText::new("Recent folders").strong());
                    for dir in recent.folders() {
                        let name = dir
                            .file_name()
                            .map(|n| n.to_string_lossy().into_owned())
                            .unwrap_or_else(|| dir.display().to_string());
                        let response = ui
                            .add(egui::Button::selectable(self.folder == *dir, name).truncate())
                            .on_hover_text(dir.display().to_string());
                        if response.clicked() {
                            go = Some(dir.clone());
                        }
                    }
                }
                ui.add_space(6.0);
                if ui.checkbox(&mut self.show_hidden, "Hidden files").changed() {
                    self.refresh();
                }
                if let Some(dir) = go {
                    self.go_to(dir);
                }
            });
    }

    fn table_ui(&mut self, ui: &mut Ui, height: f32, outcome: &mut Option<DialogOutcome>) {
        if self.listing.entries.is_empty() {
            ui.weak(if self.filter().is_all() {
                "This folder is empty"
            } else {
                "No folders or matching files here"
            });
            return;
        }
        let mut clicked = None;
        let mut opened = None;
        let mut builder = TableBuilder::new(ui)
            .id_salt("file-dialog-table")
            .striped(true)
            .sense(Sense::click())
            .cell_layout(Layout::left_to_right(Align::Center))
            .column(Column::remainder().at_least(160.0).clip(true))
            .column(Column::exact(80.0))
            .column(Column::exact(130.0))
            .min_scrolled_height(height - ROW_HEIGHT - 6.0)
            .max_scroll_height(height - ROW_HEIGHT - 6.0)
            .auto_shrink([false, false]);
        if std::mem::take(&mut self.scroll_to_top) {
            builder = builder.vertical_scroll_offset(0.0);
        }
        let entries = &self.listing.entries;
        let selected = &self.selected;
        builder
            .header(ROW_HEIGHT + 2.0, |mut header| {
                for title in ["Name", "Size", "Modified"] {
                    header.col(|ui| {
                        ui.label(RichText::new(title).strong());
                    });
                }
            })
            .body(|body| {
                body.rows(ROW_HEIGHT, entries.len(), |mut row| {
                    let i = row.index();
                    let entry = &entries[i];
                    let is_selected = selected.contains(&entry.path);
                    row.set_selected(is_selected);
                    let mut name_response = None;
                    row.col(|ui| {
                        let text = if entry.is_dir {
                            RichText::new(format!("{}/", entry.name)).strong()
                        } else {
                            RichText::new(&entry.name)
                        };
                        name_response =
                            Some(ui.add(egui::Button::selectable(is_selected, text).truncate()));
                    });
                    row.col(|ui| {
                        if let Some(size) = entry.size {
                            ui.label(format_size(size));
                        }
                    });
                    row.col(|ui| {
                        if let Some(time) = entry.modified {
                            ui.label(format_time(time));
                        }
                    });
                    let row_response = row.response();
                    let responses = [Some(row_response), name_response];
                    for r in responses.iter().flatten() {
                        if r.double_clicked() {
                            opened = Some(i);
                        } else if r.clicked() {
                            clicked = Some((i, r.ctx.input(|i| i.modifiers)));
                        }
                    }
                });
            });
        if let Some((i, modifiers)) = clicked {
            self.click_row(i, modifiers);
        }
        if let Some(i) = opened {
            *outcome = self.open_row(i);
        }
    }

    fn bottom_ui(
        &mut self,
        ui: &mut Ui,
        outcome: &mut Option<DialogOutcome>,
        enter_used: &mut bool,
    ) {
        if self.mode == DialogMode::Save {
            ui.horizontal(|ui| {
                let label = ui.label("File name");
                let response = ui
                    .add(
                        egui::TextEdit::singleline(&mut self.file_name)
                            .id(label.id.with("file-name"))
                            .desired_width(ui.available_width()),
                    )
                    .labelled_by(label.id);
                if self.focus_pending {
                    response.request_focus();
                    self.focus_pending = false;
                }
                if response.lost_focus()
                    && ui.input(|i| i.key_pressed(Key::Enter))
                    && self.confirm_replace.is_none()
                {
                    *enter_used = true;
                    *outcome = self.accept();
                }
            });
        }
        ui.add_space(4.0);
        if let Some(path) = self.confirm_replace.clone() {
            ui.horizontal(|ui| {
                let name = path
                    .file_name()
                    .map(|n| n.to_string_lossy().into_owned())
                    .unwrap_or_else(|| path.display().to_string());
                ui.label(RichText::new(format!("{name} exists. Replace it?")).strong());
                ui.with_layout(Layout::right_to_left(Align::Center), |ui| {
                    if ui.button("Replace").clicked() {
                        *outcome = Some(DialogOutcome::Picked(vec![path.clone()]));
                    }
                    if ui.button("Cancel").clicked() {
                        self.confirm_replace = None;
                    }
                });
            });
            return;
        }
        ui.horizontal(|ui| {
            let label = ui.label("Files of type");
            let mut index = self.filter_index;
            egui::ComboBox::from_id_salt("file-dialog-filter")
                .selected_text(filter_text(self.filter()))
                .width(260.0)
                .show_ui(ui, |ui| {
                    for (i, filter) in self.filters.iter().enumerate() {
                        ui.selectable_value(&mut index, i, filter_text(filter));
                    }
                })
                .response
                .labelled_by(label.id);
            self.set_filter(index);
            ui.with_layout(Layout::right_to_left(Align::Center), |ui| {
                let verb = match self.mode {
                    DialogMode::Open { .. } => "Open",
                    DialogMode::Save => "Save",
                };
                if ui.button(verb).clicked() {
                    *outcome = self.accept();
                }
                if ui.button("Cancel").clicked() {
                    *outcome = Some(DialogOutcome::Cancelled);
                }
            });
        });
    }
}

fn filter_text(filter: &FileFilter) -> String {
    if filter.is_all() {
        return filter.name.clone();
    }
    let globs: Vec<String> = filter.extensions.iter().map(|e| format!("*.{e}")).collect();
    format!("{} ({})", filter.name, globs.join(", "))
}

/// Sizes as people read them: 532 B, 14 KB, 3.2 MB.
pub fn format_size(bytes: u64) -> String {
    const UNITS: [&str; 4] = ["KB", "MB", "GB", "TB"];
    if bytes < 1024 {
        return format!("{bytes} B");
    }
    let mut value = bytes as f64 / 1024.0;
    let mut unit = 0;
    while value >= 1024.0 && unit + 1 < UNITS.len() {
        value /= 1024.0;
        unit += 1;
    }
    if value < 10.0 {
        format!("{value:.1} {}", UNITS[unit])
    } else {
        format!("{value:.0} {}", UNITS[unit])
    }
}

/// A modification time in the user's time zone, to the minute.
fn format_time(time: SystemTime) -> String {
    jiff::Timestamp::try_from(time)
        .map(|t| {
            t.to_zoned(jiff::tz::TimeZone::system())
                .strftime("%Y-%m-%d %H:%M")
                .to_string()
        })
        .unwrap_or_default()
}

/// Selects the whole text of a text box, so that typing replaces it.
fn select_all(ctx: &egui::Context, id: egui::Id, text: &str) {
    let mut state = egui::text_edit::TextEditState::load(ctx, id).unwrap_or_default();
    state
        .cursor
        .set_char_range(Some(egui::text::CCursorRange::select_all_str(text)));
    state.store(ctx, id);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(listing: &Listing) -> Vec<String> {
        listing.entries.iter().map(|e| e.name.clone()).collect()
    }

    fn folder_with_files() -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        for name in [
            "b.csv",
            "A.json",
            "c.txt",
            "notes.md",
            ".hidden.csv",
            "a.CSV",
        ] {
            std::fs::write(dir.path().join(name), name).unwrap();
        }
        std::fs::create_dir(dir.path().join("zeta")).unwrap();
        std::fs::create_dir(dir.path().join("Alpha")).unwrap();
        dir
    }

    #[test]
    fn folders_come_first_then_files_each_sorted_by_name_regardless_of_case() {
        let dir = folder_with_files();
        let listing = list_folder(dir.path(), &FileFilter::all_files(), false).unwrap();
        assert_eq!(
            names(&listing),
            [
                "Alpha", "zeta", "a.CSV", "A.json", "b.csv", "c.txt", "notes.md"
            ]
        );
        let csv = listing.entries.iter().find(|e| e.name == "b.csv").unwrap();
        assert_eq!(csv.size, Some(5));
        assert!(csv.modified.is_some());
        assert!(listing.entries[0].is_dir && listing.entries[0].size.is_none());
    }

    #[test]
    fn the_filter_keeps_folders_and_matching_files_and_hidden_ones_on_request() {
        let dir = folder_with_files();
        let filter = FileFilter::new("Event files", &["csv", "json"]);
        let listing = list_folder(dir.path(), &filter, false).unwrap();
        assert_eq!(
            names(&listing),
            ["Alpha", "zeta", "a.CSV", "A.json", "b.csv"]
        );
        let listing = list_folder(dir.path(), &filter, true).unwrap();
        assert_eq!(
            names(&listing),
            ["Alpha", "zeta", ".hidden.csv", "a.CSV", "A.json", "b.csv"]
        );
    }

    #[test]
    fn a_missing_folder_is_an_error_naming_it() {
        let dir = tempfile::tempdir().unwrap();
        let missing = dir.path().join("gone");
        let e = list_folder(&missing, &FileFilter::all_files(), false).unwrap_err();
        assert!(e.contains("gone") && e.contains("does not exist"), "{e}");
        let file = dir.path().join("file.csv");
        std::fs::write(&file, "x").unwrap();
        let e = list_folder(&file, &FileFilter::all_files(), false).unwrap_err();
        assert!(e.contains("file.csv") && e.contains("not a folder"), "{e}");

        // The dialog stays in the folder it shows and says why.
        let mut dialog = FileDialog::new(
            DialogMode::Save,
            "Save",
            vec![],
            Some(dir.path().to_path_buf()),
            None,
        );
        let before = dialog.folder().to_path_buf();
        dialog.go_to(missing);
        assert_eq!(dialog.folder(), before);
        assert!(dialog.error().unwrap().contains("does not exist"));
    }

    #[cfg(unix)]
    #[test]
    fn an_unreadable_folder_says_permission_denied_and_the_dialog_stays() {
        use std::os::unix::fs::PermissionsExt;
        let dir = folder_with_files();
        let locked = dir.path().join("locked");
        std::fs::create_dir(&locked).unwrap();
        std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o000)).unwrap();
        // root reads every folder: there only the wording is checked.
        let denied = io::Error::from(io::ErrorKind::PermissionDenied);
        assert_eq!(
            folder_error(&locked, &denied),
            format!(
                "Cannot read the folder {}: permission denied",
                locked.display()
            )
        );
        if std::fs::read_dir(&locked).is_ok() {
            std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o755)).unwrap();
            return;
        }
        let e = list_folder(&locked, &FileFilter::all_files(), false).unwrap_err();
        assert!(
            e.contains("locked") && e.contains("permission denied"),
            "{e}"
        );

        let mut dialog = FileDialog::new(
            DialogMode::Open { multiple: false },
            "Open",
            vec![],
            Some(dir.path().to_path_buf()),
            None,
        );
        let before = dialog.folder().to_path_buf();
        dialog.go_to(locked.clone());
        assert_eq!(dialog.folder(), before, "the dialog stays where it was");
        assert!(dialog.error().unwrap().contains("permission denied"));
        std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o755)).unwrap();
    }

    #[cfg(unix)]
    #[test]
    fn a_broken_link_is_listed_as_unreadable_and_the_rest_is_kept() {
        let dir = folder_with_files();
        std::os::unix::fs::symlink(dir.path().join("nowhere"), dir.path().join("dangling"))
            .unwrap();
        let listing = list_folder(dir.path(), &FileFilter::all_files(), false).unwrap();
        assert_eq!(listing.entries.len(), 7);
        assert_eq!(listing.unreadable.len(), 1);
        assert!(
            listing.unreadable[0].starts_with("dangling"),
            "{:?}",
            listing.unreadable
        );
    }

    #[test]
    fn save_adds_the_filters_extension_and_asks_before_replacing() {
        let dir = folder_with_files();
        let mut dialog = FileDialog::new(
            DialogMode::Save,
            "Save",
            vec![
                FileFilter::new("CSV", &["csv"]),
                FileFilter::new("JSON", &["json"]),
            ],
            Some(dir.path().to_path_buf()),
            Some("events.csv".into()),
        );
        dialog.set_filter(1);
        assert_eq!(dialog.file_name, "events.json", "the name follows the type");
        dialog.file_name = "fresh".into();
        let folder = dialog.folder().to_path_buf();
        assert_eq!(
            dialog.accept(),
            Some(DialogOutcome::Picked(vec![folder.join("fresh.json")]))
        );
        dialog.file_name = "A.json".into();
        assert_eq!(
            dialog.accept(),
            None,
            "an existing file is not taken at once"
        );
        assert_eq!(dialog.confirm_replace, Some(folder.join("A.json")));
        dialog.confirm_replace = None;
        dialog.file_name = "zeta".into();
        assert_eq!(dialog.accept(), None, "a folder's name goes into it");
        assert_eq!(dialog.folder(), folder.join("zeta"));
        dialog.file_name = "/no/such/folder/x.json".into();
        assert_eq!(dialog.accept(), None);
        assert!(dialog.error().unwrap().contains("does not exist"));
    }

    #[test]
    fn a_typed_location_goes_to_a_folder_or_takes_a_file() {
        let dir = folder_with_files();
        let mut dialog = FileDialog::new(
            DialogMode::Open { multiple: true },
            "Open",
            vec![FileFilter::new("CSV", &["csv"])],
            None,
            None,
        );
        let folder = std::fs::canonicalize(dir.path()).unwrap();
        dialog.location = folder.display().to_string();
        assert_eq!(dialog.accept_location(), None);
        assert_eq!(dialog.folder(), folder);
        dialog.location = "b.csv".into();
        assert_eq!(
            dialog.accept_location(),
            Some(DialogOutcome::Picked(vec![folder.join("b.csv")]))
        );
        dialog.location = "missing.csv".into();
        assert_eq!(dialog.accept_location(), None);
        assert!(dialog.error().unwrap().contains("missing.csv"));
        // Ctrl-click picks several; a plain click one.
        let index = |d: &FileDialog, n: &str| d.entries().iter().position(|e| e.name == n).unwrap();
        let (a, b) = (index(&dialog, "a.CSV"), index(&dialog, "b.csv"));
        dialog.click_row(a, Modifiers::NONE);
        dialog.click_row(b, Modifiers::COMMAND);
        assert_eq!(
            dialog.accept(),
            Some(DialogOutcome::Picked(vec![
                folder.join("a.CSV"),
                folder.join("b.csv")
            ]))
        );
    }

    #[test]
    fn recent_folders_keep_the_latest_first_without_repeats() {
        let mut recent = RecentFolders::default();
        for i in 0..10 {
            recent.remember(Path::new(&format!("/f{i}")));
        }
        recent.remember(Path::new("/f5"));
        assert_eq!(recent.folders().len(), MAX_RECENT_FOLDERS);
        assert_eq!(recent.folders()[0], Path::new("/f5"));
        assert_eq!(recent.folders()[1], Path::new("/f9"));
        let json = serde_json::to_string(&recent).unwrap();
        assert_eq!(
            serde_json::from_str::<RecentFolders>(&json).unwrap(),
            recent
        );
    }

    #[test]
    fn sizes_read_as_people_write_them() {
        assert_eq!(format_size(532), "532 B");
        assert_eq!(format_size(14 * 1024 + 100), "14 KB");
        assert_eq!(format_size(3_355_443), "3.2 MB");
    }
}
