"""Tidy presence data: the intervals agree with the queries on every day, and the presence export
read back as plain CSV gives exactly the figures of ``orbat table`` on every event date."""

from __future__ import annotations

import csv
import datetime as dt
import io
import itertools
import json
import subprocess
import sys
from collections import defaultdict
from pathlib import Path

import attrs
import pytest
from hypothesis import given
from test_queries import PROPERTY_SETTINGS, cases, query_dates

import orbat
from orbat.dates import PartialDate
from orbat.intervals import (
    PRESENCE_COLUMNS,
    PresenceInterval,
    change_days,
    presence_csv,
    presence_intervals,
    presence_json,
    presence_rows,
)
from orbat.model import Catalog, Citation, Event, EventKind, Place, Source, UnidentifiedVessels, Vessel
from orbat.quantities import Quantity, total
from orbat.queries import Status, snapshot
from orbat.rendering import breakdown_table

ROOT = Path(__file__).resolve().parent.parent
REFERENCE = orbat.load([], reference=True)
CITE = (Citation("src"),)


@pytest.fixture(scope="module")
def bundled() -> Catalog:
    return orbat.load(ROOT / "catalog")


def _event_days(catalog: Catalog) -> list[dt.date]:
    return sorted({d for e in catalog.events for d in (e.date.start, e.date.end)})


def _held(intervals: tuple[PresenceInterval, ...], day: dt.date) -> dict[str, PresenceInterval]:
    """The record of each unit on ``day``, with its days blanked out so that it compares as a state."""
    found = {}
    for record in intervals:
        if record.holds_on(day) or (record.ongoing and day > record.last_day):
            assert record.unit not in found, f"two records of {record.unit} hold on {day}"
            found[record.unit] = attrs.evolve(record, first_day=day, last_day=day, ongoing=False)
    return found


def _from_snapshot(catalog: Catalog, day: dt.date, region: str | None) -> dict[str, PresenceInterval]:
    """What a record of each unit on ``day`` must say: the snapshot's state and region membership."""
    snap = snapshot(catalog, day, region)
    return {
        s.unit_id: PresenceInterval(
            unit=s.unit_id,
            name=s.unit.label,
            unit_kind="",
            type=s.unit.type,
            category=None,
            navy=s.unit.navy,
            formation=s.formation,
            outermost_formation=None,
            place=s.place,
            other_places=tuple(p for p in s.places if p != s.place),
            region=str(snap.region),
            certainly_in_region=snap.certainly_here(s),
            possibly_in_region=snap.possibly_here(s),
            status=s.status,
            status_text=s.status_text,
            certain=s.certain,
            count=s.count,
            since=s.since,
            last_reported=s.last_reported,
            sources=tuple(s.sources),
            first_day=day,
            last_day=day,
        )
        for s in snap.states
    }


def _comparable(record: PresenceInterval) -> PresenceInterval:
    """Leaves out the fields looked up from the catalog rather than read from the state."""
    return attrs.evolve(record, unit_kind="", category=None, outermost_formation=None)


# ---------------------------------------------------------------------------------------------
# Properties


@PROPERTY_SETTINGS
@given(case=cases, day=query_dates)
def test_intervals_give_the_snapshot_of_any_day(case: tuple[Catalog, str | None], day: dt.date) -> None:
    catalog, region = case
    intervals = presence_intervals(catalog, region)
    held = {unit: _comparable(r) for unit, r in _held(intervals, day).items()}
    assert held == _from_snapshot(catalog, day, region)


@PROPERTY_SETTINGS
@given(case=cases)
def test_intervals_of_a_unit_follow_each_other_without_repeat(case: tuple[Catalog, str | None]) -> None:
    """Runs of one unit start on change days, never overlap, and differ from the run before;
    a gap is a stretch on which the unit has no state (it left the only formation it was in)."""
    catalog, region = case
    intervals = presence_intervals(catalog, region)
    by_unit: dict[str, list[PresenceInterval]] = defaultdict(list)
    for record in intervals:
        assert record.first_day <= record.last_day
        by_unit[record.unit].append(record)
    days = change_days(catalog)
    for unit, records in by_unit.items():
        assert records[0].first_day in days
        assert not any(r.ongoing for r in records[:-1])
        for before, after in itertools.pairwise(records):
            assert after.first_day in days
            assert after.first_day > before.last_day
            gap = before.last_day + dt.timedelta(days=1)
            if after.first_day == gap:
                moved = attrs.evolve(before, first_day=after.first_day, last_day=after.last_day, ongoing=after.ongoing)
                assert moved != after, "two runs of the same state"
            else:
                assert unit not in {s.unit_id for s in snapshot(catalog, gap, region).states}


# ---------------------------------------------------------------------------------------------
# A small catalog, exactly


def _small() -> Catalog:
    """A destroyer arriving some day in August and confirmed on Sept 10; three unnamed frigates,
    "more than 2", reported in the region on Sept 20."""
    return attrs.evolve(
        REFERENCE,
        places={"sea": Place("sea", "The Sea", "sea"), "port": Place("port", "A Port", "port", ("sea",))},
        sources={"src": Source("src", "A source", "A publisher", PartialDate.day(2025, 9, 30))},
        vessels={"v": Vessel(id="v", name="USS V", type="DDG", navy="US")},
        unidentified={"f": UnidentifiedVessels("f", "FFG", Quantity.at_least(3), "US", citations=CITE)},
        events=(
            Event("e1", PartialDate.month(2025, 8), EventKind.ARRIVED, ("v",), CITE, place="sea"),
            Event("e2", PartialDate.day(2025, 9, 10), EventKind.REPORTED_PRESENT, ("v",), CITE, place="port"),
            Event("e3", PartialDate.day(2025, 9, 20), EventKind.REPORTED_PRESENT, ("f",), CITE, place="sea"),
        ),
    )


def test_small_catalog_intervals() -> None:
    intervals = presence_intervals(_small(), "sea")
    spans = [
        (r.unit, r.first_day, r.last_day, r.ongoing, r.certainly_in_region, r.possibly_in_region, r.place)
        for r in intervals
    ]
    d = dt.date
    assert spans == [
        ("v", d(2025, 8, 1), d(2025, 8, 30), False, False, True, "sea"),
        ("v", d(2025, 8, 31), d(2025, 9, 9), False, True, True, "sea"),
        ("v", d(2025, 9, 10), d(2025, 9, 30), True, True, True, "port"),
        ("f", d(2025, 9, 20), d(2025, 9, 30), True, True, True, "sea"),
    ]
    assert all(r.status is Status.PRESENT and r.sources == ("src",) for r in intervals)
    assert intervals[0].since == PartialDate.month(2025, 8)


def test_small_catalog_csv_numbers_dates_and_open_counts() -> None:
    rows = list(csv.DictReader(io.StringIO(presence_csv(_small(), "sea"))))
    assert tuple(rows[0]) == PRESENCE_COLUMNS
    first, frigates = rows[0], rows[3]
    assert (first["since_start"], first["since_end"], first["since_precision"]) == ("2025-08-01", "2025-08-31", "month")
    assert (first["first_day"], first["last_day"], first["ongoing"]) == ("2025-08-01", "2025-08-30", "false")
    assert (first["certainly_in_region"], first["possibly_in_region"]) == ("false", "true")
    assert (first["count_low"], first["count_high"], first["count_high_open"]) == ("1", "1", "false")
    # "more than 2": the high end is open, given as the low end and a flag, never an empty cell.
    assert (frigates["count_low"], frigates["count_high"], frigates["count_high_open"]) == ("3", "3", "true")
    assert frigates["unit_kind"] == "unidentified vessels" and frigates["category"] == "surface combatant"
    assert rows[2]["place_name"] == "A Port" and rows[2]["region"] == "sea"
    assert not any("~" in value for row in rows for value in row.values())


def test_json_rows_are_the_csv_rows_typed() -> None:
    catalog = _small()
    data = json.loads(presence_json(catalog))
    assert data == json.loads(json.dumps(presence_rows(catalog, presence_intervals(catalog))))
    assert [list(row) for row in data] == [list(PRESENCE_COLUMNS)] * 4
    assert data[3]["count_high"] == 3 and data[3]["count_high_open"] is True
    assert data[0]["region"] == "all" and data[0]["sources"] == ["src"]
    assert (data[0]["last_reported_start"], data[0]["last_reported_precision"]) == ("2025-08-01", "month")


def test_a_catalog_without_events_has_no_intervals() -> None:
    assert presence_intervals(REFERENCE) == ()
    assert presence_csv(REFERENCE) == ",".join(PRESENCE_COLUMNS) + "\n"


# ---------------------------------------------------------------------------------------------
# The bundled catalog against ``orbat table``


def _figures(rows: list[dict[str, str]], day: dt.date, key: str, aircraft: bool) -> dict[str, Quantity]:
    """A breakdown from the CSV rows alone: certain rows give the low end, possible rows the high end."""
    groups: dict[str, list[dict[str, str]]] = defaultdict(list)
    for row in rows:
        holds = row["first_day"] <= day.isoformat() and (row["ongoing"] == "true" or day.isoformat() <= row["last_day"])
        if holds and row["possibly_in_region"] == "true" and (row["unit_kind"] == "aircraft detachment") == aircraft:
            groups[row[key]].append(row)

    def quantity(row: dict[str, str]) -> Quantity:
        high = None if row["count_high_open"] == "true" else int(row["count_high"])
        return Quantity(int(row["count_low"]), high, row["count_approximate"] == "true")

    figures = {}
    for name, members in groups.items():
        certain = total(quantity(r) for r in members if r["certainly_in_region"] == "true")
        possible = total(quantity(r) for r in members)
        figures[name] = Quantity(certain.low, possible.high, certain.approximate or possible.approximate)
    return figures


@pytest.mark.parametrize("region", ["caribbean", "puerto-rico", None])
def test_presence_csv_matches_orbat_table_on_every_event_date(bundled: Catalog, region: str | None) -> None:
    rows = list(csv.DictReader(io.StringIO(presence_csv(bundled, region))))
    days = _event_days(bundled)
    assert len(days) > 20
    compared = 0
    for day in days:
        snap = snapshot(bundled, day, region)
        for by, key, aircraft in (
            ("category", "category", False),
            ("type", "type", False),
            ("aircraft-type", "type", True),
        ):
            table = breakdown_table(snap, by)
            expected = {str(row[0]): row[2] for row in table.rows[:-1] if isinstance(row[2], Quantity)}
            assert len(expected) == len(table.rows) - 1
            assert _figures(rows, day, key, aircraft) == expected, (day, by)
            assert total(expected.values()) == table.rows[-1][2]
            compared += len(expected)
    assert compared > 30  # groups compared over all dates (36 for Puerto Rico, more for the others)


def test_cli_presence_export_matches_cli_table(tmp_path: Path) -> None:
    out = tmp_path / "presence.csv"
    run = [sys.executable, "-m", "orbat"]
    exported = subprocess.run(
        [*run, "export", "--to", "presence-csv", str(out)], cwd=ROOT, capture_output=True, text=True, check=False
    )
    assert exported.returncode == 0, exported.stderr
    rows = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8"))))
    assert {row["region"] for row in rows} == {"caribbean"}  # the query commands' default region
    for day in ("2025-09-15", "2025-11-20"):
        shown = subprocess.run(
            [*run, "table", "--as-of", day, "--by", "type", "--format", "json"],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=False,
        )
        assert shown.returncode == 0, shown.stderr
        table = json.loads(shown.stdout)[0]["rows"]
        expected = {row["type"]: (row["count"]["low"], row["count"]["high"]) for row in table if row["type"] != "total"}
        figures = _figures(rows, dt.date.fromisoformat(day), "type", aircraft=False)
        assert {name: (q.low, q.high) for name, q in figures.items()} == expected
        assert "DDG" in expected


def test_cli_presence_export_region_is_checked(tmp_path: Path) -> None:
    run = [sys.executable, "-m", "orbat", "export", "--to", "presence-json", "-"]
    everywhere = subprocess.run([*run, "--region", "all"], cwd=ROOT, capture_output=True, text=True, check=False)
    assert everywhere.returncode == 0, everywhere.stderr
    assert {row["region"] for row in json.loads(everywhere.stdout)} == {"all"}
    wrong = subprocess.run([*run, "--region", "atlantis"], cwd=ROOT, capture_output=True, text=True, check=False)
    assert wrong.returncode == 2
    message = "orbat export: --region: no place has id 'atlantis'; use place ids from the catalog, or 'all'\n"
    assert wrong.stderr == message
