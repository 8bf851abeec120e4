"""Disagreements as data: the same detection gives ``orbat validate`` its problems and the report its disputes."""

from __future__ import annotations

from pathlib import Path

import pytest

import orbat
from orbat.disputes import Disagreement, DisputeKind, disputes, find_disagreements
from orbat.problems import Severity

ROOT = Path(__file__).resolve().parent.parent
BAD = ROOT / "tests" / "fixtures" / "bad"


@pytest.fixture(scope="module")
def catalog() -> orbat.Catalog:
    return orbat.load(ROOT / "catalog")


def by_kind(found: tuple[Disagreement, ...], kind: DisputeKind) -> list[Disagreement]:
    return [d for d in found if d.kind is kind]


def test_every_disagreement_warning_of_validate_is_a_dispute(catalog: orbat.Catalog) -> None:
    found = disputes(catalog)
    assert found
    warnings = {p for p in orbat.validate(ROOT / "catalog").warnings if p.code in {d.code for d in found}}
    assert {d.problem for d in found} == warnings
    for dispute in found:
        assert dispute.between_sources and dispute.severity is Severity.WARNING
        assert len(dispute.sides) == 2
        assert all(side.sources for side in dispute.sides)
        # The two sides never share a source: one source does not dispute itself.
        assert not set(dispute.sides[0].sources) & set(dispute.sides[1].sources)


def test_the_f35b_place_dispute_has_both_places_and_sources(catalog: orbat.Catalog) -> None:
    (place,) = [d for d in by_kind(disputes(catalog), DisputeKind.PLACE) if d.subject == "vmfa-225-f35b"]
    sides = {side.place: side.sources for side in place.sides}
    assert sides == {"ceiba": ("herald-2025-11-04", "twz-2025-09"), "muniz-angb": ("taskandpurpose",)}
    assert place.units == ("vmfa-225-f35b",)


def test_the_escort_lists_dispute_marks_the_ships_one_list_names(catalog: orbat.Catalog) -> None:
    (members,) = [d for d in by_kind(disputes(catalog), DisputeKind.MEMBERSHIP) if d.subject == "ford-csg"]
    named = {side.sources: side.units for side in members.sides}
    assert named[("herald-2025-11-04",)] == (
        "carney",
        "gerald-r-ford",
        "normandy",
        "ramage",
        "roosevelt",
        "thomas-hudner",
    )
    # The Ford is on both lists: its membership is not in dispute.
    assert "gerald-r-ford" not in members.units
    assert set(members.units) == {
        "bainbridge",
        "mahan",
        "winston-s-churchill",
        "carney",
        "normandy",
        "ramage",
        "roosevelt",
        "thomas-hudner",
    }


def test_news_after_decommissioning_is_a_dispute_between_sources(catalog: orbat.Catalog) -> None:
    (late,) = by_kind(disputes(catalog), DisputeKind.AFTER_SERVICE)
    assert late.subject == "normandy"
    decommissioned, named = late.sides
    assert decommissioned.sources == ("dvids-2025-09-25",)
    assert named.sources == ("herald-2025-11-04",)
    assert late.on_record is not None and late.on_record.isoformat() == "2025-10-24"


@pytest.mark.parametrize(
    ("fixture", "code", "severity"),
    [
        ("after-decommissioning-same-source", "after-decommissioning", Severity.ERROR),
        ("after-decommissioning-other-source", "after-decommissioning", Severity.WARNING),
        ("already-there", "already-there", Severity.ERROR),
    ],
)
def test_one_source_contradicting_itself_is_an_error_not_a_dispute(fixture: str, code: str, severity: Severity) -> None:
    result = orbat.validate(BAD / fixture)
    found = [p for p in result.problems if p.code == code]
    assert found and all(p.severity is severity for p in found)
    if severity is Severity.ERROR:
        return
    catalog = orbat.load(BAD / fixture)
    assert {d.problem for d in disputes(catalog)} >= set(found)
    assert all(d.between_sources for d in disputes(catalog))
    assert {d.problem for d in find_disagreements(catalog)} >= set(found)
