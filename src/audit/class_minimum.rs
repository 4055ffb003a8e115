//! Class minimum: a school opening `k` classes receives at least
//! `k x min_class_size` pupils (when the rule is set).

use super::violation::count_of;
use super::{Rule, SchoolTally, Violation};
use crate::model::Instance;

/// Records class-minimum violations.
pub fn check(instance: &Instance, schools: &[SchoolTally], violations: &mut Vec<Violation>) {
    let Some(min_size) = instance.rules.min_class_size else { return };
    for tally in schools {
        let required = tally.classes * min_size;
        if tally.assigned < required {
            let school = &instance.schools[tally.index];
            violations.push(Violation::new(
                Rule::ClassMinimum,
                school.id.as_str(),
                format!(
                    "school {}: {} in {}, at least {} x {} = {} required, {} short",
                    school.id,
                    count_of(tally.assigned, "pupil", "pupils"),
                    count_of(tally.classes, "class", "classes"),
                    tally.classes,
                    min_size,
                    required,
                    required - tally.assigned
                ),
            ));
        }
    }
}
