//! Objective: the total the solver claims is the cost of the assignment it
//! returned. Recomputed here from the assignment alone, pupil by pupil: the
//! way under the scenario's metric (the checker's own, see [`super::ways`]), plus `move_penalty_m` for each pupil away from its
//! baseline school, plus `sibling_weight_m` for each pupil not at its
//! sibling's school. An independent copy of the objective by design: it
//! shares no code with the solver's arc costs.

use super::{Rule, Violation};
use crate::model::Instance;

/// A claimed objective may differ from the recomputed one by this fraction
/// (of the recomputed value, at least 1 m): floating-point summation order only.
pub const OBJECTIVE_RELATIVE_TOLERANCE: f64 = 1e-9;

/// The objective of an assignment (school per pupil; pupils without a
/// school add nothing), in metres.
pub fn recompute_objective_m(instance: &Instance, school_of: &[Option<usize>]) -> f64 {
    objective_of_ways(instance, school_of, &super::ways::assigned_ways(instance, school_of))
}

/// The objective with each pupil's way already recomputed (`ways[p]`, see [`super::ways`]).
fn objective_of_ways(instance: &Instance, school_of: &[Option<usize>], ways: &[Option<f64>]) -> f64 {
    let rules = &instance.rules;
    let mut total = 0.0;
    for ((pupil, school), way) in instance.pupils.iter().zip(school_of).zip(ways) {
        let Some(s) = *school else { continue };
        total += way.unwrap_or(f64::INFINITY);
        if pupil.baseline_school.is_some_and(|b| b != s) {
            total += rules.move_penalty_m;
        }
        if pupil.sibling_school.is_some_and(|b| b != s) {
            total += rules.sibling_weight_m;
        }
    }
    total
}

/// A violation when `claimed_m` is not the recomputed objective of the assignment.
pub fn check(instance: &Instance, school_of: &[Option<usize>], claimed_m: f64) -> Option<Violation> {
    check_ways(instance, school_of, &super::ways::assigned_ways(instance, school_of), claimed_m)
}

/// [`check`] with each pupil's way already recomputed by the checker.
pub fn check_ways(instance: &Instance, school_of: &[Option<usize>], ways: &[Option<f64>], claimed_m: f64) -> Option<Violation> {
    let recomputed = objective_of_ways(instance, school_of, ways);
    let allowed = OBJECTIVE_RELATIVE_TOLERANCE * recomputed.abs().max(1.0);
    ((claimed_m - recomputed).abs() > allowed || !claimed_m.is_finite()).then(|| {
        Violation::new(
            Rule::Objective,
            "objective",
            format!(
                "claimed objective {claimed_m:.3} m, but the assignment costs {recomputed:.3} m (way plus move and sibling prices), {:.3} m apart",
                (claimed_m - recomputed).abs()
            ),
        )
    })
}
