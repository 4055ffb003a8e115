//! Small-number protection for published files (`--publish`).
//!
//! A published figure never concerns fewer than `below` pupils: a count from
//! 1 to `below - 1` is withheld (shown as `<5`, `null` in JSON), and so is
//! every figure from which such a count could be worked back — a share whose
//! numerator or whose complement is withheld, a school's pupils when its
//! seats and "N over" would give a withheld excess away, and one more cell
//! of a column when exactly one is withheld, so that the column's total does
//! not give the withheld one away by subtraction. Zero is shown: it concerns
//! nobody.

/// The masking threshold: counts below it (and above zero) are withheld.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Mask {
    /// Counts from 1 to `below - 1` are withheld (default 5).
    pub below: u32,
}

/// The default masking threshold of `--mask-below`.
pub const DEFAULT_MASK_BELOW: u32 = 5;

impl Default for Mask {
    fn default() -> Self {
        Self { below: DEFAULT_MASK_BELOW }
    }
}

impl Mask {
    /// Whether a count of `n` pupils must be withheld (1 to `below - 1`).
    pub fn hides(&self, n: u64) -> bool {
        n > 0 && n < u64::from(self.below)
    }

    /// Whether a signed change of `n` pupils must be withheld.
    pub fn hides_change(&self, n: i64) -> bool {
        self.hides(n.unsigned_abs())
    }

    /// The count as published: the number, or `<below` when withheld.
    pub fn text(&self, n: u64) -> String {
        if self.hides(n) { self.small() } else { n.to_string() }
    }

    /// The text of a small withheld count: `<5`.
    pub fn small(&self) -> String {
        format!("<{}", self.below)
    }

    /// The count, or `None` when withheld.
    pub fn value(&self, n: u64) -> Option<u64> {
        (!self.hides(n)).then_some(n)
    }
}

/// How one cell is published.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cell {
    /// Shown as it is.
    Shown,
    /// Withheld because it is a small count itself (`<5`).
    Small,
    /// Withheld because it would let a withheld count be worked back (`masked`).
    Derived,
}

impl Cell {
    /// Whether the cell is withheld.
    pub fn withheld(self) -> bool {
        self != Cell::Shown
    }

    /// The cell's text: the value, `<5` or `masked`.
    pub fn text(self, shown: impl FnOnce() -> String, mask: &Mask) -> String {
        match self {
            Cell::Shown => shown(),
            Cell::Small => mask.small(),
            Cell::Derived => "masked".into(),
        }
    }
}

/// A column of counts as published: cells that are small counts, cells that
/// `also` asks to withhold (they would give a small count away), and, when
/// exactly one cell is then withheld, the smallest other non-zero cell, so
/// that the column's total does not give the withheld one away.
pub fn column(values: &[u64], also: &[bool], mask: &Mask) -> Vec<Cell> {
    let mut cells: Vec<Cell> = values
        .iter()
        .zip(also.iter().chain(std::iter::repeat(&false)))
        .map(|(&v, &also)| match (mask.hides(v), also) {
            (true, _) => Cell::Small,
            (false, true) => Cell::Derived,
            (false, false) => Cell::Shown,
        })
        .collect();
    if cells.iter().filter(|c| c.withheld()).count() == 1 {
        let partner = (0..values.len())
            .filter(|&i| !cells[i].withheld() && values[i] > 0)
            .min_by_key(|&i| (values[i], i));
        if let Some(i) = partner {
            cells[i] = Cell::Derived;
        }
    }
    cells
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn small_counts_are_withheld_zero_and_the_threshold_are_shown() {
        let mask = Mask::default();
        assert_eq!(
            [0, 1, 4, 5, 68].map(|n| mask.text(n)),
            ["0", "<5", "<5", "5", "68"].map(String::from)
        );
        assert!(mask.hides_change(-3) && !mask.hides_change(-5) && !mask.hides_change(0));
    }

    #[test]
    fn one_withheld_cell_takes_the_smallest_other_with_it() {
        let mask = Mask::default();
        // 3 is small; without a partner, total - others = 3.
        assert_eq!(
            column(&[40, 3, 12, 0, 30], &[], &mask),
            vec![Cell::Shown, Cell::Small, Cell::Derived, Cell::Shown, Cell::Shown]
        );
        // Two withheld already: nothing more.
        assert_eq!(
            column(&[40, 3, 12, 30], &[false, false, false, true], &mask),
            vec![Cell::Shown, Cell::Small, Cell::Shown, Cell::Derived]
        );
        // Nothing withheld: nothing more.
        assert_eq!(column(&[40, 0, 12], &[], &mask), vec![Cell::Shown; 3]);
    }
}
