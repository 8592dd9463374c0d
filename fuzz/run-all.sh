#!/usr/bin/env bash
# Runs every fuzz target for SECONDS (default 600) each, three at a time, keeping the corpus
# in fuzz/corpus/TARGET. Leak detection is off: the GDELT and ICEWS readers run worker
# threads, and LeakSanitizer reports the standard library's per-thread channel context of a
# thread that is just exiting (112 bytes in std::sync::mpmc::context) as a leak. The machine's stable toolchain builds cargo-fuzz's instrumented binaries
# with RUSTC_BOOTSTRAP=1 (no nightly toolchain can be fetched here).
#   cargo install cargo-fuzz && bash fuzz/run-all.sh [SECONDS]
set -euo pipefail
cd "$(dirname "$0")"
seconds=${1:-600}
targets=(auto native_csv native_json gdelt acled icews ucdp zip gzip xlsx parquet)
export RUSTC_BOOTSTRAP=1
cargo fuzz build -O
mkdir -p logs
run() {
  cargo fuzz run -O "$1" "corpus/$1" -- -max_total_time="$seconds" -max_len=16384 \
    -rss_limit_mb=2048 -timeout=10 -detect_leaks=0 -print_final_stats=1 >"logs/$1.log" 2>&1
  echo "$1: $(grep -E 'stat::number_of_executed_units|Done' "logs/$1.log" | tr '\n' ' ')"
}
for ((i = 0; i < ${#targets[@]}; i += 3)); do
  for t in "${targets[@]:i:3}"; do
    run "$t" &
  done
  wait
done
