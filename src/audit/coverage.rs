//! Coverage: every pupil of the instance exactly once, and only known pupils
//! and schools.

use super::{AssignmentRow, ResolvedAssignment, Rule, Violation};
use crate::model::Instance;
use std::collections::HashMap;

/// Resolves the rows against the instance and records coverage violations.
pub fn check(instance: &Instance, rows: &[AssignmentRow], violations: &mut Vec<Violation>) -> ResolvedAssignment {
    let pupil_index: HashMap<&str, usize> = instance.pupils.iter().enumerate().map(|(i, p)| (p.id.as_str(), i)).collect();
    let school_index: HashMap<&str, usize> = instance.schools.iter().enumerate().map(|(i, s)| (s.id.as_str(), i)).collect();
    let mut school_of = vec![None; instance.pupils.len()];
    let mut stated_distance_m = vec![None; instance.pupils.len()];
    let mut seen_on: Vec<Option<u64>> = vec![None; instance.pupils.len()];
    let mut first_school: Vec<String> = vec![String::new(); instance.pupils.len()];
    let mut also_at = Vec::new();
    let at = |line: u64| if line > 0 { format!(" (line {line})") } else { String::new() };
    for row in rows {
        let Some(&p) = pupil_index.get(row.pupil_id.as_str()) else {
            violations.push(Violation::new(
                Rule::Coverage,
                &row.pupil_id,
                format!("pupil `{}`{} is not in the pupils file", row.pupil_id, at(row.line)),
            ));
            continue;
        };
        if let Some(first) = seen_on[p] {
            let second = school_index.get(row.school_id.as_str()).copied();
            if let Some(s) = second {
                also_at.push((p, s));
            }
            violations.push(Violation::new(
                Rule::Coverage,
                &row.pupil_id,
                duplicate_message(row, first, &first_school[p], second.is_some()),
            ));
            continue;
        }
        first_school[p] = row.school_id.clone();
        seen_on[p] = Some(row.line);
        match school_index.get(row.school_id.as_str()) {
            Some(&s) => school_of[p] = Some(s),
            None => violations.push(Violation::new(
                Rule::Coverage,
                &row.pupil_id,
                format!(
                    "pupil `{}`{} is assigned to `{}`, which is not in the schools file",
                    row.pupil_id,
                    at(row.line),
                    row.school_id
                ),
            )),
        }
        stated_distance_m[p] = row.distance_m;
    }
    for (p, pupil) in instance.pupils.iter().enumerate() {
        if seen_on[p].is_none() {
            violations.push(Violation::new(
                Rule::Coverage,
                pupil.id.as_str(),
                format!("pupil `{}` is not assigned to any school", pupil.id),
            ));
        }
    }
    ResolvedAssignment {
        school_of,
        stated_distance_m,
        also_at,
    }
}

/// A pupil listed a second time: both schools named, and where the pupil is counted.
fn duplicate_message(row: &AssignmentRow, first_line: u64, first_school: &str, second_known: bool) -> String {
    let at = |line: u64| if line > 0 { format!(" (line {line})") } else { String::new() };
    let counted = match (second_known, first_school == row.school_id) {
        (true, false) => "counted against both schools",
        (true, true) => "counted twice there",
        (false, _) => "the second school is not in the schools file",
    };
    format!(
        "pupil `{}` is assigned more than once: to {}{} and to {}{}; {counted}",
        row.pupil_id,
        first_school,
        at(first_line),
        row.school_id,
        at(row.line)
    )
}
