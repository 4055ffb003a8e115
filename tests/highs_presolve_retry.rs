//! HiGHS 1.16's presolve reduced a small contiguous whole-homes integer
//! program (widened to every arc, with cut rows) to empty, then reported
//! "untransformed violations" and status "Solve error": the solve stopped
//! with exit 3 (internal error). Found by the differential harness
//! (`scripts/differential.sh 300 33`). The integer programs of the
//! contiguity rounds are now solved again with presolve off when HiGHS
//! fails (`highs_run::run_mip_with_rows_or_without_presolve`).

mod common;

use common::{fixture, solve_into};
use std::path::Path;

/// The `status` of `summary.json` in a result folder.
fn status(out: &Path) -> String {
    let summary: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(out.join("summary.json")).unwrap()).unwrap();
    summary["status"].as_str().unwrap().to_string()
}

#[test]
fn a_model_that_hits_a_highs_presolve_error_is_solved_and_agrees_with_the_plain_model() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = fixture("highs_presolve_error");
    let certified = tmp.path().join("certified");
    let (code, stdout, stderr) = solve_into(&dir.join("scenario.toml"), &certified, &[]);
    assert_eq!(code, 0, "{stdout}{stderr}");
    // The plain formulation (one model, no widening) on the same instance.
    let plain_toml = tmp.path().join("plain.toml");
    let text = std::fs::read_to_string(dir.join("scenario.toml")).unwrap();
    let text = text
        .replace("schools.csv", &dir.join("schools.csv").display().to_string())
        .replace("pupils.csv", &dir.join("pupils.csv").display().to_string())
        .replace("[input]", "[solver]\nformulation = \"plain\"\n[input]");
    std::fs::write(&plain_toml, text).unwrap();
    let plain = tmp.path().join("plain");
    let (code, stdout, stderr) = solve_into(&plain_toml, &plain, &[]);
    assert_eq!(code, 0, "{stdout}{stderr}");
    // Both models find no contiguous plan (S0 and S1 have 10 seats for the
    // 11 homes west of S2 and S3).
    assert_eq!(status(&certified), "infeasible");
    assert_eq!(status(&plain), "infeasible");
}
