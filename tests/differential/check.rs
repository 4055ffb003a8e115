//! One differential check: a case is written to files, the real binary
//! solves it twice (`formulation = "certified"` and `"plain"`), and every
//! figure is compared — the two statuses and objectives, each objective
//! against the one recomputed here from the written `assignments.csv`, each
//! assignment against the rules written here and against `catchment audit`,
//! and, for tiny cases, the brute-force optimum.

use super::case::{CERTIFIED_TOML, Case, PLAIN_TOML};
use super::rules::{Cells, Cost, Relaxed, baseline_schools, cost, enumerate, enumerate_relaxed, keeps_rules, ways};
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// Longest a single run of the binary may take before it counts as a hang.
const RUN_TIMEOUT: Duration = Duration::from_secs(120);
/// Relative tolerance between objectives.
const REL_TOL: f64 = 1e-6;
/// Absolute tolerance between objectives, in metres.
const ABS_TOL_M: f64 = 1e-3;
/// `summary.json` rounds `objective_m` to centimetres: half a centimetre.
const ROUNDING_M: f64 = 0.005;

/// One thing that two answers disagree on.
#[derive(Debug, Clone, PartialEq)]
pub struct Disagreement {
    /// Short name of the kind of disagreement (the same for every case that shows it).
    pub class: String,
    /// The numbers of this case.
    pub detail: String,
}

/// What one case showed.
#[derive(Debug, Clone)]
pub struct Outcome {
    /// Every disagreement found.
    pub disagreements: Vec<Disagreement>,
    /// Status of the certified solve (`optimal`, `infeasible`, ...), if it ran.
    pub status: Option<String>,
    /// `model.components` of the certified solve.
    pub components: u64,
    /// Whether the case was enumerated by brute force.
    pub enumerated: bool,
    /// The pattern of the known decomposition defect (parts renumber
    /// `fixed_school` but not `baseline_school` or `sibling_school`): the
    /// case has a baseline or sibling schools and the certified solve ended
    /// in several parts (or exited with an error: a hard sibling broken in a part).
    pub known_defect_pattern: bool,
}

/// What one solve wrote.
struct Solved {
    formulation: &'static str,
    out: PathBuf,
    summary: Value,
    status: String,
}

fn disagree(list: &mut Vec<Disagreement>, class: impl Into<String>, detail: impl Into<String>) {
    list.push(Disagreement {
        class: class.into(),
        detail: detail.into(),
    });
}

fn close(a: f64, b: f64, extra: f64) -> bool {
    (a - b).abs() <= REL_TOL * a.abs().max(b.abs()) + ABS_TOL_M + extra
}

/// Runs the binary with `args` in `dir`, stdout and stderr to `log.out` /
/// `log.err` there; returns the exit code (`None`: killed after the timeout).
fn run_binary(dir: &Path, log: &str, args: &[&str]) -> Option<i32> {
    let stdout = std::fs::File::create(dir.join(format!("{log}.out"))).expect("log file");
    let stderr = std::fs::File::create(dir.join(format!("{log}.err"))).expect("log file");
    let mut child = Command::new(env!("CARGO_BIN_EXE_catchment"))
        .args(args)
        .current_dir(dir)
        .stdin(Stdio::null())
        .stdout(stdout)
        .stderr(stderr)
        .spawn()
        .expect("the catchment binary starts");
    let started = Instant::now();
    let mut pause = Duration::from_millis(1);
    loop {
        if let Some(status) = child.try_wait().expect("wait for catchment") {
            return Some(status.code().unwrap_or(-1));
        }
        if started.elapsed() > RUN_TIMEOUT {
            let _ = child.kill();
            let _ = child.wait();
            return None;
        }
        std::thread::sleep(pause);
        pause = (pause * 2).min(Duration::from_millis(20));
    }
}

fn first_line(path: &Path) -> String {
    std::fs::read_to_string(path)
        .unwrap_or_default()
        .lines()
        .find(|l| !l.trim().is_empty())
        .unwrap_or("")
        .to_string()
}

/// Solves the scenario file `toml` in `dir` into `dir/out-<formulation>`.
fn solve(dir: &Path, toml: &str, formulation: &'static str, found: &mut Vec<Disagreement>) -> Option<Solved> {
    let out = format!("out-{formulation}");
    let log = format!("solve-{formulation}");
    match run_binary(dir, &log, &["solve", toml, "-o", &out]) {
        Some(0) => {}
        Some(code) => {
            let message = first_line(&dir.join(format!("{log}.err")));
            disagree(found, format!("{formulation}: solve exits {code}"), message);
            return None;
        }
        None => {
            disagree(
                found,
                format!("{formulation}: solve hangs"),
                format!("killed after {RUN_TIMEOUT:?}"),
            );
            return None;
        }
    }
    let out = dir.join(out);
    let text = std::fs::read_to_string(out.join("summary.json")).unwrap_or_default();
    let Ok(summary) = serde_json::from_str::<Value>(&text) else {
        disagree(found, format!("{formulation}: no readable summary.json"), out.display().to_string());
        return None;
    };
    let status = summary["status"].as_str().unwrap_or("").to_string();
    Some(Solved {
        formulation,
        out,
        summary,
        status,
    })
}

/// Reads `assignments.csv` as a school index per pupil of the case.
fn read_assignment(case: &Case, solved: &Solved) -> Result<Vec<usize>, String> {
    let text = std::fs::read_to_string(solved.out.join("assignments.csv")).map_err(|e| format!("assignments.csv: {e}"))?;
    let mut lines = text.lines();
    let header = lines.next().unwrap_or("");
    if !header.starts_with("pupil_id,school_id") {
        return Err(format!("assignments.csv header {header:?}"));
    }
    let mut school_of = vec![None; case.pupils.len()];
    for line in lines.filter(|l| !l.is_empty()) {
        let cells: Vec<&str> = line.split(',').collect();
        let p = case
            .pupils
            .iter()
            .position(|p| p.id == cells[0])
            .ok_or(format!("unknown pupil in {line:?}"))?;
        let s = case
            .schools
            .iter()
            .position(|s| s.id == cells.get(1).copied().unwrap_or(""))
            .ok_or(format!("unknown school in {line:?}"))?;
        if school_of[p].replace(s).is_some() {
            return Err(format!("pupil {} twice", cells[0]));
        }
    }
    school_of
        .iter()
        .enumerate()
        .map(|(p, s)| s.ok_or(format!("pupil {} missing", case.pupils[p].id)))
        .collect()
}

/// Checks one solver's assignment: recomputed objective and way, the
/// reported counts, the rules written here, and `catchment audit`.
fn check_assignment(case: &Case, cells: Option<&Cells>, dir: &Path, solved: &Solved, found: &mut Vec<Disagreement>) -> Option<Cost> {
    let f = solved.formulation;
    let school_of = match read_assignment(case, solved) {
        Ok(s) => s,
        Err(e) => {
            disagree(found, format!("{f}: assignments.csv incomplete"), e);
            return None;
        }
    };
    let (ways, baseline) = (ways(case), baseline_schools(case));
    let recomputed = cost(case, &ways, &baseline, &school_of);
    let summary = &solved.summary;
    let reported = summary["objective_m"].as_f64().unwrap_or(f64::NAN);
    if !close(reported, recomputed.objective_m, ROUNDING_M) {
        disagree(
            found,
            format!("{f}: objective_m is not the objective of its assignment"),
            format!(
                "objective_m {reported}, recomputed {:.4} (way {:.4})",
                recomputed.objective_m, recomputed.way_m
            ),
        );
    }
    let reported_way = summary["distances"]["total_m"].as_f64().unwrap_or(f64::NAN);
    if !close(reported_way, recomputed.way_m, 0.0) {
        disagree(
            found,
            format!("{f}: distances.total_m is not the way of its assignment"),
            format!("{reported_way} vs {:.6}", recomputed.way_m),
        );
    }
    check_counts(case, summary, &recomputed, f, found);
    if let Err(rule) = keeps_rules(case, cells, &ways, &baseline, &school_of) {
        disagree(found, format!("{f}: assignment breaks a rule (test's checker)"), rule);
    }
    let assignments = solved.out.join("assignments.csv");
    let schools = solved.out.join("schools.csv");
    let toml = if f == "plain" { PLAIN_TOML } else { CERTIFIED_TOML };
    let args = [
        "audit",
        "--scenario",
        toml,
        "--assignments",
        path_str(&assignments),
        "--schools-result",
        path_str(&schools),
    ];
    match run_binary(dir, &format!("audit-{f}"), &args) {
        Some(0) => {}
        code => disagree(
            found,
            format!("{f}: audit finds the written assignment not compliant"),
            format!("exit {code:?}: {}", violation_lines(&dir.join(format!("audit-{f}.out")))),
        ),
    }
    Some(recomputed)
}

fn path_str(path: &Path) -> &str {
    path.to_str().expect("paths of the test are UTF-8")
}

/// The audit report's lines that name a violation (for the detail).
fn violation_lines(report: &Path) -> String {
    let text = std::fs::read_to_string(report).unwrap_or_default();
    text.lines()
        .filter(|l| l.contains("over") || l.contains("must") || l.contains("short") || l.contains("split") || l.contains("change"))
        .take(3)
        .collect::<Vec<_>>()
        .join(" | ")
}

/// `moved_against_baseline` and `siblings_honoured` against the recount.
fn check_counts(case: &Case, summary: &Value, recomputed: &Cost, f: &str, found: &mut Vec<Disagreement>) {
    if case.baseline.is_some() {
        let moved = summary["moved_against_baseline"].as_u64();
        if moved != Some(recomputed.moves as u64) {
            disagree(
                found,
                format!("{f}: moved_against_baseline wrong"),
                format!("{moved:?} vs {}", recomputed.moves),
            );
        }
    }
    if case.pupils.iter().any(|p| p.sibling.is_some()) {
        let honoured = summary["siblings_honoured"]["honoured"].as_u64();
        if honoured != Some(recomputed.siblings_honoured as u64) {
            disagree(
                found,
                format!("{f}: siblings_honoured wrong"),
                format!("{honoured:?} vs {}", recomputed.siblings_honoured),
            );
        }
    }
}

/// Writes `case` into `dir` (which must not exist or be empty) and checks it.
pub fn check_case(case: &Case, dir: &Path, name: &str) -> Outcome {
    case.write(dir, name).expect("the case's files are written");
    check_written(case, dir)
}

/// Solves the scenario files already in `dir` and judges the answers by `case`.
pub fn check_written(case: &Case, dir: &Path) -> Outcome {
    let mut found = Vec::new();
    let cells = map_cells(case, dir);
    let cells = cells.as_ref();
    let certified = solve(dir, CERTIFIED_TOML, "certified", &mut found);
    let plain = solve(dir, PLAIN_TOML, "plain", &mut found);
    let mut recomputed = Vec::new();
    for solved in certified.iter().chain(&plain) {
        match solved.status.as_str() {
            "optimal" => {
                if let Some(cost) = check_assignment(case, cells, dir, solved, &mut found) {
                    recomputed.push((solved.formulation, cost.objective_m));
                }
                check_bound(solved, &mut found);
            }
            "infeasible" => {}
            other => disagree(
                &mut found,
                format!("{}: status {other}", solved.formulation),
                "neither optimal nor infeasible",
            ),
        }
    }
    if let (Some(c), Some(p)) = (&certified, &plain) {
        compare_solves(c, p, &mut found);
    }
    // The assignments themselves, by the objective recomputed here: a worse
    // one is a wrong answer, not only a wrong figure.
    if let [(f, a), (g, b)] = recomputed[..]
        && !close(a, b, 0.0)
    {
        let worse = if a > b { f } else { g };
        disagree(
            &mut found,
            format!("{worse}: its assignment is worse than the other's (recomputed)"),
            format!("{f} {a:.4}, {g} {b:.4}"),
        );
    }
    let enumerated = case.is_tiny();
    if enumerated {
        compare_with_enumeration(case, cells, certified.iter().chain(&plain), &mut found);
    }
    let components = certified
        .as_ref()
        .and_then(|c| c.summary["model"]["components"].as_u64())
        .unwrap_or(0);
    let priced = case.baseline.is_some() || case.pupils.iter().any(|p| p.sibling.is_some());
    Outcome {
        disagreements: found,
        status: certified.as_ref().map(|c| c.status.clone()),
        components,
        enumerated,
        known_defect_pattern: priced && (components > 1 || certified.is_none()),
    }
}

/// The cells of the district map of a contiguous case written in `dir`
/// (`None` for any other case): the scenario read by the library as the
/// binary reads it, and the cells and neighbours of the map's mesh.
pub fn map_cells(case: &Case, dir: &Path) -> Option<Cells> {
    if !case.rules.contiguous {
        return None;
    }
    let instance = catchment::scenario::load_scenario(&dir.join(CERTIFIED_TOML)).ok()?;
    let adjacency = catchment::geometry::cell_adjacency(&instance)?;
    Some(Cells {
        of_pupil: adjacency.cell_of_pupil,
        neighbours: adjacency.neighbours,
        roots: adjacency.roots,
    })
}

/// An optimum proven with `mip_gap = 0`: the bound is at most the
/// objective and the gap (practically) zero.
fn check_bound(solved: &Solved, found: &mut Vec<Disagreement>) {
    let objective = solved.summary["objective_m"].as_f64().unwrap_or(f64::NAN);
    let bound = solved.summary["bound_m"].as_f64().unwrap_or(f64::NAN);
    let gap = solved.summary["gap"].as_f64().unwrap_or(f64::NAN);
    if !(bound <= objective + ABS_TOL_M && close(bound, objective, 0.0) && gap <= REL_TOL) {
        disagree(
            found,
            format!("{}: optimal without a proof (bound, gap)", solved.formulation),
            format!("objective_m {objective}, bound_m {bound}, gap {gap}"),
        );
    }
}

fn compare_solves(c: &Solved, p: &Solved, found: &mut Vec<Disagreement>) {
    if c.status != p.status {
        disagree(
            found,
            "status: certified != plain",
            format!("certified {}, plain {}", c.status, p.status),
        );
        return;
    }
    if c.status == "optimal" {
        let (a, b) = (
            c.summary["objective_m"].as_f64().unwrap_or(f64::NAN),
            p.summary["objective_m"].as_f64().unwrap_or(f64::NAN),
        );
        if !close(a, b, 0.0) {
            disagree(found, "objective: certified != plain", format!("certified {a}, plain {b}"));
        }
    }
}

fn compare_with_enumeration<'a>(
    case: &Case,
    cells: Option<&Cells>,
    solves: impl Iterator<Item = &'a Solved>,
    found: &mut Vec<Disagreement>,
) {
    let best = enumerate(case, cells);
    for solved in solves {
        let f = solved.formulation;
        match (&best, solved.status.as_str()) {
            (None, "infeasible") => check_explanation(case, cells, solved, found),
            (Some((objective, _)), "optimal") => {
                let reported = solved.summary["objective_m"].as_f64().unwrap_or(f64::NAN);
                if !close(reported, *objective, ROUNDING_M) {
                    disagree(
                        found,
                        format!("{f}: objective != enumerated optimum"),
                        format!("{f} {reported}, enumerated {objective:.4}"),
                    );
                }
                let bound = solved.summary["bound_m"].as_f64().unwrap_or(f64::NAN);
                if !(bound <= objective + ROUNDING_M + ABS_TOL_M) {
                    disagree(
                        found,
                        format!("{f}: bound_m above the enumerated optimum"),
                        format!("bound {bound}, enumerated {objective:.4}"),
                    );
                }
            }
            (None, status) => disagree(found, format!("{f}: {status} but no map keeps the rules"), "enumeration finds none"),
            (Some((objective, map)), status) => disagree(
                found,
                format!("{f}: {status} but enumeration finds an optimum"),
                format!("enumerated {objective:.4} with schools {map:?}"),
            ),
        }
    }
}

/// The rules relaxed as far as the changes of one relaxation say (or further).
pub fn relaxed_by(case: &Case, changes: &[Value]) -> Result<Relaxed, String> {
    let mut relaxed = Relaxed::none(case);
    let school = |change: &Value| {
        let id = change["school"].as_str().unwrap_or("");
        case.schools
            .iter()
            .position(|s| s.id == id)
            .ok_or(format!("unknown school in {change}"))
    };
    let number = |change: &Value, key: &str| change[key].as_u64().map(|n| n as u32).ok_or(format!("no {key} in {change}"));
    for change in changes {
        match change["change"].as_str().unwrap_or("") {
            "more_classes" => relaxed.max_classes[school(change)?] = number(change, "classes")?,
            "larger_classes" => {
                let s = school(change)?;
                relaxed.class_size_at_least[s] = number(change, "needed")?;
                relaxed.extra_seats[s] = number(change, "seats_missing")?;
            }
            "below_class_minimum" => relaxed.minimum_short[school(change)?] = number(change, "short")?,
            "release_locks" => relaxed.locks_released[school(change)?] = true,
            "longer_ways" => relaxed.max_distance_m = change["longest_m"].as_f64().map(|m| m + ABS_TOL_M),
            "separate_siblings" => relaxed.siblings_released = true,
            other => return Err(format!("unknown change {other:?}")),
        }
    }
    Ok(relaxed)
}

/// Every relaxation an infeasible solve names must restore feasibility
/// (checked by enumeration, with each rule relaxed at least as far as named).
fn check_explanation(case: &Case, cells: Option<&Cells>, solved: &Solved, found: &mut Vec<Disagreement>) {
    let f = solved.formulation;
    let relaxations = &solved.summary["infeasibility"]["relaxations"];
    let single = relaxations["single"].as_array().cloned().unwrap_or_default();
    let named = single.iter().chain(Some(&relaxations["combined"]).filter(|c| !c.is_null()));
    for relaxation in named {
        let changes = relaxation["changes"].as_array().cloned().unwrap_or_default();
        let families = relaxation["families"].to_string();
        match relaxed_by(case, &changes) {
            Err(e) => disagree(found, format!("{f}: infeasibility explanation unreadable"), e),
            Ok(relaxed) if enumerate_relaxed(case, &relaxed, cells).is_none() => disagree(
                found,
                format!("{f}: infeasibility explanation names a relaxation that does not restore feasibility"),
                format!("families {families}: {}", Value::Array(changes)),
            ),
            Ok(_) => {}
        }
    }
}
