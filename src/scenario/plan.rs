//! A district plan evaluated as drawn: each pupil to the school whose
//! district holds the home (see [`crate::geometry::locate_pupils`]), the
//! placed pupils checked by the independent checker.

use super::Evaluated;
use crate::audit::{self, AssignmentRow};
use crate::geometry::{DistrictPlan, locate_pupils};
use crate::model::Instance;
use crate::solve::{Assignment, ModelStats, SolveOutcome, SolveStatus};
use std::time::Instant;

/// Places the pupils by the plan and checks the placed ones.
///
/// `outcome` is a stand-in (no solver ran): its status is `Optimal` only
/// because the solver's statuses have no word for "as drawn", its assignment
/// is present when the plan places every pupil, its objective is the total
/// way of the placed pupils, and it has no bound. The report layer marks the
/// result `district_plan`.
pub fn place_by_plan(instance: &Instance, plan: &DistrictPlan) -> Evaluated {
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
    let placed_way: f64 = lookup
        .school_of
        .iter()
        .enumerate()
        .filter_map(|(p, s)| s.map(|s| instance.way_m(p, s).unwrap_or(f64::INFINITY)))
        .sum();
    let complete: Option<Vec<usize>> = lookup.school_of.iter().copied().collect();
    let anyone_placed = lookup.school_of.iter().any(Option::is_some);
    let outcome = SolveOutcome {
        status: SolveStatus::Optimal,
        assignment: complete.map(|school_of| Assignment { school_of }),
        objective_m: anyone_placed.then_some(placed_way),
        bound_m: None,
        gap: None,
        solve_seconds: started.elapsed().as_secs_f64(),
        highs_seconds: 0.0,
        stats: ModelStats::default(),
    };
    Evaluated {
        outcome,
        audit: Some(report),
        diagnosis: None,
        plan: Some(lookup),
    }
}
