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
//! Layers, one folder each, imports running downward only (see the
//! README's "Architecture"):
//! - [`model`] (0): validated domain types (schools, pupils, rules, an [`model::Instance`]).
//! - [`input`] (1): readers for the input files (parsing and validation only).
//! - [`geometry`] (1): district plans (point in polygon) and district maps drawn from an assignment.
//! - [`solve`] (2): the integer program, its certified candidate pruning and HiGHS.
//! - [`audit`] (2): the independent rule checker (no solver, no shared model code).
//! - [`scenario`] (3): loading a scenario (its changes applied), solving and checking it.
//! - [`report`] (4): figures and texts derived from what a scenario's evaluation found; comparison.
//! - [`generate`] (4): synthetic cities from a fixed seed.
//! - [`output`] (5): writers for the outputs, atomic and as whole sets.

pub mod audit;
pub mod generate;
pub mod geometry;
pub mod input;
pub mod model;
pub mod output;
pub mod report;
pub mod scenario;
pub mod solve;
