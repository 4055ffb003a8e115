#!/usr/bin/env bash
# Benchmark whole groups with fixed classes (issue #12): street sections
# (`assign = "units"`) and, with BENCH_ASSIGN, whole homes, on generated
# Magdeburg-size cities at `generate --imbalance` 0, 0.5 and 1 over several
# seeds, previous-year basis. Whole `catchment solve` commands under
# /usr/bin/time. With BASELINE set to another catchment binary (an older
# build), each instance is solved by both, alternating, so the ratio is
# measured in the same run on the same machine load; both must reach the
# same total way.
#
#   bash benches/whole_groups.sh
#   BASELINE=/tmp/catchment-old BENCH_SEEDS="1 2 3" BENCH_ASSIGN="units homes" bash benches/whole_groups.sh
#
# Prints one Markdown row per family (assign, imbalance): median and worst
# (of the seeds) of the whole command, wall and CPU seconds; integer rounds
# (worst); arcs of the last integer program (median); peak memory; and the
# baseline's figures with the CPU ratio baseline / catchment (median, and
# the least of the seeds). Raw rows: target/bench/whole_groups.csv.
set -euo pipefail
cd "$(dirname "$0")/.."
source benches/common.sh
bench_setup whole_groups
seeds=(${BENCH_SEEDS:-1 2 3 4 5})
imbalances=(${BENCH_IMBALANCES:-0 0.5 1})
assigns=(${BENCH_ASSIGN:-units})
csv="$out/../whole_groups.csv"
paired_csv_header > "$csv"

for assign in "${assigns[@]}"; do
  for imbalance in "${imbalances[@]}"; do
    for seed in "${seeds[@]}"; do
      city="$out/city-$assign-$imbalance-$seed"
      "$bin" generate --preset magdeburg --seed "$seed" --imbalance "$imbalance" -o "$city" > /dev/null
      sed -i "s/^assign = \"pupils\"/assign = \"$assign\"/" "$city/scenario.toml"
      family="$assign imbalance $imbalance"
      if [ -n "${BASELINE:-}" ]; then solve_case "$family" "$seed" baseline "$BASELINE" "$city/scenario.toml"; fi
      solve_case "$family" "$seed" catchment "$bin" "$city/scenario.toml"
    done
  done
done

python3 - "$csv" <<'PY'
import sys
sys.path.insert(0, "benches")
from paired_table import median_of, print_table
print_table(sys.argv[1], [
    ("integer rounds (worst)", lambda rows: str(max(int(r["mip_rounds"]) for r in rows))),
    ("arcs (median)", lambda rows: f"{median_of(rows, 'arcs'):.0f}"),
])
PY
