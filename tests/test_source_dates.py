"""The checks of events against their sources' dates (``after-source``, ``over-precise``): each
exemption of the good case ``fixtures/good/source-dates`` is needed, for taking it away gives the
problem it prevents, at the event's date. The bad cases and their exact messages are in
``fixtures/bad/after-source`` and ``fixtures/bad/over-precise``."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

import orbat

GOOD = Path(__file__).resolve().parent / "fixtures" / "good" / "source-dates"


def _line_of(text: str, needle: str) -> int:
    [line] = [n for n, line in enumerate(text.splitlines(), 1) if needle in line]
    return line


# (what is changed, the text replaced, its replacement, the code found, a text on the event's date line)
CASES = [
    (
        "a source dated only to the month no longer shows the day it reports",
        "date: 2025-09-20/2025-09-30  # it reports Sep 20",
        "date: 2025-09  # it reports Sep 20",
        "over-precise",
        "date: 2025-09-20          # a day, from a source dated by a span of days",
    ),
    (
        "without the undated register, a month's review alone does not show the day",
        "cite: [october, register]",
        "cite: [october]",
        "over-precise",
        "date: 2025-10-12",
    ),
    (
        "without its text, the bulletin is known only by its month",
        "    text: texts/bulletin.txt\n",
        "",
        "over-precise",
        "date: 2025-10-03",
    ),
    (
        "an arrival, unlike an expectation, cannot come after its source",
        "date: 2025-11-15          # what a source expects may lie after it\n    kind: expected",
        "date: 2025-11-15          # what a source expects may lie after it\n    kind: arrived",
        "after-source",
        "date: 2025-11-15",
    ),
    (
        "a dated register shows that the decommissioning came after it",
        "    publisher: Example Naval Register\n",
        "    publisher: Example Naval Register\n    date: 2025-12-31\n",
        "after-source",
        "date: 2026-03-01",
    ),
    (
        "without the tracker, the span of days rests on a month's review",
        "cite: [review, tracker]",
        "cite: [review]",
        "over-precise",
        "date: 2025-09-21/2025-09-23",
    ),
]


def test_the_good_case_has_no_problem() -> None:
    assert orbat.validate(GOOD).problems == ()


@pytest.mark.parametrize(("old", "new", "code", "line"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_each_exemption_is_needed(tmp_path: Path, old: str, new: str, code: str, line: str) -> None:
    folder = tmp_path / "catalog"
    shutil.copytree(GOOD, folder)
    path = folder / "catalog.yaml"
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1
    text = text.replace(old, new)
    path.write_text(text, encoding="utf-8")
    problems = orbat.validate(folder).problems
    assert [(p.code, p.location.line, p.location.column) for p in problems] == [(code, _line_of(text, line), 11)]
