//! The integral-LP shortcut: when the LP relaxation's optimum is integral (a
//! pure transportation problem), it is taken as the optimum without an
//! integer program; the value is the same as with the integer program.

mod common;

use catchment::model::MigrationBasis;
use catchment::scenario::load_scenario;
use catchment::solve::{SolveStatus, solve};
use common::{instance, pupil, rules, school};
use std::path::Path;

#[test]
fn the_bundled_city_is_a_transportation_problem_and_takes_the_shortcut() {
    // The LP path (the flow core, which takes the transportation case first, is off).
    let flow_core = load_scenario(Path::new("scenarios/magdeburg.toml")).unwrap();
    let mut with = flow_core.clone();
    with.solver.network_flow = false;
    let mut without = with.clone();
    without.solver.integral_lp_shortcut = false;
    let fast = solve(&with).unwrap();
    let slow = solve(&without).unwrap();
    let flow = solve(&flow_core).unwrap();
    assert!(flow.stats.network_flow && !fast.stats.network_flow, "{:?}", flow.stats);
    assert_eq!(flow.status, SolveStatus::Optimal);
    common::assert_close(
        flow.objective_m.unwrap(),
        slow.objective_m.unwrap(),
        2200e-6,
        "total way of the flow core",
    );
    assert_eq!(fast.status, SolveStatus::Optimal);
    assert_eq!(slow.status, SolveStatus::Optimal);
    assert!(fast.stats.integral_lp, "{:?}", fast.stats);
    assert_eq!(fast.stats.mip_rounds, 0);
    assert!(!slow.stats.integral_lp);
    assert!(slow.stats.mip_rounds >= 1);
    common::assert_close(fast.objective_m.unwrap(), slow.objective_m.unwrap(), 1e-6, "total way");
    assert_eq!(fast.bound_m, fast.objective_m);
}

#[test]
fn a_fractional_lp_goes_on_to_the_integer_program() {
    // Two schools 100 steps apart, one class of 3 each, intake basis with a
    // reduced class size of 1 above 25 %. Three pupils live at A (one a
    // migrant), one at step 40. The LP relaxation blends A's two regimes;
    // the integer program must decide them.
    let schools = vec![school("A", 0.0, 1, 0.0), school("B", 100.0, 1, 0.0)];
    let pupils = vec![
        pupil("p1", 0.0, true),
        pupil("p2", 0.0, false),
        pupil("p3", 0.0, false),
        pupil("p4", 40.0, false),
    ];
    let inst = instance(schools, pupils, rules(3, 1, MigrationBasis::Intake));
    let outcome = solve(&inst).unwrap();
    assert_eq!(outcome.status, SolveStatus::Optimal);
    assert!(!outcome.stats.integral_lp, "{:?}", outcome.stats);
    // By hand: with the migrant at A, A is above 25 % whatever else it
    // takes (at most 3 pupils), so it holds 1 seat and p2, p3, p4 walk to B:
    // 100 + 100 + 60 = 260 steps. With the migrant alone at B (reduced, 1
    // seat) and p2, p3, p4 at A (share 0): 100 + 40 = 140 steps, the optimum.
    common::assert_close(outcome.objective_m.unwrap(), common::steps_m(140.0), 1e-6, "total way");
}

#[test]
fn continuous_flows_with_whole_class_counts_reach_the_integer_optimum() {
    // previous_year basis with a class minimum and class ranges: the class
    // counts are integer, the pupils' variables continuous (whole class
    // counts make them whole). The plain model, all integer, must agree.
    let mut with = load_scenario(Path::new("scenarios/magdeburg.toml")).unwrap();
    with.pupils.truncate(250);
    with.rules.min_class_size = Some(7);
    for s in &mut with.schools {
        s.min_classes = 1;
        s.max_classes = 2;
    }
    assert!(catchment::solve::formulation::classes_make_flows_whole(
        &with,
        &catchment::solve::groups::build_groups(&with)
    ));
    let mut plain = with.clone();
    plain.solver.formulation = catchment::model::Formulation::Plain;
    // Without the shortcut, so that the integer program surely runs.
    with.solver.integral_lp_shortcut = false;
    let fast = solve(&with).unwrap();
    let reference = solve(&plain).unwrap();
    assert_eq!(fast.status, SolveStatus::Optimal);
    assert_eq!(reference.status, SolveStatus::Optimal);
    assert!(!fast.stats.integral_lp && fast.stats.mip_rounds >= 1, "{:?}", fast.stats);
    common::assert_close(fast.objective_m.unwrap(), reference.objective_m.unwrap(), 1e-6, "total way");
    let school_of = &fast.assignment.as_ref().unwrap().school_of;
    assert!(school_of.iter().all(|&s| s < with.schools.len()), "every pupil has one school");
    common::assert_close(
        common::total_way(&with, school_of),
        fast.objective_m.unwrap(),
        1e-3,
        "the assignment's own total way",
    );
}
