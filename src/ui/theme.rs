//! Colours and sizes shared by the map, the timeline and the legend. Chosen to stay apart
//! on a projector and for the common colour-vision deficiencies (cooperation blue/teal,
//! conflict orange/red), in light and dark mode alike.

use eframe::egui::Color32;

use crate::model::{ActorKind, EventClass};

pub fn class_colour(class: EventClass) -> Color32 {
    match class {
        EventClass::VerbalCooperation => Color32::from_rgb(0x4c, 0x9b, 0xe0),
        EventClass::MaterialCooperation => Color32::from_rgb(0x1f, 0x9e, 0x89),
        EventClass::VerbalConflict => Color32::from_rgb(0xf2, 0x9e, 0x4c),
        EventClass::MaterialConflict => Color32::from_rgb(0xd6, 0x3a, 0x3a),
        EventClass::Unknown => Color32::from_rgb(0x8c, 0x8c, 0x8c),
    }
}

pub fn kind_colour(kind: ActorKind) -> Color32 {
    match kind {
        ActorKind::Country => Color32::from_rgb(0x2f, 0x5d, 0x9e),
        ActorKind::Organisation => Color32::from_rgb(0x7b, 0x5e, 0xa7),
        ActorKind::Person => Color32::from_rgb(0xe0, 0x8a, 0x2c),
        ActorKind::Group => Color32::from_rgb(0xb0, 0x4a, 0x5a),
        ActorKind::Other => Color32::from_rgb(0x80, 0x80, 0x80),
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
