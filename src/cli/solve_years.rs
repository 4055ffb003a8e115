//! `catchment solve S.toml -o DIR` for a multi-year scenario (`[[year]]`):
//! one joint solve, then per year the usual output set in
//! `DIR/year-<label>/`, and `DIR/years.csv` and `DIR/summary.json`.

use super::Outcome;
use anyhow::Context;
use catchment::output::{OfficeOptions, OutputDir, OutputFile, OutputKind, csv_bytes, evaluation_files, json_bytes, with_office};
use catchment::report::years::{evaluate_years, writes_year_folder, years_text};
use catchment::scenario::WayCache;
use catchment::scenario::years::load_years;
use catchment::solve::Deadline;
use std::path::Path;

/// What `solve` passes on for a multi-year scenario.
pub struct YearsArgs<'a> {
    /// The scenario.
    pub scenario: &'a Path,
    /// The output folder.
    pub output: &'a Path,
    /// `--time-limit`.
    pub time_limit: Option<f64>,
    /// `--threads`.
    pub threads: Option<u32>,
    /// `--xlsx`.
    pub xlsx: bool,
}

/// Solves and writes a multi-year scenario.
pub fn run(args: YearsArgs) -> anyhow::Result<Outcome> {
    let mut loaded = load_years(args.scenario, &WayCache::off())?;
    super::print_warnings(&loaded.first.warnings);
    for year in &mut loaded.plan.years {
        if let Some(t) = args.time_limit {
            year.solver.time_limit_s = Some(t);
        }
        if let Some(threads) = args.threads {
            year.solver.threads = threads;
        }
    }
    let plan = &loaded.plan;
    let deadline = Deadline::after(plan.years[0].solver.time_limit_s);
    let evaluation = evaluate_years(plan, deadline).with_context(|| format!("solving {}", args.scenario.display()))?;
    let office = OfficeOptions {
        dialect: loaded.first.output.dialect,
        xlsx: args.xlsx,
    };
    let mut written = String::new();
    let mut sources = Vec::new();
    for (t, ((instance, year), label)) in evaluation.instances.iter().zip(&evaluation.years).zip(&plan.labels).enumerate() {
        if !writes_year_folder(&evaluation, t) {
            continue;
        }
        let files = with_office(evaluation_files(instance, year, None)?, office)?;
        let dir = OutputDir::create(&args.output.join(format!("year-{label}")), &instance.sources)?;
        written.push_str(&super::written_lines(&dir.replace_set(OutputKind::Solve, &files)?));
        sources.extend(instance.sources.iter().cloned());
    }
    let mut files = vec![OutputFile::shared("summary.json", json_bytes(&evaluation.summary, "summary.json")?)];
    if !evaluation.rows.is_empty() {
        files.insert(0, OutputFile::shared("years.csv", csv_bytes(&evaluation.rows, "years.csv")?));
    }
    let dir = OutputDir::create(args.output, &sources)?;
    written.push_str(&super::written_lines(&dir.replace_set(OutputKind::Solve, &files)?));
    let mut text = years_text(&evaluation);
    text.push_str(&written);
    super::print_stdout(&text)?;
    Ok(Outcome::Done)
}
