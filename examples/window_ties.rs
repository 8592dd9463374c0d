//! Prints the graph `relmap metrics` analyses for an event file's whole time span: one
//! `name<TAB>name<TAB>weight` line per tie (weight: events the two actors share), for
//! `benches/tools/networkx_expected.py ties`.
//!
//!     cargo run --example window_ties --no-default-features -- FILE > TIES.tsv

use std::io::Write;
use std::path::PathBuf;

use relmap::analysis::WindowGraph;
use relmap::io::{LoadOptions, Progress, load_path};
use relmap::model::{EventFilter, TimeWindow};

fn main() {
    let path = PathBuf::from(std::env::args().nth(1).expect("usage: window_ties FILE"));
    let loaded = load_path(&path, &LoadOptions::default(), &Progress::new())
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let ds = &loaded.dataset;
    let graph = WindowGraph::of_window(ds, TimeWindow::all(ds), EventFilter::all());
    let name = |node: u32| ds.actors.get(graph.actors[node as usize]).name.as_str();
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    writeln!(
        out,
        "# {}: every event, {} ties",
        path.display(),
        graph.tie_count()
    )
    .unwrap();
    for tie in &graph.ties {
        writeln!(out, "{}\t{}\t{}", name(tie.a), name(tie.b), tie.weight).unwrap();
    }
}
