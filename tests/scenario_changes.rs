//! Scenarios on a base with `[[change]]` entries (fixture `changes`).
//!
//! `base.toml`: schools A (lat 52.00, share 0.10), B (52.01, share 0.30, so
//! reduced) and C (52.02, 2 classes) on the meridian 11.6; class size 4,
//! reduced 3; pupils p1, p2 near A (units North 1, North 2), p3, p4 near B
//! (p4 locked to B in pupils.csv), p5, p6 near C (South 1, South 2).
//! `all_changes.toml` applies every kind of change; broken `bad_*.toml`
//! files must stop `solve` with exit code 2, a message naming the file, the
//! line and what to fix, and nothing written.

mod common;

use assert_cmd::Command;
use catchment::input::resolve_scenario;
use catchment::report::evaluate;
use catchment::scenario::load_scenario;
use common::fixture;
use std::path::{Path, PathBuf};

fn scenario(name: &str) -> PathBuf {
    fixture("changes").join(name)
}

fn school<'a>(instance: &'a catchment::model::Instance, id: &str) -> &'a catchment::model::School {
    &instance.schools[instance.school_index(id).unwrap_or_else(|| panic!("school {id}"))]
}

fn lock_of(instance: &catchment::model::Instance, pupil: &str) -> Option<String> {
    let p = instance.pupils.iter().find(|p| p.id.as_str() == pupil).unwrap();
    p.fixed_school.map(|s| instance.schools[s].id.to_string())
}

#[test]
fn every_kind_of_change_applies_in_order() {
    let instance = load_scenario(&scenario("all_changes.toml")).unwrap();
    assert_eq!(instance.name, "all changes");
    let ids: Vec<&str> = instance.schools.iter().map(|s| s.id.as_str()).collect();
    assert_eq!(
        ids,
        vec!["A", "B", "C", "D"],
        "an opened school comes last; a closed one stays, with no class"
    );
    let a = school(&instance, "A");
    assert_eq!((a.classes, a.min_classes, a.max_classes, a.reserved_seats), (0, 0, 0, 0));
    let c = school(&instance, "C");
    assert_eq!(
        (c.classes, c.min_classes, c.max_classes),
        (3, 3, 3),
        "min and max follow classes, as in schools.csv"
    );
    let d = school(&instance, "D");
    assert_eq!(
        (d.name.as_str(), d.classes, d.min_classes, d.max_classes, d.reserved_seats),
        ("School D", 2, 2, 3, 1)
    );
    assert_eq!((d.location.lat(), d.location.lon(), d.prev_migration_share), (52.005, 11.6, 0.5));
    assert_eq!(school(&instance, "B").reserved_seats, 1);
    // Rules: the base's sizes, the change's minimum and acceptable way; solver: the file's threads, the change's limit.
    assert_eq!((instance.rules.class_size, instance.rules.reduced_class_size), (4, 3));
    assert_eq!(instance.rules.min_class_size, Some(1));
    assert_eq!(instance.rules.acceptable_way_m, 1000.0);
    assert_eq!(instance.solver.time_limit_s, Some(30.0));
    // Locks: unit North 2 to D; the area (lat >= 52.0205) holds p5 and p6; p4 keeps its lock from pupils.csv.
    let locks: Vec<Option<String>> = ["p1", "p2", "p3", "p4", "p5", "p6"].iter().map(|p| lock_of(&instance, p)).collect();
    assert_eq!(
        locks,
        vec![None, Some("D".into()), None, Some("B".into()), Some("C".into()), Some("C".into())]
    );
    // Provenance: this file, the two CSVs, the base, the area.
    let names: Vec<String> = instance
        .sources
        .iter()
        .map(|s| s.path.file_name().unwrap().to_string_lossy().into_owned())
        .collect();
    assert_eq!(
        names,
        vec!["all_changes.toml", "schools.csv", "pupils.csv", "base.toml", "area.geojson"]
    );
}

#[test]
fn the_changed_scenario_solves_as_worked_out_by_hand() {
    // A is closed. D (2..3 classes of 3, 1 seat reserved) needs 2 pupils
    // (min_class_size 1 per class): p1 and p2 (locked). B (1 class of 3, 1
    // reserved) has p4 (locked). C opens 3 classes, so it needs 3 pupils:
    // p5, p6 (locked) and p3, the only free pupil left.
    let instance = load_scenario(&scenario("all_changes.toml")).unwrap();
    let evaluation = evaluate(&instance).unwrap();
    let school_of = evaluation.school_of().expect("feasible");
    let schools: Vec<&str> = school_of.iter().map(|&s| instance.schools[s].id.as_str()).collect();
    assert_eq!(schools, vec!["D", "D", "C", "B", "C", "C"]);
}

#[test]
fn a_base_of_a_base_and_settings_key_by_key() {
    let resolved = resolve_scenario(&scenario("chained.toml")).unwrap();
    let files: Vec<String> = resolved
        .files
        .iter()
        .map(|p| p.file_name().unwrap().to_string_lossy().into_owned())
        .collect();
    assert_eq!(files, vec!["chained.toml", "all_changes.toml", "base.toml"]);
    assert_eq!(
        resolved.name, "chained",
        "a scenario without a name is called by its file, not its base's name"
    );
    assert_eq!(
        resolved.rules.min_class_size,
        Some(2),
        "[rules] of the child overrides the base's change"
    );
    assert_eq!(resolved.rules.acceptable_way_m, 2000.0, "unset restores the default");
    assert_eq!(resolved.rules.class_size, 4, "untouched keys come from the base");
    assert_eq!(resolved.changes.len(), 6, "the base's four school changes and two locks");
}

#[test]
fn a_forecast_cohort_replaces_the_pupils() {
    let instance = load_scenario(&scenario("forecast.toml")).unwrap();
    let ids: Vec<&str> = instance.pupils.iter().map(|p| p.id.as_str()).collect();
    assert_eq!(ids, vec!["f1", "f2", "f3"]);
    assert_eq!(lock_of(&instance, "f3"), Some("C".into()), "the inline polygon locks f3");
    assert_eq!(lock_of(&instance, "f1"), None);
    assert!(instance.sources.iter().any(|s| s.path.ends_with("forecast.csv")));
}

#[test]
fn the_bundled_what_if_scenarios_load() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios");
    let closure = load_scenario(&root.join("magdeburg-closure.toml")).unwrap();
    assert_eq!(school(&closure, "GS32").max_classes, 0);
    let added = load_scenario(&root.join("magdeburg-added-class.toml")).unwrap();
    assert_eq!(school(&added, "GS03").classes, 5);
    let min25 = load_scenario(&root.join("magdeburg-min25.toml")).unwrap();
    assert_eq!(
        (min25.rules.min_class_size, min25.rules.class_size, min25.rules.reduced_class_size),
        (Some(25), 28, 25)
    );
    assert!(min25.schools.iter().all(|s| s.min_classes == 1));
}

// ---------------------------------------------------------------- errors

/// Runs `solve` on a broken scenario: exit code 2, nothing written; returns stderr.
fn fails(name: &str) -> String {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    let output = Command::cargo_bin("catchment")
        .unwrap()
        .arg("solve")
        .arg(scenario(name))
        .arg("-o")
        .arg(&out)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    assert_eq!(
        output.status.code(),
        Some(2),
        "{name}: stdout {}\nstderr {stderr}",
        String::from_utf8_lossy(&output.stdout)
    );
    assert!(!out.exists(), "{name}: the output folder was created");
    assert!(stderr.starts_with("error: "), "{stderr}");
    stderr
}

#[track_caller]
fn says(stderr: &str, parts: &[&str]) {
    for part in parts {
        assert!(stderr.contains(part), "stderr lacks {part:?}:\n{stderr}");
    }
}

fn file(name: &str) -> String {
    scenario(name).display().to_string()
}

#[test]
fn unknown_school() {
    let e = fails("bad_unknown_school.toml");
    says(
        &e,
        &[
            &file("bad_unknown_school.toml"),
            "line 7",
            "[[change]] 2 (kind = \"set_classes\")",
            "school `Z` is not in the schools file",
            "use one of its school_id values (A, B, C)",
        ],
    );
}

#[test]
fn unknown_key_in_a_change() {
    let e = fails("bad_unknown_key.toml");
    says(
        &e,
        &[
            &file("bad_unknown_key.toml"),
            "line 3",
            "unknown field `clases`",
            "`classes`",
            "correct or remove the key",
        ],
    );
}

#[test]
fn unknown_rule_in_a_change() {
    let e = fails("bad_unknown_rule.toml");
    says(
        &e,
        &[
            &file("bad_unknown_rule.toml"),
            "line 3",
            "kind = \"rules\"",
            "unknown field `min_class_sise`",
            "`min_class_size`",
        ],
    );
}

#[test]
fn unknown_kind() {
    let e = fails("bad_unknown_kind.toml");
    says(
        &e,
        &[
            &file("bad_unknown_kind.toml"),
            "line 3",
            "unknown kind `close_shool`",
            "close_school, open_school, set_classes, rules, solver, pupils, lock_area",
        ],
    );
}

#[test]
fn a_loop_of_bases() {
    let e = fails("bad_cycle_1.toml");
    says(
        &e,
        &[
            "the `base` chain loops",
            "bad_cycle_1.toml -> ",
            "bad_cycle_2.toml -> ",
            "bad_cycle_3.toml -> ",
            "remove one of the `base` keys",
        ],
    );
}

#[test]
fn closing_a_school_that_pupils_are_locked_to() {
    let e = fails("bad_closed_locked.toml");
    says(
        &e,
        &[
            &file("bad_closed_locked.toml"),
            "line 4",
            "closes school `B`, but 1 pupil is locked to it (p4)",
            "unlock them",
        ],
    );
}

#[test]
fn unknown_unit() {
    let e = fails("bad_unknown_unit.toml");
    says(
        &e,
        &[
            &file("bad_unknown_unit.toml"),
            "line 3",
            "unit `South 9` is not a unit_id in",
            "pupils.csv",
        ],
    );
}

#[test]
fn an_area_with_nobody_in_it() {
    // Latitude and longitude swapped: the area lies in the Indian Ocean.
    let e = fails("bad_empty_area.toml");
    says(
        &e,
        &[
            &file("bad_empty_area.toml"),
            "line 3",
            "holds no pupil's home",
            "[longitude, latitude]",
        ],
    );
}

#[test]
fn a_missing_base() {
    let e = fails("bad_missing_base.toml");
    says(
        &e,
        &[
            &file("bad_missing_base.toml"),
            "base = \"no_such_base.toml\": cannot read",
            "relative to this scenario file",
        ],
    );
}

#[test]
fn neither_files_nor_base() {
    let e = fails("bad_no_files.toml");
    says(
        &e,
        &[&file("bad_no_files.toml"), "needs `schools` and `pupils`", "or a `base` scenario"],
    );
}
