//! The `catchment solve` command end to end, on hand-checkable fixtures.
//!
//! Fixture `rule17`: schools A (lat 52.0000, previous-year share 0.2501, so 17
//! per class) and B (lat 52.0100) on the meridian 11.6, one class each; 22
//! pupils at 52.0001 .. 52.0022 (p01..p22, migrants p01..p04). One step of
//! 0.0001 deg is 11.1195080 m. A keeps p01..p17, p18..p22 walk to B.

mod common;

use assert_cmd::Command;
use common::*;
use serde_json::Value;
use std::collections::BTreeMap;
use std::path::Path;

fn catchment() -> Command {
    Command::cargo_bin("catchment").expect("the catchment binary is built")
}

/// Runs `catchment solve <fixture>/scenario.toml -o <out>` and returns stdout.
fn solve_fixture(name: &str, out: &Path) -> String {
    let scenario = fixture(name).join("scenario.toml");
    let output = catchment().arg("solve").arg(&scenario).arg("-o").arg(out).output().expect("runs");
    let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(0), "stdout:\n{stdout}\nstderr:\n{stderr}");
    stdout
}

/// A CSV file as header and rows of strings.
fn read_csv(path: &Path) -> (Vec<String>, Vec<Vec<String>>) {
    let mut reader = csv::Reader::from_path(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let header = reader.headers().unwrap().iter().map(str::to_string).collect();
    let rows = reader.records().map(|r| r.unwrap().iter().map(str::to_string).collect()).collect();
    (header, rows)
}

/// Rows of a CSV file as maps column -> value.
fn read_table(path: &Path) -> Vec<BTreeMap<String, String>> {
    let (header, rows) = read_csv(path);
    rows.into_iter().map(|r| header.iter().cloned().zip(r).collect()).collect()
}

fn read_json(path: &Path) -> Value {
    serde_json::from_slice(&std::fs::read(path).unwrap()).unwrap()
}

fn num(v: &Value, key: &str) -> f64 {
    v[key].as_f64().unwrap_or_else(|| panic!("`{key}` is not a number: {}", v[key]))
}

#[test]
fn solve_writes_the_hand_computed_assignment() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    let stdout = solve_fixture("rule17", &out);
    assert_eq!(
        names_in(&out),
        vec!["assignments.csv", "catchment-manifest.json", "schools.csv", "summary.json"]
    );

    // assignments.csv: one row per pupil, in file order.
    let (header, rows) = read_csv(&out.join("assignments.csv"));
    assert_eq!(header, vec!["pupil_id", "school_id", "distance_m", "straight_m"]);
    assert_eq!(rows.len(), 22);
    for (i, row) in rows.iter().enumerate() {
        let pos = i + 1;
        let (school, steps) = if pos <= 17 { ("A", pos as f64) } else { ("B", 100.0 - pos as f64) };
        assert_eq!(row[0], format!("p{pos:02}"));
        assert_eq!(row[1], school, "school of p{pos:02}");
        let d: f64 = row[2].parse().unwrap();
        // Written to the millimetre, so that an auditor can recompute every way.
        assert_close(d, steps_m(steps), 0.0005, &format!("distance of p{pos:02}"));
        assert_eq!(row[2], format!("{:.3}", steps_m(steps)));
    }
    assert_eq!(rows[0][2], "11.120"); // 11.1195080 m
    assert_eq!(rows[17][2], "911.800"); // p18: 82 steps to B = 911.79966 m

    // schools.csv
    let (header, _) = read_csv(&out.join("schools.csv"));
    for column in [
        "school_id",
        "classes",
        "class_size",
        "capacity",
        "assigned",
        "migrants",
        "migration_share",
        "reduced",
    ] {
        assert!(header.iter().any(|h| h == column), "schools.csv lacks `{column}`: {header:?}");
    }
    let schools = read_table(&out.join("schools.csv"));
    assert_eq!(schools.len(), 2);
    let pick = |r: &BTreeMap<String, String>| {
        [
            "school_id",
            "classes",
            "class_size",
            "capacity",
            "assigned",
            "migrants",
            "migration_share",
            "reduced",
        ]
        .map(|c| r[c].clone())
    };
    assert_eq!(pick(&schools[0]), ["A", "1", "17", "17", "17", "4", "0.2353", "1"]);
    assert_eq!(pick(&schools[1]), ["B", "1", "22", "22", "5", "0", "0.0000", "0"]);

    // summary.json
    let summary = read_json(&out.join("summary.json"));
    assert_eq!(summary["status"], "optimal");
    let objective = num(&summary, "objective_m");
    assert_close(objective, 553.0 * step_m(), 0.0006, "objective_m (rounded to mm)");
    assert_close(objective, 6_149.088, 1e-9, "objective_m as written");
    let bound = num(&summary, "bound_m");
    assert!(
        bound <= objective + 1e-9 && bound >= objective - 0.01,
        "bound {bound} vs objective {objective}"
    );
    let gap = num(&summary, "gap");
    assert!((0.0..=1e-6).contains(&gap), "gap {gap}");
    let seconds = num(&summary, "solve_seconds");
    assert!(seconds >= 0.0 && seconds < 60.0, "solve_seconds {seconds}");
    assert_eq!(summary["pupils"], 22);
    assert_eq!(summary["schools"], 2);
    assert_eq!(summary["migrants"], 4);
    assert_eq!(summary["classes_opened"], 2);
    assert_eq!(summary["reduced_school_ids"], serde_json::json!(["A"]));
    assert_eq!(summary["violations"], serde_json::json!([]));

    // What a person reads.
    assert!(stdout.contains("status     optimal"), "{stdout}");
    assert!(
        stdout.contains("pupils     22 (4 with migration background) at 2 schools"),
        "{stdout}"
    );
    assert!(stdout.contains("total way  6.1 km"), "{stdout}");
    assert!(
        stdout.contains("reduced    1 schools at 17 per class (share > 0.25): A"),
        "{stdout}"
    );
}

#[test]
fn solving_twice_gives_identical_files() {
    let tmp = tempfile::tempdir().unwrap();
    let (first, second) = (tmp.path().join("first"), tmp.path().join("second"));
    solve_fixture("rule17", &first);
    solve_fixture("rule17", &second);
    for name in ["assignments.csv", "schools.csv"] {
        let a = std::fs::read(first.join(name)).unwrap();
        let b = std::fs::read(second.join(name)).unwrap();
        assert!(!a.is_empty());
        assert_eq!(a, b, "{name} differs between two runs");
    }
    // summary.json differs only in the time taken (`solve_seconds`, `timing`).
    let strip = |dir: &Path| {
        let mut v = read_json(&dir.join("summary.json"));
        v.as_object_mut().unwrap().remove("solve_seconds");
        v.as_object_mut().unwrap().remove("timing");
        v
    };
    assert_eq!(strip(&first), strip(&second));
    // Solving again into the same folder replaces the files with the same bytes.
    let before = std::fs::read(first.join("assignments.csv")).unwrap();
    solve_fixture("rule17", &first);
    assert_eq!(std::fs::read(first.join("assignments.csv")).unwrap(), before);
    assert_eq!(
        names_in(&first),
        vec!["assignments.csv", "catchment-manifest.json", "schools.csv", "summary.json"]
    );
}

#[test]
fn intake_basis_school_table_says_which_school_is_reduced() {
    // Fixture `intake`: same layout, migrants p01..p06, previous-year shares
    // 0, migration_basis = "intake". All 22 at A would be 6/22 > 25%; the
    // optimum sends migrant p06 to B (88 steps): A 21 pupils, 5 migrants,
    // not reduced; B 1 pupil, a migrant, reduced.
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    solve_fixture("intake", &out);
    let assignments = read_table(&out.join("assignments.csv"));
    let at_b: Vec<&str> = assignments
        .iter()
        .filter(|r| r["school_id"] == "B")
        .map(|r| r["pupil_id"].as_str())
        .collect();
    assert_eq!(at_b, vec!["p06"]);
    let schools = read_table(&out.join("schools.csv"));
    let pick = |r: &BTreeMap<String, String>| {
        ["school_id", "class_size", "assigned", "migrants", "migration_share", "reduced"].map(|c| r[c].clone())
    };
    assert_eq!(pick(&schools[0]), ["A", "22", "21", "5", "0.2381", "0"]);
    assert_eq!(pick(&schools[1]), ["B", "17", "1", "1", "1.0000", "1"]);
    let summary = read_json(&out.join("summary.json"));
    assert_eq!(summary["status"], "optimal");
    assert_close(num(&summary, "objective_m"), 341.0 * step_m(), 0.006, "objective_m");
    assert_eq!(summary["rules"]["migration_basis"], "intake");
}

#[test]
fn unit_assignment_writes_units_csv() {
    // Fixture `units`: class size 2; p1 (unit "Abendstrasse 11") walks to B,
    // unit "Abendstrasse 11a" (p2, p3) stays whole at A: 90 + 20 + 30 steps.
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    solve_fixture("units", &out);
    assert_eq!(
        names_in(&out),
        vec![
            "assignments.csv",
            "catchment-manifest.json",
            "schools.csv",
            "summary.json",
            "units.csv"
        ]
    );
    let (header, rows) = read_csv(&out.join("units.csv"));
    assert_eq!(header, vec!["unit_id", "school_id", "pupils"]);
    assert_eq!(rows, vec![vec!["Abendstrasse 11a", "A", "2"], vec!["Abendstrasse 11", "B", "1"]]);
    let summary = read_json(&out.join("summary.json"));
    assert_close(num(&summary, "objective_m"), 140.0 * step_m(), 0.006, "objective_m");
}

#[test]
fn infeasible_is_a_result_with_the_seat_shortfall() {
    // Fixture `infeasible`: A reduced (share 0.30) 17 seats + B 22 seats = 39
    // seats for 40 pupils.
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    let stdout = solve_fixture("infeasible", &out);
    assert!(stdout.contains("status     infeasible"), "{stdout}");
    assert!(
        stdout.contains("40 pupils but only 39 seats with every school at its max_classes (1 short)"),
        "{stdout}"
    );
    assert_eq!(
        names_in(&out),
        vec!["catchment-manifest.json", "summary.json"],
        "no assignment is written for an infeasible instance"
    );
    let summary = read_json(&out.join("summary.json"));
    assert_eq!(summary["status"], "infeasible");
    assert_eq!(summary["objective_m"], Value::Null);
    assert_eq!(summary["pupils"], 40);
    assert_eq!(summary["schools"], 2);
    let short = &summary["infeasibility"];
    assert_eq!(short["pupils"], 40);
    assert_eq!(short["seats_planned"], 39);
    assert_eq!(short["seats_max"], 39);
    assert_eq!(short["seats_short"], 1);
}

#[test]
fn small_fixture_solves() {
    // The valid base of the bad-input fixtures: A at 11.6000 (share 0.10, 22
    // seats), B at 11.6200 (share 0.30, 17 seats); each pupil to its nearest.
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    solve_fixture("small", &out);
    let assignments = read_table(&out.join("assignments.csv"));
    let schools: Vec<&str> = assignments.iter().map(|r| r["school_id"].as_str()).collect();
    // p5 at lon 11.6100 is 0.0100 deg of longitude from both, and 0.0005 deg
    // of latitude north of both: a tie; only its distance is checked.
    assert_eq!(&schools[..4], &["A", "A", "B", "B"]);
    let by_hand: f64 = [
        ("p1", 52.1001, 11.6001, 11.6),
        ("p2", 52.1002, 11.6002, 11.6),
        ("p3", 52.1003, 11.6198, 11.62),
        ("p4", 52.1004, 11.6199, 11.62),
        ("p5", 52.1005, 11.61, 11.6),
    ]
    .iter()
    .map(|&(_, lat, lon, school_lon)| haversine_m(lat, lon, 52.1, school_lon))
    .sum();
    let summary = read_json(&out.join("summary.json"));
    assert_close(num(&summary, "objective_m"), by_hand, 0.006, "objective_m");
}

#[test]
fn bad_command_line_values_are_usage_errors() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    let scenario = fixture("small").join("scenario.toml");
    let output = catchment()
        .arg("solve")
        .arg(&scenario)
        .arg("-o")
        .arg(&out)
        .arg("--time-limit=0")
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "stderr: {stderr}");
    assert!(stderr.contains("--time-limit"), "{stderr}");
    assert!(!out.exists());
    let output = catchment()
        .arg("solve")
        .arg(&scenario)
        .arg("-o")
        .arg(&out)
        .arg("--threads=0")
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2), "stderr: {}", String::from_utf8_lossy(&output.stderr));
    assert!(!out.exists());
}
