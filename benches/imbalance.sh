#!/usr/bin/env bash
# Benchmark families of cities whose seats do and do not match where the
# children live (issue #12): every preset at `generate --imbalance` 0, 0.5
# and 1, over several seeds, whole `catchment solve` commands under
# /usr/bin/time, with two baselines measured in the same run on the same
# instances:
#   - lp:  the same solve with `[solver] network_flow = false` (the LP path
#          in HiGHS instead of the network simplex), where it finishes in
#          reasonable time (magdeburg, leipzig; BENCH_LP_ALL=1 for all);
#   - mcf: benches/mcf_baseline.py, a Python script that computes every
#          distance and solves the transportation problem with OR-tools'
#          SimpleMinCostFlow (whole process, imports included; needs
#          `pip install ortools numpy`; skipped when they are missing).
#
#   bash benches/imbalance.sh [PRESET ...]     (default: magdeburg leipzig berlin)
#   BENCH_SEEDS="1 2 3 4 5" BENCH_IMBALANCES="0 0.5 1" bash benches/imbalance.sh
#
# Prints one Markdown row per preset and imbalance: median and worst (of the
# seeds) of the whole command, arcs, pricing rounds, network-simplex pivots,
# seconds inside HiGHS, peak memory, and the baselines' medians with the
# ratio baseline / catchment. Raw rows: target/bench/imbalance.csv.
set -euo pipefail
cd "$(dirname "$0")/.."
source benches/common.sh
bench_setup imbalance
presets=("$@")
[ ${#presets[@]} -gt 0 ] || presets=(magdeburg leipzig berlin)
seeds=(${BENCH_SEEDS:-1 2 3 4 5})
imbalances=(${BENCH_IMBALANCES:-0 0.5 1})
have_mcf=0
python3 -c "import ortools, numpy" 2>/dev/null && have_mcf=1
csv="$out/../imbalance.csv"
echo "preset,imbalance,seed,case,total_s,peak_mb,arcs,rounds,pivots,highs_s,status,objective_m" > "$csv"

solve_case() { # preset imbalance seed case scenario
  local dir="$out/$1-$2-$3-$4"
  /usr/bin/time -f "%e %M" -o "$dir.time" "$bin" solve "$5" -o "$dir" > "$dir.log"
  read -r wall peak_kb < "$dir.time"
  python3 - "$dir/summary.json" "$1,$2,$3,$4" "$wall" "$peak_kb" >> "$csv" <<'PY'
import json, sys
s = json.load(open(sys.argv[1]))
m, t = s["model"], s["timing"]
print(",".join(str(v) for v in [sys.argv[2], sys.argv[3], int(sys.argv[4]) // 1024, m["arcs"], m["lp_rounds"],
      m.get("flow_pivots", 0), f'{t["highs_seconds"]:.3f}', s["status"], f'{s["objective_m"] or 0:.3f}']))
PY
}

for preset in "${presets[@]}"; do
  for imbalance in "${imbalances[@]}"; do
    for seed in "${seeds[@]}"; do
      city="$out/city-$preset-$imbalance-$seed"
      "$bin" generate --preset "$preset" --seed "$seed" --imbalance "$imbalance" -o "$city" > /dev/null
      solve_case "$preset" "$imbalance" "$seed" flow "$city/scenario.toml"
      if [ "$preset" = magdeburg ] || [ "$preset" = leipzig ] || [ "${BENCH_LP_ALL:-0}" = 1 ]; then
        sed 's/^threads = 1/threads = 1\nnetwork_flow = false/' "$city/scenario.toml" > "$city/lp.toml"
        solve_case "$preset" "$imbalance" "$seed" lp "$city/lp.toml"
      fi
      if [ "$have_mcf" = 1 ] && [ "$preset" != germany ]; then
        start=$(date +%s.%N)
        result=$(python3 benches/mcf_baseline.py "$city")
        wall=$(python3 -c "import sys; print(f'{float(sys.argv[2]) - float(sys.argv[1]):.2f}')" "$start" "$(date +%s.%N)")
        echo "$preset,$imbalance,$seed,mcf,$wall,,,,,,optimal,${result#* }" >> "$csv"
      fi
    done
  done
done

python3 - "$csv" <<'PY'
import csv, statistics, sys
rows = list(csv.DictReader(open(sys.argv[1])))
def pick(preset, imb, case):
    return [r for r in rows if r["preset"] == preset and r["imbalance"] == imb and r["case"] == case]
def med(rs, key): return statistics.median(float(r[key]) for r in rs)
def worst(rs, key): return max(float(r[key]) for r in rs)
print("| preset | imbalance | seeds | catchment s (median / worst) | arcs (median) | rounds (worst) | pivots (median) | HiGHS s | peak MB (worst) | LP path s (median) | LP / catchment | OR-tools MCF s (median) | MCF / catchment | same optimum |")
print("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|")
keys = sorted({(r["preset"], r["imbalance"]) for r in rows}, key=lambda k: (rows.index(next(r for r in rows if (r["preset"], r["imbalance"]) == k))))
for preset, imb in keys:
    flow = pick(preset, imb, "flow")
    lp, mcf = pick(preset, imb, "lp"), pick(preset, imb, "mcf")
    t = med(flow, "total_s")
    same = all(abs(float(a["objective_m"]) - float(b["objective_m"])) <= 1e-6 * float(a["objective_m"]) + 0.01
               for a in flow for b in lp + mcf if a["seed"] == b["seed"] and b["objective_m"] not in ("", "infeasible"))
    cells = [preset, imb, str(len(flow)), f"{t:.2f} / {worst(flow, 'total_s'):.2f}", f"{med(flow, 'arcs'):.0f}",
             f"{worst(flow, 'rounds'):.0f}", f"{med(flow, 'pivots'):.0f}", f"{med(flow, 'highs_s'):.2f}", f"{worst(flow, 'peak_mb'):.0f}",
             f"{med(lp, 'total_s'):.2f}" if lp else "-", f"{med(lp, 'total_s') / t:.1f}x" if lp else "-",
             f"{med(mcf, 'total_s'):.2f}" if mcf else "-", f"{med(mcf, 'total_s') / t:.1f}x" if mcf else "-", "yes" if same else "NO"]
    print("| " + " | ".join(cells) + " |")
PY
