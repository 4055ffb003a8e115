//! The walking-distance cache of a run: files `ways-<key>.bin` in the
//! folder [`CACHE_FOLDER`] of the output folder, and the ways already made
//! in this run (the scenarios of one `compare` that share the OSM extract,
//! the homes and the schools share one [`LazyWalkingWays`], so each way is
//! computed once).
//!
//! The key ([`crate::geometry::cache_key`]) is the SHA-256 of the walk
//! graph's rules version, the OSM extract's SHA-256, `max_snap_m` and the
//! coordinates of every pupil and school. This module finds and reads; the
//! output layer writes (`crate::output::store_way_cache`) after the run.

use crate::geometry::{LazyWalkingWays, decode_cache, key_hex};
use crate::model::Instance;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

/// The cache's folder inside the output folder.
pub const CACHE_FOLDER: &str = "catchment-cache";

/// One set of ways made or read in this run.
#[derive(Debug, Clone)]
pub struct CachedWays {
    /// The cache key.
    pub key: [u8; 32],
    /// The graph, snaps and ways.
    pub ways: Arc<LazyWalkingWays>,
    /// Whether they were read from a file of the cache.
    pub from_file: bool,
}

/// Where a run keeps its walking ways.
#[derive(Debug, Default)]
pub struct WayCache {
    folder: Option<PathBuf>,
    /// Whether the run writes its ways into the folder (`solve`, `compare`),
    /// or only reads a file that matches (`audit`, `report`).
    writes: bool,
    made: Mutex<Vec<CachedWays>>,
}

impl WayCache {
    /// No cache files (`--no-cache`, or a library caller): ways are still
    /// shared between the scenarios of the run.
    pub fn off() -> Self {
        Self::default()
    }

    /// Cache files in `output/catchment-cache/`.
    pub fn beside(output: &Path) -> Self {
        Self {
            folder: Some(output.join(CACHE_FOLDER)),
            writes: true,
            made: Mutex::default(),
        }
    }

    /// The cache files in `output/catchment-cache/`, read when one matches
    /// and never written (`audit`, `report`: they check or show a result,
    /// they do not make one).
    pub fn read_only(output: &Path) -> Self {
        Self {
            folder: Some(output.join(CACHE_FOLDER)),
            writes: false,
            made: Mutex::default(),
        }
    }

    /// Whether the run writes its ways into the cache folder.
    pub fn writes(&self) -> bool {
        self.writes && self.folder.is_some()
    }

    /// The cache folder (`None`: off).
    pub fn folder(&self) -> Option<&Path> {
        self.folder.as_deref()
    }

    /// The file of a key (`None`: off).
    pub fn file(&self, key: &[u8; 32]) -> Option<PathBuf> {
        self.folder.as_ref().map(|f| f.join(format!("ways-{}.bin", key_hex(key))))
    }

    /// The ways made or read in this run under `key`.
    pub fn shared(&self, key: &[u8; 32]) -> Option<Arc<LazyWalkingWays>> {
        let made = self.made.lock().unwrap_or_else(|e| e.into_inner());
        made.iter().find(|c| &c.key == key).map(|c| c.ways.clone())
    }

    /// The ways of the cache file of `key`: `Ok(None)` when off or there is
    /// no such file; `Err((file, why))` when the file cannot be read or is refused.
    pub fn read(&self, key: &[u8; 32], instance: &Instance) -> Result<Option<LazyWalkingWays>, (PathBuf, String)> {
        let Some(file) = self.file(key) else { return Ok(None) };
        let bytes = match std::fs::read(&file) {
            Ok(bytes) => bytes,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(e) => return Err((file, format!("it cannot be read ({e})"))),
        };
        decode_cache(&bytes, key, instance).map(Some).map_err(|why| (file, why))
    }

    /// Keeps ways made or read in this run, for later scenarios and for writing.
    pub fn remember(&self, key: [u8; 32], ways: Arc<LazyWalkingWays>, from_file: bool) {
        let mut made = self.made.lock().unwrap_or_else(|e| e.into_inner());
        made.push(CachedWays { key, ways, from_file });
    }

    /// Everything made or read in this run.
    pub fn entries(&self) -> Vec<CachedWays> {
        self.made.lock().unwrap_or_else(|e| e.into_inner()).clone()
    }
}
