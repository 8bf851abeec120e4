"""A picture of the deployment over time: each unit's presence as a Gantt chart in SVG.

One row per unit, grouped by the formation the unit was last reported in. A solid bar is a
stretch of days on which the unit is *certainly* present in the region; a hatched bar is a
stretch on which it is only *possibly* present (an arrival dated "September", a span of days,
an approximate date); a dashed outline marks it ordered, expected or en route to the region.
A vertical line marks the last day of the newest source: what lies right of it is the last
known state, not news.

The states come from :func:`orbat.queries.snapshot`, taken on every day an event's date begins
or ends: between two such days no unit's state changes. Pure Python, no dependency.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterable, Sequence
from xml.sax.saxutils import escape, quoteattr

import attrs

from orbat.dates import day_after, day_before
from orbat.model import AircraftDetachment, Catalog, EventKind, UnidentifiedVessels, Unit, Vessel
from orbat.quantities import Quantity
from orbat.queries import RegionLike, Snapshot, UnitState, change_days, region_title, resolve_region, snapshot

__all__ = ["PRESENCE_KINDS", "PresenceSpan", "presence_spans", "timeline_svg", "write_timeline_svg"]

PRESENCE_KINDS = ("certain", "possible", "pending", "elsewhere")
_ONE = Quantity.exact(1)


@attrs.frozen(slots=True)
class PresenceSpan:
    """Days ``start`` up to (not including) ``end`` on which a unit is present, or on its way.

    ``presence`` is ``certain`` (certainly present in the region), ``possible`` (possibly but
    not certainly present), ``pending`` (ordered, expected or en route to the region) or
    ``elsewhere`` (possibly present at a place outside the region).
    ``state`` is the unit's state on the first day of the stretch; its count holds for the whole
    stretch (a new count begins a new span).
    """

    unit_id: str
    start: dt.date
    end: dt.date
    presence: str
    state: UnitState


def _presence(snap: Snapshot, state: UnitState) -> str | None:
    """The kind of bar a state gets: the snapshot's own certain and possible presence in the region."""
    if snap.certainly_here(state):
        return "certain"
    if snap.possibly_here(state):
        return "possible"
    if state.heading and snap.in_region(state):
        return "pending"
    if state.possibly_present:
        return "elsewhere"
    return None


def _days(catalog: Catalog) -> list[dt.date]:
    """The days on which some state may change."""
    return change_days(catalog)


def _horizon(catalog: Catalog, days: Sequence[dt.date]) -> dt.date | None:
    """The day after the last one anything is known of."""
    latest = catalog.latest_source_date
    ends = [*days[-1:], *([latest.end] if latest else [])]
    return day_after(max(ends)) if ends else None


def presence_spans(catalog: Catalog, region: RegionLike = None) -> tuple[PresenceSpan, ...]:
    """Every stretch of days on which a unit is present in ``region`` (anywhere if None), on its
    way there, or present elsewhere.

    Spans end on the day after the newest source (or the last event), at the latest.
    """
    days = _days(catalog)
    horizon = _horizon(catalog, days)
    if horizon is None:
        return ()
    spans: list[PresenceSpan] = []
    open_spans: dict[str, PresenceSpan] = {}
    for index, day in enumerate(days):
        end = days[index + 1] if index + 1 < len(days) else horizon
        snap = snapshot(catalog, day, region)
        seen: set[str] = set()
        for state in snap.states:
            presence = _presence(snap, state)
            if presence is None:
                continue
            seen.add(state.unit_id)
            current = open_spans.get(state.unit_id)
            if (
                current is not None
                and current.presence == presence
                and current.state.count == state.count
                and current.end == day
            ):
                open_spans[state.unit_id] = attrs.evolve(current, end=end)
                continue
            if current is not None:
                spans.append(current)
            open_spans[state.unit_id] = PresenceSpan(state.unit_id, day, end, presence, state)
        for unit_id in [u for u in open_spans if u not in seen]:
            spans.append(open_spans.pop(unit_id))
    spans.extend(open_spans.values())
    order = {unit.id: n for n, unit in enumerate(catalog.units())}
    return tuple(sorted(spans, key=lambda s: (order.get(s.unit_id, 0), s.start)))


# ---------------------------------------------------------------------------------------------
# Drawing

_COLOURS = {
    "carrier": "#1f4e9c",
    "surface combatant": "#2f7fc1",
    "amphibious": "#2e8b57",
    "submarine": "#6a3d9a",
    "mine warfare": "#8c564b",
    "patrol": "#17a2b8",
    "auxiliary": "#7f7f7f",
    "command": "#b8860b",
    "special operations": "#c2185b",
    "aircraft": "#e07b00",
}
_OTHER = "#555555"
_FONT = "font-family='Helvetica, Arial, sans-serif'"
_ROW, _HEADER_ROW, _BAR = 20, 26, 13
_CHART_WIDTH = 880
_TOP, _RIGHT, _BOTTOM = 124, 40, 56
_CHAR = 6.6  # average width of a character of 12px text, for laying out labels


def _category(catalog: Catalog, unit: Unit) -> str:
    if isinstance(unit, AircraftDetachment):
        return "aircraft"
    ship_type = catalog.ship_types.get(unit.type)
    return ship_type.category if ship_type else "other"


def _label(catalog: Catalog, unit: Unit) -> str:
    """A row's label. Counts change over time: each bar says its own, not the label."""
    if isinstance(unit, AircraftDetachment):
        return f"{unit.name} ({unit.type})"
    if isinstance(unit, UnidentifiedVessels) and unit.identified_as:
        return f"{unit.label} (named later)"
    return unit.label


def _row_title(catalog: Catalog, unit: Unit) -> str:
    if isinstance(unit, UnidentifiedVessels) and unit.identified_as:
        named = [v.label for v in map(catalog.unit, unit.identified_as) if isinstance(v, Vessel)]
        return f"{unit.label}: later identified as {', '.join(named)}, whose rows show them"
    return f"{unit.label} ({unit.navy})"


def _groups(catalog: Catalog, spans: Iterable[PresenceSpan], region: RegionLike) -> list[tuple[str, list[Unit]]]:
    """Units grouped by the formation each was last reported in; formations in catalog order."""
    formations = catalog.formations
    last: dict[str, str] = {}
    for span in spans:
        if span.state.formation:
            last[span.unit_id] = span.state.formation
    horizon = _horizon(catalog, _days(catalog))
    final = snapshot(catalog, horizon, region).states if horizon is not None else ()
    stated = {state.unit_id for state in final}
    for state in final:
        if state.formation:
            last[state.unit_id] = state.formation

    def path(formation_id: str) -> str:
        names: list[str] = []
        current: str | None = formation_id
        while current is not None and current in formations and formations[current].name not in names:
            names.append(formations[current].name)
            current = formations[current].parent
        return " \u203a ".join(reversed(names))

    # A group later identified by name has no state of its own: the last formation it joined.
    for event in catalog.events:
        if event.kind is EventKind.JOINED and event.formation:
            for unit_id in event.units:
                if isinstance(catalog.unit(unit_id), UnidentifiedVessels) and unit_id not in stated:
                    last[unit_id] = event.formation
    members: dict[str | None, list[Unit]] = {}
    for unit in catalog.units():
        members.setdefault(last.get(unit.id), []).append(unit)
    ordered = [(path(f), members[f]) for f in _formation_order(catalog) if f in members]
    ordered += [(f"{f} (unknown formation)", units) for f, units in members.items() if f and f not in formations]
    if None in members:
        ordered.append(("In no formation", members[None]))
    return ordered


def _formation_order(catalog: Catalog) -> list[str]:
    """Formations depth first, each after its parent, siblings in catalog order."""
    children: dict[str | None, list[str]] = {}
    for formation in catalog.formations.values():
        parent = formation.parent if formation.parent in catalog.formations else None
        children.setdefault(parent, []).append(formation.id)
    order: list[str] = []
    stack = list(reversed(children.get(None, [])))
    while stack:
        current = stack.pop()
        if current in order:
            continue
        order.append(current)
        stack.extend(reversed(children.get(current, [])))
    return order


def _months(start: dt.date, end: dt.date) -> list[dt.date]:
    """The first days of the months from ``start`` to ``end``; over a long span, of every
    year, or every few years, so that the grid keeps to about 40 lines."""
    first = start.year * 12 + start.month - 1 + (start.day > 1)
    last = end.year * 12 + end.month - 1
    step = 1
    if last - first > 40:  # years, then every 2, 5, 10, 20, 50, ... years
        step = next(12 * n * m for m in (1, 10, 100, 1000) for n in (1, 2, 5) if (last - first) / (12 * n * m) <= 40)
        first += -first % step
    return [dt.date(n // 12, n % 12 + 1, 1) for n in range(first, last + 1, step) if n >= 12]


def _text(x: float, y: float, text: str, *, size: int = 12, anchor: str = "start", extra: str = "") -> str:
    return f"<text x='{x:.1f}' y='{y:.1f}' font-size='{size}' text-anchor='{anchor}'{extra}>{escape(text)}</text>"


def _span_title(catalog: Catalog, unit: Unit, span: PresenceSpan) -> str:
    state = span.state
    what = {
        "certain": "present",
        "possible": "possibly present",
        "pending": state.status.value,
        "elsewhere": "present outside the region" if state.certainly_present else "possibly present outside the region",
    }[span.presence]
    place = catalog.places.get(state.place) if state.place else None
    where = f" ({place.name})" if place else ""
    last = day_before(span.end)
    sources = ", ".join(state.sources)
    count = "" if isinstance(unit, Vessel) else f", {_count_text(unit, span)}"
    return f"{unit.label}: {what}{where}{count}, {span.start.isoformat()} to {last.isoformat()}; sources: {sources}"


def _count_text(unit: Unit, span: PresenceSpan) -> str:
    """The count a bar stands for: "7+ MQ-9A", "3 DDG"."""
    return f"{span.state.count} {unit.type}"


def _bar_style(presence: str, colour: str, hatch_id: str) -> tuple[int, str]:
    """How far a bar of this kind is inset from the full bar height, and its SVG style."""
    if presence == "certain":
        return 0, f"fill='{colour}'"
    if presence == "possible":
        return 0, f"fill='url(#{hatch_id})' stroke='{colour}' stroke-width='0.8'"
    if presence == "pending":
        return 2, f"fill='white' stroke='{colour}' stroke-width='1.2' stroke-dasharray='3 2'"
    return 4, "fill='#c8c8c8'"


def timeline_svg(
    catalog: Catalog, region: RegionLike = None, *, title: str | None = None, marker: dt.date | None = None
) -> str:
    """The Gantt chart of every unit's presence in ``region`` (anywhere if None), as SVG text.

    ``marker`` draws a line at the end of that day (a report's date)."""
    spans = presence_spans(catalog, region)
    days = _days(catalog)
    latest = catalog.latest_source_date
    known = [*days, *([latest.start, latest.end] if latest else [])]
    first = min(known, default=dt.date.today())
    last = max(known, default=first)
    axis_start = dt.date(first.year, first.month, 1)
    axis_end = max(day_after(last, 7), day_after(axis_start, 28))
    scale = _CHART_WIDTH / (axis_end - axis_start).days
    groups = _groups(catalog, spans, region)
    labels = [_label(catalog, unit) for _, units in groups for unit in units] + [name for name, _ in groups]
    left = min(max(int(max((len(t) for t in labels), default=10) * _CHAR) + 24, 180), 460)
    rows = sum(len(units) for _, units in groups)
    top = _TOP + (16 if marker is not None else 0)  # a line of its own for the report date's label
    height = top + len(groups) * _HEADER_ROW + rows * _ROW + _BOTTOM
    width = left + _CHART_WIDTH + _RIGHT

    def x_of(day: dt.date) -> float:
        return left + (day - axis_start).days * scale

    categories = {_category(catalog, unit) for unit in catalog.units()}
    colours = {category: _COLOURS.get(category, _OTHER) for category in categories}
    sample = _COLOURS["surface combatant"]  # the colour the key is drawn in
    hatch_ids = {colour: f"hatch-{n}" for n, colour in enumerate(sorted({*colours.values(), sample}))}
    counted = resolve_region(catalog, region)
    heading = title or f"Units present in {region_title(catalog, counted)}"
    out: list[str] = [
        f"<svg xmlns='http://www.w3.org/2000/svg' width='{width}' height='{height}' "
        f"viewBox='0 0 {width} {height}' {_FONT} role='img'>",
        f"<title>{escape(heading)}</title>",
        "<defs>",
    ]
    for colour, hatch_id in hatch_ids.items():
        out.append(
            f"<pattern id='{hatch_id}' class='hatch' patternUnits='userSpaceOnUse' width='6' height='6' "
            f"patternTransform='rotate(45)'><rect width='6' height='6' fill='{colour}' fill-opacity='0.12'/>"
            f"<line x1='0' y1='0' x2='0' y2='6' stroke='{colour}' stroke-width='2.6'/></pattern>"
        )
    out.append("</defs>")
    out.append(f"<rect width='{width}' height='{height}' fill='white'/>")
    out.append(_text(16, 26, heading, size=17, extra=" font-weight='bold'"))
    out.append(
        _text(
            16,
            46,
            "One row per unit, under the formation it was last reported in; states from orbat's snapshot "
            "on every day an event's date begins or ends.",
            size=11,
            extra=" fill='#444'",
        )
    )
    # Key of the kinds of bar.
    keys = {
        "certain": "certainly present",
        "possible": "possibly present (an arrival dated only by month, or within a span of days)",
        "pending": "ordered, expected or en route",
        "elsewhere": "present outside the region",
    }
    x = 16.0
    for kind, text in keys.items():
        if kind == "elsewhere" and counted.everywhere:
            continue
        inset, style = _bar_style(kind, sample, hatch_ids[sample])
        key_top, tall = 56 + inset, 12 - 2 * inset
        out.append(f"<rect class='key {kind}' x='{x:.1f}' y='{key_top}' width='22' height='{tall}' {style}/>")
        out.append(_text(x + 28, 66, text, size=11))
        x += 28 + len(text) * 5.3 + 24
    # Legend of colours.
    x = 16.0
    for category in sorted(colours, key=lambda c: list(_COLOURS).index(c) if c in _COLOURS else 99):
        out.append(f"<rect x='{x:.1f}' y='76' width='12' height='10' fill='{colours[category]}'/>")
        out.append(_text(x + 16, 85, category, size=11))
        x += 16 + len(category) * 5.3 + 18
    # Month grid and labels.
    chart_top, chart_bottom = top - 6, height - _BOTTOM + 6
    out.append("<g class='axis'>")
    for month in _months(axis_start, axis_end):
        mx = x_of(month)
        out.append(f"<line x1='{mx:.1f}' y1='{chart_top}' x2='{mx:.1f}' y2='{chart_bottom}' stroke='#ddd'/>")
        label = month.strftime("%b %Y") if month.month == 1 or month == axis_start else month.strftime("%b")
        out.append(_text(mx + 3, chart_top - 6, label, size=11, extra=" fill='#333'"))
        out.append(_text(mx + 3, chart_bottom + 14, label, size=11, extra=" fill='#333'"))
    out.append("</g>")
    # Rows.
    by_unit: dict[str, list[PresenceSpan]] = {}
    for span in spans:
        by_unit.setdefault(span.unit_id, []).append(span)
    y = float(top)
    for group_name, units in groups:
        out.append(f"<g class='formation' data-name={quoteattr(group_name)}>")
        out.append(f"<rect x='0' y='{y:.1f}' width='{width}' height='{_HEADER_ROW}' fill='#f1f3f6'/>")
        out.append(_text(16, y + 17, group_name, size=12, extra=" font-weight='bold' class='formation-label'"))
        y += _HEADER_ROW
        for unit in units:
            colour = colours[_category(catalog, unit)]
            out.append(f"<g class='unit-row' data-unit={quoteattr(unit.id)}>")
            out.append(f"<title>{escape(_row_title(catalog, unit))}</title>")
            out.append(
                _text(left - 10, y + 14, _label(catalog, unit), anchor="end", extra=" class='unit-label' fill='#222'")
            )
            rule = y + _ROW
            out.append(
                f"<line x1='{left}' y1='{rule:.1f}' x2='{left + _CHART_WIDTH}' y2='{rule:.1f}' stroke='#f2f2f2'/>"
            )
            for span in by_unit.get(unit.id, ()):
                x0, x1 = x_of(span.start), x_of(span.end)
                inset, style = _bar_style(span.presence, colour, hatch_ids[colour])
                bar_y, bar_h = y + (_ROW - _BAR) / 2 + inset, _BAR - 2 * inset
                out.append(
                    f"<rect class='span {span.presence}' x='{x0:.1f}' y='{bar_y:.1f}' "
                    f"width='{max(x1 - x0, 1.5):.1f}' height='{bar_h:.1f}' {style}>"
                    f"<title>{escape(_span_title(catalog, unit, span))}</title></rect>"
                )
                if not isinstance(unit, Vessel) and span.state.count != _ONE:
                    # A count on the bar (or after it, when the bar is too short to hold it).
                    count = str(span.state.count)
                    inside = (x1 - x0) >= len(count) * _CHAR * 0.85 + 8 and span.presence == "certain"
                    tx = x0 + 4 if inside else x1 + 3
                    fill = "white" if inside else "#222"
                    out.append(_text(tx, y + 14, count, size=10, extra=f" class='span-count' fill='{fill}'"))
            out.append("</g>")
            y += _ROW
        out.append("</g>")
    # The report's date, its label a line above the newest source's.
    if marker is not None:
        mx = x_of(day_after(marker))
        out.append(
            f"<line id='report-date' class='report-date' x1='{mx:.1f}' y1='{chart_top - 34}' x2='{mx:.1f}' "
            f"y2='{chart_bottom}' stroke='#1565c0' stroke-width='1.5'>"
            f"<title>report date: {marker.isoformat()}</title></line>"
        )
        label = f"report date {marker.isoformat()}"
        fits = mx + 4 + len(label) * _CHAR <= width
        out.append(
            _text(
                mx + 4 if fits else mx - 4,
                chart_top - 36,
                label,
                size=11,
                anchor="start" if fits else "end",
                extra=" fill='#1565c0' class='report-date-label'",
            )
        )
    # The newest source.
    if latest is not None:
        sx = x_of(day_after(latest.end))
        out.append(
            f"<line id='newest-source' class='source-date' x1='{sx:.1f}' y1='{chart_top - 18}' x2='{sx:.1f}' "
            f"y2='{chart_bottom}' stroke='#c62828' stroke-width='1.5' stroke-dasharray='5 3'>"
            f"<title>newest source: {escape(str(latest))}</title></line>"
        )
        out.append(
            _text(sx - 4, chart_top - 20, f"newest source {latest}", size=11, anchor="end", extra=" fill='#c62828'")
        )
    out.append(
        _text(
            16,
            height - 18,
            f"{rows} units; states as of each reported day (orbat). A bar right of the red line is the "
            "last known state, not news.",
            size=10,
            extra=" fill='#666'",
        )
    )
    out.append("</svg>")
    return "\n".join(out) + "\n"


def write_timeline_svg(
    catalog: Catalog, path: str | os.PathLike[str], region: RegionLike = None, *, title: str | None = None
) -> None:
    """Write :func:`timeline_svg` to ``path`` (UTF-8)."""
    with open(path, "w", encoding="utf-8") as handle:
        handle.write(timeline_svg(catalog, region, title=title))
