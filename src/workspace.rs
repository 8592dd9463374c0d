//! The `.relmap` workspace file: the data (embedded as native JSON, or for a big source file
//! a reference to it with its SHA-256) and the view of it — layout, node positions and pins,
//! collapsed countries, time window, event filter, map style, scenes and the analyst's
//! notes — as JSON with `"format": "relmap", "version": 2`. Version 1 (before notes) is read
//! as a version 2 without notes. Written atomically (temp file in the same folder,
//! fsync, rename), so a crash mid-save leaves the old file or the new one, whole. A file
//! from a newer version, or a damaged one, is refused with a message; nothing is half read.

use std::io::Read;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use serde_json::value::RawValue;
use sha2::{Digest, Sha256};

use crate::export::picture::MapStyle;
use crate::io::{self, FormatChoice, LoadError, LoadOptions, Loaded, Progress};
use crate::layout::LayoutKind;
use crate::model::{
    Dataset, EventClass, EventFilter, NoteSpec, PartialDate, TimeWindow, format_day,
};

pub const FORMAT: &str = "relmap";
/// The version this build writes and the newest it reads. 2 added `view.notes`.
pub const VERSION: u32 = 2;
/// Up to this many events the data goes into the workspace; a bigger file that came from a
/// source file is referenced instead (the workspace stays small and quick to save).
pub const MAX_EMBEDDED_EVENTS: usize = 200_000;

/// Where the events of a workspace are.
#[derive(Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
enum Data {
    /// A native JSON document (`{"actors": [...], "events": [...]}`).
    Embedded(Box<RawValue>),
    /// A file next to (or anywhere from) the workspace.
    Source {
        /// As given when saved; relative paths are relative to the workspace's folder.
        path: PathBuf,
        sha256: String,
        bytes: u64,
        /// The column mapping the file was read with (absent in older workspaces and for
        /// files read without one).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        mapping: Option<io::ColumnMap>,
    },
}

/// One actor's place on the map, by name (names survive re-reading a source file; ids may
/// not).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct NodeState {
    pub name: String,
    pub x: f32,
    pub y: f32,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub pinned: bool,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub collapsed: bool,
}

/// Everything about how the data is shown.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct View {
    pub layout: Option<LayoutKind>,
    /// First and last day of the time window (`YYYY-MM-DD`).
    pub window: Option<[String; 2]>,
    /// Event classes shown, by name; absent means all.
    pub classes: Option<Vec<String>>,
    /// Event types hidden, by name.
    pub hidden_types: Vec<String>,
    pub style: MapStyle,
    pub nodes: Vec<NodeState>,
    /// Saved views to present, in order.
    pub scenes: Vec<SceneSpec>,
    /// The analyst's notes, by actor name, pair of names or event content (version 2).
    pub notes: Vec<NoteSpec>,
    /// A theme to present in, if the author chose one. A suggestion only: the app's theme
    /// is the user's setting, and opening a workspace never changes it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub presentation_theme: Option<crate::export::style::Theme>,
    /// Only in an autosaved recovery file: the document it was autosaved from, so that a
    /// restored document keeps its name, source and workspace.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub origin: Option<Origin>,
}

/// Which document a recovery file holds the unsaved work of.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Origin {
    /// The name the window showed.
    pub name: String,
    /// The event file it was read from.
    pub path: Option<PathBuf>,
    /// The workspace it was saved as or opened from.
    pub workspace: Option<PathBuf>,
}

/// A scene: a time window, filters, camera and selection with a title, recorded by the user
/// and stepped through when presenting.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct SceneSpec {
    pub title: String,
    /// First and last day (`YYYY-MM-DD`).
    pub window: Option<[String; 2]>,
    /// Event classes shown, by name; absent means all.
    pub classes: Option<Vec<String>>,
    pub hidden_types: Vec<String>,
    /// The map's centre (world units) and zoom.
    pub camera: Option<[f32; 3]>,
    /// Selected actors, by name.
    pub selected: Vec<String>,
}

impl SceneSpec {
    /// The scene's window and filter, read as a view's.
    fn as_view(&self) -> View {
        View {
            window: self.window.clone(),
            classes: self.classes.clone(),
            hidden_types: self.hidden_types.clone(),
            ..View::default()
        }
    }

    pub fn time_window(&self) -> Option<TimeWindow> {
        self.as_view().time_window()
    }

    pub fn filter(&self, dataset: &Dataset) -> EventFilter {
        self.as_view().filter(dataset)
    }

    /// A scene of this window and filter.
    pub fn new(title: &str, dataset: &Dataset, window: TimeWindow, filter: &EventFilter) -> Self {
        let mut view = View::default();
        view.set_time_window(window);
        view.set_filter(dataset, filter);
        Self {
            title: title.to_string(),
            window: view.window,
            classes: view.classes,
            hidden_types: view.hidden_types,
            ..Self::default()
        }
    }
}

impl View {
    /// The window as days, if it is set and readable.
    pub fn time_window(&self) -> Option<TimeWindow> {
        let [from, to] = self.window.as_ref()?;
        let from = PartialDate::parse(from).ok()?.first_day();
        let to = PartialDate::parse(to).ok()?.last_day();
        Some(TimeWindow::new(from, to))
    }

    pub fn set_time_window(&mut self, window: TimeWindow) {
        self.window = Some([format_day(window.from), format_day(window.to)]);
    }

    /// The event filter for `dataset`'s types.
    pub fn filter(&self, dataset: &Dataset) -> EventFilter {
        let mut filter = EventFilter::all();
        if let Some(classes) = &self.classes {
            for class in EventClass::ALL {
                filter.classes[class.index()] = classes.iter().any(|c| c == class.label());
            }
        }
        if !self.hidden_types.is_empty() {
            filter.types = dataset
                .types
                .iter()
                .map(|t| !self.hidden_types.contains(t))
                .collect();
        }
        filter
    }

    pub fn set_filter(&mut self, dataset: &Dataset, filter: &EventFilter) {
        self.classes = (!filter.classes.iter().all(|&c| c)).then(|| {
            EventClass::ALL
                .iter()
                .filter(|c| filter.classes[c.index()])
                .map(|c| c.label().to_string())
                .collect()
        });
        self.hidden_types = filter
            .types
            .iter()
            .enumerate()
            .filter(|(_, on)| !**on)
            .filter_map(|(t, _)| dataset.types.get(t).cloned())
            .collect();
    }
}

#[derive(Serialize, Deserialize)]
struct WorkspaceFile {
    format: String,
    version: u32,
    data: Data,
    #[serde(default)]
    view: View,
}

/// The first fields only: checked before anything else is trusted.
#[derive(Deserialize)]
struct Header {
    format: Option<String>,
    version: Option<u32>,
}

/// SHA-256 of a file, in hex (of the whole workbook for `book.xlsx:Sheet2`).
pub fn sha256_of(path: &Path) -> std::io::Result<(String, u64)> {
    let mut file = std::fs::File::open(io::xlsx::split_sheet(path).0)?;
    let mut hasher = Sha256::new();
    let mut buffer = vec![0u8; 1 << 20];
    let mut bytes = 0u64;
    loop {
        let n = file.read(&mut buffer)?;
        if n == 0 {
            break;
        }
        hasher.update(&buffer[..n]);
        bytes += n as u64;
    }
    let digest = hasher.finalize();
    Ok((digest.iter().map(|b| format!("{b:02x}")).collect(), bytes))
}

/// Where a saved workspace takes its events from.
pub enum DataChoice<'a> {
    /// Written into the workspace as native JSON.
    Embed,
    /// A reference to the source file, with its checksum (see [`sha256_of`]).
    Reference {
        path: &'a Path,
        sha256: &'a str,
        bytes: u64,
    },
}

/// Embeds small data, or data that has no source file; references a big source file.
/// `checksum` is the source's `(sha256, bytes)` if already known; it is computed otherwise.
pub fn choose_data<'a>(
    dataset: &Dataset,
    source: Option<&'a Path>,
    checksum: &'a mut Option<(String, u64)>,
) -> std::io::Result<DataChoice<'a>> {
    match source {
        Some(path) if dataset.len() > MAX_EMBEDDED_EVENTS && !is_workspace(path) => {
            if checksum.is_none() {
                *checksum = Some(sha256_of(path)?);
            }
            let (sha256, bytes) = checksum.as_ref().expect("just computed");
            Ok(DataChoice::Reference {
                path,
                sha256,
                bytes: *bytes,
            })
        }
        _ => Ok(DataChoice::Embed),
    }
}

/// The workspace's text.
pub fn to_json(dataset: &Dataset, data: DataChoice, view: &View) -> std::io::Result<String> {
    let data = match data {
        DataChoice::Reference {
            path,
            sha256,
            bytes,
        } => Data::Source {
            path: std::path::absolute(path)?,
            sha256: sha256.to_string(),
            bytes,
            mapping: dataset
                .source_mapping
                .as_deref()
                .and_then(io::ColumnMap::from_names),
        },
        DataChoice::Embed => {
            let all: Vec<u32> = (0..dataset.len() as u32).collect();
            let mut text = Vec::new();
            io::write::write_native_json(dataset, &all, &mut text)?;
            let text = String::from_utf8(text).map_err(std::io::Error::other)?;
            Data::Embedded(RawValue::from_string(text).map_err(std::io::Error::other)?)
        }
    };
    let file = WorkspaceFile {
        format: FORMAT.to_string(),
        version: VERSION,
        data,
        view: view.clone(),
    };
    serde_json::to_string_pretty(&file).map_err(std::io::Error::other)
}

/// Saves atomically: the old file stays whole until the new one is complete on disk.
pub fn save(path: &Path, dataset: &Dataset, data: DataChoice, view: &View) -> std::io::Result<()> {
    let text = to_json(dataset, data, view)?;
    crate::export::file::write_file_atomically(path, text.as_bytes())
}

/// Whether a path names a workspace (by its extension).
pub fn is_workspace(path: &Path) -> bool {
    path.extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("relmap"))
}

/// Reads an event file, or a workspace (`.relmap`) with its view.
pub fn load_any(
    path: &Path,
    options: &LoadOptions,
    progress: &Progress,
) -> Result<(Loaded, Option<View>), LoadError> {
    if is_workspace(path) {
        open(path, progress).map(|(loaded, view)| (loaded, Some(view)))
    } else if crate::index::is_index(path) {
        open_index(path, progress).map(|loaded| (loaded, None))
    } else {
        io::load_path(path, options, progress).map(|loaded| (loaded, None))
    }
}

/// Reads what the user asked to open: one workspace (with its view), or one or more event
/// files, archives and `archive.zip:member`s read into one dataset. A workspace is opened
/// alone, never mixed with other files.
pub fn load_all(
    files: &[PathBuf],
    options: &LoadOptions,
    progress: &Progress,
) -> Result<(Loaded, Option<View>), LoadError> {
    match files {
        [one] => load_any(one, options, progress),
        _ => {
            if let Some(ws) = files.iter().find(|f| is_workspace(f)) {
                return Err(LoadError::new(
                    io::LoadErrorKind::Request,
                    ws,
                    "a workspace is opened alone, not with other files",
                ));
            }
            if let Some(index) = files.iter().find(|f| crate::index::is_index(f)) {
                return Err(LoadError::new(
                    io::LoadErrorKind::Request,
                    index,
                    "an index is opened alone, not with other files (to add files to it: relmap index --append)",
                ));
            }
            io::load_paths(files, options, progress).map(|loaded| (loaded, None))
        }
    }
}

/// Opens an event index (`crate::index`) as a load: its changed or missing sources are
/// warnings naming the source.
fn open_index(path: &Path, progress: &Progress) -> Result<Loaded, LoadError> {
    let opened = crate::index::open_index(path, progress)
        .map_err(|e| LoadError::new(io::LoadErrorKind::Unreadable, path, e.message))?;
    let mut diagnostics = io::Diagnostics::default();
    for (source, message) in opened.warnings {
        diagnostics.warn(0, 0, message);
        if let Some(last) = diagnostics.warnings.last_mut() {
            last.file = Some(source.to_string_lossy().into_owned());
        }
    }
    diagnostics.skipped = opened.skipped_rows as usize;
    Ok(Loaded {
        dataset: opened.dataset,
        format: opened.format,
        diagnostics,
    })
}

/// Reads a workspace: its data and its view.
pub fn open(path: &Path, progress: &Progress) -> Result<(Loaded, View), LoadError> {
    let fail = |message: String| LoadError::new(io::LoadErrorKind::Workspace, path, message);
    let text = std::fs::read_to_string(path)
        .map_err(|e| fail(format!("cannot read the workspace: {e}")))?;
    let header: Header = serde_json::from_str(&text).map_err(|e| {
        fail(format!(
            "not a readable workspace (line {}, column {}): {e}",
            e.line(),
            e.column()
        ))
    })?;
    if header.format.as_deref() != Some(FORMAT) {
        return Err(fail(
            "not a relmap workspace (no \"format\": \"relmap\")".into(),
        ));
    }
    match header.version {
        Some(v) if v > VERSION => {
            return Err(fail(format!(
                "made by a newer relmap (workspace version {v}); this one reads up to version {VERSION}"
            )));
        }
        None => return Err(fail("the workspace has no version".into())),
        _ => {}
    }
    let file: WorkspaceFile = serde_json::from_str(&text).map_err(|e| {
        fail(format!(
            "damaged workspace at line {}, column {}: {e}",
            e.line(),
            e.column()
        ))
    })?;
    let options = LoadOptions {
        format: FormatChoice::Json,
        mapping: None,
    };
    let loaded = match file.data {
        Data::Embedded(raw) => io::load_bytes(raw.get().as_bytes(), path, &options)?,
        Data::Source {
            path: source,
            sha256,
            bytes: _,
            mapping,
        } => {
            let source = if source.is_relative() {
                path.parent().unwrap_or(Path::new(".")).join(source)
            } else {
                source
            };
            if !io::xlsx::split_sheet(&source).0.exists() {
                return Err(fail(format!(
                    "its data file {} is gone (moved or deleted): put it back, or open the file itself",
                    source.display()
                )));
            }
            let (now, _) = sha256_of(&source)
                .map_err(|e| fail(format!("cannot read {}: {e}", source.display())))?;
            if now != sha256 {
                return Err(fail(format!(
                    "its data file {} has changed since the workspace was saved (SHA-256 differs)",
                    source.display()
                )));
            }
            let options = LoadOptions {
                format: if mapping.is_some() {
                    FormatChoice::Csv
                } else {
                    FormatChoice::Auto
                },
                mapping,
            };
            io::load_path(&source, &options, progress)?
        }
    };
    Ok((loaded, file.view))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> Loaded {
        io::load_bytes(
            crate::SAMPLE_CSV.as_bytes(),
            Path::new("sample.csv"),
            &LoadOptions::default(),
        )
        .unwrap()
    }

    #[test]
    fn a_saved_workspace_opens_with_its_data_and_view() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("story.relmap");
        let ds = sample().dataset;
        let mut view = View {
            layout: Some(LayoutKind::Geographic),
            nodes: vec![NodeState {
                name: "Belarus".into(),
                x: 1.0,
                y: -2.0,
                pinned: true,
                collapsed: false,
            }],
            ..View::default()
        };
        view.set_time_window(TimeWindow::new(ds.start[2], ds.start[9]));
        let mut filter = EventFilter::all();
        filter.classes[EventClass::MaterialCooperation.index()] = false;
        view.set_filter(&ds, &filter);
        let mut scene = SceneSpec::new(
            "The 2024 exercises",
            &ds,
            TimeWindow::new(ds.start[5], ds.start[8]),
            &filter,
        );
        scene.camera = Some([10.0, -4.0, 1.5]);
        scene.selected = vec!["Iran".into()];
        view.scenes.push(scene);
        save(&path, &ds, DataChoice::Embed, &view).unwrap();
        let (loaded, back) = open(&path, &Progress::new()).unwrap();
        assert_eq!(back, view);
        assert_eq!(loaded.dataset.len(), ds.len());
        assert_eq!(back.filter(&loaded.dataset).classes, filter.classes);
        assert_eq!(
            back.time_window(),
            Some(TimeWindow::new(ds.start[2], ds.start[9]))
        );
    }

    #[test]
    fn a_version_1_workspace_opens_without_notes() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("old.relmap");
        std::fs::write(
            &path,
            r#"{
  "format": "relmap",
  "version": 1,
  "data": {"embedded": {"events": [
    {"date": "2025-03-14", "actors": ["Belarus", "Iran"], "type": "sign agreement",
     "title": "Defence ministers sign a cooperation protocol"}
  ]}},
  "view": {
    "layout": "Circle",
    "window": ["2025-01-01", "2025-12-31"],
    "style": {"legend": false},
    "nodes": [{"name": "Belarus", "x": 10.0, "y": 20.0, "pinned": true}]
  }
}"#,
        )
        .unwrap();
        let (loaded, view) = open(&path, &Progress::new()).unwrap();
        assert_eq!(loaded.dataset.len(), 1);
        assert!(view.notes.is_empty());
        assert!(!view.style.legend);
        assert!(
            view.style.note_callouts,
            "callouts shown unless switched off"
        );
        assert_eq!(view.nodes[0].name, "Belarus");
    }

    #[test]
    fn notes_are_written_as_version_2() {
        let ds = sample().dataset;
        let view = View {
            notes: vec![NoteSpec {
                on: crate::model::NoteOn::Tie(["Belarus".into(), "Iran".into()]),
                text: "Drones".into(),
            }],
            ..View::default()
        };
        let text = to_json(&ds, DataChoice::Embed, &view).unwrap();
        assert!(text.contains("\"version\": 2"), "{text}");
        assert!(text.contains("\"tie\": ["), "{text}");
    }

    #[test]
    fn newer_and_damaged_workspaces_are_refused_with_a_reason() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("w.relmap");
        std::fs::write(&path, r#"{"format":"relmap","version":7,"data":{}}"#).unwrap();
        let e = open(&path, &Progress::new()).unwrap_err();
        assert!(e.message.contains("newer relmap"), "{}", e.message);
        std::fs::write(
            &path,
            "{\"format\":\"relmap\",\n\"version\":1,\n\"data\": {\"embedded\": [1,",
        )
        .unwrap();
        let e = open(&path, &Progress::new()).unwrap_err();
        assert!(e.message.contains("line 3"), "{}", e.message);
        std::fs::write(&path, r#"{"hello": 1}"#).unwrap();
        let e = open(&path, &Progress::new()).unwrap_err();
        assert!(
            e.message.contains("not a relmap workspace"),
            "{}",
            e.message
        );
    }

    #[test]
    fn a_referenced_source_that_changed_or_moved_is_named() {
        let dir = tempfile::tempdir().unwrap();
        let source = dir.path().join("events.csv");
        std::fs::write(&source, crate::SAMPLE_CSV).unwrap();
        let (sha, bytes) = sha256_of(&source).unwrap();
        let file = WorkspaceFile {
            format: FORMAT.into(),
            version: VERSION,
            data: Data::Source {
                path: "events.csv".into(),
                sha256: sha,
                bytes,
                mapping: None,
            },
            view: View::default(),
        };
        let path = dir.path().join("w.relmap");
        std::fs::write(&path, serde_json::to_string(&file).unwrap()).unwrap();
        let (loaded, _) = open(&path, &Progress::new()).unwrap();
        assert_eq!(loaded.dataset.len(), sample().dataset.len());
        std::fs::write(&source, format!("{}\n", crate::SAMPLE_CSV)).unwrap();
        let e = open(&path, &Progress::new()).unwrap_err();
        assert!(e.message.contains("has changed"), "{}", e.message);
        std::fs::remove_file(&source).unwrap();
        let e = open(&path, &Progress::new()).unwrap_err();
        assert!(e.message.contains("is gone"), "{}", e.message);
    }

    #[test]
    fn a_workspace_referring_to_a_mapped_csv_reopens_with_its_mapping() {
        let dir = tempfile::tempdir().unwrap();
        let source = dir.path().join("other.csv");
        std::fs::write(
            &source,
            "When,Who,Whom,Where\n2024-05-01,Belarus,Iran,Minsk\n2024-06-02,Iran,Belarus,Tehran\n",
        )
        .unwrap();
        let options = LoadOptions {
            format: FormatChoice::Auto,
            mapping: Some(
                io::ColumnMap::parse("date=When,actor1=Who,actor2=Whom,location=Where").unwrap(),
            ),
        };
        let loaded = io::load_path(&source, &options, &Progress::new()).unwrap();
        let (sha, bytes) = sha256_of(&source).unwrap();
        let data = DataChoice::Reference {
            path: &source,
            sha256: &sha,
            bytes,
        };
        let text = to_json(&loaded.dataset, data, &View::default()).unwrap();
        assert!(text.contains("\"mapping\""), "{text}");
        let path = dir.path().join("w.relmap");
        std::fs::write(&path, &text).unwrap();
        let (again, _) = open(&path, &Progress::new()).expect("no mapping asked for again");
        assert_eq!(again.dataset.len(), 2);
        assert_eq!(again.dataset.location(0), "Minsk");
        // Saved again, the reopened data still carries its mapping.
        let text2 = to_json(
            &again.dataset,
            data_ref(&source, &sha, bytes),
            &View::default(),
        );
        assert_eq!(text2.unwrap(), text);
    }

    fn data_ref<'a>(path: &'a Path, sha256: &'a str, bytes: u64) -> DataChoice<'a> {
        DataChoice::Reference {
            path,
            sha256,
            bytes,
        }
    }
}
