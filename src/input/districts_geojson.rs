//! District polygons as GeoJSON (RFC 7946, WGS84 longitude/latitude):
//! reading a district plan (a FeatureCollection of Polygons/MultiPolygons,
//! property `school_id`) or an area to lock, and writing `districts.geojson`.

use super::InputError;
use super::source::{InputKind, read_input};
use crate::geometry::{DistrictPlan, PlanPolygon, polygon_problem};
use crate::model::{School, SourceFile};
use geo::{Coord, LineString, Polygon};
use geojson::{Feature, GeoJson, GeometryValue, JsonValue, Position};
use std::collections::HashMap;
use std::path::Path;

fn geometry_error(path: &Path, message: String) -> InputError {
    InputError::Geometry {
        path: path.to_path_buf(),
        message,
    }
}

/// Parses the bytes of the GeoJSON file `path`.
fn parse_geojson(bytes: &[u8], path: &Path) -> Result<GeoJson, InputError> {
    let text =
        std::str::from_utf8(bytes).map_err(|_| geometry_error(path, "the file is not UTF-8 text; save it as GeoJSON (UTF-8)".into()))?;
    text.parse().map_err(|e| {
        geometry_error(
            path,
            format!("not valid GeoJSON ({e}); export the layer as GeoJSON in WGS84 (EPSG:4326)"),
        )
    })
}

/// A position for messages: `[11.6, 52.1]`, `[12.4]`, `[]`.
fn position_text(position: &Position) -> String {
    let numbers: Vec<String> = position.as_slice().iter().map(|v| v.to_string()).collect();
    format!("[{}]", numbers.join(", "))
}

/// One ring, checked before it is converted: every position a longitude
/// and a latitude in degrees (further numbers, e.g. an altitude, are
/// ignored), at least 4 positions, closed. `what` names the feature,
/// `ring` the ring in it (`ring 2`, `polygon 3, ring 1`).
fn ring_of(path: &Path, what: &str, ring: &str, positions: &[Position]) -> Result<LineString<f64>, InputError> {
    let mut coords = Vec::with_capacity(positions.len());
    for (k, position) in positions.iter().enumerate() {
        let (shown, number) = (position_text(position), k + 1);
        let &[x, y, ..] = position.as_slice() else {
            return Err(geometry_error(
                path,
                format!(
                    "{what}: position {shown} ({ring}, position {number}) needs a longitude and a latitude, [lon, lat]; complete or remove it"
                ),
            ));
        };
        if !(x.is_finite() && y.is_finite() && (-180.0..=180.0).contains(&x) && (-90.0..=90.0).contains(&y)) {
            return Err(geometry_error(
                path,
                format!(
                    "{what}: position {shown} is not a longitude, latitude in degrees ({ring}, position {number}); save the layer in WGS84 (EPSG:4326), positions as [longitude, latitude]"
                ),
            ));
        }
        coords.push(Coord { x, y });
    }
    if coords.len() < 4 {
        return Err(geometry_error(
            path,
            format!(
                "{what}: {ring} has {} positions; a ring needs at least 4 positions (3 corners and the first again)",
                coords.len()
            ),
        ));
    }
    if coords.first() != coords.last() {
        return Err(geometry_error(
            path,
            format!("{what}: {ring} is not closed: its last position must repeat the first (GeoJSON, RFC 7946)"),
        ));
    }
    Ok(LineString::new(coords))
}

/// One polygon from its rings (the first is the outer ring), checked and
/// valid. `polygon` names it within a MultiPolygon (`polygon 2, `).
fn polygon_of(path: &Path, what: &str, polygon: &str, rings: &[Vec<Position>]) -> Result<Polygon<f64>, InputError> {
    if rings.is_empty() {
        return Err(geometry_error(
            path,
            format!("{what}: {polygon}no ring is given; draw the polygon or remove it"),
        ));
    }
    let mut converted = Vec::with_capacity(rings.len());
    for (r, ring) in rings.iter().enumerate() {
        converted.push(ring_of(path, what, &format!("{polygon}ring {}", r + 1), ring)?);
    }
    let exterior = converted.remove(0);
    let shape = Polygon::new(exterior, converted);
    if let Some(problem) = polygon_problem(&shape) {
        return Err(geometry_error(
            path,
            format!("{what}: {polygon}invalid polygon ({problem}); repair it (e.g. QGIS: Fix Geometries) and export again"),
        ));
    }
    Ok(shape)
}

/// The polygons of one geometry, checked: Polygon or MultiPolygon, WGS84
/// degrees, valid. `what` names the feature in messages.
fn polygons_of(path: &Path, value: &GeometryValue, what: &str) -> Result<Vec<Polygon<f64>>, InputError> {
    match value {
        GeometryValue::Polygon { coordinates } => Ok(vec![polygon_of(path, what, "", coordinates)?]),
        GeometryValue::MultiPolygon { coordinates } => coordinates
            .iter()
            .enumerate()
            .map(|(p, rings)| polygon_of(path, what, &format!("polygon {}, ", p + 1), rings))
            .collect(),
        other => Err(geometry_error(
            path,
            format!("{what} is a {}; a district must be a Polygon or MultiPolygon", other.type_name()),
        )),
    }
}

/// A feature's `school_id` property: text, or a whole number written as a number.
fn school_id_of(feature: &Feature) -> Option<String> {
    match feature.properties.as_ref()?.get("school_id")? {
        JsonValue::String(s) if !s.trim().is_empty() => Some(s.trim().to_string()),
        JsonValue::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// Reads a district plan: a FeatureCollection whose features are Polygons or
/// MultiPolygons with a `school_id` property naming a school of `schools`.
/// A school may have several features (its district is their union).
pub fn read_district_plan(path: &Path, schools: &[School]) -> Result<(DistrictPlan, SourceFile), InputError> {
    let input = read_input(path, InputKind::GeoJson)?;
    Ok((parse_district_plan(&input.bytes, path, schools)?, input.source))
}

/// Parses the bytes of the district plan `path` (see [`read_district_plan`]).
pub fn parse_district_plan(bytes: &[u8], path: &Path, schools: &[School]) -> Result<DistrictPlan, InputError> {
    let geojson = parse_geojson(bytes, path)?;
    let GeoJson::FeatureCollection(collection) = geojson else {
        return Err(geometry_error(
            path,
            "a district plan must be a GeoJSON FeatureCollection (one feature per district, property `school_id`)".into(),
        ));
    };
    if collection.features.is_empty() {
        return Err(geometry_error(
            path,
            "the FeatureCollection has no features; draw one polygon per school district".into(),
        ));
    }
    let index: HashMap<&str, usize> = schools.iter().enumerate().map(|(i, s)| (s.id.as_str(), i)).collect();
    let mut plan = DistrictPlan::default();
    for (i, feature) in collection.features.iter().enumerate() {
        let number = i + 1;
        let Some(id) = school_id_of(feature) else {
            return Err(geometry_error(
                path,
                format!("feature {number} has no `school_id` property; give every district the school_id of its school"),
            ));
        };
        let what = format!("feature {number} (school_id `{id}`)");
        let &school = index.get(id.as_str()).ok_or_else(|| {
            geometry_error(
                path,
                format!(
                    "{what}: school `{id}` is not in the schools file; use one of its school_id values ({})",
                    id_list(schools)
                ),
            )
        })?;
        let Some(geometry) = &feature.geometry else {
            return Err(geometry_error(
                path,
                format!("{what} has no geometry; draw its district or remove the feature"),
            ));
        };
        for polygon in polygons_of(path, &geometry.value, &what)? {
            plan.polygons.push(PlanPolygon {
                school,
                feature: number,
                polygon,
            });
        }
    }
    Ok(plan)
}

/// A short list of school ids for messages.
pub(crate) fn id_list(schools: &[School]) -> String {
    let ids: Vec<&str> = schools.iter().map(|s| s.id.as_str()).collect();
    if ids.len() <= 8 {
        ids.join(", ")
    } else {
        format!("{}, ..., {}", ids[..4].join(", "), ids[ids.len() - 2..].join(", "))
    }
}

/// Reads an area (for a lock): every Polygon and MultiPolygon of a
/// FeatureCollection, a Feature or a bare geometry; properties are ignored.
pub fn read_area(path: &Path) -> Result<(Vec<Polygon<f64>>, SourceFile), InputError> {
    let input = read_input(path, InputKind::GeoJson)?;
    Ok((parse_area(&input.bytes, path)?, input.source))
}

/// Parses the bytes of the area file `path` (see [`read_area`]).
pub fn parse_area(bytes: &[u8], path: &Path) -> Result<Vec<Polygon<f64>>, InputError> {
    let geojson = parse_geojson(bytes, path)?;
    let geometries: Vec<(String, GeometryValue)> = match geojson {
        GeoJson::Geometry(g) => vec![("the geometry".to_string(), g.value)],
        GeoJson::Feature(f) => f.geometry.map(|g| ("the feature".to_string(), g.value)).into_iter().collect(),
        GeoJson::FeatureCollection(c) => c
            .features
            .into_iter()
            .enumerate()
            .filter_map(|(i, f)| f.geometry.map(|g| (format!("feature {}", i + 1), g.value)))
            .collect(),
    };
    let mut polygons = Vec::new();
    for (what, value) in &geometries {
        polygons.extend(polygons_of(path, value, what)?);
    }
    if polygons.is_empty() {
        return Err(geometry_error(
            path,
            "the file holds no Polygon or MultiPolygon; draw the area to lock".into(),
        ));
    }
    Ok(polygons)
}
