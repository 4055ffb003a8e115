//! `catchment sweep` through the real binary: the grid's folders and
//! sweep.csv, each point's total way against a separate `solve` of the same
//! scenario written out by hand, resume after a point's folder is deleted
//! (only that point solved, the table byte-identical), and bad `--set`s.

mod common;

use common::{fixture, run_catchment, solve_into};
use std::path::Path;

fn sweep(out: &Path, sets: &[&str]) -> (i32, String, String) {
    let scenario = fixture("sweep").join("scenario.toml");
    let mut args = vec!["sweep".to_string(), scenario.display().to_string()];
    for set in sets {
        args.push("--set".into());
        args.push(set.to_string());
    }
    args.extend(["-o".into(), out.display().to_string(), "--jobs".into(), "2".into()]);
    run_catchment(args)
}

const SETS: [&str; 2] = ["rules.migration_threshold=0.25,0.35", "classes.A=1..3"];

/// The fixture with `migration_threshold` and A's classes written into its files.
fn solve_by_hand(tmp: &Path, threshold: &str, classes_a: &str) -> f64 {
    let dir = tmp.join(format!("hand-{threshold}-{classes_a}"));
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::copy(fixture("sweep").join("pupils.csv"), dir.join("pupils.csv")).unwrap();
    let schools = std::fs::read_to_string(fixture("sweep").join("schools.csv")).unwrap();
    let schools = schools.replace(
        "A,School A,52.0000,11.6000,1,0.30",
        &format!("A,School A,52.0000,11.6000,{classes_a},0.30"),
    );
    std::fs::write(dir.join("schools.csv"), schools).unwrap();
    let scenario = std::fs::read_to_string(fixture("sweep").join("scenario.toml")).unwrap();
    std::fs::write(
        dir.join("scenario.toml"),
        scenario.replace("[rules]\n", &format!("[rules]\nmigration_threshold = {threshold}\n")),
    )
    .unwrap();
    let (code, stdout, stderr) = solve_into(&dir.join("scenario.toml"), &dir.join("out"), &[]);
    assert_eq!(code, 0, "{stdout}{stderr}");
    let summary: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(dir.join("out/summary.json")).unwrap()).unwrap();
    summary["distances"]["total_m"].as_f64().unwrap()
}

#[test]
fn every_grid_point_is_solved_into_its_folder_and_matches_a_separate_solve() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("sweep");
    let (code, stdout, stderr) = sweep(&out, &SETS);
    assert_eq!(code, 0, "{stdout}{stderr}");
    assert!(stderr.contains("solved 6 of 6 grid points (0 already complete)"), "{stderr}");
    let csv = std::fs::read_to_string(out.join("sweep.csv")).unwrap();
    let lines: Vec<&str> = csv.lines().collect();
    assert_eq!(lines.len(), 7, "{csv}");
    assert!(
        lines[0].starts_with("rules.migration_threshold,classes.A,status,objective_m,total_way_m,mean_way_m,pupils"),
        "{csv}"
    );
    let mut distinct = std::collections::BTreeSet::new();
    for (i, (threshold, classes)) in [
        ("0.25", "1"),
        ("0.25", "2"),
        ("0.25", "3"),
        ("0.35", "1"),
        ("0.35", "2"),
        ("0.35", "3"),
    ]
    .into_iter()
    .enumerate()
    {
        let cells: Vec<&str> = lines[i + 1].split(',').collect();
        assert_eq!(
            (cells[0], cells[1], cells[2], cells[6]),
            (threshold, classes, "optimal", "6"),
            "{csv}"
        );
        let folder = out.join(format!("migration_threshold={threshold},A={classes}"));
        for name in [
            "assignments.csv",
            "schools.csv",
            "summary.json",
            "catchment-manifest.json",
            "sweep-point.json",
        ] {
            assert!(folder.join(name).is_file(), "{} missing", folder.join(name).display());
        }
        let by_hand = solve_by_hand(tmp.path(), threshold, classes);
        assert_eq!(cells[4], format!("{by_hand:.1}"), "total way of {threshold}/{classes}");
        distinct.insert(cells[4].to_string());
        let reduced: u32 = cells[8].parse().unwrap();
        assert_eq!(reduced, u32::from(threshold == "0.25"), "schools under the 17-rule at {threshold}");
    }
    // The grid really varies: A's seats change the optimum.
    assert!(distinct.len() >= 3, "{distinct:?}");
    assert!(stdout.starts_with("rules.migration_threshold  classes.A  status"), "{stdout}");
}

#[test]
fn a_deleted_point_is_solved_again_and_nothing_else() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("sweep");
    let (code, first, stderr) = sweep(&out, &SETS);
    assert_eq!(code, 0, "{stderr}");
    let csv = std::fs::read(out.join("sweep.csv")).unwrap();
    let kept = out.join("migration_threshold=0.25,A=1/summary.json");
    let kept_before = std::fs::read(&kept).unwrap();
    let kept_modified = std::fs::metadata(&kept).unwrap().modified().unwrap();
    std::fs::remove_dir_all(out.join("migration_threshold=0.35,A=2")).unwrap();
    // A point interrupted before its marker: solved again too.
    std::fs::remove_file(out.join("migration_threshold=0.35,A=3/sweep-point.json")).unwrap();
    let (code, second, stderr) = sweep(&out, &SETS);
    assert_eq!(code, 0, "{stderr}");
    assert!(stderr.contains("solved 2 of 6 grid points (4 already complete)"), "{stderr}");
    assert_eq!(first, second, "the table is the same");
    assert_eq!(csv, std::fs::read(out.join("sweep.csv")).unwrap(), "sweep.csv is the same");
    assert_eq!(kept_before, std::fs::read(&kept).unwrap());
    assert_eq!(
        kept_modified,
        std::fs::metadata(&kept).unwrap().modified().unwrap(),
        "a complete point is not rewritten"
    );
    assert!(out.join("migration_threshold=0.35,A=2/sweep-point.json").is_file());
}

#[test]
fn a_bad_set_is_named_and_nothing_is_written() {
    let tmp = tempfile::tempdir().unwrap();
    for (set, expected) in [
        ("classes.ZZ=1,2", "--set classes.ZZ=1,2: no school with school_id `ZZ`"),
        (
            "rules.migration_threshold=0.2,1.5",
            "--set rules.migration_threshold=0.2,1.5: migration_threshold = 1.5 must be a share",
        ),
        ("rules.colour=red", "--set rules.colour=red: unknown field `colour`"),
        ("classes.A=3..1", "--set classes.A=3..1: the range 3..1 must run upwards"),
        ("weather.rain=1", "--set weather.rain=1: unknown key `weather.rain`"),
        ("rules.max_moves=3", "--set rules.max_moves=3: max_moves needs a baseline"),
    ] {
        let out = tmp.path().join("out");
        let (code, stdout, stderr) = sweep(&out, &[set]);
        assert_eq!(code, 2, "{set}: {stdout}{stderr}");
        assert!(stderr.contains(expected), "{set}: {stderr}");
        assert!(!out.exists(), "{set}: nothing written");
    }
}
