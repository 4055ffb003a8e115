//! Evaluating a district plan as drawn: every pupil goes to the school whose
//! district holds the home ([`crate::geometry::locate_pupils`]), and the
//! result is checked by the same independent checker and summarised with
//! the same figures as an optimised assignment.
//!
//! A pupil outside every district or inside two is not placed: the checker
//! reports each of them as a coverage violation, the summary lists them by
//! id, and the figures (ways, classes) cover the placed pupils.

use super::Evaluation;
use crate::audit::{self, AssignmentRow};
use crate::geometry::{DistrictPlan, locate_pupils};
use crate::model::Instance;
use crate::report::{DistanceStats, PlanFindings, ResultStatus, Summary, school_rows};
use crate::solve::{Assignment, ModelStats, SolveOutcome, SolveStatus};
use std::time::Instant;

/// Places the pupils by the plan and evaluates the result.
///
/// `outcome` of the evaluation is a stand-in (no solver ran): its status is
/// `Optimal` only because the solver's statuses have no word for "as drawn",
/// its assignment is present when the plan places every pupil, its objective
/// is the total way of the placed pupils, and it has no bound. Read
/// `summary.status` (`district_plan`) and `plan` instead.
pub fn evaluate_plan(instance: &Instance, plan: &DistrictPlan) -> Evaluation {
    let started = Instant::now();
    let lookup = locate_pupils(instance, plan);
    let rows: Vec<AssignmentRow> = instance
        .pupils
        .iter()
        .zip(&lookup.school_of)
        .filter_map(|(p, s)| {
            s.map(|s| AssignmentRow {
                line: 0,
                pupil_id: p.id.to_string(),
                school_id: instance.schools[s].id.to_string(),
                distance_m: None,
            })
        })
        .collect();
    let report = audit::check(instance, &rows, None);
    let complete: Option<Vec<usize>> = lookup.school_of.iter().copied().collect();
    let distances = match &complete {
        Some(school_of) => Some(DistanceStats::of(instance, school_of)),
        None => {
            let placed: Vec<usize> = (0..instance.pupils.len()).filter(|&p| lookup.school_of[p].is_some()).collect();
            (!placed.is_empty()).then(|| {
                let sub = Instance {
                    pupils: placed.iter().map(|&p| instance.pupils[p].clone()).collect(),
                    ..instance.clone()
                };
                let school_of: Vec<usize> = placed.iter().map(|&p| lookup.school_of[p].expect("placed")).collect();
                DistanceStats::of(&sub, &school_of)
            })
        }
    };
    let outcome = SolveOutcome {
        status: SolveStatus::Optimal,
        assignment: complete.map(|school_of| Assignment { school_of }),
        objective_m: distances.as_ref().map(|d| d.total_m),
        bound_m: None,
        gap: None,
        solve_seconds: started.elapsed().as_secs_f64(),
        highs_seconds: 0.0,
        stats: ModelStats::default(),
    };
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
