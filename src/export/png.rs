//! A [`Scene`] as a PNG: its SVG ([`super::svg::to_svg`]) rasterised by resvg with the bundled
//! font, so the picture matches the SVG and the map.

use std::sync::{Arc, OnceLock};

use resvg::tiny_skia::{Pixmap, Transform};
use resvg::usvg::{self, fontdb};

use super::font::{BOLD_TTF, FONT_FAMILY, REGULAR_TTF};
use super::picture::Picture;
use super::svg::to_svg;

/// Pixels on the longer side beyond which a picture is refused (about 1.6 GB of pixels at
/// the limit): a typo in a scale factor should not exhaust memory.
const MAX_SIDE: u32 = 20_000;

/// The font database: the bundled faces only (no system fonts, so a picture looks the same on
/// every machine), answering for `sans-serif` and for [`FONT_FAMILY`].
fn font_database() -> Arc<fontdb::Database> {
    static DB: OnceLock<Arc<fontdb::Database>> = OnceLock::new();
    DB.get_or_init(|| {
        let mut db = fontdb::Database::new();
        db.load_font_data(REGULAR_TTF.to_vec());
        db.load_font_data(BOLD_TTF.to_vec());
        db.set_sans_serif_family(FONT_FAMILY);
        Arc::new(db)
    })
    .clone()
}

/// Options for reading our SVG: the bundled fonts, [`FONT_FAMILY`] also where none is named.
fn options() -> usvg::Options<'static> {
    usvg::Options {
        font_family: FONT_FAMILY.to_string(),
        fontdb: font_database(),
        ..usvg::Options::default()
    }
}

/// The scene drawn at `scale` pixels per point, `ceil(width × scale)` × `ceil(height × scale)`
/// pixels, PNG-encoded (8-bit RGBA).
pub fn to_png(scene: &Picture, scale: f32) -> Result<Vec<u8>, String> {
    render(scene, scale)?
        .encode_png()
        .map_err(|e| format!("cannot encode the PNG: {e}"))
}

/// Pixels of a drawn picture: `width × height` RGBA, 8 bits, straight alpha, rows top down.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RgbaImage {
    pub width: u32,
    pub height: u32,
    pub pixels: Vec<u8>,
}

/// The scene drawn at `scale` pixels per point as plain pixels (what [`to_png`] encodes), for
/// writers of other formats (film frames).
pub fn to_rgba(scene: &Picture, scale: f32) -> Result<RgbaImage, String> {
    let pixmap = render(scene, scale)?;
    let (width, height) = (pixmap.width(), pixmap.height());
    let mut pixels = pixmap.take();
    // resvg keeps premultiplied alpha; a picture with an opaque background has none to undo.
    for px in pixels.chunks_exact_mut(4) {
        let a = u32::from(px[3]);
        if a != 255 && a != 0 {
            for c in &mut px[..3] {
                *c = ((u32::from(*c) * 255 + a / 2) / a).min(255) as u8;
            }
        }
    }
    Ok(RgbaImage {
        width,
        height,
        pixels,
    })
}

/// The scene as a premultiplied RGBA pixmap, as [`to_png`] encodes it.
fn render(scene: &Picture, scale: f32) -> Result<Pixmap, String> {
    if !(scale.is_finite() && scale > 0.0) {
        return Err(format!("the scale must be a positive number, not {scale}"));
    }
    let side = |points: f32| {
        // A size divided by the scale and multiplied back may land a hair above a whole
        // pixel (1200 / 7 × 7): that hair is not another pixel.
        let px = (f64::from(points) * f64::from(scale) - 1e-3).ceil();
        (px.is_finite() && px >= 1.0 && px <= f64::from(MAX_SIDE)).then_some(px as u32)
    };
    let (Some(width), Some(height)) = (side(scene.width), side(scene.height)) else {
        return Err(format!(
            "a picture of {} × {} points at scale {scale} is not between 1 and {MAX_SIDE} pixels a side",
            scene.width, scene.height
        ));
    };
    let tree = usvg::Tree::from_str(&to_svg(scene), &options())
        .map_err(|e| format!("cannot read the SVG of the picture: {e}"))?;
    let mut pixmap = Pixmap::new(width, height)
        .ok_or_else(|| format!("cannot allocate a {width} × {height} picture"))?;
    resvg::render(
        &tree,
        Transform::from_scale(scale, scale),
        &mut pixmap.as_mut(),
    );
    Ok(pixmap)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::export::svg::tests::sample_scene;

    fn decode(png: &[u8]) -> Pixmap {
        Pixmap::decode_png(png).expect("a PNG")
    }

    /// The pixel at `p` (points) at `scale`, straight alpha.
    fn pixel(pixmap: &Pixmap, p: [f32; 2], scale: f32) -> [u8; 4] {
        let c = pixmap
            .pixel((p[0] * scale) as u32, (p[1] * scale) as u32)
            .unwrap()
            .demultiply();
        [c.red(), c.green(), c.blue(), c.alpha()]
    }

    /// Pixels inside the box `min`..`min + size` (points) darker than mid-grey.
    fn dark_pixels(pixmap: &Pixmap, min: [f32; 2], size: [f32; 2], scale: f32) -> usize {
        let (x0, y0) = ((min[0] * scale) as u32, (min[1] * scale) as u32);
        let (x1, y1) = (
            ((min[0] + size[0]) * scale) as u32,
            ((min[1] + size[1]) * scale) as u32,
        );
        let mut n = 0;
        for y in y0..y1 {
            for x in x0..x1 {
                let c = pixmap.pixel(x, y).unwrap().demultiply();
                let luma = (u32::from(c.red()) + u32::from(c.green()) + u32::from(c.blue())) / 3;
                n += usize::from(luma < 110);
            }
        }
        n
    }

    #[test]
    fn png_has_the_size_colours_and_text_of_the_scene() {
        let scene = sample_scene();
        let png = to_png(&scene, 2.0).unwrap();
        assert_eq!(&png[..8], b"\x89PNG\r\n\x1a\n");
        let pixmap = decode(&png);
        assert_eq!((pixmap.width(), pixmap.height()), (800, 600));
        // A little off the centre: the badge text sits on the centre itself.
        assert_eq!(pixel(&pixmap, [300.0, 163.0], 2.0), [255, 0, 0, 255]);
        assert_eq!(pixel(&pixmap, [5.0, 5.0], 2.0), [250, 250, 247, 255]);

        // The label's text drew dark pixels in its box; without the text the box is clear.
        let label = &scene.labels[0];
        let with_text = dark_pixels(&pixmap, label.min, label.size, 2.0);
        let mut blank = scene.clone();
        blank.labels[0].text.clear();
        let without = dark_pixels(
            &decode(&to_png(&blank, 2.0).unwrap()),
            label.min,
            label.size,
            2.0,
        );
        assert_eq!(without, 0);
        assert!(with_text > 500, "{with_text} dark pixels");
        // …and within its measured width: nothing dark right of the box.
        let right = [label.min[0] + label.size[0] + 1.0, label.min[1]];
        assert_eq!(dark_pixels(&pixmap, right, [20.0, label.size[1]], 2.0), 0);

        // Legend text and the badge are drawn as well.
        let legend = scene.legend.as_ref().unwrap();
        let rows = [legend.min[0] + 30.0, legend.min[1] + 6.0];
        assert!(dark_pixels(&pixmap, rows, [100.0, 54.0], 2.0) > 100);
    }

    #[test]
    fn sizes_round_up_and_bad_scales_fail() {
        let mut scene = sample_scene();
        scene.width = 100.4;
        scene.height = 50.0;
        let pixmap = decode(&to_png(&scene, 1.5).unwrap());
        assert_eq!((pixmap.width(), pixmap.height()), (151, 75));
        assert!(to_png(&scene, 0.0).is_err());
        assert!(to_png(&scene, f32::NAN).is_err());
        assert!(to_png(&scene, 1000.0).is_err());
        assert!(to_png(&Picture::default(), 1.0).is_err());
    }

    /// Writes the sample scene to /tmp for a look: `cargo test ... -- --ignored write_sample`.
    #[test]
    #[ignore]
    fn write_sample() {
        let scene = sample_scene();
        std::fs::write("/tmp/relmap-sample.svg", to_svg(&scene)).unwrap();
        std::fs::write("/tmp/relmap-sample.png", to_png(&scene, 2.0).unwrap()).unwrap();
    }
}
