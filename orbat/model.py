"""The typed, immutable catalog: reference data, units, formations, events, sources and claims.

Every entry keeps its :class:`Origin` (file, line, column of it and of each field) so that any
check can point at the exact place; origins never take part in equality.
"""

from __future__ import annotations

import enum
import sys
from collections.abc import Iterable, Iterator, Mapping
from typing import TypeAlias

import attrs

from orbat._nodes import NOWHERE, EntryReader, Origin
from orbat.dates import PartialDate
from orbat.problems import Problem
from orbat.quantities import Quantity

__all__ = [
    "HEADING_KINDS",
    "PLACING_KINDS",
    "SERVICE_FIELD_NOTE",
    "SHIP_CATEGORIES",
    "AircraftDetachment",
    "AircraftType",
    "Catalog",
    "Citation",
    "Claim",
    "ClaimFigure",
    "Event",
    "EventKind",
    "Figure",
    "Formation",
    "Place",
    "Settings",
    "ShipType",
    "Source",
    "UnidentifiedVessels",
    "Unit",
    "Vessel",
    "chain",
    "hull_symbol",
    "is_nested",
    "service_events",
]

SHIP_CATEGORIES = frozenset(
    (
        "carrier",
        "surface combatant",
        "amphibious",
        "submarine",
        "mine warfare",
        "patrol",
        "auxiliary",
        "command",
        "special operations",
    )
)
AIRCRAFT_ROLES = frozenset(
    (
        "fighter",
        "attack",
        "electronic warfare",
        "early warning",
        "maritime patrol",
        "reconnaissance",
        "helicopter",
        "transport",
        "tanker",
        "unmanned",
        "trainer",
    )
)
FORMATION_KINDS = frozenset(
    (
        "joint task force",
        "task force",
        "task group",
        "task unit",
        "strike group",
        "ready group",
        "expeditionary unit",
        "air wing",
        "squadron",
        "command",
    )
)
PLACE_KINDS = frozenset(("region", "sea", "country", "territory", "base", "port", "airport", "waterway"))
MEASURES = frozenset(("vessels", "aircraft", "personnel"))

_ORIGIN = attrs.field(default=NOWHERE, eq=False, repr=False, kw_only=True)


_intern = sys.intern
"""A citation's source id, one string however often cited: a catalog cites its few sources over and
over (bench M: 118,000 citations of 684 sources), and the checks look each one up."""


@attrs.frozen(slots=True)
class Citation:
    """A source behind a fact; ``quote`` is verbatim text of the source when it is local."""

    source: str
    quote: str | None = None
    note: str | None = None
    origin: Origin = _ORIGIN

    _FIELDS = frozenset(("source", "quote", "note"))

    @classmethod
    def many_from(cls, reader: EntryReader, name: str = "cite", required: bool = True) -> tuple[Citation, ...]:
        """The citations of an entry: a list of mappings or of source ids (one of either is fine)."""
        citations: list[Citation] = []
        for item in reader.citation_items(name, required, cls._FIELDS):
            if isinstance(item, tuple):
                source_id, line, column = item
                citations.append(
                    cls(_intern(source_id), origin=Origin(reader.file, line, column, {"source": (line, column)}))
                )
                continue
            source = item.text("source", required=True)
            quote = item.text("quote")
            if source is not None:
                citations.append(cls(_intern(source), quote, item.text("note"), origin=item.origin()))
        return tuple(citations)


@attrs.frozen(slots=True)
class Figure:
    """A count a source gives for a formation as a whole (personnel, aircraft)."""

    count: Quantity
    citations: tuple[Citation, ...]
    as_of: PartialDate | None = None
    origin: Origin = _ORIGIN

    _FIELDS = frozenset(("count", "as_of", "cite"))

    @classmethod
    def many_from(cls, reader: EntryReader, name: str) -> tuple[Figure, ...]:
        figures = []
        for sub in reader.mappings(name, f"{name} figure", cls._FIELDS):
            count = sub.quantity("count", required=True)
            as_of = sub.date("as_of")
            citations = Citation.many_from(sub)
            if count is not None:
                figures.append(cls(count, citations, as_of, origin=sub.origin()))
        return tuple(figures)


@attrs.frozen(slots=True)
class ShipType:
    """A ship type by hull classification symbol ("DDG"), with a name and a category."""

    id: str
    name: str
    category: str
    origin: Origin = _ORIGIN

    FIELDS = frozenset(("id", "name", "category"))

    @classmethod
    def from_node(cls, reader: EntryReader) -> ShipType | None:
        id_, name = reader.text("id", True), reader.text("name", True)
        category = reader.choice("category", SHIP_CATEGORIES, True)
        if id_ is None or name is None or category is None:
            return None
        return cls(id_, name, category, origin=reader.origin())


@attrs.frozen(slots=True)
class AircraftType:
    """An aircraft type by designation ("F-35B"), with a name and a role."""

    id: str
    name: str
    role: str
    origin: Origin = _ORIGIN

    FIELDS = frozenset(("id", "name", "role"))

    @classmethod
    def from_node(cls, reader: EntryReader) -> AircraftType | None:
        id_, name = reader.text("id", True), reader.text("name", True)
        role = reader.choice("role", AIRCRAFT_ROLES, True)
        if id_ is None or name is None or role is None:
            return None
        return cls(id_, name, role, origin=reader.origin())


@attrs.frozen(slots=True)
class Place:
    """A region, sea, base, port or airport; ``within`` names the places that contain it (one or more).

    ``position`` is a point (latitude, longitude in decimal degrees, WGS 84): where a base is, or a
    representative point of a sea or region. ``bbox`` (south, west, north, east) or ``polygon``
    (points of latitude, longitude) outline an area; ``citations`` back them where they are not
    common knowledge.
    """

    id: str
    name: str
    kind: str
    within: tuple[str, ...] = ()
    position: tuple[float, float] | None = None
    bbox: tuple[float, float, float, float] | None = None
    polygon: tuple[tuple[float, float], ...] = ()
    citations: tuple[Citation, ...] = ()
    origin: Origin = _ORIGIN

    FIELDS = frozenset(("id", "name", "kind", "within", "position", "bbox", "polygon", "cite"))

    @classmethod
    def from_node(cls, reader: EntryReader) -> Place | None:
        id_, name = reader.text("id", True), reader.text("name", True)
        kind = reader.choice("kind", PLACE_KINDS, True)
        within = reader.texts("within")
        point = reader.coordinates("position", 2, _POINT_FORM)
        box = reader.coordinates("bbox", 4, "[south, west, north, east] in degrees, such as [17.9, -67.3, 18.5, -65.2]")
        points = reader.coordinate_lists("polygon", 2, _POINT_FORM, 3) or ()
        citations = Citation.many_from(reader, required=False)
        if id_ is None or name is None or kind is None:
            return None
        position = (point[0], point[1]) if point else None
        bbox = (box[0], box[1], box[2], box[3]) if box else None
        polygon = tuple((lat, lon) for lat, lon in points)
        return cls(id_, name, kind, within, position, bbox, polygon, citations, origin=reader.origin())


# How a point is written, for error messages.
_POINT_FORM = "[latitude, longitude] in degrees, such as [18.25, -65.64]"


@attrs.frozen(slots=True)
class Source:
    """A document facts come from; ``text`` is its local copy (a path relative to its file).

    ``date`` is None for undated compilations (such as a register of hull numbers).
    """

    id: str
    title: str
    publisher: str
    date: PartialDate | None = None
    url: str | None = None
    kind: str | None = None
    text: str | None = None
    origin: Origin = _ORIGIN

    FIELDS = frozenset(("id", "title", "publisher", "date", "url", "kind", "text"))

    @classmethod
    def from_node(cls, reader: EntryReader) -> Source | None:
        id_, title = reader.text("id", True), reader.text("title", True)
        publisher, date = reader.text("publisher", True), reader.date("date")
        url, kind, text = reader.text("url"), reader.text("kind"), reader.text("text")
        if id_ is None or title is None or publisher is None:
            return None
        return cls(id_, title, publisher, date, url, kind, text, origin=reader.origin())


_ONE = Quantity.exact(1)


def chain(parents: Mapping[str, str | None], start: str | None) -> Iterator[str]:
    """``start`` and every id above it (its parent, the parent's parent, ...); stops at a cycle."""
    seen: set[str] = set()
    current = start
    while current is not None and current not in seen:
        seen.add(current)
        yield current
        current = parents.get(current)


def is_nested(parents: Mapping[str, str | None], inner: str | None, outer: str) -> bool:
    """Whether ``inner`` is ``outer`` or nested within it, following single ``parents`` (formations)."""
    return any(node == outer for node in chain(parents, inner))


def hull_symbol(hull: str) -> str:
    """The type symbol of a hull number: "DDG-116" gives "DDG", "T-AO-187" gives "T-AO"."""
    head, dash, tail = hull.rpartition("-")
    return head if dash and tail.isdigit() else hull


@attrs.frozen(slots=True)
class Vessel:
    """A named ship. Its type follows from its hull number ("DDG-116") unless given."""

    id: str
    name: str
    type: str
    navy: str
    hull: str | None = None
    class_name: str | None = None
    commissioned: PartialDate | None = None
    decommissioned: PartialDate | None = None
    citations: tuple[Citation, ...] = ()
    note: str | None = None
    origin: Origin = _ORIGIN

    FIELDS = frozenset(
        ("id", "name", "hull", "type", "class", "navy", "commissioned", "decommissioned", "cite", "note")
    )

    @classmethod
    def from_node(cls, reader: EntryReader) -> Vessel | None:
        id_, name, navy = reader.text("id", True), reader.text("name", True), reader.text("navy", True)
        hull, type_ = reader.text("hull"), reader.text("type")
        # Absent or empty both count as not given; a value already reported as bad does not.
        reported = (reader.has("hull") and hull is None) or (reader.has("type") and type_ is None)
        if not hull and not type_ and not reported:
            reader.entry_error(
                "missing-field", "vessel needs a 'hull' number (such as DDG-116) or a 'type' (such as DDG)"
            )
        class_name = reader.text("class")
        commissioned, decommissioned = reader.date("commissioned"), reader.date("decommissioned")
        citations = Citation.many_from(reader, required=False)
        note = reader.text("note")
        type_ = type_ or (hull_symbol(hull) if hull else None)
        if id_ is None or name is None or navy is None or type_ is None:
            return None
        return cls(
            id_,
            name,
            type_,
            navy,
            hull,
            class_name,
            commissioned,
            decommissioned,
            citations,
            note,
            origin=reader.origin(),
        )

    @property
    def label(self) -> str:
        """The name with the hull number: "USS Ramage (DDG-61)"."""
        return f"{self.name} ({self.hull})" if self.hull else self.name

    @property
    def count(self) -> Quantity:
        """A named vessel is exactly one vessel."""
        return _ONE


@attrs.frozen(slots=True)
class UnidentifiedVessels:
    """Vessels a source counts but does not name ("three destroyers"); never given invented names.

    ``identified_as`` lists the named vessels that later reports showed them to be, so that
    totals count each ship once.
    """

    id: str
    type: str
    count: Quantity
    navy: str
    description: str | None = None
    identified_as: tuple[str, ...] = ()
    citations: tuple[Citation, ...] = ()
    origin: Origin = _ORIGIN

    FIELDS = frozenset(("id", "type", "count", "navy", "description", "identified_as", "cite"))

    @classmethod
    def from_node(cls, reader: EntryReader) -> UnidentifiedVessels | None:
        id_, type_ = reader.text("id", True), reader.text("type", True)
        count, navy = reader.quantity("count", True), reader.text("navy", True)
        description = reader.text("description")
        identified_as = reader.texts("identified_as")
        citations = Citation.many_from(reader)
        if id_ is None or type_ is None or count is None or navy is None:
            return None
        return cls(id_, type_, count, navy, description, identified_as, citations, origin=reader.origin())

    @property
    def label(self) -> str:
        """How tables name the group: "unidentified DDG x3"."""
        return f"unidentified {self.type} \u00d7{self.count}"


@attrs.frozen(slots=True)
class AircraftDetachment:
    """A number of aircraft of one type, optionally at a base, as a source counts them."""

    id: str
    name: str
    type: str
    count: Quantity
    navy: str
    base: str | None = None
    citations: tuple[Citation, ...] = ()
    note: str | None = None
    origin: Origin = _ORIGIN

    FIELDS = frozenset(("id", "name", "type", "count", "navy", "base", "cite", "note"))

    @classmethod
    def from_node(cls, reader: EntryReader) -> AircraftDetachment | None:
        id_, name, type_ = reader.text("id", True), reader.text("name", True), reader.text("type", True)
        count, navy = reader.quantity("count", True), reader.text("navy", True)
        base, note = reader.text("base"), reader.text("note")
        citations = Citation.many_from(reader)
        if id_ is None or name is None or type_ is None or count is None or navy is None:
            return None
        return cls(id_, name, type_, count, navy, base, citations, note, origin=reader.origin())

    @property
    def label(self) -> str:
        """The detachment's name."""
        return self.name


Unit: TypeAlias = Vessel | UnidentifiedVessels | AircraftDetachment


@attrs.frozen(slots=True)
class Formation:
    """A task force, strike group, ready group or other grouping, nested under ``parent``."""

    id: str
    name: str
    kind: str
    parent: str | None = None
    personnel: tuple[Figure, ...] = ()
    aircraft: tuple[Figure, ...] = ()
    citations: tuple[Citation, ...] = ()
    note: str | None = None
    origin: Origin = _ORIGIN

    FIELDS = frozenset(("id", "name", "kind", "parent", "personnel", "aircraft", "cite", "note"))

    @classmethod
    def from_node(cls, reader: EntryReader) -> Formation | None:
        id_, name = reader.text("id", True), reader.text("name", True)
        kind = reader.choice("kind", FORMATION_KINDS, True)
        parent = reader.text("parent")
        personnel = Figure.many_from(reader, "personnel")
        aircraft = Figure.many_from(reader, "aircraft")
        citations = Citation.many_from(reader, required=False)
        note = reader.text("note")
        if id_ is None or name is None or kind is None:
            return None
        return cls(id_, name, kind, parent, personnel, aircraft, citations, note, origin=reader.origin())


class EventKind(enum.Enum):
    """What happened to a unit; the value is how the catalog writes it."""

    ORDERED = "ordered"
    DEPARTED = "departed"
    ARRIVED = "arrived"
    JOINED = "joined"
    DETACHED = "detached"
    RELIEVED = "relieved"
    REPORTED_PRESENT = "reported present"
    EXPECTED = "expected"
    RETURNED = "returned"
    DECOMMISSIONED = "decommissioned"


_EVENT_KINDS = frozenset(kind.value for kind in EventKind)
_EVENT_KIND_OF = {kind.value: kind for kind in EventKind}  # faster than calling EventKind(text)
HEADING_KINDS = frozenset((EventKind.ORDERED, EventKind.EXPECTED, EventKind.DEPARTED))
PLACING_KINDS = (EventKind.ARRIVED, EventKind.REPORTED_PRESENT, EventKind.RETURNED)
"""The kinds of event that report a unit at their place (a tuple: a kind is found in it by identity)."""
_MEMBERSHIP_KINDS = frozenset((EventKind.JOINED.value, EventKind.DETACHED.value))
# Which of place / to / formation / relieves each kind of event must name.
_EVENT_NEEDS: dict[EventKind, str] = {
    EventKind.ORDERED: "place",
    EventKind.ARRIVED: "place",
    EventKind.JOINED: "formation",
    EventKind.DETACHED: "formation",
    EventKind.RELIEVED: "relieves",
    EventKind.REPORTED_PRESENT: "place",
    EventKind.EXPECTED: "place",
    EventKind.RETURNED: "place",
}


@attrs.frozen(slots=True)
class Event:
    """A dated thing that happened to units: ordered, arrived, joined, relieved, ...

    ``units`` are the subjects; for kinds other than joined/detached, ``formation`` names a
    formation whose members at that date are subjects too. ``place`` is where it happened (for
    ordered and expected: the destination; for departed: where from, with ``to`` the destination).
    ``count`` is a count reported at that date for an aircraft detachment or unidentified group
    ("a seventh MQ-9"), replacing its earlier count from then on. ``arrival`` (ordered, expected,
    departed) is the window in which a source expects the unit to arrive: it is possibly at its
    destination from the window's first day (without a window, from the event's), and certainly
    only once an event says it arrived.
    """

    id: str | None
    date: PartialDate
    kind: EventKind
    units: tuple[str, ...]
    citations: tuple[Citation, ...]
    formation: str | None = None
    place: str | None = None
    to: str | None = None
    relieves: str | None = None
    count: Quantity | None = None
    note: str | None = None
    arrival: PartialDate | None = None
    origin: Origin = _ORIGIN

    FIELDS = frozenset(
        ("id", "date", "kind", "units", "formation", "place", "to", "relieves", "count", "arrival", "cite", "note")
    )

    @classmethod
    def from_node(cls, reader: EntryReader) -> Event | None:
        id_ = reader.text("id")
        date = reader.date("date", True)
        kind_text = reader.choice("kind", _EVENT_KINDS, True)
        formation, place = reader.text("formation"), reader.text("place")
        membership = kind_text in _MEMBERSHIP_KINDS
        units = reader.texts("units", required=membership or (formation is None and not reader.has("formation")))
        to, relieves, note = reader.text("to"), reader.text("relieves"), reader.text("note")
        count = reader.quantity("count")
        arrival = reader.date("arrival")
        citations = Citation.many_from(reader)
        if kind_text is None or date is None:
            return None
        kind = _EVENT_KIND_OF[kind_text]
        needed = _EVENT_NEEDS.get(kind)
        if needed is not None and not reader.has(needed):  # (a field read as None but written was reported)
            reader.entry_error("missing-field", f"a {kind.value!r} event needs a {needed!r} field")
        if (
            kind is EventKind.DEPARTED
            and place is None
            and to is None
            and not (reader.has("place") or reader.has("to"))
        ):
            reader.entry_error("missing-field", "a 'departed' event needs 'place' (from) or 'to'")
        return cls(
            id_,
            date,
            kind,
            units,
            citations,
            formation,
            place,
            to,
            relieves,
            count,
            note,
            arrival,
            origin=reader.origin(),
        )


SERVICE_FIELD_NOTE = "the vessel's 'decommissioned' field"


def service_events(vessels: Iterable[Vessel]) -> tuple[Event, ...]:
    """The ``decommissioned`` events that vessels' ``decommissioned`` fields stand for, citing the
    vessels' sources: the field ends a vessel's counting exactly as the event does."""
    return tuple(
        Event(
            None,
            vessel.decommissioned,
            EventKind.DECOMMISSIONED,
            (vessel.id,),
            vessel.citations,
            note=SERVICE_FIELD_NOTE,
            origin=vessel.origin,
        )
        for vessel in vessels
        if vessel.decommissioned is not None
    )


@attrs.frozen(slots=True)
class ClaimFigure:
    """One figure of a reported claim: what the source counted, in its words, and how to match it.

    ``measure`` says what is counted; ``categories`` and ``types`` narrow it (empty: all).
    """

    what: str
    count: Quantity
    measure: str
    categories: tuple[str, ...] = ()
    types: tuple[str, ...] = ()
    part_of: str | None = None  # the ``what`` of the claim's figure this one is a part of
    origin: Origin = _ORIGIN

    _FIELDS = frozenset(("what", "count", "measure", "categories", "types", "part_of"))

    @classmethod
    def many_from(cls, reader: EntryReader) -> tuple[ClaimFigure, ...]:
        figures = []
        for sub in reader.mappings("figures", "claim figure", cls._FIELDS, required=True):
            what, count = sub.text("what", True), sub.quantity("count", True)
            measure = sub.choice("measure", MEASURES, True)
            categories, types = sub.choices("categories", SHIP_CATEGORIES), sub.texts("types")
            part_of = sub.text("part_of")
            if what is not None and count is not None and measure is not None:
                figures.append(cls(what, count, measure, categories, types, part_of, origin=sub.origin()))
        return tuple(figures)


@attrs.frozen(slots=True)
class Claim:
    """A figure a source states about the force as a whole, kept to be checked against the catalog.

    ``forecast`` is the window of days a forecast ("will soon have", "by the end of the month")
    is about; None for a report of the state on ``as_of``.
    """

    id: str
    as_of: PartialDate
    scope: str
    figures: tuple[ClaimFigure, ...]
    citations: tuple[Citation, ...]
    note: str | None = None
    forecast: PartialDate | None = None
    origin: Origin = _ORIGIN

    FIELDS = frozenset(("id", "as_of", "scope", "figures", "cite", "note", "forecast"))

    @property
    def window(self) -> PartialDate:
        """The days the claim is about: its forecast window, else its date."""
        return self.forecast if self.forecast is not None else self.as_of

    @classmethod
    def from_node(cls, reader: EntryReader) -> Claim | None:
        id_, as_of, scope = reader.text("id", True), reader.date("as_of", True), reader.text("scope", True)
        figures = ClaimFigure.many_from(reader)
        citations = Citation.many_from(reader)
        note = reader.text("note")
        forecast = reader.date("forecast")
        if id_ is None or as_of is None or scope is None:
            return None
        return cls(id_, as_of, scope, figures, citations, note, forecast, origin=reader.origin())


@attrs.frozen(slots=True)
class Settings:
    """What the catalog as a whole covers: the region its totals count unless told otherwise
    (one place or several; none: everywhere) and its title, cited where a source decides it."""

    region: tuple[str, ...] = ()
    title: str | None = None
    citations: tuple[Citation, ...] = ()
    note: str | None = None
    origin: Origin = _ORIGIN

    FIELDS = frozenset(("region", "title", "cite", "note"))

    @classmethod
    def from_node(cls, reader: EntryReader) -> Settings | None:
        region, title = reader.texts("region"), reader.text("title")
        citations = Citation.many_from(reader, required=False)
        return cls(region, title, citations, reader.text("note"), origin=reader.origin())


@attrs.frozen(slots=True)
class Catalog:
    """A whole catalog's data. Mappings are keyed by id; events are in date order.

    :func:`orbat.load` gives an :class:`orbat.catalog.Catalog`, which adds the questions asked of
    it (``as_of``, ``changes``); everything below the queries works on this data alone.

    ``warnings`` holds the problems that did not stop loading (such as disagreeing sources).
    """

    ship_types: Mapping[str, ShipType]
    aircraft_types: Mapping[str, AircraftType]
    places: Mapping[str, Place]
    sources: Mapping[str, Source]
    vessels: Mapping[str, Vessel]
    unidentified: Mapping[str, UnidentifiedVessels]
    aircraft: Mapping[str, AircraftDetachment]
    formations: Mapping[str, Formation]
    events: tuple[Event, ...]
    claims: Mapping[str, Claim]
    settings: Settings = Settings()
    warnings: tuple[Problem, ...] = attrs.field(default=(), eq=False)
    source_texts: Mapping[str, str] = attrs.field(factory=dict, eq=False, repr=False)
    # Indexes derived by queries, built on first use; never part of equality.
    cache: dict[str, object] = attrs.field(factory=dict, eq=False, repr=False, init=False)

    def unit(self, unit_id: str) -> Unit | None:
        """The vessel, unidentified group or aircraft detachment with this id."""
        return self.vessels.get(unit_id) or self.unidentified.get(unit_id) or self.aircraft.get(unit_id)

    def units(self) -> Iterator[Unit]:
        """Every unit: vessels, unidentified vessels, then aircraft detachments."""
        yield from self.vessels.values()
        yield from self.unidentified.values()
        yield from self.aircraft.values()

    @property
    def formation_parents(self) -> Mapping[str, str | None]:
        """Each formation id with the id of its parent formation."""
        return {formation.id: formation.parent for formation in self.formations.values()}

    def ship_type_of(self, unit: Vessel | UnidentifiedVessels) -> ShipType:
        """The ship type a vessel or group is of (validated to exist)."""
        return self.ship_types[unit.type]

    @property
    def latest_source_date(self) -> PartialDate | None:
        """The date of the newest source: the catalog says nothing of later days."""
        if "latest_source_date" not in self.cache:  # asked by every snapshot
            dates = [source.date for source in self.sources.values() if source.date is not None]
            self.cache["latest_source_date"] = max(dates, key=lambda d: d.end) if dates else None
        latest = self.cache["latest_source_date"]
        assert latest is None or isinstance(latest, PartialDate)
        return latest
