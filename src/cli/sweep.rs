//! `catchment sweep S.toml --set KEY=VALUES ... [-o DIR] [--jobs N]`
//!
//! Solves the grid of scenarios the `--set`s span (see
//! [`catchment::scenario::sweep`]) in parallel, each into `DIR/<label>/` as
//! `solve -o` writes it; points already complete are skipped (resume). Prints
//! one table and writes `DIR/sweep.csv`; how many points were solved and
//! skipped goes to stderr. A bad `--set` stops the command with exit code 2
//! before anything is solved or written. A progress bar is drawn on stderr
//! when stderr is a terminal.

use super::Outcome;
use anyhow::Context;
use catchment::output::{SweepRunError, recover_output_dir, run_sweep, sweep_text, write_sweep_csv};
use catchment::scenario::load_scenario_with_districts;
use catchment::scenario::sweep::{check_axes, grid, parse_set};
use indicatif::{ProgressBar, ProgressStyle};
use std::io::IsTerminal;
use std::path::PathBuf;

/// Arguments of `sweep`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Scenario file (TOML) the grid starts from.
    scenario: PathBuf,
    /// A dotted key and its values: rules.KEY=0.20,0.25, solver.KEY=..., classes.SCHOOL_ID=3..5 (repeatable).
    #[arg(long = "set", required = true, value_name = "KEY=VALUES")]
    sets: Vec<String>,
    /// Output folder: one folder per grid point, and sweep.csv.
    #[arg(short, long, default_value = "out")]
    output: PathBuf,
    /// Grid points solved at the same time.
    #[arg(long, default_value_t = 2, value_parser = clap::value_parser!(u32).range(1..=64))]
    jobs: u32,
}

/// Runs `sweep`.
pub fn run(args: Args) -> anyhow::Result<Outcome> {
    let axes = args.sets.iter().map(|s| parse_set(s)).collect::<Result<Vec<_>, _>>()?;
    let points = grid(&axes)?;
    recover_output_dir(&args.output)?;
    let scenario = load_scenario_with_districts(&args.scenario)?;
    super::print_warnings(&scenario.warnings);
    anyhow::ensure!(
        scenario.districts.is_none(),
        catchment::scenario::sweep::SweepError {
            argument: args.sets[0].clone(),
            reason: "the scenario places pupils by a district plan; a sweep needs a scenario to optimise".into(),
        }
    );
    check_axes(&scenario.instance, &axes)?;
    let progress = progress_bar(points.len());
    let results = run_sweep(&scenario, &axes, &points, &args.output, args.jobs as usize, |label, skipped| {
        progress.inc(1);
        progress.set_message(format!("{} {label}", if skipped { "complete:" } else { "solved:" }));
    });
    progress.finish_and_clear();
    let results = results.map_err(|e| match e {
        SweepRunError::Output(o) => anyhow::Error::new(o),
        SweepRunError::Setting(s) => anyhow::Error::new(s),
        SweepRunError::Solve { label, source } => anyhow::Error::new(source).context(format!("solving grid point {label}")),
        other => anyhow::Error::new(other),
    })?;
    let csv = write_sweep_csv(&args.output, &axes, &results, &scenario.instance.sources).context("writing sweep.csv")?;
    let solved = results.iter().filter(|r| !r.skipped).count();
    eprintln!(
        "solved {solved} of {} grid points ({} already complete)",
        results.len(),
        results.len() - solved
    );
    let mut text = sweep_text(&axes, &results);
    text.push_str(&format!(
        "written    {} and {} folders in {}\n",
        csv.display(),
        results.len(),
        args.output.display()
    ));
    super::print_stdout(&text)?;
    Ok(Outcome::Done)
}

/// A bar over the grid points on a terminal, hidden otherwise.
fn progress_bar(points: usize) -> ProgressBar {
    let progress = if std::io::stderr().is_terminal() {
        ProgressBar::new(points as u64)
    } else {
        ProgressBar::hidden()
    };
    progress.set_style(
        ProgressStyle::with_template("{elapsed:>4} [{bar:30}] {pos}/{len} grid points {msg}")
            .map(|s| s.progress_chars("=> "))
            .unwrap_or_else(|_| ProgressStyle::default_bar()),
    );
    progress.enable_steady_tick(std::time::Duration::from_millis(200));
    progress
}
