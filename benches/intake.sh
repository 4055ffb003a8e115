#!/usr/bin/env bash
# Benchmark the intake basis with fixed classes (issue #12): the regime
# search on generated Magdeburg-size cities at `generate --imbalance` 0 and 1
# over several seeds, plus the bundled `scenarios/magdeburg-intake.toml`.
# Whole `catchment solve` commands under /usr/bin/time. With BASELINE set to
# another catchment binary (an older build), each instance is solved by both,
# alternating, so the ratio is measured in the same run on the same machine
# load; both must reach the same total way.
#
#   bash benches/intake.sh
#   BASELINE=/tmp/catchment-old BENCH_SEEDS="1 2 3 4 5" bash benches/intake.sh
#
# Prints one Markdown row per family: median and worst (of the seeds) of the
# whole command (wall and CPU seconds: on a loaded machine CPU is the fairer
# figure for this single-threaded solve), regimes fixed by probing, search nodes, peak memory, and the
# baseline's median and worst with the ratio baseline / catchment. Raw rows:
# target/bench/intake.csv.
set -euo pipefail
cd "$(dirname "$0")/.."
source benches/common.sh
bench_setup intake
seeds=(${BENCH_SEEDS:-1 2 3 4 5})
imbalances=(${BENCH_IMBALANCES:-0 1})
csv="$out/../intake.csv"
paired_csv_header > "$csv"

solve_both() { # family seed scenario
  if [ -n "${BASELINE:-}" ]; then solve_case "$1" "$2" baseline "$BASELINE" "$3"; fi
  solve_case "$1" "$2" catchment "$bin" "$3"
}

solve_both bundled - scenarios/magdeburg-intake.toml
for imbalance in "${imbalances[@]}"; do
  for seed in "${seeds[@]}"; do
    city="$out/city-$imbalance-$seed"
    "$bin" generate --preset magdeburg --seed "$seed" --imbalance "$imbalance" -o "$city" > /dev/null
    sed -i 's/^migration_basis = "previous_year"/migration_basis = "intake"/' "$city/scenario.toml"
    solve_both "imbalance $imbalance" "$seed" "$city/scenario.toml"
  done
done

python3 - "$csv" <<'PY'
import sys
sys.path.insert(0, "benches")
from paired_table import median_of, print_table
print_table(sys.argv[1], [
    ("regimes fixed (median)", lambda rows: f"{median_of(rows, 'regimes_fixed'):.0f}"),
    ("search nodes (median)", lambda rows: f"{median_of(rows, 'regime_nodes'):.0f}"),
])
PY
