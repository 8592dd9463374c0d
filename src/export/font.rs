//! The one font every picture uses: Noto Sans (Regular and Bold, Latin, Greek and Cyrillic,
//! SIL Open Font License 1.1, see `assets/fonts/`), built into the binary. The GUI registers
//! these bytes with egui, the PNG export loads them into resvg's font database and the SVG names
//! [`FONT_FAMILY`], so that a label measured here has the same width in all three.
//!
//! Widths are the sum of the glyphs' advance widths (no kerning, which both egui and resvg
//! apply: shaped text is at most a few percent narrower than measured, so a box measured here
//! holds it). Read with `skrifa`, the font reader egui and resvg already use.

use std::collections::HashMap;
use std::sync::{Mutex, OnceLock};

use skrifa::instance::{LocationRef, Size};
use skrifa::{FontRef, GlyphId, MetadataProvider};

/// Noto Sans Regular (TrueType).
pub static REGULAR_TTF: &[u8] = include_bytes!("../../assets/fonts/NotoSans-Regular.ttf");
/// Noto Sans Bold (TrueType).
pub static BOLD_TTF: &[u8] = include_bytes!("../../assets/fonts/NotoSans-Bold.ttf");

/// The family name of both faces, as an SVG `font-family` names it.
pub const FONT_FAMILY: &str = "Noto Sans";

/// Characters below this code point (Latin, IPA, Greek, Cyrillic and its supplement) have their
/// advances in a table; others are looked up once and kept in a map.
const TABLE_END: u32 = 0x0530;

/// One face's metrics in font units.
struct Face {
    font: FontRef<'static>,
    units_per_em: f32,
    ascent: f32,
    /// Negative: below the baseline.
    descent: f32,
    leading: f32,
    /// Advance widths in font units of the characters below [`TABLE_END`].
    table: Vec<f32>,
    /// Advances of other characters, filled as they are met.
    others: Mutex<HashMap<char, f32>>,
}

impl Face {
    fn new(bytes: &'static [u8]) -> Face {
        let font = FontRef::new(bytes).expect("the bundled font parses");
        let metrics = font.metrics(Size::unscaled(), LocationRef::default());
        let mut face = Face {
            font,
            units_per_em: f32::from(metrics.units_per_em.max(1)),
            ascent: metrics.ascent,
            descent: metrics.descent,
            leading: metrics.leading,
            table: Vec::new(),
            others: Mutex::new(HashMap::new()),
        };
        face.table = (0..TABLE_END)
            .map(|c| char::from_u32(c).map_or(0.0, |c| face.lookup(c)))
            .collect();
        face
    }

    /// Advance of `c` in font units, read from the font. Control characters take no room, a tab
    /// is four spaces (as egui draws it), and a character the font lacks takes the width of the
    /// "missing glyph" box it is drawn as.
    fn lookup(&self, c: char) -> f32 {
        if c == '\t' {
            return 4.0 * self.lookup(' ');
        }
        if c.is_control() {
            return 0.0;
        }
        let glyph = self.font.charmap().map(c).unwrap_or(GlyphId::NOTDEF);
        self.font
            .glyph_metrics(Size::unscaled(), LocationRef::default())
            .advance_width(glyph)
            .unwrap_or(0.0)
    }

    fn advance(&self, c: char) -> f32 {
        if let Some(&a) = self.table.get(c as usize) {
            return a;
        }
        let mut others = self.others.lock().unwrap_or_else(|e| e.into_inner());
        *others.entry(c).or_insert_with(|| self.lookup(c))
    }
}

fn face(bold: bool) -> &'static Face {
    static REGULAR: OnceLock<Face> = OnceLock::new();
    static BOLD: OnceLock<Face> = OnceLock::new();
    if bold {
        BOLD.get_or_init(|| Face::new(BOLD_TTF))
    } else {
        REGULAR.get_or_init(|| Face::new(REGULAR_TTF))
    }
}

/// Width in points of `text` on one line at `font_size` points.
pub fn text_width(text: &str, font_size: f32, bold: bool) -> f32 {
    let face = face(bold);
    let units: f32 = text.chars().map(|c| face.advance(c)).sum();
    units * font_size / face.units_per_em
}

/// Height of one line of text at `font_size` points: ascent + descent + line gap, the height of
/// a label's box (what egui calls the row height).
pub fn line_height(font_size: f32) -> f32 {
    let f = face(false);
    (f.ascent - f.descent + f.leading) * font_size / f.units_per_em
}

/// Distance from the top of a line's box down to its baseline at `font_size` points.
pub fn ascent(font_size: f32) -> f32 {
    let f = face(false);
    f.ascent * font_size / f.units_per_em
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn width_grows_with_text_and_scales_with_size() {
        let short = text_width("Iran", 12.0, false);
        let long = text_width("Islamic Republic of Iran", 12.0, false);
        assert!(short > 10.0 && short < 40.0, "{short}");
        assert!(long > 3.0 * short, "{long} vs {short}");
        let double = text_width("Islamic Republic of Iran", 24.0, false);
        assert!((double - 2.0 * long).abs() < 1e-3, "{double} vs {long}");
        assert_eq!(text_width("", 12.0, false), 0.0);
        // Bold is wider; Cyrillic and Greek are in the font (not the missing-glyph box).
        assert!(text_width("Belarus", 12.0, true) > text_width("Belarus", 12.0, false));
        let notdef = text_width("\u{4E2D}", 12.0, false);
        assert!(text_width("Ж", 12.0, false) != notdef);
        assert!(text_width("Ω", 12.0, false) != notdef);
        // Out-of-table characters are measured too, and the same way each time.
        let euro = text_width("€", 12.0, false);
        assert!(euro > 3.0 && euro == text_width("€", 12.0, false));
        assert_eq!(
            text_width("a\u{7}b", 12.0, false),
            text_width("ab", 12.0, false)
        );
    }

    #[test]
    fn line_metrics() {
        let h = line_height(10.0);
        assert!(h > 11.0 && h < 15.0, "{h}");
        assert!(ascent(10.0) > 7.0 && ascent(10.0) < h);
        assert!((line_height(20.0) - 2.0 * h).abs() < 1e-4);
    }
}
