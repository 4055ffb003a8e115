//! Figures and texts derived from an assignment: the per-school table, the
//! way-to-school statistics, the run summary and the explanation of an
//! infeasible instance.

mod audit_report;
mod comparison;
mod distances;
mod plan_findings;
mod result_status;
mod school_rows;
mod shortfall;
mod summary;

pub use audit_report::{ReportOptions, audit_json, audit_markdown};
pub use comparison::{
    ComparisonCsvLine, ComparisonRow, SchoolDifference, comparison_csv_lines, comparison_markdown, comparison_text, differences_text,
    school_differences,
};
pub use distances::DistanceStats;
pub use plan_findings::{BORDER_RULE, BorderPupil, OverlapPupil, PlanFindings};
pub use result_status::ResultStatus;
pub use school_rows::{SchoolRow, school_rows};
pub use shortfall::{Shortfall, explain_shortfall};
pub use summary::{Provenance, Summary, human_summary};
