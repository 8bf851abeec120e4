"""Tests for :mod:`orbat.figures`: when figures can both hold, what they allow together, how far apart."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from orbat.dates import PartialDate, parse_date
from orbat.disputes import find_disagreements
from orbat.figures import (
    TOLERANCE_PERCENT,
    Combination,
    CombinedFigure,
    allowed,
    combine,
    compatible,
    gap,
    hull,
    intersection,
)
from orbat.model import Catalog, Citation, Figure, Formation
from orbat.quantities import Quantity, parse_quantity, total

q = parse_quantity

# --------------------------------------------------------------------------- the rules, case by case


@pytest.mark.parametrize(
    ("text", "low", "high"),
    [
        ("90", 90, 90),
        ("about 90", 81, 99),
        ("about 4,500", 4050, 4950),
        ("about 5", 4, 6),  # a tenth of 5, rounded up, is 1
        ("about 0", 0, 0),
        ("nearly 2,500", 2025, 2749),  # 2,250-2,499, widened
        ("about 4,001+", 3600, None),
        ("more than 4,000", 4001, None),
        ("up to 10", 0, 10),
        ("several", 2, 10),
        ("unknown", 0, None),
    ],
)
def test_allowed_widens_only_approximate_figures(text: str, low: int, high: int | None) -> None:
    widened = allowed(q(text))
    assert (widened.low, widened.high) == (low, high)
    assert widened.approximate == q(text).approximate
    assert TOLERANCE_PERCENT == 10


@pytest.mark.parametrize(
    ("a", "b", "apart", "together"),
    [
        # The case: "nearly 2,500" and "more than 2,000" can both be true.
        ("nearly 2,500", "more than 2,000", 0, "about 2,250\u20132,499"),
        ("more than 60", "about 90", 0, "about 90"),
        ("more than 4,000", "about 4,500", 0, "about 4,500"),
        # Apart as written, together once "about" is granted its tolerance.
        ("about 4,500", "more than 4,500", 0, "about 4,501\u20134,950"),
        ("about 90", "about 95", 0, "about 85\u201399"),  # 95 less 10 (9.5 rounded up)
        ("10-12", "11", 0, "11"),
        ("about 10-12", "11", 0, "11"),
        ("about 10-12", "12-20", 0, "about 12"),
        ("at least 61", "up to 100", 0, "61\u2013100"),
        ("unknown", "about 90", 0, "about 90"),
        ("unknown", "unknown", 0, "unknown"),
        # Cannot both hold: how far apart they are.
        ("48", "about 70", 15, None),
        ("8", "13", 5, None),
        ("more than 6,000", "about 4,500", 1051, None),
        ("fewer than 10", "at least 12", 3, None),
        ("a few", "dozens of", 16, None),  # 2-4 widened to 2-5; 24-99 to 21-109
    ],
)
def test_gap_and_intersection(a: str, b: str, apart: int, together: str | None) -> None:
    assert gap(q(a), q(b)) == gap(q(b), q(a)) == apart
    assert compatible(q(a), q(b)) is (apart == 0)
    combined = intersection([q(a), q(b)])
    assert (None if combined is None else str(combined)) == together


def test_intersection_of_many_and_of_none() -> None:
    assert intersection([q("more than 2,000"), q("nearly 2,500"), q("about 2,400")]) == Quantity.about(2400)
    assert intersection([q("about 90")]) == Quantity.about(90)
    assert intersection([q("8"), q("13"), q("8")]) is None
    with pytest.raises(ValueError, match=r"^intersection of no figures$"):
        intersection([])


def test_hull_covers_every_figure() -> None:
    assert hull([q("48"), q("about 70")]) == Quantity(48, 70, True)
    assert hull([q("more than 60"), q("about 90")]) == Quantity(61, None, True)
    with pytest.raises(ValueError, match=r"^hull of no figures$"):
        hull([])


# --------------------------------------------------------------------------- properties

_COUNTS = st.one_of(st.integers(min_value=0, max_value=12), st.integers(min_value=0, max_value=10**6))


@st.composite
def quantities(draw: st.DrawFn) -> Quantity:
    """Any valid quantity: exact, approximate, ranged, bounded above, unbounded or unknown."""
    low = draw(_COUNTS)
    high = draw(st.one_of(st.none(), st.just(low), st.integers(min_value=low, max_value=low + 10**5)))
    return Quantity(low, high, draw(st.booleans()))


@given(quantities(), quantities())
def test_intersection_and_overlap_are_symmetric(a: Quantity, b: Quantity) -> None:
    assert gap(a, b) == gap(b, a)
    assert compatible(a, b) == compatible(b, a)
    assert intersection([a, b]) == intersection([b, a])
    assert (intersection([a, b]) is None) == (not compatible(a, b))


@given(quantities(), quantities())
@example(Quantity.about(4500), Quantity.at_least(4501))
def test_combining_compatible_figures_never_widens_the_range(a: Quantity, b: Quantity) -> None:
    combined = intersection([a, b])
    if combined is None:
        return
    # Within what each figure allows ...
    for figure in (allowed(a), allowed(b)):
        assert combined.low >= figure.low
        assert figure.high is None or (combined.high is not None and combined.high <= figure.high)
    # ... and within each figure itself when the figures overlap as written.
    if a.overlaps(b):
        for figure in (a, b):
            assert combined.low >= figure.low
            assert figure.high is None or (combined.high is not None and combined.high <= figure.high)


@given(quantities(), quantities(), st.integers(min_value=0, max_value=2 * 10**6))
def test_a_value_both_allow_lies_in_their_intersection(a: Quantity, b: Quantity, n: int) -> None:
    if a.contains(n) and b.contains(n):
        combined = intersection([a, b])
        assert combined is not None and combined.contains(n)
    if allowed(a).contains(n) and allowed(b).contains(n):
        assert compatible(a, b)


@given(quantities(), quantities())
def test_overlapping_ranges_are_never_apart(a: Quantity, b: Quantity) -> None:
    if a.overlaps(b):
        assert gap(a, b) == 0
    else:
        assert gap(a, b) <= max(a.low, b.low) - min(x for x in (a.high, b.high) if x is not None)


@given(st.lists(quantities(), min_size=1, max_size=5))
def test_sums_keep_low_at_most_high(parts: list[Quantity]) -> None:
    result = total(parts)
    assert result.high is None or result.low <= result.high
    assert hull(parts).low <= min(p.low for p in parts)


def _catalog(*figures: tuple[Quantity, str]) -> Catalog:
    """A catalog of one formation with these personnel figures, each of its own date and source."""
    day = PartialDate.day(2025, 10, 1)
    formation = Formation(
        "group",
        "A group",
        "strike group",
        personnel=tuple(Figure(count, (Citation(source),), day) for count, source in figures),
    )
    return Catalog({}, {}, {}, {}, {}, {}, {}, {"group": formation}, (), {})


@given(quantities(), quantities())
@example(q("nearly 2,500"), q("more than 2,000"))
@example(q("about 4,500"), q("more than 4,500"))
def test_two_figures_that_can_both_hold_never_warn(a: Quantity, b: Quantity) -> None:
    found = find_disagreements(_catalog((a, "first"), (b, "second")))
    if compatible(a, b):
        assert found == ()
    else:
        (disagreement,) = found
        assert disagreement.code == "sources-disagree"
        assert disagreement.message.endswith(f"; the figures cannot both hold, {gap(a, b):,} apart; both are kept")


def test_the_warning_says_how_far_apart_and_in_the_sources_words() -> None:
    (found,) = find_disagreements(_catalog((q("more than 6,000"), "ap"), (q("about 4,500"), "herald")))
    assert found.message == (
        "'group' personnel: herald gives about 4,500 (4,050\u20134,950 allowing 10%), ap gives more than 6,000 "
        "(6,001+); the figures cannot both hold, 1,051 apart; both are kept"
    )
    assert [side.sources for side in found.sides] == [("ap",), ("herald",)]
    assert find_disagreements(_catalog((q("more than 2,000"), "a"), (q("nearly 2,500"), "b"))) == ()
    assert find_disagreements(_catalog((q("8"), "a"), (q("8"), "a"))) == ()


# --------------------------------------------------------------------------- combining one formation's figures

HERALD, CNN, NAVY = "herald", "cnn", "navy"


def _figure(text: str, source: str, day: str | None) -> Figure:
    return Figure(q(text), (Citation(source),), None if day is None else parse_date(day))


def test_one_figure_is_used_as_it_is() -> None:
    combined = combine("csg", "aircraft", [_figure("about 90", HERALD, "2025-11-04")], dt.date(2025, 11, 10))
    assert combined is not None
    assert (combined.combined, combined.how, combined.sources) == (Quantity.about(90), Combination.ONE, (HERALD,))
    assert combined.describe() == "about 90 (herald)"
    assert not combined.disputed


def test_figures_that_can_both_hold_combine_to_what_both_allow_citing_both() -> None:
    figures = [_figure("about 90", HERALD, "2025-11-04"), _figure("more than 60", CNN, "2025-11-16")]
    assert combine("csg", "aircraft", figures, dt.date(2025, 11, 10)) == CombinedFigure(
        "csg", "aircraft", (figures[0],), Quantity.about(90), Combination.ONE
    )  # CNN's figure is not given yet
    combined = combine("csg", "aircraft", figures, dt.date(2025, 11, 16))
    assert combined is not None
    assert combined.combined == Quantity.about(90)
    assert combined.how is Combination.AGREED
    assert combined.figures == tuple(figures)
    assert combined.sources == (HERALD, CNN)
    assert combined.by_source() == (
        ("about 90", (HERALD,), parse_date("2025-11-04")),
        ("more than 60", (CNN,), parse_date("2025-11-16")),
    )
    assert combined.describe() == "about 90 (herald); more than 60 (cnn): about 90, what all allow"
    # The case: "more than 2,000" and "nearly 2,500" give what both allow.
    marines = [_figure("more than 2,000", NAVY, "2025-08-14"), _figure("nearly 2,500", HERALD, "2025-08")]
    both = combine("arg", "personnel", marines, dt.date(2025, 9, 1))
    assert both is not None and str(both.combined) == "about 2,250\u20132,499" and both.how is Combination.AGREED


def test_figures_that_cannot_both_hold_are_disputed_covering_both() -> None:
    figures = [_figure("48", NAVY, "2025-10-21"), _figure("about 70", HERALD, "2025-10")]
    combined = combine("cvw", "aircraft", figures, dt.date(2025, 10, 31))
    assert combined is not None
    assert combined.combined == Quantity(48, 70, approximate=True)
    assert combined.how is Combination.DISPUTED and combined.disputed
    assert set(combined.sources) == {NAVY, HERALD}
    assert combined.describe() == "48 (navy); about 70 (herald): about 48\u201370, disputed"


def test_an_earlier_figure_is_replaced_only_by_its_own_source_or_a_month_on() -> None:
    old = _figure("3,500", NAVY, "2025-08-01")
    other = _figure("about 4,000", HERALD, "2025-08-20")
    new = _figure("4,500", NAVY, "2025-09-10")
    later = _figure("more than 4,000", CNN, "2025-10-08")
    on_sep_15 = combine("arg", "personnel", [old, other, new], dt.date(2025, 9, 15))
    assert on_sep_15 is not None
    # The Navy's own newer figure replaces its older one; the Herald's holds (within a month).
    assert (on_sep_15.figures, on_sep_15.earlier) == ((other, new), (old,))
    # "about 4,000" allows 3,600-4,400: 100 short of 4,500, so the two are disputed.
    assert on_sep_15.how is Combination.DISPUTED and on_sep_15.combined == Quantity(4000, 4500, True)
    on_oct_20 = combine("arg", "personnel", [old, other, new, later], dt.date(2025, 10, 20))
    assert on_oct_20 is not None
    # CNN's figure is more than a month newer than the Herald's: that one reports an earlier state.
    assert on_oct_20.figures == (new, later) and set(on_oct_20.earlier) == {old, other}
    assert on_oct_20.combined == Quantity.exact(4500) and on_oct_20.how is Combination.AGREED
    assert combine("arg", "personnel", [old], dt.date(2025, 7, 31)) is None


def test_an_undated_figure_always_holds() -> None:
    undated = _figure("about 60", HERALD, None)
    dated = _figure("66", NAVY, "2025-10-21")
    combined = combine("cvw", "aircraft", [undated, dated], dt.date(2026, 6, 1))
    assert combined is not None and combined.figures == (undated, dated)
    assert combined.combined == Quantity.about(66)  # 66 is within what "about 60" allows (54-66)
