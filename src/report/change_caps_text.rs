//! Why `max_school_change` may leave no assignment, in the domain's words:
//! the intakes it demands against the seats there are and the pupils to place.

use crate::model::{Instance, MigrationBasis};

/// Seats of a school at its `max_classes` (reserved seats deducted); with the
/// `intake` basis at the larger class size, the most it can have.
fn seats_at_most(instance: &Instance, s: usize) -> i64 {
    let rules = &instance.rules;
    let school = &instance.schools[s];
    let size = match rules.migration_basis {
        MigrationBasis::PreviousYear => rules.class_size_for(school.prev_migration_share),
        MigrationBasis::Intake => rules.largest_class_size(),
    };
    i64::from(school.max_classes) * i64::from(size) - i64::from(school.reserved_seats)
}

/// With `max_school_change`: the schools that must keep more pupils than
/// they have seats, the total the caps allow against the pupils, or else
/// what the rule asks; empty without the rule.
pub fn school_change_sentences(instance: &Instance) -> Vec<String> {
    let Some(cap) = instance.rules.max_school_change else {
        return Vec::new();
    };
    let intakes = instance.baseline_intakes();
    let mut sentences = Vec::new();
    for (s, &baseline) in intakes.iter().enumerate() {
        let least = i64::from(baseline) - i64::from(cap);
        let seats = seats_at_most(instance, s);
        if least > seats {
            sentences.push(format!(
                "school {} must keep at least {least} pupils (its baseline intake {baseline} less max_school_change = {cap}) but has only {seats} seats at max_classes; raise max_school_change or max_classes there",
                instance.schools[s].id
            ));
        }
    }
    let most: i64 = intakes.iter().map(|&b| i64::from(b) + i64::from(cap)).sum();
    let pupils = instance.pupils.len() as i64;
    if most < pupils {
        sentences.push(format!(
            "max_school_change = {cap} lets the schools take at most {most} pupils in all (each its baseline intake plus {cap}) but there are {pupils}; raise max_school_change"
        ));
    }
    if sentences.is_empty() {
        sentences.push(format!(
            "every school's intake must stay within {cap} pupils of its baseline intake (max_school_change); with the seats and the other rules this may leave no assignment: raise max_school_change"
        ));
    }
    sentences
}
