//! Walking distances on hand-made OSM XML maps (`tests/fixtures/walking/`),
//! every expected number computed by hand from the maps' metres:
//!
//! - `river.osm`: bank streets at y = -50 and y = 50, the only bridge at
//!   x = 600; two points 100 m apart on opposite banks are 1,300 m apart on foot;
//! - `tags.osm`: P (0, 0) and Q (200, 0) joined by a motorway, a
//!   motorway_link, a trunk, a trunk_link, a `foot=no` footway and an
//!   `access=private` service road (none walked), a one-way track with
//!   `access=no, foot=designated` via (100, 150) (walked, both ways) and an
//!   800 m residential detour;
//! - `island.osm`: a main street and a nearer street joined to nothing.

use assert_cmd::Command;
use catchment::geometry::{WalkGraph, walking_between};
use catchment::input::osm::{is_walkable, parse_osm};
use catchment::model::{Location, Metric};
use catchment::scenario::{load_scenario, load_scenario_with_districts};
use std::path::Path;

const DIR: &str = "tests/fixtures/walking";
/// Metres per degree on the project's sphere (the maps' scale).
const M_PER_DEG: f64 = 6_371_008.8 * std::f64::consts::PI / 180.0;

fn at(x: f64, y: f64) -> Location {
    Location::new(y / M_PER_DEG, x / M_PER_DEG).unwrap()
}

fn graph(name: &str) -> WalkGraph {
    let path = Path::new(DIR).join(name);
    WalkGraph::build(&parse_osm(&std::fs::read(&path).unwrap(), &path).unwrap())
}

fn way(instance: &catchment::model::Instance, pupil: &str, school: &str) -> f64 {
    let p = instance.pupils.iter().position(|p| p.id.as_str() == pupil).unwrap();
    instance.way_m(p, instance.school_index(school).unwrap()).unwrap()
}

#[test]
fn across_the_river_the_way_goes_over_the_only_bridge() {
    let instance = load_scenario(&Path::new(DIR).join("river-walking.toml")).unwrap();
    assert_eq!(instance.ways.metric, Metric::Walking);
    // p1 (0, -50) to NORTH (0, 50): 600 east, 100 over the bridge, 600 back.
    assert!((way(&instance, "p1", "NORTH") - 1300.0).abs() < 0.01);
    assert!((instance.straight_m(0, 0) - 100.0).abs() < 0.01);
    // p1 to SOUTH (500, -50): along the bank.
    assert!((way(&instance, "p1", "SOUTH") - 500.0).abs() < 0.01);
}

#[test]
fn a_home_snaps_onto_the_middle_of_a_segment() {
    let instance = load_scenario(&Path::new(DIR).join("river-walking.toml")).unwrap();
    // p2 (300, -70): a 20 m leg to (300, -50), the middle of the segment
    // (-100, -50)-(600, -50); then 200 m to SOUTH, or 300 + 100 + 600 to NORTH.
    assert!((way(&instance, "p2", "SOUTH") - 220.0).abs() < 0.01);
    assert!((way(&instance, "p2", "NORTH") - 1020.0).abs() < 0.01);
    // p3 (100, -50) and SOUTH (500, -50) on the same segment: 400 m along
    // it, no node in between.
    assert!((way(&instance, "p3", "SOUTH") - 400.0).abs() < 0.01);
}

#[test]
fn motorways_trunks_foot_no_and_private_ways_are_not_walked() {
    let g = graph("tags.osm");
    // Kept: the track (Q, (100, 150), P) and the detour (P, (0, 300), (200, 300), Q).
    assert_eq!(g.network.node_count(), 5);
    assert_eq!(g.network.edge_target.len(), 2 * 5);
    let expected = 2.0 * (100.0f64 * 100.0 + 150.0 * 150.0).sqrt(); // 360.555 m
    let p_to_q = walking_between(&g, &at(0.0, 0.0), &at(200.0, 0.0)).unwrap();
    assert!((p_to_q - expected).abs() < 0.01, "{p_to_q}");
    // The track is one-way Q -> P: walking ignores it.
    let q_to_p = walking_between(&g, &at(200.0, 0.0), &at(0.0, 0.0)).unwrap();
    assert!((q_to_p - expected).abs() < 0.01, "{q_to_p}");
}

#[test]
fn the_walk_rules_tag_by_tag() {
    for highway in [
        "footway",
        "path",
        "pedestrian",
        "steps",
        "living_street",
        "residential",
        "service",
        "unclassified",
        "tertiary",
        "tertiary_link",
        "secondary",
        "secondary_link",
        "primary",
        "primary_link",
        "track",
        "cycleway",
        "road",
        "bridleway",
    ] {
        assert!(is_walkable(Some(highway), None, None), "{highway}");
        assert!(!is_walkable(Some(highway), Some("no"), None), "{highway} foot=no");
        assert!(!is_walkable(Some(highway), None, Some("no")), "{highway} access=no");
        assert!(!is_walkable(Some(highway), None, Some("private")), "{highway} access=private");
        for foot in ["yes", "designated", "permissive"] {
            assert!(is_walkable(Some(highway), Some(foot), Some("private")), "{highway} foot={foot}");
        }
        assert!(!is_walkable(Some(highway), Some("destination"), Some("no")));
    }
    for never in [
        "motorway",
        "motorway_link",
        "trunk",
        "trunk_link",
        "construction",
        "proposed",
        "platform",
    ] {
        assert!(!is_walkable(Some(never), Some("yes"), None), "{never}");
    }
    assert!(!is_walkable(None, Some("yes"), None));
}

#[test]
fn an_island_of_streets_is_left_out_and_a_long_leg_is_warned_about() {
    let loaded = load_scenario_with_districts(&Path::new(DIR).join("island-walking.toml")).unwrap();
    let instance = &loaded.instance;
    let walk = instance.ways.walk.as_ref().unwrap();
    assert_eq!(walk.network.node_count(), 3, "the island's 2 nodes are left out");
    // home (550, 310): 310 m to the main street (the island is 10 m away),
    // 550 m along it, 20 m to MAIN at (0, -20).
    assert!((way(instance, "home", "MAIN") - 880.0).abs() < 0.01);
    let warning = loaded.warnings.iter().map(|w| w.message.clone()).collect::<Vec<_>>().join("\n");
    assert!(warning.contains("pupil `home` 310 m"), "{warning}");
    assert!(!warning.contains("MAIN"), "the school's 20 m leg is below max_snap_m: {warning}");
}

fn solve(scenario: &str, out: &Path) -> (String, String) {
    let run = Command::cargo_bin("catchment")
        .unwrap()
        .args(["solve", &format!("{DIR}/{scenario}"), "-o"])
        .arg(out)
        .output()
        .unwrap();
    assert_eq!(run.status.code(), Some(0), "{}", String::from_utf8_lossy(&run.stderr));
    (
        std::fs::read_to_string(out.join("assignments.csv")).unwrap(),
        String::from_utf8(run.stdout).unwrap(),
    )
}

#[test]
fn the_walking_optimum_keeps_pupils_on_their_bank() {
    let dir = tempfile::tempdir().unwrap();
    let (straight, _) = solve("river-haversine.toml", &dir.path().join("straight"));
    let (walking, stdout) = solve("river-walking.toml", &dir.path().join("walking"));
    // In straight lines p1 and p3 cross the river to NORTH (100 m, 141 m) ...
    assert_eq!(
        straight,
        "pupil_id,school_id,distance_m,straight_m\np1,NORTH,100.000,100.000\np2,SOUTH,200.998,200.998\np3,NORTH,141.421,141.421\n"
    );
    // ... on foot everyone stays south: 500 + 220 + 400 = 1,120 m instead of 1,300 + 1,020 + 1,200.
    assert_eq!(
        walking,
        "pupil_id,school_id,distance_m,straight_m\np1,SOUTH,500.000,500.000\np2,SOUTH,220.000,200.998\np3,SOUTH,400.000,400.000\n"
    );
    assert!(stdout.contains("metric     walking"), "{stdout}");
    let summary: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.path().join("walking/summary.json")).unwrap()).unwrap();
    assert_eq!(summary["metric"], "walking");
    assert!((summary["objective_m"].as_f64().unwrap() - 1120.0).abs() < 0.01);
    let inputs = summary["provenance"]["inputs"].as_array().unwrap();
    assert!(inputs.iter().any(|i| i["path"].as_str().unwrap().ends_with("river.osm")));
}

#[test]
fn the_audit_recomputes_walking_ways_and_flags_a_straight_line_stated_as_the_way() {
    let dir = tempfile::tempdir().unwrap();
    let good = dir.path().join("good.csv");
    std::fs::write(
        &good,
        "pupil_id,school_id,distance_m\np1,SOUTH,500.0\np2,SOUTH,220.0\np3,SOUTH,400.0\n",
    )
    .unwrap();
    let bad = dir.path().join("bad.csv");
    std::fs::write(
        &bad,
        "pupil_id,school_id,distance_m\np1,NORTH,100.0\np2,SOUTH,220.0\np3,SOUTH,400.0\n",
    )
    .unwrap();
    let audit = |file: &Path| {
        Command::cargo_bin("catchment")
            .unwrap()
            .args(["audit", "--scenario", &format!("{DIR}/river-walking.toml"), "--assignments"])
            .arg(file)
            .output()
            .unwrap()
    };
    assert_eq!(audit(&good).status.code(), Some(0));
    let out = audit(&bad);
    assert_eq!(out.status.code(), Some(1));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("stated distance 100.0 m, recomputed 1300.0 m"), "{text}");
}

fn solve_error(scenario_text: &str, extra: &[(&str, &[u8])]) -> String {
    let dir = tempfile::tempdir().unwrap();
    for name in ["river-schools.csv", "river-pupils.csv", "river.osm"] {
        std::fs::copy(Path::new(DIR).join(name), dir.path().join(name)).unwrap();
    }
    for (name, bytes) in extra {
        std::fs::write(dir.path().join(name), bytes).unwrap();
    }
    let scenario = dir.path().join("s.toml");
    std::fs::write(&scenario, scenario_text).unwrap();
    let out = Command::cargo_bin("catchment")
        .unwrap()
        .args(["solve"])
        .arg(&scenario)
        .arg("-o")
        .arg(dir.path().join("out"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2), "{}", String::from_utf8_lossy(&out.stdout));
    assert!(!dir.path().join("out").exists(), "nothing is written");
    String::from_utf8(out.stderr).unwrap()
}

const HEAD: &str = "schools = \"river-schools.csv\"\npupils = \"river-pupils.csv\"\n[distance]\n";

#[test]
fn walking_without_an_extract_is_an_input_error() {
    let err = solve_error(&format!("{HEAD}metric = \"walking\"\n"), &[]);
    assert!(
        err.contains("s.toml, line 4: [distance] metric = \"walking\" needs an OpenStreetMap extract"),
        "{err}"
    );
}

#[test]
fn a_broken_extract_names_its_line() {
    let broken = b"<?xml version=\"1.0\"?>\n<osm>\n  <node id=\"1\" lat=\"95.0\" lon=\"11.6\"/>\n</osm>\n";
    let err = solve_error(&format!("{HEAD}metric = \"walking\"\nosm = \"bad.osm\"\n"), &[("bad.osm", broken)]);
    assert!(
        err.contains("bad.osm, line 3: node 1: lat 95, lon 11.6 is not a WGS84 position"),
        "{err}"
    );
    let unknown_key = solve_error(&format!("{HEAD}metric = \"walking\"\nosm_file = \"river.osm\"\n"), &[]);
    assert!(unknown_key.contains("osm_file"), "{unknown_key}");
}

#[test]
fn an_extract_without_walkable_ways_is_an_input_error() {
    let empty = b"<osm>\n  <node id=\"1\" lat=\"0\" lon=\"0\"/>\n  <node id=\"2\" lat=\"0\" lon=\"0.001\"/>\n  <way id=\"3\"><nd ref=\"1\"/><nd ref=\"2\"/><tag k=\"highway\" v=\"motorway\"/></way>\n</osm>\n";
    let err = solve_error(&format!("{HEAD}metric = \"walking\"\nosm = \"none.osm\"\n"), &[("none.osm", empty)]);
    assert!(err.contains("none.osm: the extract holds no walkable way"), "{err}");
}

#[test]
fn a_table_beyond_one_hundred_million_ways_is_refused_before_it_is_built() {
    let dir = tempfile::tempdir().unwrap();
    let mut schools = String::from("school_id,name,lat,lon,classes,prev_migration_share\n");
    for s in 0..10_000 {
        schools += &format!("S{s},S,52.{s:04},11.5,1,0.1\n");
    }
    let mut pupils = String::from("pupil_id,lat,lon,migration_background\n");
    for p in 0..10_001 {
        pupils += &format!("p{p},52.{p:05},11.6,0\n");
    }
    std::fs::write(dir.path().join("schools.csv"), schools).unwrap();
    std::fs::write(dir.path().join("pupils.csv"), pupils).unwrap();
    std::fs::write(dir.path().join("ways.csv"), "pupil_id,school_id,distance_m\np0,S0,1\n").unwrap();
    let scenario = dir.path().join("s.toml");
    std::fs::write(
        &scenario,
        "schools = \"schools.csv\"\npupils = \"pupils.csv\"\n[distance]\nmetric = \"matrix\"\nmatrix = \"ways.csv\"\n",
    )
    .unwrap();
    let out = Command::cargo_bin("catchment")
        .unwrap()
        .arg("solve")
        .arg(&scenario)
        .arg("-o")
        .arg(dir.path().join("out"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("ways.csv: 10001 pupils x 10000 schools = 100010000 ways is more than the 100000000"),
        "{err}"
    );
}
