//! Units: with `assign = "units"`, all pupils of a unit (street section) are
//! at the same school.

use super::{ResolvedAssignment, Rule, Violation};
use crate::model::{AssignMode, Instance};
use std::collections::BTreeMap;

/// Records split units.
pub fn check(instance: &Instance, assignment: &ResolvedAssignment, violations: &mut Vec<Violation>) {
    if instance.rules.assign != AssignMode::Units {
        return;
    }
    let mut schools_of_unit: BTreeMap<&str, BTreeMap<usize, u32>> = BTreeMap::new();
    for (p, pupil) in instance.pupils.iter().enumerate() {
        if let (Some(unit), Some(s)) = (&pupil.unit, assignment.school_of[p]) {
            *schools_of_unit.entry(unit.as_str()).or_default().entry(s).or_default() += 1;
        }
    }
    for (unit, schools) in schools_of_unit {
        if schools.len() > 1 {
            let parts: Vec<String> = schools
                .iter()
                .map(|(&s, n)| format!("{} at {}", n, instance.schools[s].id))
                .collect();
            violations.push(Violation::new(
                Rule::Unit,
                unit,
                format!("unit `{unit}` is split across {} schools: {}", schools.len(), parts.join(", ")),
            ));
        }
    }
}
