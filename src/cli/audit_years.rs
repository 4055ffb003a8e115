//! `catchment audit S.toml DIR` for a multi-year scenario (`[[year]]`):
//! reads every `DIR/year-<label>/assignments.csv` and `schools.csv`,
//! `DIR/years.csv` and `DIR/summary.json`, and prints (or writes) the
//! report of [`catchment::report::years_audit`]. Exit code 0 compliant,
//! 1 violations found, 2 an input could not be read.

use super::Outcome;
use super::audit::Format;
use catchment::audit::CheckSettings;
use catchment::input::{InputError, read_assignments, read_declared_classes, read_years_summary, read_years_table};
use catchment::output::{Privacy, write_atomically};
use catchment::report::ReportOptions;
use catchment::report::years_audit::{YearFiles, audit_years, years_audit_json, years_audit_markdown};
use catchment::scenario::WayCache;
use catchment::scenario::years::load_years;
use std::path::{Path, PathBuf};

/// The options of `audit` that the multi-year audit takes.
pub struct Settings {
    /// Report format.
    pub format: Format,
    /// `--publish` (not taken yet for a multi-year folder).
    pub publish: bool,
    /// `--stated-distance-tolerance-m`.
    pub stated_distance_tolerance_m: f64,
    /// `-o FILE`.
    pub output: Option<PathBuf>,
}

/// Audits the multi-year result folder `dir` of `scenario`.
pub fn run(scenario: &Path, dir: &Path, settings: &Settings) -> anyhow::Result<Outcome> {
    let loaded = load_years(scenario, &WayCache::off())?;
    super::print_warnings(&loaded.first.warnings);
    if settings.publish {
        return Err(InputError::Scenario {
            path: scenario.to_path_buf(),
            message: "--publish is not available for a multi-year result folder yet; audit each year-<label> folder with --publish".into(),
        }
        .into());
    }
    let (plan, dialect) = (&loaded.plan, &loaded.first.dialect);
    let summary_path = dir.join("summary.json");
    let (summary, summary_source) = read_years_summary(&summary_path)?;
    if summary.status.as_deref() == Some("infeasible") {
        return Err(InputError::Scenario {
            path: summary_path,
            message:
                "the plan is infeasible (status infeasible): no year has an assignment to audit; its rooms_short and siblings_apart say why"
                    .into(),
        }
        .into());
    }
    let mut files = Vec::with_capacity(plan.years.len());
    for (instance, label) in plan.years.iter().zip(&plan.labels) {
        let folder = dir.join(format!("year-{label}"));
        let (rows, rows_source) = read_assignments(&folder.join("assignments.csv"), dialect)?;
        let (declared, declared_source) = read_declared_classes(&folder.join("schools.csv"), dialect, instance)?;
        files.push(YearFiles {
            rows,
            declared,
            sources: vec![rows_source, declared_source],
        });
    }
    let (opened, table_source) = read_years_table(&dir.join("years.csv"), dialect, plan)?;
    let check = CheckSettings {
        stated_distance_tolerance_m: settings.stated_distance_tolerance_m,
    };
    let report = audit_years(plan, &files, opened, summary.sibling_price_m, &check);
    let shared = [table_source, summary_source];
    let options = ReportOptions {
        publish: false,
        mask_below: catchment::report::publish::DEFAULT_MASK_BELOW,
    };
    let text = match settings.format {
        Format::Md => years_audit_markdown(plan, &report, &files, &shared, &options),
        Format::Json => years_audit_json(plan, &report, &files, &shared, &options),
    };
    match &settings.output {
        Some(path) => {
            let target = std::fs::canonicalize(path).ok();
            let read = files
                .iter()
                .flat_map(|f| &f.sources)
                .chain(&shared)
                .chain(plan.years.iter().flat_map(|y| &y.sources));
            let clobbers = read.into_iter().any(|s| std::fs::canonicalize(&s.path).ok() == target);
            anyhow::ensure!(
                target.is_none() || !clobbers,
                catchment::output::OutputError::WouldOverwriteInput { path: path.clone() }
            );
            write_atomically(path, text.as_bytes(), Privacy::Private)?;
        }
        None => super::print_stdout(&text)?,
    }
    Ok(if report.is_compliant() { Outcome::Done } else { Outcome::Findings })
}
