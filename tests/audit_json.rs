//! The audit's JSON for machines: numbers as numbers, every report valid
//! against `docs/audit.schema.json` (checked by a small validator written
//! here), "rules checked" naming exactly the rules checked, the stated-
//! distance tolerance a parameter, a pupil listed twice named with both
//! schools and counted at both.

use assert_cmd::Command;
use serde_json::Value;

const DIR: &str = "tests/fixtures/audit";

fn audit_json(assignments: &std::path::Path, extra: &[&str]) -> (i32, Value) {
    let out = Command::cargo_bin("catchment")
        .unwrap()
        .args([
            "audit",
            "--scenario",
            &format!("{DIR}/scenario.toml"),
            "--format",
            "json",
            "--assignments",
        ])
        .arg(assignments)
        .args(extra)
        .output()
        .unwrap();
    let stdout = String::from_utf8(out.stdout).unwrap();
    (
        out.status.code().unwrap(),
        serde_json::from_str(&stdout).unwrap_or_else(|e| panic!("{e}: {stdout}")),
    )
}

fn fixture(name: &str) -> std::path::PathBuf {
    std::path::Path::new(DIR).join(name)
}

/// Checks `value` against the subset of JSON Schema the schema file uses;
/// returns every mismatch with its path.
fn validate(schema: &Value, root: &Value, value: &Value, path: &str, errors: &mut Vec<String>) {
    if let Some(reference) = schema.get("$ref").and_then(Value::as_str) {
        let name = reference.strip_prefix("#/$defs/").expect("local $ref");
        return validate(&root["$defs"][name], root, value, path, errors);
    }
    if let Some(types) = schema.get("type") {
        let allowed: Vec<&str> = match types {
            Value::String(t) => vec![t.as_str()],
            Value::Array(ts) => ts.iter().map(|t| t.as_str().unwrap()).collect(),
            _ => panic!("type"),
        };
        let fits = |t: &str| match t {
            "object" => value.is_object(),
            "array" => value.is_array(),
            "string" => value.is_string(),
            "boolean" => value.is_boolean(),
            "null" => value.is_null(),
            "integer" => value.is_u64() || value.is_i64(),
            "number" => value.is_number(),
            _ => panic!("unknown type {t}"),
        };
        if !allowed.iter().any(|t| fits(t)) {
            errors.push(format!("{path}: {value} is not of type {allowed:?}"));
            return;
        }
    }
    if let Some(options) = schema.get("enum").and_then(Value::as_array)
        && !options.contains(value)
    {
        errors.push(format!("{path}: {value} not in {options:?}"));
    }
    if let (Some(min), Some(v)) = (schema.get("minimum").and_then(Value::as_f64), value.as_f64())
        && v < min
    {
        errors.push(format!("{path}: {v} < minimum {min}"));
    }
    if let (Some(max), Some(v)) = (schema.get("maximum").and_then(Value::as_f64), value.as_f64())
        && v > max
    {
        errors.push(format!("{path}: {v} > maximum {max}"));
    }
    if let Value::Object(object) = value {
        for key in schema.get("required").and_then(Value::as_array).into_iter().flatten() {
            if !object.contains_key(key.as_str().unwrap()) {
                errors.push(format!("{path}: missing key {key}"));
            }
        }
        let properties = schema.get("properties").and_then(Value::as_object);
        for (key, item) in object {
            match (properties.and_then(|p| p.get(key)), schema.get("additionalProperties")) {
                (Some(sub), _) => validate(sub, root, item, &format!("{path}.{key}"), errors),
                (None, Some(Value::Bool(false))) => errors.push(format!("{path}: key {key} not in the schema")),
                (None, Some(sub @ Value::Object(_))) => validate(sub, root, item, &format!("{path}.{key}"), errors),
                (None, _) => {}
            }
        }
    }
    if let (Value::Array(items), Some(sub)) = (value, schema.get("items")) {
        for (i, item) in items.iter().enumerate() {
            validate(sub, root, item, &format!("{path}[{i}]"), errors);
        }
    }
}

fn schema() -> Value {
    serde_json::from_str(&std::fs::read_to_string("docs/audit.schema.json").unwrap()).unwrap()
}

fn assert_valid(report: &Value, what: &str) {
    let schema = schema();
    let mut errors = Vec::new();
    validate(&schema, &schema, report, "$", &mut errors);
    assert!(errors.is_empty(), "{what}: {errors:#?}");
}

#[test]
fn the_validator_refuses_what_the_schema_forbids() {
    // The validator can fail: a count as a string, a renamed key, a missing key.
    let (_, mut report) = audit_json(&fixture("correct.csv"), &[]);
    assert_valid(&report, "correct");
    report["schools"][0]["assigned"] = Value::String("3".into());
    report["violation_total"] = Value::from(0);
    report.as_object_mut().unwrap().remove("rules_checked");
    let schema = schema();
    let mut errors = Vec::new();
    validate(&schema, &schema, &report, "$", &mut errors);
    assert_eq!(errors.len(), 3, "{errors:#?}");
}

#[test]
fn every_report_of_the_fixture_is_valid_and_counts_are_numbers() {
    for file in [
        "correct.csv",
        "wrong/capacity.csv",
        "wrong/coverage_duplicate.csv",
        "wrong/coverage_missing.csv",
        "wrong/coverage_unknown_pupil.csv",
        "wrong/distance.csv",
        "wrong/lock.csv",
        "wrong/stated_distance.csv",
        "wrong/unit.csv",
    ] {
        for extra in [
            &[][..],
            &["--publish"][..],
            &["--schools-result", "tests/fixtures/audit/wrong/capacity_schools.csv"][..],
        ] {
            let (_, report) = audit_json(&fixture(file), extra);
            assert_valid(&report, &format!("{file} {extra:?}"));
        }
    }
    let (_, report) = audit_json(&fixture("correct.csv"), &[]);
    // A <- p1 p2 p3 (p2 a migrant), B <- p4 p5 (p4), C empty.
    let a = &report["schools"][0];
    assert_eq!(
        (
            a["assigned"].as_u64(),
            a["migrants"].as_u64(),
            a["intake_share"].as_f64(),
            a["capacity"].as_u64()
        ),
        (Some(3), Some(1), Some(0.3333), Some(4))
    );
    assert_eq!(report["schools"][1]["deciding_share"].as_f64(), Some(0.3));
    assert_eq!(report["violation_count"].as_u64(), Some(0));
    assert_eq!(report["masked_below"], Value::Null);
    assert_eq!(report["check_settings"]["stated_distance_tolerance_m"].as_f64(), Some(1.0));
}

#[test]
fn published_json_withholds_small_counts_as_null() {
    // distance.csv: A <- p1 p2 p3, C <- p4 p5 (2 ways over the limit).
    let (code, report) = audit_json(&fixture("wrong/distance.csv"), &["--publish"]);
    assert_eq!(code, 1);
    assert_eq!(report["masked_below"].as_u64(), Some(5));
    assert_eq!(report["violation_count"], Value::Null);
    assert_eq!(report["violations_by_rule"]["distance"], Value::Null);
    let c = &report["schools"][2];
    assert_eq!(
        (&c["assigned"], &c["migrants"], &c["intake_share"]),
        (&Value::Null, &Value::Null, &Value::Null)
    );
    assert!(!report.to_string().contains("p4"), "{report}");
}

fn rules_checked(report: &Value) -> Vec<&str> {
    report["rules_checked"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r.as_str().unwrap())
        .collect()
}

#[test]
fn rules_checked_are_exactly_the_rules_the_scenario_and_assignment_give() {
    // The fixture sets min_class_size, max_distance_m, units and a lock.
    let (_, report) = audit_json(&fixture("wrong/distance.csv"), &[]);
    assert_eq!(
        rules_checked(&report),
        ["coverage", "capacity", "class_minimum", "distance", "lock", "unit"]
    );
    let (_, report) = audit_json(
        &fixture("correct.csv"),
        &["--schools-result", "tests/fixtures/audit/wrong/capacity_schools.csv"],
    );
    assert_eq!(
        rules_checked(&report),
        ["coverage", "capacity", "class_range", "class_minimum", "distance", "lock", "unit"]
    );
    // A scenario with none of them, and an assignment without distances:
    // coverage and capacity only.
    let dir = tempfile::tempdir().unwrap();
    let scenario = dir.path().join("plain.toml");
    std::fs::write(
        &scenario,
        format!(
            "name = \"plain\"\nschools = \"{0}/tests/fixtures/audit/schools.csv\"\npupils = \"{1}\"\n",
            env!("CARGO_MANIFEST_DIR"),
            dir.path().join("pupils.csv").display()
        ),
    )
    .unwrap();
    std::fs::write(
        dir.path().join("pupils.csv"),
        "pupil_id,lat,lon,migration_background\np1,52.0001,11.6,0\n",
    )
    .unwrap();
    std::fs::write(dir.path().join("a.csv"), "pupil_id,school_id\np1,A\n").unwrap();
    let out = Command::cargo_bin("catchment")
        .unwrap()
        .args(["audit", "--format", "json", "--scenario"])
        .arg(&scenario)
        .arg("--assignments")
        .arg(dir.path().join("a.csv"))
        .output()
        .unwrap();
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(rules_checked(&report), ["coverage", "capacity"]);
    // Markdown lists the same, one line each.
    let out = Command::cargo_bin("catchment")
        .unwrap()
        .args(["audit", "--scenario"])
        .arg(&scenario)
        .arg("--assignments")
        .arg(dir.path().join("a.csv"))
        .output()
        .unwrap();
    let md = String::from_utf8(out.stdout).unwrap();
    let section = md.split("## Rules checked\n\n").nth(1).unwrap().split("\n\n").next().unwrap();
    assert_eq!(section.lines().count(), 2, "{md}");
    assert!(section.starts_with("- coverage:") && section.contains("\n- capacity:"), "{md}");
}

/// The fixture's correct assignment with p5's stated distance `offset_m` off.
fn stated_off(dir: &std::path::Path, offset_m: f64) -> std::path::PathBuf {
    let correct = std::fs::read_to_string(fixture("correct.csv")).unwrap();
    // p5 at B: 22.239 m (one tenth of a thousandth of a degree of latitude twice).
    let text = correct.replace("p5,B,22.239", &format!("p5,B,{:.3}", 22.239 + offset_m));
    assert_ne!(text, correct);
    let path = dir.join(format!("off-{offset_m}.csv"));
    std::fs::write(&path, text).unwrap();
    path
}

#[test]
fn the_stated_distance_tolerance_is_a_parameter_and_inclusive() {
    let dir = tempfile::tempdir().unwrap();
    let violations = |offset: f64, extra: &[&str]| {
        let (_, report) = audit_json(&stated_off(dir.path(), offset), extra);
        report["violations_by_rule"]["distance"].as_u64().unwrap_or(0)
    };
    // Default 1 m: 0.9 m off passes, 1.1 m off fails.
    assert_eq!(
        (
            violations(0.9, &[]),
            violations(-0.9, &[]),
            violations(1.1, &[]),
            violations(-1.1, &[])
        ),
        (0, 0, 1, 1)
    );
    // Set to 2 m: 1.1 passes, 2.1 fails; set to 0.5: 0.9 fails.
    let two = ["--stated-distance-tolerance-m", "2"];
    assert_eq!((violations(1.1, &two), violations(2.1, &two)), (0, 1));
    assert_eq!(violations(0.9, &["--stated-distance-tolerance-m", "0.5"]), 1);
    let (_, report) = audit_json(&stated_off(dir.path(), 1.1), &[]);
    assert_eq!(
        report["violations"][0]["message"].as_str().unwrap(),
        "pupil `p5` at school B: stated distance 23.3 m, recomputed 22.2 m, differs by more than 1 m"
    );
    // A negative or non-finite tolerance is the user's to fix: exit code 2.
    for bad in ["-1", "NaN", "inf", "x"] {
        let out = Command::cargo_bin("catchment")
            .unwrap()
            .args(["audit", "--scenario", &format!("{DIR}/scenario.toml"), "--assignments"])
            .arg(fixture("correct.csv"))
            .arg(format!("--stated-distance-tolerance-m={bad}"))
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2), "{bad}");
        assert!(
            String::from_utf8_lossy(&out.stderr).contains("stated-distance-tolerance-m"),
            "{bad}"
        );
    }
}

#[test]
fn a_pupil_listed_at_two_schools_is_named_with_both_and_counted_at_both() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("twice.csv");
    // p1 at A (line 2) and again at C (line 7).
    std::fs::write(&path, "pupil_id,school_id\np1,A\np2,A\np3,A\np4,B\np5,B\np1,C\n").unwrap();
    let (code, report) = audit_json(&path, &[]);
    assert_eq!(code, 1);
    assert_eq!(
        report["violations"][0]["message"].as_str().unwrap(),
        "pupil `p1` is assigned more than once: to A (line 2) and to C (line 7); counted against both schools"
    );
    let assigned: Vec<u64> = report["schools"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["assigned"].as_u64().unwrap())
        .collect();
    assert_eq!(assigned, [3, 2, 1]);
    assert_eq!(report["violations_by_rule"]["coverage"].as_u64(), Some(1));
}
