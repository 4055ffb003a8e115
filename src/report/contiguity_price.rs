//! The price of contiguity: the total way of a contiguous optimum against
//! the optimum of the same scenario without the contiguity rule.

use serde::Serialize;

/// What contiguous districts cost, as `summary.json` writes it (`contiguity`).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ContiguityPrice {
    /// Total way of the contiguous assignment, metres.
    pub total_way_m: f64,
    /// Total way of the optimum without the contiguity rule, metres.
    pub unconstrained_total_way_m: f64,
    /// The difference, metres.
    pub price_m: f64,
    /// The difference as a percentage of the unconstrained total way.
    pub price_pct: f64,
}

impl ContiguityPrice {
    /// The price of a contiguous result of `total_way_m` against an
    /// unconstrained optimum of `unconstrained_m` (both in metres; each
    /// rounded to the millimetre, as every way in the outputs).
    pub fn new(total_way_m: f64, unconstrained_m: f64) -> Self {
        let mm = |m: f64| (m * 1000.0).round() / 1000.0;
        let (total, free) = (mm(total_way_m), mm(unconstrained_m));
        let price = mm(total - free);
        ContiguityPrice {
            total_way_m: total,
            unconstrained_total_way_m: free,
            price_m: price,
            price_pct: if free > 0.0 { price / free * 100.0 } else { 0.0 },
        }
    }

    /// The line `solve` prints.
    pub fn line(&self) -> String {
        format!(
            "contiguity {:.1} km against {:.1} km without the rule: +{:.1} km (+{:.3} %)\n",
            self.total_way_m / 1000.0,
            self.unconstrained_total_way_m / 1000.0,
            self.price_m / 1000.0,
            self.price_pct
        )
    }
}

#[cfg(test)]
mod tests {
    use super::ContiguityPrice;

    #[test]
    fn the_price_is_the_difference_and_its_share() {
        let price = ContiguityPrice::new(1_010_000.0, 1_000_000.0);
        assert_eq!(price.price_m, 10_000.0);
        assert!((price.price_pct - 1.0).abs() < 1e-12);
        assert_eq!(
            price.line(),
            "contiguity 1010.0 km against 1000.0 km without the rule: +10.0 km (+1.000 %)\n"
        );
    }
}
