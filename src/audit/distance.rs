//! Distance: no pupil beyond `max_distance_m` (the way recomputed by the
//! checker under the scenario's metric, see [`super::ways`]), a stated
//! `distance_m` matches the recomputed one, and under a matrix every
//! pupil's arc is listed.

use super::{ResolvedAssignment, Rule, Violation};
use crate::model::Instance;

/// The default of [`super::CheckSettings::stated_distance_tolerance_m`]: a
/// stated distance may differ from the recomputed one by this much (metres,
/// inclusive), which covers the rounding of written files and of other
/// tools' distance formulas (`audit --stated-distance-tolerance-m`).
pub const STATED_DISTANCE_TOLERANCE_M: f64 = 1.0;

/// A way within this much beyond `max_distance_m` (metres) keeps the rule:
/// the same documented tolerance as the solver's, kept here as an
/// independent copy by design.
pub const MAX_DISTANCE_TOLERANCE_M: f64 = 0.001;

/// Records distance violations (`ways`: each pupil's way as the checker
/// recomputed it); a stated distance passes when it is within
/// `stated_tolerance_m` of the recomputed way.
pub fn check(
    instance: &Instance,
    assignment: &ResolvedAssignment,
    ways: &[Option<f64>],
    stated_tolerance_m: f64,
    violations: &mut Vec<Violation>,
) {
    for (p, pupil) in instance.pupils.iter().enumerate() {
        let Some(s) = assignment.school_of[p] else { continue };
        let school = &instance.schools[s];
        let Some(d) = ways[p] else {
            violations.push(Violation::new(
                Rule::Distance,
                pupil.id.as_str(),
                format!(
                    "pupil `{}` at school {}: the {} metric has no way for this pair (not in the distance matrix), so it is not allowed",
                    pupil.id,
                    school.id,
                    instance.ways.metric.name()
                ),
            ));
            continue;
        };
        if let Some(limit) = instance.rules.max_distance_m
            && d > limit + MAX_DISTANCE_TOLERANCE_M
        {
            violations.push(Violation::new(Rule::Distance, pupil.id.as_str(), {
                // Whole metres, unless the way is less than a metre over:
                // then millimetres, so that the numbers show the breach.
                let digits = if d - limit < 1.0 { 3 } else { 0 };
                format!(
                    "pupil `{}` at school {}: way {d:.digits$} m > max_distance_m {limit:.digits$} m, {:.digits$} m over",
                    pupil.id,
                    school.id,
                    d - limit
                )
            }));
        }
        if let Some(stated) = assignment.stated_distance_m[p]
            && (stated - d).abs() > stated_tolerance_m
        {
            violations.push(Violation::new(
                Rule::Distance,
                pupil.id.as_str(),
                format!(
                    "pupil `{}` at school {}: stated distance {:.1} m, recomputed {:.1} m, differs by more than {} m",
                    pupil.id, school.id, stated, d, stated_tolerance_m
                ),
            ));
        }
    }
}
