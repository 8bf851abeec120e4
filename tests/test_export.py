"""Exports: an ORBAT Mapper scenario with the fields ORBAT Mapper reads, and unit and event
records as CSV and JSON that read back with the right values."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

import orbat
from orbat.export import (
    EVENT_COLUMNS,
    EXPORT_FORMATS,
    ORBAT_MAPPER_VERSION,
    UNIT_COLUMNS,
    event_records,
    export_text,
    formation_sidc,
    orbat_mapper_scenario,
    records_csv,
    unit_records,
    unit_sidc,
)

ROOT = Path(__file__).resolve().parent.parent

CATALOG = """\
places:
  - {id: caribbean, name: Caribbean Sea, kind: sea}
  - {id: puerto-rico, name: Puerto Rico, kind: territory, within: caribbean}
  - {id: norfolk, name: Naval Station Norfolk, kind: base}
sources:
  - {id: tracker, title: Fleet tracker, publisher: Example News, date: 2025-10-27, url: "https://example.org/t"}
  - {id: register, title: Register of ships, publisher: Example Register}
vessels:
  - {id: ramage, name: USS Ramage, hull: DDG-61, class: Arleigh Burke, navy: U.S. Navy, cite: register}
  - {id: ford, name: USS Gerald R. Ford, hull: CVN-78, navy: U.S. Navy, cite: register}
  - {id: newport-news, name: USS Newport News, hull: SSN-750, navy: U.S. Navy, cite: register}
  - {id: oiler, name: USNS Oiler, hull: T-AO-187, navy: U.S. Navy, cite: register}
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
"""


@pytest.fixture(scope="module")
def catalog(tmp_path_factory: pytest.TempPathFactory) -> orbat.Catalog:
    folder = tmp_path_factory.mktemp("export") / "catalog"
    folder.mkdir()
    (folder / "catalog.yaml").write_text(CATALOG, encoding="utf-8")
    return orbat.load(folder)


# ---------------------------------------------------------------------------------------------
# ORBAT Mapper
#
# The fields ORBAT Mapper requires of each object of a scenario file, as declared in
# orbat-mapper/orbat-mapper src/types/scenarioModels.ts (the interfaces Scenario, ScenarioInfo,
# ScenarioMetadata, Side, SideData, SideGroup, Unit, State, UnitEquipment, EquipmentData; the
# fields without "?"), with the scenario versions it lists (ScenarioVersion, up to 2.2.0):
#
#   Scenario:          type ("ORBAT-mapper"), id, version, name, sides, events, layers, mapLayers
#   ScenarioMetadata:  createdDate, lastModifiedDate
#   Side:              id, name, standardIdentity, groups
#   SideGroup:         id, name, subUnits
#   Unit:              id, name, sidc            (optional: subUnits, state, equipment, ...)
#   State:             id, t                     (t: a time dayjs reads; optional title, status, ...)
#   UnitEquipment:     count (a number), name
#   EquipmentData:     name
#
# Loading (src/scenariostore/newScenarioStore.ts) reads t with dayjs(...) and
# upgrade.ts turns the legacy "layers"/"mapLayers" lists into the newer layer stack.

REQUIRED = {
    "Scenario": {"type", "id", "version", "name", "sides", "events", "layers", "mapLayers"},
    "ScenarioMetadata": {"createdDate", "lastModifiedDate"},
    "Side": {"id", "name", "standardIdentity", "groups"},
    "SideGroup": {"id", "name", "subUnits"},
    "Unit": {"id", "name", "sidc"},
    "State": {"id", "t"},
    "UnitEquipment": {"count", "name"},
    "EquipmentData": {"name"},
}
SCENARIO_VERSIONS = {
    "2.2.0", "2.1.0", "2.0.0", "1.1.0", "1.0.0", "0.40.0", "0.39.0", "0.38.0", "0.37.0", "0.36.0", "0.33.0",
    "0.32.0", "0.31.0", "0.30.0", "0.20.0", "0.19.0", "0.18.0", "0.17.0", "0.16.0", "0.15.0", "0.14.0",
}  # fmt: skip


def scenario_of(catalog: orbat.Catalog, **options: Any) -> dict[str, Any]:
    scenario: dict[str, Any] = orbat_mapper_scenario(catalog, **options)
    return scenario


def _units(units: list[dict[str, Any]]) -> Iterator[dict[str, Any]]:
    for unit in units:
        yield unit
        yield from _units(unit.get("subUnits", []))


def _all_units(scenario: dict[str, Any]) -> list[dict[str, Any]]:
    return [u for side in scenario["sides"] for group in side["groups"] for u in _units(group["subUnits"])]


def _parse_time(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text.replace("Z", "+00:00"))


def check_scenario(scenario: dict[str, Any]) -> None:
    """Everything ORBAT Mapper requires of a scenario, and the types it expects."""
    assert REQUIRED["Scenario"] <= scenario.keys()
    assert scenario["type"] == "ORBAT-mapper"
    assert scenario["version"] in SCENARIO_VERSIONS
    assert isinstance(scenario["name"], str) and scenario["name"]
    assert scenario["symbologyStandard"] in ("2525", "app6")
    for key in ("events", "layers", "mapLayers"):
        assert isinstance(scenario[key], list)
    assert REQUIRED["ScenarioMetadata"] <= scenario["meta"].keys()
    _parse_time(scenario["startTime"])
    for item in scenario.get("equipment", []):
        assert REQUIRED["EquipmentData"] <= item.keys()
    ids: list[str] = []
    for side in scenario["sides"]:
        assert REQUIRED["Side"] <= side.keys()
        assert side["standardIdentity"] in {str(n) for n in range(7)}
        ids.append(side["id"])
        for group in side["groups"]:
            assert REQUIRED["SideGroup"] <= group.keys()
            ids.append(group["id"])
            for unit in _units(group["subUnits"]):
                assert REQUIRED["Unit"] <= unit.keys()
                assert isinstance(unit["name"], str) and unit["name"]
                sidc = unit["sidc"]
                assert len(sidc) == 20 and sidc.isdigit() and sidc.startswith("10"), sidc
                assert sidc[3] == side["standardIdentity"]
                assert "location" not in unit
                ids.append(unit["id"])
                times = []
                for state in unit.get("state", []):
                    assert REQUIRED["State"] <= state.keys()
                    assert "location" not in state
                    times.append(_parse_time(state["t"]))
                    ids.append(state["id"])
                    for equipment in state.get("update", {}).get("equipment", []):
                        assert REQUIRED["UnitEquipment"] <= equipment.keys()
                        assert isinstance(equipment["count"], int)
                assert times == sorted(times)
                for equipment in unit.get("equipment", []):
                    assert REQUIRED["UnitEquipment"] <= equipment.keys()
                    assert isinstance(equipment["count"], int)
    assert len(ids) == len(set(ids)), "ids must be unique"


def test_scenario_has_what_orbat_mapper_requires(catalog: orbat.Catalog) -> None:
    scenario = scenario_of(catalog, name="Caribbean 2025")
    check_scenario(scenario)
    assert scenario["version"] == ORBAT_MAPPER_VERSION == "2.2.0"
    assert scenario["name"] == "Caribbean 2025"
    assert scenario["startTime"] == "2025-08-01T00:00:00Z"
    assert json.loads(json.dumps(scenario)) == scenario


def test_scenario_sides_groups_and_nesting(catalog: orbat.Catalog) -> None:
    scenario = scenario_of(catalog)
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
    every = {u["id"]: u for u in _all_units(scenario)}
    assert every["ramage"]["shortName"] == "DDG-61"


def test_scenario_symbol_codes(catalog: orbat.Catalog) -> None:
    codes = {u["id"]: u["sidc"] for u in _all_units(scenario_of(catalog))}
    assert codes["ramage"] == "10033000001202030000"  # sea surface, destroyer
    assert codes["ford"] == "10033000001201000000"  # sea surface, carrier
    assert codes["newport-news"] == "10033500001101000000"  # subsurface, submarine
    assert codes["oiler"] == "10033000001301100000"  # sea surface, replenishment oiler
    assert codes["f35b"] == "10030100001101040000"  # air, fixed wing fighter
    assert codes["side-u-s-navy.csg"] == "10033000001210030000"  # navy task group
    assert codes["side-u-s-navy.jtf"][7] == "4"  # the task force amplifier
    assert unit_sidc(catalog, catalog.vessels["ramage"]) == codes["ramage"]
    assert formation_sidc(catalog.formations["csg"]) == codes["side-u-s-navy.csg"]


def test_scenario_states_are_dated_and_described(catalog: orbat.Catalog) -> None:
    units = {u["id"]: u for u in _all_units(scenario_of(catalog))}
    ford = units["ford"]["state"]
    assert [s["t"] for s in ford] == ["2025-08-01T00:00:00Z", "2025-08-20T00:00:00Z", "2025-09-01T00:00:00Z"]
    joined, departed, arrived = ford
    assert joined["title"] == "joined Ford Carrier Strike Group"
    assert joined["status"] == "assigned"
    assert departed["title"] == "departed from Naval Station Norfolk for Caribbean Sea"
    assert departed["status"] == "en route"
    assert "the group left Norfolk" in departed["description"]
    # A month-precision date is shown on its first day, and the state says so.
    assert arrived["title"] == "arrived at Caribbean Sea (2025-09, shown on its first day)"
    assert "month precision" in arrived["description"]
    assert arrived["status"] == "present"
    ramage = units["ramage"]["state"]
    assert ramage[-1]["title"] == "detached from Ford Carrier Strike Group"
    assert ramage[-1]["t"] == "2025-10-24T00:00:00Z"


def test_scenario_aircraft_equipment(catalog: orbat.Catalog) -> None:
    scenario = scenario_of(catalog)
    f35b = {u["id"]: u for u in _all_units(scenario)}["f35b"]
    assert f35b["equipment"] == [{"name": "F-35B", "count": 10, "description": "reported: 10"}]
    counted = [s for s in f35b["state"] if "update" in s]
    assert [s["update"]["equipment"][0]["count"] for s in counted] == [12]
    assert {"name": "F-35B", "description": "Lightning II (short take-off and vertical landing)"} in scenario[
        "equipment"
    ]


def test_scenario_meta_time_is_given_time(catalog: orbat.Catalog) -> None:
    when = dt.datetime(2025, 12, 1, 9, 30, tzinfo=dt.UTC)
    scenario = scenario_of(catalog, now=when)
    assert scenario["meta"] == {"createdDate": "2025-12-01T09:30:00Z", "lastModifiedDate": "2025-12-01T09:30:00Z"}


@pytest.mark.parametrize(
    "folder",
    [p for p in (ROOT / "catalog", ROOT / "tests" / "fixtures" / "good" / "every-section") if p.is_dir()],
    ids=lambda p: p.name,
)
def test_scenario_of_real_catalogs(folder: Path) -> None:
    catalog = orbat.load(folder)
    scenario = scenario_of(catalog)
    check_scenario(scenario)
    listed = {u["id"] for u in _all_units(scenario)}
    assert {unit.id for unit in catalog.units()} <= listed


# ---------------------------------------------------------------------------------------------
# Records


def test_csv_reads_back(catalog: orbat.Catalog) -> None:
    rows = list(csv.DictReader(io.StringIO(records_csv(catalog))))
    units = {r["id"]: r for r in rows if r["record"] == "unit"}
    events = [r for r in rows if r["record"] == "event"]
    assert len(units) == len(list(catalog.units())) == 5
    assert len(events) == len(catalog.events) == 7
    ford = units["ford"]
    assert ford["label"] == "USS Gerald R. Ford (CVN-78)"
    assert ford["category"] == "carrier"
    assert ford["status"] == "present"
    assert ford["place"] == "caribbean"
    assert ford["formation"] == "csg"
    assert (ford["since_start"], ford["since_end"], ford["since_precision"]) == ("2025-09-01", "2025-09-30", "month")
    assert ford["as_of"] == "2025-10-27"
    assert ford["date_start"] == ""  # an event column
    # No text forms of counts or dates: numbers, and ISO days with a precision.
    assert not {"count", "date", "since"} & set(ford)
    f35b = units["f35b"]
    assert (f35b["count_low"], f35b["count_high"], f35b["count_high_open"]) == ("12", "12", "false")
    assert f35b["category"] == "fighter"
    arrival = events[2]
    assert (arrival["date_start"], arrival["date_end"], arrival["precision"]) == ("2025-09-01", "2025-09-30", "month")
    assert arrival["kind"] == "arrived"
    assert arrival["formation"] == "csg"
    assert arrival["units"] == ""
    assert arrival["status"] == ""  # a unit column
    assert events[0]["units"] == "ford; ramage"
    assert events[1]["quotes"] == "the group left Norfolk"


def test_json_reads_back(catalog: orbat.Catalog) -> None:
    data = json.loads(export_text(catalog, "json"))
    assert set(data) == {"units", "events"}
    assert [set(u) for u in data["units"]] == [set(UNIT_COLUMNS)] * 5
    assert [set(e) for e in data["events"]] == [set(EVENT_COLUMNS)] * 7
    units = {u["id"]: u for u in data["units"]}
    assert units["f35b"]["count_low"] == 12 and units["f35b"]["count_approximate"] is False
    assert units["ramage"]["formation"] is None and units["ramage"]["status"] == "present"
    assert units["oiler"]["status"] is None  # nothing reported of it
    assert units["ford"]["sources"] == ["register", "tracker"]
    events = data["events"]
    assert events[0]["units"] == ["ford", "ramage"]
    assert events[4]["count"] == "12" and events[4]["count_high"] == 12
    assert events[2]["date_end"] == "2025-09-30"
    assert data["units"] == json.loads(json.dumps(unit_records(catalog)))
    assert data["events"] == json.loads(json.dumps(event_records(catalog)))


def test_unknown_format_is_refused(catalog: orbat.Catalog) -> None:
    with pytest.raises(ValueError, match="unknown export format"):
        export_text(catalog, "xlsx")
    assert EXPORT_FORMATS == ("orbat-mapper", "csv", "json", "presence-csv", "presence-json", "geojson")


# ---------------------------------------------------------------------------------------------
# The command


def run_orbat(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "orbat", *args],
        capture_output=True,
        text=True,
        encoding="utf-8",
        cwd=cwd,
        timeout=120,
        check=False,
    )


@pytest.fixture
def catalog_folder(tmp_path: Path) -> Path:
    folder = tmp_path / "catalog"
    folder.mkdir()
    (folder / "catalog.yaml").write_text(CATALOG, encoding="utf-8")
    return folder


@pytest.mark.parametrize("fmt", EXPORT_FORMATS)
def test_cli_export_writes_file(catalog_folder: Path, tmp_path: Path, fmt: str) -> None:
    out = tmp_path / f"out.{fmt}"
    completed = run_orbat("export", "--to", fmt, str(out), str(catalog_folder))
    assert completed.returncode == 0, completed.stderr
    assert completed.stdout == ""
    text = out.read_text(encoding="utf-8")
    if fmt == "csv":
        assert sum(1 for row in csv.DictReader(io.StringIO(text)) if row["record"] == "unit") == 5
    elif fmt == "presence-csv":
        assert {row["unit"] for row in csv.DictReader(io.StringIO(text))} == {"ford", "ramage", "newport-news", "f35b"}
    elif fmt == "presence-json":
        assert {row["region"] for row in json.loads(text)} == {None}  # no claims name a region: everywhere
    elif fmt == "geojson":
        assert json.loads(text)["type"] == "FeatureCollection"  # more in test_export_geojson.py
    else:
        data = json.loads(text)
        if fmt == "orbat-mapper":
            check_scenario(data)
        else:
            assert len(data["events"]) == 7


def test_cli_export_to_standard_output_and_default_folder(catalog_folder: Path) -> None:
    completed = run_orbat("export", "--to", "json", "-", cwd=catalog_folder.parent)
    assert completed.returncode == 0, completed.stderr
    assert len(json.loads(completed.stdout)["units"]) == 5


def test_cli_export_exit_codes(catalog_folder: Path, tmp_path: Path) -> None:
    bad = tmp_path / "bad"
    bad.mkdir()
    (bad / "catalog.yaml").write_text("vessels:\n  - {id: x, name: X, hull: DDG-1}\n", encoding="utf-8")
    failed = run_orbat("export", "--to", "csv", str(tmp_path / "x.csv"), str(bad))
    assert failed.returncode == 1
    assert "error[missing-field]" in failed.stderr
    assert not (tmp_path / "x.csv").exists()
    unwritable = run_orbat("export", "--to", "csv", str(tmp_path / "no" / "such" / "x.csv"), str(catalog_folder))
    assert unwritable.returncode == 2
    assert "cannot write" in unwritable.stderr
    missing = run_orbat("export", "--to", "csv", str(tmp_path / "x.csv"), str(tmp_path / "nowhere"))
    assert missing.returncode == 2
    usage = run_orbat("export", "--to", "xlsx", str(tmp_path / "x.csv"))
    assert usage.returncode == 2
