"""Valid catalogs under ``fixtures/good``: each loads with no problem at all, into the right typed
objects, and ``orbat validate`` accepts it."""

from __future__ import annotations

import datetime as dt
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import orbat
from orbat import (
    Catalog,
    Citation,
    EventKind,
    PartialDate,
    Precision,
    Quantity,
    Vessel,
)

FIXTURES = Path(__file__).resolve().parent / "fixtures"
GOOD = sorted(path for path in (FIXTURES / "good").iterdir() if path.is_dir())
IDS = [path.name for path in GOOD]


def load(case: str) -> Catalog:
    return orbat.load(FIXTURES / "good" / case)


@pytest.mark.parametrize("folder", GOOD, ids=IDS)
def test_good_catalog_has_no_problems(folder: Path) -> None:
    result = orbat.validate(folder)
    assert [str(problem) for problem in result.problems] == []
    assert result.catalog is not None
    assert result.catalog.warnings == ()
    assert orbat.load(folder) == result.catalog


@pytest.mark.parametrize("folder", GOOD, ids=IDS)
def test_cli_validate_accepts_good_catalog(folder: Path) -> None:
    env = {key: value for key, value in os.environ.items() if key != "GITHUB_ACTIONS"}
    completed = subprocess.run(
        [sys.executable, "-m", "orbat", "validate", "--strict", str(folder)],
        capture_output=True,
        text=True,
        encoding="utf-8",
        env=env,
        timeout=120,
        check=False,
    )
    assert completed.returncode == 0, completed.stdout + completed.stderr
    assert completed.stdout == ""
    assert completed.stderr.splitlines() == ["0 error(s), 0 warning(s)"]


# --------------------------------------------------------------------------- minimal


def test_minimal_vessel_takes_its_type_from_the_hull() -> None:
    catalog = load("minimal")
    assert catalog.vessels == {"ramage": Vessel("ramage", "USS Ramage", "DDG", "US", hull="DDG-61")}
    ramage = catalog.vessels["ramage"]
    assert ramage.label == "USS Ramage (DDG-61)"
    assert catalog.ship_type_of(ramage).category == "surface combatant"
    assert ramage.origin.file.endswith("catalog.yaml")
    assert (ramage.origin.line, ramage.origin.column) == (2, 5)


# --------------------------------------------------------------------------- split over files


def test_split_catalog_joins_entries_from_every_file() -> None:
    catalog = load("split-over-files")
    folder = FIXTURES / "good" / "split-over-files"
    hudner = catalog.vessels["thomas-hudner"]
    assert hudner.type == "DDG"
    assert hudner.hull == "DDG-116"
    assert hudner.citations == (Citation("tracker"),)
    assert Path(hudner.origin.file) == folder / "units" / "vessels.yaml"
    assert Path(catalog.places["puerto-rico"].origin.file) == folder / "places.yml"
    assert catalog.places["puerto-rico"].within == ("caribbean",)
    assert set(catalog.sources) == {"tracker"}
    assert set(catalog.formations) == {"sag-1"}
    reapers = catalog.aircraft["reapers"]
    assert reapers.count == Quantity.at_least(6)
    assert reapers.base == "puerto-rico"
    assert [event.kind for event in catalog.events] == [
        EventKind.REPORTED_PRESENT,  # "2025-10" starts before Oct 2
        EventKind.JOINED,
        EventKind.ARRIVED,
    ]
    present, joined, arrived = catalog.events
    assert all(Path(event.origin.file) == folder / "events" / "2025-10.yaml" for event in catalog.events)
    assert present.date == PartialDate.month(2025, 10)
    assert present.count == Quantity.exact(7)
    assert joined.units == ("thomas-hudner", "ramage")
    assert arrived.units == ()
    assert arrived.formation == "sag-1"
    # The built-in reference types are there as well as the catalog's own entries.
    assert "DDG" in catalog.ship_types
    assert "MQ-9A" in catalog.aircraft_types


# --------------------------------------------------------------------------- every section


def test_every_section_is_read() -> None:
    catalog = load("every-section")
    assert catalog.ship_types["AGS"].category == "auxiliary"
    assert catalog.aircraft_types["MQ-4C"].role == "unmanned"
    assert set(catalog.places) == {"caribbean", "puerto-rico", "roosevelt-roads", "norfolk", "mayport"}
    assert set(catalog.sources) == {"tracker", "press", "register"}
    assert len(catalog.vessels) == 8
    assert set(catalog.unidentified) == {"unnamed-destroyers"}
    assert set(catalog.aircraft) == {"vmfa-225", "tritons"}
    assert set(catalog.formations) == {"southern-jtf", "iwo-arg", "meu-22"}
    assert {event.kind for event in catalog.events} == set(EventKind)
    assert set(catalog.claims) == {"tracker-2025-10-27"}


def test_every_section_vessels() -> None:
    catalog = load("every-section")
    hudner = catalog.vessels["thomas-hudner"]
    assert (hudner.type, hudner.hull, hudner.class_name) == ("DDG", "DDG-116", "Arleigh Burke")
    assert hudner.commissioned == PartialDate.month(2018, 12)
    assert catalog.vessels["oiler"].type == "T-AO"  # hull T-AO-299 agrees with the given type
    surveyor = catalog.vessels["surveyor"]
    assert (surveyor.type, surveyor.hull) == ("AGS", None)
    assert surveyor.label == "USNS Example Surveyor"
    monterey = catalog.vessels["monterey"]
    assert monterey.commissioned is not None
    assert monterey.commissioned.precision is Precision.YEAR
    assert monterey.decommissioned == PartialDate.month(2022, 9)


def test_every_section_units_and_counts() -> None:
    catalog = load("every-section")
    group = catalog.unidentified["unnamed-destroyers"]
    assert group.count == Quantity.exact(2)
    assert group.identified_as == ("gravely",)
    assert group.label == "unidentified DDG \u00d72"
    assert catalog.aircraft["vmfa-225"].count == Quantity.exact(10)
    assert catalog.aircraft["tritons"].count == Quantity.at_most(3)


def test_every_section_formations_and_figures() -> None:
    catalog = load("every-section")
    jtf, arg, meu = (catalog.formations[key] for key in ("southern-jtf", "iwo-arg", "meu-22"))
    assert (jtf.kind, jtf.parent) == ("joint task force", None)
    assert (arg.parent, meu.parent) == ("southern-jtf", "iwo-arg")
    (aircraft,) = jtf.aircraft
    assert aircraft.count == Quantity.about(90)
    assert aircraft.count.approximate
    assert not aircraft.count.is_exact
    assert str(aircraft.count) == "about 90"
    assert aircraft.as_of == PartialDate.day(2025, 10, 27)
    (personnel,) = arg.personnel
    assert personnel.count == Quantity(4001, None)
    assert personnel.as_of is not None
    assert personnel.as_of.precision is Precision.MONTH
    # A literal block scalar keeps its line break; the check compares with white space folded.
    (citation,) = personnel.citations
    assert citation.quote is not None
    assert "\n" in citation.quote
    assert arg.citations == (Citation("tracker", "makes up the Iwo Jima Amphibious Ready Group"),)


def test_every_section_dates_keep_their_precision() -> None:
    catalog = load("every-section")
    assert catalog.sources["tracker"].date == PartialDate.day(2025, 10, 27)
    press_date = catalog.sources["press"].date
    assert press_date is not None
    assert press_date.precision is Precision.MONTH
    assert press_date.isoformat() == "2025-10"
    assert catalog.sources["register"].date is None  # an undated compilation
    dates = {event.kind: event.date for event in catalog.events if event.kind is not EventKind.DEPARTED}
    assert dates[EventKind.DECOMMISSIONED].precision is Precision.MONTH
    assert dates[EventKind.ORDERED] == PartialDate.day(2025, 8, 14)
    arrived = dates[EventKind.ARRIVED]  # the later arrival, of the F-35B detachment
    assert arrived == PartialDate.day(2025, 10, 1)
    present = dates[EventKind.REPORTED_PRESENT]
    assert present.is_span
    assert (present.start, present.end) == (dt.date(2025, 9, 21), dt.date(2025, 9, 23))
    assert present.isoformat() == "2025-09-21/2025-09-23"
    assert dates[EventKind.EXPECTED] == PartialDate.month(2025, 11)
    late_august = next(event.date for event in catalog.events if event.kind is EventKind.ARRIVED)
    assert late_august.approximate
    assert late_august.isoformat() == "~2025-08-28"


def test_every_section_events() -> None:
    catalog = load("every-section")
    starts = [event.date.start for event in catalog.events]
    assert starts == sorted(starts)
    by_id = {event.id: event for event in catalog.events}
    ordered = by_id["arg-ordered"]
    assert ordered.kind is EventKind.ORDERED
    assert ordered.units == ("iwo-jima", "san-antonio", "fort-lauderdale")
    assert ordered.place == "caribbean"
    departures = [event for event in catalog.events if event.kind is EventKind.DEPARTED]
    assert [(event.place, event.to, event.formation) for event in departures] == [
        ("norfolk", "caribbean", "iwo-arg"),
        ("caribbean", "mayport", None),
    ]
    (relieved,) = (event for event in catalog.events if event.kind is EventKind.RELIEVED)
    assert (relieved.units, relieved.relieves) == (("gravely",), "thomas-hudner")
    (count_event,) = (event for event in catalog.events if event.count is not None)
    assert count_event.count == Quantity.exact(10)
    assert count_event.units == ("vmfa-225",)


def test_every_section_claims() -> None:
    catalog = load("every-section")
    claim = catalog.claims["tracker-2025-10-27"]
    assert claim.scope == "caribbean"
    assert claim.as_of == PartialDate.day(2025, 10, 27)
    assert [(f.what, f.measure, f.count) for f in claim.figures] == [
        ("warships", "vessels", Quantity.exact(8)),
        ("aircraft across the force", "aircraft", Quantity.about(90)),
        ("F-35B fighters", "aircraft", Quantity.exact(10)),
        ("sailors and Marines", "personnel", Quantity.at_least(4001)),
    ]
    assert claim.figures[0].categories == ("surface combatant", "amphibious")
    assert claim.figures[2].types == ("F-35B",)


def test_every_section_quotes_are_found_despite_white_space_and_curly_quotes() -> None:
    catalog = load("every-section")
    assert set(catalog.source_texts) == {"tracker", "press"}
    assert "\u201cready for the long transit home\u201d" in catalog.source_texts["press"]
    (departed,) = (e for e in catalog.events if e.kind is EventKind.DEPARTED and e.units == ("thomas-hudner",))
    (citation,) = departed.citations
    assert citation.quote == (
        'Hudner\'s captain called the ship "ready for the long transit home" as it sailed for Mayport.'
    )
    assert citation.quote not in catalog.source_texts["press"]  # found only once normalised


def test_every_section_loads_the_same_with_bom_and_crlf(tmp_path: Path) -> None:
    folder = tmp_path / "every-section"
    shutil.copytree(FIXTURES / "good" / "every-section", folder)
    for path in folder.rglob("*.yaml"):
        text = path.read_text(encoding="utf-8")
        path.write_bytes(("\ufeff" + text.replace("\n", "\r\n")).encode("utf-8"))
    result = orbat.validate(folder)
    assert [str(problem) for problem in result.problems] == []
    original = load("every-section")
    assert result.catalog is not None
    assert result.catalog == original

    def positions(catalog: Catalog) -> list[tuple[int, int, dict[str, tuple[int, int]]]]:
        entries = [*catalog.units(), *catalog.formations.values(), *catalog.events, *catalog.claims.values()]
        return [(e.origin.line, e.origin.column, e.origin.fields) for e in entries]

    # Neither the byte order mark nor the carriage returns count as columns.
    assert positions(result.catalog) == positions(original)


# --------------------------------------------------------------------------- YAML quoting


def test_quoted_yaml_11_words_stay_text() -> None:
    catalog = load("yaml-quoting")
    skjold = catalog.vessels["skjold"]
    assert (skjold.navy, skjold.class_name, skjold.note, skjold.type) == ("NO", "off", "yes", "PC")
    assert catalog.vessels["ramage"].note == "1:20"
    assert catalog.formations["tu-2025-10-24"].name == "2025-10-24"
    assert set(catalog.places) == {"on", "no", "curacao"}
    assert catalog.places["curacao"].name == "Cura\u00e7ao"
    assert catalog.sources["register"].title == 'Register of ships: "Norway" and others (test fixture)'


def test_aliases_and_block_scalars() -> None:
    catalog = load("yaml-quoting")
    citations = {vessel.citations for vessel in catalog.vessels.values()}
    assert citations == {(Citation("register"),)}
    assert catalog.vessels["bulkeley"].note == "A folded block scalar: these two lines become one line of text."
    assert catalog.vessels["mahan"].note == "A literal block scalar\nkeeps its line breaks.\n"
