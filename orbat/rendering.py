"""Turning results into text: problem reports (text, GitHub annotations, JSON) and tables."""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Callable, Sequence

import attrs
import tabulate

from orbat.claims import ClaimCheck
from orbat.dates import InvalidDate, PartialDate, parse_date
from orbat.model import AircraftDetachment, Catalog, Unit, Vessel
from orbat.problems import Problem, Severity
from orbat.quantities import Quantity
from orbat.queries import AIRCRAFT_BREAKDOWNS, Change, Snapshot, TimelineEntry, UnitState
from orbat.report import FigureRow, Report, ReportedCount, Row, date_text

__all__ = [
    "PROBLEM_FORMATS",
    "TABLE_FORMATS",
    "Table",
    "breakdown_table",
    "changes_table",
    "claims_table",
    "format_problems",
    "headline_lines",
    "render_report",
    "render_tables",
    "report_tables",
    "table_csv",
    "table_name",
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


def _csv_columns(table: Table) -> tuple[list[str], list[list[str]]]:
    """A table's header and cells for CSV: a column of counts becomes ``_low``, ``_high``,
    ``_high_open`` and ``_approximate`` (an open high end is the low end, flagged), a column of
    dates ``_start``, ``_end``, ``_precision`` and ``_approximate`` (ISO days): numbers and days,
    never text such as "about 90" or "~2025-10-31"."""
    headers: list[str] = []
    columns: list[list[str]] = []
    for n, header in enumerate(table.headers):
        cells = [row[n] for row in table.rows]
        if any(isinstance(c, Quantity) for c in cells):
            quantities = [Quantity.exact(c) if isinstance(c, int) else c for c in cells]
            headers += [f"{_key(header)}_{part}" for part in ("low", "high", "high_open", "approximate")]
            columns += [
                [str(q.low) if isinstance(q, Quantity) else _text(q) for q in quantities],
                [str(q.low if q.high is None else q.high) if isinstance(q, Quantity) else _text(q) for q in quantities],
                [_bool(q.high is None) if isinstance(q, Quantity) else _text(q) for q in quantities],
                [_bool(q.approximate) if isinstance(q, Quantity) else _text(q) for q in quantities],
            ]
        elif any(isinstance(c, PartialDate) for c in cells):
            dates = [_as_date(c) for c in cells]
            headers += [f"{_key(header)}_{part}" for part in ("start", "end", "precision", "approximate")]
            columns += [
                [d.start.isoformat() if isinstance(d, PartialDate) else _text(d) for d in dates],
                [d.end.isoformat() if isinstance(d, PartialDate) else _text(d) for d in dates],
                [d.precision.name.lower() if isinstance(d, PartialDate) else _text(d) for d in dates],
                [_bool(d.approximate) if isinstance(d, PartialDate) else _text(d) for d in dates],
            ]
        else:
            headers.append(header)
            columns.append([_text(c) for c in cells])
    return headers, [list(row) for row in zip(*columns, strict=True)] if columns else []


def _as_date(cell: Cell) -> Cell:
    """A date given as text in a column of dates, read as one where it is one."""
    if isinstance(cell, str):
        try:
            return parse_date(cell)
        except InvalidDate:
            return cell
    return cell


def _bool(value: bool) -> str:
    return "true" if value else "false"


def table_csv(table: Table) -> str:
    """One table as CSV that ``pandas.read_csv`` reads: one header row, counts and dates as
    numbers and ISO days (see :func:`render_tables`), no ``table`` column."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    headers, rows = _csv_columns(table)
    writer.writerow(headers)
    writer.writerows(rows)
    return out.getvalue().rstrip("\n")


# Where a title's date, region or aside begins: what a table's short name leaves out.
_NAME_END = re.compile(r" as of | on | in | from | for | between | \(|:")


def table_name(table: Table) -> str:
    """A table's short name, for choosing one: its title up to its date, region or an aside, lower
    case, words joined by ``-`` ("Vessels present in the Caribbean on 2025-11-04" is
    ``vessels-present``, "Vessels present by type as of ..." ``vessels-present-by-type``)."""
    words = re.findall(r"[a-z0-9]+", _NAME_END.split(table.title, maxsplit=1)[0].lower())
    return "-".join(words) or "table"


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
            headers, rows = _csv_columns(table)
            writer.writerow(["table", *headers])
            for row in rows:
                writer.writerow([table.title, *row])
        return out.getvalue().rstrip("\n")
    if fmt not in tabulate.tabulate_formats:
        raise ValueError(f"unknown format {fmt!r}; use csv, json or one of: {', '.join(tabulate.tabulate_formats)}")
    parts = []
    for table in tables:
        cells = [[_text(c) for c in row] for row in table.rows]
        body = _simple_table(cells, table.headers) if fmt == "simple" else None
        if body is None:
            body = tabulate.tabulate(cells, table.headers, tablefmt=fmt, disable_numparse=True)
        parts.append("\n".join(filter(None, [f"{table.title}", table.note and f"({table.note})", body])))
    return "\n\n".join(parts)


def _simple_table(rows: Sequence[Sequence[str]], headers: Sequence[str]) -> str | None:
    """What ``tabulate(rows, headers, "simple", disable_numparse=True)`` gives, made directly for
    the plain case (single-line text, no terminal codes, every row as long as the headers), else
    None. tabulate works out a type for every cell, which took half the time of a large report.
    """
    widechars = getattr(tabulate, "WIDE_CHARS_MODE", True)
    if not rows or not headers or widechars or getattr(tabulate, "PRESERVE_WHITESPACE", True):
        return None
    if any(len(row) != len(headers) for row in rows):
        return None
    text = "".join((*headers, *(cell for row in rows for cell in row)))
    if _NOT_PLAIN.search(text):
        return None
    stripped = [[cell.strip() for cell in row] for row in rows]
    widths = [max(len(header) + _MIN_PADDING, *(len(row[n]) for row in stripped)) for n, header in enumerate(headers)]
    lines = [
        "  ".join(header.ljust(width) for header, width in zip(headers, widths, strict=True)).rstrip(),
        "  ".join("-" * width for width in widths),
    ]
    lines.extend(
        "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip() for row in stripped
    )
    return "\n".join(lines)


# Line breaks (a multi-line cell), terminal codes and tabulate's separating-line marker.
_NOT_PLAIN = re.compile("[\r\n\x1b\x01]")
_MIN_PADDING = 2  # tabulate's MIN_PADDING: a column is at least its header and two spaces wide


def _label(unit: Unit) -> str:
    return unit.name if isinstance(unit, Vessel | AircraftDetachment) else unit.label


def _place_name(catalog: Catalog, place_id: str | None) -> str | None:
    place = catalog.places.get(place_id) if place_id else None
    return place.name if place else place_id


def _where(snap: Snapshot) -> str:
    stale = f", presence older than {snap.stale_after} days taken as possible" if snap.stale_after is not None else ""
    return f"as of {snap.date.isoformat()} in {snap.region_title}{stale}"


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
    rows.append(("total", "", snap.aircraft_ashore() if measure == "aircraft" else snap.vessels()))
    return Table(f"{measure.capitalize()} present by {by} {_where(snap)}", (by, "name", "count"), tuple(rows))


# ---------------------------------------------------------------------------------------------
# The report


def _short_label(report: Report, source_id: str) -> str:
    """A source as a row names it: publisher and date, the year left out when it is the report's."""
    ref = report.source(source_id)
    text = date_text(ref.date)
    year = f", {report.date.year}"
    if text.endswith(year) and text.count(",") == 1:
        text = text[: -len(year)]
    elif text.endswith(f" {report.date.year}") and ref.date is not None and ref.date.start.year == report.date.year:
        text = text[: -len(f" {report.date.year}")]
    return f"{ref.publisher} {text}"


def _sources_text(report: Report, source_ids: Sequence[str]) -> str:
    return "; ".join(_short_label(report, s) for s in source_ids)


def _marks(disputes: Sequence[int]) -> str:
    return "".join(f" [D{n}]" for n in disputes)


def _status_text(row: Row) -> str:
    return row.status + _marks(row.disputes)


def _certain_possible(count: Quantity) -> str:
    """A headline count with what is certain and what possible: "12\u201314 (12 certain, 14 possible)"."""
    if count.high is None:
        return f"{count} ({count.low:,} certain, no upper bound)"
    if count.low == count.high:
        return f"{count} (all certain)"
    return f"{count} ({count.low:,} certain, {count.high:,} possible)"


def _amount(count: Quantity) -> str:
    """A count in a sentence: "up to about 90" rather than "about up to 90"."""
    return str(count).replace("about up to ", "up to about ")


def _names(report: Report, formations: Sequence[str], rows: Sequence[FigureRow]) -> str:
    names = {r.formation: r.name for r in rows}
    return ", ".join(names.get(f, f) for f in formations)


def _claim_source(report: Report, reported: ReportedCount) -> str:
    """Who gave a count, and as of when when that is not the day they published it."""
    refs = [report.source(s) for s in reported.sources]
    text = "; ".join(ref.label for ref in refs)
    if any(ref.date != reported.as_of for ref in refs):
        text += f", as of {date_text(reported.as_of)}"
    return text


def _reported_text(report: Report, reported: ReportedCount) -> str:
    own = f", the catalog on this date: {reported.catalog}" if reported.catalog is not None else ""
    forecast = f", forecast for {date_text(reported.forecast)}" if reported.forecast is not None else ""
    return f"{reported.what}: {reported.count}{forecast} ({_claim_source(report, reported)}){own}"


def headline_lines(report: Report) -> list[tuple[str, str]]:
    """The headline as (measure, answer) pairs of plain sentences."""
    head = report.headline
    where = report.region_name
    vessels = f"{_certain_possible(head.vessels)}; warships among them: {head.warships}"
    ashore = len(report.aircraft)
    aircraft = f"{_amount(head.aircraft_ashore)} ashore ({ashore} detachment{'s' if ashore != 1 else ''})"
    if head.embarked_from:
        carriers = _names(report, head.embarked_from, report.embarked)
        aircraft += f"; {_amount(head.aircraft_embarked)} embarked ({carriers})"
    else:
        aircraft += "; embarked: no figure for a formation present"
    covers = len(head.personnel_from)
    if covers:
        whose = "formations'" if covers != 1 else "formation's"
        formations = _names(report, head.personnel_from, report.personnel)
        personnel = f"{_amount(head.personnel)} from {covers} {whose} figures ({formations})"
    else:
        personnel = "no figure for a formation present"
    if head.reported_personnel:
        totals = "; ".join(f"{c.count} ({_claim_source(report, c)})" for c in head.reported_personnel)
        personnel += f"; the sources' own total: {totals}"
    lines = [
        ("vessels", vessels),
        ("aircraft", aircraft),
        ("personnel", personnel),
        ("bound", f"{head.bound} unit{'s' if head.bound != 1 else ''} ordered, expected or en route to {where}"),
    ]
    if head.reported_vessels:
        lines.append(("reported", "; ".join(_reported_text(report, r) for r in head.reported_vessels)))
    return lines


_COLUMNS = (
    "name",
    "hull",
    "type",
    "count",
    "counted",
    "status",
    "place",
    "formation",
    "since",
    "last reported",
    "days ago",
    "sources",
)
ROW_HEADERS = _COLUMNS
OTHER_HEADERS = tuple(c for c in _COLUMNS if c != "counted")


def _row_cells(report: Report, row: Row, counted: bool) -> tuple[Cell, ...]:
    cells: tuple[Cell, ...] = (row.name, row.hull, row.type, row.count)
    if counted:
        cells += (row.presence,)
    rest = (_status_text(row), row.place, row.formation, row.since, row.last_reported, row.age)
    return (*cells, *rest, _sources_text(report, row.sources))


def _total_row(count: Quantity) -> tuple[Cell, ...]:
    return ("total", None, None, count, *(None,) * (len(ROW_HEADERS) - 4))


def report_tables(report: Report, *, titles: bool = False) -> list[Table]:
    """The report as tables: headline, rows present (with totals equal to the headline's), figures,
    units bound for the region and not counted, disputes, sources (``titles``: with titles) and legend."""
    where = f"in {report.region_name}"
    on = report.date.isoformat()
    head = report.headline
    tables = [
        Table(report.title, ("measure", "answer"), tuple(headline_lines(report)), report.note),
        Table(
            f"Vessels present {where} on {on}",
            ROW_HEADERS,
            (*(_row_cells(report, r, True) for r in report.vessels), _total_row(head.vessels)),
        ),
        Table(
            f"Aircraft ashore {where} on {on}",
            ROW_HEADERS,
            (*(_row_cells(report, r, True) for r in report.aircraft), _total_row(head.aircraft_ashore)),
        ),
    ]
    figure_headers = ("formation", "figure", "counted", "how", "sources")

    def figure_cells(row: FigureRow) -> tuple[Cell, ...]:
        counted = row.counted if row.counted is not None else row.count
        return (row.name + _marks(row.disputes), row.count, counted, row.how, _sources_text(report, row.sources))

    if report.embarked:
        tables.append(
            Table(
                f"Aircraft embarked (formation figures) on {on}",
                figure_headers,
                (*(figure_cells(r) for r in report.embarked), ("total", None, head.aircraft_embarked, None, None)),
            )
        )
    tables.append(
        Table(
            f"Personnel (formation figures) on {on}",
            figure_headers,
            (*(figure_cells(r) for r in report.personnel), ("total", None, head.personnel, None, None)),
        )
    )
    if report.bound:
        tables.append(
            Table(
                f"Bound for {report.region_name} on {on} (ordered, expected or en route)",
                OTHER_HEADERS,
                tuple(_row_cells(report, r, False) for r in report.bound),
            )
        )
    if report.outside:
        title = f"Nearby, outside {report.region_name} on {on} (not counted)"
        tables.append(Table(title, OTHER_HEADERS, tuple(_row_cells(report, r, False) for r in report.outside)))
    if report.other:
        title = f"Not counted on {on}: relieved, left, out of service, or no place reported"
        tables.append(Table(title, OTHER_HEADERS, tuple(_row_cells(report, r, False) for r in report.other)))
    if report.not_listed:
        why = f"elsewhere or not placed, with no tie to {report.region_name}; --region all lists every unit"
        tables.append(Table(f"Not listed on {on}", ("units", "why"), ((report.not_listed, why),)))
    dispute_rows: list[tuple[Cell, ...]] = []
    for entry in report.disputes:
        for n, side in enumerate(entry.sides):
            dispute_rows.append(
                (
                    entry.mark if n == 0 else None,
                    entry.question if n == 0 else None,
                    side.says,
                    "; ".join(report.source(s).label for s in side.sources),
                    entry.resolution if n == 0 else None,
                )
            )
    tables.append(
        Table(
            f"Disputes between sources bearing on {on}",
            ("dispute", "question", "one side says", "sources", "what the report did"),
            tuple(dispute_rows),
            None if report.disputes else "none",
        )
    )
    source_headers = ("source", "kind", *(("title",) if titles else ()), "id")
    tables.append(
        Table(
            "Sources",
            source_headers,
            tuple((ref.label, ref.kind, *((ref.title,) if titles else ()), ref.id) for ref in report.sources),
        )
    )
    tables.append(Table("Legend", ("mark", "meaning"), tuple((e.mark, e.meaning) for e in report.legend)))
    return tables


def render_report(report: Report, fmt: str = "simple", *, titles: bool = False) -> str:
    """The report as text: ``json`` (:meth:`Report.to_json`), ``csv``, or any tabulate format,
    where the headline comes first as plain lines."""
    if fmt == "json":
        return json.dumps(report.to_json(), indent=2, ensure_ascii=False)
    tables = report_tables(report, titles=titles)
    if fmt == "csv":
        return render_tables(tables, fmt)
    head = tables[0]
    width = max(len(str(row[0])) for row in head.rows)
    lines = [head.title, *([f"({head.note})"] if head.note else [])]
    lines += [f"  {str(row[0]).capitalize():<{width}}  {row[1]}" for row in head.rows]
    return "\n".join(lines) + "\n\n" + render_tables(tables[1:], fmt)


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
    """Reported claims against the catalog's own figures, with disagreeing reports side by side;
    a forecast with the days it is about (the verdict says on which day it was best borne out)."""
    rows = []
    for check in checks:
        sources = ", ".join(dict.fromkeys(c.source for c in check.claim.citations))
        others = "; ".join(f"{o.id}: {f.count}" for o, f in check.others)
        rows.append(
            (
                check.claim.as_of,
                check.claim.forecast,
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
        ("as of", "forecast for", "scope", "what", "reported", "catalog", "verdict", "why", "sources", "other reports"),
        tuple(rows),
    )
