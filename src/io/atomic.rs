//! Atomic output: each file is written to a temporary file in the target
//! folder and renamed into place, so an error or interruption never leaves a
//! half-written file, and no input file is ever overwritten.

use super::OutputError;
use crate::model::SourceFile;
use std::io::Write;
use std::path::{Path, PathBuf};

/// An output folder that knows which paths are inputs and must not be replaced.
#[derive(Debug, Clone)]
pub struct OutputDir {
    dir: PathBuf,
    inputs: Vec<PathBuf>,
}

impl OutputDir {
    /// Creates the folder if needed; `inputs` are never overwritten.
    pub fn create(dir: &Path, inputs: &[SourceFile]) -> Result<Self, OutputError> {
        std::fs::create_dir_all(dir).map_err(|source| OutputError::Io {
            path: dir.to_path_buf(),
            reason: source,
        })?;
        let inputs = inputs.iter().filter_map(|s| std::fs::canonicalize(&s.path).ok()).collect();
        Ok(Self {
            dir: dir.to_path_buf(),
            inputs,
        })
    }

    /// The folder.
    pub fn path(&self) -> &Path {
        &self.dir
    }

    /// Path of a file in the folder, refused when it is an input file.
    pub fn file(&self, name: &str) -> Result<PathBuf, OutputError> {
        let path = self.dir.join(name);
        if let Ok(canonical) = std::fs::canonicalize(&path)
            && self.inputs.contains(&canonical)
        {
            return Err(OutputError::WouldOverwriteInput { path });
        }
        Ok(path)
    }

    /// Writes `bytes` to `name` in the folder atomically.
    pub fn write(&self, name: &str, bytes: &[u8]) -> Result<PathBuf, OutputError> {
        let path = self.file(name)?;
        write_atomically(&path, bytes)?;
        Ok(path)
    }
}

/// Writes `bytes` to `path` through a temporary file in the same folder and a rename.
pub fn write_atomically(path: &Path, bytes: &[u8]) -> Result<(), OutputError> {
    let dir = path.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
    let io_err = |reason| OutputError::Io {
        path: path.to_path_buf(),
        reason,
    };
    let mut tmp = temp_file_in(dir, "").map_err(io_err)?;
    tmp.write_all(bytes).map_err(io_err)?;
    tmp.as_file().sync_all().map_err(io_err)?;
    tmp.persist(path).map_err(|e| io_err(e.error))?;
    Ok(())
}

/// A temporary file in `dir` whose name ends in `suffix`, readable by all
/// (mode 0644 on Unix, as an ordinary output file) once renamed into place.
pub fn temp_file_in(dir: &Path, suffix: &str) -> std::io::Result<tempfile::NamedTempFile> {
    let mut builder = tempfile::Builder::new();
    builder.prefix(".catchment-").suffix(suffix);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        builder.permissions(std::fs::Permissions::from_mode(0o644));
    }
    builder.tempfile_in(dir)
}
