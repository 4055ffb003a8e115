//! `catchment generate --preset magdeburg --seed N -o DIR`
//!
//! Writes a synthetic city: `schools.csv`, `pupils.csv` and `scenario.toml`.
//! The same preset and seed give the same files, byte for byte.

use super::Outcome;

/// Arguments of `generate`.
#[derive(Debug, clap::Args)]
pub struct Args {}

/// Runs `generate`.
pub fn run(_args: Args) -> anyhow::Result<Outcome> {
    anyhow::bail!("not yet")
}
