//! The event table on the 10,000,000-event index of `benches/index_window.rs`: one headless
//! egui frame of the table, still and scrolling to a new place every frame — where every
//! frame reads the details (title, place, source) of the rows it shows from their rows in the
//! source files — to compare with `benches/table_frame.rs` on 1,000,000 events in memory.
//! Also what fetching one event's details costs, cold.

use criterion::{Criterion, criterion_group, criterion_main};
use eframe::egui;
use relmap::io::{LoadOptions, Progress};
use relmap::ui::{Document, TableState, table_ui};

#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn frames(c: &mut Criterion) {
    let path = std::env::var("RELMAP_INDEX").unwrap_or_else(|_| {
        concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/target/index-data/gdelt-10m.relidx"
        )
        .into()
    });
    let path = std::path::PathBuf::from(path);
    if !path.exists() {
        eprintln!("index_table_frame: {} is missing", path.display());
        return;
    }
    let open = || {
        let (loaded, _) = relmap::workspace::load_all(
            std::slice::from_ref(&path),
            &LoadOptions::default(),
            &Progress::new(),
        )
        .unwrap();
        Document::new("bench".into(), Some(path.clone()), loaded)
    };
    let doc = open();
    let ctx = egui::Context::default();
    relmap::ui::install_fonts(&ctx);
    let input = || egui::RawInput {
        screen_rect: Some(egui::Rect::from_min_size(
            egui::Pos2::ZERO,
            egui::vec2(1600.0, 400.0),
        )),
        ..Default::default()
    };
    let highlight: Vec<u32> = Vec::new();
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
    let mut group = c.benchmark_group("index_event_table");
    group.sample_size(30);
    let mut state = TableState::default();
    for _ in 0..5 {
        frame(&doc, &mut state);
    }
    eprintln!("index: {} rows in the table", state.rows().len());
    group.bench_function("still_10M_index", |b| b.iter(|| frame(&doc, &mut state)));
    let total = state.rows().len().max(1);
    let mut i = 0usize;
    group.bench_function("scrolling_10M_index", |b| {
        b.iter(|| {
            i = (i + 7_919) % total;
            state.scroll_to_row(i);
            frame(&doc, &mut state)
        })
    });
    group.finish();
    // One event's details read from its source row, never read before: criterion would
    // measure the cache after the first pass, so 2,000 distinct events are timed once.
    let ds = &doc.dataset;
    let started = std::time::Instant::now();
    let mut bytes = 0;
    for k in 0..2_000u32 {
        let e = (k as u64 * 4_999 % ds.len() as u64) as u32;
        bytes += ds.title(e).len() + ds.url(e).len();
    }
    eprintln!(
        "details of one event, read from its source row: {:.1} µs (mean of 2,000 distinct events; {bytes} bytes)",
        started.elapsed().as_secs_f64() * 1e6 / 2_000.0
    );
}

criterion_group!(benches, frames);
criterion_main!(benches);
