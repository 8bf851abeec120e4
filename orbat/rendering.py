"""Turning results into text: problem reports (text, GitHub annotations, JSON) and tables."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable, Sequence

import attrs
import tabulate

from orbat.dates import PartialDate
from orbat.model import AircraftDetachment, Catalog, Unit, Vessel
from orbat.problems import Problem, Severity
from orbat.quantities import Quantity
from orbat.queries import AIRCRAFT_BREAKDOWNS, Change, ClaimCheck, Snapshot, Status, TimelineEntry, UnitState

__all__ = [
    "PROBLEM_FORMATS",
    "TABLE_FORMATS",
    "Table",
    "breakdown_table",
    "changes_table",
    "claims_table",
    "format_problems",
    "formation_tables",
    "personnel_table",
    "render_tables",
    "report_tables",
    "summary_table",
    "timeline_table",
]

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


# ---------------------------------------------------------------------------------------------
# Tables


@attrs.frozen(slots=True)
class Table:
    """A titled table of typed cells; rendered as text, CSV or JSON by :func:`render_tables`."""

    title: str
    headers: tuple[str, ...]
    rows: tuple[tuple[Cell, ...], ...]
    note: str | None = None


Cell = str | int | Quantity | PartialDate | None

TABLE_FORMATS = (*tabulate.tabulate_formats, "csv", "json")


def _text(cell: Cell) -> str:
    return "" if cell is None else str(cell)


def _json_cell(cell: Cell) -> object:
    if isinstance(cell, Quantity):
        return cell.to_json()
    if isinstance(cell, PartialDate):
        return cell.isoformat()
    return cell


def _key(header: str) -> str:
    return header.lower().replace(" ", "_")


def render_tables(tables: Sequence[Table], fmt: str = "simple") -> str:
    """Tables as text in any tabulate format, or as ``csv`` or ``json``."""
    if fmt == "json":
        return json.dumps(
            [
                {
                    "title": t.title,
                    "note": t.note,
                    "rows": [{_key(h): _json_cell(c) for h, c in zip(t.headers, row, strict=True)} for row in t.rows],
                }
                for t in tables
            ],
            indent=2,
        )
    if fmt == "csv":
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        for table in tables:
            writer.writerow(["table", *table.headers])
            for row in table.rows:
                writer.writerow([table.title, *(_text(c) for c in row)])
        return out.getvalue().rstrip("\n")
    if fmt not in tabulate.tabulate_formats:
        raise ValueError(f"unknown format {fmt!r}; use csv, json or one of: {', '.join(tabulate.tabulate_formats)}")
    parts = []
    for table in tables:
        body = tabulate.tabulate(
            [[_text(c) for c in row] for row in table.rows], table.headers, tablefmt=fmt, disable_numparse=True
        )
        parts.append("\n".join(filter(None, [f"{table.title}", table.note and f"({table.note})", body])))
    return "\n\n".join(parts)


def _sources(state: UnitState) -> str:
    """The sources of the events that gave the unit its current status."""
    current = [c.source for e in state.events if e.date == state.since for c in e.citations]
    return ", ".join(dict.fromkeys(current)) or ", ".join(state.sources)


def _label(unit: Unit) -> str:
    return unit.name if isinstance(unit, Vessel | AircraftDetachment) else unit.label


def _place_name(catalog: Catalog, place_id: str | None) -> str | None:
    place = catalog.places.get(place_id) if place_id else None
    return place.name if place else place_id


def _where(snap: Snapshot) -> str:
    where = f" in {_place_name(snap.catalog, snap.region)}" if snap.region else ""
    return f"as of {snap.date.isoformat()}{where}"


def summary_table(snap: Snapshot) -> Table:
    """Headline totals: vessels, aircraft and personnel present, each with its uncertainty."""
    ordered = [s for s in snap.states if s.status in (Status.ORDERED, Status.EXPECTED, Status.EN_ROUTE)]
    rows: list[tuple[Cell, ...]] = [
        ("vessels present", snap.vessels()),
        ("aircraft present (detachments ashore)", snap.aircraft()),
        ("personnel (formation figures)", snap.total_personnel()),
        ("units ordered, expected or en route", len(ordered)),
    ]
    return Table(f"Deployment {_where(snap)}", ("measure", "count"), tuple(rows), snap.note)


def breakdown_table(snap: Snapshot, by: str) -> Table:
    """Units present, broken down by ``by`` (see :data:`orbat.queries.BREAKDOWNS`), with the total."""
    names: dict[str, str] = {}
    if by == "type":
        names = {t.id: t.name for t in snap.catalog.ship_types.values()}
    elif by == "formation":
        names = {f.id: f.name for f in snap.catalog.formations.values()}
    elif by in ("location", "base"):
        names = {p.id: p.name for p in snap.catalog.places.values()}
    elif by == "aircraft-type":
        names = {t.id: t.name for t in snap.catalog.aircraft_types.values()}
    parts = snap.breakdown(by)
    rows: list[tuple[Cell, ...]] = [(key, names.get(key, ""), count) for key, count in parts.items()]
    measure = "aircraft" if by in AIRCRAFT_BREAKDOWNS else "vessels"
    rows.append(("total", "", snap.aircraft() if measure == "aircraft" else snap.vessels()))
    return Table(f"{measure.capitalize()} present by {by} {_where(snap)}", (by, "name", "count"), tuple(rows))


def _unit_row(snap: Snapshot, state: UnitState) -> tuple[Cell, ...]:
    unit = state.unit
    hull = unit.hull if isinstance(unit, Vessel) else None
    klass = unit.class_name if isinstance(unit, Vessel) else unit.type
    status = state.status.value + ("" if state.certain else " (uncertain)")
    place = _place_name(snap.catalog, state.place)
    if state.status is Status.DEPARTED and place:
        place = f"from {place}"
    return (_label(unit), hull, klass, state.count, status, place, state.since, _sources(state))


UNIT_HEADERS = ("name", "hull", "class", "count", "status", "place", "since", "sources")


def formation_tables(snap: Snapshot) -> list[Table]:
    """One table per outermost formation (nested formations rolled up), then units in none."""
    catalog = snap.catalog
    tables = []
    groups = snap.by_outermost_formation()
    for formation in catalog.formations.values():
        members = groups.get(formation.id) if formation.parent is None else None
        if members:
            rows = tuple(_unit_row(snap, s) for s in members)
            tables.append(Table(f"{formation.name} {_where(snap)}", UNIT_HEADERS, rows))
    rest = groups.get(None)
    if rest:
        rows = tuple(_unit_row(snap, s) for s in rest)
        tables.append(Table(f"Units in no formation {_where(snap)}", UNIT_HEADERS, rows))
    return tables


def personnel_table(snap: Snapshot) -> Table:
    """Personnel figures by formation, each with its sources."""
    rows = []
    for figure in snap.personnel():
        sources = ", ".join(dict.fromkeys(c.source for f in figure.figures for c in f.citations))
        rows.append((snap.catalog.formations[figure.formation].name, figure.count, sources))
    return Table(f"Personnel {_where(snap)}", ("formation", "personnel", "sources"), tuple(rows))


def report_tables(snap: Snapshot) -> list[Table]:
    """The main report: headline totals, breakdown by type, personnel, a table per formation."""
    return [
        summary_table(snap),
        breakdown_table(snap, "type"),
        breakdown_table(snap, "aircraft-type"),
        personnel_table(snap),
        *formation_tables(snap),
    ]


def changes_table(found: Sequence[Change], catalog: Catalog, start: str, end: str) -> Table:
    """Changes between two dates, each dated and cited."""
    rows = []
    for change in found:
        before, after = change.before, change.after
        sources = ", ".join(dict.fromkeys(c.source for e in change.events for c in e.citations))
        rows.append(
            (
                change.date,
                _label(change.unit),
                ", ".join(change.kinds),
                _state_text(catalog, before),
                _state_text(catalog, after),
                sources,
            )
        )
    return Table(
        f"Changes from {start} to {end}", ("date", "unit", "change", "before", "after", "sources"), tuple(rows)
    )


def _state_text(catalog: Catalog, state: UnitState | None) -> str:
    if state is None:
        return ""
    place = _place_name(catalog, state.place)
    parts = [state.status.value + ("" if state.certain else "?")]
    if place:
        parts.append(place)
    if state.formation:
        parts.append(f"[{state.formation}]")
    if state.count != Quantity.exact(1):
        parts.append(f"x{state.count}")
    return " ".join(parts)


def timeline_table(entries: Sequence[TimelineEntry]) -> Table:
    """The deployment's totals on each reported day."""
    rows = [
        (
            e.date.isoformat(),
            e.vessels,
            e.aircraft,
            e.personnel,
            "; ".join(f"{_label(c.unit)} {'/'.join(c.kinds)}" for c in e.changes),
        )
        for e in entries
    ]
    return Table("Timeline", ("date", "vessels", "aircraft", "personnel", "changes"), tuple(rows))


def claims_table(checks: Sequence[ClaimCheck]) -> Table:
    """Reported claims against the catalog's own figures, with disagreeing reports side by side."""
    rows = []
    for check in checks:
        sources = ", ".join(c.source for c in check.claim.citations)
        others = "; ".join(f"{o.id}: {f.count}" for o, f in check.others)
        rows.append(
            (
                check.claim.as_of,
                check.claim.scope,
                check.figure.what,
                check.figure.count,
                check.catalog_count,
                check.verdict.value,
                check.reason,
                sources,
                others,
            )
        )
    return Table(
        "Reported claims against the catalog",
        ("as of", "scope", "what", "reported", "catalog", "verdict", "why", "sources", "other reports"),
        tuple(rows),
    )
