//! `summary.json` and the short human summary printed by `solve`.

use super::{DistanceStats, PlanFindings, ResultStatus, SchoolRow, Shortfall};
use crate::audit::Violation;
use crate::model::{Instance, Metric, Rules, SolverSettings, SourceFile};
use crate::solve::{ModelStats, SolveOutcome};
use serde::Serialize;

/// How many sibling preferences the assignment meets.
#[derive(Debug, Clone, Serialize)]
pub struct SiblingsHonoured {
    /// Pupils at their sibling's school.
    pub honoured: u32,
    /// Pupils with a `sibling_school`.
    pub of: u32,
}

/// Where the time of a solve went (differs between identical runs).
#[derive(Debug, Clone, Serialize)]
pub struct Timing {
    /// Seconds inside HiGHS (summed over parts solved in parallel).
    pub highs_seconds: f64,
    /// The rest: model building, candidate pricing, bookkeeping.
    pub model_seconds: f64,
}

/// Where a result came from: tool, solver and input files.
#[derive(Debug, Clone, Serialize)]
pub struct Provenance {
    /// `catchment` version.
    pub tool_version: String,
    /// HiGHS version.
    pub highs_version: String,
    /// Input files with their SHA-256.
    pub inputs: Vec<SourceFile>,
}

/// The content of `summary.json`.
#[derive(Debug, Clone, Serialize)]
pub struct Summary {
    /// Scenario name.
    pub scenario: String,
    /// `optimal`, `time_limit` or `infeasible`; `district_plan` for a
    /// district plan evaluated as drawn (compares equal to the solver's status).
    pub status: ResultStatus,
    /// Total way to school in metres.
    pub objective_m: Option<f64>,
    /// Proven lower bound on the total way, in metres.
    pub bound_m: Option<f64>,
    /// Relative gap between objective and bound.
    pub gap: Option<f64>,
    /// Wall-clock seconds of the solve (with `timing`, the only fields that differ between identical runs).
    pub solve_seconds: f64,
    /// Where the time went.
    pub timing: Timing,
    /// School starters.
    pub pupils: usize,
    /// Schools.
    pub schools: usize,
    /// Pupils with migration background.
    pub migrants: usize,
    /// Classes opened in all.
    pub classes_opened: Option<u32>,
    /// Schools under the reduced class size.
    pub schools_reduced: Option<usize>,
    /// Ids of those schools.
    pub reduced_school_ids: Vec<String>,
    /// Way-to-school figures.
    pub distances: Option<DistanceStats>,
    /// How pupils with migration background are spread over the schools
    /// (dissimilarity, isolation, exposure; see [`super::segregation`]).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub segregation: Option<super::Segregation>,
    /// The distance metric of every way: `haversine`, `walking` or `matrix`.
    pub metric: Metric,
    /// Where the walking ways came from: `hit` (the cache), `miss` (computed,
    /// then cached) or `off` (no cache: `--no-cache`, or another metric).
    pub distance_cache: crate::model::CacheStatus,
    /// Pupils whose school differs from their baseline school (with a `baseline`).
    pub moved_against_baseline: Option<u32>,
    /// Pupils at their `sibling_school`, of those that have one.
    pub siblings_honoured: Option<SiblingsHonoured>,
    /// Rule violations the independent checker found (empty for every result of `solve`).
    pub violations: Vec<Violation>,
    /// Seat balance and explanation, for an infeasible instance.
    pub infeasibility: Option<Shortfall>,
    /// Model size.
    pub model: ModelStats,
    /// Rules in force.
    pub rules: Rules,
    /// Solver settings in force.
    pub solver: SolverSettings,
    /// Tool, solver and input files.
    pub provenance: Provenance,
    /// For a district plan: pupils placed, outside, in two districts, on a border.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub district_plan: Option<PlanFindings>,
    /// With `solve --districts`: the shape of each drawn district.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub districts: Option<Vec<super::DistrictShape>>,
    /// With `solve --districts`: the mean and lowest compactness over the districts.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub compactness: Option<super::CompactnessSummary>,
    /// With `contiguous = true`: the total way against the optimum without the rule.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub contiguity: Option<super::ContiguityPrice>,
}

impl Summary {
    /// Assembles the summary of a solve.
    pub fn new(
        instance: &Instance,
        outcome: &SolveOutcome,
        rows: Option<&[SchoolRow]>,
        distances: Option<DistanceStats>,
        violations: Vec<Violation>,
        infeasibility: Option<Shortfall>,
    ) -> Self {
        let distances_total = distances.as_ref().map(|d| d.total_m);
        Self {
            scenario: instance.name.clone(),
            status: outcome.status.into(),
            objective_m: outcome.objective_m.map(round_mm),
            bound_m: outcome.bound_m.map(round_mm),
            gap: outcome.gap,
            solve_seconds: outcome.solve_seconds,
            timing: Timing {
                highs_seconds: outcome.highs_seconds,
                model_seconds: (outcome.solve_seconds - outcome.highs_seconds).max(0.0),
            },
            pupils: instance.pupils.len(),
            schools: instance.schools.len(),
            migrants: instance.migrant_count(),
            classes_opened: rows.map(|r| r.iter().map(|s| s.classes).sum()),
            schools_reduced: rows.map(|r| r.iter().filter(|s| s.reduced == 1).count()),
            reduced_school_ids: rows
                .map(|r| r.iter().filter(|s| s.reduced == 1).map(|s| s.school_id.clone()).collect())
                .unwrap_or_default(),
            distances,
            segregation: rows.map(|r| super::segregation(r, instance.rules.migration_threshold)),
            metric: instance.ways.metric,
            distance_cache: instance.ways.cache,
            moved_against_baseline: outcome
                .assignment
                .as_ref()
                .filter(|_| instance.pupils.iter().any(|p| p.baseline_school.is_some()))
                .map(|a| {
                    let school_of: Vec<Option<usize>> = a.school_of.iter().map(|&s| Some(s)).collect();
                    crate::audit::moves(instance, &school_of)
                }),
            siblings_honoured: outcome
                .assignment
                .as_ref()
                .filter(|_| instance.pupils.iter().any(|p| p.sibling_school.is_some()))
                .map(|a| SiblingsHonoured {
                    honoured: instance
                        .pupils
                        .iter()
                        .zip(&a.school_of)
                        .filter(|(p, s)| p.sibling_school == Some(**s))
                        .count() as u32,
                    of: instance.pupils.iter().filter(|p| p.sibling_school.is_some()).count() as u32,
                }),
            violations,
            infeasibility,
            model: outcome.stats.clone(),
            rules: instance.rules.clone(),
            solver: instance.solver.clone(),
            provenance: Provenance {
                tool_version: env!("CARGO_PKG_VERSION").to_string(),
                highs_version: crate::solve::highs_version(),
                inputs: instance.sources.clone(),
            },
            district_plan: None,
            districts: None,
            compactness: None,
            contiguity: match (&distances_total, outcome.stats.unconstrained_way_m) {
                (Some(total), Some(free)) if instance.rules.contiguous => Some(super::ContiguityPrice::new(*total, free)),
                _ => None,
            },
        }
    }
}

/// Metres to the millimetre, as every way in the outputs is written.
fn round_mm(m: f64) -> f64 {
    (m * 1000.0).round() / 1000.0
}

/// A few lines for a person: status, totals, mean and max way, pupils over
/// the acceptable way, schools under the reduced rule.
pub fn human_summary(summary: &Summary) -> String {
    let mut out = String::new();
    let line = |out: &mut String, s: String| {
        out.push_str(&s);
        out.push('\n');
    };
    line(&mut out, format!("scenario   {}", summary.scenario));
    line(
        &mut out,
        format!("status     {} ({:.2} s)", summary.status.as_str(), summary.solve_seconds),
    );
    line(
        &mut out,
        format!(
            "pupils     {} ({} with migration background) at {} schools",
            summary.pupils, summary.migrants, summary.schools
        ),
    );
    if summary.metric != Metric::Haversine {
        let meaning = match summary.metric {
            Metric::Walking => "ways along the street network",
            _ => "ways as the distance matrix lists them",
        };
        let cache = match summary.metric {
            Metric::Walking => format!("; distance cache {}", summary.distance_cache.name()),
            _ => String::new(),
        };
        line(&mut out, format!("metric     {} ({meaning}{cache})", summary.metric.name()));
    }
    if let (Some(d), Some(obj)) = (&summary.distances, summary.objective_m) {
        // The objective adds move and sibling prices to the way, if any are set.
        let priced = obj - d.total_m;
        let evidence = summary
            .bound_m
            .map(|b| format!(" (bound {:.1} km, gap {:.4}%)", b / 1000.0, summary.gap.unwrap_or(0.0) * 100.0))
            .unwrap_or_default();
        if d.pupils < summary.pupils {
            line(
                &mut out,
                format!(
                    "total way  {:.1} km, PARTIAL: the ways of {} placed pupils only; {} not placed",
                    d.total_m / 1000.0,
                    d.pupils,
                    summary.pupils - d.pupils
                ),
            );
        } else if priced.abs() < 0.01 {
            line(&mut out, format!("total way  {:.1} km{evidence}", obj / 1000.0));
        } else {
            line(&mut out, format!("total way  {:.1} km", d.total_m / 1000.0));
            line(
                &mut out,
                format!(
                    "objective  {:.1} km = way + {:.1} km of move and sibling prices{evidence}",
                    obj / 1000.0,
                    priced / 1000.0
                ),
            );
        }
        line(
            &mut out,
            format!("way        mean {:.0} m, 95% {:.0} m, max {:.0} m", d.mean_m, d.p95_m, d.max_m),
        );
        line(
            &mut out,
            format!(
                "over {:.1} km {} pupils",
                summary.rules.acceptable_way_m / 1000.0,
                d.over_acceptable
            ),
        );
    }
    if let (Some(classes), Some(reduced)) = (summary.classes_opened, summary.schools_reduced) {
        line(
            &mut out,
            format!(
                "classes    {} opened, {:.1} pupils per class",
                classes,
                summary.pupils as f64 / classes.max(1) as f64
            ),
        );
        line(
            &mut out,
            format!(
                "reduced    {} schools at {} per class (share > {}): {}",
                reduced,
                summary.rules.reduced_class_size,
                summary.rules.migration_threshold,
                summary.reduced_school_ids.join(", ")
            ),
        );
    }
    if let Some(plan) = &summary.district_plan {
        for text in plan.lines() {
            line(&mut out, text);
        }
    }
    if let Some(moved) = summary.moved_against_baseline {
        line(&mut out, format!("moved      {moved} pupils change school against the baseline"));
    }
    if let Some(siblings) = &summary.siblings_honoured {
        line(
            &mut out,
            format!(
                "siblings   {} of {} pupils at their sibling's school",
                siblings.honoured, siblings.of
            ),
        );
    }
    if let Some(mix) = &summary.segregation {
        out.push_str(&super::segregation_line(mix));
    }
    if let Some(price) = &summary.contiguity {
        out.push_str(&price.line());
    }
    if let Some(shape) = summary.districts.as_deref().and_then(super::shapes_line) {
        out.push_str(&shape);
    }
    if let Some(short) = &summary.infeasibility {
        for sentence in &short.explanation {
            line(&mut out, format!("why        {sentence}"));
        }
    }
    let inputs: Vec<String> = summary
        .provenance
        .inputs
        .iter()
        .map(|f| {
            format!(
                "{} sha256:{}",
                f.path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default(),
                &f.sha256[..12.min(f.sha256.len())]
            )
        })
        .collect();
    line(
        &mut out,
        format!(
            "provenance catchment {}, HiGHS {}; {}",
            summary.provenance.tool_version,
            summary.provenance.highs_version,
            inputs.join(", ")
        ),
    );
    out.push_str(&violation_lines(&summary.violations));
    out
}

/// How many violations the printed summary names one by one; the rest are
/// counted per rule (all are in `summary.json`).
pub const VIOLATIONS_SHOWN: usize = 10;

/// The violations of a result for a person: the count per rule, then the
/// first [`VIOLATIONS_SHOWN`] with their numbers. Empty without violations.
fn violation_lines(violations: &[Violation]) -> String {
    if violations.is_empty() {
        return String::new();
    }
    let mut per_rule: std::collections::BTreeMap<String, usize> = std::collections::BTreeMap::new();
    for v in violations {
        let rule = serde_json::to_value(v.rule)
            .ok()
            .and_then(|r| r.as_str().map(str::to_string))
            .unwrap_or_default();
        *per_rule.entry(rule).or_default() += 1;
    }
    let counts: Vec<String> = per_rule.iter().map(|(rule, n)| format!("{rule} {n}")).collect();
    let mut text = format!("VIOLATIONS {} ({}; all in summary.json)\n", violations.len(), counts.join(", "));
    for v in violations.iter().take(VIOLATIONS_SHOWN) {
        text.push_str(&format!("  {}\n", v.message));
    }
    if violations.len() > VIOLATIONS_SHOWN {
        text.push_str(&format!("  ... and {} more\n", violations.len() - VIOLATIONS_SHOWN));
    }
    text
}
