"""Resource limits: hostile or broken input ends in bounded time and memory, with a located error
where the input is at fault, and every limit can be raised or lowered.

The limits are those of :class:`orbat.Limits` (``max_depth``, ``max_alias_nodes``,
``max_file_bytes``); docs/reliability.md lists them with their defaults. The file of a million
entries is checked by ``scripts/fuzz_release.py``; the default run checks a hundred thousand.
"""

from __future__ import annotations

import difflib
import os
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar
from unittest import mock

import attrs
import pytest

import orbat
import orbat._nodes
import orbat.disputes
import orbat.validation
from orbat import CatalogError, Limits, LoadResult, Problem
from orbat._nodes import parse_yaml
from orbat._pure import PureLoader

_T = TypeVar("_T")
DEFAULTS = Limits()

# Generous bounds: a slow CI machine must pass, an unbounded run must not.
FAST = 10.0  # seconds, for inputs the limits cut short


def timed(run: Callable[[], _T]) -> tuple[float, _T]:
    """How long ``run`` takes, and what it returns."""
    started = time.perf_counter()
    result = run()
    return time.perf_counter() - started, result


def peak_memory(run: Callable[[], _T]) -> tuple[int, _T]:
    """The most memory ``run`` held at once (bytes allocated by Python), and what it returns."""
    tracemalloc.start()
    try:
        result = run()
        return tracemalloc.get_traced_memory()[1], result
    finally:
        tracemalloc.stop()


def codes(problems: tuple[Problem, ...]) -> list[str]:
    return [problem.code for problem in problems]


def only(result: LoadResult, code: str) -> Problem:
    """The one problem with ``code``; every problem is located."""
    found = [problem for problem in result.problems if problem.code == code]
    assert len(found) == 1, [str(problem) for problem in result.problems]
    assert all(p.location.line >= 1 and p.location.column >= 1 for p in result.problems)
    return found[0]


def both_parsers(run: Callable[[], _T]) -> list[_T]:
    """``run`` with libyaml (when present) and with PyYAML's pure-Python parser."""
    results = [run()]
    if orbat._nodes.HAS_LIBYAML:
        with mock.patch.object(orbat._nodes, "_EventLoader", PureLoader):
            results.append(run())
    return results


# --------------------------------------------------------------------------- aliases

LAUGHS = "\n".join(
    ['a0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    + [f"a{n}: &a{n} [{', '.join([f'*a{n - 1}'] * 10)}]" for n in range(1, 12)]
)  # 10^12 nodes when expanded


def test_billion_laughs_stops_at_the_alias_budget(tmp_path: Path) -> None:
    path = tmp_path / "laughs.yaml"
    path.write_text(LAUGHS + "\n", encoding="utf-8")
    for seconds, (memory, result) in both_parsers(lambda: timed(lambda: peak_memory(lambda: orbat.validate(path)))):
        problem = only(result, "alias-budget")
        # *a0 costs 11 nodes, *a1 111: the ninth *a1 on line 3 passes 1,000 (10 * 11 + 9 * 111).
        assert (problem.location.line, problem.location.column) == (3, 50)
        assert "1,000 nodes" in problem.message
        assert seconds < FAST
        assert memory < 20 * 1024 * 1024


def test_many_aliases_of_one_small_anchor_stop_at_the_budget(tmp_path: Path) -> None:
    path = tmp_path / "many.yaml"
    path.write_text("a: &x [1, 2]\nb: [" + ", ".join(["*x"] * 1_000_000) + "]\n", encoding="utf-8")
    seconds, result = timed(lambda: orbat.validate(path))
    problem = only(result, "alias-budget")
    assert (problem.location.line, problem.location.column) == (2, 1 + 4 * 334)  # 3 nodes each: 334 * 3 > 1,000
    assert seconds < FAST


def test_alias_budget_is_configurable(tmp_path: Path) -> None:
    """A valid catalog citing through one alias ten times (2 nodes each)."""
    lines = ["sources:", "  - {id: s, title: T, publisher: P}", "vessels:"]
    lines.append("  - {id: v0, name: V, type: DDG, navy: US, cite: &cite [s]}")
    lines += [f"  - {{id: v{n}, name: V, type: DDG, navy: US, cite: *cite}}" for n in range(1, 11)]
    path = tmp_path / "catalog.yaml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert orbat.load(path).vessels["v10"].citations == orbat.load(path).vessels["v0"].citations
    assert orbat.validate(path, limits=Limits(max_alias_nodes=20)).errors == ()
    lowered = orbat.validate(path, limits=Limits(max_alias_nodes=19))
    assert (only(lowered, "alias-budget").location.line, only(lowered, "alias-budget").location.column) == (14, 51)
    with pytest.raises(CatalogError):
        orbat.load(path, limits=Limits(max_alias_nodes=19))
    # And the laughs load (as an unknown section, not a hang) once the budget allows them.
    small = tmp_path / "small-laughs.yaml"
    small.write_text("\n".join(LAUGHS.splitlines()[:3]) + "\n", encoding="utf-8")
    assert "alias-budget" in codes(orbat.validate(small).problems)
    assert "alias-budget" not in codes(orbat.validate(small, limits=Limits(max_alias_nodes=2_000)).problems)


# --------------------------------------------------------------------------- nesting


@pytest.mark.parametrize(
    ("text", "line", "column"),
    [
        ("[" * 10_000 + "]" * 10_000, 1, 65),
        ("[" * 10_000, 1, 65),  # never closed
        ("{a: " * 10_000 + "}" * 10_000, 1, 4 * 64 + 1),
        ("- " * 10_000 + "x", 1, 129),
        ("".join(" " * depth + "a:\n" for depth in range(2_000)), 65, 65),  # 2 MB of indentation
    ],
    ids=["flow-lists", "unclosed-flow-lists", "flow-mappings", "block-lists", "block-mappings"],
)
def test_nesting_ten_thousand_deep_stops_at_max_depth(tmp_path: Path, text: str, line: int, column: int) -> None:
    """Both parsers slow down quadratically with depth (160,000 '[' took libyaml a minute), so
    reading stops at twice ``max_depth``: the time does not grow with the depth of the input."""
    path = tmp_path / "deep.yaml"
    path.write_text(text + "\n", encoding="utf-8")
    for seconds, (memory, result) in both_parsers(lambda: timed(lambda: peak_memory(lambda: orbat.validate(path)))):
        problem = only(result, "too-deep")
        assert (problem.location.line, problem.location.column) == (line, column)
        assert "64 levels" in problem.message
        assert seconds < FAST
        assert memory < 100 * 1024 * 1024


def _deepest_valid_catalog(tmp_path: Path) -> Path:
    """Seven levels: the file's mapping, a section, an entry, its figures, a figure, its
    citations, a citation."""
    path = tmp_path / "deep-catalog.yaml"
    path.write_text(
        "sources: [{id: s, title: T, publisher: P}]\n"
        "formations:\n"
        "  - id: f\n"
        "    name: F\n"
        "    kind: task force\n"
        "    personnel:\n"
        "      - count: 10\n"
        "        cite:\n"
        "          - source: s\n",
        encoding="utf-8",
    )
    return path


def test_max_depth_is_configurable(tmp_path: Path) -> None:
    path = _deepest_valid_catalog(tmp_path)
    assert orbat.load(path).formations["f"].personnel[0].count.low == 10
    assert orbat.validate(path, limits=Limits(max_depth=7)).errors == ()
    lowered = only(orbat.validate(path, limits=Limits(max_depth=6)), "too-deep")
    assert (lowered.location.line, lowered.location.column) == (9, 13)  # the citation's mapping
    # Raised, a hundred levels are read (and found to be no catalog) rather than cut short.
    deep = tmp_path / "deep.yaml"
    deep.write_text("vessels: " + "[" * 100 + "]" * 100 + "\n", encoding="utf-8")
    assert "too-deep" in codes(orbat.validate(deep).problems)
    raised = orbat.validate(deep, limits=Limits(max_depth=200))
    assert "too-deep" not in codes(raised.problems)
    assert raised.errors


@pytest.mark.parametrize(
    ("text", "line", "column"),
    [
        ("[" * 1_100 + "]" * 1_100, 1, 1_051),
        ("- " * 1_100 + "x", 1, 2 * 1_050 + 1),
        ("".join(" " * depth + "a:\n" for depth in range(1_100)), 1_051, 1_051),
    ],
    ids=["flow-lists", "block-lists", "block-mappings"],
)
def test_nesting_past_libyamls_own_limit_reads_alike_with_both_parsers(
    tmp_path: Path, text: str, line: int, column: int
) -> None:
    """libyaml 0.2.6 stops at 1,000 levels (a syntax error); the pure-Python parser does not, so
    with ``max_depth`` raised past that, the tree is read by the latter and both give one answer."""
    path = tmp_path / "deep.yaml"
    path.write_text(text + "\n", encoding="utf-8")
    limits = Limits(max_depth=2_000)
    results = both_parsers(lambda: orbat.validate(path, limits=limits).problems)
    assert all(problems == results[0] for problems in results)
    assert "syntax" not in codes(results[0])
    assert "too-deep" not in codes(results[0])
    # Below the input's depth and above libyaml's: cut short where the pure-Python parser gets to.
    tighter = both_parsers(lambda: orbat.validate(path, limits=Limits(max_depth=1_050)).problems)
    assert all(problems == tighter[0] for problems in tighter)
    deepest = only(LoadResult(None, tighter[0]), "too-deep")
    assert (deepest.location.line, deepest.location.column) == (line, column)


# --------------------------------------------------------------------------- file size


def _write_big_scalar(path: Path, megabytes: int) -> None:
    with path.open("wb") as handle:
        handle.write(b"vessels:\n  - note: ")
        chunk = b"a" * (1 << 20)
        for _ in range(megabytes):
            handle.write(chunk)
        handle.write(b"\n")


def test_a_100_mb_scalar_is_refused_without_reading_the_file(tmp_path: Path) -> None:
    path = tmp_path / "big.yaml"
    _write_big_scalar(path, 100)
    seconds, (memory, result) = timed(lambda: peak_memory(lambda: orbat.validate(path)))
    problem = only(result, "file-too-large")
    assert (problem.location.file, problem.location.line, problem.location.column) == (str(path), 1, 1)
    assert f"{path.stat().st_size:,} bytes" in problem.message
    assert "67,108,864" in problem.message
    assert seconds < FAST
    assert memory < 5 * 1024 * 1024  # the 100 MB were never read


def test_a_file_that_grows_is_read_no_further_than_the_limit(tmp_path: Path) -> None:
    """When the size on disk is unknown or out of date (a pipe, a file being written), reading
    stops one byte past the limit."""
    path = tmp_path / "big.yaml"
    _write_big_scalar(path, 8)
    real_fstat = os.fstat

    def size_zero(fd: int) -> object:
        class Stat:
            st_size = 0

        real_fstat(fd)
        return Stat()

    with mock.patch.object(os, "fstat", size_zero):
        memory, result = peak_memory(
            lambda: orbat.validate(path, limits=Limits(max_file_bytes=1024 * 1024), reference=False)
        )
    problem = only(result, "file-too-large")
    assert "more than 1,048,576 bytes" in problem.message
    assert memory < 4 * 1024 * 1024


def test_max_file_bytes_is_configurable(tmp_path: Path) -> None:
    path = tmp_path / "catalog.yaml"
    path.write_text("places:\n  - {id: p, name: P, kind: sea}\n", encoding="utf-8")
    size = path.stat().st_size
    assert orbat.load(path, limits=Limits(max_file_bytes=size)).places["p"].name == "P"
    lowered = only(orbat.validate(path, limits=Limits(max_file_bytes=size - 1)), "file-too-large")
    assert f"{size:,} bytes, over the limit of {size - 1:,}" in lowered.message
    # A 2 MB file: too large for a 1 MB limit, read under the default.
    big = tmp_path / "big.yaml"
    _write_big_scalar(big, 2)
    assert "file-too-large" in codes(orbat.validate(big, limits=Limits(max_file_bytes=1 << 20)).problems)
    assert "file-too-large" not in codes(orbat.validate(big).problems)


def test_parse_yaml_checks_the_size_of_bytes_given_directly() -> None:
    problems: list[Problem] = []
    assert parse_yaml("given.yaml", b"a: b\n", Limits(max_file_bytes=4), problems) is None
    assert codes(tuple(problems)) == ["file-too-large"]


def test_limits_are_frozen_and_documented_defaults() -> None:
    assert (DEFAULTS.max_depth, DEFAULTS.max_alias_nodes, DEFAULTS.max_file_bytes) == (64, 1_000, 64 * 1024 * 1024)
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        DEFAULTS.max_depth = 1  # type: ignore[misc]
    doc = (Path(__file__).resolve().parent.parent / "docs" / "reliability.md").read_text(encoding="utf-8")
    for field in attrs.fields(Limits):
        row = next(line for line in doc.splitlines() if line.startswith(f"| `{field.name}` |"))
        default = field.default
        assert isinstance(default, int)
        assert f"{default:,}" in row or f"{default // (1024 * 1024)} MiB" in row, row


# --------------------------------------------------------------------------- many entries, many files


def write_tiny_entries(path: Path, count: int) -> None:
    """A catalog file of ``count`` places, one short line each."""
    with path.open("w", encoding="utf-8") as handle:
        handle.write("places:\n")
        for number in range(count):
            handle.write(f"  - {{id: p{number}, name: P, kind: sea}}\n")


def test_a_hundred_thousand_tiny_entries_load_in_bounded_time(tmp_path: Path) -> None:
    """A million take about 16 s (scripts/fuzz_release.py); a hundred thousand about 1.2 s."""
    path = tmp_path / "many.yaml"
    write_tiny_entries(path, 100_000)
    seconds, result = timed(lambda: orbat.validate(path))
    assert result.errors == ()
    assert result.catalog is not None and len(result.catalog.places) == 100_000
    assert seconds < 60


def test_a_hundred_thousand_bad_entries_give_a_hundred_thousand_located_errors(tmp_path: Path) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text("places:\n" + "  - x\n" * 100_000, encoding="utf-8")
    seconds, result = timed(lambda: orbat.validate(path))
    assert len(result.errors) == 100_000
    assert [p.location.line for p in result.errors[:3]] == [2, 3, 4]
    assert {p.code for p in result.errors} == {"wrong-type"}
    assert seconds < 60


def test_a_folder_of_ten_thousand_files_loads_in_bounded_time(tmp_path: Path) -> None:
    folder = tmp_path / "catalog"
    for number in range(10_000):
        part = folder / f"part-{number // 1000}"
        part.mkdir(parents=True, exist_ok=True)
        (part / f"place-{number:05d}.yaml").write_text(
            f"places:\n  - {{id: p{number}, name: P, kind: sea}}\n", encoding="utf-8"
        )
    seconds, result = timed(lambda: orbat.validate(folder))
    assert result.errors == ()
    assert result.catalog is not None and len(result.catalog.places) == 10_000
    assert seconds < 60


# --------------------------------------------------------------------------- checks that stay linear
# Found by these tests, and since fixed: each once grew faster than the input. Each test counts the
# work done for a catalog and for one four times larger: the work per entry must not grow.


def _per_entry(work: Callable[[int], int], small: int = 300) -> tuple[float, float]:
    """The work per entry at ``small`` entries and at four times as many."""
    return work(small) / small, work(4 * small) / (4 * small)


def test_did_you_mean_work_per_unknown_reference_does_not_grow_with_the_catalog(tmp_path: Path) -> None:
    """Was: every unknown reference compared with every known id (3,000 among 3,000 took 150 s)."""

    def compared(count: int) -> int:
        lines = ["sources: [{id: s, title: T, publisher: P}]", "places:"]
        lines += [f"  - {{id: place-{n}, name: P, kind: sea}}" for n in range(count)]
        lines.append("aircraft:")
        lines += [
            f"  - {{id: a{n}, name: A, type: F-35B, count: 1, navy: US, base: plaec-{n}, cite: s}}"
            for n in range(count)
        ]
        path = tmp_path / f"{count}.yaml"
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        total = 0

        def counting(word: str, possibilities: list[str], n: int = 3, cutoff: float = 0.6) -> list[str]:
            nonlocal total
            total += len(possibilities)
            return []

        with mock.patch.object(difflib, "get_close_matches", counting):
            assert len(orbat.validate(path).errors) == count
        return total

    small, large = _per_entry(compared)
    assert large <= 1.5 * small + 1, (small, large)
    # And a typo still gets its suggestion.
    typo = tmp_path / "typo.yaml"
    typo.write_text(
        "sources: [{id: s, title: T, publisher: P}]\nplaces: [{id: caribbean, name: C, kind: sea}]\n"
        "aircraft: [{id: a, name: A, type: F-35B, count: 1, navy: US, base: carribean, cite: s}]\n",
        encoding="utf-8",
    )
    assert "did you mean 'caribbean'?" in orbat.validate(typo).errors[0].message


def test_cycle_check_work_per_entry_does_not_grow_with_the_length_of_a_chain() -> None:
    """Was: a walk of the whole chain from every entry, cubic (1,000 places took 1.6 s)."""

    def steps(count: int) -> int:
        total = 0

        @attrs.frozen
        class Counted:
            parent: str | None

            def __getattribute__(self, name: str) -> object:
                nonlocal total
                total += 1
                return object.__getattribute__(self, name)

        entries = {f"p{n}": Counted(f"p{n - 1}" if n else None) for n in range(count)}
        assert list(orbat.validation._check_cycles(entries, "parent", "place")) == []
        return total

    small, large = _per_entry(steps)
    assert large <= 1.5 * small + 1, (small, large)


def test_location_check_work_per_report_does_not_grow_with_a_units_reports(tmp_path: Path) -> None:
    """Was: every pair of a unit's reports compared (4,000 reports of one ship took 6.4 s)."""

    def calls(count: int) -> int:
        lines = ["sources: [{id: s, title: T, publisher: P}]", "places: [{id: a, name: A, kind: sea}]"]
        lines += ["vessels: [{id: v, name: V, type: DDG, navy: US}]", "events:"]
        lines += [
            f"  - {{date: {2000 + n // 336}-{n // 28 % 12 + 1:02d}-{n % 28 + 1:02d}, kind: reported present, "
            "units: [v], place: a, cite: s}"
            for n in range(count)
        ]
        path = tmp_path / f"{count}.yaml"
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        real = orbat.disputes._sources
        total = 0

        def counting(event: orbat.Event) -> frozenset[str]:
            nonlocal total
            total += 1
            return real(event)

        with mock.patch.object(orbat.disputes, "_sources", counting):
            assert orbat.validate(path).errors == ()
        return total

    small, large = _per_entry(calls)
    assert large <= 1.5 * small + 1, (small, large)
