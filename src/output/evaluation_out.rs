//! Writing the outputs of any evaluation — an optimum or a district plan —
//! with the optional district map: `districts.geojson` and, with unit
//! assignment, `bylaw.csv`. All files go into the folder as one set.

use super::{
    OutputDir, OutputError, OutputFile, OutputKind, WrittenSet, assignments_csv, bylaw_csv, bylaw_markdown, csv_bytes, districts_geojson,
    solve_files,
};
use crate::geometry::DistrictMap;
use crate::geometry::PlanLookup;
use crate::input::OutputDialect;
use crate::model::Instance;
use crate::report::Evaluation;
use serde::Serialize;

/// One row of `district_issues.csv`: a pupil a district plan did not place.
#[derive(Debug, Clone, Serialize)]
struct IssueLine<'a> {
    pupil_id: &'a str,
    issue: &'static str,
    school_ids: String,
}

/// Writes the outputs of an evaluation into `dir` as one set.
///
/// The files are those of [`solve_files`]. A district plan that leaves
/// pupils out (outside every district, or inside two) writes
/// `assignments.csv` with the placed pupils only, `schools.csv`,
/// `summary.json` and `district_issues.csv` (`pupil_id,issue,school_ids`,
/// issue `outside` or `overlap`). With `districts`, also `districts.geojson`
/// (when there is an assignment) and, with `assign = "units"`, `bylaw.csv`.
/// Files of the set that an earlier run wrote and this one does not are
/// removed.
pub fn write_evaluation_outputs(
    dir: &OutputDir,
    instance: &Instance,
    evaluation: &Evaluation,
    districts: Option<&DistrictMap>,
) -> Result<WrittenSet, OutputError> {
    dir.replace_set(OutputKind::Solve, &evaluation_files(instance, evaluation, districts)?)
}

/// How the files of a solve are written for an office.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct OfficeOptions {
    /// The CSV dialect (`[output] dialect`).
    pub dialect: OutputDialect,
    /// Also write `results.xlsx` (`solve --xlsx`).
    pub xlsx: bool,
}

/// [`write_evaluation_outputs`] with the CSV files in the scenario's output
/// dialect (`[output] dialect`, e.g. `excel-de`) and, on request,
/// `results.xlsx` (rendered from the default files, so its numbers are the same).
pub fn write_evaluation_outputs_in(
    dir: &OutputDir,
    instance: &Instance,
    evaluation: &Evaluation,
    districts: Option<&DistrictMap>,
    office: OfficeOptions,
) -> Result<WrittenSet, OutputError> {
    let files = with_office(evaluation_files(instance, evaluation, districts)?, office)?;
    dir.replace_set(OutputKind::Solve, &files)
}

/// The files of an evaluation as an office wants them: the CSV files in its
/// dialect and, with `office.xlsx`, `results.xlsx` made from them.
pub fn with_office(files: Vec<OutputFile>, office: OfficeOptions) -> Result<Vec<OutputFile>, OutputError> {
    let workbook = if office.xlsx { Some(super::results_xlsx(&files)?) } else { None };
    let mut files = super::in_dialect(files, office.dialect)?;
    if let Some(bytes) = workbook {
        files.push(OutputFile::private(super::RESULTS_XLSX, bytes));
    }
    Ok(files)
}

/// Renders every file of an evaluation (see [`write_evaluation_outputs`]).
pub fn evaluation_files(
    instance: &Instance,
    evaluation: &Evaluation,
    districts: Option<&DistrictMap>,
) -> Result<Vec<OutputFile>, OutputError> {
    let placed = evaluation.placed_school_of(instance.pupils.len());
    let partial_plan = evaluation
        .plan
        .as_ref()
        .filter(|p| !p.outside.is_empty() || !p.overlapping.is_empty());
    let mut files = match partial_plan {
        None => solve_files(
            instance,
            evaluation.school_of(),
            evaluation.school_rows.as_deref(),
            &evaluation.summary,
        )?,
        Some(plan) => vec![
            OutputFile::private("assignments.csv", assignments_csv(instance, &placed)?),
            OutputFile::shared(
                "schools.csv",
                csv_bytes(evaluation.school_rows.as_deref().unwrap_or_default(), "schools.csv")?,
            ),
            OutputFile::private("summary.json", super::json_bytes(&evaluation.summary, "summary.json")?),
            OutputFile::private("district_issues.csv", district_issues_csv(instance, plan)?),
        ],
    };
    if let Some(map) = districts {
        let geojson = districts_geojson(instance, &map.districts)?;
        files.push(match map.published {
            true => OutputFile::shared("districts.geojson", geojson),
            false => OutputFile::private("districts.geojson", geojson),
        });
        if instance.rules.assign != crate::model::AssignMode::Pupils {
            let bylaw = crate::report::bylaw_of(instance, &placed);
            files.push(OutputFile::private("bylaw.csv", bylaw_csv(instance, &bylaw)?));
            files.push(OutputFile::private("bylaw.md", bylaw_markdown(instance, &bylaw)));
        }
    }
    Ok(files)
}

/// Renders `district_issues.csv`: the pupils a plan did not place, in pupil order.
fn district_issues_csv(instance: &Instance, plan: &PlanLookup) -> Result<Vec<u8>, OutputError> {
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
    csv_bytes(issues.into_iter().map(|(_, line)| line), "district_issues.csv")
}
