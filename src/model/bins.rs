//! Counting events over time for the timeline. Per-day counts by group (event class, or
//! the most common types) are kept as prefix sums, so that any bin — a day, a week, a
//! month, a year — costs two lookups, and the timeline can re-bin for every zoom level in
//! each frame.

use super::{DayNumber, civil_from_day, day_number, days_in_month, format_day};

const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

/// The length of the timeline's bars.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum BinUnit {
    Day,
    /// Monday to Sunday (ISO weeks).
    Week,
    Month,
    Year,
}

impl BinUnit {
    pub const ALL: [Self; 4] = [Self::Day, Self::Week, Self::Month, Self::Year];

    /// "day", "week", …
    pub fn name(self) -> &'static str {
        match self {
            Self::Day => "day",
            Self::Week => "week",
            Self::Month => "month",
            Self::Year => "year",
        }
    }

    /// The bin's average length in days.
    pub fn typical_days(self) -> f64 {
        match self {
            Self::Day => 1.0,
            Self::Week => 7.0,
            Self::Month => 30.44,
            Self::Year => 365.25,
        }
    }

    /// The finest unit whose bars are at least `min_points` wide when `days` days span
    /// `width` points: never more bars than the plot can show, and no coarser than that.
    pub fn for_zoom(days: f64, width: f32, min_points: f32) -> Self {
        let points_per_day = width.max(1.0) as f64 / days.max(1.0);
        Self::ALL
            .into_iter()
            .find(|u| u.typical_days() * points_per_day >= min_points as f64)
            .unwrap_or(Self::Year)
    }

    /// The first day of the bin holding `day`.
    pub fn bin_start(self, day: DayNumber) -> DayNumber {
        match self {
            Self::Day => day,
            // 1970-01-01 was a Thursday: Monday is 3 days before day 0's weekday.
            Self::Week => day - (day + 3).rem_euclid(7),
            Self::Month => {
                let (y, m, _) = civil_from_day(day);
                day_number(y, m, 1)
            }
            Self::Year => {
                let (y, _, _) = civil_from_day(day);
                day_number(y, 1, 1)
            }
        }
    }

    /// The first day of the bin after the one starting at `start`.
    pub fn next(self, start: DayNumber) -> DayNumber {
        match self {
            Self::Day => start + 1,
            Self::Week => start + 7,
            Self::Month => {
                let (y, m, _) = civil_from_day(start);
                start + days_in_month(y, m) as DayNumber
            }
            Self::Year => {
                let (y, _, _) = civil_from_day(start);
                day_number(y + 1, 1, 1)
            }
        }
    }

    /// `n` bins later (earlier when negative), keeping the position within the bin where
    /// the calendar allows (31 January plus one month is 29 February in a leap year).
    pub fn add(self, day: DayNumber, n: i32) -> DayNumber {
        match self {
            Self::Day => day + n,
            Self::Week => day + 7 * n,
            Self::Month | Self::Year => {
                let (y, m, d) = civil_from_day(day);
                let months = if self == Self::Month { n } else { 12 * n };
                let total = y * 12 + (m as i32 - 1) + months;
                let (y, m) = (total.div_euclid(12), total.rem_euclid(12) as u8 + 1);
                day_number(y, m, d.min(days_in_month(y, m)))
            }
        }
    }

    /// The bins that cover `from..=to`: `(first day, first day of the next)`.
    pub fn bins(self, from: DayNumber, to: DayNumber) -> Vec<(DayNumber, DayNumber)> {
        let mut bins = Vec::new();
        let mut start = self.bin_start(from);
        while start <= to {
            let next = self.next(start);
            bins.push((start, next));
            start = next;
        }
        bins
    }

    /// "2018-06-04", "week of 2018-06-04", "Jun 2018" or "2018".
    pub fn label(self, start: DayNumber) -> String {
        let (y, m, _) = civil_from_day(start);
        match self {
            Self::Day => format_day(start),
            Self::Week => format!("week of {}", format_day(start)),
            Self::Month => format!("{} {y}", MONTHS[m as usize - 1]),
            Self::Year => format!("{y}"),
        }
    }
}

/// Events per day in `groups` groups, as prefix sums over the days `first..=last`.
#[derive(Clone, Debug, Default)]
pub struct DayCounts {
    first: DayNumber,
    days: usize,
    groups: usize,
    /// `prefix[d * groups + g]`: events of group `g` on the days before `first + d`.
    prefix: Vec<u32>,
}

impl DayCounts {
    /// Counts `(day, group)` items; days outside `first..=last` and groups `>= groups` are
    /// left out.
    pub fn new(
        first: DayNumber,
        last: DayNumber,
        groups: usize,
        items: impl IntoIterator<Item = (DayNumber, usize)>,
    ) -> Self {
        Self::weighted(
            first,
            last,
            groups,
            items.into_iter().map(|(d, g)| (d, g, 1)),
        )
    }

    /// Counts `(day, group, events)` items: a row that stands for several events (an
    /// aggregate) adds them all.
    pub fn weighted(
        first: DayNumber,
        last: DayNumber,
        groups: usize,
        items: impl IntoIterator<Item = (DayNumber, usize, u32)>,
    ) -> Self {
        let days = (last - first + 1).max(0) as usize;
        let mut prefix = vec![0u32; (days + 1) * groups];
        for (day, group, n) in items {
            let d = day - first;
            if d >= 0 && (d as usize) < days && group < groups {
                let slot = &mut prefix[(d as usize + 1) * groups + group];
                *slot = slot.saturating_add(n);
            }
        }
        for i in groups..prefix.len() {
            prefix[i] += prefix[i - groups];
        }
        Self {
            first,
            days,
            groups,
            prefix,
        }
    }

    pub fn groups(&self) -> usize {
        self.groups
    }

    fn row(&self, day: DayNumber) -> usize {
        (day - self.first).clamp(0, self.days as i32) as usize * self.groups
    }

    /// Events of `group` on the days `from..until` (until excluded).
    pub fn count(&self, from: DayNumber, until: DayNumber, group: usize) -> u32 {
        if group >= self.groups || until <= from {
            return 0;
        }
        self.prefix[self.row(until) + group] - self.prefix[self.row(from) + group]
    }

    /// Events of every group on the days `from..until`.
    pub fn total(&self, from: DayNumber, until: DayNumber) -> u32 {
        (0..self.groups).map(|g| self.count(from, until, g)).sum()
    }
}

/// Events per bin for the timeline, honest about events dated only to a month or a year
/// (or lasting several days).
///
/// An event is drawn where it can have happened, never at one arbitrary day of its span:
/// an event whose whole span lies inside one bin counts in that bin ("within"); one whose
/// span crosses bins ("dated only to 1993" at month zoom) counts in every bin it overlaps,
/// and the timeline draws those segments lighter, on top of the events dated within the
/// bin, with the hover saying how they were dated. So a window that counts an event (the
/// window counts every event it overlaps) always shows it under the window, and the solid
/// part of a bar still reads as a count from zero. Spreading a fraction of the event over
/// each bin (aoristic counting) would keep the totals but make a year-dated event a
/// twelfth of a bar high at month zoom: easy to miss, which is how the 1993 event was lost.
#[derive(Clone, Debug, Default)]
pub struct TimelineCounts {
    groups: usize,
    /// Events of a single day, by day: within one bin at every unit.
    single_days: DayCounts,
    /// Longer events, per unit (in `BinUnit::ALL` order).
    long: [LongCounts; 4],
}

/// The events longer than a day, seen at one bin unit.
#[derive(Clone, Debug, Default)]
struct LongCounts {
    /// Those within one bin, by start day.
    within: DayCounts,
    /// Those crossing bins, by start day and by end day: a bin `from..until` overlaps
    /// (those starting before `until`) minus (those ending before `from`).
    starts: DayCounts,
    ends: DayCounts,
}

/// One segment of a stacked bar: the events of `group` from `base` to `top` (in events).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Segment {
    pub group: usize,
    /// Events dated only more coarsely than the bin (or lasting beyond it), which may have
    /// happened in this bin or in others: drawn lighter, above the events within the bin.
    pub wider: bool,
    pub base: u32,
    pub top: u32,
}

/// A bar: the bin's days `start..until` and its segments, bottom to top, without empty
/// ones. Every bar is built from the same bins, so segments never float over other bars.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BinStack {
    pub start: DayNumber,
    pub until: DayNumber,
    pub segments: Vec<Segment>,
}

impl BinStack {
    /// The bar's height: every event drawn in the bin.
    pub fn top(&self) -> u32 {
        self.segments.last().map_or(0, |s| s.top)
    }

    /// Events of `group` dated within the bin (`wider == false`) or more coarsely.
    pub fn count(&self, group: usize, wider: bool) -> u32 {
        self.segments
            .iter()
            .filter(|s| s.group == group && s.wider == wider)
            .map(|s| s.top - s.base)
            .sum()
    }

    /// Events dated within the bin, all groups.
    pub fn within(&self) -> u32 {
        self.segments
            .iter()
            .filter(|s| !s.wider)
            .map(|s| s.top - s.base)
            .sum()
    }
}

impl TimelineCounts {
    /// Counts `(start day, end day, group)` items on the days `first..=last` (the data's
    /// first start and last end); groups `>= groups` are left out.
    pub fn new(
        first: DayNumber,
        last: DayNumber,
        groups: usize,
        items: impl IntoIterator<Item = (DayNumber, DayNumber, usize)>,
    ) -> Self {
        Self::weighted(
            first,
            last,
            groups,
            items.into_iter().map(|(s, e, g)| (s, e, g, 1)),
        )
    }

    /// Counts `(start day, end day, group, events)` items: a row that stands for several
    /// events (an aggregate, [`super::Dataset::multiplicity`]) adds them all.
    pub fn weighted(
        first: DayNumber,
        last: DayNumber,
        groups: usize,
        items: impl IntoIterator<Item = (DayNumber, DayNumber, usize, u32)>,
    ) -> Self {
        type Long = (DayNumber, DayNumber, usize, u32);
        let mut long: Vec<Long> = Vec::new();
        let single_days = DayCounts::weighted(
            first,
            last,
            groups,
            items.into_iter().filter_map(|(start, end, g, n)| {
                if end <= start {
                    Some((start, g, n))
                } else {
                    long.push((start, end, g, n));
                    None
                }
            }),
        );
        let per_unit = |unit: BinUnit| {
            if long.is_empty() {
                return LongCounts::default();
            }
            let inside = |&&(s, e, _, _): &&Long| unit.bin_start(s) == unit.bin_start(e);
            let crossing = || long.iter().filter(|x| !inside(x));
            LongCounts {
                within: DayCounts::weighted(
                    first,
                    last,
                    groups,
                    long.iter().filter(inside).map(|&(s, _, g, n)| (s, g, n)),
                ),
                starts: DayCounts::weighted(
                    first,
                    last,
                    groups,
                    crossing().map(|&(s, _, g, n)| (s, g, n)),
                ),
                ends: DayCounts::weighted(
                    first,
                    last,
                    groups,
                    crossing().map(|&(_, e, g, n)| (e, g, n)),
                ),
            }
        };
        Self {
            groups,
            single_days,
            long: BinUnit::ALL.map(per_unit),
        }
    }

    pub fn groups(&self) -> usize {
        self.groups
    }

    fn long(&self, unit: BinUnit) -> &LongCounts {
        &self.long[unit as usize]
    }

    /// Events of `group` dated within the bin `from..until` of `unit` (a bin: `from` and
    /// `until` are bin starts of `unit`).
    pub fn within(&self, unit: BinUnit, from: DayNumber, until: DayNumber, group: usize) -> u32 {
        self.single_days.count(from, until, group)
            + self.long(unit).within.count(from, until, group)
    }

    /// Events of `group` that overlap the bin `from..until` of `unit` but cross its edges.
    pub fn wider(&self, unit: BinUnit, from: DayNumber, until: DayNumber, group: usize) -> u32 {
        let long = self.long(unit);
        if until <= from {
            return 0;
        }
        let started = long.starts.count(DayNumber::MIN / 2, until, group);
        let ended = long.ends.count(DayNumber::MIN / 2, from, group);
        started.saturating_sub(ended)
    }

    /// Every event drawn in the bin: within it or overlapping it.
    pub fn total(&self, unit: BinUnit, from: DayNumber, until: DayNumber) -> u32 {
        (0..self.groups)
            .map(|g| self.within(unit, from, until, g) + self.wider(unit, from, until, g))
            .sum()
    }

    /// The stacked bars for `bins` (as [`BinUnit::bins`] gives them): per bin the events
    /// within it by group, bottom up, then those dated more coarsely by group.
    pub fn stack(&self, unit: BinUnit, bins: &[(DayNumber, DayNumber)]) -> Vec<BinStack> {
        bins.iter()
            .map(|&(start, until)| {
                let mut segments = Vec::new();
                let mut top = 0;
                for wider in [false, true] {
                    for group in 0..self.groups {
                        let n = if wider {
                            self.wider(unit, start, until, group)
                        } else {
                            self.within(unit, start, until, group)
                        };
                        if n > 0 {
                            segments.push(Segment {
                                group,
                                wider,
                                base: top,
                                top: top + n,
                            });
                            top += n;
                        }
                    }
                }
                BinStack {
                    start,
                    until,
                    segments,
                }
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn weeks_start_on_monday() {
        // 2024-05-13 was a Monday.
        let monday = day_number(2024, 5, 13);
        for d in 0..7 {
            assert_eq!(BinUnit::Week.bin_start(monday + d), monday);
        }
        assert_eq!(BinUnit::Week.bin_start(monday - 1), monday - 7);
        assert_eq!(
            BinUnit::Week.bin_start(day_number(1969, 12, 29)),
            day_number(1969, 12, 29)
        );
    }

    #[test]
    fn bins_cover_the_range_with_calendar_lengths() {
        let bins = BinUnit::Month.bins(day_number(2024, 1, 15), day_number(2024, 3, 1));
        assert_eq!(
            bins,
            vec![
                (day_number(2024, 1, 1), day_number(2024, 2, 1)),
                (day_number(2024, 2, 1), day_number(2024, 3, 1)),
                (day_number(2024, 3, 1), day_number(2024, 4, 1)),
            ]
        );
        assert_eq!(
            BinUnit::Year
                .bins(day_number(1999, 6, 1), day_number(2000, 1, 1))
                .len(),
            2
        );
        assert_eq!(BinUnit::Month.label(day_number(2024, 2, 1)), "Feb 2024");
        assert_eq!(
            BinUnit::Week.label(day_number(2024, 5, 13)),
            "week of 2024-05-13"
        );
    }

    #[test]
    fn adding_months_clamps_to_the_month_end() {
        let jan31 = day_number(2024, 1, 31);
        assert_eq!(BinUnit::Month.add(jan31, 1), day_number(2024, 2, 29));
        assert_eq!(BinUnit::Month.add(jan31, -2), day_number(2023, 11, 30));
        assert_eq!(
            BinUnit::Year.add(day_number(2024, 2, 29), 1),
            day_number(2025, 2, 28)
        );
        assert_eq!(BinUnit::Week.add(jan31, -1), jan31 - 7);
    }

    #[test]
    fn zoom_picks_the_finest_unit_that_fits() {
        // 60 days on 1200 points: 20 points a day.
        assert_eq!(BinUnit::for_zoom(60.0, 1200.0, 6.0), BinUnit::Day);
        // Three years on 1200 points: about 1.1 points a day, 7.7 a week.
        assert_eq!(BinUnit::for_zoom(1096.0, 1200.0, 6.0), BinUnit::Week);
        assert_eq!(BinUnit::for_zoom(1096.0, 1200.0, 10.0), BinUnit::Month);
        // Forty years.
        assert_eq!(BinUnit::for_zoom(14_610.0, 1200.0, 6.0), BinUnit::Year);
    }

    #[test]
    fn counts_sum_over_any_range() {
        let items = [(10, 0), (10, 1), (11, 1), (15, 0), (9, 0), (16, 0), (12, 5)];
        let c = DayCounts::new(10, 15, 2, items);
        assert_eq!(c.count(10, 11, 0), 1);
        assert_eq!(c.count(10, 12, 1), 2);
        assert_eq!(c.total(10, 16), 4);
        assert_eq!(c.total(0, 100), 4);
        assert_eq!(c.count(12, 10, 0), 0);
        assert_eq!(c.count(10, 16, 7), 0);
    }

    #[test]
    fn coarse_dates_count_in_every_bin_they_overlap_and_within_their_own() {
        let d = |m: u8, dd: u8| day_number(2024, m, dd);
        let year = (d(1, 1), d(12, 31), 0);
        let may = (d(5, 1), d(5, 31), 1);
        let day = (d(5, 13), d(5, 13), 0);
        let c = TimelineCounts::new(d(1, 1), d(12, 31), 2, [year, may, day]);
        // By month: May holds the day and the month within it, the year over it.
        let months = BinUnit::Month.bins(d(4, 1), d(6, 30));
        let bars = c.stack(BinUnit::Month, &months);
        assert_eq!(bars[1].within(), 2);
        assert_eq!(bars[1].count(0, false), 1);
        assert_eq!(bars[1].count(1, false), 1);
        assert_eq!(bars[1].count(0, true), 1);
        assert_eq!(bars[1].top(), 3);
        // April and June: only the year, lighter.
        for b in [&bars[0], &bars[2]] {
            assert_eq!(
                b.segments,
                vec![Segment {
                    group: 0,
                    wider: true,
                    base: 0,
                    top: 1
                }]
            );
        }
        // By year everything is within 2024; by day the month covers each of its days.
        let years = c.stack(BinUnit::Year, &BinUnit::Year.bins(d(1, 1), d(1, 1)));
        assert_eq!((years[0].within(), years[0].top()), (3, 3));
        assert_eq!(c.wider(BinUnit::Day, d(5, 20), d(5, 21), 1), 1);
        assert_eq!(c.wider(BinUnit::Day, d(6, 1), d(6, 2), 1), 0);
        // Segments are stacked without gaps from zero.
        for b in &bars {
            let mut base = 0;
            for s in &b.segments {
                assert_eq!(s.base, base);
                base = s.top;
            }
        }
    }
}
