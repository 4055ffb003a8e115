//! Walking at the scale of a large city: the street network `generate`
//! writes for the single cities other than the bundled one (a smaller
//! `berlin`: 600 pupils, 120 schools, a grid every 100 m, about 45,000
//! nodes), with its river crossable only at bridges; and the ways on demand
//! there, where a school's search is widened step by step (the disc of a
//! search covers at most a quarter of the graph), equal to the ways of
//! whole-graph searches bit for bit.

use assert_cmd::Command;
use catchment::generate::streets::{
    CITY_BRIDGE_SPACING_M, DEFAULT_STREET_MARGIN_M, DEFAULT_STREET_SPACING_M, city_barriers, gzip, street_grid_osm,
};
use catchment::generate::{GenerateOptions, Preset};
use catchment::geometry::{LazyWalkingWays, WalkColumn, WalkGraph, walking_between, walking_table};
use catchment::input::osm::parse_osm;
use catchment::model::{Location, WayOracle};
use catchment::scenario::load_scenario;
use std::path::Path;

const PUPILS: usize = 600;
const SCHOOLS: usize = 120;
const SEED: u64 = 11;

fn options() -> GenerateOptions {
    let mut options = GenerateOptions::new(SEED);
    options.pupils = Some(PUPILS);
    options.schools = Some(SCHOOLS);
    options
}

/// Runs `catchment generate --preset PRESET ...` into `dir`; (exit code, stderr).
fn generate(preset: &str, dir: &Path, extra: &[&str]) -> (i32, String) {
    let out = Command::cargo_bin("catchment")
        .unwrap()
        .args(["generate", "--preset", preset, "--seed", &SEED.to_string(), "-o"])
        .arg(dir)
        .args(extra)
        .output()
        .unwrap();
    (out.status.code().unwrap_or(-1), String::from_utf8_lossy(&out.stderr).into_owned())
}

fn sizes() -> [&'static str; 4] {
    ["--pupils", "600", "--schools", "120"]
}

#[test]
fn single_cities_get_a_street_network_and_regions_of_towns_do_not() {
    let tmp = tempfile::tempdir().unwrap();
    let (a, b) = (tmp.path().join("a"), tmp.path().join("b"));
    assert_eq!(generate("berlin", &a, &sizes()).0, 0);
    assert_eq!(generate("berlin", &b, &sizes()).0, 0);
    let written = std::fs::read(a.join("streets.osm.gz")).unwrap();
    assert_eq!(
        written,
        std::fs::read(b.join("streets.osm.gz")).unwrap(),
        "the same seed gives the same bytes"
    );
    // The file is the grid of the library's city with its river and railway.
    let city = Preset::Berlin.generate(&options()).unwrap();
    let barriers = city_barriers(&city);
    let text = street_grid_osm(&city, &barriers, DEFAULT_STREET_SPACING_M, DEFAULT_STREET_MARGIN_M);
    assert!(written == gzip(&text), "streets.osm.gz is the city's grid");
    assert_eq!(text.matches("<tag k=\"waterway\" v=\"river\"/>").count(), 1);
    assert_eq!(text.matches("<tag k=\"railway\" v=\"rail\"/>").count(), 1);
    // Leipzig too; a region of towns far apart gets none, and refuses a spacing.
    let leipzig = tmp.path().join("leipzig");
    assert_eq!(generate("leipzig", &leipzig, &["--pupils", "300"]).0, 0);
    assert!(leipzig.join("streets.osm.gz").exists());
    let region = tmp.path().join("region");
    assert_eq!(generate("saxony-anhalt", &region, &["--pupils", "300"]).0, 0);
    assert!(!region.join("streets.osm.gz").exists());
    let refused = tmp.path().join("refused");
    let (code, stderr) = generate("saxony-anhalt", &refused, &["--street-spacing", "50"]);
    assert_eq!(code, 2, "{stderr}");
    assert!(stderr.contains("--street-spacing") && stderr.contains("single cities"), "{stderr}");
    assert!(!refused.exists(), "nothing is written");
}

/// The river's longitude at `lat` (its line is piecewise linear in latitude).
fn river_lon(line: &[(f64, f64)], lat: f64) -> f64 {
    let i = line.windows(2).position(|w| lat <= w[1].0).unwrap();
    let ((la, oa), (lb, ob)) = (line[i], line[i + 1]);
    oa + (ob - oa) * (lat - la) / (lb - la)
}

#[test]
fn the_river_is_crossed_only_at_its_bridges() {
    let city = Preset::Berlin.generate(&options()).unwrap();
    let barriers = city_barriers(&city);
    let text = street_grid_osm(&city, &barriers, DEFAULT_STREET_SPACING_M, DEFAULT_STREET_MARGIN_M);
    let graph = WalkGraph::build(&parse_osm(text.as_bytes(), Path::new("streets.osm")).unwrap());
    let river = &barriers[0];
    let metres_per_degree = catchment::model::EARTH_RADIUS_M.to_radians();
    let middle = river.crossings.len() / 2;
    let (bridge, next) = (river.crossings[middle], river.crossings[middle + 1]);
    assert!(((next - bridge) * metres_per_degree - CITY_BRIDGE_SPACING_M).abs() < 1.0);
    let across = |lat: f64| {
        let lon = river_lon(&river.line, lat);
        let dlon = 200.0 / (metres_per_degree * lat.to_radians().cos());
        let (west, east) = (Location::new(lat, lon - dlon).unwrap(), Location::new(lat, lon + dlon).unwrap());
        (west.distance_m(&east), walking_between(&graph, &west, &east).unwrap())
    };
    // Halfway between two bridges: to the nearer bridge's row (750 m, less
    // half a grid step) and back on the other bank.
    let (line, walk) = across((bridge + next) / 2.0);
    assert!((390.0..410.0).contains(&line), "{line}");
    assert!(
        walk >= 2.0 * (CITY_BRIDGE_SPACING_M / 2.0 - DEFAULT_STREET_SPACING_M / 2.0),
        "{walk}"
    );
    assert!(walk <= 3_000.0, "{walk}");
    // At a bridge: across it, at most the grid's detour.
    let (line, walk) = across(bridge);
    assert!(walk <= 1.5 * line + 2.0 * DEFAULT_STREET_SPACING_M, "{walk} for a line of {line}");
}

#[test]
fn ways_on_demand_equal_whole_graph_searches_bit_for_bit_on_a_large_city() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("city");
    assert_eq!(generate("berlin", &dir, &sizes()).0, 0);
    let scenario = dir.join("walking.toml");
    std::fs::write(
        &scenario,
        "name = \"berlin walking\"\nschools = \"schools.csv\"\npupils = \"pupils.csv\"\n[distance]\nmetric = \"walking\"\nosm = \"streets.osm.gz\"\n",
    )
    .unwrap();
    let instance = load_scenario(&scenario).unwrap();
    let walk = instance.ways.walk.clone().unwrap();
    assert!(walk.network.node_count() > 30_000, "{} nodes", walk.network.node_count());
    // Each home's three nearest schools only: the searches stay near them.
    let near = LazyWalkingWays::new(walk.clone(), &instance);
    for pupil in &instance.pupils {
        let mut by_line: Vec<&Location> = instance.schools.iter().map(|s| &s.location).collect();
        by_line.sort_by(|a, b| pupil.location.distance_m(a).total_cmp(&pupil.location.distance_m(b)));
        for school in &by_line[..3] {
            assert!(near.way_m(&pupil.location, school).is_some());
        }
    }
    let all = near.homes().len() * near.schools().len();
    assert!(near.known() < all / 4, "{} of {all} ways computed", near.known());
    // Every way, in a scrambled order: the numbers of whole-graph searches.
    let full = walking_table(&instance, &walk);
    let lazy = LazyWalkingWays::new(walk, &instance);
    let (pupils, schools) = (instance.pupils.len(), instance.schools.len());
    for k in 0..pupils * schools {
        let i = (k * 7919) % (pupils * schools);
        let (p, s) = (i / schools, i % schools);
        let want = full.get(&instance.pupils[p].id, &instance.schools[s].id).unwrap();
        let got = lazy.way_m(&instance.pupils[p].location, &instance.schools[s].location).unwrap();
        assert_eq!(got.to_bits(), want.to_bits(), "pupil {p} school {s}: {got} vs {want}");
        assert!(got + 1e-6 >= instance.straight_m(p, s), "a walk is never shorter than the line");
    }
    // Radii 2.5 km, 5 km, then the whole graph: at most three searches a school.
    assert!(lazy.searches() <= 3 * schools, "{} searches", lazy.searches());

    // Columns read from a cache file that claim a radius of 0, a negative or
    // a tiny one with no way known: widening still ends, with the same ways.
    for radius_m in [0.0, -5.0, 1e-300] {
        let homes = lazy.homes().len();
        let columns = (0..lazy.schools().len())
            .map(|_| WalkColumn {
                radius_m,
                metres: vec![f64::NAN; homes],
            })
            .collect();
        let odd = LazyWalkingWays::with_columns(lazy.walk().clone(), &instance, columns).unwrap();
        for p in (0..pupils).step_by(37) {
            for s in (0..schools).step_by(7) {
                let want = full.get(&instance.pupils[p].id, &instance.schools[s].id).unwrap();
                let got = odd.way_m(&instance.pupils[p].location, &instance.schools[s].location).unwrap();
                assert_eq!(got.to_bits(), want.to_bits(), "radius {radius_m}: pupil {p} school {s}");
            }
        }
    }
}
