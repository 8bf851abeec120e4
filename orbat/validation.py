"""Semantic checks of a loaded catalog: references, cycles, event order, quotes, disagreements.

A contradiction within one source is an error: the catalog is wrong. A contradiction between
two sources is a warning naming both: reporting disagrees, and the catalog keeps both.
"""

from __future__ import annotations

import datetime as dt
import difflib
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping
from itertools import chain
from operator import attrgetter

from orbat import geo
from orbat.dates import Precision
from orbat.disputes import find_disagreements
from orbat.model import (
    HEADING_KINDS,
    Catalog,
    Citation,
    Claim,
    EventKind,
    Place,
    Source,
    Vessel,
    hull_symbol,
)
from orbat.places import cycles
from orbat.problems import Location, Problem, Severity

__all__ = ["check", "normalise_text"]

_QUOTES = (("\u2018", "'"), ("\u2019", "'"), ("\u201c", '"'), ("\u201d", '"'), ("\u00a0", " "))


# The ASCII white space other than space and line break (str.isspace).
_OTHER_ASCII_SPACE = ("\t", "\r", "\x0b", "\x0c", "\x1c", "\x1d", "\x1e", "\x1f")


def normalise_text(text: str) -> str:
    """Text as quotes are compared: curly quotes made straight, runs of white space made one space."""
    if not text.isascii():  # a constant-time test: most quotes are ASCII
        for curly, straight in _QUOTES:
            text = text.replace(curly, straight)
    if text.isascii():
        # Wrapped lines and paragraphs, the usual form of a source's text, made single spaces at C
        # speed: when no other run of white space is left, that is the whole normalisation.
        spaced = text.replace("\n\n", " ").replace("\n", " ")
        if "  " not in spaced and not any(space in spaced for space in _OTHER_ASCII_SPACE):
            return spaced.strip(" ")
    # split() and the regex \s agree on what white space is (str.isspace).
    return " ".join(text.split())


def check(catalog: Catalog, broken: frozenset[str] = frozenset()) -> list[Problem]:
    """Every semantic problem in ``catalog``, errors and warnings.

    ``broken`` names entries left out for errors already reported: references to them are not
    reported again.
    """
    problems: list[Problem] = []
    unknown = _Unknown(broken)
    problems.extend(_check_references(catalog, unknown))
    problems.extend(_check_citations(catalog, unknown))
    problems.extend(_check_cycles(catalog.formations, "parent", "formation"))
    problems.extend(_check_place_cycles(catalog))
    problems.extend(_check_arrival_windows(catalog))
    problems.extend(_check_service_dates(catalog))
    # Disagreements between facts: errors within one source, warnings between sources.
    problems.extend(d.problem for d in find_disagreements(catalog))
    problems.extend(_check_positions(catalog))
    problems.extend(_check_event_dates(catalog))
    return problems


class _Unknown:
    """Reports unknown references, with a did-you-mean that stays cheap on large catalogs.

    Suggestions come from ids of about the same length and the same first letter, indexed once
    per table of ids; references to entries already reported as broken are not reported again.
    """

    def __init__(self, broken: frozenset[str]) -> None:
        self.broken = broken
        self.indexes: dict[int, tuple[Mapping[str, object], dict[tuple[str, int], list[str]]]] = {}

    def _candidates(self, value: str, known: Mapping[str, object]) -> list[str]:
        held = self.indexes.get(id(known))
        if held is None or held[0] is not known:
            index: dict[tuple[str, int], list[str]] = defaultdict(list)
            for key in known:
                index[key[:1].lower(), len(key)].append(key)
            held = self.indexes[id(known)] = (known, index)
        first = value[:1].lower()
        return [key for n in range(len(value) - 3, len(value) + 4) for key in held[1].get((first, n), ())][:100]

    def __call__(self, location: Location, what: str, value: str, known: Mapping[str, object]) -> Iterator[Problem]:
        if value in self.broken:
            return
        close = difflib.get_close_matches(value, self._candidates(value, known), n=1)
        hint = f"did you mean {close[0]!r}?" if close else f"define a {what} with id {value!r}"
        yield Problem(location, "unknown-reference", f"no {what} has id {value!r}; {hint}")


def _check_references(catalog: Catalog, unknown: _Unknown) -> Iterator[Problem]:
    units: dict[str, object] = {**catalog.vessels, **catalog.unidentified, **catalog.aircraft}
    for place in catalog.places.values():
        for index, parent in enumerate(place.within):
            if parent not in catalog.places:
                yield from unknown(place.origin.at(f"within.{index}"), "place", parent, catalog.places)
    for vessel in catalog.vessels.values():
        yield from _check_vessel_type(catalog, vessel, unknown)
    for group in catalog.unidentified.values():
        if group.type not in catalog.ship_types:
            yield from unknown(group.origin.at("type"), "ship type", group.type, catalog.ship_types)
        for index, vessel_id in enumerate(group.identified_as):
            if vessel_id not in catalog.vessels:
                yield from unknown(group.origin.at(f"identified_as.{index}"), "vessel", vessel_id, catalog.vessels)
    for detachment in catalog.aircraft.values():
        if detachment.type not in catalog.aircraft_types:
            yield from unknown(detachment.origin.at("type"), "aircraft type", detachment.type, catalog.aircraft_types)
        if detachment.base and detachment.base not in catalog.places:
            yield from unknown(detachment.origin.at("base"), "place", detachment.base, catalog.places)
    for formation in catalog.formations.values():
        if formation.parent and formation.parent not in catalog.formations:
            yield from unknown(formation.origin.at("parent"), "formation", formation.parent, catalog.formations)
    for event in catalog.events:
        for index, unit_id in enumerate(event.units):
            if unit_id not in units:
                yield from unknown(event.origin.at(f"units.{index}"), "unit", unit_id, units)
        if event.formation and event.formation not in catalog.formations:
            yield from unknown(event.origin.at("formation"), "formation", event.formation, catalog.formations)
        for field in ("place", "to"):
            value = getattr(event, field)
            if value and value not in catalog.places:
                yield from unknown(event.origin.at(field), "place", value, catalog.places)
        if event.relieves and event.relieves not in units:
            yield from unknown(event.origin.at("relieves"), "unit", event.relieves, units)
    for index, place_id in enumerate(catalog.settings.region):
        if place_id not in catalog.places:
            yield from unknown(catalog.settings.origin.at(f"region.{index}"), "place", place_id, catalog.places)
    scopes: dict[str, object] = {**catalog.places, **catalog.formations}
    types: dict[str, object] = {**catalog.ship_types, **catalog.aircraft_types}
    for claim in catalog.claims.values():
        if claim.scope not in scopes:
            yield from unknown(claim.origin.at("scope"), "place or formation", claim.scope, scopes)
        for figure in claim.figures:
            for index, type_id in enumerate(figure.types):
                if type_id not in types:
                    yield from unknown(figure.origin.at(f"types.{index}"), "ship or aircraft type", type_id, types)
        yield from _check_claim_form(claim)


def _check_claim_form(claim: Claim) -> Iterator[Problem]:
    """A forecast's window must not end before the claim is made; a part names another figure."""
    if claim.forecast is not None and claim.forecast.end < claim.as_of.start:
        yield Problem(
            claim.origin.at("forecast"),
            "bad-date",
            f"claim {claim.id!r}: the forecast window {claim.forecast} ends before the claim's date "
            f"{claim.as_of}; a forecast is about days after it is made",
        )
    totals = {figure.what: figure for figure in claim.figures}
    for figure in claim.figures:
        if figure.part_of is None:
            continue
        whole = totals.get(figure.part_of)
        if whole is None or whole is figure:
            named = ", ".join(repr(f.what) for f in claim.figures if f is not figure) or "none"
            yield Problem(
                figure.origin.at("part_of"),
                "unknown-reference",
                f"claim {claim.id!r}: figure {figure.what!r} is a part of {figure.part_of!r}, which is not "
                f"another figure of the claim; name one of its figures' 'what' ({named})",
            )
        elif whole.measure != figure.measure:
            yield Problem(
                figure.origin.at("part_of"),
                "bad-value",
                f"claim {claim.id!r}: figure {figure.what!r} counts {figure.measure} but is a part of "
                f"{whole.what!r}, which counts {whole.measure}; a part counts what its whole counts",
            )


def _check_vessel_type(catalog: Catalog, vessel: Vessel, unknown: _Unknown) -> Iterator[Problem]:
    field = "type" if "type" in vessel.origin.fields else "hull"
    if vessel.type not in catalog.ship_types:
        yield from unknown(vessel.origin.at(field), "ship type", vessel.type, catalog.ship_types)
    if vessel.hull and "type" in vessel.origin.fields and hull_symbol(vessel.hull) != vessel.type:
        yield Problem(
            vessel.origin.at("type"),
            "type-mismatch",
            f"vessel {vessel.id!r} has hull {vessel.hull!r} but type {vessel.type!r}; "
            "drop 'type' to take it from the hull number, or correct one of them",
        )


def _all_citations(catalog: Catalog) -> list[Citation]:
    """Every citation, entry by entry in section order (a formation's figures' after its own),
    gathered at C speed: the citations are many."""
    citations: list[Citation] = []
    for entries in (
        catalog.places.values(),
        catalog.vessels.values(),
        catalog.unidentified.values(),
        catalog.aircraft.values(),
    ):
        citations.extend(chain.from_iterable(map(_CITATIONS, entries)))
    for formation in catalog.formations.values():
        citations.extend(formation.citations)
        for figure in (*formation.personnel, *formation.aircraft):
            citations.extend(figure.citations)
    citations.extend(chain.from_iterable(map(_CITATIONS, catalog.events)))
    citations.extend(chain.from_iterable(map(_CITATIONS, catalog.claims.values())))
    citations.extend(catalog.settings.citations)
    return citations


_CITATIONS = attrgetter("citations")
_SOURCE = attrgetter("source")


def _check_citations(catalog: Catalog, unknown: _Unknown) -> Iterator[Problem]:
    sources = catalog.sources
    normalised = {source_id: normalise_text(text) for source_id, text in catalog.source_texts.items()}
    resume: dict[str, int] = {}
    for citation in _all_citations(catalog):
        source = sources.get(citation.source)
        if source is None:
            yield from unknown(citation.origin.at("source"), "source", citation.source, sources)
        elif source.text is None:
            continue
        elif citation.quote is None:
            yield Problem(
                citation.origin.at("source"),
                "missing-quote",
                f"source {source.id!r} has a local text; add a verbatim 'quote' from it",
            )
        else:
            text = normalised.get(source.id)
            # Quotes are mostly written as in the source; normalised only when not found as they are.
            if (
                text is not None
                and not _occurs(citation.quote, text, resume, source.id)
                and normalise_text(citation.quote) not in text
            ):
                yield Problem(
                    citation.origin.at("quote"),
                    "quote-not-found",
                    f"the quote does not occur in the text of source {source.id!r} "
                    f"({source.text}); copy it verbatim (white space and curly quotes may differ)",
                )


def _occurs(quote: str, text: str, resume: dict[str, int], key: str) -> bool:
    """``quote in text``, looked for first from where the last quote found in this text begins.

    Quotes cited in the catalog's order mostly follow one another through a source's text, so
    most searches end near their start; a miss then looks only before that point, so that no
    search reads more than the whole text (the search alone went from 0.14 s to 0.06 s on bench M).
    """
    start = resume.get(key, 0)
    at = text.find(quote, start)
    if at < 0:
        at = text.find(quote, 0, start + len(quote) - 1)
        if at < 0:
            return False
    resume[key] = at
    return True


def _check_arrival_windows(catalog: Catalog) -> Iterator[Problem]:
    """An ``arrival`` window only on events that send units somewhere, and not ending before them."""
    for event in catalog.events:
        if event.arrival is None:
            continue
        location = event.origin.at("arrival")
        if event.kind not in HEADING_KINDS:
            yield Problem(
                location,
                "misplaced-field",
                f"{event.kind.value!r} events take no 'arrival' window; only 'ordered', 'expected' and "
                "'departed' events do (remove it, or use one of those kinds)",
            )
        elif event.arrival.end < event.date.start:
            yield Problem(
                location,
                "bad-arrival",
                f"the arrival window ({event.arrival}) ends before the event ({event.date}); "
                "give the days on which the source expects the units to arrive",
            )


def _check_place_cycles(catalog: Catalog) -> Iterator[Problem]:
    """Each cycle of ``within`` links (a place may lie within several), once, at its first place."""
    for cycle in cycles(catalog.places):
        first = catalog.places[cycle[0]]
        following = cycle[1] if len(cycle) > 1 else cycle[0]
        yield Problem(
            first.origin.at(f"within.{first.within.index(following)}"),
            "cycle",
            f"place {cycle[0]!r} contains itself: {' -> '.join([*cycle, cycle[0]])}; "
            "break the cycle by changing one 'within'",
        )


def _check_cycles(entries: Mapping[str, object], field: str, what: str) -> Iterator[Problem]:
    """Each chain of ``field`` links that returns to itself, once, at its first entry in order.

    Every entry is walked once: a walk stops at entries already walked.
    """
    order = {entry_id: n for n, entry_id in enumerate(entries)}
    walked: set[str] = set()
    for start in entries:
        path: list[str] = []
        on_path: dict[str, int] = {}
        current: str | None = start
        while current is not None and current in entries and current not in walked and current not in on_path:
            on_path[current] = len(path)
            path.append(current)
            current = getattr(entries[current], field)
        walked.update(path)
        if current is None or current not in on_path:
            continue
        cycle = path[on_path[current] :]
        first = min(cycle, key=order.__getitem__)
        cycle = cycle[cycle.index(first) :] + cycle[: cycle.index(first)]
        location = entries[first].origin.at(field)  # type: ignore[attr-defined]
        yield Problem(
            location,
            "cycle",
            f"{what} {first!r} contains itself: {' -> '.join([*cycle, first])}; "
            f"break the cycle by changing one '{field}'",
        )


def _check_service_dates(catalog: Catalog) -> Iterator[Problem]:
    """A vessel is not decommissioned before it is commissioned."""
    for vessel in catalog.vessels.values():
        if (
            vessel.decommissioned
            and vessel.commissioned
            and vessel.decommissioned.certainly_before(vessel.commissioned)
        ):
            yield Problem(
                vessel.origin.at("decommissioned"),
                "bad-date",
                f"vessel {vessel.id!r} is decommissioned ({vessel.decommissioned}) before it was "
                f"commissioned ({vessel.commissioned}); correct one of the dates",
            )


def _check_positions(catalog: Catalog) -> Iterator[Problem]:
    """Coordinates in range, boxes the right way up, one outline a place; and, as a warning, a
    place's point outside the area of a place it lies within."""
    for place in catalog.places.values():
        yield from _check_coordinates(place)
    for place in catalog.places.values():
        if place.position is None or not _in_range(place.position):
            continue
        latitude, longitude = place.position
        for outer_id, path in _containers(catalog, place):
            outer = catalog.places[outer_id]
            if not geo.has_area(outer) or not _area_in_range(outer):
                continue
            if not geo.contains(outer, latitude, longitude):
                via = f" (through {' -> '.join(path)})" if path else ""
                outline = "bbox" if outer.bbox is not None else "polygon"
                yield Problem(
                    place.origin.at("position"),
                    "position-outside",
                    f"place {place.id!r} at [{latitude:g}, {longitude:g}] lies outside the {outline} of "
                    f"{outer_id!r}, which it is within{via}; correct the position, the {outline} or 'within'",
                    Severity.WARNING,
                )


_LATITUDE = "a latitude lies between -90 (south) and 90 (north)"
_LONGITUDE = "a longitude lies between -180 (west) and 180 (east)"


def _in_range(point: tuple[float, float]) -> bool:
    return -90 <= point[0] <= 90 and -180 <= point[1] <= 180


def _area_in_range(place: Place) -> bool:
    if place.bbox is not None:
        south, west, north, east = place.bbox
        return _in_range((south, west)) and _in_range((north, east)) and south <= north
    return all(_in_range(point) for point in place.polygon)


def _check_coordinates(place: Place) -> Iterator[Problem]:
    def out_of_range(field: str, value: float, latitude: bool, what: str, form: str) -> Iterator[Problem]:
        low, high, rule = (-90, 90, _LATITUDE) if latitude else (-180, 180, _LONGITUDE)
        if not low <= value <= high:
            yield Problem(
                place.origin.at(field),
                "bad-position",
                f"place {place.id!r}: {what} is {value:g}, out of range: {rule}; {form}",
            )

    if place.position is not None:
        form = "'position' is [latitude, longitude]"
        yield from out_of_range("position.0", place.position[0], True, "the latitude", form)
        yield from out_of_range("position.1", place.position[1], False, "the longitude", form)
    if place.bbox is not None:
        form = "'bbox' is [south, west, north, east]"
        for index, edge in enumerate(("south", "west", "north", "east")):
            yield from out_of_range(f"bbox.{index}", place.bbox[index], index % 2 == 0, f"the {edge} edge", form)
        south, _, north, _ = place.bbox
        if south > north:
            yield Problem(
                place.origin.at("bbox.0"),
                "bad-position",
                f"place {place.id!r}: the south edge {south:g} of its bbox lies north of the north edge {north:g}; "
                f"{form}",
            )
        if place.polygon:
            yield Problem(
                place.origin.at("polygon"),
                "bad-position",
                f"place {place.id!r} has both a 'bbox' and a 'polygon'; keep one of them",
            )
    for number, (latitude, longitude) in enumerate(place.polygon):
        form = "each point of 'polygon' is [latitude, longitude]"
        yield from out_of_range(f"polygon.{number}.0", latitude, True, f"the latitude of point {number + 1}", form)
        yield from out_of_range(f"polygon.{number}.1", longitude, False, f"the longitude of point {number + 1}", form)


def _containers(catalog: Catalog, place: Place) -> Iterator[tuple[str, list[str]]]:
    """Every place ``place`` lies within, directly or through others, once each, with the places
    in between; stops at cycles (reported by the cycle check)."""
    seen = {place.id}
    queue: list[tuple[str, list[str]]] = [(outer, []) for outer in place.within]
    while queue:
        outer_id, path = queue.pop(0)
        if outer_id in seen or outer_id not in catalog.places:
            continue
        seen.add(outer_id)
        yield outer_id, path
        queue.extend((further, [*path, outer_id]) for further in catalog.places[outer_id].within)


_PRECISION_WORDS = {Precision.YEAR: "year", Precision.MONTH: "month", Precision.DAY: "day"}


def _source_dates(sources: Iterable[Source]) -> str:
    """``a: 2025-10, b: 2025`` for the dated sources, then ``; undated: c`` for the others."""
    sources = list(sources)
    text = ", ".join(f"{s.id}: {s.date}" for s in sources if s.date is not None)
    undated = ", ".join(s.id for s in sources if s.date is None)
    return f"{text}; undated: {undated}" if undated else text


def _check_event_dates(catalog: Catalog) -> Iterator[Problem]:
    """Events dated after every source they cite (``after-source``), or more precisely than any
    source they cite is dated (``over-precise``).

    Of a source without a text the catalog knows only its date: a source cannot report what had
    not happened by its date, and one dated only to the month is not taken to show the day. An
    undated source shows no later date; it may know any date (a register), as may a source whose
    words the citation quotes, so an event citing either is not judged over-precise.
    """
    sources = catalog.sources
    # Events share their few sets of sources: each set is summed up once.
    summaries: dict[str | tuple[str, ...], tuple[list[Source], dt.date | None, Precision | None]] = {}
    expected = EventKind.EXPECTED
    for event in catalog.events:
        citations = event.citations
        # Most events cite one source: its id is their key, with no tuple to build and hash.
        key = citations[0].source if len(citations) == 1 else tuple(map(_SOURCE, citations))
        summary = summaries.get(key)
        if summary is None:
            cited = [sources[s] for s in dict.fromkeys((key,) if isinstance(key, str) else key) if s in sources]
            dates = [s.date for s in cited if s.date is not None]
            latest = max(d.end for d in dates) if dates else None
            judged = bool(dates) and len(dates) == len(cited) and not any(s.text is not None for s in cited)
            summary = summaries[key] = (cited, latest, max(d.precision for d in dates) if judged else None)
        cited, latest, finest = summary
        if not cited:
            continue  # missing-citation or unknown-reference, reported elsewhere
        date = event.date
        if latest is not None and date.start > latest and event.kind is not expected:
            yield Problem(
                event.origin.at("date"),
                "after-source",
                f"the {event.kind.value} event is dated {event.date}, after every dated source it cites "
                f"appeared ({_source_dates(cited)}); a source cannot report what had not happened by "
                "its date: correct the date, or cite a source that reports it (what a source only "
                "expects is an 'expected' event)",
            )
        if finest is not None and date.precision > finest:
            precision = _PRECISION_WORDS[event.date.precision]
            yield Problem(
                event.origin.at("date"),
                "over-precise",
                f"the {event.kind.value} event is dated to the {precision} ({event.date}), but no source "
                f"it cites is ({_source_dates(cited)}): a source dated to the {_PRECISION_WORDS[finest]} "
                f"may not have known the {precision}; date the event as its sources do or, if a source "
                f"gives the {precision}, date that source as precisely as that shows (a report of a "
                "Sep 20 sighting that appeared in September: 2025-09-20/2025-09-30)",
                Severity.WARNING,
            )
