//! `catchment generate --preset magdeburg --seed N -o DIR [--pupils N] [--schools N] [--imbalance X]`
//!
//! Writes a synthetic city: `schools.csv`, `pupils.csv` and `scenario.toml`
//! into DIR, as one set with `catchment-manifest.json` (see
//! `catchment::output::OutputDir::replace_set`). The same preset, seed and sizes
//! give the same files, byte for byte.

use super::Outcome;
use catchment::generate::{GenerateError, GenerateOptions, Preset, scenario_toml, streets, years};
use catchment::output::{OutputDir, OutputFile, OutputKind, csv_bytes};
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
    /// Local imbalance of seats and children, 0 to 1: 0 = classes planned from
    /// local demand; 1 = planned without regard to where the children live,
    /// plus quarters of new housing with few seats.
    #[arg(long, default_value_t = 0.0)]
    imbalance: f64,
    /// Metres between the streets of the walk network `streets.osm.gz` (magdeburg, leipzig, berlin; default 100).
    #[arg(long)]
    street_spacing: Option<f64>,
}

/// Runs `generate`.
pub fn run(args: Args) -> anyhow::Result<Outcome> {
    let mut options = GenerateOptions::new(args.seed);
    options.pupils = args.pupils;
    options.schools = args.schools;
    options.imbalance = args.imbalance;
    let spacing_m = args.street_spacing.unwrap_or(streets::DEFAULT_STREET_SPACING_M);
    if !(spacing_m.is_finite() && spacing_m >= streets::MIN_STREET_SPACING_M)
        || args.preset.spec().towns != 1 && args.street_spacing.is_some()
    {
        return Err(GenerateError::BadOption {
            option: "--street-spacing",
            value: spacing_m.to_string(),
            reason: format!(
                "give metres of at least {} (the walk network is written for the single cities magdeburg, leipzig and berlin only)",
                streets::MIN_STREET_SPACING_M
            ),
        }
        .into());
    }
    let city = args.preset.generate(&options)?;
    let preset_name = args
        .preset
        .to_possible_value()
        .map(|v| v.get_name().to_string())
        .unwrap_or_default();
    let scenario = scenario_toml(&format!("{preset_name} (synthetic, seed {})", args.seed), &options);
    let mut files = vec![
        OutputFile::shared("schools.csv", csv_bytes(&city.schools, "schools.csv")?),
        // Synthetic, but in the format of real pupils' homes: kept private like them.
        OutputFile::private("pupils.csv", csv_bytes(&city.pupils, "pupils.csv")?),
        OutputFile::shared("scenario.toml", scenario.into_bytes()),
    ];
    if let Some(barriers) = streets::preset_barriers(args.preset, &city) {
        // The walk network: a street grid cut by a river and a railway (see `generate::streets`).
        let osm = streets::street_grid_osm(&city, &barriers, spacing_m, streets::DEFAULT_STREET_MARGIN_M);
        files.push(OutputFile::shared("streets.osm.gz", streets::gzip(&osm)));
        // Multi-year planning: schools with rooms and the forecast cohorts (see `generate::years`).
        let schools_years = years::years_schools(&city.schools);
        files.push(OutputFile::shared(
            years::YEARS_SCHOOLS_FILE,
            csv_bytes(&schools_years, years::YEARS_SCHOOLS_FILE)?,
        ));
        for (_, file, pupils) in years::forecast_cohorts(&options, city.pupils.len()) {
            files.push(OutputFile::private(file, csv_bytes(&pupils, file)?));
        }
    }
    OutputDir::create(&args.output, &[])?.replace_set(OutputKind::Generate, &files)?;
    let migrants = city.pupils.iter().filter(|p| p.migration_background == 1).count();
    let seats: u32 = city
        .schools
        .iter()
        .map(|s| s.classes * options.rules().class_size_for(s.prev_migration_share.parse::<f64>().unwrap_or(0.0)))
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
