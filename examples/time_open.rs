//! Times opening a file as the window does: reading it (`workspace::load_all`), then building
//! the document (layout, indexes, window counts), printing each part's wall time.
//!
//!     cargo run --release --example time_open -- FILE…

use std::path::PathBuf;
use std::time::Instant;

use relmap::io::{LoadOptions, Progress};
use relmap::session::Document;

fn main() {
    let paths: Vec<PathBuf> = std::env::args().skip(1).map(PathBuf::from).collect();
    let progress = Progress::new();
    let start = Instant::now();
    let (loaded, _) = relmap::workspace::load_all(&paths, &LoadOptions::default(), &progress)
        .unwrap_or_else(|e| panic!("{e:?}"));
    let read = start.elapsed().as_secs_f64();
    let start = Instant::now();
    let doc = Document::new("file".into(), None, loaded);
    let built = start.elapsed().as_secs_f64();
    println!(
        "{} events: read {read:.3} s, document {built:.3} s",
        doc.dataset.len()
    );
}
