//! Evaluating a scenario: solve (or place the pupils by a district plan),
//! check the solution with the independent checker, and derive every figure
//! the outputs need; comparing several scenarios side by side.

pub mod compare;
mod plan;

pub use plan::evaluate_plan;

use crate::audit::{self, Rule};
use crate::model::Instance;
use crate::report::{DistanceStats, SchoolRow, Shortfall, Summary, explain_shortfall, school_rows};
use crate::solve::elastic::{Diagnosis, Family, Relaxation};
use crate::solve::{self, Deadline, SolveError, SolveOutcome, SolveStatus};

/// Seconds the elastic models that explain an infeasible instance may take in all.
pub const DIAGNOSIS_TIME_LIMIT_S: f64 = 120.0;

/// Everything `solve` produces for one scenario.
#[derive(Debug, Clone)]
pub struct Evaluation {
    /// The solver's result.
    pub outcome: SolveOutcome,
    /// Per-school table (absent without an assignment).
    pub school_rows: Option<Vec<SchoolRow>>,
    /// Way-to-school figures (absent without an assignment).
    pub distances: Option<DistanceStats>,
    /// The seat balance, for an infeasible instance.
    pub shortfall: Option<Shortfall>,
    /// `summary.json`.
    pub summary: Summary,
    /// For a district plan: where it put each pupil (see [`evaluate_plan`]).
    pub plan: Option<crate::geometry::PlanLookup>,
}

impl Evaluation {
    /// The assignment as school index per pupil, if there is one.
    pub fn school_of(&self) -> Option<&[usize]> {
        self.outcome.assignment.as_ref().map(|a| a.school_of.as_slice())
    }

    /// School per pupil, `None` for a pupil without one (a district plan may
    /// leave pupils out; an infeasible instance has no school for anyone).
    pub fn placed_school_of(&self, pupils: usize) -> Vec<Option<usize>> {
        match (&self.plan, self.school_of()) {
            (Some(plan), _) => plan.school_of.clone(),
            (None, Some(school_of)) => school_of.iter().copied().map(Some).collect(),
            (None, None) => vec![None; pupils],
        }
    }
}

/// Evaluates a loaded scenario: its district plan as drawn, or the optimum.
pub fn evaluate_scenario(scenario: &crate::input::LoadedScenario) -> Result<Evaluation, EvaluateError> {
    match &scenario.districts {
        Some(plan) => Ok(evaluate_plan(&scenario.instance, plan)),
        None => evaluate(&scenario.instance),
    }
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

/// Solves the instance and checks the result independently.
///
/// The scenario's `time_limit_s` bounds the solve and the explanation of an
/// infeasible instance together; without it, the explanation may take
/// [`DIAGNOSIS_TIME_LIMIT_S`].
pub fn evaluate(instance: &Instance) -> Result<Evaluation, EvaluateError> {
    let deadline = Deadline::after(instance.solver.time_limit_s);
    let outcome = solve::solve_until(instance, deadline)?;
    let (school_rows, distances, violations) = match &outcome.assignment {
        Some(assignment) => {
            let claimed = outcome.objective_m.unwrap_or(f64::NAN);
            let report = audit::check_solution(instance, &assignment.school_of, claimed);
            if !report.is_compliant() {
                return Err(EvaluateError::CheckerRejected {
                    count: report.violations.len(),
                    first: report.violations[0].message.clone(),
                });
            }
            (
                Some(school_rows(instance, &report.schools)),
                Some(DistanceStats::of(instance, &assignment.school_of)),
                report.violations,
            )
        }
        None => (None, None, Vec::new()),
    };
    let shortfall = if outcome.status == SolveStatus::Infeasible {
        let diagnosis = match deadline.passed() {
            true => None,
            false => Some(verified(
                instance,
                solve::elastic::diagnose(instance, deadline.within(DIAGNOSIS_TIME_LIMIT_S))?,
            )),
        };
        Some(explain_shortfall(instance, diagnosis))
    } else {
        None
    };
    let summary = Summary::new(
        instance,
        &outcome,
        school_rows.as_deref(),
        distances.clone(),
        violations,
        shortfall.clone(),
    );
    Ok(Evaluation {
        outcome,
        school_rows,
        distances,
        shortfall,
        summary,
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
    }
}
