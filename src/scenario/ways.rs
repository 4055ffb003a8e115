//! The distances of a scenario's metric, attached to its instance once it
//! is loaded (after every change: a school opened by a change has its ways).
//!
//! - `haversine`: nothing to read;
//! - `matrix`: the CSV read once; every way at least `f` times the line,
//!   with `f` the smallest ratio found (see [`crate::model::Ways`]);
//! - `walking`: the OSM extract read once, its walk graph built, every home
//!   and school snapped, and one Dijkstra per school.

use crate::geometry::{WalkGraph, far_snaps, snap_instance, walking_table};
use crate::input::osm::parse_osm;
use crate::input::source::{InputFiles, InputKind};
use crate::input::{DistanceSettings, InputDialect, InputError, InputWarning, parse_way_matrix};
use crate::model::{Instance, Metric, WayTable, Ways};
use std::path::Path;
use std::sync::Arc;

/// Most arcs (pupils x schools) a `walking` or `matrix` table may hold:
/// 100 million (800 MB of distances). A larger region is split into towns.
pub const MAX_TABLE_ARCS: usize = 100_000_000;

/// Reads the metric's file and sets `instance.ways`; warnings for homes and
/// schools far from the street network.
pub fn attach_ways(
    instance: &mut Instance,
    settings: &DistanceSettings,
    dialect: &InputDialect,
    files: &mut InputFiles,
    warnings: &mut Vec<InputWarning>,
) -> Result<(), InputError> {
    let arcs = instance.pupils.len().saturating_mul(instance.schools.len());
    if settings.metric != Metric::Haversine && arcs > MAX_TABLE_ARCS {
        let file = settings.osm.as_ref().or(settings.matrix.as_ref()).cloned().unwrap_or_default();
        return Err(InputError::Osm {
            path: file,
            line: None,
            message: format!(
                "{} pupils x {} schools = {arcs} ways is more than the {MAX_TABLE_ARCS} a {} table may hold; solve the region town by town (one scenario each)",
                instance.pupils.len(),
                instance.schools.len(),
                settings.metric.name()
            ),
        });
    }
    match settings.metric {
        Metric::Haversine => Ok(()),
        Metric::Matrix => {
            let path = settings.matrix.as_deref().expect("checked: matrix has its file");
            let input = files.read(path, InputKind::Csv)?;
            let table = parse_way_matrix(&input.bytes, path, dialect, instance)?;
            instance.sources.push(input.source);
            instance.ways = Ways {
                metric: Metric::Matrix,
                straight_factor: straight_factor(instance, &table),
                table: Some(Arc::new(table)),
                walk: None,
            };
            Ok(())
        }
        Metric::Walking => {
            let path = settings.osm.as_deref().expect("checked: walking has its file");
            let input = files.read(path, InputKind::Osm)?;
            let osm = parse_osm(&input.bytes, path)?;
            instance.sources.push(input.source);
            attach_walking(instance, &WalkGraph::build(&osm), path, settings.max_snap_m, warnings)
        }
    }
}

/// Snaps the instance onto `graph` and computes its walking ways.
pub fn attach_walking(
    instance: &mut Instance,
    graph: &WalkGraph,
    osm_path: &Path,
    max_snap_m: f64,
    warnings: &mut Vec<InputWarning>,
) -> Result<(), InputError> {
    if graph.network.edge_target.is_empty() {
        return Err(InputError::Osm {
            path: osm_path.to_path_buf(),
            line: None,
            message: "the extract holds no walkable way (see the README: which highways are walked); give an extract of the city's streets"
                .into(),
        });
    }
    let walk = snap_instance(graph, instance);
    let far = far_snaps(instance, &walk, max_snap_m);
    if !far.is_empty() {
        let listed: Vec<String> = far
            .iter()
            .take(20)
            .map(|f| format!("{} `{}` {:.0} m", f.what, f.id, f.leg_m))
            .collect();
        warnings.push(InputWarning {
            path: osm_path.to_path_buf(),
            message: format!(
                "{} homes or schools are more than max_snap_m = {max_snap_m} m from the nearest walkable street (their way starts with a straight leg that long): {}{}; check their coordinates or the extract's extent",
                far.len(),
                listed.join(", "),
                if far.len() > 20 { ", ..." } else { "" }
            ),
        });
    }
    let table = walking_table(instance, &walk);
    instance.ways = Ways {
        metric: Metric::Walking,
        table: Some(Arc::new(table)),
        walk: Some(Arc::new(walk)),
        straight_factor: 1.0,
    };
    Ok(())
}

/// The smallest ratio of a listed way to its great-circle line (at most 1;
/// 0 when a way of 0 m spans a positive line).
fn straight_factor(instance: &Instance, table: &WayTable) -> f64 {
    let mut factor: f64 = 1.0;
    for (p, pupil) in instance.pupils.iter().enumerate() {
        for (s, school) in instance.schools.iter().enumerate() {
            if let Some(way) = table.get(&pupil.id, &school.id) {
                let line = instance.straight_m(p, s);
                if line > 0.0 {
                    factor = factor.min(way / line);
                }
            }
        }
    }
    factor.clamp(0.0, 1.0)
}
