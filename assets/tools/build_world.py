#!/usr/bin/env python3
"""Builds assets/world/countries-110m.txt, the world outline relmap draws under the map.

Input: `countries-110m.json` of the npm package `world-atlas` (TopoJSON of Natural Earth's
1:110m admin-0 countries). Get it with `npm pack world-atlas && tar xzf world-atlas-*.tgz`.

    python3 assets/tools/build_world.py package/countries-110m.json [assets/world/countries-110m.txt]

What it does (python3 standard library only):
- decodes the TopoJSON: quantized, delta-encoded arcs scaled by the topology's transform;
  a ring lists arc indices, a negative index ~i meaning arc i reversed; consecutive arcs share
  their joining point, which is kept once;
- makes each ring planar: the data is spherical, so Fiji, Russia (Chukotka, Wrangel Island)
  jump from +180° to -180° longitude and back. Each such ring is unwrapped to continuous
  longitudes and clipped into the [-180°, 180°] strips it covers, so no edge spans the map.
  Antarctica, which goes all the way round the pole, is closed along the pole line (-90°);
- rounds to 0.01° and drops repeated points and the ring's closing point.

Output format (text, one record per line):
    # comment
    C <ISO 3166-1 numeric id or -> <name>      starts a country
    <lon> <lat> <dlon> <dlat> <dlon> <dlat> ...   one ring of the country above
Coordinates are integers in hundredths of a degree: the first point absolute, every further
point as the difference to the one before. A ring closes back on its first point.
"""

import json
import math
import sys
from pathlib import Path

DEFAULT_OUT = Path(__file__).resolve().parent.parent / "world" / "countries-110m.txt"


def decode_arcs(topo):
    transform = topo.get("transform")
    arcs = []
    for arc in topo["arcs"]:
        points = []
        x = y = 0
        for position in arc:
            if transform:
                x += position[0]
                y += position[1]
                sx, sy = transform["scale"]
                tx, ty = transform["translate"]
                points.append((x * sx + tx, y * sy + ty))
            else:
                points.append((float(position[0]), float(position[1])))
        arcs.append(points)
    return arcs


def ring_points(arcs, indices):
    out = []
    for i in indices:
        arc = arcs[i] if i >= 0 else arcs[~i][::-1]
        out.extend(arc if not out else arc[1:])
    if len(out) > 1 and out[0] == out[-1]:
        out.pop()
    return out


def unwrap(ring):
    """Continuous longitudes (no step over 180°) and the ring's net turns round the pole."""
    out = [ring[0]]
    for lon, lat in ring[1:]:
        prev = out[-1][0]
        lon += 360.0 * round((prev - lon) / 360.0)
        out.append((lon, lat))
    closing = ring[0][0] + 360.0 * round((out[-1][0] - ring[0][0]) / 360.0)
    turns = round((closing - out[0][0]) / 360.0)
    return out, turns


def clip_half(ring, inside, cross):
    """Sutherland–Hodgman against one half-plane."""
    out = []
    n = len(ring)
    for i in range(n):
        cur, nxt = ring[i], ring[(i + 1) % n]
        if inside(cur):
            out.append(cur)
            if not inside(nxt):
                out.append(cross(cur, nxt))
        elif inside(nxt):
            out.append(cross(cur, nxt))
    return out


def at_lon(a, b, lon):
    t = (lon - a[0]) / (b[0] - a[0])
    return (lon, a[1] + t * (b[1] - a[1]))


def clip_strip(ring, lo, hi):
    ring = clip_half(ring, lambda p: p[0] >= lo, lambda a, b: at_lon(a, b, lo))
    if ring:
        ring = clip_half(ring, lambda p: p[0] <= hi, lambda a, b: at_lon(a, b, hi))
    return ring


def planar_rings(ring):
    """The ring as planar rings within [-180°, 180°] (several where it crosses the antimeridian)."""
    flat, turns = unwrap(ring)
    if turns != 0:
        # Round the pole: continue to the first point's copy one turn on, then along the pole.
        pole = -90.0 if sum(p[1] for p in flat) < 0 else 90.0
        end = flat[0][0] + 360.0 * turns
        flat = flat + [(end, flat[0][1]), (end, pole), (flat[0][0], pole)]
    lo = min(p[0] for p in flat)
    hi = max(p[0] for p in flat)
    if lo >= -180.0 and hi <= 180.0:
        return [flat]
    pieces = []
    for k in range(math.floor((lo + 180.0) / 360.0), math.floor((hi + 180.0) / 360.0) + 1):
        piece = clip_strip(flat, -180.0 + 360.0 * k, 180.0 + 360.0 * k)
        piece = [(lon - 360.0 * k, lat) for lon, lat in piece]
        if len(piece) >= 3:
            pieces.append(piece)
    return pieces


def quantise(ring):
    out = []
    for lon, lat in ring:
        p = (round(lon * 100.0), round(lat * 100.0))
        if not out or out[-1] != p:
            out.append(p)
    while len(out) > 1 and out[0] == out[-1]:
        out.pop()
    return out


def area2(ring):
    return sum(
        ring[i][0] * ring[(i + 1) % len(ring)][1] - ring[(i + 1) % len(ring)][0] * ring[i][1]
        for i in range(len(ring))
    )


def encode(ring):
    values = [ring[0][0], ring[0][1]]
    for (x0, y0), (x1, y1) in zip(ring, ring[1:]):
        values += [x1 - x0, y1 - y0]
    return " ".join(str(v) for v in values)


def main():
    if len(sys.argv) not in (2, 3):
        sys.exit(__doc__)
    source = Path(sys.argv[1])
    target = Path(sys.argv[2]) if len(sys.argv) == 3 else DEFAULT_OUT
    topo = json.loads(source.read_text(encoding="utf-8"))
    arcs = decode_arcs(topo)
    lines = []
    ring_count = point_count = 0
    for geometry in topo["objects"]["countries"]["geometries"]:
        kind = geometry.get("type")
        if kind == "Polygon":
            polygons = [geometry["arcs"]]
        elif kind == "MultiPolygon":
            polygons = geometry["arcs"]
        else:
            continue
        rings = []
        for polygon in polygons:
            for indices in polygon:
                for piece in planar_rings(ring_points(arcs, indices)):
                    q = quantise(piece)
                    if len(q) >= 3 and area2(q) != 0:
                        rings.append(q)
        if not rings:
            continue
        name = geometry.get("properties", {}).get("name", "").replace("\n", " ").strip()
        lines.append(f"C {geometry.get('id') or '-'} {name}")
        for ring in rings:
            lines.append(encode(ring))
            ring_count += 1
            point_count += len(ring)
    header = [
        "# relmap world outline: Natural Earth 1:110m admin-0 countries (public domain),",
        "# from countries-110m.json of the npm package world-atlas. See NOTICE.md.",
        "# Built by assets/tools/build_world.py (its docstring describes the format).",
        "# 'C <ISO numeric id> <name>' starts a country; each following line is one ring:",
        "# lon lat, then dlon dlat per further point, in hundredths of a degree; rings close.",
        f"# {ring_count} rings, {point_count} points",
    ]
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text("\n".join(header + lines) + "\n", encoding="utf-8")
    print(f"{target}: {ring_count} rings, {point_count} points, {target.stat().st_size} bytes")


if __name__ == "__main__":
    main()
