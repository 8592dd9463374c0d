//! The event table on a million events (the generated GDELT 2.0 file of `benches/common.rs`):
//! one headless egui frame of the table (layout of the visible rows plus tessellation),
//! still and while scrolling, against the same table showing 1,000 rows (the peer: a frame
//! should not depend on the number of rows). Target (issue 5): median ≤ 16 ms. Also what a
//! click on a column header or a keystroke in the search box costs: the query over all rows.

mod common;

use criterion::{Criterion, criterion_group, criterion_main};
use eframe::egui;
use relmap::io::{LoadOptions, Progress, load_path};
use relmap::model::{EventColumn, EventFilter, EventQuery, TimeWindow};
use relmap::ui::{Document, TableState, table_ui};

#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn frames(c: &mut Criterion) {
    let path = common::gdelt_file();
    let open = || {
        let loaded = load_path(&path, &LoadOptions::default(), &Progress::new()).unwrap();
        Document::new("bench".into(), Some(path.clone()), loaded)
    };
    let doc = open();
    // The peer: the same file with a window that holds about a thousand events.
    let mut few = open();
    let (lo, _) = few.dataset.day_range().unwrap();
    few.set_window(TimeWindow::new(lo, few.dataset.start[999]));
    let ctx = egui::Context::default();
    relmap::ui::install_fonts(&ctx);
    let input = || egui::RawInput {
        screen_rect: Some(egui::Rect::from_min_size(
            egui::Pos2::ZERO,
            egui::vec2(1600.0, 400.0),
        )),
        ..Default::default()
    };
    // Every 97th event is selected, so that rows are marked as in use.
    let highlight: Vec<u32> = (0..doc.dataset.len() as u32).step_by(97).collect();
    let frame = |doc: &Document, state: &mut TableState| {
        let output = ctx.run_ui(input(), |ui| {
            egui::CentralPanel::default().show(ui, |ui| {
                let mut commands = Vec::new();
                table_ui(ui, doc, state, &highlight, 1, &mut commands);
            });
        });
        let primitives = ctx.tessellate(output.shapes, output.pixels_per_point);
        std::hint::black_box(primitives.len())
    };

    let mut group = c.benchmark_group("event_table");
    group.sample_size(30);
    for (name, doc) in [("1k_rows", &few), ("1M_rows", &doc)] {
        let mut state = TableState::default();
        for _ in 0..5 {
            frame(doc, &mut state);
        }
        eprintln!("{name}: {} rows", state.rows().len());
        group.bench_function(format!("still_{name}"), |b| {
            b.iter(|| frame(doc, &mut state))
        });
        let total = state.rows().len().max(1);
        let mut i = 0usize;
        group.bench_function(format!("scrolling_{name}"), |b| {
            b.iter(|| {
                i = (i + 7_919) % total;
                state.scroll_to_row(i);
                frame(doc, &mut state)
            })
        });
    }
    group.finish();

    let ds = &doc.dataset;
    let mut group = c.benchmark_group("event_query");
    group.sample_size(10);
    let query = |sort: EventColumn, search: &str| EventQuery {
        window: TimeWindow::all(ds),
        filter: EventFilter::all(),
        search: search.to_string(),
        sort,
        ascending: true,
    };
    for (name, q) in [
        ("by_date", query(EventColumn::Date, "")),
        ("by_actors", query(EventColumn::Actors, "")),
        ("by_title", query(EventColumn::Title, "")),
        ("search_minsk", query(EventColumn::Date, "minsk")),
    ] {
        group.bench_function(name, |b| b.iter(|| q.run(ds, None).len()));
    }
    group.finish();
}

criterion_group!(benches, frames);
criterion_main!(benches);
