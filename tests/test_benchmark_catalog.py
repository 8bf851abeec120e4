"""The benchmark's world-catalog generator and script, on a tiny size of their own.

The benchmark sizes (S and M) stay out of the suite, whose time must not grow with them; these
tests check, in a fraction of a second, that what the benchmark measures is a valid catalog with
the warnings it intends, the same bytes on every run, and that the script prints every figure.
"""

from __future__ import annotations

import contextlib
import importlib
import io
import json
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

import orbat

BENCHMARKS = Path(__file__).resolve().parent.parent / "benchmarks"


@pytest.fixture(scope="module")
def benchmarks() -> Iterator[tuple[Any, Any]]:
    """The benchmark's modules ``generate`` and ``bench``, imported from their folder."""
    sys.path.insert(0, str(BENCHMARKS))
    try:
        yield importlib.import_module("generate"), importlib.import_module("bench")
    finally:
        sys.path.remove(str(BENCHMARKS))


def tiny(generate: Any) -> Any:
    """A size small enough for the suite that still has one intended warning."""
    return generate.Size("T", vessels=200, unidentified=4, aircraft=40, formations=20, events=2_000, claims=4)


def files_of(folder: Path) -> dict[str, bytes]:
    return {str(path.relative_to(folder)): path.read_bytes() for path in sorted(folder.rglob("*")) if path.is_file()}


def test_the_generated_catalog_is_valid_with_exactly_the_intended_warnings(
    tmp_path: Path, benchmarks: tuple[Any, Any]
) -> None:
    generate, bench = benchmarks
    out = tmp_path / "T"
    manifest = generate.generate(tiny(generate), out)
    result = orbat.validate(out)
    assert result.errors == ()
    assert manifest["expected_warnings"] == 1
    assert [problem.code for problem in result.warnings] == ["sources-disagree"]
    catalog = orbat.load(out)
    assert len(catalog.vessels) == manifest["vessels"] == 200
    assert len(catalog.events) == manifest["events"] == 2_000
    assert len(catalog.formations) == manifest["formations"] == 20
    assert len(catalog.claims) == manifest["claims"] == 4
    # Every file takes the fast path, as on M (the benchmark's files_read_by_tree).
    assert bench.files_read_by_tree(bench.catalog_paths(out)) == 0


def test_the_generator_writes_the_same_bytes_on_every_run(tmp_path: Path, benchmarks: tuple[Any, Any]) -> None:
    generate, _ = benchmarks

    def generated(folder: Path, seed: int = generate.SEED) -> dict[str, bytes]:
        generate.generate(tiny(generate), folder, seed)
        return files_of(folder)

    first = generated(tmp_path / "a")
    assert len(first) > 700  # catalog files, tracker texts and the manifest
    assert generated(tmp_path / "b") == first
    assert generated(tmp_path / "c", seed=1) != first


def test_the_benchmark_prints_every_figure_as_one_json_object(
    tmp_path: Path, benchmarks: tuple[Any, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    generate, bench = benchmarks
    monkeypatch.setitem(bench.SIZES, "T", tiny(generate))
    printed = io.StringIO()
    arguments = ["--size", "T", "--out", str(tmp_path / "T"), "--json", "--skip-memory", "--repeat", "1"]
    with contextlib.redirect_stdout(printed), contextlib.redirect_stderr(io.StringIO()):
        assert bench.main([*arguments, "--dates", "5", "--pairs", "3"]) == 0
    figures = json.loads(printed.getvalue())
    assert figures["size"] == "T"
    assert figures["validate_errors"] == 0
    assert figures["validate_warnings"] == figures["expected_warnings"]
    assert figures["catalog"]["files_read_by_tree"] == 0
    assert figures["floor_s"] > 0
    for name in ("yaml_load_c", "yaml_safe_load", "orbat_reading", "orbat_build", "orbat_check", "validate"):
        assert figures[f"{name}_s"] > 0, name
        assert figures[f"ratio_{name}_to_floor"] == pytest.approx(figures[f"{name}_s"] / figures["floor_s"]), name
    assert figures["as_of_dates"] == 5
    assert figures["changes_pairs"] == 3
    assert figures["as_of_ms_per_date"] > 0 and figures["changes_ms_per_pair"] > 0 and figures["report_s"] > 0
    assert "phases_note" not in figures  # load and validation measured apart
    assert set(figures["targets"]) == {"load_validate", "memory", "as_of_first", "as_of", "changes", "report"}
    assert figures["targets"]["as_of"]["limit"] == 1.0
    assert figures["targets"]["as_of_first"]["value"] == figures["as_of_first_s"]
    assert figures["targets"]["load_validate"]["limit"] == 2.0
    assert figures["targets"]["load_validate"]["value"] == figures["ratio_validate_to_floor"]
