"""The timeline picture: a labelled row for every unit, hatched bars where a unit is only possibly
present, and a line at the newest source's date."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

import orbat
from orbat.queries import default_region
from orbat.svg import PRESENCE_KINDS, presence_spans, timeline_svg, write_timeline_svg

ROOT = Path(__file__).resolve().parent.parent
SVG = "{http://www.w3.org/2000/svg}"

CATALOG = """\
places:
  - {id: caribbean, name: Caribbean Sea, kind: sea}
  - {id: puerto-rico, name: Puerto Rico, kind: territory, within: caribbean}
  - {id: norfolk, name: Naval Station Norfolk, kind: base}
sources:
  - {id: tracker, title: Fleet tracker, publisher: Example News, date: 2025-11-20}
  - {id: register, title: Register of ships, publisher: Example Register}
vessels:
  - {id: ramage, name: USS Ramage, hull: DDG-61, navy: US, cite: register}
  - {id: gravely, name: USS Gravely, hull: DDG-107, navy: US, cite: register}
  - {id: iwo-jima, name: USS Iwo Jima, hull: LHD-7, navy: US, cite: register}
  - {id: idle, name: USS Idle, hull: DDG-1, navy: US, cite: register}
unidentified:
  - {id: two-ddg, type: DDG, count: 2, navy: US, identified_as: [ramage, gravely], cite: tracker}
aircraft:
  - {id: f35b, name: F-35B detachment, type: F-35B, count: 10, navy: USMC, cite: tracker}
formations:
  - {id: arg, name: Iwo Jima Ready Group, kind: ready group}
events:
  - {date: 2025-08-10, kind: joined, units: [iwo-jima], formation: arg, cite: tracker}
  - {date: 2025-08-10, kind: reported present, units: [iwo-jima], place: norfolk, cite: tracker}
  - {date: 2025-09, kind: arrived, units: [ramage], place: caribbean, cite: tracker}
  - {date: 2025-09-15, kind: ordered, units: [gravely], place: caribbean, arrival: 2025-09-20/2025-10-10, cite: tracker}
  - {date: 2025-10-02, kind: arrived, units: [gravely], place: caribbean, cite: tracker}
  - {date: 2025-10-01, kind: arrived, units: [f35b], place: puerto-rico, cite: tracker}
  - {date: 2025-11-01, kind: reported present, units: [f35b], place: puerto-rico, count: 12, cite: tracker}
  - {date: 2025-08, kind: joined, units: [two-ddg], formation: arg, cite: tracker}
"""


@pytest.fixture(scope="module")
def catalog(tmp_path_factory: pytest.TempPathFactory) -> orbat.Catalog:
    folder = tmp_path_factory.mktemp("svg") / "catalog"
    folder.mkdir()
    (folder / "catalog.yaml").write_text(CATALOG, encoding="utf-8")
    return orbat.load(folder)


def parse(text: str) -> ET.Element:
    root = ET.fromstring(text)
    assert root.tag == f"{SVG}svg"
    return root


def rows(root: ET.Element) -> dict[str, ET.Element]:
    return {g.get("data-unit", ""): g for g in root.iter(f"{SVG}g") if g.get("class") == "unit-row"}


def spans(row: ET.Element, kind: str) -> list[ET.Element]:
    return [r for r in row.iter(f"{SVG}rect") if r.get("class") == f"span {kind}"]


def test_every_unit_has_a_labelled_row(catalog: orbat.Catalog) -> None:
    root = parse(timeline_svg(catalog, "caribbean"))
    found = rows(root)
    assert set(found) == {unit.id for unit in catalog.units()}
    labels = {unit_id: "".join(row.find(f"{SVG}text").itertext()) for unit_id, row in found.items()}  # type: ignore[union-attr]
    assert labels["ramage"] == "USS Ramage (DDG-61)"
    # Counts change over time: the label has none, each bar its own.
    assert labels["f35b"] == "F-35B detachment (F-35B)"
    assert labels["two-ddg"] == "unidentified DDG \u00d72 (named later)"
    assert labels["idle"] == "USS Idle (DDG-1)"


def test_a_new_count_begins_a_new_bar_that_says_it(catalog: orbat.Catalog) -> None:
    f35b = [s for s in presence_spans(catalog, "caribbean") if s.unit_id == "f35b"]
    assert [(s.start, s.end, str(s.state.count)) for s in f35b] == [
        (dt.date(2025, 10, 1), dt.date(2025, 11, 1), "10"),
        (dt.date(2025, 11, 1), dt.date(2025, 11, 21), "12"),
    ]
    row = rows(parse(timeline_svg(catalog, "caribbean")))["f35b"]
    counts = [t.text for t in row.iter(f"{SVG}text") if t.get("class") == "span-count"]
    assert counts == ["10", "12"]
    titles = [t.text or "" for bar in spans(row, "certain") for t in bar.iter(f"{SVG}title")]
    assert [t.split(", ")[1] for t in titles] == ["10 F-35B", "12 F-35B"]
    # Vessels are one each: no count on their bars.
    assert not [
        t
        for t in rows(parse(timeline_svg(catalog, "caribbean")))["ramage"].iter(f"{SVG}text")
        if t.get("class") == "span-count"
    ]


@pytest.mark.parametrize("marker", [None, dt.date(2025, 10, 1)])
def test_the_rows_lie_below_the_key_and_the_date_labels(catalog: orbat.Catalog, marker: dt.date | None) -> None:
    root = parse(timeline_svg(catalog, "caribbean", marker=marker))
    keys = [r for r in root.iter(f"{SVG}rect") if (r.get("class") or "").startswith("key ")]
    assert keys
    key_bottom = max(float(r.get("y", 0)) + float(r.get("height", 0)) for r in keys)
    labels = [t for t in root.iter(f"{SVG}text") if t.get("class") in ("formation-label", "unit-label")]
    first_row = min(float(t.get("y", 0)) for t in labels)
    dated = [
        float(t.get("y", 0))
        for t in root.iter(f"{SVG}text")
        if (t.text or "").startswith(("newest source", "report date"))
    ]
    assert key_bottom < min(dated) < first_row - 20
    assert float(root.get("height", 0)) > max(float(t.get("y", 0)) for t in labels)


def test_the_report_date_is_marked_when_asked(catalog: orbat.Catalog) -> None:
    plain = parse(timeline_svg(catalog, "caribbean"))
    assert plain.find(f".//{SVG}line[@id='report-date']") is None
    root = parse(timeline_svg(catalog, "caribbean", marker=dt.date(2025, 10, 1)))
    line = root.find(f".//{SVG}line[@id='report-date']")
    assert line is not None and "2025-10-01" in "".join(line.itertext())
    # At the end of the day, where a bar beginning the next day starts.
    gravely = spans(rows(root)["gravely"], "certain")[0]
    assert float(line.get("x1", 0)) == pytest.approx(float(gravely.get("x", 0)), abs=0.2)
    (label,) = [t for t in root.iter(f"{SVG}text") if t.get("class") == "report-date-label"]
    assert label.text == "report date 2025-10-01"


def test_month_precision_arrival_is_hatched_then_solid(catalog: orbat.Catalog) -> None:
    root = parse(timeline_svg(catalog, "caribbean"))
    patterns = {p.get("id"): p for p in root.iter(f"{SVG}pattern")}
    assert patterns, "no hatch pattern"
    ramage = rows(root)["ramage"]
    (hatched,) = spans(ramage, "possible")
    fill = hatched.get("fill", "")
    assert fill.startswith("url(#") and fill[5:-1] in patterns
    (solid,) = spans(ramage, "certain")
    # Possibly present through September, certainly from its last day.
    assert float(hatched.get("x", 0)) < float(solid.get("x", 0))
    title = hatched.find(f"{SVG}title")
    assert title is not None and "possibly present" in (title.text or "")
    assert "2025-09-01 to 2025-09-29" in (title.text or "")


def test_spans_follow_the_queries(catalog: orbat.Catalog) -> None:
    found = {(s.unit_id, s.presence): (s.start, s.end) for s in presence_spans(catalog, "caribbean")}
    assert found[("ramage", "possible")] == (dt.date(2025, 9, 1), dt.date(2025, 9, 30))
    assert found[("ramage", "certain")] == (dt.date(2025, 9, 30), dt.date(2025, 11, 21))
    # Ordered on Sep 15 and expected from Sep 20: bound for the region, then possibly arrived.
    assert found[("gravely", "pending")] == (dt.date(2025, 9, 15), dt.date(2025, 9, 20))
    assert found[("gravely", "possible")] == (dt.date(2025, 9, 20), dt.date(2025, 10, 2))
    assert found[("gravely", "certain")] == (dt.date(2025, 10, 2), dt.date(2025, 11, 21))
    assert found[("iwo-jima", "elsewhere")] == (dt.date(2025, 8, 10), dt.date(2025, 11, 21))
    assert {s.presence for s in presence_spans(catalog, "caribbean")} <= set(PRESENCE_KINDS)
    assert not any(s.unit_id == "idle" for s in presence_spans(catalog, "caribbean"))
    # Everywhere: Iwo Jima at Norfolk counts as present.
    assert ("iwo-jima", "certain") in {(s.unit_id, s.presence) for s in presence_spans(catalog)}


def test_rows_grouped_by_formation(catalog: orbat.Catalog) -> None:
    root = parse(timeline_svg(catalog, "caribbean"))
    groups = [g for g in root.iter(f"{SVG}g") if g.get("class") == "formation"]
    members = {g.get("data-name"): [r.get("data-unit") for r in g if r.get("class") == "unit-row"] for g in groups}
    # The events of the unnamed pair reach the vessels it was identified as: they joined the group too.
    assert members == {
        "Iwo Jima Ready Group": ["ramage", "gravely", "iwo-jima", "two-ddg"],
        "In no formation": ["idle", "f35b"],
    }


def test_newest_source_is_marked(catalog: orbat.Catalog) -> None:
    root = parse(timeline_svg(catalog, "caribbean"))
    (marker,) = [line for line in root.iter(f"{SVG}line") if line.get("class") == "source-date"]
    assert marker.get("id") == "newest-source"
    assert "2025-11-20" in "".join(marker.itertext())
    # It stands where the bars of units still present end: after the newest source's last day.
    ramage_solid = spans(rows(root)["ramage"], "certain")[0]
    right = float(ramage_solid.get("x", 0)) + float(ramage_solid.get("width", 0))
    assert float(marker.get("x1", 0)) == pytest.approx(right, abs=0.2)


def test_catalog_without_events() -> None:
    empty = orbat.load(ROOT / "tests" / "fixtures" / "good" / "minimal")
    root = parse(timeline_svg(empty))
    assert set(rows(root)) == {unit.id for unit in empty.units()}
    assert not [r for r in root.iter(f"{SVG}rect") if (r.get("class") or "").startswith("span")]


@pytest.mark.skipif(not (ROOT / "catalog").is_dir(), reason="no bundled catalog")
def test_bundled_catalog(tmp_path: Path) -> None:
    catalog = orbat.load(ROOT / "catalog")
    path = tmp_path / "timeline.svg"
    write_timeline_svg(catalog, path, default_region(catalog))
    root = parse(path.read_text(encoding="utf-8"))
    assert set(rows(root)) == {unit.id for unit in catalog.units()}
    assert root.find(f".//{SVG}line[@id='newest-source']") is not None


def test_cli_timeline_svg(tmp_path: Path) -> None:
    folder = tmp_path / "catalog"
    folder.mkdir()
    (folder / "catalog.yaml").write_text(CATALOG, encoding="utf-8")
    out = tmp_path / "t.svg"
    completed = subprocess.run(
        [sys.executable, "-m", "orbat", "timeline", "--region", "caribbean", "--svg", str(out), str(folder)],
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=120,
        check=False,
    )
    assert completed.returncode == 0, completed.stderr
    assert completed.stdout.startswith("Timeline")
    drawn = set(rows(parse(out.read_text(encoding="utf-8"))))
    assert drawn == {"ramage", "gravely", "iwo-jima", "idle", "two-ddg", "f35b"}
    unwritable = subprocess.run(
        [sys.executable, "-m", "orbat", "timeline", "--svg", str(tmp_path / "no" / "t.svg"), str(folder)],
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=120,
        check=False,
    )
    assert unwritable.returncode == 2
    assert "cannot write" in unwritable.stderr
