"""``orbat validate --format auto`` (the default): GitHub annotations under GitHub Actions,
colour on a terminal, plain text otherwise."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

BAD = """\
vessels:
  - id: ramage
    name: USS Ramage
    hull: DDG-61
"""


@pytest.fixture
def bad_catalog(tmp_path: Path) -> Path:
    folder = tmp_path / "catalog"
    folder.mkdir()
    (folder / "ships.yaml").write_text(BAD, encoding="utf-8")
    return folder


def _env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("GITHUB_ACTIONS", "NO_COLOR")}
    env.update(extra)
    return env


def test_github_actions_gives_annotations(bad_catalog: Path) -> None:
    completed = subprocess.run(
        [sys.executable, "-m", "orbat", "validate", str(bad_catalog)],
        capture_output=True,
        text=True,
        encoding="utf-8",
        env=_env(GITHUB_ACTIONS="true"),
        timeout=120,
        check=False,
    )
    assert completed.returncode == 1
    lines = completed.stdout.splitlines()
    file = str(bad_catalog / "ships.yaml")
    assert lines == [
        f"::error file={file},line=2,col=5,title=orbat missing-field::vessel needs a 'navy' field",
    ]
    assert completed.stderr.strip() == "1 error(s), 0 warning(s)"


def test_plain_text_when_not_on_a_terminal(bad_catalog: Path) -> None:
    completed = subprocess.run(
        [sys.executable, "-m", "orbat", "validate", str(bad_catalog)],
        capture_output=True,
        text=True,
        encoding="utf-8",
        env=_env(),
        timeout=120,
        check=False,
    )
    assert completed.returncode == 1
    file = str(bad_catalog / "ships.yaml")
    assert completed.stdout.splitlines() == [f"{file}:2:5: error[missing-field]: vessel needs a 'navy' field"]
    assert "\033[" not in completed.stdout


@pytest.mark.skipif(sys.platform == "win32", reason="pseudo-terminals are POSIX only")
def test_colour_on_a_terminal(bad_catalog: Path) -> None:
    import pty

    leader, follower = pty.openpty()
    try:
        process = subprocess.Popen(
            [sys.executable, "-m", "orbat", "validate", str(bad_catalog)],
            stdout=follower,
            stderr=subprocess.DEVNULL,
            env=_env(),
        )
        os.close(follower)
        chunks = []
        while True:
            try:
                chunk = os.read(leader, 4096)
            except OSError:  # the terminal closed when the process ended
                break
            if not chunk:
                break
            chunks.append(chunk)
        assert process.wait(timeout=120) == 1
    finally:
        os.close(leader)
    output = b"".join(chunks).decode("utf-8")
    assert "\033[31merror[missing-field]\033[0m" in output
    assert "vessel needs a 'navy' field" in output
