"""Figures from several sources: when they can both hold, what they allow together, how far apart.

Two figures for the same thing *agree* when their ranges overlap, an approximate figure ("about
90") being first widened by :data:`TOLERANCE_PERCENT` of itself at each end; otherwise they
*disagree*, by the :func:`gap` between them. Figures that agree combine to what both allow (their
:func:`intersection`). This module is the one home of those rules: validation, the totals and the
claim check all ask it.
"""

from __future__ import annotations

from collections.abc import Iterable

from orbat.quantities import Quantity

__all__ = [
    "TOLERANCE_PERCENT",
    "allowed",
    "compatible",
    "gap",
    "hull",
    "intersection",
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
