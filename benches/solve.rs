//! Criterion benchmarks of the whole solve on the bundled Magdeburg scenario.
//!
//! Run with `cargo bench --bench solve`. Figures are stated in the README as
//! benchmark results; no test asserts a time.

use catchment::io::load_scenario;
use criterion::{Criterion, criterion_group, criterion_main};
use std::path::Path;
use std::time::Duration;

fn bundled() -> catchment::model::Instance {
    load_scenario(&Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/magdeburg.toml")).expect("bundled scenario loads")
}

fn magdeburg(c: &mut Criterion) {
    let mut group = c.benchmark_group("magdeburg");
    group.sample_size(10).measurement_time(Duration::from_secs(10));
    let instance = bundled();
    group.bench_function("load_scenario", |b| {
        b.iter(bundled);
    });
    group.bench_function("solve_previous_year", |b| {
        b.iter(|| catchment::solve::solve(&instance).expect("solves"));
    });
    group.finish();
}

criterion_group!(benches, magdeburg);
criterion_main!(benches);
