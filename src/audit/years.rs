//! The rules across the years of a multi-year result, recomputed from its
//! written files: the classes `years.csv` states against the classes each
//! year's `schools.csv` declares, the rooms in use per school and year
//! (classes opened in the plan's years still at the school, plus the older
//! grades' classes of the schools file) against `rooms`, and siblings named
//! across years (hard pairs at one school; the stated sibling price
//! recomputed). Each year's own rules are checked by [`super::check_with`].

use super::{Rule, Violation, rooms, sibling_pairs};
use crate::model::YearPlan;

/// What a multi-year result states, as read from its files.
#[derive(Debug, Clone)]
pub struct StatedPlan {
    /// `years.csv`: classes opened per year and school (`None`: no row).
    pub opened: Vec<Vec<Option<u32>>>,
    /// Each year's `schools.csv`: the classes it declares per school.
    pub declared: Vec<Vec<Option<u32>>>,
    /// Each year's assignment resolved: school index per pupil, if assigned
    /// (a pupil listed twice counts at its first school here; the year's
    /// own check names the duplicate).
    pub school_of: Vec<Vec<Option<usize>>>,
    /// `sibling_pairs.penalty_m` of the top-level `summary.json`.
    pub sibling_price_m: Option<f64>,
}

/// A stated sibling price passes within this many metres of the recomputed one.
pub const SIBLING_PRICE_TOLERANCE_M: f64 = 0.01;

/// The rule families the check across years looks at: rooms always (the
/// classes stated are checked against the declared ones even without a room
/// limit), siblings when the plan names pairs across years.
pub fn rules_checked(plan: &YearPlan) -> Vec<Rule> {
    let mut rules = vec![Rule::Rooms];
    if !plan.siblings.is_empty() {
        rules.push(Rule::Sibling);
    }
    rules
}

/// Every violation across the years.
pub fn check(plan: &YearPlan, stated: &StatedPlan) -> Vec<Violation> {
    let mut violations = Vec::new();
    let opened = stated_classes(plan, stated, &mut violations);
    rooms::check_opened(plan, &opened, &mut violations);
    sibling_pairs::check(plan, &stated.school_of, &mut violations);
    check_sibling_price(plan, stated, &mut violations);
    violations
}

/// The classes per year and school as `years.csv` states them (0 for a
/// missing row), each one that is missing or differs from the year's
/// declared classes named.
fn stated_classes(plan: &YearPlan, stated: &StatedPlan, violations: &mut Vec<Violation>) -> Vec<Vec<u32>> {
    let mut opened = vec![vec![0; plan.rooms.len()]; plan.years.len()];
    for (t, label) in plan.labels.iter().enumerate() {
        for (s, school) in plan.years[t].schools.iter().enumerate() {
            let id = school.id.as_str();
            let declared = stated.declared[t].get(s).copied().flatten();
            match (stated.opened[t][s], declared) {
                (None, _) => violations.push(Violation::new(
                    Rule::Rooms,
                    id,
                    format!("years.csv has no row for school {id}, year {label}: its classes cannot be counted"),
                )),
                (Some(k), Some(d)) if k != d => violations.push(Violation::new(
                    Rule::Rooms,
                    id,
                    format!("school {id}, year {label}: years.csv states {k} classes opened, year-{label}/schools.csv declares {d}"),
                )),
                _ => {}
            }
            opened[t][s] = stated.opened[t][s].or(declared).unwrap_or(0);
        }
    }
    opened
}

/// With `sibling_weight_m` (not hard): the stated sibling price is the
/// weight times the pairs apart.
fn check_sibling_price(plan: &YearPlan, stated: &StatedPlan, violations: &mut Vec<Violation>) {
    let rules = &plan.years[0].rules;
    if plan.siblings.is_empty() || rules.siblings_hard {
        return;
    }
    let apart = sibling_pairs::apart(plan, &stated.school_of).len();
    let recomputed = sibling_pairs::penalty_m(plan, &stated.school_of);
    let fine = stated
        .sibling_price_m
        .is_some_and(|price| (price - recomputed).abs() <= SIBLING_PRICE_TOLERANCE_M);
    if !fine {
        let claim = stated
            .sibling_price_m
            .map_or("no sibling price".to_string(), |p| format!("a sibling price of {p:.3} m"));
        violations.push(Violation::new(
            Rule::Sibling,
            "summary.json",
            format!(
                "summary.json states {claim}, but {apart} of {} sibling pairs are apart at sibling_weight_m = {}: {recomputed:.3} m",
                plan.siblings.len(),
                rules.sibling_weight_m
            ),
        ));
    }
}

/// Each pupil's school in an assignment given as `(pupil_id, school_id)`
/// rows: the first row of a pupil counts; unknown pupils and schools are
/// left out (the year's own check names them).
pub fn resolve_schools<'r>(plan: &YearPlan, t: usize, rows: impl Iterator<Item = (&'r str, &'r str)>) -> Vec<Option<usize>> {
    let year = &plan.years[t];
    let pupil_index: std::collections::HashMap<&str, usize> = year.pupils.iter().enumerate().map(|(i, p)| (p.id.as_str(), i)).collect();
    let school_index: std::collections::HashMap<&str, usize> = year.schools.iter().enumerate().map(|(i, s)| (s.id.as_str(), i)).collect();
    let mut school_of = vec![None; year.pupils.len()];
    for (pupil, school) in rows {
        if let (Some(&p), Some(&s)) = (pupil_index.get(pupil), school_index.get(school)) {
            school_of[p].get_or_insert(s);
        }
    }
    school_of
}
