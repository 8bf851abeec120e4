"""Questions asked of a catalog: the deployment as of a date, totals, breakdowns, changes.

Dates are honoured at their precision: a unit's state is worked out twice, once from the events
*certainly* on or before the date and once from those *possibly* so. A unit is certainly present
when both say so and possibly present when either does; every total is a :class:`Quantity` whose
low end counts the certain and whose high end counts the possible.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping

import attrs

from orbat.dates import PartialDate, day_before, parse_date
from orbat.figures import CombinedFigure, CountedFigure, combine, count_figures, covering
from orbat.model import (
    AircraftDetachment,
    Catalog,
    Event,
    EventKind,
    Figure,
    UnidentifiedVessels,
    Unit,
    Vessel,
    chain,
)
from orbat.places import EVERYWHERE, Inside, PlaceGraph, Region
from orbat.presence import Status, UnitState, presence_index
from orbat.quantities import Quantity, total

__all__ = [
    "BREAKDOWNS",
    "Change",
    "FormationFigure",
    "RegionLike",
    "Snapshot",
    "Status",
    "TimelineEntry",
    "UnitState",
    "apply_changes",
    "change_days",
    "changes",
    "default_region",
    "region_title",
    "resolve_region",
    "snapshot",
    "timeline",
]


FormationFigure = CombinedFigure
"""A formation's personnel or aircraft figure on a date (:class:`orbat.figures.CombinedFigure`)."""


@attrs.frozen(slots=True)
class Snapshot:
    """The deployment on ``date``: a state for every unit the catalog has news of by then."""

    catalog: Catalog
    date: dt.date
    region: Region
    states: tuple[UnitState, ...]
    note: str | None = None
    stale_after: int | None = None
    _where: Mapping[str, Inside] = attrs.field(init=False, eq=False, repr=False)
    _graph: PlaceGraph = attrs.field(init=False, eq=False, repr=False)
    # Figures combined and counted on this date and region, by measure: built on first use.
    _combined: dict[str, dict[str, CombinedFigure]] = attrs.field(factory=dict, eq=False, repr=False, init=False)
    _counted: dict[str, tuple[CountedFigure, ...]] = attrs.field(factory=dict, eq=False, repr=False, init=False)
    # The states of each formation's own members, with their positions in ``states``: built on first use.
    _members: dict[str, list[tuple[int, UnitState]]] | None = attrs.field(
        default=None, eq=False, repr=False, init=False
    )

    @property
    def region_title(self) -> str:
        """The region in words: "the Caribbean", "the Red Sea and the Gulf of Aden", "everywhere"."""
        return region_title(self.catalog, self.region)

    def __attrs_post_init__(self) -> None:
        # Whether each place lies in the region, looked up for every state of every count.
        graph = presence_index(self.catalog).places
        object.__setattr__(self, "_where", graph.lookup(self.region))
        object.__setattr__(self, "_graph", graph)

    def _inside(self, place: str | None) -> Inside:
        if place is None:
            return Inside.NO
        found = self._where.get(place)
        return found if found is not None else self._graph.inside(place, self.region)

    def in_region(self, state: UnitState) -> bool:
        """Whether the state's shown place lies within the region (any place when it is everywhere)."""
        return self._inside(state.place) is Inside.CERTAINLY

    def stale(self, state: UnitState) -> bool:
        """Whether the state was last reported more than ``stale_after`` days before the date."""
        if self.stale_after is None:
            return False
        age = state.age(self.date)
        return age is not None and age > self.stale_after

    def certainly_here(self, state: UnitState) -> bool:
        """Present in the region whichever way uncertain dates fall, at whichever place sources
        disagree on, and reported recently enough (see ``stale_after``)."""
        if not state.certainly_present or not state.places:
            return False
        inside = self._inside
        return all(inside(p) is Inside.CERTAINLY for p in state.places) and not self.stale(state)

    def possibly_here(self, state: UnitState) -> bool:
        """Present in the region if uncertain dates, disputed places or an unreported arrival fall
        one way, or at a larger place that holds part of the region."""
        inside = self._inside
        return any(inside(p) is not Inside.NO for p in state.places)

    def reported_here(self, state: UnitState) -> bool:
        """Reported (certainly or possibly) at a place in the region, not only bound for it."""
        return any(self._inside(p) is not Inside.NO for p in state.reported)

    def bound(self) -> tuple[UnitState, ...]:
        """Units ordered, expected or en route to a place in the region (whether or not they may
        already have arrived)."""
        return tuple(s for s in self.states if s.heading and self._inside(s.place) is not Inside.NO)

    def outside(self) -> tuple[UnitState, ...]:
        """Units possibly present somewhere, but nowhere in the region: nearby, not counted."""
        return tuple(s for s in self.states if s.possibly_present and not self.possibly_here(s))

    def present(self) -> tuple[UnitState, ...]:
        """States of units possibly present in the region."""
        return tuple(s for s in self.states if self.possibly_here(s))

    def count_of(self, states: Iterable[UnitState]) -> Quantity:
        """The count of ``states`` in the region: certain low end, possible high end."""
        states = list(states)
        certain = total(s.count for s in states if self.certainly_here(s))
        possible = total(s.count for s in states if self.possibly_here(s))
        return Quantity(certain.low, possible.high, certain.approximate or possible.approximate)

    def vessels(self) -> Quantity:
        """Vessels present in the region: certain low end, possible high end."""
        return self.count_of(s for s in self.states if not isinstance(s.unit, AircraftDetachment))

    def aircraft(self) -> Quantity:
        """Aircraft present in the region: detachments ashore and aircraft embarked in formations."""
        return self.aircraft_ashore() + self.aircraft_embarked()

    def aircraft_ashore(self) -> Quantity:
        """Aircraft of the detachments present that no formation's aircraft figure covers."""
        return self.count_of(self._ashore())

    def aircraft_embarked(self) -> Quantity:
        """Aircraft of formations with an aircraft figure (an air wing aboard its carrier), each
        counted once with the member detachments its figure covers (see :meth:`embarked`)."""
        return total(c.counted for c in self.embarked() if c.within is None)

    def embarked(self) -> tuple[CountedFigure, ...]:
        """The formations' aircraft figures as :meth:`aircraft` counts them."""
        return self.formation_figures("aircraft")

    def _ashore(self) -> list[UnitState]:
        figures, parents = self._figures("aircraft"), presence_index(self.catalog).formations
        return [
            s
            for s in self.states
            if isinstance(s.unit, AircraftDetachment) and covering(s.formation, figures, parents) is None
        ]

    def breakdown(self, by: str) -> dict[str, Quantity]:
        """Vessels (or, for ``aircraft-type``, ``role`` and ``base``, aircraft ashore) present, by ``by``.

        ``by`` is one of :data:`BREAKDOWNS`. Low ends add up to at most the total's and high ends
        to at least its: a unit whose place sources dispute counts from none to all of it at each
        of its places ("Ceiba 0-10, Muniz 0-10" for 10 aircraft at one of them); every other
        breakdown sums to its total exactly. The total of an aircraft breakdown is
        :meth:`aircraft_ashore`: embarked aircraft have no type or base in their figures.
        """
        key_of = _breakdown_key(self.catalog, by)
        aircraft = by in AIRCRAFT_BREAKDOWNS
        by_place = by in ("location", "base")
        groups: dict[str, list[UnitState]] = defaultdict(list)
        ashore = {id(s) for s in self._ashore()} if aircraft else None
        for state in self.present():
            if ashore is not None and id(state) not in ashore:
                continue
            if isinstance(state.unit, AircraftDetachment) != aircraft:
                continue
            if by_place and len(state.places) > 1:
                for place in state.places:
                    if self._inside(place) is not Inside.NO:
                        groups[place].append(attrs.evolve(state, places=(place,), certainly_present=False))
            else:
                groups[key_of(state)].append(state)
        return {key: self.count_of(states) for key, states in sorted(groups.items())}

    def formation_members(self, formation_id: str) -> tuple[UnitState, ...]:
        """States of the units in a formation or any formation nested within it."""
        nested = presence_index(self.catalog).nested.get(formation_id, frozenset((formation_id,)))
        return tuple(state for _, state in self._members_of(nested))

    def _members_of(self, formations: Iterable[str]) -> list[tuple[int, UnitState]]:
        """The states (with their positions) of the units in any of ``formations``, in state order."""
        groups = self._members
        if groups is None:
            groups = {}
            for position, state in enumerate(self.states):
                if state.formation:
                    groups.setdefault(state.formation, []).append((position, state))
            object.__setattr__(self, "_members", groups)
        found = [groups[f] for f in formations if f in groups]
        if len(found) == 1:
            return found[0]
        return sorted((pair for group in found for pair in group), key=lambda pair: pair[0])

    def by_outermost_formation(self) -> dict[str | None, list[UnitState]]:
        """States grouped by their outermost formation (None: in no formation), in one pass."""
        outermost = presence_index(self.catalog).outermost
        groups: dict[str | None, list[UnitState]] = defaultdict(list)
        for state in self.states:
            groups[outermost.get(state.formation) if state.formation else None].append(state)
        return groups

    def personnel(self) -> tuple[CombinedFigure, ...]:
        """The personnel figures the total counts: one per formation possibly present whose figure
        is not within another's (see :meth:`formation_figures`), in catalog order."""
        return tuple(c.figure for c in self.formation_figures("personnel") if c.within is None)

    def formation_figure(
        self, formation_id: str, measure: str = "personnel", excluding: frozenset[str] = frozenset()
    ) -> CombinedFigure | None:
        """A formation's own figure on this date (``personnel`` or ``aircraft``): every figure that
        holds, combined (:func:`orbat.figures.combine`); figures cited only to the sources in
        ``excluding`` are left out."""
        given: tuple[Figure, ...] = getattr(self.catalog.formations[formation_id], measure)
        if excluding:
            given = tuple(f for f in given if not {c.source for c in f.citations} <= excluding)
        return combine(formation_id, measure, given, self.date)

    def formation_figures(self, measure: str = "personnel") -> tuple[CountedFigure, ...]:
        """Every formation figure (``personnel`` or ``aircraft``) as the totals count it.

        A figure counts in the low end when its formation is certainly present in the region as a
        whole, in the high end when any of it possibly is; a figure of a formation within another
        that has one is counted within that one (``within``), never added twice. See
        :func:`orbat.figures.count_figures`. A formation is *present as a whole* when every unit in
        it or in a formation within it, in service on the date, is certainly in the region; one with
        no such units is where the nearest formation containing it that has units is. An aircraft
        figure's aircraft are aboard the nearest carrier (the formation's own, else that of the
        nearest formation containing it: an air wing aboard its strike group's), so where there is
        one, the carriers are the units that count.
        """
        cached = self._counted.get(measure)
        if cached is not None:
            return cached
        figures = self._figures(measure)
        parents = presence_index(self.catalog).formations
        bearers = self._bearers(measure)
        members: dict[str, Quantity] = {}
        if measure == "aircraft":
            detachments: dict[str, list[UnitState]] = defaultdict(list)
            for state in self.states:
                if isinstance(state.unit, AircraftDetachment) and state.formation:
                    detachments[state.formation].append(state)
            members = {f: self.count_of(states) for f, states in detachments.items()}
        result = count_figures(
            figures,
            parents,
            lambda f: bool(bearers.get(f)) and all(self.certainly_here(s) for s in bearers[f]),
            lambda f: any(self.possibly_here(s) for s in bearers.get(f, ())),
            members,
        )
        self._counted[measure] = result
        return result

    def _figures(self, measure: str) -> dict[str, CombinedFigure]:
        cached = self._combined.get(measure)
        if cached is None:
            cached = {
                f: combined
                for f in self.catalog.formations
                if (combined := self.formation_figure(f, measure)) is not None
            }
            self._combined[measure] = cached
        return cached

    def _bearers(self, measure: str) -> dict[str, list[UnitState]]:
        """For each formation, the units whose presence is its presence: its members in service, or
        for one with none, those of the nearest formation containing it; for aircraft, the carriers
        among them, or of the nearest formation containing it, where there are any."""
        index = presence_index(self.catalog)
        gone = (Status.DECOMMISSIONED, Status.RELIEVED)
        members = {
            f: [s for _, s in self._members_of(nested) if s.status not in gone] for f, nested in index.nested.items()
        }
        carriers = {f: [s for s in units if _is_carrier(self.catalog, s)] for f, units in members.items()}
        bearers: dict[str, list[UnitState]] = {}
        for formation_id in index.formations:
            outward = list(chain(index.formations, formation_id))
            found = [members.get(f) for f in outward]
            if measure == "aircraft":
                # Aboard the nearest carrier: its own, else that of a formation containing it.
                found = [carriers.get(f) for f in outward] + found
            bearers[formation_id] = next((units for units in found if units), [])
        return bearers

    def total_personnel(self) -> Quantity:
        """The personnel of the formations present, each figure counted once (:meth:`formation_figures`)."""
        return total(c.counted for c in self.formation_figures("personnel") if c.within is None)


def _is_carrier(catalog: Catalog, state: UnitState) -> bool:
    unit = state.unit
    return isinstance(unit, Vessel) and catalog.ship_types[unit.type].category == "carrier"


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
        "location": lambda s: s.places[0] if s.places else s.place or "(unknown)",
        "aircraft-type": lambda s: s.unit.type,
        "role": lambda s: catalog.aircraft_types[s.unit.type].role,
        "base": lambda s: s.places[0] if s.places else s.place or "(unknown)",
    }
    if by not in keys:
        raise ValueError(f"cannot break down by {by!r}; use one of: {', '.join(BREAKDOWNS)}")
    return keys[by]


def _as_date(day: dt.date | PartialDate | str) -> dt.date:
    if isinstance(day, PartialDate):
        return day.end
    if isinstance(day, str):
        return parse_date(day).end
    return day


RegionLike = Region | str | Iterable[str] | None
"""A region as the API takes it: a :class:`Region`, a place id, ids, "a,b", "all", or None for
the catalog's default."""


def default_region(catalog: Catalog) -> Region:
    """The region the catalog's ``settings`` name, or everywhere when they name none."""
    return Region.of(catalog.settings.region) if catalog.settings.region else EVERYWHERE


def resolve_region(catalog: Catalog, region: RegionLike) -> Region:
    """``region`` as a :class:`Region`: None is the catalog's default, "all" is everywhere.

    Raises ValueError naming the first id that is no place of the catalog.
    """
    if region is None:
        return default_region(catalog)
    found = region if isinstance(region, Region) else Region.of(region)
    for place_id in sorted(found.places):
        if place_id not in catalog.places:
            raise ValueError(f"no place has id {place_id!r}; use place ids from the catalog, or 'all'")
    return found


def region_title(catalog: Catalog, region: Region) -> str:
    """``region`` in words: the catalog's own title for its default region, else the places' names
    ("the Red Sea and the Gulf of Aden"), or "everywhere" for a catalog that names no region."""
    if region.everywhere:
        return "all places"
    if catalog.settings.title and region == default_region(catalog):
        return catalog.settings.title
    names = [catalog.places[p].name if p in catalog.places else p for p in sorted(region.places)]
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"


def snapshot(
    catalog: Catalog,
    day: dt.date | PartialDate | str,
    region: RegionLike = None,
    *,
    stale_after: int | None = None,
) -> Snapshot:
    """The deployment as of ``day`` (a partial date means its last day), counting ``region``
    (None: the catalog's default region; "all": everywhere).

    ``stale_after`` (days) turns a certain presence last reported longer ago into a possible one.
    A day after the newest source is answered with the last known state and a note saying so.
    """
    if stale_after is not None and stale_after < 0:
        raise ValueError(f"stale_after must be 0 or more days, got {stale_after}")
    date = _as_date(day)
    index = presence_index(catalog)
    found = resolve_region(catalog, region)
    return Snapshot(catalog, date, found, index.timeline.states_on(date), _note(catalog, date), stale_after)


# ---------------------------------------------------------------------------------------------
# Changes and timeline


@attrs.frozen(slots=True)
class Change:
    """How one unit's state differs between two dates, with the events in between; or, with
    ``stale_after``, how its last report went stale (``events``: that report; ``stale_from``: the
    first day it counts as stale)."""

    unit: Unit
    kinds: tuple[str, ...]
    before: UnitState | None
    after: UnitState | None
    events: tuple[Event, ...]
    stale_from: PartialDate | None = None

    @property
    def date(self) -> PartialDate | None:
        """When the change happened: the day the new status or place began when those changed,
        else the latest event behind the change (a new count, a new report, a new formation), or
        the day its last report went stale."""
        if self.stale_from is not None:  # (set only on a change of staleness alone)
            return self.stale_from
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
    # "arrived" and "left" are for units reported in the region: one that may be there only because
    # it is heading there has not arrived (its order is the change), nor left when reported elsewhere.
    was_reported = before is not None and snap_a.reported_here(before)
    is_reported = after is not None and snap_b.reported_here(after)
    # May have come, on no report of its own (a handover, an arrival window that opened).
    maybe_arrived = is_possible and not (was_possible or is_certain or is_reported)
    if (is_reported and not was_reported) or (is_certain and not was_certain):
        kinds.append("arrived")
    if (was_reported and not is_possible) or (was_certain and not is_certain and not is_possible):
        kinds.append("left")
    elif was_possible and not is_possible and after is not None and after.possibly_present:
        kinds.append("reported elsewhere")
    elif was_possible and not is_possible and (after is None or after.status not in _GONE):
        kinds.append("left")  # present nowhere now (departed): decommissioned and relieved say why
    elif maybe_arrived and after is not None and not after.heading:  # (heading here: its order is the news)
        kinds.append("possibly arrived")
    status_before = before.status if before else None
    status_after = after.status if after else None
    new_place = before is not None and after is not None and before.place != after.place
    if status_after in (Status.ORDERED, Status.EXPECTED, Status.EN_ROUTE) and (
        status_after != status_before or new_place
    ):
        kinds.append(status_after.value)
    if status_after in _GONE and status_after != status_before:
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
        kinds.append("possibly arrived" if maybe_arrived else "updated")
    return kinds


_GONE = (Status.DECOMMISSIONED, Status.RELIEVED)


def changes(
    catalog: Catalog,
    start: dt.date | PartialDate | str,
    end: dt.date | PartialDate | str,
    region: RegionLike = None,
    *,
    stale_after: int | None = None,
) -> tuple[Change, ...]:
    """What changed between ``start`` and ``end``: one :class:`Change` per unit whose state differs,
    and, with ``stale_after``, per unit whose unchanged state went stale (or fresh) in between."""
    snap_a = snapshot(catalog, start, region, stale_after=stale_after)
    snap_b = snapshot(catalog, end, region, stale_after=stale_after)
    before = {s.unit_id: s for s in snap_a.states}
    after = {s.unit_id: s for s in snap_b.states}
    result = []
    for unit in catalog.units():
        a, b = before.get(unit.id), after.get(unit.id)
        if a is b or a == b:  # states are cached per stretch of days: usually the very same object
            # The same state, certainly here on one day and not the other: its last report went stale.
            if stale_after is not None and a is not None and snap_a.certainly_here(a) != snap_b.certainly_here(a):
                kind = "now stale" if snap_b.stale(a) else "no longer stale"
                report = tuple(e for e in a.events if e.date == a.last_reported and e.kind is not EventKind.JOINED)
                result.append(Change(unit, (kind,), a, b, report, _stale_from(a, stale_after)))
            continue
        old_events = {id(e) for e in a.events} if a else set()  # events are shared: compare by identity
        new_events = tuple(e for e in (b.events if b else ()) if id(e) not in old_events)
        result.append(Change(unit, tuple(_change_kinds(snap_a, snap_b, a, b)), a, b, new_events))
    result.sort(key=lambda c: (c.date.sort_key() if c.date else (dt.date.max, dt.date.max), c.unit.id))
    return tuple(result)


def _stale_from(state: UnitState, stale_after: int | None) -> PartialDate | None:
    """The first day ``state`` counts as stale: ``stale_after`` days after its last report, and one."""
    if stale_after is None or state.last_reported is None:
        return None
    return PartialDate.of(state.last_reported.end + dt.timedelta(days=stale_after + 1))


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


def change_days(catalog: Catalog) -> list[dt.date]:
    """The days on which some unit's state may change: the first and last day of every event's date
    and the first day of every arrival window; between two of them, every snapshot is the same."""
    return list(presence_index(catalog).days)


def timeline(catalog: Catalog, region: RegionLike = None) -> tuple[TimelineEntry, ...]:
    """The sequence of dated states: one entry per day on which some state may change."""
    days = change_days(catalog)
    entries = []
    previous: dt.date | None = None
    for day in days:
        snap = snapshot(catalog, day, region)
        found = changes(catalog, previous or day_before(day), day, region)
        entries.append(TimelineEntry(day, snap.vessels(), snap.aircraft(), snap.total_personnel(), found))
        previous = day
    return tuple(entries)
