"""Counts as honest as their source: exact, approximate, bounded, ranged or unknown.

A :class:`Quantity` is an interval of whole numbers ``low..high`` (``high`` is ``None`` when
unbounded) plus an ``approximate`` flag for figures a source gives as "about" or "roughly".
Sums keep the uncertainty of every term, so a total never claims more precision than its parts.
:func:`parse_quantity` reads the words sources use ("nearly 2,500", "dozens of") and keeps the
wording for display; each form has one meaning, listed in ``docs/catalog-format.md``.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable

import attrs

__all__ = ["ACCEPTED_FORMS", "InvalidQuantity", "Quantity", "parse_quantity", "total"]


class InvalidQuantity(ValueError):
    """Text or numbers that do not describe a count."""


def _check_low(instance: Quantity, attribute: attrs.Attribute[int], value: int) -> None:
    if value < 0:
        raise InvalidQuantity(f"a count cannot be negative, got {value}")


def _check_high(instance: Quantity, attribute: attrs.Attribute[int | None], value: int | None) -> None:
    if value is not None and value < instance.low:
        raise InvalidQuantity(f"upper bound {value} is below lower bound {instance.low}")


@attrs.frozen(slots=True, order=False)
class Quantity:
    """A count ``low..high`` (``high=None``: no upper bound), possibly approximate.

    ``wording`` is the text a count was read from ("nearly 2,500"), kept for display only: it takes
    no part in equality or hashing, and sums and multiples have none (no source worded them).
    """

    low: int = attrs.field(validator=_check_low)
    high: int | None = attrs.field(validator=_check_high)
    approximate: bool = False
    wording: str | None = attrs.field(default=None, eq=False)

    @classmethod
    def exact(cls, n: int) -> Quantity:
        """Exactly ``n``: "10 F-35B"."""
        return cls(n, n)

    @classmethod
    def about(cls, n: int) -> Quantity:
        """Roughly ``n``: "roughly 90 combat aircraft"."""
        return cls(n, n, approximate=True)

    @classmethod
    def at_least(cls, n: int) -> Quantity:
        """``n`` or more: "at least 61"; "more than 4,000" is ``at_least(4001)``."""
        return cls(n, None)

    @classmethod
    def at_most(cls, n: int) -> Quantity:
        """``n`` or fewer: "up to 10"."""
        return cls(0, n)

    @classmethod
    def between(cls, low: int, high: int) -> Quantity:
        """A range: "10 to 12"."""
        return cls(low, high)

    @classmethod
    def unknown(cls, at_least: int = 0) -> Quantity:
        """No count given; ``at_least`` is what the wording implies (a plural: 2)."""
        return cls(at_least, None)

    @property
    def is_exact(self) -> bool:
        """True for a single number given without "about"."""
        return self.low == self.high and not self.approximate

    @property
    def display(self) -> str:
        """The source's wording where there is one ("more than 4,000"), else the shown form (``str``)."""
        return self.wording if self.wording is not None else str(self)

    @property
    def is_unknown(self) -> bool:
        """True when nothing at all is known of the count."""
        return self.low == 0 and self.high is None

    def __add__(self, other: Quantity) -> Quantity:
        if not isinstance(other, Quantity):
            return NotImplemented
        high = None if self.high is None or other.high is None else self.high + other.high
        return Quantity(self.low + other.low, high, self.approximate or other.approximate)

    def __radd__(self, other: int) -> Quantity:
        # Lets the builtin sum() start from 0.
        if other == 0:
            return self
        return NotImplemented

    def times(self, n: int) -> Quantity:
        """This count ``n`` times over (``n`` exact and not negative)."""
        if n < 0:
            raise InvalidQuantity(f"cannot multiply a count by {n}")
        if n == 0:
            # No copies of any count, even an unbounded one, is exactly none (as total([]) is).
            return Quantity.exact(0)
        high = None if self.high is None else self.high * n
        return Quantity(self.low * n, high, self.approximate and n > 0)

    def contains(self, n: int) -> bool:
        """Whether ``n`` lies within the bounds (ignoring approximation)."""
        return self.low <= n and (self.high is None or n <= self.high)

    def overlaps(self, other: Quantity) -> bool:
        """Whether both counts could be true at once (ignoring approximation)."""
        return (other.high is None or self.low <= other.high) and (self.high is None or other.low <= self.high)

    def __str__(self) -> str:
        if self.is_unknown and not self.approximate:
            # "about 0+" keeps the flag, so the text still reads back to an equal quantity.
            return "unknown"
        if self.high is None:
            text = f"{self.low:,}+"
        elif self.low == self.high:
            text = f"{self.low:,}"
        elif self.low == 0:
            text = f"up to {self.high:,}"
        else:
            text = f"{self.low:,}\u2013{self.high:,}"
        return f"about {text}" if self.approximate else text

    def to_json(self) -> dict[str, object]:
        """The JSON form: ``low``, ``high`` (``None`` when unbounded), ``approximate``, ``text``."""
        return {"low": self.low, "high": self.high, "approximate": self.approximate, "text": str(self)}


def total(quantities: Iterable[Quantity]) -> Quantity:
    """The sum of ``quantities``; zero when there are none."""
    result = Quantity.exact(0)
    for quantity in quantities:
        result = result + quantity
    return result


# --------------------------------------------------------------------------- the count grammar
#
# One meaning for each form, as a range; docs/catalog-format.md gives the reasons. Vague words get
# a range by convention and the approximate flag, so comparisons allow them their tolerance.

_NUMBER = r"(\d{1,3}(?:,\d{3})+|\d+)"
_APPROX = re.compile(r"^(?:about|roughly|approximately|around|some|~)\s*(.*)$", re.IGNORECASE)
# Forms with a number, which "about" and its synonyms may precede.
_FORMS: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern, re.IGNORECASE), form)
    for pattern, form in (
        (rf"^{_NUMBER}$", "exact"),
        (rf"^(?:more than|over|>)\s*{_NUMBER}$", "more"),
        (rf"^(?:at least|>=|\u2265)\s*{_NUMBER}$", "least"),
        (rf"^{_NUMBER}\s*(?:\+|-plus|\s+or more)$", "least"),
        (rf"^(?:fewer than|less than|under|<)\s*{_NUMBER}$", "fewer"),
        (rf"^(?:at most|no more than|up to|<=|\u2264)\s*{_NUMBER}$", "most"),
        (rf"^{_NUMBER}\s*(?:-|\u2013|to)\s*{_NUMBER}$", "range"),
    )
)
# "Nearly N": already vague, so no "about" before it.
_NEARLY = re.compile(rf"^(nearly|almost|just under)\s+{_NUMBER}$", re.IGNORECASE)
# Vague words with no number: a conventional range, always approximate.
_WORDS: dict[str, tuple[int, int]] = {
    "a few": (2, 4),
    "several": (3, 9),
    "dozens": (24, 99),
    "dozens of": (24, 99),
    "hundreds": (200, 999),
    "hundreds of": (200, 999),
}

ACCEPTED_FORMS = (
    "a number (10, 4,000), a range (10-12, 10 to 12), "
    '"about 90" (or roughly, approximately, around, some, ~), '
    '"more than 4,000" (or over, >), "at least 61" (or >=, 61+, 61 or more, 61-plus), '
    '"fewer than 10" (or less than, under, <), "at most 10" (or no more than, up to, <=), '
    '"nearly 2,500" (or almost, just under), "a few", "several", "dozens of", "hundreds of" or "unknown"'
)
"""The accepted forms of a count, as the ``bad-count`` error lists them."""

_SYNTAX_HELP = f"write a count as {ACCEPTED_FORMS}"


def _nearly(n: int) -> Quantity:
    # "Nearly N" is short of N by at most a tenth of it: 2,250 to 2,499 for "nearly 2,500".
    return Quantity(n - -(-n // 10), n - 1, approximate=True)


def parse_quantity(text: str | int) -> Quantity:
    """Read a count as a source words it: ``10``, ``"about 90"``, ``"more than 4,000"``, ...

    The text form of every quantity (``str(q)``) reads back to an equal quantity; a count read
    from text keeps that text (spaces collapsed) as its ``wording``.
    """
    if isinstance(text, bool):
        raise InvalidQuantity(f"{text!r} is not a count; {_SYNTAX_HELP}")
    if isinstance(text, int):
        if text < 0:
            raise InvalidQuantity(f"a count cannot be negative, got {text}")
        return Quantity.exact(text)
    return _parse_text(text)


@functools.lru_cache(maxsize=1 << 16)
def _parse_text(text: str) -> Quantity:
    # Cached: catalogs repeat the same counts, and a Quantity is immutable. Errors are not cached.
    wording = " ".join(text.split())
    quantity = _read(text, wording)
    return attrs.evolve(quantity, wording=wording)


def _read(text: str, raw: str) -> Quantity:
    lowered = raw.lower()
    if lowered == "unknown":
        return Quantity.unknown()
    if lowered in _WORDS:
        low, high = _WORDS[lowered]
        return Quantity(low, high, approximate=True)
    nearly = _NEARLY.fullmatch(raw)
    if nearly:
        n = int(nearly.group(2).replace(",", ""))
        if n == 0:
            raise InvalidQuantity(f"{text!r}: {nearly.group(1).lower()} 0 is not a count")
        return _nearly(n)
    approximate = False
    match = _APPROX.match(raw)
    if match:
        approximate, raw = True, match.group(1)
    if raw.startswith("-") and raw[1:].replace(",", "").isdigit():
        raise InvalidQuantity(f"a count cannot be negative, got {text!r}")
    for pattern, form in _FORMS:
        found = pattern.fullmatch(raw)
        if not found:
            continue
        numbers = [int(group.replace(",", "")) for group in found.groups()]
        n = numbers[0]
        if form == "exact":
            return Quantity(n, n, approximate)
        if form == "more":
            return Quantity(n + 1, None, approximate)
        if form == "least":
            return Quantity(n, None, approximate)
        if form == "fewer":
            if n == 0:
                raise InvalidQuantity(f"{text!r}: fewer than 0 is not a count")
            return Quantity(0, n - 1, approximate)
        if form == "most":
            return Quantity(0, n, approximate)
        if numbers[1] < n:
            raise InvalidQuantity(f"{text!r}: the range runs backwards; write the lower end first")
        return Quantity(n, numbers[1], approximate)
    raise InvalidQuantity(f"{text!r} is not a count; {_SYNTAX_HELP}")
