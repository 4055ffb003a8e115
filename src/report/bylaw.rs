//! The by-law of a result: each school's district written as a council
//! adopts it, by street sections (`unit_id`) and by streets with
//! house-number ranges per side, derived from where the result sends the
//! pupils of each address.
//!
//! Per street (names compared normalised, see [`crate::model::Address::key`]):
//! - all its addresses at one school: the **whole street**;
//! - otherwise, per side (odd, even numbers), the addresses in natural order
//!   (`11` < `11a` < `12`) cut into runs of one school: each run is the range
//!   from its first to its last address (`1–15 (odd)`). House numbers without
//!   a number (`Hof`) are listed one by one.
//!
//! Ranges reach from the first to the last address with pupils: a number
//! between two runs of different schools, or beyond the last, is in no range
//! (the office adds it where the council decides). An address split between
//! schools (possible with `assign = "pupils"`) appears under each: read back
//! as a plan, its pupils are in two districts. `assign = "homes"` never
//! splits one.

use crate::model::{HouseNumber, Instance, Side, StreetRange, UnitId, UnitRule, street_key};
use std::collections::BTreeMap;

/// A by-law entry with the pupils of the result it holds.
#[derive(Debug, Clone, PartialEq)]
pub struct Counted<T> {
    /// The entry.
    pub entry: T,
    /// Pupils of the result in it.
    pub pupils: u32,
}

/// The by-law of a result.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Bylaw {
    /// Street sections per school, by school index then natural order.
    pub units: Vec<Counted<UnitRule>>,
    /// Streets and ranges per school, by school index, street, side, range.
    pub streets: Vec<Counted<StreetRange>>,
    /// Placed pupils with neither a `unit_id` (unit assignment) nor an address.
    pub unlisted: u32,
}

/// The by-law of the assignment `school_of` (`None`: a pupil without a
/// school, left out): street sections with `assign = "units"`, addresses
/// otherwise.
pub fn bylaw_of(instance: &Instance, school_of: &[Option<usize>]) -> Bylaw {
    let by_units = instance.rules.assign == crate::model::AssignMode::Units;
    let mut units: BTreeMap<(usize, &UnitId), u32> = BTreeMap::new();
    let mut streets: BTreeMap<String, (&str, BTreeMap<(HouseNumber, usize), u32>)> = BTreeMap::new();
    let mut unlisted = 0;
    for (pupil, school) in instance.pupils.iter().zip(school_of) {
        let Some(s) = *school else { continue };
        match (&pupil.unit, &pupil.address) {
            (Some(unit), _) if by_units => *units.entry((s, unit)).or_default() += 1,
            (_, Some(address)) if !by_units => {
                let street = streets
                    .entry(street_key(&address.street))
                    .or_insert((&address.street, BTreeMap::new()));
                *street.1.entry((HouseNumber::parse(&address.house_number), s)).or_default() += 1;
            }
            _ => unlisted += 1,
        }
    }
    let mut bylaw = Bylaw {
        units: units
            .into_iter()
            .map(|((school, unit), pupils)| Counted {
                entry: UnitRule {
                    school,
                    unit: unit.clone(),
                },
                pupils,
            })
            .collect(),
        streets: streets
            .into_values()
            .flat_map(|(name, numbers)| street_ranges(name, &numbers))
            .collect(),
        unlisted,
    };
    sort_bylaw(instance, &mut bylaw);
    bylaw
}

/// The ranges of one street (see the module doc).
fn street_ranges(street: &str, numbers: &BTreeMap<(HouseNumber, usize), u32>) -> Vec<Counted<StreetRange>> {
    let schools: std::collections::BTreeSet<usize> = numbers.keys().map(|(_, s)| *s).collect();
    if schools.len() == 1 {
        return vec![Counted {
            entry: StreetRange {
                school: *schools.first().expect("one school"),
                street: street.to_string(),
                side: Side::Both,
                range: None,
            },
            pupils: numbers.values().sum(),
        }];
    }
    let mut ranges = Vec::new();
    for side in [Some(Side::Odd), Some(Side::Even), None] {
        let on_side: Vec<(&HouseNumber, usize, u32)> = numbers
            .iter()
            .filter(|((number, _), _)| number.side() == side)
            .map(|((number, s), n)| (number, *s, *n))
            .collect();
        ranges.extend(runs(street, side, &on_side));
    }
    ranges
}

/// Runs of one school along one side, as ranges; numbers without a side one by one.
fn runs(street: &str, side: Option<Side>, numbers: &[(&HouseNumber, usize, u32)]) -> Vec<Counted<StreetRange>> {
    let mut ranges: Vec<Counted<StreetRange>> = Vec::new();
    for &(number, school, pupils) in numbers {
        let extends = side.is_some()
            && ranges
                .last()
                .is_some_and(|last| last.entry.school == school && last.entry.range.as_ref().is_some_and(|r| r.1 <= *number));
        match ranges.last_mut() {
            Some(last) if extends => {
                last.entry.range.as_mut().expect("a range").1 = number.clone();
                last.pupils += pupils;
            }
            _ => ranges.push(Counted {
                entry: StreetRange {
                    school,
                    street: street.to_string(),
                    side: side.unwrap_or(Side::Both),
                    range: Some((number.clone(), number.clone())),
                },
                pupils,
            }),
        }
    }
    ranges
}

/// Orders the entries by school id, street and unit in natural order, side, first number.
fn sort_bylaw(instance: &Instance, bylaw: &mut Bylaw) {
    let id = |s: usize| instance.schools[s].id.as_str();
    bylaw.units.sort_by(|a, b| {
        natural_cmp(id(a.entry.school), id(b.entry.school)).then_with(|| natural_cmp(a.entry.unit.as_str(), b.entry.unit.as_str()))
    });
    bylaw.streets.sort_by(|a, b| {
        let (a, b) = (&a.entry, &b.entry);
        natural_cmp(id(a.school), id(b.school))
            .then_with(|| natural_cmp(&street_key(&a.street), &street_key(&b.street)))
            .then_with(|| a.side.cmp(&b.side))
            .then_with(|| a.range.as_ref().map(|r| &r.0).cmp(&b.range.as_ref().map(|r| &r.0)))
    });
}

/// Natural order: runs of digits compare by value, everything else by
/// character; ties by the plain byte order.
pub fn natural_cmp(a: &str, b: &str) -> std::cmp::Ordering {
    use std::cmp::Ordering;
    let (mut x, mut y) = (a.chars().peekable(), b.chars().peekable());
    loop {
        match (x.peek().copied(), y.peek().copied()) {
            (None, None) => return a.cmp(b),
            (None, Some(_)) => return Ordering::Less,
            (Some(_), None) => return Ordering::Greater,
            (Some(c), Some(d)) if c.is_ascii_digit() && d.is_ascii_digit() => {
                let (m, n) = (digit_run(&mut x), digit_run(&mut y));
                let (m, n) = (m.trim_start_matches('0'), n.trim_start_matches('0'));
                let order = m.len().cmp(&n.len()).then_with(|| m.cmp(n));
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

fn digit_run(chars: &mut std::iter::Peekable<std::str::Chars>) -> String {
    let mut digits = String::new();
    while let Some(c) = chars.peek().copied().filter(char::is_ascii_digit) {
        digits.push(c);
        chars.next();
    }
    digits
}
