"""Partial and concurrent work on the files of a catalog: each case gives a located error or a
documented skip (docs/reliability.md), never a crash.

Unreadable files and folders are simulated where the tests run as root (root reads anything).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import pytest
from test_fuzz import check_clear_answer, cli_in_process

import orbat
import orbat.loading
from orbat import LoadResult, Problem, Severity

FIXTURES = Path(__file__).resolve().parent / "fixtures"
MINIMAL = FIXTURES / "good" / "minimal" / "catalog.yaml"
PLACE = "places:\n  - {id: elsewhere, name: Elsewhere, kind: sea}\n"
ROOT_READS_ANYTHING = hasattr(os, "geteuid") and os.geteuid() == 0
needs_links = pytest.mark.skipif(os.name == "nt", reason="symbolic links need privileges on Windows")


@pytest.fixture
def catalog(tmp_path: Path) -> Path:
    """A valid catalog folder: one vessel."""
    folder = tmp_path / "catalog"
    folder.mkdir()
    shutil.copy(MINIMAL, folder / "catalog.yaml")
    return folder


def problems_of(result: LoadResult, code: str) -> list[Problem]:
    return [problem for problem in result.problems if problem.code == code]


def located_at_start(problem: Problem, path: Path) -> None:
    assert (problem.location.file, problem.location.line, problem.location.column) == (str(path), 1, 1)


def check(paths: Any) -> LoadResult:
    """Validate and load (with both parsers), and the command line, without a crash."""
    result = check_clear_answer(paths)
    code, out, err = cli_in_process(["validate", "--format", "text", str(paths)])
    assert code == (1 if result.errors else 0), (out, err)
    assert "Traceback" not in out + err
    for problem in result.problems:
        assert str(problem) in out
    return result


# --------------------------------------------------------------------------- unreadable


@pytest.mark.skipif(os.name == "nt", reason="chmod does not take read permission away on Windows")
@pytest.mark.skipif(ROOT_READS_ANYTHING, reason="running as root, which reads any file whatever its mode")
def test_unreadable_file_is_a_located_error(catalog: Path) -> None:
    path = catalog / "secret.yaml"
    path.write_text(PLACE, encoding="utf-8")
    path.chmod(0)
    try:
        (problem,) = problems_of(check(catalog), "unreadable-file")
    finally:
        path.chmod(0o644)
    located_at_start(problem, path)
    assert "Permission denied" in problem.message


def _refuse(paths: Iterable[Path], error: type[OSError], strerror: str) -> Any:
    """A stand-in for Path.open that fails for ``paths`` as the system would."""
    refused = {str(path) for path in paths}
    real_open = Path.open

    def open_(self: Path, *args: Any, **kwargs: Any) -> Any:
        if str(self) in refused:
            raise error(13 if error is PermissionError else 5, strerror, str(self))
        return real_open(self, *args, **kwargs)

    return open_


@pytest.mark.parametrize(
    ("error", "strerror"),
    [(PermissionError, "Permission denied"), (OSError, "Input/output error")],
    ids=["permission", "io-error"],
)
def test_a_file_that_cannot_be_read_is_a_located_error(
    catalog: Path, monkeypatch: pytest.MonkeyPatch, error: type[OSError], strerror: str
) -> None:
    path = catalog / "secret.yaml"
    path.write_text(PLACE, encoding="utf-8")
    monkeypatch.setattr(Path, "open", _refuse([path], error, strerror))
    result = check(catalog)
    (problem,) = result.errors
    assert problem.code == "unreadable-file"
    located_at_start(problem, path)
    assert strerror in problem.message
    assert result.catalog is None  # nothing half-loaded: the vessel beside it is not returned either


def test_an_unreadable_folder_is_a_located_error_not_a_silent_gap(
    catalog: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    hidden = catalog / "more"
    hidden.mkdir()
    (hidden / "places.yaml").write_text(PLACE, encoding="utf-8")
    real_scandir = os.scandir

    def scandir(path: Any = ".") -> Any:
        if os.fspath(path) == str(hidden):
            raise PermissionError(13, "Permission denied", os.fspath(path))
        return real_scandir(path)

    monkeypatch.setattr(os, "scandir", scandir)
    (problem,) = problems_of(check(catalog), "unreadable-file")
    located_at_start(problem, hidden)
    assert "cannot read the folder (Permission denied)" in problem.message


# --------------------------------------------------------------------------- concurrent changes


def test_a_file_deleted_between_listing_and_reading_is_a_located_error(
    catalog: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    doomed = catalog / "doomed.yaml"
    doomed.write_text(PLACE, encoding="utf-8")
    real_catalog_files = orbat.loading.catalog_files

    def listed_then_deleted(paths: Iterable[Any], problems: list[Problem] | None = None) -> list[Path]:
        files = real_catalog_files(paths, problems)
        if doomed in files:
            doomed.unlink()
        return files

    monkeypatch.setattr(orbat.loading, "catalog_files", listed_then_deleted)
    result = orbat.validate(catalog)
    (problem,) = result.errors
    assert problem.code == "unreadable-file"
    located_at_start(problem, doomed)
    assert "No such file or directory" in problem.message


def test_a_file_replaced_by_a_folder_between_listing_and_reading_is_a_located_error(
    catalog: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    changing = catalog / "changing.yaml"
    changing.write_text(PLACE, encoding="utf-8")
    real_catalog_files = orbat.loading.catalog_files

    def listed_then_replaced(paths: Iterable[Any], problems: list[Problem] | None = None) -> list[Path]:
        files = real_catalog_files(paths, problems)
        if changing in files:
            changing.unlink()
            changing.mkdir()
        return files

    monkeypatch.setattr(orbat.loading, "catalog_files", listed_then_replaced)
    (problem,) = orbat.validate(catalog).errors
    assert problem.code == "unreadable-file"
    located_at_start(problem, changing)


def test_a_file_being_written_is_read_as_it_stands(catalog: Path) -> None:
    """A half-written file (cut anywhere) gives a located error, or loads as far as it goes."""
    whole = (FIXTURES / "good" / "every-section" / "catalog.yaml").read_bytes()
    shutil.copytree(FIXTURES / "good" / "every-section" / "texts", catalog / "texts")
    (catalog / "catalog.yaml").unlink()
    for cut in range(0, len(whole), max(1, len(whole) // 40)):
        (catalog / "catalog.yaml").write_bytes(whole[:cut])
        check_clear_answer(catalog)


# --------------------------------------------------------------------------- links


@needs_links
def test_a_link_loop_is_a_located_error(catalog: Path) -> None:
    (catalog / "self.yaml").symlink_to("self.yaml")
    (catalog / "ping.yaml").symlink_to("pong.yaml")
    (catalog / "pong.yaml").symlink_to("ping.yaml")
    result = check(catalog)
    errors = problems_of(result, "unreadable-file")
    assert [Path(p.location.file).name for p in errors] == ["ping.yaml", "pong.yaml", "self.yaml"]
    for problem in errors:
        assert problem.location.line == problem.location.column == 1
        assert "symbolic links" in problem.message


@needs_links
def test_a_dangling_link_is_a_located_error(catalog: Path) -> None:
    (catalog / "gone.yaml").symlink_to("never-written.yaml")
    (problem,) = check(catalog).errors
    assert problem.code == "unreadable-file"
    located_at_start(problem, catalog / "gone.yaml")


@needs_links
def test_a_folder_link_loop_is_not_followed(catalog: Path) -> None:
    (catalog / "sub").mkdir()
    (catalog / "sub" / "back").symlink_to("..", target_is_directory=True)
    (catalog / "sub" / "itself").symlink_to(".", target_is_directory=True)
    result = check(catalog)
    assert result.problems == ()
    assert result.catalog is not None and set(result.catalog.vessels) == {"ramage"}


@needs_links
def test_a_folder_link_is_skipped(catalog: Path, tmp_path: Path) -> None:
    """Documented: links to folders are not followed, inside the catalog folder or out of it."""
    other = tmp_path / "other"
    other.mkdir()
    (other / "places.yaml").write_text(PLACE, encoding="utf-8")
    (catalog / "linked").symlink_to(other, target_is_directory=True)
    (catalog / "linked.yaml").symlink_to(other, target_is_directory=True)  # named like a file, even
    result = check(catalog)
    assert result.problems == ()
    assert result.catalog is not None and "elsewhere" not in result.catalog.places
    # Named directly, the linked folder is read.
    assert "elsewhere" in orbat.load(catalog / "linked").places


@needs_links
def test_a_file_outside_the_catalog_reached_through_a_link_is_skipped_with_a_warning(
    catalog: Path, tmp_path: Path
) -> None:
    outside = tmp_path / "outside.yaml"
    outside.write_text(PLACE, encoding="utf-8")
    link = catalog / "borrowed.yaml"
    link.symlink_to(outside)
    result = check(catalog)
    (problem,) = result.problems
    assert (problem.code, problem.severity) == ("outside-catalog", Severity.WARNING)
    located_at_start(problem, link)
    assert str(outside) in problem.message
    assert result.catalog is not None and "elsewhere" not in result.catalog.places
    # A link that stays inside the catalog is read like any file.
    inside = catalog / "places.yaml"
    inside.write_text(PLACE, encoding="utf-8")
    link.unlink()
    link.symlink_to(inside.name)
    duplicated = orbat.validate(catalog)
    assert [p.code for p in duplicated.errors] == ["duplicate-id"]  # the same place, read twice


# --------------------------------------------------------------------------- odd names


def test_a_folder_named_like_a_yaml_file_is_searched_not_read(catalog: Path) -> None:
    folder = catalog / "ports.yaml"
    folder.mkdir()
    (folder / "places.yml").write_text(PLACE, encoding="utf-8")
    (catalog / "empty.yaml").mkdir()
    result = check(catalog)
    assert result.problems == ()
    assert result.catalog is not None and "elsewhere" in result.catalog.places
    named = check(folder)  # named directly, it is a folder to search as well
    assert named.catalog is not None and "elsewhere" in named.catalog.places


def test_hidden_files_and_folders_are_skipped(catalog: Path) -> None:
    (catalog / ".draft.yaml").write_text("this: [is not read", encoding="utf-8")
    (catalog / ".git").mkdir()
    (catalog / ".git" / "config.yaml").write_text("nor: [this", encoding="utf-8")
    assert check(catalog).problems == ()


def test_a_named_path_that_is_not_there_exits_2(tmp_path: Path) -> None:
    missing = tmp_path / "nowhere"
    with pytest.raises(FileNotFoundError):
        orbat.validate(missing)
    code, out, err = cli_in_process(["validate", str(missing)])
    assert (code, out) == (2, "")
    assert "no such file or folder" in err


def test_a_named_folder_that_is_empty_loads_as_an_empty_catalog(tmp_path: Path) -> None:
    result = check(tmp_path)
    assert result.problems == ()
    assert result.catalog is not None and result.catalog.vessels == {}


def _not_utf8_name(folder: Path) -> Path | None:
    """A file in ``folder`` whose name is not UTF-8, where the file system allows one."""
    try:
        name = os.fsdecode(b"\xff-places.yaml")
        path = folder / name
        path.write_text("places: [x]\n", encoding="utf-8")
    except (OSError, UnicodeError):
        return None
    return path


def test_a_file_name_that_is_not_utf8_is_reported_without_a_traceback(tmp_path: Path) -> None:
    path = _not_utf8_name(tmp_path)
    if path is None:
        pytest.skip("this file system refuses names that are not UTF-8")
    (problem,) = orbat.validate(tmp_path).errors  # the library is fine: the file is read and located
    assert problem.location.file == str(path)
    env = {key: value for key, value in os.environ.items() if key != "GITHUB_ACTIONS"}
    env["PYTHONIOENCODING"] = "utf-8"
    completed = subprocess.run(
        [sys.executable, "-m", "orbat", "validate", "--format", "text", str(tmp_path)],
        capture_output=True,
        env=env,
        timeout=120,
        check=False,
    )
    assert b"Traceback" not in completed.stderr
    assert completed.returncode == 1
    assert b"-places.yaml:1:10: error[wrong-type]" in completed.stdout
