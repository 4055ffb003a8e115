#!/usr/bin/env bash
# How the time of a district plan grows with the vertices of one district.
#
#   bash benches/big_district.sh [VERTICES ...]     (default: 10000 40000 200000)
#
# For each count, writes a plan with one district of that many vertices
# around the bundled city's centre: a wobbly ring like a digitised boundary
# (SHAPE=smooth, default), or a star of long spikes at random radii
# (SHAPE=spiky: every edge's bounding box overlaps thousands of others, the
# worst case of an edge index). School GS01; the other pupils
# lie outside every district, so the plan breaks the coverage rule and
# `solve` exits with code 1, which is expected here) and times `catchment
# solve` on it: reading and checking the polygon, and looking up 2,200
# homes. BIN=path/to/catchment compares another build. Speed is measured
# here, never asserted in a test.
set -euo pipefail
cd "$(dirname "$0")/.."
counts=("$@")
[ ${#counts[@]} -gt 0 ] || counts=(10000 40000 200000)
bin=${BIN:-target/release/catchment}
[ -n "${BIN:-}" ] || cargo build --release --quiet
work=target/bench/big_district
mkdir -p "$work"
echo "| shape | vertices | solve_s | exit |"
echo "|---|---|---|---|"
for n in "${counts[@]}"; do
  awk -v n="$n" -v spiky="$([ "${SHAPE:-smooth}" = spiky ] && echo 1 || echo 0)" 'BEGIN {
    srand(7); pi = atan2(0, -1);
    printf "{\"type\": \"FeatureCollection\", \"features\": [{\"type\": \"Feature\", \"properties\": {\"school_id\": \"GS01\"}, \"geometry\": {\"type\": \"Polygon\", \"coordinates\": [[";
    for (i = 0; i < n; i++) {
      a = 2 * pi * i / n;
      r = spiky ? 0.03 + 0.02 * rand() : 0.04 * (1 + 0.1 * sin(7 * a) + 0.03 * sin(331 * a)) + 0.000001 * rand();
      x = 11.63 + 1.6 * r * cos(a); y = 52.12 + r * sin(a);
      if (i == 0) { x0 = x; y0 = y }
      printf "[%.7f, %.7f], ", x, y
    }
    printf "[%.7f, %.7f]]]}}]}\n", x0, y0
  }' > "$work/plan-$n.geojson"
  printf 'base = "%s"\ndistricts = "plan-%s.geojson"\n' "$PWD/scenarios/magdeburg.toml" "$n" > "$work/plan-$n.toml"
  start=$(date +%s.%N)
  code=0
  "$bin" solve "$work/plan-$n.toml" -o "$work/out-$n" > /dev/null 2> "$work/err-$n.txt" || code=$?
  end=$(date +%s.%N)
  printf '| %s | %s | %.2f | %s |\n' "${SHAPE:-smooth}" "$n" "$(echo "$end - $start" | bc)" "$code"
done
