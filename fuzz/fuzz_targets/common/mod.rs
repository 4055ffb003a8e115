//! Fixture data shared by the fuzz targets (from `tests/fixtures`, built in).
#![allow(dead_code)]

use catchment::input::{InputDialect, parse_pupils, parse_schools};
use catchment::model::{Instance, Rules, SolverSettings};
use std::path::Path;

/// `tests/fixtures/changes`: schools A, B, C; six pupils with units and a lock.
pub const SCHOOLS_CSV: &str = include_str!("../../../tests/fixtures/changes/schools.csv");
/// The pupils of `tests/fixtures/changes`.
pub const PUPILS_CSV: &str = include_str!("../../../tests/fixtures/changes/pupils.csv");

/// The dialect chosen by the first byte of an input (`,`, `;`, tab), and the rest.
pub fn dialect_and_rest(data: &[u8]) -> (InputDialect, &[u8]) {
    match data.split_first() {
        Some((b, rest)) => {
            let delimiter = match b % 3 {
                0 => ',',
                1 => ';',
                _ => '\t',
            };
            (InputDialect { delimiter }, rest)
        }
        None => (InputDialect::default(), data),
    }
}

/// The fixture instance (changes fixture, default rules).
pub fn instance() -> Instance {
    let dialect = InputDialect::default();
    let (schools, _) = parse_schools(SCHOOLS_CSV.as_bytes(), Path::new("schools.csv"), &dialect).expect("fixture schools");
    let (pupils, _) = parse_pupils(PUPILS_CSV.as_bytes(), Path::new("pupils.csv"), &dialect, &schools).expect("fixture pupils");
    Instance {
        name: "fuzz".into(),
        schools,
        pupils,
        rules: Rules::default(),
        solver: SolverSettings::default(),
        sources: Vec::new(),
    }
}
