//! Criterion benchmarks: model building and the whole solve, on the bundled
//! Magdeburg scenario and on the generated `berlin` preset (35,000 pupils,
//! 430 schools), plus the plain reference formulation on Magdeburg as the
//! baseline measured in the same run.
//!
//! Run with `cargo bench --bench solve`. Figures are stated in the README as
//! benchmark results; no test asserts a time.

use catchment::generate::{GenerateOptions, Preset};
use catchment::io::{csv_bytes, load_scenario};
use catchment::model::{Formulation, Instance};
use catchment::solve::candidates::{SchoolTree, initial_arcs};
use catchment::solve::formulation::build;
use catchment::solve::groups::build_groups;
use criterion::{Criterion, criterion_group, criterion_main};
use std::path::Path;
use std::time::Duration;

fn bundled() -> Instance {
    load_scenario(&Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/magdeburg.toml")).expect("bundled scenario loads")
}

/// The `berlin` preset, generated into a temporary folder and read back.
fn berlin() -> Instance {
    let dir = tempfile::tempdir().expect("temp dir");
    let options = GenerateOptions::new(2026);
    let city = Preset::Berlin.generate(&options);
    std::fs::write(dir.path().join("schools.csv"), csv_bytes(&city.schools, "schools.csv").unwrap()).unwrap();
    std::fs::write(dir.path().join("pupils.csv"), csv_bytes(&city.pupils, "pupils.csv").unwrap()).unwrap();
    std::fs::write(
        dir.path().join("scenario.toml"),
        catchment::generate::scenario_toml("berlin", &options),
    )
    .unwrap();
    load_scenario(&dir.path().join("scenario.toml")).expect("generated scenario loads")
}

/// Building the first integer program: groups, R-tree candidates, constraints.
fn build_model(instance: &Instance) -> usize {
    let groups = build_groups(instance);
    let tree = SchoolTree::new(instance);
    let arcs = (0..groups.len()).flat_map(|g| initial_arcs(instance, &groups, &tree, g)).collect();
    build(instance, &groups, arcs, false).columns
}

fn magdeburg(c: &mut Criterion) {
    let mut group = c.benchmark_group("magdeburg");
    group.sample_size(10).measurement_time(Duration::from_secs(10));
    let instance = bundled();
    group.bench_function("load_scenario", |b| b.iter(bundled));
    group.bench_function("build_model", |b| b.iter(|| build_model(&instance)));
    group.bench_function("solve_previous_year", |b| {
        b.iter(|| catchment::solve::solve(&instance).expect("solves"))
    });
    let mut plain = instance.clone();
    plain.solver.formulation = Formulation::Plain;
    group.bench_function("solve_plain_formulation", |b| {
        b.iter(|| catchment::solve::solve(&plain).expect("solves"))
    });
    group.finish();
}

fn berlin_preset(c: &mut Criterion) {
    let mut group = c.benchmark_group("berlin");
    group.sample_size(10).measurement_time(Duration::from_secs(60));
    let instance = berlin();
    group.bench_function("build_model", |b| b.iter(|| build_model(&instance)));
    group.bench_function("solve_previous_year", |b| {
        b.iter(|| catchment::solve::solve(&instance).expect("solves"))
    });
    group.finish();
}

criterion_group!(benches, magdeburg, berlin_preset);
criterion_main!(benches);
