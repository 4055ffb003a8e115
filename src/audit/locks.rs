//! Locks: a pupil with `fixed_school` is at that school.

use super::{ResolvedAssignment, Rule, Violation};
use crate::model::Instance;

/// Records lock violations.
pub fn check(instance: &Instance, assignment: &ResolvedAssignment, violations: &mut Vec<Violation>) {
    for (p, pupil) in instance.pupils.iter().enumerate() {
        if let (Some(fixed), Some(s)) = (pupil.fixed_school, assignment.school_of[p])
            && fixed != s
        {
            violations.push(Violation::new(
                Rule::Lock,
                pupil.id.as_str(),
                format!(
                    "pupil `{}` is locked to school {} but assigned to {}",
                    pupil.id, instance.schools[fixed].id, instance.schools[s].id
                ),
            ));
        }
    }
}
