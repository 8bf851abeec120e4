"""Semantic checks of a loaded catalog: references, cycles, event order, quotes, disagreements.

A contradiction within one source is an error: the catalog is wrong. A contradiction between
two sources is a warning naming both: reporting disagrees, and the catalog keeps both.
"""

from __future__ import annotations

import datetime as dt
import difflib
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping
from itertools import combinations

from orbat.dates import PartialDate
from orbat.model import (
    Catalog,
    Citation,
    Event,
    EventKind,
    Figure,
    Formation,
    Vessel,
    hull_symbol,
    is_within,
)
from orbat.problems import Location, Problem, Severity
from orbat.quantities import Quantity

__all__ = ["check", "figures_differ", "normalise_text"]

_QUOTES = (("\u2018", "'"), ("\u2019", "'"), ("\u201c", '"'), ("\u201d", '"'), ("\u00a0", " "))


def normalise_text(text: str) -> str:
    """Text as quotes are compared: curly quotes made straight, runs of white space made one space."""
    if not text.isascii():  # a constant-time test: most quotes are ASCII
        for curly, straight in _QUOTES:
            text = text.replace(curly, straight)
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
    problems.extend(_check_cycles(catalog.places, "within", "place"))
    problems.extend(_check_unit_histories(catalog))
    problems.extend(_check_figures(catalog))
    problems.extend(_check_memberships_reported(catalog))
    problems.extend(_check_locations_reported(catalog))
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
        if place.within and place.within not in catalog.places:
            yield from unknown(place.origin.at("within"), "place", place.within, catalog.places)
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
    scopes: dict[str, object] = {**catalog.places, **catalog.formations}
    types: dict[str, object] = {**catalog.ship_types, **catalog.aircraft_types}
    for claim in catalog.claims.values():
        if claim.scope not in scopes:
            yield from unknown(claim.origin.at("scope"), "place or formation", claim.scope, scopes)
        for figure in claim.figures:
            for index, type_id in enumerate(figure.types):
                if type_id not in types:
                    yield from unknown(figure.origin.at(f"types.{index}"), "ship or aircraft type", type_id, types)


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


def _all_citations(catalog: Catalog) -> Iterator[Citation]:
    entries: Iterable[object] = (
        *catalog.vessels.values(),
        *catalog.unidentified.values(),
        *catalog.aircraft.values(),
        *catalog.formations.values(),
        *catalog.events,
        *catalog.claims.values(),
    )
    for entry in entries:
        yield from getattr(entry, "citations", ())
        if isinstance(entry, Formation):
            for figure in (*entry.personnel, *entry.aircraft):
                yield from figure.citations


def _check_citations(catalog: Catalog, unknown: _Unknown) -> Iterator[Problem]:
    sources = catalog.sources
    normalised = {source_id: normalise_text(text) for source_id, text in catalog.source_texts.items()}
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
            if text is not None and citation.quote not in text and normalise_text(citation.quote) not in text:
                yield Problem(
                    citation.origin.at("quote"),
                    "quote-not-found",
                    f"the quote does not occur in the text of source {source.id!r} "
                    f"({source.text}); copy it verbatim (white space and curly quotes may differ)",
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


def _sources(event: Event) -> frozenset[str]:
    return frozenset(c.source for c in event.citations)


def _disagreement(first: Event, second: Event) -> tuple[Severity, str]:
    """Errors within one source, warnings between sources; the text names the sources."""
    a, b = _sources(first), _sources(second)
    if a & b or not a or not b:
        return Severity.ERROR, ""
    return Severity.WARNING, f" (sources disagree: {', '.join(sorted(b))} vs {', '.join(sorted(a))})"


def _describe(event: Event) -> str:
    where = event.place or event.formation or event.relieves or event.to or ""
    return f"{event.kind.value} {where} on {event.date} ({', '.join(sorted(_sources(event)))})".replace("  ", " ")


def _check_unit_histories(catalog: Catalog) -> Iterator[Problem]:
    """Per unit, in date order: no arriving where it already is, one formation at a time,
    nothing after decommissioning."""
    formation_parents = catalog.formation_parents
    histories: dict[str, list[Event]] = {}
    for event in catalog.events:
        for unit_id in event.units:
            histories.setdefault(unit_id, []).append(event)
    decommissioned_kinds = {
        EventKind.ORDERED,
        EventKind.DEPARTED,
        EventKind.ARRIVED,
        EventKind.JOINED,
        EventKind.REPORTED_PRESENT,
        EventKind.EXPECTED,
        EventKind.RELIEVED,
    }
    for unit_id, events in histories.items():
        at: Event | None = None
        member: Event | None = None
        decommissioned: Event | None = None
        after_decommissioning: dict[frozenset[str], list[Event]] = {}
        for event in events:
            kind = event.kind
            if decommissioned and kind in decommissioned_kinds and event.date.certainly_after(decommissioned.date):
                after_decommissioning.setdefault(_sources(event), []).append(event)
            if kind is EventKind.DECOMMISSIONED:
                decommissioned = decommissioned or event
            elif kind is EventKind.ARRIVED and at is not None and at.place == event.place:
                severity, why = _disagreement(at, event)
                yield Problem(
                    event.origin.at("place"),
                    "already-there",
                    f"{unit_id!r} arrives at {event.place!r} on {event.date}, but it already "
                    f"arrived there: {_describe(at)}; if both describe the same arrival, make them "
                    f"one event citing both sources{why}",
                    severity,
                )
            elif (
                kind is EventKind.JOINED
                and member is not None
                and member.formation != event.formation
                and event.formation is not None
                and member.formation is not None
                and not is_within(formation_parents, event.formation, member.formation)
            ):
                severity, why = _disagreement(member, event)
                yield Problem(
                    event.origin.at("formation"),
                    "two-formations",
                    f"{unit_id!r} joins {event.formation!r} on {event.date} while still in "
                    f"{member.formation!r} ({_describe(member)}); add a 'detached' event first"
                    f"{why}",
                    severity,
                )
            if kind in (EventKind.ARRIVED, EventKind.RETURNED):
                at = event
            elif kind is EventKind.DEPARTED:
                at = None
            if kind is EventKind.JOINED:
                member = event
            elif kind is EventKind.DETACHED and member is not None and member.formation == event.formation:
                member = None
        for late_events in after_decommissioning.values():
            assert decommissioned is not None
            first = late_events[0]
            severity, why = _disagreement(decommissioned, first)
            kinds = ", ".join(sorted({e.kind.value for e in late_events}))
            # Within one source the catalog itself is wrong: say what to correct.
            fix = why or "; correct the unit or the date of one of the two events"
            yield Problem(
                first.origin.at("date"),
                "after-decommissioning",
                f"{unit_id!r} is {kinds} on {first.date}, after it was decommissioned on "
                f"{decommissioned.date} ({', '.join(sorted(_sources(decommissioned)))}){fix}",
                severity,
            )
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


def _figure_sources(figure: Figure) -> str:
    return ", ".join(sorted({c.source for c in figure.citations})) or "uncited"


def figures_differ(first: Quantity, second: Quantity) -> bool:
    """Whether two sources state different numbers for the same figure.

    Exact figures differ at any difference. When either is approximate or open-ended ("about
    4,500", "more than 4,500"), numbers within 10% of each other are taken as the same figure.
    """
    loose = first.approximate or second.approximate or first.high is None or second.high is None
    tolerance = 0.1 if loose else 0.0

    def apart(a: int, b: int) -> bool:
        return abs(a - b) > tolerance * max(a, b)

    if apart(first.low, second.low):
        return True
    return first.high is not None and second.high is not None and apart(first.high, second.high)


def _close_in_time(a: PartialDate, b: PartialDate) -> bool:
    """Whether two figures' dates lie within a month of each other: reports of the same state."""
    return a.start - b.end <= _MONTH and b.start - a.end <= _MONTH


_MONTH = dt.timedelta(days=31)


def _check_figures(catalog: Catalog) -> Iterator[Problem]:
    for formation in catalog.formations.values():
        for measure in ("personnel", "aircraft"):
            figures: tuple[Figure, ...] = getattr(formation, measure)
            for first, second in combinations(figures, 2):
                if (
                    _figure_sources(first) == _figure_sources(second)
                    or not figures_differ(first.count, second.count)
                    or (first.as_of and second.as_of and not _close_in_time(first.as_of, second.as_of))
                ):
                    continue
                both = "may both hold" if first.count.overlaps(second.count) else "cannot both hold"
                yield Problem(
                    second.origin.at("count"),
                    "sources-disagree",
                    f"{formation.id!r} {measure}: {_figure_sources(second)} gives {second.count}, "
                    f"{_figure_sources(first)} gives {first.count} (the figures differ and {both}); "
                    "both are kept",
                    Severity.WARNING,
                )


def _check_locations_reported(catalog: Catalog) -> Iterator[Problem]:
    """Different sources placing one unit at two unrelated places at what may be the same time."""
    places = catalog.place_parents
    placed: dict[str, list[Event]] = {}
    for event in catalog.events:
        if event.kind in (EventKind.ARRIVED, EventKind.REPORTED_PRESENT) and event.place in catalog.places:
            for unit_id in event.units:
                placed.setdefault(unit_id, []).append(event)
    for unit_id, events in placed.items():
        # Events come in order of their first possible day: each is compared only with the earlier
        # ones whose dates may still be running.
        running: list[Event] = []
        for second in events:
            running = [e for e in running if e.date.end >= second.date.start]
            running.append(second)
            for first in running[:-1]:
                if first.place == second.place:
                    continue
                assert first.place is not None and second.place is not None
                if (
                    _sources(first) & _sources(second)
                    or is_within(places, first.place, second.place)
                    or is_within(places, second.place, first.place)
                ):
                    continue
                yield Problem(
                    second.origin.at("place"),
                    "sources-disagree",
                    f"sources disagree on where {unit_id!r} was: {', '.join(sorted(_sources(second)))} "
                    f"places it at {second.place!r} ({second.date}), {', '.join(sorted(_sources(first)))} "
                    f"at {first.place!r} ({first.date}); both are kept",
                    Severity.WARNING,
                )


def _check_memberships_reported(catalog: Catalog) -> Iterator[Problem]:
    """Sources that each list two or more members of a formation, neither list within the other."""
    lists: dict[str, dict[str, tuple[set[str], Event]]] = {}
    for event in catalog.events:
        if event.kind is not EventKind.JOINED or event.formation is None:
            continue
        for source in _sources(event):
            members, first = lists.setdefault(event.formation, {}).get(source, (set(), event))
            members.update(event.units)
            lists[event.formation][source] = (members, first)
    for formation_id, by_source in lists.items():
        # Sources that list the very same members speak as one.
        groups: dict[frozenset[str], tuple[list[str], Event]] = {}
        for source, (members, first) in sorted(by_source.items()):
            key = frozenset(members)
            if key in groups:
                groups[key][0].append(source)
            else:
                groups[key] = ([source], first)
        for (units_a, (sources_a, event_a)), (units_b, (sources_b, event_b)) in combinations(groups.items(), 2):
            if len(units_a) < 2 or len(units_b) < 2 or units_a <= units_b or units_b <= units_a:
                continue
            later = max(event_a, event_b, key=lambda e: (e.date.sort_key(), e.origin.file, e.origin.line))
            yield Problem(
                later.origin.at("units"),
                "sources-disagree",
                f"sources disagree on the members of {formation_id!r}: {', '.join(sources_a)} "
                f"{'names' if len(sources_a) == 1 else 'name'} {', '.join(sorted(units_a))}; "
                f"{', '.join(sources_b)} {'names' if len(sources_b) == 1 else 'name'} "
                f"{', '.join(sorted(units_b))}; both are kept",
                Severity.WARNING,
            )
