//! An open event file as the UI holds it: the dataset plus everything derived from it once
//! (layout, the events of each actor and pair) and the counts of the current time window.

use std::path::PathBuf;
use std::sync::Arc;

use crate::export::picture::{MapStyle, PairTypes};
use crate::io::{Diagnostics, Format, Loaded};
use crate::layout::{self, LayoutKind, Point};
use crate::model::{
    ActorId, Dataset, EventClass, EventFilter, EventIndex, Notes, TimeWindow, TimelineCounts,
    WindowCounts,
};
use crate::workspace::{NodeState, View};

/// How the timeline's bars are stacked.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TimelineGroups {
    Classes,
    /// These types (by id), then all others.
    Types(Vec<u32>),
}

/// A loaded file with its view of time.
pub struct Document {
    /// What the title bar and status bar call it.
    pub name: String,
    pub path: Option<PathBuf>,
    pub format: Format,
    /// Shared, so that a worker (the autosave) can write it while the window goes on; an
    /// edit copies it only while such a worker still holds it (`Arc::make_mut`).
    pub dataset: Arc<Dataset>,
    pub diagnostics: Diagnostics,
    /// Where each actor is drawn now (moving towards `target` while a layout changes).
    pub positions: Vec<Point>,
    /// Where each actor is going: the layout's positions.
    pub target: Vec<Point>,
    pub layout: LayoutKind,
    /// Per actor: fixed in place by the user.
    pub pinned: Vec<bool>,
    /// Per actor: a country drawn with its members folded into it.
    pub collapsed: Vec<bool>,
    /// The format says who acted on whom (GDELT, ICEWS): edges get arrows.
    pub directed: bool,
    /// Dominant event type per pair in the window, while edges are coloured by type.
    pub pair_types: Option<PairTypes>,
    /// The events of each actor and pair.
    pub index: EventIndex,
    /// Per actor: has a place on the world map.
    pub located: Vec<bool>,
    /// What the timeline stacks: events per day accepted by the filter, by class or by the
    /// window's most common types, and which of the two it is.
    pub timeline_counts: TimelineCounts,
    timeline_groups: Option<TimelineGroups>,
    pub counts: WindowCounts,
    /// Edited since it was read: a workspace must then carry the data itself.
    pub edited: bool,
    /// Changes with every edit of the data (event ids may have moved).
    pub data_generation: u64,
    /// The source file's `(sha256, bytes)` once a workspace referencing it was saved.
    pub source_checksum: Option<(String, u64)>,
    /// Classes present in the data, for the legend.
    pub classes_present: [bool; 5],
    /// The analyst's notes on actors, ties and events (changed through the session's
    /// undoable changes).
    pub notes: Notes,
}

/// From this many events a file opens on its busiest month with countries folded.
pub const BIG_FILE_EVENTS: usize = 200_000;

/// The calendar month with the most events starting in it, as a window. `starts` is sorted.
pub fn busiest_month(starts: &[crate::model::DayNumber]) -> Option<TimeWindow> {
    use crate::model::{civil_from_day, day_number, days_in_month};
    let mut best: Option<((i32, u8), usize)> = None;
    let mut i = 0;
    while i < starts.len() {
        let (y, m, _) = civil_from_day(starts[i]);
        let end = day_number(y, m, days_in_month(y, m));
        let j = i + starts[i..].partition_point(|&d| d <= end);
        if best.is_none_or(|(_, n)| j - i > n) {
            best = Some(((y, m), j - i));
        }
        i = j;
    }
    best.map(|((y, m), _)| {
        TimeWindow::new(day_number(y, m, 1), day_number(y, m, days_in_month(y, m)))
    })
}

/// `window` within the data's first and last day, as every window the document shows.
fn clamped_to_data(dataset: &Dataset, window: TimeWindow) -> TimeWindow {
    let (lo, hi) = dataset.day_range().unwrap_or((0, 0));
    TimeWindow::new(window.from.clamp(lo, hi), window.to.clamp(lo, hi))
}

impl Document {
    pub fn new(name: String, path: Option<PathBuf>, loaded: Loaded) -> Self {
        let dataset = loaded.dataset;
        let positions = layout::automatic(&dataset);
        let n = dataset.actors.len();
        let layout = LayoutKind::automatic(&dataset);
        let index = EventIndex::of(&dataset);
        let located = layout::geo::located(&dataset);
        // Counted once, for the window the file opens on: on a big file, counting every event
        // and then taking all but the busiest month away again took 2 s of the 2.3 s spent
        // here on a 10M-event index (`examples/time_open.rs`).
        let big = dataset.len() >= BIG_FILE_EVENTS;
        let first_window = big
            .then(|| busiest_month(&dataset.start))
            .flatten()
            .map_or_else(
                || TimeWindow::all(&dataset),
                |m| clamped_to_data(&dataset, m),
            );
        let counts = WindowCounts::full(&dataset, first_window);
        let mut classes_present = [false; 5];
        for class in &dataset.class {
            classes_present[class.index()] = true;
        }
        let mut doc = Self {
            name,
            path,
            format: loaded.format,
            dataset: Arc::new(dataset),
            diagnostics: loaded.diagnostics,
            target: positions.clone(),
            positions,
            layout,
            pinned: vec![false; n],
            collapsed: vec![false; n],
            directed: matches!(
                loaded.format,
                Format::Gdelt1 | Format::Gdelt2 | Format::Icews
            ),
            pair_types: None,
            located,
            index,
            timeline_counts: TimelineCounts::default(),
            timeline_groups: None,
            counts,
            classes_present,
            source_checksum: None,
            edited: false,
            data_generation: 0,
            notes: Notes::default(),
        };
        if big {
            doc.fold_countries_with_members();
        }
        doc
    }

    /// A big file opens on a view that can be read and drawn at once: its busiest month
    /// (chosen in [`Document::new`]), with every country's members folded into it. (All of it
    /// is one double-click on the timeline, or "Expand all", away.)
    fn fold_countries_with_members(&mut self) {
        let has_members = self.collapsible_countries();
        for (c, members) in self.collapsed.iter_mut().zip(has_members) {
            *c = members;
        }
    }

    /// Per actor: a country that others belong to.
    fn collapsible_countries(&self) -> Vec<bool> {
        let actors = &self.dataset.actors;
        let mut has_members = vec![false; actors.len()];
        for (_, actor) in actors.iter() {
            if let Some(c) = actor.affiliation {
                has_members[c as usize] = true;
            }
        }
        has_members
    }

    /// Where the actors drawn in the window are going: what "fit to view" frames. Actors
    /// folded into their country are not drawn; on a big graph the outermost 1 % on each
    /// side are left out, so that a few far-flung nodes do not shrink everything else to dots.
    pub fn visible_positions(&self) -> Vec<Point> {
        let folded = |a: usize| {
            let root = crate::layout::group_root(&self.dataset, a as ActorId);
            root as usize != a && self.collapsed.get(root as usize) == Some(&true)
        };
        let mut visible: Vec<Point> = (0..self.dataset.actors.len())
            .filter(|&a| self.counts.actor_events[a] > 0 && !folded(a))
            .map(|a| self.target[a])
            .collect();
        if visible.is_empty() {
            return self.target.clone();
        }
        if visible.len() >= 200 {
            let cut = visible.len() / 100;
            let bounds = |axis: usize, pts: &mut Vec<Point>| {
                let mut v: Vec<f32> = pts.iter().map(|p| p[axis]).collect();
                v.sort_unstable_by(f32::total_cmp);
                (v[cut], v[v.len() - 1 - cut])
            };
            let (x0, x1) = bounds(0, &mut visible);
            let (y0, y1) = bounds(1, &mut visible);
            visible.retain(|p| p[0] >= x0 && p[0] <= x1 && p[1] >= y0 && p[1] <= y1);
        }
        visible
    }

    /// Moves the drawn positions a share of the way to the targets (an ease-out of about a
    /// third of a second). Returns whether anything is still moving.
    pub fn animate(&mut self, dt: f32) -> bool {
        let t = 1.0 - (-dt.clamp(0.0, 0.1) / 0.08).exp();
        let mut moving = false;
        for (p, q) in self.positions.iter_mut().zip(&self.target) {
            let (dx, dy) = (q[0] - p[0], q[1] - p[1]);
            if dx.abs() + dy.abs() < 0.05 {
                *p = *q;
                continue;
            }
            moving = true;
            p[0] += dx * t;
            p[1] += dy * t;
        }
        moving
    }

    /// Switches to `kind`, computed here unless it is the force layout (streamed by the
    /// app's worker). Pinned actors keep their place.
    pub fn set_layout(&mut self, kind: LayoutKind) {
        self.layout = kind;
        if kind == LayoutKind::Force {
            return;
        }
        let mut target = kind.positions(&self.dataset, &self.target);
        for (a, &pinned) in self.pinned.iter().enumerate() {
            if pinned {
                target[a] = self.target[a];
            }
        }
        self.target = target;
    }

    /// Takes positions streamed from the force worker, keeping pinned ones.
    pub fn take_force_positions(&mut self, positions: &[Point]) {
        if positions.len() != self.target.len() {
            return;
        }
        for (a, &p) in positions.iter().enumerate() {
            if !self.pinned[a] {
                self.target[a] = p;
            }
        }
    }

    /// Moves an actor by a world offset at once (a drag), and pins it.
    pub fn move_actor(&mut self, actor: ActorId, delta: Point) {
        let a = actor as usize;
        if a < self.target.len() {
            self.target[a][0] += delta[0];
            self.target[a][1] += delta[1];
            self.positions[a] = self.target[a];
            self.pinned[a] = true;
        }
    }

    /// The actor whose name or alias best matches `text`: exact, then prefix, then
    /// substring, ignoring case; among equals the most active.
    pub fn find_actor(&self, text: &str) -> Option<ActorId> {
        let needle = crate::model::normalise_name(text);
        if needle.is_empty() {
            return None;
        }
        let actors = &self.dataset.actors;
        let score = |a: ActorId| -> Option<u8> {
            let actor = actors.get(a);
            std::iter::once(&actor.name)
                .chain(&actor.aliases)
                .chain(actor.iso3.as_ref())
                .filter_map(|name| {
                    let name = crate::model::normalise_name(name);
                    if name == needle {
                        Some(3)
                    } else if name.starts_with(&needle) {
                        Some(2)
                    } else if name.contains(&needle) {
                        Some(1)
                    } else {
                        None
                    }
                })
                .max()
        };
        (0..actors.len() as ActorId)
            .filter_map(|a| score(a).map(|s| (s, self.counts.actor_events[a as usize], a)))
            .max_by_key(|&(s, events, a)| (s, events, std::cmp::Reverse(a)))
            .map(|(_, _, a)| a)
    }

    pub fn set_filter(&mut self, filter: EventFilter) {
        self.counts.set_filter(&self.dataset, filter);
        self.pair_types = None;
        self.timeline_groups = None;
    }

    /// Recounts the timeline's bars if the filter or the grouping changed: by class, or by
    /// `types` (the map's most common types, in colour order) with everything else last.
    pub fn ensure_timeline_counts(&mut self, groups: TimelineGroups) {
        if self.timeline_groups.as_ref() == Some(&groups) {
            return;
        }
        let ds = &self.dataset;
        let filter = &self.counts.filter;
        let (first, last) = ds.day_range().unwrap_or((0, 0));
        let accepted = (0..ds.len() as u32).filter(|&e| filter.accepts(ds, e));
        let span = |e: u32| (ds.start[e as usize], ds.end[e as usize]);
        // Events, not rows: an aggregate row adds the events it stands for.
        self.timeline_counts = match &groups {
            TimelineGroups::Classes => TimelineCounts::weighted(
                first,
                last,
                5,
                accepted.map(|e| {
                    let (s, end) = span(e);
                    (s, end, ds.class[e as usize].index(), ds.multiplicity(e))
                }),
            ),
            TimelineGroups::Types(top) => TimelineCounts::weighted(
                first,
                last,
                top.len() + 1,
                accepted.map(|e| {
                    let t = ds.type_of[e as usize];
                    let g = top.iter().position(|&x| x == t).unwrap_or(top.len());
                    let (s, end) = span(e);
                    (s, end, g, ds.multiplicity(e))
                }),
            ),
        };
        self.timeline_groups = Some(groups);
    }

    pub fn timeline_groups(&self) -> Option<&TimelineGroups> {
        self.timeline_groups.as_ref()
    }

    pub fn window(&self) -> TimeWindow {
        self.counts.window
    }

    /// Moves the window, clamped to the data, updating the counts incrementally.
    pub fn set_window(&mut self, window: TimeWindow) {
        let clamped = clamped_to_data(&self.dataset, window);
        if self.counts.move_to(&self.dataset, clamped) > 0 {
            self.pair_types = None;
        }
    }

    /// Computes the pair types for colouring by type, if not known for this window.
    pub fn ensure_pair_types(&mut self) {
        if self.pair_types.is_none() {
            self.pair_types = Some(PairTypes::of(&self.dataset, &self.counts));
        }
    }

    /// Brings everything derived from the data up to date after an edit, and marks the
    /// data as edited.
    pub fn after_edit(&mut self) {
        self.refresh_derived();
        self.edited = true;
        self.data_generation += 1;
    }

    /// Brings indexes, window counts (same window and filter) and per-actor state up to
    /// date with the data, giving actors added since a place.
    pub fn refresh_derived(&mut self) {
        let ds = &self.dataset;
        let n = ds.actors.len();
        if self.target.len() < n {
            // New actors start at their country, or at the middle of the picture.
            let centre = layout::bounds(self.target.iter().copied())
                .map_or([0.0, 0.0], |(lo, hi)| {
                    [(lo[0] + hi[0]) / 2.0, (lo[1] + hi[1]) / 2.0]
                });
            for a in self.target.len()..n {
                let root = layout::group_root(ds, a as ActorId) as usize;
                let p = if root < self.target.len() {
                    let q = self.target[root];
                    [q[0] + 30.0, q[1] + 30.0]
                } else {
                    centre
                };
                self.target.push(p);
                self.positions.push(p);
                self.pinned.push(false);
                self.collapsed.push(false);
            }
        }
        self.index = EventIndex::of(ds);
        self.located = layout::geo::located(ds);
        let window = self.window();
        let filter = self.counts.filter.clone();
        self.counts = WindowCounts::filtered(ds, TimeWindow::all(ds), filter);
        self.set_window(window);
        self.pair_types = None;
        self.timeline_groups = None;
        self.classes_present = [false; 5];
        for class in &self.dataset.class {
            self.classes_present[class.index()] = true;
        }
    }

    /// How the document is shown, as a workspace stores it (the map style is the app's).
    pub fn workspace_view(&self, style: &MapStyle) -> View {
        let ds = &self.dataset;
        let mut view = View {
            layout: Some(self.layout),
            style: style.clone(),
            ..View::default()
        };
        view.set_time_window(self.window());
        view.set_filter(ds, &self.counts.filter);
        view.nodes = ds
            .actors
            .iter()
            .map(|(a, actor)| {
                let [x, y] = self.target[a as usize];
                NodeState {
                    name: actor.name.clone(),
                    x,
                    y,
                    pinned: self.pinned[a as usize],
                    collapsed: self.collapsed[a as usize],
                }
            })
            .collect();
        view.notes = self.notes.to_specs(ds);
        view
    }

    /// Shows the document as a workspace stored it: layout, node positions, pins and
    /// collapsed countries (by actor name), time window and filter, notes.
    pub fn apply_view(&mut self, view: &View) {
        if let Some(kind) = view.layout {
            self.set_layout(kind);
            self.layout = kind;
        }
        let by_name: std::collections::HashMap<&str, ActorId> = self
            .dataset
            .actors
            .iter()
            .map(|(a, actor)| (actor.name.as_str(), a))
            .collect();
        for node in &view.nodes {
            if let Some(&a) = by_name.get(node.name.as_str()) {
                let a = a as usize;
                self.target[a] = [node.x, node.y];
                self.positions[a] = [node.x, node.y];
                self.pinned[a] = node.pinned;
                self.collapsed[a] = node.collapsed;
            }
        }
        self.notes = Notes::from_specs(&view.notes, &self.dataset);
        let filter = view.filter(&self.dataset);
        self.set_filter(filter);
        if let Some(window) = view.time_window() {
            self.set_window(window);
        }
    }

    pub fn has_class(&self, class: EventClass) -> bool {
        self.classes_present[class.index()]
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::day_number;

    #[test]
    fn the_busiest_month_is_the_window_of_a_big_file() {
        let mut starts = vec![day_number(2024, 1, 5), day_number(2024, 1, 31)];
        starts.extend(std::iter::repeat_n(day_number(2024, 3, 2), 3));
        starts.push(day_number(2024, 3, 31));
        starts.push(day_number(2025, 2, 1));
        let w = busiest_month(&starts).unwrap();
        assert_eq!(
            (w.from, w.to),
            (day_number(2024, 3, 1), day_number(2024, 3, 31))
        );
        assert_eq!(busiest_month(&[]), None);
    }

    #[test]
    fn fitting_leaves_out_far_flung_outliers_on_a_big_graph() {
        let mut csv = String::from("date,actor1,actor2\n");
        for i in 0..300 {
            csv.push_str(&format!("2024-01-01,A{i},B{i}\n"));
        }
        let loaded = crate::io::load_bytes(
            csv.as_bytes(),
            std::path::Path::new("t.csv"),
            &crate::io::LoadOptions::default(),
        )
        .unwrap();
        let mut doc = Document::new("t".into(), None, loaded);
        for (a, p) in doc.target.iter_mut().enumerate() {
            *p = [a as f32, 0.0];
        }
        doc.target[0] = [1e6, 1e6];
        let fit = doc.visible_positions();
        assert!(fit.iter().all(|p| p[0] < 1e5), "the outlier is left out");
        assert!(fit.len() > 580, "{}", fit.len());
    }
}
