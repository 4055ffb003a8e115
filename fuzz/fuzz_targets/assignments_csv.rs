//! An assignment to audit (and a `schools.csv` result) from arbitrary
//! bytes, checked against the fixture by the independent checker.
#![no_main]

mod common;

use catchment::audit::check;
use catchment::input::{parse_assignments, parse_declared_classes};
use libfuzzer_sys::fuzz_target;
use std::path::Path;
use std::sync::OnceLock;

static INSTANCE: OnceLock<catchment::model::Instance> = OnceLock::new();

fuzz_target!(|data: &[u8]| {
    let instance = INSTANCE.get_or_init(common::instance);
    let (dialect, bytes) = common::dialect_and_rest(data);
    // The same bytes as an assignment and as a school table: whichever reads.
    let declared = parse_declared_classes(bytes, Path::new("schools.csv"), &dialect, instance).ok();
    if let Ok(rows) = parse_assignments(bytes, Path::new("assignments.csv"), &dialect) {
        let _ = check(instance, &rows, declared.as_deref());
    }
});
