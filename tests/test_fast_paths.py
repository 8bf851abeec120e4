"""The shortcuts taken for speed give exactly what the plain definitions give.

Each fast path here (see docs/performance.md) is checked against a slow, obvious version of
itself over generated input, so that a speed-up can never change an answer.
"""

from __future__ import annotations

import re
from pathlib import Path
from unittest import mock

import pytest
import tabulate
from hypothesis import example, given, settings
from hypothesis import strategies as st
from test_fuzz import check_same_reading, origins

import orbat
import orbat.loading
from orbat import _nodes
from orbat._fast import FastItems, FastMapping, Unusual, read_fast, read_lines
from orbat._nodes import NULLS, yaml11_reading
from orbat._pure import PureLoader
from orbat.rendering import _simple_table
from orbat.validation import _occurs, normalise_text

SECTION_NAMES = frozenset(orbat.loading.SECTIONS)

_CURLY = str.maketrans({"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"', "\u00a0": " "})


def _normalise_plainly(text: str) -> str:
    return re.sub(r"\s+", " ", text.translate(_CURLY)).strip()


_TEXT = st.text(
    alphabet=st.one_of(
        st.sampled_from(" \t\n\r\x0b\x0c\x1c\x85\u2028\u3000\u00a0\u2018\u2019\u201c\u201d'\"ab."),
        st.characters(),
    )
)


@given(_TEXT)
@example("\u201cQuoted\u201d\u00a0 and\n  wrapped ")
@example("plain ASCII, no change")
def test_normalise_text_is_the_regex_definition(text: str) -> None:
    assert normalise_text(text) == _normalise_plainly(text)


@given(st.text(alphabet="ab "), st.lists(st.text(alphabet="ab ", max_size=4), max_size=12))
@example("ab ba ab", ["ba", "ab", "b a", "ab ba ab", "", "bab", " ab"])
@example("aab", ["ab", "aa", "aab"])  # found from the last find, then only before it
def test_quote_searches_resumed_where_the_last_was_found_are_plain_in(text: str, quotes: list[str]) -> None:
    resume: dict[str, int] = {}
    assert [_occurs(quote, text, resume, "source") for quote in quotes] == [quote in text for quote in quotes]


_BOOL = re.compile(r"^(?:yes|Yes|YES|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF|y|Y|n|N)$")


def _yaml11_unscreened(value: str) -> str | None:
    if value in NULLS:
        return "null (no value)"
    for pattern, reading in (
        (_BOOL, "a boolean"),
        (_nodes._YAML11_INT, "a sexagesimal number" if ":" in value else "a number"),
        (_nodes._YAML11_FLOAT, "a number"),
        (_nodes._YAML11_DATE, "a date"),
    ):
        if pattern.match(value):
            return reading
    return None


@given(
    st.one_of(
        # A plain scalar never ends with a line break (where the oracle's "$" would still match).
        st.text(max_size=6).filter(lambda v: not v.endswith("\n")),
        st.text(alphabet="0123456789:._-+eE~xbo", max_size=8),
        st.sampled_from(sorted(NULLS | {"yes", "No", "ON", "off", "y", "N", ".inf", "-.5", "1:20", "2025-10-24"})),
    )
)
def test_yaml11_screen_by_first_character_changes_no_reading(value: str) -> None:
    assert yaml11_reading(value) == _yaml11_unscreened(value)


# --------------------------------------------------------------------------- the fast path of reading

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = Path(__file__).resolve().parent / "fixtures"
FOLDERS = [
    ROOT / "catalog",
    ROOT / "docs" / "example",
    *sorted((FIXTURES / "good").iterdir()),
    *sorted(path for path in (FIXTURES / "bad").iterdir() if path.is_dir()),
]


@pytest.mark.parametrize("folder", FOLDERS, ids=[f"{p.parent.name}/{p.name}" for p in FOLDERS])
def test_fast_path_and_located_tree_read_alike(folder: Path) -> None:
    check_same_reading(folder, orbat.validate(folder))


@pytest.mark.parametrize("folder", [ROOT / "catalog", ROOT / "docs" / "example"], ids=["catalog", "example"])
def test_plain_catalogs_take_the_fast_path(folder: Path) -> None:
    # Block scalars, quoted text, flow lists and warnings included: no file is read twice.
    with mock.patch.object(orbat.loading, "_read_sections", wraps=orbat.loading._read_sections) as careful:
        assert orbat.validate(folder).catalog is not None
    assert careful.call_count == 0


@pytest.mark.parametrize(
    ("text", "unusual"),
    [
        ("vessels:\n  - {id: a, name: A, hull: DDG-1, navy: usn}\n", False),
        ("vessels:\n  - id: a\n    name: A\n    hull: DDG-1\n    navy: usn\n    note: >\n      folded\n", False),
        ("vessels:\n  - id: a\n    name: A\n    hull: DDG-1\n    navy: usn\n    note: |# no space\n      x\n", True),
        ("vessels:\n  - id: a\n    name: A\n    hull: DDG-1\n    navy: usn\n    note: ~\n", True),
        ("vessels:\n  - id: a\n    name: !!str A\n    hull: DDG-1\n    navy: usn\n", True),
        ("vessels:\n  - &v {id: a, name: A, hull: DDG-1, navy: usn}\n", True),
        ('vessels:\n  - {id: a, name: A, hull: DDG-1, navy: usn, "class": X}\n', True),
        ("vessels:\n  - {id: a, id: b, name: A, hull: DDG-1, navy: usn}\n", True),
        ("vessels:\n  - {id: a, name: no, hull: DDG-1, navy: usn}\n", True),
        ("vessels:\n  - {id: a, name: 'no', hull: DDG-1, navy: usn}\n", False),
        ("vessels: []\n---\nvessels: []\n", True),
        ("- vessels\n", True),
    ],
)
def test_what_the_fast_path_leaves_to_the_located_tree(text: str, unusual: bool) -> None:
    try:
        top = read_fast("f.yaml", text, 64)
        top.check_fields(SECTION_NAMES)
        orbat.loading._entries_of(top, set())
    except Unusual:
        taken = False
    else:
        taken = True
    assert taken is not unusual


def _prepare_plainly(data: bytes) -> tuple[int, int] | None:
    """Where the plain regex scans of prepare_text find a problem, or None."""
    text = data.decode("utf-8").lstrip("\ufeff")
    for pattern, back in ((_nodes._NOT_PRINTABLE, 0), (_nodes._LINE_START_BOM, 1)):
        found = pattern.search(text)
        if found is not None:
            return _nodes._line_column(text, found.end() - 1 if back else found.start())
    return None


@given(st.text(alphabet=st.sampled_from("ab :\t\n\r\x00\x07\x1f\x7f\x85\ufeff\u2028\xe9")).map(str.encode))
@example(b"a: b\n")
@example(b"a: b\n\xef\xbb\xbfc: d\n")
@example(b"\xef\xbb\xbfa: \x01\n")
def test_prepare_text_finds_what_the_plain_scans_find(data: bytes) -> None:
    problems: list[orbat.Problem] = []
    text = _nodes.prepare_text("f.yaml", data, _nodes.Limits(), problems)
    expected = _prepare_plainly(data)
    assert (text is None) == (expected is not None)
    if expected is not None:
        assert (problems[0].location.line, problems[0].location.column) == expected


@pytest.mark.skipif(not _nodes.HAS_LIBYAML, reason="compares libyaml with the pure-Python parser")
def test_the_fast_path_reads_alike_with_either_parser() -> None:
    # Without libyaml, both ways of reading run on PyYAML's pure-Python parser.
    folder = ROOT / "catalog"
    with_libyaml = orbat.load(folder)
    readers: list[str] = []

    class PurePython(PureLoader):
        def __init__(self, stream: str) -> None:
            readers.append(stream)
            super().__init__(stream)

    with (
        mock.patch.object(_nodes, "_EventLoader", PurePython),
        mock.patch.object(orbat.loading, "_read_sections", wraps=orbat.loading._read_sections) as careful,
    ):
        pure = orbat.load(folder)
    assert careful.call_count == 0
    files = orbat.loading.catalog_files([folder, orbat.loading.REFERENCE_FOLDER])
    by_events = [path for path in files if _read_lines_or_none(path.read_text(encoding="utf-8")) is None]
    assert 0 < len(by_events) < len(files)  # the plainest files are read from their lines
    assert len(readers) == len(by_events)
    assert pure == with_libyaml
    assert origins(pure) == origins(with_libyaml)


# Reading the plainest files from their lines (read_lines) gives the mappings reading them from the
# parser's events (read_fast) gives, whenever it reads a file at all.


def _layout(value: object) -> object:
    """A mapping read by the fast path as plain data: values, positions, what was quoted."""
    if type(value) is FastMapping:
        return (
            value.line,
            value.column,
            {key: _layout(item) for key, item in value.values.items()},
            dict(value.at),
            sorted(value.quoted or ()),
        )
    if type(value) is FastItems:
        return ([_layout(item) for item in value], list(value.at), sorted(value.quoted or ()))
    return value


def _read_lines_or_none(text: str, max_depth: int = 64) -> FastMapping | None:
    try:
        return read_lines("f.yaml", text, max_depth)
    except Unusual:
        return None


def _yaml_files() -> list[Path]:
    folders = [*FOLDERS, orbat.loading.REFERENCE_FOLDER]
    return sorted(path for folder in folders for path in orbat.loading.catalog_files([folder]))


def test_lines_and_events_read_every_file_alike() -> None:
    read = 0
    for path in _yaml_files():
        text = _nodes.prepare_text(str(path), path.read_bytes(), _nodes.Limits(), [])
        by_lines = None if text is None else _read_lines_or_none(text)
        if by_lines is None:
            continue
        assert text is not None
        assert _layout(by_lines) == _layout(read_fast(str(path), text, 64)), path
        read += 1
    assert read >= 40  # most fixtures are of the plainest


# Catalog-like files written in block style (lists compact or indented, comments, blank lines), then
# as often as not changed in one to three places into near misses of the rules read_lines keeps.
_KEYS = st.sampled_from(["id", "cite", "units", "note", "a_b", "source", "quote", "k9"])
_ODD_KEYS = st.sampled_from(["null", "no", "Id", "a-b", '"q"', "x" * 120, "? k", "&a k", "k:k"])
_PLAIN = st.sampled_from(
    [
        *("word", "two words", "a:b", "a#b", "a, b [c] {d}", "DDG-51", "2025-08", "01", "no", "~x", "...", "a\\b"),
        # Characters a reader might drop or count twice: each is one column.
        *("é", "a\ufeffb", "a\u200bb\u200d", "😀 x", "日本", "e\u0301", "\u202ex"),
    ]
)
_QUOTED = st.sampled_from(['"quoted"', '"a: b # c"', '""', "'it''s'", "''", "'a \"b\"'", '"\'"', "'\ufeff😀'"])
_FLOW = st.sampled_from(["[a, b]", "[surface combatant, x-1]", "[]", "[no, 1.5]", "[a]", "[null]", "[a, Null]"])
_ODD_VALUES = st.sampled_from(
    [
        *("a: b", "a #b", "a:", "a ", " a", "~", "null", "-1", "- a", "?a", ":a", "%a", "@a", "`a", "&a b", "*a"),
        *("!t a", "|", ">-", "#c", "{a: b}", "}", "]", ",", '"a\\"b"', '"a"b"', '"a" b', '"a', "'a'b'", "'" * 3),
        *("'a", "[a,b]", "[ a ]", "[a , b]", "[a, b] c", "[a, [b]]", "[a: b]", "[a#b]", "['a']", "[a b ]", ""),
    ]
)
_ODD_LINES = st.sampled_from(
    ["-", "- ", "---", "...", "%YAML 1.2", "a:\tb", "a: b\r", "\ta: b", "  x", "- - a", "a: b\u2028c: d", "a: b\x85"]
)


def _block(draw: st.DrawFn, depth: int) -> dict[str, object]:
    """A mapping of distinct keys to text, flow lists, mappings and lists."""
    mapping: dict[str, object] = {}
    for key in draw(st.lists(_KEYS, min_size=1, max_size=4, unique=True)):
        kinds = ["plain", "quoted", "flow"] + (["mapping", "list"] if depth < 3 else [])
        kind = draw(st.sampled_from(kinds))
        if kind == "plain":
            mapping[key] = draw(_PLAIN)
        elif kind == "quoted":
            mapping[key] = draw(_QUOTED)
        elif kind == "flow":
            mapping[key] = draw(_FLOW)
        elif kind == "mapping":
            mapping[key] = _block(draw, depth + 1)
        else:
            items: list[object] = []
            for _ in range(draw(st.integers(1, 3))):
                item_kind = draw(st.sampled_from(["plain", "quoted", "mapping"]))
                if item_kind == "mapping":
                    items.append(_block(draw, depth + 1))
                else:
                    items.append(draw(_PLAIN if item_kind == "plain" else _QUOTED))
            mapping[key] = items
    return mapping


def _render(draw: st.DrawFn, mapping: dict[str, object], indent: int) -> list[str]:
    lines = []
    for key, value in mapping.items():
        head = " " * indent + f"{key}:"
        if isinstance(value, str):
            lines.append(f"{head} {value}")
        elif isinstance(value, dict):
            lines.append(head)
            lines.extend(_render(draw, value, indent + draw(st.sampled_from([2, 4]))))
        else:
            assert isinstance(value, list)
            lines.append(head)
            dash = indent + draw(st.sampled_from([0, 2]))  # a compact list, or an indented one
            for item in value:
                if isinstance(item, str):
                    lines.append(" " * dash + f"- {item}")
                else:
                    assert isinstance(item, dict)
                    inner = _render(draw, item, dash + 2)
                    lines.extend([" " * dash + "- " + inner[0][dash + 2 :], *inner[1:]])
        if draw(st.integers(0, 9)) == 0:
            lines.append(draw(st.sampled_from(["", "# comment", "   # indented comment", "  "])))
    return lines


def _mutate(draw: st.DrawFn, lines: list[str]) -> list[str]:
    lines = list(lines)
    index = draw(st.integers(0, len(lines) - 1))
    line = lines[index]
    how = draw(st.sampled_from(["value", "key", "indent", "comment", "line"]))
    if how == "value" and ": " in line:
        lines[index] = line[: line.index(": ") + 2] + draw(_ODD_VALUES)
    elif how == "key" and ":" in line:
        stripped = line.lstrip(" -")
        lines[index] = line[: len(line) - len(stripped)] + draw(_ODD_KEYS) + stripped[stripped.index(":") :]
    elif how == "indent":
        lines[index] = " " * draw(st.integers(0, 7)) + line.lstrip(" ")
    elif how == "comment":
        lines[index] = line + draw(st.sampled_from([" # c", "  #", "#c", " "]))
    else:
        lines.insert(index, draw(_ODD_LINES))
    return lines


@st.composite
def _catalog_like(draw: st.DrawFn) -> str:
    lines = _render(draw, _block(draw, 0), 0)
    for _ in range(draw(st.sampled_from([0, 0, 0, 1, 2, 3]))):
        lines = _mutate(draw, lines)
    return "\n".join(lines) + "\n"


@settings(max_examples=1000, deadline=None)
@given(_catalog_like(), st.integers(1, 5))
@example("a:\n- b\nc: d\n", 64)
@example("a:\n  - id: x\n    cite:\n    - s\n  - b: [c, d]\n", 64)
@example("- a\n", 64)
@example("a: b\n  c\n", 64)
@example("a:\n  b: c\n d: e\n", 64)
@example("a:\n  b:\n    c: d\n", 2)
@example("a: [b]\n", 1)
@example("a: 'it''s'\nb: \"x # y\"\n", 64)
@example("a:\n- \n- b\n", 64)  # an empty item (once raised IndexError)
@example("a: [b, NULL]\n", 64)  # a null item (once read as text, where the events give up)
@example("a: [x\ufeff\ufeffy, z]\nb: c\n", 64)  # a U+FEFF inside a line: read from the events
def test_lines_read_only_what_the_events_read_the_same(text: str, max_depth: int) -> None:
    by_lines = _read_lines_or_none(text, max_depth)
    if by_lines is not None:
        assert _layout(by_lines) == _layout(read_fast("f.yaml", text, max_depth))
    if _nodes.HAS_LIBYAML:  # and the events of either parser are read alike, positions included
        by_events = [_read_fast_or_none(text, max_depth)]
        with mock.patch.object(_nodes, "_EventLoader", PureLoader):
            by_events.append(_read_fast_or_none(text, max_depth))
        if None not in by_events:
            assert _layout(by_events[0]) == _layout(by_events[1])


def _read_fast_or_none(text: str, max_depth: int) -> FastMapping | None:
    try:
        return read_fast("f.yaml", text, max_depth)
    except Unusual:
        return None


@pytest.mark.parametrize(
    ("text", "read"),
    [
        ('events:\n  - id: a\n    units: [b, c]\n    cite:\n      - source: s\n        quote: "q: #"\n', True),
        ("events:\n- id: a\n  cite: [s]\nvessels: []\n", True),
        ("# a comment\n\nvessels:\n  # another\n  - id: 'it''s'\n", True),
        ("vessels:\n  - id: a  # a comment after a value\n", False),
        ("vessels:\n  - {id: a}\n", False),
        ("vessels:\n  - id: a\n    note: >\n      folded\n", False),
        ("vessels:\n  - id: a\n    note: over\n      two lines\n", False),
        ('vessels:\n  - id: "an \\"escape\\""\n', False),
        ("vessels:\n  - id: a\n    note:\n", False),
        ("vessels:\n  - \n  - id: a\n", False),
        ("vessels:\n  - id: a\n    note: ~\n", False),
        ("vessels:\n  - id: a\n\tnote: b\n", False),
        ("vessels:\r\n  - id: a\r\n", False),
        ("vessels:\n  - id: &x a\n", False),
        ("vessels:\n  - Id: a\n", False),
        ("vessels: []\n---\nvessels: []\n", False),
    ],
)
def test_what_reading_lines_leaves_to_the_events(text: str, read: bool) -> None:
    assert (_read_lines_or_none(text) is not None) is read


_CELL = st.text(st.sampled_from("ab Z9-.\t\n\r\x01\x1b\x85\u2028\u3000\u200b\xa0\u65e5\U0001f600|:"), max_size=6)


@settings(max_examples=500)
@given(
    st.integers(1, 4).flatmap(
        lambda n: st.tuples(
            st.lists(_CELL, min_size=n, max_size=n),
            st.lists(st.lists(_CELL, min_size=n - 1, max_size=n), min_size=1, max_size=5),
        )
    )
)
@example((["Vessel", "Hull"], [["USS Gravely", "DDG-107"], [" padded ", ""]]))
def test_simple_tables_are_made_as_tabulate_makes_them(case: tuple[list[str], list[list[str]]]) -> None:
    headers, rows = case
    made = _simple_table(rows, headers)
    unusual = any(len(row) != len(headers) for row in rows) or any(
        c in "\r\n\x1b\x01" for c in "".join((*headers, *(cell for row in rows for cell in row)))
    )
    if unusual:  # multi-line cells, terminal codes, separating lines, ragged rows: left to tabulate
        assert made is None
    else:
        assert made == tabulate.tabulate(rows, headers, tablefmt="simple", disable_numparse=True)
