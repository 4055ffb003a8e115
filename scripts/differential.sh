#!/usr/bin/env bash
# Long differential run (issue #10): random instances with every feature,
# solved by the real binary with formulation = "certified" and "plain",
# objectives recomputed from the written assignments, audited, tiny cases
# enumerated. See tests/differential/main.rs and the README section
# "Differential testing".
#
#   bash scripts/differential.sh [CASES] [SEED]
#
# Environment: DIFF_JOBS (parallel cases, default 1), DIFF_SHRINK (minimise
# the first N cases of each kind of disagreement, default 1).
# Prints the number of cases, the cases per feature, and every disagreement
# with the folder where its instance was kept (target/tmp/differential/...).
# Exit code 0 when no case disagrees.
set -euo pipefail
cd "$(dirname "$0")/.."
export DIFF_CASES="${1:-2000}"
export DIFF_SEED="${2:-1}"
export DIFF_JOBS="${DIFF_JOBS:-1}"
export DIFF_SHRINK="${DIFF_SHRINK:-1}"
exec cargo test --release --test differential -- --ignored --exact long_run --nocapture
