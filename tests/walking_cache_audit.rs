//! `audit` and `report` read the walking-distance cache of the result they
//! look at (`catchment-cache/` beside its assignments) instead of building
//! the walk graph again, and never write it. The audit takes the graph and
//! the snaps from it, never a way: with every cached way made 100 m longer
//! (a file re-encoded with its checksum, so that it is accepted) the audit
//! still finds the stated distances right, while the report's figures,
//! which are taken from the cache, change.

use assert_cmd::Command;
use catchment::geometry::{LazyWalkingWays, decode_cache, encode_cache};
use catchment::scenario::load_scenario;
use std::path::{Path, PathBuf};

const SCENARIO: &str = "scenarios/magdeburg-walking.toml";

/// Runs `catchment ARGS`; returns (exit code, stdout, stderr).
fn run(args: &[&std::ffi::OsStr]) -> (i32, String, String) {
    let out = Command::cargo_bin("catchment").unwrap().args(args).output().unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// The one cache file of `out`.
fn cache_file(out: &Path) -> PathBuf {
    let files: Vec<PathBuf> = std::fs::read_dir(out.join("catchment-cache"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    assert_eq!(files.len(), 1, "{files:?}");
    files[0].clone()
}

/// The audit's Markdown of `out`'s assignments (exit code 0 asserted), with `extra` options.
fn audit(out: &Path, extra: &[&str]) -> (String, String) {
    let assignments = out.join("assignments.csv");
    let schools = out.join("schools.csv");
    let mut args: Vec<&std::ffi::OsStr> = vec![
        "audit".as_ref(),
        "--scenario".as_ref(),
        SCENARIO.as_ref(),
        "--assignments".as_ref(),
        assignments.as_os_str(),
        "--schools-result".as_ref(),
        schools.as_os_str(),
    ];
    args.extend(extra.iter().map(std::ffi::OsStr::new));
    let (code, stdout, stderr) = run(&args);
    assert_eq!(code, 0, "{stdout}\n{stderr}");
    (stdout, stderr)
}

const FROM_CACHE: &str = "walk graph and snaps read from the distance cache, its ways not used; ";
const FROM_EXTRACT: &str = "walk graph built from the OSM extract; ";

/// Rewrites the cache file with every known way `add_m` longer (a valid file: same key, new checksum).
fn lengthen_cached_ways(file: &Path, add_m: f64) {
    let instance = load_scenario(Path::new(SCENARIO)).unwrap();
    let name = file.file_name().unwrap().to_str().unwrap();
    let hex = name.strip_prefix("ways-").unwrap().strip_suffix(".bin").unwrap();
    let key: Vec<u8> = (0..32).map(|i| u8::from_str_radix(&hex[2 * i..2 * i + 2], 16).unwrap()).collect();
    let key: [u8; 32] = key.try_into().unwrap();
    let cached = decode_cache(&std::fs::read(file).unwrap(), &key, &instance).unwrap();
    let mut columns = cached.columns();
    let mut changed = 0;
    for column in &mut columns {
        for m in column.metres.iter_mut().filter(|m| !m.is_nan()) {
            *m += add_m;
            changed += 1;
        }
    }
    assert!(changed > 2000, "{changed} ways in the cache");
    let tampered = LazyWalkingWays::with_columns(cached.walk().clone(), &instance, columns).unwrap();
    std::fs::write(file, encode_cache(&key, &tampered)).unwrap();
}

#[test]
fn the_audit_takes_the_graph_from_the_cache_and_never_a_way() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    let (code, stdout, stderr) = run(&["solve".as_ref(), SCENARIO.as_ref(), "-o".as_ref(), out.as_os_str()]);
    assert_eq!(code, 0, "{stdout}\n{stderr}");
    let file = cache_file(&out);
    let written = std::fs::read(&file).unwrap();
    let modified = std::fs::metadata(&file).unwrap().modified().unwrap();

    let (cached, _) = audit(&out, &[]);
    let (rebuilt, _) = audit(&out, &["--no-cache"]);
    assert!(cached.contains(FROM_CACHE) && cached.contains("**COMPLIANT**"), "{cached}");
    assert!(rebuilt.contains(FROM_EXTRACT), "{rebuilt}");
    assert_eq!(
        cached.replace(FROM_CACHE, FROM_EXTRACT),
        rebuilt,
        "the same report from either graph"
    );
    assert_eq!(std::fs::read(&file).unwrap(), written, "the audit never writes the cache");
    assert_eq!(std::fs::metadata(&file).unwrap().modified().unwrap(), modified);

    // Every cached way 100 m too long: the audit recomputes, the stated ways stay right.
    lengthen_cached_ways(&file, 100.0);
    let (tampered, stderr) = audit(&out, &[]);
    assert!(stderr.is_empty(), "the file is accepted: {stderr}");
    assert_eq!(tampered, cached, "no cached way enters the audit");

    // A damaged file: refused with a warning naming it, the graph built anew, the file left as it is.
    let damaged = &written[..written.len() / 2];
    std::fs::write(&file, damaged).unwrap();
    let (refused, stderr) = audit(&out, &[]);
    assert!(
        stderr.contains(&file.display().to_string())
            && stderr.contains("is not used")
            && stderr.contains("the walk graph is built from the OSM extract (the file is left as it is)"),
        "{stderr}"
    );
    assert_eq!(refused, rebuilt);
    assert_eq!(std::fs::read(&file).unwrap(), damaged);
}

#[test]
fn the_report_reads_the_cache_and_leaves_it_as_it_is() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    let (code, stdout, stderr) = run(&["solve".as_ref(), SCENARIO.as_ref(), "-o".as_ref(), out.as_os_str()]);
    assert_eq!(code, 0, "{stdout}\n{stderr}");
    let file = cache_file(&out);
    let written = std::fs::read(&file).unwrap();
    let report = || {
        let (code, stdout, stderr) = run(&["report".as_ref(), out.as_os_str()]);
        assert_eq!(code, 0, "{stdout}\n{stderr}");
        std::fs::read_to_string(out.join("report.html")).unwrap()
    };
    let with_cache = report();
    assert_eq!(std::fs::read(&file).unwrap(), written, "the report never writes the cache");
    // Without the cache (folder moved away): the graph built anew, the same report.
    let aside = dir.path().join("aside");
    std::fs::rename(out.join("catchment-cache"), &aside).unwrap();
    assert_eq!(report(), with_cache);
    assert!(!out.join("catchment-cache").exists(), "the report makes no cache");
    std::fs::rename(&aside, out.join("catchment-cache")).unwrap();
    // The report's way figures come from the cache: 100 m more a way shows.
    lengthen_cached_ways(&file, 100.0);
    assert_ne!(report(), with_cache, "the figures are the cache's ways");
}
