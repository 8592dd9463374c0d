//! Dates in news prose: the publication date near the top of an article, and the dates of
//! sentences, absolute ("14 March 2025", "March 2025", "2024") or relative to the publication
//! date ("on Monday", "last week", "earlier this month", "in January", "yesterday"), each kept at
//! the precision the text gives.

use std::ops::Range;

use super::text::{Token, TokenKind, tokens};
use crate::model::{DayNumber, PartialDate, Precision, civil_from_day, day_number};

/// Where the publication date came from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DateSource {
    /// Given by the caller (`--date`).
    Given,
    /// `<meta property="article:published_time">`, `<time datetime>` and the like.
    HtmlMetadata,
    /// A dateline or a line holding only a date near the top.
    Dateline,
    /// None found: the day of the extraction.
    Today,
}

const MONTHS: &[&str] = &[
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

const WEEKDAYS: &[&str] = &[
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
];

/// The month of a month name or its abbreviation ("Sept", "Mar").
pub fn month_number(lower: &str) -> Option<u8> {
    let lower = lower.trim_end_matches('.');
    if lower.len() < 3 {
        return None;
    }
    if lower == "sept" {
        return Some(9);
    }
    MONTHS
        .iter()
        .position(|m| *m == lower || (lower.len() == 3 && m.starts_with(lower)))
        .map(|i| i as u8 + 1)
}

/// The publication date an HTML page declares in its metadata: `article:published_time`,
/// `datePublished`, `<time datetime>`, `pubdate`, `date` meta tags.
pub fn html_publication_date(input: &str) -> Option<PartialDate> {
    let lower = input.to_ascii_lowercase();
    let keys = [
        "article:published_time",
        "\"datepublished\"",
        "name=\"pubdate\"",
        "name=\"date\"",
        "name=\"dc.date",
        "<time",
    ];
    for key in keys {
        let mut from = 0;
        while let Some(found) = lower[from..].find(key) {
            let at = from + found;
            from = at + key.len();
            // The value: the next `content="…"`, `datetime="…"` or JSON string within the tag.
            let window_end = lower[at..]
                .find(['>', '}'])
                .map_or(lower.len(), |k| at + k)
                .min(at + 400);
            let window_end = (window_end..=lower.len())
                .find(|&e| lower.is_char_boundary(e))
                .unwrap_or(lower.len());
            let window = &input[at..window_end];
            let window_lower = &lower[at..window_end];
            for attr in ["content=", "datetime=", ":"] {
                if let Some(k) = window_lower.find(attr) {
                    let value = window[k + attr.len()..].trim_start();
                    let value = value.trim_start_matches(['"', '\'']);
                    let end = value.find(['"', '\'', '>']).unwrap_or(value.len());
                    if let Ok(date) = PartialDate::parse(value[..end].trim())
                        && date.precision() == Precision::Day
                    {
                        return Some(date);
                    }
                }
            }
        }
    }
    None
}

/// The publication date written near the top of the text: a line holding only a date
/// ("March 14, 2025", "Published 14 March 2025") or a dateline ("March 14, 2025 - …",
/// "MINSK, March 14, 2025 (BelTA) – …"). Only whole days count. A wire dateline without a
/// year ("WASHINGTON, May 3 (Reuters) -") takes the year of `today` (the year before when that
/// would be after today); the second value says whether the year was stated.
pub fn text_publication_date(
    text: &str,
    lines: &[Range<usize>],
    today: PartialDate,
) -> Option<(PartialDate, bool)> {
    let context = DateContext {
        publication: today,
        recent_year: None,
        previous: None,
    };
    for range in lines.iter().take(25) {
        let toks = tokens(text, range.clone());
        // A date within the first few tokens, before a dash, a parenthesis or the line's end.
        let head: Vec<Token> = toks.into_iter().take(14).collect();
        for start in 0..head.len().min(6) {
            if let Some((date, end)) = absolute_date_at(&head, start, Some(&context))
                && date.precision() == Precision::Day
            {
                let year_stated = head[start..end].iter().any(|t| year_token(t).is_some());
                let next = head.get(end).map(|t| t.text.as_str());
                let before_ok = head[..start].iter().all(|t| {
                    t.kind == TokenKind::Punct
                        || t.text
                            .chars()
                            .all(|c| c.is_uppercase() || !c.is_alphabetic())
                        || matches!(
                            t.lower.as_str(),
                            "published" | "updated" | "posted" | "on" | "date" | "dated"
                        )
                        || WEEKDAYS.contains(&t.lower.as_str())
                });
                let after_ok = matches!(next, None | Some("-" | "–" | "—" | "(" | "|" | ":"))
                    || (next == Some(",")
                        && head
                            .get(end + 1)
                            .is_none_or(|t| t.kind == TokenKind::Number));
                // A short line that ends with the date: a byline ("Synthetic Wire, 27 February 2025").
                let byline = next.is_none() && head.len() <= 10;
                if (before_ok && after_ok) || (byline && year_stated) {
                    return Some((date, year_stated));
                }
            }
        }
    }
    None
}

/// A date found in a sentence: the tokens it spans and what it says.
#[derive(Clone, Debug, PartialEq)]
pub struct DateMention {
    pub tokens: Range<usize>,
    pub date: PartialDate,
    /// Whether the text states the date itself (not "the same month").
    pub explicit: bool,
}

/// What relative dates are read against.
#[derive(Clone, Copy, Debug)]
pub struct DateContext {
    pub publication: PartialDate,
    /// The year of the latest date the text stated with its year, for "in April".
    pub recent_year: Option<i32>,
    /// The date of the previous sentence, for "the same month".
    pub previous: Option<PartialDate>,
}

impl DateContext {
    fn publication_day(&self) -> DayNumber {
        self.publication.first_day()
    }

    /// The year of a month (and day) given without one: the year the text is talking about,
    /// else the publication year, a year earlier when the month lies after the publication
    /// date (news tells the past).
    fn year_for(&self, month: u8, day: Option<u8>) -> i32 {
        if let Some(year) = self.recent_year {
            return year;
        }
        let year = self.publication.year as i32;
        let pub_month = self.publication.month.unwrap_or(12);
        let pub_day = self.publication.day.unwrap_or(31);
        if month > pub_month || (month == pub_month && day.is_some_and(|d| d > pub_day + 7)) {
            year - 1
        } else {
            year
        }
    }
}

fn small_number(t: &Token) -> Option<u32> {
    if t.kind == TokenKind::Number {
        return t.text.parse().ok();
    }
    let words = [
        "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
    ];
    match t.lower.as_str() {
        "a" | "an" => Some(1),
        w => words.iter().position(|x| *x == w).map(|i| i as u32 + 1),
    }
}

fn day_number_token(t: &Token) -> Option<u8> {
    if t.kind != TokenKind::Number || t.text.len() > 2 {
        // "14th" is a word token: digits then letters.
        let digits: String = t.text.chars().take_while(char::is_ascii_digit).collect();
        let suffix = &t.lower[digits.len()..];
        if !digits.is_empty() && digits.len() <= 2 && matches!(suffix, "st" | "nd" | "rd" | "th") {
            return digits.parse().ok().filter(|d| (1..=31).contains(d));
        }
        return None;
    }
    t.text.parse().ok().filter(|d| (1..=31).contains(d))
}

fn year_token(t: &Token) -> Option<i32> {
    if t.kind == TokenKind::Number && t.text.len() == 4 {
        t.text.parse().ok().filter(|y| (1900..=2100).contains(y))
    } else {
        None
    }
}

fn capitalised_month(t: &Token) -> Option<u8> {
    if t.is_capitalised() {
        month_number(&t.lower)
    } else {
        None
    }
}

/// An absolute date starting at `toks[i]`: "14 March 2025", "March 14, 2025", "March 2025",
/// "2025-03-14", "2024" (and, with a context, "14 March" and "March 14"). Returns the date
/// and the index after it.
fn absolute_date_at(
    toks: &[Token],
    i: usize,
    context: Option<&DateContext>,
) -> Option<(PartialDate, usize)> {
    let t = &toks[i];
    let at = |k: usize| toks.get(k);
    // 2025-03-14
    if let Some(year) = year_token(t)
        && at(i + 1).is_some_and(|t| t.text == "-")
        && let Some(m) = at(i + 2).filter(|t| t.kind == TokenKind::Number && t.text.len() == 2)
        && at(i + 3).is_some_and(|t| t.text == "-")
        && let Some(d) = at(i + 4).filter(|t| t.kind == TokenKind::Number && t.text.len() == 2)
        && let (Ok(m), Ok(d)) = (m.text.parse::<u8>(), d.text.parse::<u8>())
        && let Ok(date) = PartialDate::ymd(year, m, d)
    {
        return Some((date, i + 5));
    }
    // 14 March 2025 / 14 March
    if let Some(day) = day_number_token(t)
        && let Some(month) = at(i + 1).and_then(capitalised_month)
    {
        let mut k = i + 2;
        if at(k).is_some_and(|t| t.text == ",") {
            k += 1;
        }
        if let Some(year) = at(k).and_then(year_token) {
            return PartialDate::ymd(year, month, day).ok().map(|d| (d, k + 1));
        }
        let ctx = context?;
        let year = ctx.year_for(month, Some(day));
        return PartialDate::ymd(year, month, day).ok().map(|d| (d, i + 2));
    }
    if let Some(month) = capitalised_month(t) {
        // "Sept. 14": an abbreviated month's full stop.
        let i = if at(i + 1).is_some_and(|t| t.text == ".") && t.text.len() <= 4 {
            i + 1
        } else {
            i
        };
        // "May" is also a verb: a month needs a number next to it or a preposition before.
        // March 14, 2025 / March 14
        if let Some(day) = at(i + 1).and_then(day_number_token) {
            let mut k = i + 2;
            if at(k).is_some_and(|t| t.text == ",") {
                k += 1;
            }
            if let Some(year) = at(k).and_then(year_token) {
                return PartialDate::ymd(year, month, day).ok().map(|d| (d, k + 1));
            }
            let ctx = context?;
            let year = ctx.year_for(month, Some(day));
            return PartialDate::ymd(year, month, day).ok().map(|d| (d, i + 2));
        }
        // March 2025 / March of 2025
        let mut k = i + 1;
        if at(k).is_some_and(|t| t.is("of")) {
            k += 1;
        }
        if let Some(year) = at(k).and_then(year_token) {
            return PartialDate::new(year, Some(month), None)
                .ok()
                .map(|d| (d, k + 1));
        }
        return None;
    }
    if let Some(year) = year_token(t) {
        return PartialDate::new(year, None, None).ok().map(|d| (d, i + 1));
    }
    None
}

fn shifted_month(date: PartialDate, by: i32) -> PartialDate {
    let months = date.year as i32 * 12 + date.month.unwrap_or(1) as i32 - 1 + by;
    PartialDate {
        year: months.div_euclid(12) as i16,
        month: Some(months.rem_euclid(12) as u8 + 1),
        day: None,
    }
}

fn weekday(day: DayNumber) -> i32 {
    // 1970-01-01 was a Thursday (Monday = 0).
    (day + 3).rem_euclid(7)
}

/// Every date of a sentence's tokens, in order.
pub fn find_dates(toks: &[Token], ctx: &DateContext) -> Vec<DateMention> {
    let mut out = Vec::new();
    let publication_day = ctx.publication_day();
    let mut i = 0;
    while i < toks.len() {
        let t = &toks[i];
        let prev = if i > 0 { Some(&toks[i - 1]) } else { None };
        let prev_is = |w: &str| prev.is_some_and(|p| p.is(w));
        if let Some((date, end)) = absolute_date_at(toks, i, Some(ctx)) {
            out.push(DateMention {
                tokens: i..end,
                date,
                explicit: true,
            });
            i = end;
            continue;
        }
        // A month alone: "in April", "since January", "early March", "February and April 2024".
        if let Some(month) = capitalised_month(t)
            && (prev.is_some_and(|p| {
                matches!(
                    p.lower.as_str(),
                    "in" | "since"
                        | "early"
                        | "late"
                        | "mid"
                        | "until"
                        | "by"
                        | "of"
                        | "last"
                        | "this"
                        | "next"
                        | "during"
                        | "before"
                        | "after"
                        | "from"
                        | "through"
                )
            }) || toks
                .get(i + 1)
                .is_some_and(|n| n.is("and") || n.is("or") || n.is("to")))
        {
            // A year given after a coordinated month ("February and April 2024").
            let shared_year = toks
                .get(i + 1)
                .filter(|n| n.is("and") || n.is("or") || n.is("to") || n.is("-"))
                .and_then(|_| toks.get(i + 2).and_then(capitalised_month))
                .and_then(|_| toks.get(i + 3).and_then(year_token));
            let year = if prev_is("last") {
                let shifted = shifted_month(ctx.publication, 0);
                let pub_month = shifted.month.unwrap_or(1);
                ctx.publication.year as i32 - i32::from(month >= pub_month)
            } else if prev_is("next") {
                ctx.publication.year as i32 + i32::from(month <= ctx.publication.month.unwrap_or(1))
            } else {
                shared_year.unwrap_or_else(|| ctx.year_for(month, None))
            };
            if let Ok(date) = PartialDate::new(year, Some(month), None) {
                out.push(DateMention {
                    tokens: i..i + 1,
                    date,
                    explicit: true,
                });
            }
            i += 1;
            continue;
        }
        let relative = |days: i32| PartialDate::from_day(publication_day + days);
        let found: Option<(PartialDate, usize)> = match t.lower.as_str() {
            "yesterday" => Some((relative(-1), i + 1)),
            "today" | "tonight" => Some((relative(0), i + 1)),
            "tomorrow" => Some((relative(1), i + 1)),
            w if t.is_capitalised() && WEEKDAYS.contains(&w) => {
                let target = WEEKDAYS.iter().position(|d| *d == w).unwrap_or(0) as i32;
                let today = weekday(publication_day);
                let days = if prev_is("next") {
                    let ahead = (target - today).rem_euclid(7);
                    if ahead == 0 { 7 } else { ahead }
                } else {
                    -(today - target).rem_euclid(7)
                };
                Some((relative(days), i + 1))
            }
            "week" | "month" | "year" if prev.is_some() => {
                let p = prev.map_or("", |p| p.lower.as_str());
                let last = matches!(p, "last" | "past" | "previous");
                let this = p == "this";
                let next = p == "next";
                // "earlier this month": the same as "this month".
                match (t.lower.as_str(), last, this, next) {
                    ("week", true, _, _) => Some((relative(-7).truncated(Precision::Month), i + 1)),
                    ("week", _, true, _) => Some((relative(0).truncated(Precision::Month), i + 1)),
                    ("week", _, _, true) => Some((relative(7).truncated(Precision::Month), i + 1)),
                    ("month", true, _, _) => Some((shifted_month(ctx.publication, -1), i + 1)),
                    ("month", _, true, _) => Some((shifted_month(ctx.publication, 0), i + 1)),
                    ("month", _, _, true) => Some((shifted_month(ctx.publication, 1), i + 1)),
                    ("year", true, _, _) => {
                        PartialDate::new(ctx.publication.year as i32 - 1, None, None)
                            .ok()
                            .map(|d| (d, i + 1))
                    }
                    ("year", _, true, _) => {
                        Some((ctx.publication.truncated(Precision::Year), i + 1))
                    }
                    ("year", _, _, true) => {
                        PartialDate::new(ctx.publication.year as i32 + 1, None, None)
                            .ok()
                            .map(|d| (d, i + 1))
                    }
                    _ => None,
                }
            }
            // "three days ago", "two weeks ago"
            "days" | "day" | "weeks" | "week" | "months" | "month"
                if toks.get(i + 1).is_some_and(|n| n.is("ago")) =>
            {
                prev.and_then(small_number).map(|n| {
                    let n = n as i32;
                    let date = match t.lower.trim_end_matches('s') {
                        "day" => relative(-n),
                        "week" => relative(-7 * n).truncated(Precision::Month),
                        _ => shifted_month(ctx.publication, -n),
                    };
                    (date, i + 2)
                })
            }
            _ => None,
        };
        if let Some((date, end)) = found {
            out.push(DateMention {
                tokens: i..end,
                date,
                explicit: true,
            });
            i = end;
            continue;
        }
        // "the same month", "that day": the previous sentence's date.
        if matches!(t.lower.as_str(), "same" | "that")
            && let Some(unit) = toks.get(i + 1)
            && matches!(unit.lower.as_str(), "day" | "month" | "year" | "week")
            && let Some(previous) = ctx.previous
        {
            let precision = match unit.lower.as_str() {
                "day" => Precision::Day,
                "year" => Precision::Year,
                _ => Precision::Month,
            };
            out.push(DateMention {
                tokens: i..i + 2,
                date: previous.truncated(precision),
                explicit: false,
            });
            i += 2;
            continue;
        }
        i += 1;
    }
    out
}

/// The day of a date as a calendar date (for messages and tests).
pub fn ymd(day: DayNumber) -> (i32, u8, u8) {
    civil_from_day(day)
}

/// Today's date (UTC), for an article without a date.
pub fn today() -> PartialDate {
    let now = jiff::Timestamp::now();
    let days = now.as_second().div_euclid(86_400) as DayNumber;
    PartialDate::from_day(days)
}

/// Whether `date` is a plausible date of an event reported on `publication` (not years in
/// the future).
pub fn plausible(date: PartialDate, publication: PartialDate) -> bool {
    date.first_day() <= publication.last_day() + 366 && date.year >= 1900
}

/// A whole day from year, month, day (for tests).
pub fn day(year: i32, month: u8, d: u8) -> PartialDate {
    PartialDate::from_day(day_number(year, month, d))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dates_in(sentence: &str, ctx: &DateContext) -> Vec<String> {
        let toks = tokens(sentence, 0..sentence.len());
        find_dates(&toks, ctx)
            .into_iter()
            .map(|m| m.date.to_string())
            .collect()
    }

    fn ctx() -> DateContext {
        DateContext {
            // A Friday.
            publication: day(2025, 3, 14),
            recent_year: None,
            previous: Some(PartialDate::new(2024, Some(8), None).unwrap()),
        }
    }

    #[test]
    fn absolute_dates_keep_their_precision() {
        let c = ctx();
        assert_eq!(
            dates_in(
                "On 14 March 2025 and on March 3, 2024, in May 2024, in 2023 and on 2022-01-05.",
                &c
            ),
            ["2025-03-14", "2024-03-03", "2024-05", "2023", "2022-01-05"]
        );
    }

    #[test]
    fn relative_dates_read_against_the_publication_day() {
        let c = ctx();
        assert_eq!(
            dates_in("He left on Monday and returned yesterday.", &c),
            ["2025-03-10", "2025-03-13"]
        );
        assert_eq!(
            dates_in(
                "Talks last week, earlier this month, last month, last year.",
                &c
            ),
            ["2025-03", "2025-03", "2025-02", "2024"]
        );
        assert_eq!(
            dates_in("They met in January and in June.", &c),
            ["2025-01", "2024-06"]
        );
        assert_eq!(dates_in("Three days ago.", &c), ["2025-03-11"]);
        assert_eq!(dates_in("In the same month.", &c), ["2024-08"]);
    }

    #[test]
    fn a_month_alone_takes_the_year_the_text_talks_about() {
        let mut c = ctx();
        c.recent_year = Some(2024);
        assert_eq!(
            dates_in("Meetings in February and April 2023. In April, he met.", &c),
            ["2023-02", "2023-04", "2024-04"]
        );
        // "May" the verb is no month.
        assert!(dates_in("Iran May sign.", &c).is_empty());
    }

    #[test]
    fn publication_dates_from_html_and_datelines() {
        let html = r#"<meta property="article:published_time" content="2025-03-14T09:00:00Z">"#;
        assert_eq!(html_publication_date(html), Some(day(2025, 3, 14)));
        let time = r#"<p>x</p><time datetime="2024-12-01">1 Dec</time>"#;
        assert_eq!(html_publication_date(time), Some(day(2024, 12, 1)));
        let text = "Headline\nMarch 14, 2025 - Belarus and Iran met.";
        let lines = [0..8, 9..text.len()];
        let today = day(2026, 1, 10);
        assert_eq!(
            text_publication_date(text, &lines, today),
            Some((day(2025, 3, 14), true))
        );
        let text = "MINSK, 3 June 2024 (BelTA) – Talks.";
        assert_eq!(
            text_publication_date(text, std::slice::from_ref(&(0..text.len())), today),
            Some((day(2024, 6, 3), true))
        );
        let prose = "In 2024, on 3 June 2024 they met.";
        assert_eq!(
            text_publication_date(prose, std::slice::from_ref(&(0..prose.len())), today),
            None
        );
        // A wire dateline without its year: the latest such day up to today.
        let wire = "WASHINGTON, May 3 (Reuters) - Talks.";
        assert_eq!(
            text_publication_date(wire, std::slice::from_ref(&(0..wire.len())), today),
            Some((day(2025, 5, 3), false))
        );
    }
}
