//! The audit report: Markdown for people, JSON (stable keys) for machines,
//! and a publishable form without pupil ids and with small counts masked.

use crate::audit::{AuditReport, Rule, SchoolTally, Violation};
use crate::model::{Instance, SourceFile};
use serde::Serialize;
use std::collections::BTreeMap;

/// How the report is rendered.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ReportOptions {
    /// Publishable: no pupil ids, counts below `mask_below` shown as "<N".
    pub publish: bool,
    /// Counts below this are masked when publishing (default 5).
    pub mask_below: u32,
}

impl Default for ReportOptions {
    fn default() -> Self {
        Self {
            publish: false,
            mask_below: 5,
        }
    }
}

/// One school in the JSON report.
#[derive(Debug, Clone, Serialize)]
struct SchoolJson {
    school_id: String,
    assigned: String,
    migrants: String,
    intake_share: String,
    deciding_share: String,
    reduced: bool,
    class_size: u32,
    classes: u32,
    classes_declared: bool,
    capacity: u64,
}

/// The JSON report.
#[derive(Debug, Clone, Serialize)]
struct AuditJson<'a> {
    scenario: &'a str,
    compliant: bool,
    violation_count: usize,
    violations_by_rule: BTreeMap<Rule, usize>,
    violations: Vec<Violation>,
    schools: Vec<SchoolJson>,
    rules: &'a crate::model::Rules,
    inputs: &'a [SourceFile],
    tool_version: &'static str,
}

fn count(n: u32, options: &ReportOptions) -> String {
    if options.publish && n > 0 && n < options.mask_below {
        format!("<{}", options.mask_below)
    } else {
        n.to_string()
    }
}

fn share(t: &SchoolTally, value: f64, options: &ReportOptions) -> String {
    if options.publish && t.assigned > 0 && t.assigned < options.mask_below {
        "masked".into()
    } else {
        format!("{value:.4}")
    }
}

/// Violations as shown: all of them, or when publishing only those about
/// schools, with pupil-level ones counted per rule.
fn shown_violations(instance: &Instance, report: &AuditReport, options: &ReportOptions) -> Vec<Violation> {
    if !options.publish {
        return report.violations.clone();
    }
    let is_school = |v: &Violation| instance.schools.iter().any(|s| s.id.as_str() == v.subject);
    let mut shown: Vec<Violation> = report.violations.iter().filter(|v| is_school(v)).cloned().collect();
    let mut pupil_level: BTreeMap<Rule, u32> = BTreeMap::new();
    for v in report.violations.iter().filter(|v| !is_school(v)) {
        *pupil_level.entry(v.rule).or_default() += 1;
    }
    for (rule, n) in pupil_level {
        shown.push(Violation::new(
            rule,
            "pupils",
            format!(
                "{} pupil-level violations of this rule (details withheld for publication)",
                count(n, options)
            ),
        ));
    }
    shown
}

fn by_rule(report: &AuditReport) -> BTreeMap<Rule, usize> {
    let mut map = BTreeMap::new();
    for v in &report.violations {
        *map.entry(v.rule).or_default() += 1;
    }
    map
}

/// Renders the report as JSON with stable keys.
pub fn audit_json(instance: &Instance, report: &AuditReport, inputs: &[SourceFile], options: &ReportOptions) -> String {
    let json = AuditJson {
        scenario: &instance.name,
        compliant: report.is_compliant(),
        violation_count: report.violations.len(),
        violations_by_rule: by_rule(report),
        violations: shown_violations(instance, report, options),
        schools: report
            .schools
            .iter()
            .map(|t| SchoolJson {
                school_id: instance.schools[t.index].id.to_string(),
                assigned: count(t.assigned, options),
                migrants: count(t.migrants, options),
                intake_share: share(t, t.intake_share, options),
                deciding_share: format!("{:.4}", t.deciding_share),
                reduced: t.reduced,
                class_size: t.class_size,
                classes: t.classes,
                classes_declared: t.classes_declared,
                capacity: t.capacity,
            })
            .collect(),
        rules: &instance.rules,
        inputs,
        tool_version: env!("CARGO_PKG_VERSION"),
    };
    let mut text = serde_json::to_string_pretty(&json).expect("plain data serialises");
    text.push('\n');
    text
}

/// Renders the report as Markdown.
pub fn audit_markdown(instance: &Instance, report: &AuditReport, inputs: &[SourceFile], options: &ReportOptions) -> String {
    let rules = &instance.rules;
    let mut md = String::new();
    md.push_str(&format!("# Audit: {}\n\n", instance.name));
    let verdict = if report.is_compliant() {
        "**COMPLIANT**: every rule holds.".to_string()
    } else {
        format!("**NOT COMPLIANT**: {} violations.", report.violations.len())
    };
    md.push_str(&format!("{verdict}\n\n"));
    md.push_str("## Rules checked\n\n");
    md.push_str(&format!(
        "- capacity: classes x {} pupils, {} when the {} migration share is above {}\n",
        rules.class_size,
        rules.reduced_class_size,
        match rules.migration_basis {
            crate::model::MigrationBasis::PreviousYear => "previous year's",
            crate::model::MigrationBasis::Intake => "intake's",
        },
        rules.migration_threshold
    ));
    md.push_str("- coverage: every pupil exactly once, known pupils and schools only\n");
    if let Some(m) = rules.min_class_size {
        md.push_str(&format!("- class minimum: at least {m} pupils per opened class\n"));
    }
    if let Some(d) = rules.max_distance_m {
        md.push_str(&format!("- distance: no way longer than {d:.0} m\n"));
    }
    md.push_str("- locks: pupils with fixed_school at that school\n");
    if let Some(most) = rules.max_migration_share {
        md.push_str(&format!("- balance: no intake share above {most}\n"));
    }
    if let Some(deviation) = rules.max_share_deviation {
        md.push_str(&format!("- balance: every intake share within {deviation} of the city's\n"));
    }
    if rules.assign == crate::model::AssignMode::Units {
        md.push_str("- units: no street section split across schools\n");
    }
    if rules.assign == crate::model::AssignMode::Homes {
        md.push_str("- homes: no address or home split across schools\n");
    }
    md.push_str("\n## Violations\n\n");
    let shown = shown_violations(instance, report, options);
    if shown.is_empty() {
        md.push_str("None.\n");
    } else {
        md.push_str("| rule | subject | finding |\n|---|---|---|\n");
        for v in &shown {
            let rule = serde_json::to_value(v.rule)
                .ok()
                .and_then(|r| r.as_str().map(str::to_string))
                .unwrap_or_default();
            md.push_str(&format!("| {} | {} | {} |\n", rule, v.subject, v.message.replace('|', "\\|")));
        }
    }
    md.push_str("\n## Schools\n\n| school | pupils | migrants | intake share | deciding share | reduced | class size | classes | seats |\n|---|---:|---:|---:|---:|:---:|---:|---:|---:|\n");
    for t in &report.schools {
        md.push_str(&format!(
            "| {} | {} | {} | {} | {:.4} | {} | {} | {}{} | {} |\n",
            instance.schools[t.index].id,
            count(t.assigned, options),
            count(t.migrants, options),
            share(t, t.intake_share, options),
            t.deciding_share,
            if t.reduced { "yes" } else { "no" },
            t.class_size,
            t.classes,
            if t.classes_declared { "" } else { "*" },
            t.capacity
        ));
    }
    md.push_str("\n\\* fewest classes within the school's range that hold its pupils (no classes were declared).\n");
    md.push_str("\n## Inputs\n\n| file | SHA-256 |\n|---|---|\n");
    for source in inputs {
        md.push_str(&format!("| {} | `{}` |\n", source.path.display(), source.sha256));
    }
    md.push_str(&format!("\ncatchment {}\n", env!("CARGO_PKG_VERSION")));
    md
}
