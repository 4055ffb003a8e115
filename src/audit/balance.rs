//! Balance: with `max_migration_share`, no school's intake share above it;
//! with `max_share_deviation`, every school's intake share within that much
//! of the city's share (migrants over all pupils, counted here). Schools
//! without pupils are exempt.

use super::{Rule, SchoolTally, Violation};
use crate::model::Instance;

/// Shares this close to a bound count as on it (the solver's rows hold to
/// HiGHS's feasibility tolerance; whole pupils give exact shares).
const SHARE_TOLERANCE: f64 = 1e-9;

/// Records schools whose intake share breaks a balance rule.
pub fn check(instance: &Instance, schools: &[SchoolTally], violations: &mut Vec<Violation>) {
    let rules = &instance.rules;
    if rules.max_migration_share.is_none() && rules.max_share_deviation.is_none() {
        return;
    }
    let pupils = instance.pupils.len();
    let migrants = instance.pupils.iter().filter(|p| p.migrant).count();
    let city = if pupils == 0 { 0.0 } else { migrants as f64 / pupils as f64 };
    for tally in schools.iter().filter(|t| t.assigned > 0) {
        let id = instance.schools[tally.index].id.as_str();
        let share = tally.migrants as f64 / tally.assigned as f64;
        let of = format!(
            "school {id}: {} of {} pupils with migration background",
            tally.migrants, tally.assigned
        );
        if let Some(most) = rules.max_migration_share
            && share > most + SHARE_TOLERANCE
        {
            violations.push(Violation::new(
                Rule::Balance,
                id,
                format!("{of} (share {share:.4} > max_migration_share {most})"),
            ));
        }
        if let Some(deviation) = rules.max_share_deviation
            && (share - city).abs() > deviation + SHARE_TOLERANCE
        {
            violations.push(Violation::new(
                Rule::Balance,
                id,
                format!(
                    "{of} (share {share:.4}, {:.4} from the city's {city:.4}; max_share_deviation {deviation})",
                    (share - city).abs()
                ),
            ));
        }
    }
}
