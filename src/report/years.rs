//! Multi-year planning: the joint solve ([`crate::solve::years`]), each
//! year re-solved and checked as a single-year scenario with its classes
//! bounded by the joint plan, the rooms checked by the independent checker
//! ([`crate::audit::rooms`]), and the figures of `years.csv` and the
//! top-level `summary.json`.

use super::{Evaluation, evaluate};
use crate::audit::Violation;
use crate::model::YearPlan;
use crate::scenario::EvaluateError;
use crate::solve::years::{RoomShortfall, SplitPair, YearsOutcome, YearsStatus, solve_years, years_with_plan};
use crate::solve::{Deadline, SolveStatus};
use serde::Serialize;

/// Relative tolerance between the joint optimum and the sum of the years
/// re-solved with its classes (HiGHS's feasibility tolerance on continuous
/// pupil variables), plus [`SUM_TOLERANCE_M`] metres.
pub const SUM_TOLERANCE_REL: f64 = 1e-6;
/// Absolute part of the tolerance, in metres.
pub const SUM_TOLERANCE_M: f64 = 0.01;

/// One row of `years.csv`: a school in a year.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct YearRow {
    /// The school.
    pub school_id: String,
    /// The year's label.
    pub year: String,
    /// First-grade classes opened this year (the fewest that hold its pupils).
    pub classes_opened: u32,
    /// Classes at the school this year, all grades.
    pub rooms_in_use: u32,
    /// The school's rooms (empty: not limited).
    pub rooms: Option<u32>,
    /// First-graders assigned this year.
    pub pupils: u32,
    /// Their migration share (4 decimals).
    pub migration_share: String,
    /// Pupils per class by the 17-of-22 rule.
    pub class_size: u32,
}

/// One year in the top-level summary.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct YearFigures {
    /// Label.
    pub label: String,
    /// Status of the year's own solve with the plan's classes.
    pub status: String,
    /// Pupils of the year.
    pub pupils: usize,
    /// The year's objective (way plus prices), metres.
    pub objective_m: Option<f64>,
    /// The year's total way, metres.
    pub total_way_m: Option<f64>,
    /// Mean way per pupil, metres.
    pub mean_way_m: Option<f64>,
    /// First-grade classes opened in all schools.
    pub classes_opened: Option<u32>,
}

/// A school-year short of rooms, named for the summary.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RoomsShort {
    /// The school.
    pub school_id: String,
    /// The year's label.
    pub year: String,
    /// Classes that would be at the school in the plan needing the fewest extra rooms.
    pub rooms_needed: u32,
    /// Its rooms.
    pub rooms: u32,
}

/// Siblings named across years (`sibling_id`) in the plan found.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SiblingPairFigures {
    /// Pairs named (younger pupil with `sibling_id` of an older one).
    pub pairs: usize,
    /// Pairs at one school.
    pub together: usize,
    /// `true`: `siblings_hard` (every pair together); `false`: priced.
    pub hard: bool,
    /// `sibling_weight_m` times the pairs apart (0 with `siblings_hard`), metres; part of `objective_m`.
    pub penalty_m: f64,
}

/// A hard sibling pair that no plan keeps together, named for the summary.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SiblingsApart {
    /// The younger pupil.
    pub pupil_id: String,
    /// Its year's label.
    pub year: String,
    /// The older sibling.
    pub sibling_id: String,
    /// The older sibling's year.
    pub sibling_year: String,
    /// The older sibling's school in the plan with the fewest extra rooms and split pairs.
    pub sibling_school: String,
    /// The younger pupil's school in that plan.
    pub school: String,
    /// Why, in the domain's words.
    pub reason: String,
}

/// The top-level `summary.json` of a multi-year solve.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct YearsSummary {
    /// Scenario name.
    pub scenario: String,
    /// `optimal`, `time_limit` or `infeasible`.
    pub status: String,
    /// Objective over all years (sum of the years' objectives), metres.
    pub objective_m: Option<f64>,
    /// HiGHS's proven lower bound of the joint model, metres.
    pub bound_m: Option<f64>,
    /// Relative gap.
    pub gap: Option<f64>,
    /// Total way over all years, metres.
    pub total_way_m: Option<f64>,
    /// Grades a class stays.
    pub grades: u32,
    /// Per year.
    pub years: Vec<YearFigures>,
    /// For a plan infeasible for lack of rooms: the school-years short of rooms.
    pub rooms_short: Vec<RoomsShort>,
    /// Siblings named across years, when the plan names any and a plan was found.
    pub sibling_pairs: Option<SiblingPairFigures>,
    /// For an infeasible plan: the hard sibling pairs it cannot keep together.
    pub siblings_apart: Vec<SiblingsApart>,
    /// Columns and rows of the joint model.
    pub model_columns: usize,
    /// Rows of the joint model.
    pub model_rows: usize,
    /// Seconds of the joint solve.
    pub solve_seconds: f64,
}

/// A multi-year scenario's result.
#[derive(Debug, Clone)]
pub struct YearsEvaluation {
    /// The joint solve.
    pub outcome: YearsOutcome,
    /// Each year's instance as solved alone (class ranges bounded by the plan's classes when there is a plan).
    pub instances: Vec<crate::model::Instance>,
    /// Each year solved and checked alone: with the plan's classes, or,
    /// without a plan, with its own class ranges (to say which year is
    /// infeasible on its own).
    pub years: Vec<Evaluation>,
    /// `years.csv` (empty without a plan).
    pub rows: Vec<YearRow>,
    /// The top-level summary.
    pub summary: YearsSummary,
}

/// Solves the plan and checks every year and the rooms.
pub fn evaluate_years(plan: &YearPlan, deadline: Deadline) -> Result<YearsEvaluation, EvaluateError> {
    let outcome = solve_years(plan, deadline)?;
    let instances = match &outcome.classes {
        Some(classes) => years_with_plan(plan, classes, &outcome.paired_schools),
        None => plan.years.clone(),
    };
    let years = instances.iter().map(evaluate).collect::<Result<Vec<_>, _>>()?;
    let school_of: Option<Vec<Vec<usize>>> = years.iter().map(|e| e.school_of().map(<[usize]>::to_vec)).collect();
    if outcome.classes.is_some() {
        let Some(school_of) = &school_of else {
            return Err(rejected(format!(
                "a year found no assignment with the joint plan's classes: {}",
                statuses(&years)
            )));
        };
        check_plan(plan, &outcome, &years, school_of)?;
    }
    let rows = match (&outcome.classes, &school_of) {
        (Some(_), Some(school_of)) => year_rows(plan, &years, school_of),
        _ => Vec::new(),
    };
    let siblings = match (&outcome.classes, &school_of) {
        (Some(_), Some(school_of)) if !plan.siblings.is_empty() => Some(sibling_figures(plan, school_of)),
        _ => None,
    };
    let summary = summary_of(plan, &outcome, &years, siblings);
    Ok(YearsEvaluation {
        outcome,
        instances,
        years,
        rows,
        summary,
    })
}

fn rejected(first: String) -> EvaluateError {
    EvaluateError::CheckerRejected { count: 1, first }
}

fn statuses(years: &[Evaluation]) -> String {
    years.iter().map(|e| e.outcome.status.as_str()).collect::<Vec<_>>().join(", ")
}

/// The rooms rule recomputed by the checker, and the years' optima adding
/// up to the joint optimum; either failing is an internal error.
fn check_plan(plan: &YearPlan, outcome: &YearsOutcome, years: &[Evaluation], school_of: &[Vec<usize>]) -> Result<(), EvaluateError> {
    let mut violations: Vec<Violation> = Vec::new();
    crate::audit::rooms::check(plan, school_of, &mut violations);
    let assigned = some_schools(school_of);
    crate::audit::sibling_pairs::check(plan, &assigned, &mut violations);
    if let Some(first) = violations.first() {
        return Err(EvaluateError::CheckerRejected {
            count: violations.len(),
            first: first.message.clone(),
        });
    }
    let sum: f64 =
        years.iter().filter_map(|e| e.outcome.objective_m).sum::<f64>() + crate::audit::sibling_pairs::penalty_m(plan, &assigned);
    if let (Some(joint), YearsStatus::Optimal) = (outcome.objective_m, outcome.status) {
        let all_optimal = years.iter().all(|e| e.outcome.status == SolveStatus::Optimal);
        if all_optimal && (sum - joint).abs() > SUM_TOLERANCE_REL * joint.abs().max(1.0) + SUM_TOLERANCE_M {
            return Err(rejected(format!(
                "the years re-solved with the joint plan's classes total {sum:.3} m, the joint optimum is {joint:.3} m"
            )));
        }
    }
    Ok(())
}

/// Every pupil's school as an option (the checker's form).
fn some_schools(school_of: &[Vec<usize>]) -> Vec<Vec<Option<usize>>> {
    school_of.iter().map(|year| year.iter().map(|&s| Some(s)).collect()).collect()
}

/// The pairs together and their price, by the checker's count.
fn sibling_figures(plan: &YearPlan, school_of: &[Vec<usize>]) -> SiblingPairFigures {
    let assigned = some_schools(school_of);
    let apart = crate::audit::sibling_pairs::apart(plan, &assigned).len();
    SiblingPairFigures {
        pairs: plan.siblings.len(),
        together: plan.siblings.len() - apart,
        hard: plan.years[0].rules.siblings_hard,
        penalty_m: crate::audit::sibling_pairs::penalty_m(plan, &assigned),
    }
}

/// A hard pair split in the elastic plan, named with why.
fn named_split(plan: &YearPlan, split: &SplitPair) -> SiblingsApart {
    let pair = &plan.siblings[split.pair];
    let (young_year, old_year) = (&plan.years[pair.younger_year], &plan.years[pair.older_year]);
    let school = |s: usize| young_year.schools[s].id.to_string();
    let younger = &young_year.pupils[pair.younger];
    let older = &old_year.pupils[pair.older];
    let no_seat = |s: usize, label: &str| {
        format!(
            "school {} has no seat or room left in year {label} (seats by the class sizes and class ranges, rooms for all grades)",
            school(s)
        )
    };
    let younger_reason = not_allowed(young_year, pair.younger, split.older_school)
        .unwrap_or_else(|| no_seat(split.older_school, &plan.labels[pair.younger_year]));
    let older_reason = not_allowed(old_year, pair.older, split.younger_school)
        .unwrap_or_else(|| no_seat(split.younger_school, &plan.labels[pair.older_year]));
    let mut reason = format!(
        "`{}` cannot go to school {}: {younger_reason}; nor `{}` to school {}: {older_reason}",
        younger.id,
        school(split.older_school),
        older.id,
        school(split.younger_school)
    );
    if young_year.schools.len() > 2 {
        reason.push_str("; no other school takes both");
    }
    SiblingsApart {
        pupil_id: younger.id.to_string(),
        year: plan.labels[pair.younger_year].clone(),
        sibling_id: older.id.to_string(),
        sibling_year: plan.labels[pair.older_year].clone(),
        sibling_school: school(split.older_school),
        school: school(split.younger_school),
        reason,
    }
}

/// Why pupil `p` of `year` may not attend school `s` (a lock, the sibling
/// school with `siblings_hard`, `max_distance_m`), if a rule forbids it.
/// The words only: the elastic model decided that the pair is split.
fn not_allowed(year: &crate::model::Instance, p: usize, s: usize) -> Option<String> {
    let pupil = &year.pupils[p];
    let school = &year.schools[s].id;
    if let Some(f) = pupil.fixed_school.filter(|&f| f != s) {
        return Some(format!("it is locked to school {} (fixed_school)", year.schools[f].id));
    }
    if let Some(b) = pupil.sibling_school.filter(|&b| b != s && year.rules.siblings_hard) {
        return Some(format!("it must go to its sibling_school {}", year.schools[b].id));
    }
    let way = year.way_m(p, s)?;
    year.rules.beyond_max_distance(way).then(|| {
        format!(
            "school {school} is {way:.0} m from its home, beyond max_distance_m = {}",
            year.rules.max_distance_m.unwrap_or(0.0)
        )
    })
}

/// `years.csv`: per year and school, from each year's checked school table.
fn year_rows(plan: &YearPlan, years: &[Evaluation], _school_of: &[Vec<usize>]) -> Vec<YearRow> {
    let opened: Vec<Vec<u32>> = years
        .iter()
        .map(|e| {
            e.school_rows
                .as_ref()
                .map(|rows| rows.iter().map(|r| r.classes).collect())
                .unwrap_or_default()
        })
        .collect();
    let mut rows = Vec::new();
    for (s, school_rooms) in plan.rooms.iter().enumerate() {
        for (t, evaluation) in years.iter().enumerate() {
            let Some(table) = &evaluation.school_rows else { continue };
            let row = &table[s];
            let in_use: u32 = plan.opened_in_use(t).map(|y| opened[y][s]).sum::<u32>() + plan.older_in_use(s, t);
            rows.push(YearRow {
                school_id: row.school_id.clone(),
                year: plan.labels[t].clone(),
                classes_opened: row.classes,
                rooms_in_use: in_use,
                rooms: school_rooms.rooms,
                pupils: row.assigned,
                migration_share: row.migration_share.clone(),
                class_size: row.class_size,
            });
        }
    }
    rows
}

fn summary_of(plan: &YearPlan, outcome: &YearsOutcome, years: &[Evaluation], siblings: Option<SiblingPairFigures>) -> YearsSummary {
    let has_plan = outcome.classes.is_some();
    let figures: Vec<YearFigures> = years
        .iter()
        .zip(&plan.labels)
        .zip(&plan.years)
        .map(|((e, label), instance)| match has_plan {
            true => YearFigures {
                label: label.clone(),
                status: e.outcome.status.as_str().to_string(),
                pupils: instance.pupils.len(),
                objective_m: e.outcome.objective_m,
                total_way_m: e.distances.as_ref().map(|d| d.total_m),
                mean_way_m: e.distances.as_ref().map(|d| d.mean_m),
                classes_opened: e.school_rows.as_ref().map(|rows| rows.iter().map(|r| r.classes).sum()),
            },
            // Without a plan, each year was solved alone only to say which is infeasible.
            false => YearFigures {
                label: label.clone(),
                status: match e.outcome.status {
                    SolveStatus::Infeasible => "infeasible".to_string(),
                    _ => "feasible_alone".to_string(),
                },
                pupils: instance.pupils.len(),
                objective_m: None,
                total_way_m: None,
                mean_way_m: None,
                classes_opened: None,
            },
        })
        .collect();
    let penalty = siblings.as_ref().map_or(0.0, |s| s.penalty_m);
    let objective_m = has_plan.then(|| figures.iter().filter_map(|f| f.objective_m).sum::<f64>() + penalty);
    let total_way_m = has_plan.then(|| figures.iter().filter_map(|f| f.total_way_m).sum::<f64>());
    let bound_m = outcome.bound_m.map(|b| objective_m.map_or(b, |o| b.min(o)));
    let gap = match (objective_m, bound_m) {
        (Some(o), Some(b)) => Some(crate::solve::outcome::relative_gap(o, b)),
        _ => None,
    };
    let status = match outcome.status {
        YearsStatus::Optimal if outcome.objective_m.is_some() && plan.years[0].solver.mip_gap > 0.0 && gap.unwrap_or(0.0) > 0.0 => {
            "gap_limit"
        }
        YearsStatus::Optimal => "optimal",
        YearsStatus::TimeLimit => "time_limit",
        YearsStatus::Infeasible => "infeasible",
    };
    YearsSummary {
        scenario: plan.years[0].name.clone(),
        status: status.to_string(),
        objective_m,
        bound_m,
        gap,
        total_way_m,
        grades: plan.grades,
        years: figures,
        rooms_short: outcome.shortfalls.iter().map(|r| named_shortfall(plan, r)).collect(),
        sibling_pairs: siblings,
        siblings_apart: outcome.split_pairs.iter().map(|p| named_split(plan, p)).collect(),
        model_columns: outcome.columns,
        model_rows: outcome.rows,
        solve_seconds: outcome.seconds,
    }
}

fn named_shortfall(plan: &YearPlan, shortfall: &RoomShortfall) -> RoomsShort {
    RoomsShort {
        school_id: plan.years[0].schools[shortfall.school].id.to_string(),
        year: plan.labels[shortfall.year].clone(),
        rooms_needed: shortfall.rooms_needed,
        rooms: shortfall.rooms,
    }
}

/// Whether year `t`'s own output folder is written: always with a plan;
/// without one only for a year infeasible on its own (its summary explains
/// it), never an assignment that breaks the plan's rooms.
pub fn writes_year_folder(evaluation: &YearsEvaluation, t: usize) -> bool {
    evaluation.outcome.classes.is_some() || evaluation.years[t].outcome.status == SolveStatus::Infeasible
}

/// The short per-year table `solve` prints for a multi-year scenario.
pub fn years_text(evaluation: &YearsEvaluation) -> String {
    let summary = &evaluation.summary;
    let km = |m: Option<f64>| m.map_or("-".to_string(), |m| format!("{:.1}", m / 1000.0));
    let mut text = format!(
        "multi-year plan: {}, {} years, total way {} km (bound {} km, gap {})\n",
        summary.status,
        summary.years.len(),
        km(summary.total_way_m),
        km(summary.bound_m),
        summary.gap.map_or("-".to_string(), |g| format!("{:.4}", g))
    );
    text.push_str(&format!(
        "{:<10} {:>7} {:>12} {:>10} {:>8}  {}\n",
        "year", "pupils", "way km", "mean m", "classes", "status"
    ));
    for f in &summary.years {
        text.push_str(&format!(
            "{:<10} {:>7} {:>12} {:>10} {:>8}  {}\n",
            f.label,
            f.pupils,
            km(f.total_way_m),
            f.mean_way_m.map_or("-".to_string(), |m| format!("{m:.0}")),
            f.classes_opened.map_or("-".to_string(), |c| c.to_string()),
            f.status
        ));
    }
    if let Some(pairs) = &summary.sibling_pairs {
        text.push_str(&format!(
            "siblings across years: {} of {} pairs at one school{}\n",
            pairs.together,
            pairs.pairs,
            match pairs.hard {
                true => " (siblings_hard)".to_string(),
                false => format!(", {:.1} m of sibling prices in the objective", pairs.penalty_m),
            }
        ));
    }
    for apart in &summary.siblings_apart {
        text.push_str(&format!(
            "siblings apart: pupil {} ({}) cannot join its older sibling {} ({}) at school {}: {}\n",
            apart.pupil_id, apart.year, apart.sibling_id, apart.sibling_year, apart.sibling_school, apart.reason
        ));
    }
    for short in &summary.rooms_short {
        text.push_str(&format!(
            "rooms too few: school {} in year {} needs {} rooms, has {}\n",
            short.school_id, short.year, short.rooms_needed, short.rooms
        ));
    }
    text
}
