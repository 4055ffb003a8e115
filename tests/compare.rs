//! `catchment compare` on the bundled what-if scenarios: figures that must
//! hold whatever the data (closing a school never shortens the total way,
//! an added class never lengthens it, a hand-drawn plan that keeps the rules
//! is never better than the optimum under the same rules, every pupil
//! placed once), the files written, and the per-school differences.
//!
//! The slow bundled scenarios (`magdeburg-intake.toml`,
//! `magdeburg-min25.toml`, 3 and 11 s) are left out.

mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).to_path_buf()
}

fn bundled(name: &str) -> PathBuf {
    root().join("scenarios").join(name)
}

fn table(path: &Path) -> Vec<BTreeMap<String, String>> {
    csv::Reader::from_path(path)
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
        .deserialize()
        .map(|r| r.unwrap())
        .collect()
}

fn num(row: &BTreeMap<String, String>, column: &str) -> f64 {
    row[column]
        .parse()
        .unwrap_or_else(|_| panic!("{column} = {:?} is not a number", row[column]))
}

/// Runs `compare` with the arguments; returns (exit code, stdout, stderr).
fn compare(args: &[&Path], out: &Path, extra: &[&str]) -> (i32, String, String) {
    let mut all: Vec<&std::ffi::OsStr> = vec!["compare".as_ref()];
    all.extend(args.iter().map(|a| a.as_os_str()));
    all.extend(["-o".as_ref(), out.as_os_str()]);
    all.extend(extra.iter().map(|e| std::ffi::OsStr::new(e)));
    common::run_catchment(all)
}

#[test]
fn bundled_what_if_scenarios_side_by_side() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    let scenarios = [
        bundled("magdeburg.toml"),
        bundled("magdeburg-closure.toml"),
        bundled("magdeburg-added-class.toml"),
        bundled("magdeburg-plan.toml"),
    ];
    let args: Vec<&Path> = scenarios.iter().map(PathBuf::as_path).collect();
    let (code, stdout, stderr) = compare(&args, &out, &["--diff"]);
    assert_eq!(code, 0, "{stdout}\n{stderr}");
    assert_eq!(stderr, "", "no progress bar when stderr is not a terminal");

    // compare.csv: one line per scenario, in the order given.
    let rows = table(&out.join("compare.csv"));
    let labels: Vec<&str> = rows.iter().map(|r| r["label"].as_str()).collect();
    assert_eq!(
        labels,
        vec!["magdeburg", "magdeburg-closure", "magdeburg-added-class", "magdeburg-plan"]
    );
    let status: Vec<&str> = rows.iter().map(|r| r["status"].as_str()).collect();
    assert_eq!(status, vec!["optimal", "optimal", "optimal", "district_plan"]);
    for r in &rows {
        assert_eq!(
            (r["pupils"].as_str(), r["placed"].as_str()),
            ("2200", "2200"),
            "{}: every pupil placed",
            r["label"]
        );
        assert_eq!(r["violations"], "0", "{}: the independent checker finds nothing", r["label"]);
        assert_eq!(r["moved_against_baseline"], "", "no baseline yet");
        assert!(
            num(r, "utilisation_min") <= num(r, "utilisation_max") && num(r, "utilisation_max") <= 1.0,
            "{r:?}"
        );
    }
    let total = |i: usize| num(&rows[i], "total_way_km");
    assert!(
        total(1) >= total(0),
        "closing a school shortened the total way: {} < {}",
        total(1),
        total(0)
    );
    assert!(
        total(2) <= total(0),
        "an added class lengthened the total way: {} > {}",
        total(2),
        total(0)
    );
    assert!(
        total(3) >= total(0),
        "the hand-drawn plan beat the optimum under the same rules: {} < {}",
        total(3),
        total(0)
    );
    let classes: Vec<f64> = rows.iter().map(|r| num(r, "classes_opened")).collect();
    assert_eq!(
        classes,
        vec![117.0, 115.0, 118.0, 117.0],
        "GS32 loses its 2 classes, GS03 gains one"
    );

    // The printed table and compare.md show the same figures side by side.
    assert!(
        stdout.contains("total way (km)") && stdout.contains("magdeburg-closure") && stdout.contains("district_plan"),
        "{stdout}"
    );
    let md = std::fs::read_to_string(out.join("compare.md")).unwrap();
    assert!(
        md.contains("| figure | magdeburg | magdeburg-closure | magdeburg-added-class | magdeburg-plan |"),
        "{md}"
    );
    assert!(md.contains(&format!("| total way (km) | {:.1} |", total(0))), "{md}");

    // --diff: per-school differences against the first scenario.
    let diff = table(&out.join("diff.csv"));
    let of = |scenario: &str, school: &str| {
        diff.iter()
            .find(|d| d["scenario"] == scenario && d["school_id"] == school)
            .unwrap_or_else(|| panic!("{scenario} {school}"))
            .clone()
    };
    let werder = of("magdeburg-closure", "GS32");
    assert_eq!(
        (
            werder["pupils"].as_str(),
            werder["classes"].as_str(),
            werder["classes_change"].as_str()
        ),
        ("0", "0", "-2")
    );
    assert_eq!(num(&werder, "pupils_change"), -num(&werder, "pupils_base"));
    assert_eq!(of("magdeburg-added-class", "GS03")["classes_change"], "1");
    for scenario in ["magdeburg-closure", "magdeburg-added-class", "magdeburg-plan"] {
        let moved: f64 = diff
            .iter()
            .filter(|d| d["scenario"] == scenario)
            .map(|d| num(d, "pupils_change"))
            .sum();
        assert_eq!(moved, 0.0, "{scenario}: pupils are moved, never lost or added");
    }
    assert!(stdout.contains("magdeburg-closure against magdeburg:"), "{stdout}");
    assert!(stdout.contains("GS32"), "{stdout}");

    // Each scenario's own outputs are kept in out/<label>/, as solve writes
    // them: every pupil once, and the summary's total way is the table's.
    for (i, label) in labels.iter().enumerate() {
        let kept = out.join(label);
        let assignments = table(&kept.join("assignments.csv"));
        assert_eq!(assignments.len(), 2200, "{label}: one row per pupil");
        assert_eq!(table(&kept.join("schools.csv")).len(), 33, "{label}");
        let summary: serde_json::Value = serde_json::from_slice(&std::fs::read(kept.join("summary.json")).unwrap()).unwrap();
        let way_km = summary["distances"]["total_m"].as_f64().unwrap() / 1000.0;
        assert!(
            (way_km - total(i)).abs() < 0.05 + 1e-9,
            "{label}: {way_km} km vs {} km in the table",
            total(i)
        );
        assert!(kept.join("catchment-manifest.json").exists(), "{label}: a whole set of its own");
    }
    assert!(
        stdout.contains(&format!("kept       {}", out.join("magdeburg").display())),
        "{stdout}"
    );

    // The same scenarios give the same compare.csv, byte for byte.
    let again = tmp.path().join("again");
    let (code, _, _) = compare(&args, &again, &[]);
    assert_eq!(code, 0);
    assert_eq!(
        std::fs::read(out.join("compare.csv")).unwrap(),
        std::fs::read(again.join("compare.csv")).unwrap()
    );
}

#[test]
fn every_pupil_appears_exactly_once_in_a_closure_and_in_the_plan() {
    let tmp = tempfile::tempdir().unwrap();
    let pupils: BTreeSet<String> = table(&root().join("data/magdeburg/pupils.csv"))
        .into_iter()
        .map(|r| r["pupil_id"].clone())
        .collect();
    for name in ["magdeburg-closure.toml", "magdeburg-plan.toml"] {
        let out = tmp.path().join(name);
        let (code, _, stderr) = common::run_catchment(["solve".as_ref(), bundled(name).as_os_str(), "-o".as_ref(), out.as_os_str()]);
        assert_eq!(code, 0, "{name}: {stderr}");
        let rows = table(&out.join("assignments.csv"));
        let ids: Vec<&String> = rows.iter().map(|r| &r["pupil_id"]).collect();
        let unique: BTreeSet<String> = ids.iter().map(|s| s.to_string()).collect();
        assert_eq!(ids.len(), unique.len(), "{name}: a pupil appears twice");
        assert_eq!(unique, pupils, "{name}: not every pupil appears");
        assert!(
            rows.iter().all(|r| r["school_id"] != "GS32" || name != "magdeburg-closure.toml"),
            "a pupil at the closed school"
        );
    }
}

#[test]
fn a_broken_scenario_stops_compare_before_anything_is_solved_or_written() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    let bad = common::fixture("changes").join("bad_unknown_school.toml");
    let (code, _, stderr) = compare(&[&bundled("magdeburg.toml"), &bad], &out, &[]);
    assert_eq!(code, 2, "{stderr}");
    assert!(stderr.contains("school `Z` is not in the schools file"), "{stderr}");
    assert!(!out.exists(), "nothing is written");
}

#[test]
fn the_metric_is_named_in_the_table_and_in_compare_csv() {
    let dir = tempfile::tempdir().unwrap();
    let (code, stdout, stderr) = common::run_catchment([
        "compare".as_ref(),
        "tests/fixtures/walking/river-haversine.toml".as_ref(),
        "tests/fixtures/walking/river-walking.toml".as_ref(),
        "-o".as_ref(),
        dir.path().as_os_str(),
    ]);
    assert_eq!(code, 0, "{stdout}{stderr}");
    let line = stdout
        .lines()
        .find(|l| l.starts_with("distance metric"))
        .unwrap_or_else(|| panic!("{stdout}"));
    assert_eq!(
        line.split_whitespace().collect::<Vec<_>>(),
        ["distance", "metric", "haversine", "walking"]
    );
    let csv = std::fs::read_to_string(dir.path().join("compare.csv")).unwrap();
    let mut reader = csv::Reader::from_reader(csv.as_bytes());
    let column = reader
        .headers()
        .unwrap()
        .iter()
        .position(|h| h == "metric")
        .expect("a metric column");
    let metrics: Vec<String> = reader.records().map(|r| r.unwrap()[column].to_string()).collect();
    assert_eq!(metrics, ["haversine", "walking"]);
    // Straight lines only: no metric row (the table stays as it was).
    let (code, stdout, _) = common::run_catchment([
        "compare".as_ref(),
        "tests/fixtures/walking/river-haversine.toml".as_ref(),
        "tests/fixtures/walking/river-haversine.toml".as_ref(),
        "-o".as_ref(),
        dir.path().join("plain").as_os_str(),
    ]);
    assert_eq!(code, 0);
    assert!(!stdout.contains("distance metric"), "{stdout}");
}
