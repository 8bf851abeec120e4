"""Tests for :mod:`orbat.dates`: parsing, ISO text, and certain/possible comparisons."""

from __future__ import annotations

import calendar
import datetime as dt

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from orbat.dates import InvalidDate, PartialDate, Precision, parse_date

HELP = (
    "write a date as 2025-10-24, a month as 2025-08, a year as 2025, a span as 2025-09-21/2025-09-23, "
    'and "about" as ~2025-10-31'
)

# --------------------------------------------------------------------------- parsing


def test_parse_year() -> None:
    d = parse_date("2025")
    assert d == PartialDate(dt.date(2025, 1, 1), dt.date(2025, 12, 31), Precision.YEAR)
    assert d == PartialDate.year(2025)
    assert not d.approximate
    assert not d.is_span


def test_parse_month() -> None:
    d = parse_date("2025-08")
    assert d.start == dt.date(2025, 8, 1)
    assert d.end == dt.date(2025, 8, 31)
    assert d.precision is Precision.MONTH
    assert d == PartialDate.month(2025, 8)
    assert not d.is_span


@pytest.mark.parametrize(("text", "last"), [("2024-02", 29), ("2025-02", 28), ("2000-02", 29), ("1900-02", 28)])
def test_parse_february(text: str, last: int) -> None:
    d = parse_date(text)
    year = int(text[:4])
    assert d.start == dt.date(year, 2, 1)
    assert d.end == dt.date(year, 2, last)
    assert d.precision is Precision.MONTH


def test_parse_day() -> None:
    d = parse_date("2025-10-24")
    assert d == PartialDate(dt.date(2025, 10, 24), dt.date(2025, 10, 24), Precision.DAY)
    assert d == PartialDate.day(2025, 10, 24)
    assert not d.is_span


def test_parse_day_span() -> None:
    d = parse_date("2025-09-21/2025-09-23")
    assert d == PartialDate(dt.date(2025, 9, 21), dt.date(2025, 9, 23), Precision.DAY)
    assert d.is_span
    assert d.isoformat() == "2025-09-21/2025-09-23"


def test_parse_month_and_year_spans() -> None:
    months = parse_date("2025-08/2025-09")
    assert months == PartialDate(dt.date(2025, 8, 1), dt.date(2025, 9, 30), Precision.MONTH)
    assert months.is_span
    years = parse_date("2024/2025")
    assert years == PartialDate(dt.date(2024, 1, 1), dt.date(2025, 12, 31), Precision.YEAR)
    assert years.is_span


def test_span_of_one_unit_is_that_unit() -> None:
    assert parse_date("2025-09-21/2025-09-21") == parse_date("2025-09-21")
    assert parse_date("2025-08/2025-08") == parse_date("2025-08")
    assert not parse_date("2025-08/2025-08").is_span


def test_parse_approximate() -> None:
    d = parse_date("~2025-10-31")
    assert d == PartialDate(dt.date(2025, 10, 31), dt.date(2025, 10, 31), Precision.DAY, approximate=True)
    assert d.isoformat() == "~2025-10-31"
    assert parse_date("~ 2025-10-31") == d
    assert parse_date("~2025-09-21/2025-09-23").approximate


def test_parse_strips_whitespace() -> None:
    assert parse_date("  2025-08 ") == PartialDate.month(2025, 8)


def test_parse_date_object() -> None:
    d = parse_date(dt.date(2025, 10, 24))
    assert d == PartialDate.of(dt.date(2025, 10, 24))
    assert d == PartialDate.day(2025, 10, 24)
    assert d.precision is Precision.DAY


# --------------------------------------------------------------------------- ISO text


@pytest.mark.parametrize(
    "text",
    ["2025", "2025-08", "2025-10-24", "2025-09-21/2025-09-23", "2025-08/2025-09", "2024/2025", "~2025-10-31", "~2025"],
)
def test_isoformat_is_the_text_at_its_own_precision(text: str) -> None:
    d = parse_date(text)
    assert d.isoformat() == text
    assert str(d) == text


def test_isoformat_of_constructors() -> None:
    assert PartialDate.year(2025).isoformat() == "2025"
    assert PartialDate.month(2025, 8).isoformat() == "2025-08"
    assert PartialDate.day(2025, 8, 5).isoformat() == "2025-08-05"
    assert PartialDate.of(dt.date(999, 1, 2)).isoformat() == "0999-01-02"


# --------------------------------------------------------------------------- invalid input


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("Aug 2025", f"'Aug 2025' is not a date; {HELP}"),
        ("", f"'' is not a date; {HELP}"),
        ("25-08", f"'25-08' is not a date; {HELP}"),
        ("2025-8", f"'2025-8' is not a date; {HELP}"),
        ("2025-09-21/", f"'2025-09-21/' is not a date; {HELP}"),
        ("2025/", f"'2025/' is not a date; {HELP}"),
        ("/2025", f"'/2025' is not a date; {HELP}"),
        ("2025/2026/2027", f"'2025/2026/2027' is not a date; {HELP}"),
        (
            "2025-09-23/2025-09-21",
            "'2025-09-23/2025-09-21': the span ends before it starts; write the earlier date first",
        ),
        ("2025-09/2025-08", "'2025-09/2025-08': the span ends before it starts; write the earlier date first"),
        ("2025-09/2025-09-23", "'2025-09/2025-09-23': both ends of a span must have the same precision"),
        ("2025/2025-09", "'2025/2025-09': both ends of a span must have the same precision"),
        (
            dt.datetime(2025, 10, 24, 12, 0),
            f"datetime.datetime(2025, 10, 24, 12, 0) has a time of day; {HELP}",
        ),
    ],
)
def test_invalid_dates_exact_messages(value: str | dt.date, message: str) -> None:
    with pytest.raises(InvalidDate) as caught:
        parse_date(value)
    assert str(caught.value) == message


@pytest.mark.parametrize("text", ["2025-13", "2025-00", "2025-02-30", "2025-02-29", "2025-08-00", "2025-04-31", "0000"])
def test_invalid_calendar_dates(text: str) -> None:
    # The parenthesised reason is Python's own and varies between versions.
    with pytest.raises(InvalidDate, match=rf"^'{text}' is not a calendar date \(.+\)$"):
        parse_date(text)


def test_invalid_date_is_a_value_error() -> None:
    with pytest.raises(ValueError, match="not a date"):
        parse_date("Aug 2025")


def test_constructor_rejects_backwards_span() -> None:
    with pytest.raises(InvalidDate, match=r"^a span cannot end \(2025-09-21\) before it starts \(2025-09-23\)$"):
        PartialDate(dt.date(2025, 9, 23), dt.date(2025, 9, 21), Precision.DAY)


# --------------------------------------------------------------------------- the example


def test_august_is_certainly_before_september_first() -> None:
    august = parse_date("2025-08")
    september_first = parse_date("2025-09-01")
    assert august.certainly_before(september_first)
    assert august.certainly_before(dt.date(2025, 9, 1))
    assert august.possibly_before(september_first)
    assert september_first.certainly_after(august)
    assert not august.overlaps(september_first)


def test_august_is_only_possibly_before_mid_august() -> None:
    august = parse_date("2025-08")
    mid = parse_date("2025-08-15")
    assert august.possibly_before(mid)
    assert not august.certainly_before(mid)
    assert august.possibly_before(dt.date(2025, 8, 15))
    assert not august.certainly_before(dt.date(2025, 8, 15))
    assert august.possibly_after(mid)
    assert not august.certainly_after(mid)
    assert august.overlaps(mid)
    assert mid.overlaps(august)
    assert august.overlaps(dt.date(2025, 8, 15))


def test_edges_of_a_month() -> None:
    august = parse_date("2025-08")
    assert not august.possibly_before(dt.date(2025, 8, 1))
    assert august.possibly_on_or_before(dt.date(2025, 8, 1))
    assert august.certainly_on_or_before(dt.date(2025, 8, 31))
    assert not august.certainly_before(dt.date(2025, 8, 31))
    assert not august.possibly_after(dt.date(2025, 8, 31))
    assert august.certainly_after(dt.date(2025, 7, 31))


def test_approximate_does_not_change_comparisons() -> None:
    assert parse_date("~2025-08").certainly_before(parse_date("2025-09-01"))
    assert parse_date("~2025-08").overlaps(parse_date("2025-08-15"))


def test_sort_key() -> None:
    dates = [parse_date(t) for t in ["2025-09-21/2025-09-23", "2025", "2025-08", "2025-08-15", "2024-12-31"]]
    ordered = [d.isoformat() for d in sorted(dates, key=PartialDate.sort_key)]
    assert ordered == ["2024-12-31", "2025", "2025-08", "2025-08-15", "2025-09-21/2025-09-23"]


# --------------------------------------------------------------------------- properties

_EARLIEST = dt.date(1990, 1, 1)
_LATEST = dt.date(2040, 12, 31)


def _at(precision: Precision, day: dt.date) -> PartialDate:
    """The year, month or day containing ``day``."""
    if precision is Precision.YEAR:
        return PartialDate.year(day.year)
    if precision is Precision.MONTH:
        return PartialDate.month(day.year, day.month)
    return PartialDate.of(day)


@st.composite
def partial_dates(
    draw: st.DrawFn, earliest: dt.date = _EARLIEST, latest: dt.date = _LATEST, max_span_days: int | None = None
) -> PartialDate:
    """Years, months and days, single or spans of the same precision, approximate or not."""
    precision = draw(st.sampled_from(Precision))
    first = draw(st.dates(min_value=earliest, max_value=latest))
    start = _at(precision, first).start
    end = _at(precision, first).end
    if draw(st.booleans()):
        last = latest if max_span_days is None else min(latest, first + dt.timedelta(days=max_span_days))
        end = _at(precision, draw(st.dates(min_value=first, max_value=last))).end
    return PartialDate(start, end, precision, draw(st.booleans()))


_DAYS = st.dates(min_value=_EARLIEST, max_value=_LATEST)


@given(partial_dates())
def test_generated_dates_are_well_formed(d: PartialDate) -> None:
    assert d.start <= d.end
    assert d.start == _at(d.precision, d.start).start
    assert d.end == _at(d.precision, d.end).end


@given(partial_dates())
@example(PartialDate.month(2024, 2))
@example(PartialDate(dt.date(2024, 1, 1), dt.date(2025, 12, 31), Precision.YEAR, approximate=True))
def test_text_round_trips(d: PartialDate) -> None:
    assert parse_date(d.isoformat()) == d
    assert parse_date(str(d)) == d


@given(partial_dates())
def test_isoformat_shape(d: PartialDate) -> None:
    text = d.isoformat()
    assert text.startswith("~") == d.approximate
    parts = text.removeprefix("~").split("/")
    assert len(parts) == (2 if d.is_span else 1)
    width = {Precision.YEAR: 4, Precision.MONTH: 7, Precision.DAY: 10}[d.precision]
    assert all(len(part) == width for part in parts)


@given(partial_dates(), partial_dates())
def test_certainly_implies_possibly(a: PartialDate, b: PartialDate) -> None:
    if a.certainly_before(b):
        assert a.possibly_before(b)
        assert a.certainly_on_or_before(b)
    if a.certainly_after(b):
        assert a.possibly_after(b)
    if a.certainly_on_or_before(b):
        assert a.possibly_on_or_before(b)
    if a.possibly_before(b):
        assert a.possibly_on_or_before(b)


@given(partial_dates(), partial_dates())
def test_before_and_after_are_converse(a: PartialDate, b: PartialDate) -> None:
    assert a.certainly_before(b) == b.certainly_after(a)
    assert a.possibly_before(b) == b.possibly_after(a)


@given(partial_dates(), partial_dates())
def test_possible_is_the_negation_of_certain_converse(a: PartialDate, b: PartialDate) -> None:
    # a may come before b  <=>  b is not certainly on or before a.
    assert a.possibly_before(b) == (not b.certainly_on_or_before(a))
    # a may be on or before b  <=>  b is not certainly before a  <=>  a is not certainly after b.
    assert a.possibly_on_or_before(b) == (not b.certainly_before(a))
    assert a.possibly_on_or_before(b) == (not a.certainly_after(b))
    # a may come after b  <=>  a is not certainly on or before b.
    assert a.possibly_after(b) == (not a.certainly_on_or_before(b))


@given(partial_dates(), partial_dates())
def test_certainly_before_excludes_the_other_way(a: PartialDate, b: PartialDate) -> None:
    if a.certainly_before(b):
        assert not a.possibly_after(b)
        assert not a.overlaps(b)
        assert not b.possibly_before(a)
        assert not b.possibly_on_or_before(a)
        assert not a.certainly_after(b)


@given(partial_dates(), partial_dates())
def test_exactly_one_of_before_overlapping_after(a: PartialDate, b: PartialDate) -> None:
    assert [a.certainly_before(b), a.overlaps(b), a.certainly_after(b)].count(True) == 1


@given(partial_dates(), partial_dates())
def test_overlaps(a: PartialDate, b: PartialDate) -> None:
    assert a.overlaps(b) == b.overlaps(a)
    assert a.overlaps(b) == (a.possibly_on_or_before(b) and b.possibly_on_or_before(a))
    assert a.overlaps(a)


@given(partial_dates(), partial_dates())
def test_comparisons_accept_a_plain_date_as_a_day(a: PartialDate, b: PartialDate) -> None:
    for day in (b.start, b.end):
        as_day = PartialDate.of(day)
        assert a.certainly_before(day) == a.certainly_before(as_day)
        assert a.possibly_before(day) == a.possibly_before(as_day)
        assert a.certainly_after(day) == a.certainly_after(as_day)
        assert a.possibly_after(day) == a.possibly_after(as_day)
        assert a.certainly_on_or_before(day) == a.certainly_on_or_before(as_day)
        assert a.possibly_on_or_before(day) == a.possibly_on_or_before(as_day)
        assert a.overlaps(day) == a.overlaps(as_day)


def _days(d: PartialDate) -> list[dt.date]:
    return [d.start + dt.timedelta(days=n) for n in range((d.end - d.start).days + 1)]


def _near_dates() -> st.SearchStrategy[PartialDate]:
    """Months and days (single or short spans) around one new year, few enough days to enumerate."""
    return partial_dates(dt.date(2024, 11, 1), dt.date(2025, 3, 31), max_span_days=40).filter(
        lambda d: d.precision is not Precision.YEAR
    )


@given(_near_dates(), _near_dates())
def test_comparisons_match_their_definitions_day_by_day(a: PartialDate, b: PartialDate) -> None:
    pairs = [(x, y) for x in _days(a) for y in _days(b)]
    assert a.certainly_before(b) == all(x < y for x, y in pairs)
    assert a.possibly_before(b) == any(x < y for x, y in pairs)
    assert a.certainly_after(b) == all(x > y for x, y in pairs)
    assert a.possibly_after(b) == any(x > y for x, y in pairs)
    assert a.certainly_on_or_before(b) == all(x <= y for x, y in pairs)
    assert a.possibly_on_or_before(b) == any(x <= y for x, y in pairs)
    assert a.overlaps(b) == any(x == y for x, y in pairs)


@given(_DAYS, _DAYS, st.booleans(), st.booleans())
def test_day_precision_comparisons_are_plain_comparisons(x: dt.date, y: dt.date, ax: bool, ay: bool) -> None:
    a = PartialDate(x, x, Precision.DAY, ax)
    b = PartialDate(y, y, Precision.DAY, ay)
    assert a.certainly_before(b) == a.possibly_before(b) == (x < y)
    assert a.certainly_after(b) == a.possibly_after(b) == (x > y)
    assert a.certainly_on_or_before(b) == a.possibly_on_or_before(b) == (x <= y)
    assert a.overlaps(b) == (x == y)
    assert a.certainly_before(y) == (x < y)
    assert (a.sort_key() < b.sort_key()) == (x < y)


@given(partial_dates(), st.data())
def test_days_inside_are_possible(d: PartialDate, data: st.DataObject) -> None:
    x = data.draw(st.dates(min_value=d.start, max_value=d.end))
    for other in (x, PartialDate.of(x)):
        assert d.overlaps(other)
        assert d.possibly_on_or_before(other)
        assert not d.certainly_before(other)
        assert not d.certainly_after(other)
        assert d.possibly_before(other) == (d.start < x)
        assert d.possibly_after(other) == (x < d.end)
    assert PartialDate.of(x).overlaps(d)


@given(partial_dates(), _DAYS)
def test_days_outside_are_certain(d: PartialDate, x: dt.date) -> None:
    if x < d.start:
        assert d.certainly_after(x)
        assert not d.overlaps(x)
    elif x > d.end:
        assert d.certainly_before(x)
        assert not d.overlaps(x)
    else:
        assert d.overlaps(x)


@given(st.integers(min_value=1990, max_value=2040), st.integers(min_value=1, max_value=12))
def test_a_month_contains_exactly_its_days(year: int, month: int) -> None:
    d = parse_date(f"{year:04d}-{month:02d}")
    days = _days(d)
    assert days == [dt.date(year, month, n) for n in range(1, calendar.monthrange(year, month)[1] + 1)]
    assert d.overlaps(days[0])
    assert d.overlaps(days[-1])
    assert not d.overlaps(days[0] - dt.timedelta(days=1))
    assert not d.overlaps(days[-1] + dt.timedelta(days=1))
    assert all(d.overlaps(day) for day in days)


@given(st.integers(min_value=1990, max_value=2040))
def test_a_year_contains_exactly_its_days(year: int) -> None:
    d = parse_date(f"{year:04d}")
    assert d.start == dt.date(year, 1, 1)
    assert d.end == dt.date(year, 12, 31)
    assert len(_days(d)) == (366 if calendar.isleap(year) else 365)


@given(partial_dates(), partial_dates())
def test_sort_key_is_consistent_with_certainly_before(a: PartialDate, b: PartialDate) -> None:
    if a.certainly_before(b):
        assert a.sort_key() < b.sort_key()
    if a.certainly_after(b):
        assert a.sort_key() > b.sort_key()


@given(st.lists(partial_dates(), max_size=8))
def test_sorted_never_puts_a_certainly_later_date_first(dates: list[PartialDate]) -> None:
    ordered = sorted(dates, key=PartialDate.sort_key)
    for i, earlier in enumerate(ordered):
        for later in ordered[i + 1 :]:
            assert not earlier.certainly_after(later)
