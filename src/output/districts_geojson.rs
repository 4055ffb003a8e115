//! `districts.geojson`: the district map of a result, one feature per school.

use super::OutputError;
use crate::geometry::SchoolDistrict;
use crate::model::Instance;
use geojson::{Feature, FeatureCollection, GeometryValue, JsonObject, JsonValue};
use std::path::PathBuf;

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
