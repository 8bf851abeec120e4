"""Tests for :mod:`orbat.claims`: verdicts on ranges, forecasts over their window, a claim's own
arithmetic, and the claim format's checks. Each case is a small catalog written for it."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

import orbat
from orbat.claims import ClaimCheck, Verdict, check_claims, check_parts, verdict
from orbat.quantities import Quantity, parse_quantity

q = parse_quantity

HEAD = """
sources:
  - {id: navy, title: Navy summary (test), publisher: Navy, date: 2025-12-01}
  - {id: wire, title: Wire report (test), publisher: Wire, date: 2025-11-01}
places:
  - {id: sea, name: Caribbean Sea, kind: sea}
  - {id: home, name: Norfolk, kind: base}
vessels:
  - {id: gravely, name: USS Gravely, hull: DDG-107, navy: US}
  - {id: dunham, name: USS Jason Dunham, hull: DDG-109, navy: US}
  - {id: sampson, name: USS Sampson, hull: DDG-102, navy: US}
  - {id: iwo, name: USS Iwo Jima, hull: LHD-7, navy: US}
formations:
  - id: arg
    name: Iwo Jima Amphibious Ready Group
    kind: ready group
    personnel:
      - {count: "about 4,500", as_of: 2025-11-01, cite: navy}
events:
  - {date: 2025-11-01, kind: arrived, units: [gravely, dunham], place: sea, cite: navy}
  - {date: 2025-11-01, kind: joined, units: [iwo], formation: arg, cite: navy}
  - {date: 2025-11-01, kind: arrived, units: [iwo], place: sea, cite: navy}
  - {date: 2025-11-20, kind: arrived, units: [sampson], place: sea, cite: navy}
"""


def checks_of(tmp_path: Path, claims: str) -> dict[str, ClaimCheck]:
    (tmp_path / "catalog.yaml").write_text(HEAD + "claims:" + claims, encoding="utf-8")
    return {c.figure.what: c for c in check_claims(orbat.load(tmp_path))}


# --------------------------------------------------------------------------- the verdict rule


@pytest.mark.parametrize(
    ("reported", "catalog", "expected"),
    [
        ("2", "2", Verdict.AGREES),
        ("more than 60", "about 90", Verdict.AGREES),  # 81-99 all lie above 60
        ("about 90", "85", Verdict.AGREES),  # 85 is within the 81-99 "about 90" allows
        ("about 90", "about 90", Verdict.AGREES),
        ("7", "6-9", Verdict.COMPATIBLE),
        ("about 15,000", "4,501+", Verdict.COMPATIBLE),
        ("more than 4,500", "about 4,500", Verdict.COMPATIBLE),
        ("4", "3", Verdict.DISAGREES),
        ("more than 6,000", "about 4,500", Verdict.DISAGREES),
        ("13", "unknown", Verdict.CANNOT_TELL),
        ("unknown", "2+", Verdict.CANNOT_TELL),  # the report gives no number to check
    ],
)
def test_verdict_compares_ranges(reported: str, catalog: str, expected: Verdict) -> None:
    assert verdict(q(reported), q(catalog)) is expected
    assert verdict(q(reported), None) is Verdict.CANNOT_TELL


# --------------------------------------------------------------------------- reports of a day

REPORTS = """
  - id: wire-destroyers
    as_of: 2025-11-10
    scope: sea
    figures:
      - {what: two destroyers, count: 2, measure: vessels, types: [DDG]}
      - {what: three destroyers, count: 3, measure: vessels, types: [DDG]}
      - {what: a destroyer, count: 1, measure: vessels, types: [DDG]}
      - {what: sailors, count: "about 4,500", measure: personnel}
      - {what: sailors by ship type, count: 100, measure: personnel, types: [DDG]}
    cite: wire
"""


def test_each_verdict_shows_both_ranges_and_what_a_disagreement_rests_on(tmp_path: Path) -> None:
    checks = checks_of(tmp_path, REPORTS)
    two = checks["two destroyers"]
    assert (two.reported, two.catalog_count, two.verdict, two.on) == (
        Quantity.exact(2),
        Quantity.exact(2),
        Verdict.AGREES,
        dt.date(2025, 11, 10),
    )
    assert two.reason == "every value the catalog allows, 2, lies in the reported 2 (units the catalog has present)"
    # The catalog counts fewer: it can count at most Gravely and Jason Dunham.
    three = checks["three destroyers"]
    assert (three.verdict, three.gap, three.rests_on) == (Verdict.DISAGREES, 1, ("gravely", "dunham"))
    assert three.reason == (
        "cannot both hold, 1 apart; the catalog can count at most 2: gravely, dunham (units the catalog has present)"
    )
    # The catalog counts more: it certainly counts these two.
    one = checks["a destroyer"]
    assert (one.verdict, one.gap, one.rests_on) == (Verdict.DISAGREES, 1, ("gravely", "dunham"))
    assert one.reason == (
        "cannot both hold, 1 apart; the catalog certainly counts 2: gravely, dunham (units the catalog has present)"
    )
    # Figures of one claim are not other reports of it.
    assert two.others == three.others == ()
    # The ready group is all here: its "about 4,500"; its destroyers' crews are in no figure.
    sailors = checks["sailors"]
    assert (sailors.catalog_count, sailors.verdict) == (Quantity(4500, None, True), Verdict.COMPATIBLE)
    assert sailors.reason == (
        "the catalog's about 4,500+ and the reported about 4,500 overlap (the formations' personnel figures; "
        "2 vessel(s) present are in no formation with one: no upper bound)"
    )
    narrowed = checks["sailors by ship type"]
    assert (narrowed.catalog_count, narrowed.verdict) == (None, Verdict.CANNOT_TELL)
    assert narrowed.reason == "personnel cannot be narrowed by category or type"


# --------------------------------------------------------------------------- forecasts

FORECASTS = """
  - id: wire-soon
    as_of: 2025-11-10
    forecast: 2025-11-10/2025-11-30
    scope: sea
    figures:
      - {what: three destroyers soon, count: 3, measure: vessels, types: [DDG]}
    note: "will soon have three destroyers"
    cite: wire
  - id: wire-by-mid-month
    as_of: 2025-11-10
    forecast: 2025-11-10/2025-11-15
    scope: sea
    figures:
      - {what: three destroyers by mid-month, count: 3, measure: vessels, types: [DDG]}
    cite: wire
"""


def test_a_forecast_is_checked_over_its_window(tmp_path: Path) -> None:
    checks = checks_of(tmp_path, FORECASTS)
    # Sampson arrives on Nov 20, within the window: borne out on that day.
    soon = checks["three destroyers soon"]
    assert soon.forecast
    assert (soon.verdict, soon.catalog_count, soon.on) == (Verdict.AGREES, Quantity.exact(3), dt.date(2025, 11, 20))
    assert soon.reason == (
        "forecast for 2025-11-10/2025-11-30, best on 2025-11-20: every value the catalog allows, 3, lies in the "
        "reported 3 (units the catalog has present)"
    )
    # By mid-month only two are there on any day of the window.
    early = checks["three destroyers by mid-month"]
    assert (early.verdict, early.catalog_count, early.gap) == (Verdict.DISAGREES, Quantity.exact(2), 1)
    assert early.rests_on == ("gravely", "dunham")
    assert early.reason.startswith("forecast for 2025-11-10/2025-11-15, best on 2025-11-10: cannot both hold, 1 apart")


def test_the_same_figure_as_a_report_of_its_day_disagrees(tmp_path: Path) -> None:
    report = FORECASTS.replace("    forecast: 2025-11-10/2025-11-30\n", "")
    check = checks_of(tmp_path, report)["three destroyers soon"]
    assert not check.forecast
    assert (check.verdict, check.on) == (Verdict.DISAGREES, dt.date(2025, 11, 10))


# --------------------------------------------------------------------------- a claim's own arithmetic

ARITHMETIC = """
  - id: wire-parts
    as_of: 2025-11-10
    scope: sea
    figures:
      - {what: vessels, count: 13, measure: vessels}
      - {what: warships, count: 8, measure: vessels, part_of: vessels}
      - {what: amphibious vessels, count: 3, measure: vessels, part_of: vessels}
      - {what: a submarine, count: 1, measure: vessels, part_of: vessels}
      - {what: destroyers, count: 5, measure: vessels, types: [DDG]}
      - {what: new destroyers, count: 4, measure: vessels, types: [DDG], part_of: destroyers}
      - {what: old destroyers, count: 3, measure: vessels, types: [DDG], part_of: destroyers}
      - {what: ships, count: about 10, measure: vessels}
      - {what: big ships, count: 6, measure: vessels, part_of: ships}
      - {what: small ships, count: 5, measure: vessels, part_of: ships}
    cite: wire
"""


def test_parts_that_do_not_add_up_are_reported(tmp_path: Path) -> None:
    checks = checks_of(tmp_path, ARITHMETIC)
    short = checks["vessels"].parts
    assert short is not None
    assert ([p.what for p in short.parts], short.total, short.outcome, short.gap) == (
        ["warships", "amphibious vessels", "a submarine"],
        Quantity.exact(12),
        "fall short",
        1,
    )
    assert short.consistent
    assert short.describe() == "parts 8 + 3 + 1 = 12 fall 1 short of 13 (the rest is not described)"
    assert checks["vessels"].reason.endswith("; parts 8 + 3 + 1 = 12 fall 1 short of 13 (the rest is not described)")
    over = checks["destroyers"].parts
    assert over is not None and (over.total, over.outcome, over.gap) == (Quantity.exact(7), "exceed", 2)
    assert not over.consistent
    assert over.describe() == "parts 4 + 3 = 7 exceed 5 by 2: the claim cannot hold as stated"
    # 11 is within the 9-11 that "about 10" allows.
    fine = checks["ships"].parts
    assert fine is not None and fine.outcome == "add up" and fine.describe() == "parts 6 + 5 = 11 add up to about 10"
    assert checks["warships"].parts is None  # a part has no arithmetic of its own


def test_check_parts_needs_no_catalog(tmp_path: Path) -> None:
    (tmp_path / "catalog.yaml").write_text(HEAD + "claims:" + ARITHMETIC, encoding="utf-8")
    claim = orbat.load(tmp_path).claims["wire-parts"]
    assert [p.whole.what for p in check_parts(claim)] == ["vessels", "destroyers", "ships"]


# --------------------------------------------------------------------------- the format's checks


def problems_of(tmp_path: Path, claims: str) -> list[str]:
    (tmp_path / "catalog.yaml").write_text(HEAD + "claims:" + claims, encoding="utf-8")
    return [str(p) for p in orbat.validate(tmp_path).errors]


def test_a_forecast_window_that_ends_before_the_claim_is_an_error(tmp_path: Path) -> None:
    claims = FORECASTS.replace("forecast: 2025-11-10/2025-11-15", "forecast: 2025-10")
    assert problems_of(tmp_path, claims) == [
        f"{tmp_path / 'catalog.yaml'}:35:15: error[bad-date]: claim 'wire-by-mid-month': the forecast window "
        "2025-10 ends before the claim's date 2025-11-10; a forecast is about days after it is made"
    ]


def test_a_part_must_name_another_figure_of_the_claim(tmp_path: Path) -> None:
    claims = ARITHMETIC.replace("part_of: destroyers}", "part_of: destroyer}", 1)
    (error,) = problems_of(tmp_path, claims)
    assert error.startswith(f"{tmp_path / 'catalog.yaml'}:34:83: error[unknown-reference]: claim 'wire-parts': ")
    assert error.endswith(
        "figure 'new destroyers' is a part of 'destroyer', which is not another figure of the claim; name one "
        "of its figures' 'what' ('vessels', 'warships', 'amphibious vessels', 'a submarine', 'destroyers', "
        "'old destroyers', 'ships', 'big ships', 'small ships')"
    )


def test_a_part_counts_what_its_whole_counts(tmp_path: Path) -> None:
    claims = ARITHMETIC.replace(
        "{what: a submarine, count: 1, measure: vessels, part_of: vessels}",
        "{what: a submarine, count: 1, measure: personnel, part_of: vessels}",
    )
    (error,) = problems_of(tmp_path, claims)
    assert error.endswith(
        "error[bad-value]: claim 'wire-parts': figure 'a submarine' counts personnel but is a part of 'vessels', "
        "which counts vessels; a part counts what its whole counts"
    )
