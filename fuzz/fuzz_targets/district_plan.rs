//! A district plan (GeoJSON) from arbitrary bytes; a plan that reads is
//! looked up for the fixture's pupils, and the indexed lookup must agree
//! with geo's plain one.
#![no_main]

mod common;

use catchment::geometry::{IndexedPolygon, locate_pupils};
use catchment::input::parse_district_plan;
use geo::{Coord, CoordinatePosition};
use libfuzzer_sys::fuzz_target;
use std::path::Path;
use std::sync::OnceLock;

static INSTANCE: OnceLock<catchment::model::Instance> = OnceLock::new();

fuzz_target!(|data: &[u8]| {
    let instance = INSTANCE.get_or_init(common::instance);
    let Ok(plan) = parse_district_plan(data, Path::new("plan.geojson"), &instance.schools) else {
        return;
    };
    let lookup = locate_pupils(instance, &plan);
    assert_eq!(lookup.school_of.len(), instance.pupils.len());
    for polygon in &plan.polygons {
        let index = IndexedPolygon::new(&polygon.polygon);
        for p in &instance.pupils {
            let c = Coord {
                x: p.location.lon(),
                y: p.location.lat(),
            };
            assert_eq!(index.position(c), polygon.polygon.coordinate_position(&c));
        }
    }
});
