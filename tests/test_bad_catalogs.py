"""The malformed-catalog corpus: every folder under ``fixtures/bad`` is a tiny catalog with one
intended problem (or a small intended set), and an ``expected.txt`` listing the problems exactly
as ``str(problem)`` renders them, with paths relative to the folder.

Each case is checked three ways: :func:`orbat.validate`, :func:`orbat.load` (which must raise one
:class:`CatalogError` and return nothing partial, unless the case has only warnings), and the real
``orbat validate`` command in a subprocess.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Iterable, Sequence
from pathlib import Path

import pytest

import orbat
import orbat._nodes
from orbat import Catalog, CatalogError, Problem
from orbat._pure import PureLoader

FIXTURES = Path(__file__).resolve().parent / "fixtures"
BAD = sorted(path for path in (FIXTURES / "bad").iterdir() if path.is_dir())
IDS = [path.name for path in BAD]

# At least one case of each of these problem codes must be in the corpus.
REQUIRED_CODES = frozenset(
    (
        "syntax",
        "duplicate-key",
        "unknown-field",
        "missing-field",
        "wrong-type",
        "ambiguous-value",
        "bad-value",
        "bad-date",
        "bad-count",
        "forbidden-tag",
        "alias-budget",
        "unknown-alias",
        "too-deep",
        "not-utf8",
        "empty-file",
        "multiple-documents",
        "duplicate-id",
        "unknown-reference",
        "cycle",
        "type-mismatch",
        "two-formations",
        "already-there",
        "after-decommissioning",
        "after-source",
        "over-precise",
        "quote-not-found",
        "missing-quote",
        "missing-source-text",
        "missing-citation",
        "sources-disagree",
        "bad-position",
        "position-outside",
        "bad-arrival",
        "misplaced-field",
        "duplicate-settings",
    )
)

# How an expected.txt line reads: file:line:column: severity[code]: message
LINE = re.compile(
    r"^(?P<file>[^:]+):(?P<line>\d+):(?P<column>\d+): (?P<severity>error|warning)\[(?P<code>[a-z0-9-]+)\]: "
    r"(?P<message>.+)$"
)


def relative(text: str, folder: Path) -> str:
    """``text`` with every path inside ``folder`` made relative to it, written with forward slashes."""
    text = text.replace(f"{folder}{os.sep}", "")
    return text.replace(os.sep, "/") if os.sep != "/" else text


def rendered(problems: Iterable[Problem], folder: Path) -> list[str]:
    """The problems as expected.txt writes them."""
    return [relative(str(problem), folder) for problem in problems]


def expected_lines(folder: Path) -> list[str]:
    return (folder / "expected.txt").read_text(encoding="utf-8").splitlines()


def expected_fields(folder: Path) -> list[dict[str, str | int]]:
    """Each expected line split into file, line, column, code, severity and message."""
    fields: list[dict[str, str | int]] = []
    for text in expected_lines(folder):
        match = LINE.match(text)
        assert match, f"{folder.name}/expected.txt: malformed line {text!r}"
        fields.append(
            {
                "file": match["file"],
                "line": int(match["line"]),
                "column": int(match["column"]),
                "code": match["code"],
                "severity": match["severity"],
                "message": match["message"],
            }
        )
    return fields


def has_errors(folder: Path) -> bool:
    return any(field["severity"] == "error" for field in expected_fields(folder))


def run_cli(args: Sequence[str], cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    """``python -m orbat`` with ``args``, outside GitHub Actions and without colour."""
    env = {key: value for key, value in os.environ.items() if key not in ("GITHUB_ACTIONS", "NO_COLOR")}
    env["NO_COLOR"] = "1"
    env["PYTHONIOENCODING"] = "utf-8"
    completed = subprocess.run(
        [sys.executable, "-m", "orbat", *args],
        capture_output=True,
        text=True,
        encoding="utf-8",
        env=env,
        cwd=cwd,
        timeout=120,
        check=False,
    )
    assert "Traceback" not in completed.stdout
    assert "Traceback" not in completed.stderr
    return completed


# --------------------------------------------------------------------------- the corpus itself


def test_every_required_code_has_a_case() -> None:
    codes = {str(field["code"]) for folder in BAD for field in expected_fields(folder)}
    assert not REQUIRED_CODES - codes, f"no case for: {sorted(REQUIRED_CODES - codes)}"


@pytest.mark.parametrize("folder", BAD, ids=IDS)
def test_case_folder_is_well_formed(folder: Path) -> None:
    assert (folder / "expected.txt").is_file()
    assert expected_fields(folder), "a bad case expects at least one problem"
    assert any(path.suffix in (".yaml", ".yml") for path in folder.rglob("*"))
    for field in expected_fields(folder):
        assert (folder / str(field["file"])).is_file()


def test_not_utf8_case_really_is_not_utf8() -> None:
    # Guards against an editor "fixing" the fixture by re-saving it as UTF-8.
    data = (FIXTURES / "bad" / "not-utf8" / "catalog.yaml").read_bytes()
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")


# --------------------------------------------------------------------------- the library


@pytest.mark.parametrize("folder", BAD, ids=IDS)
def test_validate_reports_exactly_the_expected_problems(folder: Path) -> None:
    result = orbat.validate(folder)
    assert rendered(result.problems, folder) == expected_lines(folder)
    if has_errors(folder):
        assert result.catalog is None
    else:
        assert result.catalog is not None
        assert result.errors == ()


@pytest.mark.parametrize("folder", BAD, ids=IDS)
def test_load_raises_with_every_problem_or_keeps_the_warnings(folder: Path) -> None:
    expected = expected_lines(folder)
    if not has_errors(folder):
        catalog = orbat.load(folder)
        assert rendered(catalog.warnings, folder) == expected
        assert all(not problem.is_error for problem in catalog.warnings)
        return
    loaded: Catalog | None = None
    with pytest.raises(CatalogError) as caught:
        loaded = orbat.load(folder)
    assert loaded is None  # nothing partial comes back
    assert rendered(caught.value.problems, folder) == expected
    errors = sum(1 for problem in caught.value.problems if problem.is_error)
    message = relative(str(caught.value), folder)
    assert message.startswith(f"{errors} error(s) in catalog:\n")
    assert message.splitlines()[1:] == expected


@pytest.mark.parametrize("folder", BAD, ids=IDS)
def test_pure_python_parser_reports_the_same_problems(folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Without libyaml the same problems are found at the same places; only the wording of a
    YAML syntax error comes from the parser and may differ."""
    monkeypatch.setattr(orbat._nodes, "_EventLoader", PureLoader)
    problems = orbat.validate(folder).problems
    expected = expected_fields(folder)
    assert [(p.location.line, p.location.column, p.code) for p in problems] == [
        (field["line"], field["column"], field["code"]) for field in expected
    ]
    for problem, field in zip(problems, expected, strict=True):
        if problem.code != "syntax":
            assert relative(problem.message, folder) == field["message"]


# --------------------------------------------------------------------------- the command line


@pytest.mark.parametrize("folder", BAD, ids=IDS)
def test_cli_validate_exits_1_on_errors_and_prints_every_problem(folder: Path) -> None:
    completed = run_cli(["validate", str(folder)])
    expected = expected_lines(folder)
    assert [relative(line, folder) for line in completed.stdout.splitlines()] == expected
    errors = sum(1 for field in expected_fields(folder) if field["severity"] == "error")
    assert completed.stderr.splitlines()[-1] == f"{errors} error(s), {len(expected) - errors} warning(s)"
    if errors:
        assert completed.returncode == 1
    else:
        assert completed.returncode == 0
        strict = run_cli(["validate", "--strict", str(folder)])
        assert strict.returncode == 1
        assert [relative(line, folder) for line in strict.stdout.splitlines()] == expected


@pytest.mark.parametrize("case", ["missing-citation", "sources-disagree-members", "duplicate-id-two-files"])
def test_cli_json_format(case: str) -> None:
    folder = FIXTURES / "bad" / case
    completed = run_cli(["validate", "--format", "json", "."], cwd=folder)
    assert completed.returncode == (1 if has_errors(folder) else 0)
    reported = json.loads(completed.stdout)
    assert isinstance(reported, list)
    for entry in reported:
        assert set(entry) == {"file", "line", "column", "code", "severity", "message"}
    assert reported == expected_fields(folder)


@pytest.mark.parametrize("case", ["missing-citation", "sources-disagree-members"])
def test_cli_github_format(case: str) -> None:
    folder = FIXTURES / "bad" / case
    completed = run_cli(["validate", "--format", "github", "."], cwd=folder)
    assert completed.returncode == (1 if has_errors(folder) else 0)
    assert completed.stdout.splitlines() == [
        f"::{field['severity']} file={field['file']},line={field['line']},col={field['column']},"
        f"title=orbat {field['code']}::{field['message']}"
        for field in expected_fields(folder)
    ]


@pytest.mark.skipif(os.name == "nt", reason="a Windows file name cannot hold ':'")
def test_cli_github_format_escapes_property_values(tmp_path: Path) -> None:
    # A ',' or ':' in a file name would end the property early, so the annotation escapes them.
    shutil.copytree(FIXTURES / "bad" / "missing-field", tmp_path / "fleet, 2025: draft")
    completed = run_cli(["validate", "--format", "github", "fleet, 2025: draft"], cwd=tmp_path)
    assert completed.returncode == 1
    assert completed.stdout.splitlines() == [
        "::error file=fleet%2C 2025%3A draft/catalog.yaml,line=2,col=5,title=orbat missing-field::"
        "vessel needs a 'navy' field"
    ]


def test_cli_missing_path_exits_2(tmp_path: Path) -> None:
    missing = tmp_path / "no-such-catalog"
    completed = run_cli(["validate", str(missing)])
    assert completed.returncode == 2
    assert completed.stdout == ""
    assert "no such file or folder" in completed.stderr
    assert str(missing) in completed.stderr
