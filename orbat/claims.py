"""Reported claims checked against the catalog: a verdict for each figure, forecasts over their
window, and a claim's own arithmetic.

A verdict compares the reported range with the range the catalog allows, each widened by the
tolerance of :mod:`orbat.figures` where it is approximate: ``agrees`` when every value the catalog
allows lies in the reported range, ``compatible`` when the two overlap without that,
``disagrees`` when they cannot both hold, ``cannot tell`` only when the catalog has no figure. A
forecast ("will soon have") is checked over its window: it agrees when on some day of the window
the catalog makes it certainly true, and disagrees when no day of the window allows it.
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Iterable

import attrs

from orbat.figures import allowed, compatible, covering, gap
from orbat.model import AircraftDetachment, Catalog, Claim, ClaimFigure
from orbat.places import EVERYWHERE, Region
from orbat.quantities import Quantity, total
from orbat.queries import Snapshot, UnitState, snapshot

__all__ = ["ClaimCheck", "PartsCheck", "Verdict", "check_claims", "check_parts", "counted_by", "verdict"]


class Verdict(enum.Enum):
    """How a reported figure compares with the catalog's own figure."""

    AGREES = "agrees"  # every value the catalog allows lies in the reported range
    COMPATIBLE = "compatible"  # the ranges overlap, but the catalog also allows values outside it
    DISAGREES = "disagrees"  # they cannot both hold
    CANNOT_TELL = "cannot tell"  # the catalog has no figure


def verdict(reported: Quantity, catalog: Quantity | None) -> Verdict:
    """The verdict on ``reported`` against the catalog's range (None or unknown: no figure). A
    report that gives no number ("unknown") has nothing to check either."""
    if catalog is None or catalog.is_unknown or reported.is_unknown:
        return Verdict.CANNOT_TELL
    if not compatible(reported, catalog):
        return Verdict.DISAGREES
    claim, ours = allowed(reported), allowed(catalog)
    inside = claim.low <= ours.low and (claim.high is None or (ours.high is not None and ours.high <= claim.high))
    return Verdict.AGREES if inside else Verdict.COMPATIBLE


@attrs.frozen(slots=True)
class PartsCheck:
    """A claim's own arithmetic: the figures that are parts of ``whole`` against it.

    ``outcome`` is ``"add up"`` when the parts' sum can be the whole, ``"fall short"`` when it is
    less (the rest is not described: "including eight warships ..." need not list every vessel),
    ``"exceed"`` when it is more (the claim cannot hold as stated); ``gap`` says by how much.
    """

    claim: Claim
    whole: ClaimFigure
    parts: tuple[ClaimFigure, ...]
    total: Quantity
    outcome: str
    gap: int

    @property
    def consistent(self) -> bool:
        """False when the parts exceed the whole: the claim contradicts itself."""
        return self.outcome != "exceed"

    def describe(self) -> str:
        """ "parts 8 + 3 + 1 = 12 fall 1 short of 13 (the rest is not described)"."""
        terms = " + ".join(str(p.count) for p in self.parts)
        summed = f"parts {terms} = {self.total}" if len(self.parts) > 1 else f"part {terms}"
        whole = self.whole.count
        if self.outcome == "add up":
            return f"{summed} add up to {whole}"
        if self.outcome == "fall short":
            return f"{summed} fall {self.gap:,} short of {whole} (the rest is not described)"
        return f"{summed} exceed {whole} by {self.gap:,}: the claim cannot hold as stated"


def _more(a: Quantity, b: Quantity) -> bool:
    """Whether everything ``a`` allows is more than anything ``b`` allows."""
    high = allowed(b).high
    return high is not None and allowed(a).low > high


def check_parts(claim: Claim) -> tuple[PartsCheck, ...]:
    """The arithmetic of every figure of ``claim`` that others name as their whole (``part_of``)."""
    checks = []
    for whole in claim.figures:
        parts = tuple(f for f in claim.figures if f.part_of == whole.what and f is not whole)
        if not parts:
            continue
        summed = total(p.count for p in parts)
        apart = gap(summed, whole.count)
        if not apart:
            outcome = "add up"
        elif _more(summed, whole.count):
            outcome = "exceed"
        else:
            outcome = "fall short"
        checks.append(PartsCheck(claim, whole, parts, summed, outcome, apart))
    return tuple(checks)


@attrs.frozen(slots=True)
class ClaimCheck:
    """One figure of a reported claim against the catalog's figure for the same days and scope.

    ``catalog_count`` is the catalog's range on ``on`` (for a forecast, the day of the window the
    verdict rests on). For a disagreement, ``gap`` says how far apart the ranges are and
    ``rests_on`` names the units (or formations, for personnel) the catalog's count rests on: those
    it certainly counts when it counts more than the claim, those it can count at most when it
    counts fewer. ``parts`` is the claim's arithmetic for a figure other figures are parts of.
    """

    claim: Claim
    figure: ClaimFigure
    catalog_count: Quantity | None
    verdict: Verdict
    reason: str
    others: tuple[tuple[Claim, ClaimFigure], ...] = ()
    on: dt.date | None = None
    gap: int = 0
    rests_on: tuple[str, ...] = ()
    parts: PartsCheck | None = None

    @property
    def reported(self) -> Quantity:
        """The reported figure."""
        return self.figure.count

    @property
    def forecast(self) -> bool:
        """True when the claim is a forecast, checked over its window."""
        return self.claim.forecast is not None


@attrs.frozen(slots=True)
class _Found:
    """The catalog's figure for a claim on one day, and what its ends rest on."""

    count: Quantity | None
    basis: str
    certain: tuple[str, ...] = ()
    possible: tuple[str, ...] = ()


def counted_by(catalog: Catalog, figure: ClaimFigure, state: UnitState) -> bool:
    """Whether a claim figure counts this unit: its measure, categories and types."""
    unit = state.unit
    if figure.measure == "aircraft":
        return isinstance(unit, AircraftDetachment) and (not figure.types or unit.type in figure.types)
    if isinstance(unit, AircraftDetachment):
        return False
    category = catalog.ship_types[unit.type].category
    return (not figure.categories or category in figure.categories) and (not figure.types or unit.type in figure.types)


def _units(snap: Snapshot, states: Iterable[UnitState]) -> _Found:
    chosen = list(states)
    return _Found(
        snap.count_of(chosen),
        "units the catalog has present",
        tuple(s.unit_id for s in chosen if snap.certainly_here(s)),
        tuple(s.unit_id for s in chosen if snap.possibly_here(s)),
    )


def _catalog_figure(catalog: Catalog, claim: Claim, figure: ClaimFigure, day: dt.date) -> _Found:
    in_formation = claim.scope in catalog.formations
    # A formation's members count wherever they are.
    snap = snapshot(catalog, day, Region.of((claim.scope,)) if claim.scope in catalog.places else EVERYWHERE)
    excluding = frozenset(c.source for c in claim.citations)  # checked against other sources, not its own
    if figure.measure == "personnel":
        if figure.categories or figure.types:
            return _Found(None, "personnel cannot be narrowed by category or type")
        if in_formation:
            own = snap.formation_figure(claim.scope, "personnel", excluding)
            if own is not None:
                return _Found(own.combined, f"the personnel figure of {claim.scope!r} ({own.how.value})")
            return _Found(None, f"the catalog has no personnel figure for {claim.scope!r} on that date")
        counted = snap.formation_figures("personnel")
        summed, basis = snap.total_personnel(), "the formations' personnel figures"
        uncovered = _uncounted_crews(snap)
        if uncovered:
            # Their crews are in no figure: the catalog sets no upper bound.
            summed = Quantity(summed.low, None, summed.approximate)
            basis += f"; {len(uncovered)} vessel(s) present are in no formation with one: no upper bound"
        return _Found(
            summed,
            basis,
            tuple(c.formation for c in counted if c.within is None and c.wholly_present),
            tuple(c.formation for c in counted if c.within is None and c.partly_present),
        )
    if figure.measure == "aircraft" and not figure.types:
        if in_formation:
            own = snap.formation_figure(claim.scope, "aircraft", excluding)
            if own is not None:
                return _Found(own.combined, f"the aircraft figure of {claim.scope!r} ({own.how.value})")
        else:
            found = _units(snap, (s for s in snap.states if counted_by(catalog, figure, s)))
            return _Found(snap.aircraft(), "aircraft ashore and embarked", found.certain, found.possible)
    states = snap.formation_members(claim.scope) if in_formation else snap.states
    return _units(snap, (s for s in states if counted_by(catalog, figure, s)))


def _uncounted_crews(snap: Snapshot) -> list[UnitState]:
    """Vessels possibly present whose crews no formation's personnel figure counts."""
    figures = {c.formation for c in snap.formation_figures("personnel")}
    parents = snap.catalog.formation_parents
    return [
        s
        for s in snap.present()
        if not isinstance(s.unit, AircraftDetachment) and covering(s.formation, figures, parents) is None
    ]


def _days(catalog: Catalog, claim: Claim) -> list[dt.date]:
    """The days to check a claim on: its date, or every day of a forecast's window on which the
    catalog's answer can change (the window's first day and each event or figure date within)."""
    if claim.forecast is None:
        return [claim.as_of.end]
    window = claim.forecast
    days = {window.start}
    for event in catalog.events:
        days.update(d for d in (event.date.start, event.date.end) if window.start <= d <= window.end)
    for formation in catalog.formations.values():
        for figure in (*formation.personnel, *formation.aircraft):
            if figure.as_of is not None and window.start <= figure.as_of.start <= window.end:
                days.add(figure.as_of.start)
    return sorted(days)


_RANK = {Verdict.AGREES: 0, Verdict.COMPATIBLE: 1, Verdict.DISAGREES: 2, Verdict.CANNOT_TELL: 3}


def _check(catalog: Catalog, claim: Claim, figure: ClaimFigure) -> ClaimCheck:
    tried = []
    for day in _days(catalog, claim):
        found = _catalog_figure(catalog, claim, figure, day)
        apart = gap(figure.count, found.count) if found.count is not None else 0
        tried.append((verdict(figure.count, found.count), apart, day, found))
    # A forecast comes true on its best day; a report is checked on its one day.
    chosen, apart, day, found = min(tried, key=lambda t: (_RANK[t[0]], t[1], t[2]))
    reason = _reason(chosen, figure.count, found, apart)
    if claim.forecast is not None:
        reason = f"forecast for {claim.forecast}, best on {day.isoformat()}: {reason}"
    rests_on: tuple[str, ...] = ()
    if chosen is Verdict.DISAGREES and found.count is not None:
        rests_on = found.certain if _more(found.count, figure.count) else found.possible
    return ClaimCheck(claim, figure, found.count, chosen, reason, (), day, apart, rests_on)


def _reason(chosen: Verdict, reported: Quantity, found: _Found, apart: int) -> str:
    count = found.count
    if count is None:
        return found.basis
    if chosen is Verdict.CANNOT_TELL:
        if reported.is_unknown:
            return f"the report gives no number; the catalog has {count} ({found.basis})"
        return f"the catalog's figures set no bound ({found.basis})"
    if chosen is Verdict.AGREES:
        return f"every value the catalog allows, {count}, lies in the reported {reported} ({found.basis})"
    if chosen is Verdict.COMPATIBLE:
        return f"the catalog's {count} and the reported {reported} overlap ({found.basis})"
    if _more(count, reported):
        listed = ", ".join(found.certain) or "none named"
        rest = f"the catalog certainly counts {count.low:,}: {listed}"
    else:
        listed = ", ".join(found.possible) or "none"
        high = "no limit" if count.high is None else f"{count.high:,}"
        rest = f"the catalog can count at most {high}: {listed}"
    return f"cannot both hold, {apart:,} apart; {rest} ({found.basis})"


def check_claims(catalog: Catalog) -> tuple[ClaimCheck, ...]:
    """Every figure of every reported claim, checked against the catalog, with disagreeing reports
    and, for a figure with parts, the claim's own arithmetic."""
    figures = [(claim, figure) for claim in catalog.claims.values() for figure in claim.figures]
    parts = {id(p.whole): p for claim in catalog.claims.values() for p in check_parts(claim)}
    checks = []
    for claim, figure in figures:
        check = _check(catalog, claim, figure)
        others = tuple(
            (other, other_figure)
            for other, other_figure in figures
            if other is not claim
            and other.scope == claim.scope
            and other_figure.measure == figure.measure
            and set(other_figure.categories) == set(figure.categories)
            and set(other_figure.types) == set(figure.types)
            and other.window.overlaps(claim.window)
            and not compatible(other_figure.count, figure.count)
        )
        arithmetic = parts.get(id(figure))
        reason = check.reason if arithmetic is None else f"{check.reason}; {arithmetic.describe()}"
        checks.append(attrs.evolve(check, others=others, parts=arithmetic, reason=reason))
    return tuple(checks)
