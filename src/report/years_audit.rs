//! The audit of a multi-year result folder (`catchment audit S.toml DIR`):
//! each `DIR/year-<label>/` checked as a single-year result with the
//! classes its `schools.csv` declares ([`crate::audit::check_with`]), and
//! the rules across the years recomputed from the written files
//! ([`crate::audit::years`]). Rendered as Markdown or JSON.

use super::{ReportOptions, audit_json, audit_markdown};
use crate::audit::years::{StatedPlan, resolve_schools, rules_checked};
use crate::audit::{AssignmentRow, AuditReport, CheckSettings, Rule, Violation, check_with};
use crate::model::{Instance, SourceFile, YearPlan};
use serde::Serialize;

/// The JSON schema name of a multi-year audit report.
pub const YEARS_AUDIT_SCHEMA: &str = "catchment-audit-years/1";

/// One year's written result, as read.
#[derive(Debug, Clone)]
pub struct YearFiles {
    /// `year-<label>/assignments.csv`.
    pub rows: Vec<AssignmentRow>,
    /// `year-<label>/schools.csv`: the classes declared per school.
    pub declared: Vec<Option<u32>>,
    /// The two files (path and SHA-256).
    pub sources: Vec<SourceFile>,
}

/// The audit of every year and of the plan across the years.
#[derive(Debug, Clone)]
pub struct YearsAuditReport {
    /// Each year's single-year check, in the plan's order.
    pub years: Vec<AuditReport>,
    /// Violations across the years (rooms, siblings across years).
    pub across: Vec<Violation>,
    /// The rule families checked across the years.
    pub rules_across: Vec<Rule>,
}

impl YearsAuditReport {
    /// True when no rule of any year and none across the years is violated.
    pub fn is_compliant(&self) -> bool {
        self.across.is_empty() && self.years.iter().all(AuditReport::is_compliant)
    }

    /// Violations in all.
    pub fn violation_count(&self) -> usize {
        self.across.len() + self.years.iter().map(|y| y.violations.len()).sum::<usize>()
    }
}

/// Checks every year's files and the rules across the years. `opened` is
/// `years.csv` (classes per year and school), `sibling_price_m` the price
/// the top-level summary states.
pub fn audit_years(
    plan: &YearPlan,
    files: &[YearFiles],
    opened: Vec<Vec<Option<u32>>>,
    sibling_price_m: Option<f64>,
    settings: &CheckSettings,
) -> YearsAuditReport {
    let years: Vec<AuditReport> = plan
        .years
        .iter()
        .zip(files)
        .map(|(instance, year)| check_with(instance, &year.rows, Some(&year.declared), settings))
        .collect();
    let stated = StatedPlan {
        opened,
        declared: files.iter().map(|f| f.declared.clone()).collect(),
        school_of: files
            .iter()
            .enumerate()
            .map(|(t, f)| resolve_schools(plan, t, f.rows.iter().map(|r| (r.pupil_id.as_str(), r.school_id.as_str()))))
            .collect(),
        sibling_price_m,
    };
    YearsAuditReport {
        years,
        across: crate::audit::years::check(plan, &stated),
        rules_across: rules_checked(plan),
    }
}

/// One line per rule family checked across the years.
fn rules_across_lines(plan: &YearPlan, report: &YearsAuditReport) -> String {
    let rules = &plan.years[0].rules;
    report
        .rules_across
        .iter()
        .map(|rule| match rule {
            Rule::Rooms => format!(
                "- rooms: years.csv's classes equal each year's declared classes; per school and year the classes opened in the last {} years of the plan plus the older grades' classes within `rooms`\n",
                plan.grades
            ),
            _ if rules.siblings_hard => "- siblings across years: every pair (sibling_id) at one school (siblings_hard)\n".to_string(),
            _ => format!(
                "- siblings across years: the stated sibling price is sibling_weight_m = {} m per pair apart\n",
                rules.sibling_weight_m
            ),
        })
        .collect()
}

/// The input files of one year's report: the year's scenario sources, then its result files.
fn year_inputs(year: &Instance, files: &YearFiles) -> Vec<SourceFile> {
    let mut inputs = year.sources.clone();
    inputs.extend(files.sources.iter().cloned());
    inputs
}

/// Renders the report as Markdown: the plan across the years, then each year's single-year report.
pub fn years_audit_markdown(
    plan: &YearPlan,
    report: &YearsAuditReport,
    files: &[YearFiles],
    shared: &[SourceFile],
    options: &ReportOptions,
) -> String {
    let mut md = format!("# Audit of a multi-year plan: {}\n\n", plan.years[0].name);
    md.push_str(&match report.is_compliant() {
        true => format!(
            "Compliant: {} years, every rule of every year and across the years kept.\n\n",
            plan.years.len()
        ),
        false => format!("Not compliant: {} violations.\n\n", report.violation_count()),
    });
    md.push_str("## Across the years\n\n");
    md.push_str(&rules_across_lines(plan, report));
    md.push('\n');
    match report.across.is_empty() {
        true => md.push_str("No violation across the years.\n"),
        false => report.across.iter().for_each(|v| md.push_str(&format!("- {}\n", v.message))),
    }
    md.push_str("\n| file | SHA-256 |\n|---|---|\n");
    for source in shared {
        md.push_str(&format!("| {} | `{}` |\n", source.path.display(), source.sha256));
    }
    for (t, (year, audit)) in plan.years.iter().zip(&report.years).enumerate() {
        md.push_str(&format!("\n---\n\n## Year {}\n\n", plan.labels[t]));
        md.push_str(&audit_markdown(year, audit, &year_inputs(year, &files[t]), options));
    }
    md
}

#[derive(Serialize)]
struct YearsAuditJson<'a> {
    schema: &'static str,
    scenario: &'a str,
    compliant: bool,
    violation_count: usize,
    across_years: AcrossJson<'a>,
    years: Vec<YearJson<'a>>,
    inputs: &'a [SourceFile],
    tool_version: &'static str,
}

#[derive(Serialize)]
struct AcrossJson<'a> {
    rules_checked: &'a [Rule],
    violations: &'a [Violation],
}

#[derive(Serialize)]
struct YearJson<'a> {
    label: &'a str,
    report: serde_json::Value,
}

/// Renders the report as JSON: `across_years` (`rules_checked`,
/// `violations`) and per year its label and its single-year report
/// (`catchment-audit/1`).
pub fn years_audit_json(
    plan: &YearPlan,
    report: &YearsAuditReport,
    files: &[YearFiles],
    shared: &[SourceFile],
    options: &ReportOptions,
) -> String {
    let years = plan
        .years
        .iter()
        .zip(&report.years)
        .enumerate()
        .map(|(t, (year, audit))| YearJson {
            label: &plan.labels[t],
            report: serde_json::from_str(&audit_json(year, audit, &year_inputs(year, &files[t]), options)).expect("our own JSON parses"),
        })
        .collect();
    let json = YearsAuditJson {
        schema: YEARS_AUDIT_SCHEMA,
        scenario: &plan.years[0].name,
        compliant: report.is_compliant(),
        violation_count: report.violation_count(),
        across_years: AcrossJson {
            rules_checked: &report.rules_across,
            violations: &report.across,
        },
        years,
        inputs: shared,
        tool_version: env!("CARGO_PKG_VERSION"),
    };
    let mut text = serde_json::to_string_pretty(&json).expect("plain data serialises");
    text.push('\n');
    text
}
