//! The audit report: Markdown for people, JSON (stable keys, numbers as
//! numbers, described by `docs/audit.schema.json`) for machines, and a
//! publishable form ([`ReportOptions::publish`]) that names no pupil and
//! gives away no count below the mask (see [`super::publish`]).

use super::publish::{Cell, Mask, column};
use crate::audit::{AuditReport, CheckSettings, Rule, SchoolTally, Violation};
use crate::model::{Instance, MigrationBasis, SourceFile};
use serde::Serialize;
use std::collections::BTreeMap;

/// The value of the JSON report's `schema` key; it changes only when a key
/// is renamed or removed (keys are added, never renamed).
pub const AUDIT_SCHEMA: &str = "catchment-audit/1";

/// How the report is rendered.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ReportOptions {
    /// Publishable: no pupil ids, no count below `mask_below` nor any figure
    /// that would give one away.
    pub publish: bool,
    /// Counts from 1 to `mask_below - 1` are withheld when publishing (default 5).
    pub mask_below: u32,
}

impl Default for ReportOptions {
    fn default() -> Self {
        Self {
            publish: false,
            mask_below: super::publish::DEFAULT_MASK_BELOW,
        }
    }
}

impl ReportOptions {
    fn mask(&self) -> Mask {
        Mask { below: self.mask_below }
    }
}

/// One school in the JSON report; `null` marks a figure withheld for publication.
#[derive(Debug, Clone, Serialize)]
struct SchoolJson {
    school_id: String,
    assigned: Option<u32>,
    migrants: Option<u32>,
    intake_share: Option<f64>,
    deciding_share: Option<f64>,
    reduced: bool,
    class_size: u32,
    classes: u32,
    classes_declared: bool,
    capacity: u64,
}

/// The JSON report.
#[derive(Debug, Clone, Serialize)]
struct AuditJson<'a> {
    schema: &'static str,
    scenario: &'a str,
    metric: &'static str,
    compliant: bool,
    violation_count: Option<usize>,
    violations_by_rule: BTreeMap<Rule, Option<usize>>,
    rules_checked: &'a [Rule],
    violations: Vec<Violation>,
    schools: Vec<SchoolJson>,
    rules: &'a crate::model::Rules,
    check_settings: CheckSettingsJson,
    masked_below: Option<u32>,
    inputs: &'a [SourceFile],
    tool_version: &'static str,
}

/// The check's own settings in the JSON report.
#[derive(Debug, Clone, Serialize)]
struct CheckSettingsJson {
    stated_distance_tolerance_m: f64,
}

/// How each school's pupils and migrants are published.
struct SchoolCells {
    assigned: Vec<Cell>,
    migrants: Vec<Cell>,
}

/// Seats over (or short of the class minimum) at a school: a small excess
/// would be given away by its pupils and seats.
fn excess_and_shortfall(instance: &Instance, t: &SchoolTally) -> (u64, u64) {
    let demand = u64::from(t.assigned) + u64::from(instance.schools[t.index].reserved_seats);
    let required = instance.rules.min_class_size.map_or(0, |m| u64::from(t.classes) * u64::from(m));
    (demand.saturating_sub(t.capacity), required.saturating_sub(u64::from(t.assigned)))
}

fn school_cells(instance: &Instance, report: &AuditReport, options: &ReportOptions) -> SchoolCells {
    let n = report.schools.len();
    if !options.publish {
        return SchoolCells {
            assigned: vec![Cell::Shown; n],
            migrants: vec![Cell::Shown; n],
        };
    }
    let mask = options.mask();
    let assigned: Vec<u64> = report.schools.iter().map(|t| u64::from(t.assigned)).collect();
    let gives_away: Vec<bool> = report
        .schools
        .iter()
        .map(|t| {
            let (over, short) = excess_and_shortfall(instance, t);
            mask.hides(over) || mask.hides(short)
        })
        .collect();
    let assigned = column(&assigned, &gives_away, &mask);
    let migrants: Vec<u64> = report.schools.iter().map(|t| u64::from(t.migrants)).collect();
    let complement_small: Vec<bool> = report
        .schools
        .iter()
        .zip(&assigned)
        .map(|(t, cell)| cell.withheld() || mask.hides(u64::from(t.assigned - t.migrants.min(t.assigned))))
        .collect();
    let migrants = column(&migrants, &complement_small, &mask);
    SchoolCells { assigned, migrants }
}

/// Whether a violation's subject is a school.
fn school_of_subject(instance: &Instance, subject: &str) -> Option<usize> {
    instance.schools.iter().position(|s| s.id.as_str() == subject)
}

/// A school-level or city-level finding as published; `None` for a finding
/// about a pupil or a unit (those are counted per rule only).
fn published_finding(instance: &Instance, report: &AuditReport, cells: &SchoolCells, v: &Violation, mask: &Mask) -> Option<Violation> {
    match v.rule {
        Rule::ClassRange | Rule::Objective => Some(v.clone()),
        Rule::Stability if v.subject == "baseline" => Some(published_moves(instance, report, v, mask)),
        Rule::Capacity | Rule::ClassMinimum => {
            let s = school_of_subject(instance, &v.subject)?;
            let t = report.schools.iter().find(|t| t.index == s)?;
            if !cells.assigned[s].withheld() {
                return Some(v.clone());
            }
            let classes = if t.classes == 1 { "class" } else { "classes" };
            let seats = format!("{} {classes} at {} = {} seats", t.classes, t.class_size, t.capacity);
            let what = match v.rule {
                Rule::Capacity => format!(
                    "school {}: more pupils than seats ({seats}); figures withheld for publication",
                    v.subject
                ),
                _ => format!(
                    "school {}: fewer pupils than the class minimum requires ({seats}); figures withheld for publication",
                    v.subject
                ),
            };
            Some(Violation::new(v.rule, v.subject.clone(), what))
        }
        _ => None,
    }
}

/// The move cap finding: the numbers only when neither the moves nor the
/// excess is a small count.
fn published_moves(instance: &Instance, report: &AuditReport, v: &Violation, mask: &Mask) -> Violation {
    let cap = instance.rules.max_moves.unwrap_or(0);
    let moved = u64::from(report.moved_against_baseline.unwrap_or(0));
    if mask.hides(moved) || mask.hides(moved.saturating_sub(u64::from(cap))) {
        Violation::new(
            v.rule,
            v.subject.clone(),
            format!("more pupils change school against the baseline than max_moves = {cap}; figures withheld for publication"),
        )
    } else {
        v.clone()
    }
}

/// Violations as shown: all of them, or when publishing the findings about
/// schools (with withheld figures left out) and the others counted per rule.
fn shown_violations(instance: &Instance, report: &AuditReport, options: &ReportOptions) -> Vec<Violation> {
    if !options.publish {
        return report.violations.clone();
    }
    let mask = options.mask();
    let cells = school_cells(instance, report, options);
    let mut shown = Vec::new();
    let mut pupil_level: BTreeMap<Rule, u64> = BTreeMap::new();
    for v in &report.violations {
        match published_finding(instance, report, &cells, v, &mask) {
            Some(p) => shown.push(p),
            None => *pupil_level.entry(v.rule).or_default() += 1,
        }
    }
    for (rule, n) in pupil_level {
        shown.push(Violation::new(
            rule,
            "pupils",
            format!(
                "{} pupil-level violations of this rule (details withheld for publication)",
                mask.text(n)
            ),
        ));
    }
    shown
}

/// Violations per rule, and their total; when publishing, a small count is
/// `None`, and so is the total when any count is withheld (it would give
/// the withheld one away).
fn counts(report: &AuditReport, options: &ReportOptions) -> (BTreeMap<Rule, Option<usize>>, Option<usize>) {
    let mut map: BTreeMap<Rule, usize> = BTreeMap::new();
    for v in &report.violations {
        *map.entry(v.rule).or_default() += 1;
    }
    let total = report.violations.len();
    if !options.publish {
        return (map.into_iter().map(|(r, n)| (r, Some(n))).collect(), Some(total));
    }
    let mask = options.mask();
    let shown: BTreeMap<Rule, Option<usize>> = map.into_iter().map(|(r, n)| (r, mask.value(n as u64).map(|_| n))).collect();
    let total = (shown.values().all(Option::is_some) && !mask.hides(total as u64)).then_some(total);
    (shown, total)
}

/// A share rounded to 4 decimals, as written.
fn rounded(share: f64) -> f64 {
    (share * 1e4).round() / 1e4
}

/// Whether the deciding share is the intake's (then it is withheld with the migrants).
fn deciding_is_intake(instance: &Instance) -> bool {
    instance.rules.migration_basis == MigrationBasis::Intake
}

/// Renders the report as JSON with stable keys (see `docs/audit.schema.json`).
pub fn audit_json(instance: &Instance, report: &AuditReport, inputs: &[SourceFile], options: &ReportOptions) -> String {
    let cells = school_cells(instance, report, options);
    let (violations_by_rule, violation_count) = counts(report, options);
    let shown = |cell: Cell, v: u32| (!cell.withheld()).then_some(v);
    let json = AuditJson {
        schema: AUDIT_SCHEMA,
        scenario: &instance.name,
        metric: instance.ways.metric.name(),
        compliant: report.is_compliant(),
        violation_count,
        violations_by_rule,
        rules_checked: &report.rules_checked,
        violations: shown_violations(instance, report, options),
        schools: report
            .schools
            .iter()
            .map(|t| {
                let (a, m) = (cells.assigned[t.index], cells.migrants[t.index]);
                let deciding_hidden = deciding_is_intake(instance) && m.withheld();
                SchoolJson {
                    school_id: instance.schools[t.index].id.to_string(),
                    assigned: shown(a, t.assigned),
                    migrants: shown(m, t.migrants),
                    intake_share: (!m.withheld()).then(|| rounded(t.intake_share)),
                    deciding_share: (!deciding_hidden).then(|| rounded(t.deciding_share)),
                    reduced: t.reduced,
                    class_size: t.class_size,
                    classes: t.classes,
                    classes_declared: t.classes_declared,
                    capacity: t.capacity,
                }
            })
            .collect(),
        rules: &instance.rules,
        check_settings: CheckSettingsJson {
            stated_distance_tolerance_m: report.settings.stated_distance_tolerance_m,
        },
        masked_below: options.publish.then_some(options.mask_below),
        inputs,
        tool_version: env!("CARGO_PKG_VERSION"),
    };
    let mut text = serde_json::to_string_pretty(&json).expect("plain data serialises");
    text.push('\n');
    text
}

/// One line per rule family checked, with the numbers in force.
fn rules_checked_lines(instance: &Instance, report: &AuditReport, settings: &CheckSettings) -> String {
    let rules = &instance.rules;
    let basis = match rules.migration_basis {
        MigrationBasis::PreviousYear => "previous year's",
        MigrationBasis::Intake => "intake's",
    };
    let mut md = String::new();
    for rule in &report.rules_checked {
        let line = match rule {
            Rule::Coverage => "coverage: every pupil exactly once, known pupils and schools only".to_string(),
            Rule::Capacity => format!(
                "capacity: classes x {} pupils, {} when the {basis} migration share is above {}",
                rules.class_size, rules.reduced_class_size, rules.migration_threshold
            ),
            Rule::ClassRange => "class range: the declared classes within each school's min_classes to max_classes".to_string(),
            Rule::ClassMinimum => format!(
                "class minimum: at least {} pupils per opened class",
                rules.min_class_size.unwrap_or(0)
            ),
            Rule::Distance => distance_line(instance, settings),
            Rule::Lock => "locks: pupils with fixed_school at that school".to_string(),
            Rule::Unit => "units: no street section split across schools".to_string(),
            Rule::Home => "homes: no address or home split across schools".to_string(),
            Rule::Balance => balance_line(&instance.rules),
            Rule::Contiguity => "contiguity: every district connected in the district map and holding its school's cell".to_string(),
            Rule::Compactness => format!(
                "compactness: every district's Polsby-Popper (4 pi A / P^2, on the district map) at least {}",
                rules.min_compactness.unwrap_or(0.0)
            ),
            Rule::Stability => format!(
                "stability: at most {} pupils change school against the baseline",
                rules.max_moves.unwrap_or(0)
            ),
            Rule::Sibling => "siblings: pupils with sibling_school at that school (siblings_hard)".to_string(),
            Rule::Objective => "objective: the claimed objective is the cost of the assignment".to_string(),
            Rule::ExtraWay => extra_way_line(rules),
            Rule::SchoolChange => format!(
                "school change: every school's intake within {} pupils of its baseline intake",
                rules.max_school_change.unwrap_or(0)
            ),
            Rule::Rooms => format!(
                "rooms: in every year the classes of the last {} years and the older grades within each school's rooms",
                rules.grades
            ),
        };
        md.push_str(&format!("- {line}\n"));
    }
    md
}

/// The cap on way growth against the baseline, as checked.
fn extra_way_line(rules: &crate::model::Rules) -> String {
    let caps: Vec<String> = [
        rules.max_extra_way_m.map(|m| format!("{m} m")),
        rules.max_extra_way_pct.map(|p| format!("{p}%")),
    ]
    .into_iter()
    .flatten()
    .collect();
    format!(
        "extra way: no pupil's way longer than its way to its baseline school plus {} (pupils without a baseline school not capped)",
        caps.join(" and ")
    )
}

fn distance_line(instance: &Instance, settings: &CheckSettings) -> String {
    let limit = instance
        .rules
        .max_distance_m
        .map(|d| format!("no way longer than {d:.0} m; "))
        .unwrap_or_default();
    let metric = match instance.ways.metric {
        crate::model::Metric::Haversine => "great-circle ways (haversine)",
        crate::model::Metric::Walking => "walking ways along the street network, recomputed by the checker's own shortest paths",
        crate::model::Metric::Matrix => "ways as the distance matrix lists them",
    };
    // Where the walk graph came from: the checker trusts the shared OSM
    // reader and graph builder either way, never a cached way.
    let graph = match (instance.ways.metric, instance.ways.cache) {
        (crate::model::Metric::Walking, crate::model::CacheStatus::Hit) => {
            "walk graph and snaps read from the distance cache, its ways not used; "
        }
        (crate::model::Metric::Walking, _) => "walk graph built from the OSM extract; ",
        _ => "",
    };
    format!(
        "distance: {metric}; {graph}{limit}a stated distance_m within {} m of the recomputed way",
        settings.stated_distance_tolerance_m
    )
}

/// The verdict line: when publishing, the rules broken instead of a count.
fn verdict(report: &AuditReport, options: &ReportOptions) -> String {
    if report.is_compliant() {
        return "**COMPLIANT**: every rule holds.".to_string();
    }
    let (by_rule, total) = counts(report, options);
    match total {
        Some(n) => format!("**NOT COMPLIANT**: {n} violations."),
        None => format!(
            "**NOT COMPLIANT**: violations of {} (counts withheld for publication).",
            by_rule.keys().map(|r| rule_name(*r)).collect::<Vec<_>>().join(", ")
        ),
    }
}

fn rule_name(rule: Rule) -> String {
    serde_json::to_value(rule)
        .ok()
        .and_then(|r| r.as_str().map(str::to_string))
        .unwrap_or_default()
}

fn violations_markdown(instance: &Instance, report: &AuditReport, options: &ReportOptions) -> String {
    let mut md = String::from("\n## Violations\n\n");
    let shown = shown_violations(instance, report, options);
    if shown.is_empty() {
        md.push_str("None.\n");
        return md;
    }
    let (by_rule, _) = counts(report, options);
    let mask = options.mask();
    md.push_str("| rule | violations |\n|---|---:|\n");
    for (rule, n) in &by_rule {
        md.push_str(&format!(
            "| {} | {} |\n",
            rule_name(*rule),
            n.map_or_else(|| mask.small(), |n| n.to_string())
        ));
    }
    md.push_str("\n| rule | subject | finding |\n|---|---|---|\n");
    for v in &shown {
        md.push_str(&format!(
            "| {} | {} | {} |\n",
            rule_name(v.rule),
            v.subject,
            v.message.replace('|', "\\|")
        ));
    }
    md
}

fn schools_markdown(instance: &Instance, report: &AuditReport, options: &ReportOptions) -> String {
    let cells = school_cells(instance, report, options);
    let mask = options.mask();
    let mut md = String::from(
        "\n## Schools\n\n| school | pupils | migrants | intake share | deciding share | reduced | class size | classes | seats |\n|---|---:|---:|---:|---:|:---:|---:|---:|---:|\n",
    );
    for t in &report.schools {
        let (a, m) = (cells.assigned[t.index], cells.migrants[t.index]);
        let deciding = if deciding_is_intake(instance) { m } else { Cell::Shown };
        md.push_str(&format!(
            "| {} | {} | {} | {} | {} | {} | {} | {}{} | {} |\n",
            instance.schools[t.index].id,
            a.text(|| t.assigned.to_string(), &mask),
            m.text(|| t.migrants.to_string(), &mask),
            if m.withheld() {
                "masked".to_string()
            } else {
                format!("{:.4}", t.intake_share)
            },
            if deciding.withheld() {
                "masked".to_string()
            } else {
                format!("{:.4}", t.deciding_share)
            },
            if t.reduced { "yes" } else { "no" },
            t.class_size,
            t.classes,
            if t.classes_declared { "" } else { "*" },
            t.capacity
        ));
    }
    md.push_str("\n\\* fewest classes within the school's range that hold its pupils (no classes were declared).\n");
    if options.publish {
        md.push_str(&format!(
            "\nPublished: counts from 1 to {} are shown as `<{}`; `masked` marks a figure withheld because it would give such a count away.\n",
            options.mask_below.saturating_sub(1),
            options.mask_below
        ));
    }
    md
}

/// Renders the report as Markdown.
pub fn audit_markdown(instance: &Instance, report: &AuditReport, inputs: &[SourceFile], options: &ReportOptions) -> String {
    let mut md = String::new();
    md.push_str(&format!("# Audit: {}\n\n", instance.name));
    md.push_str(&format!("{}\n\n", verdict(report, options)));
    md.push_str("## Rules checked\n\n");
    md.push_str(&rules_checked_lines(instance, report, &report.settings));
    md.push_str(&violations_markdown(instance, report, options));
    md.push_str(&schools_markdown(instance, report, options));
    md.push_str("\n## Inputs\n\n| file | SHA-256 |\n|---|---|\n");
    for source in inputs {
        md.push_str(&format!("| {} | `{}` |\n", source.path.display(), source.sha256));
    }
    md.push_str(&format!("\ncatchment {}\n", env!("CARGO_PKG_VERSION")));
    md
}

/// The balance rules checked, with their numbers.
fn balance_line(rules: &crate::model::Rules) -> String {
    let mut parts = Vec::new();
    if let Some(most) = rules.max_migration_share {
        parts.push(format!("no intake share above {most}"));
    }
    if let Some(deviation) = rules.max_share_deviation {
        parts.push(format!("every intake share within {deviation} of the city's"));
    }
    format!("balance: {}", parts.join("; "))
}
