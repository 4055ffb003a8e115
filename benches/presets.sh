#!/usr/bin/env bash
# Benchmark table over the generator presets.
#
#   bash benches/presets.sh [PRESET ...]      (default: all presets)
#
# For each preset: generate the city (seed 2026), run `catchment solve` on it
# under /usr/bin/time, and read summary.json. Extra rows: magdeburg with the
# intake basis and class ranges (min = classes - 1, max = classes + 1), the
# same without warm start (`-cold`), magdeburg without the integral-LP
# shortcut (`-no-shortcut`), and the plain reference formulation (full pupil x school matrix, no pruning, no
# merging, one HiGHS run) for the presets small enough for it, so that the
# ratio plain / certified is measured in the same run on the same machine.
# Prints a Markdown table and writes target/bench/presets.csv.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
source benches/common.sh
bench_setup
presets=("$@")
[ ${#presets[@]} -gt 0 ] || presets=(magdeburg leipzig berlin saxony-anhalt germany)
csv="$out/presets.csv"
echo "case,pupils,schools,variables,constraints,components,model_s,highs_s,total_s,peak_mb,status,gap,objective_m" > "$csv"

run_case() { # name scenario
  local name=$1 scenario=$2 dir="$out/$1/out"
  mkdir -p "$out/$name"
  /usr/bin/time -f "%e %M" -o "$out/$name.time" "$bin" solve "$scenario" -o "$dir" > "$out/$name.log"
  read -r wall peak_kb < "$out/$name.time"
  python3 - "$dir/summary.json" "$name" "$wall" "$peak_kb" >> "$csv" <<'PY'
import json, sys
s = json.load(open(sys.argv[1]))
m, t = s["model"], s["timing"]
print(",".join(str(v) for v in [sys.argv[2], s["pupils"], s["schools"], m["columns"], m["rows"], m.get("components", 1),
      f'{t["model_seconds"]:.2f}', f'{t["highs_seconds"]:.2f}', sys.argv[3], int(sys.argv[4]) // 1024,
      s["status"], f'{s["gap"] or 0:.2e}', f'{s["objective_m"] or 0:.2f}']))
PY
}

for preset in "${presets[@]}"; do
  dir="$out/$preset"
  "$bin" generate --preset "$preset" --seed 2026 -o "$dir" > /dev/null
  run_case "$preset" "$dir/scenario.toml"
  case "$preset" in
    magdeburg)
      awk -F, 'BEGIN{OFS=","} NR==1{print; next} {$7=($5>1?$5-1:1); $8=$5+1; print}' "$dir/schools.csv" > "$dir/schools-ranges.csv"
      sed -e 's/migration_basis = "previous_year"/migration_basis = "intake"/' -e 's/schools.csv/schools-ranges.csv/' "$dir/scenario.toml" > "$dir/intake-ranges.toml"
      mkdir -p "$out/magdeburg-intake-ranges"
      run_case "magdeburg-intake-ranges" "$dir/intake-ranges.toml"
      # Baselines in the same run: no warm start (no start solution, no
      # regime probing or search), and no integral-LP shortcut.
      sed 's/^threads = 1/threads = 1\nwarm_start = false/' "$dir/intake-ranges.toml" > "$dir/intake-ranges-cold.toml"
      run_case "magdeburg-intake-ranges-cold" "$dir/intake-ranges-cold.toml"
      sed 's/^threads = 1/threads = 1\nintegral_lp_shortcut = false/' "$dir/scenario.toml" > "$dir/no-shortcut.toml"
      run_case "magdeburg-no-shortcut" "$dir/no-shortcut.toml"
      ;;
  esac
  case "$preset" in
    magdeburg|leipzig)
      sed 's/^threads = 1/threads = 1\nformulation = "plain"/' "$dir/scenario.toml" > "$dir/plain.toml"
      mkdir -p "$out/$preset-plain"
      run_case "$preset-plain" "$dir/plain.toml"
      ;;
  esac
done

python3 - "$csv" <<'PY'
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1])))
cols = ["case", "pupils", "schools", "variables", "constraints", "components", "model_s", "highs_s", "total_s", "peak_mb", "status", "gap"]
print("| " + " | ".join(cols) + " |")
print("|" + "---|" * len(cols))
for r in rows:
    print("| " + " | ".join(r[c] for c in cols) + " |")
by = {r["case"]: r for r in rows}
for fast, slow, what in (("magdeburg-intake-ranges", "magdeburg-intake-ranges-cold", "warm start (start, probing, regime search)"),
                         ("magdeburg", "magdeburg-no-shortcut", "integral-LP shortcut")):
    if fast in by and slow in by:
        ratio = float(by[slow]["highs_s"]) / max(float(by[fast]["highs_s"]), 1e-9)
        same = abs(float(by[slow]["objective_m"]) - float(by[fast]["objective_m"])) < 0.01
        print(f"\n{fast}: {what}: HiGHS time without / with = {ratio:.1f}x (same objective: {same})")
for p in ("magdeburg", "leipzig"):
    if p in by and p + "-plain" in by:
        ratio = float(by[p + "-plain"]["total_s"]) / max(float(by[p]["total_s"]), 1e-9)
        same = abs(float(by[p + "-plain"]["objective_m"]) - float(by[p]["objective_m"])) < 0.01
        print(f"\n{p}: plain formulation / certified = {ratio:.1f}x wall time (same objective: {same})")
PY
echo "CSV: $csv"
