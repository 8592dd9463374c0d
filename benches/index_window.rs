//! The on-disk index (`relmap index`): opening an index of 10,000,000 GDELT events and moving
//! its time window by one day (incremental), as `benches/window.rs` does on 1,000,000 events
//! in memory. The index is `RELMAP_INDEX` (default `target/index-data/gdelt-10m.relidx`,
//! made as the README's Performance section says); without it the bench says so and skips.

use criterion::{Criterion, criterion_group, criterion_main};
use relmap::index::open_index;
use relmap::io::Progress;
use relmap::model::{TimeWindow, WindowCounts};

fn index_window(c: &mut Criterion) {
    let path = std::env::var("RELMAP_INDEX").unwrap_or_else(|_| {
        concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/target/index-data/gdelt-10m.relidx"
        )
        .into()
    });
    if !std::path::Path::new(&path).exists() {
        eprintln!("index_window: {path} is missing; build it with `relmap index … --out {path}`");
        return;
    }
    let ds = open_index(path.as_ref(), &Progress::new()).unwrap().dataset;
    eprintln!("index_window: {} events", ds.len());
    let (_, hi) = ds.day_range().unwrap();
    // A 90-day window in the busiest stretch (the last quarter of the data).
    let from = hi - 120;
    let start = TimeWindow::new(from, from + 90);
    let mut group = c.benchmark_group("index_10m");
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
    group.bench_function("open", |b| {
        b.iter(|| {
            open_index(path.as_ref(), &Progress::new())
                .unwrap()
                .dataset
                .len()
        })
    });
    group.finish();
}

criterion_group!(benches, index_window);
criterion_main!(benches);
