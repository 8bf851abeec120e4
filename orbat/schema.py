"""A JSON Schema (draft 2020-12) of the catalog file format, for editors and other tools.

The schema is built from the model: the fields of every entry class, the fields its
constructor requires, and the choice sets (ship categories, aircraft roles, formation and
place kinds, measures, event kinds). It checks what a schema can: the structure, unknown and
missing fields, value types, choices, the *syntax* of counts and dates, and the calendar of a
single day (with format checking on). What needs the whole catalog (references between
entries, the order of events, quotes found in source texts, a range that runs backwards) is
left to ``orbat validate``. Every field carries its description from docs/catalog-format.md
(:mod:`orbat._field_docs`), shown by editors on hover.

Errors read well in editors and checkers: alternatives (one value or a list; a value or none)
are written with ``if``/``then``/``else`` rather than ``anyOf``, so that a validator reports
what is wrong with the value given ("'navy' is a required property", "'last week' is not a
'date'") rather than every alternative it failed; ``errorMessage`` and ``patternErrorMessage``
(which yaml-language-server and VS Code read) say what a date or count must look like.

Editors using yaml-language-server read it from a comment on the first line of a file::

    # yaml-language-server: $schema=../orbat.schema.json

Values are described as a YAML 1.2 reader (such as an editor) sees them: a year written
``2025`` is an integer there, a day written ``2025-10-24`` is a string.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from typing import Any

from orbat import model
from orbat._field_docs import FIELD_DOCS
from orbat.loading import SECTIONS
from orbat.model import (
    AIRCRAFT_ROLES,
    FORMATION_KINDS,
    MEASURES,
    PLACE_KINDS,
    SHIP_CATEGORIES,
    AircraftDetachment,
    AircraftType,
    Citation,
    Claim,
    ClaimFigure,
    Event,
    EventKind,
    Figure,
    Formation,
    Place,
    Settings,
    ShipType,
    Source,
    UnidentifiedVessels,
    Vessel,
)

__all__ = [
    "COUNT_PATTERN",
    "DATE_PATTERN",
    "SCHEMA_DIALECT",
    "catalog_schema",
    "entry_fields",
    "field_schema",
    "schema_json",
]

SCHEMA_DIALECT = "https://json-schema.org/draft/2020-12/schema"

Schema = dict[str, Any]


def _any_case(word: str) -> str:
    """A regular expression matching ``word`` in any letter case, without flags (ECMA-262 has none inline)."""
    return "".join(f"[{c.upper()}{c.lower()}]" if c.isalpha() else ("\\s+" if c == " " else c) for c in word)


def _words(*options: str) -> str:
    return "(?:" + "|".join(_any_case(o) for o in options) + ")"


# The count syntax of orbat.quantities.parse_quantity, as one regular expression.
_NUMBER = r"(?:\d{1,3}(?:,\d{3})+|\d+)"
_COUNT_FORMS = "|".join(
    (
        _NUMBER,
        rf"{_words('more than', 'over')}\s*{_NUMBER}",
        rf">\s*{_NUMBER}",
        rf"(?:{_words('at least')}|>=|\u2265)\s*{_NUMBER}",
        rf"{_NUMBER}\s*(?:\+|-{_words('plus')}|\s+{_words('or more')})",
        rf"(?:{_words('fewer than', 'less than', 'under')}|<)\s*{_NUMBER}",
        rf"(?:{_words('at most', 'no more than', 'up to')}|<=|\u2264)\s*{_NUMBER}",
        rf"{_NUMBER}\s*(?:-|\u2013|{_words('to')})\s*{_NUMBER}",
    )
)
_APPROXIMATELY = rf"(?:{_words('about', 'roughly', 'approximately', 'around', 'some')}|~)\s*"
_VAGUE = "|".join(
    (
        rf"{_words('nearly', 'almost', 'just under')}\s+{_NUMBER}",
        _words("a few", "several", "dozens of", "dozens", "hundreds of", "hundreds"),
    )
)
COUNT_PATTERN = rf"^\s*(?:{_any_case('unknown')}|{_VAGUE}|(?:{_APPROXIMATELY})?(?:{_COUNT_FORMS}))\s*$"
"""Counts as text: ``10``, ``about 90``, ``more than 4,000``, ``nearly 2,500``, ``several``, ``unknown``, ..."""

# The date syntax of orbat.dates.parse_date: a year, month or day, or a span of two at the same precision.
_YEAR, _MONTH, _DAY = r"\d{4}", r"(?:0[1-9]|1[0-2])", r"(?:0[1-9]|[12]\d|3[01])"
_DATE_FORMS = "|".join(
    (
        rf"{_YEAR}(?:/{_YEAR})?",
        rf"{_YEAR}-{_MONTH}(?:/{_YEAR}-{_MONTH})?",
        rf"{_YEAR}-{_MONTH}-{_DAY}(?:/{_YEAR}-{_MONTH}-{_DAY})?",
    )
)
DATE_PATTERN = rf"^\s*(?:~\s*)?(?:{_DATE_FORMS})\s*$"
"""Dates as text: ``2025``, ``2025-08``, ``2025-10-24``, spans ``2025-09-21/2025-09-23`` and ``~`` for "about"."""

# A single day, whose calendar a date format check covers.
_DAY_PATTERN = r"^\d{4}-\d{2}-\d{2}$"
_DATE_MESSAGE = (
    "not a date: write a year (2025), a month (2025-08), a day (2025-10-24) or a span "
    "(2025-09-21/2025-09-23), with ~ before it for about"
)
_COUNT_MESSAGE = (
    'not a count: write a whole number, or text such as "about 90", "more than 4,000", "up to 10", "10-12" or "unknown"'
)


def _ref(name: str) -> Schema:
    return {"$ref": f"#/$defs/{name}"}


def _one_or_many(item: Schema, *, min_items: int = 0) -> Schema:
    """A single value or a list of them, as the loader reads list fields (no ``anyOf``, so that an
    error names what is wrong with the value given, not both alternatives)."""
    many: Schema = {"type": "array", "items": item}
    if min_items:
        many["minItems"] = min_items
    return {"if": {"type": "array"}, "then": many, "else": item}


def _or_none(spec: Schema) -> Schema:
    """An optional field: its value, or no value (an empty field)."""
    return {"if": {"type": "null"}, "else": spec}


def _choice(options: Iterable[str], description: str) -> Schema:
    return {"type": "string", "enum": sorted(options), "description": description}


def _texts(item: Schema | None = None) -> Schema:
    return _one_or_many(item or _ref("text"))


# What each field of each entry is. Field names shared by several entries mean the same
# kind of value everywhere, except the choices and the nested lists listed per class.
_COMMON: dict[str, Schema] = {
    "id": _ref("text"),
    "name": _ref("text"),
    "title": _ref("text"),
    "publisher": _ref("text"),
    "url": _ref("text"),
    "text": _ref("text"),
    "within": _texts(),
    "region": _texts(),
    "arrival": _ref("date"),
    "hull": _ref("text"),
    "type": _ref("text"),
    "class": _ref("text"),
    "navy": _ref("text"),
    "note": _ref("text"),
    "description": _ref("text"),
    "base": _ref("text"),
    "parent": _ref("text"),
    "formation": _ref("text"),
    "place": _ref("text"),
    "to": _ref("text"),
    "relieves": _ref("text"),
    "scope": _ref("text"),
    "what": _ref("text"),
    "quote": _ref("text"),
    "source": _ref("text"),
    "date": _ref("date"),
    "as_of": _ref("date"),
    "commissioned": _ref("date"),
    "decommissioned": _ref("date"),
    "count": _ref("count"),
    "cite": _ref("cite"),
    "units": _texts(),
    "identified_as": _texts(),
    "types": _texts(),
}

_SPECIFIC: dict[type, dict[str, Schema]] = {
    ShipType: {"category": _choice(SHIP_CATEGORIES, "the ship category")},
    AircraftType: {"role": _choice(AIRCRAFT_ROLES, "the aircraft role")},
    Place: {
        "kind": _choice(PLACE_KINDS, "the kind of place"),
        "position": _ref("point"),
        "bbox": {
            "description": "an area's bounding box: [south, west, north, east] in degrees",
            "type": "array",
            "prefixItems": [_ref("latitude"), _ref("longitude"), _ref("latitude"), _ref("longitude")],
            "minItems": 4,
            "maxItems": 4,
        },
        "polygon": {
            "description": "an area's outline: at least three points, each [latitude, longitude]",
            "type": "array",
            "items": _ref("point"),
            "minItems": 3,
        },
    },
    Source: {"kind": {**_ref("text"), "description": "what kind of document (news report, register, ...)"}},
    Formation: {
        "kind": _choice(FORMATION_KINDS, "the kind of formation"),
        "personnel": _one_or_many(_ref("figure")),
        "aircraft": _one_or_many(_ref("figure")),
    },
    Event: {"kind": _choice((k.value for k in EventKind), "what happened")},
    Claim: {
        "figures": _one_or_many(_ref("claim_figure")),
        "forecast": {**_ref("date"), "description": "the days a forecast is about: a date, or a span DATE/DATE"},
    },
    ClaimFigure: {
        "measure": _choice(MEASURES, "what is counted"),
        "part_of": {**_ref("text"), "description": "the 'what' of the claim's figure this one is a part of"},
        "categories": _texts(_choice(SHIP_CATEGORIES, "a ship category")),
    },
}

# The fields each constructor (``from_node``/``many_from``) requires. A vessel needs a hull
# or a type, and an event needs fields by its kind: both are added as conditions below.
_REQUIRED: dict[type, tuple[str, ...]] = {
    ShipType: ("id", "name", "category"),
    AircraftType: ("id", "name", "role"),
    Place: ("id", "name", "kind"),
    Source: ("id", "title", "publisher"),
    Vessel: ("id", "name", "navy"),
    UnidentifiedVessels: ("id", "type", "count", "navy", "cite"),
    AircraftDetachment: ("id", "name", "type", "count", "navy", "cite"),
    Formation: ("id", "name", "kind"),
    Event: ("date", "kind", "cite"),
    Claim: ("id", "as_of", "scope", "figures", "cite"),
    Figure: ("count", "cite"),
    ClaimFigure: ("what", "count", "measure"),
    Citation: ("source",),
    Settings: (),
}

# $defs names of the entry classes, and the field names each reads.
_ENTRIES: dict[str, type] = {
    "ship_type": ShipType,
    "aircraft_type": AircraftType,
    "place": Place,
    "source": Source,
    "vessel": Vessel,
    "unidentified_vessels": UnidentifiedVessels,
    "aircraft_detachment": AircraftDetachment,
    "formation": Formation,
    "event": Event,
    "claim": Claim,
    "figure": Figure,
    "claim_figure": ClaimFigure,
    "citation_entry": Citation,
    "settings": Settings,
}


def entry_fields(cls: type) -> frozenset[str]:
    """The field names an entry class reads: ``FIELDS``, or ``_FIELDS`` for nested entries."""
    fields: object = getattr(cls, "FIELDS", None) or getattr(cls, "_FIELDS", None)
    if not isinstance(fields, frozenset):
        raise TypeError(f"{cls.__name__} names no FIELDS")
    return frozenset(str(field) for field in fields)


def field_schema(cls: type, field: str) -> Schema | None:
    """The schema of one field of an entry class, or None for a field this module does not know."""
    specific = _SPECIFIC.get(cls, {})
    if field in specific:
        return specific[field]
    return _COMMON.get(field)


def _first_line(cls: type) -> str:
    return (cls.__doc__ or "").strip().splitlines()[0] if cls.__doc__ else cls.__name__


def _entry_schema(name: str, cls: type) -> Schema:
    required = _REQUIRED[cls]
    docs = FIELD_DOCS.get(name, {})
    properties: dict[str, Schema] = {}
    for field in sorted(entry_fields(cls)):
        spec = field_schema(cls, field)
        # A field this module does not describe yet is let through rather than refused.
        spec = dict(spec) if spec is not None else {}
        if field == "cite" and field in required:
            spec = _ref("required_cite")
        elif field not in required:
            spec = _or_none(spec) if spec else spec  # an empty optional field is no value
        if field in docs:
            spec = {**spec, "description": docs[field]}
        properties[field] = spec
    schema: Schema = {
        "type": "object",
        "description": _first_line(cls),
        "properties": properties,
        "required": list(required),
        "additionalProperties": False,
    }
    if cls is Vessel:
        schema["if"] = {"not": {"required": ["hull"]}}
        schema["then"] = {"required": ["type"], "errorMessage": "a vessel needs a hull or a type"}
    if cls is Event:
        schema["allOf"] = _event_conditions()
    return schema


def _event_conditions() -> list[Schema]:
    """What each kind of event must name, as the loader requires it."""
    needs: Mapping[EventKind, str] = model._EVENT_NEEDS
    by_field: dict[str, list[str]] = {}
    for kind, field in needs.items():
        by_field.setdefault(field, []).append(kind.value)
    conditions: list[Schema] = [
        {
            "if": {"properties": {"kind": {"enum": sorted(kinds)}}, "required": ["kind"]},
            "then": {"required": [field]},
        }
        for field, kinds in sorted(by_field.items())
    ]
    conditions.append(
        {
            "if": {
                "properties": {"kind": {"const": EventKind.DEPARTED.value}},
                "required": ["kind"],
                "not": {"required": ["place"]},
            },
            "then": {"required": ["to"], "errorMessage": "a departed event needs a place, a to, or both"},
        }
    )
    membership = sorted((EventKind.JOINED.value, EventKind.DETACHED.value))
    conditions.append(
        {
            "if": {
                "anyOf": [
                    {"properties": {"kind": {"enum": membership}}, "required": ["kind"]},
                    {"not": {"required": ["formation"]}},
                ]
            },
            "then": {
                "required": ["units"],
                "properties": {"units": _one_or_many(_ref("text"), min_items=1)},
            },
        }
    )
    return conditions


def _section_defs() -> dict[str, str]:
    by_class = {cls: name for name, cls in _ENTRIES.items()}
    return {section: by_class[cls] for section, (_kind, cls) in SECTIONS.items()}


def catalog_schema() -> Schema:
    """The JSON Schema (draft 2020-12) of one catalog file, as a JSON-ready dict."""
    citation = {
        "description": "a source id, or a mapping with the source id and a verbatim quote",
        "type": ["string", "object"],
        "if": {"type": "object"},
        "then": _ref("citation_entry"),
    }
    defs: dict[str, Schema] = {
        "text": {"type": "string", "description": "text (quote values a YAML 1.1 reader takes for a number or yes/no)"},
        "count": {
            "description": 'a count: a whole number, or text such as "about 90", "more than 4,000", "up to 10", '
            '"nearly 2,500", "10-12", "several" or "unknown" (docs/catalog-format.md lists every form)',
            "type": ["integer", "string"],
            "errorMessage": _COUNT_MESSAGE,
            "if": {"type": "integer"},
            "then": {"minimum": 0},
            "else": {"pattern": COUNT_PATTERN, "patternErrorMessage": _COUNT_MESSAGE},
        },
        "date": {
            "description": "a date at its own precision: 2025, 2025-08, 2025-10-24, a span "
            "2025-09-21/2025-09-23, and ~ for about",
            "type": ["integer", "string"],
            "errorMessage": _DATE_MESSAGE,
            "if": {"type": "integer"},
            "then": {"minimum": 1000, "maximum": 9999, "errorMessage": _DATE_MESSAGE},
            "else": {
                "if": {"pattern": DATE_PATTERN},
                # A single day must be a day of the calendar (checked where formats are).
                "then": {"if": {"pattern": _DAY_PATTERN}, "then": {"format": "date", "errorMessage": _DATE_MESSAGE}},
                # Not a date: with format checking on, the message says so ("... is not a 'date'").
                "else": {"format": "date", "pattern": DATE_PATTERN, "patternErrorMessage": _DATE_MESSAGE},
            },
        },
        "latitude": {"type": "number", "minimum": -90, "maximum": 90, "description": "degrees north (south negative)"},
        "longitude": {"type": "number", "minimum": -180, "maximum": 180, "description": "degrees east (west negative)"},
        "point": {
            "description": "a point: [latitude, longitude] in degrees (WGS 84)",
            "type": "array",
            "prefixItems": [_ref("latitude"), _ref("longitude")],
            "minItems": 2,
            "maxItems": 2,
        },
        "citation": citation,
        "cite": {
            "description": "the source(s) of a fact: one citation or a list of them",
            **_one_or_many(_ref("citation")),
        },
        "required_cite": {
            "description": "the source(s) of a fact: one citation or a non-empty list of them",
            **_one_or_many(_ref("citation"), min_items=1),
        },
    }
    for name, cls in _ENTRIES.items():
        defs[name] = _entry_schema(name, cls)
    sections = {
        section: {
            "description": f"a list of {SECTIONS[section][0]} entries (one entry alone, or none, will do)",
            "type": ["array", "object", "null"],
            "items": _ref(entry),
            "if": {"type": "object"},
            "then": _ref(entry),
        }
        for section, entry in _section_defs().items()
    }
    return {
        "$schema": SCHEMA_DIALECT,
        "title": "orbat catalog file",
        "description": "One YAML file of an orbat catalog: a mapping of sections, each a list of entries. "
        "Run 'orbat validate' for the checks that need the whole catalog.",
        "type": "object",
        "properties": sections,
        "additionalProperties": False,
        "$defs": defs,
    }


def schema_json(indent: int | None = 2) -> str:
    """:func:`catalog_schema` as JSON text."""
    return json.dumps(catalog_schema(), indent=indent, ensure_ascii=False)
