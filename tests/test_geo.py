"""Places on the map: positions and areas read, checked and outlined (orbat/geo.py)."""

from __future__ import annotations

import itertools
import json
import tempfile
from pathlib import Path

import attrs
import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

import orbat
from orbat import Place
from orbat.dumping import to_data
from orbat.geo import area_geometry, contains, has_area

ROOT = Path(__file__).resolve().parent.parent

latitudes = st.floats(min_value=-89, max_value=89, allow_nan=False)
longitudes = st.floats(min_value=-179, max_value=179, allow_nan=False)


def test_bundled_places_have_positions_inside_their_areas() -> None:
    catalog = orbat.load(ROOT / "catalog")
    # Areas too large for one point are left without one, as the file's header says.
    assert {p.id for p in catalog.places.values() if p.position is None} == {"southcom", "europe", "united-states"}
    assert not [w for w in catalog.warnings if w.code == "position-outside"]
    assert catalog.places["ceiba"].position == (18.25, -65.64)
    caribbean = catalog.places["caribbean"]
    for place_id in ("caribbean-sea", "southern-caribbean", "st-kitts-southwest", "puerto-rico", "ceiba", "curacao"):
        latitude, longitude = catalog.places[place_id].position or (0.0, 0.0)
        assert contains(caribbean, latitude, longitude), place_id
    norfolk = catalog.places["norfolk"].position
    assert norfolk is not None and not contains(caribbean, *norfolk)


def test_box_and_polygon() -> None:
    box = Place("b", "B", "sea", bbox=(10.0, -70.0, 20.0, -60.0))
    assert contains(box, 15, -65) and contains(box, 10, -70) and not contains(box, 21, -65)
    assert not contains(box, 15, -59.9)
    triangle = Place("t", "T", "sea", polygon=((0.0, 0.0), (0.0, 10.0), (10.0, 0.0)))
    assert contains(triangle, 1, 1) and contains(triangle, 5, 5) and not contains(triangle, 6, 6)
    assert contains(Place("p", "P", "base", position=(1.0, 1.0)), 1, 1) is None
    assert not has_area(Place("p", "P", "base", position=(1.0, 1.0))) and has_area(triangle)


def test_box_across_the_180th_meridian() -> None:
    fiji = Place("f", "Fiji waters", "sea", bbox=(-21.0, 176.0, -12.0, -178.0))
    assert contains(fiji, -17, 179) and contains(fiji, -17, -179) and not contains(fiji, -17, 170)
    geometry = area_geometry(fiji)
    assert geometry is not None and geometry["type"] == "MultiPolygon"
    coordinates = geometry["coordinates"]
    assert isinstance(coordinates, list) and len(coordinates) == 2
    assert all(-180 <= lon <= 180 for polygon in coordinates for ring in polygon for lon, _lat in ring)


def test_area_geometry_is_a_closed_counterclockwise_ring_longitude_first() -> None:
    clockwise = Place("c", "C", "sea", polygon=((0.0, 0.0), (10.0, 0.0), (10.0, 10.0), (0.0, 10.0)))
    geometry = area_geometry(clockwise)
    assert geometry is not None and geometry["type"] == "Polygon"
    rings = geometry["coordinates"]
    assert isinstance(rings, list) and len(rings) == 1
    ring: list[list[float]] = rings[0]
    assert ring[0] == ring[-1] and len(ring) == 5
    twice_area = sum(a[0] * b[1] - b[0] * a[1] for a, b in itertools.pairwise(ring))
    assert twice_area > 0  # counterclockwise with longitude as x
    box = area_geometry(Place("b", "B", "sea", bbox=(10.0, -70.0, 20.0, -60.0)))
    assert box == {
        "type": "Polygon",
        "coordinates": [[[-70.0, 10.0], [-60.0, 10.0], [-60.0, 20.0], [-70.0, 20.0], [-70.0, 10.0]]],
    }
    assert area_geometry(Place("p", "P", "base")) is None


@given(latitudes, longitudes, latitudes, longitudes, latitudes, longitudes)
def test_a_box_and_the_polygon_of_its_corners_agree(
    lat_a: float, lon_a: float, lat_b: float, lon_b: float, latitude: float, longitude: float
) -> None:
    south, north = sorted((lat_a, lat_b))
    west, east = sorted((lon_a, lon_b))
    box = Place("b", "B", "sea", bbox=(south, west, north, east))
    corners = ((south, west), (south, east), (north, east), (north, west))
    polygon = Place("p", "P", "sea", polygon=corners)
    assert contains(box, latitude, longitude) == contains(polygon, latitude, longitude)
    for corner in corners:
        assert contains(box, *corner) and contains(polygon, *corner)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("position: [18.25, -65.64]", (18.25, -65.64)),
        ("position: [18, -65]", (18.0, -65.0)),
        ("position: [1.0e-05, -0.0]", (1e-05, -0.0)),
        ("position:\n      - 18.25\n      - -65.64", (18.25, -65.64)),
    ],
)
def test_positions_read_as_numbers(tmp_path: Path, text: str, expected: tuple[float, float]) -> None:
    (tmp_path / "places.yaml").write_text(f"places:\n  - id: p\n    name: P\n    kind: base\n    {text}\n")
    assert orbat.load(tmp_path).places["p"].position == expected


@pytest.mark.parametrize("value", ["0755", "1_000", ".5", ".inf", "1e5", "18°", "0x12"])
def test_numbers_yaml_readers_disagree_on_are_refused(tmp_path: Path, value: str) -> None:
    (tmp_path / "places.yaml").write_text(
        f"places:\n  - id: p\n    name: P\n    kind: base\n    position: [{value}, 1]\n"
    )
    problems = orbat.validate(tmp_path).problems
    assert [(p.code, p.location.line, p.location.column) for p in problems] == [("bad-position", 5, 16)]
    assert problems[0].message == (
        f"place field 'position': {value!r} is not a number; write degrees as decimal numbers, "
        "south and west negative, such as -65.64"
    )


def test_a_point_must_lie_in_the_area_of_each_place_it_is_within(tmp_path: Path) -> None:
    (tmp_path / "places.yaml").write_text(
        """places:
  - {id: red-sea, name: Red Sea, kind: sea, bbox: [12.5, 32.0, 30.0, 43.5]}
  - {id: surge, name: surge area, kind: region, bbox: [10.0, 40.0, 20.0, 60.0]}
  - {id: jeddah, name: Jeddah, kind: port, within: [red-sea, surge], position: [21.5, 39.2]}
  - {id: hodeidah, name: Hodeidah, kind: port, within: [red-sea, surge], position: [14.8, 42.95]}
""",
        encoding="utf-8",
    )
    problems = orbat.validate(tmp_path).problems
    assert [(p.code, p.location.line, p.message) for p in problems] == [
        (
            "position-outside",
            4,
            "place 'jeddah' at [21.5, 39.2] lies outside the bbox of 'surge', which it is within; "
            "correct the position, the bbox or 'within'",
        )
    ]


@settings(deadline=None, max_examples=40)  # each example writes and loads a catalog
@given(
    st.lists(st.tuples(latitudes, longitudes), min_size=3, max_size=6),
    st.floats(min_value=-90, max_value=90, allow_nan=False, allow_subnormal=True),
    st.floats(min_value=-180, max_value=180, allow_nan=False, allow_subnormal=True),
)
def test_positions_survive_dump_and_load(points: list[tuple[float, float]], latitude: float, longitude: float) -> None:
    """Any in-range float is written (by repr, as PyYAML does) so that it reads back the same."""
    base = orbat.load(ROOT / "docs" / "example")
    places = dict(base.places)
    first = next(iter(places))
    south, north = sorted((points[0][0], points[1][0]))
    west, east = sorted((points[0][1], points[1][1]))
    places[first] = attrs.evolve(places[first], position=(latitude, longitude), within=())
    places["outline"] = Place("outline", "Outline", "sea", polygon=tuple(points))
    places["box"] = Place("box", "Box", "sea", bbox=(south, west, north, east))
    catalog = attrs.evolve(base, places=places)
    with tempfile.TemporaryDirectory() as folder:
        orbat.dump(catalog, folder)
        loaded = orbat.load(folder)
    assert loaded.places == catalog.places


def test_the_plain_data_of_a_catalog_with_positions_is_plain_yaml_and_json() -> None:
    """``to_data`` gives plain lists for points, boxes and polygons: any YAML or JSON writer takes
    them (a list subclass made ``yaml.safe_dump`` fail), and ``dump`` still writes them on one line."""
    base = orbat.load([])
    places = {
        "p": Place("p", "P", "base", position=(18.25, -65.64)),
        "b": Place("b", "B", "sea", bbox=(8.0, -89.5, 24.0, -59.0)),
        "o": Place("o", "O", "sea", polygon=((0.0, 0.0), (0.0, 1.5), (1.0, 0.0))),
    }
    data = to_data(attrs.evolve(base, places=places))
    assert [type(p[key]) for p, key in zip(data["places"], ("position", "bbox", "polygon"), strict=True)] == [list] * 3
    assert yaml.safe_load(yaml.safe_dump(data)) == data == json.loads(json.dumps(data))
    with tempfile.TemporaryDirectory() as folder:
        (written,) = orbat.dump(attrs.evolve(base, places=places), folder)
        text = written.read_text(encoding="utf-8")
    assert "position: [18.25, -65.64]" in text and "bbox: [8.0, -89.5, 24.0, -59.0]" in text
    assert "polygon:\n  - [0.0, 0.0]\n  - [0.0, 1.5]\n  - [1.0, 0.0]\n" in text


def test_a_places_citations_are_checked_like_any_other(tmp_path: Path) -> None:
    (tmp_path / "catalog.yaml").write_text(
        """sources:
  - {id: survey, title: Survey of the bay, publisher: P}
places:
  - id: anchorage
    name: the anchorage
    kind: sea
    position: [12.1, -68.9]
    cite: [survey, surveys]
""",
        encoding="utf-8",
    )
    problems = orbat.validate(tmp_path).problems
    assert [(p.code, p.location.line, p.location.column, p.message) for p in problems] == [
        ("unknown-reference", 8, 20, "no source has id 'surveys'; did you mean 'survey'?")
    ]
    (tmp_path / "catalog.yaml").write_text(
        (tmp_path / "catalog.yaml").read_text(encoding="utf-8").replace("[survey, surveys]", "survey"),
        encoding="utf-8",
    )
    assert orbat.load(tmp_path).places["anchorage"].citations[0].source == "survey"
