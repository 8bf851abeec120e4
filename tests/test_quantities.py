"""Tests for :mod:`orbat.quantities`: parsing, rendering, arithmetic and its interval laws."""

from __future__ import annotations

import re

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from orbat.quantities import ACCEPTED_FORMS, InvalidQuantity, Quantity, parse_quantity, total

SYNTAX_HELP = (
    'write a count as a number (10, 4,000), a range (10-12, 10 to 12), "about 90" (or roughly, approximately, '
    'around, some, ~), "more than 4,000" (or over, >), "at least 61" (or >=, 61+, 61 or more, 61-plus), '
    '"fewer than 10" (or less than, under, <), "at most 10" (or no more than, up to, <=), "nearly 2,500" '
    '(or almost, just under), "a few", "several", "dozens of", "hundreds of" or "unknown"'
)

# --------------------------------------------------------------------------- every form, one meaning

# wording, low, high (None: open), approximate, shown form (str), as the count grammar documents them.
FORMS: list[tuple[str, int, int | None, bool, str]] = [
    ("10", 10, 10, False, "10"),
    ("4,000", 4000, 4000, False, "4,000"),
    ("about 90", 90, 90, True, "about 90"),
    ("roughly 90", 90, 90, True, "about 90"),
    ("approximately 90", 90, 90, True, "about 90"),
    ("around 90", 90, 90, True, "about 90"),
    ("some 90", 90, 90, True, "about 90"),
    ("~90", 90, 90, True, "about 90"),
    ("more than 4,000", 4001, None, False, "4,001+"),
    ("over 4,000", 4001, None, False, "4,001+"),
    ("> 4000", 4001, None, False, "4,001+"),
    ("at least 61", 61, None, False, "61+"),
    (">= 61", 61, None, False, "61+"),
    ("\u2265 61", 61, None, False, "61+"),
    ("4,001+", 4001, None, False, "4,001+"),
    ("61 or more", 61, None, False, "61+"),
    ("4,000-plus", 4000, None, False, "4,000+"),
    ("fewer than 10", 0, 9, False, "up to 9"),
    ("less than 10", 0, 9, False, "up to 9"),
    ("under 10", 0, 9, False, "up to 9"),
    ("< 10", 0, 9, False, "up to 9"),
    ("up to 10", 0, 10, False, "up to 10"),
    ("at most 10", 0, 10, False, "up to 10"),
    ("no more than 10", 0, 10, False, "up to 10"),
    ("<= 10", 0, 10, False, "up to 10"),
    ("\u2264 10", 0, 10, False, "up to 10"),
    ("nearly 2,500", 2250, 2499, True, "about 2,250\u20132,499"),
    ("almost 2,500", 2250, 2499, True, "about 2,250\u20132,499"),
    ("just under 2,500", 2250, 2499, True, "about 2,250\u20132,499"),
    ("nearly 95", 85, 94, True, "about 85\u201394"),
    ("almost 10", 9, 9, True, "about 9"),
    ("nearly 1", 0, 0, True, "about 0"),
    ("a few", 2, 4, True, "about 2\u20134"),
    ("several", 3, 9, True, "about 3\u20139"),
    ("dozens of", 24, 99, True, "about 24\u201399"),
    ("dozens", 24, 99, True, "about 24\u201399"),
    ("hundreds of", 200, 999, True, "about 200\u2013999"),
    ("hundreds", 200, 999, True, "about 200\u2013999"),
    ("10-12", 10, 12, False, "10\u201312"),
    ("10\u201312", 10, 12, False, "10\u201312"),
    ("10 to 12", 10, 12, False, "10\u201312"),
    ("about 10-12", 10, 12, True, "about 10\u201312"),
    ("roughly more than 4,000", 4001, None, True, "about 4,001+"),
    ("some 4,000-plus", 4000, None, True, "about 4,000+"),
    ("unknown", 0, None, False, "unknown"),
]


@pytest.mark.parametrize(("wording", "low", "high", "approximate", "shown"), FORMS)
def test_every_form_has_one_meaning(wording: str, low: int, high: int | None, approximate: bool, shown: str) -> None:
    q = parse_quantity(wording)
    assert (q.low, q.high, q.approximate) == (low, high, approximate)
    assert str(q) == shown
    assert q.wording == wording
    assert q.display == wording  # what the source said, for display
    again = parse_quantity(shown)
    assert again == q  # the shown form reads back to an equal count ...
    assert again.wording == shown  # ... worded as shown


def test_the_table_covers_every_form_the_error_lists() -> None:
    # Every quoted example and every alternative word of the error's list is read by a row above.
    words = {w.split(" ")[0].lower() for w, *_ in FORMS}
    for word in ("about", "roughly", "approximately", "around", "some", "more", "over", "at", "fewer", "less"):
        assert word in words, word
    for word in ("under", "no", "nearly", "almost", "just", "a", "several", "dozens", "hundreds", "unknown"):
        assert word in words, word
    for quoted in re.findall(r'"([^"]+)"', ACCEPTED_FORMS):
        assert parse_quantity(quoted).wording == quoted


@pytest.mark.parametrize(
    ("text", "wording", "shown"),
    [
        ("  Nearly   2,500 ", "Nearly 2,500", "about 2,250\u20132,499"),
        ("SEVERAL", "SEVERAL", "about 3\u20139"),
        ("A  few", "A few", "about 2\u20134"),
        ("Just Under 100", "Just Under 100", "about 90\u201399"),
    ],
)
def test_wording_keeps_the_case_and_collapses_spaces(text: str, wording: str, shown: str) -> None:
    q = parse_quantity(text)
    assert (q.wording, str(q)) == (wording, shown)


def test_wording_takes_no_part_in_equality_or_hashing() -> None:
    worded = parse_quantity("more than 4,000")
    assert worded == Quantity.at_least(4001)
    assert hash(worded) == hash(Quantity.at_least(4001))
    assert {worded, Quantity.at_least(4001), parse_quantity("4,001+")} == {worded}
    assert Quantity.at_least(4001).wording is None
    assert Quantity.at_least(4001).display == "4,001+"  # no wording: the shown form
    assert parse_quantity(4000).wording is None  # a number is its own wording


def test_sums_and_multiples_have_no_wording() -> None:
    a, b = parse_quantity("nearly 2,500"), parse_quantity("about 90")
    assert (a + b).wording is None
    assert (a + b).display == "about 2,340\u20132,589"
    assert a.times(2).wording is None
    assert total([a]).wording is None  # total starts from an exact 0
    assert sum([a]) is a  # the builtin sum returns a lone term as it is


@pytest.mark.parametrize(
    "text",
    ["about nearly 90", "about several", "some a few", "~dozens of", "nearly", "several 10", "a few of", "dozen"],
)
def test_vague_words_take_no_about_and_no_number(text: str) -> None:
    with pytest.raises(InvalidQuantity) as caught:
        parse_quantity(text)
    assert str(caught.value) == f"{text!r} is not a count; {SYNTAX_HELP}"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("nearly 0", "'nearly 0': nearly 0 is not a count"),
        ("Almost 0", "'Almost 0': almost 0 is not a count"),
        ("just under 0", "'just under 0': just under 0 is not a count"),
    ],
)
def test_nearly_nothing_is_not_a_count(text: str, message: str) -> None:
    with pytest.raises(InvalidQuantity) as caught:
        parse_quantity(text)
    assert str(caught.value) == message


# --------------------------------------------------------------------------- parsing


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (10, Quantity(10, 10)),
        (0, Quantity(0, 0)),
        ("10", Quantity(10, 10)),
        ("about 90", Quantity(90, 90, approximate=True)),
        ("roughly 90", Quantity(90, 90, approximate=True)),
        ("approximately 90", Quantity(90, 90, approximate=True)),
        ("~90", Quantity(90, 90, approximate=True)),
        ("~ 90", Quantity(90, 90, approximate=True)),
        ("About  90", Quantity(90, 90, approximate=True)),
        ("more than 4,000", Quantity(4001, None)),
        ("over 4000", Quantity(4001, None)),
        ("at least 61", Quantity(61, None)),
        ("4,001+", Quantity(4001, None)),
        ("2+", Quantity(2, None)),
        ("up to 10", Quantity(0, 10)),
        ("at most 10", Quantity(0, 10)),
        ("fewer than 10", Quantity(0, 9)),
        ("fewer than 1", Quantity(0, 0)),
        ("10-12", Quantity(10, 12)),
        ("10\u201312", Quantity(10, 12)),
        ("10 to 12", Quantity(10, 12)),
        ("10-10", Quantity(10, 10)),
        ("about 10-12", Quantity(10, 12, approximate=True)),
        ("1,000,000", Quantity(1_000_000, 1_000_000)),
        ("unknown", Quantity(0, None)),
        ("  Unknown ", Quantity(0, None)),
    ],
)
def test_parse_quantity(text: str | int, expected: Quantity) -> None:
    assert parse_quantity(text) == expected


def test_parse_more_than_is_one_above_and_unbounded() -> None:
    q = parse_quantity("more than 4,000")
    assert q.low == 4001
    assert q.high is None
    assert not q.approximate
    assert str(q) == "4,001+"


def test_parse_at_least_renders_with_plus() -> None:
    assert str(parse_quantity("at least 61")) == "61+"


def test_constructors_match_parsing() -> None:
    assert Quantity.exact(10) == parse_quantity(10)
    assert Quantity.about(90) == parse_quantity("about 90")
    assert Quantity.at_least(4001) == parse_quantity("more than 4,000")
    assert Quantity.at_most(10) == parse_quantity("up to 10")
    assert Quantity.between(10, 12) == parse_quantity("10 to 12")
    assert Quantity.unknown() == parse_quantity("unknown")
    assert Quantity.unknown(at_least=2) == parse_quantity("2+")


def test_flags() -> None:
    assert Quantity.exact(10).is_exact
    assert not Quantity.about(10).is_exact
    assert not Quantity.between(10, 12).is_exact
    assert Quantity.unknown().is_unknown
    assert not Quantity.unknown(at_least=2).is_unknown
    assert not Quantity.at_most(10).is_unknown


# --------------------------------------------------------------------------- rendering


@pytest.mark.parametrize(
    ("quantity", "text"),
    [
        (Quantity.exact(10), "10"),
        (Quantity.exact(0), "0"),
        (Quantity.exact(1234567), "1,234,567"),
        (Quantity.about(90), "about 90"),
        (Quantity.at_least(4001), "4,001+"),
        (Quantity.unknown(at_least=2), "2+"),
        (Quantity(4001, None, approximate=True), "about 4,001+"),
        (Quantity.between(10, 12), "10\u201312"),
        (Quantity(10, 12, approximate=True), "about 10\u201312"),
        (Quantity.at_most(10), "up to 10"),
        (Quantity(0, 10, approximate=True), "about up to 10"),
        (Quantity.unknown(), "unknown"),
        # An approximate unknown (e.g. "about 0" + "unknown") must not drop its flag.
        (Quantity(0, None, approximate=True), "about 0+"),
    ],
)
def test_str(quantity: Quantity, text: str) -> None:
    assert str(quantity) == text


def test_to_json() -> None:
    assert Quantity.about(90).to_json() == {"low": 90, "high": 90, "approximate": True, "text": "about 90"}
    assert parse_quantity("more than 4,000").to_json() == {
        "low": 4001,
        "high": None,
        "approximate": False,
        "text": "4,001+",
    }
    assert Quantity.unknown().to_json() == {"low": 0, "high": None, "approximate": False, "text": "unknown"}


# --------------------------------------------------------------------------- invalid input


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("-3", "a count cannot be negative, got '-3'"),
        (-3, "a count cannot be negative, got -3"),
        ("ten", f"'ten' is not a count; {SYNTAX_HELP}"),
        ("a handful", f"'a handful' is not a count; {SYNTAX_HELP}"),
        ("lots", f"'lots' is not a count; {SYNTAX_HELP}"),
        ("more than many", f"'more than many' is not a count; {SYNTAX_HELP}"),
        ("", f"'' is not a count; {SYNTAX_HELP}"),
        (True, f"True is not a count; {SYNTAX_HELP}"),
        ("12-10", "'12-10': the range runs backwards; write the lower end first"),
        ("fewer than 0", "'fewer than 0': fewer than 0 is not a count"),
        ("about", f"'about' is not a count; {SYNTAX_HELP}"),
        ("1,00", f"'1,00' is not a count; {SYNTAX_HELP}"),
        ("3.5", f"'3.5' is not a count; {SYNTAX_HELP}"),
    ],
)
def test_invalid_quantities_say_how_to_write_a_count(value: str | int, message: str) -> None:
    with pytest.raises(InvalidQuantity) as caught:
        parse_quantity(value)
    assert str(caught.value) == message


def test_invalid_quantity_is_a_value_error() -> None:
    with pytest.raises(ValueError, match="not a count"):
        parse_quantity("ten")


def test_constructor_rejects_bad_bounds() -> None:
    with pytest.raises(InvalidQuantity, match=r"^a count cannot be negative, got -1$"):
        Quantity(-1, 3)
    with pytest.raises(InvalidQuantity, match=r"^upper bound 2 is below lower bound 3$"):
        Quantity(3, 2)


def test_times_rejects_negative() -> None:
    with pytest.raises(InvalidQuantity, match=r"^cannot multiply a count by -1$"):
        Quantity.exact(3).times(-1)


# --------------------------------------------------------------------------- the arithmetic


def test_exact_plus_about_is_about() -> None:
    result = parse_quantity(10) + parse_quantity("about 90")
    assert result == Quantity.about(100)
    assert str(result) == "about 100"


def test_exact_plus_more_than_is_more_than() -> None:
    result = parse_quantity(10) + parse_quantity("more than 4,000")
    assert result == Quantity(4011, None)
    assert result.low == 4011
    assert result.high is None
    assert str(result) == "4,011+"


@pytest.mark.parametrize(
    ("known", "expected"),
    [
        (Quantity.exact(10), "10+"),
        (Quantity.about(90), "about 90+"),
        (Quantity.between(10, 12), "10+"),
        (Quantity.at_least(61), "61+"),
        (Quantity.at_most(10), "unknown"),
    ],
)
def test_anything_plus_unknown_is_at_least_the_known_part(known: Quantity, expected: str) -> None:
    for result in (known + Quantity.unknown(), Quantity.unknown() + known):
        assert result.low == known.low
        assert result.high is None
        assert result.approximate == known.approximate
        assert str(result) == expected


def test_sum_starts_from_zero() -> None:
    parts = [Quantity.exact(10), Quantity.about(90), Quantity.between(1, 2)]
    assert sum(parts) == Quantity(101, 102, approximate=True)
    assert 0 + Quantity.exact(5) == Quantity.exact(5)


def test_total() -> None:
    assert total([]) == Quantity.exact(0)
    assert total([]).is_exact
    assert str(total([])) == "0"
    assert total([Quantity.exact(10), parse_quantity("more than 4,000")]) == Quantity(4011, None)
    assert total(iter([Quantity.exact(1), Quantity.exact(2)])) == Quantity.exact(3)


def test_adding_a_plain_number_is_a_type_error() -> None:
    with pytest.raises(TypeError):
        Quantity.exact(1) + 1  # type: ignore[operator]
    with pytest.raises(TypeError):
        1 + Quantity.exact(1)


def test_times() -> None:
    assert Quantity.about(12).times(3) == Quantity.about(36)
    assert Quantity.between(1, 2).times(4) == Quantity.between(4, 8)
    assert Quantity.at_least(2).times(3) == Quantity.at_least(6)
    assert Quantity.about(12).times(0) == Quantity.exact(0)
    # No copies of any count, bounded or not, is exactly none.
    assert Quantity.at_least(2).times(0) == Quantity.exact(0)
    assert Quantity.unknown().times(0) == Quantity.exact(0)


def test_contains_and_overlaps() -> None:
    assert Quantity.between(10, 12).contains(10)
    assert Quantity.between(10, 12).contains(12)
    assert not Quantity.between(10, 12).contains(13)
    assert not Quantity.between(10, 12).contains(9)
    assert Quantity.at_least(4001).contains(10**9)
    assert Quantity.about(90).contains(90)
    assert not Quantity.about(90).contains(89)
    assert Quantity.between(10, 12).overlaps(Quantity.between(12, 20))
    assert not Quantity.between(10, 12).overlaps(Quantity.between(13, 20))
    assert Quantity.at_least(5).overlaps(Quantity.at_least(500))
    assert not Quantity.at_most(4).overlaps(Quantity.at_least(5))


# --------------------------------------------------------------------------- properties

# Small counts are drawn often so the edge cases at 0 (unknown, "up to", "fewer than") come up.
_COUNTS = st.one_of(st.integers(min_value=0, max_value=3), st.integers(min_value=0, max_value=10**7))


@st.composite
def quantities(draw: st.DrawFn) -> Quantity:
    """Any valid quantity: exact, approximate, ranged, bounded above, unbounded or unknown."""
    low = draw(_COUNTS)
    high = draw(st.one_of(st.none(), st.integers(min_value=low, max_value=low + 10**6), st.just(low)))
    return Quantity(low, high, draw(st.booleans()))


@given(quantities(), quantities())
def test_addition_is_commutative(a: Quantity, b: Quantity) -> None:
    assert a + b == b + a


@given(quantities(), quantities(), quantities())
def test_addition_is_associative(a: Quantity, b: Quantity, c: Quantity) -> None:
    assert (a + b) + c == a + (b + c)


@given(quantities())
def test_exact_zero_is_the_identity(q: Quantity) -> None:
    zero = Quantity.exact(0)
    assert q + zero == q
    assert zero + q == q
    assert 0 + q == q
    assert sum([q]) == q
    assert total([q]) == q


@given(st.lists(quantities(), max_size=6))
def test_sum_bounds_and_flag(parts: list[Quantity]) -> None:
    result = total(parts)
    assert result.low == sum(p.low for p in parts)
    assert (result.high is None) == any(p.high is None for p in parts)
    if result.high is not None:
        assert result.high == sum(p.high for p in parts if p.high is not None)
    assert result.approximate == any(p.approximate for p in parts)
    if parts:
        assert sum(parts) == result


@given(quantities(), quantities(), st.data())
def test_sum_contains_sums_of_members(a: Quantity, b: Quantity, data: st.DataObject) -> None:
    x = data.draw(st.integers(min_value=a.low, max_value=a.high if a.high is not None else a.low + 10**6))
    y = data.draw(st.integers(min_value=b.low, max_value=b.high if b.high is not None else b.low + 10**6))
    assert a.contains(x)
    assert b.contains(y)
    assert (a + b).contains(x + y)


@given(quantities(), st.integers(min_value=0, max_value=2 * 10**7))
def test_contains_matches_bounds(q: Quantity, n: int) -> None:
    assert q.contains(n) == (q.low <= n and (q.high is None or n <= q.high))
    assert q.contains(q.low)
    if q.high is not None:
        assert q.contains(q.high)
        assert not q.contains(q.high + 1)
    if q.low > 0:
        assert not q.contains(q.low - 1)


@given(quantities())
@example(Quantity(0, None, approximate=True))
@example(Quantity(0, 0, approximate=True))
def test_text_round_trips(q: Quantity) -> None:
    assert parse_quantity(str(q)) == q


@given(quantities())
def test_json_text_round_trips(q: Quantity) -> None:
    assert q.to_json() == {"low": q.low, "high": q.high, "approximate": q.approximate, "text": str(q)}
    assert parse_quantity(str(q.to_json()["text"])) == q


@given(quantities(), quantities())
def test_overlaps_is_symmetric(a: Quantity, b: Quantity) -> None:
    assert a.overlaps(b) == b.overlaps(a)


@given(quantities(), quantities(), st.integers(min_value=0, max_value=2 * 10**7))
def test_overlaps_means_a_shared_value(a: Quantity, b: Quantity, n: int) -> None:
    if a.contains(n) and b.contains(n):
        assert a.overlaps(b)
    if a.overlaps(b):
        shared = max(a.low, b.low)
        assert a.contains(shared)
        assert b.contains(shared)
    assert a.overlaps(a)


@given(quantities(), st.integers(min_value=0, max_value=12))
@example(Quantity.unknown(), 0)
def test_times_is_repeated_addition(q: Quantity, n: int) -> None:
    assert q.times(n) == total([q] * n)
    assert q.times(1) == q
