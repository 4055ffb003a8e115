//! Balance rules (`max_share_deviation`, `max_migration_share`): a hand
//! case solved exactly, the checker's finding on an unbalanced assignment,
//! and bad values refused. (Random tiny cases against enumeration: tests/enumeration.rs.)

mod common;

use common::{assert_close, fixture, haversine_m, run_catchment};

fn solve(scenario: &std::path::Path, out: &std::path::Path) -> (i32, String, String) {
    run_catchment(["solve", scenario.to_str().unwrap(), "-o", out.to_str().unwrap()])
}

#[test]
fn the_deviation_bound_mixes_the_schools_at_least_cost() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    let (code, stdout, stderr) = solve(&fixture("balance").join("scenario.toml"), &out);
    assert_eq!(code, 0, "{stdout}{stderr}");
    let d = |lat: f64, school: f64| haversine_m(lat, 11.6, school, 11.6);
    // One migrant and one other pupil per school; the cheapest exchange sends
    // m2 (52.002) to B and n1 (52.008) to A.
    let expected = d(52.001, 52.0) + d(52.008, 52.0) + d(52.002, 52.01) + d(52.009, 52.01);
    let summary: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(out.join("summary.json")).unwrap()).unwrap();
    assert_eq!(summary["status"], "optimal");
    assert_close(summary["objective_m"].as_f64().unwrap(), expected, 0.003, "objective_m");
    assert_eq!(summary["segregation"]["max_share_deviation"], 0.0);
    let assignments = std::fs::read_to_string(out.join("assignments.csv")).unwrap();
    assert!(assignments.contains("m2,B,") && assignments.contains("n1,A,"), "{assignments}");
}

#[test]
fn the_checker_names_a_school_beyond_the_bounds() {
    let tmp = tempfile::tempdir().unwrap();
    let csv = tmp.path().join("nearest.csv");
    std::fs::write(&csv, "pupil_id,school_id\nm1,A\nm2,A\nn1,B\nn2,B\n").unwrap();
    let scenario = fixture("balance").join("scenario.toml");
    let (code, stdout, stderr) = run_catchment([
        "audit",
        "--scenario",
        scenario.to_str().unwrap(),
        "--assignments",
        csv.to_str().unwrap(),
        "--format",
        "json",
    ]);
    assert_eq!(code, 1, "{stdout}{stderr}");
    let json: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    let balance: Vec<&str> = json["violations"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|v| v["rule"] == "balance")
        .map(|v| v["message"].as_str().unwrap())
        .collect();
    assert_eq!(balance.len(), 2, "{stdout}");
    assert!(
        balance[0].contains("school A: 2 of 2 pupils") && balance[0].contains("0.5000 from the city's 0.5000"),
        "{balance:?}"
    );
}

/// The `balance` fixture in a temporary folder, its deviation bound replaced by `rule`.
fn fixture_with(rule: &str) -> (tempfile::TempDir, std::path::PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    for name in ["schools.csv", "pupils.csv"] {
        std::fs::copy(fixture("balance").join(name), tmp.path().join(name)).unwrap();
    }
    let text = std::fs::read_to_string(fixture("balance").join("scenario.toml")).unwrap();
    let scenario = tmp.path().join("scenario.toml");
    std::fs::write(&scenario, text.replace("max_share_deviation = 0.25", rule)).unwrap();
    (tmp, scenario)
}

#[test]
fn a_share_bound_outside_zero_to_one_is_an_input_error() {
    let (tmp, scenario) = fixture_with("max_migration_share = 1.5");
    let (code, _, stderr) = solve(&scenario, &tmp.path().join("out"));
    assert_eq!(code, 2, "{stderr}");
    assert!(stderr.contains("max_migration_share = 1.5 must be a share"), "{stderr}");
}

#[test]
fn a_city_share_above_the_cap_is_explained_as_infeasible() {
    let (tmp, scenario) = fixture_with("max_migration_share = 0.2");
    let (code, stdout, stderr) = solve(&scenario, &tmp.path().join("out"));
    assert_eq!(code, 0, "an infeasible instance is a result: {stderr}");
    assert!(stdout.contains("status     infeasible"), "{stdout}");
    assert!(
        stdout.contains("the city's migration share is 0.5000, above the 0.2000 that max_migration_share allows"),
        "{stdout}"
    );
}
