//! Helpers shared by the integration tests: an independent haversine, and a
//! builder for small instances laid out on one meridian, where the distance
//! between two points is simply R * (difference of latitudes in radians).
#![allow(dead_code)]

use catchment::model::{AssignMode, Instance, Location, MigrationBasis, Pupil, PupilId, Rules, School, SchoolId, SolverSettings, UnitId};
use std::path::{Path, PathBuf};

/// Mean Earth radius used by the project, in metres.
pub const R: f64 = 6_371_008.8;

/// Latitude of position 0 of the meridian layout.
pub const LAT0: f64 = 52.0;
/// Longitude of the meridian layout.
pub const LON0: f64 = 11.6;
/// One step of the meridian layout, in degrees of latitude.
pub const STEP_DEG: f64 = 0.0001;

/// Metres of one step along the meridian: R * 0.0001 deg in radians = 11.1195080 m.
pub fn step_m() -> f64 {
    R * STEP_DEG.to_radians()
}

/// Metres of `steps` steps along the meridian.
pub fn steps_m(steps: f64) -> f64 {
    steps * step_m()
}

/// Great-circle distance by the haversine formula, written out by hand.
pub fn haversine_m(lat1: f64, lon1: f64, lat2: f64, lon2: f64) -> f64 {
    let (p1, p2) = (lat1.to_radians(), lat2.to_radians());
    let dp = (lat2 - lat1).to_radians();
    let dl = (lon2 - lon1).to_radians();
    let h = (dp / 2.0).sin().powi(2) + p1.cos() * p2.cos() * (dl / 2.0).sin().powi(2);
    2.0 * R * h.sqrt().min(1.0).asin()
}

/// Haversine between two library locations.
pub fn dist(a: &Location, b: &Location) -> f64 {
    haversine_m(a.lat(), a.lon(), b.lat(), b.lon())
}

/// A point at `pos` steps north of LAT0 on the meridian LON0.
pub fn on_meridian(pos: f64) -> Location {
    Location::new(LAT0 + pos * STEP_DEG, LON0).unwrap()
}

/// A school with `classes` classes (min = max = classes) on the meridian.
pub fn school(id: &str, pos: f64, classes: u32, share: f64) -> School {
    School {
        id: SchoolId(id.to_string()),
        name: format!("School {id}"),
        location: on_meridian(pos),
        classes,
        min_classes: classes,
        max_classes: classes,
        reserved_seats: 0,
        prev_migration_share: share,
    }
}

/// A pupil on the meridian.
pub fn pupil(id: &str, pos: f64, migrant: bool) -> Pupil {
    Pupil {
        id: PupilId(id.to_string()),
        location: on_meridian(pos),
        migrant,
        unit: None,
        address: None,
        fixed_school: None,
        sibling_school: None,
        baseline_school: None,
    }
}

/// A pupil of a unit.
pub fn unit_pupil(id: &str, pos: f64, unit: &str) -> Pupil {
    Pupil {
        unit: Some(UnitId(unit.to_string())),
        ..pupil(id, pos, false)
    }
}

/// An instance with default solver settings.
pub fn instance(schools: Vec<School>, pupils: Vec<Pupil>, rules: Rules) -> Instance {
    Instance {
        name: "test".into(),
        schools,
        pupils,
        rules,
        solver: SolverSettings::default(),
        sources: Vec::new(),
        ways: Default::default(),
    }
}

/// Rules with the given sizes and basis, everything else at its default.
pub fn rules(class_size: u32, reduced: u32, basis: MigrationBasis) -> Rules {
    Rules {
        class_size,
        reduced_class_size: reduced,
        migration_basis: basis,
        ..Rules::default()
    }
}

/// Rules for unit assignment.
pub fn unit_rules(class_size: u32) -> Rules {
    Rules {
        assign: AssignMode::Units,
        ..rules(class_size, class_size, MigrationBasis::PreviousYear)
    }
}

/// Pupil ids per school id, in pupil order, from a school-per-pupil map.
pub fn by_school(instance: &Instance, school_of: &[usize]) -> Vec<(String, Vec<String>)> {
    instance
        .schools
        .iter()
        .enumerate()
        .map(|(s, school)| {
            let pupils = instance
                .pupils
                .iter()
                .zip(school_of)
                .filter(|(_, x)| **x == s)
                .map(|(p, _)| p.id.to_string())
                .collect();
            (school.id.to_string(), pupils)
        })
        .collect()
}

/// The total way of an assignment, by the test's own haversine.
pub fn total_way(instance: &Instance, school_of: &[usize]) -> f64 {
    instance
        .pupils
        .iter()
        .zip(school_of)
        .map(|(p, &s)| dist(&p.location, &instance.schools[s].location))
        .sum()
}

/// The folder of a fixture.
pub fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures").join(name)
}

/// Asserts `a` equals `b` within `tol`, with a message.
#[track_caller]
pub fn assert_close(a: f64, b: f64, tol: f64, what: &str) {
    assert!((a - b).abs() <= tol, "{what}: got {a}, expected {b} (tolerance {tol})");
}

/// File names in a folder, sorted.
pub fn names_in(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

/// Runs the built `catchment` binary with `args` (in the folder `cwd`, when
/// given) and returns its exit code (-1 if killed), stdout and stderr.
pub fn run_catchment_in<I, S>(cwd: Option<&Path>, args: I) -> (i32, String, String)
where
    I: IntoIterator<Item = S>,
    S: AsRef<std::ffi::OsStr>,
{
    let mut command = assert_cmd::Command::cargo_bin("catchment").expect("the catchment binary is built");
    if let Some(cwd) = cwd {
        command.current_dir(cwd);
    }
    let output = command.args(args).output().expect("the catchment binary runs");
    (
        output.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

/// [`run_catchment_in`] in the current folder.
pub fn run_catchment<I, S>(args: I) -> (i32, String, String)
where
    I: IntoIterator<Item = S>,
    S: AsRef<std::ffi::OsStr>,
{
    run_catchment_in(None, args)
}

/// pupil id -> school id of a result folder's `assignments.csv`.
pub fn assignment_in(out: &Path) -> std::collections::BTreeMap<String, String> {
    csv::Reader::from_path(out.join("assignments.csv"))
        .unwrap()
        .deserialize::<std::collections::BTreeMap<String, String>>()
        .map(|row| {
            let row = row.unwrap();
            (row["pupil_id"].clone(), row["school_id"].clone())
        })
        .collect()
}

/// Runs `catchment solve SCENARIO -o OUT EXTRA...`; exit code, stdout, stderr.
pub fn solve_into(scenario: &Path, out: &Path, extra: &[&str]) -> (i32, String, String) {
    let mut args = vec![
        "solve".to_string(),
        scenario.display().to_string(),
        "-o".into(),
        out.display().to_string(),
    ];
    args.extend(extra.iter().map(|a| a.to_string()));
    run_catchment(args)
}
