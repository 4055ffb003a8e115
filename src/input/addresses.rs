//! Offline geocoding: pupils given by address (`street,house_number`,
//! optional `postcode`) are placed at the house coordinates of an address
//! register (`[input] addresses`, e.g. the "Hauskoordinaten" a state survey
//! office publishes: `street,house_number`, optional `postcode`, and
//! `lat,lon` or `x,y` in the scenario's `crs`).
//!
//! Addresses are compared normalised: case, `ß`/`ss`, `Straße`/`Strasse`/
//! `Str.`, spaces, hyphens and dots do not matter (`Otto-von-Guericke-Str.`
//! is `Otto von Guericke Straße`), nor do spaces in house numbers (`11 a`
//! is `11a`). Every unknown address is listed at once, each with the
//! nearest street spellings of the register.

use super::table::Table;
use super::{InputDialect, InputError};
use crate::model::Location;
use std::collections::HashMap;
use std::path::Path;

/// How many unknown addresses the message lists (the count names all).
const LISTED: usize = 30;
/// How many register spellings are suggested per unknown street.
const SUGGESTED: usize = 3;

/// The houses at one normalised (street, house number): postcode and location of each.
type Houses = Vec<(Option<String>, Location)>;

/// The house coordinates of a register, by normalised street and number.
#[derive(Debug, Clone, Default)]
pub struct AddressRegister {
    /// Normalised (street, house number) to the entries (postcode, location).
    houses: HashMap<(String, String), Houses>,
    /// Each normalised street with its spelling in the register.
    streets: HashMap<String, String>,
    /// The register file, for messages.
    name: String,
}

/// A street name for comparison: lower case, `ß` as `ss`, `straße`,
/// `strasse` and `str.` as `str`, without spaces, hyphens and dots.
pub fn normalise_street(street: &str) -> String {
    let lower = street.trim().to_lowercase().replace('ß', "ss");
    let joined: String = lower.chars().filter(|c| !matches!(c, ' ' | '-' | '.' | '\t')).collect();
    joined.replace("strasse", "str")
}

/// A house number for comparison: lower case, without spaces (`11 A` is `11a`).
pub fn normalise_number(number: &str) -> String {
    number.chars().filter(|c| !c.is_whitespace()).collect::<String>().to_lowercase()
}

/// Parses the register file `path`.
pub fn parse_address_register(bytes: &[u8], path: &Path, dialect: &InputDialect) -> Result<AddressRegister, InputError> {
    let table = Table::parse(bytes, path, dialect, "address")?;
    let c_street = table.require("street")?;
    let c_number = table.require("house_number")?;
    let c_postcode = table.optional("postcode");
    let c_location = table.location_columns(dialect)?;
    let mut register = AddressRegister {
        name: path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default(),
        ..AddressRegister::default()
    };
    for (line, row) in &table.rows {
        let street = table.id(*line, row, c_street)?;
        let number = table.id(*line, row, c_number)?;
        let postcode = c_postcode.map(|c| table.text(row, c).to_string()).filter(|p| !p.is_empty());
        let location = table.location(*line, row, &c_location)?;
        let key = normalise_street(street);
        register.streets.entry(key.clone()).or_insert_with(|| street.to_string());
        register
            .houses
            .entry((key, normalise_number(number)))
            .or_default()
            .push((postcode, location));
    }
    Ok(register)
}

/// Where a table's address columns are.
pub(crate) struct AddressColumns {
    street: usize,
    number: usize,
    postcode: Option<usize>,
}

impl AddressRegister {
    /// The address columns of a pupils table that has no coordinates.
    pub(crate) fn columns(&self, table: &Table) -> Result<AddressColumns, InputError> {
        Ok(AddressColumns {
            street: table.require("street")?,
            number: table.require("house_number")?,
            postcode: table.optional("postcode"),
        })
    }

    /// The location of a row's address; `Err` with the sentence for the list of unknown addresses.
    pub(crate) fn locate(&self, table: &Table, row: &csv::StringRecord, columns: &AddressColumns) -> Result<Location, String> {
        let street = table.text(row, columns.street);
        let number = table.text(row, columns.number);
        let postcode = columns.postcode.map(|c| table.text(row, c)).filter(|p| !p.is_empty());
        let key = (normalise_street(street), normalise_number(number));
        let written = match postcode {
            Some(p) => format!("`{street} {number}, {p}`"),
            None => format!("`{street} {number}`"),
        };
        let Some(entries) = self.houses.get(&key) else {
            return Err(self.unknown(&written, &key.0));
        };
        let fitting: Vec<&Location> = entries
            .iter()
            .filter(|(p, _)| postcode.is_none() || p.is_none() || p.as_deref() == postcode)
            .map(|(_, l)| l)
            .collect();
        match fitting.as_slice() {
            [one] => Ok(**one),
            [] => Err(format!("{written} is in {} only with another postcode", self.name)),
            _ => Err(format!(
                "{written} is in {} in several postcodes; add the column `postcode`",
                self.name
            )),
        }
    }

    /// The sentence for an address not in the register, with the nearest street spellings.
    fn unknown(&self, written: &str, street: &str) -> String {
        if let Some(spelling) = self.streets.get(street) {
            return format!("{written} is not in {}: {spelling} is, but without this house number", self.name);
        }
        let mut nearest: Vec<(usize, &String)> = self.streets.iter().map(|(k, v)| (edit_distance(k, street), v)).collect();
        nearest.sort();
        let names: Vec<&str> = nearest.iter().take(SUGGESTED).map(|(_, v)| v.as_str()).collect();
        format!("{written} is not in {}; nearest spellings there: {}", self.name, names.join(", "))
    }
}

/// Levenshtein distance between two strings, by characters.
fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut previous: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut current = vec![i + 1; b.len() + 1];
        for (j, cb) in b.iter().enumerate() {
            let substitution = previous[j] + usize::from(ca != *cb);
            current[j + 1] = substitution.min(previous[j + 1] + 1).min(current[j] + 1);
        }
        previous = current;
    }
    previous[b.len()]
}

/// The error listing every unknown address of a pupils file (by line and id).
pub(crate) fn unknown_addresses(path: &Path, unknown: &[(u64, String, String)]) -> InputError {
    let mut list: Vec<String> = unknown
        .iter()
        .take(LISTED)
        .map(|(line, id, why)| format!("  line {line}, pupil `{id}`: {why}"))
        .collect();
    if unknown.len() > LISTED {
        list.push(format!("  ... and {} more", unknown.len() - LISTED));
    }
    InputError::UnknownAddresses {
        path: path.to_path_buf(),
        count: unknown.len(),
        list: list.join("\n"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spellings_of_one_street_are_one() {
        let a = normalise_street("Otto-von-Guericke-Straße");
        assert_eq!(a, "ottovonguerickestr");
        assert_eq!(normalise_street("Otto-von-Guericke-Str."), a);
        assert_eq!(normalise_street("OTTO VON GUERICKE STRASSE"), a);
        assert_eq!(
            normalise_street("Große Diesdorfer Straße"),
            normalise_street("Grosse Diesdorfer Str.")
        );
        assert_eq!(normalise_number("11 A"), "11a");
    }

    #[test]
    fn edit_distance_counts_changes() {
        assert_eq!(edit_distance("breiterweg", "breiterwg"), 1);
        assert_eq!(edit_distance("abc", "abc"), 0);
        assert_eq!(edit_distance("", "abc"), 3);
        assert_eq!(edit_distance("kitten", "sitting"), 3);
    }
}
