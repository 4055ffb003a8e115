//! Errors of the solve layer: only what is not a result. An infeasible
//! instance is a result ([`super::SolveStatus::Infeasible`]), not an error.
//!
//! [`SolveError::is_user_error`] tells the user's problems (a setting HiGHS
//! cannot take, nothing to assign) from
//! failures of the solver itself.

/// The solver could not be run to any conclusion.
#[derive(Debug, thiserror::Error)]
pub enum SolveError {
    /// HiGHS rejected the model or failed while solving it.
    #[error("HiGHS failed: {0}")]
    Highs(String),
    /// A solver setting of the scenario (or of the command line) that HiGHS cannot take.
    #[error("[solver] {setting} = {value}: HiGHS cannot take this value ({reason}); change it in the scenario or on the command line")]
    Setting {
        /// The scenario key (`threads`, `mip_gap`, `time_limit_s`).
        setting: &'static str,
        /// The value as given.
        value: String,
        /// What HiGHS accepts.
        reason: String,
    },
    /// The instance has no pupils or no schools.
    #[error("nothing to assign: {0}")]
    Empty(String),
}

impl SolveError {
    /// `Empty` when the instance has no pupils or no schools.
    pub fn ensure_not_empty(instance: &crate::model::Instance) -> Result<(), SolveError> {
        if instance.pupils.is_empty() || instance.schools.is_empty() {
            return Err(SolveError::Empty(format!(
                "{} pupils, {} schools",
                instance.pupils.len(),
                instance.schools.len()
            )));
        }
        Ok(())
    }

    /// True when the user can fix it (exit code 2): a setting or an empty
    /// instance. False for a failure of HiGHS itself (exit 3).
    pub fn is_user_error(&self) -> bool {
        !matches!(self, SolveError::Highs(_))
    }
}
