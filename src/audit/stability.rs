//! Stability and siblings: with `max_moves`, at most that many pupils leave
//! their baseline school; with `siblings_hard`, every pupil with a
//! `sibling_school` is there.

use super::violation::count_of;
use super::{ResolvedAssignment, Rule, Violation};
use crate::model::Instance;

/// Pupils whose school differs from their baseline school (pupils without a
/// baseline, or not assigned, are not counted).
pub fn moves(instance: &Instance, school_of: &[Option<usize>]) -> u32 {
    instance
        .pupils
        .iter()
        .zip(school_of)
        .filter(|(p, s)| matches!((p.baseline_school, **s), (Some(b), Some(s)) if b != s))
        .count() as u32
}

/// Records a broken move cap and unmet hard sibling preferences.
pub fn check(instance: &Instance, assignment: &ResolvedAssignment, violations: &mut Vec<Violation>) {
    if let Some(cap) = instance.rules.max_moves {
        let moved = moves(instance, &assignment.school_of);
        if moved > cap {
            violations.push(Violation::new(
                Rule::Stability,
                "baseline",
                format!(
                    "{} change school against the baseline, max_moves = {cap}, {} over",
                    count_of(moved, "pupil", "pupils"),
                    moved - cap
                ),
            ));
        }
    }
    if instance.rules.siblings_hard {
        for (p, pupil) in instance.pupils.iter().enumerate() {
            if let (Some(sibling), Some(s)) = (pupil.sibling_school, assignment.school_of[p])
                && sibling != s
            {
                violations.push(Violation::new(
                    Rule::Sibling,
                    pupil.id.as_str(),
                    format!(
                        "pupil `{}` must join its sibling at school {} but is assigned to {}",
                        pupil.id, instance.schools[sibling].id, instance.schools[s].id
                    ),
                ));
            }
        }
    }
}
