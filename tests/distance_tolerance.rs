//! `max_distance_m` is compared with a documented tolerance of 1 mm, in the
//! solver and in the checker alike: a limit equal to a way up to rounding
//! is kept, a way 2 mm beyond it is not.

mod common;

use catchment::audit::{self, Rule};
use catchment::model::MigrationBasis;
use catchment::report::evaluate;
use catchment::solve::SolveStatus;
use common::{dist, instance, pupil, rules, school};

fn one_pupil_one_school(limit_offset_m: f64) -> catchment::model::Instance {
    let schools = vec![school("A", 0.0, 1, 0.0)];
    let pupils = vec![pupil("p0", 137.0, false)];
    let mut inst = instance(schools, pupils, rules(22, 17, MigrationBasis::PreviousYear));
    let way = dist(&inst.pupils[0].location, &inst.schools[0].location);
    inst.rules.max_distance_m = Some(way + limit_offset_m);
    inst
}

#[test]
fn a_limit_equal_to_the_way_up_to_rounding_is_kept_by_solver_and_checker() {
    for offset in [-1e-10, 0.0, 1e-10, -0.0009] {
        let inst = one_pupil_one_school(offset);
        let evaluation = evaluate(&inst).unwrap();
        assert_eq!(evaluation.outcome.status, SolveStatus::Optimal, "offset {offset}");
        let report = audit::check(&inst, &audit::assignment_rows(&inst, &[0]), None);
        assert!(report.is_compliant(), "offset {offset}: {:?}", report.violations);
    }
}

#[test]
fn a_way_two_millimetres_beyond_the_limit_is_refused_by_both() {
    let inst = one_pupil_one_school(-0.002);
    let evaluation = evaluate(&inst).unwrap();
    assert_eq!(evaluation.outcome.status, SolveStatus::Infeasible);
    let report = audit::check(&inst, &audit::assignment_rows(&inst, &[0]), None);
    assert_eq!(report.violations.len(), 1);
    assert_eq!(report.violations[0].rule, Rule::Distance);
    assert!(
        report.violations[0].message.contains("0.002 m over"),
        "{}",
        report.violations[0].message
    );
}
