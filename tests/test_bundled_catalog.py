"""The bundled catalog (catalog/): it loads, it warns of exactly the sources' disagreements, every
force fact of the article is cited by quote, and no count or day is invented."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest
from test_tutorial import Command, blocks, commands, run_command

from orbat.catalog import Catalog
from orbat.dates import Precision
from orbat.loading import load, validate
from orbat.model import Citation, EventKind
from orbat.problems import Problem
from orbat.quantities import Quantity
from orbat.validation import normalise_text

ROOT = Path(__file__).resolve().parent.parent
CATALOG = ROOT / "catalog"
SEED = ROOT / "seeds" / "caribbean-deployment-2025-11.txt"
ARTICLE = "herald-2025-11-04"

# The article's first and last lines, as published (curly apostrophe and all).
ARTICLE_FIRST_LINE = "China backs Venezuela, Trump hints Maduro\u2019s end is near as tensions escalate"
ARTICLE_LAST_LINE = (
    "Read more at: https://www.miamiherald.com/news/nation-world/world/americas/venezuela/"
    "article312768769.html#storylink=cpy"
)

# Every sentence or clause of the article about forces, counts or dates of the deployment. Each must
# be matched by a citation quote somewhere in the catalog.
ARTICLE_FORCE_FACTS = (
    "Reports over the past week indicate that the United States is expanding its military presence in the Caribbean",
    "According to defense analysts cited by the Center for Strategic and International Studies, the U.S. military "
    "will soon have 13 vessels in the region\u2014including eight warships, three amphibious vessels, and a submarine",
    "The newly arrived USS Gettysburg and USS Lake Erie cruisers have joined other U.S. vessels already stationed "
    "near Venezuelan waters",
    "the USS Gerald R. Ford, the Navy\u2019s most advanced aircraft carrier, is expected to arrive in days",
    "When asked about the deployment of the USS Gerald R. Ford\u2014the Navy\u2019s largest and most sophisticated "
    "carrier",
    "The U.S. military has sharply increased its presence off Venezuela\u2019s coast",
    "In August, Washington began assembling a large-scale deployment in the southern Caribbean Sea near northern "
    "Venezuela, creating a Joint Task Force that initially included three destroyers\u2014equipped for air, "
    "anti-submarine, and missile defense\u2014and an amphibious group of roughly 4,500 troops.",
    "The mission has included maritime patrols by P-8 reconnaissance aircraft",
    "In September, the deployment was reinforced with 10 F-35B fighters based at Ceiba Air Base in Puerto Rico",
    "armed MQ-9 Reaper drones at Rafael Hern\u00e1ndez Airport on the island",
    "On Oct. 24, Defense Secretary Pete Hegseth ordered the Gerald R. Ford and its strike group\u2014including the "
    "cruiser USS Normandy and destroyers USS Thomas Hudner, USS Ramage, USS Carney, and USS Roosevelt\u2014into the "
    "Caribbean.",
    "The carrier strike group, with more than 4,000 personnel and roughly 90 combat aircraft",
)

# Left out on purpose (docs/catalog-caribbean-2025.md): the format has no section for operations.
ARTICLE_LEFT_OUT = ("killing at least 61 suspected traffickers",)

# The disagreements the catalog keeps, each as (code, entity, what the message is about, sources it
# must name). `orbat validate --strict` must give exactly these warnings and nothing else.
EXPECTED_WARNINGS = (
    ("sources-disagree", "vmfa-225-f35b", "where", ("taskandpurpose", ARTICLE, "twz-2025-09")),
    ("after-decommissioning", "normandy", "decommissioned", ("dvids-2025-09-25", ARTICLE)),
    # The article's escorts against those of DVIDS (Jun 23) and SOUTHCOM and USNI News (Nov 11),
    # which list the same ships and so speak as one.
    (
        "sources-disagree",
        "ford-csg",
        "members",
        ("dvids-2025-06-23", "southcom-2025-11-11", "usni-2025-11-11", ARTICLE),
    ),
    # Not a disagreement: the article's "roughly 90" aircraft and CNN's "more than 60" can both hold.
)

# The fact sheet's ship table: name, hull number and class of all 21 ships.
SHIPS = {
    "gerald-r-ford": ("USS Gerald R. Ford", "CVN-78", "Gerald R. Ford class"),
    "normandy": ("USS Normandy", "CG-60", "Ticonderoga class"),
    "gettysburg": ("USS Gettysburg", "CG-64", "Ticonderoga class"),
    "lake-erie": ("USS Lake Erie", "CG-70", "Ticonderoga class"),
    "thomas-hudner": ("USS Thomas Hudner", "DDG-116", "Arleigh Burke class"),
    "ramage": ("USS Ramage", "DDG-61", "Arleigh Burke class"),
    "carney": ("USS Carney", "DDG-64", "Arleigh Burke class"),
    "roosevelt": ("USS Roosevelt", "DDG-80", "Arleigh Burke class"),
    "gravely": ("USS Gravely", "DDG-107", "Arleigh Burke class"),
    "jason-dunham": ("USS Jason Dunham", "DDG-109", "Arleigh Burke class"),
    "sampson": ("USS Sampson", "DDG-102", "Arleigh Burke class"),
    "stockdale": ("USS Stockdale", "DDG-106", "Arleigh Burke class"),
    "bainbridge": ("USS Bainbridge", "DDG-96", "Arleigh Burke class"),
    "mahan": ("USS Mahan", "DDG-72", "Arleigh Burke class"),
    "winston-s-churchill": ("USS Winston S. Churchill", "DDG-81", "Arleigh Burke class"),
    "iwo-jima": ("USS Iwo Jima", "LHD-7", "Wasp class"),
    "san-antonio": ("USS San Antonio", "LPD-17", "San Antonio class"),
    "fort-lauderdale": ("USS Fort Lauderdale", "LPD-28", "San Antonio class"),
    "newport-news": ("USS Newport News", "SSN-750", "Los Angeles class"),
    "minneapolis-saint-paul": ("USS Minneapolis-Saint Paul", "LCS-21", "Freedom class"),
    "ocean-trader": ("MV Ocean Trader", None, None),
}


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return load(CATALOG)


def _citations(catalog: Catalog) -> Iterator[Citation]:
    for unit in catalog.units():
        yield from unit.citations
    for formation in catalog.formations.values():
        yield from formation.citations
        for figure in (*formation.personnel, *formation.aircraft):
            yield from figure.citations
    for event in catalog.events:
        yield from event.citations
    for claim in catalog.claims.values():
        yield from claim.citations


def _quotes(catalog: Catalog) -> list[str]:
    return [normalise_text(c.quote) for c in _citations(catalog) if c.source == ARTICLE and c.quote]


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "orbat", "validate", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )


def _matches(code: str, message: str, expected: tuple[str, str, str, tuple[str, ...]]) -> bool:
    want_code, entity, about, sources = expected
    return (
        code == want_code
        and f"'{entity}'" in message
        and about in message
        and all(source in message for source in sources)
    )


def _assert_expected_warnings(found: list[tuple[str, str]]) -> None:
    """Each warning matches exactly one expected disagreement, and each expected one is found once."""
    for code, message in found:
        matching = [e for e in EXPECTED_WARNINGS if _matches(code, message, e)]
        assert len(matching) == 1, f"unexpected warning: {code}: {message}"
    for expected in EXPECTED_WARNINGS:
        hits = [message for code, message in found if _matches(code, message, expected)]
        assert len(hits) == 1, f"expected one warning for {expected}, got {hits}"
    assert len(found) == len(EXPECTED_WARNINGS)


# --------------------------------------------------------------------------- validation


def test_validate_exits_0() -> None:
    result = _run("catalog", "--format", "text")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 error(s)" in result.stderr


def test_strict_fails_with_exactly_the_disagreements() -> None:
    result = _run("catalog", "--strict", "--format", "json")
    assert result.returncode == 1, result.stdout + result.stderr
    problems = json.loads(result.stdout)
    assert all(p["severity"] == "warning" for p in problems)
    _assert_expected_warnings([(p["code"], p["message"]) for p in problems])


def test_library_gives_the_same_warnings(catalog: Catalog) -> None:
    result = validate(CATALOG)
    assert result.errors == ()
    warnings: tuple[Problem, ...] = catalog.warnings
    assert warnings == result.warnings
    _assert_expected_warnings([(p.code, p.message) for p in warnings])


# --------------------------------------------------------------------------- the article


def test_seed_is_the_article() -> None:
    text = SEED.read_text(encoding="utf-8")
    assert text.startswith(ARTICLE_FIRST_LINE + "\n")
    assert text.rstrip("\n").endswith(ARTICLE_LAST_LINE)


def test_article_source(catalog: Catalog) -> None:
    source = catalog.sources[ARTICLE]
    assert source.publisher == "Miami Herald"
    assert source.title == ARTICLE_FIRST_LINE
    assert str(source.date) == "2025-11-04"
    assert source.url is not None and ARTICLE_LAST_LINE.endswith(source.url + "#storylink=cpy")
    assert source.text is not None
    assert (Path(source.origin.file).parent / source.text).resolve() == SEED.resolve()


def test_every_force_fact_of_the_article_is_cited(catalog: Catalog) -> None:
    article = normalise_text(SEED.read_text(encoding="utf-8"))
    quotes = _quotes(catalog)
    for fact in ARTICLE_FORCE_FACTS:
        wanted = normalise_text(fact)
        assert wanted in article, f"not in the article: {fact}"
        assert any(wanted in quote or quote in wanted for quote in quotes), f"no citation quotes: {fact}"


def test_boat_strikes_are_left_out(catalog: Catalog) -> None:
    article = normalise_text(SEED.read_text(encoding="utf-8"))
    for sentence in ARTICLE_LEFT_OUT:
        assert sentence in article
        assert not any(sentence in quote for quote in _quotes(catalog))


def test_other_sources_are_cited_without_quotes(catalog: Catalog) -> None:
    for citation in _citations(catalog):
        if citation.source != ARTICLE:
            assert citation.quote is None
            assert catalog.sources[citation.source].text is None


# --------------------------------------------------------------------------- spot checks


def test_ships_hulls_and_classes(catalog: Catalog) -> None:
    assert set(catalog.vessels) == set(SHIPS)
    for vessel_id, (name, hull, class_name) in SHIPS.items():
        vessel = catalog.vessels[vessel_id]
        assert (vessel.name, vessel.hull, vessel.class_name) == (name, hull, class_name)
        assert "factsheet" in {c.source for c in vessel.citations}
    assert catalog.vessels["ocean-trader"].type == "chartered special-operations support ship"
    assert catalog.ship_types["chartered special-operations support ship"].category == "special operations"


def test_ship_table_source_is_undated(catalog: Catalog) -> None:
    source = catalog.sources["factsheet"]
    assert source.date is None
    assert "fact sheet" in source.title


def test_unnamed_destroyers(catalog: Catalog) -> None:
    group = catalog.unidentified["jtf-destroyers-2025-08"]
    assert (group.type, group.count) == ("DDG", Quantity.exact(3))
    assert group.identified_as == ("gravely", "jason-dunham", "sampson")


def test_counts_are_not_invented(catalog: Catalog) -> None:
    # The article's plural "drones" and Task & Purpose's "at least 2"; "a seventh" in December.
    assert catalog.aircraft["mq9-aguadilla"].count == Quantity.at_least(2)
    seventh = next(e for e in catalog.events if e.id == "mq9-seventh")
    assert seventh.count == Quantity.at_least(7)
    # "patrols by P-8 reconnaissance aircraft": no number, no base.
    p8 = catalog.aircraft["p8-patrols"]
    assert p8.count.is_unknown
    assert p8.base is None
    assert catalog.aircraft["vmfa-225-f35b"].count == Quantity.exact(10)
    ford_csg = catalog.formations["ford-csg"]
    assert [f.count for f in ford_csg.personnel] == [Quantity.at_least(4001)]
    assert sorted(str(f.count) for f in ford_csg.aircraft) == ["61+", "about 90"]
    arg = catalog.formations["iwo-jima-arg"]
    assert sorted(str(f.count) for f in arg.personnel) == ["4,501+", "about 4,500"]


def test_joint_task_force_is_not_named(catalog: Catalog) -> None:
    jtf = catalog.formations["jtf"]
    assert jtf.kind == "joint task force"
    assert "unnamed" in jtf.name


@pytest.mark.parametrize("event_id", ["jtf-destroyers-join", "mq9-seventh"])
def test_a_month_stays_a_month(catalog: Catalog, event_id: str) -> None:
    # "In August" (the article); "in December" (the fact sheet).
    event = next(e for e in catalog.events if e.id == event_id)
    assert event.date.precision is Precision.MONTH


# A fact the sources give no day for, between two reports that bound it, is the range between them:
# possibly from the first day, certainly by the last. Neither end is a day no source gives.
RANGES = {
    # "Aug" (the fact sheet), reported by Zona Militar on Aug 20
    "minneapolis-saint-paul-near-curacao": "2025-08-01/2025-08-20",
    # ordered on Aug 18; reported sailed by Reuters and AP (Aug 19-20) and Zona Militar (Aug 20)
    "gravely-jason-dunham-sail": "2025-08-18/2025-08-20",
    # "In September" (the article); first reported by Reuters on Sep 9
    "mq9-arrive": "2025-09-01/2025-09-09",
    # the article's "newly arrived", which gives no day, after the canal transit of Aug 29
    "lake-erie-arrives": "2025-08-29/2025-11-04",
    # sent with Lake Erie on Aug 29; counted in the region by AP in late October
    "newport-news-arrives": "2025-08-29/2025-10-31",
    # the article's Joint Task Force "initially included" them; not "in August" in the southern Caribbean
    "gravely-jason-dunham-arrive": "2025-08-18/2025-11-04",
    "sampson-arrives": "2025-08-18/2025-09-23",
    "iwo-jima-arg-arrives": "2025-08-21/2025-11-04",
    # the mission, begun in August, "has included" P-8 patrols by the article's date
    "p8-patrols-reported": "2025-08-01/2025-11-04",
}


@pytest.mark.parametrize("event_id", list(RANGES))
def test_an_unknown_day_is_the_range_its_sources_give(catalog: Catalog, event_id: str) -> None:
    event = next(e for e in catalog.events if e.id == event_id)
    assert str(event.date) == RANGES[event_id]
    assert event.date.precision is Precision.DAY and not event.date.approximate


def test_no_presence_is_read_into_the_joint_task_force_of_august(catalog: Catalog) -> None:
    # "began assembling ... a Joint Task Force that initially included": the JTF's ships are not thereby
    # reported in the southern Caribbean in August: no event places them in the Caribbean by Aug 31.
    jtf_ships = {"jtf-destroyers-2025-08", "gravely", "jason-dunham", "sampson", "iwo-jima"}
    caribbean = {"caribbean", "caribbean-sea", "southern-caribbean"}
    for event in catalog.events:
        placing = event.kind in (EventKind.ARRIVED, EventKind.REPORTED_PRESENT) and event.place in caribbean
        if placing and (set(event.units) & jtf_ships or event.formation == "iwo-jima-arg"):
            assert event.date.end > dt.date(2025, 8, 31), event.id


def test_the_undated_report_of_muniz_is_dated_as_the_arrival_it_disputes(catalog: Catalog) -> None:
    # Task & Purpose's report is undated; the fact sheet sets it against The War Zone's arrival of Sep 13
    # ("instead placed them at Muniz"): one day, so that neither report is later than the other.
    events = {e.id: e for e in catalog.events}
    muniz, ceiba = events["f35b-at-muniz-per-taskandpurpose"], events["f35b-arrive-ceiba"]
    assert catalog.sources["taskandpurpose"].date is None
    assert muniz.date == ceiba.date and str(ceiba.date) == "2025-09-13"


@pytest.mark.parametrize(
    ("source_id", "date"),
    [
        ("twz-2025-09", "2025-09-13/2025-09-30"),  # "Sep", reporting the arrival of Sep 13
        ("maritime-executive-2025-09", "2025-09-20/2025-09-30"),  # "Sep", reporting a sighting of Sep 20
        ("military-com-2025-12", "2025-12-01/2025-12-31"),  # "Dec", reporting a sailing of Dec 1
        ("centcom-2023-10-08", "2023-10-08"),
    ],
)
def test_sources_dated_as_what_they_report_proves(catalog: Catalog, source_id: str, date: str) -> None:
    assert str(catalog.sources[source_id].date) == date


def test_the_articles_escort_list_is_the_2023_release(catalog: Catalog) -> None:
    # The fact sheet: CENTCOM's release of Oct 8, 2023 lists the same ships in the same order as the
    # article's strike group of Oct 24, 2025. The release is cited where the list is discussed (the
    # formation), not as a source of the 2025 membership.
    events = {e.id: e for e in catalog.events}
    article_list = events["ford-csg-members-per-herald"]
    assert article_list.units == ("gerald-r-ford", "normandy", "thomas-hudner", "ramage", "carney", "roosevelt")
    assert {c.source for c in article_list.citations} == {ARTICLE}
    ford_csg = catalog.formations["ford-csg"]
    assert "centcom-2023-10-08" in {c.source for c in ford_csg.citations}
    assert ford_csg.note is not None and "Oct 8, 2023" in ford_csg.note
    assert not any(c.source == "centcom-2023-10-08" for e in catalog.events for c in e.citations)


def test_what_lies_within_the_region_is_cited(catalog: Catalog) -> None:
    # No fact from outside the sources decides what the region holds: every place placed directly
    # within the region, or within its sea, or within Southern Command's area, cites a source.
    for place in catalog.places.values():
        if set(place.within) & {"caribbean", "caribbean-sea", "southcom"}:
            assert place.citations, place.id
    assert set(catalog.places["caribbean-sea"].within) == {"caribbean", "southcom"}
    assert "Northern Command" not in (ROOT / "catalog" / "places.yaml").read_text(encoding="utf-8")


def test_ford_expected_on_the_article_date(catalog: Catalog) -> None:
    event = next(e for e in catalog.events if e.id == "ford-expected")
    assert event.kind is EventKind.EXPECTED
    assert str(event.date) == "2025-11-04"


def test_claims(catalog: Catalog) -> None:
    assert len(catalog.claims) == 9  # CNN's report of Nov 16 is two claims: the region, the strike group
    assert {claim.scope for claim in catalog.claims.values()} == {"caribbean", "ford-csg"}
    csis = catalog.claims["claim-herald-csis-13-vessels"]
    assert str(csis.as_of) == "2025-11-04"
    assert csis.note is not None and "will soon have" in csis.note
    figures = {f.what: (f.count, f.categories) for f in csis.figures}
    assert figures == {
        "vessels": (Quantity.exact(13), ()),
        "warships": (Quantity.exact(8), ("carrier", "surface combatant")),
        "amphibious vessels": (Quantity.exact(3), ("amphibious",)),
        "a submarine": (Quantity.exact(1), ("submarine",)),
    }


def test_the_doc_counts_the_events_the_catalog_holds(catalog: Catalog) -> None:
    doc = (ROOT / "docs" / "catalog-caribbean-2025.md").read_text(encoding="utf-8")
    kinds = Counter(event.kind.value for event in catalog.events)
    several = ", ".join(f"{n} {kind}" for kind, n in kinds.most_common() if n > 1)
    assert f"The {len(catalog.events)} events are: {several}, and one each" in doc
    assert f"| {len(catalog.events)} events |" in doc
    assert f"| {len(catalog.claims)} claims |" in doc


# --------------------------------------------------------------------------- the catalog's page

# docs/catalog-caribbean-2025.md quotes the queries: each of its console blocks is run again and
# must print what the page shows (the conventions and helpers of tests/test_tutorial.py).
CATALOG_DOC = ROOT / "docs" / "catalog-caribbean-2025.md"
DOC_BLOCKS = blocks(CATALOG_DOC.read_text(encoding="utf-8"))
DOC_COMMANDS = [c for b in DOC_BLOCKS if b.lang == "console" for c in commands(b)]


def test_the_page_quotes_only_commands() -> None:
    assert {b.lang for b in DOC_BLOCKS} == {"console"}
    assert len(DOC_COMMANDS) >= 8


@pytest.mark.parametrize("command", DOC_COMMANDS, ids=[c.id for c in DOC_COMMANDS])
def test_the_page_shows_what_the_queries_print(command: Command) -> None:
    output, status = run_command(command.args)
    assert (output, status) == (command.output, command.status)
