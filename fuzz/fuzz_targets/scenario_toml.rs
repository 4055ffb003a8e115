//! A scenario (TOML, with bases and `[[change]]` entries) from arbitrary
//! bytes, loaded in a folder holding the `changes` fixture's files: an
//! error or a scenario, never a panic or a hang.
#![no_main]

use catchment::input::parse_scenario_file;
use catchment::scenario::load_scenario_with_districts;
use libfuzzer_sys::fuzz_target;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

/// Files a fuzzed scenario may name, by name in its folder.
const FILES: [(&str, &str); 7] = [
    ("schools.csv", include_str!("../../tests/fixtures/changes/schools.csv")),
    ("pupils.csv", include_str!("../../tests/fixtures/changes/pupils.csv")),
    ("forecast.csv", include_str!("../../tests/fixtures/changes/forecast.csv")),
    ("base.toml", include_str!("../../tests/fixtures/changes/base.toml")),
    ("area.geojson", include_str!("../../tests/fixtures/changes/area.geojson")),
    ("plan.geojson", include_str!("../../tests/fixtures/plan/plan.geojson")),
    ("last-year.csv", include_str!("../../tests/fixtures/stability/last-year.csv")),
];

static FOLDER: OnceLock<(tempfile::TempDir, PathBuf)> = OnceLock::new();

fn folder() -> &'static Path {
    let (_, path) = FOLDER.get_or_init(|| {
        let dir = tempfile::tempdir().expect("a temporary folder");
        for (name, text) in FILES {
            std::fs::write(dir.path().join(name), text).expect("fixture written");
        }
        let path = dir.path().to_path_buf();
        (dir, path)
    });
    path
}

fuzz_target!(|data: &[u8]| {
    let scenario = folder().join("scenario.toml");
    let _ = parse_scenario_file(data, &scenario);
    std::fs::write(&scenario, data).expect("scenario written");
    if let Ok(loaded) = load_scenario_with_districts(&scenario) {
        assert!(loaded.instance.rules.check().is_ok());
        assert!(loaded.instance.solver.check().is_ok());
    }
});
