"""One truth across outputs: the timeline picture, the report, ``orbat table``, ``orbat timeline`` and the
exports give the same figures for the same date, on several dates of the bundled catalog."""

from __future__ import annotations

import datetime as dt
import json
import xml.etree.ElementTree as ET
from collections import defaultdict
from pathlib import Path

import pytest

import orbat
from orbat.export import geojson_collection, orbat_mapper_scenario, unit_records
from orbat.intervals import presence_intervals
from orbat.quantities import Quantity, total
from orbat.queries import default_region, snapshot, timeline
from orbat.report import Report, Row, build_report
from orbat.svg import presence_spans, timeline_svg

ROOT = Path(__file__).resolve().parent.parent
SVG = "{http://www.w3.org/2000/svg}"
# The golden dates of the report, and days on which counts or presence change in the bundled catalog.
DATES = ("2025-08-31", "2025-09-05", "2025-09-15", "2025-10-24", "2025-11-04", "2025-11-20", "2025-12-15", "2025-12-31")


@pytest.fixture(scope="module")
def catalog() -> orbat.Catalog:
    return orbat.load(ROOT / "catalog")


@pytest.fixture(scope="module")
def region(catalog: orbat.Catalog) -> str:
    return str(default_region(catalog))


def report_on(catalog: orbat.Catalog, day: str, region: str | None) -> Report:
    return build_report(snapshot(catalog, day, region))


def present_rows(report: Report) -> dict[str, Row]:
    return {row.unit: row for row in (*report.vessels, *report.aircraft)}


def added(rows: list[Row]) -> Quantity:
    """What rows add up to: the certain ones in the low end, all of them in the high end."""
    certain = total(r.count for r in rows if r.presence == "certain")
    possible = total(r.count for r in rows)
    return Quantity(certain.low, possible.high, certain.approximate or possible.approximate)


@pytest.mark.parametrize("day", DATES)
def test_the_timeline_picture_and_the_report_agree(catalog: orbat.Catalog, region: str | None, day: str) -> None:
    date = dt.date.fromisoformat(day)
    rows = present_rows(report_on(catalog, day, region))
    drawn = {
        s.unit_id: s
        for s in presence_spans(catalog, region)
        if s.start <= date < s.end and s.presence in ("certain", "possible")
    }
    assert set(drawn) == set(rows)
    for unit_id, span in drawn.items():
        assert span.presence == rows[unit_id].presence, unit_id
        assert span.state.count == rows[unit_id].count, unit_id


def test_the_pictures_count_labels_are_the_spans_counts(catalog: orbat.Catalog, region: str | None) -> None:
    root = ET.fromstring(timeline_svg(catalog, region))
    shown: dict[str, list[str]] = defaultdict(list)
    for row in root.iter(f"{SVG}g"):
        if row.get("class") == "unit-row":
            shown[row.get("data-unit", "")] = [
                t.text or "" for t in row.iter(f"{SVG}text") if t.get("class") == "span-count"
            ]
    for unit in catalog.aircraft.values():
        spans = [s for s in presence_spans(catalog, region) if s.unit_id == unit.id]
        assert shown[unit.id] == [str(s.state.count) for s in spans if s.state.count != Quantity.exact(1)]
    # The MQ-9 row says what the report says on the last date.
    last = report_on(catalog, DATES[-1], region)
    mq9 = next(r for r in last.aircraft if r.type.startswith("MQ-9"))
    assert shown[mq9.unit][-1] == str(mq9.count)


@pytest.mark.parametrize("day", DATES)
def test_rows_tables_and_timeline_add_up_to_the_headline(catalog: orbat.Catalog, region: str | None, day: str) -> None:
    report = report_on(catalog, day, region)
    snap = snapshot(catalog, day, region)
    head = report.headline
    assert added(list(report.vessels)) == head.vessels == snap.vessels()
    assert added(list(report.aircraft)) == head.aircraft_ashore == snap.aircraft_ashore()
    assert head.aircraft_ashore + head.aircraft_embarked == snap.aircraft()
    assert total(r.counted or r.count for r in report.personnel) == head.personnel == snap.total_personnel()
    # orbat table: every breakdown's total is the headline's, and its parts are the rows'.
    by_type: dict[str, list[Row]] = defaultdict(list)
    for row in report.aircraft:
        by_type[catalog.aircraft[row.unit].type].append(row)
    parts = snap.breakdown("aircraft-type")
    assert set(parts) == set(by_type)
    for key, rows in by_type.items():
        assert parts[key] == added(rows), key
    assert total(snap.breakdown("type").values()).low == head.vessels.low
    # orbat timeline, on the days it lists.
    entries = {e.date: e for e in timeline(catalog, region)}
    entry = entries.get(dt.date.fromisoformat(day))
    if entry is not None:
        assert (entry.vessels, entry.aircraft, entry.personnel) == (
            head.vessels,
            head.aircraft_ashore + head.aircraft_embarked,
            head.personnel,
        )


def test_the_exports_give_the_reports_counts(catalog: orbat.Catalog) -> None:
    # The records hold each unit's last known state: the report on the same day, everywhere.
    records = {r["id"]: r for r in unit_records(catalog)}
    as_of = {r["as_of"] for r in records.values()}
    (day,) = as_of
    assert isinstance(day, str)
    report = report_on(catalog, day, None)
    for row in (*report.vessels, *report.aircraft, *report.bound, *report.outside):
        record = records[row.unit]
        assert record["count"] == str(row.count), row.unit
        high = None if record["count_high_open"] else record["count_high"]
        assert (record["count_low"], high) == (row.count.low, row.count.high), row.unit


@pytest.mark.parametrize("day", DATES)
def test_the_geojson_export_gives_the_reports_rows(catalog: orbat.Catalog, region: str | None, day: str) -> None:
    rows = present_rows(report_on(catalog, day, region))
    collection = json.loads(json.dumps(geojson_collection(catalog, day, region)))
    features = [f["properties"] for f in collection["features"]]
    units = {p["id"]: p for p in features if p.get("feature") == "unit"}
    assert set(units) == set(rows)
    for unit_id, row in rows.items():
        high = None if units[unit_id]["count_high_open"] else units[unit_id]["count_high"]
        assert (units[unit_id]["count_low"], high) == (row.count.low, row.count.high), unit_id
        assert units[unit_id]["presence"] == row.presence, unit_id
        assert units[unit_id]["status_text"] == row.status.split(" [D")[0], unit_id


@pytest.mark.parametrize("day", DATES)
def test_the_presence_export_gives_the_reports_rows(catalog: orbat.Catalog, region: str | None, day: str) -> None:
    date = dt.date.fromisoformat(day)
    report = report_on(catalog, day, region)
    rows = present_rows(report)
    holding = [i for i in presence_intervals(catalog, region) if i.holds_on(date) or (i.ongoing and date > i.last_day)]
    present = {i.unit: i for i in holding if i.possibly_in_region}
    assert set(present) == set(rows)
    for unit_id, interval in present.items():
        assert interval.count == rows[unit_id].count, unit_id
        assert ("certain" if interval.certainly_in_region else "possible") == rows[unit_id].presence, unit_id


# ORBAT Mapper states are placed on the first day of their event's date ("December" on Dec 1); a
# count reported for some day in December is the certain count from the month's last day, as in the
# report, the tables and the picture: the export gives it a state of its own on that day.
@pytest.mark.parametrize("day", DATES)
def test_the_orbat_mapper_scenario_gives_the_reports_certain_counts(
    catalog: orbat.Catalog, region: str | None, day: str
) -> None:
    """ORBAT Mapper takes one whole number per aircraft type: the certain (low) end of the count."""
    scenario = json.loads(json.dumps(orbat_mapper_scenario(catalog, now=dt.datetime(2026, 1, 1, tzinfo=dt.UTC))))
    units: dict[str, dict[str, object]] = {}

    def walk(node: dict[str, object]) -> None:
        for key in ("subUnits", "units"):
            for child in node.get(key, []) or []:  # type: ignore[attr-defined]
                if "sidc" in child and "state" in child:
                    units[child["id"]] = child
                walk(child)

    for side in scenario["sides"]:
        for group in side["groups"]:
            walk(group)
    rows = present_rows(report_on(catalog, day, region))
    for unit in catalog.aircraft.values():
        if unit.id not in rows:
            continue
        item = units[unit.id]
        count = item["equipment"][0]["count"]  # type: ignore[index]
        for state in item["state"]:  # type: ignore[attr-defined]
            update = state.get("update")
            when = dt.datetime.fromtimestamp(state["t"] / 1000, dt.UTC).date().isoformat()  # ScenarioTime: ms
            if update and when <= day:
                count = update["equipment"][0]["count"]
        assert count == rows[unit.id].count.low, (unit.id, day)
