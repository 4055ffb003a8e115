//! `pupils.csv` from arbitrary bytes in any input dialect (separator,
//! decimal mark, encoding, coordinate system), then the plausibility check
//! of every location against the fixture's schools.
#![no_main]

mod common;

use catchment::input::{check_locations, parse_pupils};
use libfuzzer_sys::fuzz_target;
use std::path::Path;
use std::sync::OnceLock;

static INSTANCE: OnceLock<catchment::model::Instance> = OnceLock::new();

fuzz_target!(|data: &[u8]| {
    let instance = INSTANCE.get_or_init(common::instance);
    let (dialect, bytes) = common::dialect_and_rest(data);
    if let Ok((pupils, _)) = parse_pupils(bytes, Path::new("pupils.csv"), &dialect, &instance.schools) {
        for p in &pupils {
            assert!(p.location.lat().abs() <= 90.0 && p.location.lon().abs() <= 180.0);
        }
        let paths = (Path::new("schools.csv"), Path::new("pupils.csv"));
        let _ = check_locations(&instance.schools, &pupils, paths, &dialect);
    }
});
