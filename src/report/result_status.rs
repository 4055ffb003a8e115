//! How a result came about: the solver's status, or a district plan that was
//! evaluated as drawn (no optimisation).

use crate::solve::SolveStatus;
use serde::Serialize;

/// The `status` of `summary.json` and of the compare table.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ResultStatus {
    /// Proven optimal (gap 0).
    Optimal,
    /// Stopped at the allowed `mip_gap`: near-optimal, not proven optimal.
    GapLimit,
    /// Stopped by the time limit.
    TimeLimit,
    /// No assignment satisfies the rules.
    Infeasible,
    /// A district plan evaluated as drawn: each pupil to the school whose
    /// district holds the home; nothing was optimised.
    DistrictPlan,
}

impl ResultStatus {
    /// The word used in outputs.
    pub fn as_str(&self) -> &'static str {
        match self {
            ResultStatus::Optimal => "optimal",
            ResultStatus::GapLimit => "gap_limit",
            ResultStatus::TimeLimit => "time_limit",
            ResultStatus::Infeasible => "infeasible",
            ResultStatus::DistrictPlan => "district_plan",
        }
    }
}

impl From<SolveStatus> for ResultStatus {
    fn from(status: SolveStatus) -> Self {
        match status {
            SolveStatus::Optimal => ResultStatus::Optimal,
            SolveStatus::GapLimit => ResultStatus::GapLimit,
            SolveStatus::TimeLimit => ResultStatus::TimeLimit,
            SolveStatus::Infeasible => ResultStatus::Infeasible,
        }
    }
}

impl PartialEq<SolveStatus> for ResultStatus {
    fn eq(&self, other: &SolveStatus) -> bool {
        *self == ResultStatus::from(*other)
    }
}
