//! Hand-computed cases of the capacity rules, through the library.
//!
//! Most instances lie on one meridian (lon 11.6), where the haversine distance
//! between two points is exactly R * (difference of latitude in radians):
//! one step of 0.0001 deg is 6,371,008.8 m * 0.0001 * pi / 180 = 11.1195080 m.
//! Schools sit at position 0 (A) and 100 (B); a pupil at position i between
//! them walks i steps to A and 100 - i steps to B, so moving pupil i from A to
//! B costs 100 - 2i steps: the pupils nearest to B are the cheapest to move.

mod common;

use catchment::audit;
use catchment::model::{AssignMode, Instance, MigrationBasis, Rules};
use catchment::report::evaluate;
use catchment::report::{SchoolRow, explain_shortfall};
use catchment::scenario::assignment_rows;
use catchment::scenario::load_scenario;
use catchment::solve::{SolveStatus, solve};
use common::*;

const TOL_M: f64 = 1e-3;

/// Solves, insists on a proven optimum and a clean audit, and returns the
/// school per pupil, the objective and the school table.
fn solve_optimal(instance: &Instance) -> (Vec<usize>, f64, Vec<SchoolRow>) {
    let evaluation = evaluate(instance).expect("evaluation succeeds");
    assert_eq!(evaluation.outcome.status, SolveStatus::Optimal, "expected a proven optimum");
    let school_of = evaluation.school_of().expect("an assignment").to_vec();
    let objective = evaluation.outcome.objective_m.expect("an objective");
    // The objective is the total way of the returned assignment.
    assert_close(
        objective,
        total_way(instance, &school_of),
        TOL_M,
        "objective vs. total way of the assignment",
    );
    let report = audit::check(instance, &assignment_rows(instance, &school_of), None);
    assert!(report.is_compliant(), "audit violations: {:?}", report.violations);
    (school_of, objective, evaluation.school_rows.expect("school rows"))
}

fn ids(range: std::ops::RangeInclusive<usize>) -> Vec<String> {
    range.map(|i| format!("p{i:02}")).collect()
}

fn row<'a>(rows: &'a [SchoolRow], id: &str) -> &'a SchoolRow {
    rows.iter().find(|r| r.school_id == id).expect("school row")
}

/// 22 pupils at positions 1..=22 (ids p01..p22), migrants as given.
fn meridian_pupils(n: usize, migrant: impl Fn(usize) -> bool) -> Vec<catchment::model::Pupil> {
    (1..=n).map(|i| pupil(&format!("p{i:02}"), i as f64, migrant(i))).collect()
}

// ---------------------------------------------------------------- the meridian

#[test]
fn meridian_distances_match_the_haversine_formula() {
    // The closed form used throughout: one step = R * 0.0001 deg in radians.
    assert_close(step_m(), 11.119_508_023, 1e-8, "one step");
    let a = on_meridian(0.0);
    let p = on_meridian(37.0);
    assert_close(dist(&a, &p), 37.0 * step_m(), 1e-6, "test haversine along the meridian");
    assert_close(a.distance_m(&p), 37.0 * step_m(), 1e-6, "library distance along the meridian");
    // Off the meridian, the library agrees with the formula written out by hand.
    let q = catchment::model::Location::new(52.013, 11.627).unwrap();
    assert_close(
        a.distance_m(&q),
        haversine_m(52.0, 11.6, 52.013, 11.627),
        1e-6,
        "library vs. hand haversine",
    );
    assert_close(
        haversine_m(52.0, 11.6, 52.013, 11.627),
        2_346.293_173,
        1e-5,
        "the diagonal, computed independently",
    );
}

// ------------------------------------------------------- previous-year basis

#[test]
fn share_exactly_0_25_keeps_class_size_22() {
    let mut instance = load_scenario(&fixture("rule17/scenario.toml")).expect("fixture loads");
    assert_eq!(instance.pupils.len(), 22);
    instance.schools[0].prev_migration_share = 0.25;
    let (school_of, objective, rows) = solve_optimal(&instance);
    // All 22 fit into A's one class of 22: sum of 1..=22 = 253 steps.
    assert_eq!(
        by_school(&instance, &school_of),
        vec![("A".to_string(), ids(1..=22)), ("B".to_string(), vec![])]
    );
    assert_close(objective, 253.0 * step_m(), TOL_M, "objective");
    assert_close(objective, 2_813.235_530, TOL_M, "objective in metres");
    let a = row(&rows, "A");
    assert_eq!(
        (a.classes, a.class_size, a.capacity, a.assigned, a.migrants, a.reduced),
        (1, 22, 22, 22, 4, 0)
    );
    assert_eq!(a.deciding_share, "0.2500");
    assert_eq!(a.migration_share, "0.1818");
    assert_eq!(row(&rows, "B").assigned, 0);
}

#[test]
fn share_0_2501_gets_class_size_17_and_the_five_nearest_to_b_move() {
    let instance = load_scenario(&fixture("rule17/scenario.toml")).expect("fixture loads");
    assert_eq!(instance.schools[0].prev_migration_share, 0.2501);
    let (school_of, objective, rows) = solve_optimal(&instance);
    // 17 seats at A: p18..p22 (closest to B) move; they walk 82+81+80+79+78 steps.
    assert_eq!(
        by_school(&instance, &school_of),
        vec![("A".to_string(), ids(1..=17)), ("B".to_string(), ids(18..=22))]
    );
    let by_hand: f64 = (1..=17).map(|i| haversine_m(52.0, 11.6, 52.0 + i as f64 * 1e-4, 11.6)).sum::<f64>()
        + (18..=22)
            .map(|i| haversine_m(52.01, 11.6, 52.0 + i as f64 * 1e-4, 11.6))
            .sum::<f64>();
    assert_close(by_hand, 553.0 * step_m(), 1e-6, "hand haversine vs. closed form");
    assert_close(objective, by_hand, TOL_M, "objective");
    assert_close(objective, 6_149.087_937, TOL_M, "objective in metres");
    let a = row(&rows, "A");
    assert_eq!(
        (a.classes, a.class_size, a.capacity, a.assigned, a.migrants, a.reduced, a.free_seats),
        (1, 17, 17, 17, 4, 1, 0)
    );
    assert_eq!(a.deciding_share, "0.2501");
    assert_eq!(a.migration_share, "0.2353");
    let b = row(&rows, "B");
    assert_eq!(
        (b.classes, b.class_size, b.capacity, b.assigned, b.migrants, b.reduced, b.free_seats),
        (1, 22, 22, 5, 0, 0, 17)
    );
}

#[test]
fn twenty_two_pupils_do_not_fit_into_one_reduced_class() {
    let mut instance = load_scenario(&fixture("rule17/scenario.toml")).expect("fixture loads");
    instance.schools.truncate(1);
    let outcome = solve(&instance).expect("solver runs");
    assert_eq!(outcome.status, SolveStatus::Infeasible);
    assert!(outcome.assignment.is_none());
    let short = explain_shortfall(&instance, None);
    assert_eq!(
        (short.pupils, short.seats_planned, short.seats_max, short.seats_short),
        (22, 17, 17, 5)
    );
    // At 0.25 the same single school holds them all.
    instance.schools[0].prev_migration_share = 0.25;
    assert_eq!(solve(&instance).unwrap().status, SolveStatus::Optimal);
}

#[test]
fn custom_threshold_and_sizes_are_parameters() {
    // 2027 draft law: 25 per class, reduced 19, threshold 40%.
    let schools = vec![school("A", 0.0, 1, 0.40), school("B", 100.0, 1, 0.41)];
    let pupils = meridian_pupils(26, |_| false);
    let rules = Rules {
        class_size: 25,
        reduced_class_size: 19,
        migration_threshold: 0.40,
        ..Rules::default()
    };
    let instance = instance(schools, pupils, rules);
    let (school_of, objective, rows) = solve_optimal(&instance);
    // A (share 0.40, not above) takes 25: p26 moves to B (74 steps).
    assert_eq!(by_school(&instance, &school_of)[1].1, vec!["p26".to_string()]);
    assert_close(objective, (325.0 + 74.0) * step_m(), TOL_M, "objective");
    assert_eq!((row(&rows, "A").class_size, row(&rows, "B").class_size), (25, 19));
}

#[test]
fn reserved_seats_and_a_second_class() {
    // A: one class of 22 with 2 seats reserved for repeaters: 20 pupils fit;
    // p21, p22 walk to B (79 + 78 steps): 210 + 157 = 367 steps.
    let mut schools = vec![school("A", 0.0, 1, 0.25), school("B", 100.0, 1, 0.0)];
    schools[0].reserved_seats = 2;
    let mut inst = instance(schools, meridian_pupils(22, |_| false), rules(22, 17, MigrationBasis::PreviousYear));
    let (school_of, objective, rows) = solve_optimal(&inst);
    assert_eq!(by_school(&inst, &school_of)[1].1, ids(21..=22));
    assert_close(objective, 367.0 * step_m(), TOL_M, "objective with reserved seats");
    let a = row(&rows, "A");
    assert_eq!((a.assigned, a.reserved_seats, a.capacity, a.free_seats), (20, 2, 22, 0));

    // A reduced (0.2501) but allowed a second class: 2 x 17 = 34 seats hold
    // 22 + 2 reserved, everyone at A (253 steps) in 2 classes.
    inst.schools[0].prev_migration_share = 0.2501;
    inst.schools[0].max_classes = 2;
    let (school_of, objective, rows) = solve_optimal(&inst);
    assert!(school_of.iter().all(|&s| s == 0));
    assert_close(objective, 253.0 * step_m(), TOL_M, "objective with a second class");
    let a = row(&rows, "A");
    assert_eq!((a.classes, a.class_size, a.capacity, a.assigned, a.free_seats), (2, 17, 34, 22, 10));
}

// --------------------------------------------------------------- intake basis

/// A at 0 and B at 100, one class each, 22/17; previous-year shares say
/// "not reduced" for both, so only the intake can make a school reduced.
fn intake_instance(n: usize, migrant: impl Fn(usize) -> bool, basis: MigrationBasis) -> Instance {
    let schools = vec![school("A", 0.0, 1, 0.0), school("B", 100.0, 1, 0.0)];
    instance(schools, meridian_pupils(n, migrant), rules(22, 17, basis))
}

#[test]
fn intake_basis_nearest_school_gives_up_one_migrant_to_stay_at_22() {
    // 22 pupils, migrants p01..p06: all at A would be 6/22 = 27.3% > 25%, so
    // 17 seats only. Options: keep A reduced (move the 5 cheapest, p18..p22:
    // 64+62+60+58+56 = 300 steps), or bring A to <= 25% (move migrant p06:
    // 100 - 12 = 88 steps; A keeps 21 pupils, 5 migrants = 23.8%).
    let instance = intake_instance(22, |i| i <= 6, MigrationBasis::Intake);
    let (school_of, objective, rows) = solve_optimal(&instance);
    let mut at_a = ids(1..=5);
    at_a.extend(ids(7..=22));
    assert_eq!(
        by_school(&instance, &school_of),
        vec![("A".to_string(), at_a), ("B".to_string(), vec!["p06".to_string()])]
    );
    assert_close(objective, (253.0 + 88.0) * step_m(), TOL_M, "objective");
    assert_close(objective, 3_791.752_236, TOL_M, "objective in metres");
    let a = row(&rows, "A");
    assert_eq!((a.class_size, a.capacity, a.assigned, a.migrants, a.reduced), (22, 22, 21, 5, 0));
    assert_eq!(a.migration_share, "0.2381");
    assert_eq!(a.deciding_share, "0.2381");
    // B receives one migrant: 100% of its intake, so B is reduced.
    let b = row(&rows, "B");
    assert_eq!((b.class_size, b.capacity, b.assigned, b.migrants, b.reduced), (17, 17, 1, 1, 1));
    assert_eq!(b.migration_share, "1.0000");
}

#[test]
fn previous_year_basis_ignores_the_intake_share() {
    // Same pupils, previous-year basis with shares 0: A takes all 22.
    let instance = intake_instance(22, |i| i <= 6, MigrationBasis::PreviousYear);
    let (school_of, objective, rows) = solve_optimal(&instance);
    assert!(school_of.iter().all(|&s| s == 0));
    assert_close(objective, 253.0 * step_m(), TOL_M, "objective");
    assert_eq!(
        (
            row(&rows, "A").reduced,
            row(&rows, "A").class_size,
            row(&rows, "A").migration_share.as_str()
        ),
        (0, 22, "0.2727")
    );
}

#[test]
fn intake_basis_below_the_line_keeps_everyone() {
    // 5 migrants of 22 = 22.7%: no reduction, all at A.
    let instance = intake_instance(22, |i| i <= 5, MigrationBasis::Intake);
    let (school_of, objective, rows) = solve_optimal(&instance);
    assert!(school_of.iter().all(|&s| s == 0));
    assert_close(objective, 253.0 * step_m(), TOL_M, "objective");
    assert_eq!((row(&rows, "A").reduced, row(&rows, "A").migrants), (0, 5));
}

#[test]
fn intake_basis_share_exactly_on_the_line_is_not_reduced() {
    // 20 pupils, 5 migrants: exactly 25%, which is not *above* 25%.
    let instance = intake_instance(20, |i| i <= 5, MigrationBasis::Intake);
    let (school_of, objective, rows) = solve_optimal(&instance);
    assert!(school_of.iter().all(|&s| s == 0));
    assert_close(objective, 210.0 * step_m(), TOL_M, "objective");
    assert_eq!(
        (
            row(&rows, "A").reduced,
            row(&rows, "A").class_size,
            row(&rows, "A").deciding_share.as_str()
        ),
        (0, 22, "0.2500")
    );
}

#[test]
fn intake_basis_one_more_migrant_crosses_the_line() {
    // 20 pupils, 6 migrants (30%) would make A reduced (17 seats). Options:
    //  - stay reduced, move 3 pupils: p18, p19, p20 cost 64+62+60 = 186 steps;
    //  - move one migrant: 5/19 = 26.3% is still above the line;
    //  - move two migrants p06, p05: 88 + 90 = 178 steps, A at 4/18 = 22.2%.
    let instance = intake_instance(20, |i| i <= 6, MigrationBasis::Intake);
    let (school_of, objective, rows) = solve_optimal(&instance);
    let mut at_a = ids(1..=4);
    at_a.extend(ids(7..=20));
    assert_eq!(
        by_school(&instance, &school_of),
        vec![("A".to_string(), at_a), ("B".to_string(), ids(5..=6))]
    );
    assert_close(objective, (210.0 + 178.0) * step_m(), TOL_M, "objective");
    let a = row(&rows, "A");
    assert_eq!((a.assigned, a.migrants, a.reduced, a.class_size), (18, 4, 0, 22));
    let b = row(&rows, "B");
    assert_eq!((b.assigned, b.migrants, b.reduced, b.class_size), (2, 2, 1, 17));
}

#[test]
fn intake_basis_makes_a_school_reduced_when_that_is_cheaper() {
    // 22 pupils, 10 migrants p01..p10. Staying at or below 25% needs 6 of the
    // migrants moved (p05..p10: 90+88+86+84+82+80 = 510 steps); staying reduced
    // needs only the 5 cheapest moved (300 steps). A is reduced in the optimum.
    let instance = intake_instance(22, |i| i <= 10, MigrationBasis::Intake);
    let (school_of, objective, rows) = solve_optimal(&instance);
    assert_eq!(
        by_school(&instance, &school_of),
        vec![("A".to_string(), ids(1..=17)), ("B".to_string(), ids(18..=22))]
    );
    assert_close(objective, 553.0 * step_m(), TOL_M, "objective");
    let a = row(&rows, "A");
    assert_eq!((a.assigned, a.migrants, a.reduced, a.class_size, a.capacity), (17, 10, 1, 17, 17));
    assert_eq!(a.migration_share, "0.5882");
    assert_eq!(a.deciding_share, "0.5882");
    assert_eq!((row(&rows, "B").reduced, row(&rows, "B").class_size), (0, 22));
}

// --------------------------------------------------------- the other rules

#[test]
fn min_class_size_pulls_a_pupil_to_the_small_school() {
    // A (0) and B (100) may open 0 or 1 class of 22. Pupils at 1,2,3,4 and
    // 97,98. With min_class_size 3, B's 2 pupils are too few: either close B
    // (its two walk 97 + 98 instead of 3 + 2: +190) or send p4 to B (+92).
    let mut schools = vec![school("A", 0.0, 1, 0.0), school("B", 100.0, 1, 0.0)];
    for s in &mut schools {
        s.min_classes = 0;
    }
    let pupils = vec![
        pupil("p1", 1.0, false),
        pupil("p2", 2.0, false),
        pupil("p3", 3.0, false),
        pupil("p4", 4.0, false),
        pupil("q1", 97.0, false),
        pupil("q2", 98.0, false),
    ];
    let mut inst = instance(schools, pupils, rules(22, 17, MigrationBasis::PreviousYear));
    let (school_of, objective, _) = solve_optimal(&inst);
    assert_eq!(school_of, vec![0, 0, 0, 0, 1, 1]);
    assert_close(objective, 15.0 * step_m(), TOL_M, "objective without the minimum");

    inst.rules.min_class_size = Some(3);
    let (school_of, objective, rows) = solve_optimal(&inst);
    assert_eq!(school_of, vec![0, 0, 0, 1, 1, 1]);
    assert_close(objective, 107.0 * step_m(), TOL_M, "objective with min_class_size 3");
    assert_eq!((row(&rows, "A").assigned, row(&rows, "A").classes), (3, 1));
    assert_eq!((row(&rows, "B").assigned, row(&rows, "B").classes), (3, 1));

    // Same, but B must stay closed (max 0 classes): B's pupils walk to A.
    inst.schools[1].max_classes = 0;
    inst.schools[1].classes = 0;
    let (school_of, objective, rows) = solve_optimal(&inst);
    assert_eq!(school_of, vec![0; 6]);
    assert_close(objective, (10.0 + 195.0) * step_m(), TOL_M, "objective with B closed");
    assert_eq!(row(&rows, "B").classes, 0);
}

#[test]
fn max_distance_forbids_the_cheapest_spill() {
    // Class size 2. A at 0, B at 100, C at -50; pupils at 10, 20, 30. A takes
    // two; the third goes to B (p30: 70 steps = 778.4 m) or C (p10: 60 steps
    // = 667.2 m). Without a limit p30 -> B (total 10+20+70 = 100 steps); with
    // max_distance_m = 700 only p10 -> C is left (60+20+30 = 110 steps).
    let schools = vec![school("A", 0.0, 1, 0.0), school("B", 100.0, 1, 0.0), school("C", -50.0, 1, 0.0)];
    let pupils = vec![pupil("p10", 10.0, false), pupil("p20", 20.0, false), pupil("p30", 30.0, false)];
    let mut inst = instance(schools, pupils, rules(2, 2, MigrationBasis::PreviousYear));
    let (school_of, objective, _) = solve_optimal(&inst);
    assert_eq!(school_of, vec![0, 0, 1]);
    assert_close(objective, 100.0 * step_m(), TOL_M, "objective without a limit");

    inst.rules.max_distance_m = Some(700.0);
    let (school_of, objective, rows) = solve_optimal(&inst);
    assert_eq!(school_of, vec![2, 0, 0]);
    assert_close(objective, 110.0 * step_m(), TOL_M, "objective with max_distance_m");
    assert_close(objective, 1_223.145_883, TOL_M, "objective in metres");
    assert_eq!(row(&rows, "C").assigned, 1);

    // 600 m: nobody may take the third pupil.
    inst.rules.max_distance_m = Some(600.0);
    assert_eq!(solve(&inst).unwrap().status, SolveStatus::Infeasible);
}

#[test]
fn fixed_school_lock_displaces_another_pupil() {
    // Class size 2. A at 0, B at 100; p1 at 10, p2 at 20, p3 at 90 locked to A.
    // Free: p1, p2 -> A, p3 -> B (10+20+10 = 40 steps). Locked: p3 takes a seat
    // at A, p2 moves to B (10+80+90 = 180) rather than p1 (20+90+90 = 200).
    let schools = vec![school("A", 0.0, 1, 0.0), school("B", 100.0, 1, 0.0)];
    let pupils = vec![pupil("p1", 10.0, false), pupil("p2", 20.0, false), pupil("p3", 90.0, false)];
    let mut inst = instance(schools, pupils, rules(2, 2, MigrationBasis::PreviousYear));
    let (school_of, objective, _) = solve_optimal(&inst);
    assert_eq!(school_of, vec![0, 0, 1]);
    assert_close(objective, 40.0 * step_m(), TOL_M, "objective unlocked");

    inst.pupils[2].fixed_school = Some(0);
    let (school_of, objective, _) = solve_optimal(&inst);
    assert_eq!(school_of, vec![0, 1, 0]);
    assert_close(objective, 180.0 * step_m(), TOL_M, "objective locked");

    // Locked pupils are kept even by pruned candidate sets.
    inst.solver.candidate_nearest = 1;
    inst.solver.candidate_radius_m = 0.0;
    let (school_of, objective, _) = solve_optimal(&inst);
    assert_eq!(school_of, vec![0, 1, 0]);
    assert_close(objective, 180.0 * step_m(), TOL_M, "objective locked, pruned");
}

#[test]
fn unit_assignment_keeps_a_street_section_together() {
    // Class size 2. A at 0, B at 100. p1 at 10 (unit "Abendstrasse 11"), p2 at
    // 20 and p3 at 30 (unit "Abendstrasse 11a"). Pupil by pupil: p3 -> B
    // (10+20+70 = 100 steps). By units: 11a whole to A and p1 to B
    // (90+20+30 = 140) beats 11a to B (10+80+70 = 160).
    let mut inst = load_scenario(&fixture("units/scenario.toml")).expect("fixture loads");
    assert_eq!(inst.rules.assign, AssignMode::Units);
    assert_eq!(inst.pupils[1].unit.as_ref().map(|u| u.as_str()), Some("Abendstrasse 11a"));
    let (school_of, objective, rows) = solve_optimal(&inst);
    assert_eq!(school_of, vec![1, 0, 0]);
    assert_close(objective, 140.0 * step_m(), TOL_M, "objective by units");
    assert_eq!(
        (row(&rows, "A").assigned, row(&rows, "A").migrants, row(&rows, "B").assigned),
        (2, 1, 1)
    );

    inst.rules.assign = AssignMode::Pupils;
    let (school_of, objective, _) = solve_optimal(&inst);
    assert_eq!(school_of, vec![0, 0, 1]);
    assert_close(objective, 100.0 * step_m(), TOL_M, "objective by pupils");

    // The same through a directly built instance, with a lock on the unit.
    let schools = vec![school("A", 0.0, 1, 0.0), school("B", 100.0, 1, 0.0)];
    let mut pupils = vec![
        unit_pupil("p1", 10.0, "u1"),
        unit_pupil("p2", 20.0, "u2"),
        unit_pupil("p3", 30.0, "u2"),
    ];
    pupils[2].fixed_school = Some(1);
    let inst = instance(schools, pupils, unit_rules(2));
    // u2 locked to B via p3: p2 and p3 walk 80 + 70, p1 walks 10.
    let (school_of, objective, _) = solve_optimal(&inst);
    assert_eq!(school_of, vec![0, 1, 1]);
    assert_close(objective, 160.0 * step_m(), TOL_M, "objective with a locked unit");
}

#[test]
fn the_audit_catches_a_split_unit_and_a_broken_lock() {
    // The checker is the referee of the tests above: make sure it can fail.
    let schools = vec![school("A", 0.0, 1, 0.0), school("B", 100.0, 1, 0.0)];
    let mut pupils = vec![
        unit_pupil("p1", 10.0, "u1"),
        unit_pupil("p2", 20.0, "u2"),
        unit_pupil("p3", 30.0, "u2"),
    ];
    pupils[0].fixed_school = Some(1);
    let inst = instance(schools, pupils, unit_rules(2));
    let report = audit::check(&inst, &assignment_rows(&inst, &[0, 0, 1]), None);
    let broken: Vec<_> = report.violations.iter().map(|v| v.rule).collect();
    assert_eq!(broken, vec![audit::Rule::Lock, audit::Rule::Unit], "{:?}", report.violations);
    // Three pupils in one class of 2 at A: capacity, 1 over.
    let report = audit::check(&inst, &assignment_rows(&inst, &[0, 0, 0]), None);
    assert!(
        report
            .violations
            .iter()
            .any(|v| v.rule == audit::Rule::Capacity && v.message.contains("1 over")),
        "{:?}",
        report.violations
    );

    // Class minimum and distance limit: 2 pupils in B's class with a minimum
    // of 3; p3 at 300 walks 200 steps (2,224 m) to B with a limit of 1,500 m.
    let schools = vec![school("A", 0.0, 1, 0.0), school("B", 100.0, 1, 0.0)];
    let pupils = vec![
        pupil("p1", 10.0, false),
        pupil("p2", 90.0, false),
        pupil("p3", 300.0, false),
        pupil("p4", 20.0, false),
        pupil("p5", 30.0, false),
    ];
    let mut inst = instance(schools, pupils, rules(22, 17, MigrationBasis::PreviousYear));
    inst.rules.min_class_size = Some(3);
    inst.rules.max_distance_m = Some(1_500.0);
    let report = audit::check(&inst, &assignment_rows(&inst, &[0, 1, 1, 0, 0]), None);
    let found: Vec<(audit::Rule, String)> = report.violations.iter().map(|v| (v.rule, v.subject.clone())).collect();
    assert_eq!(
        found,
        vec![
            (audit::Rule::ClassMinimum, "B".to_string()),
            (audit::Rule::Distance, "p3".to_string())
        ],
        "{:?}",
        report.violations
    );
    let message = &report.violations[0].message;
    assert!(
        message.contains("2 pupils in 1 class") && message.contains("at least 1 x 3 = 3 required, 1 short"),
        "{message}"
    );
    assert!(
        report.violations[1].message.contains("way 2224 m > max_distance_m 1500 m"),
        "{}",
        report.violations[1].message
    );
    // Exactly at the minimum is fine (B: 3 pupils); A with 2 is now short.
    let report = audit::check(&inst, &assignment_rows(&inst, &[0, 1, 1, 0, 1]), None);
    let short: Vec<&str> = report
        .violations
        .iter()
        .filter(|v| v.rule == audit::Rule::ClassMinimum)
        .map(|v| v.subject.as_str())
        .collect();
    assert_eq!(short, vec!["A"], "{:?}", report.violations);
}

// ---------------------------------------------------------------- infeasible

#[test]
fn too_few_seats_is_an_infeasible_result_with_the_seat_balance() {
    // A reduced (share 0.30): 17 seats; B: 22 seats; 40 pupils: 1 short.
    let mut inst = load_scenario(&fixture("infeasible/scenario.toml")).expect("fixture loads");
    assert_eq!(inst.pupils.len(), 40);
    let evaluation = evaluate(&inst).expect("infeasible is not an error");
    assert_eq!(evaluation.outcome.status, SolveStatus::Infeasible);
    assert!(evaluation.school_of().is_none());
    assert!(evaluation.outcome.objective_m.is_none());
    let short = evaluation.shortfall.clone().expect("a shortfall explanation");
    // The seat balance is the same with or without the relaxation diagnosis.
    let direct = explain_shortfall(&inst, None);
    assert_eq!(
        (direct.pupils, direct.seats_planned, direct.seats_max, direct.seats_short),
        (40, 39, 39, 1)
    );
    assert_eq!(direct.explanation[0], short.explanation[0]);
    assert_eq!(
        (short.pupils, short.seats_planned, short.seats_max, short.seats_short),
        (40, 39, 39, 1)
    );
    assert!(short.unreachable_pupils.is_empty());
    assert!(
        short.explanation[0].contains("40 pupils but only 39 seats"),
        "{:?}",
        short.explanation
    );
    assert!(short.explanation[0].contains("(1 short)"), "{:?}", short.explanation);
    assert_eq!(evaluation.summary.status, SolveStatus::Infeasible);

    // Reserved seats count against the seats: 2 repeaters at B make it 3 short.
    inst.schools[1].reserved_seats = 2;
    let short = explain_shortfall(&inst, None);
    assert_eq!((short.seats_planned, short.seats_max, short.seats_short), (37, 37, 3));

    // One more class allowed at B: 17 + 44 = 61 seats; A keeps p01..p17 and
    // the other 23 walk to B: 153 + (23 * 100 - 667) = 1,786 steps.
    inst.schools[1].reserved_seats = 0;
    inst.schools[1].max_classes = 2;
    let short = explain_shortfall(&inst, None);
    assert_eq!((short.seats_planned, short.seats_max, short.seats_short), (39, 61, 0));
    let (school_of, objective, rows) = solve_optimal(&inst);
    assert_eq!(school_of.iter().filter(|&&s| s == 0).count(), 17);
    assert!(school_of[..17].iter().all(|&s| s == 0));
    assert_close(objective, 1_786.0 * step_m(), TOL_M, "objective with a second class at B");
    assert_eq!(
        (row(&rows, "B").classes, row(&rows, "B").capacity, row(&rows, "B").assigned),
        (2, 44, 23)
    );
}

#[test]
fn intake_basis_counts_seats_at_full_class_size() {
    // 5 pupils, two single classes of 2 (reduced 1): at best 4 seats.
    let schools = vec![school("A", 0.0, 1, 0.0), school("B", 100.0, 1, 0.0)];
    let pupils = meridian_pupils(5, |i| i == 1);
    let inst = instance(schools, pupils, rules(2, 1, MigrationBasis::Intake));
    let outcome = solve(&inst).unwrap();
    assert_eq!(outcome.status, SolveStatus::Infeasible);
    let short = explain_shortfall(&inst, None);
    assert_eq!((short.pupils, short.seats_max, short.seats_short), (5, 4, 1));
    assert!(
        short.explanation[0].contains("5 pupils but only 4 seats"),
        "{:?}",
        short.explanation
    );
}

#[test]
fn a_pupil_beyond_every_school_is_named() {
    // max_distance_m 500 m = 45 steps: p60 is 60 steps from A and 40 from B is
    // fine, but far (position 300) is 200 steps from B.
    let schools = vec![school("A", 0.0, 1, 0.0), school("B", 100.0, 1, 0.0)];
    let pupils = vec![pupil("near", 10.0, false), pupil("p60", 60.0, false), pupil("far", 300.0, false)];
    let mut inst = instance(schools, pupils, rules(22, 17, MigrationBasis::PreviousYear));
    inst.rules.max_distance_m = Some(500.0);
    let evaluation = evaluate(&inst).unwrap();
    assert_eq!(evaluation.outcome.status, SolveStatus::Infeasible);
    let short = evaluation.shortfall.unwrap();
    assert_eq!(short.seats_short, 0);
    assert_eq!(short.unreachable_pupils, vec!["far".to_string()]);
    assert!(
        short
            .explanation
            .iter()
            .any(|e| e.starts_with("1 pupils have no school") && e.contains("500 m") && e.ends_with("far")),
        "{:?}",
        short.explanation
    );
    // Without the far pupil: near -> A (10 steps), p60 -> B (40 steps).
    inst.pupils.pop();
    let (school_of, objective, _) = solve_optimal(&inst);
    assert_eq!(school_of, vec![0, 1]);
    assert_close(objective, 50.0 * step_m(), TOL_M, "objective");
}
