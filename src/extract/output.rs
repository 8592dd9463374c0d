//! Candidates in relmap's native CSV and JSON (the columns and keys `relmap convert` writes,
//! which the native readers take back), plus `confidence`, `sentence_start` and
//! `sentence_end` (character offsets of the sentence in the input; the readers ignore them).

use std::io::Write;

use serde_json::{Map, Value, json};

use super::{ActorRef, Candidate, Extraction};

/// The native CSV header and the extractor's own columns after it.
pub const CSV_HEADER: &[&str] = &[
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
    "confidence",
    "sentence_start",
    "sentence_end",
];

/// A country's own row carries no country column (it is one).
fn country_column(actor: &ActorRef) -> &str {
    if actor.kind == crate::model::ActorKind::Country {
        ""
    } else {
        actor.country.as_deref().unwrap_or("")
    }
}

/// Writes the candidates as native CSV with the extra columns. `url` is the article's
/// source, written on every row.
pub fn write_csv(extraction: &Extraction, url: &str, out: &mut dyn Write) -> std::io::Result<()> {
    let mut w = csv::Writer::from_writer(out);
    w.write_record(CSV_HEADER)?;
    for c in &extraction.candidates {
        let rest = c.actors[2..]
            .iter()
            .map(|a| a.name.as_str())
            .collect::<Vec<_>>()
            .join(";");
        w.write_record([
            c.date.to_string().as_str(),
            "",
            &c.actors[0].name,
            c.actors[0].kind.label(),
            country_column(&c.actors[0]),
            &c.actors[1].name,
            c.actors[1].kind.label(),
            country_column(&c.actors[1]),
            &rest,
            c.type_name(),
            c.class.label(),
            &c.title,
            c.location.as_deref().unwrap_or(""),
            "",
            "",
            url,
            "",
            &format!("{:.2}", c.confidence),
            &c.sentence_chars.start.to_string(),
            &c.sentence_chars.end.to_string(),
        ])?;
    }
    w.flush()
}

/// The candidates as a native JSON document: `actors` (name, kind, country) and `events`
/// with the extra keys, plus the publication date the dates were read against.
pub fn json_document(extraction: &Extraction, url: &str) -> Value {
    let mut actors: Vec<&ActorRef> = Vec::new();
    for c in &extraction.candidates {
        for a in &c.actors {
            if !actors.iter().any(|k| k.name == a.name) {
                actors.push(a);
            }
        }
    }
    let actors: Vec<Value> = actors
        .into_iter()
        .map(|a| {
            let mut entry = Map::new();
            entry.insert("name".into(), json!(a.name));
            entry.insert("kind".into(), json!(a.kind.label()));
            let country = country_column(a);
            if !country.is_empty() {
                entry.insert("country".into(), json!(country));
            }
            Value::Object(entry)
        })
        .collect();
    let events: Vec<Value> = extraction
        .candidates
        .iter()
        .map(|c| event_json(c, url))
        .collect();
    json!({
        "publication_date": extraction.publication_date.to_string(),
        "actors": actors,
        "events": events,
    })
}

fn event_json(c: &Candidate, url: &str) -> Value {
    let mut entry = Map::new();
    entry.insert("date".into(), json!(c.date.to_string()));
    let names: Vec<&str> = c.actors.iter().map(|a| a.name.as_str()).collect();
    entry.insert("actors".into(), json!(names));
    entry.insert("type".into(), json!(c.type_name()));
    entry.insert("class".into(), json!(c.class.label()));
    entry.insert("title".into(), json!(c.title));
    if let Some(location) = &c.location {
        entry.insert("location".into(), json!(location));
    }
    if !url.is_empty() {
        entry.insert("url".into(), json!(url));
    }
    entry.insert(
        "confidence".into(),
        json!((c.confidence * 100.0).round() / 100.0),
    );
    entry.insert("sentence_start".into(), json!(c.sentence_chars.start));
    entry.insert("sentence_end".into(), json!(c.sentence_chars.end));
    Value::Object(entry)
}

/// Writes the JSON document, one actor or event per line (as `relmap convert` does).
pub fn write_json(extraction: &Extraction, url: &str, out: &mut dyn Write) -> std::io::Result<()> {
    let doc = json_document(extraction, url);
    writeln!(out, "{{")?;
    writeln!(
        out,
        "  \"publication_date\": {},",
        json!(extraction.publication_date.to_string())
    )?;
    // The rest as the native writer lays it out.
    let mut rest = Vec::new();
    crate::io::write::write_json_lines(&doc, &mut rest)?;
    let rest = String::from_utf8_lossy(&rest);
    out.write_all(rest.strip_prefix("{\n").unwrap_or(&rest).as_bytes())
}
