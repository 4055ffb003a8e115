//! The `catchment` command line: parses arguments, calls the library, prints.
//!
//! Exit codes: 0 done (an infeasible instance is a result, reported in the
//! output), 1 the audit found violations, 2 an input could not be read or an
//! output not written (the message names file, line and fix), 3 an internal
//! or solver failure.

mod cli;

use std::process::ExitCode;

fn main() -> ExitCode {
    cli::run()
}
