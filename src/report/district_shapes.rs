//! The shape of each drawn district (`summary.json`, key `districts`, with
//! `solve --districts`): parts, area, perimeter and the compactness figures
//! of [`crate::geometry::compactness`].

use crate::geometry::{DistrictMap, LocalPlane, compactness};
use crate::model::Instance;
use serde::Serialize;

/// The shape of one school's district.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DistrictShape {
    /// The school.
    pub school_id: String,
    /// Separate polygons (1: a connected district without exclaves).
    pub parts: usize,
    /// Area in km², 4 decimals.
    pub area_km2: f64,
    /// Length of all rings in km, 4 decimals.
    pub perimeter_km: f64,
    /// Polsby–Popper `4 pi A / P^2`, 4 decimals.
    pub polsby_popper: f64,
    /// Area over the area of the convex hull, 4 decimals.
    pub convex_hull_ratio: f64,
}

/// The shapes of the districts of `map`, by school as in the map.
pub fn district_shapes(instance: &Instance, map: &DistrictMap) -> Vec<DistrictShape> {
    let plane = LocalPlane::around(instance.schools.iter().map(|s| (s.location.lon(), s.location.lat())));
    let round4 = |x: f64| (x * 1e4).round() / 1e4;
    map.districts
        .iter()
        .map(|d| {
            let c = compactness(&d.area, &plane);
            DistrictShape {
                school_id: instance.schools[d.school].id.to_string(),
                parts: c.parts,
                area_km2: round4(c.area_km2),
                perimeter_km: round4(c.perimeter_km),
                polsby_popper: round4(c.polsby_popper),
                convex_hull_ratio: round4(c.convex_hull_ratio),
            }
        })
        .collect()
}

/// The line of the human summary: median and lowest Polsby–Popper, and the
/// districts in several parts.
pub fn shapes_line(shapes: &[DistrictShape]) -> Option<String> {
    let mut by_pp: Vec<&DistrictShape> = shapes.iter().collect();
    by_pp.sort_by(|a, b| {
        a.polsby_popper
            .total_cmp(&b.polsby_popper)
            .then_with(|| a.school_id.cmp(&b.school_id))
    });
    let lowest = by_pp.first()?;
    let median = by_pp[by_pp.len() / 2];
    let split: Vec<&str> = shapes.iter().filter(|s| s.parts > 1).map(|s| s.school_id.as_str()).collect();
    Some(format!(
        "shape      Polsby-Popper median {:.2}, lowest {:.2} ({}); {} in several parts{}{}\n",
        median.polsby_popper,
        lowest.polsby_popper,
        lowest.school_id,
        if split.len() == 1 {
            "1 district".to_string()
        } else {
            format!("{} districts", split.len())
        },
        if split.is_empty() { "" } else { ": " },
        split.join(", ")
    ))
}
