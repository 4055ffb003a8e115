//! Per-school figures recomputed from an assignment: pupils, migrants,
//! share, whether the reduced class size applies, classes and seats.

use super::ResolvedAssignment;
use crate::model::{Instance, MigrationBasis, School};
use serde::Serialize;

/// What the checker computes for one school.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SchoolTally {
    /// School index.
    #[serde(skip)]
    pub index: usize,
    /// Pupils assigned.
    pub assigned: u32,
    /// Of them with migration background.
    pub migrants: u32,
    /// The share that decides the rule (previous year's or the intake's).
    pub deciding_share: f64,
    /// The intake's migration share (0 for an empty school).
    pub intake_share: f64,
    /// Whether the reduced class size applies.
    pub reduced: bool,
    /// Pupils per class.
    pub class_size: u32,
    /// Classes opened: as declared, or the fewest that fit within the class range.
    pub classes: u32,
    /// Whether `classes` was declared (true) or derived (false).
    pub classes_declared: bool,
    /// `classes * class_size` (in 64 bits: no input count can overflow it).
    pub capacity: u64,
}

/// The fewest classes within `[min_classes, max_classes]` whose seats hold
/// `pupils` (reserved seats included), or `max_classes` when none does.
pub fn fewest_classes(school: &School, pupils: u64, class_size: u32) -> u32 {
    let needed = pupils.div_ceil(u64::from(class_size.max(1)));
    needed.clamp(u64::from(school.min_classes), u64::from(school.max_classes)) as u32
}

/// Tallies every school for the given pupil-to-school map.
pub fn tally_schools(instance: &Instance, school_of: &[Option<usize>], declared: Option<&[Option<u32>]>) -> Vec<SchoolTally> {
    tally_counted(instance, school_of, &[], declared)
}

/// Tallies every school for a resolved assignment: a pupil listed more than
/// once counts against every school it is listed at.
pub fn tally_with_duplicates(instance: &Instance, resolved: &ResolvedAssignment, declared: Option<&[Option<u32>]>) -> Vec<SchoolTally> {
    tally_counted(instance, &resolved.school_of, &resolved.also_at, declared)
}

fn tally_counted(
    instance: &Instance,
    school_of: &[Option<usize>],
    also_at: &[(usize, usize)],
    declared: Option<&[Option<u32>]>,
) -> Vec<SchoolTally> {
    let rules = &instance.rules;
    let mut assigned = vec![0u32; instance.schools.len()];
    let mut migrants = vec![0u32; instance.schools.len()];
    let placements = school_of.iter().enumerate().filter_map(|(p, s)| s.map(|s| (p, s)));
    for (p, s) in placements.chain(also_at.iter().copied()) {
        assigned[s] += 1;
        migrants[s] += instance.pupils[p].migrant as u32;
    }
    instance
        .schools
        .iter()
        .enumerate()
        .map(|(s, school)| {
            let intake_share = if assigned[s] > 0 {
                migrants[s] as f64 / assigned[s] as f64
            } else {
                0.0
            };
            let deciding_share = match rules.migration_basis {
                MigrationBasis::PreviousYear => school.prev_migration_share,
                MigrationBasis::Intake => intake_share,
            };
            // The 17-of-22 decision, recomputed here on purpose: the checker keeps
            // its own copy of `Rules::class_size_for` so that a mistake there
            // cannot hide itself from the check.
            let reduced = deciding_share > rules.migration_threshold;
            let class_size = if reduced { rules.reduced_class_size } else { rules.class_size };
            let declared_classes = declared.and_then(|d| d.get(s).copied().flatten());
            let classes = declared_classes
                .unwrap_or_else(|| fewest_classes(school, u64::from(assigned[s]) + u64::from(school.reserved_seats), class_size));
            SchoolTally {
                index: s,
                assigned: assigned[s],
                migrants: migrants[s],
                deciding_share,
                intake_share,
                reduced,
                class_size,
                classes,
                classes_declared: declared_classes.is_some(),
                capacity: u64::from(classes) * u64::from(class_size),
            }
        })
        .collect()
}
