//! The bytes of a walking-distance cache file: the walk graph, the snaps of
//! every home and school and the ways known so far ([`LazyWalkingWays`]),
//! behind a header with the cache key and followed by the SHA-256 of all
//! bytes before it. A file whose checksum, header or key does not match,
//! or whose numbers do not fit together, is refused (never trusted).
//!
//! Layout (little endian): `MAGIC`, version (u32), key (32 bytes); nodes
//! (u64 count, then lat, lon as f64 each); `first_edge` (u64 count, u32
//! each); `edge_target` (u64 count, u32 each); `edge_m` (f64 each, as many
//! as targets); snaps (u64 count, then lat bits, lon bits as u64, from, to
//! as u32, from_m, to_m, leg_m, point lat, point lon as f64); columns (u64
//! count, u64 rows, then per column the radius and one f64 per row); the
//! SHA-256 of everything before (32 bytes).

use super::walk_lazy::{LazyWalkingWays, WalkColumn};
use crate::model::{Instance, Location, Snap, WalkData, WalkNetwork};
use sha2::{Digest, Sha256};
use std::collections::HashMap;
use std::sync::Arc;

/// The first bytes of a cache file.
pub const MAGIC: &[u8; 21] = b"catchment-ways-cache\n";

/// Version of the file layout and of the walk graph's rules (which ways are
/// walked, the component kept, snapping, the way's legs): a file of another
/// version is not read. Raise it whenever any of these changes.
pub const WALK_CACHE_VERSION: u32 = 1;

/// The SHA-256 that names a cache file: of the rules version, the OSM
/// extract's SHA-256, the distance parameters and the coordinates of every
/// pupil and school in order.
pub fn cache_key(osm_sha256: &str, max_snap_m: f64, instance: &Instance) -> [u8; 32] {
    let mut hash = Sha256::new();
    hash.update(MAGIC);
    hash.update(WALK_CACHE_VERSION.to_le_bytes());
    hash.update(osm_sha256.as_bytes());
    hash.update(max_snap_m.to_bits().to_le_bytes());
    for location in instance
        .pupils
        .iter()
        .map(|p| p.location)
        .chain(instance.schools.iter().map(|s| s.location))
    {
        hash.update(location.lat().to_bits().to_le_bytes());
        hash.update(location.lon().to_bits().to_le_bytes());
    }
    hash.update((instance.pupils.len() as u64).to_le_bytes());
    hash.finalize().into()
}

/// Lowercase hex of a key (the file is `ways-<hex>.bin`).
pub fn key_hex(key: &[u8; 32]) -> String {
    key.iter().map(|b| format!("{b:02x}")).collect()
}

/// The bytes of a cache file holding `ways` under `key`.
pub fn encode_cache(key: &[u8; 32], ways: &LazyWalkingWays) -> Vec<u8> {
    let network = &ways.walk().network;
    let mut out = Vec::with_capacity(64 + network.nodes.len() * 20 + network.edge_target.len() * 12);
    out.extend_from_slice(MAGIC);
    out.extend_from_slice(&WALK_CACHE_VERSION.to_le_bytes());
    out.extend_from_slice(key);
    put_u64(&mut out, network.nodes.len() as u64);
    for node in &network.nodes {
        put_f64(&mut out, node.lat());
        put_f64(&mut out, node.lon());
    }
    for list in [&network.first_edge, &network.edge_target] {
        put_u64(&mut out, list.len() as u64);
        list.iter().for_each(|v| out.extend_from_slice(&v.to_le_bytes()));
    }
    network.edge_m.iter().for_each(|&m| put_f64(&mut out, m));
    let mut snaps: Vec<_> = ways.walk().snaps.iter().collect();
    snaps.sort_by_key(|(k, _)| **k);
    put_u64(&mut out, snaps.len() as u64);
    for (&(lat, lon), snap) in snaps {
        put_u64(&mut out, lat);
        put_u64(&mut out, lon);
        out.extend_from_slice(&snap.from.to_le_bytes());
        out.extend_from_slice(&snap.to.to_le_bytes());
        for v in [snap.from_m, snap.to_m, snap.leg_m, snap.point.lat(), snap.point.lon()] {
            put_f64(&mut out, v);
        }
    }
    let columns = ways.columns();
    put_u64(&mut out, columns.len() as u64);
    put_u64(&mut out, ways.homes().len() as u64);
    for column in &columns {
        put_f64(&mut out, column.radius_m);
        column.metres.iter().for_each(|&m| put_f64(&mut out, m));
    }
    let checksum = Sha256::digest(&out);
    out.extend_from_slice(&checksum);
    out
}

/// The ways of a cache file, or why it is refused (for a warning).
pub fn decode_cache(bytes: &[u8], key: &[u8; 32], instance: &Instance) -> Result<LazyWalkingWays, String> {
    let body_len = bytes
        .len()
        .checked_sub(32)
        .ok_or("the file is shorter than its checksum (truncated)")?;
    let (body, checksum) = bytes.split_at(body_len);
    if Sha256::digest(body).as_slice() != checksum {
        return Err("its checksum does not match its content (truncated or damaged)".into());
    }
    let mut reader = Reader { bytes: body, at: 0 };
    if reader.take(MAGIC.len())? != MAGIC {
        return Err("it is not a catchment ways cache".into());
    }
    let version = u32::from_le_bytes(reader.take(4)?.try_into().map_err(|_| "short")?);
    if version != WALK_CACHE_VERSION {
        return Err(format!(
            "it was written for walk-graph rules version {version}, this build has {WALK_CACHE_VERSION}"
        ));
    }
    if reader.take(32)? != key {
        return Err("it was computed for other inputs (its key differs)".into());
    }
    let network = read_network(&mut reader)?;
    let snaps = read_snaps(&mut reader, network.nodes.len())?;
    let columns = read_columns(&mut reader)?;
    if reader.at != body.len() {
        return Err("it has bytes after its last column".into());
    }
    let walk = Arc::new(WalkData { network, snaps });
    LazyWalkingWays::with_columns(walk, instance, columns).ok_or_else(|| "its columns do not fit the homes and schools".to_string())
}

fn read_network(reader: &mut Reader) -> Result<WalkNetwork, String> {
    let count = reader.count(16)?;
    let mut nodes = Vec::with_capacity(count);
    for _ in 0..count {
        let (lat, lon) = (reader.f64()?, reader.f64()?);
        nodes.push(Location::new(lat, lon).ok_or("a node has no valid coordinates")?);
    }
    let first_edge = reader.u32_list()?;
    let edge_target = reader.u32_list()?;
    let edge_m = (0..edge_target.len()).map(|_| reader.f64()).collect::<Result<Vec<_>, _>>()?;
    let fits = first_edge.len() == nodes.len() + 1
        && first_edge.first() == Some(&0)
        && first_edge.windows(2).all(|w| w[0] <= w[1])
        && first_edge.last().is_some_and(|&l| l as usize == edge_target.len())
        && edge_target.iter().all(|&t| (t as usize) < nodes.len())
        && edge_m.iter().all(|m| m.is_finite() && *m >= 0.0);
    if !fits {
        return Err("its graph does not fit together".into());
    }
    Ok(WalkNetwork {
        nodes,
        first_edge,
        edge_target,
        edge_m,
    })
}

fn read_snaps(reader: &mut Reader, nodes: usize) -> Result<HashMap<(u64, u64), Snap>, String> {
    let count = reader.count(72)?;
    let mut snaps = HashMap::with_capacity(count);
    for _ in 0..count {
        let key = (reader.u64()?, reader.u64()?);
        let (from, to) = (reader.u32()?, reader.u32()?);
        let (from_m, to_m, leg_m, lat, lon) = (reader.f64()?, reader.f64()?, reader.f64()?, reader.f64()?, reader.f64()?);
        if from as usize >= nodes || to as usize >= nodes || ![from_m, to_m, leg_m].iter().all(|m| m.is_finite() && *m >= 0.0) {
            return Err("a snap does not fit the graph".into());
        }
        let point = Location::new(lat, lon).ok_or("a snap point has no valid coordinates")?;
        snaps.insert(
            key,
            Snap {
                from,
                to,
                from_m,
                to_m,
                leg_m,
                point,
            },
        );
    }
    Ok(snaps)
}

fn read_columns(reader: &mut Reader) -> Result<Vec<WalkColumn>, String> {
    let count = reader.count(8)?;
    let rows = reader.u64()? as usize;
    if rows.checked_mul(count).is_none_or(|n| n > reader.bytes.len() / 8) {
        return Err("its columns are longer than the file".into());
    }
    let mut columns = Vec::with_capacity(count);
    for _ in 0..count {
        let radius_m = reader.f64()?;
        let metres = (0..rows).map(|_| reader.f64()).collect::<Result<Vec<_>, _>>()?;
        if radius_m.is_nan() || metres.iter().any(|m| *m < 0.0 || m.is_infinite()) {
            return Err("a column holds an impossible way".into());
        }
        columns.push(WalkColumn { radius_m, metres });
    }
    Ok(columns)
}

fn put_u64(out: &mut Vec<u8>, v: u64) {
    out.extend_from_slice(&v.to_le_bytes());
}

fn put_f64(out: &mut Vec<u8>, v: f64) {
    out.extend_from_slice(&v.to_bits().to_le_bytes());
}

/// Reads numbers off a byte string; running past its end is an error.
struct Reader<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl Reader<'_> {
    fn take(&mut self, n: usize) -> Result<&[u8], String> {
        let end = self
            .at
            .checked_add(n)
            .filter(|&e| e <= self.bytes.len())
            .ok_or("it ends early (truncated)")?;
        let slice = &self.bytes[self.at..end];
        self.at = end;
        Ok(slice)
    }
    fn u32(&mut self) -> Result<u32, String> {
        Ok(u32::from_le_bytes(self.take(4)?.try_into().map_err(|_| "short")?))
    }
    fn u64(&mut self) -> Result<u64, String> {
        Ok(u64::from_le_bytes(self.take(8)?.try_into().map_err(|_| "short")?))
    }
    fn f64(&mut self) -> Result<f64, String> {
        Ok(f64::from_bits(self.u64()?))
    }
    /// A count of items of `size` bytes each, refused when they cannot fit in what is left.
    fn count(&mut self, size: usize) -> Result<usize, String> {
        let n = self.u64()? as usize;
        if n.checked_mul(size).is_none_or(|b| b > self.bytes.len() - self.at) {
            return Err("a count is larger than the file".into());
        }
        Ok(n)
    }
    fn u32_list(&mut self) -> Result<Vec<u32>, String> {
        let n = self.count(4)?;
        (0..n).map(|_| self.u32()).collect()
    }
}
