//! The timeline's stacked bars against counts taken straight from the bundled sample: every
//! segment's height is the number of events of its group in its bin, segments are stacked
//! without gaps from zero on their own bin, and events dated only to a month or a year are
//! drawn in every bin they may fall in.

use std::path::Path;

use relmap::io::{LoadOptions, Progress, load_path};
use relmap::model::{BinUnit, Dataset, EventClass, PartialDate, TimelineCounts};

fn sample() -> Dataset {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("assets/sample/belarus-iran.csv");
    load_path(&path, &LoadOptions::default(), &Progress::new())
        .expect("the sample loads")
        .dataset
}

fn by_class(ds: &Dataset) -> TimelineCounts {
    let (lo, hi) = ds.day_range().unwrap();
    TimelineCounts::new(
        lo,
        hi,
        5,
        (0..ds.len()).map(|e| (ds.start[e], ds.end[e], ds.class[e].index())),
    )
}

fn day(y: i32, m: u8, d: u8) -> i32 {
    PartialDate::ymd(y, m, d).unwrap().first_day()
}

#[test]
fn every_segment_is_the_count_of_its_group_in_its_bin() {
    let ds = sample();
    let counts = by_class(&ds);
    let (lo, hi) = ds.day_range().unwrap();
    for unit in BinUnit::ALL {
        // Days and weeks over the busy years only; months and years over everything.
        let from = if unit <= BinUnit::Week {
            day(2023, 1, 1)
        } else {
            lo
        };
        let bins = unit.bins(from, hi);
        let bars = counts.stack(unit, &bins);
        assert_eq!(bars.len(), bins.len(), "one bar per bin, empty ones too");
        for (bar, &(s, u)) in bars.iter().zip(&bins) {
            assert_eq!((bar.start, bar.until), (s, u));
            let mut base = 0;
            for seg in &bar.segments {
                assert_eq!(seg.base, base, "{unit:?} {s}: no gap, no float");
                assert!(seg.top > seg.base);
                base = seg.top;
            }
            for g in 0..5 {
                let of_group = |e: &usize| ds.class[*e].index() == g;
                let within = (0..ds.len())
                    .filter(of_group)
                    .filter(|&e| ds.start[e] >= s && ds.end[e] < u)
                    .count() as u32;
                let overlapping = (0..ds.len())
                    .filter(of_group)
                    .filter(|&e| ds.start[e] < u && ds.end[e] >= s)
                    .count() as u32;
                assert_eq!(bar.count(g, false), within, "{unit:?} bin {s} group {g}");
                assert_eq!(
                    bar.count(g, true),
                    overlapping - within,
                    "{unit:?} bin {s} group {g} (coarser)"
                );
            }
        }
    }
}

#[test]
fn the_yearly_bars_stack_on_their_own_year() {
    let ds = sample();
    let counts = by_class(&ds);
    let bins = BinUnit::Year.bins(day(1993, 1, 1), day(2025, 12, 31));
    let bars = counts.stack(BinUnit::Year, &bins);
    let bar = |y: i32| bars.iter().find(|b| b.start == day(y, 1, 1)).unwrap();
    // 1993: the establishment of relations, dated only to the year, is in its year.
    assert_eq!(bar(1993).top(), 1);
    assert_eq!(bar(1993).within(), 1);
    // 2025: 3 verbal cooperation under 1 material cooperation (it floated at 8–9 when the
    // charts were stacked by index).
    let verbal = EventClass::VerbalCooperation.index();
    let material = EventClass::MaterialCooperation.index();
    let b = bar(2025);
    assert_eq!(b.count(verbal, false), 3);
    assert_eq!(b.count(material, false), 1);
    let seg = b.segments.iter().find(|s| s.group == material).unwrap();
    assert_eq!((seg.base, seg.top), (3, 4));
    assert_eq!(b.top(), 4);
    // Nothing between 1994 and 2022.
    assert!(
        bars.iter()
            .filter(|b| b.start > day(1993, 1, 1) && b.start < day(2023, 1, 1))
            .all(|b| b.top() == 0)
    );
}

#[test]
fn year_dated_events_show_in_every_month_of_their_year() {
    let ds = sample();
    let counts = by_class(&ds);
    // June to December 2025: only the two events dated "2025" may fall there.
    let bins = BinUnit::Month.bins(day(2025, 6, 1), day(2025, 12, 31));
    for bar in counts.stack(BinUnit::Month, &bins) {
        assert_eq!(bar.within(), 0);
        assert_eq!(bar.top(), 2, "month starting {}", bar.start);
    }
    // March 2025: the signing and the month-dated visit within it, the two above it.
    let march = counts.stack(BinUnit::Month, &[(day(2025, 3, 1), day(2025, 4, 1))]);
    assert_eq!((march[0].within(), march[0].top()), (2, 4));
    // At day zoom the month-dated visit covers each of March's days, lighter.
    assert_eq!(
        counts.wider(BinUnit::Day, day(2025, 3, 20), day(2025, 3, 21), 0),
        3
    );
}
