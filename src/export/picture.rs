//! The map as a display list in screen coordinates (points, y down): what the GUI paints and
//! what SVG/PNG export write. Building it (culling, level of detail, label placement) lives
//! here, away from egui, so that the CLI renders exactly what the window shows. (A *scene*
//! is something else: a presentation slide, [`crate::workspace::SceneSpec`].)

use rustc_hash::FxHashMap;

pub use super::callouts::{Callout, NoteMark};
use super::style::{self, EdgeColouring, Palette, Theme};
pub use super::style::{NodeShape, Rgba};
use crate::analysis::{Measure, WindowMetrics};
use crate::layout::{self, Point};
use crate::model::{ActorId, ActorKind, Dataset, EventClass, EventId, Notes, PairId, WindowCounts};

/// A point on the picture, in points from the top-left corner, y down.
pub type ScreenPoint = [f32; 2];

#[derive(Clone, Debug, PartialEq)]
pub struct PictureNode {
    pub actor: ActorId,
    pub centre: ScreenPoint,
    pub radius: f32,
    pub shape: NodeShape,
    pub fill: Rgba,
    /// Outline; width 0 for none.
    pub stroke: Rgba,
    pub stroke_width: f32,
    /// Short text drawn inside the node (a country's ISO code), centred, in `badge_colour`.
    pub badge: Option<String>,
    pub badge_colour: Rgba,
    /// A ring just outside the node (selection), if any.
    pub ring: Option<Rgba>,
    /// Drawn with a small pin mark: the user fixed it in place.
    pub pinned: bool,
}

#[derive(Clone, Debug, PartialEq)]
pub struct PictureEdge {
    pub from: ScreenPoint,
    pub to: ScreenPoint,
    pub width: f32,
    pub colour: Rgba,
    /// Arrow heads where the format says who acted on whom: at `to` (from → to), at `from`.
    pub arrow_to: bool,
    pub arrow_from: bool,
    /// Radii of the nodes at each end, so that arrow heads sit on the node's rim.
    pub from_radius: f32,
    pub to_radius: f32,
}

/// A label already placed: it overlaps no other label of the scene.
#[derive(Clone, Debug, PartialEq)]
pub struct PictureLabel {
    pub text: String,
    /// Top-left corner of the text box.
    pub min: ScreenPoint,
    /// Size of the text box as measured when it was placed.
    pub size: [f32; 2],
    /// Font size in points.
    pub font_size: f32,
    pub colour: Rgba,
    /// A rounded box behind the text so it reads over edges; alpha 0 for none.
    pub halo: Rgba,
    pub bold: bool,
}

/// A faint disc behind a country and the actors ringed around it.
#[derive(Clone, Debug, PartialEq)]
pub struct PictureHalo {
    pub centre: ScreenPoint,
    pub radius: f32,
    pub fill: Rgba,
    pub stroke: Rgba,
}

#[derive(Clone, Debug, PartialEq)]
pub enum LegendMark {
    Node(NodeShape, Rgba),
    Line(Rgba),
}

#[derive(Clone, Debug, PartialEq)]
pub struct LegendEntry {
    pub mark: LegendMark,
    pub label: String,
}

/// The key in the lower-left corner.
#[derive(Clone, Debug, PartialEq)]
pub struct Legend {
    pub min: ScreenPoint,
    pub size: [f32; 2],
    pub fill: Rgba,
    pub stroke: Rgba,
    pub text_colour: Rgba,
    pub font_size: f32,
    pub row_height: f32,
    pub entries: Vec<LegendEntry>,
}

/// A filled rectangle (with an optional border) in screen points.
#[derive(Clone, Debug, PartialEq)]
pub struct PictureRect {
    pub min: ScreenPoint,
    pub size: [f32; 2],
    pub fill: Rgba,
    /// Border; alpha 0 for none.
    pub stroke: Rgba,
}

/// A band drawn over everything else, e.g. a film frame's strip with the window's dates and a
/// small timeline ([`super::film`]): rectangles back to front, then labels.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct PictureStrip {
    pub rects: Vec<PictureRect>,
    pub labels: Vec<PictureLabel>,
}

/// Everything the map shows, back to front: background, world outline, halos, edges, nodes,
/// note marks, labels, callouts, legend, then the caption and the strip.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Picture {
    pub width: f32,
    pub height: f32,
    pub background: Rgba,
    /// Country outlines (closed rings) in screen points, for the geographic layout.
    pub outline: Vec<Vec<ScreenPoint>>,
    /// The land as triangles: index triples into `outline`'s points taken ring after ring,
    /// for painters that fill only convex shapes. SVG fills the rings themselves.
    pub outline_triangles: &'static [[u32; 3]],
    pub outline_fill: Rgba,
    pub outline_stroke: Rgba,
    pub halos: Vec<PictureHalo>,
    pub edges: Vec<PictureEdge>,
    /// The nodes each of `edges` joins (in the same order), for picking an edge.
    pub edge_ends: Vec<[ActorId; 2]>,
    pub nodes: Vec<PictureNode>,
    pub labels: Vec<PictureLabel>,
    /// Marks by noted nodes and on noted ties, drawn over the nodes.
    pub note_marks: Vec<NoteMark>,
    /// Notes' texts in boxes, drawn over the labels (when the style shows them).
    pub callouts: Vec<Callout>,
    pub legend: Option<Legend>,
    /// A line of text centred near the top edge (e.g. the time window), exported images only.
    pub caption: Option<PictureLabel>,
    /// Shown in the middle when nothing is drawn ("No events in the chosen time window").
    pub empty_message: Option<PictureLabel>,
    /// A band over the picture (a film frame's dates and timeline); exported films only.
    pub strip: Option<PictureStrip>,
    /// Ties in the picture before the level of detail kept the strongest (`edges` are those
    /// drawn): the GUI says when some were left out.
    pub edges_in_view: usize,
}

/// Most edges drawn in one picture: past it only the strongest (and the focused actor's)
/// are drawn. Beyond that the picture is a solid mass anyway and each line costs frame time.
pub const MAX_DRAWN_EDGES: usize = 30_000;
/// Up to this many selected actors always show their labels, overlapping or not.
const MAX_FORCED_LABELS: usize = 30;
/// Most labels considered per picture, most important first.
const MAX_LABELS: usize = 400;
/// Node outlines cost a second tessellated path per node: only drawn up to this many nodes.
const MAX_OUTLINED_NODES: usize = 300;
/// Arrow heads only up to this many edges on screen; past it they are noise.
const MAX_ARROW_EDGES: usize = 4_000;

/// The camera: which world point is at the centre, and how many points one world unit is.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Camera {
    pub centre: Point,
    pub zoom: f32,
}

impl Default for Camera {
    fn default() -> Self {
        Self {
            centre: [0.0, 0.0],
            zoom: 1.0,
        }
    }
}

impl Camera {
    pub fn to_screen(&self, size: [f32; 2], p: Point) -> ScreenPoint {
        [
            size[0] / 2.0 + (p[0] - self.centre[0]) * self.zoom,
            size[1] / 2.0 + (p[1] - self.centre[1]) * self.zoom,
        ]
    }

    pub fn to_world(&self, size: [f32; 2], s: ScreenPoint) -> Point {
        [
            self.centre[0] + (s[0] - size[0] / 2.0) / self.zoom,
            self.centre[1] + (s[1] - size[1] / 2.0) / self.zoom,
        ]
    }

    /// The camera that fits `points` into a picture of `size`, with room for labels.
    pub fn fit(size: [f32; 2], points: impl IntoIterator<Item = Point>) -> Option<Self> {
        let (lo, hi) = layout::bounds(points)?;
        let margin = [
            (size[0] * 0.12).clamp(20.0, 150.0),
            (size[1] * 0.08).clamp(16.0, 60.0),
        ];
        let room = [
            (size[0] - 2.0 * margin[0]).max(50.0),
            (size[1] - 2.0 * margin[1]).max(50.0),
        ];
        let span = [(hi[0] - lo[0]).max(1.0), (hi[1] - lo[1]).max(1.0)];
        Some(Self {
            centre: [(lo[0] + hi[0]) / 2.0, (lo[1] + hi[1]) / 2.0],
            zoom: (room[0] / span[0]).min(room[1] / span[1]).clamp(0.005, 4.0),
        })
    }

    /// Zooms by `factor` keeping the world point under `anchor` in place.
    pub fn zoom_at(&mut self, size: [f32; 2], anchor: ScreenPoint, factor: f32) {
        let before = self.to_world(size, anchor);
        self.zoom = (self.zoom * factor).clamp(0.002, 40.0);
        let after = self.to_world(size, anchor);
        self.centre[0] += before[0] - after[0];
        self.centre[1] += before[1] - after[1];
    }
}

/// What the user chose to see: filters on actors and edges, colouring, labels.
/// (Event filters by class and type live in [`crate::model::EventFilter`], applied while
/// counting.)
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(default)]
pub struct MapStyle {
    /// Follows the window's theme, a user setting: never read from or written to a
    /// workspace (a workspace may only suggest a theme for presenting).
    #[serde(skip)]
    pub theme: Theme,
    pub edge_colouring: EdgeColouring,
    /// Edges with fewer events in the window are hidden.
    pub min_edge_events: u32,
    /// Per [`ActorKind`] (in `ActorKind::ALL` order): shown or not.
    pub kinds: [bool; 5],
    /// Hide actors with no visible edge.
    pub hide_isolated: bool,
    /// On the world map, hide the actors that have no place on it (the row below the map).
    pub hide_unlocated: bool,
    /// Draw a country's ISO code inside its node.
    pub iso_codes: bool,
    /// Multiplies label and node sizes (presentation mode uses more).
    pub label_scale: f32,
    pub legend: bool,
    /// Show notes as callouts (boxed text with a leader line); without, only their markers.
    pub note_callouts: bool,
    /// What a node's size follows.
    pub node_size: Measure,
    /// What a node's colour follows.
    pub node_colour: NodeColouring,
    /// Significant ties only: the disparity filter's α (Serrano, Boguñá & Vespignani 2009);
    /// `None` draws every tie.
    pub backbone_alpha: Option<f32>,
}

impl MapStyle {
    /// Whether drawing needs the window's metrics (a size, a colour or the backbone that
    /// follows them).
    pub fn needs_metrics(&self) -> bool {
        self.node_size.needs_metrics()
            || self.node_colour != NodeColouring::Kind
            || self.backbone_alpha.is_some()
    }
}

/// What a node's colour says.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum NodeColouring {
    /// Its kind (country, organisation, …).
    #[default]
    Kind,
    /// Its community in the window (Louvain; ids stable as the window moves).
    Community,
    /// A measure, from light (low) to dark (high).
    Measure(Measure),
}

impl Default for MapStyle {
    fn default() -> Self {
        Self {
            theme: Theme::Light,
            edge_colouring: EdgeColouring::Class,
            min_edge_events: 1,
            kinds: [true; 5],
            hide_isolated: false,
            hide_unlocated: false,
            iso_codes: true,
            label_scale: 1.0,
            legend: true,
            note_callouts: true,
            node_size: Measure::Events,
            node_colour: NodeColouring::Kind,
            backbone_alpha: None,
        }
    }
}

/// Per pair, its most common event type in the window, and the types that get colours.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct PairTypes {
    /// Type id per pair (`u32::MAX` when the pair has no event in the window).
    pub dominant: Vec<u32>,
    /// The most common types of the window, most common first: `TYPE_COLOURS[i]` is `top[i]`'s.
    pub top: Vec<u32>,
}

impl PairTypes {
    /// Counts the window's events by pair and type. Costs a pass over the window's events
    /// and a sort, so callers keep it until the window or filter changes.
    pub fn of(dataset: &Dataset, counts: &WindowCounts) -> Self {
        let w = counts.window;
        let upto = dataset.start.partition_point(|&s| s <= w.to);
        // (pair, type, events): an aggregate row weighs as the events it stands for.
        let mut keyed: Vec<(u32, u32, u32)> = Vec::new();
        let mut type_totals = vec![0u32; dataset.types.len().max(1)];
        for e in 0..upto as EventId {
            if dataset.end[e as usize] < w.from || !counts.filter.accepts(dataset, e) {
                continue;
            }
            let t = dataset.type_of[e as usize];
            let n = dataset.multiplicity(e);
            if let Some(total) = type_totals.get_mut(t as usize) {
                *total += n;
            }
            for &p in dataset.pairs_of(e) {
                keyed.push((p, t, n));
            }
        }
        keyed.sort_unstable();
        let mut dominant = vec![u32::MAX; dataset.pairs.len()];
        let mut best = 0u32;
        let mut i = 0;
        while i < keyed.len() {
            let (pair, t, _) = keyed[i];
            let mut j = i;
            let mut run = 0u32;
            while j < keyed.len() && (keyed[j].0, keyed[j].1) == (pair, t) {
                run = run.saturating_add(keyed[j].2);
                j += 1;
            }
            if i == 0 || keyed[i - 1].0 != pair {
                best = 0;
            }
            if run > best {
                best = run;
                dominant[pair as usize] = t;
            }
            i = j;
        }
        let mut top: Vec<u32> = (0..type_totals.len() as u32)
            .filter(|&t| type_totals[t as usize] > 0)
            .collect();
        top.sort_by_key(|&t| std::cmp::Reverse(type_totals[t as usize]));
        top.truncate(style::TYPE_COLOURS.len());
        Self { dominant, top }
    }

    fn colour(&self, pair: usize) -> Rgba {
        let t = self.dominant.get(pair).copied().unwrap_or(u32::MAX);
        self.top
            .iter()
            .position(|&x| x == t)
            .map(|i| style::TYPE_COLOURS[i])
            .unwrap_or(style::OTHER_TYPE_COLOUR)
    }
}

/// Country rings in world units, and the land's triangles (indices into the rings' points).
pub type WorldOutline<'a> = (&'a [Vec<Point>], &'static [[u32; 3]]);

/// Everything a picture of the map depends on.
pub struct MapInput<'a> {
    pub dataset: &'a Dataset,
    pub counts: &'a WindowCounts,
    /// World position per actor.
    pub positions: &'a [Point],
    pub camera: Camera,
    /// Picture size in points.
    pub size: [f32; 2],
    pub style: &'a MapStyle,
    /// Selected actors (any order).
    pub selected: &'a [ActorId],
    pub hovered: Option<ActorId>,
    /// Per actor: fixed in place by the user. Empty = none.
    pub pinned: &'a [bool],
    /// Per actor: a country whose members are drawn as the country itself. Empty = none.
    pub collapsed: &'a [bool],
    /// Show only this actor and those within this many hops of it.
    pub focus: Option<(ActorId, u32)>,
    /// The format says who acted on whom (GDELT, ICEWS): draw arrows.
    pub directed: bool,
    /// Draw the discs behind countries and their members (grouped layout).
    pub group_halos: bool,
    /// World outline rings in world units and their triangles (geographic layout).
    pub outline: Option<WorldOutline<'a>>,
    /// Needed when `style.edge_colouring` is by type.
    pub pair_types: Option<&'a PairTypes>,
    /// The tie the user selected (either order): drawn in the selection colour, on top.
    pub selected_edge: Option<(ActorId, ActorId)>,
    /// Per actor, how far it has faded in (0 to 1) after entering the window during
    /// playback, or how much is left of it while it fades out (films); its node, ties and
    /// label are drawn that strong. Empty = all fully shown (exports).
    pub appear: &'a [f32],
    /// Per actor: has a place on the world map (its country is known). Empty = all.
    pub located: &'a [bool],
    /// Most ties drawn (the strongest): the GUI lowers it when frames get slow.
    /// `usize::MAX` leaves it to [`MAX_DRAWN_EDGES`].
    pub max_edges: usize,
    /// The window's metrics, when the style sizes or colours nodes by them or draws the
    /// backbone. Without them nodes follow their event counts and kinds.
    pub metrics: Option<&'a WindowMetrics>,
    /// The analyst's notes: markers by noted nodes and ties, and callouts when the style
    /// shows them.
    pub notes: Option<&'a Notes>,
}

/// The node an actor is drawn as: itself, or its country when that is collapsed.
fn representative(dataset: &Dataset, collapsed: &[bool], actor: ActorId) -> ActorId {
    if collapsed.is_empty() {
        return actor;
    }
    let root = layout::group_root(dataset, actor);
    if collapsed.get(root as usize).copied().unwrap_or(false) {
        root
    } else {
        actor
    }
}

struct VisibleEdge {
    a: ActorId,
    b: ActorId,
    events: u32,
    classes: [u32; 5],
    /// Events initiated by `a`, by `b`.
    initiated: [u32; 2],
    pair: usize,
}

/// Builds the picture. `measure(text, font_size, bold)` gives a text's width in points; the
/// GUI passes egui's, export the bundled font's, and both use the same font.
pub fn build(input: &MapInput, measure: &dyn Fn(&str, f32, bool) -> f32) -> Picture {
    let ds = input.dataset;
    let counts = input.counts;
    let style = input.style;
    let palette = style.theme.palette();
    let n = ds.actors.len();
    let size = input.size;
    let mut scene = Picture {
        width: size[0],
        height: size[1],
        background: palette.background,
        outline_fill: palette.outline_fill,
        outline_stroke: palette.outline_stroke,
        ..Picture::default()
    };

    // Which node stands for each actor, and its event count.
    // With nothing collapsed every actor stands for itself (no affiliation walk per frame).
    let collapsed: &[bool] = if input.collapsed.iter().any(|&c| c) {
        input.collapsed
    } else {
        &[]
    };
    let rep: Vec<ActorId> = (0..n as ActorId)
        .map(|a| representative(ds, collapsed, a))
        .collect();
    let mut node_events = vec![0u32; n];
    for a in 0..n {
        node_events[rep[a] as usize] += counts.actor_events[a];
    }
    let kind_shown = |a: ActorId| {
        let kind = ds.actors.get(a).kind;
        let i = ActorKind::ALL.iter().position(|k| *k == kind).unwrap_or(0);
        style.kinds[i]
    };
    let hide_unlocated = style.hide_unlocated && input.outline.is_some();
    let placed = |a: ActorId| !hide_unlocated || input.located.get(a as usize).is_none_or(|&l| l);
    let mut visible: Vec<bool> = (0..n as ActorId)
        .map(|a| rep[a as usize] == a && node_events[a as usize] > 0 && kind_shown(a) && placed(a))
        .collect();

    // Edges between visible nodes with enough events, merged where actors are collapsed.
    let mut edges: Vec<VisibleEdge> = Vec::new();
    // Significant ties only: the others are not drawn (nor merged into a country's).
    let backbone = style.backbone_alpha.zip(input.metrics);
    let significant =
        |pair: usize| backbone.is_none_or(|(alpha, m)| m.in_backbone(pair as PairId, alpha as f64));
    if !collapsed.is_empty() {
        let mut merged: FxHashMap<(ActorId, ActorId), usize> = FxHashMap::default();
        for (pair, &(a, b)) in ds.pairs.iter().enumerate() {
            let events = counts.pair_events[pair];
            if events == 0 || !significant(pair) {
                continue;
            }
            let (ra, rb) = (rep[a as usize], rep[b as usize]);
            if ra == rb {
                continue;
            }
            let (key, flip) = if ra < rb {
                ((ra, rb), false)
            } else {
                ((rb, ra), true)
            };
            let init = counts.pair_initiated[pair];
            let init = if flip { [init[1], init[0]] } else { init };
            let slot = *merged.entry(key).or_insert_with(|| {
                edges.push(VisibleEdge {
                    a: key.0,
                    b: key.1,
                    events: 0,
                    classes: [0; 5],
                    initiated: [0; 2],
                    pair,
                });
                edges.len() - 1
            });
            let e = &mut edges[slot];
            e.events += events;
            for (c, x) in e.classes.iter_mut().zip(counts.pair_classes[pair]) {
                *c += x;
            }
            e.initiated[0] += init[0];
            e.initiated[1] += init[1];
        }
    } else {
        for (pair, &(a, b)) in ds.pairs.iter().enumerate() {
            let events = counts.pair_events[pair];
            if events > 0 && significant(pair) {
                edges.push(VisibleEdge {
                    a,
                    b,
                    events,
                    classes: counts.pair_classes[pair],
                    initiated: counts.pair_initiated[pair],
                    pair,
                });
            }
        }
    }
    edges.retain(|e| {
        e.events >= style.min_edge_events && visible[e.a as usize] && visible[e.b as usize]
    });

    // Focus on a neighbourhood: breadth-first over the visible edges.
    if let Some((centre, hops)) = input.focus {
        let centre = rep[centre as usize];
        let mut adjacency: Vec<Vec<ActorId>> = vec![Vec::new(); n];
        for e in &edges {
            adjacency[e.a as usize].push(e.b);
            adjacency[e.b as usize].push(e.a);
        }
        let mut depth = vec![u32::MAX; n];
        depth[centre as usize] = 0;
        let mut queue = std::collections::VecDeque::from([centre]);
        while let Some(a) = queue.pop_front() {
            let d = depth[a as usize];
            if d >= hops {
                continue;
            }
            for &b in &adjacency[a as usize] {
                if depth[b as usize] == u32::MAX {
                    depth[b as usize] = d + 1;
                    queue.push_back(b);
                }
            }
        }
        for (a, v) in visible.iter_mut().enumerate() {
            *v &= depth[a] != u32::MAX;
        }
        edges.retain(|e| visible[e.a as usize] && visible[e.b as usize]);
    }
    if style.hide_isolated {
        let mut linked = vec![false; n];
        for e in &edges {
            linked[e.a as usize] = true;
            linked[e.b as usize] = true;
        }
        for (a, v) in visible.iter_mut().enumerate() {
            *v &= linked[a];
        }
    }

    let mut selected = vec![false; n];
    for &a in input.selected {
        if let Some(s) = selected.get_mut(rep[a as usize] as usize) {
            *s = true;
        }
    }
    let single_selection = match input.selected {
        [only] => Some(rep[*only as usize]),
        _ => None,
    };
    let focus = input.hovered.map(|h| rep[h as usize]).or(single_selection);

    // Screen positions; nodes outside the picture (with a margin for their size) are culled.
    let screen: Vec<ScreenPoint> = input
        .positions
        .iter()
        .map(|&p| input.camera.to_screen(size, p))
        .collect();
    let on_screen = |p: ScreenPoint, margin: f32| {
        p[0] >= -margin && p[1] >= -margin && p[0] <= size[0] + margin && p[1] <= size[1] + margin
    };
    let shown: Vec<ActorId> = (0..n as ActorId)
        .filter(|&a| visible[a as usize] && on_screen(screen[a as usize], 40.0))
        .collect();

    // Crowded pictures shrink their nodes so that they do not cover each other.
    let spacing = (size[0] * size[1] / shown.len().max(1) as f32).sqrt();
    let node_scale = (spacing / 70.0).clamp(0.3, 1.0) * style.label_scale.max(0.5);
    let by_measure = input.metrics.filter(|_| style.node_size.needs_metrics());
    let radius_of = |a: ActorId| {
        let kind = ds.actors.get(a).kind;
        let radius = match by_measure {
            // The same range as by events: the window's top actor as big as the busiest.
            Some(m) => {
                let share = m.share(a, style.node_size).unwrap_or(0.0);
                style::base_radius(kind) + (30.0 - style::base_radius(kind)) * share.sqrt()
            }
            None => style::node_radius(kind, node_events[a as usize]),
        };
        radius * node_scale
    };

    if let Some((outline, triangles)) = input.outline {
        scene.outline_triangles = triangles;
        scene.outline = outline
            .iter()
            .map(|ring| {
                ring.iter()
                    .map(|&p| input.camera.to_screen(size, p))
                    .collect()
            })
            .collect();
    }

    if input.group_halos {
        let mut reach = vec![0.0f32; n];
        let mut has_members = vec![false; n];
        for &a in &shown {
            let root = layout::group_root(ds, a);
            if root == a || !visible[root as usize] {
                continue;
            }
            let (p, c) = (screen[a as usize], screen[root as usize]);
            let d = ((p[0] - c[0]).powi(2) + (p[1] - c[1]).powi(2)).sqrt();
            reach[root as usize] = reach[root as usize].max(d);
            has_members[root as usize] = true;
        }
        for root in 0..n {
            if has_members[root] {
                scene.halos.push(PictureHalo {
                    centre: screen[root],
                    radius: reach[root] + 26.0 * node_scale,
                    fill: palette.group_halo,
                    stroke: palette.group_halo_stroke,
                });
            }
        }
    }

    // Edges: culled to the picture, the strongest first past MAX_DRAWN_EDGES, dimmed
    // when another actor has the focus.
    let touches_focus = |e: &VisibleEdge| focus.is_none_or(|f| e.a == f || e.b == f);
    let selected_edge = input
        .selected_edge
        .map(|(x, y)| (rep[x as usize], rep[y as usize]));
    let is_selected_edge = |e: &VisibleEdge| {
        selected_edge.is_some_and(|(x, y)| (e.a, e.b) == (x, y) || (e.a, e.b) == (y, x))
    };
    let appear = |a: ActorId| input.appear.get(a as usize).copied().unwrap_or(1.0);
    let mut drawn: Vec<(u32, usize)> = Vec::with_capacity(edges.len());
    for (i, e) in edges.iter().enumerate() {
        let (pa, pb) = (screen[e.a as usize], screen[e.b as usize]);
        let (lo_x, hi_x) = (pa[0].min(pb[0]), pa[0].max(pb[0]));
        let (lo_y, hi_y) = (pa[1].min(pb[1]), pa[1].max(pb[1]));
        if hi_x < 0.0 || hi_y < 0.0 || lo_x > size[0] || lo_y > size[1] {
            continue;
        }
        // Shorter than a point: invisible under its nodes.
        if (hi_x - lo_x) + (hi_y - lo_y) < 1.0 {
            continue;
        }
        let boost = if is_selected_edge(e) {
            u32::MAX
        } else if focus.is_some() && touches_focus(e) {
            u32::MAX / 2
        } else {
            0
        };
        drawn.push((e.events.saturating_add(boost), i));
    }
    // Level of detail: zoomed out over a crowd (nodes under 25 points apart) the weakest
    // edges add only grey haze, so half as many are drawn.
    let budget = if spacing < 25.0 {
        MAX_DRAWN_EDGES / 2
    } else {
        MAX_DRAWN_EDGES
    }
    .min(input.max_edges);
    scene.edges_in_view = drawn.len();
    if drawn.len() > budget {
        drawn.select_nth_unstable_by(budget, |x, y| y.0.cmp(&x.0));
        drawn.truncate(budget);
    }
    // Weakest first, so that strong edges are painted over weak ones.
    drawn.sort_unstable_by_key(|&(key, _)| key);
    let arrows = input.directed && drawn.len() <= MAX_ARROW_EDGES;
    let width_scale = node_scale.max(0.4);
    let fade_edges = if palette.dark { 0.3 } else { 0.22 };
    scene.edges.reserve(drawn.len());
    for &(_, i) in &drawn {
        let e = &edges[i];
        let mut colour = match style.edge_colouring {
            EdgeColouring::Class => style::class_colour(style::dominant_class(&e.classes)),
            EdgeColouring::Type => input
                .pair_types
                .map(|t| t.colour(e.pair))
                .unwrap_or(style::OTHER_TYPE_COLOUR),
        };
        colour = style::fade(colour, if touches_focus(e) { 0.85 } else { fade_edges });
        let mut width = style::edge_width(e.events) * width_scale;
        if is_selected_edge(e) {
            colour = palette.selection;
            width += 2.5;
        }
        colour = style::fade(colour, appear(e.a).min(appear(e.b)));
        scene.edge_ends.push([e.a, e.b]);
        scene.edges.push(PictureEdge {
            from: screen[e.a as usize],
            to: screen[e.b as usize],
            width,
            colour,
            arrow_to: arrows && e.initiated[0] > 0,
            arrow_from: arrows && e.initiated[1] > 0,
            from_radius: radius_of(e.a),
            to_radius: radius_of(e.b),
        });
    }

    // Actors that share a visible edge with the focused one stay bright.
    let mut linked_to_focus = vec![false; n];
    if let Some(f) = focus {
        linked_to_focus[f as usize] = true;
        for e in &edges {
            if e.a == f || e.b == f {
                linked_to_focus[(e.a ^ e.b ^ f) as usize] = true;
            }
        }
    }

    let outline_width = if shown.len() <= MAX_OUTLINED_NODES {
        1.5
    } else {
        0.0
    };
    // Small nodes first, so that the big ones (and their labels' anchors) stay on top.
    let mut order = shown.clone();
    order.sort_by_key(|&a| (selected[a as usize], node_events[a as usize]));
    scene.nodes.reserve(order.len());
    for &a in &order {
        let actor = ds.actors.get(a);
        let radius = radius_of(a);
        let mut fill = node_fill(input, a, actor.kind);
        if focus.is_some() && !linked_to_focus[a as usize] {
            fill = style::mix(fill, palette.background, 0.6);
        }
        let shown_share = appear(a);
        if shown_share < 1.0 {
            fill = style::fade(fill, shown_share);
        }
        let badge = if style.iso_codes && actor.kind == ActorKind::Country && radius >= 9.0 {
            actor.iso3.clone()
        } else {
            None
        };
        scene.nodes.push(PictureNode {
            actor: a,
            centre: screen[a as usize],
            radius,
            shape: style::kind_shape(actor.kind),
            fill,
            stroke: style::fade(palette.node_outline, shown_share),
            stroke_width: outline_width,
            badge,
            badge_colour: palette.badge_text,
            ring: selected[a as usize].then_some(palette.selection),
            pinned: input.pinned.get(a as usize).copied().unwrap_or(false),
        });
    }

    place_labels(
        &mut scene,
        input,
        &palette,
        &shown,
        &node_events,
        &selected,
        focus,
        &radius_of,
        measure,
    );
    super::callouts::place_notes(&mut scene, input, &palette, &rep, measure);

    if style.legend {
        scene.legend = legend(input, &palette, &scene, measure);
    }
    if shown.is_empty() {
        // Say why truthfully: actors that pass the filters may just be out of view (a
        // layout still settling, a camera panned away).
        let text = if counts.events == 0 {
            "No events in the chosen time window"
        } else if visible.iter().any(|&v| v) {
            "Nothing in view here: press F to fit the map"
        } else {
            "Nothing to show: the filters hide every actor"
        };
        let font_size = 16.0;
        let width = measure(text, font_size, false);
        let height = font_size * 1.25;
        scene.empty_message = Some(PictureLabel {
            text: text.to_string(),
            min: [(size[0] - width) / 2.0, (size[1] - height) / 2.0],
            size: [width, height],
            font_size,
            colour: palette.weak_text,
            halo: [0; 4],
            bold: false,
        });
    }
    scene
}

/// Labels: the most important first (hovered, selected, countries, most events); a label
/// that would overlap one already placed is left out unless it is hovered or selected.
#[allow(clippy::too_many_arguments)]
fn place_labels(
    scene: &mut Picture,
    input: &MapInput,
    palette: &Palette,
    shown: &[ActorId],
    node_events: &[u32],
    selected: &[bool],
    focus: Option<ActorId>,
    radius_of: &dyn Fn(ActorId) -> f32,
    measure: &dyn Fn(&str, f32, bool) -> f32,
) {
    let ds = input.dataset;
    // A handful of selected actors always get their label; hundreds (a timeline bin's
    // actors) would bury the map, so then they compete like the others.
    let force_selected = input.selected.len() <= MAX_FORCED_LABELS;
    // Sized by a metric: the top actors by it are labelled first. Else countries first,
    // then the busiest.
    let by_measure = input
        .metrics
        .filter(|_| input.style.node_size.needs_metrics());
    let priority = |a: ActorId| {
        let forced = Some(a) == focus || (force_selected && selected[a as usize]);
        match by_measure {
            Some(m) => {
                let share = m.share(a, input.style.node_size).unwrap_or(0.0);
                (forced, false, (share * 1e6) as u32)
            }
            None => {
                let country = ds.actors.get(a).kind == ActorKind::Country;
                (forced, country, node_events[a as usize])
            }
        }
    };
    let mut order: Vec<ActorId> = shown.to_vec();
    if order.len() > MAX_LABELS {
        order.select_nth_unstable_by(MAX_LABELS, |&x, &y| priority(y).cmp(&priority(x)));
        order.truncate(MAX_LABELS);
    }
    order.sort_by(|&x, &y| priority(y).cmp(&priority(x)).then(x.cmp(&y)));
    let screen = |a: ActorId| {
        input
            .camera
            .to_screen(input.size, input.positions[a as usize])
    };
    let mut placed: Vec<[f32; 4]> = Vec::new();
    let overlaps =
        |r: &[f32; 4], s: &[f32; 4]| r[0] < s[2] && s[0] < r[2] && r[1] < s[3] && s[1] < r[3];
    let nodes = NodeGrid::new(&scene.nodes);
    for a in order {
        let actor = ds.actors.get(a);
        let forced = Some(a) == focus || (force_selected && selected[a as usize]);
        let centre = screen(a);
        let radius = radius_of(a);
        let country = actor.kind == ActorKind::Country;
        let font_size = if country { 15.0 } else { 13.0 } * input.style.label_scale;
        let width = measure(&actor.name, font_size, country);
        let height = font_size * 1.25;
        // Members of a group put their label on the side away from the group's centre.
        let root = layout::group_root(ds, a);
        let dir = if root == a || !input.group_halos {
            [0.0, 1.0]
        } else {
            let from = screen(root);
            let (dx, dy) = (centre[0] - from[0], centre[1] - from[1]);
            let len = (dx * dx + dy * dy).sqrt().max(1e-3);
            [dx / len, dy / len]
        };
        // The preferred side first, then the others: a label goes where it covers neither
        // another label nor another node (never on the node mass of a crowded picture).
        let sides = [dir, [1.0, 0.0], [0.0, -1.0], [-1.0, 0.0], [0.0, 1.0]];
        let candidate = |dir: [f32; 2]| {
            let anchor = [
                centre[0] + dir[0] * (radius + 4.0),
                centre[1] + dir[1] * (radius + 3.0),
            ];
            let min = if dir[0] > 0.35 {
                [anchor[0], anchor[1] - height / 2.0]
            } else if dir[0] < -0.35 {
                [anchor[0] - width, anchor[1] - height / 2.0]
            } else if dir[1] > 0.0 {
                [anchor[0] - width / 2.0, anchor[1]]
            } else {
                [anchor[0] - width / 2.0, anchor[1] - height]
            };
            let rect = [
                min[0] - 2.0,
                min[1] - 2.0,
                min[0] + width + 2.0,
                min[1] + height + 2.0,
            ];
            (min, rect)
        };
        let free = |rect: &[f32; 4]| {
            !placed.iter().any(|r| overlaps(r, rect)) && !nodes.covers_other(rect, a)
        };
        let (min, rect) = match sides.iter().map(|&d| candidate(d)).find(|(_, r)| free(r)) {
            Some(found) => found,
            None if forced => candidate(dir),
            None => continue,
        };
        placed.push(rect);
        // A label fades with its node (an actor entering or leaving during playback).
        let shown_share = input.appear.get(a as usize).copied().unwrap_or(1.0);
        scene.labels.push(PictureLabel {
            text: actor.name.clone(),
            min,
            size: [width, height],
            font_size,
            colour: style::fade(palette.strong_text, shown_share),
            halo: style::fade(palette.label_halo, shown_share),
            bold: country,
        });
    }
}

/// The drawn nodes bucketed by screen cell, to ask fast whether a label would cover one.
pub(super) struct NodeGrid<'a> {
    nodes: &'a [PictureNode],
    cells: FxHashMap<(i32, i32), Vec<u32>>,
}

/// Cell size of [`NodeGrid`] in points.
const NODE_GRID_CELL: f32 = 48.0;

impl<'a> NodeGrid<'a> {
    pub(super) fn new(nodes: &'a [PictureNode]) -> Self {
        let mut cells: FxHashMap<(i32, i32), Vec<u32>> = FxHashMap::default();
        for (i, n) in nodes.iter().enumerate() {
            let [x0, y0, x1, y1] = Self::cell_range(&[
                n.centre[0] - n.radius,
                n.centre[1] - n.radius,
                n.centre[0] + n.radius,
                n.centre[1] + n.radius,
            ]);
            for cx in x0..=x1 {
                for cy in y0..=y1 {
                    cells.entry((cx, cy)).or_default().push(i as u32);
                }
            }
        }
        Self { nodes, cells }
    }

    fn cell_range(rect: &[f32; 4]) -> [i32; 4] {
        let c = |v: f32| (v / NODE_GRID_CELL).floor() as i32;
        [c(rect[0]), c(rect[1]), c(rect[2]), c(rect[3])]
    }

    /// How many nodes `rect` covers (any part of their disc).
    pub(super) fn count_covered(&self, rect: &[f32; 4]) -> usize {
        let [x0, y0, x1, y1] = Self::cell_range(rect);
        let mut seen = rustc_hash::FxHashSet::default();
        for cx in x0..=x1 {
            for cy in y0..=y1 {
                for &i in self.cells.get(&(cx, cy)).into_iter().flatten() {
                    let n = &self.nodes[i as usize];
                    let px = n.centre[0].clamp(rect[0], rect[2]);
                    let py = n.centre[1].clamp(rect[1], rect[3]);
                    let (dx, dy) = (px - n.centre[0], py - n.centre[1]);
                    if dx * dx + dy * dy < n.radius * n.radius {
                        seen.insert(i);
                    }
                }
            }
        }
        seen.len()
    }

    /// Whether `rect` covers the disc of a node other than `own`'s.
    fn covers_other(&self, rect: &[f32; 4], own: ActorId) -> bool {
        let [x0, y0, x1, y1] = Self::cell_range(rect);
        for cx in x0..=x1 {
            for cy in y0..=y1 {
                let Some(list) = self.cells.get(&(cx, cy)) else {
                    continue;
                };
                for &i in list {
                    let n = &self.nodes[i as usize];
                    if n.actor == own {
                        continue;
                    }
                    // The nearest point of the rectangle to the centre, within the radius.
                    let px = n.centre[0].clamp(rect[0], rect[2]);
                    let py = n.centre[1].clamp(rect[1], rect[3]);
                    let (dx, dy) = (px - n.centre[0], py - n.centre[1]);
                    if dx * dx + dy * dy < n.radius * n.radius * 0.8 {
                        return true;
                    }
                }
            }
        }
        false
    }
}

/// A node's colour: by kind, by community, or by a measure (light to dark). Actors the
/// metrics do not know (no tie in the window) are grey when colours follow the metrics.
fn node_fill(input: &MapInput, actor: ActorId, kind: ActorKind) -> style::Rgba {
    match (input.style.node_colour, input.metrics) {
        (NodeColouring::Community, Some(m)) => m
            .community_of(actor)
            .map_or(style::NO_METRIC_COLOUR, style::community_colour),
        (NodeColouring::Measure(measure), Some(m)) => m
            .share(actor, measure)
            .map_or(style::NO_METRIC_COLOUR, style::ramp_colour),
        _ => style::kind_colour(kind),
    }
}

/// The legend's node entries: kinds, else communities (the largest on the picture), else
/// the measure's low and high ends; and what the size says when it is not events.
fn node_legend(input: &MapInput, scene: &Picture, entries: &mut Vec<LegendEntry>) {
    let ds = input.dataset;
    let style = input.style;
    let grey = || LegendMark::Node(style::NodeShape::Circle, style::NO_METRIC_COLOUR);
    match (style.node_colour, input.metrics) {
        (NodeColouring::Community, Some(m)) => {
            let on_picture: rustc_hash::FxHashSet<u32> = scene
                .nodes
                .iter()
                .filter_map(|n| m.community_of(n.actor))
                .collect();
            let shown: Vec<(u32, usize)> = m
                .community_sizes()
                .into_iter()
                .filter(|(c, _)| on_picture.contains(c))
                .collect();
            for &(c, members) in shown.iter().take(MAX_LEGEND_COMMUNITIES) {
                entries.push(LegendEntry {
                    mark: LegendMark::Node(style::NodeShape::Circle, style::community_colour(c)),
                    label: format!("Community {} ({members})", c + 1),
                });
            }
            if shown.len() > MAX_LEGEND_COMMUNITIES {
                entries.push(LegendEntry {
                    mark: grey(),
                    label: format!("{} more communities", shown.len() - MAX_LEGEND_COMMUNITIES),
                });
            }
        }
        (NodeColouring::Measure(measure), Some(_)) => {
            for (share, end) in [(0.0, "low"), (1.0, "high")] {
                entries.push(LegendEntry {
                    mark: LegendMark::Node(style::NodeShape::Circle, style::ramp_colour(share)),
                    label: format!("{}: {end}", measure.label()),
                });
            }
        }
        _ => {
            for kind in ActorKind::ALL {
                if scene
                    .nodes
                    .iter()
                    .any(|n| ds.actors.get(n.actor).kind == kind)
                {
                    entries.push(LegendEntry {
                        mark: LegendMark::Node(style::kind_shape(kind), style::kind_colour(kind)),
                        label: kind.label().to_string(),
                    });
                }
            }
        }
    }
    if style.node_size.needs_metrics() && input.metrics.is_some() {
        entries.push(LegendEntry {
            mark: grey(),
            label: format!("Size: {}", style.node_size.label()),
        });
    }
    if let (Some(alpha), Some(_)) = (style.backbone_alpha, input.metrics) {
        entries.push(LegendEntry {
            mark: LegendMark::Line(style::NO_METRIC_COLOUR),
            label: format!("Significant ties only (α {alpha:.2})"),
        });
    }
}

/// Communities named in the legend; the rest are counted in one line.
const MAX_LEGEND_COMMUNITIES: usize = 8;

/// The key: node kinds on the picture, then the edge colours in use.
fn legend(
    input: &MapInput,
    palette: &Palette,
    scene: &Picture,
    measure: &dyn Fn(&str, f32, bool) -> f32,
) -> Option<Legend> {
    let ds = input.dataset;
    let mut entries = Vec::new();
    node_legend(input, scene, &mut entries);
    if !scene.edges.is_empty() {
        match input.style.edge_colouring {
            EdgeColouring::Class => {
                for class in EventClass::ALL {
                    let colour = style::class_colour(class);
                    if scene.edges.iter().any(|e| e.colour[..3] == colour[..3]) {
                        entries.push(LegendEntry {
                            mark: LegendMark::Line(colour),
                            label: class.label().to_string(),
                        });
                    }
                }
            }
            EdgeColouring::Type => {
                if let Some(types) = input.pair_types {
                    for (i, &t) in types.top.iter().enumerate() {
                        let name = ds.types.get(t as usize).map_or("", |s| s.as_str());
                        entries.push(LegendEntry {
                            mark: LegendMark::Line(style::TYPE_COLOURS[i]),
                            label: shorten(if name.is_empty() { "(no type)" } else { name }, 28),
                        });
                    }
                    entries.push(LegendEntry {
                        mark: LegendMark::Line(style::OTHER_TYPE_COLOUR),
                        label: "Other types".to_string(),
                    });
                }
            }
        }
    }
    if entries.is_empty() {
        return None;
    }
    let font_size = 12.5 * input.style.label_scale.clamp(1.0, 1.6);
    let row_height = font_size * 1.45;
    let text_width = entries
        .iter()
        .map(|e| measure(&e.label, font_size, false))
        .fold(0.0, f32::max);
    let size = [text_width + 44.0, entries.len() as f32 * row_height + 12.0];
    // The corner where it covers the fewest nodes (bottom left when it covers none there).
    let [w, h] = input.size;
    let corners = [
        [10.0, h - size[1] - 10.0],
        [w - size[0] - 10.0, h - size[1] - 10.0],
        [10.0, 10.0],
        [w - size[0] - 10.0, 10.0],
    ];
    let nodes = NodeGrid::new(&scene.nodes);
    // Nodes first, then labels and notes: the corner that hides the least of the picture.
    let covered = |min: &[f32; 2]| {
        let rect = [min[0], min[1], min[0] + size[0], min[1] + size[1]];
        let labels = scene
            .labels
            .iter()
            .filter(|l| {
                l.min[0] < rect[2]
                    && rect[0] < l.min[0] + l.size[0]
                    && l.min[1] < rect[3]
                    && rect[1] < l.min[1] + l.size[1]
            })
            .count();
        let callouts = scene
            .callouts
            .iter()
            .filter(|c| {
                c.min[0] < rect[2]
                    && rect[0] < c.min[0] + c.size[0]
                    && c.min[1] < rect[3]
                    && rect[1] < c.min[1] + c.size[1]
            })
            .count();
        (nodes.count_covered(&rect), callouts + labels)
    };
    let min = corners
        .iter()
        .min_by_key(|c| covered(c))
        .copied()
        .unwrap_or(corners[0]);
    Some(Legend {
        min,
        size,
        fill: palette.legend_fill,
        stroke: palette.legend_stroke,
        text_colour: palette.text,
        font_size,
        row_height,
        entries,
    })
}

/// `text` cut to `max` characters with an ellipsis.
pub fn shorten(text: &str, max: usize) -> String {
    match text.char_indices().nth(max) {
        None => text.to_string(),
        Some((cut, _)) => format!("{}…", &text[..cut]),
    }
}

/// The arrow head of an edge from `from` to `to` whose node at `to` has `radius`: three
/// corners, the tip (on the node's rim) first. None when the nodes overlap.
pub fn arrow_head(
    from: ScreenPoint,
    to: ScreenPoint,
    radius: f32,
    width: f32,
) -> Option<[ScreenPoint; 3]> {
    let (dx, dy) = (to[0] - from[0], to[1] - from[1]);
    let len = (dx * dx + dy * dy).sqrt();
    // The same head as the SVG writer draws (`svg::write_edge`).
    let size = (width * 3.0).max(6.0);
    if len <= radius + size {
        return None;
    }
    let (ux, uy) = (dx / len, dy / len);
    let tip = [to[0] - ux * radius, to[1] - uy * radius];
    let base = [tip[0] - ux * size, tip[1] - uy * size];
    let half = size * 0.45;
    Some([
        tip,
        [base[0] - uy * half, base[1] + ux * half],
        [base[0] + uy * half, base[1] - ux * half],
    ])
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::TimeWindow;

    fn sample() -> Dataset {
        crate::sample_dataset()
    }

    fn measure(text: &str, size: f32, _bold: bool) -> f32 {
        text.chars().count() as f32 * size * 0.55
    }

    struct Fixture {
        ds: Dataset,
        counts: WindowCounts,
        positions: Vec<Point>,
    }

    impl Fixture {
        fn new() -> Self {
            let ds = sample();
            let counts = WindowCounts::full(&ds, TimeWindow::all(&ds));
            let positions = layout::grouped(&ds);
            Self {
                ds,
                counts,
                positions,
            }
        }

        fn input<'a>(&'a self, style: &'a MapStyle) -> MapInput<'a> {
            let size = [900.0, 600.0];
            MapInput {
                dataset: &self.ds,
                counts: &self.counts,
                positions: &self.positions,
                camera: Camera::fit(size, self.positions.iter().copied()).unwrap(),
                size,
                style,
                selected: &[],
                hovered: None,
                pinned: &[],
                collapsed: &[],
                focus: None,
                directed: false,
                group_halos: true,
                outline: None,
                pair_types: None,
                selected_edge: None,
                appear: &[],
                located: &[],
                max_edges: usize::MAX,
                metrics: None,
                notes: None,
            }
        }

        fn id(&self, name: &str) -> ActorId {
            self.ds.actors.find(name).unwrap()
        }
    }

    #[test]
    fn notes_are_marked_and_called_out_in_the_exported_svg() {
        use crate::model::{NoteSubject, Notes};
        let f = Fixture::new();
        let (belarus, iran) = (f.id("Belarus"), f.id("Iran"));
        let mut notes = Notes::default();
        notes.set(
            NoteSubject::Actor(belarus),
            Some("Check the 2024 export figures & the <tender>".into()),
        );
        notes.set(
            NoteSubject::tie(iran, belarus),
            Some("Drone deliveries?".into()),
        );
        let style = MapStyle::default();
        let mut input = f.input(&style);
        input.notes = Some(&notes);
        let measure =
            |t: &str, size: f32, bold: bool| crate::export::font::text_width(t, size, bold);
        let picture = build(&input, &measure);
        assert_eq!(picture.note_marks.len(), 2);
        assert_eq!(picture.callouts.len(), 2);
        for c in &picture.callouts {
            let inside = c.min[0] >= 0.0
                && c.min[1] >= 0.0
                && c.min[0] + c.size[0] <= input.size[0]
                && c.min[1] + c.size[1] <= input.size[1];
            assert!(inside, "{c:?}");
        }
        let [a, b] = [&picture.callouts[0], &picture.callouts[1]];
        let apart = a.min[0] + a.size[0] <= b.min[0]
            || b.min[0] + b.size[0] <= a.min[0]
            || a.min[1] + a.size[1] <= b.min[1]
            || b.min[1] + b.size[1] <= a.min[1];
        assert!(apart, "callouts overlap: {a:?} {b:?}");
        let svg = crate::export::svg::to_svg(&picture);
        assert!(svg.contains(r#"<g id="callouts""#), "{svg}");
        assert!(svg.contains("Drone deliveries?"), "{svg}");
        assert!(
            svg.contains("&amp;") && svg.contains("&lt;tender&gt;"),
            "escaped: {svg}"
        );

        // Callouts off: the marks stay, the texts go.
        let quiet = MapStyle {
            note_callouts: false,
            ..MapStyle::default()
        };
        let mut input = f.input(&quiet);
        input.notes = Some(&notes);
        let picture = build(&input, &measure);
        assert_eq!((picture.note_marks.len(), picture.callouts.len()), (2, 0));
        assert!(!crate::export::svg::to_svg(&picture).contains("Drone"));
    }

    #[test]
    fn every_actor_is_drawn_and_no_two_labels_overlap() {
        let f = Fixture::new();
        let style = MapStyle::default();
        let scene = build(&f.input(&style), &measure);
        assert_eq!(scene.nodes.len(), f.ds.actors.len());
        assert_eq!(scene.edges.len(), f.ds.pairs.len());
        assert!(scene.labels.len() >= 12, "{} labels", scene.labels.len());
        for (i, a) in scene.labels.iter().enumerate() {
            for b in &scene.labels[i + 1..] {
                let apart = a.min[0] + a.size[0] <= b.min[0]
                    || b.min[0] + b.size[0] <= a.min[0]
                    || a.min[1] + a.size[1] <= b.min[1]
                    || b.min[1] + b.size[1] <= a.min[1];
                assert!(apart, "{:?} overlaps {:?}", a.text, b.text);
            }
        }
        let legend = scene.legend.unwrap();
        assert!(legend.entries.iter().any(|e| e.label == "person"));
        let covered = NodeGrid::new(&scene.nodes).count_covered(&[
            legend.min[0],
            legend.min[1],
            legend.min[0] + legend.size[0],
            legend.min[1] + legend.size[1],
        ]);
        assert_eq!(covered, 0, "the legend covers no node");
    }

    #[test]
    fn labels_cover_no_other_node_even_in_a_crowd() {
        let mut f = Fixture::new();
        // Everyone in a small heap: most labels find no free place and are left out.
        for (i, p) in f.positions.iter_mut().enumerate() {
            *p = [(i % 5) as f32 * 9.0, (i / 5) as f32 * 9.0];
        }
        let style = MapStyle::default();
        let scene = build(&f.input(&style), &measure);
        assert!(!scene.labels.is_empty());
        for label in &scene.labels {
            let owner = f.id(&label.text);
            for node in scene.nodes.iter().filter(|n| n.actor != owner) {
                let px = node.centre[0].clamp(label.min[0], label.min[0] + label.size[0]);
                let py = node.centre[1].clamp(label.min[1], label.min[1] + label.size[1]);
                let d = ((px - node.centre[0]).powi(2) + (py - node.centre[1]).powi(2)).sqrt();
                assert!(d >= node.radius * 0.85, "{:?} covers a node", label.text);
            }
        }
    }

    #[test]
    fn nodes_follow_the_metrics_and_the_legend_says_so() {
        let f = Fixture::new();
        let metrics = WindowMetrics::compute(&f.ds, &f.counts);
        let style = MapStyle {
            node_colour: NodeColouring::Community,
            node_size: Measure::PageRank,
            ..MapStyle::default()
        };
        let mut input = f.input(&style);
        input.metrics = Some(&metrics);
        let scene = build(&input, &measure);
        for node in &scene.nodes {
            let expected = metrics
                .community_of(node.actor)
                .map_or(style::NO_METRIC_COLOUR, style::community_colour);
            assert_eq!(node.fill, expected, "{}", f.ds.actors.get(node.actor).name);
        }
        // The top PageRank actor is the biggest node.
        let top = scene
            .nodes
            .iter()
            .max_by(|a, b| a.radius.total_cmp(&b.radius))
            .unwrap();
        assert_eq!(metrics.share(top.actor, Measure::PageRank), Some(1.0));
        let labels: Vec<&str> = scene
            .legend
            .as_ref()
            .unwrap()
            .entries
            .iter()
            .map(|e| e.label.as_str())
            .collect();
        assert!(
            labels.iter().any(|l| l.starts_with("Community 1 (")),
            "{labels:?}"
        );
        assert!(labels.contains(&"Size: PageRank"), "{labels:?}");
        assert!(!labels.contains(&"person"), "kinds give way to communities");
    }

    #[test]
    fn significant_ties_only_draws_the_backbone() {
        let f = Fixture::new();
        let metrics = WindowMetrics::compute(&f.ds, &f.counts);
        let alpha = 0.3;
        let style = MapStyle {
            backbone_alpha: Some(alpha),
            ..MapStyle::default()
        };
        let mut input = f.input(&style);
        input.metrics = Some(&metrics);
        let scene = build(&input, &measure);
        let kept = (0..f.ds.pairs.len())
            .filter(|&p| {
                f.counts.pair_events[p] > 0 && metrics.in_backbone(p as PairId, alpha as f64)
            })
            .count();
        assert!(kept < f.ds.pairs.len(), "the filter keeps fewer ties");
        assert_eq!(scene.edges.len(), kept);
    }

    #[test]
    fn filters_hide_weak_ties_kinds_and_isolated_actors() {
        let f = Fixture::new();
        let strong = MapStyle {
            min_edge_events: 2,
            hide_isolated: true,
            ..MapStyle::default()
        };
        let scene = build(&f.input(&strong), &measure);
        let strong_pairs = f.counts.pair_events.iter().filter(|&&c| c >= 2).count();
        assert_eq!(scene.edges.len(), strong_pairs);
        assert!(scene.nodes.len() < f.ds.actors.len());

        let mut no_people = MapStyle::default();
        no_people.kinds[2] = false;
        let scene = build(&f.input(&no_people), &measure);
        assert!(
            scene
                .nodes
                .iter()
                .all(|n| f.ds.actors.get(n.actor).kind != ActorKind::Person)
        );
    }

    #[test]
    fn the_world_map_can_leave_out_actors_without_a_place() {
        let f = Fixture::new();
        let style = MapStyle {
            hide_unlocated: true,
            ..MapStyle::default()
        };
        let mut located = vec![true; f.ds.actors.len()];
        let pakistan = f.id("Pakistan");
        located[pakistan as usize] = false;
        let mut input = f.input(&style);
        input.located = &located;
        // Only on the world map.
        let scene = build(&input, &measure);
        assert!(scene.nodes.iter().any(|n| n.actor == pakistan));
        input.outline = Some((crate::layout::geo::world_outline(), &[]));
        let scene = build(&input, &measure);
        assert!(scene.nodes.iter().all(|n| n.actor != pakistan));
        assert_eq!(scene.nodes.len(), f.ds.actors.len() - 1);
    }

    #[test]
    fn focus_keeps_a_neighbourhood_and_collapse_folds_members_into_their_country() {
        let f = Fixture::new();
        let style = MapStyle::default();
        let pakistan = f.id("Pakistan");
        let mut input = f.input(&style);
        input.focus = Some((pakistan, 1));
        let scene = build(&input, &measure);
        let shown: Vec<&str> = scene
            .nodes
            .iter()
            .map(|n| f.ds.actors.get(n.actor).name.as_str())
            .collect();
        assert!(shown.contains(&"Pakistan") && shown.contains(&"Belarus"));
        assert!(!shown.contains(&"Masoud Pezeshkian"), "{shown:?}");

        let mut collapsed = vec![false; f.ds.actors.len()];
        collapsed[f.id("Belarus") as usize] = true;
        collapsed[f.id("Iran") as usize] = true;
        let mut input = f.input(&style);
        input.collapsed = &collapsed;
        let scene = build(&input, &measure);
        // Belarus, Iran and Pakistan remain, tied by merged edges.
        assert_eq!(scene.nodes.len(), 3);
        assert_eq!(scene.edges.len(), 2);
        let total: u32 = f.counts.actor_events.iter().sum();
        assert!(scene.nodes.iter().all(|n| n.radius > 0.0));
        assert!(total > 0);
    }

    #[test]
    fn arrows_point_at_the_receiver_and_sit_on_its_rim() {
        let head = arrow_head([0.0, 0.0], [100.0, 0.0], 10.0, 2.0).unwrap();
        assert_eq!(head[0], [90.0, 0.0]);
        assert!(head[1][0] < 90.0 && head[2][0] < 90.0);
        assert!(arrow_head([0.0, 0.0], [5.0, 0.0], 10.0, 2.0).is_none());
    }
}
