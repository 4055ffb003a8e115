//! One assignment problem: schools, pupils, rules and solver settings.

use super::{Pupil, Rules, School, SolverSettings, Ways};
use std::path::PathBuf;

/// An input file and the SHA-256 of its bytes, for provenance.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct SourceFile {
    /// The path as given (resolved against the scenario file).
    pub path: PathBuf,
    /// Hex SHA-256 of the file's content.
    pub sha256: String,
}

/// A validated problem instance: every id unique, every reference resolved,
/// every number in range.
#[derive(Debug, Clone)]
pub struct Instance {
    /// Scenario name.
    pub name: String,
    /// Schools in file order.
    pub schools: Vec<School>,
    /// Pupils in file order.
    pub pupils: Vec<Pupil>,
    /// The rules in force.
    pub rules: Rules,
    /// Solver settings.
    pub solver: SolverSettings,
    /// The files the instance was read from.
    pub sources: Vec<SourceFile>,
    /// The distance metric and its numbers (default: great-circle).
    pub ways: Ways,
}

impl Instance {
    /// Index of the school with this id, if any.
    pub fn school_index(&self, id: &str) -> Option<usize> {
        self.schools.iter().position(|s| s.id.as_str() == id)
    }

    /// The way of pupil `p` to school `s` in metres under the metric in
    /// force; `None` when the metric allows no such arc (a matrix that does
    /// not list it).
    pub fn way_m(&self, p: usize, s: usize) -> Option<f64> {
        let (pupil, school) = (&self.pupils[p], &self.schools[s]);
        match (&self.ways.table, &self.ways.lazy) {
            (Some(table), _) => table.get(&pupil.id, &school.id),
            (None, Some(lazy)) => lazy.way_m(&pupil.location, &school.location),
            (None, None) => Some(pupil.location.distance_m(&school.location)),
        }
    }

    /// The great-circle way of pupil `p` to school `s` in metres: a lower
    /// bound of every walking way (and of a matrix of real ways).
    pub fn straight_m(&self, p: usize, s: usize) -> f64 {
        self.pupils[p].location.distance_m(&self.schools[s].location)
    }

    /// The ways of pupil `p` to every school as bits (empty under the
    /// great-circle and the walking metric, whose ways depend on the two
    /// locations alone): pupils with equal homes and equal rows may share
    /// one variable.
    pub fn way_row_bits(&self, p: usize) -> Vec<u64> {
        match &self.ways.table {
            None => Vec::new(),
            Some(_) => (0..self.schools.len())
                .map(|s| self.way_m(p, s).unwrap_or(f64::NAN).to_bits())
                .collect(),
        }
    }

    /// Number of pupils with migration background.
    pub fn migrant_count(&self) -> usize {
        self.pupils.iter().filter(|p| p.migrant).count()
    }

    /// The city's migration share: pupils with migration background over
    /// all pupils (0 without pupils).
    pub fn city_share(&self) -> f64 {
        if self.pupils.is_empty() {
            0.0
        } else {
            self.migrant_count() as f64 / self.pupils.len() as f64
        }
    }

    /// Whether the cap on growth against the baseline (`max_extra_way_m`,
    /// `max_extra_way_pct`) forbids pupil `p` a way of `way_m` metres. Pupils
    /// without a baseline school (new pupils), or without a way to it, are
    /// not capped.
    pub fn beyond_extra_way(&self, p: usize, way_m: f64) -> bool {
        if !self.rules.has_extra_way_cap() {
            return false;
        }
        let Some(base) = self.pupils[p].baseline_school.and_then(|b| self.way_m(p, b)) else {
            return false;
        };
        self.rules.beyond_extra_way(way_m, base)
    }

    /// Per school, this year's pupils whose baseline school it is: the
    /// intake `max_school_change` counts changes against.
    pub fn baseline_intakes(&self) -> Vec<u32> {
        let mut intakes = vec![0u32; self.schools.len()];
        for b in self.pupils.iter().filter_map(|p| p.baseline_school) {
            intakes[b] += 1;
        }
        intakes
    }

    /// The bounds of the balance rules on each school's intake share.
    pub fn share_bounds(&self) -> super::ShareBounds {
        self.rules.share_bounds(self.city_share())
    }
}

/// Hex SHA-256 of a byte string: how every input and output file is fingerprinted.
pub fn sha256_hex(bytes: &[u8]) -> String {
    use sha2::{Digest, Sha256};
    Sha256::digest(bytes).iter().map(|b| format!("{b:02x}")).collect()
}
