//! Reader for a by-law as a district plan (`districts = "bylaw.csv"`): the
//! file `solve --districts` writes, or one an office keeps. Columns
//! `school_id`, and per row either `unit_id` (a street section) or `street`
//! with `side` (`odd`, `even`, `both`; empty = both) and `from`, `to` (house
//! numbers; both empty = the whole street). Other columns (`school_name`,
//! `pupils`, `house_numbers`) are for people and are not read.

use super::table::Table;
use super::{InputDialect, InputError};
use crate::geometry::DistrictPlan;
use crate::model::{HouseNumber, School, Side, StreetRange, UnitId, UnitRule};
use std::collections::HashMap;
use std::path::Path;

/// Parses the bytes of the by-law `path` into a plan of street ranges and street sections.
pub fn parse_bylaw_plan(bytes: &[u8], path: &Path, dialect: &InputDialect, schools: &[School]) -> Result<DistrictPlan, InputError> {
    let table = Table::parse(bytes, path, dialect, "by-law entry")?;
    let c_school = table.require("school_id")?;
    let columns = ["unit_id", "street", "side", "from", "to"].map(|c| table.optional(c));
    if columns[0].is_none() && columns[1].is_none() {
        table.require("street")?;
    }
    let index: HashMap<&str, usize> = schools.iter().enumerate().map(|(i, s)| (s.id.as_str(), i)).collect();
    let mut plan = DistrictPlan::default();
    for (line, row) in &table.rows {
        let line = *line;
        let id = table.id(line, row, c_school)?;
        let &school = index.get(id).ok_or_else(|| InputError::UnknownSchool {
            path: table.path.clone(),
            line,
            column: "school_id",
            id: id.to_string(),
        })?;
        let cell = |i: usize| columns[i].map(|c| table.text(row, c).trim()).unwrap_or("");
        match (cell(0), cell(1)) {
            ("", "") => {
                let col = columns[1].or(columns[0]).expect("checked above");
                return Err(table.bad(
                    line,
                    col,
                    "",
                    "a street (or a unit_id): every row names the part of the district it gives to the school",
                ));
            }
            (unit, "") => plan.units.push(UnitRule {
                school,
                unit: UnitId(unit.to_string()),
            }),
            (_, street) => plan
                .streets
                .push(street_range(&table, line, school, street, [cell(2), cell(3), cell(4)], &columns)?),
        }
    }
    Ok(plan)
}

/// One street row: the side and the range (both ends or neither).
fn street_range(
    table: &Table,
    line: u64,
    school: usize,
    street: &str,
    [side, from, to]: [&str; 3],
    columns: &[Option<usize>; 5],
) -> Result<StreetRange, InputError> {
    let side = Side::parse(side).ok_or_else(|| {
        table.bad(
            line,
            columns[2].expect("a side was read"),
            side,
            "`odd`, `even` or `both` (empty = both)",
        )
    })?;
    let range = match (from, to) {
        ("", "") => None,
        ("", _) | (_, "") => {
            let col = if from.is_empty() { columns[3] } else { columns[4] };
            let col = col.or(columns[1]).expect("a street column");
            return Err(table.bad(
                line,
                col,
                "",
                "both `from` and `to` (house numbers), or neither for the whole street",
            ));
        }
        (from, to) => Some((HouseNumber::parse(from), HouseNumber::parse(to))),
    };
    if range.is_none() && side != Side::Both {
        let col = columns[2].expect("a side was read");
        return Err(table.bad(line, col, side.as_str(), "`both` for a whole street, or give `from` and `to`"));
    }
    Ok(StreetRange {
        school,
        street: street.to_string(),
        side,
        range,
    })
}
