//! Privacy of the outputs: files with pupil data are created with mode 0600
//! whatever the umask, files of aggregates 0644; `audit -o` writes only to a
//! new or a regular file.
#![cfg(unix)]

mod common;

use common::{fixture, run_catchment};
use std::os::unix::fs::{FileTypeExt, PermissionsExt};
use std::path::Path;

/// Runs the binary under `umask`; asserts exit code `expected`.
#[track_caller]
fn run_with_umask(umask: &str, args: &[&std::ffi::OsStr], expected: i32) {
    let binary = assert_cmd::cargo::cargo_bin("catchment");
    let output = std::process::Command::new("sh")
        .arg("-c")
        .arg(format!("umask {umask} && exec \"$0\" \"$@\""))
        .arg(binary)
        .args(args)
        .output()
        .unwrap();
    assert_eq!(
        output.status.code(),
        Some(expected),
        "{args:?}\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
}

fn mode(path: &Path) -> u32 {
    std::fs::metadata(path)
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
        .permissions()
        .mode()
        & 0o777
}

#[test]
fn files_with_pupil_data_are_private_whatever_the_umask() {
    let tmp = tempfile::tempdir().unwrap();
    for (umask, label) in [("000", "open"), ("277", "no-owner-write")] {
        let out = tmp.path().join(format!("units-{label}"));
        let scenario = fixture("units").join("scenario.toml");
        run_with_umask(
            umask,
            &[
                "solve".as_ref(),
                scenario.as_os_str(),
                "-o".as_ref(),
                out.as_os_str(),
                "--districts".as_ref(),
            ],
            0,
        );
        for (name, expected) in [
            ("assignments.csv", 0o600),
            ("units.csv", 0o600),
            ("summary.json", 0o600),
            ("districts.geojson", 0o600),
            ("bylaw.csv", 0o600),
            ("schools.csv", 0o644),
            ("catchment-manifest.json", 0o644),
        ] {
            assert_eq!(mode(&out.join(name)), expected, "umask {umask}: {name}");
        }
        let plan = tmp.path().join(format!("plan-{label}"));
        let scenario = fixture("plan").join("scenario.toml");
        run_with_umask(umask, &["solve".as_ref(), scenario.as_os_str(), "-o".as_ref(), plan.as_os_str()], 1);
        assert_eq!(mode(&plan.join("district_issues.csv")), 0o600, "umask {umask}");

        let city = tmp.path().join(format!("city-{label}"));
        run_with_umask(
            umask,
            &[
                "generate".as_ref(),
                "--preset".as_ref(),
                "leipzig".as_ref(),
                "--pupils".as_ref(),
                "300".as_ref(),
                "--schools".as_ref(),
                "5".as_ref(),
                "-o".as_ref(),
                city.as_os_str(),
            ],
            0,
        );
        assert_eq!(mode(&city.join("pupils.csv")), 0o600, "umask {umask}");
        assert_eq!(mode(&city.join("schools.csv")), 0o644, "umask {umask}");

        let model = tmp.path().join(format!("model-{label}.lp"));
        let scenario = fixture("small").join("scenario.toml");
        run_with_umask(
            umask,
            &["export-model".as_ref(), scenario.as_os_str(), "-o".as_ref(), model.as_os_str()],
            0,
        );
        assert_eq!(mode(&model), 0o600, "umask {umask}: the model's names are pupil ids");

        let audit = |report: &Path, extra: &[&str]| {
            let mut args: Vec<&std::ffi::OsStr> = vec![
                "audit".as_ref(),
                "--scenario".as_ref(),
                "tests/fixtures/audit/scenario.toml".as_ref(),
                "--assignments".as_ref(),
                "tests/fixtures/audit/correct.csv".as_ref(),
                "-o".as_ref(),
                report.as_os_str(),
            ];
            args.extend(extra.iter().map(std::ffi::OsStr::new));
            run_with_umask(umask, &args, 0);
        };
        let report = tmp.path().join(format!("audit-{label}.md"));
        audit(&report, &[]);
        assert_eq!(mode(&report), 0o600, "umask {umask}: the report names pupils");
        let published = tmp.path().join(format!("audit-{label}-published.md"));
        audit(&published, &["--publish"]);
        assert_eq!(mode(&published), 0o644, "umask {umask}: a publishable report");
    }
}

/// Runs `audit ... -o TARGET`; returns exit code and stderr.
fn audit_into(target: &Path) -> (i32, String) {
    let (code, _, stderr) = run_catchment([
        "audit".as_ref(),
        "--scenario".as_ref(),
        fixture("audit").join("scenario.toml").as_os_str(),
        "--assignments".as_ref(),
        fixture("audit").join("correct.csv").as_os_str(),
        "-o".as_ref(),
        target.as_os_str(),
    ]);
    (code, stderr)
}

#[test]
fn audit_writes_only_to_a_new_or_a_regular_file() {
    let tmp = tempfile::tempdir().unwrap();
    // A folder.
    let folder = tmp.path().join("report.md");
    std::fs::create_dir(&folder).unwrap();
    std::fs::write(folder.join("keep.txt"), "keep").unwrap();
    let (code, stderr) = audit_into(&folder);
    assert_eq!(code, 2, "{stderr}");
    assert!(stderr.contains("not a regular file"), "{stderr}");
    assert_eq!(std::fs::read_to_string(folder.join("keep.txt")).unwrap(), "keep");
    // A named pipe (a special file, like a device).
    let fifo = tmp.path().join("pipe.md");
    assert!(std::process::Command::new("mkfifo").arg(&fifo).status().unwrap().success());
    let (code, stderr) = audit_into(&fifo);
    assert_eq!(code, 2, "{stderr}");
    assert!(
        std::fs::symlink_metadata(&fifo).unwrap().file_type().is_fifo(),
        "the pipe is still a pipe"
    );
    // A symbolic link: neither it nor its target is replaced.
    let target = tmp.path().join("target.md");
    std::fs::write(&target, "mine").unwrap();
    let link = tmp.path().join("link.md");
    std::os::unix::fs::symlink(&target, &link).unwrap();
    let (code, stderr) = audit_into(&link);
    assert_eq!(code, 2, "{stderr}");
    assert!(std::fs::symlink_metadata(&link).unwrap().file_type().is_symlink());
    assert_eq!(std::fs::read_to_string(&target).unwrap(), "mine");
    // A regular file is replaced; a new one is created; nothing else is left.
    let (code, stderr) = audit_into(&target);
    assert_eq!(code, 0, "{stderr}");
    assert!(std::fs::read_to_string(&target).unwrap().contains("**COMPLIANT**"));
    let (code, stderr) = audit_into(&tmp.path().join("new.md"));
    assert_eq!(code, 0, "{stderr}");
    let leftovers: Vec<_> = std::fs::read_dir(tmp.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(".catchment-"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}
