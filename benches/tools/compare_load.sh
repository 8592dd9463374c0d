#!/usr/bin/env bash
# Side-by-side load benchmark: relmap vs polars on a generated GDELT 2.0 events export.
#
#   bash benches/tools/compare_load.sh [ROWS]          (ROWS default 1000000)
#
# 1. Generates target/bench-data/gdelt2-ROWS.tsv with gen_gdelt.py unless it exists.
# 2. Warms the page cache, then runs, alternating, RUNS times each (default 5):
#      target/release/relmap stats --format gdelt FILE > /dev/null
#      python3 benches/tools/peer_polars.py FILE --runs 1
#    each under `/usr/bin/time -f "%e %M"` (wall seconds, max RSS KiB).
# 3. Prints medians of wall time and peak RSS for both, relmap/polars time ratio,
#    and relmap's peak RSS as a multiple of the file size. polars' wall time
#    includes starting Python and importing polars; its read_csv time alone
#    (median of peer_polars.py's own timer) is printed too.
#
# Build relmap first (cargo build --release); this script does not build.
# Environment: RUNS (default 5); PYTHON (default python3); RELMAP_CMD, the command
# FILE is appended to (default "target/release/relmap stats --format gdelt"), e.g.
# RELMAP_CMD="wc -l" to try the script without relmap.
set -euo pipefail

ROWS="${1:-1000000}"
RUNS="${RUNS:-5}"
PYTHON="${PYTHON:-python3}"
RELMAP_CMD="${RELMAP_CMD:-target/release/relmap stats --format gdelt}"

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$ROOT"
TOOLS=benches/tools
DATA=target/bench-data
FILE="$DATA/gdelt2-$ROWS.tsv"

if [[ ! -x /usr/bin/time ]]; then
    echo "installing GNU time (/usr/bin/time is missing)" >&2
    SUDO=""; [[ $(id -u) -ne 0 ]] && SUDO="sudo"
    $SUDO apt-get update -qq && $SUDO apt-get install -y -qq time >/dev/null
fi

read -r -a relmap_argv <<<"$RELMAP_CMD"
if ! command -v "${relmap_argv[0]}" >/dev/null 2>&1; then
    echo "error: ${relmap_argv[0]} not found; build it first: cargo build --release" >&2
    exit 1
fi
if ! "$PYTHON" -c "import polars" 2>/dev/null; then
    echo "error: polars is not installed for $PYTHON (pip install polars)" >&2
    exit 1
fi

if [[ ! -s "$FILE" ]]; then
    mkdir -p "$DATA"
    echo "generating $FILE" >&2
    "$PYTHON" "$TOOLS/gen_gdelt.py" --rows "$ROWS" --out "$FILE" >&2
fi
FILE_BYTES=$(stat -c %s "$FILE")
cat "$FILE" >/dev/null  # warm the page cache so neither side pays for the first read

TMP="$(mktemp -d)"
trap 'rm -rf "$TMP"' EXIT

# run_timed NAME OUTFILE CMD...: run CMD under /usr/bin/time, append "wall_s maxrss_kib" to $TMP/NAME.
run_timed() {
    local name="$1" out="$2"; shift 2
    if ! /usr/bin/time -f "%e %M" -o "$TMP/time.txt" "$@" >"$out"; then
        echo "error: $name run failed: $*" >&2
        cat "$TMP/time.txt" >&2 || true
        exit 1
    fi
    tail -n 1 "$TMP/time.txt" >>"$TMP/$name.txt"  # last line: time may print "Command exited ..." first
}

for ((i = 1; i <= RUNS; i++)); do
    echo "run $i/$RUNS" >&2
    run_timed relmap /dev/null "${relmap_argv[@]}" "$FILE"
    run_timed polars "$TMP/polars.json" "$PYTHON" "$TOOLS/peer_polars.py" "$FILE" --runs 1
    cat "$TMP/polars.json" >>"$TMP/polars_json.txt"
done

"$PYTHON" - "$TMP" "$FILE" "$FILE_BYTES" "$ROWS" "$RELMAP_CMD" <<'EOF'
import json, statistics, sys
tmp, path, size, rows, relmap_cmd = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4], sys.argv[5]

def load(name):
    pairs = [line.split() for line in open(f"{tmp}/{name}.txt") if line.strip()]
    wall = [float(w) for w, _ in pairs]
    rss_mib = [int(k) / 1024 for _, k in pairs]
    return wall, rss_mib

rw, rr = load("relmap")
pw, pr = load("polars")
pj = [json.loads(line) for line in open(f"{tmp}/polars_json.txt") if line.strip()]
read_s = statistics.median(j["median_s"] for j in pj)
r_wall, r_rss = statistics.median(rw), statistics.median(rr)
p_wall, p_rss = statistics.median(pw), statistics.median(pr)
mib = size / 2**20
print(f"file: {path}  ({rows} rows, {size} bytes = {mib:.1f} MiB)")
print(f"runs: {len(rw)} each, alternating; relmap = `{relmap_cmd} FILE`; polars {pj[0]['version']} "
      f"({pj[0]['threads']} threads), rows read: {pj[0]['rows']}")
print(f"{'':8} {'median wall s':>14} {'median peak RSS MiB':>20}   all wall s")
print(f"{'relmap':8} {r_wall:14.2f} {r_rss:20.1f}   {rw}")
print(f"{'polars':8} {p_wall:14.2f} {p_rss:20.1f}   {pw}   (read_csv alone: {read_s:.2f} s)")
print(f"time ratio relmap/polars: {r_wall / p_wall:.2f} (wall); {r_wall / read_s:.2f} (vs read_csv alone)")
print(f"relmap peak RSS / file size: {r_rss / mib:.2f}x   (polars: {p_rss / mib:.2f}x)")
EOF
