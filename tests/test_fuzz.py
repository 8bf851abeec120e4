"""Fuzzing as tests: any input gets a clear answer.

Hypothesis generates catalogs (valid ones; valid ones then mutated: keys dropped, renamed or
duplicated, values retyped, files cut short, bytes flipped; YAML text and bytes made up from
scratch), and for each one:

- :func:`orbat.validate` and :func:`orbat.load` return a catalog or a :class:`CatalogError`, never
  another exception, and every problem has a file, a line and column (>= 1, inside the file), a
  code and a message;
- the fast path of reading (orbat/_fast.py) gives what the located tree gives: the same problems,
  and the same catalog down to every field's position;
- libyaml and PyYAML's pure-Python parser find the same problems at the same places, but for
  what the parser itself decides (see :func:`same_problems` and docs/reliability.md);
- ``orbat validate`` exits 0, 1 or 2 and never prints a traceback.

The strategies here are shared with ``tests/test_roundtrip.py`` and ``scripts/fuzz_release.py``,
which runs the same checks over many more inputs (``make fuzz``).
"""

from __future__ import annotations

import ast
import contextlib
import datetime as dt
import html.parser
import io
import json
import os
import re
import string
import subprocess
import sys
import tempfile
from collections.abc import Callable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any, NoReturn
from unittest import mock

import attrs
import pytest
import yaml
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

import orbat
import orbat._fast
import orbat._nodes
import orbat.loading
from orbat import (
    AircraftDetachment,
    AircraftType,
    Catalog,
    CatalogError,
    Citation,
    Claim,
    ClaimFigure,
    Event,
    EventKind,
    Figure,
    Formation,
    LoadResult,
    PartialDate,
    Place,
    Precision,
    Problem,
    Quantity,
    Settings,
    ShipType,
    Source,
    UnidentifiedVessels,
    Vessel,
)
from orbat._pure import PureLoader
from orbat.claims import check_claims
from orbat.cli import main as cli_main
from orbat.dates import day_after
from orbat.dumping import to_data
from orbat.export import EXPORT_FORMATS, export_text
from orbat.html import report_html
from orbat.loading import SECTIONS
from orbat.model import AIRCRAFT_ROLES, FORMATION_KINDS, MEASURES, PLACE_KINDS, SHIP_CATEGORIES
from orbat.quantities import parse_quantity
from orbat.queries import BREAKDOWNS, RegionLike, changes, snapshot, timeline
from orbat.rendering import breakdown_table, changes_table, claims_table, render_report, render_tables, timeline_table
from orbat.report import build_report
from orbat.svg import timeline_svg

Files = dict[str, bytes]

# The built-in reference types, which every catalog loaded with reference=True holds.
REFERENCE = orbat.load([])
REFERENCE_IDS = frozenset((*REFERENCE.ship_types, *REFERENCE.aircraft_types))

CODE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
# What YAML counts as a line break, and so what line numbers count.
YAML_LINE_BREAK = re.compile("\r\n|[\r\n\x85\u2028\u2029]")

# Catalog text that would be markup or script if a page did not escape it.
INJECTIONS = (
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "</style><script>alert(2)</script>",
    "<a href='javascript:alert(3)'>x</a>",
    "&lt;b&gt; & <!-- -->",
)

# Count words as sources write them, each read to its range (orbat.quantities).
COUNT_TEXTS = (
    *("about 90", "roughly 90", "some 40", "~5", "more than 4,000", "at least 61", "up to 10"),
    *("nearly 2,500", "almost 12", "just under 100", "10-12", "10 to 12", "a few", "several"),
    *("dozens of", "hundreds", "unknown", "4,000", "0"),
)

# Strings that YAML, or YAML 1.1 readers, would take for something other than the same text.
TRICKY_TEXTS = (
    *("NO", "no", "No", "on", "On", "ON", "off", "yes", "YES", "y", "Y", "n", "N", "true", "False"),
    *("~", "null", "Null", "NULL", "", " ", "  "),
    *("2025", "2025-10", "2025-10-24", "2025-1-5", "2025-10-24 12:00", "2025-10-24T12:00:00Z", "~2025-10"),
    *("1:20", "190:20:30", "0755", "0o17", "0x1F", "0b101", "1_000", "+1", "-0", "1e3", "1.", ".5", "6.8e+5"),
    *(".inf", "-.Inf", ".NaN", "<<", "=", "@x", "`x", "%x", "!x", "!!str x", "&a x", "*a", "- x", "? x"),
    *("a: b", "a:b", "a #b", "#c", "'", '"', "''", "|", ">", "[x]", "{x: y}", "a, b", "---", "..."),
    *(" lead", "trail ", "a\nb", "a\n", "\n", "\n\n", "\t", "a\tb", "\r\n", "a\rb", "a  b"),
    *("\x85", "a\x85b", "\u2028", "\u2029", "\ufeff", "\x00", "\x07", "\x1b[31m", "\x7f", "\xa0"),
    *("ü", "日本語", "😀", "\u0301", "\u202e", "٢٠٢٥-1-1", "x" * 150, "word " * 30),
    *INJECTIONS,
)


# --------------------------------------------------------------------------- valid catalogs


def texts(max_size: int = 12) -> st.SearchStrategy[str]:
    """Any text a catalog may hold, leaning towards what YAML or YAML 1.1 would misread."""
    return st.one_of(
        st.sampled_from(TRICKY_TEXTS),
        st.text(st.characters(codec="utf-8"), max_size=max_size),
        st.text(string.ascii_letters + string.digits + " -:.,~#'\"", max_size=max_size),
    )


def optional(strategy: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    return st.one_of(st.none(), strategy)


def _at(day: dt.date, precision: Precision) -> PartialDate:
    if precision is Precision.YEAR:
        return PartialDate.year(day.year)
    if precision is Precision.MONTH:
        return PartialDate.month(day.year, day.month)
    return PartialDate.of(day)


@st.composite
def partial_dates(draw: st.DrawFn) -> PartialDate:
    """A year, month or day, or a span of them, possibly approximate."""
    precision = draw(st.sampled_from(Precision))
    first = draw(st.dates(dt.date(1, 1, 1), dt.date(9999, 12, 31)))
    date = _at(first, precision)
    if draw(st.booleans()):
        last = _at(draw(st.dates(first, dt.date(9999, 12, 31))), precision)
        date = PartialDate(date.start, last.end, precision)
    return attrs.evolve(date, approximate=draw(st.booleans()))


@st.composite
def quantities(draw: st.DrawFn) -> Quantity:
    """Exact, approximate, bounded, ranged or unknown counts, some read from a source's words."""
    if draw(st.booleans()):
        return parse_quantity(draw(st.sampled_from(COUNT_TEXTS)))
    low = draw(st.integers(0, 10**7))
    high = draw(optional(st.integers(low, 10**7 + 1)))
    return Quantity(low, high, draw(st.booleans()))


def _latitudes() -> st.SearchStrategy[float]:
    return st.floats(-90, 90, allow_nan=False)


def _longitudes() -> st.SearchStrategy[float]:
    return st.floats(-180, 180, allow_nan=False)


@st.composite
def _positions(draw: st.DrawFn) -> tuple[float, float]:
    return (draw(_latitudes()), draw(_longitudes()))


@st.composite
def _areas(draw: st.DrawFn) -> tuple[tuple[float, float, float, float] | None, tuple[tuple[float, float], ...]]:
    """No outline, a bbox (south <= north) or a polygon of three or more points."""
    shape = draw(st.sampled_from(("none", "bbox", "polygon")))
    if shape == "bbox":
        south, north = sorted((draw(_latitudes()), draw(_latitudes())))
        return (south, draw(_longitudes()), north, draw(_longitudes())), ()
    if shape == "polygon":
        return None, tuple(draw(st.lists(_positions(), min_size=3, max_size=5)))
    return None, ()


@st.composite
def catalogs(draw: st.DrawFn, most: int = 3) -> Catalog:
    """A catalog that loads with no error: every id unique, every reference defined, no cycles,
    no unit in two formations or arriving twice, no event after every source it cites or after its
    unit's decommissioning (warnings, such as disagreeing sources, may occur).

    It holds the built-in reference types, so it equals the catalog that loads from what
    :func:`orbat.dump` writes of it.
    """
    used: set[str] = set(REFERENCE_IDS)

    def new_id() -> str:
        value: str = draw(texts().filter(lambda text: text != "" and text not in used))
        used.add(value)
        return value

    def some(make: Callable[[], Any], least: int = 0, most_: int = most) -> list[Any]:
        return [make() for _ in range(draw(st.integers(least, most_)))]

    ship_types = some(
        lambda: ShipType(new_id(), draw(texts()), draw(st.sampled_from(sorted(SHIP_CATEGORIES)))), most_=2
    )
    aircraft_types = some(
        lambda: AircraftType(new_id(), draw(texts()), draw(st.sampled_from(sorted(AIRCRAFT_ROLES)))), most_=2
    )
    ship_ids = sorted(REFERENCE.ship_types) + [t.id for t in ship_types]
    aircraft_ids = sorted(REFERENCE.aircraft_types) + [t.id for t in aircraft_types]

    sources = some(
        lambda: Source(
            new_id(),
            draw(texts()),
            draw(texts()),
            draw(optional(partial_dates())),
            draw(optional(texts())),
            draw(optional(texts())),
        ),
        least=1,
    )
    source_ids = [s.id for s in sources]

    def citations(least: int = 1) -> tuple[Citation, ...]:
        return tuple(
            Citation(draw(st.sampled_from(source_ids)), draw(optional(texts())), draw(optional(texts())))
            for _ in range(draw(st.integers(least, 2)))
        )

    places: list[Place] = []
    for _ in range(draw(st.integers(0, most))):
        parents = st.lists(st.sampled_from([p.id for p in places]), max_size=2, unique=True)
        within = tuple(draw(parents)) if places else ()
        bbox, polygon = draw(_areas())
        places.append(
            Place(
                new_id(),
                draw(texts()),
                draw(st.sampled_from(sorted(PLACE_KINDS))),
                within,
                draw(optional(_positions())),  # outside an outline it lies within: a warning only
                bbox,
                polygon,
                citations(least=0),
            )
        )
    place_ids = [p.id for p in places]

    def vessel() -> Vessel:
        type_ = draw(st.sampled_from(ship_ids))
        hull = draw(optional(st.integers(1, 9999).map(lambda n: f"{type_}-{n}")))
        dates: list[PartialDate | None] = [
            *sorted(draw(st.lists(partial_dates(), max_size=2)), key=PartialDate.sort_key)
        ]
        commissioned, decommissioned = [*dates, None, None][:2]  # never decommissioned before commissioned
        return Vessel(
            new_id(),
            draw(texts()),
            type_,
            draw(texts()),
            hull,
            draw(optional(texts())),
            commissioned,
            decommissioned,
            citations(least=0),
            draw(optional(texts())),
        )

    vessels = some(vessel)
    vessel_ids = [v.id for v in vessels]
    unidentified = some(
        lambda: UnidentifiedVessels(
            new_id(),
            draw(st.sampled_from(ship_ids)),
            draw(quantities()),
            draw(texts()),
            draw(optional(texts())),
            tuple(draw(st.lists(st.sampled_from(vessel_ids), max_size=2))) if vessel_ids else (),
            citations(),
        ),
        most_=2,
    )
    aircraft = some(
        lambda: AircraftDetachment(
            new_id(),
            draw(texts()),
            draw(st.sampled_from(aircraft_ids)),
            draw(quantities()),
            draw(texts()),
            draw(optional(st.sampled_from(place_ids))) if place_ids else None,
            citations(),
            draw(optional(texts())),
        ),
        most_=2,
    )
    unit_ids = vessel_ids + [u.id for u in unidentified] + [a.id for a in aircraft]

    def figures() -> tuple[Figure, ...]:
        return tuple(some(lambda: Figure(draw(quantities()), citations(), draw(optional(partial_dates()))), most_=2))

    formations: list[Formation] = []
    for _ in range(draw(st.integers(0, most))):
        parent = draw(optional(st.sampled_from([f.id for f in formations]))) if formations else None
        formations.append(
            Formation(
                new_id(),
                draw(texts()),
                draw(st.sampled_from(sorted(FORMATION_KINDS))),
                parent,
                figures(),
                figures(),
                citations(least=0),
                draw(optional(texts())),
            )
        )
    formation_ids = [f.id for f in formations]

    def arrival_window(kind: EventKind, date: PartialDate) -> PartialDate | None:
        """For events that send units somewhere, sometimes the days a source expects them to arrive."""
        if kind not in (EventKind.ORDERED, EventKind.EXPECTED, EventKind.DEPARTED):
            return None
        window: PartialDate | None = draw(optional(partial_dates()))
        return window if window is not None and window.end >= date.start else None  # else bad-arrival

    events: list[Event] = []
    retired = {v.id: v.decommissioned for v in vessels if v.decommissioned is not None}
    for _ in range(draw(st.integers(0, most + 2)) if unit_ids else 0):
        kinds = [EventKind.RELIEVED]
        if place_ids:
            kinds += [EventKind.ORDERED, EventKind.DEPARTED, EventKind.REPORTED_PRESENT, EventKind.EXPECTED]
            kinds += [EventKind.RETURNED]
        if formation_ids:
            kinds += [EventKind.JOINED, EventKind.DETACHED]
        kind = draw(st.sampled_from(kinds))
        place = draw(st.sampled_from(place_ids)) if place_ids and kind is not EventKind.RELIEVED else None
        if kind is EventKind.JOINED:
            formation: str | None = formation_ids[0]  # one formation only: never two at once
        elif kind is EventKind.DETACHED:
            formation = draw(st.sampled_from(formation_ids))
        else:
            formation = draw(optional(st.sampled_from(formation_ids))) if formation_ids else None
        date = draw(partial_dates())
        # A source cannot report what had not happened by its date (after-source): an event cites
        # only undated sources and sources that end no earlier than it begins.
        if all(s.date is not None and s.date.end < date.start for s in sources):
            date = max((s.date for s in sources if s.date is not None), key=lambda d: d.end)
        reporting = [s.id for s in sources if s.date is None or s.date.end >= date.start]
        # Nothing happens to a vessel after its 'decommissioned' field (after-decommissioning).
        in_service = [u for u in unit_ids if not (u in retired and date.certainly_after(retired[u]))]
        if not in_service:
            continue
        events.append(
            Event(
                new_id() if draw(st.booleans()) else None,
                date,
                kind,
                tuple(draw(st.lists(st.sampled_from(in_service), min_size=1, max_size=3))),
                tuple(
                    Citation(draw(st.sampled_from(reporting)), draw(optional(texts())), draw(optional(texts())))
                    for _ in range(draw(st.integers(1, 2)))
                ),
                formation,
                place,
                draw(optional(st.sampled_from(place_ids))) if place_ids else None,
                draw(st.sampled_from(unit_ids)) if kind is EventKind.RELIEVED else None,
                draw(optional(quantities())),
                draw(optional(texts())),
                arrival_window(kind, date),
            )
        )
    # A vessel's 'decommissioned' field ends its service: news of it certainly after that would be
    # an after-decommissioning problem, so such events are left out of a valid catalog.
    retired = {v.id: v.decommissioned for v in vessels if v.decommissioned is not None}
    events = [
        e
        for e in events
        if not any(u in retired and e.date.certainly_after(retired[u]) for u in (*e.units, e.relieves or ""))
    ]
    events.sort(key=lambda event: event.date.sort_key())  # as loading orders them; ties keep file order

    scopes = place_ids + formation_ids

    def claim() -> Claim:
        figures = [
            ClaimFigure(
                draw(texts()),
                draw(quantities()),
                draw(st.sampled_from(sorted(MEASURES))),
                tuple(draw(st.lists(st.sampled_from(sorted(SHIP_CATEGORIES)), max_size=2))),
                tuple(draw(st.lists(st.sampled_from(ship_ids + aircraft_ids), max_size=2))),
            )
            for _ in range(draw(st.integers(1, 3)))
        ]
        # A part names another figure of the claim that counts the same, known by its own 'what'.
        whats = [f.what for f in figures]
        for n, figure in enumerate(figures):
            wholes = [w for w in figures if w.what != figure.what and whats.count(w.what) == 1]
            wholes = [w for w in wholes if w.measure == figure.measure]
            if not wholes:
                continue
            if draw(st.booleans()):
                figures[n] = attrs.evolve(figure, part_of=draw(st.sampled_from(wholes)).what)
        as_of = draw(partial_dates())
        forecast = draw(optional(partial_dates()))
        return Claim(
            new_id(),
            as_of,
            draw(st.sampled_from(scopes)),
            tuple(figures),
            citations(),
            draw(optional(texts())),
            forecast if forecast is not None and forecast.end >= as_of.start else None,  # else bad-date
        )

    claims = some(claim, most_=2) if scopes else []
    settings_ = Settings(
        tuple(draw(st.lists(st.sampled_from(place_ids), max_size=2, unique=True))) if place_ids else (),
        draw(optional(texts())),
        citations(least=0),
        draw(optional(texts())),
    )

    def by_id(entries: Sequence[Any]) -> dict[str, Any]:
        return {entry.id: entry for entry in entries}

    return Catalog(
        ship_types={**REFERENCE.ship_types, **by_id(ship_types)},
        aircraft_types={**REFERENCE.aircraft_types, **by_id(aircraft_types)},
        places=by_id(places),
        sources=by_id(sources),
        vessels=by_id(vessels),
        unidentified=by_id(unidentified),
        aircraft=by_id(aircraft),
        formations=by_id(formations),
        events=tuple(events),
        claims=by_id(claims),
        settings=settings_,
    )


# --------------------------------------------------------------------------- YAML text of catalogs


@st.composite
def yaml_texts(draw: st.DrawFn, data: object) -> str:
    """``data`` as YAML in one of the many ways PyYAML can write it."""
    return yaml.safe_dump(
        data,
        default_flow_style=draw(st.sampled_from([False, True, None])),
        allow_unicode=draw(st.booleans()),
        indent=draw(st.integers(2, 5)),
        width=draw(st.sampled_from([20, 80, 1000])),
        sort_keys=draw(st.booleans()),
        explicit_start=draw(st.booleans()),
        default_style=draw(st.sampled_from([None, None, None, '"', "'"])),
    )


@st.composite
def valid_catalog_texts(draw: st.DrawFn) -> str:
    """A generated catalog written as one YAML file."""
    return draw(yaml_texts(to_data(draw(catalogs()))))


def _slots(data: object) -> Iterator[tuple[dict[Any, Any] | list[Any], Any]]:
    """Every (container, key or index) in nested plain data, outermost first."""
    if isinstance(data, dict):
        for key, value in data.items():
            yield data, key
            yield from _slots(value)
    elif isinstance(data, list):
        for index, value in enumerate(data):
            yield data, index
            yield from _slots(value)


# Every key the format knows, from the classes that read them (a list written out by hand fell
# behind: it lacked a claim figure's part_of).
FIELD_NAMES = sorted(
    {*SECTIONS}
    | {name for _, cls in SECTIONS.values() for name in cls.FIELDS}
    | Citation._FIELDS
    | Figure._FIELDS
    | ClaimFigure._FIELDS
)

# What a value may be replaced with: every type PyYAML writes, tagged ones included.
retyped_values = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(10**20), 10**20),
    st.floats(),
    st.dates(),
    st.datetimes(),
    st.binary(max_size=8),
    texts(),
    st.lists(texts(), max_size=3),
    st.dictionaries(texts(), texts(), max_size=3),
    st.sets(st.integers(0, 9), max_size=3),
    st.recursive(texts(), lambda inner: st.lists(inner, max_size=2) | st.dictionaries(texts(), inner, max_size=2)),
)


@st.composite
def mutated_data(draw: st.DrawFn) -> object:
    """The plain data of a valid catalog, with keys dropped or renamed and values retyped."""
    data: object = to_data(draw(catalogs()))
    for _ in range(draw(st.integers(1, 4))):
        slots = list(_slots(data))
        action = draw(st.sampled_from(["drop", "rename", "retype", "retype-root"]))
        if not slots or action == "retype-root":
            data = draw(retyped_values)
            continue
        container, key = slots[draw(st.integers(0, len(slots) - 1))]
        if action == "drop":
            del container[key]
        elif action == "rename" and isinstance(container, dict):
            new_key = draw(st.one_of(st.sampled_from(FIELD_NAMES), texts(), st.integers(), st.none()))
            container[new_key] = container.pop(key)
        else:
            container[key] = draw(retyped_values)
    return data


@st.composite
def mutated_texts(draw: st.DrawFn) -> bytes:
    """A valid catalog's YAML with lines duplicated, dropped or moved, cut short, or bytes flipped."""
    text = draw(valid_catalog_texts())
    lines = text.splitlines(keepends=True)
    for _ in range(draw(st.integers(1, 3))):
        if not lines:
            break
        index = draw(st.integers(0, len(lines) - 1))
        action = draw(st.sampled_from(["duplicate", "drop", "move", "indent", "dedent"]))
        if action == "duplicate":  # duplicate keys, or duplicate entries
            lines.insert(index, lines[index])
        elif action == "drop":
            del lines[index]
        elif action == "move":
            lines.insert(draw(st.integers(0, len(lines) - 1)), lines.pop(index))
        elif action == "indent":
            lines[index] = draw(st.sampled_from([" ", "  ", "\t"])) + lines[index]
        else:
            lines[index] = lines[index][1:]
    data = bytearray("".join(lines).encode("utf-8"))
    if data and draw(st.booleans()):
        data = data[: draw(st.integers(0, len(data) - 1))]  # cut short
    for _ in range(draw(st.integers(0, 3)) if data else 0):
        position = draw(st.integers(0, len(data) - 1))
        data[position] ^= draw(st.integers(1, 255))  # flipped bits
    return bytes(data)


# --------------------------------------------------------------------------- YAML from scratch

# Pieces of YAML syntax, catalog words and troublemakers, put together at random.
_PIECES = (
    *("- ", "-", ": ", ":", "? ", ", ", ",", "[", "]", "{", "}", "'", '"', "|", "|-", ">", ">+", "#", "# c"),
    *("&a ", "&b ", "*a", "*b", "*c", "!", "!!str ", "!!python/object:os.system ", "!custom ", "!<tag:x> "),
    *("<<: ", "---", "...", "--- ", "%YAML 1.1", "%TAG ! tag:x,2000:", "\\", "\\x", '\\"', "\t", "\r", "\r\n"),
    *("\x85", "\u2028", "\ufeff", "\x00", "\x1f", "\ud7ff", "\ufffe", "é", "😀", "0755", "1:20", "yes", "~"),
    *("vessels", "events", "places", "sources", "id", "name", "hull", "cite", "date", "kind", "count", "units"),
    *("DDG", "DDG-61", "2025-10-24", "~2025-10", "about 90", "more than 4,000", "ordered", "sea", "US"),
    *(" ", "  ", "    ", "\n", "\n  ", "\n    ", "\n  - ", "\n- "),
)
yaml_pieces = st.lists(st.sampled_from(_PIECES), max_size=60).map("".join)
yaml_lines = st.lists(
    st.tuples(st.sampled_from(["", "  ", "    ", "      ", "\t"]), st.lists(st.sampled_from(_PIECES), max_size=6)),
    max_size=15,
).map(lambda lines: "".join(f"{indent}{''.join(pieces)}\n" for indent, pieces in lines))
yaml_alphabet_texts = st.text(st.sampled_from(list("-:?,[]{}'\"|>#&*!%@`\\ \t\n\r~.0123456789abyesnoDG\x85é")))

# Plain data of any shape (not only catalogs), as YAML.
any_data = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(), st.floats(), texts(), st.dates()),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.one_of(texts(), st.sampled_from(FIELD_NAMES)), inner)
    ),
    max_leaves=20,
)

scratch_texts = st.one_of(yaml_pieces, yaml_lines, yaml_alphabet_texts, st.text(max_size=80))
scratch_bytes = st.one_of(
    scratch_texts.map(lambda text: text.encode("utf-8", "surrogatepass")),
    st.binary(max_size=120),
    st.sampled_from(
        [b"\xef\xbb\xbf", b"\xff\xfe", b"\xef\xbb\xbfvessels: []\n", b"\xfe\xff\x00v", b"\xc3", b"a\xed\xa0\x80"]
    ),
)

# Every kind of generated input, as the bytes of one file.
any_file = st.one_of(
    valid_catalog_texts().map(str.encode),
    mutated_data().flatmap(yaml_texts).map(str.encode),
    mutated_texts(),
    any_data.flatmap(yaml_texts).map(str.encode),
    scratch_bytes,
)
file_names = st.sampled_from(["catalog.yaml", "b.yml", "sub/c.yaml", "C.YAML", "d.yaml"])
any_folder = st.dictionaries(file_names, any_file, min_size=1, max_size=3)


# --------------------------------------------------------------------------- the checks


def write_files(folder: Path, files: Mapping[str, bytes]) -> None:
    for name, data in files.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)


def check_located(problems: Sequence[Problem]) -> None:
    """Every problem has a file, a line and column inside that file, a code and a message."""
    for problem in problems:
        location = problem.location
        assert location.file, problem
        assert location.line >= 1 and location.column >= 1, problem
        assert CODE.match(problem.code), problem
        assert problem.message.strip(), problem
        path = Path(location.file)
        if path.is_file() and problem.code not in ("unreadable-file", "file-too-large", "outside-catalog"):
            lines = YAML_LINE_BREAK.split(path.read_bytes().decode("utf-8", "replace"))
            assert location.line <= len(lines) + 1, problem
            if location.line <= len(lines):
                assert location.column <= len(lines[location.line - 1]) + 2, problem


def careful_only(paths: Any, reference: bool = True) -> LoadResult:
    """What validating gives with the fast path of reading turned off (see orbat/_fast.py): every
    file read through the located tree."""

    def refuse(*args: object) -> NoReturn:
        raise orbat._fast.Unusual

    with mock.patch.object(orbat.loading, "read_fast", refuse):
        return orbat.validate(paths, reference=reference)


def origins(value: object) -> list[tuple[str, str, int, int, dict[str, tuple[int, int]]]]:
    """The origin of every entry in ``value`` and of everything in it (citations, figures), in
    order, as plain data: origins take no part in the equality of entries."""
    found = []
    if attrs.has(type(value)):
        origin = getattr(value, "origin", None)
        if isinstance(origin, orbat._nodes.Origin):
            found.append((type(value).__name__, origin.file, origin.line, origin.column, origin.fields))
        for field in attrs.fields(type(value)):  # type: ignore[arg-type]  # attrs.has checked it
            if field.name not in ("origin", "warnings", "cache", "source_texts"):
                found.extend(origins(getattr(value, field.name)))
    elif isinstance(value, Mapping):
        for item in value.values():
            found.extend(origins(item))
    elif isinstance(value, tuple | list):
        for item in value:
            found.extend(origins(item))
    return found


def check_same_reading(paths: Any, result: LoadResult, reference: bool = True) -> None:
    """The fast path and the located tree give the same problems, and the same catalog down to
    the position of every field."""
    careful = careful_only(paths, reference=reference)
    assert list(map(_key, result.problems)) == list(map(_key, careful.problems))
    assert result.catalog == careful.catalog
    if result.catalog is not None and careful.catalog is not None:
        assert origins(result.catalog) == origins(careful.catalog)


def pure_python(paths: Any, reference: bool = True) -> LoadResult:
    """What validating gives with PyYAML's pure-Python parser in place of libyaml."""
    with mock.patch.object(orbat._nodes, "_EventLoader", PureLoader):
        return orbat.validate(paths, reference=reference)


# PyYAML's pure-Python scanner refuses a tab in many places where libyaml (and the YAML specification)
# allow one: inside a plain scalar ("a\tb"), between flow items, after a block scalar's header (">\t"),
# after a value or a document marker, in a directive. The one known case of one parser finding a
# syntax error where the other finds none; every other difference is bridged (orbat/_pure.py,
# orbat/_nodes.py). Its syntax errors then name the tab: "found character '\t' that cannot start any
# token", "expected chomping or indentation indicators, but found '\t'".
PURE_PYTHON_TAB = "'\\t'"


def _key(problem: Problem) -> tuple[object, ...]:
    return (problem.location, problem.code, problem.severity, problem.message)


def same_problems(libyaml: Sequence[Problem], pure: Sequence[Problem]) -> bool:
    """The same problems at the same places, but for what the parser itself words.

    A YAML syntax error ends the reading of a file, and each parser words it and places it in its
    own way (at the end of the last good token, or at the start of the next), after reading ahead
    more or less far: in a file where both find one, the problems before the earlier of the two
    are the same, but for the last few that one of them did not reach.
    """
    if any(p.code == "syntax" and PURE_PYTHON_TAB in p.message for p in pure):
        # Known: the file is not read, and so the problems of other files may differ too (a reference
        # to an entry of that file, an id defined in both).
        return True
    files = {p.location.file for p in (*libyaml, *pure)}
    for file in files:
        ours = [p for p in libyaml if p.location.file == file]
        theirs = [p for p in pure if p.location.file == file]
        syntax_ours = [p for p in ours if p.code == "syntax"]
        syntax_theirs = [p for p in theirs if p.code == "syntax"]
        if not syntax_ours and not syntax_theirs:
            if list(map(_key, ours)) != list(map(_key, theirs)):
                return False
        elif syntax_ours and syntax_theirs:
            first = min((p.location for p in (*syntax_ours, *syntax_theirs)), key=lambda at: (at.line, at.column))
            if len(syntax_ours) != 1 or len(syntax_theirs) != 1:
                return False

            def before(problems: list[Problem], first: orbat.Location = first) -> list[tuple[object, ...]]:
                return [
                    _key(p)
                    for p in problems
                    if p.code != "syntax" and (p.location.line, p.location.column) < (first.line, first.column)
                ]

            shorter, longer = sorted((before(ours), before(theirs)), key=len)
            if longer[: len(shorter)] != shorter:  # the parser that stops first may not have sent the last events
                return False
        else:
            return False
    return True


def check_clear_answer(paths: Any, reference: bool = True, parsers: bool = True) -> LoadResult:
    """Validating and loading give a catalog or located problems, never another exception; the
    fast path of reading and the located tree give the same; and (with ``parsers``) both YAML
    parsers find the same problems."""
    result = orbat.validate(paths, reference=reference)
    assert isinstance(result, LoadResult)
    check_located(result.problems)
    assert (result.catalog is None) == any(p.is_error for p in result.problems)
    try:
        catalog = orbat.load(paths, reference=reference)
    except CatalogError as exc:
        assert result.catalog is None
        assert exc.problems == result.problems
    else:
        assert catalog == result.catalog
        assert catalog.warnings == result.problems
    check_same_reading(paths, result, reference=reference)
    if parsers and orbat._nodes.HAS_LIBYAML:
        other = pure_python(paths, reference=reference).problems
        assert same_problems(result.problems, other), "\n".join(
            ["libyaml:", *map(str, result.problems), "pure Python:", *map(str, other)]
        )
    return result


def cli_in_process(args: Sequence[str]) -> tuple[int, str, str]:
    """``orbat ARGS`` run in this process: the exit code, standard output and standard error."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = cli_main(list(args))
    return code, out.getvalue(), err.getvalue()


def check_cli(folder: Path, result: LoadResult, fmt: str = "text") -> None:
    """``orbat validate`` gives an exit code of 0, 1 or 2, the problems, and no traceback."""
    code, out, err = cli_in_process(["validate", "--format", fmt, str(folder)])
    assert "Traceback" not in out and "Traceback" not in err
    assert code == (1 if result.errors else 0), (code, out, err)
    for problem in result.problems:
        assert str(problem) in out


def check_files(files: Mapping[str, bytes], *, cli: bool = False) -> LoadResult:
    """Every check, on a folder holding ``files``."""
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        write_files(folder, files)
        result = check_clear_answer(folder)
        if cli:
            check_cli(folder, result)
        return result


# --------------------------------------------------------------------------- outputs of valid catalogs


class _Tags(html.parser.HTMLParser):
    """The tags of a page and their attributes."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, list[tuple[str, str | None]]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, attrs))


def check_page(page: str) -> None:
    """No catalog text became markup: no script, no event handler, no script link, and none of
    the injected texts as they were written."""
    for text in INJECTIONS:
        assert text not in page, text
    assert "<script" not in page.lower() and "<img" not in page.lower()
    parser = _Tags()
    parser.feed(page)
    parser.close()
    for tag, attributes in parser.tags:
        assert tag not in ("script", "img", "iframe", "object", "embed"), tag
        for name, value in attributes:
            assert not name.startswith("on"), (tag, name)
            if name in ("href", "src"):
                assert not (value or "").strip().lower().startswith(("javascript:", "data:")), value


def _days(catalog: Catalog) -> list[dt.date]:
    """Days to ask about: the first and last event days, and the day after everything."""
    days = sorted({d for e in catalog.events for d in (e.date.start, e.date.end)})
    if not days:
        return [dt.date(2025, 1, 1)]
    return sorted({days[0], days[-1], day_after(days[-1])})


def check_outputs(folder: Path) -> None:
    """Every query, report, table and export of the valid catalog in ``folder`` is made without an
    exception: JSON parses, GeoJSON has the shape of GeoJSON, the HTML page is escaped; and the
    commands that print them exit 0, or 2 with a message, never with a traceback."""
    catalog = orbat.load(folder)
    places = sorted(catalog.places)
    days = _days(catalog)
    for day in days:  # the default region
        snap = snapshot(catalog, day, stale_after=30)
        vessels = snap.vessels()
        assert vessels.high is None or vessels.low <= vessels.high
        render_tables([breakdown_table(snap, by) for by in BREAKDOWNS], "simple")
        report = build_report(snap)
        render_report(report, "simple", titles=True)
        json.loads(render_report(report, "json"))
    check_page(report_html(report, timeline_svg(catalog, marker=report.date)))
    regions: list[RegionLike] = ["all", *([places[:1], places[:2]] if places else [])]
    for region in regions:
        render_report(build_report(snapshot(catalog, days[-1], region)), "csv")
        found = changes(catalog, days[0], days[-1], region)
        render_tables([changes_table(found, catalog, days[0].isoformat(), days[-1].isoformat())], "simple")
    render_tables([timeline_table(timeline(catalog))], "json")
    render_tables([claims_table(check_claims(catalog))], "csv")
    for fmt in EXPORT_FORMATS:
        text = export_text(catalog, fmt, name="fuzz <b>&", as_of=days[-1])
        if fmt in ("json", "presence-json", "orbat-mapper", "geojson"):
            data = json.loads(text)
        if fmt == "geojson":
            assert data["type"] == "FeatureCollection"
            for feature in data["features"]:
                assert feature["type"] == "Feature" and isinstance(feature["properties"], dict)
                geometry = feature["geometry"]
                assert geometry is None or geometry["type"] in ("Point", "Polygon", "MultiPolygon"), geometry
    for args in (
        ["report", "--format", "html", str(folder)],
        ["diff", days[0].isoformat(), days[-1].isoformat(), str(folder)],
        ["export", "--to", "geojson", "-", str(folder)],
    ):
        code, out, err = cli_in_process(args)
        assert "Traceback" not in out + err, (args, err)
        assert code == 0 or (code == 2 and err), (args, code, err)
        if args[0] == "report" and code == 0:
            check_page(out)


FUZZ = settings(
    max_examples=100,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much],
)


# --------------------------------------------------------------------------- the tests


@FUZZ
@given(catalogs())
def test_generated_catalogs_are_valid(catalog: Catalog) -> None:
    """The generator's catalogs load: the other strategies start from valid input."""
    with tempfile.TemporaryDirectory() as tmp:
        orbat.dump(catalog, tmp)
        result = check_clear_answer(Path(tmp))
        assert result.errors == (), "\n".join(map(str, result.errors))


@settings(FUZZ, max_examples=25)
@given(catalogs())
def test_every_output_of_a_generated_catalog_is_made_and_escaped(catalog: Catalog) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        orbat.dump(catalog, tmp)
        check_outputs(Path(tmp))


@FUZZ
@given(mutated_data().flatmap(yaml_texts))
def test_mutated_catalogs_get_a_clear_answer(text: str) -> None:
    check_files({"catalog.yaml": text.encode("utf-8")})


@FUZZ
@given(mutated_texts())
def test_damaged_files_get_a_clear_answer(data: bytes) -> None:
    check_files({"catalog.yaml": data})


@FUZZ
@given(scratch_bytes)
@example(b"vessels:\n  - [a]: 1\n    [b]: 2\n")  # two complex keys were once taken for a duplicate
@example(b'vessels:\n  - "\\0x": 1\n')  # a key starting with NUL was once not reported
@example(b"a: \x85\n")
@example(b"- \xc3\x28")
# Where the two parsers once differed, or one of them failed:
@example(b'a: "\\U0012B3A6"\n')  # PyYAML raised ValueError
@example(b'a: "\\ud800"\n')  # PyYAML let a lone surrogate through
@example(b"\r\xef\xbb\xbf")  # a byte-order mark starting a line
@example(b"\xef\xbb\xbf\xef\xbb\xbf\xef\xbb\xbf")  # several at the start
@example(b"a: &x\n  >#\n  x\n")  # no space before a comment in a block scalar's header
@example(b"a: b\x0bc\n\xc3\xa9: [")  # a control character: libyaml placed it in bytes
@example(b">\t")  # a tab after a block scalar's header: PyYAML refuses it, libyaml does not
@example(b"!]")  # a flow indicator in a tag: a syntax error to libyaml, a forbidden tag to PyYAML
@example(b"sources: [{id: s, title: T, publisher: P, note:}]\n")  # ':' before '}': the same
def test_yaml_from_scratch_gets_a_clear_answer(data: bytes) -> None:
    check_files({"catalog.yaml": data})


@FUZZ
@given(any_data.flatmap(yaml_texts))
def test_data_of_any_shape_gets_a_clear_answer(text: str) -> None:
    check_files({"catalog.yaml": text.encode("utf-8")})


# Found by a release fuzz run: three U+FEFF inside the first line, which PyYAML's reader did not count.
ISSUE_17: Files = {
    "C.YAML": b'id\xed\x9f\xbf\xef\xbb\xbf\xef\xbb\xbf*b\xf0\x9f\x98\x80\xef\xbb\xbfidabout 90\xc3\xa9*b*a"*a...'
    b"2025-10-24about 90sources  count0755|#sources: !custom   *cidDDG\n\n- *c\\",
    "sub/c.yaml": b"\xfe\xff\x00v",
}


@settings(FUZZ, max_examples=40)
@given(any_folder)
@example(ISSUE_17)
def test_folders_of_generated_files_get_a_clear_answer_from_the_cli(files: Files) -> None:
    check_files(files, cli=True)


# --------------------------------------------------------------------------- where problems are placed

# Characters that a reader might drop or count twice (zero-width, combining, right-to-left, outside
# the Basic Multilingual Plane): each is one character, so one column, in an editor and in libyaml.
ONE_COLUMN = ("\ufeff", "\u200b", "\u200c", "\u200d", "\u2060", "\xad", "\u0301", "\u202e", "é", "日", "😀")
# What YAML counts as a line break.
LINE_BREAKS = ("\n", "\r", "\r\n", "\x85", "\u2028", "\u2029")


def both_parsers(paths: Any) -> list[LoadResult]:
    """What validating gives with libyaml (when present) and with PyYAML's pure-Python parser."""
    return [orbat.validate(paths), pure_python(paths)] if orbat._nodes.HAS_LIBYAML else [orbat.validate(paths)]


def placed(problems: Sequence[Problem]) -> list[tuple[str, int, int, str]]:
    return [(Path(p.location.file).name, p.location.line, p.location.column, p.code) for p in problems]


def test_the_release_fuzz_input_of_issue_17_is_placed_alike_by_both_parsers(tmp_path: Path) -> None:
    text = ISSUE_17["C.YAML"].decode("utf-8")
    assert text.index("!custom") + 1 == 78  # in characters: the U+FEFF count, as every character does
    write_files(tmp_path, ISSUE_17)
    for result in both_parsers(tmp_path):
        assert placed(result.problems) == [
            ("C.YAML", 1, 78, "forbidden-tag"),
            ("C.YAML", 1, 88, "syntax"),
            ("c.yaml", 1, 1, "not-utf8"),
        ]
    check_files(ISSUE_17, cli=True)


@pytest.mark.parametrize("line_break", LINE_BREAKS, ids=lambda text: f"U+{ord(text[-1]):04X}x{len(text)}")
@pytest.mark.parametrize("character", ONE_COLUMN, ids=lambda text: f"U+{ord(text):04X}")
def test_every_character_is_one_column_and_every_line_break_one_line(
    tmp_path: Path, character: str, line_break: str
) -> None:
    odd = character * 3
    files = {
        # Read on the fast path, from the parser's events; the unknown type is found by the checks.
        "a.yaml": f"vessels:{line_break}  - {{id: a{odd}b, name: Nimitz, type: NOPE, navy: US}}{line_break}",
        # Read by the located tree; no line break at the end.
        "b.yaml": f"# {odd}{line_break}vessels:{line_break}  - {{id: c{odd}d, note: !custom x}}{line_break}"
        "  - {id: e, note: !custom z}",
    }
    write_files(tmp_path, {name: text.encode("utf-8") for name, text in files.items()})
    missing = ["missing-field"] * 3  # a vessel's name, navy, and hull or type
    expected = [
        ("a.yaml", 2, 37, "unknown-reference"),
        *(("b.yaml", 3, 5, code) for code in missing),
        ("b.yaml", 3, 23, "forbidden-tag"),
        *(("b.yaml", 4, 5, code) for code in missing),
        ("b.yaml", 4, 19, "forbidden-tag"),
    ]
    for result in both_parsers(tmp_path):
        assert placed(result.problems) == expected
    check_clear_answer(tmp_path)


# Where the two parsers once placed or read the same text differently, and the problems both now give.
PLACED_ALIKE = [
    # An empty value in a flow mapping is at the token after it, as libyaml places it.
    ("vessels: [{id: x, name: X1, type: DDG, navy: }]\n", [(1, 46, "missing-field")]),
    ("vessels: [{id: x, name: X1, type: DDG, navy:\n  }]\n", [(2, 3, "missing-field")]),
    ("vessels: [{id: x, name: X1, type: DDG, ? navy }]\n", [(1, 47, "missing-field")]),
    ("vessels: [{id: x, name: X1, type: DDG, navy: US, ? : x}]\n", [(1, 52, "unknown-field")]),
    ("sources: [id: ]\n", [(1, 11, "missing-field"), (1, 11, "missing-field"), (1, 15, "missing-field")]),
    # The empty value of a last "? key" in a file with no final line break is on the next line.
    ("vessels:\n- id: x\n  name: X1\n  type: DDG\n  ? navy", [(6, 1, "missing-field")]),
    # A '?' inside a plain scalar in a flow collection is part of it.
    ("vessels: [{id: Who?, name: X1, type: DDG, navy: US}]\n", []),
    # A ':' right before ',', '?', '[', ']', '{' or '}' in a flow collection is a syntax error.
    ("vessels: [{id: x, name: X1, type: DDG, navy:}]\n", [(1, 44, "syntax")]),
    ("vessels: [{id: x, name: X1, type: DDG, navy: US, note: a:[b]}]\n", [(1, 57, "syntax")]),
    # An empty explicit key in a flow list, right before ':' or ',', is a syntax error.
    ("vessels: [? : x]\n", [(1, 15, "syntax")]),
    ("vessels: [?  , x]\n", [(1, 16, "syntax")]),
    # A tab in the indentation of a block scalar, as it is being found, is a syntax error.
    ("vessels:\n- id: x\n  name: |\n    \tX1\n", [(4, 5, "syntax")]),
    # A tab after a block scalar's header and a space is a space.
    ("vessels:\n- id: x\n  name: |- \t\n    X1\n  type: DDG\n  navy: US\n", []),
    # A tag ends at a flow indicator (but in '!<...>'), and may be followed by a ',' in a flow collection.
    ("vessels: [!a, x]\n", [(1, 11, "forbidden-tag"), (1, 11, "wrong-type"), (1, 15, "wrong-type")]),
    ("vessels: [!a,x]\n", [(1, 11, "forbidden-tag"), (1, 11, "wrong-type"), (1, 14, "wrong-type")]),
    ("vessels: [!<tag:a,b> x]\n", [(1, 11, "forbidden-tag"), (1, 11, "wrong-type")]),
    ("vessels: !a] x\n", [(1, 12, "syntax")]),
    ("vessels: [!a,b!c]\n", [(1, 11, "forbidden-tag"), (1, 11, "wrong-type"), (1, 14, "wrong-type")]),
]


@pytest.mark.parametrize(("text", "expected"), PLACED_ALIKE)
def test_both_parsers_read_and_place_alike_where_they_once_differed(
    tmp_path: Path, text: str, expected: list[tuple[int, int, str]]
) -> None:
    path = tmp_path / "catalog.yaml"
    path.write_text(text, encoding="utf-8", newline="")
    for result in both_parsers(tmp_path):
        assert [(line, column, code) for _, line, column, code in placed(result.problems)] == expected
    check_clear_answer(tmp_path)


# Text for a value in single quotes: the characters above, and some that YAML reads otherwise.
_QUOTED_TEXTS = st.text(st.sampled_from([*ONE_COLUMN, *'aZ0 -#:,[}"']), max_size=8)


@FUZZ
@given(st.lists(_QUOTED_TEXTS, min_size=1, max_size=4), st.sampled_from(LINE_BREAKS), st.booleans())
def test_a_problem_is_placed_at_its_character_by_either_parser(
    texts: list[str], line_break: str, final_break: bool
) -> None:
    lines = ["vessels:"]
    expected = []
    for number, text in enumerate(texts):
        lines.append(f"  - {{id: v{number}, name: '{text}', type: DDG, navy: US, note: !custom x}}")
        expected.append((len(lines), lines[-1].index("!custom") + 1))  # counted in characters, by Python
    data = (line_break.join(lines) + (line_break if final_break else "")).encode("utf-8")
    with tempfile.TemporaryDirectory() as tmp:
        write_files(Path(tmp), {"catalog.yaml": data})
        for result in both_parsers(tmp):
            tags = [(p.location.line, p.location.column) for p in result.problems if p.code == "forbidden-tag"]
            assert tags == expected
        check_clear_answer(tmp)


def parser_events(loader: type[Any], text: str) -> tuple[list[tuple[object, ...]], str | None]:
    """The events a parser gives for ``text``, each with what orbat reads of it (its kind, value,
    anchor, tag, style and where it starts), and the parser's error if it stops at one."""
    parser = None
    events: list[tuple[object, ...]] = []
    try:
        parser = loader(text)  # the pure-Python reader checks the characters here already
        while True:
            event = parser.get_event()
            mark = event.start_mark
            events.append(
                (
                    type(event).__name__,
                    getattr(event, "value", None),
                    getattr(event, "anchor", None),
                    getattr(event, "tag", None),
                    getattr(event, "style", None) or None,
                    mark.line,
                    mark.column,
                )
            )
            if isinstance(event, yaml.StreamEndEvent):
                return events, None
    except (yaml.YAMLError, ValueError) as exc:
        return events, str(getattr(exc, "problem", None) or exc)
    finally:
        if parser is not None:
            parser.dispose()


def check_same_events(text: str) -> None:
    """libyaml and PyYAML's pure-Python parser (as orbat runs it) give the same events at the same
    places, or both stop at a syntax error after the same events, but for the known cases: a tab
    that the pure-Python parser refuses, and a '#' right after a block scalar's header, which
    orbat refuses itself (orbat/_nodes.py)."""
    text = text.lstrip("\ufeff")  # as orbat gives the text to the parsers (orbat/_nodes.py)
    if not orbat._nodes.HAS_LIBYAML or orbat._nodes._LINE_START_BOM.search(text):
        return  # (orbat refuses a byte-order mark that starts a line before parsing)
    ours, our_error = parser_events(yaml.CSafeLoader, text)
    theirs, their_error = parser_events(PureLoader, text)
    if their_error is not None and (PURE_PYTHON_TAB in their_error or "indicators, but found '#'" in their_error):
        return
    assert (our_error is None) == (their_error is None), (our_error, their_error)
    if our_error is None:
        assert ours == theirs
    else:  # each parser reads ahead by its own amount before it stops
        common = min(len(ours), len(theirs))
        assert ours[:common] == theirs[:common]


@settings(FUZZ, max_examples=300)
@given(scratch_texts)
@example("[? : x]")  # libyaml reads past the ':' after an empty explicit key in a flow list, and fails
@example("{note: }")  # libyaml places an empty value at the token after it
@example("[Who?, a\ufeffb: !t ]")
@example("a: |\n  \tb\n")
@example("a: b")  # libyaml starts a line at the end of the stream
def test_both_parsers_give_the_same_events_at_the_same_places(text: str) -> None:
    check_same_events(text)


def test_cli_in_a_subprocess_never_prints_a_traceback(tmp_path: Path) -> None:
    """The real command on a few generated inputs of each kind (once each: a process is slow)."""
    strategies = [valid_catalog_texts().map(str.encode), mutated_texts(), scratch_bytes, st.binary(min_size=1)]
    env = {key: value for key, value in os.environ.items() if key != "GITHUB_ACTIONS"}
    env["PYTHONIOENCODING"] = "utf-8"
    for number, strategy in enumerate(strategies):
        folder = tmp_path / str(number)
        folder.mkdir()
        (folder / "catalog.yaml").write_bytes(_one_example(strategy))
        completed = subprocess.run(
            [sys.executable, "-m", "orbat", "validate", str(folder)],
            capture_output=True,
            text=True,
            encoding="utf-8",
            env=env,
            timeout=120,
            check=False,
        )
        assert completed.returncode in (0, 1, 2)
        assert "Traceback" not in completed.stdout + completed.stderr
        assert completed.returncode == (1 if orbat.validate(folder).errors else 0)


def _one_example(strategy: st.SearchStrategy[bytes]) -> bytes:
    """The longest of a few values of ``strategy`` (the first ones are the simplest), the same on every run."""
    found: list[bytes] = []

    @settings(max_examples=20, database=None, derandomize=True, deadline=None)
    @given(strategy)
    def take(value: bytes) -> None:
        found.append(value)

    take()
    return max(found, key=len)


# --------------------------------------------------------------------------- nothing runs

PACKAGE = Path(__file__).resolve().parent.parent / "orbat"


def _tag_cases(marker: Path) -> list[tuple[str, str]]:
    """YAML that an unsafe loader would run (each would create ``marker``), and other tags."""
    command = f"touch {marker}"
    return [
        (f'!!python/object/apply:os.system ["{command}"]', "!!python/object/apply:os.system"),
        (f'!!python/object/apply:subprocess.check_call [["touch", "{marker}"]]', "!!python/object/apply:subprocess"),
        (f'!!python/object/new:builtins.open ["{marker}", "w"]', "!!python/object/new:builtins.open"),
        (f'!!python/object/apply:builtins.open ["{marker}", "w"]', "!!python/object/apply:builtins.open"),
        ("!!python/object:os.system {}", "!!python/object:os.system"),
        ('!!python/name:os.system ""', "!!python/name:os.system"),
        ('!!python/module:os ""', "!!python/module:os"),
        (f'!<tag:yaml.org,2002:python/object/apply:os.system> ["{command}"]', "!!python/object/apply:os.system"),
        ("!custom value", "!custom"),
        ("!!binary aGVsbG8=", "!!binary"),
        ("!!str text", "!!str"),
        ("!!int 3", "!!int"),
        ("!!set {a, b}", "!!set"),
        ("!!omap [a: 1]", "!!omap"),
    ]


def test_unsafe_tags_are_refused_with_a_located_error_and_nothing_runs(tmp_path: Path) -> None:
    marker = tmp_path / "ran"
    folder = tmp_path / "catalog"
    folder.mkdir()
    for value, shown in _tag_cases(marker):
        path = folder / "catalog.yaml"
        path.write_text(f"vessels:\n  - id: x\n    name: X\n    type: DDG\n    navy: US\n    note: {value}\n", "utf-8")
        results = [orbat.validate(folder), pure_python(folder)]
        for result in results:
            tags = [p for p in result.errors if p.code == "forbidden-tag"]
            assert [(p.location.line, p.location.column) for p in tags] == [(6, 11)], value
            assert shown in tags[0].message, tags[0].message
            assert result.catalog is None
        with contextlib.suppress(CatalogError):
            orbat.load(folder)
        code, _, _ = cli_in_process(["validate", str(folder)])
        assert code == 1
        assert not marker.exists(), f"{value} ran"


def test_a_tag_shorthand_declared_with_tag_directive_is_refused(tmp_path: Path) -> None:
    marker = tmp_path / "ran"
    path = tmp_path / "catalog.yaml"
    path.write_text(
        f"%TAG !py! tag:yaml.org,2002:python/\n---\nvessels: !py!object/apply:os.system [touch {marker}]\n", "utf-8"
    )
    for result in (orbat.validate(path), pure_python(path)):
        (problem,) = [p for p in result.errors if p.code == "forbidden-tag"]
        assert (problem.location.line, problem.location.column) == (3, 10)
        assert "!!python/object/apply:os.system" in problem.message
    assert not marker.exists()


# Calls that build Python objects from YAML: never made anywhere in orbat.
UNSAFE_NAMES = frozenset(
    (
        *("load", "load_all", "unsafe_load", "unsafe_load_all", "full_load", "full_load_all", "compose"),
        *("Loader", "UnsafeLoader", "FullLoader", "CLoader", "CUnsafeLoader", "CFullLoader"),
        *("Constructor", "UnsafeConstructor", "FullConstructor"),
    )
)


def test_orbat_never_calls_an_unsafe_yaml_loader() -> None:
    sources = sorted(PACKAGE.rglob("*.py"))
    assert sources
    unsafe_text = re.compile(
        r"\byaml\s*\.\s*(?:load|load_all|unsafe_load\w*|full_load\w*|Loader|UnsafeLoader|FullLoader|CLoader)\b"
        r"|\bfrom\s+yaml\s+import\b[^\n]*\b(?:load|unsafe_load|full_load|Loader|UnsafeLoader|FullLoader)\b"
    )
    for path in sources:
        text = path.read_text(encoding="utf-8")
        assert not unsafe_text.search(text), f"{path.name}: {unsafe_text.search(text)}"
        for node in ast.walk(ast.parse(text, str(path))):
            if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id == "yaml":
                assert node.attr not in UNSAFE_NAMES, f"{path.name}:{node.lineno}: yaml.{node.attr}"
            if isinstance(node, ast.ImportFrom) and node.module and node.module.split(".")[0] == "yaml":
                assert not {alias.name for alias in node.names} & UNSAFE_NAMES, f"{path.name}:{node.lineno}"
    # The one loader orbat makes reads events only, from a safe loader class.
    assert orbat._nodes._EventLoader in (getattr(yaml, "CSafeLoader", None), PureLoader)
    assert issubclass(PureLoader, yaml.SafeLoader)


# --------------------------------------------------------------------------- what the outputs' fuzzing found

_EDGES = """\
places:
  - {id: "gulf, north", name: Gulf, kind: sea, position: [12.5, 45.0], bbox: [10, 170, 20, -170]}
sources:
  - {id: s, title: A register, publisher: A publisher}
vessels:
  - {id: v, name: USS V, hull: DDG-1, navy: US, decommissioned: 9999-12-31, cite: s}
events:
  - {date: 0001-01-01, kind: arrived, units: [v], place: "gulf, north", cite: s}
  - {date: 9999-12-30, kind: departed, units: [v], place: "gulf, north", cite: s}
claims:
  - id: c
    as_of: 9999-12-31
    scope: "gulf, north"
    figures: [{what: ships, count: about 1, measure: vessels}]
    cite: s
"""


def test_the_first_and_last_days_there_are_and_a_place_id_with_a_comma_give_every_output(tmp_path: Path) -> None:
    # Days one before 0001-01-01 or after 9999-12-31 do not exist: the timeline's axis, the presence
    # data and the changes once stepped past them (OverflowError). A claim about a place whose id
    # holds a comma was read as two places (ValueError), and the ORBAT Mapper export looked up the
    # decommissioning day among the events' days only (KeyError).
    (tmp_path / "catalog.yaml").write_text(_EDGES, encoding="utf-8")
    check_outputs(tmp_path)
    catalog = orbat.load(tmp_path)
    assert [c.verdict.value for c in check_claims(catalog)] == ["agrees"]
    scenario = json.loads(export_text(catalog, "orbat-mapper"))
    assert "decommissioned" in json.dumps(scenario)
    code, out, err = cli_in_process(["report", "--as-of", "9999-12-31", "--format", "html", str(tmp_path)])
    assert (code, err) == (0, "")
    assert "report date 9999-12-31" in out


def test_a_geojson_export_with_no_date_to_show_is_a_usage_error(tmp_path: Path) -> None:
    (tmp_path / "catalog.yaml").write_text("places:\n  - {id: a, name: A, kind: sea}\n", encoding="utf-8")
    code, out, err = cli_in_process(["export", "--to", "geojson", "-", str(tmp_path)])
    assert (code, out) == (2, "")
    assert err == "orbat export: the catalog has no dated source and no event; give a date\n"


@pytest.mark.parametrize("code", ["00110000", "7FFFFFFF", "80000000", "D00F73FD", "FFFFFFFF"])
def test_an_escape_past_unicode_is_a_syntax_error_for_both_parsers(tmp_path: Path, code: str) -> None:
    # The release fuzz run of seed 8 found "\UD00F73FD": past 2**31, PyYAML's pure-Python scanner
    # fails with OverflowError, not the ValueError of an escape just past U+10FFFF.
    (tmp_path / "c.yaml").write_text(f'places:\n  - {{id: "a\\U{code}", name: A, kind: sea}}\n', encoding="utf-8")
    for result in both_parsers(tmp_path):
        assert [(Path(p.location.file).name, p.location.line, p.location.column, p.code) for p in result.problems] == [
            ("c.yaml", 2, 14, "syntax")
        ]
        assert "invalid Unicode character escape code" in result.problems[0].message
    check_files({"c.yaml": (tmp_path / "c.yaml").read_bytes()}, cli=True)
