#!/usr/bin/env bash
# Side-by-side force layout benchmark: one relmap ForceAtlas2 step vs one igraph
# Fruchterman-Reingold iteration on the same synthetic 10,000-actor / 50,000-pair graph.
#
#   bash benches/tools/compare_force.sh
#
# 1. RUNS times (default 3): `cargo bench --no-default-features --bench force --
#    force_step/relmap_10k_50k` (the bench needs no GUI)
#    (writes target/bench-data/graph-10000-50000.txt on the way), reading criterion's median
#    from $CARGO_TARGET_DIR/criterion (or target/criterion).
# 2. RUNS times: benches/tools/peer_igraph.py on that edge list (its own per-iteration
#    median, the slope over niter 50/100/200 with 5 runs each).
#    Each relmap run is repeated with RAYON_NUM_THREADS=1, since igraph uses one thread.
#    relmap and igraph runs alternate (a shared VM's speed drifts by 2x over minutes).
# 3. Prints the median of each and the ratio relmap/igraph (below 1: relmap is faster).
#
# Environment: RUNS (default 3); PYTHON, a Python with `igraph` installed (default
# python3; e.g. python3 -m venv /tmp/venv && /tmp/venv/bin/pip install igraph, then
# PYTHON=/tmp/venv/bin/python); CARGO_TARGET_DIR as for cargo.
set -euo pipefail

RUNS="${RUNS:-3}"
PYTHON="${PYTHON:-python3}"
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$ROOT"
TARGET="${CARGO_TARGET_DIR:-$ROOT/target}"
GRAPH=target/bench-data/graph-10000-50000.txt
EST="$TARGET/criterion/force_step/relmap_10k_50k/new/estimates.json"

if ! "$PYTHON" -c "import igraph" 2>/dev/null; then
    echo "error: igraph is not installed for $PYTHON (pip install igraph; set PYTHON)" >&2
    exit 1
fi

median_ms() {
    "$PYTHON" -c 'import json,sys; print(json.load(open(sys.argv[1]))["median"]["point_estimate"] / 1e6)' "$EST"
}
relmap_ms=()
relmap1_ms=()
igraph_ms=()
# Alternating, so that a machine whose speed drifts (a shared VM) treats both alike.
for ((i = 1; i <= RUNS; i++)); do
    echo "run $i/$RUNS: relmap" >&2
    cargo bench --no-default-features --bench force -- --noplot force_step/relmap_10k_50k >&2
    relmap_ms+=("$(median_ms)")
    # igraph's layout runs on one thread: relmap on one thread too, for the record.
    RAYON_NUM_THREADS=1 cargo bench --no-default-features --bench force -- --noplot \
        force_step/relmap_10k_50k >&2
    relmap1_ms+=("$(median_ms)")
    echo "run $i/$RUNS: igraph" >&2
    line="$("$PYTHON" benches/tools/peer_igraph.py "$GRAPH")"
    echo "$line" >&2
    igraph_ms+=("$("$PYTHON" -c 'import json,sys; print(json.loads(sys.argv[1])["per_iter_ms"])' "$line")")
done

"$PYTHON" - "${relmap_ms[*]}" "${igraph_ms[*]}" "${relmap1_ms[*]}" "$(nproc)" <<'PY'
import statistics, sys
r = [float(x) for x in sys.argv[1].split()]
g = [float(x) for x in sys.argv[2].split()]
r1 = [float(x) for x in sys.argv[3].split()]
rm, gm, r1m = statistics.median(r), statistics.median(g), statistics.median(r1)
print(f"graph: target/bench-data/graph-10000-50000.txt (10,000 actors, 50,000 pairs + affiliation ties)")
print(f"relmap ForceLayout::step   median {rm:7.3f} ms   runs {['%.3f' % x for x in r]}   ({sys.argv[4]} CPUs)")
print(f"  the same on one thread     median {r1m:7.3f} ms   runs {['%.3f' % x for x in r1]}")
print(f"igraph FR, per iteration   median {gm:7.3f} ms   runs {['%.3f' % x for x in g]}")
print(f"ratio relmap/igraph: {rm / gm:.2f}   (one thread: {r1m / gm:.2f})")
PY
