//! Homes: with `assign = "homes"`, no home is split: all pupils at one point
//! (the same coordinates) are at the same school, and so are all pupils at
//! one address (the same normalised street and house number). Checked
//! point by point and address by address, without the solver's grouping.

use super::{ResolvedAssignment, Rule, Violation};
use crate::model::{AssignMode, Instance};
use std::collections::BTreeMap;

/// Records split homes.
pub fn check(instance: &Instance, assignment: &ResolvedAssignment, violations: &mut Vec<Violation>) {
    if instance.rules.assign != AssignMode::Homes {
        return;
    }
    let mut schools_at_point: BTreeMap<(u64, u64), (usize, BTreeMap<usize, u32>)> = BTreeMap::new();
    let mut schools_at_address: BTreeMap<(String, String), (usize, BTreeMap<usize, u32>)> = BTreeMap::new();
    for (p, pupil) in instance.pupils.iter().enumerate() {
        let Some(s) = assignment.school_of[p] else { continue };
        let point = (pupil.location.lat().to_bits(), pupil.location.lon().to_bits());
        *schools_at_point
            .entry(point)
            .or_insert((p, BTreeMap::new()))
            .1
            .entry(s)
            .or_default() += 1;
        if let Some(address) = &pupil.address {
            *schools_at_address
                .entry(address.key())
                .or_insert((p, BTreeMap::new()))
                .1
                .entry(s)
                .or_default() += 1;
        }
    }
    for (first, schools) in schools_at_address.into_values() {
        let address = instance.pupils[first].address.as_ref().expect("keyed by address");
        record_split(instance, &format!("address `{address}`"), &schools, violations);
    }
    for (first, schools) in schools_at_point.into_values() {
        let home = format!("the home of pupil `{}`", instance.pupils[first].id);
        record_split(instance, &home, &schools, violations);
    }
}

fn record_split(instance: &Instance, home: &str, schools: &BTreeMap<usize, u32>, violations: &mut Vec<Violation>) {
    if schools.len() < 2 {
        return;
    }
    let parts: Vec<String> = schools
        .iter()
        .map(|(&s, n)| format!("{} at {}", n, instance.schools[s].id))
        .collect();
    violations.push(Violation::new(
        Rule::Home,
        home,
        format!("{home} is split across {} schools: {}", schools.len(), parts.join(", ")),
    ));
}
