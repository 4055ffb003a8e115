//! When a solve must end: one instant fixed when the solve starts, which
//! every HiGHS run and every loop between runs reads, so that the stages of
//! a solve share one time limit instead of each taking it anew.

use std::time::{Duration, Instant};

/// The instant the time limit runs out, or none.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Deadline(Option<Instant>);

impl Deadline {
    /// `limit_s` seconds from now (`None`: no limit).
    pub fn after(limit_s: Option<f64>) -> Self {
        Self(limit_s.map(|s| Instant::now() + Duration::from_secs_f64(s.clamp(0.0, 1e9))))
    }

    /// No limit.
    pub fn none() -> Self {
        Self(None)
    }

    /// The earlier of this deadline and `limit_s` seconds from now.
    pub fn within(self, limit_s: f64) -> Self {
        let other = Self::after(Some(limit_s));
        match self.0 {
            Some(own) => Self(Some(own.min(other.0.expect("set")))),
            None => other,
        }
    }

    /// Seconds left (0 once passed), `None` without a limit.
    pub fn remaining_s(&self) -> Option<f64> {
        self.0.map(|end| end.saturating_duration_since(Instant::now()).as_secs_f64())
    }

    /// Whether the limit has run out.
    pub fn passed(&self) -> bool {
        self.0.is_some_and(|end| Instant::now() >= end)
    }
}
