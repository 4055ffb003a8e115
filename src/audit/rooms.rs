//! Rooms (multi-year planning): recomputed from the assignments alone. Per
//! year and school: the pupils assigned, the class size by the 17-of-22
//! rule on the school's `prev_migration_share`, the fewest classes within
//! the school's range that hold them and its reserved seats; then per year
//! the classes still at the school (opened in the last `grades` years of
//! the plan, and the older grades' classes of this year still there)
//! against its `rooms`. No code is shared with the model.

use super::{Rule, Violation};
use crate::model::YearPlan;

/// The fewest classes school `s` of year `t` needs for the pupils that
/// `school_of` sends there, by this checker's own count.
pub fn classes_needed(plan: &YearPlan, t: usize, s: usize, school_of: &[usize]) -> u32 {
    let year = &plan.years[t];
    let school = &year.schools[s];
    let pupils = school_of.iter().filter(|&&x| x == s).count() as u64 + u64::from(school.reserved_seats);
    let rules = &year.rules;
    let size = if school.prev_migration_share > rules.migration_threshold {
        rules.reduced_class_size
    } else {
        rules.class_size
    };
    let needed = pupils.div_ceil(u64::from(size.max(1)));
    (needed.min(u64::from(u32::MAX)) as u32).max(school.min_classes)
}

/// Classes of school `s` in use in year `t` (all grades), given the
/// classes opened per year `opened[year][school]`.
pub fn rooms_in_use(plan: &YearPlan, opened: &[Vec<u32>], s: usize, t: usize) -> u32 {
    let grades = plan.grades as usize;
    let first = (t + 1).saturating_sub(grades);
    let new: u32 = (first..=t).map(|y| opened[y][s]).sum();
    let older: u32 = plan.rooms[s]
        .older_classes
        .iter()
        .enumerate()
        .filter(|(i, _)| t + i + 2 <= grades)
        .map(|(_, c)| *c)
        .sum();
    new + older
}

/// Records every school-year whose classes need more rooms than the school
/// has; `school_of[t]` is year `t`'s assignment (school index per pupil).
pub fn check(plan: &YearPlan, school_of: &[Vec<usize>], violations: &mut Vec<Violation>) {
    let opened: Vec<Vec<u32>> = (0..plan.years.len())
        .map(|t| (0..plan.rooms.len()).map(|s| classes_needed(plan, t, s, &school_of[t])).collect())
        .collect();
    check_opened(plan, &opened, violations);
}

/// Records every school-year whose classes need more rooms than the school
/// has, given the classes opened per year `opened[year][school]`.
pub fn check_opened(plan: &YearPlan, opened: &[Vec<u32>], violations: &mut Vec<Violation>) {
    for t in 0..plan.years.len() {
        for (s, school_rooms) in plan.rooms.iter().enumerate() {
            let Some(rooms) = school_rooms.rooms else { continue };
            let in_use = rooms_in_use(plan, opened, s, t);
            if in_use > rooms {
                let id = plan.years[t].schools[s].id.as_str();
                violations.push(Violation::new(
                    Rule::Rooms,
                    id,
                    format!("school {id}, year {}: {in_use} classes in use, {rooms} rooms", plan.labels[t]),
                ));
            }
        }
    }
}
