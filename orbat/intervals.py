"""Tidy presence data: one record per unit and stretch of days over which orbat's answer about it is the same.

Nothing here decides where a unit is: :func:`presence_intervals` asks
:func:`orbat.queries.snapshot` on every day on which some state can change (the first and last
day of every date in the catalog's events and units) and keeps, for each unit, the runs of days
with the same answer. So a table made from the records agrees with ``orbat table`` on any day:
on a day ``d``, the certain (low) end of a count is the sum of ``count.low`` over the records with
``certainly_in_region`` whose days hold ``d``, and the possible (high) end the sum of
``count.high`` over those with ``possibly_in_region``.

:func:`presence_rows` flattens the records into rows for pandas, DuckDB or a spreadsheet, and
:func:`presence_csv` and :func:`presence_json` write them. In the rows a count is numbers only:
``count_low``, ``count_high`` and ``count_high_open``. A count with no upper bound ("more than
4,000", "unknown") has ``count_high_open`` true and ``count_high`` equal to the largest number the
source gives (its low end), never an empty cell that a sum would read as zero: a sum of
``count_high`` over rows of which any is open is the least the high end can be, and the high end
itself is open.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from collections.abc import Iterable, Sequence

import attrs

from orbat._columns import csv_cell, date_columns
from orbat.dates import PartialDate, day_before
from orbat.model import AircraftDetachment, Catalog, UnidentifiedVessels, Unit, Vessel, chain
from orbat.quantities import Quantity
from orbat.queries import RegionLike, Snapshot, Status, UnitState, snapshot

__all__ = [
    "PRESENCE_COLUMNS",
    "PresenceInterval",
    "change_days",
    "presence_csv",
    "presence_intervals",
    "presence_json",
    "presence_rows",
]


@attrs.frozen(slots=True)
class PresenceInterval:
    """One unit's state, as the queries give it, on every day from ``first_day`` to ``last_day``.

    ``ongoing`` marks the last known state: it holds up to the last day the catalog knows of
    (``last_day``) and, as far as the sources say, after it. ``certainly_in_region`` and
    ``possibly_in_region`` are :meth:`Snapshot.certainly_here` and :meth:`Snapshot.possibly_here`
    of the region (``region``: its place ids, comma-separated, or ``all``); ``certain`` is
    :attr:`UnitState.certain`, ``status_text`` :attr:`UnitState.status_text` ("ordered, possibly
    arrived"), ``last_reported`` the date of the last report that confirmed the state.
    """

    unit: str
    name: str
    unit_kind: str  # vessel, unidentified vessels or aircraft detachment
    type: str  # hull symbol (DDG) or aircraft type (F-35B)
    category: str | None  # ship category, or the aircraft role
    navy: str
    formation: str | None
    outermost_formation: str | None
    place: str | None
    other_places: tuple[str, ...]  # the other places it may be at, where sources disagree
    region: str
    certainly_in_region: bool
    possibly_in_region: bool
    status: Status
    status_text: str
    certain: bool
    count: Quantity
    since: PartialDate
    last_reported: PartialDate | None
    sources: tuple[str, ...]
    first_day: dt.date
    last_day: dt.date
    ongoing: bool = False

    def holds_on(self, day: dt.date) -> bool:
        """Whether ``day`` lies within the interval."""
        return self.first_day <= day <= self.last_day


def _dates(entry: attrs.AttrsInstance) -> Iterable[PartialDate]:
    """Every date an entry carries, whatever the field: the days on which a state may change."""
    for field in attrs.fields(type(entry)):
        value = getattr(entry, field.name)
        if isinstance(value, PartialDate):
            yield value


def change_days(catalog: Catalog) -> tuple[dt.date, ...]:
    """The days on which some unit's state may change: the first and last day of every date of
    every event and unit (``orbat.queries.timeline`` walks the events' days alike)."""
    entries: list[attrs.AttrsInstance] = [*catalog.events, *catalog.units()]
    return tuple(sorted({day for entry in entries for date in _dates(entry) for day in (date.start, date.end)}))


def _kind(unit: Unit) -> str:
    if isinstance(unit, Vessel):
        return "vessel"
    if isinstance(unit, UnidentifiedVessels):
        return "unidentified vessels"
    return "aircraft detachment"


def _category(catalog: Catalog, unit: Unit) -> str | None:
    if isinstance(unit, AircraftDetachment):
        aircraft_type = catalog.aircraft_types.get(unit.type)
        return aircraft_type.role if aircraft_type else None
    ship_type = catalog.ship_types.get(unit.type)
    return ship_type.category if ship_type else None


def _record(catalog: Catalog, snap: Snapshot, state: UnitState, day: dt.date) -> PresenceInterval:
    unit = state.unit
    outward = list(chain(catalog.formation_parents, state.formation))
    return PresenceInterval(
        unit=unit.id,
        name=unit.label,
        unit_kind=_kind(unit),
        type=unit.type,
        category=_category(catalog, unit),
        navy=unit.navy,
        formation=state.formation,
        outermost_formation=outward[-1] if outward else None,
        place=state.place,
        other_places=tuple(p for p in state.places if p != state.place),
        region=str(snap.region),
        certainly_in_region=snap.certainly_here(state),
        possibly_in_region=snap.possibly_here(state),
        status=state.status,
        status_text=state.status_text,
        certain=state.certain,
        count=state.count,
        since=state.since,
        last_reported=state.last_reported,
        sources=tuple(state.sources),
        first_day=day,
        last_day=day,
    )


def presence_intervals(catalog: Catalog, region: RegionLike = None) -> tuple[PresenceInterval, ...]:
    """Every unit's states over time, one record per run of days with the same state, by unit
    (in catalog order) and then by day; ``region`` as for :func:`orbat.queries.snapshot`."""
    days = change_days(catalog)
    if not days:
        return ()
    latest = catalog.latest_source_date
    end = max(days[-1], latest.end) if latest is not None else days[-1]
    running: dict[str, PresenceInterval] = {}
    closed: list[PresenceInterval] = []
    for day in days:
        snap = snapshot(catalog, day, region)
        seen: set[str] = set()
        for state in snap.states:
            record = _record(catalog, snap, state, day)
            seen.add(record.unit)
            current = running.get(record.unit)
            if current is not None:
                if attrs.evolve(record, first_day=current.first_day, last_day=current.last_day) == current:
                    continue
                closed.append(attrs.evolve(current, last_day=day_before(day)))
            running[record.unit] = record
        for unit_id in [u for u in running if u not in seen]:  # no state any more (it left its only formation)
            closed.append(attrs.evolve(running.pop(unit_id), last_day=day_before(day)))
    closed.extend(attrs.evolve(record, last_day=end, ongoing=True) for record in running.values())
    order = {unit.id: n for n, unit in enumerate(catalog.units())}
    return tuple(sorted(closed, key=lambda r: (order[r.unit], r.first_day)))


# ---------------------------------------------------------------------------------------------
# Rows

PRESENCE_COLUMNS = (
    "unit",
    "name",
    "unit_kind",
    "type",
    "category",
    "navy",
    "formation",
    "outermost_formation",
    "place",
    "place_name",
    "other_places",
    "region",
    "certainly_in_region",
    "possibly_in_region",
    "status",
    "status_text",
    "certain",
    "first_day",
    "last_day",
    "ongoing",
    "count_low",
    "count_high",
    "count_high_open",
    "count_approximate",
    "since_start",
    "since_end",
    "since_precision",
    "since_approximate",
    "last_reported_start",
    "last_reported_end",
    "last_reported_precision",
    "last_reported_approximate",
    "sources",
)


def presence_rows(catalog: Catalog, intervals: Sequence[PresenceInterval]) -> list[dict[str, object]]:
    """The records as flat rows keyed by :data:`PRESENCE_COLUMNS`: numbers as numbers, days as
    ISO text, lists as lists (see the module documentation for ``count_high_open``)."""
    rows: list[dict[str, object]] = []
    for record in intervals:
        place = catalog.places.get(record.place) if record.place else None
        count = record.count
        rows.append(
            {
                "unit": record.unit,
                "name": record.name,
                "unit_kind": record.unit_kind,
                "type": record.type,
                "category": record.category,
                "navy": record.navy,
                "formation": record.formation,
                "outermost_formation": record.outermost_formation,
                "place": record.place,
                "place_name": place.name if place else record.place,
                "other_places": list(record.other_places),
                "region": record.region,
                "certainly_in_region": record.certainly_in_region,
                "possibly_in_region": record.possibly_in_region,
                "status": record.status.value,
                "status_text": record.status_text,
                "certain": record.certain,
                "first_day": record.first_day.isoformat(),
                "last_day": record.last_day.isoformat(),
                "ongoing": record.ongoing,
                "count_low": count.low,
                "count_high": count.low if count.high is None else count.high,
                "count_high_open": count.high is None,
                "count_approximate": count.approximate,
                **date_columns("since", record.since),
                **date_columns("last_reported", record.last_reported),
                "sources": list(record.sources),
            }
        )
    return rows


def presence_csv(catalog: Catalog, region: RegionLike = None) -> str:
    """:func:`presence_rows` of the whole catalog as CSV text, with a header row; lists are joined by ``; ``."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(PRESENCE_COLUMNS)
    for row in presence_rows(catalog, presence_intervals(catalog, region)):
        writer.writerow([csv_cell(row[column]) for column in PRESENCE_COLUMNS])
    return out.getvalue()


def presence_json(catalog: Catalog, region: RegionLike = None) -> str:
    """:func:`presence_rows` of the whole catalog as a JSON list of objects."""
    rows = presence_rows(catalog, presence_intervals(catalog, region))
    return json.dumps(rows, indent=2, ensure_ascii=False) + "\n"
