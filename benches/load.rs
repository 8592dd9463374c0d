//! Loading a generated 1,000,000-row GDELT 2.0 export into the indexed dataset.
//! The peer (polars' read_csv on the same file) runs side by side in
//! `benches/tools/compare_load.sh`, which also measures peak memory.

use criterion::{Criterion, criterion_group, criterion_main};
use relmap::io::{LoadOptions, Progress, load_path};

mod common;

fn load_gdelt(c: &mut Criterion) {
    let path = common::gdelt_file();
    let size = std::fs::metadata(&path).unwrap().len();
    let mut group = c.benchmark_group("load");
    group.sample_size(10);
    group.throughput(criterion::Throughput::Bytes(size));
    group.bench_function("gdelt2_1m_rows", |b| {
        b.iter(|| {
            let loaded = load_path(&path, &LoadOptions::default(), &Progress::new()).unwrap();
            assert!(!loaded.dataset.is_empty());
            loaded
        })
    });
    group.finish();
}

criterion_group!(benches, load_gdelt);
criterion_main!(benches);
