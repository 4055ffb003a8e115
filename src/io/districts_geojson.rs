//! District polygons as GeoJSON (RFC 7946, WGS84 longitude/latitude):
//! reading a district plan (a FeatureCollection of Polygons/MultiPolygons,
//! property `school_id`) or an area to lock, and writing `districts.geojson`.

use super::{InputError, OutputError, sha256_hex};
use crate::geometry::{DistrictPlan, PlanPolygon, SchoolDistrict};
use crate::model::{Instance, School, SourceFile};
use geo::{MultiPolygon, Polygon, Validation};
use geojson::{Feature, FeatureCollection, GeoJson, GeometryValue, JsonObject, JsonValue};
use std::collections::HashMap;
use std::path::{Path, PathBuf};

fn geometry_error(path: &Path, message: String) -> InputError {
    InputError::Geometry {
        path: path.to_path_buf(),
        message,
    }
}

/// Reads and parses a GeoJSON file; returns it with its provenance.
fn read_geojson(path: &Path) -> Result<(GeoJson, SourceFile), InputError> {
    let bytes = std::fs::read(path).map_err(|source| InputError::Unreadable {
        path: path.to_path_buf(),
        reason: source,
    })?;
    let source = SourceFile {
        path: path.to_path_buf(),
        sha256: sha256_hex(&bytes),
    };
    let text =
        String::from_utf8(bytes).map_err(|_| geometry_error(path, "the file is not UTF-8 text; save it as GeoJSON (UTF-8)".into()))?;
    let geojson: GeoJson = text.parse().map_err(|e| {
        geometry_error(
            path,
            format!("not valid GeoJSON ({e}); export the layer as GeoJSON in WGS84 (EPSG:4326)"),
        )
    })?;
    Ok((geojson, source))
}

/// The polygons of one geometry, checked: Polygon or MultiPolygon, WGS84
/// degrees, valid. `what` names the feature in messages.
fn polygons_of(path: &Path, value: &GeometryValue, what: &str) -> Result<Vec<Polygon<f64>>, InputError> {
    let polygons: Vec<Polygon<f64>> = match value {
        GeometryValue::Polygon { .. } => vec![Polygon::try_from(value).map_err(|e| geometry_error(path, format!("{what}: {e}")))?],
        GeometryValue::MultiPolygon { .. } => {
            MultiPolygon::try_from(value)
                .map_err(|e| geometry_error(path, format!("{what}: {e}")))?
                .0
        }
        other => {
            return Err(geometry_error(
                path,
                format!("{what} is a {}; a district must be a Polygon or MultiPolygon", other.type_name()),
            ));
        }
    };
    for polygon in &polygons {
        for ring in std::iter::once(polygon.exterior()).chain(polygon.interiors()) {
            if let Some(c) = ring
                .coords()
                .find(|c| !(c.x.is_finite() && c.y.is_finite() && (-180.0..=180.0).contains(&c.x) && (-90.0..=90.0).contains(&c.y)))
            {
                return Err(geometry_error(
                    path,
                    format!(
                        "{what}: position [{}, {}] is not a longitude, latitude in degrees; save the layer in WGS84 (EPSG:4326), positions as [longitude, latitude]",
                        c.x, c.y
                    ),
                ));
            }
        }
        if polygon.exterior().0.len() < 4 {
            return Err(geometry_error(
                path,
                format!("{what}: a polygon ring needs at least 3 distinct positions"),
            ));
        }
        let problems = polygon.validation_errors();
        if let Some(problem) = problems.first() {
            return Err(geometry_error(
                path,
                format!("{what}: invalid polygon ({problem}); repair it (e.g. QGIS: Fix Geometries) and export again"),
            ));
        }
    }
    Ok(polygons)
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
    let (geojson, source) = read_geojson(path)?;
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
    Ok((plan, source))
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
    let (geojson, source) = read_geojson(path)?;
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
    Ok((polygons, source))
}

/// Renders `districts.geojson`: a FeatureCollection with one feature per
/// school with pupils, in school order; properties `school_id`, `name`,
/// `pupils`; a Polygon when the district is one piece, else a MultiPolygon.
pub fn districts_geojson(instance: &Instance, districts: &[SchoolDistrict]) -> Result<Vec<u8>, OutputError> {
    let features = districts
        .iter()
        .map(|d| {
            let school = &instance.schools[d.school];
            let mut properties = JsonObject::new();
            properties.insert("school_id".into(), JsonValue::from(school.id.as_str()));
            properties.insert("name".into(), JsonValue::from(school.name.as_str()));
            properties.insert("pupils".into(), JsonValue::from(d.pupils));
            let value = match d.area.0.as_slice() {
                [single] => GeometryValue::from(single),
                _ => GeometryValue::from(&d.area),
            };
            Feature {
                bbox: None,
                geometry: Some(value.into()),
                id: None,
                properties: Some(properties),
                foreign_members: None,
            }
        })
        .collect();
    let collection = FeatureCollection {
        bbox: None,
        features,
        foreign_members: None,
    };
    let mut bytes = serde_json::to_vec(&collection).map_err(|e| OutputError::Encode {
        path: PathBuf::from("districts.geojson"),
        message: e.to_string(),
    })?;
    bytes.push(b'\n');
    Ok(bytes)
}
