//! Adding one file to the last set of a command in a folder (`catchment
//! report OUTDIR` adds `report.html` to the `solve` set): the set is written
//! again, whole, with its files as they are and the new one, so that the
//! manifest keeps listing every file of the folder's sets.

use super::{OutputDir, OutputError, OutputFile, OutputKind, Privacy, WrittenSet, read_manifest};
use crate::model::{SourceFile, sha256_hex};
use std::os::unix::fs::PermissionsExt;

/// Writes `kind`'s set in `dir` again with `file` added (or replaced). Every
/// file of the set must still match the manifest (size and SHA-256); its
/// privacy is kept from its mode on disk.
pub fn add_to_set(dir: &std::path::Path, inputs: &[SourceFile], kind: OutputKind, file: OutputFile) -> Result<WrittenSet, OutputError> {
    let manifest = read_manifest(dir);
    let changed = |path: std::path::PathBuf, why: &str| OutputError::Io {
        path,
        reason: std::io::Error::new(std::io::ErrorKind::InvalidData, why.to_string()),
    };
    let Some(set) = manifest.sets.get(kind.name()) else {
        return Err(changed(
            dir.join(super::MANIFEST),
            &format!(
                "lists no `{}` set; write the result with `catchment {}` first",
                kind.name(),
                kind.name()
            ),
        ));
    };
    let mut files = Vec::new();
    for (name, entry) in &set.files {
        let Some(&known) = kind.known_files().iter().find(|k| *k == name) else {
            continue;
        };
        if known == file.name {
            continue;
        }
        let path = dir.join(name);
        let io = |reason| OutputError::Io {
            path: path.clone(),
            reason,
        };
        let bytes = std::fs::read(&path).map_err(io)?;
        if bytes.len() as u64 != entry.bytes || sha256_hex(&bytes) != entry.sha256 {
            return Err(changed(
                path,
                "changed since it was written (size or SHA-256 differ from the manifest); write the result again",
            ));
        }
        let mode = std::fs::metadata(&path).map_err(io)?.permissions().mode();
        let privacy = if mode & 0o077 == 0 { Privacy::Private } else { Privacy::Shared };
        files.push(OutputFile {
            name: known,
            bytes,
            privacy,
        });
    }
    files.push(file);
    OutputDir::create(dir, inputs)?.replace_set(kind, &files)
}
