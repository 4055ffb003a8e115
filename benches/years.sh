#!/usr/bin/env bash
# Multi-year planning on the bundled city (scenarios/magdeburg-years.toml:
# 2026 and three forecast cohorts, rooms for all grades), against the
# baseline of solving the four years independently without the room
# coupling (each year alone with the class ranges of schools-years.csv).
#
#   bash benches/years.sh [RUNS]      (default 3 runs of each)
#
# Prints a Markdown table (median and worst wall-clock seconds of the runs,
# total way, status) and writes target/bench/years.csv.
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-3}
cargo build --release --quiet
bin=$PWD/target/release/catchment
out=$PWD/target/bench/years
mkdir -p "$out"
data=$PWD/data/magdeburg
# The independent years: one single-year scenario per cohort, same schools, no [[year]].
for year in 2026 2027 2028 2029; do
  pupils=pupils-$year.csv
  [ "$year" = 2026 ] && pupils=pupils.csv
  printf 'name = "magdeburg %s alone"\nschools = "%s/schools-years.csv"\npupils = "%s/%s"\n' "$year" "$data" "$data" "$pupils" > "$out/alone-$year.toml"
done
csv=$PWD/target/bench/years.csv
echo "case,run,seconds,total_way_m,status" > "$csv"
now() { date +%s.%N; }
for run in $(seq 1 "$runs"); do
  start=$(now)
  "$bin" solve scenarios/magdeburg-years.toml -o "$out/joint" > "$out/joint.log"
  end=$(now)
  python3 - "$out/joint/summary.json" "$run" "$start" "$end" >> "$csv" <<'PY'
import json, sys
s = json.load(open(sys.argv[1]))
print(f'joint,{sys.argv[2]},{float(sys.argv[4]) - float(sys.argv[3]):.2f},{s["total_way_m"]:.1f},{s["status"]}')
PY
  start=$(now)
  for year in 2026 2027 2028 2029; do
    "$bin" solve "$out/alone-$year.toml" -o "$out/alone-$year" > "$out/alone-$year.log"
  done
  end=$(now)
  python3 - "$out" "$run" "$start" "$end" >> "$csv" <<'PY'
import json, sys
total, statuses = 0.0, set()
for year in (2026, 2027, 2028, 2029):
    s = json.load(open(f'{sys.argv[1]}/alone-{year}/summary.json'))
    total += s["distances"]["total_m"]
    statuses.add(s["status"])
print(f'independent,{sys.argv[2]},{float(sys.argv[4]) - float(sys.argv[3]):.2f},{total:.1f},{"/".join(sorted(statuses))}')
PY
done
python3 - "$csv" "$out" <<'PY'
import csv, json, statistics, sys
rows = list(csv.DictReader(open(sys.argv[1])))
print("| case | runs | median s | worst s | total way km | status |")
print("|---|---|---|---|---|---|")
for case in ("joint", "independent"):
    r = [x for x in rows if x["case"] == case]
    t = [float(x["seconds"]) for x in r]
    print(f'| {case} | {len(r)} | {statistics.median(t):.1f} | {max(t):.1f} | {float(r[-1]["total_way_m"]) / 1000:.1f} | {r[-1]["status"]} |')
# Does the independent plan keep the rooms? Count school-years over their rooms.
schools = {row["school_id"]: row for row in csv.DictReader(open("data/magdeburg/schools-years.csv"))}
opened = {}
for t, year in enumerate((2026, 2027, 2028, 2029)):
    for row in csv.DictReader(open(f'{sys.argv[2]}/alone-{year}/schools.csv')):
        opened[(row["school_id"], t)] = int(row["classes"])
over = 0
for sid, s in schools.items():
    older = [int(s["classes_grade2"]), int(s["classes_grade3"]), int(s["classes_grade4"])]
    for t in range(4):
        in_use = sum(opened[(sid, y)] for y in range(max(0, t - 3), t + 1)) + sum(c for i, c in enumerate(older) if t + i + 2 <= 4)
        over += in_use > int(s["rooms"])
print(f"\nindependent years: {over} school-years need more rooms than the school has")
PY
