//! Which frames a film has: one per step (a day, week, month or year) from the first step to
//! the last, each showing the time window that ends with its step, and the words its caption
//! gives that window.

use crate::model::{BinUnit, DayNumber, TimeWindow, civil_from_day, days_in_month};

const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

/// How far a film moves from one frame to the next.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, clap::ValueEnum)]
pub enum FilmStep {
    Day,
    Week,
    #[default]
    Month,
    Year,
}

impl FilmStep {
    pub fn unit(self) -> BinUnit {
        match self {
            FilmStep::Day => BinUnit::Day,
            FilmStep::Week => BinUnit::Week,
            FilmStep::Month => BinUnit::Month,
            FilmStep::Year => BinUnit::Year,
        }
    }
}

/// How long a frame's time window is: `count` days, weeks, months or years, ending with the
/// frame's step.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Span {
    pub unit: BinUnit,
    pub count: u32,
}

impl Span {
    /// `30d`, `4w`, `3mo`, `1y` (also `2 weeks`, `6 months`, `1year`).
    pub fn parse(text: &str) -> Result<Self, String> {
        let t = text.trim().to_ascii_lowercase();
        let digits = t.find(|c: char| !c.is_ascii_digit()).unwrap_or(t.len());
        let (number, unit) = t.split_at(digits);
        let count: u32 = number.parse().ok().filter(|&n| (1..=10_000).contains(&n)).ok_or_else(|| {
            format!("{text:?} is not a span like 30d, 4w, 3mo or 1y (a whole number from 1, then d, w, mo or y)")
        })?;
        let unit = match unit.trim() {
            "d" | "day" | "days" => BinUnit::Day,
            "w" | "wk" | "week" | "weeks" => BinUnit::Week,
            "mo" | "month" | "months" => BinUnit::Month,
            "y" | "yr" | "year" | "years" => BinUnit::Year,
            _ => {
                return Err(format!(
                    "{text:?} is not a span like 30d, 4w, 3mo or 1y (d days, w weeks, mo months, y years)"
                ));
            }
        };
        Ok(Self { unit, count })
    }

    /// The first day of a window of this span whose last day is `end_exclusive - 1`.
    pub fn start_before(self, end_exclusive: DayNumber) -> DayNumber {
        self.unit.add(end_exclusive, -(self.count as i32))
    }
}

/// One frame per step of `step` whose days meet `from..=to`, each showing the window that
/// ends on its step's last day: `span` long (one step when `None`), or from `cumulative_from`
/// when given (the first event, so the window only grows).
pub fn frame_windows(
    from: DayNumber,
    to: DayNumber,
    step: FilmStep,
    span: Option<Span>,
    cumulative_from: Option<DayNumber>,
) -> Vec<TimeWindow> {
    let unit = step.unit();
    let span = span.unwrap_or(Span { unit, count: 1 });
    unit.bins(from.min(to), from.max(to))
        .into_iter()
        .map(|(_, next)| {
            let start = match cumulative_from {
                Some(first) => first.min(next - 1),
                None => span.start_before(next),
            };
            TimeWindow::new(start, next - 1)
        })
        .collect()
}

/// A window in words for a caption that is read from the back of a room: whole months as
/// `Mar 2024` or `Jan – Mar 2024`, whole years as `2024` or `2022 – 2024`, else days as
/// `14 Mar 2024` or `3 – 9 Mar 2024`.
pub fn window_title(window: TimeWindow) -> String {
    let (fy, fm, fd) = civil_from_day(window.from);
    let (ty, tm, td) = civil_from_day(window.to);
    let month = |m: u8| MONTHS[m as usize - 1];
    let whole_months = fd == 1 && td == days_in_month(ty, tm);
    if whole_months && fm == 1 && tm == 12 {
        return if fy == ty {
            format!("{fy}")
        } else {
            format!("{fy} – {ty}")
        };
    }
    if whole_months {
        return match (fy == ty, fm == tm) {
            (true, true) => format!("{} {fy}", month(fm)),
            (true, false) => format!("{} – {} {ty}", month(fm), month(tm)),
            _ => format!("{} {fy} – {} {ty}", month(fm), month(tm)),
        };
    }
    if window.from == window.to {
        return format!("{fd} {} {fy}", month(fm));
    }
    match (fy == ty, fm == tm) {
        (true, true) => format!("{fd} – {td} {} {ty}", month(tm)),
        (true, false) => format!("{fd} {} – {td} {} {ty}", month(fm), month(tm)),
        _ => format!("{fd} {} {fy} – {td} {} {ty}", month(fm), month(tm)),
    }
}

/// The start of a timeline bin in few words: `2024` for a year, `Mar 2024` for a month,
/// `4 Mar 2024` for a week or a day.
pub fn bin_label(unit: BinUnit, start: DayNumber) -> String {
    let (y, m, d) = civil_from_day(start);
    match unit {
        BinUnit::Year => format!("{y}"),
        BinUnit::Month => format!("{} {y}", MONTHS[m as usize - 1]),
        BinUnit::Week | BinUnit::Day => format!("{d} {} {y}", MONTHS[m as usize - 1]),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::day_number;

    #[test]
    fn spans_parse_and_bad_ones_say_what_is_expected() {
        let s = |t: &str| Span::parse(t).unwrap();
        assert_eq!(
            s("30d"),
            Span {
                unit: BinUnit::Day,
                count: 30
            }
        );
        assert_eq!(
            s("4w"),
            Span {
                unit: BinUnit::Week,
                count: 4
            }
        );
        assert_eq!(
            s("3mo"),
            Span {
                unit: BinUnit::Month,
                count: 3
            }
        );
        assert_eq!(
            s("1y"),
            Span {
                unit: BinUnit::Year,
                count: 1
            }
        );
        assert_eq!(
            s("6 months"),
            Span {
                unit: BinUnit::Month,
                count: 6
            }
        );
        for bad in ["", "3", "3m", "mo", "0d", "-1y", "1.5y"] {
            assert!(Span::parse(bad).unwrap_err().contains("30d"), "{bad}");
        }
    }

    #[test]
    fn the_issue_example_is_25_frames_of_three_months() {
        let windows = frame_windows(
            day_number(2023, 3, 1),
            day_number(2025, 3, 31),
            FilmStep::Month,
            Some(Span::parse("3mo").unwrap()),
            None,
        );
        assert_eq!(windows.len(), 25);
        assert_eq!(
            windows[0],
            TimeWindow::new(day_number(2023, 1, 1), day_number(2023, 3, 31))
        );
        assert_eq!(
            windows[24],
            TimeWindow::new(day_number(2025, 1, 1), day_number(2025, 3, 31))
        );
        assert_eq!(window_title(windows[0]), "Jan – Mar 2023");
        // One step by default; cumulative keeps the first day.
        let one = frame_windows(
            day_number(2024, 1, 10),
            day_number(2024, 2, 3),
            FilmStep::Week,
            None,
            None,
        );
        // The weeks (from Monday) of 8, 15, 22 and 29 January.
        assert_eq!(one.len(), 4);
        assert!(one.iter().all(|w| w.to - w.from == 6));
        let grown = frame_windows(
            day_number(2024, 1, 1),
            day_number(2024, 12, 31),
            FilmStep::Month,
            None,
            Some(day_number(1993, 5, 1)),
        );
        assert!(grown.iter().all(|w| w.from == day_number(1993, 5, 1)));
        assert_eq!(grown[11].to, day_number(2024, 12, 31));
    }

    #[test]
    fn titles_read_as_months_years_or_days() {
        let t = |a: (i32, u8, u8), b: (i32, u8, u8)| {
            window_title(TimeWindow::new(
                day_number(a.0, a.1, a.2),
                day_number(b.0, b.1, b.2),
            ))
        };
        assert_eq!(t((2024, 3, 1), (2024, 3, 31)), "Mar 2024");
        assert_eq!(t((2023, 12, 1), (2024, 2, 29)), "Dec 2023 – Feb 2024");
        assert_eq!(t((2024, 1, 1), (2024, 12, 31)), "2024");
        assert_eq!(t((2022, 1, 1), (2024, 12, 31)), "2022 – 2024");
        assert_eq!(t((2024, 3, 14), (2024, 3, 14)), "14 Mar 2024");
        assert_eq!(t((2024, 3, 4), (2024, 3, 10)), "4 – 10 Mar 2024");
        assert_eq!(t((2024, 2, 26), (2024, 3, 3)), "26 Feb – 3 Mar 2024");
        assert_eq!(t((2023, 12, 25), (2024, 1, 7)), "25 Dec 2023 – 7 Jan 2024");
    }
}
