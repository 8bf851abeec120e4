"""Exporting a catalog for other tools: ORBAT Mapper scenarios, GeoJSON, and records for pandas or a spreadsheet.

**ORBAT Mapper** (https://orbat-mapper.app) opens the scenario JSON of
:func:`orbat_mapper_scenario`, in the app's scenario format 3.4.0 (``layerStack``,
``symbologyStandard`` ``app6d``, times in milliseconds). One side per navy, each with a group of
formations (nested as the catalog nests them, each unit under the formation it was last reported
in) and a group of units in no formation. Every unit has an APP-6 D / MIL-STD-2525 D symbol code
(``sidc``) from its ship category or aircraft role, and a dated state for each event behind it,
titled with what happened and carrying the unit's status after it ("present", "possibly
present", "present, place disputed", "ordered", ...). A state whose event puts the unit at a place
with a position (``[longitude, latitude]``, as the app expects) moves it there, a departure shows
it where it left, and relieved or decommissioned it leaves the map, so the app's time slider moves
units; it jumps on a report's day, and is drawn travelling only from a departure to its arrival.
A date of month or year precision, or a span of days, is placed on its first day and the state's
description says so. Descriptions are Markdown: paragraphs, and a list of the sources with their
quotes. The places with a position or an area are the items of an overlay layer, "Places".

**GeoJSON** (:func:`geojson_collection`): the deployment on a date as a FeatureCollection (RFC
7946): the places with a position or an area, and a Point per unit certainly or possibly present
in a region, by :func:`orbat.queries.snapshot`'s rules.

**Records** (:func:`unit_records`, :func:`event_records`) are flat rows: one per unit, with its
last known state, and one per event. ``json`` writes ``{"units": [...], "events": [...]}``;
``csv`` writes one table whose first column, ``record``, says ``unit`` or ``event``, with the
columns of both (a column that does not apply to a row is empty). A count is numbers:
``count_low``, ``count_high`` and ``count_high_open`` (no upper bound: ``count_high`` is then the
low end, never an empty cell a sum reads as zero); the CSV leaves out the text forms of counts and
dates (``count``, ``date``, ``since``), which it gives as numbers and as ISO days with a precision.

**Presence** (``presence-csv``, ``presence-json``): one row per unit and stretch of days with
the same state, from :mod:`orbat.intervals`.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
from collections.abc import Iterable, Mapping, Sequence

from orbat import geo
from orbat._columns import csv_cell, date_columns
from orbat.dates import PartialDate, Precision
from orbat.intervals import presence_csv, presence_json
from orbat.model import (
    PLACING_KINDS,
    AircraftDetachment,
    Catalog,
    Citation,
    Event,
    EventKind,
    Formation,
    Place,
    UnidentifiedVessels,
    Unit,
    Vessel,
    chain,
    service_events,
)
from orbat.quantities import Quantity
from orbat.queries import RegionLike, Snapshot, Status, UnitState, snapshot

__all__ = [
    "EVENT_COLUMNS",
    "EXPORT_FORMATS",
    "ORBAT_MAPPER_VERSION",
    "UNIT_COLUMNS",
    "event_records",
    "export_text",
    "formation_sidc",
    "geojson_collection",
    "orbat_mapper_scenario",
    "records_csv",
    "records_json",
    "unit_records",
    "unit_sidc",
]

EXPORT_FORMATS = ("orbat-mapper", "csv", "json", "presence-csv", "presence-json", "geojson")

# ORBAT Mapper's current scenario file version (its src/config/constants.ts, app 1.4.7), whose
# model src/types/scenarioModels.ts declares; tests/fixtures/orbat-mapper-3.4.0-model.json lists it.
ORBAT_MAPPER_VERSION = "3.4.0"

# ---------------------------------------------------------------------------------------------
# Symbol codes

# A 20-digit APP-6 D / MIL-STD-2525 D code: version 10, reality, standard identity (3: friend),
# symbol set, status (0: present), headquarters / task force / dummy, echelon, entity, modifiers.
_FRIEND = "3"
_SEA_SURFACE, _SUBSURFACE, _AIR, _LAND_UNIT = "30", "35", "01", "10"

# Sea surface entities by ship category, refined by hull type where the standard has one.
_CATEGORY_ENTITY = {
    "carrier": "120100",
    "surface combatant": "120200",
    "amphibious": "120300",
    "mine warfare": "120400",
    "patrol": "120500",
    "auxiliary": "130100",
    "command": "130103",  # auxiliary flag or command ship
    "special operations": "120000",  # military combatant, not further specified
}
_TYPE_ENTITY = (
    (re.compile(r"^CG"), "120202"),  # cruiser
    (re.compile(r"^DD"), "120203"),  # destroyer
    (re.compile(r"^FF"), "120204"),  # frigate
    (re.compile(r"^LCS"), "120206"),  # littoral combatant ship
    (re.compile(r"^LCC"), "120301"),  # amphibious command ship
    (re.compile(r"^LHA"), "120303"),  # amphibious assault ship, general purpose
    (re.compile(r"^LHD"), "120304"),  # amphibious assault ship, multipurpose
    (re.compile(r"^LPD"), "120306"),  # amphibious transport dock
    (re.compile(r"^LSD"), "120307"),  # landing ship
    (re.compile(r"^T-AO$"), "130110"),  # replenishment oiler
)
# Fixed- and rotary-wing air entities by aircraft role.
_ROLE_ENTITY = {
    "fighter": "110104",
    "attack": "110102",
    "electronic warfare": "110108",
    "early warning": "110116",
    "maritime patrol": "110110",
    "reconnaissance": "110111",
    "helicopter": "110200",
    "transport": "110107",
    "tanker": "110109",
    "unmanned": "110300",
    "trainer": "110112",
}
# Formations: (symbol set, headquarters/task force digit, echelon, entity).
_FORMATION_SYMBOL = {
    "joint task force": (_LAND_UNIT, "4", "00", "121000"),  # task force, combined arms
    "task force": (_SEA_SURFACE, "0", "00", "121002"),  # navy task force
    "task group": (_SEA_SURFACE, "0", "00", "121003"),  # navy task group
    "strike group": (_SEA_SURFACE, "0", "00", "121003"),
    "ready group": (_SEA_SURFACE, "0", "00", "121003"),
    "task unit": (_SEA_SURFACE, "0", "00", "121004"),  # navy task unit
    "expeditionary unit": (_LAND_UNIT, "0", "17", "120300"),  # amphibious, regiment/group
    "air wing": (_LAND_UNIT, "0", "17", "120700"),  # aviation composite, regiment/group
    "squadron": (_LAND_UNIT, "0", "16", "120800"),  # aviation fixed wing, battalion/squadron
    "command": (_LAND_UNIT, "2", "26", "110000"),  # headquarters, command and control, command
}


def _sidc(symbol_set: str, entity: str, hq: str = "0", echelon: str = "00") -> str:
    code = f"100{_FRIEND}{symbol_set}0{hq}{echelon}{entity}0000"
    assert len(code) == 20 and code.isdigit(), code
    return code


def unit_sidc(catalog: Catalog, unit: Unit) -> str:
    """The 20-digit symbol code of a unit, from its ship category (and hull type) or aircraft role."""
    if isinstance(unit, AircraftDetachment):
        aircraft_type = catalog.aircraft_types.get(unit.type)
        role = aircraft_type.role if aircraft_type else ""
        return _sidc(_AIR, _ROLE_ENTITY.get(role, "110000"))
    ship_type = catalog.ship_types.get(unit.type)
    category = ship_type.category if ship_type else ""
    if category == "submarine":
        return _sidc(_SUBSURFACE, "110100")
    entity = next((code for pattern, code in _TYPE_ENTITY if pattern.match(unit.type)), None)
    return _sidc(_SEA_SURFACE, entity or _CATEGORY_ENTITY.get(category, "120000"))


def formation_sidc(formation: Formation) -> str:
    """The 20-digit symbol code of a formation, from its kind."""
    symbol_set, hq, echelon, entity = _FORMATION_SYMBOL.get(formation.kind, (_SEA_SURFACE, "0", "00", "121000"))
    return _sidc(symbol_set, entity, hq, echelon)


# ---------------------------------------------------------------------------------------------
# Shared helpers


def _last_day(catalog: Catalog) -> dt.date | None:
    """The last day anything is known of: the newest source's last day or the last event day."""
    days = [d for e in catalog.events for d in (e.date.start, e.date.end)]
    latest = catalog.latest_source_date
    if latest is not None:
        days.append(latest.end)
    return max(days) if days else None


def _final(catalog: Catalog) -> Snapshot | None:
    day = _last_day(catalog)
    return snapshot(catalog, day) if day is not None else None


def _unit_events(catalog: Catalog, unit: Unit, state: UnitState | None) -> tuple[Event, ...]:
    """The events behind a unit, formation-wide ones included (from its state when it has one)."""
    if state is not None:
        events: Iterable[Event] = state.events
    else:
        # Groups later identified by name have no state of their own: their own events only.
        events = (e for e in catalog.events if unit.id in e.units or e.relieves == unit.id)
    return tuple(sorted(events, key=lambda e: e.date.sort_key()))


def _kind(unit: Unit) -> str:
    if isinstance(unit, Vessel):
        return "vessel"
    if isinstance(unit, UnidentifiedVessels):
        return "unidentified vessels"
    return "aircraft detachment"


def _label(unit: Unit) -> str:
    return unit.label if not isinstance(unit, AircraftDetachment) else f"{unit.name} ({unit.type})"


def _place_name(catalog: Catalog, place_id: str | None) -> str | None:
    if place_id is None:
        return None
    place = catalog.places.get(place_id)
    return place.name if place else place_id


def _formation_name(catalog: Catalog, formation_id: str | None) -> str | None:
    if formation_id is None:
        return None
    formation = catalog.formations.get(formation_id)
    return formation.name if formation else formation_id


def _sources(citations: Iterable[Citation]) -> list[str]:
    return list(dict.fromkeys(c.source for c in citations))


def _precision_note(date: PartialDate) -> str | None:
    """What placing ``date`` on its first day hides, or None for a single day."""
    about = "about " if date.approximate else ""
    if date.is_span:
        return f"{about}{date.start.isoformat()} to {date.end.isoformat()}: shown on its first day"
    if date.precision is Precision.MONTH:
        return f"{about}some day in {date.start:%B %Y} (month precision): shown on its first day"
    if date.precision is Precision.YEAR:
        return f"{about}some day in {date.start.year} (year precision): shown on its first day"
    return f"about {date.start.isoformat()}" if date.approximate else None


# ---------------------------------------------------------------------------------------------
# ORBAT Mapper

# Markdown characters that catalog text must not use as markup in the app's descriptions
# (markdown-it, HTML off): each is written with a backslash before it.
_MARKDOWN = re.compile(r"([\\`*_{}\[\]<>#|~!])")

# The colours the app shows statuses in, by the status a state's words begin with (the words
# are UnitState.status_text: "present", "possibly present", "ordered, possibly arrived", ...).
_STATUS_COLOURS = (
    ("present (sources disagree", "#ea580c", "present, but sources put it at different places"),
    (
        "possibly present",
        "#ca8a04",
        "present if a date of uncertain day falls one way, or where a unit it took over from was: not certain",
    ),
    ("present (place not reported)", "#9ca3af", "took over from a unit whose place no source gives: not counted"),
    ("present", "#15803d", "present, as far as the sources say"),
    ("assigned", "#6b7280", "in a formation, where it is not reported"),
    ("ordered", "#2563eb", "ordered to go somewhere"),
    ("expected", "#2563eb", "expected somewhere"),
    ("en route", "#7c3aed", "departed for somewhere"),
    ("departed", "#7c3aed", "departed, no destination given"),
    ("detached", "#9ca3af", "left its formation, and no source places it: not counted"),
    ("relieved", "#9ca3af", "relieved by another unit: no longer counted"),
    ("decommissioned", "#9ca3af", "decommissioned: no longer counted"),
)


def _status_setting(name: str) -> dict[str, object]:
    """A status of the scenario's settings, with its colour and what it means."""
    for start, colour, meaning in _STATUS_COLOURS:
        if name.startswith(start):
            if ", possibly arrived" in name:
                meaning += ", and possibly already there"
            if name.endswith("(uncertain)"):
                meaning += " (uncertain: events of uncertain date, or sources that disagree)"
            return {"name": name, "description": meaning, "color": colour}
    return {"name": name}


def _md(text: str) -> str:
    """Catalog text as Markdown that shows it as written, on one line."""
    return _MARKDOWN.sub(r"\\\1", " ".join(text.split()))


def _ms(day: dt.date) -> int:
    """A day's start (UTC) as ORBAT Mapper's ScenarioTime: milliseconds since 1970."""
    return int(dt.datetime(day.year, day.month, day.day, tzinfo=dt.UTC).timestamp() * 1000)


def _event_title(catalog: Catalog, event: Event, unit: Unit) -> str:
    kind = event.kind
    if event.relieves == unit.id and unit.id not in event.units:
        reliever = ", ".join(_label(u) for u in map(catalog.unit, event.units) if u is not None)
        return f"relieved by {reliever}" if reliever else "relieved"
    if kind in (EventKind.JOINED, EventKind.DETACHED):
        preposition = "" if kind is EventKind.JOINED else " from"
        return f"{kind.value}{preposition} {_formation_name(catalog, event.formation)}"
    if kind is EventKind.RELIEVED:
        relieved = catalog.unit(event.relieves) if event.relieves else None
        return f"relieved {_label(relieved)}" if relieved else "relieved"
    if kind is EventKind.DEPARTED:
        parts = ["departed"]
        if event.place:
            parts.append(f"from {_place_name(catalog, event.place)}")
        if event.to:
            parts.append(f"for {_place_name(catalog, event.to)}")
        return " ".join(parts)
    where = {
        EventKind.ORDERED: " to",
        EventKind.EXPECTED: " in",
        EventKind.ARRIVED: " at",
        EventKind.REPORTED_PRESENT: " at",
        EventKind.RETURNED: " to",
        EventKind.DECOMMISSIONED: " at",
    }.get(kind, "")
    place = _place_name(catalog, event.place)
    return f"{kind.value}{where} {place}" if place else kind.value


def _citation_item(catalog: Catalog, citation: Citation) -> str:
    """A citation as a Markdown list item: the source, who published it when, and the quote."""
    source = catalog.sources.get(citation.source)
    text = f"- **{_md(source.title if source else citation.source)}**"
    if source is not None:
        text += f" ({_md(', '.join(part for part in (source.publisher, str(source.date or '')) if part))})"
    if citation.quote:
        text += f": \u201c{_md(citation.quote)}\u201d"
    if citation.note:
        text += f" ({_md(citation.note)})"
    return text


def _sources_block(catalog: Catalog, citations: Iterable[Citation]) -> list[str]:
    """Paragraphs of a description: a "Sources" heading and one list item per citation."""
    items = list(dict.fromkeys(_citation_item(catalog, c) for c in citations))
    return ["**Sources**", "\n".join(items)] if items else []


def _status_text(state: UnitState | None) -> str | None:
    """The status a state shows: present, possibly present, place disputed, ordered, ..."""
    return None if state is None else state.status_text


_PREPOSITION = {"ordered": "to", "en route": "to", "expected": "at", "departed": "from"}


def _location(
    catalog: Catalog, unit: Unit, event: Event, state: UnitState | None
) -> tuple[bool, list[float] | None, str]:
    """Whether a state sets the unit's location, the location ([longitude, latitude], or None:
    off the map), and what the description says of it.

    A report that puts the unit at a place shows it there; a departure shows it where it left;
    relieved or decommissioned, it leaves the map; any other event (ordered, expected, joined, ...)
    leaves it where it was last shown."""
    if state is None:
        return False, None, ""
    if state.status in (Status.RELIEVED, Status.DECOMMISSIONED):
        return True, None, "No longer counted: off the map from here."
    placed = event.kind in PLACING_KINDS or (event.kind is EventKind.RELIEVED and unit.id in event.units)
    if placed and event.place:
        place_id, why = event.place, "where this report puts it"
    elif event.kind is EventKind.DEPARTED and event.place:
        place_id, why = event.place, "the place it left"
    else:
        return False, None, ""
    place = catalog.places.get(place_id)
    name = _md(_place_name(catalog, place_id) or place_id)
    if place is None or place.position is None:
        return False, None, f"{name} has no position in the catalog: shown where it was last placed."
    latitude, longitude = place.position
    return True, geo.lon_lat(latitude, longitude), f"Shown at {name} ({why}: {latitude:g}, {longitude:g})."


def _status_line(catalog: Catalog, state: UnitState, day: dt.date) -> str:
    text, value = state.status_text, state.status.value
    place = _md(_place_name(catalog, state.place) or "") if state.place else ""
    others = [_md(_place_name(catalog, p) or p) for p in state.places if p and p != state.place]
    if others and state.disputed:
        line = f"{text}: {' or '.join([place, *others])}"
    elif place:
        where = f"{_PREPOSITION.get(value, 'at')} {place}"
        # "en route to X, possibly arrived"; "possibly present at X"
        line = f"{value} {where}{text[len(value) :]}" if text.startswith(value) else f"{text} {where}"
    else:
        line = text
    return f"**Status on {day.isoformat()}:** {line}"


def _state_description(
    catalog: Catalog, event: Event, unit: Unit, state: UnitState | None, day: dt.date, where: str
) -> str:
    date = f"**Date:** {event.date.isoformat()}"
    note = _precision_note(event.date)
    if note:
        date += f" ({_md(note)})"
    paragraphs = [date]
    if state is not None:
        paragraphs.append(_status_line(catalog, state, day))
    if where:
        paragraphs.append(where)
    if event.count is not None and unit.id in event.units:
        paragraphs.append(f"**Count reported:** {_md(str(event.count))}")
    if event.formation and event.kind not in (EventKind.JOINED, EventKind.DETACHED):
        paragraphs.append(f"As a member of {_md(_formation_name(catalog, event.formation) or '')}.")
    if event.note:
        paragraphs.append(f"**Note:** {_md(event.note)}")
    paragraphs += _sources_block(catalog, event.citations)
    return "\n\n".join(paragraphs)


def _count_number(count: Quantity) -> int:
    """A whole number for tools that need one: the certain (low) end of the count."""
    return count.low


def _equipment(unit: AircraftDetachment, count: Quantity) -> dict[str, object]:
    return {"name": unit.type, "count": _count_number(count), "description": f"reported: {count}"}


def _states(
    catalog: Catalog, unit: Unit, events: Sequence[Event], states_on: Mapping[dt.date, Mapping[str, UnitState]]
) -> list[dict[str, object]]:
    """A state for each event, on its first day, with the unit's status that day; for a date of
    several days after which the status is another, a second state on its last day says so."""
    states: list[tuple[dt.date, dict[str, object]]] = []
    last_move: Event | None = None  # the event of the last state that set a location
    for event in events:
        title = _event_title(catalog, event, unit)
        first, last = event.date.start, event.date.end
        if _precision_note(event.date):
            imprecise = event.date.precision is not Precision.DAY or event.date.is_span
            title += f" ({event.date.isoformat()}{', shown on its first day' if imprecise else ''})"
        start = states_on[first].get(unit.id)
        end = states_on[last].get(unit.id)
        moves, location, where = _location(catalog, unit, event, end)
        state: dict[str, object] = {
            "t": _ms(first),
            "title": title,
            "description": _state_description(catalog, event, unit, start, first, where),
        }
        status = _status_text(start if start is not None else end)
        if status is not None:
            state["status"] = status
        if moves:
            state["location"] = location
            # Between a departure and the arrival the unit travels; anywhere else it jumps on the
            # report's day, never drawn along a track the sources do not give.
            transit = last_move is not None and last_move.kind is EventKind.DEPARTED and event.kind in PLACING_KINDS
            if location is not None and not transit:
                state["interpolate"] = False
            last_move = event
        # The app takes one number of aircraft: the certain one, so a count reported for some day
        # of a month holds from its last day.
        update = None
        if isinstance(unit, AircraftDetachment) and event.count is not None and unit.id in event.units:
            update = {"equipment": [_equipment(unit, event.count)]}
        if update is not None and last == first:
            state["update"] = update
        states.append((first, state))
        if last != first and end is not None and (_status_text(end) != status or update is not None):
            settled: dict[str, object] = {
                "t": _ms(last),
                "title": f"{_event_title(catalog, event, unit)} ({event.date.isoformat()}): by its last day",
                "description": _state_description(catalog, event, unit, end, last, ""),
            }
            if end is not None:
                settled["status"] = _status_text(end)
            if update is not None:
                settled["update"] = update
            states.append((last, settled))
    states.sort(key=lambda pair: pair[0])
    return [{"id": f"{unit.id}.{n}", **state} for n, (_, state) in enumerate(states, 1)]


def _unit_description(catalog: Catalog, unit: Unit) -> str:
    paragraphs: list[str] = []
    if isinstance(unit, AircraftDetachment):
        aircraft_type = catalog.aircraft_types.get(unit.type)
        kind = f"{aircraft_type.name} ({aircraft_type.role})" if aircraft_type else unit.type
        paragraphs.append(f"**{_md(f'{unit.count} {unit.type} {kind}')}**")
    else:
        ship_type = catalog.ship_types.get(unit.type)
        kind = f"{ship_type.name} ({ship_type.category})" if ship_type else unit.type
        if isinstance(unit, Vessel) and unit.class_name:
            klass = unit.class_name if unit.class_name.lower().endswith("class") else f"{unit.class_name} class"
            kind = f"{klass}, {kind}"
        text = kind if isinstance(unit, Vessel) else f"{unit.count} \u00d7 {kind}, not named by the sources"
        paragraphs.append(f"**{_md(text)}**")
    paragraphs.append(f"Navy: {_md(unit.navy)}")
    if isinstance(unit, UnidentifiedVessels):
        if unit.description:
            paragraphs.append(_md(unit.description))
        if unit.identified_as:
            names = ", ".join(_label(v) for v in map(catalog.unit, unit.identified_as) if v is not None)
            paragraphs.append(f"Later identified as {_md(names)}; they are counted by name.")
    if isinstance(unit, Vessel | AircraftDetachment) and unit.note:
        paragraphs.append(_md(unit.note))
    paragraphs += _sources_block(catalog, unit.citations)
    return "\n\n".join(paragraphs)


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "x"


def _home_formation(unit: Unit, events: Sequence[Event], final: UnitState | None) -> str | None:
    """The formation a unit is listed under: its last, or the last it joined."""
    if final is not None and final.formation:
        return final.formation
    joined = [e.formation for e in events if e.kind is EventKind.JOINED and unit.id in e.units and e.formation]
    return joined[-1] if joined else None


def _place_item(catalog: Catalog, place: Place) -> dict[str, object] | None:
    """A place as a geometry item of the scenario's "Places" layer: its area, else its point."""
    area = geo.area_geometry(place)
    point = _point(catalog, place.id)
    geometry = area or point
    if geometry is None:
        return None
    paragraphs = [f"**{_md(place.name)}** ({_md(place.kind)})"]
    if place.position is not None:
        paragraphs.append(f"Position: {place.position[0]:g}, {place.position[1]:g} (latitude, longitude)")
    if place.bbox is not None:
        paragraphs.append("Outline: a rough box, as the catalog gives it.")
    paragraphs += _sources_block(catalog, place.citations)
    kind = str(geometry["type"])
    meta: dict[str, object] = {"geometryKind": kind}
    if place.bbox is not None and kind == "Polygon":
        meta["shape"] = "rectangle"
    if area is not None:
        style: dict[str, object] = {
            "stroke": "#2563eb",
            "stroke-width": 1,
            "stroke-opacity": 0.6,
            "stroke-style": "dashed",
            "fill": "#2563eb",
            "fill-opacity": 0.04,
            "showLabel": True,
        }
    else:
        style = {"marker-color": "#374151", "marker-size": "small", "marker-symbol": "circle", "showLabel": True}
    return {
        "id": f"place.{place.id}",
        "kind": "geometry",
        "name": place.name,
        "description": "\n\n".join(paragraphs),
        "geometry": geometry,
        "geometryMeta": meta,
        "style": style,
    }


def orbat_mapper_scenario(
    catalog: Catalog, *, name: str = "orbat catalog", now: dt.datetime | None = None
) -> dict[str, object]:
    """The catalog as an ORBAT Mapper scenario (a JSON-ready dict); see the module documentation."""
    now = now or dt.datetime.now(dt.UTC)
    stamp = now.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    final = _final(catalog)
    final_states = {s.unit_id: s for s in final.states} if final else {}
    # Every day an event of a unit's states begins or ends on, its vessel's decommissioning included.
    dated = (*catalog.events, *service_events(catalog.vessels.values()))
    days = sorted({d for e in dated for d in (e.date.start, e.date.end)})
    states_on = {day: {s.unit_id: s for s in snapshot(catalog, day).states} for day in days}
    formations = catalog.formations
    formation_parents = catalog.formation_parents

    def outermost_first(formation_id: str | None) -> list[str]:
        """The formation and its ancestors, outermost first."""
        return list(chain(formation_parents, formation_id))[::-1]

    sides: dict[str, dict[str, object]] = {}
    statuses: set[str] = set()  # every status a state shows
    trees: dict[str, dict[str, dict[str, object]]] = {}  # side id -> formation id -> unit dict
    roots: dict[str, list[dict[str, object]]] = {}  # side id -> outermost formations
    loose: dict[str, list[dict[str, object]]] = {}  # side id -> units in no formation
    equipment: dict[str, str] = {}
    for unit in catalog.units():
        side_id = f"side-{_slug(unit.navy)}"
        if side_id not in sides:
            sides[side_id] = {"id": side_id, "name": unit.navy, "standardIdentity": _FRIEND, "groups": []}
            trees[side_id], roots[side_id], loose[side_id] = {}, [], []
        state = final_states.get(unit.id)
        events = _unit_events(catalog, unit, state)
        unit_states = _states(catalog, unit, events, states_on)
        statuses.update(str(shown["status"]) for shown in unit_states if "status" in shown)
        item: dict[str, object] = {
            "id": unit.id,
            "name": _label(unit),
            "sidc": unit_sidc(catalog, unit),
            "description": _unit_description(catalog, unit),
            "state": unit_states,
        }
        if isinstance(unit, Vessel) and unit.hull:
            item["shortName"] = unit.hull
        if isinstance(unit, AircraftDetachment):
            item["equipment"] = [_equipment(unit, unit.count)]
            aircraft_type = catalog.aircraft_types.get(unit.type)
            equipment[unit.type] = aircraft_type.name if aircraft_type else unit.type
        path = outermost_first(_home_formation(unit, events, state))
        if not path:
            loose[side_id].append(item)
            continue
        tree = trees[side_id]
        parent: dict[str, object] | None = None
        for formation_id in path:
            node = tree.get(formation_id)
            if node is None:
                formation = formations[formation_id]
                node = {
                    "id": f"{side_id}.{formation_id}",
                    "name": formation.name,
                    "sidc": formation_sidc(formation),
                    "description": _formation_description(catalog, formation),
                    "subUnits": [],
                }
                tree[formation_id] = node
                siblings = roots[side_id] if parent is None else parent["subUnits"]
                assert isinstance(siblings, list)
                siblings.append(node)
            parent = node
        assert parent is not None
        members = parent["subUnits"]
        assert isinstance(members, list)
        members.append(item)
    for side_id, side in sides.items():
        groups: list[dict[str, object]] = []
        if roots[side_id]:
            groups.append({"id": f"{side_id}.formations", "name": "Formations", "subUnits": roots[side_id]})
        if loose[side_id]:
            groups.append({"id": f"{side_id}.no-formation", "name": "In no formation", "subUnits": loose[side_id]})
        side["groups"] = groups
    first = min((e.date.start for e in catalog.events), default=None)
    latest = catalog.latest_source_date
    description = [
        "Exported from an orbat catalog.",
        "Each unit has a state for every event behind it, with its status afterwards "
        "(*possibly present* where a date of uncertain day may fall either side, *place disputed* "
        "where sources put it at different places). A unit present at a place with a position is "
        "shown there; ordered, expected or en route, it stays where it was last placed; relieved or "
        "decommissioned, it leaves the map.",
        "Dates of month or year precision, and spans of days, are shown on their first day; each "
        "state's description gives the date as reported and the sources with their words.",
    ]
    if latest is not None:
        description.append(f"The newest source is dated {latest}.")
    places = [shown for place in catalog.places.values() if (shown := _place_item(catalog, place)) is not None]
    scenario: dict[str, object] = {
        "id": _slug(name) if _slug(name).startswith("orbat") else f"orbat-{_slug(name)}",
        "type": "ORBAT-mapper",
        "version": ORBAT_MAPPER_VERSION,
        "name": name,
        "description": "\n\n".join(description),
        "symbologyStandard": "app6d",
        "timeZone": "UTC",
        "meta": {"createdDate": stamp, "lastModifiedDate": stamp},
        "sides": list(sides.values()),
        "events": [],
        "layerStack": [
            {
                "id": "places",
                "kind": "overlay",
                "name": "Places",
                "description": "The catalog's places with a position or an area (areas are rough outlines).",
                "items": places,
            }
        ],
        "equipment": [{"name": key, "description": value} for key, value in sorted(equipment.items())],
        "settings": {
            "rangeRingGroups": [],
            "statuses": [_status_setting(status) for status in sorted(statuses)],
            "supplyClasses": [],
            "supplyUoMs": [],
        },
    }
    if first is not None:
        scenario["startTime"] = _ms(first)
    return scenario


def _formation_description(catalog: Catalog, formation: Formation) -> str:
    paragraphs = [f"**{_md(formation.kind)}** ({_md(formation.id)})"]
    figures = []
    for measure in ("personnel", "aircraft"):
        for figure in getattr(formation, measure):
            when = f" as of {figure.as_of}" if figure.as_of else ""
            sources = ", ".join(_sources(figure.citations))
            figures.append(f"- {measure.capitalize()}: {_md(f'{figure.count}{when} ({sources})')}")
    if figures:
        paragraphs.append("\n".join(figures))
    if formation.note:
        paragraphs.append(_md(formation.note))
    paragraphs += _sources_block(catalog, formation.citations)
    return "\n\n".join(paragraphs)


# ---------------------------------------------------------------------------------------------
# Records

UNIT_COLUMNS = (
    "id",
    "name",
    "label",
    "unit_kind",
    "type",
    "type_name",
    "category",
    "navy",
    "hull",
    "class",
    "count",
    "count_low",
    "count_high",
    "count_high_open",
    "count_approximate",
    "as_of",
    "status",
    "certain",
    "place",
    "place_name",
    "formation",
    "formation_name",
    "since",
    "since_start",
    "since_end",
    "since_precision",
    "since_approximate",
    "identified_as",
    "sources",
    "note",
)
EVENT_COLUMNS = (
    "id",
    "date",
    "date_start",
    "date_end",
    "precision",
    "date_approximate",
    "kind",
    "units",
    "formation",
    "place",
    "to",
    "relieves",
    "count",
    "count_low",
    "count_high",
    "count_high_open",
    "count_approximate",
    "sources",
    "quotes",
    "note",
    "file",
    "line",
)


def _count_columns(count: Quantity | None) -> dict[str, object]:
    """A count as text and as numbers; an open high end is the low end plus ``count_high_open``."""
    if count is None:
        return dict.fromkeys(("count", "count_low", "count_high", "count_high_open", "count_approximate"))
    return {
        "count": str(count),
        "count_low": count.low,
        "count_high": count.low if count.high is None else count.high,
        "count_high_open": count.high is None,
        "count_approximate": count.approximate,
    }


def unit_records(catalog: Catalog) -> list[dict[str, object]]:
    """One row per unit, with its last known state (as of the newest source, or the last event)."""
    final = _final(catalog)
    states = {s.unit_id: s for s in final.states} if final else {}
    rows = []
    for unit in catalog.units():
        state = states.get(unit.id)
        type_name, category = _type_of(catalog, unit)
        citations = list(unit.citations) + list(state.citations if state else ())
        row: dict[str, object] = {
            "id": unit.id,
            "name": unit.name if isinstance(unit, Vessel | AircraftDetachment) else None,
            "label": _label(unit),
            "unit_kind": _kind(unit),
            "type": unit.type,
            "type_name": type_name,
            "category": category,
            "navy": unit.navy,
            "hull": unit.hull if isinstance(unit, Vessel) else None,
            "class": unit.class_name if isinstance(unit, Vessel) else None,
            **_count_columns(state.count if state else unit.count),
            "as_of": final.date.isoformat() if final else None,
            "status": state.status.value if state else None,
            "certain": state.certain if state else None,
            "place": state.place if state else None,
            "place_name": _place_name(catalog, state.place) if state else None,
            "formation": state.formation if state else None,
            "formation_name": _formation_name(catalog, state.formation) if state else None,
            "since": state.since.isoformat() if state else None,
            **date_columns("since", state.since if state else None),
            "identified_as": list(unit.identified_as) if isinstance(unit, UnidentifiedVessels) else [],
            "sources": _sources(citations),
            "note": unit.note if isinstance(unit, Vessel | AircraftDetachment) else unit.description,
        }
        rows.append(row)
    return rows


def event_records(catalog: Catalog) -> list[dict[str, object]]:
    """One row per event, in date order, with its date both as written and as first and last day."""
    return [
        {
            "id": event.id,
            "date": event.date.isoformat(),
            "date_start": event.date.start.isoformat(),
            "date_end": event.date.end.isoformat(),
            "precision": event.date.precision.name.lower(),
            "date_approximate": event.date.approximate,
            "kind": event.kind.value,
            "units": list(event.units),
            "formation": event.formation,
            "place": event.place,
            "to": event.to,
            "relieves": event.relieves,
            **_count_columns(event.count),
            "sources": _sources(event.citations),
            "quotes": [" ".join(c.quote.split()) for c in event.citations if c.quote],
            "note": event.note,
            "file": event.origin.file,
            "line": event.origin.line,
        }
        for event in catalog.events
    ]


def records_json(catalog: Catalog) -> str:
    """``{"units": [...], "events": [...]}`` as JSON text."""
    return json.dumps({"units": unit_records(catalog), "events": event_records(catalog)}, indent=2, ensure_ascii=False)


# Text forms the CSV leaves out: it gives them as numbers, and as ISO days with a precision.
_TEXT_ONLY = frozenset(("count", "date", "since"))


def records_csv(catalog: Catalog) -> str:
    """Units and events as one CSV table; the ``record`` column says which a row is."""
    columns = ["record", *(c for c in dict.fromkeys((*UNIT_COLUMNS, *EVENT_COLUMNS)) if c not in _TEXT_ONLY)]
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(columns)
    for record, rows in (("unit", unit_records(catalog)), ("event", event_records(catalog))):
        for row in rows:
            values = {"record": record, **row}
            writer.writerow([csv_cell(values.get(column)) for column in columns])
    return out.getvalue()


# ---------------------------------------------------------------------------------------------
# GeoJSON


def _report_day(catalog: Catalog) -> dt.date | None:
    """The day reports are of by default: the newest source's last day (else the last event's)."""
    latest = catalog.latest_source_date
    return latest.end if latest is not None else _last_day(catalog)


def _point(catalog: Catalog, place_id: str | None) -> dict[str, object] | None:
    place = catalog.places.get(place_id) if place_id else None
    if place is None or place.position is None:
        return None
    return {"type": "Point", "coordinates": geo.lon_lat(*place.position)}


def _type_of(catalog: Catalog, unit: Unit) -> tuple[str | None, str | None]:
    """A unit's type name and its category (a ship's) or role (an aircraft's), when the type is known."""
    if isinstance(unit, AircraftDetachment):
        aircraft_type = catalog.aircraft_types.get(unit.type)
        return (aircraft_type.name, aircraft_type.role) if aircraft_type else (None, None)
    ship_type = catalog.ship_types.get(unit.type)
    return (ship_type.name, ship_type.category) if ship_type else (None, None)


def _unit_feature(snap: Snapshot, state: UnitState) -> dict[str, object]:
    catalog, unit = snap.catalog, state.unit
    certain = snap.certainly_here(state)
    alternatives = [p for p in state.places if p != state.place]
    type_name, category = _type_of(catalog, unit)
    count = state.count
    properties: dict[str, object] = {
        "feature": "unit",
        "id": unit.id,
        "name": _label(unit),
        "unit_kind": _kind(unit),
        "type": unit.type,
        "type_name": type_name,
        "category": category,
        "navy": unit.navy,
        "status": state.status.value,
        "status_text": state.status_text,
        "presence": "certain" if certain else "possible",
        "certain": certain,
        "count": str(count),
        "count_low": count.low,
        "count_high": count.low if count.high is None else count.high,
        "count_high_open": count.high is None,
        "formation": state.formation,
        "formation_name": _formation_name(catalog, state.formation),
        "place": state.place,
        "place_name": _place_name(catalog, state.place),
        "other_places": alternatives,
        "place_disputed": state.disputed and bool(alternatives),  # not a unit that may still be where it was
        "located": _point(catalog, state.place) is not None,
        "since": state.since.isoformat(),
        "sources": list(state.sources),
    }
    return {
        "type": "Feature",
        "id": f"unit:{unit.id}",
        "geometry": _point(catalog, state.place),
        "properties": properties,
    }


def _place_feature(catalog: Catalog, place: Place, here: Mapping[str, list[str]]) -> dict[str, object] | None:
    geometry = geo.area_geometry(place) or _point(catalog, place.id)
    if geometry is None:
        return None
    properties: dict[str, object] = {
        "feature": "place",
        "id": place.id,
        "name": place.name,
        "kind": place.kind,
        "within": list(place.within),
        "position": geo.lon_lat(*place.position) if place.position else None,
        "units": here.get(place.id, []),
        "sources": _sources(place.citations),
    }
    return {"type": "Feature", "id": f"place:{place.id}", "geometry": geometry, "properties": properties}


def geojson_collection(
    catalog: Catalog, day: dt.date | PartialDate | str | None = None, region: RegionLike = None
) -> dict[str, object]:
    """The deployment on ``day`` as a GeoJSON FeatureCollection (RFC 7946, a JSON-ready dict).

    One Point feature per unit certainly or possibly present in ``region`` (None: the catalog's
    default region; "all": everywhere), at the position of the place it is at (no geometry when
    that place has none), then one feature per place with a position or an area (a Polygon for a
    ``bbox`` or ``polygon``, else a Point). ``day`` defaults to the newest source's date. Presence
    is :func:`orbat.queries.snapshot`'s.
    """
    when = day if day is not None else _report_day(catalog)
    if when is None:
        raise ValueError("the catalog has no dated source and no event; give a date")
    snap = snapshot(catalog, when, region)
    units = [_unit_feature(snap, state) for state in snap.states if snap.possibly_here(state)]
    here: dict[str, list[str]] = {}
    for feature in units:
        properties = feature["properties"]
        assert isinstance(properties, dict)
        if properties["place"]:
            here.setdefault(str(properties["place"]), []).append(str(properties["id"]))
    places = [f for place in catalog.places.values() if (f := _place_feature(catalog, place, here)) is not None]
    return {
        "type": "FeatureCollection",
        "features": [*places, *units],
        "orbat": {"as_of": snap.date.isoformat(), "region": str(snap.region), "note": snap.note},
    }


def _geojson_text(collection: Mapping[str, object]) -> str:
    """The collection as JSON text with one feature a line: short, and easy to read and compare."""
    features = collection["features"]
    assert isinstance(features, list)
    rest = {key: value for key, value in collection.items() if key not in ("type", "features")}
    lines = [json.dumps(feature, ensure_ascii=False) for feature in features]
    body = ",\n".join(lines)
    tail = json.dumps(rest, ensure_ascii=False)[1:-1]
    return f'{{"type": "FeatureCollection", "features": [\n{body}\n], {tail}}}\n'


def export_text(
    catalog: Catalog,
    fmt: str,
    *,
    name: str = "orbat catalog",
    region: RegionLike = None,
    as_of: dt.date | PartialDate | str | None = None,
) -> str:
    """The catalog exported as ``fmt`` (one of :data:`EXPORT_FORMATS`), as text; ``region`` is
    the region the presence and GeoJSON formats count (every place when None), ``as_of`` the day
    of the GeoJSON deployment (default: the newest source's date)."""
    if fmt == "geojson":
        return _geojson_text(geojson_collection(catalog, as_of, region))
    if fmt == "presence-csv":
        return presence_csv(catalog, region)
    if fmt == "presence-json":
        return presence_json(catalog, region)
    if fmt == "orbat-mapper":
        return json.dumps(orbat_mapper_scenario(catalog, name=name), indent=2, ensure_ascii=False) + "\n"
    if fmt == "json":
        return records_json(catalog) + "\n"
    if fmt == "csv":
        return records_csv(catalog)
    raise ValueError(f"unknown export format {fmt!r}; use one of: {', '.join(EXPORT_FORMATS)}")
