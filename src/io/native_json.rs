//! The native JSON format: `{ "actors": [...], "events": [...] }`.
//!
//! Actors: `{"name", "kind", "country", "aliases"}` (all but `name` optional). Events carry the
//! native CSV's fields: `date` and `actors` (a list) or `actor1`/`actor2`, then `type`,
//! `class`, `title`, `location`, `lat`, `lon`, `url`, `weight`, `end_date`, `count` (an
//! aggregate: the number of events the entry stands for). Each event is
//! parsed on its own, so one bad event is skipped and reported with its line and column.

use serde::Deserialize;
use serde_json::value::RawValue;
use serde_json::{Map, Value};

use super::row::{Field, Pos, RowFields};
use super::{Diagnostics, ReadFailure, ReadResult};
use crate::model::{ActorKind, DatasetBuilder};

#[derive(Deserialize)]
struct Document<'a> {
    #[serde(default, borrow)]
    actors: Vec<&'a RawValue>,
    #[serde(default, borrow)]
    events: Vec<&'a RawValue>,
}

#[derive(Deserialize)]
struct ActorEntry {
    name: String,
    #[serde(default)]
    kind: Option<String>,
    #[serde(default)]
    country: Option<String>,
    #[serde(default)]
    aliases: Vec<String>,
}

/// Byte offset → 1-based (line, column), columns counted in characters.
struct LineIndex<'a> {
    text: &'a str,
    starts: Vec<usize>,
}

impl<'a> LineIndex<'a> {
    fn new(text: &'a str) -> Self {
        let mut starts = vec![0];
        starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        Self { text, starts }
    }

    fn position(&self, offset: usize) -> (u32, u32) {
        let line = self.starts.partition_point(|&s| s <= offset) - 1;
        let start = self.starts[line];
        let column = self.text[start..offset.min(self.text.len())]
            .chars()
            .count()
            + 1;
        (line as u32 + 1, column as u32)
    }

    /// Where a borrowed slice of the text begins.
    fn position_of(&self, part: &str) -> (u32, u32) {
        let offset = (part.as_ptr() as usize).saturating_sub(self.text.as_ptr() as usize);
        self.position(offset)
    }
}

fn scalar_text(value: &Value) -> Option<String> {
    match value {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

pub fn read_native_json(bytes: &[u8]) -> ReadResult {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let text = std::str::from_utf8(bytes).map_err(|e| {
        ReadFailure::new(format!(
            "not valid UTF-8 at byte {} (JSON must be UTF-8)",
            e.valid_up_to()
        ))
    })?;
    let index = LineIndex::new(text);
    let doc: Document = serde_json::from_str(text).map_err(|e| {
        ReadFailure::new(format!(
            "line {}, column {}: not a relmap JSON document: {e}",
            e.line(),
            e.column()
        ))
    })?;
    let mut diagnostics = Diagnostics::default();
    let mut builder = DatasetBuilder::new();

    for raw in &doc.actors {
        let (line, column) = index.position_of(raw.get());
        let entry: ActorEntry = match serde_json::from_str(raw.get()) {
            Ok(a) => a,
            Err(e) => {
                diagnostics.warn(line, column, format!("actor entry ignored: {e}"));
                continue;
            }
        };
        let kind = entry.kind.as_deref().and_then(ActorKind::parse);
        let known = builder.actors.len();
        let Some(id) = builder.actor(&entry.name, kind) else {
            diagnostics.warn(line, column, "actor entry with an empty name ignored");
            continue;
        };
        if builder.actors.len() > known && builder.actors.get(id).kind != ActorKind::Country {
            let why = match (kind, entry.country.is_some()) {
                (Some(_), true) => "native JSON actor entry: kind and country given",
                (Some(_), false) => "native JSON actor entry: kind given",
                (None, true) => "native JSON actor entry: country given",
                (None, false) => "native JSON actor entry: kept as written",
            };
            builder.actors.set_why(id, why);
        }
        if let Some(kind) = kind {
            builder.actors.get_mut(id).kind = kind;
        }
        if let Some(country) = entry.country.as_deref()
            && let Some(cid) = builder.actor(country, Some(ActorKind::Country))
            && cid != id
        {
            builder.actors.get_mut(id).affiliation = Some(cid);
        }
        for alias in &entry.aliases {
            builder.actors.add_alias(id, alias);
        }
    }

    for raw in &doc.events {
        let (line, column) = index.position_of(raw.get());
        let object: Map<String, Value> = match serde_json::from_str(raw.get()) {
            Ok(o) => o,
            Err(_) => {
                diagnostics.skip(line, column, "an event must be a JSON object");
                continue;
            }
        };
        // Keep owned texts alive while the row borrows them.
        let mut owned: Vec<(Field, String, Pos)> = Vec::new();
        for (key, value) in &object {
            let Some(field) = Field::from_column_name(key) else {
                continue;
            };
            let (vline, vcol) = find_key_position(&index, raw.get(), key).unwrap_or((line, column));
            let pos = Pos {
                line: vline,
                column: vcol,
            };
            let text = match (field, value) {
                (Field::Actors, Value::Array(items)) => items
                    .iter()
                    .filter_map(scalar_text)
                    .collect::<Vec<_>>()
                    .join(";"),
                (_, Value::Null) => continue,
                (_, v) => match scalar_text(v) {
                    Some(t) => t,
                    None => {
                        diagnostics.warn(
                            vline,
                            vcol,
                            format!("'{key}' should be text or a number; ignored"),
                        );
                        continue;
                    }
                },
            };
            owned.push((field, text, pos));
        }
        let mut fields = RowFields::new(line);
        for (field, text, pos) in &owned {
            fields.set(*field, text, *pos);
        }
        if let Some(event) = fields.into_event(&mut builder, &mut diagnostics) {
            builder.push(event);
        }
    }
    if builder.event_count() == 0 {
        let message = if doc.events.is_empty() {
            "no events in the document (expected an \"events\" list)".to_string()
        } else {
            format!(
                "none of the {} events could be read (see the errors)",
                doc.events.len()
            )
        };
        return Err(ReadFailure {
            message,
            diagnostics,
            needs_mapping: false,
        });
    }
    Ok((builder.finish(None), diagnostics))
}

/// Position of the value of `"key"` inside an event's raw text, for messages about it.
fn find_key_position(index: &LineIndex, raw: &str, key: &str) -> Option<(u32, u32)> {
    let needle = format!("\"{key}\"");
    let after_key = raw.find(&needle)? + needle.len();
    let rest = &raw[after_key..];
    let value = rest.trim_start_matches(|c: char| c.is_whitespace() || c == ':');
    Some(index.position_of(value))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_actors_and_events_with_metadata() {
        let text = r#"{
  "actors": [
    {"name": "Viktar Khrenin", "kind": "person", "country": "Belarus", "aliases": ["Viktor Khrenin"]}
  ],
  "events": [
    {"date": "2025-03-14", "actors": ["Viktor Khrenin", "Iran"], "type": "meeting", "lat": 53.9, "lon": 27.56},
    {"date": "May 2024", "actor1": "Belarus", "actor2": "Iran", "title": "Belt of Security"}
  ]
}"#;
        let (ds, diag) =
            read_native_json(text.as_bytes()).unwrap_or_else(|f| panic!("{}", f.message));
        assert!(
            diag.errors.is_empty() && diag.warnings.is_empty(),
            "{diag:?}"
        );
        assert_eq!(ds.len(), 2);
        let k = ds.actors.find("Viktar Khrenin").unwrap();
        assert_eq!(ds.actors.get(k).kind, ActorKind::Person);
        assert!(ds.actors.get(k).affiliation.is_some());
        assert_eq!(ds.lat_lon(1), Some((53.9, 27.56)));
        assert_eq!(ds.line(1), 6);
        assert_eq!(ds.actors_of(1).len(), 2);
    }

    #[test]
    fn a_bad_event_is_skipped_with_its_line_and_the_rest_kept() {
        let text = "{\"events\": [\n  {\"date\": \"2024-13-45\", \"actors\": [\"A\", \"B\"]},\n  {\"date\": \"2024\", \"actors\": [\"A\"]},\n  42\n]}";
        let (ds, diag) =
            read_native_json(text.as_bytes()).unwrap_or_else(|f| panic!("{}", f.message));
        assert_eq!(ds.len(), 1);
        assert_eq!(diag.skipped, 2);
        assert_eq!((diag.errors[0].line, diag.errors[0].column), (2, 12));
        assert_eq!(diag.errors[1].line, 4);
    }

    #[test]
    fn broken_documents_fail_with_a_position() {
        let err = read_native_json(b"{\"events\": [ {\"date\": ").unwrap_err();
        assert!(err.message.contains("line 1"), "{}", err.message);
        let err = read_native_json(b"{\"events\": []}").unwrap_err();
        assert!(err.message.contains("no events"));
    }
}
