//! The report of an existing result (`catchment report OUTDIR`): the
//! scenario named in `OUTDIR/summary.json` is loaded, every input must still
//! have the SHA-256 the summary recorded, and the figures are recomputed by
//! the independent checker from `OUTDIR/assignments.csv` (and the classes of
//! `OUTDIR/schools.csv`).

use super::html::ReportData;
use super::{DistanceStats, Provenance, school_rows};
use crate::input::{InputError, InputKind, read_assignments, read_declared_classes, read_input};
use crate::model::{Instance, SourceFile};
use crate::scenario::load_scenario_without_districts_cached;
use std::collections::HashMap;
use std::path::{Path, PathBuf};

/// Why the report of a result cannot be made.
#[derive(Debug, thiserror::Error)]
pub enum ResultReportError {
    /// A file of the result or of its scenario could not be read.
    #[error(transparent)]
    Input(#[from] InputError),
    /// `summary.json` is not a summary this tool wrote.
    #[error("{path}: {problem}; give the folder a `catchment solve -o` wrote")]
    Summary {
        /// The summary file.
        path: PathBuf,
        /// What is wrong.
        problem: String,
    },
    /// An input changed since the result was written.
    #[error(
        "{path}: changed since the result was written (SHA-256 {recorded} in summary.json, now {now}); run `catchment solve` again for a report of these inputs"
    )]
    InputChanged {
        /// The input.
        path: PathBuf,
        /// SHA-256 the summary recorded.
        recorded: String,
        /// SHA-256 now.
        now: String,
    },
    /// The result has no assignment.
    #[error("{path}: the result has no assignment (status {status}); there is nothing to draw")]
    NoAssignment {
        /// The summary file.
        path: PathBuf,
        /// Its status.
        status: String,
    },
}

/// What `summary.json` says about where the result came from.
struct Recorded {
    status: String,
    gap: Option<f64>,
    provenance: Provenance,
}

fn read_summary(path: &Path) -> Result<Recorded, ResultReportError> {
    let bytes = read_input(path, InputKind::GeoJson)?.bytes;
    let bad = |problem: &str| ResultReportError::Summary {
        path: path.to_path_buf(),
        problem: problem.to_string(),
    };
    let json: serde_json::Value = serde_json::from_slice(&bytes).map_err(|e| bad(&format!("not JSON ({e})")))?;
    let text = |v: &serde_json::Value| v.as_str().map(str::to_string);
    let provenance = &json["provenance"];
    let inputs = provenance["inputs"]
        .as_array()
        .ok_or_else(|| bad("no provenance.inputs"))?
        .iter()
        .map(|i| match (text(&i["path"]), text(&i["sha256"])) {
            (Some(p), Some(sha256)) => Ok(SourceFile {
                path: PathBuf::from(p),
                sha256,
            }),
            _ => Err(bad("an input without path or sha256")),
        })
        .collect::<Result<Vec<_>, _>>()?;
    Ok(Recorded {
        status: text(&json["status"]).ok_or_else(|| bad("no status"))?,
        gap: json["gap"].as_f64(),
        provenance: Provenance {
            tool_version: text(&provenance["tool_version"]).unwrap_or_default(),
            highs_version: text(&provenance["highs_version"]).unwrap_or_default(),
            inputs,
        },
    })
}

/// Every input the scenario reads now has the SHA-256 the summary recorded.
fn check_unchanged(instance: &Instance, recorded: &[SourceFile]) -> Result<(), ResultReportError> {
    for source in &instance.sources {
        if let Some(then) = recorded.iter().find(|r| r.path == source.path)
            && then.sha256 != source.sha256
        {
            return Err(ResultReportError::InputChanged {
                path: source.path.clone(),
                recorded: then.sha256.clone(),
                now: source.sha256.clone(),
            });
        }
    }
    Ok(())
}

/// Way figures of the placed pupils.
fn placed_distances(instance: &Instance, placed: &[Option<usize>]) -> Option<DistanceStats> {
    let pupils: Vec<usize> = (0..placed.len()).filter(|&p| placed[p].is_some()).collect();
    (!pupils.is_empty()).then(|| {
        let sub = Instance {
            pupils: pupils.iter().map(|&p| instance.pupils[p].clone()).collect(),
            ..instance.clone()
        };
        let school_of: Vec<usize> = pupils.iter().map(|&p| placed[p].expect("placed")).collect();
        DistanceStats::of(&sub, &school_of)
    })
}

/// The instance and the report data of the result in `outdir`.
pub fn result_report_data(outdir: &Path) -> Result<(Instance, ReportData), ResultReportError> {
    let summary_path = outdir.join("summary.json");
    let recorded = read_summary(&summary_path)?;
    let scenario_path = recorded
        .provenance
        .inputs
        .first()
        .map(|s| s.path.clone())
        .ok_or_else(|| ResultReportError::Summary {
            path: summary_path.clone(),
            problem: "no scenario among the inputs".into(),
        })?;
    // The walk graph, snaps and ways from the result's distance cache when
    // a file matches (never written here); the checker recomputes the
    // assigned pupils' ways on that graph with its own shortest paths.
    let cache = crate::scenario::WayCache::read_only(outdir);
    let scenario = load_scenario_without_districts_cached(&scenario_path, &cache)?;
    let background = super::map_background::map_background(scenario.osm.as_deref())?;
    let instance = scenario.instance;
    check_unchanged(&instance, &recorded.provenance.inputs)?;
    let assignments = outdir.join("assignments.csv");
    if !assignments.exists() {
        return Err(ResultReportError::NoAssignment {
            path: summary_path,
            status: recorded.status,
        });
    }
    let (rows, _) = read_assignments(&assignments, &scenario.dialect)?;
    let (declared, _) = read_declared_classes(&outdir.join("schools.csv"), &scenario.dialect, &instance)?;
    let report = crate::audit::check(&instance, &rows, Some(&declared));
    let index: HashMap<&str, usize> = instance.schools.iter().enumerate().map(|(i, s)| (s.id.as_str(), i)).collect();
    let school_of_pupil: HashMap<&str, usize> = rows
        .iter()
        .filter_map(|r| index.get(r.school_id.as_str()).map(|&s| (r.pupil_id.as_str(), s)))
        .collect();
    let placed: Vec<Option<usize>> = instance
        .pupils
        .iter()
        .map(|p| school_of_pupil.get(p.id.as_str()).copied())
        .collect();
    let data = ReportData {
        status: recorded.status,
        gap: recorded.gap,
        distances: placed_distances(&instance, &placed),
        school_rows: Some(school_rows(&instance, &report.schools)),
        placed,
        violations: report.violations.len(),
        provenance: recorded.provenance,
        withheld_schools: Vec::new(),
        background,
    };
    Ok((instance, data))
}
