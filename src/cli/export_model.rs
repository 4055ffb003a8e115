//! `catchment export-model SCENARIO -o model.mps` (or `model.lp`)
//!
//! Writes the exact integer program of a scenario — every allowed arc, no
//! candidate pruning — with readable variable and row names (school and pupil
//! ids), so that anyone can re-solve it with another solver and compare the
//! objective with `summary.json`'s `objective_m`. The file is readable by its
//! owner only (mode 0600): its names are pupil ids.

use super::Outcome;
use catchment::output::{OutputError, Privacy, ensure_regular_or_new, write_atomically};
use catchment::scenario::load_scenario;
use catchment::solve::export::{ModelFormat, export_model};
use std::path::PathBuf;

/// Arguments of `export-model`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Scenario file (TOML).
    scenario: PathBuf,
    /// Model file to write; `.mps` or `.lp` decides the format.
    #[arg(short, long)]
    output: PathBuf,
}

/// Runs `export-model`.
pub fn run(args: Args) -> anyhow::Result<Outcome> {
    let format = ModelFormat::of_path(&args.output).ok_or_else(|| OutputError::BadExtension {
        path: args.output.clone(),
        expected: ".mps or .lp",
    })?;
    ensure_regular_or_new(&args.output)?;
    super::recover_folder_of(&args.output)?;
    let instance = load_scenario(&args.scenario)?;
    let output = std::fs::canonicalize(&args.output).ok();
    if output.is_some() && instance.sources.iter().any(|s| std::fs::canonicalize(&s.path).ok() == output) {
        anyhow::bail!(OutputError::WouldOverwriteInput { path: args.output.clone() });
    }
    let model = export_model(&instance, format)?;
    // Its names are pupil ids: readable by its owner only.
    write_atomically(&args.output, &model.bytes, Privacy::Private)?;
    super::print_stdout(&format!(
        "written    {} ({} variables, {} constraints)\n",
        args.output.display(),
        model.columns,
        model.rows
    ))?;
    Ok(Outcome::Done)
}
