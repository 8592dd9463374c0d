#!/usr/bin/env python3
"""Expected metric values from networkx, for tests/data/metrics.rs.

    python3 networkx_expected.py karate OUT_EDGES OUT_JSON
    python3 networkx_expected.py ties TIES_TSV OUT_JSON

`karate` writes Zachary's karate club as networkx ships it (`nx.karate_club_graph()`, 34
nodes, 78 edges) to OUT_EDGES, one `a b` line per edge, every weight 1 (the unweighted club,
the graph the modularity figures in the literature refer to), then its metrics to OUT_JSON.

`ties` reads a window graph as relmap builds it (`cargo run --example window_ties`:
`name<TAB>name<TAB>weight` per tie) and writes its metrics to OUT_JSON.

OUT_JSON: {"networkx": version, "nodes": {name: {"degree", "weighted_degree", "betweenness",
"closeness", "eigenvector", "pagerank"}}, "louvain_modularity": Q of
nx.community.louvain_communities(G, weight="weight", seed=0), "partitions": [{"membership":
{name: part}, "modularity": Q}]}, every metric with networkx's defaults:
betweenness_centrality(G), closeness_centrality(G), eigenvector_centrality(G,
weight="weight"), pagerank(G, weight="weight"). The partitions (the club's split for the
karate club, networkx's Louvain result for both) check relmap's modularity function.

Needs networkx (and scipy for pagerank): python3 -m venv /tmp/nxenv &&
/tmp/nxenv/bin/pip install networkx scipy
"""

import json
import sys

import networkx as nx


def metrics(g):
    degree = dict(g.degree())
    weighted = dict(g.degree(weight="weight"))
    betweenness = nx.betweenness_centrality(g)
    closeness = nx.closeness_centrality(g)
    eigenvector = nx.eigenvector_centrality(g, weight="weight")
    pagerank = nx.pagerank(g, weight="weight")
    nodes = {
        str(v): {
            "degree": degree[v],
            "weighted_degree": weighted[v],
            "betweenness": betweenness[v],
            "closeness": closeness[v],
            "eigenvector": eigenvector[v],
            "pagerank": pagerank[v],
        }
        for v in g.nodes
    }
    louvain = nx.community.louvain_communities(g, weight="weight", seed=0)
    q = nx.community.modularity(g, louvain, weight="weight")
    membership = {str(v): i for i, part in enumerate(louvain) for v in part}
    return {
        "networkx": nx.__version__,
        "nodes": nodes,
        "louvain_modularity": q,
        "partitions": [{"name": "networkx louvain, seed 0", "membership": membership, "modularity": q}],
    }


def main():
    mode = sys.argv[1]
    if mode == "karate":
        out_edges, out_json = sys.argv[2], sys.argv[3]
        club = nx.karate_club_graph()
        g = nx.Graph()
        g.add_nodes_from(club.nodes)
        g.add_edges_from(club.edges, weight=1)
        assert g.number_of_nodes() == 34 and g.number_of_edges() == 78
        with open(out_edges, "w") as f:
            f.write("# Zachary's karate club as networkx.karate_club_graph() ships it: a b per edge\n")
            for a, b in sorted(g.edges):
                f.write(f"{a} {b}\n")
        result = metrics(g)
        split = [
            {v for v in club.nodes if club.nodes[v]["club"] == name}
            for name in ("Mr. Hi", "Officer")
        ]
        result["partitions"].append(
            {
                "name": "the club's split",
                "membership": {str(v): i for i, part in enumerate(split) for v in part},
                "modularity": nx.community.modularity(g, split, weight="weight"),
            }
        )
    elif mode == "ties":
        ties, out_json = sys.argv[2], sys.argv[3]
        g = nx.Graph()
        with open(ties, encoding="utf-8") as f:
            for line in f:
                if line.startswith("#") or not line.strip():
                    continue
                a, b, w = line.rstrip("\n").split("\t")
                g.add_edge(a, b, weight=float(w))
        result = metrics(g)
    else:
        sys.exit(f"unknown mode {mode!r}: karate or ties")
    with open(out_json, "w", encoding="utf-8") as f:
        json.dump(result, f, indent=1, sort_keys=True, ensure_ascii=False)
        f.write("\n")


if __name__ == "__main__":
    main()
