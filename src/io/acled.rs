//! ACLED CSV exports, in the current layout (since 2023: event_id_cnty, event_date, year,
//! time_precision, disorder_type, event_type, …) and the older one (data_id, iso, …): columns
//! are found by name. `inter1`/`inter2` give the actors' kinds whether written as numeric
//! codes 1–8 (older files), plural labels ("Rebel groups") or the 2025 singular labels
//! ("Rebel group", "State forces"): state forces are organisations of their country,
//! rebels, militias, rioters, protesters and civilians groups, external/other forces other.
//! Countries come only from whole names and ACLED's naming patterns, never from a code or a
//! bare demonym in a name. Dates as the export tool writes them ("01 November 2024"), as the API
//! does ("2024-11-01") or as a spreadsheet re-saved them ("5-Aug-24").

use std::io::Read;

use super::{Diagnostics, Progress, ReadFailure, ReadResult};
use crate::model::{
    ActorId, ActorKind, CountryTable, DatasetBuilder, EventClass, NewEvent, Precision,
};

struct Columns {
    date: usize,
    precision: Option<usize>,
    event_type: Option<usize>,
    sub_event_type: Option<usize>,
    actor1: usize,
    assoc1: Option<usize>,
    inter1: Option<usize>,
    actor2: Option<usize>,
    assoc2: Option<usize>,
    inter2: Option<usize>,
    location: Vec<usize>,
    lat: Option<usize>,
    lon: Option<usize>,
    source: Option<usize>,
    notes: Option<usize>,
    fatalities: Option<usize>,
}

impl Columns {
    fn from_header(header: &csv::StringRecord) -> Result<Self, String> {
        let names: Vec<String> = header
            .iter()
            .map(|h| h.trim().to_ascii_lowercase())
            .collect();
        let find = |n: &str| names.iter().position(|h| h == n);
        let need =
            |n: &str| find(n).ok_or_else(|| format!("line 1: no '{n}' column in the ACLED header"));
        Ok(Self {
            date: need("event_date")?,
            precision: find("time_precision"),
            event_type: find("event_type"),
            sub_event_type: find("sub_event_type"),
            actor1: need("actor1")?,
            assoc1: find("assoc_actor_1"),
            inter1: find("inter1"),
            actor2: find("actor2"),
            assoc2: find("assoc_actor_2"),
            inter2: find("inter2"),
            location: ["location", "admin1", "country"]
                .iter()
                .filter_map(|n| find(n))
                .collect(),
            lat: find("latitude"),
            lon: find("longitude"),
            source: find("source"),
            notes: find("notes"),
            fatalities: find("fatalities"),
        })
    }
}

/// The kind an ACLED interaction code implies, and its name: numeric codes 1–8 (older
/// files), plural labels (until 2024) or singular labels (the 2025 layout).
fn kind_of_inter(code: &str) -> Option<(ActorKind, &'static str)> {
    let c = code.trim().to_ascii_lowercase();
    Some(match c.as_str() {
        "1" | "state forces" | "state force" => (ActorKind::Organisation, "state forces"),
        "2" | "rebel group" | "rebel groups" => (ActorKind::Group, "rebel group"),
        "3" | "political militia" | "political militias" => (ActorKind::Group, "political militia"),
        "4" | "identity militia" | "identity militias" => (ActorKind::Group, "identity militia"),
        "5" | "rioters" | "rioter" => (ActorKind::Group, "rioters"),
        "6" | "protesters" | "protester" => (ActorKind::Group, "protesters"),
        "7" | "civilians" | "civilian" => (ActorKind::Group, "civilians"),
        "8" | "external/other forces" | "external/other force" => {
            (ActorKind::Other, "external/other forces")
        }
        _ => return None,
    })
}

/// ACLED's event types: political violence is material conflict, demonstrations verbal
/// conflict (riots material); strategic developments have no class.
fn class_of(event_type: &str) -> EventClass {
    match event_type.trim().to_ascii_lowercase().as_str() {
        "battles" | "explosions/remote violence" | "violence against civilians" | "riots" => {
            EventClass::MaterialConflict
        }
        "protests" => EventClass::VerbalConflict,
        _ => EventClass::Unknown,
    }
}

/// One ACLED actor. A name that is a whole country name (never a demonym: "Kyrgyz" is an
/// ethnic militia's people) is the country; otherwise the kind comes from the interaction
/// code (`inter` of column `inter_column`; associated actors have none) and the country from
/// ACLED's naming ("Military Forces of Sudan (2019-)", "Protesters (Kenya)").
fn actor(
    builder: &mut DatasetBuilder,
    name: &str,
    inter_column: &str,
    inter: &str,
) -> Option<ActorId> {
    let name = name.trim();
    if name.is_empty() {
        return None;
    }
    if let Some(id) = builder.actors.find_interned(name) {
        return Some(id);
    }
    let table = CountryTable::bundled();
    if let Some(c) = table.resolve_proper_name(name) {
        return Some(builder.actors.intern_country_from(&c, "ACLED actor name"));
    }
    let pattern = table.resolve_pattern(name);
    let (kind, mut why) = match kind_of_inter(inter) {
        Some((kind, label)) => {
            let said = if inter.trim().bytes().all(|b| b.is_ascii_digit()) {
                format!("ACLED {inter_column} code {}", inter.trim())
            } else {
                format!("ACLED {inter_column} '{}'", inter.trim())
            };
            (kind, format!("{said} ({label}) → {}", kind.label()))
        }
        None => match pattern {
            Some((_, p)) if p.is_state() => (
                ActorKind::Organisation,
                format!("no interaction code; {} → organisation", p.describe()),
            ),
            _ => (
                ActorKind::Other,
                "no interaction code: kind other".to_string(),
            ),
        },
    };
    match &pattern {
        Some((c, p)) => why.push_str(&format!("; {} → {}", p.describe(), c.country.name)),
        None => why.push_str("; no country in the name"),
    }
    let id = builder.actors.intern_because(name, Some(kind), &why)?;
    if let Some((c, p)) = pattern {
        let whence = format!("ACLED actor '{name}', {}", p.describe());
        let cid = builder.actors.intern_country_from(&c, &whence);
        if cid != id {
            builder.actors.get_mut(id).affiliation.get_or_insert(cid);
        }
    }
    Some(id)
}

/// Reads an ACLED export; `head` is its first bytes (for its line ends).
pub fn read_acled(head: &[u8], source: impl Read, progress: &Progress) -> ReadResult {
    let line_shift = super::csv_line_shift(head);
    let mut reader = csv::ReaderBuilder::new().flexible(true).from_reader(source);
    // Read as bytes: a bad byte costs one field's spelling, not the row (and the csv crate's
    // UTF-8 errors carry the wrong line).
    let header = reader
        .byte_headers()
        .map_err(|e| ReadFailure::new(format!("cannot read the header: {e}")))?;
    let header = csv::StringRecord::from_byte_record_lossy(header.clone());
    let c = Columns::from_header(&header).map_err(ReadFailure::new)?;
    let mut builder = DatasetBuilder::new();
    let mut diagnostics = Diagnostics::default();
    let rows = super::for_each_csv_row(
        &mut reader,
        line_shift,
        progress,
        &mut diagnostics,
        |line, record, diagnostics| {
            let get = |i: Option<usize>| i.and_then(|i| record.get(i)).unwrap_or("").trim();
            let date = match crate::model::PartialDate::parse(get(Some(c.date))) {
                Ok(d) => d,
                Err(e) => {
                    diagnostics.skip(line, c.date as u32 + 1, format!("bad event_date: {e}"));
                    return;
                }
            };
            // time_precision 3: ACLED only knows the month.
            let date = if get(c.precision) == "3" {
                date.truncated(Precision::Month)
            } else {
                date
            };
            let mut actors: Vec<ActorId> = Vec::with_capacity(4);
            let sides = [
                (Some(c.actor1), c.inter1, c.assoc1),
                (c.actor2, c.inter2, c.assoc2),
            ];
            for (n, (main, inter, assoc)) in sides.into_iter().enumerate() {
                let inter_column = if n == 0 { "inter1" } else { "inter2" };
                if let Some(id) = actor(&mut builder, get(main), inter_column, get(inter)) {
                    actors.push(id);
                }
                for name in get(assoc).split(';') {
                    if let Some(id) = actor(&mut builder, name, inter_column, "") {
                        actors.push(id);
                    }
                }
            }
            if actors.is_empty() {
                diagnostics.skip(line, c.actor1 as u32 + 1, "no actor");
                return;
            }
            let event_type = get(c.event_type);
            let sub = get(c.sub_event_type);
            let type_name = match (event_type.is_empty(), sub.is_empty()) {
                (false, false) => format!("{event_type}: {sub}"),
                (false, true) => event_type.to_string(),
                _ => sub.to_string(),
            };
            let coordinate = |i: Option<usize>, limit: f64| {
                get(i).parse::<f64>().ok().filter(|v| v.abs() <= limit)
            };
            let location: Vec<&str> = c
                .location
                .iter()
                .map(|&i| get(Some(i)))
                .filter(|s| !s.is_empty())
                .collect();
            let fatalities = get(c.fatalities).parse::<u32>().unwrap_or(0);
            builder.push(NewEvent {
                date,
                end_date: None,
                actors,
                event_type: type_name,
                class: class_of(event_type),
                title: get(c.notes).to_string(),
                location: location.join(", "),
                lat: coordinate(c.lat, 90.0),
                lon: coordinate(c.lon, 180.0),
                url: get(c.source).to_string(),
                weight: 1.0,
                count: 1,
                line,
            });
            builder.set_last_source_count(fatalities);
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

    const HEADER: &str = "event_id_cnty,event_date,year,time_precision,disorder_type,event_type,sub_event_type,actor1,assoc_actor_1,inter1,actor2,assoc_actor_2,inter2,interaction,civilian_targeting,iso,region,country,admin1,admin2,admin3,location,latitude,longitude,geo_precision,source,source_scale,notes,fatalities,tags,timestamp";

    #[test]
    fn reads_the_current_layout_with_its_date_forms() {
        let text = format!(
            "{HEADER}\n\
             SDN1,01 November 2024,2024,1,Political violence,Battles,Armed clash,Military Forces of Sudan (2019-),,State forces,Rapid Support Forces,,Rebel groups,12,,729,Northern Africa,Sudan,Khartoum,,,Omdurman,15.64,32.48,1,Sudan Tribune,National,\"Clashes, heavy\",7,,1700000000\n\
             KEN1,5-Aug-24,2024,3,Demonstrations,Protests,Peaceful protest,Protesters (Kenya),Teachers (Kenya); Students (Kenya),Protesters,,,,60,,404,Eastern Africa,Kenya,Nairobi,,,Nairobi,-1.28,36.82,1,Nation,National,Teachers march,0,,1700000000\n\
             KEN2,not a date,2024,1,Demonstrations,Protests,Peaceful protest,Protesters (Kenya),,Protesters,,,,60,,404,Eastern Africa,Kenya,Nairobi,,,Nairobi,-1.28,36.82,1,Nation,National,x,0,,1\n"
        );
        let (ds, diag) = read_acled(text.as_bytes(), text.as_bytes(), &Progress::new()).unwrap();
        assert_eq!(ds.len(), 2);
        assert_eq!((diag.errors[0].line, diag.errors[0].column), (4, 2));
        assert_eq!(
            ds.date_of(0).to_string(),
            "2024-08",
            "time_precision 3 keeps the month"
        );
        assert_eq!(
            ds.actors_of(0).len(),
            3,
            "actor1 and both associated actors"
        );
        let msf = ds.actors.find("Military Forces of Sudan (2019-)").unwrap();
        assert_eq!(ds.actors.get(msf).affiliation, ds.actors.find("Sudan"));
        assert_eq!(ds.actors.get(msf).kind, ActorKind::Organisation);
        assert_eq!(ds.type_name(1), "Battles: Armed clash");
        assert_eq!(ds.class[1], EventClass::MaterialConflict);
        assert_eq!(ds.title(1), "Clashes, heavy");
        assert_eq!(ds.records.source_count[ds.record[1] as usize], 7);
        assert_eq!(ds.location(1), "Omdurman, Khartoum, Sudan");
    }
}
