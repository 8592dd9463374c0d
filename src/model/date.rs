//! Partial dates as analysts' sources give them ("2024", "May 2024", "14 March 2025"),
//! kept at their own precision and mapped to day numbers for sorting and filtering.

use std::fmt;

/// Days since 1970-01-01 (negative before). The hot representation of a date.
pub type DayNumber = i32;

/// How much of a date the source stated.
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize,
)]
#[serde(rename_all = "lowercase")]
pub enum Precision {
    Year,
    Month,
    Day,
}

/// A date that may lack its month or day. It covers every day from [`PartialDate::first_day`]
/// to [`PartialDate::last_day`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct PartialDate {
    pub year: i16,
    pub month: Option<u8>,
    pub day: Option<u8>,
}

/// 1970, the epoch year: only a placeholder for builders; readers always set a date.
impl Default for PartialDate {
    fn default() -> Self {
        Self {
            year: 1970,
            month: None,
            day: None,
        }
    }
}

/// Why a text is not a date.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DateError(pub String);

impl fmt::Display for DateError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for DateError {}

const MONTHS: [&str; 12] = [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
];

const MONTH_ABBREVIATIONS: [&str; 12] = [
    "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
];

/// Year range we accept: wide enough for historical sources, narrow enough to catch typos.
const MIN_YEAR: i32 = 1000;
const MAX_YEAR: i32 = 2999;

fn month_from_name(word: &str) -> Option<u8> {
    let w = word.trim_end_matches('.').to_ascii_lowercase();
    if w.len() < 3 {
        return None;
    }
    if let Some(i) = MONTHS.iter().position(|m| *m == w) {
        return Some(i as u8 + 1);
    }
    if w == "sept" {
        return Some(9);
    }
    MONTH_ABBREVIATIONS
        .iter()
        .position(|m| *m == w)
        .map(|i| i as u8 + 1)
}

/// Days in a month of the proleptic Gregorian calendar.
pub fn days_in_month(year: i32, month: u8) -> u8 {
    jiff::civil::Date::new(year as i16, month as i8, 1)
        .map(|d| d.days_in_month() as u8)
        .unwrap_or(31)
}

/// Day number of a valid calendar date. Civil-from-days arithmetic (H. Hinnant's algorithm):
/// it runs for every row of a million-row file, so it avoids building `jiff` spans.
pub fn day_number(year: i32, month: u8, day: u8) -> DayNumber {
    let y = if month <= 2 { year - 1 } else { year };
    let era = if y >= 0 { y } else { y - 399 } / 400;
    let yoe = y - era * 400;
    let m = month as i32;
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + day as i32 - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The calendar date of a day number (inverse of [`day_number`]).
pub fn civil_from_day(day: DayNumber) -> (i32, u8, u8) {
    let z = day + 719_468;
    let era = if z >= 0 { z } else { z - 146_096 } / 146_097;
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u8;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u8;
    (if m <= 2 { y + 1 } else { y }, m, d)
}

/// `YYYY-MM-DD` of a day number.
pub fn format_day(day: DayNumber) -> String {
    let (y, m, d) = civil_from_day(day);
    format!("{y:04}-{m:02}-{d:02}")
}

impl PartialDate {
    /// A checked date: the month must be 1–12, the day must exist in that month.
    pub fn new(year: i32, month: Option<u8>, day: Option<u8>) -> Result<Self, DateError> {
        if !(MIN_YEAR..=MAX_YEAR).contains(&year) {
            return Err(DateError(format!(
                "year {year} is outside {MIN_YEAR}–{MAX_YEAR}"
            )));
        }
        if day.is_some() && month.is_none() {
            return Err(DateError("a day needs a month".into()));
        }
        if let Some(m) = month
            && !(1..=12).contains(&m)
        {
            return Err(DateError(format!("month {m} does not exist")));
        }
        if let (Some(m), Some(d)) = (month, day) {
            let last = days_in_month(year, m);
            if d == 0 || d > last {
                return Err(DateError(format!(
                    "day {d} does not exist in {} {year}",
                    capitalised_month(m)
                )));
            }
        }
        Ok(Self {
            year: year as i16,
            month,
            day,
        })
    }

    /// A whole day.
    pub fn ymd(year: i32, month: u8, day: u8) -> Result<Self, DateError> {
        Self::new(year, Some(month), Some(day))
    }

    /// The date of a day number, at day precision.
    pub fn from_day(day: DayNumber) -> Self {
        let (y, m, d) = civil_from_day(day);
        Self {
            year: y as i16,
            month: Some(m),
            day: Some(d),
        }
    }

    pub fn precision(&self) -> Precision {
        match (self.month, self.day) {
            (Some(_), Some(_)) => Precision::Day,
            (Some(_), None) => Precision::Month,
            _ => Precision::Year,
        }
    }

    /// The first day the date covers.
    pub fn first_day(&self) -> DayNumber {
        day_number(
            self.year as i32,
            self.month.unwrap_or(1),
            self.day.unwrap_or(1),
        )
    }

    /// The last day the date covers.
    pub fn last_day(&self) -> DayNumber {
        let year = self.year as i32;
        match (self.month, self.day) {
            (Some(m), Some(d)) => day_number(year, m, d),
            (Some(m), None) => day_number(year, m, days_in_month(year, m)),
            _ => day_number(year, 12, 31),
        }
    }

    /// The same date truncated to a coarser precision (never refined).
    pub fn truncated(&self, precision: Precision) -> Self {
        match precision.min(self.precision()) {
            Precision::Year => Self {
                month: None,
                day: None,
                ..*self
            },
            Precision::Month => Self { day: None, ..*self },
            Precision::Day => *self,
        }
    }

    /// Parses the forms sources use: `2024`, `2024-05`, `2024-05-13`, `2024/05/13`, `20240513`,
    /// `May 2024`, `14 March 2025`, `14-Mar-2025`, `March 14, 2025`, `5-Aug-24` (two-digit years
    /// as spreadsheets write them: 00–69 → 2000s, 70–99 → 1900s). An ISO time part after the date
    /// (`2024-05-13T10:00:00Z`, `2024-05-13 10:00`) is ignored.
    pub fn parse(text: &str) -> Result<Self, DateError> {
        let s = text.trim();
        if s.is_empty() {
            return Err(DateError("empty date".into()));
        }
        let shown = excerpt(s);
        parse_numeric(s)
            .or_else(|| parse_words(s))
            .unwrap_or_else(|| Err(DateError(format!("'{shown}' is not a date"))))
            .map_err(|e| {
                if e.0.contains(&format!("'{shown}'")) {
                    e
                } else {
                    DateError(format!("'{shown}': {}", e.0))
                }
            })
    }
}

/// At most 60 characters of an input value, for messages: a runaway field (an unclosed quote
/// in a CSV) must not turn into a message as large as the file.
pub fn excerpt(value: &str) -> std::borrow::Cow<'_, str> {
    const MAX: usize = 60;
    match value.char_indices().nth(MAX) {
        None => std::borrow::Cow::Borrowed(value),
        Some((cut, _)) => std::borrow::Cow::Owned(format!(
            "{}… ({} more bytes)",
            &value[..cut],
            value.len() - cut
        )),
    }
}

fn capitalised_month(m: u8) -> String {
    let name = MONTHS[(m as usize - 1).min(11)];
    let mut c = name.chars();
    match c.next() {
        Some(f) => f.to_ascii_uppercase().to_string() + c.as_str(),
        None => String::new(),
    }
}

fn all_digits(s: &str) -> bool {
    !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit())
}

/// ISO-like forms made of digits and `-` or `/`; `None` when the text is not of that shape.
fn parse_numeric(s: &str) -> Option<Result<PartialDate, DateError>> {
    // Drop a time part: "2024-05-13T10:00:00Z" or "2024-05-13 10:00".
    let date_part = s
        .split(['T', ' '])
        .next()
        .filter(|p| p.len() >= 8 && s.len() > p.len())
        .unwrap_or(s);
    let num = |p: &str| p.parse::<i32>().ok();
    if all_digits(date_part) {
        return match date_part.len() {
            4 => Some(PartialDate::new(num(date_part)?, None, None)),
            6 => Some(PartialDate::new(
                num(&date_part[..4])?,
                Some(num(&date_part[4..])? as u8),
                None,
            )),
            8 => Some(PartialDate::new(
                num(&date_part[..4])?,
                Some(num(&date_part[4..6])? as u8),
                Some(num(&date_part[6..])? as u8),
            )),
            _ => None,
        };
    }
    let parts: Vec<&str> = date_part.split(['-', '/']).collect();
    if parts.len() < 2 || parts.len() > 3 || !parts.iter().all(|p| all_digits(p)) {
        return None;
    }
    if parts[0].len() != 4 || parts[1].len() > 2 || parts.get(2).is_some_and(|d| d.len() > 2) {
        return None;
    }
    let year = num(parts[0])?;
    let month = num(parts[1])?;
    let day = parts.get(2).and_then(|d| num(d));
    Some(PartialDate::new(
        year,
        Some(month.min(255) as u8),
        day.map(|d| d.min(255) as u8),
    ))
}

fn expand_year(text: &str) -> Option<i32> {
    let y: i32 = text.parse().ok()?;
    match text.len() {
        2 => Some(if y < 70 { 2000 + y } else { 1900 + y }),
        4 => Some(y),
        _ => None,
    }
}

/// Forms with a month name: "May 2024", "14 March 2025", "March 14, 2025", "5-Aug-24".
fn parse_words(s: &str) -> Option<Result<PartialDate, DateError>> {
    let tokens: Vec<&str> = s
        .split(|c: char| c.is_whitespace() || c == ',' || c == '-' || c == '/')
        .filter(|t| !t.is_empty())
        .collect();
    let day_of = |t: &str| -> Option<u8> {
        let t = t
            .trim_end_matches("st")
            .trim_end_matches("nd")
            .trim_end_matches("rd")
            .trim_end_matches("th")
            .trim_end_matches('.');
        if all_digits(t) && t.len() <= 2 {
            t.parse().ok()
        } else {
            None
        }
    };
    match tokens.as_slice() {
        [m, y] => {
            let month = month_from_name(m)?;
            let year = expand_year(y)?;
            Some(PartialDate::new(year, Some(month), None))
        }
        [a, b, y] => {
            let year = expand_year(y)?;
            let (month, day) = if let Some(m) = month_from_name(a) {
                (m, day_of(b)?)
            } else {
                (month_from_name(b)?, day_of(a)?)
            };
            Some(PartialDate::new(year, Some(month), Some(day)))
        }
        _ => None,
    }
}

impl fmt::Display for PartialDate {
    /// ISO form at the date's own precision: `2024`, `2024-05`, `2024-05-13`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}", self.year)?;
        if let Some(m) = self.month {
            write!(f, "-{m:02}")?;
        }
        if let Some(d) = self.day {
            write!(f, "-{d:02}")?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(s: &str) -> PartialDate {
        PartialDate::parse(s).unwrap_or_else(|e| panic!("{s}: {e}"))
    }

    #[test]
    fn parses_every_documented_form_at_its_precision() {
        assert_eq!(p("2024").to_string(), "2024");
        assert_eq!(p("2024").precision(), Precision::Year);
        assert_eq!(p("2024-05").to_string(), "2024-05");
        assert_eq!(p("2024-05").precision(), Precision::Month);
        assert_eq!(p("2024-05-13").to_string(), "2024-05-13");
        assert_eq!(p("2024-05-13").precision(), Precision::Day);
        assert_eq!(p("May 2024").to_string(), "2024-05");
        assert_eq!(p("14 March 2025").to_string(), "2025-03-14");
        assert_eq!(p("March 14, 2025").to_string(), "2025-03-14");
        assert_eq!(p("20240513").to_string(), "2024-05-13");
        assert_eq!(p("2024/05/13").to_string(), "2024-05-13");
        assert_eq!(p("5-Aug-24").to_string(), "2024-08-05");
        assert_eq!(p("01 November 2024").to_string(), "2024-11-01");
        assert_eq!(p("Sept. 3, 2023").to_string(), "2023-09-03");
        assert_eq!(p("2024-05-13T10:00:00Z").to_string(), "2024-05-13");
        assert_eq!(p("  2024-5-3 ").to_string(), "2024-05-03");
    }

    #[test]
    fn rejects_impossible_and_garbage_dates_with_a_reason() {
        for bad in [
            "2024-13-45",
            "2024-02-30",
            "2023-02-29",
            "2024-00",
            "",
            "yesterday",
            "14 Smarch 2025",
            "99999",
            "12/05/2024",
        ] {
            let err = PartialDate::parse(bad).expect_err(bad);
            assert!(!err.0.is_empty());
        }
        let err = PartialDate::parse("2024-13-45").unwrap_err();
        assert!(err.0.contains("month 13"), "{err}");
        assert!(p("2024-02-29").day == Some(29));
    }

    #[test]
    fn messages_quote_only_an_excerpt_of_long_values() {
        let long = "x".repeat(10_000);
        let err = PartialDate::parse(&long).unwrap_err();
        assert!(err.0.len() < 120, "{}", err.0);
        assert!(err.0.contains("more bytes"));
    }

    #[test]
    fn covers_the_right_days() {
        assert_eq!(day_number(1970, 1, 1), 0);
        assert_eq!(day_number(2000, 3, 1), 11_017);
        let may = p("May 2024");
        assert_eq!(format_day(may.first_day()), "2024-05-01");
        assert_eq!(format_day(may.last_day()), "2024-05-31");
        let year = p("2024");
        assert_eq!(year.last_day() - year.first_day(), 365);
        let feb = p("2023-02");
        assert_eq!(format_day(feb.last_day()), "2023-02-28");
    }

    #[test]
    fn day_numbers_round_trip_through_the_calendar() {
        for day in (-400_000..400_000).step_by(97) {
            let (y, m, d) = civil_from_day(day);
            assert_eq!(day_number(y, m, d), day);
        }
        // And agree with jiff on a few dates.
        let epoch = jiff::civil::date(1970, 1, 1);
        for (y, m, d) in [(2024, 2, 29), (1999, 12, 31), (1066, 10, 14)] {
            let jd = jiff::civil::date(y, m, d);
            let days = jd.since(epoch).unwrap().get_days();
            assert_eq!(day_number(y as i32, m as u8, d as u8), days);
        }
    }
}
