"""The pre-commit hook, for real: ``pre-commit try-repo`` installs orbat from this working tree
into its own environment and runs ``orbat-validate`` in a catalog's repository.

pre-commit reads a hook repository from its git history, and ``try-repo`` adds only changes to
tracked files, so the working tree is first copied into a scratch repository and committed.
Installing orbat into pre-commit's environment needs its dependencies from the package index
(or pip's cache); both runs share one environment.
"""

from __future__ import annotations

import importlib.util
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
SKIPPED_DIRS = {".git", ".venv", ".mypy_cache", ".pytest_cache", ".ruff_cache", ".hypothesis", "build", "dist"}

pytestmark = pytest.mark.skipif(
    importlib.util.find_spec("pre_commit") is None,
    reason="pre-commit is not installed (it comes with the 'test' extra: pip install -e '.[test]')",
)

GOOD = """\
sources:
  - {id: register, title: Register of ships, publisher: Example Register}
vessels:
  - {id: ramage, name: USS Ramage, hull: DDG-61, navy: US, cite: register}
"""
BAD = """\
vessels:
  - {id: gravely, name: USS Gravely, hull: DDG-107, cite: register}
"""


def git(cwd: Path, *args: str) -> str:
    settings = ("user.name=orbat tests", "user.email=tests@orbat.invalid", "commit.gpgsign=false")
    command = ["git", *(part for setting in settings for part in ("-c", setting))]
    completed = subprocess.run(
        [*command, *args], cwd=cwd, capture_output=True, text=True, encoding="utf-8", timeout=120, check=False
    )
    assert completed.returncode == 0, f"git {' '.join(args)}: {completed.stderr}"
    return completed.stdout


def _working_tree_files() -> list[Path]:
    """The files of this working tree that git would commit, tracked or not (ignored ones left out)."""
    if (ROOT / ".git").exists() and shutil.which("git"):
        listed = git(ROOT, "ls-files", "--cached", "--others", "--exclude-standard", "-z").split("\0")
        return [ROOT / name for name in listed if name and (ROOT / name).is_file()]
    return [
        path
        for path in ROOT.rglob("*")
        if path.is_file() and not SKIPPED_DIRS & set(path.relative_to(ROOT).parts) and "__pycache__" not in path.parts
    ]


@pytest.fixture(scope="module")
def hook_repo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """This working tree, committed as a repository pre-commit can read hooks from."""
    if shutil.which("git") is None:
        pytest.fail("git is needed to test the pre-commit hook")
    copy = tmp_path_factory.mktemp("hook") / "orbat"
    for path in _working_tree_files():
        target = copy / path.relative_to(ROOT)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(path, target)
    git(copy, "init", "-q")
    git(copy, "add", "-A")
    git(copy, "commit", "-q", "-m", "orbat working tree")
    return copy


@pytest.fixture(scope="module")
def pre_commit_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("pre-commit-home")


def try_repo(hook_repo: Path, home: Path, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in ("GITHUB_ACTIONS", "PRE_COMMIT", "VIRTUAL_ENV")}
    env["PRE_COMMIT_HOME"] = str(home)
    command = ("try-repo", str(hook_repo), "orbat-validate", "--all-files", "--color=never")
    return subprocess.run(
        [sys.executable, "-m", "pre_commit", *command],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=600,
        check=False,
    )


def catalog_repo(folder: Path, files: dict[str, str]) -> Path:
    (folder / "catalog").mkdir(parents=True)
    for name, text in files.items():
        (folder / "catalog" / name).write_text(text, encoding="utf-8")
    (folder / "README.md").write_text("a catalog\n", encoding="utf-8")
    git(folder, "init", "-q")
    git(folder, "add", "-A")
    git(folder, "commit", "-q", "-m", "catalog")
    return folder


def test_hook_definition() -> None:
    (hook,) = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    assert hook["id"] == "orbat-validate"
    assert hook["entry"] == "orbat validate"
    assert hook["language"] == "python"
    # The whole catalog is validated: one file alone may refer to entries in others.
    assert hook["pass_filenames"] is False
    assert hook["args"] == ["catalog"]
    files = re.compile(hook["files"])
    assert files.search("catalog/events/2025-10.yaml") and files.search("places.yml")
    assert not files.search("README.md")


def test_hook_passes_a_good_catalog_and_fails_a_bad_one(hook_repo: Path, pre_commit_home: Path, tmp_path: Path) -> None:
    good = catalog_repo(tmp_path / "good", {"ships.yaml": GOOD})
    passed = try_repo(hook_repo, pre_commit_home, good)
    assert passed.returncode == 0, passed.stdout + passed.stderr
    assert "orbat validate" in passed.stdout and "Passed" in passed.stdout

    bad = catalog_repo(tmp_path / "bad", {"ships.yaml": GOOD, "more-ships.yaml": BAD})
    failed = try_repo(hook_repo, pre_commit_home, bad)
    assert failed.returncode == 1, failed.stdout + failed.stderr
    assert "Failed" in failed.stdout
    assert "catalog/more-ships.yaml:2:5: error[missing-field]: vessel needs a 'navy' field" in failed.stdout
    assert "1 error(s), 0 warning(s)" in failed.stdout
