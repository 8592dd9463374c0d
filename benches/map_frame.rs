//! One egui frame of the map, headless: build the UI (scene, culling, labels, hit testing)
//! and tessellate it, on generated graphs of 1,000 actors / 5,000 edges and 10,000 actors /
//! 50,000 edges, laid out by the force layout as the app would. Targets (issue 4): median
//! ≤ 2 ms and ≤ 16 ms.

#[path = "graph.rs"]
mod graph;

use criterion::{Criterion, criterion_group, criterion_main};
use relmap::export::picture::MapStyle;
use relmap::io::{Diagnostics, Format, Loaded};
use relmap::ui::{Document, MapChoices, MapView, map_ui};

use eframe::egui;

/// The allocator the app uses (see Cargo.toml): frame times depend on it.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn frame(c: &mut Criterion) {
    let mut group = c.benchmark_group("map_frame");
    group.sample_size(30);
    for (actors, edges) in [(1_000, 5_000), (10_000, 50_000)] {
        let dataset = graph::synthetic_dataset(actors, edges, 7);
        let doc = Document::new(
            format!("synthetic-{actors}"),
            None,
            Loaded {
                dataset,
                format: Format::Csv,
                diagnostics: Diagnostics::default(),
            },
        );
        let ctx = egui::Context::default();
        relmap::ui::install_fonts(&ctx);
        let style = MapStyle::default();
        let mut view = MapView::default();
        let input = || egui::RawInput {
            screen_rect: Some(egui::Rect::from_min_size(
                egui::Pos2::ZERO,
                egui::vec2(1600.0, 1000.0),
            )),
            ..Default::default()
        };
        let run = |view: &mut MapView| {
            let output = ctx.run_ui(input(), |ui| {
                egui::CentralPanel::default().show(ui, |ui| {
                    let choices = MapChoices {
                        style: &style,
                        selected: &[],
                        selected_edge: None,
                        metrics: None,
                        focus: None,
                    };
                    let mut commands = Vec::new();
                    map_ui(ui, &doc, view, &choices, &mut commands);
                });
            });
            let primitives = ctx.tessellate(output.shapes, output.pixels_per_point);
            std::hint::black_box(primitives.len())
        };
        // Fit the view (animated), and let the fonts' atlas fill, before measuring.
        for _ in 0..60 {
            run(&mut view);
        }
        group.bench_function(format!("{actors}_actors_{edges}_edges"), |b| {
            b.iter(|| run(&mut view))
        });
    }
    group.finish();
}

criterion_group!(benches, frame);
criterion_main!(benches);
