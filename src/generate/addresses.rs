//! Street addresses for the generated homes, derived from where a home lies
//! (no random numbers: adding them changed no coordinate of any city).
//!
//! Each quarter's homes lie in rows of street-section cells
//! ([`super::city`]'s `UNIT_CELL_M`): one street per quarter and row, named
//! from a list of German street names in order of first use; the house
//! number runs west to east, one number per [`HOUSE_FRONTAGE_M`], odd in the
//! northern half of the row and even in the southern half. Homes that fall
//! on one frontage share an address (a block of flats).

/// Metres of street frontage per house number on each side.
pub const HOUSE_FRONTAGE_M: f64 = 25.0;

const STEMS: [&str; 48] = [
    "Linden",
    "Ahorn",
    "Birken",
    "Eichen",
    "Buchen",
    "Erlen",
    "Eschen",
    "Kastanien",
    "Ulmen",
    "Weiden",
    "Tannen",
    "Fichten",
    "Goethe",
    "Schiller",
    "Lessing",
    "Herder",
    "Kant",
    "Hegel",
    "Fontane",
    "Heine",
    "Brecht",
    "Mozart",
    "Bach",
    "Händel",
    "Telemann",
    "Otto",
    "Garten",
    "Wiesen",
    "Feld",
    "Mühlen",
    "Brunnen",
    "Kirch",
    "Schul",
    "Berg",
    "Tal",
    "Rosen",
    "Tulpen",
    "Nelken",
    "Flieder",
    "Holunder",
    "Sonnen",
    "Mond",
    "Stern",
    "Elb",
    "Hafen",
    "Markt",
    "Burg",
    "Wald",
];
const SUFFIXES: [&str; 5] = ["straße", "weg", "ring", "allee", "gasse"];
const PREFIXES: [&str; 7] = ["", "Alte ", "Neue ", "Obere ", "Untere ", "Kleine ", "Große "];

/// Names the street of each `(quarter, row)` in the order given (first
/// occurrence decides), each name different.
#[derive(Debug, Default)]
pub struct StreetNames {
    named: std::collections::BTreeMap<(usize, i64), String>,
}

impl StreetNames {
    /// The name of the street of row `row` in quarter `quarter`.
    pub fn name(&mut self, quarter: usize, row: i64) -> String {
        let next = self.named.len();
        self.named.entry((quarter, row)).or_insert_with(|| street_name(next)).clone()
    }
}

/// The `k`-th street name: every stem with every suffix, then the same with
/// each prefix (`Alte Lindenstraße`), then with a quarter-style suffix in
/// parentheses (`Lindenstraße (8)`).
fn street_name(k: usize) -> String {
    let per_round = STEMS.len() * SUFFIXES.len();
    let (round, k) = (k / per_round, k % per_round);
    let name = format!("{}{}", STEMS[k % STEMS.len()], SUFFIXES[k / STEMS.len()]);
    match PREFIXES.get(round) {
        Some(prefix) => format!("{prefix}{name}"),
        None => format!("{name} ({})", round + 1),
    }
}

/// The plot of a home `dx` metres east of its quarter's centre: its
/// frontage counted from the centre (negative to the west).
pub fn plot(dx: f64) -> i64 {
    (dx / HOUSE_FRONTAGE_M).floor() as i64
}

/// The house number of plot `plot` on a street whose westernmost plot is
/// `first_plot`, at `fraction` (0..1) of its row from the south: odd in the
/// northern half.
pub fn house_number(plot: i64, first_plot: i64, fraction: f64) -> u32 {
    let n = (plot - first_plot).max(0) as u32;
    if fraction >= 0.5 { 2 * n + 1 } else { 2 * n + 2 }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn streets_are_named_once_and_differently() {
        let mut names = StreetNames::default();
        let a = names.name(0, 100);
        let b = names.name(1, 100);
        assert_eq!(a, "Lindenstraße");
        assert_eq!(b, "Ahornstraße");
        assert_eq!(names.name(0, 100), a);
        assert_eq!(street_name(48), "Lindenweg");
        assert_eq!(street_name(240), "Alte Lindenstraße");
        assert_eq!(street_name(240 * 7), "Lindenstraße (8)");
    }

    #[test]
    fn numbers_run_east_from_the_first_plot_odd_to_the_north() {
        let first = plot(-130.0);
        assert_eq!(first, -6);
        assert_eq!(house_number(first, first, 0.7), 1);
        assert_eq!(house_number(first, first, 0.2), 2);
        assert_eq!(house_number(plot(-110.0), first, 0.7), 3);
        assert!(house_number(plot(100.0), first, 0.9) > house_number(plot(50.0), first, 0.9));
    }
}
