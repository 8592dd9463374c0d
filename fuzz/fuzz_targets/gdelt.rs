//! Fuzzes the gdelt reader through the same entry point the app uses: any bytes must end in
//! events or a clear error, never a panic or unbounded memory.
#![no_main]

use std::path::Path;

use libfuzzer_sys::fuzz_target;
use relmap::io::{FormatChoice, LoadOptions, load_bytes};

fuzz_target!(|data: &[u8]| {
    let options = LoadOptions::format(FormatChoice::Gdelt);
    if let Ok(loaded) = load_bytes(data, Path::new("fuzz-input"), &options) {
        // Touch what the views read, so a bad index shows up here.
        let ds = &loaded.dataset;
        for e in 0..ds.len() as u32 {
            let _ = (ds.date_of(e), ds.title(e), ds.url(e), ds.actors_of(e), ds.pairs_of(e));
        }
        let _ = relmap::model::WindowCounts::full(ds, relmap::model::TimeWindow::all(ds));
    }
});
