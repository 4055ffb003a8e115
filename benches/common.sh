# Shared set-up of the bench scripts (sourced, from the repository root):
# GNU time for wall, CPU and peak memory, a release build, `bin` (the
# binary) and `out` (target/bench/NAME, made if missing).
#
#   source benches/common.sh && bench_setup intake
bench_setup() {
  if [ ! -x /usr/bin/time ]; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq time >/dev/null
  fi
  cargo build --release --quiet
  bin=target/release/catchment
  out=target/bench${1:+/$1}
  mkdir -p "$out"
}

# The header of a paired bench's CSV (see `solve_case` and paired_table.py).
paired_csv_header() {
  echo "family,seed,case,total_s,cpu_s,peak_mb,mip_rounds,arcs,regimes_fixed,regime_nodes,status,objective_m"
}

# One whole `solve` of scenario $5 by binary $4 under GNU time, appended to
# "$csv" as family $1, seed $2, case $3 ("catchment" or "baseline"); the
# output folder is "$out/$1-$2-$3" (spaces as underscores).
solve_case() {
  local dir="$out/$1-$2-$3"
  dir="${dir// /_}"
  /usr/bin/time -f "%e %U %S %M" -o "$dir.time" "$4" solve "$5" -o "$dir" > "$dir.log"
  read -r wall user sys peak_kb < "$dir.time"
  python3 - "$dir/summary.json" "$1,$2,$3" "$wall" "$user" "$sys" "$peak_kb" >> "$csv" <<'PY'
import json, sys
s = json.load(open(sys.argv[1]))
m = s["model"]
cpu = float(sys.argv[4]) + float(sys.argv[5])
fields = [m.get(k, 0) for k in ("mip_rounds", "arcs", "regimes_fixed", "regime_nodes")]
print(",".join(str(v) for v in [sys.argv[2], sys.argv[3], f"{cpu:.2f}", int(sys.argv[6]) // 1024, *fields,
      s["status"], f'{s["objective_m"] or 0:.3f}']))
PY
}
