//! Multi-year planning: this year's cohort and forecast cohorts, planned
//! together so that no school ever needs more classrooms than it has.

use super::Instance;

/// The classrooms of one school and the classes it already runs in the
/// older grades this year (optional columns of `schools.csv`).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct SchoolRooms {
    /// Column `rooms`: classrooms for all grades (`None`: not limited).
    pub rooms: Option<u32>,
    /// Columns `classes_grade2` .. `classes_grade<grades>` (default 0):
    /// element `i` holds the classes of grade `i + 2` this year.
    pub older_classes: Vec<u32>,
}

/// Several cohorts planned together: year 0 is the scenario's own `pupils`
/// file, the others its `[[year]]` entries, in order.
#[derive(Debug, Clone)]
pub struct YearPlan {
    /// One instance per year: the same schools, rules and settings, that
    /// year's pupils.
    pub years: Vec<Instance>,
    /// Each year's label (`label` of its `[[year]]`; default its position).
    pub labels: Vec<String>,
    /// Per school (in the instances' school order): rooms and older classes.
    pub rooms: Vec<SchoolRooms>,
    /// Grades a class passes through (rule `grades`, default 4).
    pub grades: u32,
    /// Siblings named across years (column `sibling_id` of a later year's
    /// pupils file), younger first.
    pub siblings: Vec<SiblingPair>,
}

/// A pupil of a later year of the plan and its older sibling, a pupil of an
/// earlier year (column `sibling_id`): with `siblings_hard` both go to one
/// school, with `sibling_weight_m` their being apart is priced.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SiblingPair {
    /// Year (index in the plan) of the younger pupil.
    pub younger_year: usize,
    /// The younger pupil (index into that year's pupils).
    pub younger: usize,
    /// Year of the older sibling, before `younger_year`.
    pub older_year: usize,
    /// The older sibling (index into that year's pupils).
    pub older: usize,
}

impl YearPlan {
    /// The sibling pairs the plan's rules act on: all of them with
    /// `siblings_hard` or a positive `sibling_weight_m`, none otherwise.
    pub fn acting_siblings(&self) -> &[SiblingPair] {
        let rules = &self.years[0].rules;
        match rules.siblings_hard || rules.sibling_weight_m > 0.0 {
            true => &self.siblings,
            false => &[],
        }
    }

    /// The years (0-based, within the plan) whose new classes are still at
    /// the school in year `t`: `t - grades + 1 ..= t`, cut at year 0.
    pub fn opened_in_use(&self, t: usize) -> std::ops::RangeInclusive<usize> {
        let back = (self.grades as usize).saturating_sub(1);
        t.saturating_sub(back)..=t
    }

    /// Classes of school `s` that ran in an older grade in year 0 and are
    /// still at the school in year `t` (a grade-`g` class stays for
    /// `grades - g` more years).
    pub fn older_in_use(&self, s: usize, t: usize) -> u32 {
        let grades = self.grades as usize;
        self.rooms[s]
            .older_classes
            .iter()
            .enumerate()
            .filter(|&(i, _)| i + 2 + t <= grades)
            .map(|(_, &c)| c)
            .sum()
    }
}
