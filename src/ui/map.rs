//! The actor map: paints the display list of [`crate::export::picture`] (the same one image
//! export writes) and turns pointer and keyboard input into commands: pan, zoom to the
//! cursor, drag and pin nodes, click / shift-click / box select, double-click to focus a
//! neighbourhood, a context menu per node, hover tooltips; a click on a note's callout selects
//! what it is about, and hovering it shows the whole note.

use eframe::egui::{
    self, Align2, Color32, CornerRadius, FontFamily, FontId, Pos2, Rect, Role, Sense, Shape,
    Stroke, Ui, Vec2, WidgetInfo,
};

use super::Command;
use super::theme::colour;
use crate::analysis::WindowMetrics;
use crate::export::callouts;
use crate::export::picture::{
    self, Callout, Camera, LegendMark, MapInput, MapStyle, NodeShape, NoteMark, Picture,
    PictureLabel,
};
use crate::model::ActorId;
use crate::session::Document;

/// Up to this many nodes on screen, each is its own widget (keyboard and screen-reader
/// reachable, clickable by name in tests); past it one hit test over the picture does it.
const MAX_NODE_WIDGETS: usize = 400;

/// The camera and the map's transient interaction state.
#[derive(Clone, Debug)]
pub struct MapView {
    pub camera: Camera,
    /// Where the camera is gliding to (fit, search, scene change).
    pub camera_target: Option<Camera>,
    /// Fit the visible nodes to the screen on the next frame.
    pub fit_pending: bool,
    pub hovered: Option<ActorId>,
    /// The node being dragged.
    dragging: Option<ActorId>,
    /// Where a shift-drag box selection started.
    box_start: Option<Pos2>,
    /// The node a context menu was opened on.
    context_node: Option<ActorId>,
    /// Size of the map at the last frame, for exports of "what the map shows".
    pub last_size: [f32; 2],
    /// Per actor, how far it has faded in since it entered the window (0 to 1).
    appear: Vec<f32>,
    /// How many ties are drawn, following the measured frame time.
    pub detail: EdgeBudget,
}

/// The level of detail: the most ties drawn, lowered while frames take longer than
/// [`EdgeBudget::SLOW`] and raised again while they take less than [`EdgeBudget::FAST`]. On a
/// software renderer (llvmpipe, as on remote desktops) a frame of tens of thousands of
/// anti-aliased lines takes seconds; a few thousand keep the window usable.
#[derive(Clone, Debug, PartialEq)]
pub struct EdgeBudget {
    pub max_edges: usize,
    slow_frames: u32,
    fast_frames: u32,
}

impl Default for EdgeBudget {
    fn default() -> Self {
        Self::starting_at(picture::MAX_DRAWN_EDGES)
    }
}

impl EdgeBudget {
    /// A frame slower than this (seconds) counts against the budget.
    pub const SLOW: f32 = 0.1;
    /// A frame faster than this lets the budget grow.
    pub const FAST: f32 = 0.035;
    /// Never fewer ties than this.
    pub const MIN: usize = 400;

    pub fn starting_at(max_edges: usize) -> Self {
        Self {
            max_edges,
            slow_frames: 0,
            fast_frames: 0,
        }
    }

    /// Takes the duration of a frame drawn while the map was busy (dragged, zoomed, gliding,
    /// playing). Returns whether the budget changed.
    pub fn observe(&mut self, seconds: f32) -> bool {
        if seconds > Self::SLOW {
            self.fast_frames = 0;
            self.slow_frames += 1;
            if self.slow_frames >= 2 && self.max_edges > Self::MIN {
                self.slow_frames = 0;
                self.max_edges = (self.max_edges / 2).max(Self::MIN);
                return true;
            }
        } else if seconds < Self::FAST {
            self.slow_frames = 0;
            self.fast_frames += 1;
            if self.fast_frames >= 20 && self.max_edges < picture::MAX_DRAWN_EDGES {
                self.fast_frames = 0;
                self.max_edges = (self.max_edges * 3 / 2).min(picture::MAX_DRAWN_EDGES);
                return true;
            }
        }
        false
    }
}

impl Default for MapView {
    fn default() -> Self {
        Self {
            camera: Camera::default(),
            camera_target: None,
            fit_pending: true,
            hovered: None,
            dragging: None,
            box_start: None,
            context_node: None,
            last_size: [1000.0, 700.0],
            appear: Vec::new(),
            detail: EdgeBudget::default(),
        }
    }
}

/// What the map shows besides the document: chosen by the user in the toolbar, menus and
/// filter panel, owned by the app.
pub struct MapChoices<'a> {
    pub style: &'a MapStyle,
    pub selected: &'a [ActorId],
    /// The selected tie, if any.
    pub selected_edge: Option<(ActorId, ActorId)>,
    pub focus: Option<(ActorId, u32)>,
    /// The window's metrics, when they are worked out (node size, colour, backbone).
    pub metrics: Option<&'a WindowMetrics>,
}

/// The map's input for a picture of `size` from the document and the user's choices.
pub fn map_input<'a>(
    doc: &'a Document,
    choices: &MapChoices<'a>,
    camera: Camera,
    size: [f32; 2],
    hovered: Option<ActorId>,
    appear: &'a [f32],
    max_edges: usize,
) -> MapInput<'a> {
    MapInput {
        dataset: &doc.dataset,
        counts: &doc.counts,
        positions: &doc.positions,
        camera,
        size,
        style: choices.style,
        selected: choices.selected,
        hovered,
        pinned: &doc.pinned,
        collapsed: &doc.collapsed,
        focus: choices.focus,
        directed: doc.directed,
        group_halos: doc.layout == crate::layout::LayoutKind::Grouped,
        outline: (doc.layout == crate::layout::LayoutKind::Geographic).then(|| {
            (
                crate::layout::geo::world_outline(),
                crate::layout::geo::world_triangles(),
            )
        }),
        pair_types: doc.pair_types.as_ref(),
        selected_edge: choices.selected_edge,
        appear,
        located: &doc.located,
        max_edges,
        metrics: choices.metrics,
        notes: Some(&doc.notes),
    }
}

/// How long an actor takes to fade in after it enters the window, in seconds.
const FADE_IN_SECONDS: f32 = 0.6;

/// Fades in the actors that have events in the window, and hides at once those that have
/// none. Returns whether any is still fading in.
fn update_appear(appear: &mut Vec<f32>, doc: &Document, dt: f32) -> bool {
    let events = &doc.counts.actor_events;
    if appear.len() != events.len() {
        // A new document: what is there is there, without a fade.
        *appear = events
            .iter()
            .map(|&n| if n > 0 { 1.0 } else { 0.0 })
            .collect();
        return false;
    }
    let step = dt.clamp(0.0, 0.1) / FADE_IN_SECONDS;
    let mut fading = false;
    for (shown, &n) in appear.iter_mut().zip(events) {
        if n == 0 {
            *shown = 0.0;
        } else if *shown < 1.0 {
            *shown = (*shown + step).min(1.0);
            fading = true;
        }
    }
    fading
}

/// The note callout under `p`, the topmost.
fn callout_at(scene: &Picture, p: [f32; 2]) -> Option<&Callout> {
    scene.callouts.iter().rev().find(|c| {
        p[0] >= c.min[0]
            && p[1] >= c.min[1]
            && p[0] <= c.min[0] + c.size[0]
            && p[1] <= c.min[1] + c.size[1]
    })
}

/// The edge under `p`: the topmost whose line passes within a few points of it.
pub fn edge_at(scene: &Picture, p: [f32; 2]) -> Option<[ActorId; 2]> {
    scene
        .edges
        .iter()
        .zip(&scene.edge_ends)
        .rev()
        .find(|(e, _)| {
            let (ax, ay) = (e.from[0], e.from[1]);
            let (dx, dy) = (e.to[0] - ax, e.to[1] - ay);
            let len2 = dx * dx + dy * dy;
            if len2 < 1.0 {
                return false;
            }
            let t = (((p[0] - ax) * dx + (p[1] - ay) * dy) / len2).clamp(0.0, 1.0);
            let (qx, qy) = (ax + t * dx - p[0], ay + t * dy - p[1]);
            let reach = (e.width / 2.0 + 3.0).max(4.0);
            qx * qx + qy * qy <= reach * reach
        })
        .map(|(_, ends)| *ends)
}

fn font(size: f32, bold: bool) -> FontId {
    if bold {
        FontId::new(size, FontFamily::Name(super::BOLD_FAMILY.into()))
    } else {
        FontId::proportional(size)
    }
}

/// Draws the map of `doc` in the remaining space of `ui`.
pub fn map_ui(
    ui: &mut Ui,
    doc: &Document,
    view: &mut MapView,
    choices: &MapChoices,
    commands: &mut Vec<Command>,
) {
    let rect = ui.available_rect_before_wrap();
    let background = ui.allocate_rect(rect, Sense::click_and_drag());
    let size = [rect.width().max(1.0), rect.height().max(1.0)];
    view.last_size = size;
    let origin = rect.min.to_vec2();
    let to_local = |p: Pos2| [p.x - origin.x, p.y - origin.y];

    if view.fit_pending && rect.width() > 10.0 {
        if let Some(camera) = Camera::fit(size, doc.visible_positions()) {
            view.camera_target = Some(camera);
        }
        view.fit_pending = false;
    }
    glide_camera(ui, view);

    // Zoom to the cursor with the wheel or a pinch.
    if let Some(hover) = background.hover_pos() {
        let (scroll, pinch) = ui.input(|i| (i.smooth_scroll_delta.y, i.zoom_delta()));
        let factor = (scroll * 0.0025).exp() * pinch;
        if (factor - 1.0).abs() > 1e-4 {
            view.camera_target = None;
            view.camera.zoom_at(size, to_local(hover), factor);
        }
    }

    let painter = ui.painter_at(rect);
    let measure = |text: &str, font_size: f32, bold: bool| {
        painter
            .layout_no_wrap(text.to_owned(), font(font_size, bold), Color32::WHITE)
            .size()
            .x
    };
    let dt = ui.input(|i| i.stable_dt);
    let fading = update_appear(&mut view.appear, doc, dt);
    if fading {
        ui.ctx().request_repaint();
    }
    // Frame time counts only while the map is busy: an idle wait for input is no slow frame.
    let busy = fading
        || view.dragging.is_some()
        || view.camera_target.is_some()
        || background.dragged()
        || ui.input(|i| i.smooth_scroll_delta != Vec2::ZERO || i.zoom_delta() != 1.0);
    if busy {
        let frame = ui.input(|i| i.unstable_dt);
        if frame_log_enabled() {
            // For measuring on a given display: one line per busy frame.
            eprintln!(
                "relmap frame: {:.1} ms, {} ties at most",
                frame * 1000.0,
                view.detail.max_edges
            );
        }
        if view.detail.observe(frame) {
            ui.ctx().request_repaint();
        }
    }
    let input = map_input(
        doc,
        choices,
        view.camera,
        size,
        view.hovered,
        &view.appear,
        view.detail.max_edges,
    );
    let scene = picture::build(&input, &measure);

    // Hover: the topmost node under the pointer.
    let pointer = ui.input(|i| i.pointer.hover_pos());
    let under_pointer = pointer
        .filter(|p| rect.contains(*p))
        .and_then(|p| node_at(&scene, to_local(p)));
    if under_pointer != view.hovered && view.dragging.is_none() {
        view.hovered = under_pointer;
        ui.ctx().request_repaint();
    }

    // Nodes as widgets when there are few: reachable by keyboard and by name.
    let mut node_widget_clicked = false;
    if scene.nodes.len() <= MAX_NODE_WIDGETS {
        for node in &scene.nodes {
            let a = node.actor;
            let hit = Rect::from_center_size(
                Pos2::new(node.centre[0], node.centre[1]) + origin,
                Vec2::splat(2.0 * node.radius.max(8.0)),
            );
            let response = ui.interact(hit, ui.scope_id().with(("map-node", a)), Sense::click());
            let name = doc.dataset.actors.get(a).name.clone();
            response.widget_info(|| WidgetInfo::labeled(Role::Button, true, &name));
            if response.clicked() || response.double_clicked() {
                node_widget_clicked = true;
                node_clicked(ui, a, response.double_clicked(), commands);
            }
            let response = response.on_hover_ui(|ui| tooltip_ui(ui, doc, a));
            response.context_menu(|ui| node_menu_ui(ui, doc, a, commands));
        }
    } else if let Some(a) = view.hovered
        && view.dragging.is_none()
    {
        background
            .clone()
            .on_hover_ui_at_pointer(|ui| tooltip_ui(ui, doc, a));
    }

    // Drags: a node under the press moves (and is pinned); shift on empty space draws a
    // selection box; otherwise the picture pans.
    if background.drag_started() {
        let press = ui
            .input(|i| i.pointer.press_origin())
            .unwrap_or(rect.center());
        let shift = ui.input(|i| i.modifiers.shift);
        view.dragging = node_at(&scene, to_local(press));
        if view.dragging.is_none() && shift {
            view.box_start = Some(press);
        }
    }
    if background.dragged() {
        let delta = background.drag_delta() / view.camera.zoom;
        if let Some(a) = view.dragging {
            commands.push(Command::MoveNode(a, [delta.x, delta.y]));
        } else if view.box_start.is_none() {
            view.camera_target = None;
            view.camera.centre[0] -= delta.x;
            view.camera.centre[1] -= delta.y;
        }
    }
    if let (Some(start), Some(now)) = (view.box_start, background.interact_pointer_pos()) {
        let area = Rect::from_two_pos(start, now);
        painter.rect(
            area,
            CornerRadius::same(2),
            ui.visuals().selection.bg_fill.gamma_multiply(0.25),
            Stroke::new(1.0, ui.visuals().selection.stroke.color),
            egui::StrokeKind::Inside,
        );
        if background.drag_stopped() {
            let inside: Vec<ActorId> = scene
                .nodes
                .iter()
                .filter(|n| area.contains(Pos2::new(n.centre[0], n.centre[1]) + origin))
                .map(|n| n.actor)
                .collect();
            commands.push(Command::SelectActors(inside, true));
        }
    }
    if background.drag_stopped() {
        view.dragging = None;
        view.box_start = None;
    }
    if !node_widget_clicked && (background.clicked() || background.double_clicked()) {
        let at = background.interact_pointer_pos().map(to_local);
        // A note's box (drawn over nodes and ties) selects what it is about.
        let callout = at.and_then(|p| callout_at(&scene, p)).map(|c| c.about);
        match (callout, at.and_then(|p| node_at(&scene, p))) {
            (Some([a, b]), _) if a == b => commands.push(Command::Select(Some(a))),
            (Some([a, b]), _) => commands.push(Command::SelectEdge(a, b)),
            (None, Some(a)) => node_clicked(ui, a, background.double_clicked(), commands),
            (None, None) if background.double_clicked() => commands.push(Command::FitView),
            (None, None) => match at.and_then(|p| edge_at(&scene, p)) {
                Some([a, b]) => commands.push(Command::SelectEdge(a, b)),
                None => commands.push(Command::Select(None)),
            },
        }
    }
    if background.secondary_clicked() {
        view.context_node = background
            .interact_pointer_pos()
            .and_then(|p| node_at(&scene, to_local(p)));
    }
    background.context_menu(|ui| match view.context_node {
        Some(a) => node_menu_ui(ui, doc, a, commands),
        None => map_menu_ui(ui, doc, commands),
    });
    // A callout shows its note whole on hover (the box cuts it to a few lines).
    if view.dragging.is_none()
        && view.hovered.is_none()
        && let Some(c) = pointer
            .filter(|p| rect.contains(*p))
            .and_then(|p| callout_at(&scene, to_local(p)))
    {
        let text = c.text.clone();
        background.clone().on_hover_ui_at_pointer(|ui| {
            ui.set_max_width(360.0);
            ui.label(text);
        });
    }
    if view.hovered.is_some() || view.dragging.is_some() {
        ui.ctx().set_cursor_icon(if view.dragging.is_some() {
            egui::CursorIcon::Grabbing
        } else {
            egui::CursorIcon::PointingHand
        });
    }

    paint_scene(&painter, &scene, origin, true);
}

/// Moves the camera a share of the way to its target each frame (about 200 ms in all).
fn glide_camera(ui: &Ui, view: &mut MapView) {
    let Some(target) = view.camera_target else {
        return;
    };
    let dt = ui.input(|i| i.stable_dt).clamp(0.001, 0.1);
    let t = 1.0 - (-dt / 0.06).exp();
    let c = &mut view.camera;
    c.centre[0] += (target.centre[0] - c.centre[0]) * t;
    c.centre[1] += (target.centre[1] - c.centre[1]) * t;
    // Zoom glides in log space so that zooming in and out feel alike.
    c.zoom = (c.zoom.ln() + (target.zoom.ln() - c.zoom.ln()) * t).exp();
    let close = (target.zoom / c.zoom - 1.0).abs() < 0.002
        && ((target.centre[0] - c.centre[0]).abs() + (target.centre[1] - c.centre[1]).abs())
            * c.zoom
            < 0.5;
    if close {
        *c = target;
        view.camera_target = None;
    } else {
        ui.ctx().request_repaint();
    }
}

fn node_clicked(ui: &Ui, a: ActorId, double: bool, commands: &mut Vec<Command>) {
    if double {
        commands.push(Command::Focus(Some(a)));
    } else if ui.input(|i| i.modifiers.shift || i.modifiers.command) {
        commands.push(Command::ToggleSelected(a));
    } else {
        commands.push(Command::Select(Some(a)));
    }
}

/// The topmost node whose shape holds `p` (nodes are painted small to big).
pub fn node_at(scene: &Picture, p: [f32; 2]) -> Option<ActorId> {
    scene
        .nodes
        .iter()
        .rev()
        .find(|n| {
            let (dx, dy) = (p[0] - n.centre[0], p[1] - n.centre[1]);
            let r = n.radius.max(5.0) + 2.0;
            dx * dx + dy * dy <= r * r
        })
        .map(|n| n.actor)
}

fn tooltip_ui(ui: &mut Ui, doc: &Document, a: ActorId) {
    let ds = &doc.dataset;
    let actor = ds.actors.get(a);
    ui.strong(&actor.name);
    let country = actor
        .affiliation
        .map(|c| format!(", {}", ds.actors.get(c).name))
        .unwrap_or_default();
    ui.label(format!("{}{country}", actor.kind.label()));
    let events = doc.counts.actor_events[a as usize];
    ui.label(format!(
        "{events} event{} in the window",
        if events == 1 { "" } else { "s" }
    ));
    if doc.pinned.get(a as usize).copied().unwrap_or(false) {
        ui.weak("Pinned (right-click to unpin)");
    }
    if let Some(note) = doc.notes.get(crate::model::NoteSubject::Actor(a)) {
        ui.separator();
        ui.label(picture::shorten(note, 300));
    }
}

fn node_menu_ui(ui: &mut Ui, doc: &Document, a: ActorId, commands: &mut Vec<Command>) {
    let ds = &doc.dataset;
    ui.label(egui::RichText::new(&ds.actors.get(a).name).strong());
    if ui.button("Select").clicked() {
        commands.push(Command::Select(Some(a)));
    }
    if ui.button("Focus on neighbourhood").clicked() {
        commands.push(Command::Focus(Some(a)));
    }
    let pinned = doc.pinned.get(a as usize).copied().unwrap_or(false);
    if ui.button(if pinned { "Unpin" } else { "Pin" }).clicked() {
        commands.push(Command::SetPinned(vec![a], !pinned));
    }
    let root = crate::layout::group_root(ds, a);
    let has_members = ds
        .actors
        .iter()
        .any(|(m, _)| m != root && crate::layout::group_root(ds, m) == root);
    if has_members {
        let collapsed = doc.collapsed.get(root as usize).copied().unwrap_or(false);
        let name = &ds.actors.get(root).name;
        let text = if collapsed {
            format!("Expand {name}")
        } else {
            format!("Collapse members into {name}")
        };
        if ui.button(text).clicked() {
            commands.push(Command::SetCollapsed(Some(root), !collapsed));
        }
    }
}

fn map_menu_ui(ui: &mut Ui, doc: &Document, commands: &mut Vec<Command>) {
    if ui.button("Fit to view").clicked() {
        commands.push(Command::FitView);
    }
    if doc.pinned.iter().any(|&p| p) && ui.button("Unpin all").clicked() {
        let all: Vec<ActorId> = (0..doc.pinned.len() as ActorId)
            .filter(|&a| doc.pinned[a as usize])
            .collect();
        commands.push(Command::SetPinned(all, false));
    }
    if ui
        .button("Collapse all members into their countries")
        .clicked()
    {
        commands.push(Command::SetCollapsed(None, true));
    }
    if ui.button("Expand all").clicked() {
        commands.push(Command::SetCollapsed(None, false));
    }
}

/// Paints a scene with its top-left corner at `origin`. Used by the map and by tests.
pub fn paint_scene(painter: &egui::Painter, scene: &Picture, origin: Vec2, legend: bool) {
    let at = |p: [f32; 2]| Pos2::new(p[0], p[1]) + origin;
    let rect = Rect::from_min_size(at([0.0, 0.0]), Vec2::new(scene.width, scene.height));
    painter.rect_filled(rect, CornerRadius::ZERO, colour(scene.background));

    // Shapes go to the painter in batches: one lock of the context per batch, not per shape.
    let mut shapes: Vec<Shape> =
        Vec::with_capacity(scene.outline.len() + scene.halos.len() + scene.edges.len());
    if !scene.outline_triangles.is_empty() {
        let mut land = egui::Mesh::default();
        let fill = colour(scene.outline_fill);
        for p in scene.outline.iter().flatten() {
            land.colored_vertex(at(*p), fill);
        }
        let points = land.vertices.len() as u32;
        for &[a, b, c] in scene.outline_triangles {
            if a < points && b < points && c < points {
                land.add_triangle(a, b, c);
            }
        }
        shapes.push(Shape::mesh(land));
    }
    // Country borders as separate segments, not egui paths: egui mitres a path's corners
    // without a limit, so a ring that turns back on itself (a thin cape) drew a spike clean
    // across the map.
    if !scene.outline.is_empty() {
        let mut borders = egui::Mesh::default();
        let stroke = colour(scene.outline_stroke);
        for ring in &scene.outline {
            for (i, &p) in ring.iter().enumerate() {
                let q = ring[(i + 1) % ring.len()];
                add_line(&mut borders, at(p), at(q), 0.8, stroke);
            }
        }
        shapes.push(Shape::mesh(borders));
    }
    for halo in &scene.halos {
        shapes.push(circle_shape(
            at(halo.centre),
            halo.radius,
            colour(halo.fill),
            Stroke::new(1.0, colour(halo.stroke)),
        ));
    }
    // Edges and plain nodes are built into one mesh each, with a one-point feathered rim
    // for anti-aliasing: egui's general tessellator took two thirds of a 10,000-node frame
    // (`cargo bench --bench map_frame`).
    let mut mesh = egui::Mesh::default();
    mesh.reserve_vertices(scene.edges.len() * 8);
    mesh.reserve_triangles(scene.edges.len() * 6);
    for edge in &scene.edges {
        let (a, b) = (at(edge.from), at(edge.to));
        let c = colour(edge.colour);
        add_line(&mut mesh, a, b, edge.width, c);
        if edge.arrow_to {
            shapes.extend(arrow_shape(a, b, edge.to_radius, edge.width, c));
        }
        if edge.arrow_from {
            shapes.extend(arrow_shape(b, a, edge.from_radius, edge.width, c));
        }
    }
    painter.extend(shapes);
    painter.add(Shape::mesh(mesh));
    let mut shapes: Vec<Shape> = Vec::new();
    let mut mesh = egui::Mesh::default();
    for node in &scene.nodes {
        if node.badge.is_some()
            || node.pinned
            || node.ring.is_some()
            || node.shape != NodeShape::Circle
        {
            continue;
        }
        let fill = colour(node.fill);
        let c = at(node.centre);
        if node.stroke_width > 0.0 {
            shapes.push(circle_shape(
                c,
                node.radius,
                fill,
                Stroke::new(node.stroke_width, colour(node.stroke)),
            ));
        } else {
            add_disc(&mut mesh, c, node.radius, fill);
        }
    }
    painter.add(Shape::mesh(mesh));
    painter.extend(shapes);
    // Nodes with extras (other shapes, badge, ring, pin) one by one, over the plain ones.
    for node in &scene.nodes {
        if !(node.badge.is_some()
            || node.pinned
            || node.ring.is_some()
            || node.shape != NodeShape::Circle)
        {
            continue;
        }
        let c = at(node.centre);
        let r = node.radius;
        let fill = colour(node.fill);
        let stroke = if node.stroke_width > 0.0 {
            Stroke::new(node.stroke_width, colour(node.stroke))
        } else {
            Stroke::NONE
        };
        paint_shape(painter, node.shape, c, r, fill, stroke);
        if let Some(ring) = node.ring {
            painter.circle_stroke(c, r + 4.0, Stroke::new(2.5, colour(ring)));
        }
        if let Some(badge) = &node.badge {
            painter.text(
                c,
                Align2::CENTER_CENTER,
                badge,
                font((0.8 * r).clamp(7.0, 14.0), true),
                colour(node.badge_colour),
            );
        }
        if node.pinned {
            let p = c + Vec2::new(r * 0.75, -r * 0.75);
            painter.circle(
                p,
                3.0,
                Color32::from_rgb(0x30, 0x30, 0x30),
                Stroke::new(1.0, Color32::WHITE),
            );
        }
    }
    for mark in &scene.note_marks {
        paint_note_mark(painter, mark, origin);
    }
    for label in &scene.labels {
        paint_label(painter, label, origin);
    }
    for callout in &scene.callouts {
        paint_callout(painter, callout, origin);
    }
    if legend && let Some(legend) = &scene.legend {
        let frame = Rect::from_min_size(at(legend.min), Vec2::from(legend.size));
        painter.rect(
            frame,
            CornerRadius::same(4),
            colour(legend.fill),
            Stroke::new(1.0, colour(legend.stroke)),
            egui::StrokeKind::Inside,
        );
        let mut y = frame.top() + 6.0 + legend.row_height / 2.0;
        for entry in &legend.entries {
            let c = Pos2::new(frame.left() + 16.0, y);
            match entry.mark {
                LegendMark::Node(shape, fill) => {
                    paint_shape(painter, shape, c, 5.5, colour(fill), Stroke::NONE)
                }
                LegendMark::Line(line) => {
                    painter.line_segment(
                        [c - Vec2::new(8.0, 0.0), c + Vec2::new(8.0, 0.0)],
                        Stroke::new(3.0, colour(line)),
                    );
                }
            }
            painter.text(
                c + Vec2::new(14.0, 0.0),
                Align2::LEFT_CENTER,
                &entry.label,
                font(legend.font_size, false),
                colour(legend.text_colour),
            );
            y += legend.row_height;
        }
    }
    if let Some(caption) = &scene.caption {
        paint_label(painter, caption, origin);
    }
    if let Some(message) = &scene.empty_message {
        paint_label(painter, message, origin);
    }
    if scene.edges_in_view > scene.edges.len() {
        // Say what the level of detail left out, so no tie seems missing from the data.
        painter.text(
            Pos2::new(scene.width - 10.0, 8.0) + origin,
            Align2::RIGHT_TOP,
            format!(
                "Showing the {} strongest of {} ties",
                thousands(scene.edges.len()),
                thousands(scene.edges_in_view)
            ),
            font(12.0, false),
            colour(
                scene
                    .legend
                    .as_ref()
                    .map_or([128, 128, 128, 255], |l| l.text_colour),
            ),
        );
    }
}

/// `RELMAP_FRAME_LOG=1` prints the duration of every frame drawn while the map is busy.
fn frame_log_enabled() -> bool {
    static ON: std::sync::OnceLock<bool> = std::sync::OnceLock::new();
    *ON.get_or_init(|| std::env::var_os("RELMAP_FRAME_LOG").is_some_and(|v| v == "1"))
}

/// `12345` → `12,345`.
fn thousands(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// A note sheet, as [`crate::export::svg`] draws it.
fn paint_note_mark(painter: &egui::Painter, mark: &NoteMark, origin: Vec2) {
    let at = |p: [f32; 2]| Pos2::new(p[0], p[1]) + origin;
    let stroke = Stroke::new(1.0, colour(mark.stroke));
    painter.rect(
        Rect::from_center_size(at(mark.centre), Vec2::splat(mark.size)),
        CornerRadius::same(2),
        colour(mark.fill),
        stroke,
        egui::StrokeKind::Middle,
    );
    for [a, b] in callouts::note_mark_lines(mark) {
        painter.line_segment([at(a), at(b)], stroke);
    }
}

/// A note's box with its leader line, as [`crate::export::svg`] draws it.
fn paint_callout(painter: &egui::Painter, callout: &Callout, origin: Vec2) {
    let at = |p: [f32; 2]| Pos2::new(p[0], p[1]) + origin;
    let stroke = Stroke::new(1.0, colour(callout.stroke));
    let [a, b] = callout.leader;
    painter.line_segment([at(a), at(b)], Stroke::new(1.2, colour(callout.stroke)));
    let frame = Rect::from_min_size(at(callout.min), Vec2::from(callout.size));
    painter.rect(
        frame,
        CornerRadius::same(3),
        colour(callout.fill),
        stroke,
        egui::StrokeKind::Middle,
    );
    let pad = callouts::CALLOUT_PADDING;
    for (i, line) in callout.lines.iter().enumerate() {
        let top = frame.top() + pad + i as f32 * callout.line_height;
        painter.text(
            Pos2::new(frame.left() + pad, top + callout.line_height / 2.0),
            Align2::LEFT_CENTER,
            line,
            font(callout.font_size, false),
            colour(callout.text_colour),
        );
    }
}

fn paint_label(painter: &egui::Painter, label: &PictureLabel, origin: Vec2) {
    let min = Pos2::new(label.min[0], label.min[1]) + origin;
    if label.halo[3] > 0 {
        let rect = Rect::from_min_size(min, Vec2::from(label.size)).expand(2.0);
        painter.rect_filled(rect, CornerRadius::same(3), colour(label.halo));
    }
    painter.text(
        min,
        Align2::LEFT_TOP,
        &label.text,
        font(label.font_size, label.bold),
        colour(label.colour),
    );
}

fn paint_shape(
    painter: &egui::Painter,
    shape: NodeShape,
    c: Pos2,
    r: f32,
    fill: Color32,
    stroke: Stroke,
) {
    match shape {
        NodeShape::Square => {
            let rect = Rect::from_center_size(c, Vec2::splat(1.8 * r));
            painter.rect(
                rect,
                CornerRadius::same(3),
                fill,
                stroke,
                egui::StrokeKind::Outside,
            );
        }
        NodeShape::Diamond => {
            let pts = vec![
                c + Vec2::new(0.0, -1.2 * r),
                c + Vec2::new(1.2 * r, 0.0),
                c + Vec2::new(0.0, 1.2 * r),
                c + Vec2::new(-1.2 * r, 0.0),
            ];
            painter.add(Shape::convex_polygon(pts, fill, stroke));
        }
        NodeShape::Circle => {
            if stroke.width > 0.0 {
                painter.circle(c, r, fill, stroke);
            } else {
                painter.circle_filled(c, r, fill);
            }
        }
    }
}

/// An arrow head on `to`'s rim, pointing from `from` to `to`.
fn arrow_shape(from: Pos2, to: Pos2, radius: f32, width: f32, c: Color32) -> Option<Shape> {
    let head = picture::arrow_head([from.x, from.y], [to.x, to.y], radius, width)?;
    let pts = head.iter().map(|p| Pos2::new(p[0], p[1])).collect();
    Some(Shape::convex_polygon(pts, c, Stroke::NONE))
}

fn circle_shape(center: Pos2, radius: f32, fill: Color32, stroke: Stroke) -> Shape {
    Shape::Circle(egui::epaint::CircleShape {
        center,
        radius,
        fill,
        stroke,
    })
}

/// A line as a quad with a one-point feather on each side (lines under a point wide are
/// drawn one point wide and fainter).
fn add_line(mesh: &mut egui::Mesh, a: Pos2, b: Pos2, width: f32, c: Color32) {
    let d = b - a;
    let len = d.length();
    if len < 1e-3 {
        return;
    }
    let n = Vec2::new(-d.y, d.x) / len;
    let (c, width) = if width < 1.0 {
        (c.gamma_multiply(width.max(0.0)), 1.0)
    } else {
        (c, width)
    };
    let inner = (width - 1.0) / 2.0;
    let outer = inner + 1.0;
    let base = mesh.vertices.len() as u32;
    for p in [a, b] {
        mesh.colored_vertex(p + n * outer, Color32::TRANSPARENT);
        mesh.colored_vertex(p + n * inner, c);
        mesh.colored_vertex(p - n * inner, c);
        mesh.colored_vertex(p - n * outer, Color32::TRANSPARENT);
    }
    for k in 0..3 {
        mesh.add_triangle(base + k, base + k + 1, base + 4 + k);
        mesh.add_triangle(base + k + 1, base + 5 + k, base + 4 + k);
    }
}

/// A filled disc as a fan with a one-point feathered rim; fewer segments for small discs.
fn add_disc(mesh: &mut egui::Mesh, c: Pos2, r: f32, fill: Color32) {
    let segments = ((r * 1.5) as u32).clamp(8, 40);
    let base = mesh.vertices.len() as u32;
    mesh.colored_vertex(c, fill);
    let (inner, outer) = ((r - 0.5).max(0.0), r + 0.5);
    for i in 0..segments {
        let angle = std::f32::consts::TAU * i as f32 / segments as f32;
        let dir = Vec2::angled(angle);
        mesh.colored_vertex(c + dir * inner, fill);
        mesh.colored_vertex(c + dir * outer, Color32::TRANSPARENT);
    }
    for i in 0..segments {
        let j = (i + 1) % segments;
        let (ia, oa, ib, ob) = (
            base + 1 + 2 * i,
            base + 2 + 2 * i,
            base + 1 + 2 * j,
            base + 2 + 2 * j,
        );
        mesh.add_triangle(base, ia, ib);
        mesh.add_triangle(ia, oa, ib);
        mesh.add_triangle(oa, ob, ib);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::export::picture::PictureEdge;

    #[test]
    fn a_callout_is_picked_inside_its_box_the_topmost_first() {
        let callout = |min: [f32; 2], about: [ActorId; 2]| Callout {
            min,
            size: [100.0, 40.0],
            lines: vec!["note".into()],
            font_size: 11.0,
            line_height: 14.0,
            fill: [0; 4],
            stroke: [0; 4],
            text_colour: [0; 4],
            leader: [[0.0, 0.0], [0.0, 0.0]],
            text: "note".into(),
            about,
        };
        let scene = Picture {
            callouts: vec![callout([0.0, 0.0], [1, 1]), callout([50.0, 20.0], [2, 3])],
            ..Picture::default()
        };
        assert_eq!(
            callout_at(&scene, [10.0, 10.0]).map(|c| c.about),
            Some([1, 1])
        );
        assert_eq!(
            callout_at(&scene, [60.0, 30.0]).map(|c| c.about),
            Some([2, 3])
        );
        assert!(callout_at(&scene, [160.0, 30.0]).is_none());
    }

    #[test]
    fn an_edge_is_picked_near_its_line_only() {
        let edge = PictureEdge {
            from: [0.0, 0.0],
            to: [100.0, 0.0],
            width: 2.0,
            colour: [0, 0, 0, 255],
            arrow_to: false,
            arrow_from: false,
            from_radius: 5.0,
            to_radius: 5.0,
        };
        let scene = Picture {
            edges: vec![edge],
            edge_ends: vec![[3, 7]],
            ..Picture::default()
        };
        assert_eq!(edge_at(&scene, [50.0, 3.0]), Some([3, 7]));
        assert_eq!(edge_at(&scene, [50.0, 12.0]), None);
        assert_eq!(edge_at(&scene, [130.0, 0.0]), None);
    }
}
