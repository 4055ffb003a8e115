//! What a district plan did with the pupils: how many it placed, and by id
//! every pupil outside all districts, inside two, or on a border.

use crate::geometry::{DistrictPlan, PlanLookup};
use crate::model::Instance;
use serde::Serialize;

/// The border rule, as written to `summary.json`.
pub const BORDER_RULE: &str = "a home on a border goes to the nearest of the schools whose district boundary it lies on (great-circle distance); equal distances to the smallest school_id";

/// A pupil inside the districts of two or more schools.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct OverlapPupil {
    /// The pupil.
    pub pupil_id: String,
    /// The schools whose districts hold the home.
    pub school_ids: Vec<String>,
}

/// A pupil on a border, decided by the border rule.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct BorderPupil {
    /// The pupil.
    pub pupil_id: String,
    /// The schools whose district boundary the home lies on.
    pub touching: Vec<String>,
    /// The school the rule chose.
    pub school_id: String,
}

/// The `district_plan` part of `summary.json`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PlanFindings {
    /// Polygons in the plan.
    pub polygons: usize,
    /// By-law entries by street (whole streets and house-number ranges).
    pub street_ranges: usize,
    /// By-law entries by street section (`unit_id`).
    pub street_sections: usize,
    /// Pupils the plan places at a school.
    pub placed: usize,
    /// Pupils in no district: how many ...
    pub outside_count: usize,
    /// ... and which.
    pub outside: Vec<String>,
    /// Pupils inside two or more schools' districts (not placed): how many ...
    pub overlapping_count: usize,
    /// ... and which, with the schools.
    pub overlapping: Vec<OverlapPupil>,
    /// Pupils exactly on a border between districts: how many ...
    pub on_border_count: usize,
    /// ... and which, with the school chosen.
    pub on_border: Vec<BorderPupil>,
    /// How a border is decided.
    pub border_rule: &'static str,
}

impl PlanFindings {
    /// The findings of a plan lookup.
    pub fn of(instance: &Instance, plan: &DistrictPlan, lookup: &PlanLookup) -> Self {
        let pupil = |p: usize| instance.pupils[p].id.to_string();
        let school = |s: usize| instance.schools[s].id.to_string();
        Self {
            polygons: plan.polygons.len(),
            street_ranges: plan.streets.len(),
            street_sections: plan.units.len(),
            placed: lookup.school_of.iter().filter(|s| s.is_some()).count(),
            outside_count: lookup.outside.len(),
            outside: lookup.outside.iter().map(|&p| pupil(p)).collect(),
            overlapping_count: lookup.overlapping.len(),
            overlapping: lookup
                .overlapping
                .iter()
                .map(|(p, schools)| OverlapPupil {
                    pupil_id: pupil(*p),
                    school_ids: schools.iter().map(|&s| school(s)).collect(),
                })
                .collect(),
            on_border_count: lookup.on_border.len(),
            on_border: lookup
                .on_border
                .iter()
                .map(|b| BorderPupil {
                    pupil_id: pupil(b.pupil),
                    touching: b.touching.iter().map(|&s| school(s)).collect(),
                    school_id: school(b.chosen),
                })
                .collect(),
            border_rule: BORDER_RULE,
        }
    }

    /// Lines for the human summary: the plan's coverage and every problem, with up to 10 ids each.
    pub fn lines(&self) -> Vec<String> {
        let few = |ids: Vec<String>| {
            let shown: Vec<String> = ids.iter().take(10).cloned().collect();
            format!("{}{}", shown.join(", "), if ids.len() > shown.len() { ", ..." } else { "" })
        };
        let mut parts = vec![format!("{} polygons", self.polygons)];
        if self.street_ranges + self.street_sections > 0 {
            parts = vec![format!(
                "by-law of {} street ranges and {} street sections",
                self.street_ranges, self.street_sections
            )];
        }
        let mut lines = vec![format!(
            "districts  {}; {} pupils placed, {} outside every district, {} in two districts, {} on a border (nearest school)",
            parts.join(", "),
            self.placed,
            self.outside_count,
            self.overlapping_count,
            self.on_border_count
        )];
        if self.outside_count > 0 {
            lines.push(format!(
                "outside    {} pupils in no district: {}",
                self.outside_count,
                few(self.outside.clone())
            ));
        }
        if self.overlapping_count > 0 {
            let ids = self
                .overlapping
                .iter()
                .map(|o| format!("{} ({})", o.pupil_id, o.school_ids.join(", ")))
                .collect();
            lines.push(format!(
                "overlap    {} pupils in two districts: {}",
                self.overlapping_count,
                few(ids)
            ));
        }
        lines
    }
}
