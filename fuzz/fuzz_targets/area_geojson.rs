//! A lock area (GeoJSON) from arbitrary bytes; every corner of an area that
//! reads is looked up in it, indexed and plain, with the same answer.
#![no_main]

use catchment::geometry::IndexedPolygon;
use catchment::input::parse_area;
use geo::CoordinatePosition;
use geo::coordinate_position::CoordPos;
use libfuzzer_sys::fuzz_target;
use std::path::Path;

fuzz_target!(|data: &[u8]| {
    let Ok(polygons) = parse_area(data, Path::new("area.geojson")) else {
        return;
    };
    for polygon in &polygons {
        let index = IndexedPolygon::new(polygon);
        for c in polygon.exterior().coords().chain(polygon.interiors().iter().flat_map(|r| r.coords())).take(1_000) {
            assert_eq!(index.position(*c), CoordPos::OnBoundary);
            assert_eq!(polygon.coordinate_position(c), CoordPos::OnBoundary);
        }
    }
});
