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

use super::SolveError;
use super::candidates::Arc;
use super::formulation::{SlackKind, Slacks, build_elastic};
use super::groups::{Group, build_groups};
use super::highs_run::{RunSettings, RunStatus, run};
use crate::model::Instance;
use serde::Serialize;

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
    /// Allow `pupils` pupils a longer way than the limit, up to `longest_m`.
    LongerWays {
        /// Ids of the pupils (the first 10).
        pupil_ids: Vec<String>,
        /// How many pupils.
        pupils: u32,
        /// The longest way needed, in metres.
        longest_m: f64,
    },
}

impl Change {
    /// The change as a sentence.
    pub fn sentence(&self, instance: &Instance) -> String {
        match self {
            Change::MoreClasses { school, extra, classes } => format!(
                "open {extra} more class{} at {school} ({classes} in all)",
                if *extra == 1 { "" } else { "es" }
            ),
            Change::LargerClasses {
                school,
                needed,
                size,
                classes,
                pupils,
                seats_missing,
            } if *classes > 0 => {
                format!(
                    "allow {needed} per class at {school} instead of {size} ({pupils} pupils in {}, {} missing)",
                    plural(*classes, "class", "classes"),
                    plural(*seats_missing, "seat", "seats")
                )
            }
            Change::LargerClasses { school, seats_missing, .. } => format!(
                "{school} opens no class but {} need a seat there",
                plural(*seats_missing, "pupil", "pupils")
            ),
            Change::BelowClassMinimum { school, short } => format!(
                "let {school} run its classes with {short} pupils fewer than min_class_size = {} requires (or open fewer classes there: lower min_classes)",
                instance.rules.min_class_size.unwrap_or(0)
            ),
            Change::ReleaseLocks { school, pupil_ids, pupils } => format!(
                "release {} locked to {school} ({})",
                plural(*pupils, "pupil", "pupils"),
                list(pupil_ids, *pupils)
            ),
            Change::LongerWays {
                pupil_ids,
                pupils,
                longest_m,
            } => format!(
                "allow {} a way longer than max_distance_m = {:.0} m, up to {:.0} m ({})",
                plural(*pupils, "pupil", "pupils"),
                instance.rules.max_distance_m.unwrap_or(0.0),
                longest_m,
                list(pupil_ids, *pupils)
            ),
        }
    }
}

fn plural(n: u32, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

fn list(ids: &[String], total: u32) -> String {
    let more = total as usize - ids.len().min(total as usize);
    if more > 0 {
        format!("{} and {more} more", ids.join(", "))
    } else {
        ids.join(", ")
    }
}

/// A relaxation that makes the instance feasible.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Relaxation {
    /// The families relaxed.
    pub families: Vec<Family>,
    /// The changes found (the smallest in total within these families).
    pub changes: Vec<Change>,
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
pub fn diagnose(instance: &Instance, time_limit_s: f64) -> Result<Diagnosis, SolveError> {
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
    let per_model = time_limit_s / (families.len() + 1) as f64;
    let mut single = Vec::new();
    for &family in &families {
        if let Some(relaxation) = relax(instance, &groups, &[family], per_model)? {
            single.push(relaxation);
        }
    }
    let combined = if single.is_empty() {
        relax(instance, &groups, &families, per_model)?
    } else {
        None
    };
    Ok(Diagnosis { single, combined })
}

/// Arcs of an elastic model: arcs that break a relaxed lock or distance
/// limit cost 1 per pupil; on top, every arc costs its way times a weight so
/// small that the total way only breaks ties between equally small
/// relaxations (so the explanation is deterministic and names the shortest ways).
fn elastic_arcs(instance: &Instance, groups: &[Group], families: &[Family]) -> Vec<Arc> {
    let limit = instance.rules.max_distance_m.unwrap_or(f64::INFINITY);
    let mut priced = Vec::new();
    let mut longest = 0.0_f64;
    for (g, group) in groups.iter().enumerate() {
        for (s, school) in instance.schools.iter().enumerate() {
            let ways: Vec<f64> = group
                .pupils
                .iter()
                .map(|&p| instance.pupils[p].location.distance_m(&school.location))
                .collect();
            let breaks_lock = group.fixed_school.is_some_and(|f| f != s);
            let breaks_distance = ways.iter().any(|&d| d > limit);
            let allowed = (!breaks_lock || families.contains(&Family::Locks)) && (!breaks_distance || families.contains(&Family::Distance));
            if allowed {
                let price = if breaks_lock || breaks_distance {
                    group.seats_per_unit()
                } else {
                    0.0
                };
                let way = if group.whole { ways.iter().sum() } else { ways[0] };
                longest = longest.max(ways.iter().copied().fold(0.0, f64::max));
                priced.push((g, s, price, way));
            }
        }
    }
    // Total way <= pupils * longest, so the weighted way stays below one price unit.
    let weight = 0.5 / (instance.pupils.len() as f64 * longest + 1.0);
    priced
        .into_iter()
        .map(|(group, school, price, way)| Arc {
            group,
            school,
            cost_m: price + weight * way,
        })
        .collect()
}

fn relax(instance: &Instance, groups: &[Group], families: &[Family], time_limit_s: f64) -> Result<Option<Relaxation>, SolveError> {
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
    let class_columns: Vec<(Vec<usize>, Option<usize>)> = (0..instance.schools.len()).map(|s| model.class_columns(s)).collect();
    let (arcs, x, slack_columns) = (model.arcs.clone(), model.x.clone(), model.slacks.clone());
    let settings = RunSettings {
        time_limit_s: Some(time_limit_s.max(1.0)),
        mip_gap: 0.0,
        threads: instance.solver.threads,
        node_limit: None,
    };
    let result = run(model.problem, &settings, true)?;
    let Some(columns) = result.columns.filter(|_| result.status != RunStatus::Infeasible) else {
        return Ok(None);
    };
    let value = |c: usize| columns[c].round().max(0.0) as u32;

    // Pupils per school, and pupils sent over relaxed arcs.
    let mut assigned = vec![0u32; instance.schools.len()];
    let mut released: Vec<(usize, Vec<usize>)> = Vec::new();
    let mut far: Vec<(usize, f64)> = Vec::new();
    for (arc, vars) in arcs.iter().zip(&x) {
        let units = value(vars.full_column) + vars.reduced_column.map_or(0, value);
        if units == 0 {
            continue;
        }
        let group = &groups[arc.group];
        let pupils = if group.whole { units * group.size() } else { units };
        assigned[arc.school] += pupils;
        if arc.cost_m >= 1.0 {
            let members: Vec<usize> = group.pupils.iter().copied().take(pupils as usize).collect();
            if group.fixed_school.is_some_and(|f| f != arc.school) {
                released.push((group.fixed_school.expect("locked"), members.clone()));
            }
            for &p in &members {
                let d = instance.pupils[p].location.distance_m(&instance.schools[arc.school].location);
                if d > instance.rules.max_distance_m.unwrap_or(f64::INFINITY) {
                    far.push((p, d));
                }
            }
        }
    }
    let mut changes = Vec::new();
    for slack in slack_columns.iter().filter(|s| value(s.column) > 0) {
        let school = &instance.schools[slack.school];
        let amount = value(slack.column);
        let (counts, rule) = &class_columns[slack.school];
        let classes: u32 = counts.iter().map(|&c| value(c)).sum();
        let size = match rule {
            Some(y) if value(*y) == 1 => instance.rules.reduced_class_size,
            Some(_) => instance.rules.class_size,
            None => instance.rules.class_size_for(school.prev_migration_share),
        };
        changes.push(match slack.kind {
            SlackKind::Classes => Change::MoreClasses {
                school: school.id.to_string(),
                extra: amount,
                classes,
            },
            SlackKind::Seats => {
                let pupils = assigned[slack.school] + school.reserved_seats;
                Change::LargerClasses {
                    school: school.id.to_string(),
                    needed: if classes > 0 { pupils.div_ceil(classes) } else { 0 },
                    size,
                    classes,
                    pupils,
                    seats_missing: amount,
                }
            }
            SlackKind::ClassMinimum => Change::BelowClassMinimum {
                school: school.id.to_string(),
                short: amount,
            },
        });
    }
    released.sort();
    let mut by_school: std::collections::BTreeMap<usize, Vec<usize>> = std::collections::BTreeMap::new();
    for (school, pupils) in released {
        by_school.entry(school).or_default().extend(pupils);
    }
    for (school, mut pupils) in by_school {
        pupils.sort_unstable();
        changes.push(Change::ReleaseLocks {
            school: instance.schools[school].id.to_string(),
            pupil_ids: pupils.iter().take(10).map(|&p| instance.pupils[p].id.to_string()).collect(),
            pupils: pupils.len() as u32,
        });
    }
    if !far.is_empty() {
        far.sort_by_key(|&(p, _)| p);
        changes.push(Change::LongerWays {
            pupil_ids: far.iter().take(10).map(|&(p, _)| instance.pupils[p].id.to_string()).collect(),
            pupils: far.len() as u32,
            longest_m: far.iter().map(|&(_, d)| d).fold(0.0, f64::max),
        });
    }
    Ok(Some(Relaxation {
        families: families.to_vec(),
        changes,
    }))
}
