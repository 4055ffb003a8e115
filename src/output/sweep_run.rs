//! Running a sweep (see [`crate::scenario::sweep`]): every grid point solved
//! in parallel (at most `jobs` at once) into its own folder `DIR/<label>/`
//! with the files `solve -o` writes, then the completeness marker
//! [`SWEEP_MARKER`] written last, atomically. A point whose folder already
//! holds a marker for the same settings and the same inputs is not solved
//! again: an interrupted sweep resumes. The table (`sweep.csv` and the text
//! on stdout) is read back from each point's `summary.json`, so a resumed
//! sweep gives the same table byte for byte.

use super::{
    OfficeOptions, OutputDir, OutputError, OutputKind, Privacy, csv_bytes, evaluation_files, recover_output_dir, with_office,
    write_atomically,
};
use crate::report::evaluate_scenario;
use crate::scenario::EvaluateError;
use crate::scenario::LoadedScenario;
use crate::scenario::sweep::{GridPoint, SweepAxis, SweepError, point_instance};
use rayon::prelude::*;
use serde::Serialize;
use std::path::{Path, PathBuf};

/// The completeness marker of a grid point's folder, written after its set.
pub const SWEEP_MARKER: &str = "sweep-point.json";

/// The sweep's table file in DIR.
pub const SWEEP_CSV: &str = "sweep.csv";

/// What can stop a sweep.
#[derive(Debug, thiserror::Error)]
pub enum SweepRunError {
    /// A setting that does not apply (checked before, so only on a race).
    #[error(transparent)]
    Setting(#[from] SweepError),
    /// Writing a folder or file.
    #[error("{0}")]
    Output(#[source] OutputError),
    /// Solving one grid point.
    #[error("grid point {label}: {source}")]
    Solve {
        /// The point's label.
        label: String,
        /// The error.
        #[source]
        source: EvaluateError,
    },
    /// The worker pool could not be started.
    #[error("cannot start {jobs} workers: {reason}")]
    Workers {
        /// Workers asked for.
        jobs: usize,
        /// Why not.
        reason: String,
    },
}

impl From<OutputError> for SweepRunError {
    fn from(e: OutputError) -> Self {
        SweepRunError::Output(e)
    }
}

/// What the marker records: the point and the inputs it was solved from.
#[derive(Serialize)]
struct Marker<'a> {
    label: &'a str,
    settings: &'a [(String, String)],
    inputs: Vec<&'a str>,
    catchment: &'static str,
}

/// One grid point after the sweep.
#[derive(Debug, Clone)]
pub struct PointResult {
    /// The point.
    pub point: GridPoint,
    /// Its folder.
    pub folder: PathBuf,
    /// Whether it was already complete and not solved again.
    pub skipped: bool,
    /// Its `summary.json`, as written.
    pub summary: serde_json::Value,
}

/// The marker bytes of `point` for the scenario `base`.
fn marker_bytes(base: &LoadedScenario, point: &GridPoint) -> Vec<u8> {
    let marker = Marker {
        label: &point.label,
        settings: &point.settings,
        inputs: base.instance.sources.iter().map(|s| s.sha256.as_str()).collect(),
        catchment: env!("CARGO_PKG_VERSION"),
    };
    let mut bytes = serde_json::to_vec_pretty(&marker).unwrap_or_default();
    bytes.push(b'\n');
    bytes
}

/// Solves every grid point not yet complete under `dir`, `jobs` at a time;
/// `done(label, skipped)` is called as each finishes. Results in grid order.
pub fn run_sweep(
    base: &LoadedScenario,
    axes: &[SweepAxis],
    points: &[GridPoint],
    dir: &Path,
    jobs: usize,
    done: impl Fn(&str, bool) + Sync,
) -> Result<Vec<PointResult>, SweepRunError> {
    std::fs::create_dir_all(dir).map_err(|reason| OutputError::Io {
        path: dir.to_path_buf(),
        reason,
    })?;
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(jobs.max(1))
        .build()
        .map_err(|e| SweepRunError::Workers {
            jobs,
            reason: e.to_string(),
        })?;
    pool.install(|| {
        points
            .par_iter()
            .map(|point| {
                let result = run_point(base, axes, point, dir)?;
                done(&point.label, result.skipped);
                Ok(result)
            })
            .collect()
    })
}

/// One grid point: skipped when its marker matches, else solved and written, marker last.
fn run_point(base: &LoadedScenario, axes: &[SweepAxis], point: &GridPoint, dir: &Path) -> Result<PointResult, SweepRunError> {
    let folder = dir.join(&point.label);
    let marker = marker_bytes(base, point);
    let complete = std::fs::read(folder.join(SWEEP_MARKER)).is_ok_and(|b| b == marker);
    let summary_path = folder.join("summary.json");
    let existing = if complete { read_summary(&summary_path) } else { None };
    if let Some(summary) = existing {
        return Ok(PointResult {
            point: point.clone(),
            folder,
            skipped: true,
            summary,
        });
    }
    recover_output_dir(&folder)?;
    let scenario = LoadedScenario {
        instance: point_instance(&base.instance, axes, point)?,
        ..base.clone()
    };
    let output = OutputDir::create(&folder, &scenario.instance.sources)?;
    let stale_marker = output.file(SWEEP_MARKER)?;
    if stale_marker.exists() {
        std::fs::remove_file(&stale_marker).map_err(|reason| OutputError::Io {
            path: stale_marker.clone(),
            reason,
        })?;
    }
    let evaluation = evaluate_scenario(&scenario).map_err(|source| SweepRunError::Solve {
        label: point.label.clone(),
        source,
    })?;
    let office = OfficeOptions {
        dialect: scenario.output.dialect,
        xlsx: false,
    };
    let files = with_office(evaluation_files(&scenario.instance, &evaluation, None)?, office)?;
    output.replace_set(OutputKind::Solve, &files)?;
    write_atomically(&stale_marker, &marker, Privacy::Shared)?;
    let summary = read_summary(&summary_path).ok_or_else(|| OutputError::Io {
        path: summary_path.clone(),
        reason: std::io::Error::other("summary.json not readable after writing it"),
    })?;
    Ok(PointResult {
        point: point.clone(),
        folder,
        skipped: false,
        summary,
    })
}

fn read_summary(path: &Path) -> Option<serde_json::Value> {
    serde_json::from_slice(&std::fs::read(path).ok()?).ok()
}

/// The table's header: the swept keys, then the figures.
pub fn sweep_header(axes: &[SweepAxis]) -> Vec<String> {
    let mut header: Vec<String> = axes.iter().map(|a| a.key.clone()).collect();
    header.extend(
        [
            "status",
            "objective_m",
            "total_way_m",
            "mean_way_m",
            "pupils",
            "classes",
            "schools_reduced",
            "dissimilarity",
            "max_share_deviation",
            "moved",
            "violations",
        ]
        .map(String::from),
    );
    header
}

/// One table row of a grid point, from its `summary.json` ("-" where it has no figure).
pub fn sweep_row(result: &PointResult) -> Vec<String> {
    let s = &result.summary;
    let number = |v: &serde_json::Value, decimals: usize| v.as_f64().map_or("-".to_string(), |x| format!("{x:.decimals$}"));
    let count = |v: &serde_json::Value| v.as_u64().map_or("-".to_string(), |x| x.to_string());
    let mut row: Vec<String> = result.point.settings.iter().map(|(_, v)| v.clone()).collect();
    row.extend([
        s["status"].as_str().unwrap_or("-").to_string(),
        number(&s["objective_m"], 1),
        number(&s["distances"]["total_m"], 1),
        number(&s["distances"]["mean_m"], 1),
        count(&s["pupils"]),
        count(&s["classes_opened"]),
        count(&s["schools_reduced"]),
        number(&s["segregation"]["dissimilarity"], 4),
        number(&s["segregation"]["max_share_deviation"], 4),
        count(&s["moved_against_baseline"]),
        s["violations"].as_array().map_or("-".to_string(), |v| v.len().to_string()),
    ]);
    row
}

/// The table as text: columns padded to their widest cell, numbers right-aligned.
pub fn sweep_text(axes: &[SweepAxis], results: &[PointResult]) -> String {
    let mut rows = vec![sweep_header(axes)];
    rows.extend(results.iter().map(sweep_row));
    let widths: Vec<usize> = (0..rows[0].len())
        .map(|c| rows.iter().map(|r| r[c].chars().count()).max().unwrap_or(0))
        .collect();
    let mut text = String::new();
    for row in &rows {
        let cells: Vec<String> = row
            .iter()
            .zip(&widths)
            .enumerate()
            .map(|(c, (cell, &w))| {
                if c < axes.len() || c == axes.len() {
                    format!("{cell:<w$}")
                } else {
                    format!("{cell:>w$}")
                }
            })
            .collect();
        text.push_str(cells.join("  ").trim_end());
        text.push('\n');
    }
    text
}

/// Writes `DIR/sweep.csv` (one row per grid point, in grid order) atomically; returns its path.
pub fn write_sweep_csv(
    dir: &Path,
    axes: &[SweepAxis],
    results: &[PointResult],
    inputs: &[crate::model::SourceFile],
) -> Result<PathBuf, OutputError> {
    let path = OutputDir::create(dir, inputs)?.file(SWEEP_CSV)?;
    let mut rows = vec![sweep_header(axes)];
    rows.extend(results.iter().map(sweep_row));
    write_atomically(&path, &csv_bytes(rows, SWEEP_CSV)?, Privacy::Shared)?;
    Ok(path)
}
