//! A district by-law as a council writes it: per school, whole streets and
//! house-number ranges by side of the street (`Abendstraße 1–15 (odd)`), and
//! street sections (`unit_id`) where a plan is drawn by unit.

use super::{Address, UnitId, street_key};
use std::cmp::Ordering;
use std::fmt;

/// A house number in natural order: `2` < `11` < `11a` < `11b` < `12`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct HouseNumber {
    /// The leading number (`11` of `11a`); `None` when the house number does not start with digits.
    pub number: Option<u32>,
    /// What follows the number, lower-cased without spaces (`a` of `11 A`).
    pub suffix: String,
}

impl HouseNumber {
    /// Reads a house number as written (`11`, `11a`, `11 A`).
    pub fn parse(written: &str) -> Self {
        let compact: String = written
            .chars()
            .filter(|c| !c.is_whitespace())
            .flat_map(char::to_lowercase)
            .collect();
        let digits: String = compact.chars().take_while(char::is_ascii_digit).collect();
        let number = digits.parse().ok();
        let suffix = if number.is_some() {
            compact[digits.len()..].to_string()
        } else {
            compact
        };
        HouseNumber { number, suffix }
    }

    /// The side of the street: odd or even numbers (`None` without a number).
    pub fn side(&self) -> Option<Side> {
        self.number.map(|n| if n % 2 == 1 { Side::Odd } else { Side::Even })
    }
}

impl Ord for HouseNumber {
    fn cmp(&self, other: &Self) -> Ordering {
        let rank = |h: &HouseNumber| (h.number.is_none(), h.number.unwrap_or(0));
        rank(self).cmp(&rank(other)).then_with(|| self.suffix.cmp(&other.suffix))
    }
}

impl PartialOrd for HouseNumber {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl fmt::Display for HouseNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.number {
            Some(n) => write!(f, "{n}{}", self.suffix),
            None => f.write_str(&self.suffix),
        }
    }
}

/// Which house numbers of a street a range holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Side {
    /// Odd numbers.
    Odd,
    /// Even numbers.
    Even,
    /// Both sides.
    Both,
}

impl Side {
    /// The word in `bylaw.csv`: `odd`, `even`, `both`.
    pub fn as_str(self) -> &'static str {
        match self {
            Side::Odd => "odd",
            Side::Even => "even",
            Side::Both => "both",
        }
    }

    /// Reads the word of [`Side::as_str`].
    pub fn parse(word: &str) -> Option<Self> {
        match word.trim().to_lowercase().as_str() {
            "odd" => Some(Side::Odd),
            "even" => Some(Side::Even),
            "both" | "" => Some(Side::Both),
            _ => None,
        }
    }
}

/// Part of a school's district by address: a whole street (`range` is
/// `None`), or the house numbers from `range.0` to `range.1` (natural order,
/// both included) on one side or both.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StreetRange {
    /// Index of the school in the instance.
    pub school: usize,
    /// The street as written.
    pub street: String,
    /// Odd, even or both sides.
    pub side: Side,
    /// First and last house number; `None`: the whole street.
    pub range: Option<(HouseNumber, HouseNumber)>,
}

impl StreetRange {
    /// Whether the address lies in this part: same street (normalised, see
    /// [`Address::key`]), on the side, within the range.
    pub fn covers(&self, address: &Address) -> bool {
        if street_key(&self.street) != street_key(&address.street) {
            return false;
        }
        let number = HouseNumber::parse(&address.house_number);
        let on_side = self.side == Side::Both || number.side() == Some(self.side);
        match &self.range {
            None => true,
            Some((from, to)) => on_side && *from <= number && number <= *to,
        }
    }

    /// The range as a by-law writes it: `1–15 (odd)`, `6 (even)`, `2–9`, `whole street`.
    pub fn house_numbers(&self) -> String {
        let Some((from, to)) = &self.range else {
            return "whole street".to_string();
        };
        let numbers = if from == to { from.to_string() } else { format!("{from}–{to}") };
        match self.side {
            Side::Both => numbers,
            side => format!("{numbers} ({})", side.as_str()),
        }
    }
}

/// Part of a school's district by street section: every pupil with this `unit_id`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnitRule {
    /// Index of the school in the instance.
    pub school: usize,
    /// The street section.
    pub unit: UnitId,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn address(street: &str, number: &str) -> Address {
        Address {
            street: street.into(),
            house_number: number.into(),
        }
    }

    #[test]
    fn house_numbers_sort_naturally() {
        let mut numbers: Vec<HouseNumber> = ["12", "11b", "2", "11", "11 A", "Hof"]
            .iter()
            .map(|h| HouseNumber::parse(h))
            .collect();
        numbers.sort();
        let written: Vec<String> = numbers.iter().map(|h| h.to_string()).collect();
        assert_eq!(written, ["2", "11", "11a", "11b", "12", "hof"]);
    }

    #[test]
    fn a_range_covers_its_side_between_its_ends() {
        let odd = StreetRange {
            school: 0,
            street: "Abendstraße".into(),
            side: Side::Odd,
            range: Some((HouseNumber::parse("1"), HouseNumber::parse("15"))),
        };
        assert!(odd.covers(&address("Abendstr.", "15")));
        assert!(odd.covers(&address("Abendstraße", "11a")));
        assert!(!odd.covers(&address("Abendstraße", "15a")));
        assert!(!odd.covers(&address("Abendstraße", "2")));
        assert!(!odd.covers(&address("Morgenstraße", "3")));
        assert_eq!(odd.house_numbers(), "1–15 (odd)");
        let whole = StreetRange {
            range: None,
            side: Side::Both,
            ..odd
        };
        assert!(whole.covers(&address("abendstrasse", "200")));
        assert_eq!(whole.house_numbers(), "whole street");
    }
}
