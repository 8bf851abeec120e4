"""The query commands run for real: ``python -m orbat report|table|diff|timeline|claims``.

Every run goes through a subprocess on the hand-built catalog in ``tests/fixtures/queries``;
no run may print a traceback, whatever its exit code.
"""

from __future__ import annotations

import csv
import functools
import io
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from orbat.dates import parse_date
from orbat.loading import load
from orbat.quantities import Quantity, parse_quantity
from orbat.queries import AIRCRAFT_BREAKDOWNS, BREAKDOWNS

FIXTURE = str(Path(__file__).parent / "fixtures" / "queries")
ISO = re.compile(r"^~?\d{4}(-\d{2}(-\d{2})?)?(/\d{4}(-\d{2}(-\d{2})?)?)?$")
COMMANDS: dict[str, tuple[str, ...]] = {
    "report": ("report", FIXTURE, "--as-of", "2025-10-20", "--region", "caribbean"),
    "table": ("table", FIXTURE, "--as-of", "2025-10-20", "--by", "type"),
    "diff": ("diff", "2025-08-01", "2025-10-20", FIXTURE),
    "timeline": ("timeline", FIXTURE),
    "claims": ("claims", FIXTURE),
}
# The commands whose JSON is a list of tables (the report's is the report itself).
TABLE_COMMANDS = sorted(set(COMMANDS) - {"report"})


@functools.cache
def orbat(*args: str) -> subprocess.CompletedProcess[str]:
    """Run the command line in a fresh interpreter; never a traceback, on either stream."""
    env = {**os.environ, "PYTHONIOENCODING": "utf-8", "NO_COLOR": "1"}
    env.pop("GITHUB_ACTIONS", None)
    result = subprocess.run(
        [sys.executable, "-m", "orbat", *args],
        capture_output=True,
        text=True,
        encoding="utf-8",
        env=env,
        timeout=120,
        check=False,
    )
    assert "Traceback" not in result.stdout + result.stderr, result.stderr
    return result


def ok(*args: str) -> str:
    result = orbat(*args)
    assert result.returncode == 0, result.stderr
    return result.stdout


def tables_json(*args: str) -> list[dict[str, object]]:
    data = json.loads(ok(*args, "--format", "json"))
    assert isinstance(data, list)
    for table in data:
        assert isinstance(table, dict)
        assert set(table) == {"title", "note", "rows"}
        assert isinstance(table["rows"], list)
    return data


def rows_of(table: dict[str, object]) -> list[dict[str, object]]:
    rows = table["rows"]
    assert isinstance(rows, list)
    return rows


def quantity(cell: object) -> Quantity:
    """A JSON quantity checked for shape, and read back as a Quantity."""
    assert isinstance(cell, dict)
    assert set(cell) == {"low", "high", "approximate", "text"}
    low, high, approximate, text = cell["low"], cell["high"], cell["approximate"], cell["text"]
    assert isinstance(low, int) and isinstance(approximate, bool) and isinstance(text, str)
    assert high is None or isinstance(high, int)
    q = Quantity(low, high, approximate)
    assert parse_quantity(text) == q, text  # the text says the same as the numbers
    return q


def iso_date(cell: object) -> str:
    """A JSON date: ISO 8601 text at its own precision."""
    assert isinstance(cell, str) and ISO.match(cell), cell
    assert parse_date(cell).isoformat() == cell
    return cell


# =============================================================================================
# Formats


@pytest.mark.parametrize("command", TABLE_COMMANDS)
def test_json_output_is_tables_of_typed_cells(command: str) -> None:
    data = tables_json(*COMMANDS[command])
    assert data
    for table in data:
        assert isinstance(table["title"], str) and table["title"]
        for row in rows_of(table):
            for key, cell in row.items():
                assert re.fullmatch(r"[a-z_-]+", key), key
                if isinstance(cell, dict):
                    quantity(cell)
                else:
                    assert cell is None or isinstance(cell, str | int), (key, cell)


@pytest.mark.parametrize("command", TABLE_COMMANDS)
def test_csv_output_has_a_header_per_table(command: str) -> None:
    rows = list(csv.reader(io.StringIO(ok(*COMMANDS[command], "--format", "csv"))))
    assert rows and rows[0][0] == "table"
    width = 0
    titles = set()
    for row in rows:
        if row[0] == "table":
            width = len(row)
            continue
        assert len(row) == width, row
        titles.add(row[0])
    json_titles = {t["title"] for t in tables_json(*COMMANDS[command]) if rows_of(t)}
    assert titles == json_titles


@pytest.mark.parametrize("command", TABLE_COMMANDS)
def test_github_output_is_markdown_tables(command: str) -> None:
    out = ok(*COMMANDS[command], "--format", "github")
    table_lines = [line for line in out.splitlines() if line.startswith("|")]
    assert table_lines
    assert any(re.fullmatch(r"\|(:?-+:?\|)+", line) for line in table_lines)
    for table in tables_json(*COMMANDS[command]):
        assert str(table["title"]) in out


def test_the_default_format_is_plain_text() -> None:
    out = ok(*COMMANDS["report"])
    assert out.startswith("Deployment as of 2025-10-20 in Caribbean Sea\n  Vessels    5 (all certain)")
    assert "Vessels present in Caribbean Sea on 2025-10-20\n" in out and "|" not in out


def report_json(*args: str) -> dict[str, object]:
    data = json.loads(ok(*args, "--format", "json"))
    assert isinstance(data, dict)
    return data


def test_report_json() -> None:
    data = report_json(*COMMANDS["report"], "--region", "caribbean")
    assert data["title"] == "Deployment as of 2025-10-20 in Caribbean Sea"
    assert (data["date"], data["region"], data["region_name"], data["note"]) == (
        "2025-10-20",
        "caribbean",
        "Caribbean Sea",
        None,
    )
    head = data["headline"]
    assert isinstance(head, dict)
    assert head["vessels"] == {"low": 5, "high": 5, "approximate": False, "text": "5"}
    assert quantity(head["aircraft_ashore"]) == Quantity(18, 18, approximate=True)
    # No group is certainly here as a whole (each has a ship elsewhere): high end only.
    assert head["personnel"] == {"low": 0, "high": 8700, "approximate": False, "text": "up to 8,700"}
    assert head["personnel_from"] == ["csg-12", "iwo-arg"]
    assert head["bound"] == 0
    (reported,) = head["reported_personnel"]
    assert (reported["claim"], reported["as_of"], reported["sources"]) == ("press-personnel", "2025-10-20", ["press"])
    assert quantity(reported["count"]) == Quantity.at_least(4001)
    # Two counts of the warships as near the date: both are shown, each beside the catalog's own.
    vessels = head["reported_vessels"]
    assert [(r["claim"], r["count"]["text"], r["catalog"]["text"]) for r in vessels] == [
        ("press-total", "8", "5"),
        ("wire-total", "5", "5"),
    ]
    rows = {}
    for section in ("vessels", "aircraft", "bound", "outside", "other"):
        found = data[section]
        assert isinstance(found, list)
        rows.update({row["name"]: row for row in found})
    assert rows["F-35B detachment"]["since"] == "2025-09"  # a month stays a month
    assert rows["unidentified SSN \u00d71"]["since"] == "2025-09-21/2025-09-23"
    assert rows["USS Ramage"]["status"] == "relieved"
    assert rows["USS Ramage"]["place"] is None
    assert rows["USS Ramage"]["hull"] == "DDG-61"
    for row in rows.values():
        iso_date(row["since"])
        iso_date(row["last_reported"])
        quantity(row["count"])
    sources = data["sources"]
    assert isinstance(sources, list)
    assert [s["id"] for s in sources] == sorted({s["id"] for s in sources}, key=[s["id"] for s in sources].index)
    labels = {s["id"]: s["label"] for s in sources}
    assert labels["press"] == "Example Navy Public Affairs, Oct 21, 2025"


def test_report_csv_and_github_give_every_table() -> None:
    rows = list(csv.reader(io.StringIO(ok(*COMMANDS["report"], "--format", "csv"))))
    titles = list(dict.fromkeys(row[0] for row in rows if row[0] != "table"))
    assert titles[:3] == [
        "Deployment as of 2025-10-20 in Caribbean Sea",
        "Vessels present in Caribbean Sea on 2025-10-20",
        "Aircraft ashore in Caribbean Sea on 2025-10-20",
    ]
    assert {"Sources", "Legend"} <= set(titles)
    out = ok(*COMMANDS["report"], "--format", "github")
    assert out.startswith("Deployment as of 2025-10-20 in Caribbean Sea\n  Vessels")
    assert "| name " in out and "Legend" in out


def test_report_titles_on_request() -> None:
    plain = ok(*COMMANDS["report"])
    titled = ok(*COMMANDS["report"], "--titles")
    title = "Fleet tracker, 27 October 2025 (test fixture)"
    assert title not in plain and title in titled


def test_report_defaults_to_the_newest_source_and_counts_everywhere_without_settings() -> None:
    # The fixture names no default region: the title says that every place is counted.
    data = report_json("report", FIXTURE)
    assert data["title"] == "Deployment as of 2025-10-27 in all places"
    assert report_json("report", FIXTURE, "--region", "all")["title"] == data["title"]
    caribbean = report_json("report", FIXTURE, "--region", "caribbean")
    assert caribbean["title"] == "Deployment as of 2025-10-27 in Caribbean Sea"


def test_report_counts_the_region_the_settings_name(tmp_path: Path) -> None:
    folder = tmp_path / "catalog"
    shutil.copytree(FIXTURE, folder)
    (folder / "settings.yaml").write_text("settings: {region: caribbean, title: the test sea}\n", encoding="utf-8")
    data = report_json("report", str(folder))
    assert data["title"] == "Deployment as of 2025-10-27 in the test sea"
    everywhere = report_json("report", str(folder), "--region", "all")
    assert everywhere["title"] == "Deployment as of 2025-10-27 in all places"
    # The library counts the same region by default.
    catalog = load(folder)
    assert catalog.as_of("2025-10-20").region == catalog.as_of("2025-10-20", "caribbean").region


def test_report_after_the_newest_source_has_a_note() -> None:
    note = report_json("report", FIXTURE, "--as-of", "2025-11-30")["note"]
    assert isinstance(note, str) and "no source is dated after 2025-10-27" in note
    assert "no source is dated after 2025-10-27" in ok("report", FIXTURE, "--as-of", "2025-11-30")


def test_report_with_a_partial_date_reports_its_last_day() -> None:
    assert report_json("report", FIXTURE, "--as-of", "2025-09")["title"] == (
        "Deployment as of 2025-09-30 in all places"
    )


def test_report_to_a_file(tmp_path: Path) -> None:
    out = tmp_path / "report.html"
    assert ok(*COMMANDS["report"], "--format", "html", "--output", str(out)) == ""
    page = out.read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>") and "Deployment as of 2025-10-20 in Caribbean Sea" in page
    err = _fails(2, *COMMANDS["report"], "--output", str(tmp_path / "no-such-folder" / "r.txt"))
    assert "orbat report: cannot write" in err


@pytest.mark.parametrize("by", BREAKDOWNS)
def test_table_by_every_choice(by: str) -> None:
    (table,) = tables_json("table", FIXTURE, "--as-of", "2025-10-20", "--by", by, "--region", "all")
    measure = "Aircraft" if by in AIRCRAFT_BREAKDOWNS else "Vessels"
    assert table["title"] == f"{measure} present by {by} as of 2025-10-20 in all places"
    rows = rows_of(table)
    key = by.replace(" ", "_")
    assert all(set(row) == {key, "name", "count"} for row in rows)
    *parts, last = rows
    assert last[key] == "total"
    expected = Quantity(18, 18, approximate=True) if by in AIRCRAFT_BREAKDOWNS else Quantity.exact(5)
    assert quantity(last["count"]) == expected
    assert sum((quantity(row["count"]) for row in parts), Quantity.exact(0)) == expected


def test_table_names_the_keys() -> None:
    (table,) = tables_json("table", FIXTURE, "--as-of", "2025-10-20", "--by", "location")
    names = {row["location"]: row["name"] for row in rows_of(table)}
    assert names == {"caribbean": "Caribbean Sea", "roosevelt-roads": "Roosevelt Roads", "total": ""}


def test_diff_json() -> None:
    (table,) = tables_json(*COMMANDS["diff"])
    assert table["title"] == "Changes from 2025-08-01 to 2025-10-20"
    rows = {str(row["unit"]): row for row in rows_of(table)}
    for row in rows.values():
        iso_date(row["date"])
    assert rows["F-35B detachment"]["date"] == "2025-09"
    assert rows["F-35B detachment"]["change"] == "arrived"
    assert rows["unidentified SSN \u00d71"]["date"] == "2025-09-21/2025-09-23"
    assert rows["USS Iwo Jima"]["change"] == "arrived"
    assert rows["USS Stockdale"]["sources"] == "tracker"
    assert "USS Gerald R. Ford" in rows
    dates = [parse_date(str(row["date"])).sort_key() for row in rows_of(table)]
    assert dates == sorted(dates)


def test_diff_backwards_is_the_reverse() -> None:
    (table,) = tables_json("diff", "2025-10-20", "2025-08-01", FIXTURE)
    rows = {str(row["unit"]): row for row in rows_of(table)}
    assert rows["USS Iwo Jima"]["change"] == "left"
    (forward,) = tables_json(*COMMANDS["diff"])
    assert set(rows) == {str(row["unit"]) for row in rows_of(forward)}


def test_timeline_json() -> None:
    (table,) = tables_json(*COMMANDS["timeline"], "--region", "caribbean")
    rows = rows_of(table)
    days = [str(row["date"]) for row in rows]
    assert days == sorted(set(days))
    assert all(re.fullmatch(r"\d{4}-\d{2}-\d{2}", day) for day in days)
    # Every day that begins or ends an event's date: 2025-09 gives 09-01 and 09-30.
    assert {"2025-08-01", "2025-09-01", "2025-09-30", "2025-09-21", "2025-09-23", "2025-10-25"} <= set(days)
    by_day = {row["date"]: row for row in rows}
    assert quantity(by_day["2025-09-01"]["aircraft"]) == Quantity(0, 16, approximate=True)
    assert quantity(by_day["2025-10-24"]["vessels"]) == Quantity.between(5, 6)  # the Ford, ordered there
    assert quantity(by_day["2025-09-21"]["vessels"]) == Quantity.between(3, 4)
    assert "USS Ramage" in str(by_day["2025-10-10"]["changes"])


def test_claims_json() -> None:
    (table,) = tables_json(*COMMANDS["claims"])
    rows = rows_of(table)
    assert {row["verdict"] for row in rows} == {"agrees", "disagrees", "cannot tell"}
    for row in rows:
        assert iso_date(row["as_of"]) == "2025-10-20"
        quantity(row["reported"])
        quantity(row["catalog"])
    personnel = next(row for row in rows if row["what"] == "sailors and marines")
    assert personnel["reported"] == {"low": 4001, "high": None, "approximate": False, "text": "4,001+"}
    assert personnel["verdict"] == "cannot tell"
    press = next(row for row in rows if row["sources"] == "press" and row["what"] == "warships")
    assert (press["verdict"], press["other_reports"]) == ("disagrees", "wire-total: 5")


# =============================================================================================
# Failures: exit 2 for usage and I/O, exit 1 for a broken catalog


def _fails(code: int, *args: str) -> str:
    result = orbat(*args)
    assert result.returncode == code, (result.stdout, result.stderr)
    assert result.stdout == ""
    assert result.stderr.strip()
    return result.stderr


@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_an_unknown_format_exits_2(command: str) -> None:
    assert "unknown format 'nope'" in _fails(2, *COMMANDS[command], "--format", "nope")


@pytest.mark.parametrize(
    "args",
    [
        ("report", FIXTURE, "--as-of", "2025-13-01"),
        ("report", FIXTURE, "--as-of", "yesterday"),
        ("table", FIXTURE, "--as-of", "2025-02-30"),
        ("diff", "2025-08-01", "nope", FIXTURE),
        ("diff", "2025-09-23/2025-09-21", "2025-10-01", FIXTURE),
    ],
)
def test_a_bad_date_exits_2(args: tuple[str, ...]) -> None:
    err = _fails(2, *args)
    assert "usage: orbat" in err
    assert "date" in err


def test_table_needs_a_date() -> None:
    assert "--as-of" in _fails(2, "table", FIXTURE)


@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_a_missing_path_exits_2(command: str, tmp_path: Path) -> None:
    missing = str(tmp_path / "no-such-catalog")
    args = [missing if arg == FIXTURE else arg for arg in COMMANDS[command]]
    assert f"no such file or folder: {missing}" in _fails(2, *args)


@pytest.mark.parametrize("command", ["report", "table", "diff", "timeline"])
def test_an_unknown_region_exits_2(command: str) -> None:
    assert "no place has id 'atlantis'" in _fails(2, *COMMANDS[command], "--region", "atlantis")


def test_report_without_a_dated_source_needs_a_date(tmp_path: Path) -> None:
    assert "the catalog has no dated source; give --as-of DATE" in _fails(2, "report", str(tmp_path))
    (table,) = tables_json("timeline", str(tmp_path))
    assert rows_of(table) == []


def test_an_unknown_command_or_breakdown_exits_2() -> None:
    _fails(2, "frobnicate")
    _fails(2, "table", FIXTURE, "--as-of", "2025-10-20", "--by", "colour")


BROKEN = """\
sources:
  - {id: tracker, title: Fleet tracker, publisher: Example Naval News, date: 2025-10-27}
places:
  - {id: caribbean, name: Caribbean Sea, kind: sea}
vessels:
  - {id: ramage, name: USS Ramage, hull: DDG-61, navy: US}
events:
  - date: 2025-10-24
    kind: arrived
    units: [ramage, bulkeley]
    place: caribbean
    cite: tracker
"""


@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_a_broken_catalog_exits_1_with_the_problems(command: str, tmp_path: Path) -> None:
    path = tmp_path / "catalog.yaml"
    path.write_text(BROKEN, encoding="utf-8")
    args = [str(path) if arg == FIXTURE else arg for arg in COMMANDS[command]]
    err = _fails(1, *args, "--format", "json")
    assert f"{path}:10:21: error[unknown-reference]" in err
    assert "error[unknown-reference]: no unit has id 'bulkeley'" in err
    assert f"orbat {command}: the catalog has errors" in err
