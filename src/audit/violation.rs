//! A broken rule, named with the school or pupil and the numbers.

use serde::Serialize;

/// The rule families the checker knows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Rule {
    /// Every pupil exactly once, only known pupils and schools.
    Coverage,
    /// Pupils + reserved seats within classes x class size (17-of-22 rule).
    Capacity,
    /// Classes opened within the school's class range.
    ClassRange,
    /// At least `min_class_size` pupils per opened class.
    ClassMinimum,
    /// No pupil beyond `max_distance_m`; stated distances match.
    Distance,
    /// Locked pupils at their `fixed_school`.
    Lock,
    /// A unit (street section) not split across schools.
    Unit,
    /// With `assign = "homes"`, a home (point or address) not split across schools.
    Home,
    /// At most `max_moves` pupils change school against the baseline.
    Stability,
    /// With `siblings_hard`, pupils at their `sibling_school`.
    Sibling,
    /// The claimed objective is the cost of the assignment.
    Objective,
    /// Balance rules: intake shares within `max_migration_share` and
    /// `max_share_deviation` of the city's share.
    Balance,
    /// No pupil's way longer than its baseline way plus `max_extra_way_m` /
    /// `max_extra_way_pct`.
    ExtraWay,
    /// Every school's intake within `max_school_change` of its baseline intake.
    SchoolChange,
    /// With `contiguous = true`: every district connected, holding its school's cell.
    Contiguity,
    /// With `min_compactness`: every district's Polsby–Popper at least the bound.
    Compactness,
    /// Multi-year planning: in every year, the classes still at a school
    /// (opened in the plan, or older grades) fit into its `rooms`.
    Rooms,
}

/// One violation.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Violation {
    /// The rule broken.
    pub rule: Rule,
    /// The school, pupil or unit concerned.
    pub subject: String,
    /// What is wrong, with the numbers.
    pub message: String,
}

impl Violation {
    /// A violation of `rule` about `subject`.
    pub fn new(rule: Rule, subject: impl Into<String>, message: impl Into<String>) -> Self {
        Self {
            rule,
            subject: subject.into(),
            message: message.into(),
        }
    }
}

/// `n` with the singular or plural noun: "1 class", "2 classes".
pub fn count_of(n: u32, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}
