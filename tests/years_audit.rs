//! `catchment audit S.toml DIR` on the folder a multi-year solve wrote: a
//! good plan passes; hand-edited files (a class too many, classes stated
//! twice differently, a sibling moved, a sibling price misstated, a pupil
//! moved to a full school) are caught with the right message and exit 1;
//! a missing year folder is exit 2.

mod common;

use common::{fixture, run_catchment, solve_into};
use std::path::{Path, PathBuf};

/// Solves `fixture/scenario` into a temporary folder; returns it (kept
/// alive) and the output folder.
fn solved(fixture_name: &str, scenario: &str) -> (tempfile::TempDir, PathBuf, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    let scenario = fixture(fixture_name).join(scenario);
    let (code, stdout, stderr) = solve_into(&scenario, &out, &[]);
    assert_eq!(code, 0, "{stdout}\n{stderr}");
    (dir, scenario, out)
}

fn audit(scenario: &Path, out: &Path, extra: &[&str]) -> (i32, String, String) {
    let mut args = vec!["audit".to_string(), scenario.display().to_string(), out.display().to_string()];
    args.extend(extra.iter().map(|s| s.to_string()));
    run_catchment(args)
}

/// Replaces `from` by `to` in `file` (which must hold it).
fn edit(file: &Path, from: &str, to: &str) {
    let text = std::fs::read_to_string(file).unwrap();
    assert!(text.contains(from), "{}: no `{from}` in\n{text}", file.display());
    std::fs::write(file, text.replacen(from, to, 1)).unwrap();
}

#[test]
fn good_plans_pass_with_every_year_and_the_rules_across_years() {
    for (name, scenario) in [
        ("years", "scenario.toml"),
        ("years_siblings", "hard.toml"),
        ("years_siblings", "weight_small.toml"),
    ] {
        let (_dir, scenario, out) = solved(name, scenario);
        let (code, stdout, stderr) = audit(&scenario, &out, &[]);
        assert_eq!(code, 0, "{name}: {stdout}\n{stderr}");
        assert!(stdout.contains("Compliant: 2 years"), "{stdout}");
        assert!(stdout.contains("## Year 2026") && stdout.contains("## Year 2027"), "{stdout}");
        let (code, json, _) = audit(&scenario, &out, &["--format", "json"]);
        assert_eq!(code, 0);
        let json: serde_json::Value = serde_json::from_str(&json).unwrap();
        assert_eq!(json["schema"], "catchment-audit-years/1");
        assert_eq!(json["compliant"], true);
        assert_eq!(json["years"][1]["label"], "2027");
        assert_eq!(json["years"][1]["report"]["schema"], "catchment-audit/1");
        let rules = json["across_years"]["rules_checked"].as_array().unwrap();
        assert_eq!(rules.len(), if name == "years" { 1 } else { 2 }, "{json}");
    }
}

#[test]
fn a_class_too_many_is_a_rooms_violation_with_its_numbers() {
    // A has 1 room and opens a class in 2027; a class stated (and declared)
    // at A in 2026 as well stays in 2027: 2 classes in use there.
    let (_dir, scenario, out) = solved("years", "scenario.toml");
    edit(&out.join("years.csv"), "A,2026,0,0,1", "A,2026,1,1,1");
    edit(&out.join("year-2026/schools.csv"), "A,0,2,0,", "A,1,2,2,");
    let (code, stdout, stderr) = audit(&scenario, &out, &[]);
    assert_eq!(code, 1, "{stdout}\n{stderr}");
    assert!(stdout.contains("- school A, year 2027: 2 classes in use, 1 rooms"), "{stdout}");
    assert!(stdout.contains("Not compliant: 1 violations"), "{stdout}");
    let (code, json, _) = audit(&scenario, &out, &["--format", "json"]);
    assert_eq!(code, 1);
    let json: serde_json::Value = serde_json::from_str(&json).unwrap();
    let violations = json["across_years"]["violations"].as_array().unwrap();
    assert_eq!(violations.len(), 1, "{json}");
    assert_eq!(
        (violations[0]["rule"].as_str(), violations[0]["subject"].as_str()),
        (Some("rooms"), Some("A"))
    );
}

#[test]
fn classes_stated_in_years_csv_must_be_the_years_declared_classes() {
    // Only years.csv claims the extra class: named, and counted in the rooms.
    let (_dir, scenario, out) = solved("years", "scenario.toml");
    edit(&out.join("years.csv"), "A,2026,0,0,1", "A,2026,1,1,1");
    let (code, stdout, _) = audit(&scenario, &out, &[]);
    assert_eq!(code, 1, "{stdout}");
    assert!(
        stdout.contains("- school A, year 2026: years.csv states 1 classes opened, year-2026/schools.csv declares 0"),
        "{stdout}"
    );
    assert!(stdout.contains("- school A, year 2027: 2 classes in use, 1 rooms"), "{stdout}");
    // A row missing from years.csv is named too.
    let (_dir, scenario, out) = solved("years", "scenario.toml");
    edit(&out.join("years.csv"), "B,2027,0,1,,0,0.0000,2\n", "");
    let (code, stdout, _) = audit(&scenario, &out, &[]);
    assert_eq!(code, 1, "{stdout}");
    assert!(stdout.contains("years.csv has no row for school B, year 2027"), "{stdout}");
}

#[test]
fn a_sibling_moved_away_from_its_older_sibling_breaks_siblings_hard() {
    let (_dir, scenario, out) = solved("years_siblings", "hard.toml");
    edit(&out.join("year-2027/assignments.csv"), "y1,B,22.239,22.239", "y1,A,88.956,88.956");
    let (code, stdout, stderr) = audit(&scenario, &out, &[]);
    assert_eq!(code, 1, "{stdout}\n{stderr}");
    assert!(
        stdout.contains(
            "- pupil `y1` (year 2027) is at school A, its older sibling `o1` (year 2026) at school B; siblings_hard puts siblings at one school"
        ),
        "{stdout}"
    );
    assert!(stdout.contains("Not compliant: 1 violations"), "only the pair: {stdout}");
}

#[test]
fn a_misstated_sibling_price_is_recomputed_from_the_assignments() {
    // weight 5 m: the plan keeps o1 (A) and y1 (B) apart and states 5 m;
    // moved to A, y1 joins o1, so the price is 0 m.
    let (_dir, scenario, out) = solved("years_siblings", "weight_small.toml");
    edit(&out.join("year-2027/assignments.csv"), "y1,B,22.239,22.239", "y1,A,88.956,88.956");
    let (code, stdout, _) = audit(&scenario, &out, &[]);
    assert_eq!(code, 1, "{stdout}");
    assert!(
        stdout.contains(
            "- summary.json states a sibling price of 5.000 m, but 0 of 1 sibling pairs are apart at sibling_weight_m = 5: 0.000 m"
        ),
        "{stdout}"
    );
}

#[test]
fn a_pupil_moved_to_a_full_school_is_a_capacity_violation_of_its_year() {
    // 2027: B declares no class (0 seats); b1 moved there from A.
    let (_dir, scenario, out) = solved("years", "scenario.toml");
    edit(&out.join("year-2027/assignments.csv"), "b1,A,0.000,0.000", "b1,B,111.195,111.195");
    let (code, stdout, _) = audit(&scenario, &out, &[]);
    assert_eq!(code, 1, "{stdout}");
    let year_2027 = &stdout[stdout.find("## Year 2027").unwrap()..];
    assert!(
        year_2027.contains("school B: 1 pupil, 0 classes at 2 (share 0.00 <= 0.25) = 0 seats, 1 over"),
        "{stdout}"
    );
    assert!(stdout.contains("Not compliant: 1 violations"), "{stdout}");
}

#[test]
fn a_missing_year_folder_is_exit_2_naming_the_file() {
    let (_dir, scenario, out) = solved("years", "scenario.toml");
    std::fs::remove_dir_all(out.join("year-2027")).unwrap();
    let (code, stdout, stderr) = audit(&scenario, &out, &[]);
    assert_eq!(code, 2, "{stdout}\n{stderr}");
    assert!(stderr.contains("year-2027") && stderr.contains("assignments.csv"), "{stderr}");
}

#[test]
fn a_single_year_result_folder_is_audited_as_one_year() {
    let (_dir, scenario, out) = solved("years", "myopic.toml");
    let (code, stdout, stderr) = audit(&scenario, &out, &[]);
    assert_eq!(code, 0, "{stdout}\n{stderr}");
    assert!(
        stdout.contains("# Audit: years-myopic") && stdout.contains("class range"),
        "{stdout}"
    );
}

#[test]
fn a_years_csv_row_of_an_unknown_year_is_exit_2_with_file_and_line() {
    let (_dir, scenario, out) = solved("years", "scenario.toml");
    edit(&out.join("years.csv"), "B,2027,", "B,2030,");
    let (code, stdout, stderr) = audit(&scenario, &out, &[]);
    assert_eq!(code, 2, "{stdout}\n{stderr}");
    assert!(
        stderr.contains("years.csv, line 5") && stderr.contains("year `2030` is not a year of the scenario (its years: 2026, 2027)"),
        "{stderr}"
    );
}

#[test]
fn an_infeasible_plan_has_nothing_to_audit() {
    let (_dir, scenario, out) = solved("years_rooms_short", "scenario.toml");
    let (code, stdout, stderr) = audit(&scenario, &out, &[]);
    assert_eq!(code, 2, "{stdout}\n{stderr}");
    assert!(
        stderr.contains("summary.json")
            && stderr.contains("the plan is infeasible (status infeasible): no year has an assignment to audit"),
        "{stderr}"
    );
}

#[test]
fn the_folder_form_takes_exactly_a_scenario_and_a_folder() {
    let scenario = fixture("years").join("scenario.toml");
    let (code, _, stderr) = run_catchment(["audit".to_string(), scenario.display().to_string()]);
    assert_eq!(code, 2, "{stderr}");
    assert!(stderr.contains("2 values required"), "{stderr}");
    let (code, _, stderr) = run_catchment([
        "audit".to_string(),
        scenario.display().to_string(),
        "out".into(),
        "--assignments".into(),
        "a.csv".into(),
    ]);
    assert_eq!(code, 2, "{stderr}");
    assert!(stderr.contains("cannot be used with"), "{stderr}");
}
