//! `catchment audit --scenario S.toml --assignments A.csv [--schools-result schools.csv] [--format md|json] [--publish] [-o FILE]`
//! `catchment audit S.toml DIR [--format md|json] [-o FILE]`: the result folder `solve -o DIR` wrote
//! (a multi-year scenario: every `DIR/year-<label>/` and the rules across the years, see `audit_years`).
//!
//! Checks an assignment — made by this tool or by anyone else — against every
//! rule of the scenario with the independent checker, and prints (or writes)
//! a report naming each violation with its numbers. Exit code 0 compliant,
//! 1 violations found, 2 an input could not be read or the report not
//! written. `-o FILE` must be a new file or a regular file (never a folder,
//! a device or a link); the report is created with mode 0600, or 0644 with
//! `--publish`.

use super::Outcome;
use catchment::audit::{CheckSettings, STATED_DISTANCE_TOLERANCE_M, check_with};
use catchment::input::{read_assignments, read_declared_classes};
use catchment::output::{Privacy, write_atomically};
use catchment::report::{ReportOptions, audit_json, audit_markdown};
use catchment::scenario::{WayCache, load_scenario_without_districts_cached};
use std::path::PathBuf;

/// Report format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// Markdown for people.
    Md,
    /// JSON with stable keys for machines.
    Json,
}

/// Arguments of `audit`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Scenario whose rules apply.
    #[arg(long, required_unless_present = "folder")]
    scenario: Option<PathBuf>,
    /// The assignment: `pupil_id,school_id[,distance_m]`.
    #[arg(long, required_unless_present = "folder")]
    assignments: Option<PathBuf>,
    /// `audit S.toml DIR`: a scenario and the folder `solve S.toml -o DIR` wrote
    /// (a multi-year scenario: every year's folder and the rules across the years).
    #[arg(num_args = 2, value_names = ["SCENARIO", "DIR"], conflicts_with_all = ["scenario", "assignments", "schools_result"])]
    folder: Vec<PathBuf>,
    /// A `schools.csv` result with the classes each school opens (`school_id,classes`);
    /// without it each school is taken to open the fewest classes that fit.
    #[arg(long)]
    schools_result: Option<PathBuf>,
    /// Report format.
    #[arg(long, value_enum, default_value = "md")]
    format: Format,
    /// Publishable report: no pupil ids, counts below --mask-below shown as "<N".
    #[arg(long)]
    publish: bool,
    /// Threshold for masking small counts with --publish: counts from 1 to this minus 1 are withheld.
    #[arg(long, default_value_t = catchment::report::publish::DEFAULT_MASK_BELOW, value_parser = clap::value_parser!(u32).range(1..))]
    mask_below: u32,
    /// A stated distance_m passes when within this many metres of the recomputed way.
    #[arg(long, default_value_t = STATED_DISTANCE_TOLERANCE_M, value_parser = tolerance)]
    stated_distance_tolerance_m: f64,
    /// Build the walk graph from the OSM extract even when the distance cache
    /// beside the assignments (`catchment-cache/` in their folder) matches.
    #[arg(long)]
    no_cache: bool,
    /// Write the report to this file instead of stdout.
    #[arg(short, long)]
    output: Option<PathBuf>,
}

/// Runs `audit`.
pub fn run(mut args: Args) -> anyhow::Result<Outcome> {
    if let Some(path) = &args.output {
        catchment::output::ensure_regular_or_new(path)?;
        super::recover_folder_of(path)?;
    }
    if let [scenario, dir] = args.folder.as_slice() {
        if catchment::scenario::years::is_multi_year(scenario)? {
            return super::audit_years::run(scenario, dir, &args.report_settings());
        }
        // A single-year result folder: its assignments and declared classes.
        args.schools_result = Some(dir.join("schools.csv"));
        args.assignments = Some(dir.join("assignments.csv"));
        args.scenario = Some(scenario.clone());
    }
    // clap requires both without SCENARIO DIR (an empty path would be refused as unreadable).
    let (scenario_path, assignments) = (
        args.scenario.clone().unwrap_or_default(),
        args.assignments.clone().unwrap_or_default(),
    );
    // The walk graph and snaps from the distance cache of the result being
    // audited (`catchment-cache/` beside its assignments), never written;
    // the ways are recomputed by the checker's own shortest paths.
    let cache = match args.no_cache {
        true => WayCache::off(),
        false => WayCache::read_only(assignments.parent().unwrap_or(std::path::Path::new("."))),
    };
    let scenario = load_scenario_without_districts_cached(&scenario_path, &cache)?;
    super::print_warnings(&scenario.warnings);
    let (instance, dialect) = (scenario.instance, scenario.dialect);
    let (rows, assignment_source) = read_assignments(&assignments, &dialect)?;
    let mut inputs = instance.sources.clone();
    inputs.push(assignment_source);
    let declared = match &args.schools_result {
        Some(path) => {
            let (declared, source) = read_declared_classes(path, &dialect, &instance)?;
            inputs.push(source);
            Some(declared)
        }
        None => None,
    };
    let settings = CheckSettings {
        stated_distance_tolerance_m: args.stated_distance_tolerance_m,
    };
    let report = check_with(&instance, &rows, declared.as_deref(), &settings);
    let options = ReportOptions {
        publish: args.publish,
        mask_below: args.mask_below,
    };
    let text = match args.format {
        Format::Md => audit_markdown(&instance, &report, &inputs, &options),
        Format::Json => audit_json(&instance, &report, &inputs, &options),
    };
    match &args.output {
        Some(path) => {
            let target = std::fs::canonicalize(path).ok();
            anyhow::ensure!(
                target.is_none() || !inputs.iter().any(|s| std::fs::canonicalize(&s.path).ok() == target),
                catchment::output::OutputError::WouldOverwriteInput { path: path.clone() }
            );
            // A report with pupil ids is personal data; a publishable one is not.
            let privacy = if args.publish { Privacy::Shared } else { Privacy::Private };
            write_atomically(path, text.as_bytes(), privacy)?;
        }
        None => super::print_stdout(&text)?,
    }
    Ok(if report.is_compliant() { Outcome::Done } else { Outcome::Findings })
}

impl Args {
    /// What the multi-year audit takes of the arguments.
    fn report_settings(&self) -> super::audit_years::Settings {
        super::audit_years::Settings {
            format: self.format,
            publish: self.publish,
            stated_distance_tolerance_m: self.stated_distance_tolerance_m,
            output: self.output.clone(),
        }
    }
}

/// A tolerance in metres: finite and not negative.
fn tolerance(text: &str) -> Result<f64, String> {
    match text.parse::<f64>() {
        Ok(v) if v.is_finite() && v >= 0.0 => Ok(v),
        _ => Err(format!("`{text}` is not a distance in metres (a finite number, 0 or more)")),
    }
}
