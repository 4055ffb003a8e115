//! Caps on change against a baseline (`max_extra_way_m`, `max_extra_way_pct`,
//! `max_school_change`): hand cases through the real binary, the checker's
//! findings, bad values refused, infeasibility explained, the exported model,
//! and random tiny instances (pupils or whole homes, candidates pruned or
//! not) against brute-force enumeration (rules written again here).

mod common;

use catchment::audit::{self, Rule};
use catchment::model::{AssignMode, Instance, Location, MigrationBasis, Pupil, PupilId, Rules, School, SchoolId, SolverSettings};
use catchment::report::evaluate;
use catchment::scenario::assignment_rows;
use catchment::solve::elastic::{Change, Family};
use catchment::solve::{SolveStatus, solve};
use common::*;
use proptest::prelude::*;

/// Way from latitude `lat` to a school at `school` on the fixture's meridian.
fn d(lat: f64, school: f64) -> f64 {
    haversine_m(lat, 11.6, school, 11.6)
}

/// The `change_caps` fixture in a temporary folder, its cap replaced by `rule`.
fn fixture_with(rule: &str) -> (tempfile::TempDir, std::path::PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    for entry in std::fs::read_dir(fixture("change_caps")).unwrap() {
        let entry = entry.unwrap();
        std::fs::copy(entry.path(), tmp.path().join(entry.file_name())).unwrap();
    }
    let text = std::fs::read_to_string(fixture("change_caps").join("scenario.toml")).unwrap();
    let scenario = tmp.path().join("scenario.toml");
    std::fs::write(&scenario, text.replace("\nmax_extra_way_m = 200\n", &format!("\n{rule}\n"))).unwrap();
    (tmp, scenario)
}

/// Solves `scenario`; its objective and assignment.
fn solved(scenario: &std::path::Path) -> (f64, std::collections::BTreeMap<String, String>) {
    let out = tempfile::tempdir().unwrap();
    let (code, stdout, stderr) = solve_into(scenario, &out.path().join("out"), &[]);
    assert_eq!(code, 0, "{stdout}{stderr}");
    let summary: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(out.path().join("out/summary.json")).unwrap()).unwrap();
    assert_eq!(summary["status"], "optimal");
    (summary["objective_m"].as_f64().unwrap(), assignment_in(&out.path().join("out")))
}

/// The fixture's ways when p1 moves to B (unconstrained optimum) and when it stays at A.
fn fixture_optima() -> (f64, f64) {
    let common = d(52.002, 52.0) + d(52.009, 52.01) + d(52.0055, 52.01);
    let moved = common + d(52.003, 52.0) + d(52.004, 52.01);
    let capped = common + d(52.004, 52.0) + d(52.003, 52.01);
    (moved, capped)
}

#[test]
fn a_cap_in_metres_keeps_a_pupil_whose_way_would_grow_too_much() {
    let (moved, capped) = fixture_optima();
    let (objective, school) = solved(&fixture("change_caps").join("scenario.toml"));
    assert_close(objective, capped, 0.003, "objective_m with max_extra_way_m = 200");
    let expected = [("p1", "A"), ("p2", "B"), ("p3", "A"), ("p4", "B"), ("new", "B")];
    for (p, s) in expected {
        assert_eq!(school[p], s, "{p}: {school:?}");
    }
    // Without a cap p1's way grows by 222 m: p1 to B, p2 to A.
    let (tmp, scenario) = fixture_with("");
    let (objective, school) = solved(&scenario);
    drop(tmp);
    assert_close(objective, moved, 0.003, "objective_m without a cap");
    assert_eq!((school["p1"].as_str(), school["p2"].as_str()), ("B", "A"));
    assert!(moved < capped - 200.0, "the cap must cost something: {moved} vs {capped}");
}

#[test]
fn a_cap_in_percent_and_both_caps_together() {
    let (moved, capped) = fixture_optima();
    // p1's baseline way is 444.8 m: 60% allows 266.9 m more (the move's
    // 222.4 m fits), 40% only 177.9 m.
    for (rule, expected) in [
        ("max_extra_way_pct = 60", moved),
        ("max_extra_way_pct = 40", capped),
        ("max_extra_way_pct = 60\nmax_extra_way_m = 200", capped),
        ("max_extra_way_pct = 40\nmax_extra_way_m = 300", capped),
        ("max_extra_way_pct = 60\nmax_extra_way_m = 300", moved),
    ] {
        let (_tmp, scenario) = fixture_with(rule);
        let (objective, _) = solved(&scenario);
        assert_close(objective, expected, 0.003, rule);
    }
}

#[test]
fn a_cap_on_school_change_limits_each_intake_against_the_baseline() {
    let (objective, school) = solved(&fixture("change_caps").join("school_change.toml"));
    let expected = d(52.001, 52.0) + d(52.002, 52.0) + d(52.003, 52.01) + d(52.004, 52.01);
    assert_close(objective, expected, 0.003, "objective_m with max_school_change = 2");
    let got: Vec<&str> = ["q1", "q2", "q3", "q4"].iter().map(|p| school[*p].as_str()).collect();
    assert_eq!(got, vec!["A", "A", "B", "B"]);
}

/// Runs `audit --format json` of `csv` against `scenario`: exit code and the violations.
fn audit_json(scenario: &std::path::Path, csv: &str) -> (i32, Vec<serde_json::Value>) {
    let tmp = tempfile::tempdir().unwrap();
    let path = tmp.path().join("assignment.csv");
    std::fs::write(&path, csv).unwrap();
    let (code, stdout, stderr) = run_catchment([
        "audit",
        "--scenario",
        scenario.to_str().unwrap(),
        "--assignments",
        path.to_str().unwrap(),
        "--format",
        "json",
    ]);
    let json: serde_json::Value = serde_json::from_str(&stdout).unwrap_or_else(|e| panic!("{e}: {stdout}{stderr}"));
    (code, json["violations"].as_array().unwrap().clone())
}

#[test]
fn the_checker_names_a_pupil_whose_way_grows_too_much() {
    let scenario = fixture("change_caps").join("scenario.toml");
    let (code, violations) = audit_json(&scenario, "pupil_id,school_id\np1,B\np2,A\np3,A\np4,B\nnew,B\n");
    assert_eq!(code, 1, "{violations:?}");
    assert_eq!(violations.len(), 1, "{violations:?}");
    let v = &violations[0];
    assert_eq!((v["rule"].as_str(), v["subject"].as_str()), (Some("extra_way"), Some("p1")));
    let grown = d(52.004, 52.01) - d(52.004, 52.0);
    let message = v["message"].as_str().unwrap();
    assert!(
        message.contains(&format!("{grown:.1} m more than its {:.1} m", d(52.004, 52.0))) && message.contains("at most 200.0 m more"),
        "{message}"
    );
    // The new pupil is not capped: sending it to A (shorter) or anywhere is fine.
    let (code, violations) = audit_json(&scenario, "pupil_id,school_id\np1,A\np2,B\np3,A\np4,B\nnew,B\n");
    assert_eq!((code, violations.len()), (0, 0), "{violations:?}");
}

#[test]
fn the_checker_names_a_school_whose_intake_changes_too_much() {
    let scenario = fixture("change_caps").join("school_change.toml");
    let (code, violations) = audit_json(&scenario, "pupil_id,school_id\nq1,A\nq2,A\nq3,A\nq4,A\n");
    assert_eq!(code, 1);
    let found: Vec<(&str, &str)> = violations
        .iter()
        .filter(|v| v["rule"] == "school_change")
        .map(|v| (v["subject"].as_str().unwrap(), v["message"].as_str().unwrap()))
        .collect();
    assert_eq!(found.len(), 2, "{violations:?}");
    assert_eq!(found[0].0, "A");
    assert!(
        found[0]
            .1
            .contains("4 pupils against 0 in the baseline, a change of 4; max_school_change = 2, 2 over"),
        "{found:?}"
    );
    assert_eq!(found[1].0, "B");
    assert!(found[1].1.contains("0 pupils against 4 in the baseline"), "{found:?}");
}

#[test]
fn bad_caps_are_input_errors() {
    for (rule, expected) in [
        ("max_extra_way_m = -1", "max_extra_way_m = -1 must be a number of metres"),
        ("max_extra_way_pct = nan", "max_extra_way_pct = NaN must be a number of percent"),
        ("max_school_change = -3", "max_school_change"),
    ] {
        let (tmp, scenario) = fixture_with(rule);
        let (code, stdout, stderr) = solve_into(&scenario, &tmp.path().join("out"), &[]);
        assert_eq!(code, 2, "{rule}: {stdout}{stderr}");
        assert!(stderr.contains(expected) && stderr.contains("scenario.toml"), "{rule}: {stderr}");
        assert!(!tmp.path().join("out").exists(), "nothing written for {rule}");
    }
    // A cap without a baseline to measure against.
    let (tmp, scenario) = fixture_with("max_school_change = 3");
    let text = std::fs::read_to_string(&scenario)
        .unwrap()
        .replace("baseline = \"baseline.csv\"", "");
    std::fs::write(&scenario, text).unwrap();
    let (code, _, stderr) = solve_into(&scenario, &tmp.path().join("out"), &[]);
    assert_eq!(code, 2, "{stderr}");
    assert!(stderr.contains("max_school_change = 3 needs a baseline"), "{stderr}");
}

// ------------------------------------------------------ infeasibility, explained

/// Pupils at `positions` (meridian steps) with the baseline school `baseline`.
fn pupils_at(positions: &[f64], baseline: Option<usize>) -> Vec<Pupil> {
    positions
        .iter()
        .enumerate()
        .map(|(i, &pos)| Pupil {
            baseline_school: baseline,
            ..pupil(&format!("q{}", i + 1), pos, false)
        })
        .collect()
}

#[test]
fn a_way_cap_that_leaves_no_seat_is_named_with_the_growth_needed() {
    // A (0) has 2 seats, B (100 steps) plenty; q1..q4 at 10..40 steps were
    // all at A. Two must go to B: q4 (+20 steps) fits max_extra_way_m = 300 m
    // (27 steps), the next cheapest, q3, needs +40 steps = 444.8 m.
    let schools = vec![school("A", 0.0, 1, 0.0), school("B", 100.0, 3, 0.0)];
    let rules = Rules {
        max_extra_way_m: Some(300.0),
        ..rules(2, 2, MigrationBasis::PreviousYear)
    };
    let inst = instance(schools, pupils_at(&[10.0, 20.0, 30.0, 40.0], Some(0)), rules);
    let evaluation = evaluate(&inst).unwrap();
    assert_eq!(evaluation.outcome.status, SolveStatus::Infeasible);
    let short = evaluation.shortfall.expect("explained");
    let diagnosis = short.relaxations.as_ref().expect("diagnosed");
    let extra = diagnosis
        .single
        .iter()
        .find(|r| r.families == vec![Family::ExtraWay])
        .expect("relaxing the way cap alone restores feasibility");
    match &extra.changes[..] {
        [
            Change::LongerThanBaseline {
                pupil_ids,
                pupils: 1,
                most_extra_m,
            },
        ] => {
            assert_eq!(pupil_ids, &vec!["q3".to_string()]);
            assert_close(*most_extra_m, steps_m(40.0), 1e-6, "growth needed");
        }
        other => panic!("expected one pupil's way to grow, got {other:?}"),
    }
    assert!(
        short
            .explanation
            .iter()
            .any(|l| l.contains("feasible by relaxing extra_way alone: let the way of 1 pupil grow more against the baseline than max_extra_way_m = 300 allows, by up to 445 m (q3)")),
        "{:?}",
        short.explanation
    );
}

#[test]
fn a_school_that_must_keep_more_pupils_than_it_has_seats_is_named() {
    // B must keep 4 - 0 = 4 pupils but has 3 seats.
    let schools = vec![school("A", 0.0, 2, 0.0), school("B", 100.0, 1, 0.0)];
    let rules = Rules {
        max_school_change: Some(0),
        ..rules(3, 3, MigrationBasis::PreviousYear)
    };
    let inst = instance(schools, pupils_at(&[10.0, 20.0, 30.0, 40.0], Some(1)), rules);
    let evaluation = evaluate(&inst).unwrap();
    assert_eq!(evaluation.outcome.status, SolveStatus::Infeasible);
    let short = evaluation.shortfall.expect("explained");
    assert!(
        short.explanation.iter().any(|l| l.contains(
            "school B must keep at least 4 pupils (its baseline intake 4 less max_school_change = 0) but has only 3 seats at max_classes"
        )),
        "{:?}",
        short.explanation
    );
}

#[test]
fn school_change_caps_the_total_intake_against_the_pupils() {
    // 4 pupils, all new but one: intakes may be at most 1 + 1 and 0 + 1.
    let schools = vec![school("A", 0.0, 2, 0.0), school("B", 100.0, 2, 0.0)];
    let rules = Rules {
        max_school_change: Some(1),
        ..rules(3, 3, MigrationBasis::PreviousYear)
    };
    let mut pupils = pupils_at(&[10.0, 20.0, 30.0, 40.0], None);
    pupils[0].baseline_school = Some(0);
    let evaluation = evaluate(&instance(schools, pupils, rules)).unwrap();
    assert_eq!(evaluation.outcome.status, SolveStatus::Infeasible);
    let short = evaluation.shortfall.expect("explained");
    assert!(
        short
            .explanation
            .iter()
            .any(|l| l.contains("lets the schools take at most 3 pupils in all (each its baseline intake plus 1) but there are 4")),
        "{:?}",
        short.explanation
    );
}

// --------------------------------------------------- against enumeration

#[derive(Debug, Clone)]
struct Case {
    /// (position in steps, classes) per school.
    schools: Vec<(u32, u32)>,
    /// (position in steps, migrant, baseline school) per pupil.
    pupils: Vec<(u32, bool, Option<usize>)>,
    class_size: u32,
    extra_m: Option<f64>,
    extra_pct: Option<f64>,
    school_change: Option<u32>,
    /// `Some(k)`: only the k nearest schools as candidates (pricing must bring the rest).
    prune: Option<usize>,
    /// `assign = "homes"`: pupil i lives with pupil i % 3 (same position), a
    /// home goes to one school, and the caps hold for each of its pupils.
    homes: bool,
}

/// Random cases: `schools` schools, `pupils` pupils, each cap set with some
/// weight, `prune` the candidate pruning (pricing must bring the rest back).
fn case(
    schools: std::ops::RangeInclusive<usize>,
    pupils: std::ops::RangeInclusive<usize>,
    school_change_weight: f64,
    prune: impl Strategy<Value = Option<usize>>,
) -> impl Strategy<Value = Case> {
    (
        prop::collection::vec((0u32..120, 1u32..=2), schools),
        prop::collection::vec((0u32..120, any::<bool>(), 0usize..5), pupils),
        1u32..=3,
        prop::option::weighted(0.6, prop::sample::select(vec![0.0, 100.0, 250.0, 500.0])),
        prop::option::weighted(0.4, prop::sample::select(vec![0.0, 20.0, 50.0, 100.0])),
        prop::option::weighted(school_change_weight, 0u32..=2),
        prune,
        prop::bool::weighted(0.3),
    )
        .prop_map(|(schools, pupils, class_size, extra_m, extra_pct, school_change, prune, homes)| {
            let n = schools.len();
            let mut pupils: Vec<(u32, bool, Option<usize>)> = pupils
                .into_iter()
                .map(|(pos, migrant, b)| (pos, migrant, (b < n).then_some(b)))
                .collect();
            if homes {
                for i in 3..pupils.len() {
                    pupils[i].0 = pupils[i % 3].0;
                }
            }
            Case {
                homes,
                pupils,
                schools,
                class_size,
                extra_m,
                extra_pct,
                school_change,
                prune,
            }
        })
}

fn build(case: &Case) -> Instance {
    let schools = case
        .schools
        .iter()
        .enumerate()
        .map(|(i, &(pos, classes))| School {
            id: SchoolId(format!("S{i}")),
            min_classes: 0,
            ..school(&format!("S{i}"), pos as f64, classes, 0.0)
        })
        .collect::<Vec<_>>();
    let pupils = case
        .pupils
        .iter()
        .enumerate()
        .map(|(i, &(pos, migrant, baseline))| Pupil {
            id: PupilId(format!("P{i}")),
            baseline_school: baseline,
            ..pupil("x", pos as f64, migrant)
        })
        .collect();
    let rules = Rules {
        max_extra_way_m: case.extra_m,
        max_extra_way_pct: case.extra_pct,
        max_school_change: case.school_change,
        assign: if case.homes { AssignMode::Homes } else { AssignMode::Pupils },
        ..rules(case.class_size, case.class_size, MigrationBasis::PreviousYear)
    };
    let solver = match case.prune {
        Some(k) => SolverSettings {
            candidate_nearest: k,
            candidate_radius_m: 0.0,
            ..SolverSettings::default()
        },
        None => SolverSettings::default(),
    };
    Instance {
        solver,
        ..instance(schools, pupils, rules)
    }
}

fn place(pos: u32) -> Location {
    on_meridian(pos as f64)
}

/// Whether `school_of` keeps every rule, written again: seats, way caps, school change.
fn feasible(case: &Case, school_of: &[usize]) -> bool {
    let way = |p: usize, s: usize| dist(&place(case.pupils[p].0), &place(case.schools[s].0));
    for (p, &(_, _, baseline)) in case.pupils.iter().enumerate() {
        let Some(b) = baseline else { continue };
        let (now, before) = (way(p, school_of[p]), way(p, b));
        let mut allowed = f64::INFINITY;
        if let Some(m) = case.extra_m {
            allowed = allowed.min(m);
        }
        if let Some(pct) = case.extra_pct {
            allowed = allowed.min(before * pct / 100.0);
        }
        // The documented tolerance of the cap (as of max_distance_m): 1 mm.
        if now > before + allowed + 0.001 {
            return false;
        }
    }
    // A home: the pupils at one position (`assign = "homes"` joins equal coordinates).
    let n_pupils = case.pupils.len();
    let split = (0..n_pupils).any(|p| (0..n_pupils).any(|q| case.pupils[p].0 == case.pupils[q].0 && school_of[p] != school_of[q]));
    if case.homes && split {
        return false;
    }
    for (s, &(_, classes)) in case.schools.iter().enumerate() {
        let n = school_of.iter().filter(|&&x| x == s).count() as u32;
        if n > classes * case.class_size {
            return false;
        }
        let before = case.pupils.iter().filter(|p| p.2 == Some(s)).count() as u32;
        if case.school_change.is_some_and(|cap| n.abs_diff(before) > cap) {
            return false;
        }
    }
    true
}

/// The least total way over every feasible map, or `None`.
fn enumerate(case: &Case) -> Option<f64> {
    let (n, m) = (case.pupils.len(), case.schools.len());
    let mut best: Option<f64> = None;
    for code in 0..m.pow(n as u32) {
        let map: Vec<usize> = (0..n).map(|p| code / m.pow(p as u32) % m).collect();
        if feasible(case, &map) {
            let cost: f64 = (0..n).map(|p| dist(&place(case.pupils[p].0), &place(case.schools[map[p]].0))).sum();
            best = Some(best.map_or(cost, |b: f64| b.min(cost)));
        }
    }
    best
}

/// The solver's status, objective and map against enumeration; the checker
/// finds nothing and checks exactly the caps set.
fn check_against_enumeration(case: &Case) -> Result<(), TestCaseError> {
    {
        let instance = build(case);
        let outcome = solve(&instance).map_err(|e| TestCaseError::fail(format!("solver error {e}")))?;
        match enumerate(case) {
            None => prop_assert_eq!(outcome.status, SolveStatus::Infeasible),
            Some(best) => {
                prop_assert_eq!(outcome.status, SolveStatus::Optimal, "enumerated optimum {}", best);
                let objective = outcome.objective_m.unwrap();
                prop_assert!(
                    (objective - best).abs() <= 1e-6 * best.max(1.0),
                    "solver {} vs enumerated {}",
                    objective,
                    best
                );
                let school_of = outcome.assignment.unwrap().school_of;
                prop_assert!(feasible(case, &school_of), "solver map {:?} breaks a rule", school_of);
                let report = audit::check(&instance, &assignment_rows(&instance, &school_of), None);
                prop_assert!(report.is_compliant(), "audit: {:?}", report.violations);
                let checked = &report.rules_checked;
                prop_assert_eq!(
                    checked.contains(&Rule::ExtraWay),
                    case.extra_m.is_some() || case.extra_pct.is_some()
                );
                prop_assert_eq!(checked.contains(&Rule::SchoolChange), case.school_change.is_some());
            }
        }
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn the_solver_matches_enumeration_under_change_caps(case in case(2..=3, 3..=6, 0.5, prop::option::weighted(0.3, Just(1usize)))) {
        check_against_enumeration(&case)?;
    }

    /// Four schools, each pupil starting with its one or two nearest: the
    /// school-change rows' duals must price the missing arcs back in.
    #[test]
    fn priced_arcs_restore_the_optimum_under_change_caps(case in case(4..=4, 5..=7, 0.9, (1usize..=2).prop_map(Some))) {
        check_against_enumeration(&case)?;
    }
}

#[test]
fn the_exported_model_has_no_forbidden_arc_and_the_school_change_rows() {
    let tmp = tempfile::tempdir().unwrap();
    let export = |scenario: &str, name: &str| {
        let path = tmp.path().join(name);
        let scenario = fixture("change_caps").join(scenario);
        let (code, stdout, stderr) = run_catchment(["export-model", scenario.to_str().unwrap(), "-o", path.to_str().unwrap()]);
        assert_eq!(code, 0, "{stdout}{stderr}");
        std::fs::read_to_string(path).unwrap()
    };
    // p1 and p3 may not go to B (their ways would grow by 222 m and 667 m),
    // p4 not to A; p2 (at B last year) and the new pupil may go to either.
    let lp = export("scenario.toml", "caps.lp");
    for absent in ["x_p1_B", "x_p3_B", "x_p4_A"] {
        assert!(!lp.contains(absent), "{absent} in the model:\n{lp}");
    }
    for present in ["x_p1_A", "x_p2_A", "x_p2_B", "x_p3_A", "x_p4_B", "x_new_A", "x_new_B"] {
        assert!(lp.contains(present), "{present} missing:\n{lp}");
    }
    let lp = export("school_change.toml", "change.lp");
    for row in [
        "school_change_max_A: +1 x_q1_A +1 x_q2_A +1 x_q3_A +1 x_q4_A <= +2",
        "school_change_max_B: +1 x_q1_B +1 x_q2_B +1 x_q3_B +1 x_q4_B <= +6",
        "school_change_min_B: +1 x_q1_B +1 x_q2_B +1 x_q3_B +1 x_q4_B >= +2",
    ] {
        assert!(lp.contains(row), "{row} missing:\n{lp}");
    }
    assert!(
        !lp.contains("school_change_min_A"),
        "A's baseline intake 0 is within the cap: no lower row"
    );
}
