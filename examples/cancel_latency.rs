//! Measures how soon a load stops after Cancel: starts loading FILE on a thread, cancels it
//! after a delay, and prints the time from the cancel to the loader's return.
//!
//!     cargo run --release --example cancel_latency -- FILE [DELAY_MS]

use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant};

use relmap::io::{LoadOptions, Progress, load_path};

fn main() {
    let mut args = std::env::args().skip(1);
    let path = PathBuf::from(args.next().expect("usage: cancel_latency FILE [DELAY_MS]"));
    let delay = args.next().and_then(|d| d.parse().ok()).unwrap_or(300);
    let mut latencies = Vec::new();
    for _ in 0..5 {
        let progress = Arc::new(Progress::new());
        let worker = Arc::clone(&progress);
        let path = path.clone();
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            let result = load_path(&path, &LoadOptions::default(), &worker);
            let _ = tx.send((Instant::now(), result.is_err()));
        });
        std::thread::sleep(Duration::from_millis(delay));
        let cancelled_at = Instant::now();
        progress.cancel();
        let (returned_at, failed) = rx.recv().expect("the loader returns");
        let (bytes, total, _) = progress.snapshot();
        let ms = returned_at
            .saturating_duration_since(cancelled_at)
            .as_secs_f64()
            * 1e3;
        println!(
            "cancelled at {bytes}/{total} bytes; returned {ms:.1} ms later (cancelled: {failed})"
        );
        latencies.push(ms);
    }
    latencies.sort_by(f64::total_cmp);
    println!("median {:.1} ms, max {:.1} ms", latencies[2], latencies[4]);
}
