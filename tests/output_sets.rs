//! Whole output sets: the files of one run are replaced together, never one
//! beside an older other; files of an earlier run that this run does not
//! write are removed; `catchment-manifest.json` names every file with its
//! SHA-256 whenever it exists; what a killed run left is completed or
//! removed by the next run; a full disk leaves the folder as it was.

mod common;

use common::{fixture, names_in, run_catchment};
use serde_json::Value;
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

const MANIFEST: &str = "catchment-manifest.json";

/// The files `solve` may write.
const SOLVE_FILES: [&str; 7] = [
    "assignments.csv",
    "schools.csv",
    "units.csv",
    "summary.json",
    "districts.geojson",
    "bylaw.csv",
    "district_issues.csv",
];

/// Runs `solve SCENARIO -o OUT EXTRA...`; returns exit code, stdout, stderr.
fn solve(scenario: &Path, out: &Path, extra: &[&str]) -> (i32, String, String) {
    let mut args: Vec<&std::ffi::OsStr> = vec!["solve".as_ref(), scenario.as_os_str(), "-o".as_ref(), out.as_os_str()];
    args.extend(extra.iter().map(std::ffi::OsStr::new));
    run_catchment(args)
}

#[track_caller]
fn solve_ok(scenario: &Path, out: &Path, extra: &[&str]) -> String {
    let (code, stdout, stderr) = solve(scenario, out, extra);
    assert!(code == 0 || code == 1, "exit {code}\nstdout:\n{stdout}\nstderr:\n{stderr}");
    stdout
}

fn sha256(bytes: &[u8]) -> String {
    Sha256::digest(bytes).iter().map(|b| format!("{b:02x}")).collect()
}

fn read_json(path: &Path) -> Value {
    serde_json::from_slice(&std::fs::read(path).unwrap()).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// Checks the manifest of `dir` against the files: every set's files exist
/// with the listed size and SHA-256; no file `solve` may write is in the
/// folder unless the solve set lists it. Returns the solve set's file names.
#[track_caller]
fn manifest_holds(dir: &Path) -> Vec<String> {
    let manifest = read_json(&dir.join(MANIFEST));
    let sets = manifest["sets"].as_object().expect("sets");
    for (set, listed) in sets {
        for (name, entry) in listed["files"].as_object().expect("files") {
            let bytes = std::fs::read(dir.join(name)).unwrap_or_else(|e| panic!("{set}: {name} listed but {e}"));
            assert_eq!(bytes.len() as u64, entry["bytes"].as_u64().unwrap(), "{set}: size of {name}");
            assert_eq!(sha256(&bytes), entry["sha256"].as_str().unwrap(), "{set}: SHA-256 of {name}");
        }
    }
    let solve_set: Vec<String> = sets
        .get("solve")
        .map(|s| s["files"].as_object().unwrap().keys().cloned().collect())
        .unwrap_or_default();
    for name in SOLVE_FILES {
        assert_eq!(
            dir.join(name).exists(),
            solve_set.iter().any(|n| n == name),
            "{name}: in the folder exactly when the solve set lists it ({solve_set:?})"
        );
    }
    solve_set
}

/// Sum of `distance_m` over `assignments.csv`, and its number of rows.
fn assignment_total(dir: &Path) -> (f64, usize) {
    let mut reader = csv::Reader::from_path(dir.join("assignments.csv")).unwrap();
    let mut total = 0.0;
    let mut rows = 0;
    for row in reader.deserialize::<BTreeMap<String, String>>() {
        total += row.unwrap()["distance_m"].parse::<f64>().unwrap();
        rows += 1;
    }
    (total, rows)
}

/// The summary and the assignments of `dir` are of one run: the total way
/// recomputed from the millimetre distances is the summary's.
#[track_caller]
fn summary_matches_assignments(dir: &Path) {
    let summary = read_json(&dir.join("summary.json"));
    let (total, rows) = assignment_total(dir);
    assert_eq!(rows as u64, summary["pupils"].as_u64().unwrap());
    let stated = summary["distances"]["total_m"].as_f64().unwrap();
    let tolerance = rows as f64 * 0.0005 + 0.01;
    assert!(
        (total - stated).abs() <= tolerance,
        "assignments add up to {total} m, summary says {stated} m"
    );
}

/// Entries of `dir` whose names start with `.catchment-`.
fn temporary_entries(dir: &Path) -> Vec<String> {
    names_in(dir).into_iter().filter(|n| n.starts_with(".catchment-")).collect()
}

#[test]
fn an_infeasible_run_removes_the_assignment_of_an_earlier_run() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    solve_ok(&fixture("rule17").join("scenario.toml"), &out, &[]);
    assert_eq!(manifest_holds(&out), vec!["assignments.csv", "schools.csv", "summary.json"]);
    let stdout = solve_ok(&fixture("infeasible").join("scenario.toml"), &out, &[]);
    assert_eq!(
        names_in(&out),
        vec![MANIFEST, "summary.json"],
        "no assignment beside the infeasible summary"
    );
    assert_eq!(manifest_holds(&out), vec!["summary.json"]);
    assert!(stdout.contains("assignment none (infeasible)"), "{stdout}");
    assert!(
        stdout.contains(&format!("removed    {}", out.join("assignments.csv").display())),
        "{stdout}"
    );
}

#[test]
fn a_run_without_pupils_left_out_removes_district_issues_of_an_earlier_plan() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    solve_ok(&fixture("plan").join("scenario.toml"), &out, &["--districts"]);
    assert!(out.join("district_issues.csv").exists());
    assert!(out.join("districts.geojson").exists());
    // The same pupils and schools, optimised, without --districts.
    let optimum = tmp.path().join("optimum.toml");
    std::fs::write(
        &optimum,
        format!(
            "schools = {:?}\npupils = {:?}\n",
            fixture("plan").join("schools.csv"),
            fixture("plan").join("pupils.csv")
        ),
    )
    .unwrap();
    solve_ok(&optimum, &out, &[]);
    assert_eq!(
        names_in(&out),
        vec!["assignments.csv", MANIFEST, "schools.csv", "summary.json"],
        "district_issues.csv and districts.geojson of the plan run are gone"
    );
    manifest_holds(&out);
    summary_matches_assignments(&out);
}

#[test]
fn compare_without_diff_removes_an_earlier_diff_and_keeps_the_solve_set() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    let small = fixture("small").join("scenario.toml");
    let tiny = fixture("tiny").join("scenario.toml");
    solve_ok(&small, &out, &[]);
    let compare = |extra: &[&str]| {
        let mut args: Vec<&std::ffi::OsStr> = vec![
            "compare".as_ref(),
            small.as_os_str(),
            tiny.as_os_str(),
            "-o".as_ref(),
            out.as_os_str(),
        ];
        args.extend(extra.iter().map(std::ffi::OsStr::new));
        let (code, stdout, stderr) = run_catchment(args);
        assert_eq!(code, 0, "{stdout}\n{stderr}");
    };
    compare(&["--diff"]);
    assert!(out.join("diff.csv").exists());
    compare(&[]);
    assert!(!out.join("diff.csv").exists(), "diff.csv of the earlier compare is gone");
    let manifest = read_json(&out.join(MANIFEST));
    let files = |set: &str| -> Vec<String> { manifest["sets"][set]["files"].as_object().unwrap().keys().cloned().collect() };
    assert_eq!(files("compare"), vec!["compare.csv", "compare.md"]);
    assert_eq!(
        files("solve"),
        vec!["assignments.csv", "schools.csv", "summary.json"],
        "the solve set stays"
    );
    manifest_holds(&out);
}

#[test]
fn leftovers_of_a_killed_run_are_removed_by_the_next_run() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    std::fs::create_dir(&out).unwrap();
    // A staging folder cut short, and a temporary file of an older version.
    let staging = out.join(".catchment-staging-AbC123");
    std::fs::create_dir(&staging).unwrap();
    std::fs::write(staging.join("assignments.csv"), "pupil_id,school_id,distance_m\np1,A,11.1\n").unwrap();
    std::fs::write(out.join(".catchment-Xy12Za"), "pupil_id,school_id,distance_m\np1,A").unwrap();
    std::fs::write(out.join("notes.txt"), "mine").unwrap();
    solve_ok(&fixture("small").join("scenario.toml"), &out, &[]);
    assert_eq!(temporary_entries(&out), Vec::<String>::new());
    assert_eq!(std::fs::read_to_string(out.join("notes.txt")).unwrap(), "mine", "other files stay");
    manifest_holds(&out);
}

/// A copy of the results of `solve SCENARIO` in a fresh folder: (files, manifest bytes).
fn result_of(scenario: &Path, tmp: &Path, label: &str) -> (Vec<(String, Vec<u8>)>, Vec<u8>) {
    let dir = tmp.join(label);
    solve_ok(scenario, &dir, &[]);
    let files = names_in(&dir)
        .into_iter()
        .filter(|n| n != MANIFEST)
        .map(|n| (n.clone(), std::fs::read(dir.join(&n)).unwrap()))
        .collect();
    (files, std::fs::read(dir.join(MANIFEST)).unwrap())
}

#[test]
fn a_swap_cut_short_is_completed_by_the_next_command_into_the_folder() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    let old = fixture("rule17").join("scenario.toml");
    solve_ok(&old, &out, &[]);
    // The state a run of the `small` scenario leaves when killed in its
    // swap: committed (the commit folder holds the new files, the new
    // manifest and the journal), the old manifest removed, the first new
    // file moved into place.
    let (new_files, new_manifest) = result_of(&fixture("small").join("scenario.toml"), tmp.path(), "new");
    let commit = out.join(".catchment-commit-Q1w2E3");
    std::fs::create_dir(&commit).unwrap();
    std::fs::remove_file(out.join(MANIFEST)).unwrap();
    for (i, (name, bytes)) in new_files.iter().enumerate() {
        let target = if i == 0 { out.join(name) } else { commit.join(name) };
        std::fs::write(target, bytes).unwrap();
    }
    std::fs::write(commit.join(MANIFEST), &new_manifest).unwrap();
    std::fs::write(commit.join("journal.json"), "{\"remove\": []}\n").unwrap();
    // Any command that writes into the folder completes the swap first,
    // even one that then stops at a broken input (exit 2).
    let (code, _, stderr) = solve(&fixture("bad_missing_column").join("scenario.toml"), &out, &[]);
    assert_eq!(code, 2, "{stderr}");
    assert_eq!(temporary_entries(&out), Vec::<String>::new());
    assert_eq!(std::fs::read(out.join(MANIFEST)).unwrap(), new_manifest);
    for (name, bytes) in &new_files {
        assert_eq!(&std::fs::read(out.join(name)).unwrap(), bytes, "{name} is the new one");
    }
    manifest_holds(&out);
    summary_matches_assignments(&out);
}

/// A scenario `b.toml` beside the generated `scenario.toml`: another name
/// and 23 per class, so its assignment and summary differ.
fn second_scenario(city: &Path) -> PathBuf {
    let b = city.join("b.toml");
    std::fs::write(
        &b,
        "name = \"B\"\nbase = \"scenario.toml\"\n\n[[change]]\nkind = \"rules\"\nclass_size = 23\n",
    )
    .unwrap();
    b
}

/// The scenario name of the solve set in `dir` (after checking the set).
#[track_caller]
fn consistent_set(dir: &Path, with_districts: &str) -> String {
    let files = manifest_holds(dir);
    summary_matches_assignments(dir);
    let name = read_json(&dir.join("summary.json"))["scenario"].as_str().unwrap().to_string();
    // Run A writes no districts.geojson, run B does: a set is one run's.
    assert_eq!(
        files.iter().any(|f| f == "districts.geojson"),
        name == with_districts,
        "{name}: {files:?}"
    );
    name
}

/// Starts `solve`, waits until it begins to write (its staging folder
/// appears), waits `delay` more and kills it (SIGKILL). Returns false when
/// the run ended before the kill.
fn kill_while_writing(scenario: &Path, out: &Path, extra: &[&str], delay: std::time::Duration, anytime: bool) -> bool {
    let binary = assert_cmd::cargo::cargo_bin("catchment");
    let mut child = std::process::Command::new(binary)
        .args(["solve".as_ref(), scenario.as_os_str(), "-o".as_ref(), out.as_os_str()])
        .args(extra)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let staging_seen =
        || std::fs::read_dir(out).is_ok_and(|mut d| d.any(|e| e.unwrap().file_name().to_string_lossy().starts_with(".catchment-staging-")));
    if !anytime {
        while !staging_seen() {
            if child.try_wait().unwrap().is_some() {
                return false;
            }
            std::thread::sleep(std::time::Duration::from_micros(200));
        }
    }
    std::thread::sleep(delay);
    let killed = child.try_wait().unwrap().is_none();
    let _ = child.kill();
    child.wait().unwrap();
    killed
}

#[test]
fn a_run_killed_at_any_moment_leaves_one_complete_set() {
    // A Berlin-size city (35,000 pupils, 430 schools): writing its set takes
    // about 0.1 s (with districts.geojson). Runs alternate between scenario A
    // and B, so each kill falls between two different sets.
    let tmp = tempfile::tempdir().unwrap();
    let city = tmp.path().join("city");
    let (code, _, stderr) = run_catchment([
        "generate".as_ref(),
        "--preset".as_ref(),
        "berlin".as_ref(),
        "--seed".as_ref(),
        "7".as_ref(),
        "-o".as_ref(),
        city.as_os_str(),
    ]);
    assert_eq!(code, 0, "{stderr}");
    let a = city.join("scenario.toml");
    let b = second_scenario(&city);
    let a_name = read_json(&{
        let out = tmp.path().join("probe");
        solve_ok(&a, &out, &[]);
        out.join("summary.json")
    })["scenario"]
        .as_str()
        .unwrap()
        .to_string();
    let out = tmp.path().join("out");
    solve_ok(&a, &out, &[]);
    assert_eq!(consistent_set(&out, "B"), a_name);

    // Kill delays: most while writing (0 to 120 ms after the staging folder
    // appears), some at any moment of the run (0 to 5 s after the start).
    let mut state: u64 = 0x9E37_79B9_7F4A_7C15;
    let mut next = |below: u64| {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state % below
    };
    let (mut old_kept, mut new_done, mut in_swap, mut ended) = (0, 0, 0, 0);
    // 16 rounds, and up to 48 while no kill has yet fallen while the set was
    // written (on a busy machine the writer may finish before the kill
    // lands): every round checks that one complete set is left.
    let mut round = 0;
    while round < 16 || (old_kept == 0 && round < 48) {
        round += 1;
        let before = consistent_set(&out, "B");
        let (scenario, extra): (&Path, &[&str]) = if before == a_name { (&b, &["--districts"]) } else { (&a, &[]) };
        let anytime = round % 4 == 3;
        let delay = std::time::Duration::from_micros(if anytime { next(5_000_000) } else { next(120_000) });
        if !kill_while_writing(scenario, &out, extra, delay, anytime) {
            ended += 1;
        }
        // Killed mid-swap: no manifest until the next run completes it.
        if !out.join(MANIFEST).exists() {
            in_swap += 1;
            assert!(temporary_entries(&out).iter().any(|n| n.starts_with(".catchment-commit-")));
            let (code, _, stderr) = solve(&fixture("bad_missing_column").join("scenario.toml"), &out, &[]);
            assert_eq!(code, 2, "{stderr}");
        }
        // Whatever was left while it waits for the next run is private.
        #[cfg(unix)]
        for name in temporary_entries(&out) {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(out.join(&name)).unwrap().permissions().mode() & 0o777;
            assert_eq!(mode & 0o077, 0, "{name} is readable by others: {mode:o}");
        }
        let after = consistent_set(&out, "B");
        if after == before {
            old_kept += 1;
        } else {
            new_done += 1;
        }
    }
    eprintln!(
        "{round} kills: {old_kept} left the old set, {new_done} the new one ({ended} runs ended before the kill), {in_swap} cut the swap"
    );
    assert!(old_kept > 0, "some kills fell while the set was written");
    // The next run leaves no temporary file behind.
    solve_ok(&a, &out, &[]);
    assert_eq!(temporary_entries(&out), Vec::<String>::new());
    assert_eq!(consistent_set(&out, "B"), a_name);
}

/// A tmpfs of `size` mounted on a folder, unmounted when dropped.
struct SmallDisk(PathBuf);

impl SmallDisk {
    /// Mounts one (needs root); `None`, with a message, when that is not possible here.
    fn mount(dir: &Path, size: &str) -> Option<Self> {
        let status = std::process::Command::new("mount")
            .args(["-t", "tmpfs", "-o", &format!("size={size},mode=0755"), "tmpfs"])
            .arg(dir)
            .stderr(std::process::Stdio::null())
            .status();
        match status {
            Ok(s) if s.success() => Some(Self(dir.to_path_buf())),
            _ => {
                eprintln!("SKIPPED: cannot mount a small tmpfs here (needs root); the full-disk test did not run");
                None
            }
        }
    }
}

impl Drop for SmallDisk {
    fn drop(&mut self) {
        let _ = std::process::Command::new("umount").arg(&self.0).status();
    }
}

/// Fills the disk of `dir` with a file, then frees exactly `pages` pages of 4 KiB.
fn fill_leaving(dir: &Path, pages: u64) {
    use std::io::Write;
    let mut filler = std::fs::File::create(dir.join("filler")).unwrap();
    let chunk = vec![0u8; 4096];
    while filler.write(&chunk).is_ok_and(|n| n == chunk.len()) {}
    let length = filler.metadata().unwrap().len() / 4096 * 4096;
    filler.set_len(length.saturating_sub(pages * 4096)).unwrap();
}

#[test]
fn a_full_disk_leaves_the_earlier_set_as_it_was() {
    let tmp = tempfile::tempdir().unwrap();
    // A city whose set is larger than the earlier one: assignments.csv of
    // 5,500 rows, solved once on the ordinary disk to know its size.
    let city = tmp.path().join("city");
    let (code, _, stderr) = run_catchment([
        "generate".as_ref(),
        "--preset".as_ref(),
        "leipzig".as_ref(),
        "-o".as_ref(),
        city.as_os_str(),
    ]);
    assert_eq!(code, 0, "{stderr}");
    let probe = tmp.path().join("probe");
    solve_ok(&city.join("scenario.toml"), &probe, &[]);
    let assignment_pages = std::fs::metadata(probe.join("assignments.csv")).unwrap().len().div_ceil(4096);

    let disk = tmp.path().join("disk");
    std::fs::create_dir(&disk).unwrap();
    let Some(_mounted) = SmallDisk::mount(&disk, "1m") else {
        return;
    };
    let out = disk.join("out");
    solve_ok(&fixture("small").join("scenario.toml"), &out, &[]);
    let before: Vec<(String, Vec<u8>)> = names_in(&out)
        .into_iter()
        .map(|n| (n.clone(), std::fs::read(out.join(&n)).unwrap()))
        .collect();
    // Room for the new assignments.csv, not for the rest of the set: file by
    // file, the new assignments.csv would land beside the old summary.json.
    fill_leaving(&disk, assignment_pages);
    let (code, stdout, stderr) = solve(&city.join("scenario.toml"), &out, &[]);
    assert_eq!(code, 2, "a full disk is the user's to fix\nstdout:\n{stdout}\nstderr:\n{stderr}");
    assert!(stderr.contains("No space left on device"), "{stderr}");
    assert!(stderr.contains(&out.display().to_string()), "{stderr}");
    let after: Vec<(String, Vec<u8>)> = names_in(&out)
        .into_iter()
        .map(|n| (n.clone(), std::fs::read(out.join(&n)).unwrap()))
        .collect();
    assert_eq!(after, before, "the folder is as before: same files, same bytes, nothing left over");
    manifest_holds(&out);
    // With room again, the same run goes through.
    std::fs::remove_file(disk.join("filler")).unwrap();
    solve_ok(&city.join("scenario.toml"), &out, &[]);
    summary_matches_assignments(&out);
    assert_eq!(temporary_entries(&out), Vec::<String>::new());
}

#[test]
fn a_run_waits_while_another_writes_into_the_folder() {
    // This test holds the folder's lock, as a run writing there does: a
    // solve into the folder waits, writes nothing, and goes on once released.
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    std::fs::create_dir(&out).unwrap();
    let lock = std::fs::File::open(&out).unwrap();
    lock.lock().unwrap();
    let binary = assert_cmd::cargo::cargo_bin("catchment");
    let mut child = std::process::Command::new(binary)
        .args([
            "solve".as_ref(),
            fixture("small").join("scenario.toml").as_os_str(),
            "-o".as_ref(),
            out.as_os_str(),
        ])
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    std::thread::sleep(std::time::Duration::from_secs(1));
    assert!(child.try_wait().unwrap().is_none(), "the run waits for the lock");
    assert!(names_in(&out).is_empty(), "and writes nothing meanwhile");
    lock.unlock().unwrap();
    assert_eq!(child.wait().unwrap().code(), Some(0));
    manifest_holds(&out);
    summary_matches_assignments(&out);
}
