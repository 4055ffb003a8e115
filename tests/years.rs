//! Multi-year planning (`[[year]]`, `rooms`, `classes_grade2..`): the real
//! binary on hand-computed fixtures, an infeasible plan explained in rooms,
//! bad inputs, and brute-force enumeration of tiny multi-year instances
//! (every assignment of every year, classes derived, rooms checked).

mod common;

use common::{LAT0, LON0, STEP_DEG, assert_close, fixture, haversine_m, run_catchment, solve_into, step_m};
use std::collections::BTreeMap;
use std::path::Path;

/// `years.csv` as rows keyed by (school_id, year).
fn years_csv(out: &Path) -> BTreeMap<(String, String), BTreeMap<String, String>> {
    csv::Reader::from_path(out.join("years.csv"))
        .unwrap()
        .deserialize::<BTreeMap<String, String>>()
        .map(|row| {
            let row = row.unwrap();
            ((row["school_id"].clone(), row["year"].clone()), row)
        })
        .collect()
}

fn json(path: &Path) -> serde_json::Value {
    serde_json::from_slice(&std::fs::read(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))).unwrap()
}

fn pupil_schools(out: &Path) -> BTreeMap<String, String> {
    common::assignment_in(out)
}

#[test]
fn joint_plan_beats_the_year_by_year_plan() {
    // A (1 room) at step 0, B at step 10. 2026: two pupils at step 3
    // (A 3 steps, B 7 steps). 2027: two pupils at step 0 (A 0, B 10).
    // Year by year: 2026 takes A (6 steps), its class keeps A's only room in
    // 2027, so 2027 goes to B (20 steps): 26 steps. Jointly: 2026 to B (14
    // steps), 2027 to A (0): 14 steps.
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    let (code, stdout, stderr) = solve_into(&fixture("years").join("scenario.toml"), &out, &[]);
    assert_eq!(code, 0, "{stdout}\n{stderr}");
    assert!(stdout.contains("multi-year plan: optimal, 2 years"), "{stdout}");
    let summary = json(&out.join("summary.json"));
    assert_eq!(summary["status"], "optimal");
    assert_close(summary["objective_m"].as_f64().unwrap(), 14.0 * step_m(), 1e-6, "joint total");
    assert_close(summary["bound_m"].as_f64().unwrap(), 14.0 * step_m(), 1e-6, "bound");
    assert_eq!(summary["gap"].as_f64(), Some(0.0));
    assert_eq!(summary["years"][0]["label"], "2026");
    assert_close(summary["years"][0]["total_way_m"].as_f64().unwrap(), 14.0 * step_m(), 1e-6, "2026");
    assert_close(summary["years"][1]["total_way_m"].as_f64().unwrap(), 0.0, 1e-9, "2027");
    let y2026 = pupil_schools(&out.join("year-2026"));
    let y2027 = pupil_schools(&out.join("year-2027"));
    assert_eq!(y2026.values().collect::<Vec<_>>(), ["B", "B"]);
    assert_eq!(y2027.values().collect::<Vec<_>>(), ["A", "A"]);
    let rows = years_csv(&out);
    let cell = |s: &str, y: &str, c: &str| rows[&(s.to_string(), y.to_string())][c].clone();
    assert_eq!(rows.len(), 4);
    assert_eq!(
        (cell("A", "2026", "classes_opened"), cell("A", "2026", "rooms_in_use")),
        ("0".into(), "0".into())
    );
    assert_eq!(
        (cell("A", "2027", "classes_opened"), cell("A", "2027", "rooms_in_use")),
        ("1".into(), "1".into())
    );
    assert_eq!(
        (cell("B", "2026", "classes_opened"), cell("B", "2027", "rooms_in_use")),
        ("1".into(), "1".into())
    );
    assert_eq!((cell("A", "2027", "rooms"), cell("B", "2027", "rooms")), ("1".into(), "".into()));
    assert_eq!(
        (cell("B", "2026", "pupils"), cell("B", "2026", "migration_share")),
        ("2".into(), "0.5000".into())
    );
    assert_eq!(cell("A", "2027", "class_size"), "2");
    // The year-by-year planner's first step: 2026 alone sends both to A.
    let myopic = dir.path().join("myopic");
    let (code, ..) = solve_into(&fixture("years").join("myopic.toml"), &myopic, &[]);
    assert_eq!(code, 0);
    assert_eq!(pupil_schools(&myopic).values().collect::<Vec<_>>(), ["A", "A"]);
    assert_close(
        json(&myopic.join("summary.json"))["objective_m"].as_f64().unwrap(),
        6.0 * step_m(),
        1e-3,
        "myopic 2026 (summary.json rounds to the millimetre)",
    );
}

#[test]
fn each_year_passes_the_single_year_audit_with_its_classes() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    let (code, ..) = solve_into(&fixture("years").join("scenario.toml"), &out, &[]);
    assert_eq!(code, 0);
    for (year, pupils) in [("2026", "pupils_2026.csv"), ("2027", "pupils_2027.csv")] {
        let scenario = dir.path().join(format!("single-{year}.toml"));
        let folder = fixture("years");
        let text = format!(
            "schools = \"{}\"\npupils = \"{}\"\n[rules]\nclass_size = 2\nreduced_class_size = 1\n",
            folder.join("schools.csv").display(),
            folder.join(pupils).display()
        );
        std::fs::write(&scenario, text).unwrap();
        let year_dir = out.join(format!("year-{year}"));
        let (code, stdout, stderr) = run_catchment([
            "audit".to_string(),
            "--scenario".into(),
            scenario.display().to_string(),
            "--assignments".into(),
            year_dir.join("assignments.csv").display().to_string(),
            "--schools-result".into(),
            year_dir.join("schools.csv").display().to_string(),
        ]);
        assert_eq!(code, 0, "year {year}: {stdout}\n{stderr}");
        let summary = json(&year_dir.join("summary.json"));
        assert_eq!(summary["status"], "optimal", "year {year}");
    }
}

#[test]
fn rooms_too_few_are_named_with_school_year_and_numbers() {
    // A must open a class each year, has 1 room and a grade-2 class in 2026
    // (grade 3 in 2027): 2 rooms needed in 2026, 3 in 2027.
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    let (code, stdout, stderr) = solve_into(&fixture("years_rooms_short").join("scenario.toml"), &out, &[]);
    assert_eq!(code, 0, "an infeasible plan is a result: {stdout}\n{stderr}");
    assert!(
        stdout.contains("rooms too few: school A in year 2026 needs 2 rooms, has 1"),
        "{stdout}"
    );
    assert!(
        stdout.contains("rooms too few: school A in year 2027 needs 3 rooms, has 1"),
        "{stdout}"
    );
    let summary = json(&out.join("summary.json"));
    assert_eq!(summary["status"], "infeasible");
    assert_eq!(summary["objective_m"], serde_json::Value::Null);
    let short = summary["rooms_short"].as_array().unwrap();
    assert_eq!(short.len(), 2, "{summary}");
    assert_eq!(
        (short[0]["school_id"].as_str(), short[0]["rooms_needed"].as_u64()),
        (Some("A"), Some(2))
    );
    assert_eq!(
        (short[1]["year"].as_str(), short[1]["rooms_needed"].as_u64()),
        (Some("2027"), Some(3))
    );
    assert_eq!(summary["years"][0]["status"], "feasible_alone");
    assert!(!out.join("years.csv").exists(), "no plan, no years.csv");
    assert!(!out.join("year-2026").exists(), "no assignment breaking the rooms is written");
}

/// A copy of the `years` fixture in a temporary folder, with `edit` applied
/// to the named file.
fn edited_years(dir: &Path, file: &str, edit: impl Fn(String) -> String) -> std::path::PathBuf {
    for name in ["schools.csv", "pupils_2026.csv", "pupils_2027.csv", "scenario.toml"] {
        let text = std::fs::read_to_string(fixture("years").join(name)).unwrap();
        let text = if name == file { edit(text) } else { text };
        std::fs::write(dir.join(name), text).unwrap();
    }
    dir.join("scenario.toml")
}

#[test]
fn an_unknown_year_file_is_exit_2_with_file_and_line() {
    let dir = tempfile::tempdir().unwrap();
    let scenario = edited_years(dir.path(), "scenario.toml", |t| t.replace("pupils_2027.csv", "pupils_2028.csv"));
    let (code, stdout, stderr) = solve_into(&scenario, &dir.path().join("out"), &[]);
    assert_eq!(code, 2, "{stdout}\n{stderr}");
    assert!(stderr.contains("scenario.toml") && stderr.contains("line 15"), "{stderr}");
    assert!(stderr.contains("pupils_2028.csv") && stderr.contains("cannot read"), "{stderr}");
    assert!(!dir.path().join("out").exists(), "nothing written");
}

#[test]
fn a_bad_rooms_value_is_exit_2_with_file_and_line() {
    let dir = tempfile::tempdir().unwrap();
    let scenario = edited_years(dir.path(), "schools.csv", |t| t.replace("0,2,1\n", "0,2,one\n"));
    let (code, stdout, stderr) = solve_into(&scenario, &dir.path().join("out"), &[]);
    assert_eq!(code, 2, "{stdout}\n{stderr}");
    assert!(
        stderr.contains("schools.csv") && stderr.contains("line 2") && stderr.contains("rooms"),
        "{stderr}"
    );
    assert!(!dir.path().join("out").exists(), "nothing written");
}

#[test]
fn bad_year_settings_are_exit_2() {
    let cases: [(&str, fn(String) -> String, &str); 4] = [
        ("label", |t| t.replace("label = \"2027\"", "label = \"../x\""), "label"),
        ("duplicate", |t| t.replace("label = \"2027\"", "label = \"2026\""), "used twice"),
        (
            "grades",
            |t| t.replace("reduced_class_size = 1", "reduced_class_size = 1\ngrades = 0"),
            "grades = 0",
        ),
        (
            "unknown key",
            |t| t.replace("label = \"2027\"", "label = \"2027\"\nrooms = 3"),
            "rooms",
        ),
    ];
    for (what, edit, expected) in cases {
        let dir = tempfile::tempdir().unwrap();
        let scenario = edited_years(dir.path(), "scenario.toml", edit);
        let (code, stdout, stderr) = solve_into(&scenario, &dir.path().join("out"), &[]);
        assert_eq!(code, 2, "{what}: {stdout}\n{stderr}");
        assert!(stderr.contains("scenario.toml") && stderr.contains(expected), "{what}: {stderr}");
    }
}

/// A tiny random multi-year instance, written by the test's own generator.
#[derive(Debug, Clone)]
struct Case {
    /// Schools: position (steps), min and max classes, rooms, older classes (grade 2..).
    schools: Vec<(u32, u32, u32, Option<u32>, Vec<u32>)>,
    /// Per year, the pupils' positions.
    years: Vec<Vec<u32>>,
    class_size: u32,
    grades: u32,
    /// Each pupil starts with its nearest school only, so that pricing and
    /// the certificate must add the others.
    pruned: bool,
    /// Siblings across years: (younger year, younger pupil, older year, older pupil).
    pairs: Vec<(usize, usize, usize, usize)>,
    /// The sibling rule: `siblings_hard`, else `sibling_weight_m` (metres; 0 = none).
    siblings_hard: bool,
    sibling_weight_m: f64,
}

/// The test's own random numbers (64-bit LCG).
struct Lcg(u64);

impl Lcg {
    fn below(&mut self, n: u32) -> u32 {
        self.0 = self.0.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        ((self.0 >> 33) % u64::from(n)) as u32
    }
}

fn random_case(rng: &mut Lcg) -> Case {
    let grades = 2 + rng.below(3);
    let school_count = 2 + rng.below(2) as usize;
    let schools = (0..school_count)
        .map(|_| {
            let min = rng.below(2);
            let max = min + 1 + rng.below(2);
            let rooms = (rng.below(4) > 0).then(|| 1 + rng.below(4));
            let older = (2..=grades).map(|_| u32::from(rng.below(3) == 0)).collect();
            (rng.below(30), min, max, rooms, older)
        })
        .collect();
    let year_count = 2 + rng.below(2) as usize;
    let mut budget = 7u32;
    let years = (0..year_count)
        .map(|_| {
            let n = 1 + rng.below(3.min(budget.saturating_sub(1)).max(1));
            budget = budget.saturating_sub(n);
            (0..n).map(|_| rng.below(30)).collect()
        })
        .collect();
    Case {
        schools,
        years,
        class_size: 1 + rng.below(3),
        grades,
        pruned: rng.below(2) == 0,
        pairs: Vec::new(),
        siblings_hard: false,
        sibling_weight_m: 0.0,
    }
}

/// Adds siblings across years to a case, drawn from their own numbers (so
/// that the cases without siblings stay as they were): each pupil of a
/// later year is, with probability 1/2, the younger sibling of a random
/// pupil of an earlier year; some pupils share a home (merged groups that
/// the pairing must split); the rule is hard, or a weight of 0, 5, 30 or
/// 300 m.
fn with_siblings(mut case: Case, rng: &mut Lcg) -> Case {
    for year in &mut case.years {
        if year.len() >= 2 && rng.below(2) == 0 {
            year[1] = year[0];
        }
    }
    for t in 1..case.years.len() {
        for p in 0..case.years[t].len() {
            if rng.below(2) == 0 {
                let older_year = rng.below(t as u32) as usize;
                let older = rng.below(case.years[older_year].len() as u32) as usize;
                case.pairs.push((t, p, older_year, older));
            }
        }
    }
    case.siblings_hard = rng.below(3) == 0;
    case.sibling_weight_m = [0.0, 5.0, 30.0, 300.0][rng.below(4) as usize];
    case
}

fn lat(pos: u32) -> f64 {
    LAT0 + f64::from(pos) * STEP_DEG
}

fn write_case(case: &Case, dir: &Path) {
    let mut schools = String::from("school_id,name,lat,lon,classes,prev_migration_share,min_classes,max_classes,rooms");
    for g in 2..=case.grades {
        schools.push_str(&format!(",classes_grade{g}"));
    }
    schools.push('\n');
    for (i, (pos, min, max, rooms, older)) in case.schools.iter().enumerate() {
        let rooms = rooms.map_or(String::new(), |r| r.to_string());
        let older: String = older.iter().map(|c| format!(",{c}")).collect();
        schools.push_str(&format!(
            "S{i},School {i},{:.6},{LON0},{min},0.0,{min},{max},{rooms}{older}\n",
            lat(*pos)
        ));
    }
    std::fs::write(dir.join("schools.csv"), schools).unwrap();
    let mut toml = format!(
        "schools = \"schools.csv\"\npupils = \"pupils_0.csv\"\n[rules]\nclass_size = {}\nreduced_class_size = 1\ngrades = {}\n",
        case.class_size, case.grades
    );
    if case.siblings_hard {
        toml.push_str("siblings_hard = true\n");
    } else if case.sibling_weight_m > 0.0 {
        toml.push_str(&format!("sibling_weight_m = {}\n", case.sibling_weight_m));
    }
    if case.pruned {
        toml.push_str("[solver]\ncandidate_nearest = 1\ncandidate_radius_m = 0\n");
    }
    for (t, pupils) in case.years.iter().enumerate() {
        let mut text = String::from("pupil_id,lat,lon,migration_background,sibling_id\n");
        for (i, pos) in pupils.iter().enumerate() {
            let sibling = case
                .pairs
                .iter()
                .find(|pair| (pair.0, pair.1) == (t, i))
                .map_or(String::new(), |pair| format!("y{}p{}", pair.2, pair.3));
            text.push_str(&format!("y{t}p{i},{:.6},{LON0},0,{sibling}\n", lat(*pos)));
        }
        std::fs::write(dir.join(format!("pupils_{t}.csv")), text).unwrap();
        if t > 0 {
            toml.push_str(&format!("[[year]]\npupils = \"pupils_{t}.csv\"\n"));
        }
    }
    std::fs::write(dir.join("scenario.toml"), toml).unwrap();
}

/// The cheapest total way over every assignment of every year that keeps
/// the class ranges and the rooms (classes derived as the fewest that hold
/// each school's pupils) and, with `siblings_hard`, every sibling pair at
/// one school (else `sibling_weight_m` per pair apart), or `None` when none does.
fn enumerate_optimum(case: &Case) -> Option<f64> {
    let schools = case.schools.len();
    let sizes: Vec<usize> = case.years.iter().map(Vec::len).collect();
    let total: usize = sizes.iter().sum();
    let mut best: Option<f64> = None;
    for code in 0..schools.pow(total as u32) {
        let mut rest = code;
        let mut way = 0.0;
        let mut opened = vec![vec![0u32; schools]; case.years.len()];
        let mut ok = true;
        let mut school_of: Vec<Vec<usize>> = Vec::new();
        for (t, pupils) in case.years.iter().enumerate() {
            let mut count = vec![0u32; schools];
            school_of.push(Vec::new());
            for &pos in pupils {
                let s = rest % schools;
                rest /= schools;
                school_of[t].push(s);
                count[s] += 1;
                way += haversine_m(lat(pos), LON0, lat(case.schools[s].0), LON0);
            }
            for s in 0..schools {
                let (_, min, max, ..) = case.schools[s];
                let k = count[s].div_ceil(case.class_size).max(min);
                ok &= k <= max;
                opened[t][s] = k;
            }
        }
        for t in 0..case.years.len() {
            for (s, (_, _, _, rooms, older)) in case.schools.iter().enumerate() {
                let Some(rooms) = rooms else { continue };
                let first = (t + 1).saturating_sub(case.grades as usize);
                let new: u32 = (first..=t).map(|y| opened[y][s]).sum();
                let old: u32 = older
                    .iter()
                    .enumerate()
                    .filter(|(i, _)| t + i + 2 <= case.grades as usize)
                    .map(|(_, c)| c)
                    .sum();
                ok &= new + old <= *rooms;
            }
        }
        for &(young_year, young, old_year, old) in &case.pairs {
            if school_of[young_year][young] != school_of[old_year][old] {
                ok &= !case.siblings_hard;
                way += case.sibling_weight_m;
            }
        }
        if ok && best.is_none_or(|b| way < b) {
            best = Some(way);
        }
    }
    best
}

#[test]
fn enumeration_agrees_with_the_joint_solve_on_tiny_plans() {
    let mut rng = Lcg(17);
    let (mut feasible, mut infeasible, mut binding) = (0, 0, 0);
    for number in 0..120 {
        let case = random_case(&mut rng);
        let dir = tempfile::tempdir().unwrap();
        write_case(&case, dir.path());
        let out = dir.path().join("out");
        let (code, stdout, stderr) = solve_into(&dir.path().join("scenario.toml"), &out, &[]);
        assert_eq!(code, 0, "case {number} {case:?}: {stdout}\n{stderr}");
        let summary = json(&out.join("summary.json"));
        match enumerate_optimum(&case) {
            Some(best) => {
                feasible += 1;
                assert_eq!(summary["status"], "optimal", "case {number} {case:?}: {summary}");
                let objective = summary["objective_m"].as_f64().unwrap();
                assert_close(objective, best, 1e-6 * best.max(1.0), &format!("case {number} {case:?}"));
                let unlimited = Case {
                    schools: case.schools.iter().map(|(p, a, b, _, o)| (*p, *a, *b, None, o.clone())).collect(),
                    ..case.clone()
                };
                binding += usize::from(enumerate_optimum(&unlimited).is_some_and(|free| free < best - 1e-6));
            }
            None => {
                infeasible += 1;
                assert_eq!(summary["status"], "infeasible", "case {number} {case:?}: {summary}");
            }
        }
    }
    eprintln!("{feasible} feasible, {infeasible} infeasible, {binding} with binding rooms");
    // The generator must produce every kind, rooms binding among them.
    assert!(
        feasible >= 40 && infeasible >= 10 && binding >= 5,
        "{feasible} feasible, {infeasible} infeasible, {binding} binding"
    );
}

#[test]
fn bundled_forecast_cohorts_and_scenario_are_regenerated_byte_for_byte() {
    let dir = tempfile::tempdir().unwrap();
    let (code, stdout, stderr) = run_catchment([
        "generate".to_string(),
        "--preset".into(),
        "magdeburg".into(),
        "--seed".into(),
        "2026".into(),
        "-o".into(),
        dir.path().display().to_string(),
    ]);
    assert_eq!(code, 0, "{stdout}\n{stderr}");
    let data = Path::new(env!("CARGO_MANIFEST_DIR")).join("data/magdeburg");
    for file in ["schools-years.csv", "pupils-2027.csv", "pupils-2028.csv", "pupils-2029.csv"] {
        let committed = std::fs::read(data.join(file)).unwrap();
        let regenerated = std::fs::read(dir.path().join(file)).unwrap();
        assert!(
            committed == regenerated,
            "data/magdeburg/{file} differs from the generator's output"
        );
    }
    let scenario = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/magdeburg-years.toml")).unwrap();
    assert_eq!(scenario, catchment::generate::years::years_scenario_toml());
    // The forecast cohorts drift: other sizes than this year's 2,200.
    let rows = |file: &str| std::fs::read_to_string(data.join(file)).unwrap().lines().count() - 1;
    assert_eq!(
        [
            rows("pupils.csv"),
            rows("pupils-2027.csv"),
            rows("pupils-2028.csv"),
            rows("pupils-2029.csv")
        ],
        [2200, 2266, 2310, 2244]
    );
}

#[test]
fn enumeration_agrees_with_the_joint_solve_with_siblings_across_years() {
    let (mut rng, mut sibling_rng) = (Lcg(17), Lcg(1717));
    let (mut feasible, mut infeasible, mut hard_binding, mut priced) = (0, 0, 0, 0);
    for number in 0..120 {
        let case = with_siblings(random_case(&mut rng), &mut sibling_rng);
        if case.pairs.is_empty() {
            continue;
        }
        let dir = tempfile::tempdir().unwrap();
        write_case(&case, dir.path());
        let out = dir.path().join("out");
        let (code, stdout, stderr) = solve_into(&dir.path().join("scenario.toml"), &out, &[]);
        assert_eq!(code, 0, "case {number} {case:?}: {stdout}\n{stderr}");
        let summary = json(&out.join("summary.json"));
        let free = Case {
            pairs: Vec::new(),
            ..case.clone()
        };
        match enumerate_optimum(&case) {
            Some(best) => {
                feasible += 1;
                assert_eq!(summary["status"], "optimal", "case {number} {case:?}: {summary}");
                let objective = summary["objective_m"].as_f64().unwrap();
                assert_close(objective, best, 1e-6 * best.max(1.0), &format!("case {number} {case:?}"));
                let pairs = &summary["sibling_pairs"];
                assert_eq!(pairs["pairs"].as_u64(), Some(case.pairs.len() as u64), "case {number}");
                if case.siblings_hard {
                    assert_eq!(pairs["together"], pairs["pairs"], "case {number} {case:?}: {summary}");
                }
                let changed = enumerate_optimum(&free).is_some_and(|f| f < best - 1e-6);
                hard_binding += usize::from(changed && case.siblings_hard);
                priced += usize::from(changed && !case.siblings_hard);
            }
            None => {
                infeasible += 1;
                assert_eq!(summary["status"], "infeasible", "case {number} {case:?}: {summary}");
                if enumerate_optimum(&free).is_some() {
                    assert!(case.siblings_hard, "case {number}: only hard pairs make a feasible plan infeasible");
                    assert!(
                        !summary["siblings_apart"].as_array().unwrap().is_empty(),
                        "case {number} {case:?}: {summary}"
                    );
                }
            }
        }
    }
    eprintln!(
        "{feasible} feasible, {infeasible} infeasible, {hard_binding} with binding hard pairs, {priced} with priced pairs changing the optimum"
    );
    assert!(
        feasible >= 30 && infeasible >= 5 && hard_binding >= 3 && priced >= 3,
        "{feasible} feasible, {infeasible} infeasible, {hard_binding} hard binding, {priced} priced"
    );
}
