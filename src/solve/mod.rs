//! Building and solving the integer program.
//!
//! Pipeline: pupils are merged into [`groups`] (identical pupils, or whole
//! units), each group gets candidate schools from an R-tree
//! ([`candidates`]), the [`formulation`] turns groups, arcs and schools into
//! a HiGHS model, and [`certified`] widens the candidate sets until LP duality
//! proves that no pruned arc could improve or repair the result. An integral
//! LP optimum ends the solve at once; otherwise the integer program starts
//! from a solution ([`warm_start`]) and, with the intake basis, [`probing`]
//! decides the schools' regimes by LP bounds. [`decompose`] splits towns far
//! apart into parts solved in parallel. The [`outcome`] carries the
//! assignment and the solver's evidence.

pub mod candidates;
pub mod certified;
pub mod contiguity;
pub mod contiguity_cuts;
mod deadline;
pub mod decompose;
pub mod elastic;
mod error;
pub mod export;
pub mod formulation;
pub mod groups;
pub mod highs_run;
pub mod lagrange;
pub mod network_simplex;
pub mod outcome;
pub mod plain;
pub mod pricing;
pub mod probing;
pub mod progress;
pub mod share_rounding;
pub mod transport;
pub mod warm_start;
mod year_siblings;
pub mod years;

pub use deadline::Deadline;
pub use error::SolveError;
pub use export::{ExportedModel, export_model};
pub use highs_run::highs_version;
pub use outcome::{Assignment, ModelStats, SolveOutcome, SolveStatus};
pub use progress::{Observer, Progress};

/// Solves the instance with the formulation its settings name: the
/// certified, decomposed solve ([`decompose::solve`]) or the plain reference
/// model ([`plain::solve_plain`]); with contiguous districts, the cut loop of
/// [`contiguity`] over every arc.
pub fn solve(instance: &crate::model::Instance) -> Result<SolveOutcome, SolveError> {
    solve_until(instance, Deadline::after(instance.solver.time_limit_s))
}

/// [`solve`] that ends by `deadline` (the scenario's `time_limit_s`, counted
/// from when the caller started the clock).
pub fn solve_until(instance: &crate::model::Instance, deadline: Deadline) -> Result<SolveOutcome, SolveError> {
    if instance.rules.contiguous {
        // Both formulations: the contiguous model is solved over every arc.
        return contiguity::solve(instance, deadline);
    }
    match instance.solver.formulation {
        crate::model::Formulation::Certified => decompose::solve(instance, deadline),
        crate::model::Formulation::Plain => plain::solve_plain_until(instance, deadline),
    }
}
