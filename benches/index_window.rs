//! The on-disk index (`relmap index`): opening an index of 10,000,000 GDELT events and moving
//! its time window by one day (incremental), as `benches/window.rs` does on 1,000,000 events
//! in memory. The index is `RELMAP_INDEX` (default `target/index-data/gdelt-10m.relidx`,
//! made as the README's Performance section says); without it the bench says so and skips.
//! With `RELMAP_INDEX_SOURCES` (the indexed files, `:`-separated) the same moves are measured
//! on the files loaded into memory, side by side.

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
    // Without the 29-day jump back that the walk above makes every 30th step: one day
    // forward, one day back, each a real one-day move.
    group.bench_function("one_day_back_and_forth", |b| {
        let mut counts = WindowCounts::full(&ds, start);
        let mut shift = 0;
        b.iter(|| {
            shift = 1 - shift;
            let w = TimeWindow::new(from + shift, from + 90 + shift);
            counts.move_to(&ds, w)
        })
    });
    {
        let mut counts = WindowCounts::full(&ds, start);
        let touched = counts.move_to(&ds, TimeWindow::new(from + 1, from + 91));
        eprintln!(
            "index_window: {} events in the window, a one-day move looks at {touched}",
            counts.events
        );
    }
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

    // The peer: the same files loaded into memory (`RELMAP_INDEX_SOURCES`, a list of paths
    // separated by `:`), the same moves.
    let Ok(sources) = std::env::var("RELMAP_INDEX_SOURCES") else {
        return;
    };
    let files: Vec<std::path::PathBuf> = sources.split(':').map(Into::into).collect();
    let ds = relmap::io::load_paths(&files, &Default::default(), &Progress::new())
        .unwrap()
        .dataset;
    eprintln!("index_window: {} events loaded into memory", ds.len());
    let mut group = c.benchmark_group("in_memory_10m");
    group.bench_function("one_day_step_incremental", |b| {
        let mut counts = WindowCounts::full(&ds, start);
        let mut shift = 0;
        b.iter(|| {
            shift = (shift + 1) % 30;
            let w = TimeWindow::new(from + shift, from + 90 + shift);
            counts.move_to(&ds, w)
        })
    });
    group.bench_function("one_day_back_and_forth", |b| {
        let mut counts = WindowCounts::full(&ds, start);
        let mut shift = 0;
        b.iter(|| {
            shift = 1 - shift;
            let w = TimeWindow::new(from + shift, from + 90 + shift);
            counts.move_to(&ds, w)
        })
    });
    group.finish();
}

criterion_group!(benches, index_window);
criterion_main!(benches);
