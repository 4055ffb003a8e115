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
