//! A postal address (street and house number), as an office writes it, and
//! the normalised key under which two spellings of one address are equal.

use std::fmt;

/// A home's address from the optional columns `street` and `house_number`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Address {
    /// Column `street`, as written.
    pub street: String,
    /// Column `house_number`, as written (`11`, `11a`, `11 A`).
    pub house_number: String,
}

impl Address {
    /// The address under which spellings of the same home agree: the street
    /// lower-cased, `ß` as `ss`, a trailing `str.` / `str` as `strasse`,
    /// whitespace, hyphens and dots dropped; the house number lower-cased
    /// without whitespace (`11 A` = `11a`).
    pub fn key(&self) -> (String, String) {
        (street_key(&self.street), house_number_key(&self.house_number))
    }
}

impl fmt::Display for Address {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.street, self.house_number)
    }
}

/// The normalised spelling of a street name (see [`Address::key`]).
pub fn street_key(street: &str) -> String {
    let lower = street.trim().to_lowercase().replace('ß', "ss");
    let expanded = if let Some(stem) = lower.strip_suffix("str.") {
        format!("{stem}strasse")
    } else if let Some(stem) = lower.strip_suffix("str") {
        format!("{stem}strasse")
    } else {
        lower
    };
    expanded.chars().filter(|c| !c.is_whitespace() && *c != '-' && *c != '.').collect()
}

/// The normalised spelling of a house number (see [`Address::key`]).
pub fn house_number_key(number: &str) -> String {
    number.chars().filter(|c| !c.is_whitespace()).flat_map(char::to_lowercase).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(street: &str, number: &str) -> (String, String) {
        Address {
            street: street.to_string(),
            house_number: number.to_string(),
        }
        .key()
    }

    #[test]
    fn spellings_of_one_address_share_a_key() {
        assert_eq!(key("Abendstraße", "11a"), key("Abendstr.", "11 A"));
        assert_eq!(key("Abendstraße", "11a"), key("abendstrasse", "11a"));
        assert_eq!(key("Alter Markt", "3"), key("Alter  Markt", "3"));
        assert_eq!(key("Otto-von-Guericke-Str.", "7"), key("Otto von Guericke Straße", "7"));
    }

    #[test]
    fn different_addresses_keep_different_keys() {
        assert_ne!(key("Abendstraße", "11"), key("Abendstraße", "11a"));
        assert_ne!(key("Abendstraße", "1"), key("Morgenstraße", "1"));
        assert_ne!(key("Abendweg", "1"), key("Abendstraße", "1"));
    }
}
