"""Tests for :mod:`orbat.queries`: properties over generated catalogs, then concrete behaviour.

The properties run on small catalogs built by :func:`catalogs` (places nested with ``within``,
vessels of built-in types, unidentified groups, aircraft detachments with every kind of count,
nested formations, and events of every kind at day, month, span and year precision in 2025).
The concrete tests use the hand-built catalog in ``tests/fixtures/queries/catalog.yaml``.
"""

from __future__ import annotations

import calendar
import datetime as dt
import itertools
from collections import Counter
from pathlib import Path

import attrs
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

import orbat
from orbat.catalog import Catalog
from orbat.claims import Verdict, check_claims
from orbat.dates import PartialDate, Precision, parse_date
from orbat.figures import allowed, compatible, gap
from orbat.model import (
    HEADING_KINDS,
    AircraftDetachment,
    Citation,
    Claim,
    ClaimFigure,
    Event,
    EventKind,
    Figure,
    Formation,
    Place,
    Source,
    UnidentifiedVessels,
    Vessel,
)
from orbat.places import PlaceGraph
from orbat.presence import _History, _orders, _Replay, _state, _Timeline
from orbat.presence import presence_index as _index
from orbat.quantities import Quantity, total
from orbat.queries import (
    AIRCRAFT_BREAKDOWNS,
    BREAKDOWNS,
    VESSEL_BREAKDOWNS,
    Snapshot,
    Status,
    UnitState,
    apply_changes,
    changes,
    snapshot,
    timeline,
)

FIXTURE = Path(__file__).parent / "fixtures" / "queries"
REFERENCE = orbat.load([], reference=True)
SHIP_TYPES = sorted(REFERENCE.ship_types)
AIRCRAFT_TYPES = sorted(REFERENCE.aircraft_types)
SOURCE_ID = "src"
CITE = (Citation(SOURCE_ID),)
PLACE_KINDS = ("region", "sea", "country", "territory", "base", "port", "airport", "waterway")
FORMATION_KINDS = ("task force", "task group", "strike group", "ready group", "squadron", "air wing")
NEEDS_PLACE = (
    EventKind.ORDERED,
    EventKind.ARRIVED,
    EventKind.REPORTED_PRESENT,
    EventKind.EXPECTED,
    EventKind.RETURNED,
)
MEMBERSHIP = (EventKind.JOINED, EventKind.DETACHED)

PROPERTY_SETTINGS = settings(max_examples=60, deadline=None)


# =============================================================================================
# Strategies


def quantities() -> st.SearchStrategy[Quantity]:
    """Counts of every kind: exact, about, "2+", unknown, ranges and "up to"."""
    n = st.integers(min_value=0, max_value=20)
    return st.one_of(
        n.map(Quantity.exact),
        st.integers(min_value=1, max_value=20).map(Quantity.about),
        st.just(Quantity.unknown(at_least=2)),  # "2+": a plural with no number
        st.integers(min_value=1, max_value=20).map(Quantity.at_least),
        st.just(Quantity.unknown()),
        st.tuples(n, st.integers(min_value=0, max_value=10)).map(lambda p: Quantity.between(p[0], p[0] + p[1])),
        st.tuples(n, st.integers(min_value=0, max_value=10), st.booleans()).map(
            lambda p: Quantity(p[0], p[0] + p[1], approximate=p[2])
        ),
        n.map(Quantity.at_most),
    )


YEAR_START, YEAR_END = dt.date(2025, 1, 1), dt.date(2025, 12, 31)


@st.composite
def partial_dates(draw: st.DrawFn) -> PartialDate:
    """A date in 2025 at day, month or year precision, or a span of days or of months."""
    shape = draw(st.sampled_from(("day", "day", "month", "month", "day span", "month span", "year")))
    approximate = draw(st.booleans()) if draw(st.integers(0, 9)) == 0 else False
    if shape == "day":
        date = PartialDate.of(draw(st.dates(YEAR_START, YEAR_END)))
    elif shape == "month":
        date = PartialDate.month(2025, draw(st.integers(1, 12)))
    elif shape == "day span":
        first = draw(st.dates(YEAR_START, dt.date(2025, 12, 30)))
        last = draw(st.dates(first + dt.timedelta(days=1), YEAR_END))
        date = PartialDate(first, last, Precision.DAY)
    elif shape == "month span":
        first_month = draw(st.integers(1, 11))
        last_month = draw(st.integers(first_month + 1, 12))
        start = PartialDate.month(2025, first_month).start
        date = PartialDate(start, PartialDate.month(2025, last_month).end, Precision.MONTH)
    else:
        date = PartialDate.year(2025)
    return attrs.evolve(date, approximate=approximate)


def _event_order(event: Event) -> tuple[dt.date, dt.date]:
    """The order the loader keeps events in (file position aside)."""
    return (event.date.start, event.date.end)


@st.composite
def _event(
    draw: st.DrawFn,
    number: int,
    unit_ids: list[str],
    countable: frozenset[str],
    formation_ids: list[str],
    place_ids: list[str],
) -> Event:
    kinds = [k for k in EventKind if formation_ids or k not in MEMBERSHIP]
    kind = draw(st.sampled_from(kinds))
    date = draw(partial_dates())
    if kind in MEMBERSHIP:
        formation: str | None = draw(st.sampled_from(formation_ids))
    elif formation_ids:
        formation = draw(st.none() | st.sampled_from(formation_ids))
    else:
        formation = None
    # A formation-wide event (formation set, not joined/detached) may name no units at all.
    min_units = 1 if kind in MEMBERSHIP or formation is None else 0
    units = tuple(draw(st.lists(st.sampled_from(unit_ids), min_size=min_units, max_size=3, unique=True)))
    place = to = relieves = None
    if kind in NEEDS_PLACE:
        place = draw(st.sampled_from(place_ids))
    elif kind is EventKind.RELIEVED:
        place = draw(st.none() | st.sampled_from(place_ids))
        relieves = draw(st.sampled_from(unit_ids))
    elif kind is EventKind.DEPARTED:
        place = draw(st.none() | st.sampled_from(place_ids))
        to = draw(st.sampled_from(place_ids)) if place is None else draw(st.none() | st.sampled_from(place_ids))
    count = None
    if units and set(units) <= countable:  # counts belong to detachments and unidentified groups
        count = draw(st.none() | quantities())
    arrival = None
    if kind in HEADING_KINDS:  # an expected arrival window, never ending before the event
        window = draw(st.none() | partial_dates())
        arrival = window if window is not None and window.end >= date.start else None
    return Event(
        f"e{number}",
        date,
        kind,
        units,
        CITE,
        formation=formation,
        place=place,
        to=to,
        relieves=relieves,
        count=count,
        arrival=arrival,
    )


@st.composite
def catalogs(draw: st.DrawFn) -> Catalog:
    """A small valid catalog: every reference resolves, no place or formation contains itself."""
    places: dict[str, Place] = {}
    for n in range(draw(st.integers(1, 4))):
        within = tuple(draw(st.lists(st.sampled_from(sorted(places)), max_size=2, unique=True))) if places else ()
        places[f"p{n}"] = Place(f"p{n}", f"Place {n}", draw(st.sampled_from(PLACE_KINDS)), within)
    place_ids = sorted(places)

    navies = st.sampled_from(("US", "UK"))
    vessels = {
        f"v{n}": Vessel(id=f"v{n}", name=f"Vessel {n}", type=draw(st.sampled_from(SHIP_TYPES)), navy=draw(navies))
        for n in range(draw(st.integers(1, 8)))
    }
    vessel_ids = sorted(vessels)
    unidentified = {
        f"u{n}": UnidentifiedVessels(
            f"u{n}",
            draw(st.sampled_from(SHIP_TYPES)),
            draw(quantities()),
            draw(navies),
            identified_as=tuple(draw(st.lists(st.sampled_from(vessel_ids), max_size=2, unique=True))),
            citations=CITE,
        )
        for n in range(draw(st.integers(0, 3)))
    }
    aircraft = {
        f"a{n}": AircraftDetachment(
            f"a{n}",
            f"Detachment {n}",
            draw(st.sampled_from(AIRCRAFT_TYPES)),
            draw(quantities()),
            draw(navies),
            base=draw(st.none() | st.sampled_from(place_ids)),
            citations=CITE,
        )
        for n in range(draw(st.integers(0, 3)))
    }
    formations: dict[str, Formation] = {}
    for n in range(draw(st.integers(0, 4))):
        parent = draw(st.none() | st.sampled_from(sorted(formations))) if formations else None
        figures = tuple(
            Figure(draw(quantities()), CITE, draw(st.none() | partial_dates())) for _ in range(draw(st.integers(0, 3)))
        )
        formations[f"f{n}"] = Formation(
            f"f{n}", f"Formation {n}", draw(st.sampled_from(FORMATION_KINDS)), parent, personnel=figures
        )
    unit_ids = sorted([*vessels, *unidentified, *aircraft])
    countable = frozenset([*unidentified, *aircraft])
    formation_ids = sorted(formations)
    events = [draw(_event(n, unit_ids, countable, formation_ids, place_ids)) for n in range(draw(st.integers(0, 20)))]
    scopes = st.sampled_from(place_ids + formation_ids)
    claims = {
        f"c{n}": Claim(
            f"c{n}",
            draw(partial_dates()),
            draw(scopes),
            (ClaimFigure("counted", draw(quantities()), draw(st.sampled_from(("vessels", "aircraft", "personnel")))),),
            CITE,
        )
        for n in range(draw(st.integers(0, 2)))
    }
    source = Source(SOURCE_ID, "A source", "A publisher", draw(st.none() | partial_dates()))
    return Catalog(
        ship_types=REFERENCE.ship_types,
        aircraft_types=REFERENCE.aircraft_types,
        places=places,
        sources={SOURCE_ID: source},
        vessels=vessels,
        unidentified=unidentified,
        aircraft=aircraft,
        formations=formations,
        events=tuple(sorted(events, key=_event_order)),
        claims=claims,
    )


# Mostly days of 2025, when things happen; sometimes just before or after.
query_dates = (
    st.dates(YEAR_START, YEAR_END)
    | st.dates(YEAR_START, YEAR_END)
    | st.dates(dt.date(2024, 12, 1), dt.date(2026, 1, 31))
)


def regions(catalog: Catalog) -> st.SearchStrategy[str | None]:
    """No region (everywhere) or one of the catalog's places."""
    return st.none() | st.sampled_from(sorted(catalog.places))


def _with_region(catalog: Catalog) -> st.SearchStrategy[tuple[Catalog, str | None]]:
    return st.tuples(st.just(catalog), regions(catalog))


# A generated catalog with the region to count: none (everywhere) or one of its places.
cases = catalogs().flatmap(_with_region)


def _is_vessel(state: UnitState) -> bool:
    return not isinstance(state.unit, AircraftDetachment)


# =============================================================================================
# Properties


@PROPERTY_SETTINGS
@given(case=cases, day=query_dates)
def test_every_breakdown_sums_to_its_total(case: tuple[Catalog, str | None], day: dt.date) -> None:
    catalog, region = case
    snap = snapshot(catalog, day, region)
    several_places = any(len(s.places) > 1 for s in snap.present())
    for by in BREAKDOWNS:
        whole = snap.aircraft() if by in AIRCRAFT_BREAKDOWNS else snap.vessels()
        parts = total(snap.breakdown(by).values())
        if by in ("location", "base") and several_places:
            # A unit that may be at several places counts from none to all of it at each.
            assert parts.low <= whole.low, by
            assert parts.high is None or (whole.high is not None and parts.high >= whole.high), by
        else:
            assert parts == whole, by
    assert set(BREAKDOWNS) == set(VESSEL_BREAKDOWNS) | set(AIRCRAFT_BREAKDOWNS)


def _catalog_with_repeated_report() -> Catalog:
    """A second report of a unit where it already is: its state changes (one more event behind
    it) though its status, place, formation, count and certainty do not."""
    return attrs.evolve(
        REFERENCE,
        places={"x": Place("x", "X", "sea")},
        sources={SOURCE_ID: Source(SOURCE_ID, "A source", "A publisher", PartialDate.day(2025, 4, 30))},
        vessels={"v": Vessel(id="v", name="USS V", type="DDG", navy="US")},
        events=(
            Event("e1", PartialDate.day(2025, 3, 5), EventKind.ARRIVED, ("v",), CITE, place="x"),
            Event("e2", PartialDate.day(2025, 4, 10), EventKind.REPORTED_PRESENT, ("v",), CITE, place="x"),
        ),
    )


@PROPERTY_SETTINGS
@given(case=cases, a=query_dates, b=query_dates)
@example(case=(_catalog_with_repeated_report(), None), a=dt.date(2025, 3, 10), b=dt.date(2025, 4, 15))
@example(case=(_catalog_with_repeated_report(), "x"), a=dt.date(2025, 4, 15), b=dt.date(2025, 3, 10))
def test_applying_changes_gives_the_later_snapshot(case: tuple[Catalog, str | None], a: dt.date, b: dt.date) -> None:
    """``apply_changes(as_of(a), changes(a, b), b)`` is ``as_of(b)``, forwards and backwards."""
    catalog, region = case
    found = changes(catalog, a, b, region)
    moved = apply_changes(snapshot(catalog, a, region), found, b)
    fresh = snapshot(catalog, b, region)
    assert moved.states == fresh.states
    assert (moved.date, moved.region, moved.note) == (fresh.date, fresh.region, fresh.note)
    assert (moved.vessels(), moved.aircraft()) == (fresh.vessels(), fresh.aircraft())
    # One change per unit, and only for units whose state differs.
    assert len({c.unit.id for c in found}) == len(found)
    before = {s.unit_id: s for s in snapshot(catalog, a, region).states}
    for change in found:
        assert change.before == before.get(change.unit.id)
        assert change.before != change.after
        assert change.kinds


def test_a_repeated_report_is_a_change() -> None:
    catalog = _catalog_with_repeated_report()
    a, b = dt.date(2025, 3, 10), dt.date(2025, 4, 15)
    (change,) = changes(catalog, a, b)
    assert change.kinds == ("updated",)
    assert [e.id for e in change.events] == ["e2"]
    assert change.date == PartialDate.day(2025, 4, 10)
    assert apply_changes(snapshot(catalog, a), (change,), b).states == snapshot(catalog, b).states


@PROPERTY_SETTINGS
@given(case=cases, days=st.lists(query_dates, min_size=2, max_size=5))
def test_a_snapshot_does_not_depend_on_earlier_queries(case: tuple[Catalog, str | None], days: list[dt.date]) -> None:
    """States are cached per catalog: asking in any order gives what a fresh catalog gives."""
    catalog, region = case
    asked = [snapshot(catalog, day, region) for day in days]
    for day, snap in zip(days, asked, strict=True):
        fresh = attrs.evolve(catalog)  # an equal catalog with an empty cache
        assert fresh == catalog and not fresh.cache
        assert snap.states == snapshot(fresh, day, region).states
        assert snap.states == snapshot(catalog, day, region).states


@PROPERTY_SETTINGS
@given(case=cases, day=query_dates)
def test_a_snapshot_never_counts_a_unit_twice(case: tuple[Catalog, str | None], day: dt.date) -> None:
    catalog, region = case
    snap = snapshot(catalog, day, region)
    ids = [s.unit_id for s in snap.states]
    assert not [unit_id for unit_id, n in Counter(ids).items() if n > 1]
    identified = {g.id for g in catalog.unidentified.values() if g.identified_as}
    assert not identified & set(ids)
    assert all(catalog.unit(unit_id) is not None for unit_id in ids)
    # Every unit in the states is counted once in exactly one group of each breakdown.
    present = [s for s in snap.present() if _is_vessel(s)]
    assert len(present) == len({s.unit_id for s in present})


@PROPERTY_SETTINGS
@given(case=cases, day=query_dates)
def test_certainly_present_implies_possibly_present(case: tuple[Catalog, str | None], day: dt.date) -> None:
    catalog, region = case
    snap = snapshot(catalog, day, region)
    for state in snap.states:
        assert not state.certainly_present or state.possibly_present, state.unit_id
        # Present by no report of its own: it took over from a unit, at no place a source gives.
        took_over = state.status is Status.PRESENT and not state.reported
        if state.certain and not state.heading and not took_over:
            # A certain state has the same presence on both readings (a unit heading somewhere may
            # already be there, and one that took over may be where the unit it relieved was, but
            # neither certainly).
            assert state.certainly_present == state.possibly_present, state.unit_id
        if state.heading or took_over:
            assert not state.certainly_present, state.unit_id
    present = snap.present()
    assert all(snap.possibly_here(s) for s in present)
    # Aircraft: the detachments ashore (those no formation's aircraft figure covers).
    ashore = {id(s) for s in snap._ashore()}
    for counted, measure in ((_is_vessel, snap.vessels()), (lambda s: id(s) in ashore, snap.aircraft_ashore())):
        possible = [s for s in present if counted(s)]
        certain = [s for s in possible if snap.certainly_here(s)]
        assert len(certain) <= len(possible)
        assert measure.low == total(s.count for s in certain).low
        assert measure.high == total(s.count for s in possible).high
        assert measure.low <= total(s.count for s in possible).low
        assert measure.high is None or measure.low <= measure.high
    # Vessels: the low end is at least the named vessels certainly present, and with all counts
    # bounded the high end is at least the named vessels possibly present.
    named = [s for s in present if isinstance(s.unit, Vessel)]
    assert snap.vessels().low >= sum(1 for s in named if snap.certainly_here(s))
    high = snap.vessels().high
    assert high is None or high >= len(named)


def _last_day(year: int, month: int) -> dt.date:
    return dt.date(year, month, calendar.monthrange(year, month)[1])


@PROPERTY_SETTINGS
@given(catalog=catalogs(), month=st.integers(1, 12), data=st.data())
def test_a_month_arrival_is_possible_in_that_month_and_certain_after_it(
    catalog: Catalog, month: int, data: st.DataObject
) -> None:
    place = data.draw(st.sampled_from(sorted(catalog.places)), label="place")
    probe = Vessel(id="probe", name="USS Probe", type="DDG", navy="US")
    arrival = Event("probe-arrives", PartialDate.month(2025, month), EventKind.ARRIVED, ("probe",), CITE, place=place)
    catalog = attrs.evolve(
        catalog,
        vessels={**catalog.vessels, "probe": probe},
        events=tuple(sorted((*catalog.events, arrival), key=_event_order)),
    )
    # Regions that contain the place count the probe; "None" is everywhere.
    containing: list[str | None] = [None, *sorted(PlaceGraph(catalog.places).above(place))]
    region = data.draw(st.sampled_from(containing), label="region")

    def probe_state(day: dt.date) -> UnitState | None:
        snap = snapshot(catalog, day, region)
        return next((s for s in snap.states if s.unit_id == "probe"), None)

    before = dt.date(2025, month, 1) - dt.timedelta(days=1)
    assert probe_state(before) is None

    middle = snapshot(catalog, dt.date(2025, month, 15), region)
    state = next(s for s in middle.states if s.unit_id == "probe")
    assert state.possibly_present and not state.certainly_present and not state.certain
    assert (state.status, state.place, state.since) == (Status.PRESENT, place, arrival.date)
    assert state in middle.present()

    after = _last_day(2025, month) + dt.timedelta(days=1)
    state_after = probe_state(after)
    assert state_after is not None
    assert state_after.certainly_present and state_after.certain
    assert probe_state(_last_day(2025, month)) == attrs.evolve(
        state_after, certain=True, certainly_present=True, possibly_present=True
    )


@PROPERTY_SETTINGS
@given(case=cases)
def test_claims_and_timeline_are_consistent(case: tuple[Catalog, str | None]) -> None:
    catalog, region = case
    checks = check_claims(catalog)
    assert len(checks) == sum(len(c.figures) for c in catalog.claims.values())
    for check in checks:
        found, reported = check.catalog_count, check.figure.count
        if found is None or found.is_unknown:
            assert check.verdict is Verdict.CANNOT_TELL
            continue
        ours, theirs = allowed(found), allowed(reported)
        within = theirs.low <= ours.low and (
            theirs.high is None or (ours.high is not None and ours.high <= theirs.high)
        )
        if check.verdict is Verdict.AGREES:
            assert within
        if check.verdict is Verdict.COMPATIBLE:
            assert compatible(found, reported) and not within
        if check.verdict is Verdict.DISAGREES:
            assert not found.overlaps(reported)
            assert check.gap == gap(found, reported) > 0
        assert all(other is not check.claim for other, _ in check.others)
        # Disagreement is mutual: each report lists the other.
        for other, other_figure in check.others:
            mirror = next(c for c in checks if c.claim is other and c.figure is other_figure)
            assert any(o is check.claim and f is check.figure for o, f in mirror.others)
    for entry in timeline(catalog, region):
        snap = snapshot(catalog, entry.date, region)
        assert (entry.vessels, entry.aircraft, entry.personnel) == (
            snap.vessels(),
            snap.aircraft(),
            snap.total_personnel(),
        )


# =============================================================================================
# Concrete behaviour on the hand-built catalog


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return orbat.load(FIXTURE)


def state_of(snap: Snapshot, unit_id: str) -> UnitState:
    found = [s for s in snap.states if s.unit_id == unit_id]
    assert len(found) == 1, f"{unit_id} has {len(found)} states on {snap.date}"
    return found[0]


def test_the_fixture_loads_with_only_the_expected_warnings(catalog: Catalog) -> None:
    assert {p.code for p in catalog.warnings} == {"sources-disagree"}


def test_a_unit_ordered_where_it_already_is_stays_present(catalog: Catalog) -> None:
    # Ramage arrived at Roosevelt Roads (within Puerto Rico, within the Caribbean) on 2025-08-20
    # and was ordered to the Caribbean on 2025-09-01.
    ramage = state_of(catalog.as_of("2025-09-15"), "ramage")
    assert ramage.status is Status.PRESENT
    assert ramage.place == "roosevelt-roads"
    assert ramage.certainly_present and ramage.certain
    assert ramage.since == PartialDate.day(2025, 8, 20)
    assert [e.kind for e in ramage.events] == [EventKind.ARRIVED, EventKind.ORDERED]
    # Ford, not yet reported anywhere, is ordered: it may already be at its destination, never certainly.
    ford = state_of(catalog.as_of("2025-10-24"), "ford")
    assert (ford.status, ford.place, ford.places) == (Status.ORDERED, "caribbean", ("caribbean",))
    assert ford.possibly_present and not ford.certainly_present
    assert ford.status_text == "ordered, possibly arrived"


def test_a_formation_wide_order_applies_to_the_members_of_that_day(catalog: Catalog) -> None:
    order = next(e for e in catalog.events if e.kind is EventKind.ORDERED and e.formation == "iwo-arg")
    assert order.units == ()
    before = catalog.as_of("2025-08-13")
    assert state_of(before, "iwo-jima").status is Status.ASSIGNED
    snap = catalog.as_of("2025-08-20")
    for unit_id in ("iwo-jima", "san-antonio"):
        state = state_of(snap, unit_id)
        assert (state.status, state.place, state.formation) == (Status.ORDERED, "caribbean", "iwo-arg")
        assert order in state.events
        assert state.since == order.date
    # Fort Lauderdale joined the group on 2025-09-20, after the order: it was not ordered.
    late = state_of(catalog.as_of("2025-09-25"), "fort-lauderdale")
    assert (late.status, late.formation, late.place) == (Status.ASSIGNED, "iwo-arg", None)
    assert order not in late.events
    assert not late.possibly_present


def test_a_formation_wide_order_reaches_nested_formations(catalog: Catalog) -> None:
    order = Event(
        "csg-ordered",
        PartialDate.day(2025, 10, 12),
        EventKind.ORDERED,
        (),
        (Citation("tracker"),),
        formation="csg-12",
        place="caribbean",
    )
    ordered = attrs.evolve(catalog, events=tuple(sorted((*catalog.events, order), key=_event_order)))
    snap = ordered.as_of("2025-10-13")
    assert {s.unit_id for s in snap.formation_members("csg-12")} == {"ford", "bulkeley", "mahan"}
    assert state_of(snap, "ford").status is Status.ORDERED  # a direct member
    # Bulkeley is in desron-2, nested in csg-12, and not yet anywhere: it is ordered too.
    assert state_of(snap, "bulkeley").status is Status.ORDERED


def test_a_formation_wide_event_follows_each_units_latest_membership(catalog: Catalog) -> None:
    def event(name: str, date: PartialDate, kind: EventKind, units: tuple[str, ...], formation: str) -> Event:
        place = "caribbean" if kind is EventKind.DEPARTED else None
        return Event(name, date, kind, units, (Citation("tracker"),), formation=formation, place=place)

    added = (
        # San Antonio joins the carrier group without leaving the ready group: it is in the new one.
        event("sa-joined", PartialDate.day(2025, 10, 1), EventKind.JOINED, ("san-antonio",), "csg-12"),
        # Iwo Jima leaves a group it is not in: it stays in the ready group.
        event("iwo-detached", PartialDate.day(2025, 10, 2), EventKind.DETACHED, ("iwo-jima",), "csg-12"),
        # Fort Lauderdale leaves "in October": it may have left before Oct 12 or after, so the
        # group's event only may be its.
        event("fl-detached", PartialDate.month(2025, 10), EventKind.DETACHED, ("fort-lauderdale",), "iwo-arg"),
        event("arg-departed", PartialDate.day(2025, 10, 12), EventKind.DEPARTED, (), "iwo-arg"),
        event("csg-departed", PartialDate.day(2025, 10, 13), EventKind.DEPARTED, (), "csg-12"),
    )
    changed = attrs.evolve(catalog, events=tuple(sorted((*catalog.events, *added), key=_event_order)))
    arg_departed, csg_departed = added[-2:]
    reached = {
        history.unit.id: [e.id for e in history.events if e in (arg_departed, csg_departed)]
        for history in _index(changed).histories
    }
    assert {unit_id: found for unit_id, found in reached.items() if found} == {
        "iwo-jima": ["arg-departed"],
        "san-antonio": ["csg-departed"],
        "ford": ["csg-departed"],
        "bulkeley": ["csg-departed"],  # in desron-2, within csg-12
        "mahan": ["csg-departed"],
        "fort-lauderdale": ["arg-departed"],
    }
    maybe = {history.unit.id: history.maybe for history in _index(changed).histories}
    assert maybe["fort-lauderdale"] == {id(arg_departed)}
    assert not maybe["iwo-jima"] and not maybe["san-antonio"] and not maybe["bulkeley"]
    snap = changed.as_of("2025-10-14")
    iwo_jima = state_of(snap, "iwo-jima")
    membership = iwo_jima.via[iwo_jima.events.index(arg_departed)]  # the membership cited with it
    assert membership is not None and membership.formation == "iwo-arg"


def _detached_in_october(catalog: Catalog, *more: Event) -> Catalog:
    left = Event(
        "fl-detached",
        PartialDate.month(2025, 10),
        EventKind.DETACHED,
        ("fort-lauderdale",),
        (Citation("tracker"),),
        formation="iwo-arg",
    )
    return attrs.evolve(catalog, events=tuple(sorted((*catalog.events, left, *more), key=_event_order)))


def test_a_unit_that_left_its_formation_and_is_placed_nowhere_is_detached(catalog: Catalog) -> None:
    # Fort Lauderdale joined the ready group on Sep 20 and left it "in October"; no event places it.
    changed = _detached_in_october(catalog)
    october = PartialDate.month(2025, 10)
    assert state_of(changed.as_of("2025-09-25"), "fort-lauderdale").status is Status.ASSIGNED
    # On Oct 14 it may have left: the later reading, uncertain (it had no state at all before).
    maybe = state_of(changed.as_of("2025-10-14"), "fort-lauderdale")
    assert (maybe.status, maybe.formation, maybe.place, maybe.since) == (Status.DETACHED, None, None, october)
    assert not maybe.certain and not maybe.possibly_present and not maybe.certainly_present
    assert maybe.status_text == "detached (uncertain)"
    assert [e.id for e in maybe.events][-1] == "fl-detached"
    # From Nov 1 it has certainly left: detached, counted nowhere.
    left = state_of(changed.as_of("2025-11-01"), "fort-lauderdale")
    assert (left.status, left.formation, left.since, left.certain) == (Status.DETACHED, None, october, True)
    assert left.status_text == "detached" and not left.possibly_present
    assert left.last_reported == october


def test_a_detached_unit_that_joins_again_is_assigned_from_the_day_it_joined(catalog: Catalog) -> None:
    rejoined = Event(
        "fl-joined-again",
        PartialDate.day(2025, 11, 10),
        EventKind.JOINED,
        ("fort-lauderdale",),
        (Citation("tracker"),),
        formation="csg-12",
    )
    state = state_of(_detached_in_october(catalog, rejoined).as_of("2025-11-12"), "fort-lauderdale")
    assert (state.status, state.formation, state.since) == (Status.ASSIGNED, "csg-12", rejoined.date)
    assert state.status_text == "assigned"


def test_relieved_makes_the_relieved_unit_relieved(catalog: Catalog) -> None:
    before, after = catalog.as_of("2025-10-09"), catalog.as_of("2025-10-10")
    assert state_of(before, "ramage").status is Status.PRESENT
    assert "stockdale" not in {s.unit_id for s in before.states}
    ramage, stockdale = state_of(after, "ramage"), state_of(after, "stockdale")
    assert (ramage.status, ramage.place, ramage.possibly_present) == (Status.RELIEVED, None, False)
    assert ramage.since == PartialDate.day(2025, 10, 10)
    assert (stockdale.status, stockdale.place, stockdale.certainly_present) == (
        Status.PRESENT,
        "roosevelt-roads",
        True,
    )
    assert before.vessels() == after.vessels()  # one destroyer for another
    found = {c.unit.id: c.kinds for c in catalog.changes("2025-10-09", "2025-10-10")}
    assert found == {"ramage": ("left", "relieved"), "stockdale": ("arrived",)}


def _catalog_with_relief_at_no_place() -> Catalog:
    """W takes over from V, where is not said; nothing else is known of either."""
    return attrs.evolve(
        REFERENCE,
        sources={SOURCE_ID: Source(SOURCE_ID, "A source", "A publisher", PartialDate.day(2025, 4, 30))},
        vessels={u: Vessel(id=u, name=f"USS {u.upper()}", type="DDG", navy="US") for u in ("v", "w")},
        events=(Event("e1", PartialDate.day(2025, 3, 5), EventKind.RELIEVED, ("w",), CITE, relieves="v"),),
    )


@PROPERTY_SETTINGS
@given(catalog=catalogs(), day=query_dates)
@example(catalog=_catalog_with_relief_at_no_place(), day=dt.date(2025, 3, 6))
def test_every_unit_an_event_has_named_by_the_day_has_a_state(catalog: Catalog, day: dt.date) -> None:
    """A snapshot holds a state for every unit the catalog has news of: any event certainly over
    by the day that names the unit (in ``units``, or in ``relieves`` of a "relieved" event) gives
    it one, once it may be in service."""
    known = {state.unit_id for state in snapshot(catalog, day, "all").states}
    identified = {group.id for group in catalog.unidentified.values() if group.identified_as}
    for event in catalog.events:
        if event.date.end > day:
            continue
        relieved = (event.relieves,) if event.relieves and event.kind is EventKind.RELIEVED else ()
        for unit_id in (*event.units, *relieved):
            unit = catalog.unit(unit_id)
            if unit_id in identified or (
                isinstance(unit, Vessel) and unit.commissioned is not None and day < unit.commissioned.start
            ):
                continue
            assert unit_id in known, (unit_id, event)


def _relieved_without_place(catalog: Catalog, *more: Event) -> Catalog:
    """The fixture with Stockdale's relief of Ramage (Oct 10) saying nothing of where it was."""
    events = tuple(
        attrs.evolve(e, place=None) if e.kind is EventKind.RELIEVED and e.relieves == "ramage" else e
        for e in catalog.events
    )
    return attrs.evolve(catalog, events=tuple(sorted((*events, *more), key=_event_order)))


def test_a_unit_that_took_over_at_no_given_place_may_be_where_the_relieved_unit_was(catalog: Catalog) -> None:
    changed = _relieved_without_place(catalog)
    before, after = changed.as_of("2025-10-09"), changed.as_of("2025-10-10")
    assert state_of(before, "ramage").places == ("roosevelt-roads",)
    # Stockdale, of which the catalog says nothing else, took over from Ramage: it may be where
    # Ramage was, though no source puts it there.
    stockdale = state_of(after, "stockdale")
    assert (stockdale.status, stockdale.place, stockdale.places, stockdale.reported) == (
        Status.PRESENT,
        "roosevelt-roads",
        ("roosevelt-roads",),
        (),
    )
    assert (stockdale.certainly_present, stockdale.possibly_present, stockdale.certain) == (False, True, True)
    assert stockdale.status_text == "possibly present"
    assert stockdale.since == stockdale.last_reported == PartialDate.day(2025, 10, 10)
    assert [c.source for c in stockdale.citations] == ["tracker"]
    assert state_of(after, "ramage").status is Status.RELIEVED
    # One destroyer for another: certainly four, possibly five (where the relief was is not said).
    assert before.vessels() == Quantity.exact(5)
    assert (after.vessels().low, after.vessels().high) == (4, 5)
    found = {c.unit.id: c.kinds for c in changed.changes("2025-10-09", "2025-10-10")}
    assert found == {"ramage": ("left", "relieved"), "stockdale": ("possibly arrived",)}


def test_a_unit_reported_somewhere_stays_there_when_it_takes_over_at_no_given_place(catalog: Catalog) -> None:
    seen = Event(
        "stockdale-seen",
        PartialDate.day(2025, 10, 8),
        EventKind.REPORTED_PRESENT,
        ("stockdale",),
        (Citation("wire"),),
        place="caribbean",
    )
    stockdale = state_of(_relieved_without_place(catalog, seen).as_of("2025-10-12"), "stockdale")
    assert (stockdale.status, stockdale.place, stockdale.places) == (Status.PRESENT, "caribbean", ("caribbean",))
    assert stockdale.certainly_present and stockdale.status_text == "present"


def test_a_unit_that_took_over_from_a_unit_placed_nowhere_is_present_at_no_known_place() -> None:
    catalog = _catalog_with_relief_at_no_place()
    w = state_of(catalog.as_of("2025-03-06", "all"), "w")
    assert (w.status, w.place, w.places, w.certainly_present, w.possibly_present) == (
        Status.PRESENT,
        None,
        (),
        False,
        False,
    )
    assert w.status_text == "present (place not reported)"
    assert state_of(catalog.as_of("2025-03-06", "all"), "v").status is Status.RELIEVED


def test_an_event_count_replaces_the_detachment_count_from_then_on(catalog: Catalog) -> None:
    assert catalog.aircraft["vmfa-f35"].count == Quantity.exact(10)
    for day, count in (("2025-10-01", 10), ("2025-10-14", 10), ("2025-10-15", 12), ("2025-10-27", 12)):
        assert state_of(catalog.as_of(day), "vmfa-f35").count == Quantity.exact(count), day
    # Roughly six Reapers keep their count and make the total approximate.
    assert catalog.as_of("2025-10-20").aircraft() == Quantity(18, 18, approximate=True)
    assert catalog.as_of("2025-10-20").breakdown("aircraft-type") == {
        "F-35B": Quantity.exact(12),
        "MQ-9A": Quantity.about(6),
    }
    found = {c.unit.id: c for c in catalog.changes("2025-10-14", "2025-10-15")}
    assert set(found) == {"vmfa-f35"}
    assert found["vmfa-f35"].kinds == ("count",)
    assert found["vmfa-f35"].date == PartialDate.day(2025, 10, 15)


def test_a_count_of_uncertain_date_keeps_both_counts_in_the_total(catalog: Catalog) -> None:
    # 12 F-35B certainly present since 2025-10-15; 14 are reported some day in November.
    recount = Event(
        "f35-recount",
        PartialDate.month(2025, 11),
        EventKind.REPORTED_PRESENT,
        ("vmfa-f35",),
        (Citation("tracker"),),
        place="roosevelt-roads",
        count=Quantity.exact(14),
    )
    recounted = attrs.evolve(catalog, events=tuple(sorted((*catalog.events, recount), key=_event_order)))
    snap = recounted.as_of("2025-11-15")
    state = state_of(snap, "vmfa-f35")
    assert not state.certain
    # On Nov 15 there are certainly 12 and possibly 14 F-35B: not "exactly 14".
    assert snap.breakdown("aircraft-type")["F-35B"] == Quantity.between(12, 14)


def test_the_presence_of_a_month_arrival_is_possible_then_certain(catalog: Catalog) -> None:
    mid, after = catalog.as_of("2025-09-15"), catalog.as_of("2025-10-01")
    f35 = state_of(mid, "vmfa-f35")
    assert f35.possibly_present and not f35.certainly_present and not f35.certain
    assert mid.aircraft() == Quantity(0, 16, approximate=True)
    assert state_of(after, "vmfa-f35").certainly_present
    assert "vmfa-f35" not in {s.unit_id for s in catalog.as_of("2025-08-31").states}


def test_an_identified_group_is_not_counted(catalog: Catalog) -> None:
    snap = catalog.as_of("2025-10-20")
    assert "a-destroyer" not in {s.unit_id for s in snap.states}
    assert snap.vessels() == Quantity.exact(5)  # six if the group were counted beside Mahan
    assert snap.breakdown("category") == {
        "amphibious": Quantity.exact(2),
        "submarine": Quantity.exact(1),
        "surface combatant": Quantity.exact(2),
    }
    # What the wire said of the unnamed destroyer holds for Mahan; she was there already.
    mahan = state_of(snap, "mahan")
    assert (mahan.status, mahan.place, mahan.since) == (Status.PRESENT, "caribbean", PartialDate.day(2025, 10, 5))
    assert [e.kind for e in mahan.events if e.place] == [EventKind.ARRIVED, EventKind.REPORTED_PRESENT]
    # A new report is a change of the named vessel, never of the group.
    assert [(c.unit.id, c.kinds, c.date) for c in catalog.changes("2025-10-11", "2025-10-13")] == [
        ("mahan", ("updated",), PartialDate.day(2025, 10, 12))
    ]


def test_regions_count_places_within_them(catalog: Catalog) -> None:
    # Stockdale is at Roosevelt Roads, in Puerto Rico; the four reported only "in the Caribbean",
    # which holds Puerto Rico, may be there too.
    assert catalog.as_of("2025-10-20", "puerto-rico").vessels() == Quantity.between(1, 5)
    assert catalog.as_of("2025-10-20", "norfolk").vessels() == Quantity.exact(0)
    assert catalog.as_of("2025-10-20", "caribbean").breakdown("location") == {
        "caribbean": Quantity.exact(4),
        "roosevelt-roads": Quantity.exact(1),
    }
    # Bulkeley departed Norfolk for the Caribbean: en route, possibly arrived, never certainly.
    snap = catalog.as_of("2025-10-26", "caribbean")
    bulkeley = state_of(snap, "bulkeley")
    assert (bulkeley.status, bulkeley.place, bulkeley.places) == (Status.EN_ROUTE, "caribbean", ("caribbean",))
    assert snap.possibly_here(bulkeley) and not snap.certainly_here(bulkeley)
    assert bulkeley in snap.bound()


def test_personnel_takes_the_latest_figure_and_combines_disagreeing_figures(catalog: Catalog) -> None:
    early = {f.formation: f for f in catalog.as_of("2025-10-14").personnel()}
    assert set(early) == {"iwo-arg", "csg-12"}
    assert early["iwo-arg"].count == Quantity.exact(3500)  # the 2025-08 figure; 2025-10-15 is later
    late = {f.formation: f for f in catalog.as_of("2025-10-20").personnel()}
    arg = late["iwo-arg"]
    assert arg.count == Quantity.between(4500, 4700)  # tracker 4,500 and press 4,700 on 2025-10-15
    assert [f.count for f in arg.figures] == [Quantity.exact(4500), Quantity.exact(4700)]
    assert {c.source for f in arg.figures for c in f.citations} == {"tracker", "press"}
    # Before anything joined the strike group, it has no figure.
    assert {f.formation for f in catalog.as_of("2025-09-15").personnel()} == {"iwo-arg"}


def test_a_nested_formation_figure_is_not_double_counted(catalog: Catalog) -> None:
    snap = catalog.as_of("2025-10-20")
    chosen = {f.formation: f.count for f in snap.personnel()}
    assert chosen == {"csg-12": Quantity.exact(4000), "iwo-arg": Quantity.between(4500, 4700)}
    assert "desron-2" not in chosen  # its 300 are part of the strike group's 4,000
    # Each group has a ship that is not here (Ford, Bulkeley, Fort Lauderdale): no group is
    # certainly here as a whole, so their figures count in the high end only.
    assert snap.total_personnel() == Quantity.between(0, 8700)
    counted = {c.formation: (c.counted, c.within) for c in snap.formation_figures()}
    assert counted == {
        "csg-12": (Quantity.at_most(4000), None),
        "desron-2": (Quantity.at_most(300), "csg-12"),
        "iwo-arg": (Quantity.at_most(4700), None),
    }
    # Without the parent's figure, the squadron's own figure is the one counted.
    formations = dict(catalog.formations)
    formations["csg-12"] = attrs.evolve(formations["csg-12"], personnel=())
    without = attrs.evolve(catalog, formations=formations).as_of("2025-10-20")
    assert {f.formation: f.count for f in without.personnel()} == {
        "desron-2": Quantity.exact(300),
        "iwo-arg": Quantity.between(4500, 4700),
    }


def test_a_date_after_the_latest_source_gets_a_note(catalog: Catalog) -> None:
    assert catalog.latest_source_date == PartialDate.day(2025, 10, 27)
    assert catalog.as_of("2025-10-27").note is None
    late = catalog.as_of("2025-11-30")
    assert late.note is not None
    assert "no source is dated after 2025-10-27" in late.note
    assert "last known state" in late.note
    assert late.states == catalog.as_of("2025-10-27").states
    # A month means its last day: 2025-10 is 2025-10-31, after the latest source.
    assert catalog.as_of("2025-10").date == dt.date(2025, 10, 31)
    assert catalog.as_of("2025-10").note is not None


def test_check_claims_gives_every_verdict(catalog: Catalog) -> None:
    checks = {(c.claim.id, c.figure.what): c for c in check_claims(catalog)}
    assert set(checks) == {
        ("wire-total", "warships"),
        ("wire-total", "amphibious ships"),
        ("press-total", "warships"),
        ("press-personnel", "sailors and marines"),
    }
    agrees = checks["wire-total", "warships"]
    assert (agrees.verdict, agrees.catalog_count) == (Verdict.AGREES, Quantity.exact(5))
    amphibious = checks["wire-total", "amphibious ships"]
    assert (amphibious.verdict, amphibious.catalog_count) == (Verdict.AGREES, Quantity.exact(2))
    disagrees = checks["press-total", "warships"]
    assert (disagrees.verdict, disagrees.catalog_count) == (Verdict.DISAGREES, Quantity.exact(5))
    cannot = checks["press-personnel", "sailors and marines"]
    assert cannot.verdict is Verdict.CANNOT_TELL
    assert cannot.figure.count == Quantity.at_least(4001)
    # No formation is certainly here as a whole, and some vessels are in no formation with a
    # figure: the catalog's personnel range is 0 or more, which says nothing.
    assert cannot.catalog_count == Quantity.unknown()
    assert cannot.reason.startswith("the catalog's figures set no bound")
    # The two reports of the same scope and date that disagree list each other.
    claims = catalog.claims
    assert agrees.others == ((claims["press-total"], claims["press-total"].figures[0]),)
    assert disagrees.others == ((claims["wire-total"], claims["wire-total"].figures[0]),)
    assert amphibious.others == ()  # no other report counts amphibious ships
    assert cannot.others == ()


def test_an_open_ended_catalog_count_that_overlaps_is_compatible(catalog: Catalog) -> None:
    unknown = dict(catalog.unidentified)
    unknown["subs"] = attrs.evolve(unknown["subs"], count=Quantity.unknown())
    checks = check_claims(attrs.evolve(catalog, unidentified=unknown))
    warships = next(c for c in checks if c.claim.id == "wire-total" and c.figure.what == "warships")
    # 4 or more allows the reported 5, and more: the two can hold, but the catalog does not say 5.
    assert warships.verdict is Verdict.COMPATIBLE
    assert warships.catalog_count == Quantity.at_least(4)


def test_a_personnel_claim_about_one_formation_uses_that_formations_figure(catalog: Catalog) -> None:
    claim = Claim(
        "csg-crew",
        PartialDate.day(2025, 10, 20),
        "csg-12",
        (ClaimFigure("sailors", Quantity.exact(4000), "personnel"),),
        (Citation("press"),),
    )
    checks = check_claims(attrs.evolve(catalog, claims={"csg-crew": claim}))
    assert [(c.catalog_count, c.verdict) for c in checks] == [(Quantity.exact(4000), Verdict.AGREES)]
    assert "csg-12" in checks[0].reason
    # Before its figure (as of 2025-10-10) the strike group has none: the catalog cannot tell.
    early = attrs.evolve(claim, as_of=PartialDate.day(2025, 10, 5))
    (check,) = check_claims(attrs.evolve(catalog, claims={"csg-crew": early}))
    assert (check.catalog_count, check.verdict) == (None, Verdict.CANNOT_TELL)
    assert "no personnel figure for 'csg-12'" in check.reason


def test_a_personnel_claim_about_a_nested_formation_uses_its_own_figure(catalog: Catalog) -> None:
    claim = Claim(
        "desron-crew",
        PartialDate.day(2025, 10, 20),
        "desron-2",
        (ClaimFigure("sailors", Quantity.exact(300), "personnel"),),
        (Citation("press"),),
    )
    (check,) = check_claims(attrs.evolve(catalog, claims={"desron-crew": claim}))
    # desron-2 (inside csg-12) has its own figure of 300 as of 2025-10-10, from the tracker.
    assert (check.catalog_count, check.verdict) == (Quantity.exact(300), Verdict.AGREES)


def test_a_vessel_claim_about_one_formation_counts_its_nested_members(catalog: Catalog) -> None:
    claim = Claim(
        "csg-ships",
        PartialDate.day(2025, 10, 20),
        "csg-12",
        (ClaimFigure("ships", Quantity.exact(3), "vessels"),),
        (Citation("press"),),
    )
    checks = check_claims(attrs.evolve(catalog, claims={"csg-ships": claim}))
    # Of Ford, Bulkeley (desron-2) and Mahan (desron-2) only Mahan is present anywhere.
    assert [(c.catalog_count, c.verdict) for c in checks] == [(Quantity.exact(1), Verdict.DISAGREES)]


def test_changes_between_dates_are_dated_and_cited(catalog: Catalog) -> None:
    found = catalog.changes("2025-08-01", "2025-10-20")
    dates = [c.date.sort_key() for c in found if c.date is not None]
    assert len(dates) == len(found) and dates == sorted(dates)
    by_unit = {c.unit.id: c for c in found}
    assert by_unit["iwo-jima"].kinds == ("arrived",)
    assert by_unit["iwo-jima"].before is not None and by_unit["iwo-jima"].before.status is Status.ASSIGNED
    assert "a-destroyer" not in by_unit
    assert by_unit["vmfa-f35"].date == PartialDate.month(2025, 9)
    backwards = {c.unit.id: c.kinds for c in catalog.changes("2025-10-20", "2025-08-01")}
    assert backwards["iwo-jima"] == ("left",)


@PROPERTY_SETTINGS
@given(case=cases, days=st.lists(query_dates, min_size=2, max_size=8))
def test_snapshots_built_from_nearby_days_equal_fresh_ones(
    case: tuple[Catalog, str | None], days: list[dt.date]
) -> None:
    # Snapshots are built incrementally from the nearest day already computed; in any order of
    # asking, each must equal the snapshot of a catalog that never answered anything before.
    catalog, region = case
    for day in days:
        fresh = attrs.evolve(catalog)  # same entries, empty query cache
        assert snapshot(catalog, day, region).states == snapshot(fresh, day, region).states


@PROPERTY_SETTINGS
@given(case=cases, days=st.lists(query_dates, min_size=2, max_size=16), kept=st.integers(1, 3))
def test_snapshots_of_few_kept_days_equal_fresh_ones(
    case: tuple[Catalog, str | None], days: list[dt.date], kept: int
) -> None:
    # With room for only a few days, a new day is built from a kept one moved to it (not copied),
    # forward or backward, and days far from every kept one are looked up (replayed the first
    # time, swept after): each snapshot must still equal a fresh one.
    catalog, region = case
    room = _Timeline.KEPT
    _Timeline.KEPT = kept  # the class's (the slots leave no room for an instance's), restored below
    try:
        for day in days:
            fresh = attrs.evolve(catalog)
            assert snapshot(catalog, day, region).states == snapshot(fresh, day, region).states
    finally:
        _Timeline.KEPT = room


def _replayed_from_scratch(history: _History, day: dt.date, places: PlaceGraph) -> UnitState | None:
    """A unit's state on ``day`` by the definition: its events certainly before the day (and
    certainly the unit's), and those possibly before it, each replayed from the start (no
    prefixes, no sweeps)."""
    unit = history.unit
    if isinstance(unit, Vessel) and unit.commissioned is not None and day < unit.commissioned.start:
        return None
    certain, possible = (
        _Replay(unit, history.handovers, history.identified),
        _Replay(unit, history.handovers, history.identified),
    )
    used: list[int] = []
    for n, event in enumerate(history.events):
        if event.date.end <= day and id(event) not in history.maybe:
            certain.feed(event, places)
        if event.date.start <= day:
            possible.feed(event, places)
            used.append(n)
    spanning = any(history.events[n].date.end > day or id(history.events[n]) in history.maybe for n in used)
    events = tuple(history.events[n] for n in used)
    via = tuple(history.via[n] for n in used) if history.via else ()
    # Where dates leave the order open, every order (see the test of _orders below).
    sure = tuple(e for e in history.events if e.date.end <= day and id(e) not in history.maybe)
    others: tuple[_Replay, ...] = ()
    found = _orders(sure, unit, history.handovers, history.identified, places)
    if found:
        certain, others = found[0], found[1:]
    if spanning:
        found = _orders(events, unit, history.handovers, history.identified, places)
        if found:
            possible, others = found[0], others + found[1:]
        begun = [e for e in events if e.date.end > day]
        if 1 < len(begun) <= 4:  # and every set of those spanning the day, some begun, some not yet
            ended = tuple(e for e in events if e.date.end <= day)
            for size in range(1, len(begun)):
                for subset in itertools.combinations(begun, size):
                    others += history._readings(ended + subset, places)
    else:
        possible = certain
    return _state(unit, day, certain, possible, events, via, spanning or bool(others), others)


def test_a_departure_spanning_the_day_may_have_come_without_the_arrival_spanning_it() -> None:
    # At a; sailed from a and arrived at b, each some day in March; asked on Mar 15: at a (neither
    # yet), at b (both), or gone (sailed, not yet arrived): not certainly present anywhere.
    catalog = _seas(
        [
            _ev(1, "2025-01-01", EventKind.ARRIVED, ("v",), place="a"),
            _ev(2, "2025-03", EventKind.DEPARTED, ("v",), place="a"),
            _ev(3, "2025-03", EventKind.ARRIVED, ("v",), place="b"),
        ]
    )
    assert _count(catalog, "2025-03-15", "all") == (0, 1)
    assert _count(catalog, "2025-04-01", "b") == (1, 1)  # it sailed from a before it arrived at b


def _allowed(order: tuple[int, ...], sequence: tuple[Event, ...]) -> bool:
    """Whether the dates allow ``sequence`` (in replay order) in ``order``: an event goes before
    an earlier one only when it may have happened on an earlier day, and nothing goes after a
    decommissioning but what its dates put after it (or another decommissioning)."""
    for at, later in enumerate(order):
        for earlier in order[at + 1 :]:  # `later` is put before `earlier`
            if earlier < later and sequence[earlier].date.end <= sequence[later].date.start:
                return False
    for at, n in enumerate(order):
        if sequence[n].kind is EventKind.DECOMMISSIONED:
            for m in order[at + 1 :]:
                after = sequence[m]
                certainly_after = n < m and sequence[n].date.end <= after.date.start
                if after.kind is not EventKind.DECOMMISSIONED and not certainly_after:
                    return False
    return True


@settings(deadline=None)  # a catalog whose events all overlap tries many orders
@given(case=cases)
def test_the_orders_tried_are_every_order_the_dates_and_sources_allow(case: tuple[Catalog, str | None]) -> None:
    # By brute force over every permutation of a unit's events (up to six): the outcomes of the
    # orders allowed, in which no event has the unit leave a place it is not at.
    catalog, _ = case
    index = _index(catalog)
    for history in index.histories:
        sequence = history.events
        if len(sequence) > 6:
            continue
        outcomes: dict[tuple[object, ...], None] = {}
        in_order: tuple[object, ...] | None = None
        for order in itertools.permutations(range(len(sequence))):
            if not _allowed(order, sequence):
                continue
            reading = _Replay(history.unit, history.handovers, history.identified)
            for n in order:
                if reading.leaves_from_elsewhere(sequence[n], index.places):
                    break
                reading.feed(sequence[n], index.places)
            else:
                outcomes[reading.outcome()] = None
                if order == tuple(range(len(sequence))):
                    in_order = reading.outcome()
        found = _orders(sequence, history.unit, history.handovers, history.identified, index.places)
        if found is None:  # no order the sources allow
            assert not outcomes
        elif not found:  # one outcome, in replay order; or the dates allow replay order only
            assert len(outcomes) <= 1 and (in_order is not None or not outcomes)
        else:
            assert {reading.outcome() for reading in found} == set(outcomes)
            assert len(found) == len(outcomes)
            if in_order is not None:
                assert found[0].outcome() == in_order


@settings(deadline=None)  # a catalog whose events all overlap tries many orders
@given(case=cases, days=st.lists(query_dates, min_size=1, max_size=8))
def test_states_of_a_day_equal_states_replayed_from_scratch(
    case: tuple[Catalog, str | None], days: list[dt.date]
) -> None:
    catalog, _ = case
    index = _index(catalog)
    for day in days:
        for history in index.histories:
            assert history.state_at(day, index.places) == _replayed_from_scratch(history, day, index.places)


@settings(deadline=None)  # a catalog whose events all overlap tries many orders
@given(case=cases)
def test_states_of_a_sweep_equal_states_replayed_from_scratch(case: tuple[Catalog, str | None]) -> None:
    # A sweep works out every stretch of a unit's days in one pass: each state must be the one
    # its events give on the stretch's first day (and on the day before the first, none).
    catalog, _ = case
    index = _index(catalog)
    for history in index.histories:
        swept = history.sweep(index.places)
        assert len(swept) == len(history.breakpoints) + 1
        assert swept[0] is None
        for stretch, day in enumerate(history.breakpoints, 1):
            assert swept[stretch] == _replayed_from_scratch(history, day, index.places)


# =============================================================================================
# Properties of the presence rules (orbat.presence, orbat.places)


def _totals(snap: Snapshot) -> list[Quantity]:
    return [snap.vessels(), snap.aircraft(), *snap.breakdown("type").values(), *snap.breakdown("base").values()]


@PROPERTY_SETTINGS
@given(case=cases, day=query_dates, stale=st.none() | st.integers(0, 200))
def test_low_never_exceeds_high(case: tuple[Catalog, str | None], day: dt.date, stale: int | None) -> None:
    catalog, region = case
    snap = snapshot(catalog, day, region, stale_after=stale)
    for quantity in _totals(snap):
        assert quantity.high is None or quantity.low <= quantity.high
    for state in snap.states:
        assert not snap.certainly_here(state) or snap.possibly_here(state), state.unit_id


def _with_event(catalog: Catalog, event: Event) -> Catalog:
    return attrs.evolve(catalog, events=tuple(sorted((*catalog.events, event), key=_event_order)))


@PROPERTY_SETTINGS
@given(case=cases, data=st.data())
def test_an_order_or_expectation_never_lowers_a_high_end_nor_raises_a_low_end(
    case: tuple[Catalog, str | None], data: st.DataObject
) -> None:
    catalog, region = case
    day = data.draw(query_dates, label="day")
    # Most often a unit present on the day, ordered away before it: the case that moves totals.
    present = sorted(s.unit_id for s in snapshot(catalog, day, region).present() if isinstance(s.unit, Vessel))
    unit = data.draw(st.sampled_from(present or sorted(catalog.vessels)), label="unit")
    kind = data.draw(st.sampled_from((EventKind.ORDERED, EventKind.EXPECTED)), label="kind")
    place = data.draw(st.sampled_from(sorted(catalog.places)), label="place")
    date = data.draw(partial_dates() | st.dates(YEAR_START, max(day, YEAR_START)).map(PartialDate.of), label="date")
    window = data.draw(st.none() | partial_dates(), label="arrival")
    arrival = window if window is not None and window.end >= date.start else None
    added = _with_event(catalog, Event("added", date, kind, (unit,), CITE, place=place, arrival=arrival))
    before, after = snapshot(catalog, day, region), snapshot(added, day, region)
    old, new = before.vessels(), after.vessels()
    assert new.low <= old.low
    assert new.high is None or (old.high is not None and new.high >= old.high)


def _at_most_sum(whole: Quantity, a: Quantity, b: Quantity) -> bool:
    return a.high is None or b.high is None or (whole.high is not None and whole.high <= a.high + b.high)


@PROPERTY_SETTINGS
@given(catalog=catalogs(), data=st.data())
def test_a_region_of_two_places_lies_between_the_larger_and_the_sum_and_is_a_place_holding_both(
    catalog: Catalog, data: st.DataObject
) -> None:
    if len(catalog.places) < 2:
        return
    a, b = data.draw(st.lists(st.sampled_from(sorted(catalog.places)), min_size=2, max_size=2, unique=True))
    day = data.draw(query_dates, label="day")
    # A probe vessel reported at any place, often one holding a or b.
    probe_place = data.draw(st.sampled_from(sorted(catalog.places)), label="probe place")
    probe_day = data.draw(st.dates(YEAR_START, YEAR_END).map(PartialDate.of), label="probe day")
    report = Event("probe", probe_day, EventKind.REPORTED_PRESENT, ("probe",), CITE, place=probe_place)
    catalog = _with_event(
        attrs.evolve(catalog, vessels={**catalog.vessels, "probe": Vessel("probe", "Probe", "DDG", "US")}), report
    )
    count_a, count_b = snapshot(catalog, day, a).vessels(), snapshot(catalog, day, b).vessels()
    both = snapshot(catalog, day, f"{a},{b}").vessels()
    assert both.low >= max(count_a.low, count_b.low)
    assert both.high is None or max(h for h in (count_a.high, count_b.high, 0) if h is not None) <= both.high
    assert _at_most_sum(both, count_a, count_b)
    # A new place holding exactly a and b counts the same.
    holder = Place("holder", "Holder", "region")
    places = {
        **catalog.places,
        a: attrs.evolve(catalog.places[a], within=(*catalog.places[a].within, "holder")),
        b: attrs.evolve(catalog.places[b], within=(*catalog.places[b].within, "holder")),
        "holder": holder,
    }
    held = attrs.evolve(catalog, places=places)
    assert snapshot(held, day, "holder").vessels() == snapshot(held, day, [a, b]).vessels()


@PROPERTY_SETTINGS
@given(case=cases, data=st.data())
def test_a_later_confirming_report_never_lowers_a_low_end(
    case: tuple[Catalog, str | None], data: st.DataObject
) -> None:
    catalog, region = case
    stale = data.draw(st.none() | st.integers(0, 120), label="stale_after")
    last = max((e.date.end for e in catalog.events), default=YEAR_START)
    report_day = data.draw(st.dates(last, YEAR_END + dt.timedelta(days=30)), label="report day")
    states = [
        s
        for s in snapshot(catalog, report_day, region).states
        if s.certainly_present and len(s.places) == 1 and isinstance(s.unit, Vessel)
    ]
    if not states:
        return
    state = data.draw(st.sampled_from(states), label="state")
    when, kind = PartialDate.of(report_day), EventKind.REPORTED_PRESENT
    report = Event("confirm", when, kind, (state.unit_id,), CITE, place=state.places[0])
    confirmed = _with_event(catalog, report)
    day = data.draw(st.dates(report_day, report_day + dt.timedelta(days=200)), label="day")
    before = snapshot(catalog, day, region, stale_after=stale).vessels()
    after = snapshot(confirmed, day, region, stale_after=stale).vessels()
    assert after.low >= before.low


# =============================================================================================
# Small catalogs of three seas (a, b, c: none within another) and vessels v, w, y


def _seas(events: list[Event], places: dict[str, Place] | None = None) -> Catalog:
    sources = {
        s: Source(s, f"Source {s}", "A publisher", PartialDate.day(2025, 12, 31)) for s in (SOURCE_ID, "s2", "s3")
    }
    return attrs.evolve(
        REFERENCE,
        places=places or {p: Place(p, p.upper(), "sea") for p in ("a", "b", "c")},
        sources=sources,
        vessels={u: Vessel(id=u, name=f"USS {u.upper()}", type="DDG", navy="US") for u in ("v", "w", "y")},
        events=tuple(sorted(events, key=_event_order)),
    )


def _ev(
    number: int, date: str, kind: EventKind, units: tuple[str, ...], source: str = SOURCE_ID, **fields: object
) -> Event:
    return Event(f"e{number}", parse_date(date), kind, units, (Citation(source),), **fields)  # type: ignore[arg-type]


def _count(catalog: Catalog, day: str, region: str) -> tuple[int, int | None]:
    found = catalog.as_of(day, region).vessels()
    return (found.low, found.high)


def _kinds(catalog: Catalog, start: str, end: str, region: str) -> dict[str, tuple[str, ...]]:
    return {change.unit.id: change.kinds for change in catalog.changes(start, end, region)}


def test_a_unit_that_took_over_once_takes_over_again_where_the_second_unit_was() -> None:
    catalog = _seas(
        [
            _ev(1, "2025-03-01", EventKind.ARRIVED, ("v",), place="a"),
            _ev(2, "2025-03-02", EventKind.ARRIVED, ("y",), place="b"),
            _ev(3, "2025-03-05", EventKind.RELIEVED, ("w",), relieves="v"),
            _ev(4, "2025-04-05", EventKind.RELIEVED, ("w",), relieves="y"),
        ]
    )
    assert state_of(catalog.as_of("2025-03-06", "all"), "w").places == ("a",)
    assert state_of(catalog.as_of("2025-04-10", "all"), "w").places == ("b",)
    assert _count(catalog, "2025-04-10", "b") == (0, 1)


def test_a_relief_at_no_place_on_the_first_day_of_the_calendar_has_no_day_before() -> None:
    catalog = _seas(
        [
            _ev(1, "0001-01-01", EventKind.ARRIVED, ("v",), place="a"),
            _ev(2, "0001-01-01", EventKind.RELIEVED, ("w",), relieves="v"),
        ]
    )
    assert state_of(catalog.as_of("0001-01-02", "all"), "w").places == ("a",)


def test_a_relief_over_a_span_takes_over_wherever_the_relieved_unit_may_have_been_in_it() -> None:
    # V moves from a to b on Mar 10; W relieved it some day from Mar 1 to Mar 20: at a or at b.
    moved = _seas(
        [
            _ev(1, "2025-02-01", EventKind.ARRIVED, ("v",), place="a"),
            _ev(2, "2025-03-10", EventKind.ARRIVED, ("v",), place="b"),
            _ev(3, "2025-03-01/2025-03-20", EventKind.RELIEVED, ("w",), relieves="v"),
        ]
    )
    assert state_of(moved.as_of("2025-03-25", "all"), "w").places == ("a", "b")
    # V ordered to b, arriving Mar 10 to 15: by the end of the span it may have been there.
    ordered = _seas(
        [
            _ev(1, "2025-03-01", EventKind.ARRIVED, ("v",), place="a"),
            _ev(2, "2025-03-02", EventKind.ORDERED, ("v",), place="b", arrival=parse_date("2025-03-10/2025-03-15")),
            _ev(3, "2025-03-01/2025-03-20", EventKind.RELIEVED, ("w",), relieves="v"),
        ]
    )
    assert state_of(ordered.as_of("2025-03-25", "all"), "w").places == ("a", "b")


def test_a_relief_at_no_known_place_leaves_a_heading_unit_heading() -> None:
    # Nothing says where V was, so the relief says nothing of where W went: still ordered to b.
    catalog = _seas(
        [
            _ev(1, "2025-02-01", EventKind.ORDERED, ("w",), place="b"),
            _ev(2, "2025-03-05", EventKind.RELIEVED, ("w",), relieves="v"),
        ]
    )
    w = state_of(catalog.as_of("2025-03-06", "all"), "w")
    assert (w.status, w.place, w.places) == (Status.ORDERED, "b", ("b",))
    assert _count(catalog, "2025-03-06", "b") == (0, 1)


def test_relieves_means_nothing_on_other_kinds_of_event() -> None:
    catalog = _seas(
        [
            _ev(1, "2025-02-01", EventKind.ARRIVED, ("v",), place="a"),
            _ev(2, "2025-03-05", EventKind.ARRIVED, ("w",), place="a", relieves="v"),
        ]
    )
    snap = catalog.as_of("2025-03-06", "all")
    assert state_of(snap, "v").status is Status.PRESENT
    assert [e.id for e in state_of(snap, "v").events] == ["e1"]
    assert _count(catalog, "2025-03-06", "a") == (2, 2)


def test_a_formation_wide_relief_of_one_of_its_members_is_one_event_of_that_member() -> None:
    catalog = attrs.evolve(
        _seas(
            [
                _ev(1, "2025-02-01", EventKind.JOINED, ("v", "w"), formation="f"),
                _ev(2, "2025-02-02", EventKind.ARRIVED, ("v",), place="a"),
                _ev(3, "2025-03-05", EventKind.RELIEVED, (), formation="f", relieves="v", place="a"),
            ]
        ),
        formations={"f": Formation("f", "F", "squadron", None)},
    )
    v = state_of(catalog.as_of("2025-03-06", "all"), "v")
    assert v.status is Status.RELIEVED
    assert [e.id for e in v.events] == ["e1", "e2", "e3"]


def test_reports_of_a_place_and_a_place_within_it_are_no_dispute() -> None:
    places = {"car": Place("car", "Caribbean", "sea"), "pr": Place("pr", "Puerto Rico", "territory", ("car",))}
    catalog = _seas(
        [
            _ev(1, "2025-03-05", EventKind.REPORTED_PRESENT, ("v",), place="car"),
            _ev(2, "2025-03-05", EventKind.REPORTED_PRESENT, ("v",), "s2", place="pr"),
        ],
        places,
    )
    v = state_of(catalog.as_of("2025-03-06", "all"), "v")
    assert (v.place, v.places, v.disputed, v.certain, v.status_text) == ("pr", ("pr",), False, True, "present")
    assert _count(catalog, "2025-03-06", "pr") == (1, 1)


def test_a_dispute_of_where_a_unit_was_ends_when_it_is_placed_anew() -> None:
    catalog = _seas(
        [
            _ev(1, "2025-03-05", EventKind.REPORTED_PRESENT, ("v",), place="a"),
            _ev(2, "2025-03-05", EventKind.REPORTED_PRESENT, ("v",), "s2", place="b"),
            _ev(3, "2025-06-01", EventKind.ARRIVED, ("v",), place="c"),
            _ev(4, "2025-07-01", EventKind.DEPARTED, ("v",), place="c"),
        ]
    )
    disputed = state_of(catalog.as_of("2025-03-06", "all"), "v")
    assert (disputed.places, disputed.disputed) == (("b", "a"), True)
    placed = state_of(catalog.as_of("2025-06-06", "all"), "v")
    assert (placed.places, placed.disputed, placed.certain, placed.status_text) == (("c",), False, True, "present")
    left = state_of(catalog.as_of("2025-07-06", "all"), "v")
    assert (left.status_text, left.disputed) == ("departed", False)


def test_change_kinds_say_what_changed() -> None:
    catalog = _seas(
        [
            _ev(1, "2025-01-01", EventKind.ARRIVED, ("y",), place="a"),
            _ev(2, "2025-03-01", EventKind.ORDERED, ("v",), place="a"),
            _ev(3, "2025-04-01", EventKind.DECOMMISSIONED, ("v",)),
            _ev(4, "2025-03-01", EventKind.ORDERED, ("w",), place="b"),
            _ev(5, "2025-04-01", EventKind.ORDERED, ("w",), place="c"),
            _ev(6, "2025-05-01", EventKind.RELIEVED, ("w",), relieves="y"),
        ]
    )
    # Decommissioned while bound for a: not "reported elsewhere" (it is nowhere now).
    assert _kinds(catalog, "2025-03-10", "2025-04-10", "a")["v"] == ("decommissioned",)
    # Ordered on to c: a new order, not a move.
    assert _kinds(catalog, "2025-03-10", "2025-04-10", "c")["w"] == ("ordered",)
    # Took over from Y, in a, where no source puts it: possibly arrived (Y relieved, left).
    assert _kinds(catalog, "2025-04-10", "2025-05-10", "a") == {"w": ("possibly arrived",), "y": ("left", "relieved")}


def test_relieving_a_group_of_unnamed_vessels_relieves_the_vessels_it_was_identified_as() -> None:
    group = UnidentifiedVessels("g", "DDG", Quantity.exact(1), "US", identified_as=("v",), citations=CITE)
    catalog = attrs.evolve(
        _seas(
            [
                _ev(1, "2025-03-01", EventKind.ARRIVED, ("g",), place="a"),
                _ev(2, "2025-03-05", EventKind.RELIEVED, ("w",), relieves="g", place="a"),
            ]
        ),
        unidentified={"g": group},
    )
    assert _count(catalog, "2025-03-04", "a") == (1, 1)
    snap = catalog.as_of("2025-03-06", "a")
    assert state_of(snap, "v").status is Status.RELIEVED
    assert (state_of(snap, "w").status, state_of(snap, "w").place) == (Status.PRESENT, "a")
    assert _count(catalog, "2025-03-06", "a") == (1, 1)


def _count_stale(catalog: Catalog, day: str) -> tuple[int, int | None]:
    found = catalog.as_of(day, "a", stale_after=30).vessels()
    return (found.low, found.high)


def test_a_last_report_going_stale_is_a_change_of_what_is_certain() -> None:
    catalog = _seas(
        [
            _ev(1, "2025-03-01", EventKind.ARRIVED, ("v",), place="a"),
            _ev(2, "2025-03-01", EventKind.ARRIVED, ("w",), place="b"),  # outside the region: no change
        ]
    )
    assert _count(catalog, "2025-03-10", "a") == (1, 1)
    assert _count_stale(catalog, "2025-05-10") == (0, 1)
    (gone,) = catalog.changes("2025-03-10", "2025-05-10", "a", stale_after=30)
    assert (gone.unit.id, gone.kinds, gone.date) == ("v", ("now stale",), PartialDate.day(2025, 4, 1))
    assert [e.id for e in gone.events] == ["e1"]  # the report gone stale
    assert gone.before is gone.after
    (back,) = catalog.changes("2025-05-10", "2025-03-10", "a", stale_after=30)
    assert (back.kinds, back.date) == (("no longer stale",), PartialDate.day(2025, 4, 1))
    assert catalog.changes("2025-03-10", "2025-05-10", "a") == ()
    assert catalog.changes("2025-03-10", "2025-03-31", "a", stale_after=30) == ()  # 30 days old: not yet


def test_a_dispute_stands_when_a_third_report_of_the_same_time_agrees_with_one_side() -> None:
    places = {"a": Place("a", "A", "sea"), "b": Place("b", "B", "sea"), "bb": Place("bb", "BB", "port", ("b",))}
    catalog = _seas(
        [
            _ev(1, "2025-03-05", EventKind.REPORTED_PRESENT, ("v",), place="a"),
            _ev(2, "2025-03-05", EventKind.REPORTED_PRESENT, ("v",), "s2", place="b"),
            _ev(3, "2025-03-05", EventKind.REPORTED_PRESENT, ("v",), "s3", place="bb"),
        ],
        places,
    )
    v = state_of(catalog.as_of("2025-03-06", "all"), "v")
    assert (v.places, v.disputed, v.certain) == (("bb", "a"), True, False)
    assert _count(catalog, "2025-03-06", "a") == (0, 1)


def test_a_relief_waits_for_the_takeover_of_the_unit_it_relieves_whatever_their_order() -> None:
    # V took over from Y (at a) some day up to Mar 26, after W's relief of V on Mar 25 in replay
    # order: W may still be where Y was.
    catalog = _seas(
        [
            _ev(1, "2025-02-01", EventKind.ARRIVED, ("y",), place="a"),
            _ev(2, "2025-03-01/2025-03-26", EventKind.RELIEVED, ("v",), relieves="y"),
            _ev(3, "2025-03-25", EventKind.RELIEVED, ("w",), relieves="v"),
            _ev(4, "2025-04-01", EventKind.ARRIVED, ("v",), place="b"),
        ]
    )
    assert state_of(catalog.as_of("2025-04-05", "all"), "w").places == ("a",)
    assert _count(catalog, "2025-04-05", "a") == (0, 1)


def test_a_formation_wide_relief_at_no_place_puts_the_other_members_where_the_relieved_one_was() -> None:
    catalog = _with_formation(
        [
            _ev(1, "2025-02-01", EventKind.JOINED, ("v", "w"), formation="f"),
            _ev(2, "2025-02-02", EventKind.ARRIVED, ("v",), place="a"),
            _ev(3, "2025-03-05", EventKind.RELIEVED, (), formation="f", relieves="v"),
        ]
    )
    snap = catalog.as_of("2025-03-06", "all")
    assert (state_of(snap, "w").places, state_of(snap, "v").status) == (("a",), Status.RELIEVED)
    assert _count(catalog, "2025-03-06", "a") == (0, 1)


def test_taking_over_at_two_places_in_uncertain_order_is_uncertain() -> None:
    catalog = _seas(
        [
            _ev(1, "2025-02-01", EventKind.ARRIVED, ("v",), place="a"),
            _ev(2, "2025-02-01", EventKind.ARRIVED, ("y",), place="b"),
            _ev(3, "2025-03-05", EventKind.RELIEVED, ("w",), relieves="v"),
            _ev(4, "2025-04", EventKind.RELIEVED, ("w",), relieves="y"),
        ]
    )
    w = state_of(catalog.as_of("2025-04-10", "all"), "w")
    assert (w.places, w.certain) == (("a", "b"), False)


def test_a_unit_only_possibly_in_the_region_that_departs_has_left() -> None:
    catalog = _seas(
        [
            _ev(1, "2025-02-01", EventKind.ARRIVED, ("v",), place="b"),
            _ev(2, "2025-03-01", EventKind.ORDERED, ("v",), place="a"),
            _ev(3, "2025-04-01", EventKind.DEPARTED, ("v",), place="a"),
        ]
    )
    assert (_count(catalog, "2025-03-10", "a"), _count(catalog, "2025-04-10", "a")) == ((0, 1), (0, 0))
    assert _kinds(catalog, "2025-03-10", "2025-04-10", "a") == {"v": ("left",)}


def _with_formation(events: list[Event]) -> Catalog:
    return attrs.evolve(_seas(events), formations={"f": Formation("f", "F", "squadron", None)})


def test_a_unit_that_may_have_joined_after_a_formation_wide_arrival_is_only_possibly_there() -> None:
    catalog = _with_formation(
        [
            _ev(1, "2025-03", EventKind.JOINED, ("v",), formation="f"),
            _ev(2, "2025-03-10", EventKind.ARRIVED, (), formation="f", place="a"),
        ]
    )
    assert _count(catalog, "2025-04-15", "a") == (0, 1)
    state = state_of(catalog.as_of("2025-04-15", "all"), "v")
    assert (state.status, state.status_text, state.places, state.certain) == (
        Status.PRESENT,
        "possibly present",
        ("a",),
        False,
    )
    assert state.formation == "f"
    # The arrival is cited with the membership it relied on.
    assert [e.id for e in state.events] == ["e2", "e1"]
    assert [m.id if m else None for m in state.via] == ["e1", None]


def test_a_unit_that_may_have_left_before_a_formation_wide_arrival_is_possibly_there() -> None:
    catalog = _with_formation(
        [
            _ev(1, "2025-01-01", EventKind.JOINED, ("v",), formation="f"),
            _ev(2, "2025-03", EventKind.DETACHED, ("v",), formation="f"),
            _ev(3, "2025-03-10", EventKind.ARRIVED, (), formation="f", place="a"),
        ]
    )
    assert _count(catalog, "2025-04-15", "a") == (0, 1)
    assert state_of(catalog.as_of("2025-04-15", "all"), "v").status_text == "possibly present"


def test_a_unit_that_may_have_moved_to_another_formation_before_a_formation_wide_arrival_is_possibly_there() -> None:
    catalog = attrs.evolve(
        _with_formation(
            [
                _ev(1, "2025-01-01", EventKind.JOINED, ("v",), formation="f"),
                _ev(2, "2025-03", EventKind.JOINED, ("v",), formation="g"),
                _ev(3, "2025-03-10", EventKind.ARRIVED, (), formation="f", place="a"),
            ]
        ),
        formations={"f": Formation("f", "F", "squadron", None), "g": Formation("g", "G", "squadron", None)},
    )
    assert _count(catalog, "2025-04-15", "a") == (0, 1)
    state = state_of(catalog.as_of("2025-04-15", "all"), "v")
    assert (state.formation, state.status_text) == ("g", "possibly present")


def test_a_membership_certainly_before_a_formation_wide_event_makes_it_certain() -> None:
    # Joined "in February", or on the day of the arrival: certainly a member when the group arrived.
    for joined in ("2025-02", "2025-03-10"):
        catalog = _with_formation(
            [
                _ev(1, joined, EventKind.JOINED, ("v",), formation="f"),
                _ev(2, "2025-03-10", EventKind.ARRIVED, (), formation="f", place="a"),
            ]
        )
        assert _count(catalog, "2025-04-15", "a") == (1, 1), joined
        state = state_of(catalog.as_of("2025-04-15", "all"), "v")
        assert (state.status_text, state.certain) == ("present", True)
    # Left "in February" (or on the day before): certainly not reached.
    for left in ("2025-02", "2025-03-09"):
        catalog = _with_formation(
            [
                _ev(1, "2025-01-01", EventKind.JOINED, ("v",), formation="f"),
                _ev(2, left, EventKind.DETACHED, ("v",), formation="f"),
                _ev(3, "2025-03-10", EventKind.ARRIVED, (), formation="f", place="a"),
            ]
        )
        assert _count(catalog, "2025-04-15", "a") == (0, 0), left


def test_a_unit_certainly_within_a_formation_throughout_is_certainly_reached_whatever_its_moves() -> None:
    # Each: V was certainly within F when F arrived at a on Mar 10, whatever the day of the move
    # "in March": a move to a squadron within F, a second source's report of the same joining, a
    # move between two squadrons within F. The membership cited is the one that makes it certain.
    squadrons = {
        "f": Formation("f", "F", "group", None),
        "g": Formation("g", "G", "squadron", "f"),
        "h": Formation("h", "H", "squadron", "f"),
    }
    for first, then in (("f", "g"), ("f", "f"), ("g", "h")):
        catalog = attrs.evolve(
            _seas(
                [
                    _ev(1, "2025-01-01", EventKind.JOINED, ("v",), formation=first),
                    _ev(2, "2025-03", EventKind.JOINED, ("v",), "s2", formation=then),
                    _ev(3, "2025-03-10", EventKind.ARRIVED, (), formation="f", place="a"),
                ]
            ),
            formations=squadrons,
        )
        assert _count(catalog, "2025-04-10", "a") == (1, 1), (first, then)
        state = state_of(catalog.as_of("2025-04-10", "all"), "v")
        assert (state.status_text, state.formation) == ("present", then)
        relied_on = state.via[[e.id for e in state.events].index("e3")]
        assert relied_on is not None and relied_on.id == "e1"


def test_a_group_certainly_reached_reaches_the_vessel_it_was_identified_as_certainly() -> None:
    # The unnamed destroyer certainly joined F on Jan 1 and was identified as V; V's own joining
    # is dated "in March": F's arrival of Mar 10 certainly reached it, as the group.
    base = _with_formation(
        [
            _ev(1, "2025-01-01", EventKind.JOINED, ("g",), formation="f"),
            _ev(2, "2025-03", EventKind.JOINED, ("v",), formation="f"),
            _ev(3, "2025-03-10", EventKind.ARRIVED, (), formation="f", place="a"),
        ]
    )
    group = UnidentifiedVessels("g", "DDG", Quantity.exact(1), "US", identified_as=("v",), citations=CITE)
    catalog = attrs.evolve(base, unidentified={"g": group})
    assert _count(catalog, "2025-04-15", "a") == (1, 1)


def test_a_formation_wide_arrival_of_uncertain_date_reaches_a_unit_that_joined_in_its_span_possibly() -> None:
    # The group arrived some day from Mar 1 to Mar 31; V joined it on Mar 15: it may have
    # joined after the arrival (the group arrived without it), so only possibly at a, for good.
    catalog = _with_formation(
        [
            _ev(1, "2025-03-15", EventKind.JOINED, ("v",), formation="f"),
            _ev(2, "2025-03-01/2025-03-31", EventKind.ARRIVED, (), formation="f", place="a"),
        ]
    )
    assert _count(catalog, "2025-03-20", "a") == (0, 1)
    assert _count(catalog, "2025-06-01", "a") == (0, 1)


def test_a_units_own_report_settles_what_a_formation_wide_event_only_may_have_said() -> None:
    catalog = _with_formation(
        [
            _ev(1, "2025-03", EventKind.JOINED, ("v",), formation="f"),
            _ev(2, "2025-03-10", EventKind.ARRIVED, (), formation="f", place="a"),
            _ev(3, "2025-04-20", EventKind.REPORTED_PRESENT, ("v",), place="a"),
            _ev(4, "2025-05-01", EventKind.ARRIVED, ("w",), place="b"),
        ]
    )
    assert _count(catalog, "2025-04-15", "a") == (0, 1)
    assert _count(catalog, "2025-04-25", "a") == (1, 1)
    # Placed elsewhere by its own report, it is certainly at b, and no longer possibly at a.
    moved = _with_formation(
        [
            _ev(1, "2025-03", EventKind.JOINED, ("v",), formation="f"),
            _ev(2, "2025-03-10", EventKind.ARRIVED, (), formation="f", place="a"),
            _ev(3, "2025-04-20", EventKind.ARRIVED, ("v",), place="b"),
        ]
    )
    assert _count(moved, "2025-04-25", "a") == (0, 0)
    assert _count(moved, "2025-04-25", "b") == (1, 1)


def test_a_unit_placed_by_its_own_report_may_yet_have_gone_with_its_formation() -> None:
    # V is at b by its own report; it may have joined F before the group's arrival at a on Mar
    # 10: it is certainly at one of the two, and possibly at each.
    catalog = _with_formation(
        [
            _ev(1, "2025-02-01", EventKind.ARRIVED, ("v",), place="b"),
            _ev(2, "2025-03", EventKind.JOINED, ("v",), formation="f"),
            _ev(3, "2025-03-10", EventKind.ARRIVED, (), formation="f", place="a"),
        ]
    )
    state = state_of(catalog.as_of("2025-04-15", "all"), "v")
    assert (set(state.places), state.certainly_present, state.certain) == ({"a", "b"}, True, False)
    assert _count(catalog, "2025-04-15", "a") == (0, 1)
    assert _count(catalog, "2025-04-15", "b") == (0, 1)
    assert _count(catalog, "2025-04-15", "all") == (1, 1)


_FORMATION_LIMIT = "a unit's own formation is read one way"


@pytest.mark.xfail(strict=True, raises=AssertionError, reason=_FORMATION_LIMIT)
def test_a_membership_that_may_have_ended_before_it_began_is_uncertain() -> None:
    # Known limit (docs/catalog-format.md): joined "in March", left on March 20; it may have
    # joined first and left after, so on Apr 15 it is only possibly in the formation.
    catalog = _with_formation(
        [
            _ev(1, "2025-03-01", EventKind.ARRIVED, ("v",), place="a"),
            _ev(2, "2025-03", EventKind.JOINED, ("v",), formation="f"),
            _ev(3, "2025-03-20", EventKind.DETACHED, ("v",), formation="f"),
        ]
    )
    parts = catalog.as_of("2025-04-15", "a").breakdown("formation")
    assert (parts["f"].low, parts["f"].high) == (0, 1)


@pytest.mark.xfail(strict=True, raises=AssertionError, reason=_FORMATION_LIMIT)
def test_a_membership_of_uncertain_date_is_uncertain_while_it_may_not_have_begun() -> None:
    # Known limit: joined "in March", asked on March 15: only possibly in the formation yet.
    catalog = _with_formation(
        [
            _ev(1, "2025-03-01", EventKind.ARRIVED, ("v",), place="a"),
            _ev(2, "2025-03", EventKind.JOINED, ("v",), formation="f"),
        ]
    )
    parts = catalog.as_of("2025-03-15", "a").breakdown("formation")
    assert (parts["f"].low, parts["f"].high) == (0, 1)


def test_two_reports_in_one_month_from_one_source_leave_either_place_possible() -> None:
    first = _ev(1, "2025-01", EventKind.ARRIVED, ("v",), place="a")
    second = _ev(2, "2025-01", EventKind.ARRIVED, ("v",), place="b")
    for listed in ((first, second), (second, first)):
        catalog = attrs.evolve(_seas([]), events=listed)
        assert _count(catalog, "2025-02-01", "a") == (0, 1)
        assert _count(catalog, "2025-02-01", "b") == (0, 1)
        assert _count(catalog, "2025-02-01", "all") == (1, 1)
        state = state_of(catalog.as_of("2025-02-01", "all"), "v")
        assert (set(state.places), state.certainly_present, state.disputed) == ({"a", "b"}, True, False)
        assert state.status_text == "present (uncertain)"  # one source: not a disagreement


def test_a_report_in_a_month_may_predate_a_departure_within_it() -> None:
    catalog = _seas(
        [
            _ev(1, "2025-03", EventKind.REPORTED_PRESENT, ("v",), place="a"),
            _ev(2, "2025-03-20", EventKind.DEPARTED, ("v",), place="a"),
        ]
    )
    assert _count(catalog, "2025-04-01", "a") == (0, 1)
    state = state_of(catalog.as_of("2025-04-01", "all"), "v")
    assert (state.status_text, state.places, state.certain) == ("possibly present", ("a",), False)
    # Placed again after both, it is certainly there.
    placed = _seas(
        [
            _ev(1, "2025-03", EventKind.REPORTED_PRESENT, ("v",), place="a"),
            _ev(2, "2025-03-20", EventKind.DEPARTED, ("v",), place="a"),
            _ev(3, "2025-04-05", EventKind.ARRIVED, ("v",), place="b"),
        ]
    )
    assert _count(placed, "2025-04-10", "b") == (1, 1)
    assert _count(placed, "2025-04-10", "a") == (0, 0)


def test_events_of_one_day_keep_the_order_they_are_listed_in() -> None:
    catalog = _seas(
        [
            _ev(1, "2025-03-01", EventKind.ARRIVED, ("v",), place="a"),
            _ev(2, "2025-03-01", EventKind.ARRIVED, ("v",), place="b"),
        ]
    )
    assert _count(catalog, "2025-03-02", "b") == (1, 1)
    assert _count(catalog, "2025-03-02", "a") == (0, 0)


def test_no_order_has_a_unit_leave_a_place_it_is_not_at() -> None:
    # Sailed from c "Aug 18-20" for b; arrived at b "Aug 18 to Nov 4": the dates allow the
    # arrival first, but then it would have sailed from c while at b. Certainly at b.
    sailed = _seas(
        [
            _ev(1, "2025-08-18/2025-08-20", EventKind.DEPARTED, ("v",), place="c", to="b"),
            _ev(2, "2025-08-18/2025-11-04", EventKind.ARRIVED, ("v",), place="b"),
        ]
    )
    assert _count(sailed, "2025-12-01", "b") == (1, 1)
    assert state_of(sailed.as_of("2025-12-01", "all"), "v").status_text == "present"
    # Relieved at b by W "Sep 21-23", having arrived there by then: not arrived after its relief.
    relieved = _seas(
        [
            _ev(1, "2025-08-18", EventKind.REPORTED_PRESENT, ("v",), place="c"),
            _ev(2, "2025-08-18/2025-09-23", EventKind.ARRIVED, ("v",), place="b"),
            _ev(3, "2025-09-21/2025-09-23", EventKind.RELIEVED, ("w",), place="b", relieves="v"),
        ]
    )
    assert state_of(relieved.as_of("2025-10-01", "all"), "v").status_text == "relieved"
    assert _count(relieved, "2025-10-01", "b") == (1, 1)  # W


def test_an_event_that_may_have_come_first_is_tried_first() -> None:
    # Arrived at a "in March"; arrived at b on Mar 10 and sailed from b on Mar 20: the arrival at
    # a may have come before both (then it sailed on), or after (then it is there).
    catalog = _seas(
        [
            _ev(1, "2025-03", EventKind.ARRIVED, ("v",), place="a"),
            _ev(2, "2025-03-10", EventKind.ARRIVED, ("v",), place="b"),
            _ev(3, "2025-03-20", EventKind.DEPARTED, ("v",), place="b"),
        ]
    )
    assert _count(catalog, "2025-04-01", "a") == (0, 1)
    assert state_of(catalog.as_of("2025-04-01", "all"), "v").status_text == "possibly present"


def test_events_spanning_the_day_are_tried_in_every_order() -> None:
    # Two reports "in January", asked on Jan 15: either, both or neither may have come by then.
    catalog = _seas(
        [
            _ev(1, "2025-01", EventKind.ARRIVED, ("v",), place="a"),
            _ev(2, "2025-01", EventKind.ARRIVED, ("v",), place="b"),
        ]
    )
    assert (_count(catalog, "2025-01-15", "a"), _count(catalog, "2025-01-15", "b")) == ((0, 1), (0, 1))


def test_replay_order_stands_only_where_the_sources_allow_it() -> None:
    # At a; sailed from a for b "in March"; arrived at b on Mar 10. Replayed by last day, the
    # sailing comes after the arrival, from a place it had left: the sailing came first.
    catalog = _seas(
        [
            _ev(1, "2025-01-01", EventKind.ARRIVED, ("v",), place="a"),
            _ev(2, "2025-03", EventKind.DEPARTED, ("v",), place="a", to="b"),
            _ev(3, "2025-03-10", EventKind.ARRIVED, ("v",), place="b"),
        ]
    )
    assert _count(catalog, "2025-04-10", "b") == (1, 1)
    assert state_of(catalog.as_of("2025-04-10", "all"), "v").status_text == "present"


def test_nothing_comes_after_a_decommissioning_in_any_order() -> None:
    # Decommissioned "in March", arrived at a on March 10: the arrival came first, whatever the day.
    catalog = _seas(
        [
            _ev(1, "2025-03-10", EventKind.ARRIVED, ("v",), place="a"),
            _ev(2, "2025-03", EventKind.DECOMMISSIONED, ("v",)),
        ]
    )
    assert _count(catalog, "2025-04-01", "a") == (0, 0)
    assert state_of(catalog.as_of("2025-04-01", "all"), "v").status_text == "decommissioned"


def test_a_sweep_past_events_no_order_can_mean_gives_the_states_replayed_from_scratch() -> None:
    # At c; sailed from a "in March"; arrived at b on March 10: in neither order does it leave
    # a place it is at, so the two are replayed as given. A sweep remembers that and does not
    # search them again on later stretches, unless a later event may come between them: an
    # arrival at a between March 20 and April 5 makes an order the sources can mean (b, a, then
    # sailed from a). Each stretch's state must be the one its events give from scratch.
    catalog = _seas(
        [
            _ev(1, "2025-01-01", EventKind.ARRIVED, ("v",), place="c"),
            _ev(2, "2025-03", EventKind.DEPARTED, ("v",), place="a"),
            _ev(3, "2025-03-10", EventKind.ARRIVED, ("v",), place="b"),
            _ev(4, "2025-03-20/2025-04-05", EventKind.ARRIVED, ("v",), place="a"),
            _ev(5, "2025-04-10", EventKind.ARRIVED, ("v",), place="c"),
            _ev(6, "2025-05-01", EventKind.REPORTED_PRESENT, ("v",), place="c"),
        ]
    )
    index = _index(catalog)
    (history,) = index.histories
    swept = history.sweep(index.places)
    assert history.memo is not None and [e.id for e in history.memo.failed] == ["e1", "e3", "e2"]
    for stretch, day in enumerate(history.breakpoints, 1):
        assert swept[stretch] == _replayed_from_scratch(history, day, index.places)
    assert state_of(catalog.as_of("2025-04-06", "all"), "v").status_text == "departed"
    assert _count(catalog, "2025-04-15", "c") == (1, 1)
    assert _count(catalog, "2025-05-02", "c") == (1, 1)


def test_a_search_cut_short_by_its_budget_is_not_remembered_as_no_order(monkeypatch: pytest.MonkeyPatch) -> None:
    # Three reports "in March" at three places, then one in April: with a budget of one step the
    # search of March's orders ends before finding any. That proves nothing about them, so the
    # sweep must not remember those events as meaning no order (it would answer every later
    # stretch from that, where a later search with a budget of its own may find orders).
    monkeypatch.setattr("orbat.presence._ORDERS_TRIED", 1)
    catalog = _seas(
        [
            _ev(1, "2025-03", EventKind.REPORTED_PRESENT, ("v",), place="a"),
            _ev(2, "2025-03", EventKind.REPORTED_PRESENT, ("v",), place="b"),
            _ev(3, "2025-03", EventKind.REPORTED_PRESENT, ("v",), place="c"),
            _ev(4, "2025-04-10", EventKind.REPORTED_PRESENT, ("v",), place="a"),
        ]
    )
    index = _index(catalog)
    (history,) = index.histories
    history.sweep(index.places)
    assert history.memo is not None and history.memo.failed == ()


def test_an_order_of_uncertain_date_may_have_come_before_an_arrival_elsewhere() -> None:
    # Ordered to a "in March"; arrived at b on March 20: ordered after it arrived (still at b, or
    # gone to a) or before (at b): possibly at b, never certainly, since the order may be the last.
    catalog = _seas(
        [
            _ev(1, "2025-03", EventKind.ORDERED, ("v",), place="a"),
            _ev(2, "2025-03-20", EventKind.ARRIVED, ("v",), place="b"),
        ]
    )
    assert _count(catalog, "2025-04-01", "b") == (0, 1)
    assert _count(catalog, "2025-04-01", "a") == (0, 1)
