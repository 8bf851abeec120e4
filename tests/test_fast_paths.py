"""The shortcuts taken for speed give exactly what the plain definitions give.

Each fast path here (see docs/performance.md) is checked against a slow, obvious version of
itself over generated input, so that a speed-up can never change an answer.
"""

from __future__ import annotations

import re
from pathlib import Path
from unittest import mock

import pytest
import yaml
from hypothesis import example, given
from hypothesis import strategies as st
from test_fuzz import check_same_reading, origins

import orbat
import orbat.loading
from orbat import _nodes
from orbat._fast import Unusual, read_fast
from orbat._nodes import NULLS, yaml11_reading
from orbat.validation import normalise_text

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
        st.text(max_size=6),
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

    class PurePython(yaml.SafeLoader):
        def __init__(self, stream: str) -> None:
            readers.append(stream)
            super().__init__(stream)

    with (
        mock.patch.object(_nodes, "_EventLoader", PurePython),
        mock.patch.object(orbat.loading, "_read_sections", wraps=orbat.loading._read_sections) as careful,
    ):
        pure = orbat.load(folder)
    assert careful.call_count == 0
    assert len(readers) == len(orbat.loading.catalog_files([folder, orbat.loading.REFERENCE_FOLDER]))
    assert pure == with_libyaml
    assert origins(pure) == origins(with_libyaml)
