//! The command line: `relmap [FILE…]` opens the GUI; `relmap stats FILE…` prints a summary as
//! JSON (`--actors`: one JSON line per actor with its kind, country and why); `relmap render
//! FILE… --out OUT.svg|OUT.png` draws the map as the GUI would; `relmap convert IN… OUT`
//! rewrites events as native CSV, JSON or a `.relmap` workspace; `relmap metrics FILE…` writes
//! the network metrics of the actors in a time window as JSON or CSV; `relmap animate FILE…
//! --out OUT.gif|OUT.mp4|OUT/` makes a film of the moving window; `relmap index FILE… --out
//! X.relidx [--append]` builds an on-disk event index (`crate::index`). Several FILEs (or
//! `archive.zip:member`s) are read into one dataset; a single FILE may be a workspace or an
//! index. Tests and scripts depend on this interface: keep it stable.

use std::path::PathBuf;

use clap::{Parser, Subcommand};

use crate::export::film::{FilmError, FilmProgress, FilmSpec, FilmStep, Span};
use crate::export::picture::{self, Camera, MapInput, MapStyle};
use crate::export::style::Theme;
use crate::io::{self, ColumnMap, FormatChoice, LoadOptions, Progress};
use crate::layout::{self, LayoutKind};
use crate::model::{PartialDate, TimeWindow, WindowCounts};

#[derive(Parser, Debug)]
#[command(
    name = "relmap",
    version,
    about = "Map relations between countries, institutions and people from dated event files",
    args_conflicts_with_subcommands = true
)]
pub struct Cli {
    /// Event files to open in the GUI (the bundled sample when none is given).
    pub files: Vec<PathBuf>,
    /// Format of the files given to the GUI.
    #[arg(long, value_enum, default_value_t = FormatChoice::Auto)]
    pub format: FormatChoice,
    /// Column mapping for a CSV or sheet with other headers: `date=COL,actor1=COL,type=COL,…`
    /// (COL is a header name or a 1-based column number; one column may feed several fields;
    /// `date=YEAR+MONTH+DAY` builds a date from three columns), or a saved preset: `@NAME`,
    /// `@NAME,type=COL` (see `relmap presets`).
    #[arg(long, value_parser = io::parse_map_argument)]
    pub map: Option<ColumnMap>,
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Read event files (several are read into one dataset) and print one JSON object:
    /// format, counts, date range, errors.
    Stats {
        #[arg(required = true, num_args = 1..)]
        files: Vec<PathBuf>,
        #[arg(long, value_enum, default_value_t = FormatChoice::Auto)]
        format: FormatChoice,
        /// Column mapping for a CSV with other headers: `date=COL,actor1=COL,…` or `@PRESET`.
        #[arg(long, value_parser = io::parse_map_argument)]
        map: Option<ColumnMap>,
        /// Instead of the summary, one JSON line per actor (most events first): its kind,
        /// country and why (the rule the reader applied), to check what was resolved.
        #[arg(long)]
        actors: bool,
    },
    /// Draw the map of event files as the GUI shows it, into an SVG or PNG image.
    Render {
        #[arg(required = true, num_args = 1..)]
        files: Vec<PathBuf>,
        /// The image to write: `.svg` or `.png`.
        #[arg(long)]
        out: PathBuf,
        /// First day of the time window (any date form the readers accept: 2024, May 2024,
        /// 2024-05-13); the first event's day when not given.
        #[arg(long)]
        from: Option<String>,
        /// Last day of the time window (a month or year means its last day).
        #[arg(long)]
        to: Option<String>,
        /// The layout; grouped for up to 80 actors, force-directed above, when not given.
        #[arg(long, value_enum)]
        layout: Option<LayoutKind>,
        /// Picture size in pixels, WIDTHxHEIGHT.
        #[arg(long, default_value = "1600x1000", value_parser = parse_size)]
        size: [f32; 2],
        /// Pixel density: the map is laid out at SIZE / SCALE points and drawn at SCALE
        /// pixels per point, so 2 gives the same picture size with text and lines twice as
        /// large (for a slide or a high-density screen).
        #[arg(long, default_value_t = 1.0, value_parser = parse_scale)]
        scale: f32,
        #[arg(long, value_enum, default_value_t = Theme::Light)]
        theme: Theme,
        #[arg(long, value_enum, default_value_t = FormatChoice::Auto)]
        format: FormatChoice,
        /// Column mapping for a CSV with other headers: `date=COL,actor1=COL,…` or `@PRESET`.
        #[arg(long, value_parser = io::parse_map_argument)]
        map: Option<ColumnMap>,
    },
    /// Make a film of the map as the time window moves: one frame per step, each the map as
    /// `render` draws it with the window's dates, a timeline and the legend, into a GIF, an
    /// MP4 (H.264) or a folder of PNG frames.
    Animate {
        /// Event files (read into one dataset), or one `.relmap` workspace whose layout,
        /// positions, pins, filters and style apply.
        #[arg(required = true, num_args = 1..)]
        files: Vec<PathBuf>,
        /// The film: `NAME.gif`, `NAME.mp4`, or a folder ending in `/` for
        /// `frame-0001.png`, `frame-0002.png`, …
        #[arg(long)]
        out: PathBuf,
        /// First step (any date form: 2023, 2023-03, 2023-03-14); the first event's when not
        /// given.
        #[arg(long)]
        from: Option<String>,
        /// Last step (a month or year means its last day); the last event's when not given.
        #[arg(long)]
        to: Option<String>,
        /// How far the window moves from one frame to the next.
        #[arg(long, value_enum, default_value_t = FilmStep::Month)]
        step: FilmStep,
        /// Each frame's window, ending with its step: `30d`, `4w`, `3mo`, `1y`; one step when
        /// not given.
        #[arg(long, value_parser = Span::parse)]
        window: Option<Span>,
        /// Every window starts at the first event, so the map only grows.
        #[arg(long, conflicts_with = "window")]
        cumulative: bool,
        /// A tour of the workspace's scenes instead: each shown two seconds, gliding to the
        /// next over --tween frames (one second's when not given).
        #[arg(long, conflicts_with_all = ["from", "to", "window", "cumulative"])]
        scenes: bool,
        /// In-between frames before each step, over which actors entering fade in, those
        /// leaving fade out and positions glide (0: one frame per step, new actors half
        /// strong in their first frame).
        #[arg(long, default_value_t = 0)]
        tween: usize,
        /// Frames per second.
        #[arg(long, default_value_t = 2)]
        fps: u32,
        /// Frame size in pixels, WIDTHxHEIGHT (an MP4 rounds each down to an even number).
        #[arg(long, default_value = "1280x720", value_parser = parse_size)]
        size: [f32; 2],
        /// Pixel density, as for `render`: 2 draws text and lines twice as large.
        #[arg(long, default_value_t = 1.0, value_parser = parse_scale)]
        scale: f32,
        /// The layout; the workspace's, else grouped for up to 80 actors and force-directed
        /// above.
        #[arg(long, value_enum)]
        layout: Option<LayoutKind>,
        #[arg(long, value_enum, default_value_t = Theme::Light)]
        theme: Theme,
        /// Refuse a film of more frames than this.
        #[arg(long, default_value_t = crate::export::film::DEFAULT_MAX_FRAMES)]
        max_frames: usize,
        #[arg(long, value_enum, default_value_t = FormatChoice::Auto)]
        format: FormatChoice,
        /// Column mapping for a CSV with other headers: `date=COL,actor1=COL,…` or `@PRESET`.
        #[arg(long, value_parser = io::parse_map_argument)]
        map: Option<ColumnMap>,
    },
    /// Rewrite the events of a file (any format, or a workspace) as native CSV or TSV,
    /// native JSON, a `.relmap` workspace, or the actor network as GEXF (Gephi), chosen by
    /// OUT's extension.
    Convert {
        /// One or more inputs (read into one dataset), then OUT.
        #[arg(required = true, num_args = 1..)]
        inputs: Vec<PathBuf>,
        output: PathBuf,
        #[arg(long, value_enum, default_value_t = FormatChoice::Auto)]
        format: FormatChoice,
        /// Column mapping for a CSV with other headers: `date=COL,actor1=COL,…` or `@PRESET`.
        #[arg(long, value_parser = io::parse_map_argument)]
        map: Option<ColumnMap>,
    },
    /// Build an on-disk event index (`.relidx`) of event files of any supported format,
    /// reading one file at a time: opening the index is then quick and small, and every
    /// command (and the GUI) takes it in place of the files. Progress goes to stderr.
    Index {
        #[arg(required = true, num_args = 1..)]
        files: Vec<PathBuf>,
        /// The index to write (atomically).
        #[arg(long)]
        out: PathBuf,
        /// Add the files to the index at OUT (GDELT adds a file every 15 minutes) instead of
        /// building it anew; sources already in it are skipped.
        #[arg(long)]
        append: bool,
        #[arg(long, value_enum, default_value_t = FormatChoice::Auto)]
        format: FormatChoice,
        /// Column mapping for a CSV with other headers: `date=COL,actor1=COL,…` or `@PRESET`.
        #[arg(long, value_parser = io::parse_map_argument)]
        map: Option<ColumnMap>,
    },
    /// Network metrics of the actors tied in a time window, one row per actor: degree,
    /// weighted degree (events), betweenness, closeness, eigenvector, PageRank (as networkx
    /// computes them by default) and Louvain community, with the partition's modularity.
    Metrics {
        #[arg(required = true, num_args = 1..)]
        files: Vec<PathBuf>,
        /// First day of the time window (2024, May 2024, 2024-05-13); the first event's day
        /// when not given.
        #[arg(long)]
        from: Option<String>,
        /// Last day of the time window (a month or year means its last day).
        #[arg(long)]
        to: Option<String>,
        /// What to write: JSON (`{"modularity": Q, "actors": [...]}`) or CSV (one row per
        /// actor). From OUT's extension when not given, else JSON.
        #[arg(long, value_enum)]
        format: Option<MetricsFormat>,
        /// Write to this file (atomically) instead of standard output.
        #[arg(long)]
        out: Option<PathBuf>,
        /// Format of the input files (`--format` is the output's here).
        #[arg(long, value_enum, default_value_t = FormatChoice::Auto)]
        input_format: FormatChoice,
        /// Column mapping for a CSV with other headers: `date=COL,actor1=COL,…` or `@PRESET`.
        #[arg(long, value_parser = io::parse_map_argument)]
        map: Option<ColumnMap>,
    },
    /// Read a news article (plain text, Markdown or HTML) and write the events it proposes
    /// as native CSV or JSON, with `confidence`, `sentence_start` and `sentence_end`
    /// (character offsets of the sentence in FILE).
    Extract {
        file: PathBuf,
        /// The publication date (YYYY-MM-DD) that relative dates are read against; else the
        /// article's own (dateline, HTML metadata), else today with a warning.
        #[arg(long)]
        date: Option<String>,
        #[arg(long, value_enum, default_value_t = ExtractFormat::Csv)]
        format: ExtractFormat,
        /// Where to write; standard output when not given.
        #[arg(long)]
        out: Option<PathBuf>,
        /// An event file whose actors (with their aliases, kinds and countries) are found by
        /// name in the article.
        #[arg(long)]
        known: Option<PathBuf>,
        /// Write the trivial baseline instead (every pair of countries named in one sentence,
        /// on the publication day): what the evaluation compares against.
        #[arg(long, hide = true)]
        baseline: bool,
    },
    /// Print one SQL query that groups GDELT 2.0 events (a table with GDELT's column names)
    /// by period, actor pair, event code and QuadClass, with a `count` per group: run it in
    /// DuckDB, BigQuery or Spark, export the result as CSV or Parquet and open that here.
    Sql {
        #[arg(long, value_enum)]
        dialect: crate::sql::Dialect,
        /// The table or view of events; default GDELT's public BigQuery table (the
        /// partitioned one when --from is given), `events` in DuckDB and Spark.
        #[arg(long)]
        table: Option<String>,
        /// DuckDB only: read these raw GDELT 2.0 exports (a path or glob) instead of a table.
        #[arg(long)]
        files: Option<String>,
        /// First day kept (2025, 2025-03, 2025-03-14).
        #[arg(long)]
        from: Option<String>,
        /// Last day kept (a month or year means its last day).
        #[arg(long)]
        to: Option<String>,
        /// Keep events with an actor of these countries: `BLR,IRN`.
        #[arg(long, value_delimiter = ',')]
        countries: Vec<String>,
        /// Keep events of these CAMEO root codes: `01,04,19`.
        #[arg(long, value_delimiter = ',')]
        roots: Vec<String>,
        /// Group by day, ISO week or month (a group is dated on its period's first day).
        #[arg(long, value_enum, default_value_t = crate::sql::Period::Day)]
        by: crate::sql::Period,
    },
    /// List, save or delete named column mappings (used as `--map @NAME`).
    Presets {
        #[command(subcommand)]
        action: Option<PresetAction>,
    },
}

/// The output of `relmap extract`.
#[derive(clap::ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum ExtractFormat {
    Csv,
    Json,
}

/// What `relmap presets` does; listing when no action is given.
#[derive(Subcommand, Debug)]
pub enum PresetAction {
    /// Print every preset (the user's, then the shipped ones) with its mapping.
    List,
    /// Save a mapping under a name in the user's config folder (replacing one of that name).
    Save {
        name: String,
        /// `date=COL,actor1=COL,…` or `@OTHER,…` to start from another preset.
        #[arg(value_parser = io::parse_map_argument)]
        mapping: ColumnMap,
    },
    /// Delete a saved preset.
    Delete { name: String },
}

/// Runs `relmap presets`: exit 0, or one line on stderr and exit 2.
pub fn presets(action: Option<PresetAction>) -> i32 {
    let result = io::PresetStore::open_default().and_then(|mut store| {
        match action.unwrap_or(PresetAction::List) {
            PresetAction::List => {
                use std::io::Write as _;
                let mut out = std::io::stdout().lock();
                let shipped = io::shipped_presets();
                for name in store.names() {
                    let Some(preset) = store.get(&name) else {
                        continue;
                    };
                    let origin = if store.user_presets().iter().any(|p| p.name == name) {
                        "saved".to_string()
                    } else {
                        shipped
                            .iter()
                            .find(|p| p.name == name)
                            .map(|p| format!("shipped: {}", p.description))
                            .unwrap_or_default()
                    };
                    let _ = writeln!(out, "@{name}\t{}\t({origin})", preset.mapping.to_spec());
                }
                Ok(())
            }
            PresetAction::Save { name, mapping } => {
                store.save(&name, &mapping)?;
                eprintln!(
                    "relmap: saved preset '{name}' in {}",
                    store
                        .path()
                        .map(|p| p.display().to_string())
                        .unwrap_or_default()
                );
                Ok(())
            }
            PresetAction::Delete { name } => match store.delete(&name)? {
                true => Ok(()),
                false => Err(format!("no saved preset '{name}'")),
            },
        }
    });
    match result {
        Ok(()) => 0,
        Err(message) => {
            eprintln!("relmap: {message}");
            2
        }
    }
}

/// Reads what the command line names: one file, workspace or index, or several event files
/// (and archive members) into one dataset. A workspace or an index cannot be mixed with
/// other files. An index's changed or missing sources are warned of on stderr.
pub fn load_inputs(
    files: &[PathBuf],
    options: &LoadOptions,
    progress: &Progress,
) -> Result<(io::Loaded, Option<crate::workspace::View>), io::LoadError> {
    let loaded = crate::workspace::load_all(files, options, progress)?;
    if loaded.0.dataset.details_on_demand() {
        for w in &loaded.0.diagnostics.warnings {
            eprintln!(
                "relmap: warning: {}: {}",
                w.file.as_deref().unwrap_or(""),
                w.message
            );
        }
    }
    Ok(loaded)
}

/// Runs `relmap index`: builds (or appends to) an index, a line of progress per step on
/// stderr. Exit 0, or one line on stderr and exit 2 with nothing written.
pub fn index(files: &[PathBuf], out: &std::path::Path, append: bool, load: LoadOptions) -> i32 {
    let options = crate::index::BuildOptions {
        load,
        append,
        run_events: None,
    };
    let progress = Progress::new();
    let started = std::time::Instant::now();
    let result = crate::index::build_index(files, out, &options, &progress, &mut |step| {
        eprintln!("relmap: {step}");
    });
    match result {
        Ok(report) => {
            for w in &report.warnings {
                eprintln!("relmap: warning: {w}");
            }
            eprintln!(
                "relmap: wrote {} ({} rows from {} sources, {} read now, {} rows skipped) in {:.1} s",
                out.display(),
                report.rows,
                report.sources,
                report.added,
                report.skipped_rows,
                started.elapsed().as_secs_f64()
            );
            0
        }
        Err(message) => {
            eprintln!("relmap: {message}");
            2
        }
    }
}

/// Runs `relmap convert`: reads any event files or a workspace and writes the events in the
/// format of OUT's extension (`.csv`, `.tsv`, `.json`, `.relmap`; `.gexf`: the actor network
/// with spells and metrics, see [`crate::export::gexf`]), atomically. Exit 0, or one
/// line on stderr and exit 2 with nothing written.
pub fn convert(inputs: &[PathBuf], output: &std::path::Path, load: &LoadOptions) -> i32 {
    match convert_file(inputs, output, load) {
        Ok(events) => {
            eprintln!("relmap: wrote {events} to {}", output.display());
            0
        }
        Err(message) => {
            eprintln!("relmap: {message}");
            2
        }
    }
}

fn convert_file(
    inputs: &[PathBuf],
    output: &std::path::Path,
    load: &LoadOptions,
) -> Result<String, String> {
    let extension = output
        .extension()
        .map(|e| e.to_string_lossy().to_ascii_lowercase())
        .unwrap_or_default();
    if !matches!(
        extension.as_str(),
        "csv" | "tsv" | "json" | "relmap" | "gexf"
    ) {
        return Err(format!(
            "{}: the output must end in .csv, .tsv, .json, .relmap or .gexf",
            output.display()
        ));
    }
    let (loaded, view) =
        load_inputs(inputs, load, &Progress::new()).map_err(|err| err.to_string())?;
    let ds = &loaded.dataset;
    let all: Vec<u32> = (0..ds.len() as u32).collect();
    let mut bytes = Vec::new();
    let written = match extension.as_str() {
        "csv" => io::write::write_native_csv(ds, &all, &mut bytes, b','),
        "tsv" => io::write::write_native_csv(ds, &all, &mut bytes, b'\t'),
        "json" => io::write::write_native_json(ds, &all, &mut bytes),
        "gexf" => crate::export::gexf::write_gexf(ds, &mut bytes),
        _ => crate::workspace::to_json(
            ds,
            crate::workspace::DataChoice::Embed,
            &view.unwrap_or_default(),
        )
        .map(|text| bytes = text.into_bytes()),
    };
    written
        .and_then(|()| crate::export::file::write_file_atomically(output, &bytes))
        .map_err(|e| format!("{}: {e}", output.display()))?;
    Ok(ds.events_label())
}

/// A pixel density from 0.25 to 8.
fn parse_scale(text: &str) -> Result<f32, String> {
    match text.trim().parse::<f32>() {
        Ok(s) if (0.25..=8.0).contains(&s) => Ok(s),
        _ => Err(format!("{text:?} must be a number from 0.25 to 8")),
    }
}

/// `1600x1000` → `[1600.0, 1000.0]`.
fn parse_size(text: &str) -> Result<[f32; 2], String> {
    let (w, h) = text
        .split_once(['x', 'X', '×'])
        .ok_or_else(|| format!("{text:?} is not WIDTHxHEIGHT (e.g. 1600x1000)"))?;
    let parse = |v: &str| -> Result<f32, String> {
        match v.trim().parse::<u32>() {
            Ok(n) if (64..=16_384).contains(&n) => Ok(n as f32),
            _ => Err(format!("{v:?} must be a whole number from 64 to 16384")),
        }
    };
    Ok([parse(w)?, parse(h)?])
}

/// What `relmap render` draws.
pub struct RenderOptions {
    pub from: Option<String>,
    pub to: Option<String>,
    pub layout: Option<LayoutKind>,
    /// The picture's size in pixels.
    pub size: [f32; 2],
    /// Pixels per point.
    pub scale: f32,
    pub theme: Theme,
}

/// Runs `relmap render`: the image and exit 0, or one line on stderr and exit 2.
pub fn render(
    files: &[PathBuf],
    out: &std::path::Path,
    load: &LoadOptions,
    options: &RenderOptions,
) -> i32 {
    match render_image(files, out, load, options) {
        Ok(()) => 0,
        Err(message) => {
            eprintln!("relmap: {message}");
            2
        }
    }
}

fn render_image(
    files: &[PathBuf],
    out: &std::path::Path,
    load: &LoadOptions,
    options: &RenderOptions,
) -> Result<(), String> {
    if crate::export::ImageFormat::of_path(out).is_none() {
        return Err(format!(
            "{}: the output must end in .svg or .png",
            out.display()
        ));
    }
    let from = parse_day(&options.from, false, "from")?;
    let to = parse_day(&options.to, true, "to")?;
    let (loaded, view) =
        load_inputs(files, load, &Progress::new()).map_err(|err| load_error(&err))?;
    let ds = &loaded.dataset;
    // A workspace's notes are drawn as the window draws them (its callouts shown or not).
    let notes = view
        .as_ref()
        .map(|v| crate::model::Notes::from_specs(&v.notes, ds));
    let all = TimeWindow::all(ds);
    let window = TimeWindow::new(from.unwrap_or(all.from), to.unwrap_or(all.to));
    let counts = WindowCounts::full(ds, window);
    let kind = options.layout.unwrap_or_else(|| LayoutKind::automatic(ds));
    let positions = kind.positions(ds, &layout::grouped(ds));
    let visible: Vec<layout::Point> = (0..ds.actors.len())
        .filter(|&a| counts.actor_events[a] > 0)
        .map(|a| positions[a])
        .collect();
    let size = [
        options.size[0] / options.scale,
        options.size[1] / options.scale,
    ];
    let camera = Camera::fit(size, visible).unwrap_or_default();
    let style = MapStyle {
        theme: options.theme,
        note_callouts: view.as_ref().is_none_or(|v| v.style.note_callouts),
        ..MapStyle::default()
    };
    let directed = matches!(
        loaded.format,
        io::Format::Gdelt1 | io::Format::Gdelt2 | io::Format::Icews
    );
    let input = MapInput {
        dataset: ds,
        counts: &counts,
        positions: &positions,
        camera,
        size,
        style: &style,
        selected: &[],
        hovered: None,
        pinned: &[],
        collapsed: &[],
        focus: None,
        directed,
        group_halos: kind == LayoutKind::Grouped,
        outline: (kind == LayoutKind::Geographic)
            .then(|| (layout::geo::world_outline(), layout::geo::world_triangles())),
        pair_types: None,
        selected_edge: None,
        appear: &[],
        located: &[],
        max_edges: usize::MAX,
        metrics: None,
        notes: notes.as_ref(),
    };
    let measure = |t: &str, size: f32, bold: bool| crate::export::font::text_width(t, size, bold);
    let mut picture = picture::build(&input, &measure);
    picture.caption = Some(crate::export::caption(
        ds, window, &style, size[0], &measure,
    ));
    crate::export::write_image(&picture, out, options.scale)
        .map_err(|e| format!("{}: {e}", out.display()))
}

/// What `relmap animate` makes, besides its files and output.
pub struct AnimateOptions {
    pub from: Option<String>,
    pub to: Option<String>,
    pub step: FilmStep,
    pub window: Option<Span>,
    pub cumulative: bool,
    pub scenes: bool,
    pub tween: usize,
    pub fps: u32,
    /// Frame size in pixels.
    pub size: [f32; 2],
    pub scale: f32,
    pub layout: Option<LayoutKind>,
    pub theme: Theme,
    pub max_frames: usize,
}

/// Runs `relmap animate`: the film and exit 0; one line on stderr and exit 2 for bad input
/// or a failed write; exit 130 when `cancel` is set (Ctrl+C). Nothing is left at OUT but a
/// whole film. Progress goes to stderr.
pub fn animate(
    files: &[PathBuf],
    out: &std::path::Path,
    load: &LoadOptions,
    options: &AnimateOptions,
    cancel: &std::sync::atomic::AtomicBool,
) -> i32 {
    match animate_film(files, out, load, options, cancel) {
        Ok(summary) => {
            eprintln!(
                "relmap: wrote {} frames of {} × {} to {} ({}) in {:.1} s",
                summary.frames,
                summary.width,
                summary.height,
                out.display(),
                human_bytes(summary.bytes),
                summary.elapsed.as_secs_f64()
            );
            0
        }
        Err(FilmError::Cancelled) => {
            eprintln!(
                "\nrelmap: cancelled; nothing was written to {}",
                out.display()
            );
            130
        }
        Err(e) => {
            eprintln!("\nrelmap: {e}");
            2
        }
    }
}

fn animate_film(
    files: &[PathBuf],
    out: &std::path::Path,
    load: &LoadOptions,
    options: &AnimateOptions,
    cancel: &std::sync::atomic::AtomicBool,
) -> Result<crate::export::film::FilmSummary, FilmError> {
    use std::io::IsTerminal as _;
    if crate::export::film::FilmFormat::of_path(out).is_none() {
        return Err(FilmError::Input(format!(
            "{}: the output must end in .gif or .mp4, or be a folder ending in / for PNG frames",
            out.display()
        )));
    }
    let from = parse_day(&options.from, false, "from").map_err(FilmError::Input)?;
    let to = parse_day(&options.to, true, "to").map_err(FilmError::Input)?;
    let (loaded, view) = load_inputs(files, load, &Progress::new())
        .map_err(|err| FilmError::Input(load_error(&err)))?;
    let directed = matches!(
        loaded.format,
        io::Format::Gdelt1 | io::Format::Gdelt2 | io::Format::Icews
    );
    let spec = FilmSpec {
        from,
        to,
        step: options.step,
        span: options.window,
        cumulative: options.cumulative,
        scenes: options.scenes,
        tween: options.tween,
        fps: options.fps,
        size: [options.size[0] as u32, options.size[1] as u32],
        scale: options.scale,
        layout: options.layout,
        theme: options.theme,
        max_frames: options.max_frames,
    };
    let terminal = std::io::stderr().is_terminal();
    // The first report is printed at once.
    let mut last_line = std::time::Instant::now()
        .checked_sub(std::time::Duration::from_secs(2))
        .unwrap_or_else(std::time::Instant::now);
    let mut progress = |p: &FilmProgress| {
        let finished = p.frames_done == p.frames;
        // A terminal gets one line rewritten in place; a log a line a second at most.
        if !terminal && !finished && last_line.elapsed().as_secs_f32() < 1.0 {
            return;
        }
        last_line = std::time::Instant::now();
        let line = if p.frames_done == 0 {
            format!("relmap: laying out frame {}/{}", p.laid_out, p.frames)
        } else {
            let left = p
                .time_left()
                .map(|t| format!(" · {} left", human_duration(t)))
                .unwrap_or_default();
            format!(
                "relmap: frame {}/{} · {:.1} frames/s{left}",
                p.frames_done,
                p.frames,
                p.fps()
            )
        };
        if terminal {
            eprint!("\r{line:<60}");
            if finished {
                eprintln!();
            }
        } else {
            eprintln!("{line}");
        }
    };
    crate::export::film::export_film(
        &loaded.dataset,
        view.as_ref(),
        directed,
        &spec,
        out,
        cancel,
        &mut progress,
    )
}

/// `1234567` → `1.2 MB`.
fn human_bytes(bytes: u64) -> String {
    match bytes {
        b if b >= 1_000_000 => format!("{:.1} MB", b as f64 / 1e6),
        b if b >= 1_000 => format!("{:.0} KB", b as f64 / 1e3),
        b => format!("{b} bytes"),
    }
}

/// `95 s` → `1 min 35 s`.
fn human_duration(t: std::time::Duration) -> String {
    let s = t.as_secs();
    if s >= 60 {
        format!("{} min {} s", s / 60, s % 60)
    } else {
        format!("{s} s")
    }
}

/// A `--from`/`--to` date as a day: the first day a partial date covers, or the last.
fn parse_day(text: &Option<String>, last: bool, what: &str) -> Result<Option<i32>, String> {
    text.as_deref()
        .map(|t| {
            PartialDate::parse(t)
                .map(|d| if last { d.last_day() } else { d.first_day() })
                .map_err(|e| format!("--{what} {t:?}: {e}"))
        })
        .transpose()
}

/// A load error with its first bad line, if any.
fn load_error(err: &io::LoadError) -> String {
    let first = err
        .errors
        .first()
        .map(|d| {
            format!(
                " (first: line {}, column {}: {})",
                d.line, d.column, d.message
            )
        })
        .unwrap_or_default();
    format!("{err}{first}")
}

/// The JSON `relmap stats` prints.
#[derive(serde::Serialize, Debug)]
pub struct Stats {
    pub format: &'static str,
    /// Events: rows, or for aggregates (a `count` column) the sum of their counts.
    pub events: u64,
    /// The rows read, when they are aggregates (else the same as `events`, and left out).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rows: Option<usize>,
    pub actors: usize,
    pub first: String,
    pub last: String,
    pub skipped: usize,
    pub errors: Vec<io::Diagnostic>,
    pub warnings: Vec<io::Diagnostic>,
}

/// One line of `relmap stats --actors`.
#[derive(serde::Serialize, Debug)]
pub struct ActorLine<'a> {
    pub name: &'a str,
    pub kind: &'static str,
    /// The country's name: the actor's own for a country, else its affiliation's (when that
    /// is a country); empty when it has none.
    pub country: &'a str,
    /// The country's ISO alpha-3 code, likewise.
    pub iso3: &'a str,
    pub events: u64,
    /// The rules the reader applied when it met the actor.
    pub why: &'a str,
}

/// The actors of a dataset as `relmap stats --actors` lists them: most events first, then
/// by name.
pub fn actor_lines(ds: &crate::model::Dataset) -> Vec<ActorLine<'_>> {
    let mut events = vec![0u64; ds.actors.len()];
    for e in 0..ds.len() as u32 {
        for &a in ds.actors_of(e) {
            events[a as usize] += u64::from(ds.multiplicity(e));
        }
    }
    let mut lines: Vec<ActorLine<'_>> = ds
        .actors
        .iter()
        .map(|(id, actor)| {
            let country = match actor.kind {
                crate::model::ActorKind::Country => Some(actor),
                _ => actor
                    .affiliation
                    .map(|c| ds.actors.get(c))
                    .filter(|c| c.kind == crate::model::ActorKind::Country),
            };
            ActorLine {
                name: &actor.name,
                kind: actor.kind.label(),
                country: country.map_or("", |c| c.name.as_str()),
                iso3: country.and_then(|c| c.iso3.as_deref()).unwrap_or(""),
                events: events[id as usize],
                why: ds.actors.why(id),
            }
        })
        .collect();
    lines.sort_by(|a, b| b.events.cmp(&a.events).then_with(|| a.name.cmp(b.name)));
    lines
}

/// Runs `relmap stats --actors`: one JSON line per actor on stdout and exit 0, or one line on
/// stderr and exit 2.
pub fn stats_actors(files: &[PathBuf], options: &LoadOptions) -> i32 {
    match load_inputs(files, options, &Progress::new()) {
        Ok((loaded, _)) => {
            use std::io::Write as _;
            let mut out = std::io::BufWriter::new(std::io::stdout().lock());
            for line in actor_lines(&loaded.dataset) {
                let Ok(json) = serde_json::to_string(&line) else {
                    continue;
                };
                // A closed pipe (`relmap stats --actors F | head`) is the reader's choice.
                if writeln!(out, "{json}").is_err() {
                    return 0;
                }
            }
            let _ = out.flush();
            0
        }
        Err(err) => {
            eprintln!("relmap: {err}");
            2
        }
    }
}

/// Runs `relmap stats`: the JSON on stdout and exit 0, or one line on stderr and exit 2.
pub fn stats(files: &[PathBuf], options: &LoadOptions) -> i32 {
    match load_inputs(files, options, &Progress::new()) {
        Ok((loaded, _)) => {
            let ds = &loaded.dataset;
            let (first, last) = ds
                .first_and_last_dates()
                .map(|(f, l)| (f.to_string(), l.to_string()))
                .unwrap_or_default();
            let stats = Stats {
                format: loaded.format.name(),
                events: ds.event_total(),
                rows: ds.is_aggregated().then_some(ds.len()),
                actors: ds.actors.len(),
                first,
                last,
                skipped: loaded.diagnostics.skipped,
                errors: loaded.diagnostics.errors,
                warnings: loaded.diagnostics.warnings,
            };
            match serde_json::to_string(&stats) {
                Ok(json) => {
                    // A closed pipe (`relmap stats F | head`) is the reader's choice, not an error.
                    use std::io::Write as _;
                    let _ = writeln!(std::io::stdout().lock(), "{json}");
                    0
                }
                Err(e) => {
                    eprintln!("relmap: cannot write the summary: {e}");
                    2
                }
            }
        }
        Err(err) => {
            let first_error = err
                .errors
                .first()
                .map(|d| {
                    format!(
                        " (first: line {}, column {}: {})",
                        d.line, d.column, d.message
                    )
                })
                .unwrap_or_default();
            eprintln!("relmap: {err}{first_error}");
            2
        }
    }
}

/// What `relmap metrics` writes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum MetricsFormat {
    Json,
    Csv,
}

/// The JSON `relmap metrics` writes.
#[derive(serde::Serialize, Debug)]
pub struct MetricsReport<'a> {
    /// The window, as `YYYY-MM-DD`.
    pub from: String,
    pub to: String,
    /// Events in the window, and actor pairs tied by them.
    pub events: u32,
    pub ties: usize,
    /// Newman's modularity of the communities (tie weights counted).
    pub modularity: f64,
    pub communities: usize,
    /// Whether betweenness and closeness are estimates from a sample of sources (graphs too
    /// large to compute exactly at once; see `relmap::analysis::SourcePlan::automatic`).
    pub estimate: bool,
    /// With an estimate: the sources searched, and the largest standard error of a
    /// betweenness value.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub betweenness_sources: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub betweenness_max_standard_error: Option<f64>,
    /// Highest PageRank first, then by name.
    pub actors: Vec<MetricsRow<'a>>,
}

/// One actor's metrics: a JSON object of [`MetricsReport::actors`], or a CSV row.
#[derive(serde::Serialize, Debug, Clone, PartialEq)]
pub struct MetricsRow<'a> {
    pub name: &'a str,
    pub degree: u32,
    pub weighted_degree: f64,
    pub betweenness: f64,
    pub closeness: f64,
    pub eigenvector: f64,
    pub pagerank: f64,
    /// 0 the largest community.
    pub community: u32,
}

/// What `relmap metrics` measures and where it writes.
pub struct MetricsOptions {
    pub from: Option<String>,
    pub to: Option<String>,
    pub format: Option<MetricsFormat>,
    pub out: Option<PathBuf>,
}

/// Runs `relmap metrics`: the table on stdout or in `--out` and exit 0, or one line on
/// stderr and exit 2 with nothing written.
pub fn metrics(files: &[PathBuf], load: &LoadOptions, options: &MetricsOptions) -> i32 {
    match write_metrics(files, load, options) {
        Ok(()) => 0,
        Err(message) => {
            eprintln!("relmap: {message}");
            2
        }
    }
}

/// Runs `relmap extract`: the candidates and exit 0 (warnings on stderr), or one line naming
/// the file on stderr and exit 2.
pub fn extract(
    file: &std::path::Path,
    date: Option<&str>,
    format: ExtractFormat,
    out: Option<&std::path::Path>,
    known: Option<&std::path::Path>,
    baseline: bool,
) -> i32 {
    match extract_file(file, date, format, out, known, baseline) {
        Ok((count, warnings)) => {
            for warning in warnings {
                eprintln!("relmap: {}: {warning}", file.display());
            }
            if let Some(out) = out {
                eprintln!(
                    "relmap: wrote {count} candidate events to {}",
                    out.display()
                );
            }
            0
        }
        Err(message) => {
            eprintln!("relmap: {message}");
            2
        }
    }
}

/// A `--from`/`--to` date as a day: a partial date's first day, or its last for `--to`.
fn window_bound(text: Option<&str>, last: bool, what: &str) -> Result<Option<i32>, String> {
    text.map(|t| {
        PartialDate::parse(t)
            .map(|d| if last { d.last_day() } else { d.first_day() })
            .map_err(|e| format!("--{what} {t:?}: {e}"))
    })
    .transpose()
}

fn write_metrics(
    files: &[PathBuf],
    load: &LoadOptions,
    options: &MetricsOptions,
) -> Result<(), String> {
    use crate::analysis::{ActorMetrics, SourcePlan, WindowGraph};

    let format = match (options.format, &options.out) {
        (Some(format), _) => format,
        (None, Some(out)) => {
            match out
                .extension()
                .map(|e| e.to_string_lossy().to_ascii_lowercase())
            {
                Some(e) if e == "csv" => MetricsFormat::Csv,
                Some(e) if e == "json" => MetricsFormat::Json,
                _ => {
                    return Err(format!(
                        "{}: say --format json or csv, or end the name in .json or .csv",
                        out.display()
                    ));
                }
            }
        }
        (None, None) => MetricsFormat::Json,
    };
    let from = window_bound(options.from.as_deref(), false, "from")?;
    let to = window_bound(options.to.as_deref(), true, "to")?;
    if let (Some(f), Some(t)) = (from, to)
        && f > t
    {
        return Err(format!(
            "--from {} is after --to {}",
            options.from.as_deref().unwrap_or_default(),
            options.to.as_deref().unwrap_or_default()
        ));
    }
    let (loaded, _) = load_inputs(files, load, &Progress::new()).map_err(|err| {
        let first = err
            .errors
            .first()
            .map(|d| {
                format!(
                    " (first: line {}, column {}: {})",
                    d.line, d.column, d.message
                )
            })
            .unwrap_or_default();
        format!("{err}{first}")
    })?;
    let ds = &loaded.dataset;
    let all = TimeWindow::all(ds);
    let window = TimeWindow::new(from.unwrap_or(all.from), to.unwrap_or(all.to));
    let counts = WindowCounts::full(ds, window);
    let graph = WindowGraph::from_counts(ds, &counts);
    let plan = SourcePlan::automatic(&graph);
    let metrics = ActorMetrics::compute(&graph, &plan);
    if graph.node_count() == 0 {
        eprintln!("relmap: no two actors share an event in the window");
    }
    if let Some(estimate) = &metrics.estimate {
        eprintln!(
            "relmap: betweenness and closeness are estimates from {} of {} actors as sources \
             (largest standard error of a betweenness value: {:.2e})",
            estimate.sources,
            graph.node_count(),
            estimate.max_betweenness_standard_error
        );
    }
    let mut rows: Vec<MetricsRow<'_>> = (0..graph.node_count())
        .map(|v| MetricsRow {
            name: &ds.actors.get(graph.actors[v]).name,
            degree: metrics.degree[v],
            weighted_degree: metrics.weighted_degree[v],
            betweenness: metrics.betweenness[v],
            closeness: metrics.closeness[v],
            eigenvector: metrics.eigenvector[v],
            pagerank: metrics.pagerank[v],
            community: metrics.community[v],
        })
        .collect();
    rows.sort_by(|a, b| b.pagerank.total_cmp(&a.pagerank).then(a.name.cmp(b.name)));
    let bytes = match format {
        MetricsFormat::Json => {
            let report = MetricsReport {
                from: crate::model::format_day(window.from),
                to: crate::model::format_day(window.to),
                events: counts.events,
                ties: graph.tie_count(),
                modularity: metrics.modularity,
                communities: metrics
                    .community
                    .iter()
                    .map(|&c| c as usize + 1)
                    .max()
                    .unwrap_or(0),
                estimate: metrics.estimate.is_some(),
                betweenness_sources: metrics.estimate.as_ref().map(|e| e.sources),
                betweenness_max_standard_error: metrics
                    .estimate
                    .as_ref()
                    .map(|e| e.max_betweenness_standard_error),
                actors: rows,
            };
            let mut text = serde_json::to_string(&report).map_err(|e| e.to_string())?;
            text.push('\n');
            text.into_bytes()
        }
        MetricsFormat::Csv => {
            let mut writer = csv::Writer::from_writer(Vec::new());
            if rows.is_empty() {
                // serde writes the header with the first row; an empty table keeps it.
                writer
                    .write_record([
                        "name",
                        "degree",
                        "weighted_degree",
                        "betweenness",
                        "closeness",
                        "eigenvector",
                        "pagerank",
                        "community",
                    ])
                    .map_err(|e| e.to_string())?;
            }
            for row in &rows {
                writer.serialize(row).map_err(|e| e.to_string())?;
            }
            writer.into_inner().map_err(|e| e.to_string())?
        }
    };
    match &options.out {
        Some(out) => crate::export::file::write_file_atomically(out, &bytes)
            .map_err(|e| format!("{}: {e}", out.display())),
        None => {
            // A closed pipe (`relmap metrics F | head`) is the reader's choice, not an error.
            use std::io::Write as _;
            let _ = std::io::stdout().lock().write_all(&bytes);
            Ok(())
        }
    }
}

fn extract_file(
    file: &std::path::Path,
    date: Option<&str>,
    format: ExtractFormat,
    out: Option<&std::path::Path>,
    known: Option<&std::path::Path>,
    baseline: bool,
) -> Result<(usize, Vec<String>), String> {
    use crate::extract::{ExtractOptions, KnownActor};
    let shown = file.display();
    let bytes = std::fs::read(file).map_err(|e| format!("{shown}: {e}"))?;
    if bytes.contains(&0) {
        return Err(format!("{shown}: not a text file (it holds NUL bytes)"));
    }
    let text = String::from_utf8(bytes).map_err(|e| format!("{shown}: not UTF-8 text ({e})"))?;
    let publication_date = date
        .map(|d| {
            PartialDate::parse(d)
                .ok()
                .filter(|p| p.precision() == crate::model::Precision::Day)
                .ok_or_else(|| format!("{shown}: --date {d:?} is not a day (YYYY-MM-DD)"))
        })
        .transpose()?;
    let known_actors: Vec<KnownActor> = match known {
        None => Vec::new(),
        Some(path) => {
            let (loaded, _) = load_inputs(
                &[path.to_path_buf()],
                &LoadOptions::default(),
                &Progress::new(),
            )
            .map_err(|e| e.to_string())?;
            crate::extract::known_actors(&loaded.dataset)
        }
    };
    let options = ExtractOptions {
        publication_date,
        known_actors: &known_actors,
        today: None,
    };
    let extraction = if baseline {
        crate::extract::baseline(&text, &options)
    } else {
        crate::extract::extract(&text, &options)
    };
    let url = String::new();
    let mut buffer = Vec::new();
    match format {
        ExtractFormat::Csv => crate::extract::output::write_csv(&extraction, &url, &mut buffer),
        ExtractFormat::Json => crate::extract::output::write_json(&extraction, &url, &mut buffer),
    }
    .map_err(|e| format!("{shown}: {e}"))?;
    match out {
        Some(path) => crate::export::file::write_file_atomically(path, &buffer)
            .map_err(|e| format!("{}: {e}", path.display()))?,
        None => {
            use std::io::Write as _;
            std::io::stdout()
                .write_all(&buffer)
                .map_err(|e| format!("standard output: {e}"))?;
        }
    }
    Ok((extraction.candidates.len(), extraction.warnings))
}

/// `relmap sql`: prints the query; a request it can't write is exit 2 with the reason.
pub fn sql(dialect: crate::sql::Dialect, request: &crate::sql::Request) -> i32 {
    match crate::sql::query(dialect, request) {
        Ok(text) => {
            print!("{text}");
            0
        }
        Err(e) => {
            eprintln!("relmap sql: {e}");
            2
        }
    }
}
