//! Film frames as an animated GIF with one fixed palette built from the theme's colours.
//!
//! Why fixed: the map is drawn from a few dozen colours (the theme's, the actor kinds', the
//! event classes' and types') and their blends with the background (anti-aliasing, faded
//! edges, fading actors), so a palette of those and their blends covers a frame well, keeps
//! every colour the same from frame to frame (a per-frame quantiser makes flat areas shimmer)
//! and maps a pixel with one lookup in a 32×32×32 table, ≈ 3 ms a 1280×720 frame, against
//! 36–69 ms for per-frame NeuQuant. After the first frame only the box of changed pixels is
//! written, unchanged pixels inside it transparent, so a film where a few actors move costs
//! little more than its first frame.

use std::borrow::Cow;
use std::path::Path;

use crate::export::file::AtomicFile;
use crate::export::png::RgbaImage;
use crate::export::style::{self, OTHER_TYPE_COLOUR, Rgba, TYPE_COLOURS, Theme};
use crate::model::{ActorKind, EventClass};

/// The palette index left for "unchanged from the frame before".
const TRANSPARENT: u8 = 255;
/// Strengths at which the theme's inks are blended over the background (and over the land of
/// the world map): faded edges, fading actors, anti-aliased rims.
const BLENDS: [f32; 5] = [0.12, 0.25, 0.45, 0.65, 0.85];

/// 255 colours from a theme and a table from 15-bit colour to the nearest of them.
pub struct FixedPalette {
    /// RGB triples, 256 of them (the last unused: transparent).
    pub rgb: Vec<u8>,
    lookup: Vec<u8>,
}

impl FixedPalette {
    pub fn for_theme(theme: Theme) -> Self {
        let palette = theme.palette();
        let bg = palette.background;
        let over = |c: Rgba, under: Rgba| {
            // A translucent colour as it shows over `under`.
            style::mix(under, [c[0], c[1], c[2], 255], c[3] as f32 / 255.0)
        };
        let mut inks: Vec<Rgba> = Vec::new();
        for kind in ActorKind::ALL {
            inks.push(style::kind_colour(kind));
        }
        for class in EventClass::ALL {
            inks.push(style::class_colour(class));
        }
        inks.extend(TYPE_COLOURS);
        inks.push(OTHER_TYPE_COLOUR);
        inks.extend([
            palette.strong_text,
            palette.text,
            palette.weak_text,
            palette.selection,
        ]);
        let mut colours: Vec<Rgba> = vec![
            bg,
            palette.outline_fill,
            palette.outline_stroke,
            over(palette.legend_fill, bg),
            palette.legend_stroke,
            over(palette.group_halo, bg),
            over(palette.group_halo_stroke, bg),
            palette.badge_text,
            [0, 0, 0, 255],
            [255, 255, 255, 255],
        ];
        colours.extend(inks.iter().copied());
        for &ink in &inks {
            for t in BLENDS {
                colours.push(style::mix(bg, ink, t));
            }
        }
        // Edges and nodes over the land of the world map.
        for &ink in &inks[..ActorKind::ALL.len() + EventClass::ALL.len()] {
            for t in [0.25, 0.6] {
                colours.push(style::mix(palette.outline_fill, ink, t));
            }
        }
        // A coarse cube for whatever else (crossing edges, blends of two inks).
        for r in [0u8, 96, 176, 255] {
            for g in [0u8, 96, 176, 255] {
                for b in [0u8, 96, 176, 255] {
                    colours.push([r, g, b, 255]);
                }
            }
        }
        let mut unique: Vec<[u8; 3]> = Vec::with_capacity(256);
        for c in colours {
            let rgb = [c[0], c[1], c[2]];
            if !unique.contains(&rgb) && unique.len() < TRANSPARENT as usize {
                unique.push(rgb);
            }
        }
        let mut rgb: Vec<u8> = unique.iter().flatten().copied().collect();
        rgb.resize(256 * 3, 0);
        let mut lookup: Vec<u8> = (0..32 * 32 * 32)
            .map(|cell: usize| {
                let centre = |bits: usize| ((bits & 31) << 3 | 4) as i32;
                let (r, g, b) = (centre(cell >> 10), centre(cell >> 5), centre(cell));
                nearest(&unique, [r, g, b])
            })
            .collect();
        // The palette's own colours map to themselves (the theme's colours come out exact,
        // not as a neighbour nearer the cell's centre); where two share a cell the one listed
        // first (the theme's before the blends) wins.
        for (i, c) in unique.iter().enumerate().rev() {
            lookup[cell_of(c[0], c[1], c[2])] = i as u8;
        }
        Self { rgb, lookup }
    }

    /// The palette index for a colour.
    #[inline]
    pub fn index(&self, r: u8, g: u8, b: u8) -> u8 {
        self.lookup[cell_of(r, g, b)]
    }

    /// Every pixel of an RGBA image as palette indices.
    pub fn map(&self, pixels: &[u8], out: &mut Vec<u8>) {
        out.clear();
        out.extend(pixels.chunks_exact(4).map(|p| self.index(p[0], p[1], p[2])));
    }
}

/// The lookup table's cell of a colour: 5 bits of each channel.
#[inline]
fn cell_of(r: u8, g: u8, b: u8) -> usize {
    (usize::from(r) >> 3) << 10 | (usize::from(g) >> 3) << 5 | usize::from(b) >> 3
}

/// The entry nearest to `c`, weighting green most and blue least as the eye does.
fn nearest(palette: &[[u8; 3]], c: [i32; 3]) -> u8 {
    let mut best = (i32::MAX, 0u8);
    for (i, p) in palette.iter().enumerate() {
        let d = [
            c[0] - i32::from(p[0]),
            c[1] - i32::from(p[1]),
            c[2] - i32::from(p[2]),
        ];
        let dist = 2 * d[0] * d[0] + 4 * d[1] * d[1] + 3 * d[2] * d[2];
        if dist < best.0 {
            best = (dist, i as u8);
        }
    }
    best.1
}

/// Writes a GIF frame by frame into a temporary file that becomes `path` on
/// [`GifWriter::finish`] (and vanishes if dropped before).
pub struct GifWriter {
    encoder: gif::Encoder<AtomicFile>,
    palette: FixedPalette,
    /// The indices of the frame before (the picture a viewer shows now).
    previous: Vec<u8>,
    current: Vec<u8>,
    width: u16,
    height: u16,
    delay: u16,
    frames: usize,
}

impl GifWriter {
    /// A GIF of `width × height` pixels at `fps` frames per second (GIF counts in hundredths
    /// of a second, so 3 fps is 33 per frame), looping forever.
    pub fn create(
        path: &Path,
        width: u32,
        height: u32,
        fps: u32,
        theme: Theme,
    ) -> Result<Self, String> {
        let (Ok(w), Ok(h)) = (u16::try_from(width), u16::try_from(height)) else {
            return Err(format!(
                "a GIF is at most 65535 pixels a side, not {width} × {height}"
            ));
        };
        let file = AtomicFile::create(path).map_err(|e| e.to_string())?;
        let palette = FixedPalette::for_theme(theme);
        let mut encoder = gif::Encoder::new(file, w, h, &palette.rgb).map_err(gif_error)?;
        encoder
            .set_repeat(gif::Repeat::Infinite)
            .map_err(gif_error)?;
        Ok(Self {
            encoder,
            palette,
            previous: Vec::new(),
            current: Vec::new(),
            width: w,
            height: h,
            delay: (100.0 / fps.max(1) as f32).round().max(2.0) as u16,
            frames: 0,
        })
    }

    pub fn push(&mut self, image: &RgbaImage) -> Result<(), String> {
        if image.width != u32::from(self.width) || image.height != u32::from(self.height) {
            return Err(format!(
                "frame {} is {} × {} pixels, the film {} × {}",
                self.frames + 1,
                image.width,
                image.height,
                self.width,
                self.height
            ));
        }
        self.palette.map(&image.pixels, &mut self.current);
        let frame = if self.frames == 0 {
            gif::Frame {
                width: self.width,
                height: self.height,
                buffer: Cow::Borrowed(&self.current),
                delay: self.delay,
                dispose: gif::DisposalMethod::Keep,
                ..gif::Frame::default()
            }
        } else {
            changed_box(
                &self.previous,
                &self.current,
                usize::from(self.width),
                self.delay,
            )
        };
        self.encoder.write_frame(&frame).map_err(gif_error)?;
        std::mem::swap(&mut self.previous, &mut self.current);
        self.frames += 1;
        Ok(())
    }

    /// Ends the GIF and puts it in place; the size in bytes.
    pub fn finish(self) -> Result<u64, String> {
        let file = self.encoder.into_inner().map_err(gif_error)?;
        let target = file.target().to_path_buf();
        file.commit().map_err(|e| e.to_string())?;
        Ok(std::fs::metadata(&target).map(|m| m.len()).unwrap_or(0))
    }
}

/// The smallest box holding every pixel that differs between `before` and `after`, with the
/// unchanged ones inside it transparent; a single transparent pixel when nothing changed (the
/// frame still holds its time on screen).
fn changed_box(before: &[u8], after: &[u8], width: usize, delay: u16) -> gif::Frame<'static> {
    let height = after.len() / width.max(1);
    let (mut x0, mut y0, mut x1, mut y1) = (usize::MAX, usize::MAX, 0, 0);
    for y in 0..height {
        let row = y * width..(y + 1) * width;
        let (a, b) = (&before[row.clone()], &after[row]);
        if a == b {
            continue;
        }
        let first = a.iter().zip(b).position(|(p, q)| p != q).unwrap_or(0);
        let last = width - 1 - a.iter().zip(b).rev().position(|(p, q)| p != q).unwrap_or(0);
        x0 = x0.min(first);
        x1 = x1.max(last);
        y0 = y0.min(y);
        y1 = y;
    }
    let base = gif::Frame {
        delay,
        dispose: gif::DisposalMethod::Keep,
        transparent: Some(TRANSPARENT),
        ..gif::Frame::default()
    };
    if x0 == usize::MAX {
        return gif::Frame {
            width: 1,
            height: 1,
            buffer: Cow::Owned(vec![TRANSPARENT]),
            ..base
        };
    }
    let (w, h) = (x1 - x0 + 1, y1 - y0 + 1);
    let mut buffer = Vec::with_capacity(w * h);
    for y in y0..=y1 {
        let row = y * width;
        for x in x0..=x1 {
            let q = after[row + x];
            buffer.push(if before[row + x] == q { TRANSPARENT } else { q });
        }
    }
    gif::Frame {
        left: x0 as u16,
        top: y0 as u16,
        width: w as u16,
        height: h as u16,
        buffer: Cow::Owned(buffer),
        ..base
    }
}

fn gif_error(e: gif::EncodingError) -> String {
    format!("cannot write the GIF: {e}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_palette_holds_the_theme_exactly_and_maps_near_colours_to_it() {
        for theme in [Theme::Light, Theme::Dark] {
            let p = FixedPalette::for_theme(theme);
            let bg = theme.palette().background;
            let i = p.index(bg[0], bg[1], bg[2]) as usize;
            assert_eq!(&p.rgb[3 * i..3 * i + 3], &bg[..3], "{theme:?}");
            for kind in ActorKind::ALL {
                let c = style::kind_colour(kind);
                let i = p.index(c[0], c[1], c[2]) as usize;
                let got = &p.rgb[3 * i..3 * i + 3];
                let off: i32 = (0..3)
                    .map(|k| (i32::from(got[k]) - i32::from(c[k])).abs())
                    .sum();
                assert!(off <= 12, "{kind:?}: {got:?} for {c:?}");
            }
            assert!((0..32768).all(|c| p.lookup[c] != TRANSPARENT));
        }
    }

    #[test]
    fn later_frames_hold_only_the_changed_box() {
        let before = vec![0u8; 20 * 10];
        let mut after = before.clone();
        after[3 * 20 + 5] = 7;
        after[6 * 20 + 9] = 8;
        let f = changed_box(&before, &after, 20, 50);
        assert_eq!((f.left, f.top, f.width, f.height), (5, 3, 5, 4));
        assert_eq!(f.buffer[0], 7);
        assert_eq!(f.buffer[1], TRANSPARENT);
        assert_eq!(*f.buffer.last().unwrap(), 8);
        let same = changed_box(&before, &before, 20, 50);
        assert_eq!((same.width, same.height), (1, 1));
        assert_eq!(same.transparent, Some(TRANSPARENT));
    }
}
