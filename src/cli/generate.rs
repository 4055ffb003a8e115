//! `catchment generate --preset magdeburg --seed N -o DIR [--pupils N] [--schools N]`
//!
//! Writes a synthetic city: `schools.csv`, `pupils.csv` and `scenario.toml`
//! into DIR. The same preset, seed and sizes give the same files, byte for byte.

use super::Outcome;
use catchment::generate::{GenerateOptions, Preset, scenario_toml};
use catchment::io::{OutputDir, csv_bytes};
use clap::ValueEnum;
use std::path::PathBuf;

/// Arguments of `generate`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Which city or region.
    #[arg(long, value_enum, default_value = "magdeburg")]
    preset: Preset,
    /// Random seed.
    #[arg(long, default_value_t = 2026)]
    seed: u64,
    /// Output folder.
    #[arg(short, long)]
    output: PathBuf,
    /// Number of pupils (default: the preset's).
    #[arg(long)]
    pupils: Option<usize>,
    /// Number of schools (default: the preset's; not for magdeburg).
    #[arg(long)]
    schools: Option<usize>,
}

/// Runs `generate`.
pub fn run(args: Args) -> anyhow::Result<Outcome> {
    anyhow::ensure!(args.pupils != Some(0), "--pupils must be at least 1");
    anyhow::ensure!(args.schools != Some(0), "--schools must be at least 1");
    anyhow::ensure!(
        args.schools.is_none() || args.preset != Preset::Magdeburg,
        "--schools does not apply to the magdeburg preset, whose 33 schools are named"
    );
    let mut options = GenerateOptions::new(args.seed);
    options.pupils = args.pupils;
    options.schools = args.schools;
    let city = args.preset.generate(&options);
    let preset_name = args
        .preset
        .to_possible_value()
        .map(|v| v.get_name().to_string())
        .unwrap_or_default();
    let dir = OutputDir::create(&args.output, &[])?;
    let schools = csv_bytes(&city.schools, "schools.csv")?;
    let pupils = csv_bytes(&city.pupils, "pupils.csv")?;
    let scenario = scenario_toml(&format!("{preset_name} (synthetic, seed {})", args.seed), &options);
    dir.write("schools.csv", &schools)?;
    dir.write("pupils.csv", &pupils)?;
    dir.write("scenario.toml", scenario.as_bytes())?;
    let migrants = city.pupils.iter().filter(|p| p.migration_background == 1).count();
    let seats: u32 = city
        .schools
        .iter()
        .map(|s| {
            s.classes
                * if s.prev_migration_share.parse::<f64>().unwrap_or(0.0) > options.migration_threshold {
                    options.reduced_class_size
                } else {
                    options.class_size
                }
        })
        .sum();
    super::print_stdout(&format!(
        "generated  {} pupils ({:.1}% with migration background), {} schools, {} seats ({:+.1}% against the cohort) in {}\n",
        city.pupils.len(),
        100.0 * migrants as f64 / city.pupils.len().max(1) as f64,
        city.schools.len(),
        seats,
        100.0 * (seats as f64 / city.pupils.len().max(1) as f64 - 1.0),
        args.output.display()
    ))?;
    Ok(Outcome::Done)
}
