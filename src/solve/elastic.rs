//! Explaining infeasibility: which rule, relaxed how little, makes the
//! instance feasible.
//!
//! For each relaxable rule family (more classes than `max_classes`, more
//! pupils per class, fewer pupils than the class minimum, releasing locks,
//! longer ways than `max_distance_m`) an *elastic* model is solved in which
//! only that family may be broken, each unit of breach priced at 1 (a class,
//! a seat, a pupil). A family whose elastic model is feasible is a true cause:
//! relaxing it as found restores feasibility, and the breach is the smallest
//! such relaxation. If no single family suffices, all are relaxed together.
//! Nothing is claimed that a solved model did not show.

use super::candidates::{Arc, allowed_arc};
use super::formulation::{SlackKind, Slacks, build_elastic, disaggregate};
use super::groups::{Group, build_groups};
use super::highs_run::{RunSettings, RunStatus, run};
use super::{Deadline, SolveError};
use crate::model::{Instance, MigrationBasis};
use serde::Serialize;
use std::collections::BTreeMap;

/// A rule family that can be relaxed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Family {
    /// Open classes beyond `max_classes`.
    Classes,
    /// Allow more pupils per class than the class size.
    ClassSize,
    /// Accept fewer pupils than `min_class_size` per class.
    ClassMinimum,
    /// Release pupils' `fixed_school` locks.
    Locks,
    /// Allow ways longer than `max_distance_m`.
    Distance,
    /// Let pupils with `siblings_hard` go elsewhere than their sibling's school.
    Siblings,
    /// Let ways grow more against the baseline than `max_extra_way_m` /
    /// `max_extra_way_pct` allow.
    ExtraWay,
}

/// One concrete relaxation, in the domain's words and numbers.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "change", rename_all = "snake_case")]
pub enum Change {
    /// Open `extra` more classes at `school`, `classes` in all.
    MoreClasses {
        /// School id.
        school: String,
        /// Additional classes.
        extra: u32,
        /// Classes then opened.
        classes: u32,
    },
    /// Allow `needed` pupils per class at `school` instead of `size`.
    LargerClasses {
        /// School id.
        school: String,
        /// Pupils per class needed.
        needed: u32,
        /// Pupils per class allowed now.
        size: u32,
        /// Classes opened.
        classes: u32,
        /// Pupils (with reserved seats) to seat.
        pupils: u32,
        /// Seats missing.
        seats_missing: u32,
    },
    /// `school` gets `short` pupils fewer than its classes need.
    BelowClassMinimum {
        /// School id.
        school: String,
        /// Pupils missing.
        short: u32,
    },
    /// Release the lock of `pupils` pupils from `school`.
    ReleaseLocks {
        /// School id of the lock.
        school: String,
        /// Ids of the pupils released (the first 10).
        pupil_ids: Vec<String>,
        /// How many pupils.
        pupils: u32,
    },
    /// Let `pupils` pupils go elsewhere than their sibling's school.
    SeparateSiblings {
        /// Ids of the pupils (the first 10).
        pupil_ids: Vec<String>,
        /// How many pupils.
        pupils: u32,
    },
    /// Allow `pupils` pupils a longer way than the limit, up to `longest_m`.
    LongerWays {
        /// Ids of the pupils (the first 10).
        pupil_ids: Vec<String>,
        /// How many pupils.
        pupils: u32,
        /// The longest way needed, in metres.
        longest_m: f64,
    },
    /// Allow `pupils` pupils a way that grows more against their baseline
    /// way than the cap, by up to `most_extra_m` metres in all.
    LongerThanBaseline {
        /// Ids of the pupils (the first 10).
        pupil_ids: Vec<String>,
        /// How many pupils.
        pupils: u32,
        /// The largest growth needed against the baseline way, in metres.
        most_extra_m: f64,
    },
}

/// A relaxation that makes the instance feasible.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Relaxation {
    /// The families relaxed.
    pub families: Vec<Family>,
    /// The changes found (the smallest in total within these families).
    pub changes: Vec<Change>,
    /// The elastic optimum that shows it, for the independent checker to verify.
    #[serde(skip)]
    pub witness: Witness,
}

/// An assignment and class plan that keeps every rule but the relaxed ones.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Witness {
    /// School index per pupil.
    pub school_of: Vec<usize>,
    /// Classes opened per school.
    pub classes: Vec<u32>,
}

/// What the elastic models showed.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Diagnosis {
    /// Each family that on its own restores feasibility, with its smallest relaxation.
    pub single: Vec<Relaxation>,
    /// When no family alone suffices: all relaxed together.
    pub combined: Option<Relaxation>,
}

/// Tests each relaxable family on its own (and all together if none suffices).
/// Every model ends by `deadline`; each gets an equal share of the time left.
pub fn diagnose(instance: &Instance, deadline: Deadline) -> Result<Diagnosis, SolveError> {
    let groups = build_groups(instance);
    let mut families = vec![Family::Classes, Family::ClassSize];
    if instance.rules.min_class_size.is_some() {
        families.push(Family::ClassMinimum);
    }
    if instance.pupils.iter().any(|p| p.fixed_school.is_some()) {
        families.push(Family::Locks);
    }
    if instance.rules.max_distance_m.is_some() {
        families.push(Family::Distance);
    }
    if instance.rules.siblings_hard && instance.pupils.iter().any(|p| p.sibling_school.is_some()) {
        families.push(Family::Siblings);
    }
    if instance.rules.has_extra_way_cap() && instance.pupils.iter().any(|p| p.baseline_school.is_some()) {
        families.push(Family::ExtraWay);
    }
    let models = families.len() + 1;
    let per_model = |done: usize| match deadline.remaining_s() {
        Some(left) => deadline.within(left / (models - done) as f64),
        None => deadline,
    };
    let mut single = Vec::new();
    for (done, &family) in families.iter().enumerate() {
        if let Some(relaxation) = relax(instance, &groups, &[family], per_model(done))? {
            single.push(relaxation);
        }
    }
    let combined = if single.is_empty() {
        relax(instance, &groups, &families, per_model(families.len()))?
    } else {
        None
    };
    Ok(Diagnosis { single, combined })
}

/// Arcs of an elastic model, by the solver's own allowed-arc rule
/// ([`allowed_arc`]): an arc is in when it is allowed once the relaxed
/// families are lifted (locks released, no distance limit, siblings not
/// required). An arc that the unrelaxed rule forbids costs 1 per pupil; on
/// top, every arc costs its way and prices times a weight so small that
/// they only break ties between equally small relaxations (so the
/// explanation is deterministic and names the shortest ways).
fn elastic_arcs(instance: &Instance, groups: &[Group], families: &[Family]) -> Vec<Arc> {
    let mut lifted = instance.clone();
    if families.contains(&Family::Distance) {
        lifted.rules.max_distance_m = None;
    }
    if families.contains(&Family::Siblings) {
        lifted.rules.siblings_hard = false;
    }
    if families.contains(&Family::ExtraWay) {
        lifted.rules.max_extra_way_m = None;
        lifted.rules.max_extra_way_pct = None;
    }
    let lifted_groups: Vec<Group> = groups
        .iter()
        .map(|g| Group {
            fixed_school: g.fixed_school.filter(|_| !families.contains(&Family::Locks)),
            ..g.clone()
        })
        .collect();
    let mut priced = Vec::new();
    let mut most_per_group = vec![0.0_f64; groups.len()];
    for g in 0..groups.len() {
        for s in 0..instance.schools.len() {
            let Some(arc) = allowed_arc(&lifted, &lifted_groups, g, s) else {
                continue;
            };
            let breaks = allowed_arc(instance, groups, g, s).is_none();
            let price = if breaks { groups[g].seats_per_unit() } else { 0.0 };
            most_per_group[g] = most_per_group[g].max(arc.cost_m * groups[g].variable_upper());
            priced.push((arc, price));
        }
    }
    // The weighted ways of any solution add up to less than one price unit.
    let weight = 0.5 / (most_per_group.iter().sum::<f64>() + 1.0);
    priced
        .into_iter()
        .map(|(arc, price)| Arc {
            cost_m: price + weight * arc.cost_m,
            ..arc
        })
        .collect()
}

/// What an elastic model's optimum shows: where each pupil goes, the
/// classes each school opens, whether it is at the reduced size, and the
/// value of every slack.
struct ElasticSolution {
    school_of: Vec<usize>,
    classes: Vec<u32>,
    reduced: Vec<bool>,
    slacks: Vec<(SlackKind, usize, u32)>,
}

fn relax(instance: &Instance, groups: &[Group], families: &[Family], deadline: Deadline) -> Result<Option<Relaxation>, SolveError> {
    let Some(solution) = solve_elastic(instance, groups, families, deadline)? else {
        return Ok(None);
    };
    let mut changes = slack_changes(instance, &solution);
    changes.extend(released_locks(instance, &solution.school_of));
    changes.extend(longer_ways(instance, &solution.school_of));
    changes.extend(separated_siblings(instance, &solution.school_of));
    changes.extend(grown_ways(instance, &solution.school_of));
    if changes.is_empty() {
        // Feasible without any change would contradict the infeasible
        // instance: nothing is claimed.
        return Ok(None);
    }
    Ok(Some(Relaxation {
        families: families.to_vec(),
        changes,
        witness: Witness {
            school_of: solution.school_of,
            classes: solution.classes,
        },
    }))
}

/// Builds and solves the elastic model of `families`; `None` when even it is infeasible.
fn solve_elastic(
    instance: &Instance,
    groups: &[Group],
    families: &[Family],
    deadline: Deadline,
) -> Result<Option<ElasticSolution>, SolveError> {
    let slacks = Slacks {
        classes: families.contains(&Family::Classes),
        seats: families.contains(&Family::ClassSize),
        class_minimum: families.contains(&Family::ClassMinimum),
    };
    let arcs = elastic_arcs(instance, groups, families);
    if (0..groups.len()).any(|g| !arcs.iter().any(|a| a.group == g)) {
        return Ok(None);
    }
    let model = build_elastic(instance, groups, arcs, slacks);
    let (arcs, model_columns) = (model.arcs.clone(), model.columns.clone());
    let settings = RunSettings {
        deadline,
        mip_gap: 0.0,
        threads: instance.solver.threads,
        node_limit: None,
        cutoff: None,
        primal_heuristics: true,
    };
    let result = run(model.problem, &settings, true)?;
    let Some(columns) = result.columns.filter(|_| result.status != RunStatus::Infeasible) else {
        return Ok(None);
    };
    let value = |c: usize| columns[c].round().max(0.0) as u32;
    let schools = 0..instance.schools.len();
    Ok(Some(ElasticSolution {
        school_of: disaggregate(instance, groups, &arcs, &model_columns, &columns).school_of,
        classes: schools.clone().map(|s| model_columns.class_counts(s).map(value).sum()).collect(),
        reduced: schools
            .map(|s| model_columns.regime_flag(s).is_some_and(|y| value(y) == 1))
            .collect(),
        slacks: model_columns
            .slacks()
            .filter(|&(column, _, _)| value(column) > 0)
            .map(|(column, kind, school)| (kind, school, value(column)))
            .collect(),
    }))
}

/// The class and seat changes the slacks of an elastic optimum name.
fn slack_changes(instance: &Instance, solution: &ElasticSolution) -> Vec<Change> {
    let mut assigned = vec![0u64; instance.schools.len()];
    for &s in &solution.school_of {
        assigned[s] += 1;
    }
    let rules = &instance.rules;
    let mut changes = Vec::new();
    for &(kind, s, amount) in &solution.slacks {
        let school = &instance.schools[s];
        let classes = solution.classes[s];
        let size = match rules.migration_basis {
            MigrationBasis::Intake => rules.class_size_in(solution.reduced[s]),
            MigrationBasis::PreviousYear => rules.class_size_for(school.prev_migration_share),
        };
        changes.push(match kind {
            SlackKind::Classes => Change::MoreClasses {
                school: school.id.to_string(),
                extra: amount,
                classes,
            },
            SlackKind::Seats(_) => {
                let pupils = assigned[s] + u64::from(school.reserved_seats);
                Change::LargerClasses {
                    school: school.id.to_string(),
                    needed: if classes > 0 {
                        pupils.div_ceil(u64::from(classes)) as u32
                    } else {
                        0
                    },
                    size,
                    classes,
                    pupils: pupils as u32,
                    seats_missing: amount,
                }
            }
            SlackKind::ClassMinimum => Change::BelowClassMinimum {
                school: school.id.to_string(),
                short: amount,
            },
        });
    }
    changes
}

/// Locks the elastic optimum releases, per school of the lock.
fn released_locks(instance: &Instance, school_of: &[usize]) -> Vec<Change> {
    let mut by_school: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
    for (p, pupil) in instance.pupils.iter().enumerate() {
        if let Some(lock) = pupil.fixed_school.filter(|&f| f != school_of[p]) {
            by_school.entry(lock).or_default().push(p);
        }
    }
    by_school
        .into_iter()
        .map(|(school, pupils)| Change::ReleaseLocks {
            school: instance.schools[school].id.to_string(),
            pupil_ids: first_ids(instance, &pupils),
            pupils: pupils.len() as u32,
        })
        .collect()
}

/// Ways beyond `max_distance_m` in the elastic optimum.
fn longer_ways(instance: &Instance, school_of: &[usize]) -> Option<Change> {
    let far: Vec<(usize, f64)> = school_of
        .iter()
        .enumerate()
        .map(|(p, &s)| (p, instance.way_m(p, s).unwrap_or(f64::INFINITY)))
        .filter(|&(_, d)| instance.rules.beyond_max_distance(d))
        .collect();
    let pupils: Vec<usize> = far.iter().map(|&(p, _)| p).collect();
    (!far.is_empty()).then(|| Change::LongerWays {
        pupil_ids: first_ids(instance, &pupils),
        pupils: far.len() as u32,
        longest_m: far.iter().map(|&(_, d)| d).fold(0.0, f64::max),
    })
}

/// Pupils whose way in the elastic optimum grows more against the baseline than the cap allows.
fn grown_ways(instance: &Instance, school_of: &[usize]) -> Option<Change> {
    let grown: Vec<(usize, f64)> = school_of
        .iter()
        .enumerate()
        .filter_map(|(p, &s)| {
            let way = instance.way_m(p, s)?;
            let base = instance.pupils[p].baseline_school.and_then(|b| instance.way_m(p, b))?;
            instance.beyond_extra_way(p, way).then_some((p, way - base))
        })
        .collect();
    let pupils: Vec<usize> = grown.iter().map(|&(p, _)| p).collect();
    (!grown.is_empty()).then(|| Change::LongerThanBaseline {
        pupil_ids: first_ids(instance, &pupils),
        pupils: grown.len() as u32,
        most_extra_m: grown.iter().map(|&(_, e)| e).fold(0.0, f64::max),
    })
}

/// Pupils the elastic optimum sends elsewhere than their sibling's school (with `siblings_hard`).
fn separated_siblings(instance: &Instance, school_of: &[usize]) -> Option<Change> {
    if !instance.rules.siblings_hard {
        return None;
    }
    let apart: Vec<usize> = (0..instance.pupils.len())
        .filter(|&p| instance.pupils[p].sibling_school.is_some_and(|s| s != school_of[p]))
        .collect();
    (!apart.is_empty()).then(|| Change::SeparateSiblings {
        pupil_ids: first_ids(instance, &apart),
        pupils: apart.len() as u32,
    })
}

/// The ids of the first ten pupils (by index).
fn first_ids(instance: &Instance, pupils: &[usize]) -> Vec<String> {
    pupils.iter().take(10).map(|&p| instance.pupils[p].id.to_string()).collect()
}
