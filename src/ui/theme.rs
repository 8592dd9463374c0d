//! egui colours from the shared style ([`crate::export::style`]), so that the map, the
//! timeline, the inspector and exported images use the same ones.

use eframe::egui::Color32;

use crate::export::picture::Rgba;
use crate::export::style;
use crate::model::{ActorKind, EventClass};

pub fn colour(c: Rgba) -> Color32 {
    Color32::from_rgba_unmultiplied(c[0], c[1], c[2], c[3])
}

pub fn class_colour(class: EventClass) -> Color32 {
    colour(style::class_colour(class))
}

pub fn kind_colour(kind: ActorKind) -> Color32 {
    colour(style::kind_colour(kind))
}
