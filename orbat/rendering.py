"""Turning results into text: problem reports (text, GitHub annotations, JSON) and tables."""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence

from orbat.problems import Problem, Severity

__all__ = ["PROBLEM_FORMATS", "format_problems"]

PROBLEM_FORMATS = ("text", "colour", "github", "json")

_COLOURS = {Severity.ERROR: "\033[31m", Severity.WARNING: "\033[33m"}


def _github_escape(text: str, property_value: bool = False) -> str:
    text = text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    if property_value:
        text = text.replace(":", "%3A").replace(",", "%2C")
    return text


def _github(problem: Problem) -> str:
    level = "error" if problem.is_error else "warning"
    where = problem.location
    return (
        f"::{level} file={_github_escape(where.file, True)},line={where.line},col={where.column},"
        f"title={_github_escape(f'orbat {problem.code}', True)}::{_github_escape(problem.message)}"
    )


def _colour(problem: Problem) -> str:
    colour = _COLOURS[problem.severity]
    return (
        f"\033[1m{problem.location}\033[0m: {colour}{problem.severity.value}[{problem.code}]\033[0m: {problem.message}"
    )


def format_problems(problems: Sequence[Problem], fmt: str) -> str:
    """``problems`` as one text: ``text`` (file:line:col: error[code]: message), ``colour``,
    ``github`` (workflow-command annotations) or ``json`` (a list of objects)."""
    if fmt == "json":
        return json.dumps(
            [
                {
                    "file": p.location.file,
                    "line": p.location.line,
                    "column": p.location.column,
                    "code": p.code,
                    "severity": p.severity.value,
                    "message": p.message,
                }
                for p in problems
            ],
            indent=2,
        )
    renderers: dict[str, Callable[[Problem], str]] = {"text": str, "colour": _colour, "github": _github}
    render = renderers[fmt]
    return "\n".join(render(p) for p in problems)
