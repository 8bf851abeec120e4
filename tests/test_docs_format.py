"""Keeps docs/catalog-format.md true: its example catalog, its tables and its problem codes.

Conventions the tests rely on in the document:

- a fenced block right after a line ``File: `docs/example/...` `` (optionally one blank line
  between) is the whole text of that file, byte for byte; every file in docs/example is shown;
- a fenced block after ``Output: `orbat validate ...` `` is what that command prints (standard
  output, then standard error) when run from the repository root;
- the tables of counts, sums, dates, text values and problem codes are found by their header rows.
"""

from __future__ import annotations

import ast
import contextlib
import datetime as dt
import io
import re
import shlex
from collections.abc import Mapping
from pathlib import Path

import attrs
import pytest

import orbat
from orbat._nodes import Limits, MappingNode, Reader, parse_yaml, yaml11_reading
from orbat.cli import main
from orbat.dates import PartialDate, Precision
from orbat.disputes import Disagreement
from orbat.loading import SECTIONS
from orbat.model import EventKind
from orbat.problems import Problem, Severity
from orbat.quantities import Quantity, parse_quantity, total

ROOT = Path(__file__).resolve().parent.parent
DOC = ROOT / "docs" / "catalog-format.md"
EXAMPLE = ROOT / "docs" / "example"
PACKAGE = ROOT / "orbat"

_FILE_BLOCK = re.compile(r"^File: `(?P<path>[^`]+)`\n\n?```[a-z]*\n(?P<body>.*?)^```$", re.MULTILINE | re.DOTALL)
_OUTPUT_BLOCK = re.compile(r"^Output: `(?P<command>[^`]+)`\n\n?```[a-z]*\n(?P<body>.*?)^```$", re.MULTILINE | re.DOTALL)
_CODE_SHAPE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


def _doc() -> str:
    return DOC.read_text(encoding="utf-8")


def _table(header: str) -> list[list[str]]:
    """The body rows of the one table whose header row starts with ``header``, as lists of cells."""
    lines = _doc().splitlines()
    starts = [n for n, line in enumerate(lines) if line.startswith(header)]
    assert len(starts) == 1, f"expected one table with header {header!r}, found {len(starts)}"
    start = starts[0]
    assert re.fullmatch(r"\|(?:-+\|)+", lines[start + 1]), f"no separator row under {header!r}"
    rows = []
    for line in lines[start + 2 :]:
        if not line.startswith("|"):
            break
        rows.append([cell.strip() for cell in line.strip("|").split("|")])
    assert rows, f"the table {header!r} is empty"
    return rows


def _code(cell: str) -> str:
    """The text of a cell that is one backticked span."""
    match = re.fullmatch(r"`([^`]+)`", cell)
    assert match, f"expected one `code` span, got {cell!r}"
    return match.group(1)


def _reader(field: str, value: str) -> tuple[Reader, list[Problem]]:
    """A reader over the one-line YAML document ``field: value``, as a catalog file would be read."""
    problems: list[Problem] = []
    root = parse_yaml("<doc>", f"{field}: {value}\n".encode(), Limits(), problems)
    assert isinstance(root, MappingNode), problems
    return Reader("<doc>", root, "entry", frozenset((field,)), problems), problems


def _count(value: str) -> Quantity:
    reader, problems = _reader("count", value)
    quantity = reader.quantity("count", required=True)
    assert quantity is not None and not problems, problems
    return quantity


# --------------------------------------------------------------------------- the example catalog


def test_example_loads_with_the_documented_values() -> None:
    catalog = orbat.load(EXAMPLE)

    ford = catalog.vessels["ford"]
    assert (ford.name, ford.hull, ford.type) == ("USS Gerald R. Ford", "CVN-78", "CVN")
    assert ford.class_name == "Gerald R. Ford"
    assert ford.commissioned == PartialDate.day(2017, 7, 22)
    assert catalog.ship_type_of(ford).category == "carrier"

    trader = catalog.vessels["ocean-trader"]
    assert (trader.hull, trader.type) == (None, "MV")
    assert catalog.ship_type_of(trader).category == "special operations"
    normandy = catalog.vessels["normandy"]
    assert normandy.commissioned == PartialDate.year(1989)
    assert normandy.decommissioned == PartialDate.day(2025, 9, 25)

    destroyers = catalog.unidentified["three-destroyers"]
    assert destroyers.count == Quantity.exact(3)
    assert destroyers.identified_as == ("gravely", "jason-dunham", "sampson")
    assert [c.source for c in destroyers.citations] == ["herald-2025-11", "reuters-2025-08-19"]

    reapers = catalog.aircraft["reapers"]
    assert reapers.count == Quantity(0, None) and reapers.count.is_unknown and str(reapers.count) == "unknown"
    assert (reapers.type, reapers.base) == ("MQ-9", "aguadilla")
    assert catalog.aircraft_types["MQ-9"].role == "unmanned"
    assert catalog.aircraft["vmfa-225"].count == Quantity.exact(10)

    ford_csg = catalog.formations["ford-csg"]
    assert [f.count for f in ford_csg.personnel] == [Quantity.at_least(4001)]
    assert [str(f.count) for f in ford_csg.aircraft] == ["about 90", "61+"]
    arg = catalog.formations["iwo-jima-arg"]
    assert arg.parent == "jtf"
    assert [f.count for f in arg.personnel] == [Quantity.about(4500), Quantity.at_least(4501)]
    assert arg.personnel[0].as_of == PartialDate.month(2025, 8)

    assert catalog.places["ceiba"].within == ("puerto-rico",)
    assert catalog.sources["nvr"].date is None
    assert catalog.sources["herald-2025-11"].date == PartialDate.month(2025, 11)
    assert catalog.latest_source_date == PartialDate.month(2025, 11)

    events = {event.id: event for event in catalog.events}
    sails = events["arg-sails-again"]
    assert sails.kind is EventKind.DEPARTED
    assert (sails.date.start, sails.date.end) == (dt.date(2025, 8, 21), dt.date(2025, 8, 22))
    assert sails.date.approximate
    assert (sails.units, sails.formation, sails.place, sails.to) == ((), "iwo-jima-arg", "norfolk", "caribbean-sea")
    relief = events["stockdale-relieves-sampson"]
    assert (relief.kind, relief.units, relief.relieves) == (EventKind.RELIEVED, ("stockdale",), "sampson")
    assert events["reapers-counted"].count == Quantity.at_least(2)
    expected = events["ford-expected"]
    assert expected.kind is EventKind.EXPECTED and expected.citations[0].quote is not None
    assert "Navy's" in expected.citations[0].quote
    assert [e.date.start for e in catalog.events] == sorted(e.date.start for e in catalog.events)

    claim = catalog.claims["herald-13-vessels"]
    assert (claim.scope, claim.as_of) == ("caribbean", PartialDate.month(2025, 11))
    assert [(f.what, f.count, f.measure, f.categories) for f in claim.figures] == [
        ("vessels", Quantity.exact(13), "vessels", ()),
        ("warships", Quantity.exact(8), "vessels", ("surface combatant",)),
        ("amphibious vessels", Quantity.exact(3), "vessels", ("amphibious",)),
        ("a submarine", Quantity.exact(1), "vessels", ("submarine",)),
    ]
    assert catalog.claims["herald-puerto-rico-aircraft"].figures[1].types == ("MQ-9",)
    assert catalog.claims["cnn-forces"].figures[0].count == Quantity.about(15_000)


def test_example_has_only_the_deliberate_warnings() -> None:
    result = orbat.validate(EXAMPLE)
    assert result.errors == ()
    assert [(p.code, p.severity, Path(p.location.file).name) for p in result.warnings] == [
        ("after-decommissioning", Severity.WARNING, "events.yaml"),
    ]
    assert result.catalog is not None
    assert result.catalog.warnings == result.warnings


def test_example_uses_every_section_and_event_kind() -> None:
    catalog = orbat.load(EXAMPLE)
    for section in SECTIONS:
        entries = getattr(catalog, section)
        values = entries.values() if isinstance(entries, Mapping) else [entries] if section == "settings" else entries
        in_example = [e for e in values if Path(e.origin.file).resolve().is_relative_to(EXAMPLE)]
        assert in_example, f"the example has no entry in section {section!r}"
    assert {event.kind for event in catalog.events} == set(EventKind)


# --------------------------------------------------------------------------- the document's blocks


def test_file_blocks_are_the_example_files_byte_for_byte() -> None:
    doc = _doc()
    blocks = list(_FILE_BLOCK.finditer(doc))
    assert len(blocks) == len(re.findall(r"^File: ", doc, re.MULTILINE)), "a File: line is not followed by a block"
    shown = {}
    for block in blocks:
        path = block["path"]
        assert path not in shown, f"{path} is shown twice"
        shown[path] = block["body"].encode("utf-8")
        assert shown[path] == (ROOT / path).read_bytes(), f"the block for {path} differs from the file"
    files = {p.relative_to(ROOT).as_posix() for p in EXAMPLE.rglob("*") if p.is_file()}
    assert set(shown) == files, "every example file is shown in the document, and only those"


def test_output_block_is_what_the_command_prints(monkeypatch: pytest.MonkeyPatch) -> None:
    blocks = list(_OUTPUT_BLOCK.finditer(_doc()))
    assert blocks
    monkeypatch.chdir(ROOT)
    for block in blocks:
        argv = shlex.split(block["command"])
        assert argv[0] == "orbat"
        out, err = io.StringIO(), io.StringIO()
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            code = main(argv[1:])
        assert code == 0
        assert block["body"] == out.getvalue() + err.getvalue()


# --------------------------------------------------------------------------- the document's tables


def test_counts_table() -> None:
    rows = _table("| Written (YAML) | Means | Shown as |")
    for written, _means, shown in rows:
        quantity = _count(_code(written))
        assert str(quantity) == _code(shown), written
        assert parse_quantity(str(quantity)) == quantity  # the shown form reads back
    assert len(rows) >= 20


def test_sums_table() -> None:
    rows = _table("| Sum | Total |")
    for terms, result in rows:
        quantities = [_count(term) for term in re.findall(r"`([^`]+)`", terms)]
        assert len(quantities) == 2, terms
        assert str(total(quantities)) == _code(result), terms


def test_dates_table() -> None:
    for written, days, precision, shown in _table("| Written (YAML) | Means (days) | Precision | Shown as |"):
        reader, problems = _reader("date", _code(written))
        date = reader.date("date", required=True)
        assert date is not None and not problems, problems
        first, last = re.findall(r"\d{4}-\d{2}-\d{2}", days)
        assert (date.start.isoformat(), date.end.isoformat()) == (first, last), written
        assert date.approximate == ('"about"' in days), written
        assert date.precision is Precision[precision.upper()], written
        assert str(date) == _code(shown), written


def test_august_is_certainly_before_september_and_only_possibly_before_mid_august() -> None:
    august = PartialDate.month(2025, 8)
    assert august.certainly_before(dt.date(2025, 9, 1))
    assert august.possibly_before(dt.date(2025, 8, 15))
    assert not august.certainly_before(dt.date(2025, 8, 15))


def test_text_table() -> None:
    for unquoted, reading, instead in _table("| Unquoted value | YAML 1.1 reads it as | Write instead |"):
        value = _code(unquoted)
        assert yaml11_reading(value) == reading, value
        reader, problems = _reader("name", value)
        assert reader.text("name") is None
        assert [p.code for p in problems] == ["ambiguous-value"], value
        reader, problems = _reader("name", _code(instead))
        assert reader.text("name") == value and not problems, value


def test_choice_sets_are_listed_in_full() -> None:
    from orbat.model import AIRCRAFT_ROLES, FORMATION_KINDS, MEASURES, PLACE_KINDS, SHIP_CATEGORIES

    listed = [set(re.findall(r"`([^`]+)`", found)) for found in re.findall(r"one of: (?:`[^`]+`(?:, )?)+", _doc())]
    for options in (SHIP_CATEGORIES, AIRCRAFT_ROLES, FORMATION_KINDS, PLACE_KINDS, MEASURES):
        assert set(options) in listed, f"the document never lists exactly: {sorted(options)}"
    kinds = [_code(row[0]) for row in _table("| Kind | Means | Needs ")]
    assert kinds == [kind.value for kind in EventKind]


# --------------------------------------------------------------------------- problem codes


def _emitted_codes() -> set[str]:
    """String literals passed as the ``code`` argument of Problem or of any function with one.

    Every function or method in orbat/ with a parameter named ``code`` is a reporting helper;
    a call to it (by name or attribute) with a literal in that position emits that code.
    """
    trees = [ast.parse(path.read_text(encoding="utf-8"), str(path)) for path in sorted(PACKAGE.rglob("*.py"))]
    positions: dict[str, set[int]] = {
        cls.__name__: {[f.name for f in attrs.fields(cls)].index("code")} for cls in (Problem, Disagreement)
    }
    for tree in trees:
        for node in ast.walk(tree):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                names = [a.arg for a in (*node.args.posonlyargs, *node.args.args)]
                if "code" in names:
                    index = names.index("code") - (1 if names[0] in ("self", "cls") else 0)
                    positions.setdefault(node.name, set()).add(index)
    codes: set[str] = set()
    for tree in trees:
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call):
                continue
            func = node.func
            name = func.attr if isinstance(func, ast.Attribute) else func.id if isinstance(func, ast.Name) else None
            if name not in positions:
                continue
            arguments = [kw.value for kw in node.keywords if kw.arg == "code"]
            arguments += [node.args[i] for i in positions[name] if i < len(node.args)]
            for argument in arguments:
                value = argument.value if isinstance(argument, ast.Constant) else None
                if isinstance(value, str) and _CODE_SHAPE.match(value):
                    codes.add(value)
    return codes


def _documented_codes() -> list[str]:
    return [_code(row[0]) for row in _table("| Code | Severity | Triggered by | How to fix it |")]


def test_code_extraction_finds_every_kind_of_call() -> None:
    codes = _emitted_codes()
    # One from each way of reporting: the YAML builder, _problem, Reader.error, Reader._convert,
    # Problem in loading and in validation.
    assert {"duplicate-key", "syntax", "unknown-field", "bad-count", "duplicate-id", "cycle"} <= codes


def test_every_documented_code_is_emitted_and_every_emitted_code_is_documented() -> None:
    documented = _documented_codes()
    assert len(documented) == len(set(documented)), "a code is listed twice"
    emitted = _emitted_codes()
    assert sorted(set(documented) - emitted) == [], "documented but never emitted by orbat/"
    assert sorted(emitted - set(documented)) == [], "emitted by orbat/ but missing from the doc's table"


def test_documented_severities() -> None:
    allowed = {"error", "warning", "error or warning"}
    for row in _table("| Code | Severity | Triggered by | How to fix it |"):
        assert row[1] in allowed, row
