//! `bylaw.csv`: the units (street sections) of each school's district, as a
//! council by-law lists them: by school id, then by unit in natural order
//! (`Abendstraße 2` before `Abendstraße 11` before `Abendstraße 11a`).

use super::{OutputError, csv_bytes};
use crate::model::Instance;
use serde::Serialize;
use std::cmp::Ordering;
use std::collections::BTreeMap;

/// One row of `bylaw.csv`.
#[derive(Debug, Clone, Serialize)]
struct BylawLine<'a> {
    school_id: &'a str,
    school_name: &'a str,
    unit_id: &'a str,
    pupils: u32,
}

/// Renders `bylaw.csv`: `school_id,school_name,unit_id,pupils`, one row per
/// unit and school. Pupils without a `unit_id` are not listed (they are in
/// `assignments.csv`); a unit split across schools (possible only in a
/// district plan) is listed under each of them. `school_of[p]` is `None` for
/// a pupil without a school.
pub fn bylaw_csv(instance: &Instance, school_of: &[Option<usize>]) -> Result<Vec<u8>, OutputError> {
    let mut units: BTreeMap<(usize, &str), u32> = BTreeMap::new();
    for (pupil, school) in instance.pupils.iter().zip(school_of) {
        if let (Some(unit), Some(s)) = (&pupil.unit, *school) {
            *units.entry((s, unit.as_str())).or_default() += 1;
        }
    }
    let mut rows: Vec<BylawLine> = units
        .into_iter()
        .map(|((s, unit_id), pupils)| BylawLine {
            school_id: instance.schools[s].id.as_str(),
            school_name: &instance.schools[s].name,
            unit_id,
            pupils,
        })
        .collect();
    rows.sort_by(|a, b| {
        natural_cmp(a.school_id, b.school_id)
            .then_with(|| natural_cmp(a.unit_id, b.unit_id))
            .then_with(|| a.unit_id.cmp(b.unit_id))
    });
    csv_bytes(rows, "bylaw.csv")
}

/// Natural order: runs of digits compare by value, everything else by
/// character; ties by the plain byte order.
pub fn natural_cmp(a: &str, b: &str) -> Ordering {
    let (mut x, mut y) = (a.chars().peekable(), b.chars().peekable());
    loop {
        match (x.peek().copied(), y.peek().copied()) {
            (None, None) => return a.cmp(b),
            (None, Some(_)) => return Ordering::Less,
            (Some(_), None) => return Ordering::Greater,
            (Some(c), Some(d)) if c.is_ascii_digit() && d.is_ascii_digit() => {
                let run = |it: &mut std::iter::Peekable<std::str::Chars>| {
                    let mut digits = String::new();
                    while let Some(c) = it.peek().copied().filter(char::is_ascii_digit) {
                        digits.push(c);
                        it.next();
                    }
                    digits
                };
                let (m, n) = (run(&mut x), run(&mut y));
                let (m_trim, n_trim) = (m.trim_start_matches('0'), n.trim_start_matches('0'));
                let order = m_trim.len().cmp(&n_trim.len()).then_with(|| m_trim.cmp(n_trim));
                if order != Ordering::Equal {
                    return order;
                }
            }
            (Some(c), Some(d)) => {
                if c != d {
                    return c.cmp(&d);
                }
                x.next();
                y.next();
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::natural_cmp;

    #[test]
    fn house_numbers_sort_as_numbers() {
        let mut units = vec!["Abendstraße 11a", "Abendstraße 2", "Abendstraße 11", "Ackerweg 1", "Abendstraße 10"];
        units.sort_by(|a, b| natural_cmp(a, b));
        assert_eq!(
            units,
            vec!["Abendstraße 2", "Abendstraße 10", "Abendstraße 11", "Abendstraße 11a", "Ackerweg 1"]
        );
    }
}
