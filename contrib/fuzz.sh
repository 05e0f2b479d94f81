#!/usr/bin/env bash
# Run the cargo-fuzz targets of tests/fuzz for a bounded time each (not a
# test; CI replays the corpora on stable with `cargo test --test
# fuzz_replay`). Needs `cargo install cargo-fuzz`; works on stable through
# RUSTC_BOOTSTRAP=1. New inputs go to a scratch corpus (FUZZ_WORK), so the
# committed seeds stay hand-made; crashes land in tests/fuzz/artifacts/.
#   contrib/fuzz.sh [SECONDS] [TARGET...]     (default: 60 s, every target)
set -euo pipefail
cd "$(dirname "$0")/.."
secs="${1:-60}"
shift || true
work="${FUZZ_WORK:-/tmp/rctl-fuzz-work}"
if [ "$#" -eq 0 ]; then
  set -- $(sed -n 's/^name = "\(.*\)"$/\1/p' tests/fuzz/Cargo.toml | grep -v '^rctl-fuzz$')
fi
export RUSTC_BOOTSTRAP=1
cargo fuzz build --fuzz-dir tests/fuzz
for t in "$@"; do
  mkdir -p "$work/$t"
  log="$work/$t.log"
  status=ok
  cargo fuzz run --fuzz-dir tests/fuzz "$t" "$work/$t" "tests/fuzz/corpus/$t" -- \
    -max_total_time="$secs" -print_final_stats=1 >"$log" 2>&1 || status=CRASH
  runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
  echo "$t: $status, ${runs:-?} execs in ${secs} s (log: $log)"
done
