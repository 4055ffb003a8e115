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
echo "family,seed,case,total_s,cpu_s,peak_mb,regimes_fixed,regime_nodes,status,objective_m" > "$csv"

solve_case() { # family seed case binary scenario
  local dir="$out/$1-$2-$3"
  /usr/bin/time -f "%e %U %S %M" -o "$dir.time" "$4" solve "$5" -o "$dir" > "$dir.log"
  read -r wall user sys peak_kb < "$dir.time"
  python3 - "$dir/summary.json" "$1,$2,$3" "$wall" "$user" "$sys" "$peak_kb" >> "$csv" <<'PY'
import json, sys
s = json.load(open(sys.argv[1]))
m = s["model"]
cpu = float(sys.argv[4]) + float(sys.argv[5])
print(",".join(str(v) for v in [sys.argv[2], sys.argv[3], f"{cpu:.2f}", int(sys.argv[6]) // 1024, m.get("regimes_fixed", 0),
      m.get("regime_nodes", 0), s["status"], f'{s["objective_m"] or 0:.3f}']))
PY
}

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
import csv, statistics, sys
rows = list(csv.DictReader(open(sys.argv[1])))
families = list(dict.fromkeys(r["family"] for r in rows))
def pick(family, case):
    return [r for r in rows if r["family"] == family and r["case"] == case]
print("| instances | catchment wall median / worst | CPU median / worst | regimes fixed (median) | search nodes (median) | peak MB | baseline wall median / worst | baseline CPU median / worst | CPU ratio median / worst |")
print("|---|---|---|---|---|---|---|---|---|")
for family in families:
    new, old = pick(family, "catchment"), pick(family, "baseline")
    t = [float(r["total_s"]) for r in new]
    c = [float(r["cpu_s"]) for r in new]
    line = f"| {family} ({len(new)}) | {statistics.median(t):.2f} / {max(t):.2f} s | {statistics.median(c):.2f} / {max(c):.2f} s | {statistics.median(int(r['regimes_fixed']) for r in new):.0f} | {statistics.median(int(r['regime_nodes']) for r in new):.0f} | {max(int(r['peak_mb']) for r in new)} |"
    if old:
        o = [float(r["total_s"]) for r in old]
        oc = [float(r["cpu_s"]) for r in old]
        ratios = [a / b for a, b in zip(oc, c)]
        line += f" {statistics.median(o):.2f} / {max(o):.2f} s | {statistics.median(oc):.2f} / {max(oc):.2f} s | {statistics.median(ratios):.1f}x / {min(ratios):.1f}x |"
        for a, b in zip(old, new):
            if abs(float(a["objective_m"]) - float(b["objective_m"])) > 1e-6 * max(1.0, float(b["objective_m"])):
                print(f"DIFFERENT OPTIMUM: {family} seed {b['seed']}: {a['objective_m']} vs {b['objective_m']}", file=sys.stderr)
    else:
        line += " – | – | – |"
    print(line)
PY
