"""Exports: unit and event records as CSV and JSON that read back with the right values, and
the export command (the ORBAT Mapper scenario: test_export_mapper.py; GeoJSON: test_export_geojson.py)."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from pathlib import Path

import pytest
from test_export_mapper import check_model

import orbat
from orbat.export import (
    EVENT_COLUMNS,
    EXPORT_FORMATS,
    UNIT_COLUMNS,
    event_records,
    export_text,
    records_csv,
    unit_records,
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
        assert {row["region"] for row in json.loads(text)} == {"all"}  # no default region: everywhere
    elif fmt == "geojson":
        assert json.loads(text)["type"] == "FeatureCollection"  # more in test_export_geojson.py
    else:
        data = json.loads(text)
        if fmt == "orbat-mapper":
            assert check_model(data) == []
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
