//! Broken inputs: `catchment solve` exits with code 2, says on stderr which
//! file, which line and what is wrong, and writes nothing.
//!
//! Each `tests/fixtures/bad_*` folder is the valid `small` fixture with one
//! defect. Line numbers are 1-based lines of the file (the header is line 1).

mod common;

use common::{fixture, names_in, run_catchment, run_catchment_in};
use std::path::{Path, PathBuf};

/// Runs `solve` on the fixture into a fresh output folder; asserts exit code
/// 2, that the output folder was not filled, and returns stderr.
fn fails_with_code_2(fixture_name: &str) -> String {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    let scenario = fixture(fixture_name).join("scenario.toml");
    let (code, stdout, stderr) = run_catchment(["solve".as_ref(), scenario.as_os_str(), "-o".as_ref(), out.as_os_str()]);
    assert_eq!(code, 2, "{fixture_name}: stdout:\n{stdout}\nstderr:\n{stderr}");
    assert!(
        !out.exists() || std::fs::read_dir(&out).unwrap().next().is_none(),
        "{fixture_name}: files were written to the output folder"
    );
    assert!(stderr.starts_with("error: "), "{fixture_name}: {stderr}");
    stderr
}

/// The path of a fixture file as the tool names it.
fn file(fixture_name: &str, name: &str) -> String {
    fixture(fixture_name).join(name).display().to_string()
}

#[track_caller]
fn says(stderr: &str, parts: &[&str]) {
    for part in parts {
        assert!(stderr.contains(part), "stderr lacks {part:?}:\n{stderr}");
    }
}

#[test]
fn missing_column() {
    let e = fails_with_code_2("bad_missing_column");
    says(
        &e,
        &[
            &file("bad_missing_column", "schools.csv"),
            "line 1",
            "required column `classes` is missing",
            "header has: school_id, name, lat, lon, prev_migration_share",
        ],
    );
}

#[test]
fn malformed_number() {
    let e = fails_with_code_2("bad_malformed_number");
    says(
        &e,
        &[
            &file("bad_malformed_number", "schools.csv"),
            "line 3",
            "column `lat`",
            "`52.1x` is not a latitude",
        ],
    );
}

#[test]
fn duplicate_school_id() {
    let e = fails_with_code_2("bad_duplicate_school");
    says(
        &e,
        &[
            &file("bad_duplicate_school", "schools.csv"),
            "line 3",
            "school_id `A` occurs again",
            "first on line 2",
        ],
    );
}

#[test]
fn duplicate_pupil_id() {
    let e = fails_with_code_2("bad_duplicate_pupil");
    says(
        &e,
        &[
            &file("bad_duplicate_pupil", "pupils.csv"),
            "line 5",
            "pupil_id `p2` occurs again",
            "first on line 3",
        ],
    );
}

#[test]
fn unknown_school_in_fixed_school() {
    let e = fails_with_code_2("bad_unknown_fixed_school");
    says(
        &e,
        &[
            &file("bad_unknown_fixed_school", "pupils.csv"),
            "line 4",
            "column `fixed_school`",
            "school `Z` is not in the schools file",
        ],
    );
}

#[test]
fn share_outside_0_1() {
    let e = fails_with_code_2("bad_share_out_of_range");
    says(
        &e,
        &[
            &file("bad_share_out_of_range", "schools.csv"),
            "line 3",
            "column `prev_migration_share`",
            "`1.2` is not a share between 0 and 1",
        ],
    );
}

#[test]
fn latitude_out_of_range() {
    let e = fails_with_code_2("bad_latitude_out_of_range");
    says(
        &e,
        &[
            &file("bad_latitude_out_of_range", "pupils.csv"),
            "line 3",
            "column `lat`",
            "`95.0` is not a latitude in degrees between -90 and 90",
        ],
    );
}

#[test]
fn line_numbers_count_blank_lines() {
    // pupils.csv has an empty line 3; the bad longitude is on line 5.
    let e = fails_with_code_2("bad_line_after_blank");
    says(
        &e,
        &[
            &file("bad_line_after_blank", "pupils.csv"),
            "line 5",
            "column `lon`",
            "`north` is not a longitude",
        ],
    );
}

#[test]
fn empty_pupils_file() {
    // A header without rows, and a file of 0 bytes: there is no line to name.
    let e = fails_with_code_2("bad_empty_pupils");
    says(
        &e,
        &[
            &file("bad_empty_pupils", "pupils.csv"),
            "the file is empty",
            "at least one pupil row",
        ],
    );
    let e = fails_with_code_2("bad_zero_byte_pupils");
    says(&e, &[&file("bad_zero_byte_pupils", "pupils.csv"), "the file is empty"]);
}

#[test]
fn missing_pupils_file() {
    let e = fails_with_code_2("bad_missing_pupils");
    says(
        &e,
        &[
            &file("bad_missing_pupils", "pupils.csv"),
            "cannot read the file",
            "relative to the scenario file",
        ],
    );
}

#[test]
fn migration_background_not_0_or_1() {
    let e = fails_with_code_2("bad_migration_background");
    says(
        &e,
        &[
            &file("bad_migration_background", "pupils.csv"),
            "line 4",
            "column `migration_background`",
            "`2` is not 0 or 1",
        ],
    );
}

#[test]
fn unknown_key_in_scenario() {
    let e = fails_with_code_2("bad_unknown_key");
    says(
        &e,
        &[
            &file("bad_unknown_key", "scenario.toml"),
            "line 7",
            "unknown field `class_sise`",
            "class_size",
        ],
    );
}

#[test]
fn min_classes_above_max_classes() {
    let e = fails_with_code_2("bad_min_gt_max");
    says(
        &e,
        &[
            &file("bad_min_gt_max", "schools.csv"),
            "line 3",
            "school `B` has min_classes 3 > max_classes 1",
        ],
    );
}

#[test]
fn missing_scenario_file() {
    let e = fails_with_code_2("no_such_fixture");
    says(&e, &["no_such_fixture/scenario.toml", "cannot read the file"]);
}

// ---------------------------------------------------- outputs over inputs

/// Copies the `small` fixture into a fresh folder (the test must not risk the
/// repository's fixture) and returns the folder with each file's bytes.
fn copy_of_small() -> (tempfile::TempDir, PathBuf, Vec<(PathBuf, Vec<u8>)>) {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("inputs");
    std::fs::create_dir(&dir).unwrap();
    let mut files = Vec::new();
    for name in ["scenario.toml", "schools.csv", "pupils.csv"] {
        let bytes = std::fs::read(fixture("small").join(name)).unwrap();
        std::fs::write(dir.join(name), &bytes).unwrap();
        files.push((dir.join(name), bytes));
    }
    (tmp, dir, files)
}

#[track_caller]
fn refuses_to_overwrite(cwd: &Path, scenario: &str, out: &str, dir: &Path, files: &[(PathBuf, Vec<u8>)]) {
    let before = names_in(dir);
    let (code, _, stderr) = run_catchment_in(Some(cwd), ["solve", scenario, "-o", out]);
    assert_eq!(code, 2, "-o {out}: stderr:\n{stderr}");
    says(&stderr, &["schools.csv", "one of the input files"]);
    for (path, bytes) in files {
        assert_eq!(&std::fs::read(path).unwrap(), bytes, "{} changed", path.display());
    }
    assert_eq!(names_in(dir), before, "-o {out}: files were added to the input folder");
}

#[test]
fn output_into_the_input_folder_never_replaces_an_input() {
    let (tmp, dir, files) = copy_of_small();
    let scenario = dir.join("scenario.toml");
    let scenario = scenario.to_str().unwrap();
    // The same folder, spelled three ways.
    refuses_to_overwrite(tmp.path(), scenario, dir.to_str().unwrap(), &dir, &files);
    refuses_to_overwrite(&dir, "scenario.toml", ".", &dir, &files);
    refuses_to_overwrite(&dir, "scenario.toml", "../inputs/./", &dir, &files);
    // Through a symbolic link to the folder.
    #[cfg(unix)]
    {
        std::os::unix::fs::symlink(&dir, tmp.path().join("link")).unwrap();
        refuses_to_overwrite(tmp.path(), scenario, "link", &dir, &files);
    }
}

#[test]
fn an_input_named_like_an_output_is_not_replaced() {
    // The pupils file is called assignments.csv, in the output folder.
    let (_tmp, dir, _) = copy_of_small();
    std::fs::rename(dir.join("pupils.csv"), dir.join("assignments.csv")).unwrap();
    std::fs::rename(dir.join("schools.csv"), dir.join("school_list.csv")).unwrap();
    std::fs::write(
        dir.join("scenario.toml"),
        "schools = \"school_list.csv\"\npupils = \"assignments.csv\"\n",
    )
    .unwrap();
    let files: Vec<(PathBuf, Vec<u8>)> = names_in(&dir)
        .iter()
        .map(|n| (dir.join(n), std::fs::read(dir.join(n)).unwrap()))
        .collect();
    let before = names_in(&dir);
    let scenario = dir.join("scenario.toml");
    let (code, _, stderr) = run_catchment(["solve".as_ref(), scenario.as_os_str(), "-o".as_ref(), dir.as_os_str()]);
    assert_eq!(code, 2, "stderr:\n{stderr}");
    says(&stderr, &["assignments.csv", "one of the input files"]);
    for (path, bytes) in &files {
        assert_eq!(&std::fs::read(path).unwrap(), bytes, "{} changed", path.display());
    }
    assert_eq!(names_in(&dir), before, "no output file may be written next to the inputs");
}

#[test]
fn output_path_that_is_a_file_is_a_user_error() {
    let tmp = tempfile::tempdir().unwrap();
    let not_a_folder = tmp.path().join("out");
    std::fs::write(&not_a_folder, b"keep me").unwrap();
    let scenario = fixture("small").join("scenario.toml");
    let (code, _, stderr) = run_catchment(["solve".as_ref(), scenario.as_os_str(), "-o".as_ref(), not_a_folder.as_os_str()]);
    assert_eq!(code, 2, "stderr:\n{stderr}");
    says(&stderr, &[&not_a_folder.display().to_string()]);
    assert_eq!(std::fs::read(&not_a_folder).unwrap(), b"keep me");
}
