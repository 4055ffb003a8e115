//! Differential test over random instances with every feature (issue #10):
//! each case is written to real files and solved by the real binary twice,
//! `formulation = "certified"` (pruning, merging, decomposition) against
//! `formulation = "plain"` (one variable per pupil and school); statuses and
//! objectives must agree, every objective must be the one recomputed here
//! from its `assignments.csv`, `catchment audit` must pass every written
//! assignment, and tiny cases must reach the brute-force optimum of the
//! rules written in `rules.rs`.
//!
//! `cargo test --release --test differential` runs a fixed list of seeds and
//! the reproducers in `tests/fixtures/differential/`; a long run is
//! `scripts/differential.sh [CASES] [SEED]` (the ignored test `long_run`,
//! with `DIFF_CASES`, `DIFF_SEED`, `DIFF_JOBS`, `DIFF_SHRINK`).
//!
//! A case that disagrees keeps its folder under
//! `target/tmp/differential/<run>/case-NNNNN/`: the instance (`schools.csv`,
//! `pupils.csv`, `last-year.csv`, `scenario.toml` = certified, `plain.toml`),
//! both solves' outputs and logs; `catchment solve scenario.toml` in that
//! folder reproduces it.

#[path = "../common/mod.rs"]
mod common;

mod case;
mod check;
mod generator;
mod rules;
mod shrink;

use case::{Baseline, Case, PupilSpec, RuleSpec, SchoolSpec, SolverSpec};
use check::{Outcome, check_case};
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::sync::Mutex;

/// Seed of the cases `cargo test` runs.
const FIXED_SEED: u64 = 2026;
/// Number of cases `cargo test` runs (about 20 s on the project's 2-core machine).
const FIXED_CASES: u64 = 80;

/// Folder for the files of a run (kept only for cases that disagree).
fn work_dir(run: &str) -> PathBuf {
    Path::new(env!("CARGO_TARGET_TMPDIR")).join("differential").join(run)
}

/// One case that disagreed.
struct Found {
    index: u64,
    seed: u64,
    folder: PathBuf,
    outcome: Outcome,
    /// The minimised reproducer's folder, when shrinking was asked for.
    shrunk: Option<PathBuf>,
}

/// Tallies of a run.
#[derive(Default)]
struct Tally {
    cases: u64,
    /// Cases with the feature, and of those, how many were infeasible.
    features: BTreeMap<&'static str, (u64, u64)>,
    statuses: BTreeMap<String, u64>,
    decomposed: u64,
    enumerated: u64,
    found: Vec<Found>,
}

impl Tally {
    fn add(&mut self, case: &Case, outcome: &Outcome) {
        self.cases += 1;
        let infeasible = outcome.status.as_deref() == Some("infeasible");
        for feature in case.features() {
            let entry = self.features.entry(feature).or_default();
            entry.0 += 1;
            entry.1 += infeasible as u64;
        }
        *self
            .statuses
            .entry(outcome.status.clone().unwrap_or_else(|| "(no status)".into()))
            .or_default() += 1;
        self.decomposed += (outcome.components > 1) as u64;
        self.enumerated += outcome.enumerated as u64;
    }

    /// The run's report: counts, per-feature counts, every disagreement.
    fn report(&self, seed: u64) -> String {
        let mut text = format!(
            "differential run: seed {seed}, {} cases, {} with disagreements\n",
            self.cases,
            self.found.len()
        );
        text += &format!("  certified solve decomposed (model.components > 1): {}\n", self.decomposed);
        text += &format!("  enumerated by brute force: {}\n", self.enumerated);
        for (status, n) in &self.statuses {
            text += &format!("  status {status}: {n}\n");
        }
        text += "  cases per feature (of which infeasible):\n";
        for (feature, (n, infeasible)) in &self.features {
            text += &format!("    {n:>6} ({infeasible:>5})  {feature}\n");
        }
        let mut by_class: BTreeMap<&str, u64> = BTreeMap::new();
        for found in &self.found {
            let classes: BTreeSet<&str> = found.outcome.disagreements.iter().map(|d| d.class.as_str()).collect();
            for class in classes {
                *by_class.entry(class).or_default() += 1;
            }
        }
        if !by_class.is_empty() {
            text += "  disagreements by kind (cases):\n";
            for (class, n) in &by_class {
                text += &format!("    {n:>6}  {class}\n");
            }
        }
        let unexplained = self.found.iter().filter(|f| !f.outcome.known_defect_pattern).count();
        text += &format!(
            "  cases that disagree outside the known decomposition defect's pattern (split + baseline or siblings): {unexplained}\n"
        );
        for found in &self.found {
            let pattern = if found.outcome.known_defect_pattern {
                "known-defect pattern"
            } else {
                "OUTSIDE the known pattern"
            };
            text += &format!(
                "  case {} (case seed {}, {} components, {pattern}) kept in {}\n",
                found.index,
                found.seed,
                found.outcome.components,
                found.folder.display()
            );
            if let Some(shrunk) = &found.shrunk {
                text += &format!("    minimised: {}\n", shrunk.display());
            }
            for d in &found.outcome.disagreements {
                text += &format!("    {}: {}\n", d.class, d.detail);
            }
        }
        text
    }
}

/// Checks cases `0..cases` of the run started from `seed` on `jobs` threads;
/// a case that disagrees keeps its folder, and the first `shrink` cases of
/// each kind of disagreement get a minimised copy in it (`minimised/`).
fn run_cases(run: &str, seed: u64, cases: u64, jobs: usize, shrink: u64) -> Tally {
    let root = work_dir(run);
    let _ = std::fs::remove_dir_all(&root);
    let tally = Mutex::new(Tally::default());
    let next = Mutex::new(0u64);
    let shrunk_per_kind: Mutex<BTreeMap<String, u64>> = Mutex::new(BTreeMap::new());
    std::thread::scope(|scope| {
        for _ in 0..jobs.max(1) {
            scope.spawn(|| {
                loop {
                    let index = {
                        let mut n = next.lock().unwrap();
                        if *n >= cases {
                            break;
                        }
                        *n += 1;
                        *n - 1
                    };
                    let found = run_one(&root, seed, index, &tally, &|class: &str| {
                        let mut shrunk = shrunk_per_kind.lock().unwrap();
                        let n = shrunk.entry(class.to_string()).or_default();
                        *n += 1;
                        *n <= shrink
                    });
                    if let Some(found) = found {
                        eprintln!(
                            "case {index}: {} disagreement(s), kept in {}",
                            found.outcome.disagreements.len(),
                            found.folder.display()
                        );
                        tally.lock().unwrap().found.push(found);
                    }
                    let done = tally.lock().unwrap().cases;
                    if done % 250 == 0 {
                        eprintln!("{done} of {cases} cases checked");
                    }
                }
            });
        }
    });
    let mut tally = tally.into_inner().unwrap();
    tally.found.sort_by_key(|f| f.index);
    tally
}

/// Checks case `index`; `shrink_this` says whether a case showing a
/// disagreement of that kind is to be minimised.
fn run_one(root: &Path, seed: u64, index: u64, tally: &Mutex<Tally>, shrink_this: &dyn Fn(&str) -> bool) -> Option<Found> {
    let case_seed = generator::case_seed(seed, index);
    let case = generator::generate(case_seed);
    let folder = root.join(format!("case-{index:05}"));
    let outcome = check_case(&case, &folder, &format!("seed {seed} case {index}"));
    tally.lock().unwrap().add(&case, &outcome);
    if outcome.disagreements.is_empty() {
        let _ = std::fs::remove_dir_all(&folder);
        return None;
    }
    let class = outcome
        .disagreements
        .iter()
        .map(|d| d.class.clone())
        .min_by_key(|c| shrink::severity(c))
        .expect("a disagreement");
    let shrunk = shrink_this(&class).then(|| minimise(&case, &class, &folder, &format!("seed {seed} case {index} minimised")));
    Some(Found {
        index,
        seed: case_seed,
        folder,
        outcome,
        shrunk,
    })
}

/// Minimises `case` for a disagreement of `class` into `folder/minimised`.
fn minimise(case: &Case, class: &str, folder: &Path, name: &str) -> PathBuf {
    let (small, _) = shrink::shrink(case, class, &folder.join("shrinking"));
    let _ = std::fs::remove_dir_all(folder.join("shrinking"));
    let target = folder.join("minimised");
    let _ = std::fs::remove_dir_all(&target);
    check_case(&small, &target, name);
    target
}

fn env_number(key: &str, default: u64) -> u64 {
    std::env::var(key).ok().map_or(default, |v| {
        v.trim().parse().unwrap_or_else(|_| panic!("{key}={v} is not a whole number"))
    })
}

#[test]
fn certified_and_plain_agree_on_a_fixed_list_of_seeds() {
    let tally = run_cases("fixed", FIXED_SEED, FIXED_CASES, 1, 0);
    let report = tally.report(FIXED_SEED);
    println!("{report}");
    assert!(
        tally.found.is_empty(),
        "{} of {} cases disagree (report above)",
        tally.found.len(),
        tally.cases
    );
    // The run must really exercise what it is there for.
    assert!(tally.decomposed >= 5, "only {} cases decomposed\n{report}", tally.decomposed);
    assert!(tally.enumerated >= 10, "only {} cases enumerated\n{report}", tally.enumerated);
    assert!(tally.statuses.get("optimal").copied().unwrap_or(0) >= 20, "{report}");
    assert!(tally.statuses.get("infeasible").copied().unwrap_or(0) >= 5, "{report}");
}

/// The long run: `DIFF_CASES` (default 2000) cases from `DIFF_SEED` (default 1)
/// on `DIFF_JOBS` threads (default 1); `DIFF_SHRINK=N` minimises the first N
/// cases of each kind of disagreement (default 0). Prints the counts and
/// every disagreement with its folder.
#[test]
#[ignore = "long run: scripts/differential.sh"]
fn long_run() {
    let (cases, seed) = (env_number("DIFF_CASES", 2000), env_number("DIFF_SEED", 1));
    let jobs = env_number("DIFF_JOBS", 1) as usize;
    let shrink = env_number("DIFF_SHRINK", 0);
    let started = std::time::Instant::now();
    let tally = run_cases(&format!("long-seed-{seed}"), seed, cases, jobs, shrink);
    let report = tally.report(seed);
    println!("{report}  wall time {:.0} s", started.elapsed().as_secs_f64());
    assert!(
        tally.found.is_empty(),
        "{} of {} cases disagree (see above)",
        tally.found.len(),
        tally.cases
    );
}

/// Minimises a kept case: `DIFF_DIR` (a case folder) and `DIFF_CLASS` (the
/// kind of disagreement, as the long run prints it); writes `DIFF_DIR/minimised`.
#[test]
#[ignore = "tool: DIFF_DIR=... DIFF_CLASS=... cargo test --release --test differential -- --ignored minimise_kept_case"]
fn minimise_kept_case() {
    let dir = PathBuf::from(std::env::var("DIFF_DIR").expect("DIFF_DIR names a case folder"));
    let class = std::env::var("DIFF_CLASS").expect("DIFF_CLASS names a kind of disagreement");
    let case = Case::read(&dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display()));
    let target = minimise(&case, &class, &dir, "minimised");
    let outcome = check::check_written(&Case::read(&target).unwrap(), &target);
    println!("minimised into {}", target.display());
    for d in &outcome.disagreements {
        println!("  {}: {}", d.class, d.detail);
    }
}

// ------------------------------------------------------------- reproducers

/// Expected optimum of each reproducer in `tests/fixtures/differential/`
/// (`None`: infeasible), computed by the enumeration in `rules.rs` and by hand.
const REPRODUCERS: &[(&str, Option<f64>)] = &[
    ("split_move_penalty", Some(833.32)),
    ("split_sibling_weight", Some(2201.37)),
    ("split_worse_assignment", Some(2309.19)),
    ("split_hard_sibling_rejected", Some(3073.6)),
    ("hard_sibling_explanation", None),
    ("intake_explanation_seats", None),
];

fn reproducer_dir(name: &str) -> PathBuf {
    common::fixture("differential").join(name)
}

/// Checks the reproducer `name` and its expected optimum.
fn check_reproducer(name: &str, expected: Option<f64>) {
    let case = Case::read(&reproducer_dir(name)).unwrap_or_else(|e| panic!("{name}: {e}"));
    let folder = work_dir("reproducers").join(name);
    let _ = std::fs::remove_dir_all(&folder);
    let outcome = check_case(&case, &folder, name);
    let cells = check::map_cells(&case, &reproducer_dir(name));
    let enumerated = rules::enumerate(&case, cells.as_ref()).map(|(objective, _)| objective);
    match (expected, enumerated) {
        (None, None) => {}
        (Some(e), Some(b)) => assert!((e - b).abs() < 0.01, "{name}: enumerated {b}, expected {e}"),
        (e, b) => panic!("{name}: enumerated {b:?}, expected {e:?}"),
    }
    let problems: Vec<String> = outcome.disagreements.iter().map(|d| format!("{}: {}", d.class, d.detail)).collect();
    assert!(
        problems.is_empty(),
        "{name} (files in {}):\n{}",
        folder.display(),
        problems.join("\n")
    );
}

/// Known defect (decomposition renumbers `fixed_school` but not
/// `baseline_school`): certified 933.32 m, optimum 833.32 m.
#[test]
fn reproducer_split_move_penalty() {
    check_reproducer("split_move_penalty", Some(833.32));
}

/// Known defect (decomposition renumbers `fixed_school` but not
/// `sibling_school`): certified 4,201.37 m, optimum 2,201.37 m.
#[test]
fn reproducer_split_sibling_weight() {
    check_reproducer("split_sibling_weight", Some(2201.37));
}

/// Known defect (decomposition, `sibling_school` not renumbered): the
/// certified assignment costs 52,402.59 m (reported 2,402.59 m), optimum 2,309.19 m.
#[test]
fn reproducer_split_worse_assignment() {
    check_reproducer("split_worse_assignment", Some(2309.19));
}

/// Known defect (decomposition, `sibling_school` not renumbered, hard):
/// the certified solve exits 3, its checker rejecting a broken hard sibling.
#[test]
fn reproducer_split_hard_sibling_rejected() {
    check_reproducer("split_hard_sibling_rejected", Some(3073.6));
}

/// Known defect (infeasibility explanation with `siblings_hard`): relaxations
/// with no change named as restoring feasibility.
#[test]
fn reproducer_hard_sibling_explanation() {
    check_reproducer("hard_sibling_explanation", None);
}

/// Found by the harness: with the intake basis the class-size relaxation
/// names too few missing seats (1 of 2).
#[test]
fn reproducer_intake_explanation_seats() {
    check_reproducer("intake_explanation_seats", None);
}

#[test]
fn every_reproducer_folder_is_listed() {
    let Ok(entries) = std::fs::read_dir(common::fixture("differential")) else {
        assert!(REPRODUCERS.is_empty());
        return;
    };
    let mut on_disk: Vec<String> = entries.map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
    on_disk.sort();
    let mut listed: Vec<String> = REPRODUCERS.iter().map(|(n, _)| n.to_string()).collect();
    listed.sort();
    assert_eq!(on_disk, listed);
}

// ------------------------------------------------- the harness checks itself

/// Two schools on a meridian 0.01 degrees (1,111.95 m) apart, one class of 2
/// each; three pupils at the first school's door, all there last year.
fn hand_case() -> Case {
    let school = |id: &str, lat_u: i64| SchoolSpec {
        id: id.into(),
        lat_u,
        lon_u: 11_000_000,
        classes: 1,
        min_classes: 1,
        max_classes: 1,
        reserved: 0,
        share_bp: 0,
    };
    let pupil = |id: &str| PupilSpec {
        id: id.into(),
        lat_u: 52_000_000,
        lon_u: 11_000_000,
        migrant: false,
        unit: None,
        lock: None,
        sibling: None,
    };
    Case {
        schools: vec![school("A", 52_000_000), school("B", 52_010_000)],
        pupils: vec![pupil("P0"), pupil("P1"), pupil("P2")],
        baseline: Some(Baseline {
            by_unit: false,
            rows: vec![("P0".into(), 0), ("P1".into(), 0), ("P2".into(), 0), ("gone".into(), 1)],
        }),
        rules: RuleSpec {
            class_size: 2,
            reduced_class_size: 2,
            threshold_pct: 25,
            intake: false,
            min_class_size: None,
            max_distance_m: None,
            move_penalty_m: 400,
            max_moves: None,
            sibling_weight_m: 500,
            siblings_hard: false,
            units: false,
            homes: false,
            contiguous: false,
        },
        solver: SolverSpec {
            candidate_nearest: None,
            candidate_radius_m: None,
            warm_start: true,
            integral_lp_shortcut: true,
            first_integer_reach_m: None,
        },
        tags: BTreeSet::new(),
    }
}

#[test]
fn the_rules_written_here_are_right_on_a_hand_case() {
    let gap = 0.01f64.to_radians() * common::R; // 1,111.95 m
    let mut case = hand_case();
    let (ways, baseline) = (rules::ways(&case), rules::baseline_schools(&case));
    assert!((ways[0][1] - gap).abs() < 1e-6 && ways[0][0] == 0.0);
    assert_eq!(baseline, vec![Some(0), Some(0), Some(0)]);
    // One pupil must walk to B and move: 1,111.95 + 400.
    let (best, _) = rules::enumerate(&case, None).unwrap();
    assert!((best - (gap + 400.0)).abs() < 1e-6, "{best}");
    assert!(
        rules::keeps_rules(&case, None, &ways, &baseline, &[0, 0, 0])
            .unwrap_err()
            .contains("school A")
    );
    // P2's sibling is at B: sending P2 costs no sibling price, anyone else 500 more.
    case.pupils[2].sibling = Some(1);
    let (best, map) = rules::enumerate(&case, None).unwrap();
    assert_eq!(map, vec![0, 0, 1]);
    assert!((best - (gap + 400.0)).abs() < 1e-6, "{best}");
    let at_a = rules::cost(&case, &ways, &baseline, &[1, 0, 0]);
    assert_eq!((at_a.moves, at_a.siblings_honoured, at_a.siblings_missed), (1, 0, 1));
    assert!((at_a.objective_m - (gap + 900.0)).abs() < 1e-6);
    // Intake basis, reduced size 1, P0 a migrant: wherever P0 goes its school
    // is above 25% and holds P0 alone. P0 to B costs 1,111.95 + 400 + 500
    // (P2 misses B); P1 and P2 to B cost 2 x (1,111.95 + 400).
    case.rules.intake = true;
    case.rules.reduced_class_size = 1;
    case.pupils[0].migrant = true;
    let (best, map) = rules::enumerate(&case, None).unwrap();
    assert_eq!(map, vec![1, 0, 0]);
    assert!((best - (gap + 900.0)).abs() < 1e-6, "{best}");
    // A cap of 0 moves leaves no feasible map; so does a hard sibling rule
    // together with a lock of P2 at A.
    case.rules.max_moves = Some(0);
    assert!(rules::enumerate(&case, None).is_none());
    case.rules.max_moves = None;
    case.rules.siblings_hard = true;
    case.pupils[2].lock = Some(0);
    assert!(rules::enumerate(&case, None).is_none());
}

#[test]
fn relaxations_as_the_explanation_names_them_are_applied_as_far_as_named() {
    // The hand case with max_moves = 0: three pupils at A's door, all at A
    // last year, one class of 2 at A: someone has to move, so it is infeasible.
    let mut case = hand_case();
    case.rules.max_moves = Some(0);
    assert!(rules::enumerate(&case, None).is_none());
    let restores = |case: &Case, changes: serde_json::Value| {
        let relaxed = check::relaxed_by(case, changes.as_array().unwrap()).unwrap();
        rules::enumerate_relaxed(case, &relaxed, None).map(|(objective, _)| objective)
    };
    use serde_json::json;
    let gap = 0.01f64.to_radians() * common::R;
    assert_eq!(
        restores(&case, json!([{"change": "more_classes", "school": "A", "extra": 1, "classes": 2}])),
        Some(0.0)
    );
    assert_eq!(
        restores(&case, json!([{"change": "more_classes", "school": "B", "extra": 1, "classes": 2}])),
        None
    );
    let larger =
        json!([{"change": "larger_classes", "school": "A", "needed": 3, "size": 2, "classes": 1, "pupils": 3, "seats_missing": 1}]);
    assert_eq!(restores(&case, larger), Some(0.0));
    assert_eq!(
        restores(
            &case,
            json!([{"change": "release_locks", "school": "A", "pupil_ids": [], "pupils": 0}])
        ),
        None
    );
    assert!(check::relaxed_by(&case, &[json!({"change": "more_classes", "school": "X", "classes": 2})]).is_err());
    // A class minimum of 2, A with 1 or 2 classes, B with 1: 3 pupils cannot
    // fill them (A 3 needs 2 classes of at least 2, A 2 leaves B 1 short).
    case.rules.max_moves = None;
    case.schools[0].max_classes = 2;
    case.rules.min_class_size = Some(2);
    assert!(rules::enumerate(&case, None).is_none());
    // B 1 short: one pupil walks to B (and moves). A 1 short: two do.
    let b_short = restores(&case, json!([{"change": "below_class_minimum", "school": "B", "short": 1}])).unwrap();
    assert!((b_short - (gap + 400.0)).abs() < 1e-6, "{b_short}");
    let a_short = restores(&case, json!([{"change": "below_class_minimum", "school": "A", "short": 1}])).unwrap();
    assert!((a_short - 2.0 * (gap + 400.0)).abs() < 1e-6, "{a_short}");
}

#[test]
fn the_binary_agrees_with_the_hand_case() {
    let mut case = hand_case();
    case.pupils[2].sibling = Some(1);
    let folder = work_dir("hand-case");
    let _ = std::fs::remove_dir_all(&folder);
    let outcome = check_case(&case, &folder, "hand case");
    assert_eq!(outcome.disagreements, vec![], "{}", folder.display());
    assert_eq!(outcome.status.as_deref(), Some("optimal"));
    assert!(outcome.enumerated);
    let summary: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(folder.join("out-plain/summary.json")).unwrap()).unwrap();
    let expected = 0.01f64.to_radians() * common::R + 400.0;
    common::assert_close(summary["objective_m"].as_f64().unwrap(), expected, 0.006, "objective_m");
}

#[test]
fn a_wrong_objective_is_reported_as_a_disagreement() {
    // The harness must fail when the binary's answer is wrong: the case
    // written to files has a move penalty of 400, but the test's copy says
    // 0, so every recomputed objective is 400 m off.
    let case = hand_case();
    let folder = work_dir("wrong-objective");
    let _ = std::fs::remove_dir_all(&folder);
    case.write(&folder, "wrong").unwrap();
    let mut blind = case.clone();
    blind.rules.move_penalty_m = 0;
    let outcome = check_case(&blind, &folder.join("blind"), "blind");
    assert!(outcome.disagreements.is_empty(), "the blind case is consistent in itself");
    // Now solve the written (penalty 400) files but judge with the blind copy.
    let mut files_case = Case::read(&folder).unwrap();
    assert_eq!(files_case, case);
    files_case.rules.move_penalty_m = 0;
    let judged = check::check_written(&files_case, &folder);
    let classes: BTreeSet<&str> = judged.disagreements.iter().map(|d| d.class.as_str()).collect();
    assert!(
        classes.contains("certified: objective_m is not the objective of its assignment")
            && classes.contains("plain: objective != enumerated optimum"),
        "{classes:?}"
    );
}

#[test]
fn generated_cases_are_deterministic_cover_every_feature_and_read_back() {
    let mut seen: BTreeSet<&'static str> = BTreeSet::new();
    let folder = work_dir("round-trip");
    for index in 0..300 {
        let seed = generator::case_seed(FIXED_SEED, index);
        let case = generator::generate(seed);
        assert_eq!(case, generator::generate(seed), "case {index} is not deterministic");
        assert!((4..=30).contains(&case.pupils.len()) && (2..=8).contains(&case.schools.len()));
        seen.extend(case.features());
        if index < 40 {
            let dir = folder.join(format!("case-{index}"));
            let _ = std::fs::remove_dir_all(&dir);
            case.write(&dir, "round trip").unwrap();
            let mut back = Case::read(&dir).unwrap();
            back.tags = case.tags.clone();
            assert_eq!(back, case, "case {index} reads back differently");
        }
    }
    for feature in [
        "basis intake",
        "basis previous_year",
        "class ranges",
        "reserved seats",
        "locks",
        "assign units",
        "assign homes",
        "contiguous",
        "contiguous, enumerated",
        "unit ids with assign pupils",
        "max distance",
        "class minimum",
        "baseline",
        "baseline by unit",
        "move penalty",
        "max moves",
        "siblings weighted",
        "siblings hard",
        "share at threshold +-1bp",
        "duplicate homes",
        "pupils halfway between two schools",
        "schools aligned (exact ties)",
        "towns far apart",
        "towns near each other",
        "one town",
        "pupils = planned seats",
        "seats to spare",
        "classes at random",
        "pruned candidates",
        "tiny (enumerated)",
    ] {
        assert!(seen.contains(feature), "no generated case has {feature:?}");
    }
    let _ = std::fs::remove_dir_all(&folder);
}

/// The contiguity the test judges bites: over the fixed seeds' tiny
/// contiguous cases, the enumerated optimum with the rule is never below
/// the one without it (same cells, same groups), and on some cases it is
/// above it or there is none (a district the unconstrained optimum leaves
/// in parts, or a school's cell it gives away).
#[test]
fn the_contiguity_judged_here_is_a_restriction_that_bites() {
    let folder = work_dir("contiguity-bites");
    let (mut tiny, mut bitten) = (0, 0);
    for index in 0..600 {
        let case = generator::generate(generator::case_seed(FIXED_SEED, index));
        if !(case.rules.contiguous && case.is_tiny()) {
            continue;
        }
        let dir = folder.join(format!("case-{index}"));
        let _ = std::fs::remove_dir_all(&dir);
        case.write(&dir, "contiguity bites").unwrap();
        let cells = check::map_cells(&case, &dir).expect("the cells of a contiguous case");
        let mut free = case.clone();
        free.rules.contiguous = false;
        let with = rules::enumerate(&case, Some(&cells)).map(|(objective, _)| objective);
        let without = rules::enumerate(&free, None).map(|(objective, _)| objective);
        match (with, without) {
            (Some(w), Some(f)) => {
                assert!(w >= f - 1e-9, "case {index}: contiguous {w} below unconstrained {f}");
                bitten += (w > f + 1e-6) as usize;
            }
            (Some(w), None) => panic!("case {index}: contiguous {w} but nothing without the rule"),
            (None, Some(_)) => bitten += 1,
            (None, None) => {}
        }
        tiny += 1;
    }
    eprintln!("{tiny} tiny contiguous cases; the rule changes the optimum (or feasibility) of {bitten}");
    assert!(tiny >= 20, "only {tiny} tiny contiguous cases");
    assert!(bitten >= 3, "contiguity changed only {bitten} of {tiny} tiny cases");
}
