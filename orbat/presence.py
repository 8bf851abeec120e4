"""The presence rules: a unit's events replayed into its state on a date, certain and possible.

Dates are honoured at their precision: a unit's events are replayed twice, once with those
*certainly* on or before the date and once with those *possibly* so. A unit is certainly present
when both replays put it at a place and possibly present at every place either puts it, or may put
it: a unit ordered, expected or en route to a place may already be there (from the start of its
arrival window), and may still be where it was until it is reported leaving. Sources that put a
unit at two places on days that may be the same leave it at both, disputed.
"""

from __future__ import annotations

import array
import bisect
import collections
import datetime as dt
import enum
import itertools
import operator
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping

import attrs

from orbat._gc import gc_paused
from orbat.dates import PartialDate
from orbat.figures import hull
from orbat.model import (
    PLACING_KINDS,
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
    DETACHED = "detached"  # left its formation, and no source places it
    RELIEVED = "relieved"
    DECOMMISSIONED = "decommissioned"


HEADING = (Status.ORDERED, Status.EXPECTED, Status.EN_ROUTE)
"""Heading somewhere. A tuple, not a set: ``in`` compares by identity, where a set would hash the
enum member in Python, for every unit on every day."""

# The enum members used for every event and state of every unit, looked up once: `Status.PRESENT`
# goes through the enum's metaclass each time (about 60 ns against 10 ns for a module name).
_ASSIGNED = Status.ASSIGNED
_DECOMMISSIONED = Status.DECOMMISSIONED
_DEPARTED = Status.DEPARTED
_DETACHED = Status.DETACHED
_EN_ROUTE = Status.EN_ROUTE
_EXPECTED = Status.EXPECTED
_ORDERED = Status.ORDERED
_PRESENT = Status.PRESENT
_RELIEVED = Status.RELIEVED
_KIND_DECOMMISSIONED = EventKind.DECOMMISSIONED
_KIND_DEPARTED = EventKind.DEPARTED
_KIND_DETACHED = EventKind.DETACHED
_KIND_EXPECTED = EventKind.EXPECTED
_KIND_JOINED = EventKind.JOINED
_KIND_ORDERED = EventKind.ORDERED
_KIND_RELIEVED = EventKind.RELIEVED
_KIND_REPORTED_PRESENT = EventKind.REPORTED_PRESENT


@attrs.frozen(slots=True)
class UnitState:
    """One unit on one date: status, places, formation and count, and the events behind them.

    ``places`` lists every place the unit may be at on the date (empty: nowhere it could be
    counted); it is certainly at one of them when ``certainly_present``. ``reported`` are those
    of them a report puts it at (not only where it is bound, or was before it was ordered away,
    or where a unit it took over from was). ``place`` is the place shown for the status: where it
    is, where it is bound, where it left, or where it may have taken over. ``certain`` is False
    when an event whose date may fall either side of the day changes the answer, or when sources
    disagree (``disputed``). ``via`` holds, for each of ``events``, the membership event through
    which a formation-wide event reached this unit (None when the event names the unit); it is
    empty when every event names the unit.
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
            if not self.places:  # took over from a unit whose place no source gives
                return "present (place not reported)"
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
        "handovers",
        "heading_too",
        "identified",
        "left",
        "open_from",
        "place",
        "placed_by",
        "since",
        "status",
        "took_over",
        "unit",
    )

    def __init__(
        self, unit: Unit, handovers: Mapping[int, tuple[str, ...]], identified: Mapping[str, tuple[str, ...]]
    ) -> None:
        self.unit = unit
        self.handovers, self.identified = handovers, identified  # see _History
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
        # Present, at no place a source gives: it took over from a unit that was (or may have
        # been) at these places, so it may be at any of them.
        self.took_over: tuple[str, ...] = ()

    def copy(self) -> _Replay:
        other = _Replay.__new__(_Replay)
        other.unit, other.handovers, other.identified = self.unit, self.handovers, self.identified
        other.status, other.place = self.status, self.place
        other.formation, other.count, other.since = self.formation, self.count, self.since
        other.placed_by, other.disputed, other.alternatives = self.placed_by, self.disputed, self.alternatives
        other.left, other.open_from = self.left, self.open_from
        other.heading_too, other.confirmed, other.took_over = self.heading_too, self.confirmed, self.took_over
        return other

    def same(self, other: _Replay) -> bool:
        """Whether the two give the same status, place (or places taken over), formation and count."""
        return (self.status, self.place, self.formation, self.count, self.took_over) == (
            other.status,
            other.place,
            other.formation,
            other.count,
            other.took_over,
        )

    def at(self) -> tuple[str, ...]:
        """The places the unit certainly is at one of (empty unless present)."""
        if self.status is not _PRESENT or self.place is None:
            return ()
        if not self.alternatives:
            return (self.place,)
        return (self.place, *(p for p in self.alternatives if p != self.place))

    def state(
        self, date: dt.date, events: tuple[Event, ...], via: tuple[Event | None, ...], in_service: bool = True
    ) -> UnitState | None:
        """The state on ``date`` when this replay is the only one: no event of uncertain order
        falls either side of the day (``events`` and ``via``: those replayed; ``in_service``:
        False while a vessel may not yet be commissioned)."""
        status, place = self.status, self.place
        if status is None and self.formation is None:
            return None
        reported = (self.at() if self.alternatives else (place,)) if status is _PRESENT and place is not None else ()
        places = reported
        if (status in HEADING or self.took_over) and (maybe := self.maybe(date)):
            places = tuple(dict.fromkeys(reported + maybe))
            if place is None and self.took_over:  # took over, at no place a source gives
                place = self.took_over[0]  # shown where it may be
        disputed = self.disputed
        return UnitState(  # positional: this runs for every unit on every stretch of days
            self.unit,
            status or _ASSIGNED,
            place,
            self.formation,
            self.count,
            self.since or events[-1].date,
            not disputed,
            in_service and reported != (),
            bool(places),
            events,
            places,
            reported,
            disputed,
            self.confirmed,
            via,
        )

    def outcome(self) -> tuple[object, ...]:
        """What the replay says of the unit: two replays with the same outcome give one state."""
        return (
            self.status,
            self.place,
            self.formation,
            self.count,
            self.since,
            id(self.placed_by),  # (by identity: hashing an event hashes every field)
            self.disputed,
            self.alternatives,
            self.left,
            self.open_from,
            self.heading_too,
            self.confirmed,
            self.took_over,
        )

    def leaves_from_elsewhere(self, event: Event, places: PlaceGraph) -> bool:
        """Whether ``event`` has the unit leave a place (depart from it, or be relieved there)
        while it is present only at places apart from it: an order of events that puts it so is
        not one the sources allow."""
        left = event.place
        if left is None or self.status is not _PRESENT or self.place is None:
            return False
        leaving = event.kind is _KIND_DEPARTED or self.relieved_by(event)
        return leaving and not any(places.related(at, left) for at in self.at())

    def relieved_by(self, event: Event) -> bool:
        """Whether ``event`` is another unit relieving this one (or the unnamed vessels it was
        identified as), rather than news of this unit itself."""
        relieves, unit_id = event.relieves, self.unit.id
        return (
            relieves is not None
            and event.kind is _KIND_RELIEVED
            and (relieves == unit_id or unit_id in self.identified.get(relieves, ()))
            and unit_id not in event.units
        )

    def maybe(self, date: dt.date) -> tuple[str, ...]:
        """Places it may be at on ``date`` without being certainly at any: its destination once
        the arrival window opens, an earlier order's destination once that one's opens, and where
        it was ordered away from; or, when it took over from a unit, where that unit was."""
        if self.status not in HEADING:
            return self.took_over
        opened = self.place is not None and self.open_from is not None and self.open_from <= date
        found = (*self.left, self.place) if opened and self.place is not None else self.left
        if self.heading_too:
            found = (*found, *(place for place, first in self.heading_too if first <= date))
        return found

    def feed(self, event: Event, places: PlaceGraph) -> None:
        """The state after ``event``."""
        unit, kind, status = self.unit, event.kind, self.status
        if status is _DECOMMISSIONED:
            # Decommissioning is final: later news of the unit is a disagreement, not a revival.
            self.disputed = self.disputed or kind not in (_KIND_DETACHED, _KIND_DECOMMISSIONED)
            return
        if event.count is not None and unit.id in event.units and not isinstance(unit, Vessel):
            self.count = event.count
        if event.relieves is not None and self.relieved_by(event):  # (most events relieve no one)
            self._move(_RELIEVED, None, event)
            return
        if kind is _KIND_JOINED:
            self.formation = event.formation
            if status is _DETACHED:  # in a formation again: assigned, from the day it joined
                self.status, self.since = None, None
        elif kind is _KIND_DETACHED:
            self.formation = None if self.formation == event.formation else self.formation
            if status is None and self.formation is None:  # nothing else is known of it
                self._move(_DETACHED, None, event)
        elif kind in PLACING_KINDS:
            self._place(event, places)
        elif kind is _KIND_RELIEVED:
            if event.place:
                self._move(_PRESENT, event.place, event)
            elif status is not _PRESENT or self.place is None:  # not where a report put it
                # Where the unit it relieved was, by no report of its own; when that is not known
                # either, the event says nothing of where it is, unless nothing else does.
                took_over = self.handovers.get(id(event), ())
                if took_over or status is None:
                    self._move(_PRESENT, None, event)
                    self.took_over = took_over
        elif kind in (_KIND_ORDERED, _KIND_EXPECTED):
            # A unit already at its destination stays present there.
            if status is _PRESENT and event.place and places.is_within(self.place, event.place):
                return
            left = (self.at() or self.took_over) if status is _PRESENT else self.left if status in HEADING else ()
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
            new = _ORDERED if kind is _KIND_ORDERED else _EXPECTED
            self._move(new, event.place, event)
            self.left, self.heading_too = left, too
            self.open_from = (event.arrival or event.date).start
        elif kind is _KIND_DEPARTED:
            self._move(_EN_ROUTE if event.to else _DEPARTED, event.to or event.place, event)
            self.open_from = (event.arrival or event.date).start if event.to else None
        elif kind is _KIND_DECOMMISSIONED:
            self._move(_DECOMMISSIONED, None, event)

    def _move(self, status: Status, place: str | None, event: Event) -> None:
        self.status, self.place, self.since, self.confirmed = status, place, event.date, event.date
        self.placed_by, self.alternatives, self.left, self.open_from = None, (), (), None
        self.heading_too, self.took_over, self.disputed = (), (), False  # a dispute of where it was is over

    def _place(self, event: Event, places: PlaceGraph) -> None:
        placed_by = self.placed_by
        if not (self.status is _PRESENT and self.place == event.place and event.kind is _KIND_REPORTED_PRESENT):
            self.since = event.date
        # (The same place again, the usual case, is settled here, before the call.)
        if placed_by is not None and placed_by.place != event.place and places.apart(placed_by, event):
            # Two sources place it apart at what may be the same time: the order is unknown.
            self.disputed = True
            if placed_by.place is not None and placed_by.place not in self.alternatives:
                self.alternatives = (*self.alternatives, placed_by.place)
        elif placed_by is None or (placed_by.place != event.place and not placed_by.date.overlaps(event.date)):
            self.alternatives, self.disputed = (), False  # placed anew: a dispute of where it was is over
        self.status, self.place, self.placed_by = _PRESENT, event.place, event
        self.left, self.open_from, self.heading_too, self.took_over = (), None, (), ()
        self.confirmed = event.date


def _in_service(commissioned: PartialDate | None, date: dt.date) -> bool:
    """Whether a vessel commissioned on ``commissioned`` is certainly in service on ``date``."""
    return commissioned is None or date >= commissioned.end


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
    others: tuple[_Replay, ...] = (),
) -> UnitState | None:
    """The state on ``date`` from the replays of the events certainly and possibly before it
    (``spanning``: some event of uncertain order was fed to ``possible`` only; ``others``: the
    replays of the certain events in the other orders their dates allow)."""
    in_service = _in_service(unit.commissioned if isinstance(unit, Vessel) else None, date)
    if possible is certain and not others:  # no event of uncertain order: one replay
        return certain.state(date, events, via, in_service)
    if possible.status is None and possible.formation is None:
        return None
    at_certain, at_possible = certain.at(), possible.at()
    reported = at_possible if at_certain == at_possible else tuple(dict.fromkeys(at_certain + at_possible))
    maybe = certain.maybe(date) + possible.maybe(date)
    last_reported, other = possible.confirmed, certain.confirmed
    if last_reported is None or (other is not None and _by_last_day(other) >= _by_last_day(last_reported)):
        last_reported = other
    certainly_present = at_certain != () and at_possible != () and in_service
    counts: tuple[Quantity, ...] = (certain.count, possible.count)
    for reading in others:  # the certain events in another order: where it may be, and whether surely
        at_other = reading.at()
        reported = tuple(dict.fromkeys(reported + at_other))
        maybe += reading.maybe(date)
        certainly_present = certainly_present and at_other != ()
        counts += (reading.count,)
        if reading.confirmed is not None:
            last_reported = max(last_reported or reading.confirmed, reading.confirmed, key=_by_last_day)
    places = tuple(dict.fromkeys(reported + maybe)) if maybe else reported
    same_count = all(count is possible.count or count == possible.count for count in counts)
    place = possible.place
    if place is None and possible.took_over:  # took over, at no place a source gives
        place = possible.took_over[0]
    return UnitState(
        unit,
        possible.status or _ASSIGNED,
        place,
        possible.formation,
        possible.count if same_count else hull(counts),
        possible.since or events[-1].date,
        (not spanning or certain.same(possible)) and all(map(certain.same, others)) and not possible.disputed,
        certainly_present,
        bool(places),
        events,
        places,
        reported,
        possible.disputed or certain.disputed or any(reading.disputed for reading in others),
        last_reported,
        via,
    )


class _History:
    """One unit's events in replay order, and its state on a day or on every stretch of days.

    An event counts as certain from its last possible day and as possible from its first, so
    the state can change only on those days (and on the days arrival windows open): a snapshot
    bisects them instead of replaying. Events are replayed in order of their last day, so the
    certain events of a day are a prefix of them; the possible events are that prefix plus the
    few spanning events begun but not ended by the day.
    """

    __slots__ = (
        "_breakpoints",
        "commissioned",
        "earliest",
        "ends",
        "events",
        "first_open",
        "handovers",
        "identified",
        "maybe",
        "memo",
        "possible_memo",
        "reorderable",
        "spanning",
        "unit",
        "via",
    )

    def __init__(
        self,
        unit: Unit,
        events: tuple[Event, ...],
        via: tuple[Event | None, ...],
        handovers: Mapping[int, tuple[str, ...]],
        identified: Mapping[str, tuple[str, ...]],
        maybe: frozenset[int] = frozenset(),
    ) -> None:
        self.unit = unit
        self.events = events
        self.via = via
        # The events (by id) that may or may not have reached the unit: formation-wide events of
        # a formation it may have joined only after them, or left before them. They are fed to
        # the possible replay only, for good: no later day makes them certain.
        self.maybe = maybe
        # For each "relieved" event that gives no place (by id), where the unit it relieved was
        # (or may have been) just before; and the vessels each group of unnamed vessels was
        # identified as (its news is theirs): the catalog's, shared by every history.
        self.handovers, self.identified = handovers, identified
        self.commissioned = unit.commissioned if isinstance(unit, Vessel) else None
        dates = [e.date for e in events]
        self.ends = [date.end for date in dates]
        # The positions of the events whose dates span several days, and for each k the earliest
        # first day of spanning[k:]: whether any of those not yet ended has begun is one lookup.
        self.spanning = [n for n, date in enumerate(dates) if date.start < date.end]
        self.earliest: list[dt.date] = (
            list(itertools.accumulate((dates[n].start for n in reversed(self.spanning)), min))[::-1]
            if self.spanning
            else []
        )
        # The first event that may have begun before the one before it ended (as many as there
        # are when none): the events before it came one after another, in replay order. Only when
        # there is one are other orders tried (most units have none). Replayed in order of their
        # last days, only an event that spans days can begin before an earlier one ends.
        ends = self.ends
        self.first_open = next((n for n in self.spanning if n > 0 and dates[n].start < ends[n - 1]), len(events))
        self.reorderable = self.first_open < len(events)
        # For the orders of its certain events, and of all those that may have happened by a day.
        self.memo = _OrdersMemo() if self.reorderable else None
        self.possible_memo = _OrdersMemo() if self.reorderable else None
        self._breakpoints: list[dt.date] | None = None

    @property
    def breakpoints(self) -> list[dt.date]:
        """The days on which the state may change, in order: made when first needed (the first
        day asked of a catalog needs none)."""
        if self._breakpoints is None:
            days = set(self.ends)
            days.update(self.events[n].date.start for n in self.spanning)
            days.update(e.arrival.start for e in self.events if e.arrival is not None)
            if self.commissioned is not None:
                days.update((self.commissioned.start, self.commissioned.end))
            self._breakpoints = sorted(days)
        return self._breakpoints

    def state_at(self, date: dt.date, places: PlaceGraph) -> UnitState | None:
        """The state on ``date`` (None when nothing is known of the unit yet), replayed."""
        ended = bisect.bisect_right(self.ends, date)
        certain = possible = _Replay(self.unit, self.handovers, self.identified)
        if self.maybe:
            for event in self.events[:ended]:
                possible = self._feed(event, certain, possible, places)
            return self._state(date, certain, ended, places, possible)
        for event in self.events[:ended]:
            certain.feed(event, places)
        return self._state(date, certain, ended, places)

    def _feed(self, event: Event, certain: _Replay, possible: _Replay, places: PlaceGraph) -> _Replay:
        """``event`` fed to the possible replay, and to the certain one unless it only may have
        reached the unit; returns the possible replay (``certain`` itself until they part)."""
        if id(event) in self.maybe:
            if possible is certain:
                possible = certain.copy()
            possible.feed(event, places)
            return possible
        certain.feed(event, places)
        if possible is not certain:
            possible.feed(event, places)
        return possible

    def sweep(self, places: PlaceGraph) -> list[UnitState | None]:
        """Every stretch's state (the first, before any breakpoint: None), worked out in one pass
        over the events: for a unit whose state is asked on one day after another."""
        events, ends, state, maybe = self.events, self.ends, self._state, self.maybe
        certain = possible = _Replay(self.unit, self.handovers, self.identified)
        states: list[UnitState | None] = [None]
        ended, count = 0, len(events)
        if self.reorderable or maybe:
            for date in self.breakpoints:
                while ended < count and ends[ended] <= date:
                    if maybe:
                        possible = self._feed(events[ended], certain, possible, places)
                    else:
                        certain.feed(events[ended], places)
                    ended += 1
                states.append(state(date, certain, ended, places, possible))
            return states
        # The usual unit: one replay. On a stretch with no spanning event begun and the vessel
        # certainly in service, its state is the replay's own (what _state finds, found here in
        # fewer steps: this runs for every unit's every stretch).
        feed, own, via, spanning, earliest = certain.feed, certain.state, self.via, self.spanning, self.earliest
        in_service = self.commissioned.end if self.commissioned is not None else dt.date.min
        pending, spans = 0, len(spanning)  # the first spanning event not yet ended
        for date in self.breakpoints:
            while ended < count and ends[ended] <= date:
                feed(events[ended], places)
                ended += 1
            while pending < spans and spanning[pending] < ended:
                pending += 1
            if date < in_service or (pending < spans and earliest[pending] <= date):
                states.append(state(date, certain, ended, places))
            else:
                states.append(own(date, events[:ended], via[:ended]))
        return states

    def _state(
        self, date: dt.date, certain: _Replay, ended: int, places: PlaceGraph, possible: _Replay | None = None
    ) -> UnitState | None:
        """The state on ``date`` from ``certain``, the replay of the first ``ended`` events but
        those that only may have reached the unit, and ``possible``, of all of them (None or
        ``certain`` itself when there are none). Events spanning the day that have begun are fed
        to the possible replay only; where dates leave the order open, every order is tried."""
        events, via, spanning, commissioned = self.events, self.via, self.spanning, self.commissioned
        if commissioned is not None and date < commissioned.start:
            return None  # not yet in service: not counted
        if possible is None:
            possible = certain
        begun: list[int] = []
        if spanning:  # the first not yet ended: have any of those begun?
            first = bisect.bisect_left(spanning, ended)
            if first < len(spanning) and self.earliest[first] <= date:
                begun = [n for n in spanning[first:] if events[n].date.start <= date]
        ended_events = used_events = events[:ended]
        used_via = via[:ended]
        if begun:
            used_events += tuple(events[n] for n in begun)
            used_via += tuple(via[n] for n in begun) if via else ()
        others: tuple[_Replay, ...] = ()
        if self.reorderable:
            plain = possible is certain  # every event replayed certainly happened, and is the unit's
            sure = ended_events
            if not plain:
                sure = tuple(event for event in sure if id(event) not in self.maybe)
            # Events all before ``first_open`` came in replay order: no search (nor below).
            first_open = self.first_open
            found = (
                _orders(sure, self.unit, self.handovers, self.identified, places, self.memo)
                if ended > first_open
                else ()
            )
            if found:  # the first is in replay order where the sources allow that order
                certain, others = found[0], found[1:]
            if begun or not plain:
                found = (
                    _orders(used_events, self.unit, self.handovers, self.identified, places, self.possible_memo)
                    if (begun[-1] + 1 if begun else ended) > first_open
                    else ()
                )
                if found:
                    possible, others = found[0], others + found[1:]
                elif begun:
                    possible = self._begun(possible, begun, places)
                if 1 < len(begun) <= _SUBSETS_TRIED:  # some begun, some not yet
                    for size in range(1, len(begun)):
                        for subset in itertools.combinations(begun, size):
                            others += self._readings(ended_events + tuple(events[n] for n in subset), places)
            else:
                possible = certain
        elif begun:
            possible = self._begun(possible, begun, places)
        if begun or possible is not certain or others:  # some event only may have happened, or come last
            return _state(self.unit, date, certain, possible, used_events, used_via, True, others)
        return certain.state(date, used_events, used_via, _in_service(commissioned, date))

    def _readings(self, sequence: tuple[Event, ...], places: PlaceGraph) -> tuple[_Replay, ...]:
        """The replays of ``sequence``, some of the events begun by a day, in every order the
        dates allow and the sources can mean (none when none is: not what happened)."""
        found = _orders(sequence, self.unit, self.handovers, self.identified, places)
        if found is None:
            return ()
        if found:
            return found
        reading = _Replay(self.unit, self.handovers, self.identified)
        for event in sequence:
            reading.feed(event, places)
        return (reading,)

    def _begun(self, base: _Replay, begun: list[int], places: PlaceGraph) -> _Replay:
        """``base`` with the events at ``begun`` (spanning the day, begun) fed after, in order."""
        possible = base.copy()
        for n in begun:
            possible.feed(self.events[n], places)
        return possible


_SUBSETS_TRIED = 4
"""Up to this many events spanning the day asked, every set of them that may have happened by
then is tried (past it, only none and all of them)."""

_ORDERS_TRIED = 2000
"""At most this many steps of the search through the orders of a unit's events for one day (a
few events in practice have their order open: those whose dates overlap); past it, the orders
found so far stand."""


def _orders(
    sequence: tuple[Event, ...],
    unit: Unit,
    handovers: Mapping[int, tuple[str, ...]],
    identified: Mapping[str, tuple[str, ...]],
    places: PlaceGraph,
    memo: _OrdersMemo | None = None,
) -> tuple[_Replay, ...] | None:
    """The replays of ``sequence`` (in replay order) in every order its dates allow and the
    sources can mean, one for each different outcome, the one in replay order first when the
    sources allow it; empty when that is the only outcome or the dates allow no other order,
    None when no order is one the sources can mean (read whole, the catalog contradicts itself
    and is replayed as given: as when the dates allow only replay order).

    An event may come after a later one in replay order when it ends after that one begins
    (events of one day keep their order). Nothing comes after a decommissioning that it may
    precede, and no order has the unit leave a place (depart, or be relieved there) while it is
    present only elsewhere. The events are taken in runs that each certainly came before the
    next: only within a run is the order open. ``memo`` keeps the replays at the start of the
    last run, for the next call with more events after the same ones (a sweep's next stretch):
    that call starts there; and the events up to a run no order of which the sources can mean,
    so that a call with more events after those is answered at once."""
    count = len(sequence)
    if count < 2:
        return ()
    if memo is not None and memo.failed and _begins_with(sequence, memo.failed):
        return None  # the same events that no order could mean, with the rest certainly after them
    resume = 0  # where the search starts: at the memo's last run, when the events before it are the same
    if memo is not None and 0 < len(memo.prefix) < count and _begins_with(sequence, memo.prefix):
        resume = len(memo.prefix)
    # Run boundaries from ``resume`` on: positions before which every event certainly came
    # before every one after (the events are in order of their last days, so the runs before
    # ``resume``, a boundary, are those the memo's call found).
    first_after = dt.date.max  # the earliest first day from position n on
    cuts = []
    for n in range(count - 1, resume, -1):
        first_after = min(first_after, sequence[n].date.start)
        if sequence[n - 1].date.end <= first_after:
            cuts.append(n)
    cuts.reverse()
    bounds = list(zip([resume, *cuts], [*cuts, count], strict=True))
    single = memo.single if resume and memo is not None else True  # every run so far one event
    if single and all(stop - begin == 1 for begin, stop in bounds):
        return ()  # one order only
    if resume and memo is not None:
        readings, in_order = [reading.copy() for reading in memo.readings], memo.in_order
    else:
        readings, in_order = [_Replay(unit, handovers, identified)], True  # in_order: readings[0] is in replay order
    budget = [_ORDERS_TRIED]
    last_run = bounds[-1][0]
    for begin, stop in bounds:
        if memo is not None and begin == last_run and begin > resume:
            memo.prefix, memo.readings = sequence[:begin], tuple(r.copy() for r in readings)
            memo.in_order, memo.single = in_order, single
        if stop - begin == 1 and len(readings) == 1:  # one order, one reading: fed as it is
            if readings[0].leaves_from_elsewhere(sequence[begin], places):
                if memo is not None:
                    memo.failed = sequence[:stop]
                return None  # no order the sources can mean
            readings[0].feed(sequence[begin], places)
            continue
        single = single and stop - begin == 1
        run = sequence[begin:stop]
        found: dict[tuple[object, ...], _Replay] = {}
        first_in_order = False
        for position, reading in enumerate(readings):
            for outcome, replay, ordered in _run_orders(reading, run, places, budget):
                if not found and position == 0 and ordered and in_order:
                    first_in_order = True
                found.setdefault(outcome, replay)
        if not found:
            if memo is not None and budget[0] > 0:  # (a search cut short proves nothing)
                memo.failed = sequence[:stop]
            return None  # no order the sources can mean
        readings, in_order = list(found.values()), first_in_order
    return () if len(readings) == 1 and in_order else tuple(readings)


def _begins_with(sequence: tuple[Event, ...], prefix: tuple[Event, ...]) -> bool:
    """Whether ``sequence`` begins with the events of ``prefix`` and every later one certainly
    came after them: the runs of events of open order up to there are the same."""
    at = len(prefix)
    if at > len(sequence) or sequence[at - 1] is not prefix[-1] or not all(map(operator.is_, prefix, sequence)):
        return False
    last_day = prefix[-1].date.end
    return all(last_day <= event.date.start for event in sequence[at:])


class _OrdersMemo:
    """What :func:`_orders` found at the start of the last run of a sequence: its events before
    that point, the replays there, whether the first is in replay order, and whether every run
    before it was of one event; and the events up to a run no order of which the sources can mean
    (a longer sequence that begins with them is one too)."""

    __slots__ = ("failed", "in_order", "prefix", "readings", "single")

    def __init__(self) -> None:
        self.failed: tuple[Event, ...] = ()
        self.prefix: tuple[Event, ...] = ()
        self.readings: tuple[_Replay, ...] = ()
        self.in_order = True
        self.single = True


def _run_orders(
    start: _Replay, run: tuple[Event, ...], places: PlaceGraph, budget: list[int]
) -> Iterator[tuple[tuple[object, ...], _Replay, bool]]:
    """Each order of ``run`` (events in replay order, whose order is open) that its dates allow
    and the sources can mean, fed to a copy of ``start``: its outcome, the replay, and whether
    it is replay order. Depth first, the earliest in replay order taken first, so that replay
    order comes first when the sources allow it; two partial orders of the same events with the
    same outcome go on as one. Each step spends one of ``budget``."""
    size = len(run)
    if size == 1:
        if not start.leaves_from_elsewhere(run[0], places):
            replay = start.copy()
            replay.feed(run[0], places)
            yield replay.outcome(), replay, True
        return
    before = [_must_precede(run, j) for j in range(size)]
    seen: set[tuple[frozenset[int], tuple[object, ...]]] = set()  # orders that met again: one goes on
    stack: list[tuple[_Replay, frozenset[int], bool]] = [(start, frozenset(), True)]
    while stack and budget[0] > 0:
        reading, placed, ordered = stack.pop()
        budget[0] -= 1
        if len(placed) == size:
            yield reading.outcome(), reading, ordered
            continue
        for j in range(size - 1, -1, -1):  # pushed last first
            if j in placed or not before[j] <= placed or reading.leaves_from_elsewhere(run[j], places):
                continue
            following = reading.copy()
            following.feed(run[j], places)
            key = (placed | {j}, following.outcome())
            if key in seen:
                continue
            seen.add(key)
            stack.append((following, key[0], ordered and j == len(placed)))


def _must_precede(tail: tuple[Event, ...], j: int) -> frozenset[int]:
    """The positions in ``tail`` (in replay order) of the events that must come before
    ``tail[j]``: those that certainly ended by the day it began, and, before a decommissioning,
    every event but another decommissioning that may come before it."""
    event = tail[j]
    found = set()
    for i, other in enumerate(tail):
        if i == j:
            continue
        if i < j and other.date.end <= event.date.start:
            found.add(i)  # certainly earlier (or of the same day, listed first)
        elif (
            event.kind is _KIND_DECOMMISSIONED
            and other.kind is not _KIND_DECOMMISSIONED
            and not (i > j and event.date.end <= other.date.start)  # unless certainly after it
        ):
            found.add(i)
    return frozenset(found)


_Built = list[UnitState | None]
"""Every unit's state on a day (None: nothing known of it yet)."""


def _known(built: _Built) -> tuple[UnitState, ...]:
    """The states known on the day: made anew each time asked, since a tuple kept for each day
    built would be one more pass over every state to make and to free."""
    return tuple(filter(None, built))


class _Timeline:
    """Whole-catalog states by stretch of days, each built from the nearest one already built.

    Across the catalog, states change only on the days that begin or end some event's date; a
    new day's states are those of a nearby day already built, updated for the units that have a
    breakpoint in between. A unit updated so has all its stretches worked out at once
    (:meth:`_History.sweep`), which costs little more than replaying them for one day: later
    days find them ready. Up to KEPT days built are kept, each as a list of every unit's state;
    once there are that many, the nearest one is moved to the new day rather than copied, so that
    no day asked copies or frees a list of every unit's state.
    """

    KEPT = 512

    __slots__ = (
        "_days",
        "after",
        "built",
        "far",
        "first",
        "flat",
        "histories",
        "kept",
        "offsets",
        "places",
        "swept",
        "units",
    )

    def __init__(self, histories: tuple[_History, ...], places: PlaceGraph) -> None:
        self.histories = histories
        self.places = places
        self._days: list[dt.date] | None = None
        # Every unit's state on each of its stretches, unit after unit, and whether each unit's
        # are there yet (filled a unit at a time, by its sweep): made for the second day asked.
        self.flat: list[UnitState | None] = []
        self.offsets: list[int] = []  # where each unit's states begin in ``flat``
        self.swept = bytearray()
        # For each of the days, the units whose state may change on it, and where in ``flat``
        # the state of each from that day is (its state up to that day is the one before): as
        # arrays of machine integers, read without touching an int object kept for each.
        self.units: list[array.array[int]] = []
        self.after: list[array.array[int]] = []
        self.built: dict[int, _Built] = {}  # the days kept, by stretch
        self.kept: list[int] = []  # their stretches, in order
        self.far = 0  # days built far from every day kept
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
                    self.first = (date, [history.state_at(date, self.places) for history in self.histories])
            if self.first[0] == date:
                return _known(self.first[1])
        if self.first is not None:  # filed under its stretch, now that the days are known
            first_date, found = self.first
            self.first = None
            self._keep(bisect.bisect_right(self.days, first_date), found)
        stretch = bisect.bisect_right(self.days, date)
        kept = self.built.get(stretch)
        if kept is None:
            with gc_paused():  # a state per unit, kept for later queries
                kept = self._build(stretch, date)
            self._keep(stretch, kept)
        return _known(kept)

    def _keep(self, stretch: int, found: _Built) -> None:
        if len(self.built) >= self.KEPT:
            self._drop(next(iter(self.built)))  # the oldest
        self.built[stretch] = found
        bisect.insort(self.kept, stretch)

    def _drop(self, stretch: int) -> _Built:
        self.kept.remove(stretch)
        return self.built.pop(stretch)

    def _nearest(self, stretch: int) -> int | None:
        at = bisect.bisect_left(self.kept, stretch)
        near = self.kept[max(at - 1, 0) : at + 1]
        return min(near, key=lambda k: abs(k - stretch)) if near else None

    def _index_changes(self) -> None:
        units: dict[dt.date, list[int]] = {day: [] for day in self.days}
        after: dict[dt.date, list[int]] = {day: [] for day in self.days}
        offset, offsets = 0, self.offsets
        for n, history in enumerate(self.histories):
            offsets.append(offset)
            for stretch, day in enumerate(history.breakpoints, offset + 1):
                units[day].append(n)
                after[day].append(stretch)
            offset += len(history.breakpoints) + 1
        self.units = [array.array("l", day) for day in units.values()]
        self.after = [array.array("l", day) for day in after.values()]
        self.flat = [None] * offset
        self.swept = bytearray(len(self.histories))

    def _sweep(self, n: int) -> None:
        """Unit ``n``'s states on all its stretches, into ``flat``."""
        history, offset = self.histories[n], self.offsets[n]
        self.flat[offset : offset + len(history.breakpoints) + 1] = history.sweep(self.places)
        self.swept[n] = 1

    def _build(self, stretch: int, date: dt.date) -> _Built:
        """Every unit's state on ``date``, in ``stretch`` (None: nothing known of it yet)."""
        histories = self.histories
        if not self.after:
            self._index_changes()
        nearest = self._nearest(stretch)
        if nearest is not None:
            # The units with a breakpoint between the two days, with their state on the new one:
            # from its last breakpoint up to the day, or up to its first one after it.
            low, high = sorted((nearest, stretch))
            if sum(map(len, self.units[low:high])) < len(histories):
                # A copy while fewer than KEPT days are kept; else the nearest, moved to the new day.
                states = self.built[nearest].copy() if len(self.built) < self.KEPT else self._drop(nearest)
                self._update(states, low, high, forward=nearest < stretch)
                return states
        # Far from every day kept: each unit's state looked up in its stretches. The first such
        # day replays the units not swept yet (a report asks one or two days); from the second
        # on, the catalog is asked about many days, and every unit is swept.
        self.far += 1
        flat, offsets, swept, places = self.flat, self.offsets, self.swept, self.places
        if self.far > 1 and 0 in swept:  # some unit not swept yet (a byte search, at C speed)
            for n in range(len(histories)):
                if not swept[n]:
                    self._sweep(n)
        states = [
            flat[offsets[n] + bisect.bisect_right(history.breakpoints, date)]
            if swept[n]
            else history.state_at(date, places)
            for n, history in enumerate(histories)
        ]
        return states

    def _update(self, states: _Built, low: int, high: int, forward: bool) -> None:
        """``states`` moved across the days ``low`` to ``high``: forward, each changed unit's
        state from its last breakpoint among them; backward, from before its first."""
        flat, swept = self.flat, self.swept
        days = range(low, high) if forward else range(high - 1, low - 1, -1)
        if 0 in swept:
            for day in days:
                for n in self.units[day]:
                    if not swept[n]:
                        self._sweep(n)
        put, get, units, after = states.__setitem__, flat.__getitem__, self.units, self.after
        for day in days:  # later days' states replace earlier ones'
            found = map(get, after[day] if forward else map(_BEFORE, after[day]))
            collections.deque(map(put, units[day], found), maxlen=0)  # at C speed


_BEFORE = (-1).__add__  # from a unit's stretch in ``flat`` to the one before it


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
    members = _Members([event for event in catalog.events if event.kind in _MEMBERSHIP])
    parents = {formation.id: formation.parent for formation in catalog.formations.values()}
    nested: dict[str, set[str]] = defaultdict(set)  # formation -> itself and every formation within it
    for formation_id in parents:
        for ancestor in chain(parents, formation_id):
            nested[ancestor].add(formation_id)
    reached: dict[str, frozenset[str]] = {}  # a formation and those within it, as a formation-wide event reaches them
    identified = {group.id: group.identified_as for group in catalog.unidentified.values() if group.identified_as}
    # Units' events in replay order (ties in catalog order), with the membership behind each.
    by_unit: dict[str, list[Event]] = defaultdict(list)
    via: dict[str, dict[int, Event | None]] = defaultdict(dict)  # by position, where not None
    # Formation-wide events (by id) that only may have reached a unit, by unit: see _History.
    maybe: dict[str, set[int]] = defaultdict(set)
    unplaced: list[Event] = []  # "relieved" events that do not say where the handover was
    for event in sorted(_events(catalog), key=_replay_order):
        units = event.units
        if len(units) == 1 and not event.relieves and (not event.formation or event.kind in _MEMBERSHIP):
            unit_id = units[0]  # most events: one unit, named
            if unit_id not in identified:
                by_unit[unit_id].append(event)
                continue
        subjects: dict[str, Event | None] = dict.fromkeys(units)  # with the membership relied on
        possibly: set[str] = set()  # those it only may have reached
        if event.formation and event.kind not in _MEMBERSHIP:
            within = reached.get(event.formation)
            if within is None:
                within = reached[event.formation] = frozenset(nested.get(event.formation, {event.formation}))
            members.advance(event.date.end)  # events come in order of their last day
            for unit_id, membership, certainly in members.reached(within, event.date.start):
                if unit_id not in subjects:  # (in any order: each unit's own events keep theirs)
                    subjects[unit_id] = membership
                    if not certainly:
                        possibly.add(unit_id)
        # What a source said of unnamed vessels holds for the vessels they were identified as
        # (certainly, when it certainly reached the group).
        for group_id in [unit_id for unit_id in subjects if unit_id in identified]:
            for vessel_id in identified[group_id]:
                if vessel_id not in subjects or (vessel_id in possibly and group_id not in possibly):
                    subjects[vessel_id] = subjects[group_id]
                    if group_id in possibly:
                        possibly.add(vessel_id)
                    else:
                        possibly.discard(vessel_id)
        for unit_id, joined in subjects.items():
            if joined is not None:
                via[unit_id][len(by_unit[unit_id])] = joined
            if unit_id in possibly:
                maybe[unit_id].add(id(event))
            by_unit[unit_id].append(event)
        if event.relieves and event.kind is _KIND_RELIEVED:
            for unit_id in (event.relieves, *identified.get(event.relieves, ())):
                if unit_id not in subjects:
                    by_unit[unit_id].append(event)
            if not event.place:
                unplaced.append(event)
    graph = PlaceGraph(catalog.places)
    possibly_reached = {unit_id: frozenset(ids) for unit_id, ids in maybe.items()}
    handovers = _handovers(catalog, unplaced, by_unit, graph, identified, possibly_reached) if unplaced else {}
    histories = [
        _History(
            unit,
            tuple(by_unit[unit.id]),
            _via(len(by_unit[unit.id]), via.get(unit.id)),
            handovers,
            identified,
            possibly_reached.get(unit.id, frozenset()),
        )
        for unit in catalog.units()
        if _counted(unit) and unit.id in by_unit
    ]
    return PresenceIndex(
        tuple(histories),
        graph,
        parents,
        {formation_id: frozenset(within) for formation_id, within in nested.items()},
        {formation_id: list(chain(parents, formation_id))[-1] for formation_id in parents},
        _Timeline(tuple(histories), graph),
    )


def _handovers(
    catalog: Catalog,
    reliefs: list[Event],
    by_unit: Mapping[str, list[Event]],
    graph: PlaceGraph,
    identified: Mapping[str, tuple[str, ...]],
    possibly_reached: Mapping[str, frozenset[int]],
) -> dict[int, tuple[str, ...]]:
    """For each "relieved" event that gives no place (by id), every place where the unit it
    relieved was, or may have been, on the days the relief may have happened and the day before:
    the relieving units took over there, so they may be at any of them (no source puts them
    there). A relieved unit that itself took over at no given place has that worked out first
    (a ring of such reliefs, each waiting on the next, has nothing to go on and gives nothing)."""
    units = {unit.id: unit for unit in catalog.units()}
    pending = {id(relief) for relief in reliefs}
    found: dict[int, tuple[str, ...]] = {}
    expanded: set[int] = set()

    def events_before(relief: Event) -> tuple[Event, ...]:
        return tuple(event for event in by_unit.get(relief.relieves or "", ()) if event is not relief)

    for start in reliefs:
        stack = [start]
        while stack:
            relief = stack[-1]
            if id(relief) in found:
                stack.pop()
                continue
            events = events_before(relief)
            if id(relief) not in expanded:  # its relieved unit's own takeovers at no place, first
                expanded.add(id(relief))
                waiting = [
                    e for e in events if id(e) in pending and id(e) not in expanded and e.relieves != relief.relieves
                ]
                if waiting:
                    stack.extend(waiting)
                    continue
            stack.pop()
            relieved = units.get(relief.relieves or "")
            maybe = possibly_reached.get(relief.relieves or "", frozenset())
            found[id(relief)] = _taken_over(relieved, relief, events, found, graph, identified, maybe)
    return found


def _taken_over(
    relieved: Unit | None,
    relief: Event,
    events: tuple[Event, ...],
    found: Mapping[int, tuple[str, ...]],
    graph: PlaceGraph,
    identified: Mapping[str, tuple[str, ...]],
    maybe: frozenset[int],
) -> tuple[str, ...]:
    """Where ``relieved`` was, or may have been, over the days ``relief`` may have happened and
    the day before, by its ``events`` other than the relief."""
    if relieved is None or not events:
        return ()
    history = _History(relieved, events, (), found, identified, maybe)
    first, last = relief.date.start, relief.date.end
    day_before = [first - dt.timedelta(days=1)] if first > dt.date.min else []
    days = [*day_before, *(day for day in history.breakpoints if first <= day <= last)]
    places: dict[str, None] = {}
    for day in days:
        state = history.state_at(day, graph)
        if state is not None:
            places.update(dict.fromkeys(state.places))
    return tuple(places)


def _via(count: int, joined: dict[int, Event | None] | None) -> tuple[Event | None, ...]:
    """For each of a unit's ``count`` events, the membership that made it the unit's (None: the
    event names it); empty when every event names it, as for most units."""
    if not joined:
        return ()
    found: list[Event | None] = [None] * count
    for n, membership in joined.items():
        found[n] = membership
    return tuple(found)


def _events(catalog: Catalog) -> list[Event]:
    """The catalog's events, with a vessel's ``decommissioned`` field as the event it stands for."""
    return [*catalog.events, *service_events(catalog.vessels.values())]


def _counted(unit: Unit) -> bool:
    """Unidentified groups later identified are left out: their vessels are counted by name."""
    return not (isinstance(unit, UnidentifiedVessels) and unit.identified_as)


# By identity: hashing an enum member runs Python code, once for each event sorted.
_KIND_ORDER = {id(kind): n for n, kind in enumerate(EventKind)}
_MEMBERSHIP = (EventKind.JOINED, EventKind.DETACHED)


def _replay_order(event: Event) -> tuple[dt.date, dt.date, int]:
    """Events in the order they are replayed: by the last day they may have happened, so that
    "in August" follows "on Aug 18", then by the natural order of kinds (ordered before departed
    before arrived)."""
    return (event.date.end, event.date.start, _KIND_ORDER[id(event.kind)])


_first_day = operator.attrgetter("date.start")


class _Members:
    """Each unit's memberships as the days advance: the joined and detached events applied in
    order of their first day (as each may have happened by then), so that a formation-wide event
    finds the units it may reach without looking at every unit that ever joined, and tells for
    each whether it certainly does (:meth:`reach`)."""

    __slots__ = ("done", "events", "ever", "history", "latest", "of", "starts")

    def __init__(self, events: list[Event]) -> None:
        self.events = sorted(events, key=_first_day)  # ties in catalog order
        self.starts = [event.date.start for event in self.events]
        self.done = 0  # events applied
        self.of: dict[str | None, dict[str, Event]] = defaultdict(dict)  # formation -> its members now
        self.ever: dict[str | None, dict[str, None]] = defaultdict(dict)  # formation -> every unit that joined it
        # unit id -> each change of its membership applied: the event, and the formation it is in after it
        self.history: dict[str, list[tuple[Event, str | None]]] = defaultdict(list)
        self.latest: dict[str, dt.date] = {}  # unit id -> the last day any of those may have happened

    def advance(self, day: dt.date) -> None:
        """Apply the events that may have happened by ``day`` (no earlier than the last day given)."""
        end = bisect.bisect_right(self.starts, day, self.done)
        for event in self.events[self.done : end]:
            for unit_id in event.units:
                history = self.history[unit_id]
                # The joined event it is in now: the last change, unless that was leaving.
                current = history[-1][0] if history and history[-1][1] is not None else None
                if event.kind is _KIND_JOINED:
                    if current is not None:
                        del self.of[current.formation][unit_id]
                    self.of[event.formation][unit_id] = event
                    self.ever[event.formation][unit_id] = None
                elif current is not None and current.formation == event.formation:
                    del self.of[current.formation][unit_id]  # detached from the one it was in
                else:
                    continue  # detached from one it was not in: no change
                history.append((event, event.formation if event.kind is _KIND_JOINED else None))
                self.latest[unit_id] = max(self.latest.get(unit_id, event.date.end), event.date.end)
        self.done = end

    def reached(self, within: frozenset[str], first_day: dt.date) -> Iterator[tuple[str, Event, bool]]:
        """The units an event of the formations ``within`` whose first possible day is
        ``first_day`` may reach, with the membership relied on and whether it certainly does
        (see :meth:`reach`); most are members that certainly joined before it, found at once."""
        seen: set[str] = set()
        for formation_id in within:
            for unit_id, membership in self.of.get(formation_id, {}).items():
                seen.add(unit_id)
                if membership.date.end <= first_day:
                    yield unit_id, membership, True
                elif found := self.reach(unit_id, within, first_day):
                    yield unit_id, *found
        for formation_id in within:  # those that have left: may they have left after it?
            for unit_id in self.ever.get(formation_id, {}):
                if unit_id not in seen:
                    seen.add(unit_id)
                    if self.latest[unit_id] > first_day and (found := self.reach(unit_id, within, first_day)):
                        yield unit_id, *found  # (else every change it went through came before it)

    def reach(self, unit_id: str, within: frozenset[str], first_day: dt.date) -> tuple[Event, bool] | None:
        """Whether an event of the formations ``within`` whose first possible day is ``first_day``
        reaches the unit: the membership relied on, and whether it certainly does. It does
        certainly when the unit's stay within them (moves between them included) certainly began
        by that day and has not ended; possibly when it may have begun only later, or ended
        only after that day (by a ``detached``, or a ``joined`` elsewhere); else not (None)."""
        history = self.history.get(unit_id, [])
        last_in = len(history) - 1
        while last_in >= 0 and history[last_in][1] not in within:
            last_in -= 1
        if last_in < 0:
            return None
        membership = history[last_in][0]
        if last_in < len(history) - 1:  # it has left them since
            left_by = history[last_in + 1][0]
            return (membership, False) if left_by.date.end > first_day else None
        entered = last_in  # the stay: from the change that brought it within them
        while entered > 0 and history[entered - 1][1] in within:
            entered -= 1
        entry = history[entered][0]
        if entry.date.end > first_day:  # may have come in only after the event
            return membership, False
        # Certain: cite the membership of the moment, or the one that makes it certain.
        return (membership if membership.date.end <= first_day else entry), True
