//! Caps on change against the baseline: with `max_extra_way_m` and/or
//! `max_extra_way_pct`, no pupil's way (recomputed by the checker, see
//! [`super::ways`]) is longer than its way to its baseline school plus the
//! smaller of the two allowances; with `max_school_change`, every school's
//! intake is within that many pupils of its baseline intake (this year's
//! pupils whose baseline school it is). Pupils without a baseline school
//! (new pupils) are not capped, but they count in the intake.

use super::violation::count_of;
use super::{ResolvedAssignment, Rule, SchoolTally, Violation};
use crate::model::Instance;

/// A way within this much beyond its cap (metres) keeps the rule: the
/// solver's tolerance, kept here as an independent copy by design.
const EXTRA_WAY_TOLERANCE_M: f64 = 0.001;

/// The extra metres a pupil whose baseline way is `base_m` may walk: the
/// smaller of `max_extra_way_m` and `max_extra_way_pct` percent of `base_m`.
fn allowance_m(instance: &Instance, base_m: f64) -> Option<f64> {
    let rules = &instance.rules;
    let by_pct = rules.max_extra_way_pct.map(|pct| base_m * pct / 100.0);
    match (rules.max_extra_way_m, by_pct) {
        (Some(a), Some(b)) => Some(a.min(b)),
        (a, b) => a.or(b),
    }
}

/// Records pupils whose way grows by more than the cap against the baseline
/// (`ways`: each pupil's assigned way as the checker recomputed it).
pub fn check_extra_way(instance: &Instance, assignment: &ResolvedAssignment, ways: &[Option<f64>], violations: &mut Vec<Violation>) {
    let rules = &instance.rules;
    if rules.max_extra_way_m.is_none() && rules.max_extra_way_pct.is_none() {
        return;
    }
    let baseline_of: Vec<Option<usize>> = instance.pupils.iter().map(|p| p.baseline_school).collect();
    let baseline_ways = super::ways::assigned_ways(instance, &baseline_of);
    for (p, pupil) in instance.pupils.iter().enumerate() {
        let (Some(s), Some(way), Some(b), Some(base)) = (assignment.school_of[p], ways[p], pupil.baseline_school, baseline_ways[p]) else {
            continue;
        };
        let Some(extra) = allowance_m(instance, base) else { continue };
        if way > base + extra + EXTRA_WAY_TOLERANCE_M {
            violations.push(Violation::new(
                Rule::ExtraWay,
                pupil.id.as_str(),
                format!(
                    "pupil `{}` at school {}: way {way:.1} m, {:.1} m more than its {base:.1} m to its baseline school {}; at most {extra:.1} m more allowed",
                    pupil.id,
                    instance.schools[s].id,
                    way - base,
                    instance.schools[b].id
                ),
            ));
        }
    }
}

/// Records schools whose intake differs from the baseline intake by more than `max_school_change`.
pub fn check_school_change(instance: &Instance, schools: &[SchoolTally], violations: &mut Vec<Violation>) {
    let Some(cap) = instance.rules.max_school_change else { return };
    for tally in schools {
        let baseline = instance.pupils.iter().filter(|p| p.baseline_school == Some(tally.index)).count() as u32;
        let change = tally.assigned.abs_diff(baseline);
        if change > cap {
            let id = instance.schools[tally.index].id.as_str();
            violations.push(Violation::new(
                Rule::SchoolChange,
                id,
                format!(
                    "school {id}: {} against {} in the baseline, a change of {change}; max_school_change = {cap}, {} over",
                    count_of(tally.assigned, "pupil", "pupils"),
                    baseline,
                    change - cap
                ),
            ));
        }
    }
}
