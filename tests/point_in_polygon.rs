//! The edge-indexed point in polygon (`IndexedPolygon`) and the
//! near-linear validity check (`polygon_problem`) against geo's plain
//! algorithms, on random polygons and points (fixed seeds), and a district
//! of 100,000 vertices read and looked up end to end (it took minutes
//! before: geo's validity check compares every edge with every other).

mod common;

use catchment::geometry::{IndexedPolygon, locate_pupils, polygon_problem};
use catchment::input::{InputDialect, parse_district_plan, parse_pupils, parse_schools};
use catchment::model::{Instance, Rules, SolverSettings};
use geo::coordinate_position::CoordPos;
use geo::{Coord, CoordinatePosition, LineString, Polygon, Validation};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use std::path::Path;

/// A star-shaped ring around (cx, cy): `n` corners at sorted random angles,
/// radii in [r/2, r]; snapped to `grid` (0 = no snapping: then it is simple).
fn star(rng: &mut ChaCha8Rng, n: usize, (cx, cy): (f64, f64), r: f64, grid: f64) -> LineString<f64> {
    let mut angles: Vec<f64> = (0..n).map(|_| rng.random_range(0.0..std::f64::consts::TAU)).collect();
    angles.sort_by(f64::total_cmp);
    let snap = |v: f64| if grid > 0.0 { (v / grid).round() * grid } else { v };
    let mut coords: Vec<Coord<f64>> = angles
        .iter()
        .map(|a| {
            let radius = rng.random_range(r / 2.0..=r);
            Coord {
                x: snap(cx + radius * a.cos()),
                y: snap(cy + radius * a.sin()),
            }
        })
        .collect();
    coords.push(coords[0]);
    LineString::new(coords)
}

/// Points to probe: random ones in the box, every corner, every edge's
/// midpoint, and points level with corners (the ray passes a vertex).
fn probes(rng: &mut ChaCha8Rng, polygon: &Polygon<f64>, random: usize, grid: f64) -> Vec<Coord<f64>> {
    let rings: Vec<&LineString<f64>> = std::iter::once(polygon.exterior()).chain(polygon.interiors()).collect();
    let corners: Vec<Coord<f64>> = rings.iter().flat_map(|r| r.0.iter().copied()).collect();
    let (min_x, max_x) = corners.iter().fold((f64::MAX, f64::MIN), |(a, b), c| (a.min(c.x), b.max(c.x)));
    let (min_y, max_y) = corners.iter().fold((f64::MAX, f64::MIN), |(a, b), c| (a.min(c.y), b.max(c.y)));
    let snap = |v: f64| if grid > 0.0 { (v / grid).round() * grid } else { v };
    let mut points: Vec<Coord<f64>> = (0..random)
        .map(|_| Coord {
            x: snap(rng.random_range(min_x - 1.0..max_x + 1.0)),
            y: snap(rng.random_range(min_y - 1.0..max_y + 1.0)),
        })
        .collect();
    points.extend(corners.iter().copied());
    for ring in &rings {
        points.extend(ring.lines().map(|l| Coord {
            x: (l.start.x + l.end.x) / 2.0,
            y: (l.start.y + l.end.y) / 2.0,
        }));
    }
    points.extend(corners.iter().map(|c| Coord {
        x: snap(rng.random_range(min_x - 1.0..max_x + 1.0)),
        y: c.y,
    }));
    points
}

#[track_caller]
fn same_as_geo(polygon: &Polygon<f64>, points: &[Coord<f64>]) -> [usize; 3] {
    let index = IndexedPolygon::new(polygon);
    let mut seen = [0; 3];
    for &c in points {
        let expected = polygon.coordinate_position(&c);
        assert_eq!(index.position(c), expected, "at ({}, {}) in {polygon:?}", c.x, c.y);
        seen[expected as usize] += 1;
    }
    seen
}

#[test]
fn indexed_lookup_agrees_with_geo_on_random_polygons_and_points() {
    let mut rng = ChaCha8Rng::seed_from_u64(2026);
    let mut seen = [0usize; 3];
    for case in 0..400 {
        // Half the cases on a coarse grid: horizontal edges, collinear
        // corners, points exactly on edges and level with vertices.
        let grid = if case % 2 == 0 { 0.0 } else { 1.0 };
        let n = rng.random_range(3..40);
        let exterior = star(&mut rng, n, (0.0, 0.0), 20.0, grid);
        let holes: Vec<LineString<f64>> = (0..rng.random_range(0..3))
            .map(|_| {
                let centre = (rng.random_range(-8.0..8.0), rng.random_range(-8.0..8.0));
                let corners = rng.random_range(3..8);
                star(&mut rng, corners, centre, 4.0, grid)
            })
            .collect();
        let polygon = Polygon::new(exterior, holes);
        let points = probes(&mut rng, &polygon, 200, grid);
        for (total, add) in seen.iter_mut().zip(same_as_geo(&polygon, &points)) {
            *total += add;
        }
    }
    // Every kind of answer was compared many times.
    assert!(seen.iter().all(|&n| n > 5_000), "inside, on boundary, outside: {seen:?}");
}

#[test]
fn validity_agrees_with_geo_on_random_polygons() {
    let mut rng = ChaCha8Rng::seed_from_u64(17);
    let (mut valid, mut invalid) = (0, 0);
    for case in 0..20_000 {
        let n = rng.random_range(3..9);
        let mut coords: Vec<(f64, f64)> = (0..n).map(|_| (rng.random_range(0.0..10.0), rng.random_range(0.0..10.0))).collect();
        if case % 3 == 0 {
            // A star is simple; with a hole that may lie inside, cross or stay outside.
            coords = star(&mut rng, n, (5.0, 5.0), 5.0, 0.0).0.iter().map(|c| (c.x, c.y)).collect();
        }
        let holes = if case % 2 == 0 {
            let centre = (rng.random_range(0.0..10.0), rng.random_range(0.0..10.0));
            let radius = rng.random_range(0.3..3.0);
            vec![star(&mut rng, 3 + case % 4, centre, radius, 0.0)]
        } else {
            vec![]
        };
        let polygon = Polygon::new(LineString::from(coords), holes);
        let ours = polygon_problem(&polygon);
        assert_eq!(
            ours.is_none(),
            polygon.is_valid(),
            "ours: {ours:?}, geo: {:?}; {polygon:?}",
            polygon.validation_errors()
        );
        if ours.is_none() { valid += 1 } else { invalid += 1 }
    }
    assert!(valid > 3_000 && invalid > 3_000, "valid {valid}, invalid {invalid}");
}

/// A GeoJSON plan with one district of `n` corners (a star around the
/// school) and a square district for the other school.
fn big_plan(n: usize) -> String {
    let mut rng = ChaCha8Rng::seed_from_u64(5);
    let ring = star(&mut rng, n, (11.6, 52.1), 0.05, 0.0);
    let positions: Vec<String> = ring.0.iter().map(|c| format!("[{:.9}, {:.9}]", c.x, c.y)).collect();
    format!(
        r#"{{"type": "FeatureCollection", "features": [
{{"type": "Feature", "properties": {{"school_id": "A"}}, "geometry": {{"type": "Polygon", "coordinates": [[{}]]}}}},
{{"type": "Feature", "properties": {{"school_id": "B"}}, "geometry": {{"type": "Polygon", "coordinates": [[[11.7, 52.0], [11.8, 52.0], [11.8, 52.1], [11.7, 52.1], [11.7, 52.0]]]}}}}]}}"#,
        positions.join(", ")
    )
}

#[test]
fn a_district_of_100000_vertices_is_read_and_looked_up() {
    let dialect = InputDialect::default();
    let schools_csv = "school_id,name,lat,lon,classes,prev_migration_share\nA,A,52.1,11.6,4,0.1\nB,B,52.05,11.75,4,0.1\n";
    let (schools, _) = parse_schools(schools_csv.as_bytes(), Path::new("schools.csv"), &dialect).unwrap();
    let mut rng = ChaCha8Rng::seed_from_u64(9);
    let mut pupils_csv = String::from("pupil_id,lat,lon,migration_background\n");
    for p in 0..3_000 {
        let (lat, lon) = (rng.random_range(52.04..52.16), rng.random_range(11.54..11.66));
        pupils_csv.push_str(&format!("p{p},{lat:.6},{lon:.6},0\n"));
    }
    let (pupils, _) = parse_pupils(pupils_csv.as_bytes(), Path::new("pupils.csv"), &dialect, &schools).unwrap();
    let plan = parse_district_plan(big_plan(100_000).as_bytes(), Path::new("plan.geojson"), &schools).unwrap();
    assert_eq!(plan.polygons[0].polygon.exterior().0.len(), 100_001);
    let instance = Instance {
        name: "big".into(),
        schools,
        pupils,
        rules: Rules::default(),
        solver: SolverSettings::default(),
        sources: vec![],
        ways: Default::default(),
    };
    let lookup = locate_pupils(&instance, &plan);
    let district = &plan.polygons[0].polygon;
    let mut inside = 0;
    for (pupil, school) in instance.pupils.iter().zip(&lookup.school_of) {
        let c = Coord {
            x: pupil.location.lon(),
            y: pupil.location.lat(),
        };
        let expected = (district.coordinate_position(&c) != CoordPos::Outside).then_some(0);
        assert_eq!(*school, expected, "pupil {}", pupil.id);
        inside += expected.is_some() as usize;
    }
    assert!(inside > 500 && inside < 2_900, "{inside} of 3000 inside");
}
