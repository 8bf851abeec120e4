"""Formation figures in a snapshot's totals: counted when the formation is there, once, and
embarked aircraft next to the detachments ashore. Each case is a small catalog written for it."""

from __future__ import annotations

from pathlib import Path

import pytest

import orbat
from orbat.figures import Combination
from orbat.quantities import Quantity
from orbat.queries import Snapshot

HEAD = """
sources:
  - {id: herald, title: Herald article (test), publisher: Herald, date: 2025-11-04}
  - {id: cnn, title: CNN report (test), publisher: CNN, date: 2025-11-16}
  - {id: navy, title: Navy summary (test), publisher: Navy, date: 2025-12-01}
places:
  - {id: sea, name: Caribbean Sea, kind: sea}
  - {id: roads, name: Roosevelt Roads, kind: base, within: sea}
  - {id: home, name: Norfolk, kind: base}
vessels:
  - {id: ford, name: USS Gerald R. Ford, hull: CVN-78, navy: US}
  - {id: mahan, name: USS Mahan, hull: DDG-72, navy: US}
  - {id: iwo, name: USS Iwo Jima, hull: LHD-7, navy: US}
  - {id: san-antonio, name: USS San Antonio, hull: LPD-17, navy: US}
aircraft:
  - {id: f35, name: F-35B detachment, type: F-35B, count: 10, navy: USMC, base: roads, cite: navy}
"""

# The strike group's figures: the Herald's and CNN's aircraft, the Herald's personnel.
STRIKE_GROUP = """
  - id: csg
    name: Ford Carrier Strike Group
    kind: strike group
    personnel:
      - {count: "more than 4,000", as_of: 2025-11-04, cite: herald}
    aircraft:
      - {count: about 90, as_of: 2025-11-04, cite: herald}
      - {count: more than 60, as_of: 2025-11-16, cite: cnn}
"""

# The ready group's personnel: "about 4,500" (Herald) and "more than 4,500" (Navy) can both hold.
READY_GROUP = """
  - id: arg
    name: Iwo Jima Amphibious Ready Group
    kind: ready group
    personnel:
      - {count: "about 4,500", as_of: 2025-11-01, cite: herald}
      - {count: "more than 4,500", as_of: 2025-11-01, cite: navy}
"""

# Ford and Mahan join the strike group; the ready group's two ships arrive on Nov 2; Ford on Nov 10
# and Mahan on Nov 20; the F-35B detachment is at Roosevelt Roads from Nov 1.
EVENTS = """
events:
  - {date: 2025-11-01, kind: joined, units: [ford, mahan], formation: csg, cite: navy}
  - {date: 2025-11-01, kind: joined, units: [iwo, san-antonio], formation: arg, cite: navy}
  - {date: 2025-11-01, kind: arrived, units: [f35], place: roads, cite: navy}
  - {date: 2025-11-02, kind: arrived, units: [iwo], place: sea, cite: navy}
  - {date: 2025-11-02, kind: arrived, units: [san-antonio], place: sea, cite: navy}
  - {date: 2025-11-10, kind: arrived, units: [ford], place: sea, cite: cnn}
  - {date: 2025-11-20, kind: arrived, units: [mahan], place: sea, cite: navy}
"""


def catalog_of(tmp_path: Path, formations: str, events: str = EVENTS, extra: str = "") -> orbat.Catalog:
    (tmp_path / "catalog.yaml").write_text(HEAD + extra + "formations:" + formations + events, encoding="utf-8")
    return orbat.load(tmp_path)


def counted(snap: Snapshot, measure: str) -> dict[str, tuple[Quantity, bool, bool, str | None]]:
    return {
        c.formation: (c.counted, c.wholly_present, c.partly_present, c.within) for c in snap.formation_figures(measure)
    }


@pytest.fixture
def catalog(tmp_path: Path) -> orbat.Catalog:
    return catalog_of(tmp_path, STRIKE_GROUP + READY_GROUP)


# --------------------------------------------------------------------------- wholly, partly, not present


def test_a_formation_not_present_is_not_counted(catalog: orbat.Catalog) -> None:
    snap = catalog.as_of("2025-11-01", "sea")  # joined, but no ship has arrived
    assert counted(snap, "personnel") == {}
    assert snap.personnel() == ()
    assert snap.total_personnel() == Quantity.exact(0)
    assert snap.aircraft_embarked() == Quantity.exact(0)
    assert snap.aircraft() == snap.aircraft_ashore() == Quantity.exact(10)


def test_a_formation_wholly_present_counts_in_both_ends_with_both_sources(catalog: orbat.Catalog) -> None:
    snap = catalog.as_of("2025-11-05", "sea")
    # Both ships of the ready group are certainly here: its combined figure counts at both ends.
    assert counted(snap, "personnel") == {"arg": (Quantity(4501, 4950, True), True, True, None)}
    (figure,) = snap.personnel()
    assert figure.how is Combination.AGREED and figure.combined == Quantity(4501, 4950, True)
    assert [f.count.display for f in figure.figures] == ["about 4,500", "more than 4,500"]
    assert figure.sources == ("herald", "navy")
    assert snap.total_personnel() == Quantity(4501, 4950, True)


def test_a_formation_partly_present_counts_in_the_high_end_only(catalog: orbat.Catalog) -> None:
    snap = catalog.as_of("2025-11-12", "sea")  # Ford here, Mahan not yet
    assert counted(snap, "personnel") == {
        "csg": (Quantity(0, None), False, True, None),
        "arg": (Quantity(4501, 4950, True), True, True, None),
    }
    assert snap.total_personnel() == Quantity(4501, None, True)
    whole = catalog.as_of("2025-11-21", "sea")  # Mahan has arrived too
    assert counted(whole, "personnel")["csg"] == (Quantity.at_least(4001), True, True, None)
    assert whole.total_personnel() == Quantity(8502, None, True)


def test_a_figure_of_a_group_is_not_counted_while_it_is_elsewhere(catalog: orbat.Catalog) -> None:
    everywhere = catalog.as_of("2025-11-05")  # no region: present anywhere
    assert counted(everywhere, "personnel") == {"arg": (Quantity(4501, 4950, True), True, True, None)}
    # Ford and Mahan are only joined: present nowhere yet, so the group's figure waits.
    assert "csg" not in counted(everywhere, "personnel")


# --------------------------------------------------------------------------- nested formations


NESTED = """
  - id: csg
    name: Ford Carrier Strike Group
    kind: strike group
    personnel:
      - {count: 5000, as_of: 2025-11-01, cite: navy}
  - id: desron
    name: Destroyer Squadron
    kind: squadron
    parent: csg
    personnel:
      - {count: 300, as_of: 2025-11-01, cite: navy}
"""

NESTED_EVENTS = """
events:
  - {date: 2025-11-01, kind: joined, units: [ford], formation: csg, cite: navy}
  - {date: 2025-11-01, kind: joined, units: [mahan], formation: desron, cite: navy}
  - {date: 2025-11-02, kind: arrived, units: [mahan], place: sea, cite: navy}
  - {date: 2025-11-10, kind: arrived, units: [ford], place: sea, cite: navy}
"""


def test_a_nested_figure_is_counted_once_within_its_parent(tmp_path: Path) -> None:
    catalog = catalog_of(tmp_path, NESTED, NESTED_EVENTS)
    # Only the squadron is here: its 300 are certain, the group's 5,000 possible; never 5,300.
    early = catalog.as_of("2025-11-05", "sea")
    assert counted(early, "personnel") == {
        "csg": (Quantity(300, 5000), False, True, None),
        "desron": (Quantity.exact(300), True, True, "csg"),
    }
    assert early.total_personnel() == Quantity(300, 5000)
    assert [f.formation for f in early.personnel()] == ["csg"]
    # The whole group is here: its own figure, with the squadron's inside it.
    late = catalog.as_of("2025-11-11", "sea")
    assert late.total_personnel() == Quantity.exact(5000)
    assert counted(late, "personnel")["desron"] == (Quantity.exact(300), True, True, "csg")


# --------------------------------------------------------------------------- embarked aircraft


def test_a_strike_groups_aircraft_are_embarked_with_its_carrier(catalog: orbat.Catalog) -> None:
    before = catalog.as_of("2025-11-05", "sea")
    assert (before.aircraft_ashore(), before.aircraft_embarked()) == (Quantity.exact(10), Quantity.exact(0))
    # Ford is here on Nov 12 (Mahan is not, but the aircraft are aboard the carrier).
    snap = catalog.as_of("2025-11-12", "sea")
    (embarked,) = snap.embarked()
    assert (embarked.formation, embarked.wholly_present, embarked.counted) == ("csg", True, Quantity.about(90))
    assert embarked.figure.describe() == "about 90 (herald)"
    assert snap.aircraft_embarked() == Quantity.about(90)
    assert snap.aircraft_ashore() == Quantity.exact(10)
    assert snap.aircraft() == Quantity.about(100)
    assert snap.breakdown("aircraft-type") == {"F-35B": Quantity.exact(10)}  # breakdowns are of aircraft ashore
    # From Nov 16 CNN's "more than 60" holds too, and is shown beside the Herald's.
    later = catalog.as_of("2025-11-17", "sea")
    (both,) = later.embarked()
    assert both.figure.by_source() == (
        ("about 90", ("herald",), orbat.parse_date("2025-11-04")),
        ("more than 60", ("cnn",), orbat.parse_date("2025-11-16")),
    )
    assert both.figure.how is Combination.AGREED and both.counted == Quantity.about(90)


AIR_WING = """
  - id: csg
    name: Ford Carrier Strike Group
    kind: strike group
  - id: cvw
    name: Carrier Air Wing 8
    kind: air wing
    parent: csg
    aircraft:
      - {count: 70, as_of: 2025-11-01, cite: navy}
"""

AIR_WING_EVENTS = """
events:
  - {date: 2025-11-01, kind: joined, units: [ford, mahan], formation: csg, cite: navy}
  - {date: 2025-11-01, kind: joined, units: [f35], formation: cvw, cite: navy}
  - {date: 2025-11-02, kind: arrived, units: [f35], place: roads, cite: navy}
  - {date: 2025-11-10, kind: arrived, units: [ford], place: sea, cite: navy}
"""


def test_an_air_wing_aboard_a_carrier_counts_once_with_its_detachment_ashore(tmp_path: Path) -> None:
    catalog = catalog_of(tmp_path, AIR_WING, AIR_WING_EVENTS)
    # The carrier is away; the wing's F-35B detachment is ashore here: counted, once, as the wing's.
    early = catalog.as_of("2025-11-05", "sea")
    assert early.aircraft_ashore() == Quantity.exact(0)
    assert counted(early, "aircraft") == {"cvw": (Quantity.exact(10), False, False, None)}
    assert early.aircraft() == Quantity.exact(10)
    # The carrier is here: the wing's 70 (which include the detachment) count, not 80.
    late = catalog.as_of("2025-11-12", "sea")
    assert counted(late, "aircraft") == {"cvw": (Quantity.exact(70), True, True, None)}
    assert late.aircraft() == late.aircraft_embarked() == Quantity.exact(70)
    assert late.breakdown("base") == {}  # the detachment is counted in the wing's figure, not ashore


def test_an_air_wing_with_no_carrier_follows_its_groups_ships(tmp_path: Path) -> None:
    wing = AIR_WING.replace("units: [ford, mahan]", "units: [mahan]")
    events = AIR_WING_EVENTS.replace("units: [ford, mahan]", "units: [mahan]").replace(
        "units: [ford], place: sea", "units: [mahan], place: sea"
    )
    catalog = catalog_of(tmp_path, wing, events)
    snap = catalog.as_of("2025-11-12", "sea")
    assert counted(snap, "aircraft") == {"cvw": (Quantity.exact(70), True, True, None)}
