//! Walking ways on demand and the walking-distance cache, on the bundled
//! city's street grid (`scenarios/magdeburg-walking.toml`, about 21,000 nodes).
//!
//! - Ways computed on demand (one bounded search per school, widened when
//!   needed) equal, bit for bit, the ways of one search per school over the
//!   whole graph, whatever order they are asked in; asking only for the
//!   nearest school of every home computes fewer than all.
//! - The optimum with ways on demand equals the optimum with a matrix that
//!   holds every way of the whole-graph searches.
//! - The cache: a first run computes (`miss`) and writes
//!   `OUT/catchment-cache/ways-<key>.bin` (owner-only), a second reads it
//!   (`hit`), `--no-cache` neither reads nor writes (`off`); the results are
//!   byte-identical in all three. A damaged or truncated file is refused
//!   with a warning naming it, the ways computed anew and the file rewritten.
//!   Other inputs (a home moved) are another key. `compare` computes the
//!   ways of scenarios sharing extract, homes and schools once.

use assert_cmd::Command;
use catchment::geometry::{LazyWalkingWays, cache_key, decode_cache, encode_cache, walking_table};
use catchment::model::{Instance, WayOracle};
use catchment::scenario::load_scenario;
use std::path::{Path, PathBuf};

const SCENARIO: &str = "scenarios/magdeburg-walking.toml";

fn instance() -> Instance {
    load_scenario(Path::new(SCENARIO)).expect("the bundled walking scenario loads")
}

/// A fresh on-demand set of ways on the instance's graph and snaps.
fn fresh(instance: &Instance) -> LazyWalkingWays {
    LazyWalkingWays::new(instance.ways.walk.clone().expect("walking has its graph"), instance)
}

#[test]
fn ways_on_demand_equal_whole_graph_searches_bit_for_bit_in_any_order() {
    let instance = instance();
    let walk = instance.ways.walk.clone().unwrap();
    let full = walking_table(&instance, &walk);
    let (pupils, schools) = (instance.pupils.len(), instance.schools.len());
    assert!(pupils > 2000 && schools > 30);
    // A fixed scrambled order: pupil-major, school-major, and strided.
    let lazy = fresh(&instance);
    let mut asked = 0usize;
    for k in 0..pupils * schools {
        let i = (k * 7919) % (pupils * schools);
        let (p, s) = (i / schools, i % schools);
        let want = full.get(&instance.pupils[p].id, &instance.schools[s].id).unwrap();
        let got = lazy.way_m(&instance.pupils[p].location, &instance.schools[s].location).unwrap();
        assert_eq!(got.to_bits(), want.to_bits(), "pupil {p} school {s}: {got} vs {want}");
        assert!(got + 1e-6 >= instance.straight_m(p, s), "a walk is never shorter than the line");
        asked += 1;
    }
    assert_eq!(asked, pupils * schools);
    // Each school: one bounded search and at most one over the whole graph.
    assert!(lazy.searches() <= 2 * schools, "{} searches", lazy.searches());
}

#[test]
fn asking_for_the_nearest_school_only_computes_fewer_than_all_ways() {
    let instance = instance();
    let lazy = fresh(&instance);
    for pupil in &instance.pupils {
        let nearest = instance
            .schools
            .iter()
            .min_by(|a, b| {
                pupil
                    .location
                    .distance_m(&a.location)
                    .total_cmp(&pupil.location.distance_m(&b.location))
            })
            .unwrap();
        assert!(lazy.way_m(&pupil.location, &nearest.location).is_some());
    }
    let all = lazy.homes().len() * lazy.schools().len();
    assert!(lazy.known() < all / 2, "{} of {all} ways computed", lazy.known());
    assert!(lazy.searches() <= 2 * instance.schools.len());
}

/// Runs `catchment ARGS`; returns (exit code, stdout, stderr).
fn run(args: &[&std::ffi::OsStr]) -> (i32, String, String) {
    let out = Command::cargo_bin("catchment").unwrap().args(args).output().unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn solve(scenario: &Path, out: &Path, extra: &[&str]) -> (String, String) {
    let mut args = vec!["solve".as_ref(), scenario.as_os_str(), "-o".as_ref(), out.as_os_str()];
    args.extend(extra.iter().map(std::ffi::OsStr::new));
    let (code, stdout, stderr) = run(&args);
    assert_eq!(code, 0, "{stdout}\n{stderr}");
    (stdout, stderr)
}

fn summary(out: &Path) -> serde_json::Value {
    serde_json::from_slice(&std::fs::read(out.join("summary.json")).unwrap()).unwrap()
}

/// `summary.json` without what may differ between equal results: times and the cache status.
fn summary_without_times(out: &Path) -> serde_json::Value {
    let mut s = summary(out);
    let map = s.as_object_mut().unwrap();
    for key in ["solve_seconds", "timing", "distance_cache"] {
        map.remove(key);
    }
    s
}

fn cache_files(out: &Path) -> Vec<PathBuf> {
    match std::fs::read_dir(out.join("catchment-cache")) {
        Ok(entries) => {
            let mut files: Vec<PathBuf> = entries.map(|e| e.unwrap().path()).collect();
            files.sort();
            files
        }
        Err(_) => Vec::new(),
    }
}

fn same_results(a: &Path, b: &Path) {
    for file in ["assignments.csv", "schools.csv"] {
        assert_eq!(std::fs::read(a.join(file)).unwrap(), std::fs::read(b.join(file)).unwrap(), "{file}");
    }
    assert_eq!(summary_without_times(a), summary_without_times(b));
}

#[test]
fn the_cache_is_written_then_read_and_the_results_are_byte_identical() {
    let dir = tempfile::tempdir().unwrap();
    let (cached, uncached) = (dir.path().join("cached"), dir.path().join("uncached"));
    let scenario = Path::new(SCENARIO);
    let (first, _) = solve(scenario, &cached, &[]);
    assert!(first.contains("distance cache miss"), "{first}");
    assert_eq!(summary(&cached)["distance_cache"], "miss");
    let files = cache_files(&cached);
    assert_eq!(files.len(), 1, "{files:?}");
    let name = files[0].file_name().unwrap().to_string_lossy().into_owned();
    assert!(
        name.starts_with("ways-") && name.ends_with(".bin") && name.len() == 5 + 64 + 4,
        "{name}"
    );
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        assert_eq!(std::fs::metadata(&files[0]).unwrap().permissions().mode() & 0o777, 0o600);
        assert_eq!(
            std::fs::metadata(cached.join("catchment-cache")).unwrap().permissions().mode() & 0o777,
            0o700
        );
    }
    let first_copy = dir.path().join("first");
    std::fs::create_dir(&first_copy).unwrap();
    for file in ["assignments.csv", "schools.csv", "summary.json"] {
        std::fs::copy(cached.join(file), first_copy.join(file)).unwrap();
    }
    let written = std::fs::read(&files[0]).unwrap();

    let (second, _) = solve(scenario, &cached, &[]);
    assert!(second.contains("distance cache hit"), "{second}");
    assert_eq!(summary(&cached)["distance_cache"], "hit");
    same_results(&first_copy, &cached);
    assert_eq!(
        std::fs::read(&files[0]).unwrap(),
        written,
        "a hit that computed nothing new leaves the file as it is"
    );

    let (off, _) = solve(scenario, &uncached, &["--no-cache"]);
    assert!(off.contains("distance cache off"), "{off}");
    assert_eq!(summary(&uncached)["distance_cache"], "off");
    assert!(!uncached.join("catchment-cache").exists(), "--no-cache writes no cache");
    same_results(&first_copy, &uncached);
}

#[test]
fn a_damaged_or_truncated_cache_file_is_refused_with_a_warning_and_rewritten() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    let scenario = Path::new(SCENARIO);
    solve(scenario, &out, &[]);
    let reference = dir.path().join("reference");
    std::fs::create_dir(&reference).unwrap();
    for file in ["assignments.csv", "schools.csv", "summary.json"] {
        std::fs::copy(out.join(file), reference.join(file)).unwrap();
    }
    let file = cache_files(&out).remove(0);
    let good = std::fs::read(&file).unwrap();
    let mut flipped = good.clone();
    let middle = flipped.len() / 2;
    flipped[middle] ^= 0x01;
    let damaged: [(&str, Vec<u8>); 4] = [
        ("one bit flipped", flipped),
        ("truncated", good[..good.len() - 1000].to_vec()),
        ("empty", Vec::new()),
        (
            "another file's bytes",
            b"not a cache at all, just some text of sufficient length ....".to_vec(),
        ),
    ];
    for (what, bytes) in damaged {
        std::fs::write(&file, &bytes).unwrap();
        let (stdout, stderr) = solve(scenario, &out, &[]);
        assert!(stdout.contains("distance cache miss"), "{what}: {stdout}");
        assert!(
            stderr.contains("warning:") && stderr.contains(&*file.to_string_lossy()),
            "{what}: {stderr}"
        );
        assert!(stderr.contains("not used"), "{what}: {stderr}");
        same_results(&reference, &out);
        let rewritten = std::fs::read(&file).unwrap();
        let instance = instance();
        let key: [u8; 32] = hex_key(&file);
        assert!(
            decode_cache(&rewritten, &key, &instance).is_ok(),
            "{what}: the file is written anew"
        );
    }
    let (stdout, stderr) = solve(scenario, &out, &[]);
    assert!(stdout.contains("distance cache hit"), "{stdout}");
    assert!(!stderr.contains("warning"), "{stderr}");
}

/// The key of a cache file, from its name.
fn hex_key(file: &Path) -> [u8; 32] {
    let name = file.file_stem().unwrap().to_string_lossy();
    let hex = name.strip_prefix("ways-").unwrap();
    let mut key = [0u8; 32];
    for (i, byte) in key.iter_mut().enumerate() {
        *byte = u8::from_str_radix(&hex[2 * i..2 * i + 2], 16).unwrap();
    }
    key
}

#[test]
fn decoding_refuses_every_truncation_and_a_wrong_key_and_reads_back_what_was_written() {
    let instance = instance();
    let lazy = fresh(&instance);
    // Some ways known: the first pupil to every school.
    for school in &instance.schools {
        lazy.way_m(&instance.pupils[0].location, &school.location).unwrap();
    }
    let key = cache_key("0123", 500.0, &instance);
    let bytes = encode_cache(&key, &lazy);
    let back = decode_cache(&bytes, &key, &instance).expect("reads back");
    // Bit for bit (NaN marks a way not computed yet, and NaN != NaN).
    let bits = |w: &LazyWalkingWays| -> Vec<Vec<u64>> {
        w.columns()
            .iter()
            .map(|c| {
                std::iter::once(c.radius_m.to_bits())
                    .chain(c.metres.iter().map(|m| m.to_bits()))
                    .collect()
            })
            .collect()
    };
    assert_eq!(bits(&back), bits(&lazy));
    assert!(lazy.known() > 0 && lazy.known() < lazy.homes().len() * lazy.schools().len());
    assert_eq!(back.walk().network, lazy.walk().network);
    assert_eq!(back.walk().snaps, lazy.walk().snaps);
    assert_eq!(back.searches(), 0);
    for school in &instance.schools {
        let want = lazy.way_m(&instance.pupils[0].location, &school.location).unwrap();
        assert_eq!(
            back.way_m(&instance.pupils[0].location, &school.location).unwrap().to_bits(),
            want.to_bits()
        );
    }
    assert_eq!(back.searches(), 0, "known ways are not computed again");
    for cut in (0..bytes.len()).step_by(bytes.len() / 97).chain([bytes.len() - 1]) {
        assert!(decode_cache(&bytes[..cut], &key, &instance).is_err(), "cut at {cut}");
    }
    let other = cache_key("0124", 500.0, &instance);
    assert_ne!(other, key, "another extract is another key");
    assert_ne!(cache_key("0123", 400.0, &instance), key, "another max_snap_m is another key");
    let err = decode_cache(&bytes, &other, &instance).err().unwrap();
    assert!(err.contains("key"), "{err}");
    let mut moved = instance.clone();
    let p = &mut moved.pupils[5];
    p.location = catchment::model::Location::new(p.location.lat() + 0.001, p.location.lon()).unwrap();
    assert_ne!(cache_key("0123", 500.0, &moved), key, "a home moved is another key");
}

#[test]
fn a_moved_home_is_a_miss_and_compare_computes_shared_ways_once() {
    let dir = tempfile::tempdir().unwrap();
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let data = root.join("data/magdeburg");
    // Two scenarios on the same extract, homes and schools (rules differ), one with a home moved.
    let write = |name: &str, pupils: &str, extra: &str| {
        let path = dir.path().join(name);
        std::fs::write(
            &path,
            format!(
                "name = \"{name}\"\nschools = \"{}\"\npupils = \"{pupils}\"\n{extra}[distance]\nmetric = \"walking\"\nosm = \"{}\"\n",
                data.join("schools.csv").display(),
                data.join("streets.osm.gz").display()
            ),
        )
        .unwrap();
        path
    };
    let pupils = data.join("pupils.csv").display().to_string();
    let a = write("a.toml", &pupils, "");
    let b = write("b.toml", &pupils, "[rules]\nclass_size = 24\n");
    let text = std::fs::read_to_string(&pupils).unwrap();
    let mut lines: Vec<String> = text.lines().map(String::from).collect();
    lines[1] = moved_home(&lines[0], &lines[1]);
    let moved_csv = dir.path().join("moved.csv");
    std::fs::write(&moved_csv, lines.join("\n") + "\n").unwrap();
    let c = write("c.toml", &moved_csv.display().to_string(), "");

    let out = dir.path().join("out");
    let args: Vec<&std::ffi::OsStr> = vec![
        "compare".as_ref(),
        a.as_os_str(),
        b.as_os_str(),
        c.as_os_str(),
        "-o".as_ref(),
        out.as_os_str(),
    ];
    let (code, stdout, stderr) = run(&args);
    assert_eq!(code, 0, "{stdout}\n{stderr}");
    assert_eq!(summary(&out.join("a"))["distance_cache"], "miss");
    assert_eq!(summary(&out.join("b"))["distance_cache"], "hit", "b shares a's ways");
    assert_eq!(summary(&out.join("c"))["distance_cache"], "miss", "a home moved: another key");
    assert_eq!(cache_files(&out).len(), 2);
    // b alone, solved without any cache, is the same result.
    let alone = dir.path().join("b-alone");
    solve(&b, &alone, &["--no-cache"]);
    same_results(&out.join("b"), &alone);
    // Compared again: every scenario reads its ways from the cache.
    let (code, stdout, stderr) = run(&args);
    assert_eq!(code, 0, "{stdout}\n{stderr}");
    for label in ["a", "b", "c"] {
        assert_eq!(summary(&out.join(label))["distance_cache"], "hit", "{label}");
    }
}

/// The pupils.csv line `line` with its home moved by about 50 m north.
fn moved_home(header: &str, line: &str) -> String {
    let lat = header.split(',').position(|c| c.trim() == "lat").expect("a lat column");
    let mut cells: Vec<String> = line.split(',').map(String::from).collect();
    let value: f64 = cells[lat].parse().unwrap();
    cells[lat] = format!("{:.6}", value + 0.00045);
    cells.join(",")
}

#[test]
fn the_optimum_with_ways_on_demand_equals_the_optimum_over_a_full_matrix() {
    let instance = instance();
    let full = walking_table(&instance, instance.ways.walk.as_ref().unwrap());
    let dir = tempfile::tempdir().unwrap();
    // Every way of the whole-graph searches, written to full precision.
    let mut matrix = String::from("pupil_id,school_id,distance_m\n");
    for pupil in &instance.pupils {
        for school in &instance.schools {
            matrix += &format!("{},{},{}\n", pupil.id, school.id, full.get(&pupil.id, &school.id).unwrap());
        }
    }
    std::fs::write(dir.path().join("ways.csv"), matrix).unwrap();
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let scenario = dir.path().join("matrix.toml");
    std::fs::write(
        &scenario,
        format!(
            "base = \"{}\"\n[distance]\nmetric = \"matrix\"\nmatrix = \"ways.csv\"\n",
            root.join("scenarios/magdeburg.toml").display()
        ),
    )
    .unwrap();
    let (with_matrix, on_demand) = (dir.path().join("matrix"), dir.path().join("walking"));
    solve(&scenario, &with_matrix, &[]);
    solve(Path::new(SCENARIO), &on_demand, &["--no-cache"]);
    let (a, b) = (summary(&with_matrix), summary(&on_demand));
    assert_eq!(a["status"], "optimal");
    assert_eq!(a["objective_m"], b["objective_m"], "the same optimum");
    assert_eq!(a["distances"], b["distances"]);
    let column = |out: &Path, i: usize| -> Vec<String> {
        let text = std::fs::read_to_string(out.join("assignments.csv")).unwrap();
        text.lines().map(|l| l.split(',').take(i).collect::<Vec<_>>().join(",")).collect()
    };
    assert_eq!(column(&with_matrix, 3), column(&on_demand, 3), "the same schools and ways");
}

#[test]
fn a_published_compare_writes_no_cache_file() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    let scenario = Path::new(SCENARIO);
    let args: Vec<&std::ffi::OsStr> = vec![
        "compare".as_ref(),
        scenario.as_os_str(),
        "--publish".as_ref(),
        "-o".as_ref(),
        out.as_os_str(),
    ];
    let (code, stdout, stderr) = run(&args);
    assert_eq!(code, 0, "{stdout}\n{stderr}");
    assert!(out.join("compare.csv").exists());
    assert!(!out.join("catchment-cache").exists(), "no homes' ways in a folder for publication");
    // Not published: the cache is written.
    let (code, stdout, stderr) = run(&["compare".as_ref(), scenario.as_os_str(), "-o".as_ref(), out.as_os_str()]);
    assert_eq!(code, 0, "{stdout}\n{stderr}");
    assert_eq!(cache_files(&out).len(), 1);
}

#[test]
fn the_audit_names_the_metric_in_markdown_and_json() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    solve(Path::new(SCENARIO), &out, &["--no-cache"]);
    let assignments = out.join("assignments.csv");
    let audit = |format: &str| {
        let args: Vec<&std::ffi::OsStr> = vec![
            "audit".as_ref(),
            "--scenario".as_ref(),
            SCENARIO.as_ref(),
            "--assignments".as_ref(),
            assignments.as_os_str(),
            "--format".as_ref(),
            format.as_ref(),
        ];
        let (code, stdout, stderr) = run(&args);
        assert_eq!(code, 0, "{stdout}\n{stderr}");
        stdout
    };
    let markdown = audit("md");
    assert!(
        markdown.contains("distance: walking ways along the street network, recomputed by the checker's own shortest paths;"),
        "{markdown}"
    );
    let json: serde_json::Value = serde_json::from_str(&audit("json")).unwrap();
    assert_eq!(json["metric"], "walking");
    assert_eq!(json["compliant"], true);
}
