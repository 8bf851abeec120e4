"""Figures from several sources: when they can both hold, what they allow together, how far apart.

Two figures for the same thing *agree* when their ranges overlap, an approximate figure ("about
90") being first widened by :data:`TOLERANCE_PERCENT` of itself at each end; otherwise they
*disagree*, by the :func:`gap` between them. Figures that agree combine to what both allow (their
:func:`intersection`); figures that disagree combine to a disputed range covering both. This
module is the one home of those rules: validation, the totals and the claim check all ask it.
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Callable, Container, Iterable, Mapping, Sequence

import attrs

from orbat.dates import PartialDate
from orbat.model import Citation, Figure
from orbat.quantities import Quantity, total

__all__ = [
    "SAME_PERIOD",
    "TOLERANCE_PERCENT",
    "Combination",
    "CombinedFigure",
    "CountedFigure",
    "allowed",
    "combine",
    "compatible",
    "count_figures",
    "covering",
    "gap",
    "hull",
    "intersection",
    "same_period",
]

TOLERANCE_PERCENT = 10
"""How far an approximate figure may be off, in percent of each bound (rounded up to a whole number)."""


def _margin(n: int) -> int:
    return -(-n * TOLERANCE_PERCENT // 100)


def allowed(q: Quantity) -> Quantity:
    """The range ``q`` allows once its vagueness is granted: an approximate figure widened by the
    tolerance at each end ("about 90": 81-99), any other figure as it is."""
    if not q.approximate:
        return q
    high = None if q.high is None else q.high + _margin(q.high)
    return Quantity(max(0, q.low - _margin(q.low)), high, approximate=True)


def gap(a: Quantity, b: Quantity) -> int:
    """How far apart the ranges ``a`` and ``b`` allow are: 0 when they overlap, else the distance
    between the nearest values each allows (48 and "about 70", 63-77: 15)."""
    a, b = allowed(a), allowed(b)
    if a.high is not None and a.high < b.low:
        return b.low - a.high
    if b.high is not None and b.high < a.low:
        return a.low - b.high
    return 0


def compatible(a: Quantity, b: Quantity) -> bool:
    """Whether two figures can both hold: their allowed ranges overlap."""
    return gap(a, b) == 0


def _bound_approximate(figures: Iterable[Quantity], value: int | None, low: bool) -> bool:
    # A bound of the result is vague when every figure that sets it is approximate.
    setting = [q for q in figures if (q.low if low else q.high) == value]
    return bool(setting) and all(q.approximate for q in setting)


def intersection(figures: Iterable[Quantity]) -> Quantity | None:
    """What all of ``figures`` allow together, or None when they cannot all hold.

    Where their own ranges overlap, the result is their common part, approximate where a bound
    comes from approximate figures only ("more than 60" and "about 90": about 90). Where only
    their allowed ranges overlap ("about 4,500" and "more than 4,500"), it is the common part of
    those, approximate (about 4,501-4,950). The result is never wider than any figure allows.
    """
    items = list(figures)
    if not items:
        raise ValueError("intersection of no figures")
    common = _common(items)
    if common is not None:
        return common
    widened = _common([allowed(q) for q in items])
    if widened is None:
        return None
    return Quantity(widened.low, widened.high, approximate=True)


def _common(items: list[Quantity]) -> Quantity | None:
    low = max(q.low for q in items)
    highs = [q.high for q in items if q.high is not None]
    high = min(highs) if highs else None
    if high is not None and high < low:
        return None
    approximate = _bound_approximate(items, low, True) or (high is not None and _bound_approximate(items, high, False))
    return Quantity(low, high, approximate)


def hull(figures: Iterable[Quantity]) -> Quantity:
    """The smallest range covering every one of ``figures``, approximate if any is."""
    items = list(figures)
    if not items:
        raise ValueError("hull of no figures")
    low = min(q.low for q in items)
    highs = [q.high for q in items]
    high = None if any(h is None for h in highs) else max(h for h in highs if h is not None)
    return Quantity(low, high, any(q.approximate for q in items))


SAME_PERIOD = dt.timedelta(days=31)
"""Figures dated at most this far apart report the same state; older ones report an earlier one."""


def same_period(a: PartialDate, b: PartialDate) -> bool:
    """Whether two figures' dates lie within :data:`SAME_PERIOD` of each other."""
    return a.start - b.end <= SAME_PERIOD and b.start - a.end <= SAME_PERIOD


class Combination(enum.Enum):
    """How the figure used was got from the figures that hold."""

    ONE = "one figure"  # a single figure holds: used as it is
    AGREED = "what all allow"  # several that can all hold: their intersection
    DISPUTED = "disputed"  # several that cannot all hold: a range covering them all, flagged


def _sources(figure: Figure) -> frozenset[str]:
    return frozenset(c.source for c in figure.citations)


def _start(figure: Figure) -> dt.date:
    return figure.as_of.start if figure.as_of else dt.date.min


@attrs.frozen(slots=True)
class CombinedFigure:
    """A formation's personnel or aircraft on a date: every figure that holds, and the one used.

    ``figures`` are the figures that hold on the date, each source's latest (within
    :data:`SAME_PERIOD` of the newest); ``earlier`` those given by then that no longer hold.
    ``combined`` is the figure used and ``how`` says how it was got from ``figures``.
    """

    formation: str
    measure: str
    figures: tuple[Figure, ...]
    combined: Quantity
    how: Combination
    earlier: tuple[Figure, ...] = ()

    @property
    def count(self) -> Quantity:
        """The figure used (``combined``)."""
        return self.combined

    @property
    def disputed(self) -> bool:
        """True when the figures that hold cannot all hold at once."""
        return self.how is Combination.DISPUTED

    @property
    def citations(self) -> tuple[Citation, ...]:
        """The citations of every figure that holds, without repeats."""
        seen: dict[tuple[str, str | None], Citation] = {}
        for figure in self.figures:
            for citation in figure.citations:
                seen.setdefault((citation.source, citation.quote), citation)
        return tuple(seen.values())

    @property
    def sources(self) -> tuple[str, ...]:
        """Ids of the sources of the figures that hold."""
        return tuple(dict.fromkeys(c.source for c in self.citations))

    def by_source(self) -> tuple[tuple[str, tuple[str, ...], PartialDate | None], ...]:
        """Each figure that holds as its source words it, with its sources and date:
        ``("about 90", ("herald-2025-11-04",), 2025-11-04)``."""
        return tuple(
            (f.count.display, tuple(dict.fromkeys(c.source for c in f.citations)), f.as_of) for f in self.figures
        )

    def describe(self) -> str:
        """One line: the figures and their sources, then the one used and how.

        "about 90 (herald-2025-11-04); more than 60 (cnn-2025-11-16): about 90, what all allow"
        """
        given = "; ".join(f"{text} ({', '.join(sources) or 'uncited'})" for text, sources, _ in self.by_source())
        if self.how is Combination.ONE:
            return given
        return f"{given}: {self.combined}, {self.how.value}"


def combine(formation: str, measure: str, figures: Sequence[Figure], date: dt.date) -> CombinedFigure | None:
    """The figures of ``formation`` that hold on ``date``, and the figure to use; None if none is given yet.

    A figure holds from its date (an undated one always) until its own source gives a newer one,
    or until a figure of any source is dated more than :data:`SAME_PERIOD` after it (a later
    report of a changed state). Those that hold combine to their :func:`intersection` when they
    can all hold, else to the :func:`hull` covering them, flagged as disputed.
    """
    given = [f for f in figures if f.as_of is None or f.as_of.start <= date]
    if not given:
        return None
    latest: dict[frozenset[str], dt.date] = {}
    for figure in given:
        key = _sources(figure)
        latest[key] = max(latest.get(key, dt.date.min), _start(figure))
    newest = max(_start(f) for f in given)
    holding = tuple(
        f
        for f in given
        if _start(f) == latest[_sources(f)] and (f.as_of is None or newest - f.as_of.end <= SAME_PERIOD)
    )
    earlier = tuple(f for f in given if f not in holding)
    counts = [f.count for f in holding]
    if len(holding) == 1:
        return CombinedFigure(formation, measure, holding, counts[0], Combination.ONE, earlier)
    agreed = intersection(counts)
    if agreed is not None:
        return CombinedFigure(formation, measure, holding, agreed, Combination.AGREED, earlier)
    return CombinedFigure(formation, measure, holding, hull(counts), Combination.DISPUTED, earlier)


@attrs.frozen(slots=True)
class CountedFigure:
    """A formation's combined figure as a total on a date counts it.

    Its low end counts when the formation is certainly present in the region as a whole
    (``wholly_present``), its high end when any of it possibly is (``partly_present``). A figure
    of a formation inside another whose figure is counted is shown but not added (``within``
    names that formation, and ``counted`` is 0); ``counted`` of an outermost one is what it adds,
    with what it covers (nested figures, member aircraft detachments).
    """

    figure: CombinedFigure
    wholly_present: bool
    partly_present: bool
    counted: Quantity
    within: str | None = None

    @property
    def formation(self) -> str:
        return self.figure.formation


def covering(formation: str | None, figures: Container[str], parents: Mapping[str, str | None]) -> str | None:
    """The nearest of ``formation`` and the formations containing it that has a figure in ``figures``."""
    seen: set[str] = set()
    while formation is not None and formation not in seen:
        if formation in figures:
            return formation
        seen.add(formation)
        formation = parents.get(formation)
    return None


def count_figures(
    figures: Mapping[str, CombinedFigure],
    parents: Mapping[str, str | None],
    wholly: Callable[[str], bool],
    partly: Callable[[str], bool],
    members: Mapping[str, Quantity] | None = None,
) -> tuple[CountedFigure, ...]:
    """How formation figures count in a total: each counted once, nested ones within their parent's.

    ``figures`` are the formations' combined figures on the date; ``wholly`` and ``partly`` say
    whether a formation is certainly present as a whole, and possibly present in part. ``members``
    gives, for a formation, the count of its member units that a figure covers (aircraft
    detachments: the certain count as low, the possible as high). A formation's figure, with what
    it covers (nested formations' figures, member units), counts:

    - low: the larger of its own low end, when it is wholly present, and the sum of the low ends
      of what it covers (a nested group certainly here, a detachment certainly here);
    - high: its own high end when it is possibly present, else the sum of what it covers (never
      below the low).

    Figures of formations possibly present, or covering something that is, are returned in the
    order of ``figures``; those inside another's have ``within`` set, and only the others add to
    a total.
    """
    members = members or {}
    cover = {f: covering(parents.get(f), figures, parents) for f in figures}
    parts: dict[str | None, list[str]] = {}
    for formation in figures:
        parts.setdefault(cover[formation], []).append(formation)
    covered: dict[str, list[Quantity]] = {}
    for formation, units in members.items():
        owner = covering(formation, figures, parents)
        if owner is not None:
            covered.setdefault(owner, []).append(units)
    results: dict[str, CountedFigure] = {}

    def count(formation: str) -> Quantity:
        inner = [count(nested) for nested in parts.get(formation, ())] + covered.get(formation, [])
        summed = total(inner)
        own = figures[formation].combined
        whole, part = wholly(formation), partly(formation)
        low = max(own.low if whole else 0, summed.low)
        high = (own.high if part else summed.high) if part or inner else 0
        if high is not None and high < low:
            high = low
        approximate = (own.approximate and part) or summed.approximate
        result = Quantity(low, high, approximate)
        if part or not result.is_exact or result.low:
            results[formation] = CountedFigure(figures[formation], whole, part, result, cover[formation])
        return result

    for outermost in parts.get(None, ()):
        count(outermost)
    return tuple(results[f] for f in figures if f in results)
