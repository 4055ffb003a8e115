//! `schools.csv` from arbitrary bytes: an error or schools, never a panic.
#![no_main]

mod common;

use catchment::input::parse_schools;
use libfuzzer_sys::fuzz_target;
use std::path::Path;

fuzz_target!(|data: &[u8]| {
    let (dialect, bytes) = common::dialect_and_rest(data);
    if let Ok((schools, _)) = parse_schools(bytes, Path::new("schools.csv"), &dialect) {
        for s in &schools {
            assert!(s.min_classes <= s.max_classes);
        }
    }
});
