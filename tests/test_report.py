"""The report as objects: rows that add up to the headline, units outside the region apart, every
source listed once by publisher and date, the disputes that bear on the date, and a legend of every mark."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

import pytest

import orbat
from orbat.dates import parse_date
from orbat.disputes import DisputeKind
from orbat.quantities import Quantity, total
from orbat.queries import default_region, snapshot
from orbat.rendering import render_report
from orbat.report import Report, Row, build_report, date_text

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def catalog() -> orbat.Catalog:
    return orbat.load(ROOT / "catalog")


def event_days(catalog: orbat.Catalog) -> list[dt.date]:
    return sorted({d for e in catalog.events for d in (e.date.start, e.date.end)})


def all_rows(report: Report) -> list[Row]:
    return [*report.vessels, *report.aircraft, *report.bound, *report.outside, *report.other]


def load_text(tmp_path: Path, text: str) -> orbat.Catalog:
    (tmp_path / "catalog.yaml").write_text(text, encoding="utf-8")
    return orbat.load(tmp_path)


# ---------------------------------------------------------------------------------------------
# The bundled catalog on every day something changes


@pytest.mark.parametrize("region", ["caribbean", "all"])
def test_rows_add_up_to_the_headline_on_every_day(catalog: orbat.Catalog, region: str | None) -> None:
    for day in event_days(catalog):
        snap = snapshot(catalog, day, region)
        report = build_report(snap)
        for rows, headline in (
            (report.vessels, report.headline.vessels),
            (report.aircraft, report.headline.aircraft_ashore),
        ):
            certain = total(r.count for r in rows if r.presence == "certain")
            possible = total(r.count for r in rows)
            assert Quantity(certain.low, possible.high, certain.approximate or possible.approximate) == headline, day
            assert all(r.presence in ("certain", "possible") for r in rows)
        # A formation's figure counts in the headline's low end only when all of it is here.
        assert total(r.counted or r.count for r in report.personnel) == report.headline.personnel
        assert total(r.counted or r.count for r in report.embarked) == report.headline.aircraft_embarked
        assert report.headline.bound == len(report.bound)


@pytest.mark.parametrize("region", ["caribbean", "all"])
def test_units_outside_the_region_are_not_among_those_present(catalog: orbat.Catalog, region: str | None) -> None:
    for day in event_days(catalog):
        snap = snapshot(catalog, day, region)
        report = build_report(snap)
        states = {s.unit_id: s for s in snap.states}
        present = {r.unit for r in (*report.vessels, *report.aircraft)}
        assert present == {s.unit_id for s in snap.states if snap.possibly_here(s)}
        outside = {r.unit for r in report.outside}
        other = {r.unit for r in report.other}
        bound = {r.unit for r in report.bound}
        assert not outside & present and not outside & bound and not other & (present | bound | outside)
        # Every unit the catalog has news of is in one of the tables, or counted as not listed.
        assert len(present | outside | bound | other) + report.not_listed == len(states)
        if region == "all":
            assert report.not_listed == 0
        assert all(not snap.possibly_here(states[u]) and states[u].possibly_present for u in outside)
        assert bound == {s.unit_id for s in snap.bound()}


def test_units_far_from_the_caribbean_are_listed_once_tied_to_it(catalog: orbat.Catalog) -> None:
    # In June the strike group left for Europe: nothing ties it to the Caribbean yet.
    june = build_report(snapshot(catalog, "2025-06-30", "caribbean"))
    assert june.not_listed == len(snapshot(catalog, "2025-06-30", "caribbean").states) > 0
    assert build_report(snapshot(catalog, "2025-11-04", "caribbean")).not_listed == 0


def test_the_default_regions_report_lists_the_strike_groups_ships_at_gibraltar_apart(catalog: orbat.Catalog) -> None:
    # Nov 4: Bainbridge and Mahan were last reported passing Gibraltar: outside the Caribbean.
    report = build_report(snapshot(catalog, "2025-11-04", "caribbean"))
    outside = {r.unit: r for r in report.outside}
    present = {r.unit for r in report.vessels}
    for ship in ("bainbridge", "mahan"):
        assert ship not in present
        assert outside[ship].place == "Strait of Gibraltar"


def test_the_strike_groups_ships_in_southcom_are_possibly_in_the_caribbean(catalog: orbat.Catalog) -> None:
    # Nov 20: in Southern Command's area since Nov 11 (SOUTHCOM, USNI), which holds the Caribbean Sea
    # (catalog/places.yaml: the order went "to U.S. Southern Command" and "into the Caribbean"): listed
    # with the vessels as possible, never certain, and not apart.
    report = build_report(snapshot(catalog, "2025-11-20", "caribbean"))
    rows = {r.unit: r for r in report.vessels}
    for ship in ("bainbridge", "mahan", "winston-s-churchill"):
        assert rows[ship].place == "U.S. Southern Command area of responsibility"
        assert rows[ship].presence == "possible"
        assert ship not in {r.unit for r in report.outside}


@pytest.mark.parametrize("day", ["2025-08-31", "2025-11-04", "2025-11-20", "2025-12-31"])
def test_every_source_is_listed_once_and_every_listed_source_is_cited(catalog: orbat.Catalog, day: str) -> None:
    report = build_report(snapshot(catalog, day, "caribbean"))
    ids = [ref.id for ref in report.sources]
    assert len(ids) == len(set(ids))
    labels = [ref.label for ref in report.sources]
    assert len(labels) == len(set(labels)), "two sources a reader cannot tell apart"
    cited = {s for row in all_rows(report) for s in row.sources}
    cited |= {s for row in (*report.personnel, *report.embarked) for s in row.sources}
    cited |= {s for entry in report.disputes for side in entry.sides for s in side.sources}
    cited |= {s for r in (*report.headline.reported_vessels, *report.headline.reported_personnel) for s in r.sources}
    assert cited == set(ids)
    for ref in report.sources:
        source = catalog.sources[ref.id]
        assert ref.label == f"{source.publisher}, {date_text(source.date)}"
        assert ref.title == source.title
    # Every row says when it was last reported.
    assert all(row.last_reported is not None for row in all_rows(report))


def test_quotes_of_the_page_are_the_sources_verbatim(catalog: orbat.Catalog) -> None:
    report = build_report(snapshot(catalog, "2025-11-04", "caribbean"))
    herald = report.source("herald-2025-11-04")
    assert herald.quotes
    text = " ".join(catalog.source_texts["herald-2025-11-04"].split())
    for quote in herald.quotes:
        assert " ".join(quote.split()) in text


def test_json_is_plain_data_and_carries_everything(catalog: orbat.Catalog) -> None:
    report = build_report(snapshot(catalog, "2025-11-20", "caribbean"))
    data = json.loads(json.dumps(report.to_json()))
    assert data["title"] == "Deployment as of 2025-11-20 in the Caribbean"
    assert set(data) >= {"headline", "vessels", "aircraft", "bound", "outside", "disputes", "sources", "legend"}
    assert [row["unit"] for row in data["vessels"]] == [row.unit for row in report.vessels]
    assert data["headline"]["vessels"] == report.headline.vessels.to_json()
    assert [d["mark"] for d in data["disputes"]] == [f"[D{n}]" for n in range(1, len(report.disputes) + 1)]
    assert all(parse_date(row["since"]).isoformat() == row["since"] for row in data["vessels"])


# ---------------------------------------------------------------------------------------------
# Disputes on the page


def test_disputes_are_numbered_and_every_mark_leads_to_one(catalog: orbat.Catalog) -> None:
    for day in event_days(catalog):
        report = build_report(snapshot(catalog, day, "caribbean"))
        numbers = [d.number for d in report.disputes]
        assert numbers == list(range(1, len(numbers) + 1))
        for row in all_rows(report):
            assert set(row.disputes) <= set(numbers)
            for number in row.disputes:
                assert row.unit in report.disputes[number - 1].units
        for entry in report.disputes:
            assert len(entry.sides) == 2 and all(side.sources for side in entry.sides)
            assert entry.resolution


def test_a_dispute_is_shown_only_once_both_sides_are_on_record(catalog: orbat.Catalog) -> None:
    def kinds(day: str) -> set[tuple[DisputeKind, str]]:
        report = build_report(snapshot(catalog, day, "caribbean"))
        return {(d.kind, d.question) for d in report.disputes}

    f35b = (DisputeKind.PLACE, "Where was F-35B of VMFA-225?")
    normandy = (DisputeKind.AFTER_SERVICE, "Was USS Normandy still in service?")
    assert f35b not in kinds("2025-09-12")  # The War Zone's Ceiba report is of Sep 13
    assert f35b in kinds("2025-09-13")
    assert normandy not in kinds("2025-10-23") and normandy in kinds("2025-10-24")


def test_the_f35b_row_rests_on_the_place_dispute(catalog: orbat.Catalog) -> None:
    report = build_report(snapshot(catalog, "2025-11-04", "caribbean"))
    (f35b,) = [r for r in report.aircraft if r.unit == "vmfa-225-f35b"]
    (entry,) = [d for d in report.disputes if d.kind is DisputeKind.PLACE]
    assert f35b.disputes == (entry.number,)
    assert not f35b.certain
    assert f35b.place is not None and "Ceiba" in f35b.place and "Muniz" in f35b.place
    assert "sources disagree" in f35b.status
    assert {side.sources for side in entry.sides} == {("taskandpurpose",), ("herald-2025-11-04", "twz-2025-09")}
    assert "counted once" in entry.resolution


PLACES = """\
sources:
  - {id: a, title: Report A, publisher: Alpha News, date: 2025-09-30}
  - {id: b, title: Report B, publisher: Beta Wire, date: 2025-09-30}
  - {id: c, title: Report C, publisher: Gamma Daily, date: 2025-10-30}
places:
  - {id: sea, name: The Sea, kind: sea}
  - {id: port-a, name: Port A, kind: port, within: sea}
  - {id: port-b, name: Port B, kind: port, within: sea}
  - {id: home, name: Home Port, kind: port}
vessels:
  - {id: v, name: USS Example, hull: DDG-1, navy: US}
events:
  - {date: 2025-09, kind: reported present, units: [v], place: port-a, cite: a}
  - {date: 2025-09-20, kind: reported present, units: [v], place: port-b, cite: b}
"""


def test_a_place_dispute_marks_its_row_until_a_later_report_settles_it(tmp_path: Path) -> None:
    catalog = load_text(tmp_path, PLACES + "  - {date: 2025-10-15, kind: arrived, units: [v], place: home, cite: c}\n")
    before = build_report(snapshot(catalog, "2025-09-30", "sea"))
    (entry,) = before.disputes
    assert entry.kind is DisputeKind.PLACE
    assert [side.says for side in entry.sides] == ["at Port A (Sep 2025)", "at Port B (Sep 20, 2025)"]
    assert [before.source(s).label for side in entry.sides for s in side.sources] == [
        "Alpha News, Sep 30, 2025",
        "Beta Wire, Sep 30, 2025",
    ]
    (row,) = before.vessels
    assert row.disputes == (1,) and row.place == "Port A or Port B"
    assert row.status == "present (sources disagree on the place)"
    assert "counted once, in the region either way" in entry.resolution
    # A later report puts it at home: the dispute no longer bears on the state.
    after = build_report(snapshot(catalog, "2025-10-20", "sea"))
    assert after.disputes == ()
    (row,) = after.outside
    assert row.disputes == () and row.place == "Home Port"


KINDS = """\
sources:
  - {id: a, title: Report A, publisher: Alpha News, date: 2025-09-10}
  - {id: b, title: Report B, publisher: Beta Wire, date: 2025-09-12}
places:
  - {id: sea, name: The Sea, kind: sea}
vessels:
  - {id: v, name: USS Example, hull: DDG-1, navy: US}
  - {id: w, name: USS Other, hull: DDG-2, navy: US}
formations:
  - id: group
    name: The Group
    kind: task group
    personnel:
      - {count: 300, as_of: 2025-09-01, cite: a}
      - {count: 900, as_of: 2025-09-05, cite: b}
  - {id: squadron, name: The Squadron, kind: task group}
events:
  - {date: 2025-09-01, kind: joined, units: [v], formation: group, cite: a}
  - {date: 2025-09-01, kind: arrived, units: [v, w], place: sea, cite: a}
  - {date: 2025-09-05, kind: arrived, units: [w], place: sea, cite: b}
  - {date: 2025-09-06, kind: joined, units: [v], formation: squadron, cite: b}
"""


def test_disputes_over_a_figure_an_arrival_and_a_formation(tmp_path: Path) -> None:
    catalog = load_text(tmp_path, KINDS)
    # Before the second report of each, nothing is disputed.
    assert build_report(snapshot(catalog, "2025-09-02", "sea")).disputes == ()
    report = build_report(snapshot(catalog, "2025-09-10", "sea"))
    entries = {entry.kind: entry for entry in report.disputes}
    # The group's figures are not counted once its only ship has left it: their dispute does not bear.
    assert set(entries) == {DisputeKind.ARRIVAL, DisputeKind.MEMBERSHIP}
    arrival = entries[DisputeKind.ARRIVAL]
    assert arrival.question == "When did USS Other arrive?"
    assert [side.says for side in arrival.sides] == [
        "arrived at The Sea on Sep 1, 2025",
        "arrived at The Sea on Sep 5, 2025",
    ]
    assert (
        arrival.resolution == "Both reports are kept: the unit is counted as there from the earlier one (Sep 1, 2025)."
    )
    membership = entries[DisputeKind.MEMBERSHIP]
    assert membership.question == "Which formation is USS Example in?"
    assert [side.says for side in membership.sides] == [
        "in The Group from Sep 1, 2025",
        "in The Squadron from Sep 6, 2025",
    ]
    assert membership.resolution == "The later report is followed: shown in The Squadron; marked."
    rows = {row.unit: row for row in report.vessels}
    assert rows["w"].disputes == (arrival.number,) and rows["v"].disputes == (membership.number,)
    assert rows["v"].formation == "The Squadron"


def test_a_dispute_over_a_figure_marks_the_figure_counted(tmp_path: Path) -> None:
    text = KINDS.replace("  - {date: 2025-09-06, kind: joined, units: [v], formation: squadron, cite: b}\n", "")
    report = build_report(snapshot(load_text(tmp_path, text), "2025-09-10", "sea"))
    (figure,) = [entry for entry in report.disputes if entry.kind is DisputeKind.FIGURE]
    assert figure.question == "How many personnel has The Group?"
    assert [side.says for side in figure.sides] == [
        "300 personnel as of Sep 1, 2025",
        "900 personnel as of Sep 5, 2025",
    ]
    (row,) = report.personnel
    assert row.disputes == (figure.number,) and figure.units == ()
    assert figure.resolution == f"Both figures are kept; the report counts {row.count} ({row.how})."
    assert f"The Group [D{figure.number}]" in render_report(report)


def test_a_report_with_no_disputes_says_so(tmp_path: Path) -> None:
    catalog = load_text(tmp_path, PLACES.replace("place: port-b", "place: port-a"))
    report = build_report(snapshot(catalog, "2025-09-30", "sea"))
    assert report.disputes == ()
    text = render_report(report)
    assert "Disputes between sources bearing on 2025-09-30\n(none)" in text


TIES = """\
sources:
  - {id: a, title: Report A, publisher: Alpha News, date: 2025-10-01}
places:
  - {id: ocean, name: The Ocean, kind: region}
  - {id: sea, name: The Sea, kind: sea, within: ocean}
  - {id: bay, name: The Bay, kind: sea, within: ocean}
  - {id: far, name: Far Away, kind: sea}
  - {id: home, name: Home Port, kind: port}
vessels:
  - {id: here, name: USS Here, hull: DDG-1, navy: US}
  - {id: escort, name: USS Escort, hull: DDG-2, navy: US}
  - {id: neighbour, name: USS Neighbour, hull: DDG-3, navy: US}
  - {id: visitor, name: USS Visitor, hull: DDG-4, navy: US}
  - {id: stranger, name: USS Stranger, hull: DDG-5, navy: US}
  - {id: retired, name: USS Retired, hull: DDG-6, navy: US}
formations:
  - {id: group, name: The Group, kind: task group}
events:
  - {date: 2025-09-01, kind: joined, units: [here, escort], formation: group, cite: a}
  - {date: 2025-09-02, kind: arrived, units: [here], place: sea, cite: a}
  - {date: 2025-09-02, kind: arrived, units: [escort], place: far, cite: a}
  - {date: 2025-09-02, kind: arrived, units: [neighbour], place: bay, cite: a}
  - {date: 2025-09-02, kind: arrived, units: [visitor], place: sea, cite: a}
  - {date: 2025-09-10, kind: arrived, units: [visitor], place: home, cite: a}
  - {date: 2025-09-02, kind: arrived, units: [stranger], place: far, cite: a}
  - {date: 2025-09-20, kind: decommissioned, units: [retired], place: home, cite: a}
"""


def test_units_not_counted_are_listed_when_tied_to_the_region(tmp_path: Path) -> None:
    catalog = load_text(tmp_path, TIES)
    report = build_report(snapshot(catalog, "2025-10-01", "sea"))
    assert [r.unit for r in report.vessels] == ["here"]
    # With its group; next to the region (in the same ocean); reported in the region before.
    assert [r.unit for r in report.outside] == ["escort", "neighbour", "visitor"]
    # The stranger far away and the ship retired at home were never tied to the sea.
    assert report.other == () and report.not_listed == 2
    assert "Not listed on 2025-10-01" in render_report(report)
    everywhere = build_report(snapshot(catalog, "2025-10-01", "all"))
    assert everywhere.not_listed == 0 and [r.unit for r in everywhere.other] == ["retired"]


# ---------------------------------------------------------------------------------------------
# The headline


def test_the_headline_of_the_bundled_catalog(catalog: orbat.Catalog) -> None:
    report = build_report(snapshot(catalog, "2025-11-20", default_region(catalog)))
    head = report.headline
    assert head.warships.low <= head.vessels.low
    assert head.personnel_from and all(f in catalog.formations for f in head.personnel_from)
    # The nearest count of the personnel the sources gave: CNN's of Nov 16.
    (personnel,) = head.reported_personnel
    assert (personnel.claim, str(personnel.count)) == ("claim-cnn-2025-11-16", "about 15,000")
    assert personnel.catalog == head.personnel
    for reported in head.reported_vessels:
        assert reported.catalog is not None


def test_embarked_aircraft_come_from_formation_figures(catalog: orbat.Catalog) -> None:
    report = build_report(snapshot(catalog, "2025-11-20", "caribbean"))
    assert report.headline.embarked_from == ("ford-csg",)
    (row,) = report.embarked
    assert row.formation == "ford-csg" and row.measure == "aircraft"
    figures = [f.count for f in catalog.formations["ford-csg"].aircraft]
    assert all(row.count.overlaps(f) for f in figures)
    # Before the strike group is ordered to the region, nothing is embarked.
    early = build_report(snapshot(catalog, "2025-10-20", "caribbean"))
    assert early.embarked == () and early.headline.embarked_from == ()
    # A figure counts while a unit of its formation is possibly in the region.
    for day in ("2025-11-04", "2025-11-20"):
        snap = snapshot(catalog, day, "caribbean")
        for row in build_report(snap).embarked:
            assert any(snap.possibly_here(s) for s in snap.formation_members(row.formation))


# ---------------------------------------------------------------------------------------------
# Text


def test_every_mark_of_the_text_is_in_the_legend(catalog: orbat.Catalog) -> None:
    for day in ("2025-09-15", "2025-11-04", "2025-11-20", "2025-12-31"):
        report = build_report(snapshot(catalog, day, "caribbean"))
        text = render_report(report)
        legend = {entry.mark for entry in report.legend}
        for words in ("possibly present", "possibly arrived", "(uncertain)", "(sources disagree"):
            if words in text:
                assert any(words.strip("(") in mark for mark in legend), words
        if re.search(r"\[D\d+\]", text):
            assert "[D1]" in legend
        if re.search(r"\d\+", text):
            assert "7+" in legend
        if "about " in text:
            assert "about 90" in legend
        if re.search(r"\d\u2013\d", text):
            assert "2\u20133" in legend
        if re.search(r"\d{4}-\d{2}-\d{2}/\d{4}", text):
            assert "2025-09-21/2025-09-23" in legend
        if re.search(r"~\d{4}", text):
            assert "~2025-10-31" in legend


def test_sources_are_named_by_publisher_and_date_and_titles_on_request(catalog: orbat.Catalog) -> None:
    report = build_report(snapshot(catalog, "2025-11-04", "caribbean"))
    plain, titled = render_report(report), render_report(report, titles=True)
    assert "Miami Herald, Nov 4, 2025" in plain
    title = catalog.sources["herald-2025-11-04"].title
    assert title not in plain and title in titled


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2025-11-04", "Nov 4, 2025"),
        ("2025-08", "Aug 2025"),
        ("2025", "2025"),
        ("2025-08-19/2025-08-20", "Aug 19\u201320, 2025"),
        ("2025-08-30/2025-09-02", "Aug 30 \u2013 Sep 2, 2025"),
        ("2025-12-30/2026-01-02", "Dec 30, 2025 \u2013 Jan 2, 2026"),
        ("2025-08/2025-09", "Aug\u2013Sep 2025"),
        ("2025-12/2026-01", "Dec 2025 \u2013 Jan 2026"),
        ("2024/2025", "2024\u20132025"),
        ("~2025-10-31", "about Oct 31, 2025"),
    ],
)
def test_date_text(text: str, expected: str) -> None:
    assert date_text(parse_date(text)) == expected


def test_an_undated_source_says_so() -> None:
    assert date_text(None) == "undated"
