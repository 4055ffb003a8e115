//! A baseline (`pupil_id,school_id` or `unit_id,school_id`) from arbitrary bytes.
#![no_main]

mod common;

use catchment::input::parse_baseline;
use libfuzzer_sys::fuzz_target;
use std::path::Path;
use std::sync::OnceLock;

static INSTANCE: OnceLock<catchment::model::Instance> = OnceLock::new();

fuzz_target!(|data: &[u8]| {
    let mut instance = INSTANCE.get_or_init(common::instance).clone();
    let (dialect, bytes) = common::dialect_and_rest(data);
    if parse_baseline(bytes, Path::new("last-year.csv"), &dialect, &mut instance).is_ok() {
        let schools = instance.schools.len();
        assert!(instance.pupils.iter().all(|p| p.baseline_school.is_none_or(|s| s < schools)));
    }
});
