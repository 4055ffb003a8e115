//! Writing the outputs of any evaluation — an optimum or a district plan —
//! with the optional district map: `districts.geojson` and, with unit
//! assignment, `bylaw.csv`.

use super::{OutputDir, OutputError, bylaw_csv, csv_bytes, districts_geojson, write_solve_outputs};
use crate::geometry::{DistrictOptions, district_polygons};
use crate::model::Instance;
use crate::scenario::Evaluation;
use serde::Serialize;
use std::path::PathBuf;

/// One row of `district_issues.csv`: a pupil a district plan did not place.
#[derive(Debug, Clone, Serialize)]
struct IssueLine<'a> {
    pupil_id: &'a str,
    issue: &'static str,
    school_ids: String,
}

/// One row of `assignments.csv` for a plan that left pupils out.
#[derive(Debug, Clone, Serialize)]
struct PlacedLine<'a> {
    pupil_id: &'a str,
    school_id: &'a str,
    distance_m: String,
}

/// Writes the outputs of an evaluation into `dir`; returns the paths written.
///
/// The files are those of [`write_solve_outputs`]. A district plan that
/// leaves pupils out (outside every district, or inside two) writes
/// `assignments.csv` with the placed pupils only, `schools.csv`,
/// `summary.json` and `district_issues.csv` (`pupil_id,issue,school_ids`,
/// issue `outside` or `overlap`). With `districts`, also `districts.geojson`
/// (when there is an assignment) and, with `assign = "units"`, `bylaw.csv`.
pub fn write_evaluation_outputs(
    dir: &OutputDir,
    instance: &Instance,
    evaluation: &Evaluation,
    districts: Option<&DistrictOptions>,
) -> Result<Vec<PathBuf>, OutputError> {
    let placed = evaluation.placed_school_of(instance.pupils.len());
    let mut extra: Vec<(&str, Vec<u8>)> = Vec::new();
    if let Some(options) = districts
        && placed.iter().any(Option::is_some)
    {
        extra.push((
            "districts.geojson",
            districts_geojson(instance, &district_polygons(instance, &placed, options))?,
        ));
        if instance.rules.assign == crate::model::AssignMode::Units {
            extra.push(("bylaw.csv", bylaw_csv(instance, &placed)?));
        }
    }
    let partial_plan = evaluation
        .plan
        .as_ref()
        .filter(|p| !p.outside.is_empty() || !p.overlapping.is_empty());
    for (name, _) in &extra {
        dir.file(name)?;
    }
    let mut written = match partial_plan {
        None => write_solve_outputs(
            dir,
            instance,
            evaluation.school_of(),
            evaluation.school_rows.as_deref(),
            &evaluation.summary,
        )?,
        Some(plan) => {
            let rows = instance.pupils.iter().zip(&placed).filter_map(|(p, s)| {
                s.map(|s| {
                    let school = &instance.schools[s];
                    PlacedLine {
                        pupil_id: p.id.as_str(),
                        school_id: school.id.as_str(),
                        distance_m: format!("{:.1}", p.location.distance_m(&school.location)),
                    }
                })
            });
            let mut issues: Vec<(usize, IssueLine)> = plan
                .outside
                .iter()
                .map(|&p| {
                    (
                        p,
                        IssueLine {
                            pupil_id: instance.pupils[p].id.as_str(),
                            issue: "outside",
                            school_ids: String::new(),
                        },
                    )
                })
                .collect();
            issues.extend(plan.overlapping.iter().map(|(p, schools)| {
                let ids: Vec<&str> = schools.iter().map(|&s| instance.schools[s].id.as_str()).collect();
                (
                    *p,
                    IssueLine {
                        pupil_id: instance.pupils[*p].id.as_str(),
                        issue: "overlap",
                        school_ids: ids.join(" "),
                    },
                )
            }));
            issues.sort_by_key(|(p, _)| *p);
            let files: Vec<(&str, Vec<u8>)> = vec![
                ("assignments.csv", csv_bytes(rows, "assignments.csv")?),
                (
                    "schools.csv",
                    csv_bytes(evaluation.school_rows.as_deref().unwrap_or_default(), "schools.csv")?,
                ),
                ("summary.json", super::json_bytes(&evaluation.summary, "summary.json")?),
                (
                    "district_issues.csv",
                    csv_bytes(issues.into_iter().map(|(_, line)| line), "district_issues.csv")?,
                ),
            ];
            for (name, _) in &files {
                dir.file(name)?;
            }
            files
                .iter()
                .map(|(name, bytes)| dir.write(name, bytes))
                .collect::<Result<Vec<_>, _>>()?
        }
    };
    for (name, bytes) in &extra {
        written.push(dir.write(name, bytes)?);
    }
    Ok(written)
}
