//! The report's map draws the streets and the water of the scenario's
//! OpenStreetMap extract (read by the same OSM reader as the walk graph,
//! water by `waterway` river, canal, stream, riverbank, ditch, drain or
//! `natural=water`), with the attribution; a scenario without an extract
//! draws none.

mod common;

use catchment::input::osm::{parse_osm, parse_osm_map};
use std::path::Path;

fn read_map(path: &str) -> catchment::input::osm::OsmMapLines {
    let path = Path::new(path);
    parse_osm_map(&std::fs::read(path).unwrap(), path).unwrap()
}

#[test]
fn the_hand_made_river_map_has_three_streets_and_one_river() {
    let map = read_map("tests/fixtures/walking/river.osm");
    assert_eq!(map.streets.len(), 3, "two bank streets and the bridge");
    assert_eq!(map.streets.iter().map(Vec::len).collect::<Vec<_>>(), [3, 3, 2]);
    assert_eq!(map.water.len(), 1);
    assert_eq!(map.water[0].len(), 2);
    assert!(map.water[0].iter().all(|p| p.lat() == 0.0), "the river runs along the equator");
}

#[test]
fn real_extracts_have_their_rivers_and_a_street_line_for_every_whole_walkable_way() {
    for (path, what) in [
        ("tests/fixtures/osm/north-bayreuth.osm.gz", "the Roter Main (XML)"),
        ("tests/fixtures/osm/Hoyerswerda.osm.pbf", "the Schwarze Elster (PBF)"),
    ] {
        let map = read_map(path);
        let walk = parse_osm(&std::fs::read(path).unwrap(), Path::new(path)).unwrap();
        assert!(!map.water.is_empty(), "{path}: no water line, expected {what}");
        // Every walkable way the extract holds whole is one street line (a
        // way cut by the extract's edge gives one line per piece it holds).
        let whole = walk
            .ways
            .iter()
            .filter(|w| w.len() >= 2 && w.iter().all(|id| walk.nodes.contains_key(id)))
            .count();
        assert!(whole > 100, "{path}: {whole}");
        assert!(
            map.streets.len() >= whole,
            "{path}: {} lines, {whole} whole ways",
            map.streets.len()
        );
        assert!(map.streets.iter().all(|line| line.len() >= 2));
    }
}

#[test]
fn the_report_of_a_walking_scenario_draws_its_streets_and_river() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    let (code, stdout, stderr) = common::solve_into(Path::new("tests/fixtures/walking/river-walking.toml"), &out, &["--report"]);
    assert_eq!(code, 0, "{stdout}{stderr}");
    let html = std::fs::read_to_string(out.join("report.html")).unwrap();
    let group = |class: &str| -> usize {
        let start = html
            .find(&format!("<g class=\"{class}\""))
            .unwrap_or_else(|| panic!("no {class} in the map"));
        let end = start + html[start..].find("</g>").unwrap();
        html[start..end].matches("<path d=").count()
    };
    assert_eq!(group("osm-water"), 1);
    assert_eq!(group("osm-streets"), 3);
    assert!(html.contains("© OpenStreetMap contributors, ODbL 1.0"));
    // `catchment report OUTDIR` reads the extract again and draws the same lines.
    let (code, stdout, stderr) = common::run_catchment(["report".as_ref(), out.as_os_str()]);
    assert_eq!(code, 0, "{stdout}{stderr}");
    let again = std::fs::read_to_string(out.join("report.html")).unwrap();
    assert_eq!(again.matches("<g class=\"osm-").count(), 2);
    assert_eq!(html, again, "the same report from the written result");

    let plain = dir.path().join("plain");
    let (code, ..) = common::solve_into(Path::new("tests/fixtures/walking/river-haversine.toml"), &plain, &["--report"]);
    assert_eq!(code, 0);
    let html = std::fs::read_to_string(plain.join("report.html")).unwrap();
    assert!(!html.contains("osm-streets") && !html.contains("OpenStreetMap"));
}
