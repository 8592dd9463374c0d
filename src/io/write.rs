//! Writing events in relmap's native formats, so that what the readers take in can be
//! written back out: the filtered events of a window as CSV or JSON, the data embedded in a
//! workspace, and `relmap convert`. Native JSON keeps everything the model holds about an
//! actor (kind, country, aliases); native CSV keeps the kinds and countries of the first two
//! actors of each event, as its columns allow, and no aliases.

use std::io::Write;

use serde_json::{Map, Value, json};

use crate::model::{ActorId, ActorKind, Dataset, EventClass, EventId};

/// The events as a native JSON document (`{"actors": [...], "events": [...]}`), with the
/// actors they name (and the countries those belong to).
pub fn native_json(ds: &Dataset, events: &[EventId]) -> Value {
    let mut used = vec![false; ds.actors.len()];
    for &e in events {
        for &a in ds.actors_of(e) {
            used[a as usize] = true;
            if let Some(c) = ds.actors.get(a).affiliation {
                used[c as usize] = true;
            }
        }
    }
    let actors: Vec<Value> = ds
        .actors
        .iter()
        .filter(|(id, _)| used[*id as usize])
        .map(|(_, actor)| {
            let mut entry = Map::new();
            entry.insert("name".into(), json!(actor.name));
            entry.insert("kind".into(), json!(actor.kind.label()));
            if let Some(c) = actor.affiliation {
                entry.insert("country".into(), json!(ds.actors.get(c).name));
            }
            if !actor.aliases.is_empty() {
                entry.insert("aliases".into(), json!(actor.aliases));
            }
            Value::Object(entry)
        })
        .collect();
    let events: Vec<Value> = events.iter().map(|&e| event_json(ds, e)).collect();
    json!({ "actors": actors, "events": events })
}

fn event_json(ds: &Dataset, e: EventId) -> Value {
    let mut entry = Map::new();
    entry.insert("date".into(), json!(ds.date_of(e).to_string()));
    if let Some(end) = ds.end_date_of(e) {
        entry.insert("end_date".into(), json!(end.to_string()));
    }
    let names: Vec<&str> = ds
        .actors_of(e)
        .iter()
        .map(|&a| ds.actors.get(a).name.as_str())
        .collect();
    entry.insert("actors".into(), json!(names));
    let mut text = |key: &str, value: &str| {
        if !value.is_empty() {
            entry.insert(key.into(), json!(value));
        }
    };
    text("type", ds.type_name(e));
    let class = ds.class[e as usize];
    if class != EventClass::Unknown {
        text("class", class.label());
    }
    text("title", ds.title(e));
    text("location", ds.location(e));
    text("url", ds.url(e));
    if let Some((lat, lon)) = ds.lat_lon(e) {
        entry.insert("lat".into(), json!(lat));
        entry.insert("lon".into(), json!(lon));
    }
    let weight = ds.weight[e as usize];
    if weight != 1.0 {
        entry.insert("weight".into(), json!(weight));
    }
    let count = ds.multiplicity(e);
    if count != 1 {
        entry.insert("count".into(), json!(count));
    }
    Value::Object(entry)
}

/// Writes the events as native JSON, one event per line so that a reader's line numbers
/// point at an event.
pub fn write_native_json(
    ds: &Dataset,
    events: &[EventId],
    out: &mut dyn Write,
) -> std::io::Result<()> {
    let doc = native_json(ds, events);
    write_json_lines(&doc, out)
}

/// A native JSON document with each actor and event on a line of its own.
pub fn write_json_lines(doc: &Value, out: &mut dyn Write) -> std::io::Result<()> {
    out.write_all(b"{\n")?;
    for (k, key) in ["actors", "events"].into_iter().enumerate() {
        let items = doc
            .get(key)
            .and_then(Value::as_array)
            .map_or(&[][..], |v| v.as_slice());
        writeln!(out, "  {}: [", json!(key))?;
        for (i, item) in items.iter().enumerate() {
            let comma = if i + 1 < items.len() { "," } else { "" };
            writeln!(out, "    {item}{comma}")?;
        }
        writeln!(out, "  ]{}", if k == 0 { "," } else { "" })?;
    }
    out.write_all(b"}\n")
}

/// Writes the events as native CSV (or TSV, by `separator`): the first two actors in `actor1` and `actor2` with their
/// kinds and countries, any further ones in `actors` (names separated by `;`). A dataset of
/// aggregates gets a last column `count` (the events each row stands for); others keep the
/// header they always had.
pub fn write_native_csv(
    ds: &Dataset,
    events: &[EventId],
    out: &mut dyn Write,
    separator: u8,
) -> std::io::Result<()> {
    let mut w = csv::WriterBuilder::new()
        .delimiter(separator)
        .from_writer(out);
    let aggregated = ds.is_aggregated();
    let mut header = vec![
        "date",
        "end_date",
        "actor1",
        "actor1_kind",
        "actor1_country",
        "actor2",
        "actor2_kind",
        "actor2_country",
        "actors",
        "type",
        "class",
        "title",
        "location",
        "lat",
        "lon",
        "url",
        "weight",
    ];
    if aggregated {
        header.push("count");
    }
    w.write_record(&header)?;
    let kind = |a: ActorId| ds.actors.get(a).kind;
    let country = |a: ActorId| {
        ds.actors
            .get(a)
            .affiliation
            .map(|c| ds.actors.get(c).name.clone())
            .unwrap_or_default()
    };
    for &e in events {
        let actors = ds.actors_of(e);
        let name = |i: usize| {
            actors
                .get(i)
                .map_or("", |&a| ds.actors.get(a).name.as_str())
        };
        let kind_of = |i: usize| {
            actors
                .get(i)
                .map(|&a| kind(a))
                .filter(|k| *k != ActorKind::Other)
                .map_or("", |k| k.label())
        };
        let country_of = |i: usize| actors.get(i).map(|&a| country(a)).unwrap_or_default();
        // The reader takes actor1, actor2, then the `actors` list: the first two go to their
        // columns (with kind and country), any others to the list.
        let rest = actors
            .iter()
            .skip(2)
            .map(|&a| ds.actors.get(a).name.as_str())
            .collect::<Vec<_>>()
            .join(";");
        let (lat, lon) = ds
            .lat_lon(e)
            .map_or((String::new(), String::new()), |(a, b)| {
                (a.to_string(), b.to_string())
            });
        let weight = ds.weight[e as usize];
        let class = ds.class[e as usize];
        let count = ds.multiplicity(e).to_string();
        let date = ds.date_of(e).to_string();
        let row = [
            date.as_str(),
            &ds.end_date_of(e).map(|d| d.to_string()).unwrap_or_default(),
            name(0),
            kind_of(0),
            &country_of(0),
            name(1),
            kind_of(1),
            &country_of(1),
            &rest,
            ds.type_name(e),
            if class == EventClass::Unknown {
                ""
            } else {
                class.label()
            },
            ds.title(e),
            ds.location(e),
            &lat,
            &lon,
            ds.url(e),
            &if weight == 1.0 {
                String::new()
            } else {
                weight.to_string()
            },
            &count,
        ];
        w.write_record(&row[..row.len() - usize::from(!aggregated)])?;
    }
    w.flush()
}
