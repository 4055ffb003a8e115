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
echo "family,seed,case,total_s,cpu_s,peak_mb,mip_rounds,arcs,status,objective_m" > "$csv"

solve_case() { # family seed case binary scenario
  local dir="$out/$1-$2-$3"
  dir="${dir// /_}"
  /usr/bin/time -f "%e %U %S %M" -o "$dir.time" "$4" solve "$5" -o "$dir" > "$dir.log"
  read -r wall user sys peak_kb < "$dir.time"
  python3 - "$dir/summary.json" "$1,$2,$3" "$wall" "$user" "$sys" "$peak_kb" >> "$csv" <<'PY'
import json, sys
s = json.load(open(sys.argv[1]))
m = s["model"]
cpu = float(sys.argv[4]) + float(sys.argv[5])
print(",".join(str(v) for v in [sys.argv[2], sys.argv[3], f"{cpu:.2f}", int(sys.argv[6]) // 1024, m.get("mip_rounds", 0),
      m.get("arcs", 0), s["status"], f'{s["objective_m"] or 0:.3f}']))
PY
}

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
