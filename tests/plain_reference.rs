//! The plain reference formulation (one variable per pupil and school, no
//! merging, no pruning, no decomposition) reaches the same optimum as the
//! certified solve.

use catchment::model::{AssignMode, Formulation, MigrationBasis};
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

/// A cut of the bundled city by whole groups (`assign`), with classes of
/// `class_size` so that seats are short of where the children live, and the
/// first integer program's reach `reach` (metres): the certified optimum
/// and its integer rounds.
fn whole_groups_at_reach(assign: AssignMode, pupils: usize, class_size: u32, reach: f64) -> (f64, usize) {
    let mut instance = load_scenario(Path::new("scenarios/magdeburg.toml")).unwrap();
    instance.pupils.truncate(pupils);
    instance.rules.assign = assign;
    instance.rules.class_size = class_size;
    instance.rules.reduced_class_size = class_size - 1;
    instance.solver.first_integer_reach_m = reach;
    let outcome = solve(&instance).unwrap();
    assert_eq!(outcome.status, SolveStatus::Optimal);
    (outcome.objective_m.unwrap(), outcome.stats.mip_rounds)
}

#[test]
fn a_short_first_integer_reach_widens_to_the_same_optimum_on_whole_groups() {
    for assign in [AssignMode::Units, AssignMode::Homes] {
        let (pupils, class_size) = (500, 6);
        let (default_reach, _) = whole_groups_at_reach(assign, pupils, class_size, 1_000.0);
        let (reach_zero, rounds) = whole_groups_at_reach(assign, pupils, class_size, 0.0);
        // Reach 0 keeps only the LP's own arcs and the start's: the integer
        // program lies above the LP here, so the rounds must widen.
        assert!(rounds >= 2, "{assign:?}: {rounds} integer rounds");
        let mut instance = load_scenario(Path::new("scenarios/magdeburg.toml")).unwrap();
        instance.pupils.truncate(pupils);
        instance.rules.assign = assign;
        instance.rules.class_size = class_size;
        instance.rules.reduced_class_size = class_size - 1;
        instance.solver.formulation = Formulation::Plain;
        let plain = solve(&instance).unwrap();
        assert_eq!(plain.status, SolveStatus::Optimal);
        let plain = plain.objective_m.unwrap();
        for (name, value) in [("reach 1000 m", default_reach), ("reach 0", reach_zero)] {
            assert!(
                (value - plain).abs() <= 1e-6 * plain,
                "{assign:?}, {name}: {value} vs plain {plain}"
            );
        }
    }
}

/// A cut of the bundled city as `magdeburg-min25.toml` is of the whole: the
/// first 300 pupils, at least 8 per class, classes of up to 10 (9 above the
/// threshold), 1 up to the planned number of classes per school; seats for
/// 264 to 1,120 pupils in whole classes.
fn class_minimum_cut(instance: &mut catchment::model::Instance) {
    instance.pupils.truncate(300);
    instance.rules.min_class_size = Some(8);
    instance.rules.class_size = 10;
    instance.rules.reduced_class_size = 9;
    for s in &mut instance.schools {
        s.min_classes = 1;
    }
}

#[test]
fn a_class_minimum_with_free_class_counts_reaches_the_plain_optimum_through_the_lagrangian_bound() {
    let (certified, plain) = both("scenarios/magdeburg.toml", class_minimum_cut);
    assert!((certified - plain).abs() <= 1e-6 * plain, "certified {certified} vs plain {plain}");
    let mut instance = load_scenario(Path::new("scenarios/magdeburg.toml")).unwrap();
    class_minimum_cut(&mut instance);
    let outcome = solve(&instance).unwrap();
    let bound = outcome
        .stats
        .lagrangian_bound_m
        .expect("the Lagrangian bound chose the integer program's arcs");
    assert!(bound <= certified + 1e-6 * certified, "bound {bound} above the optimum {certified}");
    // The bound rules arcs out: the integer program holds fewer arcs than
    // the one variable per pupil and school of the plain model.
    assert!(outcome.stats.arcs < 300 * 33 / 4, "{} arcs", outcome.stats.arcs);
}
