//! What every fuzz target does: read the bytes as the app would, in one format, and touch
//! everything the views read, so that any bytes end in events or a clear error, never a
//! panic or unbounded memory.

use std::path::Path;

use relmap::io::{FormatChoice, LoadOptions, load_bytes};
use relmap::model::{TimeWindow, WindowCounts};

#[allow(dead_code)]
pub fn read(data: &[u8], format: FormatChoice) {
    if let Ok(loaded) = load_bytes(data, Path::new("fuzz-input"), &LoadOptions::format(format)) {
        let ds = &loaded.dataset;
        for e in 0..ds.len() as u32 {
            let _ = (
                ds.date_of(e),
                ds.title(e),
                ds.url(e),
                ds.actors_of(e),
                ds.pairs_of(e),
            );
        }
        let _ = WindowCounts::full(ds, TimeWindow::all(ds));
    }
}

/// Reads the bytes as a file on disk, the way archives are read (a zip's directory is at its
/// end, so zips are read from files, not streams), with format detection, and lists the
/// members when it is a zip: any bytes end in events or a clear error.
#[allow(dead_code)]
pub fn read_file(data: &[u8], extension: &str) {
    let path = std::env::temp_dir().join(format!("relmap-fuzz-{}.{extension}", std::process::id()));
    if std::fs::write(&path, data).is_err() {
        return;
    }
    if extension == "zip" {
        let _ = relmap::io::archive::list_zip(&path);
    }
    let progress = relmap::io::Progress::new();
    if let Ok(loaded) = relmap::io::load_path(&path, &LoadOptions::default(), &progress) {
        let ds = &loaded.dataset;
        for e in 0..ds.len() as u32 {
            let _ = (ds.date_of(e), ds.file_of(e), ds.url(e), ds.actors_of(e));
        }
        let _ = WindowCounts::full(ds, TimeWindow::all(ds));
    }
    let _ = std::fs::remove_file(&path);
}
