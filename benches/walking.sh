#!/usr/bin/env bash
# Times `catchment solve` with walking distances on a generated city's
# street grid at several spacings (finer grid = more nodes):
#   bash benches/walking.sh                        # magdeburg, spacings 100 46 30
#   bash benches/walking.sh 46 15                  # magdeburg at ~100,000 and ~1,000,000 nodes
#   bash benches/walking.sh berlin:40:1 berlin:40:2 berlin:40:3
#                                                  # berlin (35,000 pupils, 430 schools), ~1 M nodes, seeds 1-3
# Each argument is SPACING (magdeburg, seed 2026) or PRESET:SPACING[:SEED].
# For each: the OSM nodes of streets.osm.gz, the whole command cold (no
# cache yet: reading the extract, graph, snapping, ways on demand, solve,
# checker, writing, then the cache written) and again with the cache
# (OUT/catchment-cache/), seconds and peak memory each, and the status.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release --quiet
cases=("${@:-100 46 30}")
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
printf '| preset | seed | pupils | schools | spacing_m | osm_nodes | osm_gz_kb | cold_s | cold_peak_mb | cached_s | cached_peak_mb | status |\n'
printf '|---|---|---|---|---|---|---|---|---|---|---|---|\n'
for case in ${cases[@]}; do
  IFS=: read -r preset sp seed <<< "$case"
  if [ -z "${sp:-}" ]; then sp=$preset; preset=magdeburg; fi
  seed=${seed:-2026}
  dir="$work/$preset-$sp-$seed"
  ./target/release/catchment generate --preset "$preset" --seed "$seed" --street-spacing "$sp" -o "$dir" > /dev/null
  printf 'name = "%s walking %s"\nschools = "schools.csv"\npupils = "pupils.csv"\n[distance]\nmetric = "walking"\nosm = "streets.osm.gz"\n' "$preset" "$sp" > "$dir/walking.toml"
  nodes=$(zcat "$dir/streets.osm.gz" | grep -c '<node')
  /usr/bin/time -f '%e %M' -o "$dir/cold" ./target/release/catchment solve "$dir/walking.toml" -o "$dir/out" > "$dir/stdout"
  grep -q 'distance cache miss' "$dir/stdout"
  /usr/bin/time -f '%e %M' -o "$dir/cached" ./target/release/catchment solve "$dir/walking.toml" -o "$dir/out" > "$dir/stdout2"
  grep -q 'distance cache hit' "$dir/stdout2"
  read -r cold_s cold_kb < "$dir/cold"
  read -r cached_s cached_kb < "$dir/cached"
  status=$(grep '^status' "$dir/stdout2" | awk '{print $2}')
  pupils=$(($(wc -l < "$dir/pupils.csv") - 1))
  schools=$(($(wc -l < "$dir/schools.csv") - 1))
  printf '| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |\n' "$preset" "$seed" "$pupils" "$schools" "$sp" "$nodes" \
    "$(( $(stat -c %s "$dir/streets.osm.gz") / 1024 ))" "$cold_s" "$(( cold_kb / 1024 ))" "$cached_s" "$(( cached_kb / 1024 ))" "$status"
done
