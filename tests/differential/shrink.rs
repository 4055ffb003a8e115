//! Greedy minimisation of a case that shows a disagreement: pupils and
//! schools are taken away and rules switched off one at a time, keeping each
//! step after which the same kind of disagreement still shows.

use super::case::Case;
use super::check::check_case;
use std::path::Path;

/// Most checks one minimisation may run (each runs the binary four times).
const MAX_ATTEMPTS: usize = 600;

/// How grave a kind of disagreement is (smaller is graver): a crash or hang,
/// a rule broken, a worse assignment, a wrong status, a wrong explanation,
/// then wrong figures. A case is minimised for its gravest kind.
pub fn severity(class: &str) -> u8 {
    let ranks = [
        ("exits", 0),
        ("hangs", 0),
        ("breaks a rule", 1),
        ("audit", 1),
        ("incomplete", 1),
        ("worse", 2),
        ("status", 3),
        ("but enumeration", 3),
        ("but no map", 3),
        ("explanation", 4),
    ];
    ranks.iter().find(|(word, _)| class.contains(word)).map_or(5, |(_, rank)| *rank)
}

/// The case without pupil `p` (and its baseline row).
fn without_pupil(case: &Case, p: usize) -> Case {
    let mut smaller = case.clone();
    let gone = smaller.pupils.remove(p);
    if let Some(b) = smaller.baseline.as_mut().filter(|b| !b.by_unit) {
        b.rows.retain(|(id, _)| *id != gone.id);
    }
    smaller
}

/// The case without school `s`: locks, siblings and baseline rows that
/// named it are dropped, later indices shift down.
fn without_school(case: &Case, s: usize) -> Option<Case> {
    if case.schools.len() <= 1 {
        return None;
    }
    let mut smaller = case.clone();
    smaller.schools.remove(s);
    let shift = |x: Option<usize>| match x {
        Some(x) if x == s => None,
        Some(x) if x > s => Some(x - 1),
        other => other,
    };
    for p in &mut smaller.pupils {
        p.lock = shift(p.lock);
        p.sibling = shift(p.sibling);
    }
    if let Some(b) = smaller.baseline.as_mut() {
        b.rows = b
            .rows
            .iter()
            .filter_map(|(id, x)| shift(Some(*x)).map(|x| (id.clone(), x)))
            .collect();
    }
    Some(smaller)
}

/// Rules and settings switched off one at a time (each `None` when already off).
fn simplifications(case: &Case) -> Vec<Case> {
    let edits: Vec<fn(&mut Case)> = vec![
        |c| {
            c.baseline = None;
            c.rules.max_moves = None;
            c.rules.move_penalty_m = 0;
        },
        |c| c.rules.max_moves = None,
        |c| c.rules.move_penalty_m = 0,
        |c| c.pupils.iter_mut().for_each(|p| p.sibling = None),
        |c| c.rules.siblings_hard = false,
        |c| c.rules.sibling_weight_m = 0,
        |c| c.pupils.iter_mut().for_each(|p| p.lock = None),
        |c| {
            c.rules.units = false;
            c.pupils.iter_mut().for_each(|p| p.unit = None);
            if c.baseline.as_ref().is_some_and(|b| b.by_unit) {
                c.baseline = None;
            }
        },
        |c| c.rules.max_distance_m = None,
        |c| c.rules.min_class_size = None,
        |c| c.rules.intake = false,
        |c| c.schools.iter_mut().for_each(|s| s.reserved = 0),
        |c| {
            c.schools.iter_mut().for_each(|s| {
                s.min_classes = s.classes;
                s.max_classes = s.classes;
            })
        },
        |c| {
            c.solver.candidate_nearest = None;
            c.solver.candidate_radius_m = None;
            c.solver.warm_start = true;
            c.solver.integral_lp_shortcut = true;
            c.solver.first_integer_reach_m = None;
        },
        |c| c.pupils.iter_mut().for_each(|p| p.migrant = false),
        |c| {
            if let Some(b) = c.baseline.as_mut() {
                let known: Vec<String> = c
                    .pupils
                    .iter()
                    .map(|p| p.id.clone())
                    .chain(c.pupils.iter().filter_map(|p| p.unit.clone()))
                    .collect();
                b.rows.retain(|(id, _)| known.contains(id));
            }
        },
    ];
    edits
        .into_iter()
        .filter_map(|edit| {
            let mut simpler = case.clone();
            edit(&mut simpler);
            (simpler != *case).then_some(simpler)
        })
        .collect()
}

/// Per-pupil simplifications: no lock, no sibling, no unit, no migration background.
fn pupil_simplifications(case: &Case, p: usize) -> Vec<Case> {
    let edits: Vec<fn(&mut super::case::PupilSpec)> =
        vec![|q| q.lock = None, |q| q.sibling = None, |q| q.unit = None, |q| q.migrant = false];
    edits
        .into_iter()
        .filter_map(|edit| {
            let mut simpler = case.clone();
            edit(&mut simpler.pupils[p]);
            (simpler != *case).then_some(simpler)
        })
        .collect()
}

/// Every smaller or simpler neighbour of `case`, largest steps first.
fn candidates(case: &Case) -> Vec<Case> {
    let mut next: Vec<Case> = (0..case.schools.len()).rev().filter_map(|s| without_school(case, s)).collect();
    next.extend((0..case.pupils.len()).rev().map(|p| without_pupil(case, p)));
    next.extend(simplifications(case));
    for p in 0..case.pupils.len() {
        next.extend(pupil_simplifications(case, p));
    }
    next
}

/// The smallest case found that still shows a disagreement of `class`, and
/// the number of checks run. `scratch` is a folder for the attempts.
pub fn shrink(case: &Case, class: &str, scratch: &Path) -> (Case, usize) {
    let mut best = case.clone();
    let mut attempts = 0;
    'passes: loop {
        for candidate in candidates(&best) {
            if attempts >= MAX_ATTEMPTS {
                break 'passes;
            }
            attempts += 1;
            let dir = scratch.join(format!("attempt-{attempts}"));
            let _ = std::fs::remove_dir_all(&dir);
            let outcome = check_case(&candidate, &dir, "shrinking");
            let _ = std::fs::remove_dir_all(&dir);
            if outcome.disagreements.iter().any(|d| d.class == class) {
                best = candidate;
                continue 'passes;
            }
        }
        break;
    }
    best.tags.clear();
    (best, attempts)
}
