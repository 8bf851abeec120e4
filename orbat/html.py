"""The report as one self-contained HTML page: to share, to print, to read offline.

Nothing on the page is fetched: the CSS is inline, the timeline picture is inline SVG, there is no
script and no font to load, and a Content-Security-Policy says so to the browser. Catalogs come
from many hands, so every text of the catalog is escaped (:func:`html.escape`, quotes included)
and a source's address becomes a link only when it is plainly ``http`` or ``https``.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable, Sequence
from urllib.parse import urlsplit

from orbat.quantities import Quantity
from orbat.rendering import headline_lines
from orbat.report import DisputeEntry, FigureRow, Report, Row, SourceRef, date_text

__all__ = ["report_html", "safe_url"]

_CSS = """
:root { color-scheme: light; }
body { font: 14px/1.45 -apple-system, "Segoe UI", Helvetica, Arial, sans-serif; color: #1d1d1f;
       margin: 0 auto; max-width: 1200px; padding: 24px 28px 48px; }
h1 { font-size: 24px; margin: 0 0 4px; }
h2 { font-size: 18px; margin: 32px 0 8px; border-bottom: 2px solid #1d3557; padding-bottom: 3px; }
h3 { font-size: 15px; margin: 18px 0 6px; }
p.note { background: #fff4e5; border-left: 4px solid #e07b00; padding: 6px 10px; margin: 8px 0; }
p.lede { color: #444; margin: 0 0 12px; }
dl.headline { display: grid; grid-template-columns: max-content 1fr; gap: 6px 18px; margin: 12px 0;
              background: #f1f5fa; border: 1px solid #c9d6e6; border-radius: 6px; padding: 14px 18px; }
dl.headline dt { font-weight: 700; text-transform: capitalize; }
dl.headline dd { margin: 0; }
div.tiles { display: flex; flex-wrap: wrap; gap: 10px; margin: 10px 0; }
div.tile { flex: 1 1 150px; border: 1px solid #c9d6e6; border-radius: 6px; padding: 10px 14px; background: #fff; }
div.tile .big { font-size: 28px; font-weight: 700; color: #1d3557; line-height: 1.15; }
div.tile .what { font-weight: 600; }
div.tile .sub { color: #555; font-size: 12.5px; }
table { border-collapse: collapse; width: 100%; margin: 6px 0 12px; font-size: 12.5px; }
th, td { border-bottom: 1px solid #dde2e8; padding: 4px 6px; text-align: left; vertical-align: top; }
th { background: #eef1f5; font-weight: 600; white-space: nowrap; }
td.hull { white-space: nowrap; }
td.num { white-space: nowrap; font-variant-numeric: tabular-nums; }
tr.total td { font-weight: 700; border-top: 2px solid #888; }
tr.possible td { background: repeating-linear-gradient(45deg, #fff, #fff 6px, #f3f6fb 6px, #f3f6fb 12px); }
.mark { color: #b3261e; font-weight: 700; text-decoration: none; white-space: nowrap; }
span.age { color: #666; font-size: 11.5px; }
span.claim-note { color: #555; font-size: 12.5px; }
figure.timeline { margin: 8px 0; overflow-x: auto; border: 1px solid #dde2e8; }
figure.timeline svg { display: block; max-width: 100%; height: auto; }
ol.disputes > li { margin: 0 0 14px; }
ol.disputes ul { margin: 4px 0; }
p.did { margin: 4px 0; } p.did strong { color: #1d3557; }
ol.sources > li { margin: 0 0 10px; }
blockquote { margin: 4px 0 4px 12px; padding: 2px 10px; border-left: 3px solid #c9d6e6; color: #333; }
p.catalog-note { margin: 2px 0 2px 12px; color: #555; font-size: 12.5px; }
dl.legend { display: grid; grid-template-columns: max-content 1fr; gap: 3px 16px; }
dl.legend dt { font-weight: 700; font-family: ui-monospace, Menlo, Consolas, monospace; }
dl.legend dd { margin: 0; }
footer { margin-top: 32px; color: #666; font-size: 12px; }
@media print {
  body { max-width: none; padding: 0; font-size: 11px; }
  h2 { break-after: avoid; } tr, li, blockquote { break-inside: avoid; }
  figure.timeline { overflow: visible; border: none; }
  a { color: inherit; text-decoration: none; }
}
"""

# No script, no plugin, no frame, nothing from the network: styles inline, pictures inline or data.
_POLICY = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; form-action 'none'; base-uri 'none'"
_PLAIN_URL = re.compile(r"[!#-;=?-\[\]_a-z~]+", re.IGNORECASE)  # printable ASCII but space " < > \ ^ ` { | }


def _e(text: object) -> str:
    """Text (or a count or date) escaped for HTML text and attribute values."""
    return html.escape("" if text is None else str(text), quote=True)


def safe_url(url: str | None) -> str | None:
    """``url`` when it is a plain http or https address (what a link may point to), else None."""
    if not url or not _PLAIN_URL.fullmatch(url):
        return None
    parts = urlsplit(url)
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        return None
    return url


def _source_links(report: Report, source_ids: Iterable[str], short: bool = False) -> str:
    links = []
    for source_id in source_ids:
        ref = report.source(source_id)
        label = ref.label
        if short and ref.date is not None and ref.date.start.year == report.date.year:
            label = label.replace(f", {report.date.year}", "").replace(f" {report.date.year}", "")
        links.append(f"<a href='#source-{report.source_number(source_id)}'>{_e(label)}</a>")
    return "; ".join(links)


def _marks(numbers: Sequence[int]) -> str:
    return "".join(f" <a class='mark' href='#dispute-{n}'>[D{n}]</a>" for n in numbers)


def _count(count: Quantity) -> str:
    return f"<td class='num'>{_e(count)}</td>"


def _row(report: Report, row: Row, counted: bool) -> str:
    status = _e(row.status)
    cells = [
        f"<td>{_e(row.name)}</td>",
        f"<td class='hull'>{_e(row.hull)}</td>",
        f"<td>{_e(row.type)}</td>",
        _count(row.count),
    ]
    if counted:
        cells.append(f"<td>{_e(row.presence)}</td>")
    cells += [
        f"<td>{status}{_marks(row.disputes)}</td>",
        f"<td>{_e(row.place)}</td>",
        f"<td>{_e(row.formation)}</td>",
        f"<td class='num'>{_e(row.since)}</td>",
        f"<td class='num'>{_last_reported(row)}</td>",
        f"<td>{_source_links(report, row.sources, short=True)}</td>",
    ]
    css = " class='possible'" if row.presence == "possible" else ""
    return f"<tr{css} data-unit='{_e(row.unit)}'>{''.join(cells)}</tr>"


def _last_reported(row: Row) -> str:
    if row.last_reported is None:
        return ""
    age = f"<br><span class='age'>{row.age} days ago</span>" if row.age is not None else ""
    return f"{_e(row.last_reported)}{age}"


def _unit_table(report: Report, rows: Sequence[Row], counted: bool, total: Quantity | None, table_id: str) -> str:
    headers = ["name", "hull", "type", "count", *(["counted"] if counted else []), "status", "place", "formation"]
    headers += ["since", "last reported", "sources"]
    head = "".join(f"<th>{h}</th>" for h in headers)
    body = [_row(report, row, counted) for row in rows]
    if total is not None:
        body.append(
            f"<tr class='total'><td colspan='3'>total</td>{_count(total)}<td colspan='{len(headers) - 4}'></td></tr>"
        )
    return f"<table id='{table_id}'><thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>"


def _figure_table(report: Report, rows: Sequence[FigureRow], total: Quantity, table_id: str) -> str:
    body = [
        f"<tr><td>{_e(r.name)}{_marks(r.disputes)}</td>{_count(r.count)}"
        f"{_count(r.counted if r.counted is not None else r.count)}<td>{_e(r.how)}</td>"
        f"<td>{_source_links(report, r.sources, short=True)}</td></tr>"
        for r in rows
    ]
    body.append(f"<tr class='total'><td>total</td><td></td>{_count(total)}<td></td><td></td></tr>")
    head = "<tr><th>formation</th><th>figure</th><th>counted</th><th>how</th><th>sources</th></tr>"
    return f"<table id='{table_id}'><thead>{head}</thead><tbody>{''.join(body)}</tbody></table>"


def _dispute(report: Report, entry: DisputeEntry) -> str:
    sides = "".join(f"<li>{_e(side.says)} \u2014 {_source_links(report, side.sources)}</li>" for side in entry.sides)
    return (
        f"<li id='dispute-{entry.number}'><h3><span class='mark'>{_e(entry.mark)}</span> {_e(entry.question)}</h3>"
        f"<ul>{sides}</ul><p class='did'><strong>What the report did:</strong> {_e(entry.resolution)}</p></li>"
    )


def _source(number: int, ref: SourceRef) -> str:
    url = safe_url(ref.url)
    title = f"<cite>{_e(ref.title)}</cite>"
    if url is not None:
        title = f"<a href='{_e(url)}' rel='noopener noreferrer nofollow'>{title}</a>"
    elif ref.url:
        title += f" <span class='url'>({_e(ref.url)})</span>"
    kind = f" ({_e(ref.kind)})" if ref.kind else ""
    quotes = "".join(f"<blockquote>\u201c{_e(q)}\u201d</blockquote>" for q in ref.quotes)
    notes = "".join(f"<p class='catalog-note'>Catalog note: {_e(n)}</p>" for n in ref.notes)
    return (
        f"<li id='source-{number}'><strong>{_e(ref.publisher)}</strong>, {_e(date_text(ref.date))}{kind}. "
        f"{title}{quotes}{notes}</li>"
    )


def _tile(figure: object, what: str, sub: str = "") -> str:
    extra = f"<div class='sub'>{_e(sub)}</div>" if sub else ""
    return f"<div class='tile'><div class='big'>{_e(figure)}</div><div class='what'>{_e(what)}</div>{extra}</div>"


def _covers(formations: int) -> str:
    return f"from {formations} formation{'s' if formations != 1 else ''}' figures".replace("n' ", "n's ")


def _tiles(report: Report) -> str:
    """The headline's figures, large: vessels, aircraft, personnel, units bound for the region."""
    head = report.headline
    tiles = [
        _tile(head.vessels, "vessels", f"{head.warships} of them warships"),
        _tile(head.aircraft_ashore, "aircraft ashore"),
        _tile(head.aircraft_embarked if head.embarked_from else "no figure", "aircraft embarked"),
        _tile(head.personnel, "personnel", _covers(len(head.personnel_from))),
        _tile(head.bound, "bound for the region", "ordered, expected or en route"),
    ]
    return f"<div class='tiles'>{''.join(tiles)}</div>"


def report_html(report: Report, timeline_svg: str | None = None) -> str:
    """The whole page: headline, tables, the timeline picture (``timeline_svg``, inline; from
    :func:`orbat.svg.timeline_svg`), disputes, sources with their quotes, and the legend."""
    where = f"in {report.region_name}"
    on = report.date.isoformat()
    head = report.headline
    out = [
        "<!DOCTYPE html>",
        "<html lang='en'>",
        "<head>",
        "<meta charset='utf-8'>",
        f"<meta http-equiv='Content-Security-Policy' content=\"{_POLICY}\">",
        "<meta name='viewport' content='width=device-width, initial-scale=1'>",
        "<meta name='referrer' content='no-referrer'>",
        f"<title>{_e(report.title)}</title>",
        f"<style>{_CSS}</style>",
        "</head>",
        "<body>",
        "<header>",
        f"<h1>{_e(report.title)}</h1>",
        "<p class='lede'>Every count's low end is what the sources make certain, its high end what they make "
        "possible. Marks are explained in the <a href='#legend'>legend</a>.</p>",
    ]
    if report.note:
        out.append(f"<p class='note'>{_e(report.note)}</p>")
    out.append("</header>")
    out.append("<section id='headline'><h2>Headline</h2>")
    out.append(_tiles(report))
    out.append("<dl class='headline'>")
    notes = {
        "reported": [r.note for r in report.headline.reported_vessels if r.note],
        "personnel": [r.note for r in report.headline.reported_personnel if r.note],
    }
    for measure, answer in headline_lines(report):
        said = "".join(f"<br><span class='claim-note'>On that count: {_e(n)}</span>" for n in notes.get(measure, ()))
        out.append(f"<dt>{_e(measure)}</dt><dd>{_e(answer)}{said}</dd>")
    out.append("</dl></section>")

    out.append(f"<section id='present'><h2>Present {_e(where)} on {on}</h2>")
    out.append(f"<h3>Vessels: {_e(head.vessels)}</h3>")
    out.append(_unit_table(report, report.vessels, True, head.vessels, "vessels"))
    out.append(f"<h3>Aircraft ashore: {_e(head.aircraft_ashore)}</h3>")
    out.append(_unit_table(report, report.aircraft, True, head.aircraft_ashore, "aircraft"))
    if report.embarked:
        out.append(f"<h3>Aircraft embarked (formation figures): {_e(head.aircraft_embarked)}</h3>")
        out.append(_figure_table(report, report.embarked, head.aircraft_embarked, "embarked"))
    out.append(f"<h3>Personnel (formation figures): {_e(head.personnel)}</h3>")
    out.append(_figure_table(report, report.personnel, head.personnel, "personnel"))
    out.append("</section>")
    if report.bound:
        out.append(f"<section id='bound'><h2>Bound for {_e(report.region_name)} on {on}</h2>")
        out.append(
            "<p>Ordered, expected or en route. A unit that may already have arrived is counted above as "
            "possibly present; the others are not counted.</p>"
        )
        out.append(_unit_table(report, report.bound, False, None, "bound-table"))
        out.append("</section>")
    if report.outside:
        out.append(f"<section id='outside'><h2>Nearby, outside {_e(report.region_name)} on {on}</h2>")
        out.append("<p>Reported present elsewhere, and nowhere in the region: not counted above.</p>")
        out.append(_unit_table(report, report.outside, False, None, "outside-table"))
        out.append("</section>")
    if report.other:
        out.append(f"<section id='other'><h2>Not counted on {on}</h2>")
        out.append("<p>Relieved, left, out of service, or in a formation with no place reported.</p>")
        out.append(_unit_table(report, report.other, False, None, "other-table"))
        out.append("</section>")
    if report.not_listed:
        out.append(
            f"<p class='not-listed'>{report.not_listed} other unit{'s' if report.not_listed != 1 else ''} "
            f"the catalog knows on {on} {'are' if report.not_listed != 1 else 'is'} elsewhere or not placed, "
            f"with no tie to {_e(report.region_name)}: not listed.</p>"
        )
    if timeline_svg:
        out.append("<section id='timeline'><h2>Timeline</h2>")
        out.append(
            "<p>Each unit's presence over time. Solid: certainly present; hatched: possibly present; dashed "
            "outline: ordered, expected or en route; grey: present outside the region. The blue line is this "
            "report's date, the red one the newest source.</p>"
        )
        out.append(f"<figure class='timeline'>{timeline_svg}</figure></section>")
    out.append(f"<section id='disputes'><h2>Disputes between sources bearing on {on}</h2>")
    if report.disputes:
        out.append("<ol class='disputes'>")
        out.extend(_dispute(report, entry) for entry in report.disputes)
        out.append("</ol>")
    else:
        out.append("<p>None: no two sources disagree on anything the report shows for this date.</p>")
    out.append("</section>")
    out.append("<section id='sources'><h2>Sources</h2><ol class='sources'>")
    out.extend(_source(n, ref) for n, ref in enumerate(report.sources, 1))
    out.append("</ol></section>")
    out.append("<section id='legend'><h2>Legend</h2><dl class='legend'>")
    out.extend(f"<dt>{_e(entry.mark)}</dt><dd>{_e(entry.meaning)}</dd>" for entry in report.legend)
    out.append("</dl></section>")
    out.append("<footer>Made with orbat from the catalog's sources; every fact is cited above.</footer>")
    out.append("</body>")
    out.append("</html>")
    return "\n".join(out) + "\n"
