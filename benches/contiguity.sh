#!/usr/bin/env bash
# Benchmark contiguous districts (issue #14): the bundled contiguous
# scenario, and `catchment generate` cities of Magdeburg size at
# `--imbalance` 0 and 1 over several seeds, each solved with street
# sections as units (`assign = "units"`) and with whole homes, with
# `contiguous = true`. Whole `catchment solve` commands; speed is never
# asserted in a test.
#
#   bash benches/contiguity.sh
#   BENCH_SEEDS="1 2 3" BENCH_IMBALANCES="0 1" BENCH_ASSIGN="units homes" bash benches/contiguity.sh
#
# Prints one Markdown row per case: status, seconds of the whole solve (as
# summary.json reports it), cut rounds, cuts, arcs of the last model, the
# total way with and without the rule and the price. Raw rows:
# target/bench/contiguity.csv.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release --quiet
bin=target/release/catchment
out=target/bench/contiguity
mkdir -p "$out"
seeds=${BENCH_SEEDS:-"1 2 3"}
imbalances=${BENCH_IMBALANCES:-"0 1"}
assigns=${BENCH_ASSIGN:-"units homes"}
csv=target/bench/contiguity.csv
echo "case,status,seconds,cut_rounds,cuts,arcs,total_km,unconstrained_km,price_m,price_pct" > "$csv"

row() { # case, summary.json
  python3 - "$1" "$2" <<'EOF' | tee -a "$csv"
import json, sys
case, path = sys.argv[1], sys.argv[2]
s = json.load(open(path))
m = s["model"]
c = s.get("contiguity") or {}
print(",".join(str(x) for x in [
    case, s["status"], f'{s["solve_seconds"]:.2f}', m.get("cut_rounds", 0), m.get("contiguity_cuts", 0), m["arcs"],
    f'{c.get("total_way_m", float("nan")) / 1000:.1f}', f'{c.get("unconstrained_total_way_m", float("nan")) / 1000:.1f}',
    f'{c.get("price_m", float("nan")):.1f}', f'{c.get("price_pct", float("nan")):.3f}']))
EOF
}

"$bin" solve scenarios/magdeburg-contiguous.toml -o "$out/bundled" > /dev/null
row bundled-homes "$out/bundled/summary.json"
for imbalance in $imbalances; do
  for seed in $seeds; do
    city="$out/city-$imbalance-$seed"
    "$bin" generate --preset magdeburg --seed "$seed" --imbalance "$imbalance" -o "$city" > /dev/null
    for assign in $assigns; do
      printf 'name = "contiguous %s"\nbase = "scenario.toml"\n\n[rules]\nassign = "%s"\ncontiguous = true\n' "$assign" "$assign" \
        > "$city/contiguous-$assign.toml"
      "$bin" solve "$city/contiguous-$assign.toml" -o "$city/out-$assign" > /dev/null
      row "magdeburg-imb$imbalance-seed$seed-$assign" "$city/out-$assign/summary.json"
    done
  done
done
echo
echo "| case | status | s | cut rounds | cuts | arcs | total km | without the rule km | price m | price % |"
echo "|---|---|---|---|---|---|---|---|---|---|"
tail -n +2 "$csv" | tr ',' '|' | sed 's/^/| /; s/$/ |/; s/|/ | /g; s/  */ /g'
