//! Whole output sets: the files one command writes into a folder (`solve`:
//! `assignments.csv`, `schools.csv`, `summary.json`, ...) are replaced
//! together, never one beside an older other, and with a manifest that
//! names them.
//!
//! The protocol, with the folder's lock held ([`FolderLock`]):
//!
//! 1. *Recover*: finish a swap an earlier, killed run had committed (step 4)
//!    and delete everything else it left (`.catchment-staging-*` folders,
//!    `.catchment-tmp-*` files and the temporary files of older versions).
//! 2. *Stage*: write every file of the new set, with its final permissions,
//!    into a fresh folder `.catchment-staging-<random>` (mode 0700) inside
//!    the output folder; then the new manifest ([`MANIFEST`]: every set in
//!    the folder, each file with its size and SHA-256) and a journal of the
//!    files of the old set this run does not write (stale: they are
//!    removed). Everything is flushed to disk. An error here (a full disk)
//!    deletes the staging folder: the folder is as before.
//! 3. *Commit*: one rename, `.catchment-staging-<r>` to
//!    `.catchment-commit-<r>`. From here on the new set is the result.
//! 4. *Swap*: remove the old manifest, move each new file into the folder
//!    (a rename each), remove the stale files, move the new manifest in
//!    last, delete the commit folder.
//!
//! So whenever [`MANIFEST`] exists, every set it lists is complete and
//! consistent: its files have the listed SHA-256 and no stale file of the
//! set is left. A run killed during the swap (a few renames) leaves the
//! folder without a manifest; the next catchment command that writes into
//! the folder completes the swap before anything else.

use super::OutputError;
use super::atomic::{FolderLock, Privacy, TEMP_PREFIX, create_file_with, ensure_regular_or_new, sync_folder};
use crate::model::SourceFile;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// The manifest in an output folder: which files of which command are there.
pub const MANIFEST: &str = "catchment-manifest.json";

/// The journal of a commit folder: which stale files the swap removes.
const JOURNAL: &str = "journal.json";

/// Prefix of a folder being written (deleted by the next run if left).
const STAGING_PREFIX: &str = ".catchment-staging-";

/// Prefix of a committed folder (its swap is completed by the next run if left).
const COMMIT_PREFIX: &str = ".catchment-commit-";

/// The command whose outputs a set holds, with every file it can write.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OutputKind {
    /// `solve`.
    Solve,
    /// `compare`.
    Compare,
    /// `generate`.
    Generate,
}

impl OutputKind {
    /// The set's name in the manifest.
    pub fn name(self) -> &'static str {
        match self {
            OutputKind::Solve => "solve",
            OutputKind::Compare => "compare",
            OutputKind::Generate => "generate",
        }
    }

    /// Every file a run of the command may write: those a run does not
    /// write are removed from the folder as stale.
    pub fn known_files(self) -> &'static [&'static str] {
        match self {
            OutputKind::Solve => &[
                "assignments.csv",
                "schools.csv",
                "units.csv",
                "summary.json",
                "districts.geojson",
                "bylaw.csv",
                "district_issues.csv",
                "report.html",
                "results.xlsx",
                "years.csv",
            ],
            OutputKind::Compare => &["compare.csv", "compare.md", "diff.csv", "compare.html"],
            OutputKind::Generate => &[
                "schools.csv",
                "pupils.csv",
                "scenario.toml",
                "streets.osm.gz",
                "schools-years.csv",
                "pupils-2027.csv",
                "pupils-2028.csv",
                "pupils-2029.csv",
            ],
        }
    }
}

/// One file of a set, rendered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutputFile {
    /// File name in the output folder (one of [`OutputKind::known_files`]).
    pub name: &'static str,
    /// Content.
    pub bytes: Vec<u8>,
    /// Who may read it.
    pub privacy: Privacy,
}

impl OutputFile {
    /// A file with personal data (mode 0600).
    pub fn private(name: &'static str, bytes: Vec<u8>) -> Self {
        Self {
            name,
            bytes,
            privacy: Privacy::Private,
        }
    }

    /// A file of aggregates only (mode 0644).
    pub fn shared(name: &'static str, bytes: Vec<u8>) -> Self {
        Self {
            name,
            bytes,
            privacy: Privacy::Shared,
        }
    }
}

/// What a set replacement did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WrittenSet {
    /// The files written, in the order given.
    pub written: Vec<PathBuf>,
    /// Files of an earlier run that this run does not write, removed.
    pub removed: Vec<PathBuf>,
    /// The manifest.
    pub manifest: PathBuf,
}

/// A file's entry in the manifest.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ManifestFile {
    /// Size in bytes.
    pub bytes: u64,
    /// SHA-256 of the content, lowercase hex.
    pub sha256: String,
}

/// The files of one command's last run.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ManifestSet {
    /// Version of catchment that wrote them.
    pub catchment: String,
    /// The files by name.
    pub files: BTreeMap<String, ManifestFile>,
}

/// The manifest: every complete set in the folder, by command.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Manifest {
    /// What this file promises.
    #[serde(default)]
    pub about: String,
    /// Sets by command name (`solve`, `compare`, `generate`).
    #[serde(default)]
    pub sets: BTreeMap<String, ManifestSet>,
}

/// What the promise of the manifest says, written into it.
const ABOUT: &str = "Written by catchment after all files of a run: each set lists the files of one command's last run in this folder, complete and unchanged since (size and SHA-256). A folder without this file is in the middle of an update; the next catchment run into it completes it.";

/// The journal of a commit folder.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
struct Journal {
    /// Files of the folder to remove (stale files of the set).
    remove: Vec<String>,
}

/// An output folder that knows which paths are inputs and must not be replaced.
#[derive(Debug, Clone)]
pub struct OutputDir {
    dir: PathBuf,
    inputs: Vec<PathBuf>,
}

impl OutputDir {
    /// Creates the folder if needed; `inputs` are never overwritten or removed.
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

    /// Path of a file in the folder, refused when it is an input file or
    /// something other than a regular file.
    pub fn file(&self, name: &str) -> Result<PathBuf, OutputError> {
        let path = self.dir.join(name);
        if self.is_input(&path) {
            return Err(OutputError::WouldOverwriteInput { path });
        }
        ensure_regular_or_new(&path)?;
        Ok(path)
    }

    /// True when `path` is one of the inputs (through any spelling or link).
    fn is_input(&self, path: &Path) -> bool {
        std::fs::canonicalize(path).is_ok_and(|canonical| self.inputs.contains(&canonical))
    }

    /// Replaces the set of `kind` in the folder by `files`, as described in
    /// the module documentation: all or nothing, stale files removed.
    pub fn replace_set(&self, kind: OutputKind, files: &[OutputFile]) -> Result<WrittenSet, OutputError> {
        for file in files {
            self.file(file.name)?;
        }
        let _lock = FolderLock::acquire(&self.dir)?;
        recover_locked(&self.dir)?;
        let manifest = next_manifest(read_manifest(&self.dir), kind, files);
        let stale = self.stale_files(kind, files, &manifest);
        let commit = self.stage(files, &manifest, &stale)?;
        finish_swap(&self.dir, &commit).map_err(|reason| OutputError::SwapIncomplete {
            path: self.dir.clone(),
            reason,
        })?;
        Ok(WrittenSet {
            written: files.iter().map(|f| self.dir.join(f.name)).collect(),
            removed: stale.iter().map(|name| self.dir.join(name)).collect(),
            manifest: self.dir.join(MANIFEST),
        })
    }

    /// Files of the set's known names that this run does not write and that
    /// are in the folder: not inputs, not files of another set the new
    /// manifest keeps.
    fn stale_files(&self, kind: OutputKind, files: &[OutputFile], manifest: &Manifest) -> Vec<String> {
        let of_other_sets = |name: &str| {
            manifest
                .sets
                .iter()
                .any(|(set, listed)| set.as_str() != kind.name() && listed.files.contains_key(name))
        };
        kind.known_files()
            .iter()
            .filter(|name| !files.iter().any(|f| f.name == **name) && !of_other_sets(name))
            .filter(|name| {
                let path = self.dir.join(name);
                std::fs::symlink_metadata(&path).is_ok_and(|m| m.is_file()) && !self.is_input(&path)
            })
            .map(|name| name.to_string())
            .collect()
    }

    /// Writes the staging folder and commits it; returns the commit folder.
    fn stage(&self, files: &[OutputFile], manifest: &Manifest, stale: &[String]) -> Result<PathBuf, OutputError> {
        let mut builder = tempfile::Builder::new();
        builder.prefix(STAGING_PREFIX);
        #[cfg(unix)]
        {
            // Only the owner may look into a folder that holds pupil data.
            use std::os::unix::fs::PermissionsExt;
            builder.permissions(std::fs::Permissions::from_mode(0o700));
        }
        let staging = builder.tempdir_in(&self.dir).map_err(|reason| OutputError::Io {
            path: self.dir.clone(),
            reason,
        })?;
        for file in files {
            create_file_with(&staging.path().join(file.name), &file.bytes, file.privacy).map_err(|reason| OutputError::Io {
                path: self.dir.join(file.name),
                reason,
            })?;
        }
        let manifest_bytes = super::json_bytes(manifest, MANIFEST)?;
        let journal = super::json_bytes(&Journal { remove: stale.to_vec() }, JOURNAL)?;
        let io_err = |reason| OutputError::Io {
            path: self.dir.join(MANIFEST),
            reason,
        };
        create_file_with(&staging.path().join(MANIFEST), &manifest_bytes, Privacy::Shared).map_err(io_err)?;
        create_file_with(&staging.path().join(JOURNAL), &journal, Privacy::Private).map_err(io_err)?;
        sync_folder(staging.path()).map_err(io_err)?;
        let name = staging
            .path()
            .file_name()
            .and_then(|n| n.to_str())
            .and_then(|n| n.strip_prefix(STAGING_PREFIX))
            .unwrap_or_default()
            .to_string();
        let commit = self.dir.join(format!("{COMMIT_PREFIX}{name}"));
        std::fs::rename(staging.path(), &commit).map_err(io_err)?;
        // Renamed away: nothing left for the guard to delete.
        let _ = staging.keep();
        sync_folder(&self.dir).map_err(io_err)?;
        Ok(commit)
    }
}

/// True when `set` lists a file that this run writes: replacing it leaves
/// that set incomplete.
fn overlaps(set: &ManifestSet, written: &[OutputFile]) -> bool {
    written.iter().any(|f| set.files.contains_key(f.name))
}

/// The manifest after this run: the other commands' sets that it leaves
/// complete, and this run's set.
fn next_manifest(mut manifest: Manifest, kind: OutputKind, files: &[OutputFile]) -> Manifest {
    manifest
        .sets
        .retain(|name, set| name.as_str() != kind.name() && !overlaps(set, files));
    let set = ManifestSet {
        catchment: env!("CARGO_PKG_VERSION").to_string(),
        files: files
            .iter()
            .map(|f| {
                (
                    f.name.to_string(),
                    ManifestFile {
                        bytes: f.bytes.len() as u64,
                        sha256: crate::model::sha256_hex(&f.bytes),
                    },
                )
            })
            .collect(),
    };
    manifest.sets.insert(kind.name().to_string(), set);
    manifest.about = ABOUT.to_string();
    manifest
}

/// The folder's manifest, or an empty one when there is none or it cannot be read.
pub fn read_manifest(dir: &Path) -> Manifest {
    std::fs::read(dir.join(MANIFEST))
        .ok()
        .and_then(|bytes| serde_json::from_slice(&bytes).ok())
        .unwrap_or_default()
}

/// Step 4: moves the committed files into the folder. Safe to repeat after
/// an interruption at any point.
fn finish_swap(dir: &Path, commit: &Path) -> std::io::Result<()> {
    let new_manifest = commit.join(MANIFEST);
    if new_manifest.exists() {
        remove_if_present(&dir.join(MANIFEST))?;
        let mut names = Vec::new();
        for entry in std::fs::read_dir(commit)? {
            names.push(entry?.file_name());
        }
        for name in names.iter().filter(|n| *n != MANIFEST && *n != JOURNAL) {
            std::fs::rename(commit.join(name), dir.join(name))?;
        }
        let journal: Journal = std::fs::read(commit.join(JOURNAL))
            .ok()
            .and_then(|bytes| serde_json::from_slice(&bytes).ok())
            .unwrap_or_default();
        for name in journal.remove.iter().filter(|n| is_plain_name(n)) {
            remove_if_present(&dir.join(name))?;
        }
        std::fs::rename(&new_manifest, dir.join(MANIFEST))?;
        sync_folder(dir)?;
    }
    std::fs::remove_dir_all(commit)
}

/// A bare file name (no folder part), as every name of a set is.
fn is_plain_name(name: &str) -> bool {
    !name.is_empty() && Path::new(name).file_name().is_some_and(|n| n == name)
}

/// Removes a file; one that is not there is fine.
fn remove_if_present(path: &Path) -> std::io::Result<()> {
    match std::fs::remove_file(path) {
        Err(e) if e.kind() != std::io::ErrorKind::NotFound => Err(e),
        _ => Ok(()),
    }
}

/// Step 1, for a command about to read inputs from or write outputs into
/// `dir`: when the folder exists, takes its lock, completes a committed swap
/// and deletes what killed runs left. Nothing happens when it does not exist.
pub fn recover_output_dir(dir: &Path) -> Result<(), OutputError> {
    if !dir.is_dir() {
        return Ok(());
    }
    let _lock = FolderLock::acquire(dir)?;
    recover_locked(dir)
}

/// Step 1 with the lock already held.
pub(crate) fn recover_locked(dir: &Path) -> Result<(), OutputError> {
    let io_err = |reason| OutputError::Io {
        path: dir.to_path_buf(),
        reason,
    };
    let mut entries: Vec<(String, bool)> = Vec::new();
    for entry in std::fs::read_dir(dir).map_err(io_err)? {
        let entry = entry.map_err(io_err)?;
        let name = entry.file_name().to_string_lossy().into_owned();
        if name.starts_with(TEMP_PREFIX) {
            let is_dir = entry.file_type().map_err(io_err)?.is_dir();
            entries.push((name, is_dir));
        }
    }
    entries.sort();
    for (name, _) in entries.iter().filter(|(n, is_dir)| *is_dir && n.starts_with(COMMIT_PREFIX)) {
        finish_swap(dir, &dir.join(name)).map_err(|reason| OutputError::SwapIncomplete {
            path: dir.to_path_buf(),
            reason,
        })?;
    }
    for (name, is_dir) in entries.iter().filter(|(n, is_dir)| !(*is_dir && n.starts_with(COMMIT_PREFIX))) {
        let path = dir.join(name);
        let removed = if *is_dir {
            std::fs::remove_dir_all(&path)
        } else {
            remove_if_present(&path)
        };
        removed.map_err(|reason| OutputError::Io { path, reason })?;
    }
    Ok(())
}
