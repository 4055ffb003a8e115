//! When a solve must end: one instant fixed when the solve starts, which
//! every HiGHS run and every loop between runs reads, so that the stages of
//! a solve share one time limit instead of each taking it anew. It also
//! carries who watches the solve (see [`super::progress`]): whatever runs
//! until the deadline is what has progress to tell.

use super::progress::{Observer, Progress};
use std::time::{Duration, Instant};

/// The instant the time limit runs out (or none), and the observer that is
/// told how the solve goes (or none).
#[derive(Clone, Copy, Default)]
pub struct Deadline {
    end: Option<Instant>,
    observer: Option<&'static Observer>,
}

impl Deadline {
    /// `limit_s` seconds from now (`None`: no limit).
    pub fn after(limit_s: Option<f64>) -> Self {
        Self {
            end: limit_s.map(|s| Instant::now() + Duration::from_secs_f64(s.clamp(0.0, 1e9))),
            observer: None,
        }
    }

    /// No limit.
    pub fn none() -> Self {
        Self::default()
    }

    /// The earlier of this deadline and `limit_s` seconds from now (same observer).
    pub fn within(self, limit_s: f64) -> Self {
        let other = Self::after(Some(limit_s)).end.expect("set");
        Self {
            end: Some(self.end.map_or(other, |own| own.min(other))),
            ..self
        }
    }

    /// This deadline with `observer` told the progress of the solve.
    pub fn observed_by(self, observer: Option<&'static Observer>) -> Self {
        Self { observer, ..self }
    }

    /// Whether someone watches the progress (worth computing it for).
    pub fn is_observed(&self) -> bool {
        self.observer.is_some()
    }

    /// Tells the observer, if any, how the solve goes.
    pub fn tell(&self, progress: Progress) {
        if let Some(observer) = self.observer {
            observer(&progress);
        }
    }

    /// Seconds left (0 once passed), `None` without a limit.
    pub fn remaining_s(&self) -> Option<f64> {
        self.end.map(|end| end.saturating_duration_since(Instant::now()).as_secs_f64())
    }

    /// Whether the limit has run out.
    pub fn passed(&self) -> bool {
        self.end.is_some_and(|end| Instant::now() >= end)
    }
}

impl std::fmt::Debug for Deadline {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Deadline")
            .field("end", &self.end)
            .field("observed", &self.observer.is_some())
            .finish()
    }
}
