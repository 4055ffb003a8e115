//! `catchment export-model SCENARIO -o model.mps` (or `model.lp`)
//!
//! Writes the exact integer program of a scenario — every allowed arc, no
//! candidate pruning — with readable variable and row names (school and pupil
//! ids), so that anyone can re-solve it with another solver and compare the
//! objective with `summary.json`'s `objective_m`. Beside it, `groups.csv`
//! (`group,pupil_id`) names the pupils behind each variable group, so that
//! the model traces back to pupils. Both files are readable by their owner
//! only (mode 0600): their names are pupil ids.

use super::Outcome;
use catchment::output::{OutputError, Privacy, csv_bytes, ensure_regular_or_new, write_atomically};
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
    let groups_path = args.output.with_file_name("groups.csv");
    for path in [&args.output, &groups_path] {
        ensure_regular_or_new(path)?;
    }
    super::recover_folder_of(&args.output)?;
    let instance = load_scenario(&args.scenario)?;
    for path in [&args.output, &groups_path] {
        let output = std::fs::canonicalize(path).ok();
        if output.is_some() && instance.sources.iter().any(|s| std::fs::canonicalize(&s.path).ok() == output) {
            anyhow::bail!(OutputError::WouldOverwriteInput { path: path.clone() });
        }
    }
    let model = export_model(&instance, format)?;
    let groups = csv_bytes(model.groups.clone(), "groups.csv")?;
    // Their names are pupil ids: readable by their owner only. The model
    // first, so that an error names the file asked for.
    write_atomically(&args.output, &model.bytes, Privacy::Private)?;
    write_atomically(&groups_path, &groups, Privacy::Private)?;
    super::print_stdout(&format!(
        "written    {} ({} variables, {} constraints), {} ({} groups)\n",
        args.output.display(),
        model.columns,
        model.rows,
        groups_path.display(),
        model
            .groups
            .iter()
            .map(|g| &g.group)
            .collect::<std::collections::BTreeSet<_>>()
            .len()
    ))?;
    Ok(Outcome::Done)
}
