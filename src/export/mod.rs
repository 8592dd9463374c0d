//! Pictures of the map without egui: [`picture`] turns a dataset, a time window, positions, a
//! camera and a style into a display list; the GUI paints that list with egui, [`svg`] writes
//! it as SVG and [`png`] rasterises the SVG with resvg. One list for all three is what makes an
//! exported image show exactly what the map shows. [`film`] draws the same pictures frame by
//! frame as the time window moves, into a GIF, an MP4 or PNG frames; [`gexf`] writes the actor
//! network (spells, weights, metrics) for Gephi.

pub mod callouts;
pub mod file;
pub mod film;
pub mod font;
pub mod gexf;
pub mod picture;
pub mod png;
pub mod style;
pub mod svg;

use std::path::Path;

use crate::model::{Dataset, TimeWindow, format_day};
use picture::{MapStyle, Picture, PictureLabel};

/// The line over an exported picture: the file's subject is the analyst's to add; this says
/// which time window the picture shows.
pub fn caption(
    dataset: &Dataset,
    window: TimeWindow,
    style: &MapStyle,
    width: f32,
    measure: &dyn Fn(&str, f32, bool) -> f32,
) -> PictureLabel {
    let _ = dataset;
    let text = if window.from == window.to {
        format_day(window.from)
    } else {
        format!("{} – {}", format_day(window.from), format_day(window.to))
    };
    let font_size = 14.0 * style.label_scale.clamp(1.0, 1.6);
    let text_width = measure(&text, font_size, false);
    let palette = style.theme.palette();
    PictureLabel {
        min: [(width - text_width) / 2.0, 10.0],
        size: [text_width, font::line_height(font_size)],
        text,
        font_size,
        colour: palette.text,
        halo: palette.label_halo,
        bold: false,
    }
}

/// The image formats export writes, chosen by the file's extension.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ImageFormat {
    Svg,
    Png,
}

impl ImageFormat {
    pub fn of_path(path: &Path) -> Option<Self> {
        let ext = path.extension()?.to_str()?.to_ascii_lowercase();
        match ext.as_str() {
            "svg" => Some(Self::Svg),
            "png" => Some(Self::Png),
            _ => None,
        }
    }
}

/// Writes `scene` to `path` as SVG or PNG (by the extension) at `scale` pixels per point,
/// atomically: the old file stays whole until the new one is.
pub fn write_image(scene: &Picture, path: &Path, scale: f32) -> Result<(), String> {
    let bytes = match ImageFormat::of_path(path) {
        Some(ImageFormat::Svg) => svg::to_svg_at(scene, scale).into_bytes(),
        Some(ImageFormat::Png) => png::to_png(scene, scale)?,
        None => {
            return Err("the file name must end in .svg or .png".to_string());
        }
    };
    file::write_file_atomically(path, &bytes).map_err(|e| e.to_string())
}
