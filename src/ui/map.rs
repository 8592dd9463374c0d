//! The actor map: nodes and edges of the current window, with pan, zoom to the cursor,
//! node dragging, hover tooltips and click to select. Widgets here only emit commands.

use eframe::egui::{
    self, Align2, Color32, CornerRadius, FontId, Pos2, Rect, Role, Sense, Shape, Stroke, Ui, Vec2,
    WidgetInfo,
};

use super::Command;
use super::document::Document;
use super::theme;
use crate::layout::{self, Point};
use crate::model::{ActorId, ActorKind, EventClass};

/// Most edges drawn in one frame (the strongest win).
const MAX_DRAWN_EDGES: usize = 30_000;

/// The camera: which world point is at the centre, and how many points one world unit is.
#[derive(Clone, Debug)]
pub struct MapView {
    pub centre: Point,
    pub zoom: f32,
    /// Fit the visible nodes to the screen on the next frame.
    pub fit_pending: bool,
}

impl Default for MapView {
    fn default() -> Self {
        Self {
            centre: [0.0, 0.0],
            zoom: 1.0,
            fit_pending: true,
        }
    }
}

impl MapView {
    fn to_screen(&self, rect: Rect, p: Point) -> Pos2 {
        rect.center() + Vec2::new(p[0] - self.centre[0], p[1] - self.centre[1]) * self.zoom
    }

    fn to_world(&self, rect: Rect, pos: Pos2) -> Point {
        let d = (pos - rect.center()) / self.zoom;
        [self.centre[0] + d.x, self.centre[1] + d.y]
    }

    /// Centres and scales so that the points fill `rect` with room for labels.
    fn fit(&mut self, rect: Rect, points: impl IntoIterator<Item = Point>) {
        let Some((lo, hi)) = layout::bounds(points) else {
            return;
        };
        self.centre = [(lo[0] + hi[0]) / 2.0, (lo[1] + hi[1]) / 2.0];
        let margin = Vec2::new(150.0, 60.0);
        let room = (rect.size() - 2.0 * margin).max(Vec2::splat(50.0));
        let span = Vec2::new((hi[0] - lo[0]).max(1.0), (hi[1] - lo[1]).max(1.0));
        self.zoom = (room.x / span.x).min(room.y / span.y).clamp(0.02, 4.0);
    }

    /// Zooms by `factor` keeping the world point under `anchor` in place.
    fn zoom_at(&mut self, rect: Rect, anchor: Pos2, factor: f32) {
        let before = self.to_world(rect, anchor);
        self.zoom = (self.zoom * factor).clamp(0.01, 20.0);
        let after = self.to_world(rect, anchor);
        self.centre[0] += before[0] - after[0];
        self.centre[1] += before[1] - after[1];
    }
}

/// Draws the map of `doc` in the remaining space of `ui`.
pub fn map_ui(
    ui: &mut Ui,
    doc: &Document,
    view: &mut MapView,
    selected: Option<ActorId>,
    commands: &mut Vec<Command>,
) {
    let rect = ui.available_rect_before_wrap();
    let background = ui.allocate_rect(rect, Sense::click_and_drag());
    let painter = ui.painter_at(rect);
    let visuals = ui.visuals().clone();
    painter.rect_filled(rect, CornerRadius::ZERO, visuals.extreme_bg_color);

    let ds = &doc.dataset;
    let counts = &doc.counts;
    let visible: Vec<ActorId> = (0..ds.actors.len() as ActorId)
        .filter(|&a| counts.actor_events[a as usize] > 0)
        .collect();

    if view.fit_pending && rect.width() > 10.0 {
        let pts: Vec<Point> = if visible.is_empty() {
            doc.positions.clone()
        } else {
            visible.iter().map(|&a| doc.positions[a as usize]).collect()
        };
        view.fit(rect, pts);
        view.fit_pending = false;
    }

    // Pan with a drag on empty space; zoom to the cursor with the wheel or a pinch.
    if background.dragged() {
        let d = background.drag_delta() / view.zoom;
        view.centre[0] -= d.x;
        view.centre[1] -= d.y;
    }
    if background.clicked() {
        commands.push(Command::Select(None));
    }
    if let Some(hover) = background.hover_pos() {
        let (scroll, pinch) = ui.input(|i| (i.smooth_scroll_delta.y, i.zoom_delta()));
        let factor = (scroll * 0.0025).exp() * pinch;
        if (factor - 1.0).abs() > 1e-4 {
            view.zoom_at(rect, hover, factor);
        }
    }

    // Zoomed far out, nodes shrink with the picture so that they do not cover each other.
    let node_scale = view.zoom.clamp(0.3, 1.0);

    // Node interaction first, so that hover highlighting is known before drawing.
    let mut hovered = None;
    let mut node_shapes = Vec::with_capacity(visible.len());
    for &a in &visible {
        let actor = ds.actors.get(a);
        let events = counts.actor_events[a as usize];
        let centre = view.to_screen(rect, doc.positions[a as usize]);
        let radius = theme::node_radius(actor.kind, events) * node_scale;
        let hit = Rect::from_center_size(centre, Vec2::splat(2.0 * radius.max(8.0)));
        if !rect.intersects(hit) {
            continue;
        }
        let response = ui.interact(
            hit,
            ui.scope_id().with(("map-node", a)),
            Sense::click_and_drag(),
        );
        let name = actor.name.clone();
        response.widget_info(|| WidgetInfo::labeled(Role::Button, true, &name));
        if response.dragged() {
            let d = response.drag_delta() / view.zoom;
            commands.push(Command::MoveNode(a, [d.x, d.y]));
        }
        if response.clicked() {
            commands.push(Command::Select(Some(a)));
        }
        if response.hovered() {
            hovered = Some(a);
        }
        let response = response.on_hover_ui(|ui| {
            ui.strong(&actor.name);
            let country = actor
                .affiliation
                .map(|c| format!(", {}", ds.actors.get(c).name))
                .unwrap_or_default();
            ui.label(format!("{}{country}", actor.kind.label()));
            ui.label(format!(
                "{events} event{} in the window",
                if events == 1 { "" } else { "s" }
            ));
        });
        if response.dragged() || response.hovered() {
            ui.ctx().set_cursor_icon(egui::CursorIcon::PointingHand);
        }
        node_shapes.push((a, centre, radius));
    }

    if doc.grouped {
        paint_group_halos(&painter, doc, view, rect, &visible, &visuals);
    }

    let focus = hovered.or(selected);
    let neighbours_of_focus = |p: (ActorId, ActorId)| focus.is_none_or(|f| p.0 == f || p.1 == f);

    // Edges: width by count, colour by the dominant class; dimmed when another actor has focus.
    // Past MAX_DRAWN_EDGES on screen only the strongest are drawn (and the focused actor's):
    // beyond that the picture is a solid mass anyway and the frame time grows with each line.
    let mut edges: Vec<(u32, usize, Pos2, Pos2)> = Vec::new();
    for (pair, &(a, b)) in ds.pairs.iter().enumerate() {
        let n = counts.pair_events[pair];
        if n == 0 {
            continue;
        }
        let (pa, pb) = (
            view.to_screen(rect, doc.positions[a as usize]),
            view.to_screen(rect, doc.positions[b as usize]),
        );
        if !rect.intersects(Rect::from_two_pos(pa, pb)) {
            continue;
        }
        let boost = if focus.is_some() && neighbours_of_focus((a, b)) {
            u32::MAX / 2
        } else {
            0
        };
        edges.push((n.saturating_add(boost), pair, pa, pb));
    }
    if edges.len() > MAX_DRAWN_EDGES {
        edges.select_nth_unstable_by(MAX_DRAWN_EDGES, |x, y| y.0.cmp(&x.0));
        edges.truncate(MAX_DRAWN_EDGES);
    }
    for &(_, pair, pa, pb) in &edges {
        let (a, b) = ds.pairs[pair];
        let mut colour = theme::class_colour(theme::dominant_class(&counts.pair_classes[pair]));
        if !neighbours_of_focus((a, b)) {
            colour = colour.gamma_multiply(0.25);
        }
        let width = theme::edge_width(counts.pair_events[pair]) * (view.zoom * 2.0).clamp(0.4, 1.0);
        painter.line_segment([pa, pb], Stroke::new(width, colour));
    }

    // Actors that share an event in the window with the focused one stay bright.
    let mut linked_to_focus = vec![false; ds.actors.len()];
    if let Some(f) = focus {
        linked_to_focus[f as usize] = true;
        for (pair, &(x, y)) in ds.pairs.iter().enumerate() {
            if counts.pair_events[pair] > 0 && (x == f || y == f) {
                linked_to_focus[(x ^ y ^ f) as usize] = true;
            }
        }
    }

    // Nodes.
    let outline = Stroke::new(1.5, visuals.extreme_bg_color);
    for &(a, centre, radius) in &node_shapes {
        let actor = ds.actors.get(a);
        let mut fill = theme::kind_colour(actor.kind);
        if focus.is_some() && !linked_to_focus[a as usize] {
            fill = fill.gamma_multiply(0.45);
        }
        paint_node(&painter, actor.kind, centre, radius, fill, outline);
        if selected == Some(a) {
            painter.circle_stroke(
                centre,
                radius + 4.0,
                Stroke::new(2.5, visuals.selection.stroke.color),
            );
        }
    }

    paint_labels(ui, &painter, doc, view, rect, &node_shapes, focus, selected);
    legend_ui(ui, doc, rect);

    if visible.is_empty() {
        painter.text(
            rect.center(),
            Align2::CENTER_CENTER,
            "No events in the chosen time window",
            FontId::proportional(16.0),
            visuals.weak_text_color(),
        );
    }
}

/// A faint disc behind each country and the visible actors that belong to it, so that the
/// groups read as groups even where their rings come close.
fn paint_group_halos(
    painter: &egui::Painter,
    doc: &Document,
    view: &MapView,
    rect: Rect,
    visible: &[ActorId],
    visuals: &egui::Visuals,
) {
    let ds = &doc.dataset;
    let mut reach: Vec<f32> = vec![0.0; ds.actors.len()];
    let mut has_members = vec![false; ds.actors.len()];
    for &a in visible {
        let root = layout::group_root(ds, a);
        if root == a {
            continue;
        }
        let (p, c) = (doc.positions[a as usize], doc.positions[root as usize]);
        let d = ((p[0] - c[0]).powi(2) + (p[1] - c[1]).powi(2)).sqrt() * view.zoom;
        reach[root as usize] = reach[root as usize].max(d);
        has_members[root as usize] = true;
    }
    let tint = if visuals.dark_mode {
        Color32::from_rgba_unmultiplied(90, 130, 200, 22)
    } else {
        Color32::from_rgba_unmultiplied(47, 93, 158, 18)
    };
    let edge = Stroke::new(1.0, tint.gamma_multiply(2.5));
    for (root, &members) in has_members.iter().enumerate() {
        if !members {
            continue;
        }
        let centre = view.to_screen(rect, doc.positions[root]);
        painter.circle(centre, reach[root] + 26.0, tint, edge);
    }
}

fn paint_node(
    painter: &egui::Painter,
    kind: ActorKind,
    c: Pos2,
    r: f32,
    fill: Color32,
    outline: Stroke,
) {
    match kind {
        ActorKind::Organisation => {
            let rect = Rect::from_center_size(c, Vec2::splat(1.8 * r));
            painter.rect(
                rect,
                CornerRadius::same(3),
                fill,
                outline,
                egui::StrokeKind::Outside,
            );
        }
        ActorKind::Group => {
            let pts = vec![
                c + Vec2::new(0.0, -1.2 * r),
                c + Vec2::new(1.2 * r, 0.0),
                c + Vec2::new(0.0, 1.2 * r),
                c + Vec2::new(-1.2 * r, 0.0),
            ];
            painter.add(Shape::convex_polygon(pts, fill, outline));
        }
        _ => {
            painter.circle(c, r, fill, outline);
        }
    }
}

/// Labels placed away from their group's centre, most important first; a label that would
/// overlap one already placed is left out (hovered and selected ones are always shown).
#[allow(clippy::too_many_arguments)]
fn paint_labels(
    ui: &Ui,
    painter: &egui::Painter,
    doc: &Document,
    view: &MapView,
    rect: Rect,
    nodes: &[(ActorId, Pos2, f32)],
    focus: Option<ActorId>,
    selected: Option<ActorId>,
) {
    let ds = &doc.dataset;
    let visuals = ui.visuals();
    let mut order: Vec<usize> = (0..nodes.len()).collect();
    let priority = |i: usize| {
        let (a, _, _) = nodes[i];
        let forced = Some(a) == focus || Some(a) == selected;
        let country = ds.actors.get(a).kind == ActorKind::Country;
        (forced, country, doc.counts.actor_events[a as usize])
    };
    order.sort_by_key(|&i| std::cmp::Reverse(priority(i)));
    // Labels give way to labels only: in a dense centre the important names still show, on
    // their halo, over small nodes.
    let mut placed: Vec<Rect> = Vec::new();
    for i in order.into_iter().take(400) {
        let (a, centre, radius) = nodes[i];
        let actor = ds.actors.get(a);
        let forced = Some(a) == focus || Some(a) == selected;
        let root = layout::group_root(ds, a);
        let (anchor, align) = if root == a {
            (centre + Vec2::new(0.0, radius + 3.0), Align2::CENTER_TOP)
        } else {
            let from = view.to_screen(rect, doc.positions[root as usize]);
            let dir = (centre - from).normalized();
            let align = if dir.x > 0.35 {
                Align2::LEFT_CENTER
            } else if dir.x < -0.35 {
                Align2::RIGHT_CENTER
            } else if dir.y > 0.0 {
                Align2::CENTER_TOP
            } else {
                Align2::CENTER_BOTTOM
            };
            (centre + dir * (radius + 4.0), align)
        };
        let size = if actor.kind == ActorKind::Country {
            15.0
        } else {
            13.0
        };
        let colour = visuals.strong_text_color();
        let galley = painter.layout_no_wrap(actor.name.clone(), FontId::proportional(size), colour);
        let text_rect = align.anchor_size(anchor, galley.size());
        let clashes = placed.iter().any(|r| r.intersects(text_rect.shrink(1.0)));
        if clashes && !forced {
            continue;
        }
        let halo = visuals.extreme_bg_color.gamma_multiply(0.8);
        painter.rect_filled(text_rect.expand(2.0), CornerRadius::same(3), halo);
        painter.galley(text_rect.min, galley, colour);
        placed.push(text_rect.expand(2.0));
    }
}

/// A small key in the map's lower-left corner: node kinds and the edge classes present.
fn legend_ui(ui: &Ui, doc: &Document, rect: Rect) {
    let painter = ui.painter_at(rect);
    let visuals = ui.visuals();
    let ds = &doc.dataset;
    let mut kinds: Vec<ActorKind> = ActorKind::ALL
        .into_iter()
        .filter(|k| ds.actors.iter().any(|(_, a)| a.kind == *k))
        .collect();
    kinds.dedup();
    let classes: Vec<EventClass> = EventClass::ALL
        .into_iter()
        .filter(|c| doc.has_class(*c))
        .collect();
    let line_h = 18.0;
    let rows = kinds.len() + classes.len();
    let height = rows as f32 * line_h + 12.0;
    let frame = Rect::from_min_size(
        Pos2::new(rect.left() + 10.0, rect.bottom() - height - 10.0),
        Vec2::new(190.0, height),
    );
    painter.rect(
        frame,
        CornerRadius::same(4),
        visuals.panel_fill.gamma_multiply(0.92),
        Stroke::new(1.0, visuals.widgets.noninteractive.bg_stroke.color),
        egui::StrokeKind::Inside,
    );
    let mut y = frame.top() + 6.0 + line_h / 2.0;
    let text_colour = visuals.text_color();
    let font = FontId::proportional(12.5);
    for kind in kinds {
        let c = Pos2::new(frame.left() + 16.0, y);
        paint_node(
            &painter,
            kind,
            c,
            5.5,
            theme::kind_colour(kind),
            Stroke::NONE,
        );
        painter.text(
            c + Vec2::new(14.0, 0.0),
            Align2::LEFT_CENTER,
            kind.label(),
            font.clone(),
            text_colour,
        );
        y += line_h;
    }
    for class in classes {
        let c = Pos2::new(frame.left() + 16.0, y);
        painter.line_segment(
            [c - Vec2::new(8.0, 0.0), c + Vec2::new(8.0, 0.0)],
            Stroke::new(3.0, theme::class_colour(class)),
        );
        painter.text(
            c + Vec2::new(14.0, 0.0),
            Align2::LEFT_CENTER,
            class.label(),
            font.clone(),
            text_colour,
        );
        y += line_h;
    }
}
