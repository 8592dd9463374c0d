//! The incremental window counts equal a full recount, for random datasets and random moves.

use proptest::prelude::*;
use relmap::model::{DatasetBuilder, NewEvent, PartialDate, TimeWindow, WindowCounts};

fn dataset(events: &[(i32, u8, u8, u8, Vec<u8>)]) -> relmap::model::Dataset {
    let mut b = DatasetBuilder::new();
    let ids: Vec<_> = (0..8)
        .map(|i| b.actor(&format!("Actor {i}"), None).unwrap())
        .collect();
    for (i, (year, precision, month, day, actors)) in events.iter().enumerate() {
        let date = match precision % 3 {
            0 => PartialDate::new(*year, None, None),
            1 => PartialDate::new(*year, Some(*month), None),
            _ => PartialDate::ymd(*year, *month, *day),
        }
        .unwrap();
        b.push(NewEvent {
            date,
            actors: actors.iter().map(|&a| ids[a as usize % 8]).collect(),
            line: i as u32 + 2,
            ..NewEvent::default()
        });
    }
    b.finish(None)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]
    #[test]
    fn incremental_moves_equal_full_recounts(
        events in prop::collection::vec(
            (2019i32..2023, 0u8..3, 1u8..=12, 1u8..=28, prop::collection::vec(0u8..8, 1..4)),
            1..120,
        ),
        moves in prop::collection::vec((-60i32..1600, 0i32..400), 1..40),
    ) {
        let ds = dataset(&events);
        let (lo, _) = ds.day_range().unwrap();
        let mut counts = WindowCounts::full(&ds, TimeWindow::all(&ds));
        for (offset, length) in moves {
            let w = TimeWindow::new(lo + offset, lo + offset + length);
            counts.move_to(&ds, w);
            prop_assert_eq!(&counts, &WindowCounts::full(&ds, w));
        }
    }
}
