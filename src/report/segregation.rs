//! How an assignment distributes pupils with migration background over the
//! schools (`summary.json`, key `segregation`). With `N` pupils, `M` of them
//! with migration background, and school `i` receiving `n_i` pupils of whom
//! `m_i` have one (Massey & Denton 1988, "The Dimensions of Residential
//! Segregation", Social Forces 67(2)):
//!
//! - **dissimilarity** `D = 1/2 sum_i | m_i / M - (n_i - m_i) / (N - M) |`:
//!   the share of either group that would have to change school for every
//!   school to have the city's mix (0 = even, 1 = fully separated);
//! - **isolation** `xPx = sum_i (m_i / M) (m_i / n_i)`: the migration share
//!   at the school of the average pupil with migration background;
//! - **exposure** `xPy = sum_i (m_i / M) ((n_i - m_i) / n_i)`: the share
//!   without, at that school (`xPx + xPy = 1`);
//! - each school's share `m_i / n_i` against the city's `M / N`: the
//!   largest deviation, and the schools above the migration threshold.
//!
//! Schools without pupils do not count. Without any pupil with (or without)
//! migration background the indices are not defined (`null`).

use super::SchoolRow;
use serde::Serialize;

/// The segregation figures of one result.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Segregation {
    /// `M / N`, 4 decimals.
    pub city_share: f64,
    /// Dissimilarity index `D`, 4 decimals.
    pub dissimilarity: Option<f64>,
    /// Isolation index `xPx`, 4 decimals.
    pub isolation: Option<f64>,
    /// Exposure index `xPy`, 4 decimals.
    pub exposure: Option<f64>,
    /// Largest `|m_i / n_i - M / N|` over schools with pupils, 4 decimals.
    pub max_share_deviation: f64,
    /// Schools whose intake share is above the migration threshold.
    pub schools_above_threshold: usize,
}

/// The figures of the per-school table `rows` (pupils and migrants per school).
pub fn segregation(rows: &[SchoolRow], threshold: f64) -> Segregation {
    let schools: Vec<(f64, f64)> = rows
        .iter()
        .filter(|r| r.assigned > 0)
        .map(|r| (r.assigned as f64, r.migrants as f64))
        .collect();
    let n: f64 = schools.iter().map(|s| s.0).sum();
    let m: f64 = schools.iter().map(|s| s.1).sum();
    let city = if n > 0.0 { m / n } else { 0.0 };
    let defined = m > 0.0 && n - m > 0.0;
    let dissimilarity = 0.5 * schools.iter().map(|&(ni, mi)| (mi / m - (ni - mi) / (n - m)).abs()).sum::<f64>();
    let isolation: f64 = schools.iter().map(|&(ni, mi)| (mi / m) * (mi / ni)).sum();
    let exposure: f64 = schools.iter().map(|&(ni, mi)| (mi / m) * ((ni - mi) / ni)).sum();
    Segregation {
        city_share: round4(city),
        dissimilarity: defined.then(|| round4(dissimilarity)),
        isolation: defined.then(|| round4(isolation)),
        exposure: defined.then(|| round4(exposure)),
        max_share_deviation: round4(schools.iter().map(|&(ni, mi)| (mi / ni - city).abs()).fold(0.0, f64::max)),
        schools_above_threshold: schools.iter().filter(|&&(ni, mi)| mi > threshold * ni).count(),
    }
}

fn round4(x: f64) -> f64 {
    (x * 1e4).round() / 1e4
}

/// The line of the human summary.
pub fn segregation_line(s: &Segregation) -> String {
    let index = |x: Option<f64>| x.map_or("-".to_string(), |x| format!("{x:.3}"));
    format!(
        "mix        city share {:.3}; dissimilarity {}, isolation {}, exposure {}; largest deviation {:.3}; {} schools above the threshold\n",
        s.city_share,
        index(s.dissimilarity),
        index(s.isolation),
        index(s.exposure),
        s.max_share_deviation,
        s.schools_above_threshold
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(assigned: u32, migrants: u32) -> SchoolRow {
        SchoolRow {
            school_id: String::new(),
            classes: 1,
            class_size: 22,
            capacity: 22,
            assigned,
            migrants,
            migration_share: String::new(),
            reduced: 0,
            deciding_share: String::new(),
            reserved_seats: 0,
            free_seats: 0,
            name: String::new(),
        }
    }

    #[test]
    fn hand_computed_indices() {
        // 30 pupils, 10 with migration background: A 10 (8), B 20 (2), C empty.
        // D = 1/2 (|8/10 - 2/20| + |2/10 - 18/20|) = 1/2 (0.7 + 0.7) = 0.7
        // xPx = 0.8 * 0.8 + 0.2 * 0.1 = 0.66; xPy = 0.8 * 0.2 + 0.2 * 0.9 = 0.34
        let s = segregation(&[row(10, 8), row(20, 2), row(0, 0)], 0.25);
        assert_eq!(s.city_share, 0.3333);
        assert_eq!(s.dissimilarity, Some(0.7));
        assert_eq!(s.isolation, Some(0.66));
        assert_eq!(s.exposure, Some(0.34));
        assert_eq!(s.max_share_deviation, 0.4667);
        assert_eq!(s.schools_above_threshold, 1);
    }

    #[test]
    fn an_even_mix_has_no_dissimilarity_and_undefined_without_migrants() {
        let even = segregation(&[row(10, 3), row(20, 6)], 0.25);
        assert_eq!(
            (even.dissimilarity, even.isolation, even.max_share_deviation),
            (Some(0.0), Some(0.3), 0.0)
        );
        let none = segregation(&[row(10, 0), row(20, 0)], 0.25);
        assert_eq!((none.dissimilarity, none.isolation, none.exposure), (None, None, None));
    }
}
