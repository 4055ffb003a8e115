#!/usr/bin/env bash
# Times `catchment solve` with walking distances on the bundled city's
# generated street grid at several spacings (finer grid = more nodes):
#   bash benches/walking.sh            # spacings 100 40 30
#   bash benches/walking.sh 40         # one spacing
# Prints nodes of the walk graph, whole-command seconds and peak memory.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release --quiet
spacings=("${@:-100 40 30}")
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
printf '| spacing_m | osm_gz_kb | total_s | peak_mb | status |\n|---|---|---|---|---|\n'
for sp in ${spacings[@]}; do
  dir="$work/g$sp"
  ./target/release/catchment generate --preset magdeburg --seed 2026 --street-spacing "$sp" -o "$dir" > /dev/null
  printf 'name = "magdeburg walking %s"\nschools = "schools.csv"\npupils = "pupils.csv"\n[distance]\nmetric = "walking"\nosm = "streets.osm.gz"\n' "$sp" > "$dir/walking.toml"
  /usr/bin/time -f '%e %M' -o "$dir/time" ./target/release/catchment solve "$dir/walking.toml" -o "$dir/out" > "$dir/stdout"
  read -r secs kb < "$dir/time"
  status=$(grep '^status' "$dir/stdout" | awk '{print $2}')
  printf '| %s | %s | %s | %s | %s |\n' "$sp" "$(( $(stat -c %s "$dir/streets.osm.gz") / 1024 ))" "$secs" "$(( kb / 1024 ))" "$status"
done
