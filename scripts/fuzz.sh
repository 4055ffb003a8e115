#!/usr/bin/env bash
# Fuzzes every reader: each cargo-fuzz target in fuzz/ runs for SECONDS
# (default 60), seeded with the files of tests/fixtures (and scenarios/).
#
#   bash scripts/fuzz.sh [SECONDS] [TARGET ...]
#
# Needs cargo-fuzz (installed if missing) and libFuzzer's nightly flags,
# which a stable toolchain allows with RUSTC_BOOTSTRAP=1. The fuzz crate is
# its own workspace (fuzz/Cargo.toml): it is never part of the main build or
# of `cargo test --release`. Corpora grow in fuzz/corpus/TARGET, findings go
# to fuzz/artifacts/TARGET, logs to fuzz/logs/TARGET.log. A run longer than
# 10 s on one input counts as a hang. Prints runs and findings per target;
# exits 1 if any target found a panic or a hang.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-60}
shift || true
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(schools_csv pupils_csv locations spreadsheet baseline_csv assignments_csv scenario_toml district_plan area_geojson osm way_matrix)
command -v cargo-fuzz >/dev/null || cargo install cargo-fuzz
export RUSTC_BOOTSTRAP=1

# seed TARGET PREFIX FILE...: copies each file into fuzz/seeds/TARGET, with
# PREFIX before it (the CSV targets read their delimiter from the first byte:
# "0" is a comma).
seed() {
  local target=$1 prefix=$2
  shift 2
  mkdir -p "fuzz/seeds/$target"
  local f
  for f in "$@"; do
    [ -f "$f" ] || continue
    { printf '%s' "$prefix"; cat "$f"; } > "fuzz/seeds/$target/$(echo "$f" | tr '/' '_')"
  done
}
rm -rf fuzz/seeds
shopt -s nullglob globstar
seed schools_csv 0 tests/fixtures/**/schools*.csv
seed pupils_csv 0 tests/fixtures/**/pupils*.csv tests/fixtures/changes/forecast.csv
seed locations 0 tests/fixtures/**/pupils*.csv
seed locations @ tests/fixtures/office/utm32/pupils.csv
seed locations $'\x80' tests/fixtures/office/gk4/pupils.csv
seed spreadsheet "" tests/fixtures/**/*.xlsx tests/fixtures/**/*.ods
seed baseline_csv 0 tests/fixtures/stability/last-year.csv tests/fixtures/**/correct.csv
seed assignments_csv 0 tests/fixtures/audit/correct.csv tests/fixtures/audit/wrong/*.csv tests/fixtures/**/schools.csv
seed scenario_toml "" tests/fixtures/**/*.toml scenarios/*.toml
seed district_plan "" tests/fixtures/**/*.geojson scenarios/*.geojson
seed area_geojson "" tests/fixtures/**/*.geojson scenarios/*.geojson
seed osm "" tests/fixtures/walking/*.osm tests/fixtures/osm/Hoyerswerda.osm.pbf
# The way_matrix target's instance is the changes fixture (pupils p1.., schools A, B, C).
mkdir -p fuzz/seeds/way_matrix
printf '0pupil_id,school_id,distance_m\np1,A,120.5\np1,B,900\np2,C,1500\n' > fuzz/seeds/way_matrix/pupils.csv
printf '0unit_id,school_id,distance_m\nNorth 1,A,130\nNorth 2,B,0\n' > fuzz/seeds/way_matrix/units.csv
seed way_matrix 0 tests/fixtures/audit/wrong/distance.csv

dict_of() {
  case $1 in
    scenario_toml) echo fuzz/dict/scenario.dict ;;
    osm) echo fuzz/dict/osm.dict ;;
    district_plan | area_geojson) echo fuzz/dict/geojson.dict ;;
    *) echo fuzz/dict/csv.dict ;;
  esac
}

mkdir -p fuzz/logs
failed=0
summary=()
for target in "${targets[@]}"; do
  mkdir -p "fuzz/corpus/$target"
  log="fuzz/logs/$target.log"
  echo "fuzzing $target for ${seconds}s (log: $log)"
  status=0
  (cd fuzz && cargo fuzz run --sanitizer none --debug-assertions "$target" "corpus/$target" "seeds/$target" -- \
    -max_total_time="$seconds" -timeout=10 -rss_limit_mb=4096 -dict="../$(dict_of "$target")" -print_final_stats=1) \
    > "$log" 2>&1 || status=$?
  runs=$(grep -o 'Done [0-9]* runs' "$log" | awk '{print $2}' | tail -1)
  [ -n "$runs" ] || runs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | awk '{print $2}' | tail -1)
  findings=$(find "fuzz/artifacts/$target" -type f 2>/dev/null | wc -l)
  if [ "$status" -ne 0 ]; then
    failed=1
    summary+=("$target: FAILED after ${runs:-?} runs (exit $status), see $log and fuzz/artifacts/$target")
  else
    summary+=("$target: ${runs:-?} runs, 0 panics, 0 hangs (artifacts in folder: $findings)")
  fi
done
printf '%s\n' "${summary[@]}"
exit $failed
