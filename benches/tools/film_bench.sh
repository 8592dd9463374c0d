#!/usr/bin/env bash
# Seconds per film frame after the first (`relmap animate`, issue 14): on a 10,000-actor /
# 60,000-event GDELT-shaped file at 1280 × 720 with the force layout,
#   (wall time of a 40-frame film − wall time of one `relmap render`) / 40,
# for a GIF and an MP4, medians of RUNS alternating runs; and the size of the bundled sample's
# 25-frame month-by-month film at 800 × 500.
#
#   cargo build --release && bash benches/tools/film_bench.sh [RUNS]
#
# The data: gen_gdelt.py's 60,000 rows hold ~8,900 actors; every 40th row's Actor1Name gets a
# numbered office suffix, which brings the file to ~10,300 distinct actors.
set -euo pipefail
cd "$(dirname "$0")/../.."
RUNS=${1:-3}
BIN=${RELMAP:-target/release/relmap}
WORK=${WORK:-/tmp/relmap-film-bench}
mkdir -p "$WORK"
DATA="$WORK/gdelt_10k_actors.CSV"
if [ ! -s "$DATA" ]; then
  python3 benches/tools/gen_gdelt.py --rows 60000 --out "$WORK/gdelt60k.CSV" >/dev/null
  python3 - "$WORK/gdelt60k.CSV" "$DATA" <<'PY'
import sys
src, dst = sys.argv[1:]
with open(src, encoding="utf-8") as f, open(dst, "w", encoding="utf-8") as out:
    k = 0
    for i, line in enumerate(f):
        fields = line.rstrip("\n").split("\t")
        if i % 40 == 7 and fields[6]:
            fields[6] = f"{fields[6]} OFFICE {k}"
            k += 1
        out.write("\t".join(fields) + "\n")
PY
fi
"$BIN" stats "$DATA" | python3 -c 'import json,sys; d=json.load(sys.stdin); print("data:", d["events"], "events,", d["actors"], "actors,", d["first"], "to", d["last"])'

# 40 weekly frames, each the 4 weeks up to it.
FILM=(--from 2018-12-31 --to 2019-10-06 --step week --window 4w --size 1280x720 --layout force)
seconds() { local t0 t1; t0=$(date +%s.%N); "$@" >/dev/null 2>&1; t1=$(date +%s.%N); echo "$t1 - $t0" | bc -l; }
median() { sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
render=(); gif=(); mp4=()
for _ in $(seq "$RUNS"); do
  render+=("$(seconds "$BIN" render "$DATA" --from 2019-09-09 --to 2019-10-06 --size 1280x720 --layout force --out "$WORK/one.png")")
  gif+=("$(seconds "$BIN" animate "$DATA" "${FILM[@]}" --out "$WORK/film.gif")")
  mp4+=("$(seconds "$BIN" animate "$DATA" "${FILM[@]}" --out "$WORK/film.mp4")")
done
r=$(printf '%s\n' "${render[@]}" | median)
g=$(printf '%s\n' "${gif[@]}" | median)
m=$(printf '%s\n' "${mp4[@]}" | median)
frames=40
printf 'one render %.2f s (runs: %s)\n' "$r" "${render[*]}"
printf 'GIF  40 frames %.2f s (runs: %s) -> %.3f s per frame after the first, %s bytes\n' "$g" "${gif[*]}" "$(echo "($g - $r) / $frames" | bc -l)" "$(stat -c %s "$WORK/film.gif")"
printf 'MP4  40 frames %.2f s (runs: %s) -> %.3f s per frame after the first, %s bytes\n' "$m" "${mp4[*]}" "$(echo "($m - $r) / $frames" | bc -l)" "$(stat -c %s "$WORK/film.mp4")"

"$BIN" animate assets/sample/belarus-iran.csv --from 2023-03 --to 2025-03 --step month --window 3mo \
  --size 800x500 --out "$WORK/sample.gif" 2>/dev/null
printf 'sample: 25 frames, 800 x 500 GIF, %s bytes\n' "$(stat -c %s "$WORK/sample.gif")"
