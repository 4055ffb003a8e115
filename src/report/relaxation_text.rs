//! Relaxations that restore feasibility, as sentences for people.

use crate::model::Instance;
use crate::solve::elastic::Change;

/// A relaxation's change as a sentence, in the domain's words.
pub fn change_sentence(change: &Change, instance: &Instance) -> String {
    match change {
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
            "{school} opens no class but {} a seat there",
            plural(*seats_missing, "pupil needs", "pupils need")
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
        Change::SeparateSiblings { pupil_ids, pupils } => format!(
            "let {} go elsewhere than their sibling's school (siblings_hard) ({})",
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
        Change::LongerThanBaseline {
            pupil_ids,
            pupils,
            most_extra_m,
        } => format!(
            "let the way of {} grow more against the baseline than {} allows, by up to {:.0} m ({})",
            plural(*pupils, "pupil", "pupils"),
            extra_way_caps(instance),
            most_extra_m,
            list(pupil_ids, *pupils)
        ),
    }
}

/// The caps on way growth as written: `max_extra_way_m = 300 and max_extra_way_pct = 20`.
fn extra_way_caps(instance: &Instance) -> String {
    let rules = &instance.rules;
    let caps: Vec<String> = [
        rules.max_extra_way_m.map(|m| format!("max_extra_way_m = {m}")),
        rules.max_extra_way_pct.map(|p| format!("max_extra_way_pct = {p}")),
    ]
    .into_iter()
    .flatten()
    .collect();
    caps.join(" and ")
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
