#!/usr/bin/env python3
"""Peer benchmark: igraph's Fruchterman-Reingold layout, per iteration.

    python3 peer_igraph.py EDGELIST [--niter 50,100,200] [--runs 5] [--dump OUT]

EDGELIST is what `cargo bench --bench force` writes (target/bench-data/graph-A-E.txt):
a first line `# nodes N edges M`, then `a b weight` per edge. The graph is loaded into an
undirected python-igraph Graph (pip package `igraph`) with the weights as edge attribute.

For each niter in --niter, `g.layout_fruchterman_reingold(niter=niter, weights="weight")`
runs --runs times, everything else igraph's default: its own random start (python-igraph
draws from Python's `random`, seeded with 42 before every call, so every run does the same
work) and grid="auto", which uses the grid above 1,000 nodes. The start matters: from a
uniform square of side 2·sqrt(n) instead, an iteration on the 10k graph costs about 10 ms
rather than 2.5-3 ms, because the grid cells hold more nodes. The per-iteration
time is the least-squares slope of the median time against niter, which leaves out the
per-call setup (copying the graph, building the result); the largest niter's median / niter is
printed too. One JSON line goes to stdout:

    {"tool": "igraph", "version": ..., "nodes": N, "edges": M, "per_iter_ms": ...,
     "per_iter_ms_plain": ..., "medians_s": {niter: s, ...}, "runs": R}

With --dump OUT it also writes igraph's settled layout (FR with its default niter=500, same
seeded start) to OUT, `x y` per line, for benches/tools/render_layouts.py.
"""

import argparse
import json
import random
import statistics
import sys
import time


def load(path):
    import igraph

    nodes = None
    edges, weights = [], []
    with open(path) as f:
        for line in f:
            if line.startswith("#"):
                parts = line.split()
                if "nodes" in parts:
                    nodes = int(parts[parts.index("nodes") + 1])
                continue
            a, b, w = line.split()
            edges.append((int(a), int(b)))
            weights.append(float(w))
    if nodes is None:
        nodes = 1 + max(max(e) for e in edges)
    g = igraph.Graph(n=nodes, edges=edges, directed=False)
    g.es["weight"] = weights
    return g


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("edgelist")
    ap.add_argument("--niter", default="50,100,200")
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--dump")
    args = ap.parse_args()
    import igraph

    g = load(args.edgelist)
    niters = [int(x) for x in args.niter.split(",")]
    g.layout_fruchterman_reingold(niter=5, weights="weight")  # warm-up
    medians = {}
    for n in niters:
        times = []
        for _ in range(args.runs):
            random.seed(42)
            t = time.perf_counter()
            g.layout_fruchterman_reingold(niter=n, weights="weight")
            times.append(time.perf_counter() - t)
        medians[n] = statistics.median(times)
    xs = niters
    ys = [medians[n] for n in niters]
    if len(xs) > 1:
        mx, my = statistics.fmean(xs), statistics.fmean(ys)
        slope = sum((x - mx) * (y - my) for x, y in zip(xs, ys)) / sum((x - mx) ** 2 for x in xs)
    else:
        slope = ys[0] / xs[0]
    print(
        json.dumps(
            {
                "tool": "igraph",
                "version": igraph.__version__,
                "nodes": g.vcount(),
                "edges": g.ecount(),
                "per_iter_ms": slope * 1e3,
                "per_iter_ms_plain": ys[-1] / xs[-1] * 1e3,
                "medians_s": medians,
                "runs": args.runs,
            }
        )
    )
    if args.dump:
        random.seed(42)
        t = time.perf_counter()
        layout = g.layout_fruchterman_reingold(weights="weight")
        print(f"igraph FR default (niter=500): {time.perf_counter() - t:.2f} s", file=sys.stderr)
        with open(args.dump, "w") as f:
            for x, y in layout.coords:
                f.write(f"{x} {y}\n")


if __name__ == "__main__":
    main()
