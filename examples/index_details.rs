//! Times reading events' details from their source rows through an index:
//! `cargo run --release --example index_details -- X.relidx [N]`.

fn main() {
    let mut args = std::env::args().skip(1);
    let path = std::path::PathBuf::from(args.next().expect("an index"));
    let n: u64 = args.next().and_then(|a| a.parse().ok()).unwrap_or(20_000);
    let ds = relmap::index::open_index(&path, &relmap::io::Progress::new())
        .unwrap()
        .dataset;
    let started = std::time::Instant::now();
    let mut bytes = 0;
    for k in 0..n {
        let e = (k * 4_999 % ds.len() as u64) as u32;
        bytes += ds.title(e).len() + ds.url(e).len();
    }
    println!(
        "{:.1} µs per event ({n} distinct events, {bytes} bytes)",
        started.elapsed().as_secs_f64() * 1e6 / n as f64
    );
}
