//! `[distance] metric = "matrix"`: the user's own distances. An arc the
//! matrix does not list is not allowed; a matrix may hold ways shorter than
//! the straight line (a router that snaps homes onto streets), and the
//! pricing certificate must stay exact: on random matrices with tiny
//! candidate sets the certified solve agrees with the plain reference model
//! (every arc a variable) and with brute-force enumeration.

use assert_cmd::Command;
use std::path::Path;

fn write(dir: &Path, name: &str, text: &str) {
    std::fs::write(dir.join(name), text).unwrap();
}

fn run_solve(scenario: &Path, out: &Path) -> std::process::Output {
    Command::cargo_bin("catchment")
        .unwrap()
        .arg("solve")
        .arg(scenario)
        .arg("-o")
        .arg(out)
        .output()
        .unwrap()
}

fn summary(out: &Path) -> serde_json::Value {
    serde_json::from_str(&std::fs::read_to_string(out.join("summary.json")).unwrap()).unwrap()
}

const SCHOOLS: &str = "school_id,name,lat,lon,classes,prev_migration_share\nA,A,52.0,11.0,1,0.1\nB,B,52.0,11.01,1,0.1\n";
const PUPILS: &str = "pupil_id,lat,lon,migration_background\np1,52.0,11.001,0\np2,52.0,11.009,0\n";
const MATRIX_HEAD: &str = "[distance]\nmetric = \"matrix\"\nmatrix = \"ways.csv\"\n";

fn hand_case(matrix: &str) -> (tempfile::TempDir, std::process::Output) {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "schools.csv", SCHOOLS);
    write(dir.path(), "pupils.csv", PUPILS);
    write(dir.path(), "ways.csv", matrix);
    write(
        dir.path(),
        "s.toml",
        &format!("schools = \"schools.csv\"\npupils = \"pupils.csv\"\n{MATRIX_HEAD}"),
    );
    let out = run_solve(&dir.path().join("s.toml"), &dir.path().join("out"));
    (dir, out)
}

#[test]
fn the_matrix_decides_and_an_unlisted_arc_is_not_allowed() {
    // p1 lives 68 m from A and 617 m from B in straight lines, but its
    // router says B is nearer; p2 may only go to A (its arc to B is not listed).
    let (dir, out) = hand_case("pupil_id,school_id,distance_m\np1,A,900\np1,B,40.5\np2,A,1000\n");
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    let assignments = std::fs::read_to_string(dir.path().join("out/assignments.csv")).unwrap();
    let straight_p1_b = {
        let line = assignments.lines().find(|l| l.starts_with("p1,")).unwrap();
        line.split(',').nth(3).unwrap().parse::<f64>().unwrap()
    };
    assert!(
        assignments.starts_with("pupil_id,school_id,distance_m,straight_m\np1,B,40.500,"),
        "{assignments}"
    );
    assert!(assignments.contains("\np2,A,1000.000,"), "{assignments}");
    assert!(
        straight_p1_b > 600.0,
        "the matrix's 40.5 m is far below the line of {straight_p1_b} m"
    );
    let s = summary(&dir.path().join("out"));
    assert_eq!(s["metric"], "matrix");
    assert!((s["objective_m"].as_f64().unwrap() - 1040.5).abs() < 1e-6);
}

#[test]
fn a_pupil_without_a_listed_school_makes_the_instance_infeasible() {
    let (dir, out) = hand_case("pupil_id,school_id,distance_m\np1,A,900\n");
    assert_eq!(out.status.code(), Some(0), "an infeasible instance is a result");
    assert_eq!(summary(&dir.path().join("out"))["status"], "infeasible");
}

fn matrix_error(matrix: &str) -> String {
    let (dir, out) = hand_case(matrix);
    assert_eq!(out.status.code(), Some(2), "{}", String::from_utf8_lossy(&out.stdout));
    assert!(!dir.path().join("out").exists());
    String::from_utf8(out.stderr).unwrap()
}

#[test]
fn a_broken_matrix_is_an_input_error_naming_the_line() {
    let e = matrix_error("pupil_id,school_id,distance_m\np1,A,900\np9,B,10\n");
    assert!(e.contains("ways.csv, line 3: pupil_id `p9` is not in the pupils file"), "{e}");
    let e = matrix_error("pupil_id,school_id,distance_m\np1,A,900\np1,A,800\n");
    assert!(
        e.contains("ways.csv, line 3: pupil_id `p1` and school `A` are listed again (first on line 2)"),
        "{e}"
    );
    let e = matrix_error("pupil_id,school_id,distance_m\np1,A,-3\n");
    assert!(
        e.contains("ways.csv, line 2, column `distance_m`: `-3` is not a distance in metres"),
        "{e}"
    );
    let e = matrix_error("pupil_id,school_id,distance_m\np1,C,3\n");
    assert!(e.contains("ways.csv, line 2") && e.contains("school `C`"), "{e}");
    let e = matrix_error("pupil_id,school,distance_m\np1,A,3\n");
    assert!(e.contains("school_id"), "{e}");
}

/// SplitMix64, the test's own random numbers.
struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

/// The cheapest assignment by enumeration (seats = 1 class of `size`), or `None`.
fn enumerate(ways: &[Vec<Option<f64>>], seats: &[u32]) -> Option<f64> {
    let (n, m) = (ways.len(), seats.len());
    let mut best: Option<f64> = None;
    let mut choice = vec![0usize; n];
    loop {
        let mut load = vec![0u32; m];
        let mut cost = 0.0;
        let mut ok = true;
        for (p, &s) in choice.iter().enumerate() {
            match ways[p][s] {
                Some(w) => {
                    cost += w;
                    load[s] += 1;
                }
                None => ok = false,
            }
        }
        if ok && load.iter().zip(seats).all(|(l, c)| l <= c) {
            best = Some(best.map_or(cost, |b: f64| b.min(cost)));
        }
        let mut i = 0;
        loop {
            if i == n {
                return best;
            }
            choice[i] += 1;
            if choice[i] < m {
                break;
            }
            choice[i] = 0;
            i += 1;
        }
    }
}

#[test]
fn random_matrices_certified_equals_plain_equals_enumeration() {
    let mut rng = Rng(2026);
    for case in 0..16 {
        let dir = tempfile::tempdir().unwrap();
        let (n, m) = (3 + rng.below(5) as usize, 2 + rng.below(4) as usize);
        let class_size = 1 + rng.below(3) as u32;
        let mut schools = String::from("school_id,name,lat,lon,classes,prev_migration_share\n");
        for s in 0..m {
            // Schools and homes spread over some 30 km, ways of at most 3 km:
            // most ways are far below their straight line.
            schools += &format!(
                "S{s},S{s},{},{},1,0.1\n",
                52.0 + rng.below(1000) as f64 * 3e-4,
                11.0 + rng.below(1000) as f64 * 3e-4
            );
        }
        let mut pupils = String::from("pupil_id,lat,lon,migration_background\n");
        let mut matrix = String::from("pupil_id,school_id,distance_m\n");
        let mut ways = vec![vec![None; m]; n];
        for (p, row) in ways.iter_mut().enumerate() {
            pupils += &format!(
                "p{p},{},{},0\n",
                52.0 + rng.below(1000) as f64 * 3e-4,
                11.0 + rng.below(1000) as f64 * 3e-4
            );
            for (s, way) in row.iter_mut().enumerate() {
                // One arc in six is not listed; the others anything from 0
                // to 3 km, often below the straight line.
                if rng.below(6) > 0 {
                    let w = rng.below(3_000_000) as f64 / 1000.0;
                    *way = Some(w);
                    matrix += &format!("p{p},S{s},{w}\n");
                }
            }
        }
        write(dir.path(), "schools.csv", &schools);
        write(dir.path(), "pupils.csv", &pupils);
        write(dir.path(), "ways.csv", &matrix);
        let expected = enumerate(&ways, &vec![class_size; m]);
        let mut objectives = Vec::new();
        for formulation in ["certified", "plain"] {
            let scenario = dir.path().join(format!("{formulation}.toml"));
            write(
                dir.path(),
                &format!("{formulation}.toml"),
                &format!(
                    "schools = \"schools.csv\"\npupils = \"pupils.csv\"\n[rules]\nclass_size = {class_size}\nreduced_class_size = {class_size}\n[solver]\nformulation = \"{formulation}\"\ncandidate_nearest = 1\ncandidate_radius_m = 0\n{MATRIX_HEAD}"
                ),
            );
            let out_dir = dir.path().join(formulation);
            let out = run_solve(&scenario, &out_dir);
            assert_eq!(out.status.code(), Some(0), "case {case}: {}", String::from_utf8_lossy(&out.stderr));
            let s = summary(&out_dir);
            match expected {
                None => assert_eq!(s["status"], "infeasible", "case {case} {formulation}"),
                Some(best) => {
                    assert_eq!(s["status"], "optimal", "case {case} {formulation}");
                    let got = s["objective_m"].as_f64().unwrap();
                    assert!(
                        (got - best).abs() < 0.002,
                        "case {case} {formulation}: {got} m, enumeration {best} m\n{matrix}"
                    );
                    objectives.push(got);
                }
            }
        }
        if let [a, b] = objectives[..] {
            assert!((a - b).abs() < 0.002, "case {case}: certified {a}, plain {b}");
        }
    }
}
