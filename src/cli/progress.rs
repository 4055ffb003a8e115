//! Progress on a terminal: a spinner on stderr with the phase and the time
//! since the command started, drawn only when stderr is a terminal (never
//! into a pipe or a log file). The library never prints; the commands tell
//! the phase here between library calls.

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
