//! Capacity: pupils + reserved seats within classes x class size, where the
//! class size follows the 17-of-22 rule on the scenario's basis; declared
//! classes within the school's class range.

use super::violation::count_of;
use super::{Rule, SchoolTally, Violation};
use crate::model::Instance;

/// Records capacity and class-range violations.
pub fn check(instance: &Instance, schools: &[SchoolTally], violations: &mut Vec<Violation>) {
    let rules = &instance.rules;
    for tally in schools {
        let school = &instance.schools[tally.index];
        if tally.classes < school.min_classes || tally.classes > school.max_classes {
            violations.push(Violation::new(
                Rule::ClassRange,
                school.id.as_str(),
                format!(
                    "school {}: opens {}, allowed {} to {}",
                    school.id,
                    count_of(tally.classes, "class", "classes"),
                    school.min_classes,
                    school.max_classes
                ),
            ));
        }
        // 64-bit sums: a huge `reserved_seats` must not wrap around to "fits".
        let demand = u64::from(tally.assigned) + u64::from(school.reserved_seats);
        if demand > tally.capacity {
            let relation = if tally.reduced { ">" } else { "<=" };
            let size_reason = format!(
                "{} (share {:.2} {relation} {})",
                tally.class_size, tally.deciding_share, rules.migration_threshold
            );
            let reserved = if school.reserved_seats > 0 {
                format!(" + {} reserved", school.reserved_seats)
            } else {
                String::new()
            };
            violations.push(Violation::new(
                Rule::Capacity,
                school.id.as_str(),
                format!(
                    "school {}: {}{}, {} at {} = {} seats, {} over",
                    school.id,
                    count_of(tally.assigned, "pupil", "pupils"),
                    reserved,
                    count_of(tally.classes, "class", "classes"),
                    size_reason,
                    tally.capacity,
                    demand - tally.capacity
                ),
            ));
        }
    }
}
