"""docs/tutorial.md stays true: every command and every Python example in it is run, and its output
must be exactly what the tutorial shows.

The tutorial's conventions, checked here:

- A ```console block holds one or more commands, each on a line ``$ orbat ...``, each followed by
  its output: standard output, then standard error. A command that exits with a status other than 0
  ends its output with a line ``[exit status N]``. Commands run without a shell (no pipes or
  redirections), as ``python -m orbat`` from the repository root.
- A ```python block is followed by a ```text block holding exactly what the code prints. Each block
  runs on its own, from the repository root.
- No other kind of code block appears, so nothing in the tutorial goes untested.
"""

from __future__ import annotations

import contextlib
import io
import os
import re
import shlex
import subprocess
import sys
from pathlib import Path

import attrs
import pytest

ROOT = Path(__file__).resolve().parent.parent
TUTORIAL = ROOT / "docs" / "tutorial.md"

FENCE = re.compile(r"^```([A-Za-z0-9_-]*)\s*$")
EXIT_STATUS = re.compile(r"^\[exit status (\d+)\]$")
SHELL_SYNTAX = frozenset(("|", "||", "&&", ";", ">", ">>", "<", "2>", "2>&1", "&"))
KINDS = ("console", "python", "text")


@attrs.frozen
class Block:
    """A fenced code block: its language, its lines, and the line of the tutorial it starts on."""

    lang: str
    lines: tuple[str, ...]
    line: int


@attrs.frozen
class Command:
    """One ``$ orbat ...`` line of a console block and the output shown under it."""

    args: tuple[str, ...]
    output: str
    status: int
    line: int

    @property
    def id(self) -> str:
        return f"line {self.line}: {shlex.join(self.args)}"


@attrs.frozen
class Example:
    """A Python block and the text block that follows it."""

    source: str
    output: str
    line: int

    @property
    def id(self) -> str:
        return f"line {self.line}"


def blocks(text: str) -> list[Block]:
    """Every fenced code block of ``text``, in order."""
    found: list[Block] = []
    lang: str | None = None
    start = 0
    body: list[str] = []
    for number, line in enumerate(text.splitlines(), start=1):
        fence = FENCE.match(line)
        if lang is None:
            if fence:
                lang, start, body = fence.group(1), number, []
        elif fence and not fence.group(1):
            found.append(Block(lang, tuple(body), start))
            lang = None
        else:
            body.append(line)
    assert lang is None, f"the code block opened on line {start} is never closed"
    return found


def commands(block: Block) -> list[Command]:
    """The commands of a console block, each with the output shown under it."""
    assert block.lines and block.lines[0].startswith("$ "), f"line {block.line}: a console block starts with '$ '"
    found: list[Command] = []
    current: tuple[list[str], int] | None = None
    output: list[str] = []

    def close() -> None:
        if current is None:
            return
        args, line = current
        status = 0
        if output and (last := EXIT_STATUS.match(output[-1])):
            status = int(last.group(1))
            del output[-1]
        found.append(Command(tuple(args), "\n".join(output), status, line))

    for offset, line in enumerate(block.lines, start=1):
        if line.startswith("$ "):
            close()
            args = shlex.split(line[2:])
            assert args[:1] == ["orbat"], f"line {block.line + offset}: only orbat commands are run"
            assert not SHELL_SYNTAX & set(args), f"line {block.line + offset}: commands run without a shell"
            current, output = (args, block.line + offset), []
        else:
            output.append(line)
    close()
    return found


def examples(all_blocks: list[Block]) -> list[Example]:
    """Each Python block with the text block that follows it."""
    found = []
    for n, block in enumerate(all_blocks):
        if block.lang != "python":
            continue
        following = all_blocks[n + 1] if n + 1 < len(all_blocks) else None
        assert following is not None and following.lang == "text", (
            f"line {block.line}: a python block must be followed by a text block with its output"
        )
        found.append(Example("\n".join(block.lines) + "\n", "\n".join(following.lines), block.line))
    return found


def tutorial_blocks() -> list[Block]:
    return blocks(TUTORIAL.read_text(encoding="utf-8"))


def tutorial_commands() -> list[Command]:
    return [c for b in tutorial_blocks() if b.lang == "console" for c in commands(b)]


def tutorial_examples() -> list[Example]:
    return examples(tutorial_blocks())


def run_command(args: tuple[str, ...]) -> tuple[str, int]:
    """Run ``orbat ARGS`` as ``python -m orbat`` from the repository root: (stdout + stderr, status)."""
    env = {k: v for k, v in os.environ.items() if k not in ("GITHUB_ACTIONS", "FORCE_COLOR")}
    env.update(NO_COLOR="1", PYTHONIOENCODING="utf-8")
    done = subprocess.run(
        [sys.executable, "-m", "orbat", *args[1:]],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=120,
        check=False,
    )
    return (done.stdout + done.stderr).rstrip("\n"), done.returncode


def run_example(source: str, line: int) -> str:
    """Run a Python example from the repository root; what it printed."""
    out = io.StringIO()
    cwd = Path.cwd()
    os.chdir(ROOT)
    try:
        with contextlib.redirect_stdout(out):
            exec(compile(source, f"{TUTORIAL}:{line}", "exec"), {"__name__": "__tutorial__"})
    finally:
        os.chdir(cwd)
    return out.getvalue().rstrip("\n")


COMMANDS = tutorial_commands()
EXAMPLES = tutorial_examples()


def test_the_tutorial_has_only_tested_blocks() -> None:
    all_blocks = tutorial_blocks()
    assert {b.lang for b in all_blocks} <= set(KINDS), [(b.line, b.lang) for b in all_blocks if b.lang not in KINDS]
    text_blocks = [n for n, b in enumerate(all_blocks) if b.lang == "text"]
    assert all(n > 0 and all_blocks[n - 1].lang == "python" for n in text_blocks), "a text block follows python"
    assert len(COMMANDS) >= 5 and len(EXAMPLES) >= 5


@pytest.mark.parametrize("command", COMMANDS, ids=[c.id for c in COMMANDS])
def test_command_output_is_as_shown(command: Command) -> None:
    output, status = run_command(command.args)
    assert (output, status) == (command.output, command.status)


@pytest.mark.parametrize("example", EXAMPLES, ids=[e.id for e in EXAMPLES])
def test_python_output_is_as_shown(example: Example) -> None:
    assert run_example(example.source, example.line) == example.output


# The parser itself, on small samples.


def test_parser_reads_commands_outputs_and_exit_status() -> None:
    sample = "\n".join(
        [
            "```console",
            "$ orbat validate catalog --strict",
            "warning one",
            "0 error(s), 1 warning(s)",
            "[exit status 1]",
            "$ orbat table --as-of '2025-11-04' --by type",
            "```",
        ]
    )
    [block] = blocks(sample)
    assert commands(block) == [
        Command(("orbat", "validate", "catalog", "--strict"), "warning one\n0 error(s), 1 warning(s)", 1, 2),
        Command(("orbat", "table", "--as-of", "2025-11-04", "--by", "type"), "", 0, 6),
    ]


@pytest.mark.parametrize("line", ["$ orbat claims | head", "$ ls catalog", "$ orbat report > out.txt"])
def test_parser_refuses_shells_and_other_programs(line: str) -> None:
    with pytest.raises(AssertionError):
        commands(Block("console", (line,), 1))


def test_parser_pairs_python_with_text() -> None:
    sample = "```python\nprint(1)\n```\n\nprose\n\n```text\n1\n```\n"
    assert examples(blocks(sample)) == [Example("print(1)\n", "1", 1)]
    with pytest.raises(AssertionError):
        examples(blocks("```python\nprint(1)\n```\n"))
    with pytest.raises(AssertionError):
        blocks("```python\nprint(1)\n")
