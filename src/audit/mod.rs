//! The independent rule checker.
//!
//! It recomputes everything from the inputs (distances, shares, class sizes,
//! classes needed) and shares no code with the model building in
//! [`crate::solve`]. One file per rule family; [`check`] runs them all and
//! collects every violation, with names and numbers, instead of stopping at
//! the first. `solve` runs it on every solution before anything is written,
//! and the `audit` command runs it on any assignment.

mod balance;
mod capacity;
mod class_minimum;
mod coverage;
mod distance;
mod homes;
mod locks;
pub mod objective;
mod stability;
mod tally;
mod units;
mod violation;
pub mod ways;

pub use stability::moves;
pub use tally::{SchoolTally, fewest_classes, tally_schools};
pub use violation::{Rule, Violation};

pub use crate::model::AssignmentRow;
use crate::model::Instance;

/// An assignment resolved against the instance: `school_of[p]` is the school
/// index of pupil `p`, or `None` when the pupil is missing or the school unknown.
#[derive(Debug, Clone)]
pub struct ResolvedAssignment {
    /// School per pupil.
    pub school_of: Vec<Option<usize>>,
    /// Stated distance per pupil, if any.
    pub stated_distance_m: Vec<Option<f64>>,
}

/// The result of a check: every violation found, and the per-school figures.
#[derive(Debug, Clone)]
pub struct AuditReport {
    /// All violations, in rule order, then school or pupil order.
    pub violations: Vec<Violation>,
    /// Figures per school, as the checker recomputed them.
    pub schools: Vec<SchoolTally>,
}

impl AuditReport {
    /// True when no rule is violated.
    pub fn is_compliant(&self) -> bool {
        self.violations.is_empty()
    }
}

/// Checks an assignment against every rule of the instance. `declared_classes`
/// gives the classes each school actually opens (by school index); without it
/// each school is taken to open the fewest classes that fit its pupils.
pub fn check(instance: &Instance, rows: &[AssignmentRow], declared_classes: Option<&[Option<u32>]>) -> AuditReport {
    check_with_ways(instance, rows, declared_classes).0
}

/// [`check`], also returning each pupil's way as the checker recomputed it.
fn check_with_ways(
    instance: &Instance,
    rows: &[AssignmentRow],
    declared_classes: Option<&[Option<u32>]>,
) -> (AuditReport, Vec<Option<f64>>) {
    let mut violations = Vec::new();
    let resolved = coverage::check(instance, rows, &mut violations);
    let schools = tally_schools(instance, &resolved.school_of, declared_classes);
    capacity::check(instance, &schools, &mut violations);
    balance::check(instance, &schools, &mut violations);
    class_minimum::check(instance, &schools, &mut violations);
    let ways = ways::assigned_ways(instance, &resolved.school_of);
    distance::check(instance, &resolved, &ways, &mut violations);
    locks::check(instance, &resolved, &mut violations);
    units::check(instance, &resolved, &mut violations);
    homes::check(instance, &resolved, &mut violations);
    stability::check(instance, &resolved, &mut violations);
    (AuditReport { violations, schools }, ways)
}

/// The rows the checker reads, for an assignment given as school index per pupil.
pub fn assignment_rows(instance: &Instance, school_of: &[usize]) -> Vec<AssignmentRow> {
    instance
        .pupils
        .iter()
        .zip(school_of)
        .map(|(p, &s)| AssignmentRow {
            line: 0,
            pupil_id: p.id.to_string(),
            school_id: instance.schools[s].id.to_string(),
            distance_m: None,
        })
        .collect()
}

/// Checks a solver's result: every rule of [`check`], and that `claimed_m`
/// is the recomputed objective of the assignment ([`objective::check`]).
pub fn check_solution(instance: &Instance, school_of: &[usize], claimed_m: f64) -> AuditReport {
    let (mut report, ways) = check_with_ways(instance, &assignment_rows(instance, school_of), None);
    let placed: Vec<Option<usize>> = school_of.iter().copied().map(Some).collect();
    report.violations.extend(objective::check_ways(instance, &placed, &ways, claimed_m));
    report
}
