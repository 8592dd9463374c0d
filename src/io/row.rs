//! The fields of one native row (CSV or JSON) and how they become an event. Both native
//! readers go through here, so they accept and reject exactly the same things.

use super::Diagnostics;
use crate::model::{ActorId, ActorKind, DatasetBuilder, EventClass, NewEvent, PartialDate};

/// A logical field of the native formats.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Field {
    Date,
    EndDate,
    Actor1,
    Actor2,
    Actors,
    Actor1Kind,
    Actor1Country,
    Actor2Kind,
    Actor2Country,
    Type,
    Class,
    Title,
    Location,
    Lat,
    Lon,
    Url,
    Weight,
    /// How many events the row stands for (an aggregate): a whole number ≥ 1.
    Count,
}

impl Field {
    /// The field a column name means, ignoring case, spaces, `-` and `_`.
    pub fn from_column_name(name: &str) -> Option<Self> {
        let key: String = name
            .trim()
            .chars()
            .filter(|c| !matches!(c, ' ' | '_' | '-' | '.'))
            .flat_map(char::to_lowercase)
            .collect();
        Some(match key.as_str() {
            "date" | "start" | "startdate" | "eventdate" | "day" => Self::Date,
            "end" | "enddate" => Self::EndDate,
            "actor1" | "actora" | "initiator" | "from" | "sourceactor" => Self::Actor1,
            "actor2" | "actorb" | "target" | "to" | "targetactor" => Self::Actor2,
            "actors" | "participants" => Self::Actors,
            "actor1kind" | "actor1type" => Self::Actor1Kind,
            "actor1country" => Self::Actor1Country,
            "actor2kind" | "actor2type" => Self::Actor2Kind,
            "actor2country" => Self::Actor2Country,
            "type" | "eventtype" | "category" => Self::Type,
            "class" | "quadclass" => Self::Class,
            "title" | "description" | "summary" | "event" => Self::Title,
            "location" | "place" => Self::Location,
            "lat" | "latitude" => Self::Lat,
            "lon" | "lng" | "long" | "longitude" => Self::Lon,
            "url" | "source" | "sourceurl" | "link" => Self::Url,
            "weight" => Self::Weight,
            // Not `events` or `n`: columns of those names in other people's files hold
            // other things, and a count that is not a number skips the row.
            "count" | "eventcount" | "numevents" => Self::Count,
            _ => return None,
        })
    }

    pub fn name(self) -> &'static str {
        match self {
            Self::Date => "date",
            Self::EndDate => "end_date",
            Self::Actor1 => "actor1",
            Self::Actor2 => "actor2",
            Self::Actors => "actors",
            Self::Actor1Kind => "actor1_kind",
            Self::Actor1Country => "actor1_country",
            Self::Actor2Kind => "actor2_kind",
            Self::Actor2Country => "actor2_country",
            Self::Type => "type",
            Self::Class => "class",
            Self::Title => "title",
            Self::Location => "location",
            Self::Lat => "lat",
            Self::Lon => "lon",
            Self::Url => "url",
            Self::Weight => "weight",
            Self::Count => "count",
        }
    }
}

/// Where a value sits in the file: 1-based line and column.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Pos {
    pub line: u32,
    pub column: u32,
}

/// The values of one row, by field, with the place each came from for messages.
#[derive(Default)]
pub struct RowFields<'a> {
    values: Vec<(Field, &'a str, Pos)>,
    /// The line the row (or JSON object) starts on.
    pub line: u32,
}

impl<'a> RowFields<'a> {
    pub fn new(line: u32) -> Self {
        Self {
            values: Vec::with_capacity(12),
            line,
        }
    }

    pub fn set(&mut self, field: Field, value: &'a str, pos: Pos) {
        self.values.push((field, value, pos));
    }

    fn get(&self, field: Field) -> Option<(&'a str, Pos)> {
        self.values
            .iter()
            .find(|(f, v, _)| *f == field && !v.trim().is_empty())
            .map(|(_, v, p)| (v.trim(), *p))
    }

    /// Where a field is (or the row's start when it is absent).
    fn pos(&self, fields: &[Field]) -> Pos {
        self.values
            .iter()
            .find(|(f, _, _)| fields.contains(f))
            .map(|(_, _, p)| *p)
            .unwrap_or(Pos {
                line: self.line,
                column: 1,
            })
    }

    /// Turns the row into an event, interning its actors. A row with no usable date or no
    /// actor is skipped with its reason; a bad optional field is dropped with a warning.
    pub fn into_event(
        self,
        builder: &mut DatasetBuilder,
        diagnostics: &mut Diagnostics,
    ) -> Option<NewEvent> {
        let line = self.line;
        let Some((date_text, date_pos)) = self.get(Field::Date) else {
            let p = self.pos(&[Field::Date]);
            diagnostics.skip(p.line, p.column, "no date");
            return None;
        };
        let date = match PartialDate::parse(date_text) {
            Ok(d) => d,
            Err(e) => {
                diagnostics.skip(date_pos.line, date_pos.column, format!("bad date: {e}"));
                return None;
            }
        };
        // Before the actors, so that a skipped row interns none.
        let count = match self.get(Field::Count) {
            None => 1,
            Some((text, p)) => match parse_event_count(text) {
                Ok(n) => n,
                Err(message) => {
                    diagnostics.skip(p.line, p.column, message);
                    return None;
                }
            },
        };
        let end_date = match self.get(Field::EndDate) {
            None => None,
            Some((text, p)) => match PartialDate::parse(text) {
                Ok(d) if d.last_day() >= date.first_day() => Some(d),
                Ok(d) => {
                    diagnostics.warn(
                        p.line,
                        p.column,
                        format!("end date {d} is before the start {date}; ignored"),
                    );
                    None
                }
                Err(e) => {
                    diagnostics.warn(p.line, p.column, format!("bad end date, ignored: {e}"));
                    None
                }
            },
        };

        let mut actors: Vec<ActorId> = Vec::with_capacity(2);
        let mut kind_warning = |field: Field| -> Option<ActorKind> {
            let (text, p) = self.get(field)?;
            let kind = ActorKind::parse(text);
            if kind.is_none() {
                diagnostics.warn(
                    p.line,
                    p.column,
                    format!(
                        "unknown actor kind '{}' (country, organisation, person, group, other); ignored",
                        crate::model::excerpt(text)
                    ),
                );
            }
            kind
        };
        let sides = [
            (
                Field::Actor1,
                kind_warning(Field::Actor1Kind),
                Field::Actor1Country,
            ),
            (
                Field::Actor2,
                kind_warning(Field::Actor2Kind),
                Field::Actor2Country,
            ),
        ];
        for (field, kind, country_field) in sides {
            let Some((name, _)) = self.get(field) else {
                continue;
            };
            let known = builder.actors.len();
            let Some(id) = builder.actor(name, kind) else {
                continue;
            };
            // Record what the columns said about an actor met for the first time.
            let new =
                builder.actors.len() > known && builder.actors.get(id).kind != ActorKind::Country;
            if let Some(kind) = kind {
                let actor = builder.actors.get_mut(id);
                if actor.kind == ActorKind::Other {
                    actor.kind = kind;
                }
            }
            let mut why = match kind {
                Some(_) if new => format!("kind from the {} column", kind_field_name(field)),
                _ => crate::model::KEPT_AS_WRITTEN.to_string(),
            };
            if let Some((country, _)) = self.get(country_field)
                && let Some(cid) = builder.actor(country, Some(ActorKind::Country))
                && cid != id
            {
                let actor = builder.actors.get_mut(id);
                actor.affiliation.get_or_insert(cid);
                why = format!(
                    "{}; country from the {} column",
                    if kind.is_some() {
                        why.as_str()
                    } else {
                        "no kind given"
                    },
                    country_field.name()
                );
            }
            if new {
                builder.actors.set_why(id, &why);
            }
            actors.push(id);
        }
        if let Some((list, _)) = self.get(Field::Actors) {
            for name in list.split(';') {
                if let Some(id) = builder.actor(name, None) {
                    actors.push(id);
                }
            }
        }
        if actors.is_empty() {
            let p = self.pos(&[Field::Actor1, Field::Actors, Field::Actor2]);
            diagnostics.skip(p.line, p.column, "no actor");
            return None;
        }

        let class = match self.get(Field::Class) {
            None => EventClass::Unknown,
            Some((text, p)) => EventClass::parse(text).unwrap_or_else(|| {
                diagnostics.warn(
                    p.line,
                    p.column,
                    format!(
                        "unknown class '{}'; left unclassified",
                        crate::model::excerpt(text)
                    ),
                );
                EventClass::Unknown
            }),
        };
        let mut number = |field: Field, range: std::ops::RangeInclusive<f64>| -> Option<f64> {
            let (text, p) = self.get(field)?;
            match text.parse::<f64>() {
                Ok(v) if range.contains(&v) => Some(v),
                _ => {
                    diagnostics.warn(
                        p.line,
                        p.column,
                        format!(
                            "{} '{}' is not a number in {range:?}; ignored",
                            field.name(),
                            crate::model::excerpt(text)
                        ),
                    );
                    None
                }
            }
        };
        let lat = number(Field::Lat, -90.0..=90.0);
        let lon = number(Field::Lon, -180.0..=180.0);
        let weight = number(Field::Weight, 0.0..=f64::from(f32::MAX)).unwrap_or(1.0) as f32;
        let text = |field: Field| {
            self.get(field)
                .map(|(v, _)| v.to_string())
                .unwrap_or_default()
        };
        Some(NewEvent {
            date,
            end_date,
            actors,
            event_type: text(Field::Type),
            class,
            title: text(Field::Title),
            location: text(Field::Location),
            lat,
            lon,
            url: text(Field::Url),
            weight,
            count,
            line,
        })
    }
}

/// Reads an aggregate's `count`: how many events a row stands for, a whole number from 1
/// (`57`, or `57.0` as data frames write whole numbers). Anything else is refused with the
/// reason, and the reader skips the row: counting it as one event would make every total
/// silently wrong, a skipped row is listed.
pub(crate) fn parse_event_count(text: &str) -> Result<u32, String> {
    let t = text.trim();
    let whole = t.strip_suffix(".0").unwrap_or(t);
    match whole.parse::<u64>() {
        Ok(0) => Err("count 0: an aggregate row stands for at least one event; row skipped".into()),
        Ok(n) if n <= u64::from(u32::MAX) => Ok(n as u32),
        Ok(_) => Err(format!(
            "count {t} is too large (at most {}); row skipped",
            u32::MAX
        )),
        Err(_) => Err(format!(
            "count '{}' is not a whole number of events (1 or more); row skipped",
            crate::model::excerpt(t)
        )),
    }
}

/// The kind column of an actor column, for the reasons `relmap stats --actors` shows.
fn kind_field_name(actor: Field) -> &'static str {
    if actor == Field::Actor2 {
        Field::Actor2Kind.name()
    } else {
        Field::Actor1Kind.name()
    }
}
