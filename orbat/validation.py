"""Semantic checks of a loaded catalog: references, cycles, event order, quotes, disagreements.

A contradiction within one source is an error: the catalog is wrong. A contradiction between
two sources is a warning naming both: reporting disagrees, and the catalog keeps both.
"""

from __future__ import annotations

import difflib
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping

from orbat.disputes import figures_differ, find_disagreements
from orbat.model import (
    Catalog,
    Citation,
    Formation,
    Vessel,
    hull_symbol,
)
from orbat.problems import Location, Problem

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
    problems.extend(_check_service_dates(catalog))
    # Disagreements between facts: errors within one source, warnings between sources.
    problems.extend(d.problem for d in find_disagreements(catalog))
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
