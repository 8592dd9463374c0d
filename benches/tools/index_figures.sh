#!/usr/bin/env bash
# The event index's figures (README, Performance ▸ The event index): ten generated 1,000,000-row
# GDELT 2.0 files, indexed, then `relmap stats` on the index side by side with `relmap stats` on
# the files (the in-memory load), each under /usr/bin/time -v (wall time, peak resident set).
#   bash benches/tools/index_figures.sh [RUNS]      (needs `cargo build --release` first)
set -euo pipefail
cd "$(dirname "$0")/../.."
runs=${1:-3}
bin=target/release/relmap
dir=target/index-data
mkdir -p "$dir"
files=()
for i in $(seq 1 10); do
  f="$dir/gdelt-$i.CSV"
  [ -e "$f" ] || python3 benches/tools/gen_gdelt.py --rows 1000000 --seed "$i" --out "$f"
  files+=("$f")
done
measure() { # label, command…
  local label=$1; shift
  /usr/bin/time -v "$@" >"$dir/out.json" 2>"$dir/time.txt" || { cat "$dir/time.txt"; exit 1; }
  local wall rss
  wall=$(grep 'Elapsed (wall clock)' "$dir/time.txt" | awk '{print $NF}')
  rss=$(grep 'Maximum resident' "$dir/time.txt" | awk '{print $NF}')
  printf '%-40s %10s s %8d MiB\n' "$label" "$wall" $((rss / 1024))
}
echo "what                                      wall        peak RSS"
for r in $(seq 1 "$runs"); do
  measure "index 10 files (build)" $bin index "${files[@]}" --out "$dir/gdelt-10m.relidx"
done
for r in $(seq 1 "$runs"); do
  measure "stats of the index (open)" $bin stats "$dir/gdelt-10m.relidx"
  cp "$dir/out.json" "$dir/stats-index.json"
  measure "stats of the 10 files (in-memory load)" $bin stats "${files[@]}"
  cp "$dir/out.json" "$dir/stats-raw.json"
done
$bin index "${files[@]:0:9}" --out "$dir/gdelt-9m.relidx" 2>/dev/null
for r in $(seq 1 "$runs"); do
  cp "$dir/gdelt-9m.relidx" "$dir/append.relidx"
  measure "append the 10th file to a 9-file index" $bin index --append "${files[9]}" --out "$dir/append.relidx"
done
# Not byte for byte: the parallel GDELT reader numbers actors and types in the order its
# workers meet them, which varies from run to run; what they are and their events do not.
cmp <($bin stats --actors "$dir/append.relidx") <($bin stats --actors "$dir/gdelt-10m.relidx") \
  && echo "appended index = index built at once (stats --actors)"
diff "$dir/stats-index.json" "$dir/stats-raw.json" && echo "stats: same events, actors, dates"
cat "$dir/stats-index.json"
