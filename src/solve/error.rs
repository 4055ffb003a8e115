//! Errors of the solve layer: only what is not a result. An infeasible
//! instance is a result ([`super::SolveStatus::Infeasible`]), not an error.

/// The solver could not be run to any conclusion.
#[derive(Debug, thiserror::Error)]
pub enum SolveError {
    /// HiGHS rejected the model or failed while solving it.
    #[error("HiGHS failed: {0}")]
    Highs(String),
    /// The model could not be written to a file.
    #[error("{0}")]
    Export(String),
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
}
