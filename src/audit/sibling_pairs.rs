//! Siblings named across years (multi-year planning, column `sibling_id`):
//! recomputed from the years' assignments alone. A pair is apart when the
//! younger pupil's school differs from its older sibling's. With
//! `siblings_hard` every apart pair is a violation; with `sibling_weight_m`
//! the price of the plan is that weight per apart pair. No code is shared
//! with the model.

use super::{Rule, Violation};
use crate::model::{SiblingPair, YearPlan};

/// The pairs (indices into `plan.siblings`) whose two pupils are both
/// assigned, at different schools; `school_of[t][p]` is year `t`'s school of
/// pupil `p`, if assigned.
pub fn apart(plan: &YearPlan, school_of: &[Vec<Option<usize>>]) -> Vec<usize> {
    plan.siblings
        .iter()
        .enumerate()
        .filter(|(_, pair)| {
            let older = school_of[pair.older_year].get(pair.older).copied().flatten();
            let younger = school_of[pair.younger_year].get(pair.younger).copied().flatten();
            matches!((older, younger), (Some(a), Some(b)) if a != b)
        })
        .map(|(i, _)| i)
        .collect()
}

/// The price of the apart pairs in metres: `sibling_weight_m` for each,
/// unless `siblings_hard` (then they are violations, priced at 0).
pub fn penalty_m(plan: &YearPlan, school_of: &[Vec<Option<usize>>]) -> f64 {
    let rules = &plan.years[0].rules;
    match rules.siblings_hard {
        true => 0.0,
        false => rules.sibling_weight_m * apart(plan, school_of).len() as f64,
    }
}

/// With `siblings_hard`: records every pair at two schools.
pub fn check(plan: &YearPlan, school_of: &[Vec<Option<usize>>], violations: &mut Vec<Violation>) {
    if !plan.years[0].rules.siblings_hard {
        return;
    }
    for i in apart(plan, school_of) {
        let pair = &plan.siblings[i];
        let (older, younger) = (school_of[pair.older_year][pair.older], school_of[pair.younger_year][pair.younger]);
        let (Some(older), Some(younger)) = (older, younger) else { continue };
        let id = younger_id(plan, pair);
        violations.push(Violation::new(
            Rule::Sibling,
            id,
            format!(
                "pupil `{id}` (year {}) is at school {}, its older sibling `{}` (year {}) at school {}; siblings_hard puts siblings at one school",
                plan.labels[pair.younger_year],
                plan.years[pair.younger_year].schools[younger].id,
                plan.years[pair.older_year].pupils[pair.older].id,
                plan.labels[pair.older_year],
                plan.years[pair.older_year].schools[older].id
            ),
        ));
    }
}

fn younger_id<'p>(plan: &'p YearPlan, pair: &SiblingPair) -> &'p str {
    plan.years[pair.younger_year].pupils[pair.younger].id.as_str()
}
