//! The rules written once more, from the README, for the differential test:
//! the cost of an assignment (way by the test's own haversine, plus the
//! prices of moves and missed siblings), whether an assignment keeps every
//! rule, and the optimum by brute force over every pupil -> school map.
//!
//! Nothing here uses the library: shares and thresholds are compared as
//! whole numbers (basis points, percent), class counts are tried one by one.
//! For contiguous districts the cells and which of them are neighbours are
//! the district map's ([`Cells`], taken from the library's mesh, which
//! defines them); whether a district is connected and holds its school's
//! cell is judged here, by a search of this file's own.

use super::case::{Case, micro_deg};
use crate::common::haversine_m;

/// Way of every pupil to every school, in metres.
pub fn ways(case: &Case) -> Vec<Vec<f64>> {
    case.pupils
        .iter()
        .map(|p| {
            case.schools
                .iter()
                .map(|s| haversine_m(micro_deg(p.lat_u), micro_deg(p.lon_u), micro_deg(s.lat_u), micro_deg(s.lon_u)))
                .collect()
        })
        .collect()
}

/// Last year's school of every pupil (by its id, or by its unit's id).
pub fn baseline_schools(case: &Case) -> Vec<Option<usize>> {
    let Some(baseline) = &case.baseline else {
        return vec![None; case.pupils.len()];
    };
    case.pupils
        .iter()
        .map(|p| {
            let key = if baseline.by_unit { p.unit.as_deref() } else { Some(p.id.as_str()) };
            key.and_then(|k| baseline.rows.iter().rev().find(|(id, _)| id == k).map(|(_, s)| *s))
        })
        .collect()
}

/// The figures of an assignment that the objective is made of.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Cost {
    /// Total way in metres.
    pub way_m: f64,
    /// Pupils not at their baseline school (of those that have one).
    pub moves: u32,
    /// Pupils with a sibling school, at it.
    pub siblings_honoured: u32,
    /// Pupils with a sibling school, not at it.
    pub siblings_missed: u32,
    /// Way + `move_penalty_m` x moves + `sibling_weight_m` x missed siblings.
    pub objective_m: f64,
}

/// The cost of `school_of` (school index per pupil).
pub fn cost(case: &Case, ways: &[Vec<f64>], baseline: &[Option<usize>], school_of: &[usize]) -> Cost {
    let way_m: f64 = school_of.iter().enumerate().map(|(p, &s)| ways[p][s]).sum();
    let moves = (0..school_of.len())
        .filter(|&p| baseline[p].is_some_and(|b| b != school_of[p]))
        .count() as u32;
    let with_sibling: Vec<usize> = (0..school_of.len()).filter(|&p| case.pupils[p].sibling.is_some()).collect();
    let siblings_honoured = with_sibling
        .iter()
        .filter(|&&p| case.pupils[p].sibling == Some(school_of[p]))
        .count() as u32;
    let siblings_missed = with_sibling.len() as u32 - siblings_honoured;
    // Prices count only when the scenario can hold them: the move penalty
    // is written only with a baseline.
    let penalty = if case.baseline.is_some() {
        case.rules.move_penalty_m as f64
    } else {
        0.0
    };
    Cost {
        way_m,
        moves,
        siblings_honoured,
        siblings_missed,
        objective_m: way_m + penalty * moves as f64 + case.rules.sibling_weight_m as f64 * siblings_missed as f64,
    }
}

/// Rules relaxed as an infeasibility explanation proposes, each at least as
/// far as it says (so a case infeasible under these is infeasible under the
/// proposal).
#[derive(Debug, Clone, PartialEq)]
pub struct Relaxed {
    /// Per school: at most this many classes (instead of `max_classes`).
    pub max_classes: Vec<u32>,
    /// Per school: at least this many pupils per class, in either regime.
    pub class_size_at_least: Vec<u32>,
    /// Per school: seats on top of the classes' seats.
    pub extra_seats: Vec<u32>,
    /// Per school: pupils the school may have fewer than its class minimum needs.
    pub minimum_short: Vec<u32>,
    /// Per school: locks to it are released.
    pub locks_released: Vec<bool>,
    /// The distance limit, perhaps raised.
    pub max_distance_m: Option<f64>,
    /// `siblings_hard` lifted (pupils may go elsewhere than their sibling's school).
    pub siblings_released: bool,
}

impl Relaxed {
    /// No rule relaxed.
    pub fn none(case: &Case) -> Relaxed {
        Relaxed {
            max_classes: case.schools.iter().map(|s| s.max_classes).collect(),
            class_size_at_least: vec![0; case.schools.len()],
            extra_seats: vec![0; case.schools.len()],
            minimum_short: vec![0; case.schools.len()],
            locks_released: vec![false; case.schools.len()],
            max_distance_m: case.rules.max_distance_m.map(f64::from),
            siblings_released: false,
        }
    }
}

/// The cells of the district map, for `contiguous = true`.
#[derive(Debug, Clone, PartialEq)]
pub struct Cells {
    /// The cell of each pupil.
    pub of_pupil: Vec<usize>,
    /// Per cell, the cells sharing an edge with it.
    pub neighbours: Vec<Vec<usize>>,
    /// Per school, the cell it stands in (its root).
    pub roots: Vec<usize>,
}

/// `Ok` when every school's district (the cells of its pupils) is empty or
/// connected and holds the school's root cell, else the first school whose
/// district is not.
fn contiguous(case: &Case, cells: &Cells, school_of: &[usize]) -> Result<(), String> {
    for s in 0..case.schools.len() {
        let mut member = vec![false; cells.neighbours.len()];
        for (p, &x) in school_of.iter().enumerate() {
            member[cells.of_pupil[p]] |= x == s;
        }
        let size = member.iter().filter(|&&m| m).count();
        if size == 0 {
            continue;
        }
        let root = cells.roots[s];
        if !member[root] {
            return Err(format!("district of {} without its school's cell", case.schools[s].id));
        }
        let mut seen = vec![false; member.len()];
        seen[root] = true;
        let (mut stack, mut reached) = (vec![root], 1);
        while let Some(c) = stack.pop() {
            for &n in &cells.neighbours[c] {
                if member[n] && !seen[n] {
                    seen[n] = true;
                    reached += 1;
                    stack.push(n);
                }
            }
        }
        if reached < size {
            return Err(format!("district of {} in parts", case.schools[s].id));
        }
    }
    Ok(())
}

/// `Ok` when `school_of` keeps every rule, else the first rule it breaks
/// (`cells`: the map's cells when the case is contiguous).
pub fn keeps_rules(
    case: &Case,
    cells: Option<&Cells>,
    ways: &[Vec<f64>],
    baseline: &[Option<usize>],
    school_of: &[usize],
) -> Result<(), String> {
    keeps_relaxed_rules(case, &Relaxed::none(case), cells, ways, baseline, school_of)
}

/// [`keeps_rules`] with the rules relaxed as `relaxed` says.
pub fn keeps_relaxed_rules(
    case: &Case,
    relaxed: &Relaxed,
    cells: Option<&Cells>,
    ways: &[Vec<f64>],
    baseline: &[Option<usize>],
    school_of: &[usize],
) -> Result<(), String> {
    for (p, &s) in school_of.iter().enumerate() {
        pupil_rules(case, relaxed, ways, p, s)?;
    }
    if case.rules.units {
        for (p, pupil) in case.pupils.iter().enumerate() {
            if let Some(q) = (0..p).find(|&q| pupil.unit.is_some() && case.pupils[q].unit == pupil.unit && school_of[q] != school_of[p]) {
                return Err(format!("unit {:?} split: {} and {}", pupil.unit, case.pupils[q].id, pupil.id));
            }
        }
    }
    if case.rules.homes {
        for (p, pupil) in case.pupils.iter().enumerate() {
            let home = (pupil.lat_u, pupil.lon_u);
            if let Some(q) = (0..p).find(|&q| (case.pupils[q].lat_u, case.pupils[q].lon_u) == home && school_of[q] != school_of[p]) {
                return Err(format!("home split: {} and {}", case.pupils[q].id, pupil.id));
            }
        }
    }
    if case.rules.contiguous {
        contiguous(case, cells.ok_or("no cells of the district map to judge contiguity")?, school_of)?;
    }
    if let Some(cap) = case.rules.max_moves.filter(|_| case.baseline.is_some()) {
        let moves = cost(case, ways, baseline, school_of).moves;
        if moves > cap {
            return Err(format!("{moves} moves, max_moves {cap}"));
        }
    }
    for s in 0..case.schools.len() {
        school_rules(case, relaxed, school_of, s)?;
    }
    Ok(())
}

/// Lock, distance limit and hard sibling of pupil `p` at school `s`.
fn pupil_rules(case: &Case, relaxed: &Relaxed, ways: &[Vec<f64>], p: usize, s: usize) -> Result<(), String> {
    let pupil = &case.pupils[p];
    if pupil.lock.is_some_and(|l| l != s && !relaxed.locks_released[l]) {
        return Err(format!("{} locked elsewhere", pupil.id));
    }
    if relaxed.max_distance_m.is_some_and(|limit| ways[p][s] > limit) {
        return Err(format!("{} beyond max_distance_m ({:.1} m)", pupil.id, ways[p][s]));
    }
    if case.rules.siblings_hard && !relaxed.siblings_released && pupil.sibling.is_some_and(|sib| sib != s) {
        return Err(format!("{} not at its sibling's school", pupil.id));
    }
    Ok(())
}

/// Whether school `s` is reduced to the smaller class size, with `pupils`
/// of whom `migrants` have migration background assigned to it.
pub fn reduced(case: &Case, s: usize, pupils: u32, migrants: u32) -> bool {
    let t = case.rules.threshold_pct;
    if case.rules.intake {
        // migrants / pupils > t / 100, in whole numbers.
        pupils > 0 && 100 * migrants > t * pupils
    } else {
        case.schools[s].share_bp > t * 100
    }
}

/// Capacity with some class count in the school's range, and the class minimum.
fn school_rules(case: &Case, relaxed: &Relaxed, school_of: &[usize], s: usize) -> Result<(), String> {
    let school = &case.schools[s];
    let pupils = school_of.iter().filter(|&&x| x == s).count() as u32;
    let migrants = school_of.iter().zip(&case.pupils).filter(|(x, p)| **x == s && p.migrant).count() as u32;
    let size = if reduced(case, s, pupils, migrants) {
        case.rules.reduced_class_size
    } else {
        case.rules.class_size
    };
    let size = size.max(relaxed.class_size_at_least[s]);
    let short = relaxed.minimum_short[s];
    let extra = relaxed.extra_seats[s];
    let fits = |k: u32| pupils + school.reserved <= k * size + extra && case.rules.min_class_size.is_none_or(|m| pupils + short >= k * m);
    let most = relaxed.max_classes[s].max(school.max_classes);
    if (school.min_classes..=most).any(fits) {
        Ok(())
    } else {
        Err(format!(
            "school {}: {pupils} pupils ({migrants} migrants) + {} reserved fit no class count in {}..={most} at {size} per class (minimum {:?})",
            school.id, school.reserved, school.min_classes, case.rules.min_class_size
        ))
    }
}

/// The least objective over every pupil -> school map that keeps the rules,
/// with one map that reaches it; `None` when no map keeps them.
pub fn enumerate(case: &Case, cells: Option<&Cells>) -> Option<(f64, Vec<usize>)> {
    enumerate_relaxed(case, &Relaxed::none(case), cells)
}

/// [`enumerate`] with the rules relaxed as `relaxed` says.
pub fn enumerate_relaxed(case: &Case, relaxed: &Relaxed, cells: Option<&Cells>) -> Option<(f64, Vec<usize>)> {
    let (n_pupils, n_schools) = (case.pupils.len(), case.schools.len());
    let ways = ways(case);
    let baseline = baseline_schools(case);
    let mut map = vec![0usize; n_pupils];
    let mut best: Option<(f64, Vec<usize>)> = None;
    loop {
        let cheaper = best
            .as_ref()
            .is_none_or(|(b, _)| cost(case, &ways, &baseline, &map).objective_m < *b);
        if cheaper && keeps_relaxed_rules(case, relaxed, cells, &ways, &baseline, &map).is_ok() {
            best = Some((cost(case, &ways, &baseline, &map).objective_m, map.clone()));
        }
        // Next map, odometer style.
        let mut i = 0;
        loop {
            if i == n_pupils {
                return best;
            }
            map[i] += 1;
            if map[i] < n_schools {
                break;
            }
            map[i] = 0;
            i += 1;
        }
    }
}
