//! Errors of the output layer: an output that could not be written, with
//! the path and what to do.

use std::path::PathBuf;

/// Why an output could not be written.
#[derive(Debug, thiserror::Error)]
pub enum OutputError {
    /// Writing would replace one of the input files.
    #[error("{path}: refusing to write here, it is one of the input files; choose another output folder")]
    WouldOverwriteInput {
        /// The path that is an input.
        path: PathBuf,
    },
    /// The operating system refused.
    #[error("{path}: cannot write ({reason})")]
    Io {
        /// The file or folder.
        path: PathBuf,
        /// The reason.
        reason: std::io::Error,
    },
    /// The path exists and is not a regular file (a folder, a device, a link, a pipe).
    #[error(
        "{path}: is not a regular file (it is a folder, a device, a symbolic link or a pipe); give the path of a new file or of a file to replace"
    )]
    NotARegularFile {
        /// The path.
        path: PathBuf,
    },
    /// The folder a file is to be written into does not exist.
    #[error("{path}: the folder {folder} does not exist; create it first or choose another path")]
    MissingFolder {
        /// The file to write.
        path: PathBuf,
        /// Its folder.
        folder: PathBuf,
    },
    /// The file name does not say which format to write.
    #[error("{path}: the file name must end in {expected}")]
    BadExtension {
        /// The file to write.
        path: PathBuf,
        /// The endings that are understood.
        expected: &'static str,
    },
    /// Another catchment run kept writing into the folder for too long.
    #[error("{path}: another catchment run is writing into this folder (waited {waited_s} s); wait until it ends or choose another folder")]
    Busy {
        /// The folder.
        path: PathBuf,
        /// Seconds waited.
        waited_s: u64,
    },
    /// The new set was complete on disk but could not all be moved into place.
    #[error(
        "{path}: the new outputs are complete but could not all be moved into place ({reason}); fix the cause and run any catchment command writing into this folder again: it completes the update"
    )]
    SwapIncomplete {
        /// The folder.
        path: PathBuf,
        /// The operating system's reason.
        reason: std::io::Error,
    },
    /// Serialising the content failed.
    #[error("{path}: cannot encode the output ({message})")]
    Encode {
        /// The file.
        path: PathBuf,
        /// The encoder's message.
        message: String,
    },
}
