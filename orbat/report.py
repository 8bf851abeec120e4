"""The report on one date: what a reader can quote, as objects a script can use.

:func:`build_report` turns a :class:`~orbat.queries.Snapshot` into a :class:`Report`: a
:class:`Headline` (vessels, warships among them, aircraft ashore and embarked, personnel and what
it covers, units bound for the region, and the nearest counts the sources gave), the rows present
in the region (which add up to the headline), the units bound for it, those not counted in it,
the disputes between sources that bear on the date and what the report did with each, every
source behind the page, and a legend of every mark. Text, JSON and HTML are renderings of it.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Iterable, Mapping, Sequence

import attrs

from orbat.claims import counted_by
from orbat.dates import PartialDate, Precision
from orbat.disputes import Disagreement, DisputeKind, Side, disputes
from orbat.figures import CountedFigure
from orbat.model import (
    PLACING_KINDS,
    AircraftDetachment,
    Catalog,
    Citation,
    Claim,
    ClaimFigure,
    EventKind,
    Source,
    UnidentifiedVessels,
    Unit,
    Vessel,
    chain,
    is_nested,
)
from orbat.places import Inside
from orbat.presence import presence_index
from orbat.quantities import Quantity, total
from orbat.queries import Snapshot, Status, UnitState

__all__ = [
    "LEGEND",
    "NOT_WARSHIPS",
    "DisputeEntry",
    "DisputeSide",
    "FigureRow",
    "Headline",
    "LegendEntry",
    "Report",
    "ReportedCount",
    "Row",
    "SourceRef",
    "build_report",
    "date_text",
]

# Ship categories that are not warships: support ships, and ships chartered for special operations.
NOT_WARSHIPS = frozenset(("auxiliary", "special operations"))


# ---------------------------------------------------------------------------------------------
# The objects of a report


@attrs.frozen(slots=True)
class SourceRef:
    """A source as a reader knows it: publisher and date (title on request), with the verbatim
    quotes and the notes of its citations behind the page."""

    id: str
    publisher: str
    date: PartialDate | None
    title: str
    url: str | None = None
    kind: str | None = None
    quotes: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()

    @property
    def label(self) -> str:
        """Publisher and date: "Miami Herald, Nov 4, 2025"."""
        return f"{self.publisher}, {date_text(self.date)}"


@attrs.frozen(slots=True)
class ReportedCount:
    """A count a source gave (a claim of the catalog), beside the catalog's own for the same thing
    on the report's date (None when the catalog has no figure for it); ``forecast`` is the window of
    days a forecast is about."""

    claim: str
    what: str
    count: Quantity
    as_of: PartialDate
    sources: tuple[str, ...]
    catalog: Quantity | None
    note: str | None = None
    forecast: PartialDate | None = None


@attrs.frozen(slots=True)
class Headline:
    """The answer in one glance. Every count's low end is certain, its high end possible.

    ``warships`` are the vessels other than auxiliaries and special-operations ships.
    ``aircraft_embarked`` sums the aircraft figures of formations (an air wing aboard its carrier)
    named in ``embarked_from``; ``personnel`` sums the personnel figures of the formations in
    ``personnel_from``. ``reported`` holds the nearest counts the sources gave of the vessels and
    of the personnel, by date (more than one when several are as near).
    """

    vessels: Quantity
    warships: Quantity
    aircraft_ashore: Quantity
    aircraft_embarked: Quantity
    embarked_from: tuple[str, ...]
    personnel: Quantity
    personnel_from: tuple[str, ...]
    bound: int
    reported_vessels: tuple[ReportedCount, ...]
    reported_personnel: tuple[ReportedCount, ...]


@attrs.frozen(slots=True)
class Row:
    """One unit on the report's date.

    ``presence`` is ``certain`` or ``possible`` for rows present in the region (None elsewhere);
    ``status`` says in words what is only possible ("ordered, possibly arrived"); ``certain`` is
    False when a report of uncertain date or a dispute could change the state. ``age`` is the
    days from ``last_reported`` to the report's date. ``disputes`` are the numbers of the disputes
    the row's state rests on.
    """

    unit: str
    name: str
    hull: str | None
    type: str
    count: Quantity
    status: str
    certain: bool
    presence: str | None
    place: str | None
    formation: str | None
    since: PartialDate
    last_reported: PartialDate | None
    sources: tuple[str, ...]
    disputes: tuple[int, ...] = ()
    is_aircraft: bool = False
    age: int | None = None


@attrs.frozen(slots=True)
class FigureRow:
    """A formation's personnel or aircraft figure counted on the date, with its sources."""

    formation: str
    name: str
    measure: str
    count: Quantity
    how: str
    sources: tuple[str, ...]
    disputes: tuple[int, ...] = ()
    counted: Quantity | None = None  # what it adds to the total on the date (its low end only if all here)


@attrs.frozen(slots=True)
class DisputeSide:
    """What one side says, in words, by which sources, as of when."""

    says: str
    sources: tuple[str, ...]
    date: PartialDate | None


@attrs.frozen(slots=True)
class DisputeEntry:
    """A disagreement between sources that bears on the date: both sides and what the report did."""

    number: int
    kind: DisputeKind
    question: str
    sides: tuple[DisputeSide, ...]
    resolution: str
    units: tuple[str, ...]

    @property
    def mark(self) -> str:
        """How rows resting on it are marked: "[D1]"."""
        return f"[D{self.number}]"


@attrs.frozen(slots=True)
class LegendEntry:
    """A mark the report uses, and what it means."""

    mark: str
    meaning: str


LEGEND = (
    LegendEntry(
        "certain / possible",
        "a count's low end counts what the sources make certain, its high end "
        "what they make possible; a row marked 'possible' is in the high end only",
    ),
    LegendEntry(
        "possibly present",
        "present in the region only if an uncertain date falls one way, or if a relief no source places happened there",
    ),
    LegendEntry(
        "ordered, possibly arrived",
        "ordered, expected or en route to the region; no source reports the arrival, which may have happened",
    ),
    LegendEntry(
        "(uncertain)",
        "a report whose date may fall either side of the day, or sources that disagree, could change this state",
    ),
    LegendEntry("(sources disagree)", "sources put the unit at different places: the row shows them all"),
    LegendEntry("[D1]", "the state rests on a dispute between sources: see Disputes, number 1"),
    LegendEntry("about 90", "a source's approximate figure"),
    LegendEntry("7+", "at least 7: the sources give no upper bound"),
    LegendEntry("2\u20133", "between 2 and 3"),
    LegendEntry("up to 10", "between 0 and 10"),
    LegendEntry("unknown", "no source gives a count"),
    LegendEntry("2025-09", "a date known only to the month (2025 alone: to the year)"),
    LegendEntry("2025-09-21/2025-09-23", "a date known to lie within the span"),
    LegendEntry("~2025-10-31", "a date a source gives as approximate"),
    LegendEntry(
        "last reported, days ago",
        "the date of the latest report behind the row's state, and how many days before the report's date it was",
    ),
    LegendEntry("warships", "vessels other than auxiliaries and special-operations ships"),
    LegendEntry(
        "figure, counted",
        "a formation's figure as its sources give it, and what it adds to the total: its low end only when "
        "all the formation's units are certainly in the region, its high end when any possibly is",
    ),
    LegendEntry("forecast for", "a count the source gives of what is to come, over the days it names"),
)


@attrs.frozen(slots=True)
class Report:
    """The deployment on ``date`` in ``region`` (None: everywhere), ready to render.

    ``vessels`` and ``aircraft`` are the rows present in the region: their counts add up to the
    headline's. ``bound`` are units ordered, expected or en route to it (some possibly there
    already); ``outside`` units possibly present elsewhere and nowhere in the region, nearby (not
    counted); ``other`` the units with no place on the date (relieved, left, out of service, or in
    a formation with no place reported). Of a region, those two list only the units tied to it (in
    a formation with a unit present in or bound for it, reported in or bound for it at some time, or
    at a place next to it); ``not_listed`` counts the others the catalog knows on the date.
    """

    date: dt.date
    region: str | None
    region_name: str
    note: str | None
    headline: Headline
    vessels: tuple[Row, ...]
    aircraft: tuple[Row, ...]
    embarked: tuple[FigureRow, ...]
    personnel: tuple[FigureRow, ...]
    bound: tuple[Row, ...]
    outside: tuple[Row, ...]
    other: tuple[Row, ...]
    disputes: tuple[DisputeEntry, ...]
    sources: tuple[SourceRef, ...]
    legend: tuple[LegendEntry, ...] = LEGEND
    not_listed: int = 0
    _by_id: dict[str, tuple[int, SourceRef]] = attrs.field(init=False, eq=False, repr=False)

    @property
    def title(self) -> str:
        """ "Deployment as of 2025-11-04 in the Caribbean"."""
        return f"Deployment as of {self.date.isoformat()} in {self.region_name}"

    def __attrs_post_init__(self) -> None:
        object.__setattr__(self, "_by_id", {ref.id: (n, ref) for n, ref in enumerate(self.sources, 1)})

    def source(self, source_id: str) -> SourceRef:
        """The source with this id (every source a row, figure or dispute cites is listed)."""
        return self._by_id[source_id][1]

    def source_number(self, source_id: str) -> int:
        """The source's place in :attr:`sources`, from 1 (how a page numbers it)."""
        return self._by_id[source_id][0]

    def to_json(self) -> dict[str, object]:
        """The report as plain JSON data: counts as ``{low, high, approximate, text}``, dates as ISO text."""
        data = _json(self)
        assert isinstance(data, dict)
        return data


def date_text(date: PartialDate | None) -> str:
    """A date as a reader says it: "Nov 4, 2025", "Aug 2025", "Aug 19\u201320, 2025", "undated"."""
    if date is None:
        return "undated"
    start, end = date.start, date.end
    if date.precision is Precision.YEAR:
        text = str(start.year) if start.year == end.year else f"{start.year}\u2013{end.year}"
    elif date.precision is Precision.MONTH:
        first, last = calendar.month_abbr[start.month], calendar.month_abbr[end.month]
        if (start.year, start.month) == (end.year, end.month):
            text = f"{first} {start.year}"
        elif start.year == end.year:
            text = f"{first}\u2013{last} {start.year}"
        else:
            text = f"{first} {start.year} \u2013 {last} {end.year}"
    elif start == end:
        text = f"{calendar.month_abbr[start.month]} {start.day}, {start.year}"
    elif (start.year, start.month) == (end.year, end.month):
        text = f"{calendar.month_abbr[start.month]} {start.day}\u2013{end.day}, {start.year}"
    elif start.year == end.year:
        text = (
            f"{calendar.month_abbr[start.month]} {start.day} \u2013 "
            f"{calendar.month_abbr[end.month]} {end.day}, {start.year}"
        )
    else:
        text = f"{date_text(PartialDate.of(start))} \u2013 {date_text(PartialDate.of(end))}"
    return f"about {text}" if date.approximate else text


# ---------------------------------------------------------------------------------------------
# Building a report


def build_report(snap: Snapshot) -> Report:
    """The report of ``snap``: headline, rows, disputes bearing on its date, sources and legend."""
    return _Builder(snap).report()


def _place_name(catalog: Catalog, place_id: str | None) -> str | None:
    place = catalog.places.get(place_id) if place_id else None
    return place.name if place else place_id


def _unit_name(unit: Unit) -> str:
    return unit.name if isinstance(unit, Vessel | AircraftDetachment) else unit.label


def _the(name: str | None) -> str:
    """A formation's name after "in": "the Iwo Jima Amphibious Ready Group", "The Group" as it is."""
    text = name or "no formation"
    return text if text.lower().startswith(("the ", "no ")) else f"the {text}"


def _formation_name(catalog: Catalog, formation_id: str | None) -> str | None:
    formation = catalog.formations.get(formation_id) if formation_id else None
    return formation.name if formation else formation_id


_SETTLING = frozenset((*PLACING_KINDS, EventKind.DEPARTED, EventKind.RELIEVED, EventKind.DECOMMISSIONED))


def _places(state: UnitState) -> tuple[str, ...]:
    """Every place the sources put the unit on the date (more than one when they disagree)."""
    found = [*state.places] if state.places else [state.place]
    return tuple(dict.fromkeys(p for p in found if p))


def _last_reported(state: UnitState) -> PartialDate | None:
    """When the unit was last reported: the last report of its presence, else (a unit known only as
    a formation's member) the latest event behind its state."""
    if state.last_reported is not None:
        return state.last_reported
    return state.events[-1].date if state.events else None


def _row_citations(state: UnitState) -> list[Citation]:
    """What a row cites: the sources of its status (and of the memberships they relied on), of the
    event that set its count, and of its latest report."""
    if state.disputed:  # every side of the disagreement
        return list(state.citations)
    cited = list(state.status_citations)
    counted = [e for e in state.events if e.count is not None and state.unit.id in e.units]
    last = _last_reported(state)
    latest = [e for e in state.events if last is not None and e.date.end == last.end and e.date == last]
    for event in (*counted[-1:], *latest[-1:]):
        cited.extend(event.citations)
    return cited


class _Builder:
    """Works out one report; keeps the sources cited as it goes."""

    def __init__(self, snap: Snapshot) -> None:
        self.snap = snap
        self.catalog = snap.catalog
        self.cited: dict[str, list[Citation]] = {}

    # -- sources --------------------------------------------------------------------------

    def cite(self, citations: Iterable[Citation]) -> tuple[str, ...]:
        ids = []
        for citation in citations:
            self.cited.setdefault(citation.source, []).append(citation)
            ids.append(citation.source)
        return tuple(dict.fromkeys(ids))

    def sources(self) -> tuple[SourceRef, ...]:
        refs = []
        for source_id, citations in self.cited.items():
            source: Source | None = self.catalog.sources.get(source_id)
            if source is None:
                continue
            quotes = tuple(dict.fromkeys(c.quote for c in citations if c.quote))
            notes = tuple(dict.fromkeys(c.note for c in citations if c.note))
            refs.append(
                SourceRef(
                    source.id, source.publisher, source.date, source.title, source.url, source.kind, quotes, notes
                )
            )
        undated = (dt.date.max, dt.date.max)
        refs.sort(key=lambda r: (r.date.sort_key() if r.date else undated, r.publisher, r.id))
        return tuple(refs)

    # -- rows -----------------------------------------------------------------------------

    def row(self, state: UnitState, presence: str | None) -> Row:
        unit, catalog = state.unit, self.catalog
        hull = unit.hull if isinstance(unit, Vessel) else None
        if isinstance(unit, Vessel):
            kind = unit.class_name or catalog.ship_types[unit.type].name
        elif isinstance(unit, UnidentifiedVessels):
            kind = catalog.ship_types[unit.type].name
        else:
            kind = unit.type
        cited = _row_citations(state)
        last = _last_reported(state)
        return Row(
            unit=unit.id,
            name=_unit_name(unit),
            hull=hull,
            type=kind,
            count=state.count,
            status=state.status_text,
            certain=state.certain,
            presence=presence,
            place=self.place_text(state),
            formation=_formation_name(catalog, state.formation),
            since=state.since,
            last_reported=last,
            age=None if last is None else max(0, (self.snap.date - last.end).days),
            sources=self.cite(cited),
            is_aircraft=isinstance(unit, AircraftDetachment),
        )

    def place_text(self, state: UnitState) -> str | None:
        """Where the row puts the unit, in words: "Ceiba or Muniz", "to the Caribbean (may
        still be in Europe)", "from Norfolk"."""

        def name(place_id: str) -> str:
            return _place_name(self.catalog, place_id) or place_id

        if state.heading and state.place:
            elsewhere = [p for p in state.places if p != state.place]
            still = f" (may still be {' or '.join(self.at(p) for p in elsewhere)})" if elsewhere else ""
            return f"to {name(state.place)}{still}"
        if state.status is Status.DEPARTED and state.place:
            return f"from {name(state.place)}"
        places = [name(p) for p in _places(state)]
        if not places:
            return None
        said = "disagree" in state.status_text
        disagree = " (sources disagree)" if state.disputed and len(places) > 1 and not said else ""
        return " or ".join(places) + disagree

    # -- figures ----------------------------------------------------------------------------

    def figure_row(self, counted: CountedFigure, measure: str) -> FigureRow:
        figure = counted.figure
        how = figure.how.value
        if not counted.wholly_present:
            members = self.snap.formation_members(figure.formation)
            if not any(self.snap.certainly_here(s) for s in members):
                how += "; none of its units is certainly in the region"
            else:
                how += "; in the high end only: not all of it is certainly here"
        cited = [c for f in figure.figures for c in f.citations]
        return FigureRow(
            figure.formation,
            _formation_name(self.catalog, figure.formation) or figure.formation,
            measure,
            figure.combined,
            how,
            self.cite(cited),
            counted=counted.counted,
        )

    def embarked(self) -> tuple[CountedFigure, ...]:
        """Aircraft figures the snapshot's aircraft total counts, outermost figure only."""
        return tuple(c for c in self.snap.embarked() if c.within is None)

    # -- claims -----------------------------------------------------------------------------

    def count_like(self, figure: ClaimFigure) -> Quantity:
        """The catalog's own count, on the date, of what a claim figure counts."""
        snap, catalog = self.snap, self.catalog
        return _count(snap, [s for s in snap.present() if counted_by(catalog, figure, s)])

    def nearest_claims(self, measure: str) -> list[tuple[Claim, ClaimFigure]]:
        """The claims about the region nearest the date with a figure of ``measure``, each with its
        largest such figure (its total); several when they are as near, so that none is left out."""
        snap = self.snap
        found: list[tuple[dt.timedelta, Claim, ClaimFigure]] = []
        for claim in self.catalog.claims.values():
            if not snap.region.everywhere and claim.scope not in snap.region.places:
                continue
            if snap.region.everywhere and claim.scope not in self.catalog.places:
                continue
            figures = [f for f in claim.figures if f.measure == measure]
            if measure == "personnel":
                figures = [f for f in figures if not f.categories and not f.types]
            if figures:
                distance = max(claim.as_of.start - snap.date, snap.date - claim.as_of.end, dt.timedelta(0))
                largest = max(figures, key=lambda f: (f.count.low, f.count.high or f.count.low))
                found.append((distance, claim, largest))
        if not found:
            return []
        nearest = min(distance for distance, _, _ in found)
        chosen = [(claim, figure) for distance, claim, figure in found if distance == nearest]
        return sorted(chosen, key=lambda pair: (pair[0].as_of.sort_key(), pair[0].id))

    def reported(self, measure: str, own: Quantity | None = None) -> tuple[ReportedCount, ...]:
        return tuple(
            ReportedCount(
                claim.id,
                figure.what,
                figure.count,
                claim.as_of,
                self.cite(claim.citations),
                own if own is not None else self.count_like(figure),
                claim.note,
                claim.forecast,
            )
            for claim, figure in self.nearest_claims(measure)
        )

    # -- disputes ---------------------------------------------------------------------------

    def bears(
        self, dispute: Disagreement, states: dict[str, UnitState], figures: dict[tuple[str, str], FigureRow]
    ) -> bool:
        """Whether the dispute bears on the date: both sides on record, and the state still rests on it."""
        on_record = dispute.on_record
        if on_record is not None and on_record > self.snap.date:
            return False
        if dispute.kind is DisputeKind.FIGURE:
            return (dispute.subject, dispute.measure or "") in figures
        if dispute.kind is DisputeKind.MEMBERSHIP and dispute.subject in self.catalog.formations:
            parents = self.catalog.formation_parents
            nested = {f for f in self.catalog.formations if is_nested(parents, f, dispute.subject)}
            return any(states[u].formation in nested for u in dispute.units if u in states)
        state = states.get(dispute.subject)
        if state is None:
            return False
        if dispute.kind is DisputeKind.MEMBERSHIP:
            return state.formation in {side.formation for side in dispute.sides}
        if dispute.kind in (DisputeKind.PLACE, DisputeKind.ARRIVAL):
            latest = max(side.date.end for side in dispute.sides if side.date is not None)
            return not any(e.kind in _SETTLING and e.date.start > latest for e in state.events)
        return True

    def side_text(self, dispute: Disagreement, side: Side) -> str:
        catalog = self.catalog
        if dispute.kind is DisputeKind.FIGURE and side.figure is not None:
            when = f" as of {date_text(side.figure.as_of)}" if side.figure.as_of else ""
            return f"{side.figure.count} {dispute.measure}{when}"
        if dispute.kind is DisputeKind.MEMBERSHIP and side.units:
            names = [_unit_name(u) for u in map(catalog.unit, side.units) if u is not None]
            return f"names {', '.join(names)}"
        if dispute.kind is DisputeKind.MEMBERSHIP:
            return f"in {_formation_name(catalog, side.formation)} from {date_text(side.date)}"
        if dispute.kind is DisputeKind.AFTER_SERVICE:
            kinds = sorted({e.kind.value for e in side.events})
            if kinds == ["decommissioned"]:
                return f"decommissioned on {date_text(side.date)}"
            return f"{' and '.join(kinds)} on {date_text(side.date)}"
        if dispute.kind is DisputeKind.ARRIVAL:
            return f"arrived at {_place_name(catalog, side.place)} on {date_text(side.date)}"
        return f"at {_place_name(catalog, side.place)} ({date_text(side.date)})"

    def question(self, dispute: Disagreement) -> str:
        catalog = self.catalog
        subject = catalog.unit(dispute.subject)
        name = _unit_name(subject) if subject is not None else _formation_name(catalog, dispute.subject)
        if dispute.kind is DisputeKind.FIGURE:
            return f"How many {dispute.measure} has {_the(name)}?"
        if dispute.kind is DisputeKind.MEMBERSHIP and subject is None:
            return f"Which units are in {_the(name)}?"
        if dispute.kind is DisputeKind.MEMBERSHIP:
            return f"Which formation is {name} in?"
        if dispute.kind is DisputeKind.AFTER_SERVICE:
            return f"Was {name} still in service?"
        if dispute.kind is DisputeKind.ARRIVAL:
            return f"When did {name} arrive?"
        return f"Where was {name}?"

    def resolution(
        self, dispute: Disagreement, states: dict[str, UnitState], figures: dict[tuple[str, str], FigureRow]
    ) -> str:
        """What the report did with the dispute, read from the state it computed."""
        catalog, snap = self.catalog, self.snap
        state = states.get(dispute.subject)
        if dispute.kind is DisputeKind.FIGURE:
            row = figures[dispute.subject, dispute.measure or ""]
            return f"Both figures are kept; the report counts {row.count} ({row.how})."
        if dispute.kind is DisputeKind.MEMBERSHIP and state is None:
            name = _formation_name(catalog, dispute.subject)
            return (
                f"Both lists are kept: every unit either side names is shown in {_the(name)}, and what is "
                "reported of the group applies to the units it has on the day; each row is marked."
            )
        assert state is not None
        if dispute.kind is DisputeKind.MEMBERSHIP:
            return f"The later report is followed: shown in {_the(_formation_name(catalog, state.formation))}; marked."
        if dispute.kind is DisputeKind.AFTER_SERVICE:
            decommissioned = dispute.sides[0]
            if state.status is Status.DECOMMISSIONED:
                return (
                    f"The decommissioning ({date_text(decommissioned.date)}) stands: the unit is not counted "
                    "from then on, and the later report is shown here, not counted."
                )
            return f"Shown as {state.status_text}; the decommissioning is listed here."
        if dispute.kind is DisputeKind.ARRIVAL:
            first = min((side.date for side in dispute.sides if side.date is not None), key=PartialDate.sort_key)
            return f"Both reports are kept: the unit is counted as there from the earlier one ({date_text(first)})."
        places = _places(state)
        names = " or ".join(_place_name(catalog, p) or p for p in places)
        inside = [snap.possibly_here(attrs.evolve(state, places=(p,))) for p in places]
        if len(places) > 1:
            counted = (
                "counted once, in the region either way"
                if all(inside)
                else "counted as possibly present only"
                if any(inside)
                else "not counted in the region"
            )
            return f"Both reports are kept: the row shows {names}; the unit is {counted}."
        followed = [side for side in dispute.sides if side.place in places]
        by = "; ".join(self.publisher(s) for side in followed for s in side.sources)
        return f"The row follows the report placing it at {names} ({by}); the other is listed here."

    def at(self, place_id: str) -> str:
        """Where a unit is, in words: "at Norfolk", "in Europe"."""
        place = self.catalog.places.get(place_id)
        if place is None:
            return f"at {place_id}"
        return f"{'at' if place.kind in ('base', 'port', 'airport') else 'in'} {place.name}"

    def publisher(self, source_id: str) -> str:
        source = self.catalog.sources.get(source_id)
        return f"{source.publisher}, {date_text(source.date)}" if source else source_id

    def dispute_entries(
        self, states: dict[str, UnitState], figures: dict[tuple[str, str], FigureRow]
    ) -> list[tuple[DisputeEntry, Disagreement]]:
        entries: list[tuple[DisputeEntry, Disagreement]] = []
        for dispute in disputes(self.catalog):
            if not self.bears(dispute, states, figures):
                continue
            sides = tuple(
                DisputeSide(self.side_text(dispute, side), self.cite_ids(side.sources), side.date)
                for side in dispute.sides
            )
            for side in dispute.sides:
                for event in side.events:
                    self.cite(event.citations)
                if side.figure is not None:
                    self.cite(side.figure.citations)
            entry = DisputeEntry(
                len(entries) + 1,
                dispute.kind,
                self.question(dispute),
                sides,
                self.resolution(dispute, states, figures),
                dispute.units if dispute.kind is not DisputeKind.FIGURE else (),
            )
            entries.append((entry, dispute))
        return entries

    def cite_ids(self, source_ids: Sequence[str]) -> tuple[str, ...]:
        for source_id in source_ids:
            self.cited.setdefault(source_id, [])
        return tuple(source_ids)

    # -- the whole ---------------------------------------------------------------------------

    def report(self) -> Report:
        snap, catalog = self.snap, self.catalog
        order = _formation_order(catalog)
        states = {s.unit_id: s for s in snap.states}
        present = [s for s in snap.states if snap.possibly_here(s)]
        parents = catalog.formation_parents
        present.sort(key=lambda s: order.get(_outermost(parents, s.formation), len(order)))
        rows = [self.row(s, "certain" if snap.certainly_here(s) else "possible") for s in present]
        heading = snap.bound()
        bound = [self.row(s, None) for s in heading]
        shown = {s.unit_id for s in (*present, *heading)}
        groups = {_outermost(parents, s.formation) for s in (*present, *heading)} - {None}
        tied = _Ties(snap, groups)
        outside_states = [s for s in snap.outside() if s.unit_id not in shown and tied(s)]
        shown |= {s.unit_id for s in snap.outside()}
        other_states = [s for s in snap.states if s.unit_id not in shown and tied(s)]
        outside = [self.row(s, None) for s in outside_states]
        other = [self.row(s, None) for s in other_states]
        listed = {s.unit_id for s in (*present, *heading, *outside_states, *other_states)}
        not_listed = len(snap.states) - len(listed)

        personnel = tuple(
            self.figure_row(c, "personnel") for c in snap.formation_figures("personnel") if c.within is None
        )
        embarked = tuple(self.figure_row(f, "aircraft") for f in self.embarked())
        figures = {(f.formation, f.measure): f for f in (*personnel, *embarked)}
        entries = self.dispute_entries(states, figures)

        def marked(row: Row) -> Row:
            numbers = tuple(entry.number for entry, _ in entries if row.unit in entry.units)
            return attrs.evolve(row, disputes=numbers) if numbers else row

        def marked_figure(row: FigureRow) -> FigureRow:
            numbers = tuple(
                entry.number
                for entry, dispute in entries
                if dispute.kind is DisputeKind.FIGURE
                and (dispute.subject, dispute.measure) == (row.formation, row.measure)
            )
            return attrs.evolve(row, disputes=numbers) if numbers else row

        vessels = tuple(marked(r) for r in rows if not r.is_aircraft)
        aircraft = tuple(marked(r) for r in rows if r.is_aircraft)
        warships = _count(
            snap,
            [
                s
                for s in present
                if not isinstance(s.unit, AircraftDetachment)
                and catalog.ship_types[s.unit.type].category not in NOT_WARSHIPS
            ],
        )
        personnel_total = snap.total_personnel()
        headline = Headline(
            vessels=snap.vessels(),
            warships=warships,
            aircraft_ashore=snap.aircraft_ashore(),
            aircraft_embarked=snap.aircraft_embarked(),
            embarked_from=tuple(f.formation for f in embarked),
            personnel=personnel_total,
            personnel_from=tuple(f.formation for f in personnel),
            bound=len(bound),
            reported_vessels=self.reported("vessels"),
            reported_personnel=self.reported("personnel", personnel_total),
        )
        return Report(
            date=snap.date,
            region=None if snap.region.everywhere else str(snap.region),
            region_name=snap.region_title,
            note=snap.note,
            headline=headline,
            vessels=vessels,
            aircraft=aircraft,
            embarked=tuple(marked_figure(r) for r in embarked),
            personnel=tuple(marked_figure(r) for r in personnel),
            bound=tuple(marked(r) for r in bound),
            outside=tuple(marked(r) for r in outside),
            other=tuple(marked(r) for r in other),
            not_listed=not_listed,
            disputes=tuple(entry for entry, _ in entries),
            sources=self.sources(),
        )


class _Ties:
    """Whether a unit not counted in the region belongs on its page: in a formation with a unit
    present in or bound for it, reported in or bound for it at some time, or at a place next to it
    (within the same place as one of the region's places)."""

    def __init__(self, snap: Snapshot, groups: set[str | None]) -> None:
        self.snap = snap
        self.groups = groups
        self.parents = snap.catalog.formation_parents
        self.graph = presence_index(snap.catalog).places
        around = {parent for place in snap.region.places for parent in self.graph.parents.get(place, ())}
        self.next_to = {p for p, parents in self.graph.parents.items() if set(parents) & around}

    def __call__(self, state: UnitState) -> bool:
        snap, graph = self.snap, self.graph
        if snap.region.everywhere or _outermost(self.parents, state.formation) in self.groups:
            return True
        if any(p in self.next_to for p in state.places):
            return True
        return any(
            place is not None and graph.inside(place, snap.region) is not Inside.NO
            for event in state.events
            for place in (event.place, event.to)
        )


def _count(snap: Snapshot, states: Sequence[UnitState]) -> Quantity:
    """Certain low end, possible high end, as every total of a snapshot."""
    certain = total(s.count for s in states if snap.certainly_here(s))
    possible = total(s.count for s in states if snap.possibly_here(s))
    return Quantity(certain.low, possible.high, certain.approximate or possible.approximate)


def _outermost(parents: Mapping[str, str | None], formation_id: str | None) -> str | None:
    outward = list(chain(parents, formation_id))
    return outward[-1] if outward else None


def _formation_order(catalog: Catalog) -> dict[str | None, int]:
    return {formation_id: n for n, formation_id in enumerate(catalog.formations)}


# ---------------------------------------------------------------------------------------------
# JSON


def _json(value: object) -> object:
    if isinstance(value, Quantity):
        return value.to_json()
    if isinstance(value, PartialDate):
        return value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, DisputeKind):
        return value.value
    if isinstance(value, tuple | list):
        return [_json(item) for item in value]
    if attrs.has(type(value)):
        fields = [f for f in attrs.fields(type(value)) if not f.name.startswith("_")]  # type: ignore[arg-type]
        data = {field.name: _json(getattr(value, field.name)) for field in fields}
        if isinstance(value, Report):
            data = {"title": value.title, **data}
        if isinstance(value, SourceRef):
            data["label"] = value.label
        if isinstance(value, DisputeEntry):
            data["mark"] = value.mark
        return data
    return value
