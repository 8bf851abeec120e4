"""The ORBAT Mapper export against the app's own model of a scenario file (format 3.4.0).

``tests/fixtures/orbat-mapper-3.4.0-model.json`` lists, for each interface of the app's
``src/types/scenarioModels.ts`` (and the files it imports) that an export can contain, the
required and optional fields and their types, with the app version and commit it was written
from. :func:`check_model` walks a scenario against it: every required field present, no field the
model does not declare, every value of its declared JSON type.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

import orbat
from orbat.export import ORBAT_MAPPER_VERSION, formation_sidc, unit_sidc
from orbat.export import orbat_mapper_scenario as _scenario

ROOT = Path(__file__).resolve().parent.parent
MODEL: dict[str, Any] = json.loads(
    (ROOT / "tests" / "fixtures" / "orbat-mapper-3.4.0-model.json").read_text(encoding="utf-8")
)

# ---------------------------------------------------------------------------------------------
# Checking a value against the model's type expressions: "string", "number", "boolean", "null",
# "object", "any", a literal '"app6d"', "X[]", "A | B", an alias, or an interface name.


def _alternatives(expression: str) -> list[str]:
    return [part.strip() for part in expression.split(" | ")]


def _check(value: Any, expression: str, path: str) -> list[str]:
    """The ways ``value`` does not match ``expression`` (empty: it matches)."""
    best: list[str] | None = None
    failures = []
    for alternative in _alternatives(expression):
        errors = _check_one(value, alternative, path)
        if not errors:
            return []
        failures.append(errors)
        if best is None or len(errors) < len(best):
            best = errors
    if len(failures) > 1 and all(len(f) == 1 and f[0].startswith(f"{path}: ") for f in failures):
        return [f"{path}: {value!r:.60} is not {expression}"]  # none of a union of simple types
    return best or [f"{path}: no type in {expression!r}"]


def _check_one(value: Any, expression: str, path: str) -> list[str]:
    if expression in MODEL["aliases"]:
        return _check(value, MODEL["aliases"][expression], path)
    if expression.endswith("[]"):
        if not isinstance(value, list):
            return [f"{path}: {value!r:.60} is not a list ({expression})"]
        return [error for n, item in enumerate(value) for error in _check(item, expression[:-2], f"{path}[{n}]")]
    if expression.startswith('"'):
        expected = json.loads(expression)
        return [] if value == expected else [f"{path}: {value!r:.60} is not {expression}"]
    simple: dict[str, Callable[[Any], bool]] = {
        "string": lambda v: isinstance(v, str),
        "number": lambda v: isinstance(v, int | float) and not isinstance(v, bool),
        "boolean": lambda v: isinstance(v, bool),
        "null": lambda v: v is None,
        "object": lambda v: isinstance(v, dict),
        "any": lambda v: True,
    }
    if expression in simple:
        return [] if simple[expression](value) else [f"{path}: {value!r:.60} is not {expression}"]
    interface = MODEL["interfaces"].get(expression)
    if interface is None:
        raise AssertionError(f"the model has no type {expression!r}")
    if not isinstance(value, dict):
        return [f"{path}: {value!r:.60} is not an object ({expression})"]
    required, optional = interface["required"], interface["optional"]
    errors = [f"{path}: {expression} needs {name!r}" for name in required if name not in value]
    for name, item in value.items():
        declared = required.get(name, optional.get(name))
        if declared is None:
            errors.append(f"{path}: {expression} has no field {name!r}")
        elif name.startswith("_"):
            errors.append(f"{path}.{name}: the app's runtime state, not for files")
        elif name in interface.get("deprecated", ()):
            errors.append(f"{path}.{name}: deprecated in the model (load-only)")
        else:
            errors.extend(_check(item, declared, f"{path}.{name}"))
    return errors


def check_model(scenario: Any) -> list[str]:
    """Every way ``scenario`` departs from ORBAT Mapper's declared model of a scenario file."""
    return _check(scenario, "Scenario", "scenario")


def test_the_model_fixture_names_its_source() -> None:
    assert MODEL["scenario_version"] == ORBAT_MAPPER_VERSION == "3.4.0"
    assert re.fullmatch(r"[0-9a-f]{40}", MODEL["commit"])
    assert "src/types/scenarioModels.ts" in MODEL["files"]
    referenced = {
        word
        for interface in MODEL["interfaces"].values()
        for expression in (*interface["required"].values(), *interface["optional"].values())
        for alternative in _alternatives(expression)
        if not (word := alternative.removesuffix("[]")).startswith('"')
    }
    known = {*MODEL["aliases"], *MODEL["interfaces"], "string", "number", "boolean", "null", "object", "any"}
    assert referenced <= known, referenced - known


@pytest.mark.parametrize(
    ("value", "expression", "errors"),
    [
        ({"name": "x"}, "UnitStatus", []),
        ({"name": 1}, "UnitStatus", ["s.name: 1 is not string"]),
        ({}, "UnitStatus", ["s: UnitStatus needs 'name'"]),
        ({"name": "x", "colour": "red"}, "UnitStatus", ["s: UnitStatus has no field 'colour'"]),
        ({"id": "a", "t": "2025-01-01"}, "State", ["s.t: '2025-01-01' is not number"]),
        ({"id": "a", "t": 1, "location": None}, "State", []),
        ({"id": "a", "t": 1, "location": [1, "2"]}, "State", ["s.location[1]: '2' is not number"]),
        ({"id": "a", "t": 1, "_state": None}, "State", ["s: State has no field '_state'"]),
        ("app6", "SymbologyStandard", ['s: \'app6\' is not "2525d" | "2525e" | "app6d"']),
        ({"id": "a", "t": 1, "status": 3}, "State", ["s.status: 3 is not string | null"]),
    ],
)
def test_the_checker_finds_what_is_wrong(value: Any, expression: str, errors: list[str]) -> None:
    assert _check(value, expression, "s") == errors


# ---------------------------------------------------------------------------------------------
# A small catalog

CATALOG = """\
places:
  - {id: caribbean, name: Caribbean Sea, kind: sea, position: [14.5, -76.0], bbox: [8.0, -89.0, 22.5, -60.0]}
  - {id: puerto-rico, name: Puerto Rico, kind: territory, within: caribbean, position: [18.22, -66.45]}
  - {id: norfolk, name: Naval Station Norfolk, kind: base, position: [36.94, -76.3]}
  - {id: somewhere, name: "Somewhere <b>*bold*</b>", kind: sea}
sources:
  - {id: tracker, title: Fleet tracker, publisher: Example News, date: 2025-10-27, url: "https://example.org/t"}
  - {id: register, title: Register of ships, publisher: Example Register}
vessels:
  - {id: ramage, name: USS Ramage, hull: DDG-61, class: Arleigh Burke, navy: U.S. Navy, cite: register}
  - {id: ford, name: USS Gerald R. Ford, hull: CVN-78, navy: U.S. Navy, cite: register}
  - {id: newport-news, name: USS Newport News, hull: SSN-750, navy: U.S. Navy, cite: register}
  - {id: oiler, name: USNS Oiler, hull: T-AO-187, navy: U.S. Navy, cite: register, note: "<script>alert(1)</script>"}
aircraft:
  - id: f35b
    name: VMFA-225 detachment
    type: F-35B
    count: 10
    navy: U.S. Marine Corps
    base: puerto-rico
    cite: tracker
formations:
  - {id: jtf, name: Joint Task Force, kind: joint task force}
  - {id: csg, name: Ford Carrier Strike Group, kind: strike group, parent: jtf}
events:
  - date: 2025-08-01
    kind: joined
    units: [ford, ramage]
    formation: csg
    cite: tracker
  - date: 2025-08-20
    kind: departed
    formation: csg
    place: norfolk
    to: caribbean
    cite:
      - source: tracker
        quote: the group left Norfolk
  - date: 2025-09
    kind: arrived
    formation: csg
    place: caribbean
    note: "in September"
    cite: tracker
  - date: 2025-10-01
    kind: arrived
    units: [f35b]
    place: puerto-rico
    cite: tracker
  - date: 2025-10-20
    kind: reported present
    units: [f35b]
    place: puerto-rico
    count: 12
    cite: tracker
  - date: 2025-10-24
    kind: detached
    units: [ramage]
    formation: csg
    cite: tracker
  - date: 2025-10-24
    kind: reported present
    units: [newport-news]
    place: caribbean
    cite: tracker
  - date: 2025-10-25
    kind: reported present
    units: [oiler]
    place: somewhere
    cite: tracker
"""


@pytest.fixture(scope="module")
def catalog(tmp_path_factory: pytest.TempPathFactory) -> orbat.Catalog:
    folder = tmp_path_factory.mktemp("mapper") / "catalog"
    folder.mkdir()
    (folder / "catalog.yaml").write_text(CATALOG, encoding="utf-8")
    return orbat.load(folder)


def orbat_mapper_scenario(catalog: orbat.Catalog, **options: Any) -> dict[str, Any]:
    scenario: dict[str, Any] = _scenario(catalog, **options)
    return scenario


def _units(units: list[dict[str, Any]]) -> Iterator[dict[str, Any]]:
    for unit in units:
        yield unit
        yield from _units(unit.get("subUnits", []))


def all_units(scenario: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {u["id"]: u for side in scenario["sides"] for group in side["groups"] for u in _units(group["subUnits"])}


def _ms(day: str) -> int:
    return int(dt.datetime.fromisoformat(day).replace(tzinfo=dt.UTC).timestamp() * 1000)


# ---------------------------------------------------------------------------------------------
# The export


@pytest.mark.parametrize("folder", [ROOT / "catalog", ROOT / "tests" / "fixtures" / "good" / "every-section"])
def test_export_matches_the_apps_model(folder: Path) -> None:
    catalog = orbat.load(folder)
    scenario = orbat_mapper_scenario(catalog)
    assert check_model(scenario) == []
    assert check_model(json.loads(json.dumps(scenario))) == []
    ids = [u["id"] for u in all_units(scenario).values()] + [
        s["id"] for u in all_units(scenario).values() for s in u.get("state", [])
    ]
    assert len(ids) == len(set(ids)), "ids must be unique"
    assert {unit.id for unit in catalog.units()} <= set(all_units(scenario))


def test_a_broken_export_fails_the_check(catalog: orbat.Catalog) -> None:
    scenario = orbat_mapper_scenario(catalog)
    scenario["layers"] = []
    scenario["symbologyStandard"] = "app6"
    ford = all_units(scenario)["ford"]
    ford["state"][0]["t"] = "2025-08-01T00:00:00Z"
    assert check_model(scenario) == [
        'scenario.symbologyStandard: \'app6\' is not "2525d" | "2525e" | "app6d"',
        "scenario.sides[0].groups[0].subUnits[0].subUnits[0].subUnits[1].state[0].t: "
        "'2025-08-01T00:00:00Z' is not number",
        "scenario.layers: deprecated in the model (load-only)",
    ]


def test_scenario_header(catalog: orbat.Catalog) -> None:
    scenario = orbat_mapper_scenario(catalog, name="Caribbean 2025")
    assert scenario["version"] == "3.4.0"
    assert scenario["symbologyStandard"] == "app6d"
    assert scenario["name"] == "Caribbean 2025"
    assert scenario["startTime"] == _ms("2025-08-01")
    assert "layers" not in scenario and "mapLayers" not in scenario
    statuses = {s["name"] for s in scenario["settings"]["statuses"]}
    used = {s["status"] for u in all_units(scenario).values() for s in u.get("state", []) if "status" in s}
    assert used <= statuses


def test_scenario_meta_time_is_given_time(catalog: orbat.Catalog) -> None:
    when = dt.datetime(2025, 12, 1, 9, 30, tzinfo=dt.UTC)
    scenario = orbat_mapper_scenario(catalog, now=when)
    assert scenario["meta"] == {"createdDate": "2025-12-01T09:30:00Z", "lastModifiedDate": "2025-12-01T09:30:00Z"}


def test_scenario_sides_groups_and_nesting(catalog: orbat.Catalog) -> None:
    scenario = orbat_mapper_scenario(catalog)
    sides = {side["name"]: side for side in scenario["sides"]}
    assert set(sides) == {"U.S. Navy", "U.S. Marine Corps"}
    navy = {group["name"]: group for group in sides["U.S. Navy"]["groups"]}
    assert set(navy) == {"Formations", "In no formation"}
    (jtf,) = navy["Formations"]["subUnits"]
    assert jtf["name"] == "Joint Task Force"
    (csg,) = jtf["subUnits"]
    assert csg["name"] == "Ford Carrier Strike Group"
    # Ramage left the group on Oct 24, but it is listed where it was last reported.
    assert [u["id"] for u in csg["subUnits"]] == ["ramage", "ford"]
    assert [u["id"] for u in navy["In no formation"]["subUnits"]] == ["newport-news", "oiler"]
    assert all_units(scenario)["ramage"]["shortName"] == "DDG-61"


def test_scenario_symbol_codes(catalog: orbat.Catalog) -> None:
    codes = {u["id"]: u["sidc"] for u in all_units(orbat_mapper_scenario(catalog)).values()}
    assert codes["ramage"] == "10033000001202030000"  # sea surface, destroyer
    assert codes["ford"] == "10033000001201000000"  # sea surface, carrier
    assert codes["newport-news"] == "10033500001101000000"  # subsurface, submarine
    assert codes["oiler"] == "10033000001301100000"  # sea surface, replenishment oiler
    assert codes["f35b"] == "10030100001101040000"  # air, fixed wing fighter
    assert codes["side-u-s-navy.csg"] == "10033000001210030000"  # navy task group
    assert codes["side-u-s-navy.jtf"][7] == "4"  # the task force amplifier
    assert unit_sidc(catalog, catalog.vessels["ramage"]) == codes["ramage"]
    assert formation_sidc(catalog.formations["csg"]) == codes["side-u-s-navy.csg"]


def test_states_move_the_unit_on_the_time_line(catalog: orbat.Catalog) -> None:
    ford = all_units(orbat_mapper_scenario(catalog))["ford"]["state"]
    assert [s["t"] for s in ford] == [_ms("2025-08-01"), _ms("2025-08-20"), _ms("2025-09-01"), _ms("2025-09-30")]
    joined, departed, arrived, settled = ford
    assert "location" not in joined  # joining a formation does not move it
    assert joined["status"] == "assigned"
    assert departed["title"] == "departed from Naval Station Norfolk for Caribbean Sea"
    assert departed["status"] == "en route, possibly arrived"  # bound for the sea, it may be there
    assert departed["location"] == [-76.3, 36.94]  # longitude first, as the app expects
    assert departed["interpolate"] is False
    # A month-precision date is shown on its first day, and the state says so.
    assert arrived["title"] == "arrived at Caribbean Sea (2025-09, shown on its first day)"
    assert arrived["location"] == [-76.0, 14.5]
    assert "interpolate" not in arrived  # from a departure to its arrival, the app draws the transit
    assert arrived["status"] == "possibly present"  # on Sep 1 it may not have arrived yet
    assert settled["title"] == "arrived at Caribbean Sea (2025-09): by its last day"
    assert settled["status"] == "present" and "location" not in settled
    assert "**Status on 2025-09-30:** present at Caribbean Sea" in settled["description"]
    ramage = all_units(orbat_mapper_scenario(catalog))["ramage"]["state"]
    assert ramage[-1]["title"] == "detached from Ford Carrier Strike Group"
    assert ramage[-1]["t"] == _ms("2025-10-24")


def test_a_place_without_position_leaves_the_unit_where_it_was(catalog: orbat.Catalog) -> None:
    (state,) = all_units(orbat_mapper_scenario(catalog))["oiler"]["state"]
    assert "location" not in state
    assert "Somewhere \\<b\\>\\*bold\\*\\</b\\> has no position in the catalog" in state["description"]


def test_descriptions_are_markdown_paragraphs_with_quoted_sources(catalog: orbat.Catalog) -> None:
    units = all_units(orbat_mapper_scenario(catalog))
    departed = units["ford"]["state"][1]["description"]
    assert departed.split("\n\n") == [
        "**Date:** 2025-08-20",
        "**Status on 2025-08-20:** en route to Caribbean Sea, possibly arrived",
        "Shown at Naval Station Norfolk (the place it left: 36.94, -76.3).",
        "As a member of Ford Carrier Strike Group.",
        "**Sources**",
        "- **Fleet tracker** (Example News, 2025-10-27): \u201cthe group left Norfolk\u201d",
    ]
    ramage = units["ramage"]["description"].split("\n\n")
    assert ramage == [
        "**Arleigh Burke class, guided-missile destroyer (surface combatant)**",
        "Navy: U.S. Navy",
        "**Sources**",
        "- **Register of ships** (Example Register)",
    ]
    # Catalog text cannot become markup: the app renders Markdown.
    assert "\\<script\\>alert(1)\\</script\\>" in units["oiler"]["description"]


def test_aircraft_equipment(catalog: orbat.Catalog) -> None:
    scenario = orbat_mapper_scenario(catalog)
    f35b = all_units(scenario)["f35b"]
    assert f35b["equipment"] == [{"name": "F-35B", "count": 10, "description": "reported: 10"}]
    counted = [s for s in f35b["state"] if "update" in s]
    assert [s["update"]["equipment"][0]["count"] for s in counted] == [12]
    assert {"name": "F-35B", "description": "Lightning II (short take-off and vertical landing)"} in scenario[
        "equipment"
    ]


def test_places_layer(catalog: orbat.Catalog) -> None:
    (layer,) = orbat_mapper_scenario(catalog)["layerStack"]
    assert (layer["kind"], layer["name"]) == ("overlay", "Places")
    items = {item["id"]: item for item in layer["items"]}
    assert set(items) == {"place.caribbean", "place.puerto-rico", "place.norfolk"}  # not "somewhere"
    sea = items["place.caribbean"]
    assert sea["geometry"]["type"] == "Polygon" and sea["geometryMeta"] == {
        "geometryKind": "Polygon",
        "shape": "rectangle",
    }
    assert items["place.norfolk"]["geometry"] == {"type": "Point", "coordinates": [-76.3, 36.94]}


def test_bundled_catalog_disputed_and_possible_places_are_said() -> None:
    scenario = orbat_mapper_scenario(orbat.load(ROOT / "catalog"))
    units = all_units(scenario)
    f35 = units["vmfa-225-f35b"]["state"]
    # Ceiba (The War Zone, Sep 13; the article) and Muniz (Task & Purpose, undated, dated as the arrival
    # of Sep 13 it gives another base for): both from Sep 13, neither "possibly" before it.
    assert [s["status"] for s in f35] == ["present (sources disagree on the place)"] * 2
    assert f35[0]["t"] == f35[-1]["t"] == 1757721600000  # 2025-09-13T00:00:00Z
    assert "Ceiba" in f35[-1]["description"] and "Muniz" in f35[-1]["description"]
    located = {tuple(s["location"]) for s in f35 if s.get("location")}
    assert located == {(-65.64, 18.25), (-66.0, 18.44)}  # Ceiba and Muniz, longitude first
    ford = units["gerald-r-ford"]["state"]
    assert ford[-1]["location"] == [-76.0, 14.5]  # arrived in the Caribbean Sea on Nov 16
    for unit in units.values():
        for state in unit.get("state", []):
            location = state.get("location")
            if location:
                assert -180 <= location[0] <= 180 and -90 <= location[1] <= 90
                assert location[0] < 0 and location[1] > 0  # west and north: not swapped
