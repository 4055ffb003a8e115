//! Stability against last year's assignment (move price and cap) and
//! sibling preferences, on a hand-checked fixture: four pupils on a meridian
//! at 1..4 steps of 111.195 m north of school A; school B is 10 steps north.
//! All four were at B last year. Moving pupil k to A saves
//! (10 - 2k) steps = 890, 667, 445, 222 m of way.

use catchment::report::evaluate;
use catchment::scenario::load_scenario;
use std::path::Path;

/// One step of 0.001 degree of latitude on the sphere of radius 6,371,008.8 m.
fn step() -> f64 {
    6_371_008.8 * 0.001f64.to_radians()
}

fn fixture(adjust: impl Fn(&mut catchment::model::Instance)) -> (Vec<String>, catchment::report::Evaluation) {
    let mut instance = load_scenario(Path::new("tests/fixtures/stability/scenario.toml")).unwrap();
    adjust(&mut instance);
    let evaluation = evaluate(&instance).unwrap();
    let schools = evaluation
        .school_of()
        .unwrap()
        .iter()
        .map(|&s| instance.schools[s].id.to_string())
        .collect();
    (schools, evaluation)
}

#[test]
fn the_baseline_is_read_by_pupil_and_unknown_pupils_are_ignored() {
    let instance = load_scenario(Path::new("tests/fixtures/stability/scenario.toml")).unwrap();
    assert!(instance.pupils.iter().all(|p| p.baseline_school == Some(1)));
    assert_eq!(instance.pupils[2].sibling_school, Some(1));
    assert!(instance.sources.iter().any(|s| s.path.ends_with("last-year.csv")));
}

#[test]
fn a_move_price_keeps_pupils_whose_saving_is_smaller() {
    // Price 500 m: p1 (saves 890) and p2 (667) move; p3 (445) and p4 (222) stay.
    let (schools, evaluation) = fixture(|i| i.rules.max_moves = None);
    assert_eq!(schools, ["A", "A", "B", "B"]);
    let way = step() * (1.0 + 2.0 + 7.0 + 6.0);
    assert!((evaluation.distances.as_ref().unwrap().total_m - way).abs() < 1e-6);
    assert!((evaluation.outcome.objective_m.unwrap() - (way + 2.0 * 500.0)).abs() < 1e-6);
    assert_eq!(evaluation.summary.moved_against_baseline, Some(2));
}

#[test]
fn the_move_cap_is_hard_and_keeps_the_best_moves() {
    // No price, at most one move: the one saving most (p1).
    let (schools, evaluation) = fixture(|i| {
        i.rules.move_penalty_m = 0.0;
        i.rules.max_moves = Some(1);
    });
    assert_eq!(schools, ["A", "B", "B", "B"]);
    assert_eq!(evaluation.summary.moved_against_baseline, Some(1));
    // Without the cap everyone moves.
    let (schools, evaluation) = fixture(|i| {
        i.rules.move_penalty_m = 0.0;
        i.rules.max_moves = None;
    });
    assert_eq!(schools, ["A", "A", "A", "A"]);
    assert_eq!(evaluation.summary.moved_against_baseline, Some(4));
}

#[test]
fn a_sibling_weight_outweighs_a_smaller_saving_and_hard_siblings_always_hold() {
    // p3's sibling is at B. Weight 1000 m > p3's saving of 445 m: p3 stays.
    let (schools, evaluation) = fixture(|i| {
        i.rules.move_penalty_m = 0.0;
        i.rules.max_moves = None;
        i.rules.sibling_weight_m = 1000.0;
    });
    assert_eq!(schools, ["A", "A", "B", "A"]);
    let honoured = evaluation.summary.siblings_honoured.as_ref().unwrap();
    assert_eq!((honoured.honoured, honoured.of), (1, 1));
    // Weight 100 m < 445 m: p3 moves, the preference is not honoured.
    let (schools, evaluation) = fixture(|i| {
        i.rules.move_penalty_m = 0.0;
        i.rules.max_moves = None;
        i.rules.sibling_weight_m = 100.0;
    });
    assert_eq!(schools, ["A", "A", "A", "A"]);
    assert_eq!(evaluation.summary.siblings_honoured.as_ref().unwrap().honoured, 0);
    // Hard: p3 at B whatever the way.
    let (schools, _) = fixture(|i| {
        i.rules.move_penalty_m = 0.0;
        i.rules.max_moves = None;
        i.rules.siblings_hard = true;
    });
    assert_eq!(schools, ["A", "A", "B", "A"]);
}

#[test]
fn the_audit_finds_a_broken_move_cap_and_a_broken_hard_sibling() {
    let mut instance = load_scenario(Path::new("tests/fixtures/stability/scenario.toml")).unwrap();
    instance.rules.siblings_hard = true;
    let rows: Vec<_> = instance
        .pupils
        .iter()
        .map(|p| catchment::audit::AssignmentRow {
            line: 0,
            pupil_id: p.id.to_string(),
            school_id: "A".into(),
            distance_m: None,
        })
        .collect();
    let report = catchment::audit::check(&instance, &rows, None);
    let messages: Vec<&str> = report.violations.iter().map(|v| v.message.as_str()).collect();
    assert_eq!(
        messages,
        [
            "4 pupils change school against the baseline, max_moves = 2, 2 over",
            "pupil `p3` must join its sibling at school B but is assigned to A"
        ]
    );
}

#[test]
fn the_baseline_can_be_given_by_unit() {
    let dir = tempfile::tempdir().unwrap();
    for f in ["schools.csv", "pupils.csv"] {
        std::fs::copy(Path::new("tests/fixtures/stability").join(f), dir.path().join(f)).unwrap();
    }
    std::fs::write(dir.path().join("bylaw.csv"), "unit_id,school_id\nu1,A\nu2,B\n").unwrap();
    std::fs::write(
        dir.path().join("s.toml"),
        "schools = \"schools.csv\"\npupils = \"pupils.csv\"\nbaseline = \"bylaw.csv\"\n[rules]\nassign = \"units\"\nmax_moves = 0\n",
    )
    .unwrap();
    let instance = load_scenario(&dir.path().join("s.toml")).unwrap();
    let baseline: Vec<_> = instance.pupils.iter().map(|p| p.baseline_school).collect();
    assert_eq!(baseline, [Some(0), Some(0), Some(1), Some(1)]);
    let evaluation = evaluate(&instance).unwrap();
    assert_eq!(evaluation.school_of().unwrap(), [0, 0, 1, 1]);
    assert_eq!(evaluation.summary.moved_against_baseline, Some(0));
}

#[test]
fn a_baseline_naming_an_unknown_school_is_an_input_error() {
    let dir = tempfile::tempdir().unwrap();
    for f in ["schools.csv", "pupils.csv", "scenario.toml"] {
        std::fs::copy(Path::new("tests/fixtures/stability").join(f), dir.path().join(f)).unwrap();
    }
    std::fs::write(dir.path().join("last-year.csv"), "pupil_id,school_id\np1,A\np2,Z\n").unwrap();
    let error = load_scenario(&dir.path().join("scenario.toml")).unwrap_err().to_string();
    assert!(
        error.contains("last-year.csv, line 3, column `school_id`: school `Z` is not in the schools file"),
        "{error}"
    );
}

#[test]
fn the_bundled_baseline_scenario_keeps_the_move_cap_and_audits_clean() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    assert_cmd::Command::cargo_bin("catchment")
        .unwrap()
        .args(["solve", "scenarios/magdeburg-baseline.toml", "-o"])
        .arg(&out)
        .assert()
        .success();
    let summary: serde_json::Value = serde_json::from_slice(&std::fs::read(out.join("summary.json")).unwrap()).unwrap();
    assert_eq!(summary["status"], "optimal");
    let moved = summary["moved_against_baseline"].as_u64().unwrap();
    assert!(moved <= 150, "{moved}");
    // Never shorter than the unconstrained optimum of the same city.
    let free = dir.path().join("free");
    assert_cmd::Command::cargo_bin("catchment")
        .unwrap()
        .args(["solve", "scenarios/magdeburg.toml", "-o"])
        .arg(&free)
        .assert()
        .success();
    let free: serde_json::Value = serde_json::from_slice(&std::fs::read(free.join("summary.json")).unwrap()).unwrap();
    assert!(summary["distances"]["total_m"].as_f64().unwrap() >= free["objective_m"].as_f64().unwrap() - 0.01);
    assert_cmd::Command::cargo_bin("catchment")
        .unwrap()
        .args(["audit", "--scenario", "scenarios/magdeburg-baseline.toml", "--assignments"])
        .arg(out.join("assignments.csv"))
        .assert()
        .code(0);
}
