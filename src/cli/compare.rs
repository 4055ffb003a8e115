//! `catchment compare S1.toml S2.toml ... [-o DIR] [--diff] [--report] [--publish]`
//!
//! Evaluates several scenarios in parallel — each optimised, or its district
//! plan taken as drawn — and prints one side-by-side table: status, total,
//! mean, 95th percentile and longest way to school, pupils over the
//! acceptable way, schools at the reduced class size, classes opened, pupils
//! per class, lowest and highest school utilisation, pupils moved against a
//! baseline, rule violations. Writes `compare.csv` (one line per scenario)
//! and `compare.md` into DIR (default `out`).
//!
//! With `--diff`, also prints which schools gain or lose how many pupils and
//! classes in each scenario against the first, and writes `diff.csv`. The
//! files are one set, with `catchment-manifest.json`: a run without `--diff`
//! removes an earlier `diff.csv`. Each scenario's own `assignments.csv`,
//! `schools.csv` and `summary.json` (and `district_issues.csv` for a plan
//! that leaves pupils out) are kept in `DIR/<label>/`, a whole output set of
//! its own as `solve -o DIR/<label>` writes it; they are written before the
//! comparison's set.
//!
//! Every scenario is read before any is solved: a broken input stops the
//! command with exit code 2 and nothing written. A progress bar is drawn on
//! stderr when stderr is a terminal; besides it, only the inputs' warnings
//! are printed there.

use super::Outcome;
use catchment::geometry::DEFAULT_PUBLISH_GRID_M;
use catchment::output::{OutputDir, OutputFile, OutputKind, csv_bytes, evaluation_files, recover_output_dir};
use catchment::report::compare::{Compared, comparison_row, differences, district_compactness, evaluate_all, folder_names};
use catchment::report::html::{ComparedScenario, HtmlOptions, ReportData, compare_html};
use catchment::report::publish::{DEFAULT_MASK_BELOW, Mask};
use catchment::report::{
    comparison_csv_lines, comparison_markdown, comparison_text, differences_text, published_differences, published_differences_text,
    withheld_differences,
};
use catchment::scenario::load_scenario_cached;
use indicatif::{ProgressBar, ProgressStyle};
use std::io::IsTerminal;
use std::path::PathBuf;

/// Arguments of `compare`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Scenario files (TOML), at least one; the first is the base of `--diff`.
    #[arg(required = true)]
    scenarios: Vec<PathBuf>,
    /// Output folder for compare.csv and compare.md (created if missing).
    #[arg(short, long, default_value = "out")]
    output: PathBuf,
    /// Also show and write (diff.csv) the per-school differences of each scenario against the first.
    #[arg(long)]
    diff: bool,
    /// For publication: counts below --mask-below withheld (and every figure that
    /// would give one away); each scenario's own folder (with pupil ids) is not written.
    #[arg(long)]
    publish: bool,
    /// Also write compare.html: the table and one small map per scenario.
    #[arg(long)]
    report: bool,
    /// With --publish: counts from 1 to this minus 1 are withheld.
    #[arg(long, default_value_t = DEFAULT_MASK_BELOW, value_parser = clap::value_parser!(u32).range(1..))]
    mask_below: u32,
    /// Neither read nor write the walking-distance cache (DIR/catchment-cache/); scenarios
    /// with the same OSM extract, homes and schools still share their ways within the run.
    #[arg(long)]
    no_cache: bool,
}

/// Runs `compare`.
pub fn run(args: Args) -> anyhow::Result<Outcome> {
    recover_output_dir(&args.output)?;
    let mut loaded = Vec::with_capacity(args.scenarios.len());
    // Published, the folder holds no personal data: no cache of homes' ways there.
    let cache = super::way_cache_of(&args.output, args.no_cache || args.publish);
    for path in &args.scenarios {
        let scenario = load_scenario_cached(path, &cache)?;
        super::print_warnings(&scenario.warnings);
        loaded.push((path.clone(), scenario));
    }
    let inputs: Vec<_> = loaded.iter().flat_map(|(_, s)| s.instance.sources.clone()).collect();
    let dir = OutputDir::create(&args.output, &inputs)?;
    for name in ["compare.csv", "compare.md", "diff.csv", "compare.html"] {
        dir.file(name)?;
    }

    let progress = if std::io::stderr().is_terminal() {
        ProgressBar::new(loaded.len() as u64)
    } else {
        ProgressBar::hidden()
    };
    progress.set_style(
        ProgressStyle::with_template("{elapsed:>4} [{bar:30}] {pos}/{len} scenarios {msg}")
            .map(|s| s.progress_chars("=> "))
            .unwrap_or_else(|_| ProgressStyle::default_bar()),
    );
    progress.enable_steady_tick(std::time::Duration::from_millis(200));
    let paths: Vec<PathBuf> = loaded.iter().map(|(p, _)| p.clone()).collect();
    let running = std::sync::Mutex::new(catchment::report::compare::labels(&paths));
    progress.set_message(format!("running: {}", running.lock().map(|r| r.join(", ")).unwrap_or_default()));
    let results = evaluate_all(loaded, |label| {
        progress.inc(1);
        if let Ok(mut still) = running.lock() {
            still.retain(|l| l != label);
            progress.set_message(format!("done: {label}; running: {}", still.join(", ")));
        }
    });
    progress.finish_and_clear();
    let compared = results.map_err(|(path, e)| anyhow::Error::new(e).context(format!("solving {}", path.display())))?;

    let mask = args.publish.then_some(Mask { below: args.mask_below });
    let kept = match mask {
        Some(_) => Vec::new(),
        None => write_each_scenario(&args.output, &compared)?,
    };
    let withheld = mask.map(|m| withheld_schools(&compared, m)).unwrap_or_default();
    let rows: Vec<_> = compared
        .iter()
        .enumerate()
        .map(|(i, c)| {
            // Published: measured on the map drawn from homes on the publication grid.
            let row = comparison_row(c).with_compactness(district_compactness(c, mask.map(|_| DEFAULT_PUBLISH_GRID_M)));
            match mask {
                Some(mask) => row.published(mask, c.evaluation.school_rows.as_deref(), &withheld[i]),
                None => row,
            }
        })
        .collect();
    let mut text = comparison_text(&rows);
    let mut files = vec![
        OutputFile::shared("compare.csv", csv_bytes(comparison_csv_lines(&rows), "compare.csv")?),
        OutputFile::shared("compare.md", comparison_markdown(&rows).into_bytes()),
    ];
    if args.report {
        files.push(compare_report(&compared, &rows, mask, &withheld));
    }
    if args.diff {
        let (diff_text, diff_csv) = differences_all(&compared, mask)?;
        text.push_str(&diff_text);
        files.push(OutputFile::shared("diff.csv", diff_csv));
    }
    let set = dir.replace_set(OutputKind::Compare, &files)?;
    if let Err(e) = catchment::output::store_way_cache(&cache) {
        eprintln!("warning: the walking-distance cache was not written: {e}");
    }
    let kept = match kept.is_empty() {
        true => String::new(),
        false => format!("kept       {}\n", kept.join(", ")),
    };
    super::print_stdout(&format!("{text}\n{}{kept}", super::written_lines(&set)))?;
    Ok(Outcome::Done)
}

/// `compare.html`: private (its maps show homes) unless published.
fn compare_report(
    compared: &[Compared],
    rows: &[catchment::report::ComparisonRow],
    mask: Option<Mask>,
    withheld: &[Vec<String>],
) -> OutputFile {
    let scenarios: Vec<ComparedScenario> = compared
        .iter()
        .enumerate()
        .map(|(i, c)| {
            let mut data = ReportData::of(&c.instance, &c.evaluation);
            data.withheld_schools = c
                .instance
                .schools
                .iter()
                .map(|s| withheld.get(i).is_some_and(|w| w.iter().any(|id| id == s.id.as_str())))
                .collect();
            ComparedScenario {
                label: &c.label,
                instance: &c.instance,
                data,
            }
        })
        .collect();
    let options = HtmlOptions {
        publish: mask,
        ..HtmlOptions::default()
    };
    let html = compare_html(&scenarios, rows, &options).into_bytes();
    match mask {
        Some(_) => OutputFile::shared("compare.html", html),
        None => OutputFile::private("compare.html", html),
    }
}

/// Per scenario, the schools whose pupils `diff.csv` withholds against the
/// first (in the first, those withheld against any other).
fn withheld_schools(compared: &[Compared], mask: Mask) -> Vec<Vec<String>> {
    let mut withheld = vec![Vec::new(); compared.len()];
    for (i, other) in compared.iter().enumerate().skip(1) {
        let Some(d) = differences(&compared[0], other) else { continue };
        for (row, hidden) in d.iter().zip(withheld_differences(&d, mask)) {
            if hidden {
                withheld[0].push(row.school_id.clone());
                withheld[i].push(row.school_id.clone());
            }
        }
    }
    withheld
}

/// The differences of each scenario against the first: the text for the
/// terminal and `diff.csv` (published when `mask` is set).
fn differences_all(compared: &[Compared], mask: Option<Mask>) -> anyhow::Result<(String, Vec<u8>)> {
    let mut text = String::new();
    let mut all = Vec::new();
    for other in compared.iter().skip(1) {
        text.push('\n');
        match differences(&compared[0], other) {
            Some(d) => {
                match mask {
                    Some(mask) => text.push_str(&published_differences_text(&d, mask)),
                    None => text.push_str(&differences_text(&d)),
                }
                all.extend(d);
            }
            None => text.push_str(&format!(
                "{} against {}: no differences to show, one of them has no assignment\n",
                other.label, compared[0].label
            )),
        }
    }
    let csv = match mask {
        // Withheld per pair of scenarios: each pair's columns add up to its own totals.
        Some(mask) => {
            let mut lines = Vec::new();
            for pair in all.chunk_by(|a, b| a.scenario == b.scenario) {
                lines.extend(published_differences(pair, mask));
            }
            csv_bytes(lines, "diff.csv")?
        }
        None => csv_bytes(all, "diff.csv")?,
    };
    Ok((text, csv))
}

/// Writes each scenario's outputs into its own folder `out/<label>/`;
/// returns the folders written.
fn write_each_scenario(out: &std::path::Path, compared: &[Compared]) -> anyhow::Result<Vec<String>> {
    let labels: Vec<String> = compared.iter().map(|c| c.label.clone()).collect();
    let mut kept = Vec::with_capacity(compared.len());
    for (c, folder) in compared.iter().zip(folder_names(&labels)) {
        let path = out.join(&folder);
        recover_output_dir(&path)?;
        let dir = OutputDir::create(&path, &c.instance.sources)?;
        dir.replace_set(OutputKind::Solve, &evaluation_files(&c.instance, &c.evaluation, None)?)?;
        kept.push(path.display().to_string());
    }
    Ok(kept)
}
