//! Evaluating a scenario: solve (or place the pupils by a district plan) and
//! check the result with the independent checker; for an infeasible
//! instance, the relaxations that the checker confirms. The figures derived
//! from what is found here (tables, summary, comparison) are the report
//! layer's ([`crate::report::evaluate`]).

mod changes;
mod load;
mod plan;
pub mod sweep;
pub mod way_cache;
pub mod ways;
pub mod years;

pub use load::{
    LoadedScenario, load_scenario, load_scenario_cached, load_scenario_with_districts, load_scenario_without_districts,
    load_scenario_without_districts_cached,
};
pub use plan::place_by_plan;
pub use way_cache::{CACHE_FOLDER, CachedWays, WayCache};

use crate::audit::{self, AuditReport, Rule};
use crate::geometry::PlanLookup;
use crate::model::Instance;
use crate::solve::elastic::{Diagnosis, Family, Relaxation};
use crate::solve::{self, Deadline, Observer, SolveError, SolveOutcome, SolveStatus};

/// Seconds the elastic models that explain an infeasible instance may take in all.
pub const DIAGNOSIS_TIME_LIMIT_S: f64 = 120.0;

/// What evaluating a scenario found, before any figure is derived.
#[derive(Debug, Clone)]
pub struct Evaluated {
    /// The solver's result (for a plan: a stand-in, see [`place_by_plan`]).
    pub outcome: SolveOutcome,
    /// The checker's report on the assignment (on the placed pupils of a
    /// plan); absent without an assignment.
    pub audit: Option<AuditReport>,
    /// For an infeasible instance: the relaxations the checker confirmed
    /// (`None` when there was no time left to look).
    pub diagnosis: Option<Diagnosis>,
    /// For a district plan: where it put each pupil.
    pub plan: Option<PlanLookup>,
}

/// Why an evaluation failed (an infeasible instance is not a failure).
#[derive(Debug, thiserror::Error)]
pub enum EvaluateError {
    /// The solver failed.
    #[error(transparent)]
    Solve(#[from] SolveError),
    /// The solver's assignment broke a rule: a defect of this tool, never written out.
    #[error(
        "internal error: the independent checker rejected the solver's assignment ({count} violations, first: {first}); nothing was written, please report this"
    )]
    CheckerRejected {
        /// How many violations.
        count: usize,
        /// The first one.
        first: String,
    },
}

pub use crate::audit::assignment_rows;

/// Solves the instance and checks the result independently: every rule,
/// and that the claimed objective is the cost of the assignment.
///
/// The scenario's `time_limit_s` bounds the solve and the explanation of an
/// infeasible instance together; without it, the explanation may take
/// [`DIAGNOSIS_TIME_LIMIT_S`].
pub fn solve_and_check(instance: &Instance) -> Result<Evaluated, EvaluateError> {
    solve_and_check_observed(instance, None)
}

/// [`solve_and_check`] whose solve tells `observer` how it goes (see
/// [`crate::solve::progress`]).
pub fn solve_and_check_observed(instance: &Instance, observer: Option<&'static Observer>) -> Result<Evaluated, EvaluateError> {
    let deadline = Deadline::after(instance.solver.time_limit_s).observed_by(observer);
    let outcome = solve::solve_until(instance, deadline)?;
    let audit = match &outcome.assignment {
        Some(assignment) => {
            let claimed = outcome.objective_m.unwrap_or(f64::NAN);
            let report = audit::check_solution(instance, &assignment.school_of, claimed);
            // `min_compactness` is checked on the result, not modelled: a
            // district below it is a finding of the result (exit code 1), any
            // other violation a defect of the solver.
            let defects: Vec<&audit::Violation> = report.violations.iter().filter(|v| v.rule != Rule::Compactness).collect();
            if let Some(first) = defects.first() {
                return Err(EvaluateError::CheckerRejected {
                    count: defects.len(),
                    first: first.message.clone(),
                });
            }
            Some(report)
        }
        None => None,
    };
    let diagnosis = match outcome.status {
        SolveStatus::Infeasible if !deadline.passed() => {
            let diagnosis = solve::elastic::diagnose(instance, deadline.within(DIAGNOSIS_TIME_LIMIT_S))?;
            Some(verified(instance, diagnosis))
        }
        _ => None,
    };
    Ok(Evaluated {
        outcome,
        audit,
        diagnosis,
        plan: None,
    })
}

/// The relaxations of a diagnosis that the independent checker confirms:
/// the elastic optimum behind each breaks no rule but those of the families
/// relaxed (and breaks at least one: the instance is infeasible). Any other
/// is dropped, so nothing is claimed that the checker did not see.
fn verified(instance: &Instance, diagnosis: Diagnosis) -> Diagnosis {
    let confirmed = |relaxation: &Relaxation| {
        let witness = &relaxation.witness;
        let declared: Vec<Option<u32>> = witness.classes.iter().copied().map(Some).collect();
        let report = audit::check(instance, &audit::assignment_rows(instance, &witness.school_of), Some(&declared));
        let allowed: Vec<Rule> = relaxation.families.iter().map(|&f| rule_of(f)).collect();
        !report.violations.is_empty() && report.violations.iter().all(|v| allowed.contains(&v.rule))
    };
    Diagnosis {
        single: diagnosis.single.into_iter().filter(|r| confirmed(r)).collect(),
        combined: diagnosis.combined.filter(|r| confirmed(r)),
    }
}

/// The checker's rule that a relaxed family lets the witness break.
fn rule_of(family: Family) -> Rule {
    match family {
        Family::Classes => Rule::ClassRange,
        Family::ClassSize => Rule::Capacity,
        Family::ClassMinimum => Rule::ClassMinimum,
        Family::Locks => Rule::Lock,
        Family::Distance => Rule::Distance,
        Family::Siblings => Rule::Sibling,
        Family::ExtraWay => Rule::ExtraWay,
    }
}
