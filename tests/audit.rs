//! `catchment audit` on hand-built wrong assignments: one planted violation
//! type each, plus a correct one. The audit finds exactly the planted
//! violations and names them with their numbers.

use assert_cmd::Command;
use serde_json::Value;
use std::collections::BTreeMap;

const DIR: &str = "tests/fixtures/audit";

fn audit(assignments: &str, schools_result: Option<&str>, extra: &[&str]) -> (i32, String) {
    let mut cmd = Command::cargo_bin("catchment").unwrap();
    cmd.args([
        "audit",
        "--scenario",
        &format!("{DIR}/scenario.toml"),
        "--assignments",
        &format!("{DIR}/{assignments}"),
    ]);
    if let Some(s) = schools_result {
        cmd.args(["--schools-result", &format!("{DIR}/{s}")]);
    }
    let out = cmd.args(extra).output().unwrap();
    (out.status.code().unwrap(), String::from_utf8(out.stdout).unwrap())
}

fn findings(assignments: &str, schools_result: Option<&str>) -> (i32, BTreeMap<String, u64>, Vec<String>) {
    let (code, stdout) = audit(assignments, schools_result, &["--format", "json"]);
    let json: Value = serde_json::from_str(&stdout).unwrap();
    let by_rule = json["violations_by_rule"]
        .as_object()
        .unwrap()
        .iter()
        .map(|(k, v)| (k.clone(), v.as_u64().unwrap()))
        .collect();
    let messages = json["violations"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v["message"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(json["compliant"].as_bool().unwrap(), code == 0);
    (code, by_rule, messages)
}

fn rules(pairs: &[(&str, u64)]) -> BTreeMap<String, u64> {
    pairs.iter().map(|(k, v)| (k.to_string(), *v)).collect()
}

#[test]
fn the_correct_assignment_is_compliant() {
    let (code, by_rule, _) = findings("correct.csv", None);
    assert_eq!((code, by_rule), (0, rules(&[])));
    let (code, md) = audit("correct.csv", None, &[]);
    assert_eq!(code, 0);
    assert!(md.contains("**COMPLIANT**"), "{md}");
}

#[test]
fn each_planted_violation_is_found_exactly_and_named() {
    let cases: &[(&str, Option<&str>, &[(&str, u64)], &[&str])] = &[
        (
            "wrong/coverage_missing.csv",
            None,
            &[("coverage", 1)],
            &["pupil `p3` is not assigned to any school"],
        ),
        (
            "wrong/coverage_duplicate.csv",
            None,
            &[("coverage", 1)],
            &["pupil `p5` is assigned more than once: to B (line 6) and to B (line 7); counted twice there"],
        ),
        (
            "wrong/coverage_unknown_pupil.csv",
            None,
            &[("coverage", 1)],
            &["pupil `p9` (line 7) is not in the pupils file"],
        ),
        (
            "wrong/capacity.csv",
            Some("wrong/capacity_schools.csv"),
            &[("capacity", 1)],
            &["school A: 5 pupils, 1 class at 4 (share 0.10 <= 0.25) = 4 seats, 1 over"],
        ),
        (
            "correct.csv",
            Some("wrong/class_minimum_schools.csv"),
            &[("class_minimum", 1)],
            &["school A: 3 pupils in 2 classes, at least 2 x 2 = 4 required, 1 short"],
        ),
        (
            "wrong/distance.csv",
            None,
            &[("distance", 2)],
            &[
                "pupil `p4` at school C: way 2235 m > max_distance_m 1500 m, 735 m over",
                "pupil `p5` at school C: way 2246 m > max_distance_m 1500 m, 746 m over",
            ],
        ),
        (
            "wrong/stated_distance.csv",
            None,
            &[("distance", 1)],
            &["pupil `p5` at school B: stated distance 99.0 m, recomputed 22.2 m, differs by more than 1 m"],
        ),
        (
            "wrong/lock.csv",
            None,
            &[("lock", 1)],
            &["pupil `p3` is locked to school A but assigned to B"],
        ),
        (
            "wrong/unit.csv",
            None,
            &[("unit", 1)],
            &["unit `u1` is split across 2 schools: 1 at A, 1 at B"],
        ),
    ];
    for (file, schools, expected_rules, expected_messages) in cases {
        let (code, by_rule, messages) = findings(file, *schools);
        assert_eq!(code, 1, "{file}: exit code");
        assert_eq!(by_rule, rules(expected_rules), "{file}: {messages:?}");
        assert_eq!(
            messages,
            expected_messages.iter().map(|s| s.to_string()).collect::<Vec<_>>(),
            "{file}"
        );
    }
}

#[test]
fn the_reduced_rule_is_applied_by_the_audit() {
    // B is above 25% last year: 3 per class. p3 (locked to A) moved to B
    // gives B 3 pupils = 3 seats: still within capacity, only the lock breaks.
    let (_, by_rule, _) = findings("wrong/lock.csv", None);
    assert_eq!(by_rule, rules(&[("lock", 1)]));
    // Markdown table: B reduced, class size 3.
    let (_, md) = audit("correct.csv", None, &[]);
    assert!(md.contains("| B | 2 | 1 | 0.5000 | 0.3000 | yes | 3 | 1* | 3 |"), "{md}");
}

#[test]
fn the_solver_s_result_on_the_fixture_passes_the_audit() {
    let dir = tempfile::tempdir().unwrap();
    Command::cargo_bin("catchment")
        .unwrap()
        .args(["solve", &format!("{DIR}/scenario.toml"), "-o"])
        .arg(dir.path())
        .assert()
        .success();
    let produced = std::fs::read_to_string(dir.path().join("assignments.csv")).unwrap();
    assert_eq!(produced, std::fs::read_to_string(format!("{DIR}/correct.csv")).unwrap());
    Command::cargo_bin("catchment")
        .unwrap()
        .args(["audit", "--scenario", &format!("{DIR}/scenario.toml"), "--assignments"])
        .arg(dir.path().join("assignments.csv"))
        .arg("--schools-result")
        .arg(dir.path().join("schools.csv"))
        .assert()
        .code(0);
}

#[test]
fn publishing_hides_pupil_ids_and_masks_small_counts() {
    let (code, md) = audit("wrong/distance.csv", None, &["--publish"]);
    assert_eq!(code, 1);
    assert!(!md.contains("p4") && !md.contains("p5"), "{md}");
    assert!(md.contains("<5 pupil-level violations"), "{md}");
    assert!(md.contains("| C | <5 | <5 | masked |"), "{md}");
}

#[test]
fn an_unreadable_assignment_is_exit_2_naming_the_file_and_line() {
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("bad.csv");
    std::fs::write(&bad, "pupil_id,school_id,distance_m\np1,A,abc\n").unwrap();
    let out = Command::cargo_bin("catchment")
        .unwrap()
        .args(["audit", "--scenario", &format!("{DIR}/scenario.toml"), "--assignments"])
        .arg(&bad)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(stderr.contains("bad.csv, line 2, column `distance_m`: `abc`"), "{stderr}");
}
