//! Progress on a terminal: a spinner on stderr with the phase and the time
//! since the command started, drawn only when stderr is a terminal (never
//! into a pipe or a log file). The library never prints; the commands tell
//! the phase here between library calls.

use catchment::solve::{Observer, Progress};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use std::io::IsTerminal;
use std::time::Duration;

/// A spinner showing the current phase (hidden when stderr is not a terminal).
pub struct Phases {
    bar: ProgressBar,
}

impl Phases {
    /// Starts the spinner with its first phase.
    pub fn start(first: &str) -> Self {
        // Drawn at up to 200 Hz, so that a phase of a few milliseconds still shows.
        let bar = if std::io::stderr().is_terminal() {
            ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr_with_hz(200))
        } else {
            ProgressBar::hidden()
        };
        bar.set_style(ProgressStyle::with_template("{spinner} {elapsed:>4} {msg}").unwrap_or_else(|_| ProgressStyle::default_spinner()));
        bar.enable_steady_tick(Duration::from_millis(200));
        bar.set_message(first.to_string());
        Self { bar }
    }

    /// Moves on to the next phase.
    pub fn phase(&self, text: impl Into<String>) {
        self.bar.set_message(text.into());
    }

    /// An observer for a solve that shows, after `phase`, the pricing round
    /// and the branch and bound's incumbent, bound and gap (none when
    /// nothing is drawn). Leaked on purpose: a command solves once or a few
    /// times, and the solver wants an observer that lives as long as it may.
    pub fn solve_observer(&self, phase: &str) -> Option<&'static Observer> {
        if self.bar.is_hidden() {
            return None;
        }
        let (bar, phase) = (self.bar.clone(), phase.to_string());
        let observer: Box<Observer> = Box::new(move |progress: &Progress| bar.set_message(format!("{phase}: {}", describe(progress))));
        Some(Box::leak(observer))
    }

    /// Removes the spinner (before the command's own output).
    pub fn finish(&self) {
        self.bar.finish_and_clear();
    }
}

impl Drop for Phases {
    fn drop(&mut self) {
        self.bar.finish_and_clear();
    }
}

/// One line about a solve's progress, in kilometres.
pub fn describe(progress: &Progress) -> String {
    let km = |m: Option<f64>| m.map_or("–".to_string(), |m| format!("{:.1} km", m / 1000.0));
    match *progress {
        Progress::PricingRound { round, arcs } => format!("pricing round {round}, {arcs} candidate arcs"),
        Progress::IntegerRound { round, arcs, lp_bound_m } => {
            format!("integer program round {round}, {arcs} candidate arcs, LP bound {}", km(lp_bound_m))
        }
        Progress::Branching {
            incumbent_m,
            bound_m,
            gap,
            nodes,
        } => format!(
            "branch and bound: best {}, bound {}, gap {}, {nodes} nodes",
            km(incumbent_m),
            km(bound_m),
            gap.map_or("–".to_string(), |g| format!("{:.2} %", g * 100.0))
        ),
    }
}
