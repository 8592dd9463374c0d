#!/usr/bin/env python3
"""Peer benchmark for `cargo bench --bench metrics`: python-igraph on the same graphs.

    python3 compare_igraph.py [--runs 5] [--sizes 10000-50000,100000-500000]

Reads target/bench-data/metrics-A-E.txt (written by the bench: `# nodes N edges M`, then
`a b weight` per tie) into an undirected igraph Graph with the weights as edge attribute and
times, RUNS times each (median of wall time, and of CPU time: the machine may be busy),
with igraph's defaults otherwise:

    pagerank      g.pagerank(weights="weight", damping=0.85)          (PRPACK)
    eigenvector   g.eigenvector_centrality(weights="weight")          (ARPACK)
    leiden        g.community_leiden(objective_function="modularity", weights="weight")
    louvain       g.community_multilevel(weights="weight")
    betweenness   exact, up to 20,000 nodes: g.betweenness(directed=False) + g.closeness()
                  (relmap's pass gives both); sampled: g.betweenness(directed=False,
                  sources=S) with S the sources relmap drew (metrics-A-E.sources.txt, where
                  relmap samples), without closeness

igraph runs on one thread. Prints one JSON line per graph, then, where the bench's medians
are in target/criterion/metrics_Nk/*/new/estimates.json, a table of relmap's median, igraph's
and the ratio relmap / igraph (relmap's `louvain` is set against both igraph methods).

Needs python-igraph: python3 -m venv /tmp/nxenv && /tmp/nxenv/bin/pip install python-igraph
"""

import argparse
import json
import os
import statistics
import sys
import time

ROOT = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))


def load(path):
    import igraph

    nodes, edges, weights = None, [], []
    with open(path) as f:
        for line in f:
            if line.startswith("#"):
                parts = line.split()
                nodes = int(parts[parts.index("nodes") + 1])
                continue
            a, b, w = line.split()
            edges.append((int(a), int(b)))
            weights.append(float(w))
    g = igraph.Graph(n=nodes, edges=edges, directed=False)
    g.es["weight"] = weights
    return g


def median_time(work, runs):
    times, cpu = [], []
    for _ in range(runs):
        t, c = time.perf_counter(), time.process_time()
        work()
        times.append(time.perf_counter() - t)
        cpu.append(time.process_time() - c)
    return statistics.median(times), statistics.median(cpu)


def relmap_median(group, name):
    path = os.path.join(ROOT, "target", "criterion", group, name, "new", "estimates.json")
    try:
        with open(path) as f:
            return json.load(f)["median"]["point_estimate"] / 1e9
    except OSError:
        return None


def main():
    import igraph

    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--sizes", default="10000-50000,100000-500000")
    args = ap.parse_args()
    rows = []
    for size in args.sizes.split(","):
        actors, ties = size.split("-")
        base = os.path.join(ROOT, "target", "bench-data", f"metrics-{actors}-{ties}")
        g = load(base + ".txt")
        group = f"metrics_{int(actors) // 1000}k"
        result = {"tool": "igraph", "version": igraph.__version__, "nodes": g.vcount(), "edges": g.ecount()}
        timings = {
            "pagerank": lambda: g.pagerank(weights="weight", damping=0.85),
            "eigenvector": lambda: g.eigenvector_centrality(weights="weight"),
            "leiden": lambda: g.community_leiden(objective_function="modularity", weights="weight"),
            "louvain": lambda: g.community_multilevel(weights="weight"),
        }
        if g.vcount() <= 20000:
            timings["betweenness_exact"] = lambda: (g.betweenness(directed=False), g.closeness())
        sources_path = base + ".sources.txt"
        if os.path.exists(sources_path):
            with open(sources_path) as f:
                sources = [int(line) for line in f if line.strip()]
            timings["betweenness_sampled"] = lambda: g.betweenness(directed=False, sources=sources)
            result["sources"] = len(sources)
        measured = {name: median_time(work, args.runs) for name, work in timings.items()}
        medians = {name: wall for name, (wall, _) in measured.items()}
        result["medians_s"] = medians
        result["cpu_medians_s"] = {name: cpu for name, (_, cpu) in measured.items()}
        result["modularity_leiden"] = g.community_leiden(objective_function="modularity", weights="weight").modularity
        result["modularity_louvain"] = g.community_multilevel(weights="weight").modularity
        print(json.dumps(result), flush=True)
        for name, theirs in medians.items():
            ours_name = "louvain" if name in ("leiden", "louvain") else name
            ours = relmap_median(group, ours_name)
            rows.append((group, f"{ours_name} vs igraph {name}", ours, theirs))
    print(f"{'graph':12} {'measure':44} {'relmap s':>10} {'igraph s':>10} {'ratio':>7}")
    for group, name, ours, theirs in rows:
        ours_text = f"{ours:10.4f}" if ours is not None else f"{'-':>10}"
        ratio = f"{ours / theirs:7.2f}" if ours is not None else f"{'-':>7}"
        print(f"{group:12} {name:44} {ours_text} {theirs:10.4f} {ratio}")


if __name__ == "__main__":
    sys.exit(main())
