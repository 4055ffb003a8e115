//! An OpenStreetMap extract (XML, gzip or PBF) from arbitrary bytes, then
//! its walk graph built and a point snapped onto it.
#![no_main]

use catchment::geometry::WalkGraph;
use catchment::input::osm::parse_osm;
use catchment::model::Location;
use libfuzzer_sys::fuzz_target;
use std::path::Path;

fuzz_target!(|data: &[u8]| {
    if let Ok(osm) = parse_osm(data, Path::new("city.osm")) {
        let graph = WalkGraph::build(&osm);
        let nodes = graph.network.node_count();
        assert!(graph.network.edge_target.iter().all(|&t| (t as usize) < nodes));
        let home = Location::new(52.0, 11.6).expect("a valid position");
        if let Some(snap) = graph.snap(&home) {
            assert!(snap.leg_m.is_finite() && snap.leg_m >= 0.0);
        }
    }
});
