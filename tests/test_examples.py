"""docs/examples: each script's documented output is what it prints, and its figures are the
queries' own (checked without pandas too, so that the documented numbers are always tested)."""

from __future__ import annotations

import datetime as dt
import importlib.util
import itertools
import re
import subprocess
import sys
from pathlib import Path

import pytest

import orbat
from orbat.queries import default_region, snapshot

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "docs" / "examples"
README = EXAMPLES / "README.md"
DESTROYERS = EXAMPLES / "destroyers_per_week.py"
# The documented output follows this marker, in a ```text block.
MARKER = "<!-- output of destroyers_per_week.py"
BLOCK = re.compile(re.escape(MARKER) + r"[^\n]*\n```text\n(.*?)```\n", re.DOTALL)


def documented_output(text: str | None = None) -> str:
    """The output block of the destroyers example in docs/examples/README.md."""
    found = BLOCK.search(README.read_text(encoding="utf-8") if text is None else text)
    assert found, f"{README}: no ```text block after {MARKER!r}"
    return found.group(1)


def run_destroyers(folder: Path) -> str:
    """Export the bundled catalog's presence data into ``folder`` and run the example on it
    (from the repository, as the README shows); its output with line ends trimmed."""
    csv_path = folder / "presence.csv"
    orbat_command = [sys.executable, "-m", "orbat", "export", "--to", "presence-csv", str(csv_path)]
    subprocess.run(orbat_command, cwd=ROOT, check=True, capture_output=True, timeout=120)
    completed = subprocess.run(
        [sys.executable, str(DESTROYERS), str(csv_path)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=120,
        check=False,
    )
    assert completed.returncode == 0, completed.stderr
    assert completed.stderr == ""
    return "".join(line.rstrip() + "\n" for line in completed.stdout.splitlines())


def with_output(output: str) -> str:
    """docs/examples/README.md with ``output`` as the destroyers example's block."""
    text = README.read_text(encoding="utf-8")
    found = BLOCK.search(text)
    assert found
    return text[: found.start(1)] + output + text[found.end(1) :]


def test_documented_figures_are_the_queries_own() -> None:
    """Without pandas: every documented week is ``orbat table --as-of SUNDAY --by type``'s DDG row."""
    catalog = orbat.load(ROOT / "catalog")
    region = default_region(catalog)
    lines = documented_output().splitlines()
    assert lines[0].split() == ["certain", "possible"] and lines[1].split() == ["week_ending"]
    weeks = [line.split() for line in lines[2:]]
    days = [dt.date.fromisoformat(day) for day, _, _ in weeks]
    assert days[0] == dt.date(2025, 8, 3) and days[-1] == dt.date(2025, 12, 28)
    assert all(b - a == dt.timedelta(days=7) for a, b in itertools.pairwise(days))
    assert all(day.weekday() == 6 for day in days)  # Sundays: the last day of each week
    for (_, certain, possible), day in zip(weeks, days, strict=True):
        count = snapshot(catalog, day, region).breakdown("type").get("DDG", orbat.Quantity.exact(0))
        assert certain == str(count.low), day
        if count.high is None:  # the script adds up the numbers given and marks the sum open
            assert possible.endswith("+"), day
        else:
            assert possible == str(count.high), day


@pytest.mark.skipif(
    importlib.util.find_spec("pandas") is None, reason="pandas is not installed (the test extra has it)"
)
def test_destroyers_script_prints_the_documented_output(tmp_path: Path) -> None:
    printed = run_destroyers(tmp_path)
    assert printed == documented_output(), "run scripts/update_examples.py to rewrite the documented output"


def test_output_block_is_found_and_replaced() -> None:
    """The block the update script rewrites is exactly the documented output."""
    old = documented_output()
    assert documented_output(with_output("new\n")) == "new\n"
    assert with_output(old) == README.read_text(encoding="utf-8")
