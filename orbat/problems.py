"""Problems found in a catalog, kept as data: where, what, how bad, and how to fix it."""

from __future__ import annotations

import enum
from collections.abc import Iterable

import attrs

__all__ = ["CatalogError", "Location", "Problem", "Severity"]


class Severity(enum.Enum):
    """Errors make a catalog unusable; warnings flag what a reader should know (disagreeing sources)."""

    ERROR = "error"
    WARNING = "warning"


@attrs.frozen(slots=True)
class Location:
    """A place in a catalog file: 1-based line and column."""

    file: str
    line: int = 1
    column: int = 1

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.column}"


@attrs.frozen(slots=True)
class Problem:
    """One located problem with a stable ``code`` and a message that says what to do."""

    location: Location
    code: str
    message: str
    severity: Severity = Severity.ERROR

    @property
    def is_error(self) -> bool:
        """True for problems that make the catalog fail to load."""
        return self.severity is Severity.ERROR

    def sort_key(self) -> tuple[str, int, int, str]:
        """Orders problems by file, line, column and code."""
        return (self.location.file, self.location.line, self.location.column, self.code)

    def __str__(self) -> str:
        return f"{self.location}: {self.severity.value}[{self.code}]: {self.message}"


class CatalogError(Exception):
    """A catalog that could not be loaded, with every problem found in it."""

    def __init__(self, problems: Iterable[Problem]) -> None:
        self.problems: tuple[Problem, ...] = tuple(sorted(problems, key=Problem.sort_key))
        errors = sum(1 for p in self.problems if p.is_error)
        lines = "\n".join(str(p) for p in self.problems)
        super().__init__(f"{errors} error(s) in catalog:\n{lines}")
