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
use super::{Diagnostics, Progress, ReadFailure, ReadResult};
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

/// Parses an 8-digit YYYYMMDD into a day number, checking that the day exists. Also
/// `YYYY-MM-DD`, as a query that made SQLDATE a DATE writes it (and the Parquet reader).
fn sqldate(bytes: &[u8]) -> Option<i32> {
    if bytes.len() == 10 && bytes[4] == b'-' && bytes[7] == b'-' {
        let mut digits = [0u8; 8];
        digits[..4].copy_from_slice(&bytes[..4]);
        digits[4..6].copy_from_slice(&bytes[5..7]);
        digits[6..].copy_from_slice(&bytes[8..]);
        return sqldate(&digits);
    }
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
        // Rows of one actor may differ in the group evidence (one names a known group, the
        // next not): the first such row is resolved again, so that it can make the actor
        // a group whatever order the rows (or the parallel blocks) come in.
        self.key.push(u8::from(group_evidence(f, base)));
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

/// Whether one side of a row says its actor is a group: a KnownGroupCode, or a rebel,
/// insurgent, separatist, armed, opposition or radical Type1Code.
fn group_evidence(f: &[&[u8]], base: usize) -> bool {
    !f[base + 3].is_empty()
        || matches!(
            f[base + 7],
            b"REB" | b"INS" | b"SEP" | b"UAF" | b"OPP" | b"RAD"
        )
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
    let group = group_evidence(f, base);
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
    // An actor any of whose rows says "group" is a group, not only when the first one did.
    if group && builder.actors.get(id).kind == ActorKind::Organisation {
        builder.actors.get_mut(id).kind = ActorKind::Group;
        builder.actors.set_why(id, why);
    }
    if let Some(c) = country_actor
        && c != id
    {
        builder.actors.get_mut(id).affiliation.get_or_insert(c);
    }
    Some(id)
}

/// What parsing rows gives: the events and the problems, before they become a [`Part`].
struct Sink {
    builder: DatasetBuilder,
    diagnostics: Diagnostics,
    rows: usize,
    lossy_lines: usize,
}

impl Sink {
    fn new() -> Self {
        Self {
            builder: DatasetBuilder::new(),
            diagnostics: Diagnostics::default(),
            rows: 0,
            lossy_lines: 0,
        }
    }

    /// Ends a part: one summary line for the lossy lines that were not listed.
    fn finish(mut self, first_line: u32) -> Part {
        if self.lossy_lines > 100 {
            self.diagnostics.warn(
                first_line,
                1,
                format!(
                    "{} more lines in this part were not valid UTF-8",
                    self.lossy_lines - 100
                ),
            );
        }
        Part {
            builder: self.builder,
            diagnostics: self.diagnostics,
            rows: self.rows,
        }
    }
}

impl GdeltParser {
    /// Reads one row whose fields are in a GDELT layout (57, 58 or 61 columns; the header
    /// path hands every row over in the 61-column layout).
    fn parse_row(&mut self, out: &mut Sink, line_no: u32, fields: &[&[u8]], layout: Layout) {
        let diagnostics = &mut out.diagnostics;
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
        let a1 = self.actor(fields, 5);
        let a2 = self.actor(fields, 15);
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
        // Not `unwrap_or_default()`: the default `Cow` is an *owned* empty string, which
        // counted every 57-column row (no SOURCEURL) as a lossy decode.
        let url = layout
            .url
            .map(|i| text(fields[i]))
            .unwrap_or(Cow::Borrowed(""));
        if matches!(location, Cow::Owned(_)) || matches!(url, Cow::Owned(_)) {
            out.lossy_lines += 1;
            if out.lossy_lines <= 100 {
                diagnostics.warn(
                    line_no,
                    1,
                    "not valid UTF-8; decoded with replacement characters (�)",
                );
            }
        }
        out.builder.push_ref(&EventRef {
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
            source_count: mentions,
            line: line_no,
        });
    }
}

impl BlockParser for GdeltParser {
    fn parse_block(&mut self, bytes: &[u8], first_line: u32) -> Part {
        let mut out = Sink::new();
        let mut fields: Vec<&[u8]> = Vec::with_capacity(64);
        for_each_line(bytes, first_line, |line_no, line| {
            if line.iter().all(u8::is_ascii_whitespace) {
                return;
            }
            out.rows += 1;
            split_tabs(line, &mut fields);
            let Some(layout) = layout(fields.len()) else {
                out.diagnostics.skip(
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
                out.rows -= 1;
                return; // a header line
            }
            self.parse_row(&mut out, line_no, &fields, layout);
        });
        out.finish(first_line)
    }

    fn shared_ids(&self) -> bool {
        true
    }
}

/// The names of the 61 columns of a GDELT 2.0 export, in order, as GDELT's codebook and
/// BigQuery's `gdelt-bq.gdeltv2.events` spell them. GDELT 1.0 has the same names less the
/// three `ADM2Code`s.
pub const GDELT2_COLUMNS: [&str; 61] = [
    "GLOBALEVENTID",
    "SQLDATE",
    "MonthYear",
    "Year",
    "FractionDate",
    "Actor1Code",
    "Actor1Name",
    "Actor1CountryCode",
    "Actor1KnownGroupCode",
    "Actor1EthnicCode",
    "Actor1Religion1Code",
    "Actor1Religion2Code",
    "Actor1Type1Code",
    "Actor1Type2Code",
    "Actor1Type3Code",
    "Actor2Code",
    "Actor2Name",
    "Actor2CountryCode",
    "Actor2KnownGroupCode",
    "Actor2EthnicCode",
    "Actor2Religion1Code",
    "Actor2Religion2Code",
    "Actor2Type1Code",
    "Actor2Type2Code",
    "Actor2Type3Code",
    "IsRootEvent",
    "EventCode",
    "EventBaseCode",
    "EventRootCode",
    "QuadClass",
    "GoldsteinScale",
    "NumMentions",
    "NumSources",
    "NumArticles",
    "AvgTone",
    "Actor1Geo_Type",
    "Actor1Geo_FullName",
    "Actor1Geo_CountryCode",
    "Actor1Geo_ADM1Code",
    "Actor1Geo_ADM2Code",
    "Actor1Geo_Lat",
    "Actor1Geo_Long",
    "Actor1Geo_FeatureID",
    "Actor2Geo_Type",
    "Actor2Geo_FullName",
    "Actor2Geo_CountryCode",
    "Actor2Geo_ADM1Code",
    "Actor2Geo_ADM2Code",
    "Actor2Geo_Lat",
    "Actor2Geo_Long",
    "Actor2Geo_FeatureID",
    "ActionGeo_Type",
    "ActionGeo_FullName",
    "ActionGeo_CountryCode",
    "ActionGeo_ADM1Code",
    "ActionGeo_ADM2Code",
    "ActionGeo_Lat",
    "ActionGeo_Long",
    "ActionGeo_FeatureID",
    "DATEADDED",
    "SOURCEURL",
];

/// A column name reduced to what tells GDELT's names apart: lower case, letters and digits
/// only, with the spellings other tools use folded onto GDELT's ("GlobalEventsID", "Day",
/// "Actor1Geo_Latitude").
fn column_key(name: &str) -> String {
    let key: String = name
        .trim()
        .trim_matches('"')
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .map(|c| c.to_ascii_lowercase())
        .collect();
    let key = match key.as_str() {
        "globaleventsid" | "globaleventid" | "eventid" => "globaleventid".to_string(),
        "day" | "sqldate" | "eventday" => "sqldate".to_string(),
        _ => key,
    };
    if let Some(stem) = key.strip_suffix("latitude") {
        return format!("{stem}lat");
    }
    if let Some(stem) = key.strip_suffix("longitude") {
        return format!("{stem}long");
    }
    if key.ends_with("geolon") {
        return format!("{key}g");
    }
    key
}

/// Where a header's columns sit, by GDELT 2.0 column (see [`GDELT2_COLUMNS`]).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HeaderColumns {
    /// `b'\t'` or `b','`.
    pub separator: u8,
    /// For each of the 61 GDELT 2.0 columns, the file's column holding it.
    pub columns: Vec<Option<usize>>,
    /// GDELT 2.0 when the header has 2.0's ADM2 codes, else 1.0.
    pub version: u8,
    /// The file's `count` column, when it has one: each row is an aggregate of that many
    /// GDELT events (the result of a query that grouped them, as `relmap sql` writes).
    pub count: Option<usize>,
}

/// Reads a header whose names are GDELT's (any case, `_` or not, in any order, with extra or
/// missing optional columns), comma or tab separated: a BigQuery export of
/// `gdelt-bq.gdeltv2.events` or `events_partitioned`, or a file another tool wrote with
/// GDELT's names. `None` when the line is not such a header: it needs the date column, an
/// actor column and an event code, and at least eight GDELT names in all.
pub fn header_columns(first_line: &[u8]) -> Option<HeaderColumns> {
    let line = first_line
        .strip_prefix(b"\xEF\xBB\xBF")
        .unwrap_or(first_line);
    let line = line.strip_suffix(b"\r").unwrap_or(line);
    let separator = if line.contains(&b'\t') { b'\t' } else { b',' };
    let names: Vec<String> = line
        .split(|&b| b == separator)
        .map(|n| column_key(&String::from_utf8_lossy(n)))
        .collect();
    if names.len() < 8 {
        return None;
    }
    let keys: Vec<String> = GDELT2_COLUMNS.iter().map(|n| column_key(n)).collect();
    let mut columns = vec![None; GDELT2_COLUMNS.len()];
    let mut matched = 0;
    for (at, name) in names.iter().enumerate() {
        if let Some(k) = keys.iter().position(|k| k == name)
            && columns[k].is_none()
        {
            columns[k] = Some(at);
            matched += 1;
        }
    }
    let has = |i: usize| columns[i].is_some();
    let actor = has(5) || has(6) || has(15) || has(16);
    if !(has(1) && actor && (has(26) || has(28)) && matched >= 8) {
        return None;
    }
    let version = if has(39) || has(47) || has(55) { 2 } else { 1 };
    let count = names
        .iter()
        .position(|n| matches!(n.as_str(), "count" | "eventcount" | "numevents"));
    Some(HeaderColumns {
        separator,
        columns,
        version,
        count,
    })
}

/// Reads a GDELT file whose first line is a header of GDELT's names, by name: quoted fields
/// (BigQuery quotes those holding its separator), reordered, extra and missing columns.
/// Sequential (the `csv` crate): such files come from queries and are small next to the raw
/// exports, which take the parallel path.
fn read_with_header(
    header: &HeaderColumns,
    source: impl Read,
    progress: &Progress,
    parser: &mut GdeltParser,
) -> Result<Part, ReadFailure> {
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(header.separator)
        // GDELT's own tab files have no quoting: a quote inside a name is a character.
        .quoting(header.separator != b'\t')
        .flexible(true)
        .has_headers(true)
        .from_reader(source);
    let mut out = Sink::new();
    let mut record = csv::ByteRecord::new();
    let l61 = layout(61).expect("61 columns is a layout");
    let mut counted = 0;
    loop {
        match reader.read_byte_record(&mut record) {
            Ok(true) => {}
            Ok(false) => break,
            Err(e) => {
                if progress.is_cancelled() {
                    return Err(ReadFailure::new("loading was cancelled"));
                }
                let line = e.position().map(|p| p.line() as u32).unwrap_or(0);
                if matches!(e.kind(), csv::ErrorKind::Io(_)) {
                    // Rows read so far are kept; the rest of the file is not readable.
                    out.diagnostics.skip(
                        line,
                        1,
                        format!("the rest of the file could not be read: {e}"),
                    );
                    break;
                }
                out.diagnostics
                    .skip(line, 1, format!("not a readable row: {e}"));
                continue;
            }
        }
        let line_no = record.position().map(|p| p.line() as u32).unwrap_or(0);
        if record.iter().all(|f| f.iter().all(u8::is_ascii_whitespace)) {
            continue;
        }
        out.rows += 1;
        // An aggregate's count first: a bad one skips the row before any actor is made.
        let events = match header.count {
            None => 1,
            Some(c) => match record.get(c).map(|f| text(f).trim().to_string()) {
                None => 1,
                Some(t) if t.is_empty() => 1,
                Some(t) => match super::row::parse_event_count(&t) {
                    Ok(n) => n,
                    Err(message) => {
                        out.diagnostics.skip(line_no, c as u32 + 1, message);
                        continue;
                    }
                },
            },
        };
        let fields: Vec<&[u8]> = header
            .columns
            .iter()
            .map(|c| c.and_then(|c| record.get(c)).unwrap_or(b""))
            .collect();
        let before = out.builder.event_count();
        parser.parse_row(&mut out, line_no, &fields, l61);
        if out.builder.event_count() > before {
            out.builder.set_last_multiplicity(events);
        }
        if out.rows - counted >= 4096 {
            progress.add_rows((out.rows - counted) as u64);
            counted = out.rows;
            if progress.is_cancelled() {
                return Err(ReadFailure::new("loading was cancelled"));
            }
        }
    }
    progress.add_rows((out.rows - counted) as u64);
    Ok(out.finish(1))
}

/// Reads a GDELT export from `source`: the raw tab-separated files (with or without GDELT's
/// header) on every core, a file with a header of GDELT's names by name.
pub fn read_gdelt(source: impl Read + Send, progress: &Progress) -> ReadResult {
    // The first line decides the path; it is read here and handed on in front of the rest.
    let mut source = std::io::BufReader::with_capacity(64 << 10, source);
    let first_line = {
        let buf = std::io::BufRead::fill_buf(&mut source)
            .map_err(|e| ReadFailure::new(format!("cannot read the file: {e}")))?;
        let end = memchr::memchr(b'\n', buf).unwrap_or(buf.len());
        buf[..end].to_vec()
    };
    let shared = Arc::new(Shared::default());
    let header = (!looks_like_gdelt(&first_line))
        .then(|| header_columns(&first_line))
        .flatten();
    let mut part = match header {
        Some(header) => {
            let mut parser = GdeltParser::new(Arc::clone(&shared));
            read_with_header(&header, source, progress, &mut parser)?
        }
        None => read_parallel(source, progress, || GdeltParser::new(Arc::clone(&shared)))?,
    };
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

/// GDELT files that are not event files, told apart by their first line (a header or a
/// row), with the one-line refusal to give: the mentions and GKG files that come beside
/// every export.
pub fn non_event_file(head: &[u8]) -> Option<&'static str> {
    let text = head.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(head);
    let line = text.split(|&b| b == b'\n').next().unwrap_or(text);
    let line = line.strip_suffix(b"\r").unwrap_or(line);
    let separator = if line.contains(&b'\t') { b'\t' } else { b',' };
    let fields: Vec<&[u8]> = line.split(|&b| b == separator).collect();
    let digits = |f: &[u8], n: usize| f.len() == n && f.iter().all(u8::is_ascii_digit);
    let numeric = |f: &[u8]| !f.is_empty() && f.iter().all(u8::is_ascii_digit);
    let key = |i: usize| {
        fields
            .get(i)
            .map(|f| column_key(&String::from_utf8_lossy(f)))
            .unwrap_or_default()
    };
    const MENTIONS: &str =
        "a GDELT 2.0 mentions file, not an events file: open the matching .export.CSV";
    const GKG2: &str = "a GDELT Global Knowledge Graph (GKG 2.x) file, not an events file: open the matching .export.CSV";
    const GKG1: &str = "a GDELT Global Knowledge Graph (GKG 1.0) file, not an events file: open the matching GDELT events file";
    // Headers, as GDELT's codebooks and BigQuery name the columns.
    if key(0) == "globaleventid" && key(1) == "eventtimedate" && key(2) == "mentiontimedate" {
        return Some(MENTIONS);
    }
    if key(0) == "gkgrecordid" {
        return Some(GKG2);
    }
    if key(0) == "date" && key(1) == "numarts" {
        return Some(GKG1);
    }
    // Rows, as GDELT ships them (tab-separated, no header).
    if separator != b'\t' {
        return None;
    }
    let n = fields.len();
    if n == 16 && numeric(fields[0]) && digits(fields[1], 14) && digits(fields[2], 14) {
        return Some(MENTIONS);
    }
    // GKGRECORDID: the 15-minute timestamp, `-`, a serial ("20150218230000-0"), with a `T`
    // before the serial in the translingual files.
    if let Some((stamp, serial)) = fields[0].split_first_chunk::<14>()
        && (20..=30).contains(&n)
        && stamp.iter().all(u8::is_ascii_digit)
        && let Some(serial) = serial.strip_prefix(b"-")
        && numeric(serial.strip_prefix(b"T").unwrap_or(serial))
    {
        return Some(GKG2);
    }
    if (n == 11 || n == 15) && digits(fields[0], 8) && numeric(fields[1]) {
        return Some(GKG1);
    }
    None
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
    fn an_actor_is_a_group_when_any_of_its_rows_says_so_in_any_order() {
        let plain = row(
            61,
            "20191024",
            ("JEW", "JEWISH", ""),
            ("IRN", "IRAN", "IRN"),
        );
        let mut group: Vec<String> = plain.split('\t').map(String::from).collect();
        group[8] = "JEW".into(); // Actor1KnownGroupCode
        let group = group.join("\t");
        for text in [
            format!("{plain}\n{group}\n{plain}"),
            format!("{group}\n{plain}"),
        ] {
            let (ds, _) = read_gdelt(text.as_bytes(), &Progress::new()).unwrap();
            let id = ds.actors.find("Jewish").expect("the actor");
            assert_eq!(ds.actors.get(id).kind, ActorKind::Group, "{text}");
        }
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
    fn a_count_column_makes_aggregates_and_bad_counts_skip_the_row() {
        let text = "SQLDATE,Actor1Code,Actor1Name,Actor1CountryCode,Actor2Code,Actor2Name,\
                    Actor2CountryCode,EventCode,EventRootCode,QuadClass,SOURCEURL,count\n\
                    20250314,BLR,BELARUS,BLR,IRN,IRAN,IRN,042,04,1,https://a.example,57\n\
                    2025-03-15,BLR,BELARUS,BLR,IRN,IRAN,IRN,042,04,1,https://b.example,\n\
                    20250316,BLR,BELARUS,BLR,IRN,IRAN,IRN,042,04,1,x,0\n\
                    20250317,BLR,BELARUS,BLR,IRN,IRAN,IRN,042,04,1,x,many\n";
        let header = header_columns(text.lines().next().unwrap().as_bytes()).unwrap();
        assert_eq!(header.count, Some(11));
        let (ds, diag) = read_gdelt(text.as_bytes(), &Progress::new()).unwrap();
        assert_eq!(ds.len(), 2);
        assert_eq!(ds.event_total(), 58, "57 plus an empty count taken as one");
        assert_eq!(ds.multiplicity(0), 57);
        assert_eq!(ds.url(0), "https://a.example");
        // The ISO date a query that made SQLDATE a DATE writes.
        assert_eq!(ds.date_of(1).to_string(), "2025-03-15");
        assert_eq!(diag.skipped, 2);
        assert_eq!((diag.errors[0].line, diag.errors[0].column), (4, 12));
        assert!(
            diag.errors[0].message.contains("count 0"),
            "{:?}",
            diag.errors
        );
        assert!(
            diag.errors[1].message.contains("'many'"),
            "{:?}",
            diag.errors
        );
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
