//! The real app driven as a user would, through egui_kittest, one module per feature: load,
//! look for actors, move the time window, click, drop a file, read the inspector, save and
//! restore, edit, annotate, present. One test binary: the GUI stack is linked once.

mod analysis;
mod editing;
mod file_dialog;
mod map;
mod notes;
mod opening;
mod presenting;
mod table_and_inspector;
mod timeline;
mod trust;
mod workspace;

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use eframe::egui::{self, Key, Modifiers, Role};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use relmap::io::LoadOptions;
use relmap::model::{BinUnit, PartialDate, TimeWindow};
use relmap::ui::RelmapApp;

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(name)
}

fn app(files: Vec<PathBuf>) -> Harness<'static, RelmapApp> {
    let mut harness = Harness::builder()
        .with_size([1400.0, 900.0])
        .wgpu()
        .build_eframe(move |cc| RelmapApp::new(cc, files, LoadOptions::default()));
    wait_until_loaded(&mut harness);
    harness
}

/// Steps the app until its worker has delivered the file (at most 20 s).
fn wait_until_loaded(harness: &mut Harness<'static, RelmapApp>) {
    let start = Instant::now();
    while harness.state().is_loading() {
        assert!(
            start.elapsed() < Duration::from_secs(20),
            "loading never finished"
        );
        std::thread::sleep(Duration::from_millis(20));
        harness.step();
    }
    harness.run_steps(3);
}

fn has_node(harness: &Harness<'static, RelmapApp>, name: &str) -> bool {
    harness
        .query_by_role_and_label(Role::Button, name)
        .is_some()
}

/// Drags with the pointer from `from` to `to` in steps, as a hand would.
fn drag(harness: &mut Harness<'static, RelmapApp>, from: egui::Pos2, to: egui::Pos2) {
    harness.drag_at(from);
    harness.run_steps(1);
    for i in 1..=5 {
        harness.hover_at(from + (to - from) * (i as f32 / 5.0));
        harness.run_steps(1);
    }
    harness.drop_at(to);
    harness.run_steps(2);
}

fn apply(harness: &mut Harness<'static, RelmapApp>, command: relmap::ui::Command) {
    let ctx = harness.ctx.clone();
    harness.state_mut().apply(&ctx, command);
    harness.run_steps(2);
}
