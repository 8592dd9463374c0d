//! GDELT 1.0 and 2.0 event exports: tab-separated, normally without a header, 57 or 58
//! columns (1.0: backfile without SOURCEURL, daily files with it) and 61 columns (2.0).
//!
//! Actors come from Actor1/Actor2 Name, Code and CountryCode: a name that is a country becomes
//! that country; other actors are named with their country ("Police (Belarus)") and belong to
//! it. Type is the CAMEO event code with its root's name, class the QuadClass, location the
//! ActionGeo block, source the SOURCEURL. Parsing is hand-written over byte slices (GDELT has
//! no quoting, so a split on tabs is exact) and runs on every core through [`super::lines`].

use std::borrow::Cow;
use std::io::Read;
use std::sync::{Arc, Mutex};

use rustc_hash::FxHashMap;

use super::lines::{BlockParser, Part, for_each_line, read_parallel, split_tabs};
use super::{Diagnostics, Progress, ReadResult};
use crate::model::{
    ActorId, ActorKind, CountryTable, DatasetBuilder, EventClass, EventRef, Precision, day_number,
    days_in_month,
};

/// The names of the 20 CAMEO root codes, "01" to "20".
pub const CAMEO_ROOTS: [&str; 20] = [
    "make public statement",
    "appeal",
    "express intent to cooperate",
    "consult",
    "engage in diplomatic cooperation",
    "engage in material cooperation",
    "provide aid",
    "yield",
    "investigate",
    "demand",
    "disapprove",
    "reject",
    "threaten",
    "protest",
    "exhibit force posture",
    "reduce relations",
    "coerce",
    "assault",
    "fight",
    "use unconventional mass violence",
];

/// "consult (042)" for an event code; the code alone when its root is unknown.
pub fn cameo_type_name(code: &str) -> String {
    let root = code.get(..2).and_then(|r| r.parse::<usize>().ok());
    match root.and_then(|r| CAMEO_ROOTS.get(r.wrapping_sub(1))) {
        Some(name) => format!("{name} ({code})"),
        None => code.to_string(),
    }
}

/// Column positions of one GDELT layout.
#[derive(Clone, Copy)]
struct Layout {
    geo_name: usize,
    geo_lat: usize,
    geo_lon: usize,
    url: Option<usize>,
}

fn layout(columns: usize) -> Option<Layout> {
    match columns {
        57 => Some(Layout {
            geo_name: 50,
            geo_lat: 53,
            geo_lon: 54,
            url: None,
        }),
        58 => Some(Layout {
            geo_name: 50,
            geo_lat: 53,
            geo_lon: 54,
            url: Some(57),
        }),
        61 => Some(Layout {
            geo_name: 52,
            geo_lat: 56,
            geo_lon: 57,
            url: Some(60),
        }),
        _ => None,
    }
}

/// Whether the first line looks like a GDELT row: 57, 58 or 61 tab-separated fields, a numeric
/// id and an 8-digit SQLDATE (or the GDELT header).
pub fn looks_like_gdelt(first_line: &[u8]) -> bool {
    let mut fields = Vec::new();
    split_tabs(first_line, &mut fields);
    if layout(fields.len()).is_none() {
        return false;
    }
    if fields[0] == b"GLOBALEVENTID" {
        return true;
    }
    fields[0].iter().all(u8::is_ascii_digit)
        && fields[1].len() == 8
        && fields[1].iter().all(u8::is_ascii_digit)
}

/// The field as text; lossy only when it is not UTF-8 (`from_utf8` has an ASCII fast path
/// that `from_utf8_lossy` lacks).
fn text(bytes: &[u8]) -> Cow<'_, str> {
    match std::str::from_utf8(bytes) {
        Ok(s) => Cow::Borrowed(s),
        Err(_) => String::from_utf8_lossy(bytes),
    }
}

/// "DONALD TRUMP" → "Donald Trump", "THE EU" → "The EU": GDELT writes names in capitals;
/// words of up to three letters are mostly acronyms and stay so, except a few small words.
/// Names that are not all upper case stay as they are.
fn title_case(name: &str) -> String {
    if name.chars().any(|c| c.is_lowercase()) {
        return name.to_string();
    }
    const SMALL: [&str; 8] = ["THE", "OF", "AND", "FOR", "IN", "ON", "TO", "AL"];
    let mut out = String::with_capacity(name.len());
    for (i, word) in name.split(' ').enumerate() {
        if i > 0 {
            out.push(' ');
        }
        if word.chars().count() <= 3 && !SMALL.contains(&word) {
            out.push_str(word);
            continue;
        }
        let mut chars = word.chars();
        if let Some(first) = chars.next() {
            out.extend(first.to_uppercase());
            out.extend(chars.flat_map(char::to_lowercase));
        }
        if i > 0 && SMALL.contains(&word) {
            let len = out.len() - word.len();
            out.replace_range(len.., &word.to_lowercase());
        }
    }
    out
}

/// Parses an 8-digit YYYYMMDD into a day number, checking that the day exists.
fn sqldate(bytes: &[u8]) -> Option<i32> {
    if bytes.len() != 8 || !bytes.iter().all(u8::is_ascii_digit) {
        return None;
    }
    let num = |r: std::ops::Range<usize>| {
        bytes[r]
            .iter()
            .fold(0i32, |acc, b| acc * 10 + (b - b'0') as i32)
    };
    let (y, m, d) = (num(0..4), num(4..6), num(6..8));
    if !(1000..=2999).contains(&y) || !(1..=12).contains(&m) || d < 1 {
        return None;
    }
    if d > days_in_month(y, m as u8) as i32 {
        return None;
    }
    Some(day_number(y, m as u8, d as u8))
}

fn parse_f32(bytes: &[u8]) -> f32 {
    std::str::from_utf8(bytes)
        .ok()
        .and_then(|s| s.parse::<f32>().ok())
        .unwrap_or(f32::NAN)
}

/// Actor and type tables shared by the workers, so that each distinct actor is resolved once
/// per file rather than once per block, and parts need no merging.
#[derive(Default)]
pub struct Shared {
    tables: Mutex<Tables>,
}

#[derive(Default)]
struct Tables {
    /// Interns actors and types (its events stay empty).
    interner: DatasetBuilder,
    actors: FxHashMap<Vec<u8>, Option<ActorId>>,
    types: FxHashMap<Vec<u8>, u32>,
}

/// Parses blocks of GDELT lines; one per worker, with caches that outlive blocks.
pub struct GdeltParser {
    shared: Arc<Shared>,
    actors: FxHashMap<Vec<u8>, Option<ActorId>>,
    types: FxHashMap<Vec<u8>, u32>,
    key: Vec<u8>,
}

impl GdeltParser {
    pub fn new(shared: Arc<Shared>) -> Self {
        Self {
            shared,
            actors: FxHashMap::default(),
            types: FxHashMap::default(),
            key: Vec::with_capacity(64),
        }
    }

    /// The actor of one side of a row (`base` = 5 for Actor1, 15 for Actor2).
    fn actor(&mut self, f: &[&[u8]], base: usize) -> Option<ActorId> {
        let (code, name, country) = (f[base], f[base + 1], f[base + 2]);
        if code.is_empty() && name.is_empty() && country.is_empty() {
            return None;
        }
        self.key.clear();
        for part in [name, country, code] {
            self.key.extend_from_slice(part);
            self.key.push(0x1f);
        }
        if let Some(&id) = self.actors.get(self.key.as_slice()) {
            return id;
        }
        let id = {
            let mut tables = self.shared.tables.lock().unwrap_or_else(|e| e.into_inner());
            match tables.actors.get(self.key.as_slice()) {
                Some(&id) => id,
                None => {
                    let id = resolve_actor(&mut tables.interner, f, base);
                    tables.actors.insert(self.key.clone(), id);
                    id
                }
            }
        };
        self.actors.insert(self.key.clone(), id);
        id
    }

    fn type_id(&mut self, code: &[u8]) -> u32 {
        if let Some(&id) = self.types.get(code) {
            return id;
        }
        let id = {
            let mut tables = self.shared.tables.lock().unwrap_or_else(|e| e.into_inner());
            let id = tables.interner.type_id(&cameo_type_name(&text(code)));
            tables.types.insert(code.to_vec(), id);
            id
        };
        self.types.insert(code.to_vec(), id);
        id
    }
}

/// Resolves one side of a row to an actor (see the module docs).
fn resolve_actor(builder: &mut DatasetBuilder, f: &[&[u8]], base: usize) -> Option<ActorId> {
    let table = CountryTable::bundled();
    let (code, name, country) = (text(f[base]), text(f[base + 1]), text(f[base + 2]));
    let country_actor = if country.is_empty() {
        None
    } else {
        table
            .resolve_code(&country)
            .map(|c| builder.actors.intern_country(&c))
    };
    // A name that is a country is that country (GDELT names governments by their country).
    if !name.is_empty()
        && let Some(c) = table.resolve_name(&name)
    {
        return Some(builder.actors.intern_country(&c));
    }
    if name.is_empty() {
        // A code alone ("IGOEUREEC", "AFR"): its country, or the code as the name.
        return country_actor.or_else(|| builder.actor(&code, None));
    }
    let label = match country_actor {
        Some(c) => format!("{} ({})", title_case(&name), builder.actors.get(c).name),
        None => title_case(&name),
    };
    let group = !f[base + 3].is_empty()
        || matches!(
            &*text(f[base + 7]),
            "REB" | "INS" | "SEP" | "UAF" | "OPP" | "RAD"
        );
    let kind = if group {
        ActorKind::Group
    } else {
        ActorKind::Organisation
    };
    let why = match (group, country_actor.is_some()) {
        (true, true) => {
            "GDELT group code or rebel type → group; country from CountryCode (a code column)"
        }
        (true, false) => "GDELT group code or rebel type → group; no CountryCode",
        (false, true) => "GDELT name → organisation; country from CountryCode (a code column)",
        (false, false) => "GDELT name → organisation; no CountryCode",
    };
    let id = builder.actors.intern_because(&label, Some(kind), why)?;
    if let Some(c) = country_actor
        && c != id
    {
        builder.actors.get_mut(id).affiliation.get_or_insert(c);
    }
    Some(id)
}

impl BlockParser for GdeltParser {
    fn parse_block(&mut self, bytes: &[u8], first_line: u32) -> Part {
        let mut builder = DatasetBuilder::new();
        let mut diagnostics = Diagnostics::default();
        let mut rows = 0;
        let mut fields: Vec<&[u8]> = Vec::with_capacity(64);
        let mut lossy_lines = 0usize;
        for_each_line(bytes, first_line, |line_no, line| {
            if line.iter().all(u8::is_ascii_whitespace) {
                return;
            }
            rows += 1;
            split_tabs(line, &mut fields);
            let Some(layout) = layout(fields.len()) else {
                diagnostics.skip(
                    line_no,
                    1,
                    format!(
                        "{} tab-separated columns; GDELT rows have 57 or 58 (1.0) or 61 (2.0)",
                        fields.len()
                    ),
                );
                return;
            };
            if fields[0] == b"GLOBALEVENTID" {
                rows -= 1;
                return; // a header line
            }
            let Some(day) = sqldate(fields[1]) else {
                diagnostics.skip(
                    line_no,
                    2,
                    format!(
                        "SQLDATE '{}' is not a date (YYYYMMDD)",
                        crate::model::excerpt(&text(fields[1]))
                    ),
                );
                return;
            };
            let a1 = self.actor(&fields, 5);
            let a2 = self.actor(&fields, 15);
            let actors: ([ActorId; 2], usize) = match (a1, a2) {
                (Some(a), Some(b)) => ([a, b], 2),
                (Some(a), None) | (None, Some(a)) => ([a, a], 1),
                (None, None) => {
                    diagnostics.skip(line_no, 6, "no actor on either side");
                    return;
                }
            };
            let code = if fields[26].is_empty() {
                fields[28]
            } else {
                fields[26]
            };
            let type_id = self.type_id(code);
            let class = match fields[29] {
                b"1" => EventClass::VerbalCooperation,
                b"2" => EventClass::MaterialCooperation,
                b"3" => EventClass::VerbalConflict,
                b"4" => EventClass::MaterialConflict,
                _ => EventClass::from_cameo(&text(code)),
            };
            let mentions = std::str::from_utf8(fields[31])
                .ok()
                .and_then(|s| s.parse::<u32>().ok())
                .unwrap_or(0);
            let lat = parse_f32(fields[layout.geo_lat]);
            let lon = parse_f32(fields[layout.geo_lon]);
            let (lat, lon) = if (-90.0..=90.0).contains(&lat) && (-180.0..=180.0).contains(&lon) {
                (lat, lon)
            } else {
                (f32::NAN, f32::NAN)
            };
            let location = text(fields[layout.geo_name]);
            let url = layout.url.map(|i| text(fields[i])).unwrap_or_default();
            if matches!(location, Cow::Owned(_)) || matches!(url, Cow::Owned(_)) {
                lossy_lines += 1;
                if lossy_lines <= 100 {
                    diagnostics.warn(
                        line_no,
                        1,
                        "not valid UTF-8; decoded with replacement characters (�)",
                    );
                }
            }
            builder.push_ref(&EventRef {
                start: day,
                end: day,
                precision: Precision::Day,
                end_precision: Precision::Day,
                class,
                type_id,
                weight: 1.0,
                actors: &actors.0[..actors.1],
                title: "",
                location: &location,
                url: &url,
                lat,
                lon,
                intensity: parse_f32(fields[30]),
                count: mentions,
                line: line_no,
            });
        });
        if lossy_lines > 100 {
            diagnostics.warn(
                first_line,
                1,
                format!(
                    "{} more lines in this part were not valid UTF-8",
                    lossy_lines - 100
                ),
            );
        }
        Part {
            builder,
            diagnostics,
            rows,
        }
    }

    fn shared_ids(&self) -> bool {
        true
    }
}

/// Reads a GDELT export from `source`.
pub fn read_gdelt(source: impl Read + Send, progress: &Progress) -> ReadResult {
    let shared = Arc::new(Shared::default());
    let mut part = read_parallel(source, progress, || GdeltParser::new(Arc::clone(&shared)))?;
    let tables = std::mem::take(&mut *shared.tables.lock().unwrap_or_else(|e| e.into_inner()));
    let (actors, types) = tables.interner.into_tables();
    part.builder.set_tables(actors, types);
    super::finish_read(
        part.builder,
        part.diagnostics,
        part.rows,
        "the file has no rows",
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(columns: usize, date: &str, a1: (&str, &str, &str), a2: (&str, &str, &str)) -> String {
        let mut f = vec![String::new(); columns];
        f[0] = "1".into();
        f[1] = date.into();
        (f[5], f[6], f[7]) = (a1.0.into(), a1.1.into(), a1.2.into());
        (f[15], f[16], f[17]) = (a2.0.into(), a2.1.into(), a2.2.into());
        f[26] = "042".into();
        f[28] = "04".into();
        f[29] = "1".into();
        f[30] = "1.9".into();
        f[31] = "4".into();
        if columns == 61 {
            f[52] = "Minsk, Belarus".into();
            f[56] = "53.9".into();
            f[57] = "27.5667".into();
            f[60] = "https://example.org/a".into();
        }
        f.join("\t")
    }

    #[test]
    fn reads_rows_of_every_layout_and_resolves_countries() {
        let text = [
            row(
                61,
                "20191024",
                ("BLRGOV", "BELARUS", "BLR"),
                ("IRN", "IRAN", "IRN"),
            ),
            row(58, "20191023", ("BLRCOP", "POLICE", "BLR"), ("", "", "")),
            row(
                57,
                "19790101",
                ("", "", ""),
                ("USA", "UNITED STATES", "USA"),
            ),
        ]
        .join("\n");
        let (ds, diag) = read_gdelt(text.as_bytes(), &Progress::new()).unwrap();
        assert!(diag.errors.is_empty(), "{:?}", diag.errors);
        assert_eq!(ds.len(), 3);
        assert_eq!(ds.date_of(2).to_string(), "2019-10-24");
        let names: Vec<_> = ds.actors.iter().map(|(_, a)| a.name.clone()).collect();
        assert!(names.contains(&"Belarus".to_string()), "{names:?}");
        assert!(names.contains(&"Police (Belarus)".to_string()), "{names:?}");
        let police = ds.actors.find("Police (Belarus)").unwrap();
        assert_eq!(ds.actors.get(police).affiliation, ds.actors.find("Belarus"));
        assert_eq!(ds.type_name(2), "consult (042)");
        assert_eq!(ds.class[2], EventClass::VerbalCooperation);
        assert_eq!(ds.url(2), "https://example.org/a");
        assert_eq!(ds.location(2), "Minsk, Belarus");
        assert_eq!(ds.lat_lon(2), Some((53.9, 27.5667)));
        assert_eq!(ds.line(0), 3);
    }

    #[test]
    fn bad_rows_are_skipped_with_line_and_column() {
        let text = [
            row(61, "20191024", ("BLR", "BELARUS", "BLR"), ("", "", "")),
            row(61, "20191345", ("BLR", "BELARUS", "BLR"), ("", "", "")),
            row(61, "20191024", ("", "", ""), ("", "", "")),
            "too\tfew\tcolumns".to_string(),
        ]
        .join("\r\n");
        let (ds, diag) = read_gdelt(text.as_bytes(), &Progress::new()).unwrap();
        assert_eq!(ds.len(), 1);
        let got: Vec<_> = diag.errors.iter().map(|d| (d.line, d.column)).collect();
        assert_eq!(got, vec![(2, 2), (3, 6), (4, 1)]);
    }

    #[test]
    fn names_are_title_cased_keeping_acronyms() {
        assert_eq!(title_case("DONALD TRUMP"), "Donald Trump");
        assert_eq!(title_case("THE EU"), "The EU");
        assert_eq!(title_case("MINISTRY OF DEFENSE"), "Ministry of Defense");
        assert_eq!(title_case("Already Mixed"), "Already Mixed");
    }

    #[test]
    fn detects_gdelt_rows() {
        assert!(looks_like_gdelt(
            row(61, "20191024", ("", "", ""), ("", "", "")).as_bytes()
        ));
        assert!(looks_like_gdelt(
            row(57, "20191024", ("", "", ""), ("", "", "")).as_bytes()
        ));
        assert!(!looks_like_gdelt(b"date,actor1\n"));
    }
}
