"""Columns of the tabular exports: dates as days with their precision, and CSV cells."""

from __future__ import annotations

from orbat.dates import PartialDate

__all__ = ["csv_cell", "date_columns"]


def date_columns(prefix: str, date: PartialDate | None) -> dict[str, object]:
    """A date as its first and last possible day (ISO), its precision and its "about"."""
    if date is None:
        return dict.fromkeys(f"{prefix}_{part}" for part in ("start", "end", "precision", "approximate"))
    return {
        f"{prefix}_start": date.start.isoformat(),
        f"{prefix}_end": date.end.isoformat(),
        f"{prefix}_precision": date.precision.name.lower(),
        f"{prefix}_approximate": date.approximate,
    }


def csv_cell(value: object) -> str:
    """A value as CSV text: nothing for None, true/false, a list joined by ``; ``."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return "; ".join(str(v) for v in value)
    return str(value)
