"""The presence rules: a unit's events replayed into its state on a date, certain and possible.

Dates are honoured at their precision: a unit's events are replayed twice, once with those
*certainly* on or before the date and once with those *possibly* so. A unit is certainly present
when both replays put it at a place and possibly present at every place either puts it, or may put
it: a unit ordered, expected or en route to a place may already be there (from the start of its
arrival window), and may still be where it was until it is reported leaving. Sources that put a
unit at two places on days that may be the same leave it at both, disputed.
"""

from __future__ import annotations

import bisect
import datetime as dt
import enum
from collections import defaultdict
from collections.abc import Iterable, Mapping
from typing import cast

import attrs

from orbat._gc import gc_paused
from orbat.dates import PartialDate
from orbat.figures import hull
from orbat.model import (
    Catalog,
    Citation,
    Event,
    EventKind,
    UnidentifiedVessels,
    Unit,
    Vessel,
    chain,
    service_events,
)
from orbat.places import PlaceGraph
from orbat.quantities import Quantity

__all__ = ["HEADING", "PresenceIndex", "Status", "UnitState", "presence_index"]


class Status(enum.Enum):
    """Where a unit stands on a date."""

    PRESENT = "present"
    ASSIGNED = "assigned"  # in a formation, where it is not reported
    ORDERED = "ordered"
    EXPECTED = "expected"
    EN_ROUTE = "en route"
    DEPARTED = "departed"
    RELIEVED = "relieved"
    DECOMMISSIONED = "decommissioned"


HEADING = frozenset((Status.ORDERED, Status.EXPECTED, Status.EN_ROUTE))


@attrs.frozen(slots=True)
class UnitState:
    """One unit on one date: status, places, formation and count, and the events behind them.

    ``places`` lists every place the unit may be at on the date (empty: nowhere it could be
    counted); it is certainly at one of them when ``certainly_present``. ``reported`` are those
    of them a report puts it at (not only where it is bound, or was before it was ordered away). ``place`` is the place
    shown for the status: where it is, where it is bound, or where it left. ``certain`` is False
    when an event whose date may fall either side of the day changes the answer, or when sources
    disagree (``disputed``). ``via`` holds, for each of ``events``, the membership event through
    which a formation-wide event reached this unit (None when the event names the unit).
    """

    unit: Unit
    status: Status
    place: str | None
    formation: str | None
    count: Quantity
    since: PartialDate
    certain: bool
    certainly_present: bool
    possibly_present: bool
    events: tuple[Event, ...]
    places: tuple[str, ...] = ()
    reported: tuple[str, ...] = ()
    disputed: bool = False
    last_reported: PartialDate | None = None
    via: tuple[Event | None, ...] = ()

    @property
    def unit_id(self) -> str:
        return self.unit.id

    @property
    def heading(self) -> bool:
        """Ordered, expected or en route somewhere."""
        return self.status in HEADING

    @property
    def status_text(self) -> str:
        """The status in words, with what is only possible: "ordered, possibly arrived"."""
        text = self.status.value
        if self.heading:
            if self.place in self.places:
                return f"{text}, possibly arrived"
            return text
        if self.status is Status.PRESENT:
            if self.disputed and len(self.places) > 1:
                return "present (sources disagree on the place)"
            if not self.certainly_present:
                return "possibly present"
        if not self.certain:
            return f"{text} (uncertain)"
        return text

    def _basis(self, events: Iterable[tuple[Event, Event | None]]) -> tuple[Citation, ...]:
        seen: dict[tuple[str, str | None], Citation] = {}
        for event, membership in events:
            for citation in event.citations:
                seen.setdefault((citation.source, citation.quote), citation)
            for citation in membership.citations if membership else ():
                seen.setdefault((citation.source, citation.quote), citation)
        return tuple(seen.values())

    def _pairs(self) -> Iterable[tuple[Event, Event | None]]:
        return zip(self.events, self.via or (None,) * len(self.events), strict=True)

    @property
    def citations(self) -> tuple[Citation, ...]:
        """The citations of every event behind this state, and of the memberships that made a
        formation-wide event this unit's, in date order, without repeats."""
        return self._basis(self._pairs())

    @property
    def status_citations(self) -> tuple[Citation, ...]:
        """The citations of the events that gave the current status (and of the memberships
        they relied on)."""
        since = self.since
        current = [(e, m) for e, m in self._pairs() if e.date.end == since.end and e.date == since]
        return self._basis(current) or self.citations

    @property
    def sources(self) -> tuple[str, ...]:
        """Ids of the sources behind this state."""
        return tuple(dict.fromkeys(c.source for c in self.citations))

    def age(self, on: dt.date) -> int | None:
        """Days from the last report of this state to ``on`` (None when never reported)."""
        if self.last_reported is None:
            return None
        return max(0, (on - self.last_reported.end).days)


class _Replay:
    """A unit's state as its events are fed to it one by one, in replay order."""

    __slots__ = (
        "alternatives",
        "confirmed",
        "count",
        "disputed",
        "formation",
        "heading_too",
        "left",
        "open_from",
        "place",
        "placed_by",
        "since",
        "status",
        "unit",
    )

    def __init__(self, unit: Unit) -> None:
        self.unit = unit
        self.status: Status | None = None
        self.place: str | None = None
        self.formation: str | None = None
        self.count = unit.count
        self.since: PartialDate | None = None
        self.placed_by: Event | None = None
        self.disputed = False  # events contradict each other (news of a decommissioned unit, reports out of order)
        self.alternatives: tuple[str, ...] = ()  # other places reports of uncertain order put it at
        self.left: tuple[str, ...] = ()  # where it was when ordered away: there until reported leaving
        self.open_from: dt.date | None = None  # when heading: the first day it may have arrived
        # When heading: the destinations of earlier orders, each with the first day it may have
        # arrived there (a later order is no report that it did not).
        self.heading_too: tuple[tuple[str, dt.date], ...] = ()
        self.confirmed: PartialDate | None = None  # the date of the last event that set or confirmed it

    def copy(self) -> _Replay:
        other = _Replay.__new__(_Replay)
        for name in _Replay.__slots__:
            setattr(other, name, getattr(self, name))
        return other

    def same(self, other: _Replay) -> bool:
        """Whether the two give the same status, place, formation and count."""
        return (self.status, self.place, self.formation, self.count) == (
            other.status,
            other.place,
            other.formation,
            other.count,
        )

    def at(self) -> tuple[str, ...]:
        """The places the unit certainly is at one of (empty unless present)."""
        if self.status is not Status.PRESENT or self.place is None:
            return ()
        return (self.place, *(p for p in self.alternatives if p != self.place))

    def maybe(self, date: dt.date) -> tuple[str, ...]:
        """Places it may be at on ``date`` without being certainly at any: its destination once
        the arrival window opens, an earlier order's destination once that one's opens, and where
        it was ordered away from."""
        if self.status not in HEADING:
            return ()
        opened = self.place is not None and self.open_from is not None and self.open_from <= date
        found = (*self.left, self.place) if opened and self.place is not None else self.left
        if self.heading_too:
            found = (*found, *(place for place, first in self.heading_too if first <= date))
        return found

    def feed(self, event: Event, places: PlaceGraph) -> None:
        """The state after ``event``."""
        unit, kind, status = self.unit, event.kind, self.status
        if status is Status.DECOMMISSIONED:
            # Decommissioning is final: later news of the unit is a disagreement, not a revival.
            self.disputed = self.disputed or kind not in (EventKind.DETACHED, EventKind.DECOMMISSIONED)
            return
        if event.count is not None and unit.id in event.units and not isinstance(unit, Vessel):
            self.count = event.count
        if event.relieves is not None and event.relieves == unit.id and unit.id not in event.units:
            self._move(Status.RELIEVED, None, event)
            return
        if kind is EventKind.JOINED:
            self.formation = event.formation
        elif kind is EventKind.DETACHED:
            self.formation = None if self.formation == event.formation else self.formation
        elif kind in _PLACING:
            self._place(event)
        elif kind is EventKind.RELIEVED:
            if event.place:
                self._move(Status.PRESENT, event.place, event)
        elif kind in (EventKind.ORDERED, EventKind.EXPECTED):
            # A unit already at its destination stays present there.
            if status is Status.PRESENT and event.place and places.is_within(self.place, event.place):
                return
            left = self.at() if status is Status.PRESENT else self.left if status in HEADING else ()
            opened = self.open_from is not None and self.open_from <= event.date.end
            if status in HEADING and self.place is not None and opened:  # it may have reached it
                left = (*left, self.place)
            too: tuple[tuple[str, dt.date], ...] = ()
            if status in HEADING:
                # A new order is no report of where the unit went: it may yet reach where it was
                # bound for before (once that window opens), until a report places it.
                too = self.heading_too
                if self.place is not None and self.open_from is not None and self.place != event.place:
                    too = (*too, (self.place, self.open_from))
            new = Status.ORDERED if kind is EventKind.ORDERED else Status.EXPECTED
            self._move(new, event.place, event)
            self.left, self.heading_too = left, too
            self.open_from = (event.arrival or event.date).start
        elif kind is EventKind.DEPARTED:
            self._move(Status.EN_ROUTE if event.to else Status.DEPARTED, event.to or event.place, event)
            self.open_from = (event.arrival or event.date).start if event.to else None
        elif kind is EventKind.DECOMMISSIONED:
            self._move(Status.DECOMMISSIONED, None, event)

    def _move(self, status: Status, place: str | None, event: Event) -> None:
        self.status, self.place, self.since, self.confirmed = status, place, event.date, event.date
        self.placed_by, self.alternatives, self.left, self.open_from = None, (), (), None
        self.heading_too = ()

    def _place(self, event: Event) -> None:
        placed_by = self.placed_by
        if not (
            self.status is Status.PRESENT and self.place == event.place and event.kind is EventKind.REPORTED_PRESENT
        ):
            self.since = event.date
        if (
            placed_by is not None
            and placed_by.place != event.place
            and placed_by.date.overlaps(event.date)
            and not {c.source for c in placed_by.citations} & {c.source for c in event.citations}
        ):
            # Two sources place it apart at what may be the same time: the order is unknown.
            self.disputed = True
            if placed_by.place is not None and placed_by.place not in self.alternatives:
                self.alternatives = (*self.alternatives, placed_by.place)
        elif placed_by is None or placed_by.place != event.place:
            self.alternatives = ()
        self.status, self.place, self.placed_by = Status.PRESENT, event.place, event
        self.left, self.open_from, self.heading_too = (), None, ()
        self.confirmed = event.date


_PLACING = (EventKind.ARRIVED, EventKind.REPORTED_PRESENT, EventKind.RETURNED)


def _by_last_day(date: PartialDate) -> tuple[dt.date, dt.date]:
    return (date.end, date.start)


def _state(
    unit: Unit,
    date: dt.date,
    certain: _Replay,
    possible: _Replay,
    events: tuple[Event, ...],
    via: tuple[Event | None, ...],
    spanning: bool,
) -> UnitState | None:
    """The state on ``date`` from the replays of the events certainly and possibly before it
    (``spanning``: some event of uncertain order was fed to ``possible`` only)."""
    if possible.status is None and possible.formation is None:
        return None
    if possible is certain:  # no event of uncertain order: one replay
        reported = certain.at()
        maybe = certain.maybe(date)
        places = tuple(dict.fromkeys(reported + maybe)) if maybe else reported
        last_reported = certain.confirmed
    else:
        reported = tuple(dict.fromkeys((*certain.at(), *possible.at())))
        places = tuple(dict.fromkeys((*reported, *certain.maybe(date), *possible.maybe(date))))
        confirmed = [d for d in (certain.confirmed, possible.confirmed) if d is not None]
        last_reported = max(confirmed, key=_by_last_day) if confirmed else None
    certainly_present = certain.status is Status.PRESENT and possible.status is Status.PRESENT
    if isinstance(unit, Vessel) and unit.commissioned is not None and date < unit.commissioned.end:
        certainly_present = False  # perhaps not yet in service
    same_count = possible is certain or certain.count == possible.count
    return UnitState(  # positional: this runs for every unit on every day asked
        unit,
        possible.status or Status.ASSIGNED,
        possible.place,
        possible.formation,
        possible.count if same_count else hull((certain.count, possible.count)),
        possible.since or events[-1].date,
        (not spanning or certain.same(possible)) and not possible.disputed,
        certainly_present,
        bool(places),
        events,
        places,
        reported,
        possible.disputed or certain.disputed,
        last_reported,
        via,
    )


class _History:
    """One unit's events in replay order, and its state cached per stretch of days.

    An event counts as certain from its last possible day and as possible from its first, so
    the state can change only on those days (and on the days arrival windows open): a snapshot
    bisects them instead of replaying. Events are replayed in order of their last day, so the
    certain events of a day are a prefix of them; the possible events are that prefix plus the
    few spanning events begun but not ended by the day.
    """

    __slots__ = ("_breakpoints", "ends", "events", "spanning", "states", "unit", "via")

    def __init__(self, unit: Unit, events: tuple[Event, ...], via: tuple[Event | None, ...]) -> None:
        self.unit = unit
        self.events = events
        self.via = via
        self.ends = ends = [e.date.end for e in events]
        self.spanning = [(n, e) for n, e in enumerate(events) if e.date.start < ends[n]]
        self._breakpoints: list[dt.date] | None = None
        self.states: dict[int, UnitState | None] = {}

    @property
    def breakpoints(self) -> list[dt.date]:
        """The days on which the state may change, in order: made when first needed (the first
        day asked of a catalog needs none)."""
        if self._breakpoints is None:
            days = set(self.ends)
            days.update(e.date.start for _, e in self.spanning)
            days.update(e.arrival.start for e in self.events if e.arrival is not None)
            commissioned = self.unit.commissioned if isinstance(self.unit, Vessel) else None
            if commissioned is not None:
                days.update((commissioned.start, commissioned.end))
            self._breakpoints = sorted(days)
        return self._breakpoints

    def state_on(self, date: dt.date, places: PlaceGraph) -> UnitState | None:
        """The state on ``date`` (None when nothing is known of the unit yet), replayed once per
        stretch of days."""
        stretch = bisect.bisect_right(self.breakpoints, date)
        if stretch not in self.states:
            self.states[stretch] = self.state_at(date, places)
        return self.states[stretch]

    def state_at(self, date: dt.date, places: PlaceGraph) -> UnitState | None:
        """The state on ``date``, replayed and not kept."""
        ended = bisect.bisect_right(self.ends, date)
        certain = _Replay(self.unit)
        for event in self.events[:ended]:
            certain.feed(event, places)
        return self._state(date, certain, ended, places)

    def sweep(self, places: PlaceGraph) -> None:
        """Every stretch's state, in one pass over the events: for a unit whose state is asked
        on one day after another."""
        events, ends, states = self.events, self.ends, self.states
        certain = _Replay(self.unit)
        ended = 0
        for stretch, date in enumerate(self.breakpoints, 1):
            while ended < len(events) and ends[ended] <= date:
                certain.feed(events[ended], places)
                ended += 1
            if stretch not in states:
                states[stretch] = self._state(date, certain, ended, places)
        states.setdefault(0, None)

    def _state(self, date: dt.date, certain: _Replay, ended: int, places: PlaceGraph) -> UnitState | None:
        """The state on ``date`` from ``certain``, the replay of the first ``ended`` events."""
        unit, events, via = self.unit, self.events, self.via
        commissioned = unit.commissioned if isinstance(unit, Vessel) else None
        if commissioned is not None and date < commissioned.start:
            return None  # not yet in service: not counted
        spanning = self.spanning
        begun = [n for n, event in spanning if n >= ended and event.date.start <= date] if spanning else None
        if not begun:
            return _state(unit, date, certain, certain, events[:ended], via[:ended], False)
        possible = certain.copy()
        for n in begun:
            possible.feed(events[n], places)
        used = [*range(ended), *begun]
        return _state(unit, date, certain, possible, tuple(events[n] for n in used), tuple(via[n] for n in used), True)


_Built = tuple[list[UnitState | None], tuple[UnitState, ...], int]
"""Every unit's state on a day (None: nothing known yet), those known, and how many are not."""


def _built(states: list[UnitState | None], unknown: int) -> _Built:
    known = tuple(filter(None, states)) if unknown else tuple(cast("list[UnitState]", states))
    return (states, known, unknown)


class _Timeline:
    """Whole-catalog states by stretch of days, each built from the nearest one already built.

    Across the catalog, states change only on the days that begin or end some event's date; a
    new day's states are those of a nearby day already computed, updated for the units that have
    a breakpoint in between. A unit updated so has all its stretches worked out at once
    (:meth:`_History.sweep`), which costs little more than replaying them for one day: later
    days find them ready. The latest KEPT stretches built are kept.
    """

    KEPT = 256

    __slots__ = ("_days", "after", "before", "built", "first", "histories", "kept", "places")

    def __init__(self, histories: tuple[_History, ...], places: PlaceGraph) -> None:
        self.histories = histories
        self.places = places
        self._days: list[dt.date] | None = None
        # For each of the days, the units whose state may change on it, each with its stretch
        # from that day (after) and up to it (before): made for the second day asked.
        self.after: list[list[tuple[int, int]]] = []
        self.before: list[list[tuple[int, int]]] = []
        # Each stretch built: every unit's state (None: nothing known yet), those known, and how
        # many are not.
        self.built: dict[int, _Built] = {}
        self.kept: list[int] = []  # the stretches in self.built, in order
        # The first day asked, before the days are known: each unit's state replayed, nothing more.
        self.first: tuple[dt.date, _Built] | None = None

    @property
    def days(self) -> list[dt.date]:
        """Every day on which some unit's state may change: made for the second day asked."""
        if self._days is None:
            self._days = sorted({day for history in self.histories for day in history.breakpoints})
        return self._days

    def states_on(self, date: dt.date) -> tuple[UnitState, ...]:
        if self._days is None and not self.built:
            if self.first is None:
                with gc_paused():  # a state per unit, kept for later queries
                    states = [history.state_at(date, self.places) for history in self.histories]
                    self.first = (date, _built(states, sum(state is None for state in states)))
            if self.first[0] == date:
                return self.first[1][1]
        if self.first is not None:  # filed under its stretch, now that the days are known
            first_date, found = self.first
            self.first = None
            self._keep(bisect.bisect_right(self.days, first_date), found)
        stretch = bisect.bisect_right(self.days, date)
        kept = self.built.get(stretch)
        if kept is not None:
            return kept[1]
        with gc_paused():  # a state per unit, kept for later queries
            found = _built(*self._build(stretch, date))
        self._keep(stretch, found)
        return found[1]

    def _keep(self, stretch: int, found: _Built) -> None:
        if len(self.built) >= self.KEPT:
            oldest = next(iter(self.built))
            del self.built[oldest]
            self.kept.remove(oldest)
        self.built[stretch] = found
        bisect.insort(self.kept, stretch)

    def _nearest(self, stretch: int) -> int | None:
        at = bisect.bisect_left(self.kept, stretch)
        near = self.kept[max(at - 1, 0) : at + 1]
        return min(near, key=lambda k: abs(k - stretch)) if near else None

    def _index_changes(self) -> None:
        by_day: dict[dt.date, list[tuple[int, int]]] = {day: [] for day in self.days}
        for n, history in enumerate(self.histories):
            for stretch, day in enumerate(history.breakpoints, 1):
                by_day[day].append((n, stretch))
        self.after = list(by_day.values())
        self.before = [[(n, k - 1) for n, k in changes] for changes in self.after]

    def _build(self, stretch: int, date: dt.date) -> tuple[list[UnitState | None], int]:
        """Every unit's state on ``date``, in ``stretch``, and how many are None."""
        places, histories = self.places, self.histories
        nearest = self._nearest(stretch)
        if nearest is not None:
            if not self.after:
                self._index_changes()
            # Each unit with a breakpoint between the two: its stretch on the new day.
            local: dict[int, int] = {}
            if nearest < stretch:  # its last breakpoint up to the day starts its stretch
                for i in range(nearest, stretch):
                    local.update(self.after[i])
            else:  # its first breakpoint after the day ends its stretch
                for i in range(nearest - 1, stretch - 1, -1):
                    local.update(self.before[i])
            if len(local) < len(histories) // 2:
                base, _, unknown = self.built[nearest]
                states = list(base)
                for n, k in local.items():
                    cached = histories[n].states
                    if k not in cached:
                        histories[n].sweep(places)
                    state = cached[k]
                    unknown += (state is None) - (states[n] is None)
                    states[n] = state
                return states, unknown
        states = [history.state_on(date, places) for history in histories]
        return states, sum(state is None for state in states)


@attrs.frozen(slots=True)
class PresenceIndex:
    """Per-unit histories, with formation-wide events expanded to the members of the day."""

    histories: tuple[_History, ...]
    places: PlaceGraph
    formations: Mapping[str, str | None]  # formation id -> its parent
    nested: Mapping[str, frozenset[str]]  # formation id -> itself and every formation within it
    outermost: Mapping[str, str]  # formation id -> the outermost formation containing it
    timeline: _Timeline

    @property
    def days(self) -> list[dt.date]:
        """Every day on which some unit's state may change."""
        return self.timeline.days


def presence_index(catalog: Catalog) -> PresenceIndex:
    """The catalog's presence index, built on first use and kept in ``catalog.cache``."""
    index = catalog.cache.get("presence.index")
    if isinstance(index, PresenceIndex):
        return index
    with gc_paused():  # thousands of histories, no cycles (see orbat._gc)
        index = _build_index(catalog)
    catalog.cache["presence.index"] = index
    return index


def _build_index(catalog: Catalog) -> PresenceIndex:
    membership: dict[str, list[Event]] = defaultdict(list)
    joiners: dict[str, set[str]] = defaultdict(set)
    for event in catalog.events:
        if event.kind in (EventKind.JOINED, EventKind.DETACHED):
            for unit_id in event.units:
                membership[unit_id].append(event)
                if event.formation:
                    joiners[event.formation].add(unit_id)
    parents = {formation.id: formation.parent for formation in catalog.formations.values()}
    nested: dict[str, set[str]] = defaultdict(set)  # formation -> itself and every formation within it
    for formation_id in parents:
        for ancestor in chain(parents, formation_id):
            nested[ancestor].add(formation_id)
    members: dict[str, _Memberships] = {}  # made for the units a formation-wide event may reach
    identified = {group.id: group.identified_as for group in catalog.unidentified.values() if group.identified_as}
    # Units' events in replay order (ties in catalog order), with the membership behind each.
    by_unit: dict[str, list[Event]] = defaultdict(list)
    via: dict[str, list[Event | None]] = defaultdict(list)
    for event in sorted(_events(catalog), key=_replay_order):
        units = event.units
        if len(units) == 1 and not event.relieves and (not event.formation or event.kind in _MEMBERSHIP):
            unit_id = units[0]  # most events: one unit, named
            if unit_id not in identified:
                by_unit[unit_id].append(event)
                via[unit_id].append(None)
                continue
        subjects: dict[str, Event | None] = dict.fromkeys(units)
        if event.formation and event.kind not in _MEMBERSHIP:
            within = frozenset(nested.get(event.formation, {event.formation}))
            candidates = {unit_id for f in within for unit_id in joiners.get(f, ())}
            for unit_id in candidates:  # in any order: each unit's own events keep theirs
                if unit_id not in subjects:
                    found = members.get(unit_id)
                    if found is None:
                        found = members[unit_id] = _Memberships(membership[unit_id])
                    joined = found.joined_on(event.date.end, within)
                    if joined is not None:
                        subjects[unit_id] = joined
        for unit_id, joined in subjects.items():
            by_unit[unit_id].append(event)
            via[unit_id].append(joined)
            # What a source said of unnamed vessels holds for the vessels they were identified as.
            for vessel_id in identified.get(unit_id, ()):
                if vessel_id not in subjects:
                    by_unit[vessel_id].append(event)
                    via[vessel_id].append(joined)
        if event.relieves:
            by_unit[event.relieves].append(event)
            via[event.relieves].append(None)
    histories = [
        _History(unit, tuple(by_unit[unit.id]), tuple(via[unit.id]))
        for unit in catalog.units()
        if _counted(unit) and unit.id in by_unit
    ]
    graph = PlaceGraph(catalog.places)
    return PresenceIndex(
        tuple(histories),
        graph,
        parents,
        {formation_id: frozenset(within) for formation_id, within in nested.items()},
        {formation_id: list(chain(parents, formation_id))[-1] for formation_id in parents},
        _Timeline(tuple(histories), graph),
    )


def _events(catalog: Catalog) -> list[Event]:
    """The catalog's events, with a vessel's ``decommissioned`` field as the event it stands for."""
    return [*catalog.events, *service_events(catalog.vessels.values())]


def _counted(unit: Unit) -> bool:
    """Unidentified groups later identified are left out: their vessels are counted by name."""
    return not (isinstance(unit, UnidentifiedVessels) and unit.identified_as)


_KIND_ORDER = {kind: n for n, kind in enumerate(EventKind)}
_MEMBERSHIP = (EventKind.JOINED, EventKind.DETACHED)


def _replay_order(event: Event) -> tuple[dt.date, dt.date, int]:
    """Events in the order they are replayed: by the last day they may have happened, so that
    "in August" follows "on Aug 18", then by the natural order of kinds (ordered before departed
    before arrived)."""
    return (event.date.end, event.date.start, _KIND_ORDER[event.kind])


class _Memberships:
    """A unit's joined and detached events, and the formation it is in after each of them."""

    __slots__ = ("after", "starts")

    def __init__(self, history: list[Event]) -> None:
        history = sorted(history, key=lambda event: event.date.start)
        self.starts = [event.date.start for event in history]
        self.after: list[Event | None] = []  # the joined event it is in after each event
        current: Event | None = None
        for event in history:
            if event.kind is EventKind.JOINED:
                current = event
            elif current is not None and current.formation == event.formation:
                current = None
            self.after.append(current)

    def joined_on(self, day: dt.date, formations: frozenset[str]) -> Event | None:
        """The joined event that has the unit in one of ``formations`` on ``day`` (counting
        every event that may have happened by then), if any."""
        done = bisect.bisect_right(self.starts, day)
        current = self.after[done - 1] if done else None
        return current if current is not None and current.formation in formations else None
