//! `catchment solve [SCENARIO] [-o DIR] [--districts] [--report] [--publish] [--xlsx]`
//!
//! Solves a scenario (default: the bundled `scenarios/magdeburg.toml`) to
//! proven optimality, checks the assignment with the independent checker and
//! writes `assignments.csv`, `schools.csv`, `summary.json` (and `units.csv`
//! with unit assignment) into DIR (default `out`). Prints a short summary.
//!
//! A scenario with `districts = "plan.geojson"` is not optimised: each pupil
//! goes to the school whose district holds the home, and the result is
//! checked and written the same way; rule violations of the plan are
//! reported and make the exit code 1. With `--districts` it also writes
//! `districts.geojson` (one polygon per school around its pupils' homes;
//! `--publish` draws it from homes rounded to a grid) and, with
//! `assign = "units"` or `"homes"`, `bylaw.csv` and `bylaw.md`. With
//! `--report` it also writes `report.html` (see [`catchment::report::html`]).
//!
//! The files are written as one set with `catchment-manifest.json`
//! (`catchment::output::OutputDir::replace_set`): files of an earlier run that
//! this run does not write are removed, and a run without an assignment
//! says so.

use super::Outcome;
use anyhow::Context;
use catchment::geometry::{DEFAULT_PUBLISH_GRID_M, DistrictOptions, district_map};
use catchment::output::{OfficeOptions, OutputDir, OutputFile, OutputKind, evaluation_files, recover_output_dir, with_office};
use catchment::report::html::{HtmlOptions, ReportData, report_html_of};
use catchment::report::human_summary;
use catchment::report::map_background::map_background;
use catchment::report::publish::Mask;
use catchment::report::{compactness_summary, district_shapes, evaluate_scenario_observed};
use catchment::scenario::{WayCache, load_scenario_cached};
use std::path::PathBuf;

/// Arguments of `solve`.
#[derive(Debug, clap::Args)]
#[command(group(clap::ArgGroup::new("published").args(["districts", "report"]).multiple(true)))]
pub struct Args {
    /// Scenario file (TOML); default: the bundled Magdeburg scenario.
    scenario: Option<PathBuf>,
    /// Output folder (created if missing).
    #[arg(short, long, default_value = "out")]
    output: PathBuf,
    /// Override [solver] time_limit_s.
    #[arg(long, value_parser = positive_seconds)]
    time_limit: Option<f64>,
    /// Override [solver] threads (at most 4 per core of this machine).
    #[arg(long, value_parser = threads_on_this_machine)]
    threads: Option<u32>,
    /// Also write districts.geojson (one polygon per school covering its
    /// pupils' homes) and, with assign = "units" or "homes", bylaw.csv and bylaw.md.
    #[arg(long)]
    districts: bool,
    /// How far districts.geojson reaches beyond the outermost homes, in metres.
    #[arg(long, default_value_t = DistrictOptions::default().margin_m, value_parser = positive_metres)]
    district_margin: f64,
    /// Also write report.html: map, utilisation, ways, baseline changes, provenance.
    #[arg(long)]
    report: bool,
    /// With --districts or --report: for publication. districts.geojson is drawn
    /// from homes rounded to a grid (--publish-grid), so that no corner is or gives
    /// away a home; report.html shows no home and no count below --mask-below.
    #[arg(long, requires = "published")]
    publish: bool,
    /// With --publish and --report: counts from 1 to this minus 1 are withheld.
    #[arg(long, default_value_t = catchment::report::publish::DEFAULT_MASK_BELOW, value_parser = clap::value_parser!(u32).range(1..), requires = "publish")]
    mask_below: u32,
    /// Edge of the publication grid in metres (with --publish).
    #[arg(long, default_value_t = DEFAULT_PUBLISH_GRID_M, value_parser = positive_metres, requires = "publish")]
    publish_grid: f64,
    /// Also write results.xlsx (sheets assignments, schools, summary).
    #[arg(long)]
    xlsx: bool,
    /// Neither read nor write the walking-distance cache (DIR/catchment-cache/).
    #[arg(long)]
    no_cache: bool,
}

/// Writes the walking-distance cache; a cache that cannot be written is
/// only warned about (the results are written already).
fn store_cache(cache: &WayCache) {
    if let Err(e) = catchment::output::store_way_cache(cache) {
        eprintln!("warning: the walking-distance cache was not written: {e}");
    }
}

/// A positive number of metres.
fn positive_metres(text: &str) -> Result<f64, String> {
    match text.parse::<f64>() {
        Ok(m) if m.is_finite() && m > 0.0 => Ok(m),
        _ => Err("must be a positive number of metres".into()),
    }
}

/// A thread count from 1 to 4 per core of this machine.
fn threads_on_this_machine(text: &str) -> Result<u32, String> {
    let threads = text.parse::<u32>().map_err(|_| "must be a whole number of threads".to_string())?;
    catchment::model::limits::check_threads(threads).map(|()| threads)
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
    // A killed earlier run into the folder is completed (or cleaned) first.
    recover_output_dir(&args.output)?;
    let path = args.scenario.clone().unwrap_or_else(super::default_scenario);
    if catchment::scenario::years::is_multi_year(&path)? {
        anyhow::ensure!(
            !args.districts && !args.report,
            "--districts and --report are not available for a multi-year scenario ([[year]]) yet; solve without them"
        );
        let years = super::solve_years::YearsArgs {
            scenario: &path,
            output: &args.output,
            time_limit: args.time_limit,
            threads: args.threads,
            xlsx: args.xlsx,
        };
        return super::solve_years::run(years);
    }
    let phases = super::progress::Phases::start(&format!("reading {}", path.display()));
    let cache = super::way_cache_of(&args.output, args.no_cache);
    let mut scenario = load_scenario_cached(&path, &cache)?;
    super::print_warnings(&scenario.warnings);
    let instance = &mut scenario.instance;
    if let Some(t) = args.time_limit {
        anyhow::ensure!(t.is_finite() && t > 0.0, "--time-limit must be a positive number of seconds");
        instance.solver.time_limit_s = Some(t);
    }
    if let Some(threads) = args.threads {
        anyhow::ensure!(threads > 0, "--threads must be at least 1");
        instance.solver.threads = threads;
    }
    let phase = match scenario.districts {
        Some(_) => format!(
            "placing {} pupils by the district plan and checking",
            scenario.instance.pupils.len()
        ),
        None => format!(
            "solving {} pupils at {} schools",
            scenario.instance.pupils.len(),
            scenario.instance.schools.len()
        ),
    };
    phases.phase(format!("{phase}, then checking"));
    let observer = phases.solve_observer(&phase);
    let mut evaluation = evaluate_scenario_observed(&scenario, observer).with_context(|| format!("solving {}", path.display()))?;
    phases.phase("writing the outputs");
    let instance = &scenario.instance;
    let dir = OutputDir::create(&args.output, &instance.sources)?;
    let options = args.districts.then_some(DistrictOptions {
        margin_m: args.district_margin,
        publish_grid_m: args.publish.then_some(args.publish_grid),
    });
    let placed = evaluation.placed_school_of(instance.pupils.len());
    let map = options.as_ref().and_then(|o| district_map(instance, &placed, o));
    evaluation.summary.districts = map.as_ref().map(|m| district_shapes(instance, m));
    evaluation.summary.compactness = evaluation.summary.districts.as_deref().and_then(compactness_summary);
    let office = OfficeOptions {
        dialect: scenario.output.dialect,
        xlsx: args.xlsx,
    };
    let mut files = with_office(evaluation_files(instance, &evaluation, map.as_ref())?, office)?;
    if args.report {
        let options = HtmlOptions {
            publish: args.publish.then_some(Mask { below: args.mask_below }),
            districts: DistrictOptions {
                margin_m: args.district_margin,
                publish_grid_m: args.publish.then_some(args.publish_grid),
            },
            ..HtmlOptions::default()
        };
        let mut data = ReportData::of(instance, &evaluation);
        data.background = map_background(scenario.osm.as_deref())?;
        let html = report_html_of(instance, &data, &options).into_bytes();
        // With homes on the map it is personal data; published, it is not.
        files.push(match args.publish {
            true => OutputFile::shared("report.html", html),
            false => OutputFile::private("report.html", html),
        });
    }
    let set = dir.replace_set(OutputKind::Solve, &files)?;
    store_cache(&cache);
    phases.finish();
    let mut text = human_summary(&evaluation.summary);
    if evaluation.school_of().is_none() && evaluation.plan.is_none() {
        text.push_str(&format!(
            "assignment none ({}): no assignments.csv or schools.csv is written; summary.json says why\n",
            evaluation.summary.status.as_str()
        ));
    }
    text.push_str(&super::written_lines(&set));
    super::print_stdout(&text)?;
    // Only a district plan can break a rule here: an optimum that did is an internal error.
    Ok(if evaluation.summary.violations.is_empty() {
        Outcome::Done
    } else {
        Outcome::Findings
    })
}
