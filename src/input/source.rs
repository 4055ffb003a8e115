//! Reading an input file: regular files only, within a size limit, each
//! file once. The bytes read are the bytes parsed and hashed, so a file
//! changed during a run can never mix two versions in one result.

use super::{InputError, sha256_hex};
use crate::model::SourceFile;
use std::collections::HashMap;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// Largest scenario file (TOML): 1 MiB.
pub const MAX_SCENARIO_BYTES: u64 = 1 << 20;
/// Largest CSV file (schools, pupils, baseline, assignments): 512 MiB.
pub const MAX_CSV_BYTES: u64 = 512 << 20;
/// Largest GeoJSON file (district plan, lock area): 256 MiB.
pub const MAX_GEOJSON_BYTES: u64 = 256 << 20;
/// Largest OpenStreetMap extract (`[distance] osm`): 4 GiB.
pub const MAX_OSM_BYTES: u64 = 4 << 30;

/// What an input file holds, which decides its size limit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InputKind {
    /// A scenario (TOML).
    Scenario,
    /// A CSV table.
    Csv,
    /// A GeoJSON file.
    GeoJson,
    /// An OpenStreetMap extract.
    Osm,
}

impl InputKind {
    /// The size limit in bytes.
    pub fn limit(self) -> u64 {
        match self {
            Self::Scenario => MAX_SCENARIO_BYTES,
            Self::Csv => MAX_CSV_BYTES,
            Self::GeoJson => MAX_GEOJSON_BYTES,
            Self::Osm => MAX_OSM_BYTES,
        }
    }

    fn name(self) -> &'static str {
        match self {
            Self::Scenario => "scenario",
            Self::Csv => "CSV",
            Self::GeoJson => "GeoJSON",
            Self::Osm => "OpenStreetMap",
        }
    }
}

/// An input file's bytes as read, with its path and their SHA-256.
#[derive(Debug, Clone)]
pub struct InputBytes {
    /// The bytes (shared: a file used twice is held once).
    pub bytes: Arc<Vec<u8>>,
    /// Path and hash of exactly these bytes.
    pub source: SourceFile,
}

fn too_large(path: &Path, kind: InputKind) -> InputError {
    InputError::TooLarge {
        path: path.to_path_buf(),
        limit: format!("{} MiB", kind.limit() >> 20),
        kind: kind.name(),
    }
}

/// What a path that is not a regular file is, for the message.
fn not_a_file(path: &Path, metadata: &std::fs::Metadata) -> Option<InputError> {
    let file_type = metadata.file_type();
    if file_type.is_file() {
        return None;
    }
    let found = if file_type.is_dir() { "folder" } else { special_kind(&file_type) };
    Some(InputError::NotAFile {
        path: path.to_path_buf(),
        found,
    })
}

#[cfg(unix)]
fn special_kind(file_type: &std::fs::FileType) -> &'static str {
    use std::os::unix::fs::FileTypeExt;
    if file_type.is_fifo() {
        "FIFO"
    } else if file_type.is_char_device() || file_type.is_block_device() {
        "device"
    } else if file_type.is_socket() {
        "socket"
    } else {
        "special file"
    }
}

#[cfg(not(unix))]
fn special_kind(_: &std::fs::FileType) -> &'static str {
    "special file"
}

/// Reads a whole input file: it must be a regular file (checked before it
/// is opened, so a FIFO never blocks) of at most `kind.limit()` bytes (a file
/// growing while it is read is cut off at the limit and refused).
pub fn read_input(path: &Path, kind: InputKind) -> Result<InputBytes, InputError> {
    let unreadable = |reason| InputError::Unreadable {
        path: path.to_path_buf(),
        reason,
    };
    let metadata = std::fs::metadata(path).map_err(unreadable)?;
    if let Some(error) = not_a_file(path, &metadata) {
        return Err(error);
    }
    if metadata.len() > kind.limit() {
        return Err(too_large(path, kind));
    }
    let file = std::fs::File::open(path).map_err(unreadable)?;
    // The file opened may not be the one looked at (replaced in between).
    if let Some(error) = file.metadata().ok().and_then(|m| not_a_file(path, &m)) {
        return Err(error);
    }
    let mut bytes = Vec::with_capacity(metadata.len() as usize);
    file.take(kind.limit() + 1).read_to_end(&mut bytes).map_err(unreadable)?;
    if bytes.len() as u64 > kind.limit() {
        return Err(too_large(path, kind));
    }
    let source = SourceFile {
        path: path.to_path_buf(),
        sha256: sha256_hex(&bytes),
    };
    Ok(InputBytes {
        bytes: Arc::new(bytes),
        source,
    })
}

/// The input files of one load, each read once: a file named twice (a
/// lock area used by two changes) is read the first time only, so every
/// use sees the same bytes.
#[derive(Debug, Default)]
pub struct InputFiles {
    read: HashMap<PathBuf, InputBytes>,
}

impl InputFiles {
    /// The bytes of `path`, read now or on an earlier call.
    pub fn read(&mut self, path: &Path, kind: InputKind) -> Result<InputBytes, InputError> {
        let key = std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf());
        if let Some(known) = self.read.get(&key) {
            if known.bytes.len() as u64 > kind.limit() {
                return Err(too_large(path, kind));
            }
            return Ok(InputBytes {
                bytes: Arc::clone(&known.bytes),
                source: SourceFile {
                    path: path.to_path_buf(),
                    sha256: known.source.sha256.clone(),
                },
            });
        }
        let input = read_input(path, kind)?;
        self.read.insert(key, input.clone());
        Ok(input)
    }
}
