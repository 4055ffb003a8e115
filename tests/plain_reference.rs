//! The plain reference formulation (one variable per pupil and school, no
//! merging, no pruning, no decomposition) reaches the same optimum as the
//! certified solve.

use catchment::model::{Formulation, MigrationBasis};
use catchment::scenario::load_scenario;
use catchment::solve::{SolveStatus, solve};
use std::path::Path;

fn both(path: &str, adjust: impl Fn(&mut catchment::model::Instance)) -> (f64, f64) {
    let mut instance = load_scenario(Path::new(path)).unwrap();
    adjust(&mut instance);
    let certified = solve(&instance).unwrap();
    instance.solver.formulation = Formulation::Plain;
    let plain = solve(&instance).unwrap();
    assert_eq!(certified.status, SolveStatus::Optimal, "{path}");
    assert_eq!(plain.status, SolveStatus::Optimal, "{path}");
    assert_eq!(plain.stats.groups, instance.pupils.len().min(plain.stats.groups));
    (certified.objective_m.unwrap(), plain.objective_m.unwrap())
}

#[test]
fn same_optimum_on_the_fixtures() {
    for path in [
        "tests/fixtures/small/scenario.toml",
        "tests/fixtures/intake/scenario.toml",
        "tests/fixtures/units/scenario.toml",
        "tests/fixtures/audit/scenario.toml",
        "tests/fixtures/rule17/scenario.toml",
    ] {
        let (certified, plain) = both(path, |_| {});
        assert!(
            (certified - plain).abs() <= 1e-6 * plain.max(1.0),
            "{path}: certified {certified} vs plain {plain}"
        );
    }
}

#[test]
fn same_optimum_on_the_bundled_city_with_the_intake_basis_and_a_class_minimum_on_a_small_cut() {
    // The first 200 pupils of the bundled city, intake basis: small enough for the plain model.
    let (certified, plain) = both("scenarios/magdeburg.toml", |i| {
        i.pupils.truncate(200);
        i.rules.migration_basis = MigrationBasis::Intake;
        for s in &mut i.schools {
            s.min_classes = 0;
        }
        i.rules.min_class_size = Some(5);
    });
    assert!((certified - plain).abs() <= 1e-6 * plain, "certified {certified} vs plain {plain}");
}

#[test]
fn the_plain_model_has_one_variable_per_pupil_and_school() {
    let mut instance = load_scenario(Path::new("scenarios/magdeburg.toml")).unwrap();
    instance.solver.formulation = Formulation::Plain;
    instance.pupils.truncate(100);
    let outcome = solve(&instance).unwrap();
    assert_eq!(outcome.stats.groups, 100);
    assert_eq!(outcome.stats.arcs, 100 * 33);
}
