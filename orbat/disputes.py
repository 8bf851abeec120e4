"""Where the catalog's facts cannot all hold: which sources say what, side by side.

One detection serves two readers. ``orbat validate`` reports every :class:`Disagreement` as a
problem: an error when one source contradicts itself (the catalog is wrong), a warning when two
sources disagree (reporting disagrees, and the catalog keeps both). The report lists the
disagreements between sources as disputes, each side with its sources and date.
"""

from __future__ import annotations

import datetime as dt
import enum
import heapq
from collections import defaultdict
from collections.abc import Iterator
from itertools import combinations

import attrs

from orbat.dates import PartialDate
from orbat.figures import TOLERANCE_PERCENT, allowed, gap, same_period
from orbat.model import SERVICE_FIELD_NOTE, Catalog, Event, EventKind, Figure, is_nested, service_events
from orbat.places import PlaceGraph
from orbat.problems import Location, Problem, Severity
from orbat.quantities import Quantity

__all__ = [
    "Disagreement",
    "DisputeKind",
    "Side",
    "disputes",
    "find_disagreements",
]


class DisputeKind(enum.Enum):
    """What two sides disagree about."""

    MEMBERSHIP = "membership"  # which units a formation has, or which formation a unit is in
    PLACE = "place"  # where a unit was at what may be the same time
    ARRIVAL = "arrival"  # the same arrival, reported twice
    FIGURE = "figure"  # a formation's personnel or aircraft
    AFTER_SERVICE = "after service"  # news of a unit after it left service


@attrs.frozen(slots=True)
class Side:
    """What some sources say: the events or figure behind one side of a disagreement.

    ``units`` are the units this side names (a formation's members); ``place`` and ``formation``
    where it puts the subject.
    """

    sources: tuple[str, ...]
    date: PartialDate | None
    events: tuple[Event, ...] = ()
    figure: Figure | None = None
    units: tuple[str, ...] = ()
    place: str | None = None
    formation: str | None = None


@attrs.frozen(slots=True)
class Disagreement:
    """Two sides that cannot both hold, about ``subject`` (a unit or formation id).

    ``severity`` is a warning between sources and an error within one; ``message`` and
    ``location`` are what ``orbat validate`` prints. ``units`` are the units whose state rests
    on it.
    """

    kind: DisputeKind
    code: str
    subject: str
    sides: tuple[Side, Side]
    message: str
    location: Location
    severity: Severity
    units: tuple[str, ...] = ()
    measure: str | None = None

    @property
    def between_sources(self) -> bool:
        """True when different sources disagree (not one source with itself)."""
        return self.severity is Severity.WARNING

    @property
    def problem(self) -> Problem:
        """The disagreement as ``orbat validate`` reports it."""
        return Problem(self.location, self.code, self.message, self.severity)

    @property
    def sources(self) -> tuple[str, ...]:
        """Every source of either side, without repeats."""
        return tuple(dict.fromkeys(s for side in self.sides for s in side.sources))

    @property
    def on_record(self) -> dt.date | None:
        """The first day on which both sides may be on record (None: both undated)."""
        starts = [side.date.start for side in self.sides if side.date is not None]
        return max(starts) if starts else None


def find_disagreements(catalog: Catalog) -> tuple[Disagreement, ...]:
    """Every disagreement in ``catalog``, within a source and between sources."""
    return (
        *_unit_histories(catalog),
        *_figures(catalog),
        *_memberships_reported(catalog),
        *_locations_reported(catalog),
    )


def disputes(catalog: Catalog) -> tuple[Disagreement, ...]:
    """The disagreements between sources: what a reader must know the sources dispute (worked
    out once per catalog)."""
    found = catalog.cache.get("disputes")
    if not isinstance(found, tuple):
        found = catalog.cache["disputes"] = tuple(d for d in find_disagreements(catalog) if d.between_sources)
    return found


def _sources(event: Event) -> frozenset[str]:
    return frozenset(c.source for c in event.citations)


def _side(*events: Event, place: str | None = None, formation: str | None = None) -> Side:
    sources = tuple(sorted({s for e in events for s in _sources(e)}))
    return Side(sources, events[0].date, events, place=place, formation=formation)


def _disagreement(first: Event, second: Event) -> tuple[Severity, str]:
    """Errors within one source, warnings between sources; the text names the sources."""
    a, b = _sources(first), _sources(second)
    if a & b or not a or not b:
        return Severity.ERROR, ""
    return Severity.WARNING, f" (sources disagree: {', '.join(sorted(b))} vs {', '.join(sorted(a))})"


def _describe(event: Event) -> str:
    where = event.place or event.formation or event.relieves or event.to or ""
    return f"{event.kind.value} {where} on {event.date} ({', '.join(sorted(_sources(event)))})".replace("  ", " ")


_DECOMMISSIONED_KINDS = frozenset(
    {
        EventKind.ORDERED,
        EventKind.DEPARTED,
        EventKind.ARRIVED,
        EventKind.JOINED,
        EventKind.REPORTED_PRESENT,
        EventKind.EXPECTED,
        EventKind.RELIEVED,
        EventKind.RETURNED,
    }
)


def _unit_histories(catalog: Catalog) -> Iterator[Disagreement]:
    """Per unit, in date order: no arriving where it already is, one formation at a time,
    nothing after decommissioning."""
    formation_parents = catalog.formation_parents
    histories: defaultdict[str, list[Event]] = defaultdict(list)
    arrived, departed, returned = EventKind.ARRIVED, EventKind.DEPARTED, EventKind.RETURNED
    joined, detached, decommissioned_kind = EventKind.JOINED, EventKind.DETACHED, EventKind.DECOMMISSIONED
    # A vessel's 'decommissioned' field counts as its decommissioning event, merged into the events'
    # date order (ties keep file order, the fields last).
    service = sorted(service_events(catalog.vessels.values()), key=_date_order)
    events = list(heapq.merge(catalog.events, service, key=_date_order)) if service else catalog.events
    for event in events:
        for unit_id in event.units:
            histories[unit_id].append(event)
    for unit_id, events in histories.items():
        at: Event | None = None
        member: Event | None = None
        decommissioned: Event | None = None
        after_decommissioning: dict[frozenset[str], list[Event]] = {}
        for event in events:
            kind = event.kind
            if (
                decommissioned is not None
                and kind in _DECOMMISSIONED_KINDS
                and event.date.certainly_after(decommissioned.date)
            ):
                after_decommissioning.setdefault(_sources(event), []).append(event)
            # One test of the kind for most events: a unit's history is mostly of these kinds.
            if kind is arrived:
                if at is not None and at.place == event.place:
                    yield _already_there(unit_id, at, event)
                at = event
            elif kind is departed:
                at = None
            elif kind is returned:
                at = event
            elif kind is joined:
                if (
                    member is not None
                    and member.formation != event.formation
                    and event.formation is not None
                    and member.formation is not None
                    and not is_nested(formation_parents, event.formation, member.formation)
                ):
                    yield _two_formations(unit_id, member, event)
                member = event
            elif kind is detached:
                if member is not None and member.formation == event.formation:
                    member = None
            elif kind is decommissioned_kind and decommissioned is None:
                decommissioned = event
        for late_events in after_decommissioning.values():
            assert decommissioned is not None
            first = late_events[0]
            severity, why = _disagreement(decommissioned, first)
            if severity is Severity.ERROR and not _sources(decommissioned) and _sources(first):
                # An uncited 'decommissioned' field against a source: nothing says the catalog
                # contradicts itself, so the sources are shown side by side, as a disagreement.
                named = ", ".join(sorted(_sources(first)))
                severity, why = Severity.WARNING, f" (sources disagree: {named} vs the field)"
            kinds = ", ".join(sorted({e.kind.value for e in late_events}))
            # Within one source the catalog itself is wrong: say what to correct.
            fix = why or "; correct the unit or the date of one of the two events"
            yield Disagreement(
                DisputeKind.AFTER_SERVICE,
                "after-decommissioning",
                unit_id,
                (_side(decommissioned), _side(*late_events)),
                f"{unit_id!r} is {kinds} on {first.date}, after it was decommissioned on "
                f"{decommissioned.date} ({_decommissioned_by(decommissioned)}){fix}",
                first.origin.at("date"),
                severity,
                (unit_id,),
            )


def _already_there(unit_id: str, at: Event, event: Event) -> Disagreement:
    """A unit arriving where an earlier event already put it."""
    severity, why = _disagreement(at, event)
    return Disagreement(
        DisputeKind.ARRIVAL,
        "already-there",
        unit_id,
        (_side(at, place=at.place), _side(event, place=event.place)),
        f"{unit_id!r} arrives at {event.place!r} on {event.date}, but it already "
        f"arrived there: {_describe(at)}; if both describe the same arrival, make them "
        f"one event citing both sources{why}",
        event.origin.at("place"),
        severity,
        (unit_id,),
    )


def _two_formations(unit_id: str, member: Event, event: Event) -> Disagreement:
    """A unit joining a formation while still in another, neither within the other."""
    severity, why = _disagreement(member, event)
    return Disagreement(
        DisputeKind.MEMBERSHIP,
        "two-formations",
        unit_id,
        (_side(member, formation=member.formation), _side(event, formation=event.formation)),
        f"{unit_id!r} joins {event.formation!r} on {event.date} while still in "
        f"{member.formation!r} ({_describe(member)}); add a 'detached' event first"
        f"{why}",
        event.origin.at("formation"),
        severity,
        (unit_id,),
    )


def _date_order(event: Event) -> tuple[dt.date, dt.date]:
    return (event.date.start, event.date.end)


def _decommissioned_by(event: Event) -> str:
    """Who says a unit was decommissioned: the event's sources, or the vessel's field."""
    sources = ", ".join(sorted(_sources(event)))
    if event.id is None and event.note == SERVICE_FIELD_NOTE:
        return f"{SERVICE_FIELD_NOTE}, {sources}" if sources else SERVICE_FIELD_NOTE
    return sources


def _figure_sources(figure: Figure) -> str:
    return ", ".join(sorted({c.source for c in figure.citations})) or "uncited"


def _figure_side(figure: Figure) -> Side:
    return Side(tuple(sorted({c.source for c in figure.citations})), figure.as_of, figure=figure)


def _figures(catalog: Catalog) -> Iterator[Disagreement]:
    """Figures of one formation, from different sources of about the same time, that cannot both
    hold: their ranges do not overlap even allowing an approximate figure its tolerance."""
    for formation in catalog.formations.values():
        for measure in ("personnel", "aircraft"):
            figures: tuple[Figure, ...] = getattr(formation, measure)
            for first, second in combinations(figures, 2):
                if (
                    _figure_sources(first) == _figure_sources(second)
                    or (first.as_of and second.as_of and not same_period(first.as_of, second.as_of))
                    or not (apart := gap(first.count, second.count))
                ):
                    continue
                yield Disagreement(
                    DisputeKind.FIGURE,
                    "sources-disagree",
                    formation.id,
                    (_figure_side(first), _figure_side(second)),
                    f"{formation.id!r} {measure}: {_figure_sources(second)} gives {_given(second.count)}, "
                    f"{_figure_sources(first)} gives {_given(first.count)}; the figures cannot both hold, "
                    f"{apart:,} apart; both are kept",
                    second.origin.at("count"),
                    Severity.WARNING,
                    measure=measure,
                )


def _given(count: Quantity) -> str:
    """A figure as its source words it, with the range it is taken to allow where that is not plain."""
    shown = count.display
    if count.approximate:
        widened = allowed(count)
        return f"{shown} ({Quantity(widened.low, widened.high)} allowing {TOLERANCE_PERCENT}%)"
    if shown != str(count):
        return f"{shown} ({count})"
    return shown


def _locations_reported(catalog: Catalog) -> Iterator[Disagreement]:
    """Different sources placing one unit at two unrelated places at what may be the same time."""
    places = PlaceGraph(catalog.places)
    known, arrived, present = catalog.places, EventKind.ARRIVED, EventKind.REPORTED_PRESENT
    placed: defaultdict[str, list[Event]] = defaultdict(list)
    for event in catalog.events:
        kind = event.kind
        if (kind is arrived or kind is present) and event.place in known:
            for unit_id in event.units:
                placed[unit_id].append(event)
    for unit_id, events in placed.items():
        # Events come in order of their first possible day: each is compared only with the earlier
        # ones whose dates may still be running.
        running: list[Event] = []
        for second in events:
            if running:
                start = second.date.start
                running = [e for e in running if e.date.end >= start]
            for first in running:
                if not places.apart(first, second):
                    continue
                yield Disagreement(
                    DisputeKind.PLACE,
                    "sources-disagree",
                    unit_id,
                    (_side(first, place=first.place), _side(second, place=second.place)),
                    f"sources disagree on where {unit_id!r} was: {', '.join(sorted(_sources(second)))} "
                    f"places it at {second.place!r} ({second.date}), {', '.join(sorted(_sources(first)))} "
                    f"at {first.place!r} ({first.date}); both are kept",
                    second.origin.at("place"),
                    Severity.WARNING,
                    (unit_id,),
                )
            running.append(second)


def _memberships_reported(catalog: Catalog) -> Iterator[Disagreement]:
    """Sources that each list two or more members of a formation, neither list within the other."""
    lists: dict[str, dict[str, tuple[set[str], Event]]] = {}
    joined = EventKind.JOINED
    for event in catalog.events:
        if event.kind is not joined or event.formation is None or not event.citations:
            continue
        by_source = lists.setdefault(event.formation, {})
        for source in _sources(event):
            held = by_source.get(source)
            if held is None:
                by_source[source] = (set(event.units), event)
            else:
                held[0].update(event.units)
    for formation_id, by_source in lists.items():
        # Sources that list the very same members speak as one.
        groups: dict[frozenset[str], tuple[list[str], Event]] = {}
        for source, (members, first) in sorted(by_source.items()):
            key = frozenset(members)
            if key in groups:
                groups[key][0].append(source)
            else:
                groups[key] = ([source], first)
        for (units_a, (sources_a, event_a)), (units_b, (sources_b, event_b)) in combinations(groups.items(), 2):
            if len(units_a) < 2 or len(units_b) < 2 or units_a <= units_b or units_b <= units_a:
                continue
            later = max(event_a, event_b, key=lambda e: (e.date.sort_key(), e.origin.file, e.origin.line))
            sides = (
                Side(tuple(sources_a), event_a.date, (event_a,), units=tuple(sorted(units_a)), formation=formation_id),
                Side(tuple(sources_b), event_b.date, (event_b,), units=tuple(sorted(units_b)), formation=formation_id),
            )
            yield Disagreement(
                DisputeKind.MEMBERSHIP,
                "sources-disagree",
                formation_id,
                sides,
                f"sources disagree on the members of {formation_id!r}: {', '.join(sources_a)} "
                f"{'names' if len(sources_a) == 1 else 'name'} {', '.join(sorted(units_a))}; "
                f"{', '.join(sources_b)} {'names' if len(sources_b) == 1 else 'name'} "
                f"{', '.join(sorted(units_b))}; both are kept",
                later.origin.at("units"),
                Severity.WARNING,
                tuple(sorted(units_a ^ units_b)),
            )
