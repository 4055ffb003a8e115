//! A scenario's result with every figure the outputs need: what the
//! scenario layer found (outcome, checker report, confirmed relaxations,
//! plan placement) turned into the school table, the way statistics, the
//! explanation of an infeasible instance and `summary.json`.

use super::{DistanceStats, PlanFindings, ResultStatus, SchoolRow, Shortfall, Summary, explain_shortfall, school_rows};
use crate::geometry::{DistrictPlan, PlanLookup};
use crate::model::Instance;
use crate::scenario::LoadedScenario;
use crate::scenario::{EvaluateError, Evaluated, place_by_plan, solve_and_check_observed};
use crate::solve::{Observer, SolveOutcome, SolveStatus};

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
    pub plan: Option<PlanLookup>,
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
pub fn evaluate_scenario(scenario: &LoadedScenario) -> Result<Evaluation, EvaluateError> {
    evaluate_scenario_observed(scenario, None)
}

/// [`evaluate_scenario`] whose solve tells `observer` how it goes.
pub fn evaluate_scenario_observed(scenario: &LoadedScenario, observer: Option<&'static Observer>) -> Result<Evaluation, EvaluateError> {
    match &scenario.districts {
        Some(plan) => Ok(evaluate_plan(&scenario.instance, plan)),
        None => evaluate_observed(&scenario.instance, observer),
    }
}

/// Solves the instance, checks the result independently
/// ([`crate::scenario::solve_and_check`]) and derives its figures.
pub fn evaluate(instance: &Instance) -> Result<Evaluation, EvaluateError> {
    evaluate_observed(instance, None)
}

/// [`evaluate`] whose solve tells `observer` how it goes.
pub fn evaluate_observed(instance: &Instance, observer: Option<&'static Observer>) -> Result<Evaluation, EvaluateError> {
    let Evaluated {
        outcome, audit, diagnosis, ..
    } = solve_and_check_observed(instance, observer)?;
    let school_rows = audit.as_ref().map(|report| school_rows(instance, &report.schools));
    let distances = outcome.assignment.as_ref().map(|a| DistanceStats::of(instance, &a.school_of));
    let shortfall = (outcome.status == SolveStatus::Infeasible).then(|| explain_shortfall(instance, diagnosis));
    let violations = audit.map(|report| report.violations).unwrap_or_default();
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

/// Places the pupils by the plan ([`crate::scenario::place_by_plan`]) and
/// derives the figures of the result, with `status` `district_plan` and the
/// plan's findings in the summary.
pub fn evaluate_plan(instance: &Instance, plan: &DistrictPlan) -> Evaluation {
    let Evaluated {
        outcome,
        audit,
        plan: lookup,
        ..
    } = place_by_plan(instance, plan);
    let lookup = lookup.expect("a plan evaluation has its placement");
    let report = audit.expect("a plan evaluation is checked");
    let distances = placed_distances(instance, &lookup);
    let table = school_rows(instance, &report.schools);
    let mut summary = Summary::new(instance, &outcome, Some(&table), distances.clone(), report.violations, None);
    summary.status = ResultStatus::DistrictPlan;
    summary.district_plan = Some(PlanFindings::of(instance, plan, &lookup));
    Evaluation {
        outcome,
        school_rows: Some(table),
        distances,
        shortfall: None,
        summary,
        plan: Some(lookup),
    }
}

/// Way figures of the pupils a plan places (none when it places nobody).
fn placed_distances(instance: &Instance, lookup: &PlanLookup) -> Option<DistanceStats> {
    let placed: Vec<usize> = (0..instance.pupils.len()).filter(|&p| lookup.school_of[p].is_some()).collect();
    if placed.len() == instance.pupils.len() {
        let school_of: Vec<usize> = lookup.school_of.iter().map(|s| s.expect("placed")).collect();
        return Some(DistanceStats::of(instance, &school_of));
    }
    (!placed.is_empty()).then(|| {
        let sub = Instance {
            pupils: placed.iter().map(|&p| instance.pupils[p].clone()).collect(),
            ..instance.clone()
        };
        let school_of: Vec<usize> = placed.iter().map(|&p| lookup.school_of[p].expect("placed")).collect();
        DistanceStats::of(&sub, &school_of)
    })
}
