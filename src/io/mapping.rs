//! Column mapping for CSVs that are not in the native layout: a preview of the first rows and
//! a guess of which column holds which field, from the header names and the values.

use super::native_csv::{ColumnMap, sniff_separator};
use super::row::Field;
use crate::model::{CountryTable, PartialDate};

/// The header and first rows of a CSV, for the mapping dialog.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct CsvPreview {
    pub header: Vec<String>,
    pub rows: Vec<Vec<String>>,
}

/// Rows shown and used for guessing.
const PREVIEW_ROWS: usize = 8;

impl CsvPreview {
    /// Reads the header and first rows from the start of a file.
    pub fn from_head(head: &[u8]) -> Option<Self> {
        let head = head.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(head);
        let mut reader = csv::ReaderBuilder::new()
            .delimiter(sniff_separator(head))
            .flexible(true)
            .has_headers(false)
            .from_reader(head);
        let mut records = reader.byte_records();
        let header: Vec<String> = records
            .next()?
            .ok()?
            .iter()
            .map(|f| String::from_utf8_lossy(f).trim().to_string())
            .collect();
        let rows = records
            .take(PREVIEW_ROWS)
            .filter_map(Result::ok)
            .map(|r| {
                r.iter()
                    .map(|f| String::from_utf8_lossy(f).to_string())
                    .collect()
            })
            .collect();
        Some(Self { header, rows })
    }

    /// A key that identifies files with this header, to remember a mapping by.
    pub fn header_key(&self) -> String {
        self.header.join("\u{1f}").to_lowercase()
    }

    fn column_values(&self, i: usize) -> impl Iterator<Item = &str> {
        self.rows
            .iter()
            .filter_map(move |r| r.get(i))
            .map(|v| v.trim())
            .filter(|v| !v.is_empty())
    }
}

/// The fields the mapping dialog offers, in its order.
pub const MAPPABLE_FIELDS: [Field; 18] = [
    Field::Date,
    Field::EndDate,
    Field::Actor1,
    Field::Actor1Kind,
    Field::Actor1Country,
    Field::Actor2,
    Field::Actor2Kind,
    Field::Actor2Country,
    Field::Actors,
    Field::Type,
    Field::Class,
    Field::Title,
    Field::Location,
    Field::Lat,
    Field::Lon,
    Field::Url,
    Field::Weight,
    Field::Count,
];

/// A date kept in year, month and day columns (`iyear, imonth, iday`, `Year, Month, Day`):
/// the `YEAR+MONTH+DAY` mapping of it, if the header has all three.
fn date_from_parts(header: &[String]) -> Option<String> {
    let find = |names: &[&str]| {
        header
            .iter()
            .find(|h| names.iter().any(|n| h.trim().eq_ignore_ascii_case(n)))
            .map(|h| h.trim().to_string())
    };
    let year = find(&["year", "iyear", "yyyy"])?;
    let month = find(&["month", "imonth", "mm"])?;
    let day = find(&["day", "iday", "dd"])?;
    Some(format!("{year}+{month}+{day}"))
}

/// Guesses a mapping: header names first (the native names and common words), then values
/// (the column whose values all read as dates is the date; columns of country names are actors).
pub fn guess_mapping(preview: &CsvPreview) -> ColumnMap {
    let mut entries: Vec<(Field, String)> = Vec::new();
    let mut used = vec![false; preview.header.len()];
    let parts = date_from_parts(&preview.header);
    if let Some(parts) = &parts {
        for part in parts.split('+') {
            if let Some(i) = preview.header.iter().position(|h| h.trim() == part) {
                used[i] = true;
            }
        }
        entries.push((Field::Date, parts.clone()));
    }
    let mut take = |field: Field, i: usize, entries: &mut Vec<(Field, String)>| {
        if !used[i] && !entries.iter().any(|(f, _)| *f == field) {
            used[i] = true;
            entries.push((field, preview.header[i].clone()));
        }
    };
    for (i, name) in preview.header.iter().enumerate() {
        if let Some(field) = Field::from_column_name(name) {
            take(field, i, &mut entries);
            continue;
        }
        let n = name.to_lowercase();
        let field = if n.contains("date") || n.contains("when") || n == "time" || n == "year" {
            Some(Field::Date)
        } else if n.contains("source") && n.contains("name") || n.contains("initiator") {
            Some(Field::Actor1)
        } else if n.contains("target") && n.contains("name") || n.contains("recipient") {
            Some(Field::Actor2)
        } else if n.contains("actor") || n.contains("party") || n == "who" {
            if entries.iter().any(|(f, _)| *f == Field::Actor1) {
                Some(Field::Actor2)
            } else {
                Some(Field::Actor1)
            }
        } else if n.contains("type") || n.contains("category") || n.contains("kind") {
            Some(Field::Type)
        } else if n.contains("title")
            || n.contains("note")
            || n.contains("text")
            || n.contains("headline")
        {
            Some(Field::Title)
        } else if n.contains("place") || n.contains("city") || n.contains("location") {
            Some(Field::Location)
        } else if n.contains("url") || n.contains("link") {
            Some(Field::Url)
        } else {
            None
        };
        if let Some(field) = field {
            take(field, i, &mut entries);
        }
    }
    // Values: a column where every value is a date; columns of country names as actors.
    let countries = CountryTable::bundled();
    for i in 0..preview.header.len() {
        let values: Vec<&str> = preview.column_values(i).collect();
        if values.is_empty() {
            continue;
        }
        if values.iter().all(|v| PartialDate::parse(v).is_ok()) {
            take(Field::Date, i, &mut entries);
        } else if values
            .iter()
            .filter(|v| countries.resolve_country_column(v).is_some())
            .count()
            * 2
            >= values.len()
        {
            let field = if entries.iter().any(|(f, _)| *f == Field::Actor1) {
                Field::Actor2
            } else {
                Field::Actor1
            };
            take(field, i, &mut entries);
        }
    }
    ColumnMap { entries }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn guesses_a_date_from_year_month_and_day_columns() {
        let head = b"Year,Month,Day,side_a,side_b\n2020,1,2,Belarus,Iran\n";
        let map = guess_mapping(&CsvPreview::from_head(head).unwrap());
        assert_eq!(map.column_of(Field::Date), Some("Year+Month+Day"));
        assert_eq!(map.column_of(Field::Actor1), Some("side_a"));
        assert_eq!(map.column_of(Field::Actor2), Some("side_b"));
    }

    #[test]
    fn guesses_from_names_and_values() {
        let head = b"Happened,Initiator,Recipient,Kind,Notes\n2024-05-01,Belarus,Iran,talks,x\n2024-06,Iran,Belarus,visit,y\n";
        let preview = CsvPreview::from_head(head).unwrap();
        assert_eq!(preview.rows.len(), 2);
        let map = guess_mapping(&preview);
        let get = |f: Field| {
            map.entries
                .iter()
                .find(|(x, _)| *x == f)
                .map(|(_, c)| c.as_str())
        };
        assert_eq!(get(Field::Date), Some("Happened"));
        assert_eq!(get(Field::Actor1), Some("Initiator"));
        assert_eq!(get(Field::Actor2), Some("Recipient"));
        assert_eq!(get(Field::Type), Some("Kind"));
        assert_eq!(get(Field::Title), Some("Notes"));
    }

    #[test]
    fn guesses_actors_from_country_values() {
        let head = b"d;a;b\n2024-05-01;Belarus;Iran\n2024-06-02;Iran;Pakistan\n";
        let map = guess_mapping(&CsvPreview::from_head(head).unwrap());
        assert_eq!(
            map.entries,
            vec![
                (Field::Date, "d".to_string()),
                (Field::Actor1, "a".to_string()),
                (Field::Actor2, "b".to_string())
            ]
        );
    }
}
