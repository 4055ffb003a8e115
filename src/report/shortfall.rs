//! Why an instance has no feasible assignment, in the domain's words: seats
//! against pupils, and pupils that no school may take.

use super::relaxation_text::change_sentence;
use crate::model::{Instance, MigrationBasis};
use crate::solve::elastic::Diagnosis;
use serde::Serialize;

/// The seat balance of an instance and the pupils no school may take.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Shortfall {
    /// School starters.
    pub pupils: u32,
    /// Seats with every school at its planned `classes` (reserved seats deducted).
    pub seats_planned: i64,
    /// Seats with every school at its `max_classes` (reserved seats deducted).
    pub seats_max: i64,
    /// `pupils - seats_max` when positive: pupils without a seat even at maximum classes.
    pub seats_short: i64,
    /// Pupils with no allowed school (their lock or every school beyond `max_distance_m`).
    pub unreachable_pupils: Vec<String>,
    /// What the elastic models showed: the relaxations that restore feasibility.
    pub relaxations: Option<Diagnosis>,
    /// The explanation, one sentence per line.
    pub explanation: Vec<String>,
}

/// Seat balance and unreachable pupils of an instance. With the `intake`
/// basis the class size of a school is not known before the assignment, so
/// seats are counted at the full class size (the most any school can have).
pub fn explain_shortfall(instance: &Instance, relaxations: Option<Diagnosis>) -> Shortfall {
    let rules = &instance.rules;
    let size = |share: f64| match rules.migration_basis {
        MigrationBasis::PreviousYear => rules.class_size_for(share),
        MigrationBasis::Intake => rules.largest_class_size(),
    };
    let seats = |classes: fn(&crate::model::School) -> u32| -> i64 {
        instance
            .schools
            .iter()
            .map(|s| classes(s) as i64 * size(s.prev_migration_share) as i64 - s.reserved_seats as i64)
            .sum()
    };
    let seats_planned = seats(|s| s.classes);
    let seats_max = seats(|s| s.max_classes);
    let pupils = instance.pupils.len() as u32;
    let seats_short = (pupils as i64 - seats_max).max(0);
    let limit = rules.max_distance_m.unwrap_or(f64::INFINITY);
    let barred = |p: usize, s: usize| instance.way_m(p, s).is_none_or(|d| rules.beyond_max_distance(d));
    let unreachable_pupils: Vec<String> = instance
        .pupils
        .iter()
        .enumerate()
        .filter(|&(i, p)| match p.fixed_school {
            Some(f) => barred(i, f),
            None => (0..instance.schools.len()).all(|s| barred(i, s)),
        })
        .map(|(_, p)| p.id.to_string())
        .collect();

    let mut explanation = Vec::new();
    if seats_short > 0 {
        explanation.push(format!(
            "{pupils} pupils but only {seats_max} seats with every school at its max_classes ({seats_short} short); open more classes (raise max_classes) or allow more pupils per class"
        ));
    } else {
        explanation.push(format!(
            "seats suffice in total: {seats_max} seats at max_classes ({seats_planned} at planned classes) for {pupils} pupils"
        ));
    }
    if !unreachable_pupils.is_empty() {
        explanation.push(format!(
            "{} pupils have no school they may attend (their fixed_school or every school is beyond max_distance_m = {:.0} m): {}",
            unreachable_pupils.len(),
            limit,
            unreachable_pupils.iter().take(10).cloned().collect::<Vec<_>>().join(", ")
        ));
    }
    if let Some(sentence) = balance_sentence(instance) {
        explanation.push(sentence);
    }
    explanation.extend(super::change_caps_text::school_change_sentences(instance));
    if let Some(diagnosis) = &relaxations {
        for relaxation in &diagnosis.single {
            let family = serde_json::to_value(relaxation.families[0])
                .ok()
                .and_then(|v| v.as_str().map(str::to_string))
                .unwrap_or_default();
            let changes: Vec<String> = relaxation.changes.iter().map(|c| change_sentence(c, instance)).collect();
            explanation.push(format!("feasible by relaxing {family} alone: {}", changes.join("; ")));
        }
        if let Some(combined) = &diagnosis.combined {
            let changes: Vec<String> = combined.changes.iter().map(|c| change_sentence(c, instance)).collect();
            explanation.push(format!(
                "no single rule is the cause; relaxing several together works: {}",
                changes.join("; ")
            ));
        }
        if diagnosis.single.is_empty() && diagnosis.combined.is_none() {
            explanation.push(
                "no relaxation of classes, class size, class minimum, locks, distance limit or way growth against the baseline was found in time"
                    .into(),
            );
        }
    } else if seats_short == 0 && unreachable_pupils.is_empty() {
        explanation.push("seats suffice in total; the locks, max_distance_m, min_class_size, unit assignment or the intake-share rule leave no feasible assignment".into());
    }
    Shortfall {
        pupils,
        seats_planned,
        seats_max,
        seats_short,
        unreachable_pupils,
        relaxations,
        explanation,
    }
}

/// With balance rules: what they ask of the schools, and whether the city's
/// own share already breaks them (the relaxations above never relax them).
fn balance_sentence(instance: &Instance) -> Option<String> {
    if !instance.rules.has_balance_rules() {
        return None;
    }
    let city = instance.city_share();
    let bounds = instance.share_bounds();
    let (lo, hi) = (bounds.lower.unwrap_or(0.0), bounds.upper.unwrap_or(1.0));
    if city > hi + 1e-12 {
        return Some(format!(
            "the city's migration share is {city:.4}, above the {hi:.4} that max_migration_share allows every school: no assignment can keep it; raise max_migration_share"
        ));
    }
    Some(format!(
        "the balance rules keep every school's migration share between {lo:.4} and {hi:.4} (city {city:.4}); whole pupils and the schools' seats may leave no such assignment: widen max_share_deviation or raise max_migration_share"
    ))
}
