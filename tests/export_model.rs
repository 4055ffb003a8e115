//! `export-model` writes the exact integer program: solving the written file
//! again with HiGHS, straight from the file, gives the objective of `solve`.

use assert_cmd::Command;
use std::ffi::CString;
use std::path::Path;

/// Reads a model file into a fresh HiGHS instance, solves it and returns the objective.
fn solve_model_file(path: &Path) -> f64 {
    let file = CString::new(path.to_str().unwrap()).unwrap();
    let output_flag = CString::new("output_flag").unwrap();
    let gap = CString::new("mip_rel_gap").unwrap();
    // SAFETY: a HiGHS instance created, used and destroyed here; the strings outlive the calls.
    unsafe {
        let highs = highs_sys::Highs_create();
        highs_sys::Highs_setBoolOptionValue(highs, output_flag.as_ptr(), 0);
        highs_sys::Highs_setDoubleOptionValue(highs, gap.as_ptr(), 0.0);
        assert_ne!(
            highs_sys::Highs_readModel(highs, file.as_ptr()),
            highs_sys::STATUS_ERROR,
            "HiGHS reads {}",
            path.display()
        );
        assert_ne!(highs_sys::Highs_run(highs), highs_sys::STATUS_ERROR);
        assert_eq!(highs_sys::Highs_getModelStatus(highs), highs_sys::MODEL_STATUS_OPTIMAL);
        let objective = highs_sys::Highs_getObjectiveValue(highs);
        highs_sys::Highs_destroy(highs);
        objective
    }
}

fn solve_objective(scenario: &str, out: &Path) -> f64 {
    Command::cargo_bin("catchment")
        .unwrap()
        .args(["solve", scenario, "-o"])
        .arg(out)
        .assert()
        .success();
    let summary: serde_json::Value = serde_json::from_slice(&std::fs::read(out.join("summary.json")).unwrap()).unwrap();
    summary["objective_m"].as_f64().unwrap()
}

fn export(scenario: &str, file: &Path) -> String {
    let out = Command::cargo_bin("catchment")
        .unwrap()
        .args(["export-model", scenario, "-o"])
        .arg(file)
        .assert()
        .success();
    String::from_utf8(out.get_output().stdout.clone()).unwrap()
}

#[test]
fn tiny_lp_file_has_readable_names_and_resolves_to_the_solve_objective() {
    let dir = tempfile::tempdir().unwrap();
    let lp = dir.path().join("model.lp");
    export("tests/fixtures/tiny/scenario.toml", &lp);
    let text = std::fs::read_to_string(&lp).unwrap();
    for name in ["x_p1_A", "x_p5_B", "k_A", "assign_p3", "capacity_B"] {
        assert!(text.contains(name), "{name} in the LP file");
    }
    // School B is above 25% last year: 17 seats per class in its capacity row.
    assert!(text.contains("-17 k_B"), "reduced class size in capacity_B");
    let objective = solve_objective("tests/fixtures/tiny/scenario.toml", &dir.path().join("out"));
    let from_file = solve_model_file(&lp);
    assert!((objective - from_file).abs() < 0.01, "solve {objective} vs file {from_file}");
    // Hand check: p1, p2, p5 at A and p3, p4 at B.
    assert!((from_file - 805.51).abs() < 0.01, "{from_file}");
}

#[test]
fn bundled_scenario_mps_resolves_to_the_solve_objective() {
    let dir = tempfile::tempdir().unwrap();
    let mps = dir.path().join("model.mps");
    let printed = export("scenarios/magdeburg.toml", &mps);
    assert!(printed.contains("46629 variables"), "{printed}");
    let objective = solve_objective("scenarios/magdeburg.toml", &dir.path().join("out"));
    let from_file = solve_model_file(&mps);
    assert!(
        (objective - from_file).abs() <= 1e-6 * objective,
        "solve {objective} vs file {from_file}"
    );
}

#[test]
fn export_refuses_other_extensions_with_exit_2() {
    let dir = tempfile::tempdir().unwrap();
    let out = Command::cargo_bin("catchment")
        .unwrap()
        .args(["export-model", "tests/fixtures/tiny/scenario.toml", "-o"])
        .arg(dir.path().join("model.txt"))
        .assert()
        .code(2);
    let stderr = String::from_utf8(out.get_output().stderr.clone()).unwrap();
    assert!(stderr.contains(".mps or .lp"), "{stderr}");
    assert!(!dir.path().join("model.txt").exists());
}

#[test]
fn groups_csv_traces_every_variable_group_to_its_pupils() {
    // split_home: h1, h2, h3 share a home (one group, named h1); a1 ... alone.
    let dir = tempfile::tempdir().unwrap();
    let lp = dir.path().join("model.lp");
    let printed = export("tests/fixtures/split_home/scenario.toml", &lp);
    let groups_path = dir.path().join("groups.csv");
    assert!(printed.contains(&format!("{} (", groups_path.display())), "{printed}");
    let text = std::fs::read_to_string(&groups_path).unwrap();
    let lines: Vec<(&str, &str)> = text.lines().skip(1).map(|l| l.split_once(',').unwrap()).collect();
    assert_eq!(text.lines().next(), Some("group,pupil_id"));
    // Every pupil exactly once.
    let pupils_file = std::fs::read_to_string("tests/fixtures/split_home/pupils.csv").unwrap();
    let mut pupils: Vec<&str> = pupils_file.lines().skip(1).map(|l| l.split(',').next().unwrap()).collect();
    let mut listed: Vec<&str> = lines.iter().map(|(_, p)| *p).collect();
    pupils.sort();
    listed.sort();
    assert_eq!(listed, pupils);
    // The shared home is one group, named after its first pupil.
    for p in ["h1", "h2", "h3"] {
        assert!(lines.contains(&("h1", p)), "{text}");
    }
    // Every group is a variable of the model, and every arc variable's group is listed.
    let model = std::fs::read_to_string(&lp).unwrap();
    let groups: std::collections::BTreeSet<&str> = lines.iter().map(|(g, _)| *g).collect();
    for g in &groups {
        assert!(
            model.contains(&format!("assign_{g}:")) || model.contains(&format!("assign_{g} ")),
            "{g} in {model}"
        );
    }
    assert!(!groups.contains("h2") && !groups.contains("h3"));
    use std::os::unix::fs::PermissionsExt;
    assert_eq!(std::fs::metadata(&groups_path).unwrap().permissions().mode() & 0o777, 0o600);
}

#[test]
fn ids_a_model_file_cannot_tell_apart_get_distinct_group_names() {
    // `a b` and `a_b` both read `a_b` in a model file: the second group is `a_b_2`.
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("schools.csv"),
        "school_id,name,lat,lon,classes,prev_migration_share\nA,School A,52.0,11.6,1,0.1\n",
    )
    .unwrap();
    std::fs::write(
        dir.path().join("pupils.csv"),
        "pupil_id,lat,lon,migration_background\na b,52.001,11.6,0\na_b,52.002,11.6,0\n",
    )
    .unwrap();
    let scenario = dir.path().join("s.toml");
    std::fs::write(&scenario, "name = \"names\"\nschools = \"schools.csv\"\npupils = \"pupils.csv\"\n").unwrap();
    let lp = dir.path().join("model.lp");
    export(scenario.to_str().unwrap(), &lp);
    let groups = std::fs::read_to_string(dir.path().join("groups.csv")).unwrap();
    assert_eq!(groups, "group,pupil_id\na_b,a b\na_b_2,a_b\n");
    let model = std::fs::read_to_string(&lp).unwrap();
    for name in ["x_a_b_A", "x_a_b_2_A", "assign_a_b:", "assign_a_b_2:"] {
        assert!(model.contains(name), "{name} in {model}");
    }
}
