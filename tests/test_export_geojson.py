"""The GeoJSON export, read back with a GeoJSON library as a GIS tool would, against the snapshot."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import geojson
import pytest

import orbat
from orbat.export import export_text, geojson_collection
from orbat.queries import snapshot

ROOT = Path(__file__).resolve().parent.parent
CATALOG = orbat.load(ROOT / "catalog")


def read(text: str) -> Any:
    """The text parsed by the geojson library, checked valid as a whole and feature by feature."""
    collection = geojson.loads(text)
    assert isinstance(collection, geojson.FeatureCollection)
    assert collection.is_valid, collection.errors()
    for feature in collection["features"]:
        assert isinstance(feature, geojson.Feature)
        assert feature.is_valid, (feature["id"], feature.errors())
    return collection


def units_of(collection: Any) -> dict[str, Any]:
    return {f["properties"]["id"]: f for f in collection["features"] if f["properties"]["feature"] == "unit"}


def places_of(collection: Any) -> dict[str, Any]:
    return {f["properties"]["id"]: f for f in collection["features"] if f["properties"]["feature"] == "place"}


def event_days() -> list[str]:
    return sorted({d.isoformat() for e in CATALOG.events for d in (e.date.start, e.date.end)})


@pytest.mark.parametrize("day", [*event_days()[::3], None])
def test_units_are_the_snapshots_units_present(day: str | None) -> None:
    """Every unit possibly present, no other; certain and possible as the snapshot says; the
    counts add up to the snapshot's totals."""
    collection = read(export_text(CATALOG, "geojson", region="caribbean", as_of=day))
    snap = snapshot(CATALOG, day or CATALOG.latest_source_date or "2025", "caribbean")
    assert collection["orbat"]["as_of"] == snap.date.isoformat()
    units = units_of(collection)
    present = {s.unit_id: s for s in snap.states if snap.possibly_here(s)}
    assert set(units) == set(present)
    for unit_id, state in present.items():
        properties = units[unit_id]["properties"]
        certain = snap.certainly_here(state)
        assert properties["certain"] is certain
        assert properties["presence"] == ("certain" if certain else "possible")
        assert properties["status"] == state.status.value
        assert properties["place"] == state.place
        assert properties["formation"] == state.formation
        assert (properties["count_low"], properties["count_high_open"]) == (state.count.low, state.count.high is None)
        assert properties["sources"] == list(state.sources)
    certain_low = sum(f["properties"]["count_low"] for f in units.values() if f["properties"]["certain"])
    assert certain_low == snap.vessels().low + snap.aircraft_ashore().low
    highs = [snap.vessels().high, snap.aircraft_ashore().high]
    if None not in highs and not any(f["properties"]["count_high_open"] for f in units.values()):
        assert sum(f["properties"]["count_high"] for f in units.values()) == sum(h for h in highs if h is not None)


def test_points_are_longitude_first_at_the_place_of_each_unit() -> None:
    collection = read(export_text(CATALOG, "geojson", region="caribbean"))
    units = units_of(collection)
    ford = units["gerald-r-ford"]
    assert isinstance(ford["geometry"], geojson.Point)
    latitude, longitude = CATALOG.places[ford["properties"]["place"]].position or (0.0, 0.0)
    assert ford["geometry"]["coordinates"] == [longitude, latitude]
    for feature in units.values():
        place = CATALOG.places[feature["properties"]["place"]]
        if place.position is None:
            assert feature["geometry"] is None and feature["properties"]["located"] is False
            continue
        lon, lat = feature["geometry"]["coordinates"]
        assert (lat, lon) == place.position
        assert 8 < lat < 24 and -90 < lon < -59  # in the Caribbean: not swapped


def test_places_are_points_or_polygons() -> None:
    places = places_of(read(export_text(CATALOG, "geojson")))
    assert isinstance(places["ceiba"]["geometry"], geojson.Point)
    assert places["ceiba"]["geometry"]["coordinates"] == [-65.64, 18.25]
    sea = places["caribbean-sea"]["geometry"]
    assert isinstance(sea, geojson.Polygon)
    south, west, north, east = CATALOG.places["caribbean-sea"].bbox or (0.0, 0.0, 0.0, 0.0)
    ring = sea["coordinates"][0]
    assert ring[0] == ring[-1] and {tuple(p) for p in ring} == {
        (west, south),
        (east, south),
        (east, north),
        (west, north),
    }
    assert "southcom" not in places  # no position, no area: not on the map
    assert places["caribbean"]["properties"]["position"] == [-72.5, 16.5]


def test_a_disputed_place_is_said() -> None:
    units = units_of(read(export_text(CATALOG, "geojson", region="caribbean", as_of="2025-11-04")))
    f35 = units["vmfa-225-f35b"]["properties"]
    assert f35["place_disputed"] is True
    assert {f35["place"], *f35["other_places"]} == {"ceiba", "muniz-angb"}


def test_possible_presence_is_said() -> None:
    """On some day of the bundled catalog a unit is only possibly present; the export says so."""
    for day in event_days():
        snap = snapshot(CATALOG, day, "caribbean")
        possible = [s.unit_id for s in snap.states if snap.possibly_here(s) and not snap.certainly_here(s)]
        if possible:
            units = units_of(read(export_text(CATALOG, "geojson", region="caribbean", as_of=day)))
            for unit_id in possible:
                assert units[unit_id]["properties"]["presence"] == "possible"
                assert units[unit_id]["properties"]["certain"] is False
            return
    pytest.fail("no day with a unit only possibly present")


def test_a_unit_at_a_place_without_position_has_no_geometry(tmp_path: Path) -> None:
    (tmp_path / "catalog.yaml").write_text(
        """sources:
  - {id: s, title: T, publisher: P, date: 2025-01-02}
places:
  - {id: far, name: Far, kind: sea}
  - {id: fiji, name: Fiji waters, kind: sea, bbox: [-21.0, 176.0, -12.0, -178.0], position: [-17.0, 179.5]}
vessels:
  - {id: v, name: USS V, hull: DDG-1, navy: USN}
  - {id: w, name: USS W, hull: DDG-2, navy: USN}
events:
  - {date: 2025-01-01, kind: arrived, units: [v], place: far, cite: s}
  - {date: 2025-01-01, kind: arrived, units: [w], place: fiji, cite: s}
""",
        encoding="utf-8",
    )
    catalog = orbat.load(tmp_path)
    collection = read(json.dumps(geojson_collection(catalog)))
    units = units_of(collection)
    assert units["v"]["geometry"] is None and units["v"]["properties"]["located"] is False
    assert units["w"]["geometry"]["coordinates"] == [179.5, -17.0]
    places = places_of(collection)
    assert set(places) == {"fiji"}
    assert isinstance(places["fiji"]["geometry"], geojson.MultiPolygon)  # split at the 180th meridian


def run_orbat(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "orbat", *args], capture_output=True, text=True, encoding="utf-8", cwd=ROOT, check=False
    )


def test_command_writes_geojson(tmp_path: Path) -> None:
    out = tmp_path / "deployment.geojson"
    done = run_orbat("export", "--to", "geojson", "--as-of", "2025-09-15", str(out), "catalog")
    assert done.returncode == 0, done.stderr
    collection = read(out.read_text(encoding="utf-8"))
    assert collection["orbat"]["as_of"] == "2025-09-15"
    snap = snapshot(CATALOG, "2025-09-15", "caribbean")
    assert set(units_of(collection)) == {s.unit_id for s in snap.states if snap.possibly_here(s)}


def test_command_refuses_a_bad_date() -> None:
    done = run_orbat("export", "--to", "geojson", "--as-of", "2025-13-01", "-", "catalog")
    assert done.returncode == 2
    assert "Traceback" not in done.stderr and "2025-13-01" in done.stderr


def test_text_is_the_collection_one_feature_a_line() -> None:
    text = export_text(CATALOG, "geojson", as_of="2025-11-20")
    collection = geojson_collection(CATALOG, "2025-11-20")
    assert json.loads(text) == json.loads(json.dumps(collection))
    lines = text.splitlines()
    assert len(lines) == len(collection["features"]) + 2  # type: ignore[arg-type]
    assert all(line.startswith('{"type": "Feature"') for line in lines[1:-1])
