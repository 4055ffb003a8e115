//! `catchment solve [SCENARIO] [-o DIR]`
//!
//! Solves a scenario (default: the bundled `scenarios/magdeburg.toml`) to
//! proven optimality, checks the assignment with the independent checker and
//! writes `assignments.csv`, `schools.csv`, `summary.json` (and `units.csv`
//! with unit assignment) into DIR (default `out`). Prints a short summary.

use super::Outcome;
use anyhow::Context;
use catchment::io::{OutputDir, load_scenario, write_solve_outputs};
use catchment::report::human_summary;
use catchment::scenario::evaluate;
use std::path::PathBuf;

/// Arguments of `solve`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Scenario file (TOML); default: the bundled Magdeburg scenario.
    scenario: Option<PathBuf>,
    /// Output folder (created if missing).
    #[arg(short, long, default_value = "out")]
    output: PathBuf,
    /// Override [solver] time_limit_s.
    #[arg(long, value_parser = positive_seconds)]
    time_limit: Option<f64>,
    /// Override [solver] threads.
    #[arg(long, value_parser = clap::value_parser!(u32).range(1..))]
    threads: Option<u32>,
}

/// A bad option value is a usage error (exit 2, reported by clap), not an internal one.
fn positive_seconds(text: &str) -> Result<f64, String> {
    match text.parse::<f64>() {
        Ok(t) if t.is_finite() && t > 0.0 => Ok(t),
        _ => Err("must be a positive number of seconds".into()),
    }
}

/// Runs `solve`.
pub fn run(args: Args) -> anyhow::Result<Outcome> {
    let path = args.scenario.unwrap_or_else(super::default_scenario);
    let mut instance = load_scenario(&path)?;
    if let Some(t) = args.time_limit {
        anyhow::ensure!(t.is_finite() && t > 0.0, "--time-limit must be a positive number of seconds");
        instance.solver.time_limit_s = Some(t);
    }
    if let Some(threads) = args.threads {
        anyhow::ensure!(threads > 0, "--threads must be at least 1");
        instance.solver.threads = threads;
    }
    let evaluation = evaluate(&instance).with_context(|| format!("solving {}", path.display()))?;
    let dir = OutputDir::create(&args.output, &instance.sources)?;
    let written = write_solve_outputs(&dir, &instance, evaluation.school_of(), evaluation.school_rows.as_deref(), &evaluation.summary)?;
    let names: Vec<String> = written.iter().map(|p| p.display().to_string()).collect();
    super::print_stdout(&format!("{}written    {}\n", human_summary(&evaluation.summary), names.join(", ")))?;
    Ok(Outcome::Done)
}
