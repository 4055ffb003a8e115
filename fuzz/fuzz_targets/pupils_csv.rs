//! `pupils.csv` from arbitrary bytes, against the fixture's schools.
#![no_main]

mod common;

use catchment::input::parse_pupils;
use libfuzzer_sys::fuzz_target;
use std::path::Path;
use std::sync::OnceLock;

static INSTANCE: OnceLock<catchment::model::Instance> = OnceLock::new();

fuzz_target!(|data: &[u8]| {
    let instance = INSTANCE.get_or_init(common::instance);
    let (dialect, bytes) = common::dialect_and_rest(data);
    if let Ok((pupils, _)) = parse_pupils(bytes, Path::new("pupils.csv"), &dialect, &instance.schools) {
        for p in &pupils {
            assert!(p.fixed_school.is_none_or(|s| s < instance.schools.len()));
        }
    }
});
