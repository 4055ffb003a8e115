//! Comparing scenarios: evaluate several loaded scenarios in parallel
//! (rayon), and turn each evaluation into a row of the side-by-side table
//! ([`crate::report::ComparisonRow`]) and per-school differences.

use super::evaluation::{Evaluation, evaluate_scenario};
use super::{ComparisonRow, SchoolDifference, school_differences};
use crate::geometry::{DistrictOptions, district_map};
use crate::model::Instance;
use crate::scenario::EvaluateError;
use crate::scenario::LoadedScenario;
use rayon::prelude::*;
use std::path::{Path, PathBuf};

/// One evaluated scenario.
#[derive(Debug, Clone)]
pub struct Compared {
    /// The scenario file.
    pub path: PathBuf,
    /// Its short label (file stem; made unique).
    pub label: String,
    /// The instance.
    pub instance: Instance,
    /// The evaluation.
    pub evaluation: Evaluation,
}

/// Pupils whose school differs from the baseline assignment, or `None` when
/// the scenario has no baseline. `school_of[p]` is pupil `p`'s school
/// (`None`: not placed).
///
/// `None` (shown as `-`) when the scenario names no `baseline`.
pub fn moved_against_baseline(instance: &Instance, school_of: &[Option<usize>]) -> Option<usize> {
    instance
        .pupils
        .iter()
        .any(|p| p.baseline_school.is_some())
        .then(|| crate::audit::moves(instance, school_of) as usize)
}

/// A folder name per label, for each scenario's own outputs under the
/// compare folder: characters other than letters, digits, `-`, `_`, `.` and
/// `#` become `_`, names that are empty or only dots become `scenario`, and
/// a name already taken gets `-2`, `-3`, ... appended.
pub fn folder_names(labels: &[String]) -> Vec<String> {
    let mut taken: Vec<String> = Vec::with_capacity(labels.len());
    for label in labels {
        let clean: String = label
            .chars()
            .map(|c| if c.is_alphanumeric() || "-_.#".contains(c) { c } else { '_' })
            .collect();
        let base = if clean.chars().all(|c| c == '.') {
            "scenario".to_string()
        } else {
            clean
        };
        let mut name = base.clone();
        let mut n = 1;
        while taken.contains(&name) {
            n += 1;
            name = format!("{base}-{n}");
        }
        taken.push(name);
    }
    taken
}

/// Short, unique labels: the file stems; where stems repeat, the folder and
/// the stem (`infeasible/scenario`); `#2`, `#3` ... for what still repeats.
pub fn labels(paths: &[PathBuf]) -> Vec<String> {
    let stem = |p: &PathBuf| {
        p.file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_else(|| p.display().to_string())
    };
    let stems: Vec<String> = paths.iter().map(stem).collect();
    let named: Vec<String> = paths
        .iter()
        .zip(&stems)
        .map(|(p, s)| match p.parent().and_then(|d| d.file_name()) {
            Some(folder) if stems.iter().filter(|t| *t == s).count() > 1 => {
                format!("{}/{s}", folder.to_string_lossy())
            }
            _ => s.clone(),
        })
        .collect();
    named
        .iter()
        .enumerate()
        .map(|(i, name)| {
            let before = named[..i].iter().filter(|s| *s == name).count();
            if before == 0 {
                name.clone()
            } else {
                format!("{name}#{}", before + 1)
            }
        })
        .collect()
}

/// Evaluates the scenarios in parallel; `done(label)` is called as each one
/// finishes. Results are in input order; the first failure (in input order)
/// is returned with its file.
pub fn evaluate_all(
    scenarios: Vec<(PathBuf, LoadedScenario)>,
    done: impl Fn(&str) + Sync,
) -> Result<Vec<Compared>, (PathBuf, EvaluateError)> {
    let paths: Vec<PathBuf> = scenarios.iter().map(|(p, _)| p.clone()).collect();
    let labels = labels(&paths);
    let results: Vec<Result<Compared, (PathBuf, EvaluateError)>> = scenarios
        .into_par_iter()
        .zip(labels.into_par_iter())
        // One scenario per task: a slow scenario never holds up another.
        .with_max_len(1)
        .map(|((path, scenario), label)| {
            let evaluation = evaluate_scenario(&scenario).map_err(|e| (path.clone(), e))?;
            done(&label);
            Ok(Compared {
                path,
                label,
                instance: scenario.instance,
                evaluation,
            })
        })
        .collect();
    results.into_iter().collect()
}

/// The row of the comparison table for one scenario.
pub fn comparison_row(compared: &Compared) -> ComparisonRow {
    let evaluation = &compared.evaluation;
    let placed = evaluation.placed_school_of(compared.instance.pupils.len());
    let has_assignment = placed.iter().any(Option::is_some);
    ComparisonRow::new(
        &compared.label,
        &display(&compared.path),
        &compared.instance,
        evaluation.summary.status.as_str(),
        evaluation.school_rows.as_deref(),
        evaluation.distances.as_ref(),
        if has_assignment {
            moved_against_baseline(&compared.instance, &placed)
        } else {
            None
        },
        evaluation.summary.violations.len(),
    )
    .with_contiguity(evaluation.summary.contiguity.clone())
}

/// The compactness of the districts drawn from a scenario's assignment, as
/// `solve --districts` draws them (default margin; from homes rounded to a
/// grid of `publish_grid_m` metres when publishing, as the published map):
/// `None` without an assignment.
pub fn district_compactness(compared: &Compared, publish_grid_m: Option<f64>) -> Option<super::CompactnessSummary> {
    let placed = compared.evaluation.placed_school_of(compared.instance.pupils.len());
    let options = DistrictOptions {
        publish_grid_m,
        ..DistrictOptions::default()
    };
    let map = district_map(&compared.instance, &placed, &options)?;
    super::compactness_summary(&super::district_shapes(&compared.instance, &map))
}

/// Per-school differences from `base` to `other`; `None` when either has no assignment.
pub fn differences(base: &Compared, other: &Compared) -> Option<Vec<SchoolDifference>> {
    Some(school_differences(
        &base.label,
        base.evaluation.school_rows.as_deref()?,
        &other.label,
        other.evaluation.school_rows.as_deref()?,
    ))
}

fn display(path: &Path) -> String {
    path.display().to_string()
}

#[cfg(test)]
mod tests {
    use super::labels;
    use std::path::PathBuf;

    #[test]
    fn labels_are_short_and_unique() {
        let paths: Vec<PathBuf> = ["s/a.toml", "s/b.toml", "x/scenario.toml", "y/scenario.toml", "y/scenario.toml"]
            .iter()
            .map(PathBuf::from)
            .collect();
        assert_eq!(labels(&paths), vec!["a", "b", "x/scenario", "y/scenario", "y/scenario#2"]);
    }
}
