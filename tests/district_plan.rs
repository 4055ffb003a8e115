//! District-plan scenarios: pupils placed by the district that holds their
//! home, on hand-made geometry (fixture `plan`), lon/lat in degrees (not to
//! scale):
//!
//! ```text
//! 52.03 +-------------------C-------------------+
//!       |        p11 .              p12 .       |
//! 52.01 +-------------------+-------------------+
//!       | p01 .      A      |          B        |
//!       |         p02 .     p06 (on the A|B     |   p10 . (outside)
//! 52.00 p13 +--p05--+       |   border)  p07 .  |
//!       |   | hole: |       |                   |
//!       |   |C p04 .|       |         p08 .     |
//! 51.995|   +-------+  +----+----+              |
//!       |       p03 .  |p09 .  p14 .  (B, drawn |
//! 51.99 +--------------+----+----+--------------+
//!     11.59  11.595 11.6 11.605 11.61 11.615  11.63
//!                       51.985 +---------+ (B's second polygon
//!                                           reaches down to 51.985)
//! ```
//!
//! A's square has a hole (11.595..11.6 x 51.995..52.0) that is an island of
//! C's district. B has a second polygon (11.605..11.615 x 51.985..51.995)
//! drawn over A by mistake. Schools: A at (11.600, 52.005), B at (11.615,
//! 52.005), C at (11.610, 52.025).
//!
//! - p04 in the hole belongs to C; p05 on the hole's edge is on the A|C
//!   border, p06 on the A|B border (lon 11.61 exactly): the nearest school
//!   decides, A for p05 (582 m against 2.8 km), **B** for p06 (342 m
//!   against 686 m; "smallest school_id" would have said A).
//! - p13 on A's outer edge touches A alone: A.
//! - p09 lies in A and in B's second polygon: in two districts, not placed.
//! - p14 lies in both of B's polygons: one school, placed at B.
//! - p10 is in no district.

mod common;

use catchment::geometry::locate_pupils;
use catchment::report::ResultStatus;
use catchment::report::evaluate_scenario;
use catchment::scenario::load_scenario_with_districts;
use common::{fixture, names_in};
use serde_json::Value;
use std::path::Path;

fn ids(instance: &catchment::model::Instance, pupils: &[usize]) -> Vec<String> {
    pupils.iter().map(|&p| instance.pupils[p].id.to_string()).collect()
}

#[test]
fn every_pupil_goes_where_the_drawing_says() {
    let scenario = load_scenario_with_districts(&fixture("plan").join("scenario.toml")).unwrap();
    let (instance, plan) = (&scenario.instance, scenario.districts.as_ref().expect("a plan"));
    assert_eq!(plan.polygons.len(), 5, "A 1, B 2, C 2 (a MultiPolygon)");
    let lookup = locate_pupils(instance, plan);
    let placed: Vec<(String, String)> = instance
        .pupils
        .iter()
        .zip(&lookup.school_of)
        .map(|(p, s)| (p.id.to_string(), s.map_or("-".to_string(), |s| instance.schools[s].id.to_string())))
        .collect();
    let expected = [
        ("p01", "A"),
        ("p02", "A"),
        ("p03", "A"),
        ("p04", "C"),
        ("p05", "A"),
        ("p06", "B"),
        ("p07", "B"),
        ("p08", "B"),
        ("p09", "-"),
        ("p10", "-"),
        ("p11", "C"),
        ("p12", "C"),
        ("p13", "A"),
        ("p14", "B"),
    ];
    assert_eq!(placed, expected.map(|(p, s)| (p.to_string(), s.to_string())).to_vec());
    assert_eq!(ids(instance, &lookup.outside), vec!["p10"]);
    assert_eq!(lookup.overlapping.len(), 1);
    assert_eq!(ids(instance, &[lookup.overlapping[0].0]), vec!["p09"]);
    assert_eq!(lookup.overlapping[0].1, vec![0, 1], "A and B");
    let borders: Vec<(String, Vec<usize>, usize)> = lookup
        .on_border
        .iter()
        .map(|b| (instance.pupils[b.pupil].id.to_string(), b.touching.clone(), b.chosen))
        .collect();
    assert_eq!(
        borders,
        vec![("p05".to_string(), vec![0, 2], 0), ("p06".to_string(), vec![0, 1], 1)]
    );
}

#[test]
fn a_plan_is_checked_and_summarised_like_an_optimum() {
    let scenario = load_scenario_with_districts(&fixture("plan").join("scenario.toml")).unwrap();
    let evaluation = evaluate_scenario(&scenario).unwrap();
    assert_eq!(evaluation.summary.status, ResultStatus::DistrictPlan);
    assert!(evaluation.school_of().is_none(), "two pupils are not placed");
    // The independent checker names the two pupils the plan leaves out.
    let coverage: Vec<&str> = evaluation.summary.violations.iter().map(|v| v.subject.as_str()).collect();
    assert_eq!(coverage, vec!["p09", "p10"]);
    let rows = evaluation.school_rows.as_ref().unwrap();
    let assigned: Vec<u32> = rows.iter().map(|r| r.assigned).collect();
    assert_eq!(assigned, vec![5, 4, 3]);
    let findings = evaluation.summary.district_plan.as_ref().unwrap();
    assert_eq!(
        (
            findings.placed,
            findings.outside_count,
            findings.overlapping_count,
            findings.on_border_count
        ),
        (12, 1, 1, 2)
    );
}

fn run(args: &[&str], scenario: &Path, out: &Path) -> (i32, String, String) {
    let mut all: Vec<&std::ffi::OsStr> = vec!["solve".as_ref(), scenario.as_os_str(), "-o".as_ref(), out.as_os_str()];
    all.extend(args.iter().map(|a| std::ffi::OsStr::new(a)));
    common::run_catchment(all)
}

#[test]
fn solve_on_a_plan_writes_the_same_files_and_reports_every_pupil_left_out() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    let (code, stdout, stderr) = run(&[], &fixture("plan").join("scenario.toml"), &out);
    assert_eq!(code, 1, "violations of a plan are findings (exit 1)\n{stdout}\n{stderr}");
    assert!(stdout.contains("status     district_plan"), "{stdout}");
    assert!(
        stdout.contains("12 pupils placed, 1 outside every district, 1 in two districts, 2 on a border"),
        "{stdout}"
    );
    assert!(stdout.contains("outside    1 pupils in no district: p10"), "{stdout}");
    assert!(stdout.contains("overlap    1 pupils in two districts: p09 (A, B)"), "{stdout}");
    // The total way of a plan that leaves pupils out is marked partial.
    assert!(
        stdout.contains("total way  12.3 km, PARTIAL: the ways of 12 placed pupils only; 2 not placed"),
        "{stdout}"
    );
    // The violations are printed, counted per rule, each with its words.
    assert!(
        stdout.contains(
            "VIOLATIONS 2 (coverage 2; all in summary.json)\n  pupil `p09` is not assigned to any school\n  pupil `p10` is not assigned to any school\n"
        ),
        "{stdout}"
    );
    assert_eq!(
        names_in(&out),
        vec![
            "assignments.csv",
            "catchment-manifest.json",
            "district_issues.csv",
            "schools.csv",
            "summary.json"
        ]
    );
    assert_eq!(
        std::fs::read_to_string(out.join("district_issues.csv")).unwrap(),
        "pupil_id,issue,school_ids\np09,overlap,A B\np10,outside,\n"
    );
    let assignments = std::fs::read_to_string(out.join("assignments.csv")).unwrap();
    assert_eq!(assignments.lines().count(), 13, "header and the 12 placed pupils");
    assert!(assignments.contains("\np06,B,342.254,342.254\n"), "{assignments}");
    let summary: Value = serde_json::from_str(&std::fs::read_to_string(out.join("summary.json")).unwrap()).unwrap();
    assert_eq!(summary["status"], "district_plan");
    assert_eq!(summary["bound_m"], Value::Null);
    assert_eq!(summary["distances"]["pupils"], 12, "the ways counted: the placed pupils only");
    let plan = &summary["district_plan"];
    assert_eq!(plan["outside"], serde_json::json!(["p10"]));
    assert_eq!(
        plan["overlapping"],
        serde_json::json!([{"pupil_id": "p09", "school_ids": ["A", "B"]}])
    );
    assert_eq!(
        plan["on_border"][1],
        serde_json::json!({"pupil_id": "p06", "touching": ["A", "B"], "school_id": "B"})
    );
    assert!(plan["border_rule"].as_str().unwrap().contains("nearest"));
}

#[test]
fn a_complete_plan_writes_what_an_optimum_writes() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    let (code, stdout, stderr) = run(&[], &fixture("plan").join("complete.toml"), &out);
    assert_eq!(code, 0, "{stdout}\n{stderr}");
    assert_eq!(
        names_in(&out),
        vec!["assignments.csv", "catchment-manifest.json", "schools.csv", "summary.json"]
    );
    // The same inputs give the same bytes.
    let again = tmp.path().join("again");
    run(&[], &fixture("plan").join("complete.toml"), &again);
    for name in ["assignments.csv", "schools.csv"] {
        assert_eq!(
            std::fs::read(out.join(name)).unwrap(),
            std::fs::read(again.join(name)).unwrap(),
            "{name}"
        );
    }
}

#[test]
fn a_plan_naming_an_unknown_school_is_an_input_error() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    let (code, _, stderr) = run(&[], &fixture("plan").join("bad_school.toml"), &out);
    assert_eq!(code, 2, "{stderr}");
    assert!(!out.exists());
    let file = fixture("plan").join("bad_school.geojson").display().to_string();
    for part in [
        file.as_str(),
        "feature 2 (school_id `Z`)",
        "school `Z` is not in the schools file",
        "(A, B, C)",
    ] {
        assert!(stderr.contains(part), "lacks {part:?}: {stderr}");
    }
}

#[test]
fn a_plan_in_projected_coordinates_is_an_input_error() {
    let tmp = tempfile::tempdir().unwrap();
    let (code, _, stderr) = run(&[], &fixture("plan").join("bad_projected.toml"), &tmp.path().join("out"));
    assert_eq!(code, 2, "{stderr}");
    assert!(
        stderr.contains("feature 1 (school_id `A`): position [645000, 5763000] is not a longitude, latitude"),
        "{stderr}"
    );
    assert!(stderr.contains("EPSG:4326"), "{stderr}");
}

#[test]
fn a_plan_that_places_nobody_prints_ten_violations_and_counts_the_rest() {
    // One district far from every home: all 14 pupils of the fixture are
    // outside it, 14 coverage violations; ten are named, four counted.
    let scenario = catchment::scenario::load_scenario(&fixture("plan").join("scenario.toml")).unwrap();
    let far_away = br#"{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"school_id":"A"},
        "geometry":{"type":"Polygon","coordinates":[[[0.0,0.0],[0.001,0.0],[0.001,0.001],[0.0,0.001],[0.0,0.0]]]}}]}"#;
    let plan = catchment::input::parse_district_plan(far_away, Path::new("far.geojson"), &scenario.schools).unwrap();
    let evaluation = catchment::report::evaluate_plan(&scenario, &plan);
    let text = catchment::report::human_summary(&evaluation.summary);
    assert!(text.contains("VIOLATIONS 14 (coverage 14; all in summary.json)\n"), "{text}");
    assert_eq!(text.matches("is not assigned to any school").count(), 10, "{text}");
    assert!(text.contains("  ... and 4 more\n"), "{text}");
    assert!(!text.contains("total way"), "nobody placed, no way to show: {text}");
}
