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

/// The city's figures over its drawn districts (`summary.json`, key
/// `compactness`; compare's table and `compare.csv`): the mean and the
/// lowest of each measure, with the school of the lowest (equal values to
/// the first school in the map's order).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CompactnessSummary {
    /// Districts measured (schools with pupils).
    pub districts: usize,
    /// Mean Polsby–Popper over the districts, 4 decimals.
    pub polsby_popper_mean: f64,
    /// Lowest Polsby–Popper, 4 decimals ...
    pub polsby_popper_min: f64,
    /// ... of this school's district.
    pub polsby_popper_min_school: String,
    /// Mean convex-hull ratio over the districts, 4 decimals.
    pub convex_hull_ratio_mean: f64,
    /// Lowest convex-hull ratio, 4 decimals ...
    pub convex_hull_ratio_min: f64,
    /// ... of this school's district.
    pub convex_hull_ratio_min_school: String,
}

/// The mean and lowest of each measure over `shapes` (`None` without a district).
pub fn compactness_summary(shapes: &[DistrictShape]) -> Option<CompactnessSummary> {
    let round4 = |x: f64| (x * 1e4).round() / 1e4;
    let mean = |of: fn(&DistrictShape) -> f64| round4(shapes.iter().map(of).sum::<f64>() / shapes.len() as f64);
    let lowest = |of: fn(&DistrictShape) -> f64| {
        shapes
            .iter()
            .fold(None, |low: Option<&DistrictShape>, s| match low {
                Some(l) if of(l) <= of(s) => Some(l),
                _ => Some(s),
            })
            .map(|s| (of(s), s.school_id.clone()))
    };
    let (pp_min, pp_school) = lowest(|s| s.polsby_popper)?;
    let (hull_min, hull_school) = lowest(|s| s.convex_hull_ratio)?;
    Some(CompactnessSummary {
        districts: shapes.len(),
        polsby_popper_mean: mean(|s| s.polsby_popper),
        polsby_popper_min: pp_min,
        polsby_popper_min_school: pp_school,
        convex_hull_ratio_mean: mean(|s| s.convex_hull_ratio),
        convex_hull_ratio_min: hull_min,
        convex_hull_ratio_min_school: hull_school,
    })
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

#[cfg(test)]
mod tests {
    use super::*;

    fn shape(id: &str, pp: f64, hull: f64) -> DistrictShape {
        DistrictShape {
            school_id: id.into(),
            parts: 1,
            area_km2: 1.0,
            perimeter_km: 4.0,
            polsby_popper: pp,
            convex_hull_ratio: hull,
        }
    }

    #[test]
    fn the_city_figures_are_the_mean_and_the_lowest_with_its_school() {
        let shapes = [shape("A", 0.5, 0.9), shape("B", 0.2, 1.0), shape("C", 0.2, 0.6)];
        let city = compactness_summary(&shapes).unwrap();
        assert_eq!(city.districts, 3);
        // (0.5 + 0.2 + 0.2) / 3 = 0.3; (0.9 + 1.0 + 0.6) / 3 = 0.8333.
        assert_eq!(city.polsby_popper_mean, 0.3);
        assert_eq!((city.polsby_popper_min, city.polsby_popper_min_school.as_str()), (0.2, "B"));
        assert_eq!(city.convex_hull_ratio_mean, 0.8333);
        assert_eq!((city.convex_hull_ratio_min, city.convex_hull_ratio_min_school.as_str()), (0.6, "C"));
        assert_eq!(compactness_summary(&[]), None);
    }
}
