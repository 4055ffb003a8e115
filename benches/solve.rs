//! Criterion benchmarks: model building and the whole solve, on the bundled
//! Magdeburg scenario and on the generated `berlin` preset (35,000 pupils,
//! 430 schools), plus baselines measured in the same run: the plain
//! reference formulation, the solve without the integral-LP shortcut, and
//! the intake basis with class ranges (whose run without warm start, about
//! 10 s, is a row of `benches/presets.sh` instead).
//!
//! Run with `cargo bench --bench solve`. Figures are stated in the README as
//! benchmark results; no test asserts a time.

use catchment::generate::{GenerateOptions, Preset};
use catchment::model::{Formulation, Instance};
use catchment::output::csv_bytes;
use catchment::scenario::load_scenario;
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
    let city = Preset::Berlin
        .generate(&options)
        .expect("the berlin preset's default options are valid");
    std::fs::write(dir.path().join("schools.csv"), csv_bytes(&city.schools, "schools.csv").unwrap()).unwrap();
    std::fs::write(dir.path().join("pupils.csv"), csv_bytes(&city.pupils, "pupils.csv").unwrap()).unwrap();
    std::fs::write(
        dir.path().join("scenario.toml"),
        catchment::generate::scenario_toml("berlin", &options),
    )
    .unwrap();
    load_scenario(&dir.path().join("scenario.toml")).expect("generated scenario loads")
}

/// The bundled city with the intake basis and class ranges (one class fewer
/// up to one more than planned): the case of the regime probing and search.
fn intake_with_ranges(instance: &Instance) -> Instance {
    let mut ranges = instance.clone();
    ranges.rules.migration_basis = catchment::model::MigrationBasis::Intake;
    for s in &mut ranges.schools {
        s.min_classes = s.classes.saturating_sub(1).max(1);
        s.max_classes = s.classes + 1;
    }
    ranges
}

/// Building the first integer program: groups, R-tree candidates, constraints.
fn build_model(instance: &Instance) -> usize {
    let groups = build_groups(instance);
    let tree = SchoolTree::new(instance);
    let arcs = (0..groups.len()).flat_map(|g| initial_arcs(instance, &groups, &tree, g)).collect();
    build(instance, &groups, arcs, false).columns.len()
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
    let mut no_shortcut = instance.clone();
    no_shortcut.solver.integral_lp_shortcut = false;
    group.bench_function("solve_previous_year_without_integral_lp_shortcut", |b| {
        b.iter(|| catchment::solve::solve(&no_shortcut).expect("solves"))
    });
    let ranges = intake_with_ranges(&instance);
    group.bench_function("solve_intake_class_ranges", |b| {
        b.iter(|| catchment::solve::solve(&ranges).expect("solves"))
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
