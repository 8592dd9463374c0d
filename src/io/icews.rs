//! ICEWS coded event files: tab-separated with a header (Event ID, Event Date, Source Name,
//! Source Sectors, Source Country, Event Text, CAMEO Code, Intensity, Target Name, …), missing
//! values written `NA` (or left empty). Columns are found by their header names, so older and
//! newer layouts both read, and so does the snake_case layout the R tooling writes
//! (`event_id, event_date, source_name, …`: the same columns with the same meaning).
//! Runs on every core through [`super::lines`].

use std::collections::HashMap;
use std::io::Read;

use super::lines::{BlockParser, Part, for_each_line, read_parallel, split_tabs};
use super::{Diagnostics, Progress, ReadFailure, ReadResult};
use crate::model::{
    ActorId, ActorKind, CountryTable, DatasetBuilder, EventClass, EventRef, PartialDate,
};

/// Positions of the columns relmap uses.
#[derive(Clone, Debug)]
struct Columns {
    date: usize,
    source: [usize; 3],
    target: [usize; 3],
    text: Option<usize>,
    cameo: Option<usize>,
    intensity: Option<usize>,
    publisher: Option<usize>,
    place: Vec<usize>,
    lat: Option<usize>,
    lon: Option<usize>,
    count: usize,
}

impl Columns {
    fn from_header(header: &[&[u8]]) -> Result<Self, String> {
        let names: Vec<String> = header
            .iter()
            // The R tooling writes the same columns in snake_case ("event_date").
            .map(|h| {
                String::from_utf8_lossy(h)
                    .trim()
                    .to_ascii_lowercase()
                    .replace('_', " ")
            })
            .collect();
        let find = |n: &str| names.iter().position(|h| h == n);
        let need =
            |n: &str| find(n).ok_or_else(|| format!("line 1: no '{n}' column in the ICEWS header"));
        Ok(Self {
            date: need("event date")?,
            source: [
                need("source name")?,
                need("source sectors")?,
                need("source country")?,
            ],
            target: [
                need("target name")?,
                need("target sectors")?,
                need("target country")?,
            ],
            text: find("event text"),
            cameo: find("cameo code"),
            intensity: find("intensity"),
            publisher: find("publisher"),
            place: ["city", "province", "country"]
                .iter()
                .filter_map(|n| find(n))
                .collect(),
            lat: find("latitude"),
            lon: find("longitude"),
            count: names.len(),
        })
    }
}

fn value(bytes: &[u8]) -> std::borrow::Cow<'_, str> {
    match bytes {
        b"NA" | b"" => std::borrow::Cow::Borrowed(""),
        _ => String::from_utf8_lossy(bytes),
    }
}

struct IcewsParser {
    columns: Columns,
}

struct State {
    builder: DatasetBuilder,
    actors: HashMap<(String, String, String), Option<ActorId>>,
    types: HashMap<String, u32>,
}

impl State {
    fn actor(&mut self, name: &str, sectors: &str, country: &str) -> Option<ActorId> {
        let key = (name.to_string(), sectors.to_string(), country.to_string());
        if let Some(&id) = self.actors.get(&key) {
            return id;
        }
        let id = self.resolve(name, sectors, country);
        self.actors.insert(key, id);
        id
    }

    fn resolve(&mut self, name: &str, sectors: &str, country: &str) -> Option<ActorId> {
        if name.is_empty() {
            return None;
        }
        let table = CountryTable::bundled();
        if let Some(c) = table.resolve_name(name) {
            return Some(
                self.builder
                    .actors
                    .intern_country_from(&c, "ICEWS actor name"),
            );
        }
        // "Foreign Affairs (Bangladesh)" is a role within a country; a plain name with
        // sectors ("Shinzo Abe": Executive, Government) is a person.
        let (kind, kind_why) = if name.ends_with(')') {
            (
                ActorKind::Organisation,
                "ICEWS 'Role (Country)' → organisation",
            )
        } else if !sectors.is_empty() {
            (ActorKind::Person, "ICEWS plain name with sectors → person")
        } else {
            (ActorKind::Other, "ICEWS plain name without sectors → other")
        };
        let country = table.resolve_country_column(country);
        let why = match &country {
            Some(c) => format!(
                "{kind_why}; country from the country column ({})",
                c.rule.describe()
            ),
            None => format!("{kind_why}; no country in the country column"),
        };
        let id = self.builder.actors.intern_because(name, Some(kind), &why)?;
        if let Some(c) = country {
            let cid = self
                .builder
                .actors
                .intern_country_from(&c, "ICEWS country column");
            if cid != id {
                self.builder
                    .actors
                    .get_mut(id)
                    .affiliation
                    .get_or_insert(cid);
            }
        }
        Some(id)
    }
}

impl BlockParser for IcewsParser {
    fn parse_block(&mut self, bytes: &[u8], first_line: u32) -> Part {
        let c = &self.columns;
        let mut state = State {
            builder: DatasetBuilder::new(),
            actors: HashMap::new(),
            types: HashMap::new(),
        };
        let mut diagnostics = Diagnostics::default();
        let mut rows = 0;
        let mut f: Vec<&[u8]> = Vec::with_capacity(24);
        for_each_line(bytes, first_line, |line_no, line| {
            if line_no == 1 || line.iter().all(u8::is_ascii_whitespace) {
                return; // the header, or a blank line
            }
            rows += 1;
            split_tabs(line, &mut f);
            if f.len() < c.count {
                diagnostics.skip(
                    line_no,
                    f.len() as u32 + 1,
                    format!("{} columns where the header has {}", f.len(), c.count),
                );
                return;
            }
            let date_text = value(f[c.date]);
            let date = match PartialDate::parse(&date_text) {
                Ok(d) => d,
                Err(e) => {
                    diagnostics.skip(line_no, c.date as u32 + 1, format!("bad Event Date: {e}"));
                    return;
                }
            };
            let side = |s: [usize; 3]| (value(f[s[0]]), value(f[s[1]]), value(f[s[2]]));
            let (sn, ss, sc) = side(c.source);
            let (tn, ts, tc) = side(c.target);
            let a = state.actor(&sn, &ss, &sc);
            let b = state.actor(&tn, &ts, &tc);
            let actors: Vec<ActorId> = [a, b].into_iter().flatten().collect();
            if actors.is_empty() {
                diagnostics.skip(line_no, c.source[0] as u32 + 1, "no source or target actor");
                return;
            }
            let text = c.text.map(|i| value(f[i])).unwrap_or_default();
            let cameo = c.cameo.map(|i| value(f[i])).unwrap_or_default();
            let type_name = if text.is_empty() {
                cameo.to_string()
            } else {
                text.to_string()
            };
            let type_id = match state.types.get(&type_name) {
                Some(&id) => id,
                None => {
                    let id = state.builder.type_id(&type_name);
                    state.types.insert(type_name, id);
                    id
                }
            };
            let number = |i: Option<usize>| {
                i.and_then(|i| value(f[i]).parse::<f32>().ok())
                    .unwrap_or(f32::NAN)
            };
            let place: Vec<String> = c
                .place
                .iter()
                .map(|&i| value(f[i]).to_string())
                .filter(|p| !p.is_empty())
                .collect();
            let publisher = c.publisher.map(|i| value(f[i])).unwrap_or_default();
            state.builder.push_ref(&EventRef {
                start: date.first_day(),
                end: date.last_day(),
                precision: date.precision(),
                end_precision: date.precision(),
                class: EventClass::from_cameo(&cameo),
                type_id,
                weight: 1.0,
                actors: &actors,
                title: "",
                location: &place.join(", "),
                url: &publisher,
                lat: number(c.lat),
                lon: number(c.lon),
                intensity: number(c.intensity),
                source_count: 0,
                line: line_no,
            });
        });
        Part {
            builder: state.builder,
            diagnostics,
            rows,
        }
    }
}

/// Reads an ICEWS event file. The header is read first to find the columns.
pub fn read_icews(mut source: impl Read + Send, progress: &Progress) -> ReadResult {
    // Read the header line byte by byte: it is short, and the rest goes to the pipeline whole.
    let mut header = Vec::new();
    let mut byte = [0u8; 1];
    while header.len() < 64 * 1024 {
        match source.read(&mut byte) {
            Ok(0) => break,
            Ok(_) if byte[0] == b'\n' => break,
            Ok(_) => header.push(byte[0]),
            Err(e) => return Err(ReadFailure::new(format!("cannot read the file: {e}"))),
        }
    }
    let header = header
        .strip_prefix(b"\xEF\xBB\xBF")
        .unwrap_or(&header)
        .to_vec();
    let mut fields = Vec::new();
    split_tabs(&header, &mut fields);
    let columns = Columns::from_header(&fields).map_err(ReadFailure::new)?;
    // The pipeline numbers lines from 1; put the header back as line 1 so numbers match.
    let source = std::io::Cursor::new(b"header\n".to_vec()).chain(source);
    let part = read_parallel(source, progress, || IcewsParser {
        columns: columns.clone(),
    })?;
    super::finish_read(
        part.builder,
        part.diagnostics,
        part.rows,
        "the file has a header but no rows",
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    const HEADER: &str = "Event ID\tEvent Date\tSource Name\tSource Sectors\tSource Country\tEvent Text\tCAMEO Code\tIntensity\tTarget Name\tTarget Sectors\tTarget Country\tStory ID\tSentence Number\tPublisher\tCity\tDistrict\tProvince\tCountry\tLatitude\tLongitude";

    #[test]
    fn reads_actors_kinds_and_places() {
        let text = format!(
            "{HEADER}\n\
             1\t2018-06-01\tForeign Affairs (Bangladesh)\tExecutive,Government\tBangladesh\tConsult\t040\t1\tVietnam\tNA\tVietnam\t4\t2\tVNA\tHanoi\tNA\tHa Noi\tVietnam\t21.02\t105.84\n\
             2\t2018-13-01\tJapan\tNA\tJapan\tConsult\t040\t1\tVietnam\tNA\tVietnam\t4\t2\tVNA\tNA\tNA\tNA\tJapan\t35.6\t139.5\n\
             3\t2018-06-02\tShinzo Abe\tExecutive\tJapan\tMake statement\t010\t0\tNA\tNA\tNA\t4\t2\tVNA\tNA\tNA\tNA\tJapan\t35.6\t139.5\n"
        );
        let (ds, diag) = read_icews(text.as_bytes(), &Progress::new()).unwrap();
        assert_eq!(ds.len(), 2);
        assert_eq!(diag.errors.len(), 1);
        assert_eq!((diag.errors[0].line, diag.errors[0].column), (3, 2));
        let fa = ds.actors.find("Foreign Affairs (Bangladesh)").unwrap();
        assert_eq!(ds.actors.get(fa).kind, ActorKind::Organisation);
        assert_eq!(ds.actors.get(fa).affiliation, ds.actors.find("Bangladesh"));
        let abe = ds.actors.find("Shinzo Abe").unwrap();
        assert_eq!(ds.actors.get(abe).kind, ActorKind::Person);
        assert_eq!(ds.location(0), "Hanoi, Ha Noi, Vietnam");
        assert_eq!(ds.class[0], EventClass::VerbalCooperation);
        assert_eq!(ds.line(1), 4);
    }
}
