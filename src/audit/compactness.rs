//! Compactness: with `min_compactness`, every school's district, as the
//! district map draws it from the assignment (the default margin, from the
//! exact homes), has a Polsby–Popper `4 pi A / P^2` of at least the bound
//! (see [`crate::geometry::compactness`]). A pupil a plan leaves out is in
//! no district.

use super::{ResolvedAssignment, Rule, Violation};
use crate::geometry::{DistrictOptions, LocalPlane, compactness, district_map};
use crate::model::Instance;

/// Records each district whose Polsby–Popper is below `min_compactness`.
pub fn check(instance: &Instance, assignment: &ResolvedAssignment, violations: &mut Vec<Violation>) {
    let Some(bound) = instance.rules.min_compactness else { return };
    let Some(map) = district_map(instance, &assignment.school_of, &DistrictOptions::default()) else {
        return;
    };
    let plane = LocalPlane::around(instance.schools.iter().map(|s| (s.location.lon(), s.location.lat())));
    for district in &map.districts {
        let shape = compactness(&district.area, &plane);
        if shape.polsby_popper >= bound {
            continue;
        }
        let school = &instance.schools[district.school];
        violations.push(Violation::new(
            Rule::Compactness,
            school.id.to_string(),
            format!(
                "district of school {} has Polsby-Popper {:.4} (area {:.3} km², perimeter {:.3} km{}), below min_compactness {bound}",
                school.id,
                shape.polsby_popper,
                shape.area_km2,
                shape.perimeter_km,
                if shape.parts > 1 {
                    format!(", {} parts", shape.parts)
                } else {
                    String::new()
                }
            ),
        ));
    }
}
