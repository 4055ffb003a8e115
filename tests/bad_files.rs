//! Input files that used to hang, panic or be read silently wrong: devices
//! and FIFOs instead of files, files beyond the size limits, GeoJSON
//! positions with fewer than two numbers, open or too short rings, a column
//! named twice, a pupil twice in the baseline. Each must end with exit code
//! 2, a message naming the file (and line or feature) and what to do, and
//! nothing written; ids that differ only by case or by an invisible
//! character are warned about on stderr.

mod common;

use common::fixture;
use std::path::{Path, PathBuf};
use std::time::Duration;

/// No case may take this long; a run beyond it has hung.
const HANG: Duration = Duration::from_secs(120);

/// Runs the binary with a time limit; returns exit code (-1 when killed), stdout, stderr.
fn run<I, S>(args: I) -> (i32, String, String)
where
    I: IntoIterator<Item = S>,
    S: AsRef<std::ffi::OsStr>,
{
    let output = assert_cmd::Command::cargo_bin("catchment")
        .unwrap()
        .args(args)
        .timeout(HANG)
        .output()
        .unwrap();
    (
        output.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

/// Runs `solve` into `dir/out`; asserts exit code 2, no panic and nothing
/// written; returns stderr.
#[track_caller]
fn solve_refused(scenario: &Path) -> String {
    let out = scenario.parent().unwrap().join("out");
    let (code, stdout, stderr) = run(["solve".as_ref(), scenario.as_os_str(), "-o".as_ref(), out.as_os_str()]);
    assert_eq!(code, 2, "stdout:\n{stdout}\nstderr:\n{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert!(stderr.starts_with("error: "), "{stderr}");
    assert!(
        !out.exists() || std::fs::read_dir(&out).unwrap().next().is_none(),
        "files were written"
    );
    stderr
}

#[track_caller]
fn says(stderr: &str, parts: &[&str]) {
    for part in parts {
        assert!(stderr.contains(part), "stderr lacks {part:?}:\n{stderr}");
    }
}

/// A folder with the `small` fixture's files and `scenario.toml` = `text`.
fn small_with(text: &str) -> (tempfile::TempDir, PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    for name in ["schools.csv", "pupils.csv"] {
        std::fs::copy(fixture("small").join(name), tmp.path().join(name)).unwrap();
    }
    std::fs::write(tmp.path().join("scenario.toml"), text).unwrap();
    let scenario = tmp.path().join("scenario.toml");
    (tmp, scenario)
}

// ------------------------------------------------ devices, FIFOs, sizes

#[test]
fn a_device_as_base_or_schools_is_refused_without_reading_it() {
    // /dev/zero used to be read without limit.
    let (_tmp, scenario) = small_with("base = \"/dev/zero\"\n");
    let e = solve_refused(&scenario);
    says(&e, &["/dev/zero", "not a regular file"]);
    let (_tmp, scenario) = small_with("schools = \"/dev/zero\"\npupils = \"pupils.csv\"\n");
    let e = solve_refused(&scenario);
    says(&e, &["/dev/zero", "not a regular file"]);
}

#[test]
fn a_folder_as_pupils_is_refused() {
    let (tmp, scenario) = small_with("schools = \"schools.csv\"\npupils = \"sub\"\n");
    std::fs::create_dir(tmp.path().join("sub")).unwrap();
    let e = solve_refused(&scenario);
    says(&e, &["sub", "not a regular file"]);
}

#[cfg(unix)]
#[test]
fn a_fifo_is_refused_instead_of_blocking() {
    let (tmp, scenario) = small_with("schools = \"schools.csv\"\npupils = \"fifo.csv\"\n");
    let fifo = tmp.path().join("fifo.csv");
    let made = std::process::Command::new("mkfifo").arg(&fifo).status().unwrap();
    assert!(made.success());
    let e = solve_refused(&scenario);
    says(&e, &["fifo.csv", "not a regular file"]);
    // A FIFO as the scenario itself, and as the assignment of an audit.
    let e = solve_refused(&fifo);
    says(&e, &["fifo.csv", "not a regular file"]);
    let (code, _, stderr) = run([
        "audit".as_ref(),
        "--scenario".as_ref(),
        fixture("small").join("scenario.toml").as_os_str(),
        "--assignments".as_ref(),
        fifo.as_os_str(),
    ]);
    assert_eq!(code, 2, "{stderr}");
    says(&stderr, &["fifo.csv", "not a regular file"]);
}

#[test]
fn files_beyond_the_size_limits_are_refused() {
    // Sparse files: the size is refused before anything is read.
    let (tmp, scenario) = small_with("schools = \"schools.csv\"\npupils = \"big.csv\"\n");
    let big = std::fs::File::create(tmp.path().join("big.csv")).unwrap();
    big.set_len(512 * 1024 * 1024 + 1).unwrap();
    let e = solve_refused(&scenario);
    says(&e, &["big.csv", "larger than", "512 MiB"]);

    // A scenario of just over 1 MiB (a long comment).
    let mut text = String::from("schools = \"schools.csv\"\npupils = \"pupils.csv\"\n");
    text.push_str(&format!("# {}\n", "x".repeat(1024 * 1024)));
    let (_tmp, scenario) = small_with(&text);
    let e = solve_refused(&scenario);
    says(&e, &["scenario.toml", "larger than", "1 MiB"]);

    // A district plan of more than 256 MiB.
    let (tmp, scenario) = small_with("schools = \"schools.csv\"\npupils = \"pupils.csv\"\ndistricts = \"plan.geojson\"\n");
    std::fs::File::create(tmp.path().join("plan.geojson"))
        .unwrap()
        .set_len(256 * 1024 * 1024 + 1)
        .unwrap();
    let e = solve_refused(&scenario);
    says(&e, &["plan.geojson", "larger than", "256 MiB"]);
}

// ------------------------------------------------ GeoJSON

/// A district plan scenario on the `plan` fixture with `geojson` as its plan.
fn plan_with(geojson: &str) -> (tempfile::TempDir, PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    std::fs::write(tmp.path().join("plan.geojson"), geojson).unwrap();
    let base = fixture("plan").join("scenario.toml");
    std::fs::write(
        tmp.path().join("scenario.toml"),
        format!("base = {:?}\ndistricts = \"plan.geojson\"\n", base.display().to_string()),
    )
    .unwrap();
    let scenario = tmp.path().join("scenario.toml");
    (tmp, scenario)
}

/// A FeatureCollection: a valid district for A, then one for B with `ring`.
fn collection_with_ring(ring: &str) -> String {
    format!(
        r#"{{"type": "FeatureCollection", "features": [
{{"type": "Feature", "properties": {{"school_id": "A"}}, "geometry": {{"type": "Polygon", "coordinates": [[[11.59, 51.99], [11.61, 51.99], [11.61, 52.01], [11.59, 52.01], [11.59, 51.99]]]}}}},
{{"type": "Feature", "properties": {{"school_id": "B"}}, "geometry": {{"type": "Polygon", "coordinates": [{ring}]}}}}]}}"#
    )
}

#[test]
fn positions_with_fewer_than_two_numbers_are_refused_not_a_panic() {
    // The issue's case: [12.4] or [] made the geojson crate panic (exit 101).
    for position in ["[12.4]", "[]"] {
        let ring = format!("[[11.61, 51.99], [11.63, 51.99], {position}, [11.61, 52.01], [11.61, 51.99]]");
        let (_tmp, scenario) = plan_with(&collection_with_ring(&ring));
        let e = solve_refused(&scenario);
        says(&e, &["plan.geojson", "feature 2", "position 3", "longitude and a latitude"]);
    }
    // In a MultiPolygon, too.
    let multi = r#"{"type": "FeatureCollection", "features": [{"type": "Feature", "properties": {"school_id": "A"},
        "geometry": {"type": "MultiPolygon", "coordinates": [[[[11.59, 51.99], [11.61, 51.99], [11.61]]]]}}]}"#;
    let (_tmp, scenario) = plan_with(multi);
    let e = solve_refused(&scenario);
    says(&e, &["feature 1", "position 3"]);
}

#[test]
fn open_short_and_empty_rings_are_refused() {
    let open = "[[11.61, 51.99], [11.63, 51.99], [11.63, 52.01], [11.61, 52.01]]";
    let (_tmp, scenario) = plan_with(&collection_with_ring(open));
    says(&solve_refused(&scenario), &["feature 2", "not closed", "repeat the first"]);
    let short = "[[11.61, 51.99], [11.63, 51.99], [11.61, 51.99]]";
    let (_tmp, scenario) = plan_with(&collection_with_ring(short));
    says(&solve_refused(&scenario), &["feature 2", "at least 4 positions"]);
    let (_tmp, scenario) = plan_with(&collection_with_ring(""));
    says(&solve_refused(&scenario), &["feature 2", "no ring"]);
    let empty = r#"{"type": "FeatureCollection", "features": [{"type": "Feature", "properties": {"school_id": "A"},
        "geometry": {"type": "Polygon", "coordinates": []}}]}"#;
    let (_tmp, scenario) = plan_with(empty);
    says(&solve_refused(&scenario), &["feature 1", "no ring"]);
}

#[test]
fn a_self_crossing_ring_is_refused() {
    let bowtie = "[[11.61, 51.99], [11.63, 52.01], [11.63, 51.99], [11.61, 52.01], [11.61, 51.99]]";
    let (_tmp, scenario) = plan_with(&collection_with_ring(bowtie));
    says(&solve_refused(&scenario), &["feature 2", "crosses itself"]);
}

#[test]
fn a_broken_lock_area_is_refused_in_solve_and_audit() {
    let tmp = tempfile::tempdir().unwrap();
    std::fs::write(
        tmp.path().join("area.geojson"),
        r#"{"type": "Polygon", "coordinates": [[[11.59, 52.02], [11.61], [11.61, 52.03], [11.59, 52.02]]]}"#,
    )
    .unwrap();
    let base = fixture("changes").join("base.toml");
    std::fs::write(
        tmp.path().join("scenario.toml"),
        format!(
            "base = {:?}\n\n[[change]]\nkind = \"lock_area\"\nschool = \"C\"\narea = \"area.geojson\"\n",
            base.display().to_string()
        ),
    )
    .unwrap();
    let scenario = tmp.path().join("scenario.toml");
    says(&solve_refused(&scenario), &["area.geojson", "position 2"]);
    std::fs::write(tmp.path().join("a.csv"), "pupil_id,school_id\np1,A\n").unwrap();
    let (code, _, stderr) = run([
        "audit".as_ref(),
        "--scenario".as_ref(),
        scenario.as_os_str(),
        "--assignments".as_ref(),
        tmp.path().join("a.csv").as_os_str(),
    ]);
    assert_eq!(code, 2, "{stderr}");
    says(&stderr, &["area.geojson", "position 2"]);
}

// ------------------------------------------------ silently wrong tables

#[test]
fn a_column_named_twice_is_refused() {
    let (tmp, scenario) = small_with("schools = \"schools.csv\"\npupils = \"pupils.csv\"\n");
    std::fs::write(
        tmp.path().join("pupils.csv"),
        "pupil_id,lat,lon,migration_background,lat\np1,52.1001,11.6001,0,0.0\np2,52.1002,11.6002,1,0.0\n",
    )
    .unwrap();
    let e = solve_refused(&scenario);
    says(&e, &["pupils.csv, line 1", "`lat`", "twice", "columns 2 and 5"]);
}

#[test]
fn a_pupil_twice_in_the_baseline_is_refused() {
    let tmp = tempfile::tempdir().unwrap();
    for name in ["schools.csv", "pupils.csv", "scenario.toml"] {
        std::fs::copy(fixture("stability").join(name), tmp.path().join(name)).unwrap();
    }
    std::fs::write(tmp.path().join("last-year.csv"), "pupil_id,school_id\np1,B\np2,B\np1,A\n").unwrap();
    let e = solve_refused(&tmp.path().join("scenario.toml"));
    says(&e, &["last-year.csv, line 4", "pupil_id `p1` occurs again", "first on line 2"]);
    // By unit, too.
    std::fs::write(tmp.path().join("last-year.csv"), "unit_id,school_id\nu1,B\nu2,B\nu1,B\n").unwrap();
    let e = solve_refused(&tmp.path().join("scenario.toml"));
    says(&e, &["last-year.csv, line 4", "unit_id `u1` occurs again"]);
}

#[test]
fn ids_that_differ_only_by_case_or_an_invisible_character_are_warned_about() {
    let (tmp, scenario) = small_with("schools = \"schools.csv\"\npupils = \"pupils.csv\"\n");
    std::fs::write(
        tmp.path().join("pupils.csv"),
        "pupil_id,lat,lon,migration_background\np1,52.1001,11.6001,0\nP1,52.1002,11.6002,1\np\u{200b}3,52.1003,11.6198,0\np3,52.1004,11.6199,1\np5,52.1005,11.6100,0\n",
    )
    .unwrap();
    let out = tmp.path().join("out");
    let (code, _, stderr) = run(["solve".as_ref(), scenario.as_os_str(), "-o".as_ref(), out.as_os_str()]);
    assert_eq!(code, 0, "{stderr}");
    says(
        &stderr,
        &[
            "warning: ",
            "pupils.csv",
            "differ only by case or by invisible characters",
            "`p1` (line 2) and `P1` (line 3)",
            "`p\\u{200b}3` (line 4) and `p3` (line 5)",
        ],
    );
    assert!(!stderr.contains("`p5`"), "{stderr}"); // (the temp folder name may hold "p5")
    // audit and compare say it too.
    let (code, _, stderr) = run([
        "audit".as_ref(),
        "--scenario".as_ref(),
        scenario.as_os_str(),
        "--assignments".as_ref(),
        out.join("assignments.csv").as_os_str(),
    ]);
    assert_eq!(code, 0, "{stderr}");
    says(&stderr, &["warning: ", "`p1` (line 2) and `P1` (line 3)"]);
    let (code, _, stderr) = run([
        "compare".as_ref(),
        scenario.as_os_str(),
        "-o".as_ref(),
        tmp.path().join("cmp").as_os_str(),
    ]);
    assert_eq!(code, 0, "{stderr}");
    says(&stderr, &["warning: ", "`p1` (line 2) and `P1` (line 3)"]);
    // School ids too.
    std::fs::write(
        tmp.path().join("schools.csv"),
        "school_id,name,lat,lon,classes,prev_migration_share\nA,School A,52.1000,11.6000,1,0.10\na,School a,52.1000,11.6200,1,0.30\n",
    )
    .unwrap();
    let (code, _, stderr) = run([
        "solve".as_ref(),
        scenario.as_os_str(),
        "-o".as_ref(),
        tmp.path().join("o2").as_os_str(),
    ]);
    assert_eq!(code, 0, "{stderr}");
    says(&stderr, &["warning: ", "schools.csv", "`A` (line 2) and `a` (line 3)"]);
}

#[test]
fn clean_inputs_give_no_warning() {
    let scenario = fixture("small").join("scenario.toml");
    let out = tempfile::tempdir().unwrap();
    let (code, _, stderr) = run([
        "solve".as_ref(),
        scenario.as_os_str(),
        "-o".as_ref(),
        out.path().join("o").as_os_str(),
    ]);
    assert_eq!(code, 0, "{stderr}");
    assert!(!stderr.contains("warning"), "{stderr}");
}

#[test]
fn a_move_price_without_a_baseline_is_warned_about() {
    let (tmp, scenario) = small_with("schools = \"schools.csv\"\npupils = \"pupils.csv\"\n[rules]\nmove_penalty_m = 300\n");
    let (code, _, stderr) = run([
        "solve".as_ref(),
        scenario.as_os_str(),
        "-o".as_ref(),
        tmp.path().join("o").as_os_str(),
    ]);
    assert_eq!(code, 0, "{stderr}");
    says(
        &stderr,
        &["warning: ", "scenario.toml", "move_penalty_m = 300 has no effect", "baseline"],
    );
}
