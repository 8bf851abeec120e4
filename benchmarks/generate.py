"""A deterministic synthetic world catalog in orbat's format, for benchmarks.

    python benchmarks/generate.py --size S [OUT]      # default OUT: benchmarks/out/<size>/

The catalog is a folder split as a maintainer would split it: types, places, sources by kind
(weekly fleet trackers with their local texts under ``seeds/``), vessels, aircraft and
formations by navy, events by year and month, and claims. Everything comes from one seeded
``random.Random``; nothing but the standard library is used, so the same generator gives the
same bytes on every machine.

The catalog validates without errors. The only warnings are intended ones: a few formations
carry a personnel figure from a second source that disagrees with the first
(``sources-disagree``); their number is written to ``manifest.json`` as ``expected_warnings``.
To stay free of errors and of unintended warnings the simulation keeps, per unit:

* events strictly in order and never overlapping (each starts after the previous one ends),
  so sorting by date gives the simulated order and no two reports of a place can overlap;
* one formation at a time (joined, then detached before joining another);
* no arriving where it already is (the last arrived/returned place until it departs);
* nothing after decommissioning (which is always a vessel's last event);
* every join into a formation cites the formation's navy press office, and any other source
  cites at most one single-unit join into that formation, so no two sources list members of
  a formation of which neither list holds the other.
"""

from __future__ import annotations

import argparse
import calendar
import datetime as dt
import hashlib
import json
import random
import re
import shutil
import sys
from bisect import bisect_right
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from itertools import accumulate
from pathlib import Path

__all__ = ["SEED", "SIZES", "Size", "generate", "generator_hash"]

SEED = 20251124
HERE = Path(__file__).resolve().parent


@dataclass(frozen=True)
class Size:
    """How big a catalog to make. Places and sources (the world and the reporting) do not scale."""

    name: str
    vessels: int
    unidentified: int
    aircraft: int
    formations: int
    events: int
    claims: int


SIZES: dict[str, Size] = {
    "S": Size("S", vessels=1_000, unidentified=20, aircraft=200, formations=100, events=10_000, claims=20),
    "M": Size("M", vessels=10_000, unidentified=200, aircraft=2_000, formations=1_000, events=100_000, claims=200),
}


def generator_hash(size: Size, seed: int = SEED) -> str:
    """What a generated catalog is keyed by: this file's bytes, the size and the seed."""
    digest = hashlib.sha256(Path(__file__).read_bytes())
    digest.update(repr((size, seed)).encode())
    return digest.hexdigest()[:16]


# ---------------------------------------------------------------------------------------------
# YAML scalars, written as a maintainer would: plain where that is safe, quoted otherwise.

_PLAIN = re.compile(r"^[A-Za-z0-9~(][A-Za-z0-9 .,_/()'+~\u2013-]*$")
_YAML11 = re.compile(
    r"^(?:y|Y|yes|Yes|YES|n|N|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF"
    r"|null|Null|NULL|~|[-+]?[0-9][0-9_.:eE+-]*|\d{4}-\d{1,2}-\d{1,2}.*)$"
)


def _quoted(value: str) -> str:
    if '"' in value and "'" not in value:
        return f"'{value}'"
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def text(value: str, flow: bool = False) -> str:
    """A text field: plain unless YAML 1.1 would read it as something else or it needs quoting."""
    if (
        _PLAIN.match(value)
        and not _YAML11.match(value)
        and not value.endswith(" ")
        and not (flow and any(c in value for c in ",[]{}"))
    ):
        return value
    return _quoted(value)


def raw(value: str, flow: bool = False) -> str:
    """A date or count field: orbat reads these as text itself, so numbers and dates stay plain."""
    if _PLAIN.match(value) and not (flow and any(c in value for c in ",[]{}")):
        return value
    return _quoted(value)


# ---------------------------------------------------------------------------------------------
# The world: navies, places, types

# code, navy name, country, ship prefix, weight, hull style, home region
NAVIES: tuple[tuple[str, str, str, str, float, str, str], ...] = (
    ("US", "United States Navy", "United States", "USS", 12.0, "us", "north-atlantic"),
    ("CN", "People's Liberation Army Navy", "China", "", 11.0, "type", "western-pacific"),
    ("RU", "Russian Navy", "Russia", "", 8.0, "type", "northern-europe"),
    ("JP", "Japan Maritime Self-Defense Force", "Japan", "JS", 5.0, "type", "western-pacific"),
    ("IN", "Indian Navy", "India", "INS", 5.0, "pennant", "indian-ocean"),
    ("KR", "Republic of Korea Navy", "South Korea", "ROKS", 4.0, "type", "western-pacific"),
    ("GB", "Royal Navy", "United Kingdom", "HMS", 3.0, "pennant", "northern-europe"),
    ("FR", "French Navy", "France", "", 3.0, "pennant", "mediterranean"),
    ("IT", "Italian Navy", "Italy", "ITS", 2.5, "pennant", "mediterranean"),
    ("TR", "Turkish Naval Forces", "Turkey", "TCG", 2.5, "pennant", "mediterranean"),
    ("IR", "Islamic Republic of Iran Navy", "Iran", "IRIS", 2.5, "type", "middle-east"),
    ("ID", "Indonesian Navy", "Indonesia", "KRI", 2.5, "type", "southeast-asia"),
    ("TW", "Republic of China Navy", "Taiwan", "ROCS", 2.0, "type", "western-pacific"),
    ("ES", "Spanish Navy", "Spain", "", 2.0, "pennant", "mediterranean"),
    ("GR", "Hellenic Navy", "Greece", "HS", 2.0, "pennant", "mediterranean"),
    ("BR", "Brazilian Navy", "Brazil", "", 2.0, "pennant", "south-atlantic"),
    ("MX", "Mexican Navy", "Mexico", "ARM", 2.0, "type", "caribbean"),
    ("EG", "Egyptian Navy", "Egypt", "ENS", 2.0, "type", "mediterranean"),
    ("DE", "German Navy", "Germany", "", 1.5, "pennant", "northern-europe"),
    ("AU", "Royal Australian Navy", "Australia", "HMAS", 1.5, "pennant", "southern-ocean"),
    ("TH", "Royal Thai Navy", "Thailand", "HTMS", 1.5, "type", "southeast-asia"),
    ("CA", "Royal Canadian Navy", "Canada", "HMCS", 1.2, "pennant", "north-atlantic"),
    ("PK", "Pakistan Navy", "Pakistan", "PNS", 1.2, "pennant", "indian-ocean"),
    ("SA", "Royal Saudi Navy", "Saudi Arabia", "HMS", 1.2, "type", "middle-east"),
    ("MY", "Royal Malaysian Navy", "Malaysia", "KD", 1.2, "pennant", "southeast-asia"),
    ("VN", "Vietnam People's Navy", "Vietnam", "", 1.2, "type", "southeast-asia"),
    ("NL", "Royal Netherlands Navy", "Netherlands", "HNLMS", 1.0, "pennant", "northern-europe"),
    ("NO", "Royal Norwegian Navy", "Norway", "KNM", 1.0, "pennant", "arctic"),
    ("AR", "Argentine Navy", "Argentina", "ARA", 1.0, "pennant", "south-atlantic"),
    ("CL", "Chilean Navy", "Chile", "", 1.0, "pennant", "eastern-pacific"),
    ("CO", "Colombian Navy", "Colombia", "ARC", 1.0, "type", "caribbean"),
    ("PE", "Peruvian Navy", "Peru", "BAP", 1.0, "type", "eastern-pacific"),
    ("BD", "Bangladesh Navy", "Bangladesh", "BNS", 1.0, "pennant", "indian-ocean"),
    ("PH", "Philippine Navy", "Philippines", "BRP", 1.0, "type", "southeast-asia"),
    ("DK", "Royal Danish Navy", "Denmark", "HDMS", 0.8, "pennant", "northern-europe"),
    ("PL", "Polish Navy", "Poland", "ORP", 0.8, "pennant", "northern-europe"),
    ("AE", "United Arab Emirates Navy", "United Arab Emirates", "", 0.8, "type", "middle-east"),
    ("SG", "Republic of Singapore Navy", "Singapore", "RSS", 0.8, "pennant", "southeast-asia"),
    ("ZA", "South African Navy", "South Africa", "SAS", 0.6, "pennant", "south-atlantic"),
    ("NZ", "Royal New Zealand Navy", "New Zealand", "HMNZS", 0.4, "pennant", "southern-ocean"),
)
NATO = ("US", "GB", "FR", "IT", "TR", "ES", "GR", "DE", "CA", "NL", "NO", "DK", "PL")

REGIONS: dict[str, tuple[str, tuple[str, ...], tuple[str, ...]]] = {
    # id: (name, seas, waterways)
    "western-pacific": (
        "Western Pacific",
        ("Philippine Sea", "East China Sea", "Sea of Japan", "Yellow Sea", "Sea of Okhotsk", "Bering Sea"),
        ("Taiwan Strait", "Luzon Strait", "Tsushima Strait"),
    ),
    "southeast-asia": (
        "Southeast Asia",
        ("South China Sea", "Java Sea", "Celebes Sea", "Sulu Sea", "Gulf of Thailand", "Andaman Sea"),
        ("Strait of Malacca", "Lombok Strait", "Sunda Strait"),
    ),
    "indian-ocean": (
        "Indian Ocean region",
        ("Arabian Sea", "Bay of Bengal", "Laccadive Sea", "Timor Sea"),
        ("Mozambique Channel",),
    ),
    "middle-east": (
        "Middle East",
        ("Persian Gulf", "Gulf of Oman", "Red Sea", "Gulf of Aden"),
        ("Strait of Hormuz", "Bab-el-Mandeb", "Suez Canal"),
    ),
    "mediterranean": (
        "Mediterranean",
        ("Tyrrhenian Sea", "Adriatic Sea", "Aegean Sea", "Ionian Sea", "Levantine Sea", "Black Sea"),
        ("Strait of Gibraltar", "Bosphorus", "Strait of Sicily"),
    ),
    "northern-europe": (
        "Northern Europe",
        ("North Sea", "Baltic Sea", "Norwegian Sea", "Irish Sea", "Celtic Sea", "Bay of Biscay"),
        ("English Channel", "Danish Straits", "Skagerrak"),
    ),
    "arctic": ("Arctic", ("Barents Sea", "Greenland Sea", "Kara Sea"), ("GIUK gap",)),
    "north-atlantic": (
        "North Atlantic",
        ("Labrador Sea", "Sargasso Sea", "Gulf of Maine", "Norfolk operating area"),
        ("Cabot Strait",),
    ),
    "caribbean": ("Caribbean", ("Caribbean Sea", "Gulf of Mexico"), ("Panama Canal", "Windward Passage")),
    "south-atlantic": (
        "South Atlantic",
        ("Gulf of Guinea", "Argentine Sea", "Cape Basin"),
        ("Drake Passage",),
    ),
    "eastern-pacific": ("Eastern Pacific", ("Gulf of California", "Gulf of Alaska", "Humboldt Sea"), ()),
    "southern-ocean": ("Southern Ocean", ("Coral Sea", "Tasman Sea", "Ross Sea", "Scotia Sea"), ("Bass Strait",)),
}

# id, name, category (added to the built-in reference types by types.yaml)
EXTRA_SHIP_TYPES = (
    ("D", "destroyer (pennant flag D)", "surface combatant"),
    ("F", "frigate (pennant flag F)", "surface combatant"),
    ("S", "submarine (pennant flag S)", "submarine"),
    ("L", "amphibious ship (pennant flag L)", "amphibious"),
    ("A", "auxiliary (pennant flag A)", "auxiliary"),
    ("P", "patrol vessel (pennant flag P)", "patrol"),
    ("M", "mine countermeasures vessel (pennant flag M)", "mine warfare"),
    ("R", "aircraft carrier (pennant flag R)", "carrier"),
    ("SSK", "diesel-electric attack submarine", "submarine"),
    ("FFL", "corvette", "surface combatant"),
    ("OPV", "offshore patrol vessel", "patrol"),
    ("PG", "patrol gunboat", "patrol"),
    ("AOR", "replenishment oiler", "auxiliary"),
    ("LST", "tank landing ship", "amphibious"),
    ("MHC", "coastal minehunter", "mine warfare"),
    ("AGI", "intelligence collection ship", "special operations"),
)
EXTRA_AIRCRAFT_TYPES = (
    ("J-15", "Flying Shark", "fighter"),
    ("Su-33", "Flanker-D", "fighter"),
    ("Ka-27", "Helix", "helicopter"),
    ("Ka-52K", "Katran", "attack"),
    ("Z-9", "Haitun", "helicopter"),
    ("KJ-600", "airborne early warning aircraft", "early warning"),
    ("Rafale M", "Rafale (naval)", "fighter"),
    ("NH90", "NATO Frigate Helicopter", "helicopter"),
    ("AW159", "Wildcat", "helicopter"),
    ("AW101", "Merlin", "helicopter"),
    ("Tu-142", "Bear-F", "maritime patrol"),
    ("Il-38", "May", "maritime patrol"),
    ("ScanEagle", "ScanEagle", "unmanned"),
)
AIRCRAFT_DEFAULT = ("MH-60R", "NH90", "AW159", "AW101", "P-8A", "ScanEagle", "MQ-9A")
AIRCRAFT_BY_NAVY: dict[str, tuple[str, ...]] = {
    "US": ("F-35B", "F-35C", "F/A-18E/F", "EA-18G", "E-2D", "MV-22B", "MQ-9A", "P-8A", "MH-60R", "MH-60S",
           "CH-53E", "AH-1Z"),
    "CN": ("J-15", "Z-9", "KJ-600", "Ka-27"),
    "RU": ("Su-33", "Ka-27", "Ka-52K", "Tu-142", "Il-38"),
    "FR": ("Rafale M", "E-2D", "NH90"),
    "GB": ("F-35B", "AW159", "AW101", "P-8A"),
    "IN": ("P-8A", "MH-60R", "Ka-27"),
    "JP": ("P-8A", "MH-60R", "F-35B"),
    "IT": ("F-35B", "AV-8B", "NH90"),
}  # fmt: skip
AIRCRAFT_TYPE_IDS = (
    "F-35B", "F-35C", "F/A-18E/F", "EA-18G", "E-2D", "MV-22B", "MQ-9A", "P-8A", "MH-60R", "MH-60S",
    "CH-53E", "AH-1Z", *(t[0] for t in EXTRA_AIRCRAFT_TYPES),
)  # fmt: skip

# category, share of a navy's vessels, (us symbols, pennant flag, type-only symbols), noun, activity
CATEGORIES: tuple[tuple[str, float, tuple[str, ...], str, tuple[str, ...], str, float], ...] = (
    ("carrier", 0.01, ("CVN",), "R", ("CV",), "aircraft carrier", 4.0),
    ("destroyer", 0.09, ("DDG",), "D", ("DDG",), "destroyer", 1.6),
    ("frigate", 0.12, ("FFG", "LCS"), "F", ("FFG", "FFL"), "frigate", 1.4),
    ("submarine", 0.10, ("SSN", "SSGN", "SSBN"), "S", ("SSK", "SSN"), "submarine", 0.5),
    ("amphibious", 0.08, ("LHA", "LHD", "LPD", "LSD"), "L", ("LST", "LPD"), "amphibious ship", 1.5),
    ("patrol", 0.26, ("PC", "WMSL", "WMEC"), "P", ("OPV", "PG"), "patrol vessel", 0.8),
    ("mine warfare", 0.09, ("MCM",), "M", ("MHC",), "minehunter", 0.6),
    ("auxiliary", 0.14, ("T-AO", "T-AKE", "T-ESB", "T-EPF", "T-ATS"), "A", ("AOR",), "auxiliary", 1.0),
    ("command", 0.01, ("LCC",), "L", ("AGI",), "command ship", 2.0),
)

MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September",
          "October", "November", "December")  # fmt: skip
SYLLABLES = ("ka", "ro", "an", "te", "mi", "sol", "var", "den", "lo", "ra", "stra", "vel", "or", "ia", "nor",
             "kes", "tal", "bri", "mar", "eth", "gal", "tor", "ven", "sa", "dra", "hal", "lin", "cor", "bel",
             "quin", "zar", "mo", "fen", "ard", "is", "ul")  # fmt: skip

SPAN_START = dt.date(2016, 1, 4)  # a Monday: weeks run Monday to Sunday
WEEKS = 522  # ten years of weekly fleet trackers


def _name(rng: random.Random, parts: int = 2) -> str:
    return "".join(rng.choice(SYLLABLES) for _ in range(parts)).capitalize()


def _slug(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")


def _words(o: int) -> str:
    d = dt.date.fromordinal(o)
    return f"{d.day} {MONTHS[d.month - 1]} {d.year}"


def _number(n: int, rng: random.Random) -> str:
    return f"{n:,}" if n >= 1000 and rng.random() < 0.7 else str(n)


def quantity(rng: random.Random, n: int) -> str:
    """A count as a source might word it: exact, about, more than, at least, N+, a range, up to, ..."""
    n = max(n, 1)
    r = rng.random()
    if r < 0.55:
        return str(n)
    if r < 0.66:
        return f"{rng.choice(('about', 'roughly', 'approximately', 'some', 'around'))} {_number(n, rng)}"
    if r < 0.72:
        return f"more than {_number(n, rng)}"
    if r < 0.77:
        return f"at least {_number(n, rng)}"
    if r < 0.80:
        return f"{_number(n, rng)}+"
    if r < 0.87:
        high = n + rng.randint(1, max(2, n // 5))
        return rng.choice((f"{n}-{high}", f"{n} to {high}", f"{n}\u2013{high}"))
    if r < 0.92:
        return f"up to {_number(n, rng)}"
    if r < 0.95:
        return f"fewer than {_number(n + 1, rng)}"
    if r < 0.98:
        return f"~{n}"
    return "unknown"


# ---------------------------------------------------------------------------------------------
# Records


Cite = tuple[str, str | None, str | None]  # source, quote, note
Record = dict[str, object]  # an entry's YAML fields


@dataclass(slots=True)
class Unit:
    """A unit as the simulation sees it (what validation tracks, and what sentences need)."""

    id: str
    kind: str  # vessel, aircraft, unidentified
    navy: str
    label: str
    noun: str
    home: str
    region: str
    active_from: int
    decommission: int | None = None  # the planned day, for vessels that leave service in the span
    retired: bool = False
    last_end: int = 0
    at: str | None = None  # the last place arrived at or returned to, until it departs
    dest: str | None = None
    member: str | None = None


@dataclass(slots=True)
class Event:
    start: int
    end: int
    date: str
    words: str  # the date as a sentence gives it
    kind: str
    units: list[str]
    formation: str | None = None
    place: str | None = None
    to: str | None = None
    relieves: str | None = None
    count: str | None = None
    note: str | None = None
    cites: list[Cite] = field(default_factory=list)
    id: str | None = None


@dataclass
class World:
    rng: random.Random
    size: Size
    places: list[dict[str, str]] = field(default_factory=list)
    place_names: dict[str, str] = field(default_factory=dict)
    place_region: dict[str, str] = field(default_factory=dict)
    harbours: set[str] = field(default_factory=set)  # ports, bases and airfields
    seas: dict[str, list[str]] = field(default_factory=dict)  # by region (seas and waterways)
    ports: dict[str, list[str]] = field(default_factory=dict)  # by region
    navy_ports: dict[str, list[str]] = field(default_factory=dict)
    navy_airfields: dict[str, list[str]] = field(default_factory=dict)
    ids: set[str] = field(default_factory=set)
    units: dict[str, Unit] = field(default_factory=dict)
    weights: list[tuple[str, float]] = field(default_factory=list)  # how often reporting mentions each unit
    vessels: dict[str, list[Record]] = field(default_factory=dict)  # YAML fields by navy
    vessel_records: dict[str, Record] = field(default_factory=dict)
    unidentified: list[Record] = field(default_factory=list)
    aircraft: dict[str, list[Record]] = field(default_factory=dict)
    formations: dict[str, list[dict[str, object]]] = field(default_factory=dict)  # by navy or "multinational"
    formation_names: dict[str, str] = field(default_factory=dict)
    formation_navy: dict[str, str] = field(default_factory=dict)
    formations_by_navy: dict[str, list[str]] = field(default_factory=dict)
    members: dict[str, dict[str, None]] = field(default_factory=dict)
    trackers: list[list[str]] = field(default_factory=list)  # sentences of each week's tracker
    tracker_curly: list[bool] = field(default_factory=list)
    joins_cited: set[tuple[str, str]] = field(default_factory=set)
    events: list[Event] = field(default_factory=list)
    claims: list[dict[str, object]] = field(default_factory=list)
    expected_warnings: int = 0

    def new_id(self, wanted: str) -> str:
        candidate, n = wanted, 2
        while candidate in self.ids:
            candidate, n = f"{wanted}-{n}", n + 1
        self.ids.add(candidate)
        return candidate


def _tracker_id(week: int) -> str:
    day = dt.date.fromordinal(SPAN_START.toordinal() + 7 * week)
    year, number, _ = day.isocalendar()
    return f"tracker-{year}-w{number:02d}"


def _week_of(o: int) -> int:
    return min(max((o - SPAN_START.toordinal()) // 7, 0), WEEKS - 1)


def _journal_id(o: int) -> str:
    d = dt.date.fromordinal(o)
    return f"journal-{d.year}-{d.month:02d}"


def _curly(sentence: str) -> str:
    out, opening = [], True
    for ch in sentence:
        if ch == '"':
            out.append("\u201c" if opening else "\u201d")
            opening = not opening
        elif ch == "'":
            out.append("\u2019")
        else:
            out.append(ch)
    return "".join(out)


def quote_in(world: World, week: int, sentence: str) -> Cite:
    """Add ``sentence`` to the week's tracker text and cite it (whole, or a run of its words)."""
    rng = world.rng
    sentence = sentence[0].upper() + sentence[1:]
    world.trackers[week].append(sentence)
    quote = sentence
    words = sentence.split(" ")
    if len(words) >= 9 and rng.random() < 0.3:
        quote = " ".join(words[rng.randint(0, 2) : len(words) - rng.randint(1, 3)])
    return (_tracker_id(week), quote, None)


# ---------------------------------------------------------------------------------------------
# Building the world


def _build_places(world: World) -> None:
    rng = world.rng
    for region, (name, seas, waterways) in REGIONS.items():
        world.ids.add(region)
        world.places.append({"id": region, "name": name, "kind": "region"})
        world.place_names[region] = name
        world.place_region[region] = region
        world.seas[region] = []
        world.ports[region] = []
        for sea in seas:
            pid = world.new_id(_slug(sea))
            world.places.append({"id": pid, "name": sea, "kind": "sea", "within": region})
            world.place_names[pid], world.place_region[pid] = sea, region
            world.seas[region].append(pid)
        for way in waterways:
            pid = world.new_id(_slug(way))
            world.places.append({"id": pid, "name": way, "kind": "waterway", "within": region})
            world.place_names[pid], world.place_region[pid] = way, region
            world.seas[region].append(pid)
    for code, _navy, country, _prefix, weight, _style, region in NAVIES:
        cid = world.new_id(_slug(country))
        world.places.append({"id": cid, "name": country, "kind": "country", "within": region})
        world.place_names[cid], world.place_region[cid] = country, region
        world.navy_ports[code], world.navy_airfields[code] = [], []
        for n in range(2 + round(weight)):
            town = _name(rng, rng.choice((2, 3)))
            if n == 0:
                pname, kind = f"Naval Base {town}", "base"
            elif rng.random() < 0.08:
                pname, kind = f"Fort d'{town}", "port"
            else:
                pname, kind = rng.choice(((f"Port {town}", "port"), (f"{town} Harbour", "port"),
                                          (f"{town} Naval Station", "base")))  # fmt: skip
            pid = world.new_id(_slug(pname))
            world.places.append({"id": pid, "name": pname, "kind": kind, "within": cid})
            world.place_names[pid], world.place_region[pid] = pname, region
            world.navy_ports[code].append(pid)
            world.harbours.add(pid)
            world.ports[region].append(pid)
        for _ in range(1 + round(weight) // 3):
            aname = f"{_name(rng)} Air Base"
            pid = world.new_id(_slug(aname))
            world.places.append({"id": pid, "name": aname, "kind": "airport", "within": cid})
            world.place_names[pid], world.place_region[pid] = aname, region
            world.navy_airfields[code].append(pid)
            world.harbours.add(pid)


def _allocate(total: int, weights: Sequence[float]) -> list[int]:
    """``total`` split in proportion to ``weights`` (largest remainders), deterministic."""
    whole = sum(weights)
    exact = [total * w / whole for w in weights]
    counts = [int(x) for x in exact]
    order = sorted(range(len(weights)), key=lambda i: (counts[i] - exact[i], i))
    for i in order[: total - sum(counts)]:
        counts[i] += 1
    return counts


def _day_text(o: int) -> str:
    return dt.date.fromordinal(o).isoformat()


def _loose_date(rng: random.Random, o: int) -> str:
    """A commissioning date as registers give it: mostly a day, some a month, a few a year."""
    d = dt.date.fromordinal(o)
    r = rng.random()
    if r < 0.8:
        return d.isoformat()
    if r < 0.95:
        return f"{d.year}-{d.month:02d}"
    return str(d.year)


def _build_vessels(world: World) -> None:
    rng, size = world.rng, world.size
    span_start, span_end = SPAN_START.toordinal(), SPAN_START.toordinal() + 7 * WEEKS - 1
    per_navy = _allocate(size.vessels, [n[4] for n in NAVIES])
    for (code, _navy, _country, prefix, _weight, style, region), count in zip(NAVIES, per_navy, strict=True):
        records: list[Record] = []
        world.vessels[code] = records
        per_category = _allocate(count, [c[1] for c in CATEGORIES])
        counters: dict[str, int] = {}
        for category, n_vessels in zip(CATEGORIES, per_category, strict=True):
            _cat, _share, us_symbols, flag, type_symbols, noun, activity = category
            class_names = [f"{_name(rng, 2)}" for _ in range(1 + n_vessels // 12)]
            for _ in range(n_vessels):
                name = _name(rng, rng.choice((2, 2, 3)))
                record: Record = {}
                hull: str | None = None
                type_: str | None = None
                if style == "us":
                    symbol = rng.choice(us_symbols)
                    counters[symbol] = counters.get(symbol, rng.randint(1, 40)) + 1
                    hull = serial = f"{symbol}-{counters[symbol]}"
                elif style == "pennant":
                    counters[flag] = counters.get(flag, rng.randint(10, 90)) + 1
                    hull = serial = f"{flag}-{counters[flag]}"
                else:
                    type_ = rng.choice(type_symbols)
                    counters[type_] = counters.get(type_, 0) + 1
                    serial = f"{type_}-{counters[type_]}"
                vid = world.new_id(f"{code.lower()}-{_slug(serial)}")
                label = f"{prefix} {name}".strip()
                record["id"] = vid
                record["name"] = label
                if hull:
                    record["hull"] = hull
                    if rng.random() < 0.05:
                        record["type"] = hull.rpartition("-")[0]
                else:
                    assert type_ is not None
                    record["type"] = type_
                if rng.random() < 0.85:
                    record["class"] = rng.choice(class_names)
                record["navy"] = code
                r = rng.random()
                if r < 0.03:  # retired before the span: no events at all
                    commissioned = rng.randint(dt.date(1975, 1, 1).toordinal(), dt.date(1995, 1, 1).toordinal())
                    retired = rng.randint(dt.date(2005, 1, 1).toordinal(), span_start - 60)
                    record["commissioned"] = _loose_date(rng, commissioned)
                    record["decommissioned"] = _day_text(retired)
                    active_from = span_end + 1
                elif r < 0.11:  # commissioned within the span
                    commissioned = rng.randint(span_start, span_end - 400)
                    record["commissioned"] = _day_text(commissioned)
                    active_from = commissioned + 1
                else:
                    commissioned = rng.randint(dt.date(1985, 1, 1).toordinal(), span_start - 30)
                    if rng.random() < 0.9:
                        record["commissioned"] = _loose_date(rng, commissioned)
                    active_from = span_start
                hull_text = f" ({hull})" if hull else ""
                unit = Unit(
                    vid, "vessel", code, f"{label}{hull_text}", noun,
                    rng.choice(world.navy_ports[code]), region, active_from,
                )  # fmt: skip
                earliest = max(active_from + 365, span_start + 60)
                if r >= 0.03 and earliest < span_end - 14 and rng.random() < 0.12:
                    unit.decommission = rng.randint(earliest, span_end - 14)
                world.units[vid] = unit
                world.vessel_records[vid] = record
                _cite_vessel(world, record, unit, commissioned if 0.03 <= r < 0.11 else None)
                if rng.random() < 0.04:
                    record["note"] = rng.choice(("name also transliterated differently in some sources",
                                                 "refit 2012-2014", "training ship since 2019"))  # fmt: skip
                records.append(record)
                if r >= 0.03:  # how often the reporting mentions it (the simulation's draw)
                    world.weights.append((vid, activity * rng.lognormvariate(0, 0.8)))


def _cite_vessel(world: World, record: Record, unit: Unit, commissioned: int | None) -> None:
    rng = world.rng
    if commissioned is not None and rng.random() < 0.6:
        week = _week_of(commissioned)
        sentence = f"{unit.label} was commissioned on {_words(commissioned)}."
        source, quote, _ = quote_in(world, week, sentence)
        record["cite"] = [{"source": source, "quote": quote}]
    elif rng.random() < 0.7:
        record["cite"] = [f"register-{unit.navy.lower()}"]


def _build_unidentified(world: World) -> None:
    rng = world.rng
    navies = [n[0] for n in NAVIES]
    weights = [n[4] for n in NAVIES]
    for n in range(world.size.unidentified):
        code = rng.choices(navies, weights)[0]
        known = world.vessels[code]
        type_ = rng.choice(("DDG", "FFG", "SSK", "OPV", "AOR", "LST", "PG"))
        uid = world.new_id(f"unidentified-{code.lower()}-{n + 1:04d}")
        count = rng.randint(2, 5)
        record: Record = {"id": uid, "type": type_, "count": quantity(rng, count), "navy": code}
        if rng.random() < 0.7:
            record["description"] = rng.choice(("seen in satellite imagery", "reported by fishing vessels",
                                                "counted in a ministry statement", "tracked by AIS gaps"))  # fmt: skip
        if known and rng.random() < 0.25:
            picks = rng.sample(known, min(len(known), rng.randint(1, 2)))
            record["identified_as"] = [v["id"] for v in picks]
        region = next(nv[6] for nv in NAVIES if nv[0] == code)
        unit = Unit(uid, "unidentified", code, f"{count} unidentified {code} vessels", "group",
                    rng.choice(world.navy_ports[code]), region, SPAN_START.toordinal())  # fmt: skip
        world.units[uid] = unit
        week = rng.randrange(WEEKS)
        source, quote, _ = quote_in(world, week, f"Observers counted {count} unidentified {code} warships.")
        record["cite"] = [{"source": source, "quote": quote}]
        world.unidentified.append(record)
        world.weights.append((uid, 0.3 * rng.lognormvariate(0, 0.5)))


def _build_aircraft(world: World) -> None:
    rng = world.rng
    per_navy = _allocate(world.size.aircraft, [n[4] for n in NAVIES])
    squadron_kinds = ("Helicopter Squadron", "Patrol Squadron", "Strike Fighter Squadron", "Air Detachment",
                      "Maritime Patrol Flight", "Unmanned Aerial Flight")  # fmt: skip
    for (code, _navy, _country, _prefix, _w, _style, region), count in zip(NAVIES, per_navy, strict=True):
        records: list[Record] = []
        world.aircraft[code] = records
        for n in range(count):
            aid = world.new_id(f"{code.lower()}-air-{n + 1:04d}")
            name = f"{rng.choice(squadron_kinds)} {rng.randint(1, 250)} detachment"
            type_ = rng.choice(AIRCRAFT_BY_NAVY.get(code, AIRCRAFT_DEFAULT))
            number = rng.choice((2, 2, 4, 4, 6, 8, 10, 12, 16, 24))
            record: Record = {"id": aid, "name": name, "type": type_, "count": quantity(rng, number), "navy": code}
            base = rng.choice(world.navy_airfields[code] + world.navy_ports[code][:1])
            if rng.random() < 0.8:
                record["base"] = base
            unit = Unit(aid, "aircraft", code, f"the {name} ({type_})", "detachment", base, region,
                        SPAN_START.toordinal())  # fmt: skip
            world.units[aid] = unit
            if rng.random() < 0.6:
                week = rng.randrange(WEEKS)
                sentence = f"The {name} operates {number} {type_} aircraft from {world.place_names[base]}."
                source, quote, _ = quote_in(world, week, sentence)
                record["cite"] = [{"source": source, "quote": quote}]
            else:
                record["cite"] = [f"press-{code.lower()}"]
            if rng.random() < 0.05:
                record["note"] = "detachment strength varies with the deployment cycle"
            records.append(record)
            world.weights.append((aid, 1.1 * rng.lognormvariate(0, 0.6)))


FORMATION_KINDS_BY_DEPTH: tuple[tuple[tuple[str, str, str], ...], ...] = (
    (("command", "Fleet", "flt"), ("joint task force", "Joint Task Force", "jtf"), ("task force", "Task Force", "tf")),
    (("task force", "Task Force", "tf"), ("strike group", "Carrier Strike Group", "csg"),
     ("ready group", "Amphibious Ready Group", "arg"), ("air wing", "Air Wing", "cvw"),
     ("squadron", "Destroyer Squadron", "desron")),
    (("task group", "Task Group", "tg"), ("squadron", "Escort Squadron", "escron"),
     ("expeditionary unit", "Expeditionary Unit", "meu")),
    (("task unit", "Task Unit", "tu"),),
)  # fmt: skip


def _build_formations(world: World) -> None:
    rng, size = world.rng, world.size
    multinational = max(1, size.formations // 50)
    per_navy = _allocate(size.formations - multinational, [n[4] for n in NAVIES])
    groups: list[tuple[str, int]] = [(n[0], c) for n, c in zip(NAVIES, per_navy, strict=True)]
    groups.append(("NATO", multinational))
    for code, count in groups:
        records: list[dict[str, object]] = []
        key = "multinational" if code == "NATO" else code
        world.formations[key] = records
        world.formations_by_navy[code] = []
        depth_counts = _allocate(count, (0.15, 0.30, 0.35, 0.20)) if count >= 4 else [count, 0, 0, 0]
        previous: list[str] = []
        serial = 0
        for depth, n_depth in enumerate(depth_counts):
            current: list[str] = []
            for _ in range(n_depth):
                kind, title, abbr = rng.choice(FORMATION_KINDS_BY_DEPTH[depth])
                serial += 1
                number = serial * 3 + rng.randint(0, 2)
                fid = world.new_id(f"{code.lower()}-{abbr}-{number}")
                prefix = "Standing NATO Maritime Group" if code == "NATO" else title
                name = f"{prefix} {number}"
                record: dict[str, object] = {"id": fid, "name": name, "kind": kind}
                if depth and previous:
                    record["parent"] = rng.choice(previous)
                _figures(world, record, code, kind)
                if rng.random() < 0.5:
                    record["cite"] = [_press(code)]
                if rng.random() < 0.05:
                    record["note"] = "reconstituted under a new number in 2021"
                records.append(record)
                world.formation_names[fid] = name
                world.formation_navy[fid] = code
                world.formations_by_navy[code].append(fid)
                world.members[fid] = {}
                current.append(fid)
            previous = current or previous


def _press(code: str) -> str:
    return f"press-{code.lower()}"


def _figures(world: World, record: dict[str, object], code: str, kind: str) -> None:
    rng = world.rng
    base = {"air wing": 1500, "strike group": 6000, "ready group": 4000, "command": 20000,
            "joint task force": 10000, "task force": 5000}.get(kind, 800)  # fmt: skip
    if rng.random() < 0.4:
        figures: list[dict[str, object]] = []
        disagree = rng.random() < 0.02
        for _ in range(1 if disagree else rng.choice((1, 1, 1, 2, 3))):
            n = int(base * rng.uniform(0.6, 1.4))
            worded = quantity(rng, n)
            # The intended disagreement needs a figure that rules the review's out: the number itself
            # (an open or unknown count can hold with any other); the same draws either way.
            figure: dict[str, object] = {"count": n if disagree else worded}
            if disagree or rng.random() < 0.7:
                day = rng.randint(SPAN_START.toordinal(), SPAN_START.toordinal() + 3600)
                figure["as_of"] = _day_text(day) if disagree else _loose_date(rng, day)
            figure["cite"] = [_press(code)]
            figures.append(figure)
        if disagree:
            # Intended: a monthly review gives, for the same month, a figure far from the navy's
            # own (one sources-disagree warning).
            when = dt.date.fromisoformat(str(figures[0]["as_of"]))
            figures.append({"count": _number(int(base * 3.5), rng), "as_of": f"{when.year}-{when.month:02d}",
                            "cite": [_journal_id(when.toordinal())]})  # fmt: skip
            world.expected_warnings += 1
        record["personnel"] = figures
    if kind in ("air wing", "strike group", "ready group") or rng.random() < 0.05:
        aircraft_figures: list[dict[str, object]] = []
        for _ in range(rng.choice((1, 1, 2))):
            aircraft_figures.append(
                {"count": quantity(rng, rng.randint(12, 80)), "as_of": _day_text(rng.randint(
                    SPAN_START.toordinal(), SPAN_START.toordinal() + 3600)), "cite": [_press(code)]}
            )  # fmt: skip
        record["aircraft"] = aircraft_figures


# ---------------------------------------------------------------------------------------------
# The simulation: ten years of weekly reporting


class Simulation:
    def __init__(self, world: World) -> None:
        self.world = world
        self.rng = world.rng
        self.ids = [uid for uid, _ in world.weights]
        self.cum = list(accumulate(w for _, w in world.weights))
        self.decommissions: dict[int, list[Unit]] = {}
        for unit in world.units.values():
            if unit.decommission is not None:
                self.decommissions.setdefault(_week_of(unit.decommission), []).append(unit)
        self.at_place: dict[str, dict[str, None]] = {}
        self.event_serial = 0
        self.formation_ids = [fid for fids in world.formations_by_navy.values() for fid in fids]
        self.airfields = {
            region: [a for n in NAVIES if n[6] == region for a in world.navy_airfields[n[0]]] for region in REGIONS
        }

    # -- helpers

    def pick_unit(self) -> Unit:
        r = self.rng.random() * self.cum[-1]
        return self.world.units[self.ids[bisect_right(self.cum, r)]]

    @staticmethod
    def free(unit: Unit, start: int, end: int) -> bool:
        return (
            not unit.retired
            and unit.active_from <= start
            and unit.last_end < start
            and (unit.decommission is None or end < unit.decommission)
        )

    def date(self, units: Sequence[Unit], week_start: int, loose: bool = True) -> tuple[int, int, str, str] | None:
        """A date in the week after every unit's last event: mostly a day, some months, spans, ~."""
        rng = self.rng
        lo = max([u.last_end for u in units], default=0) + 1
        start = max(week_start + rng.randrange(7), lo)
        if start > week_start + 6:
            return None
        r = rng.random() if loose else 1.0
        d = dt.date.fromordinal(start)
        if r < 0.06:
            first = d.replace(day=1).toordinal()
            nxt = (d.replace(day=28) + dt.timedelta(days=4)).replace(day=1).toordinal()
            if first >= lo:
                return first, nxt - 1, f"{d.year}-{d.month:02d}", f"in {MONTHS[d.month - 1]} {d.year}"
        elif r < 0.10:
            end = start + rng.randint(1, 3)
            e = dt.date.fromordinal(end)
            words = f"between {d.day} {MONTHS[d.month - 1]} and {_words(end)}"
            return start, end, f"{d.isoformat()}/{e.isoformat()}", words
        elif r < 0.14:
            return start, start, f"~{d.isoformat()}", f"on or about {_words(start)}"
        return start, start, d.isoformat(), f"on {_words(start)}"

    def place_for(self, unit: Unit, kinds: str) -> str:
        """A sea (``sea``) or port (``port``) for the unit: mostly its home region, sometimes abroad."""
        rng, world = self.rng, self.world
        region = unit.region if rng.random() < 0.7 else rng.choice(list(REGIONS))
        if kinds == "sea" or not world.ports[region]:
            return rng.choice(world.seas[region])
        if unit.kind == "aircraft":
            return rng.choice(self.airfields[region])
        return rng.choice(world.ports[region])

    def cites(self, event: Event, units: Sequence[Unit], sentence: str, navy: str) -> None:
        rng, world = self.rng, self.world
        week = _week_of(event.start)
        r = rng.random()
        if event.kind == "joined" and event.formation is not None:
            event.cites.append((_press(world.formation_navy[event.formation]), None, None))
            key = (event.formation, _tracker_id(week))
            if len(event.units) == 1 and key not in world.joins_cited and rng.random() < 0.5:
                world.joins_cited.add(key)
                event.cites.append(quote_in(world, week, sentence))
            return
        if r < 0.55:
            event.cites.append(quote_in(world, week, sentence))
        elif r < 0.70:
            event.cites.append(quote_in(world, week, sentence))
            event.cites.append((_press(navy), None, None))
        elif r < 0.90:
            event.cites.append((_press(navy), None, None))
        else:
            note = rng.choice(("position from satellite imagery", "per port authority records",
                               "reported by the monthly review", "reported by a regional newspaper"))  # fmt: skip
            event.cites.append((_journal_id(event.start), None, note))

    def emit(self, event: Event) -> Event:
        self.event_serial += 1
        if self.rng.random() < 0.5:
            d = dt.date.fromordinal(event.start)
            event.id = f"ev-{d.year}-{self.event_serial:06d}"
        if event.note is None and self.rng.random() < 0.06:
            event.note = self.rng.choice(("date as given by the source", "not confirmed by the navy",
                                          "arrival announced in advance"))  # fmt: skip
        self.world.events.append(event)
        return event

    def arrive(self, unit: Unit, place: str) -> None:
        if unit.at is not None:
            self.at_place.get(unit.at, {}).pop(unit.id, None)
        unit.at = place
        self.at_place.setdefault(place, {})[unit.id] = None

    def leave(self, unit: Unit) -> None:
        if unit.at is not None:
            self.at_place.get(unit.at, {}).pop(unit.id, None)
        unit.at = None

    def join(self, unit: Unit, formation: str) -> None:
        unit.member = formation
        self.world.members[formation][unit.id] = None

    def detach(self, unit: Unit) -> None:
        if unit.member is not None:
            self.world.members[unit.member].pop(unit.id, None)
        unit.member = None

    def name(self, place: str | None) -> str:
        return self.world.place_names[place] if place else ""

    def where(self, place: str) -> str:
        """Where a unit is: "at Port X" for a port, base or airfield; "in the Y Sea" for waters and regions."""
        if place in self.world.harbours:
            return f"at {self.world.place_names[place]}"
        return f"in the {self.world.place_names[place]}"

    # -- events

    def decommission(self, unit: Unit, week_start: int) -> list[Event]:
        """Detach if need be, then decommission: the vessel's last events."""
        assert unit.decommission is not None
        made = []
        day = max(unit.decommission, unit.last_end + 1)
        if unit.member is not None:
            formation = unit.member
            event = Event(day, day, _day_text(day), f"on {_words(day)}", "detached", [unit.id], formation=formation)
            sentence = f"{unit.label} detached from {self.world.formation_names[formation]} {event.words}."
            self.cites(event, [unit], sentence, unit.navy)
            made.append(self.emit(event))
            self.detach(unit)
            day += 1
        event = Event(day, day, _day_text(day), f"on {_words(day)}", "decommissioned", [unit.id])
        sentence = f"{unit.label} was decommissioned at a ceremony {event.words}."
        self.cites(event, [unit], sentence, unit.navy)
        made.append(self.emit(event))
        self.leave(unit)
        unit.retired = True
        unit.last_end = day
        self.world.vessel_records[unit.id]["decommissioned"] = _day_text(day)
        return made

    def single(self, week_start: int) -> Event | None:
        rng, world = self.rng, self.world
        unit = self.pick_unit()
        if unit.retired or unit.active_from > week_start + 6:
            return None
        when = self.date([unit], week_start, loose=True)
        if when is None or not self.free(unit, when[0], when[1]):
            return None
        start, end, date, words = when
        kind = self.choose_kind(unit)
        event = Event(start, end, date, words, kind, [unit.id])
        label = unit.label
        if kind == "joined":
            formation = self.formation_for(unit)
            if formation is None:
                return None
            event.formation = formation
            sentence = f"{label} joined {world.formation_names[formation]} {words}."
            self.join(unit, formation)
        elif kind == "detached":
            assert unit.member is not None
            event.formation = unit.member
            sentence = f"{label} detached from {world.formation_names[unit.member]} {words}."
            self.detach(unit)
        elif kind == "departed":
            event.place = unit.at
            if unit.at is None or rng.random() < 0.6:
                event.to = unit.dest = self.place_for(unit, rng.choice(("sea", "port")))
                sentence = f"{label} departed {self.name(unit.at)} for {self.name(event.to)} {words}."
            else:
                sentence = f"{label} left {self.name(unit.at)} {words}, its destination not disclosed."
            self.leave(unit)
        elif kind == "arrived":
            place = unit.dest if unit.dest and unit.dest != unit.at else self.place_for(unit, "port")
            if place == unit.at:
                return None
            event.place = place
            sentence = f"{label} arrived {self.where(place)} {words}."
            self.arrive(unit, place)
            unit.dest = None
        elif kind == "returned":
            event.place = unit.home
            sentence = f"{label} returned to its home port of {self.name(unit.home)} {words}."
            self.arrive(unit, unit.home)
        elif kind in ("ordered", "expected"):
            event.place = unit.dest = self.place_for(unit, rng.choice(("sea", "port")))
            sentence = (
                f"{label} has been ordered to the {self.name(event.place)}, officials said {words}."
                if kind == "ordered"
                else f"{label} is expected in the {self.name(event.place)} in the coming days, it was reported {words}."
            )
        elif kind == "relieved":
            place = unit.at or self.place_for(unit, "sea")
            others = [
                world.units[uid]
                for uid in self.at_place.get(place, {})
                if uid != unit.id and world.units[uid].navy == unit.navy
            ]
            other = next((o for o in others if self.free(o, start, end)), None)
            if other is None:
                return None
            event.place, event.relieves = place, other.id
            sentence = f"{label} relieved {other.label} {self.where(place)} {words}."
            # Validation still has the relieved unit where it last arrived (only a departure
            # clears that), so the simulation keeps it there too: it may not arrive there again.
            other.last_end = end
        else:  # reported present
            place = unit.at or self.place_for(unit, "sea")
            event.place = place
            sentence = f"{label} was reported {self.where(place)} {words}."
        if unit.kind in ("aircraft", "unidentified") and kind in ("reported present", "arrived") and rng.random() < 0.3:
            number = rng.randint(2, 24)
            event.count = quantity(rng, number)
            sentence = sentence[:-1] + f", with {number} aircraft." if unit.kind == "aircraft" else sentence
        self.cites(event, [unit], sentence, unit.navy)
        unit.last_end = end
        return self.emit(event)

    def choose_kind(self, unit: Unit) -> str:
        rng = self.rng
        if unit.kind == "unidentified":
            return "reported present" if unit.at is None or rng.random() < 0.6 else "departed"
        r = rng.random()
        if r < 0.16 and unit.kind in ("vessel", "aircraft"):
            return "joined" if unit.member is None else "detached"
        options: tuple[str, ...]
        weights: tuple[float, ...]
        if unit.at is None:
            options = ("arrived", "reported present", "ordered", "expected", "returned", "relieved")
            weights = (34.0, 36.0, 9.0, 4.0, 11.0, 3.0)
        else:
            options = ("departed", "reported present", "ordered", "relieved")
            weights = (55.0, 33.0, 7.0, 2.0)
        return rng.choices(options, weights)[0]

    def formation_for(self, unit: Unit) -> str | None:
        rng, world = self.rng, self.world
        if unit.navy in NATO and rng.random() < 0.05:
            pool = world.formations_by_navy["NATO"]
        else:
            pool = world.formations_by_navy[unit.navy]
        return rng.choice(pool) if pool else None

    def multi(self, week_start: int) -> Event | None:
        rng, world = self.rng, self.world
        formation = rng.choice(self.formation_ids)
        navy = world.formation_navy[formation]
        if rng.random() < 0.15:  # several units join at once: cite only the formation's press office
            code = navy if navy != "NATO" else rng.choice(NATO)
            pool = world.vessels.get(code, [])
            if len(pool) < 2:
                return None
            units = [world.units[str(r["id"])] for r in rng.sample(pool, min(len(pool), 3))]
            units = [u for u in units if u.member is None and self.free(u, week_start, week_start + 6)]
            if len(units) < 2:
                return None
            when = self.date(units, week_start, loose=False)
            if when is None:
                return None
            start, end, date, words = when
            event = Event(start, end, date, words, "joined", [u.id for u in units], formation=formation)
            event.cites.append((_press(navy), None, None))
            for u in units:
                self.join(u, formation)
                u.last_end = end
            return self.emit(event)
        members = [world.units[uid] for uid in world.members[formation]]
        members = [u for u in members if self.free(u, week_start, week_start + 6)]
        if len(members) < 2:
            return None
        units = members[:4] if len(members) <= 4 else rng.sample(members, 4)
        when = self.date(units, week_start)
        if when is None or not all(self.free(u, when[0], when[1]) for u in units):
            return None
        start, end, date, words = when
        labels = ", ".join(u.label for u in units[:-1]) + f" and {units[-1].label}"
        r = rng.random()
        event = Event(start, end, date, words, "reported present", [u.id for u in units])
        if r < 0.5:
            event.place = self.place_for(units[0], "sea")
            sentence = f"{labels} were reported operating together in the {self.name(event.place)} {words}."
        elif r < 0.7:
            place = self.place_for(units[0], "port")
            if any(u.at == place for u in units):
                return None
            event.kind, event.place = "arrived", place
            sentence = f"{labels} arrived {self.where(place)} {words}."
            for u in units:
                self.arrive(u, place)
        elif r < 0.9:
            event.kind, event.to = "departed", self.place_for(units[0], "sea")
            sentence = f"{labels} sailed for the {self.name(event.to)} {words}."
            for u in units:
                self.leave(u)
                u.dest = event.to
        else:
            event.kind, event.place = "ordered", self.place_for(units[0], "sea")
            sentence = f"{labels} have been ordered to the {self.name(event.place)} {words}."
        self.cites(event, units, sentence, units[0].navy)
        for u in units:
            u.last_end = end
        return self.emit(event)

    def formation_wide(self, week_start: int) -> Event | None:
        rng, world = self.rng, self.world
        formation = rng.choice(self.formation_ids)
        members = list(world.members[formation])
        if not members and rng.random() < 0.8:
            return None
        when = self.date([], week_start)
        assert when is not None
        start, end, date, words = when
        probe = world.units[members[0]] if members else world.units[rng.choice(self.ids)]
        name = world.formation_names[formation]
        kind = rng.choices(("departed", "arrived", "reported present", "ordered", "expected"), (3, 2, 4, 1, 1))[0]
        event = Event(start, end, date, words, kind, [], formation=formation)
        if kind == "departed":
            event.place, event.to = self.place_for(probe, "port"), self.place_for(probe, "sea")
            sentence = f"{name} departed {self.name(event.place)} for the {self.name(event.to)} {words}."
        elif kind == "arrived":
            event.place = self.place_for(probe, "port")
            sentence = f"{name} arrived at {self.name(event.place)} {words}."
        else:
            event.place = self.place_for(probe, "sea")
            sentence = f"{name} was {kind} in the {self.name(event.place)} {words}."
        navy = world.formation_navy[formation]
        self.cites(event, [], sentence, navy if navy != "NATO" else "NATO")
        return self.emit(event)

    def run(self) -> None:
        rng, size = self.rng, self.world.size
        weights = [1.0 + 0.6 * w / WEEKS + 0.1 * ((w * 7) % 13) / 13 for w in range(WEEKS)]
        cumulative = list(accumulate(_allocate(size.events, weights)))
        produced = 0
        start_ordinal = SPAN_START.toordinal()
        for week in range(WEEKS):
            week_start = start_ordinal + 7 * week
            for unit in self.decommissions.get(week, []):
                produced += len(self.decommission(unit, week_start))
            tries = 0
            limit = 200 if week < WEEKS - 1 else 200_000
            while produced < cumulative[week] and tries < limit + 40 * (cumulative[week] - produced):
                tries += 1
                r = rng.random()
                if r < 0.03:
                    made = self.formation_wide(week_start)
                elif r < 0.08:
                    made = self.multi(week_start)
                else:
                    made = self.single(week_start)
                if made is not None:
                    produced += 1


# ---------------------------------------------------------------------------------------------
# Claims


def _build_claims(world: World) -> None:
    rng = world.rng
    regions = list(REGIONS)
    weights = [6.0 if r == "western-pacific" else 3.0 if r == "middle-east" else 1.0 for r in regions]
    top = [fid for fids in world.formations_by_navy.values() for fid in fids[:1]]
    for n in range(world.size.claims):
        day = rng.randint(SPAN_START.toordinal() + 30, SPAN_START.toordinal() + 7 * WEEKS - 1)
        scope = rng.choices(regions, weights)[0] if rng.random() < 0.85 else rng.choice(top)
        scope_name = world.place_names.get(scope) or world.formation_names[scope]
        figures: list[dict[str, object]] = []
        sentence_parts = []
        for _ in range(rng.choice((1, 1, 2, 3))):
            measure = rng.choices(("vessels", "aircraft", "personnel"), (6, 3, 1))[0]
            number = rng.randint(5, 120) if measure != "personnel" else rng.randint(2000, 30000)
            count = quantity(rng, number)
            what = {"vessels": "warships", "aircraft": "military aircraft", "personnel": "personnel"}[measure]
            figure: dict[str, object] = {"what": f"{what} in the {scope_name}", "count": count, "measure": measure}
            if measure == "vessels" and rng.random() < 0.4:
                figure["categories"] = rng.sample(["surface combatant", "amphibious", "submarine", "patrol"], 2)
            elif measure == "aircraft" and rng.random() < 0.4:
                figure["types"] = rng.sample(AIRCRAFT_TYPE_IDS, 2)
            figures.append(figure)
            sentence_parts.append(f"{number} {what}")
        claim: dict[str, object] = {"id": world.new_id(f"claim-{n + 1:04d}"), "as_of": _day_text(day),
                                    "scope": scope, "figures": figures}  # fmt: skip
        if rng.random() < 0.5:
            sentence = f"Analysts counted {', '.join(sentence_parts)} in the {scope_name} as of {_words(day)}."
            source, quote, _ = quote_in(world, _week_of(day), sentence)
            claim["cite"] = [{"source": source, "quote": quote}]
        else:
            claim["cite"] = [_journal_id(day)]
        world.claims.append(claim)


# ---------------------------------------------------------------------------------------------
# Writing


def _cite_lines(cites: Sequence[Cite] | Sequence[object], indent: str, rng: random.Random) -> list[str]:
    """A ``cite:`` field: a bare id, a flow list of ids, or a list of mappings with quotes."""
    items: list[Cite] = []
    for item in cites:
        if isinstance(item, str):
            items.append((item, None, None))
        elif isinstance(item, dict):
            items.append((str(item["source"]), item.get("quote"), item.get("note")))
        else:
            assert isinstance(item, tuple)
            items.append(item)
    if all(quote is None and note is None for _, quote, note in items):
        if len(items) == 1 and rng.random() < 0.7:
            return [f"{indent}cite: {text(items[0][0])}"]
        return [f"{indent}cite: [{', '.join(text(s, flow=True) for s, _, _ in items)}]"]
    lines = [f"{indent}cite:"]
    for source, quote, note in items:
        if quote is None and note is None:
            lines.append(f"{indent}  - {text(source)}")
            continue
        lines.append(f"{indent}  - source: {text(source)}")
        if quote is not None:
            lines.append(f"{indent}    quote: {_quoted(quote)}")
        if note is not None:
            lines.append(f"{indent}    note: {text(note)}")
    return lines


def _mapping_lines(record: Record, order: Sequence[str], rng: random.Random) -> list[str]:
    lines: list[str] = []
    first = True
    for key in order:
        if key not in record:
            continue
        value = record[key]
        indent = "  - " if first else "    "
        first = False
        if key == "cite":
            assert isinstance(value, list)
            body = _cite_lines(value, "    ", rng)
            body[0] = indent + body[0].lstrip()
            lines.extend(body)
        elif isinstance(value, list):
            lines.append(f"{indent}{key}: [{', '.join(text(str(v), True) for v in value)}]")
        elif key in ("commissioned", "decommissioned", "count"):
            lines.append(f"{indent}{key}: {raw(str(value))}")
        else:
            lines.append(f"{indent}{key}: {text(str(value))}")
    return lines


def _write(path: Path, lines: Iterable[str]) -> int:
    path.parent.mkdir(parents=True, exist_ok=True)
    data = ("\n".join(lines) + "\n").encode("utf-8")
    path.write_bytes(data)
    return len(data)


def _figure_lines(name: str, figures: list[dict[str, object]], rng: random.Random) -> list[str]:
    lines = [f"    {name}:"]
    for figure in figures:
        lines.append(f"      - count: {raw(str(figure['count']))}")
        if "as_of" in figure:
            lines.append(f"        as_of: {raw(str(figure['as_of']))}")
        lines.extend(_cite_lines(figure["cite"], "        ", rng))  # type: ignore[arg-type]
    return lines


def _event_lines(event: Event, rng: random.Random) -> list[str]:
    lines = []
    if event.id:
        lines.append(f"  - id: {event.id}")
    lines.append(f"{'    ' if event.id else '  - '}date: {raw(event.date)}")
    lines.append(f"    kind: {event.kind}")
    if event.units:
        if len(event.units) > 2 and rng.random() < 0.5:
            lines.append("    units:")
            lines.extend(f"      - {u}" for u in event.units)
        else:
            lines.append(f"    units: [{', '.join(event.units)}]")
    for key in ("formation", "place", "to", "relieves"):
        value = getattr(event, key)
        if value is not None:
            lines.append(f"    {key}: {value}")
    if event.count is not None:
        lines.append(f"    count: {raw(event.count)}")
    lines.extend(_cite_lines(event.cites, "    ", rng))
    if event.note is not None:
        lines.append(f"    note: {text(event.note)}")
    return lines


def _wrap(sentences: Sequence[str], width: int = 78) -> list[str]:
    lines: list[str] = []
    line = ""
    for word in " ".join(sentences).split(" "):
        if line and len(line) + 1 + len(word) > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}" if line else word
    if line:
        lines.append(line)
    return lines


def _write_catalog(world: World, out: Path) -> tuple[int, int, int]:
    """Every file; returns (YAML files, YAML bytes, text bytes)."""
    rng = world.rng
    files = 0
    total = 0

    def put(path: Path, lines: Iterable[str]) -> None:
        nonlocal files, total
        files += 1
        total += _write(path, lines)

    put(
        out / "types.yaml",
        [
            "# Types this catalog uses beyond orbat's built-in reference (pennant flags, other navies' types).",
            "ship_types:",
            *(f"  - {{id: {text(i, True)}, name: {text(n, True)}, category: {c}}}" for i, n, c in EXTRA_SHIP_TYPES),
            "aircraft_types:",
            *(f"  - {{id: {text(i, True)}, name: {text(n, True)}, role: {r}}}" for i, n, r in EXTRA_AIRCRAFT_TYPES),
        ],
    )
    world_places = [p for p in world.places if p["kind"] in ("region", "sea", "waterway", "country")]
    local_places = [p for p in world.places if p not in world_places]
    for name, places in (("world", world_places), ("ports-and-bases", local_places)):
        lines = [f"# Places: {name.replace('-', ' ')} ({len(places)}).", "places:"]
        for p in places:
            within = f", within: {p['within']}" if "within" in p else ""
            lines.append(f"  - {{id: {p['id']}, name: {text(p['name'], True)}, kind: {p['kind']}{within}}}")
        put(out / "places" / f"{name}.yaml", lines)

    # Sources: weekly trackers (with local texts), press offices and registers, publications.
    by_year: dict[int, list[str]] = {}
    text_bytes = 0
    for week in range(WEEKS):
        published = SPAN_START.toordinal() + 7 * week + 6
        day = dt.date.fromordinal(published)
        tid = _tracker_id(week)
        year = int(tid.split("-")[1])
        rel = f"../seeds/trackers/{year}/{tid}.txt"
        by_year.setdefault(year, []).extend(
            [
                f"  - id: {tid}",
                f"    title: {text(f'Fleet Tracker, week {tid[-2:]} of {year}')}",
                "    publisher: Naval News Digest (synthetic)",
                f"    date: {day.isoformat()}",
                f"    url: https://news.example.org/fleet-tracker/{year}/{tid[-3:]}",
                "    kind: news",
                f"    text: {rel}",
            ]
        )
        sentences = world.trackers[week]
        if world.tracker_curly[week]:
            sentences = [_curly(s) for s in sentences]
        body = [
            f"Fleet Tracker: week {tid[-2:]} of {year}",
            f"Naval News Digest (synthetic text for orbat benchmarks), published {_words(published)}.",
            "",
        ]
        for i in range(0, len(sentences), 6):
            body.extend(_wrap(sentences[i : i + 6]))
            body.append("")
        body.append("Positions are drawn from open sources and may lag by several days.")
        text_bytes += _write(out / "seeds" / "trackers" / str(year) / f"{tid}.txt", body)
    for year, lines in by_year.items():
        put(out / "sources" / f"trackers-{year}.yaml", [f"# Weekly fleet trackers of {year}.", "sources:", *lines])
    lines = ["# Navy press offices and fleet registers (undated compilations).", "sources:"]
    for code, navy in [*((n[0], n[1]) for n in NAVIES), ("NATO", "NATO Allied Maritime Command")]:
        lines += [
            f"  - id: {_press(code)}",
            f"    title: {text(f'{navy} news releases')}",
            f"    publisher: {text(navy)}",
            f"    url: https://press.example.org/{code.lower()}",
            "    kind: press release",
            f"  - id: register-{code.lower()}",
            f"    title: {text(f'{navy} register of ships')}",
            f"    publisher: {text(navy)}",
            "    kind: register",
        ]
    put(out / "sources" / "navies.yaml", lines)
    lines = ["# Annual reference books and monthly reviews.", "sources:"]
    last = dt.date.fromordinal(SPAN_START.toordinal() + 7 * WEEKS - 1)
    for year in range(SPAN_START.year, last.year + 1):
        if year < last.year or last.month == 12:
            lines += [f"  - {{id: yearbook-{year}, title: World Navies Yearbook {year}, "
                      f"publisher: Example Reference Press, date: {year}, kind: reference}}"]  # fmt: skip
        for month in range(1, 13 if year < last.year else last.month + 1):
            # Out on the month's last day: a review that gives events' days is dated to the day, or
            # every day it reports would be over-precise.
            issue = f"{year}-{month:02d}-{calendar.monthrange(year, month)[1]:02d}"
            lines += [f"  - {{id: journal-{year}-{month:02d}, title: Naval Review {MONTHS[month - 1]} {year}, "
                      f"publisher: Example Review, date: {issue}, kind: magazine}}"]  # fmt: skip
    put(out / "sources" / "publications.yaml", lines)

    vessel_order = ("id", "name", "hull", "type", "class", "navy", "commissioned", "decommissioned", "cite", "note")
    for code, records in world.vessels.items():
        if records:
            lines = [f"# {next(n[1] for n in NAVIES if n[0] == code)}: {len(records)} vessels.", "vessels:"]
            for record in records:
                lines.extend(_mapping_lines(record, vessel_order, rng))
            put(out / "vessels" / f"{code.lower()}.yaml", lines)
    order: tuple[str, ...] = ("id", "type", "count", "navy", "description", "identified_as", "cite")
    lines = ["# Vessels sources counted but did not name.", "unidentified:"]
    for record in world.unidentified:
        lines.extend(_mapping_lines(record, order, rng))
    if world.unidentified:
        put(out / "vessels" / "unidentified.yaml", lines)
    order = ("id", "name", "type", "count", "navy", "base", "cite", "note")
    for code, records in world.aircraft.items():
        if records:
            lines = [f"# Aircraft detachments of the {code} navy.", "aircraft:"]
            for record in records:
                lines.extend(_mapping_lines(record, order, rng))
            put(out / "aircraft" / f"{code.lower()}.yaml", lines)
    for key, formations in world.formations.items():
        if not formations:
            continue
        lines = [f"# Formations: {key}.", "formations:"]
        for f in formations:
            lines.append(f"  - id: {f['id']}")
            lines.append(f"    name: {text(str(f['name']))}")
            lines.append(f"    kind: {f['kind']}")
            if "parent" in f:
                lines.append(f"    parent: {f['parent']}")
            for measure in ("personnel", "aircraft"):
                if measure in f:
                    lines.extend(_figure_lines(measure, f[measure], rng))  # type: ignore[arg-type]
            if "cite" in f:
                lines.extend(_cite_lines(f["cite"], "    ", rng))  # type: ignore[arg-type]
            if "note" in f:
                lines.append(f"    note: {text(str(f['note']))}")
        put(out / "formations" / f"{key.lower()}.yaml", lines)

    by_month: dict[tuple[int, int], list[Event]] = {}
    for event in world.events:
        d = dt.date.fromordinal(event.start)
        by_month.setdefault((d.year, d.month), []).append(event)
    for (year, month), events in sorted(by_month.items()):
        events.sort(key=lambda e: (e.start, e.end))
        lines = [f"# Events of {MONTHS[month - 1]} {year} ({len(events)}).", "events:"]
        for event in events:
            lines.extend(_event_lines(event, rng))
        put(out / "events" / str(year) / f"{year}-{month:02d}.yaml", lines)

    lines = ["# Figures sources state about the force as a whole, checked by 'orbat claims'.", "claims:"]
    for claim in world.claims:
        lines += [f"  - id: {claim['id']}", f"    as_of: {claim['as_of']}", f"    scope: {claim['scope']}"]
        lines.append("    figures:")
        for figure in claim["figures"]:  # type: ignore[attr-defined]
            lines.append(f"      - what: {text(figure['what'])}")
            lines.append(f"        count: {raw(figure['count'])}")
            lines.append(f"        measure: {figure['measure']}")
            for key in ("categories", "types"):
                if key in figure:
                    lines.append(f"        {key}: [{', '.join(text(v, True) for v in figure[key])}]")
        lines.extend(_cite_lines(claim["cite"], "    ", rng))  # type: ignore[arg-type]
    if world.claims:
        put(out / "claims.yaml", lines)
    return files, total, text_bytes


def generate(size: Size, out: Path, seed: int = SEED) -> dict[str, object]:
    """Write the catalog of ``size`` to ``out`` (replacing a previous generated one); its manifest."""
    rng = random.Random(seed * 100 + list(SIZES).index(size.name) if size.name in SIZES else seed)
    world = World(rng, size)
    world.trackers = [[] for _ in range(WEEKS)]
    world.tracker_curly = [rng.random() < 0.5 for _ in range(WEEKS)]
    _build_places(world)
    _build_vessels(world)
    _build_unidentified(world)
    _build_aircraft(world)
    _build_formations(world)
    Simulation(world).run()
    _build_claims(world)

    if out.exists():
        if not (out / "manifest.json").exists() and any(out.iterdir()):
            raise SystemExit(f"{out} exists and is not a generated catalog; refusing to replace it")
        shutil.rmtree(out)
    tmp = out.with_name(out.name + ".partial")
    if tmp.exists():
        shutil.rmtree(tmp)
    files, yaml_bytes, text_bytes = _write_catalog(world, tmp)
    kinds: dict[str, int] = {}
    for event in world.events:
        kinds[event.kind] = kinds.get(event.kind, 0) + 1
    manifest: dict[str, object] = {
        "generator_hash": generator_hash(size, seed),
        "size": size.name,
        "seed": seed,
        "yaml_files": files,
        "yaml_bytes": yaml_bytes,
        "text_files": WEEKS,
        "text_bytes": text_bytes,
        "places": len(world.places),
        "vessels": sum(len(v) for v in world.vessels.values()),
        "unidentified": len(world.unidentified),
        "aircraft": sum(len(v) for v in world.aircraft.values()),
        "formations": sum(len(v) for v in world.formations.values()),
        "events": len(world.events),
        "formation_wide_events": sum(1 for e in world.events if not e.units),
        "multi_unit_events": sum(1 for e in world.events if len(e.units) > 1),
        "event_kinds": dict(sorted(kinds.items())),
        "quoted_citations": sum(1 for e in world.events for c in e.cites if c[1] is not None),
        "claims": len(world.claims),
        "expected_warnings": world.expected_warnings,
    }
    (tmp / "manifest.json").write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
    tmp.rename(out)
    return manifest


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--size", choices=sorted(SIZES), default="S")
    parser.add_argument("--seed", type=int, default=SEED)
    parser.add_argument("out", nargs="?", type=Path, help="output folder (default: benchmarks/out/<size>/)")
    args = parser.parse_args(argv)
    size = SIZES[args.size]
    out = args.out or HERE / "out" / size.name
    manifest = generate(size, out, args.seed)
    print(json.dumps(manifest, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
