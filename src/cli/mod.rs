//! Argument parsing and dispatch to one module per subcommand.

mod audit;
mod audit_years;
mod compare;
mod export_model;
mod generate;
mod progress;
mod report;
mod solve;
mod solve_years;
mod sweep;

use catchment::generate::GenerateError;
use catchment::input::{InputError, InputWarning};
use catchment::output::OutputError;
use catchment::scenario::EvaluateError;
use catchment::solve::SolveError;
use clap::{Parser, Subcommand};
use std::process::ExitCode;

/// Assigns school starters to primary schools by integer programming (HiGHS),
/// with the shortest total way to school, within every school's classes and
/// the reduced-capacity rule (17 instead of 22 per class above 25% migration share).
#[derive(Debug, Parser)]
#[command(name = "catchment", version, about)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Solve a scenario and write assignments, school table and summary.
    Solve(solve::Args),
    /// Write a synthetic city (schools, pupils, scenario) from a seed.
    Generate(generate::Args),
    /// Check an assignment against every rule of a scenario.
    Audit(audit::Args),
    /// Write the exact integer program (MPS or LP) with readable names.
    ExportModel(export_model::Args),
    /// Evaluate several scenarios in parallel and print them side by side.
    Compare(compare::Args),
    /// Write report.html for an existing result of `solve -o OUTDIR`.
    Report(report::Args),
    /// Solve a grid of variants of a scenario (--set KEY=VALUES), in parallel, with resume.
    Sweep(sweep::Args),
}

/// What a command reports back to `main`.
pub enum Outcome {
    /// Done.
    Done,
    /// Done, with findings that make the exit code 1 (audit violations).
    Findings,
}

/// Parses the arguments, runs the command and maps the result to an exit code.
pub fn run() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Solve(args) => solve::run(args),
        Command::Generate(args) => generate::run(args),
        Command::Audit(args) => audit::run(args),
        Command::ExportModel(args) => export_model::run(args),
        Command::Compare(args) => compare::run(args),
        Command::Report(args) => report::run(args),
        Command::Sweep(args) => sweep::run(args),
    };
    match result {
        Ok(Outcome::Done) => ExitCode::SUCCESS,
        Ok(Outcome::Findings) => ExitCode::from(1),
        Err(error) => {
            eprintln!("error: {error:#}");
            if is_user_error(&error) {
                ExitCode::from(2)
            } else {
                ExitCode::from(3)
            }
        }
    }
}

/// Input and output problems, solver settings and generator options are the
/// user's to fix (exit 2), decided by the error's type; anything else is ours (exit 3).
fn is_user_error(error: &anyhow::Error) -> bool {
    error.chain().any(|cause| {
        cause.is::<InputError>()
            || cause.is::<OutputError>()
            || cause.is::<GenerateError>()
            || cause.is::<catchment::scenario::sweep::SweepError>()
            || cause.is::<catchment::report::from_result::ResultReportError>()
            || cause.downcast_ref::<SolveError>().is_some_and(SolveError::is_user_error)
            || matches!(cause.downcast_ref::<EvaluateError>(), Some(EvaluateError::Solve(e)) if e.is_user_error())
    })
}

/// The bundled scenario, used when none is given: `scenarios/magdeburg.toml`
/// in the current folder, else in the source tree the binary was built from.
pub fn default_scenario() -> std::path::PathBuf {
    let local = std::path::PathBuf::from("scenarios/magdeburg.toml");
    if local.exists() {
        local
    } else {
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/magdeburg.toml")
    }
}

/// The walking-distance cache of a run writing into `output` (off with `--no-cache`).
pub fn way_cache_of(output: &std::path::Path, no_cache: bool) -> catchment::scenario::WayCache {
    match no_cache {
        true => catchment::scenario::WayCache::off(),
        false => catchment::scenario::WayCache::beside(output),
    }
}

/// Prints the inputs' warnings to stderr, one `warning: ...` line each.
pub fn print_warnings(warnings: &[InputWarning]) {
    for warning in warnings {
        eprintln!("warning: {warning}");
    }
}

/// Writes `text` to stdout. A closed pipe (`catchment ... | head`) ends the
/// output quietly instead of panicking.
pub fn print_stdout(text: &str) -> anyhow::Result<()> {
    use std::io::Write;
    let mut stdout = std::io::stdout().lock();
    match stdout.write_all(text.as_bytes()).and_then(|()| stdout.flush()) {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => Err(e.into()),
        _ => Ok(()),
    }
}

/// The `written` line (and a `removed` line for files of an earlier run that
/// this run does not write) after a set was replaced.
pub fn written_lines(set: &catchment::output::WrittenSet) -> String {
    let names = |paths: &[std::path::PathBuf]| paths.iter().map(|p| p.display().to_string()).collect::<Vec<_>>().join(", ");
    let mut written = set.written.clone();
    written.push(set.manifest.clone());
    let mut text = format!("written    {}\n", names(&written));
    if !set.removed.is_empty() {
        text.push_str(&format!(
            "removed    {} (of an earlier run, not written by this one)\n",
            names(&set.removed)
        ));
    }
    text
}

/// Completes (or cleans) what a killed run left in the folder a file is to
/// be written into, before any input is read (see `catchment::output::recover_output_dir`).
pub fn recover_folder_of(path: &std::path::Path) -> Result<(), catchment::output::OutputError> {
    let folder = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(std::path::Path::new("."));
    catchment::output::recover_output_dir(folder)
}
