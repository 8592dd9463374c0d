//! What every fuzz target does: read the bytes as the app would, in one format, and touch
//! everything the views read, so that any bytes end in events or a clear error, never a
//! panic or unbounded memory.

use std::path::Path;

use relmap::io::{FormatChoice, LoadOptions, load_bytes};
use relmap::model::{TimeWindow, WindowCounts};

pub fn read(data: &[u8], format: FormatChoice) {
    if let Ok(loaded) = load_bytes(data, Path::new("fuzz-input"), &LoadOptions::format(format)) {
        let ds = &loaded.dataset;
        for e in 0..ds.len() as u32 {
            let _ = (ds.date_of(e), ds.title(e), ds.url(e), ds.actors_of(e), ds.pairs_of(e));
        }
        let _ = WindowCounts::full(ds, TimeWindow::all(ds));
    }
}
