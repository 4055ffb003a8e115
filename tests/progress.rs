//! Progress on a terminal only: run under `script` (a pseudo-terminal),
//! `solve` shows its phases and pricing rounds, and `compare` which scenarios are still
//! running, on stderr; into a pipe, stderr stays empty.

use assert_cmd::Command;

/// Runs the binary under a pseudo-terminal; returns everything it drew.
fn on_a_terminal(args: &str) -> String {
    let binary = assert_cmd::cargo::cargo_bin("catchment");
    let out = std::process::Command::new("script")
        .args(["-qec", &format!("{} {args}", binary.display()), "/dev/null"])
        .output()
        .expect("script (util-linux) runs");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stdout));
    String::from_utf8_lossy(&out.stdout).into_owned()
}

#[test]
fn solve_shows_its_phases_on_a_terminal_only() {
    let dir = tempfile::tempdir().unwrap();
    let drawn = on_a_terminal(&format!("solve scenarios/magdeburg.toml -o {}", dir.path().join("a").display()));
    for phase in [
        "reading scenarios/magdeburg.toml",
        "solving 2200 pupils at 33 schools, then checking",
    ] {
        assert!(drawn.contains(phase), "{phase}: {drawn}");
    }
    assert!(drawn.contains("total way  1383.2 km"), "{drawn}");
    let piped = Command::cargo_bin("catchment")
        .unwrap()
        .args(["solve", "scenarios/magdeburg.toml", "-o"])
        .arg(dir.path().join("b"))
        .output()
        .unwrap();
    assert!(piped.status.success());
    assert_eq!(String::from_utf8_lossy(&piped.stderr), "");
}

#[test]
fn compare_shows_which_scenarios_are_still_running() {
    let dir = tempfile::tempdir().unwrap();
    let drawn = on_a_terminal(&format!(
        "compare scenarios/magdeburg.toml scenarios/magdeburg-closure.toml -o {}",
        dir.path().display()
    ));
    assert!(drawn.contains("running: magdeburg, magdeburg-closure"), "{drawn}");
    assert!(drawn.contains("2/2 scenarios"), "{drawn}");
}

#[test]
fn solve_shows_its_pricing_round_on_a_terminal() {
    // Integer program rounds and HiGHS's incumbent, bound and gap reach the
    // same display through the same observer: see tests/solve_progress.rs.
    let dir = tempfile::tempdir().unwrap();
    let flow = on_a_terminal(&format!("solve scenarios/magdeburg.toml -o {}", dir.path().join("a").display()));
    assert!(
        flow.contains("solving 2200 pupils at 33 schools: pricing round 1, 9624 candidate arcs"),
        "{flow}"
    );
}
