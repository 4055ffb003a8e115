//! Figures and texts derived from an assignment: the per-school table, the
//! way-to-school statistics, the run summary and the explanation of an
//! infeasible instance.

mod audit_report;
mod distances;
mod school_rows;
mod shortfall;
mod summary;

pub use audit_report::{ReportOptions, audit_json, audit_markdown};
pub use distances::DistanceStats;
pub use school_rows::{SchoolRow, school_rows};
pub use shortfall::{Shortfall, explain_shortfall};
pub use summary::{Provenance, Summary, human_summary};
