//! Writing the walking-distance cache after a run: each set of ways the run
//! made, or widened after reading it, into `OUTDIR/catchment-cache/ways-<key>.bin`
//! (atomically, owner-only: the file holds homes' coordinates and ways).

use super::OutputError;
use super::atomic::{Privacy, write_atomically};
use crate::geometry::encode_cache;
use crate::scenario::WayCache;
use std::path::PathBuf;

/// Writes the cache files that are new or out of date; returns the files
/// written (none when the cache is off).
pub fn store_way_cache(cache: &WayCache) -> Result<Vec<PathBuf>, OutputError> {
    let Some(folder) = cache.folder().filter(|_| cache.writes()) else {
        return Ok(Vec::new());
    };
    let mut written = Vec::new();
    for entry in cache.entries() {
        if entry.from_file && !entry.ways.widened() {
            continue;
        }
        let Some(file) = cache.file(&entry.key) else { continue };
        create_private_folder(folder)?;
        write_atomically(&file, &encode_cache(&entry.key, &entry.ways), Privacy::Private)?;
        written.push(file);
    }
    Ok(written)
}

/// Creates the cache folder (owner-only) if it is missing.
fn create_private_folder(folder: &std::path::Path) -> Result<(), OutputError> {
    let mut builder = std::fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::DirBuilderExt;
        builder.mode(0o700);
    }
    builder.create(folder).map_err(|reason| OutputError::Io {
        path: folder.to_path_buf(),
        reason,
    })
}
