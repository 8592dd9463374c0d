//! Fuzzes the Excel workbook reader: any bytes handed to it as a workbook end in events or
//! a clear error, never a panic (calamine's own included) or unbounded memory.
#![no_main]

use std::path::Path;

use relmap::io::{LoadOptions, Progress, xlsx};
use relmap::model::{TimeWindow, WindowCounts};

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let _ = xlsx::sheet_names_of_bytes(data);
    let loaded = xlsx::load_workbook_bytes(
        data,
        Path::new("fuzz-input.xlsx"),
        None,
        &LoadOptions::default(),
        &Progress::new(),
    );
    if let Ok(loaded) = loaded {
        let ds = &loaded.dataset;
        for e in 0..ds.len() as u32 {
            let _ = (ds.date_of(e), ds.title(e), ds.actors_of(e));
        }
        let _ = WindowCounts::full(ds, TimeWindow::all(ds));
    }
});
