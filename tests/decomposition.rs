//! The decomposed solve (towns far apart solved separately, combination
//! certified by pricing) equals the undivided certified solve.

mod common;

use catchment::model::{Location, MigrationBasis, Pupil, PupilId, Rules, School, SchoolId};
use catchment::solve::certified::solve_certified;
use catchment::solve::{SolveStatus, solve};
use common::instance;
use proptest::prelude::*;

/// A town centre `town` x 20 km east of 52 N 11 E.
fn at(town: u32, dx_m: f64, dy_m: f64) -> Location {
    let lat = 52.0 + dy_m / 111_195.08;
    let lon = 11.0 + (town as f64 * 20_000.0 + dx_m) / (111_195.08 * 52f64.to_radians().cos());
    Location::new(lat, lon).unwrap()
}

#[derive(Debug, Clone)]
struct TownSpec {
    schools: Vec<(f64, f64, u32, f64)>,
    pupils: Vec<(f64, f64, bool)>,
}

fn town() -> impl Strategy<Value = TownSpec> {
    (
        prop::collection::vec((-1500.0..1500.0f64, -1500.0..1500.0f64, 0u32..3, 0.0..0.5f64), 1..4),
        prop::collection::vec((-2000.0..2000.0f64, -2000.0..2000.0f64, any::<bool>()), 1..12),
    )
        .prop_map(|(schools, pupils)| TownSpec { schools, pupils })
}

fn build(towns: &[TownSpec], basis: MigrationBasis, min_class_size: Option<u32>) -> catchment::model::Instance {
    let mut schools = Vec::new();
    let mut pupils = Vec::new();
    for (t, spec) in towns.iter().enumerate() {
        for (i, &(dx, dy, classes, share)) in spec.schools.iter().enumerate() {
            schools.push(School {
                id: SchoolId(format!("T{t}S{i}")),
                name: String::new(),
                location: at(t as u32, dx, dy),
                classes,
                min_classes: classes.saturating_sub(1),
                max_classes: classes,
                reserved_seats: 0,
                prev_migration_share: share,
            });
        }
        for (i, &(dx, dy, migrant)) in spec.pupils.iter().enumerate() {
            pupils.push(Pupil {
                id: PupilId(format!("T{t}P{i}")),
                location: at(t as u32, dx, dy),
                migrant,
                unit: None,
                address: None,
                fixed_school: None,
                sibling_school: None,
                baseline_school: None,
            });
        }
    }
    let rules = Rules {
        class_size: 4,
        reduced_class_size: 3,
        migration_basis: basis,
        min_class_size,
        ..Rules::default()
    };
    let mut inst = instance(schools, pupils, rules);
    inst.solver.candidate_nearest = 1;
    inst.solver.candidate_radius_m = 1_000.0;
    inst
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    #[test]
    fn decomposed_equals_undivided(towns in prop::collection::vec(town(), 2..5), intake in any::<bool>(), minimum in prop::option::of(1u32..3)) {
        let basis = if intake { MigrationBasis::Intake } else { MigrationBasis::PreviousYear };
        let inst = build(&towns, basis, minimum);
        let split = solve(&inst).unwrap();
        let whole = solve_certified(&inst).unwrap().outcome;
        prop_assert_eq!(split.status, whole.status);
        if split.status == SolveStatus::Optimal {
            let (a, b) = (split.objective_m.unwrap(), whole.objective_m.unwrap());
            prop_assert!((a - b).abs() <= 1e-6 * b.max(1.0), "split {} vs whole {}", a, b);
            let report = catchment::audit::check(&inst, &catchment::scenario::assignment_rows(&inst, &split.assignment.unwrap().school_of), None);
            prop_assert!(report.is_compliant(), "{:?}", report.violations);
        }
    }
}

#[test]
fn a_town_short_of_seats_sends_pupils_to_the_next_town_as_the_whole_model_does() {
    // Town 0: one school with 1 class of 4, six pupils. Town 1: one school with 2 classes.
    let towns = vec![
        TownSpec {
            schools: vec![(0.0, 0.0, 1, 0.0)],
            pupils: (0..6).map(|i| (i as f64 * 100.0, 0.0, false)).collect(),
        },
        TownSpec {
            schools: vec![(0.0, 0.0, 2, 0.0)],
            pupils: vec![(0.0, 100.0, false)],
        },
    ];
    let inst = build(&towns, MigrationBasis::PreviousYear, None);
    let split = solve(&inst).unwrap();
    let whole = solve_certified(&inst).unwrap().outcome;
    assert_eq!(split.status, SolveStatus::Optimal);
    assert!((split.objective_m.unwrap() - whole.objective_m.unwrap()).abs() < 1e-6);
    // Two pupils of town 0 (the two nearest to town 1: positions 400 and 500 m) travel.
    let school_of = split.assignment.unwrap().school_of;
    assert_eq!(school_of[..6], [0, 0, 0, 0, 1, 1]);
    assert_eq!(split.stats.components, 1, "merged after town 0 proved infeasible on its own");
}

#[test]
fn far_apart_towns_are_solved_as_separate_components() {
    let towns: Vec<TownSpec> = (0..3)
        .map(|_| TownSpec {
            schools: vec![(0.0, 0.0, 1, 0.0), (800.0, 0.0, 1, 0.0)],
            pupils: (0..5).map(|i| (i as f64 * 150.0, 0.0, false)).collect(),
        })
        .collect();
    let inst = build(&towns, MigrationBasis::PreviousYear, None);
    let split = solve(&inst).unwrap();
    assert_eq!(split.status, SolveStatus::Optimal);
    assert_eq!(split.stats.components, 3);
    let whole = solve_certified(&inst).unwrap().outcome;
    assert!((split.objective_m.unwrap() - whole.objective_m.unwrap()).abs() < 1e-6);
}

#[test]
fn a_school_without_pupils_that_must_fill_a_class_merges_and_terminates() {
    // Town 1's school must open its class (min_classes = max = 1) and fill it
    // with at least one pupil, but no pupil lives in town 1: one pupil of
    // town 0 has to travel. On its own, town 1 is an infeasible part without
    // pupils; it must be merged, not retried forever.
    let towns = vec![
        TownSpec {
            schools: vec![(0.0, 0.0, 1, 0.0)],
            pupils: (0..3).map(|i| (i as f64 * 100.0, 0.0, false)).collect(),
        },
        TownSpec {
            schools: vec![(0.0, 0.0, 1, 0.0)],
            pupils: Vec::new(),
        },
    ];
    let mut inst = build(&towns, MigrationBasis::PreviousYear, Some(1));
    for school in &mut inst.schools {
        school.min_classes = 1;
    }
    let split = solve(&inst).unwrap();
    let whole = solve_certified(&inst).unwrap().outcome;
    assert_eq!(split.status, SolveStatus::Optimal);
    assert!((split.objective_m.unwrap() - whole.objective_m.unwrap()).abs() < 1e-6);
    // The pupil nearest to town 1 (position 200 m) travels.
    assert_eq!(split.assignment.unwrap().school_of, vec![0, 0, 1]);
}

/// The objective of an assignment by the test's own arithmetic: way plus
/// `move_penalty_m` per pupil off its baseline school plus
/// `sibling_weight_m` per pupil not at its sibling's school.
#[test]
fn a_part_without_pupils_whose_reserved_seat_needs_a_class_is_merged() {
    // tests/fixtures/empty_part: S3's reserved seat needs a class, and with
    // min_class_size = 1 that class needs a new pupil: the part holding S3
    // alone is infeasible without pupils and must not be taken as empty.
    let dir = tempfile::tempdir().unwrap();
    let (code, stdout, stderr) = common::solve_into(std::path::Path::new("tests/fixtures/empty_part/scenario.toml"), dir.path(), &[]);
    assert_eq!(code, 0, "{stdout}{stderr}");
    let summary: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(dir.path().join("summary.json")).unwrap()).unwrap();
    assert_eq!(summary["status"], "optimal");
    common::assert_close(
        summary["objective_m"].as_f64().unwrap(),
        410.751 + 513.439 + 1985.292,
        0.01,
        "total way",
    );
    let assigned = common::assignment_in(dir.path());
    assert_eq!(assigned["P2"], "S1", "the lock holds");
    assert_eq!(
        assigned.values().filter(|s| *s == "S3").count(),
        1,
        "S3 gets one pupil: {assigned:?}"
    );
}

fn priced_way(inst: &catchment::model::Instance, school_of: &[usize]) -> f64 {
    let rules = &inst.rules;
    inst.pupils
        .iter()
        .zip(school_of)
        .map(|(p, &s)| {
            let moved = p.baseline_school.is_some_and(|b| b != s) as u32 as f64;
            let apart = p.sibling_school.is_some_and(|b| b != s) as u32 as f64;
            common::dist(&p.location, &inst.schools[s].location) + moved * rules.move_penalty_m + apart * rules.sibling_weight_m
        })
        .sum()
}

/// Two towns 20 km apart: school 0 in town 0; schools 1 (at the centre) and
/// 2 (800 m east) in town 1; one pupil in each town next to its town centre.
fn two_towns_three_schools() -> catchment::model::Instance {
    let towns = vec![
        TownSpec {
            schools: vec![(0.0, 0.0, 1, 0.0)],
            pupils: vec![(50.0, 0.0, false)],
        },
        TownSpec {
            schools: vec![(0.0, 0.0, 1, 0.0), (800.0, 0.0, 1, 0.0)],
            pupils: vec![(100.0, 0.0, false)],
        },
    ];
    let mut inst = build(&towns, MigrationBasis::PreviousYear, None);
    for school in &mut inst.schools {
        school.min_classes = school.classes;
    }
    inst
}

#[test]
fn a_part_keeps_the_baseline_school_of_its_pupils() {
    // The pupil of town 1 was at school 2 last year; leaving it costs 2 km,
    // more than the 600 m it saves: the optimum keeps it at school 2
    // (way 50 + 700 m). Renumbered wrongly, the part would see "school 2" as
    // no school of its own, charge the penalty everywhere and pick school 1.
    let mut inst = two_towns_three_schools();
    inst.rules.move_penalty_m = 2_000.0;
    inst.pupils[1].baseline_school = Some(2);
    let split = solve(&inst).unwrap();
    assert_eq!(split.status, SolveStatus::Optimal);
    assert_eq!(split.stats.components, 2, "the towns are solved as two parts");
    let school_of = split.assignment.unwrap().school_of;
    assert_eq!(school_of, vec![0, 2]);
    let expected = priced_way(&inst, &school_of);
    assert!(
        (split.objective_m.unwrap() - expected).abs() < 1e-6,
        "{:?} vs {expected}",
        split.objective_m
    );
    let plain = catchment::solve::plain::solve_plain(&inst).unwrap();
    assert!((plain.objective_m.unwrap() - expected).abs() < 1e-6);
}

#[test]
fn a_part_keeps_the_sibling_school_of_its_pupils() {
    // Weighted: joining the sibling at school 1 is worth 1 km; the pupil
    // lives 100 m from school 1 anyway. Hard: the pupil must go to school 1.
    for hard in [false, true] {
        let mut inst = two_towns_three_schools();
        inst.rules.sibling_weight_m = 1_000.0;
        inst.rules.siblings_hard = hard;
        inst.pupils[1].sibling_school = Some(1);
        inst.pupils[0].sibling_school = Some(0);
        let split = solve(&inst).unwrap();
        assert_eq!(split.status, SolveStatus::Optimal);
        let school_of = split.assignment.unwrap().school_of;
        assert_eq!(school_of, vec![0, 1], "hard = {hard}");
        let expected = priced_way(&inst, &school_of);
        assert!(
            (split.objective_m.unwrap() - expected).abs() < 1e-6,
            "hard = {hard}: {:?} vs {expected}",
            split.objective_m
        );
        let report = catchment::audit::check(&inst, &catchment::scenario::assignment_rows(&inst, &school_of), None);
        assert!(report.is_compliant(), "{:?}", report.violations);
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 40, ..ProptestConfig::default() })]

    /// With baselines and siblings on an instance that splits into towns,
    /// the decomposed solve equals the plain reference model, and its
    /// objective is the priced way of the assignment it returns.
    #[test]
    fn decomposed_with_baseline_and_siblings_equals_plain(
        towns in prop::collection::vec(town(), 2..4),
        penalty in 0.0..3000.0f64,
        weight in 0.0..3000.0f64,
        hard in any::<bool>(),
        links in prop::collection::vec((any::<prop::sample::Index>(), any::<prop::sample::Index>(), 0u8..4), 40),
    ) {
        let mut inst = build(&towns, MigrationBasis::PreviousYear, None);
        inst.rules.move_penalty_m = penalty;
        inst.rules.sibling_weight_m = weight;
        inst.rules.siblings_hard = hard;
        let n = inst.schools.len();
        for (p, (baseline, sibling, which)) in links.iter().enumerate().take(inst.pupils.len()) {
            if which & 1 == 1 {
                inst.pupils[p].baseline_school = Some(baseline.index(n));
            }
            if which & 2 == 2 {
                inst.pupils[p].sibling_school = Some(sibling.index(n));
            }
        }
        let split = solve(&inst).unwrap();
        let plain = catchment::solve::plain::solve_plain(&inst).unwrap();
        prop_assert_eq!(split.status, plain.status);
        if split.status == SolveStatus::Optimal {
            let school_of = split.assignment.unwrap().school_of;
            let expected = priced_way(&inst, &school_of);
            let (a, b) = (split.objective_m.unwrap(), plain.objective_m.unwrap());
            prop_assert!((a - expected).abs() <= 1e-6 * expected.max(1.0), "claimed {} vs recomputed {}", a, expected);
            prop_assert!((a - b).abs() <= 1e-6 * b.max(1.0), "split {} vs plain {}", a, b);
            let report = catchment::audit::check(&inst, &catchment::scenario::assignment_rows(&inst, &school_of), None);
            prop_assert!(report.is_compliant(), "{:?}", report.violations);
        }
    }
}
