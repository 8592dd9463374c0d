//! A [`Scene`] as a standalone SVG 1.1 document, one user unit per point of the scene.
//!
//! Written for resvg (the PNG export) and for browsers and slide tools alike: alpha as
//! `fill-opacity`/`stroke-opacity` rather than `rgba()`, arrow heads as plain triangles rather
//! than markers, text placed by its baseline (computed from the bundled font's metrics, which
//! measured the labels) rather than by `dominant-baseline`. Coordinates carry one decimal.

use std::fmt::{self, Display, Write};

use super::callouts::{CALLOUT_PADDING, Callout, NoteMark, note_mark_lines};
use super::font::{self, FONT_FAMILY};
use super::picture::{
    Legend, LegendMark, NodeShape, Picture, PictureEdge, PictureLabel, PictureNode, PictureStrip,
    Rgba, ScreenPoint,
};

/// Width of the world outline's border, in points.
const OUTLINE_STROKE_WIDTH: f32 = 0.6;
/// Width of a halo's border, in points.
const HALO_STROKE_WIDTH: f32 = 1.0;
/// The selection ring: width, and gap from the node's radius to the ring's centre line.
const RING_WIDTH: f32 = 2.5;
const RING_GAP: f32 = 4.0;
/// The pin mark: a dark dot with a light rim at the node's top-right.
const PIN_FILL: Rgba = [31, 35, 40, 255];
const PIN_RIM: Rgba = [255, 255, 255, 255];

/// The document for `scene`, back to front: background, outline, halos, edges, nodes, badges,
/// labels, legend, caption, empty message; each layer a `<g>` with an id.
pub fn to_svg(scene: &Picture) -> String {
    to_svg_at(scene, 1.0)
}

/// [`to_svg`] for a picture `scale` times the scene's point size: the document's width and
/// height are scaled, its drawing (the view box) is not.
pub fn to_svg_at(scene: &Picture, scale: f32) -> String {
    let points: usize = scene.outline.iter().map(Vec::len).sum();
    let mut out = String::with_capacity(
        1024 + points * 10
            + scene.edges.len() * 90
            + scene.nodes.len() * 110
            + scene.labels.len() * 150,
    );
    write_document(&mut out, scene, scale).expect("writing to a String cannot fail");
    out
}

fn write_document(out: &mut String, scene: &Picture, scale: f32) -> fmt::Result {
    let (w, h) = (N(scene.width), N(scene.height));
    let (pw, ph) = (N(scene.width * scale), N(scene.height * scale));
    writeln!(out, r#"<?xml version="1.0" encoding="UTF-8"?>"#)?;
    writeln!(
        out,
        r#"<svg xmlns="http://www.w3.org/2000/svg" version="1.1" width="{pw}" height="{ph}" viewBox="0 0 {w} {h}" font-family="'{FONT_FAMILY}', sans-serif">"#
    )?;
    if scene.background[3] > 0 {
        write!(out, r#"<rect id="background" width="{w}" height="{h}""#)?;
        paint(out, "fill", scene.background)?;
        writeln!(out, "/>")?;
    }
    write_outline(out, scene)?;

    if !scene.halos.is_empty() {
        writeln!(
            out,
            r#"<g id="halos" stroke-width="{}">"#,
            N(HALO_STROKE_WIDTH)
        )?;
        for halo in &scene.halos {
            let [x, y] = halo.centre;
            write!(
                out,
                r#"<circle cx="{}" cy="{}" r="{}""#,
                N(x),
                N(y),
                N(halo.radius)
            )?;
            paint(out, "fill", halo.fill)?;
            paint(out, "stroke", halo.stroke)?;
            writeln!(out, "/>")?;
        }
        writeln!(out, "</g>")?;
    }

    if !scene.edges.is_empty() {
        writeln!(out, r#"<g id="edges" stroke-linecap="round">"#)?;
        for edge in &scene.edges {
            write_edge(out, edge)?;
        }
        writeln!(out, "</g>")?;
    }

    if !scene.nodes.is_empty() {
        writeln!(out, r#"<g id="nodes">"#)?;
        for node in &scene.nodes {
            write_node(out, node)?;
        }
        writeln!(out, "</g>")?;
    }

    if scene.nodes.iter().any(|n| n.badge.is_some()) {
        writeln!(
            out,
            r#"<g id="badges" font-weight="bold" text-anchor="middle" xml:space="preserve">"#
        )?;
        for node in &scene.nodes {
            let Some(badge) = &node.badge else { continue };
            let size = (0.8 * node.radius).clamp(7.0, 14.0);
            let [x, y] = node.centre;
            let baseline = y - font::line_height(size) / 2.0 + font::ascent(size);
            write!(
                out,
                r#"<text x="{}" y="{}" font-size="{}""#,
                N(x),
                N(baseline),
                N(size)
            )?;
            paint(out, "fill", node.badge_colour)?;
            writeln!(out, ">{}</text>", Esc(badge))?;
        }
        writeln!(out, "</g>")?;
    }

    if !scene.note_marks.is_empty() {
        writeln!(out, r#"<g id="note-marks">"#)?;
        for mark in &scene.note_marks {
            write_note_mark(out, mark)?;
        }
        writeln!(out, "</g>")?;
    }

    if !scene.labels.is_empty() {
        writeln!(out, r#"<g id="labels" xml:space="preserve">"#)?;
        for label in &scene.labels {
            write_label(out, label)?;
        }
        writeln!(out, "</g>")?;
    }
    if !scene.callouts.is_empty() {
        writeln!(out, r#"<g id="callouts" xml:space="preserve">"#)?;
        for callout in &scene.callouts {
            write_callout(out, callout)?;
        }
        writeln!(out, "</g>")?;
    }
    if let Some(legend) = &scene.legend {
        write_legend(out, legend)?;
    }
    for (id, label) in [
        ("caption", &scene.caption),
        ("empty-message", &scene.empty_message),
    ] {
        if let Some(label) = label {
            writeln!(out, r#"<g id="{id}" xml:space="preserve">"#)?;
            write_label(out, label)?;
            writeln!(out, "</g>")?;
        }
    }
    if let Some(strip) = &scene.strip {
        write_strip(out, strip)?;
    }
    writeln!(out, "</svg>")
}

/// The strip's rectangles (square corners, a 1-point border where it has one), then its
/// labels.
fn write_strip(out: &mut String, strip: &PictureStrip) -> fmt::Result {
    writeln!(out, r#"<g id="strip" xml:space="preserve">"#)?;
    for rect in &strip.rects {
        write!(
            out,
            r#"<rect x="{}" y="{}" width="{}" height="{}""#,
            N(rect.min[0]),
            N(rect.min[1]),
            N(rect.size[0]),
            N(rect.size[1])
        )?;
        paint(out, "fill", rect.fill)?;
        if rect.stroke[3] > 0 {
            paint(out, "stroke", rect.stroke)?;
            out.push_str(r#" stroke-width="1""#);
        }
        writeln!(out, "/>")?;
    }
    for label in &strip.labels {
        write_label(out, label)?;
    }
    writeln!(out, "</g>")
}

/// All rings as one path, even-odd so that a ring inside another (a lake, an enclave drawn as
/// a hole and again as its own country) comes out right.
fn write_outline(out: &mut String, scene: &Picture) -> fmt::Result {
    let mut d = String::new();
    let mut ring_pts: Vec<(i64, i64)> = Vec::new();
    for ring in &scene.outline {
        ring_pts.clear();
        for p in ring {
            let q = (tenths(p[0]), tenths(p[1]));
            if ring_pts.last() != Some(&q) {
                ring_pts.push(q);
            }
        }
        while ring_pts.len() > 1 && ring_pts.first() == ring_pts.last() {
            ring_pts.pop();
        }
        if ring_pts.len() < 3 {
            continue;
        }
        for (i, &(x, y)) in ring_pts.iter().enumerate() {
            let cmd = match i {
                0 => "M",
                1 => "L",
                _ => " ",
            };
            write!(d, "{cmd}{} {}", T(x), T(y))?;
        }
        d.push('Z');
    }
    if d.is_empty() {
        return Ok(());
    }
    write!(
        out,
        r#"<path id="outline" fill-rule="evenodd" stroke-width="{}" stroke-linejoin="round""#,
        N(OUTLINE_STROKE_WIDTH)
    )?;
    paint(out, "fill", scene.outline_fill)?;
    paint(out, "stroke", scene.outline_stroke)?;
    writeln!(out, r#" d="{d}"/>"#)
}

/// Length of an arrow head along the edge for an edge `width` points wide.
fn arrow_length(width: f32) -> f32 {
    (3.0 * width).max(6.0)
}

/// A line with round caps, and a filled triangle at each end that has an arrow, its tip on the
/// node's rim. The line stops inside the triangle so its cap does not poke past the tip; a
/// translucent edge with heads is drawn opaque inside a group with the edge's opacity, so that
/// where line and head overlap it is not darker.
fn write_edge(out: &mut String, edge: &PictureEdge) -> fmt::Result {
    let w = edge.width;
    if w.is_nan() || w < 0.05 || edge.colour[3] == 0 {
        return Ok(());
    }
    let (dx, dy) = (edge.to[0] - edge.from[0], edge.to[1] - edge.from[1]);
    let len = (dx * dx + dy * dy).sqrt();
    let head = arrow_length(w);
    let heads = usize::from(edge.arrow_to) + usize::from(edge.arrow_from);
    // Room between the two rims; without room for the heads they are left out.
    let room = len - edge.from_radius.max(0.0) - edge.to_radius.max(0.0);
    let with_heads = heads > 0 && len.is_finite() && len > 0.0 && room > head * heads as f32;
    let mut colour = edge.colour;
    if !with_heads {
        return write_line(out, edge.from, edge.to, w, colour);
    }
    let u = [dx / len, dy / len];
    let translucent = colour[3] < 255;
    if translucent {
        writeln!(out, r#"<g opacity="{}">"#, Opacity(colour[3]))?;
        colour[3] = 255;
    }
    let (mut a, mut b) = (edge.from, edge.to);
    let inset = 0.6 * head;
    if edge.arrow_to {
        let tip = along(edge.to, u, -edge.to_radius.max(0.0));
        b = along(tip, u, -inset);
        write_head(out, tip, u, head, colour)?;
    }
    if edge.arrow_from {
        let tip = along(edge.from, u, edge.from_radius.max(0.0));
        a = along(tip, u, inset);
        write_head(out, tip, [-u[0], -u[1]], head, colour)?;
    }
    write_line(out, a, b, w, colour)?;
    if translucent {
        writeln!(out, "</g>")?;
    }
    Ok(())
}

fn along(p: ScreenPoint, u: [f32; 2], t: f32) -> ScreenPoint {
    [p[0] + u[0] * t, p[1] + u[1] * t]
}

fn write_line(out: &mut String, a: ScreenPoint, b: ScreenPoint, w: f32, c: Rgba) -> fmt::Result {
    write!(
        out,
        r#"<line x1="{}" y1="{}" x2="{}" y2="{}" stroke-width="{}""#,
        N(a[0]),
        N(a[1]),
        N(b[0]),
        N(b[1]),
        N(w)
    )?;
    paint(out, "stroke", c)?;
    writeln!(out, "/>")
}

/// A triangle with its tip at `tip`, pointing along `u` (unit), `length` long.
fn write_head(
    out: &mut String,
    tip: ScreenPoint,
    u: [f32; 2],
    length: f32,
    c: Rgba,
) -> fmt::Result {
    let base = along(tip, u, -length);
    let half = 0.45 * length;
    let n = [-u[1] * half, u[0] * half];
    write!(
        out,
        r#"<polygon points="{},{} {},{} {},{}""#,
        N(tip[0]),
        N(tip[1]),
        N(base[0] + n[0]),
        N(base[1] + n[1]),
        N(base[0] - n[0]),
        N(base[1] - n[1])
    )?;
    paint(out, "fill", c)?;
    writeln!(out, "/>")
}

fn write_node(out: &mut String, node: &PictureNode) -> fmt::Result {
    let stroke =
        (node.stroke_width > 0.0 && node.stroke[3] > 0).then_some((node.stroke, node.stroke_width));
    write_shape(out, node.shape, node.centre, node.radius, node.fill, stroke)?;
    let [x, y] = node.centre;
    if let Some(ring) = node.ring {
        write!(
            out,
            r#"<circle cx="{}" cy="{}" r="{}" fill="none" stroke-width="{}""#,
            N(x),
            N(y),
            N(node.radius + RING_GAP),
            N(RING_WIDTH)
        )?;
        paint(out, "stroke", ring)?;
        writeln!(out, "/>")?;
    }
    if node.pinned {
        let off = 0.72 * node.radius;
        write!(
            out,
            r#"<circle cx="{}" cy="{}" r="{}" stroke-width="1""#,
            N(x + off),
            N(y - off),
            N((0.25 * node.radius).clamp(2.0, 4.0))
        )?;
        paint(out, "fill", PIN_FILL)?;
        paint(out, "stroke", PIN_RIM)?;
        writeln!(out, "/>")?;
    }
    Ok(())
}

/// A node's shape as [`NodeShape`] describes it.
fn write_shape(
    out: &mut String,
    shape: NodeShape,
    [x, y]: ScreenPoint,
    r: f32,
    fill: Rgba,
    stroke: Option<(Rgba, f32)>,
) -> fmt::Result {
    match shape {
        NodeShape::Circle => write!(out, r#"<circle cx="{}" cy="{}" r="{}""#, N(x), N(y), N(r))?,
        NodeShape::Square => {
            let s = 0.9 * r;
            write!(
                out,
                r#"<rect x="{}" y="{}" width="{}" height="{}" rx="{}""#,
                N(x - s),
                N(y - s),
                N(2.0 * s),
                N(2.0 * s),
                N((0.35 * s).min(3.0))
            )?;
        }
        NodeShape::Diamond => {
            let d = 1.2 * r;
            write!(
                out,
                r#"<polygon points="{},{} {},{} {},{} {},{}""#,
                N(x),
                N(y - d),
                N(x + d),
                N(y),
                N(x),
                N(y + d),
                N(x - d),
                N(y)
            )?;
        }
    }
    paint(out, "fill", fill)?;
    if let Some((colour, width)) = stroke {
        paint(out, "stroke", colour)?;
        write!(out, r#" stroke-width="{}""#, N(width))?;
    }
    writeln!(out, "/>")
}

/// A note sheet: a rounded square with two lines of "text" across it.
fn write_note_mark(out: &mut String, mark: &NoteMark) -> fmt::Result {
    let [x, y] = mark.centre;
    let half = mark.size / 2.0;
    write!(
        out,
        r#"<rect x="{}" y="{}" width="{}" height="{}" rx="1.5" stroke-width="1""#,
        N(x - half),
        N(y - half),
        N(mark.size),
        N(mark.size)
    )?;
    paint(out, "fill", mark.fill)?;
    paint(out, "stroke", mark.stroke)?;
    writeln!(out, "/>")?;
    for [a, b] in note_mark_lines(mark) {
        write!(
            out,
            r#"<line x1="{}" y1="{}" x2="{}" y2="{}" stroke-width="1""#,
            N(a[0]),
            N(a[1]),
            N(b[0]),
            N(b[1])
        )?;
        paint(out, "stroke", mark.stroke)?;
        writeln!(out, "/>")?;
    }
    Ok(())
}

/// The leader line, then the box, then the lines of text (each vertically centred in its
/// `line_height`, as labels are), in a group titled with the whole note.
fn write_callout(out: &mut String, callout: &Callout) -> fmt::Result {
    // The whole note as the group's title: a browser shows it on hover.
    writeln!(out, "<g><title>{}</title>", Esc(&callout.text))?;
    let [a, b] = callout.leader;
    write!(
        out,
        r#"<line x1="{}" y1="{}" x2="{}" y2="{}" stroke-width="1.2""#,
        N(a[0]),
        N(a[1]),
        N(b[0]),
        N(b[1])
    )?;
    paint(out, "stroke", callout.stroke)?;
    writeln!(out, "/>")?;
    let [x, y] = callout.min;
    write!(
        out,
        r#"<rect x="{}" y="{}" width="{}" height="{}" rx="3" stroke-width="1""#,
        N(x),
        N(y),
        N(callout.size[0]),
        N(callout.size[1])
    )?;
    paint(out, "fill", callout.fill)?;
    paint(out, "stroke", callout.stroke)?;
    writeln!(out, "/>")?;
    let size = callout.font_size;
    for (i, line) in callout.lines.iter().enumerate() {
        let top = y + CALLOUT_PADDING + i as f32 * callout.line_height;
        let baseline =
            top + (callout.line_height - font::line_height(size)) / 2.0 + font::ascent(size);
        write_text(
            out,
            [x + CALLOUT_PADDING, baseline],
            size,
            false,
            callout.text_colour,
            line,
        )?;
    }
    writeln!(out, "</g>")
}

/// The halo box (2 points larger all round) and the text, its baseline placed so that the line
/// sits vertically centred in the measured box (at its top when the box is one line high).
fn write_label(out: &mut String, label: &PictureLabel) -> fmt::Result {
    let [x, y] = label.min;
    let [w, h] = label.size;
    if label.halo[3] > 0 {
        write!(
            out,
            r#"<rect x="{}" y="{}" width="{}" height="{}" rx="3""#,
            N(x - 2.0),
            N(y - 2.0),
            N(w + 4.0),
            N(h + 4.0)
        )?;
        paint(out, "fill", label.halo)?;
        writeln!(out, "/>")?;
    }
    if label.text.is_empty() || label.colour[3] == 0 {
        return Ok(());
    }
    let size = label.font_size;
    let baseline = y + (h - font::line_height(size)) / 2.0 + font::ascent(size);
    write_text(
        out,
        [x, baseline],
        size,
        label.bold,
        label.colour,
        &label.text,
    )
}

fn write_text(
    out: &mut String,
    [x, baseline]: ScreenPoint,
    size: f32,
    bold: bool,
    colour: Rgba,
    text: &str,
) -> fmt::Result {
    write!(
        out,
        r#"<text x="{}" y="{}" font-size="{}""#,
        N(x),
        N(baseline),
        N(size)
    )?;
    if bold {
        out.push_str(r#" font-weight="bold""#);
    }
    paint(out, "fill", colour)?;
    writeln!(out, ">{}</text>", Esc(text))
}

/// The key: a rounded box, then per row a mark centred 16 points from the left edge and its
/// text 14 points right of the mark's centre, rows `row_height` high from 6 points below the
/// top.
fn write_legend(out: &mut String, legend: &Legend) -> fmt::Result {
    let [x, y] = legend.min;
    writeln!(out, r#"<g id="legend" xml:space="preserve">"#)?;
    write!(
        out,
        r#"<rect x="{}" y="{}" width="{}" height="{}" rx="4" stroke-width="1""#,
        N(x),
        N(y),
        N(legend.size[0]),
        N(legend.size[1])
    )?;
    paint(out, "fill", legend.fill)?;
    paint(out, "stroke", legend.stroke)?;
    writeln!(out, "/>")?;
    let size = legend.font_size;
    for (i, entry) in legend.entries.iter().enumerate() {
        let cy = y + 6.0 + legend.row_height * (i as f32 + 0.5);
        let cx = x + 16.0;
        match entry.mark {
            LegendMark::Node(shape, fill) => write_shape(out, shape, [cx, cy], 5.5, fill, None)?,
            LegendMark::Line(colour) => write_line_butt(out, cx, cy, colour)?,
        }
        if !entry.label.is_empty() {
            let baseline = cy - font::line_height(size) / 2.0 + font::ascent(size);
            write_text(
                out,
                [cx + 14.0, baseline],
                size,
                false,
                legend.text_colour,
                &entry.label,
            )?;
        }
    }
    writeln!(out, "</g>")
}

/// The legend's line mark: 16 points long, 3 wide, square ends.
fn write_line_butt(out: &mut String, cx: f32, cy: f32, colour: Rgba) -> fmt::Result {
    write!(
        out,
        r#"<line x1="{}" y1="{}" x2="{}" y2="{}" stroke-width="3""#,
        N(cx - 8.0),
        N(cy),
        N(cx + 8.0),
        N(cy)
    )?;
    paint(out, "stroke", colour)?;
    writeln!(out, "/>")
}

/// ` fill="#rrggbb"` plus ` fill-opacity` when translucent, or ` fill="none"` when invisible.
fn paint(out: &mut String, property: &str, [r, g, b, a]: Rgba) -> fmt::Result {
    if a == 0 {
        return write!(out, r#" {property}="none""#);
    }
    write!(out, r##" {property}="#{r:02x}{g:02x}{b:02x}""##)?;
    if a < 255 {
        write!(out, r#" {property}-opacity="{}""#, Opacity(a))?;
    }
    Ok(())
}

/// A coordinate in tenths of a point, rounded.
fn tenths(v: f32) -> i64 {
    if v.is_finite() {
        (f64::from(v) * 10.0).round() as i64
    } else {
        0
    }
}

/// A number written with at most one decimal ("12", "-3.5"); not finite as 0.
struct N(f32);

impl Display for N {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        T(tenths(self.0)).fmt(f)
    }
}

/// A number of tenths written as a decimal ("125" → "12.5", "-30" → "-3").
struct T(i64);

impl Display for T {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let sign = if self.0 < 0 { "-" } else { "" };
        let a = self.0.unsigned_abs();
        match a % 10 {
            0 => write!(f, "{sign}{}", a / 10),
            d => write!(f, "{sign}{}.{d}", a / 10),
        }
    }
}

/// An alpha byte as an opacity between 0 and 1 with at most three decimals.
struct Opacity(u8);

impl Display for Opacity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let milli = (u32::from(self.0) * 1000 + 127) / 255;
        match milli {
            1000 => f.write_str("1"),
            0 => f.write_str("0"),
            m => {
                let digits = format!("{m:03}");
                write!(f, "0.{}", digits.trim_end_matches('0'))
            }
        }
    }
}

/// Text content for XML: `&`, `<`, `>` and quotes escaped, characters XML 1.0 does not allow
/// (control characters other than tab and newline, U+FFFE, U+FFFF) left out.
struct Esc<'a>(&'a str);

impl Display for Esc<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let s = self.0;
        let mut start = 0;
        for (i, c) in s.char_indices() {
            let rep = match c {
                '&' => "&amp;",
                '<' => "&lt;",
                '>' => "&gt;",
                '"' => "&quot;",
                '\'' => "&apos;",
                '\t' | '\n' => continue,
                c if c < ' ' || c == '\u{FFFE}' || c == '\u{FFFF}' => "",
                _ => continue,
            };
            f.write_str(&s[start..i])?;
            f.write_str(rep)?;
            start = i + c.len_utf8();
        }
        f.write_str(&s[start..])
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::export::picture::{
        LegendEntry, PictureEdge, PictureHalo, PictureLabel, PictureNode,
    };

    /// One of each element on a 400 × 300 picture. The circle node at (300, 150), radius 20,
    /// is filled pure red; the label "Belarus – Беларусь" sits in a box at (40, 40).
    pub(crate) fn sample_scene() -> Picture {
        let label_text = "Belarus – Беларусь".to_string();
        let label_size = 16.0;
        let label_box = [
            font::text_width(&label_text, label_size, true),
            font::line_height(label_size),
        ];
        let node = |actor, centre, radius, shape, fill| PictureNode {
            actor,
            centre,
            radius,
            shape,
            fill,
            stroke: [255, 255, 255, 255],
            stroke_width: 1.5,
            badge: None,
            badge_colour: [255, 255, 255, 255],
            ring: None,
            pinned: false,
        };
        let label = |text: &str, min, size: [f32; 2], font_size, bold, halo| PictureLabel {
            text: text.to_string(),
            min,
            size,
            font_size,
            colour: [20, 20, 30, 255],
            halo,
            bold,
        };
        Picture {
            width: 400.0,
            height: 300.0,
            background: [250, 250, 247, 255],
            outline: vec![
                vec![[10.0, 200.0], [120.0, 190.0], [140.0, 280.0], [20.0, 290.0]],
                vec![[50.0, 230.0], [80.0, 230.0], [80.0, 260.0], [50.0, 260.0]],
            ],
            outline_fill: [220, 224, 230, 255],
            outline_stroke: [170, 175, 185, 255],
            outline_triangles: &[],
            edge_ends: Vec::new(),
            note_marks: Vec::new(),
            callouts: Vec::new(),
            halos: vec![PictureHalo {
                centre: [300.0, 150.0],
                radius: 70.0,
                fill: [47, 93, 158, 18],
                stroke: [47, 93, 158, 45],
            }],
            edges: vec![
                PictureEdge {
                    from: [150.0, 150.0],
                    to: [300.0, 150.0],
                    width: 3.0,
                    colour: [40, 120, 200, 200],
                    arrow_to: true,
                    arrow_from: false,
                    from_radius: 12.0,
                    to_radius: 20.0,
                },
                PictureEdge {
                    from: [150.0, 150.0],
                    to: [300.0, 80.0],
                    width: 1.0,
                    colour: [200, 80, 40, 255],
                    arrow_to: true,
                    arrow_from: true,
                    from_radius: 12.0,
                    to_radius: 10.0,
                },
            ],
            nodes: vec![
                PictureNode {
                    badge: Some("BLR".into()),
                    ring: Some([255, 170, 0, 255]),
                    ..node(0, [300.0, 150.0], 20.0, NodeShape::Circle, [255, 0, 0, 255])
                },
                PictureNode {
                    pinned: true,
                    ..node(
                        1,
                        [150.0, 150.0],
                        12.0,
                        NodeShape::Square,
                        [60, 160, 90, 255],
                    )
                },
                node(
                    2,
                    [300.0, 80.0],
                    10.0,
                    NodeShape::Diamond,
                    [150, 90, 200, 255],
                ),
            ],
            labels: vec![label(
                &label_text,
                [40.0, 40.0],
                label_box,
                label_size,
                true,
                [255, 255, 255, 200],
            )],
            legend: Some(Legend {
                min: [240.0, 222.0],
                size: [150.0, 68.0],
                fill: [255, 255, 255, 235],
                stroke: [190, 190, 190, 255],
                text_colour: [30, 30, 30, 255],
                font_size: 12.5,
                row_height: 18.0,
                entries: vec![
                    LegendEntry {
                        mark: LegendMark::Node(NodeShape::Circle, [255, 0, 0, 255]),
                        label: "Country".into(),
                    },
                    LegendEntry {
                        mark: LegendMark::Node(NodeShape::Diamond, [150, 90, 200, 255]),
                        label: "Group".into(),
                    },
                    LegendEntry {
                        mark: LegendMark::Line([40, 120, 200, 255]),
                        label: "Cooperation".into(),
                    },
                ],
            }),
            caption: Some(label(
                "March 2024 – May 2025",
                [140.0, 6.0],
                [120.0, font::line_height(12.0)],
                12.0,
                false,
                [0, 0, 0, 0],
            )),
            empty_message: Some(label(
                "Nothing <here> & \"there\"",
                [120.0, 110.0],
                [160.0, font::line_height(12.0)],
                12.0,
                false,
                [0, 0, 0, 0],
            )),
            strip: None,
            edges_in_view: 0,
        }
    }

    #[test]
    fn sample_scene_is_valid_svg_with_every_layer() {
        let svg = to_svg(&sample_scene());
        let tree = resvg::usvg::Tree::from_str(&svg, &resvg::usvg::Options::default())
            .unwrap_or_else(|e| panic!("{e}\n{svg}"));
        assert_eq!(tree.size().width(), 400.0);
        assert_eq!(tree.size().height(), 300.0);
        for id in [
            "background",
            "outline",
            "halos",
            "edges",
            "nodes",
            "badges",
            "labels",
            "legend",
            "caption",
            "empty-message",
        ] {
            assert!(svg.contains(&format!("id=\"{id}\"")), "no layer {id}");
        }
        assert!(svg.contains(">Belarus – Беларусь</text>"));
        assert!(svg.contains(">BLR</text>"));
        assert!(svg.contains(r#"fill-rule="evenodd""#));
        assert!(svg.contains("M10 200L120 190 140 280 20 290ZM50 230"));
        assert!(!svg.contains("rgba"));
        // The layers come in the documented order.
        let pos = |id: &str| svg.find(&format!("id=\"{id}\"")).unwrap();
        assert!(pos("background") < pos("outline") && pos("outline") < pos("halos"));
        assert!(pos("halos") < pos("edges") && pos("edges") < pos("nodes"));
        assert!(pos("nodes") < pos("badges") && pos("badges") < pos("labels"));
        assert!(pos("labels") < pos("legend") && pos("legend") < pos("caption"));
    }

    #[test]
    fn text_is_escaped() {
        let svg = to_svg(&sample_scene());
        assert!(svg.contains(">Nothing &lt;here&gt; &amp; &quot;there&quot;</text>"));
        assert_eq!(
            Esc("a'b\u{1}c\u{FFFF}&\tд").to_string(),
            "a&apos;bc&amp;\tд"
        );
        let mut scene = sample_scene();
        scene.labels[0].text = "</text><script>alert(1)</script>".into();
        let svg = to_svg(&scene);
        assert!(!svg.contains("<script>"));
        resvg::usvg::Tree::from_str(&svg, &resvg::usvg::Options::default()).unwrap();
    }

    #[test]
    fn numbers_and_opacities() {
        let s = |v: f32| N(v).to_string();
        assert_eq!(s(12.0), "12");
        assert_eq!(s(12.04), "12");
        assert_eq!(s(12.06), "12.1");
        assert_eq!(s(-0.04), "0");
        assert_eq!(s(-3.25), "-3.3");
        assert_eq!(s(f32::NAN), "0");
        assert_eq!(Opacity(255).to_string(), "1");
        assert_eq!(Opacity(0).to_string(), "0");
        assert_eq!(Opacity(128).to_string(), "0.502");
        assert_eq!(Opacity(51).to_string(), "0.2");
        let mut out = String::new();
        paint(&mut out, "fill", [255, 0, 16, 128]).unwrap();
        assert_eq!(out, r##" fill="#ff0010" fill-opacity="0.502""##);
    }

    #[test]
    fn arrow_heads_sit_on_the_rim() {
        let edge = PictureEdge {
            from: [0.0, 0.0],
            to: [100.0, 0.0],
            width: 1.0,
            colour: [0, 0, 0, 255],
            arrow_to: true,
            arrow_from: false,
            from_radius: 5.0,
            to_radius: 10.0,
        };
        let mut out = String::new();
        write_edge(&mut out, &edge).unwrap();
        // Tip at the rim (x = 90), 6 points long (the minimum), the line ending inside it.
        assert!(
            out.contains(r#"<polygon points="90,0 84,2.7 84,-2.7""#),
            "{out}"
        );
        assert!(out.contains(r#"x2="86.4""#), "{out}");
        // Heavier edges get bigger heads; nodes that overlap get none.
        let mut out = String::new();
        write_edge(
            &mut out,
            &PictureEdge {
                width: 4.0,
                ..edge.clone()
            },
        )
        .unwrap();
        assert!(
            out.contains(r#"<polygon points="90,0 78,5.4 78,-5.4""#),
            "{out}"
        );
        let mut out = String::new();
        write_edge(
            &mut out,
            &PictureEdge {
                to: [12.0, 0.0],
                ..edge
            },
        )
        .unwrap();
        assert!(!out.contains("polygon"), "{out}");
    }

    #[test]
    fn empty_scene_is_a_valid_document() {
        let svg = to_svg(&Picture {
            width: 10.0,
            height: 10.0,
            ..Picture::default()
        });
        resvg::usvg::Tree::from_str(&svg, &resvg::usvg::Options::default()).unwrap();
        assert!(!svg.contains("<g"));
    }
}
