#!/usr/bin/env python3
"""Checks a GEXF file written by `relmap convert IN OUT.gexf` with networkx's reader.

    python3 check_gexf.py OUT.gexf NODES EDGES

Reads OUT.gexf with nx.read_gexf (its default version, 1.2draft), and exits 1 unless it has
NODES nodes and EDGES edges (relmap's actors with events and actor pairs: `relmap stats
--actors IN` and the "ties" of `relmap metrics IN`), every node has kind, events and spells,
and every edge a weight and spells. Needs networkx (pip install networkx).
"""

import sys

import networkx as nx


def main():
    path, nodes, edges = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    g = nx.read_gexf(path)
    problems = []
    if g.number_of_nodes() != nodes:
        problems.append(f"{g.number_of_nodes()} nodes, expected {nodes}")
    if g.number_of_edges() != edges:
        problems.append(f"{g.number_of_edges()} edges, expected {edges}")
    for v, data in g.nodes(data=True):
        if not all(k in data for k in ("kind", "events", "spells")):
            problems.append(f"node {v} lacks kind, events or spells: {data}")
            break
    for a, b, data in g.edges(data=True):
        if "weight" not in data or "spells" not in data:
            problems.append(f"edge {a}-{b} lacks weight or spells: {data}")
            break
    print(f"{path}: {g.number_of_nodes()} nodes, {g.number_of_edges()} edges (networkx {nx.__version__})")
    for p in problems:
        print("  " + p)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
