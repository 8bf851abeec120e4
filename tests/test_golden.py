"""Golden figures: what the queries say about the bundled catalog, figure by figure, against the article.

The article is the Miami Herald's of 2025-11-04 (``seeds/caribbean-deployment-2025-11.txt``); the other
reports are those of the project's fact sheet (see ``docs/catalog-caribbean-2025.md``). Each test pins a
figure the article states, as the catalog and :mod:`orbat.queries` give it today.

Where today's answer is not what an analyst reading the sources would conclude, the passing test pins
today's answer (so that any change is seen) and a ``strict`` xfail test states the answer believed right,
with the reason it is not given yet. When the cause is fixed, both fail: update the pin, drop the xfail.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

import orbat
from orbat.catalog import Catalog
from orbat.claims import ClaimCheck, Verdict, check_claims
from orbat.model import AircraftDetachment, Citation, Event, EventKind
from orbat.places import Region
from orbat.quantities import Quantity
from orbat.queries import Change, Snapshot, Status, UnitState, default_region

ROOT = Path(__file__).resolve().parent.parent
CATALOG = ROOT / "catalog"

ARTICLE = "herald-2025-11-04"
ARTICLE_DATE = "2025-11-04"
REGION = "caribbean"  # what default_region gives for the bundled catalog (pinned below)
REGIONS = (REGION, "all")  # the default region (the catalog's settings), and everywhere

# The article's three unnamed destroyers, as the catalog identifies them, and the amphibious group's ships.
JTF_DESTROYERS = ("gravely", "jason-dunham", "sampson")
ARG_SHIPS = ("iwo-jima", "san-antonio", "fort-lauderdale")
# The strike group's escorts as the article lists them, and as DVIDS (Jun 23) and SOUTHCOM/USNI (Nov 11) do.
HERALD_ESCORTS = ("normandy", "thomas-hudner", "ramage", "carney", "roosevelt")
NAVY_ESCORTS = ("bainbridge", "mahan", "winston-s-churchill")


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return orbat.load(CATALOG)


def state_of(snap: Snapshot, unit_id: str) -> UnitState | None:
    """The unit's state in ``snap``, or None when the catalog has no news of it yet."""
    return next((s for s in snap.states if s.unit_id == unit_id), None)


def must_state(snap: Snapshot, unit_id: str) -> UnitState:
    state = state_of(snap, unit_id)
    assert state is not None, f"{unit_id} has no state on {snap.date}"
    return state


def quotes(citations: tuple[Citation, ...]) -> list[str]:
    return [c.quote for c in citations if c.quote]


def present_ids(snap: Snapshot) -> set[str]:
    return {s.unit_id for s in snap.present()}


def test_the_default_region_is_the_caribbean(catalog: Catalog) -> None:
    # Every claim's scope is 'caribbean', so that is what the CLI counts unless told otherwise.
    assert default_region(catalog) == Region.of(REGION)


# ---------------------------------------------------------------------------------------------
# "In September, the deployment was reinforced with 10 F-35B fighters based at Ceiba Air Base"


@pytest.mark.parametrize("region", REGIONS)
@pytest.mark.parametrize("day", ["2025-08-31", "2025-09-12"])
def test_no_f35b_before_sep_13(catalog: Catalog, region: str | None, day: str) -> None:
    # The article says "In September"; The War Zone dates the same arrival to Sep 13, and Task &
    # Purpose's undated report of them at Muniz is dated as that arrival (it gives another base for
    # it, the fact sheet says): before Sep 13 there is no news of them, not even possibly.
    snap = catalog.as_of(day, region)
    assert state_of(snap, "vmfa-225-f35b") is None
    assert "F-35B" not in snap.breakdown("aircraft-type")
    # No aircraft is certain in August; the P-8 patrols, which the mission begun in August "has
    # included" by Nov 4 (the article, no count), are possible, so there is no upper bound. By Sep 12
    # the MQ-9s are there (the article's September, Reuters' first report of Sep 9): 2 or more.
    assert snap.aircraft() == (Quantity.unknown() if day == "2025-08-31" else Quantity.at_least(2))


@pytest.mark.parametrize("region", REGIONS)
def test_f35b_arrive_on_sep_13_at_ceiba_or_muniz(catalog: Catalog, region: str | None) -> None:
    # Ceiba per The War Zone (Sep 13) and the article; Muniz per Task & Purpose (undated, dated as
    # the arrival it disputes): both kept, the total exact.
    snap = catalog.as_of("2025-09-13", region)
    f35b = must_state(snap, "vmfa-225-f35b")
    assert f35b.certainly_present and not f35b.certain
    assert set(f35b.places) == {"ceiba", "muniz-angb"}
    assert snap.breakdown("aircraft-type")["F-35B"] == Quantity.exact(10)
    base = snap.breakdown("base")
    assert (base["ceiba"], base["muniz-angb"]) == (Quantity.between(0, 10), Quantity.between(0, 10))


@pytest.mark.parametrize("region", REGIONS)
def test_ten_f35b_after_september(catalog: Catalog, region: str | None) -> None:
    snap = catalog.as_of("2025-10-01", region)
    assert snap.breakdown("aircraft-type")["F-35B"] == Quantity.exact(10)
    f35b = must_state(snap, "vmfa-225-f35b")
    assert f35b.certainly_present
    assert isinstance(f35b.unit, AircraftDetachment) and f35b.unit.base == "ceiba"
    assert "10 F-35B fighters based at Ceiba Air Base in Puerto Rico" in quotes(f35b.unit.citations)


def test_f35b_base_on_the_article_date_follows_the_dated_reports_or_is_uncertain(catalog: Catalog) -> None:
    f35b = must_state(catalog.as_of(ARTICLE_DATE, REGION), "vmfa-225-f35b")
    assert f35b.place == "ceiba" or not f35b.certain


# ---------------------------------------------------------------------------------------------
# "The carrier strike group, with more than 4,000 personnel and roughly 90 combat aircraft"


def test_strike_group_figures(catalog: Catalog) -> None:
    ford_csg = catalog.formations["ford-csg"]
    [personnel] = ford_csg.personnel
    assert personnel.count == Quantity.at_least(4001)
    assert personnel.as_of is not None and personnel.as_of.isoformat() == ARTICLE_DATE
    aircraft = {f.count: f for f in ford_csg.aircraft}
    assert set(aircraft) == {Quantity.about(90), Quantity.at_least(61)}  # the article; CNN (Nov 16)
    assert [c.source for c in aircraft[Quantity.about(90)].citations] == [ARTICLE]
    assert [c.source for c in aircraft[Quantity.at_least(61)].citations] == ["cnn-2025-11-16"]
    for figure in (personnel, aircraft[Quantity.about(90)]):
        assert quotes(figure.citations) == [
            "The carrier strike group, with more than 4,000 personnel and roughly 90 combat aircraft"
        ]


@pytest.mark.parametrize("region", REGIONS)
def test_strike_group_personnel_on_the_article_date(catalog: Catalog, region: str) -> None:
    snap = catalog.as_of(ARTICLE_DATE, region)
    figure = snap.formation_figure("ford-csg")
    assert figure is not None and figure.count == Quantity.at_least(4001)
    by_formation = {f.formation: f.count for f in snap.personnel()}
    # The amphibious ready group's "roughly 4,500" (the article) and "more than 4,500" (Navy, Aug 14)
    # combine to what both allow; the strike group's 4,001+ is shown too: ordered there on Oct 24,
    # its ships may already have arrived.
    arg = Quantity(4501, 4950, approximate=True)
    assert by_formation == {"iwo-jima-arg": arg, "ford-csg": Quantity.at_least(4001)}
    # The ready group is certainly here as a whole; the strike group only possibly, in part: its
    # figure counts in the high end only.
    counted = {c.formation: (c.counted, c.wholly_present) for c in snap.formation_figures()}
    assert counted == {"iwo-jima-arg": (arg, True), "ford-csg": (Quantity.unknown(), False)}
    assert snap.total_personnel() == Quantity(4501, None, approximate=True)


def test_strike_group_personnel_has_no_figure_before_the_article(catalog: Catalog) -> None:
    assert catalog.as_of("2025-11-03").formation_figure("ford-csg") is None


def test_strike_group_personnel_counted_in_the_caribbean_once_the_ford_is_there(catalog: Catalog) -> None:
    snap = catalog.as_of("2025-11-17", REGION)
    assert "gerald-r-ford" in present_ids(snap)
    assert {f.formation: f.count for f in snap.personnel()}["ford-csg"] == Quantity.at_least(4001)


def test_strike_group_only_possibly_in_the_caribbean_before_it_arrives(catalog: Catalog) -> None:
    # Ordered into the Caribbean on Oct 24, expected "in days" on Nov 4: possibly there, never certainly.
    snap = catalog.as_of(ARTICLE_DATE, REGION)
    members = snap.formation_members("ford-csg")
    assert "gerald-r-ford" in present_ids(snap)
    assert not any(snap.certainly_here(s) for s in members)


# ---------------------------------------------------------------------------------------------
# "In August, ... a Joint Task Force that initially included three destroyers ... and an amphibious
# group of roughly 4,500 troops."
#
# The catalog: the three destroyers are an unidentified group (DDG x3) identified as Gravely, Jason
# Dunham and Sampson; the amphibious group is the Iwo Jima ARG, under the JTF. The sentence says the
# task force was created in August, not that its ships were in the southern Caribbean then: each
# ship's arrival there is a range from the first day it may have been (Gravely and Jason Dunham: their
# order of Aug 18; Sampson: Aug 18, near the Panama Canal; the ARG: sailing again about Aug 21) to the
# report that has it there (the article of Nov 4; for Sampson, Stockdale taking over on Sep 21-23).


def test_the_three_unnamed_destroyers_are_identified(catalog: Catalog) -> None:
    group = catalog.unidentified["jtf-destroyers-2025-08"]
    assert (group.type, group.count, group.identified_as) == ("DDG", Quantity.exact(3), JTF_DESTROYERS)
    assert any(
        q.startswith("creating a Joint Task Force that initially included three destroyers")
        for q in quotes(group.citations)
    )
    # The group is counted through the ships it was identified as, never on its own.
    for day in ("2025-08-31", ARTICLE_DATE):
        assert state_of(catalog.as_of(day), group.id) is None


def test_the_amphibious_group_is_the_iwo_jima_ready_group(catalog: Catalog) -> None:
    arg = catalog.formations["iwo-jima-arg"]
    assert arg.parent == "jtf"
    assert {f.count for f in arg.personnel} == {Quantity.about(4500), Quantity.at_least(4501)}
    assert "an amphibious group of roughly 4,500 troops" in [q for f in arg.personnel for q in quotes(f.citations)]
    assert catalog.formations["22nd-meu"].parent == "iwo-jima-arg"


@pytest.mark.parametrize("region", REGIONS)
def test_jtf_not_in_the_caribbean_in_mid_august(catalog: Catalog, region: str) -> None:
    # On Aug 15 the destroyers are not yet ordered (Aug 18) and the ARG has sailed from Norfolk with no
    # destination given (Aug 14): none of them is even possibly in the southern Caribbean. Only
    # Minneapolis-Saint Paul, near Curacao in August by Zona Militar's report of Aug 20, possibly is.
    snap = catalog.as_of("2025-08-15", region)
    for unit_id in JTF_DESTROYERS:
        assert (must_state(snap, unit_id).status, must_state(snap, unit_id).formation) == (Status.ASSIGNED, "jtf")
    for unit_id in ARG_SHIPS:
        assert (must_state(snap, unit_id).status, must_state(snap, unit_id).place) == (Status.DEPARTED, "norfolk")
    here = {s.unit_id for s in snap.present() if not isinstance(s.unit, AircraftDetachment)}
    if region == REGION:
        assert here == {"minneapolis-saint-paul"}
        assert snap.vessels() == Quantity.at_most(1)
    else:  # everywhere: the Ford and its June escorts, en route to Europe, may have arrived there too
        assert here == {"minneapolis-saint-paul", "gerald-r-ford", "bainbridge", "mahan", "winston-s-churchill"}
        assert snap.vessels() == Quantity.at_most(5)


@pytest.mark.parametrize("region", REGIONS)
@pytest.mark.parametrize("day", ["2025-08-31", "2025-09-30"])
def test_jtf_members_at_the_end_of_august_and_september(catalog: Catalog, region: str, day: str) -> None:
    snap = catalog.as_of(day, region)
    members = {s.unit_id: s for s in snap.formation_members("jtf")}
    assert set(members) == {*JTF_DESTROYERS, *ARG_SHIPS}
    assert {members[u].formation for u in JTF_DESTROYERS} == {"jtf"}
    assert {members[u].formation for u in ARG_SHIPS} == {"iwo-jima-arg"}
    # Arrived, day unknown: possibly in the southern Caribbean, certainly only from the article of Nov 4.
    for unit_id in ("gravely", "jason-dunham", *ARG_SHIPS):
        state = members[unit_id]
        assert (state.status, state.place) == (Status.PRESENT, "southern-caribbean"), unit_id
        assert state.possibly_present and not state.certainly_present, unit_id
        assert snap.possibly_here(state) and not snap.certainly_here(state), unit_id
        [arrival] = [e for e in state.events if e.kind is EventKind.ARRIVED]
        assert arrival.date.end.isoformat() == ARTICLE_DATE, unit_id
        assert any("initially included three destroyers" in q for q in quotes(arrival.citations)), unit_id
    if day == "2025-08-31":
        # Sampson was near the Panama Canal on Aug 18 (Reuters, AP, Zona Militar) and had reached the
        # Caribbean by Sep 21-23, when Stockdale took over from it (Navy Times): certainly somewhere,
        # possibly here.
        sampson = members["sampson"]
        assert (sampson.status, sampson.certainly_present) == (Status.PRESENT, True)
        assert set(sampson.places) == {"southern-caribbean", "panama-canal"}
        assert snap.possibly_here(sampson)
        assert snap.certainly_here(sampson) == (region == "all")
    else:  # Stockdale relieved Sampson on Sep 21-23 (Navy Times)
        assert (members["sampson"].status, members["sampson"].place) == (Status.RELIEVED, None)
    certain = {"minneapolis-saint-paul"}  # near Curacao, reported by Aug 20 (Zona Militar)
    if day == "2025-09-30":
        certain |= {"stockdale", "ocean-trader"}  # Navy Times, Sep 21-23; The Maritime Executive, Sep 20
    possible = {"gravely", "jason-dunham", *ARG_SHIPS, "sampson" if day == "2025-08-31" else "stockdale"}
    # Lake Erie (through the canal toward the Caribbean on Aug 29, "newly arrived" on Nov 4) and Newport
    # News (sent with it; in the region by AP's late October count); everywhere, so may the Ford and
    # its June escorts, en route to Europe.
    possible |= {"lake-erie", "newport-news"}
    if region == "all":
        possible |= {"gerald-r-ford", "bainbridge", "mahan", "winston-s-churchill"}
        certain |= {"sampson"} if day == "2025-08-31" else set()
    vessels = {s.unit_id for s in snap.present() if not isinstance(s.unit, AircraftDetachment)}
    assert vessels == certain | possible
    assert {s.unit_id for s in snap.present() if snap.certainly_here(s)} & vessels == certain
    assert snap.vessels() == Quantity.between(len(certain), len(certain | possible))
    assert snap.breakdown("category")["amphibious"] == Quantity.at_most(3)
    assert snap.formation_figure("iwo-jima-arg") is not None


def test_events_of_the_unnamed_destroyers_reach_the_named_ones(catalog: Catalog) -> None:
    gravely = must_state(catalog.as_of("2025-08-31"), "gravely")
    assert {e.id for e in gravely.events} >= {
        "jtf-destroyers-join",
        "destroyers-ordered",
        "gravely-jason-dunham-arrive",
    }


@pytest.mark.parametrize(("day", "certain"), [("2025-08-18", 0), ("2025-08-20", 1)])
def test_ships_certainly_elsewhere_are_only_possibly_in_the_caribbean(catalog: Catalog, day: str, certain: int) -> None:
    # Aug 18: the three destroyers just ordered and the LCS "in August" are possible, nothing certain.
    # By Aug 20 Zona Militar has reported the LCS near Curacao: it is certain; the ARG is back at
    # Norfolk for Hurricane Erin (Aug 19) and not counted.
    snap = catalog.as_of(day, REGION)
    assert snap.vessels() == Quantity.between(certain, 4)
    assert {s.unit_id for s in snap.present() if snap.certainly_here(s)} == (
        {"minneapolis-saint-paul"} if certain else set()
    )


# ---------------------------------------------------------------------------------------------
# "On Oct. 24, Defense Secretary Pete Hegseth ordered the Gerald R. Ford and its strike group ... into
# the Caribbean." / "the USS Gerald R. Ford ... is expected to arrive in days"


def test_ford_en_route_to_europe_before_the_order(catalog: Catalog) -> None:
    ford = must_state(catalog.as_of("2025-10-23"), "gerald-r-ford")
    assert (ford.status, ford.place, ford.formation) == (Status.EN_ROUTE, "europe", "ford-csg")


def test_ford_ordered_on_oct_24(catalog: Catalog) -> None:
    ford = must_state(catalog.as_of("2025-10-24"), "gerald-r-ford")
    assert (ford.status, ford.place, ford.formation, ford.certain) == (Status.ORDERED, REGION, "ford-csg", True)
    assert ford.since.isoformat() == "2025-10-24"
    assert any(
        q.startswith("On Oct. 24, Defense Secretary Pete Hegseth ordered the Gerald R. Ford")
        for q in quotes(ford.citations)
    )
    assert {"pentagon-2025-10-24", ARTICLE} <= set(ford.sources)


@pytest.mark.parametrize("region", REGIONS)
def test_ford_only_possibly_present_on_the_article_date(catalog: Catalog, region: str) -> None:
    snap = catalog.as_of(ARTICLE_DATE, region)
    ford = must_state(snap, "gerald-r-ford")
    assert (ford.status, ford.place) == (Status.EXPECTED, REGION)  # the place is where it is expected
    # "expected to arrive in days": it may have; or it may still be at Gibraltar (Nov 3-4).
    assert ford.places == ("strait-of-gibraltar", REGION)
    assert ford.status_text == "expected, possibly arrived"
    assert not ford.certainly_present and not snap.certainly_here(ford)
    assert snap.breakdown("type")["CVN"] == Quantity.at_most(1)
    assert quotes(ford.events[-1].citations) == [
        "the USS Gerald R. Ford, the Navy\u2019s most advanced aircraft carrier, is expected to arrive in days"
    ]


@pytest.mark.parametrize("unit_id", ["gerald-r-ford", *NAVY_ESCORTS])
def test_strike_group_in_southern_command_possibly_in_the_caribbean(catalog: Catalog, unit_id: str) -> None:
    # Nov 11: into Southern Command's area (SOUTHCOM, USNI); Nov 16: the Ford into the Caribbean Sea
    # (CNN). The area holds the Caribbean Sea (places.yaml: the one order sent the group "to U.S.
    # Southern Command" and "into the Caribbean"), so a unit reported only in the area is possibly, not
    # certainly, in the Caribbean, as AP's "joining" (Nov 11) has it. No source puts Puerto Rico in the
    # area, so the area does not hold the whole region.
    snap = catalog.as_of("2025-11-15", REGION)
    state = must_state(snap, unit_id)
    assert state.places == ("southcom",)
    assert snap.possibly_here(state) and not snap.certainly_here(state)
    everywhere = catalog.as_of("2025-11-15", "all")
    assert everywhere.certainly_here(must_state(everywhere, unit_id))


@pytest.mark.parametrize("day", ["2025-11-16", "2025-11-17", "2025-12-19"])
def test_ford_present_from_nov_16(catalog: Catalog, day: str) -> None:
    snap = catalog.as_of(day, REGION)
    ford = must_state(snap, "gerald-r-ford")
    assert (ford.status, ford.place, ford.certainly_present) == (Status.PRESENT, "caribbean-sea", True)
    assert snap.breakdown("type")["CVN"] == Quantity.exact(1)
    assert "cnn-2025-11-16" in ford.sources


def test_normandy_stays_decommissioned_or_is_uncertain(catalog: Catalog) -> None:
    normandy = must_state(catalog.as_of(ARTICLE_DATE), "normandy")
    assert normandy.status is Status.DECOMMISSIONED or not normandy.certain


# ---------------------------------------------------------------------------------------------
# What changed between Aug 1 and the article's date


@pytest.fixture(scope="module")
def changes_to_article(catalog: Catalog) -> dict[str, Change]:
    found = catalog.changes("2025-08-01", ARTICLE_DATE, REGION)
    assert len({c.unit.id for c in found}) == len(found)
    return {c.unit.id: c for c in found}


def cited_events(change: Change, kind: EventKind) -> list[Event]:
    events = [e for e in change.events if e.kind is kind]
    assert events, f"{change.unit.id}: no {kind.value} event among the changes"
    for event in events:
        assert event.citations, f"{event.id} has no citation"
    return events


def test_changes_include_the_strike_group_order(changes_to_article: dict[str, Change]) -> None:
    ford = changes_to_article["gerald-r-ford"]
    assert ford.kinds == ("expected",)  # by Nov 4 the order has become "expected in days"
    assert ford.date is not None and ford.date.isoformat() == "2025-11-04"  # the day it became "expected"
    orders = cited_events(ford, EventKind.ORDERED)
    assert {e.id for e in orders} == {"ford-csg-ordered-per-pentagon", "ford-csg-ordered-per-herald"}
    assert {e.date.isoformat() for e in orders} == {"2025-10-24"}
    assert any(q.startswith("On Oct. 24") for e in orders for q in quotes(e.citations))
    assert {c.source for e in orders for c in e.citations} == {"pentagon-2025-10-24", ARTICLE}
    # The order reaches every escort either source names; the article's are "ordered" and newly
    # "reassigned" to the strike group.
    # Normandy was decommissioned on Sep 25 (DVIDS): decommissioning is final, so the article's
    # order of Oct 24 does not revive it; the change is its decommissioning.
    for unit_id in set(HERALD_ESCORTS) - {"normandy"}:
        assert changes_to_article[unit_id].kinds == ("ordered", "reassigned"), unit_id
        assert {e.id for e in cited_events(changes_to_article[unit_id], EventKind.ORDERED)} == {
            "ford-csg-ordered-per-pentagon",
            "ford-csg-ordered-per-herald",
        }
    assert changes_to_article["normandy"].kinds == ("decommissioned",)
    assert changes_to_article["normandy"].after is not None and not changes_to_article["normandy"].after.certain
    for unit_id in NAVY_ESCORTS:
        assert cited_events(changes_to_article[unit_id], EventKind.ORDERED)


@pytest.mark.parametrize(
    ("unit_id", "date", "sources"),
    [
        ("gettysburg", "~2025-10-31", {"press-reports-gettysburg", ARTICLE}),
        # "Newly arrived" gives no day: from its canal transit toward the Caribbean (regional press,
        # Aug 29) to the article (Nov 4). Not "about Nov 4": CSIS counted a cruiser in the Caribbean on
        # Oct 9, and Gettysburg came about Oct 31.
        ("lake-erie", "2025-08-29/2025-11-04", {"regional-press-2025-08-30", ARTICLE}),
    ],
)
def test_changes_include_the_cruisers_arrival(
    changes_to_article: dict[str, Change], unit_id: str, date: str, sources: set[str]
) -> None:
    change = changes_to_article[unit_id]
    assert "arrived" in change.kinds
    assert change.after is not None and change.after.certainly_present
    assert change.after.place == "southern-caribbean"
    [arrival] = cited_events(change, EventKind.ARRIVED)
    assert arrival.date.isoformat() == date
    assert {c.source for c in arrival.citations} == sources
    assert any(
        q.startswith("The newly arrived USS Gettysburg and USS Lake Erie cruisers") for q in quotes(arrival.citations)
    )


def test_changes_include_the_f35b_arrival(changes_to_article: dict[str, Change]) -> None:
    change = changes_to_article["vmfa-225-f35b"]
    assert change.kinds == ("arrived",)
    # The War Zone's day: Task & Purpose's undated report at Muniz is dated as the arrival it disputes,
    # so no source's undated report shows a day of its own.
    assert change.date is not None and change.date.isoformat() == "2025-09-13"
    assert change.before is None and change.after is not None and change.after.count == Quantity.exact(10)
    assert change.after is not None and set(change.after.places) == {"ceiba", "muniz-angb"}
    [arrival] = cited_events(change, EventKind.ARRIVED)
    assert (arrival.place, arrival.date.isoformat()) == ("ceiba", "2025-09-13")
    assert {c.source for c in arrival.citations} == {"twz-2025-09", ARTICLE}
    assert any("10 F-35B fighters based at Ceiba Air Base" in q for q in quotes(arrival.citations))


def test_changes_show_the_jtf_ships_arriving(changes_to_article: dict[str, Change]) -> None:
    for unit_id in ("gravely", "jason-dunham", *ARG_SHIPS):
        assert "arrived" in changes_to_article[unit_id].kinds, unit_id


# Every arrival `orbat diff` shows over the whole catalog, with the date it shows, and why the sources
# give that date: a day a source gives, or a range from the first day a source allows to the report that
# has the unit there.
ARRIVALS = {
    "minneapolis-saint-paul": "2025-08-01/2025-08-20",  # "Aug" (fact sheet), Zona Militar of Aug 20
    "p8-patrols": "2025-08-01/2025-11-04",  # the mission begun "In August" "has included" them (article)
    "gravely": "2025-08-18/2025-11-04",  # ordered Aug 18 (Reuters, AP); in the JTF by Nov 4 (article)
    "jason-dunham": "2025-08-18/2025-11-04",  # likewise
    "iwo-jima": "2025-08-21/2025-11-04",  # sailed again about Aug 21-22 (Stars and Stripes); the article
    "san-antonio": "2025-08-21/2025-11-04",  # likewise, a ship of the group
    "fort-lauderdale": "2025-08-21/2025-11-04",  # likewise
    "newport-news": "2025-08-29/2025-10-31",  # sent Aug 29 (regional press); AP's late-October count
    "lake-erie": "2025-08-29/2025-11-04",  # canal transit Aug 29 (regional press); "newly arrived" (article)
    "mq9-aguadilla": "2025-09-01/2025-09-09",  # "In September" (article); first reported Sep 9 (Reuters)
    "vmfa-225-f35b": "2025-09-13",  # The War Zone (at Ceiba); Task & Purpose's Muniz, dated as it
    "ocean-trader": "2025-09-20",  # seen Sep 20 (The Maritime Executive)
    "stockdale": "2025-09-21/2025-09-23",  # Navy Times
    "gettysburg": "~2025-10-31",  # "about Oct 31" (press reports)
    # into Southern Command's area, which holds the Caribbean Sea: possibly here (SOUTHCOM, USNI)
    "bainbridge": "2025-11-11",
    "mahan": "2025-11-11",
    "winston-s-churchill": "2025-11-11",
    "gerald-r-ford": "2025-11-16",  # into the Caribbean Sea (CNN)
    "thomas-hudner": "2025-12-26",  # photographed in the Caribbean (DVIDS)
}


def test_every_arrival_is_dated_as_the_sources_date_it(catalog: Catalog) -> None:
    found = catalog.changes("2025-06-01", "2025-12-31", REGION)
    arrivals = {c.unit.id: c for c in found if "arrived" in c.kinds}
    assert {unit_id: str(c.date) for unit_id, c in arrivals.items()} == ARRIVALS
    for change in arrivals.values():  # the date is that of an event behind the change, not one made up
        assert change.date in {e.date for e in change.events}


# ---------------------------------------------------------------------------------------------
# After the newest source


def test_a_date_after_the_newest_source_gets_the_last_known_state_note(catalog: Catalog) -> None:
    # The newest source is Military.com's report of Thomas Hudner sailing on Dec 1: the fact sheet
    # dates it "Dec", and a report of Dec 1 appeared no earlier, so it is dated Dec 1 to Dec 31.
    latest = catalog.latest_source_date
    assert latest is not None and latest.isoformat() == "2025-12-01/2025-12-31"
    later = catalog.as_of("2026-01-15", REGION)
    assert later.note == (
        "no source is dated after 2025-12-01/2025-12-31: this is the last known state, not news of 2026-01-15"
    )
    assert later.states == catalog.as_of("2025-12-31", REGION).states  # nothing new: the last known state
    for day in (ARTICLE_DATE, "2025-12-31"):
        assert catalog.as_of(day, REGION).note is None


# ---------------------------------------------------------------------------------------------
# Claim checks: the article's CSIS figure and the fact sheet's dated counts
#
# Each row: (claim, figure) -> (reported, catalog figure, verdict), as check_claims computes them, with
# the verdict an analyst reading the article and the fact sheet would expect. "OK" marks a verdict the
# analyst would agree with; the tags say which rule of the presence rules the row rests on.
#
# What the sources put in the Caribbean, by name: the LCS near Curacao by Aug 20 (Zona Militar); the
# JTF's destroyers Gravely and Jason Dunham (ordered Aug 18) and the Iwo Jima ARG (3 ships, sailed again
# about Aug 21) on a day no source gives, by the article of Nov 4; Sampson by Sep 21-23, when Stockdale
# relieved it (Navy Times); Lake Erie after its canal transit of Aug 29, by Nov 4 ("newly arrived");
# Newport News, sent with it, by AP's late-October count; Ocean Trader (Sep 20); Gettysburg (about Oct
# 31); the Ford (Caribbean Sea, Nov 16) with escorts that entered Southern Command's area on Nov 11;
# Thomas Hudner (left Mayport Dec 1, photographed there Dec 26). Until a unit's range ends it is
# possible, not certain, so the low ends of August to October are small: the sources name few ships.
#
#   [route] a unit ordered, expected or en route to the region may already be there: it counts in the
#           high end, never the low end (Lake Erie after its Aug 29 canal transit; Newport News, sent with
#           it; the Ford's escorts, ordered into the Caribbean on Oct 24; Thomas Hudner in December), so a
#           count that includes them is possible, not contradicted.
#   [ssn]   AP's late-October count names Newport News in the region (a report, so certain from then).
#   [soon]  the CSIS figure is a forecast ("will soon have"), and so is AP's "joining" (Nov 11): each is
#           checked over the rest of November (the claim's 'forecast' window) and its best day shown.
#
# A range the catalog gives that holds the reported figure and more is "compatible"; "agrees" is kept
# for a catalog figure every value of which lies in the reported range.

CHECKS: dict[tuple[str, str], tuple[str, str, Verdict]] = {
    # Reuters, late August (as of Aug 31): 7 warships + 1 attack submarine; ~4,500 sailors and Marines.
    # OK: only the LCS is certain (Zona Militar, by Aug 20); the 3 destroyers, the ARG's 3, Lake Erie and
    # Newport News may have arrived, no source says when: 7 lies within 1-9.
    ("claim-reuters-late-august", "warships"): ("7", "1\u20139", Verdict.COMPATIBLE),
    # OK [ssn][route]: Newport News was sent with Lake Erie on Aug 29: possible, not contradicted.
    ("claim-reuters-late-august", "attack submarine"): ("1", "up to 1", Verdict.COMPATIBLE),
    # OK: the ARG's figures ("about 4,500", "more than 4,500") count only where the group is certainly
    # present, and no source has it in the Caribbean by name before the article of Nov 4: the catalog
    # sets no bound and cannot tell.
    ("claim-reuters-late-august", "sailors and Marines"): ("about 4,500", "about 0+", Verdict.CANNOT_TELL),
    # New York Times, Sep 5: 8 warships + 1 attack submarine.
    # OK [route]: as for Reuters; 8 lies within 1-9.
    ("claim-nyt-2025-09-05", "warships"): ("8", "1\u20139", Verdict.COMPATIBLE),
    # OK [ssn][route]: as for Reuters.
    ("claim-nyt-2025-09-05", "attack submarine"): ("1", "up to 1", Verdict.COMPATIBLE),
    # CSIS, Oct 9.
    # OK: Stockdale is certain (it relieved Sampson on Sep 21-23); Gravely and Jason Dunham may have
    # arrived: at most 3, and CSIS's 4 does disagree with AP's 3 in late October; the check shows AP's
    # figure beside it.
    ("claim-csis-2025-10-09", "destroyers"): ("4", "1\u20133", Verdict.DISAGREES),
    # OK: the only candidate is Lake Erie, arrived on a day from its canal transit (Aug 29) to the
    # article's "newly arrived" (Nov 4): possible, not contradicted. Dated "about Nov 4", as the catalog
    # had it, the arrival contradicted this count.
    ("claim-csis-2025-10-09", "cruiser"): ("1", "up to 1", Verdict.COMPATIBLE),
    # OK [ssn][route].
    ("claim-csis-2025-10-09", "attack submarine"): ("1", "up to 1", Verdict.COMPATIBLE),
    # OK: Iwo Jima, arrived on a day no source gives, by Nov 4 (the article): possible.
    ("claim-csis-2025-10-09", "amphibious assault ship"): ("1", "up to 1", Verdict.COMPATIBLE),
    # OK: San Antonio and Fort Lauderdale, likewise.
    ("claim-csis-2025-10-09", "other amphibious ships"): ("2", "up to 2", Verdict.COMPATIBLE),
    # OK: MV Ocean Trader (off St Kitts, Sep 20).
    ("claim-csis-2025-10-09", "special-operations ship"): ("1", "1", Verdict.AGREES),
    # AP, late October (as of Oct 31): 8 warships (3 destroyers, 3 amphibious, 1 cruiser, 1 LCS) and
    # Newport News.
    # OK: certain are Stockdale, Gettysburg (about Oct 31) and the LCS; Gravely, Jason Dunham, the ARG's 3,
    # Lake Erie and the escorts ordered on Oct 24 are possible.
    (
        "claim-ap-late-october",
        "warships (3 destroyers, 3 amphibious ships, 1 cruiser, 1 littoral combat ship)",
    ): ("8", "3\u201315", Verdict.COMPATIBLE),
    # OK: Stockdale certain; Gravely, Jason Dunham and the escorts ordered on Oct 24 possible.
    ("claim-ap-late-october", "destroyers"): ("3", "1\u20139", Verdict.COMPATIBLE),
    # OK: the ARG, possible until the article of Nov 4.
    ("claim-ap-late-october", "amphibious ships"): ("3", "up to 3", Verdict.COMPATIBLE),
    # OK: Gettysburg.
    ("claim-ap-late-october", "cruiser"): ("1", "1\u20132", Verdict.COMPATIBLE),
    # OK: Minneapolis-Saint Paul.
    ("claim-ap-late-october", "littoral combat ship"): ("1", "1", Verdict.AGREES),
    # OK [ssn]: AP names the submarine itself.
    ("claim-ap-late-october", "the submarine Newport News"): ("1", "1", Verdict.AGREES),
    # OK: as for Reuters: the ARG is possibly, not certainly, present until Nov 4, so its figure sets no
    # bound: cannot tell.
    ("claim-ap-late-october", "sailors and Marines"): ("6,001+", "about 0+", Verdict.CANNOT_TELL),
    # The article's CSIS figure, as of Nov 4: "will soon have 13 vessels ... eight warships, three
    # amphibious vessels, and a submarine".
    # OK [ssn][soon]: the sources give 11 vessels on Nov 4 (3 DDG, 2 CG, LCS, 3 amphibious,
    # Newport News, Ocean Trader) with the Ford expected in days: 13 "soon" is consistent.
    ("claim-herald-csis-13-vessels", "vessels"): ("13", "11\u201317", Verdict.COMPATIBLE),
    # OK [soon]: 3 DDG + 2 CG + the LCS = 6 present; the Ford (and escorts) are expected.
    ("claim-herald-csis-13-vessels", "warships"): ("8", "6\u201312", Verdict.COMPATIBLE),
    # OK: the ARG.
    ("claim-herald-csis-13-vessels", "amphibious vessels"): ("3", "3", Verdict.AGREES),
    # OK [ssn].
    ("claim-herald-csis-13-vessels", "a submarine"): ("1", "1", Verdict.AGREES),
    # AP, Nov 11: "the Ford and 3 destroyers joining 7 other ships".
    # OK [soon]: AP's "joining" is an arrival under way, a forecast for the rest of November; the Ford
    # entered Southern Command's area on Nov 11, which holds the Caribbean Sea (the order's two
    # descriptions, places.yaml), and the Caribbean Sea on Nov 16 (CNN): borne out.
    ("claim-ap-2025-11-11", "the Ford"): ("1", "1", Verdict.AGREES),
    # OK: the 11 certain and up to 8 more possible (the strike group's destroyers, ordered or in
    # Southern Command's area) hold 11.
    ("claim-ap-2025-11-11", "the Ford and 3 destroyers joining 7 other ships (1 + 3 + 7)"): (
        "11",
        "11\u201319",
        Verdict.COMPATIBLE,
    ),
    # OK: checked against the strike group's own aircraft figure from the other source (the article's
    # about 90, 81-99 allowing 10%): all of it is more than 60.
    ("claim-cnn-2025-11-16-ford-aircraft", "aircraft aboard Ford"): ("61+", "about 90", Verdict.AGREES),
    # OK: the ARG's figure (the strike group's counts only in the high end: not all its ships are
    # certainly here) and crews in no formation with a figure: about 15,000 is possible.
    ("claim-cnn-2025-11-16", "U.S. forces in the region"): ("about 15,000", "about 4,501+", Verdict.COMPATIBLE),
    # AP, Dec 19: 11 warships (1 carrier, 5 destroyers, 3 amphibious, 2 cruisers); about 15,000.
    # OK [route]: Ford, Gettysburg, Lake Erie, Stockdale, Gravely, Jason Dunham and the ARG's 3
    # are 9; two of the Ford's escorts (in Southern Command's area since Nov 11, or ordered on Oct 24) or
    # Thomas Hudner (sailed for the Caribbean on Dec 1) make 11: possible, not contradicted.
    ("claim-ap-2025-12-19", "warships (1 carrier, 5 destroyers, 3 amphibious ships, 2 cruisers)"): (
        "11",
        "9\u201316",
        Verdict.COMPATIBLE,
    ),
    # OK: the Ford.
    ("claim-ap-2025-12-19", "carrier"): ("1", "1", Verdict.AGREES),
    # OK [route]: 3 certain (Gravely, Jason Dunham, Stockdale) and up to 7 more possible: Thomas Hudner,
    # the article's Ramage, Carney and Roosevelt (ordered Oct 24), and the Navy's Bainbridge, Mahan and
    # Winston S. Churchill (in Southern Command's area since Nov 11).
    ("claim-ap-2025-12-19", "destroyers"): ("5", "3\u201310", Verdict.COMPATIBLE),
    # OK: the ARG.
    ("claim-ap-2025-12-19", "amphibious ships"): ("3", "3", Verdict.AGREES),
    # OK: Gettysburg and Lake Erie.
    ("claim-ap-2025-12-19", "cruisers"): ("2", "2", Verdict.AGREES),
    # OK: as for CNN.
    ("claim-ap-2025-12-19", "personnel"): ("about 15,000", "about 4,501+", Verdict.COMPATIBLE),
}


@pytest.fixture(scope="module")
def checks(catalog: Catalog) -> dict[tuple[str, str], ClaimCheck]:
    found = check_claims(catalog)
    by_key = {(c.claim.id, c.figure.what): c for c in found}
    assert len(by_key) == len(found)
    return by_key


def test_every_claim_figure_is_pinned(checks: dict[tuple[str, str], ClaimCheck]) -> None:
    assert set(checks) == set(CHECKS)


@pytest.mark.parametrize("key", list(CHECKS), ids=["/".join(k) for k in CHECKS])
def test_claim_check_as_computed(checks: dict[tuple[str, str], ClaimCheck], key: tuple[str, str]) -> None:
    check = checks[key]
    assert (str(check.figure.count), str(check.catalog_count), check.verdict) == CHECKS[key]


def test_the_csis_figure_is_the_articles(checks: dict[tuple[str, str], ClaimCheck]) -> None:
    check = checks[("claim-herald-csis-13-vessels", "vessels")]
    assert check.claim.as_of.isoformat() == ARTICLE_DATE and check.claim.scope == REGION
    assert any("will soon have 13 vessels in the region" in q for q in quotes(check.claim.citations))
    assert {f.what: f.count for f in check.claim.figures} == {
        "vessels": Quantity.exact(13),
        "warships": Quantity.exact(8),
        "amphibious vessels": Quantity.exact(3),
        "a submarine": Quantity.exact(1),
    }


def test_csis_and_ap_destroyers_are_shown_side_by_side(checks: dict[tuple[str, str], ClaimCheck]) -> None:
    csis = checks[("claim-csis-2025-10-09", "destroyers")]
    ap = checks[("claim-ap-late-october", "destroyers")]
    assert [o.id for o, _ in csis.others] == ["claim-ap-late-october"]
    assert [o.id for o, _ in ap.others] == ["claim-csis-2025-10-09"]


# The answers an analyst expects of the rows tagged above.

SSN_RIGHT = (
    ("claim-ap-late-october", "the submarine Newport News"),
    ("claim-herald-csis-13-vessels", "a submarine"),
)


@pytest.mark.parametrize("key", SSN_RIGHT, ids=["/".join(k) for k in SSN_RIGHT])
def test_claim_check_submarine_agrees(checks: dict[tuple[str, str], ClaimCheck], key: tuple[str, str]) -> None:
    check = checks[key]
    assert (str(check.catalog_count), check.verdict) == ("1", Verdict.AGREES)


NOT_CONTRADICTED = (
    ("claim-reuters-late-august", "attack submarine"),
    ("claim-nyt-2025-09-05", "warships"),
    ("claim-nyt-2025-09-05", "attack submarine"),
    ("claim-csis-2025-10-09", "cruiser"),
    ("claim-herald-csis-13-vessels", "vessels"),
    ("claim-herald-csis-13-vessels", "warships"),
    ("claim-ap-2025-12-19", "warships (1 carrier, 5 destroyers, 3 amphibious ships, 2 cruisers)"),
    ("claim-ap-2025-12-19", "destroyers"),
)


@pytest.mark.parametrize("key", NOT_CONTRADICTED, ids=["/".join(k) for k in NOT_CONTRADICTED])
def test_claim_check_is_not_a_false_disagreement(
    checks: dict[tuple[str, str], ClaimCheck], key: tuple[str, str]
) -> None:
    assert checks[key].verdict is not Verdict.DISAGREES


def test_claim_check_aircraft_aboard_ford_uses_the_strike_groups_figure(
    checks: dict[tuple[str, str], ClaimCheck],
) -> None:
    check = checks[("claim-cnn-2025-11-16-ford-aircraft", "aircraft aboard Ford")]
    assert check.catalog_count is not None and check.catalog_count.low >= 61
    assert check.verdict is not Verdict.DISAGREES


def test_claims_in_the_catalog_cover_every_date_of_the_fact_sheet(catalog: Catalog) -> None:
    dates = sorted((c.as_of.start, c.as_of.isoformat()) for c in catalog.claims.values())
    assert [d for _, d in dates] == [
        "2025-08",
        "2025-09-05",
        "2025-10",
        "2025-10-09",
        ARTICLE_DATE,
        "2025-11-11",
        "2025-11-16",
        "2025-11-16",
        "2025-12-19",
    ]
    # CNN's "more than 60 aircraft aboard Ford" is about the strike group, the rest about the region.
    assert {c.id: c.scope for c in catalog.claims.values() if c.scope != REGION} == {
        "claim-cnn-2025-11-16-ford-aircraft": "ford-csg"
    }
    assert dt.date(2025, 10, 1) <= catalog.claims["claim-ap-late-october"].as_of.end <= dt.date(2025, 10, 31)
