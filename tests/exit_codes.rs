//! Exit codes: a value the user chose (in a scenario, on the command line,
//! an output path) that cannot be used is exit code 2 with a message naming
//! what to fix, never exit 3 (which is kept for internal and solver failures).

mod common;

use common::{fixture, names_in, run_catchment};
use std::path::PathBuf;

/// A copy of the `small` fixture with `extra` appended to its scenario file.
fn small_with(extra: &str) -> (tempfile::TempDir, PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    for name in ["schools.csv", "pupils.csv", "scenario.toml"] {
        std::fs::copy(fixture("small").join(name), tmp.path().join(name)).unwrap();
    }
    let scenario = tmp.path().join("scenario.toml");
    let mut text = std::fs::read_to_string(&scenario).unwrap();
    text.push_str(extra);
    std::fs::write(&scenario, text).unwrap();
    (tmp, scenario)
}

#[track_caller]
fn user_error(args: &[&std::ffi::OsStr], must_say: &[&str]) -> String {
    let (code, stdout, stderr) = run_catchment(args);
    assert_eq!(code, 2, "{args:?}: stdout:\n{stdout}\nstderr:\n{stderr}");
    assert!(stderr.starts_with("error: "), "{stderr}");
    for part in must_say {
        assert!(stderr.contains(part), "stderr lacks {part:?}:\n{stderr}");
    }
    stderr
}

#[test]
fn a_thread_count_highs_cannot_take_is_a_user_error() {
    // 2^31 does not fit HiGHS's thread option (a C int).
    let (tmp, scenario) = small_with("\n[solver]\nthreads = 2147483648\n");
    let out = tmp.path().join("out");
    user_error(&[os("solve"), scenario.as_os_str(), os("-o"), out.as_os_str()], &["threads"]);
    assert!(!out.exists(), "nothing is written");
    // The same number on the command line.
    let small = fixture("small").join("scenario.toml");
    user_error(
        &[
            os("solve"),
            small.as_os_str(),
            os("--threads"),
            os("2147483648"),
            os("-o"),
            out.as_os_str(),
        ],
        &["threads"],
    );
    assert!(!out.exists(), "nothing is written");
}

#[test]
fn schools_option_with_the_named_magdeburg_preset_is_a_user_error() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("city");
    user_error(
        &[
            os("generate"),
            os("--preset"),
            os("magdeburg"),
            os("--schools"),
            os("4"),
            os("-o"),
            out.as_os_str(),
        ],
        &["--schools", "magdeburg", "33"],
    );
    assert!(!out.exists(), "nothing is written");
    for (option, value) in [("--schools", "0"), ("--pupils", "0")] {
        user_error(
            &[
                os("generate"),
                os("--preset"),
                os("leipzig"),
                os(option),
                os(value),
                os("-o"),
                out.as_os_str(),
            ],
            &[option, "at least 1"],
        );
        assert!(!out.exists(), "nothing is written");
    }
    // Beyond what the generator can hold in memory: refused, not an abort.
    user_error(
        &[
            os("generate"),
            os("--preset"),
            os("berlin"),
            os("--pupils"),
            os("1000000000000"),
            os("-o"),
            out.as_os_str(),
        ],
        &["--pupils", "at most"],
    );
    assert!(!out.exists(), "nothing is written");
}

#[test]
fn export_model_into_a_missing_folder_is_a_user_error_like_solve() {
    let tmp = tempfile::tempdir().unwrap();
    let model = tmp.path().join("missing").join("model.mps");
    let scenario = fixture("small").join("scenario.toml");
    let stderr = user_error(
        &[os("export-model"), scenario.as_os_str(), os("-o"), model.as_os_str()],
        &[&model.display().to_string(), "folder"],
    );
    assert!(
        !stderr.contains(".catchment-"),
        "the message names the user's path, not a temporary one:\n{stderr}"
    );
    assert!(names_in(tmp.path()).is_empty());
}

#[test]
fn export_model_refuses_a_path_that_is_not_a_regular_file() {
    let tmp = tempfile::tempdir().unwrap();
    let folder = tmp.path().join("model.mps");
    std::fs::create_dir(&folder).unwrap();
    let scenario = fixture("small").join("scenario.toml");
    user_error(
        &[os("export-model"), scenario.as_os_str(), os("-o"), folder.as_os_str()],
        &[&folder.display().to_string(), "not a regular file"],
    );
    assert!(folder.is_dir());
}

/// A command-line word.
fn os(s: &str) -> &std::ffi::OsStr {
    s.as_ref()
}
