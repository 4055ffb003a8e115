//! Atomic single files: a file is written to a hidden temporary file in its
//! folder, with its final permissions from the start, flushed to disk and
//! renamed into place, so an error or interruption never leaves a
//! half-written file. Every writer holds the folder's lock while it works and
//! first removes what an earlier killed run left there (see
//! [`super::output_set`]); the temporary names all start with
//! [`TEMP_PREFIX`].

use super::OutputError;
use super::output_set::recover_locked;
use std::fs::File;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// Every temporary entry catchment makes in a folder starts with this.
pub const TEMP_PREFIX: &str = ".catchment-";

/// Permissions of a file with personal data (pupil ids, homes, counts by
/// street): read and write for the owner only, whatever the umask.
pub const PRIVATE_MODE: u32 = 0o600;

/// Permissions of a file without personal data: readable by all.
pub const SHARED_MODE: u32 = 0o644;

/// How long a writer waits for another catchment run to finish writing into
/// the same folder before giving up.
pub const LOCK_WAIT: Duration = Duration::from_secs(30);

/// Who may read an output file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Privacy {
    /// Personal data: [`PRIVATE_MODE`].
    Private,
    /// Aggregates only: [`SHARED_MODE`].
    Shared,
}

impl Privacy {
    /// The Unix permission bits.
    pub fn mode(self) -> u32 {
        match self {
            Privacy::Private => PRIVATE_MODE,
            Privacy::Shared => SHARED_MODE,
        }
    }
}

/// An exclusive lock on a folder (an advisory `flock` on the folder itself,
/// released when dropped or when the process ends, however it ends).
#[derive(Debug)]
pub struct FolderLock {
    _handle: File,
}

impl FolderLock {
    /// Takes the lock, waiting up to [`LOCK_WAIT`] for another catchment run.
    pub fn acquire(dir: &Path) -> Result<Self, OutputError> {
        let io_err = |reason| OutputError::Io {
            path: dir.to_path_buf(),
            reason,
        };
        let handle = File::open(dir).map_err(io_err)?;
        let started = Instant::now();
        loop {
            match handle.try_lock() {
                Ok(()) => return Ok(Self { _handle: handle }),
                // A file system without locks: go on unlocked (two runs into
                // one folder at the same moment are then the user's risk).
                Err(std::fs::TryLockError::Error(e)) if e.kind() == std::io::ErrorKind::Unsupported => {
                    return Ok(Self { _handle: handle });
                }
                Err(std::fs::TryLockError::WouldBlock) if started.elapsed() < LOCK_WAIT => {
                    std::thread::sleep(Duration::from_millis(50));
                }
                Err(std::fs::TryLockError::WouldBlock) => {
                    return Err(OutputError::Busy {
                        path: dir.to_path_buf(),
                        waited_s: LOCK_WAIT.as_secs(),
                    });
                }
                Err(std::fs::TryLockError::Error(reason)) => return Err(io_err(reason)),
            }
        }
    }
}

/// Refuses a target that exists and is not a regular file (a folder, a
/// device such as `/dev/null`, a symbolic link, a pipe): replacing it would
/// destroy it or write somewhere unexpected.
pub fn ensure_regular_or_new(path: &Path) -> Result<(), OutputError> {
    match std::fs::symlink_metadata(path) {
        Ok(meta) if meta.file_type().is_file() => Ok(()),
        Ok(_) => Err(OutputError::NotARegularFile { path: path.to_path_buf() }),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
        Err(reason) => Err(OutputError::Io {
            path: path.to_path_buf(),
            reason,
        }),
    }
}

/// The folder a file is written into; it must exist.
fn existing_parent(path: &Path) -> Result<PathBuf, OutputError> {
    let parent = path.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
    if parent.is_dir() {
        Ok(parent.to_path_buf())
    } else {
        Err(OutputError::MissingFolder {
            path: path.to_path_buf(),
            folder: parent.to_path_buf(),
        })
    }
}

/// Creates `path` as a new file with exactly `mode` (whatever the umask),
/// writes `bytes` and flushes them to disk.
pub fn create_file_with(path: &Path, bytes: &[u8], privacy: Privacy) -> std::io::Result<()> {
    let mut file = create_new_with_mode(path, privacy)?;
    file.write_all(bytes)?;
    file.sync_all()
}

/// A new, empty file with exactly the mode of `privacy`.
fn create_new_with_mode(path: &Path, privacy: Privacy) -> std::io::Result<File> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::{OpenOptionsExt, PermissionsExt};
        options.mode(privacy.mode());
        let file = options.open(path)?;
        // The umask may have taken bits away: set the mode exactly.
        file.set_permissions(std::fs::Permissions::from_mode(privacy.mode()))?;
        Ok(file)
    }
    #[cfg(not(unix))]
    {
        let _ = privacy;
        options.open(path)
    }
}

/// Flushes a folder's entries (new names, renames) to disk.
pub fn sync_folder(dir: &Path) -> std::io::Result<()> {
    #[cfg(unix)]
    {
        File::open(dir)?.sync_all()
    }
    #[cfg(not(unix))]
    {
        let _ = dir;
        Ok(())
    }
}

/// Writes `bytes` to `path` atomically, with the permissions of `privacy`.
pub fn write_atomically(path: &Path, bytes: &[u8], privacy: Privacy) -> Result<(), OutputError> {
    write_atomically_with(path, "", privacy, |tmp| {
        let mut file = std::fs::OpenOptions::new().write(true).truncate(true).open(tmp)?;
        file.write_all(bytes)?;
        file.sync_all()
    })
}

/// Writes `path` atomically through `fill`, which writes the content into the
/// temporary file it is given (created empty, with its final permissions, and
/// named with `suffix`, e.g. `.mps` for a writer that goes by the extension).
pub fn write_atomically_with(
    path: &Path,
    suffix: &str,
    privacy: Privacy,
    fill: impl FnOnce(&Path) -> std::io::Result<()>,
) -> Result<(), OutputError> {
    ensure_regular_or_new(path)?;
    let dir = existing_parent(path)?;
    let io_err = |reason| OutputError::Io {
        path: path.to_path_buf(),
        reason,
    };
    let _lock = FolderLock::acquire(&dir)?;
    recover_locked(&dir)?;
    let tmp = temp_path(&dir, suffix);
    let result = create_new_with_mode(&tmp, privacy)
        .and_then(|file| {
            drop(file);
            fill(&tmp)
        })
        .and_then(|()| File::open(&tmp)?.sync_all())
        .and_then(|()| std::fs::rename(&tmp, path))
        .and_then(|()| sync_folder(&dir));
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result.map_err(io_err)
}

/// A fresh temporary path in `dir`: [`TEMP_PREFIX`], `tmp-`, random letters, `suffix`.
fn temp_path(dir: &Path, suffix: &str) -> PathBuf {
    use rand::Rng;
    let letters: String = rand::rng()
        .sample_iter(rand::distr::Alphanumeric)
        .take(12)
        .map(char::from)
        .collect();
    dir.join(format!("{TEMP_PREFIX}tmp-{letters}{suffix}"))
}
