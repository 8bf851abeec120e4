"""The presence rules, case by case, on a small catalog written for them: units heading somewhere,
arrival windows, regions of several places and places within several, the default region, disputed
places, stale reports, service dates and the provenance of formation-wide events. Each test states
the exact low and high ends, status and citations, for the certain reading and the possible one.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import attrs
import pytest

import orbat
from orbat import Quantity, Snapshot, Status, UnitState
from orbat.cli import main
from orbat.queries import change_days

CATALOG = """\
settings:
  region: theatre
  title: the theatre

places:
  - {id: theatre, name: The Theatre, kind: region}
  - {id: surge, name: Surge Area, kind: region}
  - {id: red-sea, name: Red Sea, kind: sea, within: [theatre, surge]}
  - {id: gulf, name: Gulf of Aden, kind: sea, within: theatre}
  - {id: base-a, name: Base A, kind: base, within: gulf}
  - {id: base-b, name: Base B, kind: base, within: gulf}
  - {id: med, name: Mediterranean, kind: sea}
  - {id: home, name: Home Port, kind: port}

sources:
  - {id: s1, title: First report, publisher: Alpha News, date: 2025-06-30}
  - {id: s2, title: Second report, publisher: Beta Wire, date: 2025-06-30}
  - {id: s3, title: Group roster, publisher: Gamma Navy, date: 2025-02-01}
  - {id: register, title: Register, publisher: A Register}

vessels:
  - {id: alpha, name: USS Alpha, hull: DDG-1, navy: US, cite: register}
  - {id: bravo, name: USS Bravo, hull: DDG-2, navy: US, cite: register}
  - {id: echo, name: USS Echo, hull: DDG-5, navy: US, cite: register}
  - {id: golf, name: USS Golf, hull: DDG-7, navy: US, cite: register}
  - {id: hotel, name: USS Hotel, hull: DDG-8, navy: US, cite: register}
  - {id: india, name: USS India, hull: DDG-9, navy: US, cite: register}
  - {id: juliet, name: USS Juliet, hull: DDG-10, navy: US, cite: register}
  - {id: charlie, name: USS Charlie, hull: CG-3, navy: US, decommissioned: 2025-05-15, cite: register}
  - {id: delta, name: USS Delta, hull: DDG-4, navy: US, commissioned: 2025-04, cite: register}

aircraft:
  - {id: foxtrot, name: F-35B detachment, type: F-35B, count: 10, navy: USMC, cite: s1}

formations:
  - {id: grp, name: Surface Group, kind: task group}

events:
  # 1. Ordered, with no arrival reported until later.
  - {date: 2025-03-01, kind: ordered, units: [alpha], place: red-sea, cite: s1}
  - {date: 2025-03-20, kind: arrived, units: [alpha], place: red-sea, cite: s2}
  # An expected arrival window: from Mar 10 at the earliest.
  - {date: 2025-03-01, kind: expected, units: [bravo], place: gulf, arrival: 2025-03-10/2025-03-15, cite: s1}
  # "Arrived, day unknown": after its departure on Mar 1, reported there on Mar 20.
  - {date: 2025-03-01, kind: departed, units: [echo], place: home, to: gulf, cite: s1}
  - {date: 2025-03-01/2025-03-20, kind: arrived, units: [echo], place: gulf, cite: s2}
  # 2. A unit reported only in the larger place.
  - {date: 2025-03-01, kind: reported present, units: [juliet], place: theatre, cite: s1}
  # 4. Two sources put the detachment at two bases at what may be the same time.
  - {date: 2025-04-10, kind: arrived, units: [foxtrot], place: base-a, cite: s1}
  - {date: 2025-04, kind: reported present, units: [foxtrot], place: base-b, cite: s2}
  # 5. One report, long ago.
  - {date: 2025-01-05, kind: reported present, units: [golf], place: gulf, cite: s1}
  # 6. Service dates: present until decommissioned (the vessel's field); reported before commissioning.
  - {date: 2025-05-01, kind: reported present, units: [charlie], place: gulf, cite: s1}
  - {date: 2025-03-01, kind: reported present, units: [delta], place: gulf, cite: s1}
  # 7. A formation-wide order: the source names the group, not its ships.
  - {date: 2025-02-01, kind: joined, units: [hotel], formation: grp, cite: s3}
  - {date: 2025-03-01, kind: ordered, formation: grp, place: red-sea, cite: s1}
  # 8. Ordered somewhere outside the theatre.
  - {date: 2025-03-01, kind: ordered, units: [india], place: med, cite: s2}
"""


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("presence") / "catalog"
    path.mkdir()
    (path / "catalog.yaml").write_text(CATALOG, encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def catalog(folder: Path) -> orbat.Catalog:
    return orbat.load(folder)


def state(snap: Snapshot, unit_id: str) -> UnitState:
    found = [s for s in snap.states if s.unit_id == unit_id]
    assert len(found) == 1, unit_id
    return found[0]


def count_of(snap: Snapshot, *unit_ids: str) -> Quantity:
    """The region's count of just these units, as every total counts them."""
    return snap.count_of(s for s in snap.states if s.unit_id in unit_ids)


# ---------------------------------------------------------------------------------------------
# 1. A unit heading somewhere may already be there


def test_an_ordered_unit_is_possibly_at_its_destination_until_it_is_reported_there(catalog: orbat.Catalog) -> None:
    before = catalog.as_of("2025-02-28", "red-sea")
    assert [s.unit_id for s in before.states if s.unit_id == "alpha"] == []
    ordered = catalog.as_of("2025-03-10", "red-sea")
    alpha = state(ordered, "alpha")
    assert (alpha.status, alpha.place, alpha.places) == (Status.ORDERED, "red-sea", ("red-sea",))
    assert alpha.status_text == "ordered, possibly arrived"
    assert (alpha.certainly_present, alpha.possibly_present, alpha.certain) == (False, True, True)
    assert count_of(ordered, "alpha") == Quantity.between(0, 1)
    assert [c.source for c in alpha.citations] == ["s1"]
    assert alpha in ordered.bound()
    arrived = state(catalog.as_of("2025-03-20", "red-sea"), "alpha")
    assert (arrived.status, arrived.status_text, arrived.certainly_present) == (Status.PRESENT, "present", True)
    assert count_of(catalog.as_of("2025-03-20", "red-sea"), "alpha") == Quantity.exact(1)
    assert [c.source for c in arrived.status_citations] == ["s2"]


def test_an_arrival_window_opens_the_possibility_on_its_first_day(catalog: orbat.Catalog) -> None:
    early = catalog.as_of("2025-03-09", "gulf")
    bravo = state(early, "bravo")
    assert (bravo.status, bravo.place, bravo.places, bravo.status_text) == (Status.EXPECTED, "gulf", (), "expected")
    assert count_of(early, "bravo") == Quantity.exact(0)
    assert bravo in early.bound()  # bound for the region, not yet possibly there
    opened = catalog.as_of("2025-03-10", "gulf")
    assert state(opened, "bravo").status_text == "expected, possibly arrived"
    assert count_of(opened, "bravo") == Quantity.between(0, 1)
    # Past the window's end it stays possible: only a report of its arrival makes it certain.
    assert count_of(catalog.as_of("2025-06-30", "gulf"), "bravo") == Quantity.between(0, 1)
    assert dt.date(2025, 3, 10) in change_days(catalog)


def test_an_arrival_on_a_day_unknown_is_possible_from_the_departure_and_certain_from_the_report(
    catalog: orbat.Catalog,
) -> None:
    during = catalog.as_of("2025-03-10", "gulf")
    echo = state(during, "echo")
    assert (echo.status, echo.status_text, echo.certain) == (Status.PRESENT, "possibly present", False)
    assert count_of(during, "echo") == Quantity.between(0, 1)
    after = catalog.as_of("2025-03-20", "gulf")
    assert (state(after, "echo").status_text, count_of(after, "echo")) == ("present", Quantity.exact(1))
    assert [
        (str(c.date), c.kinds) for c in catalog.changes("2025-02-28", "2025-03-20", "gulf") if c.unit.id == "echo"
    ] == [("2025-03-01/2025-03-20", ("arrived",))]


# ---------------------------------------------------------------------------------------------
# 2. Regions made of several places, places within several


def test_a_region_of_several_places_counts_units_in_any_of_them(catalog: orbat.Catalog) -> None:
    day = "2025-03-21"
    red, gulf = catalog.as_of(day, "red-sea"), catalog.as_of(day, "gulf")
    both = catalog.as_of(day, "red-sea,gulf")
    assert both.region == orbat.Region(frozenset({"red-sea", "gulf"}))
    assert both.region_title == "Gulf of Aden and Red Sea"
    present = {s.unit_id for s in red.present()} | {s.unit_id for s in gulf.present()}
    assert {s.unit_id for s in both.present()} == present
    # Juliet, reported only in the theatre, is possibly in either sea: counted once, not twice.
    assert (red.vessels(), gulf.vessels(), both.vessels()) == (
        Quantity.between(1, 3),
        Quantity.between(2, 4),
        Quantity.between(3, 6),
    )
    assert catalog.as_of(day, ["red-sea", "gulf"]).vessels() == both.vessels()


def test_a_place_within_several_places_is_in_each(catalog: orbat.Catalog) -> None:
    day = "2025-03-21"
    for region in ("surge", "theatre", "red-sea"):
        snap = catalog.as_of(day, region)
        assert snap.certainly_here(state(snap, "alpha")), region
    assert not catalog.as_of(day, "surge").possibly_here(state(catalog.as_of(day, "surge"), "echo"))


def test_a_unit_reported_in_a_larger_place_is_only_possibly_in_a_region_inside_it(catalog: orbat.Catalog) -> None:
    snap = catalog.as_of("2025-03-21", "gulf")
    juliet = state(snap, "juliet")
    assert juliet.place == "theatre" and juliet.certainly_present
    assert snap.possibly_here(juliet) and not snap.certainly_here(juliet)
    assert count_of(snap, "juliet") == Quantity.between(0, 1)
    assert count_of(catalog.as_of("2025-03-21", "theatre"), "juliet") == Quantity.exact(1)
    assert count_of(catalog.as_of("2025-03-21", "med"), "juliet") == Quantity.exact(0)


def test_an_unknown_region_is_refused(catalog: orbat.Catalog) -> None:
    with pytest.raises(ValueError, match="no place has id 'atlantis'; use place ids from the catalog, or 'all'"):
        catalog.as_of("2025-03-21", "gulf,atlantis")


# ---------------------------------------------------------------------------------------------
# 3. The default region is the catalog's, for the library and the command alike


def test_the_default_region_is_the_settings_region(catalog: orbat.Catalog, capsys: pytest.CaptureFixture[str]) -> None:
    default, theatre = catalog.as_of("2025-03-21"), catalog.as_of("2025-03-21", "theatre")
    assert default.region == theatre.region and default.vessels() == theatre.vessels()
    assert default.region_title == "the theatre"
    everywhere = catalog.as_of("2025-03-21", "all")
    assert everywhere.region_title == "all places" and everywhere.region.everywhere


def test_the_command_counts_the_same_default_region(folder: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["table", str(folder), "--as-of", "2025-03-21", "--by", "type", "--format", "json"]) == 0
    out = capsys.readouterr().out
    assert '"title": "Vessels present by type as of 2025-03-21 in the theatre"' in out
    assert main(["table", str(folder), "--as-of", "2025-03-21", "--region", "nowhere"]) == 2
    assert "--region: no place has id 'nowhere'" in capsys.readouterr().err


# ---------------------------------------------------------------------------------------------
# 4. Disputed places stay disputed


def test_disputed_places_give_each_place_a_range_and_the_total_stays_exact(catalog: orbat.Catalog) -> None:
    snap = catalog.as_of("2025-04-30", "gulf")
    foxtrot = state(snap, "foxtrot")
    assert foxtrot.places == ("base-b", "base-a") or foxtrot.places == ("base-a", "base-b")
    assert foxtrot.disputed and not foxtrot.certain
    assert foxtrot.status_text == "present (sources disagree on the place)"
    assert snap.aircraft() == Quantity.exact(10)  # certainly at one of two bases, both in the gulf
    assert snap.breakdown("base") == {"base-a": Quantity.between(0, 10), "base-b": Quantity.between(0, 10)}
    assert {c.source for c in foxtrot.citations} == {"s1", "s2"}
    # In a region holding only one of the bases it is possibly there, not certainly.
    only_a = catalog.as_of("2025-04-30", "base-a")
    assert only_a.aircraft() == Quantity.between(0, 10)


# ---------------------------------------------------------------------------------------------
# 5. Stale reports show their age


def test_stale_presence_becomes_possible(catalog: orbat.Catalog) -> None:
    golf = state(catalog.as_of("2025-06-01", "gulf"), "golf")
    assert golf.last_reported is not None and golf.last_reported.isoformat() == "2025-01-05"
    assert golf.age(dt.date(2025, 6, 1)) == 147
    assert count_of(catalog.as_of("2025-06-01", "gulf"), "golf") == Quantity.exact(1)
    stale = catalog.as_of("2025-06-01", "gulf", stale_after=90)
    assert stale.stale(golf) and count_of(stale, "golf") == Quantity.between(0, 1)
    fresh = catalog.as_of("2025-03-01", "gulf", stale_after=90)
    assert count_of(fresh, "golf") == Quantity.exact(1)
    with pytest.raises(ValueError, match="stale_after must be 0 or more days, got -1"):
        catalog.as_of("2025-06-01", stale_after=-1)


def test_stale_after_on_the_command_line(folder: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["table", str(folder), "--as-of", "2025-06-01", "--region", "gulf", "--stale-after", "-3"]) == 2
    assert "--stale-after: '-3': give 0 or more days" in capsys.readouterr().err


# ---------------------------------------------------------------------------------------------
# 6. Service dates end and start counting as events do


def test_the_decommissioned_field_ends_counting(catalog: orbat.Catalog) -> None:
    assert count_of(catalog.as_of("2025-05-10", "gulf"), "charlie") == Quantity.exact(1)
    charlie = state(catalog.as_of("2025-05-20", "gulf"), "charlie")
    assert (charlie.status, charlie.possibly_present) == (Status.DECOMMISSIONED, False)
    assert [c.source for c in charlie.status_citations] == ["register"]


def test_the_commissioned_field_starts_counting(catalog: orbat.Catalog) -> None:
    assert [s for s in catalog.as_of("2025-03-15", "gulf").states if s.unit_id == "delta"] == []
    assert count_of(catalog.as_of("2025-04-15", "gulf"), "delta") == Quantity.between(0, 1)  # "2025-04": perhaps
    assert count_of(catalog.as_of("2025-04-30", "gulf"), "delta") == Quantity.exact(1)


# ---------------------------------------------------------------------------------------------
# 7. Provenance: a formation-wide event cites the membership it relied on


def test_a_formation_wide_order_cites_the_membership_behind_it(catalog: orbat.Catalog) -> None:
    hotel = state(catalog.as_of("2025-03-05", "red-sea"), "hotel")
    assert hotel.status_text == "ordered, possibly arrived"
    order = next(e for e in hotel.events if e.kind is orbat.EventKind.ORDERED)
    assert order.units == ()  # the source named the group, not the ship
    membership = hotel.via[hotel.events.index(order)]
    assert membership is not None and membership.kind is orbat.EventKind.JOINED
    assert [c.source for c in hotel.status_citations] == ["s1", "s3"]


# ---------------------------------------------------------------------------------------------
# 8. Units bound for the region are those heading into it


def test_units_bound_for_the_region_are_those_heading_into_it(catalog: orbat.Catalog) -> None:
    snap = catalog.as_of("2025-03-05", "theatre")
    assert {s.unit_id for s in snap.bound()} == {"alpha", "bravo", "hotel"}
    assert "india" not in {s.unit_id for s in snap.bound()}  # bound for the Mediterranean
    assert {s.unit_id for s in catalog.as_of("2025-03-05", "med").bound()} == {"india"}


# ---------------------------------------------------------------------------------------------
# Cases the properties of tests/test_queries.py generalise


def test_a_unit_ordered_away_may_still_be_where_it_was(catalog: orbat.Catalog) -> None:
    # Golf, in the gulf since January, is ordered on to the Mediterranean: until a report says it
    # left, it may be at either, and certainly at neither.
    when = orbat.parse_date("2025-02-01")
    ordered = orbat.Event("golf-on", when, orbat.EventKind.ORDERED, ("golf",), (), place="med")
    moved = attrs.evolve(catalog, events=(*catalog.events, ordered))
    golf = state(moved.as_of("2025-02-10", "gulf"), "golf")
    assert (golf.status_text, golf.places) == ("ordered, possibly arrived", ("gulf", "med"))
    assert count_of(moved.as_of("2025-02-10", "gulf"), "golf") == Quantity.between(0, 1)
    assert count_of(moved.as_of("2025-02-10", "med"), "golf") == Quantity.between(0, 1)


def test_a_new_order_leaves_the_earlier_destination_possible_until_a_report_places_the_unit(
    catalog: orbat.Catalog,
) -> None:
    # Bravo, expected in the gulf from Mar 10, is then expected in the Mediterranean: a new
    # expectation is no report of where it went, so it may be at the Mediterranean from that day
    # and at the gulf once the gulf's window opens; never certainly at either.
    when = orbat.parse_date("2025-03-02")
    expected = orbat.Event("bravo-med", when, orbat.EventKind.EXPECTED, ("bravo",), (), place="med")
    moved = attrs.evolve(catalog, events=(*catalog.events, expected))
    early = state(moved.as_of("2025-03-05", "theatre"), "bravo")
    assert (early.status, early.place, early.places) == (Status.EXPECTED, "med", ("med",))
    assert count_of(moved.as_of("2025-03-05", "med"), "bravo") == Quantity.between(0, 1)
    assert count_of(moved.as_of("2025-03-05", "gulf"), "bravo") == Quantity.exact(0)  # its window is not open
    bravo = state(moved.as_of("2025-03-12", "theatre"), "bravo")
    assert (bravo.place, bravo.places, bravo.certainly_present) == ("med", ("med", "gulf"), False)
    assert bravo.status_text == "expected, possibly arrived"
    assert count_of(moved.as_of("2025-03-12", "gulf"), "bravo") == Quantity.between(0, 1)
    assert count_of(moved.as_of("2025-03-12", "med"), "bravo") == Quantity.between(0, 1)
    # A report that it arrived in the Mediterranean settles it: no longer possibly in the gulf.
    arrived = orbat.Event(
        "bravo-in", orbat.parse_date("2025-03-11"), orbat.EventKind.ARRIVED, ("bravo",), (), place="med"
    )
    settled = attrs.evolve(moved, events=(*moved.events, arrived))
    assert state(settled.as_of("2025-03-12", "theatre"), "bravo").places == ("med",)
    assert count_of(settled.as_of("2025-03-12", "gulf"), "bravo") == Quantity.exact(0)
    assert count_of(settled.as_of("2025-03-12", "med"), "bravo") == Quantity.exact(1)


def test_a_region_of_two_places_counts_as_a_place_holding_exactly_them(catalog: orbat.Catalog) -> None:
    # Juliet is reported in the theatre, which holds the red sea and the gulf: possibly in either.
    holder = orbat.Place("holder", "Holder", "region")
    places = {
        **catalog.places,
        "red-sea": attrs.evolve(catalog.places["red-sea"], within=(*catalog.places["red-sea"].within, "holder")),
        "gulf": attrs.evolve(catalog.places["gulf"], within=(*catalog.places["gulf"].within, "holder")),
        "holder": holder,
    }
    held = attrs.evolve(catalog, places=places)
    for day in ("2025-03-05", "2025-03-21", "2025-04-30"):
        assert held.as_of(day, "holder").vessels() == held.as_of(day, "red-sea,gulf").vessels(), day
        assert count_of(held.as_of(day, "holder"), "juliet") == Quantity.between(0, 1), day
