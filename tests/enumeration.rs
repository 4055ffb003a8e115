//! The solver against brute force: random tiny instances, every pupil->school
//! map enumerated, feasibility judged by a plain reimplementation of the rules
//! written here (not the library's checker, not the model).
//!
//! Asserted for both migration bases: the solver is Optimal exactly when some
//! map is feasible (Infeasible otherwise), its objective equals the enumerated
//! minimum, its assignment is feasible by the rules written here, and the
//! library's independent checker finds no violation in it.

mod common;

use catchment::audit;
use catchment::model::{AssignMode, Instance, Location, MigrationBasis, Pupil, PupilId, Rules, School, SchoolId, SolverSettings, UnitId};
use catchment::scenario::assignment_rows;
use catchment::solve::{ModelStats, SolveStatus, solve};
use common::haversine_m;
use proptest::prelude::*;
use proptest::strategy::ValueTree;
use proptest::test_runner::TestRunner;

// ------------------------------------------------------------------ the case

#[derive(Debug, Clone)]
struct SchoolSpec {
    lat_step: u32,
    lon_step: u32,
    min_classes: u32,
    classes: u32,
    max_classes: u32,
    reserved: u32,
    share: f64,
}

#[derive(Debug, Clone)]
struct PupilSpec {
    lat_step: u32,
    lon_step: u32,
    migrant: bool,
    unit: Option<u8>,
    lock: Option<usize>,
}

#[derive(Debug, Clone)]
struct Case {
    schools: Vec<SchoolSpec>,
    pupils: Vec<PupilSpec>,
    class_size: u32,
    reduced_class_size: u32,
    threshold: f64,
    min_class_size: Option<u32>,
    max_distance_m: Option<f64>,
    units: bool,
    /// `assign = "homes"`: pupils at one point go to one school.
    homes: bool,
    /// Balance rules: `max_migration_share`, `max_share_deviation`.
    balance: (Option<f64>, Option<f64>),
    /// `Some(k)`: `[solver] candidate_nearest = k`, `candidate_radius_m = 0`.
    prune: Option<usize>,
}

fn lat(step: u32) -> f64 {
    52.0 + step as f64 * 0.001
}

fn lon(step: u32) -> f64 {
    11.6 + step as f64 * 0.0015
}

fn school_spec() -> impl Strategy<Value = SchoolSpec> {
    (
        0u32..20,
        0u32..20,
        [0u32..=2, 0u32..=2, 0u32..=2],
        any::<bool>(),
        prop_oneof![4 => Just(0u32), 1 => Just(1u32)],
        prop::sample::select(vec![0.0, 0.2, 0.25, 0.2501, 0.3, 1.0]),
    )
        .prop_map(|(lat_step, lon_step, mut k, ranged, reserved, share)| {
            k.sort();
            let (min_classes, classes, max_classes) = if ranged { (k[0], k[1], k[2]) } else { (k[1], k[1], k[1]) };
            SchoolSpec {
                lat_step,
                lon_step,
                min_classes,
                classes,
                max_classes,
                reserved,
                share,
            }
        })
}

fn pupil_spec() -> impl Strategy<Value = PupilSpec> {
    (
        0u32..20,
        0u32..20,
        any::<bool>(),
        prop::option::of(0u8..3),
        prop::option::weighted(0.15, 0usize..3),
    )
        .prop_map(|(lat_step, lon_step, migrant, unit, lock)| PupilSpec {
            lat_step,
            lon_step,
            migrant,
            unit,
            lock,
        })
}

fn case(n_schools: std::ops::RangeInclusive<usize>, prune: impl Strategy<Value = Option<usize>>) -> impl Strategy<Value = Case> {
    (
        prop::collection::vec(school_spec(), n_schools),
        prop::collection::vec(pupil_spec(), 3..=7),
        2u32..=4,
        2u32..=4,
        prop::sample::select(vec![0.25, 0.25, 0.25, 0.25, 0.5, 0.0, 0.2, 1.0 / 3.0, 0.3, 1.0]),
        prop::option::weighted(0.3, 1u32..=2),
        prop::option::weighted(0.3, prop::sample::select(vec![600.0, 1_000.0, 1_500.0])),
        (
            prop_oneof![6 => Just((false, false)), 4 => Just((true, false)), 3 => Just((false, true))],
            prop_oneof![
                6 => Just((None, None)),
                1 => Just((Some(0.5), None)),
                1 => Just((None, Some(0.3))),
                1 => Just((Some(0.6), Some(0.25)))
            ],
        ),
        prune,
    )
        .prop_map(
            |(
                schools,
                mut pupils,
                class_size,
                reduced_class_size,
                threshold,
                min_class_size,
                max_distance_m,
                ((units, homes), balance),
                prune,
            )| {
                let n = schools.len();
                for p in &mut pupils {
                    p.lock = p.lock.map(|l| l % n);
                    if !units {
                        p.unit = None;
                    }
                }
                if homes {
                    // Pupils share homes: pupil i lives with pupil i % 3, and
                    // a home's locked pupils share the first one's lock.
                    for i in 3..pupils.len() {
                        let (lat_step, lon_step) = (pupils[i % 3].lat_step, pupils[i % 3].lon_step);
                        pupils[i].lat_step = lat_step;
                        pupils[i].lon_step = lon_step;
                    }
                    for i in 0..pupils.len() {
                        if let Some(l) = pupils[i].lock {
                            let home = (pupils[i].lat_step, pupils[i].lon_step);
                            for p in pupils.iter_mut().skip(i + 1) {
                                if (p.lat_step, p.lon_step) == home && p.lock.is_some() {
                                    p.lock = Some(l);
                                }
                            }
                        }
                    }
                }
                // A unit may not be locked to two schools (the loader refuses it):
                // every locked pupil of a unit takes the unit's first lock.
                for i in 0..pupils.len() {
                    if let (Some(u), Some(l)) = (pupils[i].unit, pupils[i].lock) {
                        for p in pupils.iter_mut().skip(i + 1) {
                            if p.unit == Some(u) && p.lock.is_some() {
                                p.lock = Some(l);
                            }
                        }
                    }
                }
                Case {
                    schools,
                    pupils,
                    class_size,
                    reduced_class_size,
                    threshold,
                    min_class_size,
                    max_distance_m,
                    units,
                    homes,
                    balance,
                    prune,
                }
            },
        )
}

fn build(case: &Case, basis: MigrationBasis) -> Instance {
    let schools = case
        .schools
        .iter()
        .enumerate()
        .map(|(i, s)| School {
            id: SchoolId(format!("S{i}")),
            name: format!("School {i}"),
            location: Location::new(lat(s.lat_step), lon(s.lon_step)).unwrap(),
            classes: s.classes,
            min_classes: s.min_classes,
            max_classes: s.max_classes,
            reserved_seats: s.reserved,
            prev_migration_share: s.share,
        })
        .collect();
    let pupils = case
        .pupils
        .iter()
        .enumerate()
        .map(|(i, p)| Pupil {
            id: PupilId(format!("P{i}")),
            location: Location::new(lat(p.lat_step), lon(p.lon_step)).unwrap(),
            migrant: p.migrant,
            unit: p.unit.map(|u| UnitId(format!("U{u}"))),
            address: None,
            fixed_school: p.lock,
            sibling_school: None,
            baseline_school: None,
        })
        .collect();
    let rules = Rules {
        class_size: case.class_size,
        reduced_class_size: case.reduced_class_size,
        migration_threshold: case.threshold,
        migration_basis: basis,
        min_class_size: case.min_class_size,
        max_distance_m: case.max_distance_m,
        assign: match (case.units, case.homes) {
            (true, _) => AssignMode::Units,
            (false, true) => AssignMode::Homes,
            (false, false) => AssignMode::Pupils,
        },
        max_migration_share: case.balance.0,
        max_share_deviation: case.balance.1,
        ..Rules::default()
    };
    let solver = match case.prune {
        Some(nearest) => SolverSettings {
            candidate_nearest: nearest,
            candidate_radius_m: 0.0,
            ..SolverSettings::default()
        },
        None => SolverSettings::default(),
    };
    Instance {
        name: "enumeration".into(),
        schools,
        pupils,
        rules,
        solver,
        sources: Vec::new(),
        ways: Default::default(),
    }
}

// ------------------------------------------------- the rules, written again

/// Way of pupil `p` to school `s`, by the haversine formula.
fn way(case: &Case, p: usize, s: usize) -> f64 {
    let (pp, ss) = (&case.pupils[p], &case.schools[s]);
    haversine_m(lat(pp.lat_step), lon(pp.lon_step), lat(ss.lat_step), lon(ss.lon_step))
}

/// Whether the map `school_of` keeps every rule.
fn feasible(case: &Case, basis: MigrationBasis, school_of: &[usize]) -> bool {
    for (p, pupil) in case.pupils.iter().enumerate() {
        if pupil.lock.is_some_and(|l| l != school_of[p]) {
            return false;
        }
        if case.max_distance_m.is_some_and(|limit| way(case, p, school_of[p]) > limit) {
            return false;
        }
        if let Some(u) = pupil.unit {
            for (q, other) in case.pupils.iter().enumerate() {
                if other.unit == Some(u) && school_of[q] != school_of[p] {
                    return false;
                }
            }
        }
        if case.homes {
            for (q, other) in case.pupils.iter().enumerate() {
                if (other.lat_step, other.lon_step) == (pupil.lat_step, pupil.lon_step) && school_of[q] != school_of[p] {
                    return false;
                }
            }
        }
    }
    let city = case.pupils.iter().filter(|p| p.migrant).count() as f64 / case.pupils.len() as f64;
    for (s, school) in case.schools.iter().enumerate() {
        let n = school_of.iter().filter(|&&x| x == s).count() as u32;
        let m = school_of.iter().zip(&case.pupils).filter(|(x, p)| **x == s && p.migrant).count() as u32;
        if n > 0 {
            let share = m as f64 / n as f64;
            if case.balance.0.is_some_and(|most| share > most + 1e-9) || case.balance.1.is_some_and(|d| (share - city).abs() > d + 1e-9) {
                return false;
            }
        }
        let reduced = match basis {
            MigrationBasis::PreviousYear => school.share > case.threshold,
            MigrationBasis::Intake => n > 0 && (m as f64 / n as f64) > case.threshold,
        };
        let size = if reduced { case.reduced_class_size } else { case.class_size };
        let some_class_count_fits = (school.min_classes..=school.max_classes)
            .any(|k| n + school.reserved <= k * size && case.min_class_size.is_none_or(|c| n >= k * c));
        if !some_class_count_fits {
            return false;
        }
    }
    true
}

/// The least total way over every feasible map, or `None`.
fn enumerate(case: &Case, basis: MigrationBasis) -> Option<f64> {
    let (n_pupils, n_schools) = (case.pupils.len(), case.schools.len());
    let mut map = vec![0usize; n_pupils];
    let mut best: Option<f64> = None;
    loop {
        if feasible(case, basis, &map) {
            let cost: f64 = (0..n_pupils).map(|p| way(case, p, map[p])).sum();
            best = Some(best.map_or(cost, |b: f64| b.min(cost)));
        }
        // Next map, odometer style.
        let mut i = 0;
        loop {
            if i == n_pupils {
                return best;
            }
            map[i] += 1;
            if map[i] < n_schools {
                break;
            }
            map[i] = 0;
            i += 1;
        }
    }
}

/// Cases for pricing: 4 schools with one small class each, pupils spread over
/// the same area, no locks or distance limit, and only each pupil's 2 nearest
/// schools as candidates: the restricted model is often feasible but not
/// optimal, so the pruned arcs must come back through their reduced costs.
fn pricing_case() -> impl Strategy<Value = Case> {
    (
        prop::collection::vec(
            (0u32..20, 0u32..20, 1u32..=1, prop::sample::select(vec![0.0, 0.25, 0.2501, 1.0])),
            4..=4,
        ),
        prop::collection::vec((0u32..20, 0u32..20, any::<bool>()), 3..=7),
        2u32..=3,
        1u32..=3,
        prop::option::weighted(0.2, Just(1u32)),
        prop::bool::weighted(0.2),
    )
        .prop_map(|(schools, pupils, class_size, reduced_class_size, min_class_size, units)| Case {
            schools: schools
                .into_iter()
                .map(|(lat_step, lon_step, classes, share)| SchoolSpec {
                    lat_step,
                    lon_step,
                    min_classes: 0,
                    classes,
                    max_classes: classes,
                    reserved: 0,
                    share,
                })
                .collect(),
            pupils: pupils
                .into_iter()
                .enumerate()
                .map(|(i, (lat_step, lon_step, migrant))| PupilSpec {
                    lat_step,
                    lon_step,
                    migrant,
                    unit: units.then_some((i % 3) as u8),
                    lock: None,
                })
                .collect(),
            class_size,
            reduced_class_size,
            threshold: 0.25,
            min_class_size,
            max_distance_m: None,
            units,
            homes: false,
            balance: (None, None),
            prune: Some(2),
        })
}

// -------------------------------------------------------------- the checks

fn check_against_enumeration(case: &Case) -> Result<Vec<ModelStats>, TestCaseError> {
    let mut stats = Vec::new();
    for basis in [MigrationBasis::PreviousYear, MigrationBasis::Intake] {
        let instance = build(case, basis);
        let expected = enumerate(case, basis);
        let outcome = solve(&instance).map_err(|e| TestCaseError::fail(format!("{basis:?}: solver error {e}")))?;
        stats.push(outcome.stats.clone());
        match expected {
            None => {
                prop_assert_eq!(
                    outcome.status,
                    SolveStatus::Infeasible,
                    "{:?}: enumeration finds no feasible map",
                    basis
                );
                prop_assert!(outcome.assignment.is_none());
            }
            Some(best) => {
                prop_assert_eq!(
                    outcome.status,
                    SolveStatus::Optimal,
                    "{:?}: enumeration finds optimum {}",
                    basis,
                    best
                );
                let objective = outcome.objective_m.expect("objective of an optimum");
                let tol = 1e-6 * best.abs().max(1.0);
                prop_assert!(
                    (objective - best).abs() <= tol,
                    "{:?}: solver objective {} vs enumerated {}",
                    basis,
                    objective,
                    best
                );
                let school_of = outcome.assignment.expect("assignment of an optimum").school_of;
                prop_assert_eq!(school_of.len(), case.pupils.len());
                prop_assert!(
                    school_of.iter().all(|&s| s < case.schools.len()),
                    "{:?}: school index out of range {:?}",
                    basis,
                    school_of
                );
                prop_assert!(
                    feasible(case, basis, &school_of),
                    "{:?}: solver map {:?} breaks a rule",
                    basis,
                    school_of
                );
                let cost: f64 = school_of.iter().enumerate().map(|(p, &s)| way(case, p, s)).sum();
                prop_assert!(
                    (cost - best).abs() <= tol,
                    "{:?}: way of the solver's map {} vs enumerated {}",
                    basis,
                    cost,
                    best
                );
                let report = audit::check(&instance, &assignment_rows(&instance, &school_of), None);
                prop_assert!(report.is_compliant(), "{:?}: audit violations {:?}", basis, report.violations);
                let bound = outcome.bound_m.expect("bound of an optimum");
                prop_assert!(
                    bound <= objective + tol && bound >= best - tol,
                    "{:?}: bound {} vs objective {}",
                    basis,
                    bound,
                    objective
                );
            }
        }
    }
    Ok(stats)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    #[test]
    fn solver_matches_enumeration(case in case(2..=3, prop::option::weighted(0.3, Just(1usize)))) {
        check_against_enumeration(&case)?;
    }

    #[test]
    fn pruned_candidates_still_reach_the_optimum(case in case(3..=4, (1usize..=2).prop_map(Some))) {
        check_against_enumeration(&case)?;
    }

    #[test]
    fn priced_arcs_restore_the_optimum(case in pricing_case()) {
        check_against_enumeration(&case)?;
    }
}

// ---------------------------------------------- fixed cases of the same kind

fn spec(lat_step: u32, lon_step: u32, classes: u32, share: f64) -> SchoolSpec {
    SchoolSpec {
        lat_step,
        lon_step,
        min_classes: classes,
        classes,
        max_classes: classes,
        reserved: 0,
        share,
    }
}

fn kid(lat_step: u32, lon_step: u32, migrant: bool) -> PupilSpec {
    PupilSpec {
        lat_step,
        lon_step,
        migrant,
        unit: None,
        lock: None,
    }
}

fn base_case(schools: Vec<SchoolSpec>, pupils: Vec<PupilSpec>) -> Case {
    Case {
        schools,
        pupils,
        class_size: 2,
        reduced_class_size: 2,
        threshold: 0.25,
        min_class_size: None,
        max_distance_m: None,
        units: false,
        homes: false,
        balance: (None, None),
        prune: Some(1),
    }
}

#[test]
fn the_enumerator_itself_is_right_on_a_hand_case() {
    // Two schools 1.11 km apart on a meridian, one class of 2 each; three
    // pupils at the first school's door: one must walk 1,111.95 m.
    let case = base_case(
        vec![spec(0, 0, 1, 0.0), spec(10, 0, 1, 0.0)],
        vec![kid(0, 0, false), kid(0, 0, false), kid(0, 0, true)],
    );
    let best = enumerate(&case, MigrationBasis::PreviousYear).unwrap();
    assert!((best - 0.01f64.to_radians() * common::R).abs() < 1e-6, "{best}");
    // Intake basis with reduced size 1: the migrant's school would hold 1 only.
    let mut reduced = case.clone();
    reduced.reduced_class_size = 1;
    assert!(enumerate(&reduced, MigrationBasis::Intake).is_some());
    reduced.pupils[1].migrant = true;
    // Now two migrants and one non-migrant: any school with a migrant is above
    // 25% and holds 1 pupil, so the school with two pupils would need two
    // non-migrants: no feasible map.
    assert!(enumerate(&reduced, MigrationBasis::Intake).is_none());
    check_against_enumeration(&case).unwrap();
    check_against_enumeration(&reduced).unwrap();
}

#[test]
fn a_far_school_needed_only_by_capacity_is_found_despite_pruning() {
    // Three schools: S0 and S1 at the pupils' door (one class of 2 each), S2
    // far away (two classes). Five pupils at the door; the nearest-only
    // candidates (1 school, radius 0) cannot hold them, pricing must add S2.
    let schools = vec![spec(0, 0, 1, 0.0), spec(0, 1, 1, 0.0), spec(19, 19, 2, 0.0)];
    let pupils = vec![
        kid(0, 0, false),
        kid(0, 0, true),
        kid(0, 1, false),
        kid(1, 0, true),
        kid(1, 1, false),
    ];
    let case = base_case(schools, pupils);
    assert!(enumerate(&case, MigrationBasis::PreviousYear).is_some());
    check_against_enumeration(&case).unwrap();
}

#[test]
fn units_and_locks_together() {
    let schools = vec![spec(0, 0, 1, 0.0), spec(5, 5, 1, 0.3)];
    let mut pupils = vec![kid(0, 0, false), kid(1, 0, true), kid(4, 5, false), kid(5, 4, true)];
    pupils[0].unit = Some(0);
    pupils[1].unit = Some(0);
    pupils[2].unit = Some(1);
    pupils[3].unit = Some(1);
    pupils[3].lock = Some(0);
    let mut case = base_case(schools, pupils);
    case.units = true;
    // Unit 1 is locked to S0, so unit 0 must go to S1.
    for basis in [MigrationBasis::PreviousYear, MigrationBasis::Intake] {
        assert!(enumerate(&case, basis).is_some());
    }
    check_against_enumeration(&case).unwrap();
}

#[test]
fn pricing_is_really_exercised() {
    // The property tests above only mean something for the certified pruning
    // if the restricted model is sometimes widened by pricing rather than by
    // the fall-back to every arc. Count that on a fixed sample.
    let mut runner = TestRunner::deterministic();
    let strategy = pricing_case();
    let mut priced = 0;
    let mut total = 0;
    for _ in 0..48 {
        let case = strategy.new_tree(&mut runner).unwrap().current();
        for stats in check_against_enumeration(&case).unwrap() {
            total += 1;
            if !stats.all_arcs && (stats.lp_rounds > 1 || stats.mip_rounds > 1) {
                priced += 1;
            }
        }
    }
    assert!(priced >= 5, "only {priced} of {total} solves added arcs by pricing");
}

#[test]
fn intake_pricing_case_found_by_proptest() {
    // Four single classes of 2 (reduced 1), six pupils, two of them migrants;
    // intake basis, only each pupil's 2 nearest schools as candidates.
    let schools = vec![spec(7, 6, 1, 0.0), spec(13, 0, 1, 0.0), spec(14, 10, 1, 0.0), spec(2, 0, 1, 0.0)];
    let pupils = vec![
        kid(4, 8, false),
        kid(13, 3, true),
        kid(3, 13, false),
        kid(0, 0, false),
        kid(6, 8, true),
        kid(8, 0, false),
    ];
    let mut case = base_case(schools, pupils);
    for s in &mut case.schools {
        s.min_classes = 0;
    }
    case.reduced_class_size = 1;
    case.prune = Some(2);
    check_against_enumeration(&case).unwrap();
}
