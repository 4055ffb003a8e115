//! Figures and texts derived from what a scenario's evaluation found: the
//! per-school table, the way-to-school statistics, the run summary, the
//! explanation of an infeasible instance, the audit report and the
//! comparison of scenarios ([`evaluate`] derives them all for one scenario).

mod audit_report;
mod bylaw;
mod change_caps_text;
pub mod compare;
mod comparison;
mod contiguity_price;
mod distances;
mod district_shapes;
mod evaluation;
pub mod from_result;
pub mod html;
pub mod map_background;
mod mix_html;
mod plan_findings;
pub mod publish;
mod relaxation_text;
mod result_status;
mod school_rows;
mod segregation;
mod shortfall;
mod summary;
pub mod years;
pub mod years_audit;

pub use audit_report::{AUDIT_SCHEMA, ReportOptions, audit_json, audit_markdown};
pub use bylaw::{Bylaw, Counted, bylaw_of, natural_cmp};
pub use comparison::{
    ComparisonCsvLine, ComparisonRow, PublishedDifference, SchoolDifference, comparison_csv_lines, comparison_figures, comparison_markdown,
    comparison_text, differences_text, published_differences, published_differences_text, school_differences, withheld_differences,
};
pub use contiguity_price::ContiguityPrice;
pub use distances::{DistanceStats, WAY_PERCENTILE, WithheldWays};
pub use district_shapes::{CompactnessSummary, DistrictShape, compactness_summary, district_shapes, shapes_line};
pub use evaluation::{Evaluation, evaluate, evaluate_observed, evaluate_plan, evaluate_scenario, evaluate_scenario_observed};
pub use plan_findings::{BORDER_RULE, BorderPupil, OverlapPupil, PlanFindings};
pub use result_status::ResultStatus;
pub use school_rows::{SchoolRow, school_rows};
pub use segregation::{Segregation, segregation, segregation_line};
pub use shortfall::{Shortfall, explain_shortfall};
pub use summary::{Provenance, Summary, human_summary};
