//! `bylaw.csv` and `bylaw.md`: each school's district as a council by-law
//! lists it (see [`crate::report::bylaw_of`]): street sections (`unit_id`)
//! with `assign = "units"`, streets and house-number ranges by side
//! otherwise, by school id, then in natural order (`Abendstraße 2` before
//! `Abendstraße 11` before `Abendstraße 11a`).
//!
//! `bylaw.csv` reads back as a district plan (`districts = "bylaw.csv"`).

use super::{OutputError, csv_bytes};
use crate::model::{Instance, StreetRange};
use crate::report::{Bylaw, Counted};
use serde::Serialize;

/// One row of `bylaw.csv`: a street section (`unit_id`) or a street range
/// (`street`, `side`, `from`, `to`; `from` and `to` empty for the whole street).
#[derive(Debug, Clone, Serialize)]
struct BylawLine<'a> {
    school_id: &'a str,
    school_name: &'a str,
    unit_id: &'a str,
    pupils: u32,
    street: &'a str,
    house_numbers: String,
    side: &'static str,
    from: String,
    to: String,
}

/// Renders `bylaw.csv`: `school_id,school_name,unit_id,pupils,street,house_numbers,side,from,to`.
pub fn bylaw_csv(instance: &Instance, bylaw: &Bylaw) -> Result<Vec<u8>, OutputError> {
    let school = |s: usize| (instance.schools[s].id.as_str(), instance.schools[s].name.as_str());
    let units = bylaw.units.iter().map(|Counted { entry, pupils }| BylawLine {
        school_id: school(entry.school).0,
        school_name: school(entry.school).1,
        unit_id: entry.unit.as_str(),
        pupils: *pupils,
        street: "",
        house_numbers: String::new(),
        side: "",
        from: String::new(),
        to: String::new(),
    });
    let streets = bylaw.streets.iter().map(|Counted { entry, pupils }| BylawLine {
        school_id: school(entry.school).0,
        school_name: school(entry.school).1,
        unit_id: "",
        pupils: *pupils,
        street: &entry.street,
        house_numbers: entry.house_numbers(),
        side: entry.side.as_str(),
        from: entry.range.as_ref().map(|r| r.0.to_string()).unwrap_or_default(),
        to: entry.range.as_ref().map(|r| r.1.to_string()).unwrap_or_default(),
    });
    csv_bytes(units.chain(streets).collect::<Vec<_>>(), "bylaw.csv")
}

/// Renders `bylaw.md`: per school a heading and one line per street
/// (`Abendstraße 1–15 (odd), 2–20 (even)`) or street section.
pub fn bylaw_markdown(instance: &Instance, bylaw: &Bylaw) -> Vec<u8> {
    let mut md = format!("# School districts: {}\n", instance.name);
    for (s, school) in instance.schools.iter().enumerate() {
        let units: Vec<String> = bylaw
            .units
            .iter()
            .filter(|u| u.entry.school == s)
            .map(|u| format!("- street section {}\n", u.entry.unit))
            .collect();
        let streets = street_lines(bylaw.streets.iter().map(|c| &c.entry).filter(|r| r.school == s));
        if units.is_empty() && streets.is_empty() {
            continue;
        }
        md.push_str(&format!("\n## {} {}\n\n", school.id, school.name));
        units.iter().chain(&streets).for_each(|line| md.push_str(line));
    }
    if bylaw.unlisted > 0 {
        md.push_str(&format!(
            "\n{} pupils have no address (or street section) and are not listed here; see assignments.csv.\n",
            bylaw.unlisted
        ));
    }
    md.into_bytes()
}

/// One line per street: its ranges joined (`- Abendstraße 1–15 (odd), 2–20 (even)`).
fn street_lines<'a>(ranges: impl Iterator<Item = &'a StreetRange>) -> Vec<String> {
    let mut lines: Vec<(String, Vec<String>)> = Vec::new();
    for range in ranges {
        match lines.last_mut() {
            Some((street, parts)) if *street == range.street => parts.push(range.house_numbers()),
            _ => lines.push((range.street.clone(), vec![range.house_numbers()])),
        }
    }
    lines
        .into_iter()
        .map(|(street, parts)| format!("- {street} {}\n", parts.join(", ")))
        .collect()
}
