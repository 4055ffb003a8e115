//! The flow core (network simplex, `[solver] network_flow = true`, the
//! default) against the LP path (`network_flow = false`) on generated cities
//! with seats planned with and without regard to where the children live
//! (`generate --imbalance`), and on the bundled city: the same optimum, and
//! each path really taken.

mod common;

use common::run_catchment;
use std::path::Path;

fn summary(out: &Path) -> serde_json::Value {
    serde_json::from_str(&std::fs::read_to_string(out.join("summary.json")).unwrap()).unwrap()
}

/// Solves `scenario` with `network_flow` on or off; returns summary.json.
fn solve(dir: &Path, scenario: &Path, network_flow: bool) -> serde_json::Value {
    let name = format!("flow-{network_flow}");
    let derived = dir.join(format!("{name}.toml"));
    let text = format!(
        "name = \"{name}\"\nbase = {:?}\n[solver]\nnetwork_flow = {network_flow}\n",
        scenario.display().to_string()
    );
    std::fs::write(&derived, text).unwrap();
    let out = dir.join(&name);
    let (code, stdout, stderr) = run_catchment(["solve", derived.to_str().unwrap(), "-o", out.to_str().unwrap()]);
    assert_eq!(code, 0, "{stdout}{stderr}");
    summary(&out)
}

fn assert_same_optimum(dir: &Path, scenario: &Path, what: &str) {
    let flow = solve(dir, scenario, true);
    let lp = solve(dir, scenario, false);
    assert_eq!(flow["status"], "optimal", "{what}");
    assert_eq!(lp["status"], "optimal", "{what}");
    assert_eq!(flow["model"]["network_flow"], true, "{what}: the flow core ran");
    assert_eq!(lp["model"]["network_flow"], false, "{what}: the LP ran");
    let (a, b) = (flow["objective_m"].as_f64().unwrap(), lp["objective_m"].as_f64().unwrap());
    // Ways in the flow are whole micrometres: at most 1 um per pupil apart.
    let pupils = flow["pupils"].as_f64().unwrap();
    assert!((a - b).abs() <= pupils * 1e-6 + 1e-6, "{what}: flow {a} against LP {b}");
}

#[test]
fn the_flow_core_finds_the_lp_optimum_on_imbalanced_cities() {
    for (seed, imbalance) in [("1", "0"), ("2", "0.5"), ("3", "1"), ("4", "1")] {
        let tmp = tempfile::tempdir().unwrap();
        let city = tmp.path().join("city");
        let (code, _, stderr) = run_catchment([
            "generate",
            "--seed",
            seed,
            "--imbalance",
            imbalance,
            "--pupils",
            "1500",
            "-o",
            city.to_str().unwrap(),
        ]);
        assert_eq!(code, 0, "{stderr}");
        assert_same_optimum(
            tmp.path(),
            &city.join("scenario.toml"),
            &format!("seed {seed}, imbalance {imbalance}"),
        );
    }
}

#[test]
fn the_flow_core_finds_the_lp_optimum_on_the_bundled_city_with_a_baseline() {
    let tmp = tempfile::tempdir().unwrap();
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    // The baseline scenario has a move cap: the LP path, on both settings.
    let capped = solve(tmp.path(), &root.join("scenarios/magdeburg-baseline.toml"), true);
    assert_eq!(capped["model"]["network_flow"], false, "a move cap is not a transportation problem");
    assert_same_optimum(tmp.path(), &root.join("scenarios/magdeburg.toml"), "bundled city");
}

#[test]
fn an_imbalance_outside_zero_to_one_is_refused() {
    let tmp = tempfile::tempdir().unwrap();
    let (code, _, stderr) = run_catchment(["generate", "--imbalance", "1.5", "-o", tmp.path().join("c").to_str().unwrap()]);
    assert_eq!(code, 2, "{stderr}");
    assert!(stderr.contains("--imbalance") && stderr.contains("between 0"), "{stderr}");
}
