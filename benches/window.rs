//! Moving the time window by one day on the 1,000,000-event GDELT dataset (incremental),
//! next to a full recount of the same window as the peer.

use criterion::{Criterion, criterion_group, criterion_main};
use relmap::io::{LoadOptions, Progress, load_path};
use relmap::model::{TimeWindow, WindowCounts};

mod common;

fn window_moves(c: &mut Criterion) {
    let path = common::gdelt_file();
    let ds = load_path(&path, &LoadOptions::default(), &Progress::new())
        .unwrap()
        .dataset;
    let (lo, hi) = ds.day_range().unwrap();
    // A 90-day window in the busiest stretch (the last quarter of the data).
    let from = hi - 120;
    let start = TimeWindow::new(from, from + 90);
    let mut group = c.benchmark_group("window");
    group.bench_function("one_day_step_incremental", |b| {
        let mut counts = WindowCounts::full(&ds, start);
        let mut shift = 0;
        b.iter(|| {
            // Walk forward a day at a time and wrap, so every step is a real move.
            shift = (shift + 1) % 30;
            let w = TimeWindow::new(from + shift, from + 90 + shift);
            counts.move_to(&ds, w)
        })
    });
    group.sample_size(10);
    group.bench_function("full_recount_same_window", |b| {
        b.iter(|| WindowCounts::full(&ds, start).events)
    });
    group.finish();
    let _ = lo;
}

criterion_group!(benches, window_moves);
criterion_main!(benches);
