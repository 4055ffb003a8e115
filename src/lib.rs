//! # catchment
//!
//! Assigns a city's school starters to its primary schools by integer
//! programming: every child to exactly one school, the total way to school as
//! short as possible, within each school's first-grade classes and the
//! reduced-capacity rule (17 instead of 22 per class above a 25% migration
//! share). The integer program is solved to proven optimality by HiGHS.
//!
//! The library owns the domain and never prints or exits; the `catchment`
//! binary is a thin command-line layer around it.
//!
//! Layers, one folder each:
//! - [`model`]: validated domain types (schools, pupils, rules, an [`model::Instance`]).
//! - [`input`]: readers for the input files (parsing and validation only).
//! - [`solve`]: the integer program, its certified candidate pruning and HiGHS.
//! - [`audit`]: the independent rule checker (no solver, no shared model code).
//! - [`report`]: figures and texts derived from an assignment.
//! - [`scenario`]: evaluating a scenario end to end (solve, check, figures).
//! - [`generate`]: synthetic cities from a fixed seed.
//! - [`output`]: writers for the outputs, atomic and as whole sets.
//! - [`geometry`]: district plans (point in polygon) and district polygons drawn from an assignment.

pub mod audit;
pub mod generate;
pub mod geometry;
pub mod input;
pub mod model;
pub mod output;
pub mod report;
pub mod scenario;
pub mod solve;
