//! Colours and sizes of the map, shared by the GUI, the timeline and exported images. Chosen
//! to stay apart on a projector and for the common colour-vision deficiencies (cooperation
//! blue/teal, conflict orange/red), in the light and the dark theme alike.

use serde::{Deserialize, Serialize};

use crate::model::{ActorKind, EventClass};

/// A colour with straight (not premultiplied) alpha.
pub type Rgba = [u8; 4];

/// How a node is drawn: one shape per actor kind.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NodeShape {
    Circle,
    /// A square with slightly rounded corners, `radius` from the centre to each side × 0.9.
    Square,
    /// A square standing on a corner, `radius` × 1.2 from the centre to each corner.
    Diamond,
}

/// The two themes. Both are made to read on a projector: strong text, mid-tone nodes.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize, clap::ValueEnum)]
pub enum Theme {
    #[default]
    Light,
    Dark,
}

/// How edges are coloured.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum EdgeColouring {
    /// Cooperation/conflict × verbal/material, grey when the source does not say.
    #[default]
    Class,
    /// The most common event type of the pair, for the most common types; grey for the rest.
    Type,
}

/// The colours of one theme.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Palette {
    pub dark: bool,
    pub background: Rgba,
    pub text: Rgba,
    pub strong_text: Rgba,
    pub weak_text: Rgba,
    pub label_halo: Rgba,
    pub node_outline: Rgba,
    pub outline_fill: Rgba,
    pub outline_stroke: Rgba,
    pub group_halo: Rgba,
    pub group_halo_stroke: Rgba,
    pub legend_fill: Rgba,
    pub legend_stroke: Rgba,
    pub selection: Rgba,
    pub badge_text: Rgba,
}

impl Theme {
    pub fn palette(self) -> Palette {
        match self {
            Theme::Light => Palette {
                dark: false,
                background: [0xfb, 0xfb, 0xfa, 0xff],
                text: [0x3c, 0x3c, 0x3c, 0xff],
                strong_text: [0x14, 0x14, 0x14, 0xff],
                weak_text: [0x80, 0x80, 0x80, 0xff],
                label_halo: [0xfb, 0xfb, 0xfa, 0xcc],
                node_outline: [0xfb, 0xfb, 0xfa, 0xff],
                outline_fill: [0xe9, 0xe7, 0xe1, 0xff],
                outline_stroke: [0xc9, 0xc6, 0xbe, 0xff],
                group_halo: [47, 93, 158, 18],
                group_halo_stroke: [47, 93, 158, 45],
                legend_fill: [0xf6, 0xf6, 0xf5, 0xeb],
                legend_stroke: [0xc8, 0xc8, 0xc8, 0xff],
                selection: [0x00, 0x6e, 0xd6, 0xff],
                badge_text: [0xff, 0xff, 0xff, 0xff],
            },
            Theme::Dark => Palette {
                dark: true,
                background: [0x14, 0x16, 0x1a, 0xff],
                text: [0xd0, 0xd0, 0xd0, 0xff],
                strong_text: [0xf4, 0xf4, 0xf4, 0xff],
                weak_text: [0x8c, 0x8c, 0x8c, 0xff],
                label_halo: [0x14, 0x16, 0x1a, 0xcc],
                node_outline: [0x14, 0x16, 0x1a, 0xff],
                outline_fill: [0x26, 0x2a, 0x31, 0xff],
                outline_stroke: [0x3c, 0x42, 0x4c, 0xff],
                group_halo: [90, 130, 200, 22],
                group_halo_stroke: [90, 130, 200, 55],
                legend_fill: [0x1e, 0x21, 0x26, 0xeb],
                legend_stroke: [0x44, 0x44, 0x44, 0xff],
                selection: [0x5a, 0xb4, 0xff, 0xff],
                badge_text: [0xff, 0xff, 0xff, 0xff],
            },
        }
    }
}

pub fn class_colour(class: EventClass) -> Rgba {
    match class {
        EventClass::VerbalCooperation => [0x4c, 0x9b, 0xe0, 0xff],
        EventClass::MaterialCooperation => [0x1f, 0x9e, 0x89, 0xff],
        EventClass::VerbalConflict => [0xf2, 0x9e, 0x4c, 0xff],
        EventClass::MaterialConflict => [0xd6, 0x3a, 0x3a, 0xff],
        EventClass::Unknown => [0x8c, 0x8c, 0x8c, 0xff],
    }
}

/// Colours for the most common event types (Okabe–Ito, then Tableau): any further type is
/// drawn in [`OTHER_TYPE_COLOUR`].
pub const TYPE_COLOURS: [Rgba; 8] = [
    [0x00, 0x72, 0xb2, 0xff],
    [0xe6, 0x9f, 0x00, 0xff],
    [0x00, 0x9e, 0x73, 0xff],
    [0xd5, 0x5e, 0x00, 0xff],
    [0xcc, 0x79, 0xa7, 0xff],
    [0x56, 0xb4, 0xe9, 0xff],
    [0x8c, 0x56, 0x4b, 0xff],
    [0xb8, 0xa9, 0x00, 0xff],
];
pub const OTHER_TYPE_COLOUR: Rgba = [0x9a, 0x9a, 0x9a, 0xff];

pub fn kind_colour(kind: ActorKind) -> Rgba {
    match kind {
        ActorKind::Country => [0x2f, 0x5d, 0x9e, 0xff],
        ActorKind::Organisation => [0x7b, 0x5e, 0xa7, 0xff],
        ActorKind::Person => [0xe0, 0x8a, 0x2c, 0xff],
        ActorKind::Group => [0xb0, 0x4a, 0x5a, 0xff],
        ActorKind::Other => [0x80, 0x80, 0x80, 0xff],
    }
}

pub fn kind_shape(kind: ActorKind) -> NodeShape {
    match kind {
        ActorKind::Organisation => NodeShape::Square,
        ActorKind::Group => NodeShape::Diamond,
        _ => NodeShape::Circle,
    }
}

/// Screen radius of a node before its event count adds to it.
pub fn base_radius(kind: ActorKind) -> f32 {
    match kind {
        ActorKind::Country => 10.0,
        ActorKind::Organisation | ActorKind::Group => 7.0,
        ActorKind::Person | ActorKind::Other => 6.0,
    }
}

/// Community colours, by id (ids persist as the window moves, so colours do too): Tableau's
/// ten categorical colours, readable on light and dark backgrounds.
pub const COMMUNITY_COLOURS: [Rgba; 10] = [
    [0x4e, 0x79, 0xa7, 0xff],
    [0xf2, 0x8e, 0x2b, 0xff],
    [0xe1, 0x57, 0x59, 0xff],
    [0x76, 0xb7, 0xb2, 0xff],
    [0x59, 0xa1, 0x4f, 0xff],
    [0xed, 0xc9, 0x48, 0xff],
    [0xb0, 0x7a, 0xa1, 0xff],
    [0xff, 0x9d, 0xa7, 0xff],
    [0x9c, 0x75, 0x5f, 0xff],
    [0xba, 0xb0, 0xac, 0xff],
];

/// Nodes the window's metrics say nothing about.
pub const NO_METRIC_COLOUR: Rgba = [0x9a, 0x9a, 0x9a, 0xff];

pub fn community_colour(id: u32) -> Rgba {
    COMMUNITY_COLOURS[id as usize % COMMUNITY_COLOURS.len()]
}

/// A measure's colour from low (0) to high (1): viridis, which stays ordered in grey and for
/// colour-blind readers.
pub fn ramp_colour(share: f32) -> Rgba {
    const STOPS: [Rgba; 5] = [
        [0x44, 0x01, 0x54, 0xff],
        [0x3b, 0x52, 0x8b, 0xff],
        [0x21, 0x91, 0x8c, 0xff],
        [0x5e, 0xc9, 0x62, 0xff],
        [0xfd, 0xe7, 0x25, 0xff],
    ];
    // High is dark: the important actors stand out on the light map.
    let t = (1.0 - share.clamp(0.0, 1.0)) * (STOPS.len() - 1) as f32;
    let i = (t.floor() as usize).min(STOPS.len() - 2);
    mix(STOPS[i], STOPS[i + 1], t - i as f32)
}

/// Node radius in points for an actor with `events` events in the window.
pub fn node_radius(kind: ActorKind, events: u32) -> f32 {
    (base_radius(kind) + 2.2 * (events as f32).sqrt()).min(36.0)
}

/// Edge width in points for `events` shared events.
pub fn edge_width(events: u32) -> f32 {
    (1.0 + 1.6 * (events as f32).sqrt()).min(14.0)
}

/// The class most events of an edge have (unclassified only when nothing else is there).
pub fn dominant_class(classes: &[u32; 5]) -> EventClass {
    let mut best = EventClass::Unknown;
    let mut best_count = 0;
    for class in EventClass::ALL {
        let c = classes[class.index()];
        if class != EventClass::Unknown && c > best_count {
            best = class;
            best_count = c;
        }
    }
    best
}

/// `colour` with its alpha multiplied by `factor` (for dimming what is out of focus).
pub fn fade(colour: Rgba, factor: f32) -> Rgba {
    let [r, g, b, a] = colour;
    [r, g, b, (a as f32 * factor.clamp(0.0, 1.0)).round() as u8]
}

/// `colour` mixed towards `towards` by `t` (0 = unchanged), alpha kept.
pub fn mix(colour: Rgba, towards: Rgba, t: f32) -> Rgba {
    let m = |x: u8, y: u8| (x as f32 + (y as f32 - x as f32) * t.clamp(0.0, 1.0)).round() as u8;
    [
        m(colour[0], towards[0]),
        m(colour[1], towards[1]),
        m(colour[2], towards[2]),
        colour[3],
    ]
}
