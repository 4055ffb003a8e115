//! A distance matrix (`pupil_id|unit_id,school_id,distance_m`) from arbitrary bytes.
#![no_main]

mod common;

use catchment::input::parse_way_matrix;
use libfuzzer_sys::fuzz_target;
use std::path::Path;
use std::sync::OnceLock;

static INSTANCE: OnceLock<catchment::model::Instance> = OnceLock::new();

fuzz_target!(|data: &[u8]| {
    let instance = INSTANCE.get_or_init(common::instance);
    let (dialect, bytes) = common::dialect_and_rest(data);
    if let Ok(table) = parse_way_matrix(bytes, Path::new("distances.csv"), &dialect, instance) {
        assert!(table.listed() <= instance.pupils.len() * instance.schools.len());
    }
});
