//! `schools.xlsx` / `pupils.ods` from arbitrary bytes: the spreadsheet
//! reader (calamine), then the schools and pupils readers on its sheet.
#![no_main]

mod common;

use catchment::input::{parse_pupils, parse_schools};
use libfuzzer_sys::fuzz_target;
use std::path::Path;
use std::sync::OnceLock;

static INSTANCE: OnceLock<catchment::model::Instance> = OnceLock::new();

fuzz_target!(|data: &[u8]| {
    let instance = INSTANCE.get_or_init(common::instance);
    let dialect = catchment::input::InputDialect::default();
    let _ = parse_schools(data, Path::new("schools.xlsx"), &dialect);
    if let Ok((pupils, _)) = parse_pupils(data, Path::new("pupils.ods"), &dialect, &instance.schools) {
        assert!(pupils.iter().all(|p| p.fixed_school.is_none_or(|s| s < instance.schools.len())));
    }
});
