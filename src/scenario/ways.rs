//! The distances of a scenario's metric, attached to its instance once it
//! is loaded (after every change: a school opened by a change has its ways).
//!
//! - `haversine`: nothing to read;
//! - `matrix`: the CSV read once; every way at least `f` times the line,
//!   with `f` the smallest ratio found (see [`crate::model::Ways`]);
//! - `walking`: the OSM extract read once (and hashed); its walk graph,
//!   the snaps and the ways known so far taken from the run's
//!   [`WayCache`] when it holds them, else the graph built and every home
//!   and school snapped. Ways are computed on demand, one bounded search
//!   per school ([`LazyWalkingWays`]).

use super::way_cache::WayCache;
use crate::geometry::{LazyWalkingWays, WalkGraph, cache_key, far_snaps, snap_instance};
use crate::input::osm::parse_osm;
use crate::input::source::{InputFiles, InputKind};
use crate::input::{DistanceSettings, InputDialect, InputError, InputWarning, parse_way_matrix};
use crate::model::{CacheStatus, Instance, Metric, WalkData, WayTable, Ways};
use std::path::Path;
use std::sync::Arc;

/// Most arcs (pupils x schools) a `walking` or `matrix` table may hold:
/// 100 million (800 MB of distances). A larger region is split into towns.
pub const MAX_TABLE_ARCS: usize = 100_000_000;

/// Reads the metric's file and sets `instance.ways`; warnings for homes and
/// schools far from the street network (and for a cache file refused).
pub fn attach_ways(
    instance: &mut Instance,
    settings: &DistanceSettings,
    dialect: &InputDialect,
    files: &mut InputFiles,
    cache: &WayCache,
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
                lazy: None,
                cache: CacheStatus::Off,
            };
            Ok(())
        }
        Metric::Walking => {
            let path = settings.osm.as_deref().expect("checked: walking has its file");
            let input = files.read(path, InputKind::Osm)?;
            let key = cache_key(&input.source.sha256, settings.max_snap_m, instance);
            instance.sources.push(input.source);
            if let Some(ways) = cached_ways(instance, &key, cache, warnings) {
                warn_far_snaps(instance, ways.walk(), path, settings.max_snap_m, warnings);
                set_walking(instance, ways, CacheStatus::Hit);
                return Ok(());
            }
            let osm = parse_osm(&input.bytes, path)?;
            let ways = walking_on(instance, &WalkGraph::build(&osm), path, settings.max_snap_m, warnings)?;
            cache.remember(key, ways.clone(), false);
            let status = if cache.writes() { CacheStatus::Miss } else { CacheStatus::Off };
            set_walking(instance, ways, status);
            Ok(())
        }
    }
}

/// The ways of `key` made earlier in this run or read from the cache file
/// (a file refused is warned about and left to be rewritten).
fn cached_ways(instance: &Instance, key: &[u8; 32], cache: &WayCache, warnings: &mut Vec<InputWarning>) -> Option<Arc<LazyWalkingWays>> {
    if let Some(ways) = cache.shared(key) {
        return Some(ways);
    }
    match cache.read(key, instance) {
        Ok(Some(ways)) => {
            let ways = Arc::new(ways);
            cache.remember(*key, ways.clone(), true);
            Some(ways)
        }
        Ok(None) => None,
        Err((file, why)) => {
            warnings.push(InputWarning {
                path: file,
                message: match cache.writes() {
                    true => format!("the walking-distance cache file is not used: {why}; the ways are computed from the OSM extract and the file is written anew"),
                    false => format!("the walking-distance cache file is not used: {why}; the walk graph is built from the OSM extract (the file is left as it is)"),
                },
            });
            None
        }
    }
}

/// Sets the instance's ways to `ways`.
fn set_walking(instance: &mut Instance, ways: Arc<LazyWalkingWays>, cache: CacheStatus) {
    instance.ways = Ways {
        metric: Metric::Walking,
        table: None,
        walk: Some(ways.walk().clone()),
        lazy: Some(ways),
        cache,
        straight_factor: 1.0,
    };
}

/// Snaps the instance onto `graph`; its walking ways are computed on demand.
pub fn attach_walking(
    instance: &mut Instance,
    graph: &WalkGraph,
    osm_path: &Path,
    max_snap_m: f64,
    warnings: &mut Vec<InputWarning>,
) -> Result<(), InputError> {
    let ways = walking_on(instance, graph, osm_path, max_snap_m, warnings)?;
    set_walking(instance, ways, CacheStatus::Off);
    Ok(())
}

/// The instance snapped onto `graph`, no way computed yet.
fn walking_on(
    instance: &Instance,
    graph: &WalkGraph,
    osm_path: &Path,
    max_snap_m: f64,
    warnings: &mut Vec<InputWarning>,
) -> Result<Arc<LazyWalkingWays>, InputError> {
    if graph.network.edge_target.is_empty() {
        return Err(InputError::Osm {
            path: osm_path.to_path_buf(),
            line: None,
            message: "the extract holds no walkable way (see the README: which highways are walked); give an extract of the city's streets"
                .into(),
        });
    }
    let walk = Arc::new(snap_instance(graph, instance));
    warn_far_snaps(instance, &walk, osm_path, max_snap_m, warnings);
    Ok(Arc::new(LazyWalkingWays::new(walk, instance)))
}

/// A warning listing the homes and schools further than `max_snap_m` from the graph.
fn warn_far_snaps(instance: &Instance, walk: &WalkData, osm_path: &Path, max_snap_m: f64, warnings: &mut Vec<InputWarning>) {
    let far = far_snaps(instance, walk, max_snap_m);
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
