//! A solve tells an observer how it goes (pricing rounds, integer program
//! rounds, HiGHS's incumbent, bound and gap), and being watched changes
//! nothing of its result.

mod common;

use catchment::model::{Instance, MigrationBasis};
use catchment::scenario::load_scenario;
use catchment::solve::{Deadline, Progress, SolveStatus, solve_until};
use std::path::Path;
use std::sync::Mutex;

static HEARD: Mutex<Vec<Progress>> = Mutex::new(Vec::new());

fn record(progress: &Progress) {
    HEARD.lock().unwrap().push(*progress);
}

/// The bundled city's first 1,200 pupils with the intake basis and class
/// ranges, solved by HiGHS's own branch and bound (no warm start).
fn intake_by_branch_and_bound() -> Instance {
    let mut instance = load_scenario(Path::new("scenarios/magdeburg.toml")).unwrap();
    instance.pupils.truncate(1_200);
    instance.rules.migration_basis = MigrationBasis::Intake;
    for s in &mut instance.schools {
        s.min_classes = s.classes.saturating_sub(1).max(1);
        s.max_classes = s.classes + 1;
    }
    instance.solver.warm_start = false;
    instance
}

#[test]
fn an_observed_solve_tells_its_rounds_and_branch_and_bound_and_ends_where_the_unobserved_one_does() {
    let instance = intake_by_branch_and_bound();
    let unobserved = solve_until(&instance, Deadline::none()).unwrap();
    let observed = solve_until(&instance, Deadline::none().observed_by(Some(&record))).unwrap();
    assert_eq!(observed.status, SolveStatus::Optimal);
    assert_eq!(observed.assignment, unobserved.assignment);
    assert_eq!(observed.objective_m, unobserved.objective_m);
    let optimum = observed.objective_m.unwrap();

    let heard = HEARD.lock().unwrap().clone();
    let pricing: Vec<usize> = heard
        .iter()
        .filter_map(|p| match p {
            Progress::PricingRound { round, arcs } => {
                assert!(*arcs >= instance.pupils.len().min(1), "{p:?}");
                Some(*round)
            }
            _ => None,
        })
        .collect();
    assert_eq!(
        pricing,
        (1..=observed.stats.lp_rounds).collect::<Vec<_>>(),
        "pricing rounds told in order"
    );
    let integer: Vec<(usize, f64)> = heard
        .iter()
        .filter_map(|p| match p {
            Progress::IntegerRound { round, lp_bound_m, .. } => Some((*round, lp_bound_m.unwrap())),
            _ => None,
        })
        .collect();
    assert_eq!(integer.len(), observed.stats.mip_rounds, "{:?}", observed.stats);
    assert!(!integer.is_empty());
    for (i, (round, lp_bound)) in integer.iter().enumerate() {
        assert_eq!(*round, i + 1);
        assert!(
            *lp_bound <= optimum + 1e-6 * optimum,
            "the LP bound {lp_bound} is below the optimum {optimum}"
        );
    }
    // HiGHS's branch and bound was heard, and never claimed a bound above its incumbent.
    let branching: Vec<(Option<f64>, Option<f64>, u64)> = heard
        .iter()
        .filter_map(|p| match p {
            Progress::Branching {
                incumbent_m,
                bound_m,
                nodes,
                ..
            } => Some((*incumbent_m, *bound_m, *nodes)),
            _ => None,
        })
        .collect();
    assert!(!branching.is_empty(), "no branch-and-bound progress heard");
    for (incumbent, bound, _) in &branching {
        if let (Some(incumbent), Some(bound)) = (incumbent, bound) {
            assert!(
                bound <= &(incumbent + 1e-6 * incumbent),
                "bound {bound} above incumbent {incumbent}"
            );
        }
    }
    // The last incumbent heard is the optimum (the last integer program ends the solve).
    let last = branching.iter().rev().find_map(|(incumbent, _, _)| *incumbent).unwrap();
    common::assert_close(last, optimum, 1e-6 * optimum, "last incumbent heard against the optimum");
}
