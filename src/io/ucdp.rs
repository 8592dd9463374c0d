//! UCDP GED, the Uppsala Georeferenced Event Dataset (CC BY 4.0): one row per event of
//! organised violence, with the columns UCDP names `id, year, type_of_violence, …, side_a,
//! side_b, …, where_coordinates, adm_1, …, latitude, longitude, …, country, …, date_start,
//! date_end, …, best, …`. Found by name, so every GED version reads; comma, tab, semicolon or
//! `|` separated (sniffed from the header), as UCDP's CSV or a re-export writes it.
//!
//! What becomes what:
//! - `side_a` and `side_b` are the event's actors; a side that lists allied groups
//!   ("Ahrar al-Sham, Jabhat Fateh al-Sham") gives one actor each. "Government of X" is an organisation
//!   affiliated to the country X (the pattern, not the `country` column: the Government of
//!   Russia fights in Syria). The country actor X itself is not put into the event: the
//!   government acted, not the whole country. It is created and reachable through the
//!   affiliation, so the geographic map rings the government around X and collapsing X folds
//!   the government into it.
//! - "Civilians" (one-sided violence) becomes "Civilians (X)" with X the event's `country`,
//!   a group of X, so that civilians in different countries are not one global hub.
//! - A side that is a country's whole name is that country. Every other side is a group with
//!   no country: its name is never searched for codes or demonyms ("IS" is the Islamic State,
//!   "KR" the Khmer Rouge, "Kyrgyz" an ethnic side of a communal conflict).
//! - `date_start`..`date_end` is the event's date range; `best` (the best estimate of deaths)
//!   is kept as the event's count, as ACLED's fatalities are; `type_of_violence` 1, 2, 3 is the
//!   type (state-based conflict, non-state conflict, one-sided violence), all material
//!   conflict; `where_description` (or `where_coordinates`), `adm_1` and `country` are the
//!   place; `source_headline` the title and `source_article` the source.

use std::io::Read;

use super::{Diagnostics, Progress, ReadFailure, ReadResult};
use crate::model::{
    ActorId, ActorKind, CountryMatch, CountryPattern, CountryRule, CountryTable, DatasetBuilder,
    EventClass, NewEvent, PartialDate,
};

/// Positions of the columns relmap uses.
struct Columns {
    side_a: usize,
    side_b: usize,
    date_start: usize,
    date_end: Option<usize>,
    violence: Option<usize>,
    best: Option<usize>,
    place: Vec<usize>,
    country: Option<usize>,
    lat: Option<usize>,
    lon: Option<usize>,
    headline: Option<usize>,
    article: Option<usize>,
}

impl Columns {
    fn from_header(header: &csv::StringRecord) -> Result<Self, String> {
        let names: Vec<String> = header
            .iter()
            .map(|h| h.trim().trim_start_matches('\u{feff}').to_ascii_lowercase())
            .collect();
        let find = |n: &str| names.iter().position(|h| h == n);
        let need =
            |n: &str| find(n).ok_or_else(|| format!("line 1: no '{n}' column in the UCDP header"));
        let place = [
            find("where_description").or_else(|| find("where_coordinates")),
            find("adm_1"),
            find("country"),
        ];
        Ok(Self {
            side_a: need("side_a")?,
            side_b: need("side_b")?,
            date_start: need("date_start")?,
            date_end: find("date_end"),
            violence: find("type_of_violence"),
            best: find("best"),
            place: place.into_iter().flatten().collect(),
            country: find("country"),
            lat: find("latitude"),
            lon: find("longitude"),
            headline: find("source_headline"),
            article: find("source_article"),
        })
    }
}

/// Whether a header line is UCDP GED's: it names both sides and the start date.
pub fn looks_like_ucdp(header: &str) -> bool {
    let names: Vec<String> = header
        .split([',', '\t', ';', '|'])
        .map(|n| n.trim().trim_matches('"').to_ascii_lowercase())
        .collect();
    ["side_a", "side_b", "date_start"]
        .iter()
        .all(|n| names.iter().any(|h| h == n))
}

/// The separator of a header line: the most frequent of comma, tab, semicolon and `|`.
fn sniff_delimiter(head: &[u8]) -> u8 {
    let line = head.split(|&b| b == b'\n').next().unwrap_or(head);
    [b',', b'\t', b';', b'|']
        .into_iter()
        .max_by_key(|&d| (line.iter().filter(|&&b| b == d).count(), d == b','))
        .unwrap_or(b',')
}

/// UCDP's dates are `2016-01-01`, or with a time when exported from a database
/// (`2016-01-01 00:00:00.000`): the time is dropped.
fn parse_date(text: &str) -> Result<PartialDate, crate::model::DateError> {
    let t = text.trim();
    let day = match t.as_bytes().get(10) {
        Some(b' ' | b'T') if t.is_char_boundary(10) => &t[..10],
        _ => t,
    };
    PartialDate::parse(day)
}

/// UCDP's spellings of country names that the country table does not know.
const UCDP_NAMES: &[(&str, &str)] = &[("Macedonia, FYR", "MKD")];

/// The event's country from UCDP's `country` column, which may add a former name
/// ("Yemen (North Yemen)", "DR Congo (Zaire)").
fn event_country<'a>(table: &'a CountryTable, text: &str) -> Option<CountryMatch<'a>> {
    table
        .resolve_country_column(text)
        .or_else(|| country_name(table, text))
}

/// A country as UCDP names it, whole: "Syria", "Russia (Soviet Union)", "Macedonia, FYR".
/// Never a code or a demonym.
fn country_name<'a>(table: &'a CountryTable, text: &str) -> Option<CountryMatch<'a>> {
    let text = text.trim();
    table
        .resolve_proper_name(text)
        .or_else(|| {
            let (name, _) = text.split_once(" (")?;
            table.resolve_proper_name(name)
        })
        .or_else(|| {
            let &(_, iso3) = UCDP_NAMES.iter().find(|(n, _)| *n == text)?;
            Some(CountryMatch {
                country: table.by_iso3(iso3)?,
                rule: CountryRule::AltName,
            })
        })
}

/// One side of an event (`column` is `side_a` or `side_b`; `country` the event's country).
fn side(
    builder: &mut DatasetBuilder,
    name: &str,
    column: &str,
    country_text: &str,
) -> Option<ActorId> {
    let name = name.trim();
    if name.is_empty() {
        return None;
    }
    let table = CountryTable::bundled();
    if name.eq_ignore_ascii_case("civilians") {
        let country = event_country(table, country_text);
        let label = match &country {
            Some(c) => format!("Civilians ({})", c.country.name),
            None if country_text.trim().is_empty() => "Civilians".to_string(),
            None => format!("Civilians ({})", country_text.trim()),
        };
        if let Some(id) = builder.actors.find_interned(&label) {
            return Some(id);
        }
        let why = match &country {
            Some(c) => format!(
                "UCDP {column} 'Civilians' → group of the event's country ({} in the country column)",
                c.rule.describe()
            ),
            None => format!(
                "UCDP {column} 'Civilians' → group; the country column names no known country"
            ),
        };
        let id = builder
            .actors
            .intern_because(&label, Some(ActorKind::Group), &why)?;
        if let Some(c) = country {
            let cid = builder
                .actors
                .intern_country_from(&c, "UCDP country column");
            builder.actors.get_mut(id).affiliation.get_or_insert(cid);
        }
        return Some(id);
    }
    if let Some(id) = builder.actors.find_interned(name) {
        return Some(id);
    }
    if let Some(c) = country_name(table, name) {
        return Some(
            builder
                .actors
                .intern_country_from(&c, &format!("UCDP {column}")),
        );
    }
    // Only the government pattern: UCDP names every government so, and nothing else in a
    // side's name says where it belongs.
    let government = name
        .strip_prefix("Government of ")
        .and_then(|rest| country_name(table, rest));
    if let Some(c) = government {
        let why = format!(
            "UCDP {column}: {} → organisation of {}",
            CountryPattern::GovernmentOf.describe(),
            c.country.name
        );
        let id = builder
            .actors
            .intern_because(name, Some(ActorKind::Organisation), &why)?;
        let whence = format!("UCDP {column} '{name}', pattern 'Government of X'");
        let cid = builder.actors.intern_country_from(&c, &whence);
        builder.actors.get_mut(id).affiliation.get_or_insert(cid);
        return Some(id);
    }
    let why = format!("UCDP {column}: a group; no country guessed from its name");
    builder
        .actors
        .intern_because(name, Some(ActorKind::Group), &why)
}

fn violence_type(code: &str) -> Option<&'static str> {
    match code.trim() {
        "1" => Some("state-based conflict"),
        "2" => Some("non-state conflict"),
        "3" => Some("one-sided violence"),
        _ => None,
    }
}

/// Reads a UCDP GED file; `head` is its first bytes, for the separator.
pub fn read_ucdp(head: &[u8], source: impl Read, progress: &Progress) -> ReadResult {
    let delimiter = sniff_delimiter(head.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(head));
    let line_shift = super::csv_line_shift(head);
    let mut reader = csv::ReaderBuilder::new()
        .flexible(true)
        .delimiter(delimiter)
        .from_reader(source);
    // Read as bytes: a bad byte costs one field's spelling, not the row (and the csv crate's
    // UTF-8 errors carry the wrong line).
    let header = reader
        .byte_headers()
        .map_err(|e| ReadFailure::new(format!("cannot read the header: {e}")))?;
    let header = csv::StringRecord::from_byte_record_lossy(header.clone());
    let c = Columns::from_header(&header).map_err(ReadFailure::new)?;
    let mut builder = DatasetBuilder::new();
    let mut diagnostics = Diagnostics::default();
    let column_of = |i: usize| i as u32 + 1;
    let rows = super::for_each_csv_row(
        &mut reader,
        line_shift,
        progress,
        &mut diagnostics,
        |line, record, diagnostics| {
            let get = |i: Option<usize>| i.and_then(|i| record.get(i)).unwrap_or("").trim();
            let start_text = get(Some(c.date_start));
            let date = match parse_date(start_text) {
                Ok(d) => d,
                Err(e) => {
                    diagnostics.skip(
                        line,
                        column_of(c.date_start),
                        format!("bad date_start: {e}"),
                    );
                    return;
                }
            };
            let end_date = match c.date_end.map(|i| (i, get(Some(i)))) {
                None | Some((_, "")) => None,
                Some((i, text)) => match parse_date(text) {
                    Ok(d) if d.last_day() >= date.first_day() => Some(d),
                    Ok(d) => {
                        diagnostics.warn(
                            line,
                            column_of(i),
                            format!("date_end {d} is before date_start {date}; ignored"),
                        );
                        None
                    }
                    Err(e) => {
                        diagnostics.warn(line, column_of(i), format!("bad date_end, ignored: {e}"));
                        None
                    }
                },
            };
            let country = get(c.country);
            let mut actors: Vec<ActorId> = Vec::with_capacity(2);
            for (i, column) in [(c.side_a, "side_a"), (c.side_b, "side_b")] {
                // Allied groups share a side: "Ahrar al-Sham, Jabhat Fateh al-Sham".
                for name in get(Some(i)).split(", ") {
                    if let Some(id) = side(&mut builder, name, column, country)
                        && !actors.contains(&id)
                    {
                        actors.push(id);
                    }
                }
            }
            if actors.is_empty() {
                diagnostics.skip(line, column_of(c.side_a), "no side_a or side_b");
                return;
            }
            let violence = get(c.violence);
            let event_type = match violence_type(violence) {
                Some(name) => name.to_string(),
                None => {
                    if let Some(i) = c.violence {
                        diagnostics.warn(
                            line,
                            column_of(i),
                            format!(
                                "type_of_violence '{}' is not 1, 2 or 3; kept as written",
                                crate::model::excerpt(violence)
                            ),
                        );
                    }
                    violence.to_string()
                }
            };
            let best = match (c.best, get(c.best)) {
                (_, "") | (None, _) => 0,
                (Some(i), text) => match text.parse::<f64>() {
                    Ok(v) if (0.0..=f64::from(u32::MAX)).contains(&v) => v.round() as u32,
                    _ => {
                        diagnostics.warn(
                            line,
                            column_of(i),
                            format!(
                                "best '{}' is not a number of deaths; 0 kept",
                                crate::model::excerpt(text)
                            ),
                        );
                        0
                    }
                },
            };
            let coordinate = |i: Option<usize>, limit: f64| {
                get(i).parse::<f64>().ok().filter(|v| v.abs() <= limit)
            };
            let mut place: Vec<&str> = Vec::with_capacity(3);
            for &i in &c.place {
                let part = get(Some(i));
                if !part.is_empty() && !place.contains(&part) {
                    place.push(part);
                }
            }
            builder.push(NewEvent {
                date,
                end_date,
                actors,
                event_type,
                class: EventClass::MaterialConflict,
                title: get(c.headline).to_string(),
                location: place.join(", "),
                lat: coordinate(c.lat, 90.0),
                lon: coordinate(c.lon, 180.0),
                url: get(c.article).to_string(),
                weight: 1.0,
                count: 1,
                line,
            });
            builder.set_last_source_count(best);
        },
    )?;
    super::finish_read(
        builder,
        diagnostics,
        rows,
        "the file has a header but no rows",
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    const HEADER: &str = "id,year,active_year,type_of_violence,conflict_new_id,conflict_name,dyad_new_id,dyad_name,side_a_new_id,side_a,side_b_new_id,gwnob,side_b,number_of_sources,source_article,source_office,source_date,source_headline,source_original,where_prec,where_coordinates,adm_1,adm_2,latitude,longitude,geom_wkt,priogrid_gid,country,country_id,region,event_clarity,date_prec,date_start,date_end,deaths_a,deaths_b,deaths_civilians,deaths_unknown,low,best,high";

    fn row(
        violence: &str,
        a: &str,
        b: &str,
        country: &str,
        start: &str,
        end: &str,
        best: &str,
    ) -> String {
        format!(
            "1,2016,1,{violence},1,x,1,x,1,{a},1,,{b},1,\"SOHR,2016-01-01,Clashes\",SOHR,2016-01-01,Clashes in Aleppo,SOHR,1,Aleppo town,Aleppo Governorate,x,36.2,37.16,POINT,1,{country},652,Middle East,1,1,{start},{end},0,0,0,0,{best},{best},{best}"
        )
    }

    #[test]
    fn reads_sides_dates_deaths_and_places() {
        let text = [
            HEADER.to_string(),
            row(
                "1",
                "Government of Syria",
                "IS",
                "Syria",
                "2016-01-01",
                "2016-01-03",
                "7",
            ),
            row(
                "3",
                "IS",
                "Civilians",
                "Syria",
                "2016-01-02 00:00:00.000",
                "2016-01-02",
                "2",
            ),
            row(
                "3",
                "KR",
                "Civilians",
                "Cambodia (Kampuchea)",
                "1978-05-01",
                "1978-05-01",
                "1",
            ),
            row(
                "2",
                "Kyrgyz",
                "Uzbek",
                "Kyrgyzstan",
                "not a date",
                "2010-06-11",
                "3",
            ),
            row(
                "2",
                "Kyrgyz",
                "Uzbek",
                "Kyrgyzstan",
                "2010-06-11",
                "2010-06-10",
                "x",
            ),
        ]
        .join("\n");
        let (ds, diag) = read_ucdp(text.as_bytes(), text.as_bytes(), &Progress::new()).unwrap();
        assert_eq!(ds.len(), 4);
        assert_eq!((diag.errors[0].line, diag.errors[0].column), (5, 33));
        assert_eq!(diag.warnings.len(), 2, "{:?}", diag.warnings);
        assert_eq!((diag.warnings[0].line, diag.warnings[0].column), (6, 34));
        assert_eq!((diag.warnings[1].line, diag.warnings[1].column), (6, 40));
        let is = ds.actors.find("IS").unwrap();
        assert_eq!(ds.actors.get(is).kind, ActorKind::Group);
        assert_eq!(ds.actors.get(is).affiliation, None);
        assert!(
            ds.actors
                .iter()
                .all(|(_, a)| a.iso3.as_deref() != Some("ISL"))
        );
        let kr = ds.actors.find("KR").unwrap();
        assert_eq!(ds.actors.get(kr).iso3, None);
        let kyrgyz = ds.actors.find("Kyrgyz").unwrap();
        assert_eq!(ds.actors.get(kyrgyz).kind, ActorKind::Group);
        let gov = ds.actors.find("Government of Syria").unwrap();
        assert_eq!(ds.actors.get(gov).kind, ActorKind::Organisation);
        assert_eq!(ds.actors.get(gov).affiliation, ds.actors.find("Syria"));
        assert!(ds.actors.why(gov).contains("pattern 'Government of X'"));
        let civ = ds.actors.find("Civilians (Syria)").unwrap();
        assert_eq!(ds.actors.get(civ).affiliation, ds.actors.find("Syria"));
        let civ_kh = ds.actors.find("Civilians (Cambodia)").unwrap();
        assert_ne!(civ, civ_kh, "civilians of two countries are two actors");
        // Sorted by start: 1978, 2010, 2016-01-01, 2016-01-02.
        assert_eq!(ds.date_of(2).to_string(), "2016-01-01");
        assert_eq!(ds.type_name(2), "state-based conflict");
        assert_eq!(ds.class[2], EventClass::MaterialConflict);
        assert_eq!(ds.records.source_count[ds.record[2] as usize], 7);
        assert_eq!(ds.title(2), "Clashes in Aleppo");
        assert_eq!(ds.url(2), "SOHR,2016-01-01,Clashes");
        assert_eq!(ds.location(2), "Aleppo town, Aleppo Governorate, Syria");
        assert_eq!(ds.end[2] - ds.start[2], 2, "date_start..date_end");
        assert_eq!(ds.end[1], ds.start[1], "an end before the start is ignored");
    }

    #[test]
    fn lines_are_right_with_crlf_line_ends() {
        let text = [
            HEADER.to_string(),
            row(
                "1",
                "Government of Syria",
                "IS",
                "Syria",
                "2016-01-01",
                "2016-01-03",
                "7",
            ),
            row(
                "1",
                "Government of Syria",
                "IS",
                "Syria",
                "2016-01-01",
                "2016-01-03",
                "7",
            ),
            row(
                "1",
                "Government of Syria",
                "IS",
                "Syria",
                "bad",
                "2016-01-03",
                "7",
            ),
        ]
        .join("\r\n");
        let (_, diag) = read_ucdp(text.as_bytes(), text.as_bytes(), &Progress::new()).unwrap();
        assert_eq!((diag.errors[0].line, diag.errors[0].column), (4, 33));
    }

    #[test]
    fn tab_separated_files_read_too() {
        let text = [
            HEADER.replace(',', "\t"),
            row(
                "1",
                "Government of Syria",
                "IS",
                "Syria",
                "2016-01-01",
                "2016-01-01",
                "7",
            )
            .replace(",\"SOHR,2016-01-01,Clashes\",", ",SOHR 2016-01-01 Clashes,")
            .replace(',', "\t"),
        ]
        .join("\n");
        assert!(looks_like_ucdp(text.lines().next().unwrap()));
        let (ds, diag) = read_ucdp(text.as_bytes(), text.as_bytes(), &Progress::new()).unwrap();
        assert_eq!((ds.len(), diag.skipped), (1, 0));
        assert_eq!(ds.records.source_count[ds.record[0] as usize], 7);
    }

    #[test]
    fn ucdp_country_names_resolve() {
        let table = CountryTable::bundled();
        for (text, iso3) in [
            ("Syria", "SYR"),
            ("Cambodia (Kampuchea)", "KHM"),
            ("Yemen (North Yemen)", "YEM"),
            ("Russia (Soviet Union)", "RUS"),
            ("Serbia (Yugoslavia)", "SRB"),
            ("Zimbabwe (Rhodesia)", "ZWE"),
            ("Madagascar (Malagasy)", "MDG"),
            ("DR Congo (Zaire)", "COD"),
            ("Myanmar (Burma)", "MMR"),
            ("Bosnia-Herzegovina", "BIH"),
            ("Macedonia, FYR", "MKD"),
            ("Kingdom of eSwatini (Swaziland)", "SWZ"),
            ("Vietnam (North Vietnam)", "VNM"),
            ("Timor-Leste (East Timor)", "TLS"),
            ("Ivory Coast", "CIV"),
            ("Congo", "COG"),
            ("United States of America", "USA"),
            ("Tanzania", "TZA"),
            ("Laos", "LAO"),
            ("Guinea-Bissau", "GNB"),
            ("Comoros", "COM"),
            ("Iran", "IRN"),
            ("Turkey", "TUR"),
            ("Sudan", "SDN"),
            ("South Sudan", "SSD"),
        ] {
            let mut ds = DatasetBuilder::new();
            let government = format!("Government of {text}");
            let id = side(&mut ds, &government, "side_a", "").unwrap();
            let parent = ds.actors.get(id).affiliation.map(|c| ds.actors.get(c));
            assert_eq!(
                parent.and_then(|c| c.iso3.as_deref()),
                Some(iso3),
                "{government}"
            );
            assert_eq!(
                event_country(table, text).map(|m| m.country.iso3.as_str()),
                Some(iso3),
                "{text}"
            );
        }
    }

    #[test]
    fn a_header_without_sides_is_refused() {
        let text = "id,date_start\n1,2016-01-01\n";
        let err = read_ucdp(text.as_bytes(), text.as_bytes(), &Progress::new()).unwrap_err();
        assert!(err.message.contains("side_a"), "{}", err.message);
    }
}
