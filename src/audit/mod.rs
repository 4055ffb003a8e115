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
mod change_caps;
mod class_minimum;
mod compactness;
mod contiguity;
mod coverage;
mod distance;
mod homes;
mod locks;
pub mod objective;
pub mod rooms;
pub mod sibling_pairs;
mod stability;
mod tally;
mod units;
mod violation;
pub mod ways;
pub mod years;

pub use distance::STATED_DISTANCE_TOLERANCE_M;
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
    /// Further rows of a pupil listed more than once, as (pupil, school):
    /// each one counts against its school too.
    pub also_at: Vec<(usize, usize)>,
}

/// Settings of the check that are not rules of the scenario.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct CheckSettings {
    /// A stated `distance_m` may differ from the recomputed way by at most
    /// this much, in metres (default [`STATED_DISTANCE_TOLERANCE_M`]).
    pub stated_distance_tolerance_m: f64,
}

impl Default for CheckSettings {
    fn default() -> Self {
        Self {
            stated_distance_tolerance_m: STATED_DISTANCE_TOLERANCE_M,
        }
    }
}

/// The result of a check: every violation found, and the per-school figures.
#[derive(Debug, Clone)]
pub struct AuditReport {
    /// All violations, in rule order, then school or pupil order.
    pub violations: Vec<Violation>,
    /// Figures per school, as the checker recomputed them.
    pub schools: Vec<SchoolTally>,
    /// The rule families this check looked at, in rule order: exactly those
    /// the scenario and the assignment give something to check.
    pub rules_checked: Vec<Rule>,
    /// Pupils at another school than their baseline school (`None` without a baseline).
    pub moved_against_baseline: Option<u32>,
    /// The settings the check ran with.
    pub settings: CheckSettings,
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
    check_with(instance, rows, declared_classes, &CheckSettings::default())
}

/// [`check`] with explicit settings (the stated-distance tolerance).
pub fn check_with(
    instance: &Instance,
    rows: &[AssignmentRow],
    declared_classes: Option<&[Option<u32>]>,
    settings: &CheckSettings,
) -> AuditReport {
    check_with_ways(instance, rows, declared_classes, settings).0
}

/// [`check_with`], also returning each pupil's way as the checker recomputed it.
fn check_with_ways(
    instance: &Instance,
    rows: &[AssignmentRow],
    declared_classes: Option<&[Option<u32>]>,
    settings: &CheckSettings,
) -> (AuditReport, Vec<Option<f64>>) {
    let mut violations = Vec::new();
    let resolved = coverage::check(instance, rows, &mut violations);
    let schools = tally::tally_with_duplicates(instance, &resolved, declared_classes);
    capacity::check(instance, &schools, &mut violations);
    balance::check(instance, &schools, &mut violations);
    class_minimum::check(instance, &schools, &mut violations);
    let ways = ways::assigned_ways(instance, &resolved.school_of);
    distance::check(instance, &resolved, &ways, settings.stated_distance_tolerance_m, &mut violations);
    locks::check(instance, &resolved, &mut violations);
    units::check(instance, &resolved, &mut violations);
    homes::check(instance, &resolved, &mut violations);
    stability::check(instance, &resolved, &mut violations);
    change_caps::check_extra_way(instance, &resolved, &ways, &mut violations);
    change_caps::check_school_change(instance, &schools, &mut violations);
    contiguity::check(instance, &resolved, &mut violations);
    compactness::check(instance, &resolved, &mut violations);
    let rules_checked = rules_checked(instance, &resolved, declared_classes.is_some());
    let has_baseline = instance.pupils.iter().any(|p| p.baseline_school.is_some());
    let report = AuditReport {
        violations,
        schools,
        rules_checked,
        moved_against_baseline: has_baseline.then(|| moves(instance, &resolved.school_of)),
        settings: *settings,
    };
    (report, ways)
}

/// The rule families a check looks at: coverage and capacity always; the
/// class range when classes were declared (derived classes lie within the
/// range by construction); the class minimum, the distance limit, locks,
/// units, homes, the balance rules, the move cap, hard siblings and the caps
/// on change against the baseline only when
/// the scenario sets them (distance also when the assignment states distances).
fn rules_checked(instance: &Instance, resolved: &ResolvedAssignment, classes_declared: bool) -> Vec<Rule> {
    let rules = &instance.rules;
    let stated = resolved.stated_distance_m.iter().any(Option::is_some);
    let locks = instance.pupils.iter().any(|p| p.fixed_school.is_some());
    let siblings = rules.siblings_hard && instance.pupils.iter().any(|p| p.sibling_school.is_some());
    [
        (Rule::Coverage, true),
        (Rule::Capacity, true),
        (Rule::ClassRange, classes_declared),
        (Rule::ClassMinimum, rules.min_class_size.is_some()),
        (Rule::Distance, rules.max_distance_m.is_some() || stated),
        (Rule::Lock, locks),
        (Rule::Unit, rules.assign == crate::model::AssignMode::Units),
        (Rule::Home, rules.assign == crate::model::AssignMode::Homes),
        (Rule::Stability, rules.max_moves.is_some()),
        (Rule::Sibling, siblings),
        (Rule::Balance, rules.has_balance_rules()),
        (Rule::ExtraWay, rules.has_extra_way_cap()),
        (Rule::SchoolChange, rules.max_school_change.is_some()),
        (Rule::Contiguity, rules.contiguous),
        (Rule::Compactness, rules.min_compactness.is_some()),
    ]
    .into_iter()
    .filter_map(|(rule, checked)| checked.then_some(rule))
    .collect()
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
    let rows = assignment_rows(instance, school_of);
    let (mut report, ways) = check_with_ways(instance, &rows, None, &CheckSettings::default());
    let placed: Vec<Option<usize>> = school_of.iter().copied().map(Some).collect();
    report.violations.extend(objective::check_ways(instance, &placed, &ways, claimed_m));
    report.rules_checked.push(Rule::Objective);
    report
}
