//! Notes on the map: a small mark beside each noted node and at the middle of each noted tie
//! (a tie also counts as noted when one of its events in the window has a note), and, when
//! the style shows them, a callout per mark: the note's text wrapped and cut to a few lines
//! in a box, with a leader line to its node or tie. Callouts go where they cover the fewest
//! labels, other callouts and nodes; they are never left out for lack of room (a note the
//! analyst wrote should be seen), but at most [`MAX_CALLOUTS`] are drawn, those of the
//! selection first.

use rustc_hash::FxHashMap;

use super::picture::{MapInput, NodeGrid, Picture, ScreenPoint};
use super::style::{self, Palette, Rgba};
use crate::model::{ActorId, NoteSubject};

/// The note mark's colour: amber, readable on light and dark backgrounds.
pub const NOTE_COLOUR: Rgba = [0xe0, 0x9a, 0x10, 0xff];
/// Most callouts on one picture.
pub const MAX_CALLOUTS: usize = 24;
/// Lines of a callout at most; the last one ends in "…" when the note is longer.
const MAX_LINES: usize = 4;
/// Width of a callout's text at most, in points (times the label scale).
const MAX_TEXT_WIDTH: f32 = 190.0;
/// Padding inside the box, in points.
pub const CALLOUT_PADDING: f32 = 5.0;

/// A small mark (a note sheet) by a noted node or on a noted tie.
#[derive(Clone, Debug, PartialEq)]
pub struct NoteMark {
    pub centre: ScreenPoint,
    /// Side of the square, in points.
    pub size: f32,
    pub fill: Rgba,
    pub stroke: Rgba,
}

/// The two short strokes across a note mark (its "text"), as segments.
pub fn note_mark_lines(mark: &NoteMark) -> [[ScreenPoint; 2]; 2] {
    let [x, y] = mark.centre;
    let (half, inset) = (mark.size / 2.0, mark.size * 0.22);
    let (left, right) = (x - half + inset, x + half - inset);
    let (y1, y2) = (y - mark.size * 0.12, y + mark.size * 0.16);
    [
        [[left, y1], [right, y1]],
        [[left, y2], [right - mark.size * 0.15, y2]],
    ]
}

/// A note's text in a box, with a leader line from what it is about to the box.
#[derive(Clone, Debug, PartialEq)]
pub struct Callout {
    pub min: ScreenPoint,
    pub size: [f32; 2],
    /// Already wrapped and cut.
    pub lines: Vec<String>,
    pub font_size: f32,
    pub line_height: f32,
    pub fill: Rgba,
    pub stroke: Rgba,
    pub text_colour: Rgba,
    /// From the node's rim (or the tie's middle) to the nearest point of the box.
    pub leader: [ScreenPoint; 2],
    /// The whole text, uncut (a tooltip in the window, a `<title>` in SVG).
    pub text: String,
    /// What it is about: an actor (`[a, a]`) or the tie between two.
    pub about: [ActorId; 2],
}

/// Where a note is drawn: a node, or the tie between two drawn nodes (lower id first).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
enum Anchor {
    Node(ActorId),
    Tie(ActorId, ActorId),
}

/// Adds the marks and callouts of `input.notes` to `scene` (after its nodes, edges and
/// labels are placed). `rep` is the node each actor is drawn as.
pub(super) fn place_notes(
    scene: &mut Picture,
    input: &MapInput,
    palette: &Palette,
    rep: &[ActorId],
    measure: &dyn Fn(&str, f32, bool) -> f32,
) {
    let Some(notes) = input.notes else { return };
    if notes.iter().next().is_none() {
        return;
    }
    let ds = input.dataset;
    let rep_of = |a: ActorId| rep.get(a as usize).copied().unwrap_or(a);
    // Only the nodes and ties notes may hang on are looked up (a picture can hold tens of
    // thousands of ties; a document a handful of notes).
    let mut noted: rustc_hash::FxHashSet<ActorId> = rustc_hash::FxHashSet::default();
    for (subject, _) in notes.iter() {
        match subject {
            NoteSubject::Actor(a) => {
                noted.insert(rep_of(a));
            }
            NoteSubject::Tie(a, b) => noted.extend([rep_of(a), rep_of(b)]),
            NoteSubject::Event(e) if (e as usize) < ds.len() => {
                noted.extend(ds.actors_of(e).iter().map(|&a| rep_of(a)))
            }
            NoteSubject::Event(_) => {}
        }
    }
    let nodes: FxHashMap<ActorId, (ScreenPoint, f32)> = scene
        .nodes
        .iter()
        .filter(|n| noted.contains(&n.actor))
        .map(|n| (n.actor, (n.centre, n.radius)))
        .collect();
    let ties: FxHashMap<(ActorId, ActorId), usize> = scene
        .edge_ends
        .iter()
        .enumerate()
        .filter(|(_, [a, b])| noted.contains(a) && noted.contains(b))
        .map(|(i, &[a, b])| ((a.min(b), a.max(b)), i))
        .collect();
    let tie_anchor = |a: ActorId, b: ActorId| {
        let (a, b) = (rep_of(a), rep_of(b));
        let key = (a.min(b), a.max(b));
        ties.contains_key(&key).then_some(Anchor::Tie(key.0, key.1))
    };
    let window = input.counts.window;
    // Per anchor, its notes' texts in order: the actor's or tie's own, then its events'.
    let mut texts: FxHashMap<Anchor, Vec<String>> = FxHashMap::default();
    for (subject, text) in notes.iter() {
        if !subject.exists_in(ds) {
            continue;
        }
        let (anchor, text) = match subject {
            NoteSubject::Actor(a) => {
                let r = rep_of(a);
                if !nodes.contains_key(&r) {
                    continue;
                }
                // Folded into its country: the country's node carries it, with its name.
                let text = if r == a {
                    text.to_string()
                } else {
                    format!("{}: {text}", ds.actors.get(a).name)
                };
                (Anchor::Node(r), text)
            }
            NoteSubject::Tie(a, b) => match tie_anchor(a, b) {
                Some(anchor) => (anchor, text.to_string()),
                None => continue,
            },
            NoteSubject::Event(e) => {
                let i = e as usize;
                let in_window = ds.start[i] <= window.to && ds.end[i] >= window.from;
                if !in_window || !input.counts.filter.accepts(ds, e) {
                    continue;
                }
                let actors = ds.actors_of(e);
                let on_tie = actors
                    .iter()
                    .enumerate()
                    .find_map(|(k, &a)| actors[k + 1..].iter().find_map(|&b| tie_anchor(a, b)));
                let anchor = on_tie.or_else(|| {
                    actors
                        .iter()
                        .map(|&a| rep_of(a))
                        .find(|r| nodes.contains_key(r))
                        .map(Anchor::Node)
                });
                match anchor {
                    Some(anchor) => (anchor, format!("{}: {text}", ds.date_of(e))),
                    None => continue,
                }
            }
        };
        texts.entry(anchor).or_default().push(text);
    }
    if texts.is_empty() {
        return;
    }
    let selected_actor = |a: ActorId| input.selected.contains(&a);
    let selected_tie = |a: ActorId, b: ActorId| {
        input.selected_edge.is_some_and(|(x, y)| {
            (rep_of(x), rep_of(y)) == (a, b) || (rep_of(y), rep_of(x)) == (a, b)
        })
    };
    // The selection's notes first, then actors', then ties'; a stable order otherwise.
    let mut anchors: Vec<Anchor> = texts.keys().copied().collect();
    anchors.sort_by_key(|&anchor| {
        let selected = match anchor {
            Anchor::Node(a) => selected_actor(a),
            Anchor::Tie(a, b) => selected_tie(a, b),
        };
        (!selected, anchor)
    });

    let scale = input.style.label_scale;
    let where_is = |anchor: Anchor| -> (ScreenPoint, f32) {
        match anchor {
            Anchor::Node(a) => nodes[&a],
            Anchor::Tie(a, b) => {
                let edge = &scene.edges[ties[&(a, b)]];
                (
                    [
                        (edge.from[0] + edge.to[0]) / 2.0,
                        (edge.from[1] + edge.to[1]) / 2.0,
                    ],
                    0.0,
                )
            }
        }
    };
    let mark_size = 11.0 * scale.clamp(1.0, 1.6);
    for &anchor in &anchors {
        let (centre, radius) = where_is(anchor);
        // Beside a node at its top left (the pin mark is at its top right); on a tie at
        // its middle.
        let at = if radius > 0.0 {
            let off = radius * 0.72 + mark_size * 0.35;
            [centre[0] - off, centre[1] - off]
        } else {
            centre
        };
        scene.note_marks.push(NoteMark {
            centre: at,
            size: mark_size,
            fill: NOTE_COLOUR,
            stroke: if palette.dark {
                [0x14, 0x16, 0x1a, 0xff]
            } else {
                [0x4a, 0x35, 0x05, 0xff]
            },
        });
    }
    if !input.style.note_callouts {
        return;
    }

    let font_size = 11.5 * scale.clamp(1.0, 1.6);
    let line_height = font_size * 1.3;
    let grid = NodeGrid::new(&scene.nodes);
    let labels: Vec<[f32; 4]> = scene
        .labels
        .iter()
        .map(|l| {
            [
                l.min[0],
                l.min[1],
                l.min[0] + l.size[0],
                l.min[1] + l.size[1],
            ]
        })
        .collect();
    let [width, height] = input.size;
    let mut placed: Vec<[f32; 4]> = Vec::new();
    for &anchor in anchors.iter().take(MAX_CALLOUTS) {
        let (centre, radius) = where_is(anchor);
        let text = texts[&anchor].join("\n");
        let lines = wrap(&text, MAX_TEXT_WIDTH * scale, MAX_LINES, font_size, measure);
        let text_width = lines
            .iter()
            .map(|l| measure(l, font_size, false))
            .fold(0.0, f32::max);
        let size = [
            text_width + 2.0 * CALLOUT_PADDING,
            lines.len() as f32 * line_height + 2.0 * CALLOUT_PADDING,
        ];
        // Out from the anchor in eight directions, near then farther: the box that covers
        // the least (off the picture is worst, then other callouts, labels, nodes).
        let mut best: Option<(f32, [f32; 4])> = None;
        for distance in [radius + 22.0, radius + 40.0, radius + 64.0, radius + 96.0] {
            for (dx, dy) in DIRECTIONS {
                let p = [centre[0] + dx * distance, centre[1] + dy * distance];
                let min = [
                    p[0] - if dx < -0.3 {
                        size[0]
                    } else if dx > 0.3 {
                        0.0
                    } else {
                        size[0] / 2.0
                    },
                    p[1] - if dy < -0.3 {
                        size[1]
                    } else if dy > 0.3 {
                        0.0
                    } else {
                        size[1] / 2.0
                    },
                ];
                let rect = [min[0], min[1], min[0] + size[0], min[1] + size[1]];
                let off = (0.0 - rect[0]).max(0.0)
                    + (rect[2] - width).max(0.0)
                    + (0.0 - rect[1]).max(0.0)
                    + (rect[3] - height).max(0.0);
                // A label even partly covered is lost, so each counts whole, and more the
                // more is covered; a node under a box still shows round it.
                let cover = |r: &[f32; 4], each: f32, per_area: f32| {
                    let a = overlap_area(&rect, r);
                    if a > 0.0 { each + a * per_area } else { 0.0 }
                };
                let cost = off * 1000.0
                    + placed.iter().map(|r| cover(r, 4000.0, 8.0)).sum::<f32>()
                    + labels.iter().map(|r| cover(r, 1500.0, 4.0)).sum::<f32>()
                    + grid.count_covered(&rect) as f32 * 600.0
                    + distance * 2.0;
                if best.is_none_or(|(c, _)| cost < c) {
                    best = Some((cost, rect));
                }
            }
        }
        let Some((_, rect)) = best else { continue };
        placed.push(rect);
        let target = [
            centre[0].clamp(rect[0], rect[2]),
            centre[1].clamp(rect[1], rect[3]),
        ];
        let (dx, dy) = (target[0] - centre[0], target[1] - centre[1]);
        let len = (dx * dx + dy * dy).sqrt().max(1e-3);
        let start = [
            centre[0] + dx / len * (radius + 2.0),
            centre[1] + dy / len * (radius + 2.0),
        ];
        scene.callouts.push(Callout {
            min: [rect[0], rect[1]],
            size,
            lines,
            font_size,
            line_height,
            fill: palette.legend_fill,
            stroke: style::mix(NOTE_COLOUR, palette.legend_stroke, 0.35),
            text_colour: palette.strong_text,
            leader: [start, target],
            about: match anchor {
                Anchor::Node(a) => [a, a],
                Anchor::Tie(a, b) => [a, b],
            },
            text,
        });
    }
}

/// Up-right first (labels of nodes usually sit below them), then round the compass in
/// steps of 22.5°.
const DIRECTIONS: [(f32, f32); 16] = [
    (0.707, -0.707),
    (1.0, 0.0),
    (0.707, 0.707),
    (-0.707, -0.707),
    (-1.0, 0.0),
    (-0.707, 0.707),
    (0.0, -1.0),
    (0.0, 1.0),
    (0.924, -0.383),
    (0.924, 0.383),
    (-0.924, -0.383),
    (-0.924, 0.383),
    (0.383, -0.924),
    (-0.383, -0.924),
    (0.383, 0.924),
    (-0.383, 0.924),
];

fn overlap_area(r: &[f32; 4], s: &[f32; 4]) -> f32 {
    let w = (r[2].min(s[2]) - r[0].max(s[0])).max(0.0);
    let h = (r[3].min(s[3]) - r[1].max(s[1])).max(0.0);
    w * h
}

/// `text` in lines no wider than `max_width` (words kept whole unless one alone is wider),
/// its own line breaks kept; past `max_lines` the last line ends in "…".
pub fn wrap(
    text: &str,
    max_width: f32,
    max_lines: usize,
    font_size: f32,
    measure: &dyn Fn(&str, f32, bool) -> f32,
) -> Vec<String> {
    let fits = |s: &str| measure(s, font_size, false) <= max_width;
    let mut lines: Vec<String> = Vec::new();
    let mut cut = false;
    'paragraphs: for paragraph in text.lines() {
        let mut line = String::new();
        for word in paragraph.split_whitespace() {
            let candidate = if line.is_empty() {
                word.to_string()
            } else {
                format!("{line} {word}")
            };
            if fits(&candidate) {
                line = candidate;
                continue;
            }
            if !line.is_empty() {
                lines.push(std::mem::take(&mut line));
                if lines.len() == max_lines {
                    cut = true;
                    break 'paragraphs;
                }
            }
            // A word wider than a line is broken where it must.
            let mut rest = word;
            while !fits(rest) {
                let mut end = rest.len();
                while end > 1 && !fits(&rest[..end]) {
                    end = rest[..end].char_indices().last().map_or(0, |(i, _)| i);
                }
                let end = end.max(rest.chars().next().map_or(1, char::len_utf8));
                lines.push(rest[..end].to_string());
                rest = &rest[end..];
                if lines.len() == max_lines {
                    cut = !rest.is_empty();
                    break 'paragraphs;
                }
            }
            line = rest.to_string();
        }
        if !line.is_empty() {
            lines.push(line);
            if lines.len() == max_lines {
                cut = true;
                break;
            }
        }
    }
    // Cut only when something was left out.
    if cut
        && lines
            .concat()
            .chars()
            .filter(|c| !c.is_whitespace())
            .count()
            < text.chars().filter(|c| !c.is_whitespace()).count()
        && let Some(last) = lines.last_mut()
    {
        while !last.is_empty() && !fits(&format!("{last}…")) {
            last.pop();
        }
        let trimmed = last.trim_end().to_string();
        *last = format!("{trimmed}…");
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every character 6 points wide.
    fn measure(text: &str, _size: f32, _bold: bool) -> f32 {
        text.chars().count() as f32 * 6.0
    }

    #[test]
    fn long_notes_wrap_at_words_and_end_in_an_ellipsis() {
        let lines = wrap("one two three four five six seven", 60.0, 2, 11.0, &measure);
        assert_eq!(lines, ["one two", "three fou…"]);
        let lines = wrap("short\nsecond paragraph", 120.0, 4, 11.0, &measure);
        assert_eq!(lines, ["short", "second paragraph"]);
        let lines = wrap("abcdefghijklmnopqrstuvwxyz", 60.0, 4, 11.0, &measure);
        assert_eq!(lines, ["abcdefghij", "klmnopqrst", "uvwxyz"]);
        assert!(wrap("", 60.0, 4, 11.0, &measure).is_empty());
    }
}
