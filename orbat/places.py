"""The place graph: which places lie within which, and what a region of one or more places holds.

A place may lie within several places (the Red Sea within a command's area and within a user's own
"surge area"), so ``within`` links make a graph, not a tree. A region is a set of places: a unit at
a place inside one of them is certainly in the region; a unit reported only at a place that holds
part of the region ("in the CENTCOM area") is possibly in it, never certainly.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Iterator, Mapping

import attrs

from orbat.model import Event, Place

__all__ = ["EVERYWHERE", "Inside", "PlaceGraph", "Region", "cycles"]


class Inside(enum.Enum):
    """Whether a place lies in a region: certainly, possibly (it contains part of it) or not."""

    NO = 0
    POSSIBLY = 1
    CERTAINLY = 2


@attrs.frozen(slots=True)
class Region:
    """The places whose units are counted; ``places`` empty means everywhere."""

    places: frozenset[str] = frozenset()

    @classmethod
    def of(cls, places: str | Iterable[str] | None) -> Region:
        """A region from a place id, ids, or "a,b" text; None or "all" is everywhere."""
        if places is None:
            return EVERYWHERE
        if isinstance(places, str):
            places = [p.strip() for p in places.split(",")]
        ids = frozenset(p for p in places if p)
        return EVERYWHERE if not ids or ids == {"all"} else cls(ids)

    @property
    def everywhere(self) -> bool:
        """True when every place counts."""
        return not self.places

    def __str__(self) -> str:
        return ",".join(sorted(self.places)) if self.places else "all"


EVERYWHERE = Region()


class PlaceGraph:
    """The ``within`` graph of a catalog's places, with every place's ancestors worked out once."""

    __slots__ = ("_inside", "_lookups", "ancestors", "descendants", "parents")

    def __init__(self, places: Mapping[str, Place]) -> None:
        self.parents: dict[str, tuple[str, ...]] = {p.id: p.within for p in places.values()}
        self.ancestors: dict[str, frozenset[str]] = {}
        for place_id in self.parents:
            self.ancestors[place_id] = frozenset(self._walk_up(place_id))
        descendants: dict[str, set[str]] = {place_id: set() for place_id in self.parents}
        for place_id, above in self.ancestors.items():
            for ancestor in above:
                descendants.setdefault(ancestor, set()).add(place_id)
        self.descendants = {k: frozenset(v) for k, v in descendants.items()}
        self._inside: dict[tuple[str, Region], Inside] = {}
        self._lookups: dict[Region, dict[str, Inside]] = {}

    def _walk_up(self, start: str) -> Iterator[str]:
        """``start`` and every place above it; stops at cycles (reported by validation)."""
        seen: set[str] = set()
        stack = [start]
        while stack:
            current = stack.pop()
            if current in seen:
                continue
            seen.add(current)
            yield current
            stack.extend(self.parents.get(current, ()))

    def above(self, place: str) -> frozenset[str]:
        """``place`` and every place it lies within."""
        found = self.ancestors.get(place)
        return found if found is not None else frozenset((place,))

    def below(self, place: str) -> frozenset[str]:
        """``place`` and every place within it."""
        found = self.descendants.get(place)
        return found if found is not None else frozenset((place,))

    def is_within(self, inner: str | None, outer: str) -> bool:
        """Whether ``inner`` is ``outer`` or lies within it, by any path."""
        return inner is not None and outer in self.above(inner)

    def related(self, a: str, b: str) -> bool:
        """Whether one of two places lies within the other."""
        return self.is_within(a, b) or self.is_within(b, a)

    def apart(self, first: Event, second: Event) -> bool:
        """Whether two events put a unit apart at what may be the same time, each on the word of
        other sources: places neither within the other, on days that may be the same, with no
        source in common (one source's own reports are read in order, not as a dispute)."""
        a, b = first.place, second.place
        return (
            a is not None
            and b is not None
            and a != b
            and first.date.overlaps(second.date)
            and {c.source for c in first.citations}.isdisjoint(c.source for c in second.citations)
            and not self.related(a, b)
        )

    def lookup(self, region: Region) -> dict[str, Inside]:
        """Every place of the graph with whether it lies in ``region``, worked out once per region."""
        found = self._lookups.get(region)
        if found is None:
            found = self._lookups[region] = {place: self.inside(place, region) for place in self.parents}
        return found

    def inside(self, place: str | None, region: Region) -> Inside:
        """Whether a unit at ``place`` is in ``region``: certainly when the place lies within one of
        its places; possibly when the place and one of them hold a place in common (the place
        contains part of the region, as "the Southern Command area" holds the Caribbean)."""
        if place is None:
            return Inside.NO
        if region.everywhere:
            return Inside.CERTAINLY
        key = (place, region)
        found = self._inside.get(key)
        if found is None:
            if self.above(place) & region.places:
                found = Inside.CERTAINLY
            elif any(self.below(place) & self.below(r) for r in region.places):
                found = Inside.POSSIBLY
            else:
                found = Inside.NO
            self._inside[key] = found
        return found


def cycles(places: Mapping[str, Place]) -> Iterator[list[str]]:
    """Each cycle of ``within`` links, once, as the list of places around it in catalog order."""
    order = {place_id: n for n, place_id in enumerate(places)}
    reported: set[frozenset[str]] = set()
    done: set[str] = set()

    def visit(node: str, path: list[str], on_path: dict[str, int]) -> Iterator[list[str]]:
        on_path[node] = len(path)
        path.append(node)
        for parent in places[node].within:
            if parent not in places:
                continue
            if parent in on_path:
                cycle = path[on_path[parent] :]
                key = frozenset(cycle)
                if key not in reported:
                    reported.add(key)
                    first = min(cycle, key=order.__getitem__)
                    yield cycle[cycle.index(first) :] + cycle[: cycle.index(first)]
            elif parent not in done:
                yield from visit(parent, path, on_path)
        path.pop()
        del on_path[node]
        done.add(node)

    for start in places:
        if start not in done:
            yield from visit(start, [], {})
