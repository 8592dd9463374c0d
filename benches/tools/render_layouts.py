#!/usr/bin/env python3
"""Renders settled layouts of one graph side by side, to judge how clearly they separate
the clusters.

    python3 render_layouts.py GRAPH.txt GROUPS.txt OUT.png NAME=POSITIONS.txt [NAME=...]

GRAPH.txt: `a b weight` per line (what `cargo bench --bench force` writes); GROUPS.txt: one
group (country) per node; each POSITIONS.txt: `x y` per node. Edges are thin translucent
lines, nodes dots coloured by group (the 12 largest groups get their own colour, the rest
grey), each layout fitted to its own square panel. Needs Pillow.

The script also prints, per layout, a separation score: the median over nodes of
(mean distance to nodes of other groups) / (mean distance to nodes of the own group),
estimated on a sample; higher means the groups stand apart more clearly.
"""

import random
import statistics
import sys

from PIL import Image, ImageDraw

SIZE = 1000
PALETTE = [
    (230, 25, 75), (60, 180, 75), (0, 130, 200), (245, 130, 48), (145, 30, 180),
    (70, 240, 240), (240, 50, 230), (170, 110, 40), (0, 128, 128), (128, 0, 0),
    (128, 128, 0), (0, 0, 128),
]


def read_points(path):
    with open(path) as f:
        return [tuple(map(float, line.split()[:2])) for line in f if line.strip()]


def read_edges(path):
    out = []
    with open(path) as f:
        for line in f:
            if line.startswith("#") or not line.strip():
                continue
            a, b, _ = line.split()
            out.append((int(a), int(b)))
    return out


def separation(points, groups, samples=400, seed=1):
    rng = random.Random(seed)
    n = len(points)
    by_group = {}
    for i, g in enumerate(groups):
        by_group.setdefault(g, []).append(i)
    ratios = []
    nodes = [i for i in range(n) if len(by_group[groups[i]]) > 3]
    for i in rng.sample(nodes, min(samples, len(nodes))):
        own = [j for j in by_group[groups[i]] if j != i]
        other = rng.sample(range(n), min(200, n))
        other = [j for j in other if groups[j] != groups[i]]
        d = lambda j: ((points[i][0] - points[j][0]) ** 2 + (points[i][1] - points[j][1]) ** 2) ** 0.5
        d_own = statistics.fmean(d(j) for j in own)
        d_other = statistics.fmean(d(j) for j in other)
        if d_own > 0:
            ratios.append(d_other / d_own)
    return statistics.median(ratios)


def panel(points, edges, groups, title):
    img = Image.new("RGB", (SIZE, SIZE + 30), "white")
    draw = ImageDraw.Draw(img, "RGBA")
    xs = sorted(p[0] for p in points)
    ys = sorted(p[1] for p in points)
    # Fit the 0.5..99.5 percentile box, so one far outlier does not shrink the picture.
    k = max(0, len(xs) // 200)
    lo_x, hi_x, lo_y, hi_y = xs[k], xs[-1 - k], ys[k], ys[-1 - k]
    span = max(hi_x - lo_x, hi_y - lo_y) or 1.0
    cx, cy = (lo_x + hi_x) / 2, (lo_y + hi_y) / 2
    to = lambda p: (
        SIZE / 2 + (p[0] - cx) / span * (SIZE - 40),
        30 + SIZE / 2 + (p[1] - cy) / span * (SIZE - 40),
    )
    screen = [to(p) for p in points]
    alpha = max(6, min(60, int(6000 / max(1, len(edges)) * 10)))
    for a, b in edges:
        draw.line([screen[a], screen[b]], fill=(90, 90, 90, alpha), width=1)
    sizes = {}
    for g in groups:
        sizes[g] = sizes.get(g, 0) + 1
    top = {g: PALETTE[i] for i, (g, _) in enumerate(sorted(sizes.items(), key=lambda t: -t[1])[:12])}
    r = 2 if len(points) > 3000 else 3
    for (x, y), g in zip(screen, groups):
        col = top.get(g, (170, 170, 170))
        draw.ellipse([x - r, y - r, x + r, y + r], fill=col + (220,))
    draw.text((10, 8), title, fill=(0, 0, 0))
    return img


def main():
    if len(sys.argv) < 5:
        print(__doc__)
        sys.exit(2)
    graph, groups_path, out = sys.argv[1:4]
    edges = read_edges(graph)
    groups = [int(line) for line in open(groups_path) if line.strip()]
    panels = []
    for spec in sys.argv[4:]:
        name, path = spec.split("=", 1)
        pts = read_points(path)
        score = separation(pts, groups)
        print(f"{name}: separation {score:.2f}")
        panels.append(panel(pts, edges, groups, f"{name}  ({len(pts)} nodes, separation {score:.2f})"))
    img = Image.new("RGB", (SIZE * len(panels), SIZE + 30), "white")
    for i, p in enumerate(panels):
        img.paste(p, (i * SIZE, 0))
    img.save(out)
    print(f"wrote {out}")


if __name__ == "__main__":
    main()
