"""Dates as precise as their source: a year, a month, a day, or a span between two of them.

A :class:`PartialDate` is the interval of calendar days it may denote ("August 2025" is Aug 1 to
Aug 31). Comparisons say what is *certain* and what is only *possible*: August 2025 is certainly
before Sep 1, and only possibly before Aug 15.
"""

from __future__ import annotations

import calendar
import datetime as dt
import enum
import functools
import re

import attrs

__all__ = ["InvalidDate", "PartialDate", "Precision", "day_after", "day_before", "parse_date"]


class InvalidDate(ValueError):
    """Text that does not name a date, month, year or span of them."""


class Precision(enum.IntEnum):
    """How finely a date was given."""

    YEAR = 1
    MONTH = 2
    DAY = 3


def _first_day(year: int, month: int | None, day: int | None) -> dt.date:
    return dt.date(year, month or 1, day or 1)


def _last_day(year: int, month: int | None, day: int | None) -> dt.date:
    if month is None:
        return dt.date(year, 12, 31)
    if day is None:
        return dt.date(year, month, calendar.monthrange(year, month)[1])
    return dt.date(year, month, day)


def _iso(day: dt.date, precision: Precision) -> str:
    if precision is Precision.YEAR:
        return f"{day.year:04d}"
    if precision is Precision.MONTH:
        return f"{day.year:04d}-{day.month:02d}"
    return day.isoformat()


def _check_span(instance: PartialDate, attribute: attrs.Attribute[dt.date], value: dt.date) -> None:
    if value < instance.start:
        raise InvalidDate(f"a span cannot end ({value}) before it starts ({instance.start})")


@attrs.frozen(slots=True, order=False)
class PartialDate:
    """The days ``start..end`` a source's date may denote, and the precision it was given at.

    ``approximate`` records a source's "about"; comparisons still use ``start..end`` as given.
    """

    start: dt.date
    end: dt.date = attrs.field(validator=_check_span)
    precision: Precision
    approximate: bool = False

    @classmethod
    def day(cls, year: int, month: int, day: int) -> PartialDate:
        """A single day: "on Oct. 24"."""
        d = dt.date(year, month, day)
        return cls(d, d, Precision.DAY)

    @classmethod
    def month(cls, year: int, month: int) -> PartialDate:
        """A month with no day: "in August"."""
        return cls(_first_day(year, month, None), _last_day(year, month, None), Precision.MONTH)

    @classmethod
    def year(cls, year: int) -> PartialDate:
        """A year alone."""
        return cls(dt.date(year, 1, 1), dt.date(year, 12, 31), Precision.YEAR)

    @classmethod
    def of(cls, day: dt.date) -> PartialDate:
        """A calendar date, at day precision."""
        return cls(day, day, Precision.DAY)

    @property
    def is_span(self) -> bool:
        """True for a span between two dates given at the same precision ("Sep 21-23")."""
        return _iso(self.start, self.precision) != _iso(self.end, self.precision)

    def certainly_before(self, other: PartialDate | dt.date) -> bool:
        """Every day this may be comes before every day ``other`` may be."""
        return self.end < _start(other)

    def possibly_before(self, other: PartialDate | dt.date) -> bool:
        """Some day this may be comes before some day ``other`` may be."""
        return self.start < _end(other)

    def certainly_after(self, other: PartialDate | dt.date) -> bool:
        """Every day this may be comes after every day ``other`` may be."""
        return self.start > _end(other)

    def possibly_after(self, other: PartialDate | dt.date) -> bool:
        """Some day this may be comes after some day ``other`` may be."""
        return self.end > _start(other)

    def certainly_on_or_before(self, other: PartialDate | dt.date) -> bool:
        """Every day this may be is no later than every day ``other`` may be."""
        return self.end <= _start(other)

    def possibly_on_or_before(self, other: PartialDate | dt.date) -> bool:
        """Some day this may be is no later than some day ``other`` may be."""
        return self.start <= _end(other)

    def overlaps(self, other: PartialDate | dt.date) -> bool:
        """Whether the two could be the same day."""
        return self.start <= _end(other) and _start(other) <= self.end

    def sort_key(self) -> tuple[dt.date, dt.date]:
        """Orders dates by their earliest, then latest, possible day."""
        return (self.start, self.end)

    def isoformat(self) -> str:
        """ISO 8601 text at the date's own precision: "2025", "2025-08", "2025-09-21/2025-09-23"."""
        text = _iso(self.start, self.precision)
        if self.is_span:
            text = f"{text}/{_iso(self.end, self.precision)}"
        return f"~{text}" if self.approximate else text

    def __str__(self) -> str:
        return self.isoformat()


def _start(value: PartialDate | dt.date) -> dt.date:
    return value.start if isinstance(value, PartialDate) else value


def _end(value: PartialDate | dt.date) -> dt.date:
    return value.end if isinstance(value, PartialDate) else value


_PART = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")
_HELP = (
    "write a date as 2025-10-24, a month as 2025-08, a year as 2025, a span as 2025-09-21/2025-09-23, "
    'and "about" as ~2025-10-31'
)


def _parse_part(text: str, whole: str) -> tuple[dt.date, dt.date, Precision]:
    match = _PART.fullmatch(text)
    if not match:
        raise InvalidDate(f"{whole!r} is not a date; {_HELP}")
    year, month, day = (int(g) if g else None for g in match.groups())
    assert year is not None
    try:
        start, end = _first_day(year, month, day), _last_day(year, month, day)
    except ValueError as exc:
        raise InvalidDate(f"{whole!r} is not a calendar date ({exc})") from None
    precision = Precision.DAY if day else Precision.MONTH if month else Precision.YEAR
    return start, end, precision


def parse_date(value: str | dt.date) -> PartialDate:
    """Read a date at its own precision: ``2025``, ``2025-08``, ``2025-10-24``, spans and ``~``."""
    if type(value) is str:  # the usual case first
        return _parse_text(value)
    if isinstance(value, dt.datetime):
        raise InvalidDate(f"{value!r} has a time of day; {_HELP}")
    if isinstance(value, dt.date):
        return PartialDate.of(value)
    return _parse_text(value)


@functools.lru_cache(maxsize=1 << 16)
def _parse_text(value: str) -> PartialDate:
    # Cached: a catalog writes the same few thousand dates again and again, and a PartialDate is
    # immutable. Errors are raised each time, not cached.
    text = value.strip()
    approximate = text.startswith("~")
    if approximate:
        text = text[1:].strip()
    first, slash, second = text.partition("/")
    start, first_end, precision = _parse_part(first, value)
    end = first_end
    if slash:  # "2025-09-21/" (a span with no end) is an error, not the single day
        _, end, second_precision = _parse_part(second, value)
        if second_precision is not precision:
            raise InvalidDate(f"{value!r}: both ends of a span must have the same precision")
        if end < start:
            raise InvalidDate(f"{value!r}: the span ends before it starts; write the earlier date first")
    return PartialDate(start, end, precision, approximate)


def day_after(day: dt.date, days: int = 1) -> dt.date:
    """``days`` days later, or the last day there is (9999-12-31): a catalog may reach it."""
    return day + dt.timedelta(days=days) if (dt.date.max - day).days >= days else dt.date.max


def day_before(day: dt.date, days: int = 1) -> dt.date:
    """``days`` days earlier, or the first day there is (0001-01-01)."""
    return day - dt.timedelta(days=days) if (day - dt.date.min).days >= days else dt.date.min
