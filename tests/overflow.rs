//! Counts from input never wrap around: a huge `reserved_seats` or class
//! plan is counted in 64 bits by the checker.

mod common;

use catchment::audit::{self, Rule};
use catchment::model::MigrationBasis;
use common::{instance, pupil, rules, school};

#[test]
fn the_largest_reserved_seats_make_a_school_over_capacity_not_compliant() {
    // 6 pupils at a school of 1 class of 17 with u32::MAX reserved seats:
    // 4,294,967,301 seats wanted, 17 there. In 32 bits the sum wraps to 5.
    let mut s = school("A", 0.0, 1, 0.3);
    s.reserved_seats = u32::MAX;
    let pupils = (0..6).map(|i| pupil(&format!("p{i}"), i as f64, false)).collect();
    let inst = instance(vec![s], pupils, rules(22, 17, MigrationBasis::PreviousYear));
    let report = audit::check(&inst, &audit::assignment_rows(&inst, &[0; 6]), None);
    let capacity: Vec<_> = report.violations.iter().filter(|v| v.rule == Rule::Capacity).collect();
    assert_eq!(capacity.len(), 1, "{:?}", report.violations);
    assert!(capacity[0].message.contains("4294967284 over"), "{}", capacity[0].message);
}

#[test]
fn a_huge_class_plan_is_counted_in_64_bits() {
    // max_classes = u32::MAX: the fewest classes that fit 6 pupils is 1,
    // and the capacity of u32::MAX classes of 22 does not wrap.
    let mut s = school("A", 0.0, 1, 0.0);
    s.classes = u32::MAX;
    s.max_classes = u32::MAX;
    s.min_classes = u32::MAX;
    let pupils = (0..6).map(|i| pupil(&format!("p{i}"), i as f64, false)).collect();
    let inst = instance(vec![s], pupils, rules(22, 17, MigrationBasis::PreviousYear));
    let report = audit::check(&inst, &audit::assignment_rows(&inst, &[0; 6]), None);
    assert_eq!(report.schools[0].capacity, u64::from(u32::MAX) * 22);
    assert!(report.violations.iter().all(|v| v.rule != Rule::Capacity));
}
