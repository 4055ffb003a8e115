//! Fixture data shared by the fuzz targets (from `tests/fixtures`, built in).
#![allow(dead_code)]

use catchment::input::{InputDialect, parse_pupils, parse_schools};
use catchment::model::{Instance, Rules, SolverSettings};
use std::path::Path;

/// `tests/fixtures/changes`: schools A, B, C; six pupils with units and a lock.
pub const SCHOOLS_CSV: &str = include_str!("../../../tests/fixtures/changes/schools.csv");
/// The pupils of `tests/fixtures/changes`.
pub const PUPILS_CSV: &str = include_str!("../../../tests/fixtures/changes/pupils.csv");

/// The dialect chosen by the first byte of an input, and the rest: bits 0-1
/// the delimiter (detected, `,`, `;`, tab), bits 2-3 the decimal mark
/// (detected, `.`, `,`), bits 4-5 the encoding (detected, UTF-8,
/// Windows-1252), bits 6-7 the coordinate system (WGS84, UTM 32N,
/// Gauss-Krüger 4, LAEA). `0` (0x30), the seeds' prefix, is all detected, WGS84.
pub fn dialect_and_rest(data: &[u8]) -> (InputDialect, &[u8]) {
    match data.split_first() {
        Some((&b, rest)) => {
            let dialect = InputDialect {
                delimiter: [None, Some(','), Some(';'), Some('\t')][usize::from(b & 3)],
                decimal: [None, Some('.'), Some(','), None][usize::from((b >> 2) & 3)],
                encoding: [None, Some("utf-8"), Some("windows-1252"), None][usize::from((b >> 4) & 3)].map(String::from),
                crs: [None, Some("EPSG:25832"), Some("EPSG:31468"), Some("EPSG:3035")][usize::from(b >> 6)].map(String::from),
                ..InputDialect::default()
            };
            (dialect, rest)
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
        ways: Default::default(),
    }
}
