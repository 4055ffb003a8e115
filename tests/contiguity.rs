//! Contiguous districts (`[rules] contiguous = true`): a hand-computed strip
//! whose unconstrained optimum leaves an exclave, brute-force enumeration of
//! every assignment of tiny random instances (the test's own search for
//! connected districts over the map's cell adjacency), the bundled
//! contiguous scenario (exit 0, audit clean, one Polygon per school), the
//! audit of a plan with an exclave, and the settings error with
//! splittable pupils.

mod common;

use catchment::geometry::cell_adjacency;
use catchment::model::{AssignMode, Instance, Location, MigrationBasis, Pupil, PupilId, Rules, School, SchoolId, SolverSettings, UnitId};
use catchment::solve::SolveStatus;
use common::{assert_close, assignment_in, fixture, haversine_m, run_catchment, solve_into};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use std::collections::BTreeSet;
use std::path::Path;

/// `summary.json` of a result folder.
fn summary(out: &Path) -> serde_json::Value {
    serde_json::from_str(&std::fs::read_to_string(out.join("summary.json")).unwrap()).unwrap()
}

/// One step of the strip fixture: 0.001 degrees of latitude on a meridian.
fn u() -> f64 {
    haversine_m(52.0, 11.6, 52.001, 11.6)
}

#[test]
fn the_strip_keeps_its_exclave_only_without_the_rule() {
    let tmp = tempfile::tempdir().unwrap();
    // Without the rule: A (2 seats) takes h0 and h2, B the rest: 0 + 2u + 3 * 4u + 2u + u = 17 u.
    let free = tmp.path().join("free");
    let (code, stdout, stderr) = solve_into(&fixture("contiguity").join("unconstrained.toml"), &free, &[]);
    assert_eq!(code, 0, "{stdout}{stderr}");
    assert_close(
        summary(&free)["objective_m"].as_f64().unwrap(),
        17.0 * u(),
        0.003,
        "unconstrained objective",
    );
    let school_of = assignment_in(&free);
    assert_eq!(school_of["P5"], "A", "h2 is A's exclave behind h1");
    assert_eq!(school_of["P2"], "B");

    // Contiguous: A keeps h0 only; B takes h1 to h4: 3 * 4u + 3u + 2u + u = 18 u.
    let out = tmp.path().join("contiguous");
    let (code, stdout, stderr) = solve_into(&fixture("contiguity").join("scenario.toml"), &out, &["--districts"]);
    assert_eq!(code, 0, "{stdout}{stderr}");
    let s = summary(&out);
    assert_eq!(s["status"], "optimal");
    assert_close(s["objective_m"].as_f64().unwrap(), 18.0 * u(), 0.003, "contiguous objective");
    assert_close(s["bound_m"].as_f64().unwrap(), 18.0 * u(), 0.003, "bound");
    let school_of = assignment_in(&out);
    let expected = [
        ("P1", "A"),
        ("P2", "B"),
        ("P3", "B"),
        ("P4", "B"),
        ("P5", "B"),
        ("P6", "B"),
        ("P7", "B"),
    ];
    for (pupil, school) in expected {
        assert_eq!(school_of[pupil], school, "{pupil}");
    }
    let price = &s["contiguity"];
    assert_close(price["total_way_m"].as_f64().unwrap(), 18.0 * u(), 0.003, "total_way_m");
    assert_close(
        price["unconstrained_total_way_m"].as_f64().unwrap(),
        17.0 * u(),
        0.003,
        "unconstrained",
    );
    assert_close(price["price_m"].as_f64().unwrap(), u(), 0.003, "price_m");
    assert_close(price["price_pct"].as_f64().unwrap(), 100.0 / 17.0, 1e-4, "price_pct");
    assert!(
        stdout.contains("contiguity 2.0 km against 1.9 km without the rule: +0.1 km (+5.882 %)"),
        "{stdout}"
    );
    assert_eq!(polygons_per_school(&out), vec![("A".to_string(), 1), ("B".to_string(), 1)]);

    // compare shows the price beside the scenario without the rule.
    let dir = fixture("contiguity");
    let (code, stdout, stderr) = run_catchment([
        "compare",
        dir.join("unconstrained.toml").to_str().unwrap(),
        dir.join("scenario.toml").to_str().unwrap(),
        "-o",
        tmp.path().join("compare").to_str().unwrap(),
    ]);
    assert_eq!(code, 0, "{stdout}{stderr}");
    let line = stdout
        .lines()
        .find(|l| l.starts_with("price of contiguity (km)"))
        .unwrap_or_else(|| panic!("{stdout}"));
    let cells: Vec<&str> = line.split("  ").map(str::trim).filter(|c| !c.is_empty()).collect();
    assert_eq!(cells, vec!["price of contiguity (km)", "-", "+0.1 (+5.88%)"], "{line}");
}

#[test]
fn the_audit_names_each_district_in_parts() {
    let dir = fixture("contiguity");
    let (code, stdout, stderr) = run_catchment([
        "audit",
        "--scenario",
        dir.join("scenario.toml").to_str().unwrap(),
        "--assignments",
        dir.join("exclave-assignments.csv").to_str().unwrap(),
        "--format",
        "json",
    ]);
    assert_eq!(code, 1, "{stdout}{stderr}");
    let report: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    let findings: Vec<(String, String)> = report["violations"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|v| v["rule"] == "contiguity")
        .map(|v| {
            (
                v["subject"].as_str().unwrap().to_string(),
                v["message"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    assert_eq!(
        findings,
        vec![
            (
                "A".to_string(),
                "district of school A is in 2 parts; apart from the school's own: [home of P5]".to_string()
            ),
            (
                "B".to_string(),
                "district of school B is in 2 parts; apart from the school's own: [home of P2]".to_string()
            ),
        ],
        "{stdout}"
    );
    // The contiguous optimum passes the same audit.
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    let (code, stdout, stderr) = solve_into(&dir.join("scenario.toml"), &out, &[]);
    assert_eq!(code, 0, "{stdout}{stderr}");
    let assignments = out.join("assignments.csv");
    let (code, stdout, stderr) = run_catchment([
        "audit",
        "--scenario",
        dir.join("scenario.toml").to_str().unwrap(),
        "--assignments",
        assignments.to_str().unwrap(),
    ]);
    assert_eq!(code, 0, "{stdout}{stderr}");
    assert!(stdout.contains("- contiguity: every district connected"), "{stdout}");
}

#[test]
fn splittable_pupils_cannot_be_contiguous() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    let (code, stdout, stderr) = solve_into(&fixture("contiguity").join("pupils-split.toml"), &out, &[]);
    assert_eq!(code, 2, "{stdout}{stderr}");
    assert!(stderr.contains("pupils-split.toml, line 6"), "{stderr}");
    assert!(stderr.contains("contiguous = true needs whole groups"), "{stderr}");
    assert!(!out.exists(), "nothing is written");
}

/// (school id, Polygon count) per feature of `districts.geojson`, in file
/// order; a MultiPolygon fails the test.
fn polygons_per_school(out: &Path) -> Vec<(String, usize)> {
    let text = std::fs::read_to_string(out.join("districts.geojson")).unwrap();
    let map: serde_json::Value = serde_json::from_str(&text).unwrap();
    map["features"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            let id = f["properties"]["school_id"].as_str().unwrap().to_string();
            assert_eq!(f["geometry"]["type"], "Polygon", "district of {id} is not one Polygon");
            (id, 1)
        })
        .collect()
}

#[test]
fn the_bundled_contiguous_scenario_draws_one_polygon_per_school() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    let scenario = Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/magdeburg-contiguous.toml");
    let (code, stdout, stderr) = solve_into(&scenario, &out, &["--districts"]);
    assert_eq!(code, 0, "{stdout}{stderr}");
    let s = summary(&out);
    assert_eq!(s["status"], "optimal");
    let price = &s["contiguity"];
    let (total, free) = (
        price["total_way_m"].as_f64().unwrap(),
        price["unconstrained_total_way_m"].as_f64().unwrap(),
    );
    assert!(total >= free - 0.001, "{total} < {free}");
    assert_close(price["price_m"].as_f64().unwrap(), total - free, 0.002, "price_m");
    assert_close(s["distances"]["total_m"].as_f64().unwrap(), total, 0.002, "total way");
    let districts = polygons_per_school(&out);
    let with_pupils = s["districts"].as_array().unwrap().len();
    assert_eq!(districts.len(), with_pupils);
    assert_eq!(districts.len(), 33, "every school has pupils");
    for shape in s["districts"].as_array().unwrap() {
        assert_eq!(shape["parts"], 1, "{shape}");
    }
    let (code, stdout, stderr) = run_catchment([
        "audit",
        "--scenario",
        scenario.to_str().unwrap(),
        "--assignments",
        out.join("assignments.csv").to_str().unwrap(),
    ]);
    assert_eq!(code, 0, "{stdout}{stderr}");
    assert!(stdout.contains("- contiguity:"), "{stdout}");
}

/// A tiny random instance: 3 to 8 homes (1 to 3 pupils each, distinct
/// points in a box of about 1 km), 2 or 3 schools with fixed classes of 3
/// seats (1 or 2 classes), no reduced class size; with `units`, homes are
/// joined into units at random.
fn random_instance(seed: u64, units: bool) -> Instance {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let homes = rng.random_range(3..=8usize);
    let schools = rng.random_range(2..=3usize);
    let mut points: BTreeSet<(i64, i64)> = BTreeSet::new();
    while points.len() < homes {
        points.insert((rng.random_range(0..100), rng.random_range(0..100)));
    }
    let at = |(x, y): (i64, i64)| Location::new(52.0 + y as f64 * 0.0001, 11.6 + x as f64 * 0.00015).unwrap();
    let unit_count = (homes as f64 / 1.5).ceil() as usize;
    let mut pupils = Vec::new();
    for (h, &point) in points.iter().enumerate() {
        let unit = rng.random_range(0..unit_count);
        for _ in 0..rng.random_range(1..=3) {
            pupils.push(Pupil {
                id: PupilId(format!("P{}", pupils.len() + 1)),
                location: at(point),
                migrant: false,
                unit: units.then(|| UnitId(format!("U{unit}"))),
                address: None,
                fixed_school: None,
                sibling_school: None,
                baseline_school: None,
            });
        }
        let _ = h;
    }
    let schools = (0..schools)
        .map(|s| {
            let classes = rng.random_range(1..=2);
            School {
                id: SchoolId(format!("S{s}")),
                name: format!("School {s}"),
                location: at((rng.random_range(0..100), rng.random_range(0..100))),
                classes,
                min_classes: classes,
                max_classes: classes,
                reserved_seats: 0,
                prev_migration_share: 0.0,
            }
        })
        .collect();
    Instance {
        name: format!("contiguity-{seed}"),
        schools,
        pupils,
        rules: Rules {
            class_size: 3,
            reduced_class_size: 3,
            migration_basis: MigrationBasis::PreviousYear,
            assign: if units { AssignMode::Units } else { AssignMode::Homes },
            contiguous: true,
            ..Rules::default()
        },
        solver: SolverSettings::default(),
        sources: Vec::new(),
        ways: Default::default(),
    }
}

/// The best total way over every assignment of the instance's groups (homes:
/// distinct points; units: unit ids) whose schools keep their seats and whose
/// districts are connected and hold their school's root cell, judged with
/// this test's own search; `None` when no assignment qualifies.
fn enumerated_optimum(instance: &Instance) -> Option<f64> {
    let adjacency = cell_adjacency(instance).unwrap();
    let mut group_keys: Vec<String> = Vec::new();
    let group_of: Vec<usize> = instance
        .pupils
        .iter()
        .enumerate()
        .map(|(p, pupil)| {
            let key = match &pupil.unit {
                Some(unit) => unit.0.clone(),
                None => format!("cell{}", adjacency.cell_of_pupil[p]),
            };
            match group_keys.iter().position(|k| *k == key) {
                Some(g) => g,
                None => {
                    group_keys.push(key);
                    group_keys.len() - 1
                }
            }
        })
        .collect();
    let (groups, schools) = (group_keys.len(), instance.schools.len());
    let mut best: Option<f64> = None;
    let mut choice = vec![0usize; groups];
    loop {
        if let Some(cost) = judge(instance, &adjacency, &group_of, &choice) {
            best = Some(best.map_or(cost, |b: f64| b.min(cost)));
        }
        // Next assignment, as a number in base `schools`.
        let mut i = 0;
        while i < groups && choice[i] == schools - 1 {
            choice[i] = 0;
            i += 1;
        }
        if i == groups {
            return best;
        }
        choice[i] += 1;
    }
}

/// The total way of an assignment (school per group), or `None` when it
/// breaks the seats or contiguity.
fn judge(instance: &Instance, adjacency: &catchment::geometry::CellAdjacency, group_of: &[usize], choice: &[usize]) -> Option<f64> {
    let schools = instance.schools.len();
    let mut pupils_at = vec![0u32; schools];
    let mut cells: Vec<BTreeSet<usize>> = vec![BTreeSet::new(); schools];
    let mut cost = 0.0;
    for (p, pupil) in instance.pupils.iter().enumerate() {
        let s = choice[group_of[p]];
        pupils_at[s] += 1;
        cells[s].insert(adjacency.cell_of_pupil[p]);
        let school = &instance.schools[s].location;
        cost += haversine_m(pupil.location.lat(), pupil.location.lon(), school.lat(), school.lon());
    }
    for s in 0..schools {
        if pupils_at[s] > instance.rules.class_size * instance.schools[s].classes {
            return None;
        }
        if !cells[s].is_empty() && !connected_with_root(&adjacency.neighbours, &cells[s], adjacency.roots[s]) {
            return None;
        }
    }
    Some(cost)
}

/// Whether `cells` hold `root` and are connected in `neighbours` (depth-first search).
fn connected_with_root(neighbours: &[Vec<usize>], cells: &BTreeSet<usize>, root: usize) -> bool {
    if !cells.contains(&root) {
        return false;
    }
    let mut seen: BTreeSet<usize> = BTreeSet::from([root]);
    let mut stack = vec![root];
    while let Some(c) = stack.pop() {
        for n in &neighbours[c] {
            if cells.contains(n) && seen.insert(*n) {
                stack.push(*n);
            }
        }
    }
    seen.len() == cells.len()
}

/// The solver against enumeration on random tiny instances; returns how
/// many were feasible and how many had an unconstrained optimum that is
/// not contiguous (so that the test shows the rule was exercised).
fn against_enumeration(seeds: std::ops::Range<u64>, units: bool) -> (usize, usize) {
    let (mut feasible, mut binding) = (0, 0);
    for seed in seeds {
        let instance = random_instance(seed, units);
        let expected = enumerated_optimum(&instance);
        let outcome = catchment::solve::solve(&instance).unwrap();
        match expected {
            None => assert_eq!(outcome.status, SolveStatus::Infeasible, "seed {seed} (units {units})"),
            Some(best) => {
                feasible += 1;
                assert_eq!(outcome.status, SolveStatus::Optimal, "seed {seed} (units {units})");
                let objective = outcome.objective_m.unwrap();
                assert!(
                    (objective - best).abs() <= 1e-6 * best.max(1.0) + 1e-3,
                    "seed {seed} (units {units}): solver {objective}, enumeration {best}"
                );
                let free = outcome.stats.unconstrained_way_m.unwrap();
                assert!(free <= objective + 1e-6, "seed {seed}: unconstrained {free} above {objective}");
                if free < objective - 1e-6 {
                    binding += 1;
                }
                let school_of = &outcome.assignment.as_ref().unwrap().school_of;
                let report = catchment::audit::check_solution(&instance, school_of, objective);
                assert!(report.is_compliant(), "seed {seed}: {:?}", report.violations);
            }
        }
    }
    eprintln!("units {units}: {feasible} feasible, {binding} binding");
    (feasible, binding)
}

#[test]
fn whole_homes_match_enumeration_of_connected_districts() {
    let (feasible, binding) = against_enumeration(0..400, false);
    // 196 feasible, 58 where contiguity costs something (seeds 0 to 399).
    assert!(feasible >= 150, "only {feasible} feasible instances");
    assert!(binding >= 40, "only {binding} instances where contiguity costs something");
}

#[test]
fn units_match_enumeration_of_connected_districts() {
    let (feasible, binding) = against_enumeration(1000..1400, true);
    // 92 feasible, 22 where contiguity costs something (seeds 1000 to 1399).
    assert!(feasible >= 70, "only {feasible} feasible instances");
    assert!(binding >= 15, "only {binding} instances where contiguity costs something");
}
