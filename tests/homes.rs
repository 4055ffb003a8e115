//! `assign = "homes"`: pupils at one address (or one point) go to one school.
//! A hand-computed fixture, the address columns' errors, and the round trip a
//! council relies on: the districts written for a result, read back as a
//! district plan, place every pupil at the same school (exit 0), for homes
//! and for units, on the bundled city and on generated cities.

mod common;

use common::{assert_close, assignment_in as assignment, fixture, haversine_m, run_catchment, solve_into as solve};
use std::path::Path;

/// `summary.json` of a result folder.
fn summary(out: &Path) -> serde_json::Value {
    serde_json::from_str(&std::fs::read_to_string(out.join("summary.json")).unwrap()).unwrap()
}

/// A scenario file in `dir` that takes `base` and adds `lines`.
fn derived_scenario(dir: &Path, name: &str, base: &Path, lines: &str) -> std::path::PathBuf {
    let path = dir.join(name);
    let text = format!("name = \"{name}\"\nbase = {:?}\n{lines}\n", base.display().to_string());
    std::fs::write(&path, text).unwrap();
    path
}

// Fixture `homes`: A (52.000, 11.600) and B (52.010, 11.600), 3 seats each.
// a1 lives next to A, b1 next to B, and h1, h2 (52.0040) and h3 (52.0041,
// `Abendstr.` for `Abendstraße`, `3 ` for `3`) share the address Abendstraße 3.
const A: (f64, f64) = (52.0, 11.6);
const B: (f64, f64) = (52.01, 11.6);
const A1: (f64, f64) = (52.0005, 11.6005);
const H: (f64, f64) = (52.004, 11.6);
const H3: (f64, f64) = (52.0041, 11.6);
const B1: (f64, f64) = (52.0095, 11.5995);

fn d(p: (f64, f64), q: (f64, f64)) -> f64 {
    haversine_m(p.0, p.1, q.0, q.1)
}

#[test]
fn one_address_goes_to_one_school() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    let (code, stdout, stderr) = solve(&fixture("homes").join("scenario.toml"), &out, &[]);
    assert_eq!(code, 0, "{stdout}{stderr}");
    // The home to A needs a1 at B (A has 3 seats); the home to B would need
    // b1 at A. Home to A: 2 d(H,A) + d(H3,A) + d(a1,B) + d(b1,B).
    let home_to_a = 2.0 * d(H, A) + d(H3, A) + d(A1, B) + d(B1, B);
    let home_to_b = 2.0 * d(H, B) + d(H3, B) + d(A1, A) + d(B1, A);
    assert!(home_to_a < home_to_b - 500.0);
    let s = summary(&out);
    assert_eq!(s["status"], "optimal");
    assert_close(s["objective_m"].as_f64().unwrap(), home_to_a, 0.003, "objective_m");
    let school_of = assignment(&out);
    for (pupil, school) in [("h1", "A"), ("h2", "A"), ("h3", "A"), ("a1", "B"), ("b1", "B")] {
        assert_eq!(school_of[pupil], school, "{pupil}");
    }
}

#[test]
fn per_pupil_the_same_address_is_split() {
    let tmp = tempfile::tempdir().unwrap();
    let scenario = derived_scenario(
        tmp.path(),
        "pupils.toml",
        &fixture("homes").join("scenario.toml"),
        "[rules]\nassign = \"pupils\"",
    );
    let out = tmp.path().join("out");
    let (code, stdout, stderr) = solve(&scenario, &out, &[]);
    assert_eq!(code, 0, "{stdout}{stderr}");
    // a1 and two of the home at A, the third (h3, farther from A) at B with b1.
    let split = d(A1, A) + 2.0 * d(H, A) + d(H3, B) + d(B1, B);
    assert_close(summary(&out)["objective_m"].as_f64().unwrap(), split, 0.003, "objective_m");
    let school_of = assignment(&out);
    assert_eq!(school_of["h3"], "B");
    assert_eq!(school_of["a1"], "A");
}

#[test]
fn a_street_without_a_house_number_is_an_input_error() {
    let tmp = tempfile::tempdir().unwrap();
    for name in ["schools.csv", "scenario.toml"] {
        std::fs::copy(fixture("homes").join(name), tmp.path().join(name)).unwrap();
    }
    let pupils = std::fs::read_to_string(fixture("homes").join("pupils.csv")).unwrap();
    std::fs::write(tmp.path().join("pupils.csv"), pupils.replace("Morgenweg,11a", "Morgenweg,")).unwrap();
    let (code, _, stderr) = solve(&tmp.path().join("scenario.toml"), &tmp.path().join("out"), &[]);
    assert_eq!(code, 2, "{stderr}");
    assert!(stderr.contains("pupils.csv") && stderr.contains("line 6"), "{stderr}");
    assert!(stderr.contains("house number for street `Morgenweg`"), "{stderr}");
    assert!(!tmp.path().join("out").exists());
}

#[test]
fn one_home_locked_to_two_schools_is_an_input_error() {
    let tmp = tempfile::tempdir().unwrap();
    std::fs::copy(fixture("homes").join("schools.csv"), tmp.path().join("schools.csv")).unwrap();
    std::fs::copy(fixture("homes").join("scenario.toml"), tmp.path().join("scenario.toml")).unwrap();
    let pupils = "pupil_id,lat,lon,migration_background,street,house_number,fixed_school\n\
                  p1,52.0040,11.6000,0,Abendstraße,3,A\n\
                  p2,52.0041,11.6000,0,abendstrasse,3,B\n";
    std::fs::write(tmp.path().join("pupils.csv"), pupils).unwrap();
    let (code, _, stderr) = solve(&tmp.path().join("scenario.toml"), &tmp.path().join("out"), &[]);
    assert_eq!(code, 2, "{stderr}");
    assert!(stderr.contains("`p1` and `p2` live at one home"), "{stderr}");
}

/// Solves `scenario` with `--districts`, evaluates the written districts as a
/// plan under the same rules, and asserts exit 0 and the same assignment.
fn assert_round_trip(dir: &Path, scenario: &Path, assign: &str) {
    let rules = format!("[rules]\nassign = \"{assign}\"");
    let optimised = derived_scenario(dir, &format!("{assign}.toml"), scenario, &rules);
    let out = dir.join(format!("{assign}-solved"));
    let (code, stdout, stderr) = solve(&optimised, &out, &["--districts"]);
    assert_eq!(code, 0, "{stdout}{stderr}");
    let plan_lines = format!("districts = {:?}\n{rules}", out.join("districts.geojson").display().to_string());
    let plan = derived_scenario(dir, &format!("{assign}-plan.toml"), scenario, &plan_lines);
    let back = dir.join(format!("{assign}-plan"));
    let (code, stdout, stderr) = solve(&plan, &back, &[]);
    assert_eq!(code, 0, "{assign}: the written districts evaluated as a plan: {stdout}{stderr}");
    assert!(stdout.contains("0 outside every district, 0 in two districts"), "{stdout}");
    assert_eq!(
        assignment(&back),
        assignment(&out),
        "{assign}: the plan places pupils as the optimum did"
    );
}

#[test]
fn written_districts_read_back_as_the_same_assignment_on_the_bundled_city() {
    let tmp = tempfile::tempdir().unwrap();
    let bundled = Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/magdeburg.toml");
    assert_round_trip(tmp.path(), &bundled, "homes");
    assert_round_trip(tmp.path(), &bundled, "units");
}

#[test]
fn written_districts_read_back_as_the_same_assignment_on_generated_cities() {
    for seed in ["7", "8", "9"] {
        let tmp = tempfile::tempdir().unwrap();
        let city = tmp.path().join("city");
        let (code, _, stderr) = run_catchment(["generate", "--seed", seed, "--pupils", "600", "-o", city.to_str().unwrap()]);
        assert_eq!(code, 0, "{stderr}");
        assert_round_trip(tmp.path(), &city.join("scenario.toml"), "homes");
        assert_round_trip(tmp.path(), &city.join("scenario.toml"), "units");
    }
}

#[test]
fn the_audit_finds_a_split_address_and_a_split_point() {
    // h1 and h2 share a point and an address; h3 only the address. Sending h2
    // to B splits the point and the address; h3 to B splits only the address.
    let tmp = tempfile::tempdir().unwrap();
    let cases = [
        ("h2", vec!["address `Abendstraße 3`", "the home of pupil `h1`"]),
        ("h3", vec!["address `Abendstraße 3`"]),
    ];
    for (moved, expected) in cases {
        let csv = tmp.path().join(format!("{moved}.csv"));
        let mut rows = String::from("pupil_id,school_id\na1,B\nb1,B\n");
        for h in ["h1", "h2", "h3"] {
            rows.push_str(&format!("{h},{}\n", if h == moved { "B" } else { "A" }));
        }
        std::fs::write(&csv, rows).unwrap();
        let scenario = fixture("homes").join("scenario.toml");
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
        let subjects: Vec<&str> = json["violations"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|v| v["rule"] == "home")
            .map(|v| v["subject"].as_str().unwrap())
            .collect();
        assert_eq!(subjects, expected, "{moved} moved: {stdout}");
    }
}
