"""Questions asked of a catalog: the deployment as of a date, totals, breakdowns, changes, claims.

Dates are honoured at their precision: a unit's state is worked out twice, once from the events
*certainly* on or before the date and once from those *possibly* so. A unit is certainly present
when both say so and possibly present when either does; every total is a :class:`Quantity` whose
low end counts the certain and whose high end counts the possible.
"""

from __future__ import annotations

import bisect
import datetime as dt
import enum
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping

import attrs

from orbat.dates import PartialDate, parse_date
from orbat.model import (
    AircraftDetachment,
    Catalog,
    Citation,
    Claim,
    ClaimFigure,
    Event,
    EventKind,
    Figure,
    UnidentifiedVessels,
    Unit,
    Vessel,
    chain,
    is_within,
)
from orbat.quantities import Quantity, total

__all__ = [
    "BREAKDOWNS",
    "Change",
    "ClaimCheck",
    "FormationFigure",
    "Snapshot",
    "Status",
    "TimelineEntry",
    "UnitState",
    "Verdict",
    "apply_changes",
    "changes",
    "check_claims",
    "default_region",
    "snapshot",
    "timeline",
]


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


@attrs.frozen(slots=True)
class UnitState:
    """One unit on one date: status, place, formation and count, and the events behind them.

    ``certain`` is False when an event whose date may fall either side of the day changes the
    answer (the state shown is then the one those events would give), or when sources disagree.
    ``certainly_present`` and ``possibly_present`` say whether it is present somewhere;
    :meth:`Snapshot.certainly_here` and :meth:`Snapshot.possibly_here` add the region.
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
    certain_place: str | None = None  # where the events certainly before the day put it
    alternative_places: tuple[str, ...] = ()  # where reports of uncertain order put it instead

    @property
    def unit_id(self) -> str:
        return self.unit.id

    @property
    def citations(self) -> tuple[Citation, ...]:
        """The citations of every event behind this state, in date order, without repeats."""
        seen: dict[tuple[str, str | None], Citation] = {}
        for event in self.events:
            for citation in event.citations:
                seen.setdefault((citation.source, citation.quote), citation)
        return tuple(seen.values())

    @property
    def sources(self) -> tuple[str, ...]:
        """Ids of the sources behind this state."""
        return tuple(dict.fromkeys(c.source for c in self.citations))


@attrs.frozen(slots=True)
class FormationFigure:
    """A formation's personnel or aircraft on a date, combining the latest figures of every source."""

    formation: str
    count: Quantity
    figures: tuple[Figure, ...]


@attrs.frozen(slots=True)
class Snapshot:
    """The deployment on ``date``: a state for every unit the catalog has news of by then."""

    catalog: Catalog
    date: dt.date
    region: str | None
    states: tuple[UnitState, ...]
    note: str | None = None

    def in_region(self, state: UnitState) -> bool:
        """Whether the state's place lies within the snapshot's region (any place if none)."""
        return self._inside(state.place)

    def _inside(self, place: str | None) -> bool:
        if place is None:
            return False
        return self.region is None or is_within(_index(self.catalog).places, place, self.region)

    def certainly_here(self, state: UnitState) -> bool:
        """Present in the region whichever way uncertain dates fall."""
        return (
            state.certainly_present
            and self._inside(state.place)
            and self._inside(state.certain_place)
            and all(self._inside(p) for p in state.alternative_places)
        )

    def possibly_here(self, state: UnitState) -> bool:
        """Present in the region if uncertain dates fall one way or the other."""
        present_now = state.status is Status.PRESENT and self._inside(state.place)
        elsewhere = state.possibly_present and any(
            self._inside(p) for p in (state.certain_place, *state.alternative_places)
        )
        return present_now or elsewhere

    def present(self) -> tuple[UnitState, ...]:
        """States of units possibly present in the region."""
        return tuple(s for s in self.states if self.possibly_here(s))

    def _count(self, states: Iterable[UnitState]) -> Quantity:
        states = list(states)
        certain = total(s.count for s in states if self.certainly_here(s))
        possible = total(s.count for s in states if self.possibly_here(s))
        return Quantity(certain.low, possible.high, certain.approximate or possible.approximate)

    def vessels(self) -> Quantity:
        """Vessels present in the region: certain low end, possible high end."""
        return self._count(s for s in self.states if not isinstance(s.unit, AircraftDetachment))

    def aircraft(self) -> Quantity:
        """Aircraft of the detachments present in the region (formation figures aside)."""
        return self._count(s for s in self.states if isinstance(s.unit, AircraftDetachment))

    def breakdown(self, by: str) -> dict[str, Quantity]:
        """Vessels (or, for ``role`` and ``base``, aircraft) present, partitioned by ``by``.

        ``by`` is one of :data:`BREAKDOWNS`. Every breakdown sums to its total.
        """
        key_of = _breakdown_key(self.catalog, by)
        aircraft = by in AIRCRAFT_BREAKDOWNS
        groups: dict[str, list[UnitState]] = defaultdict(list)
        for state in self.present():
            if isinstance(state.unit, AircraftDetachment) == aircraft:
                groups[key_of(state)].append(state)
        return {key: self._count(states) for key, states in sorted(groups.items())}

    def formation_members(self, formation_id: str) -> tuple[UnitState, ...]:
        """States of the units in a formation or any formation nested within it."""
        nested = _index(self.catalog).nested.get(formation_id, frozenset((formation_id,)))
        return tuple(s for s in self.states if s.formation in nested)

    def by_outermost_formation(self) -> dict[str | None, list[UnitState]]:
        """States grouped by their outermost formation (None: in no formation), in one pass."""
        outermost = _index(self.catalog).outermost
        groups: dict[str | None, list[UnitState]] = defaultdict(list)
        for state in self.states:
            groups[outermost.get(state.formation) if state.formation else None].append(state)
        return groups

    def personnel(self) -> tuple[FormationFigure, ...]:
        """Personnel figures of formations with units on this date, outermost formation first.

        Only formations with a unit possibly present in the region count. A formation's figure is
        left out when a formation containing it has one (no double counting); disagreeing sources
        of the same date are combined into one range.
        """
        parents = _index(self.catalog).formations
        active = {ancestor for s in self.present() for ancestor in chain(parents, s.formation)}
        chosen = {
            formation_id: figure
            for formation_id in self.catalog.formations
            if formation_id in active and (figure := self.formation_figure(formation_id)) is not None
        }
        return tuple(
            figure
            for formation_id, figure in chosen.items()
            if not any(a in chosen for a in chain(parents, formation_id) if a != formation_id)
        )

    def formation_figure(
        self, formation_id: str, measure: str = "personnel", excluding: frozenset[str] = frozenset()
    ) -> FormationFigure | None:
        """A formation's own figure on this date (``personnel`` or ``aircraft``): the latest, with
        same-date sources combined; figures cited only to the sources in ``excluding`` are left out."""
        formation = self.catalog.formations[formation_id]
        given: tuple[Figure, ...] = getattr(formation, measure)
        figures = [
            f
            for f in given
            if (f.as_of is None or f.as_of.start <= self.date) and not {c.source for c in f.citations} <= excluding
        ]
        if not figures:
            return None
        latest = max(f.as_of.start if f.as_of else dt.date.min for f in figures)
        current = tuple(f for f in figures if (f.as_of.start if f.as_of else dt.date.min) == latest)
        return FormationFigure(formation_id, _hull(f.count for f in current), current)

    def total_personnel(self) -> Quantity:
        """The sum of :meth:`personnel`."""
        return total(f.count for f in self.personnel())


def _hull(quantities: Iterable[Quantity]) -> Quantity:
    """The smallest range covering every one of ``quantities``."""
    items = list(quantities)
    low = min(q.low for q in items)
    highs = [q.high for q in items]
    high = None if any(h is None for h in highs) else max(h for h in highs if h is not None)
    return Quantity(low, high, any(q.approximate for q in items))


VESSEL_BREAKDOWNS = ("category", "type", "formation", "navy", "location")
AIRCRAFT_BREAKDOWNS = ("aircraft-type", "role", "base")
BREAKDOWNS = VESSEL_BREAKDOWNS + AIRCRAFT_BREAKDOWNS


def _breakdown_key(catalog: Catalog, by: str) -> Callable[[UnitState], str]:
    parents = catalog.formation_parents

    def top_formation(state: UnitState) -> str:
        outward = list(chain(parents, state.formation))
        return outward[-1] if outward else "(no formation)"

    def vessel_type(state: UnitState) -> str:
        unit = state.unit
        return unit.type if isinstance(unit, Vessel | UnidentifiedVessels) else "(aircraft)"

    keys: dict[str, Callable[[UnitState], str]] = {
        "category": lambda s: catalog.ship_types[vessel_type(s)].category,
        "type": vessel_type,
        "formation": top_formation,
        "navy": lambda s: s.unit.navy,
        "location": lambda s: s.place or "(unknown)",
        "aircraft-type": lambda s: s.unit.type,
        "role": lambda s: catalog.aircraft_types[s.unit.type].role,
        "base": lambda s: s.place or "(unknown)",
    }
    if by not in keys:
        raise ValueError(f"cannot break down by {by!r}; use one of: {', '.join(BREAKDOWNS)}")
    return keys[by]


# ---------------------------------------------------------------------------------------------
# Working out states


class _History:
    """One unit's events in replay order, and its state cached per stretch of days.

    An event counts as certain from its last possible day and as possible from its first, so
    the state can change only on those days: a snapshot bisects them instead of replaying.
    Events are replayed in order of their last day, so the certain events of a day are a prefix
    of them; replays resume from a checkpoint kept every few events, and the possible events are
    that prefix plus the few spanning events begun but not ended by the day.
    """

    __slots__ = ("breakpoints", "checkpoints", "ends", "events", "spanning", "states", "unit")

    STEP = 4  # events between checkpoints

    def __init__(self, unit: Unit, events: tuple[Event, ...]) -> None:
        self.unit = unit
        self.events = events
        self.breakpoints = sorted({d for e in events for d in (e.date.start, e.date.end)})
        self.ends = [e.date.end for e in events]
        self.spanning = [(n, e) for n, e in enumerate(events) if e.date.start < e.date.end]
        self.checkpoints: list[_Replay] = [_Replay(unit)]  # the replay after 0, STEP, 2 * STEP, ... events
        self.states: dict[int, UnitState | None] = {}

    def state_on(self, date: dt.date, places: Mapping[str, str | None]) -> UnitState | None:
        stretch = bisect.bisect_right(self.breakpoints, date)
        if stretch not in self.states:
            self.states[stretch] = self._state(date, places)
        return self.states[stretch]

    def _replay(self, count: int, places: Mapping[str, str | None]) -> _Replay:
        """The replay of the first ``count`` events."""
        step, checkpoints, events = self.STEP, self.checkpoints, self.events
        while len(checkpoints) <= count // step:
            replay = checkpoints[-1].copy()
            start = (len(checkpoints) - 1) * step
            for event in events[start : start + step]:
                replay.feed(event, places)
            checkpoints.append(replay)
        base = count - count % step
        if base == count:
            return checkpoints[count // step]
        replay = checkpoints[count // step].copy()
        for event in events[base:count]:
            replay.feed(event, places)
        return replay

    def _state(self, date: dt.date, places: Mapping[str, str | None]) -> UnitState | None:
        """The state on ``date``, or None when nothing is known of the unit yet."""
        ended = bisect.bisect_right(self.ends, date)
        certain = self._replay(ended, places)
        begun = [event for n, event in self.spanning if n >= ended and event.date.start <= date]
        possible = certain
        if begun:
            possible = certain.copy()
            for event in begun:
                possible.feed(event, places)
        if possible.status is None and possible.formation is None:
            return None
        events = self.events[:ended] + tuple(begun) if begun else self.events[:ended]
        return UnitState(
            unit=self.unit,
            status=possible.status or Status.ASSIGNED,
            place=possible.place,
            formation=possible.formation,
            count=possible.count if certain.count == possible.count else _hull((certain.count, possible.count)),
            since=possible.since or events[-1].date,
            certain=(not begun or certain.same(possible)) and not possible.disputed,
            certainly_present=certain.status is Status.PRESENT and possible.status is Status.PRESENT,
            possibly_present=Status.PRESENT in (certain.status, possible.status),
            events=events,
            certain_place=certain.place if certain.status is Status.PRESENT else None,
            alternative_places=tuple(possible.alternatives),
        )


class _Timeline:
    """Whole-catalog states by stretch of days, each built from the nearest one already built.

    Across the catalog, states change only on the days that begin or end some event's date; a
    new day's states are those of a nearby day already computed, updated for the units that have
    a breakpoint in between. The latest KEPT stretches built are kept.
    """

    KEPT = 256

    __slots__ = ("built", "changing", "days", "histories", "places")

    def __init__(self, histories: tuple[_History, ...], places: Mapping[str, str | None]) -> None:
        self.histories = histories
        self.places = places
        by_day: dict[dt.date, list[int]] = defaultdict(list)
        for n, history in enumerate(histories):
            for day in history.breakpoints:
                by_day[day].append(n)
        self.days = sorted(by_day)
        self.changing = [by_day[day] for day in self.days]
        self.built: dict[int, list[UnitState | None]] = {}

    def states_on(self, date: dt.date) -> tuple[UnitState, ...]:
        stretch = bisect.bisect_right(self.days, date)
        states = self.built.get(stretch)
        if states is None:
            states = self._build(stretch, date)
            if len(self.built) >= self.KEPT:
                del self.built[next(iter(self.built))]
            self.built[stretch] = states
        return tuple(filter(None, states))  # a UnitState is always true

    def _build(self, stretch: int, date: dt.date) -> list[UnitState | None]:
        places, histories = self.places, self.histories
        nearest = min(self.built, key=lambda k: abs(k - stretch), default=None)
        if nearest is not None:
            low, high = sorted((nearest, stretch))
            touched = {n for i in range(low, high) for n in self.changing[i]}
            if len(touched) < len(histories) // 2:
                states = list(self.built[nearest])
                for n in touched:
                    states[n] = histories[n].state_on(date, places)
                return states
        return [history.state_on(date, places) for history in histories]


@attrs.frozen(slots=True)
class _Index:
    """Per-unit histories, with formation-wide events expanded to the members of the day."""

    histories: tuple[_History, ...]
    places: Mapping[str, str | None]  # place id -> the place containing it
    formations: Mapping[str, str | None]  # formation id -> its parent
    nested: Mapping[str, frozenset[str]]  # formation id -> itself and every formation within it
    outermost: Mapping[str, str]  # formation id -> the outermost formation containing it
    timeline: _Timeline


def _index(catalog: Catalog) -> _Index:
    cache = catalog.cache
    index = cache.get("queries.index")
    if isinstance(index, _Index):
        return index
    membership: dict[str, list[Event]] = defaultdict(list)
    joiners: dict[str, set[str]] = defaultdict(set)
    for event in catalog.events:
        if event.kind in (EventKind.JOINED, EventKind.DETACHED):
            for unit_id in event.units:
                membership[unit_id].append(event)
                if event.formation:
                    joiners[event.formation].add(unit_id)
    parents = catalog.formation_parents
    nested: dict[str, set[str]] = defaultdict(set)  # formation -> itself and every formation within it
    for formation_id in parents:
        for ancestor in chain(parents, formation_id):
            nested[ancestor].add(formation_id)
    by_unit: dict[str, list[Event]] = defaultdict(list)
    for event in catalog.events:
        subjects = list(event.units)
        if event.formation and event.kind not in (EventKind.JOINED, EventKind.DETACHED):
            within = frozenset(nested.get(event.formation, {event.formation}))
            candidates = {unit_id for f in within for unit_id in joiners.get(f, ())}
            subjects += sorted(
                unit_id
                for unit_id in candidates
                if unit_id not in subjects and _member_on(membership[unit_id], within, event.date.end)
            )
        for unit_id in subjects:
            by_unit[unit_id].append(event)
            # What a source said of unnamed vessels holds for the vessels they were identified as.
            group = catalog.unidentified.get(unit_id)
            for vessel_id in group.identified_as if group else ():
                if vessel_id not in subjects:
                    by_unit[vessel_id].append(event)
        if event.relieves:
            by_unit[event.relieves].append(event)
    histories = tuple(
        _History(unit, tuple(sorted(by_unit[unit.id], key=_replay_order)))
        for unit in catalog.units()
        if _counted(unit) and unit.id in by_unit
    )
    index = _Index(
        histories,
        catalog.place_parents,
        parents,
        {formation_id: frozenset(within) for formation_id, within in nested.items()},
        {formation_id: list(chain(parents, formation_id))[-1] for formation_id in parents},
        _Timeline(histories, catalog.place_parents),
    )
    cache["queries.index"] = index
    return index


_KIND_ORDER = {kind: n for n, kind in enumerate(EventKind)}


def _replay_order(event: Event) -> tuple[dt.date, dt.date, int]:
    """Events in the order they are replayed: by the last day they may have happened, so that
    "in August" follows "on Aug 18", then by the natural order of kinds (ordered before departed
    before arrived)."""
    return (event.date.end, event.date.start, _KIND_ORDER[event.kind])


def _member_on(history: list[Event], formations: frozenset[str], day: dt.date) -> bool:
    """Whether the unit with this joined/detached ``history`` is in one of ``formations`` on ``day``."""
    current: str | None = None
    for event in history:
        if event.date.start > day:
            break
        if event.kind is EventKind.JOINED:
            current = event.formation
        elif current == event.formation:
            current = None
    return current in formations


_PLACING = (EventKind.ARRIVED, EventKind.REPORTED_PRESENT, EventKind.RETURNED)


class _Replay:
    """A unit's state as its events are fed to it one by one, in replay order."""

    __slots__ = ("alternatives", "count", "disputed", "formation", "place", "placed_by", "since", "status", "unit")

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

    def feed(self, event: Event, places: Mapping[str, str | None]) -> None:
        """The state after ``event``; ``places`` maps each place to the place containing it."""
        unit, kind, status = self.unit, event.kind, self.status
        if status is Status.DECOMMISSIONED:
            # Decommissioning is final: later news of the unit is a disagreement, not a revival.
            self.disputed = self.disputed or kind is not EventKind.DETACHED
            return
        if event.count is not None and unit.id in event.units and not isinstance(unit, Vessel):
            self.count = event.count
        if event.relieves == unit.id and unit.id not in event.units:
            self.status, self.place, self.since = Status.RELIEVED, None, event.date
            return
        if kind is EventKind.JOINED:
            self.formation = event.formation
        elif kind is EventKind.DETACHED:
            self.formation = None if self.formation == event.formation else self.formation
        elif kind in _PLACING:
            placed_by = self.placed_by
            if not (status is Status.PRESENT and self.place == event.place and kind is EventKind.REPORTED_PRESENT):
                self.since = event.date
            if (
                placed_by is not None
                and placed_by.place != event.place
                and placed_by.date.overlaps(event.date)
                and not {c.source for c in placed_by.citations} & {c.source for c in event.citations}
            ):
                # Two sources place it apart at what may be the same time: the order is unknown.
                self.disputed = True
                self.alternatives = (*self.alternatives, placed_by.place or "")
            elif placed_by is None or placed_by.place != event.place:
                self.alternatives = ()
            self.status, self.place, self.placed_by = Status.PRESENT, event.place, event
        elif kind is EventKind.RELIEVED:
            if event.place:
                self.status, self.place, self.since = Status.PRESENT, event.place, event.date
        elif kind in (EventKind.ORDERED, EventKind.EXPECTED):
            # A unit already at its destination stays present there.
            if not (status is Status.PRESENT and event.place and is_within(places, self.place, event.place)):
                new = Status.ORDERED if kind is EventKind.ORDERED else Status.EXPECTED
                self.status, self.place, self.since = new, event.place, event.date
        elif kind is EventKind.DEPARTED:
            self.status = Status.EN_ROUTE if event.to else Status.DEPARTED
            self.place, self.since, self.placed_by, self.alternatives = event.to or event.place, event.date, None, ()
        elif kind is EventKind.DECOMMISSIONED:
            self.status, self.place, self.since = Status.DECOMMISSIONED, None, event.date


def _counted(unit: Unit) -> bool:
    """Unidentified groups later identified are left out: their vessels are counted by name."""
    return not (isinstance(unit, UnidentifiedVessels) and unit.identified_as)


def _as_date(day: dt.date | PartialDate | str) -> dt.date:
    if isinstance(day, PartialDate):
        return day.end
    if isinstance(day, str):
        return parse_date(day).end
    return day


def default_region(catalog: Catalog) -> str | None:
    """The place most of the catalog's claims are about: the theatre its totals should cover."""
    scopes = [c.scope for c in catalog.claims.values() if c.scope in catalog.places]
    return max(sorted(set(scopes)), key=scopes.count) if scopes else None


def snapshot(catalog: Catalog, day: dt.date | PartialDate | str, region: str | None = None) -> Snapshot:
    """The deployment as of ``day`` (a partial date means its last day), counting ``region``.

    A day after the newest source is answered with the last known state and a note saying so.
    """
    date = _as_date(day)
    index = _index(catalog)
    return Snapshot(catalog, date, region, index.timeline.states_on(date), _note(catalog, date))


# ---------------------------------------------------------------------------------------------
# Changes and timeline


@attrs.frozen(slots=True)
class Change:
    """How one unit's state differs between two dates, with the events in between."""

    unit: Unit
    kinds: tuple[str, ...]
    before: UnitState | None
    after: UnitState | None
    events: tuple[Event, ...]

    @property
    def date(self) -> PartialDate | None:
        """When the change happened: the day the new status or place began when those changed,
        else the latest event behind the change (a new count, a new report, a new formation)."""
        before, after = self.before, self.after
        moved = after is not None and (before is None or (before.status, before.place) != (after.status, after.place))
        if after is not None and (moved or not self.events):
            return after.since
        return self.events[-1].date if self.events else None


def _change_kinds(snap_a: Snapshot, snap_b: Snapshot, before: UnitState | None, after: UnitState | None) -> list[str]:
    kinds = []
    was_possible = before is not None and snap_a.possibly_here(before)
    was_certain = before is not None and snap_a.certainly_here(before)
    is_possible = after is not None and snap_b.possibly_here(after)
    is_certain = after is not None and snap_b.certainly_here(after)
    if (is_possible and not was_possible) or (is_certain and not was_certain):
        kinds.append("arrived")
    if (was_possible and not is_possible) or (was_certain and not is_certain and not is_possible):
        kinds.append("left")
    status_before = before.status if before else None
    status_after = after.status if after else None
    if status_after in (Status.ORDERED, Status.EXPECTED, Status.EN_ROUTE) and status_after != status_before:
        kinds.append(status_after.value)
    if status_after in (Status.DECOMMISSIONED, Status.RELIEVED) and status_after != status_before:
        kinds.append(status_after.value)
    if (before.formation if before else None) != (after.formation if after else None):
        kinds.append("reassigned")
    if before is not None and after is not None and before.count != after.count:
        kinds.append("count")
    if before is not None and after is not None and before.place != after.place and not kinds:
        kinds.append("moved")
    if not kinds and before is not None and after is not None and before.certain != after.certain:
        kinds.append("confirmed" if after.certain else "now uncertain")
    if not kinds:
        kinds.append("updated")
    return kinds


def changes(
    catalog: Catalog, start: dt.date | PartialDate | str, end: dt.date | PartialDate | str, region: str | None = None
) -> tuple[Change, ...]:
    """What changed between ``start`` and ``end``: one :class:`Change` per unit whose state differs."""
    snap_a, snap_b = snapshot(catalog, start, region), snapshot(catalog, end, region)
    before = {s.unit_id: s for s in snap_a.states}
    after = {s.unit_id: s for s in snap_b.states}
    result = []
    for unit in catalog.units():
        a, b = before.get(unit.id), after.get(unit.id)
        if a is b or a == b:  # states are cached per stretch of days: usually the very same object
            continue
        old_events = {id(e) for e in a.events} if a else set()  # events are shared: compare by identity
        new_events = tuple(e for e in (b.events if b else ()) if id(e) not in old_events)
        result.append(Change(unit, tuple(_change_kinds(snap_a, snap_b, a, b)), a, b, new_events))
    result.sort(key=lambda c: (c.date.sort_key() if c.date else (dt.date.max, dt.date.max), c.unit.id))
    return tuple(result)


def apply_changes(snap: Snapshot, found: Iterable[Change], date: dt.date) -> Snapshot:
    """``snap`` moved to ``date`` by ``found``: ``apply_changes(as_of(a), changes(a, b), b)`` is ``as_of(b)``."""
    states = {s.unit_id: s for s in snap.states}
    for change in found:
        if change.after is None:
            states.pop(change.unit.id, None)
        else:
            states[change.unit.id] = change.after
    order = {unit.id: n for n, unit in enumerate(snap.catalog.units())}
    ordered = tuple(sorted(states.values(), key=lambda s: order[s.unit_id]))
    return Snapshot(snap.catalog, date, snap.region, ordered, _note(snap.catalog, date))


def _note(catalog: Catalog, date: dt.date) -> str | None:
    latest = catalog.latest_source_date
    if latest is not None and date > latest.end:
        return f"no source is dated after {latest}: this is the last known state, not news of {date}"
    return None


@attrs.frozen(slots=True)
class TimelineEntry:
    """The deployment's totals on one day on which something was reported to happen."""

    date: dt.date
    vessels: Quantity
    aircraft: Quantity
    personnel: Quantity
    changes: tuple[Change, ...]


def timeline(catalog: Catalog, region: str | None = None) -> tuple[TimelineEntry, ...]:
    """The sequence of dated states: one entry per day that begins or ends an event's date."""
    days = sorted({d for e in catalog.events for d in (e.date.start, e.date.end)})
    entries = []
    previous: dt.date | None = None
    for day in days:
        snap = snapshot(catalog, day, region)
        found = changes(catalog, previous or day - dt.timedelta(days=1), day, region)
        entries.append(TimelineEntry(day, snap.vessels(), snap.aircraft(), snap.total_personnel(), found))
        previous = day
    return tuple(entries)


# ---------------------------------------------------------------------------------------------
# Claim checks


class Verdict(enum.Enum):
    """How a reported figure compares with the catalog's own figure."""

    AGREES = "agrees"
    DISAGREES = "disagrees"
    CANNOT_TELL = "cannot tell"


@attrs.frozen(slots=True)
class ClaimCheck:
    """One figure of a reported claim against the catalog's figure for the same date and scope."""

    claim: Claim
    figure: ClaimFigure
    catalog_count: Quantity | None
    verdict: Verdict
    reason: str
    others: tuple[tuple[Claim, ClaimFigure], ...] = ()


def _widened(q: Quantity) -> tuple[float, float | None]:
    if not q.approximate:
        return float(q.low), None if q.high is None else float(q.high)
    return q.low * 0.9, None if q.high is None else q.high * 1.1


def _compatible(a: Quantity, b: Quantity) -> bool:
    a_low, a_high = _widened(a)
    b_low, b_high = _widened(b)
    return (b_high is None or a_low <= b_high) and (a_high is None or b_low <= a_high)


def _catalog_figure(catalog: Catalog, claim: Claim, figure: ClaimFigure) -> tuple[Quantity | None, str]:
    region = claim.scope if claim.scope in catalog.places else None
    snap = snapshot(catalog, claim.as_of, region)
    states = snap.formation_members(claim.scope) if claim.scope in catalog.formations else snap.states
    if figure.measure == "personnel":
        if figure.categories or figure.types:
            return None, "personnel cannot be narrowed by category or type"
        if claim.scope in catalog.formations:
            parents = _index(catalog).formations
            scoped = snap.formation_figure(claim.scope, excluding=frozenset(c.source for c in claim.citations))
            own = (
                [scoped.count]
                if scoped
                else [f.count for f in snap.personnel() if is_within(parents, f.formation, claim.scope)]
            )
            if not own:
                return None, f"the catalog has no personnel figure for {claim.scope!r} on that date"
            return total(own), f"the personnel figure of {claim.scope!r}"
        return snap.total_personnel(), "the sum of the formations' personnel figures"

    if figure.measure == "aircraft" and claim.scope in catalog.formations and not figure.types:
        # A claim is checked against the other sources' figures, not against its own.
        aircraft = snap.formation_figure(claim.scope, "aircraft", frozenset(c.source for c in claim.citations))
        if aircraft is not None:
            return aircraft.count, f"the aircraft figure of {claim.scope!r}"

    def matches(state: UnitState) -> bool:
        unit = state.unit
        if figure.measure == "aircraft":
            return isinstance(unit, AircraftDetachment) and (not figure.types or unit.type in figure.types)
        if isinstance(unit, AircraftDetachment):
            return False
        category = catalog.ship_types[unit.type].category
        return (not figure.categories or category in figure.categories) and (
            not figure.types or unit.type in figure.types
        )

    chosen = [s for s in states if matches(s)]
    if region is None:  # a formation scope: count its members wherever they are
        snap = attrs.evolve(snap, region=None)
    return snap._count(chosen), "units the catalog has present on that date"


def check_claims(catalog: Catalog) -> tuple[ClaimCheck, ...]:
    """Every figure of every reported claim, checked against the catalog, with disagreeing reports."""
    figures = [(claim, figure) for claim in catalog.claims.values() for figure in claim.figures]
    checks = []
    for claim, figure in figures:
        count, basis = _catalog_figure(catalog, claim, figure)
        if count is None:
            verdict, reason = Verdict.CANNOT_TELL, basis
        elif count.is_unknown:
            verdict, reason = Verdict.CANNOT_TELL, "the catalog gives no count"
        elif _compatible(figure.count, count):
            if count.high is None or figure.count.high is None:
                verdict, reason = Verdict.CANNOT_TELL, f"open-ended figures overlap ({basis})"
            else:
                verdict, reason = Verdict.AGREES, basis
        else:
            verdict, reason = Verdict.DISAGREES, basis
        others = tuple(
            (other, other_figure)
            for other, other_figure in figures
            if other is not claim
            and other.scope == claim.scope
            and other_figure.measure == figure.measure
            and set(other_figure.categories) == set(figure.categories)
            and set(other_figure.types) == set(figure.types)
            and other.as_of.overlaps(claim.as_of)
            and not _compatible(other_figure.count, figure.count)
        )
        checks.append(ClaimCheck(claim, figure, count, verdict, reason, others))
    return tuple(checks)
