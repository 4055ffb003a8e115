//! Table `[distance]` of a scenario: which distance is the way to school.
//!
//! ```toml
//! [distance]
//! metric = "walking"         # "haversine" (default) | "walking" | "matrix"
//! osm = "city.osm.pbf"       # walking: an OSM extract (.osm.pbf, .osm, .osm.gz)
//! # matrix = "distances.csv" # matrix: pupil_id (or unit_id), school_id, distance_m
//! max_snap_m = 500           # legs to the street network longer than this are warned about
//! ```
//!
//! Paths are relative to the scenario file that writes them; a scenario
//! overrides its base's keys one by one.

use crate::model::{DEFAULT_MAX_SNAP_M, Metric, SettingProblem};
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};

/// Table `[distance]` as written.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DistanceTable {
    /// `haversine`, `walking` or `matrix`.
    #[serde(default)]
    pub metric: Option<Metric>,
    /// The OSM extract for `walking`.
    #[serde(default)]
    pub osm: Option<PathBuf>,
    /// The distance matrix for `matrix`.
    #[serde(default)]
    pub matrix: Option<PathBuf>,
    /// Snap legs longer than this are listed as warnings (metres).
    #[serde(default)]
    pub max_snap_m: Option<f64>,
}

/// The distance settings in force, paths resolved against the files that wrote them.
#[derive(Debug, Clone, PartialEq)]
pub struct DistanceSettings {
    /// The metric.
    pub metric: Metric,
    /// The OSM extract (walking).
    pub osm: Option<PathBuf>,
    /// The distance matrix (matrix).
    pub matrix: Option<PathBuf>,
    /// Snap legs longer than this are listed as warnings (metres, default 500).
    pub max_snap_m: f64,
}

impl Default for DistanceSettings {
    fn default() -> Self {
        Self {
            metric: Metric::Haversine,
            osm: None,
            matrix: None,
            max_snap_m: DEFAULT_MAX_SNAP_M,
        }
    }
}

impl DistanceSettings {
    /// Overlays the keys a scenario file at `path` writes; returns the names of the keys written.
    pub fn overlay(&mut self, table: &DistanceTable, path: &Path) -> Vec<&'static str> {
        let folder = path.parent().unwrap_or(Path::new("."));
        let mut written = Vec::new();
        if let Some(metric) = table.metric {
            self.metric = metric;
            written.push("metric");
        }
        if let Some(osm) = &table.osm {
            self.osm = Some(folder.join(osm));
            written.push("osm");
        }
        if let Some(matrix) = &table.matrix {
            self.matrix = Some(folder.join(matrix));
            written.push("matrix");
        }
        if let Some(m) = table.max_snap_m {
            self.max_snap_m = m;
            written.push("max_snap_m");
        }
        written
    }

    /// Checks that the metric has its file and the numbers are in range.
    pub fn check(&self) -> Result<(), SettingProblem> {
        if !(self.max_snap_m.is_finite() && self.max_snap_m > 0.0) {
            return Err(SettingProblem {
                keys: vec!["max_snap_m"],
                message: format!("max_snap_m = {} must be a positive number of metres", self.max_snap_m),
            });
        }
        match self.metric {
            Metric::Walking if self.osm.is_none() => Err(SettingProblem {
                keys: vec!["metric"],
                message: "metric = \"walking\" needs an OpenStreetMap extract; add osm = \"FILE.osm.pbf\" (or .osm, .osm.gz) to [distance]".into(),
            }),
            Metric::Matrix if self.matrix.is_none() => Err(SettingProblem {
                keys: vec!["metric"],
                message: "metric = \"matrix\" needs a distance matrix; add matrix = \"FILE.csv\" (pupil_id or unit_id, school_id, distance_m) to [distance]".into(),
            }),
            _ => Ok(()),
        }
    }
}
